#pragma once

// Factur-X / ZUGFeRD 2.x / ZUGFeRD 1.0 hybrid PDFs (PDF/A-3 with an embedded CII invoice): the
// invoice XML is extracted and the container is checked. The only module that sees qpdf; no
// qpdf exception leaves it. This header is kept C++17-clean and free of qpdf includes (the
// libFuzzer build compiles the qpdf adapter as C++17, see CMakeLists.txt).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/core/result.h"
#include "facteur/model/report.h"
#include "facteur/xml/limits.h"

namespace facteur::xml {
class Document;
class Tree;
}

namespace facteur::formats::facturx {

/// Layer name carried by every finding of this module.
inline constexpr std::string_view kLayer = "facturx-pdf";

/// Limits and knobs of read_facturx(). Every limit hit gives a fatal finding (never a hang, a
/// crash or an unbounded allocation); the defaults are generous for real invoices.
struct Options {
    /// Whole PDF, in bytes. Default: 20 MiB (Factur-X PDFs carry supporting documents).
    /// Over: FX-PDF-07, nothing else is read.
    std::size_t input_bytes_max = std::size_t{20} * 1024 * 1024;
    /// Decoded size of any one stream, in bytes. Default: 64 MiB (a 300 dpi A4 RGB page is about
    /// 26 MB decoded). Over: FX-PDF-08 (decompression bomb); inflating stops at the limit.
    std::size_t stream_decoded_bytes_max = std::size_t{64} * 1024 * 1024;
    /// Decoded size of all streams together, in bytes. Default: 256 MiB. Over: FX-PDF-08.
    std::size_t decoded_bytes_total_max = std::size_t{256} * 1024 * 1024;
    /// Decoded invoice XML, in bytes. Default: 64 MiB, the XML layer's own document limit.
    /// Over: FX-PDF-08.
    std::size_t invoice_xml_bytes_max = std::size_t{64} * 1024 * 1024;
    /// Decoded XMP metadata packet, in bytes. Default: 1 MiB (PDF/A packets are a few KiB).
    /// Over: FX-PDF-21.
    std::size_t xmp_bytes_max = std::size_t{1} * 1024 * 1024;
    /// Indirect objects in the file (after any repair). Default: 200,000. Over: FX-PDF-09.
    std::uint32_t object_count_max = 200'000;
    /// Values (objects, array items, dictionary entries) inspected while looking for active
    /// content. Default: 4,000,000. Over: FX-PDF-09.
    std::uint32_t walk_value_count_max = 4'000'000;
    /// Hops from the trailer (nested arrays/dictionaries and followed references, shortest path)
    /// the walk descends. The walk is iterative and visits each indirect object once, so
    /// reference cycles end; this bounds pathological chains. Default: 1,000. Over: FX-PDF-09.
    std::uint32_t depth_max = 1'000;
    /// Embedded files (name tree and /AF together). Default: 256. Over: FX-PDF-09.
    std::uint32_t embedded_file_count_max = 256;
    /// Limits for parsing the XMP packet and for reading BT-24 from the invoice XML.
    xml::Limits xml_limits{};
};

static_assert(Options{}.stream_decoded_bytes_max <= Options{}.decoded_bytes_total_max,
              "one stream fits in the total");
static_assert(Options{}.invoice_xml_bytes_max <= Options{}.stream_decoded_bytes_max,
              "the invoice is one stream");
static_assert(Options{}.xmp_bytes_max <= Options{}.stream_decoded_bytes_max,
              "the XMP packet is one stream");

/// One embedded file of the PDF.
struct EmbeddedFile {
    std::string name;          ///< file name of the file specification (/UF, else /F, else the key)
    std::string subtype;       ///< MIME type of the embedded file stream (/Subtype), "" if none
    std::string relationship;  ///< /AFRelationship of the file specification, "" if none
    bool in_af = false;        ///< listed in the document catalog's /AF array
    bool in_name_tree = false;  ///< listed in the /Names /EmbeddedFiles name tree
};

/// What read_facturx() found.
struct Extraction {
    /// The invoice XML, byte for byte as embedded (after stream decoding); empty unless exactly
    /// one invoice attachment exists and could be decoded.
    std::string xml;
    /// File name of that attachment: "factur-x.xml", "zugferd-invoice.xml",
    /// "ZUGFeRD-invoice.xml" or "xrechnung.xml"; empty when `xml` is.
    std::string attachment_name;
    /// Every embedded file, the invoice included: name-tree order, then /AF-only files.
    std::vector<EmbeddedFile> embedded_files;
    /// BT-24 (GuidelineSpecifiedDocumentContextParameter/ID) of the invoice XML, when readable.
    std::optional<std::string> profile;
    /// `xml` parsed by the hardened parser with Options::xml_limits (read to find `profile`),
    /// for a caller that goes on with the XML layers; null when `xml` is empty or did not parse
    /// (parse it again to get the parser's error).
    std::shared_ptr<const xml::Document> document;
    /// Container findings, layer kLayer, ids FX-PDF-nn (see checks() and docs/rules.md).
    std::vector<model::Finding> findings;

    /// True when a finding is fatal: the container is rejected.
    [[nodiscard]] bool has_fatal() const noexcept;
};

/// The invoice attachment names read_facturx() recognises, in order of preference.
[[nodiscard]] const std::vector<std::string_view>& invoice_attachment_names();

/// Reads a Factur-X / ZUGFeRD PDF: extracts the invoice XML and checks the container (header and
/// trailer, decompression bombs, structure, encryption, active content, the invoice attachment,
/// /AF and /AFRelationship, the XMP metadata against the XML's profile). Every problem with the
/// input, however hostile, is a finding in a successful Result; the XML itself is not validated
/// (that is the XML, XSD and rule layers' job). Thread-safe; never throws.
/// Errors: kResourceExhausted when memory ran out; kInternal when qpdf failed in a way that is
/// not a property of the input.
[[nodiscard]] core::Result<Extraction> read_facturx(std::string_view pdf, const Options& options);

/// Where read_facturx() may get the invoice XML's tree instead of parsing it: given the
/// extracted bytes, a tree equal to what xml::Tree::build() makes of xml::parse()'s document
/// (with Options::xml_limits), valid until read_facturx() returns; or null, and the reader parses
/// the XML itself. For a caller that reads the XML its own way (the validation pipeline builds
/// the tree in its Xerces pass).
using InvoiceTreeSource = std::function<const xml::Tree*(std::string_view xml)>;

/// read_facturx(), with BT-24 read from `tree_source`'s tree when it gives one; then
/// Extraction::document is null.
[[nodiscard]] core::Result<Extraction> read_facturx(std::string_view pdf, const Options& options,
                                                    const InvoiceTreeSource& tree_source);

}  // namespace facteur::formats::facturx
