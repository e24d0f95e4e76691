#pragma once

// Private: checks on the raw bytes, run before qpdf sees them.

#include <string_view>
#include <vector>

#include "facteur/formats/facturx/facturx_reader.h"
#include "facteur/model/report.h"

namespace facteur::formats::facturx {

struct RawScan {
    std::vector<model::Finding> findings;
    bool stop = false;  ///< the PDF must not be handed to qpdf (too large, not a PDF, bomb)
};

/// Size, %PDF- header at offset 0, last %%EOF and what follows it, and a bounded inflate of the
/// FlateDecode-looking streams (after each `stream` keyword) with a fixed scratch buffer, so that
/// a decompression bomb (in object streams and cross-reference streams too, which qpdf would
/// decode into memory on its own) is caught without being inflated past the limits. Object and
/// cross-reference streams, and any stream whose dictionary does not prove it is neither, are
/// always inflated (within the limits). Another stream is not inflated when its checked /Length
/// times 1032 (deflate's densest ratio) cannot break the limits: qpdf never decodes it on its
/// own, facteur decodes only the invoice attachment and the XMP packet, each through its own
/// limit, and a stream nobody decodes is no risk. The verdicts are those of inflating every
/// stream (see find_bomb in raw_scan.cpp for the one pathological exception).
[[nodiscard]] RawScan raw_scan(std::string_view pdf, const Options& options);

}  // namespace facteur::formats::facturx
