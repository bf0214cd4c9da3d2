// HostStack with the link layer on: Ethernet frames out, ARP before the first packet to a
// neighbour, requests answered, resolution failure (EHOSTUNREACH, ICMP host unreachable from a
// router), the Linux neighbour states through real traffic, a switch between the hosts, and the
// link layer off by default.
#include <doctest/doctest.h>

#include "test_link_harness.hpp"

using namespace netstep;
using namespace netstep::test;

namespace {

const MacAddress kClientMac = *MacAddress::parse("02:00:00:00:00:0a");
const MacAddress kServerMac = *MacAddress::parse("02:00:00:00:00:14");
const MacAddress kRouterLanMac = *MacAddress::parse("02:00:00:00:00:01");

Instant at_ms(int64_t ms) { return Instant::zero() + Duration::millis(ms); }
Instant at_s(int64_t s) { return Instant::zero() + Duration::seconds(s); }

// client 192.168.1.10 and server 192.168.1.20 (listening on 80) on one segment.
struct Lan {
    FrameNet net;
    HostStack& client;
    HostStack& server;
    SocketId listener = 0;

    explicit Lan(Profile p)
        : client(net.add("client", {iface("lan", "192.168.1.10/24")}, p)),
          server(net.add("server", {iface("lan", "192.168.1.20/24")}, p)) {
        client.set_mac(0, kClientMac);
        server.set_mac(0, kServerMac);
        listener = net.call(server, [](HostStack& h, StackOutput& o) { return h.socket(SocketType::Tcp, {}, o); }).value;
        net.call(server, [&](HostStack& h, StackOutput& o) { return h.bind(listener, ep("0.0.0.0", 80), {}, o); });
        net.call(server, [&](HostStack& h, StackOutput& o) { return h.listen(listener, 8, {}, o); });
    }

    SocketId connect(const char* to) {
        SocketId s = net.call(client, [&](HostStack& h, StackOutput& o) { return h.socket(SocketType::Tcp, net.now, o); }).value;
        auto r = net.call(client, [&](HostStack& h, StackOutput& o) { return h.connect(s, ep(to, 80), net.now, o); });
        CHECK(r.would_block_now());
        return s;
    }
    CallResult<> progress(SocketId s, const char* to) {
        return net.call(client, [&](HostStack& h, StackOutput& o) { return h.connect(s, ep(to, 80), net.now, o); });
    }
};

bool has_error(const std::vector<StackEvent>& events, Err err) {
    for (const auto& e : events)
        if (const auto* c = std::get_if<ConnectionError>(&e.what); c && c->err == err) return true;
    return false;
}

}  // namespace

TEST_CASE("host arp: off by default: IPv4 packets out, no frames, no cache, but MACs derived") {
    Profile p = Profile::textbook();
    CHECK_FALSE(p.link_layer);
    CHECK_FALSE(Profile::linux().link_layer);
    CHECK_FALSE(Profile{}.link_layer);
    HostStack h("pc", {iface("lan", "192.168.1.10/24")}, p, 1);
    StackOutput out;
    auto u = h.socket(SocketType::Udp, {}, out);
    h.sendto(u.value, bytes("x"), ep("192.168.1.20", 9), {}, out);
    CHECK(out.transmit.size() == 1);
    CHECK(out.frames.empty());
    CHECK(h.arp_table().empty());
    CHECK(h.mac(0) == derive_mac(1, "pc", 0));
    out.clear();
    h.receive_frame(0, EthernetFrame{MacAddress::broadcast(), kServerMac,
                                     ArpPacket::request(kServerMac, ip("192.168.1.20"), ip("192.168.1.10"))},
                    {}, out);
    CHECK(out.frames.empty());
    CHECK(out.events.empty());
}

TEST_CASE("host arp: the first packet to a neighbour waits for ARP, the reply releases the SYN, the next connection needs no ARP") {
    for (Profile p : {Profile::textbook(), Profile::linux()}) {
        CAPTURE(p.name());
        Lan lan(p);
        SocketId s = lan.connect("192.168.1.20");
        REQUIRE(lan.net.sent.size() == 1);  // the SYN waits: only the request left
        const auto& req = lan.net.sent[0].frame;
        CHECK(req.dst == MacAddress::broadcast());
        CHECK(req.src == kClientMac);
        REQUIRE(req.arp());
        CHECK(*req.arp() == ArpPacket::request(kClientMac, ip("192.168.1.10"), ip("192.168.1.20")));
        CHECK(req.arp()->target_mac == MacAddress::zero());
        CHECK(req.to_string() == "02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff, ARP, Request who-has 192.168.1.20 tell 192.168.1.10");
        auto row = lan.client.neighbour(0, ip("192.168.1.20"));
        REQUIRE(row);
        CHECK(row->state == NeighbourState::Incomplete);
        CHECK(row->queued == 1);

        lan.net.run_until(at_ms(100));
        CHECK(lan.progress(s, "192.168.1.20").is_ok());
        const auto& sent = lan.net.sent;
        REQUIRE(sent.size() >= 5);
        // The server answers to the asker alone, and knows the asker from its request: its
        // SYN-ACK needs no ARP of its own.
        CHECK(sent[1].frame.to_string() == "02:00:00:00:00:14 > 02:00:00:00:00:0a, ARP, Reply 192.168.1.20 is-at 02:00:00:00:00:14");
        CHECK(sent[1].at == at_ms(1));
        CHECK(*sent[1].frame.arp() == ArpPacket::reply(kServerMac, ip("192.168.1.20"), kClientMac, ip("192.168.1.10")));
        REQUIRE(sent[2].frame.ipv4());
        CHECK(sent[2].at == at_ms(2));
        CHECK(sent[2].frame.dst == kServerMac);
        CHECK(sent[2].frame.ipv4()->tcp()->flags == tcp_flag::SYN);
        CHECK(sent[3].frame.dst == kClientMac);
        CHECK(sent[3].frame.ipv4()->tcp()->flags == (tcp_flag::SYN | tcp_flag::ACK));
        CHECK(lan.net.arp_frames().size() == 2);

        auto table = lan.client.arp_table();
        REQUIRE(table.size() == 1);
        CHECK(table[0].interface == 0);
        CHECK(table[0].neighbour.address == ip("192.168.1.20"));
        CHECK(table[0].neighbour.mac == kServerMac);
        CHECK(table[0].neighbour.state == NeighbourState::Reachable);
        CHECK_FALSE(table[0].neighbour.is_static);
        auto server_row = lan.server.neighbour(0, ip("192.168.1.10"));
        REQUIRE(server_row);
        CHECK(server_row->mac == kClientMac);

        // A second connection: straight to the SYN.
        size_t before = lan.net.sent.size();
        SocketId s2 = lan.connect("192.168.1.20");
        REQUIRE(lan.net.sent.size() == before + 1);
        CHECK(lan.net.sent[before].frame.ipv4());
        lan.net.run_for(Duration::millis(100));
        CHECK(lan.progress(s2, "192.168.1.20").is_ok());
        CHECK(lan.net.arp_frames().size() == 2);
    }
}

TEST_CASE("host arp: a request for our address gets a unicast reply and (RFC 826) the asker's entry") {
    for (Profile p : {Profile::textbook(), Profile::linux()}) {
        CAPTURE(p.name());
        HostStack h("server", {iface("lan", "192.168.1.20/24")}, with_link(p), 1);
        h.set_mac(0, kServerMac);
        StackOutput out;
        ArpPacket who = ArpPacket::request(kClientMac, ip("192.168.1.10"), ip("192.168.1.20"));
        h.receive_frame(0, EthernetFrame{MacAddress::broadcast(), kClientMac, who}, at_ms(5), out);
        REQUIRE(out.frames.size() == 1);
        CHECK(out.frames[0].interface == 0);
        CHECK(out.frames[0].frame ==
              EthernetFrame{kClientMac, kServerMac, ArpPacket::reply(kServerMac, ip("192.168.1.20"), kClientMac, ip("192.168.1.10"))});
        auto row = h.neighbour(0, ip("192.168.1.10"));
        REQUIRE(row);
        CHECK(row->mac == kClientMac);
        CHECK(row->state == (p.kind == Profile::Kind::Linux ? NeighbourState::Stale : NeighbourState::Reachable));

        // Who-has for another address: no reply, and a stranger is not added.
        out.clear();
        ArpPacket other = ArpPacket::request(*MacAddress::parse("02:00:00:00:00:1e"), ip("192.168.1.30"), ip("192.168.1.40"));
        h.receive_frame(0, EthernetFrame{MacAddress::broadcast(), other.sender_mac, other}, at_ms(6), out);
        CHECK(out.frames.empty());
        CHECK_FALSE(h.neighbour(0, ip("192.168.1.30")));
        // A frame to another MAC address is filtered by the card.
        h.receive_frame(0, EthernetFrame{*MacAddress::parse("02:00:00:00:00:1e"), kClientMac, who}, at_ms(7), out);
        CHECK(out.frames.empty());
        // The same request as raw bytes (as a capture on the sender shows it: 42 bytes).
        Bytes raw = wire::emit_frame(EthernetFrame{MacAddress::broadcast(), kClientMac, who});
        raw.resize(42);
        h.receive_frame_bytes(0, raw, at_ms(8), out);
        CHECK(out.frames.size() == 1);
        h.receive_frame_bytes(0, Bytes(5, 0), at_ms(9), out);
        REQUIRE_FALSE(out.events.empty());
        CHECK(std::holds_alternative<Rejected>(out.events.back().what));
    }
}

TEST_CASE("host arp: nobody answers: 3 requests 1 s apart, then EHOSTUNREACH on connect and the SYN dropped") {
    for (Profile p : {Profile::textbook(), Profile::linux()}) {
        CAPTURE(p.name());
        Lan lan(p);
        SocketId s = lan.connect("192.168.1.99");
        lan.net.run_until(at_s(3) - Duration::nanos(1));
        auto arp = lan.net.arp_frames();
        REQUIRE(arp.size() == 3);
        for (size_t i = 0; i < 3; ++i) {
            CHECK(arp[i].at == at_s(int64_t(i)));
            CHECK(arp[i].frame.dst == MacAddress::broadcast());
            CHECK(arp[i].frame.arp()->target_ip == ip("192.168.1.99"));
        }
        CHECK(lan.client.state_of(s) == TcpState::SynSent);
        CHECK(lan.progress(s, "192.168.1.99").would_block_now());
        // The SYN and its retransmissions: at 1 s (textbook), at 1 s and 2 s (Linux 6.18's
        // linear SYN timeouts).
        CHECK(lan.client.neighbour(0, ip("192.168.1.99"))->queued == (p.kind == Profile::Kind::Linux ? 3u : 2u));

        lan.net.run_until(at_s(3));
        auto r = lan.progress(s, "192.168.1.99");
        CHECK(r.is_error());
        CHECK(r.err == Err::HostUnreach);
        CHECK(lan.client.state_of(s) == TcpState::Closed);
        CHECK(has_error(lan.net.events, Err::HostUnreach));
        CHECK(lan.net.has_note("packet to 192.168.1.99 dropped: its next hop did not answer ARP"));
        CHECK(lan.net.has_note("ARP 192.168.1.99: INCOMPLETE -> FAILED (3 requests unanswered)"));
        CHECK(lan.client.neighbour(0, ip("192.168.1.99"))->state == NeighbourState::Failed);
        CHECK(lan.client.neighbour(0, ip("192.168.1.99"))->queued == 0);
        lan.net.run_until(at_s(20));
        CHECK(lan.net.ip_frames().empty());  // no SYN ever left
        CHECK(lan.net.arp_frames().size() == 3);
    }
}

TEST_CASE("host arp: ping to an on-link address nobody has: Destination Host Unreachable from ourselves") {
    Lan lan(Profile::linux());
    auto ping = lan.client.ping_open().value;
    lan.net.call(lan.client, [&](HostStack& h, StackOutput& o) {
        return h.ping_send(ping, ip("192.168.1.99"), 1, 64, bytes("abc"), lan.net.now, o);
    });
    lan.net.run_until(at_s(3) - Duration::nanos(1));
    CHECK(lan.client.ping_recv(ping).would_block_now());
    lan.net.run_until(at_s(3));
    auto a = lan.client.ping_recv(ping);
    REQUIRE(a.is_ok());
    CHECK(a.value.kind == PingAnswer::Kind::Unreachable);
    CHECK(a.value.code == icmp_code::HOST_UNREACHABLE);
    CHECK(a.value.from == ip("192.168.1.10"));  // "From 192.168.1.10 icmp_seq=1 Destination Host Unreachable"
}

TEST_CASE("host arp: a router whose next hop does not answer sends ICMP host unreachable back") {
    FrameNet net;
    Profile p = Profile::textbook();
    HostStack& client = net.add("client", {iface("lan", "192.168.1.10/24", "192.168.1.1")}, p);
    HostStack& router = net.add("router", {iface("lan", "192.168.1.1/24"), iface("wan", "10.0.0.1/24")}, p, true);
    client.set_mac(0, kClientMac);
    router.set_mac(0, kRouterLanMac);
    auto ping = client.ping_open().value;
    net.call(client, [&](HostStack& h, StackOutput& o) { return h.ping_send(ping, ip("10.0.0.20"), 1, 64, bytes("abc"), net.now, o); });
    net.run_until(at_ms(10));
    // The client resolved its gateway; the echo request went to the router's MAC.
    auto ipf = net.ip_frames();
    REQUIRE(ipf.size() == 1);
    CHECK(ipf[0].frame.dst == kRouterLanMac);
    CHECK(ipf[0].frame.ipv4()->dst == ip("10.0.0.20"));
    // The router asks on wan from its wan MAC, at 3 ms, 1.003 s, 2.003 s.
    net.run_until(at_ms(3003) - Duration::nanos(1));
    std::vector<Instant> asked;
    for (const auto& f : net.arp_frames())
        if (f.frame.arp()->target_ip == ip("10.0.0.20")) {
            asked.push_back(f.at);
            CHECK(f.interface == 1);
            CHECK(f.frame.src == router.mac(1));
            CHECK(f.frame.arp()->sender_ip == ip("10.0.0.1"));
        }
    CHECK(asked == std::vector<Instant>{at_ms(3), at_ms(1003), at_ms(2003)});
    CHECK(client.ping_recv(ping).would_block_now());
    net.run_until(at_ms(3010));
    auto a = client.ping_recv(ping);
    REQUIRE(a.is_ok());
    CHECK(a.value.kind == PingAnswer::Kind::Unreachable);
    CHECK(a.value.code == icmp_code::HOST_UNREACHABLE);
    CHECK(a.value.from == ip("192.168.1.1"));
    // The ICMP error went straight back: the router knew the client from its request.
    auto back = net.ip_frames().back();
    CHECK(back.at == at_ms(3003));
    CHECK(back.frame.dst == kClientMac);
    CHECK(back.frame.ipv4()->icmp()->code == icmp_code::HOST_UNREACHABLE);
}

TEST_CASE("host arp: linux: STALE after the reachable time, DELAY on use, a unicast probe, REACHABLE again") {
    Lan lan(Profile::linux());
    SocketId s = lan.connect("192.168.1.20");
    lan.net.run_until(at_ms(100));
    REQUIRE(lan.progress(s, "192.168.1.20").is_ok());
    auto row = *lan.client.neighbour(0, ip("192.168.1.20"));
    CHECK(row.state == NeighbourState::Reachable);
    // Confirmed by the reply at 2 ms, and again by the SYN-ACK (an ACK of new data) at 4 ms.
    Duration rt = *lan.client.neighbour_reachable_time(0, at_ms(4));
    CHECK(row.deadline == at_ms(2) + *lan.client.neighbour_reachable_time(0, at_ms(2)));
    // The server learned the client from its request (STALE), used it for the SYN-ACK
    // (DELAY), and the handshake's ACK confirmed it: REACHABLE at the end of DELAY, no probe.
    CHECK(lan.server.neighbour(0, ip("192.168.1.10"))->state == NeighbourState::Delay);
    lan.net.run_until(at_s(6));
    CHECK(lan.server.neighbour(0, ip("192.168.1.10"))->state == NeighbourState::Reachable);
    CHECK(lan.net.arp_frames().size() == 2);

    lan.net.run_until(at_ms(4) + rt - Duration::nanos(1));
    CHECK(lan.client.neighbour(0, ip("192.168.1.20"))->state == NeighbourState::Reachable);
    lan.net.run_until(at_ms(4) + rt);
    CHECK(lan.client.neighbour(0, ip("192.168.1.20"))->state == NeighbourState::Stale);

    // Data at 100 s: it goes at once to the known MAC, the entry waits in DELAY.
    lan.net.run_until(at_s(100));
    size_t frames_before = lan.net.sent.size();
    auto sent = lan.net.call(lan.client, [&](HostStack& h, StackOutput& o) { return h.send(s, bytes("hello"), lan.net.now, o); });
    CHECK(sent.is_ok());
    REQUIRE(lan.net.sent.size() == frames_before + 1);
    CHECK(lan.net.sent.back().frame.dst == kServerMac);
    CHECK(lan.client.neighbour(0, ip("192.168.1.20"))->state == NeighbourState::Delay);
    // The server's ACK of that data confirms the server: back to REACHABLE at 105 s, no probe.
    lan.net.run_until(at_s(105));
    CHECK(lan.client.neighbour(0, ip("192.168.1.20"))->state == NeighbourState::Reachable);
    // The server only received: nothing it sent was acknowledged, so nothing confirmed the
    // client (tcp_ack calls sk_dst_confirm on forward progress only). Its entry went
    // STALE -> DELAY with its ACK at 100.001 s, and it probes at 105.001 s, unicast; the client
    // answers.
    lan.net.run_until(at_ms(105003));
    auto probes = lan.net.arp_frames();
    REQUIRE(probes.size() == 4);
    CHECK(probes[2].at == at_ms(105001));
    CHECK(probes[2].frame.to_string() == "02:00:00:00:00:14 > 02:00:00:00:00:0a, ARP, Request who-has 192.168.1.10 tell 192.168.1.20");
    CHECK(probes[3].frame.to_string() == "02:00:00:00:00:0a > 02:00:00:00:00:14, ARP, Reply 192.168.1.10 is-at 02:00:00:00:00:0a");
    CHECK(lan.server.neighbour(0, ip("192.168.1.10"))->state == NeighbourState::Reachable);
    size_t arp_before = lan.net.arp_frames().size();

    // Without that confirmation (the server gone silent): PROBE at DELAY's end, unicast.
    lan.net.run_until(at_s(400));
    CHECK(lan.client.neighbour(0, ip("192.168.1.20"))->state == NeighbourState::Stale);
    lan.net.hosts.erase(lan.net.hosts.begin() + 1, lan.net.hosts.end());  // unplug the server
    // (Lan::server now dangles: only the client is used below.)
    lan.net.call(lan.client, [&](HostStack& h, StackOutput& o) { return h.send(s, bytes("anyone?"), lan.net.now, o); });
    CHECK(lan.client.neighbour(0, ip("192.168.1.20"))->state == NeighbourState::Delay);
    lan.net.run_until(at_s(405));
    CHECK(lan.client.neighbour(0, ip("192.168.1.20"))->state == NeighbourState::Probe);
    auto arp = lan.net.arp_frames();
    REQUIRE(arp.size() == arp_before + 1);
    CHECK(arp.back().at == at_s(405));
    CHECK(arp.back().frame.dst == kServerMac);  // unicast to the MAC it had
    lan.net.run_until(at_s(408));
    CHECK(lan.net.arp_frames().size() == arp_before + 3);
    CHECK(lan.client.neighbour(0, ip("192.168.1.20"))->state == NeighbourState::Failed);
    CHECK(lan.client.state_of(s) == TcpState::Established);  // a soft error: TCP goes on retransmitting
    // Each retransmission resolves again, in vain; when TCP gives up, it reports what the
    // ICMP errors said rather than ETIMEDOUT (Linux tcp_write_err: sk_err_soft).
    lan.net.run_until(at_s(4000));
    CHECK(lan.client.state_of(s) == TcpState::Closed);
    CHECK(lan.client.socket_error(s) == Err::HostUnreach);
}

TEST_CASE("host arp: through a learning switch: the request is flooded, the reply and the SYN go to one port") {
    FrameNet net;
    Profile p = Profile::textbook();
    HostStack& a = net.add("a", {iface("lan", "192.168.1.10/24")}, p);
    HostStack& b = net.add("b", {iface("lan", "192.168.1.20/24")}, p);
    HostStack& c = net.add("c", {iface("lan", "192.168.1.30/24")}, p);
    a.set_mac(0, kClientMac);
    b.set_mac(0, kServerMac);
    net.switched("lan");
    auto u = net.call(a, [](HostStack& h, StackOutput& o) { return h.socket(SocketType::Udp, {}, o); }).value;
    net.call(a, [&](HostStack& h, StackOutput& o) { return h.sendto(u, bytes("x"), ep("192.168.1.20", 9), net.now, o); });
    REQUIRE(net.flight.size() == 2);  // the broadcast request reaches b and c
    net.run_until(at_ms(1));
    REQUIRE(net.flight.size() == 1);  // the reply: to a's port only
    CHECK(net.flight[0].host == 0);
    net.run_until(at_ms(2));
    REQUIRE(net.flight.size() == 1);  // the datagram: to b's port only
    CHECK(net.flight[0].host == 1);
    net.run_until(at_ms(10));
    auto table = net.switches.at("lan").table(net.now);
    REQUIRE(table.size() == 2);
    CHECK(table[0] == MacTableRow{kClientMac, 0, at_ms(2), at_ms(2) + Duration::seconds(300), Instant::zero()});
    CHECK(table[1].mac == kServerMac);
    CHECK(table[1].port == 1);
    CHECK(c.arp_table().empty());  // c heard the request for someone else: RFC 826 adds nothing
}

TEST_CASE("host arp: linux answers for any of its addresses on any interface (arp_ignore 0), textbook only for the interface's") {
    for (Profile p : {Profile::textbook(), Profile::linux()}) {
        CAPTURE(p.name());
        HostStack router("router", {iface("lan", "192.168.1.1/24"), iface("wan", "10.0.0.1/24")}, with_link(p), 1, true);
        StackOutput out;
        ArpPacket who = ArpPacket::request(kClientMac, ip("192.168.1.10"), ip("10.0.0.1"));
        router.receive_frame(0, EthernetFrame{MacAddress::broadcast(), kClientMac, who}, at_ms(1), out);
        if (p.kind == Profile::Kind::Linux) {
            REQUIRE(out.frames.size() == 1);
            CHECK(out.frames[0].frame ==
                  EthernetFrame{kClientMac, router.mac(0), ArpPacket::reply(router.mac(0), ip("10.0.0.1"), kClientMac, ip("192.168.1.10"))});
        } else {
            CHECK(out.frames.empty());
        }
        // Never for 127.0.0.1.
        out.clear();
        router.receive_frame(0, EthernetFrame{MacAddress::broadcast(), kClientMac,
                                              ArpPacket::request(kClientMac, ip("192.168.1.10"), ip("127.0.0.1"))},
                             at_ms(2), out);
        CHECK(out.frames.empty());
    }
}
