#include "facteur/tsa/http_server.h"

#include <array>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "media_type.h"

namespace facteur::tsa {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using core::Errc;

/// Largest request header block: 8 KiB; more gets 431.
constexpr std::uint32_t kHeaderBytesMax = 8 * 1024;
/// After an error response the connection is drained before it is closed (so that the client
/// reads the response rather than a reset): at most this many bytes, for at most this long.
constexpr std::size_t kDrainBytesMax = std::size_t{1024} * 1024;
constexpr std::chrono::milliseconds kDrainTimeout{1000};
/// Pause after a failed accept (e.g. no file descriptor left), so as not to spin on it.
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};
constexpr std::string_view kServerName = "facteur local test TSA (NOT QUALIFIED)";

constexpr auto kAwaitTuple = net::as_tuple(net::use_awaitable);

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

Response text_response(http::status status, std::string_view text) {
    Response response{status, 11};
    response.set(http::field::server, kServerName);
    response.set(http::field::content_type, "text/plain; charset=utf-8");
    response.body() = std::string(text) + "\n";
    response.prepare_payload();
    return response;
}

// The request handling proper: a pure function of the request (house style: sessions only do
// I/O). RFC 3161 §3.4: the reply to a timestamp-query is a timestamp-reply, a rejection
// included, so a body that is not a TimeStampReq still gets 200 and status rejection.
Response handle(const crypto::LocalTsa& tsa, const TsaHttpServerConfig& config,
                const Request& request) {
    if (!config.required_authorization.empty()
        && request[http::field::authorization] != config.required_authorization) {
        Response response = text_response(http::status::unauthorized, "authorization required");
        response.set(http::field::www_authenticate, "Basic realm=\"facteur test TSA\"");
        return response;
    }
    if (request.method() != http::verb::post) {
        Response response =
            text_response(http::status::method_not_allowed, "only POST is served here");
        response.set(http::field::allow, "POST");
        return response;
    }
    if (!detail::media_type_is(request[http::field::content_type], detail::kTimestampQuery)) {
        return text_response(http::status::unsupported_media_type,
                             "Content-Type must be " + std::string(detail::kTimestampQuery));
    }
    const auto answer = tsa.respond(crypto::as_bytes(request.body()));
    if (!answer) {
        return text_response(http::status::internal_server_error, "time-stamping failed");
    }
    Response response{http::status::ok, request.version()};
    response.set(http::field::server, kServerName);
    response.set(http::field::content_type, detail::kTimestampReply);
    response.body() = *answer;
    response.prepare_payload();
    return response;
}

// The answer to a request that could not be read at all (nullopt: close without a word).
std::optional<Response> read_error_response(const boost::system::error_code& error) {
    if (error == http::error::body_limit) {
        return text_response(http::status::payload_too_large, "request body too large");
    }
    if (error == http::error::header_limit) {
        return text_response(http::status::request_header_fields_too_large,
                             "request header fields too large");
    }
    if (error.category() == http::make_error_code(http::error::bad_version).category()
        && error != http::error::end_of_stream && error != http::error::partial_message) {
        return text_response(http::status::bad_request, "not an HTTP/1.1 request");
    }
    return std::nullopt;  // closed by the client, timed out, reset
}

// Reads and discards what the client is still sending, bounded in bytes and time.
net::awaitable<void> drain(beast::tcp_stream& stream) {
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(kDrainTimeout);
    std::array<char, std::size_t{16} * 1024> sink{};
    for (std::size_t drained = 0; drained < kDrainBytesMax;) {
        auto [error, read] = co_await stream.async_read_some(net::buffer(sink), kAwaitTuple);
        if (error) {
            break;
        }
        drained += read;
    }
}

}  // namespace

struct TsaHttpServer::Impl {
    Impl(const crypto::LocalTsa& tsa_in, TsaHttpServerConfig config_in) noexcept
        : tsa(tsa_in), config(config_in) {}

    net::awaitable<void> session(tcp::socket socket);
    template <class Stream>
    net::awaitable<void> serve(Stream& stream);
    net::awaitable<void> listen(tcp::acceptor acceptor);

    const crypto::LocalTsa& tsa;
    const TsaHttpServerConfig config;
    std::unique_ptr<net::ssl::context> tls;  // set by start() when config asks for https
    std::mutex mutex;                        // start() and stop()
    std::unique_ptr<net::io_context> context;
    std::thread thread;
    std::atomic<std::uint16_t> port{0};
    std::atomic<std::size_t> connection_count{0};
};

namespace {

// Keeps Impl::connection_count right however a session ends (even destroyed unfinished).
class ConnectionSlot {
public:
    explicit ConnectionSlot(std::atomic<std::size_t>& count) noexcept : count_(count) {}

    ConnectionSlot(const ConnectionSlot&) = delete;
    ConnectionSlot& operator=(const ConnectionSlot&) = delete;

    ~ConnectionSlot() { count_.fetch_sub(1, std::memory_order_relaxed); }

private:
    std::atomic<std::size_t>& count_;
};

void ignore_session_exception(const std::exception_ptr& /*failure*/) noexcept {
    // A session that threw (only allocation can: I/O errors come back as values) has lost its
    // connection; the server and the other sessions go on.
}

}  // namespace

net::awaitable<void> TsaHttpServer::Impl::session(tcp::socket socket) {
    const ConnectionSlot slot(connection_count);
    beast::tcp_stream stream(std::move(socket));
    if (!tls) {
        co_await serve(stream);
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        co_return;
    }
    beast::ssl_stream<beast::tcp_stream> secure(std::move(stream), *tls);
    beast::get_lowest_layer(secure).expires_after(
        std::chrono::milliseconds(config.read_timeout_ms));
    auto [handshake_error] =
        co_await secure.async_handshake(net::ssl::stream_base::server, kAwaitTuple);
    if (handshake_error) {
        co_return;  // not TLS, an untrusting client, a timeout: the socket closes
    }
    co_await serve(secure);
    beast::get_lowest_layer(secure).expires_after(
        std::chrono::milliseconds(config.write_timeout_ms));
    co_await secure.async_shutdown(kAwaitTuple);
}

template <class Stream>
net::awaitable<void> TsaHttpServer::Impl::serve(Stream& stream) {
    beast::flat_buffer buffer;
    for (std::uint32_t served = 0; served < config.requests_per_connection_max; ++served) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(kHeaderBytesMax);
        parser.body_limit(config.body_bytes_max);
        beast::get_lowest_layer(stream).expires_after(
            std::chrono::milliseconds(config.read_timeout_ms));
        auto [read_error, read] = co_await http::async_read(stream, buffer, parser, kAwaitTuple);
        if (read_error) {
            std::optional<Response> refusal = read_error_response(read_error);
            if (refusal) {
                refusal->keep_alive(false);
                beast::get_lowest_layer(stream).expires_after(
                    std::chrono::milliseconds(config.write_timeout_ms));
                co_await http::async_write(stream, *refusal, kAwaitTuple);
                if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
                    co_await drain(stream);
                }
            }
            break;
        }
        Response response;
        try {
            response = handle(tsa, config, parser.get());
        } catch (const std::exception&) {  // allocation failure while answering
            response = text_response(http::status::internal_server_error, "internal error");
        }
        response.keep_alive(parser.get().keep_alive()
                            && served + 1 < config.requests_per_connection_max);
        beast::get_lowest_layer(stream).expires_after(
            std::chrono::milliseconds(config.write_timeout_ms));
        auto [write_error, written] = co_await http::async_write(stream, response, kAwaitTuple);
        if (write_error || !response.keep_alive()) {
            break;
        }
    }
}

net::awaitable<void> TsaHttpServer::Impl::listen(tcp::acceptor acceptor) {
    net::steady_timer pause(acceptor.get_executor());
    for (;;) {
        auto [error, socket] = co_await acceptor.async_accept(kAwaitTuple);
        if (error == net::error::operation_aborted) {
            co_return;
        }
        if (error) {
            pause.expires_after(kAcceptRetryDelay);
            co_await pause.async_wait(kAwaitTuple);
            continue;
        }
        if (connection_count.fetch_add(1, std::memory_order_relaxed)
            >= config.connection_count_max) {
            connection_count.fetch_sub(1, std::memory_order_relaxed);
            continue;  // the socket closes as it goes out of scope
        }
        net::co_spawn(acceptor.get_executor(), session(std::move(socket)),
                      &ignore_session_exception);
    }
}

TsaHttpServer::TsaHttpServer(const crypto::LocalTsa& tsa, TsaHttpServerConfig config)
    : impl_(std::make_unique<Impl>(tsa, config)) {}

TsaHttpServer::~TsaHttpServer() {
    stop();
}

core::Result<void> TsaHttpServer::start(std::string_view address, std::uint16_t port) {
    const std::lock_guard lock(impl_->mutex);
    if (impl_->context) {
        return core::fail(Errc::kConflict, "TSA HTTP server already started");
    }
    boost::system::error_code error;
    const net::ip::address ip = net::ip::make_address(address, error);
    if (error) {
        return core::fail(Errc::kInvalidInput, "TSA HTTP server address '"
                                                   + std::string(address.substr(0, 100))
                                                   + "' is not an IP address");
    }
    if (impl_->config.tls_certificate_pem.empty() != impl_->config.tls_private_key_pem.empty()) {
        return core::fail(Errc::kInvalidInput,
                          "TSA HTTP server: a TLS certificate needs its private key and back");
    }
    if (!impl_->config.tls_certificate_pem.empty() && !impl_->tls) {
        try {
            auto tls = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
            tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2
                                 | net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1
                                 | net::ssl::context::no_tlsv1_1,
                             error);
            if (!error) {
                tls->use_certificate_chain(net::buffer(impl_->config.tls_certificate_pem), error);
            }
            if (!error) {
                tls->use_private_key(net::buffer(impl_->config.tls_private_key_pem),
                                     net::ssl::context::pem, error);
            }
            if (error) {
                return core::fail(
                    Errc::kInvalidInput,
                    "TSA HTTP server: cannot load the TLS certificate and key: " + error.message());
            }
            impl_->tls = std::move(tls);
        } catch (const std::exception& e) {
            return core::fail(Errc::kInternal,
                              std::string("TSA HTTP server TLS set-up failed: ") + e.what());
        }
    }
    try {
        auto context = std::make_unique<net::io_context>(1);
        tcp::acceptor acceptor(*context);
        const tcp::endpoint endpoint(ip, port);
        // reuse_address: a restart binds the same port while old connections sit in TIME_WAIT.
        if (acceptor.open(endpoint.protocol(), error)
            || acceptor.set_option(net::socket_base::reuse_address(true), error)
            || acceptor.bind(endpoint, error)
            || acceptor.listen(net::socket_base::max_listen_connections, error)) {
            return core::fail(Errc::kUnavailable,
                              "TSA HTTP server cannot listen on " + std::string(address) + ":"
                                  + std::to_string(port) + ": " + error.message());
        }
        const std::uint16_t bound = acceptor.local_endpoint(error).port();
        if (error) {
            return core::fail(Errc::kUnavailable,
                              "TSA HTTP server cannot read its port: " + error.message());
        }
        net::co_spawn(*context, impl_->listen(std::move(acceptor)), &ignore_session_exception);
        impl_->thread = std::thread([context = context.get()] { context->run(); });
        impl_->context = std::move(context);
        impl_->port.store(bound);
    } catch (const std::exception& e) {  // Asio or thread set-up
        return core::fail(Errc::kInternal, std::string("TSA HTTP server failure: ") + e.what());
    }
    return {};
}

std::uint16_t TsaHttpServer::port() const noexcept {
    return impl_->port.load();
}

void TsaHttpServer::stop() noexcept {
    const std::lock_guard lock(impl_->mutex);
    if (!impl_->context) {
        return;
    }
    impl_->context->stop();
    impl_->thread.join();
    // Destroying the context destroys the suspended listener and sessions, closing their
    // sockets; connection_count (in Impl) outlives them.
    impl_->context.reset();
    impl_->port.store(0);
    // A session destroyed before it first ran never took its slot back: none is left now.
    impl_->connection_count.store(0);
}

}  // namespace facteur::tsa
