#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include "facteur/store/fault_injection.h"

// The RocksDB side of FaultInjector (facteur/store/fault_injection.h): a FileSystemWrapper whose
// writable files and directories report every operation to the injector. Private to src/store.

namespace facteur::store {

/// The default Env with a file system that counts, records and fails operations through
/// `injector`, and a clock whose sleeps last at most kFaultSleepMicrosMax.
[[nodiscard]] std::unique_ptr<rocksdb::Env> make_fault_env(std::shared_ptr<FaultInjector> injector);

/// Longest sleep of the fault-injecting Env: RocksDB waits 1 s after every failed background
/// flush before it retries (db_impl_compaction_flush.cc), which would make a test that fails
/// every operation of many flushes last minutes. Sleeps are throttles, not correctness.
inline constexpr int kFaultSleepMicrosMax = 10'000;

/// What the file system wrappers tell the injector (FaultInjector's private state). Paths are
/// as RocksDB names them; they are normalised here.
class FaultInjectorHooks {
public:
    /// Counts and records `op`; true when it must fail (then it must not reach the disk).
    [[nodiscard]] static bool fail(FaultInjector& injector, FsOp op, const std::string& file,
                                   std::uint64_t bytes = 0);
    /// A file was opened for writing from size 0; `existed`: the name was already there.
    static void created(FaultInjector& injector, const std::string& file, bool existed);
    /// An existing file was reopened for writing at `size` bytes (durable if not tracked yet).
    static void reopened(FaultInjector& injector, const std::string& file, std::uint64_t size);
    /// `bytes` were written at `offset` (std::nullopt: appended at the end).
    static void written(FaultInjector& injector, const std::string& file,
                        std::optional<std::uint64_t> offset, std::uint64_t bytes);
    /// The file was truncated to `size` bytes.
    static void truncated(FaultInjector& injector, const std::string& file, std::uint64_t size);
    /// Bytes written so far (the size a sync starting now makes durable).
    [[nodiscard]] static std::uint64_t size(FaultInjector& injector, const std::string& file);
    /// A sync that started when the file had `size` bytes succeeded.
    static void synced(FaultInjector& injector, const std::string& file, std::uint64_t size);
    /// The change sequence number now (a directory fsync starting now settles older changes).
    [[nodiscard]] static std::uint64_t change_seq(FaultInjector& injector);
    /// An fsync of `directory` that started at `seq` succeeded.
    static void dir_synced(FaultInjector& injector, const std::string& directory,
                           std::uint64_t seq);
    /// `from` was renamed to `to`; `replaced`: the contents `to` had before, if it existed.
    static void renamed(FaultInjector& injector, const std::string& from, const std::string& to,
                        std::optional<std::string> replaced);
    /// The file was deleted.
    static void deleted(FaultInjector& injector, const std::string& file);
};

}  // namespace facteur::store
