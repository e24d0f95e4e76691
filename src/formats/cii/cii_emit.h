#pragma once

// The parts of the CII writer (the inverse of cii_binding.h), one function per area of the
// document in XSD sequence order; cii_writer.cpp calls them in order.

#include <string>
#include <string_view>

#include "facteur/formats/binding/writer.h"
#include "facteur/model/conversion.h"

#include "cii_binding.h"

namespace facteur::formats::cii {

using binding::Attribute;

/// The date child of a CII date holder, by the data type of the holder.
enum class DateChild : std::uint8_t {
    kDateTime,           ///< udt:DateTimeString (ram:*DateTime, ram:OccurrenceDateTime)
    kDate,               ///< udt:DateString (ram:TaxPointDate)
    kFormattedDateTime,  ///< qdt:DateTimeString (ram:FormattedIssueDateTime)
};

/// Writing state of one document: the XML writer, the losses, and typed element helpers that
/// write nothing for an absent term.
class Emitter {
public:
    Emitter(const model::Invoice& invoice, const model::WriteOptions& options);

    binding::XmlWriter w;
    binding::Losses losses;
    const model::Invoice& inv;
    const model::WriteOptions& options;
    const std::string currency;      ///< BT-5
    const std::string tax_currency;  ///< BT-6

    void text(std::string_view qname, const model::Term<std::string>& v);
    void number(std::string_view qname, const model::Term<model::Decimal>& v);
    /// <holder><udt:DateTimeString format="102">YYYYMMDD</...></holder> (or the `child` form).
    void date(std::string_view holder, const model::Term<model::Date>& v,
              DateChild child = DateChild::kDateTime);
    void identifier(std::string_view qname, const model::Term<model::Identifier>& v,
                    std::string_view scheme_attribute = "schemeID",
                    std::string_view version_attribute = {});
    /// ram:ID when the identifier has no scheme, ram:GlobalID with schemeID when it has one
    /// (party identifiers BT-29, BT-46, BT-60, BT-71; EN 16931-3-3).
    void party_id(const model::Term<model::Identifier>& v);
    /// <ram:ChargeIndicator><udt:Indicator>true|false</udt:Indicator></ram:ChargeIndicator>
    void charge_indicator(bool charge);
    /// <holder><ram:IssuerAssignedID>id</ram:IssuerAssignedID></holder>
    void referenced_document(std::string_view holder, const model::Term<std::string>& id);
};

/// rsm:ExchangedDocumentContext and rsm:ExchangedDocument (BT-1..BT-3, BG-1, BG-2).
void write_document(Emitter& e);
/// ram:ApplicableHeaderTradeAgreement (BT-10..BT-14, BT-17, BT-18, BG-4, BG-7, BG-11, BG-24).
void write_agreement(Emitter& e);
/// ram:ApplicableHeaderTradeDelivery (BG-13 with BG-15, BT-15, BT-16).
void write_delivery(Emitter& e);
/// ram:ApplicableHeaderTradeSettlement (BT-5..BT-9, BT-19, BT-20, BT-83, BG-3, BG-10, BG-14,
/// BG-16..BG-23).
void write_settlement(Emitter& e);
/// ram:IncludedSupplyChainTradeLineItem (BG-25..BG-32).
void write_lines(Emitter& e);
/// ram:PayeeTradeParty (BG-10), in the settlement.
void write_payee(Emitter& e);
/// ram:SpecifiedTradeSettlementPaymentMeans (BG-16..BG-18, BT-91).
void write_payment_means(Emitter& e);
/// ram:SpecifiedTradeAllowanceCharge of the settlement (BG-20, BG-21).
void write_document_allowances(Emitter& e);
/// A ram:PostalTradeAddress (BG-5, BG-8, BG-12, BG-15).
void write_address(Emitter& e, const std::optional<model::PostalAddress>& address);

}  // namespace facteur::formats::cii
