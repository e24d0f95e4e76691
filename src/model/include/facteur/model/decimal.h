#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "facteur/core/result.h"

namespace facteur::model {

/// The most fractional digits a Decimal holds. 18 keeps every power of ten used to align two
/// scales inside std::int64_t; EN 16931 amounts use 2 and prices rarely more than 6.
inline constexpr std::uint8_t kDecimalScaleMax = 18;

/// An exact decimal number, units × 10^-scale: 12.50 is {1250, 2}. No floating point anywhere in
/// the model (house style rule 7). The scale is the number of fractional digits as written, so
/// "12.50" and "12.5" are different representations (BR-DEC-* count written decimals) of equal
/// numbers: == and <=> compare numbers, identical() compares representations.
struct Decimal {
    std::int64_t units = 0;
    std::uint8_t scale = 0;

    /// The xs:decimal canonical-with-scale form: {1250, 2} -> "12.50", {-5, 1} -> "-0.5",
    /// {0, 2} -> "0.00". parse_decimal(to_string()) gives back an identical() Decimal.
    [[nodiscard]] std::string to_string() const;

    /// Numeric equality and order, exact for any two Decimals (no overflow, any scale).
    friend bool operator==(const Decimal& a, const Decimal& b) noexcept;
    friend std::weak_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept;
};

/// Same units and same scale: "12.50" is not identical to "12.5" although they are ==.
[[nodiscard]] constexpr bool identical(const Decimal& a, const Decimal& b) noexcept {
    return a.units == b.units && a.scale == b.scale;
}

/// Reads an xs:decimal lexical form: optional sign, digits with at most one '.', at least one
/// digit ("12.50", "-3", "+.5", "7."); leading and trailing XML whitespace (space, tab, CR, LF)
/// is ignored, as xs:decimal's whiteSpace=collapse facet says. No exponent, no grouping.
/// Errors (never a silently rounded value):
///   kInvalidInput "DECIMAL-LEXICAL" when `text` is not an xs:decimal;
///   kResourceExhausted "DECIMAL-RANGE" when it has more than kDecimalScaleMax fractional digits
///   or its digits do not fit in std::int64_t (|units| <= 2^63 - 1).
[[nodiscard]] core::Result<Decimal> parse_decimal(std::string_view text);

/// a + b, exact, with the larger of the two scales.
/// Errors: kResourceExhausted "DECIMAL-RANGE" when the result does not fit.
[[nodiscard]] core::Result<Decimal> add(const Decimal& a, const Decimal& b);

/// a - b, exact, with the larger of the two scales.
/// Errors: kResourceExhausted "DECIMAL-RANGE" when the result does not fit.
[[nodiscard]] core::Result<Decimal> subtract(const Decimal& a, const Decimal& b);

/// `text` without surrounding XML whitespace (space, tab, CR, LF); views `text`.
[[nodiscard]] std::string_view trim_xml_space(std::string_view text) noexcept;

}  // namespace facteur::model
