#include "facteur/model/terms.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace facteur::model {
namespace {

TEST(TermsTest, ListsEveryGroupAndTermOfEn16931) {
    for (int n = 1; n <= 32; ++n) {
        EXPECT_NE(find_term("BG-" + std::to_string(n)), nullptr) << "BG-" << n;
    }
    for (int n = 1; n <= 165; ++n) {
        const std::string id = "BT-" + std::to_string(n);
        // EN 16931-1:2017 has no BT-4 (withdrawn during drafting).
        EXPECT_EQ(find_term(id) != nullptr, n != 4) << id;
    }
    for (const std::string_view sub :
         {"BT-18-1", "BT-29-1", "BT-30-1", "BT-34-1", "BT-46-1", "BT-47-1", "BT-49-1", "BT-60-1",
          "BT-61-1", "BT-71-1", "BT-125-1", "BT-125-2", "BT-128-1", "BT-157-1", "BT-158-1",
          "BT-158-2"}) {
        EXPECT_NE(find_term(sub), nullptr) << sub;
    }
    EXPECT_EQ(terms().size(), 32U + 164U + 16U);
}

TEST(TermsTest, EntriesAreUniqueWellFormedAndNested) {
    std::set<std::string_view> seen;
    for (const TermInfo& term : terms()) {
        EXPECT_TRUE(seen.insert(term.id).second) << term.id;
        EXPECT_FALSE(term.name.empty()) << term.id;
        EXPECT_TRUE(term.cardinality == "0..1" || term.cardinality == "1..1"
                    || term.cardinality == "0..n" || term.cardinality == "1..n")
            << term.id;
        EXPECT_EQ(term.kind == TermKind::kGroup, term.id.starts_with("BG-")) << term.id;
        if (term.parent.empty()) {
            continue;
        }
        // The parent comes first in the table: a group for a term or group, the qualified term
        // for a scheme sub-term ("BT-29" for "BT-29-1").
        EXPECT_TRUE(seen.contains(term.parent)) << term.id << " before its parent " << term.parent;
        const TermInfo* parent = find_term(term.parent);
        ASSERT_NE(parent, nullptr) << term.id;
        const bool sub_term = term.id.find('-', 3) != std::string_view::npos;
        EXPECT_EQ(parent->kind == TermKind::kGroup, !sub_term) << term.id;
    }
}

TEST(TermsTest, KnowsNamesKindsAndCardinalities) {
    const TermInfo* bt106 = find_term("BT-106");
    ASSERT_NE(bt106, nullptr);
    EXPECT_EQ(bt106->name, "Sum of Invoice line net amount");
    EXPECT_EQ(bt106->kind, TermKind::kAmount);
    EXPECT_EQ(bt106->parent, "BG-22");
    EXPECT_TRUE(is_mandatory(*bt106));
    EXPECT_FALSE(is_repeatable(*bt106));
    const TermInfo* bg25 = find_term("BG-25");
    ASSERT_NE(bg25, nullptr);
    EXPECT_TRUE(is_mandatory(*bg25));
    EXPECT_TRUE(is_repeatable(*bg25));
    EXPECT_EQ(find_term("BT-146")->kind, TermKind::kUnitPriceAmount);
    EXPECT_EQ(find_term("BG-14")->parent, "BG-13");
    EXPECT_EQ(term_kind_name(TermKind::kDocumentReference), "document-reference");
    EXPECT_EQ(find_term("BT-4"), nullptr);
    EXPECT_EQ(find_term(""), nullptr);
}

}  // namespace
}  // namespace facteur::model
