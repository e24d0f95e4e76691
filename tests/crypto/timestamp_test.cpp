#include "facteur/crypto/timestamp.h"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/core/clock.h"
#include "facteur/crypto/encoding.h"
#include "facteur/crypto/sha256.h"
#include "facteur/testing/testing.h"

#include <sys/stat.h>
#include <unistd.h>

namespace facteur::crypto {
namespace {

// 2025-01-01T00:00:00.123Z: in the past, so that the certificate the TSA makes at this time is
// valid now too, for the openssl command-line tool (which checks at the current time).
constexpr std::int64_t kClockUnixMs = 1735689600123;

std::array<std::uint8_t, 32> digest_of(std::string_view text) {
    return sha256(text).value();
}

std::string stamp(const LocalTsa& tsa, ByteView digest, bool cert_req = true) {
    const auto request = make_timestamp_request(digest, std::nullopt, cert_req);
    EXPECT_TRUE(request) << request.error().message;
    const auto response = tsa.respond(as_bytes(request->der));
    EXPECT_TRUE(response) << response.error().message;
    const auto token = timestamp_token_from_response(as_bytes(*response));
    EXPECT_TRUE(token) << token.error().message;
    return token ? *token : std::string();
}

// The openssl command-line tool, which the cross-checks need: its absence is a failure of the
// test machine (deploy/install-deps.sh installs it), never a reason to skip.
std::string openssl_tool() {
    const char* path_env = std::getenv("PATH");
    std::string_view dirs = path_env != nullptr ? path_env : "/usr/bin:/bin";
    while (!dirs.empty()) {
        const std::size_t colon = dirs.find(':');
        const std::filesystem::path candidate =
            std::filesystem::path(dirs.substr(0, colon)) / "openssl";
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate.string();
        }
        dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
    }
    ADD_FAILURE() << "the openssl command-line tool is not in PATH: install Debian package "
                     "'openssl' (deploy/install-deps.sh lists it); the RFC 3161 cross-checks "
                     "need it";
    return {};
}

class LocalTsaTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto tsa = LocalTsa::open_or_create(dir_.path() / "tsa", clock_);
        ASSERT_TRUE(tsa) << tsa.error().message;
        tsa_.emplace(std::move(*tsa));
    }

    testing::TempDir dir_;
    core::ManualClock clock_{kClockUnixMs};
    std::optional<LocalTsa> tsa_;
    std::array<std::uint8_t, 32> digest_ = digest_of("facteur checkpoint 42");
};

TEST_F(LocalTsaTest, RoundTripStampsTheClockTimeAndVerifies) {
    const auto request = make_timestamp_request(digest_, std::uint64_t{0x1234abcd});
    ASSERT_TRUE(request) << request.error().message;
    EXPECT_EQ(request->nonce_hex, "1234abcd");
    const auto response = tsa_->respond(as_bytes(request->der));
    ASSERT_TRUE(response) << response.error().message;
    const auto token = timestamp_token_from_response(as_bytes(*response));
    ASSERT_TRUE(token) << token.error().message;

    const auto info = verify_timestamp_token(as_bytes(*token), digest_, tsa_->certificate_pem());
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_EQ(info->gen_time_unix_ms, kClockUnixMs);
    EXPECT_EQ(info->policy_oid, kLocalTsaPolicyOid);
    EXPECT_EQ(info->imprint, digest_);
    EXPECT_EQ(info->nonce_hex, "1234abcd");
    EXPECT_NE(info->tsa_subject.find("NOT QUALIFIED"), std::string::npos) << info->tsa_subject;
    EXPECT_NE(info->tsa_subject.find("O=facteur"), std::string::npos) << info->tsa_subject;
    EXPECT_FALSE(info->serial_hex.empty());

    const auto read = read_timestamp_token(as_bytes(*token));
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->gen_time_unix_ms, info->gen_time_unix_ms);
    EXPECT_EQ(read->serial_hex, info->serial_hex);
    EXPECT_EQ(read->tsa_subject, info->tsa_subject);
}

TEST_F(LocalTsaTest, GenTimeFollowsTheClockAndSerialsDiffer) {
    const std::string first = stamp(*tsa_, digest_);
    clock_.advance_ms(86'400'000 + 7);
    const std::string second = stamp(*tsa_, digest_);
    const auto a = read_timestamp_token(as_bytes(first));
    const auto b = read_timestamp_token(as_bytes(second));
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->gen_time_unix_ms, kClockUnixMs);
    EXPECT_EQ(b->gen_time_unix_ms, kClockUnixMs + 86'400'000 + 7);
    EXPECT_NE(a->serial_hex, b->serial_hex);
    EXPECT_NE(a->nonce_hex, b->nonce_hex);  // random 64-bit nonces
}

TEST_F(LocalTsaTest, TokenWithoutCertificateVerifiesAgainstTheGivenCertificate) {
    const std::string token = stamp(*tsa_, digest_, /*cert_req=*/false);
    const auto info = verify_timestamp_token(as_bytes(token), digest_, tsa_->certificate_pem());
    ASSERT_TRUE(info) << info.error().message;
    // TSTInfo.tsa still names the TSA when the certificate is left out.
    EXPECT_NE(info->tsa_subject.find("NOT QUALIFIED"), std::string::npos);
}

TEST_F(LocalTsaTest, WrongDigestIsRefused) {
    const std::string token = stamp(*tsa_, digest_);
    const auto other = digest_of("another checkpoint");
    const auto info = verify_timestamp_token(as_bytes(token), other, tsa_->certificate_pem());
    ASSERT_FALSE(info);
    EXPECT_EQ(info.error().code, core::Errc::kDataLoss);
    EXPECT_NE(info.error().message.find("imprint mismatch"), std::string::npos)
        << info.error().message;

    const std::array<std::uint8_t, 20> sha1_sized{};
    const auto wrong_length =
        verify_timestamp_token(as_bytes(token), sha1_sized, tsa_->certificate_pem());
    ASSERT_FALSE(wrong_length);
    EXPECT_EQ(wrong_length.error().code, core::Errc::kInvalidInput);
}

TEST_F(LocalTsaTest, OtherTsaCertificateIsRefused) {
    auto other = LocalTsa::open_or_create(dir_.path() / "other", clock_);
    ASSERT_TRUE(other) << other.error().message;
    ASSERT_NE(other->certificate_pem(), tsa_->certificate_pem());
    for (const bool cert_req : {true, false}) {
        SCOPED_TRACE(cert_req ? "certificate in the token" : "no certificate in the token");
        const std::string token = stamp(*tsa_, digest_, cert_req);
        const auto info =
            verify_timestamp_token(as_bytes(token), digest_, other->certificate_pem());
        ASSERT_FALSE(info);
        EXPECT_EQ(info.error().code, core::Errc::kDataLoss);
        EXPECT_NE(info.error().message.find("does not verify"), std::string::npos)
            << info.error().message;
    }
}

TEST_F(LocalTsaTest, NotACertificateIsInvalidInput) {
    const std::string token = stamp(*tsa_, digest_);
    const auto info = verify_timestamp_token(as_bytes(token), digest_, "not a certificate");
    ASSERT_FALSE(info);
    EXPECT_EQ(info.error().code, core::Errc::kInvalidInput);
}

TEST_F(LocalTsaTest, EveryFlippedByteOfTheTokenIsRefused) {
    const std::string token = stamp(*tsa_, digest_);
    ASSERT_GT(token.size(), 500u);  // certificate included
    // Every position, with two different flips: a changed byte anywhere (structure, TSTInfo,
    // signed attributes, signature, the carried certificate) must make verification fail.
    for (std::size_t i = 0; i < token.size(); ++i) {
        for (const std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
            std::string bad = token;
            bad[i] = static_cast<char>(static_cast<std::uint8_t>(bad[i]) ^ mask);
            const auto info =
                verify_timestamp_token(as_bytes(bad), digest_, tsa_->certificate_pem());
            EXPECT_FALSE(info) << "byte " << i << " of " << token.size() << " flipped with mask "
                               << int{mask} << " still verifies";
        }
    }
}

TEST_F(LocalTsaTest, TruncatedOversizedAndTrailingGarbageDerIsRefused) {
    const std::string token = stamp(*tsa_, digest_);
    for (const std::size_t length :
         {std::size_t{0}, std::size_t{1}, token.size() / 2, token.size() - 1}) {
        SCOPED_TRACE(length);
        const auto read = read_timestamp_token(as_bytes(token.substr(0, length)));
        ASSERT_FALSE(read);
        EXPECT_EQ(read.error().code, core::Errc::kInvalidInput);
    }
    const auto trailing = verify_timestamp_token(as_bytes(token + std::string(1, '\0')), digest_,
                                                 tsa_->certificate_pem());
    ASSERT_FALSE(trailing);
    EXPECT_EQ(trailing.error().code, core::Errc::kInvalidInput);
    EXPECT_NE(trailing.error().message.find("trailing"), std::string::npos);

    // At the limit the bytes are parsed (and are not DER); one byte over, they are not read.
    const std::string at_limit = token + std::string(kTimestampDerBytesMax - token.size(), 'x');
    const auto limit = read_timestamp_token(as_bytes(at_limit));
    ASSERT_FALSE(limit);
    EXPECT_EQ(limit.error().code, core::Errc::kInvalidInput);
    const auto over = read_timestamp_token(as_bytes(at_limit + "x"));
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, core::Errc::kResourceExhausted);
    const auto over_response = timestamp_token_from_response(as_bytes(at_limit + "x"));
    ASSERT_FALSE(over_response);
    EXPECT_EQ(over_response.error().code, core::Errc::kResourceExhausted);

    const auto request = make_timestamp_request(digest_);
    ASSERT_TRUE(request);
    const std::string response = tsa_->respond(as_bytes(request->der)).value();
    for (const std::string& bad : {response.substr(0, response.size() - 1), response + "\x01"}) {
        const auto from = timestamp_token_from_response(as_bytes(bad));
        ASSERT_FALSE(from);
        EXPECT_EQ(from.error().code, core::Errc::kInvalidInput) << from.error().message;
    }
}

TEST_F(LocalTsaTest, MalformedRequestsGetARejectionResponse) {
    const auto request = make_timestamp_request(digest_);
    ASSERT_TRUE(request);
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"empty", ""},
        {"garbage", "this is not DER"},
        {"truncated", request->der.substr(0, request->der.size() - 3)},
        {"trailing byte", request->der + std::string(1, '\0')},
        {"oversized", request->der + std::string(kTimestampDerBytesMax, '\x00')},
    };
    for (const auto& [name, bytes] : cases) {
        SCOPED_TRACE(name);
        const auto response = tsa_->respond(as_bytes(bytes));
        ASSERT_TRUE(response) << response.error().message;
        const auto token = timestamp_token_from_response(as_bytes(*response));
        ASSERT_FALSE(token);
        EXPECT_EQ(token.error().code, core::Errc::kInvalidInput);
        EXPECT_NE(token.error().message.find("rejection"), std::string::npos)
            << token.error().message;
        EXPECT_NE(token.error().message.find("badDataFormat"), std::string::npos)
            << token.error().message;
    }
}

TEST_F(LocalTsaTest, MakeRequestRefusesADigestThatIsNotSha256) {
    const std::array<std::uint8_t, 20> sha1_sized{};
    const auto request = make_timestamp_request(sha1_sized);
    ASSERT_FALSE(request);
    EXPECT_EQ(request.error().code, core::Errc::kInvalidInput);
}

TEST_F(LocalTsaTest, ReopeningTheDirectoryLoadsTheSameKeyAndCertificate) {
    struct stat key_stat {};

    ASSERT_EQ(::stat((dir_.path() / "tsa" / "tsa-key.pem").c_str(), &key_stat), 0);
    EXPECT_EQ(key_stat.st_mode & 0777, 0600u);
    ASSERT_TRUE(std::filesystem::exists(dir_.path() / "tsa" / "tsa-cert.pem"));
    EXPECT_EQ(testing::read(dir_.path() / "tsa" / "tsa-cert.pem"), tsa_->certificate_pem());

    clock_.advance_ms(3'600'000);
    const auto reopened = LocalTsa::open_or_create(dir_.path() / "tsa", clock_);
    ASSERT_TRUE(reopened) << reopened.error().message;
    EXPECT_EQ(reopened->certificate_pem(), tsa_->certificate_pem());
    // Same key: the reopened TSA's tokens verify against the first one's certificate.
    const std::string token = stamp(*reopened, digest_);
    EXPECT_TRUE(verify_timestamp_token(as_bytes(token), digest_, tsa_->certificate_pem()));
}

TEST_F(LocalTsaTest, KeyWithoutCertificateGetsANewCertificate) {
    std::filesystem::remove(dir_.path() / "tsa" / "tsa-cert.pem");
    const auto reopened = LocalTsa::open_or_create(dir_.path() / "tsa", clock_);
    ASSERT_TRUE(reopened) << reopened.error().message;
    EXPECT_NE(reopened->certificate_pem(), tsa_->certificate_pem());  // new serial
    const std::string token = stamp(*reopened, digest_);
    EXPECT_TRUE(verify_timestamp_token(as_bytes(token), digest_, reopened->certificate_pem()));
}

TEST_F(LocalTsaTest, CertificateWithoutItsKeyOrWithAnotherKeyIsRefused) {
    auto other = LocalTsa::open_or_create(dir_.path() / "other", clock_);
    ASSERT_TRUE(other);
    // The other TSA's certificate beside our key: does not match.
    std::filesystem::remove(dir_.path() / "tsa" / "tsa-cert.pem");
    dir_.write("tsa/tsa-cert.pem", other->certificate_pem());
    const auto mismatched = LocalTsa::open_or_create(dir_.path() / "tsa", clock_);
    ASSERT_FALSE(mismatched);
    EXPECT_EQ(mismatched.error().code, core::Errc::kInvalidInput);
    EXPECT_NE(mismatched.error().message.find("does not match"), std::string::npos)
        << mismatched.error().message;
    // A certificate whose key is gone.
    std::filesystem::remove(dir_.path() / "other" / "tsa-key.pem");
    const auto keyless = LocalTsa::open_or_create(dir_.path() / "other", clock_);
    ASSERT_FALSE(keyless);
    EXPECT_EQ(keyless.error().code, core::Errc::kDataLoss);
}

TEST_F(LocalTsaTest, RespondIsThreadSafe) {
    constexpr int kThreads = 4;
    constexpr int kRequestsPerThread = 10;
    std::vector<std::vector<std::string>> tokens(kThreads);
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kRequestsPerThread; ++i) {
                tokens[static_cast<std::size_t>(t)].push_back(stamp(*tsa_, digest_));
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    for (const auto& per_thread : tokens) {
        ASSERT_EQ(per_thread.size(), static_cast<std::size_t>(kRequestsPerThread));
        for (const std::string& token : per_thread) {
            const auto info =
                verify_timestamp_token(as_bytes(token), digest_, tsa_->certificate_pem());
            EXPECT_TRUE(info) << (info ? "" : info.error().message);
        }
    }
}

// --- Cross-checks with the openssl command-line tool -------------------------------------------

TEST_F(LocalTsaTest, CertificateHasCriticalTimeStampingEkuPerOpenssl) {
    const std::string openssl = openssl_tool();
    ASSERT_FALSE(openssl.empty());
    const auto result =
        testing::run({openssl, "x509", "-in", (dir_.path() / "tsa" / "tsa-cert.pem").string(),
                      "-noout", "-ext", "extendedKeyUsage,keyUsage", "-subject", "-dates"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("X509v3 Extended Key Usage: critical\n    Time Stamping"),
              std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("X509v3 Key Usage: critical\n    Digital Signature\n"),
              std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("NOT QUALIFIED"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("notBefore=Jan  1 00:00:00 2025 GMT"), std::string::npos)
        << result.out;
    EXPECT_NE(result.out.find("notAfter=Jan  1 00:00:00 2055 GMT"), std::string::npos)
        << result.out;
}

TEST_F(LocalTsaTest, OpensslVerifiesOurResponse) {
    const std::string openssl = openssl_tool();
    ASSERT_FALSE(openssl.empty());
    const auto request = make_timestamp_request(digest_);
    ASSERT_TRUE(request);
    const auto response = tsa_->respond(as_bytes(request->der));
    ASSERT_TRUE(response);
    const auto response_path = dir_.write("resp.tsr", *response);
    const auto cert_path = dir_.path() / "tsa" / "tsa-cert.pem";
    const auto verified =
        testing::run({openssl, "ts", "-verify", "-digest", hex_encode(digest_), "-in",
                      response_path.string(), "-CAfile", cert_path.string()});
    EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
    EXPECT_NE(verified.out.find("Verification: OK"), std::string::npos)
        << verified.out << verified.err;

    // And the tool refuses it for another digest (the cross-check can fail).
    const auto refused =
        testing::run({openssl, "ts", "-verify", "-digest", hex_encode(digest_of("other")), "-in",
                      response_path.string(), "-CAfile", cert_path.string()});
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_EQ(refused.out.find("Verification: OK"), std::string::npos) << refused.out;

    // The token alone (ContentInfo) verifies too, and the tool reads our genTime and policy.
    const auto token = timestamp_token_from_response(as_bytes(*response));
    ASSERT_TRUE(token);
    const auto token_path = dir_.write("token.der", *token);
    const auto token_verified =
        testing::run({openssl, "ts", "-verify", "-digest", hex_encode(digest_), "-in",
                      token_path.string(), "-token_in", "-CAfile", cert_path.string()});
    EXPECT_NE(token_verified.out.find("Verification: OK"), std::string::npos)
        << token_verified.out << token_verified.err;
    const auto text =
        testing::run({openssl, "ts", "-reply", "-in", response_path.string(), "-text"});
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("Time stamp: Jan  1 00:00:00.123 2025 GMT"), std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("Policy OID: " + std::string(kLocalTsaPolicyOid)), std::string::npos)
        << text.out;
    EXPECT_NE(text.out.find("Accuracy: 0x01 seconds"), std::string::npos) << text.out;
}

TEST_F(LocalTsaTest, AnswersAnOpensslRequestThatOpensslVerifies) {
    const std::string openssl = openssl_tool();
    ASSERT_FALSE(openssl.empty());
    const auto request_path = dir_.path() / "req.tsq";
    const auto query =
        testing::run({openssl, "ts", "-query", "-digest", hex_encode(digest_), "-sha256", "-cert",
                      "-no_nonce", "-out", request_path.string()});
    ASSERT_EQ(query.exit_code, 0) << query.err;
    const auto response = tsa_->respond(as_bytes(testing::read(request_path)));
    ASSERT_TRUE(response) << response.error().message;
    const auto response_path = dir_.write("resp.tsr", *response);
    const auto verified = testing::run(
        {openssl, "ts", "-verify", "-queryfile", request_path.string(), "-in",
         response_path.string(), "-CAfile", (dir_.path() / "tsa" / "tsa-cert.pem").string()});
    EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
    EXPECT_NE(verified.out.find("Verification: OK"), std::string::npos)
        << verified.out << verified.err;

    const auto token = timestamp_token_from_response(as_bytes(*response));
    ASSERT_TRUE(token) << token.error().message;
    const auto info = verify_timestamp_token(as_bytes(*token), digest_, tsa_->certificate_pem());
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_FALSE(info->nonce_hex.has_value());  // -no_nonce
}

TEST_F(LocalTsaTest, OpensslRequestForSha1IsRejectedWithBadAlg) {
    const std::string openssl = openssl_tool();
    ASSERT_FALSE(openssl.empty());
    const auto request_path = dir_.path() / "req-sha1.tsq";
    const auto query = testing::run({openssl, "ts", "-query", "-digest", std::string(40, 'a'),
                                     "-sha1", "-out", request_path.string()});
    ASSERT_EQ(query.exit_code, 0) << query.err;
    const auto response = tsa_->respond(as_bytes(testing::read(request_path)));
    ASSERT_TRUE(response) << response.error().message;
    const auto token = timestamp_token_from_response(as_bytes(*response));
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().code, core::Errc::kInvalidInput);
    EXPECT_NE(token.error().message.find("badAlg"), std::string::npos) << token.error().message;
}

}  // namespace
}  // namespace facteur::crypto
