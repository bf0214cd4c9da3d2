// One IPv4 datagram's journey through the routers (issue 16, "a per-hop view of one packet"): the
// trace records every hop as a packet of its own (a router's forwarding is a new transmission on
// another network); this puts the hops of one datagram side by side, in hop order. Per hop the
// Ethernet header is new (IEEE 802.3: the sending interface's MAC as the source, the next hop's
// MAC, found by ARP, as the destination) while the IP addresses stay and the TTL goes down by one
// (RFC 791 §3.2, "Time to Live"). Read from the packets' bytes by the one decoder (model/wire).
// No SimGrid, no ImGui: the viewer's inspector and sequence diagram share it.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "model/address.hpp"
#include "model/link.hpp"
#include "sim/trace.hpp"

namespace netstep::sim {

struct JourneyHop {
    uint32_t packet = kNone;              // index into Trace::packets
    uint32_t network = 0;                 // the link it crossed
    uint32_t from_host = kNone;           // the host that sent it on this link
    uint32_t to_host = kNone;             // the host that received it (kNone: nobody, or a broadcast)
    std::optional<MacAddress> eth_src;    // the Ethernet header (nullopt: `link: none`, no frames)
    std::optional<MacAddress> eth_dst;
    Ipv4Address ip_src, ip_dst;           // ARP: the sender's and the target's protocol address
    std::optional<uint16_t> ip_id;        // IPv4 identification (nullopt: ARP, or not IPv4)
    std::optional<uint8_t> ttl;           // ... its time to live
    uint8_t protocol = 0;                 // ... and protocol: 6 TCP, 17 UDP, 1 ICMP
    bool arp = false;                     // an ARP frame (RFC 826): a journey of one hop
    bool dropped = false;                 // lost on this link: the journey ends here
    bool operator==(const JourneyHop&) const = default;
};

// Every packet of the trace carrying the same IPv4 datagram as `packet`, in hop order: same IP
// source, destination, identification and protocol, the TTL one lower at each router, each hop
// sent by the host that received the one before, no earlier than it arrived. A packet that is not
// IPv4 (ARP) is a journey of one hop; a packet out of range, none. The search stops at the host
// that owns the source address (where the datagram was made) and at the one that owns the
// destination (where it is delivered), at a hop that was dropped, and at a host that is not a
// router.
std::vector<JourneyHop> journey(const Trace& trace, uint32_t packet);

// One packet as a hop (no search): what journey() lists for it.
JourneyHop journey_hop(const Trace& trace, uint32_t packet);

}  // namespace netstep::sim
