#include "render.h"

#include <boost/json.hpp>

namespace facteur::cli {

namespace json = boost::json;

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

std::string render_json(const model::Report& report, Lang lang) {
    json::object o;
    o["file"] = report.file;
    o["syntax"] = model::syntax_name(report.syntax);
    o["profile"] = report.profile ? json::value(*report.profile) : json::value(nullptr);
    o["valid"] = report.valid();
    if (report.from_pdf) {
        o["source"] = "pdf";
    }
    json::array layers;
    for (const model::LayerResult& layer : report.layers) {
        layers.push_back(json::object{{"name", layer.name},
                                      {"version", layer.version},
                                      {"status", model::layer_status_name(layer.status)},
                                      {"message", pick(layer.message, layer.message_fr, lang)}});
    }
    o["layers"] = std::move(layers);
    json::array findings;
    for (const model::Finding& f : report.findings) {
        json::object finding{
            {"rule", f.rule},
            {"severity", model::severity_name(f.severity)},
            {"layer", f.layer},
            {"location", f.location.empty() ? json::value(nullptr) : json::value(f.location)},
            {"line", f.line == 0 ? json::value(nullptr) : json::value(f.line)},
            {"message", pick(f.message, f.message_fr, lang)}};
        if (!f.terms.empty()) {  // contract extension: business terms the rule concerns
            json::array terms;
            for (const std::string& t : f.terms) {
                terms.emplace_back(t);
            }
            finding["terms"] = std::move(terms);
        }
        findings.push_back(std::move(finding));
    }
    o["findings"] = std::move(findings);
    return json::serialize(o);
}

std::string render_text(const model::Report& report, Lang lang, bool colour) {
    const Style style{colour};
    const bool fr = lang == Lang::kFr;
    const bool valid = report.valid();
    std::string out = valid ? style.wrap("1;32", fr ? "✔ CONFORME " : "✔ VALID ")
                            : style.wrap("1;31", fr ? "✘ NON CONFORME " : "✘ INVALID ");
    out += style.wrap("1", report.file) + "\n";
    out += "  " + std::string(fr ? "Format : " : "Format: ") +
           std::string(syntax_label(report.syntax, lang));
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
