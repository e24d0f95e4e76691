#include "facteur/model/date.h"
#include "facteur/model/decimal.h"

#include <array>

namespace facteur::model {

namespace {

bool all_digits(std::string_view text) noexcept {
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return !text.empty();
}

int number(std::string_view digits) noexcept {
    int out = 0;
    for (const char c : digits) {
        out = out * 10 + (c - '0');
    }
    return out;
}

// xs:date time zone: "Z" or "+hh:mm" / "-hh:mm" with hh <= 14 (XML Schema 1.0 §3.2.7.3).
bool is_time_zone(std::string_view tz) noexcept {
    if (tz.empty() || tz == "Z") {
        return true;
    }
    if (tz.size() != 6 || (tz[0] != '+' && tz[0] != '-') || tz[3] != ':') {
        return false;
    }
    if (!all_digits(tz.substr(1, 2)) || !all_digits(tz.substr(4, 2))) {
        return false;
    }
    const int minutes = number(tz.substr(1, 2)) * 60 + number(tz.substr(4, 2));
    return number(tz.substr(4, 2)) < 60 && minutes <= 14 * 60;
}

bool is_leap(int year) noexcept {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) noexcept {
    constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

tl::unexpected<core::Error> lexical_error(DateFormat format) {
    return format == DateFormat::kIso8601
               ? core::fail(core::Errc::kInvalidInput, "DATE-LEXICAL",
                            "not a date of the form YYYY-MM-DD",
                            "n'est pas une date de la forme AAAA-MM-JJ")
               : core::fail(core::Errc::kInvalidInput, "DATE-LEXICAL",
                            "not a date of the form YYYYMMDD (format 102)",
                            "n'est pas une date de la forme AAAAMMJJ (format 102)");
}

}  // namespace

std::string Date::to_string() const {
    std::string out(10, '0');
    int y = year;
    for (int i = 3; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = static_cast<char>('0' + y % 10);
        y /= 10;
    }
    out[4] = '-';
    out[5] = static_cast<char>('0' + month / 10);
    out[6] = static_cast<char>('0' + month % 10);
    out[7] = '-';
    out[8] = static_cast<char>('0' + day / 10);
    out[9] = static_cast<char>('0' + day % 10);
    return out;
}

core::Result<Date> parse_date(std::string_view text, DateFormat format) {
    text = trim_xml_space(text);
    std::string_view y;
    std::string_view m;
    std::string_view d;
    if (format == DateFormat::kIso8601) {
        if (text.size() < 10 || text[4] != '-' || text[7] != '-'
            || !is_time_zone(text.substr(10))) {
            return lexical_error(format);
        }
        y = text.substr(0, 4);
        m = text.substr(5, 2);
        d = text.substr(8, 2);
    } else {
        if (text.size() != 8) {
            return lexical_error(format);
        }
        y = text.substr(0, 4);
        m = text.substr(4, 2);
        d = text.substr(6, 2);
    }
    if (!all_digits(y) || !all_digits(m) || !all_digits(d)) {
        return lexical_error(format);
    }
    const int year = number(y);
    const int month = number(m);
    const int day = number(d);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
        return core::fail(core::Errc::kInvalidInput, "DATE-RANGE", "not a calendar date",
                          "n'est pas une date du calendrier");
    }
    return Date{year, static_cast<std::uint8_t>(month), static_cast<std::uint8_t>(day)};
}

}  // namespace facteur::model
