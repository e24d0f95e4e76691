// The header trade agreement (references, BG-4 SELLER, BG-7 BUYER, BG-11 SELLER TAX
// REPRESENTATIVE, BG-24), the header trade delivery (BG-13), BG-10 PAYEE and the payment means
// (BG-16..BG-18) written as CII D16B (EN 16931-3-3): the inverse of cii_parties.cpp and of the
// agreement part of cii_reader.cpp.

#include <algorithm>

#include "cii_emit.h"

namespace facteur::formats::cii {

namespace {

// An IBAN (ISO 13616) starts with a country code and two check digits; anything else is a
// proprietary account id. read_cii maps ram:IBANID and ram:ProprietaryID alike to BT-84.
bool looks_like_iban(std::string_view id) {
    const auto upper = [](char c) {
        return c >= 'A' && c <= 'Z';
    };
    const auto digit = [](char c) {
        return c >= '0' && c <= '9';
    };
    return id.size() >= 5 && upper(id[0]) && upper(id[1]) && digit(id[2]) && digit(id[3]);
}

void contact(Emitter& e, const std::optional<model::Contact>& c) {
    if (!c) {
        return;
    }
    e.w.open("ram:DefinedTradeContact");
    e.text("ram:PersonName", c->point);
    e.w.open("ram:TelephoneUniversalCommunication");
    e.text("ram:CompleteNumber", c->telephone);
    e.w.close();
    e.w.open("ram:EmailURIUniversalCommunication");
    e.text("ram:URIID", c->email);
    e.w.close();
    e.w.close();
}

void electronic_address(Emitter& e, const model::Term<model::Identifier>& address) {
    e.w.open("ram:URIUniversalCommunication");
    e.identifier("ram:URIID", address);
    e.w.close();
}

void tax_registration(Emitter& e, const model::Term<std::string>& id, std::string_view scheme) {
    if (!id) {
        return;
    }
    e.w.open("ram:SpecifiedTaxRegistration");
    e.w.leaf("ram:ID", id->value, {{"schemeID", scheme}});
    e.w.close();
}

void legal_organization(Emitter& e, const model::Term<model::Identifier>& id,
                        const model::Term<std::string>& trading_name) {
    e.w.open("ram:SpecifiedLegalOrganization");
    e.identifier("ram:ID", id);
    e.text("ram:TradingBusinessName", trading_name);
    e.w.close();
}

// BT-29: the XSD puts every ram:ID before every ram:GlobalID, so identifiers without a scheme
// come first; when the model has them in another order, the order is lost.
void seller_identifiers(Emitter& e, const model::Seller& s) {
    const auto has_scheme = [](const model::Value<model::Identifier>& v) {
        return v.value.scheme.has_value();
    };
    if (!std::is_partitioned(s.identifiers.begin(), s.identifiers.end(),
                             [&](const auto& v) { return !has_scheme(v); })) {
        e.losses.add("BG-4/BT-29",
                     "CII writes seller identifiers without a scheme (ram:ID) before those with "
                     "one (ram:GlobalID): their order changes",
                     "CII écrit les identifiants du vendeur sans schéma (ram:ID) avant ceux avec "
                     "schéma (ram:GlobalID) : leur ordre change");
    }
    for (const auto& id : s.identifiers) {
        if (!has_scheme(id)) {
            e.w.leaf("ram:ID", id.value.id);
        }
    }
    for (const auto& id : s.identifiers) {
        if (has_scheme(id)) {
            e.identifier("ram:GlobalID", id);
        }
    }
}

void write_seller(Emitter& e) {
    const model::Seller& s = e.inv.seller;
    e.w.open("ram:SellerTradeParty");
    seller_identifiers(e, s);
    e.text("ram:Name", s.name);
    e.text("ram:Description", s.additional_legal_information);
    legal_organization(e, s.legal_registration_id, s.trading_name);
    contact(e, s.contact);
    write_address(e, s.postal_address);
    electronic_address(e, s.electronic_address);
    tax_registration(e, s.vat_id, "VA");
    tax_registration(e, s.tax_registration_id, "FC");
    e.w.close();
}

void write_buyer(Emitter& e) {
    const model::Buyer& b = e.inv.buyer;
    e.w.open("ram:BuyerTradeParty");
    e.party_id(b.identifier);
    e.text("ram:Name", b.name);
    legal_organization(e, b.legal_registration_id, b.trading_name);
    contact(e, b.contact);
    write_address(e, b.postal_address);
    electronic_address(e, b.electronic_address);
    tax_registration(e, b.vat_id, "VA");
    e.w.close();
}

void write_tax_representative(Emitter& e) {
    if (!e.inv.tax_representative) {
        return;
    }
    const model::SellerTaxRepresentative& r = *e.inv.tax_representative;
    e.w.open("ram:SellerTaxRepresentativeTradeParty");
    e.text("ram:Name", r.name);
    write_address(e, r.postal_address);
    tax_registration(e, r.vat_id, "VA");
    e.w.close();
}

// A ram:AdditionalReferencedDocument that carries one term, told by its ram:TypeCode (EN
// 16931-3-3: 50 tender or lot, BT-17; 130 invoiced object, BT-18 with its scheme in
// ram:ReferenceTypeCode).
void typed_reference(Emitter& e, const model::Term<model::Identifier>& id,
                     std::string_view type_code) {
    if (!id) {
        return;
    }
    e.w.open("ram:AdditionalReferencedDocument");
    e.w.leaf("ram:IssuerAssignedID", id->value.id);
    e.w.leaf("ram:TypeCode", type_code);
    if (id->value.scheme) {
        e.w.leaf("ram:ReferenceTypeCode", *id->value.scheme);
    }
    e.w.close();
}

// The CEN CII rules allow one description (CII-SR-475) and one attachment (CII-SR-476) among
// the supporting documents: the first of each is written, the others are losses.
void lose_document_part(Emitter& e, std::size_t i, const char* term, const char* en,
                        const char* fr) {
    e.losses.add(binding::occurrence("BG-24", i) + "/" + term,
                 std::string("EN 16931 CII carries one ") + en + " among the supporting documents",
                 std::string("EN 16931 CII ne porte qu'") + fr + " parmi les pièces jointes");
}

void additional_document(Emitter& e, const model::AdditionalDocument& d, std::size_t i, bool& named,
                         bool& attached) {
    e.w.open("ram:AdditionalReferencedDocument");
    e.text("ram:IssuerAssignedID", d.reference);
    e.text("ram:URIID", d.external_location);
    e.w.leaf("ram:TypeCode", "916");
    if (d.description && named) {
        lose_document_part(e, i, "BT-123", "description (CII-SR-475)",
                           "une description (CII-SR-475)");
    } else if (d.description) {
        e.text("ram:Name", d.description);
        named = true;
    }
    if (d.attachment && attached) {
        lose_document_part(e, i, "BT-125", "attached document (CII-SR-476)",
                           "un document joint (CII-SR-476)");
    } else if (d.attachment) {
        const model::BinaryObject& object = d.attachment->value;
        const auto view = [](const std::optional<std::string>& s) {
            return s ? std::optional<std::string_view>(*s) : std::nullopt;
        };
        e.w.leaf("ram:AttachmentBinaryObject", object.content,
                 {{"mimeCode", view(object.mime_code)}, {"filename", view(object.filename)}});
        attached = true;
    }
    e.w.close();
}

// BG-24 (type 916), BT-17 (50), BT-18 (130).
void write_additional_documents(Emitter& e) {
    bool named = false;
    bool attached = false;
    for (std::size_t i = 0; i < e.inv.additional_documents.size(); ++i) {
        additional_document(e, e.inv.additional_documents[i], i, named, attached);
    }
    if (const auto& tender = e.inv.tender_or_lot_reference) {
        typed_reference(e, model::Value<model::Identifier>{{tender->value, {}, {}}, {}, {}}, "50");
    }
    typed_reference(e, e.inv.invoiced_object_id, "130");
}

void write_means(Emitter& e, const model::PaymentInstructions& p, std::size_t i) {
    const bool first = i == 0;
    e.w.open("ram:SpecifiedTradeSettlementPaymentMeans");
    e.text("ram:TypeCode", p.means_type_code);
    if (first) {
        e.text("ram:Information", p.means_text);
        if (p.card) {
            e.w.open("ram:ApplicableTradeSettlementFinancialCard");
            e.text("ram:ID", p.card->primary_account_number);
            e.text("ram:CardholderName", p.card->holder_name);
            e.w.close();
        }
        if (p.direct_debit) {
            e.w.open("ram:PayerPartyDebtorFinancialAccount");
            e.text("ram:IBANID", p.direct_debit->debited_account_id);
            e.w.close();
        }
    }
    if (i < p.credit_transfers.size()) {
        const model::CreditTransfer& t = p.credit_transfers[i];
        e.w.open("ram:PayeePartyCreditorFinancialAccount");
        const bool iban = t.account_id && looks_like_iban(t.account_id->value);
        if (iban) {
            e.text("ram:IBANID", t.account_id);
        }
        e.text("ram:AccountName", t.account_name);
        if (!iban) {
            e.text("ram:ProprietaryID", t.account_id);
        }
        e.w.close();
        e.w.open("ram:PayeeSpecifiedCreditorFinancialInstitution");
        e.text("ram:BICID", t.service_provider_id);
        e.w.close();
    }
    e.w.close();
}

}  // namespace

void write_address(Emitter& e, const std::optional<model::PostalAddress>& address) {
    if (!address) {
        return;
    }
    const model::PostalAddress& a = *address;
    e.w.open("ram:PostalTradeAddress");
    e.text("ram:PostcodeCode", a.post_code);
    e.text("ram:LineOne", a.line_1);
    e.text("ram:LineTwo", a.line_2);
    e.text("ram:LineThree", a.line_3);
    e.text("ram:CityName", a.city);
    e.text("ram:CountryID", a.country_code);
    e.text("ram:CountrySubDivisionName", a.country_subdivision);
    e.w.close();
}

void write_agreement(Emitter& e) {
    const model::Invoice& inv = e.inv;
    e.w.open_required("ram:ApplicableHeaderTradeAgreement");
    e.text("ram:BuyerReference", inv.buyer_reference);
    write_seller(e);
    write_buyer(e);
    write_tax_representative(e);
    e.referenced_document("ram:SellerOrderReferencedDocument", inv.sales_order_reference);
    e.referenced_document("ram:BuyerOrderReferencedDocument", inv.purchase_order_reference);
    e.referenced_document("ram:ContractReferencedDocument", inv.contract_reference);
    write_additional_documents(e);
    if (inv.project_reference) {
        e.w.open("ram:SpecifiedProcuringProject");
        e.text("ram:ID", inv.project_reference);
        // The CII schema requires a project name; EN 16931-3-3 fills it with this fixed text.
        e.w.leaf("ram:Name", "Project reference");
        e.w.close();
    }
    e.w.close();
}

void write_delivery(Emitter& e) {
    const model::Invoice& inv = e.inv;
    e.w.open_required("ram:ApplicableHeaderTradeDelivery");
    if (inv.delivery) {
        const model::Delivery& d = *inv.delivery;
        e.w.open("ram:ShipToTradeParty");
        e.party_id(d.deliver_to_location_id);
        e.text("ram:Name", d.deliver_to_party_name);
        write_address(e, d.deliver_to_address);
        e.w.close();
        e.w.open("ram:ActualDeliverySupplyChainEvent");
        e.date("ram:OccurrenceDateTime", d.actual_delivery_date);
        e.w.close();
    }
    e.referenced_document("ram:DespatchAdviceReferencedDocument", inv.despatch_advice_reference);
    e.referenced_document("ram:ReceivingAdviceReferencedDocument", inv.receiving_advice_reference);
    e.w.close();
}

void write_payee(Emitter& e) {
    if (!e.inv.payee) {
        return;
    }
    const model::Payee& p = *e.inv.payee;
    e.w.open("ram:PayeeTradeParty");
    e.party_id(p.identifier);
    e.text("ram:Name", p.name);
    e.w.open("ram:SpecifiedLegalOrganization");
    e.identifier("ram:ID", p.legal_registration_id);
    e.w.close();
    e.w.close();
}

// One ram:SpecifiedTradeSettlementPaymentMeans per credit transfer account (BG-17), at least
// one; each repeats BT-81 (read_cii maps a repetition to the same term), the first also carries
// BT-82, the card (BG-18) and the debited account (BT-91).
void write_payment_means(Emitter& e) {
    if (!e.inv.payment_instructions) {
        return;
    }
    const model::PaymentInstructions& p = *e.inv.payment_instructions;
    const std::size_t count = std::max<std::size_t>(1, p.credit_transfers.size());
    for (std::size_t i = 0; i < count; ++i) {
        write_means(e, p, i);
    }
}

}  // namespace facteur::formats::cii
