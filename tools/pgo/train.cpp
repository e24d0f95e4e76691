// The training run of the profile-guided build (docs/adr/0006-profile-guided-rule-engine.md):
// built only with -DFACTEUR_PGO=GENERATE, it runs the rule engine the way validation does, over
// every XML document below the given folders (sorted, so the workload is fixed): the hardened
// parse, the tree, the EN 16931 rule set of the document's syntax, the French one (BR-FR, fatal
// variant) and, for CDAR messages, the lifecycle rule set. Its execution counts, written at exit
// by the instrumented libraries, are what the optimised build is compiled with.
// Usage: facteur_pgo_train DIR... ; exit 0 when it evaluated at least one document of each
// syntax family (UBL, CII), 2 on a usage error, a folder it cannot list or a rule set that does
// not compile.
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/core/file.h"
#include "facteur/model/report.h"
#include "facteur/rules/en16931/en16931.h"
#include "facteur/rules/fr/fr.h"
#include "facteur/xml/document.h"

namespace {

using namespace facteur;
namespace fs = std::filesystem;

std::size_t evaluate(core::Result<const rules::RuleSet*> set, const xml::Document& doc) {
    if (!set) {
        std::fprintf(stderr, "facteur_pgo_train: %s\n", set.error().text(false).c_str());
        std::exit(2);
    }
    const auto prepared = (*set)->prepare(doc.root());
    return (*set)->evaluate_prepared(*prepared).findings.size();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: facteur_pgo_train DIR...\n");
        return 2;
    }
    // The CLI's expansion: every regular file below each folder, sorted (a fixed workload).
    const auto files = core::expand_paths(std::vector<fs::path>(argv + 1, argv + argc));
    if (!files) {
        std::fprintf(stderr, "facteur_pgo_train: %s\n", files.error().text(false).c_str());
        return 2;
    }
    std::size_t ubl = 0;
    std::size_t cii = 0;
    std::size_t cdar = 0;
    std::size_t skipped = 0;
    std::size_t findings = 0;
    for (const fs::path& file : *files) {
        const std::string ext = file.extension().string();
        if (ext != ".xml" && ext != ".XML") {
            continue;  // the corpora's notes and verdict files
        }
        const auto bytes = core::read_file(file, std::size_t{64} << 20);
        if (!bytes) {
            ++skipped;
            continue;
        }
        const auto doc = xml::parse(*bytes, xml::Limits{});
        if (!doc) {
            ++skipped;  // not well-formed: validation stops before the rules too
            continue;
        }
        const std::string_view root = doc->root().local_name();
        if (root == "Invoice" || root == "CreditNote") {
            const auto syntax =
                root == "Invoice" ? model::Syntax::kUblInvoice : model::Syntax::kUblCreditNote;
            findings += evaluate(rules::en16931::rule_set(syntax), *doc);
            findings += evaluate(rules::fr::rule_set(syntax, rules::fr::Mode::kFatal), *doc);
            ++ubl;
        } else if (root == "CrossIndustryInvoice") {
            findings += evaluate(rules::en16931::rule_set(model::Syntax::kCii), *doc);
            findings +=
                evaluate(rules::fr::rule_set(model::Syntax::kCii, rules::fr::Mode::kFatal), *doc);
            ++cii;
        } else if (root == "CrossDomainAcknowledgementAndResponse") {
            findings += evaluate(rules::fr::cdar_rule_set(rules::fr::Mode::kFatal), *doc);
            ++cdar;
        } else {
            ++skipped;
        }
    }
    std::printf(
        "facteur_pgo_train: %zu UBL, %zu CII, %zu CDAR documents evaluated (%zu findings), %zu "
        "skipped\n",
        ubl, cii, cdar, findings, skipped);
    return ubl > 0 && cii > 0 ? 0 : 2;
}
