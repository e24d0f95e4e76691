// The writing half of the qpdf adapter (house style §1.2): every qpdf exception stops here.
// Compiled as C++17 in the libFuzzer build, like pdf_inspect.cpp, so it sticks to C++17.
#include "pdf_writer.h"

#include <exception>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFEFStreamObjectHelper.hh>
#include <qpdf/QPDFEmbeddedFileDocumentHelper.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFFileSpecObjectHelper.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>

#include <zlib.h>

namespace facteur::formats::facturx {

namespace {

using core::Errc;
using core::fail;

/// `data` Flate-compressed (zlib format, ISO 32000-1 7.4.4).
std::string deflated(const std::string& data) {
    uLongf size = compressBound(static_cast<uLong>(data.size()));
    std::string out(size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(&out[0]), &size,
                  reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()),
                  Z_DEFAULT_COMPRESSION)
        != Z_OK) {
        throw std::runtime_error("zlib compress2 failed");
    }
    out.resize(size);
    return out;
}

/// A stream holding `data`, stored Flate-compressed.
QPDFObjectHandle compressed_stream(QPDF& pdf, const std::string& data) {
    QPDFObjectHandle stream = QPDFObjectHandle::newStream(&pdf);
    stream.replaceStreamData(deflated(data), QPDFObjectHandle::newName("/FlateDecode"),
                             QPDFObjectHandle::newNull());
    return stream;
}

/// Why the visual PDF cannot become a PDF/A-3 invoice as it is, or "" when it can. We do not
/// strip anything: a visual PDF with scripts or attachments of its own is the caller's bug.
std::string refusal(QPDF& pdf) {
    if (pdf.isEncrypted()) {
        return "the visual PDF is encrypted";
    }
    QPDFObjectHandle root = pdf.getRoot();
    if (root.hasKey("/OpenAction") || root.hasKey("/AA")) {
        return "the visual PDF has an /OpenAction or /AA action";  // ISO 19005-3 6.6.1, 6.6.2
    }
    QPDFObjectHandle names = root.getKey("/Names");
    if (names.isDictionary() && names.hasKey("/JavaScript")) {
        return "the visual PDF has JavaScript";
    }
    if (QPDFEmbeddedFileDocumentHelper(pdf).hasEmbeddedFiles() || root.hasKey("/AF")) {
        return "the visual PDF already has attachments";
    }
    return {};
}

/// ISO 19005-3 6.2.3: an output intent with the profile the device colour spaces refer to.
void add_output_intent(QPDF& pdf, const PdfaParts& parts) {
    QPDFObjectHandle icc = compressed_stream(pdf, parts.icc_profile);
    icc.getDict().replaceKey("/N", QPDFObjectHandle::newInteger(3));
    QPDFObjectHandle intent = QPDFObjectHandle::newDictionary();
    intent.replaceKey("/Type", QPDFObjectHandle::newName("/OutputIntent"));
    intent.replaceKey("/S", QPDFObjectHandle::newName("/GTS_PDFA1"));
    intent.replaceKey("/OutputConditionIdentifier",
                      QPDFObjectHandle::newString(parts.output_condition));
    intent.replaceKey("/Info", QPDFObjectHandle::newString(parts.output_condition));
    intent.replaceKey("/RegistryName", QPDFObjectHandle::newString("http://www.color.org"));
    intent.replaceKey("/DestOutputProfile", icc);
    pdf.getRoot().replaceKey("/OutputIntents",
                             QPDFObjectHandle::newArray({pdf.makeIndirectObject(intent)}));
}

/// ISO 19005-3 6.8 and Factur-X 1.0: the invoice as an associated file of the document.
void add_attachment(QPDF& pdf, const PdfaParts& parts) {
    QPDFEFStreamObjectHelper ef =
        QPDFEFStreamObjectHelper::createEFStream(pdf, std::string(parts.xml));
    ef.setSubtype("text/xml").setModDate(parts.pdf_date);  // /Params /Size is set by qpdf
    // Compressed after /Params /Size and /CheckSum were computed from the XML itself.
    ef.getObjectHandle().replaceStreamData(deflated(std::string(parts.xml)),
                                           QPDFObjectHandle::newName("/FlateDecode"),
                                           QPDFObjectHandle::newNull());
    QPDFFileSpecObjectHelper spec =
        QPDFFileSpecObjectHelper::createFileSpec(pdf, parts.attachment_name, ef);
    spec.setDescription(parts.description);
    QPDFObjectHandle spec_object = spec.getObjectHandle();
    spec_object.replaceKey("/AFRelationship",
                           QPDFObjectHandle::newName("/" + parts.relationship));
    QPDFEmbeddedFileDocumentHelper(pdf).replaceEmbeddedFile(parts.attachment_name, spec);
    pdf.getRoot().replaceKey("/AF", QPDFObjectHandle::newArray({spec_object}));
}

/// ISO 19005-3 6.6.2.1 and 6.6.3: the XMP packet, and an Info dictionary equal to it.
void add_metadata(QPDF& pdf, const PdfaParts& parts) {
    QPDFObjectHandle metadata = QPDFObjectHandle::newStream(&pdf, parts.xmp);
    metadata.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/Metadata"));
    metadata.getDict().replaceKey("/Subtype", QPDFObjectHandle::newName("/XML"));
    pdf.getRoot().replaceKey("/Metadata", metadata);
    QPDFObjectHandle info = QPDFObjectHandle::newDictionary();
    info.replaceKey("/Title", QPDFObjectHandle::newUnicodeString(parts.title));
    info.replaceKey("/Producer", QPDFObjectHandle::newUnicodeString(parts.producer));
    info.replaceKey("/Creator", QPDFObjectHandle::newUnicodeString(parts.creator));
    info.replaceKey("/CreationDate", QPDFObjectHandle::newString(parts.pdf_date));
    info.replaceKey("/ModDate", QPDFObjectHandle::newString(parts.pdf_date));
    pdf.getTrailer().replaceKey("/Info", pdf.makeIndirectObject(info));
}

std::string write(QPDF& pdf) {
    QPDFWriter writer(pdf);
    writer.setOutputMemory();
    writer.forcePDFVersion("1.7");
    writer.setDeterministicID(true);              // trailer /ID (ISO 19005-3 6.1.3)
    writer.setObjectStreamMode(qpdf_o_disable);  // a plain cross-reference table for every reader
    writer.setDecodeLevel(qpdf_dl_none);          // font and page streams copied, not recompressed
    // Streams are written as they are: with compression on, qpdf 11 re-deflates libharu's
    // font streams (3/4 of the time); the new streams are deflated by deflated() instead.
    writer.setCompressStreams(false);
    writer.setNewlineBeforeEndstream(true);       // ISO 19005-3 6.1.7.1
    writer.write();
    const std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

}  // namespace

core::Result<std::string> write_pdfa(const PdfaParts& parts) {
    try {
        QPDF pdf;
        pdf.setSuppressWarnings(true);
        pdf.processMemoryFile("visual.pdf", parts.visual_pdf.data(), parts.visual_pdf.size());
        const std::string refused = refusal(pdf);
        if (!refused.empty()) {
            return fail(Errc::kInvalidInput, refused);
        }
        add_output_intent(pdf, parts);
        add_attachment(pdf, parts);
        add_metadata(pdf, parts);
        std::string out = write(pdf);
        if (pdf.anyWarnings()) {  // qpdf repaired something: the result would not be clean
            return fail(Errc::kInvalidInput, "the visual PDF is damaged (qpdf had to repair it)");
        }
        return out;
    } catch (const QPDFExc& e) {
        return fail(Errc::kInvalidInput, std::string("visual PDF: ") + e.what());
    } catch (const std::bad_alloc&) {
        return fail(Errc::kResourceExhausted, "out of memory while writing the PDF");
    } catch (const std::exception& e) {
        return fail(Errc::kInternal, std::string("qpdf: ") + e.what());
    }
}

}  // namespace facteur::formats::facturx
