// Tamper matrix on the archive's own storage (issue #6): random byte flips in every kind of
// RocksDB file (table, blob, write-ahead log, MANIFEST, CURRENT), and record-level forgeries
// written straight into the database (swapped, deleted and rewritten entries, a truncated log,
// rewritten and replayed checkpoints, forged proofs). Every case starts from a copy of the same
// archive and must be detected by Archive::open (refused, or read-only), by scrub(), or by the
// proof verifier. The bundle-level matrix is in bundle_test.cpp.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/archive/archive.h"
#include "facteur/archive/checkpoint.h"
#include "facteur/archive/leaf.h"
#include "facteur/archive/local_tsa.h"
#include "facteur/archive/merkle.h"
#include "facteur/archive/note.h"
#include "facteur/core/clock.h"
#include "facteur/crypto/ed25519.h"
#include "facteur/store/db.h"
#include "facteur/testing/testing.h"

namespace facteur::archive {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kStartMs = 1'790'000'000'000;  // 2026-09-21
constexpr std::int64_t kYearMs = 366LL * 24 * 3600 * 1000;
constexpr int kDeposits = 30;
constexpr int kDepositsInWal = 3;  // the last deposits, left in the write-ahead log only

std::string document(std::size_t size, unsigned seed) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        bytes[i] = static_cast<char>((i * 131 + seed * 7919 + (i >> 5)) & 0xff);
    }
    return bytes;
}

DepositRequest request(int n) {
    DepositRequest r;
    // Small originals stay in table files, large ones go to blob files.
    r.bytes = document(n % 2 == 0 ? 900 : 20 * 1024, static_cast<unsigned>(n));
    r.tenant = "tenant-a";
    r.invoice.seller_siren = "123456789";
    r.invoice.buyer_siren = n % 3 == 0 ? "" : "98765432" + std::to_string(n % 10);
    r.invoice.number = "FA-" + std::to_string(n);
    r.invoice.issue_date = "2026-03-" + std::to_string(10 + n % 18);
    r.invoice.type_code = "380";
    r.invoice.currency = "EUR";
    r.invoice.total_without_vat = "100.00";
    r.invoice.total_vat = "20.00";
    r.invoice.total_with_vat = "120.00";
    r.invoice.syntax = "UBL";
    r.invoice.profile = "urn:cen.eu:en16931:2017";
    r.verdict_json = R"({"verdict":"accepted"})";
    return r;
}

enum class FileKind { kTable, kBlob, kWal, kManifest, kCurrent };

const char* kind_name(FileKind kind) {
    switch (kind) {
        case FileKind::kTable: return "table (.sst)";
        case FileKind::kBlob: return "blob (.blob)";
        case FileKind::kWal: return "write-ahead log (.log)";
        case FileKind::kManifest: return "MANIFEST";
        case FileKind::kCurrent: return "CURRENT";
    }
    return "?";
}

std::vector<fs::path> files_of(const fs::path& db, FileKind kind) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(db)) {
        const std::string name = entry.path().filename().string();
        const std::string ext = entry.path().extension().string();
        const bool match = (kind == FileKind::kTable && ext == ".sst")
                           || (kind == FileKind::kBlob && ext == ".blob")
                           || (kind == FileKind::kWal && ext == ".log")
                           || (kind == FileKind::kManifest && name.rfind("MANIFEST-", 0) == 0)
                           || (kind == FileKind::kCurrent && name == "CURRENT");
        if (match && fs::file_size(entry.path()) > 0) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

class ArchiveTamperTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        golden_ = new testing::TempDir();
        receipts_ = new std::vector<Receipt>();
        core::ManualClock clock(kStartMs);
        ArchiveOptions options = archive_options();
        options.timestamper = LocalTsaTimestamper::open(golden_->path() / "tsa", clock).value();
        const fs::path dir = golden_->path() / "archive";
        {
            auto archive = Archive::open(dir, options, clock).value();
            for (int n = 0; n < kDeposits - kDepositsInWal; ++n) {
                receipts_->push_back(archive->deposit(request(n)).value());
                clock.advance_ms(1000);
            }
            // After retention: one object destroyed, one under legal hold.
            clock.advance_ms(11 * kYearMs);
            ASSERT_TRUE(archive->destroy(receipts_->at(2).id, "auditor"));
            ASSERT_TRUE(archive->hold(receipts_->at(5).id, true, "auditor"));
            ASSERT_TRUE(archive->checkpoint());
            ASSERT_TRUE(archive->stamp_pending());
            // Everything so far into table and blob files...
            ASSERT_TRUE(archive->flush());
        }
        {
            // ... and the last deposits in the write-ahead log only (closing does not flush).
            auto archive = Archive::open(dir, options, clock).value();
            for (int n = kDeposits - kDepositsInWal; n < kDeposits; ++n) {
                receipts_->push_back(archive->deposit(request(n)).value());
            }
            ASSERT_TRUE(archive->checkpoint());
            ASSERT_TRUE(archive->stamp_pending());
            const ScrubReport report = archive->scrub().value();
            ASSERT_TRUE(report.ok()) << report.problems.front();
            ASSERT_GT(report.timestamps, 3u);
        }
        ASSERT_FALSE(files_of(dir / "db", FileKind::kTable).empty());
        ASSERT_FALSE(files_of(dir / "db", FileKind::kBlob).empty());
        ASSERT_FALSE(files_of(dir / "db", FileKind::kWal).empty());
    }

    static void TearDownTestSuite() {
        delete receipts_;
        delete golden_;
        std::cout << "tamper matrix (archive storage): " << detected_ << " of " << cases_
                  << " cases detected" << std::endl;
    }

    static ArchiveOptions archive_options() {
        ArchiveOptions options;
        options.origin = "test.facteur/archive";
        options.checkpoint_every_deposits = 8;
        return options;
    }

    /// A fresh copy of the golden archive; returns its directory.
    fs::path copy_golden() {
        const fs::path dir = work_.path() / ("case-" + std::to_string(copies_++));
        fs::copy(golden_->path() / "archive", dir, fs::copy_options::recursive);
        return dir;
    }

    /// The copy's database opened directly (as an intruder with file access would).
    static std::unique_ptr<store::Db> raw(const fs::path& dir) {
        return store::Db::open(dir / "db", store::DbConfig{}).value();
    }

    static void put(store::Db& db, std::string_view cf, std::string_view key,
                    std::string_view value) {
        store::WriteBatch batch;
        ASSERT_TRUE(batch.put(db.column_family(cf).value(), key, value));
        ASSERT_TRUE(db.write(batch));
    }

    static void remove(store::Db& db, std::string_view cf, std::string_view key) {
        store::WriteBatch batch;
        ASSERT_TRUE(batch.remove(db.column_family(cf).value(), key));
        ASSERT_TRUE(db.write(batch));
    }

    static std::string get(store::Db& db, std::string_view cf, std::string_view key) {
        return db.get(db.column_family(cf).value(), key).value().value();
    }

    /// How the tampering in `dir` was detected, or "" when it was not.
    static std::string detection(const fs::path& dir) {
        core::ManualClock clock(kStartMs + 12 * kYearMs);
        auto archive = Archive::open(dir, archive_options(), clock);
        if (!archive) {
            return "open refused: " + archive.error().message;
        }
        if ((*archive)->integrity_error()) {
            return "opened read-only: " + (*archive)->integrity_error()->message;
        }
        auto report = (*archive)->scrub();
        if (!report) {
            return "scrub failed: " + report.error().message;
        }
        if (!report->ok()) {
            return "scrub: " + report->problems.front();
        }
        return "";
    }

    /// Counts the case and fails the test if it went undetected.
    void expect_detected(const std::string& name, const std::string& how) {
        ++cases_;
        if (!how.empty()) {
            ++detected_;
        }
        EXPECT_FALSE(how.empty()) << "undetected: " << name;
        if (std::getenv("FACTEUR_TAMPER_VERBOSE") != nullptr) {
            std::cout << name << " -> " << (how.empty() ? "UNDETECTED" : how) << "\n";
        }
    }

    void expect_dir_detected(const std::string& name, const fs::path& dir) {
        expect_detected(name, detection(dir));
    }

    /// Flips one random bit at `count` random positions of the files of `kind`, one case each.
    void flip_matrix(FileKind kind, int count, unsigned seed) {
        std::mt19937_64 random(seed);
        const auto golden_files = files_of(golden_->path() / "archive" / "db", kind);
        ASSERT_FALSE(golden_files.empty()) << kind_name(kind);
        for (int i = 0; i < count; ++i) {
            const fs::path dir = copy_golden();
            const fs::path file = dir / "db" / golden_files[random() % golden_files.size()].filename();
            std::string bytes = read_bytes(file);
            ASSERT_FALSE(bytes.empty());
            const std::size_t at = random() % bytes.size();
            bytes[at] = static_cast<char>(bytes[at] ^ (1u << (random() % 8)));
            write_bytes(file, bytes);
            expect_dir_detected(std::string(kind_name(kind)) + " " + file.filename().string()
                                    + " bit flip at byte " + std::to_string(at),
                                dir);
            fs::remove_all(dir);
        }
    }

    /// One record-level forgery on a fresh copy.
    void forge(const std::string& name, const std::function<void(store::Db&)>& tamper) {
        const fs::path dir = copy_golden();
        {
            auto db = raw(dir);
            tamper(*db);
        }
        expect_dir_detected(name, dir);
        fs::remove_all(dir);
    }

    static const Receipt& receipt(int n) { return receipts_->at(static_cast<std::size_t>(n)); }

    testing::TempDir work_;
    int copies_ = 0;

    static inline testing::TempDir* golden_ = nullptr;
    static inline std::vector<Receipt>* receipts_ = nullptr;
    static inline int cases_ = 0;
    static inline int detected_ = 0;
};

TEST_F(ArchiveTamperTest, TheUntouchedCopyPassesEveryCheck) {
    const fs::path dir = copy_golden();
    EXPECT_EQ(detection(dir), "");
    core::ManualClock clock(kStartMs + 12 * kYearMs);
    auto archive = Archive::open(dir, archive_options(), clock).value();
    EXPECT_EQ(archive->size(), static_cast<std::uint64_t>(kDeposits));
    const ScrubReport report = archive->scrub().value();
    EXPECT_EQ(report.leaves, static_cast<std::uint64_t>(kDeposits));
    EXPECT_EQ(report.destroyed, 1u);
    EXPECT_GT(report.index_entries, static_cast<std::uint64_t>(3 * kDeposits));
    EXPECT_EQ(archive->get(receipt(7).id).value(), request(7).bytes);
    EXPECT_EQ(archive->get(receipt(kDeposits - 1).id).value(), request(kDeposits - 1).bytes);
    // The latest checkpoint is also kept beside the database (what caught the deleted WAL).
    std::ifstream in(dir / "latest-checkpoint.txt", std::ios::binary);
    const std::string kept{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    EXPECT_EQ(kept, archive->latest_checkpoint());
}

TEST_F(ArchiveTamperTest, BitFlipsInTableFilesAreDetected) {
    flip_matrix(FileKind::kTable, 40, 11);
}

TEST_F(ArchiveTamperTest, BitFlipsInBlobFilesAreDetected) {
    flip_matrix(FileKind::kBlob, 30, 12);
}

TEST_F(ArchiveTamperTest, BitFlipsInTheWriteAheadLogAreDetected) {
    flip_matrix(FileKind::kWal, 20, 13);
}

TEST_F(ArchiveTamperTest, BitFlipsInTheManifestAndCurrentAreDetected) {
    flip_matrix(FileKind::kManifest, 10, 14);
    flip_matrix(FileKind::kCurrent, 2, 15);
}

TEST_F(ArchiveTamperTest, TruncatedFilesAreDetected) {
    for (const FileKind kind : {FileKind::kTable, FileKind::kBlob, FileKind::kWal,
                                FileKind::kManifest}) {
        const fs::path dir = copy_golden();
        const auto files = files_of(dir / "db", kind);
        ASSERT_FALSE(files.empty());
        const fs::path& file = files.back();
        fs::resize_file(file, fs::file_size(file) / 2);
        expect_dir_detected(std::string("truncated ") + kind_name(kind), dir);
    }
    // A deleted write-ahead log: the deposits only it holds would be lost.
    const fs::path dir = copy_golden();
    for (const fs::path& wal : files_of(dir / "db", FileKind::kWal)) {
        fs::remove(wal);
    }
    expect_dir_detected("deleted write-ahead log", dir);
}

TEST_F(ArchiveTamperTest, SwappedDeletedAndRewrittenOriginalsAreDetected) {
    forge("swapped originals", [](store::Db& db) {
        const std::string a = get(db, "originals", receipt(1).id);
        const std::string b = get(db, "originals", receipt(3).id);
        put(db, "originals", receipt(1).id, b);
        put(db, "originals", receipt(3).id, a);
    });
    forge("deleted original", [](store::Db& db) { remove(db, "originals", receipt(4).id); });
    forge("original rewritten with one byte changed", [](store::Db& db) {
        std::string bytes = get(db, "originals", receipt(6).id);
        bytes[100] = static_cast<char>(bytes[100] ^ 0x20);
        put(db, "originals", receipt(6).id, bytes);
    });
    forge("destroyed original brought back", [](store::Db& db) {
        put(db, "originals", receipt(2).id, request(2).bytes);
    });
}

TEST_F(ArchiveTamperTest, RewrittenAndDeletedRecordsAreDetected) {
    forge("metadata rewritten", [](store::Db& db) {
        std::string meta = get(db, "meta", receipt(8).id);
        const auto at = meta.find("120.00");
        ASSERT_NE(at, std::string::npos);
        meta.replace(at, 6, "999.00");
        put(db, "meta", receipt(8).id, meta);
    });
    forge("metadata deleted", [](store::Db& db) { remove(db, "meta", receipt(9).id); });
    forge("metadata of two objects swapped", [](store::Db& db) {
        const std::string a = get(db, "meta", receipt(10).id);
        put(db, "meta", receipt(10).id, get(db, "meta", receipt(11).id));
        put(db, "meta", receipt(11).id, a);
    });
    forge("legal hold lifted by deleting the status", [](store::Db& db) {
        remove(db, "status", receipt(5).id);
    });
    forge("destruction undone by deleting the status", [](store::Db& db) {
        remove(db, "status", receipt(2).id);
    });
    forge("destruction record of another object", [](store::Db& db) {
        put(db, "status", receipt(12).id, get(db, "status", receipt(2).id));
        remove(db, "originals", receipt(12).id);
    });
    forge("seller index entry deleted", [](store::Db& db) {
        const store::ColumnFamily cf = db.column_family("index_by_seller").value();
        std::string victim;
        ASSERT_TRUE(db.scan(cf, "", "", [&](std::string_view key, std::string_view) {
            if (key.find(receipt(13).id) != std::string_view::npos) {
                victim = std::string(key);
                return core::Result<store::Visit>(store::Visit::kStop);
            }
            return core::Result<store::Visit>(store::Visit::kContinue);
        }));
        ASSERT_FALSE(victim.empty());
        remove(db, "index_by_seller", victim);
    });
    forge("duplicate index pointing to another object", [](store::Db& db) {
        const store::ColumnFamily cf = db.column_family("index_by_seller_number").value();
        std::string key;
        ASSERT_TRUE(db.scan(cf, "", "", [&](std::string_view k, std::string_view value) {
            if (value == receipt(14).id) {
                key = std::string(k);
                return core::Result<store::Visit>(store::Visit::kStop);
            }
            return core::Result<store::Visit>(store::Visit::kContinue);
        }));
        ASSERT_FALSE(key.empty());
        put(db, "index_by_seller_number", key, receipt(15).id);
    });
}

TEST_F(ArchiveTamperTest, LogJournalAndCheckpointForgeriesAreDetected) {
    forge("leaf rewritten", [](store::Db& db) {
        LeafRecord leaf = parse_leaf(receipt(16).leaf_entry).value();
        leaf.size_bytes += 1;
        put(db, "leaves", store::encode_u64_be(16), encode_leaf(leaf).value());
    });
    forge("log truncated (last leaves deleted)", [](store::Db& db) {
        for (std::uint64_t i = kDeposits - 4; i < kDeposits; ++i) {
            remove(db, "leaves", store::encode_u64_be(i));
        }
    });
    forge("log truncated with the newer checkpoints deleted", [](store::Db& db) {
        for (std::uint64_t i = 17; i < kDeposits; ++i) {
            remove(db, "leaves", store::encode_u64_be(i));
        }
        const store::ColumnFamily cf = db.column_family("checkpoints").value();
        std::vector<std::string> newer;
        ASSERT_TRUE(db.scan(cf, store::encode_u64_be(17), "", [&](std::string_view key, auto) {
            newer.emplace_back(key);
            return core::Result<store::Visit>(store::Visit::kContinue);
        }));
        ASSERT_FALSE(newer.empty());
        for (const std::string& key : newer) {
            remove(db, "checkpoints", key);
        }
    });
    forge("two leaves swapped", [](store::Db& db) {
        const std::string a = get(db, "leaves", store::encode_u64_be(18));
        put(db, "leaves", store::encode_u64_be(18), get(db, "leaves", store::encode_u64_be(19)));
        put(db, "leaves", store::encode_u64_be(19), a);
    });
    forge("cached subtree hash rewritten", [](store::Db& db) {
        const store::ColumnFamily cf = db.column_family("subtrees").value();
        std::string key;
        std::string value;
        ASSERT_TRUE(db.scan(cf, "", "", [&](std::string_view k, std::string_view v) {
            key = std::string(k);
            value = std::string(v);
            return core::Result<store::Visit>(store::Visit::kStop);
        }));
        ASSERT_EQ(value.size(), 32u);
        value[0] = static_cast<char>(value[0] ^ 1);
        put(db, "subtrees", key, value);
    });
    forge("head record rewritten", [](store::Db& db) {
        std::string head = get(db, "default", "head");
        head[head.size() - 1] = static_cast<char>(head[head.size() - 1] ^ 1);
        put(db, "default", "head", head);
    });
    forge("checkpoint text rewritten", [](store::Db& db) {
        const auto last = db.last(db.column_family("checkpoints").value()).value().value();
        std::string note = last.second;
        const auto at = note.find('\n') + 1;  // the tree size line
        note[at] = note[at] == '9' ? '8' : static_cast<char>(note[at] + 1);
        put(db, "checkpoints", last.first, note);
    });
    forge("older checkpoint replayed as the latest", [](store::Db& db) {
        const store::ColumnFamily cf = db.column_family("checkpoints").value();
        const auto last = db.last(cf).value().value();
        put(db, "checkpoints", last.first, get(db, "checkpoints", store::encode_u64_be(8)));
    });
    forge("checkpoint signed by another key", [](store::Db& db) {
        const store::ColumnFamily cf = db.column_family("checkpoints").value();
        const auto last = db.last(cf).value().value();
        const Checkpoint checkpoint =
            parse_checkpoint(last.second.substr(0, last.second.find("\n\n") + 1)).value();
        auto key = crypto::Ed25519PrivateKey::generate().value();
        auto signer = NoteSigner::create("test.facteur/archive", std::move(key)).value();
        put(db, "checkpoints", last.first, sign_checkpoint(checkpoint, signer).value());
    });
    forge("timestamp token rewritten", [](store::Db& db) {
        std::string token = get(db, "timestamps", store::encode_u64_be(8));
        token[token.size() / 3] = static_cast<char>(token[token.size() / 3] ^ 1);
        put(db, "timestamps", store::encode_u64_be(8), token);
    });
    forge("timestamp token moved to another checkpoint", [](store::Db& db) {
        put(db, "timestamps", store::encode_u64_be(16), get(db, "timestamps", store::encode_u64_be(8)));
    });
    forge("journal entry rewritten", [](store::Db& db) {
        std::string entry = get(db, "journal", store::encode_u64_be(3));
        entry[entry.size() / 2] = static_cast<char>(entry[entry.size() / 2] ^ 1);
        put(db, "journal", store::encode_u64_be(3), entry);
    });
    forge("journal entry deleted", [](store::Db& db) {
        remove(db, "journal", store::encode_u64_be(4));
    });
}

TEST_F(ArchiveTamperTest, ForgedProofsAreRejected) {
    const fs::path dir = copy_golden();
    core::ManualClock clock(kStartMs + 12 * kYearMs);
    auto archive = Archive::open(dir, archive_options(), clock).value();
    const InclusionProof proof = archive->proof(receipt(20).id).value();
    const Checkpoint checkpoint =
        open_checkpoint(proof.checkpoint, archive->verifier(), archive->origin()).value();
    const Hash leaf_hash = hash_leaf(proof.leaf_entry).value();
    ASSERT_TRUE(verify_inclusion(proof.leaf_index, proof.tree_size, leaf_hash, proof.hashes,
                                 checkpoint.root_hash));
    for (std::size_t i = 0; i < proof.hashes.size(); ++i) {
        std::vector<Hash> forged = proof.hashes;
        forged[i][i % 32] ^= 0x01;
        expect_detected("audit path hash " + std::to_string(i) + " flipped",
                        verify_inclusion(proof.leaf_index, proof.tree_size, leaf_hash, forged,
                                         checkpoint.root_hash)
                            ? ""
                            : "rejected");
    }
    expect_detected("proof for another leaf index",
                    verify_inclusion(proof.leaf_index + 1, proof.tree_size, leaf_hash,
                                     proof.hashes, checkpoint.root_hash)
                        ? ""
                        : "rejected");
    expect_detected("proof of another leaf entry",
                    verify_inclusion(proof.leaf_index, proof.tree_size,
                                     hash_leaf(receipt(21).leaf_entry).value(), proof.hashes,
                                     checkpoint.root_hash)
                        ? ""
                        : "rejected");
    expect_detected("proof with a hash removed",
                    verify_inclusion(proof.leaf_index, proof.tree_size, leaf_hash,
                                     std::vector<Hash>(proof.hashes.begin(),
                                                       proof.hashes.end() - 1),
                                     checkpoint.root_hash)
                        ? ""
                        : "rejected");
}

}  // namespace
}  // namespace facteur::archive
