// libFuzzer target for the rule engine: on any document the XML layer accepts, every embedded
// rule set — EN 16931, BR-FR, EXTENDED-CTC-FR (UBL and CII, whatever the root) and BR-FR-CDV —
// must return findings or RULE-EVAL errors, never crash, hang or throw, and every finding must
// name its rule and its set's layer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include "facteur/rules/en16931/en16931.h"
#include "facteur/rules/fr/fr.h"
#include "facteur/xml/document.h"

namespace {

using facteur::model::Syntax;
using facteur::rules::RuleSet;
namespace fr = facteur::rules::fr;

/// Every rule set with its layer, compiled once.
const std::vector<std::pair<const RuleSet*, std::string_view>>& rule_sets() {
    static const auto sets = [] {
        std::vector<std::pair<const RuleSet*, std::string_view>> out;
        const auto add = [&](facteur::core::Result<const RuleSet*> set, std::string_view layer) {
            if (!set) {
                std::abort();  // the embedded rule sets always compile
            }
            out.emplace_back(*set, layer);
        };
        for (const Syntax syntax : {Syntax::kUblInvoice, Syntax::kCii}) {
            add(facteur::rules::en16931::rule_set(syntax), "en16931");
            add(fr::rule_set(syntax, fr::Mode::kFatal), fr::kLayer);
            add(fr::extended_rule_set(syntax), fr::kExtendedLayer);
        }
        add(fr::cdar_rule_set(fr::Mode::kFatal), fr::kCdarLayer);
        return out;
    }();
    return sets;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    facteur::xml::Limits limits;
    limits.depth_max = 64;
    limits.nodes_max = 20'000;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto doc = facteur::xml::parse(bytes, limits);
    if (!doc) {
        return 0;
    }
    for (const auto& [set, layer] : rule_sets()) {
        const facteur::rules::Evaluation e = set->evaluate(doc->root());
        for (const facteur::model::Finding& f : e.findings) {
            if (f.rule.empty() || f.layer != layer) {
                std::abort();
            }
        }
    }
    return 0;
}
