#pragma once

// The EN 16931-1:2017 semantic model of an invoice: every business group (BG-1..BG-32) and
// business term (BT-1..BT-165) as a C++ member named after the term, with its id in a comment.
// Both syntax bindings (formats/ubl, formats/cii) read into it; conversions, the archive's
// metadata and facteur's own rules (legal mentions) work on it, so they cover UBL, CII and
// Factur-X alike. The official rule sets run on the syntax itself (docs/adr/0002).
//
// Shape, and why:
// - A gateway reads what was sent, compliant or not, so every single-valued term is a Term<T>
//   (std::optional<Value<T>>) whatever its cardinality: a missing mandatory term is absent, not
//   a zero or an empty string that a rule could mistake for a value. Cardinalities live in the
//   catalogue (terms.h) and BR-01..BR-16 judge them. Repeated terms and groups are vectors.
// - Groups always present in a valid invoice (BG-2, BG-4, BG-7, BG-22, and BG-29/30/31 of a
//   line) are plain structs; every other group is optional or a vector. Each group remembers
//   the element that carries it (`source`; an empty path when none was found, or when the
//   syntax spreads the group over several elements, as UBL does for BG-2) so that a rule on a
//   group (BR-08: seller postal address present) can point at it.
// - Text terms are kept as written; codes, identifiers and document references without their
//   surrounding whitespace (what the Schematron's normalize-space() compares).
// - Every value remembers where it came from (Source) and keeps the source text when it could
//   not be read (Value::unparsed), with a Problem recorded in Invoice::problems.
// - Amounts, prices, quantities and percentages are exact Decimals; no floating point.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/model/date.h"
#include "facteur/model/decimal.h"
#include "facteur/model/report.h"

namespace facteur::model {

/// Semantic data types of EN 16931-1 §6, as C++ types. The aliases document intent only.
using Text = std::string;               ///< "Text"
using Code = std::string;               ///< "Code", surrounding whitespace removed
using DocumentReference = std::string;  ///< "Document Reference", surrounding whitespace removed
using Amount = Decimal;                 ///< "Amount" (in the invoice currency, BT-5, unless noted)
using UnitPriceAmount = Decimal;        ///< "Unit Price Amount"
using Quantity = Decimal;               ///< "Quantity"
using Percentage = Decimal;             ///< "Percentage": 25 means 25 %

/// An "Identifier" with its identification scheme identifier (the BT-xx-1 terms) and, for the
/// item classification (BT-158-2), the scheme version. Identifiers without a scheme term are
/// plain std::string. Surrounding whitespace is removed from all three. The scheme shares the
/// identifier's Source (it is an attribute of the element, or in CII for BT-18-1 and BT-128-1 the
/// sibling ram:ReferenceTypeCode).
struct Identifier {
    std::string id;
    std::optional<std::string> scheme;          ///< BT-xx-1; absent when the source has none
    std::optional<std::string> scheme_version;  ///< BT-158-2 only

    friend bool operator==(const Identifier&, const Identifier&) = default;
};

/// "Binary object" (BT-125): the content as written (base64 in both syntaxes, not decoded) with
/// its MIME code (BT-125-1) and file name (BT-125-2).
struct BinaryObject {
    std::string content;
    std::optional<std::string> mime_code;  ///< BT-125-1
    std::optional<std::string> filename;   ///< BT-125-2

    friend bool operator==(const BinaryObject&, const BinaryObject&) = default;
};

/// Where a value was read: the element's path, in the form of xml::Tree::path (prefixes as
/// written, sibling positions when an element has same-named siblings), e.g.
/// "/Invoice/cac:InvoiceLine[2]/cbc:ID" or ".../cbc:InvoicedQuantity/@unitCode", and the 1-based
/// line of its start tag. An empty path means "not read from a document", unless `node` is set.
struct Source {
    std::string path;
    std::uint32_t line = 0;
    /// The element's index in the xml::Tree it was read from (0: none). A reader asked not to
    /// spell paths (formats::binding::ReadOptions::paths) leaves `path` empty and sets this:
    /// xml::Tree::path(node) spells it.
    std::uint32_t node = 0;

    friend bool operator==(const Source&, const Source&) = default;
};

/// One value of a business term and where it came from.
template <class T>
struct Value {
    T value{};
    Source source;
    /// Present (possibly empty) when the source text could not be read as T: it holds that text,
    /// `value` is then T{} and a Problem names the term. Never set for Text, Code and identifiers.
    std::optional<std::string> unparsed;

    [[nodiscard]] bool parsed() const noexcept { return !unparsed.has_value(); }
};

/// A single-valued business term: absent, or its value.
template <class T>
using Term = std::optional<Value<T>>;

/// A repeatable business term (BT-29, BT-158).
template <class T>
using Terms = std::vector<Value<T>>;

/// BG-1 INVOICE NOTE.
struct Note {
    Source source;
    Term<Code> subject_code;  ///< BT-21 Invoice note subject code
    Term<Text> note;          ///< BT-22 Invoice note
};

/// BG-2 PROCESS CONTROL.
struct ProcessControl {
    Source source;
    Term<Text> business_process_type;            ///< BT-23 Business process type
    Term<std::string> specification_identifier;  ///< BT-24 Specification identifier
};

/// BG-3 PRECEDING INVOICE REFERENCE.
struct PrecedingInvoice {
    Source source;
    Term<DocumentReference> reference;  ///< BT-25 Preceding Invoice reference
    Term<Date> issue_date;              ///< BT-26 Preceding Invoice issue date
};

/// BG-5 SELLER POSTAL ADDRESS, BG-8 BUYER POSTAL ADDRESS, BG-12 SELLER TAX REPRESENTATIVE POSTAL
/// ADDRESS and BG-15 DELIVER TO ADDRESS share this shape; the term ids are per group:
/// BG-5: BT-35, 36, 162, 37, 38, 39, 40; BG-8: BT-50, 51, 163, 52, 53, 54, 55;
/// BG-12: BT-64, 65, 164, 66, 67, 68, 69; BG-15: BT-75, 76, 165, 77, 78, 79, 80.
struct PostalAddress {
    Source source;
    Term<Text> line_1;               ///< BT-35 / BT-50 / BT-64 / BT-75 Address line 1
    Term<Text> line_2;               ///< BT-36 / BT-51 / BT-65 / BT-76 Address line 2
    Term<Text> line_3;               ///< BT-162 / BT-163 / BT-164 / BT-165 Address line 3
    Term<Text> city;                 ///< BT-37 / BT-52 / BT-66 / BT-77 City
    Term<Text> post_code;            ///< BT-38 / BT-53 / BT-67 / BT-78 Post code
    Term<Text> country_subdivision;  ///< BT-39 / BT-54 / BT-68 / BT-79 Country subdivision
    Term<Code> country_code;         ///< BT-40 / BT-55 / BT-69 / BT-80 Country code
};

/// BG-6 SELLER CONTACT and BG-9 BUYER CONTACT.
struct Contact {
    Source source;
    Term<Text> point;      ///< BT-41 / BT-56 contact point
    Term<Text> telephone;  ///< BT-42 / BT-57 contact telephone number
    Term<Text> email;      ///< BT-43 / BT-58 contact email address
};

/// BG-4 SELLER.
struct Seller {
    Source source;
    Term<Text> name;                              ///< BT-27 Seller name
    Term<Text> trading_name;                      ///< BT-28 Seller trading name
    Terms<Identifier> identifiers;                ///< BT-29 Seller identifier (+ BT-29-1)
    Term<Identifier> legal_registration_id;       ///< BT-30 (+ BT-30-1)
    Term<std::string> vat_id;                     ///< BT-31 Seller VAT identifier
    Term<std::string> tax_registration_id;        ///< BT-32 Seller tax registration identifier
    Term<Text> additional_legal_information;      ///< BT-33 Seller additional legal information
    Term<Identifier> electronic_address;          ///< BT-34 Seller electronic address (+ BT-34-1)
    std::optional<PostalAddress> postal_address;  ///< BG-5
    std::optional<Contact> contact;               ///< BG-6
};

/// BG-7 BUYER.
struct Buyer {
    Source source;
    Term<Text> name;                              ///< BT-44 Buyer name
    Term<Text> trading_name;                      ///< BT-45 Buyer trading name
    Term<Identifier> identifier;                  ///< BT-46 Buyer identifier (+ BT-46-1)
    Term<Identifier> legal_registration_id;       ///< BT-47 (+ BT-47-1)
    Term<std::string> vat_id;                     ///< BT-48 Buyer VAT identifier
    Term<Identifier> electronic_address;          ///< BT-49 Buyer electronic address (+ BT-49-1)
    std::optional<PostalAddress> postal_address;  ///< BG-8
    std::optional<Contact> contact;               ///< BG-9
};

/// BG-10 PAYEE.
struct Payee {
    Source source;
    Term<Text> name;                         ///< BT-59 Payee name
    Term<Identifier> identifier;             ///< BT-60 Payee identifier (+ BT-60-1)
    Term<Identifier> legal_registration_id;  ///< BT-61 (+ BT-61-1)
};

/// BG-11 SELLER TAX REPRESENTATIVE PARTY.
struct SellerTaxRepresentative {
    Source source;
    Term<Text> name;           ///< BT-62 Seller tax representative name
    Term<std::string> vat_id;  ///< BT-63 Seller tax representative VAT identifier
    std::optional<PostalAddress> postal_address;  ///< BG-12
};

/// BG-14 INVOICING PERIOD and BG-26 INVOICE LINE PERIOD.
struct Period {
    Source source;
    Term<Date> start_date;  ///< BT-73 / BT-134 period start date
    Term<Date> end_date;    ///< BT-74 / BT-135 period end date
};

/// BG-13 DELIVERY INFORMATION. EN 16931-1 places BG-14 INVOICING PERIOD inside it although
/// neither syntax does (UBL cac:InvoicePeriod, CII ram:BillingSpecifiedPeriod); `source` is the
/// delivery element, and the period keeps its own.
struct Delivery {
    Source source;
    Term<Text> deliver_to_party_name;                 ///< BT-70 Deliver to party name
    Term<Identifier> deliver_to_location_id;          ///< BT-71 (+ BT-71-1)
    Term<Date> actual_delivery_date;                  ///< BT-72 Actual delivery date
    std::optional<Period> invoicing_period;           ///< BG-14
    std::optional<PostalAddress> deliver_to_address;  ///< BG-15
};

/// BG-17 CREDIT TRANSFER.
struct CreditTransfer {
    Source source;
    Term<std::string> account_id;           ///< BT-84 Payment account identifier
    Term<Text> account_name;                ///< BT-85 Payment account name
    Term<std::string> service_provider_id;  ///< BT-86 Payment service provider identifier
};

/// BG-18 PAYMENT CARD INFORMATION.
struct PaymentCard {
    Source source;
    Term<Text> primary_account_number;  ///< BT-87 Payment card primary account number
    Term<Text> holder_name;             ///< BT-88 Payment card holder name
};

/// BG-19 DIRECT DEBIT.
struct DirectDebit {
    Source source;
    Term<std::string> mandate_reference;   ///< BT-89 Mandate reference identifier
    Term<std::string> creditor_id;         ///< BT-90 Bank assigned creditor identifier
    Term<std::string> debited_account_id;  ///< BT-91 Debited account identifier
};

/// BG-16 PAYMENT INSTRUCTIONS.
struct PaymentInstructions {
    Source source;
    Term<Code> means_type_code;                    ///< BT-81 Payment means type code
    Term<Text> means_text;                         ///< BT-82 Payment means text
    Term<Text> remittance_information;             ///< BT-83 Remittance information
    std::vector<CreditTransfer> credit_transfers;  ///< BG-17
    std::optional<PaymentCard> card;               ///< BG-18
    std::optional<DirectDebit> direct_debit;       ///< BG-19
};

/// BG-20 DOCUMENT LEVEL ALLOWANCES (BT-92..98) and BG-21 DOCUMENT LEVEL CHARGES (BT-99..105).
struct DocumentAllowanceCharge {
    Source source;
    Term<Amount> amount;           ///< BT-92 / BT-99 amount
    Term<Amount> base_amount;      ///< BT-93 / BT-100 base amount
    Term<Percentage> percentage;   ///< BT-94 / BT-101 percentage
    Term<Code> vat_category_code;  ///< BT-95 / BT-102 VAT category code
    Term<Percentage> vat_rate;     ///< BT-96 / BT-103 VAT rate
    Term<Text> reason;             ///< BT-97 / BT-104 reason
    Term<Code> reason_code;        ///< BT-98 / BT-105 reason code
};

/// BG-22 DOCUMENT TOTALS.
struct DocumentTotals {
    Source source;
    Term<Amount> sum_of_line_net_amounts;           ///< BT-106 Sum of Invoice line net amount
    Term<Amount> sum_of_allowances;                 ///< BT-107 Sum of allowances on document level
    Term<Amount> sum_of_charges;                    ///< BT-108 Sum of charges on document level
    Term<Amount> total_without_vat;                 ///< BT-109 Invoice total amount without VAT
    Term<Amount> total_vat;                         ///< BT-110 Invoice total VAT amount
    Term<Amount> total_vat_in_accounting_currency;  ///< BT-111 (in BT-6, not BT-5)
    Term<Amount> total_with_vat;                    ///< BT-112 Invoice total amount with VAT
    Term<Amount> paid_amount;                       ///< BT-113 Paid amount
    Term<Amount> rounding_amount;                   ///< BT-114 Rounding amount
    Term<Amount> amount_due;                        ///< BT-115 Amount due for payment
};

/// BG-23 VAT BREAKDOWN.
struct VatBreakdown {
    Source source;
    Term<Amount> taxable_amount;       ///< BT-116 VAT category taxable amount
    Term<Amount> tax_amount;           ///< BT-117 VAT category tax amount
    Term<Code> category_code;          ///< BT-118 VAT category code
    Term<Percentage> rate;             ///< BT-119 VAT category rate
    Term<Text> exemption_reason;       ///< BT-120 VAT exemption reason text
    Term<Code> exemption_reason_code;  ///< BT-121 VAT exemption reason code
};

/// BG-24 ADDITIONAL SUPPORTING DOCUMENTS.
struct AdditionalDocument {
    Source source;
    Term<DocumentReference> reference;    ///< BT-122 Supporting document reference
    Term<Text> description;               ///< BT-123 Supporting document description
    Term<std::string> external_location;  ///< BT-124 External document location
    Term<BinaryObject> attachment;        ///< BT-125 Attached document (+ BT-125-1, BT-125-2)
};

/// BG-27 INVOICE LINE ALLOWANCES (BT-136..140) and BG-28 INVOICE LINE CHARGES (BT-141..145).
struct LineAllowanceCharge {
    Source source;
    Term<Amount> amount;          ///< BT-136 / BT-141 amount
    Term<Amount> base_amount;     ///< BT-137 / BT-142 base amount
    Term<Percentage> percentage;  ///< BT-138 / BT-143 percentage
    Term<Text> reason;            ///< BT-139 / BT-144 reason
    Term<Code> reason_code;       ///< BT-140 / BT-145 reason code
};

/// BG-29 PRICE DETAILS.
struct PriceDetails {
    Source source;
    Term<UnitPriceAmount> net_price;     ///< BT-146 Item net price
    Term<UnitPriceAmount> discount;      ///< BT-147 Item price discount
    Term<UnitPriceAmount> gross_price;   ///< BT-148 Item gross price
    Term<Quantity> base_quantity;        ///< BT-149 Item price base quantity
    Term<Code> base_quantity_unit_code;  ///< BT-150 Item price base quantity unit of measure code
};

/// BG-30 LINE VAT INFORMATION.
struct LineVat {
    Source source;
    Term<Code> category_code;  ///< BT-151 Invoiced item VAT category code
    Term<Percentage> rate;     ///< BT-152 Invoiced item VAT rate
};

/// BG-32 ITEM ATTRIBUTES.
struct ItemAttribute {
    Source source;
    Term<Text> name;   ///< BT-160 Item attribute name
    Term<Text> value;  ///< BT-161 Item attribute value
};

/// BG-31 ITEM INFORMATION.
struct Item {
    Source source;
    Term<Text> name;                        ///< BT-153 Item name
    Term<Text> description;                 ///< BT-154 Item description
    Term<std::string> sellers_id;           ///< BT-155 Item Seller's identifier
    Term<std::string> buyers_id;            ///< BT-156 Item Buyer's identifier
    Term<Identifier> standard_id;           ///< BT-157 Item standard identifier (+ BT-157-1)
    Terms<Identifier> classification_ids;   ///< BT-158 (+ BT-158-1, BT-158-2)
    Term<Code> country_of_origin;           ///< BT-159 Item country of origin
    std::vector<ItemAttribute> attributes;  ///< BG-32
};

/// BG-25 INVOICE LINE.
struct InvoiceLine {
    Source source;
    Term<std::string> id;           ///< BT-126 Invoice line identifier
    Term<Text> note;                ///< BT-127 Invoice line note
    Term<Identifier> object_id;     ///< BT-128 (+ BT-128-1)
    Term<Quantity> quantity;        ///< BT-129 Invoiced quantity
    Term<Code> quantity_unit_code;  ///< BT-130 Invoiced quantity unit of measure
    Term<Amount> net_amount;        ///< BT-131 Invoice line net amount
    Term<DocumentReference> purchase_order_line_reference;  ///< BT-132
    Term<Text> buyer_accounting_reference;        ///< BT-133 Invoice line Buyer accounting ref.
    std::optional<Period> period;                 ///< BG-26
    std::vector<LineAllowanceCharge> allowances;  ///< BG-27
    std::vector<LineAllowanceCharge> charges;     ///< BG-28
    PriceDetails price;                           ///< BG-29
    LineVat vat;                                  ///< BG-30
    Item item;                                    ///< BG-31
};

/// A value the reader could not interpret (bad amount, impossible date, unknown boolean): the
/// element's path and line, the term it was meant for and why. Not a finding: the rule layer
/// decides what it means for the invoice. Messages carry no text from the input.
struct Problem {
    std::string path;
    std::uint32_t line = 0;
    std::string term;     ///< "BT-106", or "" when the element maps to no single term
    std::string message;  ///< English
};

/// An element of the source that the binding does not map to any term: a conversion to another
/// syntax loses it. Reported once per unmapped subtree, at its top element.
struct Unmapped {
    std::string path;
    std::uint32_t line = 0;
    std::string text;  ///< its text content, whitespace-trimmed, at most kUnmappedTextBytesMax
};

/// Bytes of text kept per Unmapped entry (enough to recognise it, not to carry attachments).
inline constexpr std::size_t kUnmappedTextBytesMax = 256;

/// An invoice (or credit note) in EN 16931-1 terms, as read from one document.
struct Invoice {
    Syntax syntax = Syntax::kUnknown;

    Term<std::string> number;                 ///< BT-1 Invoice number
    Term<Date> issue_date;                    ///< BT-2 Invoice issue date
    Term<Code> type_code;                     ///< BT-3 Invoice type code
    Term<Code> currency_code;                 ///< BT-5 Invoice currency code
    Term<Code> vat_accounting_currency_code;  ///< BT-6 VAT accounting currency code
    Term<Date> vat_point_date;                ///< BT-7 Value added tax point date
    /// BT-8 Value added tax point date code, as UNTDID 2005 (3, 35, 432); the CII reader maps
    /// its UNTDID 2475 codes (5, 29, 72) to these.
    Term<Code> vat_point_date_code;
    Term<Date> payment_due_date;                         ///< BT-9 Payment due date
    Term<Text> buyer_reference;                          ///< BT-10 Buyer reference
    Term<DocumentReference> project_reference;           ///< BT-11 Project reference
    Term<DocumentReference> contract_reference;          ///< BT-12 Contract reference
    Term<DocumentReference> purchase_order_reference;    ///< BT-13 Purchase order reference
    Term<DocumentReference> sales_order_reference;       ///< BT-14 Sales order reference
    Term<DocumentReference> receiving_advice_reference;  ///< BT-15 Receiving advice reference
    Term<DocumentReference> despatch_advice_reference;   ///< BT-16 Despatch advice reference
    Term<DocumentReference> tender_or_lot_reference;     ///< BT-17 Tender or lot reference
    Term<Identifier> invoiced_object_id;    ///< BT-18 Invoiced object identifier (+ BT-18-1)
    Term<Text> buyer_accounting_reference;  ///< BT-19 Buyer accounting reference
    Term<Text> payment_terms;               ///< BT-20 Payment terms

    std::vector<Note> notes;                                    ///< BG-1
    ProcessControl process_control;                             ///< BG-2
    std::vector<PrecedingInvoice> preceding_invoices;           ///< BG-3
    Seller seller;                                              ///< BG-4
    Buyer buyer;                                                ///< BG-7
    std::optional<Payee> payee;                                 ///< BG-10
    std::optional<SellerTaxRepresentative> tax_representative;  ///< BG-11
    std::optional<Delivery> delivery;                           ///< BG-13 (with BG-14, BG-15)
    std::optional<PaymentInstructions> payment_instructions;    ///< BG-16
    std::vector<DocumentAllowanceCharge> allowances;            ///< BG-20
    std::vector<DocumentAllowanceCharge> charges;               ///< BG-21
    DocumentTotals totals;                                      ///< BG-22
    std::vector<VatBreakdown> vat_breakdown;                    ///< BG-23
    std::vector<AdditionalDocument> additional_documents;       ///< BG-24
    std::vector<InvoiceLine> lines;                             ///< BG-25

    std::vector<Problem> problems;   ///< values the reader could not interpret
    std::vector<Unmapped> unmapped;  ///< source elements no term carries
};

/// One value of a term in an Invoice, flattened: the term id, the group occurrence it belongs
/// to, the value as text and where it was read.
struct FlatValue {
    std::string_view term;  ///< "BT-131", "BT-29-1" (catalogue id, see terms.h)
    /// Occurrences of the enclosing repeatable groups and terms, e.g. "BG-25[2]/BG-27[1]" for an
    /// allowance of the second line, "BT-29[2]" for the second seller identifier; "" at the top.
    std::string occurrence;
    /// Canonical text: decimals without trailing fractional zeros ("19.9" for "19.90"), dates as
    /// YYYY-MM-DD, other values as read; a value that could not be parsed is "?" + source text.
    std::string value;
    const Source* source = nullptr;  ///< points into the Invoice; valid while it lives
};

/// Every term value present in `invoice`, in catalogue order within each group occurrence:
/// the generic view used to compare two invoices (e.g. the same invoice read from UBL and CII)
/// and to list what a document carries. Equal values give equal `value` strings.
[[nodiscard]] std::vector<FlatValue> flatten(const Invoice& invoice);

}  // namespace facteur::model
