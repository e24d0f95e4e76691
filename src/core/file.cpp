#include "facteur/core/file.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

namespace facteur::core {

namespace fs = std::filesystem;

namespace {

/// Closes a file descriptor at the end of its scope.
struct FdGuard {
    explicit FdGuard(int f) noexcept : fd(f) {}
    int fd;
    FdGuard(const FdGuard&) = delete;
    FdGuard& operator=(const FdGuard&) = delete;
    ~FdGuard() { ::close(fd); }
};

}  // namespace

Result<std::string> read_file(const fs::path& path, std::size_t bytes_max) {
    // open + fstat + read + close: O_NONBLOCK so that a FIFO or device is refused by fstat()
    // instead of blocking open().
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        const int error = errno;
        if (error == ENOENT || error == ENOTDIR || error == ELOOP || error == ENAMETOOLONG) {
            return fail(Errc::kNotFound, "IO-NOT-FOUND", "no such file: " + path.string(),
                        "fichier introuvable : " + path.string());
        }
        const std::string why = std::strerror(error);
        return fail(Errc::kUnavailable, "IO-READ", "cannot open " + path.string() + ": " + why,
                    "impossible d'ouvrir " + path.string() + " : " + why);
    }
    const FdGuard guard{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        return fail(Errc::kInvalidInput, "IO-NOT-FILE", "not a regular file: " + path.string(),
                    "pas un fichier ordinaire : " + path.string());
    }
    const auto too_large = [&] {
        return fail(Errc::kResourceExhausted, "IO-LIMIT-SIZE",
                    path.string() + " is larger than the limit of " + std::to_string(bytes_max) +
                        " bytes",
                    path.string() + " dépasse la taille maximale de " + std::to_string(bytes_max) +
                        " octets");
    };
    const auto size_hint = static_cast<std::uintmax_t>(std::max<off_t>(st.st_size, 0));
    if (size_hint > bytes_max) {
        return too_large();
    }
    // The size is a hint: the file may grow or shrink while it is read; read until end of file
    // (a read that returns 0), never past bytes_max.
    std::string bytes(static_cast<std::size_t>(size_hint) + 1, '\0');
    std::size_t used = 0;
    while (true) {
        if (used == bytes.size()) {
            if (bytes.size() > bytes_max) {
                return too_large();
            }
            bytes.resize(std::min(bytes.size() * 2, bytes_max + 1));
        }
        const ssize_t got = ::read(fd, bytes.data() + used, bytes.size() - used);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return fail(Errc::kUnavailable, "IO-READ", "read error on " + path.string(),
                        "erreur de lecture sur " + path.string());
        }
        if (got == 0) {
            break;
        }
        used += static_cast<std::size_t>(got);
    }
    if (used > bytes_max) {
        return too_large();
    }
    bytes.resize(used);
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
