#include "facteur/core/file.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

namespace facteur::core {

namespace fs = std::filesystem;

namespace {

struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

}  // namespace

Result<std::string> read_file(const fs::path& path, std::size_t bytes_max) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
        return fail(Errc::kNotFound, "IO-NOT-FOUND", "no such file: " + path.string(),
                    "fichier introuvable : " + path.string());
    }
    if (!fs::is_regular_file(status)) {
        return fail(Errc::kInvalidInput, "IO-NOT-FILE", "not a regular file: " + path.string(),
                    "pas un fichier ordinaire : " + path.string());
    }
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file) {
        const std::string why = std::strerror(errno);
        return fail(Errc::kUnavailable, "IO-READ", "cannot open " + path.string() + ": " + why,
                    "impossible d'ouvrir " + path.string() + " : " + why);
    }
    std::string bytes;
    const std::uintmax_t size_hint = fs::file_size(path, ec);
    bytes.reserve(ec ? 0 : static_cast<std::size_t>(std::min<std::uintmax_t>(size_hint, bytes_max)));
    char buffer[1 << 16];
    while (true) {
        const std::size_t got = std::fread(buffer, 1, sizeof buffer, file.get());
        if (got == 0) {
            break;
        }
        if (bytes.size() + got > bytes_max) {
            return fail(Errc::kResourceExhausted, "IO-LIMIT-SIZE",
                        path.string() + " is larger than the limit of " +
                            std::to_string(bytes_max) + " bytes",
                        path.string() + " dépasse la taille maximale de " +
                            std::to_string(bytes_max) + " octets");
        }
        bytes.append(buffer, got);
    }
    if (std::ferror(file.get()) != 0) {
        return fail(Errc::kUnavailable, "IO-READ", "read error on " + path.string(),
                    "erreur de lecture sur " + path.string());
    }
    return bytes;
}

Result<std::vector<fs::path>> expand_paths(const std::vector<fs::path>& paths) {
    std::vector<fs::path> out;
    for (const fs::path& path : paths) {
        std::error_code ec;
        const fs::file_status status = fs::status(path, ec);
        if (ec || !fs::is_directory(status)) {
            out.push_back(path);
            continue;
        }
        std::vector<fs::path> found;
        for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
            if (it->is_regular_file(ec)) {
                found.push_back(it->path());
            }
        }
        if (ec) {
            return fail(Errc::kUnavailable, "IO-READ",
                        "cannot list " + path.string() + ": " + ec.message(),
                        "impossible de parcourir " + path.string() + " : " + ec.message());
        }
        std::sort(found.begin(), found.end());
        out.insert(out.end(), found.begin(), found.end());
    }
    return out;
}

}  // namespace facteur::core
