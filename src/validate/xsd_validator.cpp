// The Xerces-C adapter for instance validation: Xerces exceptions stop here (house style §2.3).
#include "facteur/validate/xsd_validator.h"

#include <array>
#include <string>

#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/framework/XMLErrorCodes.hpp>
#include <xercesc/framework/XMLGrammarPool.hpp>
#include <xercesc/sax/ErrorHandler.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/Attributes.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/parsers/SAX2XMLReaderImpl.hpp>
#include <xercesc/util/OutOfMemoryException.hpp>
#include <xercesc/util/SecurityManager.hpp>
#include <xercesc/util/XMLUni.hpp>

#include "xerces_support.h"

namespace facteur::validate {

using core::Errc;
using namespace xercesc;  // NOLINT: .cpp only

namespace {

using XString = std::basic_string<XMLCh>;

/// Tracks the element path (with sibling positions) so that each violation points at an element,
/// and turns Xerces' error callbacks into findings.
class Collector final : public DefaultHandler {
public:
    explicit Collector(std::size_t findings_max) : findings_max_(findings_max) {}

    void reset_for(std::vector<model::Finding>* out) {
        out_ = out;
        frames_.clear();
        frames_.emplace_back();
        dropped_ = 0;
    }

    [[nodiscard]] std::size_t dropped() const noexcept { return dropped_; }

    void startElement(const XMLCh* /*uri*/, const XMLCh* /*localname*/, const XMLCh* qname,
                      const Attributes& /*attrs*/) override {
        Frame& parent = frames_.back();
        std::size_t position = 1;
        bool seen = false;
        for (auto& [name, count] : parent.children) {
            if (name == qname) {
                position = ++count;
                seen = true;
                break;
            }
        }
        if (!seen) {
            parent.children.emplace_back(XString(qname), 1);
        }
        frames_.push_back(Frame{XString(qname), position, {}});
    }

    void endElement(const XMLCh* /*uri*/, const XMLCh* /*localname*/,
                    const XMLCh* /*qname*/) override {
        if (frames_.size() > 1) {
            frames_.pop_back();
        }
    }

    void warning(const SAXParseException& e) override { record(e, model::Severity::kWarning); }
    void error(const SAXParseException& e) override { record(e, model::Severity::kFatal); }
    void fatalError(const SAXParseException& e) override { record(e, model::Severity::kFatal); }

private:
    struct Frame {
        XString qname;
        std::size_t position = 1;
        std::vector<std::pair<XString, std::size_t>> children;
    };

    std::string path() const {
        std::string out;
        for (std::size_t k = 1; k < frames_.size(); ++k) {
            out += '/';
            out += to_utf8(frames_[k].qname.c_str());
            if (frames_[k].position > 1) {
                out += '[' + std::to_string(frames_[k].position) + ']';
            }
        }
        return out.empty() ? "/" : out;
    }

    void record(const SAXParseException& e, model::Severity severity) {
        if (out_->size() >= findings_max_) {
            ++dropped_;
            return;
        }
        const std::string message = to_utf8(e.getMessage());
        out_->push_back(model::Finding{
            .rule = "XSD",
            .severity = severity,
            .layer = "xsd",
            .location = path(),
            .line = static_cast<std::uint32_t>(e.getLineNumber()),
            .message = "schema violation: " + message,
            .message_fr = "non conforme au schéma : " + message,
        });
    }

    std::size_t findings_max_;
    std::vector<model::Finding>* out_ = nullptr;
    std::vector<Frame> frames_;
    std::size_t dropped_ = 0;
};

/// Xerces' SAX2 reader, minus one check: the syntax of the xsi:schemaLocation hint. facteur never
/// follows hints (fgXercesLoadSchema is off) and XSD 1.0 §4.3.2 leaves them to the processor, so
/// a malformed hint (an odd number of URIs, as in CEN's CII_example6) is no schema violation:
/// libxml2, which made the reference verdicts, ignores it too. Filtered by error code, not text.
/// Xerces classes that error as fatal and would stop the scan there, which is why the reader
/// continues after fatal errors: the bytes it gets were already found well-formed by xml::parse,
/// and every other fatal error is still reported as a fatal finding.
class Reader final : public SAX2XMLReaderImpl {
public:
    using SAX2XMLReaderImpl::SAX2XMLReaderImpl;

    void error(const unsigned int code, const XMLCh* const domain,
               const XMLErrorReporter::ErrTypes type, const XMLCh* const text,
               const XMLCh* const system_id, const XMLCh* const public_id,
               const XMLFileLoc line, const XMLFileLoc column) override {
        if (code == XMLErrs::BadSchemaLocation && XMLString::equals(domain, XMLUni::fgXMLErrDomain)) {
            return;
        }
        SAX2XMLReaderImpl::error(code, domain, type, text, system_id, public_id, line, column);
    }
};

}  // namespace

struct XsdValidator::Impl {
    Impl(SchemaRegistry& r, XsdValidatorConfig c)
        : registry(r), config(c), collector(c.findings_max), resolver(r.schema_dir()) {
        security.setEntityExpansionLimit(16);
    }

    core::Result<SAX2XMLReaderImpl*> reader(SchemaSet set);

    SchemaRegistry& registry;
    XsdValidatorConfig config;
    Collector collector;
    LocalOnlyResolver resolver;
    SecurityManager security;
    std::array<std::unique_ptr<Reader>, kSchemaSetCount> readers;
};

core::Result<SAX2XMLReaderImpl*> XsdValidator::Impl::reader(SchemaSet set) {
    auto& slot = readers[static_cast<std::size_t>(set)];
    if (slot) {
        return slot.get();
    }
    FACTEUR_TRY_ASSIGN(GrammarPool* const pool, registry.pool(set));
    slot = std::make_unique<Reader>(XMLPlatformUtils::fgMemoryManager, pool->get());
    SAX2XMLReaderImpl& r = *slot;
    // Validate against the cached, locked grammars only; never load a schema named by the
    // document (xsi:schemaLocation is a hint that facteur ignores), never read a DTD.
    r.setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
    r.setFeature(XMLUni::fgSAX2CoreNameSpacePrefixes, false);
    r.setFeature(XMLUni::fgSAX2CoreValidation, true);
    r.setFeature(XMLUni::fgXercesDynamic, false);
    r.setFeature(XMLUni::fgXercesSchema, true);
    r.setFeature(XMLUni::fgXercesSchemaFullChecking, false);
    r.setFeature(XMLUni::fgXercesUseCachedGrammarInParse, true);
    r.setFeature(XMLUni::fgXercesCacheGrammarFromParse, false);
    r.setFeature(XMLUni::fgXercesLoadSchema, false);
    r.setFeature(XMLUni::fgXercesLoadExternalDTD, false);
    r.setFeature(XMLUni::fgXercesSkipDTDValidation, true);
    r.setFeature(XMLUni::fgXercesDisableDefaultEntityResolution, true);
    r.setFeature(XMLUni::fgXercesCalculateSrcOfs, false);
    r.setFeature(XMLUni::fgXercesContinueAfterFatalError, true);
    // The schema-only scanner: no DTD code path at all, and faster than the general one.
    r.setProperty(XMLUni::fgXercesScannerName, const_cast<XMLCh*>(XMLUni::fgSGXMLScanner));
    r.setProperty(XMLUni::fgXercesSecurityManager, &security);
    r.setXMLEntityResolver(&resolver);
    r.setErrorHandler(&collector);
    return slot.get();
}

XsdValidator::XsdValidator(SchemaRegistry& registry, XsdValidatorConfig config)
    : impl_(std::make_unique<Impl>(registry, config)) {
    initialise_xerces();
}

XsdValidator::~XsdValidator() = default;

core::Result<std::vector<model::Finding>> XsdValidator::validate(std::string_view bytes,
                                                                 SchemaSet set) {
    FACTEUR_TRY_ASSIGN(SAX2XMLReaderImpl* const reader, impl_->reader(set));
    std::vector<model::Finding> findings;
    impl_->collector.reset_for(&findings);
    impl_->resolver.clear();
    const MemBufInputSource input(reinterpret_cast<const XMLByte*>(bytes.data()), bytes.size(),
                                  "document", false);
    std::string failure;
    try {
        // Fast pass without a content handler (no element path bookkeeping); only a document
        // with violations is parsed again with the handler, so that findings carry paths.
        reader->setContentHandler(nullptr);
        reader->parse(input);
        if (!findings.empty()) {
            findings.clear();
            impl_->collector.reset_for(&findings);
            reader->setContentHandler(&impl_->collector);
            reader->parse(input);
        }
    } catch (const SAXParseException&) {
        // Already recorded through fatalError().
    } catch (const XMLException& e) {
        failure = to_utf8(e.getMessage());
    } catch (const SAXException& e) {
        failure = to_utf8(e.getMessage());
    } catch (const OutOfMemoryException&) {
        failure = "out of memory";
    }
    if (!failure.empty()) {
        return core::fail(Errc::kInternal, "XSD-INTERNAL", "Xerces-C failed: " + failure,
                          "échec de Xerces-C : " + failure);
    }
    if (!impl_->resolver.refused().empty()) {
        findings.push_back(model::Finding{
            .rule = "XSD-RESOLVE",
            .severity = model::Severity::kFatal,
            .layer = "xsd",
            .location = "/",
            .line = 0,
            .message = "the document refers to an external resource, which is refused: " +
                       impl_->resolver.refused().front(),
            .message_fr = "le document fait référence à une ressource externe, refusée : " +
                          impl_->resolver.refused().front(),
        });
    }
    if (const std::size_t dropped = impl_->collector.dropped(); dropped > 0) {
        findings.push_back(model::Finding{
            .rule = "XSD-MORE",
            .severity = model::Severity::kInfo,
            .layer = "xsd",
            .location = "",
            .line = 0,
            .message = std::to_string(dropped) + " more schema violations not listed",
            .message_fr = std::to_string(dropped) + " autres violations du schéma non listées",
        });
    }
    return findings;
}

}  // namespace facteur::validate
