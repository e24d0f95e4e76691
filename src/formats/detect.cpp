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

std::optional<std::string> profile_of(const xml::Document& doc, model::Syntax syntax) {
    const xml::Node root = doc.root();
    xml::Node id;
    switch (syntax) {
        case model::Syntax::kUblInvoice:
        case model::Syntax::kUblCreditNote:
            id = root.child(kUblCbcNs, "CustomizationID");
            break;
        case model::Syntax::kCii:
        case model::Syntax::kCdar:
            id = root.child(root.namespace_uri(), "ExchangedDocumentContext")
                     .child(kRamNs, "GuidelineSpecifiedDocumentContextParameter")
                     .child(kRamNs, "ID");
            break;
        case model::Syntax::kFacturX:
        case model::Syntax::kUnknown:
            return std::nullopt;
    }
    std::string value = trim(id.text());
    if (value.empty()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace facteur::formats
