// The en16931 layer through the pipeline, on the project's fixtures (fixtures/rules/en16931).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "facteur/core/file.h"
#include "facteur/pipeline/document_validator.h"
#include "facteur/testing/testing.h"

namespace facteur::pipeline {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> fixture_files() {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(testing::fixtures_dir() / "rules" / "en16931")) {
        if (e.path().extension() == ".xml") {
            out.push_back(e.path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> expected_of(const fs::path& xml) {
    fs::path expected = xml;
    expected.replace_extension(".expected");
    std::ifstream in(expected);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            out.push_back(line);
        }
    }
    return out;
}

TEST(En16931FixturesTest, EachFixtureFiresExactlyItsExpectedRules) {
    const auto files = fixture_files();
    ASSERT_GE(files.size(), 3U);
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    ValidationOptions options;
    options.layers = {"en16931"};
    DocumentValidator validator(registry, options);
    for (const fs::path& file : files) {
        const model::Report report = validator.validate_file(file);
        std::vector<std::string> got;
        for (const model::Finding& f : report.findings) {
            if (f.layer == "en16931") {
                got.push_back(f.rule + " " + std::string(model::severity_name(f.severity)));
                EXPECT_FALSE(f.location.empty()) << file << " " << f.rule;
                EXPECT_GT(f.line, 0U) << file << " " << f.rule;
                EXPECT_FALSE(f.message_fr.empty()) << file << " " << f.rule;
            }
        }
        std::sort(got.begin(), got.end());
        EXPECT_EQ(got, expected_of(file)) << file;
        EXPECT_FALSE(report.valid()) << file;
    }
}

TEST(En16931FixturesTest, EvaluationErrorMakesTheLayerAnErrorNotValid) {
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    DocumentValidator validator(registry, ValidationOptions{});
    const model::Report report =
        validator.validate_file(testing::fixtures_dir() / "rules" / "en16931" / "cii-non-numeric-amount.xml");
    const auto layer = std::find_if(report.layers.begin(), report.layers.end(),
                                    [](const model::LayerResult& l) { return l.name == "en16931"; });
    ASSERT_NE(layer, report.layers.end());
    EXPECT_EQ(layer->status, model::LayerStatus::kError);
    EXPECT_FALSE(report.valid());
}

TEST(En16931FixturesTest, CdarAndUnknownDocumentsGetNoEn16931Layer) {
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    DocumentValidator validator(registry, ValidationOptions{});
    const model::Report report = validator.validate("<other xmlns='urn:x'/>", "x.xml");
    EXPECT_TRUE(std::none_of(report.layers.begin(), report.layers.end(),
                             [](const model::LayerResult& l) { return l.name == "en16931"; }));
    EXPECT_FALSE(report.valid());
}

}  // namespace
}  // namespace facteur::pipeline

namespace facteur::pipeline {
namespace {

TEST(FrLayerTest, RunsWhenAskedAndNamesItsModeInTheVersion) {
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    // a CII invoice without the notes and electronic addresses BR-FR requires
    const auto sample = testing::fixtures_dir() / "rules" / "en16931" / "cii-empty-invoice-number.xml";
    for (const auto& [mode, label] : {std::pair{FrMode::kFatal, "fnfe-1.4.0"},
                                      std::pair{FrMode::kWarning, "fnfe-1.4.0-warning"}}) {
        ValidationOptions options;
        options.layers = {"fr"};
        options.fr_mode = mode;
        DocumentValidator validator(registry, options);
        const model::Report report = validator.validate_file(sample);
        const auto layer = std::find_if(report.layers.begin(), report.layers.end(),
                                        [](const model::LayerResult& l) { return l.name == "fr"; });
        ASSERT_NE(layer, report.layers.end());
        EXPECT_EQ(layer->version, label);
        // fatal findings in the fatal variant, warnings only in the _WARNING one

        const std::size_t fatal = report.count(model::Severity::kFatal, "fr");
        const std::size_t warnings = report.count(model::Severity::kWarning, "fr");
        if (mode == FrMode::kFatal) {
            EXPECT_GT(fatal, 0U);
            EXPECT_EQ(layer->status, model::LayerStatus::kInvalid);
        } else {
            EXPECT_EQ(fatal, 0U);
            EXPECT_GT(warnings, 0U);
            EXPECT_EQ(layer->status, model::LayerStatus::kValid);
        }
    }
}

TEST(FrLayerTest, MessagesAreOfficialFrenchAndTranslatedEnglishWithValuesFilledIn) {
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    ValidationOptions options;
    options.layers = {"fr"};
    DocumentValidator validator(registry, options);
    const model::Report report = validator.validate_file(testing::fixtures_dir() / "rules" / "en16931" /
                                                         "cii-empty-invoice-number.xml");
    const auto it = std::find_if(report.findings.begin(), report.findings.end(),
                                 [](const model::Finding& f) { return f.rule == "BR-FR-12_BT-49"; });
    ASSERT_NE(it, report.findings.end());
    EXPECT_NE(it->message_fr.find("obligatoire"), std::string::npos) << it->message_fr;
    EXPECT_NE(it->message.find("mandatory"), std::string::npos) << it->message;
    EXPECT_EQ(it->message.find('{'), std::string::npos) << "placeholders filled: " << it->message;
}

TEST(FrLayerTest, RunsByDefaultAndTheFrenchSamplesPassEveryLayer) {
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    DocumentValidator validator(registry, ValidationOptions{});
    for (const char* name : {"facture-cii.xml", "facture-ubl.xml"}) {
        const model::Report report = validator.validate_file(testing::fixtures_dir() / "samples" / name);
        EXPECT_TRUE(std::any_of(report.layers.begin(), report.layers.end(),
                                [](const model::LayerResult& l) { return l.name == "fr"; }))
            << name;
        EXPECT_TRUE(report.valid()) << name;
        EXPECT_EQ(report.count(model::Severity::kFatal), 0U) << name;
    }
}

}  // namespace
}  // namespace facteur::pipeline
