#pragma once

// A compact, immutable, index-based view of a parsed document for rule evaluation: elements in
// document order (index 0 is the document node), names interned to small integers against a
// NameTable fixed by the rule set, attributes and text as views into the Document. Building it
// is one linear walk; afterwards every name test is an integer comparison and every axis a walk
// over arrays.

#include <cstdint>
#include <algorithm>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "facteur/xml/document.h"

namespace facteur::xml {

/// Interned expanded name (namespace URI + local name). 0 = a name the table does not know.
using NameId = std::uint32_t;
inline constexpr NameId kNameUnknown = 0;

/// Expanded names known to rule sets: filled while they compile, read while trees are built and
/// rules run. Thread-safe: several rule sets may share one table (an id, once given, never
/// changes), one compiling while others run on other threads.
class NameTable {
public:
    NameId intern(std::string_view namespace_uri, std::string_view local_name);
    [[nodiscard]] NameId find(std::string_view namespace_uri, std::string_view local_name) const;
    /// Number of names interned (ids are 1..size()); it only grows.
    [[nodiscard]] std::size_t size() const;

private:
    static std::string key(std::string_view namespace_uri, std::string_view local_name);
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, NameId> ids_;
};

struct TreeAttribute {
    NameId name = kNameUnknown;
    std::string_view local_name;
    std::string_view namespace_uri;
    std::string_view prefix;
    std::string_view value;
};

// What rule evaluation reads on most visits comes first (name, text, the axes), so that it
// shares a cache line; the spelled-out names, for messages, paths and the rarer name tests,
// follow.
struct TreeElement {
    NameId name = kNameUnknown;
    bool mixed = false;               ///< has element children (string value needs a walk)
    std::uint32_t parent = 0;         ///< 0 = the document node
    std::uint32_t first_child = 0;    ///< first child element, 0 = none
    std::uint32_t next_sibling = 0;   ///< next sibling element, 0 = none
    std::uint32_t subtree_end = 0;    ///< one past the last descendant (preorder)
    std::uint32_t attr_begin = 0;     ///< attributes are [attr_begin, attr_end) of attributes()
    std::uint32_t attr_end = 0;
    std::string_view text;            ///< the string value if !mixed; empty if mixed (see string_value())
    std::uint32_t prev_sibling = 0;   ///< previous sibling element, 0 = none
    std::uint32_t line = 0;
    std::string_view local_name;
    std::string_view namespace_uri;
    std::string_view prefix;
};

/// Document-node-rooted tree. Valid while the Document it was built from lives.
class Tree {
public:
    /// Builds the tree with `root` as the document element; `root` may be any element.
    static Tree build(Node root, const NameTable& names);

    [[nodiscard]] std::uint32_t size() const noexcept {
        return static_cast<std::uint32_t>(parts_.elements.size());
    }
    [[nodiscard]] const TreeElement& element(std::uint32_t index) const noexcept {
        return parts_.elements[index];
    }
    [[nodiscard]] const TreeAttribute& attribute(std::uint32_t index) const noexcept {
        return parts_.attributes[index];
    }
    /// Elements with name `name`, in document order (empty for kNameUnknown): `//x` and the
    /// descendant axis become a binary search instead of a walk.
    [[nodiscard]] const std::vector<std::uint32_t>& elements_named(NameId name) const noexcept {
        static const std::vector<std::uint32_t> kNone;
        return name < parts_.by_name.size() ? parts_.by_name[name] : kNone;
    }
    /// Children of element `parent` named `name`, in document order, as (name, index) pairs: a
    /// child step with a name test is a binary search instead of a walk over the children.
    [[nodiscard]] std::span<const std::pair<NameId, std::uint32_t>> children_named(std::uint32_t parent,
                                                                                   NameId name) const noexcept {
        using Child = std::pair<NameId, std::uint32_t>;
        const Child* const begin = parts_.children.data() + parts_.child_begin[parent];
        const Child* const end = parts_.children.data() + parts_.child_begin[parent + 1];
        if (begin == end) {
            return {};
        }
        // One binary search for the first child of that name, each step choosing its half
        // without a branch (a comparison's outcome cannot be predicted), then the (few) children
        // of that name.
        const Child* base = begin;
        for (auto n = static_cast<std::size_t>(end - begin); n > 1;) {
            const std::size_t half = n / 2;
            base = base[half].first < name ? base + half : base;
            n -= half;
        }
        const Child* const first = base + (base->first < name ? 1 : 0);
        const Child* last = first;
        while (last != end && last->first == name) {
            ++last;
        }
        return {first, last};
    }

    /// Every child element of `parent` as (name, index) pairs, sorted by name, then in document
    /// order.
    [[nodiscard]] std::span<const std::pair<NameId, std::uint32_t>> children(
        std::uint32_t parent) const noexcept {
        return {parts_.children.begin() + parts_.child_begin[parent],
                parts_.children.begin() + parts_.child_begin[parent + 1]};
    }
    /// Asks the processor to load the tree into its caches (elements, attributes, children,
    /// and the first bytes of every text and attribute value), all requests at once: a tree
    /// built a while ago (RuleSet::Prepared) is out of the caches, and evaluation would
    /// otherwise wait for each miss in turn. A few instructions per element when the tree is
    /// still cached; nothing for a tree of more than 4,096 elements, which would not fit.
    void prefetch() const noexcept;
    /// XPath string value: every descendant text node, in document order.
    [[nodiscard]] std::string string_value(std::uint32_t index) const;
    /// "/ubl:Invoice/cac:InvoiceLine[2]/cbc:ID": the element's path with sibling positions.
    [[nodiscard]] std::string path(std::uint32_t index) const;
    /// Where this tree and `other` first differ in what rules and bindings read (elements,
    /// their links, names, lines, texts and string values, attributes, the name indexes), as
    /// "element 12 (/Invoice/cbc:ID): line 7 vs 8"; nullopt when they read the same. For tests
    /// and fuzzers comparing two ways of building a document's tree.
    [[nodiscard]] std::optional<std::string> first_difference(const Tree& other) const;

    /// The table the names were interned against, and how many names it held when the build
    /// began: every name interned before then has its id in the tree; later ones may not.
    [[nodiscard]] const NameTable* names() const noexcept { return names_; }
    [[nodiscard]] std::size_t names_known() const noexcept { return names_known_; }
    /// The element the tree was built from (build()'s `root`).
    [[nodiscard]] Node root() const noexcept { return Node(parts_.raw.size() > 1 ? parts_.raw[1] : nullptr); }

    /// Storage, filled by the builders in tree.cpp.
    struct Parts {
        std::vector<TreeElement> elements;
        std::vector<TreeAttribute> attributes;
        std::vector<const _xmlNode*> raw;  // libxml2 node of each element (nullptr: document)
        std::deque<std::string> owned;     // joined texts; a TreeBuilder's names and texts
        std::vector<std::shared_ptr<const void>> kept;  // storage that names view (TreeBuilder)
        /// A tree built by TreeBuilder: every character of the document's text in document
        /// order (in `owned`), and the span of it that lies inside each element (its string
        /// value). Empty for a tree built from libxml2, which has the nodes instead.
        std::string_view all_text;
        std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;
        std::vector<std::vector<std::uint32_t>> by_name;  // NameId -> elements, document order
        // Children of element i, sorted by (name, index): children[child_begin[i], child_begin[i+1])
        std::vector<std::pair<NameId, std::uint32_t>> children;
        std::vector<std::uint32_t> child_begin;
    };

private:
    friend class TreeBuilder;
    Parts parts_;
    const NameTable* names_ = nullptr;
    std::size_t names_known_ = 0;
};

/// An element of a Tree, with the reading interface of xml::Node (what the model bindings use):
/// names as written, line, text, child elements and unqualified attributes. Absent when made
/// without a tree; every reading of an absent element gives nothing. Valid while the tree lives.
class TreeNode {
public:
    TreeNode() = default;
    TreeNode(const Tree& tree, std::uint32_t index) : tree_(&tree), index_(index) {}
    /// The document element of `tree` (absent when it has none).
    [[nodiscard]] static TreeNode root_of(const Tree& tree) noexcept;

    explicit operator bool() const noexcept { return tree_ != nullptr; }
    [[nodiscard]] std::uint32_t index() const noexcept { return index_; }
    [[nodiscard]] std::string_view local_name() const noexcept { return element().local_name; }
    [[nodiscard]] std::string_view namespace_uri() const noexcept {
        return element().namespace_uri;
    }
    [[nodiscard]] std::string_view prefix() const noexcept { return element().prefix; }
    [[nodiscard]] std::uint32_t line() const noexcept { return element().line; }
    /// Tree::path() of the element ("" when absent).
    [[nodiscard]] std::string path() const { return tree_ == nullptr ? std::string() : tree_->path(index_); }
    /// The string value: every descendant text, in document order (xml::Node::text()).
    [[nodiscard]] std::string text() const;
    [[nodiscard]] TreeNode first_child() const noexcept { return at(element().first_child); }
    [[nodiscard]] TreeNode next_sibling() const noexcept { return at(element().next_sibling); }
    [[nodiscard]] TreeNode parent() const noexcept { return at(element().parent); }
    /// The first child element named {namespace_uri}local_name, or absent.
    [[nodiscard]] TreeNode child(std::string_view namespace_uri,
                                 std::string_view local_name) const noexcept;
    /// An attribute without namespace: whether it is there, and its value ("" when absent).
    [[nodiscard]] bool has_attribute(std::string_view name) const noexcept;
    [[nodiscard]] std::string attribute(std::string_view name) const;

private:
    /// Absent: an element with no name, line, text, child or attribute (as xml::Node's
    /// reading of an absent node gives).
    [[nodiscard]] const TreeElement& element() const noexcept {
        static const TreeElement kNone;
        return tree_ == nullptr ? kNone : tree_->element(index_);
    }
    /// The element at `index` of the same tree; absent for 0 (the document node, or none).
    [[nodiscard]] TreeNode at(std::uint32_t index) const noexcept {
        return tree_ == nullptr || index == 0 ? TreeNode{} : TreeNode(*tree_, index);
    }
    [[nodiscard]] const TreeAttribute* find_attribute(std::string_view name) const noexcept;

    const Tree* tree_ = nullptr;
    std::uint32_t index_ = 0;
};

/// Builds a Tree from a reader's events, in document order, instead of from a libxml2
/// document: the tree owns every name and text it is given, and root() is then null. The
/// caller decides well-formedness; unbalanced events give a tree, never a crash (finish()
/// closes what is still open, an end without a start is ignored).
class TreeBuilder {
public:
    explicit TreeBuilder(const NameTable& names);

    /// An element or attribute name: its id in the table and its spelling.
    struct Name {
        NameId id = kNameUnknown;
        std::string_view namespace_uri, local_name, prefix;
    };

    /// The table names are looked up in.
    [[nodiscard]] const NameTable& names() const noexcept { return *tree_.names_; }
    /// A name whose strings are copied into the tree, looked up in the table.
    [[nodiscard]] Name name(std::string_view namespace_uri, std::string_view local_name,
                            std::string_view prefix);
    /// Keeps `storage` alive as long as the tree: what the views of names given to
    /// start_element() and attribute() point into, when not made by name().
    void keep_alive(std::shared_ptr<const void> storage);
    /// Opens an element whose start tag ends on `line` (the line libxml2 gives it).
    void start_element(const Name& name, std::uint32_t line);
    /// An attribute of the element just started (before its text or children).
    void attribute(const Name& name, std::string_view value);
    /// Character data (UTF-8, references resolved, line ends normalised) of the open element;
    /// ignored outside the root element.
    void text(std::string_view utf8);
    void end_element();
    /// The tree; the builder is spent.
    [[nodiscard]] Tree finish();

private:
    struct Open {
        std::uint32_t index = 0;
        std::uint32_t last_child = 0;
    };

    Tree tree_;
    std::vector<Open> open_;
    std::string text_;                // all character data, in document order
    std::string values_;              // attribute values
    std::vector<std::pair<std::uint32_t, std::uint32_t>> value_spans_;  // per attribute
};

}  // namespace facteur::xml
