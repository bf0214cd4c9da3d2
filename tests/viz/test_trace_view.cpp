// What the views derive from a trace: labels, relative sequence numbers, connection ends.
#include <doctest/doctest.h>

#include "viz/loader.hpp"
#include "viz/trace_view.hpp"
#include "viz/whatif.hpp"

using namespace netstep;
using namespace netstep::viz;

TEST_CASE("packets are labeled with relative sequence numbers") {
    sim::Trace trace = demo_trace();
    TraceView view(trace);
    CHECK(view.packet(0).label == "SYN seq=0");
    CHECK(view.packet(0).kind == PacketKind::Syn);
    CHECK(view.packet(1).label == "SYN+ACK seq=0 ack=1");
    CHECK(view.packet(1).kind == PacketKind::SynAck);
    CHECK(view.packet(2).label == "ACK ack=1");
    CHECK(view.packet(3).label == "seq=1 ack=1 len=18");
    CHECK(view.packet(3).kind == PacketKind::Data);
    CHECK(view.packet(5).kind == PacketKind::Udp);
}

TEST_CASE("a connection's ends: the client is end A, whichever end selected it") {
    sim::Trace trace = demo_trace();
    TraceView view(trace);
    ConnectionEnds from_syn = view.connection_of_packet(0);
    ConnectionEnds from_synack = view.connection_of_packet(1);
    REQUIRE(from_syn.a != kNone);
    REQUIRE(from_syn.b != kNone);
    CHECK(from_syn.a == from_synack.a);
    CHECK(from_syn.b == from_synack.b);
    CHECK(trace.hosts[trace.sockets[from_syn.a].host].name == "laptop");
    CHECK(view.socket_name(from_syn.a, 5) == "laptop:49152");
    CHECK(view.socket_name(from_syn.b, 10) == "web:80");
}

TEST_CASE("packet progress interpolates between sent and arrives") {
    sim::Trace trace = demo_trace();
    TraceView view(trace);
    const sim::TracePacket& p = trace.packets[0];
    CHECK(view.progress(0, p.sent) == doctest::Approx(0.0));
    CHECK(view.progress(0, p.arrives) == doctest::Approx(1.0));
    CHECK(view.progress(0, p.sent + (p.arrives - p.sent) / 2) == doctest::Approx(0.5));
}

TEST_CASE("the event log describes events with names and arrows") {
    sim::Trace trace = demo_trace();
    TraceView view(trace);
    std::string line = view.describe(trace.packets[0].sent_step);
    CHECK(line.find("laptop:49152 → web:80") != std::string::npos);
    CHECK(line.find("SYN seq=0") != std::string::npos);
}

TEST_CASE("what if: a fault selecting exactly this packet") {
    sim::Trace trace = demo_trace();
    TraceView view(trace);
    CHECK(fault_entry(view, 1, Fault::Drop) == "- drop: { from: web, to: laptop, flags: SYN+ACK, nth: 1 }");
    CHECK(fault_entry(view, 2, Fault::Delay) == "- delay: { from: laptop, to: web, flags: ACK, nth: 1, by: 100ms }");
    CHECK(fault_entry(view, 3, Fault::Drop) == "- drop: { from: laptop, to: web, flags: PSH+ACK, nth: 1 }");
    CHECK(fault_entry(view, 5, Fault::Duplicate) == "- duplicate: { from: laptop, to: dns, proto: udp, nth: 1 }");
}

TEST_CASE("what if: the fault goes into the scenario's faults list") {
    const std::string entry = "- drop: { from: a, to: b, flags: SYN, nth: 1 }";
    CHECK(add_fault("netstep: 1\ntitle: t\n", entry) == "netstep: 1\ntitle: t\nfaults:\n  " + entry + "\n");
    CHECK(add_fault("netstep: 1\nfaults: []\ntitle: t\n", entry) == "netstep: 1\nfaults:\n  " + entry + "\ntitle: t\n");
    std::string with = "faults:\n    - drop: { from: x, nth: 2 }\n\n# comment\nprograms:\n  - host: a\n";
    CHECK(add_fault(with, entry) == "faults:\n    - drop: { from: x, nth: 2 }\n    " + entry + "\n\n# comment\nprograms:\n  - host: a\n");
}
