#include "decimal.h"

#include <cmath>
#include <cstdlib>

namespace facteur::rules {

BigInt Decimal::pow10(std::int32_t n) {
    BigInt r = 1;
    static const BigInt kTen18("1000000000000000000");
    while (n >= 18) {
        r *= kTen18;
        n -= 18;
    }
    while (n-- > 0) {
        r *= 10;
    }
    return r;
}

namespace {

constexpr std::int64_t kPow10[19] = {1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
                                     100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
                                     1000000000000LL, 10000000000000LL, 100000000000000LL,
                                     1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
                                     1000000000000000000LL};

bool fits64(Int128 v) { return v >= INT64_MIN && v <= INT64_MAX; }

}  // namespace

void Decimal::assign_wide(Int128 m, std::int32_t scale) {
    while (scale > 0 && !fits64(m) && m % 10 == 0) {
        m /= 10;
        --scale;
    }
    if (fits64(m)) {
        // trailing zeros with 64-bit divisions (the common case: a quotient at scale 18)
        auto s = static_cast<std::int64_t>(m);
        while (scale > 0 && s % 10 == 0 && s != 0) {
            s /= 10;
            --scale;
        }
        small_ = s;
        scale_ = s == 0 ? 0 : scale;
        big_.reset();
        return;
    }
    const bool negative = m < 0;
    UInt128 u = negative ? static_cast<UInt128>(-(m + 1)) + 1 : static_cast<UInt128>(m);
    BigInt b = static_cast<std::uint64_t>(u >> 64);
    b <<= 64;
    b += static_cast<std::uint64_t>(u);
    assign(negative ? BigInt(-b) : b, scale);
}

void Decimal::assign(BigInt m, std::int32_t scale) {
    if (m == 0) {
        small_ = 0;
        scale_ = 0;
        big_.reset();
        return;
    }
    while (scale > 0) {
        BigInt q;
        BigInt r;
        boost::multiprecision::divide_qr(m, BigInt(10), q, r);
        if (r != 0) {
            break;
        }
        m = std::move(q);
        --scale;
    }
    if (scale < 0) {
        m *= pow10(-scale);
        scale = 0;
    }
    scale_ = scale;
    if (m >= INT64_MIN && m <= INT64_MAX) {
        small_ = static_cast<std::int64_t>(m);
        big_.reset();
        return;
    }
    small_ = 0;
    big_ = std::make_shared<const BigInt>(std::move(m));
}

Decimal Decimal::negated() const {
    if (!big_ && small_ != INT64_MIN) {
        Decimal d;
        d.small_ = -small_;
        d.scale_ = scale_;
        return d;
    }
    return Decimal(BigInt(-mantissa()), scale_);
}

std::optional<Decimal> Decimal::parse(std::string_view s) {
    {
        // fast path: at most 18 digits
        std::size_t i = 0;
        bool negative = false;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            ++i;
        }
        std::int64_t m = 0;
        std::int32_t scale = 0;
        int digits = 0;
        bool dot = false;
        bool ok = i < s.size();
        bool any = false;
        for (; i < s.size() && ok; ++i) {
            const char c = s[i];
            if (c >= '0' && c <= '9') {
                any = true;
                if (m == 0 && c == '0' && !dot) {
                    continue;  // leading zero
                }
                if (++digits > 18) {
                    ok = false;
                    break;
                }
                m = m * 10 + (c - '0');
                scale += dot ? 1 : 0;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return std::nullopt;
            }
        }
        if (ok) {
            if (!any) {
                return std::nullopt;
            }
            Decimal d;
            d.assign_wide(negative ? -static_cast<Int128>(m) : m, scale);
            return d;
        }
    }
    std::size_t i = 0;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        negative = s[i] == '-';
        ++i;
    }
    std::string digits;
    std::int32_t scale = 0;
    bool any = false;
    bool dot = false;
    for (; i < s.size(); ++i) {
        const char c = s[i];
        if (c >= '0' && c <= '9') {
            digits += c;
            any = true;
            if (dot) {
                ++scale;
            }
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            return std::nullopt;
        }
    }
    if (!any) {
        return std::nullopt;
    }
    // No leading zeros: Boost reads "022" as octal.
    const std::size_t first = digits.find_first_not_of('0');
    const BigInt m(first == std::string::npos ? std::string("0") : digits.substr(first));
    return Decimal(negative ? BigInt(-m) : m, scale);
}

std::optional<Decimal> Decimal::parse_integer(std::string_view s) {
    if (s.find('.') != std::string_view::npos) {
        return std::nullopt;
    }
    return parse(s);
}

std::optional<Decimal> Decimal::from_double(double d) {
    if (!std::isfinite(d)) {
        return std::nullopt;
    }
    if (d == 0) {
        return Decimal();
    }
    int exponent = 0;
    const double fraction = std::frexp(std::fabs(d), &exponent);  // d = fraction * 2^exponent
    // 53 significant bits as an integer: |d| = mantissa * 2^(exponent - 53).
    auto mantissa = static_cast<std::uint64_t>(std::ldexp(fraction, 53));
    int e = exponent - 53;
    while (e < 0 && (mantissa & 1U) == 0) {  // m / 2^k with m even: (m / 2) / 2^(k-1)
        mantissa >>= 1;
        ++e;
    }
    const bool negative = d < 0;
    if (e < 0 && -e <= 27) {
        // m * 5^k < 2^53 * 5^27 < 2^116: exact in 128 bits
        Int128 m = mantissa;
        for (int k = 0; k < -e; ++k) {
            m *= 5;
        }
        Decimal r;
        r.assign_wide(negative ? -m : m, -e);
        return r;
    }
    BigInt m(mantissa);
    std::int32_t scale = 0;
    if (e >= 0) {
        m <<= e;
    } else {
        // m / 2^k = m * 5^k / 10^k, 5^k by factors of 5^27 (fits 64 bits)
        constexpr std::uint64_t kFive27 = 7450580596923828125ULL;
        int k = -e;
        for (; k >= 27; k -= 27) {
            m *= kFive27;
        }
        for (; k > 0; --k) {
            m *= 5U;
        }
        scale = -e;
    }
    return Decimal(negative ? BigInt(-m) : m, scale);
}

double Decimal::to_double() const {
    // A mantissa below 2^53 and a power of ten up to 10^22 are both exact doubles, so one
    // division rounds their quotient correctly, as strtod of the decimal form does.
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (!big_ && scale_ >= 0 && scale_ <= 22 && small_ > -(1LL << 53) && small_ < (1LL << 53)) {
        return static_cast<double>(small_) / kPow10[scale_];
    }
    return std::strtod(to_string().c_str(), nullptr);
}

std::string Decimal::to_string() const {
    const BigInt m = mantissa();
    const bool negative = m < 0;
    std::string digits = (negative ? BigInt(-m) : m).str();
    if (scale_ > 0) {
        if (static_cast<std::int32_t>(digits.size()) <= scale_) {
            digits.insert(0, static_cast<std::size_t>(scale_) - digits.size() + 1, '0');
        }
        const std::size_t point = digits.size() - static_cast<std::size_t>(scale_);
        digits = digits.substr(0, point) + '.' + digits.substr(point);
    }
    if (negative) {
        digits.insert(digits.begin(), '-');
    }
    return digits;
}

int Decimal::compare(const Decimal& other) const {
    if (!big_ && !other.big_) {
        const std::int32_t d = scale_ - other.scale_;
        if (d >= -18 && d <= 18) {
            const Int128 a = d < 0 ? static_cast<Int128>(small_) * kPow10[-d] : small_;
            const Int128 b = d > 0 ? static_cast<Int128>(other.small_) * kPow10[d] : other.small_;
            return a < b ? -1 : (a > b ? 1 : 0);
        }
    }
    const BigInt a = mantissa() * (scale_ < other.scale_ ? pow10(other.scale_ - scale_) : BigInt(1));
    const BigInt b = other.mantissa() * (other.scale_ < scale_ ? pow10(scale_ - other.scale_) : BigInt(1));
    return a < b ? -1 : (a > b ? 1 : 0);
}

Decimal operator+(const Decimal& a, const Decimal& b) {
    if (!a.big_ && !b.big_) {
        const std::int32_t d = a.scale_ - b.scale_;
        if (d >= -18 && d <= 18) {
            const Int128 x = d < 0 ? static_cast<Int128>(a.small_) * kPow10[-d] : a.small_;
            const Int128 y = d > 0 ? static_cast<Int128>(b.small_) * kPow10[d] : b.small_;
            Decimal r;
            r.assign_wide(x + y, std::max(a.scale_, b.scale_));
            return r;
        }
    }
    const std::int32_t s = std::max(a.scale_, b.scale_);
    return Decimal(a.mantissa() * Decimal::pow10(s - a.scale_) + b.mantissa() * Decimal::pow10(s - b.scale_), s);
}

Decimal operator-(const Decimal& a, const Decimal& b) { return a + b.negated(); }

Decimal operator*(const Decimal& a, const Decimal& b) {
    if (!a.big_ && !b.big_) {
        Decimal r;
        r.assign_wide(static_cast<Int128>(a.small_) * b.small_, a.scale_ + b.scale_);
        return r;
    }
    return Decimal(a.mantissa() * b.mantissa(), a.scale_ + b.scale_);
}

Decimal Decimal::divide(const Decimal& a, const Decimal& b) {
    // BigDecimal.divide(b, scale, HALF_DOWN) with scale = max(18, a.scale, b.scale).
    const std::int32_t scale = std::max({18, a.scale_, b.scale_});
    // q = a / b * 10^scale = a.m * 10^(scale - a.scale + b.scale) / b.m
    if (!a.big_ && !b.big_) {
        // 128-bit fast path: |a.m| < 2^63 times 10^shift (shift <= 19) and |b.m| times
        // 10^-shift (-18 <= shift) both fit; same truncation and rounding as below.
        const std::int32_t shift = scale - a.scale_ + b.scale_;
        if (shift >= -18 && shift <= 19) {
            const Int128 ten19 = static_cast<Int128>(kPow10[18]) * 10;
            const Int128 num =
                shift >= 0 ? static_cast<Int128>(a.small_) * (shift == 19 ? ten19 : kPow10[shift])
                           : static_cast<Int128>(a.small_);
            const Int128 den = shift >= 0 ? static_cast<Int128>(b.small_)
                                          : static_cast<Int128>(b.small_) * kPow10[-shift];
            Int128 q = num / den;  // truncated toward zero
            const Int128 r = num % den;
            if (r != 0) {
                const Int128 twice = (r < 0 ? -r : r) * 2;
                const Int128 aden = den < 0 ? -den : den;
                if (twice > aden) {  // more than half: away from zero; exactly half: toward zero
                    q += ((num < 0) != (den < 0)) ? -1 : 1;
                }
            }
            Decimal d;
            d.assign_wide(q, scale);
            return d;
        }
    }
    BigInt num = a.mantissa();
    BigInt den = b.mantissa();
    const std::int32_t shift = scale - a.scale_ + b.scale_;
    if (shift >= 0) {
        num *= pow10(shift);
    } else {
        den *= pow10(-shift);
    }
    BigInt q;
    BigInt r;
    boost::multiprecision::divide_qr(num, den, q, r);  // truncated toward zero
    if (r != 0) {
        const BigInt twice = boost::multiprecision::abs(r) * 2;
        const BigInt aden = boost::multiprecision::abs(den);
        if (twice > aden) {  // more than half: away from zero; exactly half: down (toward zero)
            q += (num.sign() * den.sign() < 0) ? -1 : 1;
        }
    }
    return Decimal(q, scale);
}

BigInt Decimal::integer_divide(const Decimal& a, const Decimal& b) {
    const std::int32_t s = std::max(a.scale_, b.scale_);
    const BigInt num = a.mantissa() * pow10(s - a.scale_);
    const BigInt den = b.mantissa() * pow10(s - b.scale_);
    return num / den;
}

Decimal Decimal::modulo(const Decimal& a, const Decimal& b) {
    const std::int32_t s = std::max(a.scale_, b.scale_);
    const BigInt num = a.mantissa() * pow10(s - a.scale_);
    const BigInt den = b.mantissa() * pow10(s - b.scale_);
    return Decimal(num % den, s);
}

Decimal Decimal::floor() const {
    if (scale_ == 0) {
        return *this;
    }
    if (!big_ && scale_ <= 18) {
        std::int64_t q = small_ / kPow10[scale_];
        if (small_ % kPow10[scale_] < 0) {
            --q;
        }
        return from_int(q);
    }
    BigInt q;
    BigInt r;
    boost::multiprecision::divide_qr(mantissa(), pow10(scale_), q, r);
    if (r < 0) {
        q -= 1;
    }
    return Decimal(q, 0);
}

Decimal Decimal::ceiling() const { return negated().floor().negated(); }

Decimal Decimal::round() const {
    if (scale_ == 0) {
        return *this;
    }
    // floor(x + 0.5): nearest integer, halves toward positive infinity.
    Decimal half;
    half.small_ = 5;
    half.scale_ = 1;
    return (*this + half).floor();
}

}  // namespace facteur::rules
