#include "facteur/rules/fr/mentions.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <string>

namespace facteur::rules::fr {

namespace {

using model::Invoice;
using model::MentionCheck;
using model::MentionStatus;

/// The catalogue, in FR-MENTION order. `enforced_by` lists the official rules that reject the
/// mention's absence (some of them only in a case, as each description says).
const std::vector<MentionRule>& catalogue() {
    static const std::vector<MentionRule> kRules = {
        {"FR-MENTION-01", "Seller name", "Nom ou raison sociale du vendeur", "CGI ann. II art. 242 nonies A, I-1° ; C. com. L441-9",
         {"BT-27"}, {"BR-06"},
         "Present when BT-27 has a value.", "Présente quand le BT-27 a une valeur."},
        {"FR-MENTION-02", "Seller address", "Adresse du vendeur", "CGI ann. II art. 242 nonies A, I-1° ; C. com. L441-9",
         {"BG-5", "BT-35", "BT-37", "BT-38", "BT-40"}, {"BR-08", "BR-09"},
         "Complete when street (BT-35), city (BT-37), post code (BT-38) and country (BT-40) are given; EN 16931 "
         "asks only for the group and the country, so an incomplete address is facteur's warning.",
         "Complète quand la rue (BT-35), la ville (BT-37), le code postal (BT-38) et le pays (BT-40) sont "
         "renseignés ; l'EN 16931 n'exige que le bloc et le pays : une adresse incomplète est un avertissement de facteur."},
        {"FR-MENTION-03", "Buyer name", "Nom ou raison sociale de l'acheteur", "CGI ann. II art. 242 nonies A, I-1° ; C. com. L441-9",
         {"BT-44"}, {"BR-07"},
         "Present when BT-44 has a value.", "Présente quand le BT-44 a une valeur."},
        {"FR-MENTION-04", "Buyer address", "Adresse de l'acheteur", "CGI ann. II art. 242 nonies A, I-1° ; C. com. L441-9",
         {"BG-8", "BT-50", "BT-52", "BT-53", "BT-55"}, {"BR-10", "BR-11"},
         "Complete when street (BT-50), city (BT-52), post code (BT-53) and country (BT-55) are given.",
         "Complète quand la rue (BT-50), la ville (BT-52), le code postal (BT-53) et le pays (BT-55) sont renseignés."},
        {"FR-MENTION-05", "Seller VAT identification number", "Numéro d'identification à la TVA du vendeur",
         "CGI ann. II art. 242 nonies A, I-2°", {"BT-31", "BT-63"}, {},
         "The intra-community VAT number of the seller (BT-31) or of its tax representative (BT-63). Not "
         "applicable when every VAT category is O (outside the scope of VAT).",
         "Le numéro de TVA intracommunautaire du vendeur (BT-31) ou de son représentant fiscal (BT-63). Sans "
         "objet quand toutes les catégories de TVA sont O (hors champ de la TVA)."},
        {"FR-MENTION-06", "Seller SIREN", "SIREN du vendeur", "CGI ann. II art. 242 nonies A, I-1° bis",
         {"BT-30"}, {"BR-FR-10_BT-30"},
         "The seller's legal registration identifier with scheme 0002 (SIREN).",
         "L'identifiant d'immatriculation légale du vendeur, schéma 0002 (SIREN)."},
        {"FR-MENTION-07", "Buyer SIREN", "SIREN de l'acheteur", "CGI ann. II art. 242 nonies A, I-1° bis",
         {"BT-47"}, {"BR-FR-11_BT-47"},
         "Required for a French business buyer: BR-FR-11 enforces it when a BAR note says B2B; facteur warns "
         "when the buyer is in France and no BAR note tells the case.",
         "Exigé pour un acheteur professionnel français : BR-FR-11 l'impose quand une note BAR indique B2B ; "
         "facteur avertit quand l'acheteur est en France et qu'aucune note BAR ne précise le cas."},
        {"FR-MENTION-08", "Unique sequential invoice number", "Numéro unique de facture, en séquence continue",
         "CGI ann. II art. 242 nonies A, I-3°", {"BT-1"}, {"BR-02"},
         "The number itself; the continuity of the series is checked over a seller's archive, not on one invoice.",
         "Le numéro lui-même ; la continuité de la série se vérifie sur l'archive d'un vendeur, pas sur une facture seule."},
        {"FR-MENTION-09", "Issue date", "Date d'émission", "CGI ann. II art. 242 nonies A, I-4°",
         {"BT-2"}, {"BR-03"}, "Present when BT-2 has a value.", "Présente quand le BT-2 a une valeur."},
        {"FR-MENTION-10", "Date of supply, when it differs from the issue date",
         "Date de la livraison ou de la prestation, si elle diffère de la date d'émission",
         "CGI ann. II art. 242 nonies A, I-8°", {"BT-72", "BG-14", "BG-26"}, {},
         "Shown by an actual delivery date (BT-72) or an invoicing period (BG-14, or BG-26 on every line). When "
         "none is given, facteur cannot tell whether the supply date differs: an info asks to check.",
         "Indiquée par la date de livraison effective (BT-72) ou une période de facturation (BG-14, ou BG-26 sur "
         "chaque ligne). Sans elles, facteur ne peut savoir si la date diffère : une information demande de vérifier."},
        {"FR-MENTION-11", "Quantity of each line", "Quantité de chaque ligne", "CGI ann. II art. 242 nonies A, I-5°",
         {"BT-129"}, {"BR-22"}, "Every invoice line has BT-129.", "Chaque ligne de facture porte le BT-129."},
        {"FR-MENTION-12", "Designation of goods or services", "Dénomination précise des biens ou services",
         "CGI ann. II art. 242 nonies A, I-5°", {"BT-153"}, {"BR-25"},
         "Every invoice line has an item name (BT-153).", "Chaque ligne porte un nom d'article (BT-153)."},
        {"FR-MENTION-13", "Unit price excluding VAT", "Prix unitaire hors taxes", "CGI ann. II art. 242 nonies A, I-6°",
         {"BT-146"}, {"BR-26"}, "Every invoice line has a net price (BT-146).",
         "Chaque ligne porte un prix net (BT-146)."},
        {"FR-MENTION-14", "VAT rate, or the reason for an exemption", "Taux de TVA, ou motif d'exonération",
         "CGI ann. II art. 242 nonies A, I-6° et I-10°", {"BT-152", "BT-120", "BT-121"},
         {"BR-S-05", "BR-E-10", "BR-AE-10", "BR-IC-10", "BR-G-10", "BR-O-10"},
         "Every line has a VAT rate (BT-152) unless its category is O; every VAT breakdown of category E, AE, K, G "
         "or O has an exemption reason (BT-120 or BT-121).",
         "Chaque ligne porte un taux de TVA (BT-152), sauf en catégorie O ; chaque ventilation de TVA de catégorie "
         "E, AE, K, G ou O porte un motif d'exonération (BT-120 ou BT-121)."},
        {"FR-MENTION-15", "Totals per VAT rate", "Montant total hors taxe et taxe par taux",
         "CGI ann. II art. 242 nonies A, I-7°", {"BG-23", "BT-116", "BT-117", "BT-119", "BT-110"},
         {"BR-CO-18", "BR-45", "BR-46", "BR-48"},
         "At least one VAT breakdown, each with its taxable amount, tax amount and rate (rate not needed for O).",
         "Au moins une ventilation de TVA, chacune avec sa base, son montant de taxe et son taux (sauf catégorie O)."},
        {"FR-MENTION-16", "Payment due date", "Date d'échéance du paiement", "C. com. L441-9",
         {"BT-9", "BT-20"}, {},
         "BT-9 when an amount is due (BT-115 > 0). No EN 16931 1.3.16 rule asks for it (BR-CO-25 exists only in "
         "the EXTENDED-CTC-FR set, and accepts payment terms BT-20 instead): a missing date is facteur's warning.",
         "Le BT-9 quand un montant est dû (BT-115 > 0). Aucune règle EN 16931 1.3.16 ne l'exige (BR-CO-25 "
         "n'existe que dans l'EXTENDED-CTC-FR, et se contente des conditions de paiement BT-20) : une date "
         "absente est un avertissement de facteur."},
        {"FR-MENTION-17", "Late-payment penalty rate", "Taux des pénalités de retard", "C. com. L441-9 et L441-10",
         {"BT-21", "BT-22"}, {"BR-FR-05_BT-22_PMD"}, "An invoice note with subject code PMD.",
         "Une note de facture de code sujet PMD.", {"BR-FR-05_BT-22-2"}},
        {"FR-MENTION-18", "Fixed EUR 40 recovery indemnity", "Indemnité forfaitaire de 40 € pour frais de recouvrement",
         "C. com. L441-10 et D441-5", {"BT-21", "BT-22"}, {"BR-FR-05_BT-22_PMT"},
         "An invoice note with subject code PMT; facteur warns when its text does not state the amount of 40.",
         "Une note de facture de code sujet PMT ; facteur avertit quand son texte n'indique pas le montant de 40.",
         {"BR-FR-05_BT-22-1"}},
        {"FR-MENTION-19", "Early-payment discount terms", "Conditions d'escompte", "C. com. L441-9",
         {"BT-21", "BT-22"}, {"BR-FR-05_BT-22_AAB"},
         "An invoice note with subject code AAB (discount terms, or that none is granted).",
         "Une note de facture de code sujet AAB (conditions d'escompte, ou absence d'escompte).",
         {"BR-FR-05_BT-22-3"}},
        {"FR-MENTION-20", "Delivery address, when it differs from the buyer's address",
         "Adresse de livraison, si elle diffère de celle de l'acheteur", "CGI ann. II art. 242 nonies A, I-1° ter",
         {"BG-15", "BT-75", "BT-77", "BT-78", "BT-80"}, {},
         "Shown by BG-15. When absent, facteur cannot tell whether goods were delivered elsewhere: an info asks to "
         "check (not applicable to services only, BT-23 S...).",
         "Indiquée par le BG-15. Absente, facteur ne peut savoir si la livraison a eu lieu ailleurs : une "
         "information demande de vérifier (sans objet pour des services seuls, BT-23 S...)."},
        {"FR-MENTION-21", "Nature of the operation: goods, services or both",
         "Nature de l'opération : livraison de biens, prestation de services ou les deux",
         "CGI ann. II art. 242 nonies A, I-1° quater", {"BT-23"}, {"BR-FR-08_BT-23"},
         "The billing framework (BT-23) starts with B (goods), S (services) or M (both).",
         "Le cadre de facturation (BT-23) commence par B (biens), S (services) ou M (mixte)."},
        {"FR-MENTION-22", "Option to pay VAT on debits", "Option pour le paiement de la taxe d'après les débits",
         "CGI ann. II art. 242 nonies A, I-13°", {"BT-8", "BT-21", "BT-22"}, {},
         "Shown by BT-8 = invoice date (code 3 in UBL, 5 in CII) or a TXD note about debits. When services are "
         "invoiced without either, facteur cannot tell whether the seller opted: an info asks to check.",
         "Indiquée par un BT-8 = date de facture (code 3 en UBL, 5 en CII) ou une note TXD mentionnant les "
         "débits. Pour des services sans l'un ni l'autre, facteur ne peut savoir si le vendeur a opté : une "
         "information demande de vérifier."},
    };
    return kRules;
}

bool has_text(const model::Term<std::string>& term) {
    return term && !term->value.empty();
}

template <class T>
bool has(const model::Term<T>& term) {
    return term.has_value();
}

std::string lowered(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

/// A note's subject code (BT-21) and text (BT-22). UBL has no element for BT-21: the French
/// rules (BR-FR-05, BR-FR-20) read it from a "#CODE#text" prefix of cbc:Note, and so does this.
struct NoteParts {
    std::string_view code;
    std::string_view text;
    const model::Source* source = nullptr;
};

NoteParts parts_of(const model::Note& note) {
    NoteParts out{{}, note.note ? std::string_view(note.note->value) : std::string_view(), &note.source};
    if (note.subject_code) {
        out.code = model::trim_xml_space(note.subject_code->value);
        return out;
    }
    const std::string_view text = model::trim_xml_space(out.text);
    if (text.size() >= 2 && text.front() == '#') {
        const std::size_t end = text.find('#', 1);
        if (end != std::string_view::npos && end > 1 && end <= 8) {
            out.code = text.substr(1, end - 1);
            out.text = text.substr(end + 1);
        }
    }
    return out;
}

std::optional<NoteParts> note_with(const Invoice& invoice, std::string_view code) {
    for (const model::Note& note : invoice.notes) {
        const NoteParts parts = parts_of(note);
        if (parts.code == code) {
            return parts;
        }
    }
    return std::nullopt;
}

/// The BAR note's value (B2B, B2BINT, B2C, OUTOFSCOPE, ARCHIVEONLY), "" when there is none.
std::string bar_value(const Invoice& invoice) {
    const auto bar = note_with(invoice, "BAR");
    return bar ? std::string(model::trim_xml_space(bar->text)) : std::string();
}

/// The first letter of BT-23 (B goods, S services, M both), 0 when absent.
char nature(const Invoice& invoice) {
    const auto& bt23 = invoice.process_control.business_process_type;
    const std::string_view v = bt23 ? model::trim_xml_space(bt23->value) : std::string_view();
    return v.empty() ? '\0' : v.front();
}

bool only_category(const Invoice& invoice, std::string_view code) {
    if (invoice.vat_breakdown.empty()) {
        return false;
    }
    return std::all_of(invoice.vat_breakdown.begin(), invoice.vat_breakdown.end(),
                       [&](const model::VatBreakdown& b) { return b.category_code && b.category_code->value == code; });
}

struct Verdict {
    MentionStatus status = MentionStatus::kMissing;
    std::string value;
    /// Missing, but no official rule rejects it in this case: facteur's own warning.
    bool own_warning = false;
    std::string message;
    std::string message_fr;
    const model::Source* source = nullptr;
};

Verdict present(std::string value, const model::Source* source = nullptr) {
    return Verdict{MentionStatus::kPresent, std::move(value), false, "", "", source};
}

Verdict missing(std::string message, std::string message_fr, bool own_warning = false,
                const model::Source* source = nullptr) {
    return Verdict{MentionStatus::kMissing, "", own_warning, std::move(message), std::move(message_fr), source};
}

Verdict not_applicable(std::string message, std::string message_fr) {
    return Verdict{MentionStatus::kNotApplicable, "", false, std::move(message), std::move(message_fr), nullptr};
}

Verdict to_check(std::string message, std::string message_fr) {
    return Verdict{MentionStatus::kToCheck, "", false, std::move(message), std::move(message_fr), nullptr};
}

std::string address_text(const model::PostalAddress& a) {
    std::string out;
    for (const model::Term<std::string>* part : {&a.line_1, &a.post_code, &a.city, &a.country_code}) {
        if (has_text(*part)) {
            out += (out.empty() ? "" : ", ") + std::string(model::trim_xml_space((*part)->value));
        }
    }
    return out;
}

Verdict address(const std::optional<model::PostalAddress>& address, const model::Source& party,
                std::string_view who, std::string_view who_fr, std::string_view bg) {
    if (!address) {
        return missing("no " + std::string(who) + " postal address (" + std::string(bg) + ")",
                       "pas d'adresse postale " + std::string(who_fr) + " (" + std::string(bg) + ")", false, &party);
    }
    std::vector<std::string> absent;
    std::vector<std::string> absent_fr;
    const std::pair<const model::Term<std::string>*, std::pair<const char*, const char*>> parts[] = {
        {&address->line_1, {"street", "rue"}},
        {&address->city, {"city", "ville"}},
        {&address->post_code, {"post code", "code postal"}},
        {&address->country_code, {"country", "pays"}}};
    for (const auto& [term, names] : parts) {
        if (!has_text(*term)) {
            absent.emplace_back(names.first);
            absent_fr.emplace_back(names.second);
        }
    }
    if (absent.empty()) {
        return present(address_text(*address), &address->source);
    }
    auto join = [](const std::vector<std::string>& v) {
        std::string out;
        for (const std::string& s : v) {
            out += (out.empty() ? "" : ", ") + s;
        }
        return out;
    };
    // BR-09/BR-11 reject a missing country; the rest only facteur reports.
    const bool country_only = absent.size() == 1 && absent.front() == "country";
    Verdict v = missing("the " + std::string(who) + " address is incomplete: no " + join(absent),
                        "l'adresse " + std::string(who_fr) + " est incomplète : " + join(absent_fr) + " manquant(s)",
                        !country_only, &address->source);
    v.value = address_text(*address);
    return v;
}

using Check = std::function<Verdict(const Invoice&)>;

Verdict text_term(const model::Term<std::string>& term, std::string_view what, std::string_view what_fr) {
    if (has_text(term)) {
        return present(std::string(model::trim_xml_space(term->value)), &term->source);
    }
    return missing(std::string(what) + " is absent", std::string(what_fr) + " est absent(e)");
}

template <class Get>
Verdict every_line(const Invoice& invoice, Get get, std::string_view what, std::string_view what_fr) {
    if (invoice.lines.empty()) {
        return missing("the invoice has no line (BG-25)", "la facture n'a aucune ligne (BG-25)");
    }
    std::string without;
    for (const model::InvoiceLine& line : invoice.lines) {
        if (!get(line)) {
            without += (without.empty() ? "" : ", ") + (line.id ? line.id->value : std::string("?"));
        }
    }
    if (without.empty()) {
        return present("BG-25 × " + std::to_string(invoice.lines.size()));  // every line
    }
    return missing(std::string(what) + " missing on line(s) " + without,
                   std::string(what_fr) + " absent(e) sur la ou les lignes " + without);
}

const std::array<Check, 22>& checks() {
    static const std::array<Check, 22> kChecks = {
        // 01 seller name
        [](const Invoice& inv) { return text_term(inv.seller.name, "the seller name (BT-27)", "le nom du vendeur (BT-27)"); },
        // 02 seller address
        [](const Invoice& inv) {
            return address(inv.seller.postal_address, inv.seller.source, "seller", "du vendeur", "BG-5");
        },
        // 03 buyer name
        [](const Invoice& inv) { return text_term(inv.buyer.name, "the buyer name (BT-44)", "le nom de l'acheteur (BT-44)"); },
        // 04 buyer address
        [](const Invoice& inv) {
            return address(inv.buyer.postal_address, inv.buyer.source, "buyer", "de l'acheteur", "BG-8");
        },
        // 05 seller VAT number
        [](const Invoice& inv) {
            if (has_text(inv.seller.vat_id)) {
                return present(inv.seller.vat_id->value, &inv.seller.vat_id->source);
            }
            if (inv.tax_representative && has_text(inv.tax_representative->vat_id)) {
                return present("BT-63 " + inv.tax_representative->vat_id->value,
                               &inv.tax_representative->vat_id->source);
            }
            if (only_category(inv, "O")) {
                return not_applicable("every VAT category is O (outside the scope of VAT)",
                                      "toutes les catégories de TVA sont O (hors champ de la TVA)");
            }
            return missing("no VAT identification number for the seller (BT-31) or its tax representative (BT-63)",
                           "aucun numéro de TVA intracommunautaire du vendeur (BT-31) ni de son représentant "
                           "fiscal (BT-63)",
                           true, &inv.seller.source);
        },
        // 06 seller SIREN
        [](const Invoice& inv) {
            const auto& id = inv.seller.legal_registration_id;
            if (id && id->value.scheme == "0002" && !id->value.id.empty()) {
                return present(id->value.id, &id->source);
            }
            return missing("no SIREN for the seller (BT-30 with scheme 0002)",
                           "pas de SIREN du vendeur (BT-30, schéma 0002)", false, &inv.seller.source);
        },
        // 07 buyer SIREN
        [](const Invoice& inv) {
            const auto& id = inv.buyer.legal_registration_id;
            if (id && id->value.scheme == "0002" && !id->value.id.empty()) {
                return present(id->value.id, &id->source);
            }
            const std::string bar = bar_value(inv);
            if (bar == "B2B") {
                return missing("no SIREN for the buyer (BT-47 with scheme 0002) on a B2B invoice",
                               "pas de SIREN de l'acheteur (BT-47, schéma 0002) sur une facture B2B", false,
                               &inv.buyer.source);
            }
            const bool in_france = inv.buyer.postal_address && inv.buyer.postal_address->country_code &&
                                   inv.buyer.postal_address->country_code->value == "FR";
            if (bar.empty() && in_france) {
                return missing("the buyer is in France and has no SIREN (BT-47 with scheme 0002); no BAR note "
                               "says the buyer is not a business",
                               "l'acheteur est en France et n'a pas de SIREN (BT-47, schéma 0002) ; aucune note "
                               "BAR n'indique qu'il n'est pas un professionnel",
                               true, &inv.buyer.source);
            }
            return not_applicable(bar.empty() ? "the buyer is not in France" : "the BAR note says " + bar,
                                  bar.empty() ? "l'acheteur n'est pas en France" : "la note BAR indique " + bar);
        },
        // 08 invoice number
        [](const Invoice& inv) { return text_term(inv.number, "the invoice number (BT-1)", "le numéro de facture (BT-1)"); },
        // 09 issue date
        [](const Invoice& inv) {
            if (inv.issue_date && inv.issue_date->parsed()) {
                return present(inv.issue_date->value.to_string(), &inv.issue_date->source);
            }
            return missing("the issue date (BT-2) is absent or unreadable", "la date d'émission (BT-2) est absente ou illisible");
        },
        // 10 supply date when different
        [](const Invoice& inv) {
            if (inv.delivery && inv.delivery->actual_delivery_date) {
                return present(inv.delivery->actual_delivery_date->value.to_string(),
                               &inv.delivery->actual_delivery_date->source);
            }
            if (inv.delivery && inv.delivery->invoicing_period) {
                const model::Period& p = *inv.delivery->invoicing_period;
                return present((p.start_date ? p.start_date->value.to_string() : std::string("…")) + " / " +
                                   (p.end_date ? p.end_date->value.to_string() : std::string("…")),
                               &p.source);
            }
            if (!inv.lines.empty() && std::all_of(inv.lines.begin(), inv.lines.end(),
                                                  [](const model::InvoiceLine& l) { return l.period.has_value(); })) {
                return present("BG-26 × " + std::to_string(inv.lines.size()));
            }
            return to_check("no delivery date (BT-72) or invoicing period (BG-14): if the goods were delivered or "
                            "the service completed on a date other than the issue date, the invoice must show it",
                            "ni date de livraison (BT-72) ni période de facturation (BG-14) : si la livraison ou "
                            "l'achèvement de la prestation a eu lieu à une autre date que l'émission, la facture "
                            "doit l'indiquer");
        },
        // 11 quantity per line
        [](const Invoice& inv) {
            return every_line(inv, [](const model::InvoiceLine& l) { return has(l.quantity); }, "the quantity (BT-129)",
                              "la quantité (BT-129)");
        },
        // 12 designation
        [](const Invoice& inv) {
            return every_line(inv, [](const model::InvoiceLine& l) { return has_text(l.item.name); },
                              "the item name (BT-153)", "le nom de l'article (BT-153)");
        },
        // 13 unit price
        [](const Invoice& inv) {
            return every_line(inv, [](const model::InvoiceLine& l) { return has(l.price.net_price); },
                              "the net price (BT-146)", "le prix net (BT-146)");
        },
        // 14 VAT rate or exemption reason
        [](const Invoice& inv) {
            Verdict rates = every_line(
                inv,
                [](const model::InvoiceLine& l) {
                    return has(l.vat.rate) || (l.vat.category_code && l.vat.category_code->value == "O");
                },
                "the VAT rate (BT-152)", "le taux de TVA (BT-152)");
            if (rates.status != MentionStatus::kPresent) {
                return rates;
            }
            for (const model::VatBreakdown& b : inv.vat_breakdown) {
                const std::string code = b.category_code ? b.category_code->value : std::string();
                const bool exempt = code == "E" || code == "AE" || code == "K" || code == "G" || code == "O";
                if (exempt && !has_text(b.exemption_reason) && !has_text(b.exemption_reason_code)) {
                    return missing("the VAT breakdown of category " + code + " gives no exemption reason (BT-120, BT-121)",
                                   "la ventilation de TVA de catégorie " + code +
                                       " n'indique pas de motif d'exonération (BT-120, BT-121)",
                                   false, &b.source);
                }
            }
            return rates;
        },
        // 15 totals per rate
        [](const Invoice& inv) {
            if (inv.vat_breakdown.empty()) {
                return missing("no VAT breakdown (BG-23)", "aucune ventilation de TVA (BG-23)");
            }
            std::string value;
            for (const model::VatBreakdown& b : inv.vat_breakdown) {
                const bool o = b.category_code && b.category_code->value == "O";
                if (!b.taxable_amount || !b.tax_amount || (!b.rate && !o)) {
                    return missing("a VAT breakdown lacks its taxable amount, tax amount or rate",
                                   "une ventilation de TVA n'a pas sa base, son montant de taxe ou son taux", false,
                                   &b.source);
                }
                value += (value.empty() ? "" : "; ") + (b.category_code ? b.category_code->value : std::string("?")) +
                         " " + (b.rate ? b.rate->value.to_string() + " %" : std::string()) + ": " +
                         b.taxable_amount->value.to_string() + " + " + b.tax_amount->value.to_string();
            }
            return present(value);
        },
        // 16 due date
        [](const Invoice& inv) {
            if (inv.payment_due_date) {
                return present(inv.payment_due_date->value.to_string(), &inv.payment_due_date->source);
            }
            const auto& due = inv.totals.amount_due;
            if (due && due->parsed() && !(due->value > model::Decimal{})) {
                return not_applicable("no amount is due (BT-115 ≤ 0)", "aucun montant n'est dû (BT-115 ≤ 0)");
            }
            if (has_text(inv.payment_terms)) {
                Verdict v = missing("no payment due date (BT-9): only payment terms (BT-20), which must state the date",
                                    "pas de date d'échéance (BT-9) : seulement des conditions de paiement (BT-20), "
                                    "qui doivent indiquer la date",
                                    true, &inv.payment_terms->source);
                v.value = inv.payment_terms->value;
                return v;
            }
            return missing("no payment due date (BT-9) nor payment terms (BT-20)",
                           "ni date d'échéance (BT-9) ni conditions de paiement (BT-20)", true);
        },
        // 17 late-payment penalties (PMD)
        [](const Invoice& inv) {
            const auto n = note_with(inv, "PMD");
            return n ? present(std::string(n->text), n->source)
                     : missing("no invoice note with subject code PMD", "aucune note de code sujet PMD");
        },
        // 18 EUR 40 indemnity (PMT)
        [](const Invoice& inv) {
            const auto n = note_with(inv, "PMT");
            if (!n) {
                return missing("no invoice note with subject code PMT", "aucune note de code sujet PMT");
            }
            if (n->text.find("40") == std::string_view::npos) {
                Verdict v = missing("the PMT note does not state the fixed indemnity of EUR 40",
                                    "la note PMT n'indique pas l'indemnité forfaitaire de 40 €", true, n->source);
                v.value = std::string(n->text);
                return v;
            }
            return present(std::string(n->text), n->source);
        },
        // 19 discount terms (AAB)
        [](const Invoice& inv) {
            const auto n = note_with(inv, "AAB");
            return n ? present(std::string(n->text), n->source)
                     : missing("no invoice note with subject code AAB", "aucune note de code sujet AAB");
        },
        // 20 delivery address when different
        [](const Invoice& inv) {
            if (inv.delivery && inv.delivery->deliver_to_address) {
                return present(address_text(*inv.delivery->deliver_to_address), &inv.delivery->deliver_to_address->source);
            }
            if (nature(inv) == 'S') {
                return not_applicable("services only (BT-23)", "services uniquement (BT-23)");
            }
            return to_check("no delivery address (BG-15): if the goods were delivered elsewhere than the buyer's "
                            "address, the invoice must show where",
                            "pas d'adresse de livraison (BG-15) : si les biens ont été livrés ailleurs qu'à "
                            "l'adresse de l'acheteur, la facture doit l'indiquer");
        },
        // 21 nature of the operation
        [](const Invoice& inv) {
            const char n = nature(inv);
            if (n == 'B' || n == 'S' || n == 'M') {
                const auto& bt23 = inv.process_control.business_process_type;
                return present(std::string(model::trim_xml_space(bt23->value)), &bt23->source);
            }
            return missing("the billing framework (BT-23) does not say goods (B), services (S) or both (M)",
                           "le cadre de facturation (BT-23) n'indique pas biens (B), services (S) ou mixte (M)");
        },
        // 22 VAT on debits
        [](const Invoice& inv) {
            if (inv.vat_point_date_code && inv.vat_point_date_code->value == "3") {
                return present("BT-8 = 3", &inv.vat_point_date_code->source);
            }
            for (const model::Note& note : inv.notes) {
                const NoteParts parts = parts_of(note);
                if (parts.code == "TXD" && lowered(parts.text).find("bit") != std::string::npos) {  // débits / debits
                    return present(std::string(parts.text), parts.source);
                }
            }
            if (inv.vat_point_date_code) {
                return not_applicable("BT-8 names another tax point (delivery or payment)",
                                      "le BT-8 désigne un autre fait générateur (livraison ou paiement)");
            }
            if (nature(inv) == 'B') {
                return not_applicable("goods only (BT-23): VAT is due on delivery",
                                      "biens uniquement (BT-23) : la TVA est exigible à la livraison");
            }
            return to_check("services are invoiced and nothing says whether the seller opted to pay VAT on debits: "
                            "if so, the invoice must say it (BT-8 = invoice date, or a TXD note)",
                            "des services sont facturés et rien n'indique si le vendeur a opté pour le paiement de "
                            "la TVA d'après les débits : si oui, la facture doit le mentionner (BT-8 = date de "
                            "facture, ou une note TXD)");
        },
    };
    return kChecks;
}

std::vector<std::string> strings(const std::vector<std::string_view>& v) {
    return {v.begin(), v.end()};
}

}  // namespace

std::span<const MentionRule> mention_catalogue() {
    return catalogue();
}

MentionsResult check_mentions(const model::Invoice& invoice, const PathSpeller& spell) {
    const auto location = [&spell](const model::Source* source) {
        if (source == nullptr) {
            return std::string();
        }
        return source->path.empty() && source->node != 0 && spell ? spell(*source) : source->path;
    };
    MentionsResult out;
    const auto& rules = catalogue();
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const MentionRule& rule = rules[i];
        Verdict v = checks()[i](invoice);
        const bool ubl = invoice.syntax == model::Syntax::kUblInvoice || invoice.syntax == model::Syntax::kUblCreditNote;
        const auto& enforced = ubl && !rule.enforced_by_ubl.empty() ? rule.enforced_by_ubl : rule.enforced_by;
        MentionCheck check{.id = std::string(rule.id),
                           .label = std::string(rule.label),
                           .label_fr = std::string(rule.label_fr),
                           .basis = std::string(rule.basis),
                           .terms = strings(rule.terms),
                           .status = v.status,
                           .value = v.value,
                           // facteur's own warning: no official rule rejects this case
                           .enforced_by = v.own_warning ? std::vector<std::string>{} : strings(enforced),
                           .message = v.message,
                           .message_fr = v.message_fr};
        if (v.status == MentionStatus::kMissing && v.own_warning) {
            out.findings.push_back(model::Finding{
                .rule = check.id,
                .severity = model::Severity::kWarning,
                .layer = std::string(kMentionsLayer),
                .location = location(v.source),
                .line = v.source ? v.source->line : 0,
                .message = std::string(rule.label) + ": " + v.message + " (" + std::string(rule.basis) + ")",
                .message_fr = std::string(rule.label_fr) + " : " + v.message_fr + " (" + std::string(rule.basis) + ")",
                .terms = check.terms});
        } else if (v.status == MentionStatus::kToCheck) {
            out.findings.push_back(model::Finding{
                .rule = check.id,
                .severity = model::Severity::kInfo,
                .layer = std::string(kMentionsLayer),
                .location = "",
                .line = 0,
                .message = std::string(rule.label) + ": " + v.message,
                .message_fr = std::string(rule.label_fr) + " : " + v.message_fr,
                .terms = check.terms});
        }
        out.checks.push_back(std::move(check));
    }
    return out;
}

}  // namespace facteur::rules::fr
