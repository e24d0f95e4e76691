// EN 16931 rules alone on already-built trees (RuleSet::evaluate_prepared): every assert of the
// official files, and the business rules alone (issue #3's measure: the syntax pattern left out),
// also on a tree built just before each evaluation; the tree building step, and as the same-run
// yardstick the hardened libxml2 parse, over every document of
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

using RuleSetPtr = std::unique_ptr<rules::RuleSet>;

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

/// Times sets[i] on prepared[i], round robin.
void evaluate_round_robin(benchmark::State& state, const std::vector<const rules::RuleSet*>& sets,
                          const std::vector<std::unique_ptr<rules::RuleSet::Prepared>>& prepared) {
    std::size_t i = 0;
    std::size_t findings = 0;
    for (auto _ : state) {
        const rules::Evaluation e = sets[i]->evaluate_prepared(*prepared[i]);
        findings += e.findings.size();
        i = (i + 1) % prepared.size();
    }
    benchmark::DoNotOptimize(findings);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["documents"] = static_cast<double>(prepared.size());
}

void BM_En16931RulesOnBuiltTree(benchmark::State& state) {
    const Corpus& c = corpus();
    evaluate_round_robin(state, c.sets, c.prepared);
}
BENCHMARK(BM_En16931RulesOnBuiltTree)->MinTime(3.0);

/// Issue #3's literal measure, "business rules alone": the same official files compiled with their
/// business-rule patterns only (BR, BR-CO, BR-DEC, the VAT families and the BR-CL code lists:
/// UBL-model + Codesmodel, EN16931-CII-Model + EN16931-Codes), leaving out the syntax pattern
/// (UBL-CR/SR/DT, CII-SR/DT); each tree is built against that set's names.
struct BusinessCorpus {
    std::vector<RuleSetPtr> sets;  // [0] UBL, [1] CII
    std::vector<const rules::RuleSet*> set_of;
    std::vector<std::unique_ptr<rules::RuleSet::Prepared>> prepared;
    std::string error;
};

const BusinessCorpus& business_corpus() {
    static const BusinessCorpus kCorpus = [] {
        BusinessCorpus b;
        const fs::path dir = fs::path(FACTEUR_SHARED_DIR) / "standards" / "rules" / "en16931-1.3.16";
        const struct {
            const char* file;
            std::vector<std::string> patterns;
        } kSets[] = {
            {"ubl/preprocessed/EN16931-UBL-validation-preprocessed.sch", {"UBL-model", "Codesmodel"}},
            {"cii/preprocessed/EN16931-CII-validation-preprocessed.sch", {"EN16931-CII-Model", "EN16931-Codes"}},
        };
        for (const auto& s : kSets) {
            auto sch = core::read_file(dir / s.file, std::size_t{64} << 20);
            if (!sch) {
                b.error = "cannot read " + (dir / s.file).string();
                return b;
            }
            rules::RuleSetOptions options;
            options.layer = "en16931";
            options.patterns = s.patterns;
            auto set = rules::RuleSet::compile(*sch, std::move(options));
            if (!set) {
                b.error = "cannot compile " + std::string(s.file) + ": " + set.error().text(false);
                return b;
            }
            b.sets.push_back(std::make_unique<rules::RuleSet>(std::move(*set)));
        }
        const Corpus& c = corpus();
        for (std::size_t i = 0; i < c.docs.size(); ++i) {
            const rules::RuleSet* set = c.docs[i].root().local_name() == "CrossIndustryInvoice"
                                            ? b.sets[1].get()
                                            : b.sets[0].get();
            b.set_of.push_back(set);
            b.prepared.push_back(set->prepare(c.docs[i].root()));
        }
        return b;
    }();
    return kCorpus;
}

void BM_En16931BusinessRulesOnBuiltTree(benchmark::State& state) {
    const BusinessCorpus& b = business_corpus();
    if (!b.error.empty()) {
        state.SkipWithError(b.error.c_str());
        return;
    }
    evaluate_round_robin(state, b.set_of, b.prepared);
    state.counters["rules"] = static_cast<double>(b.sets[0]->rules().size() + b.sets[1]->rules().size());
}
BENCHMARK(BM_En16931BusinessRulesOnBuiltTree)->MinTime(3.0);
/// The same with a fixed count (every document twice), for runs under callgrind, whose counts
/// can then be compared between builds: `--benchmark_filter=BusinessRulesFixedCount`.
BENCHMARK(BM_En16931BusinessRulesOnBuiltTree)->Name("BusinessRulesFixedCount")->Iterations(7042);

/// The same sets and documents, each tree built just before it is evaluated, as the pipeline
/// does, the build left out of the timing (Pause/ResumeTiming cost about 1.4 us per iteration
/// here, counted in). The round-robin benchmark above meets every tree cold; this one a warm
/// tree, after a build that may push the rule set's own data out of the caches. Both are
/// reported (docs/benchmarks.md).
void BM_En16931BusinessRulesOnFreshTree(benchmark::State& state) {
    const BusinessCorpus& b = business_corpus();
    if (!b.error.empty()) {
        state.SkipWithError(b.error.c_str());
        return;
    }
    const Corpus& c = corpus();
    std::size_t i = 0;
    std::size_t findings = 0;
    std::unique_ptr<rules::RuleSet::Prepared> prepared;
    for (auto _ : state) {
        state.PauseTiming();
        prepared.reset();  // the previous tree is freed outside the timing too
        prepared = b.set_of[i]->prepare(c.docs[i].root());
        state.ResumeTiming();
        findings += b.set_of[i]->evaluate_prepared(*prepared).findings.size();
        i = (i + 1) % c.docs.size();
    }
    benchmark::DoNotOptimize(findings);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_En16931BusinessRulesOnFreshTree)->MinTime(3.0);

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
