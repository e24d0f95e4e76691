// render_invoice_pdf on models built here: the French wording, exact amounts, notes and legal
// mentions are in the page text (read back with qpdf), fonts are embedded, long invoices flow
// over pages with the table header repeated, and every limit is an error, not a crash.
#include "facteur/render/invoice_pdf.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "pdf_probe.h"

namespace facteur::render {

namespace {

const std::string kSp = "\xC2\xA0";  // no-break space of French number formatting

template <class T>
model::Term<T> term(T value) {
    return model::Value<T>{std::move(value), {}, std::nullopt};
}

model::Term<model::Decimal> dec(std::int64_t units, std::uint8_t scale) {
    return term(model::Decimal{units, scale});
}

model::Note note(std::string subject, std::string text) {
    model::Note n;
    if (!subject.empty()) {
        n.subject_code = term(std::move(subject));
    }
    n.note = term(std::move(text));
    return n;
}

model::InvoiceLine line(int i) {
    model::InvoiceLine l;
    l.id = term(std::to_string(i));
    l.item.name = term(std::string("Prestation de conseil n° ") + std::to_string(i));
    l.quantity = dec(150, 1);
    l.quantity_unit_code = term(std::string("HUR"));
    l.price.net_price = dec(8230, 2);
    l.vat.category_code = term(std::string("S"));
    l.vat.rate = dec(20, 0);
    l.net_amount = dec(123450, 2);
    return l;
}

model::Invoice french_invoice(int line_count) {
    model::Invoice inv;
    inv.number = term(std::string("FA-2024-0042"));
    inv.issue_date = term(model::Date{2024, 3, 15});
    inv.payment_due_date = term(model::Date{2024, 4, 14});
    inv.type_code = term(std::string("380"));
    inv.currency_code = term(std::string("EUR"));
    inv.payment_terms = term(std::string("Paiement à 30 jours"));
    inv.seller.name = term(std::string("Ateliers Durand SAS"));
    inv.seller.legal_registration_id = term(model::Identifier{"732829320", "0002", {}});
    inv.seller.vat_id = term(std::string("FR44732829320"));
    inv.seller.additional_legal_information = term(std::string("SAS au capital de 10 000 €"));
    inv.seller.postal_address.emplace();
    inv.seller.postal_address->line_1 = term(std::string("12 rue de l'Église"));
    inv.seller.postal_address->city = term(std::string("Lyon"));
    inv.seller.postal_address->post_code = term(std::string("69002"));
    inv.seller.postal_address->country_code = term(std::string("FR"));
    inv.buyer.name = term(std::string("Boulangerie Œuvre & Pain"));
    inv.buyer.legal_registration_id = term(model::Identifier{"552100554", "0002", {}});
    inv.notes.push_back(note("", "#PMT#Indemnité forfaitaire de 40 € pour frais de recouvrement"));
    inv.notes.push_back(note("PMD", "Pénalités de retard : trois fois le taux d'intérêt légal"));
    inv.notes.push_back(note("AAB", "Pas d'escompte pour paiement anticipé"));
    for (int i = 1; i <= line_count; ++i) {
        inv.lines.push_back(line(i));
    }
    model::VatBreakdown vat;
    vat.category_code = term(std::string("S"));
    vat.rate = dec(20, 0);
    vat.taxable_amount = dec(123456, 2);
    vat.tax_amount = dec(24691, 2);
    inv.vat_breakdown.push_back(vat);
    inv.totals.total_without_vat = dec(123456, 2);
    inv.totals.total_vat = dec(24691, 2);
    inv.totals.total_with_vat = dec(148147, 2);
    inv.totals.amount_due = dec(148147, 2);
    inv.payment_instructions.emplace();
    inv.payment_instructions->means_type_code = term(std::string("58"));
    model::CreditTransfer ct;
    ct.account_id = term(std::string("FR7630006000011234567890189"));
    inv.payment_instructions->credit_transfers.push_back(ct);
    return inv;
}

testing::pdf::Probe render_and_probe(const model::Invoice& inv) {
    auto pdf = render_invoice_pdf(inv, RenderOptions{});
    EXPECT_TRUE(pdf.has_value()) << (pdf ? "" : pdf.error().message);
    return pdf ? testing::pdf::probe(*pdf) : testing::pdf::Probe{};
}

}  // namespace

TEST(RenderInvoicePdfTest, PageShowsTheFrenchInvoiceWithExactAmounts) {
    const testing::pdf::Probe p = render_and_probe(french_invoice(3));
    ASSERT_EQ(p.page_texts.size(), 1u);
    EXPECT_FALSE(p.warnings);
    for (const std::string& expected :
         {std::string("Facture"), std::string("N° FA-2024-0042"), std::string("15/03/2024"),
          std::string("14/04/2024"), std::string("Ateliers Durand SAS"),
          std::string("SIREN : 732829320"), std::string("N° TVA : FR44732829320"),
          std::string("SAS au capital de 10 000 €"), std::string("Boulangerie Œuvre & Pain"),
          std::string("SIREN : 552100554"), std::string("12 rue de l'Église"),
          std::string("69002 Lyon"), "1" + kSp + "234,56" + kSp + "€",
          "1" + kSp + "481,47" + kSp + "€", "246,91" + kSp + "€", "20" + kSp + "%",
          std::string("Net à payer"), std::string("Total TTC"), std::string("Total HT"),
          std::string("Total TVA"), std::string("FR7630006000011234567890189"),
          std::string("Virement SEPA (58)"), std::string("Paiement à 30 jours"),
          std::string("Désignation"), std::string("Prix unit. HT"),
          std::string("1. Prestation de conseil n° 1"), std::string("15"), std::string("h"),
          "82,30" + kSp + "€", std::string("Page 1 / 1")}) {
        EXPECT_TRUE(testing::pdf::has_text(p, expected)) << "missing: " << expected;
    }
}

TEST(RenderInvoicePdfTest, EveryLegalMentionIsShownWithoutTheHashPrefix) {
    const testing::pdf::Probe p = render_and_probe(french_invoice(1));
    EXPECT_TRUE(testing::pdf::has_text(
        p, "Indemnité forfaitaire de 40 € pour frais de recouvrement"));
    EXPECT_TRUE(testing::pdf::has_text(p, "Indemnité forfaitaire pour frais de recouvrement (PMT)"));
    EXPECT_TRUE(testing::pdf::has_text(p, "Pénalités de retard (PMD)"));
    EXPECT_TRUE(testing::pdf::has_text(p, "Escompte (AAB)"));
    EXPECT_TRUE(testing::pdf::has_text(p, "Pas d'escompte pour paiement anticipé"));
    EXPECT_FALSE(testing::pdf::has_text(p, "#PMT#"));
}

TEST(RenderInvoicePdfTest, AFrenchInvoiceUsesWinAnsiTrueTypeFontsConsistentWithTheirPrograms) {
    // Every character of french_invoice (é, è, à, Œ, €, –, no-break spaces) is in Windows-1252:
    // simple TrueType fonts, as PDF/A-3 6.2.11 wants them: embedded program with a (3,1) cmap,
    // non-symbolic, /WinAnsiEncoding, /Widths equal to the program's advances.
    const testing::pdf::Probe p = render_and_probe(french_invoice(3));
    ASSERT_EQ(p.fonts.size(), 2u);  // regular and bold
    EXPECT_TRUE(p.shown_codes.empty());
    ASSERT_FALSE(p.shown_bytes.empty());
    std::set<unsigned> measured;
    for (const testing::pdf::FontInfo& f : p.fonts) {
        EXPECT_EQ(f.subtype, "/TrueType") << f.base_font;
        EXPECT_EQ(f.encoding, "/WinAnsiEncoding") << f.base_font;
        EXPECT_TRUE(f.embedded) << f.base_font;
        EXPECT_TRUE(f.to_unicode) << f.base_font;
        EXPECT_EQ(f.flags & 4, 0) << f.base_font << ": symbolic";
        EXPECT_EQ(f.flags & 32, 32) << f.base_font << ": not non-symbolic";
        ASSERT_FALSE(f.font_program.empty()) << f.base_font;
        for (unsigned code = 0; code < f.widths.size(); ++code) {
            if (f.widths[code] == 0) {
                continue;  // a code this font never drew or measured
            }
            measured.insert(code);
            const unsigned unicode = testing::pdf::win_ansi_to_unicode(code);
            EXPECT_EQ(f.widths[code], testing::pdf::truetype_advance(f.font_program, unicode))
                << f.base_font << " code " << code << " U+" << std::hex << unicode;
        }
    }
    for (const unsigned code : p.shown_bytes) {
        EXPECT_EQ(measured.count(code), 1u) << "code " << code << " shown without a width";
    }
    for (const std::string& expected :
         {std::string("Boulangerie Œuvre & Pain"), std::string("12 rue de l'Église"),
          "1" + kSp + "481,47" + kSp + "€", std::string("SAS au capital de 10 000 €"),
          std::string("Net à payer")}) {
        EXPECT_TRUE(testing::pdf::has_text(p, expected)) << "missing: " << expected;
    }
}

TEST(RenderInvoicePdfTest, ACharacterOutsideWindows1252GivesUnicodeFontsForTheWholeDocument) {
    model::Invoice inv = french_invoice(1);
    inv.buyer.name = term(std::string("Łódź Świeże Sp. z o.o."));  // Ł, Ś: not in Windows-1252
    const testing::pdf::Probe p = render_and_probe(inv);
    ASSERT_EQ(p.fonts.size(), 2u);
    EXPECT_TRUE(p.shown_bytes.empty());
    for (const testing::pdf::FontInfo& f : p.fonts) {
        EXPECT_EQ(f.subtype, "/Type0") << f.base_font;
        EXPECT_TRUE(f.embedded) << f.base_font;
        EXPECT_TRUE(f.to_unicode) << f.base_font;
        EXPECT_EQ(f.flags & 4, 0) << f.base_font;
    }
    EXPECT_TRUE(testing::pdf::has_text(p, "Łódź Świeże Sp. z o.o."));
    EXPECT_TRUE(testing::pdf::has_text(p, "1" + kSp + "481,47" + kSp + "€"));
    EXPECT_TRUE(testing::pdf::has_text(p, "Net à payer"));
}

TEST(RenderInvoicePdfTest, CharactersNoFontHasStayOnTheWinAnsiPathAsQuestionMarks) {
    // A CJK character is not in DejaVu Sans: it is drawn as "?" whatever the encoding, so it
    // does not need the Unicode fonts.
    model::Invoice inv = french_invoice(1);
    inv.buyer.name = term(std::string("東京 Trading"));
    const testing::pdf::Probe p = render_and_probe(inv);
    ASSERT_EQ(p.fonts.size(), 2u);
    EXPECT_EQ(p.fonts[0].subtype, "/TrueType");
    EXPECT_TRUE(testing::pdf::has_text(p, "?? Trading"));
}

TEST(RenderInvoicePdfTest, FontWidthsAndGlyphMapCoverTheDrawnCharactersOnly) {
    // libharu lists every code point of the font (about 5,600 widths, a 128 KiB glyph map); the
    // canvas keeps those it drew, so that readers of the PDF do not parse the rest. "Ł" needs
    // the Unicode (Type0) fonts.
    model::Invoice inv = french_invoice(1);
    inv.buyer.name = term(std::string("Łukasz"));
    const testing::pdf::Probe p = render_and_probe(inv);
    ASSERT_EQ(p.fonts.size(), 2u);
    ASSERT_FALSE(p.shown_codes.empty());
    const unsigned highest = *p.shown_codes.rbegin();
    std::set<unsigned> mapped;
    for (const testing::pdf::FontInfo& f : p.fonts) {
        EXPECT_FALSE(f.width_cids.empty()) << f.base_font;
        for (const unsigned cid : f.width_cids) {
            EXPECT_EQ(p.shown_codes.count(cid), 1u) << f.base_font << " lists CID " << cid;
        }
        EXPECT_LE(f.cid_to_gid.size(), highest + 1) << f.base_font;
        for (unsigned cid = 0; cid < f.cid_to_gid.size(); ++cid) {
            if (f.cid_to_gid[cid] != 0) {
                EXPECT_EQ(p.shown_codes.count(cid), 1u) << f.base_font << " maps CID " << cid;
                mapped.insert(cid);
            }
        }
    }
    EXPECT_EQ(mapped, p.shown_codes);  // every character shown has its glyph in some font
}

TEST(RenderInvoicePdfTest, WithoutABoldFontOneFontIsEmbedded) {
    RenderOptions options;
    options.font_bold_path.clear();
    auto pdf = render_invoice_pdf(french_invoice(2), options);
    ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
    const testing::pdf::Probe p = testing::pdf::probe(*pdf);
    ASSERT_EQ(p.fonts.size(), 1u);
    EXPECT_TRUE(p.fonts[0].embedded);
    EXPECT_TRUE(testing::pdf::has_text(p, "Net à payer"));
}

TEST(RenderInvoicePdfTest, TwoHundredLinesFlowOverSeveralPagesWithTheHeaderRepeated) {
    const testing::pdf::Probe p = render_and_probe(french_invoice(200));
    ASSERT_GE(p.page_texts.size(), 3u);
    const std::string total = std::to_string(p.page_texts.size());
    for (std::size_t i = 0; i < p.page_texts.size(); ++i) {
        const std::string& text = p.page_texts[i];
        EXPECT_NE(text.find("Page " + std::to_string(i + 1) + " / " + total), std::string::npos)
            << "page " << i + 1;
        EXPECT_NE(text.find("FA-2024-0042"), std::string::npos) << "page " << i + 1;
        if (i + 1 < p.page_texts.size()) {  // the last page may hold only the totals
            EXPECT_NE(text.find("Désignation"), std::string::npos) << "page " << i + 1;
        }
    }
    EXPECT_TRUE(testing::pdf::has_text(p, "200. Prestation de conseil n° 200"));
    EXPECT_TRUE(testing::pdf::has_text(p, "Net à payer"));
}

TEST(RenderInvoicePdfTest, CreditNoteIsTitledAvoir) {
    model::Invoice inv = french_invoice(1);
    inv.type_code = term(std::string("381"));
    const testing::pdf::Probe p = render_and_probe(inv);
    EXPECT_TRUE(testing::pdf::has_text(p, "Avoir"));
    EXPECT_FALSE(testing::pdf::has_text(p, "Facture\n"));
}

TEST(RenderInvoicePdfTest, UnparsedValuesAreShownAsWrittenAndMissingGlyphsAsQuestionMarks) {
    model::Invoice inv = french_invoice(1);
    inv.totals.amount_due = model::Value<model::Decimal>{{}, {}, std::string("12,3x")};
    inv.buyer.name = term(std::string("東京 Trading\x01"));  // no CJK in DejaVu Sans; a control
    const testing::pdf::Probe p = render_and_probe(inv);
    EXPECT_TRUE(testing::pdf::has_text(p, "12,3x"));
    EXPECT_TRUE(testing::pdf::has_text(p, "?? Trading "));
}

TEST(RenderInvoicePdfTest, AnEmptyInvoiceStillGivesAPage) {
    const testing::pdf::Probe p = render_and_probe(model::Invoice{});
    EXPECT_EQ(p.page_texts.size(), 1u);
    EXPECT_TRUE(testing::pdf::has_text(p, "Facture"));
}

TEST(RenderInvoicePdfTest, MissingFontIsNotFound) {
    RenderOptions options;
    options.font_regular_path = "/nonexistent/font.ttf";
    const auto pdf = render_invoice_pdf(french_invoice(1), options);
    ASSERT_FALSE(pdf.has_value());
    EXPECT_EQ(pdf.error().code, core::Errc::kNotFound);
}

TEST(RenderInvoicePdfTest, ANonFontFileIsInvalidInput) {
    RenderOptions options;
    options.font_bold_path = "/etc/hostname";
    const auto pdf = render_invoice_pdf(french_invoice(1), options);
    ASSERT_FALSE(pdf.has_value());
    EXPECT_EQ(pdf.error().code, core::Errc::kInvalidInput);
}

TEST(RenderInvoicePdfTest, LimitsHoldAtTheLimitAndFailOneOver) {
    RenderOptions options;
    options.line_count_max = 5;
    EXPECT_TRUE(render_invoice_pdf(french_invoice(5), options).has_value());
    auto over = render_invoice_pdf(french_invoice(6), options);
    ASSERT_FALSE(over.has_value());
    EXPECT_EQ(over.error().code, core::Errc::kResourceExhausted);

    options = RenderOptions{};
    options.page_count_max = 1;
    EXPECT_TRUE(render_invoice_pdf(french_invoice(3), options).has_value());
    over = render_invoice_pdf(french_invoice(200), options);
    ASSERT_FALSE(over.has_value());
    EXPECT_EQ(over.error().code, core::Errc::kResourceExhausted);

    options = RenderOptions{};
    options.font_bytes_max = 1000;
    over = render_invoice_pdf(french_invoice(1), options);
    ASSERT_FALSE(over.has_value());
    EXPECT_EQ(over.error().code, core::Errc::kResourceExhausted);

    options = RenderOptions{};
    options.pdf_bytes_max = 1000;
    over = render_invoice_pdf(french_invoice(1), options);
    ASSERT_FALSE(over.has_value());
    EXPECT_EQ(over.error().code, core::Errc::kResourceExhausted);
}

TEST(RenderInvoicePdfTest, LongTextIsClippedToTextBytesMax) {
    model::Invoice inv = french_invoice(1);
    inv.notes.push_back(note("REG", std::string(5000, 'x')));
    RenderOptions options;
    options.text_bytes_max = 100;
    auto pdf = render_invoice_pdf(inv, options);
    ASSERT_TRUE(pdf.has_value()) << pdf.error().message;
    const testing::pdf::Probe p = testing::pdf::probe(*pdf);
    EXPECT_TRUE(testing::pdf::has_text(p, std::string(100, 'x').substr(0, 50)));
    EXPECT_FALSE(testing::pdf::has_text(p, std::string(101, 'x')));
    EXPECT_TRUE(testing::pdf::has_text(p, "…"));
}

}  // namespace facteur::render
