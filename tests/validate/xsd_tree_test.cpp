// The rule tree that XsdValidator::scan() builds from Xerces' pass must be the tree that
// xml::Tree::build() gives from libxml2's parse of the same bytes: every element, attribute,
// text, line and string value, over the conformance corpus and over hand-written edge cases.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/testing/testing.h"
#include "facteur/validate/schema_registry.h"
#include "facteur/validate/xsd_validator.h"
#include "facteur/xml/document.h"
#include "facteur/xml/limits.h"
#include "facteur/xml/tree.h"

namespace facteur::validate {
namespace {

SchemaRegistry& registry() {
    static SchemaRegistry instance(SchemaRegistryConfig{testing::schema_dir()});
    return instance;
}

/// The names the rule sets would know: a few of each syntax, so that both known and unknown
/// names are met.
const xml::NameTable& names() {
    static xml::NameTable t;
    static const bool filled = [] {
        const std::string cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
        const std::string cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
        const std::string ram = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
        (void)t.intern("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", "Invoice");
        for (const char* n : {"ID", "IssueDate", "Note", "LineExtensionAmount", "Percent", "Name"}) {
            (void)t.intern(cbc, n);
        }
        for (const char* n : {"InvoiceLine", "AccountingSupplierParty", "TaxCategory", "Item"}) {
            (void)t.intern(cac, n);
        }
        for (const char* n : {"ID", "IncludedSupplyChainTradeLineItem", "SellerTradeParty", "Name"}) {
            (void)t.intern(ram, n);
        }
        (void)t.intern("", "schemeID");
        (void)t.intern("", "currencyID");
        return true;
    }();
    (void)filled;
    return t;
}

std::optional<SchemaSet> schema_set_of(std::string_view bytes) {
    const std::size_t root = bytes.find_first_not_of(" \t\r\n", bytes.find("?>") + 2);
    const std::string_view head = bytes.substr(root == std::string_view::npos ? 0 : root, 600);
    if (head.find("urn:oasis:names:specification:ubl:schema:xsd:") != std::string_view::npos) {
        return SchemaSet::kUbl21;
    }
    if (head.find("urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100") != std::string_view::npos) {
        return SchemaSet::kCiiD16b;
    }
    return std::nullopt;
}

/// Scans `bytes` with a tree; true when the scan gave one, which then equals libxml2's.
bool same_as_libxml2(XsdValidator& validator, const std::string& bytes, SchemaSet set,
                     const std::string& what) {
    const auto scan = validator.scan(bytes, set, {}, &names());
    EXPECT_TRUE(scan) << what;
    if (!scan || !scan->tree) {
        return false;
    }
    auto doc = xml::parse(bytes, xml::Limits{});
    EXPECT_TRUE(doc) << what;
    if (!doc) {
        return false;
    }
    const xml::Tree expected = xml::Tree::build(doc->root(), names());
    EXPECT_EQ(expected.first_difference(*scan->tree), std::nullopt) << what;
    EXPECT_FALSE(scan->tree->root()) << what;
    return true;
}

TEST(XsdTreeTest, EveryCorpusDocumentWithATreeGivesLibxml2sTree) {
    // Schema-validity errors (13 % of the corpus) leave the reading as it is: those documents get
    // a tree too.
    XsdValidator validator(registry());
    std::size_t compared = 0;
    std::size_t with_findings = 0;
    std::size_t without = 0;
    for (const char* folder : {"examples", "mutations"}) {
        const std::filesystem::path root = testing::shared_dir() / "conformance" / folder;
        ASSERT_TRUE(std::filesystem::exists(root)) << root;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
            if (entry.path().extension() != ".xml") {
                continue;
            }
            const std::string bytes = testing::read(entry.path());
            const auto set = schema_set_of(bytes);
            if (!set) {
                continue;
            }
            if (same_as_libxml2(validator, bytes, *set, entry.path().string())) {
                ++compared;
                with_findings += validator.scan(bytes, *set, {})->findings.empty() ? 0 : 1;
            } else {
                ++without;
            }
            if (::testing::Test::HasFatalFailure()) {
                return;
            }
        }
    }
    std::printf("%zu passed, 0 failed (%zu of them with schema-validity findings; %zu documents "
                "without a tree)\n",
                compared, with_findings, without);
    EXPECT_GT(compared, 2000U);
    EXPECT_GT(with_findings, 200U);
}

TEST(XsdTreeTest, EdgeCasesGiveLibxml2sTree) {
    XsdValidator validator(registry());
    const std::string sample = testing::read(testing::fixtures_dir() / "samples" / "facture-ubl.xml");
    const auto with = [&](const std::string& from, const std::string& to) {
        std::string s = sample;
        const std::size_t at = s.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return at == std::string::npos ? s : s.replace(at, from.size(), to);
    };
    const std::string id = "<cbc:ID>2</cbc:ID>";
    const std::vector<std::pair<std::string, std::string>> cases = {
        // white space that Xerces' datatype normalisation would collapse: kept as written
        {"token white space", with(id, "<cbc:ID>  2\t\n 3  </cbc:ID>")},
        {"name white space", with("<cbc:Name>", "<cbc:Name>  Société\n  ")},
        {"attribute white space",
         with("currencyID=\"EUR\"", "currencyID=\" EUR\" ")},
        {"attribute tab and references", with("currencyID=\"EUR\"", "currencyID=\"E&#9;U&amp;R\t\"")},
        {"start tag over lines", with(id, "<cbc:ID\n\n>2</cbc:ID\n>")},
        {"attributes over lines", with("currencyID=\"EUR\"", "\ncurrencyID=\"EUR\"\n\n")},
        {"CDATA, comment, references",
         with(id, "<cbc:ID>a<![CDATA[ <b> ]]><!-- c -->&lt;&#x1F600;&#233;<?pi x?>z</cbc:ID>")},
        {"CRLF line ends", [&] {
             std::string s;
             for (const char c : sample) {
                 if (c == '\n') {
                     s += '\r';
                 }
                 s += c;
             }
             return s;
         }()},
        {"astral and accented characters", with(id, "<cbc:ID>Zoé 😀 ∑</cbc:ID>")},
        {"empty elements", with(id, "<cbc:ID/>")},
    };
    for (const auto& [what, bytes] : cases) {
        EXPECT_TRUE(same_as_libxml2(validator, bytes, SchemaSet::kUbl21, what)) << what << ": no tree";
    }
}

TEST(XsdTreeTest, ElementsTheGrammarsDoNotDeclareKeepTheirOwnNames) {
    // Inside ExtensionContent (a skipped wildcard) the elements have no declaration in the
    // grammars: Xerces makes its own, and their names must be right from one document to the
    // next, whatever names came before.
    XsdValidator validator(registry());
    const std::string sample = testing::read(testing::fixtures_dir() / "samples" / "facture-ubl.xml");
    const auto extended = [&](const std::string& content) {
        std::string s = sample;
        const std::string at = "<cbc:CustomizationID>";
        s.insert(s.find(at),
                 "<ext:UBLExtensions xmlns:ext=\"urn:oasis:names:specification:ubl:schema:xsd:"
                 "CommonExtensionComponents-2\"><ext:UBLExtension><ext:ExtensionContent>"
                     + content + "</ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>\n");
        return s;
    };
    const std::vector<std::string> contents = {
        "<f:A xmlns:f=\"urn:f\"><f:B x=\"1\">t</f:B><f:C/></f:A>",
        "<g:Q xmlns:g=\"urn:g\"><g:R y=\"2\" x=\"3\">u</g:R><g:S>v</g:S></g:Q>",
        "<f:A xmlns:f=\"urn:other\"><B>w</B></f:A>",
        "<cbc:ID xmlns:cbc=\"urn:not-cbc\">x</cbc:ID>",
    };
    for (int round = 0; round < 2; ++round) {
        for (const std::string& content : contents) {
            EXPECT_TRUE(same_as_libxml2(validator, extended(content), SchemaSet::kUbl21, content))
                << content << ": no tree";
        }
    }
}

TEST(XsdTreeTest, ATreeDespiteValidityErrorsNoneAfterOtherErrorsOrWithoutATable) {
    XsdValidator validator(registry());
    const std::string sample = testing::read(testing::fixtures_dir() / "samples" / "facture-ubl.xml");
    const auto plain = validator.scan(sample, SchemaSet::kUbl21, {});
    ASSERT_TRUE(plain);
    EXPECT_FALSE(plain->tree);
    // Schema-validity errors: an undeclared element, a value out of its type.
    std::string invalid = sample;
    invalid.replace(invalid.find("<cbc:ID>2</cbc:ID>"), 18, "<cbc:Bogus>2</cbc:Bogus>");
    invalid.replace(invalid.find("<cbc:IssueDate>"), 15, "<cbc:IssueDate>x");
    const auto scanned = validator.scan(invalid, SchemaSet::kUbl21, {}, &names());
    ASSERT_TRUE(scanned);
    EXPECT_GE(scanned->findings.size(), 2U);
    EXPECT_TRUE(scanned->validity_only);
    EXPECT_TRUE(same_as_libxml2(validator, invalid, SchemaSet::kUbl21, "validity errors"));
    // Character data the content model forbids: Xerces drops it, libxml2 keeps it, so no tree.
    std::string text = sample;
    text.insert(text.find("<cac:AccountingSupplierParty>"), "stray text");
    const auto dropped = validator.scan(text, SchemaSet::kUbl21, {}, &names());
    ASSERT_TRUE(dropped);
    EXPECT_FALSE(dropped->findings.empty());
    EXPECT_FALSE(dropped->validity_only);
    EXPECT_FALSE(dropped->tree);
    // An error that is not about validity (here an undeclared entity: not well-formed): no tree.
    std::string malformed = sample;
    malformed.replace(malformed.find("<cbc:ID>2</cbc:ID>"), 18, "<cbc:ID>&bogus;</cbc:ID>");
    const auto refused = validator.scan(malformed, SchemaSet::kUbl21, {}, &names());
    ASSERT_TRUE(refused);
    EXPECT_FALSE(refused->findings.empty());
    EXPECT_FALSE(refused->validity_only);
    EXPECT_FALSE(refused->tree);
    // A carriage return alone ends a line for Xerces, not for libxml2: no tree, whose lines
    // would differ from libxml2's after it (found by the fuzzer). CRLF is a line end for both.
    std::string lone_cr = sample;
    lone_cr.insert(lone_cr.find("<cac:Item>"), "\r");
    const auto cr = validator.scan(lone_cr, SchemaSet::kUbl21, {}, &names());
    ASSERT_TRUE(cr);
    EXPECT_TRUE(cr->findings.empty());
    EXPECT_FALSE(cr->tree);
    // The next document gets its own tree, nothing of the last one's.
    const auto again = validator.scan(sample, SchemaSet::kUbl21, {}, &names());
    ASSERT_TRUE(again && again->tree);
    EXPECT_TRUE(again->findings.empty());
    EXPECT_GT(again->tree->size(), 50U);
}

}  // namespace
}  // namespace facteur::validate
