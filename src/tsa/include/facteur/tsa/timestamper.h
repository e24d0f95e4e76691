#pragma once

#include <memory>
#include <string>

#include "facteur/archive/archive.h"
#include "facteur/core/result.h"
#include "facteur/tsa/http_client.h"

// The archive's Timestamper on a configured RFC 3161 TSA reached over HTTP (HttpTsaClient):
// every token is verified against the TSA certificate the operator configured before the
// archive stores it.

namespace facteur::tsa {

class HttpTimestamper final : public archive::Timestamper {
public:
    /// A timestamper for the TSA at `url` whose certificate (PEM) is `certificate_pem`.
    /// Errors: those of HttpTsaClient::create(); kInvalidInput (empty certificate).
    [[nodiscard]] static core::Result<std::shared_ptr<HttpTimestamper>> create(
        const std::string& url, std::string certificate_pem);

    /// A timestamper on a client for `config` (https, its authorities and an Authorization
    /// header included); config.tsa_cert_pem is the TSA's certificate and must be set.
    /// Errors: those of HttpTsaClient::create(); kInvalidInput (empty certificate).
    [[nodiscard]] static core::Result<std::shared_ptr<HttpTimestamper>> create(
        HttpTsaClientConfig config);

    /// Errors: those of HttpTsaClient::stamp() (kUnavailable while the TSA is unreachable).
    [[nodiscard]] core::Result<std::string> stamp(const archive::Hash& digest) const override {
        return client_.stamp(digest);
    }

    [[nodiscard]] const std::string& certificate_pem() const override {
        return client_.config().tsa_cert_pem;
    }

    /// False: whether a configured TSA is qualified is for the EU trusted lists to say.
    [[nodiscard]] bool local_test_tsa() const override { return false; }

    explicit HttpTimestamper(HttpTsaClient client) : client_(std::move(client)) {}

private:
    HttpTsaClient client_;
};

}  // namespace facteur::tsa
