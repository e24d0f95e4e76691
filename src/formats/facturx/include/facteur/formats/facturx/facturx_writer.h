#pragma once

// Writing Factur-X: a visual PDF (e.g. render::render_invoice_pdf) and the CII invoice XML
// become one PDF/A-3b file with the XML attached, as Factur-X 1.0 describes. C++17-clean and
// free of qpdf includes, like facturx_reader.h.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "facteur/core/result.h"
#include "facteur/xml/limits.h"

namespace facteur::formats::facturx {

/// Options of make_facturx(). The only file read is the ICC profile named here.
struct MakeOptions {
    /// sRGB ICC profile embedded as the PDF/A output intent. Default: the one of the Debian
    /// package icc-profiles-free.
    std::string icc_profile_path = "/usr/share/color/icc/sRGB.icc";
    /// Size of the ICC profile file, in bytes. Default: 1 MiB (sRGB profiles are 3 to 7 KB).
    std::size_t icc_profile_bytes_max = std::size_t{1} * 1024 * 1024;
    /// OutputConditionIdentifier and Info of the output intent; must describe the profile.
    std::string output_condition = "sRGB IEC61966-2.1";
    /// Document title: Info /Title and XMP dc:title. Default "Facture"; callers pass e.g.
    /// "Facture F-2024-001".
    std::string title = "Facture";
    /// Info /Producer and XMP pdf:Producer.
    std::string producer = "facteur";
    /// Info /Creator and XMP xmp:CreatorTool.
    std::string creator_tool = "facteur";
    /// /Desc of the invoice file specification.
    std::string attachment_description = "Factur-X invoice (CII)";
    /// Creation and modification time of the document and of the attachment (Info, XMP,
    /// /Params /ModDate), written in UTC. Default: the Unix epoch; callers pass their Clock's
    /// now() (house style rule 11). Same inputs and time: byte-identical output.
    std::chrono::system_clock::time_point creation_time{};
    /// Visual PDF, in bytes. Default: 64 MiB. Over: kResourceExhausted.
    std::size_t visual_pdf_bytes_max = std::size_t{64} * 1024 * 1024;
    /// Invoice XML, in bytes. Default: 16 MiB. Over: kResourceExhausted.
    std::size_t xml_bytes_max = std::size_t{16} * 1024 * 1024;
    /// Limits for reading BT-24 from the XML.
    xml::Limits xml_limits{};
};

/// Makes a Factur-X 1.0 PDF/A-3b from `visual_pdf` (the human-readable invoice, with its fonts
/// embedded and no attachments, encryption or XMP of its own) and `cii_xml` (the invoice,
/// attached byte for byte as "factur-x.xml"). Adds: an XMP packet (pdfaid part 3 conformance
/// B, dc:title, xmp dates, pdf:Producer, the Factur-X PDF/A extension schema and fx:
/// DocumentType INVOICE, DocumentFileName, Version 1.0, ConformanceLevel from BT-24); an
/// Info dictionary consistent with it; a /GTS_PDFA1 output intent with the ICC profile; the
/// attachment (MIME text/xml, /Params /ModDate and /Size, /F and /UF, /Desc, /AFRelationship
/// Data for MINIMUM and BASIC WL, else Alternative) in /Names /EmbeddedFiles and the catalog's
/// /AF. Writes PDF 1.7, no encryption, no object streams, a deterministic /ID, an end-of-line
/// before every endstream. read_facturx() on the result gives no finding.
/// Not checked here: the visual PDF's own PDF/A properties (fonts embedded, colour spaces,
/// transparency): render::render_invoice_pdf output meets them.
/// Thread-safe; never throws (except std::bad_alloc).
/// Errors: kInvalidInput when the visual PDF cannot be read, is encrypted, has attachments or
/// active content (JavaScript, /OpenAction, /AA), or when the XML is not well-formed or has no
/// BT-24; kUnsupported when BT-24 is not a Factur-X 1.0 profile (MINIMUM, BASIC WL, BASIC,
/// EN 16931, EXTENDED, XRECHNUNG); kNotFound when the ICC profile is missing;
/// kResourceExhausted over a size limit; kInternal when qpdf fails otherwise.
[[nodiscard]] core::Result<std::string> make_facturx(std::string_view visual_pdf,
                                                     std::string_view cii_xml,
                                                     const MakeOptions& options);

/// The XMP ConformanceLevel make_facturx() writes for a BT-24 value ("EN 16931", "BASIC WL",
/// ...), or "" when BT-24 is not a Factur-X 1.0 profile.
[[nodiscard]] std::string conformance_level_of(std::string_view bt24);

}  // namespace facteur::formats::facturx
