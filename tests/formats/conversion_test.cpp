// UBL ⇄ CII conversion over every CEN example document (../shared/conformance/examples): for a
// UBL document UBL → CII → UBL, for a CII document CII → UBL → CII. Each hop must
//  (a) keep every business term value: model::flatten of the source equals that of the written
//      document read back, except for the terms named by the hop's losses;
//  (b) be XSD-valid (UBL 2.1 Invoice / CreditNote, CII D16B);
//  (c) get the same EN 16931 verdict as the source: the same multiset of (rule, severity) in the
//      en16931 layer (the examples have none).
// The losses met are printed per direction at the end, with "N passed, M failed".

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "facteur/formats/cii/cii_reader.h"
#include "facteur/formats/cii/cii_writer.h"
#include "facteur/formats/ubl/ubl_reader.h"
#include "facteur/formats/ubl/ubl_writer.h"
#include "facteur/pipeline/document_validator.h"

#include "example_files.h"

namespace facteur::formats {
namespace {

namespace ex = testing::examples;

enum class Syntax { kUbl, kCii };

std::optional<model::Invoice> read_as(Syntax syntax, const std::string& bytes) {
    const auto doc = ex::parse(bytes);
    if (!doc) {
        return std::nullopt;
    }
    auto invoice = syntax == Syntax::kUbl ? ubl::read_ubl(*doc) : cii::read_cii(*doc);
    if (!invoice) {
        ADD_FAILURE() << invoice.error().message;
        return std::nullopt;
    }
    return std::move(*invoice);
}

core::Result<model::Written> write_as(Syntax syntax, const model::Invoice& invoice) {
    return syntax == Syntax::kUbl ? ubl::write_ubl(invoice, model::WriteOptions{})
                                  : cii::write_cii(invoice, model::WriteOptions{});
}

// "occurrence/term" as in model::Loss::term_or_path.
std::string key_of(const model::FlatValue& f) {
    return f.occurrence.empty() ? std::string(f.term) : f.occurrence + "/" + std::string(f.term);
}

std::multiset<std::string> terms_of(const model::Invoice& invoice) {
    std::multiset<std::string> out;
    for (const model::FlatValue& f : model::flatten(invoice)) {
        out.insert(key_of(f) + " = " + f.value);
    }
    return out;
}

// Does the loss `path` name the value at `key`: the term itself, one of its sub-terms ("BT-125"
// names "BT-125-1"), or a group or repeated term occurrence that holds it?
bool covers(const std::string& path, const std::string& key) {
    return key == path || key.starts_with(path + "/") || key.starts_with(path + "[")
           || key.starts_with(path + "-");
}

// The term values that differ between `a` and `b` and that no loss names ("-" only in a, "+"
// only in b).
std::vector<std::string> unexplained_differences(const model::Invoice& a, const model::Invoice& b,
                                                 const std::vector<model::Loss>& losses) {
    const auto ta = terms_of(a);
    const auto tb = terms_of(b);
    std::vector<std::string> only_a;
    std::vector<std::string> only_b;
    std::set_difference(ta.begin(), ta.end(), tb.begin(), tb.end(), std::back_inserter(only_a));
    std::set_difference(tb.begin(), tb.end(), ta.begin(), ta.end(), std::back_inserter(only_b));
    std::vector<std::string> out;
    const auto check = [&](const std::vector<std::string>& list, const char* sign) {
        for (const std::string& entry : list) {
            const std::string key = entry.substr(0, entry.find(" = "));
            const bool explained = std::any_of(losses.begin(), losses.end(), [&](const auto& l) {
                return covers(l.term_or_path, key);
            });
            if (!explained) {
                out.push_back(sign + entry);
            }
        }
    };
    check(only_a, "- ");
    check(only_b, "+ ");
    return out;
}

using RuleCounts = std::multiset<std::pair<std::string, model::Severity>>;

struct Verdict {
    bool xsd_valid = false;
    std::vector<std::string> xsd_findings;
    RuleCounts en16931;
};

// The loss paths met, per direction, with the source path's positions removed
// ("/Invoice/cac:X[2]" -> "/Invoice/cac:X", "BG-25[3]/BG-29/BT-147" -> "BG-25/BG-29/BT-147").
struct Summary {
    int passed = 0;
    int failed = 0;
    std::map<std::string, std::map<std::string, int>> losses;  // direction -> path -> count
};

Summary& summary() {
    static Summary instance;
    return instance;
}

std::string without_positions(std::string path) {
    for (std::size_t open = path.find('['); open != std::string::npos; open = path.find('[')) {
        path.erase(open, path.find(']', open) + 1 - open);
    }
    return path;
}

class ConversionTest : public ::testing::TestWithParam<std::string> {
protected:
    static validate::SchemaRegistry& registry() {
        static validate::SchemaRegistry instance(
            validate::SchemaRegistryConfig{testing::schema_dir()});
        return instance;
    }

    static Verdict verdict_of(const std::string& bytes) {
        pipeline::ValidationOptions options;
        options.layers = {"xml", "xsd", "en16931"};
        options.cii_schema = pipeline::CiiSchema::kD16b;
        pipeline::DocumentValidator validator(registry(), options);
        const model::Report report = validator.validate(bytes, "converted.xml");
        Verdict v;
        for (const model::LayerResult& layer : report.layers) {
            if (layer.name == "xsd") {
                v.xsd_valid = layer.status == model::LayerStatus::kValid;
            }
        }
        for (const model::Finding& f : report.findings) {
            if (f.layer == "xsd" || f.layer == "xml") {
                v.xsd_findings.push_back(f.rule + " line " + std::to_string(f.line) + ": "
                                         + f.message);
            } else if (f.layer == "en16931") {
                v.en16931.insert({f.rule, f.severity});
            }
        }
        return v;
    }

    // One hop: write `from` in `target`, check the output, read it back into `to`.
    void hop(const model::Invoice& from, const model::Invoice& origin, Syntax target,
             const std::string& direction, const RuleCounts& expected_rules,
             std::vector<model::Loss>& losses, model::Invoice& to) {
        auto written = write_as(target, from);
        ASSERT_TRUE(written) << direction << ": " << written.error().message;
        for (const model::Loss& loss : written->losses) {
            EXPECT_FALSE(loss.message.empty());
            EXPECT_FALSE(loss.message_fr.empty());
            ++summary().losses[direction][without_positions(loss.term_or_path)];
            losses.push_back(loss);
        }
        auto read = read_as(target, written->xml);
        ASSERT_TRUE(read) << direction;
        to = std::move(*read);
        EXPECT_TRUE(to.unmapped.empty())
            << direction << ": the writer wrote an element the reader does not map: "
            << to.unmapped.front().path;
        EXPECT_EQ(to.problems.size(), from.problems.size()) << direction;
        for (const std::string& d : unexplained_differences(origin, to, losses)) {
            ADD_FAILURE() << direction << ": term value changed without a loss: " << d;
        }
        const Verdict v = verdict_of(written->xml);
        EXPECT_TRUE(v.xsd_valid) << direction;
        for (const std::string& f : v.xsd_findings) {
            ADD_FAILURE() << direction << ": " << f;
        }
        EXPECT_EQ(v.en16931, expected_rules) << direction << ": EN 16931 verdict differs";
    }
};

TEST_P(ConversionTest, RoundTripKeepsTermsValidityAndVerdict) {
    const std::string& file = GetParam();
    const Syntax source = file.starts_with("cii/") ? Syntax::kCii : Syntax::kUbl;
    const Syntax other = source == Syntax::kUbl ? Syntax::kCii : Syntax::kUbl;
    const std::string there = source == Syntax::kUbl ? "UBL -> CII" : "CII -> UBL";
    const std::string back = source == Syntax::kUbl ? "CII -> UBL" : "UBL -> CII";
    const std::string text = ex::text_of(file);
    const auto original = read_as(source, text);
    ASSERT_TRUE(original);
    const Verdict input = verdict_of(text);
    ASSERT_TRUE(input.xsd_valid) << "the example itself";
    std::vector<model::Loss> losses;
    model::Invoice converted;
    model::Invoice round_tripped;
    hop(*original, *original, other, there, input.en16931, losses, converted);
    if (!HasFatalFailure()) {
        hop(converted, *original, source, back + " (back)", input.en16931, losses, round_tripped);
    }
    ++(HasFailure() ? summary().failed : summary().passed);
}

std::vector<std::string> all_examples() {
    std::vector<std::string> out;
    for (const char* folder : {"ubl", "testfiles", "cii"}) {
        for (std::string& f : ex::files_in(folder)) {
            out.push_back(std::move(f));
        }
    }
    return out;
}

TEST(ReadOptionsTest, WithoutTheUnmappedListEveryTermAndProblemIsTheSame) {
    std::size_t with_unmapped = 0;
    for (const std::string& file : all_examples()) {
        const auto doc = ex::parse(ex::text_of(file));
        ASSERT_TRUE(doc) << file;
        const bool cii_file = file.starts_with("cii/");
        const binding::ReadOptions terms_only{.unmapped = false};
        auto full = cii_file ? cii::read_cii(*doc) : ubl::read_ubl(*doc);
        auto terms = cii_file ? cii::read_cii(*doc, terms_only) : ubl::read_ubl(*doc, terms_only);
        ASSERT_TRUE(full && terms) << file;
        EXPECT_EQ(terms_of(*terms), terms_of(*full)) << file;
        ASSERT_EQ(terms->problems.size(), full->problems.size()) << file;
        for (std::size_t i = 0; i < full->problems.size(); ++i) {
            EXPECT_EQ(terms->problems[i].message, full->problems[i].message) << file;
        }
        EXPECT_TRUE(terms->unmapped.empty()) << file;
        with_unmapped += full->unmapped.empty() ? 0 : 1;
    }
    EXPECT_GT(with_unmapped, 0U);  // the option has something to leave out
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string name;
    for (const char c : info.param) {
        name.push_back(std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_');
    }
    return name;
}

INSTANTIATE_TEST_SUITE_P(CenExamples, ConversionTest, ::testing::ValuesIn(all_examples()),
                         test_name);

class SummaryPrinter : public ::testing::Environment {
public:
    void TearDown() override {
        const Summary& s = summary();
        if (s.passed + s.failed == 0) {
            return;
        }
        for (const auto& [direction, paths] : s.losses) {
            std::printf("losses %s:\n", direction.c_str());
            for (const auto& [path, count] : paths) {
                std::printf("  %4d  %s\n", count, path.c_str());
            }
        }
        std::printf("conversion round trips: %d passed, %d failed\n", s.passed, s.failed);
    }
};

const auto* const kSummary = ::testing::AddGlobalTestEnvironment(new SummaryPrinter);

}  // namespace
}  // namespace facteur::formats
