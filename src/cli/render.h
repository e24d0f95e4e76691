#pragma once

#include <string>

#include "facteur/model/report.h"

namespace facteur::cli {

enum class Lang : std::uint8_t { kFr, kEn };

/// One JSON Lines record for a report (public contract, see README "CLI contract").
[[nodiscard]] std::string render_json(const model::Report& report, Lang lang);

/// A readable multi-line report for a person; `colour` adds ANSI colours.
[[nodiscard]] std::string render_text(const model::Report& report, Lang lang, bool colour);

/// The closing summary line of a text run.
[[nodiscard]] std::string render_summary(std::size_t valid, std::size_t invalid, Lang lang,
                                         bool colour);

}  // namespace facteur::cli
