// The wire format: checksums, emit/parse round trips, real Linux captures byte for byte, hostile
// input, and the packet inspector's field list.
#include <doctest/doctest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "model/wire/wire.hpp"

using namespace netstep;
using namespace netstep::wire;

namespace {

// --- Reading the captures (tests may do I/O; model/ may not) ---------------------------------

struct Frame {
    std::string file;
    size_t index = 0;  // 1-based, as tshark numbers frames
    Bytes ip;          // the IPv4 packet, Ethernet header stripped
};

uint32_t read_u32(const Bytes& b, size_t at, bool swap) {
    uint32_t v = 0;
    std::memcpy(&v, b.data() + at, 4);
    return swap ? __builtin_bswap32(v) : v;
}

// A pcap file (not pcapng) with the Ethernet link type: the IPv4 packet of every frame.
std::vector<Frame> read_pcap(const std::string& name) {
    std::ifstream in(std::string(NETSTEP_CAPTURES_DIR) + "/" + name, std::ios::binary);
    Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE_MESSAGE(file.size() >= 24, "cannot read " << name);
    uint32_t magic = read_u32(file, 0, false);
    bool swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
    REQUIRE((swap || magic == 0xa1b2c3d4 || magic == 0xa1b23c4d));
    REQUIRE(read_u32(file, 20, swap) == 1);  // LINKTYPE_ETHERNET
    std::vector<Frame> frames;
    for (size_t at = 24; at + 16 <= file.size();) {
        uint32_t caplen = read_u32(file, at + 8, swap);
        at += 16;
        REQUIRE(at + caplen <= file.size());
        REQUIRE(caplen >= 14);
        REQUIRE(file[at + 12] == 0x08);  // EtherType IPv4
        REQUIRE(file[at + 13] == 0x00);
        frames.push_back({name, frames.size() + 1, Bytes(file.begin() + long(at) + 14, file.begin() + long(at + caplen))});
        at += caplen;
    }
    return frames;
}

std::vector<Frame> all_frames() {
    std::vector<Frame> all;
    for (const char* name : {"a_tcp_client_close.pcap", "b_tcp_closed_port.pcap", "c_udp.pcap"}) {
        auto frames = read_pcap(name);
        all.insert(all.end(), frames.begin(), frames.end());
    }
    return all;
}

// --- Building packets ------------------------------------------------------------------------

const Ipv4Address kClient = Ipv4Address::from_octets(10, 0, 0, 1);
const Ipv4Address kServer = Ipv4Address::from_octets(10, 0, 0, 2);

Ipv4Packet packet(Ipv4Address src, Ipv4Address dst, std::variant<TcpSegment, UdpDatagram, IcmpMessage> body) {
    Ipv4Packet p;
    p.src = src;
    p.dst = dst;
    p.id = 0x1234;
    p.body = std::move(body);
    return p;
}

TcpSegment tcp(uint8_t flags, uint32_t seq, uint32_t ack, std::string payload = "") {
    TcpSegment s;
    s.src_port = 51997;
    s.dst_port = 80;
    s.seq = SeqNum{seq};
    s.ack = SeqNum{ack};
    s.flags = flags;
    s.window = 64240;
    s.payload.assign(payload.begin(), payload.end());
    return s;
}

Bytes hex_bytes(const char* text) {
    Bytes out;
    for (const char* p = text; p[0] && p[1];) {
        if (*p == ' ') { ++p; continue; }
        out.push_back(uint8_t(std::stoi(std::string(p, 2), nullptr, 16)));
        p += 2;
    }
    return out;
}

// After editing header bytes in a test: make the IPv4 and TCP checksums right again, so that the
// edit itself is what parse() has to catch. Assumes IHL 5 and a TCP body.
void fix_tcp_checksums(Bytes& b) {
    b[10] = b[11] = 0;
    uint16_t ip = internet_checksum(std::span(b).first(20));
    b[10] = uint8_t(ip >> 8);
    b[11] = uint8_t(ip);
    b[36] = b[37] = 0;
    auto seg = std::span(b).subspan(20);
    uint16_t sum = internet_checksum(seg, pseudo_header_sum({uint32_t(b[12] << 24 | b[13] << 16 | b[14] << 8 | b[15])},
                                                            {uint32_t(b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19])},
                                                            ip_proto::TCP, uint16_t(seg.size())));
    b[36] = uint8_t(sum >> 8);
    b[37] = uint8_t(sum);
}

// The SYN of a_tcp_client_close.pcap (frame 1), Ethernet header stripped.
const Bytes kCapturedSyn = hex_bytes(
    "45 00 00 30 60 b0 40 00 40 06 c6 15 0a 00 00 01 0a 00 00 02"
    "cb 1d 00 50 a3 66 76 d2 00 00 00 00 70 02 fa f0 8f 7b 00 00 02 04 05 b4 01 03 03 0a");

const WireField* field(const std::vector<WireField>& fields, const std::string& layer, const std::string& name) {
    for (const auto& f : fields) {
        if (f.layer == layer && f.name == name) return &f;
    }
    return nullptr;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

TEST_CASE("wire: internet checksum (RFC 1071)") {
    // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (after the end-around carry).
    Bytes data = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    CHECK(internet_checksum(data) == uint16_t(~0xddf2));
    // Odd length: the last byte is padded with a zero.
    Bytes odd = {0x00, 0x01, 0xf2};
    CHECK(internet_checksum(odd) == uint16_t(~0xf201));
    CHECK(internet_checksum({}) == 0xFFFF);
    // Chained partial sums give the same result as one pass.
    CHECK(internet_checksum(std::span(data).subspan(4), checksum_add(std::span(data).first(4))) ==
          internet_checksum(data));
    // Over a header that holds its correct checksum, the result is zero.
    CHECK(internet_checksum(std::span(kCapturedSyn).first(20)) == 0);
    CHECK(internet_checksum(std::span(kCapturedSyn).subspan(20),
                            pseudo_header_sum(kClient, kServer, ip_proto::TCP, 28)) == 0);
}

TEST_CASE("wire: emit builds the captured SYN byte for byte") {
    TcpSegment syn = tcp(tcp_flag::SYN, 2741401298u, 0);
    syn.mss = 1460;
    syn.window_scale = 10;
    Ipv4Packet p = packet(kClient, kServer, syn);
    p.id = 0x60b0;
    CHECK(emit(p) == kCapturedSyn);
    CHECK(p.wire_size() == kCapturedSyn.size());
    auto parsed = parse(kCapturedSyn);
    REQUIRE_MESSAGE(parsed.ok(), parsed.error);
    CHECK(*parsed.packet == p);
    CHECK(parsed.packet->to_string() == "10.0.0.1:51997 > 10.0.0.2:80 TCP [SYN] seq=2741401298 win=64240 len=0 mss=1460 wscale=10");
}

TEST_CASE("wire: parse(emit(p)) == p") {
    std::vector<Ipv4Packet> packets;
    packets.push_back(packet(kClient, kServer, tcp(tcp_flag::ACK, 1, 1)));
    packets.push_back(packet(kClient, kServer, tcp(tcp_flag::PSH | tcp_flag::ACK, 1, 1, "GET / HTTP/1.0\r\n\r\n")));
    packets.push_back(packet(kClient, kServer, tcp(tcp_flag::FIN | tcp_flag::ACK, 0xFFFFFFFF, 77, "x")));  // odd length
    TcpSegment all_options = tcp(tcp_flag::SYN | tcp_flag::ACK, 0, 1);
    all_options.mss = 536;
    all_options.window_scale = 14;
    all_options.sack_permitted = true;
    all_options.urgent = 3;
    packets.push_back(packet(kServer, kClient, all_options));
    TcpSegment sack_only = tcp(tcp_flag::SYN, 9, 0);
    sack_only.sack_permitted = true;
    packets.push_back(packet(kServer, kClient, sack_only));
    packets.push_back(packet(kClient, kServer, UdpDatagram{40000, 53, {'h', 'e', 'l', 'l', 'o'}}));
    packets.push_back(packet(kClient, kServer, UdpDatagram{1, 2, {}}));
    packets.push_back(packet(kClient, kServer, IcmpMessage{icmp_type::ECHO_REQUEST, 0, 1, 1, {'a', 'b', 'c'}}));
    packets.push_back(packet(kServer, kClient, IcmpMessage{icmp_type::ECHO_REPLY, 0, 1, 1, {'a', 'b', 'c'}}));
    // ICMP port unreachable quoting the offending datagram's IP header and first 8 bytes.
    Bytes offending = emit(packet(kClient, kServer, UdpDatagram{56197, 9999, {'h', 'e', 'l', 'l', 'o'}}));
    offending.resize(28);
    Ipv4Packet unreachable = packet(kServer, kClient, IcmpMessage{icmp_type::DEST_UNREACHABLE, icmp_code::PORT_UNREACHABLE, 0, 0, offending});
    unreachable.tos = 0xc0;
    unreachable.dont_fragment = false;
    unreachable.ttl = 1;
    packets.push_back(unreachable);

    for (const Ipv4Packet& p : packets) {
        CAPTURE(p.to_string());
        Bytes bytes = emit(p);
        CHECK(bytes.size() == p.wire_size());
        auto parsed = parse(bytes);
        REQUIRE_MESSAGE(parsed.ok(), parsed.error);
        CHECK(*parsed.packet == p);
        CHECK(emit(*parsed.packet) == bytes);
    }
    CHECK(unreachable.to_string() == "10.0.0.2 > 10.0.0.1 ICMP 10.0.0.2 udp port 9999 unreachable");
}

TEST_CASE("wire: UDP checksum of zero is sent as 0xFFFF: zero on the wire means none") {
    // Find a payload whose checksum computes to zero, then check it is sent as all ones.
    bool found = false;
    for (uint16_t v = 0; v < 0xFFFF && !found; ++v) {
        Ipv4Packet p = packet(kClient, kServer, UdpDatagram{1000, 2000, {uint8_t(v >> 8), uint8_t(v)}});
        Bytes b = emit(p);
        if (b[26] == 0xFF && b[27] == 0xFF) {
            found = true;
            auto parsed = parse(b);
            REQUIRE_MESSAGE(parsed.ok(), parsed.error);
            CHECK(*parsed.packet == p);
        }
    }
    CHECK(found);
    Bytes b = emit(packet(kClient, kServer, UdpDatagram{1000, 2000, {1, 2, 3}}));
    b[26] = b[27] = 0;
    CHECK(parse(b).ok());
}

TEST_CASE("wire: every packet of the captures parses, and emit reproduces its bytes") {
    auto frames = all_frames();
    CHECK(frames.size() == 10 + 2 + 6);
    for (const Frame& f : frames) {
        CAPTURE(f.file);
        CAPTURE(f.index);
        auto parsed = parse(f.ip);
        REQUIRE_MESSAGE(parsed.ok(), parsed.error);
        CHECK(emit(*parsed.packet) == f.ip);
        CHECK(parsed.packet->wire_size() == f.ip.size());
        for (const WireField& w : describe(f.ip)) {
            CHECK(w.offset + w.length <= f.ip.size());
            CHECK(w.value.find("wrong") == std::string::npos);
        }
    }
}

TEST_CASE("wire: fields of captured packets") {
    auto a = read_pcap("a_tcp_client_close.pcap");
    REQUIRE(a.size() == 10);
    auto syn = parse(a[0].ip).packet;
    REQUIRE(syn);
    const TcpSegment* s = syn->tcp();
    REQUIRE(s);
    CHECK(s->flags == tcp_flag::SYN);
    CHECK(s->seq == SeqNum{2741401298u});
    CHECK(s->window == 64240);
    CHECK(s->mss == 1460);
    CHECK(s->window_scale == 10);
    CHECK_FALSE(s->sack_permitted);  // captured with tcp_sack=0
    CHECK(syn->ttl == 64);
    CHECK(syn->dont_fragment);

    auto syn_ack = parse(a[1].ip).packet;
    REQUIRE(syn_ack);
    CHECK(syn_ack->tcp()->flags == (tcp_flag::SYN | tcp_flag::ACK));
    CHECK(syn_ack->tcp()->ack == s->seq + 1);

    auto request = parse(a[3].ip).packet;
    REQUIRE(request);
    CHECK(request->tcp()->flags == (tcp_flag::PSH | tcp_flag::ACK));
    CHECK(request->tcp()->payload.size() == 18);
    CHECK(std::string(request->tcp()->payload.begin(), request->tcp()->payload.begin() + 14) == "GET / HTTP/1.0");
    auto fin = parse(a[7].ip).packet;
    REQUIRE(fin);
    CHECK(fin->tcp()->flags == (tcp_flag::FIN | tcp_flag::ACK));

    auto b = read_pcap("b_tcp_closed_port.pcap");
    REQUIRE(b.size() == 2);
    auto rst = parse(b[1].ip).packet;
    REQUIRE(rst);
    CHECK(rst->tcp()->flags == (tcp_flag::RST | tcp_flag::ACK));
    CHECK(rst->tcp()->window == 0);
    CHECK(rst->tcp()->ack == parse(b[0].ip).packet->tcp()->seq + 1);

    auto c = read_pcap("c_udp.pcap");
    REQUIRE(c.size() == 6);
    auto hello = parse(c[0].ip).packet;
    REQUIRE(hello);
    CHECK(hello->to_string() == "10.0.0.1:56197 > 10.0.0.2:53 UDP len=5");
    auto icmp = parse(c[3].ip).packet;
    REQUIRE(icmp);
    const IcmpMessage* m = icmp->icmp();
    REQUIRE(m);
    CHECK(m->type == icmp_type::DEST_UNREACHABLE);
    CHECK(m->code == icmp_code::PORT_UNREACHABLE);
    CHECK(icmp->tos == 0xc0);  // Linux sends ICMP errors with precedence "internetwork control"
    CHECK_FALSE(icmp->dont_fragment);
    CHECK(m->data == c[2].ip);  // the whole offending datagram is quoted (it is short)
    CHECK(icmp->to_string() == "10.0.0.2 > 10.0.0.1 ICMP 10.0.0.2 udp port 9999 unreachable");
}

TEST_CASE("wire: parse reports what is wrong") {
    Bytes good = kCapturedSyn;
    REQUIRE(parse(good).ok());
    auto error_of = [](const Bytes& b) { return parse(b).error; };

    CHECK(error_of(Bytes(good.begin(), good.begin() + 12)) == "truncated IPv4 header: 12 of 20 bytes");
    CHECK(error_of({}) == "truncated IPv4 header: 0 of 20 bytes");

    Bytes b = good;
    b[0] = 0x65;
    CHECK(error_of(b) == "not IPv4: version 6");
    b = good;
    b[0] = 0x44;
    CHECK(error_of(b) == "bad IPv4 header length: IHL 4 (minimum 5)");
    b = good;
    b[0] = 0x4F;
    CHECK(error_of(b) == "truncated IPv4 header: 48 of 60 bytes");
    b = good;
    b[3] = 0x40;  // total length 64 in a 48-byte buffer
    CHECK(error_of(b) == "truncated IPv4 packet: total length 64 but only 48 bytes");
    b = good;
    b[2] = 0;
    b[3] = 10;
    CHECK(error_of(b) == "bad IPv4 total length 10 (header alone is 20 bytes)");
    b = good;
    b[8] = 63;  // TTL changed, checksum not updated
    CHECK(error_of(b) == "bad IPv4 header checksum 0xc615 (expected 0xc715)");
    b = good;
    b[9] = 47;  // GRE
    fix_tcp_checksums(b);
    CHECK(error_of(b) == "unsupported IP protocol 47 (not TCP, UDP or ICMP)");
    b = good;
    b[6] = 0x20;  // MF
    fix_tcp_checksums(b);
    CHECK(error_of(b) == "IPv4 fragment (offset 0): reassembly is not modelled");

    b = good;
    b[47] = 11;  // window scale changed, TCP checksum not updated
    CHECK(error_of(b) == "bad TCP checksum 0x8f7b (expected 0x8f7a)");
    b = good;
    b[32] = 0x40;
    fix_tcp_checksums(b);
    CHECK(error_of(b) == "bad TCP data offset 4 (minimum 5)");
    b = good;
    b[32] = 0xF0;
    fix_tcp_checksums(b);
    CHECK(error_of(b) == "bad TCP data offset 15: a 60-byte header in a 28-byte segment");
    b = good;
    b[41] = 0;  // MSS option length 0
    fix_tcp_checksums(b);
    CHECK(error_of(b) == "TCP option kind 2 at option byte 0 has bad length 0 (minimum 2)");
    b = good;
    b[41] = 9;  // MSS option length past the end
    fix_tcp_checksums(b);
    CHECK(error_of(b) == "TCP option kind 2 at option byte 0 has length 9, past the end of the header");
    b = good;
    b[41] = 3;
    fix_tcp_checksums(b);
    CHECK(error_of(b) == "TCP option kind 2 at option byte 0 has length 3 (expected 4)");
    b = good;
    b[45] = b[46] = 1;  // MSS NOP NOP NOP 0x0a: kind 10 with no length byte
    fix_tcp_checksums(b);
    CHECK(error_of(b) == "TCP option kind 10 at option byte 7 has no length byte");

    Bytes udp = emit(packet(kClient, kServer, UdpDatagram{1, 2, {3}}));
    udp[27] ^= 1;
    CHECK(parse(udp).error.rfind("bad UDP checksum ", 0) == 0);
    udp = emit(packet(kClient, kServer, UdpDatagram{1, 2, {3}}));
    udp[25] = 7;  // UDP length below 8 (the checksum catches nothing: the length is checked first)
    CHECK(parse(udp).error == "bad UDP length 7 (IP payload is 9 bytes)");
    Bytes icmp = emit(packet(kClient, kServer, IcmpMessage{icmp_type::ECHO_REQUEST, 0, 1, 1, {}}));
    icmp[27] ^= 2;  // sequence number changed, checksum not updated
    CHECK(parse(icmp).error.rfind("bad ICMP checksum ", 0) == 0);
}

TEST_CASE("wire: unknown TCP options are skipped, EOL ends the list, trailing padding is ignored") {
    // Linux SYN with timestamps: MSS, SACK-permitted + timestamps, NOP, window scale (40 bytes of TCP).
    Bytes b = hex_bytes(
        "45 00 00 3c 00 00 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02"
        "cb 1d 00 50 00 00 00 01 00 00 00 00 a0 02 fa f0 00 00 00 00"
        "02 04 05 b4 04 02 08 0a 00 01 02 03 00 00 00 00 01 03 03 07");
    fix_tcp_checksums(b);
    auto parsed = parse(b);
    REQUIRE_MESSAGE(parsed.ok(), parsed.error);
    const TcpSegment* s = parsed.packet->tcp();
    CHECK(s->mss == 1460);
    CHECK(s->sack_permitted);
    CHECK(s->window_scale == 7);
    auto fields = describe(b);
    REQUIRE(field(fields, "TCP option", "Timestamps"));
    CHECK(field(fields, "TCP option", "Timestamps")->value == "TSval=66051 TSecr=0");

    b[56] = 0;  // EOL before the window scale: it is not read
    fix_tcp_checksums(b);
    parsed = parse(b);
    REQUIRE_MESSAGE(parsed.ok(), parsed.error);
    CHECK_FALSE(parsed.packet->tcp()->window_scale);

    Bytes padded = kCapturedSyn;
    padded.resize(60, 0);  // Ethernet minimum-frame padding after the packet
    parsed = parse(padded);
    REQUIRE(parsed.ok());
    CHECK(emit(*parsed.packet) == kCapturedSyn);
    CHECK(field(describe(padded), "IPv4", "Trailing bytes"));
}

TEST_CASE("wire: hostile input never crashes parse or describe") {
    auto frames = all_frames();
    size_t checked = 0;
    for (const Frame& f : frames) {
        CAPTURE(f.file);
        CAPTURE(f.index);
        // Truncated at every length: always an error, never a crash.
        for (size_t n = 0; n < f.ip.size(); ++n) {
            std::span<const uint8_t> prefix(f.ip.data(), n);
            CHECK_FALSE(parse(prefix).ok());
            for (const WireField& w : describe(prefix)) CHECK(w.offset + w.length <= n);
            ++checked;
        }
        // Every single-bit error is caught by a length check or a checksum.
        for (size_t bit = 0; bit < f.ip.size() * 8; ++bit) {
            Bytes b = f.ip;
            b[bit / 8] ^= uint8_t(1u << (bit % 8));
            auto r = parse(b);
            CAPTURE(bit);
            CHECK_FALSE(r.ok());
            CHECK_FALSE(r.error.empty());
            for (const WireField& w : describe(b)) CHECK(w.offset + w.length <= b.size());
        }
    }
    CHECK(checked > 500);

    // Random bytes, and random edits of real packets with their checksums repaired, so that the
    // option walk and the length checks behind the checksums get exercised too.
    uint32_t state = 12345;
    auto next = [&state] { state = state * 1664525u + 1013904223u; return state >> 8; };
    for (int round = 0; round < 20000; ++round) {
        Bytes b;
        if (round % 2 == 0) {
            b.resize(next() % 80);
            for (auto& x : b) x = uint8_t(next());
            if (b.size() > 0 && round % 4 == 0) b[0] = 0x45;
        } else {
            b = kCapturedSyn;
            for (int k = 0; k < 3; ++k) b[20 + next() % 28] = uint8_t(next());
            fix_tcp_checksums(b);
        }
        auto r = parse(b);
        CHECK(r.ok() == r.error.empty());
        if (r.ok()) {
            auto again = parse(emit(*r.packet));
            REQUIRE_MESSAGE(again.ok(), again.error);
            CHECK(*again.packet == *r.packet);
        }
        for (const WireField& w : describe(b)) CHECK(w.offset + w.length <= b.size());
    }
}

TEST_CASE("wire: describe lists each header field with its bytes, value and meaning") {
    auto fields = describe(kCapturedSyn);
    const WireField* ttl = field(fields, "IPv4", "Time to live");
    REQUIRE(ttl);
    CHECK(ttl->offset == 8);
    CHECK(ttl->length == 1);
    CHECK(ttl->value == "64");
    CHECK(ttl->help == "Each router decrements it; at 0 the packet is dropped (RFC 791).");
    CHECK(field(fields, "IPv4", "Version")->value == "4");
    CHECK(field(fields, "IPv4", "Header length (IHL)")->offset == 0);  // shares the byte with Version
    CHECK(field(fields, "IPv4", "Flags")->value == "DF");
    CHECK(field(fields, "IPv4", "Protocol")->value == "6 (TCP)");
    CHECK(field(fields, "IPv4", "Header checksum")->value == "0xc615 (correct)");
    CHECK(field(fields, "IPv4", "Source address")->value == "10.0.0.1");
    CHECK(field(fields, "TCP", "Sequence number")->value == "2741401298");
    CHECK(field(fields, "TCP", "Flags")->value == "SYN");
    CHECK(field(fields, "TCP", "Flags")->offset == 33);
    CHECK(field(fields, "TCP", "Data offset")->value == "7 (28 bytes)");
    CHECK(field(fields, "TCP", "Checksum")->value == "0x8f7b (correct)");
    CHECK(field(fields, "TCP option", "Maximum segment size")->value == "1460");
    CHECK(field(fields, "TCP option", "Window scale")->value == "10 (x1024)");
    CHECK(field(fields, "TCP option", "No-operation")->offset == 44);
    CHECK_FALSE(field(fields, "TCP", "Payload"));
    for (const WireField& f : fields) {
        CAPTURE(f.name);
        CHECK_FALSE(f.help.empty());
        CHECK_FALSE(f.value.empty());
    }

    Bytes bad = kCapturedSyn;
    bad[8] = 63;
    CHECK(field(describe(bad), "IPv4", "Header checksum")->value == "0xc615 (wrong: expected 0xc715)");

    // A truncated buffer: the fields that are there, then where it ends.
    auto part = describe(std::span(kCapturedSyn).first(10));
    CHECK(field(part, "IPv4", "Time to live"));
    CHECK_FALSE(field(part, "IPv4", "Header checksum"));
    REQUIRE(field(part, "IPv4", "Missing bytes"));
    CHECK(field(part, "IPv4", "Missing bytes")->value == "10 of 48 bytes present");
    CHECK(describe({}).size() == 1);  // only "Missing bytes"
    CHECK(field(describe({}), "IPv4", "Missing bytes")->value == "0 of 20 bytes present");

    // ICMP port unreachable: the quoted datagram is described as well.
    auto c = read_pcap("c_udp.pcap");
    auto icmp = describe(c[3].ip);
    CHECK(field(icmp, "ICMP", "Type")->value == "3 (destination unreachable)");
    CHECK(field(icmp, "ICMP", "Code")->value == "3 (port unreachable)");
    CHECK(field(icmp, "ICMP", "Checksum")->value == "0x111e (correct)");
    CHECK(field(icmp, "ICMP", "Quoted datagram")->offset == 28);
    CHECK(field(icmp, "quoted IPv4", "Destination address")->value == "10.0.0.2");
    CHECK(field(icmp, "quoted UDP", "Destination port")->value == "9999");
    CHECK(field(icmp, "quoted UDP", "Destination port")->offset == 28 + 22);
    CHECK(field(icmp, "quoted UDP", "Checksum")->value == "0xa56a (correct)");
    auto udp = describe(c[0].ip);
    CHECK(field(udp, "UDP", "Payload")->value == "5 bytes: hello");
    CHECK(field(udp, "UDP", "Checksum")->value == "0xcc44 (correct)");
}
