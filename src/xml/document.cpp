#include "facteur/xml/document.h"

#include <libxml/tree.h>

namespace facteur::xml {

namespace {

const xmlNode* next_element(const xmlNode* n) noexcept {
    while (n != nullptr && n->type != XML_ELEMENT_NODE) {
        n = n->next;
    }
    return n;
}

std::string_view view(const xmlChar* s) noexcept {
    return s == nullptr ? std::string_view{} : std::string_view(reinterpret_cast<const char*>(s));
}

}  // namespace

std::string_view Node::local_name() const noexcept {
    return raw_ == nullptr ? std::string_view{} : view(raw_->name);
}

std::string_view Node::namespace_uri() const noexcept {
    return raw_ == nullptr || raw_->ns == nullptr ? std::string_view{} : view(raw_->ns->href);
}

std::uint32_t Node::line() const noexcept {
    return raw_ == nullptr ? 0 : static_cast<std::uint32_t>(xmlGetLineNo(raw_));
}

std::string Node::text() const {
    if (raw_ == nullptr) {
        return {};
    }
    const xmlNode* only = raw_->children;
    if (only == nullptr) {
        return {};
    }
    if (only->next == nullptr && only->type == XML_TEXT_NODE) {
        return std::string(view(only->content));  // the common leaf: no concatenation needed
    }
    xmlChar* content = xmlNodeGetContent(raw_);
    std::string out(view(content));
    xmlFree(content);
    return out;
}

Node Node::first_child() const noexcept {
    return raw_ == nullptr ? Node{} : Node(next_element(raw_->children));
}

Node Node::child(std::string_view namespace_uri, std::string_view local_name) const noexcept {
    for (Node n = first_child(); n; n = n.next_sibling()) {
        if (n.local_name() == local_name && n.namespace_uri() == namespace_uri) {
            return n;
        }
    }
    return {};
}

Node Node::next_sibling() const noexcept {
    return raw_ == nullptr ? Node{} : Node(next_element(raw_->next));
}

std::string Node::attribute(std::string_view name) const {
    if (raw_ == nullptr) {
        return {};
    }
    for (const xmlAttr* a = raw_->properties; a != nullptr; a = a->next) {
        if (a->ns == nullptr && view(a->name) == name) {
            xmlChar* value = xmlNodeGetContent(reinterpret_cast<const xmlNode*>(a));
            std::string out(view(value));
            xmlFree(value);
            return out;
        }
    }
    return {};
}

std::string_view Node::prefix() const noexcept {
    return raw_ == nullptr || raw_->ns == nullptr ? std::string_view{} : view(raw_->ns->prefix);
}

Node Node::parent() const noexcept {
    if (raw_ == nullptr || raw_->parent == nullptr || raw_->parent->type != XML_ELEMENT_NODE) {
        return {};
    }
    return Node(raw_->parent);
}

bool Node::has_attribute(std::string_view name) const noexcept {
    if (raw_ == nullptr) {
        return false;
    }
    for (const xmlAttr* a = raw_->properties; a != nullptr; a = a->next) {
        if (a->ns == nullptr && view(a->name) == name) {
            return true;
        }
    }
    return false;
}

std::vector<Node::Content> Node::contents() const {
    std::vector<Content> out;
    if (raw_ == nullptr) {
        return out;
    }
    for (const xmlNode* n = raw_->children; n != nullptr; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            out.push_back(Content{Node(n), {}});
        } else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (out.empty() || out.back().element) {
                out.push_back(Content{Node{}, {}});
            }
            out.back().text += view(n->content);
        }
    }
    return out;
}

Document::Document(xmlDoc* doc, ScanInfo scan) noexcept : doc_(doc), scan_(std::move(scan)) {}

Document::Document(Document&& other) noexcept
    : doc_(std::exchange(other.doc_, nullptr)), scan_(std::move(other.scan_)) {}

Document& Document::operator=(Document&& other) noexcept {
    if (this != &other) {
        xmlFreeDoc(doc_);
        doc_ = std::exchange(other.doc_, nullptr);
        scan_ = std::move(other.scan_);
    }
    return *this;
}

Document::~Document() { xmlFreeDoc(doc_); }

Node Document::root() const noexcept {
    return doc_ == nullptr ? Node{} : Node(xmlDocGetRootElement(doc_));
}

}  // namespace facteur::xml
