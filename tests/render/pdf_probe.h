#pragma once

// Test helper: what a generated PDF contains, read back with qpdf, independently of the code
// under test: pages, the text drawn (libharu writes UCS-2 hex strings: decoded to UTF-8), fonts
// and whether each has an embedded font program, output intents, Info, trailer /ID, header.

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
};

struct Probe {
    std::string header;                   ///< first line, e.g. "%PDF-1.7"
    std::vector<std::string> page_texts;  ///< per page, every shown string, one per line
    std::set<unsigned> shown_codes;       ///< every 2-byte code shown, on any page
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

}  // namespace facteur::testing::pdf
