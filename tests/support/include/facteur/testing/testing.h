#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace facteur::testing {

/// A fresh directory under the system temp folder, removed with everything in it at scope exit.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    /// Writes `bytes` to path()/name (creating folders) and returns the full path.
    std::filesystem::path write(const std::string& name, std::string_view bytes) const;

private:
    std::filesystem::path path_;
};

std::filesystem::path source_dir();      ///< repository root
std::filesystem::path binary_dir();      ///< build tree root
std::filesystem::path shared_dir();      ///< ../shared (standards and conformance corpus)
std::filesystem::path schema_dir();      ///< materialised schemas
std::filesystem::path facteur_binary();  ///< build/facteur
std::filesystem::path fixtures_dir();    ///< repository fixtures/

/// Reads a whole file; fails the current test (and returns "") when it cannot.
std::string read(const std::filesystem::path& path);

/// One file of fixtures/xml/hostile with the id it must be rejected with (its .expected file).
struct HostileFixture {
    std::string name;  ///< file stem, e.g. "billion_laughs"
    std::filesystem::path file;
    std::string expected_id;
};

/// Every hostile-XML fixture, sorted by name.
std::vector<HostileFixture> hostile_fixtures();

/// Result of running a command.
struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
    double seconds = 0;
    long max_rss_kb = 0;  ///< peak resident memory of the child
};

/// Runs `argv` (argv[0] is the program path) without a shell, capturing stdout and stderr.
RunResult run(const std::vector<std::string>& argv);

}  // namespace facteur::testing
