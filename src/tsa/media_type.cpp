#include "media_type.h"

#include <algorithm>

namespace facteur::tsa::detail {

bool media_type_is(std::string_view field_value, std::string_view media_type) noexcept {
    std::string_view type = field_value.substr(0, field_value.find(';'));
    const auto blank = [](char c) {
        return c == ' ' || c == '\t';
    };
    while (!type.empty() && blank(type.front())) {
        type.remove_prefix(1);
    }
    while (!type.empty() && blank(type.back())) {
        type.remove_suffix(1);
    }
    const auto lower = [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    return std::equal(type.begin(), type.end(), media_type.begin(), media_type.end(),
                      [&](char a, char b) { return lower(a) == lower(b); });
}

}  // namespace facteur::tsa::detail
