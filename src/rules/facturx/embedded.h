#pragma once

// The official Factur-X 1.09.2 Schematron files and code list databases, embedded at build time
// by tools/embed_files.py (see CMakeLists.txt). Private to this module.

#include <string_view>

namespace facteur::rules::facturx::data {

std::string_view minimum_sch() noexcept;
std::string_view minimum_codedb() noexcept;
std::string_view basicwl_sch() noexcept;
std::string_view basicwl_codedb() noexcept;
std::string_view basic_sch() noexcept;
std::string_view basic_codedb() noexcept;
std::string_view en16931_sch() noexcept;
std::string_view en16931_codedb() noexcept;
std::string_view extended_sch() noexcept;
std::string_view extended_codedb() noexcept;
/// The en16931 module's French translations of the CEN CII asserts ("ID<TAB>message").
std::string_view cen_fr() noexcept;

}  // namespace facteur::rules::facturx::data
