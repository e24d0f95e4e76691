#include "facteur/pipeline/ingest.h"

#include <boost/json.hpp>

#include "facteur/pipeline/convert.h"

namespace facteur::pipeline {

namespace {

IngestOutcome rejected(model::Report report, std::string en, std::string fr) {
    IngestOutcome out;
    out.status = IngestStatus::kRejected;
    out.report = std::move(report);
    out.message = std::move(en);
    out.message_fr = std::move(fr);
    return out;
}

std::string text(const model::Term<std::string>& term) {
    return term ? std::string(model::trim_xml_space(term->value)) : std::string();
}

std::string decimal(const model::Term<model::Decimal>& term) {
    return term && term->parsed() ? term->value.to_string() : std::string();
}

std::string siren(const model::Term<model::Identifier>& id) {
    return id && id->value.scheme == "0002" ? id->value.id : std::string();
}

/// The verdict kept with the original: validity, and each layer with its rule-set version.
std::string verdict_json(const model::Report& report) {
    boost::json::array layers;
    for (const model::LayerResult& l : report.layers) {
        layers.push_back(boost::json::object{{"name", l.name},
                                             {"version", l.version},
                                             {"status", model::layer_status_name(l.status)}});
    }
    return boost::json::serialize(boost::json::object{
        {"valid", report.valid()},
        {"layers", std::move(layers)},
        {"fatal", report.count(model::Severity::kFatal)},
        {"warnings", report.count(model::Severity::kWarning)}});
}

}  // namespace

std::string_view ingest_status_name(IngestStatus status) noexcept {
    switch (status) {
        case IngestStatus::kDeposited: return "deposited";
        case IngestStatus::kDuplicate: return "duplicate";
        case IngestStatus::kRejected: return "rejected";
    }
    return "rejected";
}

IngestOutcome ingest(archive::Archive& archive, DocumentValidator& validator, std::string_view bytes,
                     std::string label, const IngestOptions& options) {
    model::Report report = validator.validate(bytes, std::move(label));
    const std::size_t fatal = report.count(model::Severity::kFatal);
    if (!report.valid() && !options.accept_invalid) {
        return rejected(std::move(report),
                        "not archived: the invoice is not valid (" + std::to_string(fatal) +
                            " fatal finding(s); --accept-invalid stores it with its verdict)",
                        "non archivée : la facture n'est pas conforme (" + std::to_string(fatal) +
                            " constat(s) bloquant(s) ; --accept-invalid la conserve avec son verdict)");
    }
    auto read = read_invoice(bytes, xml::Limits{});
    if (!read) {
        return rejected(std::move(report), "not archived: " + read.error().message,
                        "non archivée : " + read.error().text(true));
    }
    const model::Invoice& inv = read->invoice;
    archive::DepositRequest request;
    request.bytes = std::string(bytes);
    request.tenant = options.tenant;
    request.invoice.seller_siren = siren(inv.seller.legal_registration_id);
    request.invoice.buyer_siren = siren(inv.buyer.legal_registration_id);
    request.invoice.number = text(inv.number);
    request.invoice.issue_date = inv.issue_date && inv.issue_date->parsed() ? inv.issue_date->value.to_string() : "";
    request.invoice.type_code = text(inv.type_code);
    request.invoice.currency = text(inv.currency_code);
    request.invoice.total_without_vat = decimal(inv.totals.total_without_vat);
    request.invoice.total_vat = decimal(inv.totals.total_vat);
    request.invoice.total_with_vat = decimal(inv.totals.total_with_vat);
    request.invoice.syntax = read->from_pdf ? "Factur-X" : std::string(model::syntax_name(read->source_syntax));
    request.invoice.profile = text(inv.process_control.specification_identifier);
    request.verdict_json = verdict_json(report);
    auto receipt = archive.deposit(request);
    if (!receipt) {
        return rejected(std::move(report), "not archived: " + receipt.error().message,
                        "non archivée : " + receipt.error().text(true));
    }
    IngestOutcome out;
    out.status = receipt->status == archive::DepositStatus::kDuplicate ? IngestStatus::kDuplicate
                                                                       : IngestStatus::kDeposited;
    out.report = std::move(report);
    out.receipt = std::move(*receipt);
    if (out.status == IngestStatus::kDuplicate) {
        out.message = "identical invoice already archived: its first receipt is returned";
        out.message_fr = "facture identique déjà archivée : son premier reçu est renvoyé";
    }
    return out;
}

}  // namespace facteur::pipeline
