#pragma once

// A native Schematron engine for the official rule sets (EN 16931, BR-FR, EXTENDED-CTC-FR,
// CDAR, Factur-X): the .sch file is the rule data (one entry per assert, with the official id,
// flag and message); each context and test is compiled once, at load time, from its XPath 2.0
// text into a typed evaluation tree that runs natively over a compact element tree. Semantics
// follow the ISO Schematron XSLT 2 skeleton the official artefacts are run with: per pattern,
// every element is visited in document order and matched by the first rule (in file order)
// whose context matches it; every assert whose test is false fires once for that element.
// See docs/adr/0002-native-schematron-engine.md.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "facteur/core/result.h"
#include "facteur/model/report.h"
#include "facteur/xml/document.h"
#include "facteur/xml/tree.h"

namespace facteur::rules {

/// One assert of a rule set, as declared in the .sch file.
struct RuleInfo {
    std::string id;                       ///< the official id, verbatim: "BR-CO-10"
    model::Severity severity = model::Severity::kFatal;  ///< from flag: fatal | warning | information
    std::string pattern;                  ///< id of the enclosing pattern
    std::string context;                  ///< XPath match pattern of the enclosing rule
    std::string test;                     ///< XPath 2.0 test
    std::string message;                  ///< English message, value-of kept as {expr}
    std::string message_fr;               ///< French message ("" when none is known)
    std::vector<std::string> terms;       ///< business terms named by the message: "BT-106", "BG-25"
};

/// Limits of one evaluation (house style §2.4).
struct EvaluationLimits {
    /// Findings kept per document; further ones are counted (RULE-MORE). Default 10,000.
    std::size_t findings_max = 10'000;
    /// Items in any intermediate sequence; an expression that builds more is an evaluation error
    /// for that assert (never a silent pass). Default 1,000,000.
    std::size_t sequence_items_max = 1'000'000;
};

/// What evaluating a rule set on one document produced.
struct Evaluation {
    std::vector<model::Finding> findings;  ///< fired asserts (layer = the rule set's layer)
    /// Asserts that could not be evaluated (an XPath dynamic error such as a non-numeric value
    /// cast to a number, or a singleton function given two nodes). Each one is also reported as
    /// a fatal finding with rule "RULE-EVAL" naming the assert; the layer must then be reported
    /// as kError, never kValid: the official processor stops on such documents.
    std::size_t evaluation_errors = 0;
};

/// A document the rules may read with document('<name>'), e.g. the code list database shipped
/// beside the Factur-X .sch files. Embedded at build time, parsed once by RuleSet::compile()
/// (hardened xml::parse), never read from disk or network at validation time.
struct AuxiliaryDocument {
    std::string name;        ///< the literal argument of document(): "FACTUR-X_EN16931_codedb.xml"
    std::string_view bytes;  ///< the document; needs to live only until compile() returns
};

struct RuleSetOptions {
    std::string layer;    ///< layer name in findings: "en16931", "fr", ...
    std::string version;  ///< version label: "1.3.16"
    std::string name;     ///< human label: "EN16931-UBL-validation"
    /// Pattern ids to run ("" = every pattern of the file).
    std::vector<std::string> patterns;
    EvaluationLimits limits;
    /// The only documents document() may name (default: none). A call with another argument, or
    /// with a non-literal one, refuses the rule set at compile time (SCH-COMPILE). Supported
    /// forms: document('n')/path where the path's predicates use no variable, except a final
    /// [@attr = $v] or [. = $v] (a hash lookup at run time), in a boolean context only.
    std::vector<AuxiliaryDocument> documents;
    /// Severity of a <report> that has no flag attribute. Default kFatal, as for an unflagged
    /// <assert>. (The Factur-X files' 872 flagless, id-less reports are "not used in the given
    /// context" notices, which the reference validator leaves out of its verdict.)
    model::Severity unflagged_report_severity = model::Severity::kFatal;
    /// Rule id given to an <assert> or <report> that has no id attribute. Default "" (none).
    std::string unnamed_rule_id;
};

/// A compiled, immutable rule set. Thread-safe: evaluate() may run concurrently on many threads.
class RuleSet {
public:
    RuleSet(RuleSet&&) noexcept;
    RuleSet& operator=(RuleSet&&) noexcept;
    ~RuleSet();

    /// Compiles the Schematron schema `sch` (the bytes of a .sch file). Errors (kInvalidInput,
    /// id SCH-COMPILE) name the assert or rule whose XPath is not understood, or the auxiliary
    /// document (options.documents) that is not well-formed XML or is registered twice: a rule
    /// set is either compiled whole or refused, never run in part.
    [[nodiscard]] static core::Result<RuleSet> compile(std::string_view sch, RuleSetOptions options);

    [[nodiscard]] const std::string& layer() const noexcept;
    [[nodiscard]] const std::string& version() const noexcept;
    [[nodiscard]] const std::string& name() const noexcept;
    [[nodiscard]] std::span<const RuleInfo> rules() const noexcept;

    /// Sets French messages by assert id (ids absent from the set are ignored): for rule sets
    /// whose official messages are English (EN 16931).
    void set_messages_fr(std::span<const std::pair<std::string_view, std::string_view>> messages);
    /// For rule sets whose official messages are French (BR-FR): the official text becomes the
    /// French message and `messages` the English one; "{select}" placeholders in a translation
    /// are filled with the values the official message's value-of elements compute.
    void set_messages_en(std::span<const std::pair<std::string_view, std::string_view>> messages);

    /// Evaluates every active pattern with `root` as the document element (its parent is the
    /// document node). `root` may be any element, e.g. a payload inside a test file.
    [[nodiscard]] Evaluation evaluate(xml::Node root) const;

    /// The names every rule set is compiled against: one table for all, so that one tree built
    /// with it serves every rule set run on a document (xml::Tree::build(root, shared_names())).
    [[nodiscard]] static const xml::NameTable& shared_names();
    /// Whether `tree` was built with shared_names() after this rule set was compiled, so that
    /// it carries the ids of every name the rules test.
    [[nodiscard]] bool runs_on(const xml::Tree& tree) const noexcept;
    /// evaluate(root) on a tree already built: the same findings. A tree that this rule set
    /// cannot run on (runs_on() false) is built again from its root.
    [[nodiscard]] Evaluation evaluate(const xml::Tree& tree) const;

    /// The compact tree the rules run on, built once; evaluate_prepared() then runs the rules
    /// alone (what the "rules on an already-built model" benchmark measures).
    class Prepared {
    public:
        explicit Prepared(xml::Tree built) : tree(std::move(built)) {}
        xml::Tree tree;  ///< valid while the source Document lives
    };
    [[nodiscard]] std::unique_ptr<Prepared> prepare(xml::Node root) const;
    [[nodiscard]] Evaluation evaluate_prepared(const Prepared& prepared) const;

private:
    struct Impl;
    explicit RuleSet(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// A message table of the project ("ID<TAB>message" lines, '#' lines are comments), as views
/// into `tsv`, for set_messages_fr() / set_messages_en().
[[nodiscard]] std::vector<std::pair<std::string_view, std::string_view>> parse_message_table(std::string_view tsv);

}  // namespace facteur::rules
