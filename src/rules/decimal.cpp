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

void Decimal::normalise() {
    if (m_ == 0) {
        scale_ = 0;
        return;
    }
    while (scale_ > 0) {
        BigInt q;
        BigInt r;
        boost::multiprecision::divide_qr(m_, BigInt(10), q, r);
        if (r != 0) {
            break;
        }
        m_ = std::move(q);
        --scale_;
    }
    if (scale_ < 0) {
        m_ *= pow10(-scale_);
        scale_ = 0;
    }
}

std::optional<Decimal> Decimal::parse(std::string_view s) {
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
    const auto mantissa = static_cast<std::uint64_t>(std::ldexp(fraction, 53));
    BigInt m(mantissa);
    int e = exponent - 53;
    std::int32_t scale = 0;
    if (e >= 0) {
        m <<= e;
    } else {
        // m / 2^k = m * 5^k / 10^k
        BigInt five = 1;
        for (int k = 0; k < -e; ++k) {
            five *= 5;
        }
        m *= five;
        scale = -e;
    }
    return Decimal(d < 0 ? BigInt(-m) : m, scale);
}

double Decimal::to_double() const { return std::strtod(to_string().c_str(), nullptr); }

std::string Decimal::to_string() const {
    const bool negative = m_ < 0;
    std::string digits = (negative ? BigInt(-m_) : m_).str();
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
    if (scale_ == other.scale_) {
        return m_ < other.m_ ? -1 : (m_ > other.m_ ? 1 : 0);
    }
    if (scale_ < other.scale_) {
        const BigInt a = m_ * pow10(other.scale_ - scale_);
        return a < other.m_ ? -1 : (a > other.m_ ? 1 : 0);
    }
    const BigInt b = other.m_ * pow10(scale_ - other.scale_);
    return m_ < b ? -1 : (m_ > b ? 1 : 0);
}

Decimal operator+(const Decimal& a, const Decimal& b) {
    if (a.scale_ == b.scale_) {
        return Decimal(a.m_ + b.m_, a.scale_);
    }
    if (a.scale_ < b.scale_) {
        return Decimal(a.m_ * Decimal::pow10(b.scale_ - a.scale_) + b.m_, b.scale_);
    }
    return Decimal(a.m_ + b.m_ * Decimal::pow10(a.scale_ - b.scale_), a.scale_);
}

Decimal operator-(const Decimal& a, const Decimal& b) { return a + b.negated(); }

Decimal operator*(const Decimal& a, const Decimal& b) { return Decimal(a.m_ * b.m_, a.scale_ + b.scale_); }

Decimal Decimal::divide(const Decimal& a, const Decimal& b) {
    // BigDecimal.divide(b, scale, HALF_DOWN) with scale = max(18, a.scale, b.scale).
    const std::int32_t scale = std::max({18, a.scale_, b.scale_});
    // q = a / b * 10^scale = a.m * 10^(scale - a.scale + b.scale) / b.m
    BigInt num = a.m_;
    BigInt den = b.m_;
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
    const BigInt num = a.m_ * pow10(s - a.scale_);
    const BigInt den = b.m_ * pow10(s - b.scale_);
    return num / den;
}

Decimal Decimal::modulo(const Decimal& a, const Decimal& b) {
    const std::int32_t s = std::max(a.scale_, b.scale_);
    const BigInt num = a.m_ * pow10(s - a.scale_);
    const BigInt den = b.m_ * pow10(s - b.scale_);
    return Decimal(num % den, s);
}

Decimal Decimal::floor() const {
    if (scale_ == 0) {
        return *this;
    }
    BigInt q;
    BigInt r;
    boost::multiprecision::divide_qr(m_, pow10(scale_), q, r);
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
    return (*this + Decimal(BigInt(5), 1)).floor();
}

}  // namespace facteur::rules
