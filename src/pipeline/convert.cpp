#include "facteur/pipeline/convert.h"

#include <algorithm>

#include "facteur/formats/cii/cii_reader.h"
#include "facteur/formats/cii/cii_writer.h"
#include "facteur/formats/detect.h"
#include "facteur/formats/facturx/facturx_reader.h"
#include "facteur/formats/ubl/ubl_reader.h"
#include "facteur/formats/ubl/ubl_writer.h"
#include "facteur/xml/document.h"

namespace facteur::pipeline {

namespace {

core::Error not_an_invoice(std::string detail_en, std::string detail_fr) {
    return core::Error{core::Errc::kInvalidInput, "cannot convert: " + detail_en, "CONVERT-INPUT",
                       "conversion impossible : " + detail_fr, 0};
}

/// UBL notes written "#CODE#text" (the French convention) become BT-21 CODE + BT-22 text.
void split_french_notes(model::Invoice& invoice) {
    for (model::Note& note : invoice.notes) {
        if (note.subject_code || !note.note) {
            continue;
        }
        const std::string& text = note.note->value;
        const std::size_t end = text.size() > 1 && text.front() == '#' ? text.find('#', 1) : std::string::npos;
        if (end == std::string::npos || end < 2 || end > 4) {
            continue;  // UNTDID 4451 subject codes have three letters
        }
        const std::string code = text.substr(1, end - 1);
        if (!std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
            continue;
        }
        note.subject_code = model::Value<model::Code>{code, note.note->source, std::nullopt};
        note.note->value = text.substr(end + 1);
    }
}

}  // namespace

core::Result<Converted> convert(std::string_view input, const ConvertOptions& options) {
    Converted out;
    std::string extracted;
    std::string_view xml_bytes = input;
    switch (formats::detect_container(input)) {
        case formats::Container::kZip:
            return tl::unexpected(not_an_invoice("a ZIP archive is not an invoice", "une archive ZIP n'est pas une facture"));
        case formats::Container::kPdf: {
            formats::facturx::Options pdf;
            pdf.xml_limits = options.limits;
            FACTEUR_TRY_ASSIGN(formats::facturx::Extraction extraction, formats::facturx::read_facturx(input, pdf));
            if (extraction.xml.empty() || extraction.has_fatal()) {
                std::string ids;
                for (const model::Finding& f : extraction.findings) {
                    if (f.severity == model::Severity::kFatal) {
                        ids += (ids.empty() ? "" : ", ") + f.rule;
                    }
                }
                return tl::unexpected(not_an_invoice("the PDF's container is rejected (" + ids + ")",
                                                     "le conteneur PDF est refusé (" + ids + ")"));
            }
            extracted = std::move(extraction.xml);
            xml_bytes = extracted;
            out.from_pdf = true;
            break;
        }
        case formats::Container::kXml:
            break;
    }
    FACTEUR_TRY_ASSIGN(const xml::Document doc, xml::parse(xml_bytes, options.limits));
    const xml::ScanInfo& scan = doc.scan();
    out.source_syntax = formats::syntax_of_root(scan.root_namespace, scan.root_local_name);
    model::Invoice invoice;
    switch (out.source_syntax) {
        case model::Syntax::kUblInvoice:
        case model::Syntax::kUblCreditNote: {
            FACTEUR_TRY_ASSIGN(invoice, formats::ubl::read_ubl(doc));
            if (options.french_note_convention) {
                split_french_notes(invoice);
            }
            break;
        }
        case model::Syntax::kCii: {
            FACTEUR_TRY_ASSIGN(invoice, formats::cii::read_cii(doc));
            break;
        }
        default:
            return tl::unexpected(not_an_invoice("the document is not a UBL or CII invoice",
                                                 "le document n'est pas une facture UBL ou CII"));
    }
    model::Written written;
    if (options.target == Target::kUbl) {
        model::WriteOptions write = options.write;
        if (options.french_note_convention) {
            write.ubl_note_subject = model::UblNoteSubject::kFrenchNotePrefix;
        }
        FACTEUR_TRY_ASSIGN(written, formats::ubl::write_ubl(invoice, write));
    } else {
        FACTEUR_TRY_ASSIGN(written, formats::cii::write_cii(invoice, options.write));
    }
    out.output = std::move(written.xml);
    out.losses = std::move(written.losses);
    return out;
}

}  // namespace facteur::pipeline
