#pragma once

// Test helper: what a generated PDF contains, read back with qpdf, independently of the code
// under test: pages, the text drawn (libharu writes UCS-2 <hex> strings for Type0 fonts and
// Windows-1252 (literal) strings for WinAnsi fonts: both decoded to UTF-8), fonts and whether
// each has an embedded font program, output intents, Info, trailer /ID, header.

#include <set>
#include <string>
#include <vector>

namespace facteur::testing::pdf {

struct FontInfo {
    std::string base_font;
    std::string subtype;
    bool embedded = false;  ///< FontFile, FontFile2 or FontFile3 in its (descendant's) descriptor
    bool to_unicode = false;
    std::set<unsigned> width_cids;     ///< Type0: the CIDs the descendant font's /W lists
    std::vector<unsigned> cid_to_gid;  ///< Type0: its /CIDToGIDMap stream, one GID per CID
    std::string encoding;      ///< simple font: /Encoding when a name, e.g. "/WinAnsiEncoding"
    std::vector<int> widths;   ///< simple font: /Widths, index = code (0 before /FirstChar)
    long long flags = -1;      ///< /Flags of its (descendant's) descriptor, -1 if none
    std::string font_program;  ///< FontFile2 of its (descendant's) descriptor, decoded
};

struct Probe {
    std::string header;                   ///< first line, e.g. "%PDF-1.7"
    std::vector<std::string> page_texts;  ///< per page, every shown string, one per line
    std::set<unsigned> shown_codes;       ///< every 2-byte code shown (<hex>), on any page
    std::set<unsigned> shown_bytes;       ///< every 1-byte code shown ((literal)), on any page
    std::vector<FontInfo> fonts;          ///< every font of every page, once per object
    int output_intents_pdfa = 0;          ///< /GTS_PDFA1 intents with an /N 3 profile stream
    std::string xmp;                      ///< the catalog's /Metadata stream, decoded
    bool xmp_filtered = false;            ///< that stream has a /Filter
    std::string info_title;               ///< Info /Title as UTF-8
    std::string info_producer;
    std::string info_creation_date;       ///< Info /CreationDate as written
    bool has_id = false;   ///< trailer /ID with two strings
    bool encrypted = false;
    bool warnings = false;  ///< qpdf had to repair something
};

/// Reads `pdf` with qpdf; throws on a PDF qpdf cannot open.
Probe probe(const std::string& pdf);

/// True when `needle` (UTF-8) occurs in the text of some page.
bool has_text(const Probe& p, const std::string& needle);

/// The Unicode character of a Windows-1252 code (ISO 32000-1 Annex D WinAnsiEncoding), 0 for
/// an undefined code.
unsigned win_ansi_to_unicode(unsigned code);

/// The advance width, in 1/1000 em truncated toward zero (as PDF /Widths are written), of the
/// glyph that the (3,1) 'cmap' subtable of the TrueType `program` maps `unicode` to; -1 when
/// the program has no (3,1) subtable of format 4, or maps `unicode` to no glyph (or .notdef).
int truetype_advance(const std::string& program, unsigned unicode);

}  // namespace facteur::testing::pdf
