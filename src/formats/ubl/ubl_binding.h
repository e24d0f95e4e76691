#pragma once

// The parts of the UBL binding, one function per area of the document; ubl_reader.cpp calls
// them in order. Each reads from the root cursor into `invoice` and marks what it maps.

#include "ubl_context.h"

namespace facteur::formats::ubl {

/// Is the document a credit note (CreditNoteLine, CreditedQuantity, CreditNoteTypeCode)?
enum class DocumentKind : std::uint8_t { kInvoice, kCreditNote };

/// BG-4, BG-7, BG-10, BG-11. The Bank assigned creditor identifier (BT-90) sits in UBL on the
/// seller's or payee's cac:PartyIdentification with schemeID "SEPA"; it is returned in
/// `creditor_id` for read_payment().
void read_parties(Context& ctx, const Cursor& root, model::Invoice& invoice,
                  model::Term<std::string>& creditor_id);

/// BG-13 with BG-15 (BG-14 comes from cac:InvoicePeriod, read with the document terms).
void read_delivery(Context& ctx, const Cursor& root, model::Invoice& invoice);

/// BG-16 with BG-17, BG-18, BG-19; for a credit note also BT-9.
void read_payment(Context& ctx, const Cursor& root, DocumentKind kind, model::Invoice& invoice,
                  model::Term<std::string> creditor_id);

/// BG-25 with BG-26..BG-32.
void read_lines(Context& ctx, const Cursor& root, DocumentKind kind, model::Invoice& invoice);

/// BG-20 and BG-21.
void read_document_allowances(Context& ctx, const Cursor& root, model::Invoice& invoice);

/// A postal address (BG-5, BG-8, BG-12, BG-15) from a cac:PostalAddress or cac:Address.
[[nodiscard]] std::optional<model::PostalAddress> read_address(Context& ctx, const Cursor& address);

/// cac:TaxScheme/cbc:ID of `owner` (a TaxCategory, ClassifiedTaxCategory or PartyTaxScheme),
/// normalised as the Schematron does; consumes it when it is "VAT".
[[nodiscard]] bool is_vat_scheme(Context& ctx, const Cursor& owner);

}  // namespace facteur::formats::ubl
