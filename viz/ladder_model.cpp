#include "viz/ladder_model.hpp"

#include <algorithm>
#include <optional>
#include <span>

#include "sim/selector.hpp"

namespace netstep::viz {

namespace {

// Which lifeline a hop leaves from / arrives at: the socket's endpoint on the host that owns the
// address, else the host itself (a router forwarding), else the bare address (nobody there).
std::string end_name(const TraceView& v, uint32_t host, Endpoint ep, bool by_host) {
    auto owner = v.index().host_of(ep.address);
    if (host != kNone && owner == host) return by_host ? v.index().host_name(host) : v.index().endpoint_name(ep);
    if (host != kNone) return v.index().host_name(host);
    return by_host ? v.index().address_name(ep.address) : v.index().endpoint_name(ep);
}

// The datagram an ICMP error quotes (RFC 792: its IPv4 header and first 8 bytes): protocol,
// source and destination.
struct Quoted { uint8_t proto; Endpoint src, dst; };
std::optional<Quoted> quoted(std::span<const uint8_t> b) {
    auto be16 = [&](size_t at) { return uint16_t((b[at] << 8) | b[at + 1]); };
    auto be32 = [&](size_t at) { return (uint32_t(be16(at)) << 16) | be16(at + 2); };
    if (b.size() < 20) return std::nullopt;
    size_t q = size_t(b[0] & 0x0F) * 4 + 8;  // after the ICMP header
    if (b.size() < q + 20 || (b[q - 8] != 3 && b[q - 8] != 11)) return std::nullopt;  // unreachable, time exceeded
    size_t ihl = size_t(b[q] & 0x0F) * 4;
    Quoted d{b[q + 9], {{be32(q + 12)}, 0}, {{be32(q + 16)}, 0}};
    if ((d.proto == 6 || d.proto == 17) && b.size() >= q + ihl + 4) {
        d.src.port = be16(q + ihl);
        d.dst.port = be16(q + ihl + 2);
    }
    return d;
}

}  // namespace

LadderModel ladder_model(const TraceView& v) {
    const sim::Trace& t = v.trace();
    LadderModel cache;
    // Lifelines in order of first use, then sorted by host (as declared) for good.
    std::map<std::string, int> id;
    std::vector<Lifeline> found;
    std::vector<int> host_first(t.hosts.size(), -1);  // a host's first lifeline
    auto lifeline = [&](const std::string& name, uint32_t host) {
        auto [it, added] = id.try_emplace(name, int(found.size()));
        if (added) found.push_back({name, host});
        if (host < host_first.size() && host_first[host] < 0) host_first[host] = it->second;
        return it->second;
    };
    auto flow_of = [&](uint8_t proto, Endpoint a, Endpoint b) {
        auto key = std::make_tuple(proto, std::min(a, b), std::max(a, b));
        return cache.flows.try_emplace(key, uint32_t(cache.flows.size())).first->second;
    };
    // IP packets first: their endpoints name the lifelines. A packet's arrows, main first.
    std::vector<std::vector<LadderArrow>> by_packet(t.packets.size());
    cache.packet_flow.assign(t.packets.size(), 0);
    for (uint32_t i = 0; i < t.packets.size(); ++i) {
        const sim::TracePacket& p = t.packets[i];
        const PacketInfo& info = v.packet(i);
        if (info.arp) continue;
        Endpoint src = info.src, dst = info.dst;
        uint8_t proto = info.proto;
        bool by_host = false;
        if (info.proto == 1) {  // an ICMP error goes from the port it names to the socket that sent
            // (An error about an echo request, which has no port: between the hosts, like the echo.)
            if (auto q = quoted(t.ip_bytes(p)); q && (q->proto == 6 || q->proto == 17)) {
                proto = q->proto;
                src = q->dst;
                dst = q->src;
            } else {
                by_host = true;
            }
        }
        int from = lifeline(end_name(v, p.from_host, src, by_host), p.from_host);
        int to = lifeline(end_name(v, p.to_host, dst, by_host), p.to_host);
        cache.packet_flow[i] = flow_of(proto, src, dst);
        by_packet[i].push_back({i, from, to, cache.packet_flow[i], p.end_step});
    }
    // Then the link layer's frames, between hosts (RFC 826: ARP knows hosts, not ports).
    auto host_lifeline = [&](uint32_t host) {
        if (host < host_first.size() && host_first[host] >= 0) return host_first[host];
        return lifeline(v.index().host_name(host), host);
    };
    for (uint32_t i = 0; i < t.packets.size(); ++i) {
        const sim::TracePacket& p = t.packets[i];
        const PacketInfo& info = v.packet(i);
        std::vector<Reception> reached = p.flooded || info.arp ? v.receptions(i) : std::vector<Reception>{};
        if (!info.arp && reached.size() <= 1) continue;
        // The host the frame is for: the one asked about (an ARP request), else its receiver.
        uint32_t main_host = v.addressee(i);
        std::vector<LadderArrow>& arrows = by_packet[i];
        int from = arrows.empty() ? host_lifeline(p.from_host) : arrows[0].from;
        if (info.arp) {
            cache.packet_flow[i] = flow_of(sim::kArpProtocol, info.src, info.dst);
            if (reached.empty()) {  // dropped, or nobody there: toward the host it was for
                int to = main_host != kNone ? host_lifeline(main_host) : lifeline(v.index().address_name(info.dst.address), kNone);
                arrows.push_back({i, from, to, cache.packet_flow[i], p.end_step});
            }
        }
        // Every host takes a broadcast at the same instant (one after the other in the trace's
        // steps): all its arrows end on the row of the first arrival.
        uint32_t first = kNone;
        for (const Reception& r : reached) first = std::min(first, r.step);
        for (const Reception& r : reached) {
            if (!info.arp && r.host == p.to_host) continue;  // the IP packet's own arrow
            arrows.push_back({i, from, host_lifeline(r.host), cache.packet_flow[i], first, false, r.taken});
        }
        if (info.arp) {  // the main arrow first: to the host the frame is for, else the first reached
            auto primary = std::find_if(arrows.begin(), arrows.end(), [&](const LadderArrow& a) { return found[size_t(a.to)].host == main_host; });
            if (primary == arrows.end()) primary = arrows.begin();
            if (primary != arrows.end()) {
                primary->main = true;
                std::rotate(arrows.begin(), primary, primary + 1);
            }
        }
    }
    std::vector<int64_t> flights;
    for (uint32_t i = 0; i < t.packets.size(); ++i) {
        cache.arrows.insert(cache.arrows.end(), by_packet[i].begin(), by_packet[i].end());
        flights.push_back((t.packets[i].arrives - t.packets[i].sent).ns);
    }
    std::vector<int> order(found.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return found[size_t(a)].host < found[size_t(b)].host; });
    std::vector<int> place(found.size());
    for (size_t i = 0; i < order.size(); ++i) {
        place[size_t(order[i])] = int(i);
        cache.lifelines.push_back(found[size_t(order[i])]);
    }
    for (LadderArrow& a : cache.arrows) {
        a.from = place[size_t(a.from)];
        a.to = place[size_t(a.to)];
    }
    if (!flights.empty()) {
        std::nth_element(flights.begin(), flights.begin() + long(flights.size() / 2), flights.end());
        cache.typical_flight = std::max<double>(1.0, double(flights[flights.size() / 2]));
    }
    return cache;
}

std::vector<float> ladder_rows(const sim::Trace& t, const LadderModel& m, const std::vector<bool>& shown,
                               const LadderScale& scale) {
    std::vector<bool> sends(t.events.size(), false);
    for (const LadderArrow& a : m.arrows) {
        if (shown[size_t(a.from)] && shown[size_t(a.to)]) sends[t.packets[a.packet].sent_step] = true;
    }
    std::vector<float> step_y(t.events.size());
    float y = scale.top;
    for (size_t s = 0; s < t.events.size(); ++s) {
        if (s > 0) {
            double dt = double((t.events[s].time - t.events[s - 1].time).ns);
            float gap = std::min(scale.gap_max, float(dt / m.typical_flight) * scale.flight());
            if (sends[s]) gap = std::max(gap, scale.gap_min);
            y += gap;
        }
        step_y[s] = y;
    }
    return step_y;
}

}  // namespace netstep::viz
