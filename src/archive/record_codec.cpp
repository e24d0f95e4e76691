#include "record_codec.h"

#include <algorithm>

namespace facteur::archive::detail {

RecordWriter& RecordWriter::u8(std::uint8_t value) {
    bytes_.push_back(static_cast<char>(value));
    return *this;
}

RecordWriter& RecordWriter::u64(std::uint64_t value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
        bytes_.push_back(static_cast<char>((value >> shift) & 0xff));
    }
    return *this;
}

RecordWriter& RecordWriter::i64(std::int64_t value) {
    return u64(static_cast<std::uint64_t>(value));
}

RecordWriter& RecordWriter::str(std::string_view value) {
    const auto size = static_cast<std::uint32_t>(value.size());
    for (int shift = 24; shift >= 0; shift -= 8) {
        bytes_.push_back(static_cast<char>((size >> shift) & 0xff));
    }
    bytes_.append(value);
    return *this;
}

RecordWriter& RecordWriter::hash(const Hash& value) {
    bytes_.append(reinterpret_cast<const char*>(value.data()), value.size());
    return *this;
}

RecordReader::RecordReader(std::string_view bytes, std::string_view magic, std::string_view what)
    : rest_(bytes), what_(what), bad_magic_(!bytes.starts_with(magic)) {
    if (!bad_magic_) {
        rest_.remove_prefix(magic.size());
    }
}

core::Result<std::string_view> RecordReader::take(std::size_t count) {
    if (bad_magic_) {
        return core::fail(core::Errc::kDataLoss, "stored " + what_ + " record has a wrong magic");
    }
    if (rest_.size() < count) {
        return core::fail(core::Errc::kDataLoss, "stored " + what_ + " record is truncated");
    }
    const std::string_view bytes = rest_.substr(0, count);
    rest_.remove_prefix(count);
    return bytes;
}

core::Result<std::uint8_t> RecordReader::u8() {
    FACTEUR_TRY_ASSIGN(const std::string_view bytes, take(1));
    return static_cast<std::uint8_t>(bytes[0]);
}

core::Result<std::uint64_t> RecordReader::u64() {
    FACTEUR_TRY_ASSIGN(const std::string_view bytes, take(8));
    std::uint64_t value = 0;
    for (const char c : bytes) {
        value = (value << 8) | static_cast<unsigned char>(c);
    }
    return value;
}

core::Result<std::int64_t> RecordReader::i64() {
    FACTEUR_TRY_ASSIGN(const std::uint64_t value, u64());
    return static_cast<std::int64_t>(value);
}

core::Result<std::string> RecordReader::str() {
    FACTEUR_TRY_ASSIGN(const std::string_view size_bytes, take(4));
    std::uint32_t size = 0;
    for (const char c : size_bytes) {
        size = (size << 8) | static_cast<unsigned char>(c);
    }
    FACTEUR_TRY_ASSIGN(const std::string_view bytes, take(size));
    return std::string(bytes);
}

core::Result<Hash> RecordReader::hash() {
    FACTEUR_TRY_ASSIGN(const std::string_view bytes, take(kHashBytes));
    Hash value{};
    std::copy(bytes.begin(), bytes.end(), value.begin());
    return value;
}

core::Result<void> RecordReader::finish() const {
    if (bad_magic_) {
        return core::fail(core::Errc::kDataLoss, "stored " + what_ + " record has a wrong magic");
    }
    if (!rest_.empty()) {
        return core::fail(core::Errc::kDataLoss, "stored " + what_ + " record has trailing bytes");
    }
    return {};
}

}  // namespace facteur::archive::detail
