// Lexer and recursive-descent parser for the XPath 2.0 subset (xpath.h), producing Expr trees.
#include <algorithm>
#include <map>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "xpath_ast.h"

namespace facteur::rules::xpath {

namespace {

enum class Tok : std::uint8_t {
    kEnd, kName, kString, kInteger, kDecimal, kDouble, kVar,
    kLParen, kRParen, kLBracket, kRBracket, kComma, kSlash, kSlash2, kAt, kDot, kDot2, kColon2,
    kEq, kNe, kLt, kLe, kGt, kGe, kPipe, kPlus, kMinus, kStar,
};

struct Token {
    Tok kind = Tok::kEnd;
    std::string text;  // names (QName or "p:*" / "*:l"), literal text, variable name
    std::size_t at = 0;
};

bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || (c & 0x80) != 0; }
bool name_char(char c) {
    return name_start(c) || std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
}

class Lexer {
public:
    explicit Lexer(std::string_view s) : s_(s) {}

    std::vector<Token> run() {
        std::vector<Token> out;
        for (;;) {
            skip_space();
            Token t;
            t.at = i_;
            if (i_ >= s_.size()) {
                out.push_back(t);
                return out;
            }
            lex_one(t);
            out.push_back(std::move(t));
        }
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw Error("XPST0003", why + " at offset " + std::to_string(i_));
    }

    void skip_space() {
        for (;;) {
            while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_])) != 0) {
                ++i_;
            }
            if (s_.substr(i_, 2) != "(:") {
                return;
            }
            const std::size_t end = s_.find(":)", i_ + 2);
            if (end == std::string_view::npos) {
                fail("unterminated comment");
            }
            i_ = end + 2;
        }
    }

    std::string ncname() {
        const std::size_t b = i_;
        while (i_ < s_.size() && name_char(s_[i_])) {
            ++i_;
        }
        return std::string(s_.substr(b, i_ - b));
    }

    void lex_name(Token& t) {
        t.kind = Tok::kName;
        t.text = ncname();
        if (i_ + 1 < s_.size() && s_[i_] == ':' && s_[i_ + 1] != ':') {
            if (s_[i_ + 1] == '*') {
                t.text += ":*";
                i_ += 2;
            } else if (name_start(s_[i_ + 1])) {
                ++i_;
                t.text += ':' + ncname();
            }
        }
    }

    void lex_number(Token& t) {
        const std::size_t b = i_;
        bool dot = false;
        while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) != 0 || (s_[i_] == '.' && !dot))) {
            dot = dot || s_[i_] == '.';
            ++i_;
        }
        t.kind = dot ? Tok::kDecimal : Tok::kInteger;
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) {
                ++i_;
            }
            while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_])) != 0) {
                ++i_;
            }
            t.kind = Tok::kDouble;
        }
        t.text = std::string(s_.substr(b, i_ - b));
    }

    void lex_string(Token& t) {
        const char quote = s_[i_++];
        t.kind = Tok::kString;
        for (;;) {
            // up to the next quote at once: code lists are literals of thousands of characters
            const std::size_t end = s_.find(quote, i_);
            if (end == std::string_view::npos) {
                i_ = s_.size();
                fail("unterminated string literal");
            }
            t.text.append(s_.substr(i_, end - i_));
            i_ = end;
            if (i_ + 1 < s_.size() && s_[i_ + 1] == quote) {
                t.text += quote;
                i_ += 2;
                continue;
            }
            ++i_;
            return;
        }
    }

    void lex_one(Token& t) {
        const char c = s_[i_];
        const char n = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
        if (name_start(c)) {
            lex_name(t);
            return;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) != 0 || (c == '.' && std::isdigit(static_cast<unsigned char>(n)) != 0)) {
            lex_number(t);
            return;
        }
        if (c == '\'' || c == '"') {
            lex_string(t);
            return;
        }
        if (c == '$') {
            ++i_;
            skip_space();
            Token name;
            lex_name(name);
            t.kind = Tok::kVar;
            t.text = name.text;
            return;
        }
        if (c == '*' && n == ':' && i_ + 2 < s_.size() && name_start(s_[i_ + 2])) {
            i_ += 2;
            t.kind = Tok::kName;
            t.text = "*:" + ncname();
            return;
        }
        struct Sym { std::string_view text; Tok kind; };
        static constexpr Sym kSyms[] = {
            {"//", Tok::kSlash2}, {"..", Tok::kDot2}, {"::", Tok::kColon2}, {"!=", Tok::kNe},
            {"<=", Tok::kLe}, {">=", Tok::kGe}, {"(", Tok::kLParen}, {")", Tok::kRParen},
            {"[", Tok::kLBracket}, {"]", Tok::kRBracket}, {",", Tok::kComma}, {"/", Tok::kSlash},
            {"@", Tok::kAt}, {".", Tok::kDot}, {"=", Tok::kEq}, {"<", Tok::kLt}, {">", Tok::kGt},
            {"|", Tok::kPipe}, {"+", Tok::kPlus}, {"-", Tok::kMinus}, {"*", Tok::kStar},
        };
        for (const Sym& sym : kSyms) {
            if (s_.substr(i_, sym.text.size()) == sym.text) {
                t.kind = sym.kind;
                t.text = std::string(sym.text);
                i_ += sym.text.size();
                return;
            }
        }
        fail(std::string("unexpected character '") + c + "'");
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

const std::unordered_map<std::string, Fn>& functions() {
    static const std::unordered_map<std::string, Fn> kFunctions = {
        {"not", Fn::kNot}, {"true", Fn::kTrue}, {"false", Fn::kFalse}, {"boolean", Fn::kBoolean},
        {"exists", Fn::kExists}, {"empty", Fn::kEmpty}, {"count", Fn::kCount}, {"sum", Fn::kSum},
        {"avg", Fn::kAvg}, {"min", Fn::kMin}, {"max", Fn::kMax},
        {"round", Fn::kRound}, {"floor", Fn::kFloor}, {"ceiling", Fn::kCeiling}, {"abs", Fn::kAbs},
        {"number", Fn::kNumber}, {"string", Fn::kString}, {"data", Fn::kData},
        {"normalize-space", Fn::kNormalizeSpace}, {"string-length", Fn::kStringLength},
        {"concat", Fn::kConcat}, {"contains", Fn::kContains}, {"starts-with", Fn::kStartsWith},
        {"ends-with", Fn::kEndsWith}, {"substring", Fn::kSubstring},
        {"substring-before", Fn::kSubstringBefore}, {"substring-after", Fn::kSubstringAfter},
        {"upper-case", Fn::kUpperCase}, {"lower-case", Fn::kLowerCase}, {"translate", Fn::kTranslate},
        {"matches", Fn::kMatches}, {"replace", Fn::kReplace}, {"tokenize", Fn::kTokenize},
        {"string-join", Fn::kStringJoin}, {"distinct-values", Fn::kDistinctValues},
        {"local-name", Fn::kLocalName}, {"name", Fn::kName}, {"position", Fn::kPosition},
        {"last", Fn::kLast}, {"current", Fn::kCurrent}, {"root", Fn::kRoot},
        {"exactly-one", Fn::kExactlyOne}, {"zero-or-one", Fn::kZeroOrOne},
        {"index-of", Fn::kIndexOf}, {"reverse", Fn::kReverse},
        {"string-to-codepoints", Fn::kStringToCodepoints},
        {"codepoints-to-string", Fn::kCodepointsToString},
        {"xs:decimal", Fn::kXsDecimal}, {"xs:integer", Fn::kXsInteger}, {"xs:double", Fn::kXsDouble},
        {"xs:string", Fn::kXsString}, {"xs:boolean", Fn::kXsBoolean}, {"xs:date", Fn::kXsDate},
    };
    return kFunctions;
}

bool is_kind_test(const std::string& n) {
    return n == "node" || n == "text" || n == "element" || n == "attribute" || n == "comment" ||
           n == "processing-instruction" || n == "document-node";
}

const std::unordered_map<std::string, Axis>& axes() {
    static const std::unordered_map<std::string, Axis> kAxes = {
        {"child", Axis::kChild}, {"descendant", Axis::kDescendant},
        {"descendant-or-self", Axis::kDescendantOrSelf}, {"self", Axis::kSelf},
        {"parent", Axis::kParent}, {"ancestor", Axis::kAncestor},
        {"ancestor-or-self", Axis::kAncestorOrSelf}, {"attribute", Axis::kAttribute},
        {"following-sibling", Axis::kFollowingSibling}, {"preceding-sibling", Axis::kPrecedingSibling},
        {"following", Axis::kFollowing}, {"preceding", Axis::kPreceding},
    };
    return kAxes;
}

class Parser {
public:
    Parser(Compiler& c, std::string_view text) : c_(c), text_(text), toks_(Lexer(text).run()) {}

    ExprPtr run() {
        ExprPtr e = expr();
        if (peek().kind != Tok::kEnd) {
            fail("unexpected '" + peek().text + "'");
        }
        return e;
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw Error("XPST0003", why + " at offset " + std::to_string(peek().at) + " in: " +
                                    std::string(text_.substr(0, 300)));
    }
    const Token& peek(std::size_t k = 0) const { return toks_[std::min(pos_ + k, toks_.size() - 1)]; }
    Token next() { return toks_[std::min(pos_++, toks_.size() - 1)]; }
    bool is(Tok k, std::size_t ahead = 0) const { return peek(ahead).kind == k; }
    bool is_word(std::string_view w, std::size_t ahead = 0) const {
        return peek(ahead).kind == Tok::kName && peek(ahead).text == w;
    }
    void expect(Tok k, std::string_view what) {
        if (!is(k)) {
            fail("expected " + std::string(what));
        }
        ++pos_;
    }

    static ExprPtr make(Op op) {
        auto e = std::make_unique<Expr>();
        e->op = op;
        return e;
    }
    static ExprPtr binary(Op op, ExprPtr l, ExprPtr r) {
        ExprPtr e = make(op);
        e->kids.push_back(std::move(l));
        e->kids.push_back(std::move(r));
        return e;
    }

    ExprPtr expr() {
        ExprPtr first = single();
        if (!is(Tok::kComma)) {
            return first;
        }
        ExprPtr seq = make(Op::kSequence);
        seq->kids.push_back(std::move(first));
        while (is(Tok::kComma)) {
            ++pos_;
            seq->kids.push_back(single());
        }
        return seq;
    }

    ExprPtr single() {
        if ((is_word("some") || is_word("every") || is_word("for")) && is(Tok::kVar, 1)) {
            return binding();
        }
        if (is_word("if") && is(Tok::kLParen, 1)) {
            pos_ += 2;
            ExprPtr e = make(Op::kIf);
            e->kids.push_back(expr());
            expect(Tok::kRParen, "')'");
            if (!is_word("then")) {
                fail("expected 'then'");
            }
            ++pos_;
            e->kids.push_back(single());
            if (!is_word("else")) {
                fail("expected 'else'");
            }
            ++pos_;
            e->kids.push_back(single());
            return e;
        }
        return or_expr();
    }

    ExprPtr binding() {
        const std::string kind = next().text;
        ExprPtr e = make(kind == "some" ? Op::kSome : (kind == "every" ? Op::kEvery : Op::kFor));
        const std::size_t mark = c_.mark();
        for (;;) {
            if (!is(Tok::kVar)) {
                fail("expected a variable");
            }
            const std::string name = next().text;
            if (!is_word("in")) {
                fail("expected 'in'");
            }
            ++pos_;
            e->kids.push_back(single());  // evaluated before the variable is in scope
            e->slots.push_back(c_.declare(name));
            if (!is(Tok::kComma)) {
                break;
            }
            ++pos_;
        }
        const std::string_view word = e->op == Op::kFor ? "return" : "satisfies";
        if (!is_word(word)) {
            fail("expected '" + std::string(word) + "'");
        }
        ++pos_;
        e->kids.push_back(single());
        c_.release(mark);
        return e;
    }

    ExprPtr or_expr() {
        ExprPtr l = and_expr();
        while (is_word("or")) {
            ++pos_;
            l = binary(Op::kOr, std::move(l), and_expr());
        }
        return l;
    }

    ExprPtr and_expr() {
        ExprPtr l = comparison();
        while (is_word("and")) {
            ++pos_;
            l = binary(Op::kAnd, std::move(l), comparison());
        }
        return l;
    }

    ExprPtr comparison() {
        ExprPtr l = range();
        static const std::pair<Tok, Cmp> kGeneral[] = {{Tok::kEq, Cmp::kEq}, {Tok::kNe, Cmp::kNe},
                                                       {Tok::kLt, Cmp::kLt}, {Tok::kLe, Cmp::kLe},
                                                       {Tok::kGt, Cmp::kGt}, {Tok::kGe, Cmp::kGe}};
        for (const auto& [tok, cmp] : kGeneral) {
            if (is(tok)) {
                ++pos_;
                ExprPtr e = binary(Op::kGeneralCmp, std::move(l), range());
                e->cmp = cmp;
                return e;
            }
        }
        static const std::pair<std::string_view, Cmp> kValue[] = {
            {"eq", Cmp::kEq}, {"ne", Cmp::kNe}, {"lt", Cmp::kLt},
            {"le", Cmp::kLe}, {"gt", Cmp::kGt}, {"ge", Cmp::kGe}};
        for (const auto& [word, cmp] : kValue) {
            if (is_word(word)) {
                ++pos_;
                ExprPtr e = binary(Op::kValueCmp, std::move(l), range());
                e->cmp = cmp;
                return e;
            }
        }
        if (is_word("is")) {
            ++pos_;
            return binary(Op::kIs, std::move(l), range());
        }
        return l;
    }

    ExprPtr range() {
        ExprPtr l = additive();
        if (is_word("to")) {
            ++pos_;
            return binary(Op::kRange, std::move(l), additive());
        }
        return l;
    }

    ExprPtr additive() {
        ExprPtr l = multiplicative();
        for (;;) {
            if (is(Tok::kPlus)) {
                ++pos_;
                l = binary(Op::kAdd, std::move(l), multiplicative());
            } else if (is(Tok::kMinus)) {
                ++pos_;
                l = binary(Op::kSub, std::move(l), multiplicative());
            } else {
                return l;
            }
        }
    }

    ExprPtr multiplicative() {
        ExprPtr l = union_expr();
        for (;;) {
            Op op{};
            if (is(Tok::kStar)) {
                op = Op::kMul;
            } else if (is_word("div")) {
                op = Op::kDiv;
            } else if (is_word("idiv")) {
                op = Op::kIdiv;
            } else if (is_word("mod")) {
                op = Op::kMod;
            } else {
                return l;
            }
            ++pos_;
            l = binary(op, std::move(l), union_expr());
        }
    }

    ExprPtr union_expr() {
        ExprPtr l = intersect();
        while (is(Tok::kPipe) || is_word("union")) {
            ++pos_;
            l = binary(Op::kUnion, std::move(l), intersect());
        }
        return l;
    }

    ExprPtr intersect() {
        ExprPtr l = cast();
        for (;;) {
            if (is_word("intersect")) {
                ++pos_;
                l = binary(Op::kIntersect, std::move(l), cast());
            } else if (is_word("except")) {
                ++pos_;
                l = binary(Op::kExcept, std::move(l), cast());
            } else {
                return l;
            }
        }
    }

    ExprPtr cast() {
        ExprPtr l = unary();
        const bool castable = is_word("castable") && is_word("as", 1);
        if (!castable && !(is_word("cast") && is_word("as", 1))) {
            return l;
        }
        pos_ += 2;
        if (!is(Tok::kName)) {
            fail("expected a type name");
        }
        const std::string type = next().text;
        ExprPtr e = make(castable ? Op::kCastable : Op::kCast);
        e->kids.push_back(std::move(l));
        static const std::unordered_map<std::string, Fn> kTypes = {
            {"xs:decimal", Fn::kXsDecimal}, {"xs:integer", Fn::kXsInteger},
            {"xs:double", Fn::kXsDouble}, {"xs:string", Fn::kXsString},
            {"xs:boolean", Fn::kXsBoolean}, {"xs:date", Fn::kXsDate}};
        const auto it = kTypes.find(type);
        if (it == kTypes.end()) {
            fail("unsupported cast target " + type);
        }
        e->fn = it->second;
        if (is(Tok::kName) && peek().text == "?") {
            ++pos_;
        }
        return e;
    }

    ExprPtr unary() {
        bool negative = false;
        bool any = false;
        while (is(Tok::kMinus) || is(Tok::kPlus)) {
            negative = negative != is(Tok::kMinus);
            any = true;
            ++pos_;
        }
        ExprPtr v = path();
        if (!any) {
            return v;
        }
        ExprPtr e = make(negative ? Op::kNeg : Op::kPos);
        e->kids.push_back(std::move(v));
        return e;
    }

    bool starts_step() const {
        switch (peek().kind) {
            case Tok::kName: case Tok::kStar: case Tok::kAt: case Tok::kDot: case Tok::kDot2:
            case Tok::kVar: case Tok::kLParen: case Tok::kString: case Tok::kInteger:
            case Tok::kDecimal: case Tok::kDouble:
                return true;
            default:
                return false;
        }
    }

    ExprPtr path() {
        ExprPtr p = make(Op::kPath);
        if (is(Tok::kSlash)) {
            ++pos_;
            p->anchor = Anchor::kRoot;
            if (!starts_step()) {
                return p;
            }
        } else if (is(Tok::kSlash2)) {
            ++pos_;
            p->anchor = Anchor::kRootDescendant;
        }
        p->kids.push_back(step());
        p->descendant.push_back(false);
        while (is(Tok::kSlash) || is(Tok::kSlash2)) {
            const bool desc = is(Tok::kSlash2);
            ++pos_;
            p->kids.push_back(step());
            p->descendant.push_back(desc);
        }
        for (std::size_t k = 0; k < p->kids.size(); ++k) {
            const Expr& kid = *p->kids[k];
            if (kid.op != Op::kDocument) {
                continue;
            }
            if (k > 0 || p->anchor != Anchor::kNone || (kid.document && p->kids.size() > 1)) {
                fail("document() is supported only at the start of a relative path");
            }
            if (!kid.document) {
                return document_path(*p);
            }
        }
        if (p->anchor == Anchor::kNone && p->kids.size() == 1) {
            return std::move(p->kids.front());
        }
        return p;
    }

    NodeTest node_test(Axis axis) {
        NodeTest t;
        if (is(Tok::kStar)) {  // the axis's principal node kind: attributes, else elements
            ++pos_;
            t.kind = axis == Axis::kAttribute ? NodeTest::kAny : NodeTest::kElement;
            return t;
        }
        if (!is(Tok::kName)) {
            fail("expected a node test");
        }
        const std::string name = next().text;
        if (is(Tok::kLParen) && is_kind_test(name)) {
            ++pos_;
            expect(Tok::kRParen, "')' (kind tests take no argument here)");
            if (name == "node" || (name == "attribute" && axis == Axis::kAttribute)) {
                t.kind = NodeTest::kAny;
                return t;
            }
            if (name == "element") {  // on the attribute axis it selects nothing
                t.kind = NodeTest::kElement;
                return t;
            }
            if (name == "document-node") {
                t.kind = NodeTest::kDocument;
                return t;
            }
            fail("kind test " + name + "() is not supported");
        }
        if (name.starts_with("*:")) {
            t.kind = NodeTest::kLocalAny;
            t.set_text("", name.substr(2));
            return t;
        }
        const std::size_t colon = name.find(':');
        if (colon != std::string::npos && name.substr(colon) == ":*") {
            t.kind = NodeTest::kNamespaceAny;
            t.set_text(c_.resolve_prefix(name.substr(0, colon)), "");
            return t;
        }
        t.kind = NodeTest::kName;
        if (colon != std::string::npos) {
            t.set_text(c_.resolve_prefix(name.substr(0, colon)), name.substr(colon + 1));
        } else {
            t.set_text("", name);  // no default element namespace in the rule sets
        }
        t.name = c_.names().intern(t.ns(), t.local());
        return t;
    }

    void predicates(Expr& e) {
        while (is(Tok::kLBracket)) {
            ++pos_;
            e.preds.push_back(expr());
            expect(Tok::kRBracket, "']'");
        }
    }

    ExprPtr axis_step(Axis axis) {
        ExprPtr e = make(Op::kStep);
        e->axis = axis;
        e->test = node_test(axis);
        predicates(*e);
        return e;
    }

    ExprPtr step() {
        if (is(Tok::kDot2)) {
            ++pos_;
            ExprPtr e = make(Op::kStep);
            e->axis = Axis::kParent;
            e->test.kind = NodeTest::kAny;
            predicates(*e);
            return e;
        }
        if (is(Tok::kAt)) {
            ++pos_;
            return axis_step(Axis::kAttribute);
        }
        if (is(Tok::kName) && is(Tok::kColon2, 1)) {
            const auto it = axes().find(peek().text);
            if (it == axes().end()) {
                fail("unknown axis " + peek().text);
            }
            pos_ += 2;
            return axis_step(it->second);
        }
        if (is(Tok::kStar)) {
            return axis_step(Axis::kChild);
        }
        if (is(Tok::kName) && !(is(Tok::kLParen, 1) && !is_kind_test(peek().text))) {
            return axis_step(Axis::kChild);
        }
        ExprPtr prim = primary();
        if (!is(Tok::kLBracket)) {
            return prim;
        }
        if (prim->op == Op::kDocument) {
            fail("a predicate directly on document() is not supported (write document('n')/path[...])");
        }
        ExprPtr f = make(Op::kFilter);
        f->kids.push_back(std::move(prim));
        predicates(*f);
        return f;
    }

    ExprPtr literal(Item item) {
        ExprPtr e = make(Op::kLiteral);
        e->literal = std::move(item);
        return e;
    }

    ExprPtr primary() {
        const Token t = next();
        switch (t.kind) {
            case Tok::kString:
                return literal(make_string(t.text));
            case Tok::kInteger:
                return literal(make_integer(*Decimal::parse(t.text)));
            case Tok::kDecimal:
                return literal(make_decimal(*Decimal::parse(t.text)));
            case Tok::kDouble:
                return literal(make_double(std::strtod(t.text.c_str(), nullptr)));
            case Tok::kVar: {
                ExprPtr e = make(Op::kVar);
                e->slot = c_.lookup(t.text);
                return e;
            }
            case Tok::kDot:
                return make(Op::kContext);
            case Tok::kLParen: {
                if (is(Tok::kRParen)) {
                    ++pos_;
                    return make(Op::kSequence);
                }
                ExprPtr inner = expr();
                expect(Tok::kRParen, "')'");
                return inner;
            }
            case Tok::kName:
                return call(t.text);
            default:
                --pos_;
                fail("unexpected '" + t.text + "'");
        }
    }

    ExprPtr call(const std::string& raw_name) {
        std::string name = raw_name.starts_with("fn:") ? raw_name.substr(3) : raw_name;
        if (raw_name == "document") {
            return document_call();
        }
        const auto it = functions().find(name);
        if (it == functions().end()) {
            return user_call(raw_name);
        }
        expect(Tok::kLParen, "'('");
        ExprPtr e = make(Op::kCall);
        e->fn = it->second;
        if (!is(Tok::kRParen)) {
            e->kids.push_back(single());
            while (is(Tok::kComma)) {
                ++pos_;
                e->kids.push_back(single());
            }
        }
        expect(Tok::kRParen, "')'");
        check_arity(*e, raw_name);
        return e;
    }

    /// XSLT document('name') with a string literal naming a registered auxiliary document; the
    /// path that follows it is resolved by document_path().
    ExprPtr document_call() {
        expect(Tok::kLParen, "'('");
        if (!is(Tok::kString) || !is(Tok::kRParen, 1)) {
            throw Error("XPST0017", "document() takes exactly one string literal here, in: " +
                                        std::string(text_.substr(0, 300)));
        }
        const std::string name = next().text;
        ++pos_;
        if (c_.find_document(name) == nullptr) {
            throw Error("FODC0002", "document('" + name + "') is not a document registered with the rule set");
        }
        ExprPtr e = make(Op::kDocument);
        e->literal = make_string(name);
        return e;
    }

    /// A variable, a literal, or a sequence of them: the value side of a document() key
    /// predicate, which must not depend on the focus (it is evaluated in the rule's context).
    static bool focus_free_operand(const Expr& e) {
        if (e.op == Op::kVar || e.op == Op::kLiteral) {
            return true;
        }
        return e.op == Op::kSequence && std::all_of(e.kids.begin(), e.kids.end(), [](const ExprPtr& k) {
                   return focus_free_operand(*k);
               });
    }

    /// `@name` (a name test, no predicate) or `.`: the key side of a document() key predicate.
    static bool key_operand(const Expr& e) {
        return e.op == Op::kContext || (e.op == Op::kStep && e.axis == Axis::kAttribute &&
                                        e.test.kind == NodeTest::kName && e.preds.empty());
    }

    /// document('n')/steps: evaluates the steps once over the embedded document (see
    /// DocumentLookup); the only run-time part is a final [key = X] predicate.
    ExprPtr document_path(Expr& p) {
        auto lookup = std::make_shared<DocumentLookup>();
        lookup->name = p.kids.front()->literal.text();
        const xml::Tree& tree = *c_.find_document(lookup->name);
        // The steps, as an absolute path: evaluated from the embedded document's node, '/' and
        // '//' after document() are those of a path anchored at that document's root.
        ExprPtr rel = make(Op::kPath);
        rel->anchor = p.kids.size() > 1 && p.descendant[1] ? Anchor::kRootDescendant : Anchor::kRoot;
        for (std::size_t k = 1; k < p.kids.size(); ++k) {
            rel->kids.push_back(std::move(p.kids[k]));
            rel->descendant.push_back(k > 1 && p.descendant[k]);
        }
        ExprPtr key;
        ExprPtr value;
        if (!rel->kids.empty() && !rel->kids.back()->preds.empty() &&
            depends_on_scope(*rel->kids.back()->preds.back())) {
            ExprPtr pred = std::move(rel->kids.back()->preds.back());
            rel->kids.back()->preds.pop_back();
            if (pred->op != Op::kGeneralCmp || pred->cmp != Cmp::kEq) {
                fail("document(): a predicate using variables must be [@attr = $v] or [. = $v]");
            }
            lookup->key_left = key_operand(*pred->kids[0]) && focus_free_operand(*pred->kids[1]);
            if (!lookup->key_left && !(key_operand(*pred->kids[1]) && focus_free_operand(*pred->kids[0]))) {
                fail("document(): a predicate using variables must be [@attr = $v] or [. = $v]");
            }
            key = std::move(pred->kids[lookup->key_left ? 0 : 1]);
            value = std::move(pred->kids[lookup->key_left ? 1 : 0]);
        }
        for (const ExprPtr& s : rel->kids) {
            if (s->op != Op::kStep || depends_on_scope(*s)) {
                fail("document(): only steps whose predicates use no variable may follow document(), "
                     "except a final [@attr = $v] or [. = $v]");
            }
        }
        const Sequence nodes = constant_nodes(*rel, tree);
        lookup->any = !nodes.empty();
        if (key) {
            lookup->keyed = true;
            for (const Item& n : nodes) {
                if (key->op == Op::kContext) {
                    lookup->keys.push_back(string_value(n, tree));
                    continue;
                }
                if (n.type != Type::kElement) {
                    continue;  // @x of an attribute or of the document node: empty
                }
                const xml::TreeElement& el = tree.element(n.node);
                for (std::uint32_t a = el.attr_begin; a < el.attr_end; ++a) {
                    if (tree.attribute(a).name == key->test.name) {
                        lookup->keys.emplace_back(tree.attribute(a).value);
                    }
                }
            }
            lookup->key_set.insert(lookup->keys.begin(), lookup->keys.end());
        }
        ExprPtr e = make(Op::kDocument);
        e->literal = make_string(lookup->name);
        e->document = std::move(lookup);
        if (value) {
            e->kids.push_back(std::move(value));
        }
        return e;
    }

    /// The nodes the path `rel` (anchored at the root) selects in `tree`.
    static Sequence constant_nodes(Expr& rel, const xml::Tree& tree) {
        Context ctx;
        ctx.tree = &tree;
        ctx.item.type = Type::kDocument;
        ctx.item.node = 0;
        if (rel.kids.empty()) {
            return {ctx.item};
        }
        std::unordered_map<std::string, std::uint32_t> cache_keys;
        annotate(rel, cache_keys);
        std::vector<Sequence> no_slots;
        std::vector<Context::CacheEntry> cache(cache_keys.size() + 1);
        ctx.slots = &no_slots;
        ctx.cache = &cache;
        return evaluate(rel, ctx);
    }

    /// True if `e` reads a variable or current(), calls an xsl:function or holds a document():
    /// what cannot be evaluated over the embedded document alone.
    static bool depends_on_scope(const Expr& e) {
        if (e.op == Op::kVar || e.op == Op::kUserCall || e.op == Op::kDocument ||
            (e.op == Op::kCall && e.fn == Fn::kCurrent)) {
            return true;
        }
        const auto any = [](const std::vector<ExprPtr>& v) {
            return std::any_of(v.begin(), v.end(), [](const ExprPtr& k) { return depends_on_scope(*k); });
        };
        return any(e.kids) || any(e.preds);
    }

    /// A call to an xsl:function of the rule set (a prefixed name not among the built-ins).
    ExprPtr user_call(const std::string& raw_name) {
        const std::size_t colon = raw_name.find(':');
        if (colon == std::string::npos) {
            throw Error("XPST0017", "unknown function " + raw_name + "() in: " + std::string(text_.substr(0, 300)));
        }
        const std::string expanded = "{" + c_.resolve_prefix(raw_name.substr(0, colon)) + "}" + raw_name.substr(colon + 1);
        expect(Tok::kLParen, "'('");
        ExprPtr e = make(Op::kUserCall);
        if (!is(Tok::kRParen)) {
            e->kids.push_back(single());
            while (is(Tok::kComma)) {
                ++pos_;
                e->kids.push_back(single());
            }
        }
        expect(Tok::kRParen, "')'");
        const std::int64_t index = c_.find_function(expanded, e->kids.size());
        if (index < 0) {
            throw Error("XPST0017", "unknown function " + raw_name + "#" + std::to_string(e->kids.size()) +
                                        " in: " + std::string(text_.substr(0, 300)));
        }
        e->slot = static_cast<std::uint32_t>(index);
        return e;
    }

    void check_arity(Expr& e, const std::string& name) {
        const std::size_t n = e.kids.size();
        std::size_t lo = 1;
        std::size_t hi = 1;
        switch (e.fn) {
            case Fn::kTrue: case Fn::kFalse: case Fn::kPosition: case Fn::kLast: case Fn::kCurrent:
                lo = hi = 0; break;
            case Fn::kNumber: case Fn::kString: case Fn::kNormalizeSpace: case Fn::kStringLength:
            case Fn::kLocalName: case Fn::kName: case Fn::kRoot:
                lo = 0; break;
            case Fn::kSum: case Fn::kStringJoin: case Fn::kContains: case Fn::kStartsWith:
            case Fn::kEndsWith: case Fn::kSubstringBefore: case Fn::kSubstringAfter:
            case Fn::kIndexOf:
                lo = (e.fn == Fn::kSum) ? 1 : 2; hi = 2; break;
            case Fn::kSubstring: case Fn::kMatches: case Fn::kTokenize:
                lo = 2; hi = 3; break;
            case Fn::kTranslate: lo = hi = 3; break;
            case Fn::kReplace: lo = 3; hi = 4; break;
            case Fn::kConcat: lo = 2; hi = 1000; break;
            default: break;
        }
        if (n < lo || n > hi) {
            throw Error("XPST0017", name + "() does not take " + std::to_string(n) + " arguments");
        }
        if (e.fn != Fn::kMatches && e.fn != Fn::kReplace && e.fn != Fn::kTokenize) {
            return;
        }
        const std::size_t flags_at = e.fn == Fn::kReplace ? 3 : 2;
        if (e.kids[1]->op != Op::kLiteral || (n > flags_at && e.kids[flags_at]->op != Op::kLiteral)) {
            return;  // compiled at run time
        }
        const std::string flags = n > flags_at ? e.kids[flags_at]->literal.text() : "";
        e.regex = std::make_shared<const std::regex>(compile_regex(e.kids[1]->literal.text(), flags));
        bool icase = false;
        const std::string ecmascript = ecmascript_regex(e.kids[1]->literal.text(), flags, icase);
        if (icase) {
            return;
        }
        if (e.fn == Fn::kMatches) {
            if (auto m = RegexMatcher::compile(ecmascript)) {
                e.matcher = std::make_shared<const RegexMatcher>(std::move(*m));
            }
        } else if (auto lit = RegexMatcher::literal(ecmascript)) {
            e.regex_literal = std::make_shared<const std::string>(std::move(*lit));
        } else if (e.fn == Fn::kTokenize && (ecmascript == "\\s" || ecmascript == "\\s+")) {
            e.regex_split = ecmascript.size() == 2 ? RegexSplit::kSpace : RegexSplit::kSpaces;
        }
    }

    Compiler& c_;
    std::string_view text_;
    std::vector<Token> toks_;
    std::size_t pos_ = 0;
};

}  // namespace

namespace {

/// document() lookups yield (true()) or () in place of their nodes (see DocumentLookup): that
/// is exact only where the value is taken as an effective boolean value, so anywhere else they
/// refuse the expression. `boolean` = the value of `e` is used as an effective boolean value.
void check_document_uses(const Expr& e, bool boolean, std::string_view text) {
    if (e.op == Op::kDocument && !boolean) {
        throw Error("XPST0017", "document() is supported only where its value is used as a boolean (in: " +
                                    std::string(text.substr(0, 300)) + ")");
    }
    for (std::size_t k = 0; k < e.kids.size(); ++k) {
        bool kid_boolean = false;
        switch (e.op) {
            case Op::kAnd: case Op::kOr:
                kid_boolean = true;
                break;
            case Op::kIf:
                kid_boolean = k == 0 || boolean;
                break;
            case Op::kSome: case Op::kEvery:
                kid_boolean = k + 1 == e.kids.size();
                break;
            case Op::kCall:
                kid_boolean = e.fn == Fn::kNot || e.fn == Fn::kBoolean || e.fn == Fn::kExists || e.fn == Fn::kEmpty;
                break;
            default:
                break;
        }
        check_document_uses(*e.kids[k], kid_boolean, text);
    }
    for (const ExprPtr& p : e.preds) {
        check_document_uses(*p, true, text);
    }
}

/// signature() of every node met while one expression is analysed (annotate(), collect_memo()),
/// so that a node's signature is built once rather than again inside each of its ancestors'.
/// Active only in a SignatureScope: there the expression is whole, its nodes change no field a
/// signature reads and none is freed, so a node's address names its signature.
thread_local std::unordered_map<const Expr*, std::string>* t_signatures = nullptr;

class SignatureScope {
public:
    SignatureScope() : outermost_(t_signatures == nullptr) {
        if (outermost_) {
            t_signatures = &signatures_;
        }
    }
    ~SignatureScope() {
        if (outermost_) {
            t_signatures = nullptr;
        }
    }
    SignatureScope(const SignatureScope&) = delete;
    SignatureScope& operator=(const SignatureScope&) = delete;

private:
    std::unordered_map<const Expr*, std::string> signatures_;
    bool outermost_;
};

}  // namespace

ExprPtr Compiler::compile(std::string_view text) {
    ExprPtr e = Parser(*this, text).run();
    check_document_uses(*e, false, text);
    const SignatureScope signatures;
    annotate(*e, cache_keys_);
    return e;
}

std::string signature(const Expr& e);

namespace {

/// Expressions worth keeping when repeated (Expr::memo_slot): arithmetic, and the numeric
/// functions, whose value is one number at most, evaluated by Eval::optional_atomic()
/// (Eval::eval() of each gives that item as a sequence). Strings are left out: copying one into
/// the memo costs about what recomputing a normalize-space() does.
bool memo_candidate(const Expr& x) {
    if (std::all_of(x.kids.begin(), x.kids.end(), [](const ExprPtr& k) { return k->op == Op::kLiteral; })) {
        return false;  // cheap already
    }
    switch (x.op) {
        case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv: case Op::kIdiv: case Op::kMod:
            return true;
        case Op::kCall:
            switch (x.fn) {
                case Fn::kCount: case Fn::kAvg: case Fn::kMin: case Fn::kMax: case Fn::kRound:
                case Fn::kFloor: case Fn::kCeiling: case Fn::kAbs: case Fn::kNumber:
                case Fn::kXsDecimal: case Fn::kXsInteger: case Fn::kXsDouble: case Fn::kStringLength:
                    return true;
                case Fn::kSum:
                    return x.kids.size() == 1;
                default:
                    return false;
            }
        default:
            return false;
    }
}

/// Groups the candidates of `x` by (scope, signature). A scope is a part of the test evaluated
/// with one focus and one set of variable bindings: predicates and the steps after a path's first
/// part have another focus and are left out; each later `in` clause and the body of a
/// for/some/every are scopes of their own (one binding at a time).
void collect_memo(Expr& x, std::uint32_t scope, std::uint32_t& scopes,
                  std::map<std::pair<std::uint32_t, std::string>, std::vector<Expr*>>& groups) {
    if (memo_candidate(x)) {
        groups[{scope, signature(x)}].push_back(&x);
    }
    switch (x.op) {
        case Op::kPath:
        case Op::kFilter:
            if (!x.kids.empty() && x.kids.front()->op != Op::kStep) {
                collect_memo(*x.kids.front(), scope, scopes, groups);
            }
            return;
        case Op::kStep:
            return;
        case Op::kSome:
        case Op::kEvery:
        case Op::kFor:
            collect_memo(*x.kids.front(), scope, scopes, groups);
            for (std::size_t k = 1; k < x.kids.size(); ++k) {
                collect_memo(*x.kids[k], ++scopes, scopes, groups);
            }
            return;
        default:
            for (ExprPtr& k : x.kids) {
                collect_memo(*k, scope, scopes, groups);
            }
            return;
    }
}

}  // namespace

ExprPtr Compiler::compile_test(std::string_view text) {
    ExprPtr e = Parser(*this, text).run();
    check_document_uses(*e, true, text);
    const SignatureScope signatures;
    annotate(*e, cache_keys_);
    std::map<std::pair<std::uint32_t, std::string>, std::vector<Expr*>> groups;
    std::uint32_t scopes = 0;
    collect_memo(*e, 0, scopes, groups);
    for (auto& [key, members] : groups) {
        if (members.size() > 1) {
            ++memo_slots_;
            for (Expr* m : members) {
                m->memo_slot = memo_slots_;
            }
        }
    }
    return e;
}

namespace {

bool mentions_position(const Expr& e) {
    if (e.op == Op::kCall && (e.fn == Fn::kPosition || e.fn == Fn::kLast)) {
        return true;
    }
    // position() inside a nested step's predicate refers to that step, not to ours
    if (e.op == Op::kStep || e.op == Op::kPath) {
        return false;
    }
    for (const ExprPtr& k : e.kids) {
        if (mentions_position(*k)) {
            return true;
        }
    }
    return false;
}

/// A predicate is safe to evaluate without its position when its value is a boolean or a node
/// sequence (never a number) and it does not call position() or last().
bool boolean_valued(const Expr& e) {
    switch (e.op) {
        case Op::kGeneralCmp: case Op::kValueCmp: case Op::kAnd: case Op::kOr: case Op::kIs:
        case Op::kPath: case Op::kStep: case Op::kUnion: case Op::kIntersect: case Op::kExcept:
        case Op::kSome: case Op::kEvery: case Op::kCastable: case Op::kDocument:
            return true;
        case Op::kCall:
            switch (e.fn) {
                case Fn::kNot: case Fn::kExists: case Fn::kEmpty: case Fn::kBoolean: case Fn::kTrue:
                case Fn::kFalse: case Fn::kContains: case Fn::kStartsWith: case Fn::kEndsWith:
                case Fn::kMatches:
                    return true;
                default:
                    return false;
            }
        default:
            return false;
    }
}

bool positional(const std::vector<ExprPtr>& preds) {
    for (const ExprPtr& p : preds) {
        if (!boolean_valued(*p) || mentions_position(*p)) {
            return true;
        }
    }
    return false;
}

bool forward_unique_axis(Axis a) { return a == Axis::kChild || a == Axis::kAttribute || a == Axis::kSelf; }

/// Expression nodes a predicate must have before its values are kept per element: below this
/// (`@x`, `cbc:A`, `not(@x)`), evaluating costs about what a lookup does. Default 3 (callgrind over
/// the conformance corpus: 2 and 3 give the same counts, 4 and 6 fewer savings).
constexpr std::size_t kPredicateWeightMin = 3;

std::size_t weight(const Expr& e) {
    std::size_t n = 1;
    for (const ExprPtr& k : e.kids) {
        n += weight(*k);
    }
    for (const ExprPtr& p : e.preds) {
        n += weight(*p);
    }
    return n;
}

/// Whether `e` calls an xsl:function, whose body may read current() (not seen by uses_vars).
bool calls_user_function(const Expr& e) {
    if (e.op == Op::kUserCall) {
        return true;
    }
    return std::any_of(e.kids.begin(), e.kids.end(),
                       [](const ExprPtr& k) { return calls_user_function(*k); })
           || std::any_of(e.preds.begin(), e.preds.end(),
                          [](const ExprPtr& p) { return calls_user_function(*p); });
}

}  // namespace

std::string signature(const Expr& e);

/// Signature of the absolute path `e` cut to its first `steps` steps.
std::string prefix_signature(const Expr& e, std::size_t steps) {
    std::string s = "(" + std::to_string(static_cast<int>(Op::kPath)) + " @" +
                    std::to_string(static_cast<int>(e.anchor));
    for (std::size_t k = 0; k < steps; ++k) {
        s += e.descendant[k] ? "D" : "C";
    }
    for (std::size_t k = 0; k < steps; ++k) {
        s += signature(*e.kids[k]);
    }
    return s + "[])";
}

namespace {

/// A literal's part of a signature: its type and the one field that holds its value (the text
/// of a string, the decimal of an integer or decimal, the shortest exact form of a double), so
/// that two literals share a signature exactly when they are the same value of the same type.
void append_literal(const Item& literal, std::string& s) {
    s += ' ';
    s += std::to_string(static_cast<int>(literal.type));
    s += ':';
    switch (literal.type) {
        case Type::kString:
        case Type::kUntyped:
            s += literal.text();
            break;
        case Type::kInteger:
        case Type::kDecimal:
            s += literal.decimal().to_string();
            break;
        case Type::kDouble: {
            char buffer[32];
            const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, literal.number());
            s.append(buffer, ec == std::errc() ? end : buffer);
            break;
        }
        default:  // not produced by the parser: every field
            s += literal.text() + ":" + literal.decimal().to_string() + ":" + std::to_string(literal.number()) + ":" +
                 std::to_string(literal.boolean) + ":" + std::to_string(literal.date()) + ":" +
                 std::to_string(literal.tz_minutes) + ":" + std::to_string(literal.has_tz);
            break;
    }
}

/// `tag` then the decimal digits of `v`.
template <class Int>
void append_number(std::string& s, const char* tag, Int v) {
    char buffer[24];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    s += tag;
    s.append(buffer, ec == std::errc() ? end : buffer);
}

bool append_signature(const Expr& e,
                      const std::function<std::optional<std::string>(std::uint32_t)>* var,
                      std::string& s);

/// signature(e), built once per SignatureScope (t_signatures must be set).
const std::string& kept_signature(const Expr& e) {
    if (const auto it = t_signatures->find(&e); it != t_signatures->end()) {
        return it->second;
    }
    std::string s;
    append_signature(e, nullptr, s);
    return t_signatures->emplace(&e, std::move(s)).first->second;
}

/// Appends the signature of the operand `k` of a node being signed.
bool append_operand(const Expr& k,
                    const std::function<std::optional<std::string>(std::uint32_t)>* var,
                    std::string& s) {
    if (var == nullptr && t_signatures != nullptr) {
        s += kept_signature(k);
        return true;
    }
    return append_signature(k, var, s);
}

/// signature() / signature_of(): `var` null gives each variable its slot.
bool append_signature(const Expr& e,
                      const std::function<std::optional<std::string>(std::uint32_t)>* var,
                      std::string& s) {
    append_number(s, "(", static_cast<int>(e.op));
    switch (e.op) {
        case Op::kLiteral:
            append_literal(e.literal, s);
            break;
        case Op::kStep:
            append_number(s, " a", static_cast<int>(e.axis));
            append_number(s, " t", static_cast<int>(e.test.kind));
            s += ':';
            s += e.test.ns();
            s += ':';
            s += e.test.local();
            break;
        case Op::kPath:
            append_number(s, " @", static_cast<int>(e.anchor));
            for (const bool d : e.descendant) {
                s += d ? 'D' : 'C';
            }
            break;
        case Op::kGeneralCmp: case Op::kValueCmp:
            append_number(s, " c", static_cast<int>(e.cmp));
            break;
        case Op::kCall: case Op::kCast: case Op::kCastable:
            append_number(s, " f", static_cast<int>(e.fn));
            break;
        case Op::kUserCall:  // which function: calls of two functions never share a value
            append_number(s, " u", e.slot);
            break;
        case Op::kVar:
            if (var == nullptr) {
                append_number(s, " v", e.slot);
            } else if (const std::optional<std::string> v = (*var)(e.slot)) {
                s += " v{";
                s += *v;
                s += '}';
            } else {
                return false;
            }
            break;
        case Op::kDocument:  // each lookup is its own: never shared by signature
            append_number(s, " d", reinterpret_cast<std::uintptr_t>(e.document.get()));
            break;
        default:
            break;
    }
    for (const ExprPtr& k : e.kids) {
        if (!append_operand(*k, var, s)) {
            return false;
        }
    }
    s += '[';
    for (const ExprPtr& p : e.preds) {
        if (!append_operand(*p, var, s)) {
            return false;
        }
    }
    s += "])";
    return true;
}

}  // namespace

std::string signature(const Expr& e) {
    if (t_signatures != nullptr) {
        return kept_signature(e);
    }
    std::string s;
    append_signature(e, nullptr, s);
    return s;
}

std::optional<std::string> signature_of(
    const Expr& e, const std::function<std::optional<std::string>(std::uint32_t)>& var) {
    std::string s;
    if (!append_signature(e, &var, s)) {
        return std::nullopt;
    }
    return s;
}

namespace {

/// Appends the names of a union of child name tests (nested unions included) to `out`; false
/// if an alternative is anything else.
template <class ChainStep>
bool chain_names_of_union(const Expr& u, std::vector<xml::NameId>& out,
                          const ChainStep& chain_step) {
    for (const ExprPtr& alt : u.kids) {
        if (alt->op == Op::kUnion) {
            if (!chain_names_of_union(*alt, out, chain_step)) {
                return false;
            }
        } else if (chain_step(*alt, false)) {
            out.push_back(alt->test.name);
        } else {
            return false;
        }
    }
    return true;
}

}  // namespace

void annotate(Expr& e, std::unordered_map<std::string, std::uint32_t>& slots) {
    for (ExprPtr& k : e.kids) {
        annotate(*k, slots);
    }
    for (ExprPtr& p : e.preds) {
        annotate(*p, slots);
    }
    e.no_preds = e.preds.empty();
    e.no_chain = e.name_chain.empty();  // and below, where a chain is found
    e.uses_vars = e.op == Op::kVar || (e.op == Op::kCall && e.fn == Fn::kCurrent);
    for (const ExprPtr& k : e.kids) {
        e.uses_vars = e.uses_vars || k->uses_vars;
    }
    for (const ExprPtr& p : e.preds) {
        e.uses_vars = e.uses_vars || p->uses_vars;
    }
    e.preds_positional = positional(e.preds);
    switch (e.op) {
        case Op::kLiteral:
            e.doc_constant = true;
            break;
        case Op::kPath:
            e.doc_constant = e.anchor != Anchor::kNone && !e.uses_vars;
            break;
        case Op::kUnion:
        case Op::kSequence:
        case Op::kUserCall:
            e.doc_constant = std::all_of(e.kids.begin(), e.kids.end(), [](const ExprPtr& k) { return k->doc_constant; });
            break;
        default:
            break;
    }
    if (e.op == Op::kUserCall && e.doc_constant) {
        const auto [it, fresh] = slots.try_emplace(signature(e), static_cast<std::uint32_t>(slots.size() + 1));
        e.cache_slot = it->second;
    }
    if (e.op == Op::kCall && e.fn == Fn::kContains && e.kids[0]->op == Op::kLiteral &&
        e.kids[0]->literal.type == Type::kString && e.kids[1]->op == Op::kCall && e.kids[1]->fn == Fn::kConcat &&
        e.kids[1]->kids.size() == 3 && e.kids[1]->kids[0]->op == Op::kLiteral &&
        e.kids[1]->kids[0]->literal.text() == " " && e.kids[1]->kids[2]->op == Op::kLiteral &&
        e.kids[1]->kids[2]->literal.text() == " ") {
        auto tokens = std::make_shared<std::unordered_set<std::string>>();
        const std::string& list = e.kids[0]->literal.text();
        std::size_t i = 0;
        while (i < list.size()) {
            const std::size_t b = list.find_first_not_of(' ', i);
            if (b == std::string::npos) {
                break;
            }
            const std::size_t end = list.find(' ', b);
            // a token counts only when a space precedes and follows it in the literal
            if (b > 0 && end != std::string::npos) {
                tokens->insert(list.substr(b, end - b));
            }
            i = end == std::string::npos ? list.size() : end;
        }
        e.code_list = std::move(tokens);
    }
    auto chain_step = [](const Expr& k, bool last) {
        return k.op == Op::kStep && k.preds.empty() && k.test.kind == NodeTest::kName &&
               (k.axis == Axis::kChild || (last && k.axis == Axis::kAttribute));
    };
    // The names a chain step accepts: one name test, or a union of child name tests.
    auto chain_names = [&chain_step](const Expr& k, bool last, std::vector<xml::NameId>& out) {
        if (chain_step(k, last)) {
            out.push_back(k.test.name);
            return true;
        }
        return k.op == Op::kUnion && chain_names_of_union(k, out, chain_step);
    };
    if (e.op == Op::kStep && !e.preds_positional) {
        // identical predicates anywhere in the rule set share their values per element
        for (ExprPtr& p : e.preds) {
            if (!p->uses_vars && weight(*p) >= kPredicateWeightMin && !calls_user_function(*p)) {
                const auto [it, fresh] = slots.try_emplace(
                    "P" + signature(*p), static_cast<std::uint32_t>(slots.size() + 1));
                p->pred_slot = it->second;
            }
        }
    }
    if (e.op == Op::kStep) {
        e.streamable = !e.preds_positional;
        e.unique = e.streamable;  // one start node: an axis never yields a node twice
        if (chain_step(e, true)) {
            e.name_chain = {{e.test.name}};
            e.no_chain = false;
            e.chain_ends_in_attribute = e.axis == Axis::kAttribute;
        }
        return;
    }
    if (e.op != Op::kPath) {
        return;
    }
    bool streamable = true;
    bool unique = true;
    for (std::size_t k = 0; k < e.kids.size(); ++k) {
        const Expr& s = *e.kids[k];
        if (s.op != Op::kStep) {
            // the first part of a relative path may be any expression (evaluated eagerly)
            streamable = streamable && k == 0 && e.anchor == Anchor::kNone;
            unique = false;
            continue;
        }
        streamable = streamable && !s.preds_positional;
        const bool desc = k == 0 ? e.anchor == Anchor::kRootDescendant : static_cast<bool>(e.descendant[k]);
        if (desc && s.axis != Axis::kChild && s.axis != Axis::kAttribute) {
            streamable = false;  // '//' before another axis: use the general evaluator
        }
        // From one start node any first step is duplicate-free; later steps from distinct
        // nodes stay duplicate-free only along child, attribute and self axes.
        if (k > 0 && (!forward_unique_axis(s.axis) || desc)) {
            unique = false;
        }
    }
    e.streamable = streamable;
    e.unique = streamable && unique;
    bool chain = e.anchor == Anchor::kNone && !e.kids.empty();
    std::vector<std::vector<xml::NameId>> names(e.kids.size());
    for (std::size_t k = 0; chain && k < e.kids.size(); ++k) {
        chain = chain_names(*e.kids[k], k + 1 == e.kids.size(), names[k])
                && (k == 0 || !e.descendant[k]);
    }
    if (chain) {
        e.name_chain = std::move(names);
        e.no_chain = false;
        e.chain_ends_in_attribute =
            e.kids.back()->op == Op::kStep && e.kids.back()->axis == Axis::kAttribute;
    }
    if (e.anchor != Anchor::kNone && !e.uses_vars) {
        // identical absolute paths anywhere in the rule set share one cached result
        const auto [it, inserted] = slots.try_emplace(signature(e), static_cast<std::uint32_t>(slots.size() + 1));
        e.cache_slot = it->second;
        const bool steps_only = std::all_of(e.kids.begin(), e.kids.end(),
                                            [](const ExprPtr& k) { return k->op == Op::kStep; });
        for (std::size_t n = 1; steps_only && n < e.kids.size(); ++n) {
            const auto [p, fresh] =
                slots.try_emplace(prefix_signature(e, n), static_cast<std::uint32_t>(slots.size() + 1));
            e.prefix_slots.push_back(p->second);
        }
    }
}

std::uint32_t Compiler::declare_function(const std::string& expanded_name, std::size_t arity) {
    const auto [it, fresh] = functions_.try_emplace(expanded_name + "#" + std::to_string(arity),
                                                    static_cast<std::uint32_t>(functions_.size()));
    if (!fresh) {
        throw Error("XTSE0770", "function " + expanded_name + "#" + std::to_string(arity) + " is declared twice");
    }
    return it->second;
}

std::int64_t Compiler::find_function(const std::string& expanded_name, std::size_t arity) const {
    const auto it = functions_.find(expanded_name + "#" + std::to_string(arity));
    return it == functions_.end() ? -1 : static_cast<std::int64_t>(it->second);
}

SequenceType parse_sequence_type(std::string_view as) {
    SequenceType t;
    std::string s(as);
    s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }),
            s.end());
    if (s.empty()) {
        return t;  // item()*
    }
    t.occurrence = '1';
    if (s.back() == '?' || s.back() == '*' || s.back() == '+') {
        t.occurrence = s.back();
        s.pop_back();
    }
    static const std::unordered_map<std::string, Fn> kAtomic = {
        {"xs:string", Fn::kXsString}, {"xs:decimal", Fn::kXsDecimal}, {"xs:integer", Fn::kXsInteger},
        {"xs:double", Fn::kXsDouble}, {"xs:boolean", Fn::kXsBoolean}, {"xs:date", Fn::kXsDate},
        {"xs:anyAtomicType", Fn::kAnyAtomic}};
    if (const auto it = kAtomic.find(s); it != kAtomic.end()) {
        t.kind = SequenceType::Kind::kAtomic;
        t.atomic = it->second;
        t.any_atomic = it->second == Fn::kAnyAtomic;
        return t;
    }
    if (s == "item()") {
        return t;
    }
    if (s == "node()" || s == "element()" || s.starts_with("element(") || s == "attribute()") {
        t.kind = SequenceType::Kind::kNode;
        return t;
    }
    throw Error("XPST0051", "sequence type '" + std::string(as) + "' is not supported");
}

std::uint32_t Compiler::declare(const std::string& name) {
    scope_.emplace_back(name, slots_);
    return slots_++;
}

std::uint32_t Compiler::lookup(const std::string& name) const {
    for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
        if (it->first == name) {
            return it->second;
        }
    }
    throw Error("XPST0008", "variable $" + name + " is not declared");
}

std::string Compiler::resolve_prefix(const std::string& prefix) const {
    const auto it = ns_.find(prefix);
    if (it == ns_.end()) {
        throw Error("XPST0081", "namespace prefix '" + prefix + "' is not declared");
    }
    return it->second;
}

}  // namespace facteur::rules::xpath
