// The link layer's values and bytes: MAC addresses, their derivation, ARP packets (RFC 826) and
// Ethernet II frames, byte for byte from the layouts, and parsed back.
#include <doctest/doctest.h>

#include <set>

#include "model/link.hpp"
#include "model/wire/wire.hpp"

using namespace netstep;
using namespace netstep::wire;

namespace {

Ipv4Address ip(const char* t) { return *Ipv4Address::parse(t); }
MacAddress mac(const char* t) { return *MacAddress::parse(t); }

const MacAddress kA = mac("02:00:00:00:00:0a");
const MacAddress kB = mac("02:00:00:00:00:14");

// The 42 bytes of "who-has 192.168.1.20 tell 192.168.1.10" from 02:00:00:00:00:0a, written
// from the layouts: Ethernet II (dst, src, type), then RFC 826's fields in order.
const Bytes kRequest = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // destination: broadcast
    0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,  // source
    0x08, 0x06,                          // EtherType ARP
    0x00, 0x01,                          // ar$hrd: 1 (Ethernet)
    0x08, 0x00,                          // ar$pro: 0x0800 (IPv4)
    0x06,                                // ar$hln
    0x04,                                // ar$pln
    0x00, 0x01,                          // ar$op: request
    0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,  // ar$sha
    0xc0, 0xa8, 0x01, 0x0a,              // ar$spa 192.168.1.10
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // ar$tha: unknown
    0xc0, 0xa8, 0x01, 0x14,              // ar$tpa 192.168.1.20
};

}  // namespace

TEST_CASE("link: MAC address text forms and parse") {
    MacAddress m{{0x02, 0x4e, 0x1a, 0x00, 0xbc, 0xff}};
    CHECK(m.to_string() == "02:4e:1a:00:bc:ff");
    CHECK(m.to_windows_string() == "02-4E-1A-00-BC-FF");
    CHECK(MacAddress::parse("02:4e:1a:00:bc:ff") == m);
    CHECK(MacAddress::parse("02-4E-1A-00-BC-FF") == m);
    CHECK(MacAddress::parse("02:4E:1a:00:BC:ff") == m);
    CHECK_FALSE(MacAddress::parse("02:4e:1a:00:bc"));
    CHECK_FALSE(MacAddress::parse("02:4e-1a:00:bc:ff"));   // mixed separators
    CHECK_FALSE(MacAddress::parse("02:4e:1a:00:bc:fg"));
    CHECK_FALSE(MacAddress::parse("024e1a00bcff"));
    CHECK(MacAddress::broadcast().to_string() == "ff:ff:ff:ff:ff:ff");
    CHECK(MacAddress::broadcast().is_broadcast());
    CHECK(MacAddress::broadcast().is_multicast());
    CHECK_FALSE(m.is_multicast());
    CHECK(m.is_local());
    CHECK(MacAddress::zero().to_string() == "00:00:00:00:00:00");
}

TEST_CASE("link: derived MAC addresses are locally administered unicast, deterministic, distinct") {
    MacAddress a = derive_mac(1, "client", 0);
    CHECK(a == derive_mac(1, "client", 0));
    CHECK(a.is_local());
    CHECK_FALSE(a.is_multicast());
    CHECK((a.octets[0] & 0x03) == 0x02);
    CHECK(a != derive_mac(2, "client", 0));  // the seed
    CHECK(a != derive_mac(1, "server", 0));  // the host
    CHECK(a != derive_mac(1, "client", 1));  // the interface
    std::set<MacAddress> seen;
    for (size_t i = 0; i < 1000; ++i) {
        MacAddress m = derive_mac(7, "router", i);
        CHECK((m.octets[0] & 0x03) == 0x02);
        seen.insert(m);
    }
    CHECK(seen.size() == 1000);
    // The documented hash, by hand: FNV-1a 64 of the name, the index times the golden ratio
    // constant, the seed, the SplitMix64 finalizer; the low 48 bits, most significant first.
    uint64_t h = 0xCBF29CE484222325ull;
    for (char c : std::string("pc")) {
        h ^= uint8_t(c);
        h *= 0x100000001B3ull;
    }
    h ^= 3 * 0x9E3779B97F4A7C15ull;
    h ^= 42;
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
    h ^= h >> 31;
    MacAddress want;
    for (size_t i = 0; i < 6; ++i) want.octets[i] = uint8_t(h >> (40 - 8 * i));
    want.octets[0] = uint8_t((want.octets[0] & 0xFC) | 0x02);
    CHECK(derive_mac(42, "pc", 3) == want);
}

TEST_CASE("link: ARP request: exact bytes, padded to 60 on the link, parsed back") {
    ArpPacket req = ArpPacket::request(kA, ip("192.168.1.10"), ip("192.168.1.20"));
    CHECK(req.to_string() == "ARP, Request who-has 192.168.1.20 tell 192.168.1.10");
    Bytes arp = emit_arp(req);
    CHECK(arp == Bytes(kRequest.begin() + 14, kRequest.end()));

    EthernetFrame f{MacAddress::broadcast(), kA, req};
    CHECK(f.ethertype() == 0x0806);
    CHECK(f.wire_size() == 60);
    Bytes b = emit_frame(f);
    Bytes want = kRequest;
    want.resize(60, 0);  // 18 bytes of padding: 46 bytes of payload at least
    CHECK(b == want);
    CHECK(f.to_string() == "02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff, ARP, Request who-has 192.168.1.20 tell 192.168.1.10");

    auto parsed = parse_frame(b);
    REQUIRE(parsed.ok());
    CHECK(*parsed.frame == f);
    // A capture on the sending Linux host shows the 42 unpadded bytes: the same frame.
    auto short_frame = parse_frame(kRequest);
    REQUIRE(short_frame.ok());
    CHECK(*short_frame.frame == f);
}

TEST_CASE("link: ARP reply: exact bytes and text") {
    ArpPacket rep = ArpPacket::reply(kB, ip("192.168.1.20"), kA, ip("192.168.1.10"));
    CHECK(rep.to_string() == "ARP, Reply 192.168.1.20 is-at 02:00:00:00:00:14");
    Bytes want = {0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,
                  0x02, 0x00, 0x00, 0x00, 0x00, 0x14, 0xc0, 0xa8, 0x01, 0x14,
                  0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, 0xc0, 0xa8, 0x01, 0x0a};
    CHECK(emit_arp(rep) == want);
    auto back = parse_arp(want);
    REQUIRE(back.ok());
    CHECK(*back.arp == rep);
}

TEST_CASE("link: an IPv4 frame: header, packet bytes, no padding past 46") {
    Ipv4Packet p;
    p.src = ip("192.168.1.10");
    p.dst = ip("192.168.1.20");
    p.id = 1;
    p.body = UdpDatagram{40000, 9999, Bytes{'h', 'i'}};
    EthernetFrame f{kB, kA, p};
    Bytes b = emit_frame(f);
    Bytes packet = emit(p);  // 30 bytes: padded to 46
    REQUIRE(packet.size() == 30);
    CHECK(b.size() == 60);
    CHECK(Bytes(b.begin(), b.begin() + 14) ==
          Bytes{0x02, 0x00, 0x00, 0x00, 0x00, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x08, 0x00});
    CHECK(Bytes(b.begin() + 14, b.begin() + 44) == packet);
    CHECK(Bytes(b.begin() + 44, b.end()) == Bytes(16, 0));
    auto back = parse_frame(b);
    REQUIRE(back.ok());
    CHECK(*back.frame == f);

    p.body = UdpDatagram{40000, 9999, Bytes(100, 'x')};
    EthernetFrame big{kB, kA, p};
    CHECK(emit_frame(big).size() == 14 + 128);
    CHECK(big.wire_size() == 14 + 128);
}

TEST_CASE("link: bad frames and ARP packets are refused with a sentence") {
    CHECK(parse_frame(Bytes(10, 0)).error == "truncated Ethernet header: 10 of 14 bytes");
    Bytes v6 = kRequest;
    v6[12] = 0x86;
    v6[13] = 0xdd;
    CHECK(parse_frame(v6).error == "EtherType 0x86dd not supported (IPv4 0x0800 and ARP 0x0806 are)");
    Bytes len = kRequest;
    len[12] = 0x00;
    len[13] = 0x2e;
    CHECK(parse_frame(len).error == "802.3 length field 46 (not Ethernet II)");
    Bytes arp(kRequest.begin() + 14, kRequest.end());
    CHECK(parse_arp(Bytes(arp.begin(), arp.begin() + 20)).error == "truncated ARP packet: 20 of 28 bytes");
    Bytes op = arp;
    op[7] = 3;
    CHECK(parse_arp(op).error == "ARP operation 3 (expected 1 request or 2 reply)");
    Bytes hw = arp;
    hw[1] = 6;
    CHECK(parse_arp(hw).error == "ARP hardware type 6 (expected 1, Ethernet)");
    Bytes lens = arp;
    lens[4] = 8;
    CHECK(parse_arp(lens).error == "ARP address lengths 8/4 (expected 6/4)");
}

TEST_CASE("link: describe_frame: the Ethernet and ARP fields with their byte ranges") {
    Bytes b = emit_frame(EthernetFrame{MacAddress::broadcast(), kA, ArpPacket::request(kA, ip("192.168.1.10"), ip("192.168.1.20"))});
    auto fields = describe_frame(b);
    REQUIRE(fields.size() == 3 + 9 + 1);
    CHECK(fields[0].layer == "Ethernet");
    CHECK(fields[0].value == "ff:ff:ff:ff:ff:ff (broadcast)");
    CHECK(fields[1].value == "02:00:00:00:00:0a");
    CHECK(fields[2].value == "0x0806 (ARP)");
    CHECK(fields[2].offset == 12);
    CHECK(fields[7].name == "Opcode");
    CHECK(fields[7].value == "1 (request)");
    CHECK(fields[7].offset == 20);
    CHECK(fields[11].name == "Target IP address");
    CHECK(fields[11].value == "192.168.1.20");
    CHECK(fields[11].offset == 38);
    CHECK(fields[12].name == "Padding");
    CHECK(fields[12].offset == 42);
    CHECK(fields[12].length == 18);

    Ipv4Packet p;
    p.src = ip("192.168.1.10");
    p.dst = ip("192.168.1.20");
    p.body = UdpDatagram{1, 2, Bytes(40, 'x')};
    auto ipf = describe_frame(emit_frame(EthernetFrame{kB, kA, p}));
    REQUIRE(ipf.size() > 4);
    CHECK(ipf[2].value == "0x0800 (IPv4)");
    CHECK(ipf[3].layer == "IPv4");
    CHECK(ipf[3].offset == 14);
    // Hostile input: any prefix is described without reading past it.
    for (size_t n = 0; n <= b.size(); ++n) {
        for (const auto& f : describe_frame(std::span(b).first(n))) CHECK(f.offset + f.length <= n);
    }
}
