#pragma once

// Private: the XMP packet and the invoice profile, read with facteur's hardened XML parser.

#include <optional>
#include <string>
#include <string_view>

#include "facteur/core/result.h"
#include "facteur/xml/limits.h"

namespace facteur::xml {
class Document;
class Tree;
}

namespace facteur::formats::facturx {

inline constexpr std::string_view kFacturXNs =
    "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";
inline constexpr std::string_view kZugferd2Ns =
    "urn:zugferd:pdfa:CrossIndustryDocument:invoice:2p0#";
inline constexpr std::string_view kZugferd1Ns = "urn:ferd:pdfa:CrossIndustryDocument:invoice:1p0#";

/// The properties of an XMP packet that Factur-X cares about ("" when absent).
struct XmpFacts {
    std::string pdfa_part;         ///< pdfaid:part
    std::string pdfa_conformance;  ///< pdfaid:conformance
    std::string fx_namespace;      ///< which of the three namespaces carries the properties
    std::string document_type;
    std::string document_file_name;
    std::string version;
    std::string conformance_level;
    bool extension_schema = false;  ///< a pdfaSchema:namespaceURI declares fx_namespace
};

/// Parses the packet with xml::parse (no DTD, no entities, limits) and reads the properties,
/// in element or attribute form. Errors: those of xml::parse.
[[nodiscard]] core::Result<XmpFacts> read_xmp(std::string_view packet, const xml::Limits& limits);

/// A profile of the BT-24 table.
struct Profile {
    std::string_view level;  ///< XMP ConformanceLevel: "MINIMUM", "BASIC WL", "EN 16931", ...
    bool data_relationship = false;  ///< /AFRelationship Data (MINIMUM, BASIC WL)
    std::string_view other_level;    ///< another accepted ConformanceLevel, "" when none
};

/// The profile of a BT-24 value (Factur-X 1.0, ZUGFeRD 2.x and 1.0, XRechnung), or nullopt.
[[nodiscard]] std::optional<Profile> profile_of(std::string_view bt24);

/// BT-24 (…DocumentContext/GuidelineSpecifiedDocumentContextParameter/ID, whatever the
/// namespaces, so ZUGFeRD 1.0 is read too), or nullopt when the XML does not parse or lacks it.
[[nodiscard]] std::optional<std::string> read_profile_id(std::string_view xml,
                                                         const xml::Limits& limits);

/// The same, on an already parsed document.
[[nodiscard]] std::optional<std::string> read_profile_id(const xml::Document& doc);

/// The same, on a tree of the document (xml::Tree::build()'s, or one equal to it).
[[nodiscard]] std::optional<std::string> read_profile_id(const xml::Tree& tree);

/// "EN 16931" == "en16931": upper case, spaces and '_' ignored.
[[nodiscard]] bool same_level(std::string_view a, std::string_view b);

}  // namespace facteur::formats::facturx
