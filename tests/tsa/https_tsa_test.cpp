// RFC 3161 over https: the client against the local TSA served over TLS on 127.0.0.1, with a
// certificate authority made for the test, a server certificate for another name, an untrusted
// one, and an Authorization header the server requires.

#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "facteur/core/clock.h"
#include "facteur/crypto/sha256.h"
#include "facteur/crypto/timestamp.h"
#include "facteur/testing/test_pki.h"
#include "facteur/testing/testing.h"
#include "facteur/tsa/http_client.h"
#include "facteur/tsa/http_server.h"

namespace facteur::tsa {
namespace {

constexpr std::int64_t kClockUnixMs = 1735689600123;  // 2025-01-01T00:00:00.123Z

class HttpsTsaTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto tsa = crypto::LocalTsa::open_or_create(dir_.path() / "tsa", clock_);
        ASSERT_TRUE(tsa) << tsa.error().message;
        tsa_.emplace(std::move(*tsa));
    }

    /// Starts the TSA over TLS with a certificate for `subject_alt_name`, from the authority
    /// the client trusts or not.
    void serve(const char* subject_alt_name, bool trusted_issuer = true,
               std::string required_authorization = {}) {
        const testing::TlsTestPki pki =
            testing::make_tls_test_pki(subject_alt_name, trusted_issuer);
        ca_file_ = dir_.write("ca.pem", pki.ca_pem).string();
        TsaHttpServerConfig config;
        config.tls_certificate_pem = pki.server_cert_pem;
        config.tls_private_key_pem = pki.server_key_pem;
        config.required_authorization = std::move(required_authorization);
        server_.emplace(*tsa_, config);
        const auto started = server_->start("127.0.0.1", 0);
        ASSERT_TRUE(started) << started.error().message;
    }

    [[nodiscard]] HttpTsaClientConfig client_config() const {
        HttpTsaClientConfig config;
        config.url = "https://127.0.0.1:" + std::to_string(server_->port()) + "/tsa";
        config.tls_ca_file = ca_file_;
        config.tsa_cert_pem = tsa_->certificate_pem();
        return config;
    }

    [[nodiscard]] static core::Result<std::string> stamp(const HttpTsaClientConfig& config,
                                                         const crypto::Sha256Digest& digest) {
        FACTEUR_TRY_ASSIGN(const HttpTsaClient client, HttpTsaClient::create(config));
        return client.stamp(digest);
    }

    testing::TempDir dir_;
    core::ManualClock clock_{kClockUnixMs};
    std::optional<crypto::LocalTsa> tsa_;
    std::string ca_file_;
    std::optional<TsaHttpServer> server_;
    crypto::Sha256Digest digest_ = crypto::sha256(std::string_view("checkpoint 9")).value();
};

TEST_F(HttpsTsaTest, TokenOverTlsVerifiesWhenTheServerCertificateIsTrustedAndNamesTheHost) {
    serve("IP:127.0.0.1");
    const auto token = stamp(client_config(), digest_);
    ASSERT_TRUE(token) << token.error().message;
    const auto info =
        crypto::verify_timestamp_token(crypto::as_bytes(*token), digest_, tsa_->certificate_pem());
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_EQ(info->gen_time_unix_ms, kClockUnixMs);
}

TEST_F(HttpsTsaTest, ServerCertificateFromAnUntrustedAuthorityIsRefused) {
    serve("IP:127.0.0.1", /*trusted_issuer=*/false);
    const auto token = stamp(client_config(), digest_);
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().code, core::Errc::kUnavailable);
    EXPECT_NE(token.error().message.find("TLS handshake"), std::string::npos)
        << token.error().message;
    // Nor with the system's authorities.
    HttpTsaClientConfig system = client_config();
    system.tls_ca_file.clear();
    EXPECT_EQ(stamp(system, digest_).error().code, core::Errc::kUnavailable);
}

TEST_F(HttpsTsaTest, ServerCertificateForAnotherNameIsRefused) {
    serve("DNS:tsa.example");
    const auto token = stamp(client_config(), digest_);
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().code, core::Errc::kUnavailable);
    EXPECT_NE(token.error().message.find("127.0.0.1"), std::string::npos) << token.error().message;
}

TEST_F(HttpsTsaTest, AuthorizationIsSentOverTls) {
    serve("IP:127.0.0.1", true, "Basic ZmFjdGV1cjpzZWNyZXQ=");
    const auto refused = stamp(client_config(), digest_);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::Errc::kUnavailable);
    EXPECT_NE(refused.error().message.find("401"), std::string::npos) << refused.error().message;
    HttpTsaClientConfig config = client_config();
    config.authorization = "Basic ZmFjdGV1cjpzZWNyZXQ=";
    const auto token = stamp(config, digest_);
    ASSERT_TRUE(token) << token.error().message;
}

TEST_F(HttpsTsaTest, PlainHttpAgainstTheTlsServerFailsCleanly) {
    serve("IP:127.0.0.1");
    HttpTsaClientConfig config = client_config();
    config.url = "http://127.0.0.1:" + std::to_string(server_->port()) + "/tsa";
    config.io_timeout_ms = 3000;
    const auto token = stamp(config, digest_);
    ASSERT_FALSE(token);
    // The server reads no TLS ClientHello and closes.
    EXPECT_EQ(token.error().code, core::Errc::kUnavailable) << token.error().message;
}

TEST(HttpsTsaServerTest, ACertificateWithoutItsKeyIsRefused) {
    testing::TempDir dir;
    core::ManualClock clock{kClockUnixMs};
    auto tsa = crypto::LocalTsa::open_or_create(dir.path() / "tsa", clock);
    ASSERT_TRUE(tsa) << tsa.error().message;
    TsaHttpServerConfig config;
    config.tls_certificate_pem = "-----BEGIN CERTIFICATE-----\n";
    TsaHttpServer half(*tsa, config);
    EXPECT_EQ(half.start("127.0.0.1", 0).error().code, core::Errc::kInvalidInput);
    config.tls_private_key_pem = "not a key";
    TsaHttpServer garbage(*tsa, config);
    EXPECT_EQ(garbage.start("127.0.0.1", 0).error().code, core::Errc::kInvalidInput);
}

}  // namespace
}  // namespace facteur::tsa
