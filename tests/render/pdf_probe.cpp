#include "pdf_probe.h"

#include <map>
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

/// Every <hex> string of a content stream, as UCS-2 code units decoded to UTF-8; the code units
/// are also added to `codes`.
std::string shown_text(const std::string& content, std::set<unsigned>& codes) {
    std::string out;
    std::size_t at = 0;
    while ((at = content.find('<', at)) != std::string::npos) {
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
        p.page_texts.push_back(shown_text(content, p.shown_codes));
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

}  // namespace facteur::testing::pdf
