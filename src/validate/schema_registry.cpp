#include "facteur/validate/schema_registry.h"

#include <cstdlib>
#include <mutex>

#include "facteur/validate/xsd_validator.h"

#include "embedded_grammars.h"
#include "grammar_loader.h"
#include "xerces_support.h"

namespace facteur::validate {

namespace detail {
extern const std::string_view kManifestText;
}  // namespace detail

namespace fs = std::filesystem;
using core::Errc;

std::string_view schema_set_label(SchemaSet set) noexcept { return schema_set_info(set).label; }

const std::vector<ManifestEntry>& manifest() {
    static const std::vector<ManifestEntry> kEntries = parse_manifest(detail::kManifestText);
    return kEntries;
}

fs::path SchemaRegistryConfig::default_schema_dir() {
    const char* env = std::getenv("FACTEUR_SCHEMA_DIR");
    return env != nullptr && *env != '\0' ? fs::path(env) : fs::path(FACTEUR_DEFAULT_SCHEMA_DIR);
}

GrammarSource SchemaRegistryConfig::default_grammar_source() {
    const char* env = std::getenv("FACTEUR_GRAMMAR_SOURCE");
    return env != nullptr && std::string_view(env) == "schema-files" ? GrammarSource::kSchemaFiles
                                                                     : GrammarSource::kBuiltIn;
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
    return verify_schema_files(config_.schema_dir, manifest(), manifest_set, path_prefix);
}

core::Result<void> SchemaRegistry::verify_all() const {
    FACTEUR_TRY(verify_set("", ""));
    all_verified_ = true;
    return {};
}

namespace {

/// The set's pool from the grammars compiled into the binary, or from the schema files.
core::Result<std::unique_ptr<GrammarPool>> make_pool(const SchemaRegistryConfig& config, SchemaSet set) {
    const SchemaSetInfo& set_info = schema_set_info(set);
    std::unique_ptr<ValidationPool> pool;
    if (config.grammar_source == GrammarSource::kBuiltIn) {
        FACTEUR_TRY_ASSIGN(pool, deserialise_pool(embedded_grammar(set), set_info.label));
    } else {
        FACTEUR_TRY_ASSIGN(pool, load_from_schema_files(config.schema_dir, set_info));
    }
    FACTEUR_TRY(finish_pool(*pool, set_info.label));
    return std::make_unique<GrammarPool>(std::move(pool));
}

}  // namespace

core::Result<GrammarPool*> SchemaRegistry::pool(SchemaSet set) {
    Slot& slot = *slots_[static_cast<std::size_t>(set)];
    std::call_once(slot.once, [&] {
        initialise_xerces();
        const SchemaSetInfo& set_info = schema_set_info(set);
        const bool reads_files = config_.grammar_source == GrammarSource::kSchemaFiles;
        if (!all_verified_ && (reads_files || config_.check_files_on_load)) {
            if (auto verified = verify_set(set_info.manifest_set, set_info.path_prefix);
                !verified) {
                slot.pool = tl::unexpected(std::move(verified).error());
                return;
            }
        }
        slot.pool = make_pool(config_, set);
    });
    if (!slot.pool) {
        return tl::unexpected(slot.pool.error());
    }
    return slot.pool->get();
}

}  // namespace facteur::validate
