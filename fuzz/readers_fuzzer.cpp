// libFuzzer target for the UBL and CII bindings: on any document the XML layer accepts, both
// readers must return (a model or a root error) without crashing, and every value that could
// not be read must be flagged as such.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "facteur/formats/cii/cii_reader.h"
#include "facteur/formats/ubl/ubl_reader.h"
#include "facteur/xml/document.h"

namespace {

void check(const facteur::core::Result<facteur::model::Invoice>& invoice) {
    if (!invoice) {
        if (invoice.error().id.empty()) {
            std::abort();  // every rejection carries a stable id
        }
        return;
    }
    for (const facteur::model::FlatValue& value : facteur::model::flatten(*invoice)) {
        if (value.source == nullptr || value.source->path.empty()) {
            std::abort();  // every value read from a document says where it came from
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    facteur::xml::Limits limits;
    limits.depth_max = 64;
    limits.nodes_max = 100'000;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto doc = facteur::xml::parse(bytes, limits);
    if (doc) {
        check(facteur::formats::ubl::read_ubl(*doc));
        check(facteur::formats::cii::read_cii(*doc));
    }
    return 0;
}
