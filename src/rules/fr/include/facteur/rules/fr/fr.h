#pragma once

// The French rule sets (layer `fr`): FNFE-MPE BR-FR Flux 2, version 1.4.0, for UBL and CII.
// Two modes, both official: `fatal` (emission, and reception from 1 September 2026) and
// `warning` (the _WARNING variant, a reception-side transition mode). The verdict always names
// the rule set and mode used (layer version "fnfe-1.4.0" or "fnfe-1.4.0-warning").

#include <string_view>

#include "facteur/core/result.h"
#include "facteur/model/report.h"
#include "facteur/rules/schematron.h"

namespace facteur::rules::fr {

inline constexpr std::string_view kLayer = "fr";
inline constexpr std::string_view kVersion = "fnfe-1.4.0";

enum class Mode : std::uint8_t { kFatal, kWarning };

/// "fnfe-1.4.0" or "fnfe-1.4.0-warning": what the layer reports as its version.
[[nodiscard]] std::string_view version_label(Mode mode) noexcept;

/// Layer of the CDAR lifecycle rules (BR-FR-CDV, Flux 6), same version labels.
inline constexpr std::string_view kCdarLayer = "cdar";

/// The BR-FR-CDV rule set for CDAR messages, compiled on first use (thread-safe).
[[nodiscard]] core::Result<const RuleSet*> cdar_rule_set(Mode mode);

/// The rule set for `syntax` and `mode`, compiled on first use, once per process, thread-safe.
/// kInvalidInput for a syntax the BR-FR Flux 2 rules do not cover (CDAR, unknown).
[[nodiscard]] core::Result<const RuleSet*> rule_set(model::Syntax syntax, Mode mode);

}  // namespace facteur::rules::fr
