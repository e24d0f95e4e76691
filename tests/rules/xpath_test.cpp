// The XPath engine against XPath 2.0 semantics, on small documents.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <random>

#include "facteur/xml/document.h"
#include "facteur/xml/tree.h"
#include "facteur/rules/schematron.h"
#include "evaluate_support.h"
#include "xpath_ast.h"

namespace facteur::rules::xpath {
namespace {

class XPathTest : public ::testing::Test {
protected:
    std::string eval(std::string_view expr, std::string_view doc_text = "<r><a>1</a><a>2.5</a><b x='7'>t</b></r>") {
        const Namespaces ns{{"xs", "http://www.w3.org/2001/XMLSchema"}};
        std::string out;
        for (const std::string& s : testing::evaluate_strings(expr, doc_text, names_, ns)) {
            out += (out.empty() ? "" : " ") + s;
        }
        return out;
    }
    std::string error_of(std::string_view expr, std::string_view doc_text = "<r><a>1</a><a>x</a></r>") {
        try {
            (void)eval(expr, doc_text);
        } catch (const Error& e) {
            return e.code();
        }
        return "none";
    }
    xml::NameTable names_;
};

TEST_F(XPathTest, DecimalArithmeticIsExact) {
    EXPECT_EQ(eval("xs:decimal('0.1') + xs:decimal('0.2') = xs:decimal('0.3')"), "true");
    EXPECT_EQ(eval("(round((xs:decimal('201') - xs:decimal('0.22')) * 10 * 10) div 100)"), "200.78");
    EXPECT_EQ(eval("(round((xs:decimal('1200.78') - xs:decimal('1000.0')) * 10 * 10) div 100)"), "200.78");
    EXPECT_EQ(eval("xs:decimal('201') - xs:decimal('0.22')"), "200.78");
    EXPECT_EQ(eval("1 div 3"), "0.333333333333333333");
    EXPECT_EQ(eval("2 div 3"), "0.666666666666666667");
    EXPECT_EQ(eval("round(2.5)"), "3");
    EXPECT_EQ(eval("round(-2.5)"), "-2");
}

TEST_F(XPathTest, DecimalsBeyondSixtyFourBitsStayExact) {
    EXPECT_EQ(eval("xs:decimal('123456789012345678901234567890.5') + 1"), "123456789012345678901234567891.5");
    EXPECT_EQ(eval("xs:decimal('9223372036854775807') + 1"), "9223372036854775808");
    EXPECT_EQ(eval("xs:decimal('-9223372036854775808') - 1"), "-9223372036854775809");
    EXPECT_EQ(eval("xs:decimal('99999999999.99') * xs:decimal('99999999999.99')"), "9999999999998000000000.0001");
    EXPECT_EQ(error_of("xs:decimal('1e0')", "<r/>"), "FORG0001");
    EXPECT_EQ(eval("xs:decimal('00012.3400') = 12.34"), "true");
    EXPECT_EQ(eval("xs:decimal('123456789012345678901') > xs:decimal('12345678901234567890')"), "true");
    EXPECT_EQ(eval("round(xs:decimal('-0.5'))"), "0");
    EXPECT_EQ(eval("round(xs:decimal('12345678901234567890123.5'))"), "12345678901234567890124");
    EXPECT_EQ(eval("floor(xs:decimal('-1.5'))"), "-2");
    EXPECT_EQ(eval("ceiling(xs:decimal('-1.5'))"), "-1");
    EXPECT_EQ(eval("10 idiv 3"), "3");
    EXPECT_EQ(eval("-7 mod 3"), "-1");
}

/// The exact decimal of strtod(s): what xs:decimal(xs:double(s)) must print.
std::string strtod_exactly(const std::string& s) {
    const std::optional<Decimal> d = Decimal::from_double(std::strtod(s.c_str(), nullptr));
    return d ? d->to_string() : "not finite";
}

TEST_F(XPathTest, DoublesFromTextAreStrtodsToTheLastBit) {
    std::vector<std::string> texts = {
        "0",      "-0",       ".5",     "5.",      "+1.5",  "0.1",  "1e22",
        "1E-5",   "4.9e-324", "1e-400", "-2.675",  "9007199254740993",
        "0.30000000000000004",  "123456789012345678901234567890",   "1.7976931348623157e308"};
    std::mt19937_64 random(20261125);
    for (int k = 0; k < 2000; ++k) {
        std::string digits = std::to_string(random() % 100000000000000000ULL);
        const std::size_t point = random() % (digits.size() + 1);
        digits.insert(point, ".");
        texts.push_back((k % 3 == 0 ? "-" : "") + digits);
    }
    for (const std::string& text : texts) {
        EXPECT_EQ(eval("string(xs:decimal(xs:double('" + text + "')))"), strtod_exactly(text))
            << text;
    }
    EXPECT_EQ(eval("xs:double('1e400')"), "INF");
    EXPECT_EQ(eval("xs:double('-1e400')"), "-INF");
}

TEST_F(XPathTest, DecimalsToDoublesAreStrtodsToTheLastBit) {
    std::mt19937_64 random(20261126);
    for (int k = 0; k < 20000; ++k) {
        const auto mantissa =
            static_cast<std::int64_t>(random() >> (k % 40)) * (k % 2 == 0 ? 1 : -1);
        const auto scale = static_cast<std::int32_t>(random() % 30);
        const Decimal d(BigInt(mantissa), scale);
        const double expected = std::strtod(d.to_string().c_str(), nullptr);
        const double got = d.to_double();
        EXPECT_EQ(std::memcmp(&expected, &got, sizeof got), 0) << d.to_string();
    }
}

TEST_F(XPathTest, StringLiteralsKeepTheirTextAndDoubledQuotes) {
    EXPECT_EQ(eval("'it''s'"), "it's");
    EXPECT_EQ(eval("\"say \"\"hi\"\"\""), "say \"hi\"");
    EXPECT_EQ(eval("string-length('" + std::string(5000, 'x') + "')"), "5000");
    EXPECT_EQ(eval("concat('', '''', '')"), "'");
    EXPECT_EQ(error_of("'unterminated"), "XPST0003");
    EXPECT_EQ(error_of("'ends in a doubled quote''"), "XPST0003");
}

TEST_F(XPathTest, UntypedArithmeticIsDouble) {
    EXPECT_EQ(eval("sum(a)"), "3.5");
    EXPECT_EQ(eval("a[1] + 0.1"), "1.1");
    EXPECT_EQ(eval("xs:decimal(0.1e0)"), "0.1000000000000000055511151231257827021181583404541015625");
}

TEST_F(XPathTest, GeneralComparisonsAreExistential) {
    EXPECT_EQ(eval("a = 2.5"), "true");
    EXPECT_EQ(eval("a = '2.5'"), "true");
    EXPECT_EQ(eval("a != a"), "true");
    EXPECT_EQ(eval("b/@x = 7"), "true");
    EXPECT_EQ(eval("count(//a[. > 1])"), "1");
}

TEST_F(XPathTest, DynamicErrorsAreRaised) {
    EXPECT_EQ(error_of("xs:decimal(a)"), "XPTY0004");
    EXPECT_EQ(error_of("xs:decimal(a[2])"), "FORG0001");
    EXPECT_EQ(error_of("a[2] > 0"), "FORG0001");
    EXPECT_EQ(error_of("1 div 0"), "FOAR0001");
    EXPECT_EQ(error_of("normalize-space(a)"), "XPTY0004");
}

// The commonest errors (a second node where one is allowed, a text that does not cast) are
// recorded and raised from the top of the evaluation rather than thrown where they arise: the
// first error of the evaluation is the one raised, as a throw would have made it.
TEST_F(XPathTest, TheFirstDynamicErrorIsTheOneRaised) {
    EXPECT_EQ(error_of("a[2] + 1 div 0"), "FORG0001");  // 'x' is no number, then 1 div 0
    EXPECT_EQ(error_of("1 div 0 + a[2]"), "FOAR0001");
    EXPECT_EQ(error_of("a + 1 div 0"), "XPTY0004");     // two <a>, then 1 div 0
    EXPECT_EQ(error_of("a[2] > 0 or true()"), "FORG0001");
    EXPECT_EQ(error_of("true() or a[2] > 0"), "none");
    EXPECT_EQ(error_of("sum(a) = 1 div 0"), "FORG0001");
    EXPECT_EQ(error_of("string-length(a) > 1"), "XPTY0004");
    EXPECT_EQ(eval("for $v in (1, 2) return a[1] + $v"), "2 3");  // no error: the values
}

TEST_F(XPathTest, NormalizeSpaceAsABooleanIsWhetherAnythingButWhiteSpaceIsThere) {
    const std::string doc = "<r><e/><w> \t\r\n </w><t> x </t><m>a<n/></m><s> <n/> </s></r>";
    // The effective boolean value, computed without building the string, against the string.
    for (const char* arg : {"", "e", "w", "t", "m", "s", "()", "' '", "'a'", "'\u00a0'", "@none"}) {
        SCOPED_TRACE(arg);
        const std::string call = std::string("normalize-space(") + arg + ")";
        const std::string on = std::string(*arg == 0 ? "*" : ".");
        EXPECT_EQ(eval("count(" + on + "[" + call + "])", doc),
                  eval("count(" + on + "[string-length(" + call + ") > 0])", doc));
        EXPECT_EQ(eval("boolean(" + call + ")", doc), eval("string-length(" + call + ") > 0", doc));
        EXPECT_EQ(eval("not(" + call + ")", doc), eval("string-length(" + call + ") = 0", doc));
    }
    EXPECT_EQ(eval("count(//*[not(*) and not(normalize-space())])", doc), "4");  // e, w, both n
    EXPECT_EQ(error_of("boolean(normalize-space(a))"), "XPTY0004");  // two items
    EXPECT_EQ(error_of("not(normalize-space(1))"), "XPTY0004");      // not a string
}

TEST_F(XPathTest, PathsAndFunctions) {
    EXPECT_EQ(eval("string-join(for $x in a return string($x), ',')"), "1,2.5");
    EXPECT_EQ(eval("every $x in a satisfies $x > 0"), "true");
    EXPECT_EQ(eval("some $x in a satisfies $x > 2"), "true");
    EXPECT_EQ(eval("count(//*)"), "4");
    EXPECT_EQ(eval("count(a/following-sibling::*)"), "2");
    EXPECT_EQ(eval("count(b/preceding-sibling::a)"), "2");
    EXPECT_EQ(eval("a[last()]"), "2.5");
    EXPECT_EQ(eval("local-name(b/..)"), "r");
    EXPECT_EQ(eval("substring('12345', 2, 3)"), "234");
    EXPECT_EQ(eval("upper-case('abé')"), "ABÉ");
    EXPECT_EQ(eval("matches('2024-01-31', '^\\d{4}-\\d{2}-\\d{2}$')"), "true");
    EXPECT_EQ(eval("xs:date('2024-02-29') < xs:date('2024-03-01')", "<r/>"), "true");
    EXPECT_EQ(error_of("xs:date('2023-02-29')", "<r/>"), "FORG0001");
}

// Shapes the engine evaluates without sequences give the general results.
TEST_F(XPathTest, FastPathsGiveTheGeneralResults) {
    // exact division, rounding and doubles in 128 bits, and beyond
    EXPECT_EQ(eval("7 div 2"), "3.5");
    EXPECT_EQ(eval("-1 div 3"), "-0.333333333333333333");
    EXPECT_EQ(eval("xs:decimal('10') div xs:decimal('0.0001')"), "100000");
    EXPECT_EQ(eval("xs:decimal('123456789012345678901') div 7"),
              "17636684144620811271.571428571428571429");
    EXPECT_EQ(eval("round(xs:decimal('-0.5'))"), "0");
    EXPECT_EQ(eval("xs:decimal(2.5e0)"), "2.5");
    EXPECT_EQ(eval("xs:decimal(0.1e0)"),
              "0.1000000000000000055511151231257827021181583404541015625");
    // string values compared as texts, normalized or case-mapped only when needed
    EXPECT_EQ(eval("normalize-space(' x  y ') = 'x y'"), "true");
    EXPECT_EQ(eval("normalize-space(b) = 't'"), "true");
    EXPECT_EQ(eval("normalize-space(upper-case(b)) = 'T'"), "true");
    EXPECT_EQ(eval("lower-case('ÀB') = 'àb'"), "true");
    EXPECT_EQ(eval("normalize-space(b) < 'u'"), "true");
    EXPECT_EQ(eval("a = '2.5'"), "true");
    EXPECT_EQ(error_of("normalize-space(a) = '1'"), "XPTY0004");
    EXPECT_EQ(error_of("upper-case(a) = '1'"), "XPTY0004");
    // '//' before a union of steps, and parent/ancestor steps
    EXPECT_EQ(eval("//(a | b)"), "1 2.5 t");
    EXPECT_EQ(eval("count(//(b[@x] | a[. = '1']))"), "2");
    EXPECT_EQ(eval("sum(//(a | a[. > 2]))"), "3.5");
    EXPECT_EQ(eval("exists(b/parent::r) and not(b/ancestor::a) and exists(a/ancestor::r)"), "true");
}

TEST_F(XPathTest, PathsFromSeveralNodesGiveEachNodeOnce) {
    // a path's result is a node set: the two a's share one parent and one ancestor
    EXPECT_EQ(eval("count(a/..)"), "1");
    EXPECT_EQ(eval("count(a/parent::*)"), "1");
    EXPECT_EQ(eval("count(a/ancestor::*)"), "1");
    EXPECT_EQ(eval("count(a/ancestor-or-self::*)"), "3");
    EXPECT_EQ(eval("exists(a/ancestor::*) and count(*/..) = 1"), "true");
    EXPECT_EQ(eval("count(//a/ancestor::r)", "<r><s><a/><a/></s><a/></r>"), "1");
    EXPECT_EQ(eval("count(//a/..)", "<r><s><a/><a/></s><a/></r>"), "2");
    EXPECT_EQ(eval("sum(a/../a)"), "3.5");
    // `*` and element() are elements only; node() and '..' reach the document node as well
    EXPECT_EQ(eval("count(ancestor::*)"), "0");
    EXPECT_EQ(eval("count(ancestor::node())"), "1");
    EXPECT_EQ(eval("count(parent::*) + count(parent::element())"), "0");
    EXPECT_EQ(eval("count(..) + count(parent::node())"), "2");
    EXPECT_EQ(eval("count(@*) + count(b/@*) + count(b/attribute::element())"), "1");
}

}  // namespace
}  // namespace facteur::rules::xpath

namespace facteur::rules {
namespace {

// xsl:function through a whole rule set: parameters converted per their type, variables,
// a function called from another, and a recursive one that keeps each call's own frame.
TEST(SchematronFunctionsTest, UserFunctionsFollowTheFunctionConversionRules) {
    const std::string sch = R"SCH(<schema xmlns="http://purl.oclc.org/dsdl/schematron"
        xmlns:xsl="http://www.w3.org/1999/XSL/Transform" queryBinding="xslt2">
      <ns prefix="f" uri="urn:f"/>
      <xsl:function name="f:len" as="xs:integer">
        <xsl:param name="s" as="xs:string?"/>
        <xsl:variable name="t" select="normalize-space($s)"/>
        <xsl:sequence select="string-length($t)"/>
      </xsl:function>
      <xsl:function name="f:fact" as="xs:integer">
        <xsl:param name="n" as="xs:integer"/>
        <xsl:variable name="m" select="$n - 1"/>
        <xsl:sequence select="if ($n le 1) then 1 else $n * f:fact($m)"/>
      </xsl:function>
      <pattern id="p">
        <rule context="a">
          <assert id="LEN" test="f:len(.) = 3">len</assert>
          <assert id="FACT" test="f:fact(5) = 120 and f:len(' ab ') = 2">fact</assert>
          <assert id="TWO" test="f:len(../a)">two nodes for a xs:string? parameter</assert>
        </rule>
      </pattern>
    </schema>)SCH";
    RuleSetOptions options;
    options.layer = "t";
    options.version = "1";
    options.name = "t";
    auto set = RuleSet::compile(sch, options);
    ASSERT_TRUE(set.has_value()) << set.error().message;
    auto doc = xml::parse("<r><a> abc </a><a>abcd</a></r>", xml::Limits{});
    ASSERT_TRUE(doc.has_value());
    const Evaluation e = set->evaluate(doc->root());
    std::vector<std::string> rules;
    for (const model::Finding& f : e.findings) {
        rules.push_back(f.rule);
    }
    // LEN fails on the second <a> only; FACT holds; TWO raises XPTY0004 on each <a>.
    EXPECT_EQ(std::count(rules.begin(), rules.end(), "LEN"), 1);
    EXPECT_EQ(std::count(rules.begin(), rules.end(), "FACT"), 0);
    EXPECT_EQ(std::count(rules.begin(), rules.end(), "RULE-EVAL"), 2);
    EXPECT_EQ(e.evaluation_errors, 2U);
}

std::vector<std::string> fired_rules(const RuleSet& set, std::string_view document) {
    auto doc = xml::parse(document, xml::Limits{});
    EXPECT_TRUE(doc.has_value());
    std::vector<std::string> rules;
    for (const model::Finding& f : set.evaluate(doc->root()).findings) {
        rules.push_back(f.rule + "@" + f.location);
    }
    return rules;
}

std::vector<std::string> fired_rules(const std::string& sch, std::string_view document) {
    RuleSetOptions options;
    options.layer = "t";
    options.version = "1";
    options.name = "t";
    auto set = RuleSet::compile(sch, options);
    EXPECT_TRUE(set.has_value());
    return set ? fired_rules(*set, document) : std::vector<std::string>{"(no rule set)"};
}

// A rule's name-chain asserts (four or more) are evaluated together; each gives the verdict it
// gives alone, in the order of the asserts, from a context alone at its path or not.
TEST(SchematronChainsTest, NameChainAssertsKeepTheirOwnVerdicts) {
    const std::string asserts = R"SCH(
          <assert id="C1" test="not(a/b)">c1</assert>
          <assert id="C2" test="not(a/c)">c2</assert>
          <report id="C3" test="a/b/@x">c3</report>
          <assert id="C4" test="not((a | d)/e)">c4</assert>
          <assert id="C5" test="a/c">c5</assert>
          <assert id="C6" test="not(d/e/f)">c6</assert>)SCH";
    const auto rule = [&](const std::string& context, std::size_t chains) {
        return "<pattern><rule context=\"" + context + "\">"
               + asserts.substr(0, asserts.find("<assert id=\"C" + std::to_string(chains + 1)))
               + "</rule></pattern>";
    };
    const auto schema = [&](const std::string& patterns) {
        return R"SCH(<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">)SCH"
               + patterns + "</schema>";
    };
    const std::string doc = "<r><l><a><b x='1'/></a><d><e/></d></l><l><a/></l></r>";
    // every line: the first has a/b/@x and d/e, the second neither
    const std::vector<std::string> expected = {"C1@/r/l[1]", "C3@/r/l[1]", "C4@/r/l[1]",
                                               "C5@/r/l[1]", "C5@/r/l[2]"};
    EXPECT_EQ(fired_rules(schema(rule("l", 6)), doc), expected);  // together
    // three chains stay on the general way: the same verdicts for them
    EXPECT_EQ(fired_rules(schema(rule("l", 3)), doc),
              (std::vector<std::string>{"C1@/r/l[1]", "C3@/r/l[1]"}));
    // the root element, alone at its path: answered on the document's path index once the
    // three <x> have asked enough chain queries for it to be built
    const std::string one = "<r><x/><x/><x/><a><c/></a><d><e><f/></e></d></r>";
    EXPECT_EQ(fired_rules(schema(rule("x", 6) + rule("r", 6)), one),
              (std::vector<std::string>{"C5@/r/x[1]", "C5@/r/x[2]", "C5@/r/x[3]", "C2@/r", "C4@/r",
                                        "C6@/r"}));
}

// Predicates kept per element (Expr::pred_slot) and shared by identical predicates of other
// rules and asserts give the verdicts evaluating each one gives; one that raises an error is
// not kept and raises again wherever it is evaluated.
TEST(SchematronPredicatesTest, SharedPredicatesKeepTheirVerdicts) {
    const std::string sch =
        R"SCH(<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
      <pattern id="s">
        <rule context="t[normalize-space(c) = 'S'][s/normalize-space(upper-case(i)) = 'VAT']">
          <assert id="S1" test="exists(//t[normalize-space(c) = 'S'][n = 2])">s1</assert>
        </rule>
      </pattern>
      <pattern id="z">
        <rule context="t[normalize-space(c) = 'Z'][s/normalize-space(upper-case(i)) = 'VAT']">
          <assert id="Z1" test="count(//t[s/normalize-space(upper-case(i)) = 'VAT']) = 2">z1</assert>
        </rule>
      </pattern>
      <pattern id="e">
        <rule context="t[xs:decimal(n) > 1]">
          <assert id="E1" test="false()">e1</assert>
        </rule>
      </pattern>
      <pattern id="f">
        <rule context="r">
          <assert id="F1" test="exists(t[xs:decimal(n) > 1])">f1</assert>
          <assert id="F2" test="count(t[s/normalize-space(upper-case(i)) = 'VAT']) = 2">f2</assert>
        </rule>
      </pattern>
    </schema>)SCH";
    const std::string doc =
        "<r><t><c> S </c><s><i>vat</i></s><n>1</n></t><t><c>Z</c><s><i>VAT</i></s><n>x</n></t>"
        "<t><c>S</c><s><i>GST</i></s><n>3</n></t></r>";
    // S1 fails on the first <t> (no S/VAT line with n = 2); the second <t> has n = 'x', so
    // xs:decimal(n) raises in pattern e's context (RULE-EVAL for E1) and in F1; the third <t>
    // passes pattern e's context and fires E1; Z1 and F2 hold (two VAT lines).
    const std::vector<std::string> expected = {"S1@/r/t[1]", "RULE-EVAL@/r/t[2]", "E1@/r/t[3]",
                                               "RULE-EVAL@/r"};
    EXPECT_EQ(fired_rules(sch, doc), expected);
    // the same document twice in a row: nothing kept from the first one
    EXPECT_EQ(fired_rules(sch, doc), expected);
}

// A predicate, a rule context or an absolute path whose evaluation records an error (a text
// that does not cast, two nodes where one is allowed) keeps nothing in the per-document caches:
// each later use raises the error again. Three uses of one absolute path: the first streams it,
// the second computes it to keep it, the third would read what was kept.
TEST(SchematronPredicatesTest, PredicatesThatFailKeepNothing) {
    const std::string sch =
        R"SCH(<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
      <pattern id="c">
        <rule context="t[n > 1]">
          <assert id="C1" test="false()">c1</assert>
        </rule>
      </pattern>
      <pattern id="p">
        <rule context="r">
          <assert id="P1" test="not(//t[n > 1])">p1</assert>
          <assert id="P2" test="not(//t[n > 1])">p2</assert>
          <assert id="P3" test="not(//t[n > 1])">p3</assert>
          <assert id="P4" test="count(t[string-length(m) > 0]) = 0">p4</assert>
          <assert id="P5" test="count(t[string-length(m) > 0]) = 0">p5</assert>
        </rule>
      </pattern>
      <pattern id="l">
        <rule context="t">
          <assert id="L1" test="not(n > 1)">l1</assert>
        </rule>
      </pattern>
    </schema>)SCH";
    const std::string doc =
        "<r><t><n>x</n><m>a</m><m>b</m></t><t><n>3</n><m/></t><t><n>0</n></t></r>";
    // The first <t> has n = 'x' (FORG0001 in the context, in P1-P3 and in L1) and two <m>
    // (XPTY0004 in P4 and P5); the second passes the context and fails L1; the third holds.
    const std::vector<std::string> expected = {
        "RULE-EVAL@/r/t[1]", "C1@/r/t[2]",   "RULE-EVAL@/r", "RULE-EVAL@/r", "RULE-EVAL@/r",
        "RULE-EVAL@/r",      "RULE-EVAL@/r", "RULE-EVAL@/r/t[1]", "L1@/r/t[2]"};
    std::vector<std::string> fired = fired_rules(sch, doc);
    std::vector<std::string> sorted_expected = expected;
    std::sort(fired.begin(), fired.end());
    std::sort(sorted_expected.begin(), sorted_expected.end());
    EXPECT_EQ(fired, sorted_expected);
}

// What the evaluation keeps for a document (absolute paths, repeated arithmetic, predicate values
// per element, the last in a table kept per thread from one document to the next) is never seen
// by the next document, even where its elements have the same indexes. One rule set evaluates
// two documents in turn, twice each, and gives each the verdicts it gives alone.
TEST(SchematronCachesTest, NothingKeptForOneDocumentReachesTheNext) {
    const std::string sch =
        R"SCH(<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
      <pattern id="p">
        <rule context="r/t">
          <assert id="A1" test="count(//t) = 2">a1</assert>
          <assert id="A2" test="count(//t) = 2">a2</assert>
          <assert id="A3" test="count(//t) = 2">a3</assert>
          <assert id="S1" test="sum(//t/n) + 1 &gt; 5 and sum(//t/n) + 1 &lt; 100">s1</assert>
          <assert id="P1" test="//t[n &gt; 5]">p1</assert>
        </rule>
      </pattern>
    </schema>)SCH";
    const std::string two = "<r><t><n>9</n></t><t><n>1</n></t></r>";  // every assert holds
    const std::string one = "<r><t><n>1</n></t></r>";                    // none holds
    const std::vector<std::string> none;
    const std::vector<std::string> all = {"A1@/r/t", "A2@/r/t", "A3@/r/t", "S1@/r/t", "P1@/r/t"};
    RuleSetOptions options;
    options.layer = "t";
    auto set = RuleSet::compile(sch, options);
    ASSERT_TRUE(set.has_value());
    for (int round = 0; round < 2; ++round) {
        EXPECT_EQ(fired_rules(*set, two), none) << "round " << round;
        EXPECT_EQ(fired_rules(*set, one), all) << "round " << round;
    }
}

// Rule contexts `p/x[...]` whose predicates compare a name chain or `.` with a string literal
// cannot raise an error, so an <x> whose parent is not <p> is ruled out by its parent's name
// before the predicates run: the verdicts are those of evaluating every context in full.
TEST(SchematronContextsTest, ContextsRuledOutByTheParentsNameKeepTheirVerdicts) {
    const auto pattern = [](const std::string& id, const std::string& context) {
        return "<pattern id=\"" + id + "\"><rule context=\"" + context + "\"><assert id=\"" + id
               + "\" test=\"false()\">" + id + "</assert></rule></pattern>";
    };
    const std::string sch =
        R"SCH(<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">)SCH"
        + pattern("A", "p/x[@k = 'v']") + pattern("B", "p/x[. = 'w']")
        + pattern("C", "p/x[@k != 'v' or c = 'v']") + pattern("D", "r/p/x['v' = @k]")
        + pattern("E", "q/x[not(@k = 'z') and @k = 'v']") + "</schema>";
    const std::string doc =
        "<r><p><x k='v'>v</x><x k='u'>w</x></p><q><x k='v'>w</x><x k='z'>1</x></q></r>";
    const std::vector<std::string> expected = {"A@/r/p/x[1]", "B@/r/p/x[2]", "C@/r/p/x[2]",
                                               "D@/r/p/x[1]", "E@/r/q/x[1]"};
    EXPECT_EQ(fired_rules(sch, doc), expected);
}

// Rule contexts of one pattern that differ only by the literal their last step compares first
// (`t[normalize-space(c) = 'S'][...]`, `t[normalize-space(c) = 'Z']`) are ruled out by the
// compared values, computed once per element: the first rule that matches still wins, a
// further predicate or an ancestor step can still rule out the one whose literal is there, and
// a comparison that raises an error (two <c> for normalize-space()) still raises it.
TEST(SchematronContextsTest, ContextsRuledOutByTheirFirstComparisonKeepTheirVerdicts) {
    const auto rule = [](const std::string& id, const std::string& context) {
        return "<rule context=\"" + context + "\"><assert id=\"" + id + "\" test=\"false()\">"
               + id + "</assert></rule>";
    };
    const std::string sch =
        R"SCH(<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">)SCH"
        "<pattern>"
        + rule("S", "t[normalize-space(c) = 'S'][s = 'VAT']")
        + rule("Z", "t[normalize-space(c)='Z']")
        + rule("E", "p/t[normalize-space(c) = 'E'] | q/t[normalize-space(c) = 'E']")
        + rule("X", "t['X' = normalize-space(c)]") + rule("T", "t") + "</pattern><pattern>"
        + rule("A", "u[@k = 'a']") + rule("B", "u[@k = 'b']") + rule("C", "u[c = 'c']")
        + rule("D", "u[. = 'd']") + "</pattern></schema>";
    const std::string doc =
        "<r><t><c> S </c><s>VAT</s></t><t><c>S</c><s>GST</s></t><t><c>Z</c><c>Z</c></t>"
        "<p><t><c>E</c></t></p><t><c>E</c></t><t><c>\nX </c></t><t/>"
        "<u k='b'/><u k='a'><c>c</c></u><u><c>x</c><c>c</c></u><u>d</u><u k='c'>c</u></r>";
    // t[2]: S's literal is there but its second predicate fails; t[3]: normalize-space() of two
    // <c> raises in S's context (the first rule tried); the <t> under <p> is E, t[4] is not
    // (under neither <p> nor <q>); u[3] matches C through its second <c>, u[5] no rule.
    const std::vector<std::string> expected = {
        "S@/r/t[1]", "T@/r/t[2]", "RULE-EVAL@/r/t[3]", "E@/r/p/t", "T@/r/t[4]", "X@/r/t[5]",
        "T@/r/t[6]", "B@/r/u[1]", "A@/r/u[2]", "C@/r/u[3]", "D@/r/u[4]"};
    EXPECT_EQ(fired_rules(sch, doc), expected);
}

// A predicate comparing nodes with a variable that holds the empty sequence is false for every
// node without evaluating them (`(../l | ../m)[id = $parent]` for lines without a parent); the
// same comparison from an atomic focus still raises its error, and non-empty values still match.
TEST(SchematronPredicatesTest, ComparisonsWithAnEmptyVariableKeepTheirVerdicts) {
    const std::string sch =
        R"SCH(<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">)SCH"
        R"SCH(<pattern><rule context="l"><let name="parent" value="p"/>)SCH"
        R"SCH(<report id="A" test="count((../l | ../m)[id = $parent]) = 1">a</report>)SCH"
        R"SCH(<report id="B" test="(../l/id)[$parent = .]">b</report>)SCH"
        R"SCH(<report id="C" test="id = $parent">c</report>)SCH"
        R"SCH(<report id="D" test="(1, 2)[c = $parent]">d</report>)SCH"
        R"SCH(<report id="E" test="normalize-space((../l)[id = $parent]/c) = 'x'">e</report>)SCH"
        R"SCH(</rule></pattern></schema>)SCH";
    const std::string doc =
        "<r><l><id>1</id><c>x</c></l><l><id>2</id><p>1</p></l><m><id>3</id></m><l><id>4</id><p>3</p></l></r>";
    // l[2] has parent 1 (an <l>), l[3] parent 3 (an <m>); l[1] has none. D raises XPTY0020 (a
    // path from an atomic value) on every line, empty $parent or not.
    EXPECT_EQ(fired_rules(sch, doc),
              (std::vector<std::string>{"RULE-EVAL@/r/l[1]", "A@/r/l[2]", "B@/r/l[2]", "RULE-EVAL@/r/l[2]",
                                        "E@/r/l[2]", "A@/r/l[3]", "RULE-EVAL@/r/l[3]"}));
}

// A subexpression written twice in an assert is evaluated once per focus and variable bindings:
// each binding of a for/some/every (nested ones too) sees its own value, a predicate its own
// focus, and an error is raised as before.
TEST(SchematronRepeatsTest, RepeatedSubexpressionsKeepTheirVerdicts) {
    const auto rule = [](const std::string& id, const std::string& test) {
        return "<pattern><rule context=\"r\"><assert id=\"" + id + "\" test=\"" + test + "\">" + id
               + "</assert></rule></pattern>";
    };
    const std::string sch =
        R"SCH(<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">)SCH"
        + rule("TOP", "count(a) + 1 = 3 and count(a) + 1 = 3")
        + rule("EVERY", "every $x in (1, 2) satisfies (if ($x = 1) then count(a) + $x = 3 else count(a) + $x = 4)")
        + rule("NESTED", "every $x in (1, 2) satisfies (some $y in (10, 20) satisfies "
                         "(if ($y = 10) then count(a) + $x + $y = 13 else count(a) + $x + $y = 24))")
        + rule("FOCUS", "a[count(a) + 1 = 1] and count(a) + 1 = 3")
        + rule("WRONG", "count(a) + 1 = 3 and count(a) + 1 = 4")
        + rule("ERROR", "sum(b) + 1 = 1 or sum(b) + 1 = 1")
        + "</schema>";
    // every rule holds but WRONG (3 then 4) and ERROR (FORG0001: 'x' is no number)
    EXPECT_EQ(fired_rules(sch, "<r><a>1</a><a>2</a><b>x</b></r>"),
              (std::vector<std::string>{"WRONG@/r", "RULE-EVAL@/r"}));
}

// Lets of rules with the same context and the same value expression share their value per
// element, also when they read identical lets of their own rules; a let reading a different
// one does not; a let that raises an error raises in every rule.
TEST(SchematronLetsTest, SharedLetsKeepTheirVerdicts) {
    const auto pattern = [](const std::string& lets, const std::string& test) {
        return "<pattern><rule context=\"a\">" + lets + "<assert id=\"T\" test=\"" + test
               + "\">t</assert></rule></pattern>";
    };
    const std::string x_of_k =
        R"L(<let name="x" value="string(@k)"/><let name="y" value="concat($x, '1')"/>)L";
    const std::string x_of_j =
        R"L(<let name="x" value="string(@j)"/><let name="y" value="concat($x, '1')"/>)L";
    const std::string decimal = R"L(<let name="z" value="xs:decimal(@k)"/>)L";
    const std::string sch =
        R"SCH(<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">)SCH"
        + pattern(x_of_k, "$y = 'v1'") + pattern(x_of_j, "$y = 'w1'") + pattern(x_of_k, "$y = 'v1'")
        + pattern(decimal, "$z > 0") + pattern(decimal, "$z > 0") + "</schema>";
    EXPECT_EQ(
        fired_rules(sch, "<r><a k='v' j='w'/><a k='q' j='w'/></r>"),
        (std::vector<std::string>{"T@/r/a[2]", "T@/r/a[2]", "RULE-EVAL@/r/a[1]",
                                  "RULE-EVAL@/r/a[2]", "RULE-EVAL@/r/a[1]", "RULE-EVAL@/r/a[2]"}));
}

// xsl:function results are kept per document for node arguments too, unless the body reads
// current(): a function of the node gives each node its own result, and one reading current()
// is evaluated at each call.
TEST(SchematronFunctionsTest, NodeArgumentsAreKeptOnlyForFunctionsOfTheirArguments) {
    const std::string sch = R"SCH(<schema xmlns="http://purl.oclc.org/dsdl/schematron"
        xmlns:xsl="http://www.w3.org/1999/XSL/Transform" queryBinding="xslt2">
      <ns prefix="f" uri="urn:f"/>
      <xsl:function name="f:k" as="xs:string">
        <xsl:param name="e" as="element()?"/>
        <xsl:sequence select="string($e/@k)"/>
      </xsl:function>
      <xsl:function name="f:same" as="xs:boolean">
        <xsl:param name="e" as="element()?"/>
        <xsl:sequence select="$e/@k = current()/@k"/>
      </xsl:function>
      <pattern id="p">
        <rule context="a">
          <assert id="NODE" test="f:k(.) = '1'">node</assert>
          <assert id="CUR" test="f:same(/r/a[1])">current</assert>
        </rule>
      </pattern>
    </schema>)SCH";
    EXPECT_EQ(fired_rules(sch, "<r><a k='1'/><a k='2'/><a k='1'/></r>"),
              (std::vector<std::string>{"NODE@/r/a[2]", "CUR@/r/a[2]"}));
}

}  // namespace
}  // namespace facteur::rules
