// BG-20/BG-21 document allowances and charges, and BG-25 INVOICE LINE with BG-26..BG-32, in
// UBL 2.1 (EN 16931-3-2).

#include "ubl_binding.h"

namespace facteur::formats::ubl {

namespace {

using binding::AllowanceChargeIds;
using binding::kDocumentAllowance;
using binding::kDocumentCharge;
using binding::kLineAllowance;
using binding::kLineCharge;

model::LineAllowanceCharge read_line_allowance_charge(Context& ctx, const Cursor& ac,
                                                      const AllowanceChargeIds& ids) {
    model::LineAllowanceCharge out;
    out.source = ctx.group_source(ac);
    out.amount = ctx.decimal(ctx.cbc(ac, "Amount"), ids.amount);
    out.base_amount = ctx.decimal(ctx.cbc(ac, "BaseAmount"), ids.base_amount);
    out.percentage = ctx.decimal(ctx.cbc(ac, "MultiplierFactorNumeric"), ids.percentage);
    out.reason = ctx.text(ctx.cbc(ac, "AllowanceChargeReason"));
    out.reason_code = ctx.token(ctx.cbc(ac, "AllowanceChargeReasonCode"));
    return out;
}

model::DocumentAllowanceCharge read_document_allowance_charge(Context& ctx, const Cursor& ac,
                                                              const AllowanceChargeIds& ids) {
    model::LineAllowanceCharge common = read_line_allowance_charge(ctx, ac, ids);
    const Cursor category = ctx.cac(ac, "TaxCategory");
    model::DocumentAllowanceCharge out;
    out.source = std::move(common.source);
    out.amount = std::move(common.amount);
    out.base_amount = std::move(common.base_amount);
    out.percentage = std::move(common.percentage);
    out.vat_category_code = ctx.token(ctx.cbc(category, "ID"));
    out.vat_rate = ctx.decimal(ctx.cbc(category, "Percent"), ids.vat_rate);
    static_cast<void>(is_vat_scheme(ctx, category));
    out.reason = std::move(common.reason);
    out.reason_code = std::move(common.reason_code);
    return out;
}

// BG-31 with BG-30 (cac:ClassifiedTaxCategory sits in cac:Item) and BG-32.
void read_item(Context& ctx, const Cursor& item, model::InvoiceLine& line) {
    model::Item& out = line.item;
    out.source = ctx.group_source(item);
    out.description = ctx.text(ctx.cbc(item, "Description"));
    out.name = ctx.text(ctx.cbc(item, "Name"));
    out.buyers_id = ctx.token(ctx.cbc(ctx.cac(item, "BuyersItemIdentification"), "ID"));
    out.sellers_id = ctx.token(ctx.cbc(ctx.cac(item, "SellersItemIdentification"), "ID"));
    out.standard_id = ctx.identifier(ctx.cbc(ctx.cac(item, "StandardItemIdentification"), "ID"));
    out.country_of_origin =
        ctx.token(ctx.cbc(ctx.cac(item, "OriginCountry"), "IdentificationCode"));
    for (const Cursor& classification : ctx.children(item, kCacNs, "CommodityClassification")) {
        auto code = ctx.identifier(ctx.cbc(classification, "ItemClassificationCode"), "listID",
                                   "listVersionID");
        if (code) {
            out.classification_ids.push_back(std::move(*code));
        }
    }
    const Cursor category = ctx.cac(item, "ClassifiedTaxCategory");
    line.vat.source = ctx.group_source(category);
    line.vat.category_code = ctx.token(ctx.cbc(category, "ID"));
    line.vat.rate = ctx.decimal(ctx.cbc(category, "Percent"), "BT-152");
    static_cast<void>(is_vat_scheme(ctx, category));
    for (const Cursor& property : ctx.children(item, kCacNs, "AdditionalItemProperty")) {
        out.attributes.push_back(model::ItemAttribute{ctx.group_source(property),
                                                      ctx.text(ctx.cbc(property, "Name")),
                                                      ctx.text(ctx.cbc(property, "Value"))});
    }
}

// BG-29. The price allowance (cac:Price/cac:AllowanceCharge, an allowance by EN 16931) carries
// the discount (BT-147) and the gross price as its base amount (BT-148).
void read_price(Context& ctx, const Cursor& price, model::PriceDetails& out) {
    out.source = ctx.group_source(price);
    out.net_price = ctx.decimal(ctx.cbc(price, "PriceAmount"), "BT-146");
    const Cursor base_quantity = ctx.cbc(price, "BaseQuantity");
    out.base_quantity = ctx.decimal(base_quantity, "BT-149");
    out.base_quantity_unit_code = ctx.attribute(base_quantity, "unitCode");
    const Cursor allowance = ctx.cac(price, "AllowanceCharge");
    if (!allowance) {
        return;
    }
    const Cursor indicator = ctx.cbc(allowance, "ChargeIndicator");
    // EN 16931 knows only a price allowance (BT-147); a price charge has no term and stays
    // unmapped, and so does an allowance whose indicator is missing or not a boolean.
    const std::string is_charge = trimmed_text(indicator);
    if (is_charge != "false" && is_charge != "0") {
        return;
    }
    ctx.consume(indicator);
    out.discount = ctx.decimal(ctx.cbc(allowance, "Amount"), "BT-147");
    out.gross_price = ctx.decimal(ctx.cbc(allowance, "BaseAmount"), "BT-148");
}

void read_line_references(Context& ctx, const Cursor& line, model::InvoiceLine& out) {
    out.buyer_accounting_reference = ctx.text(ctx.cbc(line, "AccountingCost"));
    if (const Cursor period = ctx.cac(line, "InvoicePeriod")) {
        out.period = model::Period{ctx.group_source(period),
                                   ctx.date(ctx.cbc(period, "StartDate"), "BT-134"),
                                   ctx.date(ctx.cbc(period, "EndDate"), "BT-135")};
    }
    out.purchase_order_line_reference =
        ctx.token(ctx.cbc(ctx.cac(line, "OrderLineReference"), "LineID"));
    for (const Cursor& reference : ctx.children(line, kCacNs, "DocumentReference")) {
        const Cursor type = ctx.cbc(reference, "DocumentTypeCode");
        if (trimmed_text(type) == "130" && !out.object_id) {
            ctx.consume(type);
            out.object_id = ctx.identifier(ctx.cbc(reference, "ID"));
        }
    }
}

model::InvoiceLine read_line(Context& ctx, const Cursor& line, DocumentKind kind) {
    model::InvoiceLine out;
    out.source = ctx.group_source(line);
    out.id = ctx.token(ctx.cbc(line, "ID"));
    out.note = ctx.text(ctx.cbc(line, "Note"));
    const Cursor quantity =
        ctx.cbc(line, kind == DocumentKind::kInvoice ? "InvoicedQuantity" : "CreditedQuantity");
    out.quantity = ctx.decimal(quantity, "BT-129");
    out.quantity_unit_code = ctx.attribute(quantity, "unitCode");
    out.net_amount = ctx.decimal(ctx.cbc(line, "LineExtensionAmount"), "BT-131");
    read_line_references(ctx, line, out);
    for (const Cursor& ac : ctx.children(line, kCacNs, "AllowanceCharge")) {
        const std::optional<bool> charge =
            ctx.indicator(ac, ctx.cbc(ac, "ChargeIndicator"), "BG-27");
        if (charge) {
            (*charge ? out.charges : out.allowances)
                .push_back(
                    read_line_allowance_charge(ctx, ac, *charge ? kLineCharge : kLineAllowance));
        }
    }
    read_item(ctx, ctx.cac(line, "Item"), out);
    read_price(ctx, ctx.cac(line, "Price"), out.price);
    return out;
}

}  // namespace

void read_document_allowances(Context& ctx, const Cursor& root, model::Invoice& invoice) {
    for (const Cursor& ac : ctx.children(root, kCacNs, "AllowanceCharge")) {
        const std::optional<bool> charge =
            ctx.indicator(ac, ctx.cbc(ac, "ChargeIndicator"), "BG-20");
        if (charge) {
            (*charge ? invoice.charges : invoice.allowances)
                .push_back(read_document_allowance_charge(
                    ctx, ac, *charge ? kDocumentCharge : kDocumentAllowance));
        }
    }
}

void read_lines(Context& ctx, const Cursor& root, DocumentKind kind, model::Invoice& invoice) {
    const std::string_view local =
        kind == DocumentKind::kInvoice ? "InvoiceLine" : "CreditNoteLine";
    const std::vector<Cursor> lines = ctx.children(root, kCacNs, local);
    invoice.lines.reserve(lines.size());  // an InvoiceLine is ~3 KB: no reallocation moves
    for (const Cursor& line : lines) {
        invoice.lines.push_back(read_line(ctx, line, kind));
    }
}

}  // namespace facteur::formats::ubl
