// The link layer against the real Linux kernel: tests/data/captures/linux/g_arp.pcap, made by
// scripts/linux-arp-capture.sh (Linux 6.18, two namespaces, client 10.0.0.1 02:00:00:00:00:0a,
// server 10.0.0.2 02:00:00:00:00:14, captured on the client's veth). The frames are compared
// byte for byte with what the model emits, and the kernel's timers with the linux profile's
// (kernel timers fire up to 1/8 of their timeout late, in 4 ms ticks).
//
// What the script printed: connect to 10.0.0.99 (nobody) failed with EHOSTUNREACH after
// 3.061 s; the neighbour table ended with 10.0.0.99 FAILED and 10.0.0.2 REACHABLE.
#include <doctest/doctest.h>

#include <algorithm>

#include "test_capture.hpp"
#include "test_link_harness.hpp"

using namespace netstep;
using namespace netstep::test;

namespace {

// Kernel timer slack: up to 1/8 of the timeout late, plus a 4 ms tick.
bool within_slack(Duration measured, Duration timeout) {
    return measured >= timeout && measured <= timeout + timeout / 8 + Duration::millis(4);
}

}  // namespace

TEST_CASE("linux arp capture: every ARP frame parses, and the model emits it byte for byte (padded on the link)") {
    auto frames = read_capture("g_arp.pcap");
    REQUIRE(frames.size() == 24);
    size_t arp = 0;
    for (const auto& f : frames) {
        Header h = header(f.bytes);
        REQUIRE((h.type == ethertype::ARP || h.type == ethertype::IPV4));
        if (h.type != ethertype::ARP) continue;
        auto parsed = wire::parse_frame(f.bytes);
        REQUIRE_MESSAGE(parsed.ok(), parsed.error);
        ++arp;
        CHECK(f.bytes.size() == 42);  // the sender's side of a veth: no padding
        Bytes emitted = wire::emit_frame(*parsed.frame);
        Bytes want = f.bytes;
        want.resize(60, 0);
        CHECK(emitted == want);
    }
    CHECK(arp == 9);

    // The first exchange, as values: who-has, then the reply to the asker alone.
    auto request = wire::parse_frame(frames[0].bytes).frame;
    CHECK(*request == EthernetFrame{MacAddress::broadcast(), kClient,
                                    ArpPacket::request(kClient, ip("10.0.0.1"), ip("10.0.0.2"))});
    auto reply = wire::parse_frame(frames[1].bytes).frame;
    CHECK(*reply == EthernetFrame{kClient, kServer, ArpPacket::reply(kServer, ip("10.0.0.2"), kClient, ip("10.0.0.1"))});
}

TEST_CASE("linux arp capture: the model's first exchange is the kernel's, frame for frame") {
    auto frames = read_capture("g_arp.pcap");
    FrameNet net;
    net.latency = Duration::micros(1);
    HostStack& client = net.add("client", {iface("lan", "10.0.0.1/24")}, Profile::linux());
    HostStack& server = net.add("server", {iface("lan", "10.0.0.2/24")}, Profile::linux());
    client.set_mac(0, kClient);
    server.set_mac(0, kServer);
    auto l = net.call(server, [](HostStack& h, StackOutput& o) { return h.socket(SocketType::Tcp, {}, o); }).value;
    net.call(server, [&](HostStack& h, StackOutput& o) { return h.bind(l, ep("10.0.0.2", 80), {}, o); });
    net.call(server, [&](HostStack& h, StackOutput& o) { return h.listen(l, 5, {}, o); });
    auto s = net.call(client, [](HostStack& h, StackOutput& o) { return h.socket(SocketType::Tcp, {}, o); }).value;
    net.call(client, [&](HostStack& h, StackOutput& o) { return h.connect(s, ep("10.0.0.2", 80), net.now, o); });
    net.run_for(Duration::millis(1));
    // request, reply, SYN, SYN-ACK, ACK: the kernel's first five frames (the captured TCP
    // segments differ in ports, ISNs and options: only the framing is compared).
    REQUIRE(net.sent.size() >= 5);
    for (size_t i = 0; i < 5; ++i) {
        Header captured = header(frames[i].bytes);
        CAPTURE(i);
        CHECK(net.sent[i].frame.dst == captured.dst);
        CHECK(net.sent[i].frame.src == captured.src);
        CHECK(net.sent[i].frame.ethertype() == captured.type);
        if (captured.type == ethertype::ARP) CHECK(*net.sent[i].frame.arp() == *wire::parse_frame(frames[i].bytes).frame->arp());
    }
}

TEST_CASE("linux arp capture: resolution fails after 3 requests 1 s apart, as the kernel's") {
    auto frames = read_capture("g_arp.pcap");
    std::vector<Duration> asked;
    for (const auto& f : frames) {
        if (header(f.bytes).type != ethertype::ARP) continue;
        auto p = wire::parse_frame(f.bytes).frame;
        if (p->arp()->target_ip == ip("10.0.0.99")) {
            CHECK(p->dst == MacAddress::broadcast());
            asked.push_back(f.at);
        }
    }
    REQUIRE(asked.size() == 3);
    CHECK(within_slack(asked[1] - asked[0], Duration::seconds(1)));
    CHECK(within_slack(asked[2] - asked[1], Duration::seconds(1)));
    // The kernel's connect() returned EHOSTUNREACH 3.061 s after the first request (3 s, slack).
    CHECK(within_slack(Duration::millis(3061), Duration::seconds(3)));

    FrameNet net;
    HostStack& client = net.add("client", {iface("lan", "10.0.0.1/24")}, Profile::linux());
    client.set_mac(0, kClient);
    auto s = net.call(client, [](HostStack& h, StackOutput& o) { return h.socket(SocketType::Tcp, {}, o); }).value;
    net.call(client, [&](HostStack& h, StackOutput& o) { return h.connect(s, ep("10.0.0.99", 80), net.now, o); });
    net.run_until(Instant::zero() + Duration::seconds(10));
    auto model = net.arp_frames();
    REQUIRE(model.size() == 3);
    for (size_t i = 0; i < 3; ++i) {
        CHECK(model[i].at == Instant::zero() + Duration::seconds(int64_t(i)));
        Bytes want = frames[15 + i].bytes;  // the captured requests for 10.0.0.99: frames 16-18
        want.resize(60, 0);
        CHECK(wire::emit_frame(model[i].frame) == want);
    }
    CHECK(client.socket_error(s) == Err::HostUnreach);
    CHECK(client.neighbour(0, ip("10.0.0.99"))->state == NeighbourState::Failed);
}

TEST_CASE("linux arp capture: a STALE entry used: DELAY, then a unicast probe 5 s later") {
    auto frames = read_capture("g_arp.pcap");
    // Frame 19: the UDP datagram at 46 s (the entry STALE by then); frame 21: the probe.
    REQUIRE(header(frames[18].bytes).type == ethertype::IPV4);
    CHECK(frames[18].bytes[14 + 9] == ip_proto::UDP);
    auto probe = wire::parse_frame(frames[20].bytes).frame;
    REQUIRE(probe->arp());
    CHECK(probe->dst == kServer);  // unicast to the MAC it had
    CHECK(*probe->arp() == ArpPacket::request(kClient, ip("10.0.0.1"), ip("10.0.0.2")));
    CHECK(within_slack(frames[20].at - frames[18].at, Duration::seconds(5)));

    FrameNet net;
    HostStack& client = net.add("client", {iface("lan", "10.0.0.1/24")}, Profile::linux());
    HostStack& server = net.add("server", {iface("lan", "10.0.0.2/24")}, Profile::linux());
    client.set_mac(0, kClient);
    server.set_mac(0, kServer);
    auto u = net.call(client, [](HostStack& h, StackOutput& o) { return h.socket(SocketType::Udp, {}, o); }).value;
    auto send = [&] {
        net.call(client, [&](HostStack& h, StackOutput& o) { return h.sendto(u, bytes("hello"), ep("10.0.0.2", 9), net.now, o); });
    };
    send();
    net.run_until(Instant::zero() + Duration::seconds(46));
    CHECK(client.neighbour(0, ip("10.0.0.2"))->state == NeighbourState::Stale);
    size_t before = net.sent.size();
    send();
    CHECK(client.neighbour(0, ip("10.0.0.2"))->state == NeighbourState::Delay);
    net.run_until(Instant::zero() + Duration::seconds(52));
    std::vector<FrameNet::Sent> client_arp;
    for (size_t i = before; i < net.sent.size(); ++i)
        if (net.sent[i].from == 0 && net.sent[i].frame.arp() && net.sent[i].frame.arp()->op == ArpPacket::Op::Request)
            client_arp.push_back(net.sent[i]);
    REQUIRE(client_arp.size() == 1);
    CHECK(client_arp[0].at == Instant::zero() + Duration::seconds(51));
    Bytes want = frames[20].bytes;
    want.resize(60, 0);
    CHECK(wire::emit_frame(client_arp[0].frame) == want);
    CHECK(client.neighbour(0, ip("10.0.0.2"))->state == NeighbourState::Reachable);
}
