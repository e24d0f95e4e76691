// libFuzzer target for the Factur-X PDF adapter (formats/facturx, qpdf): on any bytes,
// read_facturx() must return without crashing, hanging or exceeding its limits, every finding
// must be one of the catalogue's, and an extracted invoice must come with its attachment name.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "facteur/formats/facturx/checks.h"
#include "facteur/formats/facturx/facturx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fx = facteur::formats::facturx;
    fx::Options options;
    // Small limits keep each run fast and far under -rss_limit_mb.
    options.input_bytes_max = 1024 * 1024;
    options.stream_decoded_bytes_max = 4 * 1024 * 1024;
    options.decoded_bytes_total_max = 16 * 1024 * 1024;
    options.invoice_xml_bytes_max = 1024 * 1024;
    options.xmp_bytes_max = 256 * 1024;
    options.object_count_max = 20'000;
    options.walk_value_count_max = 200'000;
    options.xml_limits.depth_max = 64;
    options.xml_limits.nodes_max = 100'000;
    const std::string_view pdf(reinterpret_cast<const char*>(data), size);
    const auto result = fx::read_facturx(pdf, options);
    if (!result) {
        return 0;  // kResourceExhausted / kInternal: allowed, never a crash
    }
    for (const facteur::model::Finding& f : result->findings) {
        const fx::CheckInfo* check = fx::find_check(f.rule);
        if (check == nullptr || f.layer != fx::kLayer || f.message_fr.empty()) {
            std::abort();  // every finding is a catalogued FX-PDF id of the facturx-pdf layer
        }
    }
    if (!result->xml.empty() && result->attachment_name.empty()) {
        std::abort();
    }
    if (result->xml.size() > options.invoice_xml_bytes_max) {
        std::abort();
    }
    return 0;
}
