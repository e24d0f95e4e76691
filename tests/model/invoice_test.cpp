#include "facteur/model/invoice.h"

#include <gtest/gtest.h>

#include "facteur/model/terms.h"

namespace facteur::model {
namespace {

template <class T>
Value<T> value(T v, std::string path = {}) {
    return Value<T>{std::move(v), Source{std::move(path), 1}, std::nullopt};
}

Invoice small_invoice() {
    Invoice inv;
    inv.number = value<std::string>("INV-1", "/Invoice/cbc:ID");
    inv.issue_date = value(Date{2024, 3, 1});
    inv.totals.sum_of_line_net_amounts = value(Decimal{1990, 2});
    inv.seller.name = value<std::string>("Seller SA");
    inv.seller.identifiers.push_back(value(Identifier{"123", "0088", std::nullopt}));
    inv.seller.identifiers.push_back(value(Identifier{"456", std::nullopt, std::nullopt}));
    InvoiceLine line;
    line.id = value<std::string>("1");
    line.net_amount = value(Decimal{1990, 2});
    line.allowances.push_back(LineAllowanceCharge{});
    line.allowances.back().amount = Value<Decimal>{{}, Source{"/x", 7}, "12,5"};
    line.item.classification_ids.push_back(value(Identifier{"9873242", "SSR", "1.0"}));
    inv.lines.push_back(line);
    inv.lines.push_back(line);
    return inv;
}

const FlatValue* find(const std::vector<FlatValue>& flat, std::string_view term,
                      std::string_view occurrence) {
    for (const FlatValue& f : flat) {
        if (f.term == term && f.occurrence == occurrence) {
            return &f;
        }
    }
    return nullptr;
}

TEST(InvoiceTest, AbsentTermsAreAbsentNotZero) {
    const Invoice inv;
    EXPECT_FALSE(inv.number);
    EXPECT_FALSE(inv.totals.sum_of_line_net_amounts);
    EXPECT_TRUE(inv.seller.source.path.empty());
    EXPECT_TRUE(flatten(inv).empty());
}

TEST(InvoiceTest, FlattenListsEveryPresentValueWithItsOccurrence) {
    const Invoice inv = small_invoice();
    const auto flat = flatten(inv);
    ASSERT_NE(find(flat, "BT-1", ""), nullptr);
    EXPECT_EQ(find(flat, "BT-1", "")->value, "INV-1");
    EXPECT_EQ(find(flat, "BT-1", "")->source->path, "/Invoice/cbc:ID");
    EXPECT_EQ(find(flat, "BT-2", "")->value, "2024-03-01");
    EXPECT_EQ(find(flat, "BT-106", "BG-22")->value, "19.9");  // canonical: no trailing zero
    EXPECT_EQ(find(flat, "BT-27", "BG-4")->value, "Seller SA");
    EXPECT_EQ(find(flat, "BT-29", "BG-4/BT-29[1]")->value, "123");
    EXPECT_EQ(find(flat, "BT-29-1", "BG-4/BT-29[1]")->value, "0088");
    EXPECT_EQ(find(flat, "BT-29", "BG-4/BT-29[2]")->value, "456");
    EXPECT_EQ(find(flat, "BT-29-1", "BG-4/BT-29[2]"), nullptr);
    EXPECT_EQ(find(flat, "BT-131", "BG-25[2]")->value, "19.9");
    EXPECT_EQ(find(flat, "BT-136", "BG-25[1]/BG-27[1]")->value, "?12,5");
    EXPECT_EQ(find(flat, "BT-158-2", "BG-25[2]/BG-31/BT-158[1]")->value, "1.0");
    // Sources point into the invoice, not into copies.
    EXPECT_EQ(find(flat, "BT-136", "BG-25[1]/BG-27[1]")->source,
              &inv.lines[0].allowances[0].amount->source);
}

TEST(InvoiceTest, FlattenUsesCatalogueIds) {
    for (const FlatValue& f : flatten(small_invoice())) {
        const TermInfo* term = find_term(f.term);
        ASSERT_NE(term, nullptr) << f.term;
        EXPECT_NE(term->kind, TermKind::kGroup) << f.term;
    }
}

TEST(InvoiceTest, UnparsedValuesKeepTheirText) {
    const Value<Decimal> bad{{}, Source{"/Invoice/cbc:X", 3}, "abc"};
    EXPECT_FALSE(bad.parsed());
    EXPECT_EQ(*bad.unparsed, "abc");
    EXPECT_TRUE(value(Decimal{1, 0}).parsed());
}

}  // namespace
}  // namespace facteur::model
