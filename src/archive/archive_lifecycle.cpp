// Archive lifecycle: legal hold, destruction after retention, and scrub (the full audit).

#include <map>
#include <string>
#include <utility>

#include "facteur/archive/archive.h"
#include "facteur/archive/checkpoint.h"
#include "facteur/archive/leaf.h"
#include "facteur/crypto/encoding.h"
#include "facteur/crypto/sha256.h"

#include "archive_impl.h"

namespace facteur::archive {

namespace {

using core::Errc;

tl::unexpected<core::Error> refused(std::string id, std::string message) {
    return core::fail(Errc::kConflict, std::move(id), std::move(message), {});
}

/// The text of a destruction record (a C2SP signed note by the archive key):
///   facteur/archive/destruction/v1
///   origin <origin>
///   id <id>
///   leaf-index <n>
///   sha256 <hex>
///   deposited-ms <ms>
///   retain-until-ms <ms>
///   destroyed-ms <ms>
///   tree-size <leaves in the log at destruction>
std::string destruction_text(std::string_view origin, const ObjectMeta& meta,
                             std::int64_t now_unix_ms, std::uint64_t tree_size) {
    std::string text = "facteur/archive/destruction/v1\n";
    text.append("origin ").append(origin).append("\n");
    text.append("id ").append(meta.id).append("\n");
    text.append("leaf-index ").append(std::to_string(meta.leaf_index)).append("\n");
    text.append("sha256 ").append(crypto::to_hex(meta.sha256)).append("\n");
    text.append("deposited-ms ").append(std::to_string(meta.deposited_at_unix_ms)).append("\n");
    text.append("retain-until-ms ").append(std::to_string(meta.retain_until_unix_ms)).append("\n");
    text.append("destroyed-ms ").append(std::to_string(now_unix_ms)).append("\n");
    text.append("tree-size ").append(std::to_string(tree_size)).append("\n");
    return text;
}

/// Collects scrub problems, keeping the first `max`.
struct Problems {
    ScrubReport& report;
    std::size_t max;

    void add(std::string problem) {
        ++report.problem_count;
        if (report.problems.size() < max) {
            report.problems.push_back(std::move(problem));
        }
    }
};

/// Checks the records of one leaf: its metadata, status, original or destruction record.
core::Result<void> scrub_leaf(const Archive::Impl& impl, std::uint64_t index,
                              std::string_view entry, ScrubReport& report, Problems& problems) {
    const std::string at = "leaf " + std::to_string(index) + ": ";
    auto leaf = parse_leaf(entry);
    if (!leaf || leaf->index != index) {
        problems.add(at + "not a canonical leaf entry of this index");
        return {};
    }
    auto meta = load_meta(impl, leaf->id);
    if (!meta || meta->leaf_index != index) {
        if (meta || meta.error().code == Errc::kDataLoss || meta.error().code == Errc::kNotFound) {
            problems.add(at + "metadata of object " + leaf->id + " missing or not matching");
            return {};
        }
        return tl::unexpected(meta.error());
    }
    FACTEUR_TRY_ASSIGN(const std::optional<std::string> original,
                       impl.db->get(impl.cf.originals, leaf->id));
    if (meta->destroyed_at_unix_ms) {
        ++report.destroyed;
        if (original) {
            problems.add(at + "object " + leaf->id + " is destroyed but its original remains");
        }
        if (!open_note(meta->destruction_record, *impl.verifier)) {
            problems.add(at + "destruction record of " + leaf->id + " does not verify");
        }
        return {};
    }
    ++report.originals;
    if (!original) {
        problems.add(at + "original of object " + leaf->id + " is missing");
        return {};
    }
    FACTEUR_TRY_ASSIGN(const crypto::Sha256Digest sha, crypto::sha256(*original));
    if (sha != leaf->content_sha256 || original->size() != leaf->size_bytes) {
        problems.add(at + "original of object " + leaf->id + " does not match its SHA-256");
    }
    return {};
}

/// Every stored checkpoint, opened: tree size -> root.
core::Result<std::map<std::uint64_t, Hash>> scrub_checkpoints(const Archive::Impl& impl,
                                                              std::string_view origin,
                                                              Problems& problems) {
    std::map<std::uint64_t, Hash> roots;
    const core::Result<void> scanned = impl.db->scan(
        impl.cf.checkpoints, "", "",
        [&](std::string_view key, std::string_view note) -> core::Result<store::Visit> {
            auto size = store::decode_u64_be(key);
            auto checkpoint = open_checkpoint(note, *impl.verifier, origin);
            if (!size || !checkpoint || checkpoint->tree_size != *size) {
                problems.add("a stored checkpoint does not verify or is misfiled");
                return store::Visit::kContinue;
            }
            roots.emplace(*size, checkpoint->root_hash);
            return store::Visit::kContinue;
        });
    FACTEUR_TRY(scanned);
    return roots;
}

/// The journal hash chain up to `head`.
core::Result<void> scrub_journal(const Archive::Impl& impl, const JournalHead& head,
                                 ScrubReport& report, Problems& problems) {
    Hash previous{};
    std::uint64_t expected = 0;
    bool broken = false;
    const core::Result<void> scanned = impl.db->scan(
        impl.cf.journal, "", store::encode_u64_be(head.next_seq),
        [&](std::string_view key, std::string_view bytes) -> core::Result<store::Visit> {
            auto entry = decode_journal(bytes);
            auto seq = store::decode_u64_be(key);
            if (!entry || !seq || *seq != expected || entry->seq != expected
                || entry->prev_hash != previous) {
                problems.add("journal chain broken at entry " + std::to_string(expected));
                broken = true;
                return store::Visit::kStop;
            }
            previous = entry->hash;
            ++expected;
            ++report.journal_entries;
            return store::Visit::kContinue;
        });
    FACTEUR_TRY(scanned);
    if (broken) {
        return {};
    }
    if (report.journal_entries != head.next_seq) {
        problems.add("journal entries are missing");
    } else if (previous != head.last_hash) {
        problems.add("journal head does not match its last entry");
    }
    return {};
}

}  // namespace

core::Result<void> Archive::hold(std::string_view id, bool on, std::string_view actor) {
    FACTEUR_TRY(check_id(id));
    Impl& impl = *impl_;
    const std::lock_guard lock(impl.commit_mu);
    if (integrity_error_) {
        return tl::unexpected(*integrity_error_);
    }
    FACTEUR_TRY_ASSIGN(const ObjectMeta meta, load_meta(impl, id));
    if (meta.destroyed_at_unix_ms) {
        return refused("ARCHIVE-DESTROYED", "object " + std::string(id) + " is destroyed");
    }
    const ObjectStatus status{on, std::nullopt, {}};
    store::WriteBatch batch;
    JournalHead journal = impl.journal;
    FACTEUR_TRY(batch.put(impl.cf.status, id, encode_status(status)));
    FACTEUR_TRY(stage_journal(impl.cf, batch, journal, clock_.now_unix_ms(), id,
                              on ? JournalAction::kHoldOn : JournalAction::kHoldOff, actor, ""));
    return commit_batch(impl, batch, impl.tree, journal);
}

core::Result<std::string> Archive::destroy(std::string_view id, std::string_view actor) {
    FACTEUR_TRY(check_id(id));
    Impl& impl = *impl_;
    const std::lock_guard lock(impl.commit_mu);
    if (integrity_error_) {
        return tl::unexpected(*integrity_error_);
    }
    FACTEUR_TRY_ASSIGN(const ObjectMeta meta, load_meta(impl, id));
    if (meta.destroyed_at_unix_ms) {
        return refused("ARCHIVE-DESTROYED", "object " + std::string(id) + " is already destroyed");
    }
    const std::int64_t now = clock_.now_unix_ms();
    store::WriteBatch batch;
    JournalHead journal = impl.journal;
    if (meta.legal_hold || now < meta.retain_until_unix_ms) {
        const std::string why = meta.legal_hold ? "legal hold" : "retention period not over";
        FACTEUR_TRY(stage_journal(impl.cf, batch, journal, now, id, JournalAction::kDestroyRefused,
                                  actor, why));
        FACTEUR_TRY(commit_batch(impl, batch, impl.tree, journal));
        return refused(meta.legal_hold ? "ARCHIVE-HOLD" : "ARCHIVE-RETENTION",
                       "object " + std::string(id) + " cannot be destroyed: " + why);
    }
    FACTEUR_TRY_ASSIGN(
        std::string record,
        sign_note(destruction_text(options_.origin, meta, now, impl.tree.size()), *impl.signer));
    // The only removal in the archive: the original bytes, after retention, without hold. The
    // leaf and the metadata stay, so every proof and checkpoint still verifies.
    FACTEUR_TRY(batch.remove(impl.cf.originals, id));
    FACTEUR_TRY(batch.put(impl.cf.status, id, encode_status(ObjectStatus{false, now, record})));
    FACTEUR_TRY(
        stage_journal(impl.cf, batch, journal, now, id, JournalAction::kDestroy, actor, ""));
    FACTEUR_TRY(commit_batch(impl, batch, impl.tree, journal));
    return record;
}

core::Result<ScrubReport> Archive::scrub() const {
    const Impl& impl = *impl_;
    CompactTree head;
    JournalHead journal;
    {
        const std::lock_guard lock(impl_->commit_mu);
        head = impl.tree;
        journal = impl.journal;
    }
    ScrubReport report;
    Problems problems{report, options_.scrub_problems_max};
    FACTEUR_TRY_ASSIGN(const auto roots, scrub_checkpoints(impl, options_.origin, problems));
    report.checkpoints = roots.size();
    if (const auto it = roots.find(0); it != roots.end() && it->second != empty_root()) {
        problems.add("checkpoint 0 is not the empty tree");
    }
    auto replayed = replay_leaves(
        impl, head.size(),
        [&](std::uint64_t index, std::string_view entry, const CompactTree& tree,
            const std::vector<NodeHash>& completed) -> core::Result<void> {
            ++report.leaves;
            FACTEUR_TRY(scrub_leaf(impl, index, entry, report, problems));
            for (const NodeHash& node : completed) {
                ++report.subtrees;
                auto cached = StoreTree(impl, tree.size()).cached_subtree_hash(node.node);
                if (!cached || !*cached || **cached != node.hash) {
                    problems.add("cached subtree " + std::to_string(node.node.level) + "/"
                                 + std::to_string(node.node.index) + " is wrong or missing");
                }
            }
            if (const auto it = roots.find(tree.size()); it != roots.end()) {
                FACTEUR_TRY_ASSIGN(const Hash root, tree.root());
                if (root != it->second) {
                    problems.add("the log's root at size " + std::to_string(tree.size())
                                 + " differs from the signed checkpoint's");
                }
            }
            return {};
        });
    if (!replayed) {
        problems.add("leaves: " + replayed.error().message);
    } else if (!std::equal(replayed->frontier().begin(), replayed->frontier().end(),
                           head.frontier().begin(), head.frontier().end())) {
        problems.add("the leaves do not hash to the stored frontier");
    }
    if (!roots.empty() && roots.rbegin()->first > head.size()) {
        problems.add("a checkpoint is beyond the end of the log");
    }
    FACTEUR_TRY(scrub_journal(impl, journal, report, problems));
    return report;
}

}  // namespace facteur::archive
