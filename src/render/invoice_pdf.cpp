// Page layout of the French invoice. Everything is drawn top-down with a cursor `y_`; a block
// that does not fit goes to a new page, where the table being drawn repeats its header.
// Footers ("page i / n") are drawn last, once the page count is known.
#include "facteur/render/invoice_pdf.h"

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

#include "canvas.h"
#include "format.h"

namespace facteur::render {

namespace {

using core::Errc;
using core::fail;
using model::Decimal;
using model::Invoice;

constexpr double kLeftPt = 40;
constexpr double kRightPt = kPageWidthPt - 40;
constexpr double kTopPt = kPageHeightPt - 42;
constexpr double kBottomPt = 62;  // above the footer
constexpr double kLeadingPt = 11;
constexpr double kColumnGapPt = 16;
constexpr Style kBody{false, 8.5};
constexpr Style kBodyBold{true, 8.5};
constexpr Style kSmall{false, 7.5};
constexpr Style kHeading{true, 10};
/// Lines of one table row at most: a row always fits on a fresh page.
constexpr std::size_t kRowLinesMax = 40;
static_assert(kRowLinesMax * kLeadingPt < kTopPt - kBottomPt - 40, "a row fits on a page");

// Line table columns: designation (left), quantity (right edge), unit (left), unit price, VAT
// rate and net amount (right edges).
constexpr double kColDesignationPt = kLeftPt + 2;
constexpr double kColDesignationWidthPt = 228;
constexpr double kColQuantityPt = 318;
constexpr double kColUnitPt = 323;
constexpr double kColPricePt = 436;
constexpr double kColRatePt = 478;
constexpr double kColAmountPt = kRightPt - 2;

/// One line of a text block: its text and style.
struct Line {
    std::string text;
    Style style = kBody;
};

enum class Table : std::uint8_t { kNone, kLines, kVat };

std::string with_scheme(const model::Identifier& id) {
    return id.scheme ? id.id + " (" + *id.scheme + ")" : id.id;
}

class Layout {
public:
    Layout(Canvas& canvas, const Invoice& invoice, const RenderOptions& options)
        : canvas_(canvas), invoice_(invoice), options_(options) {
        currency_ = invoice.currency_code ? invoice.currency_code->value : std::string();
    }

    [[nodiscard]] core::Result<void> draw() {
        FACTEUR_TRY(new_page());
        FACTEUR_TRY(header());
        FACTEUR_TRY(parties());
        FACTEUR_TRY(line_table());
        FACTEUR_TRY(allowances_and_charges());
        FACTEUR_TRY(vat_table());
        FACTEUR_TRY(totals());
        FACTEUR_TRY(payment());
        FACTEUR_TRY(notes());
        FACTEUR_TRY(attachments());
        footers();
        return {};
    }

private:
    std::string amount(const model::Term<Decimal>& term) const {
        return shown(term, [&](const Decimal& d) { return format_amount(d, currency_); });
    }

    std::string clipped(std::string_view text) const {
        return clip(text, options_.text_bytes_max);
    }

    core::Result<void> new_page() {
        FACTEUR_TRY(canvas_.add_page());
        y_ = kTopPt;
        if (table_ == Table::kLines) {
            line_table_header();
        } else if (table_ == Table::kVat) {
            vat_table_header();
        }
        return {};
    }

    /// Moves to a new page unless `height_pt` fits above the footer.
    core::Result<void> ensure(double height_pt) {
        if (y_ - height_pt < kBottomPt) {
            FACTEUR_TRY(new_page());
        }
        return {};
    }

    /// `text` cut into lines of at most `width_pt`, at spaces, or inside a word too long.
    std::vector<std::string> wrap(std::string_view text, Style style, double width_pt);

    /// Wrapped lines of `text`, each with `style`, appended to `out`.
    void add_wrapped(std::vector<Line>& out, std::string_view text, Style style, double width_pt) {
        for (std::string& l : wrap(clipped(text), style, width_pt)) {
            out.push_back({std::move(l), style});
        }
    }

    /// Draws `lines` from the cursor at x, without page breaks; returns the height used.
    double draw_lines(const std::vector<Line>& lines, double x_pt, double y_pt) {
        double y = y_pt;
        for (const Line& l : lines) {
            canvas_.text(x_pt, y, l.text, l.style);
            y -= kLeadingPt;
        }
        return y_pt - y;
    }

    /// A section title with a rule under it.
    core::Result<void> section(std::string_view title, double first_block_pt) {
        FACTEUR_TRY(ensure(22 + first_block_pt));
        y_ -= 8;
        canvas_.text(kLeftPt, y_, title, kHeading);
        canvas_.rule(kLeftPt, kRightPt, y_ - 3, 0.4, 0.6);
        y_ -= 15;
        return {};
    }

    /// Label-value lines (one per pair), flowing over pages.
    core::Result<void> pairs(const std::vector<std::pair<std::string, std::string>>& items,
                             double label_width_pt);

    core::Result<void> header();
    std::vector<std::pair<std::string, std::string>> header_facts() const;
    core::Result<void> parties();
    std::vector<Line> seller_block(double width_pt);
    std::vector<Line> buyer_block(double width_pt);
    std::vector<std::vector<Line>> other_party_blocks(double width_pt);
    void address_lines(std::vector<Line>& out, const std::optional<model::PostalAddress>& a,
                       double width_pt);
    void contact_lines(std::vector<Line>& out, const std::optional<model::Contact>& c,
                       double width_pt);
    core::Result<void> two_columns(const std::vector<Line>& left, const std::vector<Line>& right,
                                   std::string_view left_title, std::string_view right_title);
    core::Result<void> line_table();
    void line_table_header();
    std::vector<Line> line_designation(const model::InvoiceLine& line);
    core::Result<void> allowances_and_charges();
    core::Result<void> vat_table();
    void vat_table_header();
    core::Result<void> totals();
    core::Result<void> payment();
    core::Result<void> notes();
    core::Result<void> attachments();
    void footers();

    Canvas& canvas_;
    const Invoice& invoice_;
    const RenderOptions& options_;
    std::string currency_;
    double y_ = kTopPt;
    Table table_ = Table::kNone;
};

std::vector<std::string> Layout::wrap(std::string_view text, Style style, double width_pt) {
    std::vector<std::string> out;
    const double space_pt = canvas_.width(" ", style);
    std::string line;
    double line_pt = 0;
    const auto flush = [&] {
        out.push_back(std::move(line));
        line.clear();
        line_pt = 0;
    };
    std::size_t at = 0;
    while (at <= text.size()) {
        const std::size_t end = std::min(text.find_first_of(" \n", at), text.size());
        std::string word(text.substr(at, end - at));
        double word_pt = canvas_.width(word, style);
        while (word_pt > width_pt && word.size() > 1) {  // a word wider than the column
            std::size_t cut = word.size() * static_cast<std::size_t>(width_pt) /
                              static_cast<std::size_t>(word_pt + 1);
            cut = std::max<std::size_t>(cut, 1);
            while (cut < word.size() && (static_cast<unsigned char>(word[cut]) & 0xC0) == 0x80) {
                ++cut;  // never split a UTF-8 character
            }
            if (!line.empty()) {
                flush();
            }
            line = word.substr(0, cut);
            flush();
            word.erase(0, cut);
            word_pt = canvas_.width(word, style);
        }
        if (!line.empty() && line_pt + space_pt + word_pt > width_pt) {
            flush();
        }
        if (!word.empty()) {
            line_pt += (line.empty() ? 0 : space_pt) + word_pt;
            line += (line.empty() ? "" : " ") + word;
        }
        if (end < text.size() && text[end] == '\n') {
            flush();
        }
        at = end + 1;
    }
    if (!line.empty() || out.empty()) {
        out.push_back(std::move(line));
    }
    return out;
}

core::Result<void> Layout::pairs(const std::vector<std::pair<std::string, std::string>>& items,
                                 double label_width_pt) {
    for (const auto& [label, value] : items) {
        const std::vector<std::string> lines =
            wrap(clipped(value), kBody, kRightPt - kLeftPt - label_width_pt);
        FACTEUR_TRY(ensure(kLeadingPt * static_cast<double>(std::min(lines.size(), kRowLinesMax))));
        canvas_.text(kLeftPt, y_, label, kBodyBold);
        for (std::size_t i = 0; i < lines.size() && i < kRowLinesMax; ++i) {
            canvas_.text(kLeftPt + label_width_pt, y_, lines[i], kBody);
            y_ -= kLeadingPt;
        }
    }
    return {};
}

std::vector<std::pair<std::string, std::string>> Layout::header_facts() const {
    const Invoice& inv = invoice_;
    std::vector<std::pair<std::string, std::string>> facts;
    const auto add = [&](std::string label, std::string value) {
        if (!value.empty()) {
            facts.emplace_back(std::move(label), std::move(value));
        }
    };
    add("Date d'émission", shown(inv.issue_date, format_date));
    add("Date d'échéance", shown(inv.payment_due_date, format_date));
    if (inv.delivery) {
        add("Date de livraison", shown(inv.delivery->actual_delivery_date, format_date));
        if (const auto& p = inv.delivery->invoicing_period; p) {
            const std::string from = shown(p->start_date, format_date);
            const std::string to = shown(p->end_date, format_date);
            add("Période de facturation", (from.empty() ? "" : "du " + from)
                                              + (from.empty() || to.empty() ? "" : " ")
                                              + (to.empty() ? "" : "au " + to));
        }
    }
    add("Date d'exigibilité de la TVA", shown(inv.vat_point_date, format_date));
    add("Devise", currency_ == "EUR" ? std::string() : currency_);
    add("Référence acheteur", text_of(inv.buyer_reference));
    add("Bon de commande", text_of(inv.purchase_order_reference));
    add("Commande vendeur", text_of(inv.sales_order_reference));
    add("Contrat", text_of(inv.contract_reference));
    add("Projet", text_of(inv.project_reference));
    add("Bon de livraison", text_of(inv.despatch_advice_reference));
    add("Avis de réception", text_of(inv.receiving_advice_reference));
    add("Appel d'offres / lot", text_of(inv.tender_or_lot_reference));
    add("Objet facturé", inv.invoiced_object_id ? with_scheme(inv.invoiced_object_id->value) : "");
    add("Référence comptable", text_of(inv.buyer_accounting_reference));
    for (const model::PrecedingInvoice& p : inv.preceding_invoices) {
        const std::string date = shown(p.issue_date, format_date);
        add("Facture d'origine", text_of(p.reference) + (date.empty() ? "" : " du " + date));
    }
    add("Cadre de facturation", text_of(inv.process_control.business_process_type));
    return facts;
}

core::Result<void> Layout::header() {
    const std::string type = text_of(invoice_.type_code);
    std::string title(document_title(type));
    canvas_.text(kLeftPt, y_ - 12, title, Style{true, 20});
    canvas_.text(kLeftPt, y_ - 30, "N° " + clipped(text_of(invoice_.number)), Style{true, 12});
    if (!type.empty()) {
        canvas_.text(kLeftPt, y_ - 43, "Type de document : " + type, kSmall);
    }
    // Dates and references in a column on the right of the title.
    constexpr double kFactsXPt = 300;
    double y = y_ - 4;
    for (const auto& [label, value] : header_facts()) {
        canvas_.text(kFactsXPt, y, label, kSmall);
        const std::vector<std::string> lines = wrap(clipped(value), kBody, kRightPt - 410);
        for (std::size_t i = 0; i < lines.size() && i < 4; ++i) {
            canvas_.text(410, y, lines[i], kBody);
            y -= kLeadingPt;
        }
    }
    y_ = std::min(y_ - 52, y) - 6;
    return {};
}

void Layout::address_lines(std::vector<Line>& out, const std::optional<model::PostalAddress>& a,
                           double width_pt) {
    if (!a) {
        return;
    }
    for (const auto* t : {&a->line_1, &a->line_2, &a->line_3}) {
        if (*t) {
            add_wrapped(out, (*t)->value, kBody, width_pt);
        }
    }
    const std::string city = text_of(a->post_code) + (a->post_code && a->city ? " " : "")
                             + text_of(a->city);
    if (!city.empty()) {
        add_wrapped(out, city, kBody, width_pt);
    }
    if (a->country_subdivision) {
        add_wrapped(out, a->country_subdivision->value, kBody, width_pt);
    }
    if (a->country_code) {
        add_wrapped(out, "Pays : " + a->country_code->value, kBody, width_pt);
    }
}

void Layout::contact_lines(std::vector<Line>& out, const std::optional<model::Contact>& c,
                           double width_pt) {
    if (!c) {
        return;
    }
    if (c->point) {
        add_wrapped(out, "Contact : " + c->point->value, kSmall, width_pt);
    }
    if (c->telephone) {
        add_wrapped(out, "Tél. : " + c->telephone->value, kSmall, width_pt);
    }
    if (c->email) {
        add_wrapped(out, "Courriel : " + c->email->value, kSmall, width_pt);
    }
}

/// "SIREN : 123456789" for the ISO 6523 scheme 0002, "SIRET : ..." for 0009.
std::string legal_id_line(const model::Identifier& id) {
    const std::string scheme = id.scheme.value_or("");
    if (scheme == "0002") {
        return "SIREN : " + id.id;
    }
    if (scheme == "0009") {
        return "SIRET : " + id.id;
    }
    return "Immatriculation : " + with_scheme(id);
}

std::vector<Line> Layout::seller_block(double width_pt) {
    const model::Seller& s = invoice_.seller;
    std::vector<Line> out;
    add_wrapped(out, text_of(s.name), kBodyBold, width_pt);
    if (s.trading_name) {
        add_wrapped(out, s.trading_name->value, kBody, width_pt);
    }
    address_lines(out, s.postal_address, width_pt);
    if (s.legal_registration_id) {
        add_wrapped(out, legal_id_line(s.legal_registration_id->value), kBody, width_pt);
    }
    for (const auto& id : s.identifiers) {
        add_wrapped(out,
                    id.value.scheme == "0009" ? "SIRET : " + id.value.id
                                              : "Identifiant : " + with_scheme(id.value),
                    kBody, width_pt);
    }
    if (s.vat_id) {
        add_wrapped(out, "N° TVA : " + s.vat_id->value, kBody, width_pt);
    }
    if (s.tax_registration_id) {
        add_wrapped(out, "N° fiscal : " + s.tax_registration_id->value, kBody, width_pt);
    }
    if (s.additional_legal_information) {
        add_wrapped(out, s.additional_legal_information->value, kSmall, width_pt);
    }
    if (s.electronic_address) {
        add_wrapped(out, "Adresse électronique : " + with_scheme(s.electronic_address->value),
                    kSmall, width_pt);
    }
    contact_lines(out, s.contact, width_pt);
    return out;
}

std::vector<Line> Layout::buyer_block(double width_pt) {
    const model::Buyer& b = invoice_.buyer;
    std::vector<Line> out;
    add_wrapped(out, text_of(b.name), kBodyBold, width_pt);
    if (b.trading_name) {
        add_wrapped(out, b.trading_name->value, kBody, width_pt);
    }
    address_lines(out, b.postal_address, width_pt);
    if (b.legal_registration_id) {
        add_wrapped(out, legal_id_line(b.legal_registration_id->value), kBody, width_pt);
    }
    if (b.identifier) {
        add_wrapped(out,
                    b.identifier->value.scheme == "0009"
                        ? "SIRET : " + b.identifier->value.id
                        : "Identifiant : " + with_scheme(b.identifier->value),
                    kBody, width_pt);
    }
    if (b.vat_id) {
        add_wrapped(out, "N° TVA : " + b.vat_id->value, kBody, width_pt);
    }
    if (b.electronic_address) {
        add_wrapped(out, "Adresse électronique : " + with_scheme(b.electronic_address->value),
                    kSmall, width_pt);
    }
    contact_lines(out, b.contact, width_pt);
    return out;
}

std::vector<std::vector<Line>> Layout::other_party_blocks(double width_pt) {
    std::vector<std::vector<Line>> blocks;
    if (const auto& p = invoice_.payee; p) {
        std::vector<Line> out{{"Bénéficiaire du paiement", kBodyBold}};
        add_wrapped(out, text_of(p->name), kBody, width_pt);
        if (p->identifier) {
            add_wrapped(out, "Identifiant : " + with_scheme(p->identifier->value), kBody, width_pt);
        }
        if (p->legal_registration_id) {
            add_wrapped(out, legal_id_line(p->legal_registration_id->value), kBody, width_pt);
        }
        blocks.push_back(std::move(out));
    }
    if (const auto& t = invoice_.tax_representative; t) {
        std::vector<Line> out{{"Représentant fiscal du vendeur", kBodyBold}};
        add_wrapped(out, text_of(t->name), kBody, width_pt);
        address_lines(out, t->postal_address, width_pt);
        if (t->vat_id) {
            add_wrapped(out, "N° TVA : " + t->vat_id->value, kBody, width_pt);
        }
        blocks.push_back(std::move(out));
    }
    if (const auto& d = invoice_.delivery;
        d && (d->deliver_to_party_name || d->deliver_to_location_id || d->deliver_to_address)) {
        std::vector<Line> out{{"Adresse de livraison", kBodyBold}};
        if (d->deliver_to_party_name) {
            add_wrapped(out, d->deliver_to_party_name->value, kBody, width_pt);
        }
        if (d->deliver_to_location_id) {
            add_wrapped(out, "Lieu : " + with_scheme(d->deliver_to_location_id->value), kBody,
                        width_pt);
        }
        address_lines(out, d->deliver_to_address, width_pt);
        blocks.push_back(std::move(out));
    }
    return blocks;
}

core::Result<void> Layout::two_columns(const std::vector<Line>& left,
                                       const std::vector<Line>& right,
                                       std::string_view left_title,
                                       std::string_view right_title) {
    const double column_pt = (kRightPt - kLeftPt - kColumnGapPt) / 2;
    const double right_x = kLeftPt + column_pt + kColumnGapPt;
    const std::size_t rows = std::min(std::max(left.size(), right.size()), kRowLinesMax);
    const double title_pt = left_title.empty() && right_title.empty() ? 0 : 16;
    FACTEUR_TRY(ensure(title_pt + kLeadingPt * static_cast<double>(rows) + 8));
    if (title_pt > 0) {
        canvas_.fill(kLeftPt, y_ - 4, column_pt, 14, 0.9);
        canvas_.fill(right_x, y_ - 4, column_pt, 14, 0.9);
        canvas_.text(kLeftPt + 4, y_, left_title, kHeading);
        canvas_.text(right_x + 4, y_, right_title, kHeading);
        y_ -= title_pt;
    }
    const auto first = [](const std::vector<Line>& v, std::size_t n) {
        return std::vector<Line>(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(
                                                            std::min(v.size(), n)));
    };
    const double used = std::max(draw_lines(first(left, rows), kLeftPt + 4, y_),
                                 draw_lines(first(right, rows), right_x + 4, y_));
    y_ -= used + 8;
    return {};
}

core::Result<void> Layout::parties() {
    const double column_pt = (kRightPt - kLeftPt - kColumnGapPt) / 2 - 8;
    FACTEUR_TRY(two_columns(seller_block(column_pt), buyer_block(column_pt), "Vendeur",
                            "Acheteur"));
    std::vector<std::vector<Line>> others = other_party_blocks(column_pt);
    for (std::size_t i = 0; i < others.size(); i += 2) {
        FACTEUR_TRY(two_columns(others[i], i + 1 < others.size() ? others[i + 1] : std::vector<Line>{},
                                {}, {}));
    }
    return {};
}

void Layout::line_table_header() {
    const Style s{true, 7.5};
    canvas_.fill(kLeftPt, y_ - 4, kRightPt - kLeftPt, 14, 0.88);
    canvas_.text(kColDesignationPt, y_, "Désignation", s);
    canvas_.text_right(kColQuantityPt, y_, "Quantité", s);
    canvas_.text(kColUnitPt, y_, "Unité", s);
    canvas_.text_right(kColPricePt, y_, "Prix unit. HT", s);
    canvas_.text_right(kColRatePt, y_, "TVA", s);
    canvas_.text_right(kColAmountPt, y_, "Montant HT", s);
    y_ -= 16;
}

std::vector<Line> Layout::line_designation(const model::InvoiceLine& line) {
    std::vector<Line> out;
    const double w = kColDesignationWidthPt;
    const std::string id = text_of(line.id);
    add_wrapped(out, (id.empty() ? "" : id + ". ") + text_of(line.item.name), kBody, w);
    if (line.item.description) {
        add_wrapped(out, line.item.description->value, kSmall, w);
    }
    if (line.item.sellers_id) {
        add_wrapped(out, "Réf. vendeur : " + line.item.sellers_id->value, kSmall, w);
    }
    if (line.item.buyers_id) {
        add_wrapped(out, "Réf. acheteur : " + line.item.buyers_id->value, kSmall, w);
    }
    if (line.period) {
        const std::string from = shown(line.period->start_date, format_date);
        const std::string to = shown(line.period->end_date, format_date);
        add_wrapped(out, "Période : " + from + (to.empty() ? "" : " – " + to), kSmall, w);
    }
    if (line.price.base_quantity) {
        add_wrapped(out,
                    "Prix pour "
                        + shown(line.price.base_quantity,
                                [](const Decimal& d) { return format_decimal(d, 0, true); })
                        + " " + unit_label(text_of(line.price.base_quantity_unit_code)),
                    kSmall, w);
    }
    if (line.price.gross_price && line.price.discount) {
        add_wrapped(out, "Prix brut " + amount(line.price.gross_price) + ", remise "
                             + amount(line.price.discount), kSmall, w);
    }
    for (const auto& a : line.allowances) {
        add_wrapped(out, "Remise : " + text_of(a.reason) + " " + amount(a.amount), kSmall, w);
    }
    for (const auto& c : line.charges) {
        add_wrapped(out, "Frais : " + text_of(c.reason) + " " + amount(c.amount), kSmall, w);
    }
    if (line.note) {
        add_wrapped(out, "Note : " + line.note->value, kSmall, w);
    }
    if (out.size() > kRowLinesMax) {
        out.resize(kRowLinesMax);
    }
    return out;
}

core::Result<void> Layout::line_table() {
    if (invoice_.lines.size() > options_.line_count_max) {
        return fail(Errc::kResourceExhausted,
                    "more invoice lines than line_count_max ("
                        + std::to_string(options_.line_count_max) + ")");
    }
    FACTEUR_TRY(section("Détail", 30));
    table_ = Table::kLines;
    line_table_header();
    const auto trimmed = [](const Decimal& d) { return format_decimal(d, 0, true); };
    const auto price = [&](const Decimal& d) { return format_amount(d, currency_); };
    for (const model::InvoiceLine& line : invoice_.lines) {
        const std::vector<Line> designation = line_designation(line);
        FACTEUR_TRY(ensure(kLeadingPt * static_cast<double>(designation.size()) + 4));
        canvas_.text_right(kColQuantityPt, y_, shown(line.quantity, trimmed), kBody);
        canvas_.text(kColUnitPt, y_, unit_label(text_of(line.quantity_unit_code)), kBody);
        canvas_.text_right(kColPricePt, y_, shown(line.price.net_price, price), kBody);
        canvas_.text_right(kColRatePt, y_, shown(line.vat.rate, format_percent), kBody);
        canvas_.text_right(kColAmountPt, y_, amount(line.net_amount), kBody);
        y_ -= draw_lines(designation, kColDesignationPt, y_);
        canvas_.rule(kLeftPt, kRightPt, y_ + kLeadingPt - 4, 0.8, 0.4);
        y_ -= 3;
    }
    table_ = Table::kNone;
    return {};
}

core::Result<void> Layout::allowances_and_charges() {
    std::vector<std::pair<std::string, std::string>> items;
    const auto describe = [&](const model::DocumentAllowanceCharge& a) {
        std::string text = amount(a.amount);
        const std::string reason = text_of(a.reason);
        text += reason.empty() ? "" : " – " + reason;
        if (a.percentage) {
            text += " (" + shown(a.percentage, format_percent) + " de " + amount(a.base_amount)
                    + ")";
        }
        if (a.vat_rate || a.vat_category_code) {
            text += ", TVA " + text_of(a.vat_category_code) + " "
                    + shown(a.vat_rate, format_percent);
        }
        return text;
    };
    for (const auto& a : invoice_.allowances) {
        items.emplace_back("Remise", describe(a));
    }
    for (const auto& c : invoice_.charges) {
        items.emplace_back("Frais", describe(c));
    }
    if (items.empty()) {
        return {};
    }
    FACTEUR_TRY(section("Remises et frais sur le document", kLeadingPt));
    return pairs(items, 60);
}

void Layout::vat_table_header() {
    const Style s{true, 7.5};
    canvas_.fill(kLeftPt, y_ - 4, kRightPt - kLeftPt, 14, 0.88);
    canvas_.text(kLeftPt + 2, y_, "Catégorie de TVA", s);
    canvas_.text_right(395, y_, "Taux", s);
    canvas_.text_right(475, y_, "Base HT", s);
    canvas_.text_right(kColAmountPt, y_, "Montant TVA", s);
    y_ -= 16;
}

core::Result<void> Layout::vat_table() {
    if (invoice_.vat_breakdown.empty()) {
        return {};
    }
    FACTEUR_TRY(section("Récapitulatif de la TVA", 30));
    table_ = Table::kVat;
    vat_table_header();
    for (const model::VatBreakdown& v : invoice_.vat_breakdown) {
        const std::string code = text_of(v.category_code);
        const std::string_view label = vat_category_label(code);
        std::vector<Line> lines;
        add_wrapped(lines, code + (label.empty() ? "" : " – " + std::string(label)), kBody, 300);
        if (v.exemption_reason || v.exemption_reason_code) {
            add_wrapped(lines,
                        "Motif d'exonération : " + text_of(v.exemption_reason)
                            + (v.exemption_reason_code
                                   ? " (" + v.exemption_reason_code->value + ")"
                                   : std::string()),
                        kSmall, 300);
        }
        lines.resize(std::min(lines.size(), kRowLinesMax));
        FACTEUR_TRY(ensure(kLeadingPt * static_cast<double>(lines.size()) + 4));
        canvas_.text_right(395, y_, shown(v.rate, format_percent), kBody);
        canvas_.text_right(475, y_, amount(v.taxable_amount), kBody);
        canvas_.text_right(kColAmountPt, y_, amount(v.tax_amount), kBody);
        y_ -= draw_lines(lines, kLeftPt + 2, y_) + 3;
    }
    table_ = Table::kNone;
    return {};
}

core::Result<void> Layout::totals() {
    const model::DocumentTotals& t = invoice_.totals;
    struct Row {
        std::string_view label;
        std::string value;
        bool strong;
    };
    const std::string accounting = invoice_.vat_accounting_currency_code
                                       ? invoice_.vat_accounting_currency_code->value
                                       : std::string();
    const std::vector<Row> all = {
        {"Total HT des lignes", amount(t.sum_of_line_net_amounts), false},
        {"Total des remises", amount(t.sum_of_allowances), false},
        {"Total des frais", amount(t.sum_of_charges), false},
        {"Total HT", amount(t.total_without_vat), true},
        {"Total TVA", amount(t.total_vat), false},
        {"Total TVA en devise de comptabilité",
         shown(t.total_vat_in_accounting_currency,
               [&](const Decimal& d) { return format_amount(d, accounting); }),
         false},
        {"Total TTC", amount(t.total_with_vat), true},
        {"Montant déjà payé", amount(t.paid_amount), false},
        {"Arrondi", amount(t.rounding_amount), false},
        {"Net à payer", amount(t.amount_due), true},
    };
    std::vector<Row> rows;
    std::copy_if(all.begin(), all.end(), std::back_inserter(rows),
                 [](const Row& r) { return !r.value.empty(); });
    FACTEUR_TRY(ensure(kLeadingPt * static_cast<double>(rows.size() + 2) + 10));
    y_ -= 10;
    constexpr double kBoxXPt = 320;
    for (const Row& r : rows) {
        if (r.label == "Net à payer") {
            canvas_.fill(kBoxXPt, y_ - 4, kRightPt - kBoxXPt, 14, 0.88);
        }
        const Style s = r.strong ? kBodyBold : kBody;
        canvas_.text(kBoxXPt + 4, y_, r.label, s);
        canvas_.text_right(kColAmountPt, y_, r.value, s);
        y_ -= kLeadingPt + (r.strong ? 2 : 0);
    }
    return {};
}

core::Result<void> Layout::payment() {
    std::vector<std::pair<std::string, std::string>> items;
    if (invoice_.payment_terms) {
        items.emplace_back("Conditions", invoice_.payment_terms->value);
    }
    if (const auto& p = invoice_.payment_instructions; p) {
        const std::string code = text_of(p->means_type_code);
        const std::string_view label = payment_means_label(code);
        std::string means = label.empty() ? code : std::string(label) + " (" + code + ")";
        if (p->means_text) {
            means += (means.empty() ? "" : " – ") + p->means_text->value;
        }
        items.emplace_back("Moyen de paiement", means);
        for (const model::CreditTransfer& ct : p->credit_transfers) {
            items.emplace_back("IBAN / compte", text_of(ct.account_id));
            if (ct.account_name) {
                items.emplace_back("Titulaire", ct.account_name->value);
            }
            if (ct.service_provider_id) {
                items.emplace_back("BIC", ct.service_provider_id->value);
            }
        }
        if (p->card) {
            items.emplace_back("Carte", text_of(p->card->primary_account_number) + " "
                                            + text_of(p->card->holder_name));
        }
        if (p->direct_debit) {
            items.emplace_back("Mandat", text_of(p->direct_debit->mandate_reference));
            items.emplace_back("Créancier", text_of(p->direct_debit->creditor_id));
            items.emplace_back("Compte débité", text_of(p->direct_debit->debited_account_id));
        }
        if (p->remittance_information) {
            items.emplace_back("Référence à rappeler", p->remittance_information->value);
        }
    }
    std::erase_if(items, [](const auto& i) { return i.second.empty(); });
    if (items.empty()) {
        return {};
    }
    FACTEUR_TRY(section("Paiement", kLeadingPt));
    return pairs(items, 110);
}

core::Result<void> Layout::notes() {
    if (invoice_.notes.empty()) {
        return {};
    }
    FACTEUR_TRY(section("Mentions", kLeadingPt * 2));
    for (const model::Note& note : invoice_.notes) {
        const NoteText n = split_note(note);
        std::vector<Line> lines;
        if (!n.subject.empty()) {
            const std::string_view label = note_subject_label(n.subject);
            lines.push_back({label.empty() ? "Note (" + n.subject + ")"
                                           : std::string(label) + " (" + n.subject + ")",
                             kBodyBold});
        }
        add_wrapped(lines, n.text, kBody, kRightPt - kLeftPt);
        for (std::size_t at = 0; at < lines.size(); at += kRowLinesMax) {
            const std::size_t n_lines = std::min(kRowLinesMax, lines.size() - at);
            FACTEUR_TRY(ensure(kLeadingPt * static_cast<double>(n_lines)));
            y_ -= draw_lines(std::vector<Line>(lines.begin() + static_cast<std::ptrdiff_t>(at),
                                               lines.begin() +
                                                   static_cast<std::ptrdiff_t>(at + n_lines)),
                             kLeftPt, y_);
        }
        y_ -= 4;
    }
    return {};
}

core::Result<void> Layout::attachments() {
    std::vector<std::pair<std::string, std::string>> items;
    for (const model::AdditionalDocument& d : invoice_.additional_documents) {
        std::string text = text_of(d.reference);
        if (d.description) {
            text += " – " + d.description->value;
        }
        if (d.external_location) {
            text += " – " + d.external_location->value;
        }
        if (d.attachment && d.attachment->value.filename) {
            text += " (pièce jointe " + *d.attachment->value.filename + ")";
        }
        items.emplace_back("Document", text);
    }
    if (items.empty()) {
        return {};
    }
    FACTEUR_TRY(section("Documents justificatifs", kLeadingPt));
    return pairs(items, 60);
}

void Layout::footers() {
    const std::size_t total = canvas_.page_count();
    const model::Seller& s = invoice_.seller;
    std::string left = clip(text_of(s.name), 80);
    if (s.legal_registration_id) {
        left += " – " + legal_id_line(s.legal_registration_id->value);
    }
    left += " – " + std::string(document_title(text_of(invoice_.type_code))) + " N° "
            + clip(text_of(invoice_.number), 60);
    for (std::size_t i = 0; i < total; ++i) {
        canvas_.select_page(i);
        canvas_.rule(kLeftPt, kRightPt, 44, 0.5, 0.5);
        canvas_.text(kLeftPt, 32, left, kSmall);
        canvas_.text_right(kRightPt, 32,
                           "Page " + std::to_string(i + 1) + " / " + std::to_string(total), kSmall);
    }
}

}  // namespace

core::Result<std::string> render_invoice_pdf(const model::Invoice& invoice,
                                             const RenderOptions& options) {
    // Simple WinAnsi fonts when every character drawn is in Windows-1252 (the usual French
    // invoice); otherwise the page is drawn again with Unicode (Type0) fonts, which libharu
    // builds far more slowly (see README.md). Both give the same glyphs at the same places.
    FACTEUR_TRY_ASSIGN(Canvas canvas, Canvas::open(options, TextEncoding::kWinAnsi));
    {
        Layout layout(canvas, invoice, options);
        FACTEUR_TRY(layout.draw());
    }
    if (canvas.needs_unicode()) {
        FACTEUR_TRY_ASSIGN(canvas, Canvas::open(options, TextEncoding::kUnicode));
        Layout layout(canvas, invoice, options);
        FACTEUR_TRY(layout.draw());
    }
    return canvas.finish();
}

}  // namespace facteur::render
