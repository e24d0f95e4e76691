#pragma once

// Private: French formatting of model values (exact decimals, dates, code labels). Pure
// functions, no libharu.

#include <cstdint>
#include <string>
#include <string_view>

#include "facteur/model/invoice.h"

namespace facteur::render {

/// U+00A0 NO-BREAK SPACE, between digit groups and before the currency.
inline constexpr std::string_view kNbsp = "\xC2\xA0";

/// A decimal in French notation: digit groups of three separated by kNbsp, "," before the
/// fraction, at least `scale_min` fractional digits; with `trim`, trailing fractional zeros
/// beyond scale_min are dropped. {123456, 2}, 2 -> "1 234,56"; {55, 1}, 0, trim -> "5,5".
[[nodiscard]] std::string format_decimal(const model::Decimal& value, std::uint8_t scale_min,
                                         bool trim);

/// An amount with at least two decimals and its currency: "1 234,56 €" for EUR (or no code),
/// "1 234,56 USD" otherwise.
[[nodiscard]] std::string format_amount(const model::Decimal& value, std::string_view currency);

/// A percentage: "20 %", "5,5 %".
[[nodiscard]] std::string format_percent(const model::Decimal& value);

/// A date as DD/MM/YYYY.
[[nodiscard]] std::string format_date(const model::Date& date);

/// The term's value formatted by `fmt`, its source text when it could not be parsed, "" when
/// absent.
template <class T, class F>
[[nodiscard]] std::string shown(const model::Term<T>& term, F fmt) {
    if (!term) {
        return {};
    }
    if (term->unparsed) {
        return *term->unparsed;
    }
    return fmt(term->value);
}

/// A text term as written ("" when absent).
[[nodiscard]] inline std::string text_of(const model::Term<std::string>& term) {
    return term ? term->value : std::string();
}

/// "Facture", "Avoir", "Facture rectificative", ... for a UNTDID 1001 code (BT-3).
[[nodiscard]] std::string_view document_title(std::string_view type_code);

/// True for the UNTDID 1001 credit note codes of EN 16931 (381, 261, ...).
[[nodiscard]] bool is_credit_note(std::string_view type_code);

/// French label of a UNTDID 4461 payment means code (BT-81); "" when unknown.
[[nodiscard]] std::string_view payment_means_label(std::string_view code);

/// French label of a UNTDID 4451 note subject code (BT-21); "" when unknown.
[[nodiscard]] std::string_view note_subject_label(std::string_view code);

/// French abbreviation of a UN/ECE Recommendation 20 unit code (BT-130); the code itself when
/// unknown.
[[nodiscard]] std::string unit_label(std::string_view code);

/// French label of a UNCL 5305 VAT category code (BT-118, BT-151); "" when unknown.
[[nodiscard]] std::string_view vat_category_label(std::string_view code);

/// A note as shown: its subject code (BT-21, else the "#CODE#" prefix UBL writers put in the
/// text) and the text without that prefix.
struct NoteText {
    std::string subject;
    std::string text;
};

[[nodiscard]] NoteText split_note(const model::Note& note);

/// `text` cut to at most `bytes_max` bytes at a UTF-8 character boundary, "…" appended when cut.
[[nodiscard]] std::string clip(std::string_view text, std::size_t bytes_max);

}  // namespace facteur::render
