#include "facteur/model/report.h"

#include <algorithm>

namespace facteur::model {

std::string_view severity_name(Severity severity) noexcept {
    switch (severity) {
        case Severity::kFatal: return "fatal";
        case Severity::kWarning: return "warning";
        case Severity::kInfo: return "info";
    }
    return "fatal";
}

std::string_view layer_status_name(LayerStatus status) noexcept {
    switch (status) {
        case LayerStatus::kValid: return "valid";
        case LayerStatus::kInvalid: return "invalid";
        case LayerStatus::kSkipped: return "skipped";
        case LayerStatus::kReplaced: return "replaced";
        case LayerStatus::kError: return "error";
    }
    return "error";
}

std::string_view syntax_name(Syntax syntax) noexcept {
    switch (syntax) {
        case Syntax::kUblInvoice: return "ubl-invoice";
        case Syntax::kUblCreditNote: return "ubl-creditnote";
        case Syntax::kCii: return "cii";
        case Syntax::kCdar: return "cdar";
        case Syntax::kFacturX: return "facturx";
        case Syntax::kUnknown: return "unknown";
    }
    return "unknown";
}

std::string_view mention_status_name(MentionStatus status) noexcept {
    switch (status) {
        case MentionStatus::kPresent: return "present";
        case MentionStatus::kMissing: return "missing";
        case MentionStatus::kNotApplicable: return "not_applicable";
        case MentionStatus::kToCheck: return "to_check";
    }
    return "missing";
}

bool Report::valid() const noexcept {
    return !layers.empty() && std::all_of(layers.begin(), layers.end(), [](const LayerResult& l) {
        return l.status == LayerStatus::kValid || l.status == LayerStatus::kReplaced;
    });
}

std::size_t Report::count(Severity severity, std::string_view layer) const noexcept {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(), [&](const Finding& f) {
            return f.severity == severity && (layer.empty() || f.layer == layer);
        }));
}

}  // namespace facteur::model
