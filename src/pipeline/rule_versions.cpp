#include "facteur/pipeline/rule_versions.h"

#include "facteur/rules/en16931/en16931.h"
#include "facteur/rules/facturx/facturx.h"
#include "facteur/rules/fr/fr.h"
#include "facteur/rules/fr/mentions.h"

namespace facteur::pipeline {

const std::vector<RuleSetVersion>& rule_set_versions() {
    // Dates: the "last update" line of each official file (CEN 1.3.16: 2026-04-10; FNFE-MPE
    // 1.4.0: Flux 2 and CDV 2026-06-30, EXTENDED-CTC-FR UBL 2026-07-13; Factur-X 1.09.2 "Release
    // date" 2026-08-04); facteur's checklist:
    // the release that introduced it.
    static const std::vector<RuleSetVersion> kVersions = {
        {"en16931", rules::en16931::kVersion, {2026, 4, 10}, "CEN/TC 434 (ConnectingEurope/eInvoicing-EN16931)"},
        {"extended-ctc-fr", rules::fr::kExtendedVersion, {2026, 7, 13}, "FNFE-MPE (France_RFE)"},
        {"facturx", rules::facturx::kVersion, {2026, 8, 4}, "FNFE-MPE / FeRD (Factur-X 1.09.2)"},
        {"fr", rules::fr::kVersion, {2026, 6, 30}, "FNFE-MPE (France_RFE)"},
        {"cdar", rules::fr::kVersion, {2026, 6, 30}, "FNFE-MPE (France_RFE)"},
        {"mentions", rules::fr::kMentionsVersion, {2026, 11, 23}, "facteur"},
    };
    return kVersions;
}

core::Result<RuleSelection> select_rule_version(std::string_view layer, std::optional<model::Date> date,
                                                std::optional<std::string_view> forced) {
    std::vector<const RuleSetVersion*> present;
    for (const RuleSetVersion& v : rule_set_versions()) {
        if (v.layer == layer) {
            present.push_back(&v);
        }
    }
    if (present.empty()) {
        return core::fail(core::Errc::kNotFound, "RULES-VERSION",
                          "layer '" + std::string(layer) + "' has no versioned rules",
                          "la couche « " + std::string(layer) + " » n'a pas de règles versionnées");
    }
    if (forced) {
        for (const RuleSetVersion* v : present) {
            if (v->version == *forced) {
                return RuleSelection{v, false};
            }
        }
        std::string list;
        for (const RuleSetVersion* v : present) {
            list += (list.empty() ? "" : ", ") + std::string(v->version);
        }
        return core::fail(core::Errc::kNotFound, "RULES-VERSION",
                          "version " + std::string(*forced) + " of the " + std::string(layer) +
                              " rules is not present in this facteur (present: " + list + ")",
                          "la version " + std::string(*forced) + " des règles " + std::string(layer) +
                              " n'est pas présente dans ce facteur (présentes : " + list + ")");
    }
    const RuleSetVersion* chosen = nullptr;
    for (const RuleSetVersion* v : present) {
        if ((!date || !(*date < v->published)) && (chosen == nullptr || chosen->published < v->published)) {
            chosen = v;
        }
    }
    if (chosen == nullptr) {  // every version is newer than the date
        chosen = present.front();
        for (const RuleSetVersion* v : present) {
            if (v->published < chosen->published) {
                chosen = v;
            }
        }
        return RuleSelection{chosen, true};
    }
    return RuleSelection{chosen, false};
}

}  // namespace facteur::pipeline
