// Agreement of facteur's `xsd` verdict with the recorded official one (libxml2's validator) on
// every case of shared/conformance/{examples,mutations}/verdicts.jsonl.
//   usage: facteur_xsd_conformance CONFORMANCE_DIR [DISAGREEMENTS_FILE]
// Prints one line per disagreement and closes with "N passed, M failed"; exit 1 if M > 0.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <boost/json.hpp>

#include "facteur/pipeline/document_validator.h"
#include "facteur/validate/schema_registry.h"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace facteur;

std::string first_fatal(const model::Report& report) {
    for (const model::Finding& f : report.findings) {
        if (f.severity == model::Severity::kFatal) {
            return f.rule + " line " + std::to_string(f.line) + ": " + f.message.substr(0, 300);
        }
    }
    return "(no fatal finding)";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CONFORMANCE_DIR [DISAGREEMENTS_FILE]\n", argv[0]);
        return 2;
    }
    const fs::path root = argv[1];
    std::ofstream disagreements(argc > 2 ? argv[2] : "/dev/null");
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    if (auto verified = registry.verify_all(); !verified) {
        std::fprintf(stderr, "%s\n", verified.error().message.c_str());
        return 2;
    }
    pipeline::ValidationOptions options;
    options.layers = {"xml", "xsd"};
    pipeline::DocumentValidator validator(registry, options);
    std::size_t passed = 0;
    std::size_t failed = 0;
    for (const char* corpus : {"examples", "mutations"}) {
        std::ifstream in(root / corpus / "verdicts.jsonl");
        if (!in) {
            std::fprintf(stderr, "cannot read %s\n", (root / corpus / "verdicts.jsonl").c_str());
            return 2;
        }
        for (std::string line; std::getline(in, line);) {
            const json::object verdict = json::parse(line).as_object();
            const fs::path file = root / corpus / std::string(verdict.at("file").as_string());
            const bool expected = verdict.at("xsd").as_object().at("valid").as_bool();
            const model::Report report = validator.validate_file(file);
            if (report.valid() == expected) {
                ++passed;
                continue;
            }
            ++failed;
            const std::string text = std::string(corpus) + "/" + std::string(verdict.at("file").as_string()) +
                                     ": expected " + (expected ? "valid" : "invalid") + ", facteur says " +
                                     (report.valid() ? "valid" : first_fatal(report));
            std::printf("DISAGREE %s\n", text.c_str());
            disagreements << text << "\n";
        }
    }
    std::printf("xsd conformance (examples + mutations): %zu passed, %zu failed\n", passed, failed);
    std::printf("%zu passed, %zu failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
