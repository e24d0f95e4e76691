#include "xerces_support.h"

#include <algorithm>
#include <mutex>

#include <xercesc/framework/LocalFileInputSource.hpp>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/TransService.hpp>
#include <xercesc/util/XercesVersion.hpp>
#include <xercesc/util/XMLNetAccessor.hpp>
#include <xercesc/util/XMLResourceIdentifier.hpp>

#include "facteur/validate/xsd_validator.h"

namespace facteur::validate {

namespace fs = std::filesystem;
using namespace xercesc;  // NOLINT: .cpp only, Xerces names are long

void initialise_xerces() {
    static std::once_flag once;
    std::call_once(once, [] {
        XMLPlatformUtils::Initialize();
        // Debian's Xerces is built with libcurl: drop the network accessor so that no code path
        // (schemaLocation hint, external entity, a resolver bug) can ever open a connection.
        // PlatformUtils.hpp documents that clients may set it after Initialize().
        delete XMLPlatformUtils::fgNetAccessor;
        XMLPlatformUtils::fgNetAccessor = nullptr;
    });
}

std::string_view xerces_version() noexcept { return XERCES_FULLVERSIONDOT; }

std::string to_utf8(const XMLCh* text) {
    if (text == nullptr || *text == 0) {
        return {};
    }
    const TranscodeToStr utf8(text, "UTF-8");
    return std::string(reinterpret_cast<const char*>(utf8.str()), utf8.length());
}

LocalOnlyResolver::LocalOnlyResolver(fs::path root) {
    std::error_code ec;
    root_ = fs::weakly_canonical(root, ec);
    if (ec) {
        root_ = std::move(root);
    }
}

InputSource* LocalOnlyResolver::resolveEntity(XMLResourceIdentifier* id) {
    std::string system = to_utf8(id->getSystemId());
    std::string base = to_utf8(id->getBaseURI());
    const auto strip_file_scheme = [](std::string& s) {
        if (s.rfind("file://", 0) == 0) {
            s.erase(0, 7);
        }
    };
    strip_file_scheme(system);
    strip_file_scheme(base);
    const bool has_scheme = system.find("://") != std::string::npos;
    fs::path candidate(system);
    if (!has_scheme && candidate.is_relative() && !base.empty()) {
        candidate = fs::path(base).parent_path() / candidate;
    }
    std::error_code ec;
    const fs::path resolved = fs::weakly_canonical(candidate, ec);
    const auto [root_end, ignored] =
        std::mismatch(root_.begin(), root_.end(), resolved.begin(), resolved.end());
    const bool inside = !ec && !has_scheme && root_end == root_.end();
    if (!inside || !fs::is_regular_file(resolved, ec)) {
        refused_.push_back(to_utf8(id->getSystemId()));
        static const XMLByte kEmpty[] = {0};
        return new MemBufInputSource(kEmpty, 0, "facteur-refused-entity", false);
    }
    const TranscodeFromStr path(reinterpret_cast<const XMLByte*>(resolved.c_str()),
                                resolved.native().size(), "UTF-8");
    return new LocalFileInputSource(path.str());
}

}  // namespace facteur::validate
