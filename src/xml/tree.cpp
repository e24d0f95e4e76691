#include "facteur/xml/tree.h"

#include <array>
#include <cstdint>
#include <string>
#include <type_traits>

#include <libxml/tree.h>

namespace facteur::xml {

namespace {

std::string_view view(const xmlChar* s) noexcept {
    return s == nullptr ? std::string_view{} : std::string_view(reinterpret_cast<const char*>(s));
}

/// Builds elements in preorder; depth is bounded by the parse limits (Limits::depth_max).
class Builder {
public:
    Builder(Tree::Parts& parts, const NameTable& names) : parts_(parts), names_(names) {}

    /// The interned id of a node's expanded name. libxml2 gives every element or attribute that
    /// uses one namespace declaration the same xmlNs, and takes names from the document's
    /// dictionary, so within one document the (xmlNs, name) pointer pair stands for the name:
    /// a small direct-mapped cache, valid for this build only (pointers are reused once the
    /// document is freed), spares most of the string lookups. A miss or a collision just asks
    /// the table.
    NameId name_of(const xmlNs* ns, const xmlChar* name, std::string_view namespace_uri,
                   std::string_view local_name) {
        const auto mix = (reinterpret_cast<std::uintptr_t>(ns) >> 4) * 31U
                         ^ (reinterpret_cast<std::uintptr_t>(name) >> 3);
        CachedName& slot = cache_[(mix ^ (mix >> 7)) % cache_.size()];
        if (slot.name == name && slot.ns == ns && name != nullptr) {
            return slot.id;
        }
        slot = {ns, name, names_.find(namespace_uri, local_name)};
        return slot.id;
    }

    std::uint32_t add(const xmlNode* node, std::uint32_t parent) {
        const auto index = static_cast<std::uint32_t>(parts_.elements.size());
        parts_.elements.emplace_back();
        parts_.raw.push_back(node);
        TreeElement e;
        e.parent = parent;
        e.local_name = view(node->name);
        e.namespace_uri = node->ns == nullptr ? std::string_view{} : view(node->ns->href);
        e.prefix = node->ns == nullptr ? std::string_view{} : view(node->ns->prefix);
        e.name = name_of(node->ns, node->name, e.namespace_uri, e.local_name);
        if (e.name != kNameUnknown) {
            if (e.name >= parts_.by_name.size()) {
                parts_.by_name.resize(e.name + 1);  // interned by another thread since size()
            }
            parts_.by_name[e.name].push_back(index);
        }
        e.line = static_cast<std::uint32_t>(xmlGetLineNo(node));
        e.attr_begin = static_cast<std::uint32_t>(parts_.attributes.size());
        for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
            add_attribute(a);
        }
        e.attr_end = static_cast<std::uint32_t>(parts_.attributes.size());
        parts_.elements[index] = e;
        collect_text(node, index);
        std::uint32_t previous = 0;
        for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
            if (c->type != XML_ELEMENT_NODE) {
                continue;
            }
            const std::uint32_t child = add(c, index);
            parts_.elements[index].mixed = true;
            if (previous == 0) {
                parts_.elements[index].first_child = child;
            } else {
                parts_.elements[previous].next_sibling = child;
                parts_.elements[child].prev_sibling = previous;
            }
            previous = child;
        }
        parts_.elements[index].subtree_end = static_cast<std::uint32_t>(parts_.elements.size());
        return index;
    }

private:
    void add_attribute(const xmlAttr* a) {
        TreeAttribute t;
        t.local_name = view(a->name);
        t.namespace_uri = a->ns == nullptr ? std::string_view{} : view(a->ns->href);
        t.prefix = a->ns == nullptr ? std::string_view{} : view(a->ns->prefix);
        t.name = name_of(a->ns, a->name, t.namespace_uri, t.local_name);
        const xmlNode* first = a->children;
        if (first != nullptr && first->next == nullptr && first->type == XML_TEXT_NODE) {
            t.value = view(first->content);
        } else if (first != nullptr) {
            xmlChar* joined = xmlNodeListGetString(a->doc, first, 1);
            parts_.owned.emplace_back(view(joined));
            xmlFree(joined);
            t.value = parts_.owned.back();
        }
        parts_.attributes.push_back(t);
    }

    /// The string value of an element without element children; nothing for one with some
    /// (Tree::string_value() walks them: its own text is never read on its own).
    void collect_text(const xmlNode* node, std::uint32_t index) {
        const xmlNode* only = nullptr;
        std::size_t count = 0;
        for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
            if (c->type == XML_ELEMENT_NODE) {
                return;
            }
            if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
                only = c;
                ++count;
            }
        }
        if (count == 1) {
            parts_.elements[index].text = view(only->content);
            return;
        }
        if (count > 1) {
            std::string joined;
            for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
                if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
                    joined += view(c->content);
                }
            }
            parts_.owned.push_back(std::move(joined));
            parts_.elements[index].text = parts_.owned.back();
        }
    }

    struct CachedName {
        const xmlNs* ns = nullptr;
        const xmlChar* name = nullptr;
        NameId id = kNameUnknown;
    };

    Tree::Parts& parts_;
    const NameTable& names_;
    std::array<CachedName, 128> cache_{};
};

/// The children index (Parts::children, child_begin) of a tree whose elements are linked.
void index_children(Tree::Parts& p) {
    const auto n = static_cast<std::uint32_t>(p.elements.size());
    p.child_begin.assign(n + 1, 0);
    p.children.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        p.child_begin[i] = static_cast<std::uint32_t>(p.children.size());
        for (std::uint32_t c = p.elements[i].first_child; c != 0; c = p.elements[c].next_sibling) {
            p.children.emplace_back(p.elements[c].name, c);
        }
        std::sort(p.children.begin() + p.child_begin[i], p.children.end());
    }
    p.child_begin[n] = static_cast<std::uint32_t>(p.children.size());
}

}  // namespace

std::string NameTable::key(std::string_view namespace_uri, std::string_view local_name) {
    std::string k;
    k.reserve(namespace_uri.size() + local_name.size() + 1);
    k.append(namespace_uri).push_back('\x1f');
    k.append(local_name);
    return k;
}

NameId NameTable::intern(std::string_view namespace_uri, std::string_view local_name) {
    const std::unique_lock lock(mutex_);
    const auto [it, inserted] =
        ids_.try_emplace(key(namespace_uri, local_name), static_cast<NameId>(ids_.size() + 1));
    return it->second;
}

NameId NameTable::find(std::string_view namespace_uri, std::string_view local_name) const {
    thread_local std::string k;
    k.assign(namespace_uri).push_back('\x1f');
    k.append(local_name);
    const std::shared_lock lock(mutex_);
    const auto it = ids_.find(k);
    return it == ids_.end() ? kNameUnknown : it->second;
}

std::size_t NameTable::size() const {
    const std::shared_lock lock(mutex_);
    return ids_.size();
}

void Tree::prefetch() const noexcept {
    // A larger tree would not fit in a core's L2 cache: later requests would evict earlier ones.
    constexpr std::size_t kElementsMax = 4096;
    if (parts_.elements.size() > kElementsMax) {
        return;
    }
    const auto lines = [](const auto& v) {
        const char* const begin = reinterpret_cast<const char*>(v.data());
        const char* const end = begin + v.size() * sizeof(v[0]);
        for (const char* p = begin; p < end; p += 64) {
            __builtin_prefetch(p);
        }
    };
    lines(parts_.elements);
    lines(parts_.attributes);
    lines(parts_.children);
    lines(parts_.child_begin);
    for (const TreeElement& e : parts_.elements) {
        __builtin_prefetch(e.text.data());
    }
    for (const TreeAttribute& a : parts_.attributes) {
        __builtin_prefetch(a.value.data());
    }
}

Tree Tree::build(Node root, const NameTable& names) {
    Tree tree;
    tree.names_ = &names;
    tree.names_known_ = names.size();
    tree.parts_.elements.reserve(512);
    tree.parts_.raw.reserve(512);
    tree.parts_.by_name.resize(tree.names_known_ + 1);
    tree.parts_.elements.emplace_back();  // the document node
    tree.parts_.raw.push_back(nullptr);
    if (root) {
        Builder builder(tree.parts_, names);
        const std::uint32_t top = builder.add(root.raw(), 0);
        tree.parts_.elements[0].first_child = top;
        tree.parts_.elements[0].mixed = true;
    }
    tree.parts_.elements[0].subtree_end = static_cast<std::uint32_t>(tree.parts_.elements.size());
    index_children(tree.parts_);
    return tree;
}

std::string Tree::string_value(std::uint32_t index) const {
    const TreeElement& e = parts_.elements[index];
    if (!e.mixed) {
        return std::string(e.text);
    }
    if (!parts_.spans.empty()) {
        const auto [begin, end] = parts_.spans[index];
        return std::string(parts_.all_text.substr(begin, end - begin));
    }
    const xmlNode* raw = index == 0 ? parts_.raw[e.first_child] : parts_.raw[index];
    if (raw == nullptr) {
        return {};
    }
    xmlChar* content = xmlNodeGetContent(raw);
    std::string out(view(content));
    xmlFree(content);
    return out;
}

std::string Tree::path(std::uint32_t index) const {
    if (index == 0) {
        return "/";
    }
    std::vector<std::uint32_t> chain;
    for (std::uint32_t i = index; i != 0; i = parts_.elements[i].parent) {
        chain.push_back(i);
    }
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const TreeElement& e = parts_.elements[*it];
        std::size_t position = 1;
        bool several = false;
        const std::uint32_t first = parts_.elements[e.parent].first_child;
        for (std::uint32_t s = first; s != 0; s = parts_.elements[s].next_sibling) {
            const TreeElement& sib = parts_.elements[s];
            if (sib.local_name == e.local_name && sib.namespace_uri == e.namespace_uri) {
                if (s < *it) {
                    ++position;
                } else if (s > *it) {
                    several = true;
                }
            }
        }
        out += '/';
        if (!e.prefix.empty()) {
            out.append(e.prefix).push_back(':');
        }
        out += e.local_name;
        if (position > 1 || several) {
            out += '[' + std::to_string(position) + ']';
        }
    }
    return out;
}

std::optional<std::string> Tree::first_difference(const Tree& other) const {
    const auto differ = [](std::string what, const auto& a, const auto& b) -> std::optional<std::string> {
        if (a == b) {
            return std::nullopt;
        }
        if constexpr (std::is_convertible_v<decltype(a), std::string_view>) {
            return what + ": \"" + std::string(a) + "\" vs \"" + std::string(b) + "\"";
        } else {
            return what + ": " + std::to_string(a) + " vs " + std::to_string(b);
        }
    };
    if (auto d = differ("size", size(), other.size())) {
        return d;
    }
    for (std::uint32_t i = 0; i < size(); ++i) {
        const TreeElement& a = element(i);
        const TreeElement& b = other.element(i);
        const std::string at = "element " + std::to_string(i) + " (" + path(i) + ") ";
        for (auto d : {differ(at + "name", a.name, b.name), differ(at + "mixed", a.mixed, b.mixed),
                       differ(at + "parent", a.parent, b.parent),
                       differ(at + "first_child", a.first_child, b.first_child),
                       differ(at + "next_sibling", a.next_sibling, b.next_sibling),
                       differ(at + "prev_sibling", a.prev_sibling, b.prev_sibling),
                       differ(at + "subtree_end", a.subtree_end, b.subtree_end),
                       differ(at + "attr_begin", a.attr_begin, b.attr_begin),
                       differ(at + "attr_end", a.attr_end, b.attr_end), differ(at + "line", a.line, b.line),
                       differ(at + "text", a.text, b.text), differ(at + "local_name", a.local_name, b.local_name),
                       differ(at + "namespace_uri", a.namespace_uri, b.namespace_uri),
                       differ(at + "prefix", a.prefix, b.prefix),
                       differ(at + "string value", string_value(i), other.string_value(i)),
                       differ(at + "path", path(i), other.path(i))}) {
            if (d) {
                return d;
            }
        }
        const auto ca = children(i);
        const auto cb = other.children(i);
        if (!std::equal(ca.begin(), ca.end(), cb.begin(), cb.end())) {
            return at + "children index";
        }
        for (std::uint32_t k = a.attr_begin; k < a.attr_end; ++k) {
            const TreeAttribute& x = attribute(k);
            const TreeAttribute& y = other.attribute(k);
            const std::string on = at + "attribute " + std::to_string(k - a.attr_begin) + " ";
            for (auto d : {differ(on + "name", x.name, y.name), differ(on + "local_name", x.local_name, y.local_name),
                           differ(on + "namespace_uri", x.namespace_uri, y.namespace_uri),
                           differ(on + "prefix", x.prefix, y.prefix), differ(on + "value", x.value, y.value)}) {
                if (d) {
                    return d;
                }
            }
        }
    }
    const std::size_t names = std::max(parts_.by_name.size(), other.parts_.by_name.size());
    for (NameId n = 1; n < names; ++n) {
        if (elements_named(n) != other.elements_named(n)) {
            return "elements named " + std::to_string(n);
        }
    }
    return std::nullopt;
}

TreeBuilder::TreeBuilder(const NameTable& names) {
    tree_.names_ = &names;
    tree_.names_known_ = names.size();
    Tree::Parts& p = tree_.parts_;
    p.elements.reserve(512);
    p.by_name.resize(tree_.names_known_ + 1);
    p.elements.emplace_back();  // the document node
    p.spans.emplace_back(0, 0);
    open_.push_back(Open{});
}

TreeBuilder::Name TreeBuilder::name(std::string_view namespace_uri, std::string_view local_name,
                                    std::string_view prefix) {
    std::deque<std::string>& owned = tree_.parts_.owned;
    const auto keep = [&owned](std::string_view s) -> std::string_view {
        return s.empty() ? std::string_view{} : owned.emplace_back(s);
    };
    Name n;
    n.namespace_uri = keep(namespace_uri);
    n.local_name = keep(local_name);
    n.prefix = keep(prefix);
    n.id = tree_.names_->find(namespace_uri, local_name);
    return n;
}

void TreeBuilder::keep_alive(std::shared_ptr<const void> storage) {
    tree_.parts_.kept.push_back(std::move(storage));
}

void TreeBuilder::start_element(const Name& n, std::uint32_t line) {
    Tree::Parts& p = tree_.parts_;
    const auto index = static_cast<std::uint32_t>(p.elements.size());
    Open& parent = open_.back();
    TreeElement e;
    e.name = n.id;
    e.parent = parent.index;
    e.local_name = n.local_name;
    e.namespace_uri = n.namespace_uri;
    e.prefix = n.prefix;
    e.line = line;
    e.attr_begin = e.attr_end = static_cast<std::uint32_t>(p.attributes.size());
    if (parent.last_child == 0) {
        p.elements[parent.index].first_child = index;
    } else {
        p.elements[parent.last_child].next_sibling = index;
        e.prev_sibling = parent.last_child;
    }
    p.elements[parent.index].mixed = true;
    parent.last_child = index;
    if (e.name != kNameUnknown) {
        if (e.name >= p.by_name.size()) {
            p.by_name.resize(e.name + 1);  // interned by another thread since size()
        }
        p.by_name[e.name].push_back(index);
    }
    p.elements.push_back(e);
    p.spans.emplace_back(static_cast<std::uint32_t>(text_.size()), 0);
    open_.push_back(Open{index, 0});
}

void TreeBuilder::attribute(const Name& n, std::string_view value) {
    Tree::Parts& p = tree_.parts_;
    TreeAttribute a;
    a.name = n.id;
    a.local_name = n.local_name;
    a.namespace_uri = n.namespace_uri;
    a.prefix = n.prefix;
    p.attributes.push_back(a);
    value_spans_.emplace_back(static_cast<std::uint32_t>(values_.size()),
                              static_cast<std::uint32_t>(value.size()));
    values_.append(value);
    p.elements[open_.back().index].attr_end = static_cast<std::uint32_t>(p.attributes.size());
}

void TreeBuilder::text(std::string_view utf8) {
    if (open_.size() < 2) {
        return;  // white space around the root element: no text node in libxml2's tree
    }
    text_.append(utf8);
}

void TreeBuilder::end_element() {
    if (open_.size() < 2) {
        return;
    }
    Tree::Parts& p = tree_.parts_;
    const Open& closing = open_.back();
    TreeElement& e = p.elements[closing.index];
    e.subtree_end = static_cast<std::uint32_t>(p.elements.size());
    p.spans[closing.index].second = static_cast<std::uint32_t>(text_.size());
    open_.pop_back();
}

Tree TreeBuilder::finish() {
    while (open_.size() > 1) {
        end_element();
    }
    Tree::Parts& p = tree_.parts_;
    p.elements[0].subtree_end = static_cast<std::uint32_t>(p.elements.size());
    p.elements[0].mixed = p.elements[0].first_child != 0;
    p.spans[0].second = static_cast<std::uint32_t>(text_.size());
    // Views into the deque's strings stay valid when the tree moves.
    p.all_text = p.owned.emplace_back(std::move(text_));
    const std::string_view values = p.owned.emplace_back(std::move(values_));
    for (std::size_t k = 0; k < p.elements.size(); ++k) {
        TreeElement& e = p.elements[k];
        if (!e.mixed) {
            const auto [begin, end] = p.spans[k];
            e.text = p.all_text.substr(begin, end - begin);
        }
    }
    for (std::size_t k = 0; k < p.attributes.size(); ++k) {
        p.attributes[k].value = values.substr(value_spans_[k].first, value_spans_[k].second);
    }
    index_children(p);
    return std::move(tree_);
}

TreeNode TreeNode::root_of(const Tree& tree) noexcept {
    const std::uint32_t root = tree.element(0).first_child;
    return root == 0 ? TreeNode{} : TreeNode(tree, root);
}

std::string TreeNode::text() const {
    return tree_ == nullptr ? std::string() : tree_->string_value(index_);
}

TreeNode TreeNode::child(std::string_view namespace_uri, std::string_view local_name) const noexcept {
    for (TreeNode n = first_child(); n; n = n.next_sibling()) {
        if (n.local_name() == local_name && n.namespace_uri() == namespace_uri) {
            return n;
        }
    }
    return {};
}

const TreeAttribute* TreeNode::find_attribute(std::string_view name) const noexcept {
    if (tree_ == nullptr) {
        return nullptr;
    }
    const TreeElement& e = element();
    for (std::uint32_t k = e.attr_begin; k < e.attr_end; ++k) {
        const TreeAttribute& a = tree_->attribute(k);
        if (a.namespace_uri.empty() && a.local_name == name) {
            return &a;
        }
    }
    return nullptr;
}

bool TreeNode::has_attribute(std::string_view name) const noexcept {
    return find_attribute(name) != nullptr;
}

std::string TreeNode::attribute(std::string_view name) const {
    const TreeAttribute* const a = find_attribute(name);
    return a == nullptr ? std::string() : std::string(a->value);
}

}  // namespace facteur::xml
