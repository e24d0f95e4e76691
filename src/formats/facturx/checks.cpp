#include "facteur/formats/facturx/checks.h"

#include <algorithm>
#include <string>
#include <utility>

#include "facteur/core/assert.h"

#include "finding.h"

namespace facteur::formats::facturx {

namespace {

using model::Severity;

// Ids are facteur's own and never reused; gaps leave room per family (0x container, 1x
// attachment, 2x XMP, 3x active content). ISO 19005-3 is PDF/A-3; "Factur-X" is the
// FNFE-MPE/FeRD Factur-X 1.0 specification (ZUGFeRD 2.x is the same document in German).
std::vector<CheckInfo> make_checks() {
    return {
        {"FX-PDF-01", Severity::kFatal, "not a PDF: no %PDF- header in the first 1024 bytes",
         "pas un PDF : aucun en-tête %PDF- dans les 1024 premiers octets",
         "a Factur-X invoice is a PDF/A-3 file"},
        {"FX-PDF-02", Severity::kFatal, "bytes before the %PDF- header (possible polyglot file)",
         "octets avant l'en-tête %PDF- (fichier polyglotte possible)",
         "ISO 19005-3 6.1.2: the header is at byte offset 0"},
        {"FX-PDF-03", Severity::kFatal,
         "data after the last %%EOF marker (possible polyglot file, e.g. PDF and ZIP)",
         "données après le dernier marqueur %%EOF (fichier polyglotte possible, p. ex. PDF et ZIP)",
         "ISO 19005-3 6.1.3: nothing but an end-of-line follows the last %%EOF"},
        {"FX-PDF-04", Severity::kFatal, "the PDF is truncated or cannot be read",
         "le PDF est tronqué ou illisible",
         "the file must be a complete PDF ending with %%EOF that a reader can open"},
        {"FX-PDF-05", Severity::kFatal,
         "damaged PDF structure (cross-reference table, object or stream errors that a reader "
         "must repair)",
         "structure PDF endommagée (erreurs de table de références croisées, d'objet ou de flux "
         "qu'un lecteur doit réparer)",
         "ISO 19005-3 6.1.3 to 6.1.8: well-formed file structure, cross-reference and streams"},
        {"FX-PDF-06", Severity::kFatal, "the PDF is encrypted", "le PDF est chiffré",
         "ISO 19005-3 6.1.3: no /Encrypt in the trailer; an invoice must be readable by anyone"},
        {"FX-PDF-07", Severity::kFatal, "the PDF is larger than the configured limit",
         "le PDF dépasse la taille maximale configurée", "facteur limit input_bytes_max"},
        {"FX-PDF-08", Severity::kFatal,
         "a stream decodes to more than the configured limit (decompression bomb)",
         "un flux se décompresse au-delà de la limite configurée (bombe de décompression)",
         "facteur limits stream_decoded_bytes_max, decoded_bytes_total_max, invoice_xml_bytes_max"},
        {"FX-PDF-09", Severity::kFatal,
         "the PDF structure exceeds a configured limit (objects, nesting, embedded files)",
         "la structure du PDF dépasse une limite configurée (objets, imbrication, fichiers joints)",
         "facteur limits object_count_max, walk_value_count_max, depth_max, "
         "embedded_file_count_max"},
        {"FX-PDF-10", Severity::kFatal,
         "no invoice XML attachment (factur-x.xml, zugferd-invoice.xml, ZUGFeRD-invoice.xml or "
         "xrechnung.xml)",
         "aucune pièce jointe XML de facture (factur-x.xml, zugferd-invoice.xml, "
         "ZUGFeRD-invoice.xml ou xrechnung.xml)",
         "Factur-X 1.0: the invoice XML is embedded in the PDF"},
        {"FX-PDF-11", Severity::kFatal, "more than one invoice XML attachment",
         "plus d'une pièce jointe XML de facture",
         "Factur-X 1.0: exactly one embedded invoice; two would make the invoice ambiguous"},
        {"FX-PDF-12", Severity::kFatal,
         "the invoice attachment name does not match the Factur-X/ZUGFeRD version declared in "
         "the XMP metadata",
         "le nom de la pièce jointe de facture ne correspond pas à la version Factur-X/ZUGFeRD "
         "déclarée dans les métadonnées XMP",
         "Factur-X 1.0 and ZUGFeRD 2.1+: factur-x.xml (xrechnung.xml for XRECHNUNG); ZUGFeRD 2.0: "
         "zugferd-invoice.xml; ZUGFeRD 1.0: ZUGFeRD-invoice.xml"},
        {"FX-PDF-13", Severity::kFatal,
         "the invoice file specification is not listed in the document catalog's /AF array",
         "la spécification de fichier de la facture n'est pas listée dans le tableau /AF du "
         "catalogue",
         "ISO 19005-3 6.8 and Factur-X 1.0: the invoice is an associated file of the document"},
        {"FX-PDF-14", Severity::kFatal,
         "the invoice /AFRelationship is missing, is not Data, Alternative or Source, or is not "
         "Data for a MINIMUM or BASIC WL invoice",
         "la valeur /AFRelationship de la facture est absente, n'est pas Data, Alternative ou "
         "Source, ou n'est pas Data pour une facture MINIMUM ou BASIC WL",
         "ISO 19005-3 6.8 and Factur-X 1.0: MINIMUM and BASIC WL are not invoices, so Data"},
        {"FX-PDF-15", Severity::kFatal, "the invoice embedded file /Subtype is not text/xml",
         "le /Subtype du fichier incorporé de la facture n'est pas text/xml",
         "ISO 19005-3 6.8 (MIME type of an embedded file) and Factur-X 1.0 (text/xml)"},
        {"FX-PDF-16", Severity::kFatal,
         "the invoice attachment has no embedded file stream or it cannot be decoded",
         "la pièce jointe de facture n'a pas de flux de fichier incorporé ou il ne peut être "
         "décodé",
         "the invoice must be extractable"},
        {"FX-PDF-17", Severity::kWarning,
         "the invoice profile (BT-24) is missing or unknown: checks that depend on it were "
         "skipped",
         "le profil de la facture (BT-24) est absent ou inconnu : les contrôles qui en dépendent "
         "n'ont pas été faits",
         "AFRelationship and ConformanceLevel depend on the profile"},
        {"FX-PDF-18", Severity::kWarning,
         "the invoice /AFRelationship is Data although the profile makes the XML a complete "
         "invoice: Alternative (or Source) is expected",
         "la valeur /AFRelationship de la facture est Data alors que le profil fait du XML une "
         "facture complète : Alternative (ou Source) est attendu",
         "Factur-X 1.0: Alternative for BASIC, EN 16931, EXTENDED; a warning because the "
         "ZUGFeRD 2.1 reference samples use Data"},
        {"FX-PDF-20", Severity::kFatal, "no XMP metadata stream in the document catalog",
         "aucun flux de métadonnées XMP dans le catalogue du document",
         "ISO 19005-3 6.6.2.1 and Factur-X 1.0: XMP metadata is mandatory"},
        {"FX-PDF-21", Severity::kFatal,
         "the XMP metadata cannot be read (not decodable, over the limit, or not well-formed XML)",
         "les métadonnées XMP sont illisibles (non décodables, trop grandes ou XML mal formé)",
         "ISO 19005-3 6.6.2.1: well-formed XMP; facteur limit xmp_bytes_max"},
        {"FX-PDF-22", Severity::kFatal,
         "the XMP metadata does not identify PDF/A-3 (pdfaid:part 3, pdfaid:conformance A, B or "
         "U)",
         "les métadonnées XMP n'identifient pas un PDF/A-3 (pdfaid:part 3, pdfaid:conformance A, "
         "B ou U)",
         "ISO 19005-3 6.6.4: PDF/A identification; Factur-X 1.0 requires PDF/A-3"},
        {"FX-PDF-23", Severity::kFatal,
         "the Factur-X/ZUGFeRD PDF/A extension schema is not declared in the XMP metadata",
         "le schéma d'extension PDF/A Factur-X/ZUGFeRD n'est pas déclaré dans les métadonnées XMP",
         "ISO 19005-3 6.6.2.3: custom XMP properties need an extension schema"},
        {"FX-PDF-24", Severity::kFatal, "XMP DocumentType is missing or not INVOICE",
         "DocumentType XMP absent ou différent de INVOICE", "Factur-X 1.0 XMP properties"},
        {"FX-PDF-25", Severity::kFatal,
         "XMP DocumentFileName is missing or differs from the invoice attachment name",
         "DocumentFileName XMP absent ou différent du nom de la pièce jointe de facture",
         "Factur-X 1.0 XMP properties"},
        {"FX-PDF-26", Severity::kFatal, "XMP Version is missing", "Version XMP absente",
         "Factur-X 1.0 XMP properties"},
        {"FX-PDF-27", Severity::kFatal,
         "XMP ConformanceLevel is missing or inconsistent with the invoice profile (BT-24)",
         "ConformanceLevel XMP absent ou incohérent avec le profil de la facture (BT-24)",
         "Factur-X 1.0 XMP properties"},
        {"FX-PDF-28", Severity::kFatal,
         "the XMP metadata has no Factur-X/ZUGFeRD properties (DocumentType, DocumentFileName, "
         "Version, ConformanceLevel)",
         "les métadonnées XMP n'ont pas de propriétés Factur-X/ZUGFeRD (DocumentType, "
         "DocumentFileName, Version, ConformanceLevel)",
         "Factur-X 1.0 XMP properties"},
        {"FX-PDF-30", Severity::kFatal, "the PDF contains JavaScript",
         "le PDF contient du JavaScript", "ISO 19005-3 6.6.1: no JavaScript actions"},
        {"FX-PDF-31", Severity::kFatal,
         "the PDF contains a Launch action (runs a program or "
         "opens a file)",
         "le PDF contient une action Launch (lance un programme ou ouvre un fichier)",
         "ISO 19005-3 6.6.1: no Launch actions"},
        {"FX-PDF-32", Severity::kFatal,
         "the document /OpenAction runs an action other than navigation (JavaScript, Launch, "
         "URI, ...)",
         "l'/OpenAction du document exécute une action autre qu'une navigation (JavaScript, "
         "Launch, URI...)",
         "ISO 19005-3 6.6.1: an invoice must not act when opened"},
        {"FX-PDF-33", Severity::kFatal, "the PDF has additional actions (/AA)",
         "le PDF contient des actions additionnelles (/AA)",
         "ISO 19005-3 6.6.2: no /AA in the catalog, pages, annotations or form fields"},
        {"FX-PDF-34", Severity::kFatal,
         "the PDF contains other active or interactive content (RichMedia, SubmitForm, "
         "ImportData, ResetForm, Hide, Rendition, Movie, Sound, 3D, XFA, ...)",
         "le PDF contient un autre contenu actif ou interactif (RichMedia, SubmitForm, "
         "ImportData, ResetForm, Hide, Rendition, Movie, Sound, 3D, XFA...)",
         "ISO 19005-3 6.6.1, 6.3.1 and 6.4.2 (forbidden actions, annotations and XFA)"},
    };
}

}  // namespace

const std::vector<CheckInfo>& checks() {
    static const std::vector<CheckInfo> kChecks = make_checks();
    return kChecks;
}

const CheckInfo* find_check(std::string_view id) noexcept {
    const std::vector<CheckInfo>& all = checks();
    const auto it =
        std::lower_bound(all.begin(), all.end(), id,
                         [](const CheckInfo& c, std::string_view v) { return c.id < v; });
    return it != all.end() && it->id == id ? &*it : nullptr;
}

model::Finding make_finding(std::string_view id, std::string_view detail, std::string location) {
    const CheckInfo* info = find_check(id);
    FACTEUR_ASSERT(info != nullptr, "every FX-PDF id used must be in the catalogue");
    model::Finding f;
    f.rule = std::string(info->id);
    f.severity = info->severity;
    f.layer = "facturx-pdf";
    f.location = std::move(location);
    f.message = std::string(info->message);
    f.message_fr = std::string(info->message_fr);
    if (!detail.empty()) {
        f.message.append(": ").append(detail);
        f.message_fr.append(" : ").append(detail);
    }
    return f;
}

}  // namespace facteur::formats::facturx
