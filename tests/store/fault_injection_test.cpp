#include "facteur/store/fault_injection.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/store/db.h"
#include "facteur/testing/testing.h"

// The injector itself, under a real RocksDB in a temp dir: it sees the WAL writes and syncs,
// fails exactly the operation it is armed for, and its power-loss model has teeth (a buffered
// write is lost, a synced one is kept). tests/archive/archive_fault_test.cpp uses it on the
// archive.

namespace facteur::store {
namespace {

DbConfig config_with(std::shared_ptr<FaultInjector> injector) {
    DbConfig config;
    config.column_families.push_back(
        ColumnFamilyConfig{.name = "blobs", .blob_files = true, .min_blob_size_bytes = 64});
    config.fault_injector = std::move(injector);
    return config;
}

core::Result<void> put(Db& db, std::string_view key, std::string_view value,
                       Durability durability = Durability::kSynced) {
    WriteBatch batch;
    FACTEUR_TRY(batch.put(db.column_family("blobs").value(), key, value));
    return db.write(batch, durability);
}

std::optional<std::string> get(Db& db, std::string_view key) {
    return db.get(db.column_family("blobs").value(), key).value();
}

std::size_t count_of(const std::vector<FsOpRecord>& ops, FsOp op) {
    std::size_t n = 0;
    for (const FsOpRecord& record : ops) {
        n += record.op == op ? 1 : 0;
    }
    return n;
}

bool has_extension(const std::string& file, std::string_view extension) {
    return std::filesystem::path(file).extension() == extension;
}

std::size_t files_with_extension(const std::filesystem::path& dir, std::string_view extension) {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        n += entry.path().extension() == extension ? 1 : 0;
    }
    return n;
}

TEST(StoreFaultInjectionTest, RecordsTheWalWriteAndSyncOfASyncedWrite) {
    const testing::TempDir dir;
    const auto injector = std::make_shared<FaultInjector>();
    auto db = Db::open(dir.path() / "db", config_with(injector)).value();
    EXPECT_GT(injector->count(FsOp::kCreate), 0u);  // MANIFEST, WAL, OPTIONS, ...
    EXPECT_GT(injector->count(FsOp::kRename), 0u);  // CURRENT
    injector->start_recording();
    ASSERT_TRUE(put(*db, "k", "v"));
    const std::vector<FsOpRecord> ops = injector->recorded();
    ASSERT_FALSE(ops.empty());
    EXPECT_GE(count_of(ops, FsOp::kWrite), 1u);
    EXPECT_GE(count_of(ops, FsOp::kSync), 1u);
    for (const FsOpRecord& op : ops) {
        // The WAL, and the database directory the first time the new WAL is synced.
        if (op.op != FsOp::kDirSync) {
            EXPECT_EQ(std::filesystem::path(op.file).extension(), ".log") << fs_op_name(op.op);
        }
        EXPECT_FALSE(op.failed);
    }
    // A buffered write appends to the WAL but does not sync it.
    injector->start_recording();
    ASSERT_TRUE(put(*db, "k2", "v", Durability::kBuffered));
    EXPECT_EQ(count_of(injector->recorded(), FsOp::kSync), 0u);
}

TEST(StoreFaultInjectionTest, FailsTheArmedOperationOnceAndReportsIt) {
    const testing::TempDir dir;
    const auto injector = std::make_shared<FaultInjector>();
    {
        auto db = Db::open(dir.path() / "db", config_with(injector)).value();
        ASSERT_TRUE(put(*db, "before", "1"));
        injector->arm(FsOp::kSync, 0, FaultMode::kOnce);
        const auto failed = put(*db, "k", "v");
        ASSERT_FALSE(failed);
        EXPECT_EQ(failed.error().code, core::Errc::kUnavailable);
        EXPECT_NE(failed.error().message.find("injected fault"), std::string::npos)
            << failed.error().message;
        ASSERT_TRUE(injector->fired());
        EXPECT_EQ(injector->fault()->op, FsOp::kSync);
        EXPECT_EQ(std::filesystem::path(injector->fault()->file).extension(), ".log");
        // RocksDB stops writing after a failed WAL sync (a background error) rather than go on
        // over a WAL it could not sync: later writes fail too, until the database is reopened.
        const auto later = put(*db, "later", "v");
        ASSERT_FALSE(later);
        EXPECT_EQ(later.error().code, core::Errc::kUnavailable);
    }
    auto db = Db::open(dir.path() / "db", DbConfig{}).value();
    EXPECT_EQ(get(*db, "before"), "1");
    EXPECT_EQ(get(*db, "later"), std::nullopt);
}

TEST(StoreFaultInjectionTest, DiskGoneFailsEveryLaterOperation) {
    const testing::TempDir dir;
    const auto injector = std::make_shared<FaultInjector>();
    auto db = Db::open(dir.path() / "db", config_with(injector)).value();
    injector->arm(FsOp::kWrite, 0, FaultMode::kDiskGone);
    injector->start_recording();
    EXPECT_FALSE(put(*db, "k", "v"));
    EXPECT_FALSE(db->flush());
    const std::vector<FsOpRecord> ops = injector->recorded();
    ASSERT_FALSE(ops.empty());
    for (const FsOpRecord& op : ops) {
        EXPECT_TRUE(op.failed) << fs_op_name(op.op) << " " << op.file;
    }
}

TEST(StoreFaultInjectionTest, PowerLossDropsBufferedWritesAndKeepsSyncedOnes) {
    const testing::TempDir dir;
    const auto injector = std::make_shared<FaultInjector>();
    const std::string big(1000, 'b');  // a blob once flushed
    {
        auto db = Db::open(dir.path() / "db", config_with(injector)).value();
        ASSERT_TRUE(put(*db, "synced", big));
        ASSERT_TRUE(put(*db, "buffered", "lost", Durability::kBuffered));
        // The power goes: nothing after this reaches the disk, not even the close.
        injector->arm(std::nullopt, 0, FaultMode::kDiskGone);
    }
    ASSERT_TRUE(injector->drop_unsynced());
    auto db = Db::open(dir.path() / "db", DbConfig{}).value();
    EXPECT_EQ(get(*db, "synced"), big);
    EXPECT_EQ(get(*db, "buffered"), std::nullopt);
}

TEST(StoreFaultInjectionTest, PowerLossDuringAFlushKeepsEverySyncedWrite) {
    // Cut the power at every operation of a flush (table and blob files, MANIFEST, directory
    // fsyncs); each time the database opens again with everything that was synced.
    const std::string big(1000, 'b');
    std::vector<FsOpRecord> flush_ops;
    {
        const testing::TempDir dir;
        const auto injector = std::make_shared<FaultInjector>();
        auto db = Db::open(dir.path() / "db", config_with(injector)).value();
        ASSERT_TRUE(put(*db, "a", big));
        injector->start_recording();
        ASSERT_TRUE(db->flush());
        flush_ops = injector->recorded();
    }
    // The directory fsync that makes the new table and blob files durable.
    std::optional<std::size_t> tables_dir_sync;
    bool table_created = false;
    for (std::size_t i = 0; i < flush_ops.size(); ++i) {
        const FsOpRecord& op = flush_ops[i];
        std::printf("flush op %zu: %s %s\n", i, fs_op_name(op.op),
                    std::filesystem::path(op.file).filename().c_str());
        table_created = table_created || (op.op == FsOp::kCreate && has_extension(op.file, ".sst"));
        if (table_created && !tables_dir_sync && op.op == FsOp::kDirSync) {
            tables_dir_sync = i;
        }
    }
    ASSERT_TRUE(tables_dir_sync);
    ASSERT_GT(count_of(flush_ops, FsOp::kSync), 1u);  // table file, blob file, MANIFEST
    for (std::size_t k = 0; k <= flush_ops.size(); ++k) {
        SCOPED_TRACE("power cut before operation " + std::to_string(k) + " of the flush");
        const testing::TempDir dir;
        const auto injector = std::make_shared<FaultInjector>();
        {
            auto db = Db::open(dir.path() / "db", config_with(injector)).value();
            ASSERT_TRUE(put(*db, "a", big));
            injector->arm(std::nullopt, k, FaultMode::kDiskGone);
            const auto flushed = db->flush();
            EXPECT_EQ(injector->fired(), k < flush_ops.size());
            EXPECT_TRUE(flushed || k < flush_ops.size());
        }
        ASSERT_TRUE(injector->drop_unsynced());
        // Before the directory fsync, the new files' names were not durable: they are gone.
        if (k == *tables_dir_sync) {
            EXPECT_EQ(files_with_extension(dir.path() / "db", ".sst"), 0u);
            EXPECT_EQ(files_with_extension(dir.path() / "db", ".blob"), 0u);
        }
        if (k == flush_ops.size()) {
            EXPECT_EQ(files_with_extension(dir.path() / "db", ".sst"), 1u);
            EXPECT_EQ(files_with_extension(dir.path() / "db", ".blob"), 1u);
        }
        auto db = Db::open(dir.path() / "db", DbConfig{});
        ASSERT_TRUE(db) << db.error().message;
        EXPECT_EQ(get(**db, "a"), big);
    }
}

}  // namespace
}  // namespace facteur::store
