// Rule sets as versioned objects: selection by flag, by date, default latest; the verdict records
// the version applied.
#include "facteur/pipeline/rule_versions.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "facteur/core/file.h"
#include "facteur/pipeline/document_validator.h"
#include "facteur/testing/testing.h"

namespace facteur::pipeline {
namespace {

TEST(RuleVersionsTest, EveryRuleLayerHasAVersionAndTheDefaultIsTheLatest) {
    for (const std::string_view layer : {"en16931", "extended-ctc-fr", "fr", "cdar", "mentions"}) {
        auto latest = select_rule_version(layer, std::nullopt, std::nullopt);
        ASSERT_TRUE(latest.has_value()) << layer;
        EXPECT_FALSE(latest->before_first);
        for (const RuleSetVersion& v : rule_set_versions()) {
            if (v.layer == layer) {
                EXPECT_FALSE(latest->version->published < v.published) << layer;
            }
        }
    }
    EXPECT_EQ(select_rule_version("en16931", std::nullopt, std::nullopt)->version->version, "1.3.16");
    EXPECT_FALSE(select_rule_version("xsd", std::nullopt, std::nullopt).has_value());
}

TEST(RuleVersionsTest, ByFlagAndByDate) {
    auto forced = select_rule_version("fr", std::nullopt, "fnfe-1.4.0");
    ASSERT_TRUE(forced.has_value());
    EXPECT_EQ(forced->version->version, "fnfe-1.4.0");
    auto absent = select_rule_version("fr", std::nullopt, "fnfe-0.9");
    ASSERT_FALSE(absent.has_value());
    EXPECT_EQ(absent.error().id, "RULES-VERSION");
    EXPECT_NE(absent.error().message.find("fnfe-1.4.0"), std::string::npos);  // says what is present

    auto after = select_rule_version("fr", model::Date{2027, 1, 1}, std::nullopt);
    ASSERT_TRUE(after.has_value());
    EXPECT_FALSE(after->before_first);
    auto before = select_rule_version("fr", model::Date{2020, 1, 1}, std::nullopt);
    ASSERT_TRUE(before.has_value());
    EXPECT_TRUE(before->before_first);  // nothing published yet: the earliest, and the verdict says so
}

TEST(RuleVersionsTest, TheVerdictRecordsTheVersionAndAMissingOneIsAnError) {
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    auto bytes = core::read_file(testing::fixtures_dir() / "samples" / "facture-ubl.xml", 1U << 20U);
    ASSERT_TRUE(bytes.has_value());
    ValidationOptions options;
    options.layers = {"fr"};
    options.rule_versions["fr"] = "fnfe-0.9";
    const model::Report missing = DocumentValidator(registry, options).validate(*bytes, "f");
    ASSERT_EQ(missing.layers.size(), 2U);  // xml, fr
    EXPECT_EQ(missing.layers[1].status, model::LayerStatus::kError);
    EXPECT_FALSE(missing.valid());

    options.rule_versions["fr"] = "fnfe-1.4.0";
    options.rules_date = model::Date{2020, 1, 1};
    const model::Report old = DocumentValidator(registry, options).validate(*bytes, "f");
    EXPECT_EQ(old.layers[1].version, "fnfe-1.4.0");
    EXPECT_TRUE(old.layers[1].message.empty());  // forced: no date note
    options.rule_versions.clear();
    const model::Report dated = DocumentValidator(registry, options).validate(*bytes, "f");
    EXPECT_EQ(dated.layers[1].status, model::LayerStatus::kValid);
    EXPECT_NE(dated.layers[1].message.find("2020-01-01"), std::string::npos) << dated.layers[1].message;
}

}  // namespace
}  // namespace facteur::pipeline
