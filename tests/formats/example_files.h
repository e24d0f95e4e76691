#pragma once

// The CEN example documents of ../shared/conformance/examples, shared by the binding tests:
// listing, parsing, the official verdicts, and a "direct look" at a few values with plain string
// search, independent of the bindings under test.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "facteur/model/decimal.h"
#include "facteur/testing/testing.h"
#include "facteur/xml/document.h"

namespace facteur::testing::examples {

inline std::filesystem::path examples_dir() {
    return shared_dir() / "conformance" / "examples";
}

/// Every file of examples/<folder>, as "<folder>/<name>", sorted.
inline std::vector<std::string> files_in(const std::string& folder) {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(examples_dir() / folder)) {
        std::string ext = entry.path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        if (ext == ".xml") {
            out.push_back(folder + "/" + entry.path().filename().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

inline std::string text_of(const std::string& relative) {
    return read(examples_dir() / relative);
}

inline std::optional<xml::Document> parse(const std::string& bytes) {
    auto doc = xml::parse(bytes, xml::Limits{});
    if (!doc) {
        ADD_FAILURE() << doc.error().message;
        return std::nullopt;
    }
    return std::move(*doc);
}

/// file ("ubl/x.xml") -> true when the official EN 16931 1.3.16 verdict has no fatal assert.
inline std::map<std::string, bool> en16931_verdicts() {
    std::map<std::string, bool> out;
    std::istringstream lines(text_of("verdicts.jsonl"));
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) {
            continue;
        }
        const boost::json::object o = boost::json::parse(line).as_object();
        out[std::string(o.at("file").as_string())] =
            o.at("en16931").as_object().at("fatal").as_object().empty();
    }
    return out;
}

/// `text` with every <!-- comment --> removed (the examples comment out alternative elements).
inline std::string without_comments(std::string text) {
    for (std::size_t start = text.find("<!--"); start != std::string::npos;
         start = text.find("<!--", start)) {
        const std::size_t end = text.find("-->", start);
        text.erase(start, end == std::string::npos ? std::string::npos : end + 3 - start);
    }
    return text;
}

/// The text between `<open ...>` (first occurrence at or after `from`) and the next `<`, with
/// the five predefined entities decoded; nullopt when `open` does not occur.
inline std::optional<std::string> element_text(const std::string& text, const std::string& open,
                                               std::size_t from = 0) {
    std::size_t at = text.find("<" + open, from);
    while (at != std::string::npos) {
        const char next = text[at + 1 + open.size()];
        if (next == '>' || next == ' ') {
            break;
        }
        at = text.find("<" + open, at + 1);
    }
    if (at == std::string::npos) {
        return std::nullopt;
    }
    const std::size_t begin = text.find('>', at) + 1;
    std::string out = text.substr(begin, text.find('<', begin) - begin);
    for (const auto& [entity, c] : std::vector<std::pair<std::string, std::string>>{
             {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}}) {
        for (std::size_t p = out.find(entity); p != std::string::npos;
             p = out.find(entity, p + 1)) {
            out.replace(p, entity.size(), c);
        }
    }
    return out;
}

/// Number of occurrences of `needle` in `text`.
inline std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) {
        ++n;
    }
    return n;
}

/// XPath round(x * 100) div 100 as the BR-CO-10 Schematron computes it: halves toward +infinity.
inline model::Decimal round_to_cents(model::Decimal d) {
    if (d.scale <= 2) {
        return d;
    }
    std::int64_t divisor = 1;
    for (unsigned s = 2; s < d.scale; ++s) {
        divisor *= 10;
    }
    std::int64_t quotient = d.units / divisor;
    std::int64_t remainder = d.units % divisor;
    if (remainder < 0) {  // floor division
        --quotient;
        remainder += divisor;
    }
    return model::Decimal{remainder * 2 >= divisor ? quotient + 1 : quotient, 2};
}

}  // namespace facteur::testing::examples
