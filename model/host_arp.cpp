// HostStack, the link layer (Profile::link_layer): every IPv4 packet leaves in an Ethernet II
// frame addressed to its next hop's MAC address, found with ARP (RFC 826) through the
// interface's neighbour cache (neighbor.hpp); frames arrive through receive_frame. Off by
// default: then nothing here runs and the stack hands out IPv4 packets (StackOutput::transmit).
#include <string>

#include "host.hpp"
#include "wire/wire.hpp"

namespace netstep {

// The IPv4 layer put its packets into out.transmit; with the link layer on they go through
// the neighbour cache of their interface instead (neigh_output -> neigh_resolve_output):
// framed at once when the next hop's MAC is known, else queued while ARP resolves it.
void HostStack::link_output(Instant now, StackOutput& out) {
    if (!profile_.link_layer || out.transmit.empty()) return;
    poll_neighbours(now, out);  // entries that aged since: before they are used
    std::vector<Transmission> pending = std::move(out.transmit);
    out.transmit.clear();
    for (Transmission& t : pending) {
        NeighbourOutput n;
        Ipv4Address next_hop = t.next_hop;
        const Ipv4Prefix& own = interfaces_[t.interface].address;
        if (next_hop == Ipv4Address::broadcast() || (own.length < 31 && next_hop == own.broadcast())) {
            // A broadcast needs no resolution (arp_mc_map / the device's broadcast address).
            out.frames.push_back({t.interface, EthernetFrame{MacAddress::broadcast(), macs_[t.interface], std::move(t.packet)}});
            continue;
        }
        caches_[t.interface].send(next_hop, std::move(t.packet), now, n);
        apply(t.interface, n, out);
    }
}

// What a cache decided, as frames and trace lines.
void HostStack::apply(size_t interface, NeighbourOutput& n, StackOutput& out) {
    const MacAddress own = macs_[interface];
    const Ipv4Address own_ip = interfaces_[interface].address.address;
    for (auto& text : n.notes) note(out, std::move(text));
    for (const auto& s : n.solicit) {
        // arp_solicit: broadcast while INCOMPLETE, unicast to the known MAC in PROBE; the
        // target MAC field is zero either way (arp_send_dst with dest_hw NULL in the ARP body).
        MacAddress dst = s.unicast_to ? *s.unicast_to : MacAddress::broadcast();
        out.frames.push_back({interface, EthernetFrame{dst, own, ArpPacket::request(own, own_ip, s.target)}});
    }
    for (auto& r : n.ready) out.frames.push_back({interface, EthernetFrame{r.mac, own, std::move(r.packet)}});
    for (const auto& p : n.failed) {
        // neigh_invalidate -> arp_error_report -> ipv4_link_failure: ICMP host unreachable to the
        // packet's source, be it ourselves (a connect() then fails with EHOSTUNREACH, a ping
        // reports "Destination Host Unreachable") or, for a router, the host that sent it
        // (RFC 1812 §4.3.3.1 and §5.2.7.1: code 1, host unreachable, "does not respond to ARP").
        note(out, "packet to " + p.dst.to_string() + " dropped: its next hop did not answer ARP, ICMP host unreachable sent");
        send_icmp_error(p, icmp_type::DEST_UNREACHABLE, icmp_code::HOST_UNREACHABLE, out);
    }
    n.clear();
    track_neighbour_timer(interface);
}

void HostStack::track_neighbour_timer(size_t interface) {
    auto track = [interface](std::optional<Instant> at, std::optional<Instant>& old, std::set<std::pair<Instant, size_t>>& timers) {
        if (at == old) return;
        if (old) timers.erase({*old, interface});
        if (at) timers.emplace(*at, interface);
        old = at;
    };
    track(caches_[interface].poll_at(), cache_timer_at_[interface], cache_timers_);
    track(caches_[interface].active_poll_at(), active_timer_at_[interface], active_cache_timers_);
}

void HostStack::poll_neighbours(Instant now, StackOutput& out) {
    std::vector<size_t> due;
    for (auto it = cache_timers_.begin(); it != cache_timers_.end() && it->first <= now; ++it) due.push_back(it->second);
    for (size_t interface : due) {
        NeighbourOutput n;
        caches_[interface].poll(now, n);
        apply(interface, n, out);
    }
}

// TCP saw forward progress from `remote` (Linux tcp_ack -> sk_dst_confirm): its next hop is
// alive. (REACHABLE entries then stay REACHABLE, a DELAY entry goes back to REACHABLE without
// a probe.)
void HostStack::confirm_neighbour(Ipv4Address remote, Instant now) {
    auto r = route(remote);
    if (!r || r->local || r->interface >= caches_.size()) return;
    caches_[r->interface].confirm_reachability(r->next_hop, now);
}

// --- Receiving frames -------------------------------------------------------------------------

void HostStack::receive_frame(size_t interface, const EthernetFrame& frame, Instant now, StackOutput& out) {
    if (!profile_.link_layer || interface >= interfaces_.size()) return;
    poll_neighbours(now, out);  // entries that aged since: before an ARP packet updates them
    // The card's address filter: our MAC or broadcast. (Multicast groups are not modelled.)
    if (frame.dst != macs_[interface] && !frame.dst.is_broadcast()) return;
    if (const ArpPacket* arp = frame.arp()) {
        receive_arp(interface, frame, *arp, now, out);
        finish(now, out);
        return;
    }
    receive(interface, *frame.ipv4(), now, out);
}

void HostStack::receive_frame_bytes(size_t interface, std::span<const uint8_t> bytes, Instant now, StackOutput& out) {
    if (!profile_.link_layer) return;
    auto parsed = wire::parse_frame(bytes);
    if (!parsed.frame) {
        out.events.push_back(StackEvent{0, std::nullopt, Rejected{parsed.error}});
        return;
    }
    receive_frame(interface, *parsed.frame, now, out);
}

// RFC 826 Packet Reception: merge the sender into the cache, then, if we are the target of a
// request, answer with a reply sent straight to the asker (arp_process: arp_send_dst(ARPOP_REPLY,
// ..., sip, dev, tip, sha, dev->dev_addr, sha)).
void HostStack::receive_arp(size_t interface, const EthernetFrame& frame, const ArpPacket& arp, Instant now,
                            StackOutput& out) {
    const Ipv4Address own_ip = interfaces_[interface].address.address;
    if (arp.sender_ip == own_ip) {
        note(out, "ARP from " + arp.sender_mac.to_string() + " claims our address " + own_ip.to_string() + ": ignored");
        return;
    }
    bool for_us = arp.target_ip == own_ip ||
                  (profile_.neighbour.answer_any_local_address && !arp.target_ip.is_loopback() &&
                   is_local_address(arp.target_ip));
    NeighbourOutput n;
    caches_[interface].on_arp(arp, for_us, frame.dst == macs_[interface], now, n);
    if (for_us && arp.op == ArpPacket::Op::Request && !arp.sender_ip.is_unspecified()) {
        ArpPacket reply = ArpPacket::reply(macs_[interface], arp.target_ip, arp.sender_mac, arp.sender_ip);
        out.frames.push_back({interface, EthernetFrame{arp.sender_mac, macs_[interface], reply}});
    }
    apply(interface, n, out);
}

// --- arp -a, arp -s ---------------------------------------------------------------------------

void HostStack::add_static_neighbour(size_t interface, Ipv4Address address, MacAddress mac, Instant now,
                                     StackOutput& out) {
    if (!profile_.link_layer || interface >= caches_.size()) return;
    NeighbourOutput n;
    caches_[interface].add_static(address, mac, now, n);
    apply(interface, n, out);
}

std::vector<ArpRow> HostStack::arp_table() const {
    std::vector<ArpRow> rows;
    for (size_t i = 0; i < caches_.size(); ++i)
        for (auto& r : caches_[i].rows()) rows.push_back(ArpRow{i, std::move(r)});
    return rows;
}

std::optional<NeighbourRow> HostStack::neighbour(size_t interface, Ipv4Address address) const {
    if (interface >= caches_.size()) return std::nullopt;
    return caches_[interface].row(address);
}

std::optional<Duration> HostStack::neighbour_reachable_time(size_t interface, Instant now) const {
    if (interface >= caches_.size()) return std::nullopt;
    return caches_[interface].reachable_time(now);
}

}  // namespace netstep
