// document('<name>') over auxiliary documents registered with a rule set (RuleSetOptions::
// documents): the code-list lookups of the Factur-X rules, what is refused at compile time, and
// the options for flagless reports and id-less asserts.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "facteur/rules/schematron.h"
#include "facteur/xml/document.h"
#include "facteur/xml/tree.h"

namespace facteur::rules {
namespace {

// A code list database shaped like FACTUR-X_<P>_codedb.xml.
constexpr std::string_view kCodes = R"~(<codedb>
  <cl id="3"><enumeration value="102"/><enumeration value="610"/></cl>
  <cl id="7"><enumeration value="EUR"/><enumeration value="USD"/></cl>
  <cl id="9"><enumeration value="010"/><enumeration value="x"/></cl>
  <cl id="11"><code>A</code><code>B</code></cl>
</codedb>)~";

std::string schema(std::string_view rules) {
    return R"~(<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">)~" + std::string(rules) +
           "</schema>";
}

RuleSetOptions options_with(std::string_view codes = kCodes) {
    RuleSetOptions options;
    options.layer = "t";
    options.version = "1";
    options.name = "t";
    options.documents.push_back(AuxiliaryDocument{"codes.xml", codes});
    return options;
}

/// Fired rule ids, in order, of `sch` on `doc`.
std::vector<std::string> fired(const std::string& sch, std::string_view doc_text, RuleSetOptions options) {
    auto set = RuleSet::compile(sch, std::move(options));
    EXPECT_TRUE(set.has_value()) << (set ? "" : set.error().message);
    if (!set) {
        return {"(not compiled)"};
    }
    auto doc = xml::parse(doc_text, xml::Limits{});
    EXPECT_TRUE(doc.has_value());
    std::vector<std::string> out;
    for (const model::Finding& f : set->evaluate(doc->root()).findings) {
        out.push_back(f.rule);
    }
    return out;
}

std::string compile_error(std::string_view rules, RuleSetOptions options = options_with()) {
    auto set = RuleSet::compile(schema(rules), std::move(options));
    return set ? "compiled" : set.error().id;
}

TEST(DocumentFunctionTest, CodeListLookupsMatchAttributeValues) {
    const std::string sch = schema(R"~(<pattern><rule context="d">
        <let name="v" value="@format"/>
        <assert id="FMT" test="string-length($v)=0 or document('codes.xml')/codedb/cl[@id=3]/enumeration[@value=$v]">f</assert>
      </rule><rule context="c">
        <let name="v" value="."/>
        <assert id="CUR" test="document('codes.xml')/codedb/cl[@id=7]/enumeration[$v = @value]">c</assert>
      </rule></pattern>)~");
    const auto ids = fired(sch, R"~(<r><d format="102"/><d format="103"/><d/><c>EUR</c><c>eur</c><c>USD</c><c>102</c></r>)~",
                           options_with());
    // 103 is not in list 3; "eur" (case differs) and "102" (another list) are not in list 7.
    EXPECT_EQ(ids, (std::vector<std::string>{"FMT", "CUR", "CUR"}));
}

TEST(DocumentFunctionTest, ContextKeysLiteralsAndConstantPaths) {
    const std::string sch = schema(R"~(<pattern><rule context="c">
        <let name="v" value="."/>
        <assert id="TEXT" test="document('codes.xml')//cl[@id=11]/code[. = $v]">t</assert>
        <assert id="LIT" test="document('codes.xml')/codedb/cl[@id=7]/enumeration[@value = ('GBP', 'USD')]">l</assert>
        <assert id="NONE" test="not(document('codes.xml')/codedb/cl[@id=99])">n</assert>
        <assert id="SOME" test="exists(document('codes.xml')/codedb/cl[2]/enumeration)">s</assert>
      </rule></pattern>)~");
    EXPECT_EQ(fired(sch, "<r><c>A</c><c>C</c></r>", options_with()), (std::vector<std::string>{"TEXT"}));
}

// A number against the keys: each key (untypedAtomic) is cast to xs:double, in document order,
// as the reference processor compares; "010" = 10 matches before the key "x" is reached, while
// 11 reaches "x", which is not a number (FORG0001: the assert cannot be evaluated).
TEST(DocumentFunctionTest, NumericValuesCompareAsDoublesWithTheSameErrors) {
    const std::string sch = schema(R"~(<pattern><rule context="n">
        <let name="v" value="xs:integer(.)"/>
        <assert id="NUM" test="document('codes.xml')/codedb/cl[@id=9]/enumeration[@value=$v]">n</assert>
      </rule></pattern>)~");
    EXPECT_EQ(fired(sch, "<r><n>10</n></r>", options_with()), std::vector<std::string>{});
    EXPECT_EQ(fired(sch, "<r><n>11</n></r>", options_with()), std::vector<std::string>{"RULE-EVAL"});
}

TEST(DocumentFunctionTest, UnsupportedUsesAreRefusedAtCompileTime) {
    const auto wrap = [](std::string_view test) {
        return R"~(<pattern><rule context="c"><let name="v" value="."/><assert id="X" test=")~" + std::string(test) +
               R"~(">x</assert></rule></pattern>)~";
    };
    EXPECT_EQ(compile_error(wrap("document('codes.xml')/codedb")), "compiled");
    EXPECT_EQ(compile_error(wrap("document('other.xml')/codedb")), "SCH-COMPILE");       // not registered
    EXPECT_EQ(compile_error(wrap("document($v)/codedb")), "SCH-COMPILE");                // not a literal
    EXPECT_EQ(compile_error(wrap("count(document('codes.xml')//cl) = 4")), "SCH-COMPILE");  // not a boolean use
    EXPECT_EQ(compile_error(wrap("document('codes.xml')//cl[@id = $v]/enumeration")), "SCH-COMPILE");  // inner
    EXPECT_EQ(compile_error(wrap("document('codes.xml')//enumeration[starts-with(@value, $v)]")), "SCH-COMPILE");
    EXPECT_EQ(compile_error(wrap("document('codes.xml')[1]")), "SCH-COMPILE");
    EXPECT_EQ(compile_error(R"~(<pattern><rule context="c"><let name="d" value="document('codes.xml')//cl"/>
        <assert id="X" test="$d">x</assert></rule></pattern>)~"),
              "SCH-COMPILE");
}

TEST(DocumentFunctionTest, AuxiliaryDocumentsAreCheckedWhenCompiled) {
    const std::string rules = R"~(<pattern><rule context="c"><assert id="X" test="true()">x</assert></rule></pattern>)~";
    EXPECT_EQ(compile_error(rules, options_with("<codedb><cl></codedb>")), "SCH-COMPILE");
    RuleSetOptions twice = options_with();
    twice.documents.push_back(AuxiliaryDocument{"codes.xml", kCodes});
    EXPECT_EQ(compile_error(rules, twice), "SCH-COMPILE");
    EXPECT_EQ(compile_error(R"~(<pattern><rule context="c"><assert id="X" test="document('codes.xml')">x</assert>
        </rule></pattern>)~",
                            RuleSetOptions{}),
              "SCH-COMPILE");  // no documents registered at all
}

TEST(DocumentFunctionTest, FlaglessReportsAndIdlessAssertsFollowTheOptions) {
    const std::string sch = schema(R"~(<pattern><rule context="c">
        <report test="@x">unused</report>
        <assert test="false()">no id</assert>
      </rule></pattern>)~");
    auto set = RuleSet::compile(sch, options_with());
    ASSERT_TRUE(set.has_value());
    auto doc = xml::parse("<r><c x='1'/></r>", xml::Limits{});
    ASSERT_TRUE(doc.has_value());
    const Evaluation plain = set->evaluate(doc->root());
    ASSERT_EQ(plain.findings.size(), 2U);
    EXPECT_EQ(plain.findings[0].severity, model::Severity::kFatal);
    EXPECT_EQ(plain.findings[0].rule, "");

    RuleSetOptions options = options_with();
    options.unflagged_report_severity = model::Severity::kWarning;
    options.unnamed_rule_id = "UNNAMED";
    auto tuned = RuleSet::compile(sch, options);
    ASSERT_TRUE(tuned.has_value());
    const Evaluation e = tuned->evaluate(doc->root());
    ASSERT_EQ(e.findings.size(), 2U);
    EXPECT_EQ(e.findings[0].rule, "UNNAMED");
    EXPECT_EQ(e.findings[0].severity, model::Severity::kWarning);
    EXPECT_EQ(e.findings[1].rule, "UNNAMED");
    EXPECT_EQ(e.findings[1].severity, model::Severity::kFatal);  // an unflagged assert stays fatal
}

}  // namespace
}  // namespace facteur::rules

namespace facteur::rules {
namespace {

// A rule context opening with a parenthesised union, as in EXTENDED-CTC-FR:
// `(/ubl:Invoice | /cn:CreditNote)/cac:BillingReference`, `(cac:InvoiceLine|cac:CreditNoteLine)/cac:Item`.
TEST(PatternTest, AUnionHeadingAPatternMatchesThroughEachAlternative) {
    const std::string sch = schema(R"~(<pattern>
      <rule context="(/inv | /cn)/ref"><assert id="ROOTED" test="false()">x</assert></rule>
      <rule context="(line | cnline)/item"><assert id="RELATIVE" test="false()">x</assert></rule>
      <rule context="(line | cnline)[@k]/price"><assert id="FILTERED" test="false()">x</assert></rule>
    </pattern>)~");
    RuleSetOptions options;
    options.layer = "t";
    options.version = "1";
    options.name = "t";
    EXPECT_EQ(fired(sch, "<inv><ref/><line><item/></line><cnline k='1'><item/><price/></cnline></inv>", options),
              (std::vector<std::string>{"ROOTED", "RELATIVE", "RELATIVE", "FILTERED"}));
    EXPECT_EQ(fired(sch, "<cn><ref/><line><price/></line></cn>", options), (std::vector<std::string>{"ROOTED"}));
    EXPECT_EQ(fired(sch, "<other><ref/><x><item/></x></other>", options), (std::vector<std::string>{}));
}

}  // namespace

/// Ids of the findings of `e`, in order.
std::vector<std::string> ids(const Evaluation& e) {
    std::vector<std::string> out;
    for (const model::Finding& f : e.findings) {
        out.push_back(f.rule + "@" + std::to_string(f.line));
    }
    return out;
}

TEST(SharedTreeTest, OneTreeServesTheRuleSetsCompiledBeforeItAndIsRebuiltForLaterOnes) {
    RuleSetOptions plain;
    plain.layer = plain.version = plain.name = "t";
    auto first = RuleSet::compile(schema(R"~(<pattern><rule context="shared_tree_a">
        <assert id="A-1" flag="fatal" test="shared_tree_x">x needed</assert></rule></pattern>)~"),
                                  plain);
    ASSERT_TRUE(first);
    const auto doc = xml::parse("<r>\n<shared_tree_a/>\n<shared_tree_a><shared_tree_x/></shared_tree_a>\n"
                                "<shared_tree_late/>\n</r>",
                                xml::Limits{});
    ASSERT_TRUE(doc);
    const xml::Tree tree = xml::Tree::build(doc->root(), RuleSet::shared_names());
    EXPECT_TRUE(first->runs_on(tree));
    EXPECT_EQ(ids(first->evaluate(tree)), ids(first->evaluate(doc->root())));
    EXPECT_EQ(ids(first->evaluate(tree)), std::vector<std::string>{"A-1@2"});
    // compiled after the tree: its name shared_tree_late has no id there
    auto later = RuleSet::compile(schema(R"~(<pattern><rule context="shared_tree_late">
        <assert id="L-1" flag="fatal" test="false()">late</assert></rule></pattern>)~"),
                                  plain);
    ASSERT_TRUE(later);
    EXPECT_FALSE(later->runs_on(tree));
    EXPECT_EQ(ids(later->evaluate(tree)), std::vector<std::string>{"L-1@4"});
    // a tree of another table is rebuilt too
    xml::NameTable own;
    const xml::Tree foreign = xml::Tree::build(doc->root(), own);
    EXPECT_FALSE(first->runs_on(foreign));
    EXPECT_EQ(ids(first->evaluate(foreign)), std::vector<std::string>{"A-1@2"});
    // one tree built now serves both
    const xml::Tree both = xml::Tree::build(doc->root(), RuleSet::shared_names());
    EXPECT_TRUE(first->runs_on(both) && later->runs_on(both));
    EXPECT_EQ(ids(later->evaluate(both)), std::vector<std::string>{"L-1@4"});
    EXPECT_EQ(ids(first->evaluate(both)), std::vector<std::string>{"A-1@2"});
}

}  // namespace facteur::rules
