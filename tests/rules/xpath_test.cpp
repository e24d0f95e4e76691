// The XPath engine against XPath 2.0 semantics, on small documents.
#include <gtest/gtest.h>

#include <algorithm>

#include "facteur/xml/document.h"
#include "facteur/xml/tree.h"
#include "facteur/rules/schematron.h"
#include "xpath_ast.h"

namespace facteur::rules::xpath {
namespace {

class XPathTest : public ::testing::Test {
protected:
    std::string eval(std::string_view expr, std::string_view doc_text = "<r><a>1</a><a>2.5</a><b x='7'>t</b></r>") {
        auto doc = xml::parse(doc_text, xml::Limits{});
        EXPECT_TRUE(doc.has_value());
        Namespaces ns{{"xs", "http://www.w3.org/2001/XMLSchema"}};
        Compiler compiler(ns, names_);
        ExprPtr e = compiler.compile(expr);
        const xml::Tree tree = xml::Tree::build(doc->root(), names_);
        std::vector<Sequence> slots(compiler.slots());
        Context ctx;
        ctx.tree = &tree;
        ctx.slots = &slots;
        ctx.item.type = Type::kElement;
        ctx.item.node = 1;
        const Sequence s = evaluate(*e, ctx);
        std::string out;
        for (const Item& it : s) {
            out += (out.empty() ? "" : " ") + string_value(it, tree);
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

}  // namespace
}  // namespace facteur::rules
