#include <sys/stat.h>

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

TEST(FileTest, ReadsEveryByteOfFilesOfManySizesAndRefusesAFifoWithoutBlocking) {
    const testing::TempDir dir;
    for (const std::size_t size : {0U, 1U, 4095U, 4096U, 65537U, 300000U}) {
        std::string content(size, '\0');
        for (std::size_t i = 0; i < size; ++i) {
            content[i] = static_cast<char>((i * 131) % 251);
        }
        const auto path = dir.write("f" + std::to_string(size), content);
        const auto read = read_file(path, 1U << 20);
        ASSERT_TRUE(read) << size;
        EXPECT_EQ(*read, content) << size;
    }
    const auto fifo = dir.path() / "fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const auto refused = read_file(fifo, 10);  // would block forever if it were opened for reading
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().id, "IO-NOT-FILE");
    const auto under_a_file = read_file(dir.path() / "f1" / "x.xml", 10);
    ASSERT_FALSE(under_a_file);
    EXPECT_EQ(under_a_file.error().id, "IO-NOT-FOUND");
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
