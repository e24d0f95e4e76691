// The libharu adapter: the only file of facteur that includes libharu (house style §1.2).
// libharu reports errors through a callback and status codes, never by exceptions or longjmp:
// the first error is recorded and turned into an Errc.
#include "canvas.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <new>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <hpdf.h>
#include <hpdf_objects.h>

namespace facteur::render {

namespace {

using core::Errc;
using core::fail;

/// A ToUnicode CMap (ISO 32000-1 §9.10.3) over one code space range ("<lo> <hi>") with
/// `entries` ("<...> <...>\n" lines) under `op` ("bfrange" or "bfchar"), at most 100 per block
/// as the format requires.
std::string to_unicode_cmap(std::string_view codespace, std::string_view op,
                            const std::vector<std::string>& entries) {
    std::string out =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n";
    out.append(codespace).append("\nendcodespacerange\n");
    for (std::size_t i = 0; i < entries.size(); i += 100) {
        const std::size_t n = std::min<std::size_t>(100, entries.size() - i);
        out += std::to_string(n) + " begin" + std::string(op) + "\n";
        for (std::size_t k = i; k < i + n; ++k) {
            out += entries[k];
        }
        out += "end" + std::string(op) + "\n";
    }
    out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    return out;
}

std::string hex_code(unsigned v, int digits) {
    constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out(static_cast<std::size_t>(digits), '0');
    for (int i = digits - 1; i >= 0; --i, v >>= 4) {
        out[static_cast<std::size_t>(i)] = kDigits[v & 0xF];
    }
    return out;
}

/// The ToUnicode CMap of a font whose codes are UCS-2 code units. libharu's "UTF-8" encoder
/// writes every character as its BMP code point (2 bytes, Identity-H, CID = code point), but
/// libharu 2.3.0 attaches its *encoding* CMap (a cidrange to CID 0) as /ToUnicode, so text
/// extraction reads nothing. The correct map is the identity; bfrange destinations may only
/// vary in their last byte (ISO 32000-1 9.10.3), hence one range per high byte, surrogates
/// (D8..DF) excluded, at most 100 per block.
std::string identity_to_unicode_cmap() {
    std::vector<std::string> entries;
    for (unsigned high = 0; high < 256; ++high) {
        if (high < 0xD8 || high > 0xDF) {
            const std::string h = hex_code(high, 2);
            entries.push_back("<" + h + "00> <" + h + "FF> <" + h + "00>\n");
        }
    }
    return to_unicode_cmap("<0000> <FFFF>", "bfrange", entries);
}

/// Windows-1252 as libharu's "WinAnsiEncoding" encoder defines it (the same table as ISO
/// 32000-1 Annex D): code → Unicode, 0 where the code is undefined (0x00-0x1F, 0x7F, 0x81,
/// 0x8D, 0x8F, 0x90, 0x9D). libharu computes the /Widths of a code from this table, and so
/// does the canvas from the Unicode character: they agree by construction.
struct WinAnsiTable {
    std::array<char32_t, 256> to_unicode{};

    /// The code of `cp`, or 0 when Windows-1252 lacks it.
    [[nodiscard]] unsigned char code_of(char32_t cp) const noexcept {
        if ((cp >= 0x20 && cp < 0x7F) || (cp >= 0xA0 && cp <= 0xFF)) {
            return to_unicode[cp] == cp ? static_cast<unsigned char>(cp) : 0;
        }
        for (unsigned code = 0x80; code < 0xA0; ++code) {
            if (cp != 0 && to_unicode[code] == cp) {
                return static_cast<unsigned char>(code);
            }
        }
        return 0;
    }
};

WinAnsiTable win_ansi_table(HPDF_Encoder encoder) {
    WinAnsiTable table;
    for (unsigned code = 0x20; code < 256; ++code) {
        table.to_unicode[code] = HPDF_Encoder_GetUnicode(encoder, static_cast<HPDF_UINT16>(code));
    }
    return table;
}

/// The ToUnicode CMap of a simple font with `table`'s encoding: each defined code to its
/// character. Viewers can derive it from /WinAnsiEncoding, but not always to the same
/// character (0xA0 is "space" there, the no-break space of French amounts here).
std::string win_ansi_to_unicode_cmap(const WinAnsiTable& table) {
    std::vector<std::string> entries;
    for (unsigned code = 0x20; code < 256; ++code) {
        if (table.to_unicode[code] != 0) {
            entries.push_back("<" + hex_code(code, 2) + "> <"
                              + hex_code(static_cast<unsigned>(table.to_unicode[code]), 4) + ">\n");
        }
    }
    return to_unicode_cmap("<00> <FF>", "bfchar", entries);
}

struct ErrorSlot {
    HPDF_STATUS status = HPDF_OK;
    HPDF_STATUS detail = 0;
};

void on_error(HPDF_STATUS status, HPDF_STATUS detail, void* user_data) {
    auto* slot = static_cast<ErrorSlot*>(user_data);
    if (slot->status == HPDF_OK) {
        slot->status = status;
        slot->detail = detail;
    }
}

std::string hex_status(HPDF_STATUS status) {
    constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out = "0x";
    for (int shift = 12; shift >= 0; shift -= 4) {
        out.push_back(kDigits[(status >> shift) & 0xF]);
    }
    return out;
}

core::Error to_error(const ErrorSlot& slot, std::string_view what) {
    const std::string message = "libharu: " + std::string(what) + ": error "
                                + hex_status(slot.status) + " (" + std::to_string(slot.detail)
                                + ")";
    if (slot.status == HPDF_FAILD_TO_ALLOC_MEM) {
        return fail(Errc::kResourceExhausted, message).value();
    }
    return fail(Errc::kInternal, message).value();
}

/// A loaded font, which BMP code points it has a glyph for (memoised: -1 unknown) and which
/// code points were drawn or measured with it.
struct FontSlot {
    HPDF_Font font = nullptr;
    HPDF_FontDef def = nullptr;
    std::vector<signed char> has_glyph;
    std::vector<bool> used;
};

}  // namespace

struct Canvas::State {
    ErrorSlot error;  // before `doc`: libharu holds its address
    HPDF_Doc doc = nullptr;
    RenderOptions options;
    TextEncoding encoding = TextEncoding::kUnicode;
    const WinAnsiTable* win_ansi = nullptr;  // kWinAnsi only
    bool unicode_needed = false;
    FontSlot regular;
    FontSlot bold;
    bool fake_bold = false;
    std::vector<HPDF_Page> pages;
    HPDF_Page page = nullptr;

    ~State() {
        if (doc != nullptr) {
            HPDF_Free(doc);
        }
    }

    FontSlot& slot(const Style& style) { return style.bold && !fake_bold ? bold : regular; }

    /// `text` as libharu may draw it: BMP characters the font has, as UTF-8 (kUnicode) or
    /// Windows-1252 bytes (kWinAnsi); anything else (control characters, invalid bytes,
    /// characters outside the BMP or the font) is replaced, since PDF/A forbids showing
    /// .notdef (ISO 19005-3 6.2.11.8). In kWinAnsi, a character the font has but Windows-1252
    /// lacks sets `unicode_needed` and becomes "?".
    std::string drawable(std::string_view text, FontSlot& font);
};

namespace {

/// Decodes one UTF-8 character at `i`; returns 0xFFFD (and advances one byte) when invalid.
char32_t next_code_point(std::string_view s, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3
                                       : (lead >> 3) == 0x1E  ? 4
                                                              : 0;
    if (length == 0 || i + length > s.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    i += length;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
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

}  // namespace

std::string Canvas::State::drawable(std::string_view text, FontSlot& font) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp = next_code_point(text, i);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
            cp = U' ';
        } else if (cp > 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            cp = U'?';
        } else if (cp != U' ') {
            signed char& known = font.has_glyph[cp];
            if (known < 0) {
                known = HPDF_TTFontDef_GetGlyphid(font.def, static_cast<HPDF_UINT16>(cp)) != 0
                            ? 1
                            : 0;
            }
            cp = known != 0 ? cp : U'?';
        }
        if (win_ansi == nullptr) {
            font.used[cp] = true;
            append_utf8(out, cp);
            continue;
        }
        unsigned char code = win_ansi->code_of(cp);
        if (code == 0) {
            unicode_needed = true;
            code = '?';
        }
        out.push_back(static_cast<char>(code));
    }
    return out;
}

namespace {

core::Result<FontSlot> load_font(HPDF_Doc doc, const ErrorSlot& error, const std::string& path,
                                 std::size_t bytes_max, TextEncoding encoding) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        return fail(Errc::kNotFound, "font file not found: " + path);
    }
    if (size > bytes_max) {
        return fail(Errc::kResourceExhausted, "font file larger than font_bytes_max: " + path);
    }
    const char* name = HPDF_LoadTTFontFromFile(doc, path.c_str(), HPDF_TRUE);
    if (name == nullptr) {
        return fail(error.status == HPDF_FILE_OPEN_ERROR ? Errc::kNotFound : Errc::kInvalidInput,
                    "cannot load TrueType font " + path + " (libharu error "
                        + hex_status(error.status) + ")");
    }
    const bool unicode = encoding == TextEncoding::kUnicode;
    FontSlot slot;
    slot.font = HPDF_GetFont(doc, name, unicode ? "UTF-8" : "WinAnsiEncoding");
    slot.def = HPDF_GetFontDef(doc, name);
    if (slot.font == nullptr || slot.def == nullptr) {
        return tl::unexpected(to_error(error, "font " + path));
    }
    slot.has_glyph.assign(0x10000, -1);
    if (unicode) {
        slot.used.assign(0x10000, false);
    }
    // kUnicode: replaces libharu's wrong /ToUnicode (see identity_to_unicode_cmap()); kWinAnsi:
    // libharu writes none.
    const std::string& to_unicode = [&]() -> const std::string& {
        static const std::string kIdentity = identity_to_unicode_cmap();
        if (unicode) {
            return kIdentity;
        }
        static const std::string kWinAnsi = win_ansi_to_unicode_cmap(
            win_ansi_table(static_cast<HPDF_FontAttr>(slot.font->attr)->encoder));
        return kWinAnsi;
    }();
    HPDF_Dict cmap = HPDF_DictStream_New(doc->mmgr, doc->xref);
    if (cmap == nullptr
        || HPDF_Stream_Write(cmap->stream, reinterpret_cast<const HPDF_BYTE*>(to_unicode.data()),
                             static_cast<HPDF_UINT>(to_unicode.size()))
               != HPDF_OK) {
        return tl::unexpected(to_error(error, "ToUnicode"));
    }
    cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    if (HPDF_Dict_Add(slot.font, "ToUnicode", cmap) != HPDF_OK) {
        return tl::unexpected(to_error(error, "ToUnicode"));
    }
    return slot;
}

/// Cuts the font's /W and /CIDToGIDMap down to the code points used (CID = code point).
/// libharu fills both for every code point of the font when the font is created (about 5,600
/// widths and a 128 KiB map per DejaVu font), which each PDF then carries and every reader
/// parses. The widths and glyph ids kept are computed as libharu does (CIDFontType2_New:
/// HPDF_TTFontDef_GetGidWidth of HPDF_TTFontDef_GetGlyphid, widths equal to /DW left out); map
/// entries of unused CIDs are 0. Returns false when libharu failed (its error is recorded).
bool trim_to_used(const FontSlot& slot) {
    auto* attr = static_cast<HPDF_FontAttr>(slot.font->attr);
    HPDF_Font cid_font = attr->descendant_font;
    if (cid_font == nullptr) {
        return true;
    }
    const HPDF_INT default_width = slot.def->missing_width;
    HPDF_Array widths = HPDF_Array_New(cid_font->mmgr);
    if (widths == nullptr) {
        return false;
    }
    std::string map;
    HPDF_Array run = nullptr;
    for (std::size_t cid = 0; cid < slot.used.size(); ++cid) {
        if (!slot.used[cid]) {
            run = nullptr;
            continue;
        }
        const HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(slot.def, static_cast<HPDF_UINT16>(cid));
        map.resize(2 * (cid + 1), '\0');
        map[2 * cid] = static_cast<char>(gid >> 8);
        map[2 * cid + 1] = static_cast<char>(gid & 0xFF);
        const HPDF_INT width = HPDF_TTFontDef_GetGidWidth(slot.def, gid);
        if (width == default_width) {
            run = nullptr;
            continue;
        }
        if (run == nullptr) {
            run = HPDF_Array_New(cid_font->mmgr);
            if (run == nullptr
                || HPDF_Array_AddNumber(widths, static_cast<HPDF_INT32>(cid)) != HPDF_OK
                || HPDF_Array_Add(widths, run) != HPDF_OK) {
                return false;
            }
        }
        if (HPDF_Array_AddNumber(run, width) != HPDF_OK) {
            return false;
        }
    }
    if (HPDF_Dict_Add(cid_font, "W", widths) != HPDF_OK) {
        return false;
    }
    if (attr->map_stream != nullptr && !map.empty()) {
        HPDF_MemStream_FreeData(attr->map_stream->stream);
        if (HPDF_Stream_Write(attr->map_stream->stream,
                              reinterpret_cast<const HPDF_BYTE*>(map.data()),
                              static_cast<HPDF_UINT>(map.size()))
            != HPDF_OK) {
            return false;
        }
    }
    return true;
}

}  // namespace

Canvas::Canvas(std::unique_ptr<State> state) : state_(std::move(state)) {}

Canvas::Canvas(Canvas&&) noexcept = default;

Canvas& Canvas::operator=(Canvas&&) noexcept = default;

Canvas::~Canvas() = default;

core::Result<Canvas> Canvas::open(const RenderOptions& options, TextEncoding encoding) {
    auto state = std::make_unique<State>();
    state->options = options;
    state->encoding = encoding;
    state->doc = HPDF_New(&on_error, &state->error);
    if (state->doc == nullptr) {
        return fail(Errc::kResourceExhausted, "libharu: cannot create a document");
    }
    HPDF_SetCompressionMode(state->doc, HPDF_COMP_ALL);
    if (encoding == TextEncoding::kUnicode) {
        HPDF_UseUTFEncodings(state->doc);
    }
    FACTEUR_TRY_ASSIGN(state->regular,
                       load_font(state->doc, state->error, options.font_regular_path,
                                 options.font_bytes_max, encoding));
    if (options.font_bold_path.empty()) {
        state->fake_bold = true;
    } else {
        FACTEUR_TRY_ASSIGN(state->bold, load_font(state->doc, state->error, options.font_bold_path,
                                                  options.font_bytes_max, encoding));
    }
    if (state->error.status != HPDF_OK) {
        return tl::unexpected(to_error(state->error, "opening the document"));
    }
    if (encoding == TextEncoding::kWinAnsi) {
        static const WinAnsiTable kTable =
            win_ansi_table(static_cast<HPDF_FontAttr>(state->regular.font->attr)->encoder);
        state->win_ansi = &kTable;
    }
    return Canvas(std::move(state));
}

core::Result<std::size_t> Canvas::add_page() {
    if (state_->pages.size() >= state_->options.page_count_max) {
        return fail(Errc::kResourceExhausted, "more pages than page_count_max ("
                                                  + std::to_string(state_->options.page_count_max)
                                                  + ")");
    }
    HPDF_Page page = HPDF_AddPage(state_->doc);
    if (page == nullptr) {
        return tl::unexpected(to_error(state_->error, "adding a page"));
    }
    HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(kPageWidthPt));
    HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(kPageHeightPt));
    state_->pages.push_back(page);
    state_->page = page;
    return state_->pages.size() - 1;
}

void Canvas::select_page(std::size_t index) { state_->page = state_->pages.at(index); }

std::size_t Canvas::page_count() const noexcept { return state_->pages.size(); }

bool Canvas::needs_unicode() const noexcept { return state_->unicode_needed; }

void Canvas::text(double x_pt, double y_pt, std::string_view text, Style style) {
    FontSlot& font = state_->slot(style);
    const std::string shown = state_->drawable(text, font);
    if (state_->unicode_needed) {
        return;  // drawn again on a kUnicode canvas
    }
    HPDF_Page page = state_->page;
    const bool stroke = style.bold && state_->fake_bold;
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font.font, static_cast<HPDF_REAL>(style.size_pt));
    if (stroke) {
        HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE);
        HPDF_Page_SetLineWidth(page, static_cast<HPDF_REAL>(style.size_pt * 0.04));
    }
    HPDF_Page_TextOut(page, static_cast<HPDF_REAL>(x_pt), static_cast<HPDF_REAL>(y_pt),
                      shown.c_str());
    if (stroke) {
        HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
    }
    HPDF_Page_EndText(page);
}

void Canvas::text_right(double x_right_pt, double y_pt, std::string_view text, Style style) {
    this->text(x_right_pt - width(text, style), y_pt, text, style);
}

double Canvas::width(std::string_view text, Style style) {
    FontSlot& font = state_->slot(style);
    const std::string shown = state_->drawable(text, font);
    const HPDF_TextWidth tw =
        HPDF_Font_TextWidth(font.font, reinterpret_cast<const HPDF_BYTE*>(shown.data()),
                            static_cast<HPDF_UINT>(shown.size()));
    return static_cast<double>(tw.width) * style.size_pt / 1000.0;
}

void Canvas::rule(double x1_pt, double x2_pt, double y_pt, double gray, double line_width_pt) {
    HPDF_Page page = state_->page;
    const auto g = static_cast<HPDF_REAL>(gray);
    HPDF_Page_SetRGBStroke(page, g, g, g);
    HPDF_Page_SetLineWidth(page, static_cast<HPDF_REAL>(line_width_pt));
    HPDF_Page_MoveTo(page, static_cast<HPDF_REAL>(x1_pt), static_cast<HPDF_REAL>(y_pt));
    HPDF_Page_LineTo(page, static_cast<HPDF_REAL>(x2_pt), static_cast<HPDF_REAL>(y_pt));
    HPDF_Page_Stroke(page);
    HPDF_Page_SetRGBStroke(page, 0, 0, 0);
}

void Canvas::fill(double x_pt, double y_pt, double width_pt, double height_pt, double gray) {
    HPDF_Page page = state_->page;
    const auto g = static_cast<HPDF_REAL>(gray);
    HPDF_Page_SetRGBFill(page, g, g, g);
    HPDF_Page_Rectangle(page, static_cast<HPDF_REAL>(x_pt), static_cast<HPDF_REAL>(y_pt),
                        static_cast<HPDF_REAL>(width_pt), static_cast<HPDF_REAL>(height_pt));
    HPDF_Page_Fill(page);
    HPDF_Page_SetRGBFill(page, 0, 0, 0);
}

core::Result<std::string> Canvas::finish() {
    HPDF_Doc doc = state_->doc;
    if (state_->error.status != HPDF_OK) {
        return tl::unexpected(to_error(state_->error, "drawing"));
    }
    for (const FontSlot* slot : {&state_->regular, &state_->bold}) {
        if (slot->font != nullptr && !trim_to_used(*slot)) {
            return tl::unexpected(to_error(state_->error, "trimming the font widths"));
        }
    }
    if (HPDF_SaveToStream(doc) != HPDF_OK) {
        return tl::unexpected(to_error(state_->error, "saving"));
    }
    const HPDF_UINT32 size = HPDF_GetStreamSize(doc);
    if (size > state_->options.pdf_bytes_max) {
        return fail(Errc::kResourceExhausted, "PDF larger than pdf_bytes_max ("
                                                  + std::to_string(size) + " bytes)");
    }
    std::string out(size, '\0');
    std::size_t at = 0;
    while (at < out.size()) {
        auto chunk = static_cast<HPDF_UINT32>(out.size() - at);
        const HPDF_STATUS status =
            HPDF_ReadFromStream(doc, reinterpret_cast<HPDF_BYTE*>(out.data() + at), &chunk);
        at += chunk;
        if (status == HPDF_STREAM_EOF || chunk == 0) {
            break;
        }
        if (status != HPDF_OK) {
            return tl::unexpected(to_error(state_->error, "reading the saved PDF"));
        }
    }
    if (at != out.size()) {
        return fail(Errc::kInternal, "libharu: saved PDF shorter than announced");
    }
    return out;
}

}  // namespace facteur::render
