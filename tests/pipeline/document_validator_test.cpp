#include <gtest/gtest.h>

#include <string>

#include "facteur/core/file.h"
#include "facteur/pipeline/document_validator.h"
#include "facteur/testing/testing.h"

namespace facteur::pipeline {
namespace {

using model::LayerStatus;

class DocumentValidatorTest : public ::testing::Test {
protected:
    static validate::SchemaRegistry& registry() {
        static validate::SchemaRegistry instance(validate::SchemaRegistryConfig{testing::schema_dir()});
        return instance;
    }
    static std::string sample(const std::string& name) {
        return testing::read(testing::fixtures_dir() / "samples" / name);
    }
    static const model::LayerResult* layer(const model::Report& r, std::string_view name) {
        for (const auto& l : r.layers) {
            if (l.name == name) {
                return &l;
            }
        }
        return nullptr;
    }
};

TEST_F(DocumentValidatorTest, ValidInvoiceRunsXmlThenXsdThenEn16931ThenFrThenMentions) {
    DocumentValidator validator(registry(), {});
    const model::Report r = validator.validate(sample("facture-ubl.xml"), "f.xml");
    EXPECT_TRUE(r.valid());
    EXPECT_EQ(r.file, "f.xml");
    EXPECT_EQ(r.syntax, model::Syntax::kUblInvoice);
    EXPECT_EQ(r.profile, "urn:cen.eu:en16931:2017");
    ASSERT_EQ(r.layers.size(), 5U);  // xml, xsd, en16931, fr, mentions
    EXPECT_EQ(r.layers[0].name, "xml");
    EXPECT_EQ(r.layers[1].name, "xsd");
    EXPECT_EQ(r.layers[1].version, "ubl-2.1");
    EXPECT_EQ(r.layers[1].status, LayerStatus::kValid);
    EXPECT_EQ(r.layers[2].name, "en16931");
    EXPECT_EQ(r.layers[2].version, "1.3.16");
    EXPECT_EQ(r.layers[2].status, LayerStatus::kValid);
    EXPECT_EQ(r.layers[3].name, "fr");
    EXPECT_EQ(r.layers[3].version, "fnfe-1.4.0");
    EXPECT_EQ(r.layers[3].status, LayerStatus::kValid);
    EXPECT_EQ(r.layers[4].name, "mentions");
    EXPECT_EQ(r.layers[4].status, LayerStatus::kValid);
}

TEST_F(DocumentValidatorTest, CiiUsesD16bByDefaultAndD22bOnRequest) {
    DocumentValidator d16b(registry(), {});
    EXPECT_EQ(layer(d16b.validate(sample("facture-cii.xml"), "c"), "xsd")->version, "cii-d16b");
    ValidationOptions options;
    options.cii_schema = CiiSchema::kD22b;
    DocumentValidator d22b(registry(), options);
    const model::Report r = d22b.validate(sample("facture-cii.xml"), "c");
    EXPECT_EQ(layer(r, "xsd")->version, "cii-d22b");
}

TEST_F(DocumentValidatorTest, NotWellFormedSkipsXsdAndIsNeverValid) {
    DocumentValidator validator(registry(), {});
    const model::Report r = validator.validate("<Invoice><a></Invoice>", "bad.xml");
    EXPECT_FALSE(r.valid());
    EXPECT_EQ(layer(r, "xml")->status, LayerStatus::kInvalid);
    EXPECT_EQ(layer(r, "xsd")->status, LayerStatus::kSkipped);
    ASSERT_EQ(r.findings.size(), 1U);
    EXPECT_EQ(r.findings[0].rule, "XML-MALFORMED");
}

TEST_F(DocumentValidatorTest, UnknownRootIsAnXsdFinding) {
    DocumentValidator validator(registry(), {});
    const model::Report r = validator.validate("<Order xmlns=\"urn:x\"/>", "o.xml");
    EXPECT_FALSE(r.valid());
    EXPECT_EQ(r.syntax, model::Syntax::kUnknown);
    EXPECT_EQ(layer(r, "xsd")->status, LayerStatus::kInvalid);
    EXPECT_EQ(r.findings.back().rule, "FMT-UNKNOWN");
}

TEST_F(DocumentValidatorTest, ABrokenPdfIsRejectedByTheContainerLayerAlone) {
    DocumentValidator validator(registry(), {});
    const model::Report r = validator.validate("%PDF-1.7\n%...", "f.pdf");
    EXPECT_FALSE(r.valid());
    EXPECT_EQ(r.syntax, model::Syntax::kFacturX);
    EXPECT_TRUE(r.from_pdf);
    ASSERT_EQ(r.layers.size(), 1U);  // no XML to go on with
    EXPECT_EQ(layer(r, "facturx-pdf")->status, LayerStatus::kInvalid);
    ASSERT_FALSE(r.findings.empty());
    EXPECT_EQ(r.findings.front().rule.substr(0, 7), "FX-PDF-");
}

TEST_F(DocumentValidatorTest, AFacturXPdfRunsTheContainerLayerThenEveryXmlLayerOnItsInvoice) {
    const auto pdf = testing::shared_dir() / "conformance" / "facturx" / "corpus" / "XML-Rechnung" / "FX" /
                     "EN16931_Einfach.pdf";
    auto bytes = core::read_file(pdf, 1U << 24U);
    ASSERT_TRUE(bytes.has_value()) << pdf;
    DocumentValidator validator(registry(), {});
    const model::Report r = validator.validate(*bytes, "f.pdf");
    EXPECT_TRUE(r.from_pdf);
    EXPECT_EQ(r.attachment, "factur-x.xml");
    EXPECT_EQ(r.syntax, model::Syntax::kFacturX);
    EXPECT_EQ(r.profile, "urn:cen.eu:en16931:2017");
    ASSERT_GE(r.layers.size(), 5U);
    EXPECT_EQ(r.layers[0].name, "facturx-pdf");
    EXPECT_EQ(r.layers[0].status, LayerStatus::kValid);
    EXPECT_EQ(r.layers[1].name, "xml");
    EXPECT_EQ(layer(r, "xsd")->status, LayerStatus::kValid);
    EXPECT_EQ(layer(r, "en16931")->status, LayerStatus::kValid);  // a German EN 16931 invoice
    EXPECT_EQ(layer(r, "fr")->status, LayerStatus::kInvalid);     // without the French mentions
    EXPECT_EQ(r.mentions.size(), 22U);
}

TEST_F(DocumentValidatorTest, ZipIsRejected) {
    DocumentValidator validator(registry(), {});
    const model::Report r = validator.validate(std::string("PK\x03\x04....", 8), "a.zip");
    EXPECT_FALSE(r.valid());
    EXPECT_EQ(r.findings.back().rule, "FMT-ZIP");
}

TEST_F(DocumentValidatorTest, LayersOptionRunsOnlyXml) {
    ValidationOptions options;
    options.layers = {"xml"};
    DocumentValidator validator(registry(), options);
    const model::Report r = validator.validate(sample("facture-ubl.xml"), "f.xml");
    ASSERT_EQ(r.layers.size(), 1U);
    EXPECT_EQ(r.layers[0].name, "xml");
    EXPECT_TRUE(r.valid());
}

TEST_F(DocumentValidatorTest, MissingFileIsAnIoError) {
    DocumentValidator validator(registry(), {});
    const model::Report r = validator.validate_file("/nonexistent/f.xml");
    EXPECT_FALSE(r.valid());
    EXPECT_EQ(layer(r, "io")->status, LayerStatus::kError);
    EXPECT_EQ(r.findings.back().rule, "IO-NOT-FOUND");
}

TEST_F(DocumentValidatorTest, OversizedFileIsASizeFindingWithoutReadingItAll) {
    const testing::TempDir dir;
    ValidationOptions options;
    options.limits.document_bytes_max = 1000;
    DocumentValidator validator(registry(), options);
    const auto at_limit = dir.write("ok.xml", "<r>" + std::string(993, 'x') + "</r>");
    const auto over = dir.write("big.xml", "<r>" + std::string(994, 'x') + "</r>");
    EXPECT_NE(validator.validate_file(at_limit).findings.front().rule, "XML-LIMIT-SIZE");
    const model::Report r = validator.validate_file(over);
    EXPECT_EQ(r.findings.front().rule, "XML-LIMIT-SIZE");
    EXPECT_EQ(layer(r, "xml")->status, LayerStatus::kInvalid);
}

TEST_F(DocumentValidatorTest, SchemaLocationHintIsReportedAsIgnored) {
    DocumentValidator validator(registry(), {});
    std::string doc = sample("facture-ubl.xml");
    doc.replace(doc.find("xmlns:cac="), 10,
                "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                "xsi:schemaLocation=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2 "
                "http://127.0.0.1:9/x.xsd\" xmlns:cac=");
    const model::Report r = validator.validate(doc, "f.xml");
    EXPECT_TRUE(r.valid());
    ASSERT_EQ(r.count(model::Severity::kInfo, "xml"), 1U);
    EXPECT_EQ(r.findings.front().rule, "XML-SCHEMALOCATION-IGNORED");
}

}  // namespace
}  // namespace facteur::pipeline
