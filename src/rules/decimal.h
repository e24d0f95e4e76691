#pragma once

// Exact xs:decimal arithmetic for the XPath engine, with the semantics of the reference
// processor (Saxon, java.math.BigDecimal): exact +, -, *; division to max(18, scales) digits
// rounded half-down; doubles converted exactly (new BigDecimal(double)). Arbitrary precision, so
// no amount in an invoice can overflow.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/multiprecision/cpp_int.hpp>

namespace facteur::rules {

using BigInt = boost::multiprecision::number<boost::multiprecision::cpp_int_backend<>, boost::multiprecision::et_off>;

class Decimal {
public:
    Decimal() = default;
    Decimal(BigInt mantissa, std::int32_t scale) : m_(std::move(mantissa)), scale_(scale) { normalise(); }
    static Decimal from_int(std::int64_t v) { return Decimal(BigInt(v), 0); }

    /// xs:decimal lexical form, surrounding whitespace already removed; nullopt if not one.
    static std::optional<Decimal> parse(std::string_view s);
    /// xs:integer lexical form; nullopt if not one.
    static std::optional<Decimal> parse_integer(std::string_view s);
    /// The exact value of a finite double; nullopt for NaN and infinities.
    static std::optional<Decimal> from_double(double d);

    [[nodiscard]] double to_double() const;
    /// Canonical xs:decimal form: "12.5", "-3", "0".
    [[nodiscard]] std::string to_string() const;
    [[nodiscard]] int sign() const { return m_.sign(); }
    [[nodiscard]] bool is_integer() const { return scale_ == 0; }
    [[nodiscard]] std::int32_t scale() const { return scale_; }
    [[nodiscard]] const BigInt& mantissa() const { return m_; }

    [[nodiscard]] int compare(const Decimal& other) const;
    friend bool operator==(const Decimal& a, const Decimal& b) { return a.compare(b) == 0; }

    friend Decimal operator+(const Decimal& a, const Decimal& b);
    friend Decimal operator-(const Decimal& a, const Decimal& b);
    friend Decimal operator*(const Decimal& a, const Decimal& b);
    [[nodiscard]] Decimal negated() const { return Decimal(-m_, scale_); }
    [[nodiscard]] Decimal abs() const { return Decimal(m_ < 0 ? BigInt(-m_) : m_, scale_); }
    /// a div b; precondition b != 0.
    [[nodiscard]] static Decimal divide(const Decimal& a, const Decimal& b);
    /// Integer part of a div b, truncated; precondition b != 0.
    [[nodiscard]] static BigInt integer_divide(const Decimal& a, const Decimal& b);
    /// a mod b (sign of a); precondition b != 0.
    [[nodiscard]] static Decimal modulo(const Decimal& a, const Decimal& b);
    /// fn:round: nearest integer, halves toward positive infinity.
    [[nodiscard]] Decimal round() const;
    [[nodiscard]] Decimal floor() const;
    [[nodiscard]] Decimal ceiling() const;

private:
    void normalise();  // strip trailing fractional zeros (scale >= 0)
    static BigInt pow10(std::int32_t n);
    BigInt m_ = 0;
    std::int32_t scale_ = 0;
};

}  // namespace facteur::rules
