// model::Invoice -> UN/CEFACT CII D16B (EN 16931-3-3): the inverse of read_cii. The document
// header and the settlement here; agreement, delivery, payee and payment means in
// cii_write_parties.cpp, allowances and lines in cii_write_lines.cpp.

#include "facteur/formats/cii/cii_writer.h"

#include <utility>

#include "cii_emit.h"

namespace facteur::formats::cii {

namespace {

std::string value_or_empty(const model::Term<std::string>& v) {
    return v ? v->value : "";
}

std::optional<std::string_view> view(const std::optional<std::string>& s) {
    return s ? std::optional<std::string_view>(*s) : std::nullopt;
}

std::optional<std::string_view> non_empty(std::string_view s) {
    return s.empty() ? std::nullopt : std::optional<std::string_view>(s);
}

// BT-8: EN 16931-3-3 writes the model's UNTDID 2005 codes as their UNTDID 2475 equivalents.
std::string untdid_2475(const std::string& code) {
    return code == "3" ? "5" : code == "35" ? "29" : code == "432" ? "72" : code;
}

// BT-7 and BT-8 live in ram:ApplicableTradeTax: BT-7 in the first only (CII-SR-461), BT-8 in
// every one (read_cii maps a repetition to the same term).
void tax_point(Emitter& e, bool first) {
    if (first) {
        e.date("ram:TaxPointDate", e.inv.vat_point_date, DateChild::kDate);
    }
    if (e.inv.vat_point_date_code) {
        e.w.leaf("ram:DueDateTypeCode", untdid_2475(e.inv.vat_point_date_code->value));
    }
}

void lose_tax_point(Emitter& e) {
    const auto lose = [&e](const char* term) {
        e.losses.add(term,
                     "CII carries it in ram:ApplicableTradeTax, and there is no VAT breakdown "
                     "(BG-23)",
                     "CII le porte dans ram:ApplicableTradeTax, et il n'y a pas de ventilation "
                     "de TVA (BG-23)");
    };
    if (e.inv.vat_point_date) {
        lose("BT-7");
    }
    if (e.inv.vat_point_date_code) {
        lose("BT-8");
    }
}

void check_tax_point_code(Emitter& e) {
    const auto& code = e.inv.vat_point_date_code;
    if (code && (code->value == "5" || code->value == "29" || code->value == "72")) {
        e.losses.add("BT-8",
                     "this code is a UNTDID 2475 code: CII reads it as its UNTDID 2005 "
                     "equivalent",
                     "ce code est un code UNTDID 2475 : CII le relit comme son équivalent "
                     "UNTDID 2005");
    }
}

// BG-23 with BT-7 and BT-8.
void write_vat_breakdown(Emitter& e) {
    if (e.inv.vat_breakdown.empty()) {
        lose_tax_point(e);
        return;
    }
    check_tax_point_code(e);
    for (const model::VatBreakdown& v : e.inv.vat_breakdown) {
        const bool first = &v == &e.inv.vat_breakdown.front();
        e.w.open("ram:ApplicableTradeTax");
        e.number("ram:CalculatedAmount", v.tax_amount);
        e.w.leaf("ram:TypeCode", "VAT");
        e.text("ram:ExemptionReason", v.exemption_reason);
        e.number("ram:BasisAmount", v.taxable_amount);
        e.text("ram:CategoryCode", v.category_code);
        e.text("ram:ExemptionReasonCode", v.exemption_reason_code);
        tax_point(e, first);
        e.number("ram:RateApplicablePercent", v.rate);
        e.w.close();
    }
}

void write_payment_terms(Emitter& e) {
    const auto& p = e.inv.payment_instructions;
    e.w.open("ram:SpecifiedTradePaymentTerms");
    e.text("ram:Description", e.inv.payment_terms);
    e.date("ram:DueDateDateTime", e.inv.payment_due_date);
    if (p && p->direct_debit) {
        e.text("ram:DirectDebitMandateID", p->direct_debit->mandate_reference);
    }
    e.w.close();
}

// BT-110 and BT-111 are both ram:TaxTotalAmount, told apart by currencyID (BT-5, BT-6).
void write_tax_totals(Emitter& e) {
    const model::DocumentTotals& t = e.inv.totals;
    if (t.total_vat) {
        e.w.leaf("ram:TaxTotalAmount", binding::text_of(*t.total_vat),
                 {{"currencyID", non_empty(e.currency)}});
    }
    if (!t.total_vat_in_accounting_currency) {
        return;
    }
    if (e.tax_currency.empty() || e.tax_currency == e.currency) {
        e.losses.add("BG-22/BT-111",
                     "the VAT total in accounting currency needs a VAT accounting currency "
                     "(BT-6) other than the invoice currency (BT-5)",
                     "le total de TVA en devise de comptabilisation exige une devise (BT-6) "
                     "autre que celle de la facture (BT-5)");
        return;
    }
    e.w.leaf("ram:TaxTotalAmount", binding::text_of(*t.total_vat_in_accounting_currency),
             {{"currencyID", e.tax_currency}});
}

void write_monetary_summation(Emitter& e) {
    const model::DocumentTotals& t = e.inv.totals;
    e.w.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
    e.number("ram:LineTotalAmount", t.sum_of_line_net_amounts);
    e.number("ram:ChargeTotalAmount", t.sum_of_charges);
    e.number("ram:AllowanceTotalAmount", t.sum_of_allowances);
    e.number("ram:TaxBasisTotalAmount", t.total_without_vat);
    write_tax_totals(e);
    e.number("ram:RoundingAmount", t.rounding_amount);
    e.number("ram:GrandTotalAmount", t.total_with_vat);
    e.number("ram:TotalPrepaidAmount", t.paid_amount);
    e.number("ram:DuePayableAmount", t.amount_due);
    e.w.close();
}

// BG-3: CII D16B has a single ram:InvoiceReferencedDocument in the header.
void write_preceding_invoices(Emitter& e) {
    for (std::size_t i = 0; i < e.inv.preceding_invoices.size(); ++i) {
        const model::PrecedingInvoice& p = e.inv.preceding_invoices[i];
        if (i > 0) {
            e.losses.add(binding::occurrence("BG-3", i),
                         "CII D16B carries one preceding invoice reference only",
                         "CII D16B ne porte qu'une seule référence à une facture antérieure");
            continue;
        }
        e.w.open("ram:InvoiceReferencedDocument");
        e.text("ram:IssuerAssignedID", p.reference);
        e.date("ram:FormattedIssueDateTime", p.issue_date, DateChild::kFormattedDateTime);
        e.w.close();
    }
}

// BT-6 and BT-5. The CII form of BR-53 requires BT-6 to differ from BT-5 (UBL's does not): an
// accounting currency equal to the invoice currency says nothing more and is left out.
void write_currencies(Emitter& e) {
    if (!e.tax_currency.empty() && e.tax_currency == e.currency) {
        e.losses.add("BT-6",
                     "the VAT accounting currency equals the invoice currency, which the CII "
                     "form of BR-53 rejects: left out",
                     "la devise de comptabilisation de la TVA est celle de la facture, ce que la "
                     "forme CII de BR-53 rejette : omise");
    } else {
        e.text("ram:TaxCurrencyCode", e.inv.vat_accounting_currency_code);
    }
    e.text("ram:InvoiceCurrencyCode", e.inv.currency_code);
}

void write_root(Emitter& e) {
    e.w.open_required("rsm:CrossIndustryInvoice", {{"xmlns:rsm", kRsmNs},
                                                   {"xmlns:ram", kRamNs},
                                                   {"xmlns:qdt", kQdtNs},
                                                   {"xmlns:udt", kUdtNs}});
    write_document(e);
    e.w.open_required("rsm:SupplyChainTradeTransaction");
    write_lines(e);
    write_agreement(e);
    write_delivery(e);
    write_settlement(e);
    e.w.close();
    e.w.close();
}

}  // namespace

Emitter::Emitter(const model::Invoice& invoice, const model::WriteOptions& write_options)
    : w(write_options.indent, write_options.output_bytes_max),
      inv(invoice),
      options(write_options),
      currency(value_or_empty(invoice.currency_code)),
      tax_currency(value_or_empty(invoice.vat_accounting_currency_code)) {}

void Emitter::text(std::string_view qname, const model::Term<std::string>& v) {
    if (v) {
        w.leaf(qname, binding::text_of(*v));
    }
}

void Emitter::number(std::string_view qname, const model::Term<model::Decimal>& v) {
    if (v) {
        w.leaf(qname, binding::text_of(*v));
    }
}

void Emitter::date(std::string_view holder, const model::Term<model::Date>& v, DateChild child) {
    if (!v) {
        return;
    }
    const std::string_view qname = child == DateChild::kDateTime ? "udt:DateTimeString"
                                   : child == DateChild::kDate   ? "udt:DateString"
                                                                 : "qdt:DateTimeString";
    w.open(holder);
    w.leaf(qname, binding::text_of(*v, model::DateFormat::kCompact), {{"format", "102"}});
    w.close();
}

void Emitter::identifier(std::string_view qname, const model::Term<model::Identifier>& v,
                         std::string_view scheme_attribute, std::string_view version_attribute) {
    if (!v) {
        return;
    }
    const model::Identifier& id = v->value;
    w.leaf(
        qname, id.id,
        {{scheme_attribute, view(id.scheme)},
         {version_attribute, version_attribute.empty() ? std::nullopt : view(id.scheme_version)}});
}

void Emitter::party_id(const model::Term<model::Identifier>& v) {
    if (v && v->value.scheme) {
        identifier("ram:GlobalID", v);
    } else if (v) {
        w.leaf("ram:ID", v->value.id);
    }
}

void Emitter::charge_indicator(bool charge) {
    w.open("ram:ChargeIndicator");
    w.leaf("udt:Indicator", charge ? "true" : "false");
    w.close();
}

void Emitter::referenced_document(std::string_view holder, const model::Term<std::string>& id) {
    w.open(holder);
    text("ram:IssuerAssignedID", id);
    w.close();
}

void write_document(Emitter& e) {
    const model::Invoice& inv = e.inv;
    e.w.open_required("rsm:ExchangedDocumentContext");
    e.w.open("ram:BusinessProcessSpecifiedDocumentContextParameter");
    e.text("ram:ID", inv.process_control.business_process_type);
    e.w.close();
    e.w.open("ram:GuidelineSpecifiedDocumentContextParameter");
    e.text("ram:ID", inv.process_control.specification_identifier);
    e.w.close();
    e.w.close();
    e.w.open_required("rsm:ExchangedDocument");
    e.text("ram:ID", inv.number);
    e.text("ram:TypeCode", inv.type_code);
    e.date("ram:IssueDateTime", inv.issue_date);
    for (const model::Note& note : inv.notes) {
        e.w.open("ram:IncludedNote");
        e.text("ram:Content", note.note);
        e.text("ram:SubjectCode", note.subject_code);
        e.w.close();
    }
    e.w.close();
}

void write_settlement(Emitter& e) {
    const model::Invoice& inv = e.inv;
    const auto& p = inv.payment_instructions;
    e.w.open_required("ram:ApplicableHeaderTradeSettlement");
    if (p && p->direct_debit) {
        e.text("ram:CreditorReferenceID", p->direct_debit->creditor_id);
    }
    if (p) {
        e.text("ram:PaymentReference", p->remittance_information);
    }
    write_currencies(e);
    write_payee(e);
    write_payment_means(e);
    write_vat_breakdown(e);
    if (inv.delivery && inv.delivery->invoicing_period) {
        e.w.open("ram:BillingSpecifiedPeriod");
        e.date("ram:StartDateTime", inv.delivery->invoicing_period->start_date);
        e.date("ram:EndDateTime", inv.delivery->invoicing_period->end_date);
        e.w.close();
    }
    write_document_allowances(e);
    write_payment_terms(e);
    write_monetary_summation(e);
    write_preceding_invoices(e);
    e.w.open("ram:ReceivableSpecifiedTradeAccountingAccount");
    e.text("ram:ID", inv.buyer_accounting_reference);
    e.w.close();
    e.w.close();
}

core::Result<model::Written> write_cii(const model::Invoice& invoice,
                                       const model::WriteOptions& options) {
    Emitter e(invoice, options);
    e.losses.add_unmapped(invoice, "CII");
    write_root(e);
    FACTEUR_TRY_ASSIGN(std::string xml, e.w.finish());
    return model::Written{std::move(xml), e.losses.take()};
}

}  // namespace facteur::formats::cii
