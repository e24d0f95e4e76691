#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/archive/archive.h"
#include "facteur/archive/checkpoint.h"
#include "facteur/core/clock.h"
#include "facteur/store/fault_injection.h"
#include "facteur/testing/testing.h"

// Issue #6: fault injection at every file-system operation of one archive deposit (and of a
// deposit that signs a checkpoint, an explicit checkpoint(), a flush and a reopen that replays
// the WAL): every run must end unacknowledged or consistent.
//
// Each test first records the operations of its action in a dry run (printed, with the count
// per kind). Then each run takes a fresh archive with the same preliminary deposits (a copy of
// one built once), opens it through a store::FaultInjector, arms it to fail operation k of the
// action (every k the dry run saw, see operations_to_fail()), runs the action, tries more
// deposits on the same, still open archive, closes it, and reopens it on the plain file system
// to check: it opens, scrub() is clean, every acknowledged deposit is there byte for byte with
// its receipt, an unacknowledged one is absent or complete, the leaves have no hole, and
// retrying every deposit gives "deposited" or "duplicate", never a conflict or a second leaf.
//
// Two fault modes:
// - kOnce: only operation k fails (a transient I/O error) and the process goes on. What was
//   written before stays in the OS page cache, so this proves the archive's error paths (no
//   receipt without a durable write, no in-memory state ahead of the disk, no write accepted
//   after RocksDB stopped) but not durability.
// - kDiskGone + drop_unsynced(): the power is cut before operation k (k = the number of
//   operations: just after the action); nothing after it reaches the disk, and every file is cut
//   back to what was fsynced, every name created or renamed since its directory's last fsync
//   undone (facteur/store/fault_injection.h). This is the power-loss test: every acknowledged
//   deposit must survive it. Its model is the one RocksDB's own FaultInjectionTestFS uses; it
//   does not reorder or tear writes inside a file (a disk that lies about its cache flush).
// Process crashes (kill -9 at any moment, concurrent depositors) are covered by
// tests/integration/archive_crash_test.cpp.

namespace facteur::archive {
namespace {

using store::FaultInjector;
using store::FaultMode;
using store::FsOp;
using store::FsOpRecord;

constexpr std::int64_t kStartMs = 1'790'000'000'000;  // 2026-09-21
constexpr std::string_view kSeller = "123456789";
constexpr std::chrono::seconds kHangLimit{60};

struct Doc {
    std::string number;
    std::string bytes;
};

std::string document(std::size_t size, unsigned seed) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        bytes[i] = static_cast<char>((i * 31 + seed * 7919 + (i >> 7)) & 0xff);
    }
    return bytes;
}

DepositRequest request(const Doc& doc) {
    DepositRequest r;
    r.bytes = doc.bytes;
    r.tenant = "tenant-a";
    r.invoice.seller_siren = std::string(kSeller);
    r.invoice.buyer_siren = "987654321";
    r.invoice.number = doc.number;
    r.invoice.issue_date = "2026-03-15";
    r.invoice.type_code = "380";
    r.invoice.currency = "EUR";
    r.invoice.total_without_vat = "1000.00";
    r.invoice.total_vat = "200.00";
    r.invoice.total_with_vat = "1200.00";
    r.invoice.syntax = "UBL";
    r.invoice.profile = "urn:cen.eu:en16931:2017";
    r.verdict_json = R"({"verdict":"accepted"})";
    return r;
}

// Small documents keep each run short; 5000 bytes is above the 4 KiB BlobDB threshold, so a
// flush writes a blob file too.
const std::vector<Doc>& preliminary_docs() {
    static const std::vector<Doc> docs{
        {"FA-1", document(300, 1)}, {"FA-2", document(5000, 2)}, {"FA-3", document(300, 3)}};
    return docs;
}

const Doc& subject_doc() {
    static const Doc doc{"FA-4", document(5000, 4)};
    return doc;
}

/// Deposited on the same archive after the fault.
const Doc& later_doc() {
    static const Doc doc{"FA-5", document(300, 5)};
    return doc;
}

/// What runs under fault injection, after the preliminary deposits.
enum class Action : std::uint8_t {
    kDeposit,            ///< one synced deposit (its own group commit), no checkpoint
    kCheckpointDeposit,  ///< one deposit that signs a checkpoint in the same write
    kCheckpoint,         ///< an explicit checkpoint()
    kFlush,              ///< the subject is deposited first, then flush() (table + blob files)
    kReopen,             ///< the archive is closed first, then open() (WAL replay) + deposit
};

const char* action_name(Action action) {
    switch (action) {
        case Action::kDeposit:
            return "deposit";
        case Action::kCheckpointDeposit:
            return "deposit signing a checkpoint";
        case Action::kCheckpoint:
            return "checkpoint()";
        case Action::kFlush:
            return "flush()";
        case Action::kReopen:
            return "reopen + deposit";
    }
    return "?";
}

ArchiveOptions options_for(Action action, std::shared_ptr<FaultInjector> injector) {
    ArchiveOptions options;
    options.origin = "test.facteur/archive";
    // The subject is deposit number preliminary_docs().size() + 1.
    options.checkpoint_every_deposits =
        action == Action::kCheckpointDeposit ? preliminary_docs().size() + 1 : 1000;
    options.fault_injector = std::move(injector);
    // Reads are not what this test is about; their synced journal writes would only slow it.
    options.sync_access_journal = false;
    return options;
}

/// What a run did, as the client saw it.
struct Outcome {
    std::map<std::string, Receipt> receipts;  // number -> receipt of an acknowledged deposit
    std::set<std::string> attempted;          // numbers whose deposit was tried
    std::uint64_t checkpoint_size_acknowledged = 0;
    bool acknowledged = false;  // the action succeeded (the subject's receipt, the checkpoint)
    std::size_t later_acknowledged = 0;  // deposits on the same archive after the fault: ok
    std::size_t later_refused = 0;       // ... failed (cleanly, or it is a problem)
    std::vector<std::string> problems;
};

std::string describe(const core::Error& error) {
    return "error " + std::to_string(static_cast<int>(error.code)) + " " + error.message;
}

/// A deposit as a client makes it: an error must be a clean one (kUnavailable, what the store
/// makes of an I/O error), never a conflict for a document only ever sent with the same bytes,
/// never kDataLoss (nothing was damaged, only refused).
void deposit(Archive& archive, const Doc& doc, Outcome& run, bool& acknowledged) {
    run.attempted.insert(doc.number);
    auto receipt = archive.deposit(request(doc));
    acknowledged = receipt.has_value();
    if (receipt) {
        run.receipts.emplace(doc.number, *receipt);
        return;
    }
    if (receipt.error().code != core::Errc::kUnavailable) {
        run.problems.push_back("deposit " + doc.number
                               + " failed uncleanly: " + describe(receipt.error()));
    }
}

/// The file name of `path` without its digits: RocksDB numbers files deterministically, but
/// renames its info log to LOG.old.<microseconds>.
std::string without_digits(const std::string& path) {
    std::string name = std::filesystem::path(path).filename().string();
    std::erase_if(name, [](char c) { return c >= '0' && c <= '9'; });
    return name;
}

/// FACTEUR_FAULT_ALL_OPS=1: fail every operation in both modes (the long mode, ~400 runs).
bool long_mode() {
    const char* value = std::getenv("FACTEUR_FAULT_ALL_OPS");
    return value != nullptr && std::string_view(value) == "1";
}

/// The indices of `ops` to fail. All of them in the long mode;
/// otherwise repeated identical steps are sampled, since they run the same code on the same
/// kind of file: of the table files (one per column family) only the first, the last and
/// the one written beside a blob file (the originals') are kept, and of consecutive writes to
/// one file (the 45 edits of a new MANIFEST) the first and the last. Everything else (WAL,
/// MANIFEST syncs, CURRENT, OPTIONS, blob files, directory fsyncs, renames, deletions) is kept.
std::vector<std::size_t> operations_to_fail(const std::vector<FsOpRecord>& ops) {
    std::vector<std::size_t> all(ops.size());
    for (std::size_t i = 0; i < ops.size(); ++i) {
        all[i] = i;
    }
    if (long_mode()) {
        return all;
    }
    const auto is_table = [&](std::size_t i) {
        return std::filesystem::path(ops[i].file).extension() == ".sst";
    };
    std::vector<std::string> tables;  // in creation order
    std::set<std::string> kept_tables;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        if (ops[i].op != FsOp::kCreate) {
            continue;
        }
        if (is_table(i)) {
            tables.push_back(ops[i].file);
        } else if (std::filesystem::path(ops[i].file).extension() == ".blob" && !tables.empty()) {
            kept_tables.insert(tables.back());
        }
    }
    if (!tables.empty()) {
        kept_tables.insert(tables.front());
        kept_tables.insert(tables.back());
    }
    std::vector<std::size_t> kept;
    for (const std::size_t i : all) {
        if (is_table(i) && !kept_tables.contains(ops[i].file)) {
            continue;
        }
        const auto same_write = [&](std::size_t j) {
            return j < ops.size() && ops[j].op == FsOp::kWrite && ops[j].file == ops[i].file;
        };
        if (ops[i].op == FsOp::kWrite && i > 0 && same_write(i - 1) && same_write(i + 1)) {
            continue;  // inside a run of writes to one file
        }
        kept.push_back(i);
    }
    return kept;
}

class ArchiveFaultTest : public ::testing::Test {
protected:
    ArchiveFaultTest() : clock_(kStartMs) {}

    /// The archive every run of `action` starts from, built once per test: a fresh archive
    /// with the preliminary deposits, flushed to table files (except for kReopen, whose point
    /// is to replay them from the WAL), closed. Each run works on a copy, which is the same as
    /// a fresh archive with the same deposits (the clock is fixed, the ids deterministic) and
    /// saves the ~40 fsyncs of creating 13 column families. Its files count as durable.
    const std::filesystem::path& template_for(Action action) {
        auto& dir = templates_[action];
        if (!dir) {
            dir = std::make_unique<testing::TempDir>();
            Outcome& run = template_runs_[action];
            auto archive =
                Archive::open(dir->path() / "archive", options_for(action, nullptr), clock_)
                    .value();
            for (const Doc& doc : preliminary_docs()) {
                bool acknowledged = false;
                deposit(*archive, doc, run, acknowledged);
                EXPECT_TRUE(acknowledged) << "preliminary deposit " << doc.number;
            }
            if (action != Action::kReopen) {
                EXPECT_TRUE(archive->flush());
            }
        }
        template_paths_[action] = dir->path() / "archive";
        return template_paths_[action];
    }

    /// A copy of the template in `dir`, opened through `injector` (for kFlush with the subject
    /// deposited); left closed for kReopen.
    std::unique_ptr<Archive> prepare(const std::filesystem::path& dir, Action action,
                                     const std::shared_ptr<FaultInjector>& injector, Outcome& run) {
        const std::filesystem::path& from = template_for(action);
        run = template_runs_[action];
        std::filesystem::copy(from, dir, std::filesystem::copy_options::recursive);
        if (action == Action::kReopen) {
            return nullptr;
        }
        auto opened = Archive::open(dir, options_for(action, injector), clock_);
        EXPECT_TRUE(opened) << opened.error().message;
        if (!opened) {
            return nullptr;
        }
        std::unique_ptr<Archive> archive = std::move(*opened);
        if (action == Action::kFlush) {
            bool acknowledged = false;
            deposit(*archive, subject_doc(), run, acknowledged);
            EXPECT_TRUE(acknowledged) << "deposit before the flush";
        }
        return archive;
    }

    /// Runs `action` on `archive` (opening it for kReopen) and records the outcome.
    void act(const std::filesystem::path& dir, Action action,
             const std::shared_ptr<FaultInjector>& injector, std::unique_ptr<Archive>& archive,
             Outcome& run) {
        if (action == Action::kReopen) {
            auto opened = Archive::open(dir, options_for(action, injector), clock_);
            if (!opened) {
                if (opened.error().code != core::Errc::kUnavailable) {
                    run.problems.push_back("open failed uncleanly: " + describe(opened.error()));
                }
                return;
            }
            archive = std::move(*opened);
        }
        switch (action) {
            case Action::kDeposit:
            case Action::kCheckpointDeposit:
            case Action::kReopen:
                deposit(*archive, subject_doc(), run, run.acknowledged);
                if (run.acknowledged && action == Action::kCheckpointDeposit) {
                    run.checkpoint_size_acknowledged = preliminary_docs().size() + 1;
                }
                break;
            case Action::kCheckpoint:
                run.acknowledged = archive->checkpoint().has_value();
                if (run.acknowledged) {
                    run.checkpoint_size_acknowledged = preliminary_docs().size();
                }
                break;
            case Action::kFlush:
                // The deposits before it were acknowledged; the flush only moves them.
                run.acknowledged = archive->flush().has_value();
                break;
        }
    }

    /// After the fault, on the same open archive: a new deposit, and the subject again if it
    /// was not acknowledged. Either may fail (cleanly) or succeed (then it must be durable).
    static void keep_using(Archive& archive, Outcome& run) {
        std::vector<const Doc*> docs{&later_doc()};
        if (!run.receipts.contains(subject_doc().number)
            && run.attempted.contains(subject_doc().number)) {
            docs.push_back(&subject_doc());
        }
        for (const Doc* doc : docs) {
            bool acknowledged = false;
            deposit(archive, *doc, run, acknowledged);
            ++(acknowledged ? run.later_acknowledged : run.later_refused);
        }
    }

    /// Reopens `dir` on the plain file system and checks every invariant; returns the problems.
    void check(const std::filesystem::path& dir, Action action, Outcome& run) {
        auto opened = Archive::open(dir, options_for(action, nullptr), clock_);
        if (!opened) {
            run.problems.push_back("reopen failed: " + describe(opened.error()));
            return;
        }
        Archive& archive = **opened;
        if (archive.integrity_error()) {
            run.problems.push_back("integrity check at open: "
                                   + archive.integrity_error()->message);
        }
        expect_scrub_ok(archive, "after reopen", run);

        // Acknowledged deposits: present byte for byte, same receipt.
        for (const auto& [number, receipt] : run.receipts) {
            const auto bytes = archive.get(receipt.id);
            const auto meta = archive.meta(receipt.id);
            if (!bytes || !meta) {
                run.problems.push_back("acknowledged deposit " + number + " is lost");
                continue;
            }
            if (*bytes != doc_bytes(number) || meta->leaf_index != receipt.leaf_index
                || meta->invoice.number != number) {
                run.problems.push_back("acknowledged deposit " + number + " changed");
            }
        }

        // What is there: each number at most once, leaves 0..size-1 without holes, complete.
        ListFilter filter;
        filter.seller_siren = std::string(kSeller);
        const auto listed = archive.list(filter);
        if (!listed) {
            run.problems.push_back("list: " + describe(listed.error()));
            return;
        }
        std::map<std::string, ObjectMeta> present;
        std::set<std::uint64_t> leaves;
        for (const ObjectMeta& meta : *listed) {
            if (!present.emplace(meta.invoice.number, meta).second) {
                run.problems.push_back("number " + meta.invoice.number + " archived twice");
            }
            leaves.insert(meta.leaf_index);
            const auto bytes = archive.get(meta.id);
            if (!bytes || *bytes != doc_bytes(meta.invoice.number)) {
                run.problems.push_back("deposit " + meta.invoice.number + " is incomplete");
            }
        }
        if (archive.size() != present.size() || leaves.size() != present.size()
            || (!leaves.empty() && *leaves.rbegin() != leaves.size() - 1)) {
            run.problems.push_back("leaves do not match the deposits: size "
                                   + std::to_string(archive.size()) + ", "
                                   + std::to_string(present.size()) + " deposits present");
        }
        for (const auto& [number, meta] : present) {
            if (!run.attempted.contains(number)) {
                run.problems.push_back("deposit " + number + " appeared from nowhere");
            }
        }

        // Checkpoints: an acknowledged one is covered by the latest.
        const auto latest =
            open_checkpoint(archive.latest_checkpoint(), archive.verifier(), archive.origin());
        if (!latest || latest->tree_size < run.checkpoint_size_acknowledged) {
            run.problems.push_back("acknowledged checkpoint of size "
                                   + std::to_string(run.checkpoint_size_acknowledged) + " is lost");
        }

        // Retrying every deposit: "deposited" (then at the next index) or "duplicate" (with
        // the receipt it had), never a conflict, never a second leaf.
        for (const std::string& number : run.attempted) {
            const std::uint64_t size_before = archive.size();
            const auto retried = archive.deposit(request(Doc{number, doc_bytes(number)}));
            if (!retried) {
                run.problems.push_back("retry of " + number + ": " + describe(retried.error()));
                continue;
            }
            const auto it = present.find(number);
            if (it != present.end()) {
                if (retried->status != DepositStatus::kDuplicate || retried->id != it->second.id
                    || retried->leaf_index != it->second.leaf_index) {
                    run.problems.push_back("retry of present " + number + " is not its duplicate");
                }
            } else if (retried->status != DepositStatus::kDeposited
                       || retried->leaf_index != size_before) {
                run.problems.push_back("retry of absent " + number + " is not a new last leaf");
            }
        }
        if (archive.size() != run.attempted.size()) {
            run.problems.push_back("after the retries: " + std::to_string(archive.size())
                                   + " leaves for " + std::to_string(run.attempted.size())
                                   + " deposits");
        }
        expect_scrub_ok(archive, "after the retries", run);
    }

    static void expect_scrub_ok(const Archive& archive, const std::string& when, Outcome& run) {
        const auto scrub = archive.scrub();
        if (!scrub) {
            run.problems.push_back("scrub " + when + ": " + describe(scrub.error()));
        } else if (!scrub->ok()) {
            std::string text = "scrub " + when + ":";
            for (const std::string& problem : scrub->problems) {
                text += " " + problem + ";";
            }
            run.problems.push_back(text);
        }
    }

    static std::string doc_bytes(const std::string& number) {
        for (const Doc& doc : preliminary_docs()) {
            if (doc.number == number) {
                return doc.bytes;
            }
        }
        return number == subject_doc().number ? subject_doc().bytes : later_doc().bytes;
    }

    /// The operations of `action` on a fresh archive, without faults.
    std::vector<FsOpRecord> dry_run(Action action) {
        const testing::TempDir dir;
        const auto injector = std::make_shared<FaultInjector>();
        Outcome run;
        std::unique_ptr<Archive> archive = prepare(dir.path() / "archive", action, injector, run);
        injector->start_recording();
        act(dir.path() / "archive", action, injector, archive, run);
        std::vector<FsOpRecord> ops = injector->recorded();
        EXPECT_TRUE(run.problems.empty());
        EXPECT_TRUE(run.acknowledged) << action_name(action);
        if (action == Action::kCheckpointDeposit || action == Action::kCheckpoint) {
            // Otherwise the scenario would not test what it says.
            const auto latest = open_checkpoint(archive->latest_checkpoint(), archive->verifier(),
                                                archive->origin());
            EXPECT_EQ(latest.value().tree_size, run.checkpoint_size_acknowledged);
            EXPECT_GT(run.checkpoint_size_acknowledged, 0u);
        }
        std::map<FsOp, std::size_t> counts;
        std::printf("file-system operations of %s:\n", action_name(action));
        for (std::size_t i = 0; i < ops.size(); ++i) {
            ++counts[ops[i].op];
            std::printf(
                "  %2zu %-8s %s%s\n", i, store::fs_op_name(ops[i].op),
                std::filesystem::path(ops[i].file).filename().c_str(),
                ops[i].bytes > 0 ? (" " + std::to_string(ops[i].bytes) + " B").c_str() : "");
        }
        std::printf("  per kind:");
        for (const auto& [op, n] : counts) {
            std::printf(" %s %zu", store::fs_op_name(op), n);
        }
        std::printf("\n");
        EXPECT_GT(counts[FsOp::kWrite], 0u) << action_name(action);
        EXPECT_GT(counts[FsOp::kSync], 0u) << action_name(action);
        return ops;
    }

    /// One run: fault at operation k of `action` in `mode`, then the checks. Returns the run.
    Outcome run_once(Action action, const std::vector<FsOpRecord>& ops, std::size_t k,
                     FaultMode mode) {
        const testing::TempDir dir;
        const std::filesystem::path path = dir.path() / "archive";
        const auto injector = std::make_shared<FaultInjector>();
        Outcome run;
        std::unique_ptr<Archive> archive = prepare(path, action, injector, run);
        injector->arm(std::nullopt, k, mode);
        // A hang is a failure too (a deadlock after an I/O error): give up loudly.
        auto acting = std::async(std::launch::async, [&] {
            act(path, action, injector, archive, run);
            if (archive) {
                keep_using(*archive, run);
            }
            archive.reset();  // close; errors on close are only logged
        });
        if (acting.wait_for(kHangLimit) != std::future_status::ready) {
            std::fprintf(stderr, "archive fault test: %s with a fault at operation %zu hangs\n",
                         action_name(action), k);
            std::abort();
        }
        const std::optional<FsOpRecord> fault = injector->fault();
        if (k < ops.size()) {
            // The run must fail the operation the dry run saw at k (the sequence is
            // deterministic), else the scenario does not test what it claims.
            EXPECT_TRUE(fault && fault->op == ops[k].op
                        && without_digits(fault->file) == without_digits(ops[k].file))
                << action_name(action) << ": operation " << k << " is not the dry run's";
        }
        if (mode == FaultMode::kDiskGone) {
            const auto dropped = injector->drop_unsynced();
            EXPECT_TRUE(dropped) << dropped.error().message;
        }
        check(path, action, run);
        std::printf("  %-9s k=%-2zu %-8s %-16s %s%s\n",
                    mode == FaultMode::kOnce ? "once" : "power-cut", k,
                    fault ? store::fs_op_name(fault->op) : "-",
                    fault ? std::filesystem::path(fault->file).filename().c_str() : "",
                    run.acknowledged ? "acknowledged" : "unacknowledged",
                    run.problems.empty() ? "" : "  INCONSISTENT");
        for (const std::string& problem : run.problems) {
            std::printf("      %s\n", problem.c_str());
        }
        return run;
    }

    /// Every operation of `action`, in both modes, then the summary line.
    void fault_every_operation(Action action) {
        const std::vector<FsOpRecord> ops = dry_run(action);
        ASSERT_FALSE(ops.empty());
        std::size_t runs = 0;
        std::size_t acknowledged = 0;
        std::size_t inconsistent = 0;
        std::size_t later_acknowledged = 0;
        std::size_t later_refused = 0;
        std::vector<std::size_t> chosen = operations_to_fail(ops);
        std::printf("failing %zu of the %zu operations (FACTEUR_FAULT_ALL_OPS=1: all)\n",
                    chosen.size(), ops.size());
        for (const FaultMode mode : {FaultMode::kOnce, FaultMode::kDiskGone}) {
            std::vector<std::size_t> ks;
            for (const std::size_t k : chosen) {
                // Cutting the power before a write, a creation or a close leaves the same disk
                // as cutting it before the next sync, directory fsync, rename or deletion: what
                // they did is not durable yet and drop_unsynced() undoes it (the long mode
                // cuts before those too).
                const FsOp op = ops[k].op;
                if (mode == FaultMode::kOnce || long_mode()
                    || (op != FsOp::kWrite && op != FsOp::kCreate && op != FsOp::kClose)) {
                    ks.push_back(k);
                }
            }
            if (mode == FaultMode::kDiskGone) {
                ks.push_back(ops.size());  // the power cut just after the action
            }
            for (const std::size_t k : ks) {
                const Outcome run = run_once(action, ops, k, mode);
                ++runs;
                acknowledged += run.acknowledged ? 1 : 0;
                inconsistent += run.problems.empty() ? 0 : 1;
                later_acknowledged += run.later_acknowledged;
                later_refused += run.later_refused;
            }
        }
        std::printf(
            "fault injection: %zu runs, %zu acknowledged, %zu unacknowledged, "
            "%zu inconsistent (%s)\n",
            runs, acknowledged, runs - acknowledged, inconsistent, action_name(action));
        std::printf(
            "  later deposits on the same archive: %zu acknowledged (all found after the "
            "reopen), %zu refused cleanly\n",
            later_acknowledged, later_refused);
        EXPECT_EQ(inconsistent, 0u);
    }

    core::ManualClock clock_;
    std::map<Action, std::unique_ptr<testing::TempDir>> templates_;
    std::map<Action, std::filesystem::path> template_paths_;
    std::map<Action, Outcome> template_runs_;
};

TEST_F(ArchiveFaultTest, FaultAtEveryOperationOfADepositEndsUnacknowledgedOrConsistent) {
    fault_every_operation(Action::kDeposit);
}

TEST_F(ArchiveFaultTest, FaultAtEveryOperationOfACheckpointingDepositEndsConsistent) {
    fault_every_operation(Action::kCheckpointDeposit);
}

TEST_F(ArchiveFaultTest, FaultAtEveryOperationOfACheckpointEndsConsistent) {
    fault_every_operation(Action::kCheckpoint);
}

TEST_F(ArchiveFaultTest, FaultAtEveryOperationOfAFlushLosesNoDeposit) {
    fault_every_operation(Action::kFlush);
}

TEST_F(ArchiveFaultTest, FaultAtEveryOperationOfAReopenLosesNoDeposit) {
    fault_every_operation(Action::kReopen);
}

}  // namespace
}  // namespace facteur::archive
