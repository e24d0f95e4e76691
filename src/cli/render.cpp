#include "render.h"

#include <cstdint>
#include <cstring>

namespace facteur::cli {

namespace {

const std::string& pick(const std::string& en, const std::string& fr, Lang lang) {
    return lang == Lang::kFr && !fr.empty() ? fr : en;
}

std::string_view syntax_label(model::Syntax syntax, Lang lang) {
    const bool fr = lang == Lang::kFr;
    switch (syntax) {
        case model::Syntax::kUblInvoice: return fr ? "UBL 2.1 facture (Invoice)" : "UBL 2.1 Invoice";
        case model::Syntax::kUblCreditNote: return fr ? "UBL 2.1 avoir (CreditNote)" : "UBL 2.1 CreditNote";
        case model::Syntax::kCii: return "UN/CEFACT CII";
        case model::Syntax::kCdar: return fr ? "CDAR (statut de cycle de vie)" : "CDAR (lifecycle status)";
        case model::Syntax::kFacturX: return "Factur-X (PDF)";
        case model::Syntax::kUnknown: return fr ? "format inconnu" : "unknown format";
    }
    return "";
}

std::string_view status_label(model::LayerStatus status, Lang lang) {
    const bool fr = lang == Lang::kFr;
    switch (status) {
        case model::LayerStatus::kValid: return fr ? "conforme" : "valid";
        case model::LayerStatus::kInvalid: return fr ? "non conforme" : "invalid";
        case model::LayerStatus::kSkipped: return fr ? "non exécutée" : "skipped";
        case model::LayerStatus::kError: return fr ? "erreur" : "error";
        case model::LayerStatus::kReplaced: return fr ? "remplacée" : "replaced";
    }
    return "";
}

std::string_view severity_label(model::Severity severity, Lang lang) {
    const bool fr = lang == Lang::kFr;
    switch (severity) {
        case model::Severity::kFatal: return fr ? "bloquant" : "fatal";
        case model::Severity::kWarning: return fr ? "alerte" : "warning";
        case model::Severity::kInfo: return "info";
    }
    return "";
}

std::string joined(const std::vector<std::string>& values, std::string_view separator) {
    std::string out;
    for (const std::string& v : values) {
        out += (out.empty() ? "" : std::string(separator)) + v;
    }
    return out;
}

std::string_view mention_status_label(model::MentionStatus status, Lang lang) {
    const bool fr = lang == Lang::kFr;
    switch (status) {
        case model::MentionStatus::kPresent: return fr ? "présente" : "present";
        case model::MentionStatus::kMissing: return fr ? "absente" : "missing";
        case model::MentionStatus::kNotApplicable: return fr ? "sans objet" : "not applicable";
        case model::MentionStatus::kToCheck: return fr ? "à vérifier" : "to check";
    }
    return "";
}

struct Style {
    bool on;
    [[nodiscard]] std::string wrap(std::string_view code, std::string_view text) const {
        if (!on) {
            return std::string(text);
        }
        return "\x1b[" + std::string(code) + "m" + std::string(text) + "\x1b[0m";
    }
};

}  // namespace

namespace {

/// One JSON Lines object, written straight into a string, field by field in the order given.
class JsonLine {
public:
    JsonLine() { out_.reserve(1024); }

    /// Opens (`{`, `[`) or closes (`}`, `]`) an object or array.
    void open(char bracket) {
        separate();
        out_.push_back(bracket);
        first_ = true;
    }
    void close(char bracket) {
        out_.push_back(bracket);
        first_ = false;
    }
    void key(std::string_view name) {
        separate();
        append_string(out_, name);
        out_.push_back(':');
        first_ = true;  // the value follows the colon without a comma
    }
    void string(std::string_view text) {
        separate();
        append_string(out_, text);
    }
    void string_or_null(std::string_view text) { text.empty() ? literal("null") : string(text); }
    /// `"name":"value"`.
    void field(std::string_view name, std::string_view value) {
        key(name);
        string(value);
    }
    void number(std::uint64_t n) {
        separate();
        out_ += std::to_string(n);
    }
    void literal(std::string_view token) {  // true, false, null
        separate();
        out_ += token;
    }
    void strings(const std::vector<std::string>& values) {
        open('[');
        for (const std::string& v : values) {
            string(v);
        }
        close(']');
    }
    [[nodiscard]] std::string take() { return std::move(out_); }

private:
    void separate() {
        if (!first_) {
            out_.push_back(',');
        }
        first_ = false;
    }
    std::string out_;
    bool first_ = true;
};

}  // namespace

namespace {

/// True when one of the 8 bytes of `w` is a control character (< 0x20), '"' or '\\': the
/// classic exact "has a zero byte" / "has a byte below n" word tests.
constexpr bool needs_escape(std::uint64_t w) noexcept {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
    const std::uint64_t quote = w ^ (kOnes * '"');
    const std::uint64_t backslash = w ^ (kOnes * '\\');
    const std::uint64_t control = (w - kOnes * 0x20) & ~w;
    const std::uint64_t zero_quote = (quote - kOnes) & ~quote;
    const std::uint64_t zero_backslash = (backslash - kOnes) & ~backslash;
    return ((control | zero_quote | zero_backslash) & kHigh) != 0;
}

}  // namespace

void append_string(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.reserve(out.size() + text.size() + 2);
    out.push_back('"');
    std::size_t plain = 0;  // start of the run of characters copied as they are
    for (std::size_t i = 0; i < text.size(); ++i) {
        // Eight plain bytes at a time (most texts have nothing to escape).
        while (i + 8 <= text.size()) {
            std::uint64_t w = 0;
            std::memcpy(&w, text.data() + i, 8);
            if (needs_escape(w)) {
                break;
            }
            i += 8;
        }
        if (i >= text.size()) {
            break;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        out.append(text.data() + plain, i - plain);
        plain = i + 1;
        out.push_back('\\');
        switch (c) {
            case '"': out.push_back('"'); break;
            case '\\': out.push_back('\\'); break;
            case '\b': out.push_back('b'); break;
            case '\t': out.push_back('t'); break;
            case '\n': out.push_back('n'); break;
            case '\f': out.push_back('f'); break;
            case '\r': out.push_back('r'); break;
            default:
                out += "u00";
                out.push_back(kHex[c >> 4]);
                out.push_back(kHex[c & 15]);
        }
    }
    out.append(text.data() + plain, text.size() - plain);
    out.push_back('"');
}

std::string render_json(const model::Report& report, Lang lang) {
    JsonLine j;
    j.open('{');
    j.field("file", report.file);
    j.field("syntax", model::syntax_name(report.syntax));
    j.key("profile");
    report.profile ? j.string(*report.profile) : j.literal("null");
    j.key("valid");
    j.literal(report.valid() ? "true" : "false");
    if (report.from_pdf) {
        j.field("source", "pdf");
        if (!report.attachment.empty()) {
            j.field("attachment", report.attachment);
        }
    }
    j.key("layers");
    j.open('[');
    for (const model::LayerResult& layer : report.layers) {
        j.open('{');
        j.field("name", layer.name);
        j.field("version", layer.version);
        j.field("status", model::layer_status_name(layer.status));
        j.field("message", pick(layer.message, layer.message_fr, lang));
        j.close('}');
    }
    j.close(']');
    j.key("findings");
    j.open('[');
    for (const model::Finding& f : report.findings) {
        j.open('{');
        j.field("rule", f.rule);
        j.field("severity", model::severity_name(f.severity));
        j.field("layer", f.layer);
        j.key("location");
        j.string_or_null(f.location);
        j.key("line");
        f.line == 0 ? j.literal("null") : j.number(f.line);
        j.field("message", pick(f.message, f.message_fr, lang));
        if (!f.terms.empty()) {  // contract extension: business terms the rule concerns
            j.key("terms");
            j.strings(f.terms);
        }
        j.close('}');
    }
    j.close(']');
    if (!report.mentions.empty()) {  // contract extension: the legal-mentions checklist
        j.key("mentions");
        j.open('[');
        for (const model::MentionCheck& m : report.mentions) {
            j.open('{');
            j.field("id", m.id);
            j.field("mention", pick(m.label, m.label_fr, lang));
            j.field("basis", m.basis);
            j.key("terms");
            j.strings(m.terms);
            j.field("status", model::mention_status_name(m.status));
            j.key("value");
            j.string_or_null(m.value);
            j.key("enforced_by");
            j.strings(m.enforced_by);
            j.field("message", pick(m.message, m.message_fr, lang));
            j.close('}');
        }
        j.close(']');
    }
    j.close('}');
    return j.take();
}

namespace {

/// The legal-mentions checklist, one line per mention: mark, name (terms), what the invoice
/// shows, and for a missing one the rule that rejects it or facteur's own id.
std::string render_mentions(const std::vector<model::MentionCheck>& mentions, Lang lang, const Style& style) {
    const bool fr = lang == Lang::kFr;
    std::size_t counts[4] = {0, 0, 0, 0};
    for (const model::MentionCheck& m : mentions) {
        ++counts[static_cast<std::size_t>(m.status)];
    }
    std::string out = "  " + style.wrap("1", fr ? "Mentions obligatoires" : "Mandatory mentions") +
                      (fr ? " (CGI ann. II art. 242 nonies A ; C. com. L441-9 et L441-10) : "
                          : " (CGI ann. II art. 242 nonies A; C. com. L441-9, L441-10): ") +
                      std::to_string(counts[0]) + (fr ? " présente(s), " : " present, ") + std::to_string(counts[1]) +
                      (fr ? " absente(s), " : " missing, ") + std::to_string(counts[3]) +
                      (fr ? " à vérifier, " : " to check, ") + std::to_string(counts[2]) +
                      (fr ? " sans objet\n" : " not applicable\n");
    for (const model::MentionCheck& m : mentions) {
        std::string mark;
        switch (m.status) {
            case model::MentionStatus::kPresent: mark = style.wrap("32", "✔"); break;
            case model::MentionStatus::kMissing: mark = style.wrap("31", "✘"); break;
            case model::MentionStatus::kToCheck: mark = style.wrap("33", "?"); break;
            case model::MentionStatus::kNotApplicable: mark = style.wrap("2", "–"); break;
        }
        out += "    " + mark + " " + pick(m.label, m.label_fr, lang) + " (" + joined(m.terms, ", ") + ") : ";
        if (m.status == model::MentionStatus::kPresent) {
            out += m.value.empty() ? std::string(mention_status_label(m.status, lang)) : m.value;
        } else {
            out += std::string(mention_status_label(m.status, lang));
            const std::string& why = pick(m.message, m.message_fr, lang);
            if (!why.empty()) {
                out += " — " + why;
            }
            if (m.status == model::MentionStatus::kMissing) {
                out += m.enforced_by.empty()
                           ? std::string(fr ? " [" : " [") + m.id + "]"
                           : std::string(fr ? " [règle " : " [rule ") + joined(m.enforced_by, ", ") + "]";
            } else if (m.status == model::MentionStatus::kToCheck) {
                out += " [" + m.id + "]";
            }
        }
        out += "\n";
    }
    return out;
}

}  // namespace

std::string render_text(const model::Report& report, Lang lang, bool colour) {
    const Style style{colour};
    const bool fr = lang == Lang::kFr;
    const bool valid = report.valid();
    std::string out = valid ? style.wrap("1;32", fr ? "✔ CONFORME " : "✔ VALID ")
                            : style.wrap("1;31", fr ? "✘ NON CONFORME " : "✘ INVALID ");
    out += style.wrap("1", report.file) + "\n";
    out += "  " + std::string(fr ? "Format : " : "Format: ") +
           std::string(syntax_label(report.syntax, lang));
    if (report.from_pdf && !report.attachment.empty()) {
        out += std::string(fr ? ", XML extrait de la pièce jointe " : ", XML extracted from the attachment ") +
               report.attachment;
    }
    if (report.profile) {
        out += std::string(fr ? " — profil (BT-24) : " : " — profile (BT-24): ") + *report.profile;
    }
    out += "\n";
    for (const model::LayerResult& layer : report.layers) {
        const bool ok = layer.status == model::LayerStatus::kValid;
        out += "  " + std::string(fr ? "Couche " : "Layer ") + style.wrap("1", layer.name);
        if (!layer.version.empty()) {
            out += " (" + layer.version + ")";
        }
        out += " : " + style.wrap(ok ? "32" : "31", status_label(layer.status, lang));
        const std::string& note = pick(layer.message, layer.message_fr, lang);
        if (!note.empty()) {
            out += " — " + note;
        }
        out += "\n";
    }
    for (const model::Finding& f : report.findings) {
        if (!report.mentions.empty() && f.layer == "mentions") {
            continue;  // said by the checklist below
        }
        const std::string_view code = f.severity == model::Severity::kFatal     ? "31"
                                      : f.severity == model::Severity::kWarning ? "33"
                                                                                : "36";
        out += "    " + style.wrap(code, "[" + std::string(severity_label(f.severity, lang)) + "]") +
               " " + style.wrap("1", f.rule);
        if (f.line != 0) {
            out += std::string(fr ? " ligne " : " line ") + std::to_string(f.line);
        }
        if (!f.location.empty()) {
            out += " " + style.wrap("2", f.location);
        }
        out += "\n      " + pick(f.message, f.message_fr, lang) + "\n";
    }
    if (!report.mentions.empty()) {
        out += render_mentions(report.mentions, lang, style);
    }
    return out;
}

std::string render_summary(std::size_t valid, std::size_t invalid, Lang lang, bool colour) {
    const Style style{colour};
    const std::size_t total = valid + invalid;
    if (lang == Lang::kFr) {
        return style.wrap("1", std::to_string(total) + (total > 1 ? " fichiers" : " fichier") +
                                   " : " + std::to_string(valid) + " conforme(s), " +
                                   std::to_string(invalid) + " non conforme(s)") + "\n";
    }
    return style.wrap("1", std::to_string(total) + (total == 1 ? " file" : " files") + ": " +
                               std::to_string(valid) + " valid, " + std::to_string(invalid) +
                               " invalid") + "\n";
}

}  // namespace facteur::cli
