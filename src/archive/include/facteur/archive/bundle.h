#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/archive/archive.h"
#include "facteur/core/result.h"

// Evidence bundles: a self-verifying directory export of archived objects that a third party
// (auditor, tax office, court) checks with nothing but the bundle and the log's public verifier
// key. Layout (every text file ends in a newline):
//
//   README.txt            what is inside and how to verify it (French and English)
//   verifier-key.txt      the log's C2SP verifier key
//   checkpoint.txt        one signed checkpoint note; every proof leads to its root
//   checkpoint.tsr        RFC 3161 token (DER) over SHA-256(checkpoint.txt), when stamped
//   tsa-cert.pem          the certificate of the TSA that signed it (not a trust anchor:
//                         verify_bundle() trusts only the certificate its caller gives)
//   objects/<id>/original          the original bytes, exactly (absent once destroyed)
//   objects/<id>/metadata.record   the stored metadata record; SHA-256 = leaf metadata-sha256
//   objects/<id>/meta.json         the same record rendered as JSON (deterministic)
//   objects/<id>/leaf.txt          the canonical leaf entry (leaf.h)
//   objects/<id>/proof.json        leaf_index, tree_size, audit path (hex, bottom-up)
//   objects/<id>/destruction.txt   the signed destruction record (destroyed objects only)
//   MANIFEST.sha256       "<sha256 hex>  <path>" for every other file, sorted (sha256sum -c)

namespace facteur::archive {

/// What export_bundle() wrote.
struct BundleSummary {
    std::uint64_t objects = 0;    ///< object directories written
    std::uint64_t originals = 0;  ///< originals written
    std::uint64_t destroyed = 0;  ///< objects exported without original
    std::uint64_t tree_size = 0;  ///< size of the checkpoint every proof leads to
    bool timestamped = false;     ///< checkpoint.tsr written
    std::int64_t timestamp_unix_ms = 0;  ///< its genTime, when timestamped
    std::string tsa_subject;             ///< its TSA, when timestamped
    /// Why the checkpoint could not be stamped now (TSA unavailable): the bundle has no token.
    std::optional<core::Error> tsa_error;
};

/// Exports the objects matching `filter` (at most min(filter.limit, results_max)) into
/// `out_dir`, which must not exist or be empty. Forces a checkpoint, then asks for every proof
/// against that one checkpoint (retrying when a concurrent deposit signs a newer one), and
/// checks every file it writes. Reads are journaled with actor "bundle-export".
/// Errors: kInvalidInput (malformed filter), kConflict (out_dir not empty), kDataLoss, those of
/// Archive::list/get/meta/proof/checkpoint, kUnavailable (I/O, or the checkpoint kept moving).
[[nodiscard]] core::Result<BundleSummary> export_bundle(Archive& archive, const ListFilter& filter,
                                                        const std::filesystem::path& out_dir);

/// Limits applied by verify_bundle().
struct BundleLimits {
    /// Largest original read. Default: 64 MiB (ArchiveOptions::document_bytes_max).
    std::size_t original_bytes_max = 64ULL * 1024 * 1024;
    /// Largest other file read (metadata record, JSON, notes, manifest). Default: 16 MiB.
    std::size_t file_bytes_max = 16ULL * 1024 * 1024;
    /// Most objects checked. Default: 100 000.
    std::size_t objects_max = 100'000;
    /// Most problems kept in the report (all are counted). Default: 1000.
    std::size_t problems_max = 1000;
};

/// What verify_bundle() checked and found.
struct BundleReport {
    std::uint64_t objects = 0;             ///< object directories examined
    std::uint64_t originals_verified = 0;  ///< originals whose SHA-256 and size match the leaf
    std::uint64_t destroyed_verified = 0;  ///< destroyed objects with a valid destruction record
    std::uint64_t metadata_verified = 0;   ///< metadata records matching leaf and meta.json
    std::uint64_t proofs_verified = 0;     ///< leaves proven included in the checkpoint
    std::uint64_t manifest_files = 0;      ///< files whose manifest digest matches
    std::uint64_t tree_size = 0;           ///< of the verified checkpoint (0 if it failed)
    bool checkpoint_verified = false;
    bool timestamp_present = false;   ///< the bundle has checkpoint.tsr
    bool timestamp_verified = false;  ///< it verified against the given TSA certificate
    std::int64_t timestamp_unix_ms = 0;  ///< its genTime (when present and readable)
    std::string tsa_subject;             ///< its TSA's name (when present and readable)
    std::uint64_t problem_count = 0;
    std::vector<std::string> problems;  ///< the first BundleLimits::problems_max

    [[nodiscard]] bool ok() const noexcept { return problem_count == 0 && checkpoint_verified; }
};

/// Verifies the bundle in `dir` trusting only `verifier_key` (C2SP verifier key text; one
/// trailing newline allowed): the bundle's verifier-key.txt must be the same key; the checkpoint
/// must be signed by it with origin = key name; for every object, the leaf is canonical and
/// proven in the checkpoint, the original (or else a destruction record signed by the key for
/// that object) and the metadata record match the leaf, meta.json renders that record; every
/// file is listed in MANIFEST.sha256 with its digest and nothing listed is missing. Problems are
/// accumulated into `report`, never thrown; report.ok() says whether everything verified.
void verify_bundle(const std::filesystem::path& dir, std::string_view verifier_key,
                   BundleReport& report, const BundleLimits& limits = {});

/// verify_bundle() plus the time stamp: with `tsa_cert_pem` (PEM, the only trust anchor), the
/// bundle must hold checkpoint.tsr and it must verify against that certificate over
/// SHA-256(checkpoint.txt); without it, a checkpoint.tsr present is parsed and its imprint
/// checked, and report.timestamp_verified stays false.
void verify_bundle(const std::filesystem::path& dir, std::string_view verifier_key,
                   std::string_view tsa_cert_pem, BundleReport& report,
                   const BundleLimits& limits = {});

}  // namespace facteur::archive
