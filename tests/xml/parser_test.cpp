#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/xml/document.h"

namespace facteur::xml {
namespace {

TEST(ParserTest, BuildsTreeWithNamespacesTextAndLines) {
    const auto doc = parse(
        "<?xml version=\"1.0\"?>\n<r xmlns=\"urn:r\" xmlns:b=\"urn:b\">\n  <b:x id=\"7\">a &amp; "
        "b<![CDATA[ <c> ]]></b:x>\n  <y/>\n</r>\n",
        Limits{});
    ASSERT_TRUE(doc) << doc.error().message;
    const Node root = doc->root();
    EXPECT_EQ(root.local_name(), "r");
    EXPECT_EQ(root.namespace_uri(), "urn:r");
    const Node x = root.child("urn:b", "x");
    ASSERT_TRUE(x);
    EXPECT_EQ(x.text(), "a & b <c> ");
    EXPECT_EQ(x.attribute("id"), "7");
    EXPECT_EQ(x.line(), 3U);
    EXPECT_EQ(x.next_sibling().local_name(), "y");
    EXPECT_FALSE(x.next_sibling().next_sibling());
    EXPECT_FALSE(root.child("urn:r", "missing"));
    EXPECT_EQ(Node{}.text(), "");
}

TEST(ParserTest, NotWellFormedGivesMalformedWithLine) {
    const auto doc = parse("<r>\n<a>\n</r>", Limits{});
    ASSERT_FALSE(doc);
    EXPECT_EQ(doc.error().id, "XML-MALFORMED");
    EXPECT_GE(doc.error().line, 2U);
}

TEST(ParserTest, Libxml2CatchesWhatThePrescanLeaves) {
    const auto dup = parse("<r a=\"1\" a=\"2\"/>", Limits{});
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().id, "XML-MALFORMED");
    const auto unbound = parse("<p:r/>", Limits{});
    ASSERT_FALSE(unbound);
    EXPECT_EQ(unbound.error().id, "XML-MALFORMED");
}

TEST(ParserTest, UndeclaredEntityIsAnEntityError) {
    const auto doc = parse("<r>&nope;</r>", Limits{});
    ASSERT_FALSE(doc);
    EXPECT_EQ(doc.error().id, "XML-ENTITY");
}

TEST(ParserTest, PredefinedAndCharacterReferencesAreFine) {
    const auto doc = parse("<r>&lt;&#233;&#x41;</r>", Limits{});
    ASSERT_TRUE(doc);
    EXPECT_EQ(doc->root().text(), "<\xC3\xA9" "A");
}

TEST(ParserTest, ParsesConcurrentlyFromManyThreads) {
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int k = 0; k < 200; ++k) {
                if (parse("<r><a>1</a><b>2</b></r>", Limits{})) {
                    ++ok;
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(ok.load(), 800);
}

}  // namespace
}  // namespace facteur::xml
