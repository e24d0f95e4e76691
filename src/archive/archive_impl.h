#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/archive/archive.h"
#include "facteur/archive/checkpoint.h"
#include "facteur/archive/leaf.h"
#include "facteur/archive/merkle.h"
#include "facteur/archive/note.h"
#include "facteur/core/result.h"
#include "facteur/store/db.h"

// Private parts of Archive shared by its .cpp files: column families, key layout, stored
// records and the in-memory heads (docs/adr/0004-archive-storage.md, "Key layout").

namespace facteur::archive {

/// The column families, one per concern. Keys are documented beside each.
struct ColumnFamilies {
    store::ColumnFamily state;        ///< "default": format, origin, verifier, head, journal-head
    store::ColumnFamily originals;    ///< id -> original bytes (BlobDB)
    store::ColumnFamily meta;         ///< id -> metadata record (immutable)
    store::ColumnFamily status;       ///< id -> status record (hold, destruction)
    store::ColumnFamily leaves;       ///< be64(index) -> leaf entry
    store::ColumnFamily subtrees;     ///< subtree_key(node) -> 32-byte hash, level >= 1
    store::ColumnFamily checkpoints;  ///< be64(tree size) -> signed checkpoint note
    store::ColumnFamily by_seller_number;   ///< seller \0 number \0 year -> id (duplicates)
    store::ColumnFamily by_seller;          ///< seller \0 issue date \0 id -> ""
    store::ColumnFamily by_buyer;           ///< buyer \0 issue date \0 id -> ""
    store::ColumnFamily by_date;            ///< issue date \0 id -> ""
    store::ColumnFamily journal;            ///< be64(seq) -> journal record (hash-chained)
    store::ColumnFamily journal_by_object;  ///< id be64(seq) -> ""
    store::ColumnFamily timestamps;  ///< be64(tree size) -> RFC 3161 token (DER) of checkpoint
};

/// Names of the column families and the store options of the archive (originals in BlobDB).
[[nodiscard]] store::DbConfig archive_db_config(const ArchiveOptions& options);

/// The tail of the journal hash chain.
struct JournalHead {
    std::uint64_t next_seq = 0;
    Hash last_hash{};  ///< all zero before the first entry
};

/// The mutable lifecycle state of an object (absent record = no hold, not destroyed).
struct ObjectStatus {
    bool legal_hold = false;
    std::optional<std::int64_t> destroyed_at_unix_ms;
    std::string destruction_record;
};

/// Perfect subtrees of level 1 to kSubtreeTileLevels are stored by tile: all those under one
/// aligned block of 2^kSubtreeTileLevels leaves are adjacent in key order (one or two data
/// blocks), so the low half of an inclusion proof costs one or two reads instead of one per
/// level. Higher levels are few (one per 128 leaves) and are also kept in memory.
inline constexpr std::uint8_t kSubtreeTileLevels = 7;

/// The hashes of the perfect subtrees of level > kSubtreeTileLevels, in memory: loaded at open,
/// then added as committed deposits complete them (or as proofs read them from the store). They
/// complete in index order, so each level is a dense vector that only grows (32 bytes per 128
/// leaves and level: about 256 KiB at 10^6 leaves). Thread-safe. The store stays the reference:
/// scrub compares it, not this copy.
class UpperSubtrees {
public:
    /// The hash of `node` if it is held.
    [[nodiscard]] std::optional<Hash> find(NodeId node) const;
    /// Holds `hash` when `node` is the next one of its level (otherwise nothing happens: the
    /// caller reads it from the store again next time). Precondition: the hash is the stored one.
    void remember(NodeId node, const Hash& hash);
    /// How many hashes are held.
    [[nodiscard]] std::size_t size() const;

private:
    mutable std::shared_mutex mu_;
    std::vector<std::vector<Hash>> levels_;  // [level - kSubtreeTileLevels - 1][index]
};

/// The latest signed checkpoint, also kept outside the database in this file of the archive
/// directory (written durably after each checkpoint commits): on open, a log shorter than it
/// or with another root means the database lost or rolled back synced writes (a deleted
/// write-ahead log, restored old files), which RocksDB alone cannot see.
inline constexpr std::string_view kCheckpointFile = "latest-checkpoint.txt";

struct Archive::Impl {
    std::filesystem::path dir;  // the archive directory
    std::unique_ptr<store::Db> db;
    ColumnFamilies cf;
    std::optional<NoteSigner> signer;
    std::optional<NoteVerifier> verifier;

    std::mutex commit_mu;  // serializes every write; guards tree and journal
    CompactTree tree;
    JournalHead journal;

    std::mutex stamp_mu;  // one stamp_pending() at a time (held during TSA calls, never
                          // together with commit_mu)

    mutable std::mutex checkpoint_mu;  // guards the three fields below
    std::string checkpoint_note;
    Checkpoint checkpoint;  // checkpoint_note parsed (verified at open or signed by us)
    std::uint64_t checkpoint_size = 0;
    std::int64_t checkpoint_at_unix_ms = 0;

    mutable UpperSubtrees upper_subtrees;  // read and filled by StoreTree, loaded by open
};

/// The pieces of the state CF.
inline constexpr std::string_view kStateFormat = "format";
inline constexpr std::string_view kStateOrigin = "origin";
inline constexpr std::string_view kStateVerifier = "verifier";
inline constexpr std::string_view kStateHead = "head";
/// Format 2: subtree hashes keyed by tile (subtree_key()). Format 1 (one key range per level)
/// was only ever written by development builds before 2026-11-24; it is refused.
inline constexpr std::string_view kFormatV2 = "facteur-archive/2";
/// State keys "tsa-cert/<sha256 hex of the PEM>" -> PEM: every TSA certificate whose tokens the
/// archive stored (the anchors scrub verifies them against).
inline constexpr std::string_view kStateTsaCertPrefix = "tsa-cert/";
inline constexpr std::string_view kHashAlgorithm = "sha-256";

// ---- keys (records.cpp)
/// Level 1..kSubtreeTileLevels: 0x00 be64(tile = index >> (kSubtreeTileLevels - level)) u8(level)
/// u8(offset in the tile); higher levels: u8(level) be64(index). Precondition: level >= 1.
[[nodiscard]] std::string subtree_key(NodeId node);
[[nodiscard]] std::string seller_number_key(const InvoiceMetadata& invoice);
[[nodiscard]] std::string date_index_key(std::string_view party, std::string_view date,
                                         std::string_view id);

// ---- records (records.cpp)
[[nodiscard]] std::string encode_meta(const ObjectMeta& meta);
[[nodiscard]] core::Result<ObjectMeta> decode_meta(std::string_view bytes);
[[nodiscard]] std::string encode_status(const ObjectStatus& status);
[[nodiscard]] core::Result<ObjectStatus> decode_status(std::string_view bytes);
[[nodiscard]] std::string encode_journal(const JournalEntry& entry);
[[nodiscard]] core::Result<JournalEntry> decode_journal(std::string_view bytes);
[[nodiscard]] std::string encode_head(const CompactTree& tree, const JournalHead& journal);
[[nodiscard]] core::Result<std::pair<CompactTree, JournalHead>> decode_head(std::string_view bytes);

// ---- validation and time (records.cpp)
[[nodiscard]] core::Result<void> check_request(const DepositRequest& request,
                                               const ArchiveOptions& options);
[[nodiscard]] core::Result<void> check_filter(const ListFilter& filter);
[[nodiscard]] core::Result<void> check_id(std::string_view id);
[[nodiscard]] bool is_siren(std::string_view text) noexcept;
/// `unix_ms` plus `years` calendar years (29 February -> 28 February), UTC.
[[nodiscard]] std::int64_t add_years_unix_ms(std::int64_t unix_ms, std::uint32_t years);
/// Object id: hex of SHA-256("facteur/archive/id/v1\n" origin "\n" index "\n" content hash)[:16].
[[nodiscard]] core::Result<std::string> make_object_id(std::string_view origin, std::uint64_t index,
                                                       const Hash& content);

// ---- the log read from the store (archive.cpp)

/// A LeafHashSource over the leaves and subtrees column families, frozen at `leaf_count`
/// leaves (committed leaves never change, so no snapshot is needed).
class StoreTree final : public LeafHashSource {
public:
    StoreTree(const Archive::Impl& impl, std::uint64_t leaf_count) noexcept
        : impl_(impl), leaf_count_(leaf_count) {}

    [[nodiscard]] std::uint64_t leaf_count() const override { return leaf_count_; }

    [[nodiscard]] core::Result<Hash> leaf_hash(std::uint64_t index) const override;
    [[nodiscard]] core::Result<std::optional<Hash>> cached_subtree_hash(NodeId node) const override;

    /// The hash stored for `node` in the subtrees column family, never the in-memory copy.
    /// Errors: kDataLoss (not 32 bytes), kUnavailable.
    [[nodiscard]] core::Result<std::optional<Hash>> stored_subtree_hash(NodeId node) const;

private:
    const Archive::Impl& impl_;
    std::uint64_t leaf_count_;
};

/// Called by replay_leaves() after each leaf: its index and entry, the tree including it, and
/// the perfect subtrees it completed.
using LeafVisitor = std::function<core::Result<void>(std::uint64_t index, std::string_view entry,
                                                     const CompactTree& tree,
                                                     const std::vector<NodeHash>& completed)>;

/// Rehashes the first `size` leaves in index order into a fresh tree.
/// Errors: kDataLoss (a missing leaf), those of `visit`, kUnavailable.
[[nodiscard]] core::Result<CompactTree> replay_leaves(const Archive::Impl& impl, std::uint64_t size,
                                                      const LeafVisitor& visit);

// ---- shared operations (archive.cpp)

/// Appends a journal entry to `batch`, advancing `head` (the caller commits or discards both).
[[nodiscard]] core::Result<void> stage_journal(const ColumnFamilies& cf, store::WriteBatch& batch,
                                               JournalHead& head, std::int64_t at_unix_ms,
                                               std::string_view id, JournalAction action,
                                               std::string_view actor, std::string_view detail);

/// The stored metadata of `id` with its status, checked against its leaf.
/// Errors: kNotFound, kDataLoss, kUnavailable.
[[nodiscard]] core::Result<ObjectMeta> load_meta(const Archive::Impl& impl, std::string_view id);

/// The leaf entry at `index`. Errors: kDataLoss (missing), kUnavailable.
[[nodiscard]] core::Result<std::string> load_leaf(const Archive::Impl& impl, std::uint64_t index);

/// Puts the head record (tree and journal heads) into `batch`, writes it synced and, on
/// success, makes `tree` and `journal` the archive's. Precondition: impl.commit_mu is held.
[[nodiscard]] core::Result<void> commit_batch(
    Archive::Impl& impl, store::WriteBatch& batch, const CompactTree& tree,
    const JournalHead& journal, store::Durability durability = store::Durability::kSynced);

/// A checkpoint and its signed note.
struct SignedCheckpoint {
    Checkpoint checkpoint;
    std::string note;
};

/// The signed checkpoint of `tree`. Errors: kInternal.
[[nodiscard]] core::Result<SignedCheckpoint> sign_tree(const Archive::Impl& impl,
                                                       std::string_view origin,
                                                       const CompactTree& tree);

/// Writes `text` to `path` durably: a temporary file written and fsynced, renamed into place,
/// then the directory fsynced. Errors: kUnavailable (I/O).
[[nodiscard]] core::Result<void> write_file_durably(const std::filesystem::path& path,
                                                    std::string_view text);

/// Makes `signed_checkpoint` the latest (under checkpoint_mu) and writes it to kCheckpointFile
/// (a failure there is reported on stderr and repaired by the next checkpoint: the checkpoint
/// itself is already committed in the database).
void set_latest_checkpoint(Archive::Impl& impl, SignedCheckpoint signed_checkpoint,
                           std::int64_t at_unix_ms);

/// The PEM certificates of every TSA whose tokens were stored (timestamps.cpp).
/// Errors: kDataLoss, kUnavailable.
[[nodiscard]] core::Result<std::vector<std::string>> tsa_certificates(const Archive::Impl& impl);

/// Journals one access per id in one synced write (get, meta, proof, list).
[[nodiscard]] core::Result<void> journal_accesses(Archive::Impl& impl, std::int64_t at_unix_ms,
                                                  const std::vector<std::string>& ids,
                                                  JournalAction action, std::string_view actor,
                                                  store::Durability durability);

}  // namespace facteur::archive
