#include "raw_scan.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <optional>
#include <string>

#include "finding.h"
#include <zlib.h>

namespace facteur::formats::facturx {

namespace {

// ISO 32000-1 7.5.2: the header may be preceded by garbage in lenient readers; 1024 bytes is
// the window Acrobat tolerates. PDF/A wants it at offset 0 (FX-PDF-02).
constexpr std::size_t kHeaderWindowBytes = 1024;
// Inflate output goes to this scratch buffer and is only counted, never kept.
constexpr std::size_t kScratchBytes = 64 * 1024;

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
            z_.next_out = scratch_.data();
            z_.avail_out = static_cast<uInt>(scratch_.size());
            const int rc = inflate(&z_, Z_NO_FLUSH);
            produced += scratch_.size() - z_.avail_out;
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
    std::array<Bytef, kScratchBytes> scratch_{};
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

/// The first FlateDecode-looking stream whose decoded size breaks a limit, as a finding.
std::optional<model::Finding> find_bomb(std::string_view pdf, const Options& options) {
    Inflater inflater;
    if (!inflater.ok()) {
        return make_finding("FX-PDF-08", "zlib could not be initialised");
    }
    std::size_t total = 0;
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
        const auto [size, read] = inflater.decoded_size(pdf.substr(data), budget);
        consumed += read;
        if (consumed > consumed_max) {
            return make_finding("FX-PDF-08", "overlapping compressed streams");
        }
        if (size > budget) {
            const bool one = budget == options.stream_decoded_bytes_max;
            return make_finding(
                "FX-PDF-08",
                one ? "stream at byte " + std::to_string(pos) + " decodes to more than "
                          + std::to_string(options.stream_decoded_bytes_max) + " bytes"
                    : "the streams decode to more than "
                          + std::to_string(options.decoded_bytes_total_max) + " bytes in all");
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
    if (auto bomb = find_bomb(pdf, options)) {
        out.findings.push_back(std::move(*bomb));
        out.stop = true;
    }
    return out;
}

}  // namespace facteur::formats::facturx
