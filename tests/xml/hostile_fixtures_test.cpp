// fixtures/xml/hostile: each attack rejected with its own id. The large cases are generated here
// rather than committed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "facteur/testing/testing.h"
#include "facteur/xml/document.h"

namespace facteur::xml {
namespace {

namespace fs = std::filesystem;

class HostileFixtureTest : public ::testing::TestWithParam<testing::HostileFixture> {};

TEST_P(HostileFixtureTest, IsRejectedWithItsId) {
    const testing::HostileFixture& c = GetParam();
    const std::string bytes = testing::read(c.file);
    const auto doc = parse(bytes, Limits{});
    ASSERT_FALSE(doc) << c.name << " was accepted";
    EXPECT_EQ(doc.error().id, c.expected_id) << c.name << ": " << doc.error().message;
    EXPECT_FALSE(doc.error().message.empty());
    EXPECT_FALSE(doc.error().message_fr.empty());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, HostileFixtureTest, ::testing::ValuesIn(testing::hostile_fixtures()),
                         [](const auto& test_info) { return test_info.param.name; });

TEST(HostileGeneratedTest, HundredThousandDeepNestingIsADepthError) {
    std::string doc;
    for (int k = 0; k < 100'000; ++k) {
        doc += "<a>";
    }
    for (int k = 0; k < 100'000; ++k) {
        doc += "</a>";
    }
    const auto r = parse(doc, Limits{});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().id, "XML-LIMIT-DEPTH");
}

TEST(HostileGeneratedTest, FiftyMegabyteTextNodeIsATextError) {
    const std::string doc = "<r>" + std::string(50'000'000, 'x') + "</r>";
    const auto r = parse(doc, Limits{});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().id, "XML-LIMIT-TEXT");
}

TEST(HostileGeneratedTest, MillionAttributesIsAnAttributeError) {
    std::string doc = "<r";
    doc.reserve(16'000'000);
    for (int k = 0; k < 1'000'000; ++k) {
        doc += " a" + std::to_string(k) + "=\"1\"";
    }
    doc += "/>";
    const auto r = parse(doc, Limits{});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().id, "XML-LIMIT-ATTRIBUTES");
}

TEST(HostileGeneratedTest, ManySmallElementsHitTheNodeLimit) {
    Limits limits;
    limits.nodes_max = 100'000;
    std::string doc = "<r>";
    for (int k = 0; k < 100'000; ++k) {
        doc += "<a/>";
    }
    doc += "</r>";
    const auto r = parse(doc, limits);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().id, "XML-LIMIT-NODES");
}

}  // namespace
}  // namespace facteur::xml
