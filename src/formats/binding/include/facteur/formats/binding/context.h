#pragma once

// The reading machinery shared by the syntax bindings (formats/ubl, formats/cii): element
// cursors that know their path, the value readers that turn element text into model values
// (recording a Problem when it cannot be read), and the bookkeeping of which elements were
// mapped, from which the Unmapped list is computed. Each binding derives its Context to add its
// namespaces and its date form.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/model/invoice.h"
#include "facteur/xml/document.h"
#include "facteur/xml/tree.h"

namespace facteur::formats::binding {

/// The term ids of an allowance or a charge (document level BG-20/21, line level BG-27/28).
struct AllowanceChargeIds {
    std::string_view amount, base_amount, percentage, vat_rate;
};

inline constexpr AllowanceChargeIds kDocumentAllowance{"BT-92", "BT-93", "BT-94", "BT-96"};
inline constexpr AllowanceChargeIds kDocumentCharge{"BT-99", "BT-100", "BT-101", "BT-103"};
inline constexpr AllowanceChargeIds kLineAllowance{"BT-136", "BT-137", "BT-138", ""};
inline constexpr AllowanceChargeIds kLineCharge{"BT-141", "BT-142", "BT-143", ""};

/// What a syntax binding reads besides the terms.
struct ReadOptions {
    /// Fill Invoice::unmapped (every source element no term carries: what a conversion would
    /// lose). Readers that only need the terms (the legal mentions) turn it off: it is one more
    /// walk over the whole document.
    bool unmapped = true;
    /// Spell every value's path (model::Source::path). Off, a value's Source keeps its element's
    /// tree index (model::Source::node) and an empty path (but an attribute's), so that a reader
    /// that shows few of them (the legal mentions) spells only those, with xml::Tree::path().
    bool paths = true;
};

/// An element and its path (xml::Tree::path form: prefixes as written, sibling positions when
/// same-named siblings exist; empty below the root when the Context spells no paths). Absent
/// when `node` is.
struct Cursor {
    xml::TreeNode node;
    std::string path;

    explicit operator bool() const noexcept { return static_cast<bool>(node); }
};

/// Which elements of a document were touched or consumed, by tree index (one byte per element
/// up to the highest marked; no allocation per element). Never throws but std::bad_alloc.
class NodeMarks {
public:
    /// The element carries a group, or is an ancestor of one that does.
    static constexpr std::uint8_t kTouched = 1;
    /// The element and everything in it are mapped.
    static constexpr std::uint8_t kConsumed = 2;

    /// Adds `flag` to element `index`'s marks; false when it already had it.
    bool mark(std::uint32_t index, std::uint8_t flag);
    /// True when element `index` carries `flag`.
    [[nodiscard]] bool has(std::uint32_t index, std::uint8_t flag) const noexcept {
        return index < flags_.size() && (flags_[index] & flag) != 0;
    }

private:
    std::vector<std::uint8_t> flags_;
};

/// Reading state of one document. Never throws on input; every bad value becomes a Problem.
class Context {
public:
    /// `paths`: ReadOptions::paths.
    explicit Context(model::Invoice& invoice, bool paths = true)
        : problems_(invoice.problems), unmapped_(invoice.unmapped), paths_(paths) {}

    /// For documents other than invoices (CDAR lifecycle messages): where problems and unmapped
    /// elements go.
    Context(std::vector<model::Problem>& problems, std::vector<model::Unmapped>& unmapped)
        : problems_(problems), unmapped_(unmapped) {}

    /// The root element's cursor (`tree` must outlive the reading).
    [[nodiscard]] static Cursor root(const xml::Tree& tree);

    /// First child named {ns}local of `parent`, or an absent cursor.
    [[nodiscard]] Cursor child(const Cursor& parent, std::string_view ns,
                               std::string_view local) const;
    /// All children named {ns}local, in document order.
    [[nodiscard]] std::vector<Cursor> children(const Cursor& parent, std::string_view ns,
                                               std::string_view local) const;

    /// The element carries a group: it is mapped, and its children are judged one by one.
    void touch(const Cursor& c);
    /// The element and everything in it are mapped (a value, or a syntax qualifier such as
    /// cac:TaxScheme/cbc:ID = "VAT").
    void consume(const Cursor& c);

    /// Where `c` is, for a group's `source` (touches it).
    [[nodiscard]] model::Source group_source(const Cursor& c);

    /// Text as written (Text terms).
    [[nodiscard]] model::Term<std::string> text(const Cursor& c);
    /// Text without surrounding XML whitespace (codes, identifiers, references).
    [[nodiscard]] model::Term<std::string> token(const Cursor& c);
    /// An identifier with its scheme (and version) attributes, when present.
    [[nodiscard]] model::Term<model::Identifier> identifier(
        const Cursor& c, std::string_view scheme_attribute = "schemeID",
        std::string_view version_attribute = {});
    /// An attribute of `c`, trimmed; absent when the element or the attribute is.
    [[nodiscard]] model::Term<std::string> attribute(const Cursor& c, std::string_view name) const;
    /// An xs:decimal; on failure the value keeps the text and a Problem names `term`.
    [[nodiscard]] model::Term<model::Decimal> decimal(const Cursor& c, std::string_view term);
    /// A date in `format` (the element's whole text); on failure as for decimal().
    [[nodiscard]] model::Term<model::Date> date_in(const Cursor& c, std::string_view term,
                                                   model::DateFormat format);
    /// The xs:boolean charge indicator `c` of `owner` ("true", "false", "1", "0"); nullopt with
    /// a Problem when it is missing or anything else (the group is then left unmapped).
    [[nodiscard]] std::optional<bool> indicator(const Cursor& owner, const Cursor& c,
                                                std::string_view term);
    /// A binary object with its mimeCode and filename attributes.
    [[nodiscard]] model::Term<model::BinaryObject> binary_object(const Cursor& c);

    /// Where `c` is (path, unless paths are off, line and tree index).
    [[nodiscard]] model::Source source(const Cursor& c) const {
        return {c.path, c.node.line(), c.node.index()};
    }

    /// Records a Problem at `c`.
    void problem(const Cursor& c, std::string_view term, std::string message);

    /// Fills invoice.unmapped with every element under `root` that was neither consumed nor
    /// touched, once per subtree. Call last.
    void collect_unmapped(const Cursor& root);

private:
    std::vector<model::Problem>& problems_;
    std::vector<model::Unmapped>& unmapped_;
    NodeMarks marks_;
    bool paths_ = true;  // ReadOptions::paths
};

/// The tree the bindings read `doc` through (they compare names as written, so no rule set's
/// name table is needed). Valid while `doc` lives.
[[nodiscard]] xml::Tree tree_of(const xml::Document& doc);

/// `text` without surrounding XML whitespace (space, tab, CR, LF). The result views `text`:
/// never apply it to a temporary (use trimmed_text() / trimmed_attribute() for nodes).
[[nodiscard]] std::string_view trim(std::string_view text) noexcept;

/// The text content of `c`, trimmed ("" when absent).
[[nodiscard]] std::string trimmed_text(const Cursor& c);

/// The attribute `name` of `c`, trimmed ("" when absent).
[[nodiscard]] std::string trimmed_attribute(const Cursor& c, std::string_view name);

/// Upper-cased, trimmed: the Schematron's normalize-space(upper-case(.)) for short codes.
[[nodiscard]] std::string upper_token(std::string_view text);

}  // namespace facteur::formats::binding
