// HostStack, TCP: connect/accept through the demultiplexer, RST for closed ports, the listen
// backlog, several clients on one server port, close through TIME-WAIT, SO_REUSEADDR against
// TIME-WAIT, ISNs, closing a listener, SO_LINGER 0.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "test_host_harness.hpp"

using namespace netstep;
using namespace netstep::test;

namespace {

Profile quick_profile() {
    Profile p = Profile::textbook();
    p.msl = Duration::seconds(1);  // TIME-WAIT lasts 2 s
    return p;
}

// A server (192.168.1.20) and clients on one LAN.
struct Tcp {
    Net net;
    HostStack& server;
    std::vector<HostStack*> clients;

    explicit Tcp(int n_clients = 1, Profile p = quick_profile())
        : server(net.add("server", {iface("lan", "192.168.1.20/24")}, p)) {
        for (int i = 0; i < n_clients; ++i) {
            std::string addr = "192.168.1." + std::to_string(10 + i) + "/24";
            clients.push_back(&net.add("client" + std::to_string(i), {iface("lan", addr.c_str())}, p));
        }
    }
    HostStack& client(size_t i = 0) { return *clients[i]; }

    template <class F>
    auto on(HostStack& h, F&& f) {
        return net.call(h, [&](HostStack& x, StackOutput& o) { return f(x, o); });
    }
    SocketId socket(HostStack& h) {
        return on(h, [&](HostStack& x, StackOutput& o) { return x.socket(SocketType::Tcp, net.now, o); }).value;
    }
    SocketId listener(uint16_t port, int backlog = 8, bool reuse = false) {
        SocketId l = socket(server);
        server.set_reuseaddr(l, reuse);
        REQUIRE(on(server, [&](HostStack& x, StackOutput& o) { return x.bind(l, ep("0.0.0.0", port), net.now, o); }).is_ok());
        REQUIRE(on(server, [&](HostStack& x, StackOutput& o) { return x.listen(l, backlog, net.now, o); }).is_ok());
        return l;
    }
    CallResult<> connect(HostStack& h, SocketId s, Endpoint to) {
        return on(h, [&](HostStack& x, StackOutput& o) { return x.connect(s, to, net.now, o); });
    }
    CallResult<SocketId> accept(SocketId l) {
        return on(server, [&](HostStack& x, StackOutput& o) { return x.accept(l, net.now, o); });
    }
    CallResult<> close(HostStack& h, SocketId s) {
        return on(h, [&](HostStack& x, StackOutput& o) { return x.close(s, net.now, o); });
    }
    // A connected pair: client socket, server's accepted socket.
    std::pair<SocketId, SocketId> connected(SocketId l, size_t i = 0, uint16_t port = 80) {
        SocketId c = socket(client(i));
        REQUIRE(connect(client(i), c, ep("192.168.1.20", port)).would_block_now());
        net.run_for(Duration::millis(10));
        REQUIRE(connect(client(i), c, ep("192.168.1.20", port)).is_ok());
        auto a = accept(l);
        REQUIRE(a.is_ok());
        return {c, a.value};
    }
};

}  // namespace

TEST_CASE("host: TCP connect to a listener: accept returns the connection's four-tuple") {
    Tcp t;
    SocketId l = t.listener(80);
    CHECK(t.server.state_of(l) == TcpState::Listen);
    CHECK(t.accept(l).would_block_now());

    SocketId c = t.socket(t.client());
    CHECK(t.connect(t.client(), c, ep("192.168.1.20", 80)).would_block_now());
    CHECK(t.client().state_of(c) == TcpState::SynSent);
    CHECK(t.connect(t.client(), c, ep("192.168.1.20", 80)).would_block_now());
    t.net.run_for(Duration::millis(10));
    CHECK(t.connect(t.client(), c, ep("192.168.1.20", 80)).is_ok());
    CHECK(t.connect(t.client(), c, ep("192.168.1.20", 80)).err == Err::IsConn);

    auto a = t.accept(l);
    REQUIRE(a.is_ok());
    CHECK(a.value != l);
    auto info = t.server.socket_info(a.value);
    REQUIRE(info);
    auto cinfo = t.client().socket_info(c);
    CHECK(info->local == ep("192.168.1.20", 80));
    REQUIRE(info->remote);
    CHECK(*info->remote == cinfo->local);
    CHECK(cinfo->local.address == ip("192.168.1.10"));
    CHECK(info->state == TcpState::Established);
    CHECK(t.accept(l).would_block_now());

    // Segments carry the profile's TTL and DF; the first is the client's SYN.
    REQUIRE(!t.net.sent.empty());
    const auto& syn = t.net.sent[0].packet;
    CHECK(syn.tcp()->has(tcp_flag::SYN));
    CHECK(syn.ttl == 64);
    CHECK(syn.dont_fragment);

    // Data both ways.
    auto sent = t.on(t.client(), [&](HostStack& x, StackOutput& o) { return x.send(c, bytes("GET /"), t.net.now, o); });
    CHECK(sent.value == 5);
    t.net.run_for(Duration::millis(10));
    auto got = t.on(t.server, [&](HostStack& x, StackOutput& o) { return x.recv(a.value, 100, t.net.now, o); });
    REQUIRE(got.is_ok());
    CHECK(text(got.value) == "GET /");
    CHECK(t.on(t.server, [&](HostStack& x, StackOutput& o) { return x.recv(a.value, 100, t.net.now, o); })
              .would_block_now());
}

TEST_CASE("host: accept_would_block says what accept would answer, without calling it") {
    Tcp t;
    SocketId l = t.listener(80);
    CHECK(t.server.accept_would_block(l));  // nothing queued
    SocketId c = t.socket(t.client());
    t.connect(t.client(), c, ep("192.168.1.20", 80));
    t.net.run_for(Duration::micros(1500));   // the SYN has arrived (1 ms), its ACK not yet (3 ms)
    CHECK(t.server.state_of(l) == TcpState::Listen);
    CHECK(t.server.accept_would_block(l));
    CHECK(t.accept(l).would_block_now());
    t.net.run_for(Duration::millis(10));     // ESTABLISHED: queued
    CHECK_FALSE(t.server.accept_would_block(l));
    REQUIRE(t.accept(l).is_ok());
    CHECK(t.server.accept_would_block(l));
    // Not a listener, closed, or unknown: accept returns an error, not WouldBlock.
    CHECK_FALSE(t.server.accept_would_block(t.socket(t.server)));
    REQUIRE(t.close(t.server, l).is_ok());
    CHECK_FALSE(t.server.accept_would_block(l));
    CHECK_FALSE(t.server.accept_would_block(9999));
}

TEST_CASE("host: poll_at follows every call and packet (its timer set kept by settle)") {
    Tcp t;
    SocketId l = t.listener(80);
    SocketId c = t.socket(t.client());
    CHECK_FALSE(t.client().poll_at());  // no timer
    CHECK_FALSE(t.client().poll_at());
    t.connect(t.client(), c, ep("192.168.1.20", 80));  // arms the SYN's retransmission timer
    REQUIRE(t.client().poll_at());
    CHECK(*t.client().poll_at() > t.net.now);
    CHECK_FALSE(t.server.poll_at());
    t.net.run_for(Duration::micros(1500));  // the SYN arrives: the SYN+ACK's timer
    CHECK(t.server.poll_at());
    t.net.run_for(Duration::millis(10));    // handshake over: no timer left on either side
    CHECK_FALSE(t.server.poll_at());
    CHECK_FALSE(t.client().poll_at());
    auto a = t.accept(l);
    REQUIRE(a.is_ok());
    CHECK_FALSE(t.server.poll_at());         // none just before the send
    auto sent = t.on(t.server, [&](HostStack& x, StackOutput& o) { return x.send(a.value, bytes("hi"), t.net.now, o); });
    REQUIRE(sent.is_ok());
    CHECK(t.server.poll_at());               // data in flight: retransmission timer
}

TEST_CASE("host: TCP connect to a closed port: RST, a note, and ECONNREFUSED") {
    Tcp t;
    SocketId c = t.socket(t.client());
    CHECK(t.connect(t.client(), c, ep("192.168.1.20", 81)).would_block_now());
    t.net.run_for(Duration::millis(10));
    CHECK(t.net.has_note("RST sent: nobody listens on 192.168.1.20:81"));
    REQUIRE(t.net.sent.size() == 2);
    CHECK(t.net.sent[1].packet.tcp()->has(tcp_flag::RST));
    auto r = t.connect(t.client(), c, ep("192.168.1.20", 81));
    CHECK(r.is_error());
    CHECK(r.err == Err::ConnRefused);
    CHECK(t.client().state_of(c) == TcpState::Closed);
    CHECK(t.client().socket_error(c) == Err::ConnRefused);
}

TEST_CASE("host: listen backlog full: the next SYN is dropped with a note") {
    Tcp t(3);
    SocketId l = t.listener(80, 1);
    SocketId c0 = t.socket(t.client(0));
    t.connect(t.client(0), c0, ep("192.168.1.20", 80));
    t.net.run_for(Duration::millis(10));
    SocketId c1 = t.socket(t.client(1));
    t.connect(t.client(1), c1, ep("192.168.1.20", 80));
    t.net.run_for(Duration::millis(10));
    CHECK(t.net.has_note("SYN dropped: accept queue full"));
    CHECK(t.client(1).state_of(c1) == TcpState::SynSent);
    CHECK(t.connect(t.client(0), c0, ep("192.168.1.20", 80)).is_ok());

    // Once the program accepts, there is room: the client's retransmitted SYN gets in.
    REQUIRE(t.accept(l).is_ok());
    t.net.run_for(Duration::seconds(2));
    CHECK(t.client(1).state_of(c1) == TcpState::Established);
    CHECK(t.accept(l).is_ok());
}

TEST_CASE("host: three clients on one server port: three four-tuples") {
    Tcp t(3);
    SocketId l = t.listener(80);
    std::set<FourTuple> tuples;
    for (size_t i = 0; i < 3; ++i) {
        auto [c, a] = t.connected(l, i);
        auto info = t.server.socket_info(a);
        tuples.insert(FourTuple{info->local, *info->remote});
        CHECK(info->local.port == 80);
    }
    CHECK(tuples.size() == 3);
    size_t established = 0;
    for (const auto& row : t.server.sockets()) established += row.state == TcpState::Established;
    CHECK(established == 3);
}

TEST_CASE("host: two connections from one client, in accept order") {
    Tcp t(1);
    SocketId l = t.listener(80);
    SocketId a = t.socket(t.client()), b = t.socket(t.client());
    t.connect(t.client(), a, ep("192.168.1.20", 80));
    t.connect(t.client(), b, ep("192.168.1.20", 80));
    t.net.run_for(Duration::millis(10));
    auto first = t.accept(l), second = t.accept(l);
    REQUIRE(first.is_ok());
    REQUIRE(second.is_ok());
    CHECK(t.server.socket_info(first.value)->remote == t.client().socket_info(a)->local);
    CHECK(t.server.socket_info(second.value)->remote == t.client().socket_info(b)->local);
}

TEST_CASE("host: close: the id names the connection through TIME-WAIT, then CLOSED") {
    Tcp t;
    SocketId l = t.listener(80);
    auto [c, a] = t.connected(l);
    REQUIRE(t.close(t.client(), c).is_ok());
    CHECK(t.close(t.client(), c).err == Err::BadF);
    t.net.run_for(Duration::millis(10));
    CHECK(t.client().state_of(c) == TcpState::FinWait2);
    CHECK(t.server.state_of(a) == TcpState::CloseWait);
    auto eof = t.on(t.server, [&](HostStack& x, StackOutput& o) { return x.recv(a, 100, t.net.now, o); });
    REQUIRE(eof.is_ok());
    CHECK(eof.value.empty());
    REQUIRE(t.close(t.server, a).is_ok());
    t.net.run_for(Duration::millis(10));
    CHECK(t.server.state_of(a) == TcpState::Closed);
    CHECK(t.client().state_of(c) == TcpState::TimeWait);
    auto row = t.client().socket_info(c);
    REQUIRE(row);
    CHECK(row->user_closed);

    t.net.run_for(Duration::seconds(3));  // 2*MSL = 2 s
    CHECK(t.client().state_of(c) == TcpState::Closed);
    CHECK_FALSE(t.client().socket_info(c));  // reaped
    CHECK(t.client().sockets().empty());
    CHECK_FALSE(t.client().socket_error(c));
    CHECK_FALSE(t.client().poll_at());
}

TEST_CASE("host: SO_REUSEADDR lets a server rebind while a connection is in TIME-WAIT") {
    Tcp t;
    SocketId l = t.listener(80, 8, true);
    auto [c, a] = t.connected(l);
    REQUIRE(t.close(t.server, a).is_ok());  // the server closes first: its side gets TIME-WAIT
    t.net.run_for(Duration::millis(10));
    REQUIRE(t.close(t.client(), c).is_ok());
    t.net.run_for(Duration::millis(10));
    REQUIRE(t.server.state_of(a) == TcpState::TimeWait);
    REQUIRE(t.close(t.server, l).is_ok());

    auto bind80 = [&](bool reuse) {
        SocketId s = t.socket(t.server);
        t.server.set_reuseaddr(s, reuse);
        return t.on(t.server, [&](HostStack& x, StackOutput& o) { return x.bind(s, ep("0.0.0.0", 80), t.net.now, o); });
    };
    CHECK(bind80(false).err == Err::AddrInUse);
    CHECK(bind80(true).is_ok());
    t.net.run_for(Duration::seconds(3));
    CHECK(t.server.state_of(a) == TcpState::Closed);
    CHECK(bind80(false).err == Err::AddrInUse);  // the rebound socket holds it now
}

TEST_CASE("host: ISNs: zero with isn_zero, else seeded and different per connection") {
    Profile zero = quick_profile();
    zero.isn_zero = true;
    Tcp z(1, zero);
    SocketId lz = z.listener(80);
    auto [cz, az] = z.connected(lz);
    CHECK(z.client().socket_info(cz)->vars->iss == SeqNum{0});
    CHECK(z.server.socket_info(az)->vars->iss == SeqNum{0});

    Profile seeded = quick_profile();
    seeded.isn_zero = false;
    Tcp r(1, seeded);
    SocketId l = r.listener(80);
    auto [c1, a1] = r.connected(l);
    auto [c2, a2] = r.connected(l);
    auto iss1 = r.client().socket_info(c1)->vars->iss, iss2 = r.client().socket_info(c2)->vars->iss;
    CHECK(iss1 != iss2);
    CHECK(iss1 != SeqNum{0});
    CHECK(r.server.socket_info(a1)->vars->iss != r.server.socket_info(a2)->vars->iss);

    Tcp again(1, seeded);  // same seed, same names, same calls: same ISNs
    SocketId l2 = again.listener(80);
    auto [d1, b1] = again.connected(l2);
    CHECK(again.client().socket_info(d1)->vars->iss == iss1);
}

TEST_CASE("host: closing a listener resets the connections not yet accepted") {
    Tcp t(2);
    SocketId l = t.listener(80);
    SocketId c0 = t.socket(t.client(0)), c1 = t.socket(t.client(1));
    t.connect(t.client(0), c0, ep("192.168.1.20", 80));
    t.connect(t.client(1), c1, ep("192.168.1.20", 80));
    t.net.run_for(Duration::millis(10));
    REQUIRE(t.close(t.server, l).is_ok());
    CHECK(t.server.state_of(l) == TcpState::Closed);
    CHECK(t.server.sockets().empty());
    t.net.run_for(Duration::millis(10));
    CHECK(t.client(0).state_of(c0) == TcpState::Closed);
    CHECK(t.client(0).socket_error(c0) == Err::ConnReset);
    CHECK(t.client(1).state_of(c1) == TcpState::Closed);
}

TEST_CASE("host: close with SO_LINGER 0 sends RST: the peer sees ECONNRESET") {
    Tcp t;
    SocketId l = t.listener(80);
    auto [c, a] = t.connected(l);
    t.client().set_linger_zero(c, true);
    size_t before = t.net.sent.size();
    REQUIRE(t.close(t.client(), c).is_ok());
    REQUIRE(t.net.sent.size() == before + 1);
    CHECK(t.net.sent.back().packet.tcp()->has(tcp_flag::RST));
    CHECK(t.client().state_of(c) == TcpState::Closed);
    t.net.run_for(Duration::millis(10));
    auto r = t.on(t.server, [&](HostStack& x, StackOutput& o) { return x.recv(a, 100, t.net.now, o); });
    CHECK(r.err == Err::ConnReset);
}

TEST_CASE("host: TCP to ourselves over loopback") {
    Tcp t(0);
    SocketId l = t.listener(7);
    SocketId c = t.socket(t.server);
    CHECK(t.connect(t.server, c, ep("127.0.0.1", 7)).would_block_now());
    CHECK(t.connect(t.server, c, ep("127.0.0.1", 7)).is_ok());
    auto a = t.accept(l);
    REQUIRE(a.is_ok());
    CHECK(t.server.socket_info(a.value)->local == ep("127.0.0.1", 7));
    CHECK(t.net.sent.empty());
}

TEST_CASE("host: connect to an address nobody has: SYN retransmitted, then ETIMEDOUT") {
    Tcp t;
    SocketId c = t.socket(t.client());
    CHECK(t.connect(t.client(), c, ep("192.168.1.99", 80)).would_block_now());
    t.net.run_for(Duration::seconds(100));
    CHECK(t.connect(t.client(), c, ep("192.168.1.99", 80)).would_block_now());
    t.net.run_for(Duration::seconds(400));
    CHECK(t.net.lost.size() == 1 + quick_profile().syn_retries);
    auto r = t.connect(t.client(), c, ep("192.168.1.99", 80));
    CHECK(r.err == Err::TimedOut);
    CHECK(t.client().state_of(c) == TcpState::Closed);
    REQUIRE(t.client().socket_info(c));  // the program still holds the socket
    REQUIRE(t.close(t.client(), c).is_ok());
    CHECK_FALSE(t.client().socket_info(c));
    CHECK(t.client().socket_error(c) == Err::TimedOut);
}

TEST_CASE("host: Linux profile: ephemeral port from 32768-60999, exchange, close to CLOSED") {
    Profile p = Profile::linux();
    p.msl = Duration::seconds(1);
    Tcp t(1, p);
    SocketId l = t.listener(80);
    auto [c, a] = t.connected(l);
    uint16_t port = t.client().socket_info(c)->local.port;
    CHECK(port >= 32768);
    CHECK(port <= 60999);
    t.on(t.client(), [&](HostStack& x, StackOutput& o) { return x.send(c, bytes("hi"), t.net.now, o); });
    t.net.run_for(Duration::millis(10));
    CHECK(text(t.on(t.server, [&](HostStack& x, StackOutput& o) { return x.recv(a, 10, t.net.now, o); }).value) == "hi");
    REQUIRE(t.close(t.client(), c).is_ok());
    t.net.run_for(Duration::millis(100));
    REQUIRE(t.close(t.server, a).is_ok());
    t.net.run_for(Duration::seconds(5));
    CHECK(t.client().state_of(c) == TcpState::Closed);
    CHECK(t.server.state_of(a) == TcpState::Closed);
    CHECK(t.client().sockets().empty());
    CHECK(t.server.sockets().size() == 1);  // the listener
}

TEST_CASE("host: send() on a TCP socket never connected: ENOTCONN (textbook), EPIPE (linux)") {
    for (Profile p : {Profile::textbook(), Profile::linux()}) {
        CAPTURE(p.name());
        Tcp t(1, p);
        Err expected = p.kind == Profile::Kind::Linux ? Err::Pipe : Err::NotConn;
        auto send = [&](HostStack& h, SocketId s) {
            return t.on(h, [&](HostStack& x, StackOutput& o) { return x.send(s, bytes("hi"), t.net.now, o); });
        };
        SocketId fresh = t.socket(t.client());
        CHECK(send(t.client(), fresh).err == expected);
        SocketId l = t.listener(80);
        CHECK(send(t.server, l).err == expected);  // a listener is not connected either
        // recv() is ENOTCONN under both (tcp_recvmsg), and nothing went on the wire.
        CHECK(t.on(t.client(), [&](HostStack& x, StackOutput& o) { return x.recv(fresh, 10, t.net.now, o); }).err ==
              Err::NotConn);
        t.net.run_for(Duration::millis(10));
        CHECK(t.net.sent.empty());
    }
}

TEST_CASE("host: each operation lists exactly the sockets it created, changed or removed") {
    Tcp t;
    SocketId l = t.listener(80);
    SocketId idle = t.socket(t.client());  // a bystander: never listed
    auto sorted = [](std::vector<SocketId> v) {
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
        return v;
    };
    StackOutput o;
    SocketId c = t.client().socket(SocketType::Tcp, t.net.now, o).value;
    CHECK(sorted(o.changed) == std::vector<SocketId>{c});
    o.clear();
    REQUIRE(t.client().connect(c, ep("192.168.1.20", 80), t.net.now, o).would_block_now());
    CHECK(sorted(o.changed) == std::vector<SocketId>{c});
    REQUIRE(o.transmit.size() == 1);
    Ipv4Packet syn = o.transmit[0].packet;

    // The SYN reaches the listener: a new child in SYN-RECEIVED; the listener's row is unchanged.
    StackOutput s;
    t.server.receive(0, syn, t.net.now, s);
    SocketId child = l + 1;
    REQUIRE(t.server.state_of(child) == TcpState::SynReceived);
    CHECK(sorted(s.changed) == std::vector<SocketId>{child});

    // close() in SYN-SENT: the socket is gone, and listed.
    o.clear();
    REQUIRE(t.client().close(c, t.net.now, o).is_ok());
    CHECK_FALSE(t.client().socket_info(c));
    CHECK(sorted(o.changed) == std::vector<SocketId>{c});
    CHECK(t.client().socket_info(idle));
}
