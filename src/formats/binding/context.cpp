#include "facteur/formats/binding/context.h"

#include <map>
#include <utility>

namespace facteur::formats::binding {

namespace {

// "prefix:local" as written, or "local" in the default namespace.
std::string qualified_name(const xml::Node& n) {
    std::string out;
    if (!n.prefix().empty()) {
        out.append(n.prefix()).push_back(':');
    }
    out.append(n.local_name());
    return out;
}

std::string step(const std::string& parent_path, const xml::Node& n, std::size_t position,
                 bool several) {
    std::string out = parent_path + '/' + qualified_name(n);
    if (several) {
        out += '[' + std::to_string(position) + ']';
    }
    return out;
}

// Whitespace runs collapsed to one space, trimmed, cut to kUnmappedTextBytesMax bytes on a UTF-8
// character boundary.
std::string summary(const std::string& text) {
    std::string out;
    bool space = false;
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = !out.empty();
            continue;
        }
        if (space) {
            out.push_back(' ');
            space = false;
        }
        out.push_back(c);
        if (out.size() > model::kUnmappedTextBytesMax) {
            break;
        }
    }
    if (out.size() > model::kUnmappedTextBytesMax) {
        std::size_t cut = model::kUnmappedTextBytesMax;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0U) == 0x80U) {
            --cut;  // never split a UTF-8 sequence
        }
        out.resize(cut);
    }
    return out;
}

}  // namespace

std::string_view trim(std::string_view text) noexcept { return model::trim_xml_space(text); }

std::string trimmed_text(const Cursor& c) {
    return std::string(trim(c.node.text()));
}

std::string trimmed_attribute(const Cursor& c, std::string_view name) {
    return std::string(trim(c.node.attribute(name)));
}

std::string upper_token(std::string_view text) {
    std::string out(trim(text));
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

Cursor Context::root(const xml::Document& doc) {
    const xml::Node r = doc.root();
    return r ? Cursor{r, '/' + qualified_name(r)} : Cursor{};
}

Cursor Context::child(const Cursor& parent, std::string_view ns, std::string_view local) const {
    Cursor found;
    for (xml::Node n = parent.node.first_child(); n; n = n.next_sibling()) {
        if (n.local_name() != local || n.namespace_uri() != ns) {
            continue;
        }
        if (found) {
            found.path += "[1]";  // it has a same-named sibling
            return found;
        }
        found = Cursor{n, parent.path + '/' + qualified_name(n)};
    }
    return found;
}

std::vector<Cursor> Context::children(const Cursor& parent, std::string_view ns,
                                      std::string_view local) const {
    std::vector<Cursor> out;
    for (xml::Node n = parent.node.first_child(); n; n = n.next_sibling()) {
        if (n.local_name() == local && n.namespace_uri() == ns) {
            out.push_back(Cursor{n, {}});
        }
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i].path = step(parent.path, out[i].node, i + 1, out.size() > 1);
    }
    return out;
}

void Context::touch(const Cursor& c) {
    for (xml::Node n = c.node; n; n = n.parent()) {
        if (!touched_.insert(n.raw()).second) {
            return;  // its ancestors are already in
        }
    }
}

void Context::consume(const Cursor& c) {
    if (c) {
        consumed_.insert(c.node.raw());
        touch(c);
    }
}

model::Source Context::group_source(const Cursor& c) {
    if (!c) {
        return {};
    }
    touch(c);
    return source(c);
}

model::Term<std::string> Context::text(const Cursor& c) {
    if (!c) {
        return std::nullopt;
    }
    consume(c);
    return model::Value<std::string>{c.node.text(), source(c), std::nullopt};
}

model::Term<std::string> Context::token(const Cursor& c) {
    if (!c) {
        return std::nullopt;
    }
    consume(c);
    return model::Value<std::string>{trimmed_text(c), source(c), std::nullopt};
}

model::Term<model::Identifier> Context::identifier(const Cursor& c,
                                                   std::string_view scheme_attribute,
                                                   std::string_view version_attribute) {
    if (!c) {
        return std::nullopt;
    }
    consume(c);
    model::Identifier id{trimmed_text(c), std::nullopt, std::nullopt};
    if (c.node.has_attribute(scheme_attribute)) {
        id.scheme = trimmed_attribute(c, scheme_attribute);
    }
    if (!version_attribute.empty() && c.node.has_attribute(version_attribute)) {
        id.scheme_version = trimmed_attribute(c, version_attribute);
    }
    return model::Value<model::Identifier>{std::move(id), source(c), std::nullopt};
}

model::Term<std::string> Context::attribute(const Cursor& c, std::string_view name) const {
    if (!c || !c.node.has_attribute(name)) {
        return std::nullopt;
    }
    model::Source where{c.path + "/@" + std::string(name), c.node.line()};
    return model::Value<std::string>{trimmed_attribute(c, name), std::move(where), std::nullopt};
}

model::Term<model::Decimal> Context::decimal(const Cursor& c, std::string_view term) {
    if (!c) {
        return std::nullopt;
    }
    consume(c);
    std::string raw = c.node.text();
    auto parsed = model::parse_decimal(raw);
    if (parsed) {
        return model::Value<model::Decimal>{*parsed, source(c), std::nullopt};
    }
    problem(c, term, parsed.error().message);
    return model::Value<model::Decimal>{{}, source(c), std::move(raw)};
}

model::Term<model::Date> Context::date_in(const Cursor& c, std::string_view term,
                                          model::DateFormat format) {
    if (!c) {
        return std::nullopt;
    }
    consume(c);
    std::string raw = c.node.text();
    auto parsed = model::parse_date(raw, format);
    if (parsed) {
        return model::Value<model::Date>{*parsed, source(c), std::nullopt};
    }
    problem(c, term, parsed.error().message);
    return model::Value<model::Date>{{}, source(c), std::move(raw)};
}

std::optional<bool> Context::indicator(const Cursor& owner, const Cursor& c,
                                       std::string_view term) {
    if (!c) {
        problem(owner, term, "no charge indicator: neither an allowance nor a charge");
        return std::nullopt;
    }
    const std::string value = trimmed_text(c);
    if (value == "true" || value == "1") {
        consume(c);
        return true;
    }
    if (value == "false" || value == "0") {
        consume(c);
        return false;
    }
    problem(c, term, "not an xs:boolean: neither an allowance nor a charge");
    return std::nullopt;
}

model::Term<model::BinaryObject> Context::binary_object(const Cursor& c) {
    if (!c) {
        return std::nullopt;
    }
    consume(c);
    model::BinaryObject object{c.node.text(), std::nullopt, std::nullopt};
    if (c.node.has_attribute("mimeCode")) {
        object.mime_code = trimmed_attribute(c, "mimeCode");
    }
    if (c.node.has_attribute("filename")) {
        object.filename = trimmed_attribute(c, "filename");
    }
    return model::Value<model::BinaryObject>{std::move(object), source(c), std::nullopt};
}

void Context::problem(const Cursor& c, std::string_view term, std::string message) {
    problems_.push_back(
        model::Problem{c.path, c.node.line(), std::string(term), std::move(message)});
}

void Context::collect_unmapped(const Cursor& root) {
    if (!root) {
        return;
    }
    if (!touched_.contains(root.node.raw())) {
        unmapped_.push_back(
            model::Unmapped{root.path, root.node.line(), summary(root.node.text())});
        return;
    }
    walk(root);
}

// Recursion only descends into touched elements, whose depth is bounded by the binding's own
// paths (under 10 levels), never by the input.
void Context::walk(const Cursor& parent) {
    std::map<std::pair<std::string_view, std::string_view>, std::pair<std::size_t, std::size_t>>
        counts;
    for (xml::Node n = parent.node.first_child(); n; n = n.next_sibling()) {
        ++counts[{n.namespace_uri(), n.local_name()}].first;
    }
    for (xml::Node n = parent.node.first_child(); n; n = n.next_sibling()) {
        auto& [total, seen] = counts[{n.namespace_uri(), n.local_name()}];
        ++seen;
        const Cursor c{n, step(parent.path, n, seen, total > 1)};
        if (consumed_.contains(n.raw())) {
            continue;
        }
        if (!touched_.contains(n.raw())) {
            unmapped_.push_back(model::Unmapped{c.path, n.line(), summary(n.text())});
            continue;
        }
        walk(c);
    }
}

}  // namespace facteur::formats::binding
