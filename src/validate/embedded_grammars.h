#pragma once
// Private to validate/: the grammars compiled into the binary (GrammarSource::kBuiltIn).

#include <cstdint>
#include <span>

#include "facteur/validate/schema_registry.h"

namespace facteur::validate {

/// Xerces' serialised grammar pool of `set`, as facteur_grammar_compile wrote it at build time
/// from the schema files that schemas/materialise.sh had checked against schemas/MANIFEST
/// (tools/grammar_compile.cpp checks them again before loading). Read-only, static storage.
[[nodiscard]] std::span<const std::uint8_t> embedded_grammar(SchemaSet set) noexcept;

}  // namespace facteur::validate
