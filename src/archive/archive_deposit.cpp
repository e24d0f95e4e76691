// Archive::deposit(): validation outside any lock, then group commit. Depositors queue; the
// first one to find no commit in progress becomes the leader, takes the queued deposits (up to
// group_commit_deposits_max / _bytes_max), stages them into one WriteBatch (originals,
// metadata, leaves, subtrees, indexes, journal, head and, when due, a checkpoint) and writes it
// with one fsync; then it hands every depositor its result. Leaf indices follow queue order.

#include <map>
#include <string>
#include <utility>

#include "facteur/archive/archive.h"
#include "facteur/archive/leaf.h"
#include "facteur/core/assert.h"
#include "facteur/crypto/encoding.h"
#include "facteur/crypto/sha256.h"

#include "archive_impl.h"

namespace facteur::archive {

struct Archive::PendingDeposit {
    const DepositRequest* request = nullptr;
    Hash sha256{};
    std::string dedupe_key;
    std::optional<core::Result<Receipt>> result;  // set by the leader under queue_mu_
};

namespace {

using core::Errc;

/// The state of one group commit, applied to the archive only if the write succeeds.
struct Group {
    CompactTree tree;
    JournalHead journal;
    store::WriteBatch batch;
    std::int64_t now_unix_ms = 0;
    std::map<std::string, Receipt> staged;  // dedupe key -> receipt of a deposit in this group
    std::map<std::string, Hash> staged_sha;
    std::vector<NodeHash> upper;  // subtrees above the tiles completed by the group
};

Receipt receipt_of(const ObjectMeta& meta, std::string leaf_entry, DepositStatus status) {
    return Receipt{meta.id,
                   meta.leaf_index,
                   meta.sha256,
                   meta.size_bytes,
                   meta.deposited_at_unix_ms,
                   meta.retain_until_unix_ms,
                   std::move(leaf_entry),
                   status};
}

core::Result<void> stage_indexes(const ColumnFamilies& cf, store::WriteBatch& batch,
                                 const ObjectMeta& meta, std::string_view dedupe_key) {
    const InvoiceMetadata& invoice = meta.invoice;
    FACTEUR_TRY(batch.put(cf.by_seller_number, dedupe_key, meta.id));
    FACTEUR_TRY(batch.put(cf.by_seller,
                          date_index_key(invoice.seller_siren, invoice.issue_date, meta.id), ""));
    if (!invoice.buyer_siren.empty()) {
        FACTEUR_TRY(batch.put(
            cf.by_buyer, date_index_key(invoice.buyer_siren, invoice.issue_date, meta.id), ""));
    }
    return batch.put(cf.by_date, date_index_key({}, invoice.issue_date, meta.id), "");
}

/// Stages a new object: its metadata, original, leaf, completed subtrees, indexes, journal.
core::Result<Receipt> stage_new(Archive::Impl& impl, const ArchiveOptions& options, Group& group,
                                const DepositRequest& request, const Hash& sha256,
                                std::string_view dedupe_key) {
    ObjectMeta meta;
    meta.leaf_index = group.tree.size();
    FACTEUR_TRY_ASSIGN(meta.id, make_object_id(options.origin, meta.leaf_index, sha256));
    meta.tenant = request.tenant;
    meta.deposited_at_unix_ms = group.now_unix_ms;
    meta.size_bytes = request.bytes.size();
    meta.hash_algorithm = std::string(kHashAlgorithm);
    meta.sha256 = sha256;
    meta.retain_until_unix_ms = add_years_unix_ms(group.now_unix_ms, options.retention_years);
    meta.invoice = request.invoice;
    meta.verdict_json = request.verdict_json;
    const std::string meta_bytes = encode_meta(meta);
    FACTEUR_TRY_ASSIGN(const crypto::Sha256Digest meta_sha, crypto::sha256(meta_bytes));
    FACTEUR_TRY_ASSIGN(std::string entry,
                       encode_leaf(LeafRecord{meta.leaf_index, meta.id, meta.deposited_at_unix_ms,
                                              meta.size_bytes, sha256, meta_sha}));
    FACTEUR_TRY_ASSIGN(const Hash leaf_hash, hash_leaf(entry));
    std::vector<NodeHash> completed;
    FACTEUR_TRY(group.tree.append(leaf_hash, &completed));
    FACTEUR_ASSERT(group.tree.size() == meta.leaf_index + 1, "one leaf per deposit, in order");

    const ColumnFamilies& cf = impl.cf;
    FACTEUR_TRY(group.batch.put(cf.originals, meta.id, request.bytes));
    FACTEUR_TRY(group.batch.put(cf.meta, meta.id, meta_bytes));
    FACTEUR_TRY(group.batch.put(cf.leaves, store::encode_u64_be(meta.leaf_index), entry));
    for (const NodeHash& node : completed) {
        FACTEUR_TRY(group.batch.put(
            cf.subtrees, subtree_key(node.node),
            std::string_view(reinterpret_cast<const char*>(node.hash.data()), node.hash.size())));
        if (node.node.level > kSubtreeTileLevels) {
            group.upper.push_back(node);
        }
    }
    FACTEUR_TRY(stage_indexes(cf, group.batch, meta, dedupe_key));
    FACTEUR_TRY(stage_journal(cf, group.batch, group.journal, group.now_unix_ms, meta.id,
                              JournalAction::kDeposit, request.tenant, ""));
    return receipt_of(meta, std::move(entry), DepositStatus::kDeposited);
}

tl::unexpected<core::Error> conflict(std::string_view id) {
    return core::fail(Errc::kConflict, "ARCHIVE-DUPLICATE",
                      "an invoice with this seller, number and year is already archived with "
                      "different content (object "
                          + std::string(id) + ")",
                      "une facture de ce vendeur, de ce numéro et de cette année est déjà "
                      "archivée avec un contenu différent (objet "
                          + std::string(id) + ")");
}

/// An earlier deposit under the same dedupe key: in this group or committed.
struct Earlier {
    Receipt receipt;
    bool same_bytes = false;
};

core::Result<std::optional<Earlier>> find_earlier(const Archive::Impl& impl, const Group& group,
                                                  const std::string& key, const Hash& sha256,
                                                  std::uint64_t size_bytes) {
    if (const auto it = group.staged.find(key); it != group.staged.end()) {
        const bool same = group.staged_sha.at(key) == sha256 && it->second.size_bytes == size_bytes;
        return std::optional<Earlier>{Earlier{it->second, same}};
    }
    FACTEUR_TRY_ASSIGN(const std::optional<std::string> id,
                       impl.db->get(impl.cf.by_seller_number, key));
    if (!id) {
        return std::optional<Earlier>{};
    }
    FACTEUR_TRY_ASSIGN(const ObjectMeta meta, load_meta(impl, *id));
    FACTEUR_TRY_ASSIGN(std::string entry, load_leaf(impl, meta.leaf_index));
    const bool same = meta.sha256 == sha256 && meta.size_bytes == size_bytes;
    return std::optional<Earlier>{
        Earlier{receipt_of(meta, std::move(entry), DepositStatus::kDuplicate), same}};
}

/// Stages one deposit of a group: a duplicate, a conflict or a new object.
core::Result<Receipt> stage_deposit(Archive::Impl& impl, const ArchiveOptions& options,
                                    Group& group, const DepositRequest& request, const Hash& sha256,
                                    const std::string& key) {
    FACTEUR_TRY_ASSIGN(std::optional<Earlier> earlier,
                       find_earlier(impl, group, key, sha256, request.bytes.size()));
    if (earlier) {
        const JournalAction action = earlier->same_bytes ? JournalAction::kDuplicateDeposit
                                                         : JournalAction::kConflictingDeposit;
        const std::string detail = earlier->same_bytes
                                       ? std::string()
                                       : "refused: other bytes, sha256 " + crypto::to_hex(sha256);
        FACTEUR_TRY(stage_journal(impl.cf, group.batch, group.journal, group.now_unix_ms,
                                  earlier->receipt.id, action, request.tenant, detail));
        if (!earlier->same_bytes) {
            return conflict(earlier->receipt.id);
        }
        earlier->receipt.status = DepositStatus::kDuplicate;
        return std::move(earlier->receipt);
    }
    FACTEUR_TRY_ASSIGN(Receipt receipt, stage_new(impl, options, group, request, sha256, key));
    group.staged.emplace(key, receipt);
    group.staged_sha.emplace(key, sha256);
    return receipt;
}

/// Adds a checkpoint to the group's batch when one is due, writes it synced and, on success,
/// makes the group's tree, journal and checkpoint the archive's.
core::Result<void> write_group(Archive::Impl& impl, const ArchiveOptions& options, Group& group) {
    bool due = false;
    {
        const std::lock_guard cp_lock(impl.checkpoint_mu);
        const std::uint64_t added = group.tree.size() - impl.checkpoint_size;
        due = added > 0
              && (added >= options.checkpoint_every_deposits
                  || group.now_unix_ms - impl.checkpoint_at_unix_ms
                         >= options.checkpoint_interval_ms);
    }
    SignedCheckpoint signed_checkpoint;
    if (due) {
        FACTEUR_TRY_ASSIGN(signed_checkpoint, sign_tree(impl, options.origin, group.tree));
        FACTEUR_TRY(group.batch.put(impl.cf.checkpoints, store::encode_u64_be(group.tree.size()),
                                    signed_checkpoint.note));
    }
    FACTEUR_TRY(commit_batch(impl, group.batch, group.tree, group.journal));
    // Committed: the new upper subtrees are held in memory at once (in completion order, so
    // each is the next of its level), not read back by the first proof that needs them.
    for (const NodeHash& node : group.upper) {
        impl.upper_subtrees.remember(node.node, node.hash);
    }
    if (due) {
        set_latest_checkpoint(impl, std::move(signed_checkpoint), group.now_unix_ms);
    }
    return {};
}

}  // namespace

core::Result<Receipt> Archive::deposit(const DepositRequest& request) {
    FACTEUR_TRY(check_request(request, options_));
    PendingDeposit mine;
    mine.request = &request;
    FACTEUR_TRY_ASSIGN(mine.sha256, crypto::sha256(request.bytes));
    mine.dedupe_key = seller_number_key(request.invoice);

    std::unique_lock lock(queue_mu_);
    queue_.push_back(&mine);
    while (!mine.result) {
        if (leader_active_) {
            queue_cv_.wait(lock);
            continue;
        }
        leader_active_ = true;
        const std::vector<PendingDeposit*> group = take_group();
        lock.unlock();
        commit_group(group);  // sets the results under queue_mu_
        lock.lock();
        leader_active_ = false;
        queue_cv_.notify_all();
    }
    return std::move(*mine.result);
}

std::vector<Archive::PendingDeposit*> Archive::take_group() {
    std::vector<PendingDeposit*> group;
    std::size_t bytes = 0;
    while (!queue_.empty() && group.size() < options_.group_commit_deposits_max) {
        const std::size_t next = queue_.front()->request->bytes.size();
        if (!group.empty() && bytes + next > options_.group_commit_bytes_max) {
            break;
        }
        bytes += next;
        group.push_back(queue_.front());
        queue_.pop_front();
    }
    return group;
}

void Archive::commit_group(const std::vector<PendingDeposit*>& group) {
    std::vector<core::Result<Receipt>> results;
    {
        Impl& impl = *impl_;
        const std::lock_guard commit_lock(impl.commit_mu);
        Group staged{impl.tree, impl.journal, store::WriteBatch(), clock_.now_unix_ms(), {}, {}, {}};
        std::optional<core::Error> fatal = integrity_error_;
        for (PendingDeposit* pending : group) {
            if (fatal) {
                break;
            }
            results.push_back(stage_deposit(impl, options_, staged, *pending->request,
                                            pending->sha256, pending->dedupe_key));
            // Only a refused duplicate is an answer; any other error leaves the batch
            // half-staged, so the whole group fails.
            if (!results.back() && results.back().error().code != Errc::kConflict) {
                fatal = results.back().error();
            }
        }
        if (!fatal) {
            if (auto written = write_group(impl, options_, staged); !written) {
                fatal = written.error();
            } else {
                committed_size_.store(impl.tree.size());
            }
        }
        if (fatal) {
            results.assign(group.size(), tl::unexpected(*fatal));
        }
    }
    const std::lock_guard lock(queue_mu_);
    for (std::size_t i = 0; i < group.size(); ++i) {
        group[i]->result = std::move(results[i]);
    }
}

}  // namespace facteur::archive
