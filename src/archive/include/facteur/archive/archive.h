#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/archive/merkle.h"
#include "facteur/archive/note.h"
#include "facteur/core/clock.h"
#include "facteur/core/result.h"
#include "facteur/store/db.h"

// The evidence archive (docs/adr/0004-archive-storage.md): originals stored byte for byte with
// their NF Z42-020 metadata and a leaf in an RFC 9162 Merkle log, all in one synced RocksDB
// write before a receipt is returned; C2SP checkpoints signed with Ed25519; an append-only,
// hash-chained journal of every operation and access; legal hold; destruction only after the
// retention period, leaving the leaf (proofs keep verifying) and a signed destruction record.
// There is no API that overwrites or deletes inside retention.

namespace facteur::archive {

/// Obtains RFC 3161 time-stamp tokens (DER TimeStampToken) over SHA-256 digests from a
/// time-stamping authority: the archive stamps the SHA-256 of each signed checkpoint note.
/// Implementations: LocalTsaTimestamper (facteur's local, non-qualified test TSA, in process)
/// and, in the tsa module, an RFC 3161 HTTP client. stamp() may block on the network: the
/// archive calls it only from stamp_pending(), never from deposit() nor with a write lock held.
class Timestamper {
public:
    virtual ~Timestamper() = default;

    /// A token over `digest`. Errors: kUnavailable (the TSA cannot be reached or cannot answer
    /// now: the checkpoint stays pending), others for a wrong answer.
    [[nodiscard]] virtual core::Result<std::string> stamp(const Hash& digest) const = 0;

    /// The TSA's certificate (PEM): the trust anchor its tokens are verified against.
    [[nodiscard]] virtual const std::string& certificate_pem() const = 0;

    /// Whether the tokens come from facteur's local test TSA: NOT QUALIFIED, and every output
    /// that shows them must say so.
    [[nodiscard]] virtual bool local_test_tsa() const = 0;
};

/// Options of Archive::open().
struct ArchiveOptions {
    /// Log origin (C2SP checkpoint first line) and signing key name; fixed at creation.
    /// Default: "facteur.localhost/archive".
    std::string origin = "facteur.localhost/archive";
    /// Sign a checkpoint once this many leaves were added since the last one. Default: 1000.
    std::uint64_t checkpoint_every_deposits = 1000;
    /// Sign a checkpoint when a deposit (or maybe_checkpoint()) comes this long after the last
    /// checkpoint and leaves were added since. Default: 60 000 ms.
    std::int64_t checkpoint_interval_ms = 60'000;
    /// Retention period from the deposit, in calendar years (French Commercial Code
    /// L123-22: 10 years). Default: 10.
    std::uint32_t retention_years = 10;
    /// Largest original accepted. Default: 64 MiB.
    std::size_t document_bytes_max = 64ULL * 1024 * 1024;
    /// Largest verdict JSON accepted. Default: 1 MiB.
    std::size_t verdict_bytes_max = 1024 * 1024;
    /// Most deposits committed by one synced write (group commit). Default: 256.
    std::size_t group_commit_deposits_max = 256;
    /// Most original bytes in one synced write (a group stops before exceeding it, but always
    /// takes at least one deposit). Default: 64 MiB.
    std::size_t group_commit_bytes_max = 64ULL * 1024 * 1024;
    /// Most results of list() and journal(). Default: 10 000.
    std::size_t results_max = 10'000;
    /// Most problems scrub() reports (it counts all of them). Default: 1000.
    std::size_t scrub_problems_max = 1000;
    /// Most missing ranges gaps() reports per seller. Default: 10 000.
    std::size_t gap_ranges_max = 10'000;
    /// On open, rehash every leaf and compare the root with the latest signed checkpoint (O(n)
    /// reads, ~1 s per million leaves); when false only the persisted frontier is compared.
    /// Default: true.
    bool verify_leaves_on_open = true;
    /// Journal reads (get, meta, proof, list) with a synced write before answering; when
    /// false the access entry is written to the OS (it survives a process crash, not a power
    /// loss) and the read costs no fsync. Deposits, holds and destructions are always synced.
    /// Default: true.
    bool sync_access_journal = true;
    /// WAL replay mode. Default: kAbsoluteConsistency (see the ADR); an operator's recovery
    /// run may pass kTolerateCorruptedTailRecords.
    store::WalRecovery wal_recovery = store::WalRecovery::kAbsoluteConsistency;
    /// The TSA that stamps checkpoints (stamp_pending()). Default: none (checkpoints stay
    /// unstamped; scrub counts them as pending).
    std::shared_ptr<const Timestamper> timestamper;
    /// Most checkpoints stamped by one stamp_pending() call (oldest first). Default: 100.
    std::size_t timestamps_per_call_max = 100;
    /// Originals at least this large go to BlobDB blob files. Default: 4 KiB.
    std::uint64_t originals_min_blob_size_bytes = 4 * 1024;
    /// For tests only: the store's file-system operations go through this injector
    /// (store::DbConfig::fault_injector, facteur/store/fault_injection.h). Default: null.
    std::shared_ptr<store::FaultInjector> fault_injector;
};

/// Invoice metadata stored with an original (from the validated model; the archive checks only
/// their shape). Amounts are decimal texts ("1234.50"), never floating point.
struct InvoiceMetadata {
    std::string seller_siren;       ///< BT-30 seller SIREN: 9 digits; required
    std::string buyer_siren;        ///< BT-47 buyer SIREN: 9 digits, or empty (foreign buyer)
    std::string number;             ///< BT-1 invoice number; required, 1-200 chars, no control
    std::string issue_date;         ///< BT-2 issue date, YYYY-MM-DD; required
    std::string type_code;          ///< BT-3 invoice type code, e.g. "380"
    std::string currency;           ///< BT-5 invoice currency code, e.g. "EUR"
    std::string total_without_vat;  ///< BT-109 decimal text, or empty
    std::string total_vat;          ///< BT-110 decimal text, or empty
    std::string total_with_vat;     ///< BT-112 decimal text, or empty
    std::string syntax;             ///< "UBL", "CII", "Factur-X", ...
    std::string profile;            ///< BT-24 specification identifier

    friend bool operator==(const InvoiceMetadata&, const InvoiceMetadata&) = default;
};

/// What deposit() archives.
struct DepositRequest {
    std::string bytes;         ///< the original, stored exactly
    std::string tenant;        ///< depositor; 1-128 printable ASCII characters
    InvoiceMetadata invoice;   ///< metadata
    std::string verdict_json;  ///< validation verdict with the rule-set versions (opaque JSON)
};

enum class DepositStatus : std::uint8_t {
    kDeposited,  ///< newly archived
    kDuplicate,  ///< identical bytes already archived under the same seller, BT-1 and year
};

/// Proof of a deposit. For a duplicate, the receipt of the first deposit.
struct Receipt {
    std::string id;                         ///< object id (32 hex digits)
    std::uint64_t leaf_index = 0;           ///< position in the log
    Hash sha256{};                          ///< SHA-256 of the original
    std::uint64_t size_bytes = 0;           ///< size of the original
    std::int64_t deposited_at_unix_ms = 0;  ///< deposit time
    std::int64_t retain_until_unix_ms = 0;  ///< end of retention
    std::string leaf_entry;                 ///< canonical leaf entry (leaf.h)
    DepositStatus status = DepositStatus::kDeposited;
};

/// Everything stored about an object (NF Z42-020 metadata set and its lifecycle state).
struct ObjectMeta {
    std::string id;
    std::uint64_t leaf_index = 0;
    std::string tenant;
    std::int64_t deposited_at_unix_ms = 0;
    std::uint64_t size_bytes = 0;
    std::string hash_algorithm;  ///< "sha-256"
    Hash sha256{};
    std::int64_t retain_until_unix_ms = 0;
    InvoiceMetadata invoice;
    std::string verdict_json;
    bool legal_hold = false;
    std::optional<std::int64_t> destroyed_at_unix_ms;  ///< set once the original is destroyed
    std::string destruction_record;                    ///< signed note, when destroyed
};

/// An inclusion proof of an object's leaf in the log at a signed checkpoint. Verify with
/// open_checkpoint(checkpoint) then verify_inclusion(leaf_index, tree_size,
/// hash_leaf(leaf_entry), hashes, root).
struct InclusionProof {
    std::string id;
    std::uint64_t leaf_index = 0;
    std::string leaf_entry;
    std::uint64_t tree_size = 0;
    std::vector<Hash> hashes;  ///< RFC 9162 audit path, bottom-up
    std::string checkpoint;    ///< the signed checkpoint note of tree_size
    /// The RFC 3161 token (DER) over SHA-256(checkpoint), empty while the checkpoint waits for
    /// its timestamp (stamp_pending()).
    std::string timestamp_token;
};

/// What one stamp_pending() call did.
struct TimestampRun {
    std::uint64_t stamped = 0;  ///< checkpoints stamped by this call
    std::uint64_t pending = 0;  ///< checkpoints still without a token after it
    /// Why stamping stopped early (TSA unreachable, or a token that did not verify); the
    /// checkpoints stay pending and the next call tries again.
    std::optional<core::Error> tsa_error;
};

/// Filter of list() and count(); empty fields match everything. Dates are YYYY-MM-DD, inclusive.
struct ListFilter {
    std::string seller_siren{};
    std::string buyer_siren{};
    std::string number{};
    std::string issued_from{};
    std::string issued_to{};
    /// Most results (list() only); capped by ArchiveOptions::results_max. Default: 100.
    std::size_t limit = 100;
};

/// Kinds of journal entries.
enum class JournalAction : std::uint8_t {
    kDeposit = 1,
    kDuplicateDeposit = 2,    ///< identical re-deposit answered with the first receipt
    kConflictingDeposit = 3,  ///< same seller, BT-1 and year with other bytes: refused
    kGet = 4,
    kMeta = 5,
    kProof = 6,
    kList = 7,
    kHoldOn = 8,
    kHoldOff = 9,
    kDestroy = 10,
    kDestroyRefused = 11,
};

/// Stable lower-case name of a JournalAction, e.g. "hold_on".
[[nodiscard]] const char* journal_action_name(JournalAction action) noexcept;

/// One journal entry. Entries form a hash chain: hash = SHA-256 of the stored record, which
/// includes prev_hash (all zero for the first entry).
struct JournalEntry {
    std::uint64_t seq = 0;  ///< global sequence number, from 0, without holes
    std::int64_t at_unix_ms = 0;
    std::string object_id;
    JournalAction action = JournalAction::kGet;
    std::string actor;   ///< who (tenant for deposits; the caller's name for accesses)
    std::string detail;  ///< e.g. the reason of a refusal
    Hash prev_hash{};
    Hash hash{};
};

/// What scrub() checked and found.
struct ScrubReport {
    std::uint64_t leaves = 0;
    std::uint64_t originals = 0;    ///< originals rehashed
    std::uint64_t destroyed = 0;    ///< objects whose original was destroyed
    std::uint64_t checkpoints = 0;  ///< signed checkpoints compared with the recomputed tree
    std::uint64_t subtrees = 0;     ///< cached subtree hashes compared
    std::uint64_t journal_entries = 0;
    std::uint64_t index_entries = 0;  ///< search index entries checked (4 per object, 3 if no buyer)
    std::uint64_t timestamps = 0;          ///< checkpoint tokens verified
    std::uint64_t timestamps_pending = 0;  ///< checkpoints without a token (not a problem)
    std::uint64_t problem_count = 0;    ///< all problems, even beyond scrub_problems_max
    std::vector<std::string> problems;  ///< the first scrub_problems_max, no personal data

    [[nodiscard]] bool ok() const noexcept { return problem_count == 0; }
};

/// A run of missing numbers [first, last] in a series.
struct NumberRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;

    friend bool operator==(const NumberRange&, const NumberRange&) = default;
};

/// One integer appearing under several numbers of a series (e.g. "FA-7" and "FA-007").
struct DuplicateNumber {
    std::uint64_t value = 0;
    std::vector<std::string> numbers;
};

/// One numbering series of a seller: the BT-1 numbers of one issue year sharing the text before
/// their trailing digits ("FA-2026-000123" -> prefix "FA-2026-", value 123).
struct NumberSeries {
    std::string year;
    std::string prefix;
    std::uint64_t first = 0;  ///< smallest value
    std::uint64_t last = 0;   ///< largest value
    std::uint64_t count = 0;  ///< archived invoices in the series
    std::vector<NumberRange> missing;
    std::vector<DuplicateNumber> duplicates;
};

/// gaps() of one seller.
struct GapReport {
    std::vector<NumberSeries> series;
    std::vector<std::string> unnumbered;  ///< numbers without trailing digits
    bool truncated = false;               ///< more than gap_ranges_max missing ranges
};

/// The evidence archive. Thread-safe: every method may be called from any thread; concurrent
/// deposits are committed together (one synced write per group). Not movable.
class Archive {
public:
    /// Opens or creates the archive in `dir` (the RocksDB database in dir/db, the Ed25519
    /// signing key in dir/signing-key.pem, created with mode 0600, and its C2SP verifier key in
    /// dir/verifier-key.txt). A new archive signs a checkpoint of the empty tree. An existing
    /// one is checked: the root recomputed from the leaves (or the frontier, see
    /// verify_leaves_on_open) must equal the latest signed checkpoint's; on mismatch the archive
    /// opens read-only: integrity_error() says why and every write fails with kDataLoss.
    /// Errors: kInvalidInput (invalid options, another origin than at creation), kDataLoss
    /// (unreadable records, signing key missing for an existing archive, WAL corruption),
    /// kUnavailable (I/O, database locked), kInternal.
    [[nodiscard]] static core::Result<std::unique_ptr<Archive>> open(
        const std::filesystem::path& dir, const ArchiveOptions& options, const core::Clock& clock);

    ~Archive();
    Archive(const Archive&) = delete;
    Archive& operator=(const Archive&) = delete;

    /// Archives an original with its metadata, its leaf and its journal entry in one synced
    /// write, and only then returns the receipt. A second deposit with the same seller SIREN,
    /// BT-1 number and issue year returns the first receipt (status kDuplicate) if the bytes are
    /// identical. May also sign a checkpoint (every N deposits or T ms), in the same write.
    /// Errors: kInvalidInput (metadata shape), kResourceExhausted (document or verdict too
    /// large), kConflict (same seller, number and year with different bytes), kDataLoss
    /// (integrity check failed at open), kUnavailable (I/O), kInternal.
    [[nodiscard]] core::Result<Receipt> deposit(const DepositRequest& request);

    /// The original bytes, checked against their SHA-256; journaled.
    /// Errors: kInvalidInput (malformed id), kNotFound (no such object, or destroyed), kDataLoss
    /// (the bytes or records do not match their hashes), kUnavailable.
    [[nodiscard]] core::Result<std::string> get(std::string_view id, std::string_view actor = {});

    /// The metadata and state of an object, checked against its leaf; journaled.
    /// Errors: kInvalidInput, kNotFound, kDataLoss, kUnavailable.
    [[nodiscard]] core::Result<ObjectMeta> meta(std::string_view id, std::string_view actor = {});

    /// The inclusion proof of an object to the latest checkpoint (a checkpoint is signed first
    /// if the latest does not cover the object yet); checked before it is returned; journaled.
    /// Errors: kInvalidInput, kNotFound, kDataLoss (records or proof do not match), kUnavailable.
    [[nodiscard]] core::Result<InclusionProof> proof(std::string_view id,
                                                     std::string_view actor = {});

    /// Signs and stores a checkpoint of the current tree (returns the latest one unchanged when
    /// no leaf was added since). Errors: kDataLoss (integrity), kUnavailable, kInternal.
    [[nodiscard]] core::Result<std::string> checkpoint();

    /// checkpoint() if leaves were added and checkpoint_interval_ms elapsed since the last one
    /// (for a server timer); returns whether one was signed. Errors: those of checkpoint().
    [[nodiscard]] core::Result<bool> maybe_checkpoint();

    /// The latest signed checkpoint note.
    [[nodiscard]] std::string latest_checkpoint() const;

    /// Asks ArchiveOptions::timestamper for a token over the SHA-256 of every checkpoint that has
    /// none yet, oldest first (at most timestamps_per_call_max), verifies each against the TSA's
    /// certificate and stores it with a synced write. Stops at the first TSA failure, reported in
    /// TimestampRun::tsa_error, not as an error: deposits never wait for the TSA, and pending
    /// checkpoints are stamped by a later call (a server timer, the CLI after each command).
    /// Errors: kInvalidInput (no timestamper configured), kDataLoss, kUnavailable (the store).
    [[nodiscard]] core::Result<TimestampRun> stamp_pending();

    /// The RFC 3161 token (DER) of the checkpoint of `tree_size`, std::nullopt when it has none
    /// yet. Errors: kDataLoss, kUnavailable.
    [[nodiscard]] core::Result<std::optional<std::string>> timestamp_token(
        std::uint64_t tree_size) const;

    /// Whether ArchiveOptions::timestamper is set.
    [[nodiscard]] bool has_timestamper() const noexcept { return options_.timestamper != nullptr; }

    /// The PEM certificates of every TSA whose tokens the archive stored.
    /// Errors: kDataLoss, kUnavailable.
    [[nodiscard]] core::Result<std::vector<std::string>> tsa_certificates() const;

    /// Objects matching `filter`, in index order (seller, buyer or issue date), at most
    /// min(filter.limit, results_max); journaled (one kList entry per object returned).
    /// Errors: kInvalidInput (malformed filter), kDataLoss, kUnavailable.
    [[nodiscard]] core::Result<std::vector<ObjectMeta>> list(const ListFilter& filter,
                                                             std::string_view actor = {});

    /// Number of objects matching `filter` (limit ignored). Errors: those of list().
    [[nodiscard]] core::Result<std::uint64_t> count(const ListFilter& filter) const;

    /// The journal entries of an object, oldest first (at most results_max).
    /// Errors: kInvalidInput, kNotFound (no such object), kDataLoss, kUnavailable.
    [[nodiscard]] core::Result<std::vector<JournalEntry>> journal(std::string_view id) const;

    /// Sets or lifts the legal hold of an object; journaled.
    /// Errors: kInvalidInput, kNotFound, kConflict (already destroyed), kDataLoss, kUnavailable.
    [[nodiscard]] core::Result<void> hold(std::string_view id, bool on,
                                          std::string_view actor = {});

    /// Destroys the original of an object whose retention has ended and that is not on hold,
    /// keeping its leaf and metadata, and returns the signed destruction record (a C2SP signed
    /// note by the archive key). A refusal is journaled too.
    /// Errors: kInvalidInput, kNotFound, kConflict (on hold, retention not over, or already
    /// destroyed), kDataLoss, kUnavailable.
    [[nodiscard]] core::Result<std::string> destroy(std::string_view id,
                                                    std::string_view actor = {});

    /// Rehashes every original, checks every record against its leaf, recomputes the tree and
    /// compares it with every signed checkpoint and every cached subtree, and checks the journal
    /// chain. Problems are reported, not returned as errors.
    /// Errors: kUnavailable (I/O), kInternal.
    [[nodiscard]] core::Result<ScrubReport> scrub() const;

    /// Writes every in-memory table to table and blob files and waits (before a backup by file
    /// copy, or a maintenance stop). Not needed for durability: every write is in the synced
    /// write-ahead log first. Errors: kUnavailable (I/O), kInternal.
    [[nodiscard]] core::Result<void> flush();

    /// Holes and duplicates in the numbering series of a seller's archived invoices.
    /// Errors: kInvalidInput (not a SIREN), kDataLoss, kUnavailable.
    [[nodiscard]] core::Result<GapReport> gaps(std::string_view seller_siren) const;

    /// Log origin.
    [[nodiscard]] const std::string& origin() const noexcept { return options_.origin; }

    /// Verifier of the checkpoints and destruction records.
    [[nodiscard]] const NoteVerifier& verifier() const noexcept;

    /// Number of leaves committed.
    [[nodiscard]] std::uint64_t size() const noexcept { return committed_size_.load(); }

    /// Why writes are refused (integrity check failed at open), or nothing.
    [[nodiscard]] const std::optional<core::Error>& integrity_error() const noexcept {
        return integrity_error_;
    }

    struct Impl;  // column families, signer, in-memory heads (archive_impl.h)

private:
    struct PendingDeposit;

    Archive(const ArchiveOptions& options, const core::Clock& clock);
    void commit_group(const std::vector<PendingDeposit*>& group);

    [[nodiscard]] store::Durability access_durability() const noexcept {
        return options_.sync_access_journal ? store::Durability::kSynced
                                            : store::Durability::kBuffered;
    }

    [[nodiscard]] std::vector<PendingDeposit*> take_group();

    ArchiveOptions options_;
    const core::Clock& clock_;
    std::unique_ptr<Impl> impl_;
    std::optional<core::Error> integrity_error_;
    std::atomic<std::uint64_t> committed_size_{0};

    std::mutex queue_mu_;  // guards queue_ and leader_active_
    std::condition_variable queue_cv_;
    std::deque<PendingDeposit*> queue_;
    bool leader_active_ = false;
};

}  // namespace facteur::archive
