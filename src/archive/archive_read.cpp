// Archive reads: originals, metadata, proofs, listings, journal, numbering gaps. Every read is
// checked against the hashes that commit to it, and accesses to an object are journaled.

#include <algorithm>
#include <charconv>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "facteur/archive/archive.h"
#include "facteur/archive/checkpoint.h"
#include "facteur/archive/leaf.h"
#include "facteur/crypto/sha256.h"

#include "archive_impl.h"

namespace facteur::archive {

namespace {

using core::Errc;

tl::unexpected<core::Error> data_loss(std::string message) {
    return core::fail(Errc::kDataLoss, "ARCHIVE-INTEGRITY", std::move(message), {});
}

using MetaVisitor = std::function<core::Result<store::Visit>(const ObjectMeta&)>;

bool matches(const ObjectMeta& meta, const ListFilter& filter) {
    const InvoiceMetadata& invoice = meta.invoice;
    return (filter.seller_siren.empty() || invoice.seller_siren == filter.seller_siren)
           && (filter.buyer_siren.empty() || invoice.buyer_siren == filter.buyer_siren)
           && (filter.number.empty() || invoice.number == filter.number)
           && (filter.issued_from.empty() || invoice.issue_date >= filter.issued_from)
           && (filter.issued_to.empty() || invoice.issue_date <= filter.issued_to);
}

/// [begin, end) of the keys "<party>\0<date>\0<id>" (or "<date>\0<id>") in the date range.
std::pair<std::string, std::string> date_range(std::string_view party, const ListFilter& filter) {
    std::string prefix;
    if (!party.empty()) {
        prefix.append(party).push_back('\0');
    }
    std::string begin = prefix + filter.issued_from;
    // Keys continue with '\0' after the date, so date + '\x01' bounds every key of that date.
    std::string end = filter.issued_to.empty() ? store::prefix_successor(prefix)
                                               : prefix + filter.issued_to + '\x01';
    return {std::move(begin), std::move(end)};
}

/// Calls `visit` with the metadata of every object matching `filter`, through the most
/// selective index: seller + number, seller, buyer, then issue date.
core::Result<void> for_each_match(const Archive::Impl& impl, const ListFilter& filter,
                                  const MetaVisitor& visit) {
    const auto check = [&](std::string_view id) -> core::Result<store::Visit> {
        FACTEUR_TRY_ASSIGN(const ObjectMeta meta, load_meta(impl, id));
        return matches(meta, filter) ? visit(meta) : store::Visit::kContinue;
    };
    const auto id_at_end = [&](std::string_view key, std::string_view) {
        return check(key.substr(key.size() - std::min(key.size(), kObjectIdChars)));
    };
    if (!filter.seller_siren.empty() && !filter.number.empty()) {
        std::string prefix = filter.seller_siren;
        prefix.push_back('\0');
        prefix.append(filter.number).push_back('\0');
        return impl.db->scan_prefix(
            impl.cf.by_seller_number, prefix,
            [&](std::string_view, std::string_view id) { return check(id); });
    }
    const bool by_seller = !filter.seller_siren.empty();
    const bool by_buyer = !by_seller && !filter.buyer_siren.empty();
    const store::ColumnFamily cf =
        by_seller ? impl.cf.by_seller : (by_buyer ? impl.cf.by_buyer : impl.cf.by_date);
    const auto [begin, end] = date_range(
        by_seller ? filter.seller_siren : (by_buyer ? filter.buyer_siren : std::string()), filter);
    return impl.db->scan(cf, begin, end, id_at_end);
}

/// Splits "FA-2026-000123" into ("FA-2026-", 123); nullopt without trailing digits (or more
/// than 18 of them).
std::optional<std::pair<std::string, std::uint64_t>> split_number(std::string_view number) {
    std::size_t digits = 0;
    while (digits < number.size() && number[number.size() - 1 - digits] >= '0'
           && number[number.size() - 1 - digits] <= '9') {
        ++digits;
    }
    if (digits == 0 || digits > 18) {
        return std::nullopt;
    }
    const std::string_view tail = number.substr(number.size() - digits);
    std::uint64_t value = 0;
    std::from_chars(tail.data(), tail.data() + tail.size(), value);
    return std::pair{std::string(number.substr(0, number.size() - digits)), value};
}

/// The holes and duplicates of one series, given value -> numbers.
NumberSeries analyse_series(std::string year, std::string prefix,
                            const std::map<std::uint64_t, std::vector<std::string>>& values,
                            std::size_t& ranges_left, bool& truncated) {
    NumberSeries series{std::move(year),
                        std::move(prefix),
                        values.begin()->first,
                        values.rbegin()->first,
                        0,
                        {},
                        {}};
    std::optional<std::uint64_t> previous;
    for (const auto& [value, numbers] : values) {
        series.count += numbers.size();
        if (numbers.size() > 1) {
            series.duplicates.push_back(DuplicateNumber{value, numbers});
        }
        if (previous && value > *previous + 1) {
            if (ranges_left == 0) {
                truncated = true;
            } else {
                --ranges_left;
                series.missing.push_back(NumberRange{*previous + 1, value - 1});
            }
        }
        previous = value;
    }
    return series;
}

}  // namespace

core::Result<std::string> Archive::get(std::string_view id, std::string_view actor) {
    FACTEUR_TRY(check_id(id));
    FACTEUR_TRY_ASSIGN(const ObjectMeta meta, load_meta(*impl_, id));
    if (meta.destroyed_at_unix_ms) {
        return core::fail(Errc::kNotFound, "ARCHIVE-DESTROYED",
                          "the original of object " + std::string(id)
                              + " was destroyed after its retention period",
                          {});
    }
    FACTEUR_TRY_ASSIGN(std::optional<std::string> bytes, impl_->db->get(impl_->cf.originals, id));
    if (!bytes) {
        return data_loss("the original of object " + std::string(id) + " is missing");
    }
    FACTEUR_TRY_ASSIGN(const crypto::Sha256Digest sha, crypto::sha256(*bytes));
    if (sha != meta.sha256 || bytes->size() != meta.size_bytes) {
        return data_loss("the original of object " + std::string(id)
                         + " does not match its SHA-256");
    }
    FACTEUR_TRY(journal_accesses(*impl_, clock_.now_unix_ms(), {std::string(id)},
                                 JournalAction::kGet, actor, access_durability()));
    return std::move(*bytes);
}

core::Result<ObjectMeta> Archive::meta(std::string_view id, std::string_view actor) {
    FACTEUR_TRY(check_id(id));
    FACTEUR_TRY_ASSIGN(ObjectMeta meta, load_meta(*impl_, id));
    FACTEUR_TRY(journal_accesses(*impl_, clock_.now_unix_ms(), {std::string(id)},
                                 JournalAction::kMeta, actor, access_durability()));
    return meta;
}

core::Result<InclusionProof> Archive::proof(std::string_view id, std::string_view actor) {
    FACTEUR_TRY(check_id(id));
    FACTEUR_TRY_ASSIGN(const ObjectMeta meta, load_meta(*impl_, id));
    const auto latest = [this] {
        const std::lock_guard lock(impl_->checkpoint_mu);
        return std::pair{impl_->checkpoint_note, impl_->checkpoint};
    };
    auto [note, checkpoint] = latest();
    if (meta.leaf_index >= checkpoint.tree_size) {
        FACTEUR_TRY(this->checkpoint());
        std::tie(note, checkpoint) = latest();
    }
    InclusionProof proof{std::string(id), meta.leaf_index, {}, checkpoint.tree_size, {}, note, {}};
    FACTEUR_TRY_ASSIGN(proof.leaf_entry, load_leaf(*impl_, meta.leaf_index));
    FACTEUR_TRY_ASSIGN(proof.hashes, inclusion_proof(StoreTree(*impl_, checkpoint.tree_size),
                                                     meta.leaf_index, checkpoint.tree_size));
    // Check before handing it out: a proof that does not verify means the store lied.
    FACTEUR_TRY_ASSIGN(const Hash leaf_hash, hash_leaf(proof.leaf_entry));
    if (!verify_inclusion(proof.leaf_index, proof.tree_size, leaf_hash, proof.hashes,
                          checkpoint.root_hash)) {
        return data_loss("the inclusion proof of object " + std::string(id)
                         + " does not verify against checkpoint "
                         + std::to_string(checkpoint.tree_size));
    }
    FACTEUR_TRY_ASSIGN(const auto token, timestamp_token(checkpoint.tree_size));
    if (token) {
        proof.timestamp_token = *token;
    }
    FACTEUR_TRY(journal_accesses(*impl_, clock_.now_unix_ms(), {std::string(id)},
                                 JournalAction::kProof, actor, access_durability()));
    return proof;
}

core::Result<std::vector<ObjectMeta>> Archive::list(const ListFilter& filter,
                                                    std::string_view actor) {
    FACTEUR_TRY(check_filter(filter));
    const std::size_t limit = std::min(filter.limit, options_.results_max);
    std::vector<ObjectMeta> found;
    if (limit > 0) {
        FACTEUR_TRY(for_each_match(*impl_, filter, [&](const ObjectMeta& meta) {
            found.push_back(meta);
            return found.size() < limit ? store::Visit::kContinue : store::Visit::kStop;
        }));
    }
    std::vector<std::string> ids;
    for (const ObjectMeta& meta : found) {
        ids.push_back(meta.id);
    }
    FACTEUR_TRY(journal_accesses(*impl_, clock_.now_unix_ms(), ids, JournalAction::kList, actor,
                                 access_durability()));
    return found;
}

core::Result<std::uint64_t> Archive::count(const ListFilter& filter) const {
    FACTEUR_TRY(check_filter(filter));
    std::uint64_t count = 0;
    FACTEUR_TRY(for_each_match(*impl_, filter, [&](const ObjectMeta&) {
        ++count;
        return store::Visit::kContinue;
    }));
    return count;
}

core::Result<std::vector<JournalEntry>> Archive::journal(std::string_view id) const {
    FACTEUR_TRY(check_id(id));
    FACTEUR_TRY_ASSIGN(const std::optional<std::string> exists, impl_->db->get(impl_->cf.meta, id));
    if (!exists) {
        return core::fail(Errc::kNotFound, "ARCHIVE-NOT-FOUND",
                          "no archived object " + std::string(id), {});
    }
    std::vector<JournalEntry> entries;
    const core::Result<void> scanned = impl_->db->scan_prefix(
        impl_->cf.journal_by_object, id,
        [&](std::string_view key, std::string_view) -> core::Result<store::Visit> {
            const std::string seq(key.substr(id.size()));
            FACTEUR_TRY_ASSIGN(const std::optional<std::string> bytes,
                               impl_->db->get(impl_->cf.journal, seq));
            if (!bytes) {
                return data_loss("a journal entry of object " + std::string(id) + " is missing");
            }
            FACTEUR_TRY_ASSIGN(JournalEntry entry, decode_journal(*bytes));
            FACTEUR_TRY_ASSIGN(const std::uint64_t expected, store::decode_u64_be(seq));
            if (entry.seq != expected || entry.object_id != id) {
                return data_loss("journal entry " + std::to_string(expected) + " is misplaced");
            }
            entries.push_back(std::move(entry));
            return entries.size() < options_.results_max ? store::Visit::kContinue
                                                         : store::Visit::kStop;
        });
    FACTEUR_TRY(scanned);
    return entries;
}

core::Result<GapReport> Archive::gaps(std::string_view seller_siren) const {
    if (!is_siren(seller_siren)) {
        return core::fail(Errc::kInvalidInput, "ARCHIVE-REQUEST", "seller is not a SIREN", {});
    }
    // (year, prefix) -> value -> numbers; the key is seller \0 number \0 year.
    std::map<std::pair<std::string, std::string>, std::map<std::uint64_t, std::vector<std::string>>>
        series;
    GapReport report;
    std::string prefix(seller_siren);
    prefix.push_back('\0');
    const core::Result<void> scanned = impl_->db->scan_prefix(
        impl_->cf.by_seller_number, prefix,
        [&](std::string_view key, std::string_view) -> core::Result<store::Visit> {
            key.remove_prefix(prefix.size());
            const std::size_t split = key.rfind('\0');
            if (split == std::string_view::npos) {
                return data_loss("malformed seller/number index key");
            }
            const std::string_view number = key.substr(0, split);
            const std::string year(key.substr(split + 1));
            if (auto parts = split_number(number)) {
                series[{year, parts->first}][parts->second].emplace_back(number);
            } else {
                report.unnumbered.emplace_back(number);
            }
            return store::Visit::kContinue;
        });
    FACTEUR_TRY(scanned);
    std::size_t ranges_left = options_.gap_ranges_max;
    for (const auto& [name, values] : series) {
        report.series.push_back(
            analyse_series(name.first, name.second, values, ranges_left, report.truncated));
    }
    return report;
}

}  // namespace facteur::archive
