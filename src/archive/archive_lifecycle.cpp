// Archive lifecycle: legal hold, destruction after retention, and scrub (the full audit).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "facteur/archive/archive.h"
#include "facteur/archive/checkpoint.h"
#include "facteur/archive/leaf.h"
#include "facteur/crypto/encoding.h"
#include "facteur/crypto/sha256.h"
#include "facteur/crypto/timestamp.h"

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

/// What the journal says of an object's lifecycle: its last hold action and its destruction.
/// The status records must agree (a rewritten or deleted status record is found this way).
struct JournaledState {
    bool legal_hold = false;
    bool destroyed = false;
};

/// Objects whose journal has a hold or destruction entry; absent: no hold, not destroyed.
using JournaledStates = std::map<std::string, JournaledState, std::less<>>;

/// A read error that means stored bytes are damaged becomes a problem; any other is returned.
core::Result<void> damaged_or_error(const core::Error& error, const std::string& what,
                                    Problems& problems) {
    if (error.code != Errc::kDataLoss) {
        return tl::unexpected(error);
    }
    problems.add(what + ": " + error.message);
    return {};
}

/// Whether `key` is present in `cf` (with `expected` as value when given); damaged reads are
/// problems.
core::Result<bool> has_entry(const Archive::Impl& impl, store::ColumnFamily cf,
                             std::string_view key, const std::string& what, Problems& problems,
                             std::optional<std::string_view> expected = std::nullopt) {
    auto value = impl.db->get(cf, key);
    if (!value) {
        FACTEUR_TRY(damaged_or_error(value.error(), what, problems));
        return false;
    }
    return value->has_value() && (!expected || **value == *expected);
}

/// Checks that the search indexes (duplicates, seller, buyer, issue date) list the object.
core::Result<void> scrub_indexes(const Archive::Impl& impl, const ObjectMeta& meta,
                                 const std::string& at, ScrubReport& report, Problems& problems) {
    const InvoiceMetadata& invoice = meta.invoice;
    std::vector<std::pair<store::ColumnFamily, std::string>> keys{
        {impl.cf.by_seller, date_index_key(invoice.seller_siren, invoice.issue_date, meta.id)},
        {impl.cf.by_date, date_index_key({}, invoice.issue_date, meta.id)}};
    if (!invoice.buyer_siren.empty()) {
        keys.emplace_back(impl.cf.by_buyer,
                          date_index_key(invoice.buyer_siren, invoice.issue_date, meta.id));
    }
    const std::string what = at + "index entries of object " + meta.id;
    FACTEUR_TRY_ASSIGN(const bool numbered,
                       has_entry(impl, impl.cf.by_seller_number, seller_number_key(invoice), what,
                                 problems, std::string_view(meta.id)));
    bool complete = numbered;
    for (const auto& [cf, key] : keys) {
        FACTEUR_TRY_ASSIGN(const bool present, has_entry(impl, cf, key, what, problems));
        complete = complete && present;
    }
    report.index_entries += keys.size() + 1;
    if (!complete) {
        problems.add(what + " are missing or wrong: it would not be found by list, count or gaps");
    }
    return {};
}

/// Checks the records of one leaf: its metadata, status, original or destruction record.
core::Result<void> scrub_leaf(const Archive::Impl& impl, std::uint64_t index,
                              std::string_view entry, const JournaledStates& journaled,
                              ScrubReport& report, Problems& problems) {
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
    FACTEUR_TRY(scrub_indexes(impl, *meta, at, report, problems));
    const auto state = journaled.find(leaf->id);
    const JournaledState expected = state == journaled.end() ? JournaledState{} : state->second;
    if (meta->legal_hold != expected.legal_hold
        || meta->destroyed_at_unix_ms.has_value() != expected.destroyed) {
        problems.add(at + "status of object " + leaf->id
                     + " (legal hold, destruction) differs from its journal");
    }
    auto original = impl.db->get(impl.cf.originals, leaf->id);
    if (!original) {
        ++report.originals;
        return damaged_or_error(original.error(), at + "original of object " + leaf->id, problems);
    }
    if (meta->destroyed_at_unix_ms) {
        ++report.destroyed;
        if (*original) {
            problems.add(at + "object " + leaf->id + " is destroyed but its original remains");
        }
        auto record = open_note(meta->destruction_record, *impl.verifier);
        if (!record || record->text.find("\nid " + leaf->id + "\n") == std::string::npos) {
            problems.add(at + "destruction record of " + leaf->id
                         + " does not verify or is another object's");
        }
        return {};
    }
    ++report.originals;
    if (!*original) {
        problems.add(at + "original of object " + leaf->id + " is missing");
        return {};
    }
    FACTEUR_TRY_ASSIGN(const crypto::Sha256Digest sha, crypto::sha256(**original));
    if (sha != leaf->content_sha256 || (*original)->size() != leaf->size_bytes) {
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
    if (!scanned) {
        FACTEUR_TRY(damaged_or_error(scanned.error(), "checkpoints", problems));
    }
    return roots;
}

/// Every stored timestamp token (after scrub_checkpoints() counted the checkpoints): for an
/// existing checkpoint, over the SHA-256 of its note, and
/// verifying against one of the TSA certificates the archive recorded.
core::Result<void> scrub_timestamps(const Archive::Impl& impl, ScrubReport& report,
                                    Problems& problems) {
    FACTEUR_TRY_ASSIGN(const std::vector<std::string> anchors, tsa_certificates(impl));
    const core::Result<void> scanned = impl.db->scan(
        impl.cf.timestamps, "", "",
        [&](std::string_view key, std::string_view token) -> core::Result<store::Visit> {
            auto size = store::decode_u64_be(key);
            const std::string at =
                "timestamp of checkpoint " + (size ? std::to_string(*size) : std::string("?"));
            auto note = size ? impl.db->get(impl.cf.checkpoints, key)
                             : core::Result<std::optional<std::string>>(std::nullopt);
            if (!note || !*note) {
                problems.add(at + ": no such checkpoint");
                return store::Visit::kContinue;
            }
            FACTEUR_TRY_ASSIGN(const crypto::Sha256Digest digest, crypto::sha256(**note));
            std::string why = "no TSA certificate recorded";
            for (const std::string& anchor : anchors) {
                auto verified =
                    crypto::verify_timestamp_token(crypto::as_bytes(token), digest, anchor);
                if (verified) {
                    why.clear();
                    break;
                }
                why = verified.error().message;
            }
            if (!why.empty()) {
                problems.add(at + " does not verify: " + why);
            } else {
                ++report.timestamps;
            }
            return store::Visit::kContinue;
        });
    if (!scanned) {
        return damaged_or_error(scanned.error(), "timestamps", problems);
    }
    report.timestamps_pending =
        report.checkpoints > report.timestamps ? report.checkpoints - report.timestamps : 0;
    return {};
}

/// The journal hash chain up to `head`.
core::Result<void> scrub_journal(const Archive::Impl& impl, const JournalHead& head,
                                 JournaledStates& journaled, ScrubReport& report,
                                 Problems& problems) {
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
            if (entry->action == JournalAction::kHoldOn
                || entry->action == JournalAction::kHoldOff) {
                journaled[entry->object_id].legal_hold = entry->action == JournalAction::kHoldOn;
            } else if (entry->action == JournalAction::kDestroy) {
                JournaledState& state = journaled[entry->object_id];
                state.destroyed = true;
                state.legal_hold = false;
            }
            previous = entry->hash;
            ++expected;
            ++report.journal_entries;
            return store::Visit::kContinue;
        });
    if (!scanned) {
        return damaged_or_error(scanned.error(), "journal", problems);
    }
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

core::Result<void> Archive::flush() {
    return impl_->db->flush();
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
    // Every block and whole-file checksum of the table files first: damage in bytes that no
    // record read below touches (index and filter blocks, overwritten versions) is found too.
    if (auto verified = impl.db->verify_files(); !verified) {
        FACTEUR_TRY(damaged_or_error(verified.error(), "store files", problems));
    }
    JournaledStates journaled;
    FACTEUR_TRY(scrub_journal(impl, journal, journaled, report, problems));
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
            FACTEUR_TRY(scrub_leaf(impl, index, entry, journaled, report, problems));
            for (const NodeHash& node : completed) {
                ++report.subtrees;
                auto cached = StoreTree(impl, tree.size()).stored_subtree_hash(node.node);
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
    FACTEUR_TRY(scrub_timestamps(impl, report, problems));
    if (!roots.empty() && roots.rbegin()->first > head.size()) {
        problems.add("a checkpoint is beyond the end of the log");
    }
    return report;
}

}  // namespace facteur::archive
