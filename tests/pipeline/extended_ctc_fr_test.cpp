// The extended-ctc-fr layer: documents whose BT-24 declares EXTENDED-CTC-FR run the official
// EXTENDED-CTC-FR rules instead of the plain EN 16931 ones (the project's samples, with BT-24
// changed in memory).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "facteur/core/file.h"
#include "facteur/pipeline/document_validator.h"
#include "facteur/testing/testing.h"

namespace facteur::pipeline {
namespace {

constexpr std::string_view kPlain = ">urn:cen.eu:en16931:2017<";
constexpr std::string_view kExtended =
    ">urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr<";

std::string sample(const char* name) {
    auto bytes = core::read_file(testing::fixtures_dir() / "samples" / name, 1U << 20U);
    EXPECT_TRUE(bytes.has_value()) << name;
    return bytes ? *bytes : std::string();
}

/// `text` with the first `from` replaced by `to` (the test fails if `from` is absent).
std::string replaced(std::string text, std::string_view from, std::string_view to) {
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) {
        text.replace(at, from.size(), to);
    }
    return text;
}

const model::LayerResult* layer(const model::Report& report, std::string_view name) {
    const auto it = std::find_if(report.layers.begin(), report.layers.end(),
                                 [&](const model::LayerResult& l) { return l.name == name; });
    return it == report.layers.end() ? nullptr : &*it;
}

std::vector<std::string> rules_in(const model::Report& report, std::string_view layer_name) {
    std::vector<std::string> out;
    for (const model::Finding& f : report.findings) {
        if (f.layer == layer_name && f.severity == model::Severity::kFatal) {
            out.push_back(f.rule);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(ExtendedCtcFrTest, ThePlainSamplesDoNotRunTheExtendedLayer) {
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    DocumentValidator validator(registry, ValidationOptions{});
    for (const char* name : {"facture-cii.xml", "facture-ubl.xml"}) {
        const model::Report report = validator.validate(sample(name), name);
        EXPECT_EQ(layer(report, "extended-ctc-fr"), nullptr) << name;
        ASSERT_NE(layer(report, "en16931"), nullptr) << name;
        EXPECT_EQ(layer(report, "en16931")->status, model::LayerStatus::kValid) << name;
    }
}

TEST(ExtendedCtcFrTest, DeclaringTheProfileReplacesEn16931ByTheExtendedRules) {
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    DocumentValidator validator(registry, ValidationOptions{});
    for (const char* name : {"facture-cii.xml", "facture-ubl.xml"}) {
        const model::Report report = validator.validate(replaced(sample(name), kPlain, kExtended), name);
        const model::LayerResult* en = layer(report, "en16931");
        const model::LayerResult* ext = layer(report, "extended-ctc-fr");
        ASSERT_NE(en, nullptr) << name;
        ASSERT_NE(ext, nullptr) << name;
        EXPECT_EQ(en->status, model::LayerStatus::kReplaced) << name;
        EXPECT_NE(en->message.find("extended-ctc-fr"), std::string::npos) << en->message;
        EXPECT_EQ(ext->status, model::LayerStatus::kValid) << name;
        EXPECT_EQ(ext->version, "fnfe-1.4.0");
        EXPECT_TRUE(report.valid()) << name;
        if (report.syntax == model::Syntax::kCii) {
            EXPECT_EQ(layer(report, "xsd")->version, "cii-d22b");  // the extension's elements are D22B
        }
    }
}

TEST(ExtendedCtcFrTest, AskingForEn16931OnAnExtendedDocumentRunsTheExtension) {
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    ValidationOptions options;
    options.layers = {"en16931"};
    DocumentValidator validator(registry, options);
    const model::Report report =
        validator.validate(replaced(sample("facture-ubl.xml"), kPlain, kExtended), "ubl");
    ASSERT_NE(layer(report, "extended-ctc-fr"), nullptr);
    EXPECT_EQ(layer(report, "fr"), nullptr);
}

// A wrong sum of line net amounts (BT-106): EN 16931 says BR-CO-10, the extension (which leaves
// out lines that are not of subtype DETAIL) says BR-FREXT-CO-10 and never BR-CO-10.
TEST(ExtendedCtcFrTest, TheExtensionFiresItsOwnRuleWhereItReplacesACenOne) {
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    ValidationOptions options;
    options.layers = {"en16931", "extended-ctc-fr"};
    DocumentValidator validator(registry, options);
    const std::string cii = sample("facture-cii.xml");
    const std::string wrong_sum = replaced(
        cii, "<ram:LineTotalAmount>500.00</ram:LineTotalAmount>\n        <ram:TaxBasisTotalAmount",
        "<ram:LineTotalAmount>510.00</ram:LineTotalAmount>\n        <ram:TaxBasisTotalAmount");
    const model::Report plain = validator.validate(wrong_sum, "plain");
    const auto plain_rules = rules_in(plain, "en16931");
    EXPECT_NE(std::find(plain_rules.begin(), plain_rules.end(), "BR-CO-10"), plain_rules.end());

    const model::Report extended = validator.validate(replaced(wrong_sum, kPlain, kExtended), "extended");
    const auto ext_rules = rules_in(extended, "extended-ctc-fr");
    EXPECT_NE(std::find(ext_rules.begin(), ext_rules.end(), "BR-FREXT-CO-10"), ext_rules.end());
    EXPECT_EQ(std::find(ext_rules.begin(), ext_rules.end(), "BR-CO-10"), ext_rules.end());
    EXPECT_TRUE(rules_in(extended, "en16931").empty());
    EXPECT_EQ(layer(extended, "extended-ctc-fr")->status, model::LayerStatus::kInvalid);
    EXPECT_FALSE(extended.valid());
}

TEST(ExtendedCtcFrTest, FrenchMessagesCoverTheExtensionsOwnRules) {
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    ValidationOptions options;
    options.layers = {"extended-ctc-fr"};
    DocumentValidator validator(registry, options);
    const std::string cii = replaced(sample("facture-cii.xml"), kPlain, kExtended);
    const model::Report report = validator.validate(
        replaced(cii, "<ram:LineTotalAmount>500.00</ram:LineTotalAmount>\n        <ram:TaxBasisTotalAmount",
                 "<ram:LineTotalAmount>510.00</ram:LineTotalAmount>\n        <ram:TaxBasisTotalAmount"),
        "cii");
    const auto it = std::find_if(report.findings.begin(), report.findings.end(),
                                 [](const model::Finding& f) { return f.rule == "BR-FREXT-CO-10"; });
    ASSERT_NE(it, report.findings.end());
    EXPECT_NE(it->message_fr, it->message);  // a translation, not the English text again
    EXPECT_EQ(it->message_fr.find('{'), std::string::npos) << it->message_fr;
}

}  // namespace
}  // namespace facteur::pipeline
