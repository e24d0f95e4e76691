#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "facteur/core/result.h"

namespace facteur::model {

/// A calendar date (EN 16931 semantic data type "Date"), proleptic Gregorian, years 1..9999.
/// Ordered chronologically.
struct Date {
    std::int32_t year = 0;
    std::uint8_t month = 0;  ///< 1..12
    std::uint8_t day = 0;    ///< 1..31, valid for the month and year

    /// "YYYY-MM-DD".
    [[nodiscard]] std::string to_string() const;

    friend auto operator<=>(const Date&, const Date&) = default;
};

/// How a syntax writes a date.
enum class DateFormat : std::uint8_t {
    kIso8601,  ///< xs:date "YYYY-MM-DD", optionally followed by a time zone ("Z", "+01:00") that
               ///< is dropped, since the EN 16931 Date has none (UBL cbc:*Date)
    kCompact,  ///< "YYYYMMDD", UN/CEFACT date format code 102 (CII udt:DateTimeString)
};

/// Reads a date written in `format`; leading and trailing XML whitespace is ignored.
/// Errors: kInvalidInput "DATE-LEXICAL" when the text does not have the form, "DATE-RANGE" when
/// it has the form but names no calendar day (2023-02-29, month 13, year 0).
[[nodiscard]] core::Result<Date> parse_date(std::string_view text, DateFormat format);

}  // namespace facteur::model
