// The facturx layer: BT-24 to profile, the five official rule sets compile whole, and the BT-24
// code list lookup (document() into the embedded codedb) on a small CII document.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "facteur/rules/facturx/facturx.h"
#include "facteur/xml/document.h"

namespace facteur::rules::facturx {
namespace {

TEST(FacturXProfileTest, GuidelineIdsMapToTheirProfile) {
    EXPECT_EQ(profile_from_guideline("urn:factur-x.eu:1p0:minimum"), Profile::kMinimum);
    EXPECT_EQ(profile_from_guideline("urn:zugferd.de:2p0:minimum"), Profile::kMinimum);
    EXPECT_EQ(profile_from_guideline("urn:factur-x.eu:1p0:basicwl"), Profile::kBasicWl);
    EXPECT_EQ(profile_from_guideline("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic"), Profile::kBasic);
    EXPECT_EQ(profile_from_guideline("urn:cen.eu:en16931:2017#compliant#urn:zugferd.de:2p0:basic"), Profile::kBasic);
    EXPECT_EQ(profile_from_guideline(" urn:cen.eu:en16931:2017\n"), Profile::kEn16931);
    EXPECT_EQ(profile_from_guideline("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended"),
              Profile::kExtended);
    EXPECT_EQ(profile_from_guideline("urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:basic"), Profile::kBasic);
}

TEST(FacturXProfileTest, OtherIdsAreNotFacturXProfiles) {
    EXPECT_EQ(profile_from_guideline(""), std::nullopt);
    EXPECT_EQ(profile_from_guideline("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"),
              std::nullopt);
    EXPECT_EQ(profile_from_guideline("urn:cen.eu:en16931:2017#compliant#urn:xoev-de:kosit:standard:xrechnung_2.1"),
              std::nullopt);
    EXPECT_EQ(profile_from_guideline("urn:ferd:CrossIndustryDocument:invoice:1p0:comfort"), std::nullopt);
    EXPECT_EQ(profile_from_guideline("urn:factur-x.eu:1p0:MINIMUM"), std::nullopt);
    EXPECT_EQ(profile_label(Profile::kBasicWl), "basicwl");
}

// Asserts and reports of each official file (grep -c '<assert' / '<report').
TEST(FacturXRuleSetTest, EveryProfileCompilesWhole) {
    const std::vector<std::pair<Profile, std::size_t>> expected = {
        {Profile::kMinimum, 55 + 11}, {Profile::kBasicWl, 278 + 59}, {Profile::kBasic, 385 + 87},
        {Profile::kEn16931, 433 + 194}, {Profile::kExtended, 943 + 521}};
    for (const auto& [profile, count] : expected) {
        const auto set = rule_set(profile);
        ASSERT_TRUE(set.has_value()) << profile_label(profile) << ": " << set.error().message;
        EXPECT_EQ((*set)->rules().size(), count) << profile_label(profile);
        EXPECT_EQ((*set)->layer(), "facturx");
        EXPECT_EQ((*set)->version(), "1.09.2");
        EXPECT_EQ(rule_set(profile).value(), *set) << "compiled once";
    }
}

std::string invoice(std::string_view bt24) {
    return R"(<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>)" +
           std::string(bt24) + R"(</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument><ram:ID>1</ram:ID><ram:TypeCode>380</ram:TypeCode>
 <ram:IssueDateTime><udt:DateTimeString format="102">20250101</udt:DateTimeString></ram:IssueDateTime>
 </rsm:ExchangedDocument></rsm:CrossIndustryInvoice>)";
}

std::vector<std::string> fatal_rules(Profile profile, const std::string& text) {
    const auto set = rule_set(profile);
    EXPECT_TRUE(set.has_value());
    auto doc = xml::parse(text, xml::Limits{});
    EXPECT_TRUE(doc.has_value());
    std::vector<std::string> out;
    for (const model::Finding& f : (*set)->evaluate(doc->root()).findings) {
        if (f.severity == model::Severity::kFatal) {
            out.push_back(f.rule);
        }
    }
    return out;
}

bool contains(const std::vector<std::string>& v, std::string_view id) {
    return std::find(v.begin(), v.end(), id) != v.end();
}

// FX-SCH-A-000556: BT-24 in the profile's code list 1; FX-SCH-A-000554: @format in list 3.
TEST(FacturXRuleSetTest, CodeListsComeFromTheEmbeddedCodeDb) {
    const auto good = fatal_rules(Profile::kEn16931, invoice("urn:cen.eu:en16931:2017"));
    EXPECT_FALSE(contains(good, "FX-SCH-A-000556"));
    EXPECT_FALSE(contains(good, "FX-SCH-A-000554"));
    EXPECT_FALSE(contains(good, "RULE-EVAL"));
    const auto other = fatal_rules(Profile::kEn16931, invoice("urn:factur-x.eu:1p0:minimum"));
    EXPECT_TRUE(contains(other, "FX-SCH-A-000556"));
    auto bad_format = invoice("urn:cen.eu:en16931:2017");
    bad_format.replace(bad_format.find("format=\"102\""), 12, "format=\"610\"");
    EXPECT_TRUE(contains(fatal_rules(Profile::kEn16931, bad_format), "FX-SCH-A-000554"));
    EXPECT_FALSE(contains(fatal_rules(Profile::kMinimum, invoice("urn:zugferd.de:2p0:minimum")), "RULE-EVAL"));
}

// French: the CEN translations for the CEN ids, templates for FX-SCH-A-*.
TEST(FacturXRuleSetTest, MessagesHaveFrenchTranslations) {
    const auto set = rule_set(Profile::kEn16931);
    ASSERT_TRUE(set.has_value());
    std::size_t with_french = 0;
    for (const RuleInfo& r : (*set)->rules()) {
        with_french += r.message_fr.empty() ? 0 : 1;
        if (r.id == "FX-SCH-A-000556") {
            EXPECT_EQ(r.message, "Value of 'ram:ID' is not allowed.");
            EXPECT_EQ(r.message_fr, "La valeur de 'ram:ID' n'est pas autorisée (liste de codes du profil).");
        }
        if (r.id == "BR-45") {
            EXPECT_TRUE(r.message_fr.starts_with("[BR-45]-")) << r.message_fr;
        }
    }
    EXPECT_GE(with_french, (*set)->rules().size() - 1) << "all but BR-FX-EN-xx style additions";
}

// The files' id-less reports ("not used in the given context") are warnings with a given id.
TEST(FacturXRuleSetTest, NotUsedReportsAreWarnings) {
    const auto set = rule_set(Profile::kEn16931);
    ASSERT_TRUE(set.has_value());
    std::string text = invoice("urn:cen.eu:en16931:2017");
    text.replace(text.find("<ram:ID>1</ram:ID>"), 18, "<ram:ID schemeID=\"x\">1</ram:ID>");
    auto doc = xml::parse(text, xml::Limits{});
    ASSERT_TRUE(doc.has_value());
    std::size_t not_used = 0;
    for (const model::Finding& f : (*set)->evaluate(doc->root()).findings) {
        if (f.rule == kNotUsedRuleId) {
            EXPECT_EQ(f.severity, model::Severity::kWarning);
            ++not_used;
        }
    }
    EXPECT_EQ(not_used, 1U) << "BT-1 @schemeID is not used in EN16931";
}

}  // namespace
}  // namespace facteur::rules::facturx
