#include "facteur/crypto/ed25519.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <utility>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "facteur/core/file.h"

#include "openssl_error.h"
#include <fcntl.h>
#include <unistd.h>

namespace facteur::crypto {

void detail::PkeyFree::operator()(evp_pkey_st* key) const noexcept {
    EVP_PKEY_free(key);
}

namespace {

using core::Errc;
using detail::openssl_fail;
using detail::PkeyPtr;

struct BioFree {
    void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};

using BioPtr = std::unique_ptr<BIO, BioFree>;

struct MdCtxFree {
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

struct FdCloser {
    explicit FdCloser(int descriptor) noexcept : fd(descriptor) {}

    FdCloser(const FdCloser&) = delete;
    FdCloser& operator=(const FdCloser&) = delete;

    ~FdCloser() {
        if (fd >= 0) {
            ::close(fd);
        }
    }

    int fd;
};

// OpenSSL's default PEM password callback prompts on the terminal: a service must never block
// on a prompt, so an encrypted key simply fails to load.
int refuse_password(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) {
    return -1;
}

core::Result<BioPtr> read_bio(std::string_view pem) {
    if (pem.size() > kPemBytesMax) {
        return core::fail(Errc::kResourceExhausted,
                          "PEM text longer than " + std::to_string(kPemBytesMax) + " bytes");
    }
    static_assert(kPemBytesMax <= INT_MAX, "BIO_new_mem_buf takes an int length");
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) {
        return openssl_fail(Errc::kInternal, "OpenSSL BIO_new_mem_buf failed");
    }
    return bio;
}

core::Result<std::string> bio_text(BIO& bio) {
    char* data = nullptr;
    const long length = BIO_get_mem_data(&bio, &data);
    if (length < 0 || (length > 0 && data == nullptr)) {
        return openssl_fail(Errc::kInternal, "OpenSSL BIO_get_mem_data failed");
    }
    return std::string(data, static_cast<std::size_t>(length));
}

core::Result<void> write_all(int fd, const std::filesystem::path& path, std::string_view bytes) {
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return core::fail(Errc::kUnavailable,
                              "cannot write " + path.string() + ": " + std::strerror(errno));
        }
        written += static_cast<std::size_t>(n);
    }
    // A key that is not on disk after a crash would orphan every checkpoint signed with it.
    if (::fsync(fd) != 0) {
        return core::fail(Errc::kUnavailable,
                          "cannot sync " + path.string() + ": " + std::strerror(errno));
    }
    return {};
}

core::Result<void> write_file(const std::filesystem::path& path, std::string_view bytes, int flags,
                              mode_t mode) {
    FdCloser file{::open(path.c_str(), flags | O_WRONLY | O_CLOEXEC, mode)};
    if (file.fd < 0) {
        const int err = errno;
        return core::fail(err == EEXIST ? Errc::kConflict : Errc::kUnavailable,
                          "cannot create " + path.string() + ": " + std::strerror(err));
    }
    auto written = write_all(file.fd, path, bytes);
    const int fd = std::exchange(file.fd, -1);
    if (::close(fd) != 0 && written) {
        written = core::fail(Errc::kUnavailable,
                             "cannot close " + path.string() + ": " + std::strerror(errno));
    }
    if (!written) {
        ::unlink(path.c_str());  // no half-written key left behind to be loaded later
    }
    return written;
}

core::Result<void> check_ed25519(const EVP_PKEY& key) {
    if (EVP_PKEY_get_base_id(&key) != EVP_PKEY_ED25519) {
        return core::fail(Errc::kUnsupported, "not an Ed25519 key");
    }
    return {};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Ed25519PublicKey

Ed25519PublicKey::Ed25519PublicKey(PkeyPtr key, const Ed25519PublicKeyBytes& raw) noexcept
    : key_(std::move(key)), raw_(raw) {}

Ed25519PublicKey::Ed25519PublicKey(const Ed25519PublicKey& other) : raw_(other.raw_) {
    if (other.key_ && EVP_PKEY_up_ref(other.key_.get()) == 1) {
        key_.reset(other.key_.get());
    }
}

Ed25519PublicKey& Ed25519PublicKey::operator=(const Ed25519PublicKey& other) {
    if (this != &other) {
        Ed25519PublicKey copy(other);
        *this = std::move(copy);
    }
    return *this;
}

Ed25519PublicKey::Ed25519PublicKey(Ed25519PublicKey&&) noexcept = default;
Ed25519PublicKey& Ed25519PublicKey::operator=(Ed25519PublicKey&&) noexcept = default;
Ed25519PublicKey::~Ed25519PublicKey() = default;

core::Result<Ed25519PublicKey> Ed25519PublicKey::from_raw(ByteView raw) {
    if (raw.size() != kEd25519PublicKeyBytes) {
        return core::fail(Errc::kInvalidInput,
                          "Ed25519 public key must be 32 bytes, got " + std::to_string(raw.size()));
    }
    PkeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size()));
    if (!key) {
        return openssl_fail(Errc::kInvalidInput, "OpenSSL rejected the Ed25519 public key");
    }
    Ed25519PublicKeyBytes bytes{};
    std::memcpy(bytes.data(), raw.data(), bytes.size());
    return Ed25519PublicKey(std::move(key), bytes);
}

core::Result<Ed25519PublicKey> Ed25519PublicKey::from_pkey(PkeyPtr key) {
    FACTEUR_TRY(check_ed25519(*key));
    Ed25519PublicKeyBytes bytes{};
    std::size_t length = bytes.size();
    if (EVP_PKEY_get_raw_public_key(key.get(), bytes.data(), &length) != 1
        || length != bytes.size()) {
        return openssl_fail(Errc::kInternal, "OpenSSL EVP_PKEY_get_raw_public_key failed");
    }
    // A fresh public-only key: a public key object never holds the private half.
    return from_raw(bytes);
}

core::Result<Ed25519PublicKey> Ed25519PublicKey::from_pem(std::string_view pem) {
    FACTEUR_TRY_ASSIGN(BioPtr bio, read_bio(pem));
    PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, &refuse_password, nullptr));
    if (!key) {
        return openssl_fail(Errc::kInvalidInput, "not a PEM public key");
    }
    return from_pkey(std::move(key));
}

core::Result<Ed25519PublicKey> Ed25519PublicKey::load_pem_file(const std::filesystem::path& path) {
    FACTEUR_TRY_ASSIGN(const std::string pem, core::read_file(path, kPemBytesMax));
    return from_pem(pem);
}

core::Result<std::string> Ed25519PublicKey::to_pem() const {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || !key_ || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
        return openssl_fail(Errc::kInternal, "OpenSSL PEM_write_bio_PUBKEY failed");
    }
    return bio_text(*bio);
}

core::Result<void> Ed25519PublicKey::save_pem_file(const std::filesystem::path& path) const {
    FACTEUR_TRY_ASSIGN(const std::string pem, to_pem());
    return write_file(path, pem, O_CREAT | O_TRUNC, 0644);
}

core::Result<void> Ed25519PublicKey::verify(ByteView message, ByteView signature) const {
    if (signature.size() != kEd25519SignatureBytes) {
        return core::fail(Errc::kInvalidInput, "Ed25519 signature must be 64 bytes, got "
                                                   + std::to_string(signature.size()));
    }
    const MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || !key_
        || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1) {
        return openssl_fail(Errc::kInternal, "OpenSSL EVP_DigestVerifyInit failed");
    }
    // 1: valid; 0: invalid; negative: malformed (e.g. S >= L), which is the sender's fault too.
    if (EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                         message.size())
        != 1) {
        return openssl_fail(Errc::kInvalidInput, "Ed25519 signature does not verify");
    }
    return {};
}

core::Result<void> Ed25519PublicKey::verify(std::string_view message, ByteView signature) const {
    return verify(as_bytes(message), signature);
}

// ---------------------------------------------------------------------------------------------
// Ed25519PrivateKey

Ed25519PrivateKey::Ed25519PrivateKey(PkeyPtr key, Ed25519PublicKey public_key) noexcept
    : key_(std::move(key)), public_key_(std::move(public_key)) {}

Ed25519PrivateKey::Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept = default;
Ed25519PrivateKey& Ed25519PrivateKey::operator=(Ed25519PrivateKey&&) noexcept = default;
Ed25519PrivateKey::~Ed25519PrivateKey() = default;

core::Result<Ed25519PrivateKey> Ed25519PrivateKey::from_pkey(PkeyPtr key) {
    FACTEUR_TRY(check_ed25519(*key));
    Ed25519PublicKeyBytes bytes{};
    std::size_t length = bytes.size();
    if (EVP_PKEY_get_raw_public_key(key.get(), bytes.data(), &length) != 1
        || length != bytes.size()) {
        return openssl_fail(Errc::kInternal, "OpenSSL EVP_PKEY_get_raw_public_key failed");
    }
    FACTEUR_TRY_ASSIGN(Ed25519PublicKey public_key, Ed25519PublicKey::from_raw(bytes));
    return Ed25519PrivateKey(std::move(key), std::move(public_key));
}

core::Result<Ed25519PrivateKey> Ed25519PrivateKey::generate() {
    PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    if (!key) {
        return openssl_fail(Errc::kInternal, "OpenSSL Ed25519 key generation failed");
    }
    return from_pkey(std::move(key));
}

core::Result<Ed25519PrivateKey> Ed25519PrivateKey::from_seed(ByteView seed) {
    if (seed.size() != kEd25519SeedBytes) {
        return core::fail(Errc::kInvalidInput, "Ed25519 private key must be 32 bytes, got "
                                                   + std::to_string(seed.size()));
    }
    PkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
    if (!key) {
        return openssl_fail(Errc::kInternal, "OpenSSL rejected the Ed25519 private key");
    }
    return from_pkey(std::move(key));
}

core::Result<Ed25519PrivateKey> Ed25519PrivateKey::from_pem(std::string_view pem) {
    FACTEUR_TRY_ASSIGN(BioPtr bio, read_bio(pem));
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &refuse_password, nullptr));
    if (!key) {
        return openssl_fail(Errc::kInvalidInput, "not an unencrypted PEM private key");
    }
    return from_pkey(std::move(key));
}

core::Result<Ed25519PrivateKey> Ed25519PrivateKey::load_pem_file(
    const std::filesystem::path& path) {
    FACTEUR_TRY_ASSIGN(const std::string pem, core::read_file(path, kPemBytesMax));
    return from_pem(pem);
}

core::Result<std::string> Ed25519PrivateKey::to_pem() const {
    BioPtr bio(BIO_new(BIO_s_mem()));
    // PEM_write_bio_PrivateKey writes PKCS#8 ("BEGIN PRIVATE KEY"); no cipher: unencrypted, the
    // file mode protects it.
    if (!bio || !key_
        || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr)
               != 1) {
        return openssl_fail(Errc::kInternal, "OpenSSL PEM_write_bio_PrivateKey failed");
    }
    return bio_text(*bio);
}

core::Result<void> Ed25519PrivateKey::save_pem_file(const std::filesystem::path& path) const {
    FACTEUR_TRY_ASSIGN(const std::string pem, to_pem());
    return write_file(path, pem, O_CREAT | O_EXCL, 0600);
}

core::Result<Ed25519Signature> Ed25519PrivateKey::sign(ByteView message) const {
    const MdCtxPtr ctx(EVP_MD_CTX_new());
    Ed25519Signature signature{};
    std::size_t length = signature.size();
    // Pure Ed25519 signs the message itself (one-shot API; no digest is passed).
    if (!ctx || !key_ || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1
        || EVP_DigestSign(ctx.get(), signature.data(), &length, message.data(), message.size()) != 1
        || length != signature.size()) {
        return openssl_fail(Errc::kInternal, "OpenSSL Ed25519 signing failed");
    }
    return signature;
}

core::Result<Ed25519Signature> Ed25519PrivateKey::sign(std::string_view message) const {
    return sign(as_bytes(message));
}

}  // namespace facteur::crypto
