#pragma once
// For the XPath tests: one expression compiled and evaluated with the root element of a small
// document as context item, its value as strings.
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/xml/document.h"
#include "facteur/xml/tree.h"

#include "xpath_ast.h"

namespace facteur::rules::xpath::testing {

/// The string value of each item of `expr` evaluated on `doc_text` (context item: the root
/// element, position and size 1), names interned in `names`. XPath errors propagate (Error).
inline std::vector<std::string> evaluate_strings(std::string_view expr, std::string_view doc_text,
                                                 xml::NameTable& names, const Namespaces& ns = {}) {
    auto doc = xml::parse(doc_text, xml::Limits{});
    EXPECT_TRUE(doc.has_value());
    if (!doc) {
        return {};
    }
    Compiler compiler(ns, names);
    const ExprPtr e = compiler.compile(expr);
    const xml::Tree tree = xml::Tree::build(doc->root(), names);
    std::vector<Sequence> slots(compiler.slots());
    Context ctx;
    ctx.tree = &tree;
    ctx.slots = &slots;
    ctx.item.type = Type::kElement;
    ctx.item.node = 1;
    std::vector<std::string> out;
    for (const Item& it : evaluate(*e, ctx)) {
        out.push_back(string_value(it, tree));
    }
    return out;
}

}  // namespace facteur::rules::xpath::testing
