// HostStack, TCP side: active open, close, and demultiplexing arriving segments (RFC 9293
// §3.10.7: the connection with the exact four-tuple, else a listener, else a reset).
#include <string>

#include "host.hpp"

namespace netstep {

// connect(), first call: route, implicit bind, ISS, SYN (RFC 9293 §3.10.1 OPEN, active).
CallResult<> HostStack::tcp_connect(Socket& s, Endpoint remote, Instant now, StackOutput& out) {
    if (s.listening) return CallResult<>::error(Err::IsConn);  // as Linux answers
    if (s.conn) return tcp_connect_progress(s);
    auto r = route(remote.address);
    if (!r) return CallResult<>::error(Err::NetUnreach);
    if (auto b = autobind(s); !b.is_ok()) return b;
    Ipv4Address local = s.local.address.is_unspecified() ? source_for(*r, remote.address) : s.local.address;
    FourTuple t{Endpoint{local, s.local.port}, remote};
    if (find_connection(t)) return CallResult<>::error(Err::AddrNotAvail);  // four-tuple taken
    TcpOutput tcp;
    s.conn = TcpConnection::connect(t, initial_sequence(t, now), now, profile_.with_buffers(s.rcvbuf, s.sndbuf), tcp);
    emit_tcp(s.id, t, tcp, out);
    return CallResult<>::would_block();
}

// connect(), later calls: wait for the handshake; report how it ended.
CallResult<> HostStack::tcp_connect_progress(Socket& s) {
    TcpState st = s.conn->state();
    if (st == TcpState::SynSent || st == TcpState::SynReceived) return CallResult<>::would_block();
    if (is_synchronized(st)) {
        if (s.connect_reported) return CallResult<>::error(Err::IsConn);
        s.connect_reported = true;
        return CallResult<>::ok();
    }
    if (auto e = s.conn->error()) return CallResult<>::error(*e);  // ECONNREFUSED, ETIMEDOUT...
    return CallResult<>::error(s.connect_reported ? Err::IsConn : Err::ConnAborted);
}

// close() of a TCP socket. A listener takes its not-yet-accepted children with it: they are
// aborted (RST), as Linux does. A connection closes (FIN) or, with SO_LINGER 0, aborts (RST).
void HostStack::tcp_close(Socket& s, Instant now, StackOutput& out) {
    if (s.listening) {
        for (auto& [id, child] : sockets_) {
            if (child.listener != s.id || !child.conn) continue;
            TcpOutput tcp;
            child.conn->abort(now, tcp);
            emit_tcp(id, child.conn->tuple(), tcp, out);
        }
        s.listening = false;
        s.accept_queue.clear();
    }
    if (!s.conn) return;
    TcpOutput tcp;
    if (s.linger_zero) {
        s.conn->abort(now, tcp);
    } else {
        s.conn->close(now, tcp);
    }
    emit_tcp(s.id, s.conn->tuple(), tcp, out);
}

// SEGMENT ARRIVES, demultiplexing (RFC 9293 §3.10.7): the exact four-tuple first, then a
// listener on (our address or 0.0.0.0, port), else §3.10.7.1 (CLOSED): a reset.
void HostStack::receive_tcp(const Ipv4Packet& packet, const TcpSegment& seg, Instant now,
                            StackOutput& out) {
    FourTuple t{Endpoint{packet.dst, seg.dst_port}, Endpoint{packet.src, seg.src_port}};
    if (Socket* s = find_connection(t)) {
        // Link layer: an ACK of new data confirms the neighbour it came through (host_arp.cpp).
        std::optional<SeqNum> una;
        if (profile_.link_layer) una = s->conn->vars().snd_una;
        TcpOutput tcp;
        s->conn->on_segment(seg, t.remote, now, tcp);
        if (una && s->conn->vars().snd_una != *una) confirm_neighbour(t.remote.address, now);
        emit_tcp(s->id, t, tcp, out);
        return;
    }
    if (!is_local_address(packet.dst)) {
        out.events.push_back(StackEvent{0, t, Rejected{"TCP segment to a broadcast address"}});
        return;
    }
    if (Socket* l = find_listener(t.local)) {
        tcp_to_listener(*l, t, seg, now, out);
        return;
    }
    auto rst = TcpConnection::reset_for(seg);
    if (!rst) {
        out.events.push_back(StackEvent{0, t, Note{"RST for no connection ignored (§3.10.7.1)"}});
        return;
    }
    rst->src_port = seg.dst_port;
    rst->dst_port = seg.src_port;
    Ipv4Packet reply = make_packet(packet.dst, packet.src);
    reply.body = std::move(*rst);
    send_packet(std::move(reply), out);
    out.events.push_back(StackEvent{0, t, Note{"RST sent: nobody listens on " + t.local.to_string()}});
}

// A segment for a listener: a fresh TCB in LISTEN takes it (§3.10.7.2); if it left LISTEN (SYN
// accepted) it becomes a new child socket. A SYN is dropped when the accept queue plus the
// half-open connections already fill the backlog (Linux drops it silently; the client retries).
void HostStack::tcp_to_listener(Socket& l, const FourTuple& t, const TcpSegment& seg, Instant now,
                                StackOutput& out) {
    bool syn = seg.has(tcp_flag::SYN) && !seg.has(tcp_flag::ACK) && !seg.has(tcp_flag::RST);
    if (syn && pending_children(l.id) >= static_cast<size_t>(l.backlog)) {
        out.events.push_back(StackEvent{l.id, t, Note{"SYN dropped: accept queue full (backlog " +
                                                      std::to_string(l.backlog) + ")"}});
        return;
    }
    TcpOutput tcp;
    TcpConnection conn = TcpConnection::listening(t.local, initial_sequence(t, now), profile_.with_buffers(l.rcvbuf, l.sndbuf));
    conn.on_segment(seg, t.remote, now, tcp);
    if (conn.state() == TcpState::Listen) {
        emit_tcp(l.id, t, tcp, out);  // e.g. RST for an ACK (§3.10.7.2 second check)
        return;
    }
    Socket child;
    child.id = next_socket_++;
    child.type = SocketType::Tcp;
    child.local = t.local;
    child.bound = true;
    child.reuseaddr = l.reuseaddr;
    child.rcvbuf = l.rcvbuf;
    child.sndbuf = l.sndbuf;
    child.listener = l.id;
    child.conn = std::move(conn);
    SocketId id = child.id;
    sockets_.emplace(id, std::move(child));
    emit_tcp(id, t, tcp, out);
}

HostStack::Socket* HostStack::find_connection(const FourTuple& t) {
    for (auto& [id, s] : sockets_) {
        if (!s.conn || s.conn->state() == TcpState::Closed) continue;
        if (s.conn->tuple() == t) return &s;
    }
    return nullptr;
}

// A listener on exactly this address wins over one on 0.0.0.0 (Linux does the same).
HostStack::Socket* HostStack::find_listener(Endpoint local) {
    Socket* wildcard = nullptr;
    for (auto& [id, s] : sockets_) {
        if (s.type != SocketType::Tcp || !s.listening || s.local.port != local.port) continue;
        if (s.local.address == local.address) return &s;
        if (s.local.address.is_unspecified() && !wildcard) wildcard = &s;
    }
    return wildcard;
}

// Children of a listener not accepted yet: half-open (SYN-RECEIVED) and in the accept queue.
size_t HostStack::pending_children(SocketId listener) const {
    size_t n = 0;
    for (const auto& [id, s] : sockets_)
        if (s.listener == listener) ++n;
    return n;
}

// A connection's segments become IPv4 packets (our address → the peer, profile TTL, DF), its
// events become StackEvents naming the socket and the four-tuple.
void HostStack::emit_tcp(SocketId s, const FourTuple& t, TcpOutput& tcp, StackOutput& out) {
    unsettled_.push_back(s);  // its connection may have changed state (settle)
    for (auto& e : tcp.events) out.events.push_back(StackEvent{s, t, std::move(e)});
    for (auto& seg : tcp.segments) {
        Ipv4Packet p = make_packet(t.local.address, t.remote.address);
        p.body = std::move(seg);
        send_packet(std::move(p), out);
    }
}

}  // namespace netstep
