// Evidence bundles (bundle.h): export of archived objects with one signed checkpoint and their
// inclusion proofs, and the offline verifier that trusts nothing but the public verifier key.
#include "facteur/archive/bundle.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <system_error>
#include <utility>

#include "facteur/archive/checkpoint.h"
#include "facteur/archive/leaf.h"
#include "facteur/archive/merkle.h"
#include "facteur/archive/note.h"
#include "facteur/core/file.h"
#include "facteur/crypto/encoding.h"
#include "facteur/crypto/sha256.h"
#include "facteur/crypto/timestamp.h"

#include "archive_impl.h"

namespace facteur::archive {

namespace {

namespace fs = std::filesystem;
using core::Errc;

constexpr std::string_view kActor = "bundle-export";
constexpr std::string_view kManifest = "MANIFEST.sha256";
/// Attempts to get every proof against one checkpoint while deposits keep signing newer ones.
constexpr int kCheckpointAttemptsMax = 8;

// ---- rendering shared by export and verify (verify re-renders and compares bytes, so every
// parsed file has exactly one accepted form)

std::string json_string(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (byte < 0x20 || byte == 0x7f) {
            out.append("\\u00");
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0xf]);
        } else {
            out.push_back(c);
        }
    }
    out.push_back('"');
    return out;
}

/// meta.json: the fields of the metadata record (what the leaf commits to), nothing else.
std::string render_meta_json(const ObjectMeta& m) {
    std::string out = "{\n";
    auto str = [&](std::string_view key, std::string_view value, bool last = false) {
        out.append("  ").append(json_string(key)).append(": ").append(json_string(value));
        out.append(last ? "\n" : ",\n");
    };
    auto num = [&](std::string_view key, const std::string& value) {
        out.append("  ").append(json_string(key)).append(": ").append(value).append(",\n");
    };
    str("id", m.id);
    num("leaf_index", std::to_string(m.leaf_index));
    str("tenant", m.tenant);
    num("deposited_at_unix_ms", std::to_string(m.deposited_at_unix_ms));
    num("size", std::to_string(m.size_bytes));
    str("hash_algorithm", m.hash_algorithm);
    str("sha256", crypto::to_hex(m.sha256));
    num("retain_until_unix_ms", std::to_string(m.retain_until_unix_ms));
    str("seller_siren", m.invoice.seller_siren);
    str("buyer_siren", m.invoice.buyer_siren);
    str("number", m.invoice.number);
    str("issue_date", m.invoice.issue_date);
    str("type_code", m.invoice.type_code);
    str("currency", m.invoice.currency);
    str("total_without_vat", m.invoice.total_without_vat);
    str("total_vat", m.invoice.total_vat);
    str("total_with_vat", m.invoice.total_with_vat);
    str("syntax", m.invoice.syntax);
    str("profile", m.invoice.profile);
    str("verdict_json", m.verdict_json, true);
    out.append("}\n");
    return out;
}

struct ProofFile {
    std::string id;
    std::uint64_t leaf_index = 0;
    std::uint64_t tree_size = 0;
    std::vector<Hash> hashes;
};

std::string render_proof_json(const ProofFile& p) {
    std::string out = "{\n";
    out.append("  \"id\": ").append(json_string(p.id)).append(",\n");
    out.append("  \"leaf_index\": ").append(std::to_string(p.leaf_index)).append(",\n");
    out.append("  \"tree_size\": ").append(std::to_string(p.tree_size)).append(",\n");
    if (p.hashes.empty()) {
        out.append("  \"hashes\": []\n");
    } else {
        out.append("  \"hashes\": [\n");
        for (std::size_t i = 0; i < p.hashes.size(); ++i) {
            out.append("    \"").append(crypto::to_hex(p.hashes[i])).append("\"");
            out.append(i + 1 < p.hashes.size() ? ",\n" : "\n");
        }
        out.append("  ]\n");
    }
    out.append("}\n");
    return out;
}

core::Result<std::uint64_t> parse_u64(std::string_view text) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return core::fail(Errc::kInvalidInput, "not a decimal: " + std::string(text.substr(0, 24)));
    }
    return value;
}

core::Result<Hash> parse_hash_hex(std::string_view text) {
    if (text.size() != 2 * kHashBytes) {
        return core::fail(Errc::kInvalidInput, "not a 64-digit hex hash");
    }
    FACTEUR_TRY_ASSIGN(const crypto::ByteVector bytes, crypto::hex_decode(text));
    if (bytes.size() != kHashBytes) {
        return core::fail(Errc::kInvalidInput, "not a 32-byte hash");
    }
    Hash hash{};
    std::copy(bytes.begin(), bytes.end(), hash.begin());
    return hash;
}

/// Parses exactly what render_proof_json() writes.
core::Result<ProofFile> parse_proof_json(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        if (nl == std::string_view::npos) {
            return core::fail(Errc::kInvalidInput, "proof.json does not end in a newline");
        }
        lines.push_back(text.substr(0, nl));
        text.remove_prefix(nl + 1);
    }
    auto field = [&](std::size_t i, std::string_view prefix) -> core::Result<std::string_view> {
        if (i >= lines.size() || !lines[i].starts_with(prefix) || !lines[i].ends_with(",")) {
            return core::fail(Errc::kInvalidInput, "proof.json line " + std::to_string(i + 1));
        }
        return lines[i].substr(prefix.size(), lines[i].size() - prefix.size() - 1);
    };
    ProofFile p;
    FACTEUR_TRY_ASSIGN(const std::string_view id, field(1, "  \"id\": \""));
    if (!id.ends_with("\"")) {
        return core::fail(Errc::kInvalidInput, "proof.json: id");
    }
    p.id = std::string(id.substr(0, id.size() - 1));
    FACTEUR_TRY_ASSIGN(const std::string_view index, field(2, "  \"leaf_index\": "));
    FACTEUR_TRY_ASSIGN(p.leaf_index, parse_u64(index));
    FACTEUR_TRY_ASSIGN(const std::string_view size, field(3, "  \"tree_size\": "));
    FACTEUR_TRY_ASSIGN(p.tree_size, parse_u64(size));
    for (std::size_t i = 5; i + 2 < lines.size(); ++i) {
        std::string_view line = lines[i];
        if (line.ends_with(",")) {
            line.remove_suffix(1);
        }
        if (!line.starts_with("    \"") || !line.ends_with("\"") || line.size() < 6) {
            return core::fail(Errc::kInvalidInput, "proof.json line " + std::to_string(i + 1));
        }
        if (p.hashes.size() >= kInclusionProofHashesMax) {
            return core::fail(Errc::kResourceExhausted, "proof.json: too many hashes");
        }
        FACTEUR_TRY_ASSIGN(const Hash h, parse_hash_hex(line.substr(5, line.size() - 6)));
        p.hashes.push_back(h);
    }
    // One accepted form: the parsed values must render to the very same bytes.
    std::string original;
    for (const std::string_view line : lines) {
        original.append(line).push_back('\n');
    }
    if (render_proof_json(p) != original) {
        return core::fail(Errc::kInvalidInput, "proof.json is not in canonical form");
    }
    return p;
}

std::string strip_newline(std::string text) {
    if (text.ends_with('\n')) {
        text.pop_back();
    }
    return text;
}

constexpr std::string_view kReadme =
    "Lot de preuves facteur / facteur evidence bundle\n"
    "================================================\n"
    "\n"
    "FRANÇAIS\n"
    "\n"
    "Ce dossier contient des factures archivées par facteur et de quoi prouver, sans accès au\n"
    "serveur, qu'elles sont intactes et qu'elles figurent dans le journal Merkle signé de\n"
    "l'archive (RFC 9162, points de contrôle C2SP signés en Ed25519).\n"
    "\n"
    "  verifier-key.txt   clé publique de vérification du journal (à comparer avec celle publiée\n"
    "                     par l'archiveur : ne faites confiance qu'à une clé obtenue à part)\n"
    "  checkpoint.txt     point de contrôle signé : origine, taille de l'arbre, racine (base64)\n"
    "  checkpoint.tsr     jeton d'horodatage RFC 3161 sur SHA-256(checkpoint.txt), s'il existe\n"
    "  tsa-cert.pem       certificat de l'autorité d'horodatage qui l'a signé (à comparer avec\n"
    "                     celui publié par l'autorité ; « NON QUALIFIE » = autorité de test locale\n"
    "                     de facteur, sans valeur probante pour un tiers)\n"
    "  objects/<id>/original          octets originaux, à l'identique (absent si détruit)\n"
    "  objects/<id>/metadata.record   enregistrement de métadonnées (SHA-256 = metadata-sha256)\n"
    "  objects/<id>/meta.json         le même enregistrement en JSON\n"
    "  objects/<id>/leaf.txt          entrée canonique de la feuille (sha256 de l'original, etc.)\n"
    "  objects/<id>/proof.json        preuve d'inclusion : leaf_index, tree_size, chemin d'audit\n"
    "  objects/<id>/destruction.txt   procès-verbal de destruction signé (objets détruits)\n"
    "  MANIFEST.sha256    empreinte SHA-256 de chaque fichier (sha256sum -c MANIFEST.sha256)\n"
    "\n"
    "Vérification : facteur verify DOSSIER --key CLE.txt [--tsa-cert CERT.pem] (code retour 0 si\n"
    "tout est vérifié). Horodatage à la main : openssl ts -verify -data checkpoint.txt\n"
    "-in checkpoint.tsr -token_in -CAfile CERT.pem.\n"
    "À la main : vérifier la signature de checkpoint.txt avec la clé ; pour chaque objet,\n"
    "SHA-256(original) = ligne « sha256 » de leaf.txt, SHA-256(metadata.record) = ligne\n"
    "« metadata-sha256 », puis hachage de feuille SHA-256(0x00 || leaf.txt) et chemin d'audit de\n"
    "proof.json jusqu'à la racine du point de contrôle (RFC 9162 §2.1.3.2).\n"
    "\n"
    "ENGLISH\n"
    "\n"
    "This directory holds invoices archived by facteur and what is needed to prove, without\n"
    "access to the server, that they are intact and included in the archive's signed Merkle log\n"
    "(RFC 9162, C2SP checkpoints signed with Ed25519).\n"
    "\n"
    "  verifier-key.txt   the log's public verifier key (compare it with the one the archive\n"
    "                     operator publishes: trust only a key obtained independently)\n"
    "  checkpoint.txt     signed checkpoint: origin, tree size, root hash (base64)\n"
    "  checkpoint.tsr     RFC 3161 time-stamp token over SHA-256(checkpoint.txt), when stamped\n"
    "  tsa-cert.pem       certificate of the time-stamping authority that signed it (compare it\n"
    "                     with the one the authority publishes; \"NOT QUALIFIED\" = facteur's local\n"
    "                     test authority, of no evidential value to a third party)\n"
    "  objects/<id>/original          the original bytes, exactly (absent once destroyed)\n"
    "  objects/<id>/metadata.record   the metadata record (its SHA-256 is metadata-sha256)\n"
    "  objects/<id>/meta.json         the same record as JSON\n"
    "  objects/<id>/leaf.txt          the canonical leaf entry (sha256 of the original, ...)\n"
    "  objects/<id>/proof.json        inclusion proof: leaf_index, tree_size, audit path\n"
    "  objects/<id>/destruction.txt   signed destruction record (destroyed objects)\n"
    "  MANIFEST.sha256    SHA-256 of every file (sha256sum -c MANIFEST.sha256)\n"
    "\n"
    "Verify: facteur verify DIR --key KEY.txt [--tsa-cert CERT.pem] (exit status 0 when\n"
    "everything verifies). Time stamp by hand: openssl ts -verify -data checkpoint.txt\n"
    "-in checkpoint.tsr -token_in -CAfile CERT.pem.\n"
    "By hand: check the signature of checkpoint.txt with the key; for each object,\n"
    "SHA-256(original) = the \"sha256\" line of leaf.txt, SHA-256(metadata.record) = its\n"
    "\"metadata-sha256\" line, then the leaf hash SHA-256(0x00 || leaf.txt) and the audit path of\n"
    "proof.json up to the checkpoint's root (RFC 9162 section 2.1.3.2).\n";

/// Writes bundle files and remembers their digests for the manifest.
class BundleWriter {
public:
    explicit BundleWriter(fs::path root) : root_(std::move(root)) {}

    core::Result<void> write(const std::string& relative, std::string_view bytes) {
        const fs::path path = root_ / relative;
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
        if (ec) {
            return core::fail(Errc::kUnavailable,
                              "cannot create " + path.parent_path().string() + ": " + ec.message());
        }
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        file.close();
        if (!file) {
            return core::fail(Errc::kUnavailable, "cannot write " + path.string());
        }
        FACTEUR_TRY_ASSIGN(const Hash digest, crypto::sha256(bytes));
        digests_[relative] = crypto::to_hex(digest);
        return {};
    }

    core::Result<void> write_manifest() {
        std::string manifest;
        for (const auto& [relative, hex] : digests_) {  // std::map: sorted by path
            manifest.append(hex).append("  ").append(relative).push_back('\n');
        }
        const fs::path path = root_ / kManifest;
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        file.write(manifest.data(), static_cast<std::streamsize>(manifest.size()));
        file.close();
        if (!file) {
            return core::fail(Errc::kUnavailable, "cannot write " + path.string());
        }
        return {};
    }

private:
    fs::path root_;
    std::map<std::string, std::string> digests_;
};

/// Collects verification problems, keeping the first `max`.
struct Problems {
    BundleReport& report;
    std::size_t max;

    void add(std::string problem) {
        ++report.problem_count;
        if (report.problems.size() < max) {
            report.problems.push_back(std::move(problem));
        }
    }
};

struct VerifyContext {
    const fs::path& dir;
    const NoteVerifier& verifier;
    std::optional<Checkpoint> checkpoint;  // set only when its signature verified
    const BundleLimits& limits;
    BundleReport& report;
    Problems problems;
    std::set<std::uint64_t> leaf_indexes;
};

core::Result<std::string> read_text(const fs::path& path, std::size_t bytes_max) {
    return core::read_file(path, bytes_max);
}

void verify_object(VerifyContext& ctx, const std::string& id) {
    const fs::path obj = ctx.dir / "objects" / id;
    const std::string at = "objects/" + id + ": ";
    auto leaf_text = read_text(obj / "leaf.txt", kLeafEntryBytesMax + 1);
    if (!leaf_text) {
        ctx.problems.add(at + "leaf.txt: " + leaf_text.error().message);
        return;
    }
    auto leaf = parse_leaf(*leaf_text);
    if (!leaf) {
        ctx.problems.add(at + "leaf.txt: " + leaf.error().message);
        return;
    }
    if (leaf->id != id) {
        ctx.problems.add(at + "leaf.txt names another object " + leaf->id);
        return;
    }
    if (!ctx.leaf_indexes.insert(leaf->index).second) {
        ctx.problems.add(at + "leaf index " + std::to_string(leaf->index) + " appears twice");
    }

    // Inclusion in the signed checkpoint.
    auto proof_text = read_text(obj / "proof.json", ctx.limits.file_bytes_max);
    auto proof = proof_text ? parse_proof_json(*proof_text)
                            : core::Result<ProofFile>(tl::unexpected(proof_text.error()));
    if (!proof) {
        ctx.problems.add(at + "proof.json: " + proof.error().message);
    } else if (proof->id != id || proof->leaf_index != leaf->index) {
        ctx.problems.add(at + "proof.json is for another leaf");
    } else if (!ctx.checkpoint) {
        ctx.problems.add(at + "no verified checkpoint to check the proof against");
    } else if (proof->tree_size != ctx.checkpoint->tree_size) {
        ctx.problems.add(at + "proof.json tree_size differs from the checkpoint's");
    } else {
        auto leaf_hash = hash_leaf(*leaf_text);
        auto included = leaf_hash ? verify_inclusion(leaf->index, proof->tree_size, *leaf_hash,
                                                     proof->hashes, ctx.checkpoint->root_hash)
                                  : core::Result<void>(tl::unexpected(leaf_hash.error()));
        if (included) {
            ++ctx.report.proofs_verified;
        } else {
            ctx.problems.add(at + "inclusion proof does not verify: " + included.error().message);
        }
    }

    // Metadata: the record the leaf commits to, and meta.json its rendering.
    auto record = read_text(obj / "metadata.record", ctx.limits.file_bytes_max);
    if (!record) {
        ctx.problems.add(at + "metadata.record: " + record.error().message);
    } else {
        auto digest = crypto::sha256(*record);
        auto meta = decode_meta(*record);
        auto meta_json = read_text(obj / "meta.json", ctx.limits.file_bytes_max);
        if (!digest || *digest != leaf->metadata_sha256) {
            ctx.problems.add(at + "SHA-256 of metadata.record differs from the leaf");
        } else if (!meta) {
            ctx.problems.add(at + "metadata.record: " + meta.error().message);
        } else if (meta->id != id || meta->leaf_index != leaf->index
                   || meta->sha256 != leaf->content_sha256 || meta->size_bytes != leaf->size_bytes
                   || meta->deposited_at_unix_ms != leaf->deposited_at_unix_ms) {
            ctx.problems.add(at + "metadata.record does not match the leaf");
        } else if (!meta_json || *meta_json != render_meta_json(*meta)) {
            ctx.problems.add(at + "meta.json does not match metadata.record");
        } else {
            ++ctx.report.metadata_verified;
        }
    }

    // The original, or a destruction record signed by the key for this very object.
    std::error_code ec;
    if (fs::exists(obj / "original", ec)) {
        auto bytes = read_text(obj / "original", ctx.limits.original_bytes_max);
        auto digest =
            bytes ? crypto::sha256(*bytes) : core::Result<Hash>(tl::unexpected(bytes.error()));
        if (!digest) {
            ctx.problems.add(at + "original: " + digest.error().message);
        } else if (*digest != leaf->content_sha256 || bytes->size() != leaf->size_bytes) {
            ctx.problems.add(at + "original does not match the SHA-256 and size in leaf.txt");
        } else {
            ++ctx.report.originals_verified;
        }
        return;
    }
    auto record_text = read_text(obj / "destruction.txt", ctx.limits.file_bytes_max);
    if (!record_text) {
        ctx.problems.add(at + "original missing and no destruction record");
        return;
    }
    auto note = open_note(*record_text, ctx.verifier);
    if (!note) {
        ctx.problems.add(at + "destruction record does not verify: " + note.error().message);
        return;
    }
    const std::string expect_id = "\nid " + id + "\n";
    const std::string expect_index = "\nleaf-index " + std::to_string(leaf->index) + "\n";
    const std::string expect_sha = "\nsha256 " + crypto::to_hex(leaf->content_sha256) + "\n";
    if (!note->text.starts_with("facteur/archive/destruction/v1\n")
        || note->text.find(expect_id) == std::string::npos
        || note->text.find(expect_index) == std::string::npos
        || note->text.find(expect_sha) == std::string::npos) {
        ctx.problems.add(at + "destruction record is for another object");
        return;
    }
    ++ctx.report.destroyed_verified;
}

bool safe_relative_path(std::string_view path) {
    if (path.empty() || path.front() == '/' || path.find('\\') != std::string_view::npos
        || path.find('\0') != std::string_view::npos) {
        return false;
    }
    for (const auto& part : fs::path(std::string(path))) {
        if (part == ".." || part == "." || part.empty()) {
            return false;
        }
    }
    return true;
}

void verify_manifest(VerifyContext& ctx) {
    auto manifest = read_text(ctx.dir / kManifest, ctx.limits.file_bytes_max);
    if (!manifest) {
        ctx.problems.add(std::string(kManifest) + ": " + manifest.error().message);
        return;
    }
    std::set<std::string> listed;
    std::string_view rest = *manifest;
    std::string previous;
    while (!rest.empty()) {
        const std::size_t nl = rest.find('\n');
        if (nl == std::string_view::npos) {
            ctx.problems.add(std::string(kManifest) + " does not end in a newline");
            break;
        }
        const std::string_view line = rest.substr(0, nl);
        rest.remove_prefix(nl + 1);
        if (line.size() < 2 * kHashBytes + 3 || line.substr(2 * kHashBytes, 2) != "  ") {
            ctx.problems.add(std::string(kManifest) + ": malformed line");
            continue;
        }
        const auto expected = parse_hash_hex(line.substr(0, 2 * kHashBytes));
        const std::string path(line.substr(2 * kHashBytes + 2));
        if (!expected || !safe_relative_path(path) || path == kManifest || path <= previous) {
            ctx.problems.add(std::string(kManifest) + ": malformed, unsafe or unsorted entry");
            continue;
        }
        previous = path;
        listed.insert(path);
        auto bytes = read_text(ctx.dir / path,
                               std::max(ctx.limits.original_bytes_max, ctx.limits.file_bytes_max));
        auto digest =
            bytes ? crypto::sha256(*bytes) : core::Result<Hash>(tl::unexpected(bytes.error()));
        if (!digest) {
            ctx.problems.add(path + ": listed in the manifest but " + digest.error().message);
        } else if (*digest != *expected) {
            ctx.problems.add(path + ": SHA-256 differs from the manifest");
        } else {
            ++ctx.report.manifest_files;
        }
    }
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(ctx.dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const std::string relative = fs::relative(it->path(), ctx.dir, ec).generic_string();
        if (it->is_symlink(ec)) {
            ctx.problems.add(relative + ": symbolic link in the bundle");
        } else if (it->is_regular_file(ec) && relative != kManifest && !listed.contains(relative)) {
            ctx.problems.add(relative + ": not listed in the manifest");
        }
    }
    if (ec) {
        ctx.problems.add("cannot list the bundle: " + ec.message());
    }
}

}  // namespace

/// checkpoint.tsr and tsa-cert.pem when the bundle's checkpoint has (or now gets) a token.
core::Result<void> write_timestamp(Archive& archive, const std::string& checkpoint,
                                   BundleWriter& writer, BundleSummary& summary) {
    FACTEUR_TRY_ASSIGN(const Checkpoint parsed,
                       open_checkpoint(checkpoint, archive.verifier(), archive.origin()));
    FACTEUR_TRY_ASSIGN(std::optional<std::string> token,
                       archive.timestamp_token(parsed.tree_size));
    if (!token && archive.has_timestamper()) {
        FACTEUR_TRY_ASSIGN(const TimestampRun run, archive.stamp_pending());
        summary.tsa_error = run.tsa_error;
        FACTEUR_TRY_ASSIGN(token, archive.timestamp_token(parsed.tree_size));
    }
    if (!token) {
        return {};
    }
    FACTEUR_TRY_ASSIGN(const Hash digest, crypto::sha256(checkpoint));
    FACTEUR_TRY_ASSIGN(const std::vector<std::string> anchors, archive.tsa_certificates());
    for (const std::string& anchor : anchors) {
        auto verified = crypto::verify_timestamp_token(crypto::as_bytes(*token), digest, anchor);
        if (verified) {
            FACTEUR_TRY(writer.write("checkpoint.tsr", *token));
            FACTEUR_TRY(writer.write("tsa-cert.pem", anchor));
            summary.timestamped = true;
            summary.timestamp_unix_ms = verified->gen_time_unix_ms;
            summary.tsa_subject = verified->tsa_subject;
            return {};
        }
    }
    return core::fail(Errc::kDataLoss, "ARCHIVE-INTEGRITY",
                      "the timestamp of checkpoint " + std::to_string(parsed.tree_size)
                          + " verifies against no TSA certificate of the archive",
                      {});
}

/// The bundle's checkpoint.tsr against SHA-256(checkpoint.txt): verified against `tsa_cert_pem`
/// when given (then required), else only parsed and its imprint compared.
void verify_timestamp(VerifyContext& ctx, const std::optional<std::string>& note,
                      std::string_view tsa_cert_pem) {
    std::error_code ec;
    const bool present = fs::exists(ctx.dir / "checkpoint.tsr", ec);
    if (!present) {
        if (!tsa_cert_pem.empty()) {
            ctx.problems.add("checkpoint.tsr: missing, but a TSA certificate was given");
        }
        return;
    }
    ctx.report.timestamp_present = true;
    auto token = read_text(ctx.dir / "checkpoint.tsr", crypto::kTimestampDerBytesMax);
    if (!token || !note) {
        ctx.problems.add("checkpoint.tsr: unreadable");
        return;
    }
    auto digest = crypto::sha256(*note);
    if (!digest) {
        ctx.problems.add("checkpoint.tsr: " + digest.error().message);
        return;
    }
    auto info = tsa_cert_pem.empty()
                    ? crypto::read_timestamp_token(crypto::as_bytes(*token))
                    : crypto::verify_timestamp_token(crypto::as_bytes(*token), *digest,
                                                     tsa_cert_pem);
    if (!info) {
        ctx.problems.add("checkpoint.tsr does not verify: " + info.error().message);
        return;
    }
    if (!std::equal(info->imprint.begin(), info->imprint.end(), digest->begin(), digest->end())) {
        ctx.problems.add("checkpoint.tsr: time-stamps another checkpoint");
        return;
    }
    ctx.report.timestamp_verified = !tsa_cert_pem.empty();
    ctx.report.timestamp_unix_ms = info->gen_time_unix_ms;
    ctx.report.tsa_subject = info->tsa_subject;
}

core::Result<BundleSummary> export_bundle(Archive& archive, const ListFilter& filter,
                                          const fs::path& out_dir) {
    std::error_code ec;
    if (fs::exists(out_dir, ec) && !fs::is_empty(out_dir, ec)) {
        return core::fail(Errc::kConflict, "ARCHIVE-BUNDLE-EXISTS",
                          "bundle directory is not empty: " + out_dir.string(),
                          "le dossier du lot n'est pas vide : " + out_dir.string());
    }
    FACTEUR_TRY_ASSIGN(const std::vector<ObjectMeta> metas, archive.list(filter, kActor));

    // One checkpoint for every proof: sign one covering every listed object, then ask for the
    // proofs; a concurrent deposit may sign a newer one in between, so start over then.
    std::string checkpoint;
    std::vector<InclusionProof> proofs;
    for (int attempt = 0; attempt < kCheckpointAttemptsMax; ++attempt) {
        FACTEUR_TRY_ASSIGN(checkpoint, archive.checkpoint());
        proofs.clear();
        for (const ObjectMeta& meta : metas) {
            FACTEUR_TRY_ASSIGN(InclusionProof proof, archive.proof(meta.id, kActor));
            if (proof.checkpoint != checkpoint) {
                break;
            }
            proofs.push_back(std::move(proof));
        }
        if (proofs.size() == metas.size()) {
            break;
        }
    }
    if (proofs.size() != metas.size()) {
        return core::fail(Errc::kUnavailable, "the checkpoint kept moving during the export");
    }

    const std::string key = archive.verifier().verifier_key();
    BundleWriter writer(out_dir);
    FACTEUR_TRY(writer.write("README.txt", kReadme));
    FACTEUR_TRY(writer.write("verifier-key.txt", key + "\n"));
    FACTEUR_TRY(writer.write("checkpoint.txt", checkpoint));
    BundleSummary summary;
    FACTEUR_TRY(write_timestamp(archive, checkpoint, writer, summary));
    for (std::size_t i = 0; i < metas.size(); ++i) {
        const ObjectMeta& meta = metas[i];
        const InclusionProof& proof = proofs[i];
        const std::string dir = "objects/" + meta.id + "/";
        const std::string record = encode_meta(meta);
        FACTEUR_TRY_ASSIGN(const LeafRecord leaf, parse_leaf(proof.leaf_entry));
        FACTEUR_TRY_ASSIGN(const Hash record_hash, crypto::sha256(record));
        if (leaf.metadata_sha256 != record_hash) {  // re-encoding must give the stored bytes
            return core::fail(Errc::kDataLoss, "metadata record of " + meta.id
                                                   + " does not re-encode to its leaf's digest");
        }
        if (!meta.destroyed_at_unix_ms) {
            FACTEUR_TRY_ASSIGN(const std::string original, archive.get(meta.id, kActor));
            FACTEUR_TRY(writer.write(dir + "original", original));
            ++summary.originals;
        } else {
            FACTEUR_TRY(writer.write(dir + "destruction.txt", meta.destruction_record));
            ++summary.destroyed;
        }
        FACTEUR_TRY(writer.write(dir + "metadata.record", record));
        FACTEUR_TRY(writer.write(dir + "meta.json", render_meta_json(meta)));
        FACTEUR_TRY(writer.write(dir + "leaf.txt", proof.leaf_entry));
        FACTEUR_TRY(writer.write(dir + "proof.json",
                                 render_proof_json(ProofFile{meta.id, proof.leaf_index,
                                                             proof.tree_size, proof.hashes})));
        summary.tree_size = proof.tree_size;
        ++summary.objects;
    }
    FACTEUR_TRY(writer.write_manifest());

    // Verify after writing: the bundle must pass the offline verifier with the archive's key.
    BundleReport report;
    verify_bundle(out_dir, key, report);
    if (!report.ok()) {
        return core::fail(
            Errc::kDataLoss,
            "exported bundle does not verify: "
                + (report.problems.empty() ? std::string("checkpoint") : report.problems.front()));
    }
    return summary;
}

void verify_bundle(const fs::path& dir, std::string_view verifier_key, BundleReport& report,
                   const BundleLimits& limits) {
    verify_bundle(dir, verifier_key, {}, report, limits);
}

void verify_bundle(const fs::path& dir, std::string_view verifier_key,
                   std::string_view tsa_cert_pem, BundleReport& report,
                   const BundleLimits& limits) {
    Problems problems{report, limits.problems_max};
    std::string key_text(verifier_key);
    key_text = strip_newline(std::move(key_text));
    auto verifier = NoteVerifier::parse(key_text);
    if (!verifier) {
        problems.add("verifier key: " + verifier.error().message);
        return;
    }
    auto bundle_key = read_text(dir / "verifier-key.txt", 4096);
    if (!bundle_key || strip_newline(*bundle_key) != key_text) {
        problems.add("verifier-key.txt is not the given key");
    }
    VerifyContext ctx{dir, *verifier, std::nullopt, limits, report, problems, {}};
    auto note = read_text(dir / "checkpoint.txt", NoteLimits{}.note_bytes_max);
    auto checkpoint = note ? open_checkpoint(*note, *verifier, verifier->key_name())
                           : core::Result<Checkpoint>(tl::unexpected(note.error()));
    if (checkpoint) {
        report.checkpoint_verified = true;
        report.tree_size = checkpoint->tree_size;
        ctx.checkpoint = *checkpoint;
    } else {
        problems.add("checkpoint.txt does not verify: " + checkpoint.error().message);
    }
    verify_timestamp(ctx, note ? std::optional<std::string>(*note) : std::nullopt, tsa_cert_pem);

    std::vector<std::string> ids;
    std::error_code ec;
    const bool has_objects = fs::exists(dir / "objects", ec);  // an empty export has none
    for (auto it = has_objects ? fs::directory_iterator(dir / "objects", ec)
                               : fs::directory_iterator();
         !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!is_valid_object_id(name) || !it->is_directory(ec) || it->is_symlink(ec)) {
            problems.add("objects/" + name.substr(0, 64) + ": not an object directory");
            continue;
        }
        if (ids.size() >= limits.objects_max) {
            problems.add("more than " + std::to_string(limits.objects_max) + " objects");
            break;
        }
        ids.push_back(name);
    }
    if (ec) {
        problems.add("cannot list objects/: " + ec.message());
    }
    std::sort(ids.begin(), ids.end());
    for (const std::string& id : ids) {
        ++report.objects;
        verify_object(ctx, id);
    }
    verify_manifest(ctx);
}

}  // namespace facteur::archive
