#include "facteur/formats/facturx/facturx_writer.h"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <utility>

#include "facteur/core/file.h"

#include "pdf_writer.h"
#include "xmp.h"

namespace facteur::formats::facturx {

namespace {

using core::Errc;
using core::fail;

constexpr std::string_view kAttachmentName = "factur-x.xml";

/// UTC calendar time of a time point (Howard Hinnant's civil_from_days, proleptic Gregorian).
struct Utc {
    std::int64_t year;
    unsigned month, day, hour, minute, second;
};

Utc utc_of(std::chrono::system_clock::time_point t) {
    const std::int64_t secs =
        std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
    std::int64_t days = secs / 86400;
    std::int64_t rest = secs % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
    const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
    const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    return {year, month, day, static_cast<unsigned>(rest / 3600),
            static_cast<unsigned>(rest % 3600 / 60), static_cast<unsigned>(rest % 60)};
}

/// "D:20240115103000+00'00'" (ISO 32000-1 7.9.4).
std::string pdf_date(const Utc& u) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "D:%04lld%02u%02u%02u%02u%02u+00'00'",
                  static_cast<long long>(u.year), u.month, u.day, u.hour, u.minute, u.second);
    return buf;
}

/// "2024-01-15T10:30:00+00:00" (XMP Date, ISO 8601), the same instant as pdf_date().
std::string xmp_date(const Utc& u) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u+00:00",
                  static_cast<long long>(u.year), u.month, u.day, u.hour, u.minute, u.second);
    return buf;
}

std::string escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out.push_back(c);
        }
    }
    return out;
}

std::string fx_property(std::string_view name, std::string_view description) {
    return "       <rdf:li rdf:parseType=\"Resource\">\n"
           "        <pdfaProperty:name>" + std::string(name) + "</pdfaProperty:name>\n"
           "        <pdfaProperty:valueType>Text</pdfaProperty:valueType>\n"
           "        <pdfaProperty:category>external</pdfaProperty:category>\n"
           "        <pdfaProperty:description>" + std::string(description)
           + "</pdfaProperty:description>\n"
           "       </rdf:li>\n";
}

/// The Factur-X 1.0 PDF/A extension schema (ISO 19005-3 6.6.2.3: custom properties are
/// described in the packet), as in the Factur-X specification's XMP template.
std::string extension_schema() {
    return "  <rdf:Description rdf:about=\"\"\n"
           "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
           "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
           "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
           "   <pdfaExtension:schemas>\n    <rdf:Bag>\n     <rdf:li rdf:parseType=\"Resource\">\n"
           "      <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>\n"
           "      <pdfaSchema:namespaceURI>" + std::string(kFacturXNs)
           + "</pdfaSchema:namespaceURI>\n"
           "      <pdfaSchema:prefix>fx</pdfaSchema:prefix>\n"
           "      <pdfaSchema:property>\n       <rdf:Seq>\n"
           + fx_property("DocumentFileName", "The name of the embedded XML document")
           + fx_property("DocumentType",
                         "The type of the hybrid document in capital letters, e.g. INVOICE or "
                         "ORDER")
           + fx_property("Version",
                         "The actual version of the standard applying to the embedded XML "
                         "document")
           + fx_property("ConformanceLevel",
                         "The conformance level of the embedded XML document")
           + "       </rdf:Seq>\n      </pdfaSchema:property>\n     </rdf:li>\n    </rdf:Bag>\n"
             "   </pdfaExtension:schemas>\n  </rdf:Description>\n";
}

std::string xmp_packet(const MakeOptions& options, const std::string& date,
                       std::string_view level) {
    return "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
           "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
           " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
           "  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
           "   <pdfaid:part>3</pdfaid:part>\n   <pdfaid:conformance>B</pdfaid:conformance>\n"
           "  </rdf:Description>\n"
           "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
           "   <dc:format>application/pdf</dc:format>\n"
           "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + escape(options.title)
           + "</rdf:li></rdf:Alt></dc:title>\n  </rdf:Description>\n"
             "  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
             "   <xmp:CreatorTool>" + escape(options.creator_tool) + "</xmp:CreatorTool>\n"
           "   <xmp:CreateDate>" + date + "</xmp:CreateDate>\n"
           "   <xmp:ModifyDate>" + date + "</xmp:ModifyDate>\n"
           "   <xmp:MetadataDate>" + date + "</xmp:MetadataDate>\n  </rdf:Description>\n"
           "  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
           "   <pdf:Producer>" + escape(options.producer) + "</pdf:Producer>\n"
           "  </rdf:Description>\n"
           + extension_schema()
           + "  <rdf:Description rdf:about=\"\" xmlns:fx=\"" + std::string(kFacturXNs) + "\">\n"
             "   <fx:DocumentType>INVOICE</fx:DocumentType>\n"
             "   <fx:DocumentFileName>" + std::string(kAttachmentName)
           + "</fx:DocumentFileName>\n"
             "   <fx:Version>1.0</fx:Version>\n"
             "   <fx:ConformanceLevel>" + std::string(level) + "</fx:ConformanceLevel>\n"
             "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
}

/// Factur-X 1.0 levels; COMFORT (ZUGFeRD 1.0) has no Factur-X name.
bool is_facturx_level(std::string_view level) {
    for (const std::string_view l :
         {"MINIMUM", "BASIC WL", "BASIC", "EN 16931", "EXTENDED", "XRECHNUNG"}) {
        if (level == l) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::string conformance_level_of(std::string_view bt24) {
    const std::optional<Profile> profile = profile_of(bt24);
    if (!profile || !is_facturx_level(profile->level)) {
        return {};
    }
    return std::string(profile->level);
}

core::Result<std::string> make_facturx(std::string_view visual_pdf, std::string_view cii_xml,
                                       const MakeOptions& options) {
    if (visual_pdf.size() > options.visual_pdf_bytes_max) {
        return fail(Errc::kResourceExhausted, "visual PDF larger than visual_pdf_bytes_max");
    }
    if (cii_xml.size() > options.xml_bytes_max) {
        return fail(Errc::kResourceExhausted, "invoice XML larger than xml_bytes_max");
    }
    const std::optional<std::string> bt24 = read_profile_id(cii_xml, options.xml_limits);
    if (!bt24) {
        return fail(Errc::kInvalidInput,
                    "the invoice XML is not well-formed or has no BT-24 "
                    "(GuidelineSpecifiedDocumentContextParameter/ID)");
    }
    const std::optional<Profile> profile = profile_of(*bt24);
    const std::string level = conformance_level_of(*bt24);
    if (!profile || level.empty()) {
        return fail(Errc::kUnsupported, "BT-24 is not a Factur-X 1.0 profile: " + *bt24);
    }
    FACTEUR_TRY_ASSIGN(std::string icc,
                       core::read_file(options.icc_profile_path, options.icc_profile_bytes_max));
    // ICC.1 7.2.6: bytes 16..19 name the data colour space; the output intent says /N 3.
    if (icc.size() < 128 || icc.compare(16, 4, "RGB ") != 0) {
        return fail(Errc::kInvalidInput,
                    "not an RGB ICC profile: " + options.icc_profile_path);
    }
    const Utc now = utc_of(options.creation_time);
    PdfaParts parts;
    parts.visual_pdf = visual_pdf;
    parts.xml = cii_xml;
    parts.attachment_name = std::string(kAttachmentName);
    // Factur-X 1.0: MINIMUM and BASIC WL are not invoices (Data); the others are (Alternative).
    parts.relationship = profile->data_relationship ? "Data" : "Alternative";
    parts.description = options.attachment_description;
    parts.xmp = xmp_packet(options, xmp_date(now), level);
    parts.icc_profile = std::move(icc);
    parts.output_condition = options.output_condition;
    parts.title = options.title;
    parts.producer = options.producer;
    parts.creator = options.creator_tool;
    parts.pdf_date = pdf_date(now);
    return write_pdfa(parts);
}

}  // namespace facteur::formats::facturx
