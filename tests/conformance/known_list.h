#pragma once

// The examined-disagreement lists of the conformance runners: "path<TAB>value<TAB>reason" lines
// ('#' comments), where `value` is what the runner must still find for that path (the exact
// fatal rule ids, or the corpus verdict facteur disagrees with).

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace facteur::conformance {

struct Known {
    std::string value;
    std::string reason;
    bool seen = false;  ///< set by the runner: an entry never seen is stale
};

inline std::map<std::string, Known> read_known(const std::filesystem::path& file) {
    std::map<std::string, Known> out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line.front() == '#') {
            continue;
        }
        const std::size_t a = line.find('\t');
        const std::size_t b = a == std::string::npos ? a : line.find('\t', a + 1);
        if (b == std::string::npos) {
            std::fprintf(stderr, "malformed line in %s: %s\n", file.c_str(), line.c_str());
            continue;
        }
        out[line.substr(0, a)] = Known{line.substr(a + 1, b - a - 1), line.substr(b + 1), false};
    }
    return out;
}

}  // namespace facteur::conformance
