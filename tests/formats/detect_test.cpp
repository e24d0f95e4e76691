#include <gtest/gtest.h>

#include "facteur/formats/detect.h"

namespace facteur::formats {
namespace {

TEST(DetectTest, ContainerFromMagicBytes) {
    EXPECT_EQ(detect_container("%PDF-1.7\n..."), Container::kPdf);
    EXPECT_EQ(detect_container(std::string(500, ' ') + "%PDF-1.4"), Container::kPdf);
    EXPECT_EQ(detect_container(std::string("PK\x03\x04", 4) + "zip"), Container::kZip);
    EXPECT_EQ(detect_container("<?xml version=\"1.0\"?><r/>"), Container::kXml);
    EXPECT_EQ(detect_container(""), Container::kXml);
}

TEST(DetectTest, SyntaxFromRootNamespaceAndName) {
    EXPECT_EQ(syntax_of_root(kUblInvoiceNs, "Invoice"), model::Syntax::kUblInvoice);
    EXPECT_EQ(syntax_of_root(kUblCreditNoteNs, "CreditNote"), model::Syntax::kUblCreditNote);
    EXPECT_EQ(syntax_of_root(kCiiNs, "CrossIndustryInvoice"), model::Syntax::kCii);
    EXPECT_EQ(syntax_of_root(kCdarNs, "CrossDomainAcknowledgementAndResponse"), model::Syntax::kCdar);
    EXPECT_EQ(syntax_of_root(kUblInvoiceNs, "CreditNote"), model::Syntax::kUnknown);
    EXPECT_EQ(syntax_of_root("", "Invoice"), model::Syntax::kUnknown);
}

TEST(DetectTest, ProfileFromUblAndCii) {
    const auto ubl = xml::parse(
        "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" "
        "xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">"
        "<cbc:CustomizationID> urn:cen.eu:en16931:2017 </cbc:CustomizationID></Invoice>",
        xml::Limits{});
    ASSERT_TRUE(ubl);
    EXPECT_EQ(profile_of(*ubl, model::Syntax::kUblInvoice), "urn:cen.eu:en16931:2017");
    const auto cii = xml::parse(
        "<rsm:CrossIndustryInvoice xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\" "
        "xmlns:ram=\"urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100\">"
        "<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:factur-x.eu:1p0:basic"
        "</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext></rsm:CrossIndustryInvoice>",
        xml::Limits{});
    ASSERT_TRUE(cii);
    EXPECT_EQ(profile_of(*cii, model::Syntax::kCii), "urn:factur-x.eu:1p0:basic");
    const auto none = xml::parse("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"/>",
                                 xml::Limits{});
    EXPECT_FALSE(profile_of(*none, model::Syntax::kUblInvoice));
}

}  // namespace
}  // namespace facteur::formats
