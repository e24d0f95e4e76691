#pragma once

// A CDAR lifecycle message (Flux 6, XP Z12-014): who says what about which invoice. Read by
// formats/cdar; kept as the lifecycle tracking of the gateway will need it (status 200 Déposée ...
// 212 Encaissée, with reasons and requested actions). Values keep their source, as in invoice.h.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/model/invoice.h"

namespace facteur::model {

/// A party of the message (MDG-9 sender, issuer, recipients; the issuer of the invoice).
struct LifecycleParty {
    Source source;
    Term<Identifier> id;                 ///< GlobalID with its scheme (0002 = SIREN)
    Term<Text> name;
    Term<Code> role;                     ///< WK platform, BY buyer, SE seller, DFH PPF, ...
    Term<Identifier> electronic_address; ///< URIUniversalCommunication/URIID with its scheme
};

/// One reason given for a status (ram:SpecifiedDocumentStatus).
struct StatusReason {
    Source source;
    Term<Code> reason_code;   ///< MDT-113, e.g. TX_TVA_ERR
    Term<Text> reason;
    Term<Code> action_code;   ///< MDT-121, e.g. NIN (issue a corrective invoice)
    Term<Text> action;
    Term<Decimal> sequence;   ///< MDT-124-2
};

/// The invoice the status is about (ram:ReferenceReferencedDocument).
struct StatusedInvoice {
    Source source;
    Term<std::string> number;     ///< MDT-87, the invoice's BT-1
    Term<Code> type_code;         ///< MDT-91, the invoice's BT-3
    Term<Date> issue_date;        ///< MDT-107 (format 102)
    Term<Code> status_code;       ///< MDT-105: 200 Déposée ... 212 Encaissée, 501 ...
    Term<Text> status_text;       ///< ram:ProcessCondition as written
    Term<Code> acknowledgement;   ///< MDT-88 ram:StatusCode
    std::optional<LifecycleParty> invoice_issuer;
    std::vector<StatusReason> reasons;
};

struct LifecycleMessage {
    Term<Code> business_process;  ///< MDT-2: REGULATED, NON_REGULATED, B2C ...
    Term<std::string> profile;    ///< MDT-3: urn.cpro.gouv.fr:1p0:CDV:invoice ...
    Term<std::string> id;         ///< MDT-4
    Term<std::string> issued_at;  ///< MDT-5 as written (format 204: YYYYMMDDhhmmss)
    Term<Code> type_code;         ///< MDT-77: 23 (status) or 305 (platform acknowledgement)
    std::optional<LifecycleParty> sender;
    std::optional<LifecycleParty> issuer;
    std::vector<LifecycleParty> recipients;
    std::vector<StatusedInvoice> invoices;
    std::vector<Problem> problems;
    std::vector<Unmapped> unmapped;
};

/// The name of a lifecycle status code, French and English ("Déposée", "Deposited"); nullopt for
/// a code the XP Z12-014 list does not define.
struct StatusName {
    std::string_view fr;
    std::string_view en;
};
[[nodiscard]] std::optional<StatusName> lifecycle_status_name(std::string_view code) noexcept;

}  // namespace facteur::model
