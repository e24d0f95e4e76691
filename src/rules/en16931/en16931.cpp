#include "facteur/rules/en16931/en16931.h"

#include <mutex>
#include <vector>

#include "embedded.h"

namespace facteur::rules::en16931 {

namespace {

struct Slot {
    std::once_flag once;
    core::Result<RuleSet> set = core::fail(core::Errc::kInternal, "not compiled");
};

core::Result<const RuleSet*> load(Slot& slot, std::string_view sch, std::string_view fr, const char* name) {
    std::call_once(slot.once, [&] {
        RuleSetOptions options;
        options.layer = std::string(kLayer);
        options.version = std::string(kVersion);
        options.name = name;
        slot.set = RuleSet::compile(sch, std::move(options));
        if (slot.set) {
            const auto messages = parse_message_table(fr);
            slot.set->set_messages_fr(messages);
        }
    });
    if (!slot.set) {
        return tl::unexpected(slot.set.error());
    }
    return &*slot.set;
}

}  // namespace

core::Result<const RuleSet*> rule_set(model::Syntax syntax) {
    static Slot ubl;
    static Slot cii;
    switch (syntax) {
        case model::Syntax::kUblInvoice:
        case model::Syntax::kUblCreditNote:
            return load(ubl, data::ubl_sch(), data::ubl_fr(), "EN16931-UBL-validation");
        case model::Syntax::kCii:
        case model::Syntax::kFacturX:
            return load(cii, data::cii_sch(), data::cii_fr(), "EN16931-CII-validation");
        default:
            return core::fail(core::Errc::kInvalidInput, "EN16931-SYNTAX",
                              "the EN 16931 rules apply to UBL and CII invoices only",
                              "les règles EN 16931 s'appliquent aux factures UBL et CII uniquement");
    }
}

}  // namespace facteur::rules::en16931
