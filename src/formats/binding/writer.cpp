#include "facteur/formats/binding/writer.h"

#include <algorithm>
#include <utility>

#include "facteur/core/assert.h"

namespace facteur::formats::binding {

namespace {

// The output buffer's first size: a typical invoice (5 to 30 KB) is written without regrowth.
constexpr std::size_t kInitialBytes = 32 * 1024;

}  // namespace

XmlWriter::XmlWriter(bool indent, std::size_t bytes_max) : indent_(indent), bytes_max_(bytes_max) {
    out_.reserve(kInitialBytes);
    out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
}

void XmlWriter::newline(std::size_t depth) {
    if (indent_) {
        out_.push_back('\n');
        out_.append(depth * 4, ' ');
    }
}

// XML 1.0 §2.4, §3.3.3: '<' and '&' never appear raw; '>' is escaped too (for "]]>"). A CR in
// text and a tab, LF or CR in an attribute would be normalised away by the reading parser, so
// they are written as character references and read back as written.
void XmlWriter::escape(std::string_view text, bool attribute) {
    const auto plain = [attribute](char c) {
        return static_cast<unsigned char>(c) >= 0x20U && c != '&' && c != '<' && c != '>'
               && (!attribute || c != '"');
    };
    std::size_t i = 0;
    while (i < text.size()) {
        // Runs of plain characters (nearly all of an attachment's base64) are copied at once.
        std::size_t run = i;
        while (run < text.size() && plain(text[run])) {
            ++run;
        }
        out_.append(text.substr(i, run - i));
        if (run == text.size()) {
            return;
        }
        escape_char(text[run], attribute);
        i = run + 1;
    }
}

void XmlWriter::escape_char(char c, bool attribute) {
    switch (c) {
        case '&':
            out_ += "&amp;";
            break;
        case '<':
            out_ += "&lt;";
            break;
        case '>':
            out_ += "&gt;";
            break;
        case '"':
            out_ += "&quot;";
            break;  // only attributes get here
        case '\r':
            out_ += "&#13;";
            break;
        case '\n':
            out_ += attribute ? "&#10;" : "\n";
            break;
        case '\t':
            out_ += attribute ? "&#9;" : "\t";
            break;
        default:
            bad_char_ = true;  // a C0 control: not allowed in XML 1.0, not even as a reference
    }
}

void XmlWriter::start_tag(std::size_t depth, std::initializer_list<Attribute> attributes) {
    Frame& frame = stack_[depth];
    if (depth > 0) {
        stack_[depth - 1].has_children = true;
    }
    newline(depth);
    out_.push_back('<');
    out_.append(frame.qname);
    for (const Attribute& a : attributes) {
        if (!a.value) {
            continue;
        }
        out_.push_back(' ');
        out_.append(a.name);
        out_ += "=\"";
        escape(*a.value, true);
        out_.push_back('"');
    }
    out_.push_back('>');
    frame.written = true;
}

void XmlWriter::materialise() {
    for (std::size_t depth = 0; depth < stack_.size(); ++depth) {
        if (!stack_[depth].written) {
            start_tag(depth, {});
        }
    }
}

void XmlWriter::open(std::string_view qname) {
    stack_.push_back(Frame{qname});
}

void XmlWriter::open_required(std::string_view qname, std::initializer_list<Attribute> attributes) {
    materialise();
    stack_.push_back(Frame{qname});
    start_tag(stack_.size() - 1, attributes);
}

void XmlWriter::close() {
    FACTEUR_ASSERT(!stack_.empty(), "close() without an open element");
    const Frame frame = stack_.back();
    stack_.pop_back();
    if (!frame.written) {
        return;  // nothing inside: the element is left out
    }
    if (frame.has_children) {
        newline(stack_.size());
    }
    out_ += "</";
    out_.append(frame.qname);
    out_.push_back('>');
}

void XmlWriter::leaf(std::string_view qname, std::string_view text,
                     std::initializer_list<Attribute> attributes) {
    // Room for the text and its tags up front: a large text (a base64 attachment) is then
    // copied once, not once more by the growth that the closing tag would trigger.
    const std::size_t need = out_.size() + text.size() + 2 * qname.size() + 64;
    if (out_.capacity() < need) {
        out_.reserve(std::max(need, 2 * out_.capacity()));
    }
    materialise();
    stack_.push_back(Frame{qname});
    start_tag(stack_.size() - 1, attributes);
    escape(text, false);
    stack_.pop_back();
    out_ += "</";
    out_.append(qname);
    out_.push_back('>');
}

core::Result<std::string> XmlWriter::finish() {
    FACTEUR_ASSERT(stack_.empty(), "finish() with open elements");
    if (bad_char_) {
        return core::fail(core::Errc::kInvalidInput, "XML-WRITE-CHAR",
                          "a value holds a control character that XML 1.0 cannot carry",
                          "une valeur contient un caractère de contrôle interdit en XML 1.0");
    }
    out_.push_back('\n');
    if (out_.size() > bytes_max_) {
        return core::fail(core::Errc::kResourceExhausted, "XML-WRITE-SIZE",
                          "the written document exceeds the output size limit",
                          "le document écrit dépasse la taille maximale de sortie");
    }
    return std::move(out_);
}

std::string text_of(const model::Value<std::string>& v) {
    return v.value;
}

std::string text_of(const model::Value<model::Decimal>& v) {
    return v.unparsed ? *v.unparsed : v.value.to_string();
}

std::string text_of(const model::Value<model::Date>& v, model::DateFormat format) {
    if (v.unparsed) {
        return *v.unparsed;
    }
    std::string iso = v.value.to_string();
    if (format == model::DateFormat::kCompact) {
        std::erase(iso, '-');
    }
    return iso;
}

std::string occurrence(std::string_view group, std::size_t index_0) {
    return std::string(group) + '[' + std::to_string(index_0 + 1) + ']';
}

void Losses::add(std::string term_or_path, std::string message, std::string message_fr) {
    losses_.push_back(
        model::Loss{std::move(term_or_path), std::move(message), std::move(message_fr)});
}

void Losses::add_unmapped(const model::Invoice& invoice, std::string_view target) {
    for (const model::Unmapped& u : invoice.unmapped) {
        add(u.path, "no EN 16931 term carries this element: not written to " + std::string(target),
            "aucun terme EN 16931 ne porte cet élément : non écrit en " + std::string(target));
    }
}

}  // namespace facteur::formats::binding
