#pragma once

// The CII D16B side of the binding machinery (formats/binding): CII namespaces, ram:/rsm: child
// lookups, and CII dates (udt:DateTimeString format 102).

#include <string_view>

#include "facteur/formats/binding/context.h"

namespace facteur::formats::cii {

inline constexpr std::string_view kRsmNs =
    "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
inline constexpr std::string_view kRamNs =
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
inline constexpr std::string_view kUdtNs =
    "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";
inline constexpr std::string_view kQdtNs =
    "urn:un:unece:uncefact:data:standard:QualifiedDataType:100";

using binding::Cursor;
using binding::trim;
using binding::trimmed_attribute;
using binding::trimmed_text;
using binding::upper_token;

class Context : public binding::Context {
public:
    using binding::Context::Context;

    [[nodiscard]] Cursor ram(const Cursor& parent, std::string_view local) const {
        return child(parent, kRamNs, local);
    }
    [[nodiscard]] Cursor rsm(const Cursor& parent, std::string_view local) const {
        return child(parent, kRsmNs, local);
    }
    /// The date in `holder` (a ram:*DateTime or ram:TaxPointDate element): its udt:DateTimeString,
    /// udt:DateString or qdt:DateTimeString child, in format 102 (YYYYMMDD); an absent format
    /// attribute is read as 102, the only one EN 16931 allows. On failure (another format, a bad
    /// date, no date child) as for decimal().
    [[nodiscard]] model::Term<model::Date> date(const Cursor& holder, std::string_view term);
};

}  // namespace facteur::formats::cii
