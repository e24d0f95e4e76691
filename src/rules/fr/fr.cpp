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

core::Result<const RuleSet*> load(Slot& slot, std::string_view sch, Mode mode, const char* name,
                                  std::string_view layer = kLayer, std::string_view english = {}) {
    std::call_once(slot.once, [&] {
        RuleSetOptions options;
        options.layer = std::string(layer);
        options.version = std::string(version_label(mode));
        options.name = name;
        slot.set = RuleSet::compile(sch, std::move(options));
        if (slot.set) {
            const auto messages = parse_message_table(english);  // official French, English translated
            slot.set->set_messages_en(messages);
        }
    });
    if (!slot.set) {
        return tl::unexpected(slot.set.error());
    }
    return &*slot.set;
}

}  // namespace

std::string_view version_label(Mode mode) noexcept {
    return mode == Mode::kWarning ? "fnfe-1.4.0-warning" : "fnfe-1.4.0";
}

core::Result<const RuleSet*> cdar_rule_set(Mode mode) {
    static Slot fatal;
    static Slot warning;
    return mode == Mode::kWarning
               ? load(warning, data::cdar_warning(), mode, "BR-FR-CDV-Schematron-CDAR_WARNING", kCdarLayer)
               : load(fatal, data::cdar_fatal(), mode, "BR-FR-CDV-Schematron-CDAR", kCdarLayer);
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
