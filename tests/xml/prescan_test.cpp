// Every limit at the limit and one over (house style §1.8), through xml::parse so that the
// document at the limit is also accepted by libxml2.
#include <gtest/gtest.h>

#include <string>

#include "facteur/xml/document.h"
#include "facteur/xml/prescan.h"

namespace facteur::xml {
namespace {

std::string error_id(std::string_view bytes, const Limits& limits) {
    const auto r = parse(bytes, limits);
    return r ? "OK" : r.error().id;
}

std::string nested(std::uint32_t depth) {
    std::string s;
    for (std::uint32_t k = 0; k < depth; ++k) {
        s += "<e>";
    }
    for (std::uint32_t k = 0; k < depth; ++k) {
        s += "</e>";
    }
    return s;
}

std::string with_attributes(std::uint32_t count) {
    std::string s = "<r";
    for (std::uint32_t k = 0; k < count; ++k) {
        s += " a" + std::to_string(k) + "=\"v\"";
    }
    return s + "/>";
}

TEST(PrescanTest, DocumentSizeAtLimitPassesAndOneByteOverFails) {
    const std::string doc = "<r>" + std::string(93, 'x') + "</r>";
    ASSERT_EQ(doc.size(), 100U);
    Limits limits;
    limits.document_bytes_max = 100;
    EXPECT_EQ(error_id(doc, limits), "OK");
    limits.document_bytes_max = 99;
    EXPECT_EQ(error_id(doc, limits), "XML-LIMIT-SIZE");
}

TEST(PrescanTest, DepthAtLimitPassesAndOneLevelOverFails) {
    Limits limits;
    limits.depth_max = 10;
    EXPECT_EQ(error_id(nested(10), limits), "OK");
    EXPECT_EQ(error_id(nested(11), limits), "XML-LIMIT-DEPTH");
}

TEST(PrescanTest, DefaultDepthLimitBitesBeforeLibxml2Cap) {
    const Limits limits;
    EXPECT_EQ(error_id(nested(limits.depth_max), limits), "OK");
    EXPECT_EQ(error_id(nested(limits.depth_max + 1), limits), "XML-LIMIT-DEPTH");
}

TEST(PrescanTest, AttributesAtLimitPassAndOneOverFails) {
    Limits limits;
    limits.attributes_per_element_max = 20;
    EXPECT_EQ(error_id(with_attributes(20), limits), "OK");
    EXPECT_EQ(error_id(with_attributes(21), limits), "XML-LIMIT-ATTRIBUTES");
}

TEST(PrescanTest, TextAtLimitPassesAndOneByteOverFails) {
    Limits limits;
    limits.text_bytes_max = 50;
    EXPECT_EQ(error_id("<r>" + std::string(50, 't') + "</r>", limits), "OK");
    EXPECT_EQ(error_id("<r>" + std::string(51, 't') + "</r>", limits), "XML-LIMIT-TEXT");
}

TEST(PrescanTest, TextLimitCountsCdataWithAdjacentText) {
    Limits limits;
    limits.text_bytes_max = 50;
    EXPECT_EQ(error_id("<r>" + std::string(25, 't') + "<![CDATA[" + std::string(25, 'c') + "]]></r>", limits), "OK");
    EXPECT_EQ(error_id("<r>" + std::string(26, 't') + "<![CDATA[" + std::string(25, 'c') + "]]></r>", limits),
              "XML-LIMIT-TEXT");
}

TEST(PrescanTest, TextLimitAppliesToAttributeValuesAndComments) {
    Limits limits;
    limits.text_bytes_max = 50;
    EXPECT_EQ(error_id("<r a=\"" + std::string(50, 'v') + "\"/>", limits), "OK");
    EXPECT_EQ(error_id("<r a=\"" + std::string(51, 'v') + "\"/>", limits), "XML-LIMIT-TEXT");
    EXPECT_EQ(error_id("<r><!--" + std::string(80, 'c') + "--></r>", limits), "XML-LIMIT-TEXT");
}

TEST(PrescanTest, NodesAtLimitPassAndOneOverFails) {
    Limits limits;
    limits.nodes_max = 4;  // <r a="1"><c/>text</r>: r, a, c, text
    EXPECT_EQ(error_id("<r a=\"1\"><c/>text</r>", limits), "OK");
    EXPECT_EQ(error_id("<r a=\"1\"><c/>text<d/></r>", limits), "XML-LIMIT-NODES");
}

TEST(PrescanTest, ReportsRootNamespaceFromPrefixedRoot) {
    const auto info = prescan(
        "<?xml version=\"1.0\"?><!-- c --><rsm:X xmlns:a=\"urn:a\" xmlns:rsm=\"urn:rsm\" "
        "xsi:schemaLocation=\"urn:rsm x.xsd\"><a:y/></rsm:X>",
        Limits{});
    ASSERT_TRUE(info);
    EXPECT_EQ(info->root_local_name, "X");
    EXPECT_EQ(info->root_prefix, "rsm");
    EXPECT_EQ(info->root_namespace, "urn:rsm");
    EXPECT_EQ(info->schema_location, "urn:rsm x.xsd");
    EXPECT_EQ(info->depth_max_seen, 2U);
}

TEST(PrescanTest, AcceptsUtf8ByteOrderMarkAndReportsItsOffset) {
    const auto info = prescan("\xEF\xBB\xBF<r xmlns=\"urn:x\"/>", Limits{});
    ASSERT_TRUE(info);
    EXPECT_EQ(info->body_offset, 3U);
    EXPECT_EQ(info->root_namespace, "urn:x");
}

TEST(PrescanTest, DoctypeIsRejectedWithItsLine) {
    const auto r = prescan("<?xml version=\"1.0\"?>\n\n<!DOCTYPE r>\n<r/>", Limits{});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().id, "XML-DOCTYPE");
    EXPECT_EQ(r.error().line, 3U);
    EXPECT_FALSE(r.error().message_fr.empty());
}

TEST(PrescanTest, MarkupInsideCommentsAndCdataIsNotMistakenForTags) {
    EXPECT_EQ(error_id("<r><!-- <!DOCTYPE x> <a> --><![CDATA[<b></c>]]></r>", Limits{}), "OK");
}

TEST(PrescanTest, GreaterThanInsideAttributeValueIsFine) {
    EXPECT_EQ(error_id("<r a=\"x>y\" b='1'/>", Limits{}), "OK");
}

TEST(PrescanTest, AcceptsDeclaredUsAsciiAndLowerCaseUtf8) {
    EXPECT_EQ(error_id("<?xml version=\"1.0\" encoding=\"utf-8\"?><r/>", Limits{}), "OK");
    EXPECT_EQ(error_id("<?xml version=\"1.0\" encoding='US-ASCII'?><r/>", Limits{}), "OK");
}

TEST(PrescanTest, WhitespaceOnlyIsEmpty) {
    EXPECT_EQ(error_id("  \n\t ", Limits{}), "XML-EMPTY");
    EXPECT_EQ(error_id("\xEF\xBB\xBF", Limits{}), "XML-EMPTY");
}

TEST(PrescanTest, TextWithoutRootIsMalformed) {
    EXPECT_EQ(error_id("hello", Limits{}), "XML-MALFORMED");
}

}  // namespace
}  // namespace facteur::xml

namespace facteur::xml {
namespace {

TEST(PrescanTest, EmptyElementsCountTowardsDepth) {
    Limits limits;
    limits.depth_max = 3;
    EXPECT_EQ(error_id("<a><b><c/></b></a>", limits), "OK");
    EXPECT_EQ(error_id("<a><b><c><d/></c></b></a>", limits), "XML-LIMIT-DEPTH");
}

}  // namespace
}  // namespace facteur::xml
