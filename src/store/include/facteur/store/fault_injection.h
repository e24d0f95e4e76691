#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/core/result.h"

// Fault injection under store::Db, for tests (docs/adr/0004-archive-storage.md, "Fault
// injection"). A FaultInjector given in DbConfig::fault_injector sits between RocksDB and the
// real file system: it counts and records every file-system operation that changes what is on
// disk, fails the one a test chose with an I/O error, and remembers what was synced so that a
// test can simulate a power loss (drop_unsynced()). RocksDB types stay in src/store.

namespace facteur::store {

/// File-system operations the injector counts and can fail.
enum class FsOp : std::uint8_t {
    kCreate,   ///< a file opened for writing (NewWritableFile, ReopenWritableFile,
               ///< ReuseWritableFile)
    kWrite,    ///< Append or PositionedAppend to a file opened for writing
    kSync,     ///< Sync, Fsync or RangeSync of a file (RangeSync makes nothing durable)
    kDirSync,  ///< fsync of a directory (makes the creations, renames and deletions in it durable)
    kRename,   ///< RenameFile
    kClose,    ///< close of a file opened for writing
    kDelete,   ///< DeleteFile
};

/// Number of FsOp kinds.
inline constexpr std::size_t kFsOpKinds = 7;

/// Stable lower-case name of an FsOp, e.g. "dir-sync".
[[nodiscard]] const char* fs_op_name(FsOp op) noexcept;

/// One operation seen by the injector.
struct FsOpRecord {
    FsOp op = FsOp::kWrite;
    std::string file;         ///< path as RocksDB named it (the target for a rename)
    std::uint64_t bytes = 0;  ///< bytes written (kWrite), else 0
    bool failed = false;      ///< the injector failed it
};

/// What happens once the armed operation is reached.
enum class FaultMode : std::uint8_t {
    /// Only that operation fails (it does not reach the file system); later ones run normally:
    /// a transient I/O error the process survives.
    kOnce,
    /// That operation and every later one fail without reaching the file system: the disk is
    /// gone (or the power is cut) from that moment on. Use with drop_unsynced().
    kDiskGone,
};

class FaultInjectorHooks;

/// Counts, records and fails the file-system operations of the Db it is given to (through
/// DbConfig::fault_injector). For tests only. Thread-safe: RocksDB calls it from its write and
/// background threads while the test arms and reads it.
///
/// An injected failure is an IOError "injected fault", which the store reports as kUnavailable.
/// A failed operation does nothing on disk; data that earlier operations wrote is still in the
/// OS page cache and survives unless drop_unsynced() simulates a power loss.
class FaultInjector {
public:
    FaultInjector() = default;
    FaultInjector(const FaultInjector&) = delete;
    FaultInjector& operator=(const FaultInjector&) = delete;

    /// Fails the `nth` (0-based) operation of kind `op` (of any kind when std::nullopt) counted
    /// from this call, then behaves as `mode` says. Replaces an earlier arm() and clears fired().
    void arm(std::optional<FsOp> op, std::uint64_t nth, FaultMode mode);

    /// Lets every later operation through (also ends kDiskGone). fired() and fault() stay.
    void disarm();

    /// Whether the armed failure happened.
    [[nodiscard]] bool fired() const;

    /// The operation that was failed by the last arm(), if it fired.
    [[nodiscard]] std::optional<FsOpRecord> fault() const;

    /// Clears the recorded operations and starts recording (everything is counted always).
    void start_recording();

    /// The operations since start_recording(), in the order they were attempted (failed ones
    /// included, marked). Empty if start_recording() was never called.
    [[nodiscard]] std::vector<FsOpRecord> recorded() const;

    /// Operations of kind `op` attempted since the injector was created.
    [[nodiscard]] std::uint64_t count(FsOp op) const;

    /// Simulates a power loss on what the Db wrote through this injector; call it only after
    /// that Db was closed. Every file written is cut back to its size at its last successful
    /// sync (RangeSync does not count); every file created or renamed into a directory since that
    /// directory's last successful fsync is removed, or, when a rename replaced an existing
    /// file (CURRENT), the replaced contents are put back. Then forgets that state (a later Db
    /// starts from what is on disk). Not modeled: a deletion not followed by a directory fsync
    /// is kept (the file does not come back), and a rename's source name is not restored.
    /// Files the Db never wrote through the injector are left as they are.
    /// Errors: kUnavailable (a file could not be cut, removed or rewritten).
    [[nodiscard]] core::Result<void> drop_unsynced();

private:
    friend class FaultInjectorHooks;

    /// What the injector knows about one file written through it.
    struct FileState {
        std::uint64_t size = 0;         ///< bytes written so far
        std::uint64_t synced_size = 0;  ///< size at the last successful Sync or Fsync
    };

    /// A directory entry changed since the directory's last fsync.
    struct PendingEntry {
        std::uint64_t seq = 0;  ///< identifies this change (a dir fsync only settles older ones)
        /// Contents of the file this entry replaced (a rename over CURRENT), or std::nullopt
        /// when the name did not exist before: then a power loss removes it.
        std::optional<std::string> replaced;
    };

    using Directory = std::map<std::string, PendingEntry>;  // file name -> pending change

    /// Decides whether `op` on `file` fails, counts and records it. Locked.
    [[nodiscard]] bool should_fail(FsOp op, std::string_view file, std::uint64_t bytes);

    mutable std::mutex mu_;
    std::array<std::uint64_t, kFsOpKinds> counts_{};
    bool armed_ = false;
    std::optional<FsOp> armed_op_;
    std::uint64_t armed_remaining_ = 0;  // matching operations still to let through
    FaultMode mode_ = FaultMode::kOnce;
    bool disk_gone_ = false;
    std::optional<FsOpRecord> fault_;
    bool recording_ = false;
    std::vector<FsOpRecord> recorded_;
    std::map<std::string, FileState> files_;        // full path -> state
    std::map<std::string, Directory> directories_;  // directory path -> pending entries
    std::uint64_t next_seq_ = 1;
};

}  // namespace facteur::store
