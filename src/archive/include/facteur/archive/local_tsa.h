#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "facteur/archive/archive.h"
#include "facteur/core/clock.h"
#include "facteur/core/result.h"
#include "facteur/crypto/timestamp.h"

// The archive's Timestamper on facteur's local test TSA (crypto::LocalTsa), in process: the
// default embedded set-up and the tests. Its tokens are NOT QUALIFIED (a self-signed
// certificate, a key on local disk, the local clock): they date checkpoints for the operator,
// not for a third party; production configures a real TSA (tsa::HttpTsaClient).

namespace facteur::archive {

class LocalTsaTimestamper final : public Timestamper {
public:
    /// The local TSA whose key and certificate are in `dir` (created on first use, see
    /// crypto::LocalTsa::open_or_create). `clock` must outlive the timestamper.
    /// Errors: those of crypto::LocalTsa::open_or_create().
    [[nodiscard]] static core::Result<std::shared_ptr<LocalTsaTimestamper>> open(
        const std::filesystem::path& dir, const core::Clock& clock);

    /// Errors: kInternal (the local TSA failed to answer), kInvalidInput (it rejected the
    /// request: never for a SHA-256 digest).
    [[nodiscard]] core::Result<std::string> stamp(const Hash& digest) const override;

    [[nodiscard]] const std::string& certificate_pem() const override {
        return tsa_.certificate_pem();
    }

    [[nodiscard]] bool local_test_tsa() const override { return true; }

    explicit LocalTsaTimestamper(crypto::LocalTsa tsa) : tsa_(std::move(tsa)) {}

private:
    crypto::LocalTsa tsa_;
};

}  // namespace facteur::archive
