// HostStack, UDP: message boundaries, connected sockets, ICMP port unreachable both ways,
// size limits, the receive queue limit, loopback.
#include <doctest/doctest.h>

#include "model/wire/wire.hpp"
#include "test_host_harness.hpp"

using namespace netstep;
using namespace netstep::test;

namespace {

struct Lan {
    Net net;
    HostStack& a = net.add("alice", {iface("lan", "192.168.1.10/24", "192.168.1.1")});
    HostStack& b = net.add("bob", {iface("lan", "192.168.1.20/24", "192.168.1.1")});

    SocketId udp(HostStack& h) {
        return net.call(h, [&](HostStack& s, StackOutput& o) { return s.socket(SocketType::Udp, net.now, o); }).value;
    }
    CallResult<> bind(HostStack& h, SocketId s, uint16_t port) {
        return net.call(h, [&](HostStack& x, StackOutput& o) { return x.bind(s, ep("0.0.0.0", port), net.now, o); });
    }
    CallResult<> connect(HostStack& h, SocketId s, Endpoint to) {
        return net.call(h, [&](HostStack& x, StackOutput& o) { return x.connect(s, to, net.now, o); });
    }
    CallResult<size_t> sendto(HostStack& h, SocketId s, std::string_view data, Endpoint to) {
        return net.call(h, [&](HostStack& x, StackOutput& o) { return x.sendto(s, bytes(data), to, net.now, o); });
    }
    CallResult<size_t> send(HostStack& h, SocketId s, std::string_view data) {
        return net.call(h, [&](HostStack& x, StackOutput& o) { return x.send(s, bytes(data), net.now, o); });
    }
    CallResult<Datagram> recvfrom(HostStack& h, SocketId s) {
        return net.call(h, [&](HostStack& x, StackOutput& o) { return x.recvfrom(s, net.now, o); });
    }
    CallResult<Bytes> recv(HostStack& h, SocketId s, size_t max = 65535) {
        return net.call(h, [&](HostStack& x, StackOutput& o) { return x.recv(s, max, net.now, o); });
    }
};

}  // namespace

TEST_CASE("host: UDP exchange keeps message boundaries") {
    Lan l;
    SocketId server = l.udp(l.b);
    REQUIRE(l.bind(l.b, server, 9000).is_ok());
    SocketId client = l.udp(l.a);
    CHECK(l.sendto(l.a, client, "hello", ep("192.168.1.20", 9000)).value == 5);
    CHECK(l.sendto(l.a, client, "world!", ep("192.168.1.20", 9000)).value == 6);
    uint16_t client_port = l.a.socket_info(client)->local.port;
    CHECK(client_port >= Profile::textbook().ephemeral_first);  // sendto bound an ephemeral port
    CHECK(l.recvfrom(l.b, server).would_block_now());            // nothing arrived yet
    l.net.run_for(Duration::millis(5));

    CHECK(l.b.socket_info(server)->recv_queued == 2);
    auto first = l.recvfrom(l.b, server);
    auto second = l.recvfrom(l.b, server);
    REQUIRE(first.is_ok());
    REQUIRE(second.is_ok());
    CHECK(text(first.value.data) == "hello");
    CHECK(text(second.value.data) == "world!");
    CHECK(first.value.from == ep("192.168.1.10", client_port));
    CHECK(l.recvfrom(l.b, server).would_block_now());

    // The reply goes back to the sender's endpoint; recv() with a small buffer truncates.
    REQUIRE(l.sendto(l.b, server, "reply", first.value.from).is_ok());
    l.net.run_for(Duration::millis(5));
    auto got = l.recv(l.a, client, 3);
    REQUIRE(got.is_ok());
    CHECK(text(got.value) == "rep");
    CHECK(l.recv(l.a, client).would_block_now());  // the rest of that datagram is gone
}

TEST_CASE("host: UDP send needs a peer: sizes over 65507 bytes are EMSGSIZE") {
    Lan l;
    SocketId s = l.udp(l.a);
    CHECK(l.send(l.a, s, "x").err == Err::DestAddrReq);
    std::string big(65508, 'x');
    CHECK(l.sendto(l.a, s, big, ep("192.168.1.20", 9)).err == Err::MsgSize);
    big.pop_back();
    CHECK(l.sendto(l.a, s, big, ep("192.168.1.20", 9)).is_ok());
}

TEST_CASE("host: UDP to a closed port: ICMP port unreachable quoting the datagram") {
    Lan l;
    SocketId s = l.udp(l.a);
    REQUIRE(l.sendto(l.a, s, "anyone?", ep("192.168.1.20", 9999)).is_ok());
    l.net.run_for(Duration::millis(5));
    REQUIRE(l.net.sent.size() == 2);
    const Ipv4Packet& datagram = l.net.sent[0].packet;
    const Ipv4Packet& reply = l.net.sent[1].packet;
    CHECK(reply.src == ip("192.168.1.20"));
    CHECK(reply.dst == ip("192.168.1.10"));
    const auto* icmp = reply.icmp();
    REQUIRE(icmp);
    CHECK(icmp->type == icmp_type::DEST_UNREACHABLE);
    CHECK(icmp->code == icmp_code::PORT_UNREACHABLE);
    Bytes quoted = wire::emit(datagram);
    quoted.resize(20 + 8);  // RFC 1122 §4.1.3.1 / RFC 792: IP header + first 8 bytes
    CHECK(icmp->data == quoted);
    CHECK(l.net.has_note("ICMP port unreachable sent"));

    // The unconnected sender hears nothing (Linux): just a note in the trace.
    CHECK(l.recvfrom(l.a, s).would_block_now());
    CHECK(l.sendto(l.a, s, "again", ep("192.168.1.20", 9999)).is_ok());
    CHECK(l.net.has_note("socket not connected"));
}

TEST_CASE("host: a connected UDP socket gets ECONNREFUSED once after port unreachable") {
    Lan l;
    SocketId s = l.udp(l.a);
    REQUIRE(l.connect(l.a, s, ep("192.168.1.20", 9999)).is_ok());
    REQUIRE(l.send(l.a, s, "anyone?").is_ok());
    l.net.run_for(Duration::millis(5));
    CHECK(l.a.socket_error(s) == Err::ConnRefused);
    auto r = l.recv(l.a, s);
    CHECK(r.is_error());
    CHECK(r.err == Err::ConnRefused);
    CHECK(l.recv(l.a, s).would_block_now());  // reported once

    // Same again through send().
    REQUIRE(l.send(l.a, s, "still?").is_ok());
    l.net.run_for(Duration::millis(5));
    CHECK(l.send(l.a, s, "x").err == Err::ConnRefused);
    CHECK(l.send(l.a, s, "x").is_ok());
}

TEST_CASE("host: a connected UDP socket accepts only its peer's datagrams") {
    Net net;
    HostStack& a = net.add("a", {iface("lan", "192.168.1.10/24")});
    HostStack& b = net.add("b", {iface("lan", "192.168.1.20/24")});
    HostStack& c = net.add("c", {iface("lan", "192.168.1.30/24")});
    auto sock = [&](HostStack& h) {
        return net.call(h, [&](HostStack& x, StackOutput& o) { return x.socket(SocketType::Udp, net.now, o); }).value;
    };
    SocketId sa = sock(a), sb = sock(b), sc = sock(c);
    net.call(a, [&](HostStack& x, StackOutput& o) { return x.bind(sa, ep("0.0.0.0", 7000), net.now, o); });
    net.call(a, [&](HostStack& x, StackOutput& o) { return x.connect(sa, ep("192.168.1.20", 7000), net.now, o); });
    net.call(b, [&](HostStack& x, StackOutput& o) { return x.bind(sb, ep("0.0.0.0", 7000), net.now, o); });
    net.call(b, [&](HostStack& x, StackOutput& o) { return x.sendto(sb, bytes("from b"), ep("192.168.1.10", 7000), net.now, o); });
    net.call(c, [&](HostStack& x, StackOutput& o) { return x.sendto(sc, bytes("from c"), ep("192.168.1.10", 7000), net.now, o); });
    net.run_for(Duration::millis(5));
    auto got = net.call(a, [&](HostStack& x, StackOutput& o) { return x.recv(sa, 100, net.now, o); });
    REQUIRE(got.is_ok());
    CHECK(text(got.value) == "from b");
    CHECK(net.call(a, [&](HostStack& x, StackOutput& o) { return x.recv(sa, 100, net.now, o); }).would_block_now());
    CHECK(net.has_note("ICMP port unreachable sent"));  // c's datagram found no socket
}

TEST_CASE("host: a full UDP receive queue drops datagrams with a note") {
    Lan l;
    SocketId server = l.udp(l.b);
    REQUIRE(l.bind(l.b, server, 9000).is_ok());
    SocketId client = l.udp(l.a);
    for (int i = 0; i < 70; ++i) REQUIRE(l.sendto(l.a, client, "d" + std::to_string(i), ep("192.168.1.20", 9000)).is_ok());
    l.net.run_for(Duration::millis(5));
    CHECK(l.b.socket_info(server)->recv_queued == 64);
    CHECK(l.net.has_note("receive queue full"));
    CHECK(text(l.recvfrom(l.b, server).value.data) == "d0");
}

TEST_CASE("host: UDP to ourselves is delivered inside the host") {
    Lan l;
    SocketId server = l.udp(l.a);
    REQUIRE(l.bind(l.a, server, 5000).is_ok());
    SocketId client = l.udp(l.a);
    REQUIRE(l.sendto(l.a, client, "lo", ep("127.0.0.1", 5000)).is_ok());
    REQUIRE(l.sendto(l.a, client, "me", ep("192.168.1.10", 5000)).is_ok());
    CHECK(l.net.sent.empty());
    auto first = l.recvfrom(l.a, server);
    REQUIRE(first.is_ok());
    CHECK(text(first.value.data) == "lo");
    CHECK(first.value.from.address == ip("127.0.0.1"));
    CHECK(l.recvfrom(l.a, server).value.from.address == ip("192.168.1.10"));
}
