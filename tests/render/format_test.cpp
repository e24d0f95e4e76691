// render's French formatting: exact decimals with French grouping, dates, code labels, notes.
#include "format.h"

#include <cstdint>

#include <gtest/gtest.h>

namespace facteur::render {

namespace {

const std::string kSp(kNbsp);

model::Note note(std::string subject, std::string text) {
    model::Note n;
    if (!subject.empty()) {
        n.subject_code = model::Value<std::string>{std::move(subject), {}, std::nullopt};
    }
    n.note = model::Value<std::string>{std::move(text), {}, std::nullopt};
    return n;
}

}  // namespace

TEST(RenderFormatTest, DecimalsAreGroupedByThreeWithACommaBeforeTheFraction) {
    EXPECT_EQ(format_decimal({123456, 2}, 2, false), "1" + kSp + "234,56");
    EXPECT_EQ(format_decimal({100000000, 0}, 0, false), "100" + kSp + "000" + kSp + "000");
    EXPECT_EQ(format_decimal({5, 2}, 2, false), "0,05");
    EXPECT_EQ(format_decimal({-5, 1}, 2, false), "-0,50");
    EXPECT_EQ(format_decimal({0, 0}, 2, false), "0,00");
    EXPECT_EQ(format_decimal({-123456789, 3}, 2, false), "-123" + kSp + "456,789");
}

TEST(RenderFormatTest, TrimDropsOnlyTrailingFractionalZeros) {
    EXPECT_EQ(format_decimal({10000, 4}, 0, true), "1");
    EXPECT_EQ(format_decimal({55, 1}, 0, true), "5,5");
    EXPECT_EQ(format_decimal({1500, 2}, 0, true), "15");
    EXPECT_EQ(format_decimal({0, 3}, 0, true), "0");
}

TEST(RenderFormatTest, ExtremeUnitsStayExact) {
    EXPECT_EQ(format_decimal({INT64_MIN, 2}, 2, false),
              "-92" + kSp + "233" + kSp + "720" + kSp + "368" + kSp + "547" + kSp + "758,08");
    EXPECT_EQ(format_decimal({INT64_MAX, 18}, 0, true), "9,223372036854775807");
}

TEST(RenderFormatTest, AmountsCarryTheCurrency) {
    EXPECT_EQ(format_amount({123456, 2}, "EUR"), "1" + kSp + "234,56" + kSp + "€");
    EXPECT_EQ(format_amount({1, 0}, ""), "1,00" + kSp + "€");
    EXPECT_EQ(format_amount({123456, 3}, "HUF"), "123,456" + kSp + "HUF");
    EXPECT_EQ(format_percent({200, 1}), "20" + kSp + "%");
    EXPECT_EQ(format_percent({55, 1}), "5,5" + kSp + "%");
}

TEST(RenderFormatTest, DatesAreDayMonthYear) {
    EXPECT_EQ(format_date({2024, 1, 5}), "05/01/2024");
    EXPECT_EQ(format_date({987, 12, 31}), "31/12/0987");
}

TEST(RenderFormatTest, TitlesSayFactureOrAvoir) {
    EXPECT_EQ(document_title("380"), "Facture");
    EXPECT_EQ(document_title("381"), "Avoir");
    EXPECT_EQ(document_title("384"), "Facture rectificative");
    EXPECT_EQ(document_title("532"), "Avoir");
    EXPECT_EQ(document_title(""), "Facture");
    EXPECT_TRUE(is_credit_note("261"));
    EXPECT_FALSE(is_credit_note("380"));
}

TEST(RenderFormatTest, CodesHaveFrenchLabels) {
    EXPECT_EQ(payment_means_label("58"), "Virement SEPA");
    EXPECT_EQ(payment_means_label("999"), "");
    EXPECT_EQ(note_subject_label("PMT"), "Indemnité forfaitaire pour frais de recouvrement");
    EXPECT_EQ(unit_label("HUR"), "h");
    EXPECT_EQ(unit_label("XYZ"), "XYZ");
    EXPECT_EQ(vat_category_label("AE"), "Autoliquidation");
}

TEST(RenderFormatTest, UblHashPrefixBecomesTheSubject) {
    const NoteText a = split_note(note("", "#PMD#Pénalités : 3 fois le taux légal"));
    EXPECT_EQ(a.subject, "PMD");
    EXPECT_EQ(a.text, "Pénalités : 3 fois le taux légal");
    const NoteText b = split_note(note("AAB", "#AAB# Pas d'escompte"));
    EXPECT_EQ(b.subject, "AAB");
    EXPECT_EQ(b.text, "Pas d'escompte");
    const NoteText c = split_note(note("", "#1 client"));  // not a code prefix
    EXPECT_EQ(c.subject, "");
    EXPECT_EQ(c.text, "#1 client");
    const NoteText d = split_note(note("REG", "#pmt#x"));  // lower case: kept as written
    EXPECT_EQ(d.subject, "REG");
    EXPECT_EQ(d.text, "#pmt#x");
}

TEST(RenderFormatTest, ClipNeverSplitsACharacter) {
    EXPECT_EQ(clip("abc", 3), "abc");
    EXPECT_EQ(clip("abcd", 3), "abc…");
    EXPECT_EQ(clip("aé", 2), "a…");  // é is two bytes: not cut in half
}

}  // namespace facteur::render
