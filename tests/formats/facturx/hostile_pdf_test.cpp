// Hostile PDFs written by the project (tests/formats/facturx/pdf_builder.cpp): each is rejected
// with its own FX-PDF id, quickly and with bounded memory (gtest_discover_tests runs every test
// in its own process, so the peak RSS measured here is this case's).
#include <algorithm>
#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/formats/facturx/facturx_reader.h"

#include "pdf_builder.h"
#include <sys/resource.h>
#include <zlib.h>

namespace facteur::formats::facturx {

namespace {

using testing::facturx::build_pdf;
using testing::facturx::PdfSpec;

struct HostileCase {
    std::string name;
    std::function<std::string()> make;
    std::set<std::string> expected;  ///< exactly these ids
};

std::string with(const std::function<void(PdfSpec&)>& change) {
    PdfSpec spec;
    change(spec);
    return build_pdf(spec);
}

/// The value after `key` in the trailer written by QPDFWriter ("1 0 R", "12").
std::string trailer_value(const std::string& pdf, const std::string& key, bool reference) {
    const std::size_t trailer = pdf.rfind("trailer");
    const std::size_t at = pdf.find(key + " ", trailer) + key.size() + 1;
    std::size_t end = pdf.find_first_of(" />", at);
    if (reference) {
        end = pdf.find('R', at) + 1;
    }
    return pdf.substr(at, end - at);
}

/// An incremental update whose /Prev points at itself: a cross-reference loop.
std::string xref_loop() {
    std::string pdf = with([](PdfSpec&) {});
    const std::string root = trailer_value(pdf, "/Root", true);
    const std::string size = trailer_value(pdf, "/Size", false);
    const std::size_t offset = pdf.size();
    pdf += "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size " + size + " /Root " + root
           + " /Prev " + std::to_string(offset) + " >>\nstartxref\n" + std::to_string(offset)
           + "\n%%EOF\n";
    return pdf;
}

/// zlib data (level 1) of `bytes` followed by `zeros` zero bytes, compressed for real.
std::string zlib_of(const std::string& bytes, std::size_t zeros) {
    z_stream z{};
    EXPECT_EQ(deflateInit(&z, 1), Z_OK);
    std::string out;
    std::string buffer(std::size_t{1} << 16, '\0');
    const std::string zero_block(std::size_t{1} << 20, '\0');
    const auto pump = [&](const std::string& input, int flush) {
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
        z.avail_in = static_cast<uInt>(input.size());
        int rc = Z_OK;
        do {
            z.next_out = reinterpret_cast<Bytef*>(buffer.data());
            z.avail_out = static_cast<uInt>(buffer.size());
            rc = deflate(&z, flush);
            out.append(buffer.data(), buffer.size() - z.avail_out);
        } while (z.avail_in > 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    };
    pump(bytes, Z_NO_FLUSH);
    for (std::size_t left = zeros; left > 0; left -= std::min(left, zero_block.size())) {
        pump(zero_block.substr(0, std::min(left, zero_block.size())), Z_NO_FLUSH);
    }
    pump(std::string(), Z_FINISH);
    deflateEnd(&z);
    return out;
}

std::string hex_of(const std::string& bytes) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : bytes) {
        out += kDigits[c >> 4];
        out += kDigits[c & 15];
    }
    return out + ">";
}

/// A PDF (catalog, empty page tree, `extra` objects 4...) whose one cross-reference stream has
/// the dictionary entries `filter` and the data `encode` makes of its rows followed by 256 MiB
/// of zeros: a bomb qpdf would decode as it opens the file, past the raw scan's one Flate layer.
std::string xref_stream_bomb(const std::string& filter,
                             const std::function<std::string(const std::string&)>& encode,
                             const std::vector<std::string>& extra = {}) {
    std::string pdf = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> offsets;
    const auto object = [&](const std::string& body) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
    };
    object("<< /Type /Catalog /Pages 2 0 R >>");
    object("<< /Type /Pages /Kids [] /Count 0 >>");
    for (const std::string& body : extra) {
        object(body);
    }
    const std::size_t xref_number = offsets.size() + 1;
    const std::size_t xref_offset = pdf.size();
    offsets.push_back(xref_offset);
    std::string rows("\x00\x00\x00\x00\x00\xFF\xFF", 7);
    for (const std::size_t offset : offsets) {
        rows += '\x01';
        for (int shift = 24; shift >= 0; shift -= 8) {
            rows += static_cast<char>((offset >> shift) & 0xFF);
        }
        rows += std::string(2, '\0');
    }
    const std::string data = encode(zlib_of(rows, std::size_t{256} << 20));
    pdf += std::to_string(xref_number) + " 0 obj\n<< /Type /XRef /Size "
           + std::to_string(xref_number + 1) + " /W [1 4 2] /Root 1 0 R " + filter + " /Length "
           + std::to_string(data.size()) + " >>\nstream\n" + data
           + "\nendstream\nendobj\nstartxref\n" + std::to_string(xref_offset) + "\n%%EOF\n";
    return pdf;
}

std::string flate_again(const std::string& layer) {
    return zlib_of(layer, 0);
}

void put_le(std::string& out, std::uint32_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) {
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    }
}

/// A one-entry stored ZIP archive (APPNOTE 4.3.7, 4.3.12, 4.3.16).
std::string zip_archive() {
    const std::string name = "payload.txt";
    const std::string data = "not an invoice";
    const auto crc = static_cast<std::uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    const auto entry = [&](bool central) {
        std::string h;
        put_le(h, central ? 0x02014b50 : 0x04034b50, 4);
        if (central) {
            put_le(h, 20, 2);  // version made by
        }
        put_le(h, 20, 2);  // version needed
        put_le(h, 0, 2);   // flags
        put_le(h, 0, 2);   // stored
        put_le(h, 0, 4);   // time, date
        put_le(h, crc, 4);
        put_le(h, static_cast<std::uint32_t>(data.size()), 4);
        put_le(h, static_cast<std::uint32_t>(data.size()), 4);
        put_le(h, static_cast<std::uint32_t>(name.size()), 2);
        put_le(h, 0, 2);  // extra
        if (central) {
            put_le(h, 0, 2);  // comment
            put_le(h, 0, 2);  // disk
            put_le(h, 0, 2);  // internal attributes
            put_le(h, 0, 4);  // external attributes
            put_le(h, 0, 4);  // local header offset
        }
        return h + name;
    };
    std::string zip = entry(false) + data;
    const auto central_offset = static_cast<std::uint32_t>(zip.size());
    const std::string central = entry(true);
    zip += central;
    put_le(zip, 0x06054b50, 4);
    put_le(zip, 0, 4);  // disk numbers
    put_le(zip, 1, 2);
    put_le(zip, 1, 2);
    put_le(zip, static_cast<std::uint32_t>(central.size()), 4);
    put_le(zip, central_offset, 4);
    put_le(zip, 0, 2);
    return zip;
}

std::vector<HostileCase> hostile_cases() {
    using S = std::set<std::string>;
    return {
        {"Javascript", [] { return with([](PdfSpec& s) { s.javascript = true; }); },
         S{"FX-PDF-30"}},
        {"OpenActionJavascript", [] { return with([](PdfSpec& s) { s.open_action_js = true; }); },
         S{"FX-PDF-32"}},
        {"LaunchAction", [] { return with([](PdfSpec& s) { s.launch = true; }); }, S{"FX-PDF-31"}},
        {"TwoInvoiceAttachments",
         [] { return with([](PdfSpec& s) { s.second_invoice_name = "factur-x.xml"; }); },
         S{"FX-PDF-11"}},
        {"WrongAttachmentName",
         [] {
             return with([](PdfSpec& s) {
                 s.attachment_name = "zugferd-invoice.xml";
                 s.xmp.document_file_name = "zugferd-invoice.xml";
             });
         },
         S{"FX-PDF-12"}},
        {"NoInvoiceAttachment",
         [] { return with([](PdfSpec& s) { s.attachment_name = "invoice.xml"; }); },
         S{"FX-PDF-10"}},
        {"WrongAfRelationship",
         [] { return with([](PdfSpec& s) { s.relationship = "Supplement"; }); }, S{"FX-PDF-14"}},
        {"MissingAf", [] { return with([](PdfSpec& s) { s.in_af = false; }); }, S{"FX-PDF-13"}},
        {"Encrypted", [] { return with([](PdfSpec& s) { s.encrypt = true; }); }, S{"FX-PDF-06"}},
        {"FlateBomb1gib",
         [] { return with([](PdfSpec& s) { s.bomb_bytes = std::size_t{1} << 30; }); },
         S{"FX-PDF-08"}},
        {"FlateBombWithObjectStreams",
         [] {
             return with([](PdfSpec& s) {
                 s.bomb_bytes = std::size_t{1} << 30;
                 s.object_streams = true;
             });
         },
         S{"FX-PDF-08"}},
        // qpdf decodes the cross-reference stream as it opens the file: a filter chain there
        // is refused before it does, whatever spelling hides it.
        {"XrefStreamFlateOnFlate",
         [] { return xref_stream_bomb("/Filter [/FlateDecode /FlateDecode]", flate_again); },
         S{"FX-PDF-08"}},
        {"XrefStreamHexOnFlate",
         [] { return xref_stream_bomb("/Filter [/ASCIIHexDecode /FlateDecode]", hex_of); },
         S{"FX-PDF-08"}},
        {"XrefStreamFilterByReference",
         [] {
             return xref_stream_bomb("/Filter 3 0 R", flate_again, {"[/FlateDecode /FlateDecode]"});
         },
         S{"FX-PDF-08"}},
        {"XrefStreamEscapedFilterName",
         [] { return xref_stream_bomb("/Fil#74er [/Fl /Fl]", flate_again); }, S{"FX-PDF-08"}},
        {"PackedStreamKeywords",
         // 2 million `>>stream` keywords: the raw scan looks at each dictionary's bytes a bounded
         // number of times in all, not 4 KiB back from every keyword.
         [] {
             std::string pdf = "%PDF-1.7\n";
             for (int i = 0; i < 2'000'000; ++i) {
                 pdf += ">>stream\n";
             }
             return pdf + "%%EOF\n";
         },
         S{"FX-PDF-04"}},
        {"XrefLoop", xref_loop, S{"FX-PDF-05"}},
        {"ReferenceCycle", [] { return with([](PdfSpec& s) { s.reference_cycle = true; }); }, S{}},
        {"Truncated",
         [] {
             const std::string pdf = with([](PdfSpec&) {});
             return pdf.substr(0, pdf.size() / 2);
         },
         S{"FX-PDF-04"}},
        {"PdfZipPolyglot", [] { return with([](PdfSpec&) {}) + zip_archive(); }, S{"FX-PDF-03"}},
        {"ZipPdfPolyglot", [] { return zip_archive() + with([](PdfSpec&) {}); }, S{"FX-PDF-02"}},
        {"NotAPdfZip", zip_archive, S{"FX-PDF-01"}},
        {"NotAPdfText", [] { return std::string("hello, this is not a PDF\n"); }, S{"FX-PDF-01"}},
        {"Empty", [] { return std::string(); }, S{"FX-PDF-01"}},
    };
}

class HostilePdfTest : public ::testing::TestWithParam<HostileCase> {};

long peak_rss_kb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

}  // namespace

TEST_P(HostilePdfTest, RejectedWithItsIdQuicklyAndBounded) {
    const HostileCase& c = GetParam();
    const std::string pdf = c.make();
    const long rss_before_kb = peak_rss_kb();
    const auto start = std::chrono::steady_clock::now();
    const auto result = read_facturx(pdf, Options{});
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(result.has_value()) << result.error().message;
    std::set<std::string> ids;
    std::string all;
    for (const model::Finding& f : result->findings) {
        ids.insert(f.rule);
        all += f.rule + " " + f.location + ": " + f.message + "\n";
        EXPECT_EQ(f.layer, "facturx-pdf");
        EXPECT_FALSE(f.message_fr.empty());
    }
    EXPECT_EQ(ids, c.expected) << all;
    EXPECT_EQ(result->has_fatal(), !c.expected.empty());
    EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 5000);
    // A bomb inflated into memory would add a GiB; the bounded reader adds a few MiB.
    EXPECT_LT(peak_rss_kb() - rss_before_kb, 128 * 1024) << "peak RSS grew too much";
}

INSTANTIATE_TEST_SUITE_P(Cases, HostilePdfTest, ::testing::ValuesIn(hostile_cases()),
                         [](const ::testing::TestParamInfo<HostileCase>& param) {
                             return param.param.name;
                         });

TEST(HostilePdfTest, PasswordProtectedIsEncrypted) {
    // A user password qpdf cannot guess: the open itself fails with a password error.
    const std::string pdf = with([](PdfSpec& s) {
        s.encrypt = true;
        s.user_password = "secret";
    });
    const auto result = read_facturx(pdf, Options{});
    ASSERT_TRUE(result.has_value());
    ASSERT_EQ(result->findings.size(), 1U);
    EXPECT_EQ(result->findings[0].rule, "FX-PDF-06");
}

}  // namespace facteur::formats::facturx
