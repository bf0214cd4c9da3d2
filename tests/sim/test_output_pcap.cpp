// The captures: --pcap's pcapng read back block by block (draft-ietf-opsawg-pcapng: block types
// and lengths, options, interface ids, timestamps, padding), --pcap-link's classic pcap
// (pcap-savefile(5)), and what tshark makes of both (no malformed packet, no checksum warning, the
// sequence numbers and flags we sent, the interface names).
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/output.hpp"
#include "sim/output_pcap.hpp"
#include "model/link.hpp"
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

uint16_t le16(const std::vector<uint8_t>& b, size_t at) { return uint16_t(b[at] | b[at + 1] << 8); }

uint64_t le64(const std::vector<uint8_t>& b, size_t at) { return le32(b, at) | uint64_t(le32(b, at + 4)) << 32; }

// One pcapng block (draft-ietf-opsawg-pcapng 3.1): its type and body, as read back.
struct Block {
    uint32_t type = 0;
    std::vector<uint8_t> body;
};

// The blocks of a pcapng file, each checked as the draft's 3.1 requires: its total length a
// multiple of 4, at least 12, within the file and repeated at the block's end. Empty on any error.
std::vector<Block> read_blocks(const std::vector<uint8_t>& file) {
    std::vector<Block> blocks;
    size_t at = 0;
    while (at < file.size()) {
        if (file.size() - at < 12) return {};
        uint32_t length = le32(file, at + 4);
        if (length % 4 != 0 || length < 12 || length > file.size() - at) return {};
        if (le32(file, at + length - 4) != length) return {};
        blocks.push_back({le32(file, at), {file.begin() + long(at + 8), file.begin() + long(at + length - 4)}});
        at += length;
    }
    return blocks;
}

using OptionMap = std::map<uint16_t, std::vector<std::string>>;

// The options of a block body from `at` (draft 3.5): code -> values. Each value padded with zeros
// to 32 bits, the list ended by opt_endofopt exactly at the body's end; {{0xffff, {"bad"}}} if not.
OptionMap read_options(const std::vector<uint8_t>& body, size_t at) {
    const OptionMap bad{{0xffff, {"bad"}}};
    OptionMap options;
    while (at + 4 <= body.size()) {
        uint16_t code = le16(body, at), length = le16(body, at + 2);
        at += 4;
        if (code == 0) return length == 0 && at == body.size() ? options : bad;
        size_t padded = (length + 3u) / 4 * 4;
        if (at + padded > body.size()) return bad;
        for (size_t i = at + length; i < at + padded; ++i) {
            if (body[i] != 0) return bad;
        }
        options[code].emplace_back(body.begin() + long(at), body.begin() + long(at + length));
        at += padded;
    }
    return bad;
}

// An Enhanced Packet Block's fields (draft 4.3).
struct EnhancedPacket {
    uint32_t interface = 0;
    uint64_t timestamp = 0;  // in the interface's if_tsresol units
    uint32_t captured = 0, original = 0;
    std::vector<uint8_t> data;
    bool padding_ok = false;  // zeros to the next 32 bits, then nothing (no options)
};

EnhancedPacket read_enhanced_packet(const Block& b) {
    EnhancedPacket p;
    if (b.body.size() < 20) return p;
    p.interface = le32(b.body, 0);
    p.timestamp = uint64_t(le32(b.body, 4)) << 32 | le32(b.body, 8);
    p.captured = le32(b.body, 12);
    p.original = le32(b.body, 16);
    size_t end = std::min<size_t>(20 + p.captured, b.body.size());
    p.data.assign(b.body.begin() + 20, b.body.begin() + long(end));
    p.padding_ok = b.body.size() == 20 + (p.captured + 3u) / 4 * 4 &&
                   std::all_of(b.body.begin() + long(end), b.body.end(), [](uint8_t x) { return x == 0; });
    return p;
}

constexpr uint32_t kSectionHeader = 0x0A0D0D0A, kInterface = 1, kEnhancedPacket = 6;
const std::string kTsresolNanoseconds(1, '\x09');

// A routed packet's two hops on two Ethernet networks, and the answer's two hops back at 5 s
// (past 2^32 ns: the timestamp's high word is used).
Trace routed_ethernet_trace() {
    Trace t;
    t.file = "router.yaml";
    t.title = "Two networks and a router";
    t.profile = "textbook";
    t.ethernet = true;
    t.networks.push_back({"office", *Ipv4Prefix::parse("192.168.1.0/24"), Duration::millis(2), 100'000'000, 0.0});
    t.networks.push_back({"servers", *Ipv4Prefix::parse("10.0.0.0/24"), Duration::millis(1), 1'000'000'000, 0.0});
    t.hosts.push_back({"laptop", {{"Wi-Fi", "office", *Ipv4Prefix::parse("192.168.1.10/24"), ip("192.168.1.1")}}, false});
    t.hosts.push_back({"router", {{"LAN", "office", *Ipv4Prefix::parse("192.168.1.1/24"), std::nullopt},
                                  {"Servers", "servers", *Ipv4Prefix::parse("10.0.0.1/24"), std::nullopt}}, true});
    t.hosts.push_back({"server", {{"Ethernet", "servers", *Ipv4Prefix::parse("10.0.0.80/24"), ip("10.0.0.1")}}, false});
    const MacAddress laptop{{0x02, 0, 0, 0, 0, 0x10}}, router_lan{{0x02, 0, 0, 0, 0, 0x01}},
        router_servers{{0x02, 0, 0, 0, 1, 0x01}}, server{{0x02, 0, 0, 0, 1, 0x80}};
    const Endpoint client{ip("192.168.1.10"), 49152}, web{ip("10.0.0.80"), 80};
    TraceBuilder builder(t);
    auto hop = [&](uint32_t from, uint32_t to, uint32_t network, int64_t ns, MacAddress src, MacAddress dst,
                   const Ipv4Packet& packet) {
        TracePacket p;
        p.from_host = from;
        p.to_host = to;
        p.network = network;
        p.sent = Instant::from_nanos(ns);
        p.arrives = p.sent + Duration::millis(1);
        p.bytes = wire::emit_frame({dst, src, packet});
        uint32_t index = builder.add_packet(std::move(p));
        TraceEvent e;
        e.time = Instant::from_nanos(ns);
        e.kind = EventKind::PacketSent;
        e.host = from;
        e.packet = index;
        t.packets[index].sent_step = builder.add_event(e);
    };
    Ipv4Packet syn = tcp(client, web, tcp_flag::SYN, 0, 0, "", 1460);
    hop(0, 1, 0, 100'000'000, laptop, router_lan, syn);
    syn.ttl = 63;  // the router's hop: one less
    hop(1, 2, 1, 102'000'000, router_servers, server, syn);
    Ipv4Packet synack = tcp(web, client, tcp_flag::SYN | tcp_flag::ACK, 0, 1, "", 1460);
    hop(2, 1, 1, 5'000'000'001, server, router_servers, synack);
    synack.ttl = 63;
    hop(1, 0, 0, 5'001'000'001, router_lan, laptop, synack);
    return t;
}

const std::string kChecks =
    " -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE -o ip.check_checksum:TRUE";

TEST_CASE("output: pcap is pcapng, one section header, one interface, each packet once") {
    TempDir dir;
    std::string path = dir.file("run.pcap");  // the extension changes nothing: pcapng
    Trace t = handshake_trace();
    write_pcap(t, path);
    std::vector<uint8_t> bytes = read_all(path);
    std::vector<Block> blocks = read_blocks(bytes);
    REQUIRE(blocks.size() == 2 + t.packets.size());

    // Section Header Block (draft 4.1): byte-order magic, version 1.0, section length -1.
    const Block& shb = blocks[0];
    CHECK(le32(bytes, 0) == kSectionHeader);
    CHECK(shb.type == kSectionHeader);
    REQUIRE(shb.body.size() >= 16);
    CHECK(le32(shb.body, 0) == 0x1A2B3C4D);
    CHECK(le16(shb.body, 4) == 1);
    CHECK(le16(shb.body, 6) == 0);
    CHECK(le64(shb.body, 8) == ~uint64_t(0));
    CHECK(read_options(shb.body, 16) == OptionMap{{4, {"netstep"}}});

    // Interface Description Block (draft 4.2): raw IPv4, the largest IPv4 packet, the network.
    const Block& idb = blocks[1];
    CHECK(idb.type == kInterface);
    REQUIRE(idb.body.size() >= 8);
    CHECK(le16(idb.body, 0) == 101);  // LINKTYPE_RAW
    CHECK(le16(idb.body, 2) == 0);
    CHECK(le32(idb.body, 4) == 65535);
    CHECK(read_options(idb.body, 8) == OptionMap{
                                           {2, {"lan"}}, {3, {"lan 192.168.1.0/24"}}, {9, {kTsresolNanoseconds}}});

    // Enhanced Packet Blocks (draft 4.3), in the order packets were sent, at their sent times.
    std::vector<uint32_t> sent;
    for (const TraceEvent& e : t.events) {
        if (e.kind == EventKind::PacketSent) sent.push_back(e.packet);
    }
    REQUIRE(sent.size() == t.packets.size());
    std::set<uint32_t> paddings;
    for (size_t i = 0; i < sent.size(); ++i) {
        CAPTURE(i);
        const TracePacket& packet = t.packets[sent[i]];
        REQUIRE(blocks[2 + i].type == kEnhancedPacket);
        EnhancedPacket epb = read_enhanced_packet(blocks[2 + i]);
        CHECK(epb.interface == 0);
        CHECK(epb.timestamp == uint64_t(packet.sent.ns));
        CHECK(epb.captured == packet.bytes.size());
        CHECK(epb.original == packet.bytes.size());
        CHECK(epb.data == std::vector<uint8_t>(packet.bytes.begin(), packet.bytes.end()));
        CHECK(epb.padding_ok);
        paddings.insert(uint32_t(packet.bytes.size() % 4));
    }
    CHECK(paddings == std::set<uint32_t>{0, 1, 2});  // 44, 33 and 58 bytes: padded by 0, 3 and 2
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
}

TEST_CASE("output: pcapng has one Ethernet interface per network and each hop on its own") {
    TempDir dir;
    std::string path = dir.file("router.pcapng");
    Trace t = routed_ethernet_trace();
    write_pcap(t, path);
    std::vector<Block> blocks = read_blocks(read_all(path));
    REQUIRE(blocks.size() == 1 + 2 + 4);
    for (uint32_t i = 0; i < 2; ++i) {
        CAPTURE(i);
        const Block& idb = blocks[1 + i];
        REQUIRE(idb.type == kInterface);
        CHECK(le16(idb.body, 0) == 1);          // LINKTYPE_ETHERNET
        CHECK(le32(idb.body, 4) == 65535 + 14);  // the largest IPv4 packet in an Ethernet II frame
        std::string name = t.networks[i].name, subnet = t.networks[i].subnet.to_string();
        CHECK(read_options(idb.body, 8) == OptionMap{
                                               {2, {name}}, {3, {name + " " + subnet}}, {9, {kTsresolNanoseconds}}});
    }
    CHECK(read_options(blocks[2].body, 8)[3] == std::vector<std::string>{"servers 10.0.0.0/24"});
    const uint32_t interfaces[] = {0, 1, 1, 0};
    const uint64_t times[] = {100'000'000, 102'000'000, 5'000'000'001, 5'001'000'001};
    for (size_t i = 0; i < 4; ++i) {
        CAPTURE(i);
        REQUIRE(blocks[3 + i].type == kEnhancedPacket);
        EnhancedPacket epb = read_enhanced_packet(blocks[3 + i]);
        CHECK(epb.interface == interfaces[i]);
        CHECK(epb.timestamp == times[i]);
        CHECK(epb.captured == 60);  // the 44-byte SYN padded to Ethernet's 60-byte minimum
        CHECK(epb.original == 60);
        CHECK(epb.data == std::vector<uint8_t>(t.packets[i].bytes.begin(), t.packets[i].bytes.end()));
        CHECK(epb.padding_ok);
    }
    // The high 32 bits of the timestamp hold 5'000'000'001 >> 32 = 1 (draft 4.3: Timestamp (High)).
    CHECK(le32(blocks[5].body, 4) == 1);
    CHECK(le32(blocks[5].body, 8) == uint32_t(5'000'000'001 & 0xffffffff));
}

TEST_CASE("output: pcapng and pcap-link order frames by the time they went on the wire") {
    // The second hop's frame waited for nothing, the first one for a busy link: its event comes
    // first, its first bit later. A capture shows them in wire order.
    TempDir dir;
    Trace t = routed_ethernet_trace();
    t.packets[0].sent = Instant::from_nanos(103'000'000);  // the SYN's first hop, queued
    t.packets[1].sent = Instant::from_nanos(101'000'000);
    t.packets[3].sent = t.packets[2].sent;  // a tie: step order
    write_pcap(t, dir.file("all.pcapng"));
    std::vector<Block> blocks = read_blocks(read_all(dir.file("all.pcapng")));
    REQUIRE(blocks.size() == 1 + 2 + 4);
    const uint32_t interfaces[] = {1, 0, 1, 0};
    const uint64_t times[] = {101'000'000, 103'000'000, 5'000'000'001, 5'000'000'001};
    for (size_t i = 0; i < 4; ++i) {
        CAPTURE(i);
        EnhancedPacket epb = read_enhanced_packet(blocks[3 + i]);
        CHECK(epb.interface == interfaces[i]);
        CHECK(epb.timestamp == times[i]);
    }
    CHECK(read_enhanced_packet(blocks[4]).data == std::vector<uint8_t>(t.packets[0].bytes.begin(), t.packets[0].bytes.end()));
    // On the office link alone: the SYN at 0.103 s, the SYN-ACK's last hop at 5.000000001 s.
    write_pcap_link(t, 0, dir.file("office.pcap"));
    std::vector<uint8_t> office = read_all(dir.file("office.pcap"));
    REQUIRE(office.size() == 24 + 2 * (16 + 60));
    CHECK(le32(office, 24 + 4) == 103'000'000);
    CHECK(le32(office, 24 + 16 + 60) == 5);
    CHECK(le32(office, 24 + 16 + 60 + 4) == 1);
}

TEST_CASE("output: pcapng keeps the interface of a network with no packet") {
    TempDir dir;
    std::string path = dir.file("idle.pcapng");
    Trace t = routed_ethernet_trace();
    t.networks.push_back({"spare", *Ipv4Prefix::parse("172.16.0.0/16"), Duration::millis(1), 0, 0.0});
    write_pcap(t, path);
    std::vector<Block> blocks = read_blocks(read_all(path));
    REQUIRE(blocks.size() == 1 + 3 + 4);
    CHECK(blocks[3].type == kInterface);
    CHECK(read_options(blocks[3].body, 8)[2] == std::vector<std::string>{"spare"});
    CHECK(blocks[4].type == kEnhancedPacket);
}

TEST_CASE("output: pcap-link is a classic pcap of one network's frames") {
    TempDir dir;
    Trace t = routed_ethernet_trace();
    for (uint32_t network = 0; network < 2; ++network) {
        CAPTURE(network);
        std::string path = dir.file(network == 0 ? "office.pcap" : "servers.pcap");
        write_pcap_link(t, network, path);
        std::vector<uint8_t> bytes = read_all(path);
        REQUIRE(bytes.size() == 24 + 2 * (16 + 60));
        CHECK(le32(bytes, 0) == 0xa1b23c4d);  // pcap-savefile(5): nanosecond timestamps
        CHECK(le16(bytes, 4) == 2);
        CHECK(le16(bytes, 6) == 4);
        CHECK(le32(bytes, 16) == 65535 + 14);  // snaplen
        CHECK(le32(bytes, 20) == 1);           // LINKTYPE_ETHERNET
        // Office: the SYN's first hop at 0.1 s, the SYN-ACK's last at 5.001000001 s; servers: the
        // SYN's second hop at 0.102 s, the SYN-ACK's first at 5.000000001 s.
        const uint32_t first[] = {0, 1}, second[] = {3, 2};
        const uint32_t packets[] = {first[network], second[network]};
        for (size_t r = 0; r < 2; ++r) {
            size_t at = 24 + r * (16 + 60);
            const TracePacket& p = t.packets[packets[r]];
            CHECK(p.network == network);
            CHECK(le32(bytes, at) == uint32_t(p.sent.ns / 1'000'000'000));
            CHECK(le32(bytes, at + 4) == uint32_t(p.sent.ns % 1'000'000'000));
            CHECK(le32(bytes, at + 8) == 60);
            CHECK(le32(bytes, at + 12) == 60);
            CHECK(std::equal(p.bytes.begin(), p.bytes.end(), bytes.begin() + long(at + 16)));
        }
    }
    CHECK_THROWS_AS(write_pcap_link(t, 2, dir.file("none.pcap")), std::out_of_range);
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 2);
}

TEST_CASE("output: pcap-link of raw IPv4 has LINKTYPE_RAW and every packet of the network") {
    TempDir dir;
    std::string path = dir.file("lan.pcap");
    Trace t = handshake_trace();
    write_pcap_link(t, 0, path);
    std::vector<uint8_t> bytes = read_all(path);
    size_t expected_size = 24;
    for (const TracePacket& p : t.packets) expected_size += 16 + p.bytes.size();
    CHECK(bytes.size() == expected_size);
    CHECK(le32(bytes, 16) == 65535);
    CHECK(le32(bytes, 20) == 101);
    CHECK(le32(bytes, 24) == 0);  // first packet: 0.010000000 s
    CHECK(le32(bytes, 28) == 10'000'000);
}


TEST_CASE("output: pcap of an unwritable path is an error") {
    CHECK_THROWS_AS(write_pcap(handshake_trace(), "/nonexistent-dir/x.pcap"), std::runtime_error);
}

TEST_CASE("output: tshark reads the pcapng without warnings, with our seq and flags") {
    if (!have_tshark()) {
        MESSAGE("tshark not installed: pcap not checked by tshark");
        return;
    }
    TempDir dir;
    std::string path = dir.file("run.pcapng");
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

TEST_CASE("output: the tshark check of a pcapng does catch a bad checksum") {
    if (!have_tshark()) {
        MESSAGE("tshark not installed: pcap not checked by tshark");
        return;
    }
    TempDir dir;
    std::string path = dir.file("bad.pcapng");
    Trace t = handshake_trace();
    t.packets[0].bytes[36] ^= 0xFF;  // the TCP checksum of the SYN
    write_pcap(t, path);
    CommandResult problems = run("tshark -r " + path + kChecks + " -Y '_ws.expert.severity >= warning || _ws.malformed'");
    CHECK(problems.out != "");
}

TEST_CASE("output: tshark names each pcapng frame's interface after its network") {
    if (!have_tshark()) {
        MESSAGE("tshark not installed: pcapng not checked by tshark");
        return;
    }
    TempDir dir;
    std::string path = dir.file("router.pcapng");
    write_pcap(routed_ethernet_trace(), path);
    CommandResult problems = run("tshark -r " + path + kChecks + " -Y '_ws.expert.severity >= warning || _ws.malformed'");
    CHECK(problems.status == 0);
    CHECK(problems.out == "");
    CommandResult fields = run("tshark -r " + path + " -T fields -E separator=, -e frame.interface_id"
                               " -e frame.interface_name -e frame.interface_description -e frame.time_epoch"
                               " -e eth.src -e ip.ttl -e tcp.flags");
    CHECK(fields.status == 0);
    CHECK(fields.out ==
          "0,office,office 192.168.1.0/24,0.100000000,02:00:00:00:00:10,64,0x0002\n"
          "1,servers,servers 10.0.0.0/24,0.102000000,02:00:00:00:01:01,63,0x0002\n"
          "1,servers,servers 10.0.0.0/24,5.000000001,02:00:00:00:01:80,64,0x0012\n"
          "0,office,office 192.168.1.0/24,5.001000001,02:00:00:00:00:01,63,0x0012\n");
}

TEST_CASE("output: tshark reads each pcap-link file as one link, without retransmissions") {
    if (!have_tshark()) {
        MESSAGE("tshark not installed: pcap not checked by tshark");
        return;
    }
    TempDir dir;
    Trace t = routed_ethernet_trace();
    const std::string analysis = " -Y 'tcp.analysis.retransmission || tcp.analysis.out_of_order ||"
                                 " tcp.analysis.duplicate_ack || tcp.analysis.lost_segment ||"
                                 " _ws.expert.severity >= warning || _ws.malformed'";
    const char* expected[] = {"0.100000000,64,0x0002\n5.001000001,63,0x0012\n",
                              "0.102000000,63,0x0002\n5.000000001,64,0x0012\n"};
    for (uint32_t network = 0; network < 2; ++network) {
        CAPTURE(network);
        std::string path = dir.file(network == 0 ? "office.pcap" : "servers.pcap");
        write_pcap_link(t, network, path);
        // The SYN's two hops in one file look like a retransmission to tshark; one link's do not.
        CommandResult problems = run("tshark -r " + path + kChecks + analysis);
        CHECK(problems.status == 0);
        CHECK(problems.out == "");
        CommandResult fields = run("tshark -r " + path + " -T fields -E separator=, -e frame.time_epoch -e ip.ttl -e tcp.flags");
        CHECK(fields.status == 0);
        CHECK(fields.out == expected[network]);
    }
}

}  // namespace
}  // namespace netstep::sim
