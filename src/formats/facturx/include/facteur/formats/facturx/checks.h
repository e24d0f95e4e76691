#pragma once

// The catalogue of facteur's own Factur-X container checks (ids FX-PDF-nn), for `facteur rules
// list` and docs/rules.md. C++17-clean (see facturx_reader.h).

#include <string_view>
#include <vector>

#include "facteur/model/report.h"

namespace facteur::formats::facturx {

/// One container check: stable id, severity, and what it means in English and French. The
/// messages are the opening of every finding with that id (details may follow after ": ").
struct CheckInfo {
    std::string_view id;  ///< "FX-PDF-nn", never reused
    model::Severity severity = model::Severity::kFatal;
    std::string_view message;     ///< English
    std::string_view message_fr;  ///< French
    std::string_view why;         ///< the rule it enforces (spec reference), English
};

/// Every check, sorted by id. The same storage for the life of the process.
[[nodiscard]] const std::vector<CheckInfo>& checks();

/// The check with `id`, or nullptr.
[[nodiscard]] const CheckInfo* find_check(std::string_view id) noexcept;

}  // namespace facteur::formats::facturx
