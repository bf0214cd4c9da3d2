// TraceIndex on hand-built traces: socket tables, packets in flight, captions, jumps, names;
// and on a synthetic trace of a million events, checked against brute force.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "sim/trace_index.hpp"
#include "test_trace_fixture.hpp"

namespace netstep::sim {
namespace {

using namespace fixture;

std::vector<uint32_t> in_flight_brute_force(const Trace& t, uint32_t step) {
    std::vector<uint32_t> out;
    for (uint32_t i = 0; i < t.packets.size(); ++i) {
        if (t.packets[i].sent_step <= step && step < t.packets[i].end_step) out.push_back(i);
    }
    return out;
}

TEST_CASE("trace: event kinds have names and back") {
    for (int k = 0; k < kEventKindCount; ++k) {
        auto name = to_string(EventKind(k));
        CHECK(name != "?");
        CHECK(event_kind_from_string(name) == EventKind(k));
    }
    CHECK(to_string(EventKind::PacketSent) == "packet-sent");
    CHECK_FALSE(event_kind_from_string("sent").has_value());
}

TEST_CASE("trace: str() of kNone or out of range is empty") {
    Trace t;
    t.strings = {"a"};
    CHECK(t.str(0) == "a");
    CHECK(t.str(kNone).empty());
    CHECK(t.str(7).empty());
}

TEST_CASE("trace: the builder interns strings and keeps one socket row per change") {
    Trace t;
    TraceBuilder b(t);
    CHECK(b.intern("connect") == 0);
    CHECK(b.intern("close") == 1);
    CHECK(b.intern("connect") == 0);
    CHECK(t.strings.size() == 2);

    auto row = tcp_row(3, {ip("10.0.0.1"), 1000}, std::nullopt, TcpState::SynSent);
    b.record_socket(0, row, 5);
    b.record_socket(0, row, 6);  // unchanged: not recorded
    row.state = TcpState::Established;
    b.record_socket(0, row, 9);
    row.state = TcpState::FinWait1;
    b.record_socket(0, row, 9);  // same step: replaces
    b.socket_gone(0, 3, 20);
    b.socket_gone(0, 3, 25);  // the first one holds
    REQUIRE(t.sockets.size() == 1);
    CHECK(t.sockets[0].steps == std::vector<uint32_t>{5, 9});
    CHECK(t.sockets[0].rows[1].state == TcpState::FinWait1);
    CHECK(t.sockets[0].gone_step == 20);

    TraceBuilder again(t);  // picks up existing strings and sockets
    CHECK(again.intern("close") == 1);
    again.record_socket(0, row, 30);
    CHECK(t.sockets.size() == 1);
}

TEST_CASE("trace: index answers socket tables at any step") {
    Trace t = handshake_trace();
    TraceIndex index(t);
    uint32_t established = *index.next_step(0, [](const TraceEvent& e) {
        return e.kind == EventKind::StateChange && e.to == TcpState::Established;
    });
    CHECK(index.sockets_at(kLaptop, 0).empty());
    auto before = index.sockets_at(kLaptop, established - 1);
    REQUIRE(before.size() == 1);
    CHECK(before[0].state == TcpState::SynSent);
    auto after = index.socket_at(kLaptop, 3, established);
    REQUIRE(after.has_value());
    CHECK(after->state == TcpState::Established);
    CHECK(index.sockets_at(kWeb, index.step_count() - 1).size() == 2);
    CHECK_FALSE(index.socket_at(kLaptop, 99, 10).has_value());
    CHECK(index.sockets_at(42, 10).empty());

    auto changes = index.state_changes_of(kLaptop, 3);
    REQUIRE(changes.size() == 2);
    CHECK(t.events[changes[0]].to == TcpState::SynSent);
    CHECK(changes[1] == established);
    CHECK(index.state_changes_of(kWeb, 99).empty());
}

TEST_CASE("trace: socket_at honours gone_step") {
    Trace t;
    t.hosts.resize(1);
    TraceBuilder b(t);
    b.record_socket(0, tcp_row(1, {ip("10.0.0.1"), 80}, std::nullopt, TcpState::Listen), 4);
    b.socket_gone(0, 1, 8);
    TraceIndex index(t);
    CHECK_FALSE(index.socket_at(0, 1, 3).has_value());
    CHECK(index.socket_at(0, 1, 4).has_value());
    CHECK(index.socket_at(0, 1, 7).has_value());
    CHECK_FALSE(index.socket_at(0, 1, 8).has_value());
}

TEST_CASE("trace: packets in flight are those sent and not yet ended") {
    Trace t = handshake_trace();
    TraceIndex index(t);
    for (uint32_t step = 0; step < t.events.size() + 2; ++step) {
        CHECK(index.packets_in_flight(step) == in_flight_brute_force(t, step));
    }
    // The request and its ACK overlap on the wire.
    uint32_t get_sent = t.packets[3].sent_step;
    CHECK(index.packets_in_flight(get_sent) == std::vector<uint32_t>{2, 3});
    CHECK(TraceIndex(Trace{}).packets_in_flight(0).empty());
}

TEST_CASE("trace: packets never ended stay in flight") {
    Trace t;
    t.hosts.resize(1);
    t.packets.resize(3);
    t.packets[0].sent_step = 2;             // never ends
    t.packets[1].sent_step = 0;
    t.packets[1].end_step = 1;
    t.packets[2].sent_step = 1;
    t.packets[2].end_step = 5;
    TraceIndex index(t);
    CHECK(index.packets_in_flight(0) == std::vector<uint32_t>{1});
    CHECK(index.packets_in_flight(1) == std::vector<uint32_t>{2});
    CHECK(index.packets_in_flight(3) == std::vector<uint32_t>{0, 2});
    CHECK(index.packets_in_flight(1'000'000) == std::vector<uint32_t>{0});
}

TEST_CASE("trace: captions, jumps and times") {
    Trace t = handshake_trace();
    TraceIndex index(t);
    uint32_t caption = *index.next_step(0, StepKind::Caption);
    CHECK(t.str(t.events[caption].text) == "The browser asks the OS for a socket.");
    CHECK_FALSE(index.caption_at(caption - 1).has_value());
    CHECK(index.caption_at(caption) == caption);
    CHECK(index.caption_at(index.step_count() - 1) == caption);
    CHECK(index.caption_at(caption + 3, kBrowser) == caption);
    CHECK_FALSE(index.caption_at(caption + 3, kHttpd).has_value());
    CHECK_FALSE(index.caption_at(caption, 77).has_value());

    uint32_t first_packet = *index.next_step(0, StepKind::Packet);
    CHECK(t.events[first_packet].kind == EventKind::PacketSent);
    CHECK(index.next_step(first_packet, StepKind::Packet) == first_packet + 1);
    CHECK(index.prev_step(first_packet, StepKind::Packet) == std::nullopt);
    CHECK(index.prev_step(first_packet + 1, StepKind::Packet) == first_packet);
    uint32_t drop = *index.next_step(0, StepKind::Error);
    CHECK(t.events[drop].kind == EventKind::PacketDropped);
    CHECK(t.events[*index.next_step(drop, StepKind::Error)].kind == EventKind::ExpectFailed);
    CHECK(index.next_step(drop, EventKind::RunEnd) == index.step_count() - 1);
    CHECK(index.prev_step(index.step_count(), EventKind::RunStart) == 0u);
    CHECK(index.prev_step(index.step_count(), [](const TraceEvent& e) { return e.kind == EventKind::Caption; }) ==
          caption);
    CHECK_FALSE(index.next_step(index.step_count() - 1, StepKind::Packet).has_value());

    CHECK(index.step_at_time(Instant::zero()) == 0);
    CHECK(index.step_at_time(at_us(10'000)) == caption);
    CHECK(index.step_at_time(at_us(999'999'999)) == index.step_count());
}

TEST_CASE("trace: names for addresses, endpoints and packets") {
    Trace t = handshake_trace();
    TraceIndex index(t);
    CHECK(index.host_of(ip("192.168.1.20")) == kWeb);
    CHECK_FALSE(index.host_of(ip("192.168.1.99")).has_value());
    CHECK(index.endpoint_name({ip("192.168.1.10"), 49152}) == "laptop:49152");
    CHECK(index.endpoint_name({ip("192.168.1.99"), 80}) == "192.168.1.99:80");
    CHECK(index.local_name(kWeb, {Ipv4Address::any(), 80}) == "web:80");
    CHECK(index.host_name(kNone) == "-");
    CHECK(index.host_name(9) == "host 9");
    CHECK(index.program_name(kHttpd) == "httpd");
    CHECK(index.describe_packet(0) == "laptop:49152 > web:80 TCP [SYN] seq=0 win=64240 len=0 mss=1460");
    CHECK(index.describe_packet(99) == "(no packet)");
}

TEST_CASE("trace: a malformed packet is described, not trusted") {
    Trace t = two_hosts();
    t.packets.push_back({});
    t.packets[0].bytes = {0x45, 0x00, 0x00};
    TraceIndex index(t);
    CHECK(index.describe_packet(0).starts_with("malformed packet, 3 bytes ("));
}

// A million events: 300,000 packets each sent, then delivered or dropped some steps later (many
// overlapping), socket rows changing, captions. Every query is checked against brute force.
Trace synthetic_trace(size_t packet_count) {
    Trace t;
    t.hosts.resize(4);
    t.programs.push_back({"p", 0, kNone});
    TraceBuilder b(t);
    std::mt19937 rng(7);
    std::vector<std::pair<uint32_t, uint32_t>> pending;  // (end step due, packet)
    auto finish_due = [&](uint32_t step) {
        for (size_t i = 0; i < pending.size();) {
            if (pending[i].first > step) { ++i; continue; }
            TraceEvent e;
            e.kind = EventKind::PacketDelivered;
            e.packet = pending[i].second;
            t.packets[e.packet].end_step = b.add_event(e);
            pending[i] = pending.back();
            pending.pop_back();
        }
    };
    for (uint32_t i = 0; i < packet_count; ++i) {
        uint32_t step = uint32_t(t.events.size());
        TracePacket p;
        p.sent_step = step;
        uint32_t packet = b.add_packet(std::move(p));
        TraceEvent sent;
        sent.kind = EventKind::PacketSent;
        sent.packet = packet;
        b.add_event(sent);
        if (i % 1000 != 999) pending.push_back({step + 1 + rng() % 64, packet});  // some never end
        TraceEvent other;
        other.kind = i % 50 == 0 ? EventKind::Caption : EventKind::StateChange;
        other.program = 0;
        other.host = i % 4;
        other.socket = 1 + i % 10;
        b.add_event(other);
        b.record_socket(i % 4, tcp_row(1 + i % 10, {ip("10.0.0.1"), uint16_t(i % 60000)}, std::nullopt,
                                       TcpState::Established), uint32_t(t.events.size() - 1));
        finish_due(uint32_t(t.events.size()));
        if (t.events.size() % 2 == 1) b.add_event(TraceEvent{});  // a note now and then
    }
    finish_due(kNone - 1);
    return t;
}

TEST_CASE("trace: index of a million events answers like brute force") {
    Trace t = synthetic_trace(300'000);
    REQUIRE(t.events.size() >= 1'000'000);
    TraceIndex index(t);
    std::mt19937 rng(11);
    for (int probe = 0; probe < 60; ++probe) {
        uint32_t step = uint32_t(rng() % t.events.size());
        CAPTURE(step);
        CHECK(index.packets_in_flight(step) == in_flight_brute_force(t, step));

        uint32_t host = rng() % 4;
        SocketId id = 1 + rng() % 10;
        std::optional<SocketInfo> expected;
        for (const SocketHistory& h : t.sockets) {
            if (h.host != host || h.id != id) continue;
            for (size_t i = 0; i < h.steps.size() && h.steps[i] <= step; ++i) expected = h.rows[i];
        }
        CHECK(index.socket_at(host, id, step) == expected);

        std::optional<uint32_t> caption;
        for (uint32_t s = step + 1; s-- > 0;) {
            if (t.events[s].kind == EventKind::Caption) { caption = s; break; }
        }
        CHECK(index.caption_at(step) == caption);
        CHECK(index.next_step(step, StepKind::StateChange) ==
              index.next_step(step, [](const TraceEvent& e) { return e.kind == EventKind::StateChange; }));
    }
    CHECK(index.packets_in_flight(uint32_t(t.events.size() - 1)).size() == 300);  // the ones never ended
}

}  // namespace
}  // namespace netstep::sim
