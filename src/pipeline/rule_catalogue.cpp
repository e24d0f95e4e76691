#include "facteur/pipeline/rule_catalogue.h"

#include "facteur/formats/facturx/checks.h"
#include "facteur/formats/facturx/facturx_reader.h"
#include "facteur/pipeline/document_validator.h"
#include "facteur/rules/en16931/en16931.h"
#include "facteur/rules/facturx/facturx.h"
#include "facteur/rules/fr/fr.h"
#include "facteur/rules/fr/mentions.h"

namespace facteur::pipeline {

core::Result<std::vector<RuleEntry>> rule_catalogue() {
    std::vector<RuleEntry> out;
    const std::pair<model::Syntax, const char*> kSets[] = {{model::Syntax::kUblInvoice, "ubl"},
                                                          {model::Syntax::kCii, "cii"}};
    std::vector<std::pair<const rules::RuleSet*, const char*>> sets;
    for (const auto& [syntax, label] : kSets) {
        FACTEUR_TRY_ASSIGN(const rules::RuleSet* en, rules::en16931::rule_set(syntax));
        sets.emplace_back(en, label);
    }
    for (const auto& [syntax, label] : kSets) {
        FACTEUR_TRY_ASSIGN(const rules::RuleSet* ext, rules::fr::extended_rule_set(syntax));
        sets.emplace_back(ext, label);
    }
    for (const auto& [syntax, label] : kSets) {
        for (const rules::fr::Mode mode : {rules::fr::Mode::kFatal, rules::fr::Mode::kWarning}) {
            FACTEUR_TRY_ASSIGN(const rules::RuleSet* fr, rules::fr::rule_set(syntax, mode));
            sets.emplace_back(fr, label);
        }
    }
    for (const auto profile : {rules::facturx::Profile::kMinimum, rules::facturx::Profile::kBasicWl,
                               rules::facturx::Profile::kBasic, rules::facturx::Profile::kEn16931,
                               rules::facturx::Profile::kExtended}) {
        FACTEUR_TRY_ASSIGN(const rules::RuleSet* fx, rules::facturx::rule_set(profile));
        sets.emplace_back(fx, "cii");
    }
    for (const rules::fr::Mode mode : {rules::fr::Mode::kFatal, rules::fr::Mode::kWarning}) {
        FACTEUR_TRY_ASSIGN(const rules::RuleSet* cdar, rules::fr::cdar_rule_set(mode));
        sets.emplace_back(cdar, "cdar");
    }
    for (const auto& [set, label] : sets) {
        for (const rules::RuleInfo& info : set->rules()) {
            out.push_back(RuleEntry{.id = info.id,
                                    .severity = info.severity,
                                    .layer = set->layer(),
                                    .version = set->version(),
                                    .set = set->name(),
                                    .syntax = label,
                                    .terms = info.terms,
                                    .message = info.message,
                                    .message_fr = info.message_fr,
                                    .context = info.context,
                                    .test = info.test});
        }
    }
    // facteur's own checks: the PDF container, and the legal-mentions checklist
    for (const formats::facturx::CheckInfo& c : formats::facturx::checks()) {
        out.push_back(RuleEntry{.id = std::string(c.id),
                                .severity = c.severity,
                                .layer = std::string(kLayerFacturxPdf),
                                .version = std::string(kFacturxPdfVersion),
                                .set = "facteur",
                                .syntax = "pdf",
                                .terms = {},
                                .message = std::string(c.message),
                                .message_fr = std::string(c.message_fr),
                                .context = "",
                                .test = std::string(c.why)});
    }
    for (const rules::fr::MentionRule& m : rules::fr::mention_catalogue()) {
        std::vector<std::string> terms(m.terms.begin(), m.terms.end());
        out.push_back(RuleEntry{.id = std::string(m.id),
                                .severity = model::Severity::kWarning,
                                .layer = std::string(rules::fr::kMentionsLayer),
                                .version = std::string(rules::fr::kMentionsVersion),
                                .set = std::string(m.basis),
                                .syntax = "model",
                                .terms = std::move(terms),
                                .message = std::string(m.label) + ": " + std::string(m.description),
                                .message_fr = std::string(m.label_fr) + " : " + std::string(m.description_fr),
                                .context = "",
                                .test = ""});
    }
    return out;
}

}  // namespace facteur::pipeline
