// RegexMatcher against std::regex (what matches() used before): for every pattern the official
// rule sets pass to matches() and for each construct of the subset, the same answer on many
// random strings built from the pattern's own characters, digits, spaces, controls and bytes
// >= 0x80.
#include <random>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/xml/document.h"
#include "facteur/xml/tree.h"

#include "evaluate_support.h"
#include "xpath_ast.h"

namespace facteur::rules::xpath {
namespace {

/// The literal patterns of matches() in the EN 16931, BR-FR and EXTENDED-CTC-FR files, each
/// with a value it matches (the seed of the near misses below).
const std::vector<std::pair<std::string, std::string>> kRulePatterns = {
    {"^\\d{9}$", "123456789"},
    {"^\\d{14}$", "12345678901234"},
    {"^[A-Za-z0-9+\\-_/]+$", "ab-C_9/+"},
    {"^[A-Za-z0-9+\\-_.]+$", "ab-C_9.+"},
    {" ", "a b"},
    {"^[-]?\\d{1,19}(\\.\\d{1,2})?$", "-12.50"},
    {"^[-]?\\d{1,19}(\\.\\d{1,4})?$", "12.5075"},
    {"^[-]?\\d{1,19}(\\.\\d{1,6})?$", "-1.123456"},
    {"^\\d{1,19}(\\.\\d{1,6})?$", "1234567890123456789.5"},
    {"^\\d{1,4}(\\.\\d{1,2})?$", "20.5"},
    {"^20\\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])$", "20261124"},
    {"^20\\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$", "2026-11-30"},
    {"^\\s*(\\d{4})(1[0-2]|0[1-9]){1}(3[01]|[12][0-9]|0[1-9]){1}\\s*$", " 19991231\n"},
};

/// Other constructs of the subset, each with a value it matches.
const std::vector<std::pair<std::string, std::string>> kSubsetPatterns = {
    {"a|b|cd", "cd"},
    {"(ab)*c", "ababc"},
    {"(?:a|bc)+$", "abca"},
    {"^(a|b)?c{2,}$", "bccc"},
    {"x{0,3}y", "xxy"},
    {"[^a-c]+", "z"},
    {"\\D\\S\\W", "a.-"},
    {"^\\w+$", "a_9"},
    {"a.c", "abc"},
    {"^.*$", ""},
    {"[.\\d]{3}", "1.2"},
    {"\\.\\-\\/", ".-/"},
    {"(a*)*b", "aab"},
    {"((a|)+)b$", "aab"},
    {"^(ab|a)(bc|c)$", "abc"},
    {"[\\s,]+", " ,"},
    {"[-a]", "-"},
    {"[a-]", "a"},
    {"\\t\\n", "\t\n"},
    {"^$", ""},
    {"", ""},
    {"(a{2}){2}", "aaaa"},
    {"^[0-9]{2}(\\.[0-9]+)?$", "12.5"},
};

/// Patterns outside the subset: compile() refuses them (std::regex keeps them).
const std::vector<std::string> kOutside = {
    "^a|b", "a*?", "\\bx", "(?=a)", "\\1", "[[:digit:]]", "a**",   "\\x41",
    "x$y",  "a^",  "[]a]", "a{2",   "\\p", "a\\$",        "[\\b]",
};

std::string alphabet_of(const std::string& pattern) {
    std::string a = "0123456789 abcAZz-_./+,#\t\n\r\x01\x7f";
    a += static_cast<char>(0xC3);
    a += static_cast<char>(0xA9);
    a += static_cast<char>(0x80);
    a += static_cast<char>(0xFF);
    for (const char c : pattern) {
        if (c != '\\' && c != '^' && c != '$') {
            a += c;
        }
    }
    return a;
}

/// Random strings around `pattern`: random mixes, and strings that nearly match (a matching
/// example with one byte changed, added or removed).
void expect_same_answers(const std::string& pattern, std::mt19937& rng, int cases,
                         const std::string& example = {}) {
    const std::regex re(pattern, std::regex::ECMAScript);
    const auto m = RegexMatcher::compile(pattern);
    ASSERT_TRUE(m.has_value()) << pattern;
    const std::string alphabet = alphabet_of(pattern);
    std::vector<std::string> matching;
    if (!example.empty()) {
        ASSERT_TRUE(std::regex_search(example, re)) << pattern;
        matching.push_back(example);
    }
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::uniform_int_distribution<int> length(0, 24);
    std::uniform_int_distribution<int> coin(0, 3);
    std::size_t matched = 0;
    for (int k = 0; k < cases; ++k) {
        std::string s;
        if (!matching.empty() && coin(rng) == 0) {
            s = matching[static_cast<std::size_t>(rng() % matching.size())];
            const std::size_t at = s.empty() ? 0 : rng() % s.size();
            switch (coin(rng)) {
                case 0:
                    if (!s.empty()) {
                        s[at] = alphabet[pick(rng)];
                    }
                    break;
                case 1:
                    s.insert(at, 1, alphabet[pick(rng)]);
                    break;
                case 2:
                    if (!s.empty()) {
                        s.erase(at, 1);
                    }
                    break;
                default:
                    s += s;
                    break;
            }
        } else if (coin(rng) == 0) {
            // digits only: the rule sets' patterns are mostly about numbers and dates
            const int n = length(rng);
            for (int i = 0; i < n; ++i) {
                s += static_cast<char>('0' + rng() % 10);
            }
            if (coin(rng) == 0 && !s.empty()) {
                s[rng() % s.size()] = coin(rng) == 0 ? '.' : '-';
            }
        } else {
            // mostly short, sometimes past 64 bytes (the matcher's multi-word positions)
            const int n = coin(rng) == 0 ? 50 + static_cast<int>(rng() % 150) : length(rng);
            for (int i = 0; i < n; ++i) {
                s += alphabet[pick(rng)];
            }
        }
        if (s.size() > RegexMatcher::kInputMax) {
            s.resize(RegexMatcher::kInputMax);
        }
        const bool expected = std::regex_search(s, re);
        const auto got = m->search(s);
        ASSERT_TRUE(got.has_value());
        ASSERT_EQ(*got, expected) << "pattern " << pattern << " on '" << s << "'";
        if (expected) {
            ++matched;
            if (matching.size() < 64) {
                matching.push_back(s);
            }
        }
    }
    // Not a vacuous comparison: both answers occur (except for patterns that match everything).
    EXPECT_LT(matched, static_cast<std::size_t>(cases)) << pattern;
    EXPECT_GT(matched, 0U) << pattern;
}

TEST(RegexMatcherTest, RuleSetPatternsGiveStdRegexAnswersOnRandomStrings) {
    std::mt19937 rng(20261124);
    for (const auto& [pattern, example] : kRulePatterns) {
        expect_same_answers(pattern, rng, 20'000, example);
    }
}

TEST(RegexMatcherTest, SubsetConstructsGiveStdRegexAnswersOnRandomStrings) {
    std::mt19937 rng(7);
    for (const auto& [p, example] : kSubsetPatterns) {
        if (p.empty() || p == "^.*$" || p == "x{0,3}y") {
            // match (nearly) everything: compared, but both answers need not occur
            const std::regex re(p, std::regex::ECMAScript);
            const auto m = RegexMatcher::compile(p);
            ASSERT_TRUE(m.has_value()) << p;
            for (const std::string s : {"", "a", "\n", "xxxy", "abc\r"}) {
                EXPECT_EQ(*m->search(s), std::regex_search(std::string(s), re)) << p << " on " << s;
            }
            continue;
        }
        expect_same_answers(p, rng, 5'000, example);
    }
}

TEST(RegexMatcherTest, DateAndIdentifierPatternsOnKnownValues) {
    const auto date = RegexMatcher::compile("^20\\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])$");
    ASSERT_TRUE(date.has_value());
    EXPECT_TRUE(*date->search("20261124"));
    EXPECT_FALSE(*date->search("20261324"));
    EXPECT_FALSE(*date->search("20261132"));
    EXPECT_FALSE(*date->search("2026112"));
    EXPECT_FALSE(*date->search("20261124\n"));  // ECMAScript $: the end of the input only
    const auto siren = RegexMatcher::compile("^\\d{9}$");
    ASSERT_TRUE(siren.has_value());
    EXPECT_TRUE(*siren->search("123456789"));
    EXPECT_FALSE(*siren->search("12345678"));
    EXPECT_FALSE(*siren->search("1234567890"));
    EXPECT_FALSE(*siren->search("12345678\xd9"));  // an Arabic-Indic digit's bytes are no \d
}

TEST(RegexMatcherTest, RefusesWhatIsOutsideTheSubset) {
    for (const std::string& p : kOutside) {
        EXPECT_FALSE(RegexMatcher::compile(p).has_value()) << p;
    }
}

TEST(RegexMatcherTest, LongInputsAreLeftToStdRegex) {
    const auto m = RegexMatcher::compile("^\\d+$");
    ASSERT_TRUE(m.has_value());
    EXPECT_TRUE(*m->search(std::string(RegexMatcher::kInputMax, '7')));
    EXPECT_FALSE(m->search(std::string(RegexMatcher::kInputMax + 1, '7')).has_value());
}

TEST(RegexMatcherTest, MatchesUsesTheMatcherAndFallsBackWithTheSameAnswers) {
    // Through the engine: a literal pattern in the subset gets a matcher; `i` keeps std::regex.
    xml::NameTable names;
    Namespaces ns;
    Compiler compiler(ns, names);
    const ExprPtr with = compiler.compile("matches(., '^\\d{9}$')");
    ASSERT_EQ(with->op, Op::kCall);
    EXPECT_NE(with->matcher, nullptr);
    const ExprPtr icase = compiler.compile("matches(., '^a$', 'i')");
    EXPECT_EQ(icase->matcher, nullptr);
    const ExprPtr outside = compiler.compile("matches(., '\\bx')");
    EXPECT_EQ(outside->matcher, nullptr);
}

/// The strings of `expr`'s value evaluated on a one-element document.
std::vector<std::string> strings_of(const std::string& expr) {
    xml::NameTable names;
    return testing::evaluate_strings(expr, "<r/>", names);
}

std::string xpath_literal(const std::string& s) {
    std::string out = "'";
    for (const char c : s) {
        out += c;
        if (c == '\'') {
            out += '\'';
        }
    }
    return out + "'";
}

TEST(RegexMatcherTest, LiteralAndWhitespacePatternsOfTokenizeAndReplaceGiveStdRegexResults) {
    // tokenize() and replace() with `\.`, `#PMT#`, `\s`, `\s+` no longer go through std::regex:
    // the engine's results against std::sregex_token_iterator / std::regex_replace directly.
    const std::vector<std::string> patterns = {"\\.", "#PMT#", "BAR#B2B#", "ab", "\\s", "\\s+"};
    const std::string alphabet = "ab.#PMTBAR2 \t\n\v\f\r";
    std::mt19937 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::uniform_int_distribution<int> length(0, 30);
    for (const std::string& pattern : patterns) {
        const std::regex re(pattern, std::regex::ECMAScript);
        {
            xml::NameTable names;
            Namespaces ns;
            Compiler compiler(ns, names);
            const ExprPtr t = compiler.compile("tokenize('x', '" + pattern + "')");
            EXPECT_TRUE(t->regex_literal != nullptr || t->regex_split != RegexSplit::kNone)
                << pattern;
        }
        for (int k = 0; k < 1'500; ++k) {
            std::string s;
            const int n = length(rng);
            for (int i = 0; i < n; ++i) {
                s += alphabet[pick(rng)];
            }
            std::vector<std::string> expected;
            if (!s.empty()) {
                for (std::sregex_token_iterator it(s.begin(), s.end(), re, -1);
                     it != std::sregex_token_iterator(); ++it) {
                    expected.push_back(it->str());
                }
            }
            ASSERT_EQ(strings_of("tokenize(" + xpath_literal(s) + ", '" + pattern + "')"), expected)
                << pattern << " on '" << s << "'";
            if (pattern.back() != '+' && pattern != "\\s") {
                ASSERT_EQ(strings_of("replace(" + xpath_literal(s) + ", '" + pattern + "', 'x-')"),
                          std::vector<std::string>{std::regex_replace(s, re, "x-")})
                    << pattern << " on '" << s << "'";
            }
        }
    }
}

}  // namespace
}  // namespace facteur::rules::xpath
