// HostStack, ICMP (RFC 792; RFC 1122 §3.2.2): echo, error messages sent (port unreachable,
// time exceeded, net unreachable) and received (reported to connected UDP sockets, as Linux);
// ping sockets (host.hpp): echo requests sent, replies and the errors about them received.
#include <algorithm>
#include <string>

#include "host.hpp"
#include "wire/wire.hpp"

namespace netstep {

namespace {

constexpr size_t kMaxPingSockets = 4096;   // as sockets: EMFILE beyond
constexpr size_t kMaxPingAnswers = 64;     // answers queued on one ping socket (then dropped)
constexpr size_t kMaxEchoData = 65507;     // 65535 - 20 (IPv4) - 8 (ICMP header)

// What an ICMP error quotes: the offending datagram's IP header and the first 8 bytes of its
// payload, which hold the transport ports (RFC 792; RFC 1122 §3.2.2).
struct Quoted {
    Ipv4Address src, dst;
    uint8_t protocol = 0;
    uint16_t src_port = 0, dst_port = 0;
    // An ICMP datagram quoted: its type, and for an echo its identifier and sequence number.
    uint8_t icmp_type = 0;
    uint16_t icmp_id = 0, icmp_sequence = 0;
};

uint32_t be32(std::span<const uint8_t> b, size_t at) {
    return (uint32_t(b[at]) << 24) | (uint32_t(b[at + 1]) << 16) | (uint32_t(b[at + 2]) << 8) | b[at + 3];
}

uint16_t be16(std::span<const uint8_t> b, size_t at) { return static_cast<uint16_t>((b[at] << 8) | b[at + 1]); }

// Reads the quote; nullopt when it is too short or not IPv4 (hostile bytes are just ignored).
std::optional<Quoted> parse_quote(std::span<const uint8_t> b) {
    if (b.size() < 20 || (b[0] >> 4) != 4) return std::nullopt;
    size_t ihl = size_t(b[0] & 0x0F) * 4;
    if (ihl < 20 || b.size() < ihl + 8) return std::nullopt;
    return Quoted{Ipv4Address{be32(b, 12)}, Ipv4Address{be32(b, 16)}, b[9], be16(b, ihl), be16(b, ihl + 2),
                  b[ihl], be16(b, ihl + 4), be16(b, ihl + 6)};
}

std::string describe(const IcmpMessage& m) {
    if (m.type == icmp_type::TIME_EXCEEDED) return "ICMP time exceeded";
    switch (m.code) {
        case icmp_code::NET_UNREACHABLE: return "ICMP net unreachable";
        case icmp_code::HOST_UNREACHABLE: return "ICMP host unreachable";
        case icmp_code::PORT_UNREACHABLE: return "ICMP port unreachable";
        default: return "ICMP destination unreachable (code " + std::to_string(m.code) + ")";
    }
}

}  // namespace

void HostStack::receive_icmp(const Ipv4Packet& packet, const IcmpMessage& icmp, StackOutput& out) {
    if (icmp.type == icmp_type::ECHO_REQUEST) {  // RFC 792: echo reply, same id, sequence, data
        auto r = route(packet.src);
        if (!r) return;
        Ipv4Address src = is_local_address(packet.dst) ? packet.dst : source_for(*r, packet.src);
        Ipv4Packet reply = make_packet(src, packet.src);
        reply.body = IcmpMessage{icmp_type::ECHO_REPLY, 0, icmp.id, icmp.sequence, icmp.data};
        send_packet(std::move(reply), out);
        return;
    }
    if (icmp.type == icmp_type::ECHO_REPLY) {
        if (!deliver_to_ping(packet, icmp, out))
            note(out, "ICMP echo reply id=" + std::to_string(icmp.id) + " from " + packet.src.to_string() +
                          " ignored (no ping socket)");
        return;
    }
    if (!icmp.is_error()) return;

    auto q = parse_quote(icmp.data);
    if (!q) {
        out.events.push_back(StackEvent{0, std::nullopt, Rejected{describe(icmp) + ": quote too short"}});
        return;
    }
    if (q->protocol == ip_proto::ICMP) {
        if (q->icmp_type == icmp_type::ECHO_REQUEST && deliver_to_ping(packet, icmp, out)) return;
        note(out, describe(icmp) + " from " + packet.src.to_string() + " ignored (no ping socket)");
        return;
    }
    FourTuple t{Endpoint{q->src, q->src_port}, Endpoint{q->dst, q->dst_port}};
    // Host unreachable about a TCP segment: what a failed ARP resolution sends (host_arp.cpp),
    // to ourselves or from a router. Linux tcp_v4_err ends a connection in SYN-SENT with it
    // (EHOSTUNREACH). (Other ICMP errors about TCP are still ignored, as before the link layer.)
    if (q->protocol == ip_proto::TCP && icmp.type == icmp_type::DEST_UNREACHABLE &&
        icmp.code == icmp_code::HOST_UNREACHABLE) {
        if (Socket* s = find_connection(t)) {
            TcpOutput tcp;
            s->conn->on_icmp_unreachable(Err::HostUnreach, describe(icmp) + " from " + packet.src.to_string(), tcp);
            emit_tcp(s->id, t, tcp, out);
            return;
        }
    }
    if (q->protocol != ip_proto::UDP) {
        out.events.push_back(StackEvent{0, t, Note{describe(icmp) + " from " + packet.src.to_string() + " ignored"}});
        return;
    }
    // Linux (__udp4_lib_err): only hard errors (port unreachable) reach a connected socket, as
    // ECONNREFUSED on its next call; an unconnected socket never hears of it.
    Socket* s = find_udp(t.local, t.remote);
    bool hard = icmp.type == icmp_type::DEST_UNREACHABLE && icmp.code == icmp_code::PORT_UNREACHABLE;
    // IP_RECVERR (ip_icmp_error): every error is queued, connected or not; a hard one on a
    // connected socket is its pending error too.
    if (s && s->recverr) {
        if (s->errors.size() >= kMaxPingAnswers) {
            out.events.push_back(StackEvent{s->id, t, Note{describe(icmp) + " dropped: error queue full"}});
            return;
        }
        s->errors.push_back(IcmpReport{packet.src, icmp.type, icmp.code, packet.ttl, t.remote});
        if (s->peer && hard) s->pending_error = Err::ConnRefused;
        out.events.push_back(StackEvent{s->id, t, Note{describe(icmp) + " from " + packet.src.to_string() +
                                                       ": to the socket's error queue (IP_RECVERR)"}});
        return;
    }
    if (s && s->peer && hard) {
        s->pending_error = Err::ConnRefused;
        out.events.push_back(StackEvent{s->id, t, Note{describe(icmp) + ": ECONNREFUSED on next call"}});
        return;
    }
    std::string why = !s ? "no socket" : !s->peer ? "socket not connected" : "soft error";
    out.events.push_back(StackEvent{s ? s->id : 0, t, Note{describe(icmp) + " from " + packet.src.to_string() +
                                                           " ignored (" + why + ")"}});
}

// An echo reply carrying a ping socket's identifier, or an error quoting one of its requests
// (sent from one of our addresses), is queued on that socket; false when no socket wants it.
bool HostStack::deliver_to_ping(const Ipv4Packet& packet, const IcmpMessage& icmp, StackOutput& out) {
    PingAnswer a;
    a.from = packet.src;
    a.ttl = packet.ttl;
    a.code = icmp.code;
    uint16_t identifier = icmp.id;
    if (icmp.type == icmp_type::ECHO_REPLY) {
        a.kind = PingAnswer::Kind::EchoReply;
        a.sequence = icmp.sequence;
        a.data_bytes = icmp.data.size();
    } else {
        auto q = parse_quote(icmp.data);
        if (!q || !is_local_address(q->src)) return false;
        a.kind = icmp.type == icmp_type::TIME_EXCEEDED ? PingAnswer::Kind::TimeExceeded : PingAnswer::Kind::Unreachable;
        a.sequence = q->icmp_sequence;
        identifier = q->icmp_id;
    }
    for (auto& [id, s] : pings_) {
        if (s.identifier != identifier) continue;
        if (s.answers.size() >= kMaxPingAnswers) {
            note(out, describe(icmp) + " dropped: ping socket's queue full");
            return true;
        }
        if (a.kind != PingAnswer::Kind::EchoReply) {
            note(out, describe(icmp) + " from " + packet.src.to_string() + " about echo request id=" +
                          std::to_string(identifier) + " seq=" + std::to_string(a.sequence) + ": to its ping socket");
        }
        s.answers.push_back(a);
        return true;
    }
    return false;
}

CallResult<PingSocketId> HostStack::ping_open() {
    if (pings_.size() >= kMaxPingSockets) return CallResult<PingSocketId>::error(Err::MFile);
    // The first identifier not in use, from 1 (Windows ping uses 1; Linux ping_get_port starts at
    // 1 but goes on from the last one given).
    uint16_t identifier = 1;
    for (bool used = true; used;) {
        used = false;
        for (const auto& [id, s] : pings_) {
            if (s.identifier == identifier) {
                used = true;
                ++identifier;
                break;
            }
        }
    }
    PingSocketId id = next_ping_++;
    pings_.emplace(id, PingSocket{identifier, {}});
    return CallResult<PingSocketId>::ok(id);
}

CallResult<> HostStack::ping_send(PingSocketId id, Ipv4Address to, uint16_t sequence, uint8_t ttl,
                                  std::span<const uint8_t> data, Instant now, StackOutput& out) {
    auto it = pings_.find(id);
    if (it == pings_.end()) return CallResult<>::error(Err::BadF);
    if (ttl == 0) return CallResult<>::error(Err::Inval);
    if (data.size() > kMaxEchoData) return CallResult<>::error(Err::MsgSize);
    auto r = route(to);
    if (!r) return CallResult<>::error(Err::NetUnreach);
    Ipv4Packet p = make_packet(source_for(*r, to), to);
    p.ttl = ttl;
    p.body = IcmpMessage{icmp_type::ECHO_REQUEST, 0, it->second.identifier, sequence, Bytes(data.begin(), data.end())};
    send_packet(std::move(p), out);
    finish(now, out);
    return CallResult<>::ok();
}

CallResult<PingAnswer> HostStack::ping_recv(PingSocketId id) {
    auto it = pings_.find(id);
    if (it == pings_.end()) return CallResult<PingAnswer>::error(Err::BadF);
    if (it->second.answers.empty()) return CallResult<PingAnswer>::would_block();
    PingAnswer a = it->second.answers.front();
    it->second.answers.pop_front();
    return CallResult<PingAnswer>::ok(a);
}

CallResult<> HostStack::ping_close(PingSocketId id) {
    if (pings_.erase(id) == 0) return CallResult<>::error(Err::BadF);
    return CallResult<>::ok();
}

std::optional<uint16_t> HostStack::ping_identifier(PingSocketId id) const {
    auto it = pings_.find(id);
    if (it == pings_.end()) return std::nullopt;
    return it->second.identifier;
}

// An ICMP error about `offending`, back to its source. Never about an ICMP error, nor about a
// datagram from no one in particular (RFC 1122 §3.2.2).
void HostStack::send_icmp_error(const Ipv4Packet& offending, uint8_t type, uint8_t code, StackOutput& out) {
    if (const auto* m = offending.icmp(); m && m->is_error()) return;
    if (offending.src.is_unspecified() || offending.src == Ipv4Address::broadcast()) return;
    auto r = route(offending.src);
    if (!r) return;
    Bytes quote = wire::emit(offending);
    size_t ihl = quote.empty() ? 0 : size_t(quote[0] & 0x0F) * 4;
    quote.resize(std::min(quote.size(), ihl + 8));
    Ipv4Packet p = make_packet(source_for(*r, offending.src), offending.src);
    p.body = IcmpMessage{type, code, 0, 0, std::move(quote)};
    send_packet(std::move(p), out);
}

}  // namespace netstep
