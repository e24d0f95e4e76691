#pragma once

#include <cstddef>
#include <cstdint>

namespace facteur::xml {

/// Limits applied to every XML input before and while it is parsed. Each one hit is reported
/// with its own stable id (see docs/rules.md) and never crashes or hangs the process.
struct Limits {
    /// Whole document, in bytes. Default: 64 MiB (invoices carry base64 attachments, BT-125).
    /// Over: XML-LIMIT-SIZE.
    std::size_t document_bytes_max = std::size_t{64} * 1024 * 1024;
    /// Element nesting depth; the root element is depth 1. Default: 128 (UBL and CII documents
    /// stay under 15). Over: XML-LIMIT-DEPTH.
    std::uint32_t depth_max = 128;
    /// Attributes (namespace declarations included) on one element. Default: 256.
    /// Over: XML-LIMIT-ATTRIBUTES.
    std::uint32_t attributes_per_element_max = 256;
    /// One text node (adjacent text and CDATA), attribute value, comment or processing
    /// instruction, in bytes. Default: 8 MiB, below libxml2's own 10,000,000-byte cap so that
    /// facteur's id is the one reported. Over: XML-LIMIT-TEXT.
    std::size_t text_bytes_max = std::size_t{8} * 1024 * 1024;
    /// Elements + attributes + text nodes + comments + processing instructions in the document.
    /// Default: 5,000,000. Over: XML-LIMIT-NODES.
    std::uint64_t nodes_max = 5'000'000;
};

/// libxml2 (2.9.14) parses at most 256 levels without XML_PARSE_HUGE, which facteur never sets.
inline constexpr std::uint32_t kLibxml2DepthCap = 256;
/// libxml2's text-node cap without XML_PARSE_HUGE (XML_MAX_TEXT_LENGTH).
inline constexpr std::size_t kLibxml2TextBytesCap = 10'000'000;
/// libxml2 takes the buffer size as an int.
inline constexpr std::size_t kLibxml2DocumentBytesCap = 0x7fffffff;

static_assert(Limits{}.depth_max < kLibxml2DepthCap, "facteur's depth limit must bite first");
static_assert(Limits{}.text_bytes_max < kLibxml2TextBytesCap, "facteur's text limit must bite first");
static_assert(Limits{}.text_bytes_max <= Limits{}.document_bytes_max, "a text fits in a document");

}  // namespace facteur::xml
