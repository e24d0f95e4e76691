// BG-4 SELLER, BG-7 BUYER, BG-10 PAYEE, BG-11 SELLER TAX REPRESENTATIVE, BG-13 DELIVERY and
// BG-16 PAYMENT INSTRUCTIONS in UBL 2.1 (EN 16931-3-2).

#include "ubl_binding.h"

namespace facteur::formats::ubl {

namespace {

// schemeID "SEPA" on a party identifier marks the Bank assigned creditor identifier (BT-90).
bool is_sepa(const Cursor& id) {
    return trimmed_attribute(id, "schemeID") == "SEPA";
}

std::optional<model::Contact> read_contact(Context& ctx, const Cursor& contact) {
    if (!contact) {
        return std::nullopt;
    }
    return model::Contact{ctx.group_source(contact), ctx.text(ctx.cbc(contact, "Name")),
                          ctx.text(ctx.cbc(contact, "Telephone")),
                          ctx.text(ctx.cbc(contact, "ElectronicMail"))};
}

// cbc:CompanyID of the party's VAT cac:PartyTaxScheme (BT-31, BT-48, BT-63) and, for the
// seller, of its other one (BT-32).
void read_tax_schemes(Context& ctx, const Cursor& party, model::Term<std::string>& vat_id,
                      model::Term<std::string>* tax_registration_id) {
    for (const Cursor& scheme : ctx.children(party, kCacNs, "PartyTaxScheme")) {
        if (is_vat_scheme(ctx, scheme)) {
            if (!vat_id) {
                vat_id = ctx.token(ctx.cbc(scheme, "CompanyID"));
            }
            continue;
        }
        if (tax_registration_id != nullptr && !*tax_registration_id) {
            ctx.consume(ctx.cbc(ctx.cac(scheme, "TaxScheme"), "ID"));
            *tax_registration_id = ctx.token(ctx.cbc(scheme, "CompanyID"));
        }
    }
}

model::Seller read_seller(Context& ctx, const Cursor& root, model::Term<std::string>& creditor_id) {
    const Cursor party = ctx.cac(ctx.cac(root, "AccountingSupplierParty"), "Party");
    model::Seller seller;
    seller.source = ctx.group_source(party);
    seller.electronic_address = ctx.identifier(ctx.cbc(party, "EndpointID"));
    for (const Cursor& identification : ctx.children(party, kCacNs, "PartyIdentification")) {
        const Cursor id = ctx.cbc(identification, "ID");
        if (is_sepa(id)) {
            if (!creditor_id) {
                creditor_id = ctx.token(id);
            }
            continue;
        }
        if (auto value = ctx.identifier(id)) {
            seller.identifiers.push_back(std::move(*value));
        }
    }
    seller.trading_name = ctx.text(ctx.cbc(ctx.cac(party, "PartyName"), "Name"));
    seller.postal_address = read_address(ctx, ctx.cac(party, "PostalAddress"));
    read_tax_schemes(ctx, party, seller.vat_id, &seller.tax_registration_id);
    const Cursor legal = ctx.cac(party, "PartyLegalEntity");
    seller.name = ctx.text(ctx.cbc(legal, "RegistrationName"));
    seller.legal_registration_id = ctx.identifier(ctx.cbc(legal, "CompanyID"));
    seller.additional_legal_information = ctx.text(ctx.cbc(legal, "CompanyLegalForm"));
    seller.contact = read_contact(ctx, ctx.cac(party, "Contact"));
    return seller;
}

model::Buyer read_buyer(Context& ctx, const Cursor& root) {
    const Cursor party = ctx.cac(ctx.cac(root, "AccountingCustomerParty"), "Party");
    model::Buyer buyer;
    buyer.source = ctx.group_source(party);
    buyer.electronic_address = ctx.identifier(ctx.cbc(party, "EndpointID"));
    buyer.identifier = ctx.identifier(ctx.cbc(ctx.cac(party, "PartyIdentification"), "ID"));
    buyer.trading_name = ctx.text(ctx.cbc(ctx.cac(party, "PartyName"), "Name"));
    buyer.postal_address = read_address(ctx, ctx.cac(party, "PostalAddress"));
    read_tax_schemes(ctx, party, buyer.vat_id, nullptr);
    const Cursor legal = ctx.cac(party, "PartyLegalEntity");
    buyer.name = ctx.text(ctx.cbc(legal, "RegistrationName"));
    buyer.legal_registration_id = ctx.identifier(ctx.cbc(legal, "CompanyID"));
    buyer.contact = read_contact(ctx, ctx.cac(party, "Contact"));
    return buyer;
}

std::optional<model::Payee> read_payee(Context& ctx, const Cursor& root,
                                       model::Term<std::string>& creditor_id) {
    const Cursor party = ctx.cac(root, "PayeeParty");
    if (!party) {
        return std::nullopt;
    }
    model::Payee payee;
    payee.source = ctx.group_source(party);
    for (const Cursor& identification : ctx.children(party, kCacNs, "PartyIdentification")) {
        const Cursor id = ctx.cbc(identification, "ID");
        if (is_sepa(id)) {
            if (!creditor_id) {
                creditor_id = ctx.token(id);
            }
        } else if (!payee.identifier) {
            payee.identifier = ctx.identifier(id);
        }
    }
    payee.name = ctx.text(ctx.cbc(ctx.cac(party, "PartyName"), "Name"));
    payee.legal_registration_id =
        ctx.identifier(ctx.cbc(ctx.cac(party, "PartyLegalEntity"), "CompanyID"));
    return payee;
}

std::optional<model::SellerTaxRepresentative> read_tax_representative(Context& ctx,
                                                                      const Cursor& root) {
    const Cursor party = ctx.cac(root, "TaxRepresentativeParty");
    if (!party) {
        return std::nullopt;
    }
    model::SellerTaxRepresentative representative;
    representative.source = ctx.group_source(party);
    representative.name = ctx.text(ctx.cbc(ctx.cac(party, "PartyName"), "Name"));
    representative.postal_address = read_address(ctx, ctx.cac(party, "PostalAddress"));
    read_tax_schemes(ctx, party, representative.vat_id, nullptr);
    return representative;
}

// The first payment means gives BT-81..BT-83; a later one repeating the same code or payment id
// (BIS 3.0 asks for that) maps to the same terms, a different one is left unmapped.
void read_means_terms(Context& ctx, const Cursor& means, model::PaymentInstructions& payment) {
    const Cursor code = ctx.cbc(means, "PaymentMeansCode");
    if (!payment.means_type_code) {
        payment.means_type_code = ctx.token(code);
        payment.means_text = ctx.attribute(code, "name");
    } else if (code && trimmed_text(code) == payment.means_type_code->value) {
        ctx.consume(code);
    }
    const Cursor payment_id = ctx.cbc(means, "PaymentID");
    if (!payment.remittance_information) {
        payment.remittance_information = ctx.text(payment_id);
    } else if (payment_id && payment_id.node.text() == payment.remittance_information->value) {
        ctx.consume(payment_id);
    }
}

void read_means_accounts(Context& ctx, const Cursor& means, model::PaymentInstructions& payment) {
    if (const Cursor account = ctx.cac(means, "PayeeFinancialAccount")) {
        payment.credit_transfers.push_back(model::CreditTransfer{
            ctx.group_source(account), ctx.token(ctx.cbc(account, "ID")),
            ctx.text(ctx.cbc(account, "Name")),
            ctx.token(ctx.cbc(ctx.cac(account, "FinancialInstitutionBranch"), "ID"))});
    }
    const Cursor card = ctx.cac(means, "CardAccount");
    if (card && !payment.card) {
        payment.card = model::PaymentCard{ctx.group_source(card),
                                          ctx.text(ctx.cbc(card, "PrimaryAccountNumberID")),
                                          ctx.text(ctx.cbc(card, "HolderName"))};
    }
    const Cursor mandate = ctx.cac(means, "PaymentMandate");
    if (mandate && (!payment.direct_debit || !payment.direct_debit->mandate_reference)) {
        if (!payment.direct_debit) {
            payment.direct_debit.emplace();
        }
        payment.direct_debit->source = ctx.group_source(mandate);
        payment.direct_debit->mandate_reference = ctx.token(ctx.cbc(mandate, "ID"));
        payment.direct_debit->debited_account_id =
            ctx.token(ctx.cbc(ctx.cac(mandate, "PayerFinancialAccount"), "ID"));
    }
}

}  // namespace

std::optional<model::PostalAddress> read_address(Context& ctx, const Cursor& address) {
    if (!address) {
        return std::nullopt;
    }
    model::PostalAddress out;
    out.source = ctx.group_source(address);
    out.line_1 = ctx.text(ctx.cbc(address, "StreetName"));
    out.line_2 = ctx.text(ctx.cbc(address, "AdditionalStreetName"));
    out.line_3 = ctx.text(ctx.cbc(ctx.cac(address, "AddressLine"), "Line"));
    out.city = ctx.text(ctx.cbc(address, "CityName"));
    out.post_code = ctx.text(ctx.cbc(address, "PostalZone"));
    out.country_subdivision = ctx.text(ctx.cbc(address, "CountrySubentity"));
    out.country_code = ctx.token(ctx.cbc(ctx.cac(address, "Country"), "IdentificationCode"));
    return out;
}

void read_parties(Context& ctx, const Cursor& root, model::Invoice& invoice,
                  model::Term<std::string>& creditor_id) {
    invoice.seller = read_seller(ctx, root, creditor_id);
    invoice.buyer = read_buyer(ctx, root);
    invoice.payee = read_payee(ctx, root, creditor_id);
    invoice.tax_representative = read_tax_representative(ctx, root);
}

void read_delivery(Context& ctx, const Cursor& root, model::Invoice& invoice) {
    const Cursor delivery = ctx.cac(root, "Delivery");
    if (!delivery) {
        return;
    }
    if (!invoice.delivery) {
        invoice.delivery.emplace();
    }
    model::Delivery& d = *invoice.delivery;
    d.source = ctx.group_source(delivery);
    d.actual_delivery_date = ctx.date(ctx.cbc(delivery, "ActualDeliveryDate"), "BT-72");
    const Cursor location = ctx.cac(delivery, "DeliveryLocation");
    d.deliver_to_location_id = ctx.identifier(ctx.cbc(location, "ID"));
    d.deliver_to_address = read_address(ctx, ctx.cac(location, "Address"));
    d.deliver_to_party_name =
        ctx.text(ctx.cbc(ctx.cac(ctx.cac(delivery, "DeliveryParty"), "PartyName"), "Name"));
}

void read_payment(Context& ctx, const Cursor& root, DocumentKind kind, model::Invoice& invoice,
                  model::Term<std::string> creditor_id) {
    const std::vector<Cursor> means_list = ctx.children(root, kCacNs, "PaymentMeans");
    if (means_list.empty() && !creditor_id) {
        return;
    }
    model::PaymentInstructions payment;
    for (const Cursor& means : means_list) {
        if (payment.source.node == 0) {  // the first means
            payment.source = ctx.group_source(means);
        }
        ctx.touch(means);
        read_means_terms(ctx, means, payment);
        read_means_accounts(ctx, means, payment);
        // EN 16931-3-2: a credit note has no cbc:DueDate; its BT-9 is the payment due date.
        if (kind == DocumentKind::kCreditNote && !invoice.payment_due_date) {
            invoice.payment_due_date = ctx.date(ctx.cbc(means, "PaymentDueDate"), "BT-9");
        }
    }
    if (creditor_id) {
        if (!payment.direct_debit) {
            payment.direct_debit.emplace();
        }
        payment.direct_debit->creditor_id = std::move(creditor_id);
    }
    invoice.payment_instructions = std::move(payment);
}

}  // namespace facteur::formats::ubl
