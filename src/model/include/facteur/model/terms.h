#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace facteur::model {

/// The semantic data type of a business term (EN 16931-1 §6), or kGroup for a business group.
enum class TermKind : std::uint8_t {
    kGroup,
    kText,
    kIdentifier,
    kDocumentReference,
    kCode,
    kDate,
    kAmount,
    kUnitPriceAmount,
    kQuantity,
    kPercentage,
    kBinaryObject,
};

/// One business group or business term of EN 16931-1:2017, as the standard lists it.
struct TermInfo {
    std::string_view id;    ///< "BG-25", "BT-131", "BT-29-1" (scheme identifier sub-term)
    std::string_view name;  ///< "Invoice line net amount"
    TermKind kind = TermKind::kText;
    std::string_view cardinality;  ///< "0..1", "1..1", "0..n" or "1..n", within its parent
    std::string_view parent;       ///< enclosing group id ("BG-4"), "" for the invoice itself
};

/// The catalogue: every BG-1..BG-32 and BT-1..BT-165 (BT-4 does not exist) with the scheme and
/// attribute sub-terms (BT-18-1, BT-29-1, ..., BT-125-1, BT-125-2, BT-158-2), in the order of
/// the standard's table (each group before its terms). Static data; never empty.
[[nodiscard]] std::span<const TermInfo> terms() noexcept;

/// The catalogue entry for `id` ("BT-1"), or nullptr when there is none.
[[nodiscard]] const TermInfo* find_term(std::string_view id) noexcept;

/// Stable lower-case name of a kind: "group", "text", "identifier", "document-reference",
/// "code", "date", "amount", "unit-price-amount", "quantity", "percentage", "binary-object".
[[nodiscard]] std::string_view term_kind_name(TermKind kind) noexcept;

/// "1..1" and "1..n" terms are mandatory within their parent.
[[nodiscard]] constexpr bool is_mandatory(const TermInfo& term) noexcept {
    return term.cardinality.starts_with('1');
}

/// "0..n" and "1..n" terms may repeat.
[[nodiscard]] constexpr bool is_repeatable(const TermInfo& term) noexcept {
    return term.cardinality.ends_with('n');
}

}  // namespace facteur::model
