// The engine's faults: drop, delay, duplicate, link down, random loss.
#include <doctest/doctest.h>

#include "tests/sim/test_engine_support.hpp"

using namespace netstep;
using namespace netstep::sim;
using namespace netstep::sim::test;

namespace {

const std::string kBrowser = R"(
  - host: laptop
    name: browser
    steps:
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "web:80" }
      - send:    { socket: s, data: "GET / HTTP/1.0\r\n\r\n" }
      - recv:    { socket: s }
      - close:   { socket: s }
)";

std::vector<const TracePacket*> dropped(const Trace& t) {
    std::vector<const TracePacket*> out;
    for (const TracePacket& p : t.packets) {
        if (p.dropped) out.push_back(&p);
    }
    return out;
}

}  // namespace

TEST_CASE("engine: a dropped SYN+ACK is retransmitted after the RTO") {
    Trace t = run_yaml(lan() + "programs:" + kHttpd + kBrowser + R"(faults:
  - drop: { from: web, to: laptop, flags: SYN+ACK, nth: 1 }
)");
    CHECK(t.failures.empty());
    auto lost = dropped(t);
    REQUIRE(lost.size() == 1);
    CHECK(tcp_flags(*lost[0]) == (tcp_flag::SYN | tcp_flag::ACK));
    CHECK(lost[0]->drop_reason.rfind("fault: drop nth=1", 0) == 0);
    REQUIRE(lost[0]->end_step != kNone);
    CHECK(t.events[lost[0]->end_step].kind == EventKind::PacketDropped);
    CHECK(t.events[lost[0]->end_step].time == lost[0]->arrives);
    // Someone retransmitted (the server its SYN+ACK, or the client its SYN) and the page came.
    CHECK(!events_of(t, EventKind::Retransmit).empty());
    CHECK(program_end(t, program_named(t, "browser")) == "exit");
}

TEST_CASE("engine: a delay fault adds to one packet's arrival") {
    Trace t = run_yaml(lan() + "programs:" + kHttpd + kBrowser + R"(faults:
  - delay: { from: laptop, to: web, nth: 1, by: 300ms }
)");
    CHECK(t.failures.empty());
    auto sent = sent_packets(t);
    REQUIRE(sent.size() >= 2);
    const TracePacket& syn = *sent[0];
    CHECK(tcp_flags(syn) == tcp_flag::SYN);
    Duration normal = wire_time(t, syn, 100'000'000) + Duration::millis(2);
    CHECK(syn.arrives == syn.sent + normal + Duration::millis(300));
    CHECK(t.events[syn.end_step].time == syn.arrives);
}

TEST_CASE("engine: a duplicate fault delivers a second copy right behind the first") {
    Trace t = run_yaml(lan() + "programs:" + kHttpd + kBrowser + R"(faults:
  - duplicate: { from: laptop, to: web, nth: 1 }
)");
    CHECK(t.failures.empty());
    const TracePacket* copy = nullptr;
    uint32_t copies = 0;
    for (const TracePacket& p : t.packets) {
        if (p.duplicate_of != kNone) {
            copy = &p;
            ++copies;
        }
    }
    REQUIRE(copies == 1);
    const TracePacket& original = t.packets[copy->duplicate_of];
    CHECK(original.bytes == copy->bytes);
    // The copy leaves when the original and the interframe gap have (frame + 24 bytes).
    Duration tx = Duration::nanos(int64_t(original.bytes.size() + 24) * 80);
    CHECK(copy->sent == original.sent + tx);
    CHECK(copy->arrives == original.arrives + tx);
    CHECK(t.events[copy->end_step].kind == EventKind::PacketDelivered);
}

TEST_CASE("engine: packets sent while the link is down are lost") {
    // The browser connects at 0; the link is down from 0 to 1.5 s: the laptop's ARP requests
    // for web at 0 and 1 s are lost, the third (2 s) is answered. Meanwhile the SYN and its
    // retransmission wait in the unresolved queue, and leave when the reply comes.
    Trace t = run_yaml(lan() + "programs:" + kHttpd + kBrowser + R"(faults:
  - link_down: { network: lan, from: 0s, to: 1500ms }
)");
    CHECK(t.failures.empty());
    auto lost = dropped(t);
    REQUIRE(lost.size() == 2);
    for (const TracePacket* p : lost) {
        REQUIRE(t.arp(*p));
        CHECK(t.arp(*p)->op == ArpPacket::Op::Request);
        CHECK(p->drop_reason.rfind("link down", 0) == 0);
        CHECK(p->sent < Instant::zero() + Duration::millis(1500));
    }
    auto sent = sent_packets(t);
    REQUIRE(!sent.empty());
    CHECK(tcp_flags(*sent[0]) == tcp_flag::SYN);
    auto arp = arp_frames(t);
    REQUIRE(arp.size() == 4);  // three requests, one reply
    CHECK(arp[2].first->sent == Instant::zero() + Duration::seconds(2));
    CHECK(arp[3].second.op == ArpPacket::Op::Reply);
    CHECK(sent[0]->sent == arp[3].first->arrives);
    CHECK(program_end(t, program_named(t, "browser")) == "exit");
}

TEST_CASE("engine: random loss on a network is seeded and recorded") {
    std::string yaml = lan("1ms", "10Mbps", "30%") + R"(programs:
  - host: web
    name: sink
    steps:
      - socket: { as: u, type: udp }
      - bind:   { socket: u, port: 9 }
      - repeat:
          times: forever
          steps:
            - recvfrom: { socket: u }
  - host: laptop
    name: source
    steps:
      - socket: { as: u, type: udp }
      - repeat:
          times: 40
          steps:
            - sendto: { socket: u, to: "web:9", data: "ping" }
            - sleep: 10ms
)";
    std::string a = digest_in_child(yaml);
    Trace t = run_yaml(yaml);
    CHECK(digest(t) == a);  // the same seed loses the same datagrams
    auto lost = dropped(t);
    // 40 datagrams at 30%: some lost, not all (fixed by the seed).
    CHECK(lost.size() > 2);
    CHECK(lost.size() < 30);
    for (const TracePacket* p : lost) CHECK(p->drop_reason == "random loss 30%");
}

TEST_CASE("engine: a fault that never applies is a warning naming its line and the packets that came close") {
    // The laptop closes with FIN+ACK: a selector asking for FIN alone (matched exactly) never
    // applies, and the warning shows the FIN+ACK first.
    Trace t = run_yaml(lan() + "programs:" + kHttpd + kGetAndClose + R"(faults:
  - drop: { from: laptop, flags: FIN, nth: 1 }
  - drop: { from: laptop, to: web, flags: SYN, nth: 1 }
  - duplicate: { from: web, proto: udp }
)");
    CHECK(t.failures.empty());  // a warning stops nothing
    std::string warnings;
    for (const std::string& w : t.warnings) warnings += w + "\n";
    CAPTURE(warnings);
    REQUIRE(t.warnings.size() == 2);
    uint32_t fin_ack = kNone;
    for (const TraceEvent& e : t.events) {
        if (e.kind == EventKind::PacketSent && tcp_flags(t.packets[e.packet]) == (tcp_flag::FIN | tcp_flag::ACK) &&
            t.packets[e.packet].from_host == host_named(t, "laptop") && fin_ack == kNone) {
            fin_ack = uint32_t(&e - t.events.data());
        }
    }
    REQUIRE(fin_ack != kNone);
    CHECK(t.warnings[0].rfind(fmt::format("test.yaml:34:5: drop {{ from: laptop, flags: FIN, nth: 1 }} never applied: no "
                                          "packet matched; close ones: step {} laptop:",
                                          fin_ack),
                              0) == 0);
    CHECK(t.warnings[0].find(" > web:80 TCP [FIN+ACK], step ") != std::string::npos);
    // The SYN was dropped (it matched): no warning. No UDP at all: web's TCP segments, which
    // miss on the protocol alone, are named.
    CHECK(t.warnings[1].rfind("test.yaml:36:5: duplicate { from: web, proto: udp, nth: 1 } never applied: no packet "
                              "matched; close ones: step ",
                              0) == 0);
}
