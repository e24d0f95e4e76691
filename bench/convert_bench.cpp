// Conversion throughput, one core: parse + read + write of every CEN example of one syntax,
// UBL -> CII (ubl/ and testfiles/, 48 documents, with and without the one 3.3 MB document) and CII
// -> UBL (cii/, 15 documents); one iteration converts one document, cycling through the set.
// Target: >= 2,000 conversions/s.
//   build-cv/bench/facteur_convert_bench --benchmark_min_time=2 [--default-allocator]
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "facteur/core/file.h"
#include "facteur/core/memory.h"
#include "facteur/formats/cii/cii_reader.h"
#include "facteur/formats/cii/cii_writer.h"
#include "facteur/formats/ubl/ubl_reader.h"
#include "facteur/formats/ubl/ubl_writer.h"
#include "facteur/xml/document.h"

namespace {

using namespace facteur;

std::vector<std::string> load(std::initializer_list<const char*> folders) {
    std::vector<std::string> out;
    const std::filesystem::path root =
        std::filesystem::path(FACTEUR_SHARED_DIR) / "conformance" / "examples";
    for (const char* folder : folders) {
        std::vector<std::filesystem::path> paths;
        for (const auto& entry : std::filesystem::directory_iterator(root / folder)) {
            paths.push_back(entry.path());
        }
        std::sort(paths.begin(), paths.end());
        for (const auto& path : paths) {
            auto bytes = core::read_file(path, std::size_t{64} << 20);
            if (!bytes) {
                std::fprintf(stderr, "cannot read %s\n", path.c_str());
                std::exit(2);
            }
            out.push_back(std::move(*bytes));
        }
    }
    return out;
}

// The readers from a libxml2 document (each also has a tree overload).
constexpr auto kReadUbl = [](const xml::Document& doc, const formats::binding::ReadOptions& o) {
    return formats::ubl::read_ubl(doc, o);
};
constexpr auto kReadCii = [](const xml::Document& doc, const formats::binding::ReadOptions& o) {
    return formats::cii::read_cii(doc, o);
};

template <class Read, class Write>
void convert(benchmark::State& state, const std::vector<std::string>& documents, Read read,
             Write write) {
    const xml::Limits limits;
    const model::WriteOptions options;
    std::size_t i = 0;
    std::int64_t bytes = 0;
    for (auto _ : state) {
        const std::string& input = documents[i++ % documents.size()];
        auto doc = xml::parse(input, limits);
        auto invoice = read(*doc, {});
        auto written = write(*invoice, options);
        if (!written) {
            state.SkipWithError("write failed");
            break;
        }
        bytes += static_cast<std::int64_t>(input.size());
        benchmark::DoNotOptimize(written->xml.data());
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(bytes);
}

void BM_ConvertUblToCii(benchmark::State& state) {
    static const std::vector<std::string> kDocuments = load({"ubl", "testfiles"});
    convert(state, kDocuments, kReadUbl, formats::cii::write_cii);
}

BENCHMARK(BM_ConvertUblToCii);

void BM_ConvertCiiToUbl(benchmark::State& state) {
    static const std::vector<std::string> kDocuments = load({"cii"});
    convert(state, kDocuments, kReadCii, formats::ubl::write_ubl);
}

BENCHMARK(BM_ConvertCiiToUbl);

// The same without the one large document (a 3.3 MB Italian invoice whose base64 attachment is
// 88 % of the UBL set's bytes): the rate of ordinary invoices (5 to 22 KB).
std::vector<std::string> without_large(std::vector<std::string> documents) {
    std::erase_if(documents,
                  [](const std::string& d) { return d.size() > (std::size_t{1} << 20); });
    return documents;
}

void BM_ConvertUblToCiiWithoutLarge(benchmark::State& state) {
    static const std::vector<std::string> kDocuments = without_large(load({"ubl", "testfiles"}));
    convert(state, kDocuments, kReadUbl, formats::cii::write_cii);
}

BENCHMARK(BM_ConvertUblToCiiWithoutLarge);

// The write alone, on an already read model (the first ubl/ example).
void BM_WriteCiiOnly(benchmark::State& state) {
    static const std::vector<std::string> kDocuments = load({"ubl"});
    auto doc = xml::parse(kDocuments.front(), xml::Limits{});
    const auto invoice = formats::ubl::read_ubl(*doc);
    for (auto _ : state) {
        benchmark::DoNotOptimize(formats::cii::write_cii(*invoice, model::WriteOptions{}));
    }
    state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_WriteCiiOnly);

}  // namespace

// The allocator as facteur's main() sets it (core::tune_allocator); `--default-allocator` keeps
// glibc's defaults, for a same-run comparison.
int main(int argc, char** argv) {
    bool tune = true;
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--default-allocator") {
            tune = false;
        } else {
            args.push_back(argv[i]);
        }
    }
    if (tune) {
        core::tune_allocator();
    }
    int count = static_cast<int>(args.size());
    benchmark::Initialize(&count, args.data());
    if (benchmark::ReportUnrecognizedArguments(count, args.data())) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
