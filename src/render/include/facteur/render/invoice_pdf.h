#pragma once

// The human-readable side of a Factur-X invoice: an A4 PDF, in French, drawn from the EN 16931
// model with libharu (this module is the libharu adapter; no libharu type or error leaves it).
// The result is the "visual" PDF that formats/facturx make_facturx() turns into PDF/A-3b.

#include <cstddef>
#include <cstdint>
#include <string>

#include "facteur/core/result.h"
#include "facteur/model/invoice.h"

namespace facteur::render {

/// Options of render_invoice_pdf(). The only files read are the two fonts named here.
struct RenderOptions {
    /// TrueType font for body text, embedded (PDF/A requires every font embedded). Default:
    /// DejaVu Sans from the Debian package fonts-dejavu-core.
    std::string font_regular_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    /// TrueType font for headings and totals, embedded. Default: DejaVu Sans Bold
    /// (fonts-dejavu-core). Empty: headings use the regular font, drawn with a stroked outline
    /// (one font program less in the PDF: smaller and faster).
    std::string font_bold_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
    /// Size of each font file, in bytes, checked before libharu opens it. Default: 32 MiB
    /// (DejaVu Sans is 0.75 MB).
    std::size_t font_bytes_max = std::size_t{32} * 1024 * 1024;
    /// Invoice lines (BG-25) drawn. Default: 10,000 (about 300 pages). Over: kResourceExhausted.
    std::uint32_t line_count_max = 10'000;
    /// Pages. Default: 2,000. Over: kResourceExhausted.
    std::uint32_t page_count_max = 2'000;
    /// Bytes of one text value drawn (a longer one is cut and ends with "…"). Default: 2,000:
    /// a legal mention fits, a base64 attachment does not belong on paper.
    std::size_t text_bytes_max = 2'000;
    /// The PDF produced, in bytes. Default: 64 MiB. Over: kResourceExhausted.
    std::size_t pdf_bytes_max = std::size_t{64} * 1024 * 1024;
};

/// Draws `invoice` as a French A4 invoice (or credit note): seller and buyer (name, address,
/// SIREN/SIRET, VAT number, legal form), number, type, dates (issue, due, delivery or invoicing
/// period), references, every note (BG-1, including the PMT/PMD/AAB legal mentions; a "#CODE#"
/// prefix as UBL writes it is shown as the subject), the lines (designation, quantity and unit,
/// net unit price, VAT rate, net amount), document allowances and charges, the VAT breakdown,
/// the totals (HT, TVA, TTC, paid, amount due) and payment instructions (means, IBAN, BIC,
/// mandate). Lines flow over as many pages as needed, the table header repeated; every page has
/// a footer with the invoice number and "page i / n". Amounts are exact (model::Decimal,
/// French grouping: "1 234,56 €"). Absent terms are left out; a value that could not be parsed
/// is shown as written. Characters the font lacks are drawn as "?". Fonts are embedded (TrueType
/// subsets with a ToUnicode map so the text can be searched and copied): simple fonts with
/// /WinAnsiEncoding when every character drawn is in Windows-1252 (French text, "€", "Œ", "–"),
/// otherwise Type0 fonts with Unicode codes (the page is then laid out twice: slower).
/// The invoice is not validated: an incomplete one gives an incomplete page, not an error.
/// Thread-safe (one libharu document per call); never throws (except std::bad_alloc).
/// Errors: kNotFound when a font file is missing; kInvalidInput when a font file cannot be
/// loaded as TrueType; kResourceExhausted when a limit of `options` is hit; kInternal when
/// libharu fails otherwise.
[[nodiscard]] core::Result<std::string> render_invoice_pdf(const model::Invoice& invoice,
                                                          const RenderOptions& options);

}  // namespace facteur::render
