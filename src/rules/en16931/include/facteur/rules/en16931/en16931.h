#pragma once

// The CEN EN 16931 validation artefacts 1.3.16 (UBL and CII bindings), compiled into facteur:
// the official preprocessed .sch files are embedded at build time from the hash-checked copy that
// schemas/materialise.sh brings into the build tree, with French messages from this module.

#include <string_view>

#include "facteur/core/result.h"
#include "facteur/model/report.h"
#include "facteur/rules/schematron.h"

namespace facteur::rules::en16931 {

inline constexpr std::string_view kLayer = "en16931";
inline constexpr std::string_view kVersion = "1.3.16";

/// The rule set for `syntax` (UBL Invoice and CreditNote share one; CII D16B and D22B documents
/// share one), compiled on first use, once per process, thread-safe. kInvalidInput for a
/// syntax the EN 16931 artefacts do not cover (CDAR, unknown).
[[nodiscard]] core::Result<const RuleSet*> rule_set(model::Syntax syntax);

}  // namespace facteur::rules::en16931
