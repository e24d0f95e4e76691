// `facteur rules list [--format text|json] [--layer NAME] [--lang fr|en]`: every rule facteur
// applies, with its id, severity, layer and version.
#include <ostream>

#include <boost/json.hpp>

#include "commands.h"
#include "facteur/cli/cli.h"
#include "facteur/pipeline/rule_catalogue.h"
#include "facteur/pipeline/rule_versions.h"

namespace facteur::cli {

namespace {

void print_rules_help(std::ostream& out, Lang lang) {
    if (lang == Lang::kFr) {
        out << "Utilisation : facteur rules list [--format text|json] [--layer COUCHE] [--lang fr|en]\n"
               "              facteur rules versions\n\n"
               "Liste chaque règle appliquée : identifiant officiel, sévérité, couche, version,\n"
               "jeu de règles (syntaxe), termes métier concernés et message.\n";
        return;
    }
    out << "Usage: facteur rules list [--format text|json] [--layer LAYER] [--lang fr|en]\n"
           "       facteur rules versions\n\n"
           "Lists every rule facteur applies: official id, severity, layer, version, rule set\n"
           "(syntax), business terms concerned and message.\n";
}

}  // namespace

int run_rules(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, Lang lang) {
    bool json = false;
    std::string layer;
    std::size_t i = 0;
    if (args.empty() || args.front() == "--help" || args.front() == "-h") {
        print_rules_help(args.empty() ? err : out, lang);
        return args.empty() ? kExitUsage : kExitOk;
    }
    if (args.front() == "versions") {
        // every rule-set version present, the one applied by default marked
        for (const pipeline::RuleSetVersion& v : pipeline::rule_set_versions()) {
            auto latest = pipeline::select_rule_version(v.layer, std::nullopt, std::nullopt);
            const bool is_default = latest && latest->version == &v;
            out << v.layer << '\t' << v.version << '\t' << v.published.to_string() << '\t'
                << (is_default ? (lang == Lang::kFr ? "par défaut" : "default") : "") << '\t' << v.origin << "\n";
        }
        return kExitOk;
    }
    if (args.front() != "list") {
        err << (lang == Lang::kFr ? "facteur rules : sous-commande inconnue « " + args.front() + " »\n"
                                  : "facteur rules: unknown subcommand '" + args.front() + "'\n");
        return kExitUsage;
    }
    for (i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--format" && has_value && (args[i + 1] == "json" || args[i + 1] == "text")) {
            json = args[++i] == "json";
        } else if (a == "--layer" && has_value) {
            layer = args[++i];
        } else if (a == "--lang" && has_value && (args[i + 1] == "fr" || args[i + 1] == "en")) {
            lang = args[++i] == "fr" ? Lang::kFr : Lang::kEn;
        } else {
            err << (lang == Lang::kFr ? "facteur rules list : option invalide « " + a + " »\n"
                                      : "facteur rules list: invalid option '" + a + "'\n");
            return kExitUsage;
        }
    }
    const auto catalogue = pipeline::rule_catalogue();
    if (!catalogue) {
        err << "facteur: " << (lang == Lang::kFr ? catalogue.error().message_fr : catalogue.error().message) << "\n";
        return kExitInternal;
    }
    for (const pipeline::RuleEntry& r : *catalogue) {
        if (!layer.empty() && r.layer != layer) {
            continue;
        }
        const std::string& message = lang == Lang::kFr && !r.message_fr.empty() ? r.message_fr : r.message;
        if (json) {
            boost::json::array terms;
            for (const std::string& t : r.terms) {
                terms.emplace_back(t);
            }
            out << boost::json::serialize(boost::json::object{
                       {"id", r.id},
                       {"severity", std::string(model::severity_name(r.severity))},
                       {"layer", r.layer},
                       {"version", r.version},
                       {"set", r.set},
                       {"syntax", r.syntax},
                       {"terms", std::move(terms)},
                       {"message", message},
                       {"context", r.context},
                       {"test", r.test}})
                << "\n";
            continue;
        }
        out << r.id << '\t' << model::severity_name(r.severity) << '\t' << r.layer << '\t' << r.version
            << '\t' << r.syntax << '\t' << message << "\n";
    }
    return kExitOk;
}

}  // namespace facteur::cli
