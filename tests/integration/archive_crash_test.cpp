// Crash test of the archive through the real `facteur` binary: cycles of 2-3 concurrent
// `facteur archive deposit --jobs 3` processes (each with up to three deposits in flight at once,
// committed together) killed with SIGKILL at a random moment. A receipt that was
// printed (after the synced write) must never be lost; a deposit that was committed but not
// acknowledged must come back as "duplicate" with one id and one leaf; the log has no holes and
// every original comes back byte for byte. FACTEUR_CRASH_CYCLES (default 100; 1000 is the long
// mode), FACTEUR_CRASH_SEED and FACTEUR_CRASH_CHECK_EVERY (default 10) tune it.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "facteur/crypto/sha256.h"
#include "facteur/testing/testing.h"

extern char** environ;

namespace facteur {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') {
        return fallback;
    }
    return std::strtoull(v, nullptr, 10);
}

/// One receipt line of `facteur archive deposit`.
struct Receipt {
    std::string file;
    std::string status;
    std::string id;
    std::int64_t leaf_index = -1;
    std::string sha256;
    std::string message;
};

std::optional<Receipt> parse_receipt(const std::string& line) {
    boost::system::error_code ec;
    const json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) {
        return std::nullopt;
    }
    const json::object& o = v.as_object();
    Receipt r;
    if (const auto* f = o.if_contains("file"); f != nullptr && f->is_string()) {
        r.file = std::string(f->as_string());
    }
    if (const auto* s = o.if_contains("status"); s != nullptr && s->is_string()) {
        r.status = std::string(s->as_string());
    }
    if (const auto* s = o.if_contains("id"); s != nullptr && s->is_string()) {
        r.id = std::string(s->as_string());
    }
    if (const auto* s = o.if_contains("leaf_index"); s != nullptr && s->is_number()) {
        r.leaf_index = s->to_number<std::int64_t>();
    }
    if (const auto* s = o.if_contains("sha256"); s != nullptr && s->is_string()) {
        r.sha256 = std::string(s->as_string());
    }
    if (const auto* s = o.if_contains("message"); s != nullptr && s->is_string()) {
        r.message = std::string(s->as_string());
    }
    return r;
}

std::vector<std::string> split_complete_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (true) {
        const std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos) {
            break;  // a trailing partial line is not a receipt
        }
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

std::string drain_fd(int fd) {
    std::string out;
    char buf[4096];
    while (true) {
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0) {
            out.append(buf, static_cast<std::size_t>(n));
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            break;
        }
    }
    return out;
}

/// A `facteur` child whose stdout and stderr go to pipes read after it is reaped (its output is
/// a few hundred bytes per file, far below the pipe capacity).
struct Child {
    pid_t pid = -1;
    int out_fd = -1;
    int err_fd = -1;
    std::vector<std::size_t> invoices;
    int status = 0;
    std::string out;
    std::string err;
};

Child spawn(const std::vector<std::string>& argv) {
    Child c;
    int out_pipe[2];
    int err_pipe[2];
    EXPECT_EQ(pipe2(out_pipe, O_CLOEXEC), 0);
    EXPECT_EQ(pipe2(err_pipe, O_CLOEXEC), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args;
    for (const std::string& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    const int rc = posix_spawn(&c.pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(rc, 0) << "posix_spawn " << argv[0];
    close(out_pipe[1]);
    close(err_pipe[1]);
    c.out_fd = out_pipe[0];
    c.err_fd = err_pipe[0];
    return c;
}

struct InvoiceState {
    fs::path file;
    std::string bytes;
    std::string sha256;
    std::string id;               ///< from the first receipt
    std::int64_t leaf_index = -1;  ///< from the first receipt
    bool acknowledged = false;
    int attempts = 0;
};

class ArchiveCrash : public ::testing::Test {
protected:
    testing::TempDir tmp_;
    std::string binary_ = testing::facteur_binary().string();
    fs::path db_ = tmp_.path() / "archive";
    std::string template_ = testing::read(testing::fixtures_dir() / "samples" / "facture-ubl.xml");
    std::vector<InvoiceState> invoices_;
    std::map<std::string, std::size_t> id_to_invoice_;
    std::map<std::int64_t, std::string> leaf_to_id_;
    std::size_t retried_duplicates_ = 0;

    std::size_t make_invoice() {
        const std::size_t n = invoices_.size();
        char number[32];
        std::snprintf(number, sizeof number, "FA-2026-%06zu", 200000 + n);
        std::string doc = template_;
        const std::string original = "FA-2026-000123";
        std::size_t at = 0;
        while ((at = doc.find(original, at)) != std::string::npos) {
            doc.replace(at, original.size(), number);
            at += original.size();
        }
        InvoiceState s;
        s.file = tmp_.write("inv/" + std::string(number) + ".xml", doc);
        auto digest = crypto::sha256(doc);
        EXPECT_TRUE(digest.has_value());
        s.sha256 = digest ? crypto::to_hex(*digest) : "";
        s.bytes = std::move(doc);
        invoices_.push_back(std::move(s));
        return n;
    }

    /// Applies one complete receipt line for invoice `i`; returns true when acknowledged.
    bool apply(std::size_t i, const Receipt& r, bool expect_known) {
        InvoiceState& s = invoices_[i];
        EXPECT_EQ(r.file, s.file.string());
        if (r.status != "deposited" && r.status != "duplicate") {
            ADD_FAILURE() << s.file << ": status " << r.status << ": " << r.message;
            return false;
        }
        EXPECT_FALSE(r.id.empty()) << s.file;
        EXPECT_GE(r.leaf_index, 0) << s.file;
        EXPECT_EQ(r.sha256, s.sha256) << s.file;
        if (!s.id.empty()) {
            // A retry (or a re-deposit) never yields another id or a second leaf.
            EXPECT_EQ(r.id, s.id) << s.file << " came back with another id";
            EXPECT_EQ(r.leaf_index, s.leaf_index) << s.file << " came back with another leaf";
            EXPECT_EQ(r.status, "duplicate") << s.file;
        } else {
            EXPECT_FALSE(expect_known) << s.file;
            if (r.status == "duplicate") {
                ++retried_duplicates_;  // committed by a killed process, never acknowledged
                EXPECT_GT(s.attempts, 1) << s.file << ": duplicate on its first attempt";
            }
            s.id = r.id;
            s.leaf_index = r.leaf_index;
        }
        if (auto [it, inserted] = id_to_invoice_.emplace(r.id, i); !inserted) {
            EXPECT_EQ(it->second, i) << "id " << r.id << " given to two invoices";
        }
        if (auto [it, inserted] = leaf_to_id_.emplace(r.leaf_index, r.id); !inserted) {
            EXPECT_EQ(it->second, r.id) << "leaf " << r.leaf_index << " given to two ids";
        }
        s.acknowledged = true;
        return true;
    }

    std::vector<std::string> deposit_argv(const std::vector<std::size_t>& batch) const {
        // Three deposits in flight at once inside each process: concurrent commits share a
        // synced write (group commit), and a kill can land in the middle of one group.
        std::vector<std::string> argv{binary_, "archive", "deposit", "--db", db_.string(), "--jobs", "3"};
        for (const std::size_t i : batch) {
            argv.push_back(invoices_[i].file.string());
        }
        return argv;
    }

    /// Reads the receipts of a reaped child; returns how many were acknowledged.
    std::size_t collect(Child& c, bool expect_known) {
        c.out = drain_fd(c.out_fd);
        c.err = drain_fd(c.err_fd);
        close(c.out_fd);
        close(c.err_fd);
        std::size_t acked = 0;
        const auto lines = split_complete_lines(c.out);
        EXPECT_LE(lines.size(), c.invoices.size());
        std::set<std::size_t> seen;
        for (const std::string& line : lines) {
            auto r = parse_receipt(line);
            if (!r) {
                ADD_FAILURE() << "unparsable receipt line: " << line;
                continue;
            }
            // Receipts come in completion order (--jobs): the "file" field says whose it is.
            const auto it = std::find_if(c.invoices.begin(), c.invoices.end(), [&](std::size_t i) {
                return invoices_[i].file.string() == r->file;
            });
            if (it == c.invoices.end() || !seen.insert(*it).second) {
                ADD_FAILURE() << "receipt for a file not in the batch, or twice: " << line;
                continue;
            }
            if (apply(*it, *r, expect_known)) {
                ++acked;
            }
        }
        return acked;
    }

    /// The operator's part after a crash (docs/adr/0004, decision 3): a kill in the middle of
    /// appending a group can leave an incomplete last write-ahead-log record, and the archive
    /// then refuses to open until it is opened once with --recover-torn-wal, which drops only
    /// that record (never acknowledged: receipts follow the synced write). Nothing else may
    /// stop the archive from opening.
    void recover_torn_wal_if_needed(const std::string& when) {
        const auto probe = testing::run({binary_, "archive", "count", "--no-tsa", "--db", db_.string()});
        if (probe.exit_code == 0) {
            return;
        }
        ASSERT_NE(probe.err.find("--recover-torn-wal"), std::string::npos)
            << when << ": the archive does not open, and not for a torn log tail: " << probe.err;
        const auto recovered = testing::run(
            {binary_, "archive", "count", "--no-tsa", "--recover-torn-wal", "--db", db_.string()});
        ASSERT_EQ(recovered.exit_code, 0) << when << ": recovery refused: " << recovered.err;
        ++torn_wal_recoveries_;
    }

    std::size_t torn_wal_recoveries_ = 0;

    void check_scrub_and_count(const std::string& when) {
        const auto scrub = testing::run({binary_, "archive", "scrub", "--db", db_.string()});
        EXPECT_EQ(scrub.exit_code, 0) << when << ": " << scrub.out << scrub.err;
        EXPECT_NE(scrub.out.find("\"ok\":true"), std::string::npos) << when << ": " << scrub.out;
        const auto count = testing::run({binary_, "archive", "count", "--db", db_.string()});
        ASSERT_EQ(count.exit_code, 0) << when << ": " << count.err;
        const std::size_t n = std::strtoull(count.out.c_str(), nullptr, 10);
        std::size_t attempted = 0;
        for (const InvoiceState& s : invoices_) {
            attempted += s.attempts > 0 ? 1 : 0;
        }
        EXPECT_GE(n, id_to_invoice_.size()) << when << ": an acknowledged deposit was lost";
        EXPECT_LE(n, attempted) << when << ": more objects than invoices ever sent";
    }
};

TEST_F(ArchiveCrash, KilledDepositorsLoseNothingAndDuplicateNothing) {
    ASSERT_FALSE(template_.empty());
    ASSERT_NE(template_.find("FA-2026-000123"), std::string::npos);
    const std::uint64_t cycles = env_number("FACTEUR_CRASH_CYCLES", 100);
    const std::uint64_t check_every = std::max<std::uint64_t>(1, env_number("FACTEUR_CRASH_CHECK_EVERY", 10));
    const auto seed = static_cast<std::uint32_t>(
        env_number("FACTEUR_CRASH_SEED", static_cast<std::uint64_t>(std::random_device{}())));
    std::cout << "crash test: seed " << seed << " (FACTEUR_CRASH_SEED), " << cycles << " cycles\n";
    std::mt19937 rng(seed);
    const auto started = std::chrono::steady_clock::now();

    // Probe: a rewritten invoice is valid and deposits; its duration calibrates the kill window.
    std::int64_t probe_ms = 0;
    {
        const std::size_t i = make_invoice();
        const auto t0 = std::chrono::steady_clock::now();
        const auto probe = testing::run({binary_, "archive", "deposit", "--db",
                                         (tmp_.path() / "probe").string(), invoices_[i].file.string()});
        probe_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
                       .count();
        ASSERT_EQ(probe.exit_code, 0) << probe.out << probe.err;
        auto r = parse_receipt(split_complete_lines(probe.out).at(0));
        ASSERT_TRUE(r.has_value());
        ASSERT_EQ(r->status, "deposited") << r->message;
    }
    std::cout << "crash test: one uncontended deposit takes " << probe_ms << " ms\n";
    // Half of the kills land anywhere in the first 400 ms (start-up, archive open and recovery),
    // half in a 400 ms window around the end of a deposit run (validation, commit, output).
    const std::int64_t late_offset = std::max<std::int64_t>(0, probe_ms - 200);

    std::vector<std::size_t> pending = {0};  // invoice 0 is deposited in the crash archive too
    std::uint64_t kills = 0;
    std::uint64_t lock_refusals = 0;
    std::uint64_t clean_exits = 0;
    std::uniform_int_distribution<int> children_dist(2, 3);
    std::uniform_int_distribution<int> batch_dist(1, 6);
    std::uniform_int_distribution<int> delay_dist(0, 400);
    std::bernoulli_distribution late_dist(0.5);
    for (std::uint64_t cycle = 0; cycle < cycles; ++cycle) {
        const int n_children = children_dist(rng);
        std::vector<Child> children;
        for (int c = 0; c < n_children; ++c) {
            std::vector<std::size_t> batch;
            const int size = batch_dist(rng);
            for (int k = 0; k < size; ++k) {
                if (pending.empty()) {
                    pending.push_back(make_invoice());
                }
                batch.push_back(pending.front());
                pending.erase(pending.begin());
                ++invoices_[batch.back()].attempts;
            }
            Child child = spawn(deposit_argv(batch));
            child.invoices = std::move(batch);
            children.push_back(std::move(child));
        }
        const std::int64_t delay = delay_dist(rng) + (late_dist(rng) ? late_offset : 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        for (Child& c : children) {
            if (c.pid > 0 && waitpid(c.pid, &c.status, WNOHANG) == 0) {
                kill(c.pid, SIGKILL);
                ++kills;
                waitpid(c.pid, &c.status, 0);
            }
        }
        for (Child& c : children) {
            collect(c, false);
            if (WIFEXITED(c.status)) {
                const int code = WEXITSTATUS(c.status);
                if (code == 0) {
                    ++clean_exits;
                } else if (code == 2) {
                    ++lock_refusals;  // e.g. the database LOCK held by a sibling
                } else {
                    ADD_FAILURE() << "deposit exited " << code << ": " << c.out << c.err;
                }
            }
            for (const std::size_t i : c.invoices) {
                if (!invoices_[i].acknowledged) {
                    pending.push_back(i);  // retried in a later cycle
                }
            }
        }
        recover_torn_wal_if_needed("after cycle " + std::to_string(cycle + 1));
        if ((cycle + 1) % check_every == 0 || cycle + 1 == cycles) {
            check_scrub_and_count("after cycle " + std::to_string(cycle + 1));
        }
        if (::testing::Test::HasFailure()) {
            FAIL() << "stopping at cycle " << cycle + 1 << " (seed " << seed << ")";
        }
    }

    const std::size_t acknowledged_in_cycles = id_to_invoice_.size();
    const std::size_t retried_in_cycles = retried_duplicates_;
    // Drain: the unacknowledged rest, uncontended and unkilled, plus a few acknowledged ones
    // (which must come back as duplicates of their first receipt).
    std::vector<std::size_t> redeposit;
    for (std::size_t i = 0; i < invoices_.size() && redeposit.size() < 8; ++i) {
        if (invoices_[i].acknowledged) {
            redeposit.push_back(i);
        }
    }
    while (!pending.empty()) {
        std::vector<std::size_t> batch(pending.begin(),
                                       pending.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(
                                                             pending.size(), 32)));
        pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(batch.size()));
        for (const std::size_t i : batch) {
            ++invoices_[i].attempts;
        }
        Child c = spawn(deposit_argv(batch));
        c.invoices = batch;
        waitpid(c.pid, &c.status, 0);
        EXPECT_EQ(collect(c, false), batch.size()) << c.out << c.err;
        EXPECT_TRUE(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0) << c.err;
    }
    if (!redeposit.empty()) {
        Child c = spawn(deposit_argv(redeposit));
        c.invoices = redeposit;
        waitpid(c.pid, &c.status, 0);
        EXPECT_EQ(collect(c, true), redeposit.size()) << c.out << c.err;
    }

    // Every invoice ever sent is now acknowledged: exactly one object and one leaf each.
    std::size_t attempted = 0;
    for (const InvoiceState& s : invoices_) {
        if (s.attempts > 0) {
            ++attempted;
            EXPECT_TRUE(s.acknowledged) << s.file;
        }
    }
    const auto count = testing::run({binary_, "archive", "count", "--db", db_.string()});
    ASSERT_EQ(count.exit_code, 0) << count.err;
    const std::size_t n = std::strtoull(count.out.c_str(), nullptr, 10);
    EXPECT_EQ(n, attempted);
    EXPECT_EQ(id_to_invoice_.size(), attempted);

    const auto list = testing::run({binary_, "archive", "list", "--db", db_.string(), "--limit", "100000"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    std::map<std::int64_t, std::string> listed;  // leaf -> id
    for (const std::string& line : split_complete_lines(list.out)) {
        const json::object o = json::parse(line).as_object();
        const std::string id(o.at("id").as_string());
        const std::int64_t leaf = o.at("leaf_index").to_number<std::int64_t>();
        EXPECT_TRUE(listed.emplace(leaf, id).second) << "leaf " << leaf << " listed twice";
        auto it = id_to_invoice_.find(id);
        if (it == id_to_invoice_.end()) {
            ADD_FAILURE() << "listed id " << id << " was never acknowledged";
            continue;
        }
        EXPECT_EQ(std::string(o.at("sha256").as_string()), invoices_[it->second].sha256) << id;
        EXPECT_EQ(invoices_[it->second].leaf_index, leaf) << id;
    }
    EXPECT_EQ(listed.size(), n);
    for (const auto& [leaf, id] : leaf_to_id_) {
        auto it = listed.find(leaf);
        EXPECT_TRUE(it != listed.end() && it->second == id) << "receipt leaf " << leaf << " id " << id;
    }
    std::int64_t expected_leaf = 0;
    for (const auto& [leaf, id] : listed) {
        EXPECT_EQ(leaf, expected_leaf) << "hole or gap in the leaf indices";
        expected_leaf = leaf + 1;
    }

    // Originals byte for byte: a sample through `archive get` (a process each), all by SHA-256.
    std::vector<std::size_t> sample;
    for (const auto& [id, i] : id_to_invoice_) {
        sample.push_back(i);
    }
    std::shuffle(sample.begin(), sample.end(), rng);
    sample.resize(std::min<std::size_t>(sample.size(), 12));
    for (const std::size_t i : sample) {
        const auto got = testing::run({binary_, "archive", "get", "--db", db_.string(), invoices_[i].id});
        EXPECT_EQ(got.exit_code, 0) << got.err;
        EXPECT_TRUE(got.out == invoices_[i].bytes) << invoices_[i].id << " differs from " << invoices_[i].file;
    }
    check_scrub_and_count("at the end");

    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::set<std::string> listed_ids;
    for (const auto& entry : listed) {
        listed_ids.insert(entry.second);
    }
    std::size_t lost = 0;
    for (const auto& entry : id_to_invoice_) {
        lost += listed_ids.contains(entry.first) ? 0 : 1;
    }
    std::cout << "crash test: " << cycles << " cycles, " << kills << " kills, " << acknowledged_in_cycles
              << " acknowledged, " << retried_in_cycles << " retried duplicates, " << lost << " lost ("
              << id_to_invoice_.size() << " after the final drain, " << retried_duplicates_
              << " retried duplicates in all, " << lock_refusals << " lock refusals, " << torn_wal_recoveries_ << " torn log tails recovered, " << clean_exits << " clean exits, seed " << seed << ", "
              << seconds << " s)\n";
    EXPECT_EQ(lost, 0U);
}

}  // namespace
}  // namespace facteur
