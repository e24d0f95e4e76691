#pragma once

#include <string_view>

namespace facteur::xml {

/// True when parse() has no objection to the namespace declaration `xmlns:prefix="uri"`
/// (`xmlns="uri"` for an empty prefix), `uri` being the attribute's normalised value: a
/// non-empty URI that libxml2's URI parser reads, neither the xml nor the xmlns namespace, and a
/// prefix other than `xml` and `xmlns`. Conservative: false only says that parse() must decide.
/// Lets a caller tell whether another parser's acceptance of a document implies parse()'s.
[[nodiscard]] bool plain_namespace_declaration(std::string_view prefix, std::string_view uri);

}  // namespace facteur::xml
