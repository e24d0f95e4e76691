#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/core/result.h"
#include "facteur/crypto/bytes.h"
#include "facteur/crypto/ed25519.h"

// C2SP signed notes (https://c2sp.org/signed-note, the format of golang.org/x/mod/sumdb/note)
// with Ed25519 signatures (signature type 0x01):
//
//   <text, one or more lines, each ending in U+000A>
//   <blank line>
//   — <key name> <base64(4-byte big-endian key ID || 64-byte Ed25519 signature of the text)>
//
// key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4]; a verifier key is the
// text "<key name>+<key ID, 8 hex digits>+<base64(0x01 || public key)>".

namespace facteur::archive {

/// Limits applied when parsing a signed note.
struct NoteLimits {
    /// Largest note accepted, in bytes. Default: 64 KiB (a checkpoint with 100 Ed25519
    /// signatures is about 12 KiB).
    std::size_t note_bytes_max = 64 * 1024;
    /// Most signature lines accepted. Default: 100, the cap of the Go note package; C2SP
    /// signed-note requires accepting at least 16.
    std::size_t signatures_max = 100;
};

/// One signature line of a note.
struct NoteSignature {
    std::string key_name;
    std::uint32_t key_id = 0;
    crypto::ByteVector signature;  ///< the bytes after the key ID (64 for Ed25519)

    friend bool operator==(const NoteSignature&, const NoteSignature&) = default;
};

/// A parsed note: the signed text (ending in a newline, without the separating blank line)
/// and its signature lines in order, none of them verified yet.
struct Note {
    std::string text;
    std::vector<NoteSignature> signatures;
};

/// Whether `name` may be a key name: non-empty UTF-8 without Unicode spaces (Go's
/// unicode.IsSpace) or '+' (C2SP signed-note "Format").
[[nodiscard]] bool is_valid_key_name(std::string_view name) noexcept;

/// Whether `text` may be signed: non-empty, ends in a newline, valid UTF-8, and no ASCII control
/// character other than newline (C2SP signed-note "Format").
[[nodiscard]] bool is_valid_note_text(std::string_view text) noexcept;

/// The C2SP key ID of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || public key)[:4], big-endian.
/// Errors: kInvalidInput (invalid key name), kInternal.
[[nodiscard]] core::Result<std::uint32_t> ed25519_key_id(std::string_view key_name,
                                                         const crypto::Ed25519PublicKey& key);

/// Parses a signed note strictly: size and signature count within `limits`, valid UTF-8, no
/// control characters but newline, the text separated from the signature lines by the last
/// blank line, every signature line exactly "— <valid key name> <canonical padded base64 of at
/// least 5 bytes>\n". Signatures are not verified (see open_note()).
/// Errors: kResourceExhausted (a limit), kInvalidInput (anything malformed; Error::line is the
/// 1-based line of the note at fault, 0 when it concerns the whole note).
[[nodiscard]] core::Result<Note> parse_note(std::string_view message,
                                            const NoteLimits& limits = {});

/// The encoded note: text, blank line, one line per signature.
/// Errors: kInvalidInput (invalid text, key name or an empty signature).
[[nodiscard]] core::Result<std::string> format_note(const Note& note);

/// Verifies notes signed by one Ed25519 key.
class NoteVerifier {
public:
    /// From a verifier key "<name>+<8 hex digits>+<base64(0x01 || 32-byte key)>" (Go
    /// note.NewVerifier). Errors: kInvalidInput (malformed, or the key ID does not match the
    /// name and key), kUnsupported (a signature type other than 0x01 Ed25519).
    [[nodiscard]] static core::Result<NoteVerifier> parse(std::string_view verifier_key);

    /// For `key` under `key_name`. Errors: kInvalidInput (invalid key name), kInternal.
    [[nodiscard]] static core::Result<NoteVerifier> create(std::string key_name,
                                                           crypto::Ed25519PublicKey key);

    [[nodiscard]] const std::string& key_name() const noexcept { return key_name_; }

    [[nodiscard]] std::uint32_t key_id() const noexcept { return key_id_; }

    [[nodiscard]] const crypto::Ed25519PublicKey& public_key() const noexcept { return key_; }

    /// The verifier key text parse() reads.
    [[nodiscard]] std::string verifier_key() const;

    /// Whether a signature line claims this key (same name and key ID).
    [[nodiscard]] bool matches(const NoteSignature& signature) const noexcept {
        return signature.key_name == key_name_ && signature.key_id == key_id_;
    }

    /// Succeeds iff `signature` claims this key and is its Ed25519 signature of `text`.
    /// Errors: kInvalidInput (another key), kDataLoss (the signature does not verify).
    [[nodiscard]] core::Result<void> verify(std::string_view text,
                                            const NoteSignature& signature) const;

private:
    NoteVerifier(std::string key_name, std::uint32_t key_id, crypto::Ed25519PublicKey key)
        : key_name_(std::move(key_name)), key_id_(key_id), key_(std::move(key)) {}

    std::string key_name_;
    std::uint32_t key_id_;
    crypto::Ed25519PublicKey key_;
};

/// Signs note texts with one Ed25519 key. Move-only (it owns the private key).
class NoteSigner {
public:
    /// For `key` under `key_name`. Errors: kInvalidInput (invalid key name), kInternal.
    [[nodiscard]] static core::Result<NoteSigner> create(std::string key_name,
                                                         crypto::Ed25519PrivateKey key);

    [[nodiscard]] const std::string& key_name() const noexcept { return key_name_; }

    [[nodiscard]] std::uint32_t key_id() const noexcept { return key_id_; }

    /// The matching verifier. Errors: kInternal.
    [[nodiscard]] core::Result<NoteVerifier> verifier() const;

    /// The signature line for `text`. Errors: kInvalidInput (!is_valid_note_text(text)),
    /// kInternal.
    [[nodiscard]] core::Result<NoteSignature> sign(std::string_view text) const;

private:
    NoteSigner(std::string key_name, std::uint32_t key_id, crypto::Ed25519PrivateKey key)
        : key_name_(std::move(key_name)), key_id_(key_id), key_(std::move(key)) {}

    std::string key_name_;
    std::uint32_t key_id_;
    crypto::Ed25519PrivateKey key_;
};

/// The signed note of `text` with one signature by `signer`.
/// Errors: those of NoteSigner::sign().
[[nodiscard]] core::Result<std::string> sign_note(std::string_view text, const NoteSigner& signer);

/// Parses `message` and verifies it against `verifier` (C2SP signed-note "Signatures"): lines
/// from other keys are kept unverified and ignored; every line claiming the verifier's key (name
/// and key ID) must verify, and at least one must.
/// Errors: those of parse_note(); kDataLoss (a signature by the key does not verify); kNotFound
/// (no signature by the key).
[[nodiscard]] core::Result<Note> open_note(std::string_view message, const NoteVerifier& verifier,
                                           const NoteLimits& limits = {});

}  // namespace facteur::archive
