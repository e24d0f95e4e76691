// Loads an official Schematron file into a compiled RuleSet and runs it (see schematron.h).
#include "facteur/rules/schematron.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "facteur/xml/tree.h"

#include "xpath_ast.h"

namespace facteur::rules {

namespace {

constexpr std::string_view kSchNs = "http://purl.oclc.org/dsdl/schematron";
constexpr std::string_view kXslNs = "http://www.w3.org/1999/XSL/Transform";

struct Let {
    std::uint32_t slot = 0;
    xpath::ExprPtr value;
    /// Lets with the same id (1..) give the same value for the same context item: their value
    /// depends on it and on global variables (or on lets that are shared) only, and is kept per
    /// document and element (LetValues). 0: evaluated each time.
    std::uint32_t shared = 0;
    std::string use;  // while compiling: the rule's context and the signature (LetSharing::uses)
};

/// Compile-time record of the lets whose values may be shared (Let::shared).
struct LetSharing {
    std::unordered_set<std::uint32_t> globals;                  // slots of the schema's lets
    std::unordered_map<std::uint32_t, std::string> signatures;  // shared let's slot -> signature
    std::unordered_map<std::string, std::uint32_t> ids;         // signature -> Let::shared
    /// Lets per (rule context, signature): one alone is evaluated each time (keeping its value
    /// would cost more than it saves; lets of other contexts seldom see the same element).
    std::unordered_map<std::string, std::uint32_t> uses;
};

/// Values of shared lets for one document, by (Let::shared, element; 0 = the document node).
using LetValues = std::unordered_map<std::uint64_t, xpath::Sequence>;

/// Sets the let's slot to its value for the context item of `ctx` (element `element`): kept
/// from an identical let evaluated on the same item, or evaluated (and kept when shared). An
/// evaluation that raises an error keeps nothing.
void assign_let(const Let& let, xpath::Context& ctx, std::uint32_t element, LetValues& values) {
    xpath::Sequence& slot = (*ctx.slots)[let.slot];
    if (let.shared == 0) {
        slot = xpath::evaluate(*let.value, ctx);
        return;
    }
    const std::uint64_t key = static_cast<std::uint64_t>(let.shared) << 32 | element;
    if (const auto it = values.find(key); it != values.end()) {
        slot = it->second;
        return;
    }
    slot = xpath::evaluate(*let.value, ctx);
    values.emplace(key, slot);
}

struct MessagePart {
    std::string text;
    xpath::ExprPtr value;  // value-of select, or null
    bool name = false;     // <name/>: name of the context node
    std::string select;    // the select text of a value-of: its placeholder "{select}"
};

// What fire() reads for every assert, packed (a rule's tests share cache lines; most asserts do
// not fire, and their messages stay in CompiledRule::messages).
struct CompiledAssert {
    xpath::ExprPtr test;
    std::uint32_t info = 0;  // index into Impl::infos
    /// When the test is a name chain `a/b/c` or `not(a/b/c)`: its index in the rule's
    /// ChainSet (-1 otherwise), and whether the test negates it.
    std::int32_t chain = -1;
    bool negated = false;
    bool report = false;     // <report>: fires when the test is true
};

/// The message of an assert (CompiledRule::messages[i] is that of asserts[i]).
struct AssertMessage {
    std::string official;    // the official message as written (value-of kept as {select})
    std::vector<MessagePart> parts;
};

struct CompiledRule {
    xpath::Pattern context;
    /// 1 + the index of its context's key (xpath::Pattern::Key) among the rule set's keys (the
    /// same K, whatever the literal, is the same key); 0 without one.
    std::uint32_t key = 0;
    std::vector<Let> lets;
    std::vector<CompiledAssert> asserts;
    std::vector<AssertMessage> messages;
    /// The chains of the asserts tested as name chains, evaluated together (kChainsMin or more).
    xpath::ChainSet chains;
};

/// Name-chain asserts a rule needs before they are evaluated together (ChainSet).
constexpr std::size_t kChainsMin = 4;

struct CompiledPattern {
    std::string id;
    std::vector<Let> lets;
    std::vector<CompiledRule> rules;
    std::unordered_map<xml::NameId, std::vector<std::uint32_t>> by_name;  // incl. wildcard rules
    std::vector<std::uint32_t> any;                                       // wildcard rules only
};

/// A <let name value>: compiled in the scope so far, then declared for what follows. A global
/// let (`global`) is recorded as such; another one is shared when its value reads no variable
/// but global and shared ones (current() is its context item: allowed).
Let compile_let(xml::Node n, xpath::Compiler& compiler, LetSharing& sharing, bool global,
                const std::string& context = {}) {
    Let let;
    let.value = compiler.compile(n.attribute("value"));
    let.slot = compiler.declare(n.attribute("name"));
    if (global) {
        sharing.globals.insert(let.slot);
        return let;
    }
    const std::optional<std::string> signature = xpath::signature_of(
        *let.value, [&sharing](std::uint32_t slot) -> std::optional<std::string> {
            if (sharing.globals.count(slot) != 0) {
                return "g" + std::to_string(slot);
            }
            const auto it = sharing.signatures.find(slot);
            if (it == sharing.signatures.end()) {
                return std::nullopt;
            }
            return it->second;
        });
    if (signature) {
        let.shared =
            sharing.ids.try_emplace(*signature, static_cast<std::uint32_t>(sharing.ids.size() + 1))
                .first->second;
        sharing.signatures.emplace(let.slot, *signature);
        let.use = context + '\x1f' + *signature;
        ++sharing.uses[let.use];
    }
    return let;
}

/// After compiling: the lets that are alone at their (context, signature) are evaluated each
/// time.
void settle_sharing(std::vector<Let>& lets, const LetSharing& sharing) {
    for (Let& let : lets) {
        if (let.shared != 0 && sharing.uses.at(let.use) < 2) {
            let.shared = 0;
        }
        let.use.clear();
        let.use.shrink_to_fit();
    }
}

model::Severity severity_of(const std::string& flag) {
    if (flag == "warning") {
        return model::Severity::kWarning;
    }
    if (flag == "information" || flag == "info") {
        return model::Severity::kInfo;
    }
    return model::Severity::kFatal;
}

std::string collapse(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && space(s[i])) {
            ++i;
        }
        std::size_t end = i;
        while (end < s.size() && !space(s[end])) {
            ++end;
        }
        if (end > i) {  // a word: appended whole, after one space unless it is the first
            if (!out.empty()) {
                out += ' ';
            }
            out.append(s.data() + i, end - i);
        }
        i = end;
    }
    return out;
}

/// "BT-106", "BG-25", ... named in a message, in order of first mention (word-bounded).
std::vector<std::string> terms_of(const std::string& message) {
    std::vector<std::string> out;
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
    for (std::size_t i = 0; i + 3 < message.size(); ++i) {
        const bool start = message[i] == 'B' && (message[i + 1] == 'T' || message[i + 1] == 'G') &&
                           message[i + 2] == '-' && (i == 0 || !word(message[i - 1]));
        if (!start) {
            continue;
        }
        std::size_t j = i + 3;
        while (j < message.size() && std::isdigit(static_cast<unsigned char>(message[j])) != 0) {
            ++j;
        }
        if (j == i + 3 || (j < message.size() && word(message[j]))) {
            continue;
        }
        std::string term = message.substr(i, j - i);
        if (std::find(out.begin(), out.end(), term) == out.end()) {
            out.push_back(std::move(term));
        }
    }
    return out;
}

/// One table for every rule set of the process, so that one tree serves all the rule sets run
/// on a document (RuleSet::shared_names()).
xml::NameTable& shared_name_table() {
    static xml::NameTable table;
    return table;
}

}  // namespace

struct RuleSet::Impl {
    RuleSetOptions options;
    xpath::Namespaces namespaces;
    xml::NameTable& names = shared_name_table();
    std::size_t names_compiled = 0;  // names.size() once this rule set was compiled
    std::vector<Let> globals;
    std::vector<xpath::UserFunction> functions;
    std::vector<CompiledPattern> patterns;
    std::vector<RuleInfo> infos;
    std::uint32_t slots = 0;
    std::uint32_t cache_slots = 0;
    std::uint32_t memo_slots = 0;
    std::uint32_t keys = 0;  // distinct keys of rule contexts (CompiledRule::key)
    LetSharing let_sharing;  // while compiling

    core::Result<void> load(const xml::Document& doc);
    core::Result<void> load_document(const AuxiliaryDocument& aux, xpath::Compiler& compiler,
                                     std::deque<xml::Document>& documents, std::deque<xml::Tree>& trees);
    void load_pattern(xml::Node pattern, xpath::Compiler& compiler);
    void load_rule(xml::Node rule, const std::string& pattern_id, CompiledPattern& out, xpath::Compiler& compiler);
    std::vector<MessagePart> load_message(xml::Node assert_node, xpath::Compiler& compiler, std::string& text);
    void index_pattern(CompiledPattern& p) const;
    void load_functions(xml::Node root, xpath::Compiler& compiler);
    std::string expanded(const std::string& qname) const;

    void run(const xml::Tree& tree, Evaluation& out) const;
    using Plan = std::vector<std::pair<std::uint32_t, bool>>;
    std::vector<Plan> plans_for(std::uint32_t element, xpath::Context& ctx) const;

    /// An element's candidate rules per pattern, and the patterns where it has any.
    struct ElementPlans {
        std::vector<Plan> per_pattern;
        std::vector<std::uint32_t> active;  // patterns whose plan is not empty, in order

        explicit ElementPlans(std::vector<Plan> plans = {}) : per_pattern(std::move(plans)) {
            for (std::uint32_t k = 0; k < per_pattern.size(); ++k) {
                if (!per_pattern[k].empty()) {
                    active.push_back(k);
                }
            }
        }
    };

    std::vector<const ElementPlans*> plan_elements(const xml::Tree& tree, xpath::Context& ctx,
                                                   std::deque<ElementPlans>& local,
                                                   Evaluation& out) const;
    std::uint64_t serial = 0;  // tells rule sets apart in the per-thread plan cache
    /// A key's values for the element it was last computed for (0: none yet).
    struct KeyValues {
        std::uint32_t element = 0;
        bool known = false;
        std::vector<std::string> values;
    };
    static bool key_admits(const CompiledRule& rule, std::uint32_t element,
                           const xpath::Context& ctx, std::vector<KeyValues>& values);
    void fire(const CompiledRule& rule, std::uint32_t element, xpath::Context& ctx, LetValues& lets,
              Evaluation& out, std::size_t& dropped) const;
    void record_error(const std::string& id, const xpath::Error& err, const xml::Tree& tree,
                      std::uint32_t element, Evaluation& out) const;
    using Values = std::vector<std::pair<std::string, std::string>>;  // "{select}" -> its value
    std::string render(const std::vector<MessagePart>& parts, const xpath::Context& ctx, std::uint32_t element,
                       Values& values) const;
    bool official_french = false;  // set_messages_en(): the official messages are the French ones
};

void RuleSet::Impl::index_pattern(CompiledPattern& p) const {
    for (std::uint32_t r = 0; r < p.rules.size(); ++r) {
        const xpath::Pattern& ctx = p.rules[r].context;
        if (ctx.any_element()) {
            p.any.push_back(r);
        }
        for (const xml::NameId n : ctx.last_names()) {
            auto& list = p.by_name[n];
            if (list.empty() || list.back() != r) {
                list.push_back(r);
            }
        }
    }
    for (auto& [name, list] : p.by_name) {
        list.insert(list.end(), p.any.begin(), p.any.end());
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
    }
}

std::vector<MessagePart> RuleSet::Impl::load_message(xml::Node assert_node, xpath::Compiler& compiler,
                                                     std::string& text) {
    std::vector<MessagePart> parts;
    for (const xml::Node::Content& c : assert_node.contents()) {
        if (!c.element) {
            parts.push_back(MessagePart{c.text, nullptr, false, ""});
            text += c.text;
            continue;
        }
        const std::string_view local = c.element.local_name();
        if (local == "value-of") {
            const std::string select = c.element.attribute("select");
            parts.push_back(MessagePart{"", compiler.compile(select), false, select});
            text += "{" + select + "}";
        } else if (local == "name") {
            parts.push_back(MessagePart{"", nullptr, true, "name()"});
            text += "{name()}";
        } else {
            const std::string inner = c.element.text();  // emph, dir, span: keep the text
            parts.push_back(MessagePart{inner, nullptr, false, ""});
            text += inner;
        }
    }
    return parts;
}

void RuleSet::Impl::load_rule(xml::Node rule, const std::string& pattern_id, CompiledPattern& out,
                              xpath::Compiler& compiler) {
    const std::string context = rule.attribute("context");
    CompiledRule compiled;
    compiled.context = xpath::Pattern::compile(compiler, context);
    const std::size_t mark = compiler.mark();
    for (xml::Node n = rule.first_child(); n; n = n.next_sibling()) {
        if (n.namespace_uri() != kSchNs) {
            continue;
        }
        const std::string_view local = n.local_name();
        if (local == "let") {
            compiled.lets.push_back(compile_let(n, compiler, let_sharing, false, context));
            continue;
        }
        if (local != "assert" && local != "report") {
            continue;
        }
        RuleInfo info;
        info.id = n.attribute("id");
        if (info.id.empty()) {
            info.id = options.unnamed_rule_id;
        }
        info.severity = severity_of(n.attribute("flag"));
        if (local == "report" && !n.has_attribute("flag")) {
            info.severity = options.unflagged_report_severity;
        }
        info.pattern = pattern_id;
        info.context = context;
        info.test = n.attribute("test");
        CompiledAssert a;
        a.report = local == "report";
        try {
            a.test = compiler.compile_test(info.test);
        } catch (const xpath::Error& err) {
            throw xpath::Error(err.code(), "assert " + info.id + ": " + err.what());
        }
        std::string text;
        AssertMessage m;
        m.parts = load_message(n, compiler, text);
        info.message = collapse(text);
        m.official = info.message;
        info.terms = terms_of(info.message);
        a.info = static_cast<std::uint32_t>(infos.size());
        infos.push_back(std::move(info));
        compiled.asserts.push_back(std::move(a));
        compiled.messages.push_back(std::move(m));
    }
    compiler.release(mark);
    std::vector<std::pair<const xpath::Expr*, bool>> chains(compiled.asserts.size(),
                                                            {nullptr, false});
    std::size_t chain_count = 0;
    for (std::size_t i = 0; i < compiled.asserts.size(); ++i) {
        const xpath::Expr& t = *compiled.asserts[i].test;
        if (!t.name_chain.empty()) {
            chains[i] = {&t, false};
        } else if (t.op == xpath::Op::kCall && t.fn == xpath::Fn::kNot && t.kids.size() == 1
                   && !t.kids[0]->name_chain.empty()) {
            chains[i] = {t.kids[0].get(), true};
        }
        chain_count += chains[i].first != nullptr ? 1 : 0;
    }
    if (chain_count >= kChainsMin) {
        for (std::size_t i = 0; i < compiled.asserts.size(); ++i) {
            if (chains[i].first != nullptr) {
                compiled.asserts[i].chain =
                    static_cast<std::int32_t>(compiled.chains.add(*chains[i].first));
                compiled.asserts[i].negated = chains[i].second;
            }
        }
    }
    out.rules.push_back(std::move(compiled));
}

void RuleSet::Impl::load_pattern(xml::Node pattern, xpath::Compiler& compiler) {
    CompiledPattern p;
    p.id = pattern.attribute("id");
    if (!options.patterns.empty() &&
        std::find(options.patterns.begin(), options.patterns.end(), p.id) == options.patterns.end()) {
        return;
    }
    if (!pattern.attribute("is-a").empty() || pattern.attribute("abstract") == "true") {
        throw xpath::Error("SCH", "abstract pattern " + p.id + " (use the preprocessed file)");
    }
    for (xml::Node n = pattern.first_child(); n; n = n.next_sibling()) {
        if (n.namespace_uri() != kSchNs) {
            continue;
        }
        if (n.local_name() == "let") {
            p.lets.push_back(compile_let(n, compiler, let_sharing, false, "/"));
        } else if (n.local_name() == "rule") {
            if (!n.attribute("abstract").empty() && n.attribute("abstract") == "true") {
                throw xpath::Error("SCH", "abstract rule in pattern " + p.id + " (use the preprocessed file)");
            }
            load_rule(n, p.id, p, compiler);
        }
    }
    index_pattern(p);
    patterns.push_back(std::move(p));
}

std::string RuleSet::Impl::expanded(const std::string& qname) const {
    const std::size_t colon = qname.find(':');
    if (colon == std::string::npos) {
        throw xpath::Error("XTSE0740", "xsl:function " + qname + " has no namespace prefix");
    }
    const auto it = namespaces.find(qname.substr(0, colon));
    if (it == namespaces.end()) {
        throw xpath::Error("XPST0081", "namespace prefix of " + qname + " is not declared");
    }
    return "{" + it->second + "}" + qname.substr(colon + 1);
}

namespace {

/// Whether `e` calls current() (the rule's context, not an argument) or a user function.
bool reads_outside_arguments(const xpath::Expr& e) {
    if (e.op == xpath::Op::kUserCall || (e.op == xpath::Op::kCall && e.fn == xpath::Fn::kCurrent)) {
        return true;
    }
    const auto any = [](const std::vector<xpath::ExprPtr>& list) {
        return std::any_of(list.begin(), list.end(), [](const xpath::ExprPtr& k) {
            return k && reads_outside_arguments(*k);
        });
    };
    return any(e.kids) || any(e.preds);
}

}  // namespace

/// xsl:function elements: declared first (any rule may call any function), then compiled. A body
/// may hold xsl:param, xsl:variable (with select) and one xsl:sequence; anything else is refused.
void RuleSet::Impl::load_functions(xml::Node root, xpath::Compiler& compiler) {
    std::vector<xml::Node> nodes;
    for (xml::Node n = root.first_child(); n; n = n.next_sibling()) {
        if (n.namespace_uri() != kXslNs) {
            continue;
        }
        if (n.local_name() != "function") {
            throw xpath::Error("SCH", "xsl:" + std::string(n.local_name()) + " is not supported");
        }
        std::size_t arity = 0;
        for (xml::Node c = n.first_child(); c; c = c.next_sibling()) {
            arity += c.namespace_uri() == kXslNs && c.local_name() == "param" ? 1 : 0;
        }
        compiler.declare_function(expanded(n.attribute("name")), arity);
        nodes.push_back(n);
    }
    functions.resize(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const xml::Node n = nodes[i];
        xpath::UserFunction& fn = functions[i];
        fn.name = n.attribute("name");
        fn.result = xpath::parse_sequence_type(n.attribute("as"));
        const std::size_t mark = compiler.mark();
        for (xml::Node c = n.first_child(); c; c = c.next_sibling()) {
            if (c.namespace_uri() != kXslNs) {
                throw xpath::Error("SCH", "function " + fn.name + ": unexpected element " + std::string(c.local_name()));
            }
            const std::string_view local = c.local_name();
            if (local == "param") {
                fn.param_types.push_back(xpath::parse_sequence_type(c.attribute("as")));
                fn.param_slots.push_back(compiler.declare(c.attribute("name")));
            } else if (local == "variable" && c.has_attribute("select")) {
                xpath::UserFunction::Variable v;
                v.type = xpath::parse_sequence_type(c.attribute("as"));
                v.value = compiler.compile(c.attribute("select"));
                v.slot = compiler.declare(c.attribute("name"));
                fn.variables.push_back(std::move(v));
            } else if (local == "sequence" && !fn.body) {
                fn.body = compiler.compile(c.attribute("select"));
            } else {
                throw xpath::Error("SCH", "function " + fn.name + ": xsl:" + std::string(local) + " is not supported here");
            }
        }
        compiler.release(mark);
        if (!fn.body) {
            throw xpath::Error("SCH", "function " + fn.name + " has no xsl:sequence");
        }
        fn.pure = !reads_outside_arguments(*fn.body)
                  && std::none_of(fn.variables.begin(), fn.variables.end(),
                                  [](const xpath::UserFunction::Variable& v) {
                                      return reads_outside_arguments(*v.value);
                                  });
    }
}

/// Parses an auxiliary document (hardened parser, default limits) and builds its tree with every
/// name it uses interned, so that the rules' name tests find them.
core::Result<void> RuleSet::Impl::load_document(const AuxiliaryDocument& aux, xpath::Compiler& compiler,
                                                std::deque<xml::Document>& documents,
                                                std::deque<xml::Tree>& trees) {
    if (compiler.find_document(aux.name) != nullptr) {
        return core::fail(core::Errc::kInvalidInput, "SCH-COMPILE",
                          options.name + ": auxiliary document " + aux.name + " is registered twice",
                          options.name + " : le document auxiliaire " + aux.name + " est déclaré deux fois");
    }
    auto parsed = xml::parse(aux.bytes, xml::Limits{});
    if (!parsed) {
        return core::fail(core::Errc::kInvalidInput, "SCH-COMPILE",
                          options.name + ": auxiliary document " + aux.name + " cannot be read: " + parsed.error().message,
                          options.name + " : le document auxiliaire " + aux.name + " est illisible : " +
                              parsed.error().message);
    }
    documents.push_back(std::move(*parsed));
    const xml::Tree probe = xml::Tree::build(documents.back().root(), names);
    for (std::uint32_t e = 1; e < probe.size(); ++e) {
        const xml::TreeElement& el = probe.element(e);
        names.intern(el.namespace_uri, el.local_name);
        for (std::uint32_t a = el.attr_begin; a < el.attr_end; ++a) {
            names.intern(probe.attribute(a).namespace_uri, probe.attribute(a).local_name);
        }
    }
    trees.push_back(xml::Tree::build(documents.back().root(), names));
    compiler.add_document(aux.name, trees.back());
    return {};
}

core::Result<void> RuleSet::Impl::load(const xml::Document& doc) {
    const xml::Node root = doc.root();
    if (root.namespace_uri() != kSchNs || root.local_name() != "schema") {
        return core::fail(core::Errc::kInvalidInput, "SCH-COMPILE",
                          "not an ISO Schematron schema: the root element is not sch:schema",
                          "pas un schéma ISO Schematron : l'élément racine n'est pas sch:schema");
    }
    for (xml::Node n = root.first_child(); n; n = n.next_sibling()) {
        if (n.namespace_uri() == kSchNs && n.local_name() == "ns") {
            namespaces[n.attribute("prefix")] = n.attribute("uri");
        }
    }
    namespaces.try_emplace("xs", "http://www.w3.org/2001/XMLSchema");
    xpath::Compiler compiler(namespaces, names);
    // The auxiliary documents live while the rule set compiles: their lookups are resolved into
    // the expressions (xpath::DocumentLookup), nothing refers to them afterwards.
    std::deque<xml::Document> documents;
    std::deque<xml::Tree> trees;
    for (const AuxiliaryDocument& aux : options.documents) {
        FACTEUR_TRY(load_document(aux, compiler, documents, trees));
    }
    try {
        load_functions(root, compiler);
        for (xml::Node n = root.first_child(); n; n = n.next_sibling()) {
            if (n.namespace_uri() != kSchNs) {
                continue;
            }
            if (n.local_name() == "let") {
                globals.push_back(compile_let(n, compiler, let_sharing, true));
            } else if (n.local_name() == "pattern") {
                load_pattern(n, compiler);
            }
        }
    } catch (const xpath::Error& err) {
        return core::fail(core::Errc::kInvalidInput, "SCH-COMPILE",
                          options.name + ": cannot compile: " + err.code() + " " + err.what(),
                          options.name + " : compilation impossible : " + err.code() + " " + err.what());
    }
    for (CompiledPattern& p : patterns) {
        settle_sharing(p.lets, let_sharing);
        for (CompiledRule& r : p.rules) {
            settle_sharing(r.lets, let_sharing);
        }
    }
    let_sharing = LetSharing{};
    std::unordered_map<std::string, std::uint32_t> key_ids;
    for (CompiledPattern& p : patterns) {
        for (CompiledRule& r : p.rules) {
            if (const auto& key = r.context.key()) {
                const auto id = static_cast<std::uint32_t>(key_ids.size() + 1);
                r.key = key_ids.try_emplace(key->signature, id).first->second;
            }
        }
    }
    keys = static_cast<std::uint32_t>(key_ids.size());
    slots = compiler.slots();
    cache_slots = compiler.cache_slots();
    memo_slots = compiler.memo_slots();
    return {};
}

std::string RuleSet::Impl::render(const std::vector<MessagePart>& parts, const xpath::Context& ctx,
                                  std::uint32_t element, Values& values) const {
    std::string out;
    for (const MessagePart& p : parts) {
        if (p.name) {
            const xml::TreeElement& e = ctx.tree->element(element);
            std::string name = e.prefix.empty() ? std::string(e.local_name) : std::string(e.prefix) + ":" + std::string(e.local_name);
            out += name;
            values.emplace_back("{" + p.select + "}", std::move(name));
        } else if (p.value) {
            std::string value;
            try {
                const xpath::Sequence s = xpath::evaluate(*p.value, ctx);
                for (std::size_t i = 0; i < s.size(); ++i) {
                    value += (i > 0 ? " " : "") + xpath::string_value(s[i], *ctx.tree);
                }
            } catch (const xpath::Error&) {
                value = "?";
            }
            out += value;
            values.emplace_back("{" + p.select + "}", std::move(value));
        } else {
            out += p.text;
        }
    }
    return collapse(out);
}

namespace {

/// `text` with every "{select}" placeholder replaced by its value.
std::string substitute(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
    for (const auto& [placeholder, value] : values) {
        for (std::size_t at = text.find(placeholder); at != std::string::npos;
             at = text.find(placeholder, at + value.size())) {
            text.replace(at, placeholder.size(), value);
        }
    }
    return text;
}

}  // namespace

void RuleSet::Impl::record_error(const std::string& id, const xpath::Error& err, const xml::Tree& tree,
                                 std::uint32_t element, Evaluation& out) const {
    ++out.evaluation_errors;
    out.findings.push_back(model::Finding{
        .rule = "RULE-EVAL",
        .severity = model::Severity::kFatal,
        .layer = options.layer,
        .location = tree.path(element),
        .line = tree.element(element).line,
        .message = "rule " + id + " could not be evaluated (" + err.code() + ": " + err.what() +
                   "); the document cannot be judged by this rule set",
        .message_fr = "la règle " + id + " n'a pas pu être évaluée (" + err.code() + " : " + err.what() +
                      ") ; le document ne peut pas être jugé par ce jeu de règles",
    });
}

void RuleSet::Impl::fire(const CompiledRule& rule, std::uint32_t element, xpath::Context& ctx,
                         LetValues& lets, Evaluation& out, std::size_t& dropped) const {
    for (const Let& let : rule.lets) {
        assign_let(let, ctx, element, lets);
    }
    thread_local std::vector<char> chain_exists;
    if (rule.chains.size() > 0) {
        rule.chains.evaluate(ctx, chain_exists);
    }
    for (std::size_t k = 0; k < rule.asserts.size(); ++k) {
        const CompiledAssert& a = rule.asserts[k];
        const RuleInfo& info = infos[a.info];
        bool fired = false;
        if (a.chain >= 0) {
            fired =
                ((chain_exists[static_cast<std::size_t>(a.chain)] != 0) != a.negated) == a.report;
        } else {
            try {
                fired = xpath::evaluate_boolean(*a.test, ctx) == a.report;
            } catch (const xpath::Error& err) {
                record_error(info.id, err, *ctx.tree, element, out);
                continue;
            }
        }
        if (!fired) {
            continue;
        }
        if (out.findings.size() >= options.limits.findings_max) {
            ++dropped;
            continue;
        }
        const AssertMessage& m = rule.messages[k];
        const bool dynamic = std::any_of(m.parts.begin(), m.parts.end(),
                                         [](const MessagePart& p) { return p.value || p.name; });
        Values values;
        std::string official = dynamic ? render(m.parts, ctx, element, values) : m.official;
        // info.message is English (official, or the project's translation of an official French
        // message); info.message_fr French (official, or the project's translation).
        std::string english = official_french ? substitute(info.message, values) : official;
        std::string french = official_french ? std::move(official) : substitute(info.message_fr, values);
        out.findings.push_back(model::Finding{
            .rule = info.id,
            .severity = info.severity,
            .layer = options.layer,
            .location = ctx.tree->path(element),
            .line = ctx.tree->element(element).line,
            .message = std::move(english),
            .message_fr = std::move(french),
            .terms = info.terms,
        });
    }
}

/// Whether the key of `rule`'s context leaves it a candidate for `element` (the context item
/// of `ctx`): the key's values for the element, computed at its first rule with that key,
/// include the rule's literal, or could not be computed.
bool RuleSet::Impl::key_admits(const CompiledRule& rule, std::uint32_t element,
                               const xpath::Context& ctx, std::vector<KeyValues>& values) {
    KeyValues& v = values[rule.key - 1];
    if (v.element != element) {
        v.element = element;
        v.known = rule.context.key_values(element, ctx, v.values);
    }
    const std::string& literal = rule.context.key()->literal;
    return !v.known || std::find(v.values.begin(), v.values.end(), literal) != v.values.end();
}

/// For every pattern, the rules that can match an element with the name of `element` (first
/// match wins, so a list stops at a rule whose context its name alone satisfies). Plans depend
/// only on the element's expanded name and prefix, never on the document.
std::vector<RuleSet::Impl::Plan> RuleSet::Impl::plans_for(std::uint32_t element, xpath::Context& ctx) const {
    const xml::TreeElement& el = ctx.tree->element(element);
    std::vector<Plan> all(patterns.size());
    for (std::size_t pattern_index = 0; pattern_index < patterns.size(); ++pattern_index) {
        const CompiledPattern& p = patterns[pattern_index];
        const auto it = p.by_name.find(el.name);
        const std::vector<std::uint32_t>& candidates = it != p.by_name.end() ? it->second : p.any;
        Plan& plan = all[pattern_index];
        for (const std::uint32_t r : candidates) {
            const xpath::Pattern::ByName verdict = p.rules[r].context.by_name(element, ctx);
            if (verdict == xpath::Pattern::ByName::kNever) {
                continue;
            }
            const bool always = verdict == xpath::Pattern::ByName::kAlways;
            plan.emplace_back(r, always);
            if (always) {
                break;  // first match wins: later rules are never reached
            }
        }
    }
    return all;
}

/// Every element's plans: computed once per distinct name and kept per thread across documents,
/// found by the element's interned name and prefix (bounded: past kPlansMax names, the cache
/// starts over, and a document's names beyond it are planned for it alone).
std::vector<const RuleSet::Impl::ElementPlans*> RuleSet::Impl::plan_elements(
    const xml::Tree& tree, xpath::Context& ctx, std::deque<ElementPlans>& local,
    Evaluation& out) const {
    constexpr std::size_t kPlansMax = 20'000;
    constexpr std::size_t kRuleSetsMax = 64;

    struct Known {
        std::string prefix;
        xml::NameId parent = xml::kNameUnknown;  // the parent's name (rule contexts look at it)
        ElementPlans plans;
    };

    struct Cache {
        std::vector<std::vector<std::unique_ptr<Known>>> by_id;  // NameId -> one entry per prefix
        std::unordered_map<std::string, ElementPlans> by_text;   // names the rule set does not know
        std::size_t entries = 0;
    };

    thread_local std::unordered_map<std::uint64_t, Cache> caches;  // by rule set (serial)
    if (caches.size() >= kRuleSetsMax && !caches.contains(serial)) {
        caches.clear();  // between documents only: no pointer into it is alive here
    }
    Cache& cache = caches[serial];
    if (cache.entries >= kPlansMax) {
        cache = Cache{};
    }
    cache.by_id.resize(std::max(cache.by_id.size(), tree.names_known() + 1));
    // names whose rule contexts could not be decided: reported once per document
    std::vector<xpath::Context::NameKey> failed;
    std::vector<const ElementPlans*> out_plans(tree.size(), nullptr);
    static const ElementPlans kNone;
    for (std::uint32_t e = 1; e < tree.size(); ++e) {
        const xml::TreeElement& el = tree.element(e);
        const ElementPlans* found = nullptr;
        std::string text;
        const xml::NameId parent =
            el.parent == 0 ? xml::kNameUnknown : tree.element(el.parent).name;
        if (el.name >= cache.by_id.size()) {
            cache.by_id.resize(el.name + 1);  // a name interned since the tree was built
        }
        if (el.name != xml::kNameUnknown) {
            for (const std::unique_ptr<Known>& k : cache.by_id[el.name]) {
                if (k->parent == parent && k->prefix == el.prefix) {
                    found = &k->plans;
                    break;
                }
            }
        } else {
            text.append(el.namespace_uri).push_back('\x1f');
            text.append(el.local_name).push_back('\x1f');
            text.append(el.prefix).push_back('\x1f');
            text.append(std::to_string(parent));
            if (const auto it = cache.by_text.find(text); it != cache.by_text.end()) {
                found = &it->second;
            }
        }
        if (found == nullptr) {
            const xpath::Context::NameKey key{this, el.local_name.data(), el.prefix.data(),
                                              el.namespace_uri.data()};
            if (std::find(failed.begin(), failed.end(), key) != failed.end()) {
                out_plans[e] = &kNone;
                continue;
            }
            ctx.item.type = xpath::Type::kElement;
            ctx.item.node = e;
            std::vector<Plan> plans;
            try {
                plans = plans_for(e, ctx);
            } catch (const xpath::Error& err) {
                record_error("(rule context)", err, tree, e, out);
                failed.push_back(key);
                out_plans[e] = &kNone;
                continue;
            }
            if (cache.entries < kPlansMax) {
                ++cache.entries;
                if (el.name != xml::kNameUnknown) {
                    auto& list = cache.by_id[el.name];
                    list.push_back(std::make_unique<Known>(
                        Known{std::string(el.prefix), parent, ElementPlans(std::move(plans))}));
                    found = &list.back()->plans;
                } else {
                    found = &cache.by_text.emplace(std::move(text), ElementPlans(std::move(plans)))
                                 .first->second;
                }
            } else {
                local.emplace_back(std::move(plans));
                found = &local.back();
            }
        }
        out_plans[e] = found;
    }
    return out_plans;
}

void RuleSet::Impl::run(const xml::Tree& tree, Evaluation& out) const {
    tree.prefetch();  // a prepared tree may have left the caches long ago
    thread_local xpath::Arena arena;
    const xpath::ArenaScope scope(arena);  // declared first: outlives every sequence below
    std::vector<xpath::Sequence> slot_values(slots);
    std::vector<xpath::Context::CacheEntry> cache(cache_slots);
    xpath::Context ctx;
    ctx.tree = &tree;
    ctx.slots = &slot_values;
    ctx.cache = &cache;
    std::vector<xpath::Context::MemoEntry> memo(memo_slots);
    ctx.memo = &memo;
    std::unordered_map<xpath::Context::NameKey, bool, xpath::Context::NameKeyHash> name_cache;
    ctx.name_cache = &name_cache;
    ctx.functions = &functions;
    thread_local xpath::PathIndex paths;
    paths.reset();
    ctx.paths = &paths;
    thread_local xpath::PredicateCache predicates;
    predicates.reset();
    ctx.predicates = &predicates;
    std::unordered_map<std::string, xpath::Sequence> function_results;
    ctx.function_results = &function_results;
    LetValues let_values;
    ctx.items_max = options.limits.sequence_items_max;
    ctx.item = xpath::Item{};
    ctx.item.type = xpath::Type::kDocument;
    std::size_t dropped = 0;
    try {
        for (const Let& let : globals) {
            slot_values[let.slot] = xpath::evaluate(*let.value, ctx);
        }
    } catch (const xpath::Error& err) {
        record_error("(global variable)", err, tree, 0, out);
        return;
    }
    std::deque<ElementPlans> local_plans;
    const std::vector<const ElementPlans*> element_plans =
        plan_elements(tree, ctx, local_plans, out);
    std::vector<KeyValues> key_values(keys);
    // Each pattern's elements (those with a candidate rule in it), in document order: a
    // pattern visits its elements only (rule sets with a pattern per rule have hundreds).
    thread_local std::vector<std::vector<std::uint32_t>> pattern_elements;
    pattern_elements.resize(std::max(pattern_elements.size(), patterns.size()));
    for (std::vector<std::uint32_t>& list : pattern_elements) {
        list.clear();
    }
    for (std::uint32_t e = 1; e < tree.size(); ++e) {
        for (const std::uint32_t k : element_plans[e]->active) {
            pattern_elements[k].push_back(e);
        }
    }
    for (std::size_t pattern_index = 0; pattern_index < patterns.size(); ++pattern_index) {
        const CompiledPattern& p = patterns[pattern_index];
        try {
            ctx.item.type = xpath::Type::kDocument;
            ctx.item.node = 0;
            for (const Let& let : p.lets) {
                assign_let(let, ctx, 0, let_values);
            }
        } catch (const xpath::Error& err) {
            record_error("(variable of pattern " + p.id + ")", err, tree, 0, out);
            continue;
        }
        for (const std::uint32_t e : pattern_elements[pattern_index]) {
            ctx.item.type = xpath::Type::kElement;
            ctx.item.node = e;
            for (const auto& [r, always] : element_plans[e]->per_pattern[pattern_index]) {
                const CompiledRule& rule = p.rules[r];
                if (!always && rule.key != 0 && !key_admits(rule, e, ctx, key_values)) {
                    continue;  // its context's key rules it out: matches() would be false
                }
                try {
                    if (!always && !rule.context.matches(e, ctx)) {
                        continue;
                    }
                    fire(rule, e, ctx, let_values, out, dropped);
                } catch (const xpath::Error& err) {
                    record_error(rule.asserts.empty() ? "(rule)" : infos[rule.asserts.front().info].id, err, tree, e, out);
                }
                break;
            }
        }
    }
    if (dropped > 0) {
        out.findings.push_back(model::Finding{
            .rule = "RULE-MORE",
            .severity = model::Severity::kInfo,
            .layer = options.layer,
            .location = "",
            .line = 0,
            .message = std::to_string(dropped) + " more findings not listed",
            .message_fr = std::to_string(dropped) + " autres constats non listés",
        });
    }
}

RuleSet::RuleSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;
RuleSet::~RuleSet() = default;

core::Result<RuleSet> RuleSet::compile(std::string_view sch, RuleSetOptions options) {
    xml::Limits limits;
    FACTEUR_TRY_ASSIGN(const xml::Document doc, xml::parse(sch, limits));
    static std::atomic<std::uint64_t> next_serial{1};
    auto impl = std::make_unique<Impl>();
    impl->serial = next_serial++;
    impl->options = std::move(options);
    FACTEUR_TRY(impl->load(doc));
    impl->names_compiled = impl->names.size();
    return RuleSet(std::move(impl));
}

const std::string& RuleSet::layer() const noexcept { return impl_->options.layer; }
const std::string& RuleSet::version() const noexcept { return impl_->options.version; }
const std::string& RuleSet::name() const noexcept { return impl_->options.name; }
std::span<const RuleInfo> RuleSet::rules() const noexcept { return impl_->infos; }

std::vector<std::pair<std::string_view, std::string_view>> parse_message_table(std::string_view tsv) {
    std::vector<std::pair<std::string_view, std::string_view>> out;
    while (!tsv.empty()) {
        const std::size_t end = tsv.find('\n');
        const std::string_view line = tsv.substr(0, end);
        tsv.remove_prefix(end == std::string_view::npos ? tsv.size() : end + 1);
        const std::size_t tab = line.find('\t');
        if (line.empty() || line.front() == '#' || tab == std::string_view::npos) {
            continue;
        }
        out.emplace_back(line.substr(0, tab), line.substr(tab + 1));
    }
    return out;
}

void RuleSet::set_messages_fr(std::span<const std::pair<std::string_view, std::string_view>> messages) {
    std::unordered_map<std::string_view, std::string_view> by_id(messages.begin(), messages.end());
    for (RuleInfo& info : impl_->infos) {
        const auto it = by_id.find(info.id);
        if (it != by_id.end()) {
            info.message_fr = std::string(it->second);
        }
    }
}

void RuleSet::set_messages_en(std::span<const std::pair<std::string_view, std::string_view>> messages) {
    std::unordered_map<std::string_view, std::string_view> by_id(messages.begin(), messages.end());
    impl_->official_french = true;
    for (RuleInfo& info : impl_->infos) {
        info.message_fr = info.message;  // the official French text
        const auto it = by_id.find(info.id);
        if (it != by_id.end()) {
            info.message = std::string(it->second);
        }
    }
}

std::unique_ptr<RuleSet::Prepared> RuleSet::prepare(xml::Node root) const {
    return std::make_unique<Prepared>(xml::Tree::build(root, impl_->names));
}

Evaluation RuleSet::evaluate_prepared(const Prepared& prepared) const {
    Evaluation out;
    impl_->run(prepared.tree, out);
    return out;
}

Evaluation RuleSet::evaluate(xml::Node root) const {
    const xml::Tree tree = xml::Tree::build(root, impl_->names);
    Evaluation out;
    impl_->run(tree, out);
    return out;
}

const xml::NameTable& RuleSet::shared_names() { return shared_name_table(); }

bool RuleSet::runs_on(const xml::Tree& tree) const noexcept {
    return tree.names() == &impl_->names && tree.names_known() >= impl_->names_compiled;
}

Evaluation RuleSet::evaluate(const xml::Tree& tree) const {
    if (!runs_on(tree)) {
        return evaluate(tree.root());  // built before this rule set's names were known
    }
    Evaluation out;
    impl_->run(tree, out);
    return out;
}

}  // namespace facteur::rules
