// The Merkle implementation against a naive one written straight from the recursive
// definitions of RFC 9162 §2.1.1 (MTH), §2.1.3.1 (PATH) and §2.1.4.1 (PROOF/SUBPROOF), hashing
// with one-shot crypto::sha256 over concatenated bytes (no code shared with src/archive).
#include <bit>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/archive/merkle.h"
#include "facteur/crypto/sha256.h"

namespace facteur::archive {
namespace {

class NaiveTree {
public:
    explicit NaiveTree(std::vector<Hash> leaves) : leaves_(std::move(leaves)) {}

    /// MTH(D[begin:end]), memoised per range so that many proofs stay cheap.
    Hash mth(std::uint64_t begin, std::uint64_t end) {
        if (end == begin) {
            return crypto::sha256(std::string_view()).value();
        }
        if (end - begin == 1) {
            return leaves_[begin];
        }
        const auto key = std::make_pair(begin, end);
        if (const auto it = memo_.find(key); it != memo_.end()) {
            return it->second;
        }
        const std::uint64_t k = largest_power_of_two_below(end - begin);
        const Hash hash = node(mth(begin, begin + k), mth(begin + k, end));
        memo_.emplace(key, hash);
        return hash;
    }

    /// PATH(m, D[begin:end]).
    std::vector<Hash> path(std::uint64_t m, std::uint64_t begin, std::uint64_t end) {
        if (end - begin == 1) {
            return {};
        }
        const std::uint64_t k = largest_power_of_two_below(end - begin);
        std::vector<Hash> result;
        if (m < k) {
            result = path(m, begin, begin + k);
            result.push_back(mth(begin + k, end));
        } else {
            result = path(m - k, begin + k, end);
            result.push_back(mth(begin, begin + k));
        }
        return result;
    }

    /// SUBPROOF(m, D[begin:end], b).
    std::vector<Hash> subproof(std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool b) {
        const std::uint64_t n = end - begin;
        if (m == n) {
            return b ? std::vector<Hash>{} : std::vector<Hash>{mth(begin, end)};
        }
        const std::uint64_t k = largest_power_of_two_below(n);
        std::vector<Hash> result;
        if (m <= k) {
            result = subproof(m, begin, begin + k, b);
            result.push_back(mth(begin + k, end));
        } else {
            result = subproof(m - k, begin + k, end, false);
            result.push_back(mth(begin, begin + k));
        }
        return result;
    }

    static Hash leaf(std::uint64_t i) {
        const std::string entry = "entry " + std::to_string(i);
        return crypto::sha256(std::string(1, '\0') + entry).value();
    }

private:
    static std::uint64_t largest_power_of_two_below(std::uint64_t n) {
        std::uint64_t k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }

    static Hash node(const Hash& left, const Hash& right) {
        std::string bytes(1, '\x01');
        bytes.append(reinterpret_cast<const char*>(left.data()), left.size());
        bytes.append(reinterpret_cast<const char*>(right.data()), right.size());
        return crypto::sha256(bytes).value();
    }

    std::vector<Hash> leaves_;
    std::map<std::pair<std::uint64_t, std::uint64_t>, Hash> memo_;
};

struct Trees {
    std::vector<Hash> leaves;
    MemoryTree cached{true};
    MemoryTree uncached{false};
    CompactTree compact;
    std::vector<Hash> compact_roots;  // compact_roots[n] = CompactTree root at size n
};

Trees build(std::uint64_t size) {
    Trees trees;
    trees.compact_roots.push_back(trees.compact.root().value());
    for (std::uint64_t i = 0; i < size; ++i) {
        const Hash leaf = NaiveTree::leaf(i);
        EXPECT_EQ(hash_leaf(std::string_view("entry " + std::to_string(i))).value(), leaf);
        trees.leaves.push_back(leaf);
        EXPECT_TRUE(trees.cached.append(leaf));
        EXPECT_TRUE(trees.uncached.append(leaf));
        EXPECT_TRUE(trees.compact.append(leaf));
        trees.compact_roots.push_back(trees.compact.root().value());
    }
    return trees;
}

/// Checks one inclusion proof both ways; returns false on the first mismatch.
void check_inclusion(Trees& trees, NaiveTree& naive, std::uint64_t index, std::uint64_t size) {
    const std::vector<Hash> expected = naive.path(index, 0, size);
    const auto proof = inclusion_proof(trees.cached, index, size);
    ASSERT_TRUE(proof) << proof.error().message;
    ASSERT_EQ(*proof, expected) << "PATH(" << index << ", D[" << size << "])";
    ASSERT_EQ(inclusion_proof(trees.uncached, index, size).value(), expected);
    const auto verified =
        verify_inclusion(index, size, trees.leaves[index], *proof, naive.mth(0, size));
    ASSERT_TRUE(verified) << index << "/" << size << ": " << verified.error().message;
}

void check_consistency(Trees& trees, NaiveTree& naive, std::uint64_t first, std::uint64_t second) {
    const std::vector<Hash> expected =
        first == 0 ? std::vector<Hash>{} : naive.subproof(first, 0, second, true);
    const auto proof = consistency_proof(trees.cached, first, second);
    ASSERT_TRUE(proof) << proof.error().message;
    ASSERT_EQ(*proof, expected) << "PROOF(" << first << ", D[" << second << "])";
    ASSERT_EQ(consistency_proof(trees.uncached, first, second).value(), expected);
    const auto verified =
        verify_consistency(first, second, naive.mth(0, first), naive.mth(0, second), *proof);
    ASSERT_TRUE(verified) << first << " -> " << second << ": " << verified.error().message;
    if (first != 0 && first != second) {
        // The roots bind the proof to the sizes: swapped roots must not pass.
        EXPECT_FALSE(
            verify_consistency(first, second, naive.mth(0, second), naive.mth(0, first), *proof));
    }
}

constexpr std::uint64_t kExhaustiveSizeMax = 300;

TEST(MerkleDifferentialTest, AgreesWithNaiveTreeForEverySizeUpTo300) {
    Trees trees = build(kExhaustiveSizeMax);
    NaiveTree naive(trees.leaves);
    std::mt19937_64 random(20260101);
    for (std::uint64_t size = 1; size <= kExhaustiveSizeMax; ++size) {
        SCOPED_TRACE("size " + std::to_string(size));
        const Hash root = naive.mth(0, size);
        ASSERT_EQ(trees.compact_roots[size], root);
        ASSERT_EQ(root_at(trees.cached, size).value(), root);
        ASSERT_EQ(root_at(trees.uncached, size).value(), root);
        // Every leaf for the small trees, then the edges plus a random sample.
        if (size <= 64) {
            for (std::uint64_t index = 0; index < size; ++index) {
                check_inclusion(trees, naive, index, size);
            }
        } else {
            for (const std::uint64_t index : {std::uint64_t{0}, size / 2, size - 1}) {
                check_inclusion(trees, naive, index, size);
            }
            for (int i = 0; i < 8; ++i) {
                check_inclusion(trees, naive, random() % size, size);
            }
        }
        // Every first size for the small trees, then the edges plus a random sample.
        if (size <= 96) {
            for (std::uint64_t first = 0; first <= size; ++first) {
                check_consistency(trees, naive, first, size);
            }
        } else {
            for (const std::uint64_t first : {std::uint64_t{1}, size / 2, size - 1, size}) {
                check_consistency(trees, naive, first, size);
            }
            for (int i = 0; i < 8; ++i) {
                check_consistency(trees, naive, 1 + random() % size, size);
            }
        }
        if (::testing::Test::HasFatalFailure()) {
            return;
        }
    }
}

TEST(MerkleDifferentialTest, AgreesWithNaiveTreeForRandomLargeSizes) {
    std::mt19937_64 random(9162);
    constexpr std::uint64_t kSizeMax = 5000;
    Trees trees = build(kSizeMax);
    NaiveTree naive(trees.leaves);
    for (int round = 0; round < 12; ++round) {
        const std::uint64_t size =
            kExhaustiveSizeMax + 1 + random() % (kSizeMax - kExhaustiveSizeMax);
        SCOPED_TRACE("size " + std::to_string(size));
        ASSERT_EQ(trees.compact_roots[size], naive.mth(0, size));
        ASSERT_EQ(root_at(trees.cached, size).value(), naive.mth(0, size));
        for (int i = 0; i < 16; ++i) {
            check_inclusion(trees, naive, random() % size, size);
            check_consistency(trees, naive, 1 + random() % size, size);
        }
        // Power-of-two boundaries are where the RFC algorithms branch.
        for (std::uint64_t p = 1; p < size; p *= 2) {
            check_consistency(trees, naive, p, size);
            check_inclusion(trees, naive, p - 1, size);
        }
        if (::testing::Test::HasFatalFailure()) {
            return;
        }
    }
}

TEST(MerkleDifferentialTest, EverySingleBitFlipOfRandomProofsIsRejected) {
    std::mt19937_64 random(6962);
    Trees trees = build(1000);
    NaiveTree naive(trees.leaves);
    for (int round = 0; round < 4; ++round) {
        const std::uint64_t size = 2 + random() % 999;
        const std::uint64_t index = random() % size;
        const std::uint64_t first = 1 + random() % (size - 1);
        const Hash root = naive.mth(0, size);
        const Hash first_root = naive.mth(0, first);
        const std::vector<Hash> inclusion = inclusion_proof(trees.cached, index, size).value();
        const std::vector<Hash> consistency = consistency_proof(trees.cached, first, size).value();
        for (std::size_t i = 0; i < inclusion.size(); ++i) {
            for (std::size_t bit = 0; bit < 256; ++bit) {
                std::vector<Hash> bad = inclusion;
                bad[i][bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
                ASSERT_FALSE(verify_inclusion(index, size, trees.leaves[index], bad, root));
            }
        }
        for (std::size_t i = 0; i < consistency.size(); ++i) {
            for (std::size_t bit = 0; bit < 256; ++bit) {
                std::vector<Hash> bad = consistency;
                bad[i][bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
                ASSERT_FALSE(verify_consistency(first, size, first_root, root, bad));
            }
        }
    }
}

}  // namespace
}  // namespace facteur::archive
