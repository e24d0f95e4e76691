#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "facteur/core/result.h"
#include "facteur/crypto/bytes.h"
#include "facteur/crypto/timestamp.h"

namespace facteur::tsa {

/// Where and how HttpTsaClient reaches a time-stamping authority.
struct HttpTsaClientConfig {
    /// The TSA's URL, "http://host[:port][/path][?query]" (port 80 by default) or "https://..."
    /// (port 443 by default; TLS 1.2 or later, the server's certificate checked against
    /// tls_ca_file and the URL's host name or IP address). Path "/" by default. No default: it
    /// must be set.
    std::string url;
    /// For https: a PEM file of the certificate authorities trusted for the TSA's TLS
    /// certificate. Default: empty, the system's (OpenSSL's default paths: /etc/ssl/certs on
    /// Debian).
    std::string tls_ca_file;
    /// Value of the Authorization header (e.g. "Basic dXNlcjpwYXNz"), for TSAs that require
    /// one. Only over https: refused with an http URL, where it would travel in clear. Never
    /// logged nor put in an error message. Default: empty, none sent.
    std::string authorization;
    /// Resolving the host and opening the TCP connection, together. Default: 5000 ms.
    std::uint32_t connect_timeout_ms = 5000;
    /// Sending the request and receiving the whole reply, together. Default: 5000 ms.
    std::uint32_t io_timeout_ms = 5000;
    /// Largest reply body accepted. Default: crypto::kTimestampDerBytesMax (64 KiB).
    std::size_t response_bytes_max = crypto::kTimestampDerBytesMax;
    /// The TSA's certificate (PEM). When set, every token is verified against it
    /// (crypto::verify_timestamp_token) before stamp() returns it. Default: empty, in which case
    /// only the reply's imprint and nonce are checked and the caller verifies the token.
    std::string tsa_cert_pem;
};

/// A synchronous RFC 3161 client over HTTP (RFC 3161 §3.4): POSTs a DER TimeStampReq as
/// `application/timestamp-query` and expects a TimeStampResp as `application/timestamp-reply`.
/// Immutable after create(); stamp() may be called from several threads at once (each call
/// has its own connection and I/O context).
class HttpTsaClient {
public:
    /// A client for `config`. Errors: kInvalidInput (not a URL, a scheme other than http or
    /// https, no host, user info in the URL, port 0 or not a number, a zero timeout or
    /// response_bytes_max, an authorization with http or with a line break, a tls_ca_file that
    /// cannot be read as PEM certificates), kInternal (OpenSSL).
    [[nodiscard]] static core::Result<HttpTsaClient> create(HttpTsaClientConfig config);

    /// Asks the TSA to time-stamp `sha256_digest` and returns the TimeStampToken (DER CMS
    /// ContentInfo), once the reply's status is granted, its imprint is `sha256_digest`, its
    /// nonce the one sent (a fresh random 64-bit nonce per call) and, if config.tsa_cert_pem is
    /// set, the token verifies against that certificate. One connection per call, no retry.
    /// Errors: kInvalidInput (digest not 32 bytes; a reply that is not
    /// `application/timestamp-reply` or not a DER TimeStampResp, or a rejection of the request:
    /// badAlg, badRequest, badDataFormat, unacceptedPolicy ...), kResourceExhausted (reply body
    /// over response_bytes_max), kUnavailable (name resolution, connection, or I/O failure; a
    /// timeout; a TLS handshake failure, e.g. a certificate that does not verify or names
    /// another host; an HTTP status other than 200; a TSA that cannot answer now: waiting,
    /// timeNotAvailable, systemFailure), kUnsupported (imprint algorithm other than SHA-256),
    /// kDataLoss (a token for another digest or nonce, or one that does not verify against
    /// config.tsa_cert_pem), kInternal.
    [[nodiscard]] core::Result<std::string> stamp(crypto::ByteView sha256_digest) const;

    /// The configuration it was created with.
    [[nodiscard]] const HttpTsaClientConfig& config() const noexcept { return config_; }

    /// The TLS settings of an https client (an asio::ssl::context), shared by its copies.
    struct Tls;

private:
    HttpTsaClient(HttpTsaClientConfig config, std::string host, std::uint16_t port,
                  std::string host_header, std::string target,
                  std::shared_ptr<const Tls> tls) noexcept;

    HttpTsaClientConfig config_;
    std::string host_;                // to resolve: a name or an IP address (IPv6 without brackets)
    std::uint16_t port_ = 80;         // TCP port
    std::string host_header_;         // Host: field, as in the URL
    std::string target_;              // request target: path and query, "/" at least
    std::shared_ptr<const Tls> tls_;  // null for http
};

}  // namespace facteur::tsa
