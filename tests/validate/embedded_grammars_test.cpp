// The grammars compiled into the binary (GrammarSource::kBuiltIn) against the reference: the same
// grammars built by Xerces from the schema files (kSchemaFiles). Every finding of every document
// must be the same, for every schema set, valid and invalid documents alike (an invalid one
// quotes the expected content model in its message).

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/testing/testing.h"
#include "facteur/validate/schema_registry.h"
#include "facteur/validate/xsd_validator.h"

namespace facteur::validate {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> xml_files_below(const fs::path& dir) {
    std::vector<fs::path> out;
    if (!fs::is_directory(dir)) {
        return out;
    }
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.path().extension() == ".xml") {
            out.push_back(entry.path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// The sets a document is checked against: its own, and for a CII invoice also D22B and the five
/// Factur-X profiles (most of which it breaks, which is the point: their messages differ).
std::vector<SchemaSet> sets_for(const std::string& bytes) {
    if (bytes.find("urn:oasis:names:specification:ubl:schema:xsd:") != std::string::npos) {
        return {SchemaSet::kUbl21};
    }
    if (bytes.find("CrossDomainAcknowledgementAndResponse") != std::string::npos) {
        return {SchemaSet::kCdarD22b};
    }
    if (bytes.find("CrossIndustryInvoice") != std::string::npos) {
        return {SchemaSet::kCiiD16b,       SchemaSet::kCiiD22b,        SchemaSet::kFacturXMinimum,
                SchemaSet::kFacturXBasicWl, SchemaSet::kFacturXBasic,  SchemaSet::kFacturXEn16931,
                SchemaSet::kFacturXExtended};
    }
    return {};
}

std::string render(const std::vector<model::Finding>& findings) {
    std::string out;
    for (const model::Finding& f : findings) {
        out += f.rule + "|" + std::to_string(static_cast<int>(f.severity)) + "|" + f.location + "|" +
               std::to_string(f.line) + "|" + f.message + "|" + f.message_fr + "\n";
    }
    return out;
}

TEST(EmbeddedGrammarsTest, EverySetGivesTheFindingsOfTheSchemaFiles) {
    SchemaRegistry built_in(SchemaRegistryConfig{testing::schema_dir(), GrammarSource::kBuiltIn});
    SchemaRegistry reference(SchemaRegistryConfig{testing::schema_dir(), GrammarSource::kSchemaFiles});
    XsdValidator fast(built_in);
    XsdValidator slow(reference);

    std::vector<fs::path> documents = xml_files_below(testing::fixtures_dir() / "samples");
    const fs::path conformance = testing::shared_dir() / "conformance";
    for (const char* folder : {"examples", "cdar"}) {
        const std::vector<fs::path> more = xml_files_below(conformance / folder);
        documents.insert(documents.end(), more.begin(), more.end());
    }
    const std::vector<fs::path> mutations = xml_files_below(conformance / "mutations");
    for (std::size_t k = 0; k < mutations.size(); k += 4) {  // a quarter: every kind of mutation
        documents.push_back(mutations[k]);
    }

    std::size_t compared = 0;
    std::size_t with_findings = 0;
    std::array<std::size_t, kSchemaSetCount> per_set{};
    for (const fs::path& path : documents) {
        const std::string bytes = testing::read(path);
        for (const SchemaSet set : sets_for(bytes)) {
            const auto got = fast.validate(bytes, set);
            const auto want = slow.validate(bytes, set);
            ASSERT_TRUE(got) << path << ": " << got.error().message;
            ASSERT_TRUE(want) << path << ": " << want.error().message;
            EXPECT_EQ(render(*got), render(*want)) << path << " against " << schema_set_label(set);
            ++compared;
            ++per_set[static_cast<std::size_t>(set)];
            with_findings += got->empty() ? 0 : 1;
        }
    }
    std::printf("%zu validations compared, %zu with findings\n", compared, with_findings);
    EXPECT_GT(with_findings, 100U);
    for (std::size_t n = 0; n < kSchemaSetCount; ++n) {
        EXPECT_GT(per_set[n], 0U) << "no document checked against "
                                  << schema_set_label(static_cast<SchemaSet>(n));
    }
}

TEST(EmbeddedGrammarsTest, AlteredSchemaFileIsRefusedBeforeTheBuiltInGrammarsAreUsed) {
    const testing::TempDir dir;
    fs::copy(testing::schema_dir(), dir.path(), fs::copy_options::recursive);
    const fs::path file = dir.path() / "ubl-2.1" / "maindoc" / "UBL-Invoice-2.1.xsd";
    std::string text = testing::read(file);
    text += "\n<!-- altered -->\n";
    dir.write("ubl-2.1/maindoc/UBL-Invoice-2.1.xsd", text);
    SchemaRegistry registry(SchemaRegistryConfig{dir.path(), GrammarSource::kBuiltIn});
    const auto pool = registry.pool(SchemaSet::kUbl21);
    ASSERT_FALSE(pool);
    EXPECT_EQ(pool.error().id, "SCHEMA-ALTERED");
}

}  // namespace
}  // namespace facteur::validate
