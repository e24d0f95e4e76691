#include "output_file.h"

#include <filesystem>
#include <fstream>
#include <ostream>

namespace facteur::cli {

bool write_output(const std::string& path, std::string_view bytes, bool force, std::ostream& err, Lang lang) {
    const bool fr = lang == Lang::kFr;
    if (!force && std::filesystem::exists(path)) {
        err << (fr ? "facteur : " + path + " existe déjà (--force pour le remplacer)\n"
                   : "facteur: " + path + " already exists (--force to replace it)\n");
        return false;
    }
    const std::filesystem::path tmp = path + ".facteur-tmp";
    bool ok = false;
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        f.flush();
        ok = static_cast<bool>(f);
    }
    std::error_code ec;
    if (ok) {
        std::filesystem::rename(tmp, path, ec);
    }
    if (!ok || ec) {
        std::filesystem::remove(tmp, ec);
        err << (fr ? "facteur : écriture impossible : " : "facteur: cannot write ") << path << "\n";
        return false;
    }
    return true;
}

}  // namespace facteur::cli
