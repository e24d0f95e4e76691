// BG-4 SELLER, BG-7 BUYER, BG-10 PAYEE, BG-11 SELLER TAX REPRESENTATIVE, BG-13 DELIVERY and
// BG-16 PAYMENT INSTRUCTIONS written as UBL 2.1 (EN 16931-3-2): the inverse of ubl_parties.cpp.

#include <algorithm>

#include "ubl_emit.h"

namespace facteur::formats::ubl {

namespace {

const model::Term<std::string>& creditor_id(const model::Invoice& inv) {
    static const model::Term<std::string> kNone;
    return inv.payment_instructions && inv.payment_instructions->direct_debit
               ? inv.payment_instructions->direct_debit->creditor_id
               : kNone;
}

// BT-90 is a cac:PartyIdentification with schemeID "SEPA": the payee's when there is one (the
// party paid by direct debit), else the seller's. read_ubl accepts either.
void write_creditor_id(Emitter& e) {
    const model::Term<std::string>& id = creditor_id(e.inv);
    if (id) {
        e.w.open("cac:PartyIdentification");
        e.w.leaf("cbc:ID", id->value, {{"schemeID", "SEPA"}});
        e.w.close();
    }
}

void party_identification(Emitter& e, const model::Term<model::Identifier>& id) {
    e.w.open("cac:PartyIdentification");
    e.identifier("cbc:ID", id);
    e.w.close();
}

void party_name(Emitter& e, const model::Term<std::string>& name) {
    e.w.open("cac:PartyName");
    e.text("cbc:Name", name);
    e.w.close();
}

// A cac:PartyTaxScheme with its company id and tax scheme, when the id is there.
void party_tax_scheme(Emitter& e, const model::Term<std::string>& company_id,
                      std::string_view scheme) {
    if (!company_id) {
        return;
    }
    e.w.open("cac:PartyTaxScheme");
    e.text("cbc:CompanyID", company_id);
    e.tax_scheme(scheme);
    e.w.close();
}

void contact(Emitter& e, const std::optional<model::Contact>& c) {
    if (!c) {
        return;
    }
    e.w.open("cac:Contact");
    e.text("cbc:Name", c->point);
    e.text("cbc:Telephone", c->telephone);
    e.text("cbc:ElectronicMail", c->email);
    e.w.close();
}

void write_seller(Emitter& e) {
    const model::Seller& s = e.inv.seller;
    e.w.open_required("cac:AccountingSupplierParty");
    e.w.open("cac:Party");
    e.identifier("cbc:EndpointID", s.electronic_address);
    for (const model::Value<model::Identifier>& id : s.identifiers) {
        party_identification(e, id);
    }
    if (!e.inv.payee) {
        write_creditor_id(e);
    }
    party_name(e, s.trading_name);
    write_address(e, "cac:PostalAddress", s.postal_address);
    party_tax_scheme(e, s.vat_id, "VAT");
    // BT-32: any scheme but VAT; "TAX" as in the CEN examples.
    party_tax_scheme(e, s.tax_registration_id, "TAX");
    e.w.open("cac:PartyLegalEntity");
    e.text("cbc:RegistrationName", s.name);
    e.identifier("cbc:CompanyID", s.legal_registration_id);
    e.text("cbc:CompanyLegalForm", s.additional_legal_information);
    e.w.close();
    contact(e, s.contact);
    e.w.close();
    e.w.close();
}

void write_buyer(Emitter& e) {
    const model::Buyer& b = e.inv.buyer;
    e.w.open_required("cac:AccountingCustomerParty");
    e.w.open("cac:Party");
    e.identifier("cbc:EndpointID", b.electronic_address);
    party_identification(e, b.identifier);
    party_name(e, b.trading_name);
    write_address(e, "cac:PostalAddress", b.postal_address);
    party_tax_scheme(e, b.vat_id, "VAT");
    e.w.open("cac:PartyLegalEntity");
    e.text("cbc:RegistrationName", b.name);
    e.identifier("cbc:CompanyID", b.legal_registration_id);
    e.w.close();
    contact(e, b.contact);
    e.w.close();
    e.w.close();
}

void write_payee(Emitter& e) {
    if (!e.inv.payee) {
        return;
    }
    const model::Payee& p = *e.inv.payee;
    e.w.open("cac:PayeeParty");
    party_identification(e, p.identifier);
    write_creditor_id(e);
    party_name(e, p.name);
    e.w.open("cac:PartyLegalEntity");
    e.identifier("cbc:CompanyID", p.legal_registration_id);
    e.w.close();
    e.w.close();
}

void write_tax_representative(Emitter& e) {
    if (!e.inv.tax_representative) {
        return;
    }
    const model::SellerTaxRepresentative& r = *e.inv.tax_representative;
    e.w.open("cac:TaxRepresentativeParty");
    party_name(e, r.name);
    write_address(e, "cac:PostalAddress", r.postal_address);
    party_tax_scheme(e, r.vat_id, "VAT");
    e.w.close();
}

// What BG-16 holds beside BT-81 and BT-90: all of it lives in cac:PaymentMeans, whose
// cbc:PaymentMeansCode UBL requires, so without a BT-81 it cannot be written.
void lose_payment_means(Emitter& e, const model::PaymentInstructions& p) {
    const auto lose = [&e](const std::string& what) {
        e.losses.add(what,
                     "UBL carries it in cac:PaymentMeans, which requires a payment means type "
                     "code (BT-81), absent here",
                     "UBL le porte dans cac:PaymentMeans, qui exige un code de moyen de paiement "
                     "(BT-81), absent ici");
    };
    if (p.means_text) {
        lose("BG-16/BT-82");
    }
    if (p.remittance_information) {
        lose("BG-16/BT-83");
    }
    for (std::size_t i = 0; i < p.credit_transfers.size(); ++i) {
        lose("BG-16/" + binding::occurrence("BG-17", i));
    }
    if (p.card) {
        lose("BG-16/BG-18");
    }
    if (p.direct_debit && p.direct_debit->mandate_reference) {
        lose("BG-16/BG-19/BT-89");
    }
    if (p.direct_debit && p.direct_debit->debited_account_id) {
        lose("BG-16/BG-19/BT-91");
    }
    if (e.kind == DocumentKind::kCreditNote && e.inv.payment_due_date) {
        lose("BT-9");
    }
}

void card(Emitter& e, const model::PaymentInstructions& p) {
    if (p.card) {
        e.w.open("cac:CardAccount");
        e.text("cbc:PrimaryAccountNumberID", p.card->primary_account_number);
        // UBL requires the card network, which EN 16931 does not know: "NA" (not available).
        e.w.leaf("cbc:NetworkID", "NA");
        e.text("cbc:HolderName", p.card->holder_name);
        e.w.close();
    }
}

void mandate(Emitter& e, const model::PaymentInstructions& p) {
    if (!p.direct_debit) {
        return;
    }
    e.w.open("cac:PaymentMandate");
    e.text("cbc:ID", p.direct_debit->mandate_reference);
    e.w.open("cac:PayerFinancialAccount");
    e.text("cbc:ID", p.direct_debit->debited_account_id);
    e.w.close();
    e.w.close();
}

// One cac:PaymentMeans per credit transfer account (BG-17), at least one; each repeats BT-81
// and BT-83 (read_ubl maps a repetition to the same term), the first also carries BT-82, the
// card, the mandate and a credit note's BT-9.
void write_means(Emitter& e, const model::PaymentInstructions& p) {
    const std::size_t count = std::max<std::size_t>(1, p.credit_transfers.size());
    for (std::size_t i = 0; i < count; ++i) {
        const bool first = i == 0;
        e.w.open("cac:PaymentMeans");
        const std::optional<std::string_view> name =
            first && p.means_text ? std::optional<std::string_view>(p.means_text->value)
                                  : std::nullopt;
        e.w.leaf("cbc:PaymentMeansCode", p.means_type_code->value, {{"name", name}});
        if (first && e.kind == DocumentKind::kCreditNote) {
            e.date("cbc:PaymentDueDate", e.inv.payment_due_date);
        }
        e.text("cbc:PaymentID", p.remittance_information);
        if (first) {
            card(e, p);
        }
        if (i < p.credit_transfers.size()) {
            const model::CreditTransfer& t = p.credit_transfers[i];
            e.w.open("cac:PayeeFinancialAccount");
            e.text("cbc:ID", t.account_id);
            e.text("cbc:Name", t.account_name);
            e.w.open("cac:FinancialInstitutionBranch");
            e.text("cbc:ID", t.service_provider_id);
            e.w.close();
            e.w.close();
        }
        if (first) {
            mandate(e, p);
        }
        e.w.close();
    }
}

}  // namespace

void write_address(Emitter& e, std::string_view qname,
                   const std::optional<model::PostalAddress>& address) {
    if (!address) {
        return;
    }
    const model::PostalAddress& a = *address;
    e.w.open(qname);
    e.text("cbc:StreetName", a.line_1);
    e.text("cbc:AdditionalStreetName", a.line_2);
    e.text("cbc:CityName", a.city);
    e.text("cbc:PostalZone", a.post_code);
    e.text("cbc:CountrySubentity", a.country_subdivision);
    e.w.open("cac:AddressLine");
    e.text("cbc:Line", a.line_3);
    e.w.close();
    e.w.open("cac:Country");
    e.text("cbc:IdentificationCode", a.country_code);
    e.w.close();
    e.w.close();
}

void write_parties(Emitter& e) {
    write_seller(e);
    write_buyer(e);
    write_payee(e);
    write_tax_representative(e);
}

void write_delivery(Emitter& e) {
    if (!e.inv.delivery) {
        return;
    }
    const model::Delivery& d = *e.inv.delivery;
    e.w.open("cac:Delivery");
    e.date("cbc:ActualDeliveryDate", d.actual_delivery_date);
    e.w.open("cac:DeliveryLocation");
    e.identifier("cbc:ID", d.deliver_to_location_id);
    write_address(e, "cac:Address", d.deliver_to_address);
    e.w.close();
    e.w.open("cac:DeliveryParty");
    party_name(e, d.deliver_to_party_name);
    e.w.close();
    e.w.close();
}

void write_payment(Emitter& e) {
    const auto& p = e.inv.payment_instructions;
    if (p && p->means_type_code) {
        write_means(e, *p);
    } else if (p) {
        lose_payment_means(e, *p);
    } else if (e.kind == DocumentKind::kCreditNote && e.inv.payment_due_date) {
        e.losses.add("BT-9",
                     "a UBL CreditNote carries the payment due date in cac:PaymentMeans, and "
                     "there are no payment instructions (BG-16)",
                     "un avoir UBL porte la date d'échéance dans cac:PaymentMeans, et il n'y a "
                     "pas d'instructions de paiement (BG-16)");
    }
    e.w.open("cac:PaymentTerms");
    e.text("cbc:Note", e.inv.payment_terms);
    e.w.close();
}

}  // namespace facteur::formats::ubl
