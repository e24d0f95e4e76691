#pragma once

#include "facteur/core/result.h"
#include "facteur/formats/binding/context.h"
#include "facteur/model/invoice.h"
#include "facteur/xml/document.h"

namespace facteur::formats::ubl {

/// Reads a UBL 2.1 Invoice or CreditNote into the EN 16931 model, following the CEN syntax
/// binding (EN 16931-3-2, as used by the validation artefacts 1.3.16). A CreditNote is read with
/// cac:CreditNoteLine, cbc:CreditedQuantity and cbc:CreditNoteTypeCode; its BT-9 is
/// cac:PaymentMeans/cbc:PaymentDueDate.
///
/// Any document whose root is a UBL Invoice or CreditNote gives a model, however incomplete:
/// absent elements leave terms absent; values that cannot be read (a non-numeric amount, an
/// impossible date, a charge indicator that is not a boolean) keep their text and are listed in
/// `problems`; elements the binding does not map are listed in `unmapped`. Attributes are not
/// tracked in `unmapped`. Whether the result is a compliant invoice is for the rules to say.
/// Never throws (except std::bad_alloc).
///
/// With `options.unmapped` false, `unmapped` stays empty (nothing else changes).
///
/// Errors: kInvalidInput "UBL-ROOT" when the root element is not {Invoice-2}Invoice or
/// {CreditNote-2}CreditNote.
[[nodiscard]] core::Result<model::Invoice> read_ubl(const xml::Document& doc,
                                                    const binding::ReadOptions& options = {});

/// The same, from a tree of the document (xml::Tree::build()'s, or the one Xerces' pass builds):
/// the same model, sources and problems.
[[nodiscard]] core::Result<model::Invoice> read_ubl(const xml::Tree& tree,
                                                    const binding::ReadOptions& options = {});

}  // namespace facteur::formats::ubl
