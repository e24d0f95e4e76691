#include "fault_file_system.h"

#include <algorithm>
#include <utility>

#include <rocksdb/io_status.h>
#include <rocksdb/system_clock.h>

namespace facteur::store {

namespace {

using Hooks = FaultInjectorHooks;

rocksdb::IOStatus injected() {
    return rocksdb::IOStatus::IOError("injected fault");
}

/// A writable file whose writes, syncs and close go through the injector.
class FaultWritableFile final : public rocksdb::FSWritableFileOwnerWrapper {
public:
    FaultWritableFile(std::unique_ptr<rocksdb::FSWritableFile> target, std::string path,
                      std::shared_ptr<FaultInjector> injector)
        : FSWritableFileOwnerWrapper(std::move(target)),
          path_(std::move(path)),
          injector_(std::move(injector)) {}

    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
        if (Hooks::fail(*injector_, FsOp::kWrite, path_, data.size())) {
            return injected();
        }
        return wrote(std::nullopt, data.size(),
                     FSWritableFileOwnerWrapper::Append(data, options, dbg));
    }

    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* dbg) override {
        if (Hooks::fail(*injector_, FsOp::kWrite, path_, data.size())) {
            return injected();
        }
        return wrote(std::nullopt, data.size(),
                     FSWritableFileOwnerWrapper::Append(data, options, info, dbg));
    }

    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, std::uint64_t offset,
                                       const rocksdb::IOOptions& options,
                                       rocksdb::IODebugContext* dbg) override {
        if (Hooks::fail(*injector_, FsOp::kWrite, path_, data.size())) {
            return injected();
        }
        return wrote(offset, data.size(),
                     FSWritableFileOwnerWrapper::PositionedAppend(data, offset, options, dbg));
    }

    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, std::uint64_t offset,
                                       const rocksdb::IOOptions& options,
                                       const rocksdb::DataVerificationInfo& info,
                                       rocksdb::IODebugContext* dbg) override {
        if (Hooks::fail(*injector_, FsOp::kWrite, path_, data.size())) {
            return injected();
        }
        return wrote(
            offset, data.size(),
            FSWritableFileOwnerWrapper::PositionedAppend(data, offset, options, info, dbg));
    }

    rocksdb::IOStatus Truncate(std::uint64_t size, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override {
        rocksdb::IOStatus status = FSWritableFileOwnerWrapper::Truncate(size, options, dbg);
        if (status.ok()) {
            Hooks::truncated(*injector_, path_, size);
        }
        return status;
    }

    rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
        return sync([&] { return FSWritableFileOwnerWrapper::Sync(options, dbg); });
    }

    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* dbg) override {
        return sync([&] { return FSWritableFileOwnerWrapper::Fsync(options, dbg); });
    }

    // sync_file_range(2) starts write-back but makes nothing durable (no metadata, no device
    // cache flush): counted and injectable, but it does not move the synced size.
    rocksdb::IOStatus RangeSync(std::uint64_t offset, std::uint64_t bytes,
                                const rocksdb::IOOptions& options,
                                rocksdb::IODebugContext* dbg) override {
        if (Hooks::fail(*injector_, FsOp::kSync, path_)) {
            return injected();
        }
        return FSWritableFileOwnerWrapper::RangeSync(offset, bytes, options, dbg);
    }

    rocksdb::IOStatus Close(const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* dbg) override {
        if (Hooks::fail(*injector_, FsOp::kClose, path_)) {
            return injected();
        }
        return FSWritableFileOwnerWrapper::Close(options, dbg);
    }

private:
    rocksdb::IOStatus wrote(std::optional<std::uint64_t> offset, std::uint64_t bytes,
                            rocksdb::IOStatus status) {
        if (status.ok()) {
            Hooks::written(*injector_, path_, offset, bytes);
        }
        return status;
    }

    template <class SyncCall>
    rocksdb::IOStatus sync(const SyncCall& call) {
        if (Hooks::fail(*injector_, FsOp::kSync, path_)) {
            return injected();
        }
        // What is written before the sync starts is durable once it succeeds.
        const std::uint64_t size = Hooks::size(*injector_, path_);
        rocksdb::IOStatus status = call();
        if (status.ok()) {
            Hooks::synced(*injector_, path_, size);
        }
        return status;
    }

    std::string path_;
    std::shared_ptr<FaultInjector> injector_;
};

/// A directory whose fsyncs go through the injector.
class FaultDirectory final : public rocksdb::FSDirectoryWrapper {
public:
    FaultDirectory(std::unique_ptr<rocksdb::FSDirectory> target, std::string path,
                   std::shared_ptr<FaultInjector> injector)
        : FSDirectoryWrapper(std::move(target)),
          path_(std::move(path)),
          injector_(std::move(injector)) {}

    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* dbg) override {
        return sync([&] { return FSDirectoryWrapper::Fsync(options, dbg); });
    }

    rocksdb::IOStatus FsyncWithDirOptions(const rocksdb::IOOptions& options,
                                          rocksdb::IODebugContext* dbg,
                                          const rocksdb::DirFsyncOptions& dir_options) override {
        return sync(
            [&] { return FSDirectoryWrapper::FsyncWithDirOptions(options, dbg, dir_options); });
    }

private:
    template <class SyncCall>
    rocksdb::IOStatus sync(const SyncCall& call) {
        if (Hooks::fail(*injector_, FsOp::kDirSync, path_)) {
            return injected();
        }
        const std::uint64_t seq = Hooks::change_seq(*injector_);
        rocksdb::IOStatus status = call();
        if (status.ok()) {
            Hooks::dir_synced(*injector_, path_, seq);
        }
        return status;
    }

    std::string path_;
    std::shared_ptr<FaultInjector> injector_;
};

class FaultFileSystem final : public rocksdb::FileSystemWrapper {
public:
    FaultFileSystem(const std::shared_ptr<rocksdb::FileSystem>& base,
                    std::shared_ptr<FaultInjector> injector)
        : FileSystemWrapper(base), injector_(std::move(injector)) {}

    static const char* kClassName() { return "FacteurFaultInjectionFileSystem"; }

    [[nodiscard]] const char* Name() const override { return kClassName(); }

    rocksdb::IOStatus NewWritableFile(const std::string& file, const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* dbg) override {
        if (Hooks::fail(*injector_, FsOp::kCreate, file)) {
            return injected();
        }
        const bool existed = target()->FileExists(file, options.io_options, dbg).ok();
        rocksdb::IOStatus status = target()->NewWritableFile(file, options, result, dbg);
        if (status.ok()) {
            Hooks::created(*injector_, file, existed);
            wrap(file, result);
        }
        return status;
    }

    rocksdb::IOStatus ReopenWritableFile(const std::string& file,
                                         const rocksdb::FileOptions& options,
                                         std::unique_ptr<rocksdb::FSWritableFile>* result,
                                         rocksdb::IODebugContext* dbg) override {
        if (Hooks::fail(*injector_, FsOp::kCreate, file)) {
            return injected();
        }
        const bool existed = target()->FileExists(file, options.io_options, dbg).ok();
        rocksdb::IOStatus status = target()->ReopenWritableFile(file, options, result, dbg);
        if (status.ok()) {
            if (existed) {
                std::uint64_t size = 0;
                status = target()->GetFileSize(file, options.io_options, &size, dbg);
                Hooks::reopened(*injector_, file, size);
            } else {
                Hooks::created(*injector_, file, false);
            }
            wrap(file, result);
        }
        return status;
    }

    // Recycles `old_file` under the name `file` (recycle_log_file_num, 0 in facteur): seen as a
    // rename followed by a new file.
    rocksdb::IOStatus ReuseWritableFile(const std::string& file, const std::string& old_file,
                                        const rocksdb::FileOptions& options,
                                        std::unique_ptr<rocksdb::FSWritableFile>* result,
                                        rocksdb::IODebugContext* dbg) override {
        if (Hooks::fail(*injector_, FsOp::kCreate, file)) {
            return injected();
        }
        rocksdb::IOStatus status =
            target()->ReuseWritableFile(file, old_file, options, result, dbg);
        if (status.ok()) {
            Hooks::renamed(*injector_, old_file, file, std::nullopt);
            Hooks::created(*injector_, file, true);
            wrap(file, result);
        }
        return status;
    }

    rocksdb::IOStatus NewDirectory(const std::string& name, const rocksdb::IOOptions& options,
                                   std::unique_ptr<rocksdb::FSDirectory>* result,
                                   rocksdb::IODebugContext* dbg) override {
        rocksdb::IOStatus status = target()->NewDirectory(name, options, result, dbg);
        if (status.ok()) {
            *result = std::make_unique<FaultDirectory>(std::move(*result), name, injector_);
        }
        return status;
    }

    rocksdb::IOStatus RenameFile(const std::string& from, const std::string& to,
                                 const rocksdb::IOOptions& options,
                                 rocksdb::IODebugContext* dbg) override {
        if (Hooks::fail(*injector_, FsOp::kRename, to)) {
            return injected();
        }
        // What a power loss before the next directory fsync goes back to (CURRENT, IDENTITY).
        std::optional<std::string> replaced;
        if (target()->FileExists(to, options, dbg).ok()) {
            replaced.emplace();
            rocksdb::IOStatus read = rocksdb::ReadFileToString(target(), to, &*replaced);
            if (!read.ok()) {
                return read;
            }
        }
        rocksdb::IOStatus status = target()->RenameFile(from, to, options, dbg);
        if (status.ok()) {
            Hooks::renamed(*injector_, from, to, std::move(replaced));
        }
        return status;
    }

    rocksdb::IOStatus DeleteFile(const std::string& file, const rocksdb::IOOptions& options,
                                 rocksdb::IODebugContext* dbg) override {
        if (Hooks::fail(*injector_, FsOp::kDelete, file)) {
            return injected();
        }
        rocksdb::IOStatus status = target()->DeleteFile(file, options, dbg);
        if (status.ok()) {
            Hooks::deleted(*injector_, file);
        }
        return status;
    }

    rocksdb::IOStatus Truncate(const std::string& file, std::size_t size,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override {
        rocksdb::IOStatus status = target()->Truncate(file, size, options, dbg);
        if (status.ok()) {
            Hooks::truncated(*injector_, file, size);
        }
        return status;
    }

private:
    void wrap(const std::string& file, std::unique_ptr<rocksdb::FSWritableFile>* result) {
        *result = std::make_unique<FaultWritableFile>(std::move(*result), file, injector_);
    }

    std::shared_ptr<FaultInjector> injector_;
};

/// The system clock, with sleeps cut to kFaultSleepMicrosMax.
class ShortSleepClock final : public rocksdb::SystemClockWrapper {
public:
    explicit ShortSleepClock(const std::shared_ptr<rocksdb::SystemClock>& base)
        : SystemClockWrapper(base) {}

    static const char* kClassName() { return "FacteurShortSleepClock"; }

    [[nodiscard]] const char* Name() const override { return kClassName(); }

    void SleepForMicroseconds(int micros) override {
        SystemClockWrapper::SleepForMicroseconds(std::min(micros, kFaultSleepMicrosMax));
    }
};

/// Env::Default() (threads, scheduling) with the fault-injecting file system and the clock
/// above. The DB does its file I/O through Env::GetFileSystem() and its timing through
/// Env::GetSystemClock(), the two members set here; the few Env-level file calls left in
/// RocksDB (the OPTIONS file's rename) reach the same file system through the composite Env
/// this one wraps.
class FaultEnv final : public rocksdb::EnvWrapper {
public:
    explicit FaultEnv(const std::shared_ptr<rocksdb::FileSystem>& fs)
        : EnvWrapper(rocksdb::NewCompositeEnv(fs)) {
        file_system_ = fs;
        system_clock_ = std::make_shared<ShortSleepClock>(rocksdb::SystemClock::Default());
    }

    static const char* kClassName() { return "FacteurFaultInjectionEnv"; }

    [[nodiscard]] const char* Name() const override { return kClassName(); }
};

}  // namespace

std::unique_ptr<rocksdb::Env> make_fault_env(std::shared_ptr<FaultInjector> injector) {
    return std::make_unique<FaultEnv>(
        std::make_shared<FaultFileSystem>(rocksdb::FileSystem::Default(), std::move(injector)));
}

}  // namespace facteur::store
