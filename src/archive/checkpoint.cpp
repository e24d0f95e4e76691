// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint), section "Note text".
#include "facteur/archive/checkpoint.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "facteur/crypto/encoding.h"

#include "text_rules.h"

namespace facteur::archive {

namespace {

using core::Errc;

// Decimal digits of the largest uint64 (18446744073709551615).
constexpr std::size_t kTreeSizeDigitsMax = 20;

tl::unexpected<core::Error> malformed(std::string message, std::uint32_t line = 0) {
    return core::fail(Errc::kInvalidInput, "CHECKPOINT-MALFORMED",
                      "malformed checkpoint: " + std::move(message), {}, line);
}

bool is_valid_line(std::string_view line) {
    return !line.empty() && line.find('\n') == std::string_view::npos
           && detail::find_bad_note_character(line) == line.size();
}

core::Result<std::uint64_t> parse_tree_size(std::string_view digits) {
    if (digits.size() > kTreeSizeDigitsMax
        || !std::all_of(digits.begin(), digits.end(),
                        [](char c) { return c >= '0' && c <= '9'; })) {
        return malformed("tree size is not a decimal number", 2);
    }
    if (digits.size() > 1 && digits[0] == '0') {
        return malformed("tree size has a leading zero", 2);
    }
    std::uint64_t value = 0;
    for (const char c : digits) {
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (value > (UINT64_MAX - digit) / 10) {
            return malformed("tree size exceeds 64 bits", 2);
        }
        value = value * 10 + digit;
    }
    return value;
}

core::Result<Hash> parse_root_hash(std::string_view encoded) {
    auto bytes = crypto::base64_decode(encoded, crypto::Base64Padding::kPadded);
    if (!bytes) {
        return malformed("root hash is not base64 (" + bytes.error().message + ")", 3);
    }
    if (bytes->size() != kHashBytes) {
        return malformed("root hash is " + std::to_string(bytes->size()) + " bytes, not 32", 3);
    }
    Hash hash{};
    std::memcpy(hash.data(), bytes->data(), hash.size());
    return hash;
}

}  // namespace

core::Result<std::string> format_checkpoint(const Checkpoint& checkpoint) {
    if (!is_valid_line(checkpoint.origin)) {
        return malformed("origin must be one non-empty line without control characters");
    }
    std::string text = checkpoint.origin;
    text += '\n';
    text += std::to_string(checkpoint.tree_size);
    text += '\n';
    text += crypto::base64_encode(checkpoint.root_hash, crypto::Base64Padding::kPadded);
    text += '\n';
    for (const std::string& extension : checkpoint.extensions) {
        if (!is_valid_line(extension)) {
            return malformed("extension lines must be non-empty, without control characters");
        }
        text += extension;
        text += '\n';
    }
    return text;
}

core::Result<Checkpoint> parse_checkpoint(std::string_view text, const CheckpointLimits& limits) {
    if (text.size() > limits.note.note_bytes_max) {
        return core::fail(
            Errc::kResourceExhausted, "CHECKPOINT-TOO-LARGE",
            "checkpoint text exceeds " + std::to_string(limits.note.note_bytes_max) + " bytes", {});
    }
    if (const std::size_t bad = detail::find_bad_note_character(text); bad != text.size()) {
        return malformed("invalid UTF-8 or control character", detail::line_of(text, bad));
    }
    if (text.empty() || text.back() != '\n') {
        return malformed("text does not end in a newline", detail::line_of(text, text.size()));
    }
    std::vector<std::string_view> lines;
    for (std::string_view rest = text; !rest.empty();) {
        const std::size_t end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        const auto number = static_cast<std::uint32_t>(lines.size() + 1);
        if (line.empty()) {
            return malformed("empty line", number);
        }
        if (lines.size() == 3 + limits.extension_lines_max) {
            return core::fail(
                Errc::kResourceExhausted, "CHECKPOINT-TOO-MANY-EXTENSIONS",
                "more than " + std::to_string(limits.extension_lines_max) + " extension lines", {},
                number);
        }
        lines.push_back(line);
        rest.remove_prefix(end + 1);
    }
    if (lines.size() < 3) {
        return malformed("fewer than three lines (origin, tree size, root hash)",
                         static_cast<std::uint32_t>(lines.size() + 1));
    }
    Checkpoint checkpoint;
    checkpoint.origin = std::string(lines[0]);
    FACTEUR_TRY_ASSIGN(checkpoint.tree_size, parse_tree_size(lines[1]));
    FACTEUR_TRY_ASSIGN(checkpoint.root_hash, parse_root_hash(lines[2]));
    for (std::size_t i = 3; i < lines.size(); ++i) {
        checkpoint.extensions.emplace_back(lines[i]);
    }
    return checkpoint;
}

core::Result<std::string> sign_checkpoint(const Checkpoint& checkpoint, const NoteSigner& signer) {
    FACTEUR_TRY_ASSIGN(const std::string text, format_checkpoint(checkpoint));
    return sign_note(text, signer);
}

core::Result<Checkpoint> open_checkpoint(std::string_view message, const NoteVerifier& verifier,
                                         std::string_view expected_origin,
                                         const CheckpointLimits& limits) {
    FACTEUR_TRY_ASSIGN(const Note note, open_note(message, verifier, limits.note));
    FACTEUR_TRY_ASSIGN(Checkpoint checkpoint, parse_checkpoint(note.text, limits));
    if (checkpoint.origin != expected_origin) {
        return core::fail(Errc::kInvalidInput, "CHECKPOINT-ORIGIN",
                          "checkpoint origin \"" + checkpoint.origin + "\" is not \""
                              + std::string(expected_origin) + "\"",
                          {}, 1);
    }
    return checkpoint;
}

}  // namespace facteur::archive
