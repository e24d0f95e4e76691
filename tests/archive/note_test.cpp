#include "facteur/archive/note.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/crypto/encoding.h"

namespace facteur::archive {
namespace {

// golang.org/x/mod/sumdb/note, note.go package documentation and example_test.go: a note
// signed by the Go implementation, its verifier key and signer key, and the same note
// countersigned by a second key.
constexpr std::string_view kPeterVerifierKey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kPeterSignerKeyData =     // base64(0x01 || seed) of
    "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";  // PRIVATE+KEY+PeterNeumann+c74f20a3+...
constexpr std::string_view kEnochVerifierKey =
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
constexpr std::string_view kGoText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view kPeterLine =
    "\xe2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
constexpr std::string_view kEnochLine =
    "\xe2\x80\x94 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"
    "5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

std::string go_note() {
    return std::string(kGoText) + "\n" + std::string(kPeterLine);
}

NoteSigner peter_signer() {
    const crypto::ByteVector key_data = crypto::base64_decode(kPeterSignerKeyData).value();
    EXPECT_EQ(key_data.size(), 33u);
    EXPECT_EQ(key_data[0], 0x01);  // Ed25519
    auto key = crypto::Ed25519PrivateKey::from_seed(crypto::ByteView(key_data).subspan(1)).value();
    return NoteSigner::create("PeterNeumann", std::move(key)).value();
}

NoteSigner fresh_signer(std::string name) {
    return NoteSigner::create(std::move(name), crypto::Ed25519PrivateKey::generate().value())
        .value();
}

TEST(NoteTest, ParsesGoVerifierKeyAndRecomputesItsKeyId) {
    const auto verifier = NoteVerifier::parse(kPeterVerifierKey);
    ASSERT_TRUE(verifier) << verifier.error().message;
    EXPECT_EQ(verifier->key_name(), "PeterNeumann");
    EXPECT_EQ(verifier->key_id(), 0xc74f20a3u);
    EXPECT_EQ(verifier->verifier_key(), kPeterVerifierKey);
    EXPECT_EQ(ed25519_key_id("PeterNeumann", verifier->public_key()).value(), 0xc74f20a3u);
}

TEST(NoteTest, OpensANoteSignedByTheGoImplementation) {
    const auto verifier = NoteVerifier::parse(kPeterVerifierKey).value();
    const auto note = open_note(go_note(), verifier);
    ASSERT_TRUE(note) << note.error().message;
    EXPECT_EQ(note->text, kGoText);
    ASSERT_EQ(note->signatures.size(), 1u);
    EXPECT_EQ(note->signatures[0].key_name, "PeterNeumann");
    EXPECT_EQ(note->signatures[0].key_id, 0xc74f20a3u);
    EXPECT_EQ(note->signatures[0].signature.size(), 64u);
}

TEST(NoteTest, SigningReproducesTheGoNoteByteForByte) {
    const NoteSigner signer = peter_signer();
    EXPECT_EQ(signer.key_id(), 0xc74f20a3u);
    EXPECT_EQ(signer.verifier().value().verifier_key(), kPeterVerifierKey);
    EXPECT_EQ(sign_note(kGoText, signer).value(), go_note());
}

TEST(NoteTest, OpensTheDoublySignedGoNoteWithEitherKey) {
    const std::string message =
        std::string(kGoText) + "\n" + std::string(kPeterLine) + std::string(kEnochLine);
    const auto enoch = NoteVerifier::parse(kEnochVerifierKey).value();
    const auto peter = NoteVerifier::parse(kPeterVerifierKey).value();
    EXPECT_TRUE(open_note(message, enoch));
    EXPECT_TRUE(open_note(message, peter));
    // Unknown keys are ignored, not failed.
    const auto stranger = fresh_signer("Stranger").verifier().value();
    const auto r = open_note(message, stranger);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kNotFound);
}

TEST(NoteTest, SignThenOpenRoundTripsAndFormatMatchesParse) {
    const NoteSigner signer = fresh_signer("example.com/facteur");
    const NoteVerifier verifier = signer.verifier().value();
    const std::string text = "line one\n\nline three after an empty line\n";
    const std::string message = sign_note(text, signer).value();
    const Note note = open_note(message, verifier).value();
    EXPECT_EQ(note.text, text);
    EXPECT_EQ(format_note(note).value(), message);
    // The verifier key text round-trips through parse().
    const auto reparsed = NoteVerifier::parse(verifier.verifier_key()).value();
    EXPECT_TRUE(open_note(message, reparsed));
}

TEST(NoteTest, EverySingleBitFlipOfTheGoNoteIsRejected) {
    const auto verifier = NoteVerifier::parse(kPeterVerifierKey).value();
    const std::string message = go_note();
    for (std::size_t bit = 0; bit < message.size() * 8; ++bit) {
        std::string bad = message;
        bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
        const auto r = open_note(bad, verifier);
        ASSERT_FALSE(r) << "bit " << bit;
    }
}

TEST(NoteTest, SignatureByTheKnownKeyThatFailsRejectsTheNote) {
    const auto verifier = NoteVerifier::parse(kPeterVerifierKey).value();
    // Right name and key ID, signature of another text.
    Note note = parse_note(go_note()).value();
    note.text = "another text\n";
    const auto r = open_note(format_note(note).value(), verifier);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kDataLoss);
    EXPECT_EQ(r.error().id, "NOTE-SIGNATURE");
    // A good signature followed by a bad one from the same key: still rejected.
    Note twice = parse_note(go_note()).value();
    twice.signatures.push_back(twice.signatures[0]);
    twice.signatures[1].signature[0] ^= 1;
    EXPECT_EQ(open_note(format_note(twice).value(), verifier).error().code, core::Errc::kDataLoss);
}

TEST(NoteTest, SameNameOrSameIdButNotBothIsIgnored) {
    const auto verifier = NoteVerifier::parse(kPeterVerifierKey).value();
    Note note = parse_note(go_note()).value();
    NoteSignature other_id = note.signatures[0];
    other_id.key_id ^= 1;
    other_id.signature.assign(64, 0);
    NoteSignature other_name = note.signatures[0];
    other_name.key_name = "PeterNeumann2";
    other_name.signature.assign(64, 0);
    note.signatures.insert(note.signatures.begin(), {other_id, other_name});
    EXPECT_TRUE(open_note(format_note(note).value(), verifier));
}

struct MalformedCase {
    const char* why;
    std::string message;
    std::uint32_t line;
};

std::vector<MalformedCase> malformed_cases() {
    const std::string text(kGoText);
    const std::string sig(kPeterLine);
    const std::string sig_body = sig.substr(std::string_view("\xe2\x80\x94 ").size());
    return {
        {"no blank line", text + sig, 0},
        {"no signature lines", text + "\n", 4},
        {"last line without newline", text + "\n" + sig.substr(0, sig.size() - 1), 4},
        {"ASCII hyphen instead of em dash", text + "\n- " + sig_body, 4},
        {"em dash without space", text + "\n\xe2\x80\x94" + sig_body, 4},
        {"two spaces after em dash", text + "\n\xe2\x80\x94  " + sig_body, 4},
        {"no space before signature", text + "\n\xe2\x80\x94 PeterNeumann\n", 4},
        {"empty signature", text + "\n\xe2\x80\x94 PeterNeumann \n", 4},
        {"signature not base64", text + "\n\xe2\x80\x94 PeterNeumann !!!!\n", 4},
        {"signature of 4 bytes", text + "\n\xe2\x80\x94 PeterNeumann AAAAAA==\n", 4},
        {"key name with plus", text + "\n\xe2\x80\x94 Peter+Neumann x08go/ZJ\n", 4},
        {"key name with no-break space", text + "\n\xe2\x80\x94 Peter\xc2\xa0Neumann x08go/ZJ\n",
         4},
        {"trailing space after signature", text + "\n" + sig.substr(0, sig.size() - 1) + " \n", 4},
        {"blank line after the signatures", text + "\n" + sig + "\n", 6},
        {"carriage return", text + "\n" + sig.substr(0, sig.size() - 1) + "\r\n", 4},
        {"tab in text", "a\tb\n\n" + sig, 1},
        {"NUL in text", std::string("a\0b\n\n", 5) + sig, 1},
        {"invalid UTF-8", "caf\xe9\n\n" + sig, 1},
        {"overlong UTF-8", "\xc0\xaf\n\n" + sig, 1},
        {"UTF-8 surrogate", "\xed\xa0\x80\n\n" + sig, 1},
        {"truncated UTF-8", text + "\n" + sig + "\xe2\x80", 5},
        {"empty message", "", 0},
    };
}

TEST(NoteTest, MalformedNotesAreRejectedWithTheirLine) {
    for (const MalformedCase& c : malformed_cases()) {
        const auto r = parse_note(c.message);
        ASSERT_FALSE(r) << c.why;
        EXPECT_EQ(r.error().code, core::Errc::kInvalidInput) << c.why;
        EXPECT_EQ(r.error().id, "NOTE-MALFORMED") << c.why;
        EXPECT_EQ(r.error().line, c.line) << c.why << ": " << r.error().message;
    }
}

TEST(NoteTest, SizeLimitHoldsAtTheLimitAndOneByteOver) {
    const std::string message = go_note();
    NoteLimits limits;
    limits.note_bytes_max = message.size();
    EXPECT_TRUE(parse_note(message, limits));
    limits.note_bytes_max = message.size() - 1;
    const auto r = parse_note(message, limits);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kResourceExhausted);
}

TEST(NoteTest, SignatureCountLimitHoldsAtTheLimitAndOneOver) {
    const NoteLimits limits;
    static_assert(NoteLimits{}.signatures_max >= 16, "C2SP: accept at least 16 signatures");
    std::string message = std::string(kGoText) + "\n";
    for (std::size_t i = 0; i < limits.signatures_max; ++i) {
        message += kPeterLine;
    }
    EXPECT_EQ(parse_note(message, limits).value().signatures.size(), limits.signatures_max);
    const auto r = parse_note(message + std::string(kPeterLine), limits);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kResourceExhausted);
}

TEST(NoteTest, MalformedVerifierKeysAreRejected) {
    const std::string_view bad[] = {
        "",
        "PeterNeumann",
        "PeterNeumann+c74f20a3",
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // wrong ID
        "PeterNeumanm+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // wrong name
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",   // not base64
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy",      // 31-byte key
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+zz4f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    };
    for (const std::string_view key : bad) {
        const auto r = NoteVerifier::parse(key);
        ASSERT_FALSE(r) << key;
        EXPECT_EQ(r.error().code, core::Errc::kInvalidInput) << key;
    }
    // Signature type 0x02 (ECDSA) is not ours to verify.
    const auto ecdsa = NoteVerifier::parse("name+00000000+Ag==");
    ASSERT_FALSE(ecdsa);
    EXPECT_EQ(ecdsa.error().code, core::Errc::kUnsupported);
}

TEST(NoteTest, KeyNameRulesFollowTheGoPackage) {
    EXPECT_TRUE(is_valid_key_name("example.com/log"));
    EXPECT_TRUE(is_valid_key_name("caf\xc3\xa9"));
    EXPECT_FALSE(is_valid_key_name(""));
    EXPECT_FALSE(is_valid_key_name("a b"));
    EXPECT_FALSE(is_valid_key_name("a+b"));
    EXPECT_FALSE(is_valid_key_name("a\xe2\x80\x83z"));  // U+2003 EM SPACE
    EXPECT_FALSE(is_valid_key_name("a\xe3\x80\x80z"));  // U+3000 IDEOGRAPHIC SPACE
    EXPECT_FALSE(is_valid_key_name("caf\xe9"));
    EXPECT_FALSE(NoteSigner::create("bad name", crypto::Ed25519PrivateKey::generate().value()));
}

TEST(NoteTest, SignerRefusesTextsThatCannotBeNotes) {
    const NoteSigner signer = fresh_signer("example.com/facteur");
    for (const std::string_view text :
         {std::string_view(""), std::string_view("no newline"), std::string_view("tab\there\n"),
          std::string_view("bad \xff utf8\n")}) {
        const auto r = sign_note(text, signer);
        ASSERT_FALSE(r) << text;
        EXPECT_EQ(r.error().code, core::Errc::kInvalidInput);
    }
}

}  // namespace
}  // namespace facteur::archive
