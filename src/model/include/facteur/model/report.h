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
enum class LayerStatus : std::uint8_t { kValid, kInvalid, kSkipped, kError };

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

/// The verdict on one input document.
struct Report {
    std::string file;
    Syntax syntax = Syntax::kUnknown;
    std::optional<std::string> profile;  ///< BT-24 specification identifier, when readable
    bool from_pdf = false;               ///< the XML was extracted from a PDF container
    std::vector<LayerResult> layers;
    std::vector<Finding> findings;

    /// True only if at least one layer ran and every listed layer is kValid: a layer that was
    /// skipped or errored never yields a valid document.
    [[nodiscard]] bool valid() const noexcept;

    /// Number of findings of `severity` reported by `layer` ("" = every layer).
    [[nodiscard]] std::size_t count(Severity severity, std::string_view layer = {}) const noexcept;
};

}  // namespace facteur::model
