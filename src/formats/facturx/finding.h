#pragma once

// Private: building findings from the catalogue (C++17-clean, included by the qpdf adapter).

#include <string>
#include <string_view>

#include "facteur/model/report.h"

namespace facteur::formats::facturx {

/// A finding with the catalogue's severity and messages for `id` (which must be in checks()),
/// `detail` appended to both messages after ": ", and `location` (e.g. "object 12 0").
[[nodiscard]] model::Finding make_finding(std::string_view id, std::string_view detail = {},
                                          std::string location = {});

}  // namespace facteur::formats::facturx
