// BG-4 SELLER, BG-7 BUYER, BG-10 PAYEE, BG-11 SELLER TAX REPRESENTATIVE, BG-13 DELIVERY and
// BG-16 PAYMENT INSTRUCTIONS in CII D16B (EN 16931-3-3).

#include <cstdint>

#include "cii_binding.h"

namespace facteur::formats::cii {

namespace {

// ram:ID and ram:GlobalID of a trade party, in document order: both bind the party identifier
// (BT-29, BT-46, BT-60, BT-71), ram:GlobalID with its schemeID.
std::vector<model::Value<model::Identifier>> party_ids(Context& ctx, const Cursor& party,
                                                       std::size_t count_max) {
    std::vector<model::Value<model::Identifier>> out;
    std::vector<Cursor> ids = ctx.children(party, kRamNs, "ID");
    for (const Cursor& global : ctx.children(party, kRamNs, "GlobalID")) {
        ids.push_back(global);
    }
    for (const Cursor& id : ids) {
        if (out.size() == count_max) {
            break;
        }
        if (auto value = ctx.identifier(id)) {
            out.push_back(std::move(*value));
        }
    }
    return out;
}

model::Term<model::Identifier> first_party_id(Context& ctx, const Cursor& party) {
    auto ids = party_ids(ctx, party, 1);
    return ids.empty() ? model::Term<model::Identifier>{}
                       : model::Term<model::Identifier>(std::move(ids.front()));
}

// ram:SpecifiedTaxRegistration/ram:ID with schemeID `scheme` ("VA": VAT identifier, "FC": tax
// registration identifier); the scheme is a qualifier, consumed with the value.
model::Term<std::string> tax_registration(Context& ctx, const Cursor& party,
                                          std::string_view scheme) {
    for (const Cursor& registration : ctx.children(party, kRamNs, "SpecifiedTaxRegistration")) {
        const Cursor id = ctx.ram(registration, "ID");
        if (trimmed_attribute(id, "schemeID") == scheme) {
            return ctx.token(id);
        }
    }
    return std::nullopt;
}

std::optional<model::Contact> read_contact(Context& ctx, const Cursor& contact) {
    if (!contact) {
        return std::nullopt;
    }
    model::Contact out;
    out.source = ctx.group_source(contact);
    // EN 16931-3-3 binds BT-41/BT-56 to ram:PersonName, or ram:DepartmentName without one.
    out.point = ctx.text(ctx.ram(contact, "PersonName"));
    if (!out.point) {
        out.point = ctx.text(ctx.ram(contact, "DepartmentName"));
    }
    out.telephone =
        ctx.text(ctx.ram(ctx.ram(contact, "TelephoneUniversalCommunication"), "CompleteNumber"));
    out.email = ctx.text(ctx.ram(ctx.ram(contact, "EmailURIUniversalCommunication"), "URIID"));
    return out;
}

model::Term<model::Identifier> electronic_address(Context& ctx, const Cursor& party) {
    return ctx.identifier(ctx.ram(ctx.ram(party, "URIUniversalCommunication"), "URIID"));
}

model::Seller read_seller(Context& ctx, const Cursor& agreement) {
    const Cursor party = ctx.ram(agreement, "SellerTradeParty");
    model::Seller seller;
    seller.source = ctx.group_source(party);
    seller.identifiers = party_ids(ctx, party, SIZE_MAX);
    seller.name = ctx.text(ctx.ram(party, "Name"));
    seller.additional_legal_information = ctx.text(ctx.ram(party, "Description"));
    const Cursor legal = ctx.ram(party, "SpecifiedLegalOrganization");
    seller.legal_registration_id = ctx.identifier(ctx.ram(legal, "ID"));
    seller.trading_name = ctx.text(ctx.ram(legal, "TradingBusinessName"));
    seller.contact = read_contact(ctx, ctx.ram(party, "DefinedTradeContact"));
    seller.postal_address = read_address(ctx, ctx.ram(party, "PostalTradeAddress"));
    seller.electronic_address = electronic_address(ctx, party);
    seller.vat_id = tax_registration(ctx, party, "VA");
    seller.tax_registration_id = tax_registration(ctx, party, "FC");
    return seller;
}

model::Buyer read_buyer(Context& ctx, const Cursor& agreement) {
    const Cursor party = ctx.ram(agreement, "BuyerTradeParty");
    model::Buyer buyer;
    buyer.source = ctx.group_source(party);
    buyer.identifier = first_party_id(ctx, party);
    buyer.name = ctx.text(ctx.ram(party, "Name"));
    const Cursor legal = ctx.ram(party, "SpecifiedLegalOrganization");
    buyer.legal_registration_id = ctx.identifier(ctx.ram(legal, "ID"));
    buyer.trading_name = ctx.text(ctx.ram(legal, "TradingBusinessName"));
    buyer.contact = read_contact(ctx, ctx.ram(party, "DefinedTradeContact"));
    buyer.postal_address = read_address(ctx, ctx.ram(party, "PostalTradeAddress"));
    buyer.electronic_address = electronic_address(ctx, party);
    buyer.vat_id = tax_registration(ctx, party, "VA");
    return buyer;
}

std::optional<model::Payee> read_payee(Context& ctx, const Cursor& settlement) {
    const Cursor party = ctx.ram(settlement, "PayeeTradeParty");
    if (!party) {
        return std::nullopt;
    }
    model::Payee payee;
    payee.source = ctx.group_source(party);
    payee.identifier = first_party_id(ctx, party);
    payee.name = ctx.text(ctx.ram(party, "Name"));
    payee.legal_registration_id =
        ctx.identifier(ctx.ram(ctx.ram(party, "SpecifiedLegalOrganization"), "ID"));
    return payee;
}

std::optional<model::SellerTaxRepresentative> read_tax_representative(Context& ctx,
                                                                      const Cursor& agreement) {
    const Cursor party = ctx.ram(agreement, "SellerTaxRepresentativeTradeParty");
    if (!party) {
        return std::nullopt;
    }
    model::SellerTaxRepresentative representative;
    representative.source = ctx.group_source(party);
    representative.name = ctx.text(ctx.ram(party, "Name"));
    representative.postal_address = read_address(ctx, ctx.ram(party, "PostalTradeAddress"));
    representative.vat_id = tax_registration(ctx, party, "VA");
    return representative;
}

// The first payment means gives BT-81 and BT-82; a later one repeating the same code maps to
// the same term, a different one is left unmapped. Each creditor account is a BG-17.
void read_means(Context& ctx, const Cursor& means, model::PaymentInstructions& payment) {
    const Cursor code = ctx.ram(means, "TypeCode");
    if (!payment.means_type_code) {
        payment.means_type_code = ctx.token(code);
        payment.means_text = ctx.text(ctx.ram(means, "Information"));
    } else if (code && trimmed_text(code) == payment.means_type_code->value) {
        ctx.consume(code);
    }
    const Cursor card = ctx.ram(means, "ApplicableTradeSettlementFinancialCard");
    if (card && !payment.card) {
        payment.card = model::PaymentCard{ctx.group_source(card), ctx.text(ctx.ram(card, "ID")),
                                          ctx.text(ctx.ram(card, "CardholderName"))};
    }
    const Cursor debtor = ctx.ram(ctx.ram(means, "PayerPartyDebtorFinancialAccount"), "IBANID");
    if (debtor && (!payment.direct_debit || !payment.direct_debit->debited_account_id)) {
        if (!payment.direct_debit) {
            payment.direct_debit.emplace();
        }
        payment.direct_debit->debited_account_id = ctx.token(debtor);
    }
    if (const Cursor account = ctx.ram(means, "PayeePartyCreditorFinancialAccount")) {
        model::CreditTransfer transfer;
        transfer.source = ctx.group_source(account);
        transfer.account_id = ctx.token(ctx.ram(account, "IBANID"));
        if (!transfer.account_id) {
            transfer.account_id = ctx.token(ctx.ram(account, "ProprietaryID"));
        }
        transfer.account_name = ctx.text(ctx.ram(account, "AccountName"));
        transfer.service_provider_id = ctx.token(
            ctx.ram(ctx.ram(means, "PayeeSpecifiedCreditorFinancialInstitution"), "BICID"));
        payment.credit_transfers.push_back(std::move(transfer));
    }
}

}  // namespace

std::optional<model::PostalAddress> read_address(Context& ctx, const Cursor& address) {
    if (!address) {
        return std::nullopt;
    }
    model::PostalAddress out;
    out.source = ctx.group_source(address);
    out.post_code = ctx.text(ctx.ram(address, "PostcodeCode"));
    out.line_1 = ctx.text(ctx.ram(address, "LineOne"));
    out.line_2 = ctx.text(ctx.ram(address, "LineTwo"));
    out.line_3 = ctx.text(ctx.ram(address, "LineThree"));
    out.city = ctx.text(ctx.ram(address, "CityName"));
    out.country_code = ctx.token(ctx.ram(address, "CountryID"));
    out.country_subdivision = ctx.text(ctx.ram(address, "CountrySubDivisionName"));
    return out;
}

void read_parties(Context& ctx, const Cursor& agreement, const Cursor& settlement,
                  model::Invoice& invoice) {
    invoice.seller = read_seller(ctx, agreement);
    invoice.buyer = read_buyer(ctx, agreement);
    invoice.tax_representative = read_tax_representative(ctx, agreement);
    invoice.payee = read_payee(ctx, settlement);
}

void read_delivery(Context& ctx, const Cursor& delivery, model::Invoice& invoice) {
    if (!delivery) {
        return;
    }
    const Cursor ship_to = ctx.ram(delivery, "ShipToTradeParty");
    const Cursor event =
        ctx.ram(ctx.ram(delivery, "ActualDeliverySupplyChainEvent"), "OccurrenceDateTime");
    invoice.receiving_advice_reference = ctx.token(
        ctx.ram(ctx.ram(delivery, "ReceivingAdviceReferencedDocument"), "IssuerAssignedID"));
    invoice.despatch_advice_reference = ctx.token(
        ctx.ram(ctx.ram(delivery, "DespatchAdviceReferencedDocument"), "IssuerAssignedID"));
    if (!ship_to && !event) {
        ctx.touch(delivery);  // CII requires the element even when it carries no BG-13 term
        return;
    }
    if (!invoice.delivery) {
        invoice.delivery.emplace();
    }
    model::Delivery& d = *invoice.delivery;
    d.source = ctx.group_source(delivery);
    d.deliver_to_location_id = first_party_id(ctx, ship_to);
    d.deliver_to_party_name = ctx.text(ctx.ram(ship_to, "Name"));
    d.deliver_to_address = read_address(ctx, ctx.ram(ship_to, "PostalTradeAddress"));
    d.actual_delivery_date = ctx.date(event, "BT-72");
    ctx.touch(ship_to);
}

void read_payment(Context& ctx, const Cursor& settlement, model::Invoice& invoice) {
    const std::vector<Cursor> means_list =
        ctx.children(settlement, kRamNs, "SpecifiedTradeSettlementPaymentMeans");
    const Cursor terms = ctx.ram(settlement, "SpecifiedTradePaymentTerms");
    ctx.touch(terms);
    invoice.payment_terms = ctx.text(ctx.ram(terms, "Description"));
    invoice.payment_due_date = ctx.date(ctx.ram(terms, "DueDateDateTime"), "BT-9");
    const Cursor mandate = ctx.ram(terms, "DirectDebitMandateID");
    const Cursor creditor = ctx.ram(settlement, "CreditorReferenceID");
    const Cursor remittance = ctx.ram(settlement, "PaymentReference");
    if (means_list.empty() && !mandate && !creditor && !remittance) {
        return;
    }
    model::PaymentInstructions payment;
    payment.remittance_information = ctx.text(remittance);
    for (const Cursor& means : means_list) {
        if (payment.source.node == 0) {  // the first means
            payment.source = ctx.group_source(means);
        }
        ctx.touch(means);
        read_means(ctx, means, payment);
    }
    if (mandate || creditor) {
        if (!payment.direct_debit) {
            payment.direct_debit.emplace();
        }
        payment.direct_debit->mandate_reference = ctx.token(mandate);
        payment.direct_debit->creditor_id = ctx.token(creditor);
    }
    invoice.payment_instructions = std::move(payment);
}

}  // namespace facteur::formats::cii
