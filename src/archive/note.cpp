// C2SP signed-note (https://c2sp.org/signed-note) as implemented by golang.org/x/mod/sumdb/note
// (note.go: Open, Sign, NewVerifier, keyHash); differences are stricter checks only: canonical
// base64, every signature by the verifier's key is verified (Go skips repeats), and the key ID
// hex must be exactly 8 digits.
#include "facteur/archive/note.h"

#include <algorithm>
#include <array>
#include <utility>

#include "facteur/crypto/encoding.h"
#include "facteur/crypto/sha256.h"

#include "text_rules.h"

namespace facteur::archive {

namespace {

using core::Errc;

// U+2014 EM DASH followed by a space starts every signature line.
constexpr std::string_view kSignaturePrefix = "\xe2\x80\x94 ";
constexpr std::uint8_t kSignatureTypeEd25519 = 0x01;
// A verifier key is a name, 8 hex digits and 45 base64 characters; 1 KiB leaves room for long
// names without letting a configuration value grow without bound.
constexpr std::size_t kVerifierKeyBytesMax = 1024;

tl::unexpected<core::Error> malformed(std::string message, std::uint32_t line = 0) {
    return core::fail(Errc::kInvalidInput, "NOTE-MALFORMED",
                      "malformed note: " + std::move(message), {}, line);
}

std::array<std::uint8_t, 4> big_endian(std::uint32_t value) noexcept {
    return {static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>(value >> 16),
            static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
}

std::uint32_t read_big_endian(crypto::ByteView bytes) noexcept {
    return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16)
           | (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

std::string hex8(std::uint32_t value) {
    const auto bytes = big_endian(value);
    return crypto::hex_encode(bytes);
}

/// One signature line without its newline: "— <name> <base64>".
core::Result<NoteSignature> parse_signature_line(std::string_view line, std::uint32_t number) {
    if (!line.starts_with(kSignaturePrefix)) {
        return malformed("signature line does not start with \"\xe2\x80\x94 \"", number);
    }
    line.remove_prefix(kSignaturePrefix.size());
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) {
        return malformed("signature line has no space between key name and signature", number);
    }
    const std::string_view name = line.substr(0, space);
    const std::string_view encoded = line.substr(space + 1);
    if (!is_valid_key_name(name)) {
        return malformed("invalid key name in signature line", number);
    }
    if (encoded.empty()) {
        return malformed("empty signature", number);
    }
    auto decoded = crypto::base64_decode(encoded, crypto::Base64Padding::kPadded);
    if (!decoded) {
        return malformed("signature is not base64 (" + decoded.error().message + ")", number);
    }
    // 4 bytes of key ID and at least one byte of signature.
    if (decoded->size() < 5) {
        return malformed("signature shorter than 5 bytes", number);
    }
    NoteSignature signature;
    signature.key_name = std::string(name);
    signature.key_id = read_big_endian(*decoded);
    signature.signature.assign(decoded->begin() + 4, decoded->end());
    return signature;
}

core::Result<std::uint32_t> key_id_of(std::string_view key_name,
                                      const crypto::Ed25519PublicKeyBytes& key) {
    FACTEUR_TRY_ASSIGN(crypto::Sha256Hasher hasher, crypto::Sha256Hasher::create());
    const std::uint8_t separator[2] = {'\n', kSignatureTypeEd25519};
    FACTEUR_TRY(hasher.update(key_name));
    FACTEUR_TRY(hasher.update(crypto::ByteView(separator)));
    FACTEUR_TRY(hasher.update(crypto::ByteView(key)));
    FACTEUR_TRY_ASSIGN(const crypto::Sha256Digest digest, hasher.finish());
    return read_big_endian(digest);
}

tl::unexpected<core::Error> bad_verifier_key(std::string message) {
    return core::fail(Errc::kInvalidInput, "NOTE-VERIFIER-KEY",
                      "malformed verifier key: " + std::move(message), {});
}

}  // namespace

bool is_valid_key_name(std::string_view name) noexcept {
    if (name.empty()) {
        return false;
    }
    for (std::size_t i = 0; i < name.size();) {
        const std::int32_t c = detail::decode_utf8(name, i);
        if (c < 0 || c == '+' || detail::is_unicode_space(c)) {
            return false;
        }
    }
    return true;
}

bool is_valid_note_text(std::string_view text) noexcept {
    return !text.empty() && text.back() == '\n'
           && detail::find_bad_note_character(text) == text.size();
}

core::Result<std::uint32_t> ed25519_key_id(std::string_view key_name,
                                           const crypto::Ed25519PublicKey& key) {
    if (!is_valid_key_name(key_name)) {
        return core::fail(Errc::kInvalidInput, "NOTE-KEY-NAME", "invalid note key name", {});
    }
    return key_id_of(key_name, key.raw());
}

core::Result<Note> parse_note(std::string_view message, const NoteLimits& limits) {
    if (message.size() > limits.note_bytes_max) {
        return core::fail(Errc::kResourceExhausted, "NOTE-TOO-LARGE",
                          "note of " + std::to_string(message.size()) + " bytes exceeds "
                              + std::to_string(limits.note_bytes_max),
                          {});
    }
    if (const std::size_t bad = detail::find_bad_note_character(message); bad != message.size()) {
        return malformed("invalid UTF-8 or control character at byte " + std::to_string(bad),
                         detail::line_of(message, bad));
    }
    // The text ends at the last blank line (C2SP: the text MAY contain empty lines).
    const std::size_t split = message.rfind("\n\n");
    if (split == std::string_view::npos) {
        return malformed("no blank line before the signatures", 0);
    }
    Note note;
    note.text = std::string(message.substr(0, split + 1));
    std::string_view rest = message.substr(split + 2);
    std::uint32_t number = detail::line_of(message, split + 2);
    if (rest.empty()) {
        return malformed("no signature lines", number);
    }
    if (rest.back() != '\n') {
        return malformed("last signature line does not end in a newline", number);
    }
    while (!rest.empty()) {
        const std::size_t end = rest.find('\n');  // found: rest ends in '\n'
        if (note.signatures.size() == limits.signatures_max) {
            return core::fail(
                Errc::kResourceExhausted, "NOTE-TOO-MANY-SIGNATURES",
                "note has more than " + std::to_string(limits.signatures_max) + " signatures", {},
                number);
        }
        FACTEUR_TRY_ASSIGN(NoteSignature signature,
                           parse_signature_line(rest.substr(0, end), number));
        note.signatures.push_back(std::move(signature));
        rest.remove_prefix(end + 1);
        ++number;
    }
    return note;
}

core::Result<std::string> format_note(const Note& note) {
    if (!is_valid_note_text(note.text)) {
        return malformed("text must be non-empty UTF-8 ending in a newline, without controls");
    }
    if (note.signatures.empty()) {
        return malformed("a note needs at least one signature");
    }
    std::string out = note.text;
    out += '\n';
    for (const NoteSignature& signature : note.signatures) {
        if (!is_valid_key_name(signature.key_name) || signature.signature.empty()) {
            return malformed("invalid key name or empty signature");
        }
        crypto::ByteVector bytes;
        bytes.reserve(4 + signature.signature.size());
        const auto id = big_endian(signature.key_id);
        bytes.insert(bytes.end(), id.begin(), id.end());
        bytes.insert(bytes.end(), signature.signature.begin(), signature.signature.end());
        out += kSignaturePrefix;
        out += signature.key_name;
        out += ' ';
        out += crypto::base64_encode(bytes, crypto::Base64Padding::kPadded);
        out += '\n';
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// NoteVerifier

core::Result<NoteVerifier> NoteVerifier::parse(std::string_view verifier_key) {
    if (verifier_key.size() > kVerifierKeyBytesMax) {
        return bad_verifier_key("longer than " + std::to_string(kVerifierKeyBytesMax) + " bytes");
    }
    // "<name>+<hash>+<keydata>": the name holds no '+', the base64 key data may.
    const std::size_t first = verifier_key.find('+');
    const std::size_t second =
        first == std::string_view::npos ? first : verifier_key.find('+', first + 1);
    if (second == std::string_view::npos) {
        return bad_verifier_key("expected <name>+<key ID>+<key>");
    }
    const std::string_view name = verifier_key.substr(0, first);
    const std::string_view id_hex = verifier_key.substr(first + 1, second - first - 1);
    const std::string_view key_base64 = verifier_key.substr(second + 1);
    if (!is_valid_key_name(name)) {
        return bad_verifier_key("invalid key name");
    }
    auto id_bytes = crypto::hex_decode(id_hex);
    if (id_hex.size() != 8 || !id_bytes) {
        return bad_verifier_key("key ID must be 8 hex digits");
    }
    auto key_bytes = crypto::base64_decode(key_base64, crypto::Base64Padding::kPadded);
    if (!key_bytes || key_bytes->empty()) {
        return bad_verifier_key("key is not base64");
    }
    if ((*key_bytes)[0] != kSignatureTypeEd25519) {
        return core::fail(Errc::kUnsupported, "NOTE-VERIFIER-KEY",
                          "unsupported note signature type " + std::to_string((*key_bytes)[0]), {});
    }
    if (key_bytes->size() != 1 + crypto::kEd25519PublicKeyBytes) {
        return bad_verifier_key("Ed25519 key must be 32 bytes");
    }
    FACTEUR_TRY_ASSIGN(crypto::Ed25519PublicKey key,
                       crypto::Ed25519PublicKey::from_raw(crypto::ByteView(*key_bytes).subspan(1)));
    FACTEUR_TRY_ASSIGN(const std::uint32_t key_id, key_id_of(name, key.raw()));
    if (key_id != read_big_endian(*id_bytes)) {
        return bad_verifier_key("key ID does not match the name and key");
    }
    return NoteVerifier(std::string(name), key_id, std::move(key));
}

core::Result<NoteVerifier> NoteVerifier::create(std::string key_name,
                                                crypto::Ed25519PublicKey key) {
    FACTEUR_TRY_ASSIGN(const std::uint32_t key_id, ed25519_key_id(key_name, key));
    return NoteVerifier(std::move(key_name), key_id, std::move(key));
}

std::string NoteVerifier::verifier_key() const {
    crypto::ByteVector key;
    key.reserve(1 + crypto::kEd25519PublicKeyBytes);
    key.push_back(kSignatureTypeEd25519);
    key.insert(key.end(), key_.raw().begin(), key_.raw().end());
    return key_name_ + "+" + hex8(key_id_) + "+"
           + crypto::base64_encode(key, crypto::Base64Padding::kPadded);
}

core::Result<void> NoteVerifier::verify(std::string_view text,
                                        const NoteSignature& signature) const {
    if (!matches(signature)) {
        return core::fail(Errc::kInvalidInput, "NOTE-KEY",
                          "signature by " + signature.key_name + "+" + hex8(signature.key_id)
                              + ", not by " + key_name_ + "+" + hex8(key_id_),
                          {});
    }
    if (auto verified = key_.verify(text, signature.signature); !verified) {
        return core::fail(Errc::kDataLoss, "NOTE-SIGNATURE",
                          "invalid signature by " + key_name_ + "+" + hex8(key_id_) + " ("
                              + verified.error().message + ")",
                          {});
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// NoteSigner

core::Result<NoteSigner> NoteSigner::create(std::string key_name, crypto::Ed25519PrivateKey key) {
    FACTEUR_TRY_ASSIGN(const std::uint32_t key_id, ed25519_key_id(key_name, key.public_key()));
    return NoteSigner(std::move(key_name), key_id, std::move(key));
}

core::Result<NoteVerifier> NoteSigner::verifier() const {
    return NoteVerifier::create(key_name_, key_.public_key());
}

core::Result<NoteSignature> NoteSigner::sign(std::string_view text) const {
    if (!is_valid_note_text(text)) {
        return malformed("text must be non-empty UTF-8 ending in a newline, without controls");
    }
    FACTEUR_TRY_ASSIGN(const crypto::Ed25519Signature signature, key_.sign(text));
    return NoteSignature{key_name_, key_id_,
                         crypto::ByteVector(signature.begin(), signature.end())};
}

core::Result<std::string> sign_note(std::string_view text, const NoteSigner& signer) {
    FACTEUR_TRY_ASSIGN(NoteSignature signature, signer.sign(text));
    Note note{std::string(text), {}};
    note.signatures.push_back(std::move(signature));
    return format_note(note);
}

core::Result<Note> open_note(std::string_view message, const NoteVerifier& verifier,
                             const NoteLimits& limits) {
    FACTEUR_TRY_ASSIGN(Note note, parse_note(message, limits));
    bool verified = false;
    for (const NoteSignature& signature : note.signatures) {
        // C2SP: signatures from unknown keys are ignored, even if they share the name or the ID
        // (but not both) with the known key; a known key's signature must verify.
        if (!verifier.matches(signature)) {
            continue;
        }
        FACTEUR_TRY(verifier.verify(note.text, signature));
        verified = true;
    }
    if (!verified) {
        return core::fail(
            Errc::kNotFound, "NOTE-UNSIGNED",
            "note has no signature by " + verifier.key_name() + "+" + hex8(verifier.key_id()), {});
    }
    return note;
}

}  // namespace facteur::archive
