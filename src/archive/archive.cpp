// Archive: opening (key, column families, integrity check against the latest checkpoint), the
// store-backed Merkle tree, checkpoints and the write helpers every operation shares.

#include "facteur/archive/archive.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>
#include <utility>

#include "facteur/archive/checkpoint.h"
#include "facteur/archive/leaf.h"
#include "facteur/core/assert.h"
#include "facteur/core/file.h"
#include "facteur/crypto/ed25519.h"
#include "facteur/crypto/encoding.h"
#include "facteur/crypto/sha256.h"

#include "archive_impl.h"
#include <fcntl.h>
#include <unistd.h>

namespace facteur::archive {

namespace {

using core::Errc;
namespace fs = std::filesystem;

constexpr std::string_view kKeyFile = "signing-key.pem";
constexpr std::string_view kVerifierFile = "verifier-key.txt";
constexpr std::size_t kCheckpointFileBytesMax = 64 * 1024;

tl::unexpected<core::Error> data_loss(std::string message) {
    return core::fail(Errc::kDataLoss, "ARCHIVE-INTEGRITY", std::move(message), {});
}

core::Result<void> check_options(const ArchiveOptions& options) {
    if (!is_valid_key_name(options.origin) || !is_valid_note_text(options.origin + "\n")) {
        return core::fail(Errc::kInvalidInput, "archive origin must be a valid C2SP key name");
    }
    if (options.checkpoint_every_deposits == 0 || options.checkpoint_interval_ms <= 0
        || options.retention_years == 0 || options.retention_years > 100
        || options.group_commit_deposits_max == 0 || options.results_max == 0) {
        return core::fail(Errc::kInvalidInput, "archive options out of range");
    }
    return {};
}

core::Result<void> bind_column_families(Archive::Impl& impl) {
    store::Db& db = *impl.db;
    ColumnFamilies& cf = impl.cf;
    const std::pair<store::ColumnFamily*, std::string_view> names[] = {
        {&cf.state, "default"},
        {&cf.originals, "originals"},
        {&cf.meta, "meta"},
        {&cf.status, "status"},
        {&cf.leaves, "leaves"},
        {&cf.subtrees, "subtrees"},
        {&cf.checkpoints, "checkpoints"},
        {&cf.by_seller_number, "index_by_seller_number"},
        {&cf.by_seller, "index_by_seller"},
        {&cf.by_buyer, "index_by_buyer"},
        {&cf.by_date, "index_by_date"},
        {&cf.journal, "journal"},
        {&cf.journal_by_object, "journal_by_object"},
        {&cf.timestamps, "timestamps"}};
    for (const auto& [handle, name] : names) {
        FACTEUR_TRY_ASSIGN(*handle, db.column_family(name));
    }
    return {};
}

core::Result<void> write_text_file(const fs::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
        return core::fail(Errc::kUnavailable, "cannot write " + path.string());
    }
    return {};
}

/// Loads dir/signing-key.pem, or creates it (mode 0600) for a new archive.
core::Result<crypto::Ed25519PrivateKey> load_or_create_key(const fs::path& dir, bool existing) {
    const fs::path path = dir / kKeyFile;
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        if (existing) {
            return data_loss("the archive exists but its signing key " + path.string()
                             + " is missing");
        }
        FACTEUR_TRY_ASSIGN(crypto::Ed25519PrivateKey key, crypto::Ed25519PrivateKey::generate());
        FACTEUR_TRY(key.save_pem_file(path));
        return key;
    }
    const fs::perms perms = fs::status(path, ec).permissions();
    if (ec || (perms & (fs::perms::group_all | fs::perms::others_all)) != fs::perms::none) {
        return core::fail(Errc::kInvalidInput, "signing key " + path.string()
                                                   + " must be readable by its owner only (0600)");
    }
    return crypto::Ed25519PrivateKey::load_pem_file(path);
}

core::Result<std::string> get_required(const Archive::Impl& impl, store::ColumnFamily cf,
                                       std::string_view key, std::string_view what) {
    FACTEUR_TRY_ASSIGN(std::optional<std::string> value, impl.db->get(cf, key));
    if (!value) {
        return data_loss("archive record '" + std::string(what) + "' is missing");
    }
    return std::move(*value);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Store-backed tree

store::DbConfig archive_db_config(const ArchiveOptions& options) {
    store::DbConfig config;
    config.wal_recovery = options.wal_recovery;
    config.fault_injector = options.fault_injector;
    for (const char* name : {"meta", "status", "leaves", "subtrees", "checkpoints",
                             "index_by_seller_number", "index_by_seller", "index_by_buyer",
                             "index_by_date", "journal", "journal_by_object", "timestamps"}) {
        config.column_families.push_back(store::ColumnFamilyConfig{.name = name});
    }
    config.column_families.push_back(
        store::ColumnFamilyConfig{.name = "originals",
                                  .blob_files = true,
                                  .min_blob_size_bytes = options.originals_min_blob_size_bytes});
    return config;
}

core::Result<Hash> StoreTree::leaf_hash(std::uint64_t index) const {
    FACTEUR_TRY_ASSIGN(const std::string entry, load_leaf(impl_, index));
    return hash_leaf(entry);
}

std::optional<Hash> UpperSubtrees::find(NodeId node) const {
    if (node.level <= kSubtreeTileLevels) {
        return std::nullopt;
    }
    const std::size_t slot = node.level - kSubtreeTileLevels - 1;
    const std::shared_lock lock(mu_);
    if (slot >= levels_.size() || node.index >= levels_[slot].size()) {
        return std::nullopt;
    }
    return levels_[slot][node.index];
}

void UpperSubtrees::remember(NodeId node, const Hash& hash) {
    if (node.level <= kSubtreeTileLevels) {
        return;
    }
    const std::size_t slot = node.level - kSubtreeTileLevels - 1;
    const std::unique_lock lock(mu_);
    if (slot >= levels_.size()) {
        levels_.resize(slot + 1);
    }
    if (node.index == levels_[slot].size()) {
        levels_[slot].push_back(hash);
    }
}

std::size_t UpperSubtrees::size() const {
    const std::shared_lock lock(mu_);
    std::size_t total = 0;
    for (const std::vector<Hash>& level : levels_) {
        total += level.size();
    }
    return total;
}

core::Result<std::optional<Hash>> StoreTree::cached_subtree_hash(NodeId node) const {
    if (const std::optional<Hash> held = impl_.upper_subtrees.find(node)) {
        return held;
    }
    FACTEUR_TRY_ASSIGN(const std::optional<Hash> stored, stored_subtree_hash(node));
    if (stored) {
        impl_.upper_subtrees.remember(node, *stored);
    }
    return stored;
}

core::Result<std::optional<Hash>> StoreTree::stored_subtree_hash(NodeId node) const {
    FACTEUR_TRY_ASSIGN(const std::optional<std::string> value,
                       impl_.db->get(impl_.cf.subtrees, subtree_key(node)));
    if (!value) {
        return std::optional<Hash>{};
    }
    if (value->size() != kHashBytes) {
        return data_loss("cached subtree hash of " + std::to_string(value->size()) + " bytes");
    }
    Hash hash{};
    std::copy(value->begin(), value->end(), hash.begin());
    return std::optional<Hash>{hash};
}

core::Result<CompactTree> replay_leaves(const Archive::Impl& impl, std::uint64_t size,
                                        const LeafVisitor& visit) {
    CompactTree tree;
    std::vector<NodeHash> completed;
    const core::Result<void> scanned = impl.db->scan(
        impl.cf.leaves, "", store::encode_u64_be(size),
        [&](std::string_view key, std::string_view entry) -> core::Result<store::Visit> {
            FACTEUR_TRY_ASSIGN(const std::uint64_t index, store::decode_u64_be(key));
            if (index != tree.size()) {
                return data_loss("leaf " + std::to_string(tree.size()) + " is missing");
            }
            FACTEUR_TRY_ASSIGN(const Hash hash, hash_leaf(entry));
            completed.clear();
            FACTEUR_TRY(tree.append(hash, &completed));
            FACTEUR_TRY(visit(index, entry, tree, completed));
            return store::Visit::kContinue;
        });
    FACTEUR_TRY(scanned);
    if (tree.size() != size) {
        return data_loss("leaf " + std::to_string(tree.size()) + " is missing");
    }
    return tree;
}

// ---------------------------------------------------------------------------------------------
// Shared operations

core::Result<std::string> load_leaf(const Archive::Impl& impl, std::uint64_t index) {
    return get_required(impl, impl.cf.leaves, store::encode_u64_be(index),
                        "leaf " + std::to_string(index));
}

core::Result<ObjectMeta> load_meta(const Archive::Impl& impl, std::string_view id) {
    FACTEUR_TRY_ASSIGN(const std::optional<std::string> bytes, impl.db->get(impl.cf.meta, id));
    if (!bytes) {
        return core::fail(Errc::kNotFound, "ARCHIVE-NOT-FOUND",
                          "no archived object " + std::string(id), {});
    }
    FACTEUR_TRY_ASSIGN(ObjectMeta meta, decode_meta(*bytes));
    FACTEUR_TRY_ASSIGN(const std::string entry, load_leaf(impl, meta.leaf_index));
    auto leaf = parse_leaf(entry);
    if (!leaf) {
        return data_loss("leaf " + std::to_string(meta.leaf_index) + ": " + leaf.error().message);
    }
    FACTEUR_TRY_ASSIGN(const crypto::Sha256Digest meta_hash, crypto::sha256(*bytes));
    // Verify after reading (house style rule 6): the record must be the one the leaf commits to.
    if (meta.id != id || leaf->id != id || leaf->metadata_sha256 != meta_hash
        || leaf->content_sha256 != meta.sha256 || leaf->size_bytes != meta.size_bytes
        || leaf->deposited_at_unix_ms != meta.deposited_at_unix_ms) {
        return data_loss("metadata of object " + std::string(id) + " does not match leaf "
                         + std::to_string(meta.leaf_index));
    }
    FACTEUR_TRY_ASSIGN(const std::optional<std::string> status, impl.db->get(impl.cf.status, id));
    if (status) {
        FACTEUR_TRY_ASSIGN(const ObjectStatus decoded, decode_status(*status));
        meta.legal_hold = decoded.legal_hold;
        meta.destroyed_at_unix_ms = decoded.destroyed_at_unix_ms;
        meta.destruction_record = decoded.destruction_record;
    }
    return meta;
}

core::Result<void> stage_journal(const ColumnFamilies& cf, store::WriteBatch& batch,
                                 JournalHead& head, std::int64_t at_unix_ms, std::string_view id,
                                 JournalAction action, std::string_view actor,
                                 std::string_view detail) {
    JournalEntry entry;
    entry.seq = head.next_seq;
    entry.at_unix_ms = at_unix_ms;
    entry.object_id = std::string(id);
    entry.action = action;
    entry.actor = std::string(actor);
    entry.detail = std::string(detail);
    entry.prev_hash = head.last_hash;
    const std::string bytes = encode_journal(entry);
    FACTEUR_TRY_ASSIGN(const crypto::Sha256Digest hash, crypto::sha256(bytes));
    const std::string seq = store::encode_u64_be(entry.seq);
    FACTEUR_TRY(batch.put(cf.journal, seq, bytes));
    FACTEUR_TRY(batch.put(cf.journal_by_object, std::string(id) + seq, ""));
    head = JournalHead{entry.seq + 1, hash};
    return {};
}

core::Result<void> commit_batch(Archive::Impl& impl, store::WriteBatch& batch,
                                const CompactTree& tree, const JournalHead& journal,
                                store::Durability durability) {
    // Assert before writing (house style rule 6): the log only grows, the journal only grows.
    FACTEUR_ASSERT(tree.size() >= impl.tree.size(), "the log never shrinks");
    FACTEUR_ASSERT(journal.next_seq >= impl.journal.next_seq, "the journal never shrinks");
    FACTEUR_TRY(batch.put(impl.cf.state, kStateHead, encode_head(tree, journal)));
    FACTEUR_TRY(impl.db->write(batch, durability));
    impl.tree = tree;
    impl.journal = journal;
    return {};
}

core::Result<SignedCheckpoint> sign_tree(const Archive::Impl& impl, std::string_view origin,
                                         const CompactTree& tree) {
    FACTEUR_TRY_ASSIGN(const Hash root, tree.root());
    SignedCheckpoint result{Checkpoint{std::string(origin), tree.size(), root, {}}, {}};
    FACTEUR_TRY_ASSIGN(result.note, sign_checkpoint(result.checkpoint, *impl.signer));
    return result;
}

core::Result<void> write_file_durably(const fs::path& path, std::string_view text) {
    const fs::path tmp = path.string() + ".tmp";
    const auto failed = [&](const char* what) {
        return core::fail(Errc::kUnavailable, std::string("cannot ") + what + " " + tmp.string()
                                                  + ": " + std::strerror(errno));
    };
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return failed("create");
    }
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            ::close(fd);
            return failed("write");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        ::close(fd);
        return failed("fsync");
    }
    if (::close(fd) != 0) {
        return failed("close");
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        return failed("rename");
    }
    const int dir_fd = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) {
        return failed("open the directory of");
    }
    const int synced = ::fsync(dir_fd);
    ::close(dir_fd);
    if (synced != 0) {
        return failed("fsync the directory of");
    }
    return {};
}

void set_latest_checkpoint(Archive::Impl& impl, SignedCheckpoint signed_checkpoint,
                           std::int64_t at_unix_ms) {
    const std::lock_guard lock(impl.checkpoint_mu);
    FACTEUR_ASSERT(signed_checkpoint.checkpoint.tree_size >= impl.checkpoint_size,
                   "checkpoints only grow");
    if (auto written = write_file_durably(impl.dir / kCheckpointFile, signed_checkpoint.note);
        !written) {
        std::fprintf(stderr, "facteur archive: %s (the next checkpoint writes it again)\n",
                     written.error().message.c_str());
    }
    impl.checkpoint_size = signed_checkpoint.checkpoint.tree_size;
    impl.checkpoint = std::move(signed_checkpoint.checkpoint);
    impl.checkpoint_note = std::move(signed_checkpoint.note);
    impl.checkpoint_at_unix_ms = at_unix_ms;
}

core::Result<void> journal_accesses(Archive::Impl& impl, std::int64_t at_unix_ms,
                                    const std::vector<std::string>& ids, JournalAction action,
                                    std::string_view actor, store::Durability durability) {
    if (ids.empty()) {
        return {};
    }
    const std::lock_guard lock(impl.commit_mu);
    store::WriteBatch batch;
    JournalHead journal = impl.journal;
    for (const std::string& id : ids) {
        FACTEUR_TRY(stage_journal(impl.cf, batch, journal, at_unix_ms, id, action, actor, ""));
    }
    return commit_batch(impl, batch, impl.tree, journal, durability);
}

const char* journal_action_name(JournalAction action) noexcept {
    switch (action) {
        case JournalAction::kDeposit:
            return "deposit";
        case JournalAction::kDuplicateDeposit:
            return "duplicate_deposit";
        case JournalAction::kConflictingDeposit:
            return "conflicting_deposit";
        case JournalAction::kGet:
            return "get";
        case JournalAction::kMeta:
            return "meta";
        case JournalAction::kProof:
            return "proof";
        case JournalAction::kList:
            return "list";
        case JournalAction::kHoldOn:
            return "hold_on";
        case JournalAction::kHoldOff:
            return "hold_off";
        case JournalAction::kDestroy:
            return "destroy";
        case JournalAction::kDestroyRefused:
            return "destroy_refused";
    }
    return "unknown";
}

// ---------------------------------------------------------------------------------------------
// Opening

Archive::Archive(const ArchiveOptions& options, const core::Clock& clock)
    : options_(options), clock_(clock), impl_(std::make_unique<Impl>()) {}

Archive::~Archive() = default;

const NoteVerifier& Archive::verifier() const noexcept {
    return *impl_->verifier;
}

namespace {

/// Writes the records of a new archive: format, origin, verifier, empty head, checkpoint 0.
core::Result<void> initialize(Archive::Impl& impl, const ArchiveOptions& options) {
    store::WriteBatch batch;
    FACTEUR_TRY(batch.put(impl.cf.state, kStateFormat, kFormatV2));
    FACTEUR_TRY(batch.put(impl.cf.state, kStateOrigin, options.origin));
    FACTEUR_TRY(batch.put(impl.cf.state, kStateVerifier, impl.verifier->verifier_key()));
    FACTEUR_TRY_ASSIGN(SignedCheckpoint signed_checkpoint,
                       sign_tree(impl, options.origin, impl.tree));
    FACTEUR_TRY(batch.put(impl.cf.checkpoints, store::encode_u64_be(0), signed_checkpoint.note));
    const std::lock_guard lock(impl.commit_mu);
    FACTEUR_TRY(commit_batch(impl, batch, impl.tree, impl.journal));
    set_latest_checkpoint(impl, std::move(signed_checkpoint), 0);
    return {};
}

/// Loads the stored hashes of every perfect subtree above the tiles into memory (they are
/// contiguous from index 0 in each level, in key order).
core::Result<void> load_upper_subtrees(Archive::Impl& impl) {
    const std::string begin(1, static_cast<char>(kSubtreeTileLevels + 1));
    return impl.db->scan(
        impl.cf.subtrees, begin, "",
        [&](std::string_view key, std::string_view value) -> core::Result<store::Visit> {
            if (key.size() != 9 || value.size() != kHashBytes) {
                return data_loss("malformed subtree record of " + std::to_string(value.size())
                                 + " bytes under a key of " + std::to_string(key.size()));
            }
            FACTEUR_TRY_ASSIGN(const std::uint64_t index, store::decode_u64_be(key.substr(1)));
            Hash hash{};
            std::copy(value.begin(), value.end(), hash.begin());
            impl.upper_subtrees.remember(NodeId{static_cast<std::uint8_t>(key[0]), index}, hash);
            return store::Visit::kContinue;
        });
}

/// Reads the records of an existing archive and checks they are ours.
core::Result<void> load(Archive::Impl& impl, const ArchiveOptions& options,
                        std::string_view format) {
    if (format != kFormatV2) {
        return core::fail(Errc::kUnsupported,
                          "archive format '" + std::string(format) + "' is not supported (this "
                              "build reads '" + std::string(kFormatV2) + "')");
    }
    FACTEUR_TRY_ASSIGN(const std::string origin,
                       get_required(impl, impl.cf.state, kStateOrigin, "origin"));
    if (origin != options.origin) {
        return core::fail(Errc::kInvalidInput,
                          "the archive's origin is '" + origin + "', not '" + options.origin + "'");
    }
    FACTEUR_TRY_ASSIGN(const std::string verifier,
                       get_required(impl, impl.cf.state, kStateVerifier, "verifier"));
    if (verifier != impl.verifier->verifier_key()) {
        return data_loss("the signing key does not match the archive's verifier key " + verifier);
    }
    FACTEUR_TRY_ASSIGN(const std::string head,
                       get_required(impl, impl.cf.state, kStateHead, "head"));
    FACTEUR_TRY_ASSIGN(auto heads, decode_head(head));
    impl.tree = std::move(heads.first);
    impl.journal = heads.second;
    FACTEUR_TRY_ASSIGN(const auto latest, impl.db->last(impl.cf.checkpoints));
    if (!latest) {
        return data_loss("the archive has no checkpoint");
    }
    FACTEUR_TRY_ASSIGN(impl.checkpoint_size, store::decode_u64_be(latest->first));
    impl.checkpoint_note = latest->second;
    return load_upper_subtrees(impl);
}

/// The checkpoint kept beside the database (kCheckpointFile) against the log: it must verify,
/// and the log must reach its size with its root. A missing file is written again from the
/// database (an archive from before the file existed, or an interrupted first checkpoint).
core::Result<void> verify_checkpoint_file(Archive::Impl& impl, const ArchiveOptions& options) {
    const fs::path path = impl.dir / kCheckpointFile;
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        return write_file_durably(path, impl.checkpoint_note);
    }
    FACTEUR_TRY_ASSIGN(const std::string note, core::read_file(path, kCheckpointFileBytesMax));
    auto witness = open_checkpoint(note, *impl.verifier, options.origin);
    if (!witness) {
        return data_loss(path.string() + " does not verify: " + witness.error().message);
    }
    if (witness->tree_size > impl.tree.size()) {
        return data_loss("the log has " + std::to_string(impl.tree.size())
                         + " leaves but the checkpoint kept beside the database has "
                         + std::to_string(witness->tree_size)
                         + ": the database lost or rolled back synced writes (a deleted "
                           "write-ahead log, files restored from an older copy)");
    }
    FACTEUR_TRY_ASSIGN(const Hash root,
                       root_at(StoreTree(impl, impl.tree.size()), witness->tree_size));
    if (root != witness->root_hash) {
        return data_loss("the log's root at size " + std::to_string(witness->tree_size)
                         + " differs from the checkpoint kept beside the database");
    }
    return {};
}

/// The root at the latest checkpoint, recomputed from the store, against the signed one; the
/// stored frontier against the leaves. kDataLoss describes the first mismatch.
core::Result<void> verify_log(Archive::Impl& impl, const ArchiveOptions& options) {
    auto checkpoint = open_checkpoint(impl.checkpoint_note, *impl.verifier, options.origin);
    if (!checkpoint) {
        return data_loss("latest checkpoint does not verify: " + checkpoint.error().message);
    }
    if (checkpoint->tree_size != impl.checkpoint_size || checkpoint->tree_size > impl.tree.size()) {
        return data_loss("latest checkpoint (size " + std::to_string(checkpoint->tree_size)
                         + ") does not fit the log of " + std::to_string(impl.tree.size())
                         + " leaves");
    }
    FACTEUR_TRY_ASSIGN(const auto last_leaf, impl.db->last(impl.cf.leaves));
    const std::string expected_last = store::encode_u64_be(impl.tree.size() - 1);
    if (last_leaf.has_value() != (impl.tree.size() > 0)
        || (last_leaf && last_leaf->first != expected_last)) {
        return data_loss("the leaves do not end at index " + std::to_string(impl.tree.size()));
    }
    Hash root_at_checkpoint = empty_root();
    if (options.verify_leaves_on_open) {
        const LeafVisitor visit = [&](std::uint64_t, std::string_view, const CompactTree& tree,
                                      const std::vector<NodeHash>&) -> core::Result<void> {
            if (tree.size() == checkpoint->tree_size) {
                FACTEUR_TRY_ASSIGN(root_at_checkpoint, tree.root());
            }
            return {};
        };
        FACTEUR_TRY_ASSIGN(const CompactTree replayed,
                           replay_leaves(impl, impl.tree.size(), visit));
        if (!std::equal(replayed.frontier().begin(), replayed.frontier().end(),
                        impl.tree.frontier().begin(), impl.tree.frontier().end())) {
            return data_loss("the leaves do not hash to the stored frontier");
        }
    } else {
        FACTEUR_TRY_ASSIGN(root_at_checkpoint,
                           root_at(StoreTree(impl, impl.tree.size()), checkpoint->tree_size));
    }
    if (root_at_checkpoint != checkpoint->root_hash) {
        return data_loss("the log's root at size " + std::to_string(checkpoint->tree_size)
                         + " differs from the signed checkpoint's");
    }
    impl.checkpoint = std::move(*checkpoint);
    return verify_checkpoint_file(impl, options);
}

}  // namespace

core::Result<std::unique_ptr<Archive>> Archive::open(const fs::path& dir,
                                                     const ArchiveOptions& options,
                                                     const core::Clock& clock) {
    FACTEUR_TRY(check_options(options));
    std::error_code ec;
    if (fs::create_directories(dir, ec)) {
        fs::permissions(dir, fs::perms::owner_all, ec);
    }
    if (ec) {
        return core::fail(Errc::kUnavailable,
                          "cannot create " + dir.string() + ": " + ec.message());
    }
    std::unique_ptr<Archive> archive(new Archive(options, clock));
    Impl& impl = *archive->impl_;
    impl.dir = dir;
    FACTEUR_TRY_ASSIGN(impl.db, store::Db::open(dir / "db", archive_db_config(options)));
    FACTEUR_TRY(bind_column_families(impl));
    FACTEUR_TRY_ASSIGN(const std::optional<std::string> format,
                       impl.db->get(impl.cf.state, kStateFormat));
    FACTEUR_TRY_ASSIGN(crypto::Ed25519PrivateKey key, load_or_create_key(dir, format.has_value()));
    FACTEUR_TRY_ASSIGN(NoteSigner signer, NoteSigner::create(options.origin, std::move(key)));
    FACTEUR_TRY_ASSIGN(NoteVerifier verifier, signer.verifier());
    impl.signer.emplace(std::move(signer));
    impl.verifier.emplace(std::move(verifier));
    FACTEUR_TRY(write_text_file(dir / kVerifierFile, impl.verifier->verifier_key() + "\n"));
    if (!format) {
        FACTEUR_TRY(initialize(impl, options));
    } else {
        FACTEUR_TRY(load(impl, options, *format));
        if (auto verified = verify_log(impl, options); !verified) {
            if (verified.error().code != Errc::kDataLoss) {
                return tl::unexpected(std::move(verified).error());
            }
            archive->integrity_error_ =
                core::Error{Errc::kDataLoss,
                            "archive integrity check failed at open, writes refused: "
                                + verified.error().message,
                            "ARCHIVE-INTEGRITY",
                            {},
                            0};
        }
    }
    impl.checkpoint_at_unix_ms = clock.now_unix_ms();
    archive->committed_size_.store(impl.tree.size());
    return archive;
}

// ---------------------------------------------------------------------------------------------
// Checkpoints

core::Result<std::string> Archive::checkpoint() {
    Impl& impl = *impl_;
    const std::lock_guard lock(impl.commit_mu);
    if (integrity_error_) {
        return tl::unexpected(*integrity_error_);
    }
    {
        const std::lock_guard cp_lock(impl.checkpoint_mu);
        if (impl.checkpoint_size == impl.tree.size()) {
            return impl.checkpoint_note;
        }
    }
    FACTEUR_TRY_ASSIGN(SignedCheckpoint signed_checkpoint,
                       sign_tree(impl, options_.origin, impl.tree));
    std::string note = signed_checkpoint.note;
    store::WriteBatch batch;
    FACTEUR_TRY(batch.put(impl.cf.checkpoints, store::encode_u64_be(impl.tree.size()), note));
    FACTEUR_TRY(commit_batch(impl, batch, impl.tree, impl.journal));
    set_latest_checkpoint(impl, std::move(signed_checkpoint), clock_.now_unix_ms());
    return note;
}

core::Result<bool> Archive::maybe_checkpoint() {
    {
        const std::lock_guard cp_lock(impl_->checkpoint_mu);
        const bool grown = impl_->checkpoint_size < committed_size_.load();
        const bool due =
            clock_.now_unix_ms() - impl_->checkpoint_at_unix_ms >= options_.checkpoint_interval_ms;
        if (!grown || !due) {
            return false;
        }
    }
    FACTEUR_TRY(checkpoint());
    return true;
}

std::string Archive::latest_checkpoint() const {
    const std::lock_guard cp_lock(impl_->checkpoint_mu);
    return impl_->checkpoint_note;
}

}  // namespace facteur::archive
