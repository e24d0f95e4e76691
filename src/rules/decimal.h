#pragma once

// Exact xs:decimal arithmetic for the XPath engine, with the semantics of the reference
// processor (Saxon, java.math.BigDecimal): exact +, -, *; division to max(18, scales) digits
// rounded half-down; doubles converted exactly (new BigDecimal(double)). Arbitrary precision, so
// no amount in an invoice can overflow.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/multiprecision/cpp_int.hpp>

namespace facteur::rules {

// 128-bit intermediates for the 64-bit fast path (g++/clang extension).
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

using BigInt = boost::multiprecision::number<boost::multiprecision::cpp_int_backend<>, boost::multiprecision::et_off>;

class Decimal {
public:
    Decimal() = default;
    Decimal(const BigInt& mantissa, std::int32_t scale) { assign(mantissa, scale); }
    static Decimal from_int(std::int64_t v) {
        Decimal d;
        d.small_ = v;
        return d;
    }

    /// xs:decimal lexical form, surrounding whitespace already removed; nullopt if not one.
    static std::optional<Decimal> parse(std::string_view s);
    /// xs:integer lexical form; nullopt if not one.
    static std::optional<Decimal> parse_integer(std::string_view s);
    /// The exact value of a finite double; nullopt for NaN and infinities.
    static std::optional<Decimal> from_double(double d);

    [[nodiscard]] double to_double() const;
    /// Canonical xs:decimal form: "12.5", "-3", "0".
    [[nodiscard]] std::string to_string() const;
    [[nodiscard]] int sign() const { return big_ ? big_->sign() : (small_ > 0) - (small_ < 0); }
    [[nodiscard]] bool is_integer() const { return scale_ == 0; }
    [[nodiscard]] std::int32_t scale() const { return scale_; }
    [[nodiscard]] BigInt mantissa() const { return big_ ? *big_ : BigInt(small_); }

    [[nodiscard]] int compare(const Decimal& other) const;
    friend bool operator==(const Decimal& a, const Decimal& b) { return a.compare(b) == 0; }

    friend Decimal operator+(const Decimal& a, const Decimal& b);
    friend Decimal operator-(const Decimal& a, const Decimal& b);
    friend Decimal operator*(const Decimal& a, const Decimal& b);
    [[nodiscard]] Decimal negated() const;
    [[nodiscard]] Decimal abs() const { return sign() < 0 ? negated() : *this; }
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
    // value = mantissa * 10^-scale, scale >= 0, no trailing fractional zero. The mantissa is
    // small_ when it fits 64 bits (the common case: no allocation), else *big_.
    void assign(BigInt mantissa, std::int32_t scale);
    void assign_wide(Int128 mantissa, std::int32_t scale);
    static BigInt pow10(std::int32_t n);
    std::int64_t small_ = 0;
    std::int32_t scale_ = 0;
    std::shared_ptr<const BigInt> big_;
};

}  // namespace facteur::rules
