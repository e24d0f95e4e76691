// `facteur convert --to ubl|cii|facturx IN [-o OUT] [--force] [--cen-notes] [--lang fr|en]`: converts
// an invoice (UBL, CII, or a Factur-X PDF's CII) through the semantic model. The converted
// document goes to OUT (or stdout); every value the target syntax cannot carry is listed on
// stderr as a loss (CONV-LOSS), never dropped silently. Exit 0 converted (with or without losses),
// 1 the input is not a convertible invoice, 2 usage or I/O error.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "commands.h"
#include "output_file.h"
#include "facteur/cli/cli.h"
#include "facteur/core/file.h"
#include "facteur/pipeline/convert.h"

namespace facteur::cli {

namespace {

void print_convert_help(std::ostream& out, Lang lang) {
    if (lang == Lang::kFr) {
        out << "Utilisation : facteur convert --to ubl|cii|facturx ENTRÉE [-o FICHIER] [--force]\n"
               "                              [--cen-notes] [--lang fr|en]\n\n"
               "Convertit une facture UBL, CII ou Factur-X (PDF) par le modèle sémantique EN 16931 ;\n"
               "--to facturx produit un PDF/A-3 lisible en français avec le CII joint (factur-x.xml).\n"
               "Tout ce que la syntaxe cible ne peut porter est listé (CONV-LOSS) sur la sortie\n"
               "d'erreur, jamais perdu en silence. En UBL, le code sujet des notes (BT-21) s'écrit\n"
               "« #CODE#texte » (convention française FNFE-MPE) ; --cen-notes suit la liaison CEN,\n"
               "où UBL n'a pas de BT-21.\n"
               "Code retour : 0 converti, 1 entrée non convertible, 2 erreur d'utilisation ou d'E/S.\n";
        return;
    }
    out << "Usage: facteur convert --to ubl|cii|facturx INPUT [-o FILE] [--force] [--cen-notes] [--lang fr|en]\n\n"
           "Converts a UBL, CII or Factur-X (PDF) invoice through the EN 16931 semantic model;\n"
           "--to facturx writes a PDF/A-3 readable in French with the CII attached (factur-x.xml).\n"
           "Whatever the target syntax cannot carry is listed (CONV-LOSS) on stderr, never dropped\n"
           "silently. In UBL the note subject code (BT-21) is written \"#CODE#text\" (the French\n"
           "FNFE-MPE convention); --cen-notes follows the CEN binding, where UBL has no BT-21.\n"
           "Exit status: 0 converted, 1 input not convertible, 2 usage or I/O error.\n";
}

}  // namespace

int run_convert(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, Lang lang) {
    if (args.empty() || args.front() == "--help" || args.front() == "-h") {
        print_convert_help(args.empty() ? err : out, lang);
        return args.empty() ? kExitUsage : kExitOk;
    }
    std::string input;
    std::string output;
    std::string target;
    bool force = false;
    pipeline::ConvertOptions options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--to" && has_value) {
            target = args[++i];
        } else if ((a == "-o" || a == "--output") && has_value) {
            output = args[++i];
        } else if (a == "--force") {
            force = true;
        } else if (a == "--cen-notes") {
            options.french_note_convention = false;
        } else if (a == "--lang" && has_value && (args[i + 1] == "fr" || args[i + 1] == "en")) {
            lang = args[++i] == "fr" ? Lang::kFr : Lang::kEn;
        } else if (input.empty() && !a.starts_with("-")) {
            input = a;
        } else {
            err << (lang == Lang::kFr ? "facteur convert : option invalide « " + a + " »\n"
                                      : "facteur convert: invalid option '" + a + "'\n");
            return kExitUsage;
        }
    }
    const bool fr = lang == Lang::kFr;
    if (target == "ubl") {
        options.target = pipeline::Target::kUbl;
    } else if (target == "cii") {
        options.target = pipeline::Target::kCii;
    } else if (target == "facturx") {
        options.target = pipeline::Target::kFacturX;
        options.pdf_creation_time = std::chrono::system_clock::now();
    } else {
        err << (fr ? "facteur convert : --to ubl|cii|facturx attendu\n" : "facteur convert: --to ubl|cii|facturx expected\n");
        return kExitUsage;
    }
    if (input.empty()) {
        print_convert_help(err, lang);
        return kExitUsage;
    }
    auto bytes = core::read_file(input, options.limits.document_bytes_max);
    if (!bytes) {
        err << "facteur: " << input << ": " << bytes.error().text(fr) << "\n";
        return kExitUsage;
    }
    auto converted = pipeline::convert(*bytes, options);
    if (!converted) {
        err << "facteur: " << input << ": " << converted.error().text(fr) << "\n";
        return converted.error().code == core::Errc::kInternal ? kExitInternal : kExitInvalid;
    }
    for (const model::Loss& loss : converted->losses) {
        err << input << ": [warning] CONV-LOSS " << loss.term_or_path << " "
            << (fr && !loss.message_fr.empty() ? loss.message_fr : loss.message) << "\n";
    }
    if (output.empty()) {
        out << converted->output;
        return kExitOk;
    }
    if (!write_output(output, converted->output, force, err, lang)) {
        return kExitUsage;
    }
    return kExitOk;
}

}  // namespace facteur::cli
