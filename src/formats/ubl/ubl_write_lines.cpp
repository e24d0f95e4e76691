// BG-20/BG-21 document allowances and charges, BG-22/BG-23 totals and VAT breakdown, and BG-25
// INVOICE LINE with BG-26..BG-32, written as UBL 2.1 (EN 16931-3-2): the inverse of
// ubl_lines.cpp and of the totals in ubl_reader.cpp.

#include "ubl_emit.h"

namespace facteur::formats::ubl {

namespace {

void charge_indicator(Emitter& e, bool charge) {
    e.w.leaf("cbc:ChargeIndicator", charge ? "true" : "false");
}

// cac:TaxCategory / cac:ClassifiedTaxCategory with its VAT scheme, when it has a value.
void tax_category(Emitter& e, std::string_view qname, const model::Term<std::string>& code,
                  const model::Term<model::Decimal>& rate) {
    if (!code && !rate) {
        return;
    }
    e.w.open(qname);
    e.text("cbc:ID", code);
    e.number("cbc:Percent", rate);
    e.tax_scheme("VAT");
    e.w.close();
}

void document_allowance_charge(Emitter& e, const model::DocumentAllowanceCharge& ac, bool charge) {
    e.w.open("cac:AllowanceCharge");
    charge_indicator(e, charge);
    e.text("cbc:AllowanceChargeReasonCode", ac.reason_code);
    e.text("cbc:AllowanceChargeReason", ac.reason);
    e.number("cbc:MultiplierFactorNumeric", ac.percentage);
    e.amount("cbc:Amount", ac.amount);
    e.amount("cbc:BaseAmount", ac.base_amount);
    tax_category(e, "cac:TaxCategory", ac.vat_category_code, ac.vat_rate);
    e.w.close();
}

void line_allowance_charge(Emitter& e, const model::LineAllowanceCharge& ac, bool charge) {
    e.w.open("cac:AllowanceCharge");
    charge_indicator(e, charge);
    e.text("cbc:AllowanceChargeReasonCode", ac.reason_code);
    e.text("cbc:AllowanceChargeReason", ac.reason);
    e.number("cbc:MultiplierFactorNumeric", ac.percentage);
    e.amount("cbc:Amount", ac.amount);
    e.amount("cbc:BaseAmount", ac.base_amount);
    e.w.close();
}

// Σ BT-117, or nullopt when one is missing or unreadable or the sum does not fit.
std::optional<model::Decimal> sum_of_vat_amounts(const model::Invoice& inv) {
    model::Decimal sum{0, 0};
    for (const model::VatBreakdown& v : inv.vat_breakdown) {
        if (!v.tax_amount || !v.tax_amount->parsed()) {
            return std::nullopt;
        }
        auto next = model::add(sum, v.tax_amount->value);
        if (!next) {
            return std::nullopt;
        }
        sum = *next;
    }
    return sum;
}

// The BT-110 of cac:TaxTotal, which UBL requires to carry the VAT breakdown: BT-110 itself, or
// Σ BT-117 when it is absent (BR-CO-14 makes them equal), recorded as a Loss.
model::Term<model::Decimal> tax_total_amount(Emitter& e) {
    if (e.inv.totals.total_vat || e.inv.vat_breakdown.empty()) {
        return e.inv.totals.total_vat;
    }
    const std::optional<model::Decimal> sum = sum_of_vat_amounts(e.inv);
    if (!sum) {
        for (std::size_t i = 0; i < e.inv.vat_breakdown.size(); ++i) {
            e.losses.add(binding::occurrence("BG-23", i),
                         "UBL carries the VAT breakdown in cac:TaxTotal, which requires the "
                         "invoice total VAT amount (BT-110): absent, and not derivable",
                         "UBL porte la ventilation de TVA dans cac:TaxTotal, qui exige le "
                         "montant total de TVA (BT-110) : absent et non calculable");
        }
        return std::nullopt;
    }
    e.losses.add("BG-22/BT-110",
                 "UBL requires the invoice total VAT amount (BT-110) with the VAT breakdown: "
                 "written as the sum of the VAT category tax amounts (BT-117)",
                 "UBL exige le montant total de TVA (BT-110) avec la ventilation : écrit comme "
                 "la somme des montants de TVA par catégorie (BT-117)");
    return model::Value<model::Decimal>{*sum, {}, std::nullopt};
}

void vat_breakdown(Emitter& e, const model::VatBreakdown& v) {
    e.w.open("cac:TaxSubtotal");
    e.amount("cbc:TaxableAmount", v.taxable_amount);
    e.amount("cbc:TaxAmount", v.tax_amount);
    e.w.open("cac:TaxCategory");
    e.text("cbc:ID", v.category_code);
    e.number("cbc:Percent", v.rate);
    e.text("cbc:TaxExemptionReasonCode", v.exemption_reason_code);
    e.text("cbc:TaxExemptionReason", v.exemption_reason);
    e.tax_scheme("VAT");
    e.w.close();
    e.w.close();
}

// BT-111 is told from BT-110 by its currencyID, BT-6, which must differ from BT-5.
void accounting_tax_total(Emitter& e) {
    const auto& amount = e.inv.totals.total_vat_in_accounting_currency;
    if (!amount) {
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
    e.w.open("cac:TaxTotal");
    e.amount_in("cbc:TaxAmount", amount, e.tax_currency);
    e.w.close();
}

// BT-148 − BT-146 when both are readable and the difference is not negative.
std::optional<model::Decimal> derived_discount(const model::PriceDetails& p) {
    if (!p.gross_price || !p.gross_price->parsed() || !p.net_price || !p.net_price->parsed()) {
        return std::nullopt;
    }
    auto difference = model::subtract(p.gross_price->value, p.net_price->value);
    if (!difference || *difference < model::Decimal{0, 0}) {
        return std::nullopt;
    }
    return *difference;
}

// BG-29. UBL carries the gross price (BT-148) as the base amount of the price allowance, whose
// amount (BT-147) it requires: without a discount, BT-147 is written as BT-148 − BT-146.
void price(Emitter& e, const model::PriceDetails& p, const std::string& line_occurrence) {
    e.w.open("cac:Price");
    e.amount("cbc:PriceAmount", p.net_price);
    e.quantity("cbc:BaseQuantity", p.base_quantity, p.base_quantity_unit_code);
    model::Term<model::Decimal> discount = p.discount;
    if (!discount && p.gross_price) {
        if (const auto derived = derived_discount(p)) {
            discount = model::Value<model::Decimal>{*derived, {}, std::nullopt};
            e.losses.add(line_occurrence + "/BG-29/BT-147",
                         "UBL carries the item gross price only with a price discount: the "
                         "discount is written as gross price (BT-148) − net price (BT-146)",
                         "UBL ne porte le prix brut qu'avec une remise sur prix : la remise est "
                         "écrite comme prix brut (BT-148) − prix net (BT-146)");
        } else {
            e.losses.add(line_occurrence + "/BG-29/BT-148",
                         "UBL carries the item gross price only with a price discount, which "
                         "cannot be derived here (net price missing or above the gross price)",
                         "UBL ne porte le prix brut qu'avec une remise sur prix, non calculable "
                         "ici (prix net absent ou supérieur au prix brut)");
        }
    }
    if (discount) {
        e.w.open("cac:AllowanceCharge");
        charge_indicator(e, false);
        e.amount("cbc:Amount", discount);
        e.amount("cbc:BaseAmount", p.gross_price);
        e.w.close();
    }
    e.w.close();
}

void item(Emitter& e, const model::InvoiceLine& line) {
    const model::Item& it = line.item;
    e.w.open_required("cac:Item");
    e.text("cbc:Description", it.description);
    e.text("cbc:Name", it.name);
    e.w.open("cac:BuyersItemIdentification");
    e.text("cbc:ID", it.buyers_id);
    e.w.close();
    e.w.open("cac:SellersItemIdentification");
    e.text("cbc:ID", it.sellers_id);
    e.w.close();
    e.w.open("cac:StandardItemIdentification");
    e.identifier("cbc:ID", it.standard_id);
    e.w.close();
    e.w.open("cac:OriginCountry");
    e.text("cbc:IdentificationCode", it.country_of_origin);
    e.w.close();
    for (const model::Value<model::Identifier>& id : it.classification_ids) {
        e.w.open("cac:CommodityClassification");
        e.identifier("cbc:ItemClassificationCode", id, "listID", "listVersionID");
        e.w.close();
    }
    tax_category(e, "cac:ClassifiedTaxCategory", line.vat.category_code, line.vat.rate);
    for (const model::ItemAttribute& a : it.attributes) {
        e.w.open("cac:AdditionalItemProperty");
        e.text("cbc:Name", a.name);
        e.text("cbc:Value", a.value);
        e.w.close();
    }
    e.w.close();
}

void line_references(Emitter& e, const model::InvoiceLine& line) {
    e.text("cbc:AccountingCost", line.buyer_accounting_reference);
    if (line.period) {
        e.w.open("cac:InvoicePeriod");
        e.date("cbc:StartDate", line.period->start_date);
        e.date("cbc:EndDate", line.period->end_date);
        e.w.close();
    }
    e.w.open("cac:OrderLineReference");
    e.text("cbc:LineID", line.purchase_order_line_reference);
    e.w.close();
    if (line.object_id) {
        e.w.open("cac:DocumentReference");
        e.identifier("cbc:ID", line.object_id);
        e.w.leaf("cbc:DocumentTypeCode", "130");
        e.w.close();
    }
}

void write_line(Emitter& e, const model::InvoiceLine& line, const std::string& line_occurrence) {
    const bool invoice = e.kind == DocumentKind::kInvoice;
    e.w.open_required(invoice ? "cac:InvoiceLine" : "cac:CreditNoteLine");
    e.text("cbc:ID", line.id);
    e.text("cbc:Note", line.note);
    e.quantity(invoice ? "cbc:InvoicedQuantity" : "cbc:CreditedQuantity", line.quantity,
               line.quantity_unit_code);
    e.amount("cbc:LineExtensionAmount", line.net_amount);
    line_references(e, line);
    for (const model::LineAllowanceCharge& ac : line.allowances) {
        line_allowance_charge(e, ac, false);
    }
    for (const model::LineAllowanceCharge& ac : line.charges) {
        line_allowance_charge(e, ac, true);
    }
    item(e, line);
    price(e, line.price, line_occurrence);
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

void write_totals(Emitter& e) {
    const model::Term<model::Decimal> total_vat = tax_total_amount(e);
    if (total_vat) {
        e.w.open("cac:TaxTotal");
        e.amount("cbc:TaxAmount", total_vat);
        for (const model::VatBreakdown& v : e.inv.vat_breakdown) {
            vat_breakdown(e, v);
        }
        e.w.close();
    }
    accounting_tax_total(e);
    const model::DocumentTotals& t = e.inv.totals;
    e.w.open_required("cac:LegalMonetaryTotal");
    e.amount("cbc:LineExtensionAmount", t.sum_of_line_net_amounts);
    e.amount("cbc:TaxExclusiveAmount", t.total_without_vat);
    e.amount("cbc:TaxInclusiveAmount", t.total_with_vat);
    e.amount("cbc:AllowanceTotalAmount", t.sum_of_allowances);
    e.amount("cbc:ChargeTotalAmount", t.sum_of_charges);
    e.amount("cbc:PrepaidAmount", t.paid_amount);
    e.amount("cbc:PayableRoundingAmount", t.rounding_amount);
    e.amount("cbc:PayableAmount", t.amount_due);
    e.w.close();
}

void write_lines(Emitter& e) {
    for (std::size_t i = 0; i < e.inv.lines.size(); ++i) {
        write_line(e, e.inv.lines[i], binding::occurrence("BG-25", i));
    }
}

}  // namespace facteur::formats::ubl
