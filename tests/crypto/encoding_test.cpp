#include "facteur/crypto/encoding.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace facteur::crypto {
namespace {

ByteVector bytes_of(std::string_view text) {
    const ByteView view = as_bytes(text);
    return {view.begin(), view.end()};
}

struct Base64Case {
    std::string_view plain;
    std::string_view padded;
    std::string_view unpadded;
};

// RFC 4648 §10 test vectors.
constexpr Base64Case kRfc4648Cases[] = {
    {"", "", ""},
    {"f", "Zg==", "Zg"},
    {"fo", "Zm8=", "Zm8"},
    {"foo", "Zm9v", "Zm9v"},
    {"foob", "Zm9vYg==", "Zm9vYg"},
    {"fooba", "Zm9vYmE=", "Zm9vYmE"},
    {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
};

TEST(EncodingTest, Base64MatchesRfc4648Vectors) {
    for (const Base64Case& c : kRfc4648Cases) {
        EXPECT_EQ(base64_encode(as_bytes(c.plain)), c.padded);
        EXPECT_EQ(base64_encode(as_bytes(c.plain), Base64Padding::kUnpadded), c.unpadded);
        EXPECT_EQ(base64_decode(c.padded).value(), bytes_of(c.plain)) << c.padded;
        EXPECT_EQ(base64_decode(c.unpadded, Base64Padding::kUnpadded).value(), bytes_of(c.plain))
            << c.unpadded;
    }
}

TEST(EncodingTest, Base64RoundTripsEveryByteValueAndLength) {
    ByteVector all;
    for (int i = 0; i < 256; ++i) {
        all.push_back(static_cast<std::uint8_t>(i));
        for (const Base64Padding padding : {Base64Padding::kPadded, Base64Padding::kUnpadded}) {
            const std::string text = base64_encode(all, padding);
            ASSERT_EQ(base64_decode(text, padding).value(), all) << text;
        }
    }
}

TEST(EncodingTest, Base64RejectsMalformedText) {
    const std::string_view padded_bad[] = {
        "Zg",        // padding missing
        "Zg=",       // padding short
        "Zg===",     // length not a multiple of 4
        "Z===",      // a lone character cannot encode a byte
        "====",      // only padding
        "Zm9v====",  // padding after a complete group
        "Zm=v",      // padding inside the data
        "Zh==",      // non-zero pad bits: non-canonical for "f"
        "Zm9=",      // non-zero pad bits: non-canonical for "fo"
        "Zm9 v",     // whitespace
        "Zm9v\n",    // line break
        "Zm9-",      // URL-safe alphabet
        "Zm9_",      // URL-safe alphabet
    };
    for (const std::string_view text : padded_bad) {
        const auto r = base64_decode(text);
        ASSERT_FALSE(r) << text;
        EXPECT_EQ(r.error().code, core::Errc::kInvalidInput) << text;
    }
    const std::string_view unpadded_bad[] = {"Zg==", "Zm8=", "Z", "Zh", "Zm9"};
    for (const std::string_view text : unpadded_bad) {
        EXPECT_FALSE(base64_decode(text, Base64Padding::kUnpadded)) << text;
    }
}

TEST(EncodingTest, DecodersEnforceTheSizeLimitAtTheLimitAndOneByteOver) {
    const std::string at_limit(kEncodedBytesMax, 'A');
    EXPECT_TRUE(base64_decode(at_limit));
    EXPECT_TRUE(hex_decode(std::string(kEncodedBytesMax, '0')));
    const auto b64 = base64_decode(at_limit + "AAAA");
    ASSERT_FALSE(b64);
    EXPECT_EQ(b64.error().code, core::Errc::kResourceExhausted);
    const auto hex = hex_decode(std::string(kEncodedBytesMax + 2, '0'));
    ASSERT_FALSE(hex);
    EXPECT_EQ(hex.error().code, core::Errc::kResourceExhausted);
}

TEST(EncodingTest, HexRoundTripsAndAcceptsBothCases) {
    const ByteVector bytes = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
    EXPECT_EQ(hex_encode(bytes), "00017f80abff");
    EXPECT_EQ(hex_decode("00017f80abff").value(), bytes);
    EXPECT_EQ(hex_decode("00017F80ABFF").value(), bytes);
    EXPECT_TRUE(hex_decode("").value().empty());
}

TEST(EncodingTest, HexRejectsOddLengthAndNonDigits) {
    for (const std::string_view text : {"0", "abc", "0g", "g0", " 00", "00 ", "0x00"}) {
        const auto r = hex_decode(text);
        ASSERT_FALSE(r) << text;
        EXPECT_EQ(r.error().code, core::Errc::kInvalidInput) << text;
    }
}

}  // namespace
}  // namespace facteur::crypto
