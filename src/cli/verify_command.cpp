// `facteur verify BUNDLE --key KEYFILE`: checks an evidence bundle written by
// `facteur archive export` offline, trusting only the verifier key in KEYFILE (bundle.h).
// Prints a JSON summary. Exit 0 when everything verifies, 1 when anything does not, 2 usage or
// an unreadable key file.
#include <filesystem>
#include <ostream>

#include <boost/json.hpp>

#include "facteur/archive/bundle.h"
#include "facteur/archive/note.h"
#include "facteur/cli/cli.h"
#include "facteur/core/file.h"
#include "facteur/crypto/ed25519.h"

#include "commands.h"

namespace facteur::cli {

namespace {

namespace json = boost::json;

/// Largest key file read: a C2SP verifier key is under 200 bytes.
constexpr std::size_t kKeyFileBytesMax = 4096;

void print_verify_help(std::ostream& out, Lang lang) {
    if (lang == Lang::kFr) {
        out << "Utilisation : facteur verify LOT --key FICHIER_CLE [--tsa-cert CERT.pem]\n"
               "(FICHIER_CLE : clé de vérification C2SP ou clé publique PEM, facteur archive key [--pem])\n\n"
               "Vérifie un lot de preuves (facteur archive export) avec la seule clé publique de\n"
               "vérification du journal : signature du point de contrôle, empreinte de chaque\n"
               "original et de ses métadonnées, preuves d'inclusion, MANIFEST.sha256 ; avec\n"
               "--tsa-cert, le jeton d'horodatage RFC 3161 du point de contrôle (obligatoire alors).\n"
               "Code retour : 0 tout est vérifié, 1 anomalie, 2 erreur d'utilisation.\n";
        return;
    }
    out << "Usage: facteur verify BUNDLE --key KEYFILE [--tsa-cert CERT.pem]\n"
           "(KEYFILE: C2SP verifier key or PEM public key, facteur archive key [--pem])\n\n"
           "Verifies an evidence bundle (facteur archive export) with nothing but the log's "
           "public\n"
           "verifier key: checkpoint signature, digest of every original and its metadata,\n"
           "inclusion proofs, MANIFEST.sha256; with --tsa-cert, the checkpoint's RFC 3161 time\n"
           "stamp (then required) against that certificate only.\n"
           "Exit status: 0 everything verifies, 1 a problem, 2 usage error.\n";
}

}  // namespace

int run_verify(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
               Lang lang) {
    std::string bundle;
    std::string key_file;
    std::string tsa_cert_file;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& s = args[i];
        if (s == "--help" || s == "-h") {
            print_verify_help(out, lang);
            return kExitOk;
        }
        if (s == "--key" && i + 1 < args.size()) {
            key_file = args[++i];
        } else if (s == "--tsa-cert" && i + 1 < args.size()) {
            tsa_cert_file = args[++i];
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
    bool key_mismatch = false;
    if (key->starts_with("-----BEGIN")) {
        // A PEM public key (facteur archive key --pem): the trust anchor is that key; the log's
        // name comes from the bundle's verifier key, used only if it carries the same key.
        auto pem_key = crypto::Ed25519PublicKey::from_pem(*key);
        if (!pem_key) {
            err << "facteur: " << key_file << ": " << pem_key.error().text(fr) << "\n";
            return kExitUsage;
        }
        auto bundle_key = core::read_file(std::filesystem::path(bundle) / "verifier-key.txt", kKeyFileBytesMax);
        std::string text = bundle_key ? *bundle_key : std::string();
        while (!text.empty() && text.back() == '\n') {
            text.pop_back();
        }
        auto named = archive::NoteVerifier::parse(text);
        if (!named || named->public_key().raw() != pem_key->raw()) {
            key_mismatch = true;
        }
        *key = text;
    }
    std::string tsa_cert;
    if (!tsa_cert_file.empty()) {
        auto pem = core::read_file(tsa_cert_file, crypto::kPemBytesMax);
        if (!pem) {
            err << "facteur: " << tsa_cert_file << ": " << pem.error().text(fr) << "\n";
            return kExitUsage;
        }
        tsa_cert = std::move(*pem);
    }
    archive::BundleReport report;
    if (key_mismatch) {
        report.problem_count = 1;
        report.problems.emplace_back("verifier-key.txt does not carry the given public key");
    } else {
        archive::verify_bundle(bundle, *key, tsa_cert, report);
    }
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
                                        {"timestamp_present", report.timestamp_present},
                                        {"timestamp_verified", report.timestamp_verified},
                                        {"timestamp_unix_ms",
                                         report.timestamp_present
                                             ? json::value(report.timestamp_unix_ms)
                                             : json::value(nullptr)},
                                        {"tsa", report.tsa_subject},
                                        {"problem_count", report.problem_count},
                                        {"problems", std::move(problems)}})
        << "\n";
    return report.ok() ? kExitOk : kExitInvalid;
}

}  // namespace facteur::cli
