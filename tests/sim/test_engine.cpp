// The engine: timing on the wire, a whole conversation, determinism, the socket history.
// One run_scenario per TEST_CASE (one SimGrid engine per process).
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/sim/test_engine_support.hpp"

using namespace netstep;
using namespace netstep::sim;
using namespace netstep::sim::test;

namespace {

const std::string kBrowser = R"(
  - host: laptop
    name: browser
    steps:
      - sleep: 10ms
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "web:80" }
      - send:    { socket: s, data: "GET / HTTP/1.0\r\n\r\n" }
      - recv:    { socket: s }
      - close:   { socket: s }
)";

}  // namespace

TEST_CASE("engine: a SYN arrives after the latency plus its serialization time, exactly") {
    Trace t = run_yaml(lan("2ms", "100Mbps") + "programs:" + kHttpd + kBrowser);
    CHECK(t.failures.empty());
    auto sent = sent_packets(t);
    REQUIRE(!sent.empty());
    const TracePacket& syn = *sent.front();
    CHECK(tcp_flags(syn) == tcp_flag::SYN);
    CHECK(syn.from_host == host_named(t, "laptop"));
    CHECK(syn.to_host == host_named(t, "web"));
    // The laptop first asks for web's MAC address at 10 ms (ARP, RFC 826); the SYN leaves when
    // the reply arrives.
    auto arp = arp_frames(t);
    REQUIRE(arp.size() == 2);
    CHECK(arp[0].first->sent == Instant::zero() + Duration::millis(10));
    CHECK(arp[0].second.op == ArpPacket::Op::Request);
    CHECK(arp[1].second.op == ArpPacket::Op::Reply);
    CHECK(syn.sent == arp[1].first->arrives);
    // (frame + preamble and FCS) * 8 bits at 1e8 bit/s = 80 ns a byte; then 2 ms of propagation.
    Duration serialization = Duration::nanos(int64_t(syn.bytes.size() + 12) * 80);
    CHECK(serialization == wire_time(t, syn, 100'000'000));
    CHECK(syn.arrives == syn.sent + serialization + Duration::millis(2));
    REQUIRE(syn.end_step != kNone);
    const TraceEvent& delivered = t.events[syn.end_step];
    CHECK(delivered.kind == EventKind::PacketDelivered);
    CHECK(delivered.time == syn.arrives);
    CHECK(delivered.host == host_named(t, "web"));
}

TEST_CASE("engine: back-to-back packets are spaced by their serialization time") {
    // 1 Mbps: a 1500-byte segment takes 12 ms to serialize; 8000 bytes leave as several
    // full segments one after the other on the laptop's interface.
    std::string yaml = lan("1ms", "1Mbps") + R"(programs:
  - host: web
    name: sink
    steps:
      - socket: { as: listener, type: tcp }
      - bind:   { socket: listener, port: 9 }
      - listen: { socket: listener }
      - accept: { socket: listener, as: conn }
      - recv:   { socket: conn, bytes: 8000 }
      - close:  { socket: conn }
  - host: laptop
    name: source
    steps:
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "web:9" }
      - send:    { socket: s, bytes: 8000 }
      - close:   { socket: s }
)";
    Trace t = run_yaml(yaml);
    CHECK(t.failures.empty());
    uint32_t laptop = host_named(t, "laptop");
    std::vector<const TracePacket*> data;
    for (const TracePacket* p : sent_packets(t)) {
        if (p->from_host == laptop && p->bytes.size() > 1000) data.push_back(p);
    }
    REQUIRE(data.size() >= 2);
    for (size_t i = 1; i < data.size(); ++i) {
        const TracePacket& a = *data[i - 1];
        const TracePacket& b = *data[i];
        // On the wire: preamble, frame, FCS (12 bytes more), then the interframe gap (12 more)
        // before the next frame (IEEE 802.3 4.4.2); 8 bits at 1e6 bit/s = 8 us a byte.
        Duration busy_a = Duration::nanos(int64_t(a.bytes.size() + 24) * 8000);
        // b cannot leave before a has left the interface.
        CHECK(b.sent >= a.sent + busy_a);
        CHECK(b.arrives == b.sent + Duration::nanos(int64_t(b.bytes.size() + 12) * 8000) + Duration::millis(1));
    }
    // The first two data segments were handed to the interface at the same instant: the second
    // one queued behind the first.
    CHECK(data[1]->sent == data[0]->sent + Duration::nanos(int64_t(data[0]->bytes.size() + 24) * 8000));
    // The receiver got them all.
    std::vector<std::string> sink = calls_of(t, program_named(t, "sink"));
    CHECK(std::any_of(sink.begin(), sink.end(), [](const std::string& c) {
        return c.rfind("recv(conn, 8000 bytes) = 8000 bytes \"abcdef", 0) == 0;
    }));
}

TEST_CASE("engine: the format example runs to completion with the right states") {
    Trace t = run_yaml(lan() + "programs:" + kHttpd + kBrowser);
    CHECK(t.failures.empty());
    CHECK(t.expectations_met);
    uint32_t httpd = program_named(t, "httpd"), browser = program_named(t, "browser");
    CHECK(program_end(t, httpd) == "exit");
    CHECK(program_end(t, browser) == "exit");

    std::string laptop = state_path(t, host_named(t, "laptop"));
    std::string web = state_path(t, host_named(t, "web"));
    CAPTURE(laptop);
    CAPTURE(web);
    CHECK(laptop.rfind("CLOSED>SYN-SENT>ESTABLISHED>", 0) == 0);
    CHECK(web.find("LISTEN>SYN-RECEIVED>ESTABLISHED") != std::string::npos);
    // The server closes right after its answer and the browser right after reading it: their
    // FINs cross (a simultaneous close), so both go through CLOSING and TIME-WAIT.
    CHECK(web.find(">FIN-WAIT-1>CLOSING>TIME-WAIT>CLOSED") != std::string::npos);
    CHECK(laptop.find(">FIN-WAIT-1>CLOSING>TIME-WAIT>CLOSED") != std::string::npos);

    std::vector<std::string> calls = calls_of(t, browser);
    REQUIRE(calls.size() >= 5);
    CHECK(calls[0] == "socket(tcp) as s = 1");
    CHECK(calls[1] == "connect(s, web:80) blocks");
    CHECK(calls[2] == "connect(s, web:80) = 0");
    CHECK(calls[3] == "send(s, \"GET / HTTP/1.0\\r\\n\\r\\n\") = 18");
    std::vector<std::string> server = calls_of(t, httpd);
    CHECK(std::find(server.begin(), server.end(), "recv(conn) = 18 bytes \"GET / HTTP/1.0\\r\\n\\r\\n\"") != server.end());

    // The run goes on until TIME-WAIT is over (2 x MSL = 60 s), then ends.
    REQUIRE(!t.events.empty());
    CHECK(t.events.front().kind == EventKind::RunStart);
    CHECK(t.events.back().kind == EventKind::RunEnd);
    CHECK(t.str(t.events.back().text) == "every program has finished");
    CHECK(t.end_time > Instant::zero() + Duration::seconds(60));
    // Time never goes backward.
    for (size_t i = 1; i < t.events.size(); ++i) CHECK(t.events[i - 1].time <= t.events[i].time);
    // Every packet was delivered (no faults, no loss).
    for (const TracePacket& p : t.packets) {
        CHECK(!p.dropped);
        REQUIRE(p.end_step != kNone);
        CHECK(t.events[p.end_step].kind == EventKind::PacketDelivered);
        CHECK(t.events[p.sent_step].kind == EventKind::PacketSent);
    }
}

TEST_CASE("engine: the socket history shows every row change and when sockets go") {
    Trace t = run_yaml(lan() + "programs:" + kHttpd + kBrowser);
    uint32_t laptop = host_named(t, "laptop");
    const SocketHistory* client = nullptr;
    for (const SocketHistory& s : t.sockets) {
        if (s.host == laptop && s.id == 1) client = &s;
    }
    REQUIRE(client != nullptr);
    REQUIRE(client->rows.size() == client->steps.size());
    for (size_t i = 1; i < client->steps.size(); ++i) CHECK(client->steps[i - 1] < client->steps[i]);
    // Its states, as the table shows them step by step.
    std::string states;
    for (const SocketInfo& row : client->rows) {
        std::string s = row.state ? std::string(to_string(*row.state)) : "-";
        if (!states.empty() && states.substr(states.rfind(' ') + 1) == s) continue;
        states += (states.empty() ? "" : " ") + s;
    }
    CAPTURE(states);
    CHECK(states.find("SYN-SENT ESTABLISHED") != std::string::npos);
    // The row showing ESTABLISHED is in force from the StateChange event that says so.
    for (size_t i = 0; i < client->rows.size(); ++i) {
        if (client->rows[i].state == TcpState::Established) {
            const TraceEvent& e = t.events[client->steps[i]];
            CHECK(e.kind == EventKind::StateChange);
            CHECK(e.to == TcpState::Established);
            break;
        }
    }
    // The client's connection is gone after LAST-ACK.
    CHECK(client->gone_step != kNone);
}

TEST_CASE("engine: the same scenario and seed give the same trace: another seed, other ISNs") {
    std::string yaml = lan() + "programs:" + kHttpd + kBrowser;
    // Random ISNs this time (no isn: zero), so the seed shows.
    std::string seeded = yaml;
    seeded.replace(seeded.find("options: { isn: zero }\n"), std::string("options: { isn: zero }\n").size(), "");
    std::string a = digest_in_child(seeded);
    std::string b = digest_in_child(seeded);
    RunOptions other;
    other.seed = 12345;
    std::string c = digest_in_child(seeded, other);
    REQUIRE(a.size() > 1000);
    CHECK(a == b);
    CHECK(a != c);
}
