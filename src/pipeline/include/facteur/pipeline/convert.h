#pragma once

// Conversion between the three invoice formats through the semantic model: UBL 2.1, CII D16B,
// and (when the generator is built in) Factur-X PDF/A-3. The library entry point that the CLI's
// `facteur convert` and, later, the HTTP gateway call.

#include <string>
#include <string_view>
#include <vector>

#include "facteur/core/result.h"
#include "facteur/model/conversion.h"
#include "facteur/model/report.h"
#include "facteur/xml/limits.h"

namespace facteur::pipeline {

enum class Target : std::uint8_t { kUbl, kCii };

struct ConvertOptions {
    Target target = Target::kCii;
    /// The French convention for BT-21 in UBL (FNFE-MPE, AFNOR XP Z12-012; what the BR-FR UBL
    /// rules read): a UBL note "#PMT#text" is BT-21 PMT + BT-22 "text" when read, and BT-21 is
    /// written that way into UBL. Default: true (facteur is a French gateway); false: the CEN
    /// binding, where UBL has no BT-21 (each one is a loss).
    bool french_note_convention = true;
    model::WriteOptions write{};
    xml::Limits limits{};
};

struct Converted {
    std::string output;                ///< the written document
    model::Syntax source_syntax = model::Syntax::kUnknown;  ///< what the input was
    bool from_pdf = false;             ///< the input was a Factur-X PDF (its CII was converted)
    std::vector<model::Loss> losses;   ///< what the target cannot carry (never dropped silently)
};

/// Reads `input` (UBL Invoice/CreditNote, CII, or a Factur-X PDF whose embedded CII is used)
/// into model::Invoice and writes it in the target syntax. The input is not validated here (run
/// DocumentValidator for a verdict); values the reader could not interpret are written as read.
/// Errors: kInvalidInput "CONVERT-INPUT" (not an invoice in a supported syntax, or a PDF with no
/// readable invoice, with the container findings in the message), the XML parser's errors, the
/// writers' errors.
[[nodiscard]] core::Result<Converted> convert(std::string_view input, const ConvertOptions& options);

}  // namespace facteur::pipeline
