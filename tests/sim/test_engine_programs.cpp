// The engine's programs: expectations, errors, deadlocks, timeouts, forever loops, fork, limits.
#include <doctest/doctest.h>

#include "sim/engine_text.hpp"
#include "sim/netstat.hpp"
#include "sim/trace_index.hpp"
#include "tests/sim/test_engine_support.hpp"

using namespace netstep;
using namespace netstep::sim;
using namespace netstep::sim::test;

TEST_CASE("engine: a program stuck forever is reported, not hung") {
    Trace t = run_yaml(lan() + R"(programs:
  - host: web
    name: httpd
    steps:
      - socket: { as: listener, type: tcp }
      - bind:   { socket: listener, port: 80 }
      - listen: { socket: listener }
      - accept: { socket: listener, as: conn }
)");
    auto blocked = events_of(t, EventKind::Blocked);
    REQUIRE(blocked.size() == 1);
    CHECK(t.str(blocked[0].text) == "httpd is blocked in accept(listener): nobody will connect");
    REQUIRE(t.failures.size() == 1);
    CHECK(t.failures[0].find("httpd is blocked in accept(listener): nobody will connect") != std::string::npos);
    CHECK(t.failures[0].rfind("test.yaml:", 0) == 0);  // names where the step is written
    CHECK(!t.expectations_met);
    CHECK(t.str(t.events.back().text) == "1 program blocked forever");
}

TEST_CASE("engine: an expectation that fails is recorded and stops the program") {
    Trace t = run_yaml(lan() + R"(programs:
  - host: laptop
    name: browser
    steps:
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "web:81", expect: ok }
      - say: never reached
)");
    auto failed = events_of(t, EventKind::ExpectFailed);
    REQUIRE(failed.size() == 1);
    CHECK(t.str(failed[0].text) == "connect(s, web:81) returned ECONNREFUSED, expected ok");
    REQUIRE(t.failures.size() == 1);
    CHECK(t.failures[0].find("browser: connect(s, web:81) returned ECONNREFUSED, expected ok") != std::string::npos);
    CHECK(program_end(t, 0) == "stopped: expectation failed");
    CHECK(events_of(t, EventKind::Caption).empty());
}

// The packets go to the host's own stack inside the call: its result must not be lost.
// One program alone, so that no other program's call wakes it by chance.
TEST_CASE("engine: connect() to a closed port on the host's own address is refused") {
    Trace refused = run_yaml(lan() + R"(programs:
  - host: web
    name: refused
    steps:
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "192.168.1.20:81", expect: ECONNREFUSED }
      - say: refused
)");
    CHECK(refused.failures.empty());
    CHECK(refused.expectations_met);
    CHECK(program_end(refused, 0) == "exit");
    CHECK(events_of(refused, EventKind::Blocked).empty());
}

TEST_CASE("engine: connect() to a listener on the host's own address succeeds") {
    Trace accepted = run_yaml(lan() + R"(programs:
  - host: web
    name: alone
    steps:
      - socket:  { as: listener, type: tcp }
      - bind:    { socket: listener, port: 80 }
      - listen:  { socket: listener }
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "web:80", expect: ok }
      - accept:  { socket: listener, as: conn, expect: ok }
      - send:    { socket: s, data: "hi" }
      - recv:    { socket: conn, expect: ok }
      - close:   { socket: s }
      - close:   { socket: conn }
)");
    CHECK(accepted.failures.empty());
    CHECK(accepted.expectations_met);
    CHECK(program_end(accepted, 0) == "exit");
    CHECK(events_of(accepted, EventKind::Blocked).empty());
}

TEST_CASE("engine: an expected error passes: an unexpected one ends only its program") {
    Trace t = run_yaml(lan() + R"(programs:
  - host: laptop
    name: careful
    steps:
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "web:81", expect: ECONNREFUSED }
      - say: refused, as expected
  - host: laptop
    name: careless
    steps:
      - sleep: 1ms
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "192.168.1.20:81" }
      - say: never reached
  - host: web
    name: bystander
    steps:
      - sleep: 100ms
      - say: still running
)");
    CHECK(program_end(t, program_named(t, "careful")) == "exit");
    CHECK(program_end(t, program_named(t, "careless")) == "error: ECONNREFUSED");
    CHECK(program_end(t, program_named(t, "bystander")) == "exit");
    auto captions = events_of(t, EventKind::Caption);
    REQUIRE(captions.size() == 2);
    CHECK(t.str(captions[0].text) == "refused, as expected");
    CHECK(t.str(captions[1].text) == "still running");
    REQUIRE(t.failures.size() == 1);
    CHECK(t.failures[0].find("careless: connect(s, 192.168.1.20:81) failed with ECONNREFUSED") != std::string::npos);
}

TEST_CASE("engine: recv and recvfrom with a timeout fail with EAGAIN when it expires") {
    Trace t = run_yaml(lan() + R"(programs:
  - host: web
    name: quiet
    steps:
      - socket:   { as: u, type: udp }
      - bind:     { socket: u, port: 9 }
      - recvfrom: { socket: u, timeout: 250ms, expect: EAGAIN }
      - recvfrom: { socket: u, timeout: 1s, peer_as: client }
      - sendto:   { socket: u, to: client, data: "pong" }
  - host: laptop
    name: pinger
    steps:
      - sleep: 500ms
      - socket:   { as: u, type: udp }
      - sendto:   { socket: u, to: "web:9", data: "ping" }
      - recvfrom: { socket: u, timeout: 1s }
)");
    CHECK(t.failures.empty());
    uint32_t quiet = program_named(t, "quiet");
    bool saw_eagain = false;
    for (const TraceEvent& e : t.events) {
        if (e.kind == EventKind::Call && e.program == quiet && t.str(e.text2) == "= EAGAIN") {
            CHECK(e.time == Instant::zero() + Duration::millis(250));
            saw_eagain = true;
        }
    }
    CHECK(saw_eagain);
    std::vector<std::string> pinger = calls_of(t, program_named(t, "pinger"));
    REQUIRE(!pinger.empty());
    CHECK(pinger.back().find("= 4 bytes \"pong\" from 192.168.1.20:9") != std::string::npos);
}

TEST_CASE("engine: expect with a list passes on any outcome listed: a recvfrom with a timeout in a loop") {
    // Three passes 300 ms apart, one datagram at 400 ms: EAGAIN, then ok, then EAGAIN again.
    Trace t = run_yaml(lan() + R"(programs:
  - host: web
    name: poller
    steps:
      - socket: { as: u, type: udp }
      - bind:   { socket: u, port: 9 }
      - repeat:
          times: 3
          steps:
            - recvfrom: { socket: u, timeout: 300ms, expect: [ok, EAGAIN] }
      - recvfrom: { socket: u, timeout: 10ms, expect: [ok, ECONNREFUSED] }
  - host: laptop
    name: sender
    steps:
      - sleep: 400ms
      - socket: { as: u, type: udp }
      - sendto: { socket: u, to: "web:9", data: "hi" }
)");
    std::vector<std::string> calls = calls_of(t, program_named(t, "poller"));
    std::string all;
    for (const std::string& c : calls) all += c + "\n";
    CAPTURE(all);
    REQUIRE(calls.size() == 10);  // socket, bind, then each recvfrom blocks and returns
    CHECK(calls[3] == "recvfrom(u, timeout 300ms) = EAGAIN");
    CHECK(calls[5].rfind("recvfrom(u, timeout 300ms) = 2 bytes \"hi\"", 0) == 0);
    CHECK(calls[7] == "recvfrom(u, timeout 300ms) = EAGAIN");
    // The last one times out too, which its list does not allow.
    REQUIRE(t.failures.size() == 1);
    CHECK(t.failures[0] == "test.yaml:23:9: poller: recvfrom(u, timeout 10ms) returned EAGAIN, expected ok or ECONNREFUSED");
}

TEST_CASE("engine: a forking server in a forever loop ends when its clients are done") {
    std::string yaml = lan() + R"(programs:
  - host: web
    name: echo
    steps:
      - socket: { as: listener, type: tcp }
      - bind:   { socket: listener, port: 7 }
      - listen: { socket: listener, backlog: 64 }
      - repeat:
          times: forever
          steps:
            - accept: { socket: listener, as: conn }
            - fork:
                steps:
                  - recv:  { socket: conn, bytes: 10 }
                  - send:  { socket: conn, data: "thanks" }
                  - close: { socket: conn }
)";
    for (int i = 1; i <= 3; ++i) {
        yaml += fmt::format(R"(  - host: laptop
    name: client{}
    steps:
      - sleep: {}ms
      - socket:  {{ as: s, type: tcp }}
      - connect: {{ socket: s, to: "web:7" }}
      - send:    {{ socket: s, bytes: 10 }}
      - recv:    {{ socket: s, bytes: 6 }}
      - close:   {{ socket: s }}
)",
                            i, i);
    }
    Trace t = run_yaml(yaml);
    CHECK(t.failures.empty());
    CHECK(events_of(t, EventKind::Blocked).empty());
    uint32_t echo = program_named(t, "echo");
    CHECK(program_end(t, echo) == "stopped: every other program has ended");
    for (int i = 1; i <= 3; ++i) {
        uint32_t child = program_named(t, fmt::format("echo#{}", i));
        REQUIRE(child != kNone);
        CHECK(t.programs[child].parent == echo);
        CHECK(program_end(t, child) == "exit");
        CHECK(program_end(t, program_named(t, fmt::format("client{}", i))) == "exit");
    }
}

TEST_CASE("engine: --until stops the run at that simulated time") {
    RunOptions options;
    options.until = Duration::millis(5);
    // `late` is still in its first sleep, before it has an actor (World::start_turn): it started,
    // it never ends.
    Trace t = run_yaml(lan() + R"(programs:
  - host: laptop
    name: sleeper
    steps:
      - say: before
      - sleep: 1s
      - say: after
  - host: web
    name: late
    steps:
      - sleep: 1s
      - say: never
)",
                       options);
    CHECK(t.failures.empty());
    CHECK(events_of(t, EventKind::Caption).size() == 1);
    CHECK(events_of(t, EventKind::ProgramStart).size() == 2);
    CHECK(events_of(t, EventKind::ProgramEnd).empty());
    CHECK(t.end_time == Instant::zero() + Duration::millis(5));
    CHECK(t.str(t.events.back().text) == "stopped at 5ms (--until)");
}

TEST_CASE("engine: ipconfig, netstat and expect_state look at the host") {
    Trace t = run_yaml(R"(netstep: 1
title: test
networks:
  - { name: lan, subnet: 192.168.1.0/24, latency: 1ms, bandwidth: 100Mbps }
hosts:
  - name: web
    interfaces:
      - { adapter: "Ethernet adapter Ethernet", network: lan, ip: 192.168.1.20, gateway: 192.168.1.1 }
programs:
  - host: web
    name: admin
    steps:
      - ipconfig
      - socket: { as: l, type: tcp }
      - bind:   { socket: l, port: 80 }
      - listen: { socket: l }
      - expect_state: { socket: l, state: LISTEN }
      - netstat
)");
    CHECK(t.failures.empty());
    auto outputs = events_of(t, EventKind::Output);
    REQUIRE(outputs.size() == 2);
    CHECK(t.str(outputs[0].text) ==
          "Ethernet adapter Ethernet:\n"
          "   IPv4 Address. . . : 192.168.1.20\n"
          "   Subnet Mask . . . : 255.255.255.0\n"
          "   Default Gateway . : 192.168.1.1");
    CHECK(t.str(outputs[1].text) ==
          "  Proto  Local Address          Foreign Address        State\n"
          "  TCP    0.0.0.0:80             0.0.0.0:0              LISTENING");
}

TEST_CASE("engine: text helpers quote payloads and format tables") {
    std::string get = "GET / HTTP/1.0\r\n\r\n";
    CHECK(quote_bytes(std::span(reinterpret_cast<const uint8_t*>(get.data()), get.size())) ==
          "\"GET / HTTP/1.0\\r\\n\\r\\n\"");
    Bytes odd = {0x00, 'a', '"', '\\', 0xff};
    CHECK(quote_bytes(odd) == "\"\\x00\\x61\\\"\\\\\\xff\"");  // a hex digit after \\xNN is escaped too
    CHECK(quote_bytes(filler_bytes(100), 10) == "\"abcdefghij\"...");
    CHECK(filler_bytes(28).back() == 'b');
    for (size_t n : {0, 1, 26, 27, 52, 53, 1000, 1461}) {  // the alphabet, again and again
        Bytes b = filler_bytes(n);
        REQUIRE(b.size() == n);
        for (size_t i = 0; i < n; ++i) REQUIRE(b[i] == uint8_t('a' + i % 26));
    }
    SocketInfo udp;
    udp.type = SocketType::Udp;
    udp.local = Endpoint{Ipv4Address::from_octets(10, 0, 0, 1), 53};
    CHECK(format_netstat(std::vector{udp}, NetstatStyle::Windows) ==
          "  Proto  Local Address          Foreign Address        State\n"
          "  UDP    10.0.0.1:53            *:*");
}

TEST_CASE("engine: a router forwards hop by hop, each hop on its own network") {
    Trace t = run_yaml(R"(netstep: 1
title: test
options: { isn: zero }
networks:
  - { name: office, subnet: 192.168.1.0/24, latency: 2ms, bandwidth: 100Mbps }
  - { name: servers, subnet: 10.0.0.0/24, latency: 1ms, bandwidth: 1Gbps }
hosts:
  - name: laptop
    interfaces:
      - { network: office, ip: 192.168.1.10, gateway: 192.168.1.1 }
  - name: router
    forwarding: true
    interfaces:
      - { network: office, ip: 192.168.1.1 }
      - { network: servers, ip: 10.0.0.1 }
  - name: server
    interfaces:
      - { network: servers, ip: 10.0.0.80, gateway: 10.0.0.1 }
programs:
  - host: server
    name: httpd
    steps:
      - socket: { as: l, type: tcp }
      - bind:   { socket: l, port: 80 }
      - listen: { socket: l }
      - accept: { socket: l, as: c }
      - close:  { socket: c }
  - host: laptop
    name: browser
    steps:
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "server:80" }
      - close:   { socket: s }
)");
    CHECK(t.failures.empty());
    uint32_t laptop = host_named(t, "laptop"), router = host_named(t, "router"), server = host_named(t, "server");
    auto sent = sent_packets(t);
    REQUIRE(sent.size() >= 2);
    // The SYN: laptop -> router on the office network, then router -> server on the servers one.
    const TracePacket& hop1 = *sent[0];
    const TracePacket& hop2 = *sent[1];
    CHECK(hop1.from_host == laptop);
    CHECK(hop1.to_host == router);
    CHECK(hop1.network == 0);
    CHECK(hop2.from_host == router);
    CHECK(hop2.to_host == server);
    CHECK(hop2.network == 1);
    CHECK(hop2.from_interface == 1);
    // The router forwards the SYN once it has the server's MAC: its ARP request on the servers
    // network goes at once, the SYN when the reply is back.
    auto arp = arp_frames(t);
    const TracePacket* router_request = nullptr;
    const TracePacket* server_reply = nullptr;
    for (auto& [frame, packet] : arp) {
        if (frame->network != 1) continue;
        if (packet.op == ArpPacket::Op::Request && frame->from_host == router) router_request = frame;
        if (packet.op == ArpPacket::Op::Reply && frame->from_host == server) server_reply = frame;
    }
    REQUIRE(router_request);
    REQUIRE(server_reply);
    CHECK(router_request->sent == hop1.arrives);
    CHECK(hop2.sent == server_reply->arrives);
    CHECK(parsed(hop1).ttl == parsed(hop2).ttl + 1);
    CHECK(parsed(hop2).dst == Ipv4Address::from_octets(10, 0, 0, 80));
}

TEST_CASE("engine: the event limit stops a run that would not end") {
    RunOptions options;
    options.limits.max_events = 200;
    Trace t = run_yaml(lan() + R"(programs:
  - host: laptop
    name: chatter
    steps:
      - repeat:
          times: forever
          steps:
            - say: again
)",
                       options);
    REQUIRE(!t.failures.empty());
    CHECK(t.failures[0] == "test.yaml:20:15: the run was stopped at 0.000000: the trace has 200 events (Limits::max_events)");
    CHECK(t.events.size() <= 202);
    CHECK(t.events.back().kind == EventKind::RunEnd);
}

// Loops that do nothing, at any depth, hit Limits::max_idle_rounds (the default: must end fast).
TEST_CASE("engine: nested loops that take no simulated time stop at the idle-rounds limit") {
    Trace t = run_yaml(lan() + R"(programs:
  - host: laptop
    name: spinner
    steps:
      - say: start
      - repeat: { times: 1000000, steps: [ repeat: { times: 1000000, steps: [ sleep: 0s ] } ] }
      - say: never reached
)");
    // The outer loop's round is the one that reaches the limit (the inner loop's rounds count too).
    REQUIRE(t.failures.size() == 1);
    CHECK(t.failures[0] == "test.yaml:18:9: the run was stopped: spinner's loops went round 1000000 times in a row "
                           "without simulated time passing or anything recorded (Limits::max_idle_rounds)");
    CHECK(events_of(t, EventKind::Caption).size() == 1);
    CHECK(t.events.back().kind == EventKind::RunEnd);
}

TEST_CASE("engine: an idle forever loop inside a finite loop stops at the idle-rounds limit") {
    RunOptions options;
    options.limits.max_idle_rounds = 1000;
    Trace t = run_yaml(lan() + R"(programs:
  - host: laptop
    name: spinner
    steps:
      - repeat:
          times: 3
          steps:
            - repeat: { times: forever, steps: [ sleep: 0s ] }
)",
                       options);
    REQUIRE(t.failures.size() == 1);
    CHECK(t.failures[0] == "test.yaml:20:15: the run was stopped: spinner's loops went round 1000 times in a row "
                           "without simulated time passing or anything recorded (Limits::max_idle_rounds)");
}

TEST_CASE("engine: loops whose rounds take simulated time or record something are not idle") {
    RunOptions options;
    options.limits.max_idle_rounds = 1000;
    Trace t = run_yaml(lan() + R"(programs:
  - host: web
    name: patient
    steps:
      - repeat: { times: 2000, steps: [ sleep: 1ms ] }
      - repeat: { times: 2000, steps: [ { repeat: { times: 2, steps: [ sleep: 0s ] } }, { say: busy } ] }
)",
                       options);
    CHECK(t.failures.empty());
    CHECK(program_end(t, 0) == "exit");
}

// A program's start and the sleeps it begins with run without a SimGrid actor (World::start_turn);
// it is given one at its first other step. The trace must not show the difference.
TEST_CASE("engine: programs that begin by sleeping: start at 0, go on at the right time, in order") {
    Trace t = run_yaml(lan() + R"(programs:
  - host: laptop
    name: late
    steps:
      - sleep: 2ms
      - sleep: 0ms
      - sleep: 3ms
      - say: late at five
  - host: web
    name: early
    steps:
      - sleep: 5ms
      - say: early at five
  - host: web
    name: sleeper
    steps:
      - sleep: 1ms
  - host: laptop
    name: at_once
    steps:
      - say: at zero
)");
    CHECK(t.failures.empty());
    auto starts = events_of(t, EventKind::ProgramStart);
    REQUIRE(starts.size() == 4);
    for (const TraceEvent& e : starts) CHECK(e.time == Instant::zero());
    auto captions = events_of(t, EventKind::Caption);
    REQUIRE(captions.size() == 3);
    CHECK(t.str(captions[0].text) == "at zero");
    CHECK(captions[0].time == Instant::zero());
    // Both due at 5 ms: early's wake was scheduled at 0, late's at 2 ms: first scheduled, first run.
    CHECK(t.str(captions[1].text) == "early at five");
    CHECK(t.str(captions[2].text) == "late at five");
    CHECK(captions[1].time == Instant::zero() + Duration::millis(5));
    CHECK(captions[2].time == Instant::zero() + Duration::millis(5));
    auto ends = events_of(t, EventKind::ProgramEnd);
    REQUIRE(ends.size() == 4);
    bool sleeper_ended_at_1ms = false;
    for (const TraceEvent& e : ends) {
        if (t.programs[e.program].name == "sleeper") sleeper_ended_at_1ms = e.time == Instant::zero() + Duration::millis(1);
    }
    CHECK(sleeper_ended_at_1ms);  // a program of sleeps only ends when they are over
}

TEST_CASE("engine: captions are said at the step where their moment happens, in every language") {
    Trace t = run_yaml(lan() + "programs:" + kHttpd + R"(
  - host: laptop
    name: browser
    steps:
      - sleep:   10ms
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "web:80" }
      - send:    { socket: s, data: "GET" }
      - say:     { en: Sent., fr: Envoyé. }
      - close:   { socket: s }
captions:
  - when: { arrives: web, flags: SYN }
    say: { en: The SYN reaches web., fr: Le SYN atteint web., it: Il SYN raggiunge web. }
  - when: { leaves: web, flags: SYN+ACK }
    say: web answers.
  - when: { host: laptop, enters: TIME-WAIT }
    say: The laptop waits.
  - when: { host: web, enters: SYN-SENT }
    say: Never said.
)");
    // Each caption right after the event it is tied to, on that host, of no program.
    auto caption_after = [&](auto is_moment) -> std::optional<uint32_t> {
        for (uint32_t i = 0; i + 1 < t.events.size(); ++i) {
            if (is_moment(t.events[i])) return t.events[i + 1].kind == EventKind::Caption ? std::optional(i + 1) : std::nullopt;
        }
        return std::nullopt;
    };
    uint32_t web = host_named(t, "web"), laptop = host_named(t, "laptop");
    auto syn_arrives = caption_after([&](const TraceEvent& e) {
        return e.kind == EventKind::PacketDelivered && e.host == web && tcp_flags(t.packets[e.packet]) == tcp_flag::SYN;
    });
    REQUIRE(syn_arrives);
    CHECK(t.str(t.events[*syn_arrives].text) == "The SYN reaches web.");
    CHECK(t.events[*syn_arrives].program == kNone);
    CHECK(t.events[*syn_arrives].host == web);
    CHECK(t.caption_text(*syn_arrives, "fr") == "Le SYN atteint web.");
    CHECK(t.caption_text(*syn_arrives, "it") == "Il SYN raggiunge web.");
    CHECK(t.caption_text(*syn_arrives, "en") == "The SYN reaches web.");
    auto syn_ack_leaves = caption_after([&](const TraceEvent& e) {
        return e.kind == EventKind::PacketSent && e.host == web &&
               tcp_flags(t.packets[e.packet]) == (tcp_flag::SYN | tcp_flag::ACK);
    });
    REQUIRE(syn_ack_leaves);
    CHECK(t.str(t.events[*syn_ack_leaves].text) == "web answers.");
    CHECK(t.caption_text(*syn_ack_leaves, "fr") == "web answers.");  // no French: English
    auto time_wait = caption_after([&](const TraceEvent& e) {
        return e.kind == EventKind::StateChange && e.host == laptop && e.to == TcpState::TimeWait;
    });
    REQUIRE(time_wait);
    CHECK(t.str(t.events[*time_wait].text) == "The laptop waits.");
    // A program's say: with languages too.
    uint32_t sent = kNone;
    for (uint32_t i = 0; i < t.events.size(); ++i) {
        if (t.events[i].kind == EventKind::Caption && t.str(t.events[i].text) == "Sent.") sent = i;
    }
    REQUIRE(sent != kNone);
    CHECK(t.events[sent].program == program_named(t, "browser"));
    CHECK(t.caption_text(sent, "fr") == "Envoyé.");
    // The one that never came: a warning naming its line.
    REQUIRE(t.warnings.size() == 1);
    CHECK(t.warnings[0] == "test.yaml:41:5: caption when { host: web, enters: SYN-SENT, nth: 1 } never said: no state "
                           "change matched");
    CHECK(t.failures.empty());
}

TEST_CASE("engine: under linux the trace shows the scaled window: a router's hops show their TTL") {
    Trace t = run_yaml(R"(netstep: 1
title: t
profile: linux
options: { isn: zero }
networks:
  - { name: a, subnet: 192.168.1.0/24, latency: 1ms, bandwidth: 100Mbps }
  - { name: b, subnet: 10.0.0.0/24, latency: 1ms, bandwidth: 100Mbps }
hosts:
  - { name: laptop, interfaces: [ { network: a, ip: 192.168.1.10, gateway: 192.168.1.1 } ] }
  - name: router
    forwarding: true
    interfaces: [ { network: a, ip: 192.168.1.1 }, { network: b, ip: 10.0.0.1 } ]
  - { name: web, interfaces: [ { network: b, ip: 10.0.0.20, gateway: 10.0.0.1 } ] }
programs:)" + std::string(kHttpd) + kGetAndClose);
    TraceIndex index(t);
    uint32_t laptop = host_named(t, "laptop"), router = host_named(t, "router");
    bool saw_syn = false, saw_ack = false, saw_forwarded = false;
    for (uint32_t i = 0; i < t.packets.size(); ++i) {
        if (t.arp(t.packets[i])) continue;
        Ipv4Packet p = parsed(t.packets[i]);
        if (!p.tcp()) continue;
        std::string text = index.describe_packet(i);
        if (t.packets[i].from_host == laptop && p.tcp()->flags == tcp_flag::SYN) {
            // A SYN's window is never scaled (RFC 7323 §2.2); it announces the shift.
            CHECK(index.effective_window(i) == p.tcp()->window);
            CHECK(text.find(" wscale=10 ttl=64") != std::string::npos);
            saw_syn = true;
        } else if (t.packets[i].from_host == laptop && p.tcp()->flags == tcp_flag::ACK && !saw_ack) {
            CHECK(p.tcp()->window == 63);
            CHECK(index.effective_window(i) == 64512u);
            CHECK(text.find(" win=64512 ") != std::string::npos);
            saw_ack = true;
        }
        if (t.packets[i].from_host == router && p.src.value != 0x0A000001 && p.src.value != 0xC0A80101) {
            CHECK(text.ends_with(" ttl=63"));
            saw_forwarded = true;
        }
    }
    CHECK(saw_syn);
    CHECK(saw_ack);
    CHECK(saw_forwarded);
}
