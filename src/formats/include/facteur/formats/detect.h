#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/model/report.h"
#include "facteur/xml/document.h"

namespace facteur::formats {

/// Namespaces of the document types facteur reads.
inline constexpr std::string_view kUblInvoiceNs = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
inline constexpr std::string_view kUblCreditNoteNs = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
inline constexpr std::string_view kUblCbcNs = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
inline constexpr std::string_view kCiiNs = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
inline constexpr std::string_view kCdarNs = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100";
inline constexpr std::string_view kRamNs = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";

/// What the first bytes say the input is.
enum class Container : std::uint8_t {
    kXml,    ///< anything that is not one of the below: handed to the XML parser
    kPdf,    ///< "%PDF-" within the first 1024 bytes (ISO 32000-1 §7.5.2 tolerance)
    kZip,    ///< "PK\x03\x04" at offset 0: an archive, not an invoice
};

/// Classifies the container from the raw bytes alone.
[[nodiscard]] Container detect_container(std::string_view bytes) noexcept;

/// The syntax of an XML document from its root element's namespace and local name (as learned by
/// xml::prescan): UBL Invoice / CreditNote, CII CrossIndustryInvoice (D16B and D22B share the
/// namespace), CDAR; anything else is Syntax::kUnknown.
[[nodiscard]] model::Syntax syntax_of_root(std::string_view namespace_uri,
                                           std::string_view local_name) noexcept;

/// The BT-24 specification identifier of an invoice (UBL cbc:CustomizationID; CII and CDAR
/// ExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter/ID), trimmed; nullopt
/// when absent or empty.
[[nodiscard]] std::optional<std::string> profile_of(const xml::Document& doc, model::Syntax syntax);

/// One step of profile_path(): the first child element with this namespace URI and local name.
struct ChildStep {
    std::string_view namespace_uri;
    std::string_view local_name;
};

/// Where BT-24 is, as the steps below the root element that profile_of() follows: UBL
/// /*/cbc:CustomizationID; CII and CDAR /*/{root namespace}ExchangedDocumentContext/
/// ram:GuidelineSpecifiedDocumentContextParameter/ram:ID. Empty for kFacturX and kUnknown (no
/// profile is read). The views point into `root_namespace` or into static strings.
[[nodiscard]] std::vector<ChildStep> profile_path(model::Syntax syntax,
                                                  std::string_view root_namespace);

/// BT-24 from the text content of the element profile_path() leads to, as profile_of() gives
/// it: trimmed of spaces, tabs, CR and LF; nullopt when nothing is left.
[[nodiscard]] std::optional<std::string> profile_from_text(std::string_view text);

}  // namespace facteur::formats
