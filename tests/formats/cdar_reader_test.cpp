// The CDAR reader on the FNFE-MPE annex B lifecycle examples (../shared/conformance/cdar).
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "facteur/core/file.h"
#include "facteur/formats/cdar/cdar_reader.h"
#include "facteur/testing/testing.h"

namespace facteur::formats::cdar {
namespace {

namespace fs = std::filesystem;

model::LifecycleMessage read(const fs::path& path) {
    const auto bytes = core::read_file(path, 1 << 20);
    EXPECT_TRUE(bytes.has_value()) << path;
    auto doc = xml::parse(*bytes, xml::Limits{});
    EXPECT_TRUE(doc.has_value()) << path;
    auto message = read_cdar(*doc);
    EXPECT_TRUE(message.has_value()) << path;
    return std::move(*message);
}

TEST(CdarReaderTest, EveryAnnexBExampleGivesTheStatusItsNameAnnounces) {
    std::size_t n = 0;
    const std::regex status_in_name("CDV-([0-9]{3})_");
    for (const auto& e : fs::directory_iterator(testing::shared_dir() / "conformance" / "cdar")) {
        if (e.path().extension() != ".xml") {
            continue;
        }
        const std::string name = e.path().filename().string();
        std::smatch m;
        ASSERT_TRUE(std::regex_search(name, m, status_in_name)) << name;
        const model::LifecycleMessage msg = read(e.path());
        ASSERT_EQ(msg.invoices.size(), 1U) << name;
        const model::StatusedInvoice& inv = msg.invoices.front();
        ASSERT_TRUE(inv.status_code.has_value()) << name;
        EXPECT_EQ(inv.status_code->value, m[1].str()) << name;
        EXPECT_TRUE(model::lifecycle_status_name(inv.status_code->value).has_value()) << name;
        ASSERT_TRUE(inv.number.has_value()) << name;
        EXPECT_FALSE(inv.number->value.empty()) << name;
        EXPECT_GT(inv.status_code->source.line, 0U) << name;
        ASSERT_TRUE(msg.type_code.has_value()) << name;
        EXPECT_TRUE(msg.type_code->value == "23" || msg.type_code->value == "305") << name;
        EXPECT_TRUE(msg.problems.empty()) << name << ": " << msg.problems.front().message;
        ++n;
    }
    EXPECT_EQ(n, 11U);
}

TEST(CdarReaderTest, ADisputeCarriesItsReasonAndRequestedAction) {
    const model::LifecycleMessage msg =
        read(testing::shared_dir() / "conformance" / "cdar" / "UC4_F202500006_04-CDV-207_En_litige.xml");
    const model::StatusedInvoice& inv = msg.invoices.at(0);
    EXPECT_EQ(inv.number->value, "F202500006");
    EXPECT_EQ(inv.issue_date->value.day, 1);
    ASSERT_EQ(inv.reasons.size(), 1U);
    EXPECT_EQ(inv.reasons[0].reason_code->value, "TX_TVA_ERR");
    EXPECT_EQ(inv.reasons[0].action_code->value, "NIN");
    ASSERT_TRUE(msg.issuer.has_value());
    EXPECT_EQ(msg.issuer->role->value, "BY");
    EXPECT_EQ(msg.issuer->id->value.id, "200000008");
    ASSERT_EQ(msg.recipients.size(), 1U);
    EXPECT_EQ(msg.recipients[0].electronic_address->value.id, "100000009_STATUTS");
    EXPECT_EQ(model::lifecycle_status_name("207")->fr, "En litige");
    EXPECT_FALSE(model::lifecycle_status_name("999").has_value());
}

TEST(CdarReaderTest, AnInvoiceIsNotALifecycleMessage) {
    auto doc = xml::parse("<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>", xml::Limits{});
    ASSERT_TRUE(doc.has_value());
    const auto msg = read_cdar(*doc);
    ASSERT_FALSE(msg.has_value());
    EXPECT_EQ(msg.error().id, "CDAR-ROOT");
}

}  // namespace
}  // namespace facteur::formats::cdar
