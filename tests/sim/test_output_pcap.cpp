// The pcap output: the file header (pcap-savefile(5)), and what tshark makes of it (no malformed
// packet, no checksum warning, the sequence numbers and flags we sent).
#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "sim/output.hpp"
#include "sim/output_pcap.hpp"
#include "test_trace_fixture.hpp"

namespace netstep::sim {
namespace {

using namespace fixture;
namespace fs = std::filesystem;

// A fresh directory, removed at the end of the test.
struct TempDir {
    fs::path path = fs::temp_directory_path() / ("netstep-pcap-" + std::to_string(std::random_device{}()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
    std::string file(const char* name) const { return (path / name).string(); }
};

struct CommandResult {
    int status = -1;
    std::string out;
};

CommandResult run(const std::string& command) {
    CommandResult result;
    FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
    if (!pipe) return result;
    std::array<char, 4096> buffer{};
    while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) result.out.append(buffer.data(), n);
    result.status = pclose(pipe);
    return result;
}

bool have_tshark() { return std::system("command -v tshark >/dev/null 2>&1") == 0; }

std::vector<uint8_t> read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

uint32_t le32(const std::vector<uint8_t>& b, size_t at) {
    return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 | uint32_t(b[at + 3]) << 24;
}

const std::string kChecks =
    " -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE -o ip.check_checksum:TRUE";

TEST_CASE("output: pcap header is raw IPv4 with nanosecond timestamps") {
    TempDir dir;
    std::string path = dir.file("run.pcap");
    Trace t = handshake_trace();
    write_pcap(t, path);
    std::vector<uint8_t> bytes = read_all(path);
    REQUIRE(bytes.size() >= 24 + 16);
    CHECK(le32(bytes, 0) == 0xa1b23c4d);  // nanosecond pcap
    CHECK(le32(bytes, 20) == 101);        // LINKTYPE_RAW
    CHECK(le32(bytes, 24) == 0);          // first packet: 0.010000000 s
    CHECK(le32(bytes, 28) == 10'000'000);
    size_t packets = 0;
    for (const TraceEvent& e : t.events) packets += e.kind == EventKind::PacketSent;
    size_t expected_size = 24;
    for (const TracePacket& p : t.packets) expected_size += 16 + p.bytes.size();
    CHECK(packets == t.packets.size());  // each packet once, though most are also delivered
    CHECK(bytes.size() == expected_size);
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
}

TEST_CASE("output: pcap of an unwritable path is an error") {
    CHECK_THROWS_AS(write_pcap(handshake_trace(), "/nonexistent-dir/x.pcap"), std::runtime_error);
}

TEST_CASE("output: tshark reads the pcap without warnings, with our seq and flags") {
    if (!have_tshark()) {
        MESSAGE("tshark not installed: pcap not checked by tshark");
        return;
    }
    TempDir dir;
    std::string path = dir.file("run.pcap");
    write_pcap(handshake_trace(), path);

    CommandResult problems = run("tshark -r " + path + kChecks + " -Y '_ws.expert.severity >= warning || _ws.malformed'");
    CHECK(problems.status == 0);
    CHECK(problems.out == "");

    CommandResult fields = run("tshark -r " + path + kChecks +
                               " -o tcp.relative_sequence_numbers:FALSE -T fields -E separator=/s"
                               " -e frame.time_epoch -e tcp.seq -e tcp.ack -e tcp.flags -e udp.dstport"
                               " -e icmp.type -e icmp.code -e tcp.checksum.status -e ip.checksum.status");
    CHECK(fields.status == 0);
    // Checksum status 1 is "Good" (verified); the ICMP error also carries the quoted IPv4 header.
    CHECK(fields.out ==
          "0.010000000 0 0 0x0002    1 1\n"
          "0.012000000 0 1 0x0012    1 1\n"
          "0.014000000 1 1 0x0010    1 1\n"
          "0.014000000 1 1 0x0018    1 1\n"
          "0.016000000    9999    1\n"
          "0.018000000    9999 3 3  1,1\n"
          "0.020000000     8 0  1\n"
          "0.022000000     0 0  1\n"
          "0.024000000 1 19 0x0010    1 1\n");
}

TEST_CASE("output: the tshark check does catch a bad checksum") {
    if (!have_tshark()) {
        MESSAGE("tshark not installed: pcap not checked by tshark");
        return;
    }
    TempDir dir;
    std::string path = dir.file("bad.pcap");
    Trace t = handshake_trace();
    t.packets[0].bytes[36] ^= 0xFF;  // the TCP checksum of the SYN
    write_pcap(t, path);
    CommandResult problems = run("tshark -r " + path + kChecks + " -Y '_ws.expert.severity >= warning || _ws.malformed'");
    CHECK(problems.out != "");
}

}  // namespace
}  // namespace netstep::sim
