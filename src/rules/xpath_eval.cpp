// Evaluator of the XPath engine: XPath 2.0 semantics over an xml::Tree (see xpath.h).
#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <span>

#include "xpath_ast.h"

namespace facteur::rules::xpath {

namespace {

[[noreturn]] void raise(const char* code, const std::string& message) { throw Error(code, message); }

// ---------------------------------------------------------------- items and strings

std::uint64_t order_key(const Item& it) {
    if (it.type == Type::kAttribute) {
        return (static_cast<std::uint64_t>(it.owner) << 32) | (it.node + 1);
    }
    return static_cast<std::uint64_t>(it.node) << 32;
}

Item element_item(std::uint32_t index) {
    Item it;
    it.type = index == 0 ? Type::kDocument : Type::kElement;
    it.node = index;
    return it;
}

Item attribute_item(std::uint32_t index, std::uint32_t owner) {
    Item it;
    it.type = Type::kAttribute;
    it.node = index;
    it.owner = owner;
    return it;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
/// `\s` of std::regex<char> in the classic locale: XML whitespace plus \v and \f.
bool is_c_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

std::string normalize_space(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool pending = false;
    for (const char c : s) {
        if (is_space(c)) {
            pending = !out.empty();
            continue;
        }
        if (pending) {
            out += ' ';
            pending = false;
        }
        out += c;
    }
    return out;
}

std::vector<char32_t> codepoints(std::string_view s) {
    std::vector<char32_t> out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (std::size_t k = 1; k < n && i + k < s.size(); ++k) {
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        }
        out.push_back(cp);
        i += n;
    }
    return out;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::size_t length_of(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s) {
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    return n;
}

char32_t upper(char32_t c) {
    if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7)) {
        return c - 0x20;
    }
    return c;
}

char32_t lower(char32_t c) {
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) {
        return c + 0x20;
    }
    return c;
}

std::string map_case(std::string_view s, char32_t (*f)(char32_t)) {
    std::string out;
    out.reserve(s.size());
    for (const char32_t c : codepoints(s)) {
        append_utf8(out, f(c));
    }
    return out;
}

std::string double_to_string(double d) {
    if (std::isnan(d)) {
        return "NaN";
    }
    if (std::isinf(d)) {
        return d > 0 ? "INF" : "-INF";
    }
    if (d == 0) {
        return std::signbit(d) ? "-0" : "0";
    }
    const double a = std::fabs(d);
    char buf[64];
    if (a >= 1e-6 && a < 1e6) {
        auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
        std::string s(buf, r.ptr);
        if (s.find('.') != std::string::npos) {
            while (s.back() == '0') {
                s.pop_back();
            }
            if (s.back() == '.') {
                s.pop_back();
            }
        }
        return s;
    }
    auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string s(buf, r.ptr);  // 1.5e+07
    const std::size_t e = s.find('e');
    std::string mant = s.substr(0, e);
    if (mant.find('.') == std::string::npos) {
        mant += ".0";
    }
    int exp = std::atoi(s.c_str() + e + 1);
    return mant + "E" + std::to_string(exp);
}

std::string date_to_string(const Item& it) {
    // civil_from_days (Howard Hinnant)
    std::int64_t z = it.date() + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t y = yoe + era * 400;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2 ? 1 : 0;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y),
                  static_cast<long long>(m), static_cast<long long>(d));
    std::string s = buf;
    if (it.has_tz) {
        if (it.tz_minutes == 0) {
            s += 'Z';
        } else {
            const int t = std::abs(it.tz_minutes);
            std::snprintf(buf, sizeof buf, "%c%02d:%02d", it.tz_minutes < 0 ? '-' : '+', t / 60, t % 60);
            s += buf;
        }
    }
    return s;
}

std::string atomic_string(const Item& it) {
    switch (it.type) {
        case Type::kUntyped:
        case Type::kString:
            return it.text();
        case Type::kBoolean:
            return it.boolean ? "true" : "false";
        case Type::kInteger:
        case Type::kDecimal:
            return it.decimal().to_string();
        case Type::kDouble:
            return double_to_string(it.number());
        case Type::kDate:
            return date_to_string(it);
        default:
            return {};
    }
}

// ---------------------------------------------------------------- casts

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool parse_digits(std::string_view s, std::size_t n, int& out) {
    if (s.size() < n) {
        return false;
    }
    out = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

std::optional<Item> parse_date(std::string_view s) {
    bool negative = false;
    if (!s.empty() && s.front() == '-') {
        negative = true;
        s.remove_prefix(1);
    }
    std::size_t ylen = 0;
    while (ylen < s.size() && s[ylen] >= '0' && s[ylen] <= '9') {
        ++ylen;
    }
    int y = 0;
    int m = 0;
    int d = 0;
    if (ylen < 4 || (ylen > 4 && s.front() == '0') || ylen > 9 || !parse_digits(s, ylen, y)) {
        return std::nullopt;
    }
    s.remove_prefix(ylen);
    if (s.size() < 6 || s[0] != '-' || !parse_digits(s.substr(1), 2, m) || s[3] != '-' ||
        !parse_digits(s.substr(4), 2, d)) {
        return std::nullopt;
    }
    s.remove_prefix(6);
    if (negative) {
        y = -y;
    }
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] + (m == 2 && leap ? 1 : 0) || y == 0) {
        return std::nullopt;
    }
    Item it;
    it.type = Type::kDate;
    it.set_date(days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
    if (s.empty()) {
        return it;
    }
    it.has_tz = true;
    if (s == "Z") {
        return it;
    }
    int hh = 0;
    int mm = 0;
    if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || !parse_digits(s.substr(1), 2, hh) ||
        s[3] != ':' || !parse_digits(s.substr(4), 2, mm) || hh > 14 || mm > 59 || (hh == 14 && mm != 0)) {
        return std::nullopt;
    }
    it.tz_minutes = (s[0] == '-' ? -1 : 1) * (hh * 60 + mm);
    return it;
}

std::optional<double> parse_double(std::string_view s) {
    if (s == "INF" || s == "+INF") {
        return HUGE_VAL;
    }
    if (s == "-INF") {
        return -HUGE_VAL;
    }
    if (s == "NaN") {
        return std::nan("");
    }
    // (\+|-)?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee](\+|-)?[0-9]+)?
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        ++i;
    }
    std::size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        ++i;
        ++digits;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            ++i;
            ++digits;
        }
    }
    if (digits == 0) {
        return std::nullopt;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
            ++i;
        }
        std::size_t e = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            ++i;
            ++e;
        }
        if (e == 0) {
            return std::nullopt;
        }
    }
    if (i != s.size()) {
        return std::nullopt;
    }
    // std::from_chars rounds to nearest as strtod does, without a copy; it takes no '+', and
    // leaves out-of-range values (overflow, underflow) to strtod, which gives them as before.
    const std::string_view unsigned_form = s.front() == '+' ? s.substr(1) : s;
    double value = 0.0;
    const auto [end, ec] =
        std::from_chars(unsigned_form.data(), unsigned_form.data() + unsigned_form.size(), value);
    if (ec == std::errc{} && end == unsigned_form.data() + unsigned_form.size()) {
        return value;
    }
    const std::string copy(unsigned_form);
    return std::strtod(copy.c_str(), nullptr);
}

/// The message of the FORG0001 error for casting `it` to `target`.
std::string cast_failure(const Item& it, Fn target) {
    const char* type = "xs:date";
    switch (target) {
        case Fn::kXsInteger: type = "xs:integer"; break;
        case Fn::kXsDecimal: type = "xs:decimal"; break;
        case Fn::kXsDouble: type = "xs:double"; break;
        case Fn::kXsBoolean: type = "xs:boolean"; break;
        default: break;
    }
    return "cannot cast \"" + atomic_string(it).substr(0, 60) + "\" to " + type;
}

/// cast_atomic() without its FORG0001 error: nullopt where the value does not cast (the other
/// errors are raised).
std::optional<Item> try_cast_atomic(const Item& it, Fn target) {
    const bool textual = it.type == Type::kUntyped || it.type == Type::kString;
    const std::string_view text = textual ? trim(it.text()) : std::string_view{};
    switch (target) {
        case Fn::kXsString:
            return make_string(atomic_string(it));
        case Fn::kXsDecimal:
        case Fn::kXsInteger: {
            const bool integer = target == Fn::kXsInteger;
            const char* type = integer ? "xs:integer" : "xs:decimal";
            std::optional<Decimal> d;
            if (textual) {
                d = integer ? Decimal::parse_integer(text) : Decimal::parse(text);
            } else if (it.type == Type::kInteger || it.type == Type::kDecimal) {
                d = it.decimal();
            } else if (it.type == Type::kDouble) {
                d = Decimal::from_double(it.number());
                if (!d) {
                    raise("FOCA0002", std::string("cannot convert ") + double_to_string(it.number()) + " to " + type);
                }
            } else if (it.type == Type::kBoolean) {
                d = Decimal::from_int(it.boolean ? 1 : 0);
            }
            if (!d) {
                return std::nullopt;
            }
            if (integer && !d->is_integer()) {
                d = d->sign() < 0 ? d->ceiling() : d->floor();
            }
            return integer ? make_integer(*d) : make_decimal(*d);
        }
        case Fn::kXsDouble: {
            if (textual) {
                const auto d = parse_double(text);
                if (!d) {
                    return std::nullopt;
                }
                return make_double(*d);
            }
            if (it.type == Type::kDouble) {
                return it;
            }
            if (it.type == Type::kInteger || it.type == Type::kDecimal) {
                return make_double(it.decimal().to_double());
            }
            if (it.type == Type::kBoolean) {
                return make_double(it.boolean ? 1 : 0);
            }
            return std::nullopt;
        }
        case Fn::kXsBoolean: {
            if (textual) {
                if (text == "true" || text == "1") {
                    return make_boolean(true);
                }
                if (text == "false" || text == "0") {
                    return make_boolean(false);
                }
                return std::nullopt;
            }
            if (it.type == Type::kBoolean) {
                return it;
            }
            if (it.type == Type::kDouble) {
                return make_boolean(!(it.number() == 0 || std::isnan(it.number())));
            }
            if (it.type == Type::kInteger || it.type == Type::kDecimal) {
                return make_boolean(it.decimal().sign() != 0);
            }
            return std::nullopt;
        }
        case Fn::kXsDate: {
            if (textual) {
                auto d = parse_date(text);
                if (!d) {
                    return std::nullopt;
                }
                return *d;
            }
            if (it.type == Type::kDate) {
                return it;
            }
            return std::nullopt;
        }
        default:
            raise("XPST0080", "unsupported cast");
    }
}

Item cast_atomic(const Item& it, Fn target) {
    if (std::optional<Item> cast = try_cast_atomic(it, target)) {
        return std::move(*cast);
    }
    raise("FORG0001", cast_failure(it, target));
}

}  // namespace

// ---------------------------------------------------------------- arena

thread_local Arena* Arena::current = nullptr;

void* Arena::allocate(std::size_t bytes) {
    bytes = (bytes + 15) & ~std::size_t{15};
    if (bytes > kBlockBytes / 4 || total_ + bytes > kBytesMax) {
        return nullptr;  // large, or too much for one document: the heap
    }
    for (;;) {
        if (block_ < blocks_.size()) {
            if (used_ + bytes <= blocks_[block_].size) {
                void* p = blocks_[block_].data.get() + used_;
                used_ += bytes;
                total_ += bytes;
                return p;
            }
            if (block_ + 1 < blocks_.size()) {
                ++block_;
                used_ = 0;
                continue;
            }
        }
        blocks_.push_back(Block{std::make_unique<std::byte[]>(kBlockBytes), kBlockBytes});
        block_ = blocks_.size() - 1;
        used_ = 0;
    }
}

bool Arena::owns(const void* p) const noexcept {
    const auto* b = static_cast<const std::byte*>(p);
    for (std::size_t i = 0; i <= block_ && i < blocks_.size(); ++i) {
        const std::byte* start = blocks_[i].data.get();
        if (b >= start && b < start + blocks_[i].size) {
            return true;
        }
    }
    return false;
}

void Arena::reset() noexcept {
    block_ = 0;
    used_ = 0;
    total_ = 0;
}

// ---------------------------------------------------------------- path trie

void PredicateCache::reset() noexcept {
    used_ = 0;
    if (++generation_ == 0) {  // wrapped: old entries could look current again
        for (Entry& e : entries_) {
            e.generation = 0;
        }
        generation_ = 1;
    }
}

void PredicateCache::grow() {
    std::vector<Entry> old = std::move(entries_);
    const std::size_t size = old.empty() ? 1024 : old.size() * 2;
    entries_.assign(size, Entry{});
    shift_ = 64U - static_cast<unsigned>(std::countr_zero(size));
    const std::uint32_t current = generation_;
    for (const Entry& e : old) {
        if (e.generation == current) {
            for (std::size_t i = home(e.key);; i = (i + 1) & (size - 1)) {
                if (entries_[i].generation != current) {
                    entries_[i] = e;
                    break;
                }
            }
        }
    }
}

void PredicateCache::keep(std::uint32_t slot, std::uint32_t element, bool value) {
    if (used_ >= kEntriesMax) {
        return;
    }
    if ((used_ + 1) * 2 > entries_.size()) {
        grow();
    }
    const std::uint64_t k = key(slot, element);
    for (std::size_t i = home(k);; i = (i + 1) & (entries_.size() - 1)) {
        Entry& e = entries_[i];
        if (e.generation != generation_) {
            e = Entry{k, generation_, value};
            ++used_;
            return;
        }
        if (e.key == k) {
            return;
        }
    }
}

void PathIndex::reset() noexcept {
    built_ = false;
    queries_ = 0;
}

bool PathIndex::use(const xml::Tree& tree, std::uint32_t queries) {
    if (!built_) {
        queries_ += queries;
        if (queries_ >= kBuildAfter) {
            build(tree);
        }
    }
    return built_;
}

bool PathIndex::use(const xml::Tree& tree) {
    if (!built_ && ++queries_ >= kBuildAfter) {
        build(tree);
    }
    return built_;
}

std::uint32_t PathIndex::insert(std::uint64_t k, std::uint32_t value) {
    for (std::size_t i = home(k);; i = (i + 1) & (slots_.size() - 1)) {
        if (slots_[i].key == k) {
            return slots_[i].value;
        }
        if (slots_[i].key == 0) {
            slots_[i] = Slot{k, value};
            return value;
        }
    }
}

void PathIndex::build(const xml::Tree& tree) {
    std::size_t entries = tree.size();
    for (std::uint32_t e = 1; e < tree.size(); ++e) {
        entries += tree.element(e).attr_end - tree.element(e).attr_begin;
    }
    std::size_t capacity = 16;
    shift_ = 60;
    while (capacity < 2 * entries) {  // load factor at most one half
        capacity *= 2;
        --shift_;
    }
    slots_.assign(capacity, Slot{});
    node_of_.assign(tree.size(), 0);
    count_.assign(1, 1);  // trie node 0: the document node
    for (std::uint32_t e = 1; e < tree.size(); ++e) {
        const xml::TreeElement& el = tree.element(e);
        const auto fresh = static_cast<std::uint32_t>(count_.size());
        const std::uint32_t node = insert(key(node_of_[el.parent], el.name, false), fresh);
        if (node == fresh) {
            count_.push_back(0);
        }
        ++count_[node];
        node_of_[e] = node;
        for (std::uint32_t a = el.attr_begin; a < el.attr_end; ++a) {
            insert(key(node, tree.attribute(a).name, true), 0);
        }
    }
    built_ = true;
}

// ---------------------------------------------------------------- public helpers

const std::string& Item::empty_text() noexcept {
    static const std::string kEmpty;
    return kEmpty;
}

const Decimal& Item::zero_decimal() noexcept {
    static const Decimal kZero;
    return kZero;
}

static_assert(sizeof(Item) == 48, "Item: a 16-byte header and a 32-byte payload");

Item make_string(std::string s) {
    Item it;
    it.type = Type::kString;
    it.set_text(std::move(s));
    return it;
}
Item make_untyped(std::string s) {
    Item it;
    it.type = Type::kUntyped;
    it.set_text(std::move(s));
    return it;
}
Item make_boolean(bool b) {
    Item it;
    it.type = Type::kBoolean;
    it.boolean = b;
    return it;
}
Item make_integer(Decimal d) {
    Item it;
    it.type = Type::kInteger;
    it.set_decimal(std::move(d));
    return it;
}
Item make_decimal(Decimal d) {
    Item it;
    it.type = Type::kDecimal;
    it.set_decimal(std::move(d));
    return it;
}
Item make_double(double d) {
    Item it;
    it.type = Type::kDouble;
    it.set_number(d);
    return it;
}

std::string string_value(const Item& item, const xml::Tree& tree) {
    switch (item.type) {
        case Type::kElement:
        case Type::kDocument:
            return tree.string_value(item.node);
        case Type::kAttribute:
            return std::string(tree.attribute(item.node).value);
        default:
            return atomic_string(item);
    }
}

namespace {

/// The effective boolean value of one atomic value.
bool atomic_effective_boolean(const Item& it) {
    switch (it.type) {
        case Type::kBoolean:
            return it.boolean;
        case Type::kString:
        case Type::kUntyped:
            return !it.text().empty();
        case Type::kInteger:
        case Type::kDecimal:
            return it.decimal().sign() != 0;
        case Type::kDouble:
            return !(it.number() == 0 || std::isnan(it.number()));
        default:
            raise("FORG0006", "no effective boolean value for this type");
    }
}

}  // namespace

bool effective_boolean(const Sequence& s) {
    if (s.empty()) {
        return false;
    }
    const Item& first = s.front();
    if (first.is_node()) {
        return true;
    }
    if (s.size() > 1) {
        raise("FORG0006", "effective boolean value of a sequence of several atomic values");
    }
    return atomic_effective_boolean(first);
}

// ---------------------------------------------------------------- the evaluator

namespace {

/// A comparison operand that is nodes of the untyped tree and, from a node focus, never raises
/// an error: a name chain (`@schemeID`, `cbc:ID`, `cac:A/cbc:B`) or `.`. They atomize to
/// xs:untypedAtomic.
bool untyped_nodes(const Expr& x) {
    return x.op == Op::kContext || (!x.no_chain && !x.name_chain.empty());
}

class Eval {
public:
    explicit Eval(const Context& ctx) : c_(ctx), tree_(*ctx.tree), gen_(++ctx.memo_clock) {}

    Sequence run(const Expr& e, const Item& item, std::size_t position, std::size_t size) {
        const Focus f{&item, position, size};
        return settle<Sequence>([&] { return eval(e, f); });
    }

    bool run_boolean(const Expr& e, const Item& item, std::size_t position, std::size_t size) {
        const Focus f{&item, position, size};
        return settle<bool>([&] { return ebv(e, f); });
    }

    /// predicate() for a caller outside the evaluation (Matcher).
    bool run_predicate(const Expr& p, const Item& node) {
        return settle<bool>([&] { return predicate(p, node); });
    }

    struct Focus {
        const Item* item;
        std::size_t position;
        std::size_t size;
    };

    // ----- dynamic errors that do not unwind
    //
    // The two errors that mutated documents raise most (XPTY0004 for a second node where one is
    // allowed, FORG0001 for a value that does not cast) are recorded by fail() instead of being
    // thrown from deep in the recursion, where unwinding cost about 140,000 instructions each.
    // The evaluation then winds down: eval() and ebv() return at once, the callers get an empty
    // or neutral value, and run(), run_boolean() and run_predicate() throw the recorded error
    // from the top, as if it had been thrown where it arose. The first error wins, as a throw
    // would have made it: an error thrown afterwards is dropped for it. Nothing computed after
    // a failure is kept in the per-document caches.

    /// Records the evaluation's first dynamic error.
    void fail(const char* code, std::string message) {
        if (!failure_) {
            failure_.emplace(code, message);
        }
    }

    /// Throws the recorded error, if any, and forgets it (a Matcher runs one Eval many times).
    /// The kept values (Context::memo) of the failed run are left behind with its generation.
    void raise_failure() {
        if (failure_) [[unlikely]] {
            Error error = std::move(*failure_);
            failure_.reset();
            gen_ = ++c_.memo_clock;
            throw error;
        }
    }

    /// Runs `body` from outside the evaluation, and throws the error it recorded or threw first.
    template <class T, class F>
    T settle(F&& body) {
        T value{};
        try {
            value = body();
        } catch (...) {
            if (!failure_) {
                throw;
            }
        }
        raise_failure();
        return value;
    }

    /// cast_atomic(), failing with FORG0001 rather than throwing it; then a neutral value (zero
    /// or false; a decimal zero for xs:date), which the failed evaluation never reports.
    Item cast_or_fail(const Item& it, Fn target) {
        if (std::optional<Item> cast = try_cast_atomic(it, target)) {
            return std::move(*cast);
        }
        fail("FORG0001", cast_failure(it, target));
        switch (target) {
            case Fn::kXsDouble: return make_double(0.0);
            case Fn::kXsBoolean: return make_boolean(false);
            case Fn::kXsInteger: return make_integer(Decimal());
            default: return make_decimal(Decimal());
        }
    }

    /// What a failed evaluation gives for a node set it does not keep.
    static const Sequence& no_items() {
        static const Sequence kNone;
        return kNone;
    }

    // ----- atomization and single values

    Item atomize_one(const Item& it) const {
        if (it.is_node()) {
            return make_untyped(string_value(it, tree_));
        }
        return it;
    }

    Sequence atomize(Sequence s) const {
        for (Item& it : s) {
            if (it.is_node()) {
                it = make_untyped(string_value(it, tree_));
            }
        }
        return s;
    }

    /// For a streamable, duplicate-free `e` (streams(e) && e.unique): the text of its single
    /// node, the untypedAtomic value optional_atomic() would give, as a view (`scratch` holds it
    /// when it must be built). False for the empty sequence; XPTY0004 for more than one node.
    bool single_text(const Expr& e, const Focus& f, const char* what, std::string& scratch,
                     std::string_view& text) {
        Item first;
        if (!single_node(e, f, what, first)) {
            return false;
        }
        text = node_text(first, scratch);
        return true;
    }

    /// For a streamable `e`: its single node into `first`. False for the empty sequence;
    /// XPTY0004 for more than one node (a node the stream yields twice counts twice).
    bool single_node(const Expr& e, const Focus& f, const char* what, Item& first) {
        std::size_t n = 0;
        each_node(e, f, [&](const Item& it) {
            if (++n == 1) {
                first_node(first, it);
            }
            return n < 2;
        });
        if (n > 1) {
            fail("XPTY0004", std::string("a sequence of more than one item is not allowed as ") + what);
            return false;
        }
        return n == 1;
    }

    /// cast_or_fail() of an untypedAtomic `text` to xs:decimal, xs:integer or xs:double without
    /// building the untyped item (it is built only for the error's message); other targets
    /// take the general way.
    Item cast_text(std::string_view text, Fn target) {
        const std::string_view t = trim(text);
        switch (target) {
            case Fn::kXsDecimal:
                if (std::optional<Decimal> d = Decimal::parse(t)) {
                    return make_decimal(std::move(*d));
                }
                break;
            case Fn::kXsInteger:
                if (std::optional<Decimal> d = Decimal::parse_integer(t); d && d->is_integer()) {
                    return make_integer(std::move(*d));
                }
                break;
            case Fn::kXsDouble:
                if (const std::optional<double> d = parse_double(t)) {
                    return make_double(*d);
                }
                break;
            default:
                break;
        }
        return cast_or_fail(make_untyped(std::string(text)), target);
    }

    /// Keeps node `it` (streams yield nodes only) in `out`: its kind and indexes, nothing else.
    static void first_node(Item& out, const Item& it) noexcept {
        out.type = it.type;
        out.node = it.node;
        out.owner = it.owner;
    }

    /// Zero or one atomic value (XPTY0004 for more). Expressions that yield at most one value by
    /// construction (literals, arithmetic, comparisons, casts, the single-valued functions) and
    /// lazy node streams are evaluated without building a sequence.
    /// A repeated subexpression of an assert test (Expr::memo_slot): evaluated once per focus
    /// and bindings.
    [[gnu::noinline]] std::optional<Item> kept_atomic(const Expr& e, const Focus& f, const char* what) {
        Context::MemoEntry& entry = (*c_.memo)[e.memo_slot];
        if (entry.stamp != gen_) {
            entry.value = optional_atomic(e, f, what, false);
            entry.stamp = gen_;
        }
        return entry.value;
    }

    std::optional<Item> optional_atomic(const Expr& e, const Focus& f, const char* what, bool kept = true) {
        if (e.memo_slot != 0 && kept && c_.memo != nullptr) [[unlikely]] {
            return kept_atomic(e, f, what);
        }
        switch (e.op) {
            case Op::kLiteral:
                return e.literal;
            case Op::kVar: {
                const Sequence& v = (*c_.slots)[e.slot];
                if (v.empty()) {
                    return std::nullopt;
                }
                if (v.size() > 1) {
                    raise(
                        "XPTY0004",
                        std::string("a sequence of more than one item is not allowed as ") + what);
                }
                return atomize_one(v.front());
            }
            case Op::kContext:
                return atomize_one(focus_item(f));
            case Op::kAdd:
            case Op::kSub:
            case Op::kMul:
            case Op::kDiv:
            case Op::kIdiv:
            case Op::kMod:
                return arithmetic_one(e, f);
            case Op::kNeg:
            case Op::kPos:
                return negate_one(e, f);
            case Op::kOr:
            case Op::kAnd:
            case Op::kGeneralCmp:
                return make_boolean(ebv(e, f));
            case Op::kValueCmp:
                return value_compare_one(e, f);
            case Op::kCall:
                if (single_valued(e.fn)) {
                    return call_one(e, f);
                }
                break;
            case Op::kCast:
            case Op::kCastable:
                return cast_one(e, f);
            case Op::kPath:
            case Op::kStep:
                if (streams(e) && e.unique) {  // a stream that never yields a node twice
                    Item first;
                    if (!single_node(e, f, what, first)) {
                        return std::nullopt;
                    }
                    return atomize_one(first);
                }
                break;
            default:
                break;
        }
        Sequence s = eval(e, f);
        if (s.empty()) {
            return std::nullopt;
        }
        if (s.size() > 1) {
            raise("XPTY0004", std::string("a sequence of more than one item is not allowed as ") + what);
        }
        return atomize_one(s.front());
    }

    /// xs:string? argument: untypedAtomic and xs:string accepted, "" for the empty sequence.
    std::string string_arg(const Expr& e, const Focus& f, const char* fn) {
        const auto it = optional_atomic(e, f, fn);
        if (!it) {
            return {};
        }
        if (it->type != Type::kString && it->type != Type::kUntyped) {
            raise("XPTY0004", std::string("a ") + (it->is_numeric() ? "number" : "non-string value") +
                                  " is not allowed as argument of " + fn);
        }
        return it->text();
    }

    /// Whether `e` yields exactly one xs:string by construction: a string literal,
    /// normalize-space(), upper-case() or lower-case() (see text_value()).
    static bool is_text_valued(const Expr& e) {
        if (e.op == Op::kLiteral) {
            return e.literal.type == Type::kString;
        }
        return e.op == Op::kCall
               && (e.fn == Fn::kNormalizeSpace || e.fn == Fn::kUpperCase || e.fn == Fn::kLowerCase);
    }

    /// The string of an is_text_valued() expression, as call_one() computes it, as a view:
    /// a literal, or a text that normalize-space() or the case mapping leaves unchanged, is not
    /// copied; a built value is held by `scratch`.
    std::string_view text_value(const Expr& e, const Focus& f, std::string& scratch) {
        if (e.op == Op::kLiteral) {
            return e.literal.text();
        }
        if (e.fn == Fn::kNormalizeSpace) {
            std::string arg;
            const std::string_view s = e.kids.empty()
                                           ? node_or_value_text(focus_item(f), arg)
                                           : sv_arg(*e.kids[0], f, "normalize-space()", arg);
            if (is_normalized(s)) {
                if (s.data() == arg.data() && !s.empty()) {  // held by the local buffer
                    scratch = std::move(arg);
                    return scratch;
                }
                return s;
            }
            scratch = normalize_space(s);
            return scratch;
        }
        // upper-case() / lower-case(): the argument as call_one() reads it
        const bool up = e.fn == Fn::kUpperCase;
        const char* fn = up ? "upper-case()" : "lower-case()";
        std::string arg;
        if (streams(*e.kids[0]) && e.kids[0]->unique) {
            // optional_atomic()'s way for such a stream, the node's text copied once
            std::string text_scratch;
            std::string_view text;
            if (single_text(*e.kids[0], f, fn, text_scratch, text)) {
                arg.assign(text);
            }
        } else {
            arg = string_arg(*e.kids[0], f, fn);
        }
        if (std::all_of(arg.begin(), arg.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
            for (char& c : arg) {  // the same mapping as upper()/lower() on ASCII
                if (up && c >= 'a' && c <= 'z') {
                    c = static_cast<char>(c - 0x20);
                } else if (!up && c >= 'A' && c <= 'Z') {
                    c = static_cast<char>(c + 0x20);
                }
            }
            scratch = std::move(arg);
        } else {
            scratch = map_case(arg, up ? upper : lower);
        }
        return scratch;
    }

    /// Whether normalize-space() leaves `s` unchanged: no leading, trailing or repeated
    /// whitespace, and no whitespace other than ' '.
    static bool is_normalized(std::string_view s) noexcept {
        bool previous_space = true;  // a leading space is not normalized
        for (const char c : s) {
            if (is_space(c)) {
                if (c != ' ' || previous_space) {
                    return false;
                }
                previous_space = true;
            } else {
                previous_space = false;
            }
        }
        return !previous_space || s.empty();
    }

    /// Like string_arg(), as a view: literals and node texts are not copied (`scratch` holds
    /// the value when it must be built).
    std::string_view sv_arg(const Expr& e, const Focus& f, const char* fn, std::string& scratch) {
        if (e.op == Op::kLiteral && e.literal.type == Type::kString) {
            return e.literal.text();
        }
        if (e.op == Op::kCall && is_text_valued(e)) {
            return text_value(e, f, scratch);
        }
        if (e.op == Op::kContext && f.item != nullptr && f.item->is_node()) {
            return node_text(*f.item, scratch);
        }
        if (e.op == Op::kCall && (e.fn == Fn::kName || e.fn == Fn::kLocalName) && e.kids.empty()
            && f.item != nullptr && f.item->is_node()) {
            // name() / local-name() of the context node, as call_one() computes them
            std::string_view local;
            std::string_view prefix;
            if (f.item->type == Type::kAttribute) {
                local = tree_.attribute(f.item->node).local_name;
                prefix = tree_.attribute(f.item->node).prefix;
            } else if (f.item->type == Type::kElement) {
                local = tree_.element(f.item->node).local_name;
                prefix = tree_.element(f.item->node).prefix;
            }
            if (e.fn == Fn::kName && !prefix.empty()) {
                scratch.assign(prefix).append(1, ':').append(local);
                return scratch;
            }
            return local;
        }
        if (streams(e)) {
            Item first;
            if (!single_node(e, f, fn, first)) {
                return {};
            }
            return node_text(first, scratch);
        }
        scratch = string_arg(e, f, fn);
        return scratch;
    }

    /// Numeric argument: untypedAtomic cast to xs:double.
    std::optional<Item> numeric_arg(const Expr& e, const Focus& f, const char* fn) {
        if (streams(e) && e.unique) {  // a node's text cast to xs:double, without copying it
            std::string scratch;
            std::string_view text;
            if (!single_text(e, f, fn, scratch, text)) {
                return std::nullopt;
            }
            return cast_text(text, Fn::kXsDouble);
        }
        auto it = optional_atomic(e, f, fn);
        if (!it) {
            return std::nullopt;
        }
        if (it->type == Type::kUntyped) {
            return cast_or_fail(*it, Fn::kXsDouble);
        }
        if (!it->is_numeric()) {
            raise("XPTY0004", std::string("a non-numeric value is not allowed as argument of ") + fn);
        }
        return it;
    }

    const Item& focus_item(const Focus& f) const {
        if (f.item == nullptr) {
            raise("XPDY0002", "the context item is absent");
        }
        return *f.item;
    }

    std::uint32_t focus_node(const Focus& f, const char* what) const {
        const Item& it = focus_item(f);
        if (!it.is_node()) {
            raise("XPTY0020", std::string("the context item for ") + what + " is not a node");
        }
        return it.node;
    }

    void check_size(const Sequence& s) const {
        if (s.size() > c_.items_max) {
            raise("FACTEUR-LIMIT", "an intermediate sequence exceeds " + std::to_string(c_.items_max) + " items");
        }
    }

    // ----- comparisons

    static int compare_numbers(const Item& a, const Item& b, bool& unordered) {
        if (a.type == Type::kDouble || b.type == Type::kDouble) {
            const double x = a.type == Type::kDouble ? a.number() : a.decimal().to_double();
            const double y = b.type == Type::kDouble ? b.number() : b.decimal().to_double();
            if (std::isnan(x) || std::isnan(y)) {
                unordered = true;
                return 0;
            }
            return x < y ? -1 : (x > y ? 1 : 0);
        }
        return a.decimal().compare(b.decimal());
    }

    /// Value comparison of two atomic values (untypedAtomic already converted).
    static bool compare_values(const Item& a, const Item& b, Cmp cmp) {
        int r = 0;
        bool unordered = false;
        if (a.is_numeric() && b.is_numeric()) {
            r = compare_numbers(a, b, unordered);
        } else if ((a.type == Type::kString || a.type == Type::kUntyped) &&
                   (b.type == Type::kString || b.type == Type::kUntyped)) {
            r = a.text().compare(b.text());
            r = r < 0 ? -1 : (r > 0 ? 1 : 0);
        } else if (a.type == Type::kBoolean && b.type == Type::kBoolean) {
            r = static_cast<int>(a.boolean) - static_cast<int>(b.boolean);
        } else if (a.type == Type::kDate && b.type == Type::kDate) {
            const std::int64_t x = a.date() * 1440 - (a.has_tz ? a.tz_minutes : 0);
            const std::int64_t y = b.date() * 1440 - (b.has_tz ? b.tz_minutes : 0);
            r = x < y ? -1 : (x > y ? 1 : 0);
        } else {
            raise("XPTY0004", "cannot compare " + type_name(a) + " with " + type_name(b));
        }
        if (unordered) {
            return cmp == Cmp::kNe;
        }
        switch (cmp) {
            case Cmp::kEq: return r == 0;
            case Cmp::kNe: return r != 0;
            case Cmp::kLt: return r < 0;
            case Cmp::kLe: return r <= 0;
            case Cmp::kGt: return r > 0;
            case Cmp::kGe: return r >= 0;
        }
        return false;
    }

    static std::string type_name(const Item& it) {
        switch (it.type) {
            case Type::kUntyped: return "xs:untypedAtomic";
            case Type::kString: return "xs:string";
            case Type::kBoolean: return "xs:boolean";
            case Type::kInteger: return "xs:integer";
            case Type::kDecimal: return "xs:decimal";
            case Type::kDouble: return "xs:double";
            case Type::kDate: return "xs:date";
            default: return "node()";
        }
    }

    bool general_pair(const Item& a, const Item& b, Cmp cmp) {
        const auto textual = [](const Item& it) {
            return it.type == Type::kUntyped || it.type == Type::kString;
        };
        if (textual(a) && textual(b)) {
            // untypedAtomic against a string is cast to xs:string: the same comparison of texts
            return compare_values(a, b, cmp);
        }
        if (a.type == Type::kUntyped && b.type == Type::kUntyped) {
            return compare_values(a, b, cmp);
        }
        if (a.type == Type::kUntyped) {
            return compare_values(convert_untyped_for(a, b), b, cmp);
        }
        if (b.type == Type::kUntyped) {
            return compare_values(a, convert_untyped_for(b, a), cmp);
        }
        return compare_values(a, b, cmp);
    }

    Item convert_untyped_for(const Item& untyped, const Item& other) {
        if (other.is_numeric()) {
            return cast_or_fail(untyped, Fn::kXsDouble);
        }
        if (other.type == Type::kString) {
            return make_string(untyped.text());
        }
        if (other.type == Type::kBoolean) {
            return cast_or_fail(untyped, Fn::kXsBoolean);
        }
        if (other.type == Type::kDate) {
            return cast_or_fail(untyped, Fn::kXsDate);
        }
        return untyped;
    }

    /// Whether `e` yields at most one atomic value by construction (see optional_atomic()).
    static bool yields_single(const Expr& e) {
        switch (e.op) {
            case Op::kLiteral:
            case Op::kAdd:
            case Op::kSub:
            case Op::kMul:
            case Op::kDiv:
            case Op::kIdiv:
            case Op::kMod:
            case Op::kNeg:
            case Op::kPos:
            case Op::kOr:
            case Op::kAnd:
            case Op::kGeneralCmp:
            case Op::kValueCmp:
            case Op::kCast:
            case Op::kCastable:
                return true;
            case Op::kCall:
                return single_valued(e.fn) && !(e.fn == Fn::kSum && e.kids.size() > 1);
            default:
                return false;
        }
    }

    /// Functions whose result is at most one atomic value (evaluated by call_one()).
    static bool single_valued(Fn fn) {
        switch (fn) {
            case Fn::kNot:
            case Fn::kTrue:
            case Fn::kFalse:
            case Fn::kBoolean:
            case Fn::kExists:
            case Fn::kEmpty:
            case Fn::kCount:
            case Fn::kSum:
            case Fn::kAvg:
            case Fn::kMin:
            case Fn::kMax:
            case Fn::kRound:
            case Fn::kFloor:
            case Fn::kCeiling:
            case Fn::kAbs:
            case Fn::kNumber:
            case Fn::kString:
            case Fn::kNormalizeSpace:
            case Fn::kStringLength:
            case Fn::kConcat:
            case Fn::kContains:
            case Fn::kStartsWith:
            case Fn::kEndsWith:
            case Fn::kSubstring:
            case Fn::kSubstringBefore:
            case Fn::kSubstringAfter:
            case Fn::kUpperCase:
            case Fn::kLowerCase:
            case Fn::kTranslate:
            case Fn::kStringJoin:
            case Fn::kMatches:
            case Fn::kReplace:
            case Fn::kLocalName:
            case Fn::kName:
            case Fn::kPosition:
            case Fn::kLast:
            case Fn::kCodepointsToString:
            case Fn::kXsDecimal:
            case Fn::kXsInteger:
            case Fn::kXsDouble:
            case Fn::kXsString:
            case Fn::kXsBoolean:
            case Fn::kXsDate:
                return true;
            default:
                return false;
        }
    }

    /// A one-item sequence, built by moving `it`.
    static Sequence one(Item&& it) {
        Sequence s;
        s.push_back(std::move(it));
        return s;
    }

    static Sequence one(std::optional<Item>&& it) { return it ? one(std::move(*it)) : Sequence{}; }

    /// An operand of a single-valued comparison: a literal is read in place, anything else is
    /// evaluated into `own`. Null for the empty sequence.
    const Item* single_operand(const Expr& e, const Focus& f, std::optional<Item>& own) {
        if (e.op == Op::kLiteral) {
            return &e.literal;
        }
        own = optional_atomic(e, f, "operand of a comparison");
        return own ? &*own : nullptr;
    }

    /// General comparison of operands that are not streamed: true if some pair compares true.
    bool general_compare(const Expr& e, const Focus& f) {
        if (is_text_valued(*e.kids[0]) && is_text_valued(*e.kids[1])) {
            // two xs:string values (never empty): the comparison of their texts, without items
            std::string sa;
            std::string sb;
            const std::string_view a = text_value(*e.kids[0], f, sa);
            const std::string_view b = text_value(*e.kids[1], f, sb);
            const int c = a.compare(b);
            switch (e.cmp) {
                case Cmp::kEq:
                    return c == 0;
                case Cmp::kNe:
                    return c != 0;
                case Cmp::kLt:
                    return c < 0;
                case Cmp::kLe:
                    return c <= 0;
                case Cmp::kGt:
                    return c > 0;
                case Cmp::kGe:
                    return c >= 0;
            }
        }
        if (yields_single(*e.kids[0]) && yields_single(*e.kids[1])) {
            // the same operands in the same order, without sequences
            std::optional<Item> own_a;
            const Item* a = single_operand(*e.kids[0], f, own_a);
            if (a == nullptr) {
                return false;
            }
            std::optional<Item> own_b;
            const Item* b = single_operand(*e.kids[1], f, own_b);
            return b != nullptr && general_pair(*a, *b, e.cmp);
        }
        const Sequence l = atomize(eval(*e.kids[0], f));
        if (l.empty()) {
            return false;
        }
        // The right operand, evaluated last, is read in place when it is a literal or a
        // variable holding atomic values (eval() would copy them).
        const Expr& rx = *e.kids[1];
        Sequence own;
        const Item* r = nullptr;
        std::size_t r_size = 0;
        if (rx.op == Op::kLiteral) {
            r = &rx.literal;
            r_size = 1;
        } else if (const Sequence* v = rx.op == Op::kVar ? &(*c_.slots)[rx.slot] : nullptr;
                   v != nullptr && std::none_of(v->begin(), v->end(), [](const Item& it) {
                       return it.is_node();
                   })) {
            r = v->data();
            r_size = v->size();
        } else {
            own = atomize(eval(rx, f));
            r = own.data();
            r_size = own.size();
        }
        for (const Item& a : l) {
            for (std::size_t j = 0; j < r_size; ++j) {
                if (general_pair(a, r[j], e.cmp)) {
                    return true;
                }
            }
        }
        return false;
    }

    std::optional<Item> value_compare_one(const Expr& e, const Focus& f) {
        auto a = optional_atomic(*e.kids[0], f, "operand of a value comparison");
        auto b = optional_atomic(*e.kids[1], f, "operand of a value comparison");
        if (!a || !b) {
            return std::nullopt;
        }
        if (a->type == Type::kUntyped) {
            a->type = Type::kString;
        }
        if (b->type == Type::kUntyped) {
            b->type = Type::kString;
        }
        return make_boolean(compare_values(*a, *b, e.cmp));
    }

    // ----- arithmetic

    std::optional<Item> arith_operand(const Expr& e, const Focus& f) {
        if (streams(e) && e.unique) {  // a node's text cast to xs:double, without copying it
            std::string scratch;
            std::string_view text;
            if (!single_text(e, f, "operand of an arithmetic expression", scratch, text)) {
                return std::nullopt;
            }
            return cast_text(text, Fn::kXsDouble);
        }
        auto it = optional_atomic(e, f, "operand of an arithmetic expression");
        if (!it) {
            return std::nullopt;
        }
        if (it->type == Type::kUntyped) {
            return cast_or_fail(*it, Fn::kXsDouble);
        }
        if (!it->is_numeric()) {
            raise("XPTY0004", "arithmetic on " + type_name(*it) + " is not allowed");
        }
        return it;
    }

    static Item arith(Op op, const Item& a, const Item& b) {
        if (a.type == Type::kDouble || b.type == Type::kDouble) {
            const double x = a.type == Type::kDouble ? a.number() : a.decimal().to_double();
            const double y = b.type == Type::kDouble ? b.number() : b.decimal().to_double();
            switch (op) {
                case Op::kAdd: return make_double(x + y);
                case Op::kSub: return make_double(x - y);
                case Op::kMul: return make_double(x * y);
                case Op::kDiv: return make_double(x / y);
                case Op::kMod: return make_double(std::fmod(x, y));
                case Op::kIdiv: {
                    if (y == 0 || std::isnan(x) || std::isnan(y) || std::isinf(x)) {
                        raise("FOAR0001", "integer division by zero or of a non-finite number");
                    }
                    return make_integer(*Decimal::from_double(std::trunc(x / y)));
                }
                default: break;
            }
            raise("XPST0003", "bad operator");
        }
        const bool integers = a.type == Type::kInteger && b.type == Type::kInteger;
        auto wrap = [&](Decimal d) { return integers ? make_integer(std::move(d)) : make_decimal(std::move(d)); };
        switch (op) {
            case Op::kAdd: return wrap(a.decimal() + b.decimal());
            case Op::kSub: return wrap(a.decimal() - b.decimal());
            case Op::kMul: return wrap(a.decimal() * b.decimal());
            case Op::kDiv:
                if (b.decimal().sign() == 0) {
                    raise("FOAR0001", "decimal division by zero");
                }
                return make_decimal(Decimal::divide(a.decimal(), b.decimal()));
            case Op::kIdiv:
                if (b.decimal().sign() == 0) {
                    raise("FOAR0001", "integer division by zero");
                }
                return make_integer(Decimal(Decimal::integer_divide(a.decimal(), b.decimal()), 0));
            case Op::kMod:
                if (b.decimal().sign() == 0) {
                    raise("FOAR0001", "modulo by zero");
                }
                return wrap(Decimal::modulo(a.decimal(), b.decimal()));
            default: break;
        }
        raise("XPST0003", "bad operator");
    }

    std::optional<Item> arithmetic_one(const Expr& e, const Focus& f) {
        const auto a = arith_operand(*e.kids[0], f);
        const auto b = arith_operand(*e.kids[1], f);
        if (!a || !b) {
            return std::nullopt;
        }
        return arith(e.op, *a, *b);
    }

    std::optional<Item> negate_one(const Expr& e, const Focus& f) {
        auto a = arith_operand(*e.kids[0], f);
        if (!a) {
            return std::nullopt;
        }
        if (e.op == Op::kPos) {
            return a;
        }
        if (a->type == Type::kDouble) {
            return make_double(-a->number());
        }
        a->set_decimal(a->decimal().negated());
        return a;
    }

    /// `X cast as T` / `X castable as T`.
    std::optional<Item> cast_one(const Expr& e, const Focus& f) {
        const Expr& arg = *e.kids[0];
        std::optional<Item> v;
        if (yields_single(arg)) {
            v = optional_atomic(arg, f, "operand of cast");
        } else {
            Sequence s = atomize(eval(arg, f));
            if (s.size() == 1) {
                v = std::move(s.front());
            } else if (s.size() > 1) {
                if (e.op == Op::kCastable) {
                    return make_boolean(false);
                }
                raise("XPTY0004", "cast needs exactly one value");
            }
        }
        if (!v) {
            if (e.op == Op::kCastable) {
                return make_boolean(false);
            }
            raise("XPTY0004", "cast needs exactly one value");
        }
        if (e.op == Op::kCast) {
            return cast_atomic(*v, e.fn);
        }
        try {
            (void)cast_atomic(*v, e.fn);
            return make_boolean(true);
        } catch (const Error&) {
            return make_boolean(false);
        }
    }

    // ----- node sets

    void sort_nodes(Sequence& s) const {
        bool sorted = true;
        for (std::size_t i = 1; i < s.size() && sorted; ++i) {
            sorted = order_key(s[i - 1]) < order_key(s[i]);
        }
        if (sorted) {
            return;
        }
        std::sort(s.begin(), s.end(), [](const Item& a, const Item& b) { return order_key(a) < order_key(b); });
        s.erase(std::unique(s.begin(), s.end(),
                            [](const Item& a, const Item& b) { return order_key(a) == order_key(b); }),
                s.end());
    }

    Sequence set_op(const Expr& e, const Focus& f) {
        Sequence a = eval(*e.kids[0], f);
        Sequence b = eval(*e.kids[1], f);
        for (const Sequence* s : {&a, &b}) {
            for (const Item& it : *s) {
                if (!it.is_node()) {
                    raise("XPTY0004", "union, intersect and except apply to nodes only");
                }
            }
        }
        Sequence out;
        if (e.op == Op::kUnion) {
            out = std::move(a);
            out.insert(out.end(), b.begin(), b.end());
            sort_nodes(out);
            return out;
        }
        sort_nodes(a);
        sort_nodes(b);
        for (const Item& it : a) {
            const bool in_b = std::any_of(b.begin(), b.end(), [&](const Item& x) { return order_key(x) == order_key(it); });
            if (in_b == (e.op == Op::kIntersect)) {
                out.push_back(it);
            }
        }
        return out;
    }

    bool test_element(const NodeTest& t, std::uint32_t index) const {
        const xml::TreeElement& el = tree_.element(index);
        switch (t.kind) {
            case NodeTest::kName: return el.name == t.name;
            case NodeTest::kAny: return true;
            case NodeTest::kElement: return true;
            case NodeTest::kNamespaceAny: return el.namespace_uri == t.ns();
            case NodeTest::kLocalAny: return el.local_name == t.local();
            case NodeTest::kDocument: return false;
        }
        return false;
    }

    bool test_node(const NodeTest& t, const Item& it) const {
        if (it.type == Type::kDocument) {
            return t.kind == NodeTest::kDocument || t.kind == NodeTest::kAny;
        }
        return test_element(t, it.node);
    }

    bool test_attribute(const NodeTest& t, std::uint32_t index) const {
        const xml::TreeAttribute& a = tree_.attribute(index);
        switch (t.kind) {
            case NodeTest::kName: return a.name == t.name;
            case NodeTest::kAny: return true;
            case NodeTest::kElement: return false;
            case NodeTest::kNamespaceAny: return a.namespace_uri == t.ns();
            case NodeTest::kLocalAny: return a.local_name == t.local();
            case NodeTest::kDocument: return false;
        }
        return false;
    }

    /// Nodes of `axis` from `from`, in axis order (reverse document order for reverse axes),
    /// filtered by the node test.
    void axis_nodes(const Expr& step, const Item& from, Sequence& out) const {
        const NodeTest& t = step.test;
        if (from.type == Type::kAttribute) {
            switch (step.axis) {
                case Axis::kSelf:
                    if (t.kind == NodeTest::kAny) {
                        out.push_back(from);
                    }
                    return;
                case Axis::kParent:
                    if (test_node(t, element_item(from.owner))) {
                        out.push_back(element_item(from.owner));
                    }
                    return;
                case Axis::kAncestor:
                case Axis::kAncestorOrSelf:
                    for (std::uint32_t a = from.owner;; a = tree_.element(a).parent) {
                        if (test_node(t, element_item(a))) {
                            out.push_back(element_item(a));
                        }
                        if (a == 0) {
                            break;
                        }
                    }
                    return;
                default:
                    return;  // attributes have no children, siblings or attributes
            }
        }
        const std::uint32_t n = from.node;
        const xml::TreeElement& el = tree_.element(n);
        switch (step.axis) {
            case Axis::kChild:
                if (t.kind == NodeTest::kName) {
                    for (const auto& [name, c] : tree_.children_named(n, t.name)) {
                        out.push_back(element_item(c));
                    }
                    return;
                }
                for (std::uint32_t c = el.first_child; c != 0; c = tree_.element(c).next_sibling) {
                    if (test_element(t, c)) {
                        out.push_back(element_item(c));
                    }
                }
                return;
            case Axis::kDescendant:
            case Axis::kDescendantOrSelf:
                if (step.axis == Axis::kDescendantOrSelf && test_node(t, from)) {
                    out.push_back(from);
                }
                if (t.kind == NodeTest::kName) {
                    const std::vector<std::uint32_t>& named = tree_.elements_named(t.name);
                    for (auto it = std::upper_bound(named.begin(), named.end(), n); it != named.end() && *it < el.subtree_end; ++it) {
                        out.push_back(element_item(*it));
                    }
                    return;
                }
                for (std::uint32_t d = n + 1; d < el.subtree_end; ++d) {
                    if (test_element(t, d)) {
                        out.push_back(element_item(d));
                    }
                }
                return;
            case Axis::kSelf:
                if (test_node(t, from)) {
                    out.push_back(from);
                }
                return;
            case Axis::kParent:
                if (n != 0 && test_node(t, element_item(el.parent))) {
                    out.push_back(element_item(el.parent));
                }
                return;
            case Axis::kAncestor:
            case Axis::kAncestorOrSelf: {
                if (step.axis == Axis::kAncestorOrSelf && test_node(t, from)) {
                    out.push_back(from);
                }
                if (n == 0) {
                    return;
                }
                for (std::uint32_t a = el.parent;; a = tree_.element(a).parent) {
                    if (test_node(t, element_item(a))) {
                        out.push_back(element_item(a));
                    }
                    if (a == 0) {
                        break;
                    }
                }
                return;
            }
            case Axis::kAttribute:
                for (std::uint32_t a = el.attr_begin; a < el.attr_end; ++a) {
                    if (test_attribute(t, a)) {
                        out.push_back(attribute_item(a, n));
                    }
                }
                return;
            case Axis::kFollowingSibling:
                for (std::uint32_t s = el.next_sibling; s != 0 && n != 0; s = tree_.element(s).next_sibling) {
                    if (test_element(t, s)) {
                        out.push_back(element_item(s));
                    }
                }
                return;
            case Axis::kPrecedingSibling:
                for (std::uint32_t s = el.prev_sibling; s != 0 && n != 0; s = tree_.element(s).prev_sibling) {
                    if (test_element(t, s)) {
                        out.push_back(element_item(s));
                    }
                }
                return;
            case Axis::kFollowing:
                for (std::uint32_t d = el.subtree_end; d < tree_.size() && n != 0; ++d) {
                    if (test_element(t, d)) {
                        out.push_back(element_item(d));
                    }
                }
                return;
            case Axis::kPreceding: {
                // every element before n in document order that is not an ancestor, reversed
                std::vector<bool> ancestor(n + 1, false);
                for (std::uint32_t a = el.parent; a != 0; a = tree_.element(a).parent) {
                    ancestor[a] = true;
                }
                for (std::uint32_t d = n; d-- > 1;) {
                    if (!ancestor[d] && test_element(t, d)) {
                        out.push_back(element_item(d));
                    }
                }
                return;
            }
        }
    }

    static bool reverse_axis(Axis a) {
        return a == Axis::kParent || a == Axis::kAncestor || a == Axis::kAncestorOrSelf ||
               a == Axis::kPrecedingSibling || a == Axis::kPreceding;
    }

    /// Applies predicates to `s` (in axis order) in place.
    void filter(const std::vector<ExprPtr>& preds, Sequence& s, bool positional = true) {
        if (!positional) {
            keep_passing(preds, s, 0);
            return;
        }
        for (const ExprPtr& p : preds) {
            if (s.empty()) {
                return;
            }
            Sequence kept;
            const std::size_t size = s.size();
            for (std::size_t i = 0; i < size; ++i) {
                Focus f{&s[i], i + 1, size};
                const Sequence v = eval(*p, f);
                bool keep = false;
                if (v.size() == 1 && v.front().is_numeric()) {
                    const Item& num = v.front();
                    keep = num.type == Type::kDouble ? num.number() == static_cast<double>(i + 1)
                                                     : num.decimal() == Decimal::from_int(static_cast<std::int64_t>(i + 1));
                } else {
                    keep = effective_boolean(v);
                }
                if (keep) {
                    kept.push_back(std::move(s[i]));
                }
            }
            s = std::move(kept);
        }
    }

    Sequence step(const Expr& e, const Item& from) {
        if (!from.is_node()) {
            raise("XPTY0020", "an axis step needs a node as context item");
        }
        Sequence out;
        axis_nodes(e, from, out);
        check_size(out);
        if (!e.no_preds) {
            filter(e.preds, out, e.preds_positional);
        }
        if (reverse_axis(e.axis)) {
            std::reverse(out.begin(), out.end());
        }
        return out;
    }

    /// One path step applied to each node of `current`.
    Sequence apply_step(const Expr& stepx, const Sequence& current) {
        Sequence out;
        bool nodes = false;
        bool atoms = false;
        const std::size_t size = current.size();
        for (std::size_t i = 0; i < size; ++i) {
            if (!current[i].is_node()) {
                raise("XPTY0019", "a path step is applied to an atomic value");
            }
            if (stepx.op == Op::kStep && !stepx.preds_positional) {
                // the step's nodes appended to `out` and filtered there: no sequence per node
                const std::size_t begin = out.size();
                axis_nodes(stepx, current[i], out);
                if (out.size() - begin > c_.items_max) {
                    check_size(out);
                }
                if (!stepx.no_preds) {
                    keep_passing(stepx.preds, out, begin);
                }
                if (reverse_axis(stepx.axis)) {
                    std::reverse(out.begin() + static_cast<std::ptrdiff_t>(begin), out.end());
                }
                nodes = nodes || out.size() > begin;
                check_size(out);
                continue;
            }
            if (stepx.op != Op::kStep && yields_single(stepx)) {
                // `.../xs:decimal(x)`, `.../normalize-space(x)`: one value per node, no sequence
                std::optional<Item> v =
                    optional_atomic(stepx, Focus{&current[i], i + 1, size}, "a path step");
                if (v) {
                    atoms = true;
                    out.push_back(std::move(*v));
                }
                check_size(out);
                continue;
            }
            Sequence r = stepx.op == Op::kStep ? step(stepx, current[i]) : eval(stepx, Focus{&current[i], i + 1, size});
            for (Item& it : r) {
                (it.is_node() ? nodes : atoms) = true;
                out.push_back(std::move(it));
            }
            check_size(out);
        }
        if (nodes && atoms) {
            raise("XPTY0018", "a path step returns both nodes and atomic values");
        }
        if (nodes && size > 1) {
            sort_nodes(out);
        }
        return out;
    }

    Sequence descendant_or_self(const Sequence& current) const {
        Sequence out;
        for (const Item& it : current) {
            if (!it.is_node()) {
                raise("XPTY0019", "'//' is applied to an atomic value");
            }
            if (it.type == Type::kAttribute) {
                out.push_back(it);
                continue;
            }
            out.push_back(it);
            for (std::uint32_t d = it.node + 1; d < tree_.element(it.node).subtree_end; ++d) {
                out.push_back(element_item(d));
            }
        }
        check_size(out);
        if (current.size() > 1) {
            sort_nodes(out);
        }
        return out;
    }

    Sequence path(const Expr& e, const Focus& f) {
        if (e.cache_slot != 0 && c_.cache != nullptr) {
            return cached_path(e, f);
        }
        return path_uncached(e, f);
    }

    /// The per-document result of an absolute path with a cache slot, computed on first use.
    const Sequence& cached_path(const Expr& e, const Focus& f) {
        Context::CacheEntry& entry = (*c_.cache)[e.cache_slot];
        if (!entry.value) {
            focus_node(f, "a path starting with '/'");
            Sequence value = path_uncached(e, f);
            if (failure_) [[unlikely]] {
                return no_items();
            }
            entry.value = std::move(value);
            entry.seen = true;
        }
        return *entry.value;
    }

    /// Where an absolute path's evaluation can start: the longest cached prefix (kept from its
    /// second use on), else the document node.
    struct Start {
        const Sequence* set = nullptr;  // the cached prefix, or
        Sequence owned;                 // the document node / a prefix computed now
        std::size_t next = 0;           // first step still to apply
        [[nodiscard]] const Sequence& nodes() const { return set != nullptr ? *set : owned; }
    };

    Start absolute_start(const Expr& e, const Focus& f) {
        focus_node(f, "a path starting with '/'");
        Start start;
        start.owned.push_back(element_item(0));
        if (e.prefix_slots.empty() || c_.cache == nullptr) {
            return start;
        }
        const std::size_t n = e.prefix_slots.size();
        for (std::size_t k = n; k-- > 0;) {
            Context::CacheEntry& entry = (*c_.cache)[e.prefix_slots[k]];
            if (entry.value) {
                start.set = &*entry.value;
                start.next = k + 1;
                return start;
            }
        }
        for (std::size_t k = n; k-- > 0;) {
            Context::CacheEntry& entry = (*c_.cache)[e.prefix_slots[k]];
            if (entry.seen) {  // second use of this prefix: compute it once, keep it
                Sequence prefix = run_steps(e, f, std::move(start.owned), 0, k + 1);
                start.next = k + 1;
                if (failure_) [[unlikely]] {
                    start.owned = std::move(prefix);
                    return start;
                }
                entry.value = std::move(prefix);
                start.owned.clear();
                start.set = &*entry.value;
                return start;
            }
        }
        for (const std::uint32_t slot : e.prefix_slots) {
            (*c_.cache)[slot].seen = true;
        }
        return start;
    }

    Sequence path_uncached(const Expr& e, const Focus& f) {
        if (e.anchor == Anchor::kNone) {
            Sequence current = eval(*e.kids.front(), f);
            return run_steps(e, f, std::move(current), 1, e.kids.size());
        }
        if (e.kids.empty()) {
            focus_node(f, "a path starting with '/'");
            return Sequence{element_item(0)};
        }
        Start start = absolute_start(e, f);
        Sequence current = start.set != nullptr ? *start.set : std::move(start.owned);
        return run_steps(e, f, std::move(current), start.next, e.kids.size());
    }

    /// Applies steps [begin, end) of path `e` to `current`.
    Sequence run_steps(const Expr& e, const Focus& f, Sequence current, std::size_t begin, std::size_t end) {
        (void)f;
        for (std::size_t k = begin; k < end; ++k) {
            const Expr& s = *e.kids[k];
            const bool desc = k == 0 ? e.anchor == Anchor::kRootDescendant : e.descendant[k];
            if (desc && s.op == Op::kStep && s.axis == Axis::kChild && !s.preds_positional) {
                // '//name' == '/descendant::name' when no predicate depends on position
                Sequence out;
                for (const Item& it : current) {
                    each_descendant(it, s.test, [&](std::uint32_t d) { out.push_back(element_item(d)); });
                }
                if (current.size() > 1) {
                    sort_nodes(out);
                }
                check_size(out);
                if (!s.no_preds) {
                    filter_each(s.preds, out);
                }
                current = std::move(out);
                continue;
            }
            std::vector<const Expr*> alternatives;
            if (desc && s.op == Op::kUnion && child_steps(s, alternatives)) {
                // '//(a | b[p])' == the descendants that pass one of the child steps (no
                // predicate depends on position): no node set per descendant-or-self node
                Sequence out;
                for (const Item& it : current) {
                    for (const Expr* a : alternatives) {
                        each_descendant(it, a->test, [&](std::uint32_t d) {
                            Item node = element_item(d);
                            if (step_passes(*a, node)) {
                                out.push_back(std::move(node));
                            }
                        });
                    }
                }
                sort_nodes(out);
                check_size(out);
                current = std::move(out);
                continue;
            }
            if (desc) {
                current = descendant_or_self(current);
            }
            current = apply_step(s, current);
        }
        return current;
    }

    /// Calls `fn` with each descendant element of `it` that passes `test`, in document order
    /// (the step after '//'): none for an attribute; XPTY0019 for an atomic value.
    template <class F>
    void each_descendant(const Item& it, const NodeTest& test, F&& fn) {
        if (!it.is_node()) {
            raise("XPTY0019", "'//' is applied to an atomic value");
        }
        if (it.type == Type::kAttribute) {
            return;
        }
        const std::uint32_t stop = tree_.element(it.node).subtree_end;
        if (test.kind == NodeTest::kName) {
            const std::vector<std::uint32_t>& named = tree_.elements_named(test.name);
            for (auto pos = std::upper_bound(named.begin(), named.end(), it.node);
                 pos != named.end() && *pos < stop; ++pos) {
                fn(*pos);
            }
            return;
        }
        for (std::uint32_t d = it.node + 1; d < stop; ++d) {
            if (test_element(test, d)) {
                fn(d);
            }
        }
    }

    /// Whether union `e` is made of child-axis steps only, none with a positional predicate
    /// (collected into `out`).
    static bool child_steps(const Expr& e, std::vector<const Expr*>& out) {
        if (e.op == Op::kUnion) {
            return e.kids.size() == 2 && child_steps(*e.kids[0], out)
                   && child_steps(*e.kids[1], out);
        }
        if (e.op != Op::kStep || e.axis != Axis::kChild || e.preds_positional) {
            return false;
        }
        out.push_back(&e);
        return true;
    }

    /// Non-positional predicates: each node on its own.
    void filter_each(const std::vector<ExprPtr>& preds, Sequence& s) {
        if (!preds.empty()) {
            keep_passing(preds, s, 0);
        }
    }

    /// Keeps, in place and in order, the items of s[from..] that pass non-positional `preds`.
    void keep_passing(const std::vector<ExprPtr>& preds, Sequence& s, std::size_t from) {
        std::size_t kept = from;
        for (std::size_t i = from; i < s.size(); ++i) {
            if (predicates_pass(preds, s[i])) {
                if (kept != i) {
                    s[kept] = std::move(s[i]);
                }
                ++kept;
            }
        }
        s.resize(kept);
    }

    // ----- lazy node streams (no intermediate sequences)

    /// Whether `e` yields nodes that can be visited one by one (see annotate()).
    static bool streams(const Expr& e) { return (e.op == Op::kPath || e.op == Op::kStep) && e.streamable; }

    /// Whether `node` passes the predicates of step `s` (non-positional ones).
    bool step_passes(const Expr& s, const Item& node) {
        return s.no_preds || predicates_pass(s.preds, node);
    }

    bool predicates_pass(const std::vector<ExprPtr>& preds, const Item& node) {
        for (const ExprPtr& p : preds) {
            if (!predicate(*p, node)) {
                return false;
            }
        }
        return true;
    }

    /// The effective boolean value of predicate `p` with `node` as context item (position and
    /// size 1), kept per document for an element when p.pred_slot says it may be. A predicate
    /// that raises an error is not kept: it raises again when evaluated again.
    bool predicate(const Expr& p, const Item& node) {
        if (p.pred_slot == 0 || c_.predicates == nullptr || node.type != Type::kElement) {
            return ebv(p, Focus{&node, 1, 1});
        }
        if (const int kept = c_.predicates->find(p.pred_slot, node.node); kept != 0) {
            return kept == 2;
        }
        const bool value = ebv(p, Focus{&node, 1, 1});
        if (!failure_) [[likely]] {
            c_.predicates->keep(p.pred_slot, node.node, value);
        }
        return value;
    }

    /// Visits the nodes of axis step `s` from `from` that pass its test and predicates; `desc`
    /// means the step follows '//' (child axis only). Stops when `fn` returns false.
    template <class F>
    bool walk_step(const Expr& s, const Item& from, bool desc, F& fn) {
        if (!from.is_node()) {
            raise("XPTY0020", "an axis step needs a node as context item");
        }
        if (desc && s.axis == Axis::kAttribute) {
            // '//@x': the attributes of the node and of every descendant element
            if (from.type == Type::kAttribute) {
                return true;
            }
            const std::uint32_t end = tree_.element(from.node).subtree_end;
            for (std::uint32_t d = from.node; d < end; ++d) {
                const xml::TreeElement& el = tree_.element(d);
                for (std::uint32_t a = el.attr_begin; a < el.attr_end; ++a) {
                    if (test_attribute(s.test, a)) {
                        const Item it = attribute_item(a, d);
                        if (step_passes(s, it) && !fn(it)) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }
        if (desc || s.axis == Axis::kDescendant || s.axis == Axis::kDescendantOrSelf) {
            if (from.type == Type::kAttribute) {
                return true;
            }
            if (s.axis == Axis::kDescendantOrSelf && test_node(s.test, from) && step_passes(s, from) &&
                !fn(from)) {
                return false;
            }
            const std::uint32_t end = tree_.element(from.node).subtree_end;
            if (s.test.kind == NodeTest::kName) {
                const std::vector<std::uint32_t>& named = tree_.elements_named(s.test.name);
                for (auto it = std::upper_bound(named.begin(), named.end(), from.node); it != named.end() && *it < end; ++it) {
                    const Item item = element_item(*it);
                    if (step_passes(s, item) && !fn(item)) {
                        return false;
                    }
                }
                return true;
            }
            for (std::uint32_t d = from.node + 1; d < end; ++d) {
                if (test_element(s.test, d)) {
                    const Item it = element_item(d);
                    if (step_passes(s, it) && !fn(it)) {
                        return false;
                    }
                }
            }
            return true;
        }
        if (s.axis == Axis::kChild && from.type != Type::kAttribute && s.test.kind == NodeTest::kName) {
            for (const auto& [name, c] : tree_.children_named(from.node, s.test.name)) {
                const Item it = element_item(c);
                if (step_passes(s, it) && !fn(it)) {
                    return false;
                }
            }
            return true;
        }
        if (s.axis == Axis::kChild && from.type != Type::kAttribute) {
            for (std::uint32_t c = tree_.element(from.node).first_child; c != 0; c = tree_.element(c).next_sibling) {
                if (test_element(s.test, c)) {
                    const Item it = element_item(c);
                    if (step_passes(s, it) && !fn(it)) {
                        return false;
                    }
                }
            }
            return true;
        }
        if (from.type != Type::kAttribute
            && (s.axis == Axis::kParent || s.axis == Axis::kAncestor
                || s.axis == Axis::kAncestorOrSelf)) {
            // the nodes of axis_nodes(), in its order, without a sequence
            if (s.axis == Axis::kAncestorOrSelf && test_node(s.test, from)
                && step_passes(s, from) && !fn(from)) {
                return false;
            }
            if (from.node == 0) {
                return true;
            }
            for (std::uint32_t a = tree_.element(from.node).parent;; a = tree_.element(a).parent) {
                const Item it = element_item(a);
                if (test_node(s.test, it) && step_passes(s, it) && !fn(it)) {
                    return false;
                }
                if (a == 0 || s.axis == Axis::kParent) {
                    break;
                }
            }
            return true;
        }
        Sequence nodes;
        axis_nodes(s, from, nodes);
        for (const Item& it : nodes) {
            if (step_passes(s, it) && !fn(it)) {
                return false;
            }
        }
        return true;
    }

    template <class F>
    bool walk_from(const Expr& path, std::size_t k, const Item& node, F& fn) {
        if (k == path.kids.size()) {
            return fn(node);
        }
        const bool desc = k == 0 ? path.anchor == Anchor::kRootDescendant : static_cast<bool>(path.descendant[k]);
        auto next = [&](const Item& n) { return walk_from(path, k + 1, n, fn); };
        return walk_step(*path.kids[k], node, desc, next);
    }

    /// Visits every node of a streamable expression; false if `fn` stopped the walk.
    template <class F>
    bool each_node(const Expr& e, const Focus& f, F&& fn) {
        if (e.op == Op::kStep) {
            return walk_step(e, focus_item(f), false, fn);
        }
        if (e.cache_slot != 0 && c_.cache != nullptr) {
            Context::CacheEntry& entry = (*c_.cache)[e.cache_slot];
            if (entry.value || entry.seen) {  // second use: keep the result for the next ones
                for (const Item& it : cached_path(e, f)) {
                    if (!fn(it)) {
                        return false;
                    }
                }
                return true;
            }
            entry.seen = true;  // first use: stream, possibly stopping early
        }
        if (e.anchor != Anchor::kNone) {
            const Start start = absolute_start(e, f);
            for (const Item& it : start.nodes()) {
                if (!walk_from(e, start.next, it, fn)) {
                    return false;
                }
            }
            return true;
        }
        if (e.kids.front()->op == Op::kStep) {
            return walk_from(e, 0, focus_item(f), fn);
        }
        const Sequence first = eval(*e.kids.front(), f);
        for (const Item& it : first) {
            if (!it.is_node()) {
                raise("XPTY0019", "a path step is applied to an atomic value");
            }
            if (!walk_from(e, 1, it, fn)) {
                return false;
            }
        }
        return true;
    }

    /// Effective boolean value without building sequences where the shape allows it.
    bool ebv(const Expr& e, const Focus& f) {
        if (failure_) [[unlikely]] {
            return false;
        }
        switch (e.op) {
            case Op::kAnd:
                return ebv(*e.kids[0], f) && ebv(*e.kids[1], f);
            case Op::kOr:
                return ebv(*e.kids[0], f) || ebv(*e.kids[1], f);
            case Op::kGeneralCmp:
                return general_compare_bool(e, f);
            case Op::kDocument:
                return document_lookup(e, f);
            case Op::kPath:
            case Op::kStep:
                if (bool found = false; chain_answer(e, f, found)) {
                    return found;
                }
                if (e.streamable) {
                    return !each_node(e, f, [](const Item&) { return false; });
                }
                break;
            case Op::kCall:
                switch (e.fn) {
                    case Fn::kNot:
                        return !ebv(*e.kids[0], f);
                    case Fn::kBoolean:
                        return ebv(*e.kids[0], f);
                    case Fn::kTrue:
                        return true;
                    case Fn::kFalse:
                        return false;
                    case Fn::kExists:
                    case Fn::kEmpty:
                        return exists(*e.kids[0], f) == (e.fn == Fn::kExists);
                    case Fn::kNormalizeSpace: {
                        // A string's effective boolean value is whether it is non-empty, and
                        // normalize-space() is empty exactly when its argument (read as
                        // call_one() reads it, errors included) is all white space: nothing
                        // is built (PEPPOL-EN16931-R008's //*[not(*) and not(normalize-space())]
                        // asks it of every element).
                        std::string scratch;
                        const std::string_view s =
                            e.kids.empty() ? node_or_value_text(focus_item(f), scratch)
                                           : sv_arg(*e.kids[0], f, "normalize-space()", scratch);
                        return std::any_of(s.begin(), s.end(), [](char c) { return !is_space(c); });
                    }
                    default:
                        break;
                }
                break;
            default:
                break;
        }
        if (yields_single(e)) {
            const std::optional<Item> v = optional_atomic(e, f, "operand of a boolean");
            return v && atomic_effective_boolean(*v);
        }
        return effective_boolean(eval(e, f));
    }



    /// Whether document('n')/path[key = X] selects a node (see DocumentLookup): the general
    /// comparison of each key (untypedAtomic) with X's values, a hash lookup for strings.
    bool document_lookup(const Expr& e, const Focus& f) {
        const DocumentLookup& d = *e.document;
        if (!d.keyed || d.keys.empty()) {
            return d.keyed ? false : d.any;
        }
        const Sequence values = atomize(eval(*e.kids[0], f));
        for (const Item& v : values) {
            if (v.type == Type::kUntyped || v.type == Type::kString) {
                if (d.key_set.contains(v.text())) {
                    return true;
                }
                continue;
            }
            for (const std::string& key : d.keys) {
                const Item k = make_untyped(key);
                if (d.key_left ? general_pair(k, v, Cmp::kEq) : general_pair(v, k, Cmp::kEq)) {
                    return true;
                }
            }
        }
        return false;
    }

    /// Existence of a name chain below element `node` (see Expr::name_chain).
    bool chain_exists(const Expr& e, std::uint32_t node, std::size_t k) const {
        const bool last = k + 1 == e.name_chain.size();
        if (last && e.chain_ends_in_attribute) {
            const xml::TreeElement& el = tree_.element(node);
            for (std::uint32_t a = el.attr_begin; a < el.attr_end; ++a) {
                if (tree_.attribute(a).name == e.name_chain[k].front()) {
                    return true;
                }
            }
            return false;
        }
        for (const xml::NameId wanted : e.name_chain[k]) {
            for (const auto& [name, child] : tree_.children_named(node, wanted)) {
                if (last || chain_exists(e, child, k + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /// Existence of a name chain below trie node `node` (see PathIndex).
    bool chain_indexed(const Expr& e, const PathIndex& paths, std::uint32_t node,
                       std::size_t k) const {
        const bool last = k + 1 == e.name_chain.size();
        if (last && e.chain_ends_in_attribute) {
            return paths.has_attribute(node, e.name_chain[k].front());
        }
        for (const xml::NameId wanted : e.name_chain[k]) {
            const std::uint32_t child = paths.child(node, wanted);
            if (child != PathIndex::kNone && (last || chain_indexed(e, paths, child, k + 1))) {
                return true;
            }
        }
        return false;
    }

    /// True when `e` is a name chain and the focus is an element: `exists` holds the answer.
    bool chain_answer(const Expr& e, const Focus& f, bool& exists) const {
        if (e.no_chain || e.name_chain.empty() || f.item == nullptr ||
            (f.item->type != Type::kElement && f.item->type != Type::kDocument)) {
            return false;
        }
        if (c_.paths != nullptr && c_.paths->use(tree_)) {
            const std::uint32_t node = c_.paths->node_of(f.item->node);
            if (c_.paths->alone(node)) {
                exists = chain_indexed(e, *c_.paths, node, 0);
                return true;
            }
        }
        exists = chain_exists(e, f.item->node, 0);
        return true;
    }

    bool exists(const Expr& e, const Focus& f) {
        if (bool found = false; chain_answer(e, f, found)) {
            return found;
        }
        if (streams(e)) {
            return !each_node(e, f, [](const Item&) { return false; });
        }
        return !eval(e, f).empty();
    }

    /// Text of a node as a view when it is stored contiguously, else copied into `scratch`.
    std::string_view node_text(const Item& it, std::string& scratch) const {
        if (it.type == Type::kAttribute) {
            return tree_.attribute(it.node).value;
        }
        const xml::TreeElement& el = tree_.element(it.node);
        if (it.type == Type::kElement && !el.mixed) {
            return el.text;
        }
        scratch = tree_.string_value(it.node);
        return scratch;
    }

    std::string_view node_or_value_text(const Item& it, std::string& scratch) const {
        if (it.is_node()) {
            return node_text(it, scratch);
        }
        scratch = atomic_string(it);
        return scratch;
    }

    /// General comparison of an untypedAtomic (a node's text) with an atomic value.
    bool untyped_vs(std::string_view text, const Item& other, Cmp cmp, bool text_left) {
        if (other.type == Type::kUntyped || other.type == Type::kString) {
            int r = text.compare(other.text());
            if (!text_left) {
                r = -r;
            }
            r = r < 0 ? -1 : (r > 0 ? 1 : 0);
            switch (cmp) {
                case Cmp::kEq: return r == 0;
                case Cmp::kNe: return r != 0;
                case Cmp::kLt: return r < 0;
                case Cmp::kLe: return r <= 0;
                case Cmp::kGt: return r > 0;
                case Cmp::kGe: return r >= 0;
            }
        }
        const Item u = make_untyped(std::string(text));
        return text_left ? general_pair(u, other, cmp) : general_pair(other, u, cmp);
    }

    /// Whether `x` yields nodes without ever raising an error, from a node focus: steps without
    /// predicates, and paths and unions of them.
    static bool only_nodes(const Expr& x) {
        switch (x.op) {
            case Op::kStep:
                return x.preds.empty();
            case Op::kPath:
            case Op::kUnion:
                return !x.kids.empty() && std::all_of(x.kids.begin(), x.kids.end(),
                                                      [](const ExprPtr& k) { return only_nodes(*k); });
            default:
                return false;
        }
    }

    /// Whether `x` is a general comparison of a name chain (or `.`) with a variable that holds
    /// the empty sequence: false without evaluating the nodes, which, from a node focus, can
    /// raise no error.
    bool compares_with_empty_variable(const Expr& x) const {
        if (x.op != Op::kGeneralCmp) {
            return false;
        }
        const auto empty_var = [this](const Expr& k) { return k.op == Op::kVar && (*c_.slots)[k.slot].empty(); };
        const Expr& l = *x.kids[0];
        const Expr& r = *x.kids[1];
        return (untyped_nodes(l) && empty_var(r)) || (empty_var(l) && untyped_nodes(r));
    }

    bool general_compare_bool(const Expr& e, const Focus& f) {
        const Expr& l = *e.kids[0];
        const Expr& r = *e.kids[1];
        if (f.item != nullptr && f.item->is_node() && compares_with_empty_variable(e)) {
            return false;
        }
        const bool stream_left = streams(l);
        const bool stream_right = !stream_left && streams(r);
        if (!stream_left && !stream_right) {
            return general_compare(e, f);
        }
        const Expr& streamed = stream_left ? l : r;
        const Expr& other = stream_left ? r : l;
        std::string scratch;
        if (other.op == Op::kLiteral) {  // an atomic value, read in place (no sequence)
            bool hit = false;
            each_node(streamed, f, [&](const Item& node) {
                hit = untyped_vs(node_text(node, scratch), other.literal, e.cmp, stream_left);
                return !hit;
            });
            return hit;
        }
        // Operands in the reference order: the left one first; an empty left side is false
        // without evaluating the right one.
        Sequence values;
        bool have_values = false;
        if (!stream_left) {
            values = atomize(eval(other, f));
            have_values = true;
            if (values.empty()) {
                return false;
            }
        }
        bool found = false;
        each_node(streamed, f, [&](const Item& node) {
            if (!have_values) {
                values = atomize(eval(other, f));
                have_values = true;
            }
            const std::string_view text = node_text(node, scratch);
            for (const Item& v : values) {
                if (untyped_vs(text, v, e.cmp, stream_left)) {
                    found = true;
                    return false;
                }
            }
            return true;
        });
        return found;
    }

    // ----- functions

    Sequence call(const Expr& e, const Focus& f);
    std::optional<Item> call_one(const Expr& e, const Focus& f);
    std::optional<Item> aggregate(const Expr& e, const Focus& f);
    Item string_fn(const Expr& e, const Focus& f);
    Sequence regex_fn(const Expr& e, const Focus& f);
    /// matches() through e.matcher (set), std::regex for an input the matcher refuses.
    bool matches_fn(const Expr& e, const Focus& f);

    // ----- dispatch

    Sequence eval(const Expr& e, const Focus& f) {
        if (failure_) [[unlikely]] {
            return {};
        }
        if (e.memo_slot != 0 && c_.memo != nullptr) [[unlikely]] {
            return one(kept_atomic(e, f, "a kept value"));  // what eval() gives for it
        }
        switch (e.op) {
            case Op::kLiteral:
                return {e.literal};
            case Op::kVar:
                return (*c_.slots)[e.slot];  // a copy: the caller may consume it
            case Op::kContext:
                return {focus_item(f)};
            case Op::kPath:
                return path(e, f);
            case Op::kStep:
                return step(e, focus_item(f));
            case Op::kFilter: {
                if (!e.preds.empty() && f.item != nullptr && f.item->is_node() && only_nodes(*e.kids[0])
                    && compares_with_empty_variable(*e.preds.front())) {
                    // `(../cac:InvoiceLine | ../cac:CreditNoteLine)[cbc:ID = $parent]` with
                    // $parent empty: the first predicate is false for every node, and neither
                    // the nodes nor that predicate can raise an error
                    return {};
                }
                Sequence s = eval(*e.kids[0], f);
                filter(e.preds, s, e.preds_positional);
                return s;
            }
            case Op::kSequence: {
                Sequence out;
                for (const ExprPtr& k : e.kids) {
                    Sequence s = eval(*k, f);
                    out.insert(out.end(), std::make_move_iterator(s.begin()), std::make_move_iterator(s.end()));
                }
                check_size(out);
                return out;
            }
            case Op::kOr:
            case Op::kAnd:
                return {make_boolean(ebv(e, f))};
            case Op::kGeneralCmp:
                return {make_boolean(general_compare_bool(e, f))};
            case Op::kValueCmp:
                return one(value_compare_one(e, f));
            case Op::kIs: {
                const Sequence a = eval(*e.kids[0], f);
                const Sequence b = eval(*e.kids[1], f);
                if (a.empty() || b.empty()) {
                    return {};
                }
                if (a.size() > 1 || b.size() > 1 || !a[0].is_node() || !b[0].is_node()) {
                    raise("XPTY0004", "'is' compares two single nodes");
                }
                return {make_boolean(order_key(a[0]) == order_key(b[0]))};
            }
            case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv: case Op::kIdiv: case Op::kMod:
                return one(arithmetic_one(e, f));
            case Op::kNeg: case Op::kPos:
                return one(negate_one(e, f));
            case Op::kUnion: case Op::kIntersect: case Op::kExcept:
                return set_op(e, f);
            case Op::kRange: {
                const auto a = optional_atomic(*e.kids[0], f, "operand of 'to'");
                const auto b = optional_atomic(*e.kids[1], f, "operand of 'to'");
                if (!a || !b) {
                    return {};
                }
                const Item x = cast_atomic(*a, Fn::kXsInteger);
                const Item y = cast_atomic(*b, Fn::kXsInteger);
                Sequence out;
                for (Decimal i = x.decimal(); i.compare(y.decimal()) <= 0; i = i + Decimal::from_int(1)) {
                    out.push_back(make_integer(i));
                    check_size(out);
                }
                return out;
            }
            case Op::kCall:
                return call(e, f);
            case Op::kIf:
                return ebv(*e.kids[0], f) ? eval(*e.kids[1], f) : eval(*e.kids[2], f);
            case Op::kSome:
            case Op::kEvery:
            case Op::kFor:
                return bind(e, f, 0);
            case Op::kUserCall:
                return user_call(e, f);
            case Op::kDocument:  // used as a boolean only (checked when compiled)
                return document_lookup(e, f) ? Sequence{make_boolean(true)} : Sequence{};
            case Op::kCast:
            case Op::kCastable:
                return one(cast_one(e, f));
        }
        raise("XPST0003", "unknown expression");
    }

    /// The function conversion rules of XPath 2.0 §3.1.5 for `type` (a parameter, variable or
    /// result of an xsl:function): atomization, untypedAtomic cast to the expected type, numeric
    /// promotion, cardinality; XPTY0004 on a mismatch.
    /// `what()` describes the value in an error message (built only when one is raised).
    template <class What>
    Sequence coerce(Sequence s, const SequenceType& type, const What& what) {
        if (type.kind == SequenceType::Kind::kAtomic) {
            s = atomize(std::move(s));
            for (Item& it : s) {
                if (type.any_atomic) {
                    continue;
                }
                if (it.type == Type::kUntyped) {
                    it = cast_atomic(it, type.atomic);
                    continue;
                }
                const bool ok =
                    (type.atomic == Fn::kXsString && it.type == Type::kString) ||
                    (type.atomic == Fn::kXsBoolean && it.type == Type::kBoolean) ||
                    (type.atomic == Fn::kXsDate && it.type == Type::kDate) ||
                    (type.atomic == Fn::kXsInteger && it.type == Type::kInteger) ||
                    (type.atomic == Fn::kXsDecimal && (it.type == Type::kDecimal || it.type == Type::kInteger)) ||
                    (type.atomic == Fn::kXsDouble && it.is_numeric());
                if (!ok) {
                    raise("XPTY0004", "a " + type_name(it) + " is not allowed as " + what());
                }
                if (type.atomic == Fn::kXsDouble && it.type != Type::kDouble) {
                    it = make_double(it.decimal().to_double());
                } else if (type.atomic == Fn::kXsDecimal && it.type == Type::kInteger) {
                    it.type = Type::kDecimal;
                }
            }
        } else if (type.kind == SequenceType::Kind::kNode) {
            for (const Item& it : s) {
                if (!it.is_node()) {
                    raise("XPTY0004", "an atomic value is not allowed as " + what());
                }
            }
        }
        const std::size_t n = s.size();
        const bool fits = type.occurrence == '*' || (type.occurrence == '?' && n <= 1) ||
                          (type.occurrence == '+' && n >= 1) || (type.occurrence == '1' && n == 1);
        if (!fits) {
            raise("XPTY0004", std::to_string(n) + " items are not allowed as " + what());
        }
        return s;
    }

    Sequence user_call(const Expr& e, const Focus& f) {
        if (c_.functions == nullptr || e.slot >= c_.functions->size()) {
            raise("XPST0017", "user function not available");
        }
        const UserFunction& fn = (*c_.functions)[e.slot];
        if (c_.call_depth >= 64) {
            raise("FACTEUR-LIMIT", "user functions nested deeper than 64 calls (recursion is not supported)");
        }
        const bool memo = c_.function_results != nullptr
                          && (fn.pure
                              || std::all_of(fn.param_types.begin(), fn.param_types.end(),
                                             [](const SequenceType& t) {
                                                 return t.kind == SequenceType::Kind::kAtomic;
                                             }));
        if (memo && e.cache_slot != 0 && c_.cache != nullptr) {
            // arguments that depend on the document alone: one evaluation per document
            if (const std::optional<Sequence>& kept = (*c_.cache)[e.cache_slot].value) {
                return *kept;
            }
            Sequence result = user_call_uncached(e, f, fn, memo);
            if (!failure_) [[likely]] {
                (*c_.cache)[e.cache_slot].value = result;
            }
            return result;
        }
        return user_call_uncached(e, f, fn, memo);
    }

    Sequence user_call_uncached(const Expr& e, const Focus& f, const UserFunction& fn, bool memo) {
        std::vector<Sequence> args;
        args.reserve(e.kids.size());
        for (std::size_t i = 0; i < e.kids.size(); ++i) {
            args.push_back(coerce(eval(*e.kids[i], f), fn.param_types[i], [&] {
                return "argument " + std::to_string(i + 1) + " of " + fn.name + "()";
            }));
        }
        std::string memo_key;
        if (memo) {
            // Atomic values by type and lexical form (XML text holds no \x1e or \x1f), nodes by
            // kind and index: the same document, the same node, the same result.
            memo_key = std::to_string(e.slot);
            for (const Sequence& a : args) {
                memo_key += '\x1e';
                for (const Item& it : a) {
                    memo_key += static_cast<char>('0' + static_cast<int>(it.type));
                    if (it.is_node()) {
                        memo_key.append(reinterpret_cast<const char*>(&it.node), sizeof it.node);
                        memo_key.append(reinterpret_cast<const char*>(&it.owner), sizeof it.owner);
                    } else {
                        memo_key += atomic_string(it);
                    }
                    memo_key += '\x1f';
                }
            }
            if (const auto it = c_.function_results->find(memo_key); it != c_.function_results->end()) {
                return it->second;
            }
        }
        Sequence result = call_body(fn, args);
        if (memo && !failure_) {
            c_.function_results->emplace(std::move(memo_key), result);
        }
        return result;
    }

    Sequence call_body(const UserFunction& fn, std::vector<Sequence>& args) {
        struct Depth {
            const Context& c;
            explicit Depth(const Context& ctx) : c(ctx) { ++c.call_depth; }
            ~Depth() { --c.call_depth; }
        } depth(c_);
        // The function's slots are its own frame: save what they held (the same function may be
        // running further up, e.g. called again from one of its variables) and restore it after.
        std::vector<std::uint32_t> frame(fn.param_slots);
        for (const UserFunction::Variable& v : fn.variables) {
            frame.push_back(v.slot);
        }
        std::vector<Sequence> saved;
        saved.reserve(frame.size());
        for (const std::uint32_t slot : frame) {
            saved.push_back(std::move((*c_.slots)[slot]));
        }
        struct Restore {
            std::vector<Sequence>& slots;
            const std::vector<std::uint32_t>& frame;
            std::vector<Sequence>& saved;
            ~Restore() {
                for (std::size_t i = 0; i < frame.size(); ++i) {
                    slots[frame[i]] = std::move(saved[i]);
                }
            }
        } restore{*c_.slots, frame, saved};
        for (std::size_t i = 0; i < args.size(); ++i) {
            (*c_.slots)[fn.param_slots[i]] = std::move(args[i]);
        }
        const Focus none{nullptr, 0, 0};  // no context item inside a function body
        for (const UserFunction::Variable& v : fn.variables) {
            (*c_.slots)[v.slot] = coerce(eval(*v.value, none), v.type,
                                         [&] { return "variable of " + fn.name + "()"; });
        }
        return coerce(eval(*fn.body, none), fn.result,
                      [&] { return "result of " + fn.name + "()"; });
    }

    Sequence bind(const Expr& e, const Focus& f, std::size_t k) {
        const std::size_t n = e.slots.size();
        const Expr& body = *e.kids.back();
        if (k == n) {
            return eval(body, f);
        }
        const Sequence in = eval(*e.kids[k], f);
        Sequence out;
        // each binding is a new generation for the kept values of the clauses after it
        struct Generation {
            std::uint64_t& gen;
            const std::uint64_t saved;
            ~Generation() { gen = saved; }
        } generation{gen_, gen_};
        for (const Item& it : in) {
            (*c_.slots)[e.slots[k]] = Sequence{it};
            gen_ = ++c_.memo_clock;
            Sequence r = bind(e, f, k + 1);
            if (e.op == Op::kFor) {
                out.insert(out.end(), r.begin(), r.end());
                check_size(out);
                continue;
            }
            const bool ok = effective_boolean(r);
            if (e.op == Op::kSome && ok) {
                return {make_boolean(true)};
            }
            if (e.op == Op::kEvery && !ok) {
                return {make_boolean(false)};
            }
        }
        if (e.op == Op::kFor) {
            return out;
        }
        return {make_boolean(e.op == Op::kEvery)};
    }

    const Context& c_;
    const xml::Tree& tree_;
    std::uint64_t gen_;  // generation of the current bindings (see Context::memo)
    std::optional<Error> failure_;  // see fail()
};

}  // namespace
}  // namespace facteur::rules::xpath

#include "xpath_functions.inc"

namespace facteur::rules::xpath {

Sequence evaluate(const Expr& expr, const Context& ctx) {
    Eval ev(ctx);
    return ev.run(expr, ctx.item, ctx.position, ctx.size);
}

std::uint32_t ChainSet::add(const Expr& e) {
    std::uint32_t at = 0;
    for (std::size_t k = 0; k < e.name_chain.size(); ++k) {
        const bool attribute = e.chain_ends_in_attribute && k + 1 == e.name_chain.size();
        std::uint32_t next = 0;
        for (const std::uint32_t kid : nodes_[at].kids) {
            if (nodes_[kid].attribute == attribute && nodes_[kid].names == e.name_chain[k]) {
                next = kid;
                break;
            }
        }
        if (next == 0) {
            next = static_cast<std::uint32_t>(nodes_.size());
            Node n;
            n.names = e.name_chain[k];
            n.attribute = attribute;
            nodes_.push_back(std::move(n));
            nodes_[at].kids.push_back(next);
        }
        at = next;
    }
    const auto index = static_cast<std::uint32_t>(chains_.size());
    nodes_[at].ends.push_back(index);
    chains_.push_back(&e);
    return index;
}

namespace {

/// Next steps of a ChainSet trie node above which walk() over the tree first marks the names of
/// the children present instead of looking each step up (over the path index, a hash probe
/// costs about what a mark does). Default 8.
constexpr std::size_t kWalkKidsToMark = 8;

}  // namespace

template <class Visit>
void ChainSet::mark_present(const std::vector<std::uint32_t>& at, std::size_t begin,
                            std::size_t end, Visit&& visit, const std::vector<std::uint32_t>& kids,
                            boost::container::small_vector<std::uint32_t, 16>& present) const {
    thread_local std::vector<std::uint32_t> marks;  // NameId -> stamp
    thread_local std::uint32_t stamp = 0;
    if (++stamp == 0) {
        std::fill(marks.begin(), marks.end(), 0);
        stamp = 1;
    }
    const auto mark = [](xml::NameId name) {
        if (name >= marks.size()) {
            marks.resize(static_cast<std::size_t>(name) + 1, 0);
        }
        marks[name] = stamp;
    };
    for (std::size_t i = begin; i < end; ++i) {
        visit(at[i], mark);
    }
    for (const std::uint32_t kid : kids) {
        const Node& step = nodes_[kid];
        const bool named = std::any_of(step.names.begin(), step.names.end(), [](xml::NameId n) {
            return n < marks.size() && marks[n] == stamp;
        });
        if (step.attribute || named) {
            present.push_back(kid);
        }
    }
}

namespace {

/// What ChainSet::walk() reads through: the path index (`at`: its nodes; a name leads to one
/// node at most, by hash probe) ...
struct IndexSteps {
    const PathIndex& paths;
    static constexpr bool kMarks = false;  // a probe costs about what a mark does
    [[nodiscard]] bool has_attribute(std::uint32_t at, xml::NameId name) const {
        return paths.has_attribute(at, name);
    }
    void children(std::uint32_t at, xml::NameId name, std::vector<std::uint32_t>& out) const {
        if (const std::uint32_t child = paths.child(at, name); child != PathIndex::kNone) {
            out.push_back(child);
        }
    }
};

/// ... or the tree itself (`at`: elements), for an element that is not alone at its path.
struct TreeSteps {
    const xml::Tree& tree;
    static constexpr bool kMarks = true;
    [[nodiscard]] bool has_attribute(std::uint32_t at, xml::NameId name) const {
        const xml::TreeElement& el = tree.element(at);
        for (std::uint32_t a = el.attr_begin; a < el.attr_end; ++a) {
            if (tree.attribute(a).name == name) {
                return true;
            }
        }
        return false;
    }
    void children(std::uint32_t at, xml::NameId name, std::vector<std::uint32_t>& out) const {
        for (const auto& [child_name, child] : tree.children_named(at, name)) {
            out.push_back(child);
        }
    }
    template <class Mark>
    void child_names(std::uint32_t at, Mark&& mark) const {
        for (const auto& [name, child] : tree.children(at)) {
            mark(name);
        }
    }
};

}  // namespace

/// at[begin..]: what the steps so far reach (path-index nodes or elements, per `source`); the
/// steps shared by several chains are looked up once.
template <class Source>
void ChainSet::walk(std::uint32_t node, const Source& source, std::vector<std::uint32_t>& at,
                    std::size_t begin, std::vector<char>& exists) const {
    const std::size_t end = at.size();
    const std::vector<std::uint32_t>& kids = nodes_[node].kids;
    boost::container::small_vector<std::uint32_t, 16> present;
    bool marked = false;
    if constexpr (Source::kMarks) {
        if (kids.size() > kWalkKidsToMark) {
            // Many next steps (the ~200 first steps of a rule's syntax asserts): mark the names
            // of the children once, then look further only at the steps that name one.
            mark_present(
                at, begin, end,
                [&source](std::uint32_t e, auto&& mark) { source.child_names(e, mark); }, kids,
                present);
            marked = true;
        }
    }
    const std::span<const std::uint32_t> steps =
        marked ? std::span<const std::uint32_t>(present.data(), present.size())
               : std::span<const std::uint32_t>(kids);
    for (const std::uint32_t kid : steps) {
        const Node& step = nodes_[kid];
        bool found = false;
        if (step.attribute) {
            for (std::size_t i = begin; i < end && !found; ++i) {
                found = source.has_attribute(at[i], step.names.front());
            }
        } else {
            for (std::size_t i = begin; i < end; ++i) {
                for (const xml::NameId name : step.names) {
                    source.children(at[i], name, at);
                }
            }
            found = at.size() > end;
        }
        if (found) {
            for (const std::uint32_t chain : step.ends) {
                exists[chain] = 1;
            }
            if (!step.kids.empty()) {
                walk(kid, source, at, end, exists);
            }
        }
        at.resize(end);
    }
}

void ChainSet::evaluate(const Context& ctx, std::vector<char>& exists) const {
    exists.assign(chains_.size(), 0);
    const std::uint32_t element = ctx.item.node;
    if (ctx.paths != nullptr
        && ctx.paths->use(*ctx.tree, static_cast<std::uint32_t>(chains_.size()))) {
        const std::uint32_t node = ctx.paths->node_of(element);
        if (ctx.paths->alone(node)) {
            std::vector<std::uint32_t> at{node};
            walk(0, IndexSteps{*ctx.paths}, at, 0, exists);
            return;
        }
    }
    thread_local std::vector<std::uint32_t> at;
    at.assign(1, element);
    walk(0, TreeSteps{*ctx.tree}, at, 0, exists);
}

bool evaluate_boolean(const Expr& expr, const Context& ctx) {
    Eval ev(ctx);
    return ev.run_boolean(expr, ctx.item, ctx.position, ctx.size);
}

}  // namespace facteur::rules::xpath
