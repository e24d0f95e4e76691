#pragma once

// Test helper: builds Factur-X PDFs (good ones and hostile variants) in memory with qpdf's own
// writing API, so every case is generated from one description instead of committed binaries.

#include <cstddef>
#include <string>
#include <string_view>

namespace facteur::testing::facturx {

/// BT-24 values used by the tests.
inline constexpr std::string_view kProfileEn16931 = "urn:cen.eu:en16931:2017";
inline constexpr std::string_view kProfileMinimum = "urn:factur-x.eu:1p0:minimum";

/// A minimal CII invoice carrying `profile` as BT-24.
std::string invoice_xml(std::string_view profile = kProfileEn16931);

/// An XMP packet with PDF/A-3B identification, the Factur-X extension schema and properties.
struct XmpSpec {
    std::string pdfa_part = "3";
    std::string fx_namespace = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";
    bool extension_schema = true;
    std::string document_type = "INVOICE";
    std::string document_file_name = "factur-x.xml";
    std::string version = "1.0";
    std::string conformance_level = "EN 16931";
};

std::string xmp_packet(const XmpSpec& spec);

/// What to put in the PDF. The defaults give a conforming Factur-X EN 16931 PDF.
struct PdfSpec {
    std::string xml = invoice_xml();
    std::string attachment_name = "factur-x.xml";
    std::string relationship = "Alternative";  ///< "" = no /AFRelationship
    std::string subtype = "text/xml";          ///< "" = no /Subtype
    bool in_af = true;
    bool with_xmp = true;
    XmpSpec xmp{};
    std::string second_invoice_name;  ///< "" = none; else a second invoice attachment
    std::string other_attachment;     ///< "" = none; else a non-invoice attachment name
    bool javascript = false;          ///< /Names /JavaScript name tree with a JS action
    bool open_action_js = false;      ///< /OpenAction << /S /JavaScript >>
    bool launch = false;              ///< a link annotation with a /Launch action
    bool reference_cycle = false;     ///< objects referring to each other from the catalog
    bool encrypt = false;             ///< AES-256 (R6)
    std::string user_password;        ///< with `encrypt`; "" opens without a password
    std::size_t bomb_bytes = 0;       ///< > 0: a page content stream of that many zeros,
                                      ///< Flate-compressed without ever being held in memory
    bool object_streams = false;      ///< write objects into object streams
    std::string extra_stream_keys;    ///< with extra_stream_data: more keys of that stream
    std::string extra_stream_data;    ///< "" = none; else one more stream (the catalog's
                                      ///< /Extra), /FlateDecode, its data written as given
};

/// Writes the PDF with QPDFWriter (static /ID, stream data left as given).
std::string build_pdf(const PdfSpec& spec);

/// Flate (zlib) data for `bytes` zeros (a multiple of 1 MiB), built from one compressed
/// full-flush block repeated: about 1 KiB per MiB, never materialising the zeros.
std::string deflated_zeros(std::size_t bytes);

}  // namespace facteur::testing::facturx
