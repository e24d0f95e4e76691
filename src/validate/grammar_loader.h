#pragma once
// Private to validate/: how a schema set becomes a Xerces grammar pool. Shared by the registry
// (at run time) and by tools/grammar_compile.cpp (at build time), which compiles this file into
// the generator: it must not depend on anything the generator's output feeds.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/util/SynchronizedStringPool.hpp>

#include "facteur/core/result.h"
#include "facteur/validate/schema_registry.h"

namespace facteur::validate {

/// What a schema set is made of.
struct SchemaSetInfo {
    std::string_view label;          ///< layer version label ("ubl-2.1", ...)
    std::string_view manifest_set;   ///< set column of schemas/MANIFEST
    std::string_view path_prefix;    ///< files of the manifest set that belong to it
    std::vector<std::string_view> entry_points;  ///< schema documents loaded, in order
};

[[nodiscard]] const SchemaSetInfo& schema_set_info(SchemaSet set);

/// Parses the text of schemas/MANIFEST (tab-separated: set, path, sha256, url; '#' comments).
[[nodiscard]] std::vector<ManifestEntry> parse_manifest(std::string_view text);

/// Checks every file of `entries` whose set is `manifest_set` (all sets when empty) and whose path
/// starts with `path_prefix` against its SHA-256, in `dir`/set/path.
/// Errors: kNotFound "SCHEMA-MISSING", kDataLoss "SCHEMA-ALTERED"; the message names the file and
/// how to restore it.
[[nodiscard]] core::Result<void> verify_schema_files(const std::filesystem::path& dir,
                                                     const std::vector<ManifestEntry>& entries,
                                                     std::string_view manifest_set,
                                                     std::string_view path_prefix);

/// XMLGrammarPoolImpl whose lock skips the XSModel. XMLGrammarPoolImpl::lockPool() builds the
/// PSVI view of every grammar (for UBL about 22 M instructions, ~6 % of the pool's load), which
/// only a PSVI handler reads, and facteur's readers install none. Locked, this pool does the
/// rest as XMLGrammarPoolImpl does: it refuses to cache, orphan or clear grammars, and hands
/// the readers of every thread a synchronised view of its URI string pool. It never unlocks,
/// and its getXSModel() returns null. (The base class's own lock flag stays false, so a
/// serialised pool records "unlocked" and deserialises without building an XSModel.)
class ValidationPool final : public xercesc::XMLGrammarPoolImpl {
public:
    explicit ValidationPool(xercesc::MemoryManager* manager) : XMLGrammarPoolImpl(manager) {}

    void lockPool() override;
    void unlockPool() override {}
    bool cacheGrammar(xercesc::Grammar* grammar) override;
    xercesc::Grammar* orphanGrammar(const XMLCh* key) override;
    bool clear() override;
    xercesc::XSModel* getXSModel(bool& changed) override;
    xercesc::XMLStringPool* getURIStringPool() override;

private:
    std::unique_ptr<xercesc::XMLSynchronizedStringPool> synchronized_;
};

/// Loads the set's entry points from the schema files under `dir` (every import and include
/// resolved inside `dir`, nothing fetched). The pool is returned unlocked, its content models
/// not yet built: serialise it, or finish_pool() it.
/// Errors: kInvalidInput "SCHEMA-RESOLVE" (a schema refers outside `dir`), kInternal
/// "SCHEMA-LOAD" (Xerces rejects a schema).
[[nodiscard]] core::Result<std::unique_ptr<ValidationPool>> load_from_schema_files(
    const std::filesystem::path& dir, const SchemaSetInfo& set);

/// Xerces' serialised form of an unlocked pool (XMLGrammarPoolImpl::serializeGrammars).
/// Errors: kInternal "SCHEMA-LOAD" when Xerces cannot serialise it.
[[nodiscard]] core::Result<std::vector<std::uint8_t>> serialise_pool(ValidationPool& pool);

/// A pool rebuilt from serialise_pool()'s bytes, unlocked, content models not yet built. The
/// bytes are read in place and must outlive nothing: the pool copies what it keeps.
/// Errors: kInternal "SCHEMA-LOAD" when Xerces rejects the bytes (corrupt, or written by a newer
/// Xerces).
[[nodiscard]] core::Result<std::unique_ptr<ValidationPool>> deserialise_pool(
    std::span<const std::uint8_t> bytes, std::string_view label);

/// Builds every content model of the pool (see grammar_loader.cpp), then locks it.
/// Errors: kInternal / kResourceExhausted "SCHEMA-LOAD".
[[nodiscard]] core::Result<void> finish_pool(ValidationPool& pool, std::string_view label);

}  // namespace facteur::validate
