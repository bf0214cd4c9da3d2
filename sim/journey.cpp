// One datagram's hops, found in the trace by its IP header (sim/journey.hpp).
#include "sim/journey.hpp"

#include <algorithm>

#include "model/wire/wire.hpp"

namespace netstep::sim {

namespace {

bool owns(const Trace& trace, uint32_t host, Ipv4Address address) {
    if (host >= trace.hosts.size()) return false;
    const std::vector<InterfaceConfig>& itfs = trace.hosts[host].interfaces;
    return std::any_of(itfs.begin(), itfs.end(), [&](const InterfaceConfig& i) { return i.address.address == address; });
}

bool forwards(const Trace& trace, uint32_t host) {
    return host < trace.hosts.size() && trace.hosts[host].forwarding;
}

// Two hops of one datagram: the header fields a router leaves as they are (RFC 791: it changes
// only the TTL and the checksum; this model neither fragments nor rewrites options).
bool same_datagram(const JourneyHop& a, const JourneyHop& b) {
    return a.ip_id && b.ip_id && a.ip_src == b.ip_src && a.ip_dst == b.ip_dst && *a.ip_id == *b.ip_id &&
           a.protocol == b.protocol;
}

// The hop after `hop`: the first packet its receiver sent, no earlier than it arrived, carrying
// the datagram with the TTL one lower (RFC 791 §3.2: each router decrements it by one).
std::optional<JourneyHop> next_hop(const Trace& trace, const JourneyHop& hop) {
    const TracePacket& p = trace.packets[hop.packet];
    if (hop.dropped || p.to_host == kNone || !forwards(trace, p.to_host) || owns(trace, p.to_host, hop.ip_dst)) return std::nullopt;
    if (*hop.ttl <= 1) return std::nullopt;  // a router discards it (ICMP time exceeded), RFC 1812 §5.3.1
    for (uint32_t i = hop.packet + 1; i < trace.packets.size(); ++i) {  // packets are in the order sent
        const TracePacket& q = trace.packets[i];
        if (q.from_host != p.to_host || q.sent < p.arrives) continue;
        JourneyHop next = journey_hop(trace, i);
        if (same_datagram(hop, next) && *next.ttl + 1 == *hop.ttl) return next;
    }
    return std::nullopt;
}

// The hop before `hop`: the last packet delivered to its sender, before it was sent, carrying the
// datagram with the TTL one higher.
std::optional<JourneyHop> previous_hop(const Trace& trace, const JourneyHop& hop) {
    const TracePacket& p = trace.packets[hop.packet];
    if (!forwards(trace, p.from_host) || owns(trace, p.from_host, hop.ip_src) || *hop.ttl == 255) return std::nullopt;
    for (uint32_t i = hop.packet; i-- > 0;) {
        const TracePacket& q = trace.packets[i];
        if (q.to_host != p.from_host || q.dropped || q.arrives > p.sent) continue;
        JourneyHop previous = journey_hop(trace, i);
        if (same_datagram(hop, previous) && *previous.ttl == *hop.ttl + 1) return previous;
    }
    return std::nullopt;
}

}  // namespace

JourneyHop journey_hop(const Trace& trace, uint32_t packet) {
    const TracePacket& p = trace.packets.at(packet);
    JourneyHop hop;
    hop.packet = packet;
    hop.network = p.network;
    hop.from_host = p.from_host;
    hop.to_host = p.to_host;
    hop.dropped = p.dropped;
    const Ipv4Packet* ip = nullptr;
    std::optional<EthernetFrame> frame;
    wire::ParseResult bare;
    if (trace.ethernet) {
        frame = wire::parse_frame(p.bytes).frame;
        if (!frame) return hop;
        hop.eth_src = frame->src;
        hop.eth_dst = frame->dst;
        if (const ArpPacket* arp = frame->arp()) {
            hop.arp = true;
            hop.ip_src = arp->sender_ip;
            hop.ip_dst = arp->target_ip;
            return hop;
        }
        ip = frame->ipv4();
    } else {
        bare = wire::parse(p.bytes);
        if (bare.packet) ip = &*bare.packet;
    }
    if (!ip) return hop;
    hop.ip_src = ip->src;
    hop.ip_dst = ip->dst;
    hop.ip_id = ip->id;
    hop.ttl = ip->ttl;
    hop.protocol = ip->protocol();
    return hop;
}

std::vector<JourneyHop> journey(const Trace& trace, uint32_t packet) {
    if (packet >= trace.packets.size()) return {};
    std::vector<JourneyHop> hops{journey_hop(trace, packet)};
    if (!hops[0].ttl) return hops;  // ARP, or not IPv4: this one frame
    while (auto previous = previous_hop(trace, hops.front())) hops.insert(hops.begin(), *previous);
    while (auto next = next_hop(trace, hops.back())) hops.push_back(*next);
    return hops;
}

}  // namespace netstep::sim
