#include "facteur/tsa/http_client.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <exception>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "media_type.h"

namespace facteur::tsa {

namespace net = boost::asio;

struct HttpTsaClient::Tls {
    // SSL_new() on a configured context is thread-safe: every stamp() makes its own stream.
    mutable net::ssl::context context{net::ssl::context::tls_client};
};

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using core::Errc;

/// Largest reply header block: 8 KiB (a TSA sends a handful of fields).
constexpr std::uint32_t kHeaderBytesMax = 8 * 1024;

constexpr auto kAwaitTuple = net::as_tuple(net::use_awaitable);

/// What one HTTP exchange produced.
struct Reply {
    unsigned status = 0;
    std::string reason;
    std::string content_type;
    std::string body;
};

/// Where to send the request (from the parsed URL).
struct Target {
    const std::string& host;
    std::uint16_t port;
    const std::string& host_header;
    const std::string& path;
    const HttpTsaClient::Tls* tls;  // null for http
};

std::string where(const Target& target) {
    return "TSA " + target.host_header;
}

core::Error unavailable(std::string message) {
    return core::Error{Errc::kUnavailable, std::move(message), {}, {}, 0};
}

core::Error read_failure(const boost::system::error_code& error, const Target& target,
                         const HttpTsaClientConfig& config) {
    if (error == http::error::body_limit) {
        return core::Error{Errc::kResourceExhausted,
                           where(target) + " replied with a body over "
                               + std::to_string(config.response_bytes_max) + " bytes",
                           {},
                           {},
                           0};
    }
    if (error == beast::error::timeout) {
        return unavailable(where(target) + " sent no complete reply within "
                           + std::to_string(config.io_timeout_ms) + " ms");
    }
    if (error == http::error::end_of_stream || error == http::error::partial_message) {
        return unavailable(where(target) + " closed the connection before a complete reply");
    }
    if (error.category() == http::make_error_code(http::error::bad_version).category()) {
        return core::Error{
            Errc::kInvalidInput,
            where(target) + " replied with something that is not HTTP/1.1: " + error.message(),
            {},
            {},
            0};
    }
    return unavailable("reading the reply of " + where(target) + " failed: " + error.message());
}

// Send, read: io_timeout_ms for both together, every failure put in `out`.
template <class Stream>
net::awaitable<void> request_reply(Stream& stream, const Target& target,
                                   const HttpTsaClientConfig& config, std::string body,
                                   core::Result<Reply>& out) {
    http::request<http::string_body> request{http::verb::post, target.path, 11};
    request.set(http::field::host, target.host_header);
    request.set(http::field::user_agent, "facteur");
    request.set(http::field::content_type, detail::kTimestampQuery);
    request.set(http::field::accept, detail::kTimestampReply);
    if (!config.authorization.empty()) {
        request.set(http::field::authorization, config.authorization);
    }
    request.keep_alive(false);  // one request per connection
    request.body() = std::move(body);
    request.prepare_payload();
    // One deadline for sending and receiving: tcp_stream applies it to every operation after.
    beast::get_lowest_layer(stream).expires_after(std::chrono::milliseconds(config.io_timeout_ms));
    auto [write_error, written] = co_await http::async_write(stream, request, kAwaitTuple);
    if (write_error) {
        out = tl::unexpected(unavailable(
            write_error == beast::error::timeout
                ? "sending the request to " + where(target) + " timed out after "
                      + std::to_string(config.io_timeout_ms) + " ms"
                : "sending the request to " + where(target) + " failed: " + write_error.message()));
        co_return;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.header_limit(kHeaderBytesMax);
    parser.body_limit(config.response_bytes_max);
    auto [read_error, read] = co_await http::async_read(stream, buffer, parser, kAwaitTuple);
    if (read_error) {
        out = tl::unexpected(read_failure(read_error, target, config));
        co_return;
    }
    const auto& response = parser.get();
    out = Reply{response.result_int(), std::string(response.reason()),
                std::string(response[http::field::content_type]), response.body()};
}

// TLS over a connected stream: SNI, the handshake (bounded by connect_timeout_ms) with the
// certificate checked against the trusted authorities and the URL's host, then the exchange
// and a bounded close_notify.
net::awaitable<void> exchange_tls(beast::tcp_stream stream, const Target& target,
                                  const HttpTsaClientConfig& config, std::string body,
                                  core::Result<Reply>& out) {
    beast::ssl_stream<beast::tcp_stream> tls(std::move(stream), target.tls->context);
    boost::system::error_code not_ip;
    (void)net::ip::make_address(target.host, not_ip);
    // RFC 6066 §3: server name indication for host names, never for IP literals.
    if (not_ip && SSL_set_tlsext_host_name(tls.native_handle(), target.host.c_str()) != 1) {
        out = tl::unexpected(
            core::Error{Errc::kInternal, "TLS: cannot set the server name", {}, {}, 0});
        co_return;
    }
    tls.set_verify_mode(net::ssl::verify_peer);
    tls.set_verify_callback(net::ssl::host_name_verification(target.host));
    beast::get_lowest_layer(tls).expires_after(
        std::chrono::milliseconds(config.connect_timeout_ms));
    auto [handshake_error] =
        co_await tls.async_handshake(net::ssl::stream_base::client, kAwaitTuple);
    if (handshake_error) {
        out = tl::unexpected(unavailable(
            handshake_error == beast::error::timeout
                ? "the TLS handshake with " + where(target) + " timed out after "
                      + std::to_string(config.connect_timeout_ms) + " ms"
                : "the TLS handshake with " + where(target) + " failed ("
                      + handshake_error.message()
                      + "): its certificate must verify against the trusted authorities and "
                        "name "
                      + target.host));
        co_return;
    }
    co_await request_reply(tls, target, config, std::move(body), out);
    // close_notify, bounded; the reply is already complete, so its failure does not matter.
    beast::get_lowest_layer(tls).expires_after(std::chrono::milliseconds(config.io_timeout_ms));
    co_await tls.async_shutdown(kAwaitTuple);
}

// Resolve, connect (connect_timeout_ms for both together), then the exchange, in clear or over
// TLS. Nothing here throws on I/O errors (as_tuple); the caller's completion handler catches
// the rest (allocation failures).
net::awaitable<void> exchange(Target target, const HttpTsaClientConfig& config, std::string body,
                              core::Result<Reply>& out) {
    const auto executor = co_await net::this_coro::executor;
    const auto connect_deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(config.connect_timeout_ms);
    // The timer cancels a slow resolution; getaddrinfo itself cannot be interrupted, so a hung
    // DNS server is bounded by the system resolver's own timeouts (numeric hosts need none).
    tcp::resolver resolver(executor);
    net::steady_timer timer(executor, connect_deadline);
    timer.async_wait([&resolver](const boost::system::error_code& error) {
        if (!error) {
            resolver.cancel();
        }
    });
    auto [resolve_error, endpoints] = co_await resolver.async_resolve(
        target.host, std::to_string(target.port), tcp::resolver::numeric_service, kAwaitTuple);
    timer.cancel();
    if (resolve_error) {
        out = tl::unexpected(
            unavailable(resolve_error == net::error::operation_aborted
                            ? "resolving " + target.host + " timed out after "
                                  + std::to_string(config.connect_timeout_ms) + " ms"
                            : "cannot resolve " + target.host + ": " + resolve_error.message()));
        co_return;
    }
    beast::tcp_stream stream(executor);
    stream.expires_at(connect_deadline);
    auto [connect_error, endpoint] = co_await stream.async_connect(endpoints, kAwaitTuple);
    if (connect_error) {
        out = tl::unexpected(unavailable(
            connect_error == beast::error::timeout
                ? "connecting to " + where(target) + " timed out after "
                      + std::to_string(config.connect_timeout_ms) + " ms"
                : "cannot connect to " + where(target) + ": " + connect_error.message()));
        co_return;
    }
    if (target.tls != nullptr) {
        co_await exchange_tls(std::move(stream), target, config, std::move(body), out);
        co_return;
    }
    co_await request_reply(stream, target, config, std::move(body), out);
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

core::Result<Reply> post(const Target& target, const HttpTsaClientConfig& config,
                         std::string body) {
    core::Result<Reply> out = tl::unexpected(
        core::Error{Errc::kInternal, "the HTTP exchange did not complete", {}, {}, 0});
    try {
        net::io_context context(1);
        net::co_spawn(context, exchange(target, config, std::move(body), out),
                      [&out](const std::exception_ptr& failure) {
                          if (!failure) {
                              return;
                          }
                          try {
                              std::rethrow_exception(failure);
                          } catch (const std::exception& e) {
                              out = core::fail(Errc::kInternal,
                                               std::string("TSA client failure: ") + e.what());
                          }
                      });
        // Returns once the exchange is over: every step above has a deadline.
        context.run();
    } catch (const std::exception& e) {  // Asio set-up (e.g. no file descriptor left)
        return core::fail(Errc::kInternal, std::string("TSA client failure: ") + e.what());
    }
    return out;
}

core::Result<std::string> token_of(const Reply& reply, const Target& target) {
    if (reply.status != 200) {
        return core::fail(Errc::kUnavailable, where(target) + " answered HTTP "
                                                  + std::to_string(reply.status) + " "
                                                  + reply.reason.substr(0, 100));
    }
    if (!detail::media_type_is(reply.content_type, detail::kTimestampReply)) {
        return core::fail(Errc::kInvalidInput, where(target) + " replied with Content-Type '"
                                                   + reply.content_type.substr(0, 100) + "', not "
                                                   + std::string(detail::kTimestampReply));
    }
    return crypto::timestamp_token_from_response(crypto::as_bytes(reply.body));
}

core::Result<void> check_token(const std::string& token, crypto::ByteView digest,
                               const std::string& nonce_hex, const HttpTsaClientConfig& config) {
    FACTEUR_TRY_ASSIGN(
        const crypto::TimestampInfo info,
        config.tsa_cert_pem.empty()
            ? crypto::read_timestamp_token(crypto::as_bytes(token))
            : crypto::verify_timestamp_token(crypto::as_bytes(token), digest, config.tsa_cert_pem));
    if (!std::equal(info.imprint.begin(), info.imprint.end(), digest.begin(), digest.end())) {
        return core::fail(Errc::kDataLoss, "the TSA's token stamps another digest");
    }
    if (info.nonce_hex != nonce_hex) {
        return core::fail(Errc::kDataLoss,
                          "the TSA's token carries another nonce (a replayed or misrouted reply)");
    }
    return {};
}

}  // namespace

HttpTsaClient::HttpTsaClient(HttpTsaClientConfig config, std::string host, std::uint16_t port,
                             std::string host_header, std::string target,
                             std::shared_ptr<const Tls> tls) noexcept
    : config_(std::move(config)),
      host_(std::move(host)),
      port_(port),
      host_header_(std::move(host_header)),
      target_(std::move(target)),
      tls_(std::move(tls)) {}

namespace {

/// TLS 1.2 or later, peers verified against `ca_file` (empty: the system's authorities).
core::Result<std::shared_ptr<const HttpTsaClient::Tls>> make_tls(const std::string& ca_file) {
    try {
        auto tls = std::make_shared<HttpTsaClient::Tls>();
        boost::system::error_code error;
        tls->context.set_options(net::ssl::context::default_workarounds
                                     | net::ssl::context::no_sslv2 | net::ssl::context::no_sslv3
                                     | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1,
                                 error);
        if (!error) {
            tls->context.set_verify_mode(net::ssl::verify_peer, error);
        }
        if (error) {
            return core::fail(Errc::kInternal, "TLS set-up failed: " + error.message());
        }
        if (ca_file.empty()) {
            tls->context.set_default_verify_paths(error);
        } else {
            tls->context.load_verify_file(ca_file, error);
        }
        if (error) {
            return core::fail(
                Errc::kInvalidInput,
                ca_file.empty()
                    ? "cannot load the system's certificate authorities: " + error.message()
                    : "cannot read the TLS certificate authorities of " + ca_file.substr(0, 200)
                          + ": " + error.message());
        }
        return std::shared_ptr<const HttpTsaClient::Tls>(std::move(tls));
    } catch (const std::exception& e) {  // context creation (OpenSSL allocation)
        return core::fail(Errc::kInternal, std::string("TLS set-up failed: ") + e.what());
    }
}

}  // namespace

core::Result<HttpTsaClient> HttpTsaClient::create(HttpTsaClientConfig config) {
    const auto parsed = boost::urls::parse_uri(config.url);
    if (!parsed) {
        return core::fail(Errc::kInvalidInput, "TSA URL '" + config.url.substr(0, 200)
                                                   + "' is not a URL: " + parsed.error().message());
    }
    const boost::urls::url_view& url = *parsed;
    const bool https = url.scheme_id() == boost::urls::scheme::https;
    if (!https && url.scheme_id() != boost::urls::scheme::http) {
        return core::fail(Errc::kInvalidInput, "TSA URL scheme must be http or https, got '"
                                                   + std::string(url.scheme()) + "'");
    }
    if (!config.authorization.empty() && !https) {
        return core::fail(Errc::kInvalidInput,
                          "a TSA authorization is only sent over https, not in clear over http");
    }
    if (config.authorization.find_first_of("\r\n") != std::string::npos) {
        return core::fail(Errc::kInvalidInput, "the TSA authorization must be one line");
    }
    if (!url.has_authority() || url.encoded_host().empty()) {
        return core::fail(Errc::kInvalidInput, "TSA URL has no host");
    }
    if (url.has_userinfo()) {
        return core::fail(Errc::kInvalidInput, "TSA URL must not carry user information");
    }
    std::uint16_t port = https ? 443 : 80;
    if (url.has_port() && !url.port().empty()) {
        // Parsed here: url_view::port_number() wraps values over 65535 instead of failing.
        const std::string digits(url.port());
        std::uint32_t number = 0;
        const auto [end, error] =
            std::from_chars(digits.data(), digits.data() + digits.size(), number);
        if (error != std::errc() || end != digits.data() + digits.size() || number == 0
            || number > 65535) {
            return core::fail(Errc::kInvalidInput, "TSA URL port must be 1 to 65535, got '"
                                                       + digits.substr(0, 20) + "'");
        }
        port = static_cast<std::uint16_t>(number);
    }
    if (config.connect_timeout_ms == 0 || config.io_timeout_ms == 0
        || config.response_bytes_max == 0) {
        return core::fail(Errc::kInvalidInput,
                          "TSA client timeouts and response_bytes_max must be positive");
    }
    std::string host_header(url.encoded_host());
    if (url.has_port() && !url.port().empty()) {
        host_header += ":" + std::string(url.port());
    }
    std::string target = url.encoded_path().empty() ? "/" : std::string(url.encoded_path());
    if (url.has_query()) {
        target += "?" + std::string(url.encoded_query());
    }
    std::shared_ptr<const Tls> tls;
    if (https) {
        FACTEUR_TRY_ASSIGN(tls, make_tls(config.tls_ca_file));
    }
    return HttpTsaClient(std::move(config), url.host_address(), port, std::move(host_header),
                         std::move(target), std::move(tls));
}

core::Result<std::string> HttpTsaClient::stamp(crypto::ByteView sha256_digest) const {
    FACTEUR_TRY_ASSIGN(crypto::TimestampRequest request,
                       crypto::make_timestamp_request(sha256_digest));
    const Target target{host_, port_, host_header_, target_, tls_.get()};
    FACTEUR_TRY_ASSIGN(const Reply reply, post(target, config_, std::move(request.der)));
    FACTEUR_TRY_ASSIGN(std::string token, token_of(reply, target));
    FACTEUR_TRY(check_token(token, sha256_digest, request.nonce_hex, config_));
    return token;
}

}  // namespace facteur::tsa
