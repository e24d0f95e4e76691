#include "xmp.h"

#include <array>
#include <cctype>

#include "facteur/xml/document.h"
#include "facteur/xml/tree.h"

namespace facteur::formats::facturx {

namespace {

constexpr std::string_view kPdfaIdNs = "http://www.aiim.org/pdfa/ns/id/";
constexpr std::string_view kPdfaSchemaNs = "http://www.aiim.org/pdfa/ns/schema#";

std::string_view trim(std::string_view s) {
    const auto space = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    };
    while (!s.empty() && space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

/// The first value of property {ns}local in the packet: an element's string value or an
/// attribute (XMP allows both forms, e.g. <pdfaid:part>3</pdfaid:part> or pdfaid:part="3").
std::string property(const xml::Tree& tree, std::string_view ns, std::string_view local) {
    for (std::uint32_t i = 1; i < tree.size(); ++i) {
        const xml::TreeElement& e = tree.element(i);
        if (e.namespace_uri == ns && e.local_name == local) {
            return std::string(trim(tree.string_value(i)));
        }
        for (std::uint32_t a = e.attr_begin; a < e.attr_end; ++a) {
            const xml::TreeAttribute& attr = tree.attribute(a);
            if (attr.namespace_uri == ns && attr.local_name == local) {
                return std::string(trim(attr.value));
            }
        }
    }
    return {};
}

/// True when some pdfaSchema:namespaceURI (element or attribute) equals `ns`.
bool declares_schema(const xml::Tree& tree, std::string_view ns) {
    for (std::uint32_t i = 1; i < tree.size(); ++i) {
        const xml::TreeElement& e = tree.element(i);
        if (e.namespace_uri == kPdfaSchemaNs && e.local_name == "namespaceURI"
            && trim(tree.string_value(i)) == ns) {
            return true;
        }
        for (std::uint32_t a = e.attr_begin; a < e.attr_end; ++a) {
            const xml::TreeAttribute& attr = tree.attribute(a);
            if (attr.namespace_uri == kPdfaSchemaNs && attr.local_name == "namespaceURI"
                && trim(attr.value) == ns) {
                return true;
            }
        }
    }
    return false;
}

// First child of `parent` named `local`, whatever its namespace (xml::Node or xml::TreeNode).
template <class Node>
Node child_named(Node parent, std::string_view local) {
    for (Node c = parent.first_child(); c; c = c.next_sibling()) {
        if (c.local_name() == local) {
            return c;
        }
    }
    return {};
}

// BT-24 under `root`, read the same way from either kind of node.
template <class Node>
std::optional<std::string> profile_id_under(Node root) {
    // CII: rsm:ExchangedDocumentContext; ZUGFeRD 1.0: rsm:SpecifiedExchangedDocumentContext.
    Node context = child_named(root, "ExchangedDocumentContext");
    if (!context) {
        context = child_named(root, "SpecifiedExchangedDocumentContext");
    }
    const Node id =
        child_named(child_named(context, "GuidelineSpecifiedDocumentContextParameter"), "ID");
    if (!id) {
        return std::nullopt;
    }
    return std::string(trim(id.text()));
}

struct ProfileEntry {
    std::string_view id;
    bool prefix;  ///< `id` is a prefix (versioned families: XRechnung, EXTENDED-CTC-FR)
    Profile profile;
};

// BT-24 values: Factur-X 1.0 (FNFE-MPE), ZUGFeRD 2.0 (urn:zugferd.de:2p0), ZUGFeRD 1.0
// (urn:ferd), XRechnung (KoSIT CIUS, ZUGFeRD 2.1.1+ profile XRECHNUNG). Factur-X 1.0 section
// on AFRelationship: "Data" for MINIMUM and BASIC WL (not EN 16931 invoices), "Alternative"
// for the EN 16931 profiles (Source tolerated).
constexpr std::array<ProfileEntry, 17> kProfiles{{
    {"urn:factur-x.eu:1p0:minimum", false, {"MINIMUM", true, ""}},
    {"urn:zugferd.de:2p0:minimum", false, {"MINIMUM", true, ""}},
    {"urn:factur-x.eu:1p0:basicwl", false, {"BASIC WL", true, ""}},
    {"urn:zugferd.de:2p0:basicwl", false, {"BASIC WL", true, ""}},
    {"urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic", false, {"BASIC", false, ""}},
    {"urn:cen.eu:en16931:2017#compliant#urn:zugferd.de:2p0:basic", false, {"BASIC", false, ""}},
    {"urn:cen.eu:en16931:2017", false, {"EN 16931", false, ""}},
    {"urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
     true,
     {"EXTENDED", false, ""}},
    {"urn:cen.eu:en16931:2017#conformant#urn:zugferd.de:2p0:extended",
     true,
     {"EXTENDED", false, ""}},
    // An XRechnung is an EN 16931 invoice: ZUGFeRD 2.1 files declare "EN 16931", 2.1.1+ files
    // "XRECHNUNG".
    {"urn:cen.eu:en16931:2017#compliant#urn:xoev-de:kosit:standard:xrechnung",
     true,
     {"XRECHNUNG", false, "EN 16931"}},
    {"urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung",
     true,
     {"XRECHNUNG", false, "EN 16931"}},
    {"urn:ferd:CrossIndustryDocument:invoice:1p0:basic", false, {"BASIC", false, ""}},
    {"urn:ferd:CrossIndustryDocument:invoice:1p0:comfort", false, {"COMFORT", false, ""}},
    {"urn:ferd:CrossIndustryDocument:invoice:1p0:extended", false, {"EXTENDED", false, ""}},
    {"urn:ferd:invoice:1.0:basic", false, {"BASIC", false, ""}},
    {"urn:ferd:invoice:1.0:comfort", false, {"COMFORT", false, ""}},
    {"urn:ferd:invoice:1.0:extended", false, {"EXTENDED", false, ""}},
}};

}  // namespace

core::Result<XmpFacts> read_xmp(std::string_view packet, const xml::Limits& limits) {
    FACTEUR_TRY_ASSIGN(const xml::Document doc, xml::parse(packet, limits));
    const xml::NameTable names;
    const xml::Tree tree = xml::Tree::build(doc.root(), names);
    XmpFacts out;
    out.pdfa_part = property(tree, kPdfaIdNs, "part");
    out.pdfa_conformance = property(tree, kPdfaIdNs, "conformance");
    for (const std::string_view ns : {kFacturXNs, kZugferd2Ns, kZugferd1Ns}) {
        XmpFacts fx;
        fx.document_type = property(tree, ns, "DocumentType");
        fx.document_file_name = property(tree, ns, "DocumentFileName");
        fx.version = property(tree, ns, "Version");
        fx.conformance_level = property(tree, ns, "ConformanceLevel");
        if (fx.document_type.empty() && fx.document_file_name.empty() && fx.version.empty()
            && fx.conformance_level.empty()) {
            continue;
        }
        out.fx_namespace = std::string(ns);
        out.document_type = std::move(fx.document_type);
        out.document_file_name = std::move(fx.document_file_name);
        out.version = std::move(fx.version);
        out.conformance_level = std::move(fx.conformance_level);
        out.extension_schema = declares_schema(tree, ns);
        break;
    }
    return out;
}

std::optional<Profile> profile_of(std::string_view bt24) {
    for (const ProfileEntry& e : kProfiles) {
        if (e.prefix ? bt24.substr(0, e.id.size()) == e.id : bt24 == e.id) {
            return e.profile;
        }
    }
    return std::nullopt;
}

std::optional<std::string> read_profile_id(std::string_view xml_bytes, const xml::Limits& limits) {
    auto doc = xml::parse(xml_bytes, limits);
    if (!doc) {
        return std::nullopt;
    }
    return read_profile_id(*doc);
}

std::optional<std::string> read_profile_id(const xml::Document& doc) {
    return profile_id_under(doc.root());
}

std::optional<std::string> read_profile_id(const xml::Tree& tree) {
    return profile_id_under(xml::TreeNode::root_of(tree));
}

bool same_level(std::string_view a, std::string_view b) {
    const auto normal = [](std::string_view s) {
        std::string out;
        for (const char c : s) {
            if (c != ' ' && c != '_' && c != '-') {
                out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
            }
        }
        return out;
    };
    return normal(a) == normal(b);
}

}  // namespace facteur::formats::facturx
