#pragma once

// The Factur-X 1.09.2 profile rules (FNFE-MPE / FeRD, the official Schematron of each profile:
// MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED), compiled into facteur: the .sch files and their
// code list databases (FACTUR-X_<P>_codedb.xml, read by the rules through document()) are
// embedded at build time from the hash-checked copies that schemas/materialise.sh brings into
// the build tree. Official messages are English; French ones are the project's: the en16931
// module's translations for the CEN asserts the profiles keep (same ids), templates for the
// FX-SCH-A-* structure and code-list messages. The few asserts the Factur-X files add beyond
// those (mostly EXTENDED) have no French message (Finding::message_fr is then empty).

#include <cstdint>
#include <optional>
#include <string_view>

#include "facteur/core/result.h"
#include "facteur/rules/schematron.h"

namespace facteur::rules::facturx {

inline constexpr std::string_view kLayer = "facturx";
/// The release metadata of the .sch files ("Version: 1.09.2", 2026-08-04).
inline constexpr std::string_view kVersion = "1.09.2";

/// Rule id of the official files' id-less <report>s ("Element ... is marked as not used in the
/// given context"), reported as warnings: the official files give them no id and no flag.
inline constexpr std::string_view kNotUsedRuleId = "FX-SCH-NOT-USED";

/// The Factur-X profiles (BT-24 decides which one a document claims).
enum class Profile : std::uint8_t { kMinimum, kBasicWl, kBasic, kEn16931, kExtended };

/// Stable lower-case label: "minimum", "basicwl", "basic", "en16931", "extended".
[[nodiscard]] std::string_view profile_label(Profile profile) noexcept;

/// The profile whose rules apply to a document with specification identifier `bt24` (the text
/// of ExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter/ID), or nullopt for an
/// identifier that is no Factur-X / ZUGFeRD 2.x profile (the layer does not apply):
/// - Factur-X 1.0x: urn:factur-x.eu:1p0:minimum, urn:factur-x.eu:1p0:basicwl,
///   urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic, urn:cen.eu:en16931:2017,
///   urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended;
/// - ZUGFeRD 2.x: the same with urn:zugferd.de:2p0:<profile> (the profiles' own BT-24 code lists,
///   cl id=1 of the codedb files, admit exactly these nine identifiers);
/// - the pre-1.0 forms with ':' separators (urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:basic,
///   ...:extended): their profile, whose BT-24 code list then rejects the identifier;
/// - nullopt for XRechnung and other CIUS identifiers (urn:cen.eu:en16931:2017#compliant#urn:
///   xoev-de:kosit:standard:xrechnung_2.1, ...#urn:xeinkauf.de:kosit:xrechnung_3.0, ...): the
///   EN16931 profile's code list admits urn:cen.eu:en16931:2017 alone, so its rules would reject
///   every such document on BT-24 (FX-SCH-A-000556); the reference validator (Mustang) checks
///   XRechnung CII with the EN 16931 XSD plus the CEN and XRechnung rules, never with the
///   Factur-X profile Schematron. The en16931 layer still judges them.
/// Surrounding whitespace is ignored; the comparison is otherwise exact.
[[nodiscard]] std::optional<Profile> profile_from_guideline(std::string_view bt24) noexcept;

/// The official rule set of `profile`, compiled on first use (once per process, thread-safe;
/// the EXTENDED set takes the longest, about a second). kInvalidInput (SCH-COMPILE) if the
/// embedded Schematron cannot be compiled: a build defect, reported rather than run in part.
[[nodiscard]] core::Result<const RuleSet*> rule_set(Profile profile);

}  // namespace facteur::rules::facturx
