#include "facteur/validate/xsd_validator.h"

#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/testing/testing.h"
#include "facteur/validate/schema_registry.h"

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

TEST_F(XsdValidatorTest, ScanFindsWhatValidateFindsAndCapturesTheProfile) {
    XsdValidator validator(registry());
    const std::string cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    const std::vector<ElementStep> path = {{cbc, "CustomizationID"}};
    const std::string ubl = sample("facture-ubl.xml");
    const auto scan = validator.scan(ubl, SchemaSet::kUbl21, path);
    ASSERT_TRUE(scan) << scan.error().message;
    EXPECT_TRUE(scan->findings.empty());
    EXPECT_FALSE(scan->unusual);
    EXPECT_EQ(scan->captured, "urn:cen.eu:en16931:2017");
    ASSERT_EQ(scan->namespaces.size(), 3U);
    EXPECT_EQ(scan->namespaces[0].prefix, "");
    EXPECT_EQ(scan->namespaces[0].uri, "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2");
    EXPECT_EQ(scan->namespaces[2].prefix, "cbc");
    EXPECT_EQ(scan->namespaces[2].uri, cbc);

    const std::string invalid =
        replace(ubl, "<cbc:ProfileID>S1</cbc:ProfileID>", "<cbc:Nope>S1</cbc:Nope>");
    const auto scanned = validator.scan(invalid, SchemaSet::kUbl21, path);
    const auto validated = validator.validate(invalid, SchemaSet::kUbl21);
    ASSERT_TRUE(scanned);
    ASSERT_TRUE(validated);
    ASSERT_EQ(scanned->findings.size(), validated->size());
    ASSERT_FALSE(validated->empty());
    for (std::size_t k = 0; k < validated->size(); ++k) {
        EXPECT_EQ(scanned->findings[k].location, (*validated)[k].location);
        EXPECT_EQ(scanned->findings[k].line, (*validated)[k].line);
        EXPECT_EQ(scanned->findings[k].message, (*validated)[k].message);
    }
}

TEST_F(XsdValidatorTest, ScanCapturesTheFirstMatchOnlyWithItsDescendantsText) {
    XsdValidator validator(registry());
    const std::string cii = sample("facture-cii.xml");
    const std::string ram =
        "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
    const std::vector<ElementStep> path = {
        {"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
         "ExchangedDocumentContext"},
        {ram, "GuidelineSpecifiedDocumentContextParameter"},
        {ram, "ID"}};
    // ram:ID is a token, but Xerces' datatype normalisation is off: the text as written.
    const auto scan = validator.scan(
        replace(cii, "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>", "<ram:ID> a \t b </ram:ID>"),
        SchemaSet::kCiiD16b, path);
    ASSERT_TRUE(scan) << scan.error().message;
    EXPECT_TRUE(scan->findings.empty());
    EXPECT_FALSE(scan->unusual);
    EXPECT_EQ(scan->captured, " a \t b ");  // not the BusinessProcess ram:ID met before it
    // In pieces: the scan says so.
    const auto pieces = validator.scan(replace(cii, "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>",
                                               "<ram:ID> a<![CDATA[b]]><!--c-->&lt;d </ram:ID>"),
                                       SchemaSet::kCiiD16b, path);
    ASSERT_TRUE(pieces) << pieces.error().message;
    EXPECT_TRUE(pieces->unusual);
    // The parent: the text of its descendants, in several pieces.
    const auto parent =
        validator.scan(cii, SchemaSet::kCiiD16b, std::span<const ElementStep>(path).first(2));
    ASSERT_TRUE(parent);
    ASSERT_TRUE(parent->captured.has_value());
    EXPECT_NE(parent->captured->find("urn:cen.eu:en16931:2017"), std::string::npos);
    EXPECT_TRUE(parent->unusual);
    const auto none = validator.scan(cii, SchemaSet::kCiiD16b, {});
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->captured.has_value());
}

TEST_F(XsdValidatorTest, ScanFlagsWhatAStricterParserMightRefuse) {
    XsdValidator validator(registry());
    const std::string ubl = sample("facture-ubl.xml");
    const auto unusual = [&](const std::string& bytes) {
        const auto scan = validator.scan(bytes, SchemaSet::kUbl21, {});
        EXPECT_TRUE(scan) << (scan ? "" : scan.error().message);
        return scan && scan->unusual;
    };
    EXPECT_FALSE(unusual(ubl));
    EXPECT_TRUE(unusual(replace(ubl, "version=\"1.0\"", "version=\"1.1\"")));
    const std::string long_name(kPlainNameMax + 1, 'p');
    EXPECT_TRUE(unusual(replace(ubl, "<Invoice ", "<Invoice xmlns:" + long_name + "=\"urn:x\" ")));
    EXPECT_TRUE(unusual(replace(ubl, "?>\n", "?>\n<?" + long_name + " x?>\n")));
    EXPECT_FALSE(unusual(replace(ubl, "?>\n", "?>\n<?" + long_name.substr(1) + " x?>\n")));
    EXPECT_TRUE(unusual(replace(
        ubl, "<Invoice ", "<Invoice xmlns:a=\"urn:x\" xmlns:b=\"urn:x\" a:z=\"1\" b:z=\"2\" ")));
}

}  // namespace
}  // namespace facteur::validate
