// The mentions layer through the pipeline: the checklist is in the report, and when it says an
// official rule enforces a missing mention, that rule does fire in its own layer.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "facteur/core/file.h"
#include "facteur/pipeline/document_validator.h"
#include "facteur/pipeline/rule_catalogue.h"
#include "facteur/rules/fr/mentions.h"
#include "facteur/testing/testing.h"

namespace facteur::pipeline {
namespace {

std::string sample(const char* name) {
    auto bytes = core::read_file(testing::fixtures_dir() / "samples" / name, 1U << 20U);
    EXPECT_TRUE(bytes.has_value()) << name;
    return bytes ? *bytes : std::string();
}

std::string without(std::string text, std::string_view part) {
    const std::size_t at = text.find(part);
    EXPECT_NE(at, std::string::npos) << part;
    if (at != std::string::npos) {
        text.erase(at, part.size());
    }
    return text;
}

bool fired(const model::Report& report, std::string_view rule) {
    return std::any_of(report.findings.begin(), report.findings.end(),
                       [&](const model::Finding& f) { return f.rule == rule; });
}

TEST(MentionsLayerTest, RunsByDefaultOnUblAndCii) {
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    DocumentValidator validator(registry, ValidationOptions{});
    for (const char* name : {"facture-ubl.xml", "facture-cii.xml"}) {
        const model::Report report = validator.validate(sample(name), name);
        EXPECT_EQ(report.mentions.size(), 22U) << name;
        const auto layer = std::find_if(report.layers.begin(), report.layers.end(),
                                        [](const model::LayerResult& l) { return l.name == "mentions"; });
        ASSERT_NE(layer, report.layers.end()) << name;
        EXPECT_EQ(layer->status, model::LayerStatus::kValid);
        EXPECT_EQ(layer->version, "facteur-mentions-1");
        EXPECT_EQ(report.count(model::Severity::kWarning, "mentions"), 0U) << name;
    }
}

// Every mention the checklist says an official rule enforces: remove it from the sample, and the
// rule named fires (in en16931 or fr), while the mentions layer adds no warning of its own.
TEST(MentionsLayerTest, TheRuleACheckPointsToFiresWhenTheMentionIsRemoved) {
    validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
    DocumentValidator validator(registry, ValidationOptions{});
    const std::string ubl = sample("facture-ubl.xml");
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"FR-MENTION-06", "<cbc:CompanyID schemeID=\"0002\">732829320</cbc:CompanyID>"},
        {"FR-MENTION-17", "<cbc:Note>#PMD#Pénalités de retard : trois fois le taux d'intérêt légal</cbc:Note>"},
        {"FR-MENTION-19", "<cbc:Note>#AAB#Pas d'escompte pour paiement anticipé</cbc:Note>"},
        {"FR-MENTION-21", "<cbc:ProfileID>S1</cbc:ProfileID>"},
        {"FR-MENTION-09", "<cbc:IssueDate>2026-11-20</cbc:IssueDate>"},
    };
    for (const auto& [id, element] : cases) {
        const model::Report report = validator.validate(without(ubl, element), std::string(id));
        const auto check = std::find_if(report.mentions.begin(), report.mentions.end(),
                                        [&](const model::MentionCheck& c) { return c.id == id; });
        ASSERT_NE(check, report.mentions.end()) << id;
        EXPECT_EQ(check->status, model::MentionStatus::kMissing) << id;
        ASSERT_FALSE(check->enforced_by.empty()) << id;
        EXPECT_TRUE(std::any_of(check->enforced_by.begin(), check->enforced_by.end(),
                                [&](const std::string& rule) { return fired(report, rule); }))
            << id << ": none of the rules it names fired";
        EXPECT_FALSE(fired(report, id)) << id;
    }
}

// Every rule id the checklist names exists, for each syntax, in the official rule sets.
TEST(MentionsLayerTest, EveryEnforcingRuleExistsInTheOfficialSets) {
    auto catalogue = rule_catalogue();
    ASSERT_TRUE(catalogue.has_value());
    auto exists = [&](std::string_view id, std::string_view syntax) {
        return std::any_of(catalogue->begin(), catalogue->end(), [&](const RuleEntry& e) {
            return e.id == id && e.syntax == syntax && (e.layer == "en16931" || e.layer == "fr");
        });
    };
    std::size_t named = 0;
    for (const rules::fr::MentionRule& m : rules::fr::mention_catalogue()) {
        for (const std::string_view syntax : {"ubl", "cii"}) {
            const auto& ids = syntax == "ubl" && !m.enforced_by_ubl.empty() ? m.enforced_by_ubl : m.enforced_by;
            for (const std::string_view id : ids) {
                EXPECT_TRUE(exists(id, syntax)) << m.id << " names " << id << ", absent from the " << syntax << " sets";
                ++named;
            }
        }
    }
    EXPECT_GT(named, 30U);
}

}  // namespace
}  // namespace facteur::pipeline
