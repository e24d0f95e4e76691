#pragma once

// A certificate authority and a TLS server certificate made with OpenSSL for tests that serve
// https on 127.0.0.1.

#include <string>

namespace facteur::testing {

/// PEM material for one TLS server.
struct TlsTestPki {
    std::string ca_pem;           ///< the authority a client should trust
    std::string server_cert_pem;  ///< EC P-256, serverAuth, valid from an hour ago for a day
    std::string server_key_pem;   ///< its private key
};

/// A fresh authority and a server certificate for `subject_alt_name` ("IP:127.0.0.1",
/// "DNS:tsa.example"), signed by that authority, or by another fresh one (`trusted_issuer`
/// false: ca_pem then does not verify the server). Fails the current test on OpenSSL errors.
[[nodiscard]] TlsTestPki make_tls_test_pki(const char* subject_alt_name,
                                           bool trusted_issuer = true);

}  // namespace facteur::testing
