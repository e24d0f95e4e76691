// RFC 3161 timestamps of checkpoints with facteur's local test TSA (crypto::LocalTsa, in
// process): stamping, proofs carrying their token, scrub, and evidence bundles verified against
// the TSA certificate. The TSA outage over real HTTP is in tests/tsa/timestamper_test.cpp.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "facteur/archive/archive.h"
#include "facteur/archive/bundle.h"
#include "facteur/archive/local_tsa.h"
#include "facteur/core/clock.h"
#include "facteur/crypto/sha256.h"
#include "facteur/crypto/timestamp.h"
#include "facteur/store/db.h"
#include "facteur/testing/testing.h"

namespace facteur::archive {
namespace {

namespace fs = std::filesystem;
using core::Errc;

constexpr std::int64_t kStartMs = 1'790'000'000'000;  // 2026-09-21

DepositRequest request(int n) {
    DepositRequest r;
    r.bytes = "<Invoice>" + std::to_string(n) + "</Invoice>";
    r.tenant = "tenant-a";
    r.invoice.seller_siren = "123456789";
    r.invoice.buyer_siren = "987654321";
    r.invoice.number = "FA-" + std::to_string(n);
    r.invoice.issue_date = "2026-03-15";
    r.invoice.type_code = "380";
    r.invoice.currency = "EUR";
    r.invoice.syntax = "UBL";
    r.verdict_json = R"({"verdict":"accepted"})";
    return r;
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class ArchiveTimestampTest : public ::testing::Test {
protected:
    ArchiveTimestampTest() : clock_(kStartMs) {
        options_.origin = "test.facteur/archive";
        options_.checkpoint_every_deposits = 4;
        tsa_ = LocalTsaTimestamper::open(dir_.path() / "tsa", clock_).value();
        options_.timestamper = tsa_;
    }

    std::unique_ptr<Archive> open() {
        auto archive = Archive::open(dir_.path() / "archive", options_, clock_);
        EXPECT_TRUE(archive) << archive.error().message;
        return archive ? std::move(*archive) : nullptr;
    }

    /// The stored checkpoint note of `size`, read through a proof-free path: the archive's
    /// database opened directly (the archive must be closed).
    std::string stored_checkpoint(std::uint64_t size) {
        auto db = store::Db::open(dir_.path() / "archive" / "db", store::DbConfig{}).value();
        return db->get(db->column_family("checkpoints").value(), store::encode_u64_be(size))
            .value()
            .value();
    }

    testing::TempDir dir_;
    core::ManualClock clock_;
    ArchiveOptions options_;
    std::shared_ptr<LocalTsaTimestamper> tsa_;
};

TEST_F(ArchiveTimestampTest, EveryCheckpointGetsATokenOverItsNote) {
    std::vector<std::string> tokens;
    {
        auto archive = open();
        for (int n = 0; n < 9; ++n) {  // checkpoints at 0 (empty tree), 4, 8
            ASSERT_TRUE(archive->deposit(request(n)));
        }
        EXPECT_FALSE(archive->timestamp_token(4).value().has_value());  // deposits never wait
        clock_.advance_ms(1500);
        const TimestampRun run = archive->stamp_pending().value();
        EXPECT_EQ(run.stamped, 3u);
        EXPECT_EQ(run.pending, 0u);
        EXPECT_FALSE(run.tsa_error.has_value());
        EXPECT_EQ(archive->stamp_pending().value().stamped, 0u);  // nothing left
        for (const std::uint64_t size : {0u, 4u, 8u}) {
            tokens.push_back(archive->timestamp_token(size).value().value());
        }
        EXPECT_EQ(archive->tsa_certificates().value(),
                  std::vector<std::string>{tsa_->certificate_pem()});
        const ScrubReport report = archive->scrub().value();
        EXPECT_TRUE(report.ok());
        EXPECT_EQ(report.timestamps, 3u);
        EXPECT_EQ(report.timestamps_pending, 0u);
    }
    const std::uint64_t sizes[] = {0, 4, 8};
    for (std::size_t i = 0; i < 3; ++i) {
        const std::string note = stored_checkpoint(sizes[i]);
        const auto digest = crypto::sha256(note).value();
        const auto info = crypto::verify_timestamp_token(crypto::as_bytes(tokens[i]), digest,
                                                         tsa_->certificate_pem());
        ASSERT_TRUE(info) << info.error().message;
        EXPECT_EQ(info->gen_time_unix_ms, kStartMs + 1500);
        EXPECT_EQ(info->policy_oid, crypto::kLocalTsaPolicyOid);
        EXPECT_NE(info->tsa_subject.find("NOT QUALIFIED"), std::string::npos);
        // A token is bound to its own checkpoint.
        const auto other = crypto::sha256(stored_checkpoint(sizes[(i + 1) % 3])).value();
        EXPECT_FALSE(crypto::verify_timestamp_token(crypto::as_bytes(tokens[i]), other,
                                                    tsa_->certificate_pem()));
    }
}

TEST_F(ArchiveTimestampTest, ProofsCarryTheirCheckpointsToken) {
    auto archive = open();
    const Receipt receipt = archive->deposit(request(1)).value();
    ASSERT_TRUE(archive->checkpoint());
    EXPECT_TRUE(archive->proof(receipt.id).value().timestamp_token.empty());  // still pending
    ASSERT_EQ(archive->stamp_pending().value().stamped, 2u);
    const InclusionProof proof = archive->proof(receipt.id).value();
    ASSERT_FALSE(proof.timestamp_token.empty());
    EXPECT_TRUE(crypto::verify_timestamp_token(crypto::as_bytes(proof.timestamp_token),
                                               crypto::sha256(proof.checkpoint).value(),
                                               tsa_->certificate_pem()));
}

TEST_F(ArchiveTimestampTest, WithoutATsaCheckpointsStayPendingAndAreStampedLater) {
    options_.timestamper = nullptr;
    {
        auto archive = open();
        for (int n = 0; n < 5; ++n) {
            ASSERT_TRUE(archive->deposit(request(n)));
        }
        EXPECT_EQ(archive->stamp_pending().error().code, Errc::kInvalidInput);
        const ScrubReport report = archive->scrub().value();
        EXPECT_TRUE(report.ok());
        EXPECT_EQ(report.timestamps, 0u);
        EXPECT_EQ(report.timestamps_pending, 2u);  // sizes 0 and 4
    }
    options_.timestamper = tsa_;
    options_.timestamps_per_call_max = 1;  // a backlog is worked off a bounded batch at a time
    auto archive = open();
    TimestampRun run = archive->stamp_pending().value();
    EXPECT_EQ(run.stamped, 1u);
    EXPECT_EQ(run.pending, 1u);
    run = archive->stamp_pending().value();
    EXPECT_EQ(run.stamped, 1u);
    EXPECT_EQ(run.pending, 0u);
    EXPECT_EQ(archive->scrub().value().timestamps, 2u);
}

TEST_F(ArchiveTimestampTest, ScrubRejectsARewrittenOrMovedToken) {
    {
        auto archive = open();
        for (int n = 0; n < 8; ++n) {
            ASSERT_TRUE(archive->deposit(request(n)));
        }
        ASSERT_TRUE(archive->stamp_pending());
    }
    {
        auto db = store::Db::open(dir_.path() / "archive" / "db", store::DbConfig{}).value();
        const auto cf = db->column_family("timestamps").value();
        std::string token = db->get(cf, store::encode_u64_be(4)).value().value();
        store::WriteBatch batch;
        ASSERT_TRUE(batch.put(cf, store::encode_u64_be(8), token));  // moved to checkpoint 8
        token[token.size() - 5] = static_cast<char>(token[token.size() - 5] ^ 1);
        ASSERT_TRUE(batch.put(cf, store::encode_u64_be(4), token));  // rewritten
        ASSERT_TRUE(db->write(batch));
    }
    auto archive = open();
    const ScrubReport report = archive->scrub().value();
    EXPECT_EQ(report.problem_count, 2u);
    EXPECT_EQ(report.timestamps, 1u);
}

TEST_F(ArchiveTimestampTest, BundlesCarryTheTokenAndVerifyAgainstTheTsaCertificateOnly) {
    auto archive = open();
    for (int n = 0; n < 3; ++n) {
        ASSERT_TRUE(archive->deposit(request(n)));
    }
    const fs::path bundle = dir_.path() / "bundle";
    const BundleSummary summary = export_bundle(*archive, ListFilter{}, bundle).value();
    ASSERT_TRUE(summary.timestamped);
    EXPECT_EQ(read_bytes(bundle / "tsa-cert.pem"), tsa_->certificate_pem());
    const std::string key = archive->verifier().verifier_key();

    BundleReport report;
    verify_bundle(bundle, key, tsa_->certificate_pem(), report);
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
    EXPECT_TRUE(report.timestamp_verified);
    EXPECT_EQ(report.timestamp_unix_ms, kStartMs);

    // Another TSA's certificate is not a trust anchor for this token.
    auto other = LocalTsaTimestamper::open(dir_.path() / "other-tsa", clock_).value();
    BundleReport wrong_tsa;
    verify_bundle(bundle, key, other->certificate_pem(), wrong_tsa);
    EXPECT_FALSE(wrong_tsa.ok());

    // A flipped token byte (manifest updated too, as a forger would) is caught by the TSA check.
    const std::string token = read_bytes(bundle / "checkpoint.tsr");
    std::string flipped = token;
    flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 1);
    std::ofstream(bundle / "checkpoint.tsr", std::ios::binary | std::ios::trunc) << flipped;
    BundleReport forged;
    verify_bundle(bundle, key, tsa_->certificate_pem(), forged);
    EXPECT_FALSE(forged.ok());

    // Without the token, a verifier that asks for the time stamp fails; one that does not, passes
    // once the manifest no longer lists it... but the manifest still does, so both fail here.
    fs::remove(bundle / "checkpoint.tsr");
    BundleReport missing;
    verify_bundle(bundle, key, tsa_->certificate_pem(), missing);
    EXPECT_FALSE(missing.ok());
    bool says_missing = false;
    for (const std::string& problem : missing.problems) {
        says_missing = says_missing || problem.find("checkpoint.tsr: missing") != std::string::npos;
    }
    EXPECT_TRUE(says_missing);
}

}  // namespace
}  // namespace facteur::archive
