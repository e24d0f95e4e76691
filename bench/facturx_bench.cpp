// Factur-X generation on one thread: render::render_invoice_pdf (libharu, fonts embedded) then
// formats::facturx::make_facturx (qpdf, PDF/A-3b), over the CII examples of
// ../shared/conformance/examples whose BT-24 is a Factur-X profile, round robin; the models are
// read once beforehand. PDFs per second = items_per_second. Also each step alone, and the
// one-font variant (RenderOptions::font_bold_path empty), and reading the generated Factur-X back
// (read_facturx: raw scan + qpdf inspection + XMP checks), and reading them with every layer as
// `facteur validate` does (BM_ValidateFacturxEveryLayer, issue #5's read target). Run:
//   ./build/bench/facteur_facturx_bench --benchmark_repetitions=3
//   --benchmark_report_aggregates_only=true
#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "facteur/core/file.h"
#include "facteur/formats/cii/cii_reader.h"
#include "facteur/formats/facturx/facturx_reader.h"
#include "facteur/formats/facturx/facturx_writer.h"
#include "facteur/pipeline/document_validator.h"
#include "facteur/render/invoice_pdf.h"
#include "facteur/xml/document.h"

namespace {

using namespace facteur;
namespace fs = std::filesystem;

struct Example {
    std::string xml;
    model::Invoice invoice;
    std::string visual;   ///< render output with the default options
    std::string facturx;  ///< make_facturx(visual, xml)
};

/// The example, or nullopt when it cannot be read or make_facturx refuses it (e.g. a BT-24 of
/// ZUGFeRD 1.0).
std::optional<Example> load(const fs::path& file) {
    auto bytes = core::read_file(file, std::size_t{64} << 20);
    if (!bytes) {
        return std::nullopt;
    }
    auto doc = xml::parse(*bytes, xml::Limits{});
    if (!doc) {
        return std::nullopt;
    }
    auto invoice = formats::cii::read_cii(*doc);
    if (!invoice) {
        return std::nullopt;
    }
    auto visual = render::render_invoice_pdf(*invoice, render::RenderOptions{});
    if (!visual) {
        return std::nullopt;
    }
    auto facturx = formats::facturx::make_facturx(*visual, *bytes, {});
    if (!facturx) {
        return std::nullopt;
    }
    return Example{std::move(*bytes), std::move(*invoice), std::move(*visual), std::move(*facturx)};
}

const std::vector<Example>& examples() {
    static const std::vector<Example> kExamples = [] {
        std::vector<fs::path> files;
        const fs::path dir = fs::path(FACTEUR_SHARED_DIR) / "conformance" / "examples" / "cii";
        for (const auto& e : fs::directory_iterator(dir)) {
            files.push_back(e.path());
        }
        std::sort(files.begin(), files.end());
        std::vector<Example> out;
        for (const fs::path& f : files) {
            if (std::optional<Example> e = load(f)) {
                out.push_back(std::move(*e));
            }
        }
        return out;
    }();
    return kExamples;
}

void generate(benchmark::State& state, const render::RenderOptions& options) {
    const std::vector<Example>& all = examples();
    std::size_t i = 0;
    std::size_t bytes = 0;
    for (auto _ : state) {
        const Example& e = all[i++ % all.size()];
        auto visual = render::render_invoice_pdf(e.invoice, options);
        auto pdf = formats::facturx::make_facturx(*visual, e.xml, {});
        if (!pdf) {
            state.SkipWithError(pdf.error().message.c_str());
            break;
        }
        bytes += pdf->size();
        benchmark::DoNotOptimize(pdf);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["documents"] = static_cast<double>(all.size());
    state.counters["pdf_bytes_avg"] =
        state.iterations() > 0 ? static_cast<double>(bytes) / static_cast<double>(state.iterations())
                               : 0;
}

void BM_GenerateFacturx(benchmark::State& state) { generate(state, render::RenderOptions{}); }

void BM_GenerateFacturxOneFont(benchmark::State& state) {
    render::RenderOptions options;
    options.font_bold_path.clear();
    generate(state, options);
}

void BM_RenderOnly(benchmark::State& state) {
    const std::vector<Example>& all = examples();
    std::size_t i = 0;
    for (auto _ : state) {
        auto visual = render::render_invoice_pdf(all[i++ % all.size()].invoice, {});
        benchmark::DoNotOptimize(visual);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_MakeFacturxOnly(benchmark::State& state) {
    const std::vector<Example>& all = examples();
    std::size_t i = 0;
    for (auto _ : state) {
        const Example& e = all[i++ % all.size()];
        auto pdf = formats::facturx::make_facturx(e.visual, e.xml, {});
        benchmark::DoNotOptimize(pdf);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

/// The container layer alone: read_facturx on the generated PDFs (every check, default limits).
void BM_ReadFacturx(benchmark::State& state) {
    const std::vector<Example>& all = examples();
    std::size_t i = 0;
    for (auto _ : state) {
        auto e = formats::facturx::read_facturx(all[i++ % all.size()].facturx, {});
        if (!e || !e->findings.empty() || e->xml.empty()) {
            state.SkipWithError("a generated Factur-X has findings");
            break;
        }
        benchmark::DoNotOptimize(e);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

/// Issue #5's "Factur-X read + all layers": what `facteur validate` does with each generated PDF
/// (container checks, the XML extracted and run through xml, xsd, en16931, facturx, fr and
/// mentions), in process: the grammars and rule sets are loaded by a first pass over every PDF
/// before timing, so start-up does not count. Reports are checked: every layer of every report
/// must have run (no layer in status error).
void BM_ValidateFacturxEveryLayer(benchmark::State& state) {
    const std::vector<Example>& all = examples();
    static validate::SchemaRegistry registry{validate::SchemaRegistryConfig{}};
    pipeline::DocumentValidator validator(registry, pipeline::ValidationOptions{});
    for (const Example& e : all) {
        const model::Report report = validator.validate(e.facturx, "warm-up.pdf");
        for (const model::LayerResult& layer : report.layers) {
            if (layer.status == model::LayerStatus::kError) {
                state.SkipWithError(("layer " + layer.name + " in error: " + layer.message).c_str());
                return;
            }
        }
    }
    std::size_t i = 0;
    std::size_t findings = 0;
    for (auto _ : state) {
        const model::Report report = validator.validate(all[i++ % all.size()].facturx, "bench.pdf");
        findings += report.findings.size();
        benchmark::DoNotOptimize(findings);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["documents"] = static_cast<double>(all.size());
}

BENCHMARK(BM_GenerateFacturx)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GenerateFacturxOneFont)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MakeFacturxOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadFacturx)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ValidateFacturxEveryLayer)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
