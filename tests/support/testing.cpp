#include "facteur/testing/testing.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

#include <gtest/gtest.h>

namespace facteur::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
    std::random_device rd;
    const fs::path base = fs::temp_directory_path();
    for (int attempt = 0; attempt < 100; ++attempt) {
        const fs::path candidate = base / ("facteur-test-" + std::to_string(rd()));
        std::error_code ec;
        if (fs::create_directory(candidate, ec)) {
            path_ = candidate;
            return;
        }
    }
    ADD_FAILURE() << "cannot create a temporary directory";
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

fs::path TempDir::write(const std::string& name, std::string_view bytes) const {
    const fs::path target = path_ / name;
    fs::create_directories(target.parent_path());
    std::ofstream out(target, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return target;
}

fs::path source_dir() { return FACTEUR_SOURCE_DIR; }
fs::path binary_dir() { return FACTEUR_BINARY_DIR; }
fs::path shared_dir() { return FACTEUR_SHARED_DIR; }
fs::path schema_dir() { return FACTEUR_SCHEMA_DIR; }
fs::path facteur_binary() { return binary_dir() / "facteur"; }
fs::path fixtures_dir() { return source_dir() / "fixtures"; }

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        ADD_FAILURE() << "cannot read " << path;
        return {};
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<HostileFixture> hostile_fixtures() {
    std::vector<HostileFixture> out;
    for (const auto& entry : fs::directory_iterator(fixtures_dir() / "xml" / "hostile")) {
        if (entry.path().extension() != ".xml") {
            continue;
        }
        fs::path expected = entry.path();
        expected.replace_extension(".expected");
        std::string id = read(expected);
        id.erase(id.find_last_not_of(" \n") + 1);
        out.push_back({entry.path().stem().string(), entry.path(), id});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

namespace {

std::string drain(int fd) {
    std::string out;
    char buffer[65536];
    while (true) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got <= 0) {
            break;
        }
        out.append(buffer, static_cast<std::size_t>(got));
    }
    return out;
}

}  // namespace

RunResult run(const std::vector<std::string>& argv) {
    RunResult result;
    // stdout and stderr go to temp files so that a large output never blocks the child.
    char out_name[] = "/tmp/facteur-run-out-XXXXXX";
    char err_name[] = "/tmp/facteur-run-err-XXXXXX";
    const int out_fd = mkstemp(out_name);
    const int err_fd = mkstemp(err_name);
    unlink(out_name);
    unlink(err_name);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(out_fd, STDOUT_FILENO);
        dup2(err_fd, STDERR_FILENO);
        const int null_fd = open("/dev/null", O_RDONLY);
        dup2(null_fd, STDIN_FILENO);
        std::vector<char*> args;
        for (const std::string& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.max_rss_kb = usage.ru_maxrss;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    lseek(out_fd, 0, SEEK_SET);
    lseek(err_fd, 0, SEEK_SET);
    result.out = drain(out_fd);
    result.err = drain(err_fd);
    close(out_fd);
    close(err_fd);
    return result;
}

}  // namespace facteur::testing
