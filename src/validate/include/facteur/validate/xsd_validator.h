#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "facteur/core/result.h"
#include "facteur/model/report.h"
#include "facteur/validate/schema_registry.h"

namespace facteur::validate {

struct XsdValidatorConfig {
    /// Findings kept per document; one info finding then says how many more there were.
    /// Default: 100.
    std::size_t findings_max = 100;
};

/// Validates documents against a schema set with Xerces-C, using the registry's locked grammar
/// pools: nothing is ever fetched (schema location hints are ignored, every entity is resolved
/// inside the schema folder or refused, and Xerces' network accessor is removed at start).
/// Not thread-safe: one validator per thread, all sharing one SchemaRegistry.
class XsdValidator {
public:
    XsdValidator(SchemaRegistry& registry, XsdValidatorConfig config = {});
    ~XsdValidator();
    XsdValidator(const XsdValidator&) = delete;
    XsdValidator& operator=(const XsdValidator&) = delete;

    /// Validates `bytes` (a document already accepted by xml::parse: well-formed, no DOCTYPE,
    /// within limits) against `set`. Each schema
    /// violation is a fatal finding with rule "XSD", layer "xsd", the line and the element path.
    /// Errors: those of SchemaRegistry::pool(); kInternal "XSD-INTERNAL" when Xerces fails.
    [[nodiscard]] core::Result<std::vector<model::Finding>> validate(std::string_view bytes,
                                                                     SchemaSet set);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Initialises Xerces-C once per process and removes its network accessor, so that no code path
/// inside Xerces can open a connection. Idempotent and thread-safe.
void initialise_xerces();

/// The Xerces-C version facteur runs with, e.g. "3.2.4".
[[nodiscard]] std::string_view xerces_version() noexcept;

}  // namespace facteur::validate
