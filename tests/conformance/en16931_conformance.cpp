// Agreement of facteur's `en16931` layer with the official CEN 1.3.16 verdicts.
//   usage: facteur_en16931_conformance unit|examples|mutations|fr-mutations|cdar CONFORMANCE_DIR [FILE]
// unit:      ../en16931-unit VEFA test sets (README there): business rules on the payloads.
// examples:  every document of examples/ must give 0 findings in the xsd and en16931 layers.
// mutations: for each case of mutations/verdicts.jsonl, the multiset of (rule id, flag) fired in
//            the en16931 layer equals the recorded one; cases recorded as `error` (the reference
//            processor stopped) must not be judged valid.
// fr-mutations: the same comparison for the `fr` layer (BR-FR Flux 2 1.4.0, fatal variant) against
//            the recorded `fr` verdicts.
// cdar:      the annex B lifecycle examples: the `cdar` layer (BR-FR-CDV) fires the recorded ids.
// Prints one line per disagreement, then "N passed, M failed"; exit 1 if M > 0.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <boost/json.hpp>

#include "facteur/core/file.h"
#include "facteur/pipeline/document_validator.h"
#include "facteur/rules/en16931/en16931.h"
#include "facteur/validate/schema_registry.h"
#include "facteur/xml/document.h"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace facteur;

using Counts = std::map<std::pair<std::string, std::string>, int>;  // (id, flag) -> times

const char* flag_of(model::Severity s) {
    return s == model::Severity::kFatal ? "fatal" : s == model::Severity::kWarning ? "warning" : "info";
}

std::string describe(const Counts& c) {
    std::string out;
    for (const auto& [key, n] : c) {
        out += key.first + "/" + key.second + (n > 1 ? "x" + std::to_string(n) : "") + " ";
    }
    return out.empty() ? "(none)" : out;
}

class Runner {
public:
    explicit Runner(const char* out) : disagreements_(out) {}

    void pass() { ++passed_; }
    void fail(const std::string& what) {
        ++failed_;
        disagreements_ << what << "\n";
        if (failed_ <= 40) {
            std::printf("DISAGREE %s\n", what.c_str());
        }
    }
    int finish() const {
        std::printf("%zu passed, %zu failed\n", passed_, failed_);
        return failed_ == 0 ? 0 : 1;
    }

private:
    std::ofstream disagreements_;
    std::size_t passed_ = 0;
    std::size_t failed_ = 0;
};

model::Syntax syntax_of(const xml::Node& root) {
    if (root.local_name() == "Invoice") {
        return model::Syntax::kUblInvoice;
    }
    if (root.local_name() == "CreditNote") {
        return model::Syntax::kUblCreditNote;
    }
    return model::Syntax::kCii;
}

// ------------------------------------------------------------------------------ unit (VEFA)

struct Expect {
    std::vector<std::string> scope;
    std::vector<std::string> success;
    std::vector<std::tuple<std::string, std::string, int>> fired;  // id, flag, times
};

void read_assert(const xml::Node& a, Expect& e) {
    for (xml::Node n = a.first_child(); n; n = n.next_sibling()) {
        const std::string text = n.text();
        const std::string_view name = n.local_name();
        const std::string number = n.attribute("number");
        const int times = number.empty() ? 1 : std::stoi(number);
        if (name == "scope") {
            e.scope.push_back(text);
        } else if (name == "success") {
            e.success.push_back(text);
        } else if (name == "error") {
            e.fired.emplace_back(text, "fatal", times);
        } else if (name == "warning") {
            e.fired.emplace_back(text, "warning", times);
        }
    }
}

std::string judge_unit(const Expect& e, const rules::Evaluation& ev) {
    auto in_scope = [&](const std::string& id) {
        return e.scope.empty() || std::find(e.scope.begin(), e.scope.end(), id) != e.scope.end();
    };
    Counts fired;
    for (const model::Finding& f : ev.findings) {
        if (f.rule == "RULE-EVAL") {
            return "evaluation error: " + f.message;
        }
        if (in_scope(f.rule)) {
            ++fired[{f.rule, flag_of(f.severity)}];
        }
    }
    for (const std::string& id : e.success) {
        for (const auto& [key, n] : fired) {
            if (key.first == id) {
                return "expected " + id + " not to fire; fired: " + describe(fired);
            }
        }
    }
    for (const auto& [id, flag, times] : e.fired) {
        const auto it = fired.find({id, flag});
        const int got = it == fired.end() ? 0 : it->second;
        if (got != times) {
            return "expected " + id + "/" + flag + " x" + std::to_string(times) + "; fired: " + describe(fired);
        }
    }
    for (const auto& [key, n] : fired) {
        if (key.second != "fatal") {
            continue;
        }
        const bool expected = std::any_of(e.fired.begin(), e.fired.end(), [&](const auto& x) {
            return std::get<0>(x) == key.first && std::get<1>(x) == "fatal";
        });
        if (!expected) {
            return "unexpected " + key.first + "; fired: " + describe(fired);
        }
    }
    return {};
}

int run_unit(const fs::path& root, Runner& r) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(root / "en16931-unit")) {
        if (entry.is_regular_file() && entry.path().extension() == ".xml") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    xml::Limits limits;
    for (const fs::path& file : files) {
        auto bytes = core::read_file(file, limits.document_bytes_max);
        auto doc = bytes ? xml::parse(*bytes, limits) : tl::unexpected(bytes.error());
        if (!doc) {
            r.fail(file.string() + ": cannot read: " + doc.error().message);
            continue;
        }
        Expect common;
        for (xml::Node n = doc->root().first_child(); n; n = n.next_sibling()) {
            if (n.local_name() == "assert") {
                read_assert(n, common);
            }
        }
        std::size_t index = 0;
        for (xml::Node test = doc->root().first_child(); test; test = test.next_sibling()) {
            if (test.local_name() != "test") {
                continue;
            }
            ++index;
            Expect e = common;
            xml::Node payload;
            for (xml::Node n = test.first_child(); n; n = n.next_sibling()) {
                if (n.local_name() == "assert") {
                    read_assert(n, e);
                } else {
                    payload = n;
                }
            }
            const auto set = rules::en16931::rule_set(syntax_of(payload));
            if (!set) {
                r.fail(file.string() + ": " + set.error().message);
                continue;
            }
            const std::string verdict = judge_unit(e, (*set)->evaluate(payload));
            const std::string label = fs::relative(file, root).string() + " test " + std::to_string(index);
            if (verdict.empty()) {
                r.pass();
            } else {
                r.fail(label + ": " + verdict);
            }
        }
    }
    return r.finish();
}

// ------------------------------------------------------------------------------ corpora

Counts expected_counts(const json::object& layer) {
    Counts c;
    for (const char* flag : {"fatal", "warning"}) {
        for (const auto& [id, n] : layer.at(flag).as_object()) {
            c[{std::string(id), flag}] = static_cast<int>(n.as_int64());
        }
    }
    return c;
}

int run_corpus(const fs::path& root, const std::string& corpus, Runner& r, const std::string& layer) {
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    if (auto verified = registry.verify_all(); !verified) {
        std::fprintf(stderr, "%s\n", verified.error().message.c_str());
        return 2;
    }
    pipeline::ValidationOptions options;
    options.layers = {"xml", "xsd", layer};
    pipeline::DocumentValidator validator(registry, options);
    std::ifstream in(root / corpus / "verdicts.jsonl");
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", (root / corpus / "verdicts.jsonl").c_str());
        return 2;
    }
    for (std::string line; std::getline(in, line);) {
        const json::object verdict = json::parse(line).as_object();
        const std::string name = std::string(verdict.at("file").as_string());
        const model::Report report = validator.validate_file(root / corpus / name);
        Counts got;
        bool evaluation_error = false;
        for (const model::Finding& f : report.findings) {
            if (f.layer != layer) {
                continue;
            }
            if (f.rule == "RULE-EVAL") {
                evaluation_error = true;
                continue;
            }
            ++got[{f.rule, flag_of(f.severity)}];
        }
        const json::object& en = verdict.at(layer).as_object();
        if (corpus == "examples") {
            const std::size_t n = report.count(model::Severity::kFatal, "xsd") +
                                  report.count(model::Severity::kWarning, "xsd") + got.size() +
                                  (evaluation_error ? 1 : 0);
            if (n == 0) {
                r.pass();
            } else {
                r.fail(name + ": findings: " + describe(got));
            }
            continue;
        }
        if (en.contains("error")) {
            if (!report.valid()) {
                r.pass();
            } else {
                r.fail(name + ": the reference processor stopped (" +
                       std::string(en.at("error").as_string()).substr(0, 120) + ") but facteur calls it valid");
            }
            continue;
        }
        const Counts want = expected_counts(en);
        if (got == want && !evaluation_error) {
            r.pass();
        } else {
            r.fail(name + ": expected " + describe(want) + "| got " + describe(got) +
                   (evaluation_error ? "+ evaluation error" : ""));
        }
    }
    return r.finish();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s unit|examples|mutations CONFORMANCE_DIR [DISAGREEMENTS_FILE]\n", argv[0]);
        return 2;
    }
    const std::string mode = argv[1];
    const fs::path root = argv[2];
    Runner r(argc > 3 ? argv[3] : "/dev/null");
    if (mode == "unit") {
        return run_unit(root, r);
    }
    if (mode == "examples" || mode == "mutations") {
        return run_corpus(root, mode, r, "en16931");
    }
    if (mode == "fr-mutations") {
        return run_corpus(root, "mutations", r, "fr");
    }
    if (mode == "cdar") {
        return run_corpus(root, "cdar", r, "cdar");
    }
    std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
    return 2;
}
