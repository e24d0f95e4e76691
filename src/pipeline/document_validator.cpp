#include "facteur/pipeline/document_validator.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "facteur/core/file.h"
#include "facteur/formats/cii/cii_reader.h"
#include "facteur/formats/detect.h"
#include "facteur/formats/facturx/facturx_reader.h"
#include "facteur/formats/ubl/ubl_reader.h"
#include "facteur/pipeline/rule_versions.h"
#include "facteur/rules/en16931/en16931.h"
#include "facteur/rules/facturx/facturx.h"
#include "facteur/rules/fr/fr.h"
#include "facteur/rules/fr/mentions.h"
#include "facteur/xml/document.h"
#include "facteur/xml/namespaces.h"

namespace facteur::pipeline {

namespace {

using model::Finding;
using model::LayerResult;
using model::LayerStatus;
using model::Report;
using model::Severity;

/// Version label of the `xml` layer: the parser that decided well-formedness.
std::string xml_layer_version() { return "libxml2-" + xml::libxml2_version(); }

/// Version label of the `xml` layer when Xerces decided well-formedness and libxml2 did not run
/// (DocumentValidator::validate_without_tree()).
std::string xerces_xml_layer_version() {
    return "xerces-c-" + std::string(validate::xerces_version());
}

/// Largest document checked without a libxml2 tree. The one libxml2 limit that neither
/// xml::prescan() nor Xerces enforces is its 10,000,000-byte dictionary of interned strings
/// (names, namespace URIs, short texts): these are pieces of the document, and libxml2's pools,
/// growing fourfold, cannot pass that cap while they hold at most 1 MiB. Larger documents go
/// the full way.
constexpr std::size_t kWithoutTreeBytesMax = std::size_t{1} << 20;

Finding finding_from(const core::Error& error, std::string_view layer) {
    return Finding{.rule = error.id.empty() ? std::string("INTERNAL") : error.id,
                   .severity = Severity::kFatal,
                   .layer = std::string(layer),
                   .location = "",
                   .line = error.line,
                   .message = error.message,
                   .message_fr = error.message_fr};
}

rules::fr::Mode fr_mode_of(const ValidationOptions& options) {
    return options.fr_mode == FrMode::kWarning ? rules::fr::Mode::kWarning : rules::fr::Mode::kFatal;
}

LayerStatus status_of(const Report& report, std::string_view layer) {
    const bool fatal = std::any_of(report.findings.begin(), report.findings.end(), [&](const Finding& f) {
        return f.layer == layer && f.severity == Severity::kFatal;
    });
    return fatal ? LayerStatus::kInvalid : LayerStatus::kValid;
}

bool declares_extended(const Report& report) {
    return report.profile && rules::fr::declares_extended_profile(*report.profile);
}

validate::SchemaSet schema_set_for(model::Syntax syntax, CiiSchema cii, bool extended = false) {
    switch (syntax) {
        case model::Syntax::kCii:
        case model::Syntax::kFacturX:  // the CII of a Factur-X PDF: checked like the corpus oracle
            return cii == CiiSchema::kD22b || (cii == CiiSchema::kAuto && extended)
                       ? validate::SchemaSet::kCiiD22b
                       : validate::SchemaSet::kCiiD16b;
        case model::Syntax::kCdar:
            return validate::SchemaSet::kCdarD22b;
        default:
            return validate::SchemaSet::kUbl21;
    }
}

void reject_zip(Report& report) {
    report.layers.push_back({std::string(kLayerXml), xml_layer_version(),
                             LayerStatus::kInvalid, "", ""});
    report.findings.push_back({"FMT-ZIP", Severity::kFatal, std::string(kLayerXml), "", 0,
                               "a ZIP archive is not an invoice: submit each invoice on its own",
                               "une archive ZIP n'est pas une facture : soumettez chaque facture "
                               "séparément"});
}

}  // namespace

const std::vector<std::string_view>& known_layers() {
    static const std::vector<std::string_view> kLayers = {kLayerFacturxPdf, kLayerXml, kLayerXsd, kLayerEn16931,
                                                          kLayerExtendedCtcFr, kLayerFacturx, kLayerFr,
                                                          kLayerMentions,
                                                          kLayerCdar};
    return kLayers;
}

void warm_up(validate::SchemaRegistry& registry, const ValidationOptions& options, unsigned threads) {
    auto wants = [&](std::string_view layer) {
        return options.layers.empty() ||
               std::find(options.layers.begin(), options.layers.end(), layer) != options.layers.end();
    };
    std::vector<std::function<void()>> tasks;
    if (wants(kLayerXsd)) {
        tasks.emplace_back([&] { (void)registry.pool(validate::SchemaSet::kUbl21); });
        const validate::SchemaSet cii = schema_set_for(model::Syntax::kCii, options.cii_schema);
        tasks.emplace_back([&registry, cii] { (void)registry.pool(cii); });
    }
    if (wants(kLayerEn16931)) {
        tasks.emplace_back([] { (void)rules::en16931::rule_set(model::Syntax::kUblInvoice); });
        tasks.emplace_back([] { (void)rules::en16931::rule_set(model::Syntax::kCii); });
    }
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < tasks.size(); i = next++) {
            tasks[i]();
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < std::max(1U, threads) && t < tasks.size(); ++t) {
        pool.emplace_back(worker);
    }
    worker();
    for (std::thread& t : pool) {
        t.join();
    }
}

DocumentValidator::DocumentValidator(validate::SchemaRegistry& registry, ValidationOptions options)
    : registry_(registry), options_(std::move(options)), xsd_(registry, options_.xsd) {
    // Only the xml and xsd layers (and the PDF container's, which runs before) read nothing but
    // what Xerces' pass gives: the syntax, BT-24 and the schema location hint.
    without_tree_ =
        options_.xsd_without_tree && wants(kLayerXsd) && !options_.layers.empty()
        && std::all_of(
            options_.layers.begin(), options_.layers.end(), [](const std::string& layer) {
                return layer == kLayerXml || layer == kLayerXsd || layer == kLayerFacturxPdf;
            });
    tree_from_scan_ = options_.xsd_without_tree && wants(kLayerXsd) && !without_tree_;
}

bool DocumentValidator::wants(std::string_view layer) const {
    return options_.layers.empty() ||
           std::find(options_.layers.begin(), options_.layers.end(), layer) != options_.layers.end();
}

Report DocumentValidator::validate_file(const std::filesystem::path& path) {
    auto bytes = core::read_file(path, options_.limits.document_bytes_max);
    if (bytes) {
        return validate(*bytes, path.string());
    }
    Report report;
    report.file = path.string();
    const core::Error& error = bytes.error();
    if (error.code == core::Errc::kResourceExhausted) {
        report.layers.push_back({std::string(kLayerXml), xml_layer_version(),
                                 LayerStatus::kInvalid, "", ""});
        report.findings.push_back(finding_from(
            core::Error{error.code, error.message, "XML-LIMIT-SIZE", error.message_fr, 0},
            kLayerXml));
        return report;
    }
    report.layers.push_back({"io", "", LayerStatus::kError, error.message, error.message_fr});
    report.findings.push_back(finding_from(error, "io"));
    return report;
}

Report DocumentValidator::validate(std::string_view bytes, std::string label) {
    Report report;
    report.file = std::move(label);
    switch (formats::detect_container(bytes)) {
        case formats::Container::kZip:
            reject_zip(report);
            return report;
        case formats::Container::kPdf: {
            struct ForgetScan {
                DocumentValidator& self;
                ~ForgetScan() {  // whatever the container layer left (scan_pdf_xml())
                    self.pdf_scan_.reset();
                    self.rule_tree_.reset();
                }
            } forget{*this};
            std::string xml;
            std::shared_ptr<const xml::Document> parsed;
            if (!run_facturx_pdf(bytes, report, xml, parsed)) {
                return report;
            }
            validate_xml(xml, report, std::move(parsed));
            return report;
        }
        case formats::Container::kXml:
            break;
    }
    validate_xml(bytes, report);
    return report;
}

/// The container layer of a Factur-X PDF: extracts the invoice XML into `xml` (and the tree the
/// reader already parsed from it, with the same limits, into `parsed`: null when it did not
/// parse, or when Xerces' pass gave the reader its tree, see scan_pdf_xml()) and reports the
/// container findings. False when there is no XML to go on with.
bool DocumentValidator::run_facturx_pdf(std::string_view bytes, Report& report, std::string& xml,
                                        std::shared_ptr<const xml::Document>& parsed) {
    report.syntax = model::Syntax::kFacturX;
    report.from_pdf = true;
    const std::string layer(kLayerFacturxPdf);
    formats::facturx::Options options;
    options.xml_limits = options_.limits;
    formats::facturx::InvoiceTreeSource tree_source;
    if (tree_from_scan_) {
        tree_source = [this](std::string_view invoice) { return scan_pdf_xml(invoice); };
    }
    auto extraction = formats::facturx::read_facturx(bytes, options, tree_source);
    if (!extraction) {
        report.layers.push_back({layer, "", LayerStatus::kError, extraction.error().message,
                                 extraction.error().message_fr});
        report.findings.push_back(finding_from(extraction.error(), layer));
        return false;
    }
    report.findings.insert(report.findings.end(), std::make_move_iterator(extraction->findings.begin()),
                           std::make_move_iterator(extraction->findings.end()));
    report.layers.push_back({layer, std::string(kFacturxPdfVersion), status_of(report, layer), "", ""});
    report.attachment = extraction->attachment_name;
    if (extraction->xml.empty()) {
        return false;
    }
    xml = std::move(extraction->xml);
    parsed = std::move(extraction->document);
    return true;
}

/// The xml and xsd layers without the libxml2 tree: xml::prescan() (every limit, DOCTYPE,
/// encoding, XInclude), then one Xerces pass that decides well-formedness, validates and reads
/// BT-24. True when the report is complete. False, with `report` untouched, whenever the full
/// path might say anything else: a prescan error, an unknown root, a Xerces finding other than
/// a schema-validity error (those are reported in the xsd layer), a pass that XsdScan calls
/// unusual, a namespace declaration that libxml2 might refuse, a document
/// over kWithoutTreeBytesMax, a BT-24 that selects another schema set, or (`rule_tree`) no tree
/// from the pass; `pass` then keeps Xerces' findings for the full path when it ran. With
/// `rule_tree`, the same pass builds the rules' tree into rule_tree_.
bool DocumentValidator::validate_without_tree(std::string_view bytes, Report& report,
                                              std::optional<XsdPass>& pass, bool rule_tree) {
    if (bytes.size() > kWithoutTreeBytesMax) {
        return false;
    }
    auto scan = xml::prescan(bytes, options_.limits);
    if (!scan) {
        return false;  // xml::parse() reports it
    }
    model::Syntax syntax = formats::syntax_of_root(scan->root_namespace, scan->root_local_name);
    if (syntax == model::Syntax::kUnknown) {
        return false;  // no XSD to run: libxml2 alone decides
    }
    const std::vector<formats::ChildStep> path =
        formats::profile_path(syntax, scan->root_namespace);
    std::vector<validate::ElementStep> capture;
    capture.reserve(path.size());
    for (const formats::ChildStep& step : path) {
        capture.push_back({step.namespace_uri, step.local_name});
    }
    const validate::SchemaSet set = schema_set_for(syntax, options_.cii_schema);
    if (rule_tree) {
        // The rule sets this syntax is sure to meet are compiled before the tree is built, so
        // that it knows their names (one BT-24 may still call for a set compiled later: that
        // document then goes the full way, see validate_xml()).
        if (wants(kLayerEn16931)) {
            (void)rules::en16931::rule_set(syntax);
        }
        if (wants(kLayerFr)) {
            (void)rules::fr::rule_set(syntax, fr_mode_of(options_));
        }
        if (wants(kLayerCdar) && syntax == model::Syntax::kCdar) {
            (void)rules::fr::cdar_rule_set(fr_mode_of(options_));
        }
    }
    auto result =
        xsd_.scan(bytes, set, capture, rule_tree ? &rules::RuleSet::shared_names() : nullptr);
    if (!result) {
        return false;  // the full path runs it again and reports the error
    }
    // Schema-validity errors of the kind XsdScan::validity_only admits leave the document
    // well-formed and read as libxml2 reads it: they are the xsd layer's findings.
    const bool clean = (result->findings.empty() || result->validity_only) && !result->unusual
                       && std::all_of(result->namespaces.begin(), result->namespaces.end(),
                                      [](const validate::NamespaceDeclaration& d) {
                                          return xml::plain_namespace_declaration(d.prefix, d.uri);
                                      });
    pass = XsdPass{set, std::move(result->findings)};
    if (!clean || (rule_tree && !result->tree)) {
        return false;
    }
    std::optional<std::string> profile =
        result->captured ? formats::profile_from_text(*result->captured) : std::nullopt;
    const bool extended = profile && rules::fr::declares_extended_profile(*profile);
    if (schema_set_for(syntax, options_.cii_schema, extended) != set) {
        pass.reset();
        return false;
    }
    if (report.from_pdf && syntax == model::Syntax::kCii) {
        syntax = model::Syntax::kFacturX;  // as in validate_xml()
    }
    report.syntax = syntax;
    report.profile = std::move(profile);
    if (!scan->schema_location.empty()) {
        report.findings.push_back(
            {"XML-SCHEMALOCATION-IGNORED", Severity::kInfo, std::string(kLayerXml), "/", 0,
             "schema location hint ignored (never fetched): " + scan->schema_location,
             "indication d'emplacement de schéma ignorée (jamais "
             "téléchargée) : "
                 + scan->schema_location});
    }
    report.layers.push_back(
        {std::string(kLayerXml), xerces_xml_layer_version(), LayerStatus::kValid, "", ""});
    // A copy: should the full way run after all (see validate_xml()), it reuses `pass`.
    report.findings.insert(report.findings.end(), pass->findings.begin(), pass->findings.end());
    report.layers.push_back({std::string(kLayerXsd), std::string(validate::schema_set_label(set)),
                             status_of(report, kLayerXsd), "", ""});
    if (rule_tree) {
        rule_tree_.emplace(std::move(*result->tree));
    }
    return true;
}

const xml::Tree* DocumentValidator::scan_pdf_xml(std::string_view xml) {
    PdfScan& scan = pdf_scan_.emplace();
    scan.part.from_pdf = true;
    scan.complete = validate_without_tree(xml, scan.part, scan.pass, true);
    return scan.complete ? &*rule_tree_ : nullptr;
}

bool DocumentValidator::run_rule_layers_on_scan(Report& report, Report before) {
    run_rule_layers(nullptr, report);
    if (!tree_stale_) {
        return true;
    }
    // The full way, from the start (Xerces' findings are kept by the caller, in its XsdPass).
    report = std::move(before);
    rule_tree_.reset();
    tree_stale_ = false;
    return false;
}

void DocumentValidator::validate_xml(std::string_view bytes, Report& report,
                                     std::shared_ptr<const xml::Document> parsed) {
    struct ForgetTree {
        std::optional<xml::Tree>& tree;
        ~ForgetTree() { tree.reset(); }  // it views the document, which ends with this call
    } forget{rule_tree_};
    std::optional<XsdPass> pass;
    if (pdf_scan_) {
        // The container layer had Xerces' pass made already (scan_pdf_xml()): its part of the
        // report goes on, after the container's.
        PdfScan scan = std::move(*pdf_scan_);
        pdf_scan_.reset();
        pass = std::move(scan.pass);
        if (scan.complete) {
            Report before = report;
            report.syntax = scan.part.syntax;
            report.profile = std::move(scan.part.profile);
            report.findings.insert(report.findings.end(),
                                   std::make_move_iterator(scan.part.findings.begin()),
                                   std::make_move_iterator(scan.part.findings.end()));
            report.layers.insert(report.layers.end(),
                                 std::make_move_iterator(scan.part.layers.begin()),
                                 std::make_move_iterator(scan.part.layers.end()));
            if (run_rule_layers_on_scan(report, std::move(before))) {
                return;
            }
        }
    } else if (without_tree_ && validate_without_tree(bytes, report, pass, false)) {
        return;
    } else if (tree_from_scan_ && parsed == nullptr) {
        Report before = report;
        if (validate_without_tree(bytes, report, pass, true)
            && run_rule_layers_on_scan(report, std::move(before))) {
            return;
        }
    }
    const std::string xml_version = xml_layer_version();
    // `parsed`, when given, is `bytes` parsed with options_.limits: the same tree, not parsed twice.
    std::optional<xml::Document> own;
    const xml::Document* doc = parsed.get();
    if (doc == nullptr) {
        auto result = xml::parse(bytes, options_.limits);
        if (!result) {
            const bool internal = result.error().code == core::Errc::kInternal;
            report.layers.push_back({std::string(kLayerXml), xml_version,
                                     internal ? LayerStatus::kError : LayerStatus::kInvalid, "", ""});
            report.findings.push_back(finding_from(result.error(), kLayerXml));
            if (wants(kLayerXsd)) {
                report.layers.push_back({std::string(kLayerXsd), "", LayerStatus::kSkipped,
                                         "not run: the document is not well-formed XML",
                                         "non exécutée : le document n'est pas du XML bien formé"});
            }
            return;
        }
        own.emplace(std::move(*result));
        doc = &*own;
    }
    const xml::ScanInfo& scan = doc->scan();
    report.syntax = formats::syntax_of_root(scan.root_namespace, scan.root_local_name);
    report.profile = formats::profile_of(*doc, report.syntax);
    if (report.from_pdf && report.syntax == model::Syntax::kCii) {
        report.syntax = model::Syntax::kFacturX;  // CII inside a PDF: read and checked as CII
    }
    if (!scan.schema_location.empty()) {
        report.findings.push_back({"XML-SCHEMALOCATION-IGNORED", Severity::kInfo,
                                   std::string(kLayerXml), "/", 0,
                                   "schema location hint ignored (never fetched): " + scan.schema_location,
                                   "indication d'emplacement de schéma ignorée (jamais "
                                   "téléchargée) : " + scan.schema_location});
    }
    report.layers.push_back({std::string(kLayerXml), xml_version, LayerStatus::kValid, "", ""});
    if (wants(kLayerXsd)) {
        run_xsd(bytes, report, std::move(pass));
    }
    run_rule_layers(doc, report);
}

void DocumentValidator::run_rule_layers(const xml::Document* doc, Report& report) {
    if (declares_extended(report)) {
        // The extension replaces the plain EN 16931 rules: asking for either runs it.
        if (wants(kLayerEn16931)) {
            report.layers.push_back({std::string(kLayerEn16931), std::string(rules::en16931::kVersion),
                                     LayerStatus::kReplaced,
                                     "replaced by extended-ctc-fr: BT-24 declares the EXTENDED-CTC-FR profile",
                                     "remplacée par extended-ctc-fr : le BT-24 déclare le profil EXTENDED-CTC-FR"});
        }
        if (wants(kLayerEn16931) || wants(kLayerExtendedCtcFr)) {
            run_extended(doc, report);
        }
    } else if (wants(kLayerEn16931)) {
        run_en16931(doc, report);
    }
    const bool asked_facturx = std::find(options_.layers.begin(), options_.layers.end(), kLayerFacturx) !=
                               options_.layers.end();
    if ((report.from_pdf && wants(kLayerFacturx)) || asked_facturx) {
        run_facturx(doc, report);
    }
    if (wants(kLayerFr)) {
        run_fr(doc, report);
    }
    if (wants(kLayerMentions)) {
        run_mentions(doc, report);
    }
    if (wants(kLayerCdar)) {
        run_cdar(doc, report);
    }
}

void DocumentValidator::run_en16931(const xml::Document* doc, Report& report) {
    run_rule_set(doc, report, kLayerEn16931, rules::en16931::kVersion, rules::en16931::rule_set(report.syntax));
}

void DocumentValidator::run_extended(const xml::Document* doc, Report& report) {
    run_rule_set(doc, report, kLayerExtendedCtcFr, rules::fr::kExtendedVersion,
                 rules::fr::extended_rule_set(report.syntax));
}

void DocumentValidator::run_facturx(const xml::Document* doc, Report& report) {
    const auto profile = report.profile ? rules::facturx::profile_from_guideline(*report.profile) : std::nullopt;
    if (!profile) {
        return;  // not a Factur-X profile (e.g. an XRechnung): the profile rules do not apply
    }
    run_rule_set(doc, report, kLayerFacturx, rules::facturx::kVersion, rules::facturx::rule_set(*profile));
    if (!report.layers.empty() && report.layers.back().name == kLayerFacturx && report.layers.back().message.empty()) {
        const std::string label(rules::facturx::profile_label(*profile));
        report.layers.back().message = "profile " + label;
        report.layers.back().message_fr = "profil " + label;
    }
}

void DocumentValidator::run_fr(const xml::Document* doc, Report& report) {
    const rules::fr::Mode mode = fr_mode_of(options_);
    run_rule_set(doc, report, kLayerFr, rules::fr::version_label(mode), rules::fr::rule_set(report.syntax, mode));
}

void DocumentValidator::run_mentions(const xml::Document* doc, Report& report) {
    // The checklist reads terms only: no need for the list of unmapped elements, nor for the
    // path of every value (the few its findings show are spelt from the tree).
    constexpr formats::binding::ReadOptions kTermsOnly{.unmapped = false, .paths = false};
    if (doc == nullptr && !rule_tree_) {
        tree_stale_ = true;  // no tree to read: the full way
        return;
    }
    const auto tree = [&]() -> const xml::Tree& {
        // The rules' tree when they built one for this document (or Xerces' pass did).
        if (!rule_tree_ || (doc != nullptr && rule_tree_->root().raw() != doc->root().raw())) {
            rule_tree_.emplace(xml::Tree::build(doc->root(), rules::RuleSet::shared_names()));
        }
        return *rule_tree_;
    };
    core::Result<model::Invoice> invoice = core::fail(core::Errc::kInvalidInput, "not an invoice");
    switch (report.syntax) {
        case model::Syntax::kUblInvoice:
        case model::Syntax::kUblCreditNote:
            invoice = formats::ubl::read_ubl(tree(), kTermsOnly);
            break;
        case model::Syntax::kCii:
        case model::Syntax::kFacturX:
            invoice = formats::cii::read_cii(tree(), kTermsOnly);
            break;
        default:
            return;  // the checklist is about invoices
    }
    const std::string layer(kLayerMentions);
    const std::string version(rules::fr::kMentionsVersion);
    Note note;
    if (!select_version(layer, report, note)) {
        return;
    }
    if (!invoice) {
        report.layers.push_back({layer, version, LayerStatus::kError, invoice.error().message,
                                 invoice.error().message_fr});
        report.findings.push_back(finding_from(invoice.error(), layer));
        return;
    }
    const xml::Tree& read = tree();
    rules::fr::MentionsResult result = rules::fr::check_mentions(
        *invoice, [&read](const model::Source& source) { return read.path(source.node); });
    report.mentions = std::move(result.checks);
    report.findings.insert(report.findings.end(), std::make_move_iterator(result.findings.begin()),
                           std::make_move_iterator(result.findings.end()));
    report.layers.push_back({layer, version, status_of(report, layer), note.en, note.fr});
}

void DocumentValidator::run_cdar(const xml::Document* doc, Report& report) {
    if (report.syntax != model::Syntax::kCdar) {
        return;  // run_rule_set() would skip it too: not worth compiling the rule set for
    }
    const rules::fr::Mode mode = fr_mode_of(options_);
    run_rule_set(doc, report, kLayerCdar, rules::fr::version_label(mode), rules::fr::cdar_rule_set(mode));
}

bool DocumentValidator::select_version(std::string_view layer, Report& report, Note& note) {
    const auto forced = options_.rule_versions.find(layer);
    auto selection = select_rule_version(
        layer, options_.rules_date,
        forced == options_.rule_versions.end() ? std::nullopt : std::optional<std::string_view>(forced->second));
    if (!selection) {
        report.layers.push_back({std::string(layer), forced == options_.rule_versions.end() ? "" : forced->second,
                                 LayerStatus::kError, selection.error().message, selection.error().message_fr});
        report.findings.push_back(finding_from(selection.error(), layer));
        return false;
    }
    if (selection->before_first) {
        const std::string date = options_.rules_date->to_string();
        const std::string version(selection->version->version);
        note.en = "no version of these rules had been published by " + date + ": the earliest present (" +
                  version + ") was applied";
        note.fr = "aucune version de ces règles n'était publiée le " + date + " : la plus ancienne présente (" +
                  version + ") a été appliquée";
    }
    return true;
}

/// One Schematron layer: `cdar` over CDAR messages, the others over UBL and CII documents.
void DocumentValidator::run_rule_set(const xml::Document* doc, Report& report, std::string_view layer_name,
                                     std::string_view version_label, core::Result<const rules::RuleSet*> set) {
    const model::Syntax syntax = report.syntax;
    const bool invoice = syntax == model::Syntax::kUblInvoice || syntax == model::Syntax::kUblCreditNote ||
                         syntax == model::Syntax::kCii || syntax == model::Syntax::kFacturX;
    if (layer_name == kLayerCdar ? syntax != model::Syntax::kCdar : !invoice) {
        return;
    }
    const std::string layer(layer_name);
    const std::string version(version_label);
    Note note;
    if (!select_version(layer_name, report, note)) {
        return;
    }
    if (!set) {
        report.layers.push_back({layer, version, LayerStatus::kError, set.error().message,
                                 set.error().message_fr});
        report.findings.push_back(finding_from(set.error(), layer));
        return;
    }
    // One tree for every rule layer of the document (built again only if a rule set compiled
    // since knows names it lacks).
    if (!rule_tree_ || (doc != nullptr && rule_tree_->root().raw() != doc->root().raw())
        || !(*set)->runs_on(*rule_tree_)) {
        if (doc == nullptr) {
            tree_stale_ = true;  // Xerces' tree cannot be built again: the full way
            return;
        }
        rule_tree_.emplace(xml::Tree::build(doc->root(), rules::RuleSet::shared_names()));
    }
    rules::Evaluation evaluation = (*set)->evaluate(*rule_tree_);
    report.findings.insert(report.findings.end(), std::make_move_iterator(evaluation.findings.begin()),
                           std::make_move_iterator(evaluation.findings.end()));
    if (evaluation.evaluation_errors > 0) {
        report.layers.push_back({layer, version, LayerStatus::kError,
                                 std::to_string(evaluation.evaluation_errors) +
                                     " rule(s) could not be evaluated: no verdict",
                                 std::to_string(evaluation.evaluation_errors) +
                                     " règle(s) n'ont pas pu être évaluées : pas de verdict"});
        return;
    }
    report.layers.push_back({layer, version, status_of(report, layer), note.en, note.fr});
}

void DocumentValidator::run_xsd(std::string_view bytes, Report& report,
                                std::optional<XsdPass> pass) {
    if (report.syntax == model::Syntax::kUnknown) {
        report.layers.push_back({std::string(kLayerXsd), "", LayerStatus::kInvalid, "", ""});
        report.findings.push_back({"FMT-UNKNOWN", Severity::kFatal, std::string(kLayerXsd), "/", 1,
                                   "the root element is not a UBL Invoice or CreditNote, a CII "
                                   "CrossIndustryInvoice or a CDAR message",
                                   "l'élément racine n'est ni une facture (Invoice) ou un avoir "
                                   "(CreditNote) UBL, ni une CrossIndustryInvoice CII, ni un "
                                   "message CDAR"});
        return;
    }
    const validate::SchemaSet set = schema_set_for(report.syntax, options_.cii_schema, declares_extended(report));
    const std::string version(validate::schema_set_label(set));
    // Xerces' findings depend only on the bytes and the schema set: a pass already made is reused.
    auto findings = pass && pass->set == set
                        ? core::Result<std::vector<model::Finding>>(std::move(pass->findings))
                        : xsd_.validate(bytes, set);
    if (!findings) {
        report.layers.push_back({std::string(kLayerXsd), version, LayerStatus::kError,
                                 findings.error().message, findings.error().message_fr});
        report.findings.push_back(finding_from(findings.error(), kLayerXsd));
        return;
    }
    report.findings.insert(report.findings.end(), std::make_move_iterator(findings->begin()),
                           std::make_move_iterator(findings->end()));
    report.layers.push_back({std::string(kLayerXsd), version, status_of(report, kLayerXsd), "", ""});
}

}  // namespace facteur::pipeline
