#include "facteur/model/decimal.h"

#include <limits>

namespace facteur::model {

namespace {

constexpr std::uint64_t kUnitsMax = std::numeric_limits<std::int64_t>::max();

tl::unexpected<core::Error> lexical_error() {
    return core::fail(core::Errc::kInvalidInput, "DECIMAL-LEXICAL", "not an xs:decimal",
                      "n'est pas un xs:decimal");
}

tl::unexpected<core::Error> range_error() {
    return core::fail(
        core::Errc::kResourceExhausted, "DECIMAL-RANGE",
        "decimal outside the supported range (18 fractional digits, 63-bit units)",
        "décimal hors de la plage prise en charge (18 décimales, unités sur 63 bits)");
}

// xs:decimal lexical space: (\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+). Checked before any arithmetic
// so that a malformed number is reported as malformed even when it is also too long.
bool is_lexical_decimal(std::string_view text) noexcept {
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
        ++i;
    }
    bool point = false;
    std::size_t digits = 0;
    for (; i < text.size(); ++i) {
        if (text[i] == '.' && !point) {
            point = true;
        } else if (text[i] >= '0' && text[i] <= '9') {
            ++digits;
        } else {
            return false;
        }
    }
    return digits > 0;
}

// Multiplies `units` by 10^(to - from); false on overflow.
bool rescale(std::int64_t& units, std::uint8_t from, std::uint8_t to) noexcept {
    for (unsigned s = from; s < to; ++s) {
        if (__builtin_mul_overflow(units, std::int64_t{10}, &units)) {
            return false;
        }
    }
    return true;
}

core::Result<Decimal> add_signed(const Decimal& a, const Decimal& b, bool negate_b) {
    const std::uint8_t scale = a.scale > b.scale ? a.scale : b.scale;
    std::int64_t left = a.units;
    std::int64_t right = b.units;
    if (!rescale(left, a.scale, scale) || !rescale(right, b.scale, scale)) {
        return range_error();
    }
    std::int64_t sum = 0;
    const bool overflow = negate_b ? __builtin_sub_overflow(left, right, &sum)
                                   : __builtin_add_overflow(left, right, &sum);
    if (overflow) {
        return range_error();
    }
    return Decimal{sum, scale};
}

}  // namespace

std::string Decimal::to_string() const {
    const bool negative = units < 0;
    // Magnitude through unsigned arithmetic, so that INT64_MIN (never produced by parsing, but
    // constructible) prints correctly too.
    const std::uint64_t magnitude = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(units)
                                             : static_cast<std::uint64_t>(units);
    std::string digits = std::to_string(magnitude);
    if (digits.size() <= scale) {
        digits.insert(0, scale + 1 - digits.size(), '0');
    }
    if (scale > 0) {
        digits.insert(digits.size() - scale, 1, '.');
    }
    if (negative) {
        digits.insert(0, 1, '-');
    }
    return digits;
}

bool operator==(const Decimal& a, const Decimal& b) noexcept {
    return (a <=> b) == 0;
}

std::weak_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept {
    if (a.scale == b.scale) {
        return a.units <=> b.units;
    }
    const bool a_is_lower = a.scale < b.scale;
    const Decimal& lower = a_is_lower ? a : b;
    const Decimal& higher = a_is_lower ? b : a;
    std::int64_t aligned = lower.units;
    std::weak_ordering lower_vs_higher = std::weak_ordering::equivalent;
    if (rescale(aligned, lower.scale, higher.scale)) {
        lower_vs_higher = aligned <=> higher.units;
    } else {
        // |lower| x 10^k left the int64 range, so it lies beyond every value `higher` can hold,
        // on the side of zero given by its sign.
        lower_vs_higher = lower.units < 0 ? std::weak_ordering::less : std::weak_ordering::greater;
    }
    return a_is_lower ? lower_vs_higher : 0 <=> lower_vs_higher;
}

core::Result<Decimal> parse_decimal(std::string_view text) {
    text = trim_xml_space(text);
    if (!is_lexical_decimal(text)) {
        return lexical_error();
    }
    const bool negative = text.front() == '-';
    std::uint64_t magnitude = 0;
    unsigned scale = 0;
    bool point = false;
    for (const char c : text) {
        if (c == '.') {
            point = true;
            continue;
        }
        if (c == '+' || c == '-') {
            continue;
        }
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (point && ++scale > kDecimalScaleMax) {
            return range_error();
        }
        if (magnitude > (kUnitsMax - digit) / 10) {
            return range_error();
        }
        magnitude = magnitude * 10 + digit;
    }
    const auto units = static_cast<std::int64_t>(magnitude);
    return Decimal{negative ? -units : units, static_cast<std::uint8_t>(scale)};
}

core::Result<Decimal> add(const Decimal& a, const Decimal& b) {
    return add_signed(a, b, false);
}

core::Result<Decimal> subtract(const Decimal& a, const Decimal& b) {
    return add_signed(a, b, true);
}

std::string_view trim_xml_space(std::string_view text) noexcept {
    constexpr std::string_view kSpace = " \t\r\n";
    const std::size_t first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

}  // namespace facteur::model
