#include "facteur/pipeline/convert.h"

#include <algorithm>

#include "facteur/formats/cii/cii_reader.h"
#include "facteur/formats/cii/cii_writer.h"
#include "facteur/formats/detect.h"
#include "facteur/formats/facturx/facturx_reader.h"
#include "facteur/formats/facturx/facturx_writer.h"
#include "facteur/render/invoice_pdf.h"
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

core::Result<ReadInvoice> read_invoice(std::string_view input, const xml::Limits& limits,
                                       bool french_note_convention) {
    ReadInvoice out;
    std::string_view xml_bytes = input;
    switch (formats::detect_container(input)) {
        case formats::Container::kZip:
            return tl::unexpected(not_an_invoice("a ZIP archive is not an invoice", "une archive ZIP n'est pas une facture"));
        case formats::Container::kPdf: {
            formats::facturx::Options pdf;
            pdf.xml_limits = limits;
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
            out.extracted_xml = std::move(extraction.xml);
            xml_bytes = out.extracted_xml;
            out.from_pdf = true;
            break;
        }
        case formats::Container::kXml:
            break;
    }
    FACTEUR_TRY_ASSIGN(const xml::Document doc, xml::parse(xml_bytes, limits));
    const xml::ScanInfo& scan = doc.scan();
    out.source_syntax = formats::syntax_of_root(scan.root_namespace, scan.root_local_name);
    switch (out.source_syntax) {
        case model::Syntax::kUblInvoice:
        case model::Syntax::kUblCreditNote: {
            FACTEUR_TRY_ASSIGN(out.invoice, formats::ubl::read_ubl(doc));
            if (french_note_convention) {
                split_french_notes(out.invoice);
            }
            break;
        }
        case model::Syntax::kCii: {
            FACTEUR_TRY_ASSIGN(out.invoice, formats::cii::read_cii(doc));
            break;
        }
        default:
            return tl::unexpected(not_an_invoice("the document is not a UBL or CII invoice",
                                                 "le document n'est pas une facture UBL ou CII"));
    }
    return out;
}

core::Result<Converted> convert(std::string_view input, const ConvertOptions& options) {
    FACTEUR_TRY_ASSIGN(ReadInvoice read, read_invoice(input, options.limits, options.french_note_convention));
    Converted out;
    out.source_syntax = read.source_syntax;
    out.from_pdf = read.from_pdf;
    const model::Invoice& invoice = read.invoice;
    model::Written written;
    if (options.target == Target::kFacturX) {
        // The CII to attach: the input's own bytes when it is CII (byte for byte), else written.
        std::string cii;
        if (read.source_syntax == model::Syntax::kCii) {
            cii = read.from_pdf ? std::move(read.extracted_xml) : std::string(input);
        } else {
            FACTEUR_TRY_ASSIGN(written, formats::cii::write_cii(invoice, options.write));
            cii = std::move(written.xml);
            out.losses = std::move(written.losses);
        }
        FACTEUR_TRY_ASSIGN(std::string visual, render::render_invoice_pdf(invoice, render::RenderOptions{}));
        formats::facturx::MakeOptions make;
        make.creation_time = options.pdf_creation_time;
        FACTEUR_TRY_ASSIGN(out.output, formats::facturx::make_facturx(visual, cii, make));
        return out;
    }
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
