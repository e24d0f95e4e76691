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

/// Layer of the EXTENDED-CTC-FR rules (FNFE-MPE 1.4.0): the French extended profile of EN 16931.
/// Its rule set replaces the plain EN 16931 one for documents that declare the profile in BT-24.
inline constexpr std::string_view kExtendedLayer = "extended-ctc-fr";
inline constexpr std::string_view kExtendedVersion = "fnfe-1.4.0";
/// The BT-24 specification identifier of the profile (AFNOR XP Z12-012).
inline constexpr std::string_view kExtendedProfileId =
    "urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr";

/// True when `bt24` (a BT-24 value, spaces trimmed) declares the EXTENDED-CTC-FR profile.
[[nodiscard]] bool declares_extended_profile(std::string_view bt24) noexcept;

/// The EXTENDED-CTC-FR rule set for a UBL or CII invoice: official English messages, French
/// ones from the project's translations. Compiled on first use, once per process, thread-safe.
[[nodiscard]] core::Result<const RuleSet*> extended_rule_set(model::Syntax syntax);

/// The rule set for `syntax` and `mode`, compiled on first use, once per process, thread-safe.
/// kInvalidInput for a syntax the BR-FR Flux 2 rules do not cover (CDAR, unknown).
[[nodiscard]] core::Result<const RuleSet*> rule_set(model::Syntax syntax, Mode mode);

}  // namespace facteur::rules::fr
