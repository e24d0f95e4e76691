#include "facteur/rules/facturx/facturx.h"

#include <array>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "embedded.h"

namespace facteur::rules::facturx {

namespace {

struct Slot {
    std::once_flag once;
    core::Result<RuleSet> set = core::fail(core::Errc::kInternal, "not compiled");
};

/// What each profile is built from: the .sch, the code list database it reads with document()
/// (under the exact name the asserts use), and the rule set's human label.
struct Source {
    std::string_view (*sch)() noexcept;
    std::string_view (*codedb)() noexcept;
    const char* codedb_name;
    const char* name;
};

constexpr std::array<Source, 5> kSources = {{
    {&data::minimum_sch, &data::minimum_codedb, "FACTUR-X_MINIMUM_codedb.xml", "FACTUR-X_MINIMUM"},
    {&data::basicwl_sch, &data::basicwl_codedb, "FACTUR-X_BASIC-WL_codedb.xml", "FACTUR-X_BASIC-WL"},
    {&data::basic_sch, &data::basic_codedb, "FACTUR-X_BASIC_codedb.xml", "FACTUR-X_BASIC"},
    {&data::en16931_sch, &data::en16931_codedb, "FACTUR-X_EN16931_codedb.xml", "FACTUR-X_EN16931"},
    {&data::extended_sch, &data::extended_codedb, "FACTUR-X_EXTENDED_codedb.xml", "FACTUR-X_EXTENDED"},
}};

/// The project's French for the Factur-X structure and code-list messages (FX-SCH-A-*): the
/// official files word their 1,285 messages with these seven templates over a name.
std::string french_of(std::string_view english) {
    struct Template {
        std::string_view en_before, en_after, fr_before, fr_after;
    };
    static constexpr std::array<Template, 7> kTemplates = {{
        {"Element '", "' must occur exactly 1 times.", "L'élément '", "' doit être présent exactement une fois."},
        {"Element '", "' must occur at least 1 times.", "L'élément '", "' doit être présent au moins une fois."},
        {"Element '", "' may occur at maximum 1 times.", "L'élément '", "' peut être présent au plus une fois."},
        {"Element variant '", "' may occur at maximum 1 times.", "La variante d'élément '",
         "' peut être présente au plus une fois."},
        {"Element variant '", "' may occur at maximum 2 times.", "La variante d'élément '",
         "' peut être présente au plus deux fois."},
        {"Value of '", "' is not allowed.", "La valeur de '", "' n'est pas autorisée (liste de codes du profil)."},
        {"Attribute '", "' is required in this context.", "L'attribut '", "' est obligatoire dans ce contexte."},
    }};
    for (const Template& t : kTemplates) {
        if (english.size() > t.en_before.size() + t.en_after.size() && english.starts_with(t.en_before) &&
            english.ends_with(t.en_after)) {
            const std::string_view name =
                english.substr(t.en_before.size(), english.size() - t.en_before.size() - t.en_after.size());
            return std::string(t.fr_before) + std::string(name) + std::string(t.fr_after);
        }
    }
    return {};
}

/// French messages: the en16931 module's translations of the CEN asserts the profiles keep
/// (same ids, same rules), the templates above for FX-SCH-A-*, one text for the reports.
void set_french(RuleSet& set) {
    set.set_messages_fr(parse_message_table(data::cen_fr()));
    std::vector<std::pair<std::string, std::string>> owned;
    owned.emplace_back(std::string(kNotUsedRuleId),
                       "Donnée marquée comme non utilisée dans ce contexte par le profil Factur-X : elle est "
                       "ignorée (l'élément ou l'attribut est nommé dans le message anglais).");
    for (const RuleInfo& rule : set.rules()) {
        if (rule.id.starts_with("FX-SCH-A-")) {
            std::string french = french_of(rule.message);
            if (!french.empty()) {
                owned.emplace_back(rule.id, std::move(french));
            }
        }
    }
    const std::vector<std::pair<std::string_view, std::string_view>> views(owned.begin(), owned.end());
    set.set_messages_fr(views);
}

std::string_view trim(std::string_view s) {
    constexpr std::string_view kSpace = " \t\r\n";
    const std::size_t b = s.find_first_not_of(kSpace);
    if (b == std::string_view::npos) {
        return {};
    }
    return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

}  // namespace

std::string_view profile_label(Profile profile) noexcept {
    switch (profile) {
        case Profile::kMinimum: return "minimum";
        case Profile::kBasicWl: return "basicwl";
        case Profile::kBasic: return "basic";
        case Profile::kEn16931: return "en16931";
        case Profile::kExtended: return "extended";
    }
    return "unknown";
}

std::optional<Profile> profile_from_guideline(std::string_view bt24) noexcept {
    struct Entry {
        std::string_view id;
        Profile profile;
    };
    // Factur-X 1.0x and ZUGFeRD 2.x identifiers, as the profiles' code lists (cl id=1) list them.
    static constexpr std::array<Entry, 11> kExact = {{
        {"urn:factur-x.eu:1p0:minimum", Profile::kMinimum},
        {"urn:zugferd.de:2p0:minimum", Profile::kMinimum},
        {"urn:factur-x.eu:1p0:basicwl", Profile::kBasicWl},
        {"urn:zugferd.de:2p0:basicwl", Profile::kBasicWl},
        {"urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic", Profile::kBasic},
        {"urn:cen.eu:en16931:2017#compliant#urn:zugferd.de:2p0:basic", Profile::kBasic},
        {"urn:cen.eu:en16931:2017", Profile::kEn16931},
        {"urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended", Profile::kExtended},
        {"urn:cen.eu:en16931:2017#conformant#urn:zugferd.de:2p0:extended", Profile::kExtended},
        // Pre-1.0 drafts (ZUGFeRD 2.0 RC): their profile, whose code list then rejects the id.
        {"urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:basic", Profile::kBasic},
        {"urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:extended", Profile::kExtended},
    }};
    const std::string_view id = trim(bt24);
    for (const Entry& e : kExact) {
        if (id == e.id) {
            return e.profile;
        }
    }
    return std::nullopt;
}

core::Result<const RuleSet*> rule_set(Profile profile) {
    static std::array<Slot, kSources.size()> slots;
    const auto index = static_cast<std::size_t>(profile);
    if (index >= kSources.size()) {
        return core::fail(core::Errc::kInvalidInput, "FX-PROFILE", "unknown Factur-X profile",
                          "profil Factur-X inconnu");
    }
    const Source& source = kSources[index];
    Slot& slot = slots[index];
    std::call_once(slot.once, [&] {
        RuleSetOptions options;
        options.layer = std::string(kLayer);
        options.version = std::string(kVersion);
        options.name = source.name;
        options.documents.push_back(AuxiliaryDocument{source.codedb_name, source.codedb()});
        // The files' <report>s (no id, no flag) all say an element or attribute is "not used in
        // the given context": data the profile ignores. The reference validator (Mustang) reads
        // only failed asserts, so they are warnings here, under one facteur-given id.
        options.unflagged_report_severity = model::Severity::kWarning;
        options.unnamed_rule_id = std::string(kNotUsedRuleId);
        slot.set = RuleSet::compile(source.sch(), std::move(options));
        if (slot.set) {
            set_french(*slot.set);
        }
    });
    if (!slot.set) {
        return tl::unexpected(slot.set.error());
    }
    return &*slot.set;
}

}  // namespace facteur::rules::facturx
