#pragma once

// The parts of the CII binding, one function per area of the document; cii_reader.cpp calls
// them in order. Each reads into `invoice` and marks what it maps.

#include "cii_context.h"

namespace facteur::formats::cii {

/// BG-4, BG-7, BG-11 from ram:ApplicableHeaderTradeAgreement, BG-10 from the settlement.
void read_parties(Context& ctx, const Cursor& agreement, const Cursor& settlement,
                  model::Invoice& invoice);

/// BG-13 with BG-15 from ram:ApplicableHeaderTradeDelivery (BG-14 is read with the settlement).
void read_delivery(Context& ctx, const Cursor& delivery, model::Invoice& invoice);

/// BG-16 with BG-17, BG-18, BG-19, and BT-9, BT-20 from the payment terms.
void read_payment(Context& ctx, const Cursor& settlement, model::Invoice& invoice);

/// BG-25 with BG-26..BG-32.
void read_lines(Context& ctx, const Cursor& transaction, model::Invoice& invoice);

/// BG-20 and BG-21.
void read_document_allowances(Context& ctx, const Cursor& settlement, model::Invoice& invoice);

/// A postal address (BG-5, BG-8, BG-12, BG-15) from a ram:PostalTradeAddress.
[[nodiscard]] std::optional<model::PostalAddress> read_address(Context& ctx, const Cursor& address);

/// ram:TypeCode of `tax` (an ApplicableTradeTax or CategoryTradeTax); consumes it when "VAT".
[[nodiscard]] bool is_vat_type(Context& ctx, const Cursor& tax);

/// ram:ChargeIndicator/udt:Indicator of `owner`: true for a charge, false for an allowance,
/// nullopt (with a Problem) when it is neither.
[[nodiscard]] std::optional<bool> charge_indicator(Context& ctx, const Cursor& owner,
                                                   std::string_view term);

}  // namespace facteur::formats::cii
