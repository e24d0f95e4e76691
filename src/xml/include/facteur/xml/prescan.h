#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "facteur/core/result.h"
#include "facteur/xml/limits.h"

namespace facteur::xml {

/// What a pre-scan learns about a document without building it.
struct ScanInfo {
    std::string root_local_name;     ///< local name of the root element
    std::string root_prefix;         ///< its prefix, "" when unprefixed
    std::string root_namespace;      ///< namespace URI bound on the root element, "" if none
    std::string schema_location;     ///< value of an xsi:(noNamespace)SchemaLocation hint, if any
    std::uint64_t node_count = 0;    ///< elements + attributes + text runs + comments + PIs
    std::uint32_t depth_max_seen = 0;
    std::size_t body_offset = 0;     ///< offset after a UTF-8 byte order mark (0 or 3)
};

/// One linear pass over the raw bytes, run before any parser sees them. Rejects what no invoice
/// needs and what would make a parser slow or unsafe, each with its stable id:
/// XML-EMPTY, XML-ENCODING (not UTF-8: UTF-16/32, a non-UTF-8 declared encoding, invalid UTF-8),
/// XML-DOCTYPE (any document type declaration, so no DTD, entity or XXE ever reaches a parser),
/// XML-XINCLUDE (an XInclude namespace is declared), XML-LIMIT-SIZE, XML-LIMIT-DEPTH,
/// XML-LIMIT-ATTRIBUTES, XML-LIMIT-TEXT, XML-LIMIT-NODES, XML-TRUNCATED (input ends inside markup
/// or an open element) and XML-MALFORMED (markup the scanner cannot read). All are
/// Errc::kInvalidInput except the limits (Errc::kResourceExhausted); each carries the line.
/// Well-formedness beyond that is left to the parser.
[[nodiscard]] core::Result<ScanInfo> prescan(std::string_view bytes, const Limits& limits);

}  // namespace facteur::xml
