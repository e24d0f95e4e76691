#include "format.h"

#include <algorithm>
#include <array>
#include <utility>

namespace facteur::render {

namespace {

template <std::size_t N>
std::string_view lookup(const std::array<std::pair<std::string_view, std::string_view>, N>& table,
                        std::string_view code) {
    for (const auto& [key, label] : table) {
        if (key == code) {
            return label;
        }
    }
    return {};
}

// UNTDID 1001 codes allowed by EN 16931 (code list of BT-3) with a French name.
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kTitles{{
    {"380", "Facture"},
    {"389", "Autofacture"},
    {"384", "Facture rectificative"},
    {"386", "Facture d'acompte"},
    {"393", "Facture d'affacturage"},
    {"875", "Facture partielle"},
    {"876", "Facture partielle finale"},
    {"877", "Facture finale"},
    {"381", "Avoir"},
    {"261", "Autoavoir"},
    {"262", "Avoir global"},
    {"396", "Avoir d'affacturage"},
}};

// The credit note codes of the EN 16931 code list for BT-3 (UNTDID 1001 subset).
constexpr std::array<std::string_view, 11> kCreditCodes{"81",  "83",  "261", "262", "296", "308",
                                                        "381", "396", "420", "458", "532"};

constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kMeans{{
    {"1", "Non défini"},
    {"10", "Espèces"},
    {"20", "Chèque"},
    {"30", "Virement"},
    {"31", "Virement"},
    {"42", "Paiement sur compte bancaire"},
    {"48", "Carte bancaire"},
    {"49", "Prélèvement"},
    {"57", "Ordre permanent"},
    {"58", "Virement SEPA"},
    {"59", "Prélèvement SEPA"},
    {"68", "Paiement en ligne"},
    {"97", "Compensation"},
    {"ZZZ", "Autre"},
}};

// UNTDID 4451; PMT, PMD and AAB are the French mandatory mentions (BR-FR-05).
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kSubjects{{
    {"PMT", "Indemnité forfaitaire pour frais de recouvrement"},
    {"PMD", "Pénalités de retard"},
    {"AAB", "Escompte"},
    {"REG", "Mentions réglementaires"},
    {"ABL", "Informations légales"},
    {"TXD", "Informations fiscales"},
    {"AAI", "Informations générales"},
    {"SUR", "Remarques du vendeur"},
    {"ACY", "Informations complémentaires"},
    {"AAJ", "Autres conditions de vente"},
    {"PAC", "Emballage"},
    {"BLU", "Éco-participation"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 26> kUnits{{
    {"C62", "u."},     {"H87", "pièce"},  {"EA", "u."},      {"XPP", "pièce"},
    {"HUR", "h"},      {"MIN", "min"},    {"DAY", "jour"},   {"WEE", "semaine"},
    {"MON", "mois"},   {"ANN", "an"},     {"KGM", "kg"},     {"GRM", "g"},
    {"TNE", "t"},      {"MTR", "m"},      {"KMT", "km"},     {"CMT", "cm"},
    {"MTK", "m²"},     {"MTQ", "m³"},     {"LTR", "l"},      {"KWH", "kWh"},
    {"SET", "lot"},    {"LS", "forfait"}, {"E48", "service"}, {"P1", "%"},
    {"XBX", "boîte"},  {"NAR", "article"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kCategories{{
    {"S", "Taux normal"},
    {"Z", "Taux zéro"},
    {"E", "Exonéré"},
    {"AE", "Autoliquidation"},
    {"K", "Livraison intracommunautaire"},
    {"G", "Exportation hors UE"},
    {"O", "Hors champ de la TVA"},
    {"L", "IGIC (Canaries)"},
    {"M", "IPSI (Ceuta et Melilla)"},
}};

/// Digits of |units| (at least scale + 1 of them, zero-padded on the left).
std::string magnitude_digits(const model::Decimal& value) {
    // Unsigned negation: exact even for INT64_MIN.
    const std::uint64_t magnitude = value.units < 0
                                        ? ~static_cast<std::uint64_t>(value.units) + 1
                                        : static_cast<std::uint64_t>(value.units);
    std::string digits = std::to_string(magnitude);
    if (digits.size() < std::size_t{value.scale} + 1) {
        digits.insert(0, std::size_t{value.scale} + 1 - digits.size(), '0');
    }
    return digits;
}

std::string grouped(std::string_view integer) {
    std::string out;
    for (std::size_t i = 0; i < integer.size(); ++i) {
        if (i > 0 && (integer.size() - i) % 3 == 0) {
            out += kNbsp;
        }
        out.push_back(integer[i]);
    }
    return out;
}

std::string two_digits(unsigned value) {
    return value < 10 ? "0" + std::to_string(value) : std::to_string(value);
}

}  // namespace

std::string format_decimal(const model::Decimal& value, std::uint8_t scale_min, bool trim) {
    const std::string digits = magnitude_digits(value);
    const std::size_t integer_size = digits.size() - value.scale;
    std::string fraction = digits.substr(integer_size);
    if (trim) {
        while (fraction.size() > scale_min && fraction.back() == '0') {
            fraction.pop_back();
        }
    }
    if (fraction.size() < scale_min) {
        fraction.append(scale_min - fraction.size(), '0');
    }
    const bool negative =
        value.units < 0 && digits.find_first_not_of('0') != std::string::npos;
    std::string out = negative ? "-" : "";
    out += grouped(std::string_view(digits).substr(0, integer_size));
    if (!fraction.empty()) {
        out += "," + fraction;
    }
    return out;
}

std::string format_amount(const model::Decimal& value, std::string_view currency) {
    const std::string number = format_decimal(value, 2, false);
    if (currency.empty() || currency == "EUR") {
        return number + std::string(kNbsp) + "€";
    }
    return number + std::string(kNbsp) + std::string(currency);
}

std::string format_percent(const model::Decimal& value) {
    return format_decimal(value, 0, true) + std::string(kNbsp) + "%";
}

std::string format_date(const model::Date& date) {
    std::string year = std::to_string(date.year);
    if (year.size() < 4) {
        year.insert(0, 4 - year.size(), '0');
    }
    return two_digits(date.day) + "/" + two_digits(date.month) + "/" + year;
}

std::string_view document_title(std::string_view type_code) {
    const std::string_view title = lookup(kTitles, type_code);
    if (!title.empty()) {
        return title;
    }
    return is_credit_note(type_code) ? "Avoir" : "Facture";
}

bool is_credit_note(std::string_view type_code) {
    return std::find(kCreditCodes.begin(), kCreditCodes.end(), type_code) != kCreditCodes.end();
}

std::string_view payment_means_label(std::string_view code) { return lookup(kMeans, code); }

std::string_view note_subject_label(std::string_view code) { return lookup(kSubjects, code); }

std::string unit_label(std::string_view code) {
    const std::string_view label = lookup(kUnits, code);
    return std::string(label.empty() ? code : label);
}

std::string_view vat_category_label(std::string_view code) { return lookup(kCategories, code); }

NoteText split_note(const model::Note& note) {
    NoteText out;
    out.subject = note.subject_code ? note.subject_code->value : std::string();
    std::string_view text = note.note ? std::string_view(note.note->value) : std::string_view();
    // UBL has no subject element: writers (PEPPOL, the FNFE UBL examples) prefix "#CODE#".
    if (text.size() >= 3 && text.front() == '#') {
        const std::size_t end = text.find('#', 1);
        const std::string_view code =
            end == std::string_view::npos ? std::string_view() : text.substr(1, end - 1);
        const bool is_code = !code.empty() && code.size() <= 3
                             && std::all_of(code.begin(), code.end(),
                                            [](char c) { return c >= 'A' && c <= 'Z'; });
        if (is_code) {
            if (out.subject.empty()) {
                out.subject = std::string(code);
            }
            text.remove_prefix(end + 1);
        }
    }
    out.text = std::string(model::trim_xml_space(text));
    return out;
}

std::string clip(std::string_view text, std::size_t bytes_max) {
    if (text.size() <= bytes_max) {
        return std::string(text);
    }
    std::size_t cut = bytes_max;
    // Back off continuation bytes (10xxxxxx) so that no character is split.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    return std::string(text.substr(0, cut)) + "…";
}

}  // namespace facteur::render
