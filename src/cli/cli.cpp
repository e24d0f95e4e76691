#include "facteur/cli/cli.h"

#include <cstdlib>
#include <ostream>

#include "commands.h"
#include "facteur/core/memory.h"

namespace facteur::cli {

namespace {

constexpr const char* kVersion = "0.1.0";

void print_help(std::ostream& out, Lang lang) {
    if (lang == Lang::kFr) {
        out << "facteur " << kVersion << " — passerelle de conformité de la facture électronique\n\n"
               "Utilisation : facteur COMMANDE [OPTIONS]\n\n"
               "Commandes :\n"
               "  validate   valide des factures UBL, CII, Factur-X ou des messages CDAR\n"
               "  rules      liste les règles appliquées (rules list)\n"
               "  convert    convertit une facture UBL, CII ou Factur-X (convert --to ubl|cii|facturx)\n"
               "  facturx    extrait le XML d'un PDF Factur-X (facturx extract)\n"
               "  archive    archive probante : dépôt, preuve, journal, contrôle (archive --help)\n"
               "  verify     vérifie un lot de preuves exporté (verify LOT --key CLE)\n"
               "  version    affiche la version\n"
               "  help       affiche cette aide\n\n"
               "« facteur validate --help » détaille les options.\n";
        return;
    }
    out << "facteur " << kVersion << " — e-invoicing compliance gateway\n\n"
           "Usage: facteur COMMAND [OPTIONS]\n\n"
           "Commands:\n"
           "  validate   validate UBL, CII or Factur-X invoices and CDAR messages\n"
           "  rules      list the rules applied (rules list)\n"
           "  convert    convert a UBL, CII or Factur-X invoice (convert --to ubl|cii|facturx)\n"
           "  facturx    extract the XML of a Factur-X PDF (facturx extract)\n"
           "  archive    evidence archive: deposit, proof, journal, scrub (archive --help)\n"
           "  verify     verify an exported evidence bundle (verify BUNDLE --key KEYFILE)\n"
           "  version    print the version\n"
           "  help       print this help\n\n"
           "'facteur validate --help' lists its options.\n";
}

}  // namespace

Lang default_lang() {
    for (const char* name : {"FACTEUR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* value = std::getenv(name);
        if (value != nullptr && *value != '\0') {
            return std::string_view(value).starts_with("fr") ? Lang::kFr : Lang::kEn;
        }
    }
    return Lang::kEn;
}

void prepare_process() noexcept { core::tune_allocator(); }

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, bool colour) {
    const Lang lang = default_lang();
    if (args.empty()) {
        print_help(err, lang);
        return kExitUsage;
    }
    const std::string& command = args.front();
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "validate") {
        return run_validate(rest, out, err, colour, lang);
    }
    if (command == "rules") {
        return run_rules(rest, out, err, lang);
    }
    if (command == "archive") {
        return run_archive(rest, out, err, lang);
    }
    if (command == "verify") {
        return run_verify(rest, out, err, lang);
    }
    if (command == "convert") {
        return run_convert(rest, out, err, lang);
    }
    if (command == "facturx") {
        return run_facturx(rest, out, err, lang);
    }
    if (command == "version" || command == "--version") {
        out << "facteur " << kVersion << "\n";
        return kExitOk;
    }
    if (command == "help" || command == "--help" || command == "-h") {
        print_help(out, lang);
        return kExitOk;
    }
    err << (lang == Lang::kFr ? "facteur : commande inconnue « " + command + " »\n"
                              : "facteur: unknown command '" + command + "'\n");
    print_help(err, lang);
    return kExitUsage;
}

}  // namespace facteur::cli
