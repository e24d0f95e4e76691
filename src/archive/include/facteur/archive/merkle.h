#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "facteur/core/result.h"
#include "facteur/crypto/bytes.h"
#include "facteur/crypto/sha256.h"

// RFC 9162 §2.1 Merkle hash trees over SHA-256: hashing, a compact (frontier) tree, the leaf
// hash source a store implements, and inclusion / consistency proofs with their verification.

namespace facteur::archive {

/// A Merkle tree node or leaf hash (SHA-256, RFC 9162 §2.1.1).
using Hash = crypto::Sha256Digest;
inline constexpr std::size_t kHashBytes = 32;

/// Longest inclusion proof for any 64-bit tree size (one hash per level).
inline constexpr std::size_t kInclusionProofHashesMax = 64;
/// Longest consistency proof for any 64-bit tree size.
inline constexpr std::size_t kConsistencyProofHashesMax = 65;

/// MTH({}) = SHA-256() (RFC 9162 §2.1.1): the root of the empty tree,
/// e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.
[[nodiscard]] const Hash& empty_root() noexcept;

/// Leaf hash MTH({d}) = SHA-256(0x00 || entry). Errors: kInternal (OpenSSL failure).
[[nodiscard]] core::Result<Hash> hash_leaf(crypto::ByteView entry);
[[nodiscard]] core::Result<Hash> hash_leaf(std::string_view entry);

/// Interior node hash SHA-256(0x01 || left || right). Errors: kInternal (OpenSSL failure).
[[nodiscard]] core::Result<Hash> hash_children(const Hash& left, const Hash& right);

/// A perfect subtree: the 2^level leaves [index << level, (index + 1) << level). Level 0 is a
/// leaf. Once the tree has grown past its last leaf, a perfect subtree's hash never changes,
/// which is what makes it cacheable by a store.
struct NodeId {
    std::uint8_t level = 0;
    std::uint64_t index = 0;

    friend bool operator==(const NodeId&, const NodeId&) = default;
};

/// A perfect subtree and its hash.
struct NodeHash {
    NodeId node;
    Hash hash{};
};

/// The compact form of a tree of any size: the roots of its perfect subtrees, one per set bit
/// of the size, largest (leftmost) first, i.e. O(log n) hashes (the "frontier" or compact range
/// [0, size) of transparency-dev/merkle). Appending a leaf and computing the root need nothing
/// else, so the log's head can live in memory or in one store record.
class CompactTree {
public:
    /// The empty tree.
    CompactTree() = default;

    /// A tree restored from a persisted size and frontier.
    /// Errors: kInvalidInput (frontier.size() is not the number of set bits of `size`).
    [[nodiscard]] static core::Result<CompactTree> from_frontier(std::uint64_t size,
                                                                 std::vector<Hash> frontier);

    /// Number of leaves.
    [[nodiscard]] std::uint64_t size() const noexcept { return size_; }

    /// Perfect subtree roots, largest first; frontier()[i] is node frontier_node(i).
    [[nodiscard]] std::span<const Hash> frontier() const noexcept { return frontier_; }

    /// Which perfect subtree frontier()[i] is. Precondition: i < frontier().size().
    [[nodiscard]] NodeId frontier_node(std::size_t i) const noexcept;

    /// Appends one leaf hash (hash_leaf() of the entry). When `completed` is not null, every
    /// perfect subtree of level >= 1 that this leaf completes is appended to it, lowest first
    /// (what a store caches for LeafHashSource::cached_subtree_hash()).
    /// Errors: kResourceExhausted (the tree holds 2^64 - 1 leaves), kInternal (OpenSSL).
    [[nodiscard]] core::Result<void> append(const Hash& leaf_hash,
                                            std::vector<NodeHash>* completed = nullptr);

    /// MTH of the current leaves (empty_root() for the empty tree). Errors: kInternal.
    [[nodiscard]] core::Result<Hash> root() const;

private:
    std::uint64_t size_ = 0;
    std::vector<Hash> frontier_;
};

/// Where proofs read the tree from: leaf hashes by index and, when the source keeps them,
/// hashes of perfect subtrees. A store implements it so that a proof over n leaves reads
/// O(log n) cached subtrees instead of n leaves. Implementations report storage failures as
/// errors (kUnavailable, kDataLoss, ...), which the proof functions pass on unchanged.
class LeafHashSource {
public:
    virtual ~LeafHashSource() = default;

    /// Leaves available: roots and proofs can be asked for any tree size up to this.
    [[nodiscard]] virtual std::uint64_t leaf_count() const = 0;

    /// Hash of leaf `index`; the callers guarantee index < leaf_count().
    [[nodiscard]] virtual core::Result<Hash> leaf_hash(std::uint64_t index) const = 0;

    /// Hash of the perfect subtree `node` if the source has it, std::nullopt if not (the caller
    /// then combines its two children). Asked only for level >= 1 nodes lying entirely below
    /// leaf_count(), so an append-only store can cache them forever. It is asked top-down, so a
    /// store that caches only some levels (e.g. every 8th) should answer the others cheaply.
    /// Default: caches nothing.
    [[nodiscard]] virtual core::Result<std::optional<Hash>> cached_subtree_hash(NodeId node) const;
};

/// An in-memory LeafHashSource: every leaf hash and, unless disabled, every completed perfect
/// subtree (about 2n hashes, 64 bytes per leaf). For tests, benchmarks and the offline verifier.
class MemoryTree final : public LeafHashSource {
public:
    /// `cache_subtrees`: keep perfect subtree hashes (fast proofs) or only leaves (every proof
    /// rehashes its subtrees from the leaves, O(n)).
    explicit MemoryTree(bool cache_subtrees = true) : cache_subtrees_(cache_subtrees) {}

    /// Appends a leaf hash. Errors: those of CompactTree::append().
    [[nodiscard]] core::Result<void> append(const Hash& leaf_hash);

    /// MTH of all leaves. Errors: kInternal.
    [[nodiscard]] core::Result<Hash> root() const { return compact_.root(); }

    [[nodiscard]] std::uint64_t leaf_count() const override { return compact_.size(); }

    [[nodiscard]] core::Result<Hash> leaf_hash(std::uint64_t index) const override;
    [[nodiscard]] core::Result<std::optional<Hash>> cached_subtree_hash(NodeId node) const override;

private:
    bool cache_subtrees_;
    CompactTree compact_;
    std::vector<std::vector<Hash>> levels_;  // levels_[0]: leaves; levels_[l][i]: NodeId{l, i}
};

/// MTH(D[0:tree_size]) read from `source`: the root the log had at `tree_size`.
/// Errors: kInvalidInput (tree_size > source.leaf_count()), the source's errors, kInternal.
[[nodiscard]] core::Result<Hash> root_at(const LeafHashSource& source, std::uint64_t tree_size);

/// RFC 9162 §2.1.3.1 PATH(leaf_index, D[0:tree_size]): the inclusion proof (audit path) of a
/// leaf, bottom-up. Errors: kInvalidInput (leaf_index >= tree_size, or tree_size >
/// source.leaf_count()), the source's errors, kInternal.
[[nodiscard]] core::Result<std::vector<Hash>> inclusion_proof(const LeafHashSource& source,
                                                              std::uint64_t leaf_index,
                                                              std::uint64_t tree_size);

/// RFC 9162 §2.1.4.1 PROOF(first_size, D[0:second_size]): the consistency proof between two
/// tree sizes; empty when first_size is 0 or equal to second_size.
/// Errors: kInvalidInput (first_size > second_size, or second_size > source.leaf_count()), the
/// source's errors, kInternal.
[[nodiscard]] core::Result<std::vector<Hash>> consistency_proof(const LeafHashSource& source,
                                                                std::uint64_t first_size,
                                                                std::uint64_t second_size);

/// The root an inclusion proof leads to (RFC 9162 §2.1.3.2 steps 1-4, then the check sn = 0).
/// Errors: kInvalidInput (leaf_index >= tree_size, or a proof longer than
/// kInclusionProofHashesMax), kDataLoss (proof length does not match the tree shape), kInternal.
[[nodiscard]] core::Result<Hash> root_from_inclusion_proof(std::uint64_t leaf_index,
                                                           std::uint64_t tree_size,
                                                           const Hash& leaf_hash,
                                                           std::span<const Hash> proof);

/// RFC 9162 §2.1.3.2: succeeds iff `proof` proves leaf `leaf_index` with hash `leaf_hash` is in
/// the tree of `tree_size` leaves whose root is `root`.
/// Errors: those of root_from_inclusion_proof(); kDataLoss when the computed root differs.
[[nodiscard]] core::Result<void> verify_inclusion(std::uint64_t leaf_index, std::uint64_t tree_size,
                                                  const Hash& leaf_hash,
                                                  std::span<const Hash> proof, const Hash& root);

/// RFC 9162 §2.1.4.2: succeeds iff `proof` proves the tree (first_size, first_root) is a prefix
/// of the tree (second_size, second_root). Equal sizes need an empty proof and equal roots;
/// first_size 0 needs an empty proof and first_root == empty_root().
/// Errors: kInvalidInput (first_size > second_size, or a proof longer than
/// kConsistencyProofHashesMax), kDataLoss (the proof does not verify), kInternal.
[[nodiscard]] core::Result<void> verify_consistency(std::uint64_t first_size,
                                                    std::uint64_t second_size,
                                                    const Hash& first_root, const Hash& second_root,
                                                    std::span<const Hash> proof);

}  // namespace facteur::archive
