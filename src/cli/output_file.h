#pragma once

// Writing a command's result to a file named by the user (-o FILE), shared by `convert` and
// `facturx extract`. Private to the cli module.

#include <iosfwd>
#include <string>
#include <string_view>

#include "render.h"

namespace facteur::cli {

/// Writes `bytes` to `path` through a temporary file renamed into place (a reader never sees a
/// half-written document); refuses to replace an existing file unless `force`. On failure
/// prints why to `err` in `lang` and returns false.
[[nodiscard]] bool write_output(const std::string& path, std::string_view bytes, bool force, std::ostream& err,
                                Lang lang);

}  // namespace facteur::cli
