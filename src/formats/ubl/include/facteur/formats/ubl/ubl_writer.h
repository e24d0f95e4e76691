#pragma once

#include "facteur/core/result.h"
#include "facteur/model/conversion.h"
#include "facteur/model/invoice.h"

namespace facteur::formats::ubl {

/// Writes `invoice` as a UBL 2.1 Invoice or CreditNote following the CEN syntax binding
/// (EN 16931-3-2): the exact inverse of read_ubl, so that read_ubl(write_ubl(m)) carries every
/// term value of m except those listed in Written::losses. Elements come in the XSD sequence
/// order, with the CEN examples' prefixes (default namespace for the root, cac:, cbc:); every
/// amount has currencyID BT-5 (BT-111: BT-6); decimals keep their written scale; dates are
/// YYYY-MM-DD; a value the reader could not parse is written as its source text.
///
/// The root is chosen by options.ubl_document (default: as read, see model::UblDocumentKind).
/// A CreditNote writes BT-9 in the first cac:PaymentMeans and BT-11 as an
/// AdditionalDocumentReference with DocumentTypeCode 50 (it has no cac:ProjectReference).
///
/// Losses (model::Loss, never a silent drop): every Invoice::unmapped element of the source;
/// each BT-21, which UBL cannot carry (options.ubl_note_subject); BG-16 terms when BT-81 is
/// absent (cac:PaymentMeans requires it); BT-111 without a distinct BT-6. Values UBL requires
/// and the model lacks are derived and listed too: BT-110 = Σ BT-117 when only the breakdown is
/// given, BT-147 = BT-148 − BT-146 for a gross price without discount, BT-13 "NA" beside a
/// lone BT-14. Syntax fillers that carry no term: cac:CardAccount/cbc:NetworkID "NA",
/// cac:TaxScheme/cbc:ID "VAT" (BT-32: "TAX").
///
/// Errors: kInvalidInput "XML-WRITE-CHAR" when a value holds a character XML 1.0 cannot carry;
/// kResourceExhausted "XML-WRITE-SIZE" beyond options.output_bytes_max.
[[nodiscard]] core::Result<model::Written> write_ubl(const model::Invoice& invoice,
                                                     const model::WriteOptions& options);

}  // namespace facteur::formats::ubl
