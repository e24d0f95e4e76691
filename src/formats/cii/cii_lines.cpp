// BG-20/BG-21 document allowances and charges, and BG-25 INVOICE LINE with BG-26..BG-32, in
// CII D16B (EN 16931-3-3).

#include "cii_binding.h"

namespace facteur::formats::cii {

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
    out.percentage = ctx.decimal(ctx.ram(ac, "CalculationPercent"), ids.percentage);
    out.base_amount = ctx.decimal(ctx.ram(ac, "BasisAmount"), ids.base_amount);
    out.amount = ctx.decimal(ctx.ram(ac, "ActualAmount"), ids.amount);
    out.reason_code = ctx.token(ctx.ram(ac, "ReasonCode"));
    out.reason = ctx.text(ctx.ram(ac, "Reason"));
    return out;
}

model::DocumentAllowanceCharge read_document_allowance_charge(Context& ctx, const Cursor& ac,
                                                              const AllowanceChargeIds& ids) {
    model::LineAllowanceCharge common = read_line_allowance_charge(ctx, ac, ids);
    const Cursor tax = ctx.ram(ac, "CategoryTradeTax");
    model::DocumentAllowanceCharge out;
    out.source = std::move(common.source);
    out.amount = std::move(common.amount);
    out.base_amount = std::move(common.base_amount);
    out.percentage = std::move(common.percentage);
    static_cast<void>(is_vat_type(ctx, tax));
    out.vat_category_code = ctx.token(ctx.ram(tax, "CategoryCode"));
    out.vat_rate = ctx.decimal(ctx.ram(tax, "RateApplicablePercent"), ids.vat_rate);
    out.reason = std::move(common.reason);
    out.reason_code = std::move(common.reason_code);
    return out;
}

// BG-31 from ram:SpecifiedTradeProduct, with BG-32.
void read_item(Context& ctx, const Cursor& product, model::Item& out) {
    out.source = ctx.group_source(product);
    out.standard_id = ctx.identifier(ctx.ram(product, "GlobalID"));
    out.sellers_id = ctx.token(ctx.ram(product, "SellerAssignedID"));
    out.buyers_id = ctx.token(ctx.ram(product, "BuyerAssignedID"));
    out.name = ctx.text(ctx.ram(product, "Name"));
    out.description = ctx.text(ctx.ram(product, "Description"));
    for (const Cursor& characteristic :
         ctx.children(product, kRamNs, "ApplicableProductCharacteristic")) {
        out.attributes.push_back(model::ItemAttribute{
            ctx.group_source(characteristic), ctx.text(ctx.ram(characteristic, "Description")),
            ctx.text(ctx.ram(characteristic, "Value"))});
    }
    for (const Cursor& classification :
         ctx.children(product, kRamNs, "DesignatedProductClassification")) {
        auto code = ctx.identifier(ctx.ram(classification, "ClassCode"), "listID", "listVersionID");
        if (code) {
            out.classification_ids.push_back(std::move(*code));
        }
    }
    out.country_of_origin = ctx.token(ctx.ram(ctx.ram(product, "OriginTradeCountry"), "ID"));
}

// BT-149/BT-150 from ram:BasisQuantity, which CII may give on the gross and the net price: the
// first one found maps, a second one with the same text is the same term.
void read_base_quantity(Context& ctx, const Cursor& price, model::PriceDetails& out) {
    const Cursor quantity = ctx.ram(price, "BasisQuantity");
    if (!quantity) {
        return;
    }
    if (!out.base_quantity) {
        out.base_quantity = ctx.decimal(quantity, "BT-149");
        out.base_quantity_unit_code = ctx.attribute(quantity, "unitCode");
        return;
    }
    const auto value = model::parse_decimal(quantity.node.text());
    const bool same_value =
        value && out.base_quantity->parsed() && *value == out.base_quantity->value;
    const bool same_unit =
        trimmed_attribute(quantity, "unitCode")
        == (out.base_quantity_unit_code ? out.base_quantity_unit_code->value : std::string());
    if (same_value && same_unit) {
        ctx.consume(quantity);
    }
}

// BG-29 from ram:SpecifiedLineTradeAgreement. The gross price's allowance (an allowance by
// EN 16931) carries the price discount (BT-147).
void read_price(Context& ctx, const Cursor& agreement, model::PriceDetails& out) {
    const Cursor net = ctx.ram(agreement, "NetPriceProductTradePrice");
    const Cursor gross = ctx.ram(agreement, "GrossPriceProductTradePrice");
    out.source = ctx.group_source(net ? net : gross);
    out.net_price = ctx.decimal(ctx.ram(net, "ChargeAmount"), "BT-146");
    read_base_quantity(ctx, net, out);
    if (!gross) {
        return;
    }
    ctx.touch(gross);
    out.gross_price = ctx.decimal(ctx.ram(gross, "ChargeAmount"), "BT-148");
    read_base_quantity(ctx, gross, out);
    const Cursor allowance = ctx.ram(gross, "AppliedTradeAllowanceCharge");
    if (!allowance) {
        return;
    }
    const Cursor indicator = ctx.child(ctx.ram(allowance, "ChargeIndicator"), kUdtNs, "Indicator");
    // EN 16931 knows only a price allowance (BT-147); a price charge has no term and stays
    // unmapped, and so does an allowance whose indicator is missing or not a boolean.
    const std::string is_charge = trimmed_text(indicator);
    if (is_charge != "false" && is_charge != "0") {
        return;
    }
    ctx.consume(indicator);
    out.discount = ctx.decimal(ctx.ram(allowance, "ActualAmount"), "BT-147");
}

// BG-26, BG-27, BG-28, BG-30, BT-128, BT-131, BT-133 from ram:SpecifiedLineTradeSettlement.
void read_line_settlement(Context& ctx, const Cursor& settlement, model::InvoiceLine& out) {
    const Cursor tax = ctx.ram(settlement, "ApplicableTradeTax");
    out.vat.source = ctx.group_source(tax);
    static_cast<void>(is_vat_type(ctx, tax));
    out.vat.category_code = ctx.token(ctx.ram(tax, "CategoryCode"));
    out.vat.rate = ctx.decimal(ctx.ram(tax, "RateApplicablePercent"), "BT-152");
    if (const Cursor period = ctx.ram(settlement, "BillingSpecifiedPeriod")) {
        out.period = model::Period{ctx.group_source(period),
                                   ctx.date(ctx.ram(period, "StartDateTime"), "BT-134"),
                                   ctx.date(ctx.ram(period, "EndDateTime"), "BT-135")};
    }
    for (const Cursor& ac : ctx.children(settlement, kRamNs, "SpecifiedTradeAllowanceCharge")) {
        const std::optional<bool> charge = charge_indicator(ctx, ac, "BG-27");
        if (charge) {
            (*charge ? out.charges : out.allowances)
                .push_back(
                    read_line_allowance_charge(ctx, ac, *charge ? kLineCharge : kLineAllowance));
        }
    }
    out.net_amount =
        ctx.decimal(ctx.ram(ctx.ram(settlement, "SpecifiedTradeSettlementLineMonetarySummation"),
                            "LineTotalAmount"),
                    "BT-131");
    for (const Cursor& reference :
         ctx.children(settlement, kRamNs, "AdditionalReferencedDocument")) {
        const Cursor type = ctx.ram(reference, "TypeCode");
        if (trimmed_text(type) == "130" && !out.object_id) {
            ctx.consume(type);
            out.object_id = ctx.identifier(ctx.ram(reference, "IssuerAssignedID"));
            if (auto scheme = ctx.token(ctx.ram(reference, "ReferenceTypeCode"));
                scheme && out.object_id) {
                out.object_id->value.scheme = std::move(scheme->value);
            }
        }
    }
    out.buyer_accounting_reference =
        ctx.text(ctx.ram(ctx.ram(settlement, "ReceivableSpecifiedTradeAccountingAccount"), "ID"));
}

model::InvoiceLine read_line(Context& ctx, const Cursor& line) {
    model::InvoiceLine out;
    out.source = ctx.group_source(line);
    const Cursor document = ctx.ram(line, "AssociatedDocumentLineDocument");
    ctx.touch(document);
    out.id = ctx.token(ctx.ram(document, "LineID"));
    out.note = ctx.text(ctx.ram(ctx.ram(document, "IncludedNote"), "Content"));
    read_item(ctx, ctx.ram(line, "SpecifiedTradeProduct"), out.item);
    const Cursor agreement = ctx.ram(line, "SpecifiedLineTradeAgreement");
    ctx.touch(agreement);
    out.purchase_order_line_reference =
        ctx.token(ctx.ram(ctx.ram(agreement, "BuyerOrderReferencedDocument"), "LineID"));
    read_price(ctx, agreement, out.price);
    const Cursor quantity = ctx.ram(ctx.ram(line, "SpecifiedLineTradeDelivery"), "BilledQuantity");
    out.quantity = ctx.decimal(quantity, "BT-129");
    out.quantity_unit_code = ctx.attribute(quantity, "unitCode");
    read_line_settlement(ctx, ctx.ram(line, "SpecifiedLineTradeSettlement"), out);
    return out;
}

}  // namespace

void read_document_allowances(Context& ctx, const Cursor& settlement, model::Invoice& invoice) {
    for (const Cursor& ac : ctx.children(settlement, kRamNs, "SpecifiedTradeAllowanceCharge")) {
        const std::optional<bool> charge = charge_indicator(ctx, ac, "BG-20");
        if (charge) {
            (*charge ? invoice.charges : invoice.allowances)
                .push_back(read_document_allowance_charge(
                    ctx, ac, *charge ? kDocumentCharge : kDocumentAllowance));
        }
    }
}

void read_lines(Context& ctx, const Cursor& transaction, model::Invoice& invoice) {
    const std::vector<Cursor> lines =
        ctx.children(transaction, kRamNs, "IncludedSupplyChainTradeLineItem");
    invoice.lines.reserve(lines.size());  // an InvoiceLine is ~3 KB: no reallocation moves
    for (const Cursor& line : lines) {
        invoice.lines.push_back(read_line(ctx, line));
    }
}

}  // namespace facteur::formats::cii
