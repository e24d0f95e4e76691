#pragma once

// Private: the qpdf adapter (pdf_inspect.cpp is the only file of facteur that includes qpdf).
// C++17-clean: the libFuzzer build compiles pdf_inspect.cpp as C++17 (clang 14 cannot compile
// qpdf 11.3's headers as C++20).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/core/result.h"
#include "facteur/formats/facturx/facturx_reader.h"
#include "facteur/model/report.h"

namespace facteur::formats::facturx {

/// What the PDF layer learnt, before any XML is looked at.
struct PdfFacts {
    bool opened = false;                     ///< qpdf opened the file and it is not encrypted
    std::vector<EmbeddedFile> files;         ///< every embedded file
    std::vector<std::size_t> invoice_files;  ///< indexes into `files` of invoice attachments
    std::string invoice_xml;                 ///< decoded, when exactly one invoice attachment
    bool invoice_decoded = false;            ///< invoice_xml holds the attachment
    std::optional<std::string> xmp;          ///< decoded catalog /Metadata, when readable
    bool has_metadata = false;               ///< the catalog has a /Metadata stream
    std::vector<model::Finding> findings;    ///< structure, encryption, limits, active content
};

/// Opens `pdf` with qpdf (from memory, warnings collected, never printed) and inspects it.
/// Precondition: raw_scan() passed (size, header, no flate bomb). Catches every qpdf exception.
/// Errors: kResourceExhausted (std::bad_alloc), kInternal (an exception that is not qpdf's).
[[nodiscard]] core::Result<PdfFacts> inspect_pdf(std::string_view pdf, const Options& options);

}  // namespace facteur::formats::facturx
