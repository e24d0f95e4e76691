#pragma once

// Private: the writing half of the qpdf adapter (pdf_writer.cpp and pdf_inspect.cpp are the only
// files of facteur that include qpdf). C++17-clean, like pdf_inspect.h.

#include <string>
#include <string_view>

#include "facteur/core/result.h"

namespace facteur::formats::facturx {

/// Everything make_facturx() decided, ready to be put into the PDF.
struct PdfaParts {
    std::string_view visual_pdf;
    std::string_view xml;             ///< attached as is
    std::string attachment_name;      ///< "factur-x.xml"
    std::string relationship;         ///< "Data" or "Alternative"
    std::string description;          ///< file specification /Desc
    std::string xmp;                  ///< the whole XMP packet
    std::string icc_profile;          ///< ICC profile bytes (RGB)
    std::string output_condition;     ///< OutputConditionIdentifier and /Info
    std::string title;                ///< Info /Title (UTF-8)
    std::string producer;             ///< Info /Producer
    std::string creator;              ///< Info /Creator
    std::string pdf_date;             ///< "D:YYYYMMDDHHmmSS+00'00'": Info dates, /ModDate
};

/// Opens `parts.visual_pdf` with qpdf and writes the PDF/A-3 Factur-X file. Catches every qpdf
/// exception. Errors: kInvalidInput (unreadable, encrypted, attachments or active content in
/// the visual PDF), kResourceExhausted (std::bad_alloc), kInternal (other failures).
[[nodiscard]] core::Result<std::string> write_pdfa(const PdfaParts& parts);

}  // namespace facteur::formats::facturx
