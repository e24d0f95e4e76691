#include "facteur/archive/bundle.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "facteur/archive/archive.h"
#include "facteur/core/clock.h"
#include "facteur/core/file.h"
#include "facteur/testing/testing.h"

namespace facteur::archive {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kStartMs = 1'790'000'000'000;  // 2026-09-21
constexpr std::int64_t kYearMs = 366LL * 24 * 3600 * 1000;

DepositRequest request(const std::string& number, std::string bytes) {
    DepositRequest r;
    r.bytes = std::move(bytes);
    r.tenant = "tenant-a";
    r.invoice.seller_siren = "123456789";
    r.invoice.buyer_siren = "987654321";
    r.invoice.number = number;
    r.invoice.issue_date = "2026-03-15";
    r.invoice.type_code = "380";
    r.invoice.currency = "EUR";
    r.invoice.total_without_vat = "1000.00";
    r.invoice.total_vat = "200.00";
    r.invoice.total_with_vat = "1200.00";
    r.invoice.syntax = "UBL";
    r.invoice.profile = "urn:cen.eu:en16931:2017";
    r.verdict_json = R"({"verdict":"accepted","note":"quote \" and \\ and tab	"})";
    return r;
}

std::string slurp(const fs::path& path) {
    auto bytes = core::read_file(path, 1 << 20);
    EXPECT_TRUE(bytes) << path;
    return bytes ? *bytes : std::string();
}

void put(const fs::path& path, std::string_view bytes) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void flip_byte(const fs::path& path, std::size_t at) {
    std::string bytes = slurp(path);
    ASSERT_LT(at, bytes.size());
    bytes[at] = static_cast<char>(bytes[at] ^ 0x01);
    put(path, bytes);
}

class BundleTest : public ::testing::Test {
protected:
    void SetUp() override {
        ArchiveOptions options;
        options.sync_access_journal = false;
        auto opened = Archive::open(dir_.path() / "archive", options, clock_);
        ASSERT_TRUE(opened) << opened.error().message;
        archive_ = std::move(*opened);
        for (int i = 0; i < 3; ++i) {
            // Sizes around the BlobDB threshold, binary content with NULs.
            std::string bytes(static_cast<std::size_t>(100 + i * 3000), '\0');
            for (std::size_t j = 0; j < bytes.size(); ++j) {
                bytes[j] = static_cast<char>((j * 31 + static_cast<std::size_t>(i) * 7) & 0xff);
            }
            auto receipt = archive_->deposit(request("FA-" + std::to_string(i + 1), bytes));
            ASSERT_TRUE(receipt) << receipt.error().message;
            ids_.push_back(receipt->id);
            clock_.advance_ms(1000);
        }
        key_ = archive_->verifier().verifier_key();
    }

    fs::path fresh_export() {
        const fs::path out = dir_.path() / ("bundle-" + std::to_string(exports_++));
        auto summary = export_bundle(*archive_, ListFilter{}, out);
        EXPECT_TRUE(summary) << (summary ? "" : summary.error().message);
        return out;
    }

    fs::path object(const fs::path& bundle, std::size_t i) const {
        return bundle / "objects" / ids_.at(i);
    }

    testing::TempDir dir_;
    core::ManualClock clock_{kStartMs};
    std::unique_ptr<Archive> archive_;
    std::vector<std::string> ids_;
    std::string key_;
    int exports_ = 0;
};

TEST_F(BundleTest, ExportVerifies) {
    const fs::path out = dir_.path() / "bundle";
    auto summary = export_bundle(*archive_, ListFilter{}, out);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->objects, 3U);
    EXPECT_EQ(summary->originals, 3U);
    EXPECT_EQ(summary->tree_size, 3U);

    BundleReport report;
    verify_bundle(out, key_ + "\n", report);
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
    EXPECT_EQ(report.objects, 3U);
    EXPECT_EQ(report.originals_verified, 3U);
    EXPECT_EQ(report.metadata_verified, 3U);
    EXPECT_EQ(report.proofs_verified, 3U);
    EXPECT_EQ(report.manifest_files, 3U + 3U * 5U);  // README, key, checkpoint; 5 per object
    EXPECT_EQ(report.tree_size, 3U);

    // Originals are exported byte for byte; the same checkpoint serves every proof.
    for (std::size_t i = 0; i < ids_.size(); ++i) {
        auto original = archive_->get(ids_[i]);
        ASSERT_TRUE(original);
        EXPECT_EQ(slurp(object(out, i) / "original"), *original);
    }
    EXPECT_EQ(slurp(out / "checkpoint.txt"), archive_->latest_checkpoint());

    // Exporting into a non-empty directory is refused.
    EXPECT_FALSE(export_bundle(*archive_, ListFilter{}, out));
}

TEST_F(BundleTest, TamperMatrixIsDetected) {
    struct Tamper {
        std::string name;
        std::function<void(const fs::path&)> apply;
        std::string expect;  ///< a problem must contain this: the intended check fired
        bool other_key = false;
    };

    const std::vector<Tamper> matrix = {
        {"flip a byte of an original",
         [&](const fs::path& b) { flip_byte(object(b, 1) / "original", 50); },
         "original does not match"},
        {"flip a proof hash",
         [&](const fs::path& b) {
             const fs::path proof = object(b, 0) / "proof.json";
             std::string text = slurp(proof);
             const std::size_t at = text.find("    \"") + 10;  // a hex digit of the first hash
             text[at] = text[at] == '0' ? '1' : '0';
             put(proof, text);
         },
         "inclusion proof does not verify"},
        {"flip the checkpoint text",
         [&](const fs::path& b) {
             const std::string text = slurp(b / "checkpoint.txt");
             flip_byte(b / "checkpoint.txt", text.find('\n') + 1);  // the tree size
         },
         "checkpoint.txt does not verify"},
        {"flip the signature",
         [&](const fs::path& b) {
             const std::string text = slurp(b / "checkpoint.txt");
             const std::size_t line = text.rfind("\n", text.size() - 2);
             std::string changed = text;
             const std::size_t at = text.size() - 10;
             ASSERT_GT(at, line);
             changed[at] = changed[at] == 'A' ? 'B' : 'A';
             put(b / "checkpoint.txt", changed);
         },
         "checkpoint.txt does not verify"},
        {"swap two originals",
         [&](const fs::path& b) {
             const std::string first = slurp(object(b, 0) / "original");
             const std::string second = slurp(object(b, 2) / "original");
             put(object(b, 0) / "original", second);
             put(object(b, 2) / "original", first);
         },
         "original does not match"},
        {"delete a proof", [&](const fs::path& b) { fs::remove(object(b, 2) / "proof.json"); },
         ": proof.json: "},
        {"another key", [](const fs::path&) {}, "verifier-key.txt is not the given key", true},
        {"flip meta.json", [&](const fs::path& b) { flip_byte(object(b, 0) / "meta.json", 20); },
         "meta.json does not match"},
        {"flip metadata.record",
         [&](const fs::path& b) { flip_byte(object(b, 1) / "metadata.record", 40); },
         "SHA-256 of metadata.record differs"},
        {"flip leaf.txt (its index)",
         [&](const fs::path& b) { flip_byte(object(b, 2) / "leaf.txt", 30); },
         "proof.json is for another leaf"},
        {"extra file", [&](const fs::path& b) { put(b / "objects" / "extra.txt", "x"); },
         "not listed in the manifest"},
        {"delete an original", [&](const fs::path& b) { fs::remove(object(b, 0) / "original"); },
         "original missing and no destruction record"},
    };

    // A key of another archive, same origin.
    testing::TempDir other_dir;
    auto other = Archive::open(other_dir.path() / "archive", ArchiveOptions{}, clock_);
    ASSERT_TRUE(other);
    const std::string other_key = (*other)->verifier().verifier_key();
    ASSERT_NE(other_key, key_);

    std::size_t detected = 0;
    for (const Tamper& tamper : matrix) {
        const fs::path bundle = fresh_export();
        tamper.apply(bundle);
        BundleReport report;
        verify_bundle(bundle, tamper.other_key ? other_key : key_, report);
        EXPECT_FALSE(report.ok()) << tamper.name;
        const bool fired = std::any_of(
            report.problems.begin(), report.problems.end(),
            [&](const std::string& p) { return p.find(tamper.expect) != std::string::npos; });
        EXPECT_TRUE(fired) << tamper.name << ": no problem contains '" << tamper.expect << "'";
        if (!report.ok() && fired) {
            ++detected;
        }
        fs::remove_all(bundle);
    }
    EXPECT_EQ(detected, matrix.size());
}

TEST_F(BundleTest, DestroyedObjectKeepsLeafProofAndRecord) {
    clock_.advance_ms(11 * kYearMs);
    auto record = archive_->destroy(ids_[1], "ops");
    ASSERT_TRUE(record) << record.error().message;

    const fs::path out = dir_.path() / "bundle";
    auto summary = export_bundle(*archive_, ListFilter{}, out);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->destroyed, 1U);
    EXPECT_FALSE(fs::exists(object(out, 1) / "original"));
    EXPECT_EQ(slurp(object(out, 1) / "destruction.txt"), *record);

    BundleReport report;
    verify_bundle(out, key_, report);
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
    EXPECT_EQ(report.destroyed_verified, 1U);
    EXPECT_EQ(report.originals_verified, 2U);
    EXPECT_EQ(report.proofs_verified, 3U);

    // A destruction record moved to another object does not stand in for its original.
    fs::copy_file(object(out, 1) / "destruction.txt", object(out, 0) / "destruction.txt");
    fs::remove(object(out, 0) / "original");
    BundleReport moved;
    verify_bundle(out, key_, moved);
    EXPECT_FALSE(moved.ok());
}

TEST(BundleVerify, GarbageKeyAndMissingBundle) {
    testing::TempDir dir;
    BundleReport report;
    verify_bundle(dir.path() / "nothing", "not a key", report);
    EXPECT_FALSE(report.ok());
    EXPECT_EQ(report.problem_count, 1U);
}

}  // namespace
}  // namespace facteur::archive
