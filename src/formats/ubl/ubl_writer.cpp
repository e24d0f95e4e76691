// model::Invoice -> UBL 2.1 Invoice / CreditNote (EN 16931-3-2): the inverse of read_ubl. The
// root's terms and references here; parties and payment in ubl_write_parties.cpp, allowances,
// totals and lines in ubl_write_lines.cpp.

#include "facteur/formats/ubl/ubl_writer.h"

#include <array>
#include <utility>

#include "ubl_emit.h"

namespace facteur::formats::ubl {

namespace {

std::string value_or_empty(const model::Term<std::string>& v) {
    return v ? v->value : "";
}

// UNTDID 1001 codes of the UBL CreditNote in the CEN code lists (BR-CL-01 for a CreditNote).
bool is_credit_note_code(const model::Term<std::string>& type_code) {
    constexpr std::array<std::string_view, 5> kCodes = {"81", "83", "381", "396", "532"};
    if (!type_code) {
        return false;
    }
    for (const std::string_view code : kCodes) {
        if (type_code->value == code) {
            return true;
        }
    }
    return false;
}

DocumentKind document_kind(const model::Invoice& invoice, const model::WriteOptions& options) {
    switch (options.ubl_document) {
        case model::UblDocumentKind::kInvoice:
            return DocumentKind::kInvoice;
        case model::UblDocumentKind::kCreditNote:
            return DocumentKind::kCreditNote;
        case model::UblDocumentKind::kAuto:
            break;
    }
    if (invoice.syntax == model::Syntax::kUblCreditNote) {
        return DocumentKind::kCreditNote;
    }
    if (invoice.syntax == model::Syntax::kUblInvoice) {
        return DocumentKind::kInvoice;
    }
    return is_credit_note_code(invoice.type_code) ? DocumentKind::kCreditNote
                                                  : DocumentKind::kInvoice;
}

// BG-1. EN 16931-3-2 binds BT-22 to cbc:Note and gives BT-21 no element.
void write_notes(Emitter& e) {
    const bool prefix = e.options.ubl_note_subject == model::UblNoteSubject::kFrenchNotePrefix;
    for (std::size_t i = 0; i < e.inv.notes.size(); ++i) {
        const model::Note& note = e.inv.notes[i];
        std::string text = note.note ? note.note->value : "";
        if (note.subject_code && prefix) {
            text = '#' + note.subject_code->value + '#' + text;
            e.losses.add(binding::occurrence("BG-1", i),
                         "BT-21 written as the '#CODE#' prefix of cbc:Note (French convention): "
                         "a CEN reader reads it back as part of BT-22, with no BT-21",
                         "BT-21 écrit en préfixe '#CODE#' de cbc:Note (convention française) : "
                         "un lecteur CEN le relit dans BT-22, sans BT-21");
        } else if (note.subject_code) {
            e.losses.add(binding::occurrence("BG-1", i) + "/BT-21",
                         "UBL has no element for the invoice note subject code (EN 16931-3-2)",
                         "UBL n'a pas d'élément pour le code du sujet de la note (EN 16931-3-2)");
        }
        if (note.note || (note.subject_code && prefix)) {
            e.w.leaf("cbc:Note", text);
        }
    }
}

// BG-14 with BT-8 (cac:InvoicePeriod/cbc:DescriptionCode).
void write_invoice_period(Emitter& e) {
    const model::Period* period = e.inv.delivery && e.inv.delivery->invoicing_period
                                      ? &*e.inv.delivery->invoicing_period
                                      : nullptr;
    e.w.open("cac:InvoicePeriod");
    if (period != nullptr) {
        e.date("cbc:StartDate", period->start_date);
        e.date("cbc:EndDate", period->end_date);
    }
    e.text("cbc:DescriptionCode", e.inv.vat_point_date_code);
    e.w.close();
}

// cbc:ID of a document reference aggregate (BT-12, BT-15..BT-17, BT-11 in an Invoice).
void reference(Emitter& e, std::string_view qname, const model::Term<std::string>& id) {
    e.w.open(qname);
    e.text("cbc:ID", id);
    e.w.close();
}

void write_order_reference(Emitter& e) {
    if (!e.inv.purchase_order_reference && !e.inv.sales_order_reference) {
        return;
    }
    e.w.open("cac:OrderReference");
    if (e.inv.purchase_order_reference) {
        e.text("cbc:ID", e.inv.purchase_order_reference);
    } else {
        // UBL requires cbc:ID; the Peppol BIS convention writes "NA" when there is no BT-13.
        e.w.leaf("cbc:ID", "NA");
        e.losses.add("BT-13",
                     "UBL requires a purchase order reference beside the sales order reference: "
                     "written as 'NA', which a reader takes for BT-13",
                     "UBL exige une référence de commande à côté de la référence de commande "
                     "client : écrite 'NA', qu'un lecteur prend pour BT-13");
    }
    e.text("cbc:SalesOrderID", e.inv.sales_order_reference);
    e.w.close();
}

// A cac:AdditionalDocumentReference that carries one term, told by its DocumentTypeCode.
void typed_reference(Emitter& e, const model::Term<model::Identifier>& id,
                     std::string_view type_code) {
    if (!id) {
        return;
    }
    e.w.open("cac:AdditionalDocumentReference");
    e.identifier("cbc:ID", id);
    e.w.leaf("cbc:DocumentTypeCode", type_code);
    e.w.close();
}

// BG-24, then BT-18 (type 130) and, in a CreditNote (no cac:ProjectReference), BT-11 (type 50).
void write_additional_documents(Emitter& e) {
    typed_reference(e, e.inv.invoiced_object_id, "130");
    if (e.kind == DocumentKind::kCreditNote && e.inv.project_reference) {
        const auto& p = *e.inv.project_reference;
        typed_reference(e, model::Value<model::Identifier>{{p.value, {}, {}}, p.source, {}}, "50");
    }
    for (const model::AdditionalDocument& d : e.inv.additional_documents) {
        e.w.open("cac:AdditionalDocumentReference");
        e.text("cbc:ID", d.reference);
        e.text("cbc:DocumentDescription", d.description);
        e.w.open("cac:Attachment");
        if (d.attachment) {
            const model::BinaryObject& object = d.attachment->value;
            e.w.leaf("cbc:EmbeddedDocumentBinaryObject", object.content,
                     {{"mimeCode", object.mime_code}, {"filename", object.filename}});
        }
        e.w.open("cac:ExternalReference");
        e.text("cbc:URI", d.external_location);
        e.w.close();
        e.w.close();
        e.w.close();
    }
}

void write_preceding_invoices(Emitter& e) {
    for (const model::PrecedingInvoice& p : e.inv.preceding_invoices) {
        e.w.open("cac:BillingReference");
        e.w.open("cac:InvoiceDocumentReference");
        e.text("cbc:ID", p.reference);
        e.date("cbc:IssueDate", p.issue_date);
        e.w.close();
        e.w.close();
    }
}

void write_root(Emitter& e) {
    const bool credit = e.kind == DocumentKind::kCreditNote;
    const std::string_view root = credit ? "CreditNote" : "Invoice";
    e.w.open_required(root, {{"xmlns", credit ? kCreditNoteNs : kInvoiceNs},
                             {"xmlns:cac", kCacNs},
                             {"xmlns:cbc", kCbcNs}});
    write_document_terms(e);
    write_references(e);
    write_parties(e);
    write_delivery(e);
    write_payment(e);
    write_document_allowances(e);
    write_totals(e);
    write_lines(e);
    e.w.close();
}

}  // namespace

Emitter::Emitter(const model::Invoice& invoice, const model::WriteOptions& write_options,
                 DocumentKind document_kind)
    : w(write_options.indent, write_options.output_bytes_max),
      inv(invoice),
      options(write_options),
      kind(document_kind),
      currency(value_or_empty(invoice.currency_code)),
      tax_currency(value_or_empty(invoice.vat_accounting_currency_code)) {}

void Emitter::text(std::string_view qname, const model::Term<std::string>& v) {
    if (v) {
        w.leaf(qname, binding::text_of(*v));
    }
}

void Emitter::amount(std::string_view qname, const model::Term<model::Decimal>& v) {
    amount_in(qname, v, currency);
}

void Emitter::amount_in(std::string_view qname, const model::Term<model::Decimal>& v,
                        std::string_view currency_id) {
    if (v) {
        w.leaf(qname, binding::text_of(*v), {{"currencyID", currency_id}});
    }
}

void Emitter::number(std::string_view qname, const model::Term<model::Decimal>& v) {
    if (v) {
        w.leaf(qname, binding::text_of(*v));
    }
}

void Emitter::quantity(std::string_view qname, const model::Term<model::Decimal>& v,
                       const model::Term<std::string>& unit) {
    if (!v && !unit) {
        return;
    }
    const std::optional<std::string_view> unit_code =
        unit ? std::optional<std::string_view>(unit->value) : std::nullopt;
    w.leaf(qname, v ? binding::text_of(*v) : std::string(), {{"unitCode", unit_code}});
}

void Emitter::date(std::string_view qname, const model::Term<model::Date>& v) {
    if (v) {
        w.leaf(qname, binding::text_of(*v, model::DateFormat::kIso8601));
    }
}

void Emitter::identifier(std::string_view qname, const model::Term<model::Identifier>& v,
                         std::string_view scheme_attribute, std::string_view version_attribute) {
    if (!v) {
        return;
    }
    const model::Identifier& id = v->value;
    const auto view = [](const std::optional<std::string>& s) {
        return s ? std::optional<std::string_view>(*s) : std::nullopt;
    };
    w.leaf(
        qname, id.id,
        {{scheme_attribute, view(id.scheme)},
         {version_attribute, version_attribute.empty() ? std::nullopt : view(id.scheme_version)}});
}

void Emitter::tax_scheme(std::string_view id) {
    w.open("cac:TaxScheme");
    w.leaf("cbc:ID", id);
    w.close();
}

void write_document_terms(Emitter& e) {
    const model::Invoice& inv = e.inv;
    e.text("cbc:CustomizationID", inv.process_control.specification_identifier);
    e.text("cbc:ProfileID", inv.process_control.business_process_type);
    e.text("cbc:ID", inv.number);
    e.date("cbc:IssueDate", inv.issue_date);
    if (e.kind == DocumentKind::kInvoice) {
        e.date("cbc:DueDate", inv.payment_due_date);  // a credit note's is in cac:PaymentMeans
        e.text("cbc:InvoiceTypeCode", inv.type_code);
        write_notes(e);
        e.date("cbc:TaxPointDate", inv.vat_point_date);
    } else {
        e.date("cbc:TaxPointDate", inv.vat_point_date);
        e.text("cbc:CreditNoteTypeCode", inv.type_code);
        write_notes(e);
    }
    e.text("cbc:DocumentCurrencyCode", inv.currency_code);
    e.text("cbc:TaxCurrencyCode", inv.vat_accounting_currency_code);
    e.text("cbc:AccountingCost", inv.buyer_accounting_reference);
    e.text("cbc:BuyerReference", inv.buyer_reference);
    write_invoice_period(e);
}

void write_references(Emitter& e) {
    const model::Invoice& inv = e.inv;
    write_order_reference(e);
    write_preceding_invoices(e);
    reference(e, "cac:DespatchDocumentReference", inv.despatch_advice_reference);
    reference(e, "cac:ReceiptDocumentReference", inv.receiving_advice_reference);
    if (e.kind == DocumentKind::kInvoice) {
        reference(e, "cac:OriginatorDocumentReference", inv.tender_or_lot_reference);
        reference(e, "cac:ContractDocumentReference", inv.contract_reference);
        write_additional_documents(e);
        reference(e, "cac:ProjectReference", inv.project_reference);
    } else {
        reference(e, "cac:ContractDocumentReference", inv.contract_reference);
        write_additional_documents(e);
        reference(e, "cac:OriginatorDocumentReference", inv.tender_or_lot_reference);
    }
}

core::Result<model::Written> write_ubl(const model::Invoice& invoice,
                                       const model::WriteOptions& options) {
    Emitter e(invoice, options, document_kind(invoice, options));
    e.losses.add_unmapped(invoice, "UBL");
    write_root(e);
    FACTEUR_TRY_ASSIGN(std::string xml, e.w.finish());
    return model::Written{std::move(xml), e.losses.take()};
}

}  // namespace facteur::formats::ubl
