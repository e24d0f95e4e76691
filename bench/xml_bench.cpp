// Stage-by-stage cost of validating one document: prescan, libxml2 tree, Xerces XSD, whole
// pipeline. Input: FACTEUR_BENCH_FILE or a CEN example from ../shared.
#include <cstdlib>
#include <string>

#include <benchmark/benchmark.h>

#include "facteur/core/file.h"
#include "facteur/pipeline/document_validator.h"
#include "facteur/validate/schema_registry.h"
#include "facteur/validate/xsd_validator.h"
#include "facteur/xml/document.h"
#include "facteur/xml/prescan.h"

namespace {

using namespace facteur;

const std::string& input() {
    static const std::string kBytes = [] {
        const char* env = std::getenv("FACTEUR_BENCH_FILE");
        const std::string path = env != nullptr ? env
                                                : std::string(FACTEUR_SHARED_DIR) +
                                                      "/conformance/examples/ubl/ubl-tc434-example1.xml";
        auto bytes = core::read_file(path, std::size_t{64} << 20);
        if (!bytes) {
            std::fprintf(stderr, "cannot read %s\n", path.c_str());
            std::exit(2);
        }
        return *bytes;
    }();
    return kBytes;
}

validate::SchemaSet set_of(const std::string& bytes) {
    return bytes.find("CrossIndustryInvoice:100") != std::string::npos ? validate::SchemaSet::kCiiD16b
                                                                         : validate::SchemaSet::kUbl21;
}

void BM_Prescan(benchmark::State& state) {
    const xml::Limits limits;
    for (auto _ : state) {
        benchmark::DoNotOptimize(xml::prescan(input(), limits));
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input().size()));
}
BENCHMARK(BM_Prescan);

void BM_ParseTree(benchmark::State& state) {
    const xml::Limits limits;
    for (auto _ : state) {
        benchmark::DoNotOptimize(xml::parse(input(), limits));
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input().size()));
}
BENCHMARK(BM_ParseTree);

void BM_XercesValidate(benchmark::State& state) {
    validate::SchemaRegistry registry({});
    validate::XsdValidator validator(registry);
    const auto set = set_of(input());
    if (!validator.validate(input(), set)) {
        state.SkipWithError("schema load failed");
        return;
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(validator.validate(input(), set));
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input().size()));
}
BENCHMARK(BM_XercesValidate);

void BM_PipelineXsd(benchmark::State& state) {
    validate::SchemaRegistry registry({});
    pipeline::DocumentValidator validator(registry, {});
    for (auto _ : state) {
        benchmark::DoNotOptimize(validator.validate(input(), "bench.xml"));
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input().size()));
}
BENCHMARK(BM_PipelineXsd);

}  // namespace

BENCHMARK_MAIN();
