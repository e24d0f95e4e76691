// The local, NON-QUALIFIED test TSA (facteur/crypto/timestamp.h): key and certificate on disk,
// OpenSSL's TS responder behind a mutex.

#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>
#include <mutex>
#include <system_error>
#include <utility>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "facteur/core/file.h"
#include "facteur/crypto/ed25519.h"
#include "facteur/crypto/encoding.h"
#include "facteur/crypto/timestamp.h"

#include "openssl_error.h"
#include "openssl_ptr.h"
#include "timestamp_internal.h"
#include <fcntl.h>
#include <unistd.h>

namespace facteur::crypto {

namespace {

using core::Errc;
using detail::openssl_fail;
using detail::OpensslPtr;
using detail::AsnObjectPtr;
using detail::BignumPtr;
using detail::BioPtr;
using detail::TsRespPtr;
using detail::X509Ptr;

using PkeyPtr = OpensslPtr<EVP_PKEY, EVP_PKEY_free>;
using RespCtxPtr = OpensslPtr<TS_RESP_CTX, TS_RESP_CTX_free>;
using X509ExtensionPtr = OpensslPtr<X509_EXTENSION, X509_EXTENSION_free>;

constexpr const char* kKeyFileName = "tsa-key.pem";
constexpr const char* kCertFileName = "tsa-cert.pem";
constexpr const char* kCurveName = "P-256";
constexpr int kSerialBits = 128;  // RFC 5280 §4.1.2.2 allows up to 20 octets
constexpr int kCertValidityYears = 30;
constexpr int kAccuracySeconds = 1;
constexpr unsigned kClockPrecisionDigits = 3;  // genTime in milliseconds

static_assert(kSerialBits < 160, "TS_serial_cb: a serial number must be under 160 bits");
static_assert(kClockPrecisionDigits <= TS_MAX_CLOCK_PRECISION_DIGITS);

// OpenSSL's default PEM password callback prompts on the terminal: never block on a prompt.
int refuse_password(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) {
    return -1;
}

core::Result<std::string> bio_text(BIO& bio) {
    char* data = nullptr;
    const long length = BIO_get_mem_data(&bio, &data);
    if (length < 0 || (length > 0 && data == nullptr)) {
        return openssl_fail(Errc::kInternal, "OpenSSL BIO_get_mem_data failed");
    }
    return std::string(data, static_cast<std::size_t>(length));
}

core::Result<std::string> key_pem(EVP_PKEY& key) {
    const BioPtr bio(BIO_new(BIO_s_mem()));
    // PKCS#8, unencrypted: the file mode (0600) protects it, as for the archive's signing key.
    if (!bio
        || PEM_write_bio_PrivateKey(bio.get(), &key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        return openssl_fail(Errc::kInternal, "OpenSSL PEM_write_bio_PrivateKey failed");
    }
    return bio_text(*bio);
}

core::Result<std::string> cert_pem(X509& cert) {
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), &cert) != 1) {
        return openssl_fail(Errc::kInternal, "OpenSSL PEM_write_bio_X509 failed");
    }
    return bio_text(*bio);
}

core::Result<PkeyPtr> key_from_pem(std::string_view pem, const std::filesystem::path& path) {
    static_assert(kPemBytesMax <= INT_MAX, "BIO_new_mem_buf takes an int length");
    const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) {
        return openssl_fail(Errc::kInternal, "OpenSSL BIO_new_mem_buf failed");
    }
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &refuse_password, nullptr));
    if (!key) {
        return openssl_fail(Errc::kInvalidInput,
                            path.string() + " is not an unencrypted PEM private key");
    }
    return key;
}

class Fd {
public:
    explicit Fd(int fd) noexcept : fd_(fd) {}

    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;

    ~Fd() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }

    [[nodiscard]] int get() const noexcept { return fd_; }

    [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }

private:
    int fd_;
};

core::Result<void> io_fail(const char* what, const std::filesystem::path& path, int err) {
    return core::fail(Errc::kUnavailable, std::string("cannot ") + what + " " + path.string() + ": "
                                              + std::strerror(err));
}

core::Result<void> write_synced(const std::filesystem::path& path, std::string_view bytes,
                                mode_t mode) {
    Fd file(::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode));
    if (file.get() < 0) {
        return io_fail("create", path, errno);
    }
    for (std::size_t written = 0; written < bytes.size();) {
        const ssize_t n = ::write(file.get(), bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return io_fail("write", path, errno);
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(file.get()) != 0) {
        return io_fail("sync", path, errno);
    }
    if (::close(file.release()) != 0) {
        return io_fail("close", path, errno);
    }
    return {};
}

// Writes `bytes` to dir/name without ever showing a partial file: a uniquely named temporary
// file is written and synced, then hard-linked to its name (link() fails rather than replace an
// existing file, so two processes creating the TSA at once cannot overwrite each other) and the
// directory synced. Errors: kConflict (dir/name exists), kUnavailable.
core::Result<void> publish_file(const std::filesystem::path& dir, const char* name,
                                std::string_view bytes, mode_t mode) {
    std::array<std::uint8_t, 8> suffix{};
    if (RAND_bytes(suffix.data(), static_cast<int>(suffix.size())) != 1) {
        return openssl_fail(Errc::kInternal, "OpenSSL RAND_bytes failed");
    }
    const std::filesystem::path target = dir / name;
    const std::filesystem::path temporary =
        dir / (std::string(name) + ".tmp-" + hex_encode(suffix));
    auto written = write_synced(temporary, bytes, mode);
    if (written && ::link(temporary.c_str(), target.c_str()) != 0) {
        const int err = errno;
        written = err == EEXIST ? core::fail(Errc::kConflict, target.string() + " already exists")
                                : io_fail("link", target, err);
    }
    ::unlink(temporary.c_str());
    FACTEUR_TRY(written);
    Fd directory(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (directory.get() < 0 || ::fsync(directory.get()) != 0) {
        return io_fail("sync directory", dir, errno);
    }
    return {};
}

core::Result<bool> file_exists(const std::filesystem::path& path) {
    std::error_code error;
    const bool exists = std::filesystem::exists(path, error);
    if (error) {
        return core::fail(Errc::kUnavailable,
                          "cannot stat " + path.string() + ": " + error.message());
    }
    return exists;
}

core::Result<void> add_extension(X509& cert, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, &cert, &cert, nullptr, nullptr, 0);
    const X509ExtensionPtr extension(
        X509V3_EXT_nconf_nid(nullptr, &ctx, nid, const_cast<char*>(value)));
    if (!extension || X509_add_ext(&cert, extension.get(), -1) != 1) {
        return openssl_fail(Errc::kInternal,
                            std::string("OpenSSL cannot add certificate extension ") + value);
    }
    return {};
}

core::Result<void> set_random_serial(ASN1_INTEGER& serial) {
    const BignumPtr number(BN_new());
    if (!number || BN_rand(number.get(), kSerialBits, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1
        || BN_to_ASN1_INTEGER(number.get(), &serial) == nullptr) {
        return openssl_fail(Errc::kInternal, "OpenSSL cannot draw a random serial number");
    }
    return {};
}

core::Result<void> set_name(X509& cert) {
    X509_NAME* name = X509_get_subject_name(&cert);
    const auto* common_name = reinterpret_cast<const unsigned char*>(kLocalTsaCommonName.data());
    if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>("facteur"), -1, -1, 0)
            != 1
        || X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, common_name,
                                      static_cast<int>(kLocalTsaCommonName.size()), -1, 0)
               != 1
        || X509_set_issuer_name(&cert, name) != 1) {
        return openssl_fail(Errc::kInternal, "OpenSSL cannot set the certificate name");
    }
    return {};
}

// The self-signed TSA certificate. RFC 3161 §2.3: the extended key usage is timeStamping only
// and critical; OpenSSL's timestampsign purpose also wants keyUsage limited to
// digitalSignature/nonRepudiation, so there is no keyCertSign even though it signs itself.
core::Result<X509Ptr> make_certificate(EVP_PKEY& key, std::int64_t now_unix_ms) {
    X509Ptr cert(X509_new());
    const auto not_before = static_cast<time_t>(now_unix_ms / 1000);
    std::tm not_after{};
    gmtime_r(&not_before, &not_after);
    not_after.tm_year += kCertValidityYears;  // 29 February becomes 1 March
    if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1
        || ASN1_TIME_set(X509_getm_notBefore(cert.get()), not_before) == nullptr
        || ASN1_TIME_set(X509_getm_notAfter(cert.get()), timegm(&not_after)) == nullptr
        || X509_set_pubkey(cert.get(), &key) != 1) {
        return openssl_fail(Errc::kInternal, "OpenSSL cannot build the TSA certificate");
    }
    FACTEUR_TRY(set_random_serial(*X509_get_serialNumber(cert.get())));
    FACTEUR_TRY(set_name(*cert));
    FACTEUR_TRY(add_extension(*cert, NID_basic_constraints, "critical,CA:FALSE"));
    FACTEUR_TRY(add_extension(*cert, NID_key_usage, "critical,digitalSignature"));
    FACTEUR_TRY(add_extension(*cert, NID_ext_key_usage, "critical,timeStamping"));
    FACTEUR_TRY(add_extension(*cert, NID_subject_key_identifier, "hash"));
    if (X509_sign(cert.get(), &key, detail::sha256_md()) <= 0) {
        return openssl_fail(Errc::kInternal, "OpenSSL cannot sign the TSA certificate");
    }
    return cert;
}

core::Result<PkeyPtr> open_or_create_key(const std::filesystem::path& dir) {
    const std::filesystem::path path = dir / kKeyFileName;
    FACTEUR_TRY_ASSIGN(const bool exists, file_exists(path));
    if (!exists) {
        PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", kCurveName));
        if (!key) {
            return openssl_fail(Errc::kInternal, "OpenSSL P-256 key generation failed");
        }
        FACTEUR_TRY_ASSIGN(const std::string pem, key_pem(*key));
        auto published = publish_file(dir, kKeyFileName, pem, 0600);
        if (published) {
            return key;
        }
        if (published.error().code != Errc::kConflict) {
            return tl::unexpected(std::move(published).error());
        }
        // Another process created it first: use theirs, below.
    }
    FACTEUR_TRY_ASSIGN(const std::string pem, core::read_file(path, kPemBytesMax));
    return key_from_pem(pem, path);
}

core::Result<X509Ptr> open_or_create_certificate(const std::filesystem::path& dir, EVP_PKEY& key,
                                                 std::int64_t now_unix_ms) {
    const std::filesystem::path path = dir / kCertFileName;
    FACTEUR_TRY_ASSIGN(const bool exists, file_exists(path));
    if (!exists) {
        FACTEUR_TRY_ASSIGN(X509Ptr cert, make_certificate(key, now_unix_ms));
        FACTEUR_TRY_ASSIGN(const std::string pem, cert_pem(*cert));
        auto published = publish_file(dir, kCertFileName, pem, 0644);
        if (published) {
            return cert;
        }
        if (published.error().code != Errc::kConflict) {
            return tl::unexpected(std::move(published).error());
        }
    }
    FACTEUR_TRY_ASSIGN(const std::string pem, core::read_file(path, kPemBytesMax));
    return detail::certificate_from_pem(pem, path.string());
}

core::Result<void> check_pair(X509& cert, EVP_PKEY& key, const std::filesystem::path& dir) {
    if (X509_check_private_key(&cert, &key) != 1) {
        return openssl_fail(Errc::kInvalidInput, (dir / kCertFileName).string()
                                                     + " does not match the key in "
                                                     + (dir / kKeyFileName).string());
    }
    // timestampsign: critical EKU timeStamping only, keyUsage digitalSignature/nonRepudiation.
    if (X509_check_purpose(&cert, X509_PURPOSE_TIMESTAMP_SIGN, 0) != 1) {
        return openssl_fail(Errc::kInvalidInput,
                            (dir / kCertFileName).string()
                                + " is not a time-stamping certificate (RFC 3161 §2.3: critical "
                                  "extendedKeyUsage timeStamping only)");
    }
    return {};
}

// TS_time_cb: genTime from the injected clock, not gettimeofday().
int clock_time(TS_RESP_CTX* /*ctx*/, void* data, long* seconds, long* micros) {
    const std::int64_t unix_ms = static_cast<const core::Clock*>(data)->now_unix_ms();
    const std::int64_t floor_seconds = unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000;
    *seconds = static_cast<long>(floor_seconds);
    *micros = static_cast<long>((unix_ms - floor_seconds * 1000) * 1000);
    return 1;
}

// TS_serial_cb: 128 random bits, unique without any state on disk. On failure OpenSSL answers
// the request with status rejection ("Error during serial number generation.").
ASN1_INTEGER* random_serial(TS_RESP_CTX* /*ctx*/, void* /*data*/) {
    const BignumPtr number(BN_new());
    if (!number || BN_rand(number.get(), kSerialBits, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1) {
        return nullptr;
    }
    return BN_to_ASN1_INTEGER(number.get(), nullptr);
}

core::Result<RespCtxPtr> make_responder(X509& cert, EVP_PKEY& key, const core::Clock& clock) {
    RespCtxPtr ctx(TS_RESP_CTX_new_ex(nullptr, nullptr));
    const AsnObjectPtr policy(OBJ_txt2obj(std::string(kLocalTsaPolicyOid).c_str(), 1));
    // The context takes its own references to the certificate, key and policy.
    if (!ctx || !policy || TS_RESP_CTX_set_signer_cert(ctx.get(), &cert) != 1
        || TS_RESP_CTX_set_signer_key(ctx.get(), &key) != 1
        || TS_RESP_CTX_set_signer_digest(ctx.get(), detail::sha256_md()) != 1
        || TS_RESP_CTX_set_ess_cert_id_digest(ctx.get(), detail::sha256_md()) != 1
        || TS_RESP_CTX_set_def_policy(ctx.get(), policy.get()) != 1
        || TS_RESP_CTX_add_md(ctx.get(), detail::sha256_md()) != 1
        || TS_RESP_CTX_set_accuracy(ctx.get(), kAccuracySeconds, 0, 0) != 1
        || TS_RESP_CTX_set_clock_precision_digits(ctx.get(), kClockPrecisionDigits) != 1) {
        return openssl_fail(Errc::kInternal, "OpenSSL TS responder set-up failed");
    }
    TS_RESP_CTX_add_flags(ctx.get(), TS_TSA_NAME);  // TSTInfo.tsa = the certificate's subject
    TS_RESP_CTX_set_time_cb(ctx.get(), &clock_time, const_cast<core::Clock*>(&clock));
    TS_RESP_CTX_set_serial_cb(ctx.get(), &random_serial, nullptr);
    return ctx;
}

}  // namespace

struct LocalTsa::State {
    PkeyPtr key;
    X509Ptr cert;
    std::string cert_pem;
    RespCtxPtr responder;  // holds per-request state: one request at a time
    std::mutex mutex;
};

LocalTsa::LocalTsa(std::unique_ptr<State> state) noexcept : state_(std::move(state)) {}

LocalTsa::LocalTsa(LocalTsa&&) noexcept = default;
LocalTsa& LocalTsa::operator=(LocalTsa&&) noexcept = default;
LocalTsa::~LocalTsa() = default;

core::Result<LocalTsa> LocalTsa::open_or_create(const std::filesystem::path& dir,
                                                const core::Clock& clock) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) {
        return core::fail(Errc::kUnavailable,
                          "cannot create " + dir.string() + ": " + error.message());
    }
    FACTEUR_TRY_ASSIGN(const bool key_exists, file_exists(dir / kKeyFileName));
    FACTEUR_TRY_ASSIGN(const bool cert_exists, file_exists(dir / kCertFileName));
    if (cert_exists && !key_exists) {
        return core::fail(Errc::kDataLoss, (dir / kCertFileName).string() + " exists but "
                                               + (dir / kKeyFileName).string()
                                               + " is missing: the TSA key is lost");
    }
    auto state = std::make_unique<State>();
    FACTEUR_TRY_ASSIGN(state->key, open_or_create_key(dir));
    FACTEUR_TRY_ASSIGN(state->cert,
                       open_or_create_certificate(dir, *state->key, clock.now_unix_ms()));
    FACTEUR_TRY(check_pair(*state->cert, *state->key, dir));
    FACTEUR_TRY_ASSIGN(state->cert_pem, cert_pem(*state->cert));
    FACTEUR_TRY_ASSIGN(state->responder, make_responder(*state->cert, *state->key, clock));
    return LocalTsa(std::move(state));
}

core::Result<std::string> LocalTsa::respond(ByteView request_der) const {
    // Oversized or trailing-garbage requests get OpenSSL's own badDataFormat rejection: it is
    // given no bytes at all (d2i_TS_REQ_bio would read the first object and ignore the rest).
    bool acceptable = !request_der.empty() && request_der.size() <= kTimestampDerBytesMax;
    if (acceptable) {
        const unsigned char* cursor = request_der.data();
        TS_REQ* parsed = d2i_TS_REQ(nullptr, &cursor, static_cast<long>(request_der.size()));
        acceptable = parsed != nullptr && cursor == request_der.data() + request_der.size();
        TS_REQ_free(parsed);
    }
    static constexpr char kNoBytes[] = "";
    const BioPtr bio(acceptable
                         ? BIO_new_mem_buf(request_der.data(), static_cast<int>(request_der.size()))
                         : BIO_new_mem_buf(kNoBytes, 0));
    if (!bio) {
        return openssl_fail(Errc::kInternal, "OpenSSL BIO_new_mem_buf failed");
    }
    TsRespPtr response;
    {
        const std::lock_guard lock(state_->mutex);
        response.reset(TS_RESP_create_response(state_->responder.get(), bio.get()));
    }
    if (!response) {
        return openssl_fail(Errc::kInternal, "OpenSSL TS_RESP_create_response failed");
    }
    detail::openssl_clear_errors();  // a rejected request leaves its parse errors queued
    const int der_length = i2d_TS_RESP(response.get(), nullptr);
    std::string der(der_length > 0 ? static_cast<std::size_t>(der_length) : 0, '\0');
    auto* cursor = reinterpret_cast<unsigned char*>(der.data());
    if (der_length <= 0 || i2d_TS_RESP(response.get(), &cursor) != der_length) {
        return openssl_fail(Errc::kInternal, "OpenSSL cannot encode the TimeStampResp");
    }
    return der;
}

const std::string& LocalTsa::certificate_pem() const noexcept {
    return state_->cert_pem;
}

}  // namespace facteur::crypto
