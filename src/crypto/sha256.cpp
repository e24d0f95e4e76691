#include "facteur/crypto/sha256.h"

#include <memory>
#include <utility>

#include <openssl/evp.h>

#include "openssl_error.h"

namespace facteur::crypto {

namespace {

struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

}  // namespace

core::Result<Sha256Digest> sha256(ByteView bytes) {
    const std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    Sha256Digest digest{};
    unsigned int length = 0;
    if (!ctx || EVP_DigestInit_ex2(ctx.get(), detail::sha256_md(), nullptr) != 1
        || EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1
        || EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1 || length != digest.size()) {
        return detail::openssl_fail(core::Errc::kInternal, "OpenSSL SHA-256 failed");
    }
    return digest;
}

core::Result<Sha256Digest> sha256(std::string_view bytes) {
    return sha256(as_bytes(bytes));
}

std::string to_hex(const Sha256Digest& digest) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(digest.size() * 2);
    for (const std::uint8_t byte : digest) {
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 0x0f]);
    }
    return out;
}

void Sha256Hasher::CtxFree::operator()(evp_md_ctx_st* ctx) const noexcept {
    EVP_MD_CTX_free(ctx);
}

Sha256Hasher::Sha256Hasher(std::unique_ptr<evp_md_ctx_st, CtxFree> ctx) noexcept
    : ctx_(std::move(ctx)) {}

Sha256Hasher::Sha256Hasher(Sha256Hasher&&) noexcept = default;
Sha256Hasher& Sha256Hasher::operator=(Sha256Hasher&&) noexcept = default;
Sha256Hasher::~Sha256Hasher() = default;

core::Result<Sha256Hasher> Sha256Hasher::create() {
    std::unique_ptr<evp_md_ctx_st, CtxFree> ctx(EVP_MD_CTX_new());
    if (!ctx) {
        return detail::openssl_fail(core::Errc::kInternal, "OpenSSL EVP_MD_CTX_new failed");
    }
    Sha256Hasher hasher(std::move(ctx));
    FACTEUR_TRY(hasher.restart());
    return hasher;
}

core::Result<void> Sha256Hasher::restart() {
    if (!ctx_ || EVP_DigestInit_ex2(ctx_.get(), detail::sha256_md(), nullptr) != 1) {
        return detail::openssl_fail(core::Errc::kInternal, "OpenSSL SHA-256 init failed");
    }
    return {};
}

core::Result<void> Sha256Hasher::update(ByteView bytes) {
    if (!ctx_) {
        return core::fail(core::Errc::kInternal, "SHA-256 hasher used after move");
    }
    if (EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size()) != 1) {
        auto error = detail::openssl_fail(core::Errc::kInternal, "OpenSSL SHA-256 update failed");
        (void)restart();  // best effort: the caller restarts the message anyway
        return error;
    }
    return {};
}

core::Result<void> Sha256Hasher::update(std::string_view bytes) {
    return update(as_bytes(bytes));
}

core::Result<Sha256Digest> Sha256Hasher::finish() {
    if (!ctx_) {
        return core::fail(core::Errc::kInternal, "SHA-256 hasher used after move");
    }
    Sha256Digest digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), digest.data(), &length) != 1 || length != digest.size()) {
        auto error = detail::openssl_fail(core::Errc::kInternal, "OpenSSL SHA-256 final failed");
        (void)restart();
        return error;
    }
    FACTEUR_TRY(restart());
    return digest;
}

}  // namespace facteur::crypto
