#pragma once

// The official FNFE-MPE BR-FR Flux 2 Schematron files (1.4.0), embedded at build time by
// tools/embed_files.py (see CMakeLists.txt). Private to this module.

#include <string_view>

namespace facteur::rules::fr::data {

std::string_view ubl_fatal() noexcept;
std::string_view ubl_warning() noexcept;
std::string_view cii_fatal() noexcept;
std::string_view cii_warning() noexcept;
std::string_view cdar_fatal() noexcept;
std::string_view cdar_warning() noexcept;
std::string_view cdar_en() noexcept;  ///< project's English translations of the BR-FR-CDV messages
std::string_view ubl_en() noexcept;  ///< project's English translations, "ID<TAB>message"
std::string_view cii_en() noexcept;
std::string_view ext_ubl() noexcept;  ///< EXTENDED-CTC-FR-UBL.sch
std::string_view ext_cii() noexcept;
std::string_view ext_ubl_fr_cen() noexcept;  ///< the en16931 module's French translations of CEN asserts
std::string_view ext_cii_fr_cen() noexcept;
std::string_view ext_ubl_fr() noexcept;  ///< French translations of what the extension adds or rewords
std::string_view ext_cii_fr() noexcept;

}  // namespace facteur::rules::fr::data
