#include "facteur/archive/checkpoint.h"

#include <string>

#include <gtest/gtest.h>

#include "facteur/crypto/encoding.h"

namespace facteur::archive {
namespace {

// Signed tree heads of the Go checksum database (sum.golang.org), a production C2SP checkpoint
// log, quoted in public test suites, with its published verifier key (cmd/go
// internal/modfetch/key.go). Opening them checks signature, note and checkpoint interop.
constexpr std::string_view kSumDbVerifierKey =
    "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
constexpr std::string_view kSumDbOrigin = "go.sum database tree";
constexpr std::string_view kSumDbCheckpoint1 =
    "go.sum database tree\n"
    "31700353\n"
    "qINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n"
    "\n"
    "\xe2\x80\x94 sum.golang.org "
    "Az3grnmrIUEDFqHzAElIQCPNoRFRAAdFo47fooyWKMHb89k11GJh5zHIfNCOBmwn/C3YI8oW9/"
    "C8DJ87F61QqspBYwM=\n";
constexpr std::string_view kSumDbCheckpoint2 =
    "go.sum database tree\n"
    "65209736\n"
    "5+uGFjx6xBZG8ip1+wi77v+grwbhhukIrxEUS8PXvRo=\n"
    "\n"
    "\xe2\x80\x94 sum.golang.org "
    "Az3grnbssgK7ubgFX36gVETtNv0U23qxyAhAMai2QUfeGa3nB/akvkMdlUErfcZz7l/"
    "R3cVtYspg3dxXABkGZZKdsQ8=\n";

Hash hash_of_base64(std::string_view text) {
    const crypto::ByteVector bytes = crypto::base64_decode(text).value();
    Hash hash{};
    std::copy_n(bytes.begin(), std::min(bytes.size(), hash.size()), hash.begin());
    return hash;
}

NoteSigner make_signer(std::string name) {
    return NoteSigner::create(std::move(name), crypto::Ed25519PrivateKey::generate().value())
        .value();
}

TEST(CheckpointTest, OpensSignedTreeHeadsOfTheGoChecksumDatabase) {
    const auto verifier = NoteVerifier::parse(kSumDbVerifierKey).value();
    const auto first = open_checkpoint(kSumDbCheckpoint1, verifier, kSumDbOrigin);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->tree_size, 31700353u);
    EXPECT_EQ(first->root_hash, hash_of_base64("qINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs="));
    EXPECT_TRUE(first->extensions.empty());
    const auto second = open_checkpoint(kSumDbCheckpoint2, verifier, kSumDbOrigin);
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second->tree_size, 65209736u);
    // Re-formatting gives back the signed text exactly.
    EXPECT_EQ(format_checkpoint(*second).value() + "\n",
              kSumDbCheckpoint2.substr(0, kSumDbCheckpoint2.find("\n\n") + 2));
}

TEST(CheckpointTest, SignedCheckpointRoundTrips) {
    const NoteSigner signer = make_signer("example.com/facteur/archive");
    Checkpoint checkpoint;
    checkpoint.origin = "example.com/facteur/archive";
    checkpoint.tree_size = 20852163;
    checkpoint.root_hash = hash_leaf(std::string_view("root")).value();
    checkpoint.extensions = {"extension one", "\xc3\xa9tendue"};
    const std::string message = sign_checkpoint(checkpoint, signer).value();
    EXPECT_TRUE(message.starts_with("example.com/facteur/archive\n20852163\n"));
    const auto opened = open_checkpoint(message, signer.verifier().value(), checkpoint.origin);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(*opened, checkpoint);
}

TEST(CheckpointTest, EmptyTreeCheckpointUsesSizeZero) {
    Checkpoint empty{"log", 0, empty_root(), {}};
    const std::string text = format_checkpoint(empty).value();
    EXPECT_EQ(text, "log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
    EXPECT_EQ(parse_checkpoint(text).value(), empty);
}

TEST(CheckpointTest, OpeningChecksOriginAndSignature) {
    const NoteSigner signer = make_signer("log");
    const std::string message =
        sign_checkpoint(Checkpoint{"log", 1, empty_root(), {}}, signer).value();
    const auto wrong_origin = open_checkpoint(message, signer.verifier().value(), "other");
    ASSERT_FALSE(wrong_origin);
    EXPECT_EQ(wrong_origin.error().id, "CHECKPOINT-ORIGIN");
    const auto other_key = open_checkpoint(message, make_signer("log").verifier().value(), "log");
    ASSERT_FALSE(other_key);  // same name, other key ID: ignored, so no signature by the key
    EXPECT_EQ(other_key.error().code, core::Errc::kNotFound);
}

struct MalformedCase {
    const char* why;
    std::string text;
    std::uint32_t line;
};

TEST(CheckpointTest, MalformedTextsAreRejectedWithTheirLine) {
    const std::string root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    const MalformedCase cases[] = {
        {"two lines", "log\n5\n", 3},
        {"no final newline", "log\n5\n" + root, 3},
        {"empty origin", "\n5\n" + root + "\n", 1},
        {"empty extension", "log\n5\n" + root + "\n\n", 4},
        {"leading zero", "log\n05\n" + root + "\n", 2},
        {"sign", "log\n+5\n" + root + "\n", 2},
        {"negative", "log\n-5\n" + root + "\n", 2},
        {"space", "log\n5 \n" + root + "\n", 2},
        {"hex size", "log\n0x5\n" + root + "\n", 2},
        {"size over 64 bits", "log\n18446744073709551616\n" + root + "\n", 2},
        {"size of 21 digits", "log\n100000000000000000000\n" + root + "\n", 2},
        {"root not base64", "log\n5\n" + root.substr(1) + "\n", 3},
        {"root unpadded", "log\n5\n" + root.substr(0, root.size() - 1) + "\n", 3},
        {"root non-canonical", "log\n5\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=\n", 3},
        {"root of 33 bytes", "log\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", 3},
        {"root of 31 bytes", "log\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n", 3},
        {"CR line ending", "log\r\n5\n" + root + "\n", 1},
    };
    for (const MalformedCase& c : cases) {
        const auto r = parse_checkpoint(c.text);
        ASSERT_FALSE(r) << c.why;
        EXPECT_EQ(r.error().code, core::Errc::kInvalidInput) << c.why;
        EXPECT_EQ(r.error().line, c.line) << c.why << ": " << r.error().message;
    }
}

TEST(CheckpointTest, LargestTreeSizeParses) {
    const std::string text =
        "log\n18446744073709551615\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
    EXPECT_EQ(parse_checkpoint(text).value().tree_size, UINT64_MAX);
}

TEST(CheckpointTest, ExtensionLimitHoldsAtTheLimitAndOneOver) {
    Checkpoint checkpoint{"log", 3, empty_root(), {}};
    const CheckpointLimits limits;
    checkpoint.extensions.assign(limits.extension_lines_max, "x");
    const std::string at_limit = format_checkpoint(checkpoint).value();
    EXPECT_EQ(parse_checkpoint(at_limit, limits).value(), checkpoint);
    const auto over = parse_checkpoint(at_limit + "x\n", limits);
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, core::Errc::kResourceExhausted);
}

TEST(CheckpointTest, FormatRefusesLinesThatWouldBreakTheGrammar) {
    EXPECT_FALSE(format_checkpoint(Checkpoint{"", 1, empty_root(), {}}));
    EXPECT_FALSE(format_checkpoint(Checkpoint{"a\nb", 1, empty_root(), {}}));
    EXPECT_FALSE(format_checkpoint(Checkpoint{"a\tb", 1, empty_root(), {}}));
    EXPECT_FALSE(format_checkpoint(Checkpoint{"log", 1, empty_root(), {""}}));
    EXPECT_FALSE(format_checkpoint(Checkpoint{"log", 1, empty_root(), {"x\ny"}}));
}

}  // namespace
}  // namespace facteur::archive
