#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace facteur::cli {

/// Exit statuses of the `facteur` binary (public contract).
inline constexpr int kExitOk = 0;        ///< every document valid / command succeeded
inline constexpr int kExitInvalid = 1;   ///< at least one document invalid
inline constexpr int kExitUsage = 2;     ///< usage error, I/O error, missing or altered schemas
inline constexpr int kExitInternal = 70; ///< a bug (EX_SOFTWARE)

/// Process-wide settings of the `facteur` program, for main() to call first, before any
/// thread exists: the allocator keeps large blocks for reuse (core::tune_allocator(), so a
/// multi-megabyte invoice does not pay fresh-page faults on every copy). Errors: none.
void prepare_process() noexcept;

/// Runs `facteur ARGS...` (args excludes the program name), writing the report to `out` and
/// diagnostics to `err`. `colour` enables ANSI colours in text output.
[[nodiscard]] int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                      bool colour);

}  // namespace facteur::cli
