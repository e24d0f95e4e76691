#pragma once

// Bytes embedded at build time by tools/embed_files.py (see CMakeLists.txt): the official EN 16931
// preprocessed Schematron files, copied from the hash-checked schema tree, and the project's French
// messages.

#include <string_view>

namespace facteur::rules::en16931::data {

std::string_view ubl_sch() noexcept;
std::string_view cii_sch() noexcept;
std::string_view ubl_fr() noexcept;
std::string_view cii_fr() noexcept;

}  // namespace facteur::rules::en16931::data
