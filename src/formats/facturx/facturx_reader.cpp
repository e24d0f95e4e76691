#include "facteur/formats/facturx/facturx_reader.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "facteur/xml/document.h"

#include "finding.h"
#include "pdf_inspect.h"
#include "raw_scan.h"
#include "xmp.h"

namespace facteur::formats::facturx {

namespace {

constexpr std::string_view kXmpLocation = "/Root/Metadata";

/// Appends the findings of `from` whose id `to` does not hold yet (the raw scan and qpdf may
/// both see a truncated file).
void append(std::vector<model::Finding>& to, std::vector<model::Finding>&& from) {
    for (model::Finding& f : from) {
        const bool known = std::any_of(to.begin(), to.end(),
                                       [&](const model::Finding& t) { return t.rule == f.rule; });
        if (!known) {
            to.push_back(std::move(f));
        }
    }
}

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> allowed) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

/// The profile-dependent /AFRelationship check (Factur-X 1.0: Data for MINIMUM and BASIC WL,
/// Alternative for the others; Source tolerated; Data for the others only warned about).
void check_relationship(const EmbeddedFile& file, const std::optional<Profile>& profile,
                        const std::string& where, std::vector<model::Finding>& findings) {
    const std::string& rel = file.relationship;
    if (rel.empty() || !is_one_of(rel, {"Data", "Alternative", "Source"})) {
        findings.push_back(make_finding("FX-PDF-14", rel.empty() ? "missing" : rel, where));
        return;
    }
    if (!profile) {
        return;
    }
    const std::string detail = rel + " for profile " + std::string(profile->level);
    if (profile->data_relationship && rel != "Data") {
        findings.push_back(make_finding("FX-PDF-14", detail, where));
    } else if (!profile->data_relationship && rel == "Data") {
        findings.push_back(make_finding("FX-PDF-18", detail, where));
    }
}

/// FX-PDF-10..17: the invoice attachment. Fills xml, attachment_name and profile of `out`.
void check_attachment(PdfFacts& facts, const Options& options,
                      const InvoiceTreeSource* tree_source, Extraction& out,
                      std::optional<Profile>& profile) {
    if (facts.invoice_files.empty()) {
        out.findings.push_back(make_finding("FX-PDF-10"));
        return;
    }
    if (facts.invoice_files.size() > 1) {
        std::string names;
        for (const std::size_t i : facts.invoice_files) {
            names += (names.empty() ? "" : ", ") + facts.files[i].name;
        }
        out.findings.push_back(make_finding("FX-PDF-11", names));
        return;
    }
    const EmbeddedFile& file = facts.files[facts.invoice_files.front()];
    const std::string where = "attachment " + file.name;
    if (facts.invoice_decoded) {
        out.xml = std::move(facts.invoice_xml);
        out.attachment_name = file.name;
        const xml::Tree* tree = tree_source != nullptr ? (*tree_source)(out.xml) : nullptr;
        if (tree != nullptr) {
            out.profile = read_profile_id(*tree);
        } else if (auto doc = xml::parse(out.xml, options.xml_limits)) {
            out.profile = read_profile_id(*doc);
            out.document = std::make_shared<const xml::Document>(std::move(*doc));
        }
        if (out.profile) {
            profile = profile_of(*out.profile);
        }
        if (!profile) {
            out.findings.push_back(make_finding(
                "FX-PDF-17", out.profile ? "unknown value " + *out.profile : "BT-24 not found",
                where));
        }
    }
    if (!file.in_af) {
        out.findings.push_back(make_finding("FX-PDF-13", {}, where));
    }
    check_relationship(file, profile, where, out.findings);
    if (file.subtype != "text/xml") {
        out.findings.push_back(
            make_finding("FX-PDF-15", file.subtype.empty() ? "none" : file.subtype, where));
    }
}

/// The invoice file name(s) the XMP namespace (and level) of the document call for.
std::vector<std::string_view> expected_names(const XmpFacts& xmp) {
    if (xmp.fx_namespace == kZugferd2Ns) {
        return {"zugferd-invoice.xml"};
    }
    if (xmp.fx_namespace == kZugferd1Ns) {
        return {"ZUGFeRD-invoice.xml"};
    }
    if (same_level(xmp.conformance_level, "XRECHNUNG")) {
        return {"xrechnung.xml", "factur-x.xml"};
    }
    return {"factur-x.xml"};
}

/// FX-PDF-12 and 23..28: the Factur-X properties against the attachment and the profile.
void check_fx_properties(const XmpFacts& xmp, const Extraction& out,
                         const std::optional<Profile>& profile,
                         std::vector<model::Finding>& findings) {
    const std::string where(kXmpLocation);
    if (xmp.fx_namespace.empty()) {
        findings.push_back(make_finding("FX-PDF-28", {}, where));
        return;
    }
    if (!xmp.extension_schema) {
        findings.push_back(make_finding("FX-PDF-23", xmp.fx_namespace, where));
    }
    if (xmp.document_type != "INVOICE") {
        findings.push_back(make_finding(
            "FX-PDF-24", xmp.document_type.empty() ? "missing" : xmp.document_type, where));
    }
    if (xmp.document_file_name.empty()
        || (!out.attachment_name.empty() && xmp.document_file_name != out.attachment_name)) {
        findings.push_back(make_finding(
            "FX-PDF-25", xmp.document_file_name.empty() ? "missing" : xmp.document_file_name,
            where));
    }
    if (xmp.version.empty()) {
        findings.push_back(make_finding("FX-PDF-26", {}, where));
    }
    if (xmp.conformance_level.empty()
        || (profile && !same_level(xmp.conformance_level, profile->level)
            && (profile->other_level.empty()
                || !same_level(xmp.conformance_level, profile->other_level)))) {
        findings.push_back(make_finding(
            "FX-PDF-27",
            (xmp.conformance_level.empty() ? std::string("missing") : xmp.conformance_level)
                + (profile ? ", profile " + std::string(profile->level) : std::string()),
            where));
    }
    const std::vector<std::string_view> names = expected_names(xmp);
    if (!out.attachment_name.empty()
        && std::find(names.begin(), names.end(), out.attachment_name) == names.end()) {
        findings.push_back(make_finding(
            "FX-PDF-12", out.attachment_name + ", expected " + std::string(names.front()),
            "attachment " + out.attachment_name));
    }
}

/// FX-PDF-20..28: the XMP packet.
void check_xmp(const PdfFacts& facts, const Options& options, Extraction& out,
               const std::optional<Profile>& profile) {
    const std::string where(kXmpLocation);
    if (!facts.has_metadata) {
        out.findings.push_back(make_finding("FX-PDF-20", {}, where));
        return;
    }
    if (!facts.xmp) {
        return;  // FX-PDF-21 already reported by inspect_pdf()
    }
    auto xmp = read_xmp(*facts.xmp, options.xml_limits);
    if (!xmp) {
        out.findings.push_back(make_finding("FX-PDF-21", xmp.error().message, where));
        return;
    }
    if (xmp->pdfa_part != "3" || !is_one_of(xmp->pdfa_conformance, {"A", "B", "U"})) {
        out.findings.push_back(make_finding(
            "FX-PDF-22",
            "part '" + xmp->pdfa_part + "', conformance '" + xmp->pdfa_conformance + "'", where));
    }
    check_fx_properties(*xmp, out, profile, out.findings);
}

core::Result<Extraction> read(std::string_view pdf, const Options& options,
                              const InvoiceTreeSource* tree_source) {
    Extraction out;
    RawScan raw = raw_scan(pdf, options);
    append(out.findings, std::move(raw.findings));
    if (raw.stop) {
        return out;
    }
    FACTEUR_TRY_ASSIGN(PdfFacts facts, inspect_pdf(pdf, options));
    append(out.findings, std::move(facts.findings));
    out.embedded_files = facts.files;
    if (!facts.opened) {
        return out;
    }
    std::optional<Profile> profile;
    check_attachment(facts, options, tree_source, out, profile);
    check_xmp(facts, options, out, profile);
    return out;
}

}  // namespace

const std::vector<std::string_view>& invoice_attachment_names() {
    static const std::vector<std::string_view> kNames = {"factur-x.xml", "zugferd-invoice.xml",
                                                         "ZUGFeRD-invoice.xml", "xrechnung.xml"};
    return kNames;
}

bool Extraction::has_fatal() const noexcept {
    return std::any_of(findings.begin(), findings.end(), [](const model::Finding& f) {
        return f.severity == model::Severity::kFatal;
    });
}

core::Result<Extraction> read_facturx(std::string_view pdf, const Options& options) {
    return read(pdf, options, nullptr);
}

core::Result<Extraction> read_facturx(std::string_view pdf, const Options& options,
                                      const InvoiceTreeSource& tree_source) {
    return read(pdf, options, tree_source ? &tree_source : nullptr);
}

}  // namespace facteur::formats::facturx
