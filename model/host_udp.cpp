// HostStack, UDP side (RFC 768): datagrams keep their boundaries; each socket has a bounded
// receive queue; a datagram nobody wants gets ICMP port unreachable (RFC 1122 §4.1.3.1).
#include <string>

#include "host.hpp"

namespace netstep {

namespace {

constexpr size_t kMaxUdpPayload = 65507;     // 65535 - 20 (IPv4 header) - 8 (UDP header)
constexpr size_t kMaxQueuedDatagrams = 64;
constexpr size_t kMaxQueuedBytes = 212992;   // Linux net.core.rmem_default

}  // namespace

CallResult<size_t> HostStack::udp_send(Socket& s, std::span<const uint8_t> data, Endpoint to,
                                       StackOutput& out) {
    if (data.size() > kMaxUdpPayload) return CallResult<size_t>::error(Err::MsgSize);
    if (to.port == 0) return CallResult<size_t>::error(Err::Inval);
    auto r = route(to.address);
    if (!r) return CallResult<size_t>::error(Err::NetUnreach);
    if (auto b = autobind(s); !b.is_ok()) return CallResult<size_t>::error(b.err);
    Ipv4Address src = s.local.address.is_unspecified() ? source_for(*r, to.address) : s.local.address;
    Ipv4Packet p = make_packet(src, to.address);
    if (s.ttl) p.ttl = *s.ttl;
    p.body = UdpDatagram{s.local.port, to.port, Bytes(data.begin(), data.end())};
    send_packet(std::move(p), out);
    return CallResult<size_t>::ok(data.size());
}

void HostStack::receive_udp(const Ipv4Packet& packet, const UdpDatagram& udp, StackOutput& out) {
    Endpoint local{packet.dst, udp.dst_port};
    Endpoint from{packet.src, udp.src_port};
    Socket* s = find_udp(local, from);
    if (!s) {
        if (!is_local_address(packet.dst)) return;  // broadcast nobody wants: silence
        out.events.push_back(StackEvent{0, FourTuple{local, from},
                                        Note{"ICMP port unreachable sent: nobody listens on udp " +
                                             local.to_string()}});
        send_icmp_error(packet, icmp_type::DEST_UNREACHABLE, icmp_code::PORT_UNREACHABLE, out);
        return;
    }
    if (s->received.size() >= kMaxQueuedDatagrams ||
        s->received_bytes + udp.payload.size() > kMaxQueuedBytes) {
        out.events.push_back(StackEvent{s->id, FourTuple{local, from},
                                        Note{"UDP datagram dropped: receive queue full"}});
        return;
    }
    s->received.push_back(Datagram{from, udp.payload});
    s->received_bytes += udp.payload.size();
    out.changed.push_back(s->id);
}

// The socket for a datagram: bound to its port, on its address or 0.0.0.0, and (if connected)
// to the sender. The most specific one wins: connected, then a specific address.
HostStack::Socket* HostStack::find_udp(Endpoint local, Endpoint from) {
    Socket* best = nullptr;
    int best_score = -1;
    for (auto& [id, s] : sockets_) {
        if (s.type != SocketType::Udp || !s.bound || s.user_closed || s.local.port != local.port) continue;
        bool any = s.local.address.is_unspecified();
        if (!any && s.local.address != local.address) continue;
        if (s.peer && *s.peer != from) continue;  // connected: only its peer's datagrams
        int score = (s.peer ? 2 : 0) + (any ? 0 : 1);
        if (score > best_score) {
            best = &s;
            best_score = score;
        }
    }
    return best;
}

}  // namespace netstep
