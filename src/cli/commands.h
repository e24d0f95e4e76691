#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "render.h"

namespace facteur::cli {

/// `facteur validate ...`; args excludes "validate".
[[nodiscard]] int run_validate(const std::vector<std::string>& args, std::ostream& out,
                               std::ostream& err, bool colour, Lang lang);

/// `facteur rules list ...`; args excludes "rules".
[[nodiscard]] int run_rules(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                            Lang lang);

/// `facteur facturx extract ...`; args excludes "facturx".
[[nodiscard]] int run_facturx(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                              Lang lang);

/// `facteur convert ...`; args excludes "convert".
[[nodiscard]] int run_convert(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                              Lang lang);

/// `facteur archive ...`; args excludes "archive".
[[nodiscard]] int run_archive(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                              Lang lang);

/// `facteur verify BUNDLE --key KEYFILE`; args excludes "verify".
[[nodiscard]] int run_verify(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                             Lang lang);

/// The language from FACTEUR_LANG, else LC_ALL / LC_MESSAGES / LANG ("fr..." → French), else English.
[[nodiscard]] Lang default_lang();

}  // namespace facteur::cli
