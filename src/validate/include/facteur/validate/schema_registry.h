#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/core/result.h"

namespace facteur::validate {

/// The schema sets facteur validates against. Each set with the same target namespace (CII D16B,
/// CII D22B, the Factur-X profiles) lives in its own grammar pool.
enum class SchemaSet : std::uint8_t {
    kUbl21,             ///< UBL 2.1 Invoice + CreditNote
    kCiiD16b,           ///< UN/CEFACT CII D16B uncoupled (EN 16931)
    kCiiD22b,           ///< UN/CEFACT CII D22B uncoupled (French CTC)
    kCdarD22b,          ///< CDAR D22B (Flux 6 lifecycle messages)
    kFacturXMinimum,    ///< Factur-X 1.09 MINIMUM
    kFacturXBasicWl,    ///< Factur-X 1.09 BASIC WL
    kFacturXBasic,      ///< Factur-X 1.09 BASIC
    kFacturXEn16931,    ///< Factur-X 1.09 EN 16931
    kFacturXExtended,   ///< Factur-X 1.09 EXTENDED
};

inline constexpr std::size_t kSchemaSetCount = 9;

/// Stable version label of a set, used as the `xsd` layer version: "ubl-2.1", "cii-d16b",
/// "cii-d22b", "cdar-d22b", "facturx-1.09-minimum", ...
[[nodiscard]] std::string_view schema_set_label(SchemaSet set) noexcept;

/// One line of schemas/MANIFEST.
struct ManifestEntry {
    std::string set;     ///< manifest set name: "ubl-2.1", "cii-d16b", ..., "facturx-1.09"
    std::string path;    ///< path inside the set folder
    std::string sha256;  ///< lower-case hex
    std::string url;     ///< pinned upstream URL
};

/// The manifest compiled into the binary.
[[nodiscard]] const std::vector<ManifestEntry>& manifest();

/// Where a set's Xerces grammars come from. Either way the set's schema files are first checked
/// against schemas/MANIFEST, and a missing or altered file is an error.
enum class GrammarSource : std::uint8_t {
    /// Xerces' serialised form of the grammars, made at build time from the verified schema files
    /// by facteur_grammar_compile and compiled into the binary: a set is ready in a few ms instead
    /// of the ~200 ms that building UBL 2.1 from its 180 schema documents takes.
    kBuiltIn,
    /// Built by Xerces from the schema files at first use (the reference the built-in grammars are
    /// tested against).
    kSchemaFiles,
};

struct SchemaRegistryConfig {
    /// Folder holding the materialised sets (schemas/materialise.sh). Default: the build tree's
    /// schemas/ folder, overridable with the FACTEUR_SCHEMA_DIR environment variable.
    std::filesystem::path schema_dir = default_schema_dir();

    /// Default kBuiltIn; kSchemaFiles when the environment variable FACTEUR_GRAMMAR_SOURCE is
    /// `schema-files`.
    GrammarSource grammar_source = default_grammar_source();

    /// With kBuiltIn, pool() checks the set's schema files before handing out its first pool
    /// (unless verify_all() has succeeded). Turn it off only when the caller runs verify_all()
    /// itself and holds back every result until it has succeeded (the CLI does, on another
    /// thread, while the first documents are validated): the built-in grammars never read the
    /// files. kSchemaFiles always checks them, since it loads them.
    bool check_files_on_load = true;

    /// The compiled-in default, or $FACTEUR_SCHEMA_DIR when set and non-empty.
    [[nodiscard]] static std::filesystem::path default_schema_dir();

    /// kSchemaFiles when $FACTEUR_GRAMMAR_SOURCE is `schema-files`, else kBuiltIn.
    [[nodiscard]] static GrammarSource default_grammar_source();
};

class GrammarPool;  // Xerces grammar pool, private to validate/

/// Owns one locked Xerces grammar pool per schema set, loaded on first use, once per process
/// lifetime of the registry. Thread-safe; share one registry between all validators.
class SchemaRegistry {
public:
    explicit SchemaRegistry(SchemaRegistryConfig config);
    ~SchemaRegistry();
    SchemaRegistry(const SchemaRegistry&) = delete;
    SchemaRegistry& operator=(const SchemaRegistry&) = delete;

    /// Checks every file of the manifest in the schema folder against its SHA-256.
    /// Errors: kNotFound "SCHEMA-MISSING" (a file is missing), kDataLoss "SCHEMA-ALTERED" (a
    /// file's hash differs); the message names the file and how to restore it.
    [[nodiscard]] core::Result<void> verify_all() const;

    /// The set's grammar pool, verified (unless verify_all() has succeeded on this registry:
    /// its files are not hashed twice) and loaded on the first call, then locked.
    /// Errors: those of verify_all() for the set's files; kInternal "SCHEMA-LOAD" when Xerces
    /// rejects a schema or its built-in grammars; kInvalidInput "SCHEMA-RESOLVE" when a schema
    /// refers outside the folder.
    [[nodiscard]] core::Result<GrammarPool*> pool(SchemaSet set);

    [[nodiscard]] const std::filesystem::path& schema_dir() const noexcept { return config_.schema_dir; }

private:
    struct Slot;
    [[nodiscard]] core::Result<void> verify_set(std::string_view manifest_set,
                                                std::string_view path_prefix) const;

    SchemaRegistryConfig config_;
    std::array<std::unique_ptr<Slot>, kSchemaSetCount> slots_;
    mutable std::atomic<bool> all_verified_{false};  // verify_all() has succeeded
};

}  // namespace facteur::validate
