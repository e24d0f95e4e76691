#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/archive/merkle.h"
#include "facteur/archive/note.h"
#include "facteur/core/result.h"

// C2SP transparency log checkpoints (https://c2sp.org/tlog-checkpoint): the text of a signed
// note made of the origin line, the tree size in decimal, the base64 root hash and optional
// extension lines:
//
//   example.com/facteur/archive
//   20852163
//   CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
//
//   — example.com/facteur/archive Az3grlgt...

namespace facteur::archive {

/// Limits applied when parsing a checkpoint.
struct CheckpointLimits {
    /// Limits of the enclosing note. Default: NoteLimits{}.
    NoteLimits note;
    /// Most extension lines accepted. Default: 16 (facteur writes none).
    std::size_t extension_lines_max = 16;
};

/// A Merkle tree head as a log commits to it.
struct Checkpoint {
    std::string origin;                   ///< unique log identity, e.g. "example.com/log42"
    std::uint64_t tree_size = 0;          ///< number of leaves
    Hash root_hash{};                     ///< RFC 9162 MTH at tree_size
    std::vector<std::string> extensions;  ///< opaque extra lines (NOT RECOMMENDED by C2SP)

    friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

/// The checkpoint's note text ("<origin>\n<size>\n<base64 root>\n" then one line per extension).
/// Errors: kInvalidInput (empty origin or extension, or a newline or control character in one).
[[nodiscard]] core::Result<std::string> format_checkpoint(const Checkpoint& checkpoint);

/// Parses a checkpoint note text strictly: at least three lines, each non-empty and ending in a
/// newline; the size decimal without leading zeros ("0" alone for the empty tree) and within
/// 64 bits; the root the canonical padded base64 of exactly 32 bytes.
/// Errors: kInvalidInput (Error::line is the 1-based line at fault), kResourceExhausted (more
/// than extension_lines_max extension lines).
[[nodiscard]] core::Result<Checkpoint> parse_checkpoint(std::string_view text,
                                                        const CheckpointLimits& limits = {});

/// The signed note of a checkpoint. The C2SP spec recommends the signer's key name be the
/// origin. Errors: those of format_checkpoint() and NoteSigner::sign().
[[nodiscard]] core::Result<std::string> sign_checkpoint(const Checkpoint& checkpoint,
                                                        const NoteSigner& signer);

/// Opens a signed checkpoint: open_note() against `verifier`, parse_checkpoint() of its text,
/// and the origin must be `expected_origin`.
/// Errors: those of open_note() and parse_checkpoint(); kInvalidInput (another origin).
[[nodiscard]] core::Result<Checkpoint> open_checkpoint(std::string_view message,
                                                       const NoteVerifier& verifier,
                                                       std::string_view expected_origin,
                                                       const CheckpointLimits& limits = {});

}  // namespace facteur::archive
