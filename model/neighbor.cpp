// The neighbour cache (neighbor.hpp): RFC 826 for the textbook, the Linux neighbour state
// machine (net/core/neighbour.c, net/ipv4/arp.c) for the linux profile.
#include "neighbor.hpp"

#include "rng.hpp"

namespace netstep {

namespace {

// Linux draws reachable_time again every 300 s (neigh_periodic_work: tbl->last_rand + 300 * HZ).
constexpr Duration kReachableRedraw = Duration::seconds(300);

}  // namespace

std::string_view to_string(NeighbourState s) {
    switch (s) {
        case NeighbourState::Incomplete: return "INCOMPLETE";
        case NeighbourState::Reachable: return "REACHABLE";
        case NeighbourState::Stale: return "STALE";
        case NeighbourState::Delay: return "DELAY";
        case NeighbourState::Probe: return "PROBE";
        case NeighbourState::Failed: return "FAILED";
        case NeighbourState::Permanent: return "PERMANENT";
    }
    return "?";
}

NeighbourCache::NeighbourCache(NeighbourParams params, uint64_t secret) : params_(params), secret_(secret) {}

Duration NeighbourCache::reachable_time(Instant now) const {
    if (!params_.linux_states) return params_.lifetime;
    int64_t base = params_.base_reachable_time.ns;
    if (base <= 0) return Duration{0};
    uint64_t period = uint64_t(now.ns / kReachableRedraw.ns);
    uint64_t r = splitmix64_mix(secret_ ^ (period + 1) * 0x9E3779B97F4A7C15ull);
    return Duration{int64_t(r % uint64_t(base)) + base / 2};  // neigh_rand_reach_time
}

// --- The one place where an entry's state changes -------------------------------------------

void NeighbourCache::set_state(Ipv4Address a, Entry& e, NeighbourState to, std::string_view cause,
                               NeighbourOutput& out) {
    if (e.state != to) {
        out.notes.push_back("ARP " + a.to_string() + ": " + std::string(to_string(e.state)) + " -> " +
                            std::string(to_string(to)) + " (" + std::string(cause) + ")");
    }
    e.state = to;
}

// --- Sending through the cache ----------------------------------------------------------------

void NeighbourCache::send(Ipv4Address a, Ipv4Packet packet, Instant now, NeighbourOutput& out) {
    auto [it, created] = entries_.try_emplace(a);
    Entry& e = it->second;
    if (created || e.state == NeighbourState::Failed) {
        // __neigh_event_send: NONE or FAILED -> INCOMPLETE, the first request at once.
        e.queue.clear();
        e.queue.push_back(std::move(packet));
        if (created) out.notes.push_back("ARP " + a.to_string() + ": new entry, INCOMPLETE (packet to send)");
        start_resolution(a, e, now, out);
        return;
    }
    if (e.state == NeighbourState::Incomplete) {
        if (e.queue.size() >= params_.unres_qlen && !e.queue.empty()) {
            out.notes.push_back("ARP " + a.to_string() + ": unresolved queue full (" +
                                std::to_string(params_.unres_qlen) + " packets), oldest dropped: " +
                                e.queue.front().to_string());
            e.queue.pop_front();
        }
        e.queue.push_back(std::move(packet));
        return;
    }
    use(a, e, now, out);
    out.ready.push_back({*e.mac, std::move(packet)});
}

// A packet goes through a resolved entry (neigh_event_send): linux STALE -> DELAY.
void NeighbourCache::use(Ipv4Address a, Entry& e, Instant now, NeighbourOutput& out) {
    e.used = now;
    if (params_.linux_states && e.state == NeighbourState::Stale) {
        set_state(a, e, NeighbourState::Delay, "packet sent", out);
        e.timer = now + params_.delay_first_probe_time;
    }
}

void NeighbourCache::start_resolution(Ipv4Address a, Entry& e, Instant now, NeighbourOutput& out) {
    set_state(a, e, NeighbourState::Incomplete, "packet to send", out);
    e.mac.reset();
    e.probes = 0;
    solicit(a, e, now, out);
}

// One request (neigh_probe -> arp_solicit): broadcast while INCOMPLETE, unicast to the MAC we
// have in PROBE; the next timer one retrans_time later.
void NeighbourCache::solicit(Ipv4Address a, Entry& e, Instant now, NeighbourOutput& out) {
    std::optional<MacAddress> to;
    if (e.state == NeighbourState::Probe) to = e.mac;
    out.solicit.push_back({a, to});
    ++e.probes;
    e.timer = now + params_.retrans_time;
}

// The queued packets go, to the MAC just learned (neigh_update: "Again: avoid dead loop if
// something went wrong" loop over arp_queue); each is a use of the entry.
void NeighbourCache::release(Entry& e, Instant now, NeighbourOutput& out) {
    std::deque<Ipv4Packet> queue = std::move(e.queue);
    e.queue.clear();
    for (auto& p : queue) out.ready.push_back({*e.mac, std::move(p)});
    if (!queue.empty()) e.used = now;
}

// A confirmation: a reply to us (linux neigh_update(NUD_REACHABLE)), or any merge (textbook).
void NeighbourCache::confirm(Ipv4Address a, Entry& e, MacAddress mac, std::string_view cause, Instant now,
                             NeighbourOutput& out) {
    bool changed = e.mac && *e.mac != mac;
    e.mac = mac;
    e.confirmed = now;
    e.probes = 0;
    if (e.state != NeighbourState::Reachable || changed) set_state(a, e, NeighbourState::Reachable, cause, out);
    e.timer = now + reachable_time(now);
    release(e, now, out);
}

// --- ARP reception (RFC 826 "Packet Reception"; Linux arp_process) ----------------------------

void NeighbourCache::on_arp(const ArpPacket& arp, bool for_us, bool unicast, Instant now, NeighbourOutput& out) {
    Ipv4Address a = arp.sender_ip;
    if (a.is_unspecified() || arp.sender_mac.is_multicast()) return;  // a probe (RFC 5227) or nonsense
    auto it = entries_.find(a);
    // RFC 826: "If the pair <protocol type, sender protocol address> is already in my translation
    // table, update the sender hardware address field [...] Am I the target protocol address?
    // [...] If Merge_flag is false, add the triplet". Linux creates an entry only from a request
    // for us (neigh_event_ns); a reply updates an existing one (unsolicited ones are ignored,
    // arp_accept = 0): a reply we did not ask for is merged by the textbook too only when
    // it is for us.
    if (it == entries_.end()) {
        if (!for_us) return;
        it = entries_.try_emplace(a).first;
        it->second.state = params_.linux_states ? NeighbourState::Stale : NeighbourState::Reachable;
        out.notes.push_back("ARP " + a.to_string() + ": new entry, " + std::string(to_string(it->second.state)) +
                            " (ARP " + (arp.op == ArpPacket::Op::Request ? "request" : "reply") + " from it)");
        it->second.mac = arp.sender_mac;
        it->second.confirmed = now;
        it->second.timer = params_.linux_states ? std::nullopt : std::optional<Instant>(now + params_.lifetime);
        return;
    }
    Entry& e = it->second;
    if (e.state == NeighbourState::Permanent) return;  // neigh_update refuses without NEIGH_UPDATE_F_ADMIN
    std::string_view cause = arp.op == ArpPacket::Op::Reply ? "ARP reply" : "ARP request from it";

    if (!params_.linux_states) {  // RFC 826 merge: the entry takes the sender's MAC, a new lifetime
        confirm(a, e, arp.sender_mac, cause, now, out);
        return;
    }
    // arp_process: "Broadcast replies and request packets do not assert neighbour reachability."
    if (arp.op == ArpPacket::Op::Reply && unicast) {
        confirm(a, e, arp.sender_mac, cause, now, out);
        return;
    }
    // neigh_update(NUD_STALE): a valid entry with the same MAC stays as it is; a new MAC, or an
    // entry still unresolved, becomes STALE with it (and its queue goes: a use, so DELAY).
    bool valid = e.mac && e.state != NeighbourState::Incomplete && e.state != NeighbourState::Failed;
    if (valid && *e.mac == arp.sender_mac) return;
    e.mac = arp.sender_mac;
    e.probes = 0;
    set_state(a, e, NeighbourState::Stale, cause, out);
    e.timer.reset();
    if (!e.queue.empty()) {
        use(a, e, now, out);
        release(e, now, out);
    }
}

void NeighbourCache::confirm_reachability(Ipv4Address a, Instant now) {
    auto it = entries_.find(a);
    if (it == entries_.end() || !it->second.mac) return;
    it->second.confirmed = now;
}

void NeighbourCache::add_static(Ipv4Address a, MacAddress mac, Instant now, NeighbourOutput& out) {
    Entry& e = entries_[a];
    e.mac = mac;
    e.timer.reset();
    e.probes = 0;
    set_state(a, e, NeighbourState::Permanent, "static entry", out);
    release(e, now, out);
}

// --- Timers (neigh_timer_handler) -------------------------------------------------------------

std::optional<Instant> NeighbourCache::poll_at() const {
    std::optional<Instant> first;
    for (const auto& [a, e] : entries_)
        if (e.timer && (!first || *e.timer < *first)) first = e.timer;
    return first;
}

std::optional<Instant> NeighbourCache::active_poll_at() const {
    std::optional<Instant> first;
    for (const auto& [a, e] : entries_) {
        bool active = e.state == NeighbourState::Incomplete || e.state == NeighbourState::Delay ||
                      e.state == NeighbourState::Probe;
        if (active && e.timer && (!first || *e.timer < *first)) first = e.timer;
    }
    return first;
}

void NeighbourCache::poll(Instant now, NeighbourOutput& out) {
    for (auto it = entries_.begin(); it != entries_.end();) {
        Entry& e = it->second;
        if (e.timer && *e.timer <= now) {
            e.timer.reset();
            on_timer(it->first, e, now, out);
        }
        // textbook: an expired entry is deleted.
        if (!params_.linux_states && e.state == NeighbourState::Reachable && !e.timer) {
            out.notes.push_back("ARP " + it->first.to_string() + ": entry expired, deleted");
            it = entries_.erase(it);
            continue;
        }
        ++it;
    }
}

void NeighbourCache::on_timer(Ipv4Address a, Entry& e, Instant now, NeighbourOutput& out) {
    switch (e.state) {
    case NeighbourState::Reachable:
        if (!params_.linux_states) return;  // textbook: the lifetime is over (poll() deletes it)
        if (now < e.confirmed + reachable_time(now)) {
            e.timer = e.confirmed + reachable_time(now);
        } else if (now <= e.used + params_.delay_first_probe_time) {
            // Used lately: "neigh %p is delayed".
            set_state(a, e, NeighbourState::Delay, "reachable time over, used lately", out);
            e.timer = now + params_.delay_first_probe_time;
        } else {
            set_state(a, e, NeighbourState::Stale, "reachable time over", out);  // "is suspected"
        }
        return;
    case NeighbourState::Delay:
        if (now <= e.confirmed + params_.delay_first_probe_time) {
            set_state(a, e, NeighbourState::Reachable, "confirmed while delayed", out);
            e.timer = e.confirmed + reachable_time(now);
            return;
        }
        set_state(a, e, NeighbourState::Probe, "no confirmation in delay_first_probe_time", out);
        e.probes = 0;
        [[fallthrough]];
    case NeighbourState::Probe:
    case NeighbourState::Incomplete: {
        uint32_t max = e.state == NeighbourState::Probe ? params_.ucast_solicit : params_.mcast_solicit;
        if (e.probes >= max) {  // neigh_max_probes reached: NUD_FAILED, neigh_invalidate
            set_state(a, e, NeighbourState::Failed, std::to_string(e.probes) + " requests unanswered", out);
            e.mac.reset();
            e.probes = 0;
            for (auto& p : e.queue) out.failed.push_back(std::move(p));
            e.queue.clear();
            return;
        }
        solicit(a, e, now, out);
        return;
    }
    case NeighbourState::Stale:
    case NeighbourState::Failed:
    case NeighbourState::Permanent:
        return;
    }
}

// --- Introspection ----------------------------------------------------------------------------

std::optional<NeighbourRow> NeighbourCache::row(Ipv4Address a) const {
    auto it = entries_.find(a);
    if (it == entries_.end()) return std::nullopt;
    const Entry& e = it->second;
    return NeighbourRow{a, e.mac, e.state, e.state == NeighbourState::Permanent, e.timer, e.queue.size()};
}

std::vector<NeighbourRow> NeighbourCache::rows() const {
    std::vector<NeighbourRow> out;
    for (const auto& entry : entries_) out.push_back(*row(entry.first));
    return out;
}

}  // namespace netstep
