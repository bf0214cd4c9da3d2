// The link layer as values: MAC addresses, ARP packets (RFC 826) and Ethernet II frames
// (IEEE 802.3). Bytes live in model/wire (emit_frame, parse_frame); the ARP logic in
// model/neighbor.hpp; the learning switch in model/switch.hpp.
#pragma once
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "address.hpp"
#include "packet.hpp"

namespace netstep {

// A 48-bit IEEE 802 MAC address, in transmission order (octets[0] goes first on the wire).
struct MacAddress {
    std::array<uint8_t, 6> octets{};

    static constexpr MacAddress broadcast() { return {{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}}; }
    static constexpr MacAddress zero() { return {}; }
    // "02:4e:1a:00:00:01" or "02-4E-1A-00-00-01" (either case, ':' or '-', one separator
    // throughout); nullopt on anything else.
    static std::optional<MacAddress> parse(std::string_view text);

    constexpr bool is_broadcast() const { return *this == broadcast(); }
    // The I/G bit (bit 0 of the first octet): group (multicast or broadcast) addresses.
    constexpr bool is_multicast() const { return (octets[0] & 0x01) != 0; }
    // The U/L bit (bit 1 of the first octet): a locally administered address.
    constexpr bool is_local() const { return (octets[0] & 0x02) != 0; }
    constexpr bool operator==(const MacAddress&) const = default;
    // Octet by octet, spelled out: the libc++ of Emscripten 3.1.6 (the web viewer) has no <=> for
    // std::array, so a defaulted one would be deleted there.
    constexpr std::strong_ordering operator<=>(const MacAddress& other) const {
        for (size_t i = 0; i < octets.size(); ++i) {
            if (octets[i] != other.octets[i]) return octets[i] <=> other.octets[i];
        }
        return std::strong_ordering::equal;
    }

    std::string to_string() const;          // "02:4e:1a:00:00:01": ip link, tcpdump, Wireshark
    std::string to_windows_string() const;  // "02-4E-1A-00-00-01": ipconfig /all, arp -a
};

// The MAC address of a host's interface when the scenario gives none: a locally administered
// unicast address (first octet: U/L bit set, I/G bit clear) that depends only on the seed, the
// host's name and the interface's index, so that a run is reproducible and two interfaces
// differ. Hash: h = FNV-1a 64 of the host name; h ^= index * 0x9E3779B97F4A7C15 (the golden
// ratio constant); h ^= seed; h = SplitMix64 finalizer (rng.hpp) of h; the six octets are the
// low 48 bits of h, most significant first, with octet 0 then forced to (x & 0xFC) | 0x02.
MacAddress derive_mac(uint64_t seed, std::string_view host, size_t interface_index);

// EtherType values (IEEE 802.3 Length/Type field, IANA registry).
namespace ethertype {
inline constexpr uint16_t IPV4 = 0x0800;
inline constexpr uint16_t ARP = 0x0806;
}  // namespace ethertype

// An ARP packet for IPv4 over Ethernet (RFC 826): hardware type 1, protocol type 0x0800,
// hardware length 6, protocol length 4, then op and the four addresses.
struct ArpPacket {
    enum class Op : uint16_t { Request = 1, Reply = 2 };
    Op op = Op::Request;
    MacAddress sender_mac;   // sha
    Ipv4Address sender_ip;   // spa
    MacAddress target_mac;   // tha: 00:00:00:00:00:00 in a request, as Linux sends it
    Ipv4Address target_ip;   // tpa

    static ArpPacket request(MacAddress sha, Ipv4Address spa, Ipv4Address tpa) {
        return {Op::Request, sha, spa, MacAddress::zero(), tpa};
    }
    static ArpPacket reply(MacAddress sha, Ipv4Address spa, MacAddress tha, Ipv4Address tpa) {
        return {Op::Reply, sha, spa, tha, tpa};
    }
    bool operator==(const ArpPacket&) const = default;
    // As tcpdump -n prints it: "ARP, Request who-has 192.168.1.20 tell 192.168.1.10",
    // "ARP, Reply 192.168.1.20 is-at 02:4e:1a:00:00:01".
    std::string to_string() const;
};

// An Ethernet II frame without its preamble and FCS, as captures show it. The EtherType follows
// from the payload.
struct EthernetFrame {
    MacAddress dst;
    MacAddress src;
    std::variant<Ipv4Packet, ArpPacket> payload;

    uint16_t ethertype() const;
    const Ipv4Packet* ipv4() const { return std::get_if<Ipv4Packet>(&payload); }
    const ArpPacket* arp() const { return std::get_if<ArpPacket>(&payload); }
    // Bytes as captured on the link: 14 header bytes plus the payload padded to 46 (wire.hpp).
    size_t wire_size() const;
    bool operator==(const EthernetFrame&) const = default;
    // "02:4e:..:01 > ff:ff:ff:ff:ff:ff, ARP, Request who-has 192.168.1.20 tell 192.168.1.10"
    // (tcpdump -e -n); an IPv4 payload is printed as Ipv4Packet::to_string().
    std::string to_string() const;
};

inline constexpr size_t kEthernetHeaderSize = 14;  // destination, source, EtherType
inline constexpr size_t kEthernetMinPayload = 46;  // 64-byte minimum frame less header and FCS
inline constexpr size_t kArpPacketSize = 28;       // RFC 826 for Ethernet and IPv4

}  // namespace netstep
