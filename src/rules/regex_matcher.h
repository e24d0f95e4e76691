#pragma once

// A small exact matcher for the regular expressions the official rule sets pass to matches()
// ('^\d{9}$', '^[A-Za-z0-9+\-_/]+$', '^20\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$', ...):
// whether std::regex_search() with the ECMAScript translation of the pattern (compile_regex())
// finds a match, answered without std::regex. Private to the rules module.
//
// Supported subset (anything else is refused by compile(), and the caller keeps std::regex):
// literal bytes and escaped punctuation; `.`; `\d \D \s \S \w \W \n \r \t \f \v`; bracket
// classes with literals, ranges, those escapes and `^` negation; groups `( )` and `(?: )`
// with `|` alternatives; greedy quantifiers `? * + {n} {n,} {n,m}` (n, m <= 1000); `^` as the
// first and `$` as the last character of the pattern only; no flags other than the ones
// compile_regex() ignores (so no `i`). Matching is byte-wise with the classic "C" locale's
// character classes, as std::regex<char> does; inputs longer than kInputMax bytes are refused
// by search() (the caller keeps std::regex for them).

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace facteur::rules::xpath {

class RegexMatcher {
public:
    /// Longest input search() answers. Default 255 bytes (four 64-bit words of positions).
    static constexpr std::size_t kInputMax = 255;
    /// Character classes (atoms) a compiled pattern may hold. Default 32.
    static constexpr std::size_t kAtomsMax = 32;

    /// The matcher for the ECMAScript pattern `ecmascript` (as compile_regex() hands it to
    /// std::regex, without the icase option), or nullopt when the pattern is outside the
    /// supported subset. Never throws.
    static std::optional<RegexMatcher> compile(std::string_view ecmascript);

    /// The text an ECMAScript pattern without metacharacters matches (`\.` -> ".", `#PMT#`), or
    /// nullopt for any other pattern or the empty one. Never throws.
    static std::optional<std::string> literal(std::string_view ecmascript);

    /// Whether std::regex_search(input, regex) would be true; nullopt when `input` is longer
    /// than kInputMax (no answer: use std::regex). Never throws.
    [[nodiscard]] std::optional<bool> search(std::string_view input) const noexcept;

private:
    using Bits = std::array<std::uint64_t, 4>;  // positions 0..255 of the input

    struct Node {
        enum class Kind : std::uint8_t { kAtom, kSeq, kAlt, kRepeat } kind = Kind::kSeq;
        std::uint32_t atom = 0;          // kAtom: index into classes_
        std::vector<Node> kids;          // kSeq, kAlt; kRepeat: one
        std::uint32_t min = 1, max = 1;  // kRepeat; max = kUnbounded for none
    };

    static constexpr std::uint32_t kUnbounded = 0xFFFFFFFFU;
    class Parser;

    struct Scratch {
        const std::array<Bits, kAtomsMax>* masks;
        std::size_t words;
    };

    static Bits apply(const Node& node, const Bits& in, const Scratch& s) noexcept;
    /// apply() for inputs shorter than 64 bytes: positions in one word.
    static std::uint64_t apply1(const Node& node, std::uint64_t in,
                                const std::uint64_t* masks) noexcept;

    Node root_;
    std::vector<std::array<std::uint64_t, 4>> classes_;  // byte sets, 256 bits each
    std::array<std::uint32_t, 256> atoms_of_byte_{};     // byte -> the classes holding it
    bool anchored_start_ = false;
    bool anchored_end_ = false;
};

}  // namespace facteur::rules::xpath
