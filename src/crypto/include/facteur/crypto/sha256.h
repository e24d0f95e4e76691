#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "facteur/core/result.h"

namespace facteur::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;

/// SHA-256 of `bytes` (OpenSSL EVP). Errors: kInternal if OpenSSL fails.
[[nodiscard]] core::Result<Sha256Digest> sha256(std::string_view bytes);

/// Lower-case hexadecimal form of a digest (64 characters).
[[nodiscard]] std::string to_hex(const Sha256Digest& digest);

}  // namespace facteur::crypto
