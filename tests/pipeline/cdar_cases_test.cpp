// The cdar layer on broken lifecycle messages written by the project (fixtures/rules/cdar):
// each case is one change to an annex B example, with the BR-FR-CDV findings it must give.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "facteur/core/file.h"
#include "facteur/pipeline/document_validator.h"
#include "facteur/testing/testing.h"

namespace facteur::pipeline {
namespace {

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string part;
    std::istringstream in(s);
    while (std::getline(in, part, sep)) {
        out.push_back(part);
    }
    if (!s.empty() && s.back() == sep) {
        out.emplace_back();
    }
    return out;
}

TEST(CdarCasesTest, EachBrokenMessageFiresExactlyItsExpectedRules) {
    std::ifstream in(testing::fixtures_dir() / "rules" / "cdar" / "cases.tsv");
    ASSERT_TRUE(in) << "fixtures/rules/cdar/cases.tsv";
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    ValidationOptions options;
    options.layers = {"xml", "xsd", "cdar"};
    DocumentValidator validator(registry, options);
    std::size_t cases = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line.front() == '#') {
            continue;
        }
        const std::vector<std::string> f = split(line, '\t');
        ASSERT_EQ(f.size(), 5U) << line;
        const auto base = core::read_file(testing::shared_dir() / "conformance" / "cdar" / f[1], 1 << 20);
        ASSERT_TRUE(base.has_value()) << f[1];
        std::string bytes = *base;
        const std::size_t at = bytes.find(f[2]);
        ASSERT_NE(at, std::string::npos) << f[0];
        ASSERT_EQ(bytes.find(f[2], at + 1), std::string::npos) << f[0] << ": the change must be unambiguous";
        bytes.replace(at, f[2].size(), f[3]);
        const model::Report report = validator.validate(bytes, f[0]);
        std::vector<std::string> got;
        for (const model::Finding& x : report.findings) {
            if (x.layer == "cdar") {
                got.push_back(x.rule + " " + std::string(model::severity_name(x.severity)));
                // official French, the project's English (messages_en_cdar.tsv), values filled in
                EXPECT_NE(x.message, x.message_fr) << x.rule << ": no English translation";
                EXPECT_EQ(x.message.find('{'), std::string::npos) << x.rule << ": " << x.message;
            }
        }
        std::sort(got.begin(), got.end());
        EXPECT_EQ(got, split(f[4], ',')) << f[0];
        EXPECT_EQ(report.count(model::Severity::kFatal, "xsd"), 0U) << f[0] << ": meant to stay XSD-valid";
        ++cases;
    }
    EXPECT_GE(cases, 5U);
}

}  // namespace
}  // namespace facteur::pipeline
