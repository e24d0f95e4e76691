// libFuzzer target for the rule engine: on any document the XML layer accepts, the EN 16931 rule
// sets (UBL and CII, both run whatever the root) must return findings or RULE-EVAL errors,
// never crash, hang or throw, and every finding must name its rule and layer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "facteur/rules/en16931/en16931.h"
#include "facteur/xml/document.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    facteur::xml::Limits limits;
    limits.depth_max = 64;
    limits.nodes_max = 20'000;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto doc = facteur::xml::parse(bytes, limits);
    if (!doc) {
        return 0;
    }
    for (const auto syntax : {facteur::model::Syntax::kUblInvoice, facteur::model::Syntax::kCii}) {
        const auto set = facteur::rules::en16931::rule_set(syntax);
        if (!set) {
            std::abort();  // the embedded rule sets always compile
        }
        const facteur::rules::Evaluation e = (*set)->evaluate(doc->root());
        for (const facteur::model::Finding& f : e.findings) {
            if (f.rule.empty() || f.layer != "en16931") {
                std::abort();
            }
        }
    }
    return 0;
}
