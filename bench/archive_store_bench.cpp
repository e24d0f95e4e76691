// Evidence archive on RocksDB (house style §1.8: speed figures live here, not in unit tests).
//
//   BM_SyncedDeposit/threads:N   deposits of 20 KB originals, each acknowledged only after its
//                                synced write (group commit across the N writers); items/s is
//                                the archive's throughput.
//   BM_Proof10k[Synced|Buffered] proof() of random objects in a 10^4-leaf archive: O(log n)
//                                cached-subtree reads, verification, and the access journal
//                                entry (fsynced, or written to the OS only).
//   BM_Reopen10k                 open() of the 10^4-leaf archive: every leaf rehashed and the
//                                root compared with the signed checkpoint.
//
// Temp dirs under std::filesystem::temp_directory_path() (set TMPDIR to the disk to measure).

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>

#include "facteur/archive/archive.h"
#include "facteur/core/clock.h"

#include <unistd.h>

namespace {

using facteur::archive::Archive;
using facteur::archive::ArchiveOptions;
using facteur::archive::DepositRequest;

constexpr std::size_t kDocumentBytes = 20 * 1024;
constexpr std::size_t kProofLeaves = 10'000;

std::filesystem::path bench_root() {
    static const std::filesystem::path root =
        std::filesystem::temp_directory_path()
        / ("facteur-archive-bench-" + std::to_string(::getpid()));
    return root;
}

std::filesystem::path fresh_dir(const std::string& name) {
    const auto dir = bench_root() / name;
    std::filesystem::remove_all(dir);
    return dir;
}

DepositRequest make_request(std::uint64_t n, std::size_t size) {
    DepositRequest request;
    request.bytes.assign(size, 'x');
    const std::string tag = std::to_string(n);
    request.bytes.replace(0, tag.size(), tag);  // distinct bytes per deposit
    request.tenant = "bench";
    request.invoice.seller_siren = "123456789";
    request.invoice.buyer_siren = "987654321";
    request.invoice.number = "FA-2026-" + std::to_string(n);
    request.invoice.issue_date = "2026-03-15";
    request.invoice.type_code = "380";
    request.invoice.currency = "EUR";
    request.invoice.total_with_vat = "1200.00";
    request.invoice.syntax = "UBL";
    request.verdict_json = R"({"verdict":"accepted"})";
    return request;
}

facteur::core::SystemClock& clock() {
    static facteur::core::SystemClock clock;
    return clock;
}

/// Deposits [first, first + count) from `threads` writers.
void fill(Archive& archive, std::uint64_t first, std::uint64_t count, unsigned threads,
          std::size_t size) {
    std::atomic<std::uint64_t> next{first};
    std::vector<std::thread> writers;
    for (unsigned t = 0; t < threads; ++t) {
        writers.emplace_back([&] {
            for (std::uint64_t n = next++; n < first + count; n = next++) {
                if (!archive.deposit(make_request(n, size))) {
                    std::abort();
                }
            }
        });
    }
    for (std::thread& writer : writers) {
        writer.join();
    }
}

// ---- deposits

std::unique_ptr<Archive> g_deposit_archive;
std::atomic<std::uint64_t> g_next_number{0};

void BM_SyncedDeposit(benchmark::State& state) {
    if (state.thread_index() == 0) {
        g_deposit_archive.reset();  // close the previous run's archive before removing it
        g_deposit_archive = Archive::open(fresh_dir("deposit-" + std::to_string(state.threads())),
                                          ArchiveOptions{}, clock())
                                .value();
    }
    // (Google Benchmark starts the timed loop of all threads together, after this set-up.)
    for (auto _ : state) {
        auto receipt = g_deposit_archive->deposit(make_request(g_next_number++, kDocumentBytes));
        if (!receipt) {
            state.SkipWithError(receipt.error().message.c_str());
            break;
        }
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(kDocumentBytes));
    if (state.thread_index() == 0) {
        state.counters["leaves"] = static_cast<double>(g_deposit_archive->size());
    }
}

BENCHMARK(BM_SyncedDeposit)->Threads(1)->Threads(16)->UseRealTime()->MinTime(3.0);

// ---- proofs at 10^4 leaves

struct ProofArchive {
    std::filesystem::path dir;
    std::vector<std::string> ids;
};

ProofArchive& proof_archive() {
    static ProofArchive fixture = [] {
        ProofArchive made{fresh_dir("proof"), {}};
        auto archive = Archive::open(made.dir, ArchiveOptions{}, clock()).value();
        fill(*archive, 0, kProofLeaves, 16, 1024);
        if (!archive->checkpoint()) {
            std::abort();
        }
        auto listed = archive->list(facteur::archive::ListFilter{.limit = kProofLeaves});
        for (const auto& meta : listed.value()) {
            made.ids.push_back(meta.id);
        }
        return made;
    }();
    return fixture;
}

void run_proofs(benchmark::State& state, bool synced_journal) {
    ProofArchive& fixture = proof_archive();
    ArchiveOptions options;
    options.sync_access_journal = synced_journal;
    options.verify_leaves_on_open = false;
    auto archive = Archive::open(fixture.dir, options, clock()).value();
    std::mt19937_64 random(42);
    for (auto _ : state) {
        const std::string& id = fixture.ids[random() % fixture.ids.size()];
        auto proof = archive->proof(id);
        if (!proof) {
            state.SkipWithError(proof.error().message.c_str());
            break;
        }
        benchmark::DoNotOptimize(proof->hashes.data());
    }
    state.counters["leaves"] = static_cast<double>(archive->size());
}

void BM_Proof10kSynced(benchmark::State& state) {
    run_proofs(state, true);
}

BENCHMARK(BM_Proof10kSynced)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_Proof10kBuffered(benchmark::State& state) {
    run_proofs(state, false);
}

BENCHMARK(BM_Proof10kBuffered)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_Reopen10k(benchmark::State& state) {
    ProofArchive& fixture = proof_archive();
    for (auto _ : state) {
        auto archive = Archive::open(fixture.dir, ArchiveOptions{}, clock());
        if (!archive || (*archive)->integrity_error()) {
            state.SkipWithError("reopen failed");
            break;
        }
    }
}

BENCHMARK(BM_Reopen10k)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    g_deposit_archive.reset();
    std::filesystem::remove_all(bench_root());
    return 0;
}
