#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "facteur/core/result.h"
#include "facteur/crypto/bytes.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of the public headers

namespace facteur::crypto {

inline constexpr std::size_t kEd25519PublicKeyBytes = 32;  ///< RFC 8032 §5.1.5 encoding
inline constexpr std::size_t kEd25519SeedBytes = 32;       ///< RFC 8032 §5.1.5 private key
inline constexpr std::size_t kEd25519SignatureBytes = 64;  ///< RFC 8032 §5.1.6 (R || S)

/// Largest PEM text the key loaders accept: 16 KiB (an Ed25519 PEM key is ~120 bytes).
inline constexpr std::size_t kPemBytesMax = 16 * 1024;

using Ed25519PublicKeyBytes = std::array<std::uint8_t, kEd25519PublicKeyBytes>;
using Ed25519Signature = std::array<std::uint8_t, kEd25519SignatureBytes>;

namespace detail {
struct PkeyFree {
    void operator()(evp_pkey_st* key) const noexcept;
};

using PkeyPtr = std::unique_ptr<evp_pkey_st, PkeyFree>;
}  // namespace detail

/// An Ed25519 public key (RFC 8032, pure Ed25519, no context or pre-hash). Copyable (the
/// OpenSSL key is reference-counted, never duplicated).
class Ed25519PublicKey {
public:
    /// From the 32-byte RFC 8032 encoding. Errors: kInvalidInput (wrong length or rejected by
    /// OpenSSL), kInternal.
    [[nodiscard]] static core::Result<Ed25519PublicKey> from_raw(ByteView raw);

    /// From PEM "PUBLIC KEY" (SubjectPublicKeyInfo) text. Errors: kInvalidInput (not PEM, not a
    /// public key), kUnsupported (a key of another algorithm), kResourceExhausted (longer than
    /// kPemBytesMax).
    [[nodiscard]] static core::Result<Ed25519PublicKey> from_pem(std::string_view pem);

    /// from_pem() of a file's content. Errors: those of from_pem() and of core::read_file().
    [[nodiscard]] static core::Result<Ed25519PublicKey> load_pem_file(
        const std::filesystem::path& path);

    Ed25519PublicKey(const Ed25519PublicKey& other);
    Ed25519PublicKey& operator=(const Ed25519PublicKey& other);
    Ed25519PublicKey(Ed25519PublicKey&&) noexcept;
    Ed25519PublicKey& operator=(Ed25519PublicKey&&) noexcept;
    ~Ed25519PublicKey();

    /// The 32-byte RFC 8032 encoding.
    [[nodiscard]] const Ed25519PublicKeyBytes& raw() const noexcept { return raw_; }

    /// PEM "PUBLIC KEY" text. Errors: kInternal.
    [[nodiscard]] core::Result<std::string> to_pem() const;

    /// Writes to_pem() to `path` (replaced if present). Errors: kUnavailable (I/O), kInternal.
    [[nodiscard]] core::Result<void> save_pem_file(const std::filesystem::path& path) const;

    /// Succeeds iff `signature` is a valid Ed25519 signature of `message` by this key.
    /// Errors: kInvalidInput (wrong signature length or signature does not verify), kInternal.
    [[nodiscard]] core::Result<void> verify(ByteView message, ByteView signature) const;
    [[nodiscard]] core::Result<void> verify(std::string_view message, ByteView signature) const;

    friend bool operator==(const Ed25519PublicKey& a, const Ed25519PublicKey& b) noexcept {
        return a.raw_ == b.raw_;
    }

private:
    Ed25519PublicKey(detail::PkeyPtr key, const Ed25519PublicKeyBytes& raw) noexcept;
    [[nodiscard]] static core::Result<Ed25519PublicKey> from_pkey(detail::PkeyPtr key);

    detail::PkeyPtr key_;
    Ed25519PublicKeyBytes raw_{};
};

/// An Ed25519 private key. Move-only, so that secret material is never silently duplicated.
class Ed25519PrivateKey {
public:
    /// A fresh key from OpenSSL's CSPRNG. Errors: kInternal.
    [[nodiscard]] static core::Result<Ed25519PrivateKey> generate();

    /// From the 32-byte RFC 8032 private key (the seed), e.g. test vectors or the key material
    /// of a Go note signer key. Errors: kInvalidInput (wrong length), kInternal.
    [[nodiscard]] static core::Result<Ed25519PrivateKey> from_seed(ByteView seed);

    /// From unencrypted PEM "PRIVATE KEY" (PKCS#8) text. An encrypted key is refused, never
    /// prompted for. Errors: kInvalidInput (not PEM, not a private key, encrypted),
    /// kUnsupported (another algorithm), kResourceExhausted (longer than kPemBytesMax).
    [[nodiscard]] static core::Result<Ed25519PrivateKey> from_pem(std::string_view pem);

    /// from_pem() of a file's content. Errors: those of from_pem() and of core::read_file().
    [[nodiscard]] static core::Result<Ed25519PrivateKey> load_pem_file(
        const std::filesystem::path& path);

    Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept;
    Ed25519PrivateKey& operator=(Ed25519PrivateKey&&) noexcept;
    Ed25519PrivateKey(const Ed25519PrivateKey&) = delete;
    Ed25519PrivateKey& operator=(const Ed25519PrivateKey&) = delete;
    ~Ed25519PrivateKey();

    /// The matching public key.
    [[nodiscard]] const Ed25519PublicKey& public_key() const noexcept { return public_key_; }

    /// Unencrypted PKCS#8 PEM "PRIVATE KEY" text. Errors: kInternal.
    [[nodiscard]] core::Result<std::string> to_pem() const;

    /// Writes to_pem() to `path`, created with mode 0600 (owner read/write only); fails rather
    /// than replace an existing file. Errors: kConflict (file exists), kUnavailable (I/O),
    /// kInternal.
    [[nodiscard]] core::Result<void> save_pem_file(const std::filesystem::path& path) const;

    /// The RFC 8032 signature of `message` (deterministic: same key and message, same bytes).
    /// Errors: kInternal.
    [[nodiscard]] core::Result<Ed25519Signature> sign(ByteView message) const;
    [[nodiscard]] core::Result<Ed25519Signature> sign(std::string_view message) const;

private:
    Ed25519PrivateKey(detail::PkeyPtr key, Ed25519PublicKey public_key) noexcept;
    [[nodiscard]] static core::Result<Ed25519PrivateKey> from_pkey(detail::PkeyPtr key);

    detail::PkeyPtr key_;
    Ed25519PublicKey public_key_;
};

}  // namespace facteur::crypto
