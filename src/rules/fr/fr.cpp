#include "facteur/rules/fr/fr.h"

#include <mutex>
#include <vector>

#include "embedded.h"

namespace facteur::rules::fr {

namespace {

struct Slot {
    std::once_flag once;
    core::Result<RuleSet> set = core::fail(core::Errc::kInternal, "not compiled");
};

/// Compiles `sch` into `slot` once; `translate` then sets the messages of the other language.
template <typename Translate>
core::Result<const RuleSet*> compile_once(Slot& slot, std::string_view sch, std::string_view layer,
                                          std::string_view version, const char* name, Translate translate) {
    std::call_once(slot.once, [&] {
        RuleSetOptions options;
        options.layer = std::string(layer);
        options.version = std::string(version);
        options.name = name;
        slot.set = RuleSet::compile(sch, std::move(options));
        if (slot.set) {
            translate(*slot.set);
        }
    });
    if (!slot.set) {
        return tl::unexpected(slot.set.error());
    }
    return &*slot.set;
}

/// A BR-FR set: official French messages, the project's English translations.
core::Result<const RuleSet*> load(Slot& slot, std::string_view sch, Mode mode, const char* name,
                                  std::string_view layer = kLayer, std::string_view english = {}) {
    return compile_once(slot, sch, layer, version_label(mode), name, [english](RuleSet& set) {
        set.set_messages_en(parse_message_table(english));
    });
}

/// An EXTENDED-CTC-FR set: official English messages; French from the CEN translations, then
/// those of the asserts the extension adds or rewords (which win).
core::Result<const RuleSet*> load_extended(Slot& slot, std::string_view sch, const char* name,
                                           std::string_view french_cen, std::string_view french_ext) {
    return compile_once(slot, sch, kExtendedLayer, kExtendedVersion, name, [=](RuleSet& set) {
        set.set_messages_fr(parse_message_table(french_cen));
        set.set_messages_fr(parse_message_table(french_ext));
    });
}

}  // namespace

std::string_view version_label(Mode mode) noexcept {
    return mode == Mode::kWarning ? "fnfe-1.4.0-warning" : "fnfe-1.4.0";
}

core::Result<const RuleSet*> cdar_rule_set(Mode mode) {
    static Slot fatal;
    static Slot warning;
    return mode == Mode::kWarning
               ? load(warning, data::cdar_warning(), mode, "BR-FR-CDV-Schematron-CDAR_WARNING", kCdarLayer,
                      data::cdar_en())
               : load(fatal, data::cdar_fatal(), mode, "BR-FR-CDV-Schematron-CDAR", kCdarLayer, data::cdar_en());
}

bool declares_extended_profile(std::string_view bt24) noexcept {
    return bt24 == kExtendedProfileId;
}

core::Result<const RuleSet*> extended_rule_set(model::Syntax syntax) {
    static Slot ubl;
    static Slot cii;
    switch (syntax) {
        case model::Syntax::kUblInvoice:
        case model::Syntax::kUblCreditNote:
            return load_extended(ubl, data::ext_ubl(), "EXTENDED-CTC-FR-UBL", data::ext_ubl_fr_cen(),
                                 data::ext_ubl_fr());
        case model::Syntax::kCii:
        case model::Syntax::kFacturX:
            return load_extended(cii, data::ext_cii(), "EXTENDED-CTC-FR-CII", data::ext_cii_fr_cen(),
                                 data::ext_cii_fr());
        default:
            return core::fail(core::Errc::kInvalidInput, "FR-SYNTAX",
                              "the EXTENDED-CTC-FR rules apply to UBL and CII invoices only",
                              "les règles EXTENDED-CTC-FR s'appliquent aux factures UBL et CII uniquement");
    }
}

core::Result<const RuleSet*> rule_set(model::Syntax syntax, Mode mode) {
    static Slot ubl_fatal;
    static Slot ubl_warning;
    static Slot cii_fatal;
    static Slot cii_warning;
    const bool warning = mode == Mode::kWarning;
    switch (syntax) {
        case model::Syntax::kUblInvoice:
        case model::Syntax::kUblCreditNote:
            return warning ? load(ubl_warning, data::ubl_warning(), mode, "BR-FR-Flux2-Schematron-UBL_WARNING",
                                  kLayer, data::ubl_en())
                           : load(ubl_fatal, data::ubl_fatal(), mode, "BR-FR-Flux2-Schematron-UBL", kLayer,
                                  data::ubl_en());
        case model::Syntax::kCii:
        case model::Syntax::kFacturX:
            return warning ? load(cii_warning, data::cii_warning(), mode, "BR-FR-Flux2-Schematron-CII_WARNING",
                                  kLayer, data::cii_en())
                           : load(cii_fatal, data::cii_fatal(), mode, "BR-FR-Flux2-Schematron-CII", kLayer,
                                  data::cii_en());
        default:
            return core::fail(core::Errc::kInvalidInput, "FR-SYNTAX",
                              "the BR-FR Flux 2 rules apply to UBL and CII invoices only",
                              "les règles BR-FR Flux 2 s'appliquent aux factures UBL et CII uniquement");
    }
}

}  // namespace facteur::rules::fr
