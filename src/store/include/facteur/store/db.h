#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "facteur/core/result.h"

// RAII over one RocksDB database with column families. RocksDB types and statuses never leave
// this module: every rocksdb::Status becomes a core::Result (see status_to_result in db.cpp).

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Env;
class WriteBatch;
}  // namespace rocksdb

namespace facteur::store {

class FaultInjector;  // facteur/store/fault_injection.h

/// How RocksDB replays its write-ahead log on open (rocksdb::WALRecoveryMode).
enum class WalRecovery : std::uint8_t {
    /// Refuse to open on any WAL corruption, even in the last record. Nothing is ever dropped
    /// silently; an operator decides. The default (see docs/adr/0004-archive-storage.md).
    kAbsoluteConsistency,
    /// Drop an incomplete last record (a write that was never acknowledged when the WAL is
    /// synced); refuse to open on corruption anywhere else. For an operator's recovery run.
    kTolerateCorruptedTailRecords,
    /// Replay up to the first corruption and drop everything after it, silently. Never for the
    /// archive: an acknowledged, synced write after a corrupted record would be lost.
    kPointInTimeRecovery,
};

/// One column family beyond "default" (which always exists).
struct ColumnFamilyConfig {
    /// Name; unique, non-empty, not "default".
    std::string name;
    /// Store values of at least min_blob_size_bytes in blob files (integrated BlobDB): large
    /// values are written once and not rewritten by every compaction. Default: false.
    bool blob_files = false;
    /// Smallest value put in a blob file when blob_files. Default: 4 KiB.
    std::uint64_t min_blob_size_bytes = 4 * 1024;
    /// Target size of one blob file. Default: 256 MiB (RocksDB's default).
    std::uint64_t blob_file_size_bytes = 256ULL * 1024 * 1024;
    /// Let every compaction relocate the live blobs of the oldest blob files, so that the space
    /// of removed values comes back over time. It rewrites live values again and again, which a
    /// store that almost never removes pays for nothing (write stalls at 10^5 archived
    /// originals): off by default, and compact() reclaims the space when asked. Default: false.
    bool blob_garbage_collection = false;
};

/// Options of Db::open(). Every RocksDB option facteur depends on is set explicitly from here.
struct DbConfig {
    /// Create the database (and missing column families) when absent. Default: true.
    bool create_if_missing = true;
    /// Column families to open or create; column families found on disk but not listed are
    /// opened too, with default options (RocksDB refuses to open a database otherwise).
    std::vector<ColumnFamilyConfig> column_families;
    /// WAL replay on open. Default: kAbsoluteConsistency.
    WalRecovery wal_recovery = WalRecovery::kAbsoluteConsistency;
    /// Memtable size per column family. Default: 16 MiB.
    std::uint64_t write_buffer_bytes = 16ULL * 1024 * 1024;
    /// Files RocksDB keeps open. Default: 512.
    int open_files_max = 512;
    /// Background flush and compaction threads. Default: 2.
    int background_jobs = 2;
    /// LRU cache of table blocks (data, index and Bloom filter blocks), shared by every column
    /// family. Default: 64 MiB.
    std::uint64_t block_cache_bytes = 64ULL * 1024 * 1024;
    /// For tests only: every file-system operation of the database goes through this injector,
    /// which counts and records them and fails the ones it is armed for
    /// (facteur/store/fault_injection.h). Default: null, the real file system untouched.
    std::shared_ptr<FaultInjector> fault_injector;
};

/// Whether Db::write() returns before or after the WAL reached the disk.
enum class Durability : std::uint8_t {
    kSynced,    ///< fsync the WAL before returning (WriteOptions::sync): survives power loss
    kBuffered,  ///< OS page cache only: survives a process crash, not a power loss
};

/// Whether a scan goes on.
enum class Visit : std::uint8_t { kContinue, kStop };

class Db;

/// A column family handle; valid while its Db is open. Cheap to copy.
class ColumnFamily {
public:
    ColumnFamily() = default;

    [[nodiscard]] bool valid() const noexcept { return handle_ != nullptr; }

private:
    friend class Db;
    friend class WriteBatch;

    explicit ColumnFamily(rocksdb::ColumnFamilyHandle* handle) noexcept : handle_(handle) {}

    rocksdb::ColumnFamilyHandle* handle_ = nullptr;
};

/// Puts and removes applied atomically by Db::write(), across column families. Move-only.
class WriteBatch {
public:
    WriteBatch();
    ~WriteBatch();
    WriteBatch(WriteBatch&&) noexcept;
    WriteBatch& operator=(WriteBatch&&) noexcept;
    WriteBatch(const WriteBatch&) = delete;
    WriteBatch& operator=(const WriteBatch&) = delete;

    /// Sets `key` to `value` in `cf`. Precondition: cf.valid().
    /// Errors: kResourceExhausted (the batch exceeds RocksDB's size limit), kInternal.
    [[nodiscard]] core::Result<void> put(ColumnFamily cf, std::string_view key,
                                         std::string_view value);

    /// Removes `key` from `cf` (a no-op if absent). Precondition: cf.valid().
    /// Errors: kResourceExhausted, kInternal.
    [[nodiscard]] core::Result<void> remove(ColumnFamily cf, std::string_view key);

    /// Number of puts and removes.
    [[nodiscard]] std::uint32_t count() const noexcept;

    /// Encoded size in bytes.
    [[nodiscard]] std::size_t byte_size() const noexcept;

private:
    friend class Db;

    std::unique_ptr<rocksdb::WriteBatch> batch_;
};

/// An open RocksDB database. Thread-safe: any number of threads may read and write at once
/// (concurrent synced writes share one WAL fsync: RocksDB's write group). Not movable (column
/// family handles point into it); hold it by unique_ptr.
class Db {
public:
    /// Opens (or creates) the database in directory `path` with the column families of
    /// `config` plus any already on disk.
    /// Errors: kInvalidInput (bad config, or no database and !create_if_missing), kDataLoss
    /// (corruption, including any WAL corruption under kAbsoluteConsistency), kUnavailable
    /// (I/O, or the database is locked by another process), kInternal.
    [[nodiscard]] static core::Result<std::unique_ptr<Db>> open(const std::filesystem::path& path,
                                                                const DbConfig& config);

    /// Closes the database (errors on close are logged to stderr: nothing can be done then).
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    /// The directory of the database.
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

    /// The handle of an open column family. Errors: kNotFound.
    [[nodiscard]] core::Result<ColumnFamily> column_family(std::string_view name) const;

    /// Names of the open column families, "default" first.
    [[nodiscard]] std::vector<std::string> column_family_names() const;

    /// The value of `key`, std::nullopt if absent (checksums verified).
    /// Errors: kDataLoss (corruption), kUnavailable (I/O), kInternal.
    [[nodiscard]] core::Result<std::optional<std::string>> get(ColumnFamily cf,
                                                               std::string_view key) const;

    /// Applies `batch` atomically (all or nothing, across column families) and empties it.
    /// Errors: kUnavailable (I/O, disk full, or the database stopped writes after a background
    /// error), kDataLoss, kInternal.
    [[nodiscard]] core::Result<void> write(WriteBatch& batch,
                                           Durability durability = Durability::kSynced);

    /// Calls `visit` for every key in [begin, end) of `cf` in key order (`end` empty: to the
    /// last key) until it returns Visit::kStop or an error, which is returned. The views are
    /// valid during the call only.
    /// Errors: those of `visit`; kDataLoss (corruption), kUnavailable (I/O), kInternal.
    [[nodiscard]] core::Result<void> scan(
        ColumnFamily cf, std::string_view begin, std::string_view end,
        const std::function<core::Result<Visit>(std::string_view key, std::string_view value)>&
            visit) const;

    /// scan() over the keys starting with `prefix`.
    [[nodiscard]] core::Result<void> scan_prefix(
        ColumnFamily cf, std::string_view prefix,
        const std::function<core::Result<Visit>(std::string_view key, std::string_view value)>&
            visit) const;

    /// The last key of `cf` and its value, std::nullopt when `cf` is empty.
    /// Errors: kDataLoss, kUnavailable, kInternal.
    [[nodiscard]] core::Result<std::optional<std::pair<std::string, std::string>>> last(
        ColumnFamily cf) const;

    /// Flushes every memtable to SST files (column family by column family) and waits.
    /// Errors: kUnavailable, kInternal.
    [[nodiscard]] core::Result<void> flush();

    /// Reads every block of every table (SST) file and checks its checksum, then the whole-file
    /// checksum recorded in the MANIFEST of every table file written with one (all files written
    /// by facteur since file checksums were enabled). Blob files are checked record by record
    /// when their values are read (get() and scan() verify checksums).
    /// Errors: kDataLoss (a checksum does not match: the message names the file), kUnavailable
    /// (I/O), kInternal.
    [[nodiscard]] core::Result<void> verify_files() const;

    /// Compacts all of `cf`, reclaiming the space of removed values; for a column family with
    /// blob files, blob garbage collection is turned on for this compaction (every blob file
    /// rewritten without its removed values), then set back. Errors: kUnavailable, kInternal.
    [[nodiscard]] core::Result<void> compact(ColumnFamily cf);

private:
    Db() = default;

    std::filesystem::path path_;
    std::unique_ptr<rocksdb::Env> env_;  // the fault-injecting Env, when configured; outlives db_
    std::unique_ptr<rocksdb::DB> db_;
    std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // owned; destroyed before db_ closes
    std::vector<std::string> names_;                     // names_[i] is handles_[i]'s name
};

/// The smallest key greater than every key starting with `prefix` (for scan's `end`); empty
/// when there is none (prefix empty or all 0xff).
[[nodiscard]] std::string prefix_successor(std::string_view prefix);

/// `value` as 8 big-endian bytes: keys that sort numerically.
[[nodiscard]] std::string encode_u64_be(std::uint64_t value);

/// The value of 8 big-endian bytes. Errors: kDataLoss (not 8 bytes: a key was corrupted).
[[nodiscard]] core::Result<std::uint64_t> decode_u64_be(std::string_view bytes);

}  // namespace facteur::store
