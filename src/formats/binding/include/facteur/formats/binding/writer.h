#pragma once

// The writing machinery shared by the syntax bindings (formats/ubl write_ubl, formats/cii
// write_cii), the inverse of context.h: a small streaming XML writer that escapes everything it
// is given and leaves out the elements nothing was written into, the text form of model values,
// and the Loss bookkeeping.

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/core/result.h"
#include "facteur/model/conversion.h"
#include "facteur/model/invoice.h"

namespace facteur::formats::binding {

/// An attribute to write; left out when `value` is absent.
struct Attribute {
    std::string_view name;
    std::optional<std::string_view> value;
};

/// A streaming writer of one XML document. Names (element and attribute) are written as given
/// and must be string literals or otherwise outlive the writer; text and attribute values are
/// escaped. Elements opened with open() are written only once something is written inside
/// them, so that a group with no value leaves no empty element behind.
class XmlWriter {
public:
    /// `indent`: 4 spaces per level, one element per line. `bytes_max`: the output limit.
    XmlWriter(bool indent, std::size_t bytes_max);

    /// Opens an element that is written only if a descendant is.
    void open(std::string_view qname);
    /// Opens an element that is written even when empty (the schema requires it), with its
    /// attributes (the root's namespace declarations).
    void open_required(std::string_view qname, std::initializer_list<Attribute> attributes = {});
    /// Closes the innermost open element. Precondition: one is open.
    void close();
    /// <qname attributes>text</qname>, with its pending ancestors.
    void leaf(std::string_view qname, std::string_view text,
              std::initializer_list<Attribute> attributes = {});

    /// The document. Precondition: every element is closed.
    /// Errors: kInvalidInput "XML-WRITE-CHAR" when a text or attribute value holds a character
    /// XML 1.0 cannot carry (a C0 control other than tab, LF, CR); kResourceExhausted
    /// "XML-WRITE-SIZE" when the document would exceed `bytes_max`.
    [[nodiscard]] core::Result<std::string> finish();

private:
    struct Frame {
        std::string_view qname;
        bool written = false;
        bool has_children = false;
    };

    void materialise();
    void start_tag(std::size_t depth, std::initializer_list<Attribute> attributes);
    void newline(std::size_t depth);
    void escape(std::string_view text, bool attribute);
    void escape_char(char c, bool attribute);

    std::string out_;
    std::vector<Frame> stack_;
    bool indent_;
    std::size_t bytes_max_;
    bool bad_char_ = false;
};

/// The text of a value as a syntax writes it: the source text when it could not be parsed
/// (Value::unparsed), so that a bad value travels unchanged, else the value itself.
[[nodiscard]] std::string text_of(const model::Value<std::string>& v);
/// Decimals keep their written scale (Decimal::to_string).
[[nodiscard]] std::string text_of(const model::Value<model::Decimal>& v);
/// Dates in `format`: "YYYY-MM-DD" (UBL) or "YYYYMMDD" (CII).
[[nodiscard]] std::string text_of(const model::Value<model::Date>& v, model::DateFormat format);

/// "<group>[<n>]", n 1-based: a repeated group occurrence in model::flatten form.
[[nodiscard]] std::string occurrence(std::string_view group, std::size_t index_0);

/// Collects the Losses of one conversion.
class Losses {
public:
    void add(std::string term_or_path, std::string message, std::string message_fr);
    /// One Loss per model::Invoice::unmapped entry: the element, at its source path, is not
    /// written because no EN 16931 term carries it. `target` names the syntax ("CII", "UBL").
    void add_unmapped(const model::Invoice& invoice, std::string_view target);

    [[nodiscard]] std::vector<model::Loss> take() { return std::move(losses_); }

private:
    std::vector<model::Loss> losses_;
};

}  // namespace facteur::formats::binding
