#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "facteur/core/clock.h"
#include "facteur/core/result.h"
#include "facteur/crypto/bytes.h"

// RFC 3161 time-stamping (Time-Stamp Protocol) on OpenSSL's TS API. No OpenSSL type appears
// here: requests, responses and tokens cross this header as DER bytes.

namespace facteur::crypto {

/// Largest DER TimeStampReq, TimeStampResp or TimeStampToken accepted or produced: 64 KiB. A
/// token carrying one P-256 certificate is ~1.5 KiB; a commercial TSA's with its chain ~6 KiB.
inline constexpr std::size_t kTimestampDerBytesMax = std::size_t{64} * 1024;

/// Length of the SHA-256 message imprint, the only hash algorithm facteur requests or accepts.
inline constexpr std::size_t kTimestampImprintBytes = 32;

/// The policy OID of facteur's local test TSA (TSTInfo.policy). An arbitrary identifier under
/// the ITU-T X.667 UUID arc 2.25 (usable without registration; the UUID is
/// ea54d692-6b3f-4853-8bc8-2ba0a7f687bd, drawn at random for facteur). It means "facteur local
/// test TSA, NOT QUALIFIED": no eIDAS or other trust service policy stands behind it.
inline constexpr std::string_view kLocalTsaPolicyOid =
    "2.25.311479855985945548249409944425980135357";

/// The subject common name of the local test TSA's certificate: shows up in every output that
/// prints the TSA, so that its tokens are never mistaken for qualified ones.
inline constexpr std::string_view kLocalTsaCommonName =
    "facteur local test TSA - NON QUALIFIE / NOT QUALIFIED";

/// A DER TimeStampReq and the nonce it carries.
struct TimestampRequest {
    std::string der;        ///< DER TimeStampReq (RFC 3161 §2.4.1)
    std::string nonce_hex;  ///< the nonce, lower-case hex without leading zeros ("0" for 0)
};

/// Builds a DER TimeStampReq (version 1) for a SHA-256 digest: messageImprint =
/// (id-sha256, digest), no reqPolicy, no extensions, certReq = `cert_req` (ask the TSA to put its
/// certificate in the token). `nonce`: the nonce to send; std::nullopt draws a random 64-bit one
/// from OpenSSL's CSPRNG. Errors: kInvalidInput (digest not 32 bytes), kInternal (OpenSSL).
[[nodiscard]] core::Result<TimestampRequest> make_timestamp_request(
    ByteView sha256_digest, std::optional<std::uint64_t> nonce = std::nullopt,
    bool cert_req = true);

/// The TimeStampToken (DER CMS ContentInfo) of a DER TimeStampResp whose PKIStatus is granted
/// (0) or grantedWithMods (1). Nothing is verified beyond the structure: see
/// verify_timestamp_token(). Errors: kInvalidInput (not DER TimeStampResp, trailing bytes, or a
/// granted response without a token), kResourceExhausted (longer than kTimestampDerBytesMax),
/// kInvalidInput (status rejection for a bad request: badAlg, badRequest, badDataFormat,
/// unacceptedPolicy, unacceptedExtension), kUnavailable (the TSA could not answer: waiting,
/// rejection for timeNotAvailable or systemFailure, revocationWarning,
/// revocationNotification). Error messages carry the status, failure info and status text.
[[nodiscard]] core::Result<std::string> timestamp_token_from_response(ByteView response_der);

/// What a TimeStampToken says (its TSTInfo), for display and checks.
struct TimestampInfo {
    std::int64_t gen_time_unix_ms = 0;  ///< TSTInfo.genTime (fraction beyond ms truncated)
    std::string serial_hex;  ///< TSTInfo.serialNumber, lower-case hex without leading zeros
    std::string policy_oid;  ///< TSTInfo.policy, dotted decimal
    /// The TSA's name, RFC 2253 form: TSTInfo.tsa when it is a directory name, else the subject of
    /// the signer's certificate when the token carries it, else empty.
    std::string tsa_subject;
    std::array<std::uint8_t, kTimestampImprintBytes> imprint{};  ///< the SHA-256 imprint
    std::optional<std::string> nonce_hex;  ///< TSTInfo.nonce, same form as serial_hex
};

/// Parses a DER TimeStampToken without verifying anything (for display). Errors: kInvalidInput
/// (not a DER CMS SignedData holding a TSTInfo, or trailing bytes), kResourceExhausted (longer
/// than kTimestampDerBytesMax), kUnsupported (imprint hash algorithm other than SHA-256).
[[nodiscard]] core::Result<TimestampInfo> read_timestamp_token(ByteView token_der);

/// Verifies a DER TimeStampToken against a trusted TSA certificate and returns what it says.
/// Checked: the CMS signature over the TSTInfo; that the signer certificate is
/// `tsa_cert_pem` or chains up to it (it is the only trust anchor; chains are built from the
/// certificates in the token), its validity at the token's genTime, its extended key usage
/// (timeStamping only, critical, as RFC 3161 §2.3 requires); the ESS signing-certificate
/// (v1 or v2) attribute naming that certificate; TSTInfo version 1 and, if present, TSTInfo.tsa
/// naming the signer; that the imprint is SHA-256 and equals `sha256_digest`.
/// Errors: kInvalidInput (token malformed or trailing bytes, digest not 32 bytes, or
/// `tsa_cert_pem` not a PEM certificate), kResourceExhausted (token longer than
/// kTimestampDerBytesMax), kUnsupported (imprint hash algorithm other than SHA-256), kDataLoss
/// (the token does not verify: bad signature, untrusted or unfit signer, ESS mismatch, or
/// imprint not `sha256_digest`; the message says which).
[[nodiscard]] core::Result<TimestampInfo> verify_timestamp_token(ByteView token_der,
                                                                 ByteView sha256_digest,
                                                                 std::string_view tsa_cert_pem);

/// facteur's local, NON-QUALIFIED test time-stamping authority, on OpenSSL's TS responder. For
/// tests and the default embedded set-up only: its tokens prove nothing to a third party (a
/// self-signed certificate, a key on local disk, the local clock); kLocalTsaCommonName and
/// kLocalTsaPolicyOid say so in every token.
///
/// Tokens: SHA-256 imprints only; signed with ECDSA P-256 / SHA-256; genTime from the injected
/// clock in milliseconds, accuracy 1 s; serial number 128 random bits (unique without state on
/// disk); policy kLocalTsaPolicyOid; the certificate included when the request asks for it and
/// always named by an ESS signing-certificate-v2 attribute (SHA-256); TSTInfo.tsa = the
/// certificate's subject. OpenSSL also puts a CMS signingTime attribute in the SignerInfo, taken
/// from the system clock (it offers no hook for it); RFC 3161 verifiers, ours included, use
/// TSTInfo.genTime only. Movable, not copyable; respond() may be called from any thread.
class LocalTsa {
public:
    /// Opens the TSA whose key and certificate are in `dir`, creating them on first use:
    /// `dir/tsa-key.pem` (PKCS#8 PEM, ECDSA P-256, mode 0600) and `dir/tsa-cert.pem` (self-signed,
    /// CN kLocalTsaCommonName, O facteur, critical extendedKeyUsage timeStamping, critical
    /// keyUsage digitalSignature, valid 30 years from `clock`'s now, random 128-bit serial). Each
    /// file is written to a temporary name, synced and then linked into place, so a crash never
    /// leaves half a file. A key without a certificate (a crash between the two) gets a new
    /// certificate. Existing files are checked: the certificate must match the key and be fit for
    /// time-stamping. `dir` is created if missing. `clock` must outlive the LocalTsa.
    /// Errors: kUnavailable (I/O), kInvalidInput (a file is not PEM, the key does not match the
    /// certificate or the certificate is not a time-stamping one), kDataLoss (a certificate
    /// without its key), kResourceExhausted (a file larger than kPemBytesMax), kInternal.
    [[nodiscard]] static core::Result<LocalTsa> open_or_create(const std::filesystem::path& dir,
                                                               const core::Clock& clock);

    LocalTsa(LocalTsa&&) noexcept;
    LocalTsa& operator=(LocalTsa&&) noexcept;
    LocalTsa(const LocalTsa&) = delete;
    LocalTsa& operator=(const LocalTsa&) = delete;
    ~LocalTsa();

    /// Answers a DER TimeStampReq with a DER TimeStampResp. A request that is not DER, is longer
    /// than kTimestampDerBytesMax, has trailing bytes, asks for another hash algorithm, another
    /// policy or an extension gets a response with status rejection and the matching failure
    /// info (badDataFormat, badAlg, unacceptedPolicy, unacceptedExtension), not an error.
    /// Thread-safe (requests are answered one at a time). Errors: kInternal (OpenSSL failed to
    /// build any response).
    [[nodiscard]] core::Result<std::string> respond(ByteView request_der) const;

    /// The TSA's certificate, PEM: the trust anchor to give verify_timestamp_token().
    [[nodiscard]] const std::string& certificate_pem() const noexcept;

private:
    struct State;
    explicit LocalTsa(std::unique_ptr<State> state) noexcept;

    std::unique_ptr<State> state_;
};

}  // namespace facteur::crypto
