// `facteur facturx extract PDF [-o OUT] [--force] [--lang fr|en]`: writes the invoice XML
// embedded in a Factur-X / ZUGFeRD PDF, byte for byte, to OUT (or stdout); the container's
// findings go to stderr. Exit 0 when extracted with no fatal container finding, 1 when the
// container has a fatal finding (the XML, if any, is still written), 2 on usage or I/O errors.
#include <filesystem>
#include <fstream>
#include <ostream>

#include "commands.h"
#include "output_file.h"
#include "facteur/cli/cli.h"
#include "facteur/core/file.h"
#include "facteur/formats/facturx/facturx_reader.h"

namespace facteur::cli {

namespace {

void print_facturx_help(std::ostream& out, Lang lang) {
    if (lang == Lang::kFr) {
        out << "Utilisation : facteur facturx extract PDF [-o FICHIER] [--force] [--lang fr|en]\n\n"
               "Extrait le XML de la facture (factur-x.xml, zugferd-invoice.xml, xrechnung.xml)\n"
               "d'un PDF Factur-X, octet pour octet, vers FICHIER ou la sortie standard. Les\n"
               "constats sur le conteneur PDF (FX-PDF-nn) vont sur la sortie d'erreur.\n"
               "Code retour : 0 extrait, 1 conteneur non conforme, 2 erreur d'utilisation ou d'E/S.\n";
        return;
    }
    out << "Usage: facteur facturx extract PDF [-o FILE] [--force] [--lang fr|en]\n\n"
           "Extracts the invoice XML (factur-x.xml, zugferd-invoice.xml, xrechnung.xml) of a\n"
           "Factur-X PDF, byte for byte, to FILE or stdout. Findings on the PDF container\n"
           "(FX-PDF-nn) go to stderr.\n"
           "Exit status: 0 extracted, 1 container invalid, 2 usage or I/O error.\n";
}

}  // namespace

int run_facturx(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, Lang lang) {
    if (args.empty() || args.front() == "--help" || args.front() == "-h") {
        print_facturx_help(args.empty() ? err : out, lang);
        return args.empty() ? kExitUsage : kExitOk;
    }
    const bool fr = lang == Lang::kFr;
    if (args.front() != "extract") {
        err << (fr ? "facteur facturx : sous-commande inconnue « " + args.front() + " »\n"
                   : "facteur facturx: unknown subcommand '" + args.front() + "'\n");
        return kExitUsage;
    }
    std::string input;
    std::string output;
    bool force = false;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool has_value = i + 1 < args.size();
        if ((a == "-o" || a == "--output") && has_value) {
            output = args[++i];
        } else if (a == "--force") {
            force = true;
        } else if (a == "--lang" && has_value && (args[i + 1] == "fr" || args[i + 1] == "en")) {
            lang = args[++i] == "fr" ? Lang::kFr : Lang::kEn;
        } else if (input.empty() && !a.starts_with("-")) {
            input = a;
        } else {
            err << (fr ? "facteur facturx extract : option invalide « " + a + " »\n"
                       : "facteur facturx extract: invalid option '" + a + "'\n");
            return kExitUsage;
        }
    }
    if (input.empty()) {
        print_facturx_help(err, lang);
        return kExitUsage;
    }
    const formats::facturx::Options options;
    auto bytes = core::read_file(input, options.input_bytes_max);
    if (!bytes) {
        err << "facteur: " << input << ": " << (fr ? bytes.error().message_fr : bytes.error().message) << "\n";
        return kExitUsage;
    }
    auto extraction = formats::facturx::read_facturx(*bytes, options);
    if (!extraction) {
        err << "facteur: " << input << ": "
            << (fr ? extraction.error().message_fr : extraction.error().message) << "\n";
        return kExitInternal;
    }
    for (const model::Finding& f : extraction->findings) {
        err << input << ": [" << model::severity_name(f.severity) << "] " << f.rule << " "
            << (fr && !f.message_fr.empty() ? f.message_fr : f.message) << "\n";
    }
    if (extraction->xml.empty()) {
        err << (fr ? "facteur : aucun XML de facture n'a pu être extrait de " : "facteur: no invoice XML could be extracted from ")
            << input << "\n";
        return kExitInvalid;
    }
    if (output.empty()) {
        out << extraction->xml;
    } else {
        if (!write_output(output, extraction->xml, force, err, lang)) {
            return kExitUsage;
        }
    }
    return extraction->has_fatal() ? kExitInvalid : kExitOk;
}

}  // namespace facteur::cli
