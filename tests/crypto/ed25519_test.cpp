#include "facteur/crypto/ed25519.h"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "facteur/crypto/encoding.h"
#include "facteur/testing/testing.h"

#include <sys/stat.h>

namespace facteur::crypto {
namespace {

struct Rfc8032Case {
    const char* name;
    std::string_view secret_hex;
    std::string_view public_hex;
    std::string_view message_hex;
    std::string_view signature_hex;
};

// RFC 8032 §7.1, Ed25519 TEST 1, TEST 2 and TEST 3.
constexpr Rfc8032Case kRfc8032Cases[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9"
     "b46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f1"
     "1d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984d"
     "c6594a7c15e9716ed28dc027beceea1ec40a"},
};

// RFC 8410 §10.3 (private) and §10.1 (its public key).
constexpr std::string_view kRfc8410PrivatePem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view kRfc8410PublicPem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
    "-----END PUBLIC KEY-----\n";
constexpr std::string_view kRfc8410PublicHex =
    "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1";

// A NIST P-256 key pair (generated with `openssl ecparam`): valid PEM of another algorithm.
constexpr std::string_view kP256PublicPem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAESw+e1vNpqyp0Eny4pIFn8HBI6Vh2\n"
    "pefx+stY5VZFvhErKBpWRVPbAJoTXU3XKciG3hhRuxUjhNsK3O1RDufiBw==\n"
    "-----END PUBLIC KEY-----\n";
constexpr std::string_view kP256PrivatePem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgGnY0Lj0e098vQtPR\n"
    "cZOTwRylye8S1j2rKlnbIEX02ImhRANCAARLD57W82mrKnQSfLikgWfwcEjpWHal\n"
    "5/H6y1jlVkW+ESsoGlZFU9sAmhNdTdcpyIbeGFG7FSOE2wrc7VEO5+IH\n"
    "-----END PRIVATE KEY-----\n";
// An Ed25519 key encrypted with a passphrase (`openssl pkcs8 -topk8 -v2 aes-256-cbc`).
constexpr std::string_view kEncryptedPem =
    "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
    "MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAhXSuetVFm1NwICCAAw\n"
    "DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEImUwvILl4O2lU70GWWRicgEQJbd\n"
    "d7ho/OfDLJcazVGFrqD8CbOT1htqR3GP7nbqG3AKiQoeNq/2iYXe0G6S35S6e3Fi\n"
    "cQpR4XjNcFG5G10ajdY=\n"
    "-----END ENCRYPTED PRIVATE KEY-----\n";

TEST(Ed25519Test, SignsAndVerifiesRfc8032Vectors) {
    for (const Rfc8032Case& c : kRfc8032Cases) {
        SCOPED_TRACE(c.name);
        const auto key = Ed25519PrivateKey::from_seed(hex_decode(c.secret_hex).value());
        ASSERT_TRUE(key) << key.error().message;
        EXPECT_EQ(hex_encode(key->public_key().raw()), c.public_hex);
        const ByteVector message = hex_decode(c.message_hex).value();
        const auto signature = key->sign(message);
        ASSERT_TRUE(signature);
        EXPECT_EQ(hex_encode(*signature), c.signature_hex);

        const auto public_key = Ed25519PublicKey::from_raw(hex_decode(c.public_hex).value());
        ASSERT_TRUE(public_key);
        EXPECT_TRUE(public_key->verify(message, hex_decode(c.signature_hex).value()));
    }
}

TEST(Ed25519Test, VerifyRejectsEverySingleBitFlipOfSignatureAndMessage) {
    const Rfc8032Case& c = kRfc8032Cases[2];
    const auto key = Ed25519PublicKey::from_raw(hex_decode(c.public_hex).value()).value();
    const ByteVector message = hex_decode(c.message_hex).value();
    const ByteVector signature = hex_decode(c.signature_hex).value();
    for (std::size_t bit = 0; bit < signature.size() * 8; ++bit) {
        ByteVector bad = signature;
        bad[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
        const auto r = key.verify(message, bad);
        ASSERT_FALSE(r) << "signature bit " << bit;
        EXPECT_EQ(r.error().code, core::Errc::kInvalidInput);
    }
    for (std::size_t bit = 0; bit < message.size() * 8; ++bit) {
        ByteVector bad = message;
        bad[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
        EXPECT_FALSE(key.verify(bad, signature)) << "message bit " << bit;
    }
}

TEST(Ed25519Test, VerifyRejectsWrongSignatureLengths) {
    const auto key = Ed25519PrivateKey::generate().value();
    const Ed25519Signature signature = key.sign(std::string_view("m")).value();
    EXPECT_TRUE(key.public_key().verify(std::string_view("m"), signature));
    for (const std::size_t length : {std::size_t{0}, std::size_t{63}, std::size_t{65}}) {
        ByteVector bad(signature.begin(), signature.end());
        bad.resize(length);
        const auto r = key.public_key().verify(std::string_view("m"), bad);
        ASSERT_FALSE(r) << length;
        EXPECT_EQ(r.error().code, core::Errc::kInvalidInput);
    }
}

TEST(Ed25519Test, RawKeysOfWrongLengthAreRejected) {
    for (const std::size_t length : {std::size_t{0}, std::size_t{31}, std::size_t{33}}) {
        const ByteVector bytes(length, 0x42);
        EXPECT_EQ(Ed25519PublicKey::from_raw(bytes).error().code, core::Errc::kInvalidInput);
        EXPECT_EQ(Ed25519PrivateKey::from_seed(bytes).error().code, core::Errc::kInvalidInput);
    }
}

TEST(Ed25519Test, LoadsRfc8410PemKeys) {
    const auto private_key = Ed25519PrivateKey::from_pem(kRfc8410PrivatePem);
    ASSERT_TRUE(private_key) << private_key.error().message;
    const auto public_key = Ed25519PublicKey::from_pem(kRfc8410PublicPem);
    ASSERT_TRUE(public_key) << public_key.error().message;
    EXPECT_EQ(hex_encode(public_key->raw()), kRfc8410PublicHex);
    EXPECT_EQ(private_key->public_key(), *public_key);
    EXPECT_EQ(public_key->to_pem().value(), kRfc8410PublicPem);
}

TEST(Ed25519Test, PemRoundTripsInMemory) {
    const auto key = Ed25519PrivateKey::generate().value();
    const std::string private_pem = key.to_pem().value();
    EXPECT_TRUE(private_pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    const auto reloaded = Ed25519PrivateKey::from_pem(private_pem).value();
    EXPECT_EQ(reloaded.public_key(), key.public_key());
    // Deterministic signatures: the same key signs the same bytes identically.
    EXPECT_EQ(reloaded.sign(std::string_view("x")).value(),
              key.sign(std::string_view("x")).value());
    const auto public_key = Ed25519PublicKey::from_pem(key.public_key().to_pem().value()).value();
    EXPECT_EQ(public_key, key.public_key());
}

TEST(Ed25519Test, PemRoundTripsThroughFilesAndPrivateFileIsOwnerOnly) {
    const testing::TempDir dir;
    const auto key = Ed25519PrivateKey::generate().value();
    const auto private_path = dir.path() / "log.key";
    const auto public_path = dir.path() / "log.pub";
    ASSERT_TRUE(key.save_pem_file(private_path));
    ASSERT_TRUE(key.public_key().save_pem_file(public_path));

    struct stat info {};

    ASSERT_EQ(::stat(private_path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    EXPECT_EQ(Ed25519PrivateKey::load_pem_file(private_path).value().public_key(),
              key.public_key());
    EXPECT_EQ(Ed25519PublicKey::load_pem_file(public_path).value(), key.public_key());

    const auto again = key.save_pem_file(private_path);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::Errc::kConflict);
    EXPECT_EQ(Ed25519PrivateKey::load_pem_file(dir.path() / "missing.key").error().code,
              core::Errc::kNotFound);
}

TEST(Ed25519Test, PemOfOtherAlgorithmsIsUnsupported) {
    const auto public_key = Ed25519PublicKey::from_pem(kP256PublicPem);
    ASSERT_FALSE(public_key);
    EXPECT_EQ(public_key.error().code, core::Errc::kUnsupported);
    const auto private_key = Ed25519PrivateKey::from_pem(kP256PrivatePem);
    ASSERT_FALSE(private_key);
    EXPECT_EQ(private_key.error().code, core::Errc::kUnsupported);
}

TEST(Ed25519Test, EncryptedAndMalformedPemIsRejectedWithOpenSslReason) {
    const auto encrypted = Ed25519PrivateKey::from_pem(kEncryptedPem);
    ASSERT_FALSE(encrypted);
    EXPECT_EQ(encrypted.error().code, core::Errc::kInvalidInput);
    EXPECT_NE(encrypted.error().message.find(": "), std::string::npos) << encrypted.error().message;

    for (const std::string_view text :
         {std::string_view(""), std::string_view("not pem"), kRfc8410PublicPem}) {
        const auto r = Ed25519PrivateKey::from_pem(text);
        ASSERT_FALSE(r) << text;
        EXPECT_EQ(r.error().code, core::Errc::kInvalidInput);
    }
    EXPECT_EQ(Ed25519PublicKey::from_pem("garbage").error().code, core::Errc::kInvalidInput);
}

TEST(Ed25519Test, PemSizeLimitHoldsAtTheLimitAndOneByteOver) {
    std::string at_limit(kRfc8410PublicPem);
    at_limit.resize(kPemBytesMax, '\n');  // trailing blank lines after the PEM block
    EXPECT_TRUE(Ed25519PublicKey::from_pem(at_limit));
    const auto over = Ed25519PublicKey::from_pem(at_limit + "\n");
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, core::Errc::kResourceExhausted);
}

TEST(Ed25519Test, CopiedPublicKeyStillVerifies) {
    const auto key = Ed25519PrivateKey::generate().value();
    const Ed25519Signature signature = key.sign(std::string_view("m")).value();
    Ed25519PublicKey copy = key.public_key();
    const Ed25519PublicKey second = copy;
    copy = second;
    EXPECT_TRUE(copy.verify(std::string_view("m"), signature));
    EXPECT_TRUE(second.verify(std::string_view("m"), signature));
}

}  // namespace
}  // namespace facteur::crypto
