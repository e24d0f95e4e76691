#include "facteur/formats/ubl/ubl_reader.h"

#include <gtest/gtest.h>

#include "example_files.h"

namespace facteur::formats::ubl {
namespace {

namespace ex = testing::examples;

constexpr std::string_view kOpen =
    "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" "
    "xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\" "
    "xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">";

std::optional<model::Invoice> read_text(const std::string& bytes) {
    auto doc = ex::parse(bytes);
    if (!doc) {
        return std::nullopt;
    }
    auto invoice = read_ubl(*doc);
    if (!invoice) {
        ADD_FAILURE() << invoice.error().message;
        return std::nullopt;
    }
    return std::move(*invoice);
}

model::Invoice read_fragment(std::string_view body) {
    return read_text(std::string(kOpen) + std::string(body) + "</Invoice>")
        .value_or(model::Invoice{});
}

std::vector<std::string> ubl_examples() {
    std::vector<std::string> files = ex::files_in("ubl");
    for (std::string& f : ex::files_in("testfiles")) {
        files.push_back(std::move(f));
    }
    return files;
}

std::string unmapped_paths(const model::Invoice& invoice) {
    std::string out;
    for (const model::Unmapped& u : invoice.unmapped) {
        out += u.path + "\n";
    }
    return out;
}

// Elements of the examples that the EN 16931 UBL binding gives no term, with why.
const std::map<std::string, std::string>& known_unmapped() {
    static const std::map<std::string, std::string> known = {
        // A line cac:DocumentReference binds BT-128 only with cbc:DocumentTypeCode 130.
        {"ubl/ubl-tc434-example5.xml",
         "/Invoice/cac:InvoiceLine[1]/cac:DocumentReference\n/Invoice/cac:InvoiceLine[2]/"
         "cac:DocumentReference\n"},
        // The UBL version is syntax, not an EN 16931 term (UBL-CR-001 warns about it).
        {"testfiles/CreditNote-Max_content.xml", "/CreditNote/cbc:UBLVersionID\n"},
        {"testfiles/Invoice-Max_content.xml", "/Invoice/cbc:UBLVersionID\n"},
        // A buyer tax scheme "VA" is not the VAT scheme, so it is not BT-48.
        {"testfiles/ubl-tc434-test-1.xml",
         "/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme\n"},
    };
    return known;
}

// What a plain look at the file says, compared with the model.
void expect_direct_look(const std::string& file, const std::string& raw,
                        const model::Invoice& inv) {
    const std::string text = ex::without_comments(raw);
    EXPECT_EQ(inv.number ? inv.number->value : "", ex::element_text(text, "cbc:ID").value_or("?"))
        << file;
    EXPECT_EQ(inv.issue_date ? inv.issue_date->value.to_string() : "",
              ex::element_text(text, "cbc:IssueDate").value_or("?"))
        << file;
    EXPECT_EQ(inv.currency_code ? inv.currency_code->value : "",
              ex::element_text(text, "cbc:DocumentCurrencyCode").value_or("?"))
        << file;
    const std::size_t totals = text.find("<cac:LegalMonetaryTotal>");
    const auto amount = [&](const char* element) {
        return model::parse_decimal(ex::element_text(text, element, totals).value_or("?"));
    };
    EXPECT_EQ(inv.totals.sum_of_line_net_amounts->value, amount("cbc:LineExtensionAmount")) << file;
    EXPECT_EQ(inv.totals.total_without_vat->value, amount("cbc:TaxExclusiveAmount")) << file;
    EXPECT_EQ(inv.totals.total_with_vat->value, amount("cbc:TaxInclusiveAmount")) << file;
    EXPECT_EQ(inv.totals.amount_due->value, amount("cbc:PayableAmount")) << file;
    EXPECT_EQ(
        inv.seller.name ? inv.seller.name->value : "",
        ex::element_text(text, "cbc:RegistrationName", text.find("<cac:AccountingSupplierParty>")))
        << file;
    EXPECT_EQ(inv.lines.size(),
              ex::count(text, "<cac:InvoiceLine>") + ex::count(text, "<cac:CreditNoteLine>"))
        << file;
}

TEST(UblReaderTest, ReadsEveryExampleAsAPlainLookAtItSays) {
    const auto files = ubl_examples();
    ASSERT_EQ(files.size(), 48U);
    for (const std::string& file : files) {
        const std::string raw = ex::text_of(file);
        const auto inv = read_text(raw);
        ASSERT_TRUE(inv) << file;
        EXPECT_TRUE(inv->problems.empty()) << file << ": " << inv->problems.front().message;
        const bool credit_note = raw.find("<CreditNote") != std::string::npos;
        EXPECT_EQ(inv->syntax,
                  credit_note ? model::Syntax::kUblCreditNote : model::Syntax::kUblInvoice)
            << file;
        expect_direct_look(file, raw, *inv);
        const auto known = known_unmapped().find(file);
        EXPECT_EQ(unmapped_paths(*inv), known == known_unmapped().end() ? "" : known->second)
            << file;
    }
}

TEST(UblReaderTest, LineNetAmountsAddUpToBt106WhereTheOfficialVerdictIsValid) {
    const auto verdicts = ex::en16931_verdicts();
    std::size_t checked = 0;
    for (const std::string& file : ubl_examples()) {
        const auto verdict = verdicts.find(file);
        if (verdict == verdicts.end() || !verdict->second) {
            continue;
        }
        const auto inv = read_text(ex::text_of(file));
        ASSERT_TRUE(inv && inv->totals.sum_of_line_net_amounts) << file;
        model::Decimal sum;
        for (const model::InvoiceLine& line : inv->lines) {
            ASSERT_TRUE(line.net_amount && line.net_amount->parsed()) << file;
            sum = model::add(sum, line.net_amount->value).value();
        }
        // BR-CO-10: BT-106 = round(Σ BT-131, 2).
        EXPECT_EQ(inv->totals.sum_of_line_net_amounts->value, ex::round_to_cents(sum)) << file;
        ++checked;
    }
    EXPECT_EQ(checked, 48U);  // every UBL example is valid
}

TEST(UblReaderTest, Example1HasItsValuesAndSources) {
    const auto inv = read_text(ex::text_of("ubl/ubl-tc434-example1.xml"));
    ASSERT_TRUE(inv);
    EXPECT_EQ(inv->number->value, "12115118");
    EXPECT_EQ(inv->number->source.path, "/Invoice/cbc:ID");
    EXPECT_EQ(inv->number->source.line, 16U);
    EXPECT_NE(inv->number->source.node, 0U);  // its element's index in the tree read
    EXPECT_EQ(inv->issue_date->value, (model::Date{2015, 1, 9}));
    EXPECT_EQ(inv->type_code->value, "380");
    EXPECT_EQ(inv->currency_code->value, "EUR");
    EXPECT_EQ(inv->process_control.specification_identifier->value, "urn:cen.eu:en16931:2017");
    EXPECT_EQ(inv->seller.name->value, "De Koksmaat");
    EXPECT_EQ(inv->seller.vat_id->value, "NL8200.98.395.B.01");
    EXPECT_EQ(inv->buyer.identifier->value.id, "10202");
    EXPECT_FALSE(inv->buyer.identifier->value.scheme);
    EXPECT_TRUE(
        model::identical(inv->totals.sum_of_line_net_amounts->value, model::Decimal{22960, 2}));
    EXPECT_EQ(inv->totals.total_vat->value, (model::Decimal{2073, 2}));
    EXPECT_EQ(inv->totals.total_with_vat->value, (model::Decimal{25033, 2}));
    ASSERT_EQ(inv->vat_breakdown.size(), 2U);
    EXPECT_EQ(inv->vat_breakdown[1].rate->value, (model::Decimal{21, 0}));
    EXPECT_EQ(inv->vat_breakdown[1].taxable_amount->source.path,
              "/Invoice/cac:TaxTotal/cac:TaxSubtotal[2]/cbc:TaxableAmount");
    ASSERT_EQ(inv->payment_instructions->credit_transfers.size(), 2U);
    EXPECT_EQ(inv->payment_instructions->credit_transfers[1].account_id->value,
              "NL03 INGB 0004489902");
    ASSERT_EQ(inv->lines.size(), 20U);
    const model::InvoiceLine& line = inv->lines[1];
    EXPECT_EQ(line.id->value, "2");
    EXPECT_EQ(line.id->source.path, "/Invoice/cac:InvoiceLine[2]/cbc:ID");
    EXPECT_EQ(line.quantity_unit_code->value, "EA");
    EXPECT_EQ(line.quantity_unit_code->source.path,
              "/Invoice/cac:InvoiceLine[2]/cbc:InvoicedQuantity/@unitCode");
    EXPECT_EQ(line.item.name->value, "PKAAS 50PL. JONG BEL. 1KG");
    EXPECT_EQ(line.vat.category_code->value, "S");
    EXPECT_EQ(line.price.net_price->value, (model::Decimal{985, 2}));
}

TEST(UblReaderTest, CreditNoteUsesItsOwnElements) {
    const auto inv = read_text(ex::text_of("testfiles/CreditNote-Max_content.xml"));
    ASSERT_TRUE(inv);
    EXPECT_EQ(inv->syntax, model::Syntax::kUblCreditNote);
    ASSERT_TRUE(inv->type_code);
    EXPECT_EQ(inv->type_code->source.path, "/CreditNote/cbc:CreditNoteTypeCode");
    ASSERT_FALSE(inv->lines.empty());
    EXPECT_TRUE(inv->lines[0].quantity->source.path.ends_with("/cbc:CreditedQuantity"));
    // A credit note has no cac:ProjectReference: BT-11 is a document reference of type 50.
    ASSERT_TRUE(inv->project_reference);
    EXPECT_EQ(inv->project_reference->value, "11111111");
}

TEST(UblReaderTest, MaxContentMapsEveryTerm) {
    const auto inv = read_text(ex::text_of("testfiles/Invoice-Max_content.xml"));
    ASSERT_TRUE(inv);
    EXPECT_EQ(inv->seller.identifiers.size(), 2U);
    EXPECT_EQ(inv->seller.identifiers[0].value.scheme, "0088");
    EXPECT_EQ(inv->seller.tax_registration_id->value, "Godkänd för F-skatt");
    EXPECT_EQ(inv->totals.total_vat->value, (model::Decimal{2500, 0}));
    EXPECT_EQ(inv->totals.total_vat_in_accounting_currency->value, (model::Decimal{249, 0}));
    EXPECT_EQ(inv->invoiced_object_id->value.scheme, "VT");
    EXPECT_EQ(inv->delivery->invoicing_period->start_date->value, (model::Date{2018, 2, 1}));
    EXPECT_EQ(inv->additional_documents.size(), 3U);
    EXPECT_EQ(inv->additional_documents[1].attachment->value.filename, "testfilnamn.abc");
    const model::InvoiceLine& line = inv->lines[0];
    EXPECT_EQ(line.price.discount->value, (model::Decimal{50, 2}));
    EXPECT_EQ(line.price.gross_price->value, (model::Decimal{2050, 2}));
    EXPECT_EQ(line.item.classification_ids[0].value.scheme_version, "1.0");
    EXPECT_EQ(line.allowances.size(), 1U);
    EXPECT_EQ(line.charges.size(), 1U);
    EXPECT_EQ(line.item.attributes[1].value->value, "2.33");
}

TEST(UblReaderTest, ReadsCardAndDirectDebitPayments) {
    const model::Invoice inv = read_fragment(
        "<cac:AccountingSupplierParty><cac:Party>"
        "<cac:PartyIdentification><cbc:ID "
        "schemeID=\"SEPA\">DE98ZZZ09999999999</cbc:ID></cac:PartyIdentification>"
        "<cac:PartyIdentification><cbc:ID>S-1</cbc:ID></cac:PartyIdentification>"
        "</cac:Party></cac:AccountingSupplierParty>"
        "<cac:PaymentMeans><cbc:PaymentMeansCode name=\"Card\">54</cbc:PaymentMeansCode>"
        "<cac:CardAccount><cbc:PrimaryAccountNumberID>1234</cbc:PrimaryAccountNumberID>"
        "<cbc:NetworkID>VISA</cbc:NetworkID><cbc:HolderName>J "
        "Doe</cbc:HolderName></cac:CardAccount></cac:PaymentMeans>"
        "<cac:PaymentMeans><cbc:PaymentMeansCode>59</"
        "cbc:PaymentMeansCode><cac:PaymentMandate><cbc:ID>M-1</cbc:ID>"
        "<cac:PayerFinancialAccount><cbc:ID>DE02</cbc:ID></cac:PayerFinancialAccount></"
        "cac:PaymentMandate>"
        "</cac:PaymentMeans>");
    ASSERT_TRUE(inv.payment_instructions);
    const model::PaymentInstructions& p = *inv.payment_instructions;
    EXPECT_EQ(p.means_type_code->value, "54");
    EXPECT_EQ(p.means_text->value, "Card");
    EXPECT_EQ(p.means_text->source.path, "/Invoice/cac:PaymentMeans[1]/cbc:PaymentMeansCode/@name");
    ASSERT_TRUE(p.card);
    EXPECT_EQ(p.card->primary_account_number->value, "1234");
    EXPECT_EQ(p.card->holder_name->value, "J Doe");
    ASSERT_TRUE(p.direct_debit);
    EXPECT_EQ(p.direct_debit->mandate_reference->value, "M-1");
    EXPECT_EQ(p.direct_debit->debited_account_id->value, "DE02");
    // EN 16931-3-2: a seller identifier with scheme SEPA is the Bank assigned creditor identifier.
    EXPECT_EQ(p.direct_debit->creditor_id->value, "DE98ZZZ09999999999");
    ASSERT_EQ(inv.seller.identifiers.size(), 1U);
    EXPECT_EQ(inv.seller.identifiers[0].value.id, "S-1");
    // One BG-16 per invoice: the second means' different code has no term; NetworkID none.
    EXPECT_EQ(unmapped_paths(inv),
              "/Invoice/cac:PaymentMeans[1]/cac:CardAccount/cbc:NetworkID\n"
              "/Invoice/cac:PaymentMeans[2]/cbc:PaymentMeansCode\n");
}

TEST(UblReaderTest, FragmentWithOnlyAnIdGivesAMostlyEmptyModel) {
    const model::Invoice inv = read_fragment("<cbc:ID>F-1</cbc:ID>");
    ASSERT_TRUE(inv.number);
    EXPECT_EQ(inv.number->value, "F-1");
    EXPECT_FALSE(inv.issue_date);
    EXPECT_FALSE(inv.totals.sum_of_line_net_amounts);
    EXPECT_TRUE(inv.lines.empty());
    EXPECT_TRUE(inv.problems.empty());
    EXPECT_TRUE(inv.unmapped.empty());
}

TEST(UblReaderTest, EmptyRootGivesAnEmptyModel) {
    const model::Invoice inv = read_fragment("");
    EXPECT_EQ(inv.syntax, model::Syntax::kUblInvoice);
    EXPECT_TRUE(model::flatten(inv).empty());
    EXPECT_TRUE(inv.problems.empty());
}

TEST(UblReaderTest, BadValuesKeepTheirTextAndBecomeProblems) {
    const model::Invoice inv = read_fragment(
        "<cbc:IssueDate>2023-02-30</cbc:IssueDate>"
        "<cac:AllowanceCharge><cbc:ChargeIndicator>maybe</cbc:ChargeIndicator>"
        "<cbc:Amount currencyID=\"EUR\">1</cbc:Amount></cac:AllowanceCharge>"
        "<cac:LegalMonetaryTotal><cbc:LineExtensionAmount "
        "currencyID=\"EUR\">12,50</cbc:LineExtensionAmount>"
        "<cbc:PayableAmount currencyID=\"EUR\">99999999999999999999</cbc:PayableAmount>"
        "<cbc:TaxExclusiveAmount/></cac:LegalMonetaryTotal>"
        "<cac:InvoiceLine><cbc:InvoicedQuantity "
        "unitCode=\"C62\">lots</cbc:InvoicedQuantity></cac:InvoiceLine>");
    ASSERT_TRUE(inv.issue_date);
    EXPECT_FALSE(inv.issue_date->parsed());
    EXPECT_EQ(inv.issue_date->unparsed, "2023-02-30");
    ASSERT_TRUE(inv.totals.sum_of_line_net_amounts);
    EXPECT_EQ(inv.totals.sum_of_line_net_amounts->unparsed, "12,50");
    EXPECT_EQ(inv.totals.amount_due->unparsed, "99999999999999999999");
    EXPECT_EQ(inv.totals.total_without_vat->unparsed, "");  // present but empty
    EXPECT_EQ(inv.lines.at(0).quantity->unparsed, "lots");
    EXPECT_EQ(inv.lines.at(0).quantity_unit_code->value, "C62");
    EXPECT_TRUE(inv.allowances.empty());
    EXPECT_TRUE(inv.charges.empty());
    std::vector<std::string> terms;
    for (const model::Problem& p : inv.problems) {
        terms.push_back(p.term);
        EXPECT_GT(p.line, 0U);
        EXPECT_FALSE(p.path.empty());
    }
    EXPECT_EQ(terms,
              (std::vector<std::string>{"BT-2", "BG-20", "BT-106", "BT-109", "BT-115", "BT-129"}));
    // The allowance that is neither an allowance nor a charge is a loss, reported as such.
    EXPECT_EQ(unmapped_paths(inv), "/Invoice/cac:AllowanceCharge\n");
}

TEST(UblReaderTest, ReportsUnmappedElementsOncePerSubtree) {
    const model::Invoice inv = read_fragment(
        "<cbc:UBLVersionID>2.1</cbc:UBLVersionID><cbc:ID>X</cbc:ID>"
        "<cac:Signature><cbc:ID>S</cbc:ID><cac:SignatoryParty><cbc:Name>n</cbc:Name></"
        "cac:SignatoryParty></cac:Signature>"
        "<cac:AccountingSupplierParty><cac:Party><cac:PartyLegalEntity><cbc:RegistrationName>R</"
        "cbc:RegistrationName>"
        "<cbc:CompanyLegalFormCode>SA</cbc:CompanyLegalFormCode></cac:PartyLegalEntity>"
        "<cac:PostalAddress/></cac:Party></cac:AccountingSupplierParty>"
        "<foreign xmlns=\"urn:example\"><a>1</a></foreign>");
    EXPECT_EQ(unmapped_paths(inv),
              "/Invoice/cbc:UBLVersionID\n/Invoice/cac:Signature\n"
              "/Invoice/cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/"
              "cbc:CompanyLegalFormCode\n"
              "/Invoice/foreign\n");
    ASSERT_EQ(inv.unmapped.size(), 4U);
    EXPECT_EQ(inv.unmapped[1].text, "Sn");  // the text content, as XPath string() gives it
    EXPECT_EQ(inv.seller.name->value, "R");
    EXPECT_TRUE(inv.seller.postal_address);  // present, empty: BR-08 sees it
}

TEST(UblReaderTest, NumbersInterleavedSameNamedUnmappedSiblings) {
    const model::Invoice inv = read_fragment(
        "<cbc:UBLVersionID>2.1</cbc:UBLVersionID><cbc:ID>X</cbc:ID>"
        "<cbc:UBLVersionID>a<!-- split -->b</cbc:UBLVersionID>"
        "<x:UBLVersionID xmlns:x=\"urn:example\">c</x:UBLVersionID>"
        "<cbc:UBLVersionID/>");
    // Siblings are counted by namespace and local name, wherever they stand.
    EXPECT_EQ(unmapped_paths(inv),
              "/Invoice/cbc:UBLVersionID[1]\n/Invoice/cbc:UBLVersionID[2]\n"
              "/Invoice/x:UBLVersionID\n/Invoice/cbc:UBLVersionID[3]\n");
    ASSERT_EQ(inv.unmapped.size(), 4U);
    EXPECT_EQ(inv.unmapped[0].text, "2.1");
    EXPECT_EQ(inv.unmapped[1].text, "ab");  // the text on both sides of the comment
    EXPECT_EQ(inv.unmapped[2].text, "c");
    EXPECT_EQ(inv.unmapped[3].text, "");
    EXPECT_EQ(inv.number->value, "X");
}

TEST(UblReaderTest, UnmappedTextIsBounded) {
    const model::Invoice inv =
        read_fragment("<cbc:UBLVersionID>" + std::string(10000, 'x') + "é</cbc:UBLVersionID>");
    ASSERT_EQ(inv.unmapped.size(), 1U);
    EXPECT_EQ(inv.unmapped[0].text.size(), model::kUnmappedTextBytesMax);
    const model::Invoice cut =
        read_fragment("<cbc:UBLVersionID>" + std::string(model::kUnmappedTextBytesMax - 1, 'x')
                      + "é</cbc:UBLVersionID>");
    EXPECT_EQ(cut.unmapped.at(0).text.size(),
              model::kUnmappedTextBytesMax - 1);  // never half a character
}

TEST(UblReaderTest, APriceChargeIsNotADiscount) {
    const model::Invoice inv = read_fragment(
        "<cac:InvoiceLine><cac:Price><cbc:PriceAmount currencyID=\"EUR\">10</cbc:PriceAmount>"
        "<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator>"
        "<cbc:Amount "
        "currencyID=\"EUR\">1</cbc:Amount></cac:AllowanceCharge></cac:Price></cac:InvoiceLine>");
    ASSERT_EQ(inv.lines.size(), 1U);
    EXPECT_FALSE(inv.lines[0].price.discount);
    EXPECT_EQ(unmapped_paths(inv), "/Invoice/cac:InvoiceLine/cac:Price/cac:AllowanceCharge\n");
}

TEST(UblReaderTest, RefusesAnotherRootButNeverThrows) {
    const auto doc = ex::parse(
        "<CrossIndustryInvoice "
        "xmlns=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\"/>");
    ASSERT_TRUE(doc);
    const auto inv = read_ubl(*doc);
    ASSERT_FALSE(inv);
    EXPECT_EQ(inv.error().code, core::Errc::kInvalidInput);
    EXPECT_EQ(inv.error().id, "UBL-ROOT");
    const auto wrong_ns = ex::parse("<Invoice xmlns=\"urn:example\"><ID>1</ID></Invoice>");
    ASSERT_TRUE(wrong_ns);
    EXPECT_FALSE(read_ubl(*wrong_ns));
}

TEST(UblReaderTest, ElementsInUnexpectedPlacesDoNotConfuseTheReader) {
    // Leaves with children, aggregates with text, repeated singletons, deep unknown nesting.
    std::string deep;
    for (int i = 0; i < 100; ++i) {
        deep += "<cac:Party>";
    }
    deep += "x";
    for (int i = 0; i < 100; ++i) {
        deep += "</cac:Party>";
    }
    const model::Invoice inv = read_fragment(
        "<cbc:ID>A<cbc:ID>B</cbc:ID></cbc:ID><cbc:ID>C</cbc:ID>"
        "<cac:LegalMonetaryTotal>text<cbc:LineExtensionAmount>1</cbc:LineExtensionAmount>"
        "<cbc:LineExtensionAmount>2</cbc:LineExtensionAmount></cac:LegalMonetaryTotal>"
        "<cac:AccountingSupplierParty>" + deep + "</cac:AccountingSupplierParty>"
        "<cac:InvoiceLine/><cac:InvoiceLine><cac:Item><cac:ClassifiedTaxCategory/></cac:Item></cac:InvoiceLine>");
    EXPECT_EQ(inv.number->value, "AB");
    EXPECT_EQ(inv.number->source.path, "/Invoice/cbc:ID[1]");
    EXPECT_EQ(inv.totals.sum_of_line_net_amounts->value, (model::Decimal{1, 0}));
    EXPECT_EQ(inv.lines.size(), 2U);
    EXPECT_EQ(unmapped_paths(inv),
              "/Invoice/cbc:ID[2]\n/Invoice/cac:LegalMonetaryTotal/cbc:LineExtensionAmount[2]\n"
              "/Invoice/cac:AccountingSupplierParty/cac:Party/cac:Party\n");
}

}  // namespace
}  // namespace facteur::formats::ubl
