// HostStack: ping sockets (ICMP echo, RFC 792): identifiers, echo request and reply with the same
// identifier and sequence number, a TTL per request, ICMP time exceeded and destination
// unreachable quoting the request and delivered to the socket that sent it.
#include <doctest/doctest.h>

#include "model/wire/wire.hpp"
#include "test_host_harness.hpp"

using namespace netstep;
using namespace netstep::test;

namespace {

// The routed fixture (test_host_harness.hpp), with a ping sent by the client.
struct PingRouted : Routed {

    CallResult<> send(PingSocketId s, const char* to, uint16_t seq, uint8_t ttl, const Bytes& data = bytes("abcd")) {
        return net.call(client, [&](HostStack& h, StackOutput& o) { return h.ping_send(s, ip(to), seq, ttl, data, net.now, o); });
    }
};

}  // namespace

TEST_CASE("ping: each socket gets its own identifier, the first free from 1") {
    HostStack h("pc", {iface("lan", "192.168.1.10/24")}, Profile{}, 1);
    auto a = h.ping_open();
    auto b = h.ping_open();
    REQUIRE(a.is_ok());
    REQUIRE(b.is_ok());
    CHECK(h.ping_identifier(a.value) == 1);
    CHECK(h.ping_identifier(b.value) == 2);
    CHECK(h.ping_close(a.value).is_ok());
    CHECK(h.ping_close(a.value).err == Err::BadF);
    auto c = h.ping_open();
    CHECK(h.ping_identifier(c.value) == 1);
    CHECK(h.ping_recv(b.value).would_block_now());
    CHECK(h.sockets().empty());  // not in the socket table: netstat shows no ping socket
}

TEST_CASE("ping: the echo reply carries the request's identifier, sequence number and data (RFC 792)") {
    PingRouted r;
    auto s = r.client.ping_open();
    r.client.ping_open();  // a second socket: identifier 2, must not get the reply
    REQUIRE(r.send(s.value, "10.0.0.20", 7, 64).is_ok());
    r.net.run_for(Duration::millis(10));

    REQUIRE(r.net.sent.size() == 4);  // request: client, router; reply: server, router
    const Ipv4Packet& request = r.net.sent[0].packet;
    CHECK(request.ttl == 64);
    CHECK(*request.icmp() == IcmpMessage{icmp_type::ECHO_REQUEST, 0, 1, 7, bytes("abcd")});
    const Ipv4Packet& reply = r.net.sent[2].packet;
    CHECK(reply.src == ip("10.0.0.20"));
    CHECK(reply.dst == ip("192.168.1.10"));
    CHECK(*reply.icmp() == IcmpMessage{icmp_type::ECHO_REPLY, 0, 1, 7, bytes("abcd")});

    auto got = r.client.ping_recv(s.value);
    REQUIRE(got.is_ok());
    CHECK(got.value.kind == PingAnswer::Kind::EchoReply);
    CHECK(got.value.from == ip("10.0.0.20"));
    CHECK(got.value.sequence == 7);
    CHECK(got.value.ttl == 63);  // one router on the way back
    CHECK(got.value.data_bytes == 4);
    CHECK(r.client.ping_recv(s.value).would_block_now());
}

TEST_CASE("ping: a reply with another identifier is not this socket's") {
    HostStack h("pc", {iface("lan", "192.168.1.10/24")}, Profile{}, 1);
    auto s = h.ping_open();
    Ipv4Packet p;
    p.src = ip("192.168.1.20");
    p.dst = ip("192.168.1.10");
    p.body = IcmpMessage{icmp_type::ECHO_REPLY, 0, 99, 1, bytes("x")};
    StackOutput out;
    h.receive(0, p, Instant::zero(), out);
    CHECK(h.ping_recv(s.value).would_block_now());
    REQUIRE(out.events.size() == 1);
    CHECK(std::get<Note>(out.events[0].what).text == "ICMP echo reply id=99 from 192.168.1.20 ignored (no ping socket)");
}

TEST_CASE("ping: TTL 1 expires at the router: time exceeded quotes the request and reaches its socket") {
    PingRouted r;
    auto other = r.client.ping_open();
    auto s = r.client.ping_open();
    REQUIRE(r.send(s.value, "10.0.0.20", 3, 1).is_ok());
    const Ipv4Packet request = r.net.sent[0].packet;
    r.net.run_for(Duration::millis(10));

    REQUIRE(r.net.sent.size() == 2);  // the request, the router's answer: nothing reached the server
    const Ipv4Packet& answer = r.net.sent[1].packet;
    CHECK(answer.src == ip("192.168.1.1"));  // the router's address on the way back
    CHECK(answer.dst == ip("192.168.1.10"));
    const IcmpMessage* icmp = answer.icmp();
    REQUIRE(icmp);
    CHECK(icmp->type == icmp_type::TIME_EXCEEDED);
    CHECK(icmp->code == icmp_code::TTL_EXCEEDED);
    // RFC 792: the request's IP header and its first 8 bytes: type, code, checksum, id, sequence.
    Bytes quote = wire::emit(request);
    quote.resize(28);
    CHECK(icmp->data == quote);
    CHECK(icmp->data[20] == icmp_type::ECHO_REQUEST);
    CHECK(icmp->data[24] == 0);
    CHECK(icmp->data[25] == 2);  // identifier 2
    CHECK(icmp->data[27] == 3);  // sequence 3

    CHECK(r.client.ping_recv(other.value).would_block_now());
    auto got = r.client.ping_recv(s.value);
    REQUIRE(got.is_ok());
    CHECK(got.value.kind == PingAnswer::Kind::TimeExceeded);
    CHECK(got.value.from == ip("192.168.1.1"));
    CHECK(got.value.sequence == 3);
    CHECK(r.net.has_note("ICMP time exceeded from 192.168.1.1 about echo request id=2 seq=3: to its ping socket"));
}

TEST_CASE("ping: TTL 2 passes the router: it is decremented, and the server's reply comes back") {
    PingRouted r;
    auto s = r.client.ping_open();
    REQUIRE(r.send(s.value, "10.0.0.20", 1, 2).is_ok());
    r.net.run_for(Duration::millis(10));
    REQUIRE(r.net.sent.size() == 4);
    CHECK(r.net.sent[1].packet.ttl == 1);  // forwarded by the router
    auto got = r.client.ping_recv(s.value);
    REQUIRE(got.is_ok());
    CHECK(got.value.kind == PingAnswer::Kind::EchoReply);
}

TEST_CASE("ping: net unreachable from the router reaches the socket, no route at all is ENETUNREACH") {
    PingRouted r;
    auto s = r.client.ping_open();
    REQUIRE(r.send(s.value, "172.16.0.9", 5, 64).is_ok());  // the router has no route there
    r.net.run_for(Duration::millis(10));
    auto got = r.client.ping_recv(s.value);
    REQUIRE(got.is_ok());
    CHECK(got.value.kind == PingAnswer::Kind::Unreachable);
    CHECK(got.value.code == icmp_code::NET_UNREACHABLE);
    CHECK(got.value.from == ip("192.168.1.1"));
    CHECK(got.value.sequence == 5);

    HostStack alone("pc", {iface("lan", "192.168.1.10/24")}, Profile{}, 1);  // no gateway
    auto a = alone.ping_open();
    StackOutput out;
    CHECK(alone.ping_send(a.value, ip("10.0.0.20"), 1, 64, bytes("x"), Instant::zero(), out).err == Err::NetUnreach);
    CHECK(out.transmit.empty());
    CHECK(alone.ping_send(a.value, ip("192.168.1.20"), 1, 0, bytes("x"), Instant::zero(), out).err == Err::Inval);
    CHECK(alone.ping_send(99, ip("192.168.1.20"), 1, 64, bytes("x"), Instant::zero(), out).err == Err::BadF);
}

TEST_CASE("ping: an error quoting someone else's request is not delivered") {
    HostStack h("pc", {iface("lan", "192.168.1.10/24", "192.168.1.1")}, Profile{}, 1);
    auto s = h.ping_open();
    Ipv4Packet request;
    request.src = ip("192.168.1.99");  // not ours
    request.dst = ip("10.0.0.20");
    request.body = IcmpMessage{icmp_type::ECHO_REQUEST, 0, 1, 1, bytes("x")};
    Bytes quote = wire::emit(request);
    quote.resize(28);
    Ipv4Packet error;
    error.src = ip("192.168.1.1");
    error.dst = ip("192.168.1.10");
    error.body = IcmpMessage{icmp_type::TIME_EXCEEDED, 0, 0, 0, quote};
    StackOutput out;
    h.receive(0, error, Instant::zero(), out);
    CHECK(h.ping_recv(s.value).would_block_now());
    CHECK(out.transmit.empty());  // no ICMP error about an ICMP error
}

TEST_CASE("ping: to our own address, the reply is delivered inside the call") {
    HostStack h("pc", {iface("lan", "192.168.1.10/24")}, Profile{}, 1);
    auto s = h.ping_open();
    StackOutput out;
    REQUIRE(h.ping_send(s.value, ip("192.168.1.10"), 1, 64, bytes("me"), Instant::zero(), out).is_ok());
    CHECK(out.transmit.empty());
    auto got = h.ping_recv(s.value);
    REQUIRE(got.is_ok());
    CHECK(got.value.kind == PingAnswer::Kind::EchoReply);
    CHECK(got.value.from == ip("192.168.1.10"));
}

TEST_CASE("udp: IP_TTL sets the datagrams' TTL, IP_RECVERR queues time exceeded and port unreachable") {
    PingRouted r;
    auto s = r.net.call(r.client, [](HostStack& h, StackOutput& o) { return h.socket(SocketType::Udp, {}, o); });
    CHECK(r.client.set_ttl(s.value, 0).err == Err::Inval);
    REQUIRE(r.client.set_ttl(s.value, 1).is_ok());
    REQUIRE(r.client.set_recverr(s.value, true).is_ok());
    CHECK(r.client.recv_error(s.value).would_block_now());
    auto send = [&](uint16_t port) {
        return r.net.call(r.client, [&](HostStack& h, StackOutput& o) {
            return h.sendto(s.value, bytes("probe"), ep("10.0.0.20", port), r.net.now, o);
        });
    };
    REQUIRE(send(33434).is_ok());
    CHECK(r.net.sent[0].packet.ttl == 1);
    r.net.run_for(Duration::millis(10));
    auto e = r.client.recv_error(s.value);
    REQUIRE(e.is_ok());
    CHECK(e.value.from == ip("192.168.1.1"));
    CHECK(e.value.type == icmp_type::TIME_EXCEEDED);
    CHECK(e.value.quoted_dst == ep("10.0.0.20", 33434));

    REQUIRE(r.client.set_ttl(s.value, 2).is_ok());
    REQUIRE(send(33435).is_ok());
    r.net.run_for(Duration::millis(10));
    e = r.client.recv_error(s.value);
    REQUIRE(e.is_ok());
    CHECK(e.value.from == ip("10.0.0.20"));  // nobody listens there: port unreachable
    CHECK(e.value.type == icmp_type::DEST_UNREACHABLE);
    CHECK(e.value.code == icmp_code::PORT_UNREACHABLE);
    CHECK(e.value.quoted_dst == ep("10.0.0.20", 33435));
    CHECK(e.value.ttl == 63);
    CHECK(r.client.recv_error(s.value).would_block_now());
    // The socket is unconnected: without IP_RECVERR nothing would have reached it, and its calls
    // report no error.
    auto got = r.net.call(r.client, [&](HostStack& h, StackOutput& o) { return h.recvfrom(s.value, r.net.now, o); });
    CHECK(got.would_block_now());
}

TEST_CASE("udp: without IP_RECVERR an unconnected socket hears of no ICMP error (as before)") {
    PingRouted r;
    auto s = r.net.call(r.client, [](HostStack& h, StackOutput& o) { return h.socket(SocketType::Udp, {}, o); });
    REQUIRE(r.client.set_ttl(s.value, 1).is_ok());
    r.net.call(r.client, [&](HostStack& h, StackOutput& o) {
        return h.sendto(s.value, bytes("probe"), ep("10.0.0.20", 33434), r.net.now, o);
    });
    r.net.run_for(Duration::millis(10));
    CHECK(r.client.recv_error(s.value).would_block_now());
    CHECK(r.net.has_note("ignored (socket not connected)"));
    auto tcp = r.net.call(r.client, [](HostStack& h, StackOutput& o) { return h.socket(SocketType::Tcp, {}, o); });
    CHECK(r.client.set_ttl(tcp.value, 5).err == Err::OpNotSupp);
    CHECK(r.client.set_recverr(tcp.value, true).err == Err::OpNotSupp);
}
