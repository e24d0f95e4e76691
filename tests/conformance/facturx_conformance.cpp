// The `facturx` layer (official Factur-X 1.09.2 profile Schematron) over the Factur-X / ZUGFeRD
// corpus of ../shared/conformance/facturx (README there).
//   usage: facteur_facturx_conformance CONFORMANCE_DIR KNOWN_FILE [REPORT_FILE]
// For every invoice XML extracted from a PDF the corpus files as `correct`, the layer for the
// profile its BT-24 names must give 0 fatal findings. A failure is reported with its rule ids;
// KNOWN_FILE (tab-separated: extracted path, the exact sorted fatal rule ids, the reason) lists
// the files that legitimately fail (written to an older profile version): they must fail with
// exactly those ids, anything else is a disagreement, and so is an entry that no longer applies.
// For the `fail` files, the number whose XML gets at least one fatal is reported (not judged:
// the corpus verdict covers the PDF container too). XML with no Factur-X profile (ZUGFeRD 1.0,
// other attachments) is counted as not applicable.
// Prints one line per failure, then "N passed, M failed" (M = correct files with fatals,
// documented or not); exit 1 on any disagreement.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "known_list.h"

#include "facteur/core/file.h"
#include "facteur/rules/facturx/facturx.h"
#include "facteur/xml/document.h"

namespace {

using facteur::conformance::Known;
using facteur::conformance::read_known;

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace facteur;

constexpr std::string_view kRsm = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
constexpr std::string_view kRam = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";

/// BT-24 of a CII invoice, or "" when the document is not a CII D16B invoice.
std::string guideline_of(const xml::Node& root) {
    if (root.local_name() != "CrossIndustryInvoice" || root.namespace_uri() != kRsm) {
        return {};
    }
    const xml::Node id = root.child(kRsm, "ExchangedDocumentContext")
                             .child(kRam, "GuidelineSpecifiedDocumentContextParameter")
                             .child(kRam, "ID");
    return id ? id.text() : std::string();
}

struct Tally {
    std::size_t passed = 0;
    std::size_t failed = 0;
    std::size_t failed_known = 0;
    std::size_t disagreements = 0;
    std::size_t not_applicable = 0;
    std::size_t fail_files = 0;
    std::size_t fail_files_fatal = 0;
    std::map<std::string, std::size_t> per_profile;
};

/// The sorted fatal rule ids of `evaluation`, "A B Bx2 ...", and their count.
std::string fatal_ids(const rules::Evaluation& evaluation, std::size_t& count) {
    std::map<std::string, int> ids;
    for (const model::Finding& f : evaluation.findings) {
        if (f.severity == model::Severity::kFatal) {
            ++ids[f.rule];
            ++count;
        }
    }
    std::string out;
    for (const auto& [id, n] : ids) {
        out += (out.empty() ? "" : " ") + (id.empty() ? std::string("(no-id)") : id) +
               (n > 1 ? "x" + std::to_string(n) : "");
    }
    return out;
}

void judge(const fs::path& root, const std::string& rel, bool correct, std::map<std::string, Known>& known,
           Tally& t, std::ofstream& report) {
    xml::Limits limits;
    auto bytes = core::read_file(root / rel, limits.document_bytes_max);
    auto doc = bytes ? xml::parse(*bytes, limits) : tl::unexpected(bytes.error());
    if (!doc) {
        ++t.not_applicable;
        report << "n/a (not well-formed: " << doc.error().message << ") " << rel << "\n";
        return;
    }
    const std::string bt24 = guideline_of(doc->root());
    const auto profile = rules::facturx::profile_from_guideline(bt24);
    if (!profile) {
        ++t.not_applicable;
        report << "n/a (BT-24 '" << bt24 << "') " << rel << "\n";
        return;
    }
    const auto set = rules::facturx::rule_set(*profile);
    if (!set) {
        ++t.disagreements;
        std::printf("ERROR %s: %s\n", rel.c_str(), set.error().message.c_str());
        return;
    }
    std::size_t fatal = 0;
    const rules::Evaluation evaluation = (*set)->evaluate(doc->root());
    const std::string ids = fatal_ids(evaluation, fatal);
    const std::string label(rules::facturx::profile_label(*profile));
    report << (correct ? "correct " : "fail ") << label << " fatal=" << fatal << " [" << ids << "] " << rel << "\n";
    for (const model::Finding& f : evaluation.findings) {
        if (f.severity == model::Severity::kFatal) {
            report << "    " << (f.rule.empty() ? "(no id)" : f.rule) << " " << f.location << ": " << f.message << "\n";
        }
    }
    if (!correct) {
        ++t.fail_files;
        t.fail_files_fatal += fatal > 0 ? 1 : 0;
        return;
    }
    ++t.per_profile[label];
    const auto k = known.find(rel);
    if (fatal == 0) {
        ++t.passed;
        if (k != known.end()) {
            k->second.seen = true;
            ++t.disagreements;
            std::printf("STALE %s is listed as a known failure but passes\n", rel.c_str());
        }
        return;
    }
    ++t.failed;
    if (k != known.end() && k->second.value == ids) {
        k->second.seen = true;
        ++t.failed_known;
        std::printf("FAIL (known: %s) %s [%s]: %s\n", label.c_str(), rel.c_str(), ids.c_str(), k->second.reason.c_str());
        return;
    }
    if (k != known.end()) {
        k->second.seen = true;
    }
    ++t.disagreements;
    std::printf("FAIL %s %s (BT-24 %s): %s\n", label.c_str(), rel.c_str(), bt24.c_str(), ids.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s CONFORMANCE_DIR KNOWN_FILE [REPORT_FILE]\n", argv[0]);
        return 2;
    }
    const fs::path root = fs::path(argv[1]) / "facturx";
    std::map<std::string, Known> known = read_known(argv[2]);
    std::ofstream report(argc > 3 ? argv[3] : "/dev/null");
    std::ifstream verdicts(root / "verdicts.jsonl");
    if (!verdicts) {
        std::fprintf(stderr, "cannot read %s\n", (root / "verdicts.jsonl").c_str());
        return 2;
    }
    const auto start = std::chrono::steady_clock::now();
    Tally t;
    for (std::string line; std::getline(verdicts, line);) {
        if (line.empty()) {
            continue;
        }
        const json::object v = json::parse(line).as_object();
        const bool correct = v.at("expected").as_string() == "correct";
        const json::value* xmls = v.if_contains("extracted_xml");
        if (xmls == nullptr) {
            continue;  // a plain XML entry of the corpus: no PDF, nothing extracted
        }
        for (const json::value& x : xmls->as_array()) {
            judge(root, std::string(x.as_string()), correct, known, t, report);
        }
    }
    for (const auto& [path, k] : known) {
        if (!k.seen) {
            ++t.disagreements;
            std::printf("STALE %s is listed as a known failure but was not judged\n", path.c_str());
        }
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    std::string profiles;
    for (const auto& [label, n] : t.per_profile) {
        profiles += " " + label + "=" + std::to_string(n);
    }
    std::printf("correct files by profile:%s; not applicable: %zu\n", profiles.c_str(), t.not_applicable);
    std::printf("fail files: %zu of %zu get at least one fatal (report only)\n", t.fail_files_fatal, t.fail_files);
    std::printf("%zu of the failures are documented in the known-failures file; %zu disagreements; %lld ms\n",
                t.failed_known, t.disagreements, static_cast<long long>(ms.count()));
    std::printf("%zu passed, %zu failed\n", t.passed, t.failed);
    return t.disagreements == 0 ? 0 : 1;
}
