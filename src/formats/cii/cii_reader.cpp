#include "facteur/formats/cii/cii_reader.h"

#include "cii_binding.h"

namespace facteur::formats::cii {

namespace {

// BT-1..BT-3, BG-1, BG-2.
void read_document(Context& ctx, const Cursor& root, model::Invoice& invoice) {
    const Cursor context = ctx.rsm(root, "ExchangedDocumentContext");
    invoice.process_control.source = ctx.group_source(context);
    invoice.process_control.business_process_type = ctx.text(
        ctx.ram(ctx.ram(context, "BusinessProcessSpecifiedDocumentContextParameter"), "ID"));
    invoice.process_control.specification_identifier =
        ctx.token(ctx.ram(ctx.ram(context, "GuidelineSpecifiedDocumentContextParameter"), "ID"));
    const Cursor document = ctx.rsm(root, "ExchangedDocument");
    ctx.touch(document);
    invoice.number = ctx.token(ctx.ram(document, "ID"));
    invoice.type_code = ctx.token(ctx.ram(document, "TypeCode"));
    invoice.issue_date = ctx.date(ctx.ram(document, "IssueDateTime"), "BT-2");
    for (const Cursor& note : ctx.children(document, kRamNs, "IncludedNote")) {
        invoice.notes.push_back(model::Note{ctx.group_source(note),
                                            ctx.token(ctx.ram(note, "SubjectCode")),
                                            ctx.text(ctx.ram(note, "Content"))});
    }
}

// ram:IssuerAssignedID of the referenced document `local` in `parent` (BT-12..BT-16).
model::Term<std::string> issuer_assigned_id(Context& ctx, const Cursor& parent,
                                            std::string_view local) {
    return ctx.token(ctx.ram(ctx.ram(parent, local), "IssuerAssignedID"));
}

// BT-10..BT-14, BT-17, BT-18, BG-24 from ram:ApplicableHeaderTradeAgreement.
void read_agreement_references(Context& ctx, const Cursor& agreement, model::Invoice& invoice) {
    invoice.buyer_reference = ctx.text(ctx.ram(agreement, "BuyerReference"));
    invoice.sales_order_reference =
        issuer_assigned_id(ctx, agreement, "SellerOrderReferencedDocument");
    invoice.purchase_order_reference =
        issuer_assigned_id(ctx, agreement, "BuyerOrderReferencedDocument");
    invoice.contract_reference = issuer_assigned_id(ctx, agreement, "ContractReferencedDocument");
    for (const Cursor& reference :
         ctx.children(agreement, kRamNs, "AdditionalReferencedDocument")) {
        const Cursor type = ctx.ram(reference, "TypeCode");
        const std::string code = trimmed_text(type);
        // EN 16931-3-3: type 50 is the tender or lot (BT-17), 130 the invoiced object (BT-18,
        // its scheme in ram:ReferenceTypeCode), 916 a supporting document (BG-24). A document
        // without a type code is read as BG-24 too, as the CEN Schematron does (BR-52 applies to
        // every ram:AdditionalReferencedDocument); any other code is left unmapped.
        if (code == "50" && !invoice.tender_or_lot_reference) {
            ctx.consume(type);
            invoice.tender_or_lot_reference = ctx.token(ctx.ram(reference, "IssuerAssignedID"));
        } else if (code == "130" && !invoice.invoiced_object_id) {
            ctx.consume(type);
            invoice.invoiced_object_id = ctx.identifier(ctx.ram(reference, "IssuerAssignedID"));
            if (auto scheme = ctx.token(ctx.ram(reference, "ReferenceTypeCode"));
                scheme && invoice.invoiced_object_id) {
                invoice.invoiced_object_id->value.scheme = std::move(scheme->value);
            }
        } else if (code == "916" || !type) {
            ctx.consume(type);
            model::AdditionalDocument document;
            document.source = ctx.group_source(reference);
            document.reference = ctx.token(ctx.ram(reference, "IssuerAssignedID"));
            document.external_location = ctx.token(ctx.ram(reference, "URIID"));
            document.description = ctx.text(ctx.ram(reference, "Name"));
            document.attachment = ctx.binary_object(ctx.ram(reference, "AttachmentBinaryObject"));
            invoice.additional_documents.push_back(std::move(document));
        }
    }
    const Cursor project = ctx.ram(agreement, "SpecifiedProcuringProject");
    invoice.project_reference = ctx.token(ctx.ram(project, "ID"));
    // The CII schema requires a project name; EN 16931-3-3 fills it with this fixed text.
    if (const Cursor name = ctx.ram(project, "Name"); trimmed_text(name) == "Project reference") {
        ctx.consume(name);
    }
}

// BT-8 in the model's UNTDID 2005 codes: EN 16931-3-3 maps the UNTDID 2475 codes of CII.
std::string untdid_2005(const std::string& code) {
    return code == "5" ? "3" : code == "29" ? "35" : code == "72" ? "432" : code;
}

// BT-7 and BT-8, which CII repeats in every ram:ApplicableTradeTax: the first one maps, a later
// one with the same value is the same term, a different one is left unmapped.
void read_tax_point(Context& ctx, const Cursor& tax, model::Invoice& invoice) {
    const Cursor point_date = ctx.ram(tax, "TaxPointDate");
    if (!invoice.vat_point_date) {
        invoice.vat_point_date = ctx.date(point_date, "BT-7");
    } else if (const Cursor date = ctx.child(point_date, kUdtNs, "DateString")) {
        const auto again = model::parse_date(trimmed_text(date), model::DateFormat::kCompact);
        if (again && invoice.vat_point_date->parsed() && *again == invoice.vat_point_date->value) {
            ctx.consume(date);
        }
    }
    const Cursor date_code = ctx.ram(tax, "DueDateTypeCode");
    if (!date_code) {
        return;
    }
    const std::string code = untdid_2005(trimmed_text(date_code));
    if (!invoice.vat_point_date_code) {
        invoice.vat_point_date_code = ctx.token(date_code);
        invoice.vat_point_date_code->value = code;
    } else if (code == invoice.vat_point_date_code->value) {
        ctx.consume(date_code);
    }
}

// BG-23 with BT-7 and BT-8.
void read_vat_breakdown(Context& ctx, const Cursor& settlement, model::Invoice& invoice) {
    for (const Cursor& tax : ctx.children(settlement, kRamNs, "ApplicableTradeTax")) {
        model::VatBreakdown vat;
        vat.source = ctx.group_source(tax);
        vat.tax_amount = ctx.decimal(ctx.ram(tax, "CalculatedAmount"), "BT-117");
        static_cast<void>(is_vat_type(ctx, tax));
        vat.exemption_reason = ctx.text(ctx.ram(tax, "ExemptionReason"));
        vat.taxable_amount = ctx.decimal(ctx.ram(tax, "BasisAmount"), "BT-116");
        vat.category_code = ctx.token(ctx.ram(tax, "CategoryCode"));
        vat.exemption_reason_code = ctx.token(ctx.ram(tax, "ExemptionReasonCode"));
        vat.rate = ctx.decimal(ctx.ram(tax, "RateApplicablePercent"), "BT-119");
        invoice.vat_breakdown.push_back(std::move(vat));
        read_tax_point(ctx, tax, invoice);
    }
}

// BG-22. BT-110 and BT-111 are both ram:TaxTotalAmount, told apart by currencyID.
void read_totals(Context& ctx, const Cursor& settlement, model::Invoice& invoice) {
    const Cursor sum = ctx.ram(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation");
    model::DocumentTotals& t = invoice.totals;
    t.source = ctx.group_source(sum);
    t.sum_of_line_net_amounts = ctx.decimal(ctx.ram(sum, "LineTotalAmount"), "BT-106");
    t.sum_of_charges = ctx.decimal(ctx.ram(sum, "ChargeTotalAmount"), "BT-108");
    t.sum_of_allowances = ctx.decimal(ctx.ram(sum, "AllowanceTotalAmount"), "BT-107");
    t.total_without_vat = ctx.decimal(ctx.ram(sum, "TaxBasisTotalAmount"), "BT-109");
    const std::string document_currency = invoice.currency_code ? invoice.currency_code->value : "";
    const std::string tax_currency =
        invoice.vat_accounting_currency_code ? invoice.vat_accounting_currency_code->value : "";
    for (const Cursor& amount : ctx.children(sum, kRamNs, "TaxTotalAmount")) {
        const std::string currency = trimmed_attribute(amount, "currencyID");
        const bool accounting =
            !tax_currency.empty() && tax_currency != document_currency && currency == tax_currency;
        model::Term<model::Decimal>& target =
            accounting ? t.total_vat_in_accounting_currency : t.total_vat;
        if (!target) {
            target = ctx.decimal(amount, accounting ? "BT-111" : "BT-110");
        }
    }
    t.rounding_amount = ctx.decimal(ctx.ram(sum, "RoundingAmount"), "BT-114");
    t.total_with_vat = ctx.decimal(ctx.ram(sum, "GrandTotalAmount"), "BT-112");
    t.paid_amount = ctx.decimal(ctx.ram(sum, "TotalPrepaidAmount"), "BT-113");
    t.amount_due = ctx.decimal(ctx.ram(sum, "DuePayableAmount"), "BT-115");
}

// BT-5, BT-6, BT-19, BG-3, BG-14, BG-23, BG-22 from ram:ApplicableHeaderTradeSettlement.
void read_settlement(Context& ctx, const Cursor& settlement, model::Invoice& invoice) {
    invoice.vat_accounting_currency_code = ctx.token(ctx.ram(settlement, "TaxCurrencyCode"));
    invoice.currency_code = ctx.token(ctx.ram(settlement, "InvoiceCurrencyCode"));
    read_vat_breakdown(ctx, settlement, invoice);
    if (const Cursor period = ctx.ram(settlement, "BillingSpecifiedPeriod")) {
        if (!invoice.delivery) {
            invoice.delivery.emplace();
        }
        invoice.delivery->invoicing_period = model::Period{
            ctx.group_source(period), ctx.date(ctx.ram(period, "StartDateTime"), "BT-73"),
            ctx.date(ctx.ram(period, "EndDateTime"), "BT-74")};
    }
    read_totals(ctx, settlement, invoice);
    for (const Cursor& reference : ctx.children(settlement, kRamNs, "InvoiceReferencedDocument")) {
        invoice.preceding_invoices.push_back(model::PrecedingInvoice{
            ctx.group_source(reference), ctx.token(ctx.ram(reference, "IssuerAssignedID")),
            ctx.date(ctx.ram(reference, "FormattedIssueDateTime"), "BT-26")});
    }
    invoice.buyer_accounting_reference =
        ctx.text(ctx.ram(ctx.ram(settlement, "ReceivableSpecifiedTradeAccountingAccount"), "ID"));
}

}  // namespace

bool is_vat_type(Context& ctx, const Cursor& tax) {
    const Cursor type = ctx.ram(tax, "TypeCode");
    if (upper_token(type.node.text()) != "VAT") {
        return false;
    }
    ctx.consume(type);
    return true;
}

std::optional<bool> charge_indicator(Context& ctx, const Cursor& owner, std::string_view term) {
    return ctx.indicator(owner, ctx.child(ctx.ram(owner, "ChargeIndicator"), kUdtNs, "Indicator"),
                         term);
}

core::Result<model::Invoice> read_cii(const xml::Document& doc, const binding::ReadOptions& options) {
    return read_cii(binding::tree_of(doc), options);
}

core::Result<model::Invoice> read_cii(const xml::Tree& tree, const binding::ReadOptions& options) {
    const Cursor root = Context::root(tree);
    if (root.node.local_name() != "CrossIndustryInvoice" || root.node.namespace_uri() != kRsmNs) {
        return core::fail(core::Errc::kInvalidInput, "CII-ROOT",
                          "the root element is not a UN/CEFACT CrossIndustryInvoice",
                          "l'élément racine n'est pas une CrossIndustryInvoice UN/CEFACT",
                          root.node.line());
    }
    model::Invoice invoice;
    invoice.syntax = model::Syntax::kCii;
    Context ctx(invoice, options.paths);
    ctx.touch(root);
    read_document(ctx, root, invoice);
    const Cursor transaction = ctx.rsm(root, "SupplyChainTradeTransaction");
    ctx.touch(transaction);
    const Cursor agreement = ctx.ram(transaction, "ApplicableHeaderTradeAgreement");
    const Cursor settlement = ctx.ram(transaction, "ApplicableHeaderTradeSettlement");
    ctx.touch(agreement);
    ctx.touch(settlement);
    read_agreement_references(ctx, agreement, invoice);
    read_parties(ctx, agreement, settlement, invoice);
    read_delivery(ctx, ctx.ram(transaction, "ApplicableHeaderTradeDelivery"), invoice);
    read_settlement(ctx, settlement, invoice);
    read_payment(ctx, settlement, invoice);
    read_document_allowances(ctx, settlement, invoice);
    read_lines(ctx, transaction, invoice);
    if (options.unmapped) {
        ctx.collect_unmapped(root);
    }
    return invoice;
}

}  // namespace facteur::formats::cii
