#pragma once

// Ingest into the evidence archive: validate, read the invoice's key metadata, deposit. The
// library entry point of `facteur archive deposit` (and, later, of the gateway's submission).

#include <optional>
#include <string>
#include <string_view>

#include "facteur/archive/archive.h"
#include "facteur/model/report.h"
#include "facteur/pipeline/document_validator.h"

namespace facteur::pipeline {

enum class IngestStatus : std::uint8_t { kDeposited, kDuplicate, kRejected };

/// "deposited" | "duplicate" | "rejected" (the CLI's JSON contract).
[[nodiscard]] std::string_view ingest_status_name(IngestStatus status) noexcept;

struct IngestOutcome {
    IngestStatus status = IngestStatus::kRejected;
    model::Report report;                    ///< the validation verdict
    std::optional<archive::Receipt> receipt;  ///< when deposited or duplicate
    std::string message;                      ///< English: why rejected, or "" when deposited
    std::string message_fr;
};

struct IngestOptions {
    std::string tenant = "facteur";
    /// Store an invoice with fatal findings anyway (with its verdict). Default: reject it.
    bool accept_invalid = false;
};

/// Validates `bytes` with `validator`, reads BT-1, BT-2, BT-3, BT-5, the seller and buyer SIREN
/// (BT-30 / BT-47 with scheme 0002) and the totals, and deposits the original bytes with them and
/// the verdict (layers and rule-set versions). Rejected: fatal findings (unless accept_invalid),
/// an input that is not a readable invoice, no seller SIREN, or an archive refusal (a different
/// invoice with the same seller, BT-1 and year). Never throws; an archive that cannot write
/// gives kRejected with its error.
[[nodiscard]] IngestOutcome ingest(archive::Archive& archive, DocumentValidator& validator, std::string_view bytes,
                                   std::string label, const IngestOptions& options);

}  // namespace facteur::pipeline
