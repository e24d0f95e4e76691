// libFuzzer target for the XML adapter: prescan + hardened libxml2 parse must never crash, hang
// or leak on any input, and must either accept or reject with a stable id.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "facteur/xml/document.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    facteur::xml::Limits limits;
    limits.depth_max = 64;
    limits.nodes_max = 100'000;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto doc = facteur::xml::parse(bytes, limits);
    if (doc) {
        // Walk the tree: every accessor must be safe on whatever was accepted.
        for (facteur::xml::Node n = doc->root().first_child(); n; n = n.next_sibling()) {
            (void)n.local_name();
            (void)n.text();
        }
    } else if (doc.error().id.empty()) {
        std::abort();  // every rejection carries a stable id
    }
    return 0;
}
