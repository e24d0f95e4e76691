#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/core/result.h"
#include "facteur/model/report.h"
#include "facteur/validate/schema_registry.h"
#include "facteur/xml/tree.h"

namespace facteur::validate {

struct XsdValidatorConfig {
    /// Findings kept per document; one info finding then says how many more there were.
    /// Default: 100.
    std::size_t findings_max = 100;
};

/// One step of an element path below the root element: the first child element with this
/// namespace URI and local name (the rule of xml::Node::child).
struct ElementStep {
    std::string_view namespace_uri;
    std::string_view local_name;
};

/// A namespace declaration as written in the document: `xmlns:prefix="uri"`, or `xmlns="uri"`
/// with an empty prefix.
struct NamespaceDeclaration {
    std::string prefix;
    std::string uri;
};

/// Longest element, attribute or processing-instruction target name, in UTF-16 code units, that
/// XsdScan does not call unusual. Default: 1,000 (libxml2 refuses names over 50,000 bytes).
inline constexpr std::size_t kPlainNameMax = 1000;

/// What one validating pass (XsdValidator::scan) learns about a document besides its findings.
struct XsdScan {
    /// Exactly what XsdValidator::validate() returns for the same bytes and schema set.
    std::vector<model::Finding> findings;
    /// Text content (UTF-8) of the element the capture path leads to, as written (Xerces'
    /// datatype normalisation is off; line ends are normalised as XML 1.0 says); nullopt when
    /// there is no such element (or the path is empty).
    std::optional<std::string> captured;
    /// Every distinct namespace declaration, in document order.
    std::vector<NamespaceDeclaration> namespaces;
    /// Xerces accepted something a strict XML 1.0 parser might refuse, or that this pass does
    /// not vouch for: an XML declaration whose version is not 1.0, a name longer than
    /// kPlainNameMax, two attributes of one element with the same expanded name, a captured
    /// text that came in more than one piece (split by CDATA, a comment, a reference...).
    bool unusual = false;
    /// Every finding is a schema-validity error after which Xerces still reads the document as
    /// libxml2 does (an undeclared element or attribute, a content model not met, a required
    /// attribute missing, a value out of its type), and the pass reached the end of the
    /// document; true when there is no finding. False after any other error (well-formedness,
    /// character data an element-only content model forbids, which Xerces drops), a warning, or
    /// a refused external resource.
    bool validity_only = true;
    /// The document as a rule tree (scan() given a name table), when the pass has nothing
    /// unusual and no finding but schema-validity errors (validity_only): what
    /// xml::Tree::build() gives from libxml2's parse of the same bytes
    /// (names, attributes, texts and lines alike) whenever libxml2 accepts them, which a
    /// namespace declaration outside xml::plain_namespace_declaration() may prevent. Its root()
    /// is null.
    std::optional<xml::Tree> tree;
};

/// Validates documents against a schema set with Xerces-C, using the registry's locked grammar
/// pools: nothing is ever fetched (schema location hints are ignored, every entity is resolved
/// inside the schema folder or refused, and Xerces' network accessor is removed at start).
/// Not thread-safe: one validator per thread, all sharing one SchemaRegistry.
class XsdValidator {
public:
    XsdValidator(SchemaRegistry& registry, XsdValidatorConfig config = {});
    ~XsdValidator();
    XsdValidator(const XsdValidator&) = delete;
    XsdValidator& operator=(const XsdValidator&) = delete;

    /// Validates `bytes` (a document already accepted by xml::parse: well-formed, no DOCTYPE,
    /// within limits) against `set`. Each schema
    /// violation is a fatal finding with rule "XSD", layer "xsd", the line and the element path.
    /// Errors: those of SchemaRegistry::pool(); kInternal "XSD-INTERNAL" when Xerces fails.
    [[nodiscard]] core::Result<std::vector<model::Finding>> validate(std::string_view bytes,
                                                                     SchemaSet set);

    /// The same validating pass as validate(), on bytes that need only have passed
    /// xml::prescan() (Xerces then decides well-formedness: every violation of it is a fatal
    /// finding), which also captures the text of the element at `capture` (at most 8 steps
    /// below the root) and reports the document's namespace declarations and anything unusual,
    /// so that a caller can do without a parsed tree when the findings are empty.
    /// Errors: those of validate().
    /// With `names`, the pass also builds the document's rule tree (XsdScan::tree) against
    /// that table, so that the rules can run without libxml2's parse; not for a document with a
    /// carriage return alone (a line end that libxml2 does not count, so lines would differ).
    [[nodiscard]] core::Result<XsdScan> scan(std::string_view bytes, SchemaSet set,
                                             std::span<const ElementStep> capture,
                                             const xml::NameTable* names = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Initialises Xerces-C once per process and removes its network accessor, so that no code path
/// inside Xerces can open a connection. Idempotent and thread-safe.
void initialise_xerces();

/// The Xerces-C version facteur runs with, e.g. "3.2.4".
[[nodiscard]] std::string_view xerces_version() noexcept;

}  // namespace facteur::validate
