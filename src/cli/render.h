#pragma once

#include <string>
#include <string_view>

#include "facteur/model/report.h"

namespace facteur::cli {

enum class Lang : std::uint8_t { kFr, kEn };

/// Appends `text` to `out` as a JSON string literal, escaped exactly as Boost.JSON's serializer
/// (which wrote the contract's first outputs) escapes it: `"` and `\`, the short escapes \b \t
/// \n \f \r, every other byte below 0x20 as \u00xx (lower-case hex); all else, UTF-8
/// included, as is.
void append_string(std::string& out, std::string_view text);

/// One JSON Lines record for a report (public contract, see README "CLI contract").
[[nodiscard]] std::string render_json(const model::Report& report, Lang lang);

/// A readable multi-line report for a person; `colour` adds ANSI colours.
[[nodiscard]] std::string render_text(const model::Report& report, Lang lang, bool colour);

/// The closing summary line of a text run.
[[nodiscard]] std::string render_summary(std::size_t valid, std::size_t invalid, Lang lang,
                                         bool colour);

}  // namespace facteur::cli
