// RFC 3161 timestamps of checkpoints: stamp_pending() (off the deposit path), the stored
// tokens, the TSA certificates, and the local test TSA's Timestamper.

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "facteur/archive/archive.h"
#include "facteur/archive/local_tsa.h"
#include "facteur/crypto/encoding.h"
#include "facteur/crypto/sha256.h"
#include "facteur/crypto/timestamp.h"

#include "archive_impl.h"

namespace facteur::archive {

namespace {

using core::Errc;

/// A checkpoint waiting for its token.
struct PendingCheckpoint {
    std::string key;  // be64(tree size)
    std::string note;
};

}  // namespace

core::Result<std::shared_ptr<LocalTsaTimestamper>> LocalTsaTimestamper::open(
    const std::filesystem::path& dir, const core::Clock& clock) {
    FACTEUR_TRY_ASSIGN(crypto::LocalTsa tsa, crypto::LocalTsa::open_or_create(dir, clock));
    return std::make_shared<LocalTsaTimestamper>(std::move(tsa));
}

core::Result<std::string> LocalTsaTimestamper::stamp(const Hash& digest) const {
    FACTEUR_TRY_ASSIGN(const crypto::TimestampRequest request,
                       crypto::make_timestamp_request(digest));
    FACTEUR_TRY_ASSIGN(const std::string response, tsa_.respond(crypto::as_bytes(request.der)));
    return crypto::timestamp_token_from_response(crypto::as_bytes(response));
}

core::Result<TimestampRun> Archive::stamp_pending() {
    if (!options_.timestamper) {
        return core::fail(Errc::kInvalidInput, "no time-stamping authority is configured");
    }
    Impl& impl = *impl_;
    const std::lock_guard lock(impl.stamp_mu);
    // Tokens are stored in checkpoint order, so the pending checkpoints are those after the
    // last stamped one (an archive that had no TSA before starts from its first checkpoint).
    FACTEUR_TRY_ASSIGN(const auto last_stamped, impl.db->last(impl.cf.timestamps));
    std::string from;
    if (last_stamped) {
        FACTEUR_TRY_ASSIGN(const std::uint64_t size, store::decode_u64_be(last_stamped->first));
        from = store::encode_u64_be(size + 1);
    }
    std::vector<PendingCheckpoint> pending;
    std::uint64_t pending_count = 0;
    FACTEUR_TRY(impl.db->scan(impl.cf.checkpoints, from, "",
                              [&](std::string_view key, std::string_view note)
                                  -> core::Result<store::Visit> {
                                  ++pending_count;
                                  if (pending.size() < options_.timestamps_per_call_max) {
                                      pending.push_back({std::string(key), std::string(note)});
                                  }
                                  return store::Visit::kContinue;
                              }));
    TimestampRun run;
    run.pending = pending_count;
    const Timestamper& tsa = *options_.timestamper;
    FACTEUR_TRY_ASSIGN(const crypto::Sha256Digest cert_hash, crypto::sha256(tsa.certificate_pem()));
    const std::string cert_key =
        std::string(kStateTsaCertPrefix) + crypto::to_hex(cert_hash);
    for (const PendingCheckpoint& checkpoint : pending) {
        FACTEUR_TRY_ASSIGN(const crypto::Sha256Digest digest, crypto::sha256(checkpoint.note));
        auto token = tsa.stamp(digest);
        if (token) {
            // Never store what does not verify against the TSA's own certificate.
            if (auto verified = crypto::verify_timestamp_token(crypto::as_bytes(*token), digest,
                                                               tsa.certificate_pem());
                !verified) {
                token = tl::unexpected(verified.error());
            }
        }
        if (!token) {
            run.tsa_error = token.error();
            break;
        }
        store::WriteBatch batch;
        FACTEUR_TRY(batch.put(impl.cf.state, cert_key, tsa.certificate_pem()));
        FACTEUR_TRY(batch.put(impl.cf.timestamps, checkpoint.key, *token));
        FACTEUR_TRY(impl.db->write(batch));
        ++run.stamped;
        --run.pending;
    }
    return run;
}

core::Result<std::optional<std::string>> Archive::timestamp_token(std::uint64_t tree_size) const {
    return impl_->db->get(impl_->cf.timestamps, store::encode_u64_be(tree_size));
}

core::Result<std::vector<std::string>> Archive::tsa_certificates() const {
    return archive::tsa_certificates(*impl_);
}

core::Result<std::vector<std::string>> tsa_certificates(const Archive::Impl& impl) {
    std::vector<std::string> certificates;
    FACTEUR_TRY(impl.db->scan_prefix(
        impl.cf.state, kStateTsaCertPrefix,
        [&](std::string_view, std::string_view pem) -> core::Result<store::Visit> {
            certificates.emplace_back(pem);
            return store::Visit::kContinue;
        }));
    return certificates;
}

}  // namespace facteur::archive
