#include "facteur/tsa/timestamper.h"

#include <utility>

namespace facteur::tsa {

core::Result<std::shared_ptr<HttpTimestamper>> HttpTimestamper::create(
    const std::string& url, std::string certificate_pem) {
    HttpTsaClientConfig config;
    config.url = url;
    config.tsa_cert_pem = std::move(certificate_pem);
    return create(std::move(config));
}

core::Result<std::shared_ptr<HttpTimestamper>> HttpTimestamper::create(
    HttpTsaClientConfig config) {
    if (config.tsa_cert_pem.empty()) {
        return core::fail(core::Errc::kInvalidInput, "TSA-CERT", "the TSA certificate is empty",
                          "le certificat de l'autorité d'horodatage est vide");
    }
    FACTEUR_TRY_ASSIGN(HttpTsaClient client, HttpTsaClient::create(std::move(config)));
    return std::make_shared<HttpTimestamper>(std::move(client));
}

}  // namespace facteur::tsa
