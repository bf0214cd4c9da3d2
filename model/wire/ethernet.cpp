// Ethernet II frames (IEEE 802.3 clause 3.2) and ARP packets (RFC 826): values to bytes, bytes
// to values, and the inspector's fields. The layouts:
//
//   Ethernet II   0 destination MAC (6)   6 source MAC (6)   12 EtherType (2)   14 payload
//   ARP           0 htype (2) = 1         2 ptype (2) = 0x0800   4 hlen (1) = 6   5 plen (1) = 4
//                 6 op (2)   8 sha (6)   14 spa (4)   18 tha (6)   24 tpa (4)   28 end
#include <algorithm>

#include "model/wire/bytes.hpp"
#include "model/wire/wire.hpp"

namespace netstep::wire {

using namespace detail;

namespace {

using Span = std::span<const uint8_t>;

constexpr uint16_t kArpHardwareEthernet = 1;
constexpr uint8_t kArpHardwareLength = 6;
constexpr uint8_t kArpProtocolLength = 4;
// EtherType values start at 1536 (0x0600); below 1501 the field is an 802.3 length.
constexpr uint16_t kEtherTypeMin = 0x0600;

void put_mac(Bytes& out, const MacAddress& m) { out.insert(out.end(), m.octets.begin(), m.octets.end()); }

MacAddress mac_at(Span b, size_t at) {
    MacAddress m;
    std::copy_n(b.begin() + long(at), 6, m.octets.begin());
    return m;
}

}  // namespace

Bytes emit_arp(const ArpPacket& a) {
    Bytes out;
    out.reserve(kArpPacketSize);
    put16(out, kArpHardwareEthernet);
    put16(out, ethertype::IPV4);
    put8(out, kArpHardwareLength);
    put8(out, kArpProtocolLength);
    put16(out, uint16_t(a.op));
    put_mac(out, a.sender_mac);
    put32(out, a.sender_ip.value);
    put_mac(out, a.target_mac);
    put32(out, a.target_ip.value);
    return out;
}

Bytes emit_frame(const EthernetFrame& f) {
    Bytes out;
    out.reserve(f.wire_size());
    put_mac(out, f.dst);
    put_mac(out, f.src);
    put16(out, f.ethertype());
    Bytes payload = f.arp() ? emit_arp(*f.arp()) : emit(*f.ipv4());
    out.insert(out.end(), payload.begin(), payload.end());
    if (out.size() < kEthernetHeaderSize + kEthernetMinPayload) out.resize(kEthernetHeaderSize + kEthernetMinPayload, 0);
    return out;
}

ArpParseResult parse_arp(Span b) {
    if (b.size() < kArpPacketSize) {
        return {std::nullopt, "truncated ARP packet: " + std::to_string(b.size()) + " of 28 bytes"};
    }
    if (get16(b, 0) != kArpHardwareEthernet) return {std::nullopt, "ARP hardware type " + std::to_string(get16(b, 0)) + " (expected 1, Ethernet)"};
    if (get16(b, 2) != ethertype::IPV4) return {std::nullopt, "ARP protocol type " + hex16(get16(b, 2)) + " (expected 0x0800, IPv4)"};
    if (b[4] != kArpHardwareLength || b[5] != kArpProtocolLength) {
        return {std::nullopt, "ARP address lengths " + std::to_string(b[4]) + "/" + std::to_string(b[5]) + " (expected 6/4)"};
    }
    uint16_t op = get16(b, 6);
    if (op != 1 && op != 2) return {std::nullopt, "ARP operation " + std::to_string(op) + " (expected 1 request or 2 reply)"};
    ArpPacket a{ArpPacket::Op(op), mac_at(b, 8), Ipv4Address{get32(b, 14)}, mac_at(b, 18), Ipv4Address{get32(b, 24)}};
    return {a, ""};
}

FrameParseResult parse_frame(Span b) {
    if (b.size() < kEthernetHeaderSize) {
        return {std::nullopt, "truncated Ethernet header: " + std::to_string(b.size()) + " of 14 bytes"};
    }
    MacAddress dst = mac_at(b, 0);
    MacAddress src = mac_at(b, 6);
    uint16_t type = get16(b, 12);
    Span payload = b.subspan(kEthernetHeaderSize);
    if (type == ethertype::ARP) {
        auto a = parse_arp(payload);
        if (!a.arp) return {std::nullopt, a.error};
        return {EthernetFrame{dst, src, *a.arp}, ""};
    }
    if (type == ethertype::IPV4) {
        auto p = parse(payload);
        if (!p.packet) return {std::nullopt, p.error};
        return {EthernetFrame{dst, src, std::move(*p.packet)}, ""};
    }
    if (type < kEtherTypeMin) return {std::nullopt, "802.3 length field " + std::to_string(type) + " (not Ethernet II)"};
    return {std::nullopt, "EtherType " + hex16(type) + " not supported (IPv4 0x0800 and ARP 0x0806 are)"};
}

std::vector<WireField> describe_frame(Span b) {
    std::vector<WireField> fields;
    auto add = [&](std::string layer, std::string name, size_t offset, size_t length, std::string value,
                   std::string help) {
        if (offset + length > b.size()) return;
        fields.push_back({std::move(layer), std::move(name), offset, length, std::move(value), std::move(help)});
    };
    auto mac = [&](size_t at) { return at + 6 <= b.size() ? mac_at(b, at).to_string() : std::string(); };
    add("Ethernet", "Destination", 0, 6, mac(0) + (b.size() >= 6 && mac_at(b, 0).is_broadcast() ? " (broadcast)" : ""),
        "The MAC address of the interface this frame is for; ff:ff:ff:ff:ff:ff reaches every host on the segment.");
    add("Ethernet", "Source", 6, 6, mac(6), "The MAC address of the interface that sent the frame.");
    uint16_t type = b.size() >= 14 ? get16(b, 12) : 0;
    std::string type_name = type == ethertype::IPV4 ? " (IPv4)" : type == ethertype::ARP ? " (ARP)" : "";
    add("Ethernet", "Type", 12, 2, hex16(type) + type_name, "What the payload is: 0x0800 an IPv4 packet, 0x0806 an ARP packet.");
    if (b.size() < kEthernetHeaderSize) {
        fields.push_back({"Ethernet", "Missing bytes", b.size(), 0, std::to_string(b.size()) + " of 14 bytes present",
                          "The buffer ends before the Ethernet header does."});
        return fields;
    }
    Span payload = b.subspan(kEthernetHeaderSize);
    if (type == ethertype::IPV4) {
        for (WireField f : describe(payload)) {
            f.offset += kEthernetHeaderSize;
            fields.push_back(std::move(f));
        }
        return fields;
    }
    if (type != ethertype::ARP) return fields;
    size_t o = kEthernetHeaderSize;
    auto u16 = [&](size_t at) { return at + 2 <= b.size() ? get16(b, at) : uint16_t(0); };
    auto ip = [&](size_t at) { return at + 4 <= b.size() ? Ipv4Address{get32(b, at)}.to_string() : std::string(); };
    add("ARP", "Hardware type", o + 0, 2, std::to_string(u16(o)) + (u16(o) == 1 ? " (Ethernet)" : ""), "The kind of link addresses: 1 for Ethernet.");
    add("ARP", "Protocol type", o + 2, 2, hex16(u16(o + 2)) + (u16(o + 2) == ethertype::IPV4 ? " (IPv4)" : ""),
        "The kind of network addresses resolved: 0x0800 for IPv4.");
    add("ARP", "Hardware size", o + 4, 1, o + 4 < b.size() ? std::to_string(b[o + 4]) : "", "Bytes in a MAC address: 6.");
    add("ARP", "Protocol size", o + 5, 1, o + 5 < b.size() ? std::to_string(b[o + 5]) : "", "Bytes in an IPv4 address: 4.");
    uint16_t op = u16(o + 6);
    add("ARP", "Opcode", o + 6, 2, std::to_string(op) + (op == 1 ? " (request)" : op == 2 ? " (reply)" : ""),
        "1: who has this IPv4 address? 2: the answer, from the host that has it.");
    add("ARP", "Sender MAC address", o + 8, 6, mac(o + 8), "The sender's MAC address: every host that reads the packet may note it.");
    add("ARP", "Sender IP address", o + 14, 4, ip(o + 14), "The sender's IPv4 address.");
    add("ARP", "Target MAC address", o + 18, 6, mac(o + 18), "In a request, unknown (zeros): it is what the sender asks for.");
    add("ARP", "Target IP address", o + 24, 4, ip(o + 24), "The address whose MAC address is asked for (request) or the asker's (reply).");
    size_t end = o + kArpPacketSize;
    if (b.size() < end) {
        fields.push_back({"ARP", "Missing bytes", b.size(), 0, std::to_string(b.size() - o) + " of 28 bytes present",
                          "The buffer ends before the ARP packet does."});
    } else if (b.size() > end) {
        fields.push_back({"Ethernet", "Padding", end, b.size() - end, std::to_string(b.size() - end) + " bytes",
                          "Zeros that bring a short frame up to Ethernet's minimum of 60 bytes (64 with the checksum)."});
    }
    return fields;
}

}  // namespace netstep::wire
