// The libxml2 adapter: the only place that calls libxml2's parser (house style §1.2).
#include <memory>
#include <mutex>

#include <libxml/parser.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "facteur/xml/document.h"
#include "facteur/xml/namespaces.h"

namespace facteur::xml {

namespace {

using core::Errc;

// NONET: never fetch over the network. NOCDATA: mappers see CDATA as plain text.
// NOERROR/NOWARNING: libxml2 prints nothing; the error is read back from the context.
// BIG_LINES: line numbers past 65535 stay right. COMPACT: small text nodes inline.
// Left out on purpose: NOENT (despite its name it *substitutes* entities: XXE), DTDLOAD,
// DTDATTR, DTDVALID, XINCLUDE, HUGE (lifts libxml2's own caps), RECOVER (an invoice is
// well-formed or rejected).
// XML_PARSE_IGNORE_ENC: prescan() has accepted UTF-8 only (a declaration may say UTF-8 or
// US-ASCII), so the parser reads the bytes as UTF-8, as it does by default without a
// declaration, and ignores the declared name. Passing "UTF-8" as the document's encoding would
// give the same reading, but through libxml2's UTF-8 to UTF-8 "conversion", which copies every
// byte once more.
constexpr int kParseFlags = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |
                            XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT |
                            XML_PARSE_IGNORE_ENC;

xmlParserInputPtr refuse_external_entity(const char* /*url*/, const char* /*id*/,
                                         xmlParserCtxtPtr /*ctxt*/) {
    return nullptr;  // no DTD, entity or schema is ever loaded through libxml2
}

void silent_generic_error(void* /*ctx*/, const char* /*msg*/, ...) {}

struct CtxtDeleter {
    void operator()(xmlParserCtxt* ctxt) const noexcept { xmlFreeParserCtxt(ctxt); }
};

std::string trimmed(const char* message) {
    std::string out = message == nullptr ? "" : message;
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) {
        out.pop_back();
    }
    return out;
}

tl::unexpected<core::Error> from_libxml2(const xmlError* error) {
    if (error == nullptr) {
        return core::fail(Errc::kInternal, "XML-INTERNAL", "libxml2 failed without an error",
                          "échec de libxml2 sans message d'erreur");
    }
    const std::string what = trimmed(error->message);
    const auto line = static_cast<std::uint32_t>(error->line > 0 ? error->line : 0);
    switch (error->code) {
        case XML_ERR_NO_MEMORY:
            return core::fail(Errc::kInternal, "XML-INTERNAL", "libxml2: " + what,
                              "libxml2 : " + what, line);
        case XML_ERR_INVALID_ENCODING:
        case XML_ERR_UNSUPPORTED_ENCODING:
        case XML_ERR_UNKNOWN_ENCODING:
            return core::fail(Errc::kInvalidInput, "XML-ENCODING", "encoding error: " + what,
                              "erreur d'encodage : " + what, line);
        case XML_ERR_UNDECLARED_ENTITY:
        case XML_WAR_UNDECLARED_ENTITY:
        case XML_ERR_ENTITY_PE_INTERNAL:
        case XML_ERR_ENTITY_LOOP:
            return core::fail(Errc::kInvalidInput, "XML-ENTITY",
                              "entity reference not allowed: " + what,
                              "référence d'entité non admise : " + what, line);
        default:
            return core::fail(Errc::kInvalidInput, "XML-MALFORMED", "not well-formed XML: " + what,
                              "XML mal formé : " + what, line);
    }
}

}  // namespace

void initialise() {
    static std::once_flag once;
    std::call_once(once, [] {
        xmlInitParser();
        xmlSetExternalEntityLoader(&refuse_external_entity);
        xmlSetGenericErrorFunc(nullptr, &silent_generic_error);
    });
}

std::string libxml2_version() { return LIBXML_DOTTED_VERSION; }

bool plain_namespace_declaration(std::string_view prefix, std::string_view uri) {
    // The checks libxml2 makes on a namespace declaration (xmlParseStartTag2): each failure is a
    // namespace error that makes parse() reject the document.
    constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";
    constexpr std::string_view kXmlnsNs = "http://www.w3.org/2000/xmlns/";
    if (uri.empty() || prefix == "xml" || prefix == "xmlns" || uri == kXmlNs || uri == kXmlnsNs
        || uri.find('\0') != std::string_view::npos) {
        return false;
    }
    initialise();
    const std::string text(uri);
    xmlURIPtr parsed = xmlParseURI(text.c_str());
    if (parsed == nullptr) {
        return false;
    }
    xmlFreeURI(parsed);
    return true;
}

core::Result<Document> parse(std::string_view bytes, const Limits& limits) {
    static_assert(Limits{}.document_bytes_max <= kLibxml2DocumentBytesCap);
    initialise();
    if (bytes.size() > kLibxml2DocumentBytesCap) {
        return core::fail(Errc::kResourceExhausted, "XML-LIMIT-SIZE",
                          "the document is larger than 2 GiB", "le document dépasse 2 Gio");
    }
    FACTEUR_TRY_ASSIGN(ScanInfo scan, prescan(bytes, limits));
    const std::unique_ptr<xmlParserCtxt, CtxtDeleter> ctxt(xmlNewParserCtxt());
    if (!ctxt) {
        return core::fail(Errc::kInternal, "XML-INTERNAL", "libxml2 cannot allocate a parser",
                          "libxml2 ne peut pas allouer d'analyseur");
    }
    xmlDoc* doc = xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()),
                                    nullptr, nullptr, kParseFlags);
    // nsWellFormed: libxml2 keeps going after a namespace error (an unbound prefix); an invoice
    // must be namespace-well-formed too (Namespaces in XML 1.0 §7).
    if (doc == nullptr || ctxt->wellFormed == 0 || ctxt->nsWellFormed == 0) {
        xmlFreeDoc(doc);
        return from_libxml2(xmlCtxtGetLastError(ctxt.get()));
    }
    Document out(doc, std::move(scan));
    if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
        // Unreachable after prescan(); kept so that a scanner bug can never let a DTD through.
        return core::fail(Errc::kInvalidInput, "XML-DOCTYPE", "document type declaration rejected",
                          "déclaration de type de document refusée");
    }
    return out;
}

}  // namespace facteur::xml
