// HostStack, IP layer: construction, the routing decision, receiving and forwarding packets
// (RFC 791, RFC 1812), local delivery, housekeeping, and introspection.
// Socket calls: host_sockets.cpp; TCP: host_tcp.cpp; UDP: host_udp.cpp; ICMP: host_icmp.cpp;
// ports and sequence numbers: host_ports.cpp.
#include "host.hpp"

#include <algorithm>
#include <utility>

#include "rng.hpp"
#include "wire/wire.hpp"

namespace netstep {

namespace {

// Packets a host may deliver to itself in one call before we call it a loop (a guard, not a rule).
constexpr size_t kMaxLocalDeliveries = 10000;

constexpr Ipv4Address kLoopback = Ipv4Address::from_octets(127, 0, 0, 1);

// Above this many interfaces, the routing decision uses HostStack::index_ (hash lookups) rather
// than scanning every interface: a star router with 10,000 links would otherwise scan them all
// for every packet it receives and forwards (quadratic in N).
constexpr size_t kIndexedInterfaces = 8;

}  // namespace

std::string_view to_string(SocketType t) { return t == SocketType::Tcp ? "TCP" : "UDP"; }

HostStack::HostStack(std::string name, std::vector<InterfaceConfig> interfaces, Profile profile,
                     uint64_t seed, bool forwarding)
    : name_(std::move(name)),
      interfaces_(std::move(interfaces)),
      profile_(profile),
      forwarding_(forwarding) {
    // One secret per (seed, host): the same scenario and seed give the same ports and ISNs.
    SplitMix64 rng(seed ^ fnv1a64(name_));
    secret_ = rng.next();
    uint32_t first = profile_.ephemeral_first;
    uint32_t last = profile_.ephemeral_last < first ? first : profile_.ephemeral_last;
    next_ephemeral_ = static_cast<uint16_t>(first + rng.next() % (last - first + 1));

    // The link layer: MAC addresses always (ipconfig /all shows them; set_mac replaces one),
    // neighbour caches when it is on.
    macs_.reserve(interfaces_.size());
    for (size_t i = 0; i < interfaces_.size(); ++i)
        macs_.push_back(interfaces_[i].mac.value_or(derive_mac(seed, name_, i)));
    if (profile_.link_layer) {
        caches_.reserve(interfaces_.size());
        for (size_t i = 0; i < interfaces_.size(); ++i)
            caches_.emplace_back(profile_.neighbour, splitmix64_mix(secret_ ^ (uint64_t(i) + 1) * 0x9E3779B97F4A7C15ull));
        cache_timer_at_.resize(interfaces_.size());
        active_timer_at_.resize(interfaces_.size());
    }

    if (interfaces_.size() > kIndexedInterfaces) {
        InterfaceIndex& ix = index_.emplace();
        for (size_t i = 0; i < interfaces_.size(); ++i) {
            const Ipv4Prefix& a = interfaces_[i].address;
            ix.address.try_emplace(a.address.value, i);  // the first interface wins, as in the scans
            if (a.length < 31) ix.broadcast.insert(a.broadcast().value);
            if (std::find(ix.lengths.begin(), ix.lengths.end(), a.length) == ix.lengths.end())
                ix.lengths.push_back(a.length);
            ix.network.try_emplace(uint64_t(a.length) << 32 | a.network().value, i);
            if (interfaces_[i].gateway && !ix.first_gateway) ix.first_gateway = i;
        }
    }
}

// --- Routing --------------------------------------------------------------------------------

bool HostStack::is_local_address(Ipv4Address a) const {
    if (a.is_loopback()) return true;
    if (index_) return index_->address.contains(a.value);
    for (const auto& i : interfaces_)
        if (i.address.address == a) return true;
    return false;
}

// Addresses we take packets for: ours, the limited broadcast, our networks' broadcasts.
bool HostStack::accepts_destination(Ipv4Address dst) const {
    if (is_local_address(dst) || dst == Ipv4Address::broadcast()) return true;
    if (index_) return index_->broadcast.contains(dst.value);
    for (const auto& i : interfaces_)
        if (i.address.length < 31 && i.address.broadcast() == dst) return true;
    return false;
}

// The routing decision (RFC 1122 §3.3.1.1): ours → local; inside an interface's prefix →
// on-link, the next hop is the destination; else the first interface with a default gateway.
std::optional<Route> HostStack::route(Ipv4Address dst) const {
    if (is_local_address(dst)) return Route{0, dst, true};
    if (index_) {
        // The first interface whose prefix contains dst: the smallest index over the prefix
        // lengths present (at most 33 lookups).
        std::optional<size_t> first;
        for (uint8_t length : index_->lengths) {
            Ipv4Prefix p{dst, length};
            auto it = index_->network.find(uint64_t(length) << 32 | p.network().value);
            if (it != index_->network.end() && (!first || it->second < *first)) first = it->second;
        }
        if (first) return Route{*first, dst, false};
        if (index_->first_gateway) return Route{*index_->first_gateway, *interfaces_[*index_->first_gateway].gateway, false};
        return std::nullopt;
    }
    for (size_t i = 0; i < interfaces_.size(); ++i)
        if (interfaces_[i].address.contains(dst)) return Route{i, dst, false};
    for (size_t i = 0; i < interfaces_.size(); ++i)
        if (interfaces_[i].gateway) return Route{i, *interfaces_[i].gateway, false};
    return std::nullopt;
}

// Source address selection: the address of the interface the packet leaves by; to ourselves,
// the destination itself (127.0.0.1 for the loopback network), as Linux does.
Ipv4Address HostStack::source_for(const Route& r, Ipv4Address dst) const {
    if (r.local) return dst.is_loopback() ? kLoopback : dst;
    return interfaces_[r.interface].address.address;
}

// --- Sending --------------------------------------------------------------------------------

Ipv4Packet HostStack::make_packet(Ipv4Address src, Ipv4Address dst) {
    Ipv4Packet p;
    p.src = src;
    p.dst = dst;
    p.ttl = profile_.ttl;
    p.id = next_ip_id_++;
    p.dont_fragment = true;  // path MTU discovery (RFC 1191), as Linux does
    return p;
}

void HostStack::send_packet(Ipv4Packet packet, StackOutput& out) {
    auto r = route(packet.dst);
    if (!r) {
        note(out, "packet to " + packet.dst.to_string() + " dropped: no route");
        return;
    }
    if (r->local) {
        local_delivery_.push_back(std::move(packet));
        return;
    }
    out.transmit.push_back(Transmission{r->interface, r->next_hop, std::move(packet)});
}

// --- Receiving ------------------------------------------------------------------------------

void HostStack::receive(size_t interface, const Ipv4Packet& packet, Instant now, StackOutput& out) {
    receive_packet(interface, packet, now, out);
    finish(now, out);
}

void HostStack::receive_bytes(size_t interface, std::span<const uint8_t> bytes, Instant now,
                              StackOutput& out) {
    auto parsed = wire::parse(bytes);
    if (!parsed.packet) {
        out.events.push_back(StackEvent{0, std::nullopt, Rejected{parsed.error}});
        return;
    }
    receive(interface, *parsed.packet, now, out);
}

void HostStack::receive_packet(size_t interface, const Ipv4Packet& packet, Instant now,
                               StackOutput& out) {
    (void)interface;  // the weak host model (RFC 1122 §3.3.4.2): any interface, any of our addresses
    if (!accepts_destination(packet.dst)) {
        if (forwarding_) {
            forward(packet, now, out);
        } else {
            out.events.push_back(StackEvent{0, std::nullopt, Rejected{"not for this host"}});
        }
        return;
    }
    if (const auto* tcp = packet.tcp()) {
        receive_tcp(packet, *tcp, now, out);
    } else if (const auto* udp = packet.udp()) {
        receive_udp(packet, *udp, out);
    } else if (const auto* icmp = packet.icmp()) {
        receive_icmp(packet, *icmp, out);
    }
}

// A router forwards what is not for itself (RFC 1812 §5.2, §5.3.1): TTL decremented; when it
// reaches 0 the packet is dropped and ICMP time exceeded goes back to the source; with no route,
// ICMP destination unreachable (net unreachable).
void HostStack::forward(const Ipv4Packet& packet, Instant, StackOutput& out) {
    if (packet.ttl <= 1) {
        note(out, "TTL expired in transit: " + packet.src.to_string() + " > " + packet.dst.to_string() +
                      " dropped, ICMP time exceeded sent");
        send_icmp_error(packet, icmp_type::TIME_EXCEEDED, icmp_code::TTL_EXCEEDED, out);
        return;
    }
    auto r = route(packet.dst);
    if (!r || r->local) {
        note(out, "no route to " + packet.dst.to_string() + ": dropped, ICMP net unreachable sent");
        send_icmp_error(packet, icmp_type::DEST_UNREACHABLE, icmp_code::NET_UNREACHABLE, out);
        return;
    }
    Ipv4Packet next = packet;
    next.ttl = static_cast<uint8_t>(packet.ttl - 1);
    out.transmit.push_back(Transmission{r->interface, r->next_hop, std::move(next)});
}

// --- Housekeeping ---------------------------------------------------------------------------

// Packets to ourselves are delivered at once (zero delay), then the socket tables are tidied.
void HostStack::finish(Instant now, StackOutput& out) {
    deliver_local(now, out);
    settle(out);
    link_output(now, out);
}

void HostStack::deliver_local(Instant now, StackOutput& out) {
    for (size_t n = 0; !local_delivery_.empty(); ++n) {
        Ipv4Packet p = std::move(local_delivery_.front());
        local_delivery_.pop_front();
        if (n >= kMaxLocalDeliveries) {
            note(out, "local delivery loop: packet dropped");
            continue;
        }
        receive_packet(0, p, now, out);
    }
}

// Moves children that reached ESTABLISHED (or later) into their listener's accept queue, and
// reaps sockets whose connection is over: closed by the program, or never accepted.
// Only the sockets that changed since the last call (unsettled_), in id order, as a pass over
// the whole table would; a socket reaped here was not synchronized, so never queued here.
// They are the sockets whose connection did something: `out.changed` lists them.
void HostStack::settle(StackOutput& out) {
    std::sort(unsettled_.begin(), unsettled_.end());
    unsettled_.erase(std::unique(unsettled_.begin(), unsettled_.end()), unsettled_.end());
    out.changed.insert(out.changed.end(), unsettled_.begin(), unsettled_.end());
    for (SocketId id : unsettled_) {
        auto it = sockets_.find(id);
        if (it == sockets_.end()) continue;
        Socket& s = it->second;
        track_timer(s);
        if (s.listener != 0 && !s.queued && s.conn && is_synchronized(s.conn->state())) {
            if (auto* l = find(s.listener)) {
                l->accept_queue.push_back(s.id);
                s.queued = true;
            }
        }
        bool over = !s.conn || s.conn->state() == TcpState::Closed;
        bool reap = over && (s.user_closed || s.listener != 0);
        if (!reap) continue;
        if (auto* l = find(s.listener)) std::erase(l->accept_queue, s.id);
        reaped_[s.id] = Reaped{s.type, s.conn ? s.conn->error() : s.pending_error};
        if (s.timer_at) timers_.erase({*s.timer_at, s.id});
        sockets_.erase(it);
    }
    unsettled_.clear();
}

void HostStack::note(StackOutput& out, std::string text, SocketId s) const {
    out.events.push_back(StackEvent{s, std::nullopt, Note{std::move(text)}});
}

HostStack::Socket* HostStack::find(SocketId s) {
    auto it = sockets_.find(s);
    return it == sockets_.end() ? nullptr : &it->second;
}

const HostStack::Socket* HostStack::find(SocketId s) const {
    auto it = sockets_.find(s);
    return it == sockets_.end() ? nullptr : &it->second;
}

HostStack::Socket* HostStack::find_open(SocketId s) {
    Socket* p = find(s);
    return p && !p->user_closed && p->listener == 0 ? p : nullptr;
}

// --- Timers ---------------------------------------------------------------------------------

void HostStack::track_timer(Socket& s) {
    std::optional<Instant> at = s.conn ? s.conn->poll_at() : std::nullopt;
    if (at == s.timer_at) return;
    if (s.timer_at) timers_.erase({*s.timer_at, s.id});
    if (at) timers_.emplace(*at, s.id);
    s.timer_at = at;
}

std::optional<Instant> HostStack::poll_at() const {
    std::optional<Instant> at;
    if (!active_cache_timers_.empty()) at = active_cache_timers_.begin()->first;
    if (unsettled_.empty()) {  // timers_ is up to date (every public call ends settled)
        if (!timers_.empty() && (!at || timers_.begin()->first < *at)) at = timers_.begin()->first;
        return at;
    }
    for (const auto& [id, s] : sockets_) {
        if (!s.conn) continue;
        auto t = s.conn->poll_at();
        if (t && (!at || *t < *at)) at = t;
    }
    return at;
}

// The connections whose timer is due, in socket order (as a pass over the table would).
void HostStack::poll(Instant now, StackOutput& out) {
    // First the neighbour caches, and the ICMP errors a failed resolution sends ourselves: a
    // connect() that fails now must not retransmit its SYN at the same instant.
    poll_neighbours(now, out);
    deliver_local(now, out);
    for (SocketId id : unsettled_) {  // timers_ up to date (settle() will queue and reap them)
        if (Socket* s = find(id)) track_timer(*s);
    }
    std::vector<SocketId> due;
    for (auto it = timers_.begin(); it != timers_.end() && it->first <= now; ++it) due.push_back(it->second);
    std::sort(due.begin(), due.end());
    for (SocketId id : due) {
        Socket& s = *find(id);
        TcpOutput tcp;
        s.conn->poll(now, tcp);
        emit_tcp(id, s.conn->tuple(), tcp, out);
    }
    finish(now, out);
}

// --- Introspection --------------------------------------------------------------------------

std::optional<SocketInfo> HostStack::socket_info(SocketId id) const {
    const Socket* s = find(id);
    if (!s) return std::nullopt;
    SocketInfo info;
    info.id = id;
    info.type = s->type;
    info.local = s->local;
    info.remote = s->peer;
    info.user_closed = s->user_closed;
    info.recv_queued = s->received.size();
    if (s->type == SocketType::Tcp) info.state = s->listening ? TcpState::Listen : TcpState::Closed;
    if (s->conn) {
        info.local = s->conn->tuple().local;
        info.remote = s->conn->tuple().remote;
        info.state = s->conn->state();
        info.vars = s->conn->vars();
        info.recv_queued = s->conn->readable();
    }
    return info;
}

bool HostStack::descriptor_open(SocketId id) const {
    const Socket* s = find(id);
    return s && !s->user_closed && s->listener == 0;
}

std::vector<SocketInfo> HostStack::sockets() const {
    std::vector<SocketInfo> rows;
    for (const auto& [id, s] : sockets_)
        if (auto info = socket_info(id)) rows.push_back(std::move(*info));
    return rows;
}

void HostStack::append_socket_ids(std::vector<SocketId>& out) const {
    for (const auto& entry : sockets_) out.push_back(entry.first);
}

std::optional<TcpState> HostStack::state_of(SocketId id) const {
    if (auto it = reaped_.find(id); it != reaped_.end()) {
        if (it->second.type == SocketType::Tcp) return TcpState::Closed;
        return std::nullopt;
    }
    auto info = socket_info(id);
    return info ? info->state : std::nullopt;
}

std::optional<Err> HostStack::socket_error(SocketId id) const {
    if (auto it = reaped_.find(id); it != reaped_.end()) return it->second.error;
    const Socket* s = find(id);
    if (!s) return std::nullopt;
    if (s->conn) return s->conn->error();
    return s->pending_error;
}

}  // namespace netstep
