#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace facteur::archive::detail {

/// The code point starting at text[i], advancing i past it; -1 (and i past one byte) for an
/// invalid UTF-8 sequence: truncated, overlong, a surrogate or above U+10FFFF (what Go's
/// utf8.DecodeRune reports as RuneError of size 1).
[[nodiscard]] std::int32_t decode_utf8(std::string_view text, std::size_t& i) noexcept;

/// Go's unicode.IsSpace: the Unicode White_Space characters the note package forbids in names.
[[nodiscard]] bool is_unicode_space(std::int32_t code_point) noexcept;

/// Where `text` breaks the note character rules (invalid UTF-8 or an ASCII control character
/// other than newline): the byte offset, or text.size() when it does not.
[[nodiscard]] std::size_t find_bad_note_character(std::string_view text) noexcept;

/// 1-based line number of byte `offset` of `text`.
[[nodiscard]] std::uint32_t line_of(std::string_view text, std::size_t offset) noexcept;

}  // namespace facteur::archive::detail
