#include "facteur/formats/cdar/cdar_reader.h"

#include "facteur/formats/binding/context.h"

namespace facteur::formats::cdar {

namespace {

using binding::Cursor;

constexpr std::string_view kRsmNs = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100";
constexpr std::string_view kRamNs =
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
constexpr std::string_view kUdtNs = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";
constexpr std::string_view kQdtNs = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100";

class Reader {
public:
    explicit Reader(model::LifecycleMessage& out) : out_(out), ctx_(out.problems, out.unmapped) {}

    void read(const Cursor& root) {
        ctx_.touch(root);
        const Cursor context = rsm(root, "ExchangedDocumentContext");
        ctx_.touch(context);
        out_.business_process = id_of(ram(context, "BusinessProcessSpecifiedDocumentContextParameter"));
        out_.profile = id_of(ram(context, "GuidelineSpecifiedDocumentContextParameter"));
        const Cursor doc = rsm(root, "ExchangedDocument");
        ctx_.touch(doc);
        out_.id = ctx_.token(ram(doc, "ID"));
        ctx_.consume(ram(doc, "Name"));
        out_.issued_at = date_time_text(ram(doc, "IssueDateTime"));
        out_.sender = party(ram(doc, "SenderTradeParty"));
        out_.issuer = party(ram(doc, "IssuerTradeParty"));
        for (const Cursor& r : ctx_.children(doc, kRamNs, "RecipientTradeParty")) {
            if (auto p = party(r)) {
                out_.recipients.push_back(std::move(*p));
            }
        }
        const Cursor ack = rsm(root, "AcknowledgementDocument");
        ctx_.touch(ack);
        ctx_.consume(ram(ack, "MultipleReferencesIndicator"));
        ctx_.consume(ram(ack, "IssueDateTime"));
        out_.type_code = ctx_.token(ram(ack, "TypeCode"));
        for (const Cursor& r : ctx_.children(ack, kRamNs, "ReferenceReferencedDocument")) {
            out_.invoices.push_back(invoice(r));
        }
        ctx_.collect_unmapped(root);
    }

private:
    Cursor rsm(const Cursor& parent, std::string_view local) const { return ctx_.child(parent, kRsmNs, local); }
    Cursor ram(const Cursor& parent, std::string_view local) const { return ctx_.child(parent, kRamNs, local); }

    model::Term<std::string> id_of(const Cursor& parameter) {
        if (!parameter) {
            return std::nullopt;
        }
        ctx_.touch(parameter);
        return ctx_.token(ram(parameter, "ID"));
    }

    /// A date-time holder's udt:DateTimeString, kept as written (format 204 has a time of day).
    model::Term<std::string> date_time_text(const Cursor& holder) {
        if (!holder) {
            return std::nullopt;
        }
        ctx_.touch(holder);
        return ctx_.token(ctx_.child(holder, kUdtNs, "DateTimeString"));
    }

    std::optional<model::LifecycleParty> party(const Cursor& c) {
        if (!c) {
            return std::nullopt;
        }
        model::LifecycleParty p;
        p.source = ctx_.group_source(c);
        p.id = ctx_.identifier(ram(c, "GlobalID"));
        p.name = ctx_.text(ram(c, "Name"));
        p.role = ctx_.token(ram(c, "RoleCode"));
        const Cursor uri = ram(c, "URIUniversalCommunication");
        if (uri) {
            ctx_.touch(uri);
            p.electronic_address = ctx_.identifier(ram(uri, "URIID"));
        }
        return p;
    }

    model::StatusedInvoice invoice(const Cursor& r) {
        model::StatusedInvoice inv;
        inv.source = ctx_.group_source(r);
        inv.number = ctx_.token(ram(r, "IssuerAssignedID"));
        inv.acknowledgement = ctx_.token(ram(r, "StatusCode"));
        inv.type_code = ctx_.token(ram(r, "TypeCode"));
        ctx_.consume(ram(r, "ReceiptDateTime"));
        const Cursor issued = ram(r, "FormattedIssueDateTime");
        if (issued) {
            ctx_.touch(issued);
            inv.issue_date = ctx_.date_in(ctx_.child(issued, kQdtNs, "DateTimeString"), "MDT-107",
                                          model::DateFormat::kCompact);
        }
        inv.status_code = ctx_.token(ram(r, "ProcessConditionCode"));
        inv.status_text = ctx_.text(ram(r, "ProcessCondition"));
        inv.invoice_issuer = party(ram(r, "IssuerTradeParty"));
        for (const Cursor& s : ctx_.children(r, kRamNs, "SpecifiedDocumentStatus")) {
            model::StatusReason reason;
            reason.source = ctx_.group_source(s);
            reason.reason_code = ctx_.token(ram(s, "ReasonCode"));
            reason.reason = ctx_.text(ram(s, "Reason"));
            reason.action_code = ctx_.token(ram(s, "RequestedActionCode"));
            reason.action = ctx_.text(ram(s, "RequestedAction"));
            reason.sequence = ctx_.decimal(ram(s, "SequenceNumeric"), "MDT-124-2");
            inv.reasons.push_back(std::move(reason));
        }
        return inv;
    }

    model::LifecycleMessage& out_;
    binding::Context ctx_;
};

}  // namespace

core::Result<model::LifecycleMessage> read_cdar(const xml::Document& doc) {
    const xml::Tree tree = binding::tree_of(doc);
    const Cursor root = binding::Context::root(tree);
    if (!root || root.node.namespace_uri() != kRsmNs || root.node.local_name() != "CrossDomainAcknowledgementAndResponse") {
        return core::fail(core::Errc::kInvalidInput, "CDAR-ROOT",
                          "the root element is not a CDAR CrossDomainAcknowledgementAndResponse",
                          "l'élément racine n'est pas un message CDAR CrossDomainAcknowledgementAndResponse");
    }
    model::LifecycleMessage out;
    Reader(out).read(root);
    return out;
}

}  // namespace facteur::formats::cdar
