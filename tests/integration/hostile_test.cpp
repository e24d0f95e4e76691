// The real `facteur` binary against the hostile-XML set: every file rejected with its own id,
// the batch goes on, memory stays bounded, and a loopback listener that every network-shaped
// attack points at never sees a connection.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "facteur/testing/testing.h"

namespace facteur {
namespace {

namespace fs = std::filesystem;

/// A TCP listener on 127.0.0.1 with an ephemeral port that only counts connection attempts.
class LoopbackTrap {
public:
    LoopbackTrap() {
        fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        EXPECT_EQ(listen(fd_, 16), 0);
        socklen_t len = sizeof addr;
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
    }
    ~LoopbackTrap() { close(fd_); }
    [[nodiscard]] int port() const { return port_; }
    /// Connections that were made (accepted now, non-blocking).
    int connections() {
        int count = 0;
        while (true) {
            const int c = accept(fd_, nullptr, nullptr);
            if (c < 0) {
                break;
            }
            close(c);
            ++count;
        }
        return count;
    }

private:
    int fd_ = -1;
    int port_ = 0;
};

std::string sample_ubl() { return testing::read(testing::fixtures_dir() / "samples" / "facture-ubl.xml"); }

std::string with_root_attributes(std::string doc, const std::string& attributes) {
    const std::size_t at = doc.find("xmlns:cac=");
    return doc.insert(at, attributes + " ");
}

class HostileBinaryTest : public ::testing::Test {
protected:
    void SetUp() override {
        const std::string url = "http://127.0.0.1:" + std::to_string(trap_.port());
        // Network-shaped attacks aimed at the trap.
        add("net_xxe.xml", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + url + "/xxe\">]><r>&x;</r>",
            "XML-DOCTYPE");
        add("net_param_entity.xml",
            "<!DOCTYPE r [<!ENTITY % p SYSTEM \"" + url + "/p.dtd\"> %p;]><r/>", "XML-DOCTYPE");
        add("net_external_dtd.xml", "<!DOCTYPE r SYSTEM \"" + url + "/r.dtd\"><r/>", "XML-DOCTYPE");
        add("net_xinclude.xml",
            "<r xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"" + url + "/x\"/></r>",
            "XML-XINCLUDE");
        add("net_schemalocation.xml",
            with_root_attributes(sample_ubl(),
                                 "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\""
                                 "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2 " + url + "/inv.xsd\""),
            "VALID");
        add("net_nonamespace_schemalocation.xml",
            with_root_attributes(sample_ubl(),
                                 "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                                 "xsi:noNamespaceSchemaLocation=\"" + url + "/x.xsd\""),
            "VALID");
        // Large generated cases.
        std::string deep;
        deep.reserve(700'000);
        for (int k = 0; k < 100'000; ++k) {
            deep += "<a>";
        }
        for (int k = 0; k < 100'000; ++k) {
            deep += "</a>";
        }
        add("deep_100000.xml", deep, "XML-LIMIT-DEPTH");
        add("text_50mb.xml", "<r>" + std::string(50'000'000, 'x') + "</r>", "XML-LIMIT-TEXT");
        std::string attrs = "<r";
        attrs.reserve(16'000'000);
        for (int k = 0; k < 1'000'000; ++k) {
            attrs += " a" + std::to_string(k) + "=\"1\"";
        }
        add("attributes_1000000.xml", attrs + "/>", "XML-LIMIT-ATTRIBUTES");
        // The committed fixtures.
        for (const testing::HostileFixture& f : testing::hostile_fixtures()) {
            fs::copy_file(f.file, dir_.path() / f.file.filename());
            expected_[f.file.filename().string()] = f.expected_id;
        }
    }

    void add(const std::string& name, const std::string& bytes, const std::string& expected) {
        dir_.write(name, bytes);
        expected_[name] = expected;
    }

    LoopbackTrap trap_;
    testing::TempDir dir_;
    std::map<std::string, std::string> expected_;
};

TEST_F(HostileBinaryTest, EveryFileGetsItsIdAndNothingConnects) {
    const testing::RunResult r = testing::run(
        {testing::facteur_binary().string(), "validate", "--format", "json", "--lang", "en", dir_.path().string()});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    std::size_t seen = 0;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        const auto o = boost::json::parse(line).as_object();
        const std::string name = fs::path(std::string(o.at("file").as_string())).filename().string();
        ASSERT_TRUE(expected_.count(name)) << name;
        const std::string& want = expected_[name];
        ++seen;
        if (want == "VALID") {
            EXPECT_TRUE(o.at("valid").as_bool()) << name << ": " << line.substr(0, 600);
            continue;
        }
        EXPECT_FALSE(o.at("valid").as_bool()) << name;
        const auto& findings = o.at("findings").as_array();
        ASSERT_FALSE(findings.empty()) << name;
        EXPECT_EQ(findings.at(0).as_object().at("rule").as_string(), want) << name;
    }
    EXPECT_EQ(seen, expected_.size());
    EXPECT_EQ(trap_.connections(), 0) << "facteur opened a connection to the loopback trap";
    std::printf("hostile set: %zu files in %.3f s, peak RSS %ld KiB\n", seen, r.seconds, r.max_rss_kb);
}

TEST_F(HostileBinaryTest, EachLargeCaseAloneStaysBoundedInMemory) {
    for (const char* name : {"deep_100000.xml", "text_50mb.xml", "attributes_1000000.xml", "billion_laughs.xml",
                             "quadratic_blowup.xml"}) {
        const testing::RunResult r = testing::run({testing::facteur_binary().string(), "validate", "--format",
                                                   "json", "--jobs", "1", (dir_.path() / name).string()});
        EXPECT_EQ(r.exit_code, 1) << name << r.err;
        EXPECT_NE(r.out.find(expected_[name]), std::string::npos) << name;
        // Bound: the input itself (at most 64 MiB, read once) plus the process; a parser that
        // expanded entities or built the 1,000,000-attribute element would exceed it.
        EXPECT_LT(r.max_rss_kb, 256 * 1024) << name;
        std::printf("%-24s %.3f s  peak RSS %ld KiB\n", name, r.seconds, r.max_rss_kb);
    }
}

}  // namespace
}  // namespace facteur
