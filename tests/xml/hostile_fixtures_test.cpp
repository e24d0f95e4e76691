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

struct HostileCase {
    std::string name;
    fs::path file;
    std::string expected;
};

std::vector<HostileCase> load_cases() {
    std::vector<HostileCase> out;
    for (const auto& entry : fs::directory_iterator(testing::fixtures_dir() / "xml" / "hostile")) {
        if (entry.path().extension() != ".xml") {
            continue;
        }
        fs::path expected = entry.path();
        expected.replace_extension(".expected");
        std::string id = testing::read(expected);
        while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) {
            id.pop_back();
        }
        out.push_back({entry.path().stem().string(), entry.path(), id});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

class HostileFixtureTest : public ::testing::TestWithParam<HostileCase> {};

TEST_P(HostileFixtureTest, IsRejectedWithItsId) {
    const HostileCase& c = GetParam();
    const std::string bytes = testing::read(c.file);
    const auto doc = parse(bytes, Limits{});
    ASSERT_FALSE(doc) << c.name << " was accepted";
    EXPECT_EQ(doc.error().id, c.expected) << c.name << ": " << doc.error().message;
    EXPECT_FALSE(doc.error().message.empty());
    EXPECT_FALSE(doc.error().message_fr.empty());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, HostileFixtureTest, ::testing::ValuesIn(load_cases()),
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
