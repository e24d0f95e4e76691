#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <set>
#include <string>

#include <boost/json.hpp>

#include "facteur/cli/cli.h"
#include "facteur/core/clock.h"
#include "facteur/crypto/timestamp.h"
#include "facteur/testing/test_pki.h"
#include "facteur/testing/testing.h"
#include "facteur/tsa/http_server.h"

namespace facteur::cli {
namespace {

namespace fs = std::filesystem;

struct Out {
    int code;
    std::string out;
    std::string err;
};

Out run_cli(std::vector<std::string> args) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = run(args, out, err, false);
    return {code, out.str(), err.str()};
}

std::vector<boost::json::object> lines(const std::string& jsonl) {
    std::vector<boost::json::object> out;
    std::istringstream in(jsonl);
    for (std::string line; std::getline(in, line);) {
        out.push_back(boost::json::parse(line).as_object());
    }
    return out;
}

std::string samples() { return (testing::fixtures_dir() / "samples").string(); }

TEST(CliTest, JsonLinesFollowTheContract) {
    const Out r = run_cli({"validate", "--format", "json", "--jobs", "1", samples()});
    EXPECT_EQ(r.code, kExitOk) << r.err;
    const auto objects = lines(r.out);
    ASSERT_EQ(objects.size(), 2U);
    const auto& o = objects[0];
    for (const char* key : {"file", "syntax", "profile", "valid", "layers", "findings"}) {
        EXPECT_TRUE(o.contains(key)) << key;
    }
    EXPECT_EQ(o.at("syntax").as_string(), "cii");
    EXPECT_EQ(objects[1].at("syntax").as_string(), "ubl-invoice");
    EXPECT_TRUE(o.at("valid").as_bool());
    const auto& layer = o.at("layers").as_array().at(1).as_object();
    for (const char* key : {"name", "version", "status", "message"}) {
        EXPECT_TRUE(layer.contains(key)) << key;
    }
    EXPECT_EQ(layer.at("name").as_string(), "xsd");
    EXPECT_EQ(layer.at("status").as_string(), "valid");
}

TEST(CliTest, InvalidFileGivesExitOneAndFindingFields) {
    const testing::TempDir dir;
    std::string doc = testing::read(testing::fixtures_dir() / "samples" / "facture-ubl.xml");
    doc.replace(doc.find("<cbc:IssueDate>2026-11-20"), 25, "<cbc:IssueDate>20261120");
    const auto path = dir.write("bad.xml", doc);
    const Out r = run_cli({"validate", "--format=json", "--lang", "en", path.string()});
    EXPECT_EQ(r.code, kExitInvalid);
    const auto o = lines(r.out).at(0);
    EXPECT_FALSE(o.at("valid").as_bool());
    const auto& f = o.at("findings").as_array().at(0).as_object();
    EXPECT_EQ(f.at("rule").as_string(), "XSD");
    EXPECT_EQ(f.at("severity").as_string(), "fatal");
    EXPECT_EQ(f.at("layer").as_string(), "xsd");
    EXPECT_EQ(f.at("location").as_string(), "/Invoice/cbc:IssueDate");
    EXPECT_TRUE(f.at("line").is_int64());
    EXPECT_FALSE(f.at("message").as_string().empty());
}

TEST(CliTest, HostileFileDoesNotStopTheBatch) {
    const testing::TempDir dir;
    dir.write("a.xml", "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>");
    dir.write("b.xml", testing::read(testing::fixtures_dir() / "samples" / "facture-cii.xml"));
    const Out r = run_cli({"validate", "--format", "json", dir.path().string()});
    EXPECT_EQ(r.code, kExitInvalid);
    const auto objects = lines(r.out);
    ASSERT_EQ(objects.size(), 2U);
    EXPECT_EQ(objects[0].at("findings").as_array().at(0).as_object().at("rule").as_string(), "XML-DOCTYPE");
    EXPECT_TRUE(objects[1].at("valid").as_bool());
}

TEST(CliTest, ParallelOutputIsInInputOrderAndIdenticalToSerial) {
    const std::string corpus = (testing::fixtures_dir()).string();
    const Out serial = run_cli({"validate", "--format", "json", "--jobs", "1", corpus});
    const Out parallel = run_cli({"validate", "--format", "json", "--jobs", "3", corpus});
    EXPECT_EQ(serial.code, parallel.code);
    EXPECT_EQ(serial.out, parallel.out);
    EXPECT_GT(lines(serial.out).size(), 20U);
}

TEST(CliTest, MissingFileIsExitTwoButOtherFilesAreStillReported) {
    const Out r = run_cli({"validate", "--format", "json", "/nonexistent.xml",
                           (testing::fixtures_dir() / "samples" / "facture-ubl.xml").string()});
    EXPECT_EQ(r.code, kExitUsage);
    const auto objects = lines(r.out);
    ASSERT_EQ(objects.size(), 2U);
    EXPECT_EQ(objects[0].at("layers").as_array().at(0).as_object().at("name").as_string(), "io");
    EXPECT_TRUE(objects[1].at("valid").as_bool());
}

TEST(CliTest, UsageErrorsExitTwoWithAMessage) {
    EXPECT_EQ(run_cli({}).code, kExitUsage);
    EXPECT_EQ(run_cli({"frobnicate"}).code, kExitUsage);
    EXPECT_EQ(run_cli({"validate"}).code, kExitUsage);
    const Out layer = run_cli({"validate", "--lang", "en", "--layers", "xsd,nope", samples()});
    EXPECT_EQ(layer.code, kExitUsage);
    EXPECT_NE(layer.err.find("unknown layer 'nope'"), std::string::npos) << layer.err;
    EXPECT_EQ(run_cli({"validate", "--format", "yaml", samples()}).code, kExitUsage);
    EXPECT_EQ(run_cli({"validate", "--jobs", "0", samples()}).code, kExitUsage);
    EXPECT_EQ(run_cli({"validate", "--format"}).code, kExitUsage);
}

TEST(CliTest, RulesListHasTheExtendedCtcFrAndCdarSets) {
    const Out ext = run_cli({"rules", "list", "--format", "json", "--layer", "extended-ctc-fr"});
    ASSERT_EQ(ext.code, kExitOk) << ext.err;
    EXPECT_EQ(lines(ext.out).size(), 953U + 747U);  // every assert of EXTENDED-CTC-FR UBL and CII
    const Out cdar = run_cli({"rules", "list", "--format", "json", "--layer", "cdar"});
    ASSERT_EQ(cdar.code, kExitOk) << cdar.err;
    EXPECT_EQ(lines(cdar.out).size() % 2, 0U);  // the fatal and the _WARNING set, assert for assert
    EXPECT_GE(lines(cdar.out).size(), 2U * 42U);
}

TEST(CliTest, RulesListGivesEveryRuleWithIdSeverityLayerVersion) {
    const Out r = run_cli({"rules", "list", "--format", "json", "--layer", "en16931"});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    const auto objects = lines(r.out);
    EXPECT_EQ(objects.size(), 979U + 806U);  // every assert of the CEN UBL and CII files
    for (const auto& o : objects) {
        for (const char* key : {"id", "severity", "layer", "version", "set", "syntax", "message"}) {
            ASSERT_TRUE(o.contains(key)) << key;
        }
        EXPECT_EQ(o.at("layer").as_string(), "en16931");
        EXPECT_EQ(o.at("version").as_string(), "1.3.16");
    }
    const auto br51 = std::count_if(objects.begin(), objects.end(), [](const auto& o) {
        return o.at("id").as_string() == "BR-51" && o.at("severity").as_string() == "warning";
    });
    EXPECT_EQ(br51, 1);  // the one BR rule flagged warning, in the UBL file only (CII: fatal)
    EXPECT_EQ(run_cli({"rules", "nonsense"}).code, kExitUsage);
}

TEST(CliTest, En16931FindingsCarryLocationLineAndFrenchMessage) {
    const auto path = (testing::fixtures_dir() / "rules" / "en16931" / "ubl-line-sum-mismatch.xml").string();
    const Out r = run_cli({"validate", "--format", "json", "--lang", "fr", path});
    EXPECT_EQ(r.code, kExitInvalid) << r.err;
    const auto objects = lines(r.out);
    ASSERT_EQ(objects.size(), 1U);
    bool seen = false;
    for (const auto& f : objects[0].at("findings").as_array()) {
        const auto& o = f.as_object();
        if (o.at("rule").as_string() == "BR-CO-10") {
            seen = true;
            EXPECT_EQ(o.at("layer").as_string(), "en16931");
            EXPECT_EQ(o.at("location").as_string(), "/Invoice/cac:LegalMonetaryTotal");
            EXPECT_EQ(o.at("line").as_int64(), 105);
            EXPECT_NE(std::string(o.at("message").as_string()).find("BT-106"), std::string::npos);
            ASSERT_TRUE(o.contains("terms"));
            EXPECT_EQ(o.at("terms").as_array().at(0).as_string(), "BT-106");
        }
    }
    EXPECT_TRUE(seen);
}

TEST(CliTest, HelpAndVersion) {
    EXPECT_EQ(run_cli({"--help"}).code, kExitOk);
    EXPECT_EQ(run_cli({"validate", "--help"}).code, kExitOk);
    const Out v = run_cli({"version"});
    EXPECT_EQ(v.code, kExitOk);
    EXPECT_NE(v.out.find("facteur"), std::string::npos);
}

TEST(CliTest, TextReportSpeaksFrenchOrEnglish) {
    const std::string ubl = (testing::fixtures_dir() / "samples" / "facture-ubl.xml").string();
    const Out fr = run_cli({"validate", "--lang", "fr", ubl});
    EXPECT_NE(fr.out.find("CONFORME"), std::string::npos) << fr.out;
    EXPECT_NE(fr.out.find("1 fichier : 1 conforme(s), 0 non conforme(s)"), std::string::npos) << fr.out;
    const Out en = run_cli({"validate", "--lang", "en", ubl});
    EXPECT_NE(en.out.find("VALID"), std::string::npos);
    EXPECT_NE(en.out.find("1 file: 1 valid, 0 invalid"), std::string::npos) << en.out;
}

TEST(CliTest, MissingSchemasAreOneClearErrorAtStartUp) {
    const testing::TempDir dir;
    const Out r = run_cli({"validate", "--lang", "en", "--schemas", dir.path().string(), samples()});
    EXPECT_EQ(r.code, kExitUsage);
    EXPECT_TRUE(r.out.empty());
    EXPECT_NE(r.err.find("official schema file missing"), std::string::npos) << r.err;
    EXPECT_EQ(run_cli({"validate", "--layers", "xml", "--schemas", dir.path().string(), samples()}).code,
              kExitOk) << "the xml layer alone needs no schema";
}

TEST(CliTest, AlteredSchemasAreOneErrorAndNoReportWhateverTheJobs) {
    // The files are checked on another thread while the first documents are validated: still no
    // report is printed, serial or parallel, batch or single file, whichever set is altered.
    const testing::TempDir dir;
    const fs::path schemas = dir.path() / "schemas";
    fs::copy(testing::schema_dir(), schemas, fs::copy_options::recursive);
    fs::permissions(schemas, fs::perms::owner_all, fs::perm_options::add);
    const std::string examples =
        (testing::shared_dir() / "conformance" / "examples" / "ubl").string();
    for (const char* altered :
         {"ubl-2.1/common/UBL-CommonBasicComponents-2.1.xsd",
          "cdar-d22b/CrossDomainAcknowledgementAndResponse_100pD22B.xsd"}) {
        const fs::path target = schemas / altered;
        const std::string original = testing::read(target);
        fs::permissions(target, fs::perms::owner_write, fs::perm_options::add);
        std::ofstream(target, std::ios::app) << "<!-- tampered -->";
        for (const char* jobs : {"1", "2"}) {
            for (const std::string& input : {samples(), examples}) {
                SCOPED_TRACE(std::string(altered) + ", --jobs " + jobs + ", " + input);
                const Out r = run_cli({"validate", "--format", "json", "--lang", "en", "--jobs",
                                       jobs, "--schemas", schemas.string(), input});
                EXPECT_EQ(r.code, kExitUsage);
                EXPECT_TRUE(r.out.empty()) << r.out.substr(0, 200);
                EXPECT_NE(r.err.find("official schema file altered"), std::string::npos) << r.err;
                EXPECT_NE(r.err.find(fs::path(altered).filename().string()), std::string::npos);
            }
        }
        std::ofstream(target, std::ios::trunc | std::ios::binary) << original;
    }
    const Out restored = run_cli({"validate", "--format", "json", "--jobs", "2", "--schemas",
                                  schemas.string(), samples()});
    EXPECT_EQ(restored.code, kExitOk) << restored.err;
    EXPECT_EQ(lines(restored.out).size(), 2U);
}

}  // namespace
}  // namespace facteur::cli

namespace facteur::cli {
namespace {

std::string corpus_pdf() {
    return (testing::shared_dir() / "conformance" / "facturx" / "corpus" / "XML-Rechnung" / "FX" / "EN16931_Einfach.pdf")
        .string();
}

TEST(CliFacturXTest, ExtractWritesTheEmbeddedXmlByteForByte) {
    const Out r = run_cli({"facturx", "extract", corpus_pdf()});
    ASSERT_EQ(r.code, kExitOk) << r.err;
    const auto expected = testing::shared_dir() / "conformance" / "facturx" / "extracted" / "corpus" /
                          "XML-Rechnung" / "FX" / "EN16931_Einfach.pdf" / "factur-x.xml";
    std::ifstream f(expected, std::ios::binary);
    const std::string want((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(want.empty());
    EXPECT_EQ(r.out, want);
}

TEST(CliFacturXTest, ExtractRefusesToOverwriteAndRejectsANonPdf) {
    const auto dir = std::filesystem::temp_directory_path() / ("facteur-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string out = (dir / "f.xml").string();
    ASSERT_EQ(run_cli({"facturx", "extract", corpus_pdf(), "-o", out}).code, kExitOk);
    EXPECT_GT(std::filesystem::file_size(out), 1000U);
    const Out again = run_cli({"facturx", "extract", corpus_pdf(), "-o", out, "--lang", "en"});
    EXPECT_EQ(again.code, kExitUsage);
    EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
    EXPECT_EQ(run_cli({"facturx", "extract", corpus_pdf(), "-o", out, "--force"}).code, kExitOk);
    const Out not_pdf = run_cli({"facturx", "extract", (testing::fixtures_dir() / "samples" / "facture-ubl.xml").string()});
    EXPECT_EQ(not_pdf.code, kExitInvalid);
    EXPECT_NE(not_pdf.err.find("FX-PDF-01"), std::string::npos) << not_pdf.err;
    std::filesystem::remove_all(dir);
}

TEST(CliFacturXTest, ValidateReadsAPdfAndSaysSo) {
    const Out r = run_cli({"validate", "--format", "json", corpus_pdf()});
    const auto objects = lines(r.out);
    ASSERT_EQ(objects.size(), 1U) << r.err;
    EXPECT_EQ(objects[0].at("source").as_string(), "pdf");
    EXPECT_EQ(objects[0].at("attachment").as_string(), "factur-x.xml");
    EXPECT_EQ(objects[0].at("syntax").as_string(), "facturx");
    EXPECT_EQ(objects[0].at("layers").as_array().at(0).as_object().at("name").as_string(), "facturx-pdf");
}

TEST(CliMentionsTest, JsonCarriesTheChecklistAndTextReadsLikeOne) {
    const std::string ubl = (testing::fixtures_dir() / "samples" / "facture-ubl.xml").string();
    const Out json = run_cli({"validate", "--format", "json", "--lang", "fr", ubl});
    const auto objects = lines(json.out);
    ASSERT_EQ(objects.size(), 1U);
    const auto& mentions = objects[0].at("mentions").as_array();
    ASSERT_EQ(mentions.size(), 22U);
    const auto& siren = mentions.at(5).as_object();
    EXPECT_EQ(siren.at("id").as_string(), "FR-MENTION-06");
    EXPECT_EQ(siren.at("mention").as_string(), "SIREN du vendeur");
    EXPECT_EQ(siren.at("status").as_string(), "present");
    EXPECT_EQ(siren.at("value").as_string(), "732829320");
    EXPECT_EQ(siren.at("enforced_by").as_array().at(0).as_string(), "BR-FR-10_BT-30");

    const Out text = run_cli({"validate", "--lang", "fr", ubl});
    EXPECT_NE(text.out.find("Mentions obligatoires"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("✔ SIREN du vendeur (BT-30) : 732829320"), std::string::npos) << text.out;

    const Out rules = run_cli({"rules", "list", "--format", "json", "--layer", "mentions"});
    EXPECT_EQ(lines(rules.out).size(), 22U);
    const Out pdf_rules = run_cli({"rules", "list", "--format", "json", "--layer", "facturx-pdf"});
    EXPECT_GE(lines(pdf_rules.out).size(), 30U);
}

}  // namespace
}  // namespace facteur::cli

namespace facteur::cli {
namespace {

// UBL → CII → UBL through the CLI: each output is valid in every layer, French notes included.
TEST(CliConvertTest, RoundTripOfTheFrenchSampleStaysValidEverywhere) {
    const auto dir = std::filesystem::temp_directory_path() / ("facteur-convert-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string ubl = (testing::fixtures_dir() / "samples" / "facture-ubl.xml").string();
    const std::string cii = (dir / "f.cii.xml").string();
    const std::string back = (dir / "f.ubl.xml").string();
    const Out to_cii = run_cli({"convert", "--to", "cii", ubl, "-o", cii});
    ASSERT_EQ(to_cii.code, kExitOk) << to_cii.err;
    EXPECT_EQ(to_cii.err, "");  // nothing the CII cannot carry
    const Out to_ubl = run_cli({"convert", "--to", "ubl", cii, "-o", back});
    ASSERT_EQ(to_ubl.code, kExitOk) << to_ubl.err;
    EXPECT_NE(to_ubl.err.find("CONV-LOSS"), std::string::npos);  // BT-21 as "#CODE#": said, not hidden
    const Out check = run_cli({"validate", "--format", "json", cii, back});
    for (const auto& o : lines(check.out)) {
        EXPECT_TRUE(o.at("valid").as_bool()) << boost::json::serialize(o);
    }
    EXPECT_EQ(run_cli({"convert", "--to", "cii", ubl, "-o", cii}).code, kExitUsage);  // no overwrite
    std::filesystem::remove_all(dir);
}

TEST(CliConvertTest, UsageAndInputErrors) {
    const std::string ubl = (testing::fixtures_dir() / "samples" / "facture-ubl.xml").string();
    EXPECT_EQ(run_cli({"convert", ubl}).code, kExitUsage);  // no --to
    EXPECT_EQ(run_cli({"convert", "--to", "pdf", ubl}).code, kExitUsage);
    const Out hostile = run_cli({"convert", "--to", "cii", "--lang", "en",
                                 (testing::fixtures_dir() / "xml" / "hostile" / "billion_laughs.xml").string()});
    EXPECT_EQ(hostile.code, kExitInvalid);
    EXPECT_NE(hostile.err.find("DOCTYPE"), std::string::npos) << hostile.err;
    EXPECT_EQ(hostile.out, "");
}

}  // namespace
}  // namespace facteur::cli

namespace facteur::cli {
namespace {

TEST(CliConvertTest, ToFacturXGivesAPdfThatPassesEveryLayer) {
    const auto dir = std::filesystem::temp_directory_path() / ("facteur-fx-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string pdf = (dir / "f.pdf").string();
    const std::string ubl = (testing::fixtures_dir() / "samples" / "facture-ubl.xml").string();
    const Out made = run_cli({"convert", "--to", "facturx", ubl, "-o", pdf});
    ASSERT_EQ(made.code, kExitOk) << made.err;
    const Out check = run_cli({"validate", "--format", "json", pdf});
    const auto objects = lines(check.out);
    ASSERT_EQ(objects.size(), 1U);
    EXPECT_TRUE(objects[0].at("valid").as_bool()) << boost::json::serialize(objects[0]);
    EXPECT_EQ(objects[0].at("layers").as_array().size(), 7U);  // facturx-pdf, xml, xsd, en16931, facturx, fr, mentions
    EXPECT_TRUE(objects[0].at("findings").as_array().empty() ||
                std::all_of(objects[0].at("findings").as_array().begin(), objects[0].at("findings").as_array().end(),
                            [](const boost::json::value& f) { return f.at("severity").as_string() == "info"; }));
    std::filesystem::remove_all(dir);
}

TEST(CliArchiveTest, DepositGetProofScrubAndRefusals) {
    const auto db = std::filesystem::temp_directory_path() / ("facteur-archive-" + std::to_string(::getpid()));
    std::filesystem::remove_all(db);
    const std::string ubl = (testing::fixtures_dir() / "samples" / "facture-ubl.xml").string();
    const std::string cii = (testing::fixtures_dir() / "samples" / "facture-cii.xml").string();
    const std::string bad = (testing::fixtures_dir() / "rules" / "en16931" / "cii-empty-invoice-number.xml").string();
    const Out dep = run_cli({"archive", "deposit", "--db", db.string(), ubl, cii, ubl, bad});
    EXPECT_EQ(dep.code, kExitInvalid);  // one rejected
    const auto r = lines(dep.out);
    ASSERT_EQ(r.size(), 4U) << dep.err;
    EXPECT_EQ(r[0].at("status").as_string(), "deposited");
    EXPECT_EQ(r[1].at("status").as_string(), "deposited");
    EXPECT_EQ(r[2].at("status").as_string(), "duplicate");
    EXPECT_EQ(r[2].at("id"), r[0].at("id"));  // the first receipt again
    EXPECT_EQ(r[3].at("status").as_string(), "rejected");
    EXPECT_TRUE(r[3].at("id").is_null());
    const std::string id(r[0].at("id").as_string());

    const Out got = run_cli({"archive", "get", "--db", db.string(), id});
    std::ifstream f(ubl, std::ios::binary);
    const std::string want((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    EXPECT_EQ(got.out, want);  // byte for byte
    const Out proof = run_cli({"archive", "proof", "--db", db.string(), id});
    ASSERT_EQ(proof.code, kExitOk) << proof.err;
    EXPECT_NE(proof.out.find("\"checkpoint\""), std::string::npos);
    const Out scrub = run_cli({"archive", "scrub", "--db", db.string()});
    EXPECT_EQ(scrub.code, kExitOk) << scrub.out;
    EXPECT_EQ(run_cli({"archive", "count", "--db", db.string()}).out, "2\n");
    const Out meta = run_cli({"archive", "meta", "--db", db.string(), id});
    EXPECT_NE(meta.out.find("\"seller_siren\":\"732829320\""), std::string::npos) << meta.out;
    EXPECT_NE(meta.out.find("\"number\":\"FA-2026-000123\""), std::string::npos) << meta.out;
    // inside retention: destroy is refused
    EXPECT_NE(run_cli({"archive", "destroy", "--db", db.string(), id}).code, kExitOk);
    const Out journal = run_cli({"archive", "journal", "--db", db.string(), id});
    EXPECT_NE(journal.out.find("\"action\":\"get\""), std::string::npos) << journal.out;
    EXPECT_EQ(run_cli({"archive", "get", "--db", db.string(), "00"}).code, kExitUsage);
    std::filesystem::remove_all(db);
}

/// The newest write-ahead log of a RocksDB folder (the highest-numbered NNNNNN.log).
std::filesystem::path newest_wal(const std::filesystem::path& db) {
    std::filesystem::path newest;
    for (const auto& entry : std::filesystem::directory_iterator(db)) {
        if (entry.path().extension() == ".log" && (newest.empty() || entry.path().filename() > newest.filename())) {
            newest = entry.path();
        }
    }
    return newest;
}

TEST(CliArchiveTest, TornWalTailIsRefusedUntilTheOperatorsRecoveryWhichDropsOnlyThatRecord) {
    // What a kill during a write leaves (ADR 0004, decision 3): the last write-ahead-log record
    // cut short. The test makes it by cutting the last record of a finished deposit; after a
    // real kill that record is one whose receipt was never printed (the receipt follows the
    // synced write). Every command refuses the archive and names --recover-torn-wal; one run
    // with it drops that record only; then the archive opens normally, every earlier deposit
    // intact, and the dropped deposit can be made again.
    const auto db = std::filesystem::temp_directory_path() / ("facteur-archive-torn-" + std::to_string(::getpid()));
    std::filesystem::remove_all(db);
    const std::string ubl = (testing::fixtures_dir() / "samples" / "facture-ubl.xml").string();
    const std::string cii = (testing::fixtures_dir() / "samples" / "facture-cii.xml").string();
    const Out first = run_cli({"archive", "deposit", "--no-tsa", "--db", db.string(), ubl});
    ASSERT_EQ(first.code, kExitOk) << first.err;
    const std::string id(lines(first.out).at(0).at("id").as_string());
    const Out second = run_cli({"archive", "deposit", "--no-tsa", "--db", db.string(), cii});
    ASSERT_EQ(second.code, kExitOk) << second.err;

    const std::filesystem::path wal = newest_wal(db / "db");  // the RocksDB folder inside the archive
    ASSERT_FALSE(wal.empty());
    const std::uintmax_t size = std::filesystem::file_size(wal);
    ASSERT_GT(size, 10U) << "the second deposit's writes are in the newest log, not yet flushed";
    std::filesystem::resize_file(wal, size - 10);

    const Out refused = run_cli({"archive", "count", "--no-tsa", "--lang", "en", "--db", db.string()});
    EXPECT_EQ(refused.code, kExitUsage);
    EXPECT_NE(refused.err.find("--recover-torn-wal"), std::string::npos) << refused.err;
    const Out refused_fr = run_cli({"archive", "count", "--no-tsa", "--lang", "fr", "--db", db.string()});
    EXPECT_NE(refused_fr.err.find("relancez une fois la commande avec --recover-torn-wal"), std::string::npos)
        << refused_fr.err;

    const Out recovered = run_cli({"archive", "count", "--no-tsa", "--recover-torn-wal", "--db", db.string()});
    ASSERT_EQ(recovered.code, kExitOk) << recovered.err;
    // The torn record was the second deposit's last write: at most that deposit is gone.
    EXPECT_TRUE(recovered.out == "1\n" || recovered.out == "2\n") << recovered.out;

    // From now on the archive opens without the option, whole and consistent.
    const Out count = run_cli({"archive", "count", "--no-tsa", "--db", db.string()});
    ASSERT_EQ(count.code, kExitOk) << count.err;
    EXPECT_EQ(count.out, recovered.out);
    const Out scrub = run_cli({"archive", "scrub", "--no-tsa", "--db", db.string()});
    EXPECT_EQ(scrub.code, kExitOk) << scrub.out << scrub.err;
    const Out got = run_cli({"archive", "get", "--no-tsa", "--db", db.string(), id});
    ASSERT_EQ(got.code, kExitOk) << got.err;
    std::ifstream f(ubl, std::ios::binary);
    EXPECT_EQ(got.out, std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>()));
    // The dropped deposit, if it was dropped, can be made again: it is not a half-written one.
    const Out again = run_cli({"archive", "deposit", "--no-tsa", "--db", db.string(), cii});
    ASSERT_EQ(again.code, kExitOk) << again.err;
    const std::string status(lines(again.out).at(0).at("status").as_string());
    EXPECT_EQ(status, recovered.out == "2\n" ? "duplicate" : "deposited");
    EXPECT_EQ(run_cli({"archive", "count", "--no-tsa", "--db", db.string()}).out, "2\n");
    EXPECT_EQ(run_cli({"archive", "scrub", "--no-tsa", "--db", db.string()}).code, kExitOk);
    std::filesystem::remove_all(db);
}

}  // namespace
}  // namespace facteur::cli

namespace facteur::cli {
namespace {

TEST(CliArchiveTest, CheckpointsAreTimestampedAndBundlesVerifyAgainstTheTsaCertificate) {
    const auto dir = std::filesystem::temp_directory_path() / ("facteur-archive-tsa-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const std::string db = (dir / "db").string();
    const std::string ubl = (testing::fixtures_dir() / "samples" / "facture-ubl.xml").string();
    const Out dep = run_cli({"archive", "deposit", "--db", db, ubl});
    ASSERT_EQ(dep.code, kExitOk) << dep.err;
    const std::string id(lines(dep.out).at(0).at("id").as_string());

    // The proof's checkpoint carries a token from the local test TSA, labelled not qualified.
    const Out proof = run_cli({"archive", "proof", "--db", db, id});
    ASSERT_EQ(proof.code, kExitOk) << proof.err;
    const auto p = lines(proof.out).at(0);
    const auto& stamp = p.at("timestamp").as_object();
    EXPECT_FALSE(stamp.at("token_base64").as_string().empty());
    EXPECT_EQ(stamp.at("tsa_qualified"), boost::json::value(false));
    EXPECT_NE(std::string(stamp.at("tsa").as_string()).find("NOT QUALIFIED"), std::string::npos);

    const Out cert = run_cli({"archive", "tsa-cert", "--db", db});
    ASSERT_EQ(cert.code, kExitOk);
    EXPECT_EQ(cert.out.rfind("-----BEGIN CERTIFICATE-----", 0), 0U) << cert.out;
    std::ofstream(dir / "tsa.pem") << cert.out;
    std::ofstream(dir / "key.txt") << run_cli({"archive", "key", "--db", db}).out;
    const Out exported = run_cli({"archive", "export", "--db", db, "--out", (dir / "bundle").string()});
    ASSERT_EQ(exported.code, kExitOk) << exported.err;
    EXPECT_EQ(lines(exported.out).at(0).at("timestamped"), boost::json::value(true));

    const Out verified = run_cli({"verify", (dir / "bundle").string(), "--key", (dir / "key.txt").string(),
                                  "--tsa-cert", (dir / "tsa.pem").string()});
    EXPECT_EQ(verified.code, kExitOk) << verified.out;
    EXPECT_EQ(lines(verified.out).at(0).at("timestamp_verified"), boost::json::value(true));

    // The same bundle against the log's public key as PEM (archive key --pem).
    const Out pem = run_cli({"archive", "key", "--db", db, "--pem"});
    ASSERT_EQ(pem.out.rfind("-----BEGIN PUBLIC KEY-----", 0), 0U) << pem.out;
    std::ofstream(dir / "key.pem") << pem.out;
    EXPECT_EQ(run_cli({"verify", (dir / "bundle").string(), "--key", (dir / "key.pem").string()}).code, kExitOk);
    const Out other_key = run_cli({"archive", "key", "--db", (dir / "other-db").string(), "--pem"});
    std::ofstream(dir / "other-key.pem") << other_key.out;
    const Out wrong_key = run_cli({"verify", (dir / "bundle").string(), "--key", (dir / "other-key.pem").string()});
    EXPECT_EQ(wrong_key.code, kExitInvalid);
    EXPECT_NE(wrong_key.out.find("does not carry the given public key"), std::string::npos) << wrong_key.out;

    // Another TSA's certificate does not verify the token.
    const Out other = run_cli({"archive", "tsa-cert", "--db", (dir / "other").string()});
    std::ofstream(dir / "other.pem") << other.out;
    EXPECT_EQ(run_cli({"verify", (dir / "bundle").string(), "--key", (dir / "key.txt").string(), "--tsa-cert",
                       (dir / "other.pem").string()})
                  .code,
              kExitInvalid);
    EXPECT_EQ(run_cli({"archive", "timestamp", "--db", db, "--no-tsa"}).code, kExitUsage);
    std::filesystem::remove_all(dir);
}

TEST(CliArchiveTest, AnUnreachableTsaNeverBlocksADeposit) {
    const auto dir = std::filesystem::temp_directory_path() / ("facteur-archive-tsa-down-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const std::string db = (dir / "db").string();
    // A real certificate, but nothing listens on the port (port 9 on loopback: discard, closed).
    const Out cert = run_cli({"archive", "tsa-cert", "--db", (dir / "local").string()});
    std::ofstream(dir / "tsa.pem") << cert.out;
    const std::vector<std::string> tsa{"--tsa-url", "http://127.0.0.1:9/", "--tsa-cert", (dir / "tsa.pem").string()};
    std::vector<std::string> deposit{"archive", "deposit", "--db", db,
                                     (testing::fixtures_dir() / "samples" / "facture-ubl.xml").string()};
    deposit.insert(deposit.end(), tsa.begin(), tsa.end());
    const Out dep = run_cli(deposit);
    EXPECT_EQ(dep.code, kExitOk) << dep.err;
    EXPECT_EQ(lines(dep.out).at(0).at("status").as_string(), "deposited");
    EXPECT_NE(dep.err.find("pending"), std::string::npos) << dep.err;  // a warning, not a failure
    std::vector<std::string> timestamp{"archive", "timestamp", "--db", db, "--lang", "en"};
    timestamp.insert(timestamp.end(), tsa.begin(), tsa.end());
    const Out run = run_cli(timestamp);
    EXPECT_EQ(run.code, kExitInvalid);
    const auto o = lines(run.out).at(0);
    EXPECT_EQ(o.at("stamped").as_int64(), 0);
    EXPECT_EQ(o.at("pending").as_int64(), 1);  // the empty tree's checkpoint waits
    EXPECT_EQ(o.at("tsa_local_test"), boost::json::value(false));
    std::filesystem::remove_all(dir);
}

TEST(CliArchiveTest, AnHttpsTsaWithItsAuthorityAndAnAuthorizationStampsTheCheckpoints) {
    const auto dir = std::filesystem::temp_directory_path() / ("facteur-archive-https-tsa-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const core::SystemClock clock;
    auto remote = crypto::LocalTsa::open_or_create(dir / "remote-tsa", clock);
    ASSERT_TRUE(remote) << remote.error().message;
    const testing::TlsTestPki pki = testing::make_tls_test_pki("IP:127.0.0.1");
    tsa::TsaHttpServerConfig config;
    config.tls_certificate_pem = pki.server_cert_pem;
    config.tls_private_key_pem = pki.server_key_pem;
    config.required_authorization = "Bearer facteur-test-token";
    tsa::TsaHttpServer server(*remote, config);
    ASSERT_TRUE(server.start("127.0.0.1", 0));
    std::ofstream(dir / "ca.pem") << pki.ca_pem;
    std::ofstream(dir / "tsa.pem") << remote->certificate_pem();
    const std::string db = (dir / "db").string();
    const std::vector<std::string> tsa{"--tsa-url", "https://127.0.0.1:" + std::to_string(server.port()) + "/",
                                       "--tsa-cert", (dir / "tsa.pem").string(), "--tsa-ca",
                                       (dir / "ca.pem").string()};
    const auto with_tsa = [&](std::vector<std::string> argv) {
        argv.insert(argv.end(), tsa.begin(), tsa.end());
        return run_cli(argv);
    };
    const std::string sample = (testing::fixtures_dir() / "samples" / "facture-ubl.xml").string();

    // Without the authorization the TSA answers 401: the deposit goes through, stamping waits.
    ::unsetenv("FACTEUR_TSA_AUTHORIZATION");
    const Out waiting = with_tsa({"archive", "deposit", "--db", db, sample});
    ASSERT_EQ(waiting.code, kExitOk) << waiting.err;
    EXPECT_NE(waiting.err.find("pending"), std::string::npos) << waiting.err;
    EXPECT_NE(waiting.err.find("401"), std::string::npos) << waiting.err;

    // With it (from the environment, never the command line) every pending checkpoint is stamped.
    ASSERT_EQ(::setenv("FACTEUR_TSA_AUTHORIZATION", "Bearer facteur-test-token", 1), 0);
    const Out stamped = with_tsa({"archive", "timestamp", "--db", db});
    ASSERT_EQ(stamped.code, kExitOk) << stamped.err << stamped.out;
    const auto o = lines(stamped.out).at(0);
    EXPECT_GE(o.at("stamped").as_int64(), 1);
    EXPECT_EQ(o.at("pending").as_int64(), 0);
    EXPECT_EQ(o.at("tsa_local_test"), boost::json::value(false));
    const std::string id(lines(waiting.out).at(0).at("id").as_string());
    // The proof signs a checkpoint covering the deposit and stamps it before answering.
    const Out proof = with_tsa({"archive", "proof", "--db", db, id});
    ::unsetenv("FACTEUR_TSA_AUTHORIZATION");
    ASSERT_EQ(proof.code, kExitOk) << proof.err;
    EXPECT_EQ(lines(proof.out).at(0).at("tree_size").as_int64(), 1);
    const auto timestamp = lines(proof.out).at(0).at("timestamp");
    ASSERT_TRUE(timestamp.is_object()) << proof.out;
    EXPECT_NE(std::string(timestamp.at("tsa").as_string()).find("NOT QUALIFIED"), std::string::npos);
    EXPECT_EQ(run_cli({"archive", "scrub", "--db", db, "--no-tsa"}).code, kExitOk);
    server.stop();
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace facteur::cli

namespace facteur::cli {
namespace {

TEST(CliArchiveTest, ParallelDepositsGiveOneReceiptPerFileAndDenseLeaves) {
    const auto dir = std::filesystem::temp_directory_path() / ("facteur-archive-jobs-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ifstream in(testing::fixtures_dir() / "samples" / "facture-ubl.xml", std::ios::binary);
    const std::string ubl((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> argv{"archive", "deposit", "--db", (dir / "db").string(), "--no-tsa", "--jobs", "4"};
    std::set<std::string> files;
    for (int n = 0; n < 12; ++n) {  // twelve invoices: the sample renumbered
        std::string bytes = ubl;
        const auto at = bytes.find("FA-2026-000123");
        ASSERT_NE(at, std::string::npos);
        bytes.replace(at, 14, "FA-2026-" + std::to_string(900000 + n));
        const auto path = dir / ("f" + std::to_string(n) + ".xml");
        std::ofstream(path, std::ios::binary) << bytes;
        argv.push_back(path.string());
        files.insert(path.string());
    }
    const Out dep = run_cli(argv);
    ASSERT_EQ(dep.code, kExitOk) << dep.err << dep.out;
    std::set<std::string> receipted;
    std::set<std::int64_t> leaves;
    for (const auto& r : lines(dep.out)) {
        EXPECT_EQ(r.at("status").as_string(), "deposited") << boost::json::serialize(r);
        receipted.insert(std::string(r.at("file").as_string()));
        leaves.insert(r.at("leaf_index").as_int64());
    }
    EXPECT_EQ(receipted, files);
    EXPECT_EQ(leaves.size(), 12U);
    EXPECT_EQ(*leaves.rbegin(), 11);  // 0..11, no hole
    EXPECT_EQ(run_cli({"archive", "scrub", "--db", (dir / "db").string(), "--no-tsa"}).code, kExitOk);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace facteur::cli
