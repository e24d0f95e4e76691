// The xml and xsd layers without the libxml2 tree (ValidationOptions::xsd_without_tree), and
// the rule layers on the tree Xerces' pass builds: every report equals the reference path's
// (libxml2's tree always built) but for the xml layer's version, and only clean documents are
// decided without libxml2.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/pipeline/document_validator.h"
#include "facteur/testing/testing.h"

namespace facteur::pipeline {
namespace {

validate::SchemaRegistry& registry() {
    static validate::SchemaRegistry instance(validate::SchemaRegistryConfig{testing::schema_dir()});
    return instance;
}

std::string sample(const std::string& name) {
    return testing::read(testing::fixtures_dir() / "samples" / name);
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
    const std::size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

std::string ubl_root_attribute(const std::string& attribute) {
    return replace(sample("facture-ubl.xml"), "<Invoice ", "<Invoice " + attribute + " ");
}

std::string ubl_profile(const std::string& text) {
    return replace(sample("facture-ubl.xml"), "<cbc:CustomizationID>urn:cen.eu:en16931:2017<",
                   "<cbc:CustomizationID>" + text + "<");
}

ValidationOptions options(std::vector<std::string> layers, bool without_tree) {
    ValidationOptions o;
    o.layers = std::move(layers);
    o.xsd_without_tree = without_tree;
    return o;
}

/// Validates `bytes` both ways and checks that the reports agree; returns the xml layer's
/// version in the report made with xsd_without_tree.
std::string compare(const std::string& bytes,
                    const std::vector<std::string>& layers = {"xml", "xsd"}) {
    DocumentValidator fast(registry(), options(layers, true));
    DocumentValidator reference(registry(), options(layers, false));
    const model::Report a = fast.validate(bytes, "doc.xml");
    const model::Report b = reference.validate(bytes, "doc.xml");
    EXPECT_EQ(a.file, b.file);
    EXPECT_EQ(a.syntax, b.syntax);
    EXPECT_EQ(a.profile, b.profile);
    EXPECT_EQ(a.from_pdf, b.from_pdf);
    EXPECT_EQ(a.valid(), b.valid());
    std::string xml_version;
    EXPECT_EQ(a.layers.size(), b.layers.size());
    for (std::size_t k = 0; k < std::min(a.layers.size(), b.layers.size()); ++k) {
        EXPECT_EQ(a.layers[k].name, b.layers[k].name);
        if (a.layers[k].name == "xml") {
            xml_version = a.layers[k].version;
            EXPECT_EQ(b.layers[k].version, "libxml2-" + xml::libxml2_version());
        } else {
            EXPECT_EQ(a.layers[k].version, b.layers[k].version);
        }
        EXPECT_EQ(a.layers[k].status, b.layers[k].status) << a.layers[k].name;
        EXPECT_EQ(a.layers[k].message, b.layers[k].message);
        EXPECT_EQ(a.layers[k].message_fr, b.layers[k].message_fr);
    }
    EXPECT_EQ(a.findings.size(), b.findings.size());
    for (std::size_t k = 0; k < std::min(a.findings.size(), b.findings.size()); ++k) {
        EXPECT_EQ(a.findings[k].rule, b.findings[k].rule);
        EXPECT_EQ(a.findings[k].severity, b.findings[k].severity);
        EXPECT_EQ(a.findings[k].layer, b.findings[k].layer);
        EXPECT_EQ(a.findings[k].location, b.findings[k].location);
        EXPECT_EQ(a.findings[k].line, b.findings[k].line);
        EXPECT_EQ(a.findings[k].message, b.findings[k].message);
        EXPECT_EQ(a.findings[k].message_fr, b.findings[k].message_fr);
    }
    EXPECT_EQ(a.mentions.size(), b.mentions.size());
    for (std::size_t k = 0; k < std::min(a.mentions.size(), b.mentions.size()); ++k) {
        EXPECT_EQ(a.mentions[k].id, b.mentions[k].id);
        EXPECT_EQ(a.mentions[k].status, b.mentions[k].status) << a.mentions[k].id;
        EXPECT_EQ(a.mentions[k].value, b.mentions[k].value) << a.mentions[k].id;
        EXPECT_EQ(a.mentions[k].message, b.mentions[k].message) << a.mentions[k].id;
    }
    return xml_version;
}

const std::string kXerces = "xerces-c-" + std::string(validate::xerces_version());
const std::string kLibxml2 = "libxml2-" + xml::libxml2_version();

struct Case {
    std::string name;
    std::string bytes;
    bool without_tree;  // expected to be decided by Xerces alone
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::vector<Case> cases() {
    const std::string ubl = sample("facture-ubl.xml");
    const std::string cii = sample("facture-cii.xml");
    const std::string long_name(60'000, 'p');
    return {
        // Clean documents: Xerces alone.
        {"ubl_sample", ubl, true},
        {"cii_sample", cii, true},
        {"utf8_bom", "\xEF\xBB\xBF" + ubl, true},
        {"no_xml_declaration", ubl.substr(ubl.find('\n') + 1), true},
        {"profile_spaced_around", ubl_profile("\n  urn:cen.eu:en16931:2017 \t"), true},
        {"cii_profile_spaced_around",
         replace(cii, "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>",
                 "<ram:ID>\n urn:cen.eu:en16931:2017 \n</ram:ID>"),
         true},
        // White space inside BT-24: Xerces' datatype normalisation is off, it comes as written.
        {"profile_inner_white_space", ubl_profile("urn:a \t b"), true},
        {"cii_profile_inner_white_space",
         replace(cii, "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>", "<ram:ID>urn:a \n\t b</ram:ID>"),
         true},
        // A BT-24 in pieces (a CDATA section, a comment, a reference): not vouched for.
        {"profile_in_pieces",
         ubl_profile("\n  urn:cen.eu:<![CDATA[en16931]]><!-- c -->:2017 &amp; x&#x20; \t"), false},
        {"cii_profile_in_pieces",
         replace(cii, "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>",
                 "<ram:ID> urn:a <![CDATA[ b ]]> c </ram:ID>"),
         false},
        {"schema_location_hint",
         ubl_root_attribute(
             "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
             "xsi:schemaLocation=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2 x.xsd\""),
         true},
        // A BT-24 that selects another schema set (EXTENDED-CTC-FR: D22B).
        {"cii_extended_profile",
         replace(cii, "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>",
                 "<ram:ID>urn:cen.eu:en16931:2017#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr</"
                 "ram:ID>"),
         false},
        // What libxml2 refuses and Xerces might not: the full path decides.
        {"namespace_uri_not_a_uri", ubl_root_attribute("xmlns:x=\"a b\""), false},
        {"namespace_uri_bad_port", ubl_root_attribute("xmlns:x=\"http://a:b/\""), false},
        {"empty_prefixed_namespace", ubl_root_attribute("xmlns:e=\"\""), false},
        {"xml_prefix_rebound", ubl_root_attribute("xmlns:xml=\"urn:x\""), false},
        {"xml_version_1_1", replace(ubl, "version=\"1.0\"", "version=\"1.1\""), false},
        {"long_prefix", ubl_root_attribute("xmlns:" + long_name + "=\"urn:x\""), false},
        {"long_pi_target", replace(ubl, "?>\n", "?>\n<?" + long_name + " x?>\n"), false},
        {"duplicate_expanded_attribute",
         ubl_root_attribute("xmlns:a=\"urn:x\" xmlns:b=\"urn:x\" a:z=\"1\" b:z=\"2\""), false},
        {"undeclared_entity", ubl_profile("&foo;"), false},
        {"control_character_reference", ubl_profile("&#1;"), false},
        {"noncharacter", ubl_profile("\xEF\xBF\xBF"), false},
        {"cdata_end_in_text", ubl_profile("a]]>b"), false},
        {"second_root", ubl + "<x/>", false},
        {"unbound_prefix",
         replace(ubl, "<cbc:ProfileID>S1</cbc:ProfileID>", "<zz:ProfileID>S1</zz:ProfileID>"),
         false},
        // Schema-validity errors leave the document well-formed and read as libxml2 reads it:
        // Xerces alone decides, and its findings are the xsd layer's.
        {"schema_violation",
         replace(ubl, "<cbc:ProfileID>S1</cbc:ProfileID>", "<cbc:Nope>S1</cbc:Nope>"), true},
        {"value_out_of_its_type",
         replace(ubl, "<cbc:IssueDate>", "<cbc:IssueDate>x"), true},
        // Character data where the content model allows elements only: Xerces reports it and
        // drops it, libxml2 keeps it (found by the tree fuzzer): the full way.
        {"text_in_element_only_content",
         replace(ubl, "<cbc:ProfileID>S1</cbc:ProfileID>", "<cbc:ProfileID>S1</cbc:ProfileID>x"),
         false},
        {"schema_violation_and_schema_location",
         replace(ubl_root_attribute(
                     "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                     "xsi:schemaLocation=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2 "
                     "x.xsd\""),
                 "<cbc:ProfileID>S1</cbc:ProfileID>", "<cbc:Nope>S1</cbc:Nope>"),
         true},
        {"doctype", "<!DOCTYPE Invoice>\n" + ubl.substr(ubl.find('\n') + 1), false},
        {"unknown_root", "<r/>", false},
        {"over_the_size_bound",
         replace(ubl, "<cbc:Note>#AAB#", "<cbc:Note>#AAB#" + std::string(1 << 20, 'x')), false},
    };
}

class XsdWithoutTreeTest : public ::testing::TestWithParam<Case> {};

TEST_P(XsdWithoutTreeTest, SameReportAndXmlVersionNamesTheDecidingParser) {
    const Case& c = GetParam();
    EXPECT_EQ(compare(c.bytes), c.without_tree ? kXerces : kLibxml2);
    EXPECT_EQ(compare(c.bytes, {"xsd"}), c.without_tree ? kXerces : kLibxml2);
    // The rule layers on the tree of Xerces' pass: the same findings, lines and paths.
    EXPECT_EQ(compare(c.bytes, {"xml", "xsd", "en16931"}), c.without_tree ? kXerces : kLibxml2);
    EXPECT_EQ(compare(c.bytes, {"xsd", "en16931", "fr", "extended-ctc-fr", "cdar"}),
              c.without_tree ? kXerces : kLibxml2);
    // Every layer: the legal mentions read the model from the same tree.
    EXPECT_EQ(compare(c.bytes, {}), c.without_tree ? kXerces : kLibxml2);
    EXPECT_EQ(compare(c.bytes, {"xsd", "mentions"}), c.without_tree ? kXerces : kLibxml2);
}

INSTANTIATE_TEST_SUITE_P(Documents, XsdWithoutTreeTest, ::testing::ValuesIn(cases()),
                         [](const auto& test_info) { return test_info.param.name; });

TEST(XsdWithoutTreeHostileTest, EveryHostileFixtureGoesTheFullWay) {
    for (const testing::HostileFixture& f : testing::hostile_fixtures()) {
        const std::string bytes = testing::read(f.file);
        EXPECT_EQ(compare(bytes), kLibxml2) << f.name;
        EXPECT_EQ(compare(bytes, {}), kLibxml2) << f.name;  // with the tree for every layer
    }
}

TEST(XsdWithoutTreeTest, FacturxPdfsReadTheTreeOfXercesPass) {
    // The container layer reads BT-24 from the tree of Xerces' pass, which the rule layers then
    // use: the same reports as with libxml2's parse, for every PDF of the Factur-X corpus.
    std::vector<std::filesystem::path> pdfs;
    for (const auto& e : std::filesystem::recursive_directory_iterator(
             testing::shared_dir() / "conformance" / "facturx" / "corpus")) {
        if (e.is_regular_file() && e.path().extension() == ".pdf") {
            pdfs.push_back(e.path());
        }
    }
    std::sort(pdfs.begin(), pdfs.end());
    ASSERT_GT(pdfs.size(), 50U);
    std::size_t by_xerces = 0;
    for (const std::filesystem::path& pdf : pdfs) {
        SCOPED_TRACE(pdf.string());
        const std::string bytes = testing::read(pdf);
        // (A document may go the full way when a rule set it needs is compiled for it.)
        by_xerces += compare(bytes, {}) == kXerces ? 1 : 0;
        compare(bytes, {"facturx-pdf", "xml", "xsd", "en16931"});
        EXPECT_EQ(compare(bytes, {"facturx-pdf", "facturx"}), kLibxml2);  // no xsd: no pass
    }
    std::cout << by_xerces << " of " << pdfs.size() << " PDFs read without libxml2\n";
    EXPECT_GT(by_xerces, pdfs.size() / 2);
}

TEST(XsdWithoutTreeTest, ReadsTheProfileAsTheTreeDoes) {
    DocumentValidator validator(registry(), options({"xsd"}, true));
    const model::Report ubl = validator.validate(ubl_profile("\n urn:a:b \n"), "u");
    EXPECT_EQ(ubl.layers.at(0).version, kXerces);
    EXPECT_EQ(ubl.profile, "urn:a:b");
    const model::Report pieces =
        validator.validate(ubl_profile("\n urn:a<![CDATA[:b]]>&amp;c \n"), "u");
    EXPECT_EQ(pieces.layers.at(0).version, kLibxml2);
    EXPECT_EQ(pieces.profile, "urn:a:b&c");
    const model::Report cii = validator.validate(sample("facture-cii.xml"), "c");
    EXPECT_EQ(cii.syntax, model::Syntax::kCii);
    EXPECT_EQ(cii.profile, "urn:cen.eu:en16931:2017");
    EXPECT_EQ(cii.layers.at(1).version, "cii-d16b");
}

TEST(XsdWithoutTreeTest, ACarriageReturnAloneGoesTheFullWayForTheRules) {
    // Xerces counts a lone CR as a line end, libxml2 does not: the rules and the mentions, which
    // report lines, read libxml2's tree; the xml and xsd layers alone report none.
    std::string ubl = sample("facture-ubl.xml");
    ubl.insert(ubl.find("<cac:Item>"), "\r");
    EXPECT_EQ(compare(ubl, {}), kLibxml2);
    EXPECT_EQ(compare(ubl, {"xml", "xsd", "en16931"}), kLibxml2);
    EXPECT_EQ(compare(ubl, {"xml", "xsd"}), kXerces);
}

TEST(XsdWithoutTreeTest, NoXsdOrTheOptionOffKeepLibxml2) {
    const std::string ubl = sample("facture-ubl.xml");
    const auto xml_version = [&](std::vector<std::string> layers, bool without_tree) {
        return DocumentValidator(registry(), options(std::move(layers), without_tree))
            .validate(ubl, "u")
            .layers.at(0)
            .version;
    };
    EXPECT_EQ(xml_version({}, true), kXerces);
    EXPECT_EQ(xml_version({"xsd", "mentions"}, true), kXerces);
    EXPECT_EQ(xml_version({"en16931", "fr", "mentions"}, true), kLibxml2);
    EXPECT_EQ(xml_version({"xml"}, true), kLibxml2);
    EXPECT_EQ(xml_version({}, false), kLibxml2);
    EXPECT_EQ(xml_version({"xsd", "fr"}, false), kLibxml2);
}

}  // namespace
}  // namespace facteur::pipeline
