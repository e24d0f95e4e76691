#include "raw_scan.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "finding.h"
#include <zlib.h>

namespace facteur::formats::facturx {

namespace {

// ISO 32000-1 7.5.2: the header may be preceded by garbage in lenient readers; 1024 bytes is
// the window Acrobat tolerates. PDF/A wants it at offset 0 (FX-PDF-02).
constexpr std::size_t kHeaderWindowBytes = 1024;
// Inflate output goes to this scratch buffer and is only counted, never kept.
constexpr std::size_t kScratchBytes = 64 * 1024;
// Deflate (RFC 1951) cannot expand one input byte to more than 1032 output bytes: the densest
// code is a 258-byte match coded in 2 bits (1-bit length code 285, 1-bit distance code).
constexpr std::size_t kDeflateRatioMax = 1032;
// How far back from a `stream` keyword its dictionary is looked for; a longer dictionary is
// treated as one qpdf may decode.
constexpr std::size_t kDictionaryWindowBytes = 4096;

bool is_pdf_space(char c) {
    // ISO 32000-1 7.2.2 white-space characters.
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0';
}

/// RAII for one z_stream reused across candidate streams (inflateReset between them).
class Inflater {
public:
    Inflater() { ok_ = inflateInit(&z_) == Z_OK; }

    ~Inflater() {
        if (ok_) {
            inflateEnd(&z_);
        }
    }

    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;

    [[nodiscard]] bool ok() const noexcept { return ok_; }

    struct Sizes {
        std::size_t decoded = 0;   ///< output bytes, at most budget + 1
        std::size_t consumed = 0;  ///< input bytes read
    };

    /// Inflates `data` (a zlib stream, maybe followed by anything) until its end, an error, or
    /// more than `budget` output bytes.
    Sizes decoded_size(std::string_view data, std::size_t budget) {
        inflateReset(&z_);
        z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
        z_.avail_in =
            static_cast<uInt>(std::min<std::size_t>(data.size(), std::numeric_limits<uInt>::max()));
        std::size_t produced = 0;
        while (produced <= budget) {
            z_.next_out = scratch_.get();
            z_.avail_out = static_cast<uInt>(kScratchBytes);
            const int rc = inflate(&z_, Z_NO_FLUSH);
            produced += kScratchBytes - z_.avail_out;
            if (rc != Z_OK) {
                break;  // Z_STREAM_END, a data error, or Z_BUF_ERROR (input exhausted)
            }
        }
        const std::size_t fed =
            std::min<std::size_t>(data.size(), std::numeric_limits<uInt>::max());
        return {std::min(produced, budget + 1), fed - z_.avail_in};
    }

private:
    z_stream z_{};
    bool ok_ = false;
    // Written by inflate and never read, so not zeroed (that cost as much as the scan itself).
    std::unique_ptr<Bytef[]> scratch_ = std::make_unique_for_overwrite<Bytef[]>(kScratchBytes);
};

/// Offset of the data after the `stream` keyword at `pos` and its end-of-line, or npos when
/// this is not a stream keyword (part of `endstream`, or not followed by an EOL).
std::size_t stream_data_offset(std::string_view pdf, std::size_t pos) {
    constexpr std::string_view kEnd = "end";
    if (pos >= kEnd.size() && pdf.substr(pos - kEnd.size(), kEnd.size()) == kEnd) {
        return std::string_view::npos;
    }
    std::size_t at = pos + std::strlen("stream");
    if (at < pdf.size() && pdf[at] == '\r') {
        ++at;
    }
    if (at < pdf.size() && pdf[at] == '\n') {
        ++at;
    }
    return at == pos + std::strlen("stream") ? std::string_view::npos : at;
}

bool is_ascii_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/// True when `text` may hold the name token `name` (e.g. "/W"): `name` followed by the end or
/// by anything but an ASCII letter or digit (a superset of the white-space and delimiter
/// characters that end a name, so a doubtful case counts as a match).
bool has_name(std::string_view text, std::string_view name) {
    for (std::size_t at = text.find(name); at != std::string_view::npos;
         at = text.find(name, at + 1)) {
        const std::size_t end = at + name.size();
        if (end == text.size() || !is_ascii_alnum(text[end])) {
            return true;
        }
    }
    return false;
}

/// The dictionary of the stream whose `stream` keyword is at `pos`, when it is provably one that
/// qpdf never decodes on its own. qpdf decodes two kinds of stream itself while it opens a file
/// and resolves objects: cross-reference streams, whose dictionary must hold /W (checked before
/// decoding, QPDF::processXRefStream), and object streams, which must hold /N and /First
/// (QPDF::resolveObjectsInStream). Every other stream is decoded only when asked, which facteur
/// does through its size-limited pipeline (pdf_inspect.cpp) or never.
///
/// The proof is on the raw text: the dictionary just before the keyword, found by matching `>>`
/// back to its `<<`, holds no string, comment, hex string or #-escaped name (so its tokens read
/// the same from wherever qpdf started parsing, and no name is spelt in disguise), no `%` earlier
/// on the line of its `<<` (it is not commented out), and no name /W or /First. Anything else, a
/// dictionary over kDictionaryWindowBytes included, is not proved (nullopt). Each byte looked at
/// is taken from `scan_left`; when none is left nothing is proved any more (a file packed with
/// `>>stream` keywords would otherwise cost kDictionaryWindowBytes per keyword).
std::optional<std::string_view> dictionary_never_decoded_by_qpdf(std::string_view pdf,
                                                                 std::size_t pos,
                                                                 std::size_t& scan_left) {
    std::size_t end = pos;
    while (end > 0 && is_pdf_space(pdf[end - 1])) {
        --end;
    }
    if (end < 2 || pdf[end - 1] != '>' || pdf[end - 2] != '>') {
        return std::nullopt;
    }
    const std::size_t floor = end > kDictionaryWindowBytes ? end - kDictionaryWindowBytes : 0;
    std::size_t depth = 0;
    std::size_t at = end;
    std::size_t open = std::string_view::npos;
    while (at > floor) {
        if (scan_left == 0) {
            return std::nullopt;
        }
        --scan_left;
        const char c = pdf[at - 1];
        if (c == '>' || c == '<') {
            if (at - 1 <= floor || pdf[at - 2] != c) {
                return std::nullopt;  // a hex string (or a lone angle bracket)
            }
            at -= 2;
            if (c == '>') {
                ++depth;
            } else if (--depth == 0) {
                open = at;
                break;
            }
            continue;
        }
        if (c == '(' || c == ')' || c == '%' || c == '#' || c == '\\' || c == '{' || c == '}') {
            return std::nullopt;
        }
        --at;
    }
    if (open == std::string_view::npos) {
        return std::nullopt;
    }
    for (std::size_t i = open; i > 0 && pdf[i - 1] != '\n' && pdf[i - 1] != '\r'; --i) {
        if (i == floor || scan_left == 0 || pdf[i - 1] == '%') {
            return std::nullopt;
        }
        --scan_left;
    }
    const std::string_view dict = pdf.substr(open, end - open);
    if (has_name(dict, "/W") || has_name(dict, "/First")) {
        return std::nullopt;
    }
    return dict;
}

/// The stream's /Length when `dict` (proved by dictionary_never_decoded_by_qpdf) names it once,
/// as a direct integer, and `endstream` follows the data there: then that is exactly the data
/// qpdf would read (it searches for `endstream` only when /Length is wrong). Otherwise nullopt.
std::optional<std::size_t> checked_length(std::string_view pdf, std::string_view dict,
                                          std::size_t data) {
    constexpr std::string_view kKey = "/Length";
    constexpr std::size_t kDigitsMax = 12;
    std::size_t key = std::string_view::npos;
    for (std::size_t at = dict.find(kKey); at != std::string_view::npos;
         at = dict.find(kKey, at + 1)) {
        const std::size_t after = at + kKey.size();
        if (after < dict.size() && is_ascii_alnum(dict[after])) {
            continue;  // /Length1 and the like
        }
        if (key != std::string_view::npos) {
            return std::nullopt;  // twice: which one counts is qpdf's business
        }
        key = after;
    }
    if (key == std::string_view::npos) {
        return std::nullopt;
    }
    std::size_t at = key;
    while (at < dict.size() && is_pdf_space(dict[at])) {
        ++at;
    }
    const std::size_t digits = at;
    std::size_t length = 0;
    while (at < dict.size() && dict[at] >= '0' && dict[at] <= '9' && at - digits < kDigitsMax) {
        length = length * 10 + static_cast<std::size_t>(dict[at] - '0');
        ++at;
    }
    if (at == digits || at == dict.size() || is_ascii_alnum(dict[at]) || dict[at] == '.') {
        return std::nullopt;
    }
    while (at < dict.size() && is_pdf_space(dict[at])) {
        ++at;
    }
    if (at < dict.size() && dict[at] >= '0' && dict[at] <= '9') {
        return std::nullopt;  // maybe `N G R`: an indirect length
    }
    if (length > pdf.size() - data) {
        return std::nullopt;
    }
    std::size_t tail = data + length;
    while (tail < pdf.size() && is_pdf_space(pdf[tail])) {
        ++tail;
    }
    if (pdf.substr(tail, std::strlen("endstream")) != "endstream") {
        return std::nullopt;
    }
    return length;
}

// ---- cross-reference streams: the streams qpdf decodes as it opens the file

// Cross-reference sections followed from startxref (/Prev, /XRefStm), at most.
constexpr std::size_t kXrefSectionsMax = 64;
// Nesting of arrays and dictionaries read in a cross-reference stream's dictionary, at most.
constexpr std::size_t kXrefDictionaryDepthMax = 16;

/// What the reader of one object keeps: names (escapes decoded), integers, arrays and
/// dictionaries; anything else is kOther.
struct PdfValue {
    enum class Kind { kName, kInteger, kArray, kDictionary, kOther };
    Kind kind = Kind::kOther;
    std::string name;               // kName, without the slash
    std::size_t integer = 0;        // kInteger (non-negative)
    std::vector<PdfValue> items;    // kArray
    std::vector<std::string> keys;  // kDictionary, with values
    std::vector<PdfValue> values;   // kDictionary
};

bool is_pdf_delimiter(char c) {
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{'
           || c == '}' || c == '/' || c == '%';
}

/// A forward reader of PDF tokens (ISO 32000-1 7.2, 7.3) over the raw bytes, for the few
/// objects read before qpdf: every failure is nullopt, nothing is allocated beyond the input.
class PdfReader {
public:
    PdfReader(std::string_view pdf, std::size_t at) : pdf_(pdf), at_(at) {}

    void skip_space() {
        while (at_ < pdf_.size()) {
            if (is_pdf_space(pdf_[at_])) {
                ++at_;
            } else if (pdf_[at_] == '%') {
                while (at_ < pdf_.size() && pdf_[at_] != '\n' && pdf_[at_] != '\r') {
                    ++at_;
                }
            } else {
                return;
            }
        }
    }

    std::optional<std::size_t> integer() {
        skip_space();
        const std::size_t start = at_;
        std::size_t value = 0;
        while (at_ < pdf_.size() && pdf_[at_] >= '0' && pdf_[at_] <= '9' && at_ - start < 15) {
            value = value * 10 + static_cast<std::size_t>(pdf_[at_] - '0');
            ++at_;
        }
        if (at_ == start
            || (at_ < pdf_.size() && !is_pdf_space(pdf_[at_]) && !is_pdf_delimiter(pdf_[at_]))) {
            return std::nullopt;
        }
        return value;
    }

    bool keyword(std::string_view word) {
        skip_space();
        if (pdf_.substr(at_, word.size()) != word) {
            return false;
        }
        const std::size_t end = at_ + word.size();
        if (end < pdf_.size() && !is_pdf_space(pdf_[end]) && !is_pdf_delimiter(pdf_[end])) {
            return false;
        }
        at_ = end;
        return true;
    }

    std::optional<PdfValue> value(std::size_t depth) {
        skip_space();
        if (at_ >= pdf_.size() || depth > kXrefDictionaryDepthMax) {
            return std::nullopt;
        }
        PdfValue out;
        const char c = pdf_[at_];
        if (c == '/') {
            ++at_;
            out.kind = PdfValue::Kind::kName;
            while (at_ < pdf_.size() && !is_pdf_space(pdf_[at_]) && !is_pdf_delimiter(pdf_[at_])) {
                if (pdf_[at_] == '#' && at_ + 2 < pdf_.size() && is_hex(pdf_[at_ + 1])
                    && is_hex(pdf_[at_ + 2])) {
                    out.name.push_back(static_cast<char>(hex_value(pdf_[at_ + 1]) * 16
                                                         + hex_value(pdf_[at_ + 2])));
                    at_ += 3;
                } else {
                    out.name.push_back(pdf_[at_++]);
                }
            }
            return out;
        }
        if (c == '[') {
            ++at_;
            out.kind = PdfValue::Kind::kArray;
            for (;;) {
                skip_space();
                if (at_ < pdf_.size() && pdf_[at_] == ']') {
                    ++at_;
                    return out;
                }
                auto item = value(depth + 1);
                if (!item) {
                    return std::nullopt;
                }
                out.items.push_back(std::move(*item));
            }
        }
        if (c == '<' && at_ + 1 < pdf_.size() && pdf_[at_ + 1] == '<') {
            at_ += 2;
            out.kind = PdfValue::Kind::kDictionary;
            for (;;) {
                skip_space();
                if (pdf_.substr(at_, 2) == ">>") {
                    at_ += 2;
                    return out;
                }
                auto key = value(depth + 1);
                if (!key || key->kind != PdfValue::Kind::kName) {
                    return std::nullopt;
                }
                auto item = value(depth + 1);
                if (!item) {
                    return std::nullopt;
                }
                out.keys.push_back(std::move(key->name));
                out.values.push_back(std::move(*item));
            }
        }
        if (c == '<') {  // hex string
            const std::size_t end = pdf_.find('>', at_);
            if (end == std::string_view::npos) {
                return std::nullopt;
            }
            at_ = end + 1;
            return out;
        }
        if (c == '(') {  // literal string: balanced parentheses, backslash escapes
            std::size_t open = 0;
            while (at_ < pdf_.size()) {
                const char d = pdf_[at_++];
                if (d == '\\') {
                    ++at_;
                } else if (d == '(') {
                    ++open;
                } else if (d == ')' && --open == 0) {
                    return out;
                }
            }
            return std::nullopt;
        }
        if ((c >= '0' && c <= '9')) {
            const std::size_t start = at_;
            if (auto number = integer()) {
                // `N G R` is a reference: kOther, so that a /Filter there is not taken as read.
                const std::size_t after = at_;
                if (integer() && keyword("R")) {
                    return out;
                }
                at_ = after;
                out.kind = PdfValue::Kind::kInteger;
                out.integer = *number;
                return out;
            }
            at_ = start;
        }
        // Reals, booleans, null and the like: one token.
        const std::size_t start = at_;
        while (at_ < pdf_.size() && !is_pdf_space(pdf_[at_]) && !is_pdf_delimiter(pdf_[at_])) {
            ++at_;
        }
        if (at_ == start) {
            return std::nullopt;
        }
        return out;
    }

private:
    static bool is_hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static int hex_value(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

    std::string_view pdf_;
    std::size_t at_;
};

const PdfValue* entry_of(const PdfValue& dictionary, std::string_view key) {
    for (std::size_t i = 0; i < dictionary.keys.size(); ++i) {
        if (dictionary.keys[i] == key) {
            return &dictionary.values[i];
        }
    }
    return nullptr;
}

bool is_flate(const PdfValue& filter) {
    return filter.kind == PdfValue::Kind::kName
           && (filter.name == "FlateDecode" || filter.name == "Fl");
}

/// The cross-reference streams qpdf decodes as it opens the file (the one at startxref, then
/// the /Prev and /XRefStm chain) are decoded before any of facteur's own limits can apply. The
/// raw scan bounds one FlateDecode layer; any other /Filter there (a chain such as
/// [/FlateDecode /FlateDecode] or [/ASCIIHexDecode /FlateDecode], LZW, which PDF/A forbids, a
/// reference) could hide a bomb, so it is refused. Sections that cannot be read are left to
/// qpdf, which does not decode them.
std::optional<model::Finding> xref_filter_problem(std::string_view pdf) {
    const std::size_t keyword = pdf.rfind("startxref");
    if (keyword == std::string_view::npos) {
        return std::nullopt;
    }
    PdfReader tail(pdf, keyword + std::strlen("startxref"));
    std::vector<std::size_t> pending;
    if (auto offset = tail.integer()) {
        pending.push_back(*offset);
    }
    std::vector<std::size_t> seen;
    while (!pending.empty() && seen.size() < kXrefSectionsMax) {
        const std::size_t offset = pending.back();
        pending.pop_back();
        if (offset >= pdf.size() || std::find(seen.begin(), seen.end(), offset) != seen.end()) {
            continue;
        }
        seen.push_back(offset);
        PdfReader reader(pdf, offset);
        if (reader.keyword("xref")) {  // a classic table: its trailer may name /XRefStm
            const std::size_t trailer = pdf.find("trailer", offset);
            if (trailer == std::string_view::npos) {
                continue;
            }
            reader = PdfReader(pdf, trailer + std::strlen("trailer"));
        } else if (!reader.integer() || !reader.integer() || !reader.keyword("obj")) {
            continue;
        }
        const std::optional<PdfValue> dictionary = reader.value(0);
        if (!dictionary || dictionary->kind != PdfValue::Kind::kDictionary) {
            continue;
        }
        for (const std::string_view key : {"Prev", "XRefStm"}) {
            if (const PdfValue* next = entry_of(*dictionary, key);
                next != nullptr && next->kind == PdfValue::Kind::kInteger) {
                pending.push_back(next->integer);
            }
        }
        const PdfValue* filter = entry_of(*dictionary, "Filter");
        if (filter == nullptr || !reader.keyword("stream") || is_flate(*filter)
            || (filter->kind == PdfValue::Kind::kArray && filter->items.size() == 1
                && is_flate(filter->items.front()))) {
            continue;
        }
        return make_finding("FX-PDF-08",
                            "the cross-reference stream at byte " + std::to_string(offset)
                                + " has a /Filter other than one FlateDecode, which qpdf would "
                                  "decode unbounded as it opens the file");
    }
    return std::nullopt;
}

/// A finding for a stream over its budget.
model::Finding over_budget(std::size_t pos, std::size_t budget, const Options& options) {
    const bool one = budget == options.stream_decoded_bytes_max;
    return make_finding(
        "FX-PDF-08", one ? "stream at byte " + std::to_string(pos) + " decodes to more than "
                               + std::to_string(options.stream_decoded_bytes_max) + " bytes"
                         : "the streams decode to more than "
                               + std::to_string(options.decoded_bytes_total_max) + " bytes in all");
}

/// The first FlateDecode-looking stream whose decoded size breaks a limit, as a finding.
///
/// `exact` inflates every candidate. Otherwise a stream qpdf never decodes on its own
/// (dictionary_never_decoded_by_qpdf) with a checked /Length is not inflated when even the
/// densest deflate data of that length could not break the limits (kDeflateRatioMax times the
/// length); the total then counts that upper bound instead of the decoded size, and when the
/// total would break its limit this way the scan starts again exactly. So a bomb in such a stream
/// is still reported (its bound is over the limit, so it is inflated), and the verdicts are those
/// of the exact scan, except for zlib data that runs on past the stream's /Length, which the
/// exact scan inflates and qpdf never reads.
std::optional<model::Finding> find_bomb(std::string_view pdf, const Options& options, bool exact) {
    Inflater inflater;
    if (!inflater.ok()) {
        return make_finding("FX-PDF-08", "zlib could not be initialised");
    }
    std::size_t total = 0;  // decoded bytes, or their upper bound for streams not inflated
    bool bounded_only = false;
    // Dictionaries of a legitimate file do not overlap: each byte is looked at about once.
    std::size_t scan_left = 2 * pdf.size() + kDictionaryWindowBytes;
    // Candidates can overlap (a `stream` keyword inside another stream's data), so the input
    // read is bounded too: a legitimate file reads each stream once.
    const std::size_t consumed_max = 4 * pdf.size() + kScratchBytes;
    std::size_t consumed = 0;
    for (std::size_t pos = pdf.find("stream"); pos != std::string_view::npos;
         pos = pdf.find("stream", pos + 1)) {
        const std::size_t data = stream_data_offset(pdf, pos);
        if (data == std::string_view::npos) {
            continue;
        }
        const std::size_t budget =
            std::min(options.stream_decoded_bytes_max, options.decoded_bytes_total_max - total);
        if (!exact) {
            const std::optional<std::string_view> dict =
                dictionary_never_decoded_by_qpdf(pdf, pos, scan_left);
            const std::optional<std::size_t> length =
                dict ? checked_length(pdf, *dict, data) : std::nullopt;
            if (length && *length < budget / kDeflateRatioMax) {
                total += (*length + 1) * kDeflateRatioMax;
                bounded_only = true;
                continue;
            }
        }
        const auto [size, read] = inflater.decoded_size(pdf.substr(data), budget);
        consumed += read;
        if (consumed > consumed_max) {
            return make_finding("FX-PDF-08", "overlapping compressed streams");
        }
        if (size > budget) {
            if (bounded_only && budget != options.stream_decoded_bytes_max) {
                return find_bomb(pdf, options, /*exact=*/true);  // the bounds may overstate
            }
            return over_budget(pos, budget, options);
        }
        total += size;
    }
    return std::nullopt;
}

}  // namespace

RawScan raw_scan(std::string_view pdf, const Options& options) {
    RawScan out;
    if (pdf.size() > options.input_bytes_max) {
        out.findings.push_back(
            make_finding("FX-PDF-07", std::to_string(pdf.size()) + " bytes, limit "
                                          + std::to_string(options.input_bytes_max)));
        out.stop = true;
        return out;
    }
    const std::size_t header = pdf.substr(0, kHeaderWindowBytes).find("%PDF-");
    if (header == std::string_view::npos) {
        out.findings.push_back(make_finding("FX-PDF-01"));
        out.stop = true;
        return out;
    }
    if (header != 0) {
        out.findings.push_back(make_finding("FX-PDF-02", std::to_string(header) + " bytes"));
    }
    const std::size_t eof = pdf.rfind("%%EOF");
    if (eof == std::string_view::npos || eof < header) {
        out.findings.push_back(make_finding("FX-PDF-04", "no %%EOF marker"));
    } else {
        const std::string_view tail = pdf.substr(eof + std::strlen("%%EOF"));
        if (!std::all_of(tail.begin(), tail.end(), is_pdf_space)) {
            out.findings.push_back(
                make_finding("FX-PDF-03", std::to_string(tail.size()) + " bytes follow it"));
        }
    }
    if (auto bomb = find_bomb(pdf, options, /*exact=*/false)) {
        out.findings.push_back(std::move(*bomb));
        out.stop = true;
    } else if (auto chained = xref_filter_problem(pdf)) {
        out.findings.push_back(std::move(*chained));
        out.stop = true;
    }
    return out;
}

}  // namespace facteur::formats::facturx
