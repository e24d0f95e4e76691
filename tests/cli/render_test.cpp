// render_json writes the JSON Lines contract itself; its string escaping must stay that of
// Boost.JSON's serializer, which wrote the contract's first outputs.

#include "render.h"

#include <random>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace facteur::cli {
namespace {

std::string escaped(std::string_view text) {
    std::string out;
    append_string(out, text);
    return out;
}

std::string boost_escaped(std::string_view text) {
    return boost::json::serialize(boost::json::value(boost::json::string_view(text.data(), text.size())));
}

TEST(RenderJsonTest, EveryByteIsEscapedAsBoostJsonEscapesIt) {
    for (int b = 0; b < 256; ++b) {
        const std::string one(1, static_cast<char>(b));
        EXPECT_EQ(escaped(one), boost_escaped(one)) << "byte " << b;
        const std::string framed = "a" + one + "\xc3\xa9z";
        EXPECT_EQ(escaped(framed), boost_escaped(framed)) << "byte " << b;
    }
    EXPECT_EQ(escaped("l\xc3\xa0 \"x\"\\\n\x01"), "\"l\xc3\xa0 \\\"x\\\"\\\\\\n\\u0001\"");
}

TEST(RenderJsonTest, EveryByteAtEveryPlaceOfALongPlainTextIsEscapedAsBoostJsonEscapesIt) {
    // Long runs of plain text are checked eight bytes at a time: put each byte at each offset of
    // three such words, among ASCII and multi-byte UTF-8 neighbours.
    for (const std::string& plain : {std::string(24, 'a'), std::string("\xc3\xa9\xe2\x82\xac") + std::string(19, '~')}) {
        for (int b = 0; b < 256; ++b) {
            for (std::size_t at = 0; at < plain.size(); ++at) {
                std::string text = plain;
                text[at] = static_cast<char>(b);
                ASSERT_EQ(escaped(text), boost_escaped(text)) << "byte " << b << " at " << at;
            }
        }
    }
}

TEST(RenderJsonTest, RandomTextsAreEscapedAsBoostJsonEscapesThem) {
    std::mt19937 random(20261124);
    std::uniform_int_distribution<int> length(0, 40);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int k = 0; k < 20000; ++k) {
        std::string text(static_cast<std::size_t>(length(random)), '\0');
        for (char& c : text) {
            c = static_cast<char>(byte(random) % 3 == 0 ? byte(random) % 0x30 : byte(random));
        }
        ASSERT_EQ(escaped(text), boost_escaped(text)) << k;
    }
}

TEST(RenderJsonTest, ReportIsTheContractsObject) {
    model::Report report;
    report.file = "dir/f\"1\".xml";
    report.syntax = model::Syntax::kCii;
    report.profile = "urn:cen.eu:en16931:2017";
    report.layers.push_back({"xsd", "cii-d16b", model::LayerStatus::kInvalid, "", ""});
    report.findings.push_back(model::Finding{.rule = "XSD",
                                             .severity = model::Severity::kFatal,
                                             .layer = "xsd",
                                             .location = "/rsm:X",
                                             .line = 12,
                                             .message = "bad\tvalue",
                                             .message_fr = "valeur\tfausse",
                                             .terms = {"BT-1"}});
    report.findings.push_back(model::Finding{.rule = "XML-X", .severity = model::Severity::kFatal,
                                             .layer = "xml", .location = "", .line = 0,
                                             .message = "m", .message_fr = ""});
    const std::string line = render_json(report, Lang::kFr);
    EXPECT_EQ(line,
              "{\"file\":\"dir/f\\\"1\\\".xml\",\"syntax\":\"cii\",\"profile\":\"urn:cen.eu:en16931:2017\","
              "\"valid\":false,\"layers\":[{\"name\":\"xsd\",\"version\":\"cii-d16b\",\"status\":\"invalid\","
              "\"message\":\"\"}],\"findings\":[{\"rule\":\"XSD\",\"severity\":\"fatal\",\"layer\":\"xsd\","
              "\"location\":\"/rsm:X\",\"line\":12,\"message\":\"valeur\\tfausse\",\"terms\":[\"BT-1\"]},"
              "{\"rule\":\"XML-X\",\"severity\":\"fatal\",\"layer\":\"xml\",\"location\":null,\"line\":null,"
              "\"message\":\"m\"}]}");
    EXPECT_NO_THROW((void)boost::json::parse(line));
}

}  // namespace
}  // namespace facteur::cli
