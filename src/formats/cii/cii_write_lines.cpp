// BG-20/BG-21 document allowances and charges, and BG-25 INVOICE LINE with BG-26..BG-32,
// written as CII D16B (EN 16931-3-3): the inverse of cii_lines.cpp.

#include "cii_emit.h"

namespace facteur::formats::cii {

namespace {

// CalculationPercent, BasisAmount, ActualAmount, ReasonCode, Reason: shared by document and
// line allowances and charges, in XSD order after the indicator.
template <class AllowanceCharge>
void allowance_charge_terms(Emitter& e, const AllowanceCharge& ac) {
    e.number("ram:CalculationPercent", ac.percentage);
    e.number("ram:BasisAmount", ac.base_amount);
    e.number("ram:ActualAmount", ac.amount);
    e.text("ram:ReasonCode", ac.reason_code);
    e.text("ram:Reason", ac.reason);
}

void document_allowance_charge(Emitter& e, const model::DocumentAllowanceCharge& ac, bool charge) {
    e.w.open("ram:SpecifiedTradeAllowanceCharge");
    e.charge_indicator(charge);
    allowance_charge_terms(e, ac);
    if (ac.vat_category_code || ac.vat_rate) {
        e.w.open("ram:CategoryTradeTax");
        e.w.leaf("ram:TypeCode", "VAT");
        e.text("ram:CategoryCode", ac.vat_category_code);
        e.number("ram:RateApplicablePercent", ac.vat_rate);
        e.w.close();
    }
    e.w.close();
}

void line_allowance_charge(Emitter& e, const model::LineAllowanceCharge& ac, bool charge) {
    e.w.open("ram:SpecifiedTradeAllowanceCharge");
    e.charge_indicator(charge);
    allowance_charge_terms(e, ac);
    e.w.close();
}

void product(Emitter& e, const model::Item& it) {
    e.w.open("ram:SpecifiedTradeProduct");
    e.identifier("ram:GlobalID", it.standard_id);
    e.text("ram:SellerAssignedID", it.sellers_id);
    e.text("ram:BuyerAssignedID", it.buyers_id);
    e.text("ram:Name", it.name);
    e.text("ram:Description", it.description);
    for (const model::ItemAttribute& a : it.attributes) {
        e.w.open("ram:ApplicableProductCharacteristic");
        e.text("ram:Description", a.name);
        e.text("ram:Value", a.value);
        e.w.close();
    }
    for (const model::Value<model::Identifier>& id : it.classification_ids) {
        e.w.open("ram:DesignatedProductClassification");
        e.identifier("ram:ClassCode", id, "listID", "listVersionID");
        e.w.close();
    }
    e.w.open("ram:OriginTradeCountry");
    e.text("ram:ID", it.country_of_origin);
    e.w.close();
    e.w.close();
}

// BT-146 + BT-147 when both are readable and the sum fits.
std::optional<model::Decimal> derived_gross_price(const model::PriceDetails& p) {
    if (!p.discount || !p.discount->parsed() || !p.net_price || !p.net_price->parsed()) {
        return std::nullopt;
    }
    auto sum = model::add(p.net_price->value, p.discount->value);
    return sum ? std::optional<model::Decimal>(*sum) : std::nullopt;
}

// BG-29. CII carries the price discount (BT-147) as an allowance on the gross price, whose
// ram:ChargeAmount (BT-148) it requires: without a gross price, it is written as BT-146 + BT-147.
void gross_price(Emitter& e, const model::PriceDetails& p, const std::string& line_occurrence) {
    model::Term<model::Decimal> gross = p.gross_price;
    if (!gross && p.discount) {
        if (const auto derived = derived_gross_price(p)) {
            gross = model::Value<model::Decimal>{*derived, {}, std::nullopt};
            e.losses.add(line_occurrence + "/BG-29/BT-148",
                         "CII carries the item price discount on the gross price, which it "
                         "requires: written as net price (BT-146) + discount (BT-147)",
                         "CII porte la remise sur prix sur le prix brut, qu'il exige : écrit "
                         "comme prix net (BT-146) + remise (BT-147)");
        } else {
            e.losses.add(line_occurrence + "/BG-29/BT-147",
                         "CII carries the item price discount on the gross price, which cannot "
                         "be derived here (net price or discount unreadable)",
                         "CII porte la remise sur prix sur le prix brut, non calculable ici "
                         "(prix net ou remise illisible)");
            return;
        }
    }
    if (!gross) {
        return;
    }
    e.w.open("ram:GrossPriceProductTradePrice");
    e.number("ram:ChargeAmount", gross);
    if (p.discount) {
        e.w.open("ram:AppliedTradeAllowanceCharge");
        e.charge_indicator(false);
        e.number("ram:ActualAmount", p.discount);
        e.w.close();
    }
    e.w.close();
}

void agreement(Emitter& e, const model::InvoiceLine& line, const std::string& line_occurrence) {
    const model::PriceDetails& p = line.price;
    e.w.open("ram:SpecifiedLineTradeAgreement");
    e.w.open("ram:BuyerOrderReferencedDocument");
    e.text("ram:LineID", line.purchase_order_line_reference);
    e.w.close();
    gross_price(e, p, line_occurrence);
    e.w.open("ram:NetPriceProductTradePrice");
    e.number("ram:ChargeAmount", p.net_price);
    if (p.base_quantity || p.base_quantity_unit_code) {
        const std::optional<std::string_view> unit =
            p.base_quantity_unit_code
                ? std::optional<std::string_view>(p.base_quantity_unit_code->value)
                : std::nullopt;
        e.w.leaf("ram:BasisQuantity", p.base_quantity ? binding::text_of(*p.base_quantity) : "",
                 {{"unitCode", unit}});
    }
    e.w.close();
    e.w.close();
}

void delivery(Emitter& e, const model::InvoiceLine& line) {
    if (!line.quantity && !line.quantity_unit_code) {
        return;
    }
    const std::optional<std::string_view> unit =
        line.quantity_unit_code ? std::optional<std::string_view>(line.quantity_unit_code->value)
                                : std::nullopt;
    e.w.open("ram:SpecifiedLineTradeDelivery");
    e.w.leaf("ram:BilledQuantity", line.quantity ? binding::text_of(*line.quantity) : "",
             {{"unitCode", unit}});
    e.w.close();
}

void settlement(Emitter& e, const model::InvoiceLine& line) {
    e.w.open_required("ram:SpecifiedLineTradeSettlement");
    e.w.open("ram:ApplicableTradeTax");
    e.w.leaf("ram:TypeCode", "VAT");
    e.text("ram:CategoryCode", line.vat.category_code);
    e.number("ram:RateApplicablePercent", line.vat.rate);
    e.w.close();
    if (line.period) {
        e.w.open("ram:BillingSpecifiedPeriod");
        e.date("ram:StartDateTime", line.period->start_date);
        e.date("ram:EndDateTime", line.period->end_date);
        e.w.close();
    }
    for (const model::LineAllowanceCharge& ac : line.allowances) {
        line_allowance_charge(e, ac, false);
    }
    for (const model::LineAllowanceCharge& ac : line.charges) {
        line_allowance_charge(e, ac, true);
    }
    e.w.open("ram:SpecifiedTradeSettlementLineMonetarySummation");
    e.number("ram:LineTotalAmount", line.net_amount);
    e.w.close();
    if (line.object_id) {
        e.w.open("ram:AdditionalReferencedDocument");
        e.w.leaf("ram:IssuerAssignedID", line.object_id->value.id);
        e.w.leaf("ram:TypeCode", "130");
        if (line.object_id->value.scheme) {
            e.w.leaf("ram:ReferenceTypeCode", *line.object_id->value.scheme);
        }
        e.w.close();
    }
    e.w.open("ram:ReceivableSpecifiedTradeAccountingAccount");
    e.text("ram:ID", line.buyer_accounting_reference);
    e.w.close();
    e.w.close();
}

void write_line(Emitter& e, const model::InvoiceLine& line, const std::string& line_occurrence) {
    e.w.open_required("ram:IncludedSupplyChainTradeLineItem");
    e.w.open_required("ram:AssociatedDocumentLineDocument");
    e.text("ram:LineID", line.id);
    e.w.open("ram:IncludedNote");
    e.text("ram:Content", line.note);
    e.w.close();
    e.w.close();
    product(e, line.item);
    agreement(e, line, line_occurrence);
    delivery(e, line);
    settlement(e, line);
    e.w.close();
}

}  // namespace

void write_document_allowances(Emitter& e) {
    for (const model::DocumentAllowanceCharge& ac : e.inv.allowances) {
        document_allowance_charge(e, ac, false);
    }
    for (const model::DocumentAllowanceCharge& ac : e.inv.charges) {
        document_allowance_charge(e, ac, true);
    }
}

void write_lines(Emitter& e) {
    for (std::size_t i = 0; i < e.inv.lines.size(); ++i) {
        write_line(e, e.inv.lines[i], binding::occurrence("BG-25", i));
    }
}

}  // namespace facteur::formats::cii
