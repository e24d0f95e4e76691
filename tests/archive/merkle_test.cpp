#include "facteur/archive/merkle.h"

#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/crypto/encoding.h"
#include "facteur/crypto/sha256.h"

namespace facteur::archive {
namespace {

// Certificate Transparency reference vectors (RFC 6962 / RFC 9162 hashing), as published in
// transparency-dev/merkle proof/verify_test.go (from certificate-transparency-go's merkletree
// tests): eight leaf inputs, the roots of the trees of their first 1..8 leaves, and proofs.
const std::vector<std::string> kLeafInputsHex = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
};

const std::vector<std::string> kRootsHex = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

struct InclusionVector {
    std::uint64_t leaf_index;  // 0-based (the Go file lists 1-based leaf numbers)
    std::uint64_t tree_size;
    std::vector<std::string> proof_hex;
};

const std::vector<InclusionVector> kInclusionVectors = {
    {0, 1, {}},
    {0,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {5,
     8,
     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {1,
     5,
     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};

struct ConsistencyVector {
    std::uint64_t first_size;
    std::uint64_t second_size;
    std::vector<std::string> proof_hex;
};

const std::vector<ConsistencyVector> kConsistencyVectors = {
    {1, 1, {}},
    {1,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6,
     8,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2,
     5,
     {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {6,
     7,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

Hash hash_of_hex(std::string_view hex) {
    const crypto::ByteVector bytes = crypto::hex_decode(hex).value();
    Hash hash{};
    EXPECT_EQ(bytes.size(), hash.size());
    std::memcpy(hash.data(), bytes.data(), std::min(bytes.size(), hash.size()));
    return hash;
}

std::vector<Hash> hashes_of_hex(const std::vector<std::string>& hexes) {
    std::vector<Hash> out;
    for (const std::string& hex : hexes) {
        out.push_back(hash_of_hex(hex));
    }
    return out;
}

Hash reference_leaf_hash(std::size_t i) {
    return hash_leaf(crypto::hex_decode(kLeafInputsHex[i]).value()).value();
}

MemoryTree reference_tree(bool cache_subtrees) {
    MemoryTree tree(cache_subtrees);
    for (std::size_t i = 0; i < kLeafInputsHex.size(); ++i) {
        EXPECT_TRUE(tree.append(reference_leaf_hash(i)));
    }
    return tree;
}

void flip_bit(Hash& hash, std::size_t bit) {
    hash[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
}

TEST(MerkleTreeTest, EmptyRootIsSha256OfNothing) {
    EXPECT_EQ(empty_root(), crypto::sha256(std::string_view()).value());
    EXPECT_EQ(CompactTree().root().value(), empty_root());
    EXPECT_EQ(root_at(MemoryTree(), 0).value(), empty_root());
}

TEST(MerkleTreeTest, HashesUseRfc9162DomainPrefixes) {
    const Hash leaf = hash_leaf(std::string_view("abc")).value();
    EXPECT_EQ(leaf, crypto::sha256(std::string_view("\0abc", 4)).value());
    std::string node(1, '\x01');
    node.append(reinterpret_cast<const char*>(leaf.data()), leaf.size());
    node.append(reinterpret_cast<const char*>(empty_root().data()), empty_root().size());
    EXPECT_EQ(hash_children(leaf, empty_root()).value(), crypto::sha256(node).value());
}

TEST(MerkleTreeTest, RootsMatchCertificateTransparencyVectors) {
    CompactTree compact;
    const MemoryTree cached = reference_tree(true);
    const MemoryTree uncached = reference_tree(false);
    for (std::size_t i = 0; i < kRootsHex.size(); ++i) {
        ASSERT_TRUE(compact.append(reference_leaf_hash(i)));
        const Hash expected = hash_of_hex(kRootsHex[i]);
        EXPECT_EQ(compact.root().value(), expected) << "size " << i + 1;
        EXPECT_EQ(root_at(cached, i + 1).value(), expected) << "size " << i + 1;
        EXPECT_EQ(root_at(uncached, i + 1).value(), expected) << "size " << i + 1;
    }
}

TEST(MerkleTreeTest, InclusionProofsMatchCertificateTransparencyVectors) {
    const MemoryTree tree = reference_tree(true);
    for (const InclusionVector& v : kInclusionVectors) {
        SCOPED_TRACE("leaf " + std::to_string(v.leaf_index) + " size "
                     + std::to_string(v.tree_size));
        const std::vector<Hash> expected = hashes_of_hex(v.proof_hex);
        EXPECT_EQ(inclusion_proof(tree, v.leaf_index, v.tree_size).value(), expected);
        const Hash root = hash_of_hex(kRootsHex[v.tree_size - 1]);
        EXPECT_TRUE(verify_inclusion(v.leaf_index, v.tree_size, reference_leaf_hash(v.leaf_index),
                                     expected, root));
    }
}

TEST(MerkleTreeTest, ConsistencyProofsMatchCertificateTransparencyVectors) {
    const MemoryTree tree = reference_tree(true);
    for (const ConsistencyVector& v : kConsistencyVectors) {
        SCOPED_TRACE(std::to_string(v.first_size) + " -> " + std::to_string(v.second_size));
        const std::vector<Hash> expected = hashes_of_hex(v.proof_hex);
        EXPECT_EQ(consistency_proof(tree, v.first_size, v.second_size).value(), expected);
        EXPECT_TRUE(verify_consistency(v.first_size, v.second_size,
                                       hash_of_hex(kRootsHex[v.first_size - 1]),
                                       hash_of_hex(kRootsHex[v.second_size - 1]), expected));
    }
}

TEST(MerkleTreeTest, InclusionTamperingIsRejected) {
    for (const InclusionVector& v : kInclusionVectors) {
        SCOPED_TRACE("leaf " + std::to_string(v.leaf_index) + " size "
                     + std::to_string(v.tree_size));
        const std::vector<Hash> proof = hashes_of_hex(v.proof_hex);
        const Hash root = hash_of_hex(kRootsHex[v.tree_size - 1]);
        const Hash leaf = reference_leaf_hash(v.leaf_index);
        for (std::size_t bit = 0; bit < 256; ++bit) {
            Hash bad_root = root;
            flip_bit(bad_root, bit);
            EXPECT_FALSE(verify_inclusion(v.leaf_index, v.tree_size, leaf, proof, bad_root));
            Hash bad_leaf = leaf;
            flip_bit(bad_leaf, bit);
            EXPECT_FALSE(verify_inclusion(v.leaf_index, v.tree_size, bad_leaf, proof, root));
            for (std::size_t i = 0; i < proof.size(); ++i) {
                std::vector<Hash> bad = proof;
                flip_bit(bad[i], bit);
                EXPECT_FALSE(verify_inclusion(v.leaf_index, v.tree_size, leaf, bad, root));
            }
        }
        // Wrong positions and shapes (the probes of transparency-dev/merkle's verifierCheck).
        for (const std::uint64_t index : {v.leaf_index - 1, v.leaf_index + 1, v.leaf_index ^ 2}) {
            EXPECT_FALSE(verify_inclusion(index, v.tree_size, leaf, proof, root)) << index;
        }
        EXPECT_FALSE(verify_inclusion(v.leaf_index, v.tree_size * 2, leaf, proof, root));
        EXPECT_FALSE(verify_inclusion(v.leaf_index, v.tree_size / 2, leaf, proof, root));
        std::vector<Hash> longer = proof;
        longer.push_back(root);
        EXPECT_FALSE(verify_inclusion(v.leaf_index, v.tree_size, leaf, longer, root));
        longer.insert(longer.begin(), root);
        longer.pop_back();
        EXPECT_FALSE(verify_inclusion(v.leaf_index, v.tree_size, leaf, longer, root));
        if (!proof.empty()) {
            const std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
            EXPECT_FALSE(verify_inclusion(v.leaf_index, v.tree_size, leaf, shorter, root));
        }
    }
}

TEST(MerkleTreeTest, ConsistencyTamperingIsRejected) {
    for (const ConsistencyVector& v : kConsistencyVectors) {
        if (v.proof_hex.empty()) {
            continue;  // equal sizes: covered by ConsistencyEdgeCasesFollowTheRfc
        }
        SCOPED_TRACE(std::to_string(v.first_size) + " -> " + std::to_string(v.second_size));
        const std::vector<Hash> proof = hashes_of_hex(v.proof_hex);
        const Hash first = hash_of_hex(kRootsHex[v.first_size - 1]);
        const Hash second = hash_of_hex(kRootsHex[v.second_size - 1]);
        for (std::size_t bit = 0; bit < 256; ++bit) {
            Hash bad_first = first;
            flip_bit(bad_first, bit);
            EXPECT_FALSE(verify_consistency(v.first_size, v.second_size, bad_first, second, proof));
            Hash bad_second = second;
            flip_bit(bad_second, bit);
            EXPECT_FALSE(verify_consistency(v.first_size, v.second_size, first, bad_second, proof));
            for (std::size_t i = 0; i < proof.size(); ++i) {
                std::vector<Hash> bad = proof;
                flip_bit(bad[i], bit);
                EXPECT_FALSE(verify_consistency(v.first_size, v.second_size, first, second, bad));
            }
        }
        const auto sizes_ok = [&](std::uint64_t a, std::uint64_t b) {
            return static_cast<bool>(verify_consistency(a, b, first, second, proof));
        };
        EXPECT_FALSE(sizes_ok(v.first_size - 1, v.second_size));
        EXPECT_FALSE(sizes_ok(v.first_size + 1, v.second_size));
        EXPECT_FALSE(sizes_ok(v.first_size ^ 2, v.second_size));
        EXPECT_FALSE(sizes_ok(v.first_size, v.second_size * 2));
        EXPECT_FALSE(sizes_ok(v.first_size, v.second_size / 2));
        EXPECT_FALSE(verify_consistency(v.first_size, v.second_size, second, first, proof));
        EXPECT_FALSE(verify_consistency(v.first_size, v.second_size, first, second, {}));
        std::vector<Hash> longer = proof;
        longer.push_back(first);
        EXPECT_FALSE(verify_consistency(v.first_size, v.second_size, first, second, longer));
        std::vector<Hash> prefixed = proof;
        prefixed.insert(prefixed.begin(), proof[0]);
        EXPECT_FALSE(verify_consistency(v.first_size, v.second_size, first, second, prefixed));
        const std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
        EXPECT_FALSE(verify_consistency(v.first_size, v.second_size, first, second, shorter));
    }
}

TEST(MerkleTreeTest, ConsistencyEdgeCasesFollowTheRfc) {
    const Hash a = hash_of_hex(kRootsHex[0]);
    const Hash b = hash_of_hex(kRootsHex[1]);
    // From the empty tree everything is consistent, with an empty proof.
    EXPECT_TRUE(verify_consistency(0, 0, empty_root(), empty_root(), {}));
    EXPECT_TRUE(verify_consistency(0, 5, empty_root(), b, {}));
    EXPECT_EQ(verify_consistency(0, 5, a, b, {}).error().code, core::Errc::kDataLoss);
    EXPECT_FALSE(verify_consistency(0, 5, empty_root(), b, std::vector<Hash>{a}));
    // Same size: same root, empty proof.
    EXPECT_TRUE(verify_consistency(1, 1, a, a, {}));
    EXPECT_EQ(verify_consistency(1, 1, a, b, {}).error().code, core::Errc::kDataLoss);
    EXPECT_FALSE(verify_consistency(1, 1, a, a, std::vector<Hash>{a}));
    // Time travel.
    EXPECT_EQ(verify_consistency(2, 1, a, b, {}).error().code, core::Errc::kInvalidInput);
    // Growth needs a proof.
    EXPECT_EQ(verify_consistency(1, 2, a, b, {}).error().code, core::Errc::kDataLoss);
}

TEST(MerkleTreeTest, BadIndicesSizesAndProofLengthsAreErrorsNotCrashes) {
    const MemoryTree tree = reference_tree(true);
    const Hash h = reference_leaf_hash(0);
    EXPECT_EQ(inclusion_proof(tree, 0, 0).error().code, core::Errc::kInvalidInput);
    EXPECT_EQ(inclusion_proof(tree, 8, 8).error().code, core::Errc::kInvalidInput);
    EXPECT_EQ(inclusion_proof(tree, 0, 9).error().code, core::Errc::kInvalidInput);
    EXPECT_EQ(inclusion_proof(tree, UINT64_MAX, UINT64_MAX).error().code,
              core::Errc::kInvalidInput);
    EXPECT_EQ(consistency_proof(tree, 3, 2).error().code, core::Errc::kInvalidInput);
    EXPECT_EQ(consistency_proof(tree, 3, 9).error().code, core::Errc::kInvalidInput);
    EXPECT_EQ(root_at(tree, 9).error().code, core::Errc::kInvalidInput);

    EXPECT_EQ(verify_inclusion(0, 0, h, {}, h).error().code, core::Errc::kInvalidInput);
    EXPECT_EQ(verify_inclusion(1, 1, h, {}, h).error().code, core::Errc::kInvalidInput);
    EXPECT_TRUE(verify_inclusion(0, 1, h, {}, h));
    const std::vector<Hash> too_long(kInclusionProofHashesMax + 1, h);
    EXPECT_EQ(verify_inclusion(0, UINT64_MAX, h, too_long, h).error().code,
              core::Errc::kInvalidInput);
    const std::vector<Hash> max_length(kInclusionProofHashesMax, h);
    EXPECT_EQ(verify_inclusion(0, UINT64_MAX, h, max_length, h).error().code,
              core::Errc::kDataLoss);  // right length for 2^64 - 1 leaves, wrong hashes
    EXPECT_EQ(verify_inclusion(UINT64_MAX - 1, UINT64_MAX, h, max_length, h).error().code,
              core::Errc::kDataLoss);
    const std::vector<Hash> too_long_consistency(kConsistencyProofHashesMax + 1, h);
    EXPECT_EQ(verify_consistency(1, UINT64_MAX, h, h, too_long_consistency).error().code,
              core::Errc::kInvalidInput);
    EXPECT_FALSE(verify_consistency(UINT64_MAX - 1, UINT64_MAX, h, h,
                                    std::vector<Hash>(kConsistencyProofHashesMax, h)));
}

TEST(MerkleTreeTest, CompactTreeFrontierRoundTripsAndNamesItsNodes) {
    CompactTree tree;
    for (std::size_t i = 0; i < 7; ++i) {
        ASSERT_TRUE(tree.append(reference_leaf_hash(i)));
    }
    ASSERT_EQ(tree.frontier().size(), 3u);  // 7 = 4 + 2 + 1
    EXPECT_EQ(tree.frontier_node(0), (NodeId{2, 0}));
    EXPECT_EQ(tree.frontier_node(1), (NodeId{1, 2}));
    EXPECT_EQ(tree.frontier_node(2), (NodeId{0, 6}));
    const auto restored = CompactTree::from_frontier(
        tree.size(), std::vector<Hash>(tree.frontier().begin(), tree.frontier().end()));
    ASSERT_TRUE(restored);
    EXPECT_EQ(restored->root().value(), hash_of_hex(kRootsHex[6]));
    CompactTree grown = *restored;
    ASSERT_TRUE(grown.append(reference_leaf_hash(7)));
    EXPECT_EQ(grown.root().value(), hash_of_hex(kRootsHex[7]));
    EXPECT_EQ(grown.frontier().size(), 1u);

    EXPECT_EQ(CompactTree::from_frontier(7, {}).error().code, core::Errc::kInvalidInput);
    EXPECT_EQ(CompactTree::from_frontier(8, std::vector<Hash>(2)).error().code,
              core::Errc::kInvalidInput);
    EXPECT_TRUE(CompactTree::from_frontier(0, {}));
}

TEST(MerkleTreeTest, AppendReportsEveryCompletedSubtree) {
    CompactTree tree;
    std::vector<NodeHash> completed;
    for (std::size_t i = 0; i < 7; ++i) {
        ASSERT_TRUE(tree.append(reference_leaf_hash(i), &completed));
    }
    ASSERT_TRUE(tree.append(reference_leaf_hash(7), &completed));
    // Leaf 8 completes {1,3}, {2,1} and the whole tree {3,0}; 7 perfect subtrees in all.
    ASSERT_EQ(completed.size(), 7u);
    EXPECT_EQ(completed[4].node, (NodeId{1, 3}));
    EXPECT_EQ(completed[5].node, (NodeId{2, 1}));
    EXPECT_EQ(completed[6].node, (NodeId{3, 0}));
    EXPECT_EQ(completed[6].hash, hash_of_hex(kRootsHex[7]));
}

TEST(MerkleTreeTest, CompactTreeRefusesToOverflow) {
    auto full = CompactTree::from_frontier(UINT64_MAX, std::vector<Hash>(64));
    ASSERT_TRUE(full);
    const auto r = full->append(empty_root());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::kResourceExhausted);
}

/// A source whose leaf reads fail: the proof functions must pass the error on.
class FailingSource final : public LeafHashSource {
public:
    [[nodiscard]] std::uint64_t leaf_count() const override { return 10; }

    [[nodiscard]] core::Result<Hash> leaf_hash(std::uint64_t /*index*/) const override {
        return core::fail(core::Errc::kUnavailable, "disk gone");
    }
};

TEST(MerkleTreeTest, SourceErrorsPropagate) {
    const FailingSource source;
    EXPECT_EQ(inclusion_proof(source, 3, 10).error().code, core::Errc::kUnavailable);
    EXPECT_EQ(consistency_proof(source, 3, 10).error().code, core::Errc::kUnavailable);
    EXPECT_EQ(root_at(source, 10).error().code, core::Errc::kUnavailable);
}

}  // namespace
}  // namespace facteur::archive
