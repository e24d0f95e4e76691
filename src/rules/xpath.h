#pragma once

// The XPath 2.0 subset used by the official Schematron rule sets, compiled to an expression
// tree and evaluated over an xml::Tree with XPath 2.0 semantics on untyped documents: nodes
// atomize to xs:untypedAtomic; general comparisons cast untypedAtomic to the other operand's
// type (xs:double for numbers); arithmetic on untypedAtomic is xs:double; numeric literals are
// xs:integer, xs:decimal or xs:double by their form; dynamic errors (FORG0001 cast failures,
// XPTY0004 cardinality errors, FOAR0001 division by zero ...) stop the evaluation of the assert
// as in the reference processor. Private to the rules module.

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "decimal.h"
#include "facteur/xml/tree.h"

namespace facteur::rules::xpath {

/// A dynamic or static XPath error; `code` is the W3C error code ("FORG0001", "XPST0003").
class Error : public std::runtime_error {
public:
    Error(std::string code, const std::string& message)
        : std::runtime_error(message), code_(std::move(code)) {}
    [[nodiscard]] const std::string& code() const noexcept { return code_; }

private:
    std::string code_;
};

enum class Type : std::uint8_t {
    kElement,   // node: element (index into the tree; 0 = document node)
    kDocument,  // node: the document node
    kAttribute, // node: attribute (index into the tree's attributes)
    kUntyped,
    kString,
    kBoolean,
    kInteger,
    kDecimal,
    kDouble,
    kDate,
};

/// One XPath item: a node (element, document or attribute, by index into the tree) or an atomic
/// value. 48 bytes: the value lives in a payload shared by the kinds that need storage (text,
/// decimal, double, date), so that node items, the most common, are copied, moved and destroyed
/// without touching a string or a decimal. A payload that was never set reads as the old
/// field defaults did: empty text, decimal 0, double 0, date 0.
class Item {
    enum class Payload : std::uint8_t { kNone, kText, kDecimal, kNumber, kDate };

public:
    Type type = Type::kString;
    bool boolean = false;         // kBoolean
    bool has_tz = false;          // kDate

private:
    Payload payload_ = Payload::kNone;  // here: in the header's spare byte

public:
    std::int32_t tz_minutes = 0;  // kDate
    std::uint32_t node = 0;       // element index, or attribute index
    std::uint32_t owner = 0;      // for attributes: the owning element (document order)

    Item() noexcept : date_(0) {}
    ~Item() { destroy(); }

    Item(const Item& o) : type(o.type), boolean(o.boolean), has_tz(o.has_tz), tz_minutes(o.tz_minutes), node(o.node), owner(o.owner) {
        copy_payload(o);
    }
    Item(Item&& o) noexcept : type(o.type), boolean(o.boolean), has_tz(o.has_tz), tz_minutes(o.tz_minutes), node(o.node), owner(o.owner) {
        move_payload(std::move(o));
    }
    Item& operator=(const Item& o) {
        if (this != &o) {
            Item copy(o);
            *this = std::move(copy);
        }
        return *this;
    }
    Item& operator=(Item&& o) noexcept {
        if (this != &o) {
            destroy();
            type = o.type;
            boolean = o.boolean;
            has_tz = o.has_tz;
            tz_minutes = o.tz_minutes;
            node = o.node;
            owner = o.owner;
            move_payload(std::move(o));
        }
        return *this;
    }

    /// kUntyped, kString.
    [[nodiscard]] const std::string& text() const noexcept { return payload_ == Payload::kText ? text_ : empty_text(); }
    /// kInteger, kDecimal.
    [[nodiscard]] const Decimal& decimal() const noexcept {
        return payload_ == Payload::kDecimal ? decimal_ : zero_decimal();
    }
    /// kDouble.
    [[nodiscard]] double number() const noexcept {
        double d = 0.0;
        if (payload_ == Payload::kNumber) {
            std::memcpy(&d, &date_, sizeof d);
        }
        return d;
    }
    /// kDate: days since 1970-01-01 (timezone-less compare).
    [[nodiscard]] std::int64_t date() const noexcept { return payload_ == Payload::kDate ? date_ : 0; }

    void set_text(std::string s) {
        destroy();
        new (&text_) std::string(std::move(s));
        payload_ = Payload::kText;
    }
    void set_decimal(Decimal d) {
        destroy();
        new (&decimal_) Decimal(std::move(d));
        payload_ = Payload::kDecimal;
    }
    void set_number(double d) noexcept {
        destroy();
        std::memcpy(&date_, &d, sizeof d);  // the raw bits: copies of a non-owning payload read date_
        payload_ = Payload::kNumber;
    }
    void set_date(std::int64_t days) noexcept {
        destroy();
        date_ = days;
        payload_ = Payload::kDate;
    }

    [[nodiscard]] bool is_node() const noexcept {
        return type == Type::kElement || type == Type::kDocument || type == Type::kAttribute;
    }
    [[nodiscard]] bool is_numeric() const noexcept {
        return type == Type::kInteger || type == Type::kDecimal || type == Type::kDouble;
    }

private:
    static const std::string& empty_text() noexcept;
    static const Decimal& zero_decimal() noexcept;

    // Node, boolean, double and date items own nothing: their payload is copied as raw bits
    // and they need no destruction (the inline fast paths); text and decimals take the others.
    [[nodiscard]] bool owns() const noexcept { return payload_ == Payload::kText || payload_ == Payload::kDecimal; }

    [[gnu::always_inline]] void destroy() noexcept {
        if (owns()) {
            destroy_owned();
        }
        payload_ = Payload::kNone;
    }
    void destroy_owned() noexcept {
        if (payload_ == Payload::kText) {
            text_.~basic_string();
        } else {
            decimal_.~Decimal();
        }
    }
    [[gnu::always_inline]] void copy_payload(const Item& o) {
        if (o.owns()) {
            copy_owned(o);
        } else {
            date_ = o.date_;  // a double is kept as these bits too: copied alike
        }
        payload_ = o.payload_;
    }
    void copy_owned(const Item& o) {
        if (o.payload_ == Payload::kText) {
            new (&text_) std::string(o.text_);
        } else {
            new (&decimal_) Decimal(o.decimal_);
        }
    }
    [[gnu::always_inline]] void move_payload(Item&& o) noexcept {
        if (o.owns()) {
            move_owned(std::move(o));
        } else {
            date_ = o.date_;
        }
        payload_ = o.payload_;
    }
    void move_owned(Item&& o) noexcept {
        if (o.payload_ == Payload::kText) {
            new (&text_) std::string(std::move(o.text_));
        } else {
            new (&decimal_) Decimal(std::move(o.decimal_));
        }
    }

    union {
        std::string text_;
        Decimal decimal_;
        std::int64_t date_;  // kDate; kDouble: the double's bits
    };
};

/// Per-thread bump allocator for the sequences built while a rule set runs on one document:
/// allocation is a pointer increment and freeing is free; the whole arena is recycled when the
/// document is done (ArenaScope). Outside a scope, or past its limit, the heap is used.
class Arena {
public:
    /// Bytes an arena may hold before falling back to the heap. Default 64 MiB.
    static constexpr std::size_t kBytesMax = std::size_t{64} << 20;
    static constexpr std::size_t kBlockBytes = std::size_t{256} << 10;

    void* allocate(std::size_t bytes);
    [[nodiscard]] bool owns(const void* p) const noexcept;
    void reset() noexcept;

    static thread_local Arena* current;

private:
    struct Block {
        std::unique_ptr<std::byte[]> data;
        std::size_t size = 0;
    };
    std::vector<Block> blocks_;
    std::size_t block_ = 0;  // block being filled
    std::size_t used_ = 0;   // bytes used in it
    std::size_t total_ = 0;
};

/// Makes `arena` the current thread's arena for the scope, then recycles it.
class ArenaScope {
public:
    explicit ArenaScope(Arena& arena) : previous_(Arena::current), arena_(arena) { Arena::current = &arena; }
    ~ArenaScope() {
        Arena::current = previous_;
        arena_.reset();
    }
    ArenaScope(const ArenaScope&) = delete;
    ArenaScope& operator=(const ArenaScope&) = delete;

private:
    Arena* previous_;
    Arena& arena_;
};

template <class T>
struct ArenaAllocator {
    using value_type = T;
    ArenaAllocator() noexcept = default;
    template <class U>
    ArenaAllocator(const ArenaAllocator<U>& /*other*/) noexcept {}  // NOLINT: stateless
    T* allocate(std::size_t n) {
        if (Arena::current != nullptr) {
            if (void* p = Arena::current->allocate(n * sizeof(T))) {
                return static_cast<T*>(p);
            }
        }
        return std::allocator<T>().allocate(n);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if (Arena::current != nullptr && Arena::current->owns(p)) {
            return;
        }
        std::allocator<T>().deallocate(p, n);
    }
    friend bool operator==(const ArenaAllocator&, const ArenaAllocator&) noexcept { return true; }
};

using Sequence = std::vector<Item, ArenaAllocator<Item>>;

Item make_string(std::string s);
Item make_untyped(std::string s);
Item make_boolean(bool b);
Item make_integer(Decimal d);
Item make_decimal(Decimal d);
Item make_double(double d);

/// Namespace prefixes in scope for the expressions of one rule set.
using Namespaces = std::unordered_map<std::string, std::string>;

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;
enum class Fn : std::uint8_t;

/// Compile-time environment: namespaces, names, and the variables in scope.
class Compiler {
public:
    Compiler(const Namespaces& namespaces, xml::NameTable& names) : ns_(namespaces), names_(names) {}

    /// Compiles an expression; throws Error (XPST0003 syntax, XPST0017 unknown function,
    /// XPST0008 unknown variable, XPST0081 unknown prefix).
    ExprPtr compile(std::string_view text);
    /// Like compile(), for an assert test: the value is only ever taken as an effective boolean
    /// value (which is what allows document() lookups in it, see DocumentLookup).
    ExprPtr compile_test(std::string_view text);

    /// Registers an auxiliary document for document('name'); `tree` (built against names())
    /// must live until compilation ends: lookups are resolved into the expressions.
    void add_document(const std::string& name, const xml::Tree& tree) { documents_[name] = &tree; }
    /// The registered document called `name`, or nullptr.
    [[nodiscard]] const xml::Tree* find_document(const std::string& name) const {
        const auto it = documents_.find(name);
        return it == documents_.end() ? nullptr : it->second;
    }

    /// Declares a variable visible to expressions compiled afterwards; returns its slot.
    std::uint32_t declare(const std::string& name);
    /// Removes the variables declared after `mark` (see mark()).
    void release(std::size_t mark) { scope_.resize(mark); }
    [[nodiscard]] std::size_t mark() const noexcept { return scope_.size(); }
    [[nodiscard]] std::uint32_t slots() const noexcept { return slots_; }
    /// Entries Context::memo needs for the assert tests compiled so far (see Expr::memo_slot).
    [[nodiscard]] std::uint32_t memo_slots() const noexcept { return memo_slots_ + 1; }
    /// Per-document result cache entries needed by the expressions compiled so far.
    [[nodiscard]] std::uint32_t cache_slots() const noexcept {
        return static_cast<std::uint32_t>(cache_keys_.size() + 1);
    }

    /// Declares a user function (xsl:function) `{uri}local` of `arity` parameters so that calls
    /// to it compile; returns its index. Bodies are attached by the caller (schematron.cpp).
    std::uint32_t declare_function(const std::string& expanded_name, std::size_t arity);
    /// Index of a declared user function, or -1.
    [[nodiscard]] std::int64_t find_function(const std::string& expanded_name, std::size_t arity) const;

    // Used by the parser.
    [[nodiscard]] std::uint32_t lookup(const std::string& name) const;
    [[nodiscard]] std::string resolve_prefix(const std::string& prefix) const;
    xml::NameTable& names() { return names_; }

private:
    const Namespaces& ns_;
    xml::NameTable& names_;
    std::vector<std::pair<std::string, std::uint32_t>> scope_;
    std::uint32_t slots_ = 0;
    std::unordered_map<std::string, std::uint32_t> cache_keys_;  // signature -> slot (0 = none)
    std::uint32_t memo_slots_ = 0;
    std::unordered_map<std::string, std::uint32_t> functions_;   // "{uri}local#arity" -> index
    std::unordered_map<std::string, const xml::Tree*> documents_;  // document() names
};

/// A sequence type of an xsl:function parameter, variable or result (`as`), e.g. xs:string?.
struct SequenceType {
    enum class Kind : std::uint8_t { kAny, kAtomic, kNode } kind = Kind::kAny;
    Fn atomic{};                    // target of the function conversion rules (kAtomic)
    bool any_atomic = false;        // xs:anyAtomicType: atomize only
    char occurrence = '*';          // '1' exactly one, '?', '*', '+'
};

/// Parses an `as` attribute ("" = item()*); throws Error XPST0051 for a type it does not know.
SequenceType parse_sequence_type(std::string_view as);

/// A compiled xsl:function.
struct UserFunction {
    std::string name;
    std::vector<std::uint32_t> param_slots;
    std::vector<SequenceType> param_types;
    struct Variable {
        std::uint32_t slot = 0;
        SequenceType type;
        ExprPtr value;
    };
    std::vector<Variable> variables;  // xsl:variable, in order
    ExprPtr body;                     // xsl:sequence select
    SequenceType result;
    /// Neither the body nor a variable calls current() or another user function: the result
    /// depends on the argument values and nodes alone, so it may be kept per document for
    /// node arguments too (atomic-only arguments are kept in any case).
    bool pure = false;
};

/// Every element's path of names from the document node, merged into a trie (the elements with
/// the same path of expanded names share one trie node), built once per document on demand. A
/// name chain (Expr::name_chain) below an element that is alone at its trie node exists exactly
/// when the trie has it: a few hash lookups, however many siblings share each name on the way.
class PathIndex {
public:
    /// Chain queries a document answers by walking the tree before the index is built: building
    /// costs one pass over the document, worth it only for rule sets that ask many.
    static constexpr std::uint32_t kBuildAfter = 16;
    static constexpr std::uint32_t kNone = 0xFFFFFFFFU;

    /// Forgets the previous document (keeps the storage).
    void reset() noexcept;
    /// Counts a query; true when the index is (now) built for `tree`.
    bool use(const xml::Tree& tree);
    /// Counts `queries` queries at once (a ChainSet's chains); true when the index is built.
    bool use(const xml::Tree& tree, std::uint32_t queries);

    /// The trie node of element `element` (0 = the document node's).
    [[nodiscard]] std::uint32_t node_of(std::uint32_t element) const noexcept {
        return node_of_[element];
    }

    /// Whether one element only sits at trie node `node`.
    [[nodiscard]] bool alone(std::uint32_t node) const noexcept { return count_[node] == 1; }

    /// The trie node below `node` for child elements named `name`, or kNone.
    [[nodiscard]] std::uint32_t child(std::uint32_t node, xml::NameId name) const noexcept {
        return find(key(node, name, false));
    }

    /// Whether an element at trie node `node` has an attribute named `name`.
    [[nodiscard]] bool has_attribute(std::uint32_t node, xml::NameId name) const noexcept {
        return find(key(node, name, true)) != kNone;
    }

private:
    struct Slot {
        std::uint64_t key = 0;  // 0 = empty
        std::uint32_t value = 0;
    };

    static std::uint64_t key(std::uint32_t node, xml::NameId name, bool attribute) noexcept {
        return (static_cast<std::uint64_t>(node) + 1) << 32 | name
               | (attribute ? std::uint64_t{1} << 63 : 0);
    }

    [[nodiscard]] std::size_t home(std::uint64_t k) const noexcept {
        return static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ULL) >> shift_);
    }

    [[nodiscard]] std::uint32_t find(std::uint64_t k) const noexcept {
        for (std::size_t i = home(k);; i = (i + 1) & (slots_.size() - 1)) {
            if (slots_[i].key == k) {
                return slots_[i].value;
            }
            if (slots_[i].key == 0) {
                return kNone;
            }
        }
    }

    void build(const xml::Tree& tree);
    std::uint32_t insert(std::uint64_t k, std::uint32_t value);

    bool built_ = false;
    std::uint32_t queries_ = 0;
    std::vector<std::uint32_t> node_of_;  // element -> trie node
    std::vector<std::uint32_t> count_;    // trie node -> elements at it
    std::vector<Slot> slots_;             // open addressing, a power of two
    unsigned shift_ = 64;
};

/// Effective boolean values of predicates (Expr::pred_slot) per element, for one document: an
/// open-addressing table whose entries are valid for the current generation only, so that
/// starting a document is one increment, not a clear.
class PredicateCache {
public:
    /// Entries the table may hold before it stops keeping new ones. Default 1 << 20.
    static constexpr std::size_t kEntriesMax = std::size_t{1} << 20;

    /// Forgets every entry (the next document).
    void reset() noexcept;

    /// The kept value of predicate `slot` for element `element`: 0 unknown, 1 false, 2 true.
    [[nodiscard]] int find(std::uint32_t slot, std::uint32_t element) const noexcept {
        if (entries_.empty()) {
            return 0;
        }
        const std::uint64_t k = key(slot, element);
        for (std::size_t i = home(k);; i = (i + 1) & (entries_.size() - 1)) {
            const Entry& e = entries_[i];
            if (e.generation != generation_) {
                return 0;
            }
            if (e.key == k) {
                return e.value ? 2 : 1;
            }
        }
    }

    /// Keeps `value` for predicate `slot` and element `element` (not already kept).
    void keep(std::uint32_t slot, std::uint32_t element, bool value);

private:
    struct Entry {
        std::uint64_t key = 0;
        std::uint32_t generation = 0;  // valid when equal to generation_
        bool value = false;
    };

    static std::uint64_t key(std::uint32_t slot, std::uint32_t element) noexcept {
        return static_cast<std::uint64_t>(slot) << 32 | element;
    }

    [[nodiscard]] std::size_t home(std::uint64_t k) const noexcept {
        return static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ULL) >> shift_);
    }

    void grow();

    std::vector<Entry> entries_;  // a power of two, or empty
    std::size_t used_ = 0;
    std::uint32_t generation_ = 1;
    unsigned shift_ = 64;
};

struct Context;

/// Name chains (Expr::name_chain) that one rule tests from the same context element, merged
/// into a trie of their steps: a prefix shared by several chains is looked up once, and a
/// missing step answers every chain below it (the hundreds of `not(cac:A/cac:B/cbc:C)` syntax
/// asserts of a rule). Each chain's existence is the effective boolean value that evaluating
/// its expression on its own gives.
class ChainSet {
public:
    /// Adds the chain of `e` (e.name_chain not empty; `e` must outlive the set); returns its
    /// index.
    std::uint32_t add(const Expr& e);

    [[nodiscard]] std::size_t size() const noexcept { return chains_.size(); }

    /// exists[i] = whether chain i exists below the context item of `ctx` (an element or the
    /// document node). Never throws.
    void evaluate(const Context& ctx, std::vector<char>& exists) const;

private:
    struct Node {
        std::vector<xml::NameId> names;   // the names the step accepts
        bool attribute = false;           // the step is the chain's final `@name`
        std::vector<std::uint32_t> kids;  // trie nodes of the next steps
        std::vector<std::uint32_t> ends;  // chains that end with this step
    };

    /// Marks exists[] for the chains below trie node `node`, from what at[begin..] reaches
    /// through `source` (the path index or the tree, see xpath_eval.cpp).
    template <class Source>
    void walk(std::uint32_t node, const Source& source, std::vector<std::uint32_t>& at,
              std::size_t begin, std::vector<char>& exists) const;
    /// Appends to `present` the steps among `kids` that are attribute steps or name a child
    /// that `visit(at[i], mark)` marks for some i in [begin, end).
    template <class Visit>
    void mark_present(const std::vector<std::uint32_t>& at, std::size_t begin, std::size_t end,
                      Visit&& visit, const std::vector<std::uint32_t>& kids,
                      boost::container::small_vector<std::uint32_t, 16>& present) const;
    std::vector<Node> nodes_{1};  // 0: the context element
    std::vector<const Expr*> chains_;
};

/// Evaluation state for one document.
struct Context {
    const xml::Tree* tree = nullptr;
    std::vector<Sequence>* slots = nullptr;
    Item item;               // the context item
    std::size_t position = 1;
    std::size_t size = 1;
    std::size_t items_max = 1'000'000;
    /// Results of absolute paths, per document (index = Expr::cache_slot; size cache_slots()).
    struct CacheEntry {
        bool seen = false;               // evaluated once already (streamed, not kept)
        std::optional<Sequence> value;   // kept from the second evaluation on
    };
    std::vector<CacheEntry>* cache = nullptr;
    /// Values of an assert test's repeated subexpressions (index = Expr::memo_slot; size
    /// Compiler::memo_slots()), each valid for the evaluation and the variable bindings it was
    /// computed under: `stamp` is the generation of those bindings, drawn from `memo_clock`
    /// (every evaluation and every new binding of a for/some/every takes a fresh one).
    struct MemoEntry {
        std::uint64_t stamp = 0;
        std::optional<Item> value;
    };
    std::vector<MemoEntry>* memo = nullptr;
    mutable std::uint64_t memo_clock = 0;
    /// Verdicts of rule contexts that depend only on the element's name, per document, keyed by
    /// (alternative, name): the many `//*[ends-with(name(), 'Amount')]` contexts of the CII
    /// syntax rules are then decided once per distinct element name.
    struct NameKey {
        const void* alternative;
        const char* local;
        const char* prefix;
        const char* ns;
        bool operator==(const NameKey&) const = default;
    };
    struct NameKeyHash {
        std::size_t operator()(const NameKey& k) const noexcept {
            std::size_t h = std::hash<const void*>()(k.alternative);
            for (const void* p : {static_cast<const void*>(k.local), static_cast<const void*>(k.prefix),
                                  static_cast<const void*>(k.ns)}) {
                h = h * 1000003U ^ std::hash<const void*>()(p);
            }
            return h;
        }
    };
    std::unordered_map<NameKey, bool, NameKeyHash>* name_cache = nullptr;
    /// The document's path trie for name chains, built on demand (null: walk the tree).
    PathIndex* paths = nullptr;
    /// Predicate values per element for this document (null: evaluate every time).
    PredicateCache* predicates = nullptr;
    /// The rule set's xsl:functions (index = Expr::slot of a kUserCall).
    const std::vector<UserFunction>* functions = nullptr;
    /// Nesting of user-function calls (bounded: 64).
    mutable std::size_t call_depth = 0;
    /// Results of user functions whose parameters are all atomic, per document, keyed by the
    /// function and its argument values: an xsl:function sees no context item, so its result
    /// depends on its arguments alone.
    std::unordered_map<std::string, Sequence>* function_results = nullptr;
};

Sequence evaluate(const Expr& expr, const Context& ctx);
/// The effective boolean value of `expr`, computed lazily where possible.
bool evaluate_boolean(const Expr& expr, const Context& ctx);
bool effective_boolean(const Sequence& s);
std::string string_value(const Item& item, const xml::Tree& tree);

/// A Schematron rule context (an XSLT match pattern), compiled.
class Pattern {
public:
    static Pattern compile(Compiler& compiler, std::string_view text);
    /// True if element `index` of the tree matches.
    [[nodiscard]] bool matches(std::uint32_t index, const Context& ctx) const;
    /// What the element's name alone decides: kNever (no alternative can match), kAlways (an
    /// alternative decided by the name matches), or kDepends (matches() must look further).
    enum class ByName : std::uint8_t { kNever, kAlways, kDepends };
    /// Also looks at the name of the element's parent (see parent_names_): plans made with it
    /// must be kept per (name, parent's name).
    [[nodiscard]] ByName by_name(std::uint32_t index, const Context& ctx) const;
    /// Names the last step can match (empty = any element).
    [[nodiscard]] const std::vector<xml::NameId>& last_names() const noexcept { return last_names_; }
    [[nodiscard]] bool any_element() const noexcept { return any_element_; }

    /// The test every alternative makes first once its last step's name test passes: that
    /// step's first predicate, `K = 'literal'`, with K `.`, a name chain, or normalize-space()
    /// of one, the same K and literal in every alternative (`cac:TaxCategory[normalize-space(
    /// cbc:ID) = 'S'][...]`). Rule sets hold a family of such contexts that differ only by the
    /// literal: K's values, computed once per element (key_values()), rule most of them out
    /// without matches().
    struct Key {
        const Expr* value = nullptr;  // K, in the first alternative
        std::string signature;        // K's text, the same for every alternative
        std::string literal;
    };
    [[nodiscard]] const std::optional<Key>& key() const noexcept { return key_; }
    /// K's string values for element `index` (the values `K = 'literal'` compares with the
    /// literal, as strings), in `out`. False when K raises an error or yields a value that is
    /// not a node or a string: matches() must then decide (and raise the same error).
    /// When true and the literal is not among them, matches() is false and raises no error.
    [[nodiscard]] bool key_values(std::uint32_t index, const Context& ctx,
                                  std::vector<std::string>& out) const;

    Pattern();
    Pattern(Pattern&&) noexcept;
    Pattern& operator=(Pattern&&) noexcept;
    ~Pattern();

private:
    void check(const Expr& alternative, std::string_view text);
    ExprPtr expr_;  // a union of path expressions
    std::vector<const Expr*> alternatives_;
    std::vector<bool> name_only_;  // alternative decided by the element's name alone
    /// Per alternative: the conjuncts of its last step's predicates that look at the element's
    /// name only (`//*[ends-with(name(), 'Amount') and not(ancestor::x)]`): when one is false
    /// the name alone rules the alternative out.
    std::vector<std::vector<const Expr*>> name_guards_;
    /// Per alternative: the name the element's parent must have when the alternative's last
    /// two steps are `name/step` on the child axis (`cac:X/cbc:ID[...]`), else kNameUnknown.
    std::vector<xml::NameId> parent_names_;
    std::vector<xml::NameId> last_names_;
    bool any_element_ = false;
    std::optional<Key> key_;
};

}  // namespace facteur::rules::xpath
