// Limits on bytes, not only counts (issue 14): each one reached by a small input with a lowered
// limit, stopping the run (or the load) with a message that names it and the step.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "sim/engine_text.hpp"
#include "sim/output.hpp"
#include "tests/sim/test_engine_support.hpp"

using namespace netstep;
using namespace netstep::sim;
using namespace netstep::sim::test;

namespace {

std::string load_error(const std::string& text, const Limits& limits) {
    try {
        load_scenario_text(text, "test.yaml", limits);
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "";
}

std::string text_of(const Trace& t) {
    std::ostringstream out;
    write_text(t, out);
    return out.str();
}

}  // namespace

TEST_CASE("limits: a caption longer than max_caption_bytes is refused where it is written, in any language") {
    Limits limits;
    limits.max_caption_bytes = 10;
    std::string yaml = lan() + R"(programs:
  - host: laptop
    steps:
      - say: short
      - say: { en: short, fr: "bien trop longue" }
)";
    CHECK(load_error(yaml, limits) ==
          "test.yaml:17:31: a caption of 16 bytes: the limit is 10 (Limits::max_caption_bytes)");
    limits.max_caption_bytes = 16;
    CHECK(load_error(yaml, limits).empty());
}

TEST_CASE("limits: aliases that expand past max_expanded_bytes are refused, at the anchor expanded") {
    Limits limits;
    limits.max_expanded_bytes = 1000;
    std::string yaml = lan() + R"(programs:
  - host: laptop
    steps:
      - socket: { as: u, type: udp }
      - sendto: { socket: u, to: "web:9", data: &d "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" }
      - sendto: { socket: u, to: "web:9", data: *d }
      - sendto: { socket: u, to: "web:9", data: *d }
)";
    // 400 bytes each: the third use passes 1000 (with the names and targets read before it). An
    // alias is its anchor's node: the message points at the text that is copied, the anchor.
    CHECK(load_error(yaml, limits) ==
          "test.yaml:17:49: the file's text comes to more than 1000 bytes once its aliases are expanded "
          "(Limits::max_expanded_bytes)");
    limits.max_expanded_bytes = 64 * 1024 * 1024;
    CHECK(load_error(yaml, limits).empty());
}

TEST_CASE("limits: netstat prints at most max_netstat_rows rows, then how many more") {
    RunOptions options;
    options.limits.max_netstat_rows = 2;
    Trace t = run_yaml(lan() + R"(programs:
  - host: laptop
    steps:
      - repeat:
          times: 5
          steps:
            - socket: { as: u, type: udp }
            - bind: { socket: u, port: 0 }
      - netstat
)",
                       options);
    std::vector<TraceEvent> out = events_of(t, EventKind::Output);
    REQUIRE(out.size() == 1);
    const std::string& text = t.strings[out[0].text];
    CHECK(std::count(text.begin(), text.end(), '\n') == 3);  // header, 2 rows, the rest counted
    CHECK(text.ends_with("\n... and 3 more (Limits::max_netstat_rows: 2 rows shown)"));
    CHECK(t.failures.empty());
}

TEST_CASE("limits: max_trace_bytes stops a flood of datagrams at the step that sends them") {
    RunOptions options;
    options.limits.max_trace_bytes = 1 << 20;
    Trace t = run_yaml(lan() + R"(programs:
  - host: laptop
    steps:
      - socket: { as: u, type: udp }
      - sendto: { socket: u, to: "web:9", data: "hi" }
      - sleep: 10ms
      - repeat:
          times: 1000
          steps:
            - sendto: { socket: u, to: "web:9", bytes: 60000 }
)",
                       options);
    // (The first datagram and the sleep: web's MAC is known before the flood, which would
    // otherwise wait in the unresolved queue, a few packets long.)
    REQUIRE(t.failures.size() == 1);
    CHECK(t.failures[0] ==
          "test.yaml:22:15: the run was stopped at 0.010000: the trace and the packets in flight hold more than 1 MiB "
          "of memory (Limits::max_trace_bytes)");
    // Stopped near the budget: about 1 MiB of 60,000-byte datagrams in the trace, not 60 MB.
    CHECK(t.packets.size() >= 8);
    CHECK(t.packets.size() <= 20);
    CHECK(t.events.back().kind == EventKind::RunEnd);
}

TEST_CASE("limits: packets in flight count against max_trace_bytes, and leave it when they arrive") {
    // 30 datagrams of 60,000 bytes on a slow link: all queued at once, each arriving 48 ms after
    // the last. 1.8 MB in the trace alone would pass 1.5 MiB; what counts is the trace plus what
    // is still in flight, so a budget of 4 MiB holds (1.8 MB + at most 1.8 MB in flight).
    std::string yaml = lan("2ms", "10Mbps") + R"(programs:
  - host: web
    steps:
      - socket: { as: u, type: udp }
      - bind: { socket: u, port: 9 }
  - host: laptop
    steps:
      - socket: { as: u, type: udp }
      - sendto: { socket: u, to: "web:9", data: "hi" }
      - sleep: 10ms
      - repeat:
          times: 30
          steps:
            - sendto: { socket: u, to: "web:9", bytes: 60000 }
)";
    auto failures_with = [&](size_t budget) {  // one run per process (one SimGrid engine)
        return in_child([&] {
            RunOptions options;
            options.limits.max_trace_bytes = budget;
            std::string out;
            for (const std::string& f : run_yaml(yaml, options).failures) out += f + "\n";
            return out;
        });
    };
    CHECK(failures_with(4 << 20) == "");
    // 1.8 MB of trace and 1.8 MB in flight at the last sendto: over 3 MiB.
    CHECK(failures_with(3 << 20) == "test.yaml:26:15: the run was stopped at 0.010000: the trace and the packets in "
                                    "flight hold more than 3 MiB of memory (Limits::max_trace_bytes)\n");
}

TEST_CASE("limits: max_text_bytes stops captions said forever, and the text trace stays near it") {
    RunOptions options;
    options.limits.max_text_bytes = 100'000;
    Trace t = run_yaml(lan() + R"(programs:
  - host: laptop
    name: talker
    steps:
      - repeat:
          times: forever
          steps:
            - say: "a caption of about a hundred bytes, said over and over again until a limit stops it, 100"
            - sleep: 1ms
)",
                       options);
    REQUIRE(t.failures.size() == 1);
    CHECK(t.failures[0].starts_with("test.yaml:20:15: the run was stopped at 0."));
    CHECK(t.failures[0].ends_with(": the trace written out (text or JSON) would be longer than 100000 bytes (Limits::max_text_bytes)"));
    size_t bytes = text_of(t).size();
    CHECK(bytes > 50'000);   // the estimate is not far off...
    CHECK(bytes < 110'000);  // ...and errs on the side of the limit
}

TEST_CASE("limits: a limit passed in a host's stack names the host") {
    // Each datagram to an unknown address circles between two routers until its TTL runs out.
    RunOptions options;
    options.limits.max_events = 100;
    Trace t = run_yaml(R"(netstep: 1
title: routing loop
networks:
  - { name: lan, subnet: 10.0.0.0/24, latency: 1ms, bandwidth: 1Gbps }
  - { name: core, subnet: 10.9.0.0/24, latency: 1ms, bandwidth: 1Gbps }
hosts:
  - { name: a, interfaces: [ { network: lan, ip: 10.0.0.10, gateway: 10.0.0.1 } ] }
  - name: r1
    forwarding: true
    interfaces:
      - { network: lan, ip: 10.0.0.1 }
      - { network: core, ip: 10.9.0.1, gateway: 10.9.0.2 }
  - name: r2
    forwarding: true
    interfaces:
      - { network: core, ip: 10.9.0.2, gateway: 10.9.0.1 }
programs:
  - host: a
    steps:
      - socket: { as: u, type: udp }
      - sendto: { socket: u, to: "192.0.2.1:9", data: "hello" }
)",
                       options);
    REQUIRE(t.failures.size() == 1);
    CHECK(t.failures[0].starts_with("the run was stopped at 0.0"));
    bool in_a_router = t.failures[0].ends_with(": the trace has 100 events (Limits::max_events), in r1's network stack") ||
                       t.failures[0].ends_with(": the trace has 100 events (Limits::max_events), in r2's network stack");
    CHECK(in_a_router);
}

TEST_CASE("limits: a filler send is made a piece at a time, the same bytes as made at once") {
    Bytes thirteen = filler_bytes(13);
    CHECK(filler_bytes(10, 3) == Bytes(thirteen.begin() + 3, thirteen.end()));
    Bytes whole = filler_bytes(200'000);
    CHECK(filler_bytes(100'000, 100'000) == Bytes(whole.begin() + 100'000, whole.end()));
    CHECK(filler_bytes(5, 25) == Bytes{'z', 'a', 'b', 'c', 'd'});
    // 300 KB through a 64 KiB send buffer: the receiver gets the filler, byte for byte (its
    // recv shows the first bytes and the count; the digest of the trace is that of one piece).
    Trace t = run_yaml(lan() + R"(programs:
  - host: web
    steps:
      - socket: { as: l, type: tcp }
      - bind: { socket: l, port: 80 }
      - listen: { socket: l }
      - accept: { socket: l, as: c }
      - recv: { socket: c, bytes: 300000 }
  - host: laptop
    steps:
      - socket: { as: s, type: tcp }
      - connect: { socket: s, to: "web:80" }
      - send: { socket: s, bytes: 300000 }
)");
    CHECK(t.failures.empty());
    std::vector<TraceEvent> calls = events_of(t, EventKind::Call);
    bool received = false;
    for (const TraceEvent& c : calls) {
        if (c.text2 != kNone && t.strings[c.text2].starts_with("= 300000 bytes \"abcdefghijklmnopqrstuvwxyz")) received = true;
    }
    CHECK(received);
    // Every data byte on the wire is the filler at its offset.
    size_t offset = 0;
    for (const TracePacket& p : t.packets) {
        Ipv4Packet packet = parsed(p);
        const TcpSegment* seg = packet.tcp();
        if (p.from_host != 0 || !seg || seg->payload.empty()) continue;
        CHECK(seg->payload == filler_bytes(seg->payload.size(), offset));
        offset += seg->payload.size();
    }
    CHECK(offset == 300'000);
}

TEST_CASE("limits: the deepest program allowed runs on a program's stack") {
    // max_depth (32) levels of repeat and fork, connecting and printing netstat at the bottom:
    // the most stack a program can use (sim/engine.cpp, kProgramStackKiB).
    std::string body = "- socket: { as: s, type: tcp }\n"
                       "- connect: { socket: s, to: \"web:81\", expect: ECONNREFUSED }\n"
                       "- netstat\n- say: deep\n- sleep: 1ms\n";
    auto indent = [](const std::string& text) {
        std::string out;
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);) out += "      " + line + "\n";
        return out;
    };
    for (int depth = 0; depth < 31; ++depth) body = "- repeat:\n    times: 1\n    steps:\n" + indent(body);
    body = "- fork:\n    steps:\n" + indent(body) + "- sleep: 1s\n";
    std::string yaml = lan() + "programs:\n  - host: laptop\n    steps:\n" + indent(body);
    Trace t = run_yaml(yaml);
    CHECK(t.failures.empty());
    CHECK(events_of(t, EventKind::Caption).size() == 1);
}

TEST_CASE("limits: --limit NAME=VALUE sets any limit by name, and says what it expected") {
    Limits limits;
    CHECK_FALSE(set_limit(limits, "max_events=100000"));
    CHECK(limits.max_events == 100000);
    CHECK_FALSE(set_limit(limits, "max_trace_bytes=256MiB"));
    CHECK(limits.max_trace_bytes == size_t(256) << 20);
    CHECK_FALSE(set_limit(limits, "max_sim_time=600s"));
    CHECK(limits.max_sim_time == Duration::seconds(600));
    CHECK_FALSE(set_limit(limits, "max_idle_rounds=5"));
    CHECK(limits.max_idle_rounds == 5);
    CHECK(set_limit(limits, "max_evnts=3").value().starts_with("no limit named 'max_evnts'; did you mean 'max_events'?"));
    CHECK(*set_limit(limits, "max_events=0") == "max_events: expected a whole number above 0, got '0'");
    CHECK(*set_limit(limits, "max_events=1MiB") == "max_events: expected a whole number above 0, got '1MiB'");
    CHECK(*set_limit(limits, "max_sim_time=1h") == "max_sim_time: expected a duration such as 3600s, got '1h'");
    CHECK(*set_limit(limits, "max_events") == "expected NAME=VALUE (max_events=100000), got 'max_events'");
    CHECK(set_limit(limits, "max_trace_bytes=99999999999999999GiB").has_value());
}

TEST_CASE("limits: the documentation's table lists every limit with its default") {
    std::ifstream in(std::string(NETSTEP_SOURCE_DIR) + "/docs/scenario-format.md");
    std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(!doc.empty());
    Limits defaults;
    for (const LimitEntry& e : limit_entries(defaults)) {
        INFO(e.name, " = ", e.value);
        CHECK(doc.find("`" + std::string(e.name) + "`") != std::string::npos);
        CHECK(doc.find(" " + e.value + " ") != std::string::npos);
        // The value the table gives reads back as the default.
        Limits read;
        CHECK_FALSE(set_limit(read, std::string(e.name) + "=" + e.value));
    }
}
