#include "facteur/formats/detect.h"

namespace facteur::formats {

namespace {

std::string trim(std::string s) {
    const std::size_t first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return {};
    }
    const std::size_t last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

}  // namespace

Container detect_container(std::string_view bytes) noexcept {
    if (bytes.starts_with("PK\x03\x04")) {
        return Container::kZip;
    }
    if (bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos) {
        return Container::kPdf;
    }
    return Container::kXml;
}

model::Syntax syntax_of_root(std::string_view namespace_uri, std::string_view local_name) noexcept {
    if (local_name == "Invoice" && namespace_uri == kUblInvoiceNs) {
        return model::Syntax::kUblInvoice;
    }
    if (local_name == "CreditNote" && namespace_uri == kUblCreditNoteNs) {
        return model::Syntax::kUblCreditNote;
    }
    if (local_name == "CrossIndustryInvoice" && namespace_uri == kCiiNs) {
        return model::Syntax::kCii;
    }
    if (local_name == "CrossDomainAcknowledgementAndResponse" && namespace_uri == kCdarNs) {
        return model::Syntax::kCdar;
    }
    return model::Syntax::kUnknown;
}

std::vector<ChildStep> profile_path(model::Syntax syntax, std::string_view root_namespace) {
    switch (syntax) {
        case model::Syntax::kUblInvoice:
        case model::Syntax::kUblCreditNote:
            return {{kUblCbcNs, "CustomizationID"}};
        case model::Syntax::kCii:
        case model::Syntax::kCdar:
            return {{root_namespace, "ExchangedDocumentContext"},
                    {kRamNs, "GuidelineSpecifiedDocumentContextParameter"},
                    {kRamNs, "ID"}};
        case model::Syntax::kFacturX:
        case model::Syntax::kUnknown:
            break;
    }
    return {};
}

std::optional<std::string> profile_from_text(std::string_view text) {
    std::string value = trim(std::string(text));
    if (value.empty()) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> profile_of(const xml::Document& doc, model::Syntax syntax) {
    const xml::Node root = doc.root();
    const std::vector<ChildStep> path = profile_path(syntax, root.namespace_uri());
    if (path.empty()) {
        return std::nullopt;
    }
    xml::Node id = root;
    for (const ChildStep& step : path) {
        id = id.child(step.namespace_uri, step.local_name);
    }
    return profile_from_text(id.text());
}

}  // namespace facteur::formats
