// Exact matcher for the regex subset of the rule sets (see regex_matcher.h). A pattern is a tree
// of byte classes, sequences, alternatives and repeats; matching runs over sets of input
// positions (bit sets): the set of positions where a match of a node may end, given the set
// where it may start. regex_search() is true exactly when some start position (0 only when
// the pattern begins with ^) reaches some end position (the input's end only with $), which
// is what any correct matcher of the same language answers, whatever order it tries paths in.
#include "regex_matcher.h"

namespace facteur::rules::xpath {

namespace {

using ByteSet = std::array<std::uint64_t, 4>;

void add(ByteSet& s, unsigned char c) noexcept {
    s[c >> 6] |= std::uint64_t{1} << (c & 63);
}

bool has(const ByteSet& s, unsigned char c) noexcept {
    return (s[c >> 6] >> (c & 63) & 1) != 0;
}

ByteSet complement(const ByteSet& s) noexcept {
    return {~s[0], ~s[1], ~s[2], ~s[3]};
}

void merge(ByteSet& into, const ByteSet& s) noexcept {
    for (std::size_t i = 0; i < 4; ++i) {
        into[i] |= s[i];
    }
}

// The classic "C" locale's classes, which std::regex<char> uses (bytes >= 0x80 are in none).
ByteSet class_set(char name) noexcept {
    ByteSet s{};
    for (int c = 0; c < 128; ++c) {
        const bool digit = c >= '0' && c <= '9';
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        const bool space = c == ' ' || (c >= '\t' && c <= '\r');
        const bool in = name == 'd' ? digit : name == 's' ? space : (digit || alpha || c == '_');
        if (in) {
            add(s, static_cast<unsigned char>(c));
        }
    }
    return s;
}

bool is_class_escape(char c) noexcept {
    return c == 'd' || c == 'D' || c == 's' || c == 'S' || c == 'w' || c == 'W';
}

ByteSet class_escape(char c) noexcept {
    const char lower = static_cast<char>(c | 0x20);
    const ByteSet s = class_set(lower);
    return c == lower ? s : complement(s);
}

/// The byte an escape `\c` (not a class escape) stands for, or -1 when unsupported.
int escaped_byte(char c) noexcept {
    switch (c) {
        case 'n':
            return '\n';
        case 'r':
            return '\r';
        case 't':
            return '\t';
        case 'f':
            return '\f';
        case 'v':
            return '\v';
        default:
            break;
    }
    const auto u = static_cast<unsigned char>(c);
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (u < 0x80 && u > 0x20 && !alnum) {
        return u;  // escaped punctuation: the character itself
    }
    return -1;
}

}  // namespace

class RegexMatcher::Parser {
public:
    Parser(std::string_view p, RegexMatcher& m) : p_(p), m_(m) {}

    bool parse_alt(Node& out) {
        Node seq;
        if (!parse_seq(seq)) {
            return false;
        }
        if (i_ >= p_.size() || p_[i_] != '|') {
            out = std::move(seq);
            return true;
        }
        out = Node{};
        out.kind = Node::Kind::kAlt;
        out.kids.push_back(std::move(seq));
        while (i_ < p_.size() && p_[i_] == '|') {
            ++i_;
            Node next;
            if (!parse_seq(next)) {
                return false;
            }
            out.kids.push_back(std::move(next));
        }
        return true;
    }

    [[nodiscard]] bool done() const noexcept { return i_ == p_.size(); }

private:
    bool parse_seq(Node& out) {
        out = Node{};
        out.kind = Node::Kind::kSeq;
        while (i_ < p_.size() && p_[i_] != '|' && p_[i_] != ')') {
            Node atom;
            if (!parse_atom(atom) || !parse_quantifier(atom)) {
                return false;
            }
            out.kids.push_back(std::move(atom));
        }
        return true;
    }

    bool parse_number(std::uint32_t& n) {
        const std::size_t start = i_;
        n = 0;
        while (i_ < p_.size() && p_[i_] >= '0' && p_[i_] <= '9' && i_ - start < 5) {
            n = n * 10 + static_cast<std::uint32_t>(p_[i_] - '0');
            ++i_;
        }
        return i_ > start && n <= 1000;
    }

    bool parse_quantifier(Node& atom) {
        if (i_ >= p_.size()) {
            return true;
        }
        std::uint32_t min = 0;
        std::uint32_t max = 0;
        const char c = p_[i_];
        if (c == '?' || c == '*' || c == '+') {
            min = c == '+' ? 1 : 0;
            max = c == '?' ? 1 : kUnbounded;
            ++i_;
        } else if (c == '{') {
            ++i_;
            if (!parse_number(min)) {
                return false;
            }
            max = min;
            if (i_ < p_.size() && p_[i_] == ',') {
                ++i_;
                max = kUnbounded;
                if (i_ < p_.size() && p_[i_] != '}' && (!parse_number(max) || max < min)) {
                    return false;
                }
            }
            if (i_ >= p_.size() || p_[i_] != '}') {
                return false;
            }
            ++i_;
        } else {
            return true;
        }
        // A lazy quantifier or a second quantifier: outside the subset.
        if (i_ < p_.size() && (p_[i_] == '?' || p_[i_] == '*' || p_[i_] == '+' || p_[i_] == '{')) {
            return false;
        }
        Node repeat;
        repeat.kind = Node::Kind::kRepeat;
        repeat.min = min;
        repeat.max = max;
        repeat.kids.push_back(std::move(atom));
        atom = std::move(repeat);
        return true;
    }

    bool new_atom(Node& out, const ByteSet& set) {
        if (m_.classes_.size() >= kAtomsMax) {
            return false;
        }
        out = Node{};
        out.kind = Node::Kind::kAtom;
        out.atom = static_cast<std::uint32_t>(m_.classes_.size());
        m_.classes_.push_back(set);
        return true;
    }

    bool parse_atom(Node& out) {
        const char c = p_[i_];
        if (c == '(') {
            ++i_;
            if (i_ < p_.size() && p_[i_] == '?') {
                if (i_ + 1 >= p_.size() || p_[i_ + 1] != ':') {
                    return false;  // lookahead: outside the subset
                }
                i_ += 2;
            }
            if (!parse_alt(out) || i_ >= p_.size() || p_[i_] != ')') {
                return false;
            }
            ++i_;
            return true;
        }
        if (c == '[') {
            ++i_;
            ByteSet set{};
            if (!parse_class(set)) {
                return false;
            }
            return new_atom(out, set);
        }
        if (c == '\\') {
            if (i_ + 1 >= p_.size()) {
                return false;
            }
            const char n = p_[i_ + 1];
            i_ += 2;
            if (is_class_escape(n)) {
                return new_atom(out, class_escape(n));
            }
            const int b = escaped_byte(n);
            if (b < 0) {
                return false;
            }
            ByteSet set{};
            add(set, static_cast<unsigned char>(b));
            return new_atom(out, set);
        }
        if (c == '.') {
            ++i_;
            ByteSet set{};
            add(set, '\n');
            add(set, '\r');
            return new_atom(out, complement(set));
        }
        if (c == '^' || c == '$' || c == '*' || c == '+' || c == '?' || c == '{' || c == '}'
            || c == ']' || c == '|' || c == ')') {
            return false;
        }
        ++i_;
        ByteSet set{};
        add(set, static_cast<unsigned char>(c));
        return new_atom(out, set);
    }

    /// One literal of a bracket class (a byte, or -1 for a class escape added to `set`, -2 for
    /// an unsupported construct).
    int class_member(ByteSet& set) {
        const char c = p_[i_];
        if (c == '\\') {
            if (i_ + 1 >= p_.size()) {
                return -2;
            }
            const char n = p_[i_ + 1];
            i_ += 2;
            if (is_class_escape(n)) {
                merge(set, class_escape(n));
                return -1;
            }
            const int b = escaped_byte(n);
            return b < 0 ? -2 : b;
        }
        if (c == '[') {
            return -2;  // [: :], [. .], [= =] or a literal '[': not in the subset
        }
        ++i_;
        return static_cast<unsigned char>(c);
    }

    bool parse_class(ByteSet& out) {
        bool negated = false;
        if (i_ < p_.size() && p_[i_] == '^') {
            negated = true;
            ++i_;
        }
        if (i_ < p_.size() && p_[i_] == ']') {
            return false;  // empty class: not in the subset
        }
        ByteSet set{};
        while (true) {
            if (i_ >= p_.size()) {
                return false;
            }
            if (p_[i_] == ']') {
                ++i_;
                break;
            }
            const int lo = class_member(set);
            if (lo == -2) {
                return false;
            }
            if (lo >= 0 && i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
                ++i_;
                const int hi = class_member(set);
                if (hi < 0 || lo >= 0x80 || hi >= 0x80 || hi < lo) {
                    return false;
                }
                for (int b = lo; b <= hi; ++b) {
                    add(set, static_cast<unsigned char>(b));
                }
                continue;
            }
            if (lo >= 0) {
                add(set, static_cast<unsigned char>(lo));
            }
        }
        out = negated ? complement(set) : set;
        return true;
    }

    std::string_view p_;
    RegexMatcher& m_;
    std::size_t i_ = 0;
};

std::optional<RegexMatcher> RegexMatcher::compile(std::string_view ecmascript) {
    RegexMatcher m;
    std::string_view p = ecmascript;
    if (!p.empty() && p.front() == '^') {
        m.anchored_start_ = true;
        p.remove_prefix(1);
    }
    if (!p.empty() && p.back() == '$') {
        if (p.size() >= 2 && p[p.size() - 2] == '\\') {
            return std::nullopt;  // `\$` or `\\$`: not worth telling apart
        }
        m.anchored_end_ = true;
        p.remove_suffix(1);
    }
    Parser parser(p, m);
    if (!parser.parse_alt(m.root_) || !parser.done()) {
        return std::nullopt;
    }
    if (m.root_.kind == Node::Kind::kAlt && (m.anchored_start_ || m.anchored_end_)) {
        return std::nullopt;  // `^a|b`: the anchor belongs to one alternative only
    }
    for (std::size_t a = 0; a < m.classes_.size(); ++a) {
        for (int b = 0; b < 256; ++b) {
            if (has(m.classes_[a], static_cast<unsigned char>(b))) {
                m.atoms_of_byte_[static_cast<std::size_t>(b)] |= std::uint32_t{1} << a;
            }
        }
    }
    return m;
}

std::optional<std::string> RegexMatcher::literal(std::string_view ecmascript) {
    std::string out;
    for (std::size_t i = 0; i < ecmascript.size(); ++i) {
        const char c = ecmascript[i];
        if (c == '\\') {
            if (i + 1 >= ecmascript.size()) {
                return std::nullopt;
            }
            const int b = escaped_byte(ecmascript[++i]);
            if (b < 0) {
                return std::nullopt;
            }
            out += static_cast<char>(b);
            continue;
        }
        if (std::string_view("^$.*+?()[]{}|").find(c) != std::string_view::npos) {
            return std::nullopt;
        }
        out += c;
    }
    if (out.empty()) {
        return std::nullopt;
    }
    return out;
}

RegexMatcher::Bits RegexMatcher::apply(const Node& node, const Bits& in,
                                       const Scratch& s) noexcept {
    switch (node.kind) {
        case Node::Kind::kAtom: {
            // Positions p where the byte at p is in the class move to p + 1.
            const Bits& mask = (*s.masks)[node.atom];
            Bits out{};
            std::uint64_t carry = 0;
            for (std::size_t w = 0; w < s.words; ++w) {
                const std::uint64_t v = in[w] & mask[w];
                out[w] = v << 1 | carry;
                carry = v >> 63;
            }
            return out;
        }
        case Node::Kind::kSeq: {
            Bits cur = in;
            for (const Node& k : node.kids) {
                cur = apply(k, cur, s);
            }
            return cur;
        }
        case Node::Kind::kAlt: {
            Bits out{};
            for (const Node& k : node.kids) {
                const Bits b = apply(k, in, s);
                for (std::size_t w = 0; w < s.words; ++w) {
                    out[w] |= b[w];
                }
            }
            return out;
        }
        case Node::Kind::kRepeat: {
            const Node& body = node.kids.front();
            Bits cur = in;
            for (std::uint32_t k = 0; k < node.min; ++k) {
                cur = apply(body, cur, s);
            }
            Bits out = cur;
            // Further iterations up to max, stopping as soon as no new position is reached.
            for (std::uint32_t k = node.min; k < node.max; ++k) {
                const Bits next = apply(body, cur, s);
                bool grew = false;
                for (std::size_t w = 0; w < s.words; ++w) {
                    const std::uint64_t fresh = next[w] & ~out[w];
                    grew = grew || fresh != 0;
                    out[w] |= next[w];
                }
                if (!grew) {
                    break;
                }
                cur = next;
            }
            return out;
        }
    }
    return {};
}

std::uint64_t RegexMatcher::apply1(const Node& node, std::uint64_t in,
                                   const std::uint64_t* masks) noexcept {
    switch (node.kind) {
        case Node::Kind::kAtom:
            return (in & masks[node.atom]) << 1;
        case Node::Kind::kSeq:
            for (const Node& k : node.kids) {
                in = apply1(k, in, masks);
            }
            return in;
        case Node::Kind::kAlt: {
            std::uint64_t out = 0;
            for (const Node& k : node.kids) {
                out |= apply1(k, in, masks);
            }
            return out;
        }
        case Node::Kind::kRepeat: {
            const Node& body = node.kids.front();
            std::uint64_t cur = in;
            for (std::uint32_t k = 0; k < node.min; ++k) {
                cur = apply1(body, cur, masks);
            }
            std::uint64_t out = cur;
            for (std::uint32_t k = node.min; k < node.max; ++k) {  // see apply()
                const std::uint64_t next = apply1(body, cur, masks);
                if ((next & ~out) == 0) {
                    break;
                }
                out |= next;
                cur = next;
            }
            return out;
        }
    }
    return 0;
}

std::optional<bool> RegexMatcher::search(std::string_view input) const noexcept {
    const std::size_t n = input.size();
    if (n > kInputMax) {
        return std::nullopt;
    }
    if (n < 64) {
        std::array<std::uint64_t, kAtomsMax> masks{};
        for (std::size_t p = 0; p < n; ++p) {
            for (std::uint32_t atoms = atoms_of_byte_[static_cast<unsigned char>(input[p])];
                 atoms != 0; atoms &= atoms - 1) {
                masks[static_cast<std::size_t>(__builtin_ctz(atoms))] |= std::uint64_t{1} << p;
            }
        }
        const std::uint64_t all = (std::uint64_t{2} << n) - 1;  // positions 0..n
        const std::uint64_t end = apply1(root_, anchored_start_ ? 1 : all, masks.data());
        return anchored_end_ ? (end >> n & 1) != 0 : end != 0;
    }
    std::array<Bits, kAtomsMax> masks{};
    for (std::size_t p = 0; p < n; ++p) {
        for (std::uint32_t atoms = atoms_of_byte_[static_cast<unsigned char>(input[p])]; atoms != 0;
             atoms &= atoms - 1) {
            masks[static_cast<std::size_t>(__builtin_ctz(atoms))][p >> 6] |= std::uint64_t{1}
                                                                             << (p & 63);
        }
    }
    const Scratch s{&masks, n / 64 + 1};
    Bits start{};
    if (anchored_start_) {
        start[0] = 1;
    } else {
        for (std::size_t p = 0; p <= n; ++p) {
            start[p >> 6] |= std::uint64_t{1} << (p & 63);
        }
    }
    const Bits end = apply(root_, start, s);
    if (anchored_end_) {
        return (end[n >> 6] >> (n & 63) & 1) != 0;
    }
    for (std::size_t w = 0; w < s.words; ++w) {
        if (end[w] != 0) {
            return true;
        }
    }
    return false;
}

}  // namespace facteur::rules::xpath
