// HostStack: the routing decision, router forwarding (TTL, ICMP errors), ICMP echo, and hostile
// bytes into receive_bytes.
#include <doctest/doctest.h>

#include "model/rng.hpp"
#include "model/wire/wire.hpp"
#include "test_host_harness.hpp"

using namespace netstep;
using namespace netstep::test;

namespace {


Ipv4Packet udp_packet(const char* src, const char* dst, uint8_t ttl) {
    Ipv4Packet p;
    p.src = ip(src);
    p.dst = ip(dst);
    p.ttl = ttl;
    p.id = 7;
    p.body = UdpDatagram{40000, 9999, bytes("hello")};
    return p;
}

}  // namespace

TEST_CASE("host: route: local, on-link, via gateway, none") {
    HostStack h("pc", {iface("lan", "192.168.1.10/24", "192.168.1.1")}, Profile::textbook(), 1);
    auto on_link = h.route(ip("192.168.1.20"));
    REQUIRE(on_link);
    CHECK_FALSE(on_link->local);
    CHECK(on_link->interface == 0);
    CHECK(on_link->next_hop == ip("192.168.1.20"));

    auto remote = h.route(ip("93.184.216.34"));
    REQUIRE(remote);
    CHECK(remote->next_hop == ip("192.168.1.1"));

    CHECK(h.route(ip("192.168.1.10"))->local);
    CHECK(h.route(ip("127.0.0.1"))->local);
    CHECK(h.route(ip("127.1.2.3"))->local);

    HostStack isolated("lab", {iface("lab", "10.1.0.5/16")}, Profile::textbook(), 1);
    CHECK_FALSE(isolated.route(ip("8.8.8.8")));
    CHECK(isolated.route(ip("10.1.200.1"))->next_hop == ip("10.1.200.1"));
}

TEST_CASE("host: route: on-link beats the gateway: the first interface with a gateway wins") {
    HostStack h("pc", {iface("lab", "10.0.0.5/24"), iface("wifi", "192.168.1.10/24", "192.168.1.1")},
                Profile::textbook(), 1);
    CHECK(h.route(ip("10.0.0.9"))->interface == 0);
    CHECK(h.route(ip("192.168.1.30"))->interface == 1);
    auto r = h.route(ip("1.1.1.1"));
    REQUIRE(r);
    CHECK(r->interface == 1);
    CHECK(r->next_hop == ip("192.168.1.1"));
}

TEST_CASE("host: no route: sendto and connect fail with ENETUNREACH") {
    Net net;
    HostStack& h = net.add("lab", {iface("lab", "10.1.0.5/16")});
    auto u = net.call(h, [](HostStack& s, StackOutput& o) { return s.socket(SocketType::Udp, {}, o); });
    auto r = net.call(h, [&](HostStack& s, StackOutput& o) {
        return s.sendto(u.value, bytes("x"), ep("8.8.8.8", 53), {}, o);
    });
    CHECK(r.is_error());
    CHECK(r.err == Err::NetUnreach);

    auto t = net.call(h, [](HostStack& s, StackOutput& o) { return s.socket(SocketType::Tcp, {}, o); });
    auto c = net.call(h, [&](HostStack& s, StackOutput& o) { return s.connect(t.value, ep("8.8.8.8", 80), {}, o); });
    CHECK(c.err == Err::NetUnreach);
    CHECK(net.sent.empty());
}

TEST_CASE("host: a router forwards through its gateway with the TTL decremented") {
    Routed r;
    auto s = r.net.call(r.server, [](HostStack& h, StackOutput& o) { return h.socket(SocketType::Udp, {}, o); });
    r.net.call(r.server, [&](HostStack& h, StackOutput& o) { return h.bind(s.value, ep("0.0.0.0", 9999), {}, o); });
    auto c = r.net.call(r.client, [](HostStack& h, StackOutput& o) { return h.socket(SocketType::Udp, {}, o); });
    auto sent = r.net.call(r.client, [&](HostStack& h, StackOutput& o) {
        return h.sendto(c.value, bytes("ping"), ep("10.0.0.20", 9999), {}, o);
    });
    REQUIRE(sent.is_ok());
    r.net.run_for(Duration::millis(10));

    REQUIRE(r.net.sent.size() == 2);  // client -> router, router -> server
    CHECK(r.net.sent[0].packet.ttl == 64);
    CHECK(r.net.sent[1].packet.ttl == 63);
    CHECK(r.net.sent[1].packet.src == ip("192.168.1.10"));  // a router keeps the addresses
    auto got = r.net.call(r.server, [&](HostStack& h, StackOutput& o) { return h.recvfrom(s.value, r.net.now, o); });
    REQUIRE(got.is_ok());
    CHECK(text(got.value.data) == "ping");
    CHECK(got.value.from.address == ip("192.168.1.10"));
}

TEST_CASE("host: a router drops TTL 1 and sends ICMP time exceeded to the source") {
    Routed r;
    for (uint8_t ttl : {uint8_t(1), uint8_t(0)}) {
        StackOutput out;
        Ipv4Packet p = udp_packet("192.168.1.10", "10.0.0.20", ttl);
        r.router.receive(0, p, Instant::zero(), out);
        REQUIRE(out.transmit.size() == 1);
        const auto& t = out.transmit[0];
        CHECK(t.next_hop == ip("192.168.1.10"));
        CHECK(t.packet.src == ip("192.168.1.1"));
        CHECK(t.packet.dst == ip("192.168.1.10"));
        const auto* icmp = t.packet.icmp();
        REQUIRE(icmp);
        CHECK(icmp->type == icmp_type::TIME_EXCEEDED);
        CHECK(icmp->code == icmp_code::TTL_EXCEEDED);
        // RFC 792: the IP header and the first 8 bytes of the datagram.
        Bytes expected = wire::emit(p);
        expected.resize(28);
        CHECK(icmp->data == expected);
    }
}

TEST_CASE("host: a router with no route answers ICMP net unreachable") {
    HostStack router("router", {iface("lan", "192.168.1.1/24"), iface("wan", "10.0.0.1/24")}, Profile{}, 1, true);
    StackOutput out;
    router.receive(0, udp_packet("192.168.1.10", "172.16.0.1", 64), Instant::zero(), out);
    REQUIRE(out.transmit.size() == 1);
    const auto* icmp = out.transmit[0].packet.icmp();
    REQUIRE(icmp);
    CHECK(icmp->type == icmp_type::DEST_UNREACHABLE);
    CHECK(icmp->code == icmp_code::NET_UNREACHABLE);
}

TEST_CASE("host: no ICMP error about an ICMP error (RFC 1122 §3.2.2)") {
    HostStack router("router", {iface("lan", "192.168.1.1/24"), iface("wan", "10.0.0.1/24")}, Profile{}, 1, true);
    Ipv4Packet p = udp_packet("192.168.1.10", "10.0.0.20", 1);
    p.body = IcmpMessage{icmp_type::DEST_UNREACHABLE, icmp_code::PORT_UNREACHABLE, 0, 0, Bytes(28, 0x45)};
    StackOutput out;
    router.receive(0, p, Instant::zero(), out);
    CHECK(out.transmit.empty());
}

TEST_CASE("host: a host that is not a router drops packets for others") {
    HostStack h("pc", {iface("lan", "192.168.1.10/24", "192.168.1.1")}, Profile{}, 1);
    StackOutput out;
    h.receive(0, udp_packet("192.168.1.20", "192.168.1.30", 64), Instant::zero(), out);
    CHECK(out.transmit.empty());
    REQUIRE(out.events.size() == 1);
    CHECK(std::get<Rejected>(out.events[0].what).reason == "not for this host");
}

TEST_CASE("host: echo request gets an echo reply") {
    HostStack h("pc", {iface("lan", "192.168.1.10/24")}, Profile{}, 1);
    Ipv4Packet p = udp_packet("192.168.1.20", "192.168.1.10", 64);
    p.body = IcmpMessage{icmp_type::ECHO_REQUEST, 0, 0x1234, 3, bytes("abcdefgh")};
    StackOutput out;
    h.receive(0, p, Instant::zero(), out);
    REQUIRE(out.transmit.size() == 1);
    const auto& reply = out.transmit[0].packet;
    CHECK(reply.src == ip("192.168.1.10"));
    CHECK(reply.dst == ip("192.168.1.20"));
    CHECK(*reply.icmp() == IcmpMessage{icmp_type::ECHO_REPLY, 0, 0x1234, 3, bytes("abcdefgh")});
}

TEST_CASE("host: hostile bytes into receive_bytes are rejected, never a crash") {
    HostStack h("pc", {iface("lan", "192.168.1.10/24", "192.168.1.1")}, Profile{}, 1, true);
    Ipv4Packet good = udp_packet("192.168.1.20", "192.168.1.10", 64);
    Bytes wire_bytes = wire::emit(good);

    SUBCASE("a corrupted checksum") {
        Bytes b = wire_bytes;
        b.back() ^= 0xFF;  // payload byte: UDP checksum no longer matches
        StackOutput out;
        h.receive_bytes(0, b, Instant::zero(), out);
        REQUIRE(out.events.size() == 1);
        const auto* rej = std::get_if<Rejected>(&out.events[0].what);
        REQUIRE(rej);
        CHECK(rej->reason.find("checksum") != std::string::npos);
        CHECK(out.transmit.empty());
    }
    SUBCASE("every truncation, every bit flip, random garbage") {
        StackOutput out;
        for (size_t n = 0; n <= wire_bytes.size(); ++n)
            h.receive_bytes(0, std::span(wire_bytes).first(n), Instant::zero(), out);
        for (size_t bit = 0; bit < wire_bytes.size() * 8; ++bit) {
            Bytes b = wire_bytes;
            b[bit / 8] ^= uint8_t(1u << (bit % 8));
            h.receive_bytes(0, b, Instant::zero(), out);
        }
        SplitMix64 rng(42);
        for (int i = 0; i < 2000; ++i) {
            Bytes b(rng.next() % 80);
            for (auto& x : b) x = uint8_t(rng.next());
            if (b.size() >= 1 && i % 2) b[0] = 0x45;  // look like IPv4 more often
            h.receive_bytes(0, b, Instant::zero(), out);
        }
        CHECK(out.events.size() > 0);
    }
}
