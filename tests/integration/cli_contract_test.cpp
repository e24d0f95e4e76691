// The binary's exit statuses (public contract): 0 all valid, 1 some invalid, 2 usage or I/O.
#include <gtest/gtest.h>

#include "facteur/testing/testing.h"

namespace facteur {
namespace {

std::string bin() { return testing::facteur_binary().string(); }
std::string sample(const char* name) { return (testing::fixtures_dir() / "samples" / name).string(); }

TEST(CliContractTest, ExitStatuses) {
    EXPECT_EQ(testing::run({bin(), "validate", sample("facture-ubl.xml"), sample("facture-cii.xml")}).exit_code, 0);
    const testing::TempDir dir;
    const auto bad = dir.write("bad.xml", "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"/>");
    EXPECT_EQ(testing::run({bin(), "validate", bad.string()}).exit_code, 1);
    EXPECT_EQ(testing::run({bin(), "validate", "/nonexistent.xml"}).exit_code, 2);
    EXPECT_EQ(testing::run({bin(), "validate", "--bogus", sample("facture-ubl.xml")}).exit_code, 2);
}

TEST(CliContractTest, NoColourWhenNotATerminal) {
    const auto r = testing::run({bin(), "validate", "--lang", "en", sample("facture-ubl.xml")});
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
    EXPECT_NE(r.out.find("VALID"), std::string::npos);
}

}  // namespace
}  // namespace facteur
