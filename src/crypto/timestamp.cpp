#include "facteur/crypto/timestamp.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstring>
#include <ctime>
#include <utility>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "facteur/crypto/ed25519.h"

#include "openssl_error.h"
#include "openssl_ptr.h"
#include "timestamp_internal.h"

namespace facteur::crypto {

namespace {

using core::Errc;
using detail::openssl_fail;
using detail::OpensslPtr;

using AsnIntegerPtr = OpensslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using MsgImprintPtr = OpensslPtr<TS_MSG_IMPRINT, TS_MSG_IMPRINT_free>;
using Pkcs7Ptr = OpensslPtr<PKCS7, PKCS7_free>;
using TsReqPtr = OpensslPtr<TS_REQ, TS_REQ_free>;
using TstInfoPtr = OpensslPtr<TS_TST_INFO, TS_TST_INFO_free>;
using VerifyCtxPtr = OpensslPtr<TS_VERIFY_CTX, TS_VERIFY_CTX_free>;
using X509AlgorPtr = OpensslPtr<X509_ALGOR, X509_ALGOR_free>;
using detail::AsnObjectPtr;
using detail::BignumPtr;
using detail::BioPtr;
using detail::TsRespPtr;
using detail::X509Ptr;
using X509StorePtr = OpensslPtr<X509_STORE, X509_STORE_free>;

struct X509StackFree {
    void operator()(STACK_OF(X509) * stack) const noexcept { sk_X509_pop_free(stack, X509_free); }
};

using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackFree>;

// Signers returned by PKCS7_get0_signers are borrowed: only the stack is freed.
struct BorrowedX509StackFree {
    void operator()(STACK_OF(X509) * stack) const noexcept { sk_X509_free(stack); }
};

using BorrowedX509StackPtr = std::unique_ptr<STACK_OF(X509), BorrowedX509StackFree>;

static_assert(kTimestampDerBytesMax <= LONG_MAX, "d2i_* take a long length");

// d2i_* for one DER object that must fill `der` exactly: OpenSSL stops after the first object
// and would silently ignore whatever follows it.
template <class T, T* (*D2i)(T**, const unsigned char**, long), void (*Free)(T*)>
core::Result<OpensslPtr<T, Free>> parse_der(ByteView der, std::string_view what) {
    if (der.size() > kTimestampDerBytesMax) {
        return core::fail(
            Errc::kResourceExhausted,
            std::string(what) + " longer than " + std::to_string(kTimestampDerBytesMax) + " bytes");
    }
    const unsigned char* cursor = der.data();
    OpensslPtr<T, Free> object(D2i(nullptr, &cursor, static_cast<long>(der.size())));
    if (!object) {
        return openssl_fail(Errc::kInvalidInput, "not a DER " + std::string(what));
    }
    if (cursor != der.data() + der.size()) {
        return core::fail(Errc::kInvalidInput, std::to_string(der.data() + der.size() - cursor)
                                                   + " trailing byte(s) after the DER "
                                                   + std::string(what));
    }
    return object;
}

template <class T, int (*I2d)(const T*, unsigned char**)>
core::Result<std::string> to_der(const T& object, std::string_view what) {
    const int length = I2d(&object, nullptr);
    if (length <= 0) {
        return openssl_fail(Errc::kInternal, "OpenSSL cannot encode the " + std::string(what));
    }
    std::string der(static_cast<std::size_t>(length), '\0');
    auto* cursor = reinterpret_cast<unsigned char*>(der.data());
    if (I2d(&object, &cursor) != length) {
        return openssl_fail(Errc::kInternal, "OpenSSL cannot encode the " + std::string(what));
    }
    return der;
}

// BN_bn2hex gives upper-case digits without leading zeros ("0" for zero): we print lower-case.
core::Result<std::string> integer_hex(const ASN1_INTEGER& integer) {
    const BignumPtr number(ASN1_INTEGER_to_BN(&integer, nullptr));
    if (!number) {
        return openssl_fail(Errc::kInvalidInput, "unreadable ASN.1 INTEGER");
    }
    char* hex = BN_bn2hex(number.get());
    if (hex == nullptr) {
        return openssl_fail(Errc::kInternal, "OpenSSL BN_bn2hex failed");
    }
    std::string out(hex);
    OPENSSL_free(hex);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return out;
}

core::Result<std::string> name_text(const X509_NAME& name) {
    const BioPtr bio(BIO_new(BIO_s_mem()));
    // RFC 2253 order and escaping, UTF-8 kept as is (not \U-escaped).
    constexpr unsigned long kFlags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
    if (!bio || X509_NAME_print_ex(bio.get(), &name, 0, kFlags) < 0) {
        return openssl_fail(Errc::kInternal, "OpenSSL X509_NAME_print_ex failed");
    }
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    if (length < 0 || (length > 0 && data == nullptr)) {
        return openssl_fail(Errc::kInternal, "OpenSSL BIO_get_mem_data failed");
    }
    return std::string(data, static_cast<std::size_t>(length));
}

// GeneralizedTime "YYYYMMDDHHMMSS[.fff...]Z" (RFC 3161 §2.4.2: UTC, 'Z', optional fraction).
core::Result<std::int64_t> gen_time_unix_ms(const ASN1_GENERALIZEDTIME& time) {
    std::tm tm{};
    if (ASN1_TIME_to_tm(&time, &tm) != 1) {
        return openssl_fail(Errc::kInvalidInput, "time-stamp genTime is not a valid time");
    }
    const std::chrono::year_month_day day{std::chrono::year{tm.tm_year + 1900},
                                          std::chrono::month{static_cast<unsigned>(tm.tm_mon + 1)},
                                          std::chrono::day{static_cast<unsigned>(tm.tm_mday)}};
    const std::int64_t seconds =
        std::chrono::sys_days{day}.time_since_epoch() / std::chrono::seconds{1}
        + std::int64_t{tm.tm_hour} * 3600 + std::int64_t{tm.tm_min} * 60 + tm.tm_sec;
    std::int64_t millis = 0;
    const std::string_view text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(&time)),
                                static_cast<std::size_t>(ASN1_STRING_length(&time)));
    if (const std::size_t dot = text.find('.'); dot != std::string_view::npos) {
        // ASN1_TIME_to_tm checked the digits; keep milliseconds, truncate the rest.
        std::int64_t scale = 100;
        for (std::size_t i = dot + 1; i < text.size() && scale > 0; ++i, scale /= 10) {
            if (text[i] < '0' || text[i] > '9') {
                break;
            }
            millis += (text[i] - '0') * scale;
        }
    }
    return seconds * 1000 + millis;
}

core::Result<std::array<std::uint8_t, kTimestampImprintBytes>> sha256_imprint(
    TS_MSG_IMPRINT& imprint) {
    const X509_ALGOR* algorithm = TS_MSG_IMPRINT_get_algo(&imprint);
    const ASN1_OBJECT* oid = nullptr;
    X509_ALGOR_get0(&oid, nullptr, nullptr, algorithm);
    if (oid == nullptr || OBJ_obj2nid(oid) != NID_sha256) {
        return core::fail(Errc::kUnsupported,
                          "time-stamp imprint hash algorithm is not SHA-256 (facteur only "
                          "requests and accepts SHA-256)");
    }
    const ASN1_OCTET_STRING* hashed = TS_MSG_IMPRINT_get_msg(&imprint);
    if (hashed == nullptr
        || static_cast<std::size_t>(ASN1_STRING_length(hashed)) != kTimestampImprintBytes) {
        return core::fail(Errc::kInvalidInput, "time-stamp SHA-256 imprint is not 32 bytes");
    }
    std::array<std::uint8_t, kTimestampImprintBytes> out{};
    std::memcpy(out.data(), ASN1_STRING_get0_data(hashed), out.size());
    return out;
}

// TSTInfo.tsa when it is a directory name, else the signer certificate's subject if the token
// carries it, else "".
core::Result<std::string> tsa_subject(PKCS7& token, TS_TST_INFO& tst_info) {
    const GENERAL_NAME* tsa = TS_TST_INFO_get_tsa(&tst_info);
    if (tsa != nullptr && tsa->type == GEN_DIRNAME) {
        return name_text(*tsa->d.directoryName);
    }
    const BorrowedX509StackPtr signers(PKCS7_get0_signers(&token, nullptr, 0));
    if (!signers || sk_X509_num(signers.get()) != 1) {
        detail::openssl_clear_errors();  // a token without its certificate is fine here
        return std::string();
    }
    return name_text(*X509_get_subject_name(sk_X509_value(signers.get(), 0)));
}

core::Result<TimestampInfo> token_info(PKCS7& token) {
    const TstInfoPtr tst_info(PKCS7_to_TS_TST_INFO(&token));
    if (!tst_info) {
        return openssl_fail(Errc::kInvalidInput,
                            "not a time-stamp token (no CMS SignedData holding a TSTInfo)");
    }
    TimestampInfo info;
    FACTEUR_TRY_ASSIGN(info.gen_time_unix_ms,
                       gen_time_unix_ms(*TS_TST_INFO_get_time(tst_info.get())));
    FACTEUR_TRY_ASSIGN(info.serial_hex, integer_hex(*TS_TST_INFO_get_serial(tst_info.get())));
    std::array<char, 256> oid{};
    const int oid_length =
        OBJ_obj2txt(oid.data(), oid.size(), TS_TST_INFO_get_policy_id(tst_info.get()), 1);
    if (oid_length <= 0 || static_cast<std::size_t>(oid_length) >= oid.size()) {
        return openssl_fail(Errc::kInvalidInput, "time-stamp policy OID unreadable or too long");
    }
    info.policy_oid = oid.data();
    FACTEUR_TRY_ASSIGN(info.tsa_subject, tsa_subject(token, *tst_info));
    FACTEUR_TRY_ASSIGN(info.imprint, sha256_imprint(*TS_TST_INFO_get_msg_imprint(tst_info.get())));
    if (const ASN1_INTEGER* nonce = TS_TST_INFO_get_nonce(tst_info.get()); nonce != nullptr) {
        FACTEUR_TRY_ASSIGN(info.nonce_hex, integer_hex(*nonce));
    }
    return info;
}

// The one trust anchor, checked at the token's genTime (a token outlives its TSA certificate's
// validity: what matters is that the certificate was valid when it signed). PARTIAL_CHAIN makes
// the given certificate an anchor even when it is not self-signed.
core::Result<X509StorePtr> trust_store(X509& anchor, std::int64_t gen_time_unix_ms) {
    X509StorePtr store(X509_STORE_new());
    if (!store || X509_STORE_add_cert(store.get(), &anchor) != 1) {
        return openssl_fail(Errc::kInternal, "OpenSSL X509_STORE set-up failed");
    }
    X509_VERIFY_PARAM* param = X509_STORE_get0_param(store.get());
    X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(gen_time_unix_ms / 1000));
    if (X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN) != 1) {
        return openssl_fail(Errc::kInternal, "OpenSSL X509_VERIFY_PARAM_set_flags failed");
    }
    return store;
}

// An AlgorithmIdentifier's parameters: absent or NULL (RFC 5754 §2 for SHA-2, RFC 5758 §3.2 for
// ECDSA, RFC 8017 for RSA), never anything else.
bool parameters_absent_or_null(const X509_ALGOR& algorithm) {
    int type = V_ASN1_UNDEF;
    X509_ALGOR_get0(nullptr, &type, nullptr, &algorithm);
    return type == V_ASN1_UNDEF || type == V_ASN1_NULL;
}

int algorithm_nid(const X509_ALGOR& algorithm) {
    const ASN1_OBJECT* oid = nullptr;
    X509_ALGOR_get0(&oid, nullptr, nullptr, &algorithm);
    return oid != nullptr ? OBJ_obj2nid(oid) : NID_undef;
}

// The key type (EVP_PKEY_EC, EVP_PKEY_RSA ...) of the token's signer, found as OpenSSL finds it
// (the anchor first, then the certificates the token carries); NID_undef if none.
int signer_key_type(PKCS7& token, X509& anchor) {
    const BorrowedX509StackPtr candidates(sk_X509_new_null());
    if (!candidates || sk_X509_push(candidates.get(), &anchor) <= 0) {
        return NID_undef;
    }
    const BorrowedX509StackPtr signers(PKCS7_get0_signers(&token, candidates.get(), 0));
    detail::openssl_clear_errors();
    if (!signers || sk_X509_num(signers.get()) != 1) {
        return NID_undef;
    }
    const EVP_PKEY* key = X509_get0_pubkey(sk_X509_value(signers.get(), 0));
    return key != nullptr ? EVP_PKEY_get_base_id(key) : NID_undef;
}

// The fields of a CMS SignedData that its signature does not cover: versions, algorithm
// parameters and the signature algorithm. OpenSSL ignores them, so without these checks the
// same token would verify in many byte forms (RFC 5652 §5.1, §5.3; RFC 3161 §2.4.2).
core::Result<void> check_unsigned_fields(PKCS7& token, X509& anchor) {
    const PKCS7_SIGNED& signed_data = *token.d.sign;
    if (ASN1_INTEGER_get(signed_data.version) != 3) {  // eContentType is not id-data
        return core::fail(Errc::kDataLoss, "time-stamp token: SignedData version is not 3");
    }
    for (int i = 0; i < sk_X509_ALGOR_num(signed_data.md_algs); ++i) {
        if (!parameters_absent_or_null(*sk_X509_ALGOR_value(signed_data.md_algs, i))) {
            return core::fail(Errc::kDataLoss,
                              "time-stamp token: digestAlgorithms parameters are not absent/NULL");
        }
    }
    PKCS7_SIGNER_INFO* signer_info = sk_PKCS7_SIGNER_INFO_value(signed_data.signer_info, 0);
    X509_ALGOR* digest = nullptr;
    X509_ALGOR* signature = nullptr;
    PKCS7_SIGNER_INFO_get0_algs(signer_info, nullptr, &digest, &signature);
    // OpenSSL only handles issuerAndSerialNumber signer identifiers, which are version 1.
    if (ASN1_INTEGER_get(signer_info->version) != 1 || digest == nullptr || signature == nullptr
        || !parameters_absent_or_null(*digest) || !parameters_absent_or_null(*signature)) {
        return core::fail(Errc::kDataLoss,
                          "time-stamp token: SignerInfo version or algorithm "
                          "parameters not as RFC 5652 requires");
    }
    // The signature algorithm must name the signer's key type and, if it names a digest, the
    // SignerInfo's digest (e.g. ecdsa-with-SHA256 for a P-256 key signing with SHA-256).
    const int signature_nid = algorithm_nid(*signature);
    int digest_of_signature = NID_undef;
    int key_of_signature = signature_nid;  // e.g. rsaEncryption names the key type only
    OBJ_find_sigid_algs(signature_nid, &digest_of_signature, &key_of_signature);
    if (key_of_signature != signer_key_type(token, anchor)
        || (digest_of_signature != NID_undef && digest_of_signature != algorithm_nid(*digest))) {
        return core::fail(Errc::kDataLoss,
                          "time-stamp token: signature algorithm does not match the signer's key "
                          "and digest");
    }
    return {};
}

core::Result<void> check_signature(PKCS7& token, X509& anchor, std::int64_t gen_time_unix_ms) {
    const VerifyCtxPtr ctx(TS_VERIFY_CTX_new());
    if (!ctx) {
        return openssl_fail(Errc::kInternal, "OpenSSL TS_VERIFY_CTX_new failed");
    }
    FACTEUR_TRY_ASSIGN(X509StorePtr store, trust_store(anchor, gen_time_unix_ms));
    // The imprint is compared by the caller (with its own message); OpenSSL checks the CMS
    // signature, the chain to the anchor with purpose timestampsign (critical EKU timeStamping
    // only), the ESS signing-certificate(-v2) attribute, the TSTInfo version and TSTInfo.tsa.
    TS_VERIFY_CTX_set_flags(ctx.get(), TS_VFY_SIGNATURE | TS_VFY_VERSION | TS_VFY_SIGNER);
    TS_VERIFY_CTX_set_store(ctx.get(), store.release());  // the context owns it (OpenSSL 3.0)
    // A token without certificates (certReq false) names its signer by issuer and serial only:
    // offer the anchor as the candidate. A token with certificates must carry the right one, so
    // that a damaged copy inside it is never silently replaced by ours.
    const STACK_OF(X509)* carried =
        PKCS7_type_is_signed(&token) && token.d.sign != nullptr ? token.d.sign->cert : nullptr;
    if (carried == nullptr || sk_X509_num(carried) == 0) {
        X509StackPtr certs(sk_X509_new_null());
        if (!certs || X509_up_ref(&anchor) != 1) {
            return openssl_fail(Errc::kInternal, "OpenSSL certificate stack set-up failed");
        }
        if (sk_X509_push(certs.get(), &anchor) <= 0) {
            X509_free(&anchor);
            return openssl_fail(Errc::kInternal, "OpenSSL certificate stack set-up failed");
        }
        TS_VERIFY_CTX_set_certs(ctx.get(), certs.release());  // owned by the context
    }
    if (TS_RESP_verify_token(ctx.get(), &token) != 1) {
        return openssl_fail(Errc::kDataLoss,
                            "time-stamp token does not verify against the TSA certificate");
    }
    return check_unsigned_fields(token, anchor);
}

const char* status_name(long status) {
    switch (status) {
        case TS_STATUS_GRANTED:
            return "granted";
        case TS_STATUS_GRANTED_WITH_MODS:
            return "grantedWithMods";
        case TS_STATUS_REJECTION:
            return "rejection";
        case TS_STATUS_WAITING:
            return "waiting";
        case TS_STATUS_REVOCATION_WARNING:
            return "revocationWarning";
        case TS_STATUS_REVOCATION_NOTIFICATION:
            return "revocationNotification";
        default:
            return "unknown";
    }
}

struct FailureBit {
    int bit;
    const char* name;
    bool tsa_side;  ///< the TSA could not answer now (retryable) rather than refused the request
};

// RFC 3161 §2.4.2 PKIFailureInfo.
constexpr FailureBit kFailureBits[] = {
    {TS_INFO_BAD_ALG, "badAlg", false},
    {TS_INFO_BAD_REQUEST, "badRequest", false},
    {TS_INFO_BAD_DATA_FORMAT, "badDataFormat", false},
    {TS_INFO_TIME_NOT_AVAILABLE, "timeNotAvailable", true},
    {TS_INFO_UNACCEPTED_POLICY, "unacceptedPolicy", false},
    {TS_INFO_UNACCEPTED_EXTENSION, "unacceptedExtension", false},
    {TS_INFO_ADD_INFO_NOT_AVAILABLE, "addInfoNotAvailable", false},
    {TS_INFO_SYSTEM_FAILURE, "systemFailure", true},
};

// The TSA's free text, bounded and reduced to printable ASCII: it comes from the network.
std::string status_text(const TS_STATUS_INFO& status_info) {
    constexpr std::size_t kTextBytesMax = 200;
    std::string out;
    const STACK_OF(ASN1_UTF8STRING)* texts = TS_STATUS_INFO_get0_text(&status_info);
    for (int i = 0; texts != nullptr && i < sk_ASN1_UTF8STRING_num(texts); ++i) {
        const ASN1_UTF8STRING* text = sk_ASN1_UTF8STRING_value(texts, i);
        const unsigned char* data = ASN1_STRING_get0_data(text);
        for (int j = 0; j < ASN1_STRING_length(text) && out.size() < kTextBytesMax; ++j) {
            out += data[j] >= 0x20 && data[j] < 0x7f ? static_cast<char>(data[j]) : '?';
        }
        out += i + 1 < sk_ASN1_UTF8STRING_num(texts) ? " / " : "";
    }
    return out;
}

tl::unexpected<core::Error> refused(const TS_STATUS_INFO& status_info, long status) {
    std::string failures;
    bool tsa_side = status != TS_STATUS_REJECTION;
    const ASN1_BIT_STRING* failure_info = TS_STATUS_INFO_get0_failure_info(&status_info);
    for (const FailureBit& failure : kFailureBits) {
        if (failure_info != nullptr && ASN1_BIT_STRING_get_bit(failure_info, failure.bit) == 1) {
            failures += (failures.empty() ? "" : ",") + std::string(failure.name);
            tsa_side = tsa_side || failure.tsa_side;
        }
    }
    std::string message = "TSA did not grant the time-stamp: status " + std::to_string(status)
                          + " (" + status_name(status) + ")";
    message += ", failure info " + (failures.empty() ? std::string("none") : failures);
    const std::string text = status_text(status_info);
    message += text.empty() ? std::string() : ", text \"" + text + "\"";
    return core::fail(tsa_side ? Errc::kUnavailable : Errc::kInvalidInput, std::move(message));
}

}  // namespace

core::Result<detail::X509Ptr> detail::certificate_from_pem(std::string_view pem,
                                                           std::string_view what) {
    if (pem.size() > kPemBytesMax) {
        return core::fail(Errc::kInvalidInput, std::string(what) + " PEM longer than "
                                                   + std::to_string(kPemBytesMax) + " bytes");
    }
    static_assert(kPemBytesMax <= INT_MAX, "BIO_new_mem_buf takes an int length");
    const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) {
        return openssl_fail(Errc::kInternal, "OpenSSL BIO_new_mem_buf failed");
    }
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        return openssl_fail(Errc::kInvalidInput, std::string(what) + " is not a PEM certificate");
    }
    return cert;
}

core::Result<TimestampRequest> make_timestamp_request(ByteView sha256_digest,
                                                      std::optional<std::uint64_t> nonce,
                                                      bool cert_req) {
    if (sha256_digest.size() != kTimestampImprintBytes) {
        return core::fail(Errc::kInvalidInput, "time-stamp digest must be 32 bytes (SHA-256), got "
                                                   + std::to_string(sha256_digest.size()));
    }
    if (!nonce) {
        std::uint64_t random = 0;
        if (RAND_bytes(reinterpret_cast<unsigned char*>(&random), sizeof random) != 1) {
            return openssl_fail(Errc::kInternal, "OpenSSL RAND_bytes failed");
        }
        nonce = random;
    }
    const TsReqPtr request(TS_REQ_new());
    const MsgImprintPtr imprint(TS_MSG_IMPRINT_new());
    const X509AlgorPtr algorithm(X509_ALGOR_new());
    const AsnIntegerPtr nonce_integer(ASN1_INTEGER_new());
    static_assert(kTimestampImprintBytes <= INT_MAX, "ASN1_STRING_set takes an int length");
    // RFC 5754 §2: the SHA-2 AlgorithmIdentifier parameters are absent (V_ASN1_UNDEF).
    if (!request || !imprint || !algorithm || !nonce_integer
        || X509_ALGOR_set0(algorithm.get(), OBJ_nid2obj(NID_sha256), V_ASN1_UNDEF, nullptr) != 1
        || TS_MSG_IMPRINT_set_algo(imprint.get(), algorithm.get()) != 1
        || TS_MSG_IMPRINT_set_msg(imprint.get(), const_cast<std::uint8_t*>(sha256_digest.data()),
                                  static_cast<int>(sha256_digest.size()))
               != 1
        || TS_REQ_set_version(request.get(), 1) != 1
        || TS_REQ_set_msg_imprint(request.get(), imprint.get()) != 1
        || ASN1_INTEGER_set_uint64(nonce_integer.get(), *nonce) != 1
        || TS_REQ_set_nonce(request.get(), nonce_integer.get()) != 1
        || TS_REQ_set_cert_req(request.get(), cert_req ? 1 : 0) != 1) {
        return openssl_fail(Errc::kInternal, "OpenSSL cannot build the TimeStampReq");
    }
    TimestampRequest out;
    FACTEUR_TRY_ASSIGN(out.der, (to_der<TS_REQ, i2d_TS_REQ>(*request, "TimeStampReq")));
    FACTEUR_TRY_ASSIGN(out.nonce_hex, integer_hex(*nonce_integer));
    return out;
}

core::Result<std::string> timestamp_token_from_response(ByteView response_der) {
    FACTEUR_TRY_ASSIGN(const TsRespPtr response, (parse_der<TS_RESP, d2i_TS_RESP, TS_RESP_free>(
                                                     response_der, "TimeStampResp")));
    const TS_STATUS_INFO* status_info = TS_RESP_get_status_info(response.get());
    const long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(status_info));
    if (status != TS_STATUS_GRANTED && status != TS_STATUS_GRANTED_WITH_MODS) {
        return refused(*status_info, status);
    }
    const PKCS7* token = TS_RESP_get_token(response.get());
    if (token == nullptr) {
        return core::fail(Errc::kInvalidInput,
                          "TimeStampResp has status granted but no TimeStampToken");
    }
    return to_der<PKCS7, i2d_PKCS7>(*token, "TimeStampToken");
}

core::Result<TimestampInfo> read_timestamp_token(ByteView token_der) {
    FACTEUR_TRY_ASSIGN(const Pkcs7Ptr token,
                       (parse_der<PKCS7, d2i_PKCS7, PKCS7_free>(token_der, "TimeStampToken")));
    return token_info(*token);
}

core::Result<TimestampInfo> verify_timestamp_token(ByteView token_der, ByteView sha256_digest,
                                                   std::string_view tsa_cert_pem) {
    if (sha256_digest.size() != kTimestampImprintBytes) {
        return core::fail(Errc::kInvalidInput, "time-stamp digest must be 32 bytes (SHA-256), got "
                                                   + std::to_string(sha256_digest.size()));
    }
    FACTEUR_TRY_ASSIGN(const Pkcs7Ptr token,
                       (parse_der<PKCS7, d2i_PKCS7, PKCS7_free>(token_der, "TimeStampToken")));
    FACTEUR_TRY_ASSIGN(TimestampInfo info, token_info(*token));
    FACTEUR_TRY_ASSIGN(const X509Ptr anchor,
                       detail::certificate_from_pem(tsa_cert_pem, "TSA certificate"));
    FACTEUR_TRY(check_signature(*token, *anchor, info.gen_time_unix_ms));
    if (!std::equal(info.imprint.begin(), info.imprint.end(), sha256_digest.begin())) {
        return core::fail(Errc::kDataLoss,
                          "time-stamp token is valid but stamps another digest (imprint mismatch)");
    }
    return info;
}

}  // namespace facteur::crypto
