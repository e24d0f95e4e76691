// RFC 9162 Merkle proofs and C2SP checkpoint signatures (src/archive): inclusion-proof
// generation and verification at 10^4 and 10^6 leaves, consistency proofs, and Ed25519
// checkpoint sign / open. Leaves live in an in-memory archive::MemoryTree, either with every
// perfect subtree cached (what the store will keep) or leaves only (each proof rehashes O(n)
// nodes). One thread. Run: ./build/bench/facteur_archive_bench
//   --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "facteur/archive/checkpoint.h"
#include "facteur/archive/merkle.h"
#include "facteur/archive/note.h"
#include "facteur/crypto/ed25519.h"

namespace {

using namespace facteur;

/// One tree per (size, cache) pair, built on first use and kept for the whole run.
const archive::MemoryTree& tree(std::uint64_t size, bool cached) {
    static std::map<std::pair<std::uint64_t, bool>, std::unique_ptr<archive::MemoryTree>> trees;
    auto& slot = trees[{size, cached}];
    if (!slot) {
        slot = std::make_unique<archive::MemoryTree>(cached);
        for (std::uint64_t i = 0; i < size; ++i) {
            const auto leaf = archive::hash_leaf(std::string_view("invoice " + std::to_string(i)));
            if (!leaf || !slot->append(*leaf)) {
                std::abort();
            }
        }
    }
    return *slot;
}

void BM_InclusionProof(benchmark::State& state) {
    const auto size = static_cast<std::uint64_t>(state.range(0));
    const archive::MemoryTree& t = tree(size, state.range(1) != 0);
    std::mt19937_64 random(1);
    for (auto _ : state) {
        auto proof = archive::inclusion_proof(t, random() % size, size);
        benchmark::DoNotOptimize(proof);
    }
}

void BM_InclusionVerify(benchmark::State& state) {
    const auto size = static_cast<std::uint64_t>(state.range(0));
    const archive::MemoryTree& t = tree(size, true);
    const archive::Hash root = t.root().value();
    std::mt19937_64 random(2);

    struct Case {
        std::uint64_t index;
        archive::Hash leaf;
        std::vector<archive::Hash> proof;
    };

    std::vector<Case> cases;
    for (int i = 0; i < 64; ++i) {
        const std::uint64_t index = random() % size;
        cases.push_back(
            {index, t.leaf_hash(index).value(), archive::inclusion_proof(t, index, size).value()});
    }
    std::size_t i = 0;
    for (auto _ : state) {
        const Case& c = cases[i++ % cases.size()];
        auto ok = archive::verify_inclusion(c.index, size, c.leaf, c.proof, root);
        if (!ok) {
            state.SkipWithError("proof did not verify");
            break;
        }
    }
}

void BM_ConsistencyProof(benchmark::State& state) {
    const auto size = static_cast<std::uint64_t>(state.range(0));
    const archive::MemoryTree& t = tree(size, true);
    std::mt19937_64 random(3);
    for (auto _ : state) {
        auto proof = archive::consistency_proof(t, 1 + random() % (size - 1), size);
        benchmark::DoNotOptimize(proof);
    }
}

void BM_ConsistencyVerify(benchmark::State& state) {
    const auto size = static_cast<std::uint64_t>(state.range(0));
    const archive::MemoryTree& t = tree(size, true);
    const archive::Hash root = t.root().value();
    std::mt19937_64 random(4);

    struct Case {
        std::uint64_t first;
        archive::Hash first_root;
        std::vector<archive::Hash> proof;
    };

    std::vector<Case> cases;
    for (int i = 0; i < 64; ++i) {
        const std::uint64_t first = 1 + random() % (size - 1);
        cases.push_back({first, archive::root_at(t, first).value(),
                         archive::consistency_proof(t, first, size).value()});
    }
    std::size_t i = 0;
    for (auto _ : state) {
        const Case& c = cases[i++ % cases.size()];
        auto ok = archive::verify_consistency(c.first, size, c.first_root, root, c.proof);
        if (!ok) {
            state.SkipWithError("proof did not verify");
            break;
        }
    }
}

void BM_AppendLeaf(benchmark::State& state) {
    archive::CompactTree compact;
    const archive::Hash leaf = archive::hash_leaf(std::string_view("invoice")).value();
    for (auto _ : state) {
        auto ok = compact.append(leaf);
        benchmark::DoNotOptimize(ok);
    }
}

archive::NoteSigner make_signer() {
    auto key = crypto::Ed25519PrivateKey::generate();
    auto signer = key ? archive::NoteSigner::create("example.com/facteur/archive", std::move(*key))
                      : tl::unexpected(key.error());
    if (!signer) {
        std::abort();
    }
    return std::move(*signer);
}

archive::Checkpoint sample_checkpoint() {
    return archive::Checkpoint{
        "example.com/facteur/archive", 1000000, tree(1000000, true).root().value(), {}};
}

void BM_CheckpointSign(benchmark::State& state) {
    const archive::NoteSigner signer = make_signer();
    const archive::Checkpoint checkpoint = sample_checkpoint();
    for (auto _ : state) {
        auto note = archive::sign_checkpoint(checkpoint, signer);
        benchmark::DoNotOptimize(note);
    }
}

void BM_CheckpointOpen(benchmark::State& state) {
    const archive::NoteSigner signer = make_signer();
    const archive::NoteVerifier verifier = signer.verifier().value();
    const std::string note = archive::sign_checkpoint(sample_checkpoint(), signer).value();
    for (auto _ : state) {
        auto checkpoint = archive::open_checkpoint(note, verifier, "example.com/facteur/archive");
        if (!checkpoint) {
            state.SkipWithError("checkpoint did not open");
            break;
        }
    }
}

// Args: {tree size, subtree cache on (1) / leaves only (0)}.
BENCHMARK(BM_InclusionProof)
    ->Args({10'000, 1})
    ->Args({1'000'000, 1})
    ->Args({10'000, 0})
    ->Args({1'000'000, 0})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_InclusionVerify)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ConsistencyProof)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ConsistencyVerify)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AppendLeaf)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_CheckpointSign)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CheckpointOpen)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
