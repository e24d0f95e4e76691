// The archive's deposit rate as it grows to 1,000,000 entries (issue #6: the rate at 10^6
// archived entries within 20 % of the rate at 10^4), then proof latency and reopen time at that
// size. Not a Google Benchmark: one long fill, measured window by window.
//
//   ./build/bench/facteur_archive_scale_bench [--entries N] [--window W] [--writers T]
//       [--bytes B] [--dir DIR] [--keep]
//
// Defaults: 1,000,000 entries of 20 KB (about 20 GB on disk: set --dir to a disk with room),
// windows of 5,000 deposits, 16 writers (group commit), every deposit acknowledged only after
// its synced write. Prints one CSV line per window (entries at the end of the window, seconds,
// deposits/s), then the medians of the first and of the last five windows and their ratio,
// then proof() latency after a reopen: cold (empty block cache) and warm (after 5,000 proofs
// of other objects).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "facteur/archive/archive.h"
#include "facteur/core/clock.h"

#include <unistd.h>

namespace {

using facteur::archive::Archive;
using facteur::archive::ArchiveOptions;
using facteur::archive::DepositRequest;
using Clock = std::chrono::steady_clock;

struct Settings {
    std::uint64_t entries = 1'000'000;
    std::uint64_t window = 5'000;
    unsigned writers = 16;
    std::size_t bytes = 20 * 1024;
    std::filesystem::path dir;
    bool keep = false;
};

DepositRequest make_request(std::uint64_t n, std::size_t size) {
    DepositRequest request;
    request.bytes.assign(size, 'x');
    const std::string tag = std::to_string(n);
    request.bytes.replace(0, tag.size(), tag);  // distinct bytes per deposit
    request.tenant = "bench";
    request.invoice.seller_siren = std::to_string(100'000'000 + n % 1000);  // 1000 sellers
    request.invoice.buyer_siren = "987654321";
    request.invoice.number = "FA-2026-" + std::to_string(n);
    request.invoice.issue_date = "2026-03-" + std::to_string(10 + n % 18);
    request.invoice.type_code = "380";
    request.invoice.currency = "EUR";
    request.invoice.total_with_vat = "1200.00";
    request.invoice.syntax = "UBL";
    request.verdict_json = R"({"verdict":"accepted"})";
    return request;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n == 0 ? 0 : (n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2);
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "archive_scale_bench: %s\n", message.c_str());
    std::exit(1);
}

Settings parse(int argc, char** argv) {
    Settings settings;
    settings.dir = std::filesystem::temp_directory_path()
                   / ("facteur-archive-scale-" + std::to_string(::getpid()));
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                die(std::string(arg) + " needs a value");
            }
            return argv[++i];
        };
        if (arg == "--entries") {
            settings.entries = std::stoull(value());
        } else if (arg == "--window") {
            settings.window = std::stoull(value());
        } else if (arg == "--writers") {
            settings.writers = static_cast<unsigned>(std::stoul(value()));
        } else if (arg == "--bytes") {
            settings.bytes = std::stoull(value());
        } else if (arg == "--dir") {
            settings.dir = value();
        } else if (arg == "--keep") {
            settings.keep = true;
        } else {
            die("unknown argument " + std::string(arg));
        }
    }
    if (settings.window == 0 || settings.entries < 10 * settings.window || settings.writers == 0) {
        die("need --window > 0, --entries >= 10 windows, --writers > 0");
    }
    return settings;
}

}  // namespace

int main(int argc, char** argv) {
    const Settings settings = parse(argc, argv);
    if (std::filesystem::exists(settings.dir)) {
        die(settings.dir.string() + " exists: give a new directory");
    }
    facteur::core::SystemClock clock;
    auto opened = Archive::open(settings.dir, ArchiveOptions{}, clock);
    if (!opened) {
        die(opened.error().message);
    }
    std::unique_ptr<Archive> archive = std::move(*opened);

    std::printf("entries,seconds,deposits_per_s\n");
    std::vector<double> rates;
    std::vector<std::string> ids;  // a sample, for the proofs
    std::mt19937_64 random(42);
    const auto start = Clock::now();
    for (std::uint64_t first = 0; first < settings.entries; first += settings.window) {
        const std::uint64_t end = std::min(first + settings.window, settings.entries);
        std::atomic<std::uint64_t> next{first};
        std::atomic<bool> failed{false};
        std::mutex sample_mu;
        const auto window_start = Clock::now();
        std::vector<std::thread> writers;
        for (unsigned t = 0; t < settings.writers; ++t) {
            writers.emplace_back([&] {
                for (std::uint64_t n = next++; n < end; n = next++) {
                    auto receipt = archive->deposit(make_request(n, settings.bytes));
                    if (!receipt) {
                        std::fprintf(stderr, "deposit %llu: %s\n",
                                     static_cast<unsigned long long>(n),
                                     receipt.error().message.c_str());
                        failed = true;
                        return;
                    }
                    if (n % 100 == 0) {  // every 100th object, for the proofs
                        const std::lock_guard lock(sample_mu);
                        ids.push_back(receipt->id);
                    }
                }
            });
        }
        for (std::thread& writer : writers) {
            writer.join();
        }
        if (failed) {
            die("a deposit failed");
        }
        const double elapsed = seconds_since(window_start);
        rates.push_back(static_cast<double>(end - first) / elapsed);
        std::printf("%llu,%.3f,%.0f\n", static_cast<unsigned long long>(end),
                    seconds_since(start), rates.back());
        std::fflush(stdout);
    }
    if (!archive->checkpoint()) {
        die("checkpoint failed");
    }

    const std::size_t k = std::min<std::size_t>(5, rates.size() / 2);
    const double early = median({rates.begin(), rates.begin() + static_cast<std::ptrdiff_t>(k)});
    const double late = median({rates.end() - static_cast<std::ptrdiff_t>(k), rates.end()});
    std::printf("# first %zu windows (to %llu entries): median %.0f deposits/s\n", k,
                static_cast<unsigned long long>(k * settings.window), early);
    std::printf("# last %zu windows (to %llu entries): median %.0f deposits/s\n", k,
                static_cast<unsigned long long>(settings.entries), late);
    std::printf("# ratio last/first: %.3f (target >= 0.80)\n", late / early);
    std::printf("# total: %llu deposits in %.1f s, %.0f deposits/s\n",
                static_cast<unsigned long long>(settings.entries), seconds_since(start),
                static_cast<double>(settings.entries) / seconds_since(start));

    // Proofs at full size: the archive's own synced access journal, then reads without it.
    for (const bool synced : {true, false}) {
        archive.reset();
        ArchiveOptions options;
        options.sync_access_journal = synced;
        options.verify_leaves_on_open = synced;  // the first reopen rehashes every leaf
        const auto reopen_start = Clock::now();
        auto reopened = Archive::open(settings.dir, options, clock);
        if (!reopened) {
            die(reopened.error().message);
        }
        archive = std::move(*reopened);
        std::printf("# reopen (%s): %.2f s\n",
                    synced ? "every leaf rehashed" : "frontier only", seconds_since(reopen_start));
        // Cold: the first proofs after the reopen (empty block cache). Warm: after proofs of
        // 5,000 other objects, as in a server that has been answering for a while (the upper
        // levels of the tree cached, the lower ones mostly not).
        std::shuffle(ids.begin(), ids.end(), random);
        const auto time_proofs = [&](std::size_t from, std::size_t count) {
            std::vector<double> micros;
            for (std::size_t i = from; i < from + count && i < ids.size(); ++i) {
                const auto proof_start = Clock::now();
                if (!archive->proof(ids[i])) {
                    die("proof failed");
                }
                micros.push_back(seconds_since(proof_start) * 1e6);
            }
            return median(micros);
        };
        const std::size_t cold_count = std::min<std::size_t>(200, ids.size() / 4);
        const std::size_t warm_up = std::min<std::size_t>(5000, (ids.size() - cold_count) / 2);
        const double cold = time_proofs(0, cold_count);
        time_proofs(cold_count, warm_up);
        const double warm = time_proofs(cold_count + warm_up, 500);
        std::printf("# proof() at %llu entries, access journal %s: median %.0f us cold, %.0f us "
                    "warm\n",
                    static_cast<unsigned long long>(archive->size()),
                    synced ? "fsynced" : "written to the OS", cold, warm);
    }
    archive.reset();
    if (!settings.keep) {
        std::filesystem::remove_all(settings.dir);
    }
    return 0;
}
