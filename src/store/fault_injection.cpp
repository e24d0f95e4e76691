#include "facteur/store/fault_injection.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>

#include "fault_file_system.h"

namespace facteur::store {

namespace {

namespace fs = std::filesystem;

std::string normal(const std::string& path) {
    std::string text = fs::path(path).lexically_normal().string();
    while (text.size() > 1 && text.back() == '/') {
        text.pop_back();
    }
    return text;
}

/// Directory and name of a normalised file path.
std::pair<std::string, std::string> split(const std::string& path) {
    const fs::path p(path);
    return {p.parent_path().string(), p.filename().string()};
}

core::Result<void> unavailable(const std::string& what, const std::string& path,
                               const std::error_code& ec) {
    return core::fail(core::Errc::kUnavailable,
                      "fault injection: cannot " + what + " " + path + ": " + ec.message());
}

}  // namespace

const char* fs_op_name(FsOp op) noexcept {
    switch (op) {
        case FsOp::kCreate:
            return "create";
        case FsOp::kWrite:
            return "write";
        case FsOp::kSync:
            return "sync";
        case FsOp::kDirSync:
            return "dir-sync";
        case FsOp::kRename:
            return "rename";
        case FsOp::kClose:
            return "close";
        case FsOp::kDelete:
            return "delete";
    }
    return "unknown";
}

void FaultInjector::arm(std::optional<FsOp> op, std::uint64_t nth, FaultMode mode) {
    const std::lock_guard lock(mu_);
    armed_ = true;
    armed_op_ = op;
    armed_remaining_ = nth;
    mode_ = mode;
    disk_gone_ = false;
    fault_.reset();
}

void FaultInjector::disarm() {
    const std::lock_guard lock(mu_);
    armed_ = false;
    disk_gone_ = false;
}

bool FaultInjector::fired() const {
    const std::lock_guard lock(mu_);
    return fault_.has_value();
}

std::optional<FsOpRecord> FaultInjector::fault() const {
    const std::lock_guard lock(mu_);
    return fault_;
}

void FaultInjector::start_recording() {
    const std::lock_guard lock(mu_);
    recording_ = true;
    recorded_.clear();
}

std::vector<FsOpRecord> FaultInjector::recorded() const {
    const std::lock_guard lock(mu_);
    return recorded_;
}

std::uint64_t FaultInjector::count(FsOp op) const {
    const std::lock_guard lock(mu_);
    return counts_[static_cast<std::size_t>(op)];
}

bool FaultInjector::should_fail(FsOp op, std::string_view file, std::uint64_t bytes) {
    const std::lock_guard lock(mu_);
    ++counts_[static_cast<std::size_t>(op)];
    bool fail = disk_gone_;
    if (!fail && armed_ && (!armed_op_ || *armed_op_ == op)) {
        if (armed_remaining_ == 0) {
            fail = true;
            armed_ = false;
            disk_gone_ = mode_ == FaultMode::kDiskGone;
            fault_ = FsOpRecord{op, std::string(file), bytes, true};
        } else {
            --armed_remaining_;
        }
    }
    if (recording_) {
        recorded_.push_back(FsOpRecord{op, std::string(file), bytes, fail});
    }
    return fail;
}

core::Result<void> FaultInjector::drop_unsynced() {
    const std::lock_guard lock(mu_);
    std::error_code ec;
    for (const auto& [path, state] : files_) {
        if (!fs::exists(path, ec)) {
            continue;
        }
        const std::uintmax_t size = fs::file_size(path, ec);
        if (ec) {
            return unavailable("measure", path, ec);
        }
        if (size > state.synced_size) {
            fs::resize_file(path, state.synced_size, ec);
            if (ec) {
                return unavailable("truncate", path, ec);
            }
        }
    }
    for (const auto& [directory, entries] : directories_) {
        for (const auto& [name, entry] : entries) {
            const fs::path path = fs::path(directory) / name;
            if (!entry.replaced) {
                fs::remove(path, ec);
                if (ec) {
                    return unavailable("remove", path.string(), ec);
                }
                continue;
            }
            std::ofstream out(path, std::ios::binary | std::ios::trunc);
            out.write(entry.replaced->data(), static_cast<std::streamsize>(entry.replaced->size()));
            out.close();
            if (!out) {
                return unavailable("restore", path.string(),
                                   std::make_error_code(std::errc::io_error));
            }
        }
    }
    files_.clear();
    directories_.clear();
    return {};
}

// ---------------------------------------------------------------------------------------------
// Hooks (called by fault_file_system.cpp)

bool FaultInjectorHooks::fail(FaultInjector& injector, FsOp op, const std::string& file,
                              std::uint64_t bytes) {
    return injector.should_fail(op, file, bytes);
}

void FaultInjectorHooks::created(FaultInjector& injector, const std::string& file, bool existed) {
    const std::string path = normal(file);
    const std::lock_guard lock(injector.mu_);
    injector.files_[path] = FaultInjector::FileState{};
    if (!existed) {
        const auto [directory, name] = split(path);
        // An older pending change of this name (a replaced file) is what a power loss goes back
        // to, so it is kept.
        injector.directories_[directory].try_emplace(
            name, FaultInjector::PendingEntry{injector.next_seq_++, std::nullopt});
    }
}

void FaultInjectorHooks::reopened(FaultInjector& injector, const std::string& file,
                                  std::uint64_t size) {
    const std::lock_guard lock(injector.mu_);
    injector.files_.try_emplace(normal(file), FaultInjector::FileState{size, size});
}

void FaultInjectorHooks::written(FaultInjector& injector, const std::string& file,
                                 std::optional<std::uint64_t> offset, std::uint64_t bytes) {
    const std::lock_guard lock(injector.mu_);
    FaultInjector::FileState& state = injector.files_[normal(file)];
    state.size = offset ? std::max(state.size, *offset + bytes) : state.size + bytes;
}

void FaultInjectorHooks::truncated(FaultInjector& injector, const std::string& file,
                                   std::uint64_t size) {
    const std::lock_guard lock(injector.mu_);
    const auto it = injector.files_.find(normal(file));
    if (it != injector.files_.end()) {
        it->second.size = size;
        it->second.synced_size = std::min(it->second.synced_size, size);
    }
}

std::uint64_t FaultInjectorHooks::size(FaultInjector& injector, const std::string& file) {
    const std::lock_guard lock(injector.mu_);
    const auto it = injector.files_.find(normal(file));
    return it == injector.files_.end() ? 0 : it->second.size;
}

void FaultInjectorHooks::synced(FaultInjector& injector, const std::string& file,
                                std::uint64_t size) {
    const std::lock_guard lock(injector.mu_);
    const auto it = injector.files_.find(normal(file));
    if (it != injector.files_.end()) {
        it->second.synced_size = std::max(it->second.synced_size, std::min(size, it->second.size));
    }
}

std::uint64_t FaultInjectorHooks::change_seq(FaultInjector& injector) {
    const std::lock_guard lock(injector.mu_);
    return injector.next_seq_;
}

void FaultInjectorHooks::dir_synced(FaultInjector& injector, const std::string& directory,
                                    std::uint64_t seq) {
    const std::lock_guard lock(injector.mu_);
    const auto it = injector.directories_.find(normal(directory));
    if (it == injector.directories_.end()) {
        return;
    }
    std::erase_if(it->second, [&](const auto& entry) { return entry.second.seq < seq; });
}

void FaultInjectorHooks::renamed(FaultInjector& injector, const std::string& from,
                                 const std::string& to, std::optional<std::string> replaced) {
    const std::string source = normal(from);
    const std::string target = normal(to);
    const std::lock_guard lock(injector.mu_);
    if (const auto it = injector.files_.find(source); it != injector.files_.end()) {
        injector.files_[target] = it->second;
        injector.files_.erase(it);
    } else {
        injector.files_.erase(target);
    }
    const auto [source_dir, source_name] = split(source);
    if (const auto it = injector.directories_.find(source_dir); it != injector.directories_.end()) {
        it->second.erase(source_name);
    }
    const auto [target_dir, target_name] = split(target);
    injector.directories_[target_dir].try_emplace(
        target_name, FaultInjector::PendingEntry{injector.next_seq_++, std::move(replaced)});
}

void FaultInjectorHooks::deleted(FaultInjector& injector, const std::string& file) {
    const std::string path = normal(file);
    const std::lock_guard lock(injector.mu_);
    injector.files_.erase(path);
    const auto [directory, name] = split(path);
    if (const auto it = injector.directories_.find(directory); it != injector.directories_.end()) {
        it->second.erase(name);
    }
}

}  // namespace facteur::store
