// `facteur verify BUNDLE --key KEYFILE`: checks an evidence bundle written by
// `facteur archive export` offline, trusting only the verifier key in KEYFILE (bundle.h).
// Prints a JSON summary. Exit 0 when everything verifies, 1 when anything does not, 2 usage or
// an unreadable key file.
#include <filesystem>
#include <ostream>

#include <boost/json.hpp>

#include "facteur/archive/bundle.h"
#include "facteur/cli/cli.h"
#include "facteur/core/file.h"

#include "commands.h"

namespace facteur::cli {

namespace {

namespace json = boost::json;

/// Largest key file read: a C2SP verifier key is under 200 bytes.
constexpr std::size_t kKeyFileBytesMax = 4096;

void print_verify_help(std::ostream& out, Lang lang) {
    if (lang == Lang::kFr) {
        out << "Utilisation : facteur verify LOT --key FICHIER_CLE\n\n"
               "Vérifie un lot de preuves (facteur archive export) avec la seule clé publique de\n"
               "vérification du journal : signature du point de contrôle, empreinte de chaque\n"
               "original et de ses métadonnées, preuves d'inclusion, MANIFEST.sha256.\n"
               "Code retour : 0 tout est vérifié, 1 anomalie, 2 erreur d'utilisation.\n";
        return;
    }
    out << "Usage: facteur verify BUNDLE --key KEYFILE\n\n"
           "Verifies an evidence bundle (facteur archive export) with nothing but the log's "
           "public\n"
           "verifier key: checkpoint signature, digest of every original and its metadata,\n"
           "inclusion proofs, MANIFEST.sha256.\n"
           "Exit status: 0 everything verifies, 1 a problem, 2 usage error.\n";
}

}  // namespace

int run_verify(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
               Lang lang) {
    std::string bundle;
    std::string key_file;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& s = args[i];
        if (s == "--help" || s == "-h") {
            print_verify_help(out, lang);
            return kExitOk;
        }
        if (s == "--key" && i + 1 < args.size()) {
            key_file = args[++i];
        } else if (s == "--lang" && i + 1 < args.size()
                   && (args[i + 1] == "fr" || args[i + 1] == "en")) {
            lang = args[++i] == "fr" ? Lang::kFr : Lang::kEn;
        } else if (!s.starts_with("-") && bundle.empty()) {
            bundle = s;
        } else {
            err << (lang == Lang::kFr ? "facteur verify : argument invalide « " + s + " »\n"
                                      : "facteur verify: invalid argument '" + s + "'\n");
            return kExitUsage;
        }
    }
    const bool fr = lang == Lang::kFr;
    if (bundle.empty() || key_file.empty()) {
        print_verify_help(err, lang);
        return kExitUsage;
    }
    auto key = core::read_file(key_file, kKeyFileBytesMax);
    if (!key) {
        err << "facteur: " << key_file << ": " << key.error().text(fr) << "\n";
        return kExitUsage;
    }
    archive::BundleReport report;
    archive::verify_bundle(bundle, *key, report);
    json::array problems;
    for (const std::string& p : report.problems) {
        problems.emplace_back(p);
    }
    out << json::serialize(json::object{{"ok", report.ok()},
                                        {"bundle", bundle},
                                        {"checkpoint_verified", report.checkpoint_verified},
                                        {"tree_size", report.tree_size},
                                        {"objects", report.objects},
                                        {"originals_verified", report.originals_verified},
                                        {"destroyed_verified", report.destroyed_verified},
                                        {"metadata_verified", report.metadata_verified},
                                        {"proofs_verified", report.proofs_verified},
                                        {"manifest_files", report.manifest_files},
                                        {"problem_count", report.problem_count},
                                        {"problems", std::move(problems)}})
        << "\n";
    return report.ok() ? kExitOk : kExitInvalid;
}

}  // namespace facteur::cli
