#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "facteur/core/result.h"
#include "facteur/crypto/bytes.h"

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of the public headers

namespace facteur::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;

/// SHA-256 of `bytes` (OpenSSL EVP). Errors: kInternal if OpenSSL fails.
[[nodiscard]] core::Result<Sha256Digest> sha256(std::string_view bytes);

/// SHA-256 of `bytes` (OpenSSL EVP). Errors: kInternal if OpenSSL fails.
[[nodiscard]] core::Result<Sha256Digest> sha256(ByteView bytes);

/// Lower-case hexadecimal form of a digest (64 characters).
[[nodiscard]] std::string to_hex(const Sha256Digest& digest);

/// Incremental SHA-256 over one reusable OpenSSL context: update() any number of times, then
/// finish(), which returns the digest and makes the hasher ready for a new message. Reusing one
/// hasher avoids an allocation per message (the Merkle tree hashes millions of small nodes).
/// Move-only; not thread-safe (one hasher per thread).
class Sha256Hasher {
public:
    /// A hasher ready for its first message. Errors: kInternal if OpenSSL fails.
    [[nodiscard]] static core::Result<Sha256Hasher> create();

    Sha256Hasher(Sha256Hasher&&) noexcept;
    Sha256Hasher& operator=(Sha256Hasher&&) noexcept;
    Sha256Hasher(const Sha256Hasher&) = delete;
    Sha256Hasher& operator=(const Sha256Hasher&) = delete;
    ~Sha256Hasher();

    /// Feeds bytes into the current message. Errors: kInternal if OpenSSL fails (the hasher is
    /// then reset: the message must be started again).
    [[nodiscard]] core::Result<void> update(ByteView bytes);
    [[nodiscard]] core::Result<void> update(std::string_view bytes);

    /// The digest of everything fed since the last finish(); starts a new message.
    /// Errors: kInternal if OpenSSL fails.
    [[nodiscard]] core::Result<Sha256Digest> finish();

private:
    struct CtxFree {
        void operator()(evp_md_ctx_st* ctx) const noexcept;
    };

    explicit Sha256Hasher(std::unique_ptr<evp_md_ctx_st, CtxFree> ctx) noexcept;
    [[nodiscard]] core::Result<void> restart();

    std::unique_ptr<evp_md_ctx_st, CtxFree> ctx_;
};

}  // namespace facteur::crypto
