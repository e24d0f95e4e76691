#include "pdf_builder.h"

#include <stdexcept>
#include <vector>

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFEFStreamObjectHelper.hh>
#include <qpdf/QPDFEmbeddedFileDocumentHelper.hh>
#include <qpdf/QPDFFileSpecObjectHelper.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <zlib.h>

namespace facteur::testing::facturx {

namespace {

constexpr std::size_t kMiB = 1024 * 1024;

void add_attachment(QPDF& pdf, const std::string& key, const std::string& name,
                    const std::string& data, const PdfSpec& spec, QPDFObjectHandle af) {
    auto ef = QPDFEFStreamObjectHelper::createEFStream(pdf, data);
    if (!spec.subtype.empty()) {
        ef.setSubtype(spec.subtype);
    }
    auto fs = QPDFFileSpecObjectHelper::createFileSpec(pdf, name, ef);
    if (!spec.relationship.empty()) {
        fs.getObjectHandle().replaceKey("/AFRelationship",
                                        QPDFObjectHandle::newName("/" + spec.relationship));
    }
    QPDFEmbeddedFileDocumentHelper(pdf).replaceEmbeddedFile(key, fs);
    if (spec.in_af) {
        af.appendItem(fs.getObjectHandle());
    }
}

void add_active_content(QPDF& pdf, const PdfSpec& spec, QPDFObjectHandle root,
                        QPDFObjectHandle page) {
    if (spec.javascript) {
        auto js = pdf.makeIndirectObject(
            QPDFObjectHandle::parse("<< /S /JavaScript /JS (app.alert\\('x'\\)) >>"));
        QPDFObjectHandle names = root.getKey("/Names");
        auto tree = QPDFObjectHandle::parse("<< /Names [ (run) null ] >>");
        tree.getKey("/Names").setArrayItem(1, js);
        names.replaceKey("/JavaScript", pdf.makeIndirectObject(tree));
    }
    if (spec.open_action_js) {
        root.replaceKey("/OpenAction",
                        QPDFObjectHandle::parse("<< /S /JavaScript /JS (this.print\\(\\)) >>"));
    }
    if (spec.launch) {
        auto annot = pdf.makeIndirectObject(
            QPDFObjectHandle::parse("<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
                                    "/A << /S /Launch /F (cmd.exe) >> >>"));
        page.replaceKey("/Annots", QPDFObjectHandle::newArray({annot}));
    }
    if (spec.reference_cycle) {
        auto a = pdf.makeIndirectObject(QPDFObjectHandle::newDictionary());
        auto b = pdf.makeIndirectObject(QPDFObjectHandle::newDictionary());
        a.replaceKey("/Next", b);
        b.replaceKey("/Next", a);
        b.replaceKey("/Self", b);
        root.replaceKey("/PieceInfo", QPDFObjectHandle::newArray({a, b}));
    }
}

}  // namespace

std::string invoice_xml(std::string_view profile) {
    return std::string(
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<rsm:CrossIndustryInvoice "
               "xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\" "
               "xmlns:ram=\"urn:un:unece:uncefact:data:standard:"
               "ReusableAggregateBusinessInformationEntity:100\">\n"
               "  <rsm:ExchangedDocumentContext>\n"
               "    <ram:GuidelineSpecifiedDocumentContextParameter>\n"
               "      <ram:ID>") +
           std::string(profile) +
           "</ram:ID>\n"
           "    </ram:GuidelineSpecifiedDocumentContextParameter>\n"
           "  </rsm:ExchangedDocumentContext>\n"
           "  <rsm:ExchangedDocument><ram:ID>F-1</ram:ID></rsm:ExchangedDocument>\n"
           "</rsm:CrossIndustryInvoice>\n";
}

std::string xmp_packet(const XmpSpec& spec) {
    std::string out =
        "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
        "  <pdfaid:part>" + spec.pdfa_part + "</pdfaid:part>\n"
        "  <pdfaid:conformance>B</pdfaid:conformance>\n"
        "</rdf:Description>\n";
    if (spec.extension_schema) {
        out += "<rdf:Description rdf:about=\"\" "
               "xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
               "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\">\n"
               "  <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
               "    <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>\n"
               "    <pdfaSchema:namespaceURI>" + spec.fx_namespace + "</pdfaSchema:namespaceURI>\n"
               "    <pdfaSchema:prefix>fx</pdfaSchema:prefix>\n"
               "  </rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
               "</rdf:Description>\n";
    }
    // Attribute form for two properties, element form for the others: XMP allows both.
    out += "<rdf:Description rdf:about=\"\" xmlns:fx=\"" + spec.fx_namespace + "\""
           + (spec.version.empty() ? std::string() : " fx:Version=\"" + spec.version + "\"")
           + (spec.document_type.empty() ? std::string()
                                         : " fx:DocumentType=\"" + spec.document_type + "\"")
           + ">\n";
    if (!spec.document_file_name.empty()) {
        out += "  <fx:DocumentFileName>" + spec.document_file_name + "</fx:DocumentFileName>\n";
    }
    if (!spec.conformance_level.empty()) {
        out += "  <fx:ConformanceLevel>" + spec.conformance_level + "</fx:ConformanceLevel>\n";
    }
    out += "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
    return out;
}

std::string deflated_zeros(std::size_t bytes) {
    if (bytes == 0 || bytes % kMiB != 0) {
        throw std::invalid_argument("deflated_zeros: a positive multiple of 1 MiB");
    }
    z_stream z{};
    if (deflateInit(&z, 9) != Z_OK) {
        throw std::runtime_error("deflateInit");
    }
    std::vector<Bytef> zeros(kMiB, 0);
    std::vector<Bytef> out(2 * kMiB);
    const auto chunk = [&] {  // one MiB of zeros, then a full flush (byte-aligned, no history)
        z.next_in = zeros.data();
        z.avail_in = static_cast<uInt>(zeros.size());
        z.next_out = out.data();
        z.avail_out = static_cast<uInt>(out.size());
        deflate(&z, Z_FULL_FLUSH);
        return std::string(reinterpret_cast<const char*>(out.data()), out.size() - z.avail_out);
    };
    std::string data = chunk();         // zlib header + first MiB
    const std::string block = chunk();  // every further MiB compresses to the same bytes
    const bool repeats = chunk() == block;
    deflateEnd(&z);
    if (block.empty() || !repeats) {
        throw std::runtime_error("deflated_zeros: full-flush blocks differ");
    }
    data.reserve(data.size() + block.size() * (bytes / kMiB));
    for (std::size_t i = 1; i < bytes / kMiB; ++i) {
        data += block;
    }
    // Final empty fixed-Huffman block, then Adler-32 of the zeros: a = 1, b = n mod 65521.
    data += std::string("\x03\x00", 2);
    const auto adler = static_cast<std::uint32_t>(((bytes % 65521) << 16) | 1);
    for (int shift = 24; shift >= 0; shift -= 8) {
        data.push_back(static_cast<char>((adler >> shift) & 0xff));
    }
    return data;
}

std::string build_pdf(const PdfSpec& spec) {
    QPDF pdf;
    pdf.emptyPDF();
    QPDFObjectHandle root = pdf.getRoot();
    auto page = pdf.makeIndirectObject(
        QPDFObjectHandle::parse("<< /Type /Page /MediaBox [0 0 595 842] /Resources << >> >>"));
    if (spec.bomb_bytes > 0) {
        QPDFObjectHandle contents = pdf.newStream();
        contents.replaceStreamData(deflated_zeros(spec.bomb_bytes),
                                   QPDFObjectHandle::newName("/FlateDecode"),
                                   QPDFObjectHandle::newNull());
        page.replaceKey("/Contents", contents);
    } else {
        page.replaceKey("/Contents", pdf.newStream(std::string("BT ET\n")));
    }
    QPDFPageDocumentHelper(pdf).addPage(QPDFPageObjectHelper(page), false);
    if (!spec.extra_stream_data.empty()) {
        QPDFObjectHandle extra = pdf.newStream();
        extra.replaceStreamData(spec.extra_stream_data, QPDFObjectHandle::newName("/FlateDecode"),
                                QPDFObjectHandle::newNull());
        QPDFObjectHandle keys = QPDFObjectHandle::parse("<< " + spec.extra_stream_keys + " >>");
        for (const std::string& key : keys.getKeys()) {
            extra.getDict().replaceKey(key, keys.getKey(key));
        }
        root.replaceKey("/Extra", extra);
    }
    QPDFObjectHandle af = QPDFObjectHandle::newArray();
    add_attachment(pdf, spec.attachment_name, spec.attachment_name, spec.xml, spec, af);
    if (!spec.second_invoice_name.empty()) {
        add_attachment(pdf, "second-" + spec.second_invoice_name, spec.second_invoice_name,
                       spec.xml, spec, af);
    }
    if (!spec.other_attachment.empty()) {
        add_attachment(pdf, spec.other_attachment, spec.other_attachment, "other", spec, af);
    }
    if (af.getArrayNItems() > 0) {
        root.replaceKey("/AF", af);
    }
    if (spec.with_xmp) {
        QPDFObjectHandle metadata = pdf.newStream(xmp_packet(spec.xmp));
        metadata.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/Metadata"));
        metadata.getDict().replaceKey("/Subtype", QPDFObjectHandle::newName("/XML"));
        root.replaceKey("/Metadata", metadata);
    }
    add_active_content(pdf, spec, root, page);
    QPDFWriter writer(pdf);
    writer.setOutputMemory();
    writer.setStaticID(true);
    writer.setDecodeLevel(qpdf_dl_none);  // never inflate the bomb while writing it
    writer.setCompressStreams(true);
    writer.setObjectStreamMode(spec.object_streams ? qpdf_o_generate : qpdf_o_disable);
    if (spec.encrypt) {
        writer.setStaticAesIV(true);
        writer.setR6EncryptionParameters(spec.user_password.c_str(), "owner", true, true, true,
                                         true, true, true, qpdf_r3p_full, true);
    }
    writer.write();
    const std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

}  // namespace facteur::testing::facturx
