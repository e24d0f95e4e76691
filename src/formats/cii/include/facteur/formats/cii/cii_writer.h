#pragma once

#include "facteur/core/result.h"
#include "facteur/model/conversion.h"
#include "facteur/model/invoice.h"

namespace facteur::formats::cii {

/// Writes `invoice` as a UN/CEFACT Cross Industry Invoice D16B following the CEN syntax binding
/// (EN 16931-3-3): the exact inverse of read_cii, so that read_cii(write_cii(m)) carries every
/// term value of m except those listed in Written::losses. Elements come in the D16B XSD
/// sequence order, with the CEN examples' prefixes (rsm:, ram:, udt:, qdt:); dates are format
/// 102 (YYYYMMDD); decimals keep their written scale; only ram:TaxTotalAmount has a currencyID
/// (BT-5 for BT-110, BT-6 for BT-111); BT-8 is written in UNTDID 2475 (3 -> 5, 35 -> 29,
/// 432 -> 72); a value the reader could not parse is written as its source text. A party
/// identifier with a scheme is a ram:GlobalID, one without a ram:ID; BT-84 is a ram:IBANID when
/// it has the shape of an IBAN, else a ram:ProprietaryID.
///
/// Losses (model::Loss, never a silent drop): every Invoice::unmapped element of the source;
/// BG-3 beyond the first (D16B has one ram:InvoiceReferencedDocument); BT-7 and BT-8 without a
/// VAT breakdown (they live in ram:ApplicableTradeTax); BT-111 without a distinct BT-6; the
/// order of BT-29 when identifiers with a scheme precede ones without. Values CII requires and
/// the model lacks are derived and listed too: BT-148 = BT-146 + BT-147 for a price discount
/// without gross price. Syntax fillers that carry no term: ram:TypeCode "VAT", ram:TypeCode 916
/// of a BG-24, the project name "Project reference".
///
/// Errors: kInvalidInput "XML-WRITE-CHAR" when a value holds a character XML 1.0 cannot carry;
/// kResourceExhausted "XML-WRITE-SIZE" beyond options.output_bytes_max.
[[nodiscard]] core::Result<model::Written> write_cii(const model::Invoice& invoice,
                                                     const model::WriteOptions& options);

}  // namespace facteur::formats::cii
