// HostStack: port allocation (bind, ephemeral ports) and initial sequence numbers.
//
// The bind rule, as Linux applies it (inet_csk_bind_conflict, udp_lib_lport_inuse): a local
// endpoint conflicts with an existing socket of the same protocol on the same port when the
// addresses overlap (equal, or either is 0.0.0.0) — unless BOTH sockets have SO_REUSEADDR and the
// existing one is not listening. Connections accepted from a listener inherit its SO_REUSEADDR,
// so a server that sets it can be restarted while its old connections sit in TIME-WAIT; without
// it on both sides, bind fails with EADDRINUSE. Two listeners on one port are refused at listen().
#include <set>

#include "host.hpp"
#include "rng.hpp"

namespace netstep {

namespace {

Endpoint local_endpoint_of(const auto& s) { return s.conn ? s.conn->tuple().local : s.local; }

bool overlap(Ipv4Address a, Ipv4Address b) { return a.is_unspecified() || b.is_unspecified() || a == b; }

}  // namespace

bool HostStack::conflicts(const Socket& s, Endpoint local) const {
    for (const auto& [id, other] : sockets_) {
        if (id == s.id || other.type != s.type || !other.bound) continue;
        Endpoint theirs = local_endpoint_of(other);
        if (theirs.port != local.port || !overlap(theirs.address, local.address)) continue;
        bool reusable = s.reuseaddr && other.reuseaddr && !other.listening;
        if (!reusable) return true;
    }
    return false;
}

// Ephemeral ports (RFC 6056 §3.3.2, "simple port randomization" seeded once, then sequential):
// from the profile's range, starting at a seeded offset, skipping ports in use. An ephemeral
// port is never shared between two sockets of a protocol.
std::optional<uint16_t> HostStack::ephemeral_port(SocketType type) {
    std::set<uint16_t> used;
    for (const auto& [id, s] : sockets_)
        if (s.type == type && s.bound) used.insert(local_endpoint_of(s).port);

    uint32_t first = profile_.ephemeral_first;
    uint32_t last = profile_.ephemeral_last < first ? first : profile_.ephemeral_last;
    uint32_t count = last - first + 1;
    uint32_t start = next_ephemeral_ < first || next_ephemeral_ > last ? first : next_ephemeral_;
    for (uint32_t i = 0; i < count; ++i) {
        uint32_t port = first + (start - first + i) % count;
        if (port == 0 || used.count(static_cast<uint16_t>(port))) continue;
        next_ephemeral_ = static_cast<uint16_t>(port == last ? first : port + 1);
        return static_cast<uint16_t>(port);
    }
    return std::nullopt;
}

CallResult<> HostStack::bind_to(Socket& s, Endpoint local) {
    if (s.bound) return CallResult<>::error(Err::Inval);  // already bound (explicitly or not)
    if (!local.address.is_unspecified() && !is_local_address(local.address))
        return CallResult<>::error(Err::AddrNotAvail);
    if (local.port == 0) {
        auto port = ephemeral_port(s.type);
        if (!port) return CallResult<>::error(Err::AddrNotAvail);  // the range is exhausted
        local.port = *port;
    } else if (conflicts(s, local)) {
        return CallResult<>::error(Err::AddrInUse);
    }
    s.local = local;
    s.bound = true;
    return CallResult<>::ok();
}

// The implicit bind of connect(), sendto() and listen() on an unbound socket.
CallResult<> HostStack::autobind(Socket& s) {
    if (s.bound) return CallResult<>::ok();
    return bind_to(s, Endpoint{Ipv4Address::any(), 0});
}

// RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), M a 4-microsecond
// timer (here simulated time, so runs stay deterministic), F a keyed hash. The textbook option
// isn_zero gives 0, readable in a classroom.
SeqNum HostStack::initial_sequence(const FourTuple& t, Instant now) const {
    if (profile_.isn_zero) return SeqNum{0};
    uint64_t local = (uint64_t(t.local.address.value) << 16) | t.local.port;
    uint64_t remote = (uint64_t(t.remote.address.value) << 16) | t.remote.port;
    uint64_t f = splitmix64_mix(secret_ ^ splitmix64_mix(local) ^ splitmix64_mix(remote + 1));
    uint64_t m = static_cast<uint64_t>(now.ns / 4000);
    return SeqNum{static_cast<uint32_t>(f + m)};
}

size_t HostStack::open_socket_count() const {
    size_t n = 0;
    for (const auto& [id, s] : sockets_)
        if (!s.user_closed && s.listener == 0) ++n;
    return n;
}

}  // namespace netstep
