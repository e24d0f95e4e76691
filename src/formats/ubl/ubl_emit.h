#pragma once

// The parts of the UBL writer (the inverse of ubl_binding.h), one function per area of the
// document in XSD sequence order; ubl_writer.cpp calls them in order.

#include <string>
#include <string_view>

#include "facteur/formats/binding/writer.h"
#include "facteur/model/conversion.h"

#include "ubl_binding.h"

namespace facteur::formats::ubl {

using binding::Attribute;

/// Writing state of one document: the XML writer, the losses, and typed element helpers that
/// write nothing for an absent term.
class Emitter {
public:
    Emitter(const model::Invoice& invoice, const model::WriteOptions& options, DocumentKind kind);

    binding::XmlWriter w;
    binding::Losses losses;
    const model::Invoice& inv;
    const model::WriteOptions& options;
    const DocumentKind kind;
    const std::string currency;      ///< BT-5: the currencyID of every amount but BT-111
    const std::string tax_currency;  ///< BT-6

    void text(std::string_view qname, const model::Term<std::string>& v);
    /// An amount with currencyID BT-5.
    void amount(std::string_view qname, const model::Term<model::Decimal>& v);
    void amount_in(std::string_view qname, const model::Term<model::Decimal>& v,
                   std::string_view currency_id);
    void number(std::string_view qname, const model::Term<model::Decimal>& v);
    /// A quantity with its unitCode (BT-129/BT-130, BT-149/BT-150).
    void quantity(std::string_view qname, const model::Term<model::Decimal>& v,
                  const model::Term<std::string>& unit);
    void date(std::string_view qname, const model::Term<model::Date>& v);
    void identifier(std::string_view qname, const model::Term<model::Identifier>& v,
                    std::string_view scheme_attribute = "schemeID",
                    std::string_view version_attribute = {});
    /// cac:TaxScheme/cbc:ID `id`.
    void tax_scheme(std::string_view id);
};

/// The root's leading terms up to cac:OrderReference exclusive (BT-1..BT-10, BT-19, BG-1, BG-2,
/// BG-14 with BT-8).
void write_document_terms(Emitter& e);
/// cac:OrderReference .. cac:ProjectReference (BT-11..BT-18, BG-3, BG-24).
void write_references(Emitter& e);
/// The four parties (BG-4, BG-7, BG-10, BG-11).
void write_parties(Emitter& e);
/// cac:Delivery (BG-13 with BG-15).
void write_delivery(Emitter& e);
/// cac:PaymentMeans and cac:PaymentTerms (BG-16..BG-19, BT-20; BT-9 of a credit note).
void write_payment(Emitter& e);
/// cac:AllowanceCharge (BG-20, BG-21).
void write_document_allowances(Emitter& e);
/// cac:TaxTotal (BT-110, BT-111, BG-23) and cac:LegalMonetaryTotal (BG-22).
void write_totals(Emitter& e);
/// cac:InvoiceLine / cac:CreditNoteLine (BG-25..BG-32).
void write_lines(Emitter& e);
/// A postal address (BG-5, BG-8, BG-12, BG-15) as `qname` (cac:PostalAddress, cac:Address).
void write_address(Emitter& e, std::string_view qname,
                   const std::optional<model::PostalAddress>& address);

}  // namespace facteur::formats::ubl
