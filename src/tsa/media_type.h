#pragma once

#include <string_view>

namespace facteur::tsa::detail {

inline constexpr std::string_view kTimestampQuery = "application/timestamp-query";  // RFC 3161 §3.4
inline constexpr std::string_view kTimestampReply = "application/timestamp-reply";  // RFC 3161 §3.4

/// Whether a Content-Type field value names `media_type`: the type/subtype before any ';'
/// parameters, surrounding blanks ignored, case-insensitive (RFC 9110 §8.3.1).
[[nodiscard]] bool media_type_is(std::string_view field_value,
                                 std::string_view media_type) noexcept;

}  // namespace facteur::tsa::detail
