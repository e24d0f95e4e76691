#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "facteur/core/result.h"

namespace facteur::core {

/// Reads a whole regular file into memory.
/// Errors: kNotFound (no such file), kInvalidInput (not a regular file), kResourceExhausted
/// (larger than `bytes_max`; nothing beyond bytes_max + 1 is read), kUnavailable (read failure).
[[nodiscard]] Result<std::string> read_file(const std::filesystem::path& path,
                                            std::size_t bytes_max);

/// Expands the command-line PATHs: a directory stands for every regular file below it
/// (recursively, symbolic links not followed), sorted by path within each argument; anything
/// else (a file, or a path that does not exist, which read_file() will then report) for itself.
/// Errors: kUnavailable when a directory cannot be listed.
[[nodiscard]] Result<std::vector<std::filesystem::path>> expand_paths(
    const std::vector<std::filesystem::path>& paths);

}  // namespace facteur::core
