// RFC 3161 over https: the client against the local TSA served over TLS on 127.0.0.1, with a
// certificate authority made for the test (OpenSSL), a server certificate for another name, an
// untrusted one, and an Authorization header the server requires.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "facteur/core/clock.h"
#include "facteur/crypto/sha256.h"
#include "facteur/crypto/timestamp.h"
#include "facteur/testing/testing.h"
#include "facteur/tsa/http_client.h"
#include "facteur/tsa/http_server.h"

namespace facteur::tsa {
namespace {

constexpr std::int64_t kClockUnixMs = 1735689600123;  // 2025-01-01T00:00:00.123Z

struct KeyFree {
    void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};

struct X509Free {
    void operator()(X509* cert) const noexcept { X509_free(cert); }
};

struct BioFree {
    void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};

using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;

Key new_key() {
    return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    ASSERT_NE(extension, nullptr) << value;
    ASSERT_EQ(X509_add_ext(cert, extension, -1), 1);
    X509_EXTENSION_free(extension);
}

/// A certificate for `subject_key`: a self-signed CA when `issuer` is null, else a TLS server
/// certificate for `subject_alt_name` (e.g. "IP:127.0.0.1") signed by `issuer`.
Cert make_cert(EVP_PKEY* subject_key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key,
               const char* subject_alt_name, long serial) {
    Cert cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24L * 3600);
    X509_set_pubkey(cert.get(), subject_key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
    X509* const signer = issuer != nullptr ? issuer : cert.get();
    X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
    add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
    if (issuer == nullptr) {
        add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
        add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
        add_extension(cert.get(), signer, NID_key_usage, "critical,digitalSignature");
        add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
        add_extension(cert.get(), signer, NID_subject_alt_name, subject_alt_name);
        add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
    }
    EXPECT_GT(X509_sign(cert.get(), issuer_key, EVP_sha256()), 0);
    return cert;
}

std::string pem_of(X509* cert) {
    const std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    EXPECT_EQ(PEM_write_bio_X509(bio.get(), cert), 1);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

std::string pem_of(EVP_PKEY* key) {
    const std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    EXPECT_EQ(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), 1);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

class HttpsTsaTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto tsa = crypto::LocalTsa::open_or_create(dir_.path() / "tsa", clock_);
        ASSERT_TRUE(tsa) << tsa.error().message;
        tsa_.emplace(std::move(*tsa));
        ca_key_ = new_key();
        ca_ = make_cert(ca_key_.get(), "facteur test CA", nullptr, ca_key_.get(), nullptr, 1);
        ca_file_ = dir_.write("ca.pem", pem_of(ca_.get())).string();
    }

    /// Starts the TSA over TLS with a certificate for `subject_alt_name` signed by `issuer`.
    void serve(const char* subject_alt_name, X509* issuer, EVP_PKEY* issuer_key,
               std::string required_authorization = {}) {
        const Key key = new_key();
        const Cert cert = make_cert(key.get(), "facteur test TSA server", issuer, issuer_key,
                                    subject_alt_name, 2);
        TsaHttpServerConfig config;
        config.tls_certificate_pem = pem_of(cert.get());
        config.tls_private_key_pem = pem_of(key.get());
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
        config.connect_timeout_ms = 5000;
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
    Key ca_key_;
    Cert ca_;
    std::string ca_file_;
    std::optional<TsaHttpServer> server_;
    crypto::Sha256Digest digest_ = crypto::sha256(std::string_view("checkpoint 9")).value();
};

TEST_F(HttpsTsaTest, TokenOverTlsVerifiesWhenTheServerCertificateIsTrustedAndNamesTheHost) {
    serve("IP:127.0.0.1", ca_.get(), ca_key_.get());
    const auto token = stamp(client_config(), digest_);
    ASSERT_TRUE(token) << token.error().message;
    const auto info =
        crypto::verify_timestamp_token(crypto::as_bytes(*token), digest_, tsa_->certificate_pem());
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_EQ(info->gen_time_unix_ms, kClockUnixMs);
}

TEST_F(HttpsTsaTest, ServerCertificateFromAnUntrustedAuthorityIsRefused) {
    const Key rogue_key = new_key();
    const Cert rogue = make_cert(rogue_key.get(), "rogue CA", nullptr, rogue_key.get(), nullptr, 7);
    serve("IP:127.0.0.1", rogue.get(), rogue_key.get());
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
    serve("DNS:tsa.example", ca_.get(), ca_key_.get());
    const auto token = stamp(client_config(), digest_);
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().code, core::Errc::kUnavailable);
    EXPECT_NE(token.error().message.find("127.0.0.1"), std::string::npos) << token.error().message;
}

TEST_F(HttpsTsaTest, AuthorizationIsSentOverTls) {
    serve("IP:127.0.0.1", ca_.get(), ca_key_.get(), "Basic ZmFjdGV1cjpzZWNyZXQ=");
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
    serve("IP:127.0.0.1", ca_.get(), ca_key_.get());
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
