// The archive stamping its checkpoints through a real RFC 3161 TSA over HTTP (the local test
// TSA served on 127.0.0.1, port 0): a TSA outage never blocks deposits; the checkpoints signed
// meanwhile wait for their tokens and get them when the TSA is back.

#include "facteur/tsa/timestamper.h"

#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "facteur/archive/archive.h"
#include "facteur/core/clock.h"
#include "facteur/crypto/sha256.h"
#include "facteur/crypto/timestamp.h"
#include "facteur/testing/testing.h"
#include "facteur/tsa/http_server.h"

namespace facteur::tsa {
namespace {

using core::Errc;

archive::DepositRequest request(int n) {
    archive::DepositRequest r;
    r.bytes = "<Invoice>" + std::to_string(n) + "</Invoice>";
    r.tenant = "tenant-a";
    r.invoice.seller_siren = "123456789";
    r.invoice.number = "FA-" + std::to_string(n);
    r.invoice.issue_date = "2026-03-15";
    r.invoice.type_code = "380";
    r.invoice.currency = "EUR";
    r.invoice.syntax = "UBL";
    r.verdict_json = R"({"verdict":"accepted"})";
    return r;
}

TEST(HttpTimestamperTest, ATsaOutageNeverBlocksDepositsAndPendingCheckpointsAreStampedLater) {
    testing::TempDir dir;
    core::ManualClock clock(1'790'000'000'000);
    const crypto::LocalTsa local = crypto::LocalTsa::open_or_create(dir.path() / "tsa", clock).value();
    auto server = std::make_unique<TsaHttpServer>(local);
    ASSERT_TRUE(server->start("127.0.0.1", 0));
    const std::uint16_t port = server->port();
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/tsa";

    archive::ArchiveOptions options;
    options.checkpoint_every_deposits = 2;
    options.timestamper = HttpTimestamper::create(url, local.certificate_pem()).value();
    auto archive = archive::Archive::open(dir.path() / "archive", options, clock).value();

    for (int n = 0; n < 2; ++n) {
        ASSERT_TRUE(archive->deposit(request(n)));
    }
    archive::TimestampRun run = archive->stamp_pending().value();
    EXPECT_EQ(run.stamped, 2u);  // sizes 0 and 2
    EXPECT_EQ(run.pending, 0u);

    // The TSA goes down: deposits go on at once, their checkpoints wait.
    server->stop();
    const auto start = std::chrono::steady_clock::now();
    for (int n = 2; n < 8; ++n) {
        ASSERT_TRUE(archive->deposit(request(n)));
    }
    const auto deposit_time = std::chrono::steady_clock::now() - start;
    EXPECT_LT(deposit_time, std::chrono::seconds(2));  // no TSA timeout on the deposit path
    run = archive->stamp_pending().value();
    EXPECT_EQ(run.stamped, 0u);
    EXPECT_EQ(run.pending, 3u);  // sizes 4, 6, 8
    ASSERT_TRUE(run.tsa_error.has_value());
    EXPECT_EQ(run.tsa_error->code, Errc::kUnavailable);
    EXPECT_FALSE(archive->timestamp_token(4).value().has_value());
    EXPECT_EQ(archive->scrub().value().timestamps_pending, 3u);
    EXPECT_TRUE(archive->scrub().value().ok());  // pending is not a problem

    // The TSA is back: every pending checkpoint gets its token, oldest first.
    server = std::make_unique<TsaHttpServer>(local);
    ASSERT_TRUE(server->start("127.0.0.1", port));
    clock.advance_ms(60'000);
    run = archive->stamp_pending().value();
    EXPECT_EQ(run.stamped, 3u);
    EXPECT_EQ(run.pending, 0u);
    EXPECT_FALSE(run.tsa_error.has_value());
    const archive::ScrubReport report = archive->scrub().value();
    EXPECT_TRUE(report.ok());
    EXPECT_EQ(report.timestamps, 5u);
    EXPECT_EQ(report.timestamps_pending, 0u);
    const std::string token = archive->timestamp_token(8).value().value();
    const archive::InclusionProof proof = archive->proof(archive->list({}).value().back().id).value();
    EXPECT_EQ(proof.timestamp_token, token);
    const auto info = crypto::verify_timestamp_token(
        crypto::as_bytes(token), crypto::sha256(proof.checkpoint).value(), local.certificate_pem());
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_EQ(info->gen_time_unix_ms, 1'790'000'060'000);  // stamped when the TSA came back
}

TEST(HttpTimestamperTest, ATokenFromAnotherTsaIsNeverStored) {
    testing::TempDir dir;
    core::ManualClock clock(1'790'000'000'000);
    const crypto::LocalTsa serving = crypto::LocalTsa::open_or_create(dir.path() / "a", clock).value();
    const crypto::LocalTsa configured =
        crypto::LocalTsa::open_or_create(dir.path() / "b", clock).value();
    TsaHttpServer server(serving);
    ASSERT_TRUE(server.start("127.0.0.1", 0));
    archive::ArchiveOptions options;
    options.timestamper = HttpTimestamper::create(
                              "http://127.0.0.1:" + std::to_string(server.port()) + "/",
                              configured.certificate_pem())
                              .value();
    auto archive = archive::Archive::open(dir.path() / "archive", options, clock).value();
    ASSERT_TRUE(archive->deposit(request(1)));
    ASSERT_TRUE(archive->checkpoint());
    const archive::TimestampRun run = archive->stamp_pending().value();
    EXPECT_EQ(run.stamped, 0u);
    EXPECT_EQ(run.pending, 2u);
    ASSERT_TRUE(run.tsa_error.has_value());
    EXPECT_EQ(run.tsa_error->code, Errc::kDataLoss);
    EXPECT_FALSE(archive->timestamp_token(0).value().has_value());
}

}  // namespace
}  // namespace facteur::tsa
