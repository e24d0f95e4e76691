#include "text_rules.h"

#include <algorithm>

namespace facteur::archive::detail {

std::int32_t decode_utf8(std::string_view text, std::size_t& i) noexcept {
    const auto byte = [&](std::size_t at) {
        return static_cast<std::uint8_t>(text[at]);
    };
    const std::uint8_t lead = byte(i);
    if (lead < 0x80) {
        ++i;
        return lead;
    }
    std::size_t length = 0;
    std::int32_t code_point = 0;
    std::int32_t minimum = 0;
    if ((lead & 0xe0) == 0xc0) {
        length = 2;
        code_point = lead & 0x1f;
        minimum = 0x80;
    } else if ((lead & 0xf0) == 0xe0) {
        length = 3;
        code_point = lead & 0x0f;
        minimum = 0x800;
    } else if ((lead & 0xf8) == 0xf0) {
        length = 4;
        code_point = lead & 0x07;
        minimum = 0x10000;
    } else {
        ++i;
        return -1;
    }
    if (text.size() - i < length) {
        ++i;
        return -1;
    }
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80) {
            ++i;
            return -1;
        }
        code_point = (code_point << 6) | (byte(i + k) & 0x3f);
    }
    if (code_point < minimum || code_point > 0x10ffff
        || (code_point >= 0xd800 && code_point <= 0xdfff)) {
        ++i;
        return -1;
    }
    i += length;
    return code_point;
}

bool is_unicode_space(std::int32_t c) noexcept {
    switch (c) {
        case '\t':
        case '\n':
        case '\v':
        case '\f':
        case '\r':
        case ' ':
        case 0x85:
        case 0xa0:
        case 0x1680:
        case 0x2028:
        case 0x2029:
        case 0x202f:
        case 0x205f:
        case 0x3000:
            return true;
        default:
            return c >= 0x2000 && c <= 0x200a;
    }
}

std::size_t find_bad_note_character(std::string_view text) noexcept {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t at = i;
        const std::int32_t c = decode_utf8(text, i);
        if (c < 0 || (c < 0x20 && c != '\n')) {
            return at;
        }
    }
    return text.size();
}

std::uint32_t line_of(std::string_view text, std::size_t offset) noexcept {
    const std::size_t end = std::min(offset, text.size());
    return static_cast<std::uint32_t>(
        1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
}

}  // namespace facteur::archive::detail
