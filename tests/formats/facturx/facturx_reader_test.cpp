// formats/facturx on PDFs built by the test with qpdf: a conforming one gives no finding, each
// single defect gives its FX-PDF id, and every limit holds at the limit and fails one over.
#include "facteur/formats/facturx/facturx_reader.h"

#include <algorithm>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "facteur/formats/facturx/checks.h"

#include "pdf_builder.h"
#include <zlib.h>

namespace facteur::formats::facturx {

namespace {

using testing::facturx::build_pdf;
using testing::facturx::invoice_xml;
using testing::facturx::PdfSpec;

Extraction read(const std::string& pdf, const Options& options = {}) {
    auto result = read_facturx(pdf, options);
    EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
    return result ? std::move(*result) : Extraction{};
}

std::set<std::string> ids(const Extraction& e) {
    std::set<std::string> out;
    for (const model::Finding& f : e.findings) {
        out.insert(f.rule);
    }
    return out;
}

/// Flate data for `bytes` zeros (a multiple of 1 MiB) whose compressed bytes spell "endstream"
/// (a stored block before the zeros): a scan that stopped at the first `endstream` would see a
/// harmless stream.
std::string bomb_hiding_endstream(std::size_t bytes) {
    const std::string zeros = testing::facturx::deflated_zeros(bytes);
    const std::string text = "endstream";
    std::string stored(1, '\0');  // BFINAL 0, BTYPE 00 (stored), padded to the byte
    stored += static_cast<char>(text.size());
    stored += '\0';
    stored += static_cast<char>(~text.size() & 0xff);
    stored += '\xff';
    return zeros.substr(0, 2) + stored + text + zeros.substr(2);
}

/// What every zlib stream after a `stream` keyword decodes to, added up (the decoded size the
/// decoded_bytes_total_max limit is about).
std::size_t decoded_total(const std::string& pdf) {
    std::size_t total = 0;
    std::string out(64 * 1024, '\0');
    for (std::size_t pos = pdf.find("stream"); pos != std::string::npos;
         pos = pdf.find("stream", pos + 1)) {
        std::size_t data = pos + 6;
        if ((pos >= 3 && pdf.compare(pos - 3, 3, "end") == 0) || pdf[data] != '\n') {
            continue;  // QPDFWriter ends the keyword with LF
        }
        ++data;
        z_stream z{};
        if (inflateInit(&z) != Z_OK) {
            ADD_FAILURE() << "zlib";
            return 0;
        }
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(pdf.data() + data));
        z.avail_in = static_cast<uInt>(pdf.size() - data);
        int rc = Z_OK;
        while (rc == Z_OK) {
            z.next_out = reinterpret_cast<Bytef*>(out.data());
            z.avail_out = static_cast<uInt>(out.size());
            rc = inflate(&z, Z_NO_FLUSH);
            total += out.size() - z.avail_out;
        }
        inflateEnd(&z);
    }
    return total;
}

std::string describe(const Extraction& e) {
    std::string out;
    for (const model::Finding& f : e.findings) {
        out += f.rule + " " + f.location + ": " + f.message + "\n";
    }
    return out;
}

}  // namespace

TEST(FacturxReaderTest, ConformingPdfHasNoFindingAndYieldsTheXml) {
    const PdfSpec spec;
    const Extraction e = read(build_pdf(spec));
    EXPECT_TRUE(e.findings.empty()) << describe(e);
    EXPECT_EQ(e.xml, spec.xml);
    EXPECT_EQ(e.attachment_name, "factur-x.xml");
    ASSERT_TRUE(e.profile.has_value());
    EXPECT_EQ(*e.profile, "urn:cen.eu:en16931:2017");
    ASSERT_EQ(e.embedded_files.size(), 1U);
    EXPECT_EQ(e.embedded_files[0].subtype, "text/xml");
    EXPECT_EQ(e.embedded_files[0].relationship, "Alternative");
    EXPECT_TRUE(e.embedded_files[0].in_af);
    EXPECT_TRUE(e.embedded_files[0].in_name_tree);
}

TEST(FacturxReaderTest, ConformingPdfWithObjectStreamsAndOtherAttachmentHasNoFinding) {
    PdfSpec spec;
    spec.object_streams = true;
    spec.other_attachment = "timesheet.pdf";
    const Extraction e = read(build_pdf(spec));
    EXPECT_TRUE(e.findings.empty()) << describe(e);
    EXPECT_EQ(e.embedded_files.size(), 2U);
    EXPECT_EQ(e.xml, spec.xml);
}

TEST(FacturxReaderTest, MinimumProfileWantsDataRelationship) {
    PdfSpec spec;
    spec.xml = invoice_xml(testing::facturx::kProfileMinimum);
    spec.xmp.conformance_level = "MINIMUM";
    EXPECT_EQ(ids(read(build_pdf(spec))), std::set<std::string>{"FX-PDF-14"});
    spec.relationship = "Data";
    const Extraction e = read(build_pdf(spec));
    EXPECT_TRUE(e.findings.empty()) << describe(e);
}

TEST(FacturxReaderTest, DataRelationshipForACompleteInvoiceIsOnlyAWarning) {
    PdfSpec spec;
    spec.relationship = "Data";
    const Extraction e = read(build_pdf(spec));
    EXPECT_EQ(ids(e), std::set<std::string>{"FX-PDF-18"});
    EXPECT_FALSE(e.has_fatal());
}

TEST(FacturxReaderTest, XrechnungAcceptsEitherConformanceLevel) {
    PdfSpec spec;
    spec.xml =
        invoice_xml("urn:cen.eu:en16931:2017#compliant#urn:xoev-de:kosit:standard:xrechnung_2.3");
    for (const char* level : {"XRECHNUNG", "EN 16931"}) {
        spec.xmp.conformance_level = level;
        const Extraction e = read(build_pdf(spec));
        EXPECT_TRUE(e.findings.empty()) << level << "\n" << describe(e);
    }
    spec.xmp.conformance_level = "BASIC";
    EXPECT_EQ(ids(read(build_pdf(spec))), std::set<std::string>{"FX-PDF-27"});
}

TEST(FacturxReaderTest, EachXmpDefectHasItsId) {
    const auto with = [](auto change) {
        PdfSpec spec;
        change(spec);
        return ids(read(build_pdf(spec)));
    };
    using S = std::set<std::string>;
    EXPECT_EQ(with([](PdfSpec& s) { s.with_xmp = false; }), S{"FX-PDF-20"});
    EXPECT_EQ(with([](PdfSpec& s) { s.xmp.pdfa_part = "2"; }), S{"FX-PDF-22"});
    EXPECT_EQ(with([](PdfSpec& s) { s.xmp.extension_schema = false; }), S{"FX-PDF-23"});
    EXPECT_EQ(with([](PdfSpec& s) { s.xmp.document_type = "ORDER"; }), S{"FX-PDF-24"});
    EXPECT_EQ(with([](PdfSpec& s) { s.xmp.document_file_name = "invoice.xml"; }), S{"FX-PDF-25"});
    EXPECT_EQ(with([](PdfSpec& s) { s.xmp.version = ""; }), S{"FX-PDF-26"});
    EXPECT_EQ(with([](PdfSpec& s) { s.xmp.conformance_level = "BASIC"; }), S{"FX-PDF-27"});
    EXPECT_EQ(with([](PdfSpec& s) { s.xmp.fx_namespace = "urn:example:other#"; }), S{"FX-PDF-28"});
}

TEST(FacturxReaderTest, AttachmentDefectsHaveTheirIds) {
    PdfSpec spec;
    spec.subtype = "application/octet-stream";
    EXPECT_EQ(ids(read(build_pdf(spec))), std::set<std::string>{"FX-PDF-15"});
    spec = PdfSpec{};
    spec.relationship = "";
    EXPECT_EQ(ids(read(build_pdf(spec))), std::set<std::string>{"FX-PDF-14"});
    spec = PdfSpec{};
    spec.xml = invoice_xml("urn:example:unknown-profile");
    EXPECT_EQ(ids(read(build_pdf(spec))), std::set<std::string>{"FX-PDF-17"});
}

TEST(FacturxReaderTest, ZugferdTwoNamespaceWantsZugferdInvoiceName) {
    PdfSpec spec;
    spec.attachment_name = "zugferd-invoice.xml";
    spec.xmp.fx_namespace = "urn:zugferd:pdfa:CrossIndustryDocument:invoice:2p0#";
    spec.xmp.document_file_name = "zugferd-invoice.xml";
    const Extraction e = read(build_pdf(spec));
    EXPECT_TRUE(e.findings.empty()) << describe(e);
    EXPECT_EQ(e.attachment_name, "zugferd-invoice.xml");
}

TEST(FacturxReaderTest, InputSizeLimitHoldsAtTheLimitAndFailsOneOver) {
    const std::string pdf = build_pdf(PdfSpec{});
    Options options;
    options.input_bytes_max = pdf.size();
    EXPECT_TRUE(read(pdf, options).findings.empty());
    options.input_bytes_max = pdf.size() - 1;
    EXPECT_EQ(ids(read(pdf, options)), std::set<std::string>{"FX-PDF-07"});
}

TEST(FacturxReaderTest, InvoiceXmlLimitHoldsAtTheLimitAndFailsOneOver) {
    const PdfSpec spec;
    const std::string pdf = build_pdf(spec);
    Options options;
    options.invoice_xml_bytes_max = spec.xml.size();
    EXPECT_TRUE(read(pdf, options).findings.empty());
    options.invoice_xml_bytes_max = spec.xml.size() - 1;
    const Extraction e = read(pdf, options);
    EXPECT_EQ(ids(e), std::set<std::string>{"FX-PDF-08"});
    EXPECT_TRUE(e.xml.empty());
}

TEST(FacturxReaderTest, XmpLimitHoldsAtTheLimitAndFailsOneOver) {
    const PdfSpec spec;
    const std::string pdf = build_pdf(spec);
    Options options;
    options.xmp_bytes_max = testing::facturx::xmp_packet(spec.xmp).size();
    EXPECT_TRUE(read(pdf, options).findings.empty());
    options.xmp_bytes_max -= 1;
    EXPECT_EQ(ids(read(pdf, options)), std::set<std::string>{"FX-PDF-21"});
}

TEST(FacturxReaderTest, StreamDecodeLimitHoldsAtTheLimitAndFailsOneOver) {
    PdfSpec spec;
    spec.bomb_bytes = std::size_t{1} << 20;
    const std::string pdf = build_pdf(spec);
    Options options;
    options.stream_decoded_bytes_max = spec.bomb_bytes;
    EXPECT_TRUE(read(pdf, options).findings.empty()) << describe(read(pdf, options));
    options.stream_decoded_bytes_max = spec.bomb_bytes - 1;
    EXPECT_EQ(ids(read(pdf, options)), std::set<std::string>{"FX-PDF-08"});
}

TEST(FacturxReaderTest, TotalDecodeLimitHoldsAtTheLimitAndFailsOneOver) {
    // The raw scan counts an upper bound for the small streams (XML, XMP) instead of inflating
    // them, which overstates the total here; the verdict is still that of the decoded sizes.
    PdfSpec spec;
    spec.bomb_bytes = std::size_t{2} << 20;
    const std::string pdf = build_pdf(spec);
    const std::size_t total = decoded_total(pdf);
    ASSERT_GT(total, spec.bomb_bytes);
    Options options;
    options.stream_decoded_bytes_max = spec.bomb_bytes;
    options.decoded_bytes_total_max = total;
    EXPECT_TRUE(read(pdf, options).findings.empty()) << describe(read(pdf, options));
    options.decoded_bytes_total_max = total - 1;
    EXPECT_EQ(ids(read(pdf, options)), std::set<std::string>{"FX-PDF-08"});
}

TEST(FacturxReaderTest, BombIsFoundBeforeQpdfWhateverTheStreamIs) {
    // A plain stream, one qpdf would decode as an object stream, one it would decode as a
    // cross-reference stream: each is inflated (within the limit) by the raw scan, so the
    // finding is the raw scan's and qpdf never opens the file.
    for (const std::string keys : {"", "/Type /ObjStm /N 1 /First 4", "/W [1 2 1] /Size 1"}) {
        PdfSpec spec;
        spec.extra_stream_keys = keys;
        spec.extra_stream_data = bomb_hiding_endstream(std::size_t{2} << 20);
        const std::string pdf = build_pdf(spec);
        EXPECT_TRUE(read(pdf).findings.empty()) << keys << "\n" << describe(read(pdf));
        Options options;
        options.stream_decoded_bytes_max = std::size_t{1} << 20;
        const Extraction e = read(pdf, options);
        EXPECT_EQ(ids(e), std::set<std::string>{"FX-PDF-08"}) << keys;
        ASSERT_FALSE(e.findings.empty());
        EXPECT_NE(e.findings.front().message.find(": stream at byte "), std::string::npos)
            << keys << ": " << describe(e);
    }
}

TEST(FacturxReaderTest, EmbeddedFileLimitHoldsAtTheLimitAndFailsOneOver) {
    PdfSpec spec;
    spec.other_attachment = "annex.pdf";
    const std::string pdf = build_pdf(spec);
    Options options;
    // Two files, each in the name tree and in /AF: the limit counts both listings.
    options.embedded_file_count_max = 4;
    EXPECT_TRUE(read(pdf, options).findings.empty());
    options.embedded_file_count_max = 3;
    EXPECT_EQ(ids(read(pdf, options)).count("FX-PDF-09"), 1U);
}

TEST(FacturxReaderTest, ObjectCountAndDepthLimitsFail) {
    const std::string pdf = build_pdf(PdfSpec{});
    Options options;
    options.object_count_max = 3;
    EXPECT_EQ(ids(read(pdf, options)), std::set<std::string>{"FX-PDF-09"});
    options = Options{};
    options.depth_max = 2;
    EXPECT_EQ(ids(read(pdf, options)).count("FX-PDF-09"), 1U);
    options = Options{};
    options.walk_value_count_max = 5;
    EXPECT_EQ(ids(read(pdf, options)).count("FX-PDF-09"), 1U);
}

TEST(FacturxChecksTest, CatalogueIsSortedUniqueAndBilingual) {
    const std::vector<CheckInfo>& all = checks();
    ASSERT_FALSE(all.empty());
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i].id.substr(0, 7), "FX-PDF-");
        EXPECT_FALSE(all[i].message.empty());
        EXPECT_FALSE(all[i].message_fr.empty());
        EXPECT_NE(all[i].message, all[i].message_fr);
        EXPECT_FALSE(all[i].why.empty());
        if (i > 0) {
            EXPECT_LT(all[i - 1].id, all[i].id);
        }
        EXPECT_EQ(find_check(all[i].id), &all[i]);
    }
    EXPECT_EQ(find_check("FX-PDF-99"), nullptr);
}

}  // namespace facteur::formats::facturx
