#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace facteur::model {

/// Severity of a finding; names follow Schematron flags ("fatal", "warning") plus "info".
enum class Severity : std::uint8_t { kFatal, kWarning, kInfo };

/// Outcome of one validation layer on one document.
/// kValid: ran completely, no fatal finding. kInvalid: ran, at least one fatal finding.
/// kSkipped: applies but could not run because an earlier layer failed (e.g. not well-formed).
/// kError: applies but could not be evaluated (internal or resource error).
/// kReplaced: does not apply because another layer takes its place for this document (en16931
/// for an EXTENDED-CTC-FR invoice: the `extended-ctc-fr` layer runs instead); neutral for valid().
enum class LayerStatus : std::uint8_t { kValid, kInvalid, kSkipped, kError, kReplaced };

/// The syntax of an input document, as detected from its bytes.
enum class Syntax : std::uint8_t { kUblInvoice, kUblCreditNote, kCii, kCdar, kFacturX, kUnknown };

/// Stable names used in JSON output (public contract): "fatal", "valid", "ubl-invoice", ...
[[nodiscard]] std::string_view severity_name(Severity severity) noexcept;
[[nodiscard]] std::string_view layer_status_name(LayerStatus status) noexcept;
[[nodiscard]] std::string_view syntax_name(Syntax syntax) noexcept;

/// One thing a layer found in a document: a rule that fired, an XSD violation, a hostile input.
struct Finding {
    std::string rule;        ///< stable id: "XSD", "XML-DOCTYPE", "BR-CO-10", ...
    Severity severity = Severity::kFatal;
    std::string layer;       ///< layer name: "xml", "xsd", ...
    std::string location;    ///< XPath-like path of the element, "" when unknown
    std::uint32_t line = 0;  ///< 1-based line, 0 when unknown
    std::string message;     ///< English
    std::string message_fr;  ///< French ("" = same as English)
    std::vector<std::string> terms{};  ///< business terms concerned ("BT-106"), when known
};

/// What one layer did: its name and version (e.g. "xsd", "ubl-2.1"), status and a short note.
struct LayerResult {
    std::string name;
    std::string version;
    LayerStatus status = LayerStatus::kSkipped;
    std::string message;     ///< English
    std::string message_fr;  ///< French ("" = same as English)
};

/// Whether an invoice shows one legal mention (layer `mentions`).
/// kPresent: the term that carries it has a value. kMissing: it has none although the mention
/// applies. kNotApplicable: the mention does not apply to this invoice (e.g. no amount due).
/// kToCheck: the law asks for it only in a case the invoice cannot tell (a supply date that
/// differs from the issue date): absent here, to be confirmed by a person.
enum class MentionStatus : std::uint8_t { kPresent, kMissing, kNotApplicable, kToCheck };

/// "present" | "missing" | "not_applicable" | "to_check" (the JSON value).
[[nodiscard]] std::string_view mention_status_name(MentionStatus status) noexcept;

/// One line of the legal-mentions checklist: a mandatory mention of CGI annexe II art. 242
/// nonies A or Code de commerce L441-9 / L441-10, the business terms that carry it, whether the
/// invoice shows it and, when an official rule already enforces it, which.
struct MentionCheck {
    std::string id;        ///< "FR-MENTION-06": also the id of facteur's own finding about it
    std::string label;     ///< English name of the mention ("Seller SIREN")
    std::string label_fr;  ///< French name ("SIREN du vendeur")
    std::string basis;     ///< legal basis ("CGI ann. II art. 242 nonies A, I-1°")
    std::vector<std::string> terms{};        ///< business terms carrying it ("BT-30")
    MentionStatus status = MentionStatus::kMissing;
    std::string value{};                     ///< what the invoice shows (short), "" when absent
    std::vector<std::string> enforced_by{};  ///< official rules that reject its absence
    std::string message{};                   ///< English explanation
    std::string message_fr{};                ///< French explanation
};

/// The verdict on one input document.
struct Report {
    std::string file;
    Syntax syntax = Syntax::kUnknown;
    std::optional<std::string> profile;  ///< BT-24 specification identifier, when readable
    bool from_pdf = false;               ///< the XML was extracted from a PDF container
    std::string attachment{};            ///< from_pdf: the attachment's name ("factur-x.xml")
    std::vector<LayerResult> layers;
    std::vector<Finding> findings;
    /// The legal-mentions checklist (layer `mentions`), in FR-MENTION order; empty when the layer
    /// did not run.
    std::vector<MentionCheck> mentions{};

    /// True only if at least one layer ran and every listed layer is kValid: a layer that was
    /// skipped or errored never yields a valid document.
    [[nodiscard]] bool valid() const noexcept;

    /// Number of findings of `severity` reported by `layer` ("" = every layer).
    [[nodiscard]] std::size_t count(Severity severity, std::string_view layer = {}) const noexcept;
};

}  // namespace facteur::model
