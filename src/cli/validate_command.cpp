#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <optional>
#include <ostream>
#include <thread>

#include "commands.h"
#include "facteur/cli/cli.h"
#include "facteur/core/file.h"
#include "facteur/pipeline/document_validator.h"
#include "facteur/pipeline/rule_versions.h"

namespace facteur::cli {

namespace {

namespace fs = std::filesystem;

struct Options {
    bool json = false;
    Lang lang = Lang::kEn;
    pipeline::ValidationOptions validation;
    std::optional<fs::path> schema_dir;
    unsigned jobs = 0;  // 0 = one per hardware thread
    std::vector<fs::path> paths;
    bool help = false;
};

void print_validate_help(std::ostream& out, Lang lang) {
    if (lang == Lang::kFr) {
        out << "Utilisation : facteur validate [OPTIONS] CHEMIN...\n\n"
               "CHEMIN : un fichier, ou un dossier parcouru récursivement (ordre trié).\n\n"
               "Options :\n"
               "  --format text|json   rapport lisible (défaut) ou JSON Lines, un objet par fichier\n"
               "  --layers LISTE       couches à exécuter, séparées par des virgules (xml,xsd,en16931,fr) ;\n"
               "                       défaut : toutes celles qui s'appliquent\n"
               "  --lang fr|en         langue des messages (défaut : d'après FACTEUR_LANG / LANG)\n"
               "  --cii-schema d16b|d22b  schéma des documents CII (défaut : d16b, d22b pour\n"
               "                          le profil EXTENDED-CTC-FR)\n"
               "  --fr-mode fatal|warning  variante des règles BR-FR (couche fr, défaut : fatal)\n"
               "  --rules COUCHE=VERSION   version d'un jeu de règles (facteur rules versions)\n"
               "  --rules-date AAAA-MM-JJ  jeux de règles publiés à cette date (défaut : les derniers)\n"
               "  --schemas DOSSIER    dossier des schémas officiels (défaut : celui de la build)\n"
               "  --jobs N             fichiers traités en parallèle (défaut : nombre de cœurs)\n\n"
               "Code de sortie : 0 tout est conforme, 1 au moins un document non conforme,\n"
               "2 erreur d'utilisation ou d'entrée/sortie.\n";
        return;
    }
    out << "Usage: facteur validate [OPTIONS] PATH...\n\n"
           "PATH: a file, or a directory walked recursively (sorted).\n\n"
           "Options:\n"
           "  --format text|json   readable report (default) or JSON Lines, one object per file\n"
           "  --layers LIST        comma-separated layers to run (xml,xsd,en16931,fr);\n"
           "                       default: every layer that applies\n"
           "  --lang fr|en         message language (default: from FACTEUR_LANG / LANG)\n"
           "  --cii-schema d16b|d22b  schema for CII documents (default: d16b, d22b for the\n"
           "                          EXTENDED-CTC-FR profile)\n"
           "  --fr-mode fatal|warning  BR-FR variant (layer fr; default: fatal)\n"
           "  --rules LAYER=VERSION    rule-set version of a layer (facteur rules versions)\n"
           "  --rules-date YYYY-MM-DD  the rule sets published by that date (default: the latest)\n"
           "  --schemas DIR        folder of the official schemas (default: the build's)\n"
           "  --jobs N             files validated in parallel (default: number of cores)\n\n"
           "Exit status: 0 all valid, 1 some invalid, 2 usage or I/O error.\n";
}

std::vector<std::string> split_commas(const std::string& list) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        if (comma > start) {
            out.push_back(list.substr(start, comma - start));
        }
        start = comma + 1;
    }
    return out;
}

/// Parses the options; returns an error message (in `lang`) on a usage error.
std::optional<std::string> parse_options(const std::vector<std::string>& args, Options& o) {
    const bool fr = o.lang == Lang::kFr;
    for (std::size_t k = 0; k < args.size(); ++k) {
        const std::string& a = args[k];
        std::string name = a;
        std::optional<std::string> value;
        if (a.starts_with("--") && a.find('=') != std::string::npos) {
            name = a.substr(0, a.find('='));
            value = a.substr(a.find('=') + 1);
        }
        const auto take = [&]() -> std::optional<std::string> {
            if (value) {
                return value;
            }
            if (k + 1 < args.size()) {
                return args[++k];
            }
            return std::nullopt;
        };
        if (name == "--help" || name == "-h") {
            o.help = true;
            continue;
        }
        if (name == "--") {
            for (++k; k < args.size(); ++k) {
                o.paths.emplace_back(args[k]);
            }
            break;
        }
        if (!name.starts_with("-")) {
            o.paths.emplace_back(a);
            continue;
        }
        const std::optional<std::string> v = take();
        if (!v) {
            return fr ? "l'option " + name + " attend une valeur" : "option " + name + " needs a value";
        }
        if (name == "--format" && (*v == "text" || *v == "json")) {
            o.json = *v == "json";
        } else if (name == "--lang" && (*v == "fr" || *v == "en")) {
            o.lang = *v == "fr" ? Lang::kFr : Lang::kEn;
        } else if (name == "--fr-mode" && (*v == "fatal" || *v == "warning")) {
            o.validation.fr_mode = *v == "warning" ? pipeline::FrMode::kWarning : pipeline::FrMode::kFatal;
        } else if (name == "--cii-schema" && (*v == "d16b" || *v == "d22b")) {
            o.validation.cii_schema = *v == "d22b" ? pipeline::CiiSchema::kD22b : pipeline::CiiSchema::kD16b;
        } else if (name == "--rules" && v->find('=') != std::string::npos && v->find('=') > 0) {
            const std::string layer = v->substr(0, v->find('='));
            const std::string version = v->substr(v->find('=') + 1);
            if (auto present = pipeline::select_rule_version(layer, std::nullopt, version); !present) {
                return fr ? present.error().message_fr : present.error().message;
            }
            o.validation.rule_versions[layer] = version;
        } else if (name == "--rules-date" && model::parse_date(*v, model::DateFormat::kIso8601).has_value()) {
            o.validation.rules_date = *model::parse_date(*v, model::DateFormat::kIso8601);
        } else if (name == "--schemas") {
            o.schema_dir = fs::path(*v);
        } else if (name == "--jobs" && !v->empty() && v->size() < 4 &&
                   std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                   std::stoi(*v) > 0) {
            o.jobs = static_cast<unsigned>(std::stoi(*v));
        } else if (name == "--layers") {
            o.validation.layers = split_commas(*v);
            const auto& known = pipeline::known_layers();
            std::string list;
            for (const std::string_view name_known : known) {
                list += (list.empty() ? "" : ", ") + std::string(name_known);
            }
            for (const std::string& layer : o.validation.layers) {
                if (std::find(known.begin(), known.end(), layer) == known.end()) {
                    return fr ? "couche inconnue « " + layer + " » (connues : " + list + ")"
                              : "unknown layer '" + layer + "' (known: " + list + ")";
                }
            }
        } else {
            return fr ? "option ou valeur invalide : " + name + " " + *v
                      : "invalid option or value: " + name + " " + *v;
        }
    }
    if (o.paths.empty() && !o.help) {
        return fr ? "aucun fichier ni dossier à valider" : "no file or directory to validate";
    }
    return std::nullopt;
}

bool wants_xsd(const pipeline::ValidationOptions& v) {
    return v.layers.empty() ||
           std::find(v.layers.begin(), v.layers.end(), pipeline::kLayerXsd) != v.layers.end();
}

/// Validates `files` on `jobs` threads and hands each report, in input order, to `emit`, until
/// it returns false (then no more report is emitted, and no more file is begun). At most
/// `window` reports wait for their turn, which bounds memory on large batches. The worker
/// that completes the next report in order emits it, and every ready one after it: `emit` runs on
/// one worker at a time, in order, and no thread has to be woken to write a report.
template <class Emit>
void validate_in_order(const std::vector<fs::path>& files, unsigned jobs,
                       validate::SchemaRegistry& registry,
                       const pipeline::ValidationOptions& options, Emit emit) {
    if (jobs <= 1 || files.size() <= 1) {
        pipeline::DocumentValidator validator(registry, options);
        for (const fs::path& file : files) {
            if (!emit(validator.validate_file(file))) {
                return;
            }
        }
        return;
    }
    constexpr std::size_t kWindow = 256;
    std::mutex mutex;
    std::condition_variable window_open;  // workers wait while kWindow reports are pending
    std::deque<std::optional<model::Report>> pending;  // reports [emitted, emitted + size)
    std::size_t emitted = 0;
    std::size_t next = 0;
    bool emitting = false;  // a worker is emitting (the lock is released while it writes)
    bool stopped = false;   // `emit` said to stop
    const auto worker = [&] {
        pipeline::DocumentValidator validator(registry, options);
        while (true) {
            std::size_t index = 0;
            {
                std::unique_lock lock(mutex);
                window_open.wait(lock, [&] {
                    return stopped || next >= files.size() || next < emitted + kWindow;
                });
                if (stopped || next >= files.size()) {
                    return;
                }
                index = next++;
                if (pending.size() < index - emitted + 1) {
                    pending.resize(index - emitted + 1);
                }
            }
            model::Report report = validator.validate_file(files[index]);
            std::unique_lock lock(mutex);
            if (stopped) {
                return;
            }
            pending[index - emitted] = std::move(report);
            if (emitting) {
                continue;  // the emitting worker looks at the front again after each report
            }
            emitting = true;
            bool window_was_full = false;
            while (!pending.empty() && pending.front().has_value()) {
                model::Report ready = std::move(*pending.front());
                pending.pop_front();
                window_was_full = window_was_full || next >= emitted + kWindow;
                ++emitted;
                lock.unlock();
                const bool go_on = emit(std::move(ready));
                lock.lock();
                if (!go_on) {
                    stopped = true;
                    window_open.notify_all();
                    return;
                }
            }
            emitting = false;
            if (window_was_full) {
                window_open.notify_all();
            }
        }
    };
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < jobs; ++t) {
        threads.emplace_back(worker);
    }
    for (std::thread& t : threads) {
        t.join();
    }
}

}  // namespace

int run_validate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                 bool colour, Lang lang) {
    Options o;
    o.lang = lang;
    if (const auto usage = parse_options(args, o)) {
        err << "facteur validate: " << *usage << "\n";
        print_validate_help(err, o.lang);
        return kExitUsage;
    }
    if (o.help) {
        print_validate_help(out, o.lang);
        return kExitOk;
    }
    const bool fr = o.lang == Lang::kFr;
    auto files = core::expand_paths(o.paths);
    if (!files) {
        err << "facteur validate: " << files.error().text(fr) << "\n";
        return kExitUsage;
    }
    validate::SchemaRegistryConfig registry_config;
    if (o.schema_dir) {
        registry_config.schema_dir = *o.schema_dir;
    }
    // The schema files are checked against the manifest on another thread while the first
    // documents are validated: the built-in grammars do not read them, and no report is printed
    // before the check has passed (a missing or altered file still gives one error and no
    // report). Grammars built from the files wait for their set's check (SchemaRegistry::pool()).
    registry_config.check_files_on_load = false;
    validate::SchemaRegistry registry(registry_config);
    std::future<core::Result<void>> files_checked;
    if (wants_xsd(o.validation)) {
        files_checked = std::async(std::launch::async, [&registry] { return registry.verify_all(); });
    }
    std::optional<core::Error> schema_error;
    // True once the schema files are known to be sound (or not needed); false after reporting why
    // they are not.
    const auto schemas_sound = [&] {
        if (files_checked.valid()) {
            if (auto verified = files_checked.get(); !verified) {
                schema_error = std::move(verified).error();
            }
        }
        return !schema_error;
    };
    const unsigned jobs = o.jobs != 0 ? o.jobs : std::max(1U, std::thread::hardware_concurrency());
    // A batch on several threads: load the grammars and rule sets in parallel first, rather than
    // have every worker wait on the same one-time load (a few files are not worth it).
    constexpr std::size_t kWarmUpFilesMin = 16;
    if (jobs > 1 && files->size() >= kWarmUpFilesMin) {
        pipeline::warm_up(registry, o.validation, jobs);
    }
    std::size_t valid = 0;
    std::size_t invalid = 0;
    bool io_error = false;
    validate_in_order(*files, jobs, registry, o.validation, [&](const model::Report& report) {
        if (!schemas_sound()) {
            return false;
        }
        report.valid() ? ++valid : ++invalid;
        io_error = io_error || std::any_of(report.layers.begin(), report.layers.end(),
                                           [](const model::LayerResult& l) { return l.name == "io"; });
        out << (o.json ? render_json(report, o.lang) + "\n" : render_text(report, o.lang, colour));
        out.flush();
        return true;
    });
    if (!schemas_sound()) {
        err << "facteur: " << schema_error->text(fr) << "\n";
        return kExitUsage;
    }
    if (!o.json) {
        out << render_summary(valid, invalid, o.lang, colour);
    }
    if (io_error) {
        return kExitUsage;
    }
    return invalid == 0 ? kExitOk : kExitInvalid;
}

}  // namespace facteur::cli
