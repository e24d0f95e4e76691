// `facteur archive SUBCOMMAND --db DIR ...`: the evidence archive from the command line.
//   deposit PATH... [--tenant NAME] [--accept-invalid] [--jobs N]   JSON Lines, one receipt per file
//   get ID | meta ID | proof ID | journal ID              original bytes / JSON
//   checkpoint | key | scrub | count | list [filters]     JSON
//   hold ID --on|--off | destroy ID | gaps --seller SIREN
//   export --out BUNDLE [filters]                      self-verifying evidence bundle (bundle.h)
//   timestamp | tsa-cert                                  stamp pending checkpoints / TSA certificate
// Time-stamping: facteur's local test TSA (DIR/tsa, NOT QUALIFIED) unless --tsa-url URL
// --tsa-cert PEM names a real one (https: --tsa-ca, FACTEUR_TSA_AUTHORIZATION); --no-tsa leaves
// checkpoints unstamped.
// Filters: --seller SIREN --buyer SIREN --number BT-1 --from YYYY-MM-DD --to YYYY-MM-DD --limit N.
// Exit 0 success, 1 rejected deposit / scrub mismatch / refused operation, 2 usage or I/O error.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>
#include <ostream>

#include <boost/json.hpp>

#include "commands.h"
#include "facteur/archive/archive.h"
#include "facteur/archive/bundle.h"
#include "facteur/archive/local_tsa.h"
#include "facteur/cli/cli.h"
#include "facteur/core/file.h"
#include "facteur/crypto/encoding.h"
#include "facteur/crypto/sha256.h"
#include "facteur/crypto/timestamp.h"
#include "facteur/crypto/ed25519.h"
#include "facteur/pipeline/ingest.h"
#include "facteur/tsa/timestamper.h"
#include "facteur/validate/schema_registry.h"

namespace facteur::cli {

namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

void print_archive_help(std::ostream& out, Lang lang) {
    if (lang == Lang::kFr) {
        out << "Utilisation : facteur archive COMMANDE --db DOSSIER [...]\n\n"
               "  deposit CHEMIN... [--tenant NOM] [--accept-invalid] [--jobs N]\n"
               "                           valide puis archive (JSON Lines, une ligne par fichier)\n"
               "  get ID                   octets originaux sur la sortie standard\n"
               "  meta ID | proof ID | journal ID   métadonnées, preuve d'inclusion, journal (JSON)\n"
               "  checkpoint | key [--pem] | scrub  point de contrôle signé, clé publique (clé de\n"
               "                                   vérification C2SP, ou PEM), vérification\n"
               "  list | count [--seller SIREN] [--buyer SIREN] [--number N] [--from DATE] [--to DATE]\n"
               "  hold ID --on|--off | destroy ID | gaps --seller SIREN\n"
               "  export --out LOT [filtres]       lot de preuves autonome (vérifier : facteur verify)\n"
               "  timestamp | tsa-cert             horodater les points de contrôle en attente,\n"
               "                                   certificat de l'autorité d'horodatage (PEM)\n"
               "Horodatage RFC 3161 : autorité de test locale de facteur (DOSSIER/tsa, NON QUALIFIÉE)\n"
               "sauf --tsa-url URL --tsa-cert CERT.pem ; --no-tsa : pas d'horodatage. En https,\n"
               "--tsa-ca AC.pem remplace les autorités TLS du système ; un en-tête Authorization\n"
               "exigé par l'autorité se donne dans la variable FACTEUR_TSA_AUTHORIZATION.\n"
               "Code retour : 0 succès, 1 refus ou anomalie, 2 erreur d'utilisation ou d'E/S.\n";
        return;
    }
    out << "Usage: facteur archive COMMAND --db DIR [...]\n\n"
           "  deposit PATH... [--tenant NAME] [--accept-invalid] [--jobs N]\n"
           "                           validate then archive (JSON Lines, one line per file)\n"
           "  get ID                   original bytes to stdout\n"
           "  meta ID | proof ID | journal ID   metadata, inclusion proof, journal (JSON)\n"
           "  checkpoint | key [--pem] | scrub  signed checkpoint, public key (C2SP verifier key,\n"
           "                                   or PEM), integrity check\n"
           "  list | count [--seller SIREN] [--buyer SIREN] [--number N] [--from DATE] [--to DATE]\n"
           "  hold ID --on|--off | destroy ID | gaps --seller SIREN\n"
           "  export --out BUNDLE [filters]    self-verifying evidence bundle (check: facteur verify)\n"
           "  timestamp | tsa-cert             stamp the pending checkpoints, the time-stamping\n"
           "                                   authority's certificate (PEM)\n"
           "RFC 3161 time stamps: facteur's local test TSA (DIR/tsa, NOT QUALIFIED) unless\n"
           "--tsa-url URL --tsa-cert CERT.pem; --no-tsa: no time stamps. Over https, --tsa-ca\n"
           "CA.pem replaces the system's TLS authorities; an Authorization header the TSA\n"
           "requires goes in the FACTEUR_TSA_AUTHORIZATION environment variable.\n"
           "Exit status: 0 success, 1 refused or mismatch, 2 usage or I/O error.\n";
}

std::string hex(const archive::Hash& h) { return crypto::to_hex(h); }

json::object meta_json(const archive::ObjectMeta& m) {
    json::object o{{"id", m.id},
                   {"leaf_index", m.leaf_index},
                   {"tenant", m.tenant},
                   {"deposited_at_unix_ms", m.deposited_at_unix_ms},
                   {"size", m.size_bytes},
                   {"hash_algorithm", m.hash_algorithm},
                   {"sha256", hex(m.sha256)},
                   {"retain_until_unix_ms", m.retain_until_unix_ms},
                   {"seller_siren", m.invoice.seller_siren},
                   {"buyer_siren", m.invoice.buyer_siren},
                   {"number", m.invoice.number},
                   {"issue_date", m.invoice.issue_date},
                   {"type_code", m.invoice.type_code},
                   {"currency", m.invoice.currency},
                   {"total_without_vat", m.invoice.total_without_vat},
                   {"total_vat", m.invoice.total_vat},
                   {"total_with_vat", m.invoice.total_with_vat},
                   {"syntax", m.invoice.syntax},
                   {"profile", m.invoice.profile},
                   {"legal_hold", m.legal_hold}};
    auto verdict = json::parse(m.verdict_json.empty() ? "null" : m.verdict_json);
    o["verdict"] = verdict;
    o["destroyed_at_unix_ms"] = m.destroyed_at_unix_ms ? json::value(*m.destroyed_at_unix_ms) : json::value(nullptr);
    if (!m.destruction_record.empty()) {
        o["destruction_record"] = m.destruction_record;
    }
    return o;
}

struct Args {
    std::string db;
    std::string tsa_url;
    std::string tsa_cert;
    std::string tsa_ca;  // https: the authorities trusted for the TSA's TLS certificate
    bool no_tsa = false;
    /// --recover-torn-wal: the operator's recovery after a crash (docs/adr/0004, decision 3):
    /// open once dropping an incomplete last write-ahead-log record, still refusing damage
    /// anywhere else.
    bool recover_torn_wal = false;
    bool pem = false;  // key: PEM instead of the C2SP verifier key
    unsigned jobs = 1;  // deposits validated and committed in parallel (group commit)
    std::string out_dir;
    std::vector<std::string> positional;
    std::string tenant = "facteur";
    bool accept_invalid = false;
    std::optional<bool> hold;
    archive::ListFilter filter;
};

/// Environment variable holding the Authorization header value a configured TSA requires
/// (kept off the command line, where other users of the machine could read it).
constexpr const char* kTsaAuthorizationEnv = "FACTEUR_TSA_AUTHORIZATION";

core::Result<std::shared_ptr<const archive::Timestamper>> open_http_timestamper(const Args& a) {
    tsa::HttpTsaClientConfig config;
    config.url = a.tsa_url;
    FACTEUR_TRY_ASSIGN(config.tsa_cert_pem, core::read_file(a.tsa_cert, crypto::kPemBytesMax));
    config.tls_ca_file = a.tsa_ca;
    if (const char* authorization = std::getenv(kTsaAuthorizationEnv)) {
        config.authorization = authorization;
    }
    FACTEUR_TRY_ASSIGN(auto timestamper, tsa::HttpTimestamper::create(std::move(config)));
    return std::shared_ptr<const archive::Timestamper>(std::move(timestamper));
}

/// The TSA the archive commands use: a configured one (--tsa-url, --tsa-cert), else facteur's
/// local test TSA in DIR/tsa.
core::Result<std::shared_ptr<const archive::Timestamper>> open_timestamper(const Args& a,
                                                                          const core::Clock& clock) {
    if (!a.tsa_url.empty() || !a.tsa_cert.empty() || !a.tsa_ca.empty()) {
        if (a.tsa_url.empty() || a.tsa_cert.empty()) {
            return core::fail(core::Errc::kInvalidInput, "CLI-TSA", "--tsa-url and --tsa-cert go together",
                              "--tsa-url et --tsa-cert vont ensemble");
        }
        return open_http_timestamper(a);
    }
    FACTEUR_TRY_ASSIGN(auto local, archive::LocalTsaTimestamper::open(fs::path(a.db) / "tsa", clock));
    return std::shared_ptr<const archive::Timestamper>(std::move(local));
}

/// "tsa" (the TSA certificate's subject) and "tsa_qualified" (false for the local test TSA;
/// null when facteur cannot know: a configured TSA's qualification is on the EU trusted lists).
void add_tsa_fields(json::object& o, const archive::Timestamper& tsa) {
    o["tsa_local_test"] = tsa.local_test_tsa();
    o["tsa_qualified"] = tsa.local_test_tsa() ? json::value(false) : json::value(nullptr);
}

/// The time stamp of a proof's checkpoint: null while pending.
json::value timestamp_json(const std::string& token, const archive::Timestamper* tsa) {
    if (token.empty()) {
        return nullptr;
    }
    json::object o{{"token_base64", crypto::base64_encode(crypto::as_bytes(token))}};
    if (auto info = crypto::read_timestamp_token(crypto::as_bytes(token))) {
        o["gen_time_unix_ms"] = info->gen_time_unix_ms;
        o["tsa"] = info->tsa_subject;
        o["policy"] = info->policy_oid;
        o["serial"] = info->serial_hex;
    }
    if (tsa != nullptr) {
        add_tsa_fields(o, *tsa);
    }
    return o;
}

}  // namespace

int run_archive(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, Lang lang) {
    if (args.empty() || args.front() == "--help" || args.front() == "-h") {
        print_archive_help(args.empty() ? err : out, lang);
        return args.empty() ? kExitUsage : kExitOk;
    }
    const std::string command = args.front();
    Args a;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& s = args[i];
        const bool has_value = i + 1 < args.size();
        if (s == "--db" && has_value) {
            a.db = args[++i];
        } else if (s == "--tsa-url" && has_value) {
            a.tsa_url = args[++i];
        } else if (s == "--tsa-cert" && has_value) {
            a.tsa_cert = args[++i];
        } else if (s == "--tsa-ca" && has_value) {
            a.tsa_ca = args[++i];
        } else if (s == "--no-tsa") {
            a.no_tsa = true;
        } else if (s == "--recover-torn-wal") {
            a.recover_torn_wal = true;
        } else if (s == "--pem") {
            a.pem = true;
        } else if (s == "--jobs" && has_value && !args[i + 1].empty() && args[i + 1].size() < 4 &&
                   args[i + 1].find_first_not_of("0123456789") == std::string::npos && args[i + 1] != "0") {
            a.jobs = static_cast<unsigned>(std::stoul(args[++i]));
        } else if (s == "--out" && has_value) {
            a.out_dir = args[++i];
        } else if (s == "--tenant" && has_value) {
            a.tenant = args[++i];
        } else if (s == "--accept-invalid") {
            a.accept_invalid = true;
        } else if (s == "--on" || s == "--off") {
            a.hold = s == "--on";
        } else if (s == "--seller" && has_value) {
            a.filter.seller_siren = args[++i];
        } else if (s == "--buyer" && has_value) {
            a.filter.buyer_siren = args[++i];
        } else if (s == "--number" && has_value) {
            a.filter.number = args[++i];
        } else if (s == "--from" && has_value) {
            a.filter.issued_from = args[++i];
        } else if (s == "--to" && has_value) {
            a.filter.issued_to = args[++i];
        } else if (s == "--limit" && has_value && !args[i + 1].empty() && args[i + 1].size() < 7 &&
                   args[i + 1].find_first_not_of("0123456789") == std::string::npos) {
            a.filter.limit = std::stoul(args[++i]);
        } else if (s == "--lang" && has_value && (args[i + 1] == "fr" || args[i + 1] == "en")) {
            lang = args[++i] == "fr" ? Lang::kFr : Lang::kEn;
        } else if (!s.starts_with("-")) {
            a.positional.push_back(s);
        } else {
            err << (lang == Lang::kFr ? "facteur archive : option invalide « " + s + " »\n"
                                      : "facteur archive: invalid option '" + s + "'\n");
            return kExitUsage;
        }
    }
    const bool fr = lang == Lang::kFr;
    if (a.db.empty()) {
        err << (fr ? "facteur archive : --db DOSSIER est obligatoire\n" : "facteur archive: --db DIR is required\n");
        return kExitUsage;
    }
    const bool needs_id = command == "get" || command == "meta" || command == "proof" || command == "journal" ||
                          command == "hold" || command == "destroy";
    if (needs_id && a.positional.size() != 1) {
        err << (fr ? "facteur archive " + command + " : un identifiant attendu\n"
                   : "facteur archive " + command + ": one object id expected\n");
        return kExitUsage;
    }
    const core::SystemClock clock;
    archive::ArchiveOptions archive_options;
    if (a.recover_torn_wal) {
        archive_options.wal_recovery = store::WalRecovery::kTolerateCorruptedTailRecords;
    }
    if (!a.no_tsa) {
        auto timestamper = open_timestamper(a, clock);
        if (!timestamper) {
            err << "facteur: " << timestamper.error().text(fr) << "\n";
            return kExitUsage;
        }
        archive_options.timestamper = std::move(*timestamper);
    }
    auto opened = archive::Archive::open(a.db, archive_options, clock);
    if (!opened) {
        if (opened.error().message.find("LOCK") != std::string::npos) {  // RocksDB's single-process lock
            err << (fr ? "facteur : " + a.db + " est ouverte par un autre processus facteur (une archive n'a "
                         "qu'un seul processus à la fois) ; réessayez quand il a fini\n"
                       : "facteur: " + a.db + " is open in another facteur process (an archive has one "
                         "process at a time); retry when it is done\n");
            return kExitUsage;
        }
        err << "facteur: " << a.db << ": " << opened.error().text(fr) << "\n";
        if (!a.recover_torn_wal && opened.error().message.find("Corruption") != std::string::npos) {
            err << (fr ? "facteur : si l'archive s'est arrêtée brutalement pendant une écriture (kill, coupure), "
                         "relancez une fois la commande avec --recover-torn-wal : seul un dernier enregistrement "
                         "incomplet du journal d'écriture, jamais acquitté, est abandonné ; tout autre dommage "
                         "reste refusé\n"
                       : "facteur: if the archive stopped abruptly during a write (kill, power loss), run the "
                         "command once with --recover-torn-wal: only an incomplete last write-ahead-log record, "
                         "never acknowledged, is dropped; any other damage is still refused\n");
        }
        return kExitUsage;
    }
    archive::Archive& ar = **opened;
    const std::string actor = "cli";
    auto fail = [&](const core::Error& e) {
        err << "facteur: " << e.id << (e.id.empty() ? "" : ": ") << e.text(fr) << "\n";
        return e.code == core::Errc::kInvalidInput || e.code == core::Errc::kNotFound ? kExitUsage : kExitInvalid;
    };
    const archive::Timestamper* tsa = archive_options.timestamper.get();
    // Checkpoints signed by this command get their time stamp before it ends; a TSA outage is a
    // warning (the checkpoints wait for the next command), never a failed deposit.
    auto stamp = [&]() -> std::optional<archive::TimestampRun> {
        if (tsa == nullptr) {
            return std::nullopt;
        }
        auto run = ar.stamp_pending();
        if (!run) {
            err << "facteur: " << run.error().text(fr) << "\n";
            return std::nullopt;
        }
        if (run->tsa_error) {
            err << (fr ? "facteur : horodatage impossible pour l'instant, " : "facteur: cannot time-stamp now, ")
                << run->pending
                << (fr ? " point(s) de contrôle en attente : " : " checkpoint(s) pending: ")
                << run->tsa_error->text(fr) << "\n";
        }
        return *run;
    };
    if (command == "deposit") {
        if (a.positional.empty()) {
            err << (fr ? "facteur archive deposit : aucun fichier\n" : "facteur archive deposit: no file\n");
            return kExitUsage;
        }
        validate::SchemaRegistry registry(validate::SchemaRegistryConfig{});
        pipeline::IngestOptions options;
        options.tenant = a.tenant;
        options.accept_invalid = a.accept_invalid;
        // One receipt line per file, written and flushed as soon as its deposit is committed
        // (input order with --jobs 1; completion order otherwise: the "file" field says which).
        std::mutex out_mu;
        std::atomic<std::size_t> next{0};
        std::atomic<bool> rejected{false};
        const auto worker = [&] {
            pipeline::DocumentValidator validator(registry, pipeline::ValidationOptions{});
            for (std::size_t i = next++; i < a.positional.size(); i = next++) {
                const std::string& path = a.positional[i];
                json::object o{{"file", path}};
                auto bytes = core::read_file(path, archive::ArchiveOptions{}.document_bytes_max);
                if (!bytes) {
                    o["id"] = nullptr;
                    o["leaf_index"] = nullptr;
                    o["sha256"] = nullptr;
                    o["status"] = "rejected";
                    o["message"] = bytes.error().text(fr);
                    rejected = true;
                } else {
                    const pipeline::IngestOutcome r = pipeline::ingest(ar, validator, *bytes, path, options);
                    o["id"] = r.receipt ? json::value(r.receipt->id) : json::value(nullptr);
                    o["leaf_index"] = r.receipt ? json::value(r.receipt->leaf_index) : json::value(nullptr);
                    o["sha256"] = r.receipt ? json::value(hex(r.receipt->sha256)) : json::value(nullptr);
                    o["status"] = pipeline::ingest_status_name(r.status);
                    o["message"] = fr && !r.message_fr.empty() ? r.message_fr : r.message;
                    if (r.status == pipeline::IngestStatus::kRejected) {
                        rejected = true;
                    }
                }
                const std::lock_guard lock(out_mu);
                out << json::serialize(o) << "\n" << std::flush;
            }
        };
        const auto jobs = static_cast<unsigned>(std::min<std::size_t>(a.jobs, a.positional.size()));
        if (jobs <= 1) {
            worker();
        } else {
            std::vector<std::thread> threads;
            for (unsigned t = 0; t < jobs; ++t) {
                threads.emplace_back(worker);
            }
            for (std::thread& t : threads) {
                t.join();
            }
        }
        const int code = rejected ? kExitInvalid : kExitOk;
        stamp();
        return code;
    }
    if (command == "timestamp") {
        if (tsa == nullptr) {
            err << (fr ? "facteur archive timestamp : aucune autorité d'horodatage (--no-tsa)\n"
                       : "facteur archive timestamp: no time-stamping authority (--no-tsa)\n");
            return kExitUsage;
        }
        const auto run = stamp();
        if (!run) {
            return kExitUsage;
        }
        json::object o{{"stamped", run->stamped}, {"pending", run->pending}};
        add_tsa_fields(o, *tsa);
        o["error"] = run->tsa_error ? json::value(run->tsa_error->text(fr)) : json::value(nullptr);
        out << json::serialize(o) << "\n";
        return run->tsa_error ? kExitInvalid : kExitOk;
    }
    if (command == "tsa-cert") {
        if (tsa == nullptr) {
            err << (fr ? "facteur archive tsa-cert : aucune autorité d'horodatage (--no-tsa)\n"
                       : "facteur archive tsa-cert: no time-stamping authority (--no-tsa)\n");
            return kExitUsage;
        }
        out << tsa->certificate_pem();
        return kExitOk;
    }
    if (command == "export") {
        if (a.out_dir.empty()) {
            err << (fr ? "facteur archive export : --out LOT est obligatoire\n"
                       : "facteur archive export: --out BUNDLE is required\n");
            return kExitUsage;
        }
        auto summary = archive::export_bundle(ar, a.filter, a.out_dir);
        if (!summary) {
            return fail(summary.error());
        }
        json::object o{{"bundle", a.out_dir},
                       {"objects", summary->objects},
                       {"originals", summary->originals},
                       {"destroyed", summary->destroyed},
                       {"tree_size", summary->tree_size},
                       {"timestamped", summary->timestamped}};
        if (summary->timestamped) {
            o["timestamp_unix_ms"] = summary->timestamp_unix_ms;
            o["tsa"] = summary->tsa_subject;
        }
        if (tsa != nullptr) {
            o["tsa_qualified"] = tsa->local_test_tsa() ? json::value(false) : json::value(nullptr);
        }
        if (summary->tsa_error) {
            err << (fr ? "facteur : lot exporté sans horodatage : " : "facteur: bundle exported without a time stamp: ")
                << summary->tsa_error->text(fr) << "\n";
        }
        out << json::serialize(o) << "\n";
        return kExitOk;
    }
    if (command == "get") {
        auto bytes = ar.get(a.positional[0], actor);
        if (!bytes) {
            return fail(bytes.error());
        }
        out << *bytes;
        return kExitOk;
    }
    if (command == "meta") {
        auto m = ar.meta(a.positional[0], actor);
        if (!m) {
            return fail(m.error());
        }
        out << json::serialize(meta_json(*m)) << "\n";
        return kExitOk;
    }
    if (command == "proof") {
        if (tsa != nullptr) {  // a checkpoint covering every leaf, stamped when the TSA answers
            auto signed_now = ar.checkpoint();
            if (!signed_now) {
                return fail(signed_now.error());
            }
            stamp();
        }
        auto p = ar.proof(a.positional[0], actor);
        if (!p) {
            return fail(p.error());
        }
        json::array hashes;
        for (const archive::Hash& h : p->hashes) {
            hashes.emplace_back(hex(h));
        }
        out << json::serialize(json::object{{"id", p->id},
                                            {"leaf_index", p->leaf_index},
                                            {"leaf_entry", p->leaf_entry},
                                            {"tree_size", p->tree_size},
                                            {"hashes", std::move(hashes)},
                                            {"checkpoint", p->checkpoint},
                                            {"verifier_key", ar.verifier().verifier_key()},
                                            {"timestamp", timestamp_json(p->timestamp_token, tsa)}})
            << "\n";
        return kExitOk;
    }
    if (command == "journal") {
        auto entries = ar.journal(a.positional[0]);
        if (!entries) {
            return fail(entries.error());
        }
        for (const archive::JournalEntry& e : *entries) {
            out << json::serialize(json::object{{"seq", e.seq},
                                                {"at_unix_ms", e.at_unix_ms},
                                                {"object", e.object_id},
                                                {"action", archive::journal_action_name(e.action)},
                                                {"actor", e.actor},
                                                {"detail", e.detail},
                                                {"hash", hex(e.hash)}})
                << "\n";
        }
        return kExitOk;
    }
    if (command == "checkpoint") {
        auto note = ar.checkpoint();
        if (!note) {
            return fail(note.error());
        }
        stamp();
        out << *note;
        return kExitOk;
    }
    if (command == "key") {
        if (a.pem) {  // the Ed25519 public key as PEM (SubjectPublicKeyInfo)
            auto pem = ar.verifier().public_key().to_pem();
            if (!pem) {
                return fail(pem.error());
            }
            out << *pem;
            return kExitOk;
        }
        out << ar.verifier().verifier_key() << "\n";  // C2SP verifier key: name, key id, key
        return kExitOk;
    }
    if (command == "list" || command == "count") {
        if (command == "count") {
            auto n = ar.count(a.filter);
            if (!n) {
                return fail(n.error());
            }
            out << *n << "\n";
            return kExitOk;
        }
        auto items = ar.list(a.filter, actor);
        if (!items) {
            return fail(items.error());
        }
        for (const archive::ObjectMeta& m : *items) {
            out << json::serialize(meta_json(m)) << "\n";
        }
        return kExitOk;
    }
    if (command == "hold") {
        if (!a.hold) {
            err << (fr ? "facteur archive hold : --on ou --off attendu\n" : "facteur archive hold: --on or --off expected\n");
            return kExitUsage;
        }
        auto r = ar.hold(a.positional[0], *a.hold, actor);
        return r ? kExitOk : fail(r.error());
    }
    if (command == "destroy") {
        auto record = ar.destroy(a.positional[0], actor);
        if (!record) {
            return fail(record.error());
        }
        out << *record;
        return kExitOk;
    }
    if (command == "scrub") {
        auto report = ar.scrub();
        if (!report) {
            return fail(report.error());
        }
        json::array problems;
        for (const std::string& p : report->problems) {
            problems.emplace_back(p);
        }
        out << json::serialize(json::object{{"ok", report->ok()},
                                            {"leaves", report->leaves},
                                            {"originals", report->originals},
                                            {"destroyed", report->destroyed},
                                            {"checkpoints", report->checkpoints},
                                            {"subtrees", report->subtrees},
                                            {"journal_entries", report->journal_entries},
                                            {"index_entries", report->index_entries},
                                            {"timestamps", report->timestamps},
                                            {"timestamps_pending", report->timestamps_pending},
                                            {"problem_count", report->problem_count},
                                            {"problems", std::move(problems)}})
            << "\n";
        return report->ok() ? kExitOk : kExitInvalid;
    }
    if (command == "gaps") {
        if (a.filter.seller_siren.empty()) {
            err << (fr ? "facteur archive gaps : --seller SIREN attendu\n" : "facteur archive gaps: --seller SIREN expected\n");
            return kExitUsage;
        }
        auto g = ar.gaps(a.filter.seller_siren);
        if (!g) {
            return fail(g.error());
        }
        json::array series;
        bool holes = false;
        for (const archive::NumberSeries& s : g->series) {
            json::array missing;
            for (const archive::NumberRange& r : s.missing) {
                missing.push_back(json::array{r.first, r.last});
            }
            json::array dups;
            for (const archive::DuplicateNumber& d : s.duplicates) {
                json::array numbers;
                for (const std::string& n : d.numbers) {
                    numbers.emplace_back(n);
                }
                dups.push_back(json::object{{"value", d.value}, {"numbers", std::move(numbers)}});
            }
            holes = holes || !s.missing.empty() || !s.duplicates.empty();
            series.push_back(json::object{{"year", s.year},
                                          {"prefix", s.prefix},
                                          {"first", s.first},
                                          {"last", s.last},
                                          {"count", s.count},
                                          {"missing", std::move(missing)},
                                          {"duplicates", std::move(dups)}});
        }
        json::array unnumbered;
        for (const std::string& n : g->unnumbered) {
            unnumbered.emplace_back(n);
        }
        out << json::serialize(json::object{{"seller", a.filter.seller_siren},
                                            {"series", std::move(series)},
                                            {"unnumbered", std::move(unnumbered)},
                                            {"truncated", g->truncated}})
            << "\n";
        return holes ? kExitInvalid : kExitOk;
    }
    err << (fr ? "facteur archive : commande inconnue « " + command + " »\n"
               : "facteur archive: unknown command '" + command + "'\n");
    return kExitUsage;
}

}  // namespace facteur::cli
