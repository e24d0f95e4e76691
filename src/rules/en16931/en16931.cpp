#include "facteur/rules/en16931/en16931.h"

#include <mutex>
#include <vector>

#include "embedded.h"

namespace facteur::rules::en16931 {

namespace {

/// "ID<TAB>message" lines; '#' lines are comments.
std::vector<std::pair<std::string_view, std::string_view>> parse_messages(std::string_view tsv) {
    std::vector<std::pair<std::string_view, std::string_view>> out;
    while (!tsv.empty()) {
        const std::size_t end = tsv.find('\n');
        const std::string_view line = tsv.substr(0, end);
        tsv.remove_prefix(end == std::string_view::npos ? tsv.size() : end + 1);
        const std::size_t tab = line.find('\t');
        if (line.empty() || line.front() == '#' || tab == std::string_view::npos) {
            continue;
        }
        out.emplace_back(line.substr(0, tab), line.substr(tab + 1));
    }
    return out;
}

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
            const auto messages = parse_messages(fr);
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
