#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "facteur/archive/merkle.h"
#include "facteur/core/result.h"

// The canonical entry of one deposit in the evidence log (docs/adr/0004-archive-storage.md,
// "Leaf encoding"). The Merkle leaf hash is hash_leaf(entry) over exactly these bytes, so the
// encoding is fixed per version: seven lines, each ending in U+000A, in this order:
//
//   facteur/archive/leaf/v1
//   index 41
//   id 3f1c2b0e9d8a7c6b5a4f3e2d1c0b9a88
//   deposited-ms 1795463885813
//   size 20480
//   sha256 <64 lower-case hex digits: SHA-256 of the original bytes>
//   metadata-sha256 <64 lower-case hex digits: SHA-256 of the stored metadata record>
//
// Decimals have no sign, no leading zeros ("0" alone for zero), no separators. The entry holds
// no personal data in clear: seller, buyer, invoice number and amounts are committed to by
// metadata-sha256 only, and the metadata record also contains the content hash, so the digest
// cannot be brute-forced from the (low-entropy) identifiers without the document itself.

namespace facteur::archive {

/// First line of a version 1 leaf entry.
inline constexpr std::string_view kLeafFormatV1 = "facteur/archive/leaf/v1";
/// Length of an object id: 32 lower-case hex digits (128 bits).
inline constexpr std::size_t kObjectIdChars = 32;
/// Longest leaf entry facteur writes or parses (the v1 lines with 20-digit decimals).
inline constexpr std::size_t kLeafEntryBytesMax = 512;

/// The fields of a leaf entry.
struct LeafRecord {
    std::uint64_t index = 0;                ///< position in the log (0-based)
    std::string id;                         ///< object id, kObjectIdChars lower-case hex digits
    std::int64_t deposited_at_unix_ms = 0;  ///< deposit time, ms since the Unix epoch (>= 0)
    std::uint64_t size_bytes = 0;           ///< size of the original
    Hash content_sha256{};                  ///< SHA-256 of the original bytes
    Hash metadata_sha256{};                 ///< SHA-256 of the metadata record

    friend bool operator==(const LeafRecord&, const LeafRecord&) = default;
};

/// Whether `id` is kObjectIdChars lower-case hex digits.
[[nodiscard]] bool is_valid_object_id(std::string_view id) noexcept;

/// The canonical v1 entry of `record`.
/// Errors: kInvalidInput (invalid id, negative deposit time).
[[nodiscard]] core::Result<std::string> encode_leaf(const LeafRecord& record);

/// Parses a v1 entry strictly: exactly the canonical bytes encode_leaf() would write.
/// Errors: kInvalidInput (anything else; Error::line is the 1-based line at fault),
/// kUnsupported (another version line starting "facteur/archive/leaf/"),
/// kResourceExhausted (longer than kLeafEntryBytesMax).
[[nodiscard]] core::Result<LeafRecord> parse_leaf(std::string_view entry);

}  // namespace facteur::archive
