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

/// Size, %PDF- header at offset 0, last %%EOF and what follows it, and a bounded inflate of every
/// FlateDecode-looking stream (after each `stream` keyword) with a fixed scratch buffer, so that
/// a decompression bomb anywhere (object streams and cross-reference streams included, which
/// qpdf would decode into memory on its own) is caught without being inflated past the limits.
[[nodiscard]] RawScan raw_scan(std::string_view pdf, const Options& options);

}  // namespace facteur::formats::facturx
