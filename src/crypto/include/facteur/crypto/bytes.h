#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace facteur::crypto {

/// A non-owned run of bytes (keys, signatures, digests, hashed data).
using ByteView = std::span<const std::uint8_t>;

/// An owned run of bytes.
using ByteVector = std::vector<std::uint8_t>;

/// The bytes of a string (no copy, no encoding change).
[[nodiscard]] inline ByteView as_bytes(std::string_view text) noexcept {
    // unsigned char may alias any object, and uint8_t is unsigned char on every target we build.
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

/// The bytes as a string view (no copy), e.g. to append them to a std::string.
[[nodiscard]] inline std::string_view as_chars(ByteView bytes) noexcept {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace facteur::crypto
