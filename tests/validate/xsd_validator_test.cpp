#include <gtest/gtest.h>

#include <string>

#include "facteur/testing/testing.h"
#include "facteur/validate/schema_registry.h"
#include "facteur/validate/xsd_validator.h"

namespace facteur::validate {
namespace {

class XsdValidatorTest : public ::testing::Test {
protected:
    static SchemaRegistry& registry() {
        static SchemaRegistry instance(SchemaRegistryConfig{testing::schema_dir()});
        return instance;
    }

    static std::string sample(const std::string& name) {
        return testing::read(testing::fixtures_dir() / "samples" / name);
    }

    static std::string replace(std::string s, const std::string& from, const std::string& to) {
        const std::size_t at = s.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return at == std::string::npos ? s : s.replace(at, from.size(), to);
    }
};

TEST_F(XsdValidatorTest, ValidSamplesHaveNoFinding) {
    XsdValidator validator(registry());
    const auto ubl = validator.validate(sample("facture-ubl.xml"), SchemaSet::kUbl21);
    ASSERT_TRUE(ubl) << ubl.error().message;
    EXPECT_TRUE(ubl->empty());
    const auto cii = validator.validate(sample("facture-cii.xml"), SchemaSet::kCiiD16b);
    ASSERT_TRUE(cii) << cii.error().message;
    EXPECT_TRUE(cii->empty());
}

TEST_F(XsdValidatorTest, ViolationPointsAtLineAndElementPath) {
    XsdValidator validator(registry());
    const std::string doc = replace(sample("facture-ubl.xml"), "<cbc:ID>2</cbc:ID>", "<cbc:Bogus>2</cbc:Bogus>");
    const auto findings = validator.validate(doc, SchemaSet::kUbl21);
    ASSERT_TRUE(findings);
    ASSERT_FALSE(findings->empty());
    const model::Finding& f = findings->front();
    EXPECT_EQ(f.rule, "XSD");
    EXPECT_EQ(f.layer, "xsd");
    EXPECT_EQ(f.severity, model::Severity::kFatal);
    EXPECT_EQ(f.location, "/Invoice/cac:InvoiceLine[2]");
    EXPECT_GT(f.line, 100U);
    EXPECT_NE(f.message.find("Bogus"), std::string::npos) << f.message;
    EXPECT_NE(f.message_fr.find("schéma"), std::string::npos);
}

TEST_F(XsdValidatorTest, DatatypeErrorIsReportedOnTheElement) {
    XsdValidator validator(registry());
    const std::string doc = replace(sample("facture-ubl.xml"), "<cbc:IssueDate>2026-11-20", "<cbc:IssueDate>2026-02-30");
    const auto findings = validator.validate(doc, SchemaSet::kUbl21);
    ASSERT_TRUE(findings);
    ASSERT_FALSE(findings->empty());
    EXPECT_EQ(findings->front().location, "/Invoice/cbc:IssueDate");
}

TEST_F(XsdValidatorTest, MalformedSchemaLocationHintIsIgnoredButValidationGoesOn) {
    XsdValidator validator(registry());
    std::string doc = replace(sample("facture-cii.xml"), "xmlns:qdt=",
                              "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                              "xsi:schemaLocation=\"urn:only-one-uri\" xmlns:qdt=");
    const auto ok = validator.validate(doc, SchemaSet::kCiiD16b);
    ASSERT_TRUE(ok);
    EXPECT_TRUE(ok->empty());
    doc = replace(doc, "<ram:TypeCode>380</ram:TypeCode>", "<ram:TypeCode>380</ram:TypeCode><ram:TypeCode>380</ram:TypeCode>");
    const auto bad = validator.validate(doc, SchemaSet::kCiiD16b);
    ASSERT_TRUE(bad);
    EXPECT_FALSE(bad->empty()) << "a hint must never stop validation";
}

TEST_F(XsdValidatorTest, RemoteSchemaLocationIsNeverLoaded) {
    XsdValidator validator(registry());
    const std::string doc = replace(
        sample("facture-ubl.xml"), "xmlns:cac=",
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:evil "
        "http://127.0.0.1:9/evil.xsd urn:oasis:names:specification:ubl:schema:xsd:Invoice-2 "
        "http://127.0.0.1:9/UBL-Invoice-2.1.xsd\" xmlns:cac=");
    const auto findings = validator.validate(doc, SchemaSet::kUbl21);
    ASSERT_TRUE(findings);
    EXPECT_TRUE(findings->empty()) << findings->front().message;
}

TEST_F(XsdValidatorTest, WrongRootForTheSetIsAViolation) {
    XsdValidator validator(registry());
    const auto findings = validator.validate(sample("facture-cii.xml"), SchemaSet::kUbl21);
    ASSERT_TRUE(findings);
    EXPECT_FALSE(findings->empty());
}

TEST_F(XsdValidatorTest, FindingsAreCappedWithACountOfTheRest) {
    XsdValidator validator(registry(), XsdValidatorConfig{.findings_max = 3});
    std::string lines;
    for (int k = 0; k < 20; ++k) {
        lines += "<cbc:Bogus>x</cbc:Bogus>";
    }
    const std::string doc = replace(sample("facture-ubl.xml"), "<cbc:ID>FA-2026-000123</cbc:ID>",
                                    "<cbc:ID>FA-2026-000123</cbc:ID>" + lines);
    const auto findings = validator.validate(doc, SchemaSet::kUbl21);
    ASSERT_TRUE(findings);
    ASSERT_EQ(findings->size(), 4U);
    EXPECT_EQ(findings->back().rule, "XSD-MORE");
    EXPECT_EQ(findings->back().severity, model::Severity::kInfo);
}

TEST_F(XsdValidatorTest, ReusedValidatorGivesTheSameAnswerEveryTime) {
    XsdValidator validator(registry());
    const std::string bad = replace(sample("facture-ubl.xml"), "<cbc:ID>2</cbc:ID>", "");
    for (int k = 0; k < 3; ++k) {
        EXPECT_TRUE(validator.validate(sample("facture-ubl.xml"), SchemaSet::kUbl21)->empty());
        EXPECT_FALSE(validator.validate(bad, SchemaSet::kUbl21)->empty());
    }
}

TEST_F(XsdValidatorTest, CdarAndD22bSetsLoad) {
    XsdValidator validator(registry());
    const auto d22b = validator.validate(sample("facture-cii.xml"), SchemaSet::kCiiD22b);
    ASSERT_TRUE(d22b) << d22b.error().message;
    for (const SchemaSet set : {SchemaSet::kCdarD22b, SchemaSet::kFacturXMinimum, SchemaSet::kFacturXBasicWl,
                                SchemaSet::kFacturXBasic, SchemaSet::kFacturXEn16931,
                                SchemaSet::kFacturXExtended}) {
        EXPECT_TRUE(registry().pool(set)) << schema_set_label(set);
    }
}

}  // namespace
}  // namespace facteur::validate
