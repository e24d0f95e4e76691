#include "facteur/store/db.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/testing/testing.h"

namespace facteur::store {
namespace {

DbConfig two_families() {
    DbConfig config;
    config.column_families.push_back(ColumnFamilyConfig{.name = "small"});
    config.column_families.push_back(
        ColumnFamilyConfig{.name = "blobs", .blob_files = true, .min_blob_size_bytes = 4096});
    return config;
}

std::vector<std::pair<std::string, std::string>> scan_all(const Db& db, ColumnFamily cf,
                                                          std::string_view begin = "",
                                                          std::string_view end = "") {
    std::vector<std::pair<std::string, std::string>> rows;
    const auto scanned = db.scan(cf, begin, end, [&](std::string_view key, std::string_view value) {
        rows.emplace_back(key, value);
        return Visit::kContinue;
    });
    EXPECT_TRUE(scanned) << scanned.error().message;
    return rows;
}

TEST(StoreDbTest, PutGetAcrossColumnFamiliesSurvivesReopen) {
    const testing::TempDir dir;
    const std::string big(100 * 1024, 'x');  // above min_blob_size: goes to a blob file
    {
        auto db = Db::open(dir.path() / "db", two_families());
        ASSERT_TRUE(db) << db.error().message;
        const ColumnFamily small = (*db)->column_family("small").value();
        const ColumnFamily blobs = (*db)->column_family("blobs").value();
        WriteBatch batch;
        ASSERT_TRUE(batch.put(small, "k1", std::string("v\0one", 5)));
        ASSERT_TRUE(batch.put(blobs, "doc", big));
        EXPECT_EQ(batch.count(), 2u);
        ASSERT_TRUE((*db)->write(batch));
        EXPECT_EQ(batch.count(), 0u);  // write() empties the batch
        ASSERT_TRUE((*db)->flush());
    }
    auto db = Db::open(dir.path() / "db", two_families());
    ASSERT_TRUE(db) << db.error().message;
    EXPECT_EQ((*db)->get((*db)->column_family("small").value(), "k1").value(),
              std::string("v\0one", 5));
    EXPECT_EQ((*db)->get((*db)->column_family("blobs").value(), "doc").value(), big);
    EXPECT_EQ((*db)->get((*db)->column_family("small").value(), "absent").value(), std::nullopt);
    // Keys are per column family.
    EXPECT_EQ((*db)->get((*db)->column_family("blobs").value(), "k1").value(), std::nullopt);
}

TEST(StoreDbTest, OpensColumnFamiliesFoundOnDiskEvenIfNotConfigured) {
    const testing::TempDir dir;
    {
        auto db = Db::open(dir.path() / "db", two_families()).value();
        WriteBatch batch;
        ASSERT_TRUE(batch.put(db->column_family("blobs").value(), "a", "1"));
        ASSERT_TRUE(db->write(batch, Durability::kBuffered));
    }
    auto db = Db::open(dir.path() / "db", DbConfig{});
    ASSERT_TRUE(db) << db.error().message;
    EXPECT_EQ((*db)->column_family_names(),
              (std::vector<std::string>{"default", "small", "blobs"}));
    EXPECT_EQ((*db)->get((*db)->column_family("blobs").value(), "a").value(), "1");
    EXPECT_EQ((*db)->column_family("nope").error().code, core::Errc::kNotFound);
}

TEST(StoreDbTest, ScanVisitsRangesInKeyOrderAndStops) {
    const testing::TempDir dir;
    auto db = Db::open(dir.path() / "db", two_families()).value();
    const ColumnFamily cf = db->column_family("small").value();
    WriteBatch batch;
    for (const char* key : {"b/2", "a/1", "b/1", "c/1", "b\xff"}) {
        ASSERT_TRUE(batch.put(cf, key, key));
    }
    ASSERT_TRUE(db->write(batch));
    EXPECT_EQ(scan_all(*db, cf).size(), 5u);
    const auto range = scan_all(*db, cf, "b/", "c");
    ASSERT_EQ(range.size(), 3u);
    EXPECT_EQ(range[0].first, "b/1");
    EXPECT_EQ(range[1].first, "b/2");
    std::vector<std::string> prefixed;
    ASSERT_TRUE(db->scan_prefix(cf, "b/", [&](std::string_view key, std::string_view) {
        prefixed.emplace_back(key);
        return Visit::kContinue;
    }));
    EXPECT_EQ(prefixed, (std::vector<std::string>{"b/1", "b/2"}));
    int visits = 0;
    ASSERT_TRUE(db->scan(cf, "", "", [&](std::string_view, std::string_view) {
        ++visits;
        return Visit::kStop;
    }));
    EXPECT_EQ(visits, 1);
    EXPECT_EQ(db->last(cf).value()->first, "c/1");
    EXPECT_EQ(db->last(db->column_family("blobs").value()).value(), std::nullopt);
}

TEST(StoreDbTest, ScanPassesVisitorErrorsThrough) {
    const testing::TempDir dir;
    auto db = Db::open(dir.path() / "db", two_families()).value();
    const ColumnFamily cf = db->column_family("small").value();
    WriteBatch batch;
    ASSERT_TRUE(batch.put(cf, "k", "v"));
    ASSERT_TRUE(db->write(batch));
    const auto scanned =
        db->scan(cf, "", "", [](std::string_view, std::string_view) -> core::Result<Visit> {
            return core::fail(core::Errc::kDataLoss, "visitor says no");
        });
    ASSERT_FALSE(scanned);
    EXPECT_EQ(scanned.error().code, core::Errc::kDataLoss);
}

TEST(StoreDbTest, RemoveDeletesAtomicallyWithPuts) {
    const testing::TempDir dir;
    auto db = Db::open(dir.path() / "db", two_families()).value();
    const ColumnFamily small = db->column_family("small").value();
    const ColumnFamily blobs = db->column_family("blobs").value();
    WriteBatch first;
    ASSERT_TRUE(first.put(blobs, "doc", std::string(8192, 'd')));
    ASSERT_TRUE(db->write(first));
    WriteBatch second;
    ASSERT_TRUE(second.remove(blobs, "doc"));
    ASSERT_TRUE(second.put(small, "tombstone", "yes"));
    ASSERT_TRUE(db->write(second));
    EXPECT_EQ(db->get(blobs, "doc").value(), std::nullopt);
    EXPECT_EQ(db->get(small, "tombstone").value(), "yes");
    ASSERT_TRUE(db->compact(blobs));
    EXPECT_EQ(db->get(blobs, "doc").value(), std::nullopt);
}

TEST(StoreDbTest, RejectsInvalidConfigAndMissingDatabase) {
    const testing::TempDir dir;
    DbConfig duplicate;
    duplicate.column_families = {ColumnFamilyConfig{.name = "a"}, ColumnFamilyConfig{.name = "a"}};
    EXPECT_EQ(Db::open(dir.path() / "db", duplicate).error().code, core::Errc::kInvalidInput);
    DbConfig named_default;
    named_default.column_families = {ColumnFamilyConfig{.name = "default"}};
    EXPECT_EQ(Db::open(dir.path() / "db", named_default).error().code, core::Errc::kInvalidInput);
    DbConfig no_create;
    no_create.create_if_missing = false;
    EXPECT_FALSE(Db::open(dir.path() / "absent", no_create));
}

TEST(StoreDbTest, SecondOpenOfTheSameDatabaseIsUnavailable) {
    const testing::TempDir dir;
    auto first = Db::open(dir.path() / "db", two_families()).value();
    const auto second = Db::open(dir.path() / "db", two_families());
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, core::Errc::kUnavailable) << second.error().message;
}

/// Writes `count` synced records (left in the WAL: no flush) and returns the WAL file.
std::filesystem::path write_synced(const std::filesystem::path& path, int count) {
    {
        auto db = Db::open(path, two_families()).value();
        const ColumnFamily cf = db->column_family("small").value();
        for (int i = 0; i < count; ++i) {
            WriteBatch batch;
            EXPECT_TRUE(batch.put(cf, "key" + std::to_string(1000 + i), std::string(100, 'v')));
            EXPECT_TRUE(db->write(batch, Durability::kSynced));
        }
    }
    std::filesystem::path wal;
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
        if (entry.path().extension() == ".log" && entry.file_size() > 0) {
            wal = entry.path();
        }
    }
    EXPECT_FALSE(wal.empty());
    return wal;
}

std::size_t count_keys(const Db& db) {
    std::size_t count = 0;
    EXPECT_TRUE(
        db.scan(db.column_family("small").value(), "", "", [&](std::string_view, std::string_view) {
            ++count;
            return Visit::kContinue;
        }));
    return count;
}

TEST(StoreDbTest, TornWalTailNeedsTheOperatorsTolerantRecovery) {
    // A crash in the middle of appending a batch leaves an incomplete last record: a write that
    // was never acknowledged. Absolute consistency refuses to open; the operator's recovery run
    // with kTolerateCorruptedTailRecords drops exactly that record.
    const testing::TempDir dir;
    const std::filesystem::path wal = write_synced(dir.path() / "db", 20);
    std::filesystem::resize_file(wal, std::filesystem::file_size(wal) - 10);
    const auto strict = Db::open(dir.path() / "db", two_families());
    ASSERT_FALSE(strict);
    EXPECT_EQ(strict.error().code, core::Errc::kDataLoss) << strict.error().message;
    DbConfig tolerant = two_families();
    tolerant.wal_recovery = WalRecovery::kTolerateCorruptedTailRecords;
    auto db = Db::open(dir.path() / "db", tolerant);
    ASSERT_TRUE(db) << db.error().message;
    EXPECT_EQ(count_keys(**db), 19u);
}

/// Writes `count` synced records (left in the WAL: no flush), then flips one byte in the middle
/// of the WAL file.
void write_then_corrupt_wal(const std::filesystem::path& path, int count) {
    const std::filesystem::path wal = write_synced(path, count);
    ASSERT_FALSE(wal.empty());
    std::fstream file(wal, std::ios::in | std::ios::out | std::ios::binary);
    const auto middle = static_cast<std::streamoff>(std::filesystem::file_size(wal) / 2);
    file.seekg(middle);
    const char byte = static_cast<char>(file.get());
    file.seekp(middle);
    file.put(static_cast<char>(byte ^ 0x40));
}

TEST(StoreDbTest, AbsoluteConsistencyRefusesACorruptedWalThatPointInTimeWouldTruncate) {
    const testing::TempDir dir;
    write_then_corrupt_wal(dir.path() / "db", 50);
    // The default refuses to open rather than drop acknowledged writes silently.
    const auto strict = Db::open(dir.path() / "db", two_families());
    ASSERT_FALSE(strict);
    EXPECT_EQ(strict.error().code, core::Errc::kDataLoss) << strict.error().message;
    // Point-in-time recovery opens and silently loses the synced writes after the damage:
    // the reason the archive never uses it (docs/adr/0004-archive-storage.md).
    DbConfig lenient = two_families();
    lenient.wal_recovery = WalRecovery::kPointInTimeRecovery;
    auto db = Db::open(dir.path() / "db", lenient);
    ASSERT_TRUE(db) << db.error().message;
    EXPECT_LT(count_keys(**db), 50u);
}

TEST(StoreKeysTest, BigEndianKeysSortNumericallyAndRoundTrip) {
    EXPECT_LT(encode_u64_be(255), encode_u64_be(256));
    EXPECT_LT(encode_u64_be(1), encode_u64_be(UINT64_MAX));
    for (const std::uint64_t value :
         {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{0x0102030405060708}, UINT64_MAX}) {
        EXPECT_EQ(decode_u64_be(encode_u64_be(value)).value(), value);
    }
    EXPECT_EQ(decode_u64_be("1234567").error().code, core::Errc::kDataLoss);
    EXPECT_EQ(prefix_successor("ab"), "ac");
    EXPECT_EQ(prefix_successor("a\xff"), "b");
    EXPECT_EQ(prefix_successor("\xff\xff"), "");
    EXPECT_EQ(prefix_successor(""), "");
}

}  // namespace
}  // namespace facteur::store

namespace facteur::store {
namespace {

std::uintmax_t blob_bytes(const std::filesystem::path& db) {
    std::uintmax_t total = 0;
    for (const auto& entry : std::filesystem::directory_iterator(db)) {
        if (entry.path().extension() == ".blob") {
            total += entry.file_size();
        }
    }
    return total;
}

TEST(StoreDbTest, CompactReclaimsTheSpaceOfRemovedBlobsWithoutBackgroundCollection) {
    const testing::TempDir dir;
    auto db = Db::open(dir.path() / "db", two_families()).value();
    const ColumnFamily blobs = db->column_family("blobs").value();
    for (int i = 0; i < 10; ++i) {
        WriteBatch batch;
        ASSERT_TRUE(batch.put(blobs, "doc" + std::to_string(i), std::string(64 * 1024, static_cast<char>('a' + i))));
        ASSERT_TRUE(db->write(batch));
    }
    ASSERT_TRUE(db->flush());
    const std::uintmax_t before = blob_bytes(dir.path() / "db");
    EXPECT_GT(before, 10u * 64 * 1024);
    for (int i = 1; i < 10; ++i) {
        WriteBatch batch;
        ASSERT_TRUE(batch.remove(blobs, "doc" + std::to_string(i)));
        ASSERT_TRUE(db->write(batch));
    }
    ASSERT_TRUE(db->flush());
    EXPECT_EQ(blob_bytes(dir.path() / "db"), before);  // nothing collected behind our back
    ASSERT_TRUE(db->compact(blobs));
    const std::uintmax_t after = blob_bytes(dir.path() / "db");
    EXPECT_LT(after, 2u * 64 * 1024);  // only doc0's blob is left
    EXPECT_EQ(db->get(blobs, "doc0").value(), std::string(64 * 1024, 'a'));
    EXPECT_EQ(db->get(blobs, "doc5").value(), std::nullopt);
}

}  // namespace
}  // namespace facteur::store
