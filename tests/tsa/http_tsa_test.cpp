#include <array>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "facteur/core/clock.h"
#include "facteur/crypto/sha256.h"
#include "facteur/crypto/timestamp.h"
#include "facteur/testing/testing.h"
#include "facteur/tsa/http_client.h"
#include "facteur/tsa/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace facteur::tsa {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::int64_t kClockUnixMs = 1735689600123;  // 2025-01-01T00:00:00.123Z
constexpr int kPollTimeoutMs = 10'000;  // bounds every blocking call of the test's own sockets
constexpr std::size_t kReceiveBytesMax = std::size_t{4} * 1024 * 1024;

// --- Plain loopback sockets, for what an HTTP client library would refuse to send -------------

class Fd {
public:
    explicit Fd(int fd = -1) noexcept : fd_(fd) {}

    Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

    Fd& operator=(Fd&& other) noexcept {
        std::swap(fd_, other.fd_);
        return *this;
    }

    ~Fd() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }

    [[nodiscard]] int get() const noexcept { return fd_; }

private:
    int fd_;
};

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

// A listening socket on 127.0.0.1 and an ephemeral port.
Fd listen_loopback(std::uint16_t& port) {
    Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address = loopback(0);
    socklen_t length = sizeof address;
    EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(fd.get(), 8), 0);
    EXPECT_EQ(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length), 0);
    port = ntohs(address.sin_port);
    return fd;
}

Fd connect_loopback(std::uint16_t port) {
    Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    const sockaddr_in address = loopback(port);
    EXPECT_EQ(::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address), 0)
        << std::strerror(errno);
    return fd;
}

bool readable(int fd, int timeout_ms) {
    pollfd entry{fd, POLLIN, 0};
    return ::poll(&entry, 1, timeout_ms) == 1;
}

void send_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent <= 0) {
            return;  // the peer closed: what it answered is still read after
        }
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
}

// Everything the peer sends until it closes (bounded in time and size).
std::string receive_all(int fd) {
    std::string out;
    std::array<char, std::size_t{16} * 1024> chunk{};
    while (out.size() < kReceiveBytesMax && readable(fd, kPollTimeoutMs)) {
        const ssize_t got = ::recv(fd, chunk.data(), chunk.size(), 0);
        if (got <= 0) {
            break;
        }
        out.append(chunk.data(), static_cast<std::size_t>(got));
    }
    return out;
}

std::string raw_exchange(std::uint16_t port, std::string_view bytes) {
    const Fd fd = connect_loopback(port);
    send_all(fd.get(), bytes);
    return receive_all(fd.get());
}

std::string post_request(std::string_view content_type, std::string_view body,
                         std::string_view extra_headers = "") {
    std::string request = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!content_type.empty()) {
        request += "Content-Type: " + std::string(content_type) + "\r\n";
    }
    request += std::string(extra_headers);
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    return request + std::string(body);
}

std::string status_line(const std::string& response) {
    return response.substr(0, response.find("\r\n"));
}

std::string body_of(const std::string& response) {
    const std::size_t end = response.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : response.substr(end + 4);
}

// A loopback peer that accepts one connection, reads the request, answers `response` (raw
// bytes) and closes; with `answer` false it accepts and stays silent until destroyed.
class LoopbackPeer {
public:
    explicit LoopbackPeer(std::optional<std::string> response)
        : listener_(listen_loopback(port_)), response_(std::move(response)) {
        thread_ = std::thread([this] { serve(); });
    }

    ~LoopbackPeer() { thread_.join(); }

    LoopbackPeer(const LoopbackPeer&) = delete;
    LoopbackPeer& operator=(const LoopbackPeer&) = delete;

    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

    [[nodiscard]] std::string url() const {
        return "http://127.0.0.1:" + std::to_string(port_) + "/";
    }

private:
    void serve() {
        if (!readable(listener_.get(), kPollTimeoutMs)) {
            return;
        }
        connection_ = Fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!response_) {
            return;  // silent: the connection stays open, unanswered, until the destructor
        }
        // Read the header block and the Content-Length body before answering.
        std::string request;
        std::array<char, 4096> chunk{};
        std::size_t needed = std::string::npos;
        while (request.size() < needed && readable(connection_.get(), kPollTimeoutMs)) {
            const ssize_t got = ::recv(connection_.get(), chunk.data(), chunk.size(), 0);
            if (got <= 0) {
                break;
            }
            request.append(chunk.data(), static_cast<std::size_t>(got));
            const std::size_t end = request.find("\r\n\r\n");
            const std::size_t length_at = request.find("Content-Length: ");
            if (end != std::string::npos && length_at != std::string::npos) {
                needed = end + 4 + std::stoul(request.substr(length_at + 16));
            }
        }
        send_all(connection_.get(), *response_);
        connection_ = Fd();
    }

    std::uint16_t port_ = 0;
    Fd listener_;
    Fd connection_;
    std::optional<std::string> response_;
    std::thread thread_;
};

std::string http_reply(std::string_view status, std::string_view content_type,
                       std::string_view body) {
    return "HTTP/1.1 " + std::string(status) + "\r\nContent-Type: " + std::string(content_type)
           + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n"
           + std::string(body);
}

// --- Fixture: a LocalTsa served on 127.0.0.1, port 0 -----------------------------------------

class HttpTsaTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto tsa = crypto::LocalTsa::open_or_create(dir_.path() / "tsa", clock_);
        ASSERT_TRUE(tsa) << tsa.error().message;
        tsa_.emplace(std::move(*tsa));
        server_.emplace(*tsa_);
        const auto started = server_->start("127.0.0.1", 0);
        ASSERT_TRUE(started) << started.error().message;
        ASSERT_NE(server_->port(), 0);
    }

    [[nodiscard]] std::string url(std::string_view path = "/") const {
        return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(path);
    }

    [[nodiscard]] HttpTsaClient client(HttpTsaClientConfig config = {}) const {
        if (config.url.empty()) {
            config.url = url();
        }
        auto made = HttpTsaClient::create(std::move(config));
        EXPECT_TRUE(made) << made.error().message;
        return std::move(*made);
    }

    // A valid TimeStampResp for another request (another nonce), as a replaying server sends.
    [[nodiscard]] std::string response_for(crypto::ByteView digest) const {
        const auto request = crypto::make_timestamp_request(digest);
        return tsa_->respond(crypto::as_bytes(request.value().der)).value();
    }

    void expect_serving() const {
        const auto token = client().stamp(digest_);
        ASSERT_TRUE(token) << token.error().message;
        EXPECT_TRUE(crypto::verify_timestamp_token(crypto::as_bytes(*token), digest_,
                                                   tsa_->certificate_pem()));
    }

    testing::TempDir dir_;
    core::ManualClock clock_{kClockUnixMs};
    std::optional<crypto::LocalTsa> tsa_;
    std::optional<TsaHttpServer> server_;
    crypto::Sha256Digest digest_ = crypto::sha256(std::string_view("checkpoint 7")).value();
};

TEST_F(HttpTsaTest, ClientStampsAndTheTokenVerifiesAgainstTheServersCertificate) {
    const auto token = client().stamp(digest_);
    ASSERT_TRUE(token) << token.error().message;
    const auto info =
        crypto::verify_timestamp_token(crypto::as_bytes(*token), digest_, tsa_->certificate_pem());
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_EQ(info->gen_time_unix_ms, kClockUnixMs);
    EXPECT_EQ(info->policy_oid, crypto::kLocalTsaPolicyOid);
    EXPECT_TRUE(info->nonce_hex.has_value());

    // Any path and a query are served; the client can verify with the certificate itself.
    HttpTsaClientConfig config;
    config.url = url("/some/path?x=1");
    config.tsa_cert_pem = tsa_->certificate_pem();
    const auto verified = client(config).stamp(digest_);
    ASSERT_TRUE(verified) << verified.error().message;
}

TEST_F(HttpTsaTest, ClientRefusesATokenThatDoesNotVerifyAgainstItsConfiguredCertificate) {
    auto other = crypto::LocalTsa::open_or_create(dir_.path() / "other", clock_);
    ASSERT_TRUE(other);
    HttpTsaClientConfig config;
    config.tsa_cert_pem = other->certificate_pem();
    const auto token = client(config).stamp(digest_);
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().code, core::Errc::kDataLoss) << token.error().message;
}

TEST_F(HttpTsaTest, StoppedServerGivesUnavailableQuicklyAndARestartServesAgain) {
    const std::uint16_t port = server_->port();
    const HttpTsaClient tsa_client = client();
    server_->stop();
    EXPECT_EQ(server_->port(), 0);
    const auto start = Clock::now();
    const auto refused = tsa_client.stamp(digest_);
    const auto elapsed = Clock::now() - start;
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::Errc::kUnavailable);
    EXPECT_NE(refused.error().message.find("cannot connect"), std::string::npos)
        << refused.error().message;
    EXPECT_LT(elapsed, std::chrono::seconds(1));

    const auto restarted = server_->start("127.0.0.1", port);
    ASSERT_TRUE(restarted) << restarted.error().message;
    EXPECT_EQ(server_->port(), port);
    const auto token = tsa_client.stamp(digest_);
    ASSERT_TRUE(token) << token.error().message;
}

TEST_F(HttpTsaTest, ProtocolErrorsGetHttpErrorsAndTheServerKeepsServing) {
    const std::uint16_t port = server_->port();
    const std::string get =
        raw_exchange(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(status_line(get), "HTTP/1.1 405 Method Not Allowed");
    EXPECT_NE(get.find("Allow: POST\r\n"), std::string::npos) << get;
    EXPECT_NE(get.find("NOT QUALIFIED"), std::string::npos) << get;  // Server: field

    const auto request = crypto::make_timestamp_request(digest_).value();
    EXPECT_EQ(status_line(raw_exchange(port, post_request("text/plain", request.der))),
              "HTTP/1.1 415 Unsupported Media Type");
    EXPECT_EQ(status_line(raw_exchange(port, post_request("", request.der))),
              "HTTP/1.1 415 Unsupported Media Type");
    EXPECT_EQ(status_line(raw_exchange(port, "GARBAGE\r\n\r\n")), "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(status_line(raw_exchange(
                  port, std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11))),
              "HTTP/1.1 400 Bad Request");  // a TLS ClientHello
    EXPECT_EQ(status_line(raw_exchange(
                  port, "POST / HTTP/1.1\r\nHost: x\r\nX: " + std::string(9000, 'a') + "\r\n\r\n")),
              "HTTP/1.1 431 Request Header Fields Too Large");

    // Garbage with the right content type: a TimeStampResp saying rejection (RFC 3161 §3.4).
    const std::string garbage =
        raw_exchange(port, post_request("application/timestamp-query", "not a request"));
    EXPECT_EQ(status_line(garbage), "HTTP/1.1 200 OK");
    EXPECT_NE(garbage.find("Content-Type: application/timestamp-reply\r\n"), std::string::npos);
    const auto rejection =
        crypto::timestamp_token_from_response(crypto::as_bytes(body_of(garbage)));
    ASSERT_FALSE(rejection);
    EXPECT_NE(rejection.error().message.find("badDataFormat"), std::string::npos)
        << rejection.error().message;

    // A proper request over a raw socket, with parameters in the content type.
    const std::string granted = raw_exchange(
        port, post_request("Application/Timestamp-Query; charset=binary", request.der));
    EXPECT_EQ(status_line(granted), "HTTP/1.1 200 OK");
    EXPECT_TRUE(crypto::timestamp_token_from_response(crypto::as_bytes(body_of(granted))));

    expect_serving();
}

TEST_F(HttpTsaTest, BodyIsServedAtTheLimitAndRefused413OneByteOver) {
    const std::uint16_t port = server_->port();
    const std::string at_limit(crypto::kTimestampDerBytesMax, '\0');
    const std::string served =
        raw_exchange(port, post_request("application/timestamp-query", at_limit));
    EXPECT_EQ(status_line(served), "HTTP/1.1 200 OK");  // read, and rejected as not DER

    const std::string over = at_limit + "x";  // sent whole: the server drains it
    EXPECT_EQ(status_line(raw_exchange(port, post_request("application/timestamp-query", over))),
              "HTTP/1.1 413 Payload Too Large");
    // Only announced: refused from the header, before any body byte.
    const std::string announced =
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: "
        "application/timestamp-query\r\nContent-Length: 1000000000\r\n\r\n";
    EXPECT_EQ(status_line(raw_exchange(port, announced)), "HTTP/1.1 413 Payload Too Large");

    expect_serving();
}

TEST_F(HttpTsaTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    const auto first = crypto::make_timestamp_request(digest_).value();
    const auto second = crypto::make_timestamp_request(digest_).value();
    std::string both = post_request("application/timestamp-query", first.der);
    both.replace(both.find("Connection: close\r\n"), 19, "");  // keep the first one alive
    both += post_request("application/timestamp-query", second.der);
    const std::string answers = raw_exchange(server_->port(), both);
    std::size_t count = 0;
    for (std::size_t at = answers.find("HTTP/1.1 200 OK"); at != std::string::npos;
         at = answers.find("HTTP/1.1 200 OK", at + 1)) {
        ++count;
    }
    EXPECT_EQ(count, 2u) << answers.substr(0, 300);
}

TEST_F(HttpTsaTest, ConnectionsOverTheLimitAreClosedAndServedAgainOnceOneEnds) {
    server_->stop();
    TsaHttpServerConfig config;
    config.connection_count_max = 1;
    server_.emplace(*tsa_, config);
    ASSERT_TRUE(server_->start("127.0.0.1", 0));
    // Takes the one slot: connections are accepted in order, so it is counted before the next.
    std::optional<Fd> holder = connect_loopback(server_->port());
    const HttpTsaClient tsa_client = client();
    const core::Result<std::string> refused = tsa_client.stamp(digest_);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::Errc::kUnavailable) << refused.error().message;

    holder.reset();  // the server sees the close and frees the slot
    core::Result<std::string> served = tsa_client.stamp(digest_);
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (!served && Clock::now() < deadline) {
        served = tsa_client.stamp(digest_);
    }
    EXPECT_TRUE(served) << served.error().message;
}

TEST_F(HttpTsaTest, ClientTimesOutAgainstAListenerThatNeverAnswers) {
    const LoopbackPeer silent(std::nullopt);
    HttpTsaClientConfig config;
    config.url = silent.url();
    config.io_timeout_ms = 300;
    const auto start = Clock::now();
    const auto token = client(config).stamp(digest_);
    const auto elapsed = Clock::now() - start;
    ASSERT_FALSE(token);
    EXPECT_EQ(token.error().code, core::Errc::kUnavailable);
    EXPECT_NE(token.error().message.find("no complete reply within 300 ms"), std::string::npos)
        << token.error().message;
    EXPECT_GE(elapsed, std::chrono::milliseconds(250));
    EXPECT_LT(elapsed, std::chrono::milliseconds(1300));
}

TEST_F(HttpTsaTest, ClientRefusesBadReplies) {
    struct Case {
        const char* name;
        std::string reply;
        core::Errc code;
        const char* message;
    };

    const std::string reply_der = response_for(digest_);  // valid, but for another nonce
    const auto other_digest = crypto::sha256(std::string_view("other")).value();
    const Case cases[] = {
        {"HTTP 503", http_reply("503 Service Unavailable", "text/plain", "busy"),
         core::Errc::kUnavailable, "answered HTTP 503"},
        {"wrong content type", http_reply("200 OK", "text/html", reply_der),
         core::Errc::kInvalidInput, "Content-Type 'text/html'"},
        {"not DER", http_reply("200 OK", "application/timestamp-reply", "garbage"),
         core::Errc::kInvalidInput, "not a DER TimeStampResp"},
        {"rejection",
         http_reply("200 OK", "application/timestamp-reply",
                    tsa_->respond(crypto::as_bytes(std::string("x"))).value()),
         core::Errc::kInvalidInput, "rejection"},
        {"replayed nonce", http_reply("200 OK", "application/timestamp-reply", reply_der),
         core::Errc::kDataLoss, "another nonce"},
        {"other digest",
         http_reply("200 OK", "application/timestamp-reply", response_for(other_digest)),
         core::Errc::kDataLoss, "another digest"},
        {"oversized",
         http_reply("200 OK", "application/timestamp-reply",
                    std::string(crypto::kTimestampDerBytesMax + 1, 'x')),
         core::Errc::kResourceExhausted, "body over 65536 bytes"},
        {"closed without a reply", "", core::Errc::kUnavailable, "closed the connection"},
        {"not HTTP", "SSH-2.0-OpenSSH_9.2\r\n\r\n", core::Errc::kInvalidInput, "not HTTP/1.1"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const LoopbackPeer peer(c.reply);
        HttpTsaClientConfig config;
        config.url = peer.url();
        const auto token = client(config).stamp(digest_);
        ASSERT_FALSE(token);
        EXPECT_EQ(token.error().code, c.code) << token.error().message;
        EXPECT_NE(token.error().message.find(c.message), std::string::npos)
            << token.error().message;
    }
}

TEST(HttpTsaClientTest, CreateChecksTheUrlAndTheLimits) {
    struct Case {
        std::string url;
        core::Errc code;
    };

    const Case cases[] = {
        {"ftp://tsa.example/", core::Errc::kInvalidInput},
        {"not a url", core::Errc::kInvalidInput},
        {"", core::Errc::kInvalidInput},
        {"http:///path", core::Errc::kInvalidInput},
        {"http://user:secret@tsa.example/", core::Errc::kInvalidInput},
        {"http://127.0.0.1:99999/", core::Errc::kInvalidInput},
        {"http://127.0.0.1:0/", core::Errc::kInvalidInput},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.url);
        HttpTsaClientConfig config;
        config.url = c.url;
        const auto made = HttpTsaClient::create(config);
        ASSERT_FALSE(made);
        EXPECT_EQ(made.error().code, c.code) << made.error().message;
    }
    // https: the system's authorities by default, or a file of them that must load; an
    // Authorization header only over https, and on one line.
    HttpTsaClientConfig secure;
    secure.url = "https://tsa.example/";
    EXPECT_TRUE(HttpTsaClient::create(secure));
    secure.tls_ca_file = "/nonexistent/ca.pem";
    EXPECT_EQ(HttpTsaClient::create(secure).error().code, core::Errc::kInvalidInput);
    secure.tls_ca_file.clear();
    secure.authorization = "Basic dXNlcjpwYXNz\r\nX-Injected: 1";
    EXPECT_EQ(HttpTsaClient::create(secure).error().code, core::Errc::kInvalidInput);
    secure.authorization = "Basic dXNlcjpwYXNz";
    EXPECT_TRUE(HttpTsaClient::create(secure));
    secure.url = "http://tsa.example/";
    const auto in_clear = HttpTsaClient::create(secure);
    ASSERT_FALSE(in_clear);
    EXPECT_EQ(in_clear.error().code, core::Errc::kInvalidInput);
    EXPECT_EQ(in_clear.error().message.find("dXNlcjpwYXNz"), std::string::npos);

    HttpTsaClientConfig config;
    config.url = "http://[::1]:3180/tsa";
    EXPECT_TRUE(HttpTsaClient::create(config));
    config.io_timeout_ms = 0;
    EXPECT_FALSE(HttpTsaClient::create(config));

    config.io_timeout_ms = 5000;
    const auto made = HttpTsaClient::create(config);
    ASSERT_TRUE(made);
    const std::array<std::uint8_t, 20> sha1_sized{};
    const auto stamped = made->stamp(sha1_sized);  // refused before any connection
    ASSERT_FALSE(stamped);
    EXPECT_EQ(stamped.error().code, core::Errc::kInvalidInput);
}

TEST_F(HttpTsaTest, StartRefusesABadAddressASecondStartAndAPortInUse) {
    const auto again = server_->start("127.0.0.1", 0);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::Errc::kConflict);
    TsaHttpServer second(*tsa_);
    const auto by_name = second.start("localhost", 0);
    ASSERT_FALSE(by_name);
    EXPECT_EQ(by_name.error().code, core::Errc::kInvalidInput);
    const auto in_use = second.start("127.0.0.1", server_->port());
    ASSERT_FALSE(in_use);
    EXPECT_EQ(in_use.error().code, core::Errc::kUnavailable) << in_use.error().message;
    EXPECT_EQ(second.port(), 0);
}

}  // namespace
}  // namespace facteur::tsa
