#include "facteur/validate/schema_registry.h"

#include <cstdlib>
#include <mutex>

#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/parsers/SAX2XMLReaderImpl.hpp>
#include <xercesc/sax/ErrorHandler.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/util/OutOfMemoryException.hpp>
#include <xercesc/util/SynchronizedStringPool.hpp>
#include <xercesc/util/XMLUni.hpp>
#include <xercesc/validators/common/Grammar.hpp>
#include <xercesc/validators/schema/ComplexTypeInfo.hpp>
#include <xercesc/validators/schema/SchemaElementDecl.hpp>
#include <xercesc/validators/schema/SchemaGrammar.hpp>

#include "facteur/core/file.h"
#include "facteur/crypto/sha256.h"
#include "facteur/validate/xsd_validator.h"

#include "xerces_support.h"

namespace facteur::validate {

namespace detail {
extern const std::string_view kManifestText;
}  // namespace detail

namespace fs = std::filesystem;
using core::Errc;
using namespace xercesc;  // NOLINT: .cpp only

namespace {

struct SetInfo {
    std::string_view label;          // layer version label
    std::string_view manifest_set;   // set column of the manifest
    std::string_view path_prefix;    // files of the manifest set that belong to it
    std::vector<std::string_view> entry_points;
};

const SetInfo& info(SchemaSet set) {
    static const std::array<SetInfo, kSchemaSetCount> kSets = {{
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

/// XMLGrammarPoolImpl whose lock skips the XSModel. XMLGrammarPoolImpl::lockPool() builds the
/// PSVI view of every grammar (for UBL about 22 M instructions, ~6 % of the pool's load), which
/// only a PSVI handler reads, and facteur's readers install none. Locked, this pool does the
/// rest as XMLGrammarPoolImpl does: it refuses to cache, orphan or clear grammars, and hands
/// the readers of every thread a synchronised view of its URI string pool. It never unlocks,
/// and its getXSModel() returns null.
class ValidationPool final : public XMLGrammarPoolImpl {
public:
    explicit ValidationPool(MemoryManager* manager) : XMLGrammarPoolImpl(manager) {}

    void lockPool() override {
        if (!synchronized_) {
            synchronized_ = std::make_unique<XMLSynchronizedStringPool>(
                XMLGrammarPoolImpl::getURIStringPool(), 109, getMemoryManager());
        }
    }

    void unlockPool() override {}

    bool cacheGrammar(Grammar* const grammar) override {
        return !synchronized_ && XMLGrammarPoolImpl::cacheGrammar(grammar);
    }

    Grammar* orphanGrammar(const XMLCh* const key) override {
        return synchronized_ ? nullptr : XMLGrammarPoolImpl::orphanGrammar(key);
    }

    bool clear() override { return !synchronized_ && XMLGrammarPoolImpl::clear(); }

    XSModel* getXSModel(bool& changed) override {
        changed = false;
        return nullptr;
    }

    XMLStringPool* getURIStringPool() override {
        return synchronized_ ? synchronized_.get() : XMLGrammarPoolImpl::getURIStringPool();
    }

private:
    std::unique_ptr<XMLSynchronizedStringPool> synchronized_;
};

/// Builds, while one thread owns the pool, what Xerces would otherwise build lazily on the shared
/// grammars during validation: without full schema checking (not set: it adds the unique
/// particle attribution check to the official schemas' load), a complex type's content model
/// is made the first time a document uses it (ComplexTypeInfo::getContentModel(), an
/// unsynchronised `if (!fContentModel) fContentModel = makeContentModel()`), and its text form
/// the first time an error message quotes it. Two `--jobs` workers meeting a type for the first
/// time together would both write the pointer. Every complex type of the registry, and every
/// element declaration's type (anonymous types included), gets both here.
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

core::Result<std::unique_ptr<GrammarPool>> load_pool(const fs::path& dir, const SetInfo& set) {
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
    try {
        prebuild_content_models(*pool);
    } catch (const XMLException& e) {
        return core::fail(Errc::kInternal, "SCHEMA-LOAD",
                          "cannot build the content models of " + std::string(set.label) + ": " +
                              to_utf8(e.getMessage()),
                          "impossible de construire les modèles de contenu de " +
                              std::string(set.label) + " : " + to_utf8(e.getMessage()));
    } catch (const OutOfMemoryException&) {
        return core::fail(Errc::kResourceExhausted, "SCHEMA-LOAD", "out of memory building content models",
                          "mémoire épuisée en construisant les modèles de contenu");
    }
    pool->lockPool();
    return std::make_unique<GrammarPool>(std::move(pool));
}

}  // namespace

std::string_view schema_set_label(SchemaSet set) noexcept { return info(set).label; }

const std::vector<ManifestEntry>& manifest() {
    static const std::vector<ManifestEntry> kEntries = parse_manifest(detail::kManifestText);
    return kEntries;
}

fs::path SchemaRegistryConfig::default_schema_dir() {
    const char* env = std::getenv("FACTEUR_SCHEMA_DIR");
    return env != nullptr && *env != '\0' ? fs::path(env) : fs::path(FACTEUR_DEFAULT_SCHEMA_DIR);
}

struct SchemaRegistry::Slot {
    std::once_flag once;
    core::Result<std::unique_ptr<GrammarPool>> pool = core::fail(Errc::kInternal, "not loaded");
};

SchemaRegistry::SchemaRegistry(SchemaRegistryConfig config) : config_(std::move(config)) {
    for (auto& slot : slots_) {
        slot = std::make_unique<Slot>();
    }
}

SchemaRegistry::~SchemaRegistry() = default;

core::Result<void> SchemaRegistry::verify_set(std::string_view manifest_set,
                                              std::string_view path_prefix) const {
    const std::string restore = "restore it with: schemas/materialise.sh " + config_.schema_dir.string();
    const std::string restore_fr = "restaurez-le avec : schemas/materialise.sh " + config_.schema_dir.string();
    for (const ManifestEntry& entry : manifest()) {
        if ((!manifest_set.empty() && entry.set != manifest_set) ||
            !entry.path.starts_with(path_prefix)) {
            continue;
        }
        const fs::path file = config_.schema_dir / entry.set / entry.path;
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

core::Result<void> SchemaRegistry::verify_all() const {
    FACTEUR_TRY(verify_set("", ""));
    all_verified_ = true;
    return {};
}

core::Result<GrammarPool*> SchemaRegistry::pool(SchemaSet set) {
    Slot& slot = *slots_[static_cast<std::size_t>(set)];
    std::call_once(slot.once, [&] {
        initialise_xerces();
        const SetInfo& set_info = info(set);
        if (!all_verified_) {
            if (auto verified = verify_set(set_info.manifest_set, set_info.path_prefix);
                !verified) {
                slot.pool = tl::unexpected(std::move(verified).error());
                return;
            }
        }
        slot.pool = load_pool(config_.schema_dir, set_info);
    });
    if (!slot.pool) {
        return tl::unexpected(slot.pool.error());
    }
    return slot.pool->get();
}

}  // namespace facteur::validate
