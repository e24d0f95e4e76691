// ReadOptions::paths: read without spelling paths, every value keeps its element's tree index,
// from which xml::Tree::path() spells exactly the path the eager reading gives; nothing else in
// the model changes.

#include <cstddef>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/formats/cii/cii_reader.h"
#include "facteur/formats/ubl/ubl_reader.h"
#include "facteur/model/invoice.h"
#include "facteur/xml/tree.h"

#include "example_files.h"

namespace facteur::formats {
namespace {

namespace ex = testing::examples;

core::Result<model::Invoice> read(const std::string& file, const xml::Tree& tree,
                                  const binding::ReadOptions& options) {
    return file.starts_with("cii/") ? cii::read_cii(tree, options) : ubl::read_ubl(tree, options);
}

TEST(BindingPathsTest, PathsLeftOutAreSpeltFromTheTreeIndexAsTheyWereRead) {
    std::vector<std::string> files = ex::files_in("ubl");
    for (const std::string& f : ex::files_in("cii")) {
        files.push_back(f);
    }
    ASSERT_FALSE(files.empty());
    std::size_t spelt = 0;
    for (const std::string& file : files) {
        SCOPED_TRACE(file);
        const auto doc = ex::parse(ex::text_of(file));
        ASSERT_TRUE(doc);
        const xml::Tree tree = binding::tree_of(*doc);
        const auto eager = read(file, tree, {.unmapped = false, .paths = true});
        const auto lazy = read(file, tree, {.unmapped = false, .paths = false});
        ASSERT_TRUE(eager);
        ASSERT_TRUE(lazy);
        const std::vector<model::FlatValue> a = model::flatten(*eager);
        const std::vector<model::FlatValue> b = model::flatten(*lazy);
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t k = 0; k < a.size(); ++k) {
            EXPECT_EQ(a[k].term, b[k].term);
            EXPECT_EQ(a[k].occurrence, b[k].occurrence);
            EXPECT_EQ(a[k].value, b[k].value);
            ASSERT_EQ(a[k].source == nullptr, b[k].source == nullptr);
            if (a[k].source == nullptr) {
                continue;
            }
            const model::Source& on = *a[k].source;
            const model::Source& off = *b[k].source;
            EXPECT_EQ(on.line, off.line) << a[k].term;
            EXPECT_EQ(on.node, off.node) << a[k].term;
            ASSERT_NE(on.node, 0U) << a[k].term << " read from the tree keeps its element";
            if (on.path.find("/@") != std::string::npos) {
                EXPECT_EQ(off.path, on.path) << "an attribute's path is always spelt";
                continue;
            }
            EXPECT_TRUE(off.path.empty()) << a[k].term << ": " << off.path;
            EXPECT_EQ(tree.path(off.node), on.path) << a[k].term;
            ++spelt;
        }
        EXPECT_EQ(eager->problems.size(), lazy->problems.size());
        for (std::size_t k = 0; k < std::min(eager->problems.size(), lazy->problems.size()); ++k) {
            EXPECT_EQ(eager->problems[k].path, lazy->problems[k].path) << "problems keep paths";
        }
    }
    EXPECT_GT(spelt, 3'000U);
}

}  // namespace
}  // namespace facteur::formats
