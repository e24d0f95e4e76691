#include "facteur/pipeline/rule_catalogue.h"

#include "facteur/rules/en16931/en16931.h"
#include "facteur/rules/fr/fr.h"

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
    return out;
}

}  // namespace facteur::pipeline
