// The legal-mentions checklist on the model: the project's French sample (UBL), read by the UBL
// binding, then changed term by term.
#include "facteur/rules/fr/mentions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "facteur/core/file.h"
#include "facteur/formats/ubl/ubl_reader.h"
#include "facteur/testing/testing.h"
#include "facteur/xml/document.h"

namespace facteur::rules::fr {
namespace {

using model::MentionStatus;

model::Invoice sample_invoice() {
    auto bytes = core::read_file(testing::fixtures_dir() / "samples" / "facture-ubl.xml", 1U << 20U);
    EXPECT_TRUE(bytes.has_value());
    auto doc = xml::parse(*bytes, xml::Limits{});
    EXPECT_TRUE(doc.has_value());
    auto invoice = formats::ubl::read_ubl(*doc);
    EXPECT_TRUE(invoice.has_value());
    return *invoice;
}

const model::MentionCheck& check(const MentionsResult& r, std::string_view id) {
    const auto it = std::find_if(r.checks.begin(), r.checks.end(),
                                 [&](const model::MentionCheck& c) { return c.id == id; });
    EXPECT_NE(it, r.checks.end()) << id;
    return *it;
}

const model::Finding* finding(const MentionsResult& r, std::string_view id) {
    const auto it = std::find_if(r.findings.begin(), r.findings.end(),
                                 [&](const model::Finding& f) { return f.rule == id; });
    return it == r.findings.end() ? nullptr : &*it;
}

TEST(MentionsTest, CatalogueHasTwentyTwoNumberedMentionsInBothLanguages) {
    const auto catalogue = mention_catalogue();
    ASSERT_EQ(catalogue.size(), 22U);
    std::set<std::string_view> ids;
    for (std::size_t i = 0; i < catalogue.size(); ++i) {
        const MentionRule& m = catalogue[i];
        EXPECT_EQ(m.id, "FR-MENTION-" + std::string(i < 9 ? "0" : "") + std::to_string(i + 1));
        EXPECT_FALSE(m.label.empty()) << m.id;
        EXPECT_FALSE(m.label_fr.empty()) << m.id;
        EXPECT_FALSE(m.basis.empty()) << m.id;
        EXPECT_FALSE(m.terms.empty()) << m.id;
        EXPECT_FALSE(m.description_fr.empty()) << m.id;
        ids.insert(m.id);
    }
    EXPECT_EQ(ids.size(), catalogue.size());
}

TEST(MentionsTest, TheFrenchSampleShowsEveryMentionItMust) {
    const MentionsResult r = check_mentions(sample_invoice());
    ASSERT_EQ(r.checks.size(), 22U);
    for (const char* id : {"FR-MENTION-01", "FR-MENTION-02", "FR-MENTION-03", "FR-MENTION-04", "FR-MENTION-05",
                           "FR-MENTION-06", "FR-MENTION-07", "FR-MENTION-08", "FR-MENTION-09", "FR-MENTION-10",
                           "FR-MENTION-11", "FR-MENTION-12", "FR-MENTION-13", "FR-MENTION-14", "FR-MENTION-15",
                           "FR-MENTION-16", "FR-MENTION-17", "FR-MENTION-18", "FR-MENTION-19", "FR-MENTION-21"}) {
        EXPECT_EQ(check(r, id).status, MentionStatus::kPresent) << id << ": " << check(r, id).message;
    }
    EXPECT_EQ(check(r, "FR-MENTION-06").value, "732829320");
    EXPECT_EQ(check(r, "FR-MENTION-09").value, "2026-11-20");
    EXPECT_EQ(check(r, "FR-MENTION-02").value, "12 rue des Tanneurs, 69002, Lyon, FR");
    EXPECT_EQ(check(r, "FR-MENTION-20").status, MentionStatus::kNotApplicable);  // services (S1)
    // services, nothing about the VAT-on-debits option: to check, an info, never a warning
    EXPECT_EQ(check(r, "FR-MENTION-22").status, MentionStatus::kToCheck);
    for (const model::Finding& f : r.findings) {
        EXPECT_EQ(f.severity, model::Severity::kInfo) << f.rule << ": " << f.message;
        EXPECT_EQ(f.layer, "mentions");
    }
}

TEST(MentionsTest, AMentionAnOfficialRuleEnforcesPointsToItWithoutAWarningOfItsOwn) {
    model::Invoice invoice = sample_invoice();
    invoice.seller.legal_registration_id.reset();
    invoice.notes.erase(std::remove_if(invoice.notes.begin(), invoice.notes.end(),
                                       [](const model::Note& n) { return n.note && n.note->value.starts_with("#PMD#"); }),
                        invoice.notes.end());
    const MentionsResult r = check_mentions(invoice);
    EXPECT_EQ(check(r, "FR-MENTION-06").status, MentionStatus::kMissing);
    EXPECT_EQ(check(r, "FR-MENTION-06").enforced_by, std::vector<std::string>{"BR-FR-10_BT-30"});
    EXPECT_EQ(check(r, "FR-MENTION-17").status, MentionStatus::kMissing);
    // the official UBL file names BR-FR-05's asserts -1, -2, -3 (CII: _PMT, _PMD, _AAB)
    EXPECT_EQ(check(r, "FR-MENTION-17").enforced_by, std::vector<std::string>{"BR-FR-05_BT-22-2"});
    EXPECT_EQ(finding(r, "FR-MENTION-06"), nullptr);
    EXPECT_EQ(finding(r, "FR-MENTION-17"), nullptr);
}

TEST(MentionsTest, AnIncompleteAddressIsFacteursOwnWarningAtTheAddress) {
    model::Invoice invoice = sample_invoice();
    invoice.seller.postal_address->line_1.reset();
    invoice.seller.postal_address->post_code.reset();
    const MentionsResult r = check_mentions(invoice);
    EXPECT_EQ(check(r, "FR-MENTION-02").status, MentionStatus::kMissing);
    EXPECT_TRUE(check(r, "FR-MENTION-02").enforced_by.empty());
    const model::Finding* f = finding(r, "FR-MENTION-02");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, model::Severity::kWarning);
    EXPECT_NE(f->location.find("PostalAddress"), std::string::npos) << f->location;
    EXPECT_GT(f->line, 0U);
    EXPECT_NE(f->message_fr.find("rue"), std::string::npos) << f->message_fr;
    EXPECT_NE(f->message_fr.find("code postal"), std::string::npos) << f->message_fr;
    EXPECT_NE(f->message.find("street"), std::string::npos) << f->message;

    // no address at all: BR-08 rejects it, no warning of facteur's
    invoice.seller.postal_address.reset();
    const MentionsResult none = check_mentions(invoice);
    EXPECT_EQ(check(none, "FR-MENTION-02").status, MentionStatus::kMissing);
    EXPECT_FALSE(check(none, "FR-MENTION-02").enforced_by.empty());
    EXPECT_EQ(finding(none, "FR-MENTION-02"), nullptr);
}

TEST(MentionsTest, BuyerSirenDependsOnTheBusinessCase) {
    model::Invoice invoice = sample_invoice();
    invoice.buyer.legal_registration_id.reset();
    // buyer in France, no BAR note: facteur warns
    EXPECT_NE(finding(check_mentions(invoice), "FR-MENTION-07"), nullptr);

    model::Note bar;
    bar.subject_code = model::Value<model::Code>{"BAR", {}, std::nullopt};
    bar.note = model::Value<model::Text>{"B2C", {}, std::nullopt};
    invoice.notes.push_back(bar);
    const MentionsResult b2c = check_mentions(invoice);
    EXPECT_EQ(check(b2c, "FR-MENTION-07").status, MentionStatus::kNotApplicable);
    EXPECT_EQ(finding(b2c, "FR-MENTION-07"), nullptr);

    invoice.notes.back().note->value = "B2B";
    const MentionsResult b2b = check_mentions(invoice);
    EXPECT_EQ(check(b2b, "FR-MENTION-07").status, MentionStatus::kMissing);
    EXPECT_EQ(check(b2b, "FR-MENTION-07").enforced_by, std::vector<std::string>{"BR-FR-11_BT-47"});
    EXPECT_EQ(finding(b2b, "FR-MENTION-07"), nullptr);
}

TEST(MentionsTest, DueDateIsRequiredOnlyWhenSomethingIsDue) {
    model::Invoice invoice = sample_invoice();
    invoice.payment_due_date.reset();
    // payment terms without a date: BR-CO-25 is satisfied, the law is not
    const MentionsResult terms = check_mentions(invoice);
    EXPECT_EQ(check(terms, "FR-MENTION-16").status, MentionStatus::kMissing);
    ASSERT_NE(finding(terms, "FR-MENTION-16"), nullptr);
    EXPECT_EQ(finding(terms, "FR-MENTION-16")->severity, model::Severity::kWarning);

    invoice.totals.amount_due->value = model::Decimal{0, 2};
    const MentionsResult paid = check_mentions(invoice);
    EXPECT_EQ(check(paid, "FR-MENTION-16").status, MentionStatus::kNotApplicable);
    EXPECT_EQ(finding(paid, "FR-MENTION-16"), nullptr);
}

TEST(MentionsTest, TheRecoveryIndemnityNoteMustStateForty) {
    model::Invoice invoice = sample_invoice();
    for (model::Note& n : invoice.notes) {
        if (n.note && n.note->value.starts_with("#PMT#")) {  // UBL: BT-21 as a #CODE# prefix
            n.note->value = "#PMT#Indemnité forfaitaire pour frais de recouvrement";
        }
    }
    const MentionsResult r = check_mentions(invoice);
    EXPECT_EQ(check(r, "FR-MENTION-18").status, MentionStatus::kMissing);
    ASSERT_NE(finding(r, "FR-MENTION-18"), nullptr);
    EXPECT_NE(finding(r, "FR-MENTION-18")->message_fr.find("40 €"), std::string::npos);
}

TEST(MentionsTest, NatureOfTheOperationDecidesDeliveryAddressAndDebits) {
    model::Invoice invoice = sample_invoice();
    invoice.process_control.business_process_type->value = "B1";  // goods
    const MentionsResult goods = check_mentions(invoice);
    EXPECT_EQ(check(goods, "FR-MENTION-21").status, MentionStatus::kPresent);
    EXPECT_EQ(check(goods, "FR-MENTION-21").value, "B1");
    EXPECT_EQ(check(goods, "FR-MENTION-20").status, MentionStatus::kToCheck);
    EXPECT_EQ(check(goods, "FR-MENTION-22").status, MentionStatus::kNotApplicable);

    invoice.vat_point_date_code = model::Value<model::Code>{"3", {}, std::nullopt};  // VAT on debits
    invoice.process_control.business_process_type->value = "S1";
    EXPECT_EQ(check(check_mentions(invoice), "FR-MENTION-22").status, MentionStatus::kPresent);

    invoice.process_control.business_process_type->value = "X9";
    const MentionsResult unknown = check_mentions(invoice);
    EXPECT_EQ(check(unknown, "FR-MENTION-21").status, MentionStatus::kMissing);
    EXPECT_EQ(check(unknown, "FR-MENTION-21").enforced_by, std::vector<std::string>{"BR-FR-08_BT-23"});
}

TEST(MentionsTest, LinesWithoutQuantityNameOrPriceAreNamed) {
    model::Invoice invoice = sample_invoice();
    ASSERT_FALSE(invoice.lines.empty());
    invoice.lines.front().quantity.reset();
    invoice.lines.front().item.name.reset();
    const MentionsResult r = check_mentions(invoice);
    const std::string id = invoice.lines.front().id ? invoice.lines.front().id->value : "";
    EXPECT_EQ(check(r, "FR-MENTION-11").status, MentionStatus::kMissing);
    EXPECT_NE(check(r, "FR-MENTION-11").message.find(id), std::string::npos);
    EXPECT_EQ(check(r, "FR-MENTION-12").status, MentionStatus::kMissing);
    EXPECT_EQ(check(r, "FR-MENTION-13").status, MentionStatus::kPresent);
}

TEST(MentionsTest, AnEmptyInvoiceIsMissingEverythingAndNeverCrashes) {
    const MentionsResult r = check_mentions(model::Invoice{});
    ASSERT_EQ(r.checks.size(), 22U);
    for (const char* id : {"FR-MENTION-01", "FR-MENTION-06", "FR-MENTION-08", "FR-MENTION-09", "FR-MENTION-11",
                           "FR-MENTION-15", "FR-MENTION-17"}) {
        EXPECT_EQ(check(r, id).status, MentionStatus::kMissing) << id;
    }
}

}  // namespace
}  // namespace facteur::rules::fr
