#pragma once
// Private to validate/: the Xerces-C pieces shared by the registry and the validator.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <xercesc/framework/XMLGrammarPool.hpp>
#include <xercesc/sax/InputSource.hpp>
#include <xercesc/util/XMLEntityResolver.hpp>
#include <xercesc/util/XMLString.hpp>

#include "facteur/validate/schema_registry.h"

namespace facteur::validate {

/// UTF-8 form of a Xerces string ("" for null).
[[nodiscard]] std::string to_utf8(const XMLCh* text);

/// Resolves every entity (imported or included schema) to a file inside `root` and refuses
/// everything else: http(s), ftp, absolute paths elsewhere, "../" escapes. A refusal is
/// recorded and answered with an empty input, which makes the load or parse fail.
class LocalOnlyResolver final : public xercesc::XMLEntityResolver {
public:
    explicit LocalOnlyResolver(std::filesystem::path root);
    xercesc::InputSource* resolveEntity(xercesc::XMLResourceIdentifier* id) override;
    [[nodiscard]] const std::vector<std::string>& refused() const noexcept { return refused_; }
    void clear() noexcept { refused_.clear(); }

private:
    std::filesystem::path root_;
    std::vector<std::string> refused_;
};

/// A loaded, locked grammar pool for one schema set.
class GrammarPool {
public:
    explicit GrammarPool(std::unique_ptr<xercesc::XMLGrammarPool> pool) : pool_(std::move(pool)) {}
    [[nodiscard]] xercesc::XMLGrammarPool* get() const noexcept { return pool_.get(); }

private:
    std::unique_ptr<xercesc::XMLGrammarPool> pool_;
};

}  // namespace facteur::validate
