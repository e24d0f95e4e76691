#include "facteur/archive/archive.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/archive/checkpoint.h"
#include "facteur/archive/leaf.h"
#include "facteur/core/clock.h"
#include "facteur/crypto/sha256.h"
#include "facteur/store/db.h"
#include "facteur/testing/testing.h"

namespace facteur::archive {
namespace {

using core::Errc;

constexpr std::int64_t kStartMs = 1'790'000'000'000;  // 2026-09-21
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr std::string_view kSeller = "123456789";
constexpr std::string_view kBuyer = "987654321";

DepositRequest request(std::string number, std::string bytes, std::string date = "2026-03-15",
                       std::string seller = std::string(kSeller)) {
    DepositRequest r;
    r.bytes = std::move(bytes);
    r.tenant = "tenant-a";
    r.invoice.seller_siren = std::move(seller);
    r.invoice.buyer_siren = std::string(kBuyer);
    r.invoice.number = std::move(number);
    r.invoice.issue_date = std::move(date);
    r.invoice.type_code = "380";
    r.invoice.currency = "EUR";
    r.invoice.total_without_vat = "1000.00";
    r.invoice.total_vat = "200.00";
    r.invoice.total_with_vat = "1200.00";
    r.invoice.syntax = "UBL";
    r.invoice.profile = "urn:cen.eu:en16931:2017";
    r.verdict_json = R"({"verdict":"accepted","rulesets":{"en16931":"1.3.16"}})";
    return r;
}

/// A document of `size` bytes that differs for every seed (binary, with NULs).
std::string document(std::size_t size, unsigned seed) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        bytes[i] = static_cast<char>((i * 31 + seed * 7919 + (i >> 7)) & 0xff);
    }
    return bytes;
}

void expect_proof_verifies(const InclusionProof& proof, const NoteVerifier& verifier,
                           std::string_view origin) {
    const auto checkpoint = open_checkpoint(proof.checkpoint, verifier, origin);
    ASSERT_TRUE(checkpoint) << checkpoint.error().message;
    EXPECT_EQ(checkpoint->tree_size, proof.tree_size);
    const auto verified =
        verify_inclusion(proof.leaf_index, proof.tree_size, hash_leaf(proof.leaf_entry).value(),
                         proof.hashes, checkpoint->root_hash);
    EXPECT_TRUE(verified) << (verified ? "" : verified.error().message);
    EXPECT_EQ(parse_leaf(proof.leaf_entry).value().id, proof.id);
}

class ArchiveTest : public ::testing::Test {
protected:
    ArchiveTest() : clock_(kStartMs) { options_.origin = "test.facteur/archive"; }

    std::unique_ptr<Archive> open() {
        auto archive = Archive::open(dir_.path() / "archive", options_, clock_);
        EXPECT_TRUE(archive) << archive.error().message;
        return archive ? std::move(*archive) : nullptr;
    }

    /// The archive's RocksDB opened directly (the archive must be closed).
    std::unique_ptr<store::Db> raw_store() {
        return store::Db::open(dir_.path() / "archive" / "db", store::DbConfig{}).value();
    }

    static void raw_put(store::Db& db, std::string_view cf, std::string_view key,
                        std::string_view value) {
        store::WriteBatch batch;
        ASSERT_TRUE(batch.put(db.column_family(cf).value(), key, value));
        ASSERT_TRUE(db.write(batch));
    }

    testing::TempDir dir_;
    core::ManualClock clock_;
    ArchiveOptions options_;
};

TEST_F(ArchiveTest, DepositThenGetReturnsTheExactBytes) {
    auto archive = open();
    const std::string small("<Invoice>\0\x01\xff</Invoice>", 22);
    const std::string large = document(20 * 1024, 1);  // BlobDB sized
    const Receipt first = archive->deposit(request("FA-1", small)).value();
    const Receipt second = archive->deposit(request("FA-2", large)).value();
    EXPECT_EQ(first.status, DepositStatus::kDeposited);
    EXPECT_EQ(first.leaf_index, 0u);
    EXPECT_EQ(second.leaf_index, 1u);
    EXPECT_NE(first.id, second.id);
    EXPECT_TRUE(is_valid_object_id(first.id));
    EXPECT_EQ(archive->get(first.id).value(), small);
    EXPECT_EQ(archive->get(second.id).value(), large);
    EXPECT_EQ(first.sha256, crypto::sha256(small).value());
    // 2026-09-21 + 10 years = 2036-09-21, across the leap days of 2028, 2032 and 2036.
    EXPECT_EQ(first.retain_until_unix_ms - first.deposited_at_unix_ms, 3653 * kDayMs);
    const LeafRecord leaf = parse_leaf(second.leaf_entry).value();
    EXPECT_EQ(leaf.id, second.id);
    EXPECT_EQ(leaf.size_bytes, large.size());
    const ObjectMeta meta = archive->meta(second.id).value();
    EXPECT_EQ(meta.invoice, request("FA-2", large).invoice);
    EXPECT_EQ(meta.tenant, "tenant-a");
    EXPECT_EQ(meta.hash_algorithm, "sha-256");
    EXPECT_EQ(meta.deposited_at_unix_ms, kStartMs);
    EXPECT_EQ(meta.verdict_json, request("x", "y").verdict_json);
    EXPECT_EQ(archive->get("0123456789abcdef0123456789abcdef").error().code, Errc::kNotFound);
    EXPECT_EQ(archive->get("../etc/passwd").error().code, Errc::kInvalidInput);
}

TEST_F(ArchiveTest, SigningKeyIsCreatedOwnerOnly) {
    auto archive = open();
    const auto perms =
        std::filesystem::status(dir_.path() / "archive" / "signing-key.pem").permissions();
    EXPECT_EQ(perms & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    const std::string verifier_key = testing::read(dir_.path() / "archive" / "verifier-key.txt");
    EXPECT_EQ(verifier_key, archive->verifier().verifier_key() + "\n");
}

TEST_F(ArchiveTest, IdenticalRedepositReturnsTheFirstReceipt) {
    auto archive = open();
    const Receipt first = archive->deposit(request("FA-1", "bytes")).value();
    clock_.advance_ms(5000);
    const Receipt again = archive->deposit(request("FA-1", "bytes")).value();
    EXPECT_EQ(again.status, DepositStatus::kDuplicate);
    EXPECT_EQ(again.id, first.id);
    EXPECT_EQ(again.leaf_index, first.leaf_index);
    EXPECT_EQ(again.deposited_at_unix_ms, first.deposited_at_unix_ms);
    EXPECT_EQ(again.leaf_entry, first.leaf_entry);
    EXPECT_EQ(archive->size(), 1u);
}

TEST_F(ArchiveTest, ConflictingDuplicateIsRefusedButOtherYearsAndSellersAreNot) {
    auto archive = open();
    ASSERT_TRUE(archive->deposit(request("FA-1", "original")));
    const auto conflict = archive->deposit(request("FA-1", "tampered"));
    ASSERT_FALSE(conflict);
    EXPECT_EQ(conflict.error().code, Errc::kConflict);
    EXPECT_EQ(conflict.error().id, "ARCHIVE-DUPLICATE");
    EXPECT_TRUE(archive->deposit(request("FA-1", "next year", "2027-01-02")));
    EXPECT_TRUE(archive->deposit(request("FA-1", "other seller", "2026-03-15", "111111111")));
    EXPECT_EQ(archive->size(), 3u);
}

TEST_F(ArchiveTest, DuplicatesInsideOneGroupCommitAreDetected) {
    options_.group_commit_deposits_max = 64;
    auto archive = open();
    std::vector<core::Result<Receipt>> results(8, core::fail(Errc::kInternal, "unset"));
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < results.size(); ++i) {
        threads.emplace_back([&, i] {
            results[i] = archive->deposit(request("FA-SAME", i % 2 == 0 ? "even" : "odd"));
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(archive->size(), 1u);
    std::set<std::string> ids;
    int conflicts = 0;
    for (const auto& result : results) {
        if (result) {
            ids.insert(result->id);
        } else {
            EXPECT_EQ(result.error().code, Errc::kConflict);
            ++conflicts;
        }
    }
    EXPECT_EQ(ids.size(), 1u);
    EXPECT_EQ(conflicts, 4);
}

TEST_F(ArchiveTest, RequestsAreCheckedBeforeAnythingIsWritten) {
    options_.document_bytes_max = 1000;
    auto archive = open();
    EXPECT_TRUE(archive->deposit(request("FA-limit", std::string(1000, 'a'))));
    EXPECT_EQ(archive->deposit(request("FA-over", std::string(1001, 'a'))).error().code,
              Errc::kResourceExhausted);
    EXPECT_EQ(archive->deposit(request("FA-1", "x", "2026-02-30")).error().code,
              Errc::kInvalidInput);
    EXPECT_EQ(archive->deposit(request("FA-1", "x", "2026-03-15", "12345678")).error().code,
              Errc::kInvalidInput);
    EXPECT_EQ(archive->deposit(request("FA\n1", "x")).error().code, Errc::kInvalidInput);
    EXPECT_EQ(archive->deposit(request("", "x")).error().code, Errc::kInvalidInput);
    EXPECT_EQ(archive->deposit(request("FA-1", "")).error().code, Errc::kInvalidInput);
    DepositRequest bad_amount = request("FA-1", "x");
    bad_amount.invoice.total_with_vat = "1,200.00";
    EXPECT_EQ(archive->deposit(bad_amount).error().code, Errc::kInvalidInput);
    EXPECT_EQ(archive->size(), 1u);
}

TEST_F(ArchiveTest, ProofsVerifyAgainstTheSignedCheckpoint) {
    options_.checkpoint_every_deposits = 10;
    auto archive = open();
    std::vector<Receipt> receipts;
    for (unsigned i = 0; i < 37; ++i) {
        receipts.push_back(
            archive->deposit(request("FA-" + std::to_string(i), document(300, i))).value());
    }
    // Checkpoints were signed at 10, 20, 30; the last 7 deposits are not covered yet.
    EXPECT_EQ(open_checkpoint(archive->latest_checkpoint(), archive->verifier(), archive->origin())
                  .value()
                  .tree_size,
              30u);
    // The verifier key published beside the archive is enough to check everything.
    const NoteVerifier verifier = NoteVerifier::parse(archive->verifier().verifier_key()).value();
    for (const Receipt& receipt : receipts) {
        const auto proof = archive->proof(receipt.id);
        ASSERT_TRUE(proof) << proof.error().message;
        EXPECT_EQ(proof->leaf_entry, receipt.leaf_entry);
        expect_proof_verifies(*proof, verifier, archive->origin());
    }
    // A proof for a leaf beyond the checkpoint forced a new one.
    EXPECT_EQ(archive->proof(receipts.back().id).value().tree_size, 37u);
    // A proof with a wrong leaf does not verify.
    const InclusionProof proof = archive->proof(receipts[3].id).value();
    const auto checkpoint = open_checkpoint(proof.checkpoint, verifier, archive->origin()).value();
    EXPECT_FALSE(verify_inclusion(proof.leaf_index, proof.tree_size,
                                  hash_leaf(receipts[4].leaf_entry).value(), proof.hashes,
                                  checkpoint.root_hash));
}

TEST_F(ArchiveTest, CheckpointsFollowTheCountAndTheInjectedClock) {
    options_.checkpoint_every_deposits = 1000;
    options_.checkpoint_interval_ms = 60'000;
    auto archive = open();
    const auto size_of_latest = [&] {
        return open_checkpoint(archive->latest_checkpoint(), archive->verifier(), archive->origin())
            .value()
            .tree_size;
    };
    EXPECT_EQ(size_of_latest(), 0u);  // a new archive commits to the empty tree
    ASSERT_TRUE(archive->deposit(request("FA-1", "a")));
    EXPECT_EQ(size_of_latest(), 0u);
    EXPECT_FALSE(archive->maybe_checkpoint().value());
    clock_.advance_ms(60'000);
    ASSERT_TRUE(archive->deposit(request("FA-2", "b")));  // due by time: signed in the same write
    EXPECT_EQ(size_of_latest(), 2u);
    ASSERT_TRUE(archive->deposit(request("FA-3", "c")));
    clock_.advance_ms(60'000);
    EXPECT_TRUE(archive->maybe_checkpoint().value());
    EXPECT_EQ(size_of_latest(), 3u);
    EXPECT_FALSE(archive->maybe_checkpoint().value());  // nothing new
    EXPECT_EQ(archive->checkpoint().value(), archive->latest_checkpoint());
}

TEST_F(ArchiveTest, ReopenKeepsEverythingAndPassesTheRootCheck) {
    std::vector<Receipt> receipts;
    std::string checkpoint;
    {
        auto archive = open();
        for (unsigned i = 0; i < 21; ++i) {
            receipts.push_back(
                archive->deposit(request("FA-" + std::to_string(i), document(5000, i))).value());
        }
        checkpoint = archive->checkpoint().value();
    }
    auto archive = open();
    ASSERT_FALSE(archive->integrity_error().has_value()) << archive->integrity_error()->message;
    EXPECT_EQ(archive->size(), 21u);
    EXPECT_EQ(archive->latest_checkpoint(), checkpoint);
    EXPECT_EQ(archive->get(receipts[7].id).value(), document(5000, 7));
    EXPECT_EQ(archive->deposit(request("FA-7", document(5000, 7))).value().id, receipts[7].id);
    EXPECT_EQ(archive->deposit(request("FA-new", "new")).value().leaf_index, 21u);
    expect_proof_verifies(archive->proof(receipts[20].id).value(), archive->verifier(),
                          archive->origin());
    const ScrubReport report = archive->scrub().value();
    EXPECT_TRUE(report.ok()) << report.problems.front();
    EXPECT_EQ(report.leaves, 22u);
    EXPECT_EQ(report.originals, 22u);
}

TEST_F(ArchiveTest, ProofsAboveTheTilesAreRightBeforeAndAfterReopenAndScrubChecksTheStore) {
    // 600 leaves: complete subtrees of levels 1..9, so proofs use the tile-keyed low levels
    // and the in-memory upper levels (8 and 9).
    constexpr unsigned kCount = 600;
    options_.checkpoint_every_deposits = 100;
    std::vector<Receipt> receipts;
    {
        auto archive = open();
        for (unsigned i = 0; i < kCount; ++i) {
            receipts.push_back(
                archive->deposit(request("FA-" + std::to_string(i), document(64, i))).value());
        }
        for (unsigned i = 0; i < kCount; i += 23) {
            expect_proof_verifies(archive->proof(receipts[i].id).value(), archive->verifier(),
                                  archive->origin());
        }
    }
    {
        auto archive = open();
        ASSERT_FALSE(archive->integrity_error().has_value()) << archive->integrity_error()->message;
        for (unsigned i = 0; i < kCount; i += 19) {
            const auto proof = archive->proof(receipts[i].id);
            ASSERT_TRUE(proof) << proof.error().message;
            EXPECT_EQ(proof->tree_size, kCount);
            EXPECT_EQ(proof->hashes.size(), i < 512 ? 10u : (i < 576 ? 8u : 7u)) << i;
            expect_proof_verifies(*proof, archive->verifier(), archive->origin());
        }
        const ScrubReport report = archive->scrub().value();
        EXPECT_TRUE(report.ok()) << report.problems.front();
    }
    // The key layout: the 127 subtrees under each complete block of 128 leaves are adjacent
    // (prefix 0x00 be64(block)); the higher levels are keyed u8(level) be64(index).
    std::string level8_key;
    {
        auto db = raw_store();
        const store::ColumnFamily cf = db->column_family("subtrees").value();
        for (std::uint64_t block = 0; block < kCount / 128; ++block) {
            std::size_t in_tile = 0;
            ASSERT_TRUE(db->scan_prefix(
                cf, std::string(1, '\0') + store::encode_u64_be(block),
                [&](std::string_view, std::string_view value) -> core::Result<store::Visit> {
                    EXPECT_EQ(value.size(), 32u);
                    ++in_tile;
                    return store::Visit::kContinue;
                }));
            EXPECT_EQ(in_tile, 127u) << "block " << block;
        }
        level8_key = std::string(1, '\x08') + store::encode_u64_be(1);
        std::string value = db->get(cf, level8_key).value().value();
        ASSERT_EQ(value.size(), 32u);
        EXPECT_FALSE(db->get(cf, std::string(1, '\x08') + store::encode_u64_be(2)).value());
        // A forged upper-level hash in the store (leaves 256..511): open rehashes the leaves,
        // so it only shows in the proofs that use it (those of leaves 0..255), which are refused
        // rather than handed out, and in scrub (against the rehashed leaves).
        value[5] = static_cast<char>(value[5] ^ 0x40);
        raw_put(*db, "subtrees", level8_key, value);
    }
    auto archive = open();
    ASSERT_FALSE(archive->integrity_error().has_value()) << archive->integrity_error()->message;
    const auto lying = archive->proof(receipts[20].id);
    ASSERT_FALSE(lying);
    EXPECT_EQ(lying.error().code, Errc::kDataLoss);
    expect_proof_verifies(archive->proof(receipts[300].id).value(), archive->verifier(),
                          archive->origin());
    const ScrubReport report = archive->scrub().value();
    ASSERT_FALSE(report.ok());
    EXPECT_NE(std::find_if(report.problems.begin(), report.problems.end(),
                           [](const std::string& p) {
                               return p.find("cached subtree 8/1") != std::string::npos;
                           }),
              report.problems.end());
}

TEST_F(ArchiveTest, AnArchiveOfAnotherFormatIsRefused) {
    { auto archive = open(); }
    {
        auto db = raw_store();
        raw_put(*db, "default", "format", "facteur-archive/1");
    }
    const auto archive = Archive::open(dir_.path() / "archive", options_, clock_);
    ASSERT_FALSE(archive);
    EXPECT_EQ(archive.error().code, Errc::kUnsupported);
    EXPECT_NE(archive.error().message.find("facteur-archive/1"), std::string::npos);
}

TEST_F(ArchiveTest, ReopenWithAnotherOriginIsRefused) {
    { auto archive = open(); }
    options_.origin = "other.facteur/archive";
    const auto reopened = Archive::open(dir_.path() / "archive", options_, clock_);
    ASSERT_FALSE(reopened);
    EXPECT_EQ(reopened.error().code, Errc::kInvalidInput);
}

TEST_F(ArchiveTest, ScrubDetectsAFlippedByteOfAStoredOriginal) {
    std::string id;
    {
        auto archive = open();
        ASSERT_TRUE(archive->deposit(request("FA-0", document(20 * 1024, 0))));
        id = archive->deposit(request("FA-1", document(20 * 1024, 1))).value().id;
        EXPECT_TRUE(archive->scrub().value().ok());
    }
    {
        auto db = raw_store();
        const store::ColumnFamily originals = db->column_family("originals").value();
        std::string bytes = db->get(originals, id).value().value();
        bytes[12345] = static_cast<char>(bytes[12345] ^ 0x01);
        raw_put(*db, "originals", id, bytes);
    }
    auto archive = open();
    EXPECT_FALSE(archive->integrity_error().has_value());  // the log itself is intact
    const ScrubReport report = archive->scrub().value();
    EXPECT_FALSE(report.ok());
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_NE(report.problems[0].find(id), std::string::npos) << report.problems[0];
    EXPECT_EQ(archive->get(id).error().code, Errc::kDataLoss);
}

TEST_F(ArchiveTest, ReplacedLeafMakesOpenRefuseWrites) {
    Receipt victim;
    Receipt bystander;
    {
        auto archive = open();
        bystander = archive->deposit(request("FA-0", "zero")).value();
        victim = archive->deposit(request("FA-1", "one")).value();
        ASSERT_TRUE(archive->deposit(request("FA-2", "two")));
        ASSERT_TRUE(archive->checkpoint());
    }
    {
        LeafRecord forged = parse_leaf(victim.leaf_entry).value();
        forged.content_sha256 = crypto::sha256("forged").value();
        auto db = raw_store();
        raw_put(*db, "leaves", store::encode_u64_be(1), encode_leaf(forged).value());
    }
    auto archive = open();
    ASSERT_TRUE(archive->integrity_error().has_value());
    EXPECT_EQ(archive->integrity_error()->code, Errc::kDataLoss);
    const auto refused = archive->deposit(request("FA-3", "three"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::kDataLoss);
    EXPECT_NE(refused.error().message.find("writes refused"), std::string::npos);
    EXPECT_EQ(archive->checkpoint().error().code, Errc::kDataLoss);
    EXPECT_EQ(archive->hold(bystander.id, true).error().code, Errc::kDataLoss);
    // Reads still work for the untouched objects; the forged one no longer matches.
    EXPECT_EQ(archive->get(bystander.id).value(), "zero");
    EXPECT_EQ(archive->get(victim.id).error().code, Errc::kDataLoss);
    EXPECT_FALSE(archive->scrub().value().ok());
}

TEST_F(ArchiveTest, HoldBlocksDestroyUntilLifted) {
    auto archive = open();
    const Receipt receipt = archive->deposit(request("FA-1", "held")).value();
    ASSERT_TRUE(archive->hold(receipt.id, true, "legal-team"));
    EXPECT_TRUE(archive->meta(receipt.id).value().legal_hold);
    clock_.set_unix_ms(receipt.retain_until_unix_ms + kDayMs);
    const auto refused = archive->destroy(receipt.id, "ops");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::kConflict);
    EXPECT_EQ(refused.error().id, "ARCHIVE-HOLD");
    EXPECT_EQ(archive->get(receipt.id).value(), "held");
    ASSERT_TRUE(archive->hold(receipt.id, false, "legal-team"));
    EXPECT_TRUE(archive->destroy(receipt.id, "ops"));
}

TEST_F(ArchiveTest, DestroyBeforeRetentionIsRefused) {
    auto archive = open();
    const Receipt receipt = archive->deposit(request("FA-1", "young")).value();
    clock_.set_unix_ms(receipt.retain_until_unix_ms - 1);
    const auto refused = archive->destroy(receipt.id);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::kConflict);
    EXPECT_EQ(refused.error().id, "ARCHIVE-RETENTION");
    EXPECT_EQ(archive->get(receipt.id).value(), "young");
}

TEST_F(ArchiveTest, DestroyAfterRetentionRemovesTheOriginalAndKeepsProofs) {
    options_.retention_years = 10;
    std::string id;
    std::string record;
    {
        auto archive = open();
        const Receipt keep = archive->deposit(request("FA-0", document(6000, 0))).value();
        const Receipt receipt = archive->deposit(request("FA-1", document(6000, 1))).value();
        id = receipt.id;
        clock_.set_unix_ms(receipt.retain_until_unix_ms);  // retention ends exactly now
        const auto destroyed = archive->destroy(id, "ops");
        ASSERT_TRUE(destroyed) << destroyed.error().message;
        record = *destroyed;
        const auto note = open_note(record, archive->verifier());
        ASSERT_TRUE(note) << note.error().message;
        EXPECT_NE(note->text.find("id " + id + "\n"), std::string::npos);
        EXPECT_EQ(archive->get(id).error().code, Errc::kNotFound);
        EXPECT_EQ(archive->destroy(id).error().code, Errc::kConflict);
        EXPECT_EQ(archive->hold(id, true).error().code, Errc::kConflict);
        const ObjectMeta meta = archive->meta(id).value();
        EXPECT_EQ(meta.destroyed_at_unix_ms, receipt.retain_until_unix_ms);
        EXPECT_EQ(meta.destruction_record, record);
        expect_proof_verifies(archive->proof(id).value(), archive->verifier(), archive->origin());
        EXPECT_EQ(archive->get(keep.id).value(), document(6000, 0));
        const ScrubReport report = archive->scrub().value();
        EXPECT_TRUE(report.ok()) << report.problems.front();
        EXPECT_EQ(report.destroyed, 1u);
        EXPECT_EQ(report.originals, 1u);
    }
    auto db = raw_store();
    EXPECT_EQ(db->get(db->column_family("originals").value(), id).value(), std::nullopt);
    EXPECT_TRUE(db->get(db->column_family("leaves").value(), store::encode_u64_be(1)).value());
}

TEST_F(ArchiveTest, JournalRecordsDepositsAndEveryAccess) {
    auto archive = open();
    const Receipt receipt = archive->deposit(request("FA-1", "journaled")).value();
    ASSERT_TRUE(archive->deposit(request("FA-1", "journaled")));  // identical again
    ASSERT_FALSE(archive->deposit(request("FA-1", "other")));     // conflicting
    ASSERT_TRUE(archive->get(receipt.id, "alice"));
    ASSERT_TRUE(archive->meta(receipt.id, "bob"));
    ASSERT_TRUE(archive->proof(receipt.id, "carol"));
    ASSERT_TRUE(archive->list(ListFilter{.seller_siren = std::string(kSeller)}, "dave"));
    ASSERT_TRUE(archive->hold(receipt.id, true, "erin"));
    const std::vector<JournalEntry> journal = archive->journal(receipt.id).value();
    std::vector<std::string> actions;
    std::vector<std::string> actors;
    for (const JournalEntry& entry : journal) {
        actions.emplace_back(journal_action_name(entry.action));
        actors.push_back(entry.actor);
        EXPECT_EQ(entry.object_id, receipt.id);
    }
    EXPECT_EQ(actions,
              (std::vector<std::string>{"deposit", "duplicate_deposit", "conflicting_deposit",
                                        "get", "meta", "proof", "list", "hold_on"}));
    EXPECT_EQ(actors, (std::vector<std::string>{"tenant-a", "tenant-a", "tenant-a", "alice", "bob",
                                                "carol", "dave", "erin"}));
    EXPECT_EQ(journal[0].prev_hash, Hash{});
    for (std::size_t i = 1; i < journal.size(); ++i) {
        EXPECT_EQ(journal[i].seq, journal[i - 1].seq + 1);
        EXPECT_EQ(journal[i].prev_hash, journal[i - 1].hash);
    }
    EXPECT_TRUE(archive->scrub().value().ok());
}

TEST_F(ArchiveTest, ListAndCountFilterBySellerBuyerNumberAndDates) {
    auto archive = open();
    ASSERT_TRUE(archive->deposit(request("FA-1", "1", "2026-01-10")));
    ASSERT_TRUE(archive->deposit(request("FA-2", "2", "2026-02-10")));
    ASSERT_TRUE(archive->deposit(request("FA-3", "3", "2026-03-10")));
    DepositRequest other = request("X-1", "4", "2026-02-11", "111111111");
    other.invoice.buyer_siren.clear();
    ASSERT_TRUE(archive->deposit(other));
    EXPECT_EQ(archive->count(ListFilter{}).value(), 4u);
    EXPECT_EQ(archive->count(ListFilter{.seller_siren = std::string(kSeller)}).value(), 3u);
    EXPECT_EQ(archive->count(ListFilter{.buyer_siren = std::string(kBuyer)}).value(), 3u);
    EXPECT_EQ(
        archive->count(ListFilter{.issued_from = "2026-02-10", .issued_to = "2026-02-11"}).value(),
        2u);
    EXPECT_EQ(
        archive
            ->count(ListFilter{.seller_siren = std::string(kSeller), .issued_from = "2026-02-01"})
            .value(),
        2u);
    const auto by_number =
        archive->list(ListFilter{.seller_siren = std::string(kSeller), .number = "FA-2"}).value();
    ASSERT_EQ(by_number.size(), 1u);
    EXPECT_EQ(by_number[0].invoice.issue_date, "2026-02-10");
    EXPECT_EQ(archive->count(ListFilter{.number = "X-1"}).value(), 1u);
    const auto limited = archive->list(ListFilter{.limit = 2}).value();
    ASSERT_EQ(limited.size(), 2u);
    EXPECT_EQ(limited[0].invoice.number, "FA-1");  // issue-date order
    EXPECT_EQ(archive->count(ListFilter{.seller_siren = "nope"}).error().code, Errc::kInvalidInput);
}

TEST_F(ArchiveTest, GapsFindsHolesAndDuplicatesPerSeries) {
    auto archive = open();
    for (const char* number : {"FA-2026-000001", "FA-2026-000002", "FA-2026-000004", "FA-2026-4",
                               "FA-2026-000008", "AV-2026-01", "AV-2026-02", "PROFORMA"}) {
        ASSERT_TRUE(archive->deposit(request(number, number)));
    }
    ASSERT_TRUE(archive->deposit(request("FA-2026-000003", "late", "2027-01-05")));
    ASSERT_TRUE(
        archive->deposit(request("FA-2026-000009", "other seller", "2026-03-15", "111111111")));
    const GapReport report = archive->gaps(kSeller).value();
    ASSERT_EQ(report.series.size(), 3u);  // AV- 2026, FA- 2026, FA- 2027
    const NumberSeries& av = report.series[0];
    EXPECT_EQ(av.prefix, "AV-2026-");
    EXPECT_TRUE(av.missing.empty());
    EXPECT_TRUE(av.duplicates.empty());
    const NumberSeries& fa = report.series[1];
    EXPECT_EQ(fa.year, "2026");
    EXPECT_EQ(fa.prefix, "FA-2026-");
    EXPECT_EQ(fa.first, 1u);
    EXPECT_EQ(fa.last, 8u);
    EXPECT_EQ(fa.count, 5u);
    EXPECT_EQ(fa.missing, (std::vector<NumberRange>{{3, 3}, {5, 7}}));
    ASSERT_EQ(fa.duplicates.size(), 1u);
    EXPECT_EQ(fa.duplicates[0].value, 4u);
    EXPECT_EQ(fa.duplicates[0].numbers.size(), 2u);
    EXPECT_EQ(report.series[2].year, "2027");
    EXPECT_EQ(report.unnumbered, std::vector<std::string>{"PROFORMA"});
    EXPECT_FALSE(report.truncated);
}

TEST_F(ArchiveTest, ConcurrentDepositsGetDistinctReceiptsAndDenseLeafIndices) {
    options_.checkpoint_every_deposits = 50;
    auto archive = open();
    constexpr unsigned kThreads = 16;
    constexpr unsigned kPerThread = 25;
    std::vector<std::vector<Receipt>> receipts(kThreads);
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (unsigned i = 0; i < kPerThread; ++i) {
                const unsigned n = t * kPerThread + i;
                auto receipt =
                    archive->deposit(request("FA-" + std::to_string(n), document(2000 + n, n)));
                ASSERT_TRUE(receipt) << receipt.error().message;
                receipts[t].push_back(*receipt);
            }
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    std::set<std::string> ids;
    std::vector<std::uint64_t> indices;
    for (const auto& per_thread : receipts) {
        for (const Receipt& receipt : per_thread) {
            ids.insert(receipt.id);
            indices.push_back(receipt.leaf_index);
        }
    }
    std::sort(indices.begin(), indices.end());
    ASSERT_EQ(indices.size(), kThreads * kPerThread);
    for (std::size_t i = 0; i < indices.size(); ++i) {
        ASSERT_EQ(indices[i], i);
    }
    EXPECT_EQ(ids.size(), indices.size());
    EXPECT_EQ(archive->size(), indices.size());
    EXPECT_EQ(archive->get(receipts[5][7].id).value(), document(2000 + 132, 132));
    expect_proof_verifies(archive->proof(receipts[9][24].id).value(), archive->verifier(),
                          archive->origin());
    const ScrubReport report = archive->scrub().value();
    EXPECT_TRUE(report.ok()) << report.problems.front();
    EXPECT_EQ(report.leaves, indices.size());
    EXPECT_GE(report.checkpoints, 2u);
}

}  // namespace
}  // namespace facteur::archive
