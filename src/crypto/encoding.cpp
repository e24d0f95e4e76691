#include "facteur/crypto/encoding.h"

#include <array>
#include <cstdint>

namespace facteur::crypto {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint8_t kInvalid = 0xff;

constexpr std::array<std::uint8_t, 256> make_base64_table() {
    std::array<std::uint8_t, 256> table{};
    for (auto& entry : table) {
        entry = kInvalid;
    }
    for (std::uint8_t i = 0; i < 64; ++i) {
        table[static_cast<unsigned char>(kBase64Alphabet[i])] = i;
    }
    return table;
}

constexpr std::array<std::uint8_t, 256> kBase64Table = make_base64_table();

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

core::Result<void> check_size(std::string_view text, const char* what) {
    if (text.size() > kEncodedBytesMax) {
        return core::fail(
            core::Errc::kResourceExhausted,
            std::string(what) + " text longer than " + std::to_string(kEncodedBytesMax) + " bytes");
    }
    return {};
}

tl::unexpected<core::Error> bad_base64(std::size_t offset, const char* why) {
    return core::fail(core::Errc::kInvalidInput,
                      "base64: " + std::string(why) + " at offset " + std::to_string(offset));
}

}  // namespace

std::string hex_encode(ByteView bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const std::uint8_t byte : bytes) {
        out.push_back(kHexDigits[byte >> 4]);
        out.push_back(kHexDigits[byte & 0x0f]);
    }
    return out;
}

core::Result<ByteVector> hex_decode(std::string_view text) {
    FACTEUR_TRY(check_size(text, "hex"));
    if (text.size() % 2 != 0) {
        return core::fail(core::Errc::kInvalidInput, "hex: odd number of digits");
    }
    ByteVector out;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int high = hex_value(text[i]);
        const int low = hex_value(text[i + 1]);
        if (high < 0 || low < 0) {
            return core::fail(
                core::Errc::kInvalidInput,
                "hex: not a hex digit at offset " + std::to_string(high < 0 ? i : i + 1));
        }
        out.push_back(static_cast<std::uint8_t>((high << 4) | low));
    }
    return out;
}

std::string base64_encode(ByteView bytes, Base64Padding padding) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t group =
            (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
        out.push_back(kBase64Alphabet[(group >> 18) & 0x3f]);
        out.push_back(kBase64Alphabet[(group >> 12) & 0x3f]);
        out.push_back(kBase64Alphabet[(group >> 6) & 0x3f]);
        out.push_back(kBase64Alphabet[group & 0x3f]);
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 0) {
        return out;
    }
    std::uint32_t group = std::uint32_t{bytes[i]} << 16;
    if (rest == 2) {
        group |= std::uint32_t{bytes[i + 1]} << 8;
    }
    out.push_back(kBase64Alphabet[(group >> 18) & 0x3f]);
    out.push_back(kBase64Alphabet[(group >> 12) & 0x3f]);
    if (rest == 2) {
        out.push_back(kBase64Alphabet[(group >> 6) & 0x3f]);
    }
    if (padding == Base64Padding::kPadded) {
        out.append(3 - rest, '=');
    }
    return out;
}

core::Result<ByteVector> base64_decode(std::string_view text, Base64Padding padding) {
    FACTEUR_TRY(check_size(text, "base64"));
    std::size_t data_chars = text.size();
    if (padding == Base64Padding::kPadded) {
        if (text.size() % 4 != 0) {
            return bad_base64(text.size(), "length not a multiple of 4");
        }
        while (data_chars > 0 && text.size() - data_chars < 2 && text[data_chars - 1] == '=') {
            --data_chars;
        }
    }
    // A final group of 1 character cannot encode a byte; 2 or 3 characters encode 1 or 2.
    if (data_chars % 4 == 1) {
        return bad_base64(data_chars, "truncated final group");
    }
    if (padding == Base64Padding::kPadded && data_chars % 4 == 0 && data_chars != text.size()) {
        return bad_base64(data_chars, "padding after a complete group");
    }
    ByteVector out;
    out.reserve(data_chars / 4 * 3 + 2);
    std::uint32_t accumulator = 0;
    int bits = 0;
    for (std::size_t i = 0; i < data_chars; ++i) {
        const std::uint8_t value = kBase64Table[static_cast<unsigned char>(text[i])];
        if (value == kInvalid) {
            return bad_base64(
                i, text[i] == '=' ? "misplaced padding" : "character outside the alphabet");
        }
        accumulator = (accumulator << 6) | value;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>((accumulator >> bits) & 0xff));
        }
    }
    // RFC 4648 §3.5: the pad bits of the last character must be zero in a canonical encoding.
    if (bits > 0 && (accumulator & ((1u << bits) - 1)) != 0) {
        return bad_base64(data_chars - 1, "non-zero pad bits (non-canonical encoding)");
    }
    return out;
}

}  // namespace facteur::crypto
