#include "facteur/archive/leaf.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "facteur/crypto/encoding.h"

namespace facteur::archive {

namespace {

using core::Errc;

tl::unexpected<core::Error> leaf_error(std::string message, std::uint32_t line) {
    return core::fail(Errc::kInvalidInput, "ARCHIVE-LEAF", "leaf entry: " + std::move(message), {},
                      line);
}

bool is_lower_hex(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/// Splits `entry` into lines; every line must end in '\n'.
core::Result<std::vector<std::string_view>> split_lines(std::string_view entry) {
    std::vector<std::string_view> lines;
    while (!entry.empty()) {
        const std::size_t end = entry.find('\n');
        if (end == std::string_view::npos) {
            return leaf_error("the last line does not end in a newline",
                              static_cast<std::uint32_t>(lines.size() + 1));
        }
        lines.push_back(entry.substr(0, end));
        entry.remove_prefix(end + 1);
    }
    return lines;
}

/// The value after "<key> " on line `number` (1-based).
core::Result<std::string_view> field(std::string_view line, std::string_view key,
                                     std::uint32_t number) {
    if (line.size() <= key.size() + 1 || line.substr(0, key.size()) != key
        || line[key.size()] != ' ') {
        return leaf_error(
            "line " + std::to_string(number) + " must be '" + std::string(key) + " <value>'",
            number);
    }
    return line.substr(key.size() + 1);
}

core::Result<std::uint64_t> decimal(std::string_view text, std::uint32_t number) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()
        || (text.size() > 1 && text[0] == '0')) {
        return leaf_error("not a canonical decimal on line " + std::to_string(number), number);
    }
    return value;
}

core::Result<Hash> hex_hash(std::string_view text, std::uint32_t number) {
    if (text.size() != 2 * kHashBytes || !std::all_of(text.begin(), text.end(), is_lower_hex)) {
        return leaf_error("not 64 lower-case hex digits on line " + std::to_string(number), number);
    }
    const crypto::ByteVector bytes = crypto::hex_decode(text).value();
    Hash hash{};
    std::copy(bytes.begin(), bytes.end(), hash.begin());
    return hash;
}

}  // namespace

bool is_valid_object_id(std::string_view id) noexcept {
    return id.size() == kObjectIdChars && std::all_of(id.begin(), id.end(), is_lower_hex);
}

core::Result<std::string> encode_leaf(const LeafRecord& record) {
    if (!is_valid_object_id(record.id)) {
        return leaf_error("invalid object id", 0);
    }
    if (record.deposited_at_unix_ms < 0) {
        return leaf_error("deposit time before 1970", 0);
    }
    std::string entry;
    entry.reserve(300);
    entry.append(kLeafFormatV1).append("\n");
    entry.append("index ").append(std::to_string(record.index)).append("\n");
    entry.append("id ").append(record.id).append("\n");
    entry.append("deposited-ms ").append(std::to_string(record.deposited_at_unix_ms)).append("\n");
    entry.append("size ").append(std::to_string(record.size_bytes)).append("\n");
    entry.append("sha256 ").append(crypto::hex_encode(record.content_sha256)).append("\n");
    entry.append("metadata-sha256 ")
        .append(crypto::hex_encode(record.metadata_sha256))
        .append("\n");
    return entry;
}

core::Result<LeafRecord> parse_leaf(std::string_view entry) {
    if (entry.size() > kLeafEntryBytesMax) {
        return core::fail(Errc::kResourceExhausted, "ARCHIVE-LEAF",
                          "leaf entry longer than " + std::to_string(kLeafEntryBytesMax) + " bytes",
                          {});
    }
    FACTEUR_TRY_ASSIGN(const std::vector<std::string_view> lines, split_lines(entry));
    if (!lines.empty() && lines[0] != kLeafFormatV1
        && lines[0].starts_with("facteur/archive/leaf/")) {
        return core::fail(Errc::kUnsupported, "ARCHIVE-LEAF",
                          "leaf entry version '" + std::string(lines[0]) + "' is not supported", {},
                          1);
    }
    if (lines.size() != 7 || lines[0] != kLeafFormatV1) {
        return leaf_error("not seven lines starting with " + std::string(kLeafFormatV1), 1);
    }
    LeafRecord record;
    FACTEUR_TRY_ASSIGN(const std::string_view index, field(lines[1], "index", 2));
    FACTEUR_TRY_ASSIGN(record.index, decimal(index, 2));
    FACTEUR_TRY_ASSIGN(const std::string_view id, field(lines[2], "id", 3));
    if (!is_valid_object_id(id)) {
        return leaf_error("invalid object id on line 3", 3);
    }
    record.id = std::string(id);
    FACTEUR_TRY_ASSIGN(const std::string_view deposited, field(lines[3], "deposited-ms", 4));
    FACTEUR_TRY_ASSIGN(const std::uint64_t deposited_ms, decimal(deposited, 4));
    if (deposited_ms > static_cast<std::uint64_t>(INT64_MAX)) {
        return leaf_error("deposit time out of range on line 4", 4);
    }
    record.deposited_at_unix_ms = static_cast<std::int64_t>(deposited_ms);
    FACTEUR_TRY_ASSIGN(const std::string_view size, field(lines[4], "size", 5));
    FACTEUR_TRY_ASSIGN(record.size_bytes, decimal(size, 5));
    FACTEUR_TRY_ASSIGN(const std::string_view sha, field(lines[5], "sha256", 6));
    FACTEUR_TRY_ASSIGN(record.content_sha256, hex_hash(sha, 6));
    FACTEUR_TRY_ASSIGN(const std::string_view meta_sha, field(lines[6], "metadata-sha256", 7));
    FACTEUR_TRY_ASSIGN(record.metadata_sha256, hex_hash(meta_sha, 7));
    return record;
}

}  // namespace facteur::archive
