#include "facteur/testing/test_pki.h"

#include <memory>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace facteur::testing {

namespace {

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

}  // namespace

TlsTestPki make_tls_test_pki(const char* subject_alt_name, bool trusted_issuer) {
    const Key ca_key = new_key();
    const Cert ca = make_cert(ca_key.get(), "facteur test CA", nullptr, ca_key.get(), nullptr, 1);
    const Key rogue_key = new_key();
    const Cert rogue = make_cert(rogue_key.get(), "rogue CA", nullptr, rogue_key.get(), nullptr, 7);
    const Key key = new_key();
    const Cert cert = trusted_issuer ? make_cert(key.get(), "facteur test TLS server", ca.get(),
                                                 ca_key.get(), subject_alt_name, 2)
                                     : make_cert(key.get(), "facteur test TLS server", rogue.get(),
                                                 rogue_key.get(), subject_alt_name, 2);
    return TlsTestPki{pem_of(ca.get()), pem_of(cert.get()), pem_of(key.get())};
}

}  // namespace facteur::testing
