#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "facteur/testing/testing.h"
#include "facteur/validate/schema_registry.h"

namespace facteur::validate {
namespace {

namespace fs = std::filesystem;

TEST(SchemaRegistryTest, ManifestListsEverySetWithHashes) {
    const auto& entries = manifest();
    ASSERT_FALSE(entries.empty());
    for (const char* set : {"ubl-2.1", "cii-d16b", "cii-d22b", "cdar-d22b", "facturx-1.09"}) {
        EXPECT_TRUE(std::any_of(entries.begin(), entries.end(), [&](const ManifestEntry& e) { return e.set == set; }))
            << set;
    }
    for (const ManifestEntry& e : entries) {
        EXPECT_EQ(e.sha256.size(), 64U) << e.path;
        EXPECT_TRUE(e.url.starts_with("https://")) << e.url;
    }
}

TEST(SchemaRegistryTest, MaterialisedSchemasVerify) {
    const SchemaRegistry registry(SchemaRegistryConfig{testing::schema_dir()});
    const auto verified = registry.verify_all();
    EXPECT_TRUE(verified) << verified.error().message;
}

class AlteredSchemasTest : public ::testing::Test {
protected:
    void SetUp() override {
        fs::copy(testing::schema_dir(), dir_.path() / "schemas", fs::copy_options::recursive);
        fs::permissions(dir_.path() / "schemas", fs::perms::owner_all, fs::perm_options::add);
    }
    fs::path file(const std::string& rel) const { return dir_.path() / "schemas" / rel; }
    testing::TempDir dir_;
};

TEST_F(AlteredSchemasTest, AlteredFileIsOneClearError) {
    const fs::path target = file("ubl-2.1/common/UBL-CommonBasicComponents-2.1.xsd");
    fs::permissions(target, fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(target, std::ios::app) << "<!-- tampered -->";
    SchemaRegistry registry(SchemaRegistryConfig{dir_.path() / "schemas"});
    const auto verified = registry.verify_all();
    ASSERT_FALSE(verified);
    EXPECT_EQ(verified.error().id, "SCHEMA-ALTERED");
    EXPECT_EQ(verified.error().code, core::Errc::kDataLoss);
    EXPECT_NE(verified.error().message.find("UBL-CommonBasicComponents-2.1.xsd"), std::string::npos);
    EXPECT_NE(verified.error().message.find("materialise.sh"), std::string::npos);
    const auto pool = registry.pool(SchemaSet::kUbl21);
    ASSERT_FALSE(pool);
    EXPECT_EQ(pool.error().id, "SCHEMA-ALTERED");
    EXPECT_TRUE(registry.pool(SchemaSet::kCiiD16b)) << "other sets stay usable";
}

TEST_F(AlteredSchemasTest, PoolDoesNotHashAgainWhatVerifyAllChecked) {
    SchemaRegistry registry(SchemaRegistryConfig{dir_.path() / "schemas"});
    ASSERT_TRUE(registry.verify_all());
    // Changed after the check (a comment: still a loadable schema), and not hashed again.
    const fs::path target = file("ubl-2.1/common/UBL-CommonBasicComponents-2.1.xsd");
    fs::permissions(target, fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(target, std::ios::app) << "<!-- changed after verify_all -->";
    EXPECT_TRUE(registry.pool(SchemaSet::kUbl21));
    SchemaRegistry fresh(SchemaRegistryConfig{dir_.path() / "schemas"});
    const auto pool = fresh.pool(SchemaSet::kUbl21);
    ASSERT_FALSE(pool);
    EXPECT_EQ(pool.error().id, "SCHEMA-ALTERED");
}

TEST_F(AlteredSchemasTest, WithoutTheCheckOnLoadOnlyFilesReadAreChecked) {
    const fs::path target = file("ubl-2.1/common/UBL-CommonBasicComponents-2.1.xsd");
    fs::permissions(target, fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(target, std::ios::app) << "<!-- tampered -->";
    SchemaRegistryConfig config{dir_.path() / "schemas"};
    config.check_files_on_load = false;
    config.grammar_source = GrammarSource::kBuiltIn;
    SchemaRegistry built_in(config);
    EXPECT_TRUE(built_in.pool(SchemaSet::kUbl21)) << "the built-in grammars read no file";
    EXPECT_EQ(built_in.verify_all().error().id, "SCHEMA-ALTERED") << "the caller's own check";
    config.grammar_source = GrammarSource::kSchemaFiles;
    SchemaRegistry from_files(config);
    const auto pool = from_files.pool(SchemaSet::kUbl21);
    ASSERT_FALSE(pool) << "files that are loaded are always checked first";
    EXPECT_EQ(pool.error().id, "SCHEMA-ALTERED");
}

TEST_F(AlteredSchemasTest, MissingFileIsOneClearError) {
    fs::permissions(file("cdar-d22b"), fs::perms::owner_all, fs::perm_options::add);
    fs::remove(file("cdar-d22b/CrossDomainAcknowledgementAndResponse_100pD22B.xsd"));
    SchemaRegistry registry(SchemaRegistryConfig{dir_.path() / "schemas"});
    const auto verified = registry.verify_all();
    ASSERT_FALSE(verified);
    EXPECT_EQ(verified.error().id, "SCHEMA-MISSING");
    EXPECT_FALSE(registry.pool(SchemaSet::kCdarD22b));
}

TEST(SchemaRegistryTest, EmptyFolderFailsVerification) {
    const testing::TempDir dir;
    SchemaRegistry registry(SchemaRegistryConfig{dir.path()});
    const auto pool = registry.pool(SchemaSet::kUbl21);
    ASSERT_FALSE(pool);
    EXPECT_EQ(pool.error().id, "SCHEMA-MISSING");
}

TEST(SchemaRegistryTest, LabelsAreStable) {
    EXPECT_EQ(schema_set_label(SchemaSet::kUbl21), "ubl-2.1");
    EXPECT_EQ(schema_set_label(SchemaSet::kCiiD16b), "cii-d16b");
    EXPECT_EQ(schema_set_label(SchemaSet::kCdarD22b), "cdar-d22b");
    EXPECT_EQ(schema_set_label(SchemaSet::kFacturXEn16931), "facturx-1.09-en16931");
}

}  // namespace
}  // namespace facteur::validate
