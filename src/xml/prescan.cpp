// One-pass lexical scan of an XML document, run before libxml2 or Xerces see it. It enforces
// facteur's limits in linear time (libxml2 2.9.14 checks duplicate attributes in quadratic time,
// so a 1,000,000-attribute element must never reach it) and rejects every DOCTYPE up front.
#include "facteur/xml/prescan.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace facteur::xml {

namespace {

using core::Errc;
using core::Error;

constexpr std::string_view kXIncludeNs2001 = "http://www.w3.org/2001/XInclude";
constexpr std::string_view kXIncludeNs2003 = "http://www.w3.org/2003/XInclude";

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// Bytes that end a name in a tag: white space, '>', '/' (element names) and also '=' (attribute
/// names), as a table so that the scan over a name is one load and one test per byte.
enum : unsigned char { kEndsElementName = 1, kEndsAttributeName = 2 };
constexpr std::array<unsigned char, 256> kNameEnd = [] {
    std::array<unsigned char, 256> t{};
    for (const char c : {' ', '\t', '\n', '\r', '>', '/'}) {
        t[static_cast<unsigned char>(c)] = kEndsElementName | kEndsAttributeName;
    }
    t[static_cast<unsigned char>('=')] = kEndsAttributeName;
    return t;
}();

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return (x | 0x20) == (y | 0x20);
           });
}

std::uint32_t line_at(std::string_view s, std::size_t offset) noexcept {
    offset = std::min(offset, s.size());
    return 1 + static_cast<std::uint32_t>(std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

/// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong forms,
/// no surrogates, nothing above U+10FFFF), or npos.
std::size_t first_invalid_utf8(std::string_view s) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        // Fast path: 8 ASCII bytes at a time.
        if (i + 8 <= n) {
            std::uint64_t chunk = 0;
            std::memcpy(&chunk, p + i, 8);
            if ((chunk & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned char lo = 0x80;
        unsigned char hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return i;
        }
        if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) {
            return i;
        }
        for (std::size_t k = 2; k < len; ++k) {
            if (p[i + k] < 0x80 || p[i + k] > 0xBF) {
                return i;
            }
        }
        i += len;
    }
    return std::string_view::npos;
}

class Scanner {
public:
    Scanner(std::string_view bytes, const Limits& limits) : s_(bytes), limits_(limits) {}

    core::Result<ScanInfo> run();

private:
    tl::unexpected<Error> reject(Errc code, const char* id, const std::string& en,
                                 const std::string& fr, std::size_t offset) const {
        return core::fail(code, id, en, fr, line_at(s_, offset));
    }

    tl::unexpected<Error> malformed(const std::string& en, const std::string& fr,
                                    std::size_t offset) const {
        return reject(Errc::kInvalidInput, "XML-MALFORMED", en, fr, offset);
    }

    tl::unexpected<Error> truncated(const std::string& what_en, const std::string& what_fr,
                                    std::size_t offset) const {
        return reject(Errc::kInvalidInput, "XML-TRUNCATED",
                      "the document ends inside " + what_en + " (truncated file?)",
                      "le document s'arrête à l'intérieur " + what_fr + " (fichier tronqué ?)",
                      offset);
    }

    core::Result<void> check_encoding();
    core::Result<void> scan_markup();
    core::Result<void> add_text(std::size_t bytes, std::size_t offset) {
        if (bytes == 0) {
            return {};
        }
        if (text_run_bytes_ == 0 && ++info_.node_count > limits_.nodes_max) [[unlikely]] {
            return too_many_nodes(offset);
        }
        text_run_bytes_ += bytes;
        return check_length(text_run_bytes_, offset);
    }
    /// Counts one more node; the error when that passes Limits::nodes_max.
    core::Result<void> count_node(std::size_t offset) {
        if (++info_.node_count > limits_.nodes_max) [[unlikely]] {
            return too_many_nodes(offset);
        }
        return {};
    }
    core::Result<void> check_length(std::size_t bytes, std::size_t offset) {
        if (bytes > limits_.text_bytes_max) [[unlikely]] {
            return too_long(bytes, offset);
        }
        return {};
    }
    [[gnu::cold, gnu::noinline]] tl::unexpected<Error> too_many_nodes(std::size_t offset) const;
    [[gnu::cold, gnu::noinline]] tl::unexpected<Error> too_long(std::size_t bytes, std::size_t offset) const;
    core::Result<std::size_t> skip_to(std::string_view terminator, std::size_t from,
                                      const char* what_en, const char* what_fr);
    core::Result<void> start_tag();
    core::Result<void> end_tag();
    core::Result<void> attribute(std::string_view name, std::string_view value, std::size_t offset);

    std::string_view s_;
    const Limits& limits_;
    ScanInfo info_;
    std::size_t i_ = 0;
    std::size_t text_run_bytes_ = 0;
    std::array<std::string_view, 256> open_{};  // names of open elements (depth_max < 256)
    std::uint32_t depth_ = 0;
    bool root_seen_ = false;
};

tl::unexpected<Error> Scanner::too_long(std::size_t bytes, std::size_t offset) const {
    return reject(Errc::kResourceExhausted, "XML-LIMIT-TEXT",
                  "a text, attribute value or comment of " + std::to_string(bytes) +
                      " bytes exceeds the limit of " + std::to_string(limits_.text_bytes_max),
                  "un texte, une valeur d'attribut ou un commentaire de " + std::to_string(bytes) +
                      " octets dépasse la limite de " + std::to_string(limits_.text_bytes_max),
                  offset);
}

tl::unexpected<Error> Scanner::too_many_nodes(std::size_t offset) const {
    return reject(Errc::kResourceExhausted, "XML-LIMIT-NODES",
                  "the document has more than " + std::to_string(limits_.nodes_max) + " nodes",
                  "le document compte plus de " + std::to_string(limits_.nodes_max) + " nœuds",
                  offset);
}

core::Result<std::size_t> Scanner::skip_to(std::string_view terminator, std::size_t from,
                                           const char* what_en, const char* what_fr) {
    const std::size_t end = s_.find(terminator, from);
    if (end == std::string_view::npos) {
        return truncated(what_en, what_fr, s_.size());
    }
    return end;
}

core::Result<void> Scanner::check_encoding() {
    const auto byte = [this](std::size_t k) {
        return k < s_.size() ? static_cast<unsigned char>(s_[k]) : 0x100U;
    };
    if (byte(0) == 0xEF && byte(1) == 0xBB && byte(2) == 0xBF) {
        info_.body_offset = 3;
    } else if ((byte(0) == 0xFE && byte(1) == 0xFF) || (byte(0) == 0xFF && byte(1) == 0xFE) ||
               (byte(0) == 0 && byte(1) == 0 && byte(2) == 0xFE && byte(3) == 0xFF)) {
        return reject(Errc::kInvalidInput, "XML-ENCODING",
                      "UTF-16/UTF-32 byte order mark: facteur accepts UTF-8 documents only",
                      "marque d'ordre d'octets UTF-16/UTF-32 : seuls les documents UTF-8 sont "
                      "acceptés",
                      0);
    } else if (s_.size() >= 2 && (byte(0) == 0 || byte(1) == 0)) {
        return reject(Errc::kInvalidInput, "XML-ENCODING",
                      "NUL bytes at the start (UTF-16 or UTF-32 without a byte order mark?): "
                      "facteur accepts UTF-8 documents only",
                      "octets nuls en début de document (UTF-16 ou UTF-32 ?) : seuls les "
                      "documents UTF-8 sont acceptés",
                      0);
    }
    const std::string_view body = s_.substr(info_.body_offset);
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return reject(Errc::kInvalidInput, "XML-EMPTY", "the document is empty",
                      "le document est vide", 0);
    }
    if (body.starts_with("<?xml") && body.size() > 5 && is_space(body[5])) {
        const std::size_t end = body.find("?>");
        const std::string_view decl = body.substr(0, end);
        const std::size_t at = decl.find("encoding");
        if (at != std::string_view::npos) {
            const std::size_t q = decl.find_first_of("\"'", at);
            const std::size_t q_end = q == std::string_view::npos ? q : decl.find(decl[q], q + 1);
            const std::string_view name = q_end == std::string_view::npos
                                              ? decl.substr(at)
                                              : decl.substr(q + 1, q_end - q - 1);
            if (!iequals(name, "UTF-8") && !iequals(name, "US-ASCII")) {
                return reject(Errc::kInvalidInput, "XML-ENCODING",
                              "declared encoding '" + std::string(name.substr(0, 40)) +
                                  "': facteur accepts UTF-8 documents only",
                              "encodage déclaré « " + std::string(name.substr(0, 40)) +
                                  " » : seuls les documents UTF-8 sont acceptés",
                              0);
            }
        }
    }
    if (const std::size_t bad = first_invalid_utf8(body); bad != std::string_view::npos) {
        const std::size_t offset = bad + info_.body_offset;
        return reject(Errc::kInvalidInput, "XML-ENCODING",
                      "invalid UTF-8 byte sequence at byte offset " + std::to_string(offset),
                      "séquence d'octets UTF-8 invalide à la position " + std::to_string(offset),
                      offset);
    }
    return {};
}

core::Result<void> Scanner::attribute(std::string_view name, std::string_view value,
                                      std::size_t offset) {
    FACTEUR_TRY(count_node(offset));
    FACTEUR_TRY(check_length(value.size(), offset));
    const bool is_ns_decl = name == "xmlns" || name.starts_with("xmlns:");
    if (is_ns_decl && (value == kXIncludeNs2001 || value == kXIncludeNs2003)) {
        return reject(Errc::kInvalidInput, "XML-XINCLUDE",
                      "the XInclude namespace is declared: XInclude is never processed and is "
                      "not allowed in an invoice",
                      "l'espace de noms XInclude est déclaré : XInclude n'est jamais traité et "
                      "n'est pas admis dans une facture",
                      offset);
    }
    if (depth_ == 0 && is_ns_decl) {
        const std::string_view prefix = name == "xmlns" ? std::string_view{} : name.substr(6);
        if (prefix == info_.root_prefix) {
            info_.root_namespace = std::string(value);
        }
    }
    if (name.ends_with(":schemaLocation") || name.ends_with(":noNamespaceSchemaLocation")) {
        info_.schema_location = std::string(value.substr(0, 512));
    }
    return {};
}

core::Result<void> Scanner::start_tag() {
    const std::size_t tag_start = i_;
    std::size_t j = i_ + 1;
    while (j < s_.size() && (kNameEnd[static_cast<unsigned char>(s_[j])] & kEndsElementName) == 0) {
        ++j;
    }
    const std::string_view name = s_.substr(i_ + 1, j - i_ - 1);
    if (name.empty()) {
        return malformed("'<' is not followed by an element name", "« < » n'est pas suivi d'un "
                         "nom d'élément", tag_start);
    }
    FACTEUR_TRY(count_node(tag_start));
    if (!root_seen_) {
        root_seen_ = true;
        const std::size_t colon = name.find(':');
        info_.root_prefix = colon == std::string_view::npos ? "" : std::string(name.substr(0, colon));
        info_.root_local_name =
            std::string(colon == std::string_view::npos ? name : name.substr(colon + 1));
    }
    std::uint32_t attributes = 0;
    while (true) {
        while (j < s_.size() && is_space(s_[j])) {
            ++j;
        }
        if (j >= s_.size()) {
            return truncated("the start tag <" + std::string(name.substr(0, 80)) + ">",
                             "de la balise ouvrante <" + std::string(name.substr(0, 80)) + ">", j);
        }
        if (s_[j] == '>' || (s_[j] == '/' && j + 1 < s_.size() && s_[j + 1] == '>')) {
            break;
        }
        const std::size_t attr_start = j;
        while (j < s_.size() && (kNameEnd[static_cast<unsigned char>(s_[j])] & kEndsAttributeName) == 0) {
            ++j;
        }
        const std::string_view attr_name = s_.substr(attr_start, j - attr_start);
        while (j < s_.size() && is_space(s_[j])) {
            ++j;
        }
        if (attr_name.empty() || j >= s_.size() || s_[j] != '=') {
            if (j >= s_.size()) {
                return truncated("a start tag", "d'une balise ouvrante", j);
            }
            return malformed("malformed attribute in the start tag <" +
                                 std::string(name.substr(0, 80)) + ">",
                             "attribut mal formé dans la balise <" +
                                 std::string(name.substr(0, 80)) + ">",
                             j);
        }
        ++j;
        while (j < s_.size() && is_space(s_[j])) {
            ++j;
        }
        if (j >= s_.size() || (s_[j] != '"' && s_[j] != '\'')) {
            if (j >= s_.size()) {
                return truncated("a start tag", "d'une balise ouvrante", j);
            }
            return malformed("attribute value without quotes in <" + std::string(name.substr(0, 80)) + ">",
                             "valeur d'attribut sans guillemets dans <" +
                                 std::string(name.substr(0, 80)) + ">",
                             j);
        }
        const std::size_t close = s_.find(s_[j], j + 1);
        if (close == std::string_view::npos) {
            return truncated("an attribute value", "d'une valeur d'attribut", s_.size());
        }
        if (++attributes > limits_.attributes_per_element_max) {
            return reject(Errc::kResourceExhausted, "XML-LIMIT-ATTRIBUTES",
                          "element <" + std::string(name.substr(0, 80)) + "> has more than " +
                              std::to_string(limits_.attributes_per_element_max) + " attributes",
                          "l'élément <" + std::string(name.substr(0, 80)) + "> a plus de " +
                              std::to_string(limits_.attributes_per_element_max) + " attributs",
                          attr_start);
        }
        FACTEUR_TRY(attribute(attr_name, s_.substr(j + 1, close - j - 1), attr_start));
        j = close + 1;
    }
    const bool empty_element = s_[j] == '/';
    i_ = j + (empty_element ? 2 : 1);
    if (depth_ + 1 > std::min<std::uint32_t>(limits_.depth_max, kLibxml2DepthCap - 1)) {
        return reject(Errc::kResourceExhausted, "XML-LIMIT-DEPTH",
                      "elements are nested deeper than " + std::to_string(limits_.depth_max) +
                          " levels",
                      "les éléments sont imbriqués sur plus de " +
                          std::to_string(limits_.depth_max) + " niveaux",
                      tag_start);
    }
    info_.depth_max_seen = std::max(info_.depth_max_seen, depth_ + 1);
    if (!empty_element) {
        open_[depth_++] = name;
    }
    return {};
}

core::Result<void> Scanner::end_tag() {
    const std::size_t tag_start = i_;
    const void* gt = i_ + 2 < s_.size() ? std::memchr(s_.data() + i_ + 2, '>', s_.size() - i_ - 2) : nullptr;
    if (gt == nullptr) {
        return truncated("an end tag", "d'une balise fermante", s_.size());
    }
    const auto close = static_cast<std::size_t>(static_cast<const char*>(gt) - s_.data());
    std::string_view name = s_.substr(i_ + 2, close - i_ - 2);
    while (!name.empty() && is_space(name.back())) {
        name.remove_suffix(1);
    }
    if (depth_ == 0) {
        return malformed("end tag </" + std::string(name.substr(0, 80)) + "> without a start tag",
                         "balise fermante </" + std::string(name.substr(0, 80)) +
                             "> sans balise ouvrante",
                         tag_start);
    }
    if (name != open_[depth_ - 1]) {
        return malformed("end tag </" + std::string(name.substr(0, 80)) + "> does not match <" +
                             std::string(open_[depth_ - 1].substr(0, 80)) + ">",
                         "la balise fermante </" + std::string(name.substr(0, 80)) +
                             "> ne correspond pas à <" +
                             std::string(open_[depth_ - 1].substr(0, 80)) + ">",
                         tag_start);
    }
    --depth_;
    i_ = close + 1;
    return {};
}

core::Result<void> Scanner::scan_markup() {
    // Tags first: the byte after '<' tells them apart from comments, CDATA, '<!' and '<?'.
    const char second = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
    if (second != '!' && second != '?') {
        text_run_bytes_ = 0;
        return second == '/' ? end_tag() : start_tag();
    }
    const std::string_view rest = s_.substr(i_);
    if (rest.starts_with("<!--")) {
        FACTEUR_TRY_ASSIGN(const std::size_t end, skip_to("-->", i_ + 4, "a comment", "d'un commentaire"));
        FACTEUR_TRY(check_length(end - i_, i_));
        FACTEUR_TRY(count_node(i_));
        text_run_bytes_ = 0;
        i_ = end + 3;
        return {};
    }
    if (rest.starts_with("<![CDATA[")) {
        FACTEUR_TRY_ASSIGN(const std::size_t end, skip_to("]]>", i_ + 9, "a CDATA section", "d'une section CDATA"));
        FACTEUR_TRY(add_text(end - i_ - 9, i_));  // merged into the text node (XML_PARSE_NOCDATA)
        i_ = end + 3;
        return {};
    }
    if (rest.starts_with("<!")) {
        if (rest.size() >= 9 && iequals(rest.substr(2, 7), "DOCTYPE")) {
            return reject(Errc::kInvalidInput, "XML-DOCTYPE",
                          "document type declaration (DOCTYPE) rejected: invoices never need a "
                          "DTD, and DTDs carry entity attacks (XXE, entity expansion)",
                          "déclaration de type de document (DOCTYPE) refusée : une facture n'a "
                          "jamais besoin de DTD, vecteur d'attaques par entités (XXE, expansion)",
                          i_);
        }
        return malformed("markup declaration '<!' outside a DTD", "déclaration « <! » hors DTD", i_);
    }
    if (rest.starts_with("<?")) {
        FACTEUR_TRY_ASSIGN(const std::size_t end, skip_to("?>", i_ + 2, "a processing instruction", "d'une instruction de traitement"));
        FACTEUR_TRY(check_length(end - i_, i_));
        FACTEUR_TRY(count_node(i_));
        text_run_bytes_ = 0;
        i_ = end + 2;
        return {};
    }
    text_run_bytes_ = 0;
    if (rest.starts_with("</")) {
        return end_tag();
    }
    return start_tag();
}

core::Result<ScanInfo> Scanner::run() {
    if (s_.size() > limits_.document_bytes_max) {
        return reject(Errc::kResourceExhausted, "XML-LIMIT-SIZE",
                      "the document has " + std::to_string(s_.size()) +
                          " bytes, over the limit of " + std::to_string(limits_.document_bytes_max),
                      "le document fait " + std::to_string(s_.size()) +
                          " octets, au-delà de la limite de " +
                          std::to_string(limits_.document_bytes_max),
                      0);
    }
    FACTEUR_TRY(check_encoding());
    i_ = info_.body_offset;
    while (i_ < s_.size()) {
        const void* lt = std::memchr(s_.data() + i_, '<', s_.size() - i_);
        const std::size_t next = lt == nullptr ? s_.size()
                                               : static_cast<std::size_t>(
                                                     static_cast<const char*>(lt) - s_.data());
        if (depth_ > 0) {
            FACTEUR_TRY(add_text(next - i_, i_));
        }
        i_ = next;
        if (i_ < s_.size()) {
            FACTEUR_TRY(scan_markup());
        }
    }
    if (depth_ > 0) {
        return truncated("the element <" + std::string(open_[depth_ - 1].substr(0, 80)) + ">",
                         "de l'élément <" + std::string(open_[depth_ - 1].substr(0, 80)) + ">",
                         s_.size());
    }
    if (!root_seen_) {
        return malformed("no root element", "aucun élément racine", s_.size());
    }
    return std::move(info_);
}

}  // namespace

core::Result<ScanInfo> prescan(std::string_view bytes, const Limits& limits) {
    return Scanner(bytes, limits).run();
}

}  // namespace facteur::xml
