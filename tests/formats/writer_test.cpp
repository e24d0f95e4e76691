// The writers' behaviour on built models: XML escaping and the output limit (binding::XmlWriter),
// the choice of UBL Invoice or CreditNote, and the losses each syntax reports.

#include "facteur/formats/binding/writer.h"

#include <gtest/gtest.h>

#include "facteur/formats/cii/cii_reader.h"
#include "facteur/formats/cii/cii_writer.h"
#include "facteur/formats/ubl/ubl_reader.h"
#include "facteur/formats/ubl/ubl_writer.h"

#include "example_files.h"

namespace facteur::formats {
namespace {

namespace ex = testing::examples;

template <class T>
model::Term<T> term(T value) {
    return model::Value<T>{std::move(value), {}, std::nullopt};
}

model::Term<model::Decimal> amount(std::string_view text) {
    return term(model::parse_decimal(text).value());
}

model::Term<model::Date> date(std::string_view iso) {
    return term(model::parse_date(iso, model::DateFormat::kIso8601).value());
}

// A small invoice with one line and one VAT breakdown.
model::Invoice small_invoice() {
    model::Invoice inv;
    inv.number = term<std::string>("F-1");
    inv.issue_date = date("2024-03-01");
    inv.type_code = term<std::string>("380");
    inv.currency_code = term<std::string>("EUR");
    inv.process_control.specification_identifier = term<std::string>("urn:cen.eu:en16931:2017");
    inv.seller.name = term<std::string>("Seller");
    inv.buyer.name = term<std::string>("Buyer");
    inv.totals.sum_of_line_net_amounts = amount("100.00");
    inv.totals.total_without_vat = amount("100.00");
    inv.totals.total_vat = amount("20.00");
    inv.totals.total_with_vat = amount("120.00");
    inv.totals.amount_due = amount("120.00");
    model::VatBreakdown vat;
    vat.taxable_amount = amount("100.00");
    vat.tax_amount = amount("20.00");
    vat.category_code = term<std::string>("S");
    vat.rate = amount("20");
    inv.vat_breakdown.push_back(vat);
    model::InvoiceLine line;
    line.id = term<std::string>("1");
    line.quantity = amount("2");
    line.quantity_unit_code = term<std::string>("C62");
    line.net_amount = amount("100.00");
    line.price.net_price = amount("50.00");
    line.vat.category_code = term<std::string>("S");
    line.vat.rate = amount("20");
    line.item.name = term<std::string>("Widget");
    inv.lines.push_back(line);
    return inv;
}

model::Invoice read_back(const std::string& xml, bool cii) {
    const auto doc = ex::parse(xml);
    if (!doc) {
        return {};
    }
    auto inv = cii ? cii::read_cii(*doc) : ubl::read_ubl(*doc);
    if (!inv) {
        ADD_FAILURE() << inv.error().message;
        return {};
    }
    return std::move(*inv);
}

std::vector<std::string> loss_paths(const model::Written& written) {
    std::vector<std::string> out;
    for (const model::Loss& l : written.losses) {
        out.push_back(l.term_or_path);
    }
    return out;
}

TEST(XmlWriterTest, EscapesTextAndAttributesSoThatTheyReadBackAsWritten) {
    binding::XmlWriter w(true, 4096);
    const std::string text = "a<b&c>\"d'\r\ne\tf]]>";
    const std::string attribute = "x\"<&>'\n\t\ry";
    w.open_required("r");
    w.leaf("v", text, {{"a", attribute}});
    w.close();
    const auto xml = w.finish();
    ASSERT_TRUE(xml);
    EXPECT_NE(xml->find("a&lt;b&amp;c&gt;\"d'&#13;\ne\tf]]&gt;"), std::string::npos) << *xml;
    EXPECT_NE(xml->find("a=\"x&quot;&lt;&amp;&gt;'&#10;&#9;&#13;y\""), std::string::npos) << *xml;
    const auto doc = ex::parse(*xml);
    ASSERT_TRUE(doc);
    const xml::Node v = doc->root().first_child();
    EXPECT_EQ(v.text(), text);
    EXPECT_EQ(v.attribute("a"), attribute);
}

TEST(XmlWriterTest, LeavesOutOptionalElementsWithNothingInside) {
    binding::XmlWriter w(false, 4096);
    w.open_required("r");
    w.open("empty");
    w.open("nested");
    w.close();
    w.close();
    w.open("kept");
    w.open("inner");
    w.leaf("v", "1");
    w.close();
    w.close();
    w.open_required("required");
    w.close();
    w.leaf("absent-attribute", "x", {{"a", std::nullopt}});
    w.close();
    const auto xml = w.finish();
    ASSERT_TRUE(xml);
    EXPECT_EQ(*xml,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?><r><kept><inner><v>1</v></inner></kept>"
              "<required></required><absent-attribute>x</absent-attribute></r>\n");
}

TEST(XmlWriterTest, ControlCharacterIsInvalidInput) {
    binding::XmlWriter w(true, 4096);
    w.open_required("r");
    w.leaf("v", std::string("a\x01"
                            "b"));
    w.close();
    const auto xml = w.finish();
    ASSERT_FALSE(xml);
    EXPECT_EQ(xml.error().code, core::Errc::kInvalidInput);
}

TEST(XmlWriterTest, OutputLimitHoldsAtTheLimitAndFailsOneByteOver) {
    const auto write = [](std::size_t bytes_max) {
        binding::XmlWriter w(true, bytes_max);
        w.open_required("r");
        w.leaf("v", "value");
        w.close();
        return w.finish();
    };
    const auto unlimited = write(SIZE_MAX);
    ASSERT_TRUE(unlimited);
    const std::size_t size = unlimited->size();
    EXPECT_TRUE(write(size));
    const auto over = write(size - 1);
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, core::Errc::kResourceExhausted);
    model::WriteOptions options;
    options.output_bytes_max = 100;
    const auto cii = cii::write_cii(small_invoice(), options);
    ASSERT_FALSE(cii);
    EXPECT_EQ(cii.error().code, core::Errc::kResourceExhausted);
}

TEST(ConversionUnitTest, MarkupInValuesSurvivesBothSyntaxes) {
    model::Invoice inv = small_invoice();
    inv.seller.name = term<std::string>("Dupont & Fils <SARL> \"l'atelier\"");
    inv.notes.push_back(model::Note{{}, std::nullopt, term<std::string>("line 1\r\nline 2 ]]>")});
    for (const bool cii : {true, false}) {
        const auto written =
            cii ? cii::write_cii(inv, model::WriteOptions{}) : ubl::write_ubl(inv, {});
        ASSERT_TRUE(written);
        EXPECT_TRUE(written->losses.empty());
        const model::Invoice back = read_back(written->xml, cii);
        ASSERT_TRUE(back.seller.name);
        EXPECT_EQ(back.seller.name->value, inv.seller.name->value);
        ASSERT_EQ(back.notes.size(), 1U);
        EXPECT_EQ(back.notes[0].note->value, "line 1\r\nline 2 ]]>");
    }
}

TEST(ConversionUnitTest, DecimalsKeepTheirScaleAndUnparsedValuesTravelAsWritten) {
    model::Invoice inv = small_invoice();
    inv.totals.total_vat = model::Value<model::Decimal>{{}, {}, std::string("20,00")};
    const auto written = cii::write_cii(inv, {});
    ASSERT_TRUE(written);
    EXPECT_NE(written->xml.find("<ram:LineTotalAmount>100.00</ram:LineTotalAmount>"),
              std::string::npos);
    EXPECT_NE(written->xml.find("<ram:RateApplicablePercent>20</ram:RateApplicablePercent>"),
              std::string::npos);
    const model::Invoice back = read_back(written->xml, true);
    ASSERT_TRUE(back.totals.total_vat);
    EXPECT_EQ(back.totals.total_vat->unparsed, std::optional<std::string>("20,00"));
    ASSERT_EQ(back.problems.size(), 1U);
    EXPECT_EQ(back.problems[0].term, "BT-110");
}

TEST(ConversionUnitTest, CreditNoteStaysACreditNoteThroughCii) {
    const auto doc = ex::parse(ex::text_of("ubl/ubl-tc434-creditnote1.xml"));
    ASSERT_TRUE(doc);
    const auto original = ubl::read_ubl(*doc);
    ASSERT_TRUE(original);
    ASSERT_EQ(original->syntax, model::Syntax::kUblCreditNote);
    const auto cii = cii::write_cii(*original, {});
    ASSERT_TRUE(cii);
    const model::Invoice middle = read_back(cii->xml, true);
    EXPECT_EQ(middle.type_code->value, "381");
    const auto ubl = ubl::write_ubl(middle, {});
    ASSERT_TRUE(ubl);
    EXPECT_NE(ubl->xml.find("<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:"
                            "CreditNote-2\""),
              std::string::npos);
    EXPECT_NE(ubl->xml.find("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>"),
              std::string::npos);
    EXPECT_NE(ubl->xml.find("<cac:CreditNoteLine>"), std::string::npos);
    EXPECT_NE(ubl->xml.find("<cbc:CreditedQuantity"), std::string::npos);
    EXPECT_EQ(ubl->xml.find("<cbc:DueDate>"), std::string::npos);
    EXPECT_EQ(read_back(ubl->xml, false).syntax, model::Syntax::kUblCreditNote);
}

TEST(ConversionUnitTest, CreditNoteCarriesDueDateInPaymentMeansAndProjectAsTypedReference) {
    model::Invoice inv = small_invoice();
    inv.type_code = term<std::string>("381");
    inv.payment_due_date = date("2024-04-01");
    inv.project_reference = term<std::string>("PRJ-7");
    inv.payment_instructions.emplace();
    inv.payment_instructions->means_type_code = term<std::string>("30");
    const auto written = ubl::write_ubl(inv, {});
    ASSERT_TRUE(written);
    EXPECT_NE(written->xml.find("<CreditNote "), std::string::npos);
    EXPECT_NE(written->xml.find("<cbc:PaymentDueDate>2024-04-01</cbc:PaymentDueDate>"),
              std::string::npos);
    EXPECT_NE(written->xml.find("<cbc:DocumentTypeCode>50</cbc:DocumentTypeCode>"),
              std::string::npos);
    const model::Invoice back = read_back(written->xml, false);
    EXPECT_EQ(back.payment_due_date->value, inv.payment_due_date->value);
    EXPECT_EQ(back.project_reference->value, "PRJ-7");
}

TEST(ConversionUnitTest, DocumentKindFollowsOptionsAndTypeCode) {
    model::Invoice inv = small_invoice();
    inv.syntax = model::Syntax::kCii;
    EXPECT_NE(ubl::write_ubl(inv, {})->xml.find("<Invoice "), std::string::npos);
    inv.type_code = term<std::string>("381");
    EXPECT_NE(ubl::write_ubl(inv, {})->xml.find("<CreditNote "), std::string::npos);
    model::WriteOptions options;
    options.ubl_document = model::UblDocumentKind::kInvoice;
    EXPECT_NE(ubl::write_ubl(inv, options)->xml.find("<Invoice "), std::string::npos);
    inv.syntax = model::Syntax::kUblInvoice;  // a UBL Invoice with 381 stays an Invoice
    EXPECT_NE(ubl::write_ubl(inv, {})->xml.find("<Invoice "), std::string::npos);
}

TEST(ConversionUnitTest, NoteSubjectCodeIsALossInUbl) {
    model::Invoice inv = small_invoice();
    inv.notes.push_back(
        model::Note{{}, term<std::string>("AAI"), term<std::string>("General information")});
    const auto cen = ubl::write_ubl(inv, {});
    ASSERT_TRUE(cen);
    EXPECT_EQ(loss_paths(*cen), std::vector<std::string>{"BG-1[1]/BT-21"});
    EXPECT_NE(cen->xml.find("<cbc:Note>General information</cbc:Note>"), std::string::npos);
    model::WriteOptions french;
    french.ubl_note_subject = model::UblNoteSubject::kFrenchNotePrefix;
    const auto prefixed = ubl::write_ubl(inv, french);
    ASSERT_TRUE(prefixed);
    EXPECT_EQ(loss_paths(*prefixed), std::vector<std::string>{"BG-1[1]"});
    EXPECT_NE(prefixed->xml.find("<cbc:Note>#AAI#General information</cbc:Note>"),
              std::string::npos);
    const auto cii = cii::write_cii(inv, {});
    ASSERT_TRUE(cii);
    EXPECT_TRUE(cii->losses.empty());
    EXPECT_EQ(read_back(cii->xml, true).notes.at(0).subject_code->value, "AAI");
}

TEST(ConversionUnitTest, UnmappedSourceElementsAreLosses) {
    const std::string xml = ex::text_of("ubl/ubl-tc434-example1.xml");
    model::Invoice inv = read_back(xml, false);
    inv.unmapped.push_back(model::Unmapped{"/Invoice/cbc:UBLVersionID", 3, "2.1"});
    const auto written = cii::write_cii(inv, {});
    ASSERT_TRUE(written);
    ASSERT_FALSE(written->losses.empty());
    EXPECT_EQ(written->losses.back().term_or_path, "/Invoice/cbc:UBLVersionID");
    EXPECT_NE(written->losses.back().message_fr.find("CII"), std::string::npos);
}

TEST(ConversionUnitTest, WhatCiiCannotCarryIsListed) {
    model::Invoice inv = small_invoice();
    inv.preceding_invoices.push_back(model::PrecedingInvoice{{}, term<std::string>("A-1"), {}});
    inv.preceding_invoices.push_back(model::PrecedingInvoice{{}, term<std::string>("A-2"), {}});
    inv.vat_accounting_currency_code = term<std::string>("EUR");
    inv.seller.identifiers.push_back(*term(model::Identifier{"123", "0088", std::nullopt}));
    inv.seller.identifiers.push_back(*term(model::Identifier{"456", std::nullopt, std::nullopt}));
    const auto written = cii::write_cii(inv, {});
    ASSERT_TRUE(written);
    EXPECT_EQ(loss_paths(*written), (std::vector<std::string>{"BG-4/BT-29", "BT-6", "BG-3[2]"}));
    inv.vat_breakdown.clear();
    inv.vat_point_date = date("2024-03-01");
    const auto no_breakdown = cii::write_cii(inv, {});
    ASSERT_TRUE(no_breakdown);
    const auto paths = loss_paths(*no_breakdown);
    EXPECT_NE(std::find(paths.begin(), paths.end(), "BT-7"), paths.end());
}

TEST(ConversionUnitTest, UblDerivesWhatItRequiresAndListsIt) {
    model::Invoice inv = small_invoice();
    inv.totals.total_vat.reset();
    inv.lines[0].price.gross_price = amount("60.00");
    const auto written = ubl::write_ubl(inv, {});
    ASSERT_TRUE(written);
    EXPECT_EQ(loss_paths(*written),
              (std::vector<std::string>{"BG-22/BT-110", "BG-25[1]/BG-29/BT-147"}));
    const model::Invoice back = read_back(written->xml, false);
    EXPECT_EQ(back.totals.total_vat->value, model::parse_decimal("20.00").value());
    EXPECT_EQ(back.lines[0].price.discount->value.to_string(), "10.00");
    EXPECT_EQ(back.lines[0].price.gross_price->value.to_string(), "60.00");
}

TEST(ConversionUnitTest, PaymentTermsWithoutMeansCodeAreLossesInUbl) {
    model::Invoice inv = small_invoice();
    inv.payment_instructions.emplace();
    inv.payment_instructions->remittance_information = term<std::string>("REF-1");
    inv.payment_instructions->credit_transfers.push_back(
        model::CreditTransfer{{}, term<std::string>("FR7630006000011234567890189"), {}, {}});
    const auto ubl = ubl::write_ubl(inv, {});
    ASSERT_TRUE(ubl);
    EXPECT_EQ(loss_paths(*ubl), (std::vector<std::string>{"BG-16/BT-83", "BG-16/BG-17[1]"}));
    const auto cii = cii::write_cii(inv, {});
    ASSERT_TRUE(cii);
    EXPECT_TRUE(cii->losses.empty());
    const model::Invoice back = read_back(cii->xml, true);
    EXPECT_EQ(back.payment_instructions->credit_transfers.at(0).account_id->value,
              "FR7630006000011234567890189");
    EXPECT_NE(cii->xml.find("<ram:IBANID>FR76"), std::string::npos);
}

}  // namespace
}  // namespace facteur::formats
