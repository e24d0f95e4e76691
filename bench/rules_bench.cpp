// EN 16931 rules alone on already-built trees (RuleSet::evaluate_prepared), the tree building
// step, and as the same-run yardstick the hardened libxml2 parse, over every document of
// ../shared/conformance/{examples,mutations}, round robin. Documents per second
// (items_per_second) on one thread. Run: ./build/bench/facteur_rules_bench
//   --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "facteur/core/file.h"
#include "facteur/rules/en16931/en16931.h"
#include "facteur/xml/document.h"

namespace {

using namespace facteur;
namespace fs = std::filesystem;

struct Corpus {
    std::vector<std::string> bytes;
    std::vector<xml::Document> docs;
    std::vector<const rules::RuleSet*> sets;
    std::vector<std::unique_ptr<rules::RuleSet::Prepared>> prepared;
};

const Corpus& corpus() {
    static const Corpus kCorpus = [] {
        Corpus c;
        const fs::path root = fs::path(FACTEUR_SHARED_DIR) / "conformance";
        std::vector<fs::path> files;
        for (const char* dir : {"examples", "mutations"}) {
            for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
                const std::string ext = e.path().extension().string();
                if (e.is_regular_file() && (ext == ".xml" || ext == ".XML")) {
                    files.push_back(e.path());
                }
            }
        }
        std::sort(files.begin(), files.end());
        for (const fs::path& f : files) {
            auto bytes = core::read_file(f, std::size_t{64} << 20);
            if (!bytes) {
                continue;
            }
            auto doc = xml::parse(*bytes, xml::Limits{});
            if (!doc) {
                continue;
            }
            const std::string_view root_name = doc->root().local_name();
            const model::Syntax syntax = root_name == "Invoice"      ? model::Syntax::kUblInvoice
                                         : root_name == "CreditNote" ? model::Syntax::kUblCreditNote
                                                                     : model::Syntax::kCii;
            auto set = rules::en16931::rule_set(syntax);
            if (!set) {
                continue;
            }
            c.sets.push_back(*set);
            c.prepared.push_back((*set)->prepare(doc->root()));
            c.docs.push_back(std::move(*doc));
            c.bytes.push_back(std::move(*bytes));
        }
        return c;
    }();
    return kCorpus;
}

void BM_En16931RulesOnBuiltTree(benchmark::State& state) {
    const Corpus& c = corpus();
    std::size_t i = 0;
    std::size_t findings = 0;
    for (auto _ : state) {
        const rules::Evaluation e = c.sets[i]->evaluate_prepared(*c.prepared[i]);
        findings += e.findings.size();
        i = (i + 1) % c.docs.size();
    }
    benchmark::DoNotOptimize(findings);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["documents"] = static_cast<double>(c.docs.size());
}
BENCHMARK(BM_En16931RulesOnBuiltTree)->MinTime(3.0);

void BM_BuildTree(benchmark::State& state) {
    const Corpus& c = corpus();
    std::size_t i = 0;
    for (auto _ : state) {
        auto p = c.sets[i]->prepare(c.docs[i].root());
        benchmark::DoNotOptimize(p);
        i = (i + 1) % c.docs.size();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_BuildTree)->MinTime(1.0);

/// The yardstick measured in the same run: the hardened libxml2 parse of the same documents.
void BM_ParseReference(benchmark::State& state) {
    const Corpus& c = corpus();
    std::size_t i = 0;
    for (auto _ : state) {
        auto doc = xml::parse(c.bytes[i], xml::Limits{});
        benchmark::DoNotOptimize(doc);
        i = (i + 1) % c.bytes.size();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ParseReference)->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
