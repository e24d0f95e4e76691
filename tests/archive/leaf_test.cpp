#include "facteur/archive/leaf.h"

#include <string>

#include <gtest/gtest.h>

namespace facteur::archive {
namespace {

LeafRecord sample() {
    LeafRecord record;
    record.index = 41;
    record.id = "3f1c2b0e9d8a7c6b5a4f3e2d1c0b9a88";
    record.deposited_at_unix_ms = 1795463885813;
    record.size_bytes = 20480;
    record.content_sha256.fill(0xab);
    record.metadata_sha256.fill(0x01);
    return record;
}

TEST(LeafTest, EncodesTheDocumentedCanonicalText) {
    const std::string entry = encode_leaf(sample()).value();
    EXPECT_EQ(entry,
              "facteur/archive/leaf/v1\n"
              "index 41\n"
              "id 3f1c2b0e9d8a7c6b5a4f3e2d1c0b9a88\n"
              "deposited-ms 1795463885813\n"
              "size 20480\n"
              "sha256 abababababababababababababababababababababababababababababababab\n"
              "metadata-sha256 0101010101010101010101010101010101010101010101010101010101010101\n");
    EXPECT_EQ(parse_leaf(entry).value(), sample());
}

TEST(LeafTest, ParseRejectsEveryNonCanonicalVariant) {
    const std::string entry = encode_leaf(sample()).value();
    const auto replaced = [&](std::string_view from, std::string_view to) {
        std::string text = entry;
        text.replace(text.find(from), from.size(), to);
        return text;
    };
    for (const std::string& bad :
         {replaced("index 41", "index 041"), replaced("index 41", "index +41"),
          replaced("size 20480", "size  20480"), replaced("id 3f1c", "id 3F1C"),
          replaced("sha256 abab", "sha256 ABAB"), replaced("deposited-ms", "deposited"),
          entry.substr(0, entry.size() - 1), entry + "extra\n",
          replaced("index 41", "index 99999999999999999999")}) {
        const auto parsed = parse_leaf(bad);
        EXPECT_FALSE(parsed) << bad;
        if (!parsed) {
            EXPECT_EQ(parsed.error().code, core::Errc::kInvalidInput) << bad;
        }
    }
    EXPECT_EQ(parse_leaf(replaced("leaf/v1", "leaf/v2")).error().code, core::Errc::kUnsupported);
    EXPECT_EQ(parse_leaf(std::string(kLeafEntryBytesMax + 1, 'a')).error().code,
              core::Errc::kResourceExhausted);
}

TEST(LeafTest, EncodeRejectsInvalidIdsAndTimes) {
    LeafRecord record = sample();
    record.id = "not-hex";
    EXPECT_EQ(encode_leaf(record).error().code, core::Errc::kInvalidInput);
    record = sample();
    record.deposited_at_unix_ms = -1;
    EXPECT_EQ(encode_leaf(record).error().code, core::Errc::kInvalidInput);
}

}  // namespace
}  // namespace facteur::archive
