#include "facteur/tsa/http_client.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <exception>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "media_type.h"

namespace facteur::tsa {

namespace {

namespace net = boost::asio;
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

// Resolve, connect, send, read: each step bounded (connect_timeout_ms for the first two,
// io_timeout_ms for the last two), every failure put in `out`. Nothing here throws on I/O
// errors (as_tuple); the caller's completion handler catches the rest (allocation failures).
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

    http::request<http::string_body> request{http::verb::post, target.path, 11};
    request.set(http::field::host, target.host_header);
    request.set(http::field::user_agent, "facteur");
    request.set(http::field::content_type, detail::kTimestampQuery);
    request.set(http::field::accept, detail::kTimestampReply);
    request.keep_alive(false);  // one request per connection
    request.body() = std::move(body);
    request.prepare_payload();
    // One deadline for sending and receiving: tcp_stream applies it to every operation after.
    stream.expires_after(std::chrono::milliseconds(config.io_timeout_ms));
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
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    const auto& response = parser.get();
    out = Reply{response.result_int(), std::string(response.reason()),
                std::string(response[http::field::content_type]), response.body()};
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
                             std::string host_header, std::string target) noexcept
    : config_(std::move(config)),
      host_(std::move(host)),
      port_(port),
      host_header_(std::move(host_header)),
      target_(std::move(target)) {}

core::Result<HttpTsaClient> HttpTsaClient::create(HttpTsaClientConfig config) {
    const auto parsed = boost::urls::parse_uri(config.url);
    if (!parsed) {
        return core::fail(Errc::kInvalidInput, "TSA URL '" + config.url.substr(0, 200)
                                                   + "' is not a URL: " + parsed.error().message());
    }
    const boost::urls::url_view& url = *parsed;
    if (url.scheme_id() == boost::urls::scheme::https) {
        return core::fail(Errc::kUnsupported,
                          "https TSA URLs are not supported yet (TLS is to come): use http");
    }
    if (url.scheme_id() != boost::urls::scheme::http) {
        return core::fail(Errc::kInvalidInput,
                          "TSA URL scheme must be http, got '" + std::string(url.scheme()) + "'");
    }
    if (!url.has_authority() || url.encoded_host().empty()) {
        return core::fail(Errc::kInvalidInput, "TSA URL has no host");
    }
    if (url.has_userinfo()) {
        return core::fail(Errc::kInvalidInput, "TSA URL must not carry user information");
    }
    std::uint16_t port = 80;
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
    return HttpTsaClient(std::move(config), url.host_address(), port, std::move(host_header),
                         std::move(target));
}

core::Result<std::string> HttpTsaClient::stamp(crypto::ByteView sha256_digest) const {
    FACTEUR_TRY_ASSIGN(crypto::TimestampRequest request,
                       crypto::make_timestamp_request(sha256_digest));
    const Target target{host_, port_, host_header_, target_};
    FACTEUR_TRY_ASSIGN(const Reply reply, post(target, config_, std::move(request.der)));
    FACTEUR_TRY_ASSIGN(std::string token, token_of(reply, target));
    FACTEUR_TRY(check_token(token, sha256_digest, request.nonce_hex, config_));
    return token;
}

}  // namespace facteur::tsa
