// The one packet selector (see selector.hpp).
#include "sim/selector.hpp"

namespace netstep::sim {

HopFacts hop_facts(const Ipv4Packet& packet, uint32_t from_host, uint32_t to_host, uint32_t hop_host) {
    HopFacts hop{from_host, to_host, hop_host};
    if (const TcpSegment* t = packet.tcp()) {
        hop.protocol = 6;
        hop.flags = t->flags;
    } else if (packet.udp()) {
        hop.protocol = 17;
    } else {
        hop.protocol = 1;
    }
    return hop;
}

HopFacts arp_hop_facts(uint32_t from_host, uint32_t to_host, uint32_t hop_host) {
    return HopFacts{from_host, to_host, hop_host, kArpProtocol};
}

unsigned mismatches(const HostSelector& sel, const HopFacts& hop) {
    // ARP is selected by `proto: arp` only (not even a near miss of another selector).
    if (hop.protocol == kArpProtocol && sel.protocol != kArpProtocol) return kFrom | kTo | kArrives | kProto | kFlags;
    unsigned m = 0;
    if (sel.from != kNone && sel.from != hop.from_host) m |= kFrom;
    if (sel.to != kNone && sel.to != hop.to_host) m |= kTo;
    if (sel.arrives != kNone && sel.arrives != hop.hop_host) m |= kArrives;
    if (sel.protocol && *sel.protocol != hop.protocol) m |= kProto;
    // Flags are matched exactly: FIN does not select FIN+ACK (the trace says which came close).
    if (sel.flags && (hop.protocol != 6 || *sel.flags != hop.flags)) m |= kFlags;
    return m;
}

std::optional<uint8_t> protocol_number(const std::string& proto) {
    if (proto == "tcp") return 6;
    if (proto == "udp") return 17;
    if (proto == "icmp") return 1;
    if (proto == "arp") return kArpProtocol;
    return std::nullopt;
}

}  // namespace netstep::sim
