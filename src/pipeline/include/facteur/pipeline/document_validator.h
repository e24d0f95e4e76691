#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/core/result.h"
#include "facteur/model/date.h"
#include "facteur/model/report.h"
#include "facteur/validate/schema_registry.h"
#include "facteur/validate/xsd_validator.h"
#include "facteur/xml/document.h"
#include "facteur/xml/limits.h"
#include "facteur/xml/tree.h"

namespace facteur::rules {
class RuleSet;
}  // namespace facteur::rules

namespace facteur::pipeline {

/// Which CII schema a CrossIndustryInvoice is validated against (they share one namespace).
/// kAuto: D22B for documents whose BT-24 declares EXTENDED-CTC-FR (its extension elements are
/// D22B ones), D16B (the schema of EN 16931 CII) for the others.
enum class CiiSchema : std::uint8_t { kD16b, kD22b, kAuto };

/// Layer names, in the order they run (public contract: extend, never rename).
/// `facturx-pdf`: the container checks of a PDF input (always run for a PDF: the invoice XML is
/// extracted there); the XML layers then run on the extracted invoice.
inline constexpr std::string_view kLayerFacturxPdf = "facturx-pdf";
inline constexpr std::string_view kFacturxPdfVersion = "facteur-pdf-1";
inline constexpr std::string_view kLayerXml = "xml";
inline constexpr std::string_view kLayerXsd = "xsd";
inline constexpr std::string_view kLayerEn16931 = "en16931";
/// Replaces `en16931` for documents whose BT-24 declares the EXTENDED-CTC-FR profile (the
/// en16931 layer is then reported "skipped", naming its replacement); absent for the others.
inline constexpr std::string_view kLayerExtendedCtcFr = "extended-ctc-fr";
/// The Factur-X 1.09 profile Schematron of the invoice's BT-24 profile (MINIMUM ... EXTENDED):
/// run on the invoice of every Factur-X PDF, and on XML inputs when asked for by --layers.
inline constexpr std::string_view kLayerFacturx = "facturx";
inline constexpr std::string_view kLayerFr = "fr";
/// The legal-mentions checklist (CGI ann. II art. 242 nonies A, C. com. L441-9/10) on the model:
/// Report::mentions plus facteur's own FR-MENTION-nn warnings; UBL and CII invoices only.
inline constexpr std::string_view kLayerMentions = "mentions";
inline constexpr std::string_view kLayerCdar = "cdar";

/// Which official variant of the French rules runs (the verdict names it in the layer version).
enum class FrMode : std::uint8_t { kFatal, kWarning };

/// Every layer facteur knows, in run order.
[[nodiscard]] const std::vector<std::string_view>& known_layers();

struct ValidationOptions {
    /// Layers to run; empty = every layer that applies. The `xml` layer (hardened parse) always
    /// runs: every other layer needs it.
    std::vector<std::string> layers;
    /// Default: D16B (the schema of EN 16931 CII and of the official verdicts), D22B for
    /// EXTENDED-CTC-FR documents.
    CiiSchema cii_schema = CiiSchema::kAuto;
    /// BR-FR variant: fatal (default) or the official _WARNING reception variant.
    FrMode fr_mode = FrMode::kFatal;
    /// Rule-set version to apply per layer ("fr" → "fnfe-1.4.0"; see rule_versions.h); a
    /// version not present gives that layer status "error" (RULES-VERSION).
    std::map<std::string, std::string, std::less<>> rule_versions;
    /// Choose, for the layers not in `rule_versions`, the versions published by this date;
    /// nullopt: the latest present.
    std::optional<model::Date> rules_date;
    xml::Limits limits;
    validate::XsdValidatorConfig xsd;
    /// When `xsd` is asked for, let Xerces decide well-formedness and read BT-24 in its
    /// validating pass, without libxml2's parse: xml::prescan() still runs first, and a
    /// document with any XSD finding or anything unusual (see DocumentValidator) goes the full
    /// way, so every report is the same but for the `xml` layer's version, which names Xerces
    /// (`xerces-c-3.2.4`) when libxml2 did not run. When every layer asked for is `xml`, `xsd` or
    /// `facturx-pdf`, nothing else is needed; when other layers are asked for too, the same pass
    /// builds the tree that the rules and the model binding read.
    /// Default: true; false always parses with libxml2 (the reference path).
    bool xsd_without_tree = true;
};

/// Loads, in parallel on up to `threads` threads, what the selected layers will need for UBL and
/// CII documents (the XSD grammar pools, the compiled EN 16931 rule sets), so that a batch does
/// not start with every worker waiting on the same one-time load. Errors are not reported here:
/// the layers report them per document. Returns when everything is loaded.
void warm_up(validate::SchemaRegistry& registry, const ValidationOptions& options, unsigned threads);

/// Runs the selected layers over one document and returns its report. Never throws and never
/// fails: any error becomes a layer with status "error" and a finding, so that a batch goes on
/// with the next file. Not thread-safe: one per thread, sharing one SchemaRegistry.
class DocumentValidator {
public:
    DocumentValidator(validate::SchemaRegistry& registry, ValidationOptions options);

    /// Validates in-memory bytes; `label` is the report's `file`.
    [[nodiscard]] model::Report validate(std::string_view bytes, std::string label);

    /// Reads then validates a file (at most limits.document_bytes_max bytes are read). A file
    /// that cannot be read gives a report with an `io` layer in status "error".
    [[nodiscard]] model::Report validate_file(const std::filesystem::path& path);

private:
    [[nodiscard]] bool wants(std::string_view layer) const;
    bool run_facturx_pdf(std::string_view bytes, model::Report& report, std::string& xml,
                         std::shared_ptr<const xml::Document>& parsed);
    void validate_xml(std::string_view bytes, model::Report& report,
                      std::shared_ptr<const xml::Document> parsed = nullptr);

    /// The xsd layer's Xerces pass, kept when it ran before the tree (validate_without_tree())
    /// so that the full path does not repeat it for the same schema set.
    struct XsdPass {
        validate::SchemaSet set;
        std::vector<model::Finding> findings;
    };

    bool validate_without_tree(std::string_view bytes, model::Report& report,
                               std::optional<XsdPass>& pass, bool rule_tree);
    /// The rule layers on the tree of Xerces' pass (rule_tree_), after validate_without_tree()
    /// filled `report`. False, with `report` back to `before`, when a rule set compiled since
    /// knows names that tree lacks: the document then goes the full way.
    bool run_rule_layers_on_scan(model::Report& report, model::Report before);
    /// The invoice tree a PDF's container layer reads BT-24 from: Xerces' pass over the XML
    /// (validate_without_tree() into pdf_scan_), made when the reader asks, so that libxml2 does
    /// not parse it; null when that pass cannot stand for the full path.
    const xml::Tree* scan_pdf_xml(std::string_view xml);
    void run_xsd(std::string_view bytes, model::Report& report, std::optional<XsdPass> pass);
    /// The layers after xsd. `doc` is null when the rules' tree came from Xerces' pass: a rule
    /// set that knows names the tree lacks then sets tree_stale_, and the document goes the
    /// full way.
    void run_rule_layers(const xml::Document* doc, model::Report& report);
    void run_en16931(const xml::Document* doc, model::Report& report);
    void run_extended(const xml::Document* doc, model::Report& report);
    void run_facturx(const xml::Document* doc, model::Report& report);
    void run_fr(const xml::Document* doc, model::Report& report);
    void run_mentions(const xml::Document* doc, model::Report& report);
    void run_cdar(const xml::Document* doc, model::Report& report);
    /// The layer's rule-set version per the options; false (and an `error` layer) when the one
    /// asked for is not present. `note` gets what the verdict should say about the choice.
    struct Note {
        std::string en;
        std::string fr;
    };
    bool select_version(std::string_view layer, model::Report& report, Note& note);
    void run_rule_set(const xml::Document* doc, model::Report& report, std::string_view layer,
                      std::string_view version, core::Result<const rules::RuleSet*> set);

    validate::SchemaRegistry& registry_;
    ValidationOptions options_;
    validate::XsdValidator xsd_;
    bool without_tree_ = false;    // options_ allow validate_without_tree() alone
    bool tree_from_scan_ = false;  // ... or with the rules' tree from the same pass
    bool tree_stale_ = false;      // see run_rule_layers()
    /// The rules' tree of the document validate_xml() is checking, built by the first rule
    /// layer and shared by the others (rules::RuleSet::shared_names()); reset when it returns.
    std::optional<xml::Tree> rule_tree_;
    /// What scan_pdf_xml() made of the PDF validate() is reading, for validate_xml(): the xml
    /// and xsd layers' part of the report (complete when validate_without_tree() succeeded, the
    /// tree then in rule_tree_), and Xerces' findings when its pass ran.
    struct PdfScan {
        model::Report part;
        bool complete = false;
        std::optional<XsdPass> pass;
    };
    std::optional<PdfScan> pdf_scan_;
};

}  // namespace facteur::pipeline
