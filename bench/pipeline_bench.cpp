// What `facteur validate` does with each file, in process and in steady state, as the gateway
// will run it: DocumentValidator::validate_file (read the file from disk, then the layers) over
// every document of ../shared/conformance/{examples,mutations} listed in their verdicts.jsonl
// (the same 3,521 files as bench/validate_throughput.sh), round robin. Issue #3: layers xml, xsd,
// en16931 on one and two threads; issue #4: every layer on one thread, over the same files and
// over the mutations alone (the corpus #4 names). Grammars and rule sets
// are loaded, and every file is validated once, before timing: process start-up, which the
// CLI figures of bench/validate_throughput.sh include, does not count here, nor does rendering
// the JSON report. In that first pass every file must be read (no `io` layer) and every layer
// asked for must be in every report; the reports with a layer in status error (the mutations
// whose official verdict is an error: the reference processor stopped) are counted
// (`error_reports`). Documents per second = items_per_second (with two threads: both together,
// per wall-clock second); peak_rss_MiB is the process's peak resident set at the end of the run.
// Run:
//   ./build/bench/facteur_pipeline_bench --benchmark_repetitions=5
//   --benchmark_report_aggregates_only=true
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <utility>
#include <string>
#include <vector>

#include <sys/resource.h>

#include <benchmark/benchmark.h>

#include "facteur/pipeline/document_validator.h"
#include "facteur/validate/schema_registry.h"

namespace {

using namespace facteur;
namespace fs = std::filesystem;

enum class Corpus { kExamplesAndMutations, kMutations };

/// The files of the examples and mutations corpora (or of the mutations alone), in their
/// verdicts.jsonl order.
std::vector<fs::path> read_corpus(Corpus which) {
    std::vector<fs::path> files;
    const fs::path root = fs::path(FACTEUR_SHARED_DIR) / "conformance";
    std::vector<const char*> dirs{"mutations"};
    if (which == Corpus::kExamplesAndMutations) {
        dirs.insert(dirs.begin(), "examples");
    }
    for (const char* dir : dirs) {
        std::ifstream in(root / dir / "verdicts.jsonl");
        std::string line;
        const std::string key = "\"file\": \"";
        while (std::getline(in, line)) {
            const std::size_t at = line.find(key);
            if (at == std::string::npos) {
                continue;
            }
            const std::size_t begin = at + key.size();
            const std::size_t end = line.find('"', begin);
            files.push_back(root / dir / line.substr(begin, end - begin));
        }
    }
    return files;
}

const std::vector<fs::path>& corpus(Corpus which) {
    static const std::vector<fs::path> kBoth = read_corpus(Corpus::kExamplesAndMutations);
    static const std::vector<fs::path> kMutations = read_corpus(Corpus::kMutations);
    return which == Corpus::kMutations ? kMutations : kBoth;
}

validate::SchemaRegistry& registry() {
    static validate::SchemaRegistry kRegistry{validate::SchemaRegistryConfig{}};
    return kRegistry;
}

pipeline::ValidationOptions options_for(const std::vector<std::string>& layers) {
    pipeline::ValidationOptions options;
    options.layers = layers;
    return options;
}

struct WarmUp {
    std::string error;           ///< why the benchmark cannot run, or empty
    std::size_t error_reports = 0;  ///< reports with a layer in status error
};

/// Validates every file once with `options` (loads what the layers need).
WarmUp warm_up(const pipeline::ValidationOptions& options, Corpus which) {
    WarmUp out;
    const std::vector<fs::path>& files = corpus(which);
    if (files.size() < 1000) {
        out.error = "corpus not found under " FACTEUR_SHARED_DIR "/conformance";
        return out;
    }
    pipeline::DocumentValidator validator(registry(), options);
    for (const fs::path& f : files) {
        const model::Report report = validator.validate_file(f);
        bool in_error = false;
        for (const model::LayerResult& layer : report.layers) {
            if (layer.name == "io") {
                out.error = f.string() + ": " + layer.message;
                return out;
            }
            in_error = in_error || layer.status == model::LayerStatus::kError;
        }
        for (const std::string& wanted : options.layers) {
            const bool present = std::any_of(report.layers.begin(), report.layers.end(),
                                             [&](const model::LayerResult& l) { return l.name == wanted; });
            if (!present) {
                out.error = f.string() + ": no layer " + wanted + " in the report";
                return out;
            }
        }
        out.error_reports += in_error ? 1 : 0;
    }
    return out;
}

void run(benchmark::State& state, const std::vector<std::string>& layers,
         Corpus which = Corpus::kExamplesAndMutations) {
    const pipeline::ValidationOptions options = options_for(layers);
    static std::mutex mutex;
    static std::map<std::pair<std::vector<std::string>, Corpus>, WarmUp> warmed;
    WarmUp warm;
    {
        const std::lock_guard lock(mutex);
        const auto key = std::make_pair(layers, which);
        const auto it = warmed.find(key);
        warm = it != warmed.end() ? it->second : warmed.emplace(key, warm_up(options, which)).first->second;
    }
    if (!warm.error.empty()) {
        state.SkipWithError(warm.error.c_str());
        return;
    }
    const std::vector<fs::path>& files = corpus(which);
    pipeline::DocumentValidator validator(registry(), options);
    // each thread starts at its own share of the list
    std::size_t i = files.size() * static_cast<std::size_t>(state.thread_index()) /
                    static_cast<std::size_t>(state.threads());
    std::size_t findings = 0;
    for (auto _ : state) {
        const model::Report report = validator.validate_file(files[i]);
        findings += report.findings.size();
        benchmark::DoNotOptimize(findings);
        i = (i + 1) % files.size();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    // per thread, the same on each: averaged, not summed over the threads
    state.counters["documents"] =
        benchmark::Counter(static_cast<double>(files.size()), benchmark::Counter::kAvgThreads);
    state.counters["error_reports"] =
        benchmark::Counter(static_cast<double>(warm.error_reports), benchmark::Counter::kAvgThreads);
    // the process's peak resident set so far (the grammars, rule sets and caches included)
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    state.counters["peak_rss_MiB"] = benchmark::Counter(static_cast<double>(usage.ru_maxrss) / 1024.0,
                                                        benchmark::Counter::kAvgThreads);
}

void BM_ValidateXmlXsdEn16931(benchmark::State& state) { run(state, {"xml", "xsd", "en16931"}); }
void BM_ValidateEveryLayer(benchmark::State& state) { run(state, {}); }
/// Issue #4's own corpus: every layer over the public mutations alone (3,458 files; the
/// examples add 61 documents, among them a 3.3 MB invoice).
void BM_ValidateEveryLayerMutations(benchmark::State& state) { run(state, {}, Corpus::kMutations); }

BENCHMARK(BM_ValidateXmlXsdEn16931)->MinTime(5.0)->UseRealTime()->Threads(1)->Threads(2);
BENCHMARK(BM_ValidateEveryLayer)->MinTime(5.0)->UseRealTime()->Threads(1);
BENCHMARK(BM_ValidateEveryLayerMutations)->MinTime(5.0)->UseRealTime()->Threads(1);

}  // namespace

BENCHMARK_MAIN();
