// The neighbour cache of one interface: IPv4 address -> MAC address, filled by ARP (RFC 826),
// as smoltcp's iface/neighbor.rs and Linux's net/core/neighbour.c keep it. Pure: every call
// takes `now`; what to transmit and what to report comes out in a NeighbourOutput; poll_at()
// is the next deadline (timers are data).
//
// Two behaviours (NeighbourParams, profile.hpp):
// - textbook: a plain cache. An entry is learned from a reply (or a request, RFC 826's merge
//   rule) and lives `lifetime`, used or not; while unresolved, a broadcast request every
//   `retrans_time`, `mcast_solicit` of them, then failure.
// - linux: the kernel's states (include/net/neighbour.h NUD_*), neigh_timer_handler() and
//   __neigh_event_send() in net/core/neighbour.c, arp_process() and arp_solicit() in
//   net/ipv4/arp.c:
//     INCOMPLETE  resolving: broadcast requests `retrans_time` apart; after mcast_solicit of
//                 them, FAILED (neigh_max_probes); packets wait in the unresolved queue
//     REACHABLE   confirmed (an ARP reply to us) less than reachable_time ago
//     STALE       not confirmed lately; usable, no timer, until a packet is sent through it
//     DELAY       a packet was sent while STALE: wait delay_first_probe_time for a confirmation
//     PROBE       unicast requests to the known MAC, `retrans_time` apart, ucast_solicit of
//                 them, then FAILED
//   A request from the neighbour (or a broadcast reply) only makes an entry STALE (arp_process:
//   "Broadcast replies and request packets do not assert neighbour reachability"), and leaves a
//   valid entry with the same MAC as it is (neigh_update).
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "address.hpp"
#include "link.hpp"
#include "packet.hpp"
#include "profile.hpp"
#include "time.hpp"

namespace netstep {

enum class NeighbourState : uint8_t { Incomplete, Reachable, Stale, Delay, Probe, Failed, Permanent };
std::string_view to_string(NeighbourState s);  // as `ip neigh` prints them: "REACHABLE", "STALE"...

// One row of the cache: `arp -a` (Windows: address, physical address, type), `ip neigh`.
struct NeighbourRow {
    Ipv4Address address;
    std::optional<MacAddress> mac;   // none while INCOMPLETE (and FAILED)
    NeighbourState state = NeighbourState::Incomplete;
    bool is_static = false;          // arp -s: "static" in arp -a, PERMANENT in ip neigh
    std::optional<Instant> deadline; // its next timer, if any
    size_t queued = 0;               // packets waiting for the address
    bool operator==(const NeighbourRow&) const = default;
};

struct NeighbourOutput {
    // An ARP request to send: broadcast, or unicast to the MAC we have (linux PROBE).
    struct Solicit {
        Ipv4Address target;
        std::optional<MacAddress> unicast_to;
        bool operator==(const Solicit&) const = default;
    };
    // A packet that can go now, to this MAC address.
    struct Ready {
        MacAddress mac;
        Ipv4Packet packet;
    };
    std::vector<Solicit> solicit;
    std::vector<Ready> ready;
    // Resolution failed: these queued packets are given up. The host reports each as Linux does
    // (neigh_invalidate -> arp_error_report -> ipv4_link_failure): ICMP host unreachable to its
    // source.
    std::vector<Ipv4Packet> failed;
    // Trace lines: "ARP 192.168.1.20: INCOMPLETE -> REACHABLE (ARP reply)", queue overflows.
    std::vector<std::string> notes;
    void clear() { solicit.clear(); ready.clear(); failed.clear(); notes.clear(); }
};

class NeighbourCache {
public:
    // `secret`: the host's seeded secret; with the interface index it draws reachable times.
    NeighbourCache(NeighbourParams params, uint64_t secret);

    // The IPv4 layer sends `packet` to the neighbour `next_hop`: Ready at once when its MAC is
    // known (linux: STALE -> DELAY), else queued (at most unres_qlen packets: the oldest is
    // dropped) and, for a new or FAILED entry, resolution starts with a broadcast request.
    void send(Ipv4Address next_hop, Ipv4Packet packet, Instant now, NeighbourOutput& out);

    // An ARP packet arrived (RFC 826 "Packet Reception"). `for_us`: its target address is ours
    // (the host answers requests itself); `unicast`: the frame was addressed to our MAC (not a
    // broadcast): a reply that confirms reachability.
    void on_arp(const ArpPacket& arp, bool for_us, bool unicast, Instant now, NeighbourOutput& out);

    // A confirmation from an upper layer (RFC 4861 §7.3.1's "hints from upper-layer
    // protocols"; Linux: an ACK of new data makes TCP call dst_confirm_neigh, and neigh->confirmed
    // is set at its next transmission): the neighbour is known to be alive at `now`. Changes no
    // state by itself: the REACHABLE and DELAY timers look at it (neigh_timer_handler).
    void confirm_reachability(Ipv4Address address, Instant now);

    // arp -s: a permanent entry (ARP never changes it); its queued packets go at once.
    void add_static(Ipv4Address address, MacAddress mac, Instant now, NeighbourOutput& out);

    std::optional<Instant> poll_at() const;
    // The first timer that sends or gives up something (INCOMPLETE, DELAY, PROBE). The others
    // only age an entry (REACHABLE -> STALE, a textbook entry's lifetime): nothing on the wire
    // depends on when they run as long as they run before the cache is used again.
    std::optional<Instant> active_poll_at() const;
    void poll(Instant now, NeighbourOutput& out);

    std::vector<NeighbourRow> rows() const;  // by address
    std::optional<NeighbourRow> row(Ipv4Address address) const;
    // linux: reachable_time in force at `now`: uniform in [base/2, 3*base/2) (neigh_rand_reach_time),
    // drawn again every 300 s as neigh_periodic_work does; here a pure function of (secret, the
    // 300-second period), so that no timer is needed for it. textbook: `lifetime`.
    Duration reachable_time(Instant now) const;
    const NeighbourParams& params() const { return params_; }

private:
    struct Entry {
        std::optional<MacAddress> mac;
        NeighbourState state = NeighbourState::Incomplete;
        Instant confirmed;                // last confirmation (a reply to us)
        Instant used;                     // last packet sent through it (neigh->used)
        std::optional<Instant> timer;
        uint32_t probes = 0;              // requests sent in this INCOMPLETE or PROBE phase
        std::deque<Ipv4Packet> queue;     // the unresolved queue (arp_queue)
    };

    void set_state(Ipv4Address a, Entry& e, NeighbourState to, std::string_view cause, NeighbourOutput& out);
    void start_resolution(Ipv4Address a, Entry& e, Instant now, NeighbourOutput& out);
    void solicit(Ipv4Address a, Entry& e, Instant now, NeighbourOutput& out);
    void confirm(Ipv4Address a, Entry& e, MacAddress mac, std::string_view cause, Instant now, NeighbourOutput& out);
    void release(Entry& e, Instant now, NeighbourOutput& out);
    void use(Ipv4Address a, Entry& e, Instant now, NeighbourOutput& out);
    void on_timer(Ipv4Address a, Entry& e, Instant now, NeighbourOutput& out);

    NeighbourParams params_;
    uint64_t secret_ = 0;
    std::map<Ipv4Address, Entry> entries_;
};

}  // namespace netstep
