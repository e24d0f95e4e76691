#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/xml/document.h"
#include "facteur/xml/namespaces.h"
#include "facteur/xml/tree.h"

namespace facteur::xml {
namespace {

TEST(NameTableTest, ThreadsInterningAndFindingAtOnceAgreeOnEveryId) {
    NameTable names;
    constexpr int kNames = 4000;
    const auto name = [](int i) { return "n" + std::to_string(i % kNames); };
    std::vector<std::vector<NameId>> seen(2, std::vector<NameId>(kNames, kNameUnknown));
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
        threads.emplace_back([&, t] {
            // both threads intern every name, in opposite orders, and read back as they go
            for (int k = 0; k < kNames; ++k) {
                const int i = t == 0 ? k : kNames - 1 - k;
                seen[t][i] = names.intern("urn:t", name(i));
                EXPECT_EQ(names.find("urn:t", name(i)), seen[t][i]);
                EXPECT_GE(names.size(), static_cast<std::size_t>(seen[t][i]));
            }
        });
    }
    for (std::thread& th : threads) {
        th.join();
    }
    EXPECT_EQ(names.size(), static_cast<std::size_t>(kNames));
    std::vector<bool> used(kNames + 1, false);
    for (int i = 0; i < kNames; ++i) {
        ASSERT_EQ(seen[0][i], seen[1][i]) << i;
        ASSERT_GE(seen[0][i], 1U);
        ASSERT_LE(seen[0][i], static_cast<NameId>(kNames));
        EXPECT_FALSE(used[seen[0][i]]) << "id given twice";
        used[seen[0][i]] = true;
    }
}

TEST(TreeTest, RemembersItsTableAndTheNamesItKnew) {
    NameTable names;
    const NameId r = names.intern("", "r");
    const auto doc = parse("<r><late/></r>", Limits{});
    ASSERT_TRUE(doc);
    const Tree tree = Tree::build(doc->root(), names);
    EXPECT_EQ(tree.names(), &names);
    EXPECT_EQ(tree.names_known(), 1U);
    EXPECT_EQ(tree.root().raw(), doc->root().raw());
    EXPECT_EQ(tree.element(1).name, r);
    EXPECT_EQ(tree.element(2).name, kNameUnknown);
    names.intern("", "late");  // after the build: this tree does not have it
    EXPECT_EQ(Tree::build(doc->root(), names).element(2).name, names.find("", "late"));
}

TEST(TreeTest, ChildrenNamedGivesEachNamesChildrenInDocumentOrder) {
    // Parents with 0 to 40 children named b..g in a scattered order (a name absent, once or
    // many times), and `a` never used: the search meets a name before, between and after the
    // others, and the unknown id 0 and an id past every name.
    NameTable names;
    const std::vector<std::string> kNames = {"a", "b", "c", "d", "e", "f", "g"};
    for (const std::string& n : kNames) {
        names.intern("", n);
    }
    std::string xml = "<r>";
    for (int count = 0; count <= 40; ++count) {
        xml += "<p>";
        for (int i = 0; i < count; ++i) {
            xml += "<" + kNames[static_cast<std::size_t>((i * 7 + count) / 3) % 6 + 1] + "/>";
        }
        xml += "</p>";
    }
    xml += "</r>";
    const auto doc = parse(xml, Limits{});
    ASSERT_TRUE(doc);
    const Tree tree = Tree::build(doc->root(), names);
    std::size_t parents = 0;
    for (std::uint32_t p = tree.element(1).first_child; p != 0; p = tree.element(p).next_sibling) {
        ++parents;
        for (NameId name = 0; name <= names.size() + 1; ++name) {  // unknown, each name, past all
            std::vector<std::uint32_t> expected;
            for (std::uint32_t c = tree.element(p).first_child; c != 0;
                 c = tree.element(c).next_sibling) {
                if (tree.element(c).name == name) {
                    expected.push_back(c);
                }
            }
            std::vector<std::uint32_t> got;
            for (const auto& [n, c] : tree.children_named(p, name)) {
                EXPECT_EQ(n, name);
                got.push_back(c);
            }
            EXPECT_EQ(got, expected) << "parent " << parents << ", name " << name;
        }
    }
    EXPECT_EQ(parents, 41U);
}

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

// The prescan accepts UTF-8 documents only, declared UTF-8 (any case), US-ASCII or not at all;
// each is read as UTF-8, with or without a byte order mark, whatever the declaration says.
TEST(ParserTest, ReadsEveryAcceptedDocumentAsUtf8) {
    const std::string text = "caf\xC3\xA9 \xE2\x82\xAC";  // café €
    for (const std::string& prolog : {std::string(), std::string("<?xml version=\"1.0\"?>"),
                                     std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
                                     std::string("<?xml version='1.0' encoding='utf-8'?>"),
                                     std::string("<?xml version=\"1.0\" encoding=\"US-ASCII\"?>"),
                                     std::string("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>")}) {
        const auto doc = parse(prolog + "<r a=\"" + text + "\">" + text + "</r>", Limits{});
        ASSERT_TRUE(doc.has_value()) << prolog << ": " << doc.error().message;
        EXPECT_EQ(doc->root().text(), text) << prolog;
        EXPECT_EQ(doc->root().attribute("a"), text) << prolog;
    }
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

TEST(ParserTest, PlainNamespaceDeclarationsAreThoseLibxml2Accepts) {
    EXPECT_TRUE(
        plain_namespace_declaration("", "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"));
    EXPECT_TRUE(plain_namespace_declaration("xsi", "http://www.w3.org/2001/XMLSchema-instance"));
    EXPECT_TRUE(plain_namespace_declaration("r", "relative/path"));
    EXPECT_FALSE(plain_namespace_declaration("x", "a b"));
    EXPECT_FALSE(plain_namespace_declaration("x", ""));
    EXPECT_FALSE(plain_namespace_declaration("", ""));
    EXPECT_FALSE(plain_namespace_declaration("xml", "http://www.w3.org/XML/1998/namespace"));
    EXPECT_FALSE(plain_namespace_declaration("x", "http://www.w3.org/XML/1998/namespace"));
    EXPECT_FALSE(plain_namespace_declaration("xmlns", "urn:x"));
    EXPECT_FALSE(plain_namespace_declaration("x", "http://www.w3.org/2000/xmlns/"));
    // Whatever this says false to, parse() must refuse or plain_namespace_declaration must be
    // merely conservative: a declaration it accepts never makes parse() fail.
    for (const char* uri : {"urn:x", "http://a.example/b?c#d", "relative/path", "urn:a:b:c"}) {
        ASSERT_TRUE(plain_namespace_declaration("p", uri)) << uri;
        EXPECT_TRUE(parse(std::string("<r xmlns:p=\"") + uri + "\"/>", Limits{})) << uri;
    }
    EXPECT_FALSE(parse("<r xmlns:p=\"a b\"/>", Limits{}));
}

}  // namespace
}  // namespace facteur::xml
