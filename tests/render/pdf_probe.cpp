#include "pdf_probe.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

namespace facteur::testing::pdf {

namespace {

void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

/// The bytes of the literal string whose "(" is at `at` (ISO 32000-1 7.3.4.2: escapes, octal
/// codes, balanced parentheses); `at` ends past its ")".
std::string literal_string(const std::string& content, std::size_t& at) {
    std::string out;
    int depth = 0;
    for (++at; at < content.size(); ++at) {
        const char c = content[at];
        if (c == ')' && depth == 0) {
            ++at;
            break;
        }
        if (c != '\\') {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            out.push_back(c);
            continue;
        }
        if (++at >= content.size()) {
            break;
        }
        const char e = content[at];
        if (e >= '0' && e <= '7') {
            unsigned v = 0;
            for (int k = 0;
                 k < 3 && at < content.size() && content[at] >= '0' && content[at] <= '7';
                 ++k, ++at) {
                v = v * 8 + static_cast<unsigned>(content[at] - '0');
            }
            --at;
            out.push_back(static_cast<char>(v & 0xFF));
        } else if (e == 'n' || e == 'r' || e == 't' || e == 'b' || e == 'f') {
            out.push_back(e == 'n'   ? '\n'
                          : e == 'r' ? '\r'
                          : e == 't' ? '\t'
                          : e == 'b' ? '\b'
                                     : '\f');
        } else if (e != '\n' && e != '\r') {
            out.push_back(e);  // \( \) \\ and any other character stand for themselves
        }
    }
    return out;
}

/// Every shown string of a content stream decoded to UTF-8, one per line: <hex> strings as
/// UCS-2 code units (added to `codes`), (literal) strings as Windows-1252 bytes (added to
/// `bytes`).
std::string shown_text(const std::string& content, std::set<unsigned>& codes,
                       std::set<unsigned>& bytes) {
    std::string out;
    std::size_t at = 0;
    while ((at = content.find_first_of("<(", at)) != std::string::npos) {
        if (content[at] == '(') {
            for (const char c : literal_string(content, at)) {
                const auto code = static_cast<unsigned char>(c);
                bytes.insert(code);
                append_utf8(out, win_ansi_to_unicode(code));
            }
            out.push_back('\n');
            continue;
        }
        const std::size_t end = content.find('>', at);
        if (end == std::string::npos) {
            break;
        }
        const std::string hex = content.substr(at + 1, end - at - 1);
        for (std::size_t i = 0; i + 4 <= hex.size(); i += 4) {
            const auto code = static_cast<unsigned>(std::stoul(hex.substr(i, 4), nullptr, 16));
            codes.insert(code);
            append_utf8(out, code);
        }
        out.push_back('\n');
        at = end + 1;
    }
    return out;
}

unsigned be16(const std::string& s, std::size_t at) {
    return at + 2 <= s.size() ? static_cast<unsigned>(static_cast<unsigned char>(s[at]) << 8
                                                      | static_cast<unsigned char>(s[at + 1]))
                              : 0;
}

unsigned long be32(const std::string& s, std::size_t at) {
    return static_cast<unsigned long>(be16(s, at)) << 16 | be16(s, at + 2);
}

/// Offset of table `tag` of a TrueType program, or npos.
std::size_t table_offset(const std::string& font, const char* tag) {
    const unsigned count = be16(font, 4);
    for (unsigned i = 0; i < count; ++i) {
        const std::size_t record = 12 + 16 * std::size_t{i};
        if (font.compare(record, 4, tag) == 0) {
            const std::size_t offset = be32(font, record + 8);
            return offset < font.size() ? offset : std::string::npos;
        }
    }
    return std::string::npos;
}

std::string descriptor_font_file2(QPDFObjectHandle font) {
    QPDFObjectHandle file = font.getKey("/FontDescriptor").getKey("/FontFile2");
    if (!file.isStream()) {
        return {};
    }
    const std::shared_ptr<Buffer> data = file.getStreamData(qpdf_dl_generalized);
    return {reinterpret_cast<const char*>(data->getBuffer()), data->getSize()};
}

long long descriptor_flags(QPDFObjectHandle font) {
    QPDFObjectHandle flags = font.getKey("/FontDescriptor").getKey("/Flags");
    return flags.isInteger() ? flags.getIntValue() : -1;
}

bool descriptor_embedded(QPDFObjectHandle font) {
    QPDFObjectHandle descriptor = font.getKey("/FontDescriptor");
    return descriptor.isDictionary()
           && (descriptor.hasKey("/FontFile") || descriptor.hasKey("/FontFile2")
               || descriptor.hasKey("/FontFile3"));
}

/// The CIDs of a /W array: `c [w1 w2 ...]` lists c, c+1, ...; `c_first c_last w` a range.
std::set<unsigned> width_cids(QPDFObjectHandle w) {
    std::set<unsigned> out;
    std::vector<QPDFObjectHandle> items =
        w.isArray() ? w.getArrayAsVector() : std::vector<QPDFObjectHandle>{};
    for (std::size_t i = 0; i + 1 < items.size() && items[i].isInteger();) {
        const auto first = static_cast<unsigned>(items[i].getIntValue());
        if (items[i + 1].isArray()) {
            for (int k = 0; k < items[i + 1].getArrayNItems(); ++k) {
                out.insert(first + static_cast<unsigned>(k));
            }
            i += 2;
        } else if (i + 2 < items.size() && items[i + 1].isInteger()) {
            for (auto c = first; c <= static_cast<unsigned>(items[i + 1].getIntValue()); ++c) {
                out.insert(c);
            }
            i += 3;
        } else {
            break;
        }
    }
    return out;
}

FontInfo font_info(QPDFObjectHandle font) {
    FontInfo info;
    info.base_font = font.getKey("/BaseFont").isName() ? font.getKey("/BaseFont").getName() : "";
    info.subtype = font.getKey("/Subtype").isName() ? font.getKey("/Subtype").getName() : "";
    info.to_unicode = font.hasKey("/ToUnicode");
    if (info.subtype == "/Type0") {
        QPDFObjectHandle kids = font.getKey("/DescendantFonts");
        info.embedded = kids.isArray() && kids.getArrayNItems() == 1
                        && descriptor_embedded(kids.getArrayItem(0));
        if (kids.isArray() && kids.getArrayNItems() == 1) {
            QPDFObjectHandle descendant = kids.getArrayItem(0);
            info.flags = descriptor_flags(descendant);
            info.font_program = descriptor_font_file2(descendant);
            info.width_cids = width_cids(descendant.getKey("/W"));
            QPDFObjectHandle map = descendant.getKey("/CIDToGIDMap");
            if (map.isStream()) {
                const std::shared_ptr<Buffer> data = map.getStreamData(qpdf_dl_generalized);
                const unsigned char* bytes = data->getBuffer();
                for (std::size_t i = 0; i + 1 < data->getSize(); i += 2) {
                    info.cid_to_gid.push_back(static_cast<unsigned>(bytes[i] << 8 | bytes[i + 1]));
                }
            }
        }
    } else {
        info.embedded = descriptor_embedded(font);
        info.flags = descriptor_flags(font);
        info.font_program = descriptor_font_file2(font);
        if (font.getKey("/Encoding").isName()) {
            info.encoding = font.getKey("/Encoding").getName();
        }
        QPDFObjectHandle first = font.getKey("/FirstChar");
        QPDFObjectHandle widths = font.getKey("/Widths");
        if (first.isInteger() && widths.isArray()) {
            info.widths.assign(static_cast<std::size_t>(first.getIntValue()), 0);
            for (QPDFObjectHandle& w : widths.getArrayAsVector()) {
                info.widths.push_back(w.isInteger() ? static_cast<int>(w.getIntValue()) : -1);
            }
        }
    }
    return info;
}

}  // namespace

Probe probe(const std::string& pdf) {
    QPDF q;
    q.setSuppressWarnings(true);
    q.processMemoryFile("probe.pdf", pdf.data(), pdf.size());
    Probe p;
    p.header = pdf.substr(0, pdf.find('\n'));
    p.encrypted = q.isEncrypted();
    std::set<QPDFObjGen> seen_fonts;
    for (QPDFPageObjectHelper& page : QPDFPageDocumentHelper(q).getAllPages()) {
        std::string content;
        for (QPDFObjectHandle& stream : page.getPageContents()) {
            const std::shared_ptr<Buffer> data = stream.getStreamData(qpdf_dl_generalized);
            content.append(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
        }
        p.page_texts.push_back(shown_text(content, p.shown_codes, p.shown_bytes));
        QPDFObjectHandle fonts = page.getAttribute("/Resources", false).getKey("/Font");
        if (!fonts.isDictionary()) {
            continue;
        }
        for (const std::string& key : fonts.getKeys()) {
            QPDFObjectHandle font = fonts.getKey(key);
            if (seen_fonts.insert(font.getObjGen()).second) {
                p.fonts.push_back(font_info(font));
            }
        }
    }
    QPDFObjectHandle intents = q.getRoot().getKey("/OutputIntents");
    for (int i = 0; intents.isArray() && i < intents.getArrayNItems(); ++i) {
        QPDFObjectHandle intent = intents.getArrayItem(i);
        QPDFObjectHandle profile = intent.getKey("/DestOutputProfile");
        if (intent.getKey("/S").isName() && intent.getKey("/S").getName() == "/GTS_PDFA1"
            && profile.isStream() && profile.getDict().getKey("/N").isInteger()
            && profile.getDict().getKey("/N").getIntValue() == 3) {
            ++p.output_intents_pdfa;
        }
    }
    QPDFObjectHandle metadata = q.getRoot().getKey("/Metadata");
    if (metadata.isStream()) {
        const std::shared_ptr<Buffer> data = metadata.getStreamData(qpdf_dl_generalized);
        p.xmp.assign(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
        p.xmp_filtered = metadata.getDict().hasKey("/Filter");
    }
    QPDFObjectHandle info = q.getTrailer().getKey("/Info");
    if (info.isDictionary()) {
        if (info.getKey("/Title").isString()) {
            p.info_title = info.getKey("/Title").getUTF8Value();
        }
        if (info.getKey("/Producer").isString()) {
            p.info_producer = info.getKey("/Producer").getUTF8Value();
        }
        if (info.getKey("/CreationDate").isString()) {
            p.info_creation_date = info.getKey("/CreationDate").getStringValue();
        }
    }
    QPDFObjectHandle id = q.getTrailer().getKey("/ID");
    p.has_id = id.isArray() && id.getArrayNItems() == 2 && id.getArrayItem(0).isString();
    p.warnings = q.anyWarnings();
    return p;
}

bool has_text(const Probe& p, const std::string& needle) {
    for (const std::string& text : p.page_texts) {
        if (text.find(needle) != std::string::npos) {
            return true;
        }
    }
    return false;
}

unsigned win_ansi_to_unicode(unsigned code) {
    static constexpr unsigned kHigh[32] = {
        0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
    if (code >= 0x80 && code < 0xA0) {
        return kHigh[code - 0x80];
    }
    return (code >= 0x20 && code < 0x7F) || (code >= 0xA0 && code <= 0xFF) ? code : 0;
}

int truetype_advance(const std::string& program, unsigned unicode) {
    const std::size_t cmap = table_offset(program, "cmap");
    const std::size_t head = table_offset(program, "head");
    const std::size_t hhea = table_offset(program, "hhea");
    const std::size_t hmtx = table_offset(program, "hmtx");
    if (cmap == std::string::npos || head == std::string::npos || hhea == std::string::npos
        || hmtx == std::string::npos) {
        return -1;
    }
    std::size_t sub = std::string::npos;
    for (unsigned i = 0; i < be16(program, cmap + 2); ++i) {
        const std::size_t record = cmap + 4 + 8 * std::size_t{i};
        if (be16(program, record) == 3 && be16(program, record + 2) == 1) {
            sub = cmap + be32(program, record + 4);
        }
    }
    if (sub == std::string::npos || be16(program, sub) != 4) {
        return -1;
    }
    const std::size_t segments = be16(program, sub + 6) / 2;
    const std::size_t ends = sub + 14;
    const std::size_t starts = ends + 2 * segments + 2;
    const std::size_t deltas = starts + 2 * segments;
    const std::size_t range_offsets = deltas + 2 * segments;
    unsigned gid = 0;
    for (std::size_t i = 0; i < segments; ++i) {
        if (be16(program, ends + 2 * i) < unicode) {
            continue;
        }
        const unsigned start = be16(program, starts + 2 * i);
        if (start > unicode) {
            break;
        }
        const unsigned delta = be16(program, deltas + 2 * i);
        const unsigned range_offset = be16(program, range_offsets + 2 * i);
        if (range_offset == 0) {
            gid = (unicode + delta) & 0xFFFF;
        } else {
            const unsigned g =
                be16(program, range_offsets + 2 * i + range_offset + 2 * (unicode - start));
            gid = g == 0 ? 0 : (g + delta) & 0xFFFF;
        }
        break;
    }
    if (gid == 0) {
        return -1;
    }
    const unsigned units_per_em = be16(program, head + 18);
    const unsigned metrics = be16(program, hhea + 34);
    if (units_per_em == 0 || metrics == 0) {
        return -1;
    }
    const unsigned advance = be16(program, hmtx + 4 * std::size_t{std::min(gid, metrics - 1)});
    return static_cast<int>(advance * 1000 / units_per_em);
}

}  // namespace facteur::testing::pdf
