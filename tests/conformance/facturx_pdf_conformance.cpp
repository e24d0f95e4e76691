// Issue #5's must-show over ../shared/conformance/facturx: `facteur validate --layers
// facturx-pdf,facturx` (the container checks, then the Factur-X profile Schematron of the
// embedded invoice) through pipeline::DocumentValidator. Every `correct` PDF must get no fatal
// finding, every `fail` PDF at least one.
//   usage: facteur_facturx_pdf_conformance CONFORMANCE_DIR KNOWN_FILE [REPORT_FILE]
// KNOWN_FILE (tab-separated: corpus path, expected verdict, why) lists the files facteur judges
// otherwise, each examined: they must still disagree, anything else is a failure of the test,
// and so is an entry that no longer applies. Prints one line per disagreement, then
// "N passed, M failed" (M = every disagreement, documented or not); exit 1 on an undocumented or
// stale one.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <boost/json.hpp>

#include "known_list.h"

#include "facteur/core/file.h"
#include "facteur/pipeline/document_validator.h"
#include "facteur/validate/schema_registry.h"

namespace {

using facteur::conformance::Known;
using facteur::conformance::read_known;

namespace fs = std::filesystem;
using namespace facteur;

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s CONFORMANCE_DIR KNOWN_FILE [REPORT_FILE]\n", argv[0]);
        return 2;
    }
    const fs::path dir = fs::path(argv[1]) / "facturx";
    auto known = read_known(argv[2]);
    std::ofstream report(argc > 3 ? argv[3] : "/dev/null");
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    pipeline::ValidationOptions options;
    options.layers = {"facturx-pdf", "facturx"};
    pipeline::DocumentValidator validator(registry, options);
    std::ifstream verdicts(dir / "verdicts.jsonl");
    std::size_t passed = 0;
    std::size_t failed = 0;
    std::size_t undocumented = 0;
    for (std::string line; std::getline(verdicts, line);) {
        const auto v = boost::json::parse(line).as_object();
        const std::string file(v.at("file").as_string());
        if (!file.ends_with(".pdf")) {
            continue;  // the corpus also holds a few plain XML files: not PDFs
        }
        const std::string expected(v.at("expected").as_string());
        auto bytes = core::read_file(dir / file, std::size_t{64} << 20U);
        if (!bytes) {
            std::printf("ERROR %s: %s\n", file.c_str(), bytes.error().message.c_str());
            ++failed;
            ++undocumented;
            continue;
        }
        const model::Report r = validator.validate(*bytes, file);
        std::string fatals;
        for (const model::Finding& f : r.findings) {
            if (f.severity == model::Severity::kFatal && fatals.find(f.rule) == std::string::npos) {
                fatals += (fatals.empty() ? "" : " ") + f.rule;
            }
        }
        const bool agree = expected == "correct" ? fatals.empty() : !fatals.empty();
        report << file << '\t' << expected << '\t' << (fatals.empty() ? "-" : fatals) << '\n';
        if (agree) {
            ++passed;
            if (const auto k = known.find(file); k != known.end()) {
                std::printf("STALE %s: listed as a disagreement, now agrees\n", file.c_str());
                k->second.seen = true;
                ++undocumented;
            }
            continue;
        }
        ++failed;
        const auto k = known.find(file);
        if (k == known.end() || k->second.value != expected) {
            std::printf("DISAGREE %s: expected %s, fatal: %s\n", file.c_str(), expected.c_str(),
                        fatals.empty() ? "none" : fatals.c_str());
            ++undocumented;
            continue;
        }
        k->second.seen = true;
        std::printf("known    %s (%s): %s\n", file.c_str(), expected.c_str(), k->second.reason.c_str());
    }
    for (const auto& [file, k] : known) {
        if (!k.seen) {
            std::printf("STALE %s: listed but not in the corpus\n", file.c_str());
            ++undocumented;
        }
    }
    std::printf("%zu passed, %zu failed (%zu undocumented or stale)\n", passed, failed, undocumented);
    return undocumented == 0 ? 0 : 1;
}
