#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "facteur/core/result.h"
#include "facteur/crypto/bytes.h"

namespace facteur::crypto {

/// Largest text hex_decode() and base64_decode() accept: 1 MiB. Keys, signatures, hashes and
/// notes are far smaller; anything bigger is not ours to decode.
inline constexpr std::size_t kEncodedBytesMax = std::size_t{1} << 20;

/// Lower-case hexadecimal form of `bytes` (2 characters per byte).
[[nodiscard]] std::string hex_encode(ByteView bytes);

/// The bytes of a hexadecimal string (upper- or lower-case digits, nothing else, even length).
/// Errors: kInvalidInput (odd length or a non-hex character, with its offset),
/// kResourceExhausted (longer than kEncodedBytesMax).
[[nodiscard]] core::Result<ByteVector> hex_decode(std::string_view text);

/// Whether base64 text carries '=' padding to a multiple of 4 characters.
enum class Base64Padding : std::uint8_t {
    kPadded,    ///< RFC 4648 §4 as written (C2SP notes, checkpoints, Go StdEncoding)
    kUnpadded,  ///< RFC 4648 §3.2: padding omitted (Go RawStdEncoding)
};

/// RFC 4648 §4 base64 (standard alphabet "+/") of `bytes`.
[[nodiscard]] std::string base64_encode(ByteView bytes,
                                        Base64Padding padding = Base64Padding::kPadded);

/// The bytes of RFC 4648 §4 base64 text, decoded strictly: standard alphabet only, no
/// whitespace or line breaks, padding exactly as `padding` says, and canonical (the unused low
/// bits of the last character must be zero, so every byte string has one accepted encoding).
/// Errors: kInvalidInput (with the offending offset), kResourceExhausted (longer than
/// kEncodedBytesMax).
[[nodiscard]] core::Result<ByteVector> base64_decode(
    std::string_view text, Base64Padding padding = Base64Padding::kPadded);

}  // namespace facteur::crypto
