#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "facteur/core/result.h"
#include "facteur/crypto/timestamp.h"

namespace facteur::tsa {

/// Limits of TsaHttpServer.
struct TsaHttpServerConfig {
    /// Largest request body; a larger one is answered 413. Default: crypto::kTimestampDerBytesMax
    /// (64 KiB; a TimeStampReq is ~60 bytes).
    std::size_t body_bytes_max = crypto::kTimestampDerBytesMax;
    /// Reading one whole request (headers and body); the connection is closed when it runs out
    /// (also the idle time allowed between keep-alive requests). Default: 5000 ms.
    std::uint32_t read_timeout_ms = 5000;
    /// Writing one response. Default: 5000 ms.
    std::uint32_t write_timeout_ms = 5000;
    /// Open connections at most; further ones are closed at once. Default: 64.
    std::size_t connection_count_max = 64;
    /// Requests served on one keep-alive connection before it is closed. Default: 100.
    std::uint32_t requests_per_connection_max = 100;
    /// Serve https instead of http: the server's certificate (chain, PEM, leaf first) and its
    /// private key (PEM), both or neither; the TLS handshake is bounded by read_timeout_ms.
    /// Default: empty, plain http.
    std::string tls_certificate_pem;
    std::string tls_private_key_pem;  ///< see tls_certificate_pem
    /// When set, a request whose Authorization header is not exactly this value gets 401 with
    /// `WWW-Authenticate: Basic realm="facteur test TSA"`. Default: empty, none required.
    std::string required_authorization;
};

/// Serves a crypto::LocalTsa over HTTP (RFC 3161 §3.4) on its own I/O thread, for tests and
/// `facteur tsa serve`. On any path: a POST with `Content-Type: application/timestamp-query`
/// gets 200 and `application/timestamp-reply`, whose TimeStampResp is a token or, for a body
/// that is not a proper request, a rejection (badDataFormat ...). Other methods get 405 (with
/// `Allow: POST`), another or no content type 415, a body over body_bytes_max 413, headers over
/// 8 KiB 431, bytes that are not HTTP/1.1 400; a TSA failure 500. Responses carry
/// `Server: facteur local test TSA (NOT QUALIFIED)`. Not copyable or movable.
class TsaHttpServer {
public:
    /// A stopped server for `tsa`, which must outlive it.
    explicit TsaHttpServer(const crypto::LocalTsa& tsa, TsaHttpServerConfig config = {});
    ~TsaHttpServer();  ///< stop()

    TsaHttpServer(const TsaHttpServer&) = delete;
    TsaHttpServer& operator=(const TsaHttpServer&) = delete;
    TsaHttpServer(TsaHttpServer&&) = delete;
    TsaHttpServer& operator=(TsaHttpServer&&) = delete;

    /// Binds `address` (an IPv4 or IPv6 literal, e.g. "127.0.0.1") and `port` (0: an ephemeral
    /// port, see port()) and starts serving on a new thread. May be called again after stop(),
    /// on the same port. Errors: kInvalidInput (not an IP address; a TLS certificate or key
    /// that cannot be loaded, or only one of them), kConflict (already started), kUnavailable
    /// (cannot bind or listen, e.g. port in use), kInternal.
    [[nodiscard]] core::Result<void> start(std::string_view address, std::uint16_t port);

    /// The bound port while started, else 0.
    [[nodiscard]] std::uint16_t port() const noexcept;

    /// Stops accepting, closes every connection (a request being answered is cut off) and joins
    /// the thread. Does nothing when not started.
    void stop() noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace facteur::tsa
