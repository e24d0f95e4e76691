// make_facturx: every CII example of shared/conformance/examples goes read_cii -> render ->
// make_facturx -> read_facturx with no finding at all and the XML back byte for byte, and the
// PDF's structure is checked with qpdf independently (PDF 1.7, fonts embedded, /GTS_PDFA1
// output intent, XMP consistent with Info, trailer /ID, the invoice number and total on the
// page). Prints "N passed, M failed". Then the profile-dependent parts and every refusal.
#include "facteur/formats/facturx/facturx_writer.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/formats/cii/cii_reader.h"
#include "facteur/formats/facturx/facturx_reader.h"
#include "facteur/render/invoice_pdf.h"
#include "facteur/testing/testing.h"
#include "facteur/xml/document.h"

#include "../../render/pdf_probe.h"
#include "pdf_builder.h"

namespace facteur::formats::facturx {

namespace {

namespace fs = std::filesystem;

/// 2024-03-15T10:30:00Z.
constexpr std::int64_t kFixedUnixSeconds = 1710498600;

MakeOptions fixed_options(std::string title = "Facture") {
    MakeOptions options;
    options.title = std::move(title);
    options.creation_time =
        std::chrono::system_clock::time_point(std::chrono::seconds(kFixedUnixSeconds));
    return options;
}

/// The amount as render must print it, computed here without render's code: "1234.5" ->
/// "1 234,50" (no-break spaces), then the currency.
std::string french_amount(const model::Decimal& d, const std::string& currency) {
    std::string text = d.to_string();
    const bool negative = !text.empty() && text.front() == '-';
    if (negative) {
        text.erase(0, 1);
    }
    std::size_t dot = text.find('.');
    if (dot == std::string::npos) {
        text += ".";
        dot = text.size() - 1;
    }
    while (text.size() - dot - 1 < 2) {
        text += "0";
    }
    std::string integer = text.substr(0, dot);
    std::string grouped;
    for (std::size_t i = 0; i < integer.size(); ++i) {
        if (i > 0 && (integer.size() - i) % 3 == 0) {
            grouped += "\xC2\xA0";
        }
        grouped.push_back(integer[i]);
    }
    return (negative ? "-" : "") + grouped + "," + text.substr(dot + 1) + "\xC2\xA0"
           + (currency == "EUR" ? std::string("€") : currency);
}

std::string describe(const Extraction& e) {
    std::string out;
    for (const model::Finding& f : e.findings) {
        out += f.rule + " " + f.message + "; ";
    }
    return out;
}

std::vector<fs::path> cii_examples() {
    std::vector<fs::path> out;
    const fs::path dir = testing::shared_dir() / "conformance" / "examples" / "cii";
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() == ".xml") {
            out.push_back(entry.path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// Checks one example end to end; returns "" when it passes, else why not.
std::string check_example(const std::string& xml_bytes) {
    auto doc = xml::parse(xml_bytes, xml::Limits{});
    if (!doc) {
        return "xml::parse: " + doc.error().message;
    }
    auto invoice = cii::read_cii(*doc);
    if (!invoice) {
        return "read_cii: " + invoice.error().message;
    }
    auto visual = render::render_invoice_pdf(*invoice, render::RenderOptions{});
    if (!visual) {
        return "render: " + visual.error().message;
    }
    const std::string number = invoice->number ? invoice->number->value : "";
    const std::string bt24 = invoice->process_control.specification_identifier
                                 ? invoice->process_control.specification_identifier->value
                                 : "";
    auto pdf = make_facturx(*visual, xml_bytes, fixed_options("Facture " + number));
    if (bt24.rfind("urn:ferd:", 0) == 0) {  // ZUGFeRD 1.0 ids have no Factur-X level
        std::cout << "  " << number << ": BT-24 " << bt24 << " -> refused (kUnsupported)\n";
        return !pdf && pdf.error().code == core::Errc::kUnsupported
                   ? ""
                   : "BT-24 " + bt24 + " should be refused as unsupported";
    }
    if (!pdf) {
        return "make_facturx: " + pdf.error().message;
    }
    auto read = read_facturx(*pdf, Options{});
    if (!read) {
        return "read_facturx: " + read.error().message;
    }
    if (!read->findings.empty()) {
        return "findings: " + describe(*read);
    }
    if (read->xml != xml_bytes || read->attachment_name != "factur-x.xml") {
        return "the attachment is not the XML byte for byte";
    }
    const testing::pdf::Probe p = testing::pdf::probe(*pdf);
    std::string problems;
    const auto expect = [&](bool ok, const std::string& what) {
        problems += ok ? "" : what + "; ";
    };
    expect(p.header == "%PDF-1.7", "header " + p.header);
    expect(!p.page_texts.empty(), "no page");
    expect(!p.fonts.empty() && std::all_of(p.fonts.begin(), p.fonts.end(),
                                           [](const auto& f) { return f.embedded; }),
           "a font is not embedded");
    expect(p.output_intents_pdfa == 1, "no /GTS_PDFA1 output intent with an RGB profile");
    expect(p.has_id && !p.encrypted && !p.warnings, "trailer /ID, encryption or qpdf warnings");
    expect(p.info_title == "Facture " + number, "Info /Title " + p.info_title);
    expect(p.xmp.find("<rdf:li xml:lang=\"x-default\">Facture " + number + "</rdf:li>")
               != std::string::npos,
           "dc:title differs from Info /Title");
    expect(p.info_creation_date == "D:20240315103000+00'00'"
               && p.xmp.find("<xmp:CreateDate>2024-03-15T10:30:00+00:00</xmp:CreateDate>")
                      != std::string::npos,
           "Info /CreationDate and xmp:CreateDate");
    expect(!p.xmp_filtered, "the XMP stream is compressed");
    expect(p.xmp.find("<fx:ConformanceLevel>" + conformance_level_of(bt24)
                      + "</fx:ConformanceLevel>") != std::string::npos,
           "fx:ConformanceLevel");
    expect(testing::pdf::has_text(p, number), "invoice number not on the page");
    const std::string currency = invoice->currency_code ? invoice->currency_code->value : "";
    if (invoice->totals.total_with_vat) {
        const std::string total = french_amount(invoice->totals.total_with_vat->value, currency);
        expect(testing::pdf::has_text(p, total), "total " + total + " not on the page");
    }
    return problems;
}

std::string visual_pdf() {
    auto pdf = render::render_invoice_pdf(model::Invoice{}, render::RenderOptions{});
    EXPECT_TRUE(pdf.has_value());
    return pdf ? *pdf : std::string();
}

}  // namespace

TEST(FacturxWriterTest, EveryCiiExampleBecomesAFacturXWithoutFindings) {
    const std::vector<fs::path> files = cii_examples();
    ASSERT_EQ(files.size(), 15u) << "the README of shared/conformance/examples lists 15 CII files";
    int passed = 0;
    int failed = 0;
    for (const fs::path& file : files) {
        const std::string why = check_example(testing::read(file));
        if (why.empty()) {
            ++passed;
            continue;
        }
        ++failed;
        ADD_FAILURE() << file.filename() << ": " << why;
    }
    std::cout << "facturx writer (CII examples): " << passed << " passed, " << failed
              << " failed\n";
    EXPECT_EQ(failed, 0);
}

TEST(FacturxWriterTest, WinAnsiAndUnicodeFontPathsBothReadBackWithoutFindings) {
    // render uses simple WinAnsi TrueType fonts when every character is in Windows-1252 and
    // Type0 (Unicode) fonts otherwise; both must make a Factur-X without a container finding.
    bool checked = false;
    for (const fs::path& file : cii_examples()) {
        const std::string xml = testing::read(file);
        auto doc = xml::parse(xml, xml::Limits{});
        ASSERT_TRUE(doc.has_value()) << file;
        auto invoice = cii::read_cii(*doc);
        ASSERT_TRUE(invoice.has_value()) << file;
        auto plain = render::render_invoice_pdf(*invoice, render::RenderOptions{});
        ASSERT_TRUE(plain.has_value()) << plain.error().message;
        if (!make_facturx(*plain, xml, fixed_options()).has_value()) {
            continue;  // a ZUGFeRD 1.0 BT-24 (refused, see above)
        }
        invoice->buyer.name = model::Value<std::string>{"Łukasz Świątek", {}, std::nullopt};
        auto unicode = render::render_invoice_pdf(*invoice, render::RenderOptions{});
        ASSERT_TRUE(unicode.has_value()) << unicode.error().message;
        for (const auto& [visual, subtype] : {std::pair{*plain, std::string("/TrueType")},
                                              std::pair{*unicode, std::string("/Type0")}}) {
            const auto pdf = make_facturx(visual, xml, fixed_options());
            ASSERT_TRUE(pdf.has_value()) << subtype << ": " << pdf.error().message;
            const auto read = read_facturx(*pdf, Options{});
            ASSERT_TRUE(read.has_value()) << subtype;
            EXPECT_TRUE(read->findings.empty()) << subtype << ": " << describe(*read);
            EXPECT_EQ(read->xml, xml) << subtype;
            const testing::pdf::Probe p = testing::pdf::probe(*pdf);
            ASSERT_FALSE(p.fonts.empty());
            for (const testing::pdf::FontInfo& f : p.fonts) {
                EXPECT_EQ(f.subtype, subtype) << f.base_font;
                EXPECT_TRUE(f.embedded) << f.base_font;
            }
            EXPECT_FALSE(p.warnings) << subtype;
        }
        const testing::pdf::Probe p = testing::pdf::probe(*unicode);
        EXPECT_TRUE(testing::pdf::has_text(p, "Łukasz Świątek"));
        checked = true;
        break;
    }
    EXPECT_TRUE(checked) << "no CII example with a Factur-X profile";
}

TEST(FacturxWriterTest, OutputIsDeterministicForTheSameInputsAndTime) {
    const std::string visual = visual_pdf();
    const std::string xml = testing::facturx::invoice_xml();
    const auto a = make_facturx(visual, xml, fixed_options());
    const auto b = make_facturx(visual, xml, fixed_options());
    ASSERT_TRUE(a.has_value()) << a.error().message;
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(*a, *b);
    MakeOptions later = fixed_options();
    later.creation_time += std::chrono::seconds(1);
    const auto c = make_facturx(visual, xml, later);
    ASSERT_TRUE(c.has_value());
    EXPECT_NE(*a, *c);
}

TEST(FacturxWriterTest, MinimumAndBasicWlAreDataTheOthersAlternative) {
    const std::string visual = visual_pdf();
    struct Case {
        std::string bt24;
        std::string relationship;
        std::string level;
    };
    for (const Case& c : std::vector<Case>{
             {"urn:factur-x.eu:1p0:minimum", "Data", "MINIMUM"},
             {"urn:factur-x.eu:1p0:basicwl", "Data", "BASIC WL"},
             {"urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic", "Alternative",
              "BASIC"},
             {"urn:cen.eu:en16931:2017", "Alternative", "EN 16931"},
             {"urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended", "Alternative",
              "EXTENDED"},
             {"urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
              "Alternative", "XRECHNUNG"}}) {
        const std::string xml = testing::facturx::invoice_xml(c.bt24);
        const auto pdf = make_facturx(visual, xml, fixed_options());
        ASSERT_TRUE(pdf.has_value()) << c.bt24 << ": " << pdf.error().message;
        const auto read = read_facturx(*pdf, Options{});
        ASSERT_TRUE(read.has_value());
        EXPECT_TRUE(read->findings.empty()) << c.bt24 << ": " << describe(*read);
        ASSERT_EQ(read->embedded_files.size(), 1u);
        EXPECT_EQ(read->embedded_files[0].relationship, c.relationship) << c.bt24;
        EXPECT_TRUE(read->embedded_files[0].in_af && read->embedded_files[0].in_name_tree);
        EXPECT_EQ(read->embedded_files[0].subtype, "text/xml");
        EXPECT_EQ(read->xml, xml);
        EXPECT_EQ(conformance_level_of(c.bt24), c.level);
    }
}

TEST(FacturxWriterTest, XmlWithoutAFacturXProfileIsRefused) {
    const std::string visual = visual_pdf();
    auto r = make_facturx(visual, testing::facturx::invoice_xml("urn:ferd:invoice:1.0:comfort"),
                          fixed_options());
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::Errc::kUnsupported);
    r = make_facturx(visual, "<Invoice/>", fixed_options());
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::Errc::kInvalidInput);
    r = make_facturx(visual, "<not xml", fixed_options());
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::Errc::kInvalidInput);
}

TEST(FacturxWriterTest, UnusableVisualPdfsAreRefused) {
    const std::string xml = testing::facturx::invoice_xml();
    for (const std::string& visual :
         {std::string("not a pdf"), testing::facturx::build_pdf({}) /* has an attachment */,
          [] {
              testing::facturx::PdfSpec spec;
              spec.encrypt = true;
              return testing::facturx::build_pdf(spec);
          }()}) {
        const auto r = make_facturx(visual, xml, fixed_options());
        ASSERT_FALSE(r.has_value());
        EXPECT_EQ(r.error().code, core::Errc::kInvalidInput) << r.error().message;
    }
}

TEST(FacturxWriterTest, IccProfileMustExistAndBeRgb) {
    const std::string visual = visual_pdf();
    const std::string xml = testing::facturx::invoice_xml();
    MakeOptions options = fixed_options();
    options.icc_profile_path = "/nonexistent/sRGB.icc";
    auto r = make_facturx(visual, xml, options);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::Errc::kNotFound);
    options.icc_profile_path = "/usr/share/color/icc/Gray.icc";  // icc-profiles-free, not RGB
    r = make_facturx(visual, xml, options);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::Errc::kInvalidInput);
}

TEST(FacturxWriterTest, SizeLimitsHoldAtTheLimitAndFailOneOver) {
    const std::string visual = visual_pdf();
    const std::string xml = testing::facturx::invoice_xml();
    MakeOptions options = fixed_options();
    options.visual_pdf_bytes_max = visual.size();
    options.xml_bytes_max = xml.size();
    EXPECT_TRUE(make_facturx(visual, xml, options).has_value());
    options.visual_pdf_bytes_max = visual.size() - 1;
    auto r = make_facturx(visual, xml, options);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::Errc::kResourceExhausted);
    options.visual_pdf_bytes_max = visual.size();
    options.xml_bytes_max = xml.size() - 1;
    r = make_facturx(visual, xml, options);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::Errc::kResourceExhausted);
    options = fixed_options();
    options.icc_profile_bytes_max = 100;  // sRGB.icc is 6,922 bytes
    r = make_facturx(visual, xml, options);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, core::Errc::kResourceExhausted);
}

}  // namespace facteur::formats::facturx
