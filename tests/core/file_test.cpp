#include <gtest/gtest.h>

#include "facteur/core/file.h"
#include "facteur/testing/testing.h"

namespace facteur::core {
namespace {

TEST(FileTest, ReadsAFileUpToTheLimit) {
    const testing::TempDir dir;
    const auto path = dir.write("a.xml", std::string(100, 'x'));
    const auto at_limit = read_file(path, 100);
    ASSERT_TRUE(at_limit);
    EXPECT_EQ(at_limit->size(), 100U);
    const auto over = read_file(path, 99);
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, Errc::kResourceExhausted);
    EXPECT_EQ(over.error().id, "IO-LIMIT-SIZE");
}

TEST(FileTest, MissingFileAndDirectoryAreDistinctErrors) {
    const testing::TempDir dir;
    const auto missing = read_file(dir.path() / "nope.xml", 10);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::kNotFound);
    EXPECT_EQ(missing.error().id, "IO-NOT-FOUND");
    const auto directory = read_file(dir.path(), 10);
    ASSERT_FALSE(directory);
    EXPECT_EQ(directory.error().id, "IO-NOT-FILE");
}

TEST(FileTest, ExpandPathsWalksDirectoriesSortedAndKeepsOtherPaths) {
    const testing::TempDir dir;
    dir.write("b/2.xml", "x");
    dir.write("b/1.xml", "x");
    dir.write("a.xml", "x");
    dir.write("b/c/0.xml", "x");
    const auto files = expand_paths({dir.path() / "b", dir.path() / "a.xml", dir.path() / "none"});
    ASSERT_TRUE(files);
    ASSERT_EQ(files->size(), 5U);
    EXPECT_EQ((*files)[0].filename(), "1.xml");
    EXPECT_EQ((*files)[1].filename(), "2.xml");
    EXPECT_EQ((*files)[2].filename(), "0.xml");
    EXPECT_EQ((*files)[3].filename(), "a.xml");
    EXPECT_EQ((*files)[4].filename(), "none");  // reported later by read_file as IO-NOT-FOUND
}

}  // namespace
}  // namespace facteur::core
