#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "facteur/archive/merkle.h"
#include "facteur/core/result.h"

// The binary encoding of the archive's stored records (metadata, status, journal, head): a
// 4-byte magic naming record type and version, then fields in a fixed order, integers as 8
// big-endian bytes, strings as a 4-byte big-endian length and the bytes, hashes as 32 raw bytes.
// One encoding per value, so SHA-256 of a record is a commitment to its fields.

namespace facteur::archive::detail {

/// Appends fields to a record.
class RecordWriter {
public:
    explicit RecordWriter(std::string_view magic) : bytes_(magic) {}

    RecordWriter& u8(std::uint8_t value);
    RecordWriter& u64(std::uint64_t value);
    RecordWriter& i64(std::int64_t value);
    RecordWriter& str(std::string_view value);
    RecordWriter& hash(const Hash& value);

    [[nodiscard]] std::string take() { return std::move(bytes_); }

private:
    std::string bytes_;
};

/// Reads the fields of a record back; any mismatch is kDataLoss (stored bytes are ours, so a
/// malformed record means the disk or someone with access to it changed it).
class RecordReader {
public:
    /// Errors (from the first read): kDataLoss when `bytes` does not start with `magic`.
    RecordReader(std::string_view bytes, std::string_view magic, std::string_view what);

    [[nodiscard]] core::Result<std::uint8_t> u8();
    [[nodiscard]] core::Result<std::uint64_t> u64();
    [[nodiscard]] core::Result<std::int64_t> i64();
    [[nodiscard]] core::Result<std::string> str();
    [[nodiscard]] core::Result<Hash> hash();
    /// Succeeds iff every byte was read.
    [[nodiscard]] core::Result<void> finish() const;

private:
    [[nodiscard]] core::Result<std::string_view> take(std::size_t count);

    std::string_view rest_;
    std::string what_;
    bool bad_magic_;
};

}  // namespace facteur::archive::detail
