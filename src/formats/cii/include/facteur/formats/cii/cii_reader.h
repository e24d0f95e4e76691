#pragma once

#include "facteur/core/result.h"
#include "facteur/formats/binding/context.h"
#include "facteur/model/invoice.h"
#include "facteur/xml/document.h"

namespace facteur::formats::cii {

/// Reads a UN/CEFACT Cross Industry Invoice D16B into the EN 16931 model, following the CEN
/// syntax binding (EN 16931-3-3, as used by the validation artefacts 1.3.16). D22B documents
/// (same namespace, a superset) are read with the same binding; what it does not know ends up
/// in `unmapped`. Dates must be in format 102 (YYYYMMDD). BT-8 is converted from UNTDID 2475
/// (5, 29, 72) to the UNTDID 2005 codes of the model (3, 35, 432).
///
/// Any document whose root is {CrossIndustryInvoice:100}CrossIndustryInvoice gives a model,
/// however incomplete: absent elements leave terms absent; values that cannot be read keep
/// their text and are listed in `problems`; elements the binding does not map are listed in
/// `unmapped`. Whether the result is a compliant invoice is for the rules to say. Never throws
/// (except std::bad_alloc).
///
/// With `options.unmapped` false, `unmapped` stays empty (nothing else changes).
///
/// Errors: kInvalidInput "CII-ROOT" when the root element is not a CrossIndustryInvoice.
[[nodiscard]] core::Result<model::Invoice> read_cii(const xml::Document& doc,
                                                    const binding::ReadOptions& options = {});

/// The same, from a tree of the document (xml::Tree::build()'s, or the one Xerces' pass builds):
/// the same model, sources and problems.
[[nodiscard]] core::Result<model::Invoice> read_cii(const xml::Tree& tree,
                                                    const binding::ReadOptions& options = {});

}  // namespace facteur::formats::cii
