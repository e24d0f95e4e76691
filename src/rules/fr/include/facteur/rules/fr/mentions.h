#pragma once

// The legal-mentions checklist (layer `mentions`): for each mandatory mention of CGI annexe II
// art. 242 nonies A and Code de commerce L441-9 / L441-10, which business term carries it,
// whether the invoice shows it, and, when an official rule (EN 16931 or BR-FR) already rejects
// its absence, which. Where the law asks for a mention that no official rule checks, facteur
// reports a finding of its own, id FR-MENTION-nn (docs/rules.md): a warning when the mention is
// missing, an info when it is required only in a case the invoice cannot tell (kToCheck).
//
// Runs on model::Invoice, so it covers UBL, CII and Factur-X alike.

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/model/invoice.h"
#include "facteur/model/report.h"

namespace facteur::rules::fr {

inline constexpr std::string_view kMentionsLayer = "mentions";
/// Version of facteur's checklist (bumped when a mention or its reading changes).
inline constexpr std::string_view kMentionsVersion = "facteur-mentions-1";

/// One mention of the checklist, as documented: what `facteur rules list` prints.
struct MentionRule {
    std::string_view id;        ///< "FR-MENTION-06"
    std::string_view label;     ///< English name
    std::string_view label_fr;  ///< French name
    std::string_view basis;     ///< legal basis
    std::vector<std::string_view> terms;        ///< business terms that carry it
    std::vector<std::string_view> enforced_by;  ///< official rules that reject its absence (some only in a case)
    std::string_view description;     ///< English: what facteur checks, when it reports
    std::string_view description_fr;  ///< French
    /// For UBL invoices, when the official UBL file names the rules differently (BR-FR-05):
    /// replaces `enforced_by`.
    std::vector<std::string_view> enforced_by_ubl{};
};

/// Every mention, in FR-MENTION order.
[[nodiscard]] std::span<const MentionRule> mention_catalogue();

struct MentionsResult {
    std::vector<model::MentionCheck> checks;  ///< one per catalogue entry, same order
    std::vector<model::Finding> findings;     ///< facteur's own FR-MENTION-nn findings
};

/// Spells the path of a value read without one (formats::binding::ReadOptions::paths off):
/// xml::Tree::path(source.node) of the tree the invoice was read from.
using PathSpeller = std::function<std::string(const model::Source&)>;

/// The checklist for one invoice. Never fails: an absent term is a missing mention. A finding's
/// location is its value's Source::path, or `spell`'s when the reader left that path out.
[[nodiscard]] MentionsResult check_mentions(const model::Invoice& invoice,
                                            const PathSpeller& spell = {});

}  // namespace facteur::rules::fr
