#pragma once

// Conversion between the three invoice formats through the semantic model: UBL 2.1, CII D16B,
// and (when the generator is built in) Factur-X PDF/A-3. The library entry point that the CLI's
// `facteur convert` and, later, the HTTP gateway call.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/core/result.h"
#include "facteur/model/conversion.h"
#include "facteur/model/invoice.h"
#include "facteur/model/report.h"
#include "facteur/xml/limits.h"

namespace facteur::pipeline {

/// kFacturX: a PDF/A-3 with the invoice drawn in French and its CII attached (factur-x.xml).
enum class Target : std::uint8_t { kUbl, kCii, kFacturX };

struct ConvertOptions {
    Target target = Target::kCii;
    /// The French convention for BT-21 in UBL (FNFE-MPE, AFNOR XP Z12-012; what the BR-FR UBL
    /// rules read): a UBL note "#PMT#text" is BT-21 PMT + BT-22 "text" when read, and BT-21 is
    /// written that way into UBL. Default: true (facteur is a French gateway); false: the CEN
    /// binding, where UBL has no BT-21 (each one is a loss).
    bool french_note_convention = true;
    model::WriteOptions write{};
    xml::Limits limits{};
    /// kFacturX: creation time written into the PDF (the caller's clock; same inputs and time give
    /// the same bytes); the epoch when left default.
    std::chrono::system_clock::time_point pdf_creation_time{};
};

struct Converted {
    std::string output;                ///< the written document
    model::Syntax source_syntax = model::Syntax::kUnknown;  ///< what the input was
    bool from_pdf = false;             ///< the input was a Factur-X PDF (its CII was converted)
    std::vector<model::Loss> losses;   ///< what the target cannot carry (never dropped silently)
};

/// An invoice read from any of the three inputs.
struct ReadInvoice {
    model::Invoice invoice;
    model::Syntax source_syntax = model::Syntax::kUnknown;
    bool from_pdf = false;
    std::string extracted_xml{};  ///< from_pdf: the invoice XML as embedded, byte for byte
};

/// Reads `input` (UBL, CII, or the CII of a Factur-X PDF) into the model; with
/// `french_note_convention`, UBL "#CODE#text" notes become BT-21 + BT-22. Errors as convert().
[[nodiscard]] core::Result<ReadInvoice> read_invoice(std::string_view input, const xml::Limits& limits,
                                                     bool french_note_convention = true);

/// Reads `input` (UBL Invoice/CreditNote, CII, or a Factur-X PDF whose embedded CII is used)
/// into model::Invoice and writes it in the target syntax. The input is not validated here (run
/// DocumentValidator for a verdict); values the reader could not interpret are written as read.
/// Errors: kInvalidInput "CONVERT-INPUT" (not an invoice in a supported syntax, or a PDF with no
/// readable invoice, with the container findings in the message), the XML parser's errors, the
/// writers' errors.
[[nodiscard]] core::Result<Converted> convert(std::string_view input, const ConvertOptions& options);

}  // namespace facteur::pipeline
