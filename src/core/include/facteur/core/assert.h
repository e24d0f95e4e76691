#pragma once

namespace facteur::core {

/// Logs file:line, the condition and the reason to stderr, then aborts. Never returns.
[[noreturn]] void assert_fail(const char* file, int line, const char* condition,
                              const char* why) noexcept;

}  // namespace facteur::core

/// Invariant check, on in release builds: for states that would corrupt data if ignored. Never
/// use it on input, configuration or disk contents (those are Errc).
#define FACTEUR_ASSERT(cond, why)                                           \
    do {                                                                    \
        if (!(cond)) [[unlikely]] {                                         \
            ::facteur::core::assert_fail(__FILE__, __LINE__, #cond, (why)); \
        }                                                                   \
    } while (false)

#ifdef NDEBUG
#define FACTEUR_DASSERT(cond, why) \
    do {                           \
    } while (false)
#else
#define FACTEUR_DASSERT(cond, why) FACTEUR_ASSERT(cond, why)
#endif
