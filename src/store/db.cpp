#include "facteur/store/db.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_checksum.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/slice.h>
#include <rocksdb/status.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include "facteur/core/assert.h"

#include "fault_file_system.h"

namespace facteur::store {

namespace {

using core::Errc;

rocksdb::Slice to_slice(std::string_view bytes) noexcept {
    return {bytes.data(), bytes.size()};
}

std::string_view to_view(const rocksdb::Slice& slice) noexcept {
    return {slice.data(), slice.size()};
}

/// The one translation of RocksDB statuses into facteur errors. `what` names the operation;
/// RocksDB messages carry file names and codes, never stored values.
core::Result<void> status_to_result(const rocksdb::Status& status, std::string_view what) {
    if (status.ok()) {
        return {};
    }
    std::string message = "rocksdb " + std::string(what) + ": " + status.ToString();
    if (status.IsNotFound()) {
        return core::fail(Errc::kNotFound, std::move(message));
    }
    if (status.IsCorruption()) {
        return core::fail(Errc::kDataLoss, std::move(message));
    }
    if (status.IsNoSpace() || status.IsMemoryLimit()) {
        return core::fail(Errc::kResourceExhausted, std::move(message));
    }
    if (status.IsIOError() || status.IsBusy() || status.IsTimedOut() || status.IsTryAgain()
        || status.IsIncomplete() || status.IsShutdownInProgress()) {
        return core::fail(Errc::kUnavailable, std::move(message));
    }
    if (status.IsInvalidArgument()) {
        return core::fail(Errc::kInvalidInput, std::move(message));
    }
    if (status.IsNotSupported()) {
        return core::fail(Errc::kUnsupported, std::move(message));
    }
    return core::fail(Errc::kInternal, std::move(message));
}

rocksdb::WALRecoveryMode to_rocksdb(WalRecovery mode) noexcept {
    switch (mode) {
        case WalRecovery::kAbsoluteConsistency:
            return rocksdb::WALRecoveryMode::kAbsoluteConsistency;
        case WalRecovery::kTolerateCorruptedTailRecords:
            return rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
        case WalRecovery::kPointInTimeRecovery:
            return rocksdb::WALRecoveryMode::kPointInTimeRecovery;
    }
    return rocksdb::WALRecoveryMode::kAbsoluteConsistency;
}

rocksdb::DBOptions db_options(const DbConfig& config) {
    rocksdb::DBOptions options;
    options.create_if_missing = config.create_if_missing;
    options.create_missing_column_families = config.create_if_missing;
    options.wal_recovery_mode = to_rocksdb(config.wal_recovery);
    // Verify what is read from disk (WAL, SST and MANIFEST checksums) and stop on the first
    // inconsistency rather than serve a silently damaged database.
    options.paranoid_checks = true;
    // Record WAL files and their synced sizes in the MANIFEST, so that a missing or truncated
    // WAL is detected on open instead of silently skipped.
    options.track_and_verify_wals_in_manifest = true;
    // A CRC32C of every whole table file, recorded in the MANIFEST and checked by
    // Db::verify_files() (scrub): a flipped byte in a block no read touches is still found.
    options.file_checksum_gen_factory = rocksdb::GetFileChecksumGenCrc32cFactory();
    // No atomic_flush: with the WAL always on, recovery replays every batch a column family has
    // not flushed yet (RocksDB keeps those WAL files), so batches stay atomic across column
    // families. Flushing all of them together made every flush write one small level-0 file
    // per column family, and at 10^5 deposits compaction fell behind (write stalls on 20 L0
    // files, measured by bench/archive_scale_bench.cpp): each column family now flushes when
    // its own memtable is full.
    options.atomic_flush = false;
    options.max_open_files = config.open_files_max;
    options.max_background_jobs = config.background_jobs;
    // fdatasync is enough for the WAL (its size is recorded in the MANIFEST above).
    options.use_fsync = false;
    options.manual_wal_flush = false;
    return options;
}

/// The table format shared by every column family: one LRU block cache for the database and a
/// Bloom filter per table file, so that point lookups (the duplicate check of every deposit, a
/// record by id) read one table file instead of probing every level as the archive grows.
std::shared_ptr<rocksdb::TableFactory> table_factory(const DbConfig& config) {
    rocksdb::BlockBasedTableOptions table;
    table.block_cache = rocksdb::NewLRUCache(static_cast<std::size_t>(config.block_cache_bytes));
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10.0));
    table.cache_index_and_filter_blocks = true;
    table.pin_l0_filter_and_index_blocks_in_cache = true;
    table.optimize_filters_for_memory = true;
    return std::shared_ptr<rocksdb::TableFactory>(rocksdb::NewBlockBasedTableFactory(table));
}

rocksdb::ColumnFamilyOptions cf_options(const DbConfig& config, const ColumnFamilyConfig* cf,
                                        const std::shared_ptr<rocksdb::TableFactory>& table) {
    rocksdb::ColumnFamilyOptions options;
    options.table_factory = table;
    options.write_buffer_size = static_cast<std::size_t>(config.write_buffer_bytes);
    options.compression = rocksdb::kLZ4Compression;
    options.bottommost_compression = rocksdb::kZSTD;
    // No compaction filter, no TTL, no FIFO compaction: nothing may expire data behind the
    // archive's back (docs/adr/0004-archive-storage.md).
    options.compaction_style = rocksdb::kCompactionStyleLevel;
    options.ttl = 0;
    options.periodic_compaction_seconds = 0;
    if (cf != nullptr && cf->blob_files) {
        options.enable_blob_files = true;
        options.min_blob_size = cf->min_blob_size_bytes;
        options.blob_file_size = cf->blob_file_size_bytes;
        // Originals are stored exactly as received; most are PDFs or XML that the caller may
        // have compressed already, and uncompressed blobs keep reads a plain copy.
        options.blob_compression_type = rocksdb::kNoCompression;
        options.enable_blob_garbage_collection = cf->blob_garbage_collection;
    }
    return options;
}

core::Result<void> check_config(const DbConfig& config) {
    for (std::size_t i = 0; i < config.column_families.size(); ++i) {
        const std::string& name = config.column_families[i].name;
        if (name.empty() || name == rocksdb::kDefaultColumnFamilyName) {
            return core::fail(Errc::kInvalidInput,
                              "store: invalid column family name '" + name + "'");
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (config.column_families[j].name == name) {
                return core::fail(Errc::kInvalidInput,
                                  "store: column family '" + name + "' listed twice");
            }
        }
    }
    return {};
}

/// The column families to open: "default", those on disk, then the configured ones.
core::Result<std::vector<rocksdb::ColumnFamilyDescriptor>> descriptors(
    const std::filesystem::path& path, const DbConfig& config, const rocksdb::DBOptions& options) {
    std::vector<std::string> names{rocksdb::kDefaultColumnFamilyName};
    std::vector<std::string> on_disk;
    const rocksdb::Status listed =
        rocksdb::DB::ListColumnFamilies(options, path.string(), &on_disk);
    if (listed.ok()) {
        for (const std::string& name : on_disk) {
            if (std::find(names.begin(), names.end(), name) == names.end()) {
                names.push_back(name);
            }
        }
    } else if (!config.create_if_missing) {
        FACTEUR_TRY(status_to_result(listed, "list column families"));
    }
    for (const ColumnFamilyConfig& cf : config.column_families) {
        if (std::find(names.begin(), names.end(), cf.name) == names.end()) {
            names.push_back(cf.name);
        }
    }
    const std::shared_ptr<rocksdb::TableFactory> table = table_factory(config);
    std::vector<rocksdb::ColumnFamilyDescriptor> result;
    for (const std::string& name : names) {
        const auto it = std::find_if(config.column_families.begin(), config.column_families.end(),
                                     [&](const ColumnFamilyConfig& cf) { return cf.name == name; });
        const ColumnFamilyConfig* cf = it == config.column_families.end() ? nullptr : &*it;
        result.emplace_back(name, cf_options(config, cf, table));
    }
    return result;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// WriteBatch

WriteBatch::WriteBatch() : batch_(std::make_unique<rocksdb::WriteBatch>()) {}

WriteBatch::~WriteBatch() = default;
WriteBatch::WriteBatch(WriteBatch&&) noexcept = default;
WriteBatch& WriteBatch::operator=(WriteBatch&&) noexcept = default;

core::Result<void> WriteBatch::put(ColumnFamily cf, std::string_view key, std::string_view value) {
    FACTEUR_ASSERT(cf.valid(), "put() into an invalid column family handle");
    return status_to_result(batch_->Put(cf.handle_, to_slice(key), to_slice(value)), "put");
}

core::Result<void> WriteBatch::remove(ColumnFamily cf, std::string_view key) {
    FACTEUR_ASSERT(cf.valid(), "remove() from an invalid column family handle");
    return status_to_result(batch_->Delete(cf.handle_, to_slice(key)), "delete");
}

std::uint32_t WriteBatch::count() const noexcept {
    return batch_->Count();
}

std::size_t WriteBatch::byte_size() const noexcept {
    return batch_->GetDataSize();
}

// ---------------------------------------------------------------------------------------------
// Db

core::Result<std::unique_ptr<Db>> Db::open(const std::filesystem::path& path,
                                           const DbConfig& config) {
    FACTEUR_TRY(check_config(config));
    rocksdb::DBOptions options = db_options(config);
    std::unique_ptr<rocksdb::Env> env;
    if (config.fault_injector) {
        env = make_fault_env(config.fault_injector);
        options.env = env.get();
    }
    FACTEUR_TRY_ASSIGN(const std::vector<rocksdb::ColumnFamilyDescriptor> cfs,
                       descriptors(path, config, options));
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    FACTEUR_TRY(status_to_result(rocksdb::DB::Open(options, path.string(), cfs, &handles, &raw),
                                 "open " + path.string()));
    std::unique_ptr<Db> db(new Db());
    db->path_ = path;
    db->env_ = std::move(env);
    db->db_.reset(raw);
    db->handles_ = std::move(handles);
    for (const rocksdb::ColumnFamilyDescriptor& cf : cfs) {
        db->names_.push_back(cf.name);
    }
    FACTEUR_ASSERT(db->names_.size() == db->handles_.size(), "one handle per column family");
    return db;
}

Db::~Db() {
    if (!db_) {
        return;
    }
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
        const rocksdb::Status status = db_->DestroyColumnFamilyHandle(handle);
        if (!status.ok()) {
            std::fprintf(stderr, "facteur store: %s\n", status.ToString().c_str());
        }
    }
    handles_.clear();
    const rocksdb::Status status = db_->Close();
    if (!status.ok()) {
        std::fprintf(stderr, "facteur store: close: %s\n", status.ToString().c_str());
    }
}

core::Result<ColumnFamily> Db::column_family(std::string_view name) const {
    for (std::size_t i = 0; i < names_.size(); ++i) {
        if (names_[i] == name) {
            return ColumnFamily(handles_[i]);
        }
    }
    return core::fail(Errc::kNotFound, "store: no column family '" + std::string(name) + "'");
}

std::vector<std::string> Db::column_family_names() const {
    return names_;
}

core::Result<std::optional<std::string>> Db::get(ColumnFamily cf, std::string_view key) const {
    FACTEUR_ASSERT(cf.valid(), "get() from an invalid column family handle");
    rocksdb::ReadOptions options;
    options.verify_checksums = true;
    std::string value;
    const rocksdb::Status status = db_->Get(options, cf.handle_, to_slice(key), &value);
    if (status.IsNotFound()) {
        return std::optional<std::string>{};
    }
    FACTEUR_TRY(status_to_result(status, "get"));
    return std::optional<std::string>{std::move(value)};
}

core::Result<void> Db::write(WriteBatch& batch, Durability durability) {
    rocksdb::WriteOptions options;
    options.sync = durability == Durability::kSynced;
    options.disableWAL = false;
    FACTEUR_TRY(status_to_result(db_->Write(options, batch.batch_.get()), "write"));
    batch.batch_->Clear();
    return {};
}

core::Result<void> Db::scan(
    ColumnFamily cf, std::string_view begin, std::string_view end,
    const std::function<core::Result<Visit>(std::string_view, std::string_view)>& visit) const {
    FACTEUR_ASSERT(cf.valid(), "scan() of an invalid column family handle");
    rocksdb::ReadOptions options;
    options.verify_checksums = true;
    const rocksdb::Slice upper = to_slice(end);
    if (!end.empty()) {
        options.iterate_upper_bound = &upper;
    }
    const std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, cf.handle_));
    for (it->Seek(to_slice(begin)); it->Valid(); it->Next()) {
        FACTEUR_TRY_ASSIGN(const Visit next, visit(to_view(it->key()), to_view(it->value())));
        if (next == Visit::kStop) {
            return {};
        }
    }
    return status_to_result(it->status(), "scan");
}

core::Result<void> Db::scan_prefix(
    ColumnFamily cf, std::string_view prefix,
    const std::function<core::Result<Visit>(std::string_view, std::string_view)>& visit) const {
    const std::string end = prefix_successor(prefix);
    return scan(cf, prefix, end, visit);
}

core::Result<std::optional<std::pair<std::string, std::string>>> Db::last(ColumnFamily cf) const {
    FACTEUR_ASSERT(cf.valid(), "last() of an invalid column family handle");
    rocksdb::ReadOptions options;
    options.verify_checksums = true;
    const std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, cf.handle_));
    it->SeekToLast();
    if (!it->Valid()) {
        FACTEUR_TRY(status_to_result(it->status(), "seek to last"));
        return std::optional<std::pair<std::string, std::string>>{};
    }
    return std::optional<std::pair<std::string, std::string>>{
        std::pair{it->key().ToString(), it->value().ToString()}};
}

core::Result<void> Db::flush() {
    rocksdb::FlushOptions options;
    options.wait = true;
    return status_to_result(db_->Flush(options, handles_), "flush");
}

core::Result<void> Db::verify_files() const {
    rocksdb::ReadOptions options;
    options.verify_checksums = true;
    FACTEUR_TRY(status_to_result(db_->VerifyChecksum(options), "verify block checksums"));
    return status_to_result(db_->VerifyFileChecksums(options), "verify file checksums");
}

core::Result<void> Db::compact(ColumnFamily cf) {
    FACTEUR_ASSERT(cf.valid(), "compact() of an invalid column family handle");
    rocksdb::CompactRangeOptions options;
    options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    const rocksdb::ColumnFamilyOptions current = db_->GetOptions(cf.handle_);
    const bool collect = current.enable_blob_files && !current.enable_blob_garbage_collection;
    if (collect) {
        FACTEUR_TRY(status_to_result(
            db_->SetOptions(cf.handle_, {{"enable_blob_garbage_collection", "true"},
                                         {"blob_garbage_collection_age_cutoff", "1.0"}}),
            "enable blob garbage collection"));
    }
    const rocksdb::Status compacted = db_->CompactRange(options, cf.handle_, nullptr, nullptr);
    if (collect) {
        FACTEUR_TRY(status_to_result(
            db_->SetOptions(cf.handle_,
                            {{"enable_blob_garbage_collection", "false"},
                             {"blob_garbage_collection_age_cutoff",
                              std::to_string(current.blob_garbage_collection_age_cutoff)}}),
            "restore blob garbage collection"));
    }
    return status_to_result(compacted, "compact");
}

// ---------------------------------------------------------------------------------------------
// Keys

std::string prefix_successor(std::string_view prefix) {
    std::string next(prefix);
    while (!next.empty()) {
        auto& last_byte = reinterpret_cast<unsigned char&>(next.back());
        if (last_byte != 0xff) {
            ++last_byte;
            return next;
        }
        next.pop_back();
    }
    return next;
}

std::string encode_u64_be(std::uint64_t value) {
    std::string bytes(8, '\0');
    for (int i = 7; i >= 0; --i) {
        bytes[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
        value >>= 8;
    }
    return bytes;
}

core::Result<std::uint64_t> decode_u64_be(std::string_view bytes) {
    if (bytes.size() != 8) {
        return core::fail(Errc::kDataLoss, "store: a big-endian u64 key or value is "
                                               + std::to_string(bytes.size()) + " bytes, not 8");
    }
    std::uint64_t value = 0;
    for (const char c : bytes) {
        value = (value << 8) | static_cast<unsigned char>(c);
    }
    return value;
}

}  // namespace facteur::store
