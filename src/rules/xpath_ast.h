#pragma once

// Expression tree of the XPath engine (private to the rules module).

#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "regex_matcher.h"
#include "xpath.h"

namespace facteur::rules::xpath {

enum class Op : std::uint8_t {
    kLiteral, kVar, kContext, kPath, kStep, kFilter, kSequence,
    kOr, kAnd, kGeneralCmp, kValueCmp, kIs,
    kAdd, kSub, kMul, kDiv, kIdiv, kMod, kNeg, kPos,
    kUnion, kIntersect, kExcept, kRange,
    kCall, kIf, kSome, kEvery, kFor, kCast, kCastable, kUserCall,
    kDocument,
};

enum class Cmp : std::uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

enum class Axis : std::uint8_t {
    kChild, kDescendant, kDescendantOrSelf, kSelf, kParent, kAncestor, kAncestorOrSelf,
    kAttribute, kFollowingSibling, kPrecedingSibling, kFollowing, kPreceding,
};

enum class Anchor : std::uint8_t { kNone, kRoot, kRootDescendant };

enum class Fn : std::uint8_t {
    kAnyAtomic,  // not a function: xs:anyAtomicType in a SequenceType
    kNot, kTrue, kFalse, kBoolean, kExists, kEmpty, kCount, kSum, kAvg, kMin, kMax,
    kRound, kFloor, kCeiling, kAbs, kNumber, kString, kData,
    kNormalizeSpace, kStringLength, kConcat, kContains, kStartsWith, kEndsWith,
    kSubstring, kSubstringBefore, kSubstringAfter, kUpperCase, kLowerCase, kTranslate,
    kMatches, kReplace, kTokenize, kStringJoin, kDistinctValues,
    kLocalName, kName, kPosition, kLast, kCurrent, kRoot,
    kExactlyOne, kZeroOrOne, kIndexOf, kReverse, kStringToCodepoints, kCodepointsToString,
    kXsDecimal, kXsInteger, kXsDouble, kXsString, kXsBoolean, kXsDate,
};

/// tokenize() patterns split without std::regex (see Expr::regex_split).
enum class RegexSplit : std::uint8_t { kNone, kSpace, kSpaces };  // `\s`, `\s+`

/// 24 bytes, so that its kind and name share the first cache line of an Expr with the members
/// every visit reads; the texts, read only by the `ns:*` and `*:local` tests, live apart.
struct NodeTest {
    /// kAny: node() (and `*` or attribute() on the attribute axis), which the document node
    /// passes too; kElement: `*` and element() on the other axes, elements only.
    enum Kind : std::uint8_t { kName, kAny, kElement, kNamespaceAny, kLocalAny, kDocument } kind = kAny;
    xml::NameId name = xml::kNameUnknown;

    struct Text {
        std::string ns;
        std::string local;
    };
    [[nodiscard]] const std::string& ns() const noexcept { return text ? text->ns : empty(); }
    [[nodiscard]] const std::string& local() const noexcept { return text ? text->local : empty(); }
    void set_text(std::string ns, std::string local) {
        text = std::make_shared<const Text>(Text{std::move(ns), std::move(local)});
    }

private:
    static const std::string& empty() noexcept {
        static const std::string kEmpty;
        return kEmpty;
    }
    std::shared_ptr<const Text> text;
};

/// document('name')/path, resolved when the expression is compiled: the path (whose predicates
/// use no variable) is evaluated once over the embedded document. A final predicate
/// `[@attr = X]` or `[. = X]` (X a variable, a literal or a sequence of them) is kept as `keys`:
/// at run time the general comparison with X's values is a hash lookup for string and
/// untypedAtomic values (the code-list idiom of the Factur-X rules), a scan otherwise. The
/// value is only ever used as an effective boolean value (checked at compile time), so the
/// expression yields (true()) when a node matches and () when none does.
struct DocumentLookup {
    std::string name;               // the document's registered name
    bool any = false;               // the constant path selects at least one node
    bool keyed = false;             // a final [key = X] predicate filters those nodes
    bool key_left = true;           // the key is the comparison's left operand
    std::vector<std::string> keys;  // key value of each selected node that has one, in order
    std::unordered_set<std::string> key_set;
};

// Aligned on a cache line. The first line holds what every visit reads (the operator, the
// flags, the slots, the kids, the node test's kind and name); the second the predicates and the
// name chain, which steps, paths and comparisons read; the rest follows.
struct alignas(64) Expr {
    Op op = Op::kLiteral;
    // comparisons
    Cmp cmp = Cmp::kEq;
    // kCall / kCast / kCastable
    Fn fn = Fn::kNot;
    // kStep
    Axis axis = Axis::kChild;
    // kPath: kids = steps, starting from `anchor` (see `descendant` below)
    Anchor anchor = Anchor::kNone;
    /// tokenize() with the literal pattern `\s` or `\s+`: split on C-locale whitespace.
    RegexSplit regex_split = RegexSplit::kNone;
    // Set by the compiler's analysis pass (annotate()):
    bool uses_vars = false;         // the subtree reads a variable or current()
    bool preds_positional = false;  // a predicate may depend on position() or last() or be numeric
    bool streamable = false;        // kPath/kStep: nodes can be visited one by one, lazily
    bool unique = false;            // ... and never twice (count() and sum() may stream it)
    /// The value depends on the document alone: a literal, an absolute path without variables,
    /// or a union, sequence or user-function call of such expressions. A user-function call of
    /// this kind also gets a cache_slot: `custom:isSpecialContract(/ubl:Invoice|/cn:CreditNote)`,
    /// called for every line, is then evaluated once per document (when its result may be
    /// memoised at all, see Eval::user_call).
    bool doc_constant = false;
    bool chain_ends_in_attribute = false;  // see name_chain
    /// Set by annotate(): `preds` and `name_chain` are empty, so that a visit need not read them
    /// (false until then, which reads them).
    bool no_preds = false;
    bool no_chain = false;
    // kVar
    std::uint32_t slot = 0;
    std::uint32_t cache_slot = 0;   // absolute path without variables: result cached per document
    /// In an assert's test: an arithmetic expression or a numeric function call that occurs
    /// more than once where the focus and the variables are the same (outside
    /// predicates and later path steps, within one binding of a for/some/every): its value is
    /// kept under this slot for the rest of that evaluation (Context::memo), so the UBL BR-S-08
    /// sums, written twice, run once (0 = not kept).
    std::uint32_t memo_slot = 0;
    /// A predicate of a non-positional step that reads no variable, no current() and no user
    /// function, and is not trivial: its value for an element depends on the element alone, so
    /// it is kept per document (Context::predicates) under this slot, shared by every identical
    /// predicate of the rule set (0 = not kept).
    std::uint32_t pred_slot = 0;
    std::vector<ExprPtr> kids;
    // kStep
    NodeTest test;
    // kStep / kFilter predicates
    std::vector<ExprPtr> preds;
    /// A relative path of name tests only (`cac:A/cac:B/cbc:C`, optionally ending in `@x`), no
    /// predicates: existence is a walk over the name index (the ~450 `not(path)` syntax rules).
    /// A step may be a union of such child steps (`(cac:InvoiceLine |
    /// cac:CreditNoteLine)/cac:Item`): name_chain[k] holds the names step k accepts.
    std::vector<std::vector<xml::NameId>> name_chain;
    // kLiteral
    Item literal;
    // kPath: descendant[i] = step i follows '//'
    std::vector<bool> descendant;
    // kSome / kEvery / kFor: one slot per binding; kids = [in-expr..., body]
    std::vector<std::uint32_t> slots;
    std::shared_ptr<const std::regex> regex;  // literal pattern of matches/replace/tokenize
    /// matches() with a literal pattern in RegexMatcher's subset: the same answer as `regex`
    /// without std::regex (null otherwise, and for inputs the matcher refuses).
    std::shared_ptr<const RegexMatcher> matcher;
    /// replace() / tokenize() with a literal pattern without metacharacters (`\.`, `#PMT#`):
    /// the text it matches, searched for directly (null otherwise).
    std::shared_ptr<const std::string> regex_literal;
    /// For a path with a cache_slot, of n steps: the cache slots of its prefixes of 1..n-1
    /// steps, shared with every other path that starts the same way (`//cac:TaxCategory[...]/
    /// cbc:ID[. = 'AE']` and `... = 'Z']` share the node set of their first step).
    std::vector<std::uint32_t> prefix_slots;
    /// contains(' A B C ', concat(' ', X, ' ')), the code-list idiom of the rule sets: the
    /// literal's tokens, so that membership is one hash lookup (same result as the substring
    /// test whenever X is non-empty and has no space; otherwise the substring test runs).
    std::shared_ptr<const std::unordered_set<std::string>> code_list;
    /// kDocument: the resolved lookup; kids = [X] when keyed (see DocumentLookup).
    std::shared_ptr<const DocumentLookup> document;
};

/// Computes the analysis flags of `e` and its subtree; absolute paths get the cache slot of
/// their structural signature in `slots` (new signatures get the next number).
void annotate(Expr& e, std::unordered_map<std::string, std::uint32_t>& slots);

/// Structural signature of `e` where each variable is written as `var(slot)` says; nullopt when
/// `var` gives nullopt for one of them. Two expressions with the same signature give the same
/// value for the same context item when the variables `var` names the same have equal values.
std::optional<std::string> signature_of(
    const Expr& e, const std::function<std::optional<std::string>(std::uint32_t)>& var);

/// Translates an XPath/XSD regular expression and flags to std::regex (ECMAScript); throws
/// Error FORX0002 for a construct it cannot translate.
std::regex compile_regex(const std::string& pattern, const std::string& flags);

/// The ECMAScript text compile_regex() gives std::regex for `pattern` and `flags`, and whether
/// it adds the icase option; throws Error FORX0001/FORX0002 as compile_regex() does.
std::string ecmascript_regex(const std::string& pattern, const std::string& flags, bool& icase);

}  // namespace facteur::rules::xpath
