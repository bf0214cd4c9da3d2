// HostStack: the Berkeley socket calls. Each checks the descriptor, then hands over to the TCP
// (host_tcp.cpp) or UDP (host_udp.cpp) side, then finish() delivers packets to ourselves and
// tidies the socket table.
#include <algorithm>

#include "host.hpp"

namespace netstep {

namespace {

constexpr size_t kMaxSockets = 4096;  // EMFILE beyond this (an explicit, documented limit)
constexpr int kMaxBacklog = 4096;     // Linux net.core.somaxconn

template <class T>
CallResult<T> fail(Err e) {
    return CallResult<T>::error(e);
}

}  // namespace

CallResult<SocketId> HostStack::socket(SocketType type, Instant, StackOutput& out) {
    if (open_socket_count() >= kMaxSockets) return fail<SocketId>(Err::MFile);
    SocketId id = next_socket_++;
    out.changed.push_back(id);
    Socket s;
    s.id = id;
    s.type = type;
    sockets_.emplace(id, std::move(s));
    return CallResult<SocketId>::ok(id);
}

CallResult<> HostStack::set_reuseaddr(SocketId id, bool on) {
    Socket* s = find_open(id);
    if (!s) return fail<std::monostate>(Err::BadF);
    s->reuseaddr = on;
    return CallResult<>::ok();
}

CallResult<> HostStack::set_linger_zero(SocketId id, bool on) {
    Socket* s = find_open(id);
    if (!s) return fail<std::monostate>(Err::BadF);
    s->linger_zero = on;
    return CallResult<>::ok();
}

CallResult<> HostStack::set_buffer(SocketId id, bool receive, uint32_t bytes) {
    Socket* s = find_open(id);
    if (!s) return fail<std::monostate>(Err::BadF);
    if (bytes == 0) return fail<std::monostate>(Err::Inval);
    (receive ? s->rcvbuf : s->sndbuf) = bytes;
    return CallResult<>::ok();
}

CallResult<> HostStack::set_ttl(SocketId id, uint8_t ttl) {
    Socket* s = find_open(id);
    if (!s) return fail<std::monostate>(Err::BadF);
    if (s->type != SocketType::Udp) return fail<std::monostate>(Err::OpNotSupp);
    if (ttl == 0) return fail<std::monostate>(Err::Inval);
    s->ttl = ttl;
    return CallResult<>::ok();
}

CallResult<> HostStack::set_recverr(SocketId id, bool on) {
    Socket* s = find_open(id);
    if (!s) return fail<std::monostate>(Err::BadF);
    if (s->type != SocketType::Udp) return fail<std::monostate>(Err::OpNotSupp);
    s->recverr = on;
    if (!on) s->errors.clear();
    return CallResult<>::ok();
}

CallResult<IcmpReport> HostStack::recv_error(SocketId id) {
    Socket* s = find_open(id);
    if (!s) return fail<IcmpReport>(Err::BadF);
    if (s->errors.empty()) return CallResult<IcmpReport>::would_block();
    IcmpReport r = s->errors.front();
    s->errors.pop_front();
    return CallResult<IcmpReport>::ok(r);
}

CallResult<> HostStack::bind(SocketId id, Endpoint local, Instant, StackOutput& out) {
    Socket* s = find_open(id);
    if (!s) return fail<std::monostate>(Err::BadF);
    out.changed.push_back(id);
    return bind_to(*s, local);
}

// listen(): an unbound socket gets an ephemeral port (Linux autobind). The backlog is clamped
// to 1..somaxconn. Two listeners on one port are refused even with SO_REUSEADDR.
CallResult<> HostStack::listen(SocketId id, int backlog, Instant, StackOutput& out) {
    Socket* s = find_open(id);
    if (!s) return fail<std::monostate>(Err::BadF);
    out.changed.push_back(id);  // autobind
    if (s->type != SocketType::Tcp) return fail<std::monostate>(Err::OpNotSupp);
    if (s->conn) return fail<std::monostate>(Err::Inval);
    if (auto r = autobind(*s); !r.is_ok()) return r;
    for (const auto& [other_id, other] : sockets_) {
        bool same_port = other.local.port == s->local.port;
        bool overlap = other.local.address.is_unspecified() || s->local.address.is_unspecified() ||
                       other.local.address == s->local.address;
        if (other_id != id && other.type == SocketType::Tcp && other.listening && same_port && overlap)
            return fail<std::monostate>(Err::AddrInUse);
    }
    s->listening = true;
    s->backlog = std::clamp(backlog, 1, kMaxBacklog);
    return CallResult<>::ok();
}

CallResult<SocketId> HostStack::accept(SocketId id, Instant, StackOutput& out) {
    Socket* l = find_open(id);
    if (!l) return fail<SocketId>(Err::BadF);
    if (!l->listening) return fail<SocketId>(Err::Inval);
    if (l->accept_queue.empty()) return CallResult<SocketId>::would_block();
    SocketId child = l->accept_queue.front();
    l->accept_queue.pop_front();
    Socket* c = find(child);
    c->listener = 0;
    c->queued = false;
    out.changed.push_back(child);
    return CallResult<SocketId>::ok(child);
}

bool HostStack::accept_would_block(SocketId id) const {
    const Socket* l = find(id);
    return l && !l->user_closed && l->listener == 0 && l->listening && l->accept_queue.empty();
}

CallResult<> HostStack::connect(SocketId id, Endpoint remote, Instant now, StackOutput& out) {
    Socket* s = find_open(id);
    if (!s) return fail<std::monostate>(Err::BadF);
    out.changed.push_back(id);  // autobind, the UDP peer
    if (s->type == SocketType::Tcp) {
        auto r = tcp_connect(*s, remote, now, out);
        finish(now, out);
        return r;
    }
    // UDP: only sets the default peer (and binds an ephemeral port if needed).
    if (!route(remote.address)) return fail<std::monostate>(Err::NetUnreach);
    if (auto r = autobind(*s); !r.is_ok()) return r;
    s->peer = remote;
    s->pending_error.reset();
    return CallResult<>::ok();
}

CallResult<size_t> HostStack::send(SocketId id, std::span<const uint8_t> data, Instant now,
                                   StackOutput& out) {
    Socket* s = find_open(id);
    if (!s) return fail<size_t>(Err::BadF);
    out.changed.push_back(id);  // autobind (UDP), the connection (TCP)
    if (s->type == SocketType::Udp) {
        if (s->pending_error) return fail<size_t>(*std::exchange(s->pending_error, std::nullopt));
        if (!s->peer) return fail<size_t>(Err::DestAddrReq);
        auto r = udp_send(*s, data, *s->peer, out);
        finish(now, out);
        return r;
    }
    if (!s->conn) return fail<size_t>(profile_.epipe_when_not_connected ? Err::Pipe : Err::NotConn);
    TcpOutput tcp;
    auto r = s->conn->send(data, now, tcp);
    emit_tcp(id, s->conn->tuple(), tcp, out);
    finish(now, out);
    return r;
}

CallResult<Bytes> HostStack::recv(SocketId id, size_t max, Instant now, StackOutput& out) {
    Socket* s = find_open(id);
    if (!s) return fail<Bytes>(Err::BadF);
    out.changed.push_back(id);  // what is queued
    if (s->type == SocketType::Udp) {
        auto r = recvfrom(id, now, out);
        if (!r.is_ok()) return {r.status, {}, r.err};
        Bytes data = std::move(r.value.data);
        if (data.size() > max) data.resize(max);  // the rest of the datagram is discarded
        return CallResult<Bytes>::ok(std::move(data));
    }
    if (!s->conn) return fail<Bytes>(Err::NotConn);
    TcpOutput tcp;
    auto r = s->conn->recv(max, now, tcp);
    // A connection that is over never becomes readable: its error, or end of file.
    if (r.would_block_now() && s->conn->state() == TcpState::Closed) {
        r = s->conn->error() ? fail<Bytes>(*s->conn->error()) : CallResult<Bytes>::ok({});
    }
    emit_tcp(id, s->conn->tuple(), tcp, out);
    finish(now, out);
    return r;
}

CallResult<size_t> HostStack::sendto(SocketId id, std::span<const uint8_t> data, Endpoint to,
                                     Instant now, StackOutput& out) {
    Socket* s = find_open(id);
    if (!s) return fail<size_t>(Err::BadF);
    if (s->type == SocketType::Tcp) return send(id, data, now, out);  // the address is ignored
    out.changed.push_back(id);  // autobind
    if (s->peer && s->pending_error) return fail<size_t>(*std::exchange(s->pending_error, std::nullopt));
    auto r = udp_send(*s, data, to, out);
    finish(now, out);
    return r;
}

CallResult<Datagram> HostStack::recvfrom(SocketId id, Instant now, StackOutput& out) {
    Socket* s = find_open(id);
    if (!s) return fail<Datagram>(Err::BadF);
    out.changed.push_back(id);  // what is queued
    if (s->type == SocketType::Tcp) {
        auto r = recv(id, profile_.recv_buffer, now, out);
        Socket* again = find(id);
        Endpoint from = again && again->conn ? again->conn->tuple().remote : Endpoint{};
        return {r.status, Datagram{from, std::move(r.value)}, r.err};
    }
    if (s->pending_error) return fail<Datagram>(*std::exchange(s->pending_error, std::nullopt));
    if (s->received.empty()) return CallResult<Datagram>::would_block();
    Datagram d = std::move(s->received.front());
    s->received.pop_front();
    s->received_bytes -= d.data.size();
    return CallResult<Datagram>::ok(std::move(d));
}

CallResult<> HostStack::shutdown(SocketId id, ShutdownHow how, Instant now, StackOutput& out) {
    Socket* s = find_open(id);
    if (!s) return fail<std::monostate>(Err::BadF);
    out.changed.push_back(id);
    if (s->type == SocketType::Udp) {
        if (!s->peer) return fail<std::monostate>(Err::NotConn);
        return CallResult<>::ok();
    }
    if (!s->conn) return fail<std::monostate>(Err::NotConn);
    TcpOutput tcp;
    if (how != ShutdownHow::Write) s->conn->shutdown_read();
    if (how != ShutdownHow::Read) s->conn->shutdown_write(now, tcp);
    emit_tcp(id, s->conn->tuple(), tcp, out);
    finish(now, out);
    return CallResult<>::ok();
}

// close(): the descriptor is gone at once; a TCP connection lives on (FIN-WAIT-1...) and the id
// keeps naming it until CLOSED. SO_LINGER {1, 0} aborts with RST instead (RFC 9293 §3.10.5).
CallResult<> HostStack::close(SocketId id, Instant now, StackOutput& out) {
    Socket* s = find_open(id);
    if (!s) return fail<std::monostate>(Err::BadF);
    s->user_closed = true;
    unsettled_.push_back(id);  // settle() reaps it or not; either way it is in out.changed
    if (s->type == SocketType::Tcp) tcp_close(*s, now, out);
    finish(now, out);
    return CallResult<>::ok();
}

}  // namespace netstep
