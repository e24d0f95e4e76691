#include "facteur/formats/binding/context.h"

#include <algorithm>
#include <charconv>
#include <utility>

namespace facteur::formats::binding {

namespace {

// Appends "/prefix:local" as written ("/local" in the default namespace), then "[position]"
// when `several` same-named siblings exist.
void append_step(std::string& out, const xml::TreeNode& n, std::string_view local, std::size_t position,
                 bool several) {
    const std::string_view prefix = n.prefix();
    char digits[24];
    std::size_t digit_count = 0;
    if (several) {
        digit_count = static_cast<std::size_t>(
            std::to_chars(digits, digits + sizeof digits, position).ptr - digits);
    }
    out.reserve(out.size() + 1 + prefix.size() + 1 + local.size() + digit_count + 2);
    out.push_back('/');
    if (!prefix.empty()) {
        out.append(prefix).push_back(':');
    }
    out.append(local);
    if (several) {
        out.push_back('[');
        out.append(digits, digit_count);
        out.push_back(']');
    }
}

// `parent_path` followed by the step to `n`, in one allocation.
std::string step(const std::string& parent_path, const xml::TreeNode& n, std::size_t position,
                 bool several) {
    std::string out;
    out.reserve(parent_path.size() + 32);
    out.append(parent_path);
    append_step(out, n, n.local_name(), position, several);
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

// One child element met by the Unmapped walk; `total` same-named siblings (itself included),
// of which it is the `position`-th.
struct Sibling {
    xml::TreeNode node;
    std::string_view ns, local;
    std::size_t index = 0, total = 1, position = 1;
};

// The Unmapped walk: one path buffer whose prefix is shared by the whole recursion, and one
// sibling stack reused by every level (no allocation per element once they have grown).
class UnmappedWalk {
public:
    UnmappedWalk(const NodeMarks& marks, std::vector<model::Unmapped>& unmapped)
        : marks_(marks), unmapped_(unmapped) {}

    // Recursion only descends into touched elements, whose depth is bounded by the binding's
    // own paths (under 10 levels), never by the input.
    void walk(const xml::TreeNode& parent, std::string& path) {
        const std::size_t base = stack_.size();
        bool pending = false;  // some child is not consumed: the siblings must be counted
        for (xml::TreeNode n = parent.first_child(); n; n = n.next_sibling()) {
            pending = pending || !marks_.has(n.index(), NodeMarks::kConsumed);
            stack_.push_back(
                Sibling{n, n.namespace_uri(), n.local_name(), stack_.size() - base, 1, 1});
        }
        if (!pending) {
            stack_.resize(base);
            return;
        }
        const auto first = stack_.begin() + static_cast<std::ptrdiff_t>(base);
        // Same-named siblings (by namespace and local name) next to each other, in document
        // order, to number them as xml::Tree::path does.
        std::sort(first, stack_.end(), [](const Sibling& a, const Sibling& b) {
            if (a.ns != b.ns) {
                return a.ns < b.ns;
            }
            if (a.local != b.local) {
                return a.local < b.local;
            }
            return a.index < b.index;
        });
        for (auto run = first; run != stack_.end();) {
            auto end = run + 1;
            while (end != stack_.end() && end->ns == run->ns && end->local == run->local) {
                ++end;
            }
            const auto total = static_cast<std::size_t>(end - run);
            for (auto it = run; it != end; ++it) {
                it->total = total;
                it->position = static_cast<std::size_t>(it - run) + 1;
            }
            run = end;
        }
        std::sort(first, stack_.end(),
                  [](const Sibling& a, const Sibling& b) { return a.index < b.index; });
        const std::size_t count = stack_.size() - base;
        for (std::size_t i = 0; i < count; ++i) {
            const Sibling s = stack_[base + i];  // a copy: the recursion may grow the stack
            if (marks_.has(s.node.index(), NodeMarks::kConsumed)) {
                continue;
            }
            const std::size_t mark = path.size();
            append_step(path, s.node, s.local, s.position, s.total > 1);
            if (!marks_.has(s.node.index(), NodeMarks::kTouched)) {
                unmapped_.push_back(model::Unmapped{path, s.node.line(), summary(s.node.text())});
            } else {
                walk(s.node, path);
            }
            path.resize(mark);
        }
        stack_.resize(base);
    }

private:
    const NodeMarks& marks_;
    std::vector<model::Unmapped>& unmapped_;
    std::vector<Sibling> stack_;
};

}  // namespace

bool NodeMarks::mark(std::uint32_t index, std::uint8_t flag) {
    if (index >= flags_.size()) {
        flags_.resize(std::max<std::size_t>(index + 1, flags_.size() * 2), 0);
    }
    const bool added = (flags_[index] & flag) == 0;
    flags_[index] = static_cast<std::uint8_t>(flags_[index] | flag);
    return added;
}

std::string_view trim(std::string_view text) noexcept {
    return model::trim_xml_space(text);
}

std::string trimmed_text(const Cursor& c) {
    std::string text = c.node.text();
    const std::string_view kept = trim(text);
    if (kept.empty()) {
        return {};
    }
    const auto begin = static_cast<std::size_t>(kept.data() - text.data());
    text.resize(begin + kept.size());  // trimmed in place: no second allocation
    text.erase(0, begin);
    return text;
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

xml::Tree tree_of(const xml::Document& doc) {
    static const xml::NameTable kNoNames;  // never interned into: read-only, thread-safe
    return xml::Tree::build(doc.root(), kNoNames);
}

Cursor Context::root(const xml::Tree& tree) {
    const xml::TreeNode r = xml::TreeNode::root_of(tree);
    return r ? Cursor{r, step({}, r, 1, false)} : Cursor{};
}

Cursor Context::child(const Cursor& parent, std::string_view ns, std::string_view local) const {
    xml::TreeNode found;
    for (xml::TreeNode n = parent.node.first_child(); n; n = n.next_sibling()) {
        if (n.local_name() != local || n.namespace_uri() != ns) {
            continue;
        }
        if (found) {
            // a same-named sibling follows
            return Cursor{found, paths_ ? step(parent.path, found, 1, true) : std::string()};
        }
        found = n;
    }
    if (!found) {
        return Cursor{};
    }
    return Cursor{found, paths_ ? step(parent.path, found, 1, false) : std::string()};
}

std::vector<Cursor> Context::children(const Cursor& parent, std::string_view ns,
                                      std::string_view local) const {
    std::vector<Cursor> out;
    std::size_t count = 0;
    for (xml::TreeNode n = parent.node.first_child(); n; n = n.next_sibling()) {
        if (n.local_name() == local && n.namespace_uri() == ns) {
            ++count;
        }
    }
    out.reserve(count);
    for (xml::TreeNode n = parent.node.first_child(); n; n = n.next_sibling()) {
        if (n.local_name() == local && n.namespace_uri() == ns) {
            out.push_back(Cursor{n, {}});
        }
    }
    for (std::size_t i = 0; paths_ && i < out.size(); ++i) {
        out[i].path = step(parent.path, out[i].node, i + 1, out.size() > 1);
    }
    return out;
}

void Context::touch(const Cursor& c) {
    for (xml::TreeNode n = c.node; n; n = n.parent()) {
        if (!marks_.mark(n.index(), NodeMarks::kTouched)) {
            return;  // its ancestors are already in
        }
    }
}

void Context::consume(const Cursor& c) {
    if (c) {
        marks_.mark(c.node.index(), NodeMarks::kConsumed);
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
    model::Source where{paths_ ? c.path : c.node.path(), c.node.line(), c.node.index()};
    where.path.append("/@").append(name);
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
    problems_.push_back(model::Problem{paths_ ? c.path : c.node.path(), c.node.line(),
                                       std::string(term), std::move(message)});
}

void Context::collect_unmapped(const Cursor& root) {
    if (!root) {
        return;
    }
    if (!marks_.has(root.node.index(), NodeMarks::kTouched)) {
        unmapped_.push_back(
            model::Unmapped{root.path, root.node.line(), summary(root.node.text())});
        return;
    }
    std::string path = root.path;
    UnmappedWalk(marks_, unmapped_).walk(root.node, path);
}

}  // namespace facteur::formats::binding
