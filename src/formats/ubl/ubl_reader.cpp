#include "facteur/formats/ubl/ubl_reader.h"

#include "ubl_binding.h"

namespace facteur::formats::ubl {

namespace {

model::Syntax syntax_of(const xml::TreeNode& root) noexcept {
    if (root.local_name() == "Invoice" && root.namespace_uri() == kInvoiceNs) {
        return model::Syntax::kUblInvoice;
    }
    if (root.local_name() == "CreditNote" && root.namespace_uri() == kCreditNoteNs) {
        return model::Syntax::kUblCreditNote;
    }
    return model::Syntax::kUnknown;
}

// BT-1..BT-10, BT-19, BG-1, BG-2, and BG-14 with BT-8 (cac:InvoicePeriod).
void read_document_terms(Context& ctx, const Cursor& root, DocumentKind kind,
                         model::Invoice& invoice) {
    invoice.process_control.specification_identifier = ctx.token(ctx.cbc(root, "CustomizationID"));
    invoice.process_control.business_process_type = ctx.text(ctx.cbc(root, "ProfileID"));
    invoice.number = ctx.token(ctx.cbc(root, "ID"));
    invoice.issue_date = ctx.date(ctx.cbc(root, "IssueDate"), "BT-2");
    if (kind == DocumentKind::kInvoice) {
        invoice.payment_due_date = ctx.date(ctx.cbc(root, "DueDate"), "BT-9");
        invoice.type_code = ctx.token(ctx.cbc(root, "InvoiceTypeCode"));
    } else {
        invoice.type_code = ctx.token(ctx.cbc(root, "CreditNoteTypeCode"));
    }
    // EN 16931-3-2 binds BT-22 to cbc:Note and gives BT-21 no UBL element.
    for (const Cursor& note : ctx.children(root, kCbcNs, "Note")) {
        invoice.notes.push_back(model::Note{ctx.group_source(note), std::nullopt, ctx.text(note)});
    }
    invoice.vat_point_date = ctx.date(ctx.cbc(root, "TaxPointDate"), "BT-7");
    invoice.currency_code = ctx.token(ctx.cbc(root, "DocumentCurrencyCode"));
    invoice.vat_accounting_currency_code = ctx.token(ctx.cbc(root, "TaxCurrencyCode"));
    invoice.buyer_accounting_reference = ctx.text(ctx.cbc(root, "AccountingCost"));
    invoice.buyer_reference = ctx.text(ctx.cbc(root, "BuyerReference"));

    const Cursor period = ctx.cac(root, "InvoicePeriod");
    if (period) {
        if (!invoice.delivery) {
            invoice.delivery.emplace();
        }
        invoice.delivery->invoicing_period =
            model::Period{ctx.group_source(period), ctx.date(ctx.cbc(period, "StartDate"), "BT-73"),
                          ctx.date(ctx.cbc(period, "EndDate"), "BT-74")};
        invoice.vat_point_date_code = ctx.token(ctx.cbc(period, "DescriptionCode"));
    }
}

// cbc:ID of the document reference aggregate `local` under the root (BT-12, BT-15..BT-17).
model::Term<std::string> reference_id(Context& ctx, const Cursor& root, std::string_view local) {
    return ctx.token(ctx.cbc(ctx.cac(root, local), "ID"));
}

// BG-24 from one cac:AdditionalDocumentReference that is not an invoiced object (BT-18).
model::AdditionalDocument read_additional_document(Context& ctx, const Cursor& reference) {
    model::AdditionalDocument document;
    document.source = ctx.group_source(reference);
    document.reference = ctx.token(ctx.cbc(reference, "ID"));
    document.description = ctx.text(ctx.cbc(reference, "DocumentDescription"));
    const Cursor attachment = ctx.cac(reference, "Attachment");
    document.external_location =
        ctx.token(ctx.cbc(ctx.cac(attachment, "ExternalReference"), "URI"));
    document.attachment = ctx.binary_object(ctx.cbc(attachment, "EmbeddedDocumentBinaryObject"));
    return document;
}

// BT-11..BT-18, BT-20, BG-3, BG-24.
void read_references(Context& ctx, const Cursor& root, DocumentKind kind, model::Invoice& invoice) {
    const Cursor order = ctx.cac(root, "OrderReference");
    invoice.purchase_order_reference = ctx.token(ctx.cbc(order, "ID"));
    invoice.sales_order_reference = ctx.token(ctx.cbc(order, "SalesOrderID"));
    for (const Cursor& billing : ctx.children(root, kCacNs, "BillingReference")) {
        const Cursor reference = ctx.cac(billing, "InvoiceDocumentReference");
        if (!reference) {
            continue;
        }
        invoice.preceding_invoices.push_back(model::PrecedingInvoice{
            ctx.group_source(reference), ctx.token(ctx.cbc(reference, "ID")),
            ctx.date(ctx.cbc(reference, "IssueDate"), "BT-26")});
    }
    invoice.despatch_advice_reference = reference_id(ctx, root, "DespatchDocumentReference");
    invoice.receiving_advice_reference = reference_id(ctx, root, "ReceiptDocumentReference");
    invoice.tender_or_lot_reference = reference_id(ctx, root, "OriginatorDocumentReference");
    invoice.contract_reference = reference_id(ctx, root, "ContractDocumentReference");
    invoice.project_reference = reference_id(ctx, root, "ProjectReference");
    for (const Cursor& reference : ctx.children(root, kCacNs, "AdditionalDocumentReference")) {
        const Cursor type = ctx.cbc(reference, "DocumentTypeCode");
        const std::string type_code = trimmed_text(type);
        // EN 16931-3-2: document type 130 ("invoiced object") carries BT-18; in a CreditNote,
        // which has no cac:ProjectReference, type 50 carries BT-11 (UBL-SR-43); the rest is BG-24.
        if (type_code == "130") {
            if (!invoice.invoiced_object_id) {
                ctx.consume(type);
                invoice.invoiced_object_id = ctx.identifier(ctx.cbc(reference, "ID"));
            }
            continue;
        }
        if (type_code == "50" && kind == DocumentKind::kCreditNote) {
            if (!invoice.project_reference) {
                ctx.consume(type);
                invoice.project_reference = ctx.token(ctx.cbc(reference, "ID"));
            }
            continue;
        }
        invoice.additional_documents.push_back(read_additional_document(ctx, reference));
    }
    invoice.payment_terms = ctx.text(ctx.cbc(ctx.cac(root, "PaymentTerms"), "Note"));
}

// BT-110 and BT-111 from cac:TaxTotal/cbc:TaxAmount, told apart by currencyID (BT-5 or BT-6),
// and BG-23 from the cac:TaxSubtotal of the BT-110 total.
void read_tax_totals(Context& ctx, const Cursor& root, model::Invoice& invoice) {
    const std::string document_currency = invoice.currency_code ? invoice.currency_code->value : "";
    const std::string tax_currency =
        invoice.vat_accounting_currency_code ? invoice.vat_accounting_currency_code->value : "";
    for (const Cursor& total : ctx.children(root, kCacNs, "TaxTotal")) {
        const Cursor amount = ctx.cbc(total, "TaxAmount");
        const std::string currency = trimmed_attribute(amount, "currencyID");
        const bool accounting =
            !tax_currency.empty() && tax_currency != document_currency && currency == tax_currency;
        model::Term<model::Decimal>& target =
            accounting ? invoice.totals.total_vat_in_accounting_currency : invoice.totals.total_vat;
        if (target) {
            continue;  // a second total in the same currency: left unmapped
        }
        ctx.touch(total);
        target = ctx.decimal(amount, accounting ? "BT-111" : "BT-110");
        if (accounting) {
            continue;
        }
        for (const Cursor& subtotal : ctx.children(total, kCacNs, "TaxSubtotal")) {
            const Cursor category = ctx.cac(subtotal, "TaxCategory");
            model::VatBreakdown vat;
            vat.source = ctx.group_source(subtotal);
            vat.taxable_amount = ctx.decimal(ctx.cbc(subtotal, "TaxableAmount"), "BT-116");
            vat.tax_amount = ctx.decimal(ctx.cbc(subtotal, "TaxAmount"), "BT-117");
            vat.category_code = ctx.token(ctx.cbc(category, "ID"));
            vat.rate = ctx.decimal(ctx.cbc(category, "Percent"), "BT-119");
            vat.exemption_reason_code = ctx.token(ctx.cbc(category, "TaxExemptionReasonCode"));
            vat.exemption_reason = ctx.text(ctx.cbc(category, "TaxExemptionReason"));
            static_cast<void>(is_vat_scheme(ctx, category));
            invoice.vat_breakdown.push_back(std::move(vat));
        }
    }
}

// BG-22 (BT-110 and BT-111 come from cac:TaxTotal).
void read_monetary_total(Context& ctx, const Cursor& root, model::Invoice& invoice) {
    const Cursor total = ctx.cac(root, "LegalMonetaryTotal");
    model::DocumentTotals& t = invoice.totals;
    t.source = ctx.group_source(total);
    t.sum_of_line_net_amounts = ctx.decimal(ctx.cbc(total, "LineExtensionAmount"), "BT-106");
    t.total_without_vat = ctx.decimal(ctx.cbc(total, "TaxExclusiveAmount"), "BT-109");
    t.total_with_vat = ctx.decimal(ctx.cbc(total, "TaxInclusiveAmount"), "BT-112");
    t.sum_of_allowances = ctx.decimal(ctx.cbc(total, "AllowanceTotalAmount"), "BT-107");
    t.sum_of_charges = ctx.decimal(ctx.cbc(total, "ChargeTotalAmount"), "BT-108");
    t.paid_amount = ctx.decimal(ctx.cbc(total, "PrepaidAmount"), "BT-113");
    t.rounding_amount = ctx.decimal(ctx.cbc(total, "PayableRoundingAmount"), "BT-114");
    t.amount_due = ctx.decimal(ctx.cbc(total, "PayableAmount"), "BT-115");
}

}  // namespace

bool is_vat_scheme(Context& ctx, const Cursor& owner) {
    const Cursor id = ctx.cbc(ctx.cac(owner, "TaxScheme"), "ID");
    if (upper_token(id.node.text()) != "VAT") {
        return false;
    }
    ctx.consume(id);
    return true;
}

core::Result<model::Invoice> read_ubl(const xml::Document& doc, const binding::ReadOptions& options) {
    return read_ubl(binding::tree_of(doc), options);
}

core::Result<model::Invoice> read_ubl(const xml::Tree& tree, const binding::ReadOptions& options) {
    const Cursor root = Context::root(tree);
    const model::Syntax syntax = syntax_of(root.node);
    if (syntax == model::Syntax::kUnknown) {
        return core::fail(core::Errc::kInvalidInput, "UBL-ROOT",
                          "the root element is not a UBL 2.1 Invoice or CreditNote",
                          "l'élément racine n'est pas une Invoice ou une CreditNote UBL 2.1",
                          root.node.line());
    }
    const DocumentKind kind = syntax == model::Syntax::kUblCreditNote ? DocumentKind::kCreditNote
                                                                      : DocumentKind::kInvoice;
    model::Invoice invoice;
    invoice.syntax = syntax;
    Context ctx(invoice, options.paths);
    ctx.touch(root);
    read_document_terms(ctx, root, kind, invoice);
    read_references(ctx, root, kind, invoice);
    model::Term<std::string> creditor_id;
    read_parties(ctx, root, invoice, creditor_id);
    read_delivery(ctx, root, invoice);
    read_payment(ctx, root, kind, invoice, std::move(creditor_id));
    read_document_allowances(ctx, root, invoice);
    read_tax_totals(ctx, root, invoice);
    read_monetary_total(ctx, root, invoice);
    read_lines(ctx, root, kind, invoice);
    if (options.unmapped) {
        ctx.collect_unmapped(root);
    }
    return invoice;
}

}  // namespace facteur::formats::ubl
