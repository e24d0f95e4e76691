#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/core/result.h"
#include "facteur/xml/limits.h"
#include "facteur/xml/prescan.h"

struct _xmlDoc;   // libxml2's xmlDoc; only xml/ sees its definition
struct _xmlNode;  // libxml2's xmlNode

namespace facteur::xml {

/// A read-only view of one element of a Document. Cheap to copy; valid while the Document lives.
/// A default-constructed Node is "absent" (operator bool is false) and every accessor on it
/// returns an empty value.
class Node {
public:
    Node() = default;
    explicit Node(const _xmlNode* raw) : raw_(raw) {}

    explicit operator bool() const noexcept { return raw_ != nullptr; }
    [[nodiscard]] std::string_view local_name() const noexcept;
    [[nodiscard]] std::string_view namespace_uri() const noexcept;
    /// 1-based source line of the start tag.
    [[nodiscard]] std::uint32_t line() const noexcept;
    /// Concatenated text content of the element and its descendants.
    [[nodiscard]] std::string text() const;
    /// First child element, optionally filtered by namespace and local name.
    [[nodiscard]] Node first_child() const noexcept;
    [[nodiscard]] Node child(std::string_view namespace_uri, std::string_view local_name) const noexcept;
    /// Next sibling element.
    [[nodiscard]] Node next_sibling() const noexcept;
    /// Value of an attribute without namespace, or "" when absent.
    [[nodiscard]] std::string attribute(std::string_view name) const;
    /// Namespace prefix of the element as written ("" for the default namespace).
    [[nodiscard]] std::string_view prefix() const noexcept;
    /// Parent element, or absent for the root element.
    [[nodiscard]] Node parent() const noexcept;
    /// True if the element carries an attribute without namespace named `name`, even empty.
    [[nodiscard]] bool has_attribute(std::string_view name) const noexcept;

    /// One piece of mixed content: a child element, or a run of character data.
    struct Content;
    /// Child elements and text, in document order (comments and processing instructions left out).
    [[nodiscard]] std::vector<Content> contents() const;

    /// The underlying libxml2 node, for the xml module's own tree builder.
    [[nodiscard]] const _xmlNode* raw() const noexcept { return raw_; }

private:
    const _xmlNode* raw_ = nullptr;
};

struct Node::Content {
    Node element;      ///< the child element, or absent for text
    std::string text;  ///< the text, when `element` is absent
};

/// A parsed, well-formed XML document (libxml2 tree), together with what the pre-scan learned.
class Document {
public:
    Document(Document&&) noexcept;
    Document& operator=(Document&&) noexcept;
    ~Document();

    [[nodiscard]] Node root() const noexcept;
    [[nodiscard]] const ScanInfo& scan() const noexcept { return scan_; }

private:
    friend core::Result<Document> parse(std::string_view bytes, const Limits& limits);
    Document(_xmlDoc* doc, ScanInfo scan) noexcept;

    _xmlDoc* doc_ = nullptr;
    ScanInfo scan_;
};

/// Parses `bytes` into a tree, safely: prescan() first (limits, DOCTYPE, encoding, XInclude),
/// then libxml2 with NONET | NOCDATA and without NOENT, DTDLOAD, XINCLUDE, HUGE or RECOVER; the
/// external entity loader refuses every URI, so nothing is ever fetched. Thread-safe.
/// Errors (all with a stable id and the line): the prescan() ids, XML-MALFORMED (not
/// well-formed), XML-ENTITY (reference to an undeclared entity), XML-ENCODING; kInternal when
/// libxml2 cannot allocate.
[[nodiscard]] core::Result<Document> parse(std::string_view bytes, const Limits& limits);

/// Initialises libxml2 for facteur (thread-safety set-up, silent errors, a refusing external
/// entity loader). Called by parse(); callable early from main(). Idempotent.
void initialise();

/// The libxml2 version facteur runs with, e.g. "2.9.14".
[[nodiscard]] std::string libxml2_version();

}  // namespace facteur::xml
