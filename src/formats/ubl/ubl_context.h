#pragma once

// The UBL 2.1 side of the binding machinery (formats/binding): UBL namespaces, cac:/cbc: child
// lookups, and UBL dates (xs:date, YYYY-MM-DD).

#include <string_view>

#include "facteur/formats/binding/context.h"

namespace facteur::formats::ubl {

inline constexpr std::string_view kInvoiceNs =
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
inline constexpr std::string_view kCreditNoteNs =
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
inline constexpr std::string_view kCacNs =
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
inline constexpr std::string_view kCbcNs =
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

using binding::Cursor;
using binding::trim;
using binding::trimmed_attribute;
using binding::trimmed_text;
using binding::upper_token;

class Context : public binding::Context {
public:
    using binding::Context::Context;

    [[nodiscard]] Cursor cac(const Cursor& parent, std::string_view local) const {
        return child(parent, kCacNs, local);
    }
    [[nodiscard]] Cursor cbc(const Cursor& parent, std::string_view local) const {
        return child(parent, kCbcNs, local);
    }
    /// An xs:date (YYYY-MM-DD); on failure the value keeps the text and a Problem names `term`.
    [[nodiscard]] model::Term<model::Date> date(const Cursor& c, std::string_view term) {
        return date_in(c, term, model::DateFormat::kIso8601);
    }
};

}  // namespace facteur::formats::ubl
