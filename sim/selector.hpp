// The packet selector of faults and captions, in one place: `from`/`to` hosts, `proto`, `flags`
// (exact), and, for captions, the host a hop `arrives` at. The engine matches packets with it as
// they go on the wire; the viewer's what-if menu counts packets with it to write `nth`. No
// SimGrid here: the viewer links this file.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "model/packet.hpp"
#include "sim/scenario.hpp"
#include "sim/trace.hpp"

namespace netstep::sim {

// One hop of a packet, as a selector sees it.
struct HopFacts {
    uint32_t from_host = kNone;  // the host putting it on the wire (this hop's sender)
    uint32_t to_host = kNone;    // the host owning its destination address (kNone: nobody)
    uint32_t hop_host = kNone;   // the host receiving this hop (a router, or to_host)
    uint8_t protocol = 0;        // IP protocol: 6 TCP, 17 UDP, 1 ICMP; kArpProtocol for ARP
    uint8_t flags = 0;           // TCP flags (0 for UDP and ICMP)
};

// `proto: arp` selects ARP frames, and only it does: a selector written before the link layer
// existed (`from: laptop, nth: 1`) still counts the same IP packets. 255 is IANA's "Reserved"
// IP protocol number, never one a packet carries here.
inline constexpr uint8_t kArpProtocol = 255;

HopFacts hop_facts(const Ipv4Packet& packet, uint32_t from_host, uint32_t to_host, uint32_t hop_host);
// An ARP frame's: `to` is the host that owns the address asked about (a request) or the one the
// reply goes to.
HopFacts arp_hop_facts(uint32_t from_host, uint32_t to_host, uint32_t hop_host);

// A PacketSelector with its host names resolved to host indices (kNone: any).
struct HostSelector {
    uint32_t from = kNone;
    uint32_t to = kNone;
    uint32_t arrives = kNone;         // captions' `arrives: HOST`: the hop's receiver
    std::optional<uint8_t> protocol;  // 6, 17, 1
    std::optional<uint8_t> flags;
};

// The criteria a hop fails, one bit each (0: it matches).
enum Mismatch : unsigned { kFrom = 1, kTo = 2, kArrives = 4, kProto = 8, kFlags = 16 };
unsigned mismatches(const HostSelector& sel, const HopFacts& hop);
inline bool matches(const HostSelector& sel, const HopFacts& hop) { return mismatches(sel, hop) == 0; }
// Fails on exactly one criterion: the packets that "came close" to a selector that never matched.
inline bool near_miss(const HostSelector& sel, const HopFacts& hop) {
    unsigned m = mismatches(sel, hop);
    return m != 0 && (m & (m - 1)) == 0;
}

std::optional<uint8_t> protocol_number(const std::string& proto);  // "tcp" -> 6, else nullopt

}  // namespace netstep::sim
