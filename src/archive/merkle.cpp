#include "facteur/archive/merkle.h"

#include <algorithm>
#include <bit>
#include <optional>
#include <string>
#include <utility>

#include "facteur/core/assert.h"

#include "node_hasher.h"

namespace facteur::archive {

namespace detail {

// RFC 9162 §2.1.1: domain separation between leaves and interior nodes (second preimage
// resistance: a leaf can never be read as a node).
constexpr std::uint8_t kLeafPrefix = 0x00;
constexpr std::uint8_t kNodePrefix = 0x01;

core::Result<Hash> NodeHasher::leaf(crypto::ByteView entry) {
    const std::uint8_t prefix[1] = {kLeafPrefix};
    FACTEUR_TRY(hasher_.update(crypto::ByteView(prefix)));
    FACTEUR_TRY(hasher_.update(entry));
    return hasher_.finish();
}

core::Result<Hash> NodeHasher::children(const Hash& left, const Hash& right) {
    const std::uint8_t prefix[1] = {kNodePrefix};
    FACTEUR_TRY(hasher_.update(crypto::ByteView(prefix)));
    FACTEUR_TRY(hasher_.update(crypto::ByteView(left)));
    FACTEUR_TRY(hasher_.update(crypto::ByteView(right)));
    return hasher_.finish();
}

core::Result<NodeHasher*> thread_hasher() {
    thread_local std::optional<NodeHasher> hasher;
    if (!hasher) {
        FACTEUR_TRY_ASSIGN(crypto::Sha256Hasher sha, crypto::Sha256Hasher::create());
        hasher.emplace(std::move(sha));
    }
    return &*hasher;
}

}  // namespace detail

namespace {

using core::Errc;
using detail::NodeHasher;

// SHA-256 of the empty string (FIPS 180-4 test value), checked against OpenSSL by the tests.
constexpr Hash kEmptyRoot = {0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4,
                             0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b,
                             0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55};

tl::unexpected<core::Error> proof_error(Errc code, std::string message) {
    return core::fail(code, "MERKLE-PROOF", std::move(message), {});
}

/// The largest power of two strictly smaller than n (RFC 9162 §2.1.1 "k"). Precondition: n > 1.
std::uint64_t split_point(std::uint64_t n) noexcept {
    return std::bit_floor(n - 1);
}

/// Reads hashes from a source, computing what it does not cache.
class TreeReader {
public:
    TreeReader(const LeafHashSource& source, NodeHasher& hasher) noexcept
        : source_(source), hasher_(hasher) {}

    /// MTH(D[begin:end]). Precondition: begin < end <= source leaf count.
    core::Result<Hash> range_root(std::uint64_t begin, std::uint64_t end) {
        const std::uint64_t n = end - begin;
        if (std::has_single_bit(n) && begin % n == 0) {
            const auto level = static_cast<std::uint8_t>(std::countr_zero(n));
            return node_hash(NodeId{level, begin >> level});
        }
        // Not a perfect aligned subtree: split as MTH does (RFC 9162 §2.1.1).
        const std::uint64_t k = split_point(n);
        FACTEUR_TRY_ASSIGN(const Hash left, range_root(begin, begin + k));
        FACTEUR_TRY_ASSIGN(const Hash right, range_root(begin + k, end));
        return hasher_.children(left, right);
    }

private:
    core::Result<Hash> node_hash(NodeId node) {
        if (node.level == 0) {
            return source_.leaf_hash(node.index);
        }
        FACTEUR_TRY_ASSIGN(const std::optional<Hash> cached, source_.cached_subtree_hash(node));
        if (cached) {
            return *cached;
        }
        const auto child_level = static_cast<std::uint8_t>(node.level - 1);
        FACTEUR_TRY_ASSIGN(const Hash left, node_hash(NodeId{child_level, node.index * 2}));
        FACTEUR_TRY_ASSIGN(const Hash right, node_hash(NodeId{child_level, node.index * 2 + 1}));
        return hasher_.children(left, right);
    }

    const LeafHashSource& source_;
    NodeHasher& hasher_;
};

core::Result<void> check_tree_size(const LeafHashSource& source, std::uint64_t tree_size) {
    if (tree_size > source.leaf_count()) {
        return proof_error(Errc::kInvalidInput,
                           "tree size " + std::to_string(tree_size) + " exceeds the "
                               + std::to_string(source.leaf_count()) + " leaves of the log");
    }
    return {};
}

}  // namespace

const Hash& empty_root() noexcept {
    return kEmptyRoot;
}

core::Result<Hash> hash_leaf(crypto::ByteView entry) {
    FACTEUR_TRY_ASSIGN(NodeHasher* const hasher, detail::thread_hasher());
    return hasher->leaf(entry);
}

core::Result<Hash> hash_leaf(std::string_view entry) {
    return hash_leaf(crypto::as_bytes(entry));
}

core::Result<Hash> hash_children(const Hash& left, const Hash& right) {
    FACTEUR_TRY_ASSIGN(NodeHasher* const hasher, detail::thread_hasher());
    return hasher->children(left, right);
}

// ---------------------------------------------------------------------------------------------
// CompactTree

core::Result<CompactTree> CompactTree::from_frontier(std::uint64_t size,
                                                     std::vector<Hash> frontier) {
    if (frontier.size() != static_cast<std::size_t>(std::popcount(size))) {
        return core::fail(Errc::kInvalidInput, "MERKLE-FRONTIER",
                          "a tree of " + std::to_string(size) + " leaves has "
                              + std::to_string(std::popcount(size)) + " frontier hashes, not "
                              + std::to_string(frontier.size()),
                          {});
    }
    CompactTree tree;
    tree.size_ = size;
    tree.frontier_ = std::move(frontier);
    return tree;
}

NodeId CompactTree::frontier_node(std::size_t i) const noexcept {
    FACTEUR_ASSERT(i < frontier_.size(), "frontier index out of range");
    // The i-th set bit of size_ from the top is the level of frontier_[i]; the node starts after
    // the leaves of the larger subtrees before it.
    std::uint64_t rest = size_;
    std::uint64_t begin = 0;
    for (std::size_t j = 0;; ++j) {
        const auto level = static_cast<std::uint8_t>(63 - std::countl_zero(rest));
        if (j == i) {
            return NodeId{level, begin >> level};
        }
        begin += std::uint64_t{1} << level;
        rest &= ~(std::uint64_t{1} << level);
    }
}

core::Result<void> CompactTree::append(const Hash& leaf_hash, std::vector<NodeHash>* completed) {
    if (size_ == UINT64_MAX) {
        return core::fail(Errc::kResourceExhausted, "MERKLE-FULL", "the tree is full", {});
    }
    FACTEUR_TRY_ASSIGN(NodeHasher* const hasher, detail::thread_hasher());
    // Binary increment: each trailing 1 bit of size_ is a perfect subtree of that level on the
    // frontier that the new leaf's subtree now completes into one twice as large.
    Hash hash = leaf_hash;
    std::uint64_t index = size_;
    std::uint8_t level = 0;
    for (std::uint64_t bits = size_; (bits & 1) != 0; bits >>= 1) {
        FACTEUR_ASSERT(!frontier_.empty(), "frontier holds one hash per set bit of the size");
        FACTEUR_TRY_ASSIGN(hash, hasher->children(frontier_.back(), hash));
        frontier_.pop_back();
        ++level;
        index >>= 1;
        if (completed != nullptr) {
            completed->push_back(NodeHash{NodeId{level, index}, hash});
        }
    }
    frontier_.push_back(hash);
    ++size_;
    return {};
}

core::Result<Hash> CompactTree::root() const {
    if (frontier_.empty()) {
        return kEmptyRoot;
    }
    FACTEUR_TRY_ASSIGN(NodeHasher* const hasher, detail::thread_hasher());
    // MTH splits at the largest power of two below n, which is the leftmost frontier subtree;
    // folding from the right rebuilds exactly that nesting.
    Hash root = frontier_.back();
    for (std::size_t i = frontier_.size() - 1; i-- > 0;) {
        FACTEUR_TRY_ASSIGN(root, hasher->children(frontier_[i], root));
    }
    return root;
}

// ---------------------------------------------------------------------------------------------
// Sources

core::Result<std::optional<Hash>> LeafHashSource::cached_subtree_hash(NodeId /*node*/) const {
    return std::optional<Hash>{};
}

core::Result<void> MemoryTree::append(const Hash& leaf_hash) {
    std::vector<NodeHash> completed;
    FACTEUR_TRY(compact_.append(leaf_hash, cache_subtrees_ ? &completed : nullptr));
    if (levels_.empty()) {
        levels_.emplace_back();
    }
    levels_[0].push_back(leaf_hash);
    for (const NodeHash& node : completed) {
        if (levels_.size() <= node.node.level) {
            levels_.emplace_back();
        }
        FACTEUR_ASSERT(levels_[node.node.level].size() == node.node.index,
                       "perfect subtrees complete in index order");
        levels_[node.node.level].push_back(node.hash);
    }
    return {};
}

core::Result<Hash> MemoryTree::leaf_hash(std::uint64_t index) const {
    if (levels_.empty() || index >= levels_[0].size()) {
        return core::fail(Errc::kNotFound, "no leaf " + std::to_string(index));
    }
    return levels_[0][index];
}

core::Result<std::optional<Hash>> MemoryTree::cached_subtree_hash(NodeId node) const {
    if (node.level >= levels_.size() || node.index >= levels_[node.level].size()) {
        return std::optional<Hash>{};
    }
    return std::optional<Hash>{levels_[node.level][node.index]};
}

// ---------------------------------------------------------------------------------------------
// Proof generation (RFC 9162 §2.1.3.1, §2.1.4.1)

core::Result<Hash> root_at(const LeafHashSource& source, std::uint64_t tree_size) {
    FACTEUR_TRY(check_tree_size(source, tree_size));
    if (tree_size == 0) {
        return kEmptyRoot;
    }
    FACTEUR_TRY_ASSIGN(NodeHasher* const hasher, detail::thread_hasher());
    TreeReader reader(source, *hasher);
    return reader.range_root(0, tree_size);
}

core::Result<std::vector<Hash>> inclusion_proof(const LeafHashSource& source,
                                                std::uint64_t leaf_index, std::uint64_t tree_size) {
    if (leaf_index >= tree_size) {
        return proof_error(Errc::kInvalidInput, "leaf index " + std::to_string(leaf_index)
                                                    + " not below tree size "
                                                    + std::to_string(tree_size));
    }
    FACTEUR_TRY(check_tree_size(source, tree_size));
    FACTEUR_TRY_ASSIGN(NodeHasher* const hasher, detail::thread_hasher());
    TreeReader reader(source, *hasher);
    // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) if m < k, else PATH(m - k, D[k:n]) :
    // MTH(D[0:k]). Walked top-down, so the siblings come out in reverse order.
    std::vector<Hash> path;
    std::uint64_t begin = 0;
    std::uint64_t end = tree_size;
    while (end - begin > 1) {
        const std::uint64_t k = split_point(end - begin);
        if (leaf_index < begin + k) {
            FACTEUR_TRY_ASSIGN(const Hash sibling, reader.range_root(begin + k, end));
            path.push_back(sibling);
            end = begin + k;
        } else {
            FACTEUR_TRY_ASSIGN(const Hash sibling, reader.range_root(begin, begin + k));
            path.push_back(sibling);
            begin += k;
        }
    }
    std::reverse(path.begin(), path.end());
    return path;
}

core::Result<std::vector<Hash>> consistency_proof(const LeafHashSource& source,
                                                  std::uint64_t first_size,
                                                  std::uint64_t second_size) {
    if (first_size > second_size) {
        return proof_error(Errc::kInvalidInput, "first tree size " + std::to_string(first_size)
                                                    + " exceeds second tree size "
                                                    + std::to_string(second_size));
    }
    FACTEUR_TRY(check_tree_size(source, second_size));
    std::vector<Hash> proof;
    if (first_size == 0 || first_size == second_size) {
        return proof;
    }
    FACTEUR_TRY_ASSIGN(NodeHasher* const hasher, detail::thread_hasher());
    TreeReader reader(source, *hasher);
    // SUBPROOF(m, D[n], b): walked top-down over the range [begin, end) holding leaf m - 1's
    // boundary; `complete` is b, true while the range is a prefix of the old tree's nesting.
    std::uint64_t begin = 0;
    std::uint64_t end = second_size;
    bool complete = true;
    while (first_size != end) {
        const std::uint64_t k = split_point(end - begin);
        if (first_size <= begin + k) {
            FACTEUR_TRY_ASSIGN(const Hash right, reader.range_root(begin + k, end));
            proof.push_back(right);
            end = begin + k;
        } else {
            FACTEUR_TRY_ASSIGN(const Hash left, reader.range_root(begin, begin + k));
            proof.push_back(left);
            begin += k;
            complete = false;
        }
    }
    // SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b true the verifier knows it already.
    if (!complete) {
        FACTEUR_TRY_ASSIGN(const Hash old_subtree, reader.range_root(begin, end));
        proof.push_back(old_subtree);
    }
    std::reverse(proof.begin(), proof.end());
    return proof;
}

// ---------------------------------------------------------------------------------------------
// Verification (RFC 9162 §2.1.3.2, §2.1.4.2), step for step

core::Result<Hash> root_from_inclusion_proof(std::uint64_t leaf_index, std::uint64_t tree_size,
                                             const Hash& leaf_hash, std::span<const Hash> proof) {
    // Step 1.
    if (leaf_index >= tree_size) {
        return proof_error(Errc::kInvalidInput, "leaf index " + std::to_string(leaf_index)
                                                    + " not below tree size "
                                                    + std::to_string(tree_size));
    }
    if (proof.size() > kInclusionProofHashesMax) {
        return proof_error(Errc::kInvalidInput,
                           "inclusion proof of " + std::to_string(proof.size()) + " hashes");
    }
    FACTEUR_TRY_ASSIGN(NodeHasher* const hasher, detail::thread_hasher());
    std::uint64_t fn = leaf_index;     // step 2
    std::uint64_t sn = tree_size - 1;  // step 2
    Hash r = leaf_hash;                // step 3
    for (const Hash& p : proof) {      // step 4
        if (sn == 0) {                 // 4a
            return proof_error(Errc::kDataLoss, "inclusion proof longer than the audit path");
        }
        if ((fn & 1) != 0 || fn == sn) {  // 4b
            FACTEUR_TRY_ASSIGN(r, hasher->children(p, r));
            if ((fn & 1) == 0) {
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            FACTEUR_TRY_ASSIGN(r, hasher->children(r, p));
        }
        fn >>= 1;  // 4c
        sn >>= 1;
    }
    if (sn != 0) {  // step 5, first half
        return proof_error(Errc::kDataLoss, "inclusion proof shorter than the audit path");
    }
    return r;
}

core::Result<void> verify_inclusion(std::uint64_t leaf_index, std::uint64_t tree_size,
                                    const Hash& leaf_hash, std::span<const Hash> proof,
                                    const Hash& root) {
    FACTEUR_TRY_ASSIGN(const Hash computed,
                       root_from_inclusion_proof(leaf_index, tree_size, leaf_hash, proof));
    if (computed != root) {  // step 5, second half
        return proof_error(Errc::kDataLoss, "inclusion proof leads to another root");
    }
    return {};
}

namespace {

core::Result<void> verify_trivial_consistency(std::uint64_t first_size, std::uint64_t second_size,
                                              const Hash& first_root, const Hash& second_root,
                                              std::span<const Hash> proof) {
    if (!proof.empty()) {
        return proof_error(Errc::kDataLoss, "consistency proof must be empty for sizes "
                                                + std::to_string(first_size) + " and "
                                                + std::to_string(second_size));
    }
    if (first_size == 0 && first_root != kEmptyRoot) {
        return proof_error(Errc::kDataLoss, "root of the empty tree is not SHA-256()");
    }
    if (first_size == second_size && first_root != second_root) {
        return proof_error(Errc::kDataLoss, "two roots for the same tree size");
    }
    return {};
}

}  // namespace

core::Result<void> verify_consistency(std::uint64_t first_size, std::uint64_t second_size,
                                      const Hash& first_root, const Hash& second_root,
                                      std::span<const Hash> proof) {
    if (first_size > second_size) {
        return proof_error(Errc::kInvalidInput, "first tree size " + std::to_string(first_size)
                                                    + " exceeds second tree size "
                                                    + std::to_string(second_size));
    }
    if (proof.size() > kConsistencyProofHashesMax) {
        return proof_error(Errc::kInvalidInput,
                           "consistency proof of " + std::to_string(proof.size()) + " hashes");
    }
    if (first_size == 0 || first_size == second_size) {
        return verify_trivial_consistency(first_size, second_size, first_root, second_root, proof);
    }
    if (proof.empty()) {  // step 1
        return proof_error(Errc::kDataLoss, "empty consistency proof");
    }
    FACTEUR_TRY_ASSIGN(NodeHasher* const hasher, detail::thread_hasher());
    // Step 2: for a power-of-two first size the proof omits MTH(D[0:first]), known as first_root.
    const bool prepend = std::has_single_bit(first_size);
    const auto path = [&](std::size_t i) -> const Hash& {
        return prepend ? (i == 0 ? first_root : proof[i - 1]) : proof[i];
    };
    const std::size_t path_size = proof.size() + (prepend ? 1 : 0);
    std::uint64_t fn = first_size - 1;  // step 3
    std::uint64_t sn = second_size - 1;
    while ((fn & 1) != 0) {  // step 4
        fn >>= 1;
        sn >>= 1;
    }
    Hash fr = path(0);  // step 5
    Hash sr = path(0);
    for (std::size_t i = 1; i < path_size; ++i) {  // step 6
        const Hash& c = path(i);
        if (sn == 0) {  // 6a
            return proof_error(Errc::kDataLoss, "consistency proof longer than needed");
        }
        if ((fn & 1) != 0 || fn == sn) {  // 6b
            FACTEUR_TRY_ASSIGN(fr, hasher->children(c, fr));
            FACTEUR_TRY_ASSIGN(sr, hasher->children(c, sr));
            if ((fn & 1) == 0) {
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            FACTEUR_TRY_ASSIGN(sr, hasher->children(sr, c));
        }
        fn >>= 1;  // 6c
        sn >>= 1;
    }
    // Step 7.
    if (sn != 0) {
        return proof_error(Errc::kDataLoss, "consistency proof shorter than needed");
    }
    if (fr != first_root) {
        return proof_error(Errc::kDataLoss, "consistency proof does not lead to the first root");
    }
    if (sr != second_root) {
        return proof_error(Errc::kDataLoss, "consistency proof does not lead to the second root");
    }
    return {};
}

}  // namespace facteur::archive
