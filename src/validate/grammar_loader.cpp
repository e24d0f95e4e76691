#include "grammar_loader.h"

#include <array>

#include <xercesc/framework/BinOutputStream.hpp>
#include <xercesc/internal/XSerializationException.hpp>
#include <xercesc/parsers/SAX2XMLReaderImpl.hpp>
#include <xercesc/sax/ErrorHandler.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/util/BinMemInputStream.hpp>
#include <xercesc/util/OutOfMemoryException.hpp>
#include <xercesc/util/XMLUni.hpp>
#include <xercesc/validators/common/Grammar.hpp>
#include <xercesc/validators/schema/ComplexTypeInfo.hpp>
#include <xercesc/validators/schema/SchemaElementDecl.hpp>
#include <xercesc/validators/schema/SchemaGrammar.hpp>

#include "facteur/core/file.h"
#include "facteur/crypto/sha256.h"

#include "xerces_support.h"

namespace facteur::validate {

namespace fs = std::filesystem;
using core::Errc;
using namespace xercesc;  // NOLINT: .cpp only

const SchemaSetInfo& schema_set_info(SchemaSet set) {
    static const std::array<SchemaSetInfo, kSchemaSetCount> kSets = {{
        {"ubl-2.1", "ubl-2.1", "", {"maindoc/UBL-Invoice-2.1.xsd", "maindoc/UBL-CreditNote-2.1.xsd"}},
        {"cii-d16b", "cii-d16b", "", {"CII/uncefact/data/standard/CrossIndustryInvoice_100pD16B.xsd"}},
        {"cii-d22b", "cii-d22b", "", {"CrossIndustryInvoice_100pD22B.xsd"}},
        {"cdar-d22b", "cdar-d22b", "", {"CrossDomainAcknowledgementAndResponse_100pD22B.xsd"}},
        {"facturx-1.09-minimum", "facturx-1.09", "MINIMUM/", {"MINIMUM/FACTUR-X_MINIMUM.xsd"}},
        {"facturx-1.09-basicwl", "facturx-1.09", "BASICWL/", {"BASICWL/FACTUR-X_BASICWL.xsd"}},
        {"facturx-1.09-basic", "facturx-1.09", "BASIC/", {"BASIC/FACTUR-X_BASIC.xsd"}},
        {"facturx-1.09-en16931", "facturx-1.09", "EN16931/", {"EN16931/FACTUR-X_EN16931.xsd"}},
        {"facturx-1.09-extended", "facturx-1.09", "EXTENDED/", {"EXTENDED/FACTUR-X_EXTENDED.xsd"}},
    }};
    return kSets[static_cast<std::size_t>(set)];
}

std::vector<ManifestEntry> parse_manifest(std::string_view text) {
    std::vector<ManifestEntry> out;
    while (!text.empty()) {
        const std::size_t eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        if (line.empty() || line.front() == '#') {
            continue;
        }
        std::array<std::string_view, 4> cols{};
        for (std::size_t k = 0; k < cols.size(); ++k) {
            const std::size_t tab = line.find('\t');
            cols[k] = line.substr(0, tab);
            line = tab == std::string_view::npos ? std::string_view{} : line.substr(tab + 1);
        }
        out.push_back({std::string(cols[0]), std::string(cols[1]), std::string(cols[2]),
                       std::string(cols[3])});
    }
    return out;
}

core::Result<void> verify_schema_files(const fs::path& dir, const std::vector<ManifestEntry>& entries,
                                       std::string_view manifest_set, std::string_view path_prefix) {
    const std::string restore = "restore it with: schemas/materialise.sh " + dir.string();
    const std::string restore_fr = "restaurez-le avec : schemas/materialise.sh " + dir.string();
    for (const ManifestEntry& entry : entries) {
        if ((!manifest_set.empty() && entry.set != manifest_set) ||
            !entry.path.starts_with(path_prefix)) {
            continue;
        }
        const fs::path file = dir / entry.set / entry.path;
        auto bytes = core::read_file(file, std::size_t{64} * 1024 * 1024);
        if (!bytes) {
            return core::fail(Errc::kNotFound, "SCHEMA-MISSING",
                              "official schema file missing: " + file.string() + "; " + restore,
                              "fichier de schéma officiel absent : " + file.string() + " ; " + restore_fr);
        }
        FACTEUR_TRY_ASSIGN(const crypto::Sha256Digest digest, crypto::sha256(*bytes));
        if (crypto::to_hex(digest) != entry.sha256) {
            return core::fail(Errc::kDataLoss, "SCHEMA-ALTERED",
                              "official schema file altered (SHA-256 differs from schemas/MANIFEST): " +
                                  file.string() + "; " + restore,
                              "fichier de schéma officiel modifié (SHA-256 différent de "
                              "schemas/MANIFEST) : " + file.string() + " ; " + restore_fr);
        }
    }
    return {};
}

void ValidationPool::lockPool() {
    if (!synchronized_) {
        synchronized_ = std::make_unique<XMLSynchronizedStringPool>(
            XMLGrammarPoolImpl::getURIStringPool(), 109, getMemoryManager());
    }
}

bool ValidationPool::cacheGrammar(Grammar* const grammar) {
    return !synchronized_ && XMLGrammarPoolImpl::cacheGrammar(grammar);
}

Grammar* ValidationPool::orphanGrammar(const XMLCh* const key) {
    return synchronized_ ? nullptr : XMLGrammarPoolImpl::orphanGrammar(key);
}

bool ValidationPool::clear() { return !synchronized_ && XMLGrammarPoolImpl::clear(); }

XSModel* ValidationPool::getXSModel(bool& changed) {
    changed = false;
    return nullptr;
}

XMLStringPool* ValidationPool::getURIStringPool() {
    return synchronized_ ? synchronized_.get() : XMLGrammarPoolImpl::getURIStringPool();
}

namespace {

/// Collects the messages of a grammar load.
class LoadErrors final : public ErrorHandler {
public:
    void warning(const SAXParseException&) override {}
    void error(const SAXParseException& e) override { record(e); }
    void fatalError(const SAXParseException& e) override { record(e); }
    void resetErrors() override { messages.clear(); }
    std::vector<std::string> messages;

private:
    void record(const SAXParseException& e) {
        messages.push_back(to_utf8(e.getSystemId()) + ":" + std::to_string(e.getLineNumber()) +
                           ": " + to_utf8(e.getMessage()));
    }
};

/// Builds, while one thread owns the pool, what Xerces would otherwise build lazily on the shared
/// grammars during validation: without full schema checking (not set: it adds the unique
/// particle attribution check to the official schemas' load), a complex type's content model
/// is made the first time a document uses it (ComplexTypeInfo::getContentModel(), an
/// unsynchronised `if (!fContentModel) fContentModel = makeContentModel()`), and its text form
/// the first time an error message quotes it. Two `--jobs` workers meeting a type for the first
/// time together would both write the pointer. Every complex type of the registry, and every
/// element declaration's type (anonymous types included), gets both here. (Neither is part of
/// Xerces' serialised form: a deserialised pool needs this as much as a freshly loaded one.)
void prebuild_content_models(XMLGrammarPool& pool) {
    RefHashTableOfEnumerator<Grammar> grammars = pool.getGrammarEnumerator();
    while (grammars.hasMoreElements()) {
        Grammar& grammar = grammars.nextElement();
        if (grammar.getGrammarType() != Grammar::SchemaGrammarType) {
            continue;
        }
        auto& schema = static_cast<SchemaGrammar&>(grammar);
        const auto build = [](ComplexTypeInfo* type) {
            if (type != nullptr) {
                type->getContentModel();
                type->getFormattedContentModel();
            }
        };
        if (RefHashTableOf<ComplexTypeInfo>* types = schema.getComplexTypeRegistry(); types != nullptr) {
            RefHashTableOfEnumerator<ComplexTypeInfo> each(types, false, pool.getMemoryManager());
            while (each.hasMoreElements()) {
                build(&each.nextElement());
            }
        }
        RefHash3KeysIdPoolEnumerator<SchemaElementDecl> elements = schema.getElemEnumerator();
        while (elements.hasMoreElements()) {
            build(elements.nextElement().getComplexTypeInfo());
        }
    }
}

/// BinOutputStream into a byte vector.
class VectorOutput final : public BinOutputStream {
public:
    XMLFilePos curPos() const override { return bytes.size(); }
    void writeBytes(const XMLByte* const data, const XMLSize_t count) override {
        bytes.insert(bytes.end(), data, data + count);
    }
    std::vector<std::uint8_t> bytes;
};

tl::unexpected<core::Error> load_error(std::string_view label, std::string_view what, const std::string& why) {
    return core::fail(Errc::kInternal, "SCHEMA-LOAD",
                      "cannot " + std::string(what) + " the grammars of " + std::string(label) + ": " + why,
                      "impossible de traiter (" + std::string(what) + ") les grammaires de " +
                          std::string(label) + " : " + why);
}

}  // namespace

core::Result<std::unique_ptr<ValidationPool>> load_from_schema_files(const fs::path& dir,
                                                                     const SchemaSetInfo& set) {
    auto pool = std::make_unique<ValidationPool>(XMLPlatformUtils::fgMemoryManager);
    LocalOnlyResolver resolver(dir);
    LoadErrors errors;
    const auto loader = std::make_unique<SAX2XMLReaderImpl>(XMLPlatformUtils::fgMemoryManager, pool.get());
    loader->setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
    loader->setFeature(XMLUni::fgXercesSchema, true);
    loader->setFeature(XMLUni::fgXercesHandleMultipleImports, true);
    loader->setFeature(XMLUni::fgXercesLoadExternalDTD, false);
    // The official schemas are mostly documentation (xsd:annotation); nothing facteur does reads
    // it back, so the loader does not turn it into XSAnnotation objects.
    loader->setFeature(XMLUni::fgXercesIgnoreAnnotations, true);
    loader->setXMLEntityResolver(&resolver);
    loader->setErrorHandler(&errors);
    for (const std::string_view entry : set.entry_points) {
        const fs::path file = dir / set.manifest_set / entry;
        Grammar* grammar = nullptr;
        try {
            grammar = loader->loadGrammar(file.c_str(), Grammar::SchemaGrammarType, true);
        } catch (const XMLException& e) {
            errors.messages.push_back(to_utf8(e.getMessage()));
        } catch (const OutOfMemoryException&) {
            errors.messages.emplace_back("out of memory");
        } catch (const SAXParseException& e) {
            errors.messages.push_back(to_utf8(e.getMessage()));
        }
        if (!resolver.refused().empty()) {
            return core::fail(Errc::kInvalidInput, "SCHEMA-RESOLVE",
                              "schema " + file.string() + " refers outside the schema folder: " +
                                  resolver.refused().front(),
                              "le schéma " + file.string() + " fait référence hors du dossier "
                              "des schémas : " + resolver.refused().front());
        }
        if (grammar == nullptr || !errors.messages.empty()) {
            const std::string why = errors.messages.empty() ? "no grammar" : errors.messages.front();
            return core::fail(Errc::kInternal, "SCHEMA-LOAD",
                              "cannot load schema " + file.string() + ": " + why,
                              "impossible de charger le schéma " + file.string() + " : " + why);
        }
    }
    return pool;
}

core::Result<std::vector<std::uint8_t>> serialise_pool(ValidationPool& pool) {
    VectorOutput out;
    try {
        pool.serializeGrammars(&out);
    } catch (const XMLException& e) {
        return load_error("(pool)", "serialise", to_utf8(e.getMessage()));
    } catch (const OutOfMemoryException&) {
        return load_error("(pool)", "serialise", "out of memory");
    }
    return std::move(out.bytes);
}

core::Result<std::unique_ptr<ValidationPool>> deserialise_pool(std::span<const std::uint8_t> bytes,
                                                               std::string_view label) {
    if (bytes.empty()) {
        return load_error(label, "deserialise", "no serialised grammars");
    }
    auto pool = std::make_unique<ValidationPool>(XMLPlatformUtils::fgMemoryManager);
    BinMemInputStream in(bytes.data(), bytes.size(), BinMemInputStream::BufOpt_Reference,
                         XMLPlatformUtils::fgMemoryManager);
    try {
        pool->deserializeGrammars(&in);
    } catch (const XMLException& e) {
        return load_error(label, "deserialise", to_utf8(e.getMessage()));
    } catch (const OutOfMemoryException&) {
        return load_error(label, "deserialise", "out of memory");
    }
    return pool;
}

core::Result<void> finish_pool(ValidationPool& pool, std::string_view label) {
    try {
        prebuild_content_models(pool);
    } catch (const XMLException& e) {
        return core::fail(Errc::kInternal, "SCHEMA-LOAD",
                          "cannot build the content models of " + std::string(label) + ": " +
                              to_utf8(e.getMessage()),
                          "impossible de construire les modèles de contenu de " + std::string(label) +
                              " : " + to_utf8(e.getMessage()));
    } catch (const OutOfMemoryException&) {
        return core::fail(Errc::kResourceExhausted, "SCHEMA-LOAD", "out of memory building content models",
                          "mémoire épuisée en construisant les modèles de contenu");
    }
    pool.lockPool();
    return {};
}

}  // namespace facteur::validate
