#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace facteur::core {

/// Wall-clock time as modules see it. Injected (house style rule 11): only SystemClock reads
/// the real clock, tests pass a ManualClock. Implementations are thread-safe.
class Clock {
public:
    virtual ~Clock() = default;

    /// The current time.
    [[nodiscard]] virtual std::chrono::system_clock::time_point now() const = 0;

    /// now() in milliseconds since the Unix epoch (UTC, leap seconds not counted).
    [[nodiscard]] std::int64_t now_unix_ms() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch())
            .count();
    }
};

/// The system's real-time clock (std::chrono::system_clock).
class SystemClock final : public Clock {
public:
    [[nodiscard]] std::chrono::system_clock::time_point now() const override;
};

/// A clock that only moves when told to: for tests and replays. Thread-safe.
class ManualClock final : public Clock {
public:
    /// Starts at `unix_ms` milliseconds since the Unix epoch.
    explicit ManualClock(std::int64_t unix_ms = 0) noexcept : unix_ms_(unix_ms) {}

    [[nodiscard]] std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::time_point(
            std::chrono::milliseconds(unix_ms_.load(std::memory_order_relaxed)));
    }

    /// Sets the time (it may go backwards: the callers decide what that means).
    void set_unix_ms(std::int64_t unix_ms) noexcept {
        unix_ms_.store(unix_ms, std::memory_order_relaxed);
    }

    /// Moves the time forward by `delta_ms`.
    void advance_ms(std::int64_t delta_ms) noexcept {
        unix_ms_.fetch_add(delta_ms, std::memory_order_relaxed);
    }

private:
    std::atomic<std::int64_t> unix_ms_;
};

}  // namespace facteur::core
