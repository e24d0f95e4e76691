#include "facteur/crypto/sha256.h"

#include <string>

#include <gtest/gtest.h>

#include "facteur/crypto/encoding.h"

namespace facteur::crypto {
namespace {

// FIPS 180-4 / NIST CSRC example values.
constexpr std::string_view kEmptyHex =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::string_view kAbcHex =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr std::string_view
    kTwoBlockHex =  // "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

TEST(Sha256Test, OneShotMatchesFipsVectors) {
    EXPECT_EQ(to_hex(sha256(std::string_view()).value()), kEmptyHex);
    EXPECT_EQ(to_hex(sha256(std::string_view("abc")).value()), kAbcHex);
    EXPECT_EQ(to_hex(sha256(as_bytes("abc")).value()), kAbcHex);
    EXPECT_EQ(
        to_hex(sha256(std::string_view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))
                   .value()),
        kTwoBlockHex);
}

TEST(Sha256Test, HasherMatchesOneShotAcrossSplitsAndIsReusable) {
    const std::string message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    auto hasher = Sha256Hasher::create();
    ASSERT_TRUE(hasher);
    for (std::size_t split = 0; split <= message.size(); ++split) {
        ASSERT_TRUE(hasher->update(std::string_view(message).substr(0, split)));
        ASSERT_TRUE(hasher->update(as_bytes(std::string_view(message).substr(split))));
        EXPECT_EQ(to_hex(hasher->finish().value()), kTwoBlockHex) << split;
    }
    EXPECT_EQ(to_hex(hasher->finish().value()), kEmptyHex);  // finish() started a new message
}

TEST(Sha256Test, MovedFromHasherFailsInsteadOfCrashing) {
    auto hasher = Sha256Hasher::create();
    ASSERT_TRUE(hasher);
    Sha256Hasher moved = std::move(*hasher);
    EXPECT_FALSE(hasher->update(std::string_view("x")));  // NOLINT(bugprone-use-after-move)
    EXPECT_FALSE(hasher->finish());                       // NOLINT(bugprone-use-after-move)
    ASSERT_TRUE(moved.update(std::string_view("abc")));
    EXPECT_EQ(to_hex(moved.finish().value()), kAbcHex);
}

}  // namespace
}  // namespace facteur::crypto
