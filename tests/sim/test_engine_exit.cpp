// Programs die like processes: at a program's end (its last step, an error, `exit`) its OS closes
// the sockets it still holds, unless a forked child or its parent still holds them
// (World::close_at_exit).
// One run_scenario per TEST_CASE (one SimGrid engine per process).
#include <doctest/doctest.h>

#include <algorithm>

#include "test_engine_support.hpp"

using namespace netstep;
using namespace netstep::sim;
using namespace netstep::sim::test;

namespace {

// The Notes "the OS closes ...", as "program: text".
std::vector<std::string> exit_closes(const Trace& t) {
    std::vector<std::string> out;
    for (const TraceEvent& e : t.events) {
        if (e.kind == EventKind::Note && t.str(e.text).starts_with("the OS closes")) {
            out.push_back(t.programs[e.program].name + ": " + t.str(e.text));
        }
    }
    return out;
}

// The time of the first packet `host` sent with exactly these TCP flags.
std::optional<Instant> first_sent(const Trace& t, uint32_t host, uint8_t flags) {
    for (const TracePacket* p : sent_packets(t)) {
        if (p->from_host == host && tcp_flags(*p) == flags) return p->sent;
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("engine: a shared socket is closed at the exit of the last program holding it") {
    // The parent ends at once after the fork: the child still holds the listener and the
    // connection, so nothing closes; when the child ends, the OS closes both (FIN).
    Trace t = run_yaml(lan() + R"(programs:
  - host: web
    name: httpd
    steps:
      - socket: { as: listener, type: tcp }
      - bind:   { socket: listener, port: 80 }
      - listen: { socket: listener }
      - accept: { socket: listener, as: conn }
      - fork:
          steps:
            - recv: { socket: conn, bytes: 5 }
  - host: laptop
    name: client
    steps:
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "web:80", expect: ok }
      - sleep: 50ms
      - send:    { socket: s, data: "hello" }
      - recv:    { socket: s, expect: ok }
      - close:   { socket: s }
)");
    CHECK(t.expectations_met);
    CHECK(exit_closes(t) == std::vector<std::string>{"httpd#1: the OS closes httpd#1's socket listener at exit",
                                                     "httpd#1: the OS closes httpd#1's socket conn at exit"});
    uint32_t web = host_named(t, "web");
    auto fin = first_sent(t, web, tcp_flag::FIN | tcp_flag::ACK);
    REQUIRE(fin);
    CHECK(*fin >= Instant::zero() + Duration::millis(50));  // after the child's recv, not at the parent's end
    uint32_t client = program_named(t, "client");
    auto calls = calls_of(t, client);
    CHECK(std::find(calls.begin(), calls.end(), "recv(s) = 0 (EOF)") != calls.end());
}

TEST_CASE("engine: under linux a program that exits with unread data resets its connection") {
    // Linux tcp_close(): data left unread -> RST+ACK instead of FIN; the peer's recv fails.
    std::string yaml = lan() + R"(programs:
  - host: web
    name: httpd
    steps:
      - socket: { as: listener, type: tcp }
      - bind:   { socket: listener, port: 80 }
      - listen: { socket: listener }
      - accept: { socket: listener, as: conn }
      - sleep: 50ms
  - host: laptop
    name: client
    steps:
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "web:80", expect: ok }
      - send:    { socket: s, data: "hello" }
      - recv:    { socket: s, expect: ECONNRESET }
      - close:   { socket: s }
      - sleep: 10ms
      - socket:  { as: s2, type: tcp }
      - connect: { socket: s2, to: "web:80", expect: ECONNREFUSED }
      - close:   { socket: s2 }
)";
    yaml.replace(yaml.find("title: test"), 11, "title: test\nprofile: linux");
    Trace t = run_yaml(yaml);
    CHECK(t.expectations_met);
    uint32_t web = host_named(t, "web");
    CHECK(first_sent(t, web, tcp_flag::RST | tcp_flag::ACK));
    CHECK_FALSE(first_sent(t, web, tcp_flag::FIN | tcp_flag::ACK));
}

TEST_CASE("engine: a program blocked forever keeps its sockets (it never exited)") {
    Trace t = run_yaml(lan() + R"(programs:
  - host: web
    name: httpd
    steps:
      - socket: { as: listener, type: tcp }
      - bind:   { socket: listener, port: 80 }
      - listen: { socket: listener }
      - accept: { socket: listener, as: conn }
  - host: laptop
    name: client
    steps:
      - socket: { as: s, type: udp }
      - bind:   { socket: s, port: 53 }
)");
    // The client ended: its socket is closed. The stuck server's listener is not.
    CHECK(exit_closes(t) == std::vector<std::string>{"client: the OS closes client's socket s at exit"});
    uint32_t web = host_named(t, "web");
    for (const SocketHistory& h : t.sockets) {
        if (h.host == web) CHECK(h.gone_step == kNone);
    }
    CHECK(events_of(t, EventKind::Blocked).size() == 1);
}

TEST_CASE("engine: exit ends the program at once and its OS closes its sockets") {
    Trace t = run_yaml(lan() + R"(programs:
  - host: web
    name: httpd
    steps:
      - socket: { as: listener, type: tcp }
      - bind:   { socket: listener, port: 80 }
      - listen: { socket: listener }
      - accept: { socket: listener, as: conn }
      - recv:   { socket: conn, bytes: 5 }
      - exit
      - send:   { socket: conn, data: "never" }
      - close:  { socket: conn }
      - say: never said
  - host: laptop
    name: client
    steps:
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "web:80", expect: ok }
      - send:    { socket: s, data: "hello" }
      - recv:    { socket: s, expect: ok }
      - close:   { socket: s }
)");
    CHECK(t.expectations_met);
    CHECK(t.failures.empty());
    uint32_t httpd = program_named(t, "httpd");
    auto calls = calls_of(t, httpd);
    REQUIRE_FALSE(calls.empty());
    CHECK(calls.back() == "exit()");  // nothing after it: no send, no close
    CHECK(program_end(t, httpd) == "exit");
    CHECK(events_of(t, EventKind::Caption).empty());
    CHECK(exit_closes(t) == std::vector<std::string>{"httpd: the OS closes httpd's socket listener at exit",
                                                     "httpd: the OS closes httpd's socket conn at exit"});
    CHECK(first_sent(t, host_named(t, "web"), tcp_flag::FIN | tcp_flag::ACK));
    auto client = calls_of(t, program_named(t, "client"));
    CHECK(std::find(client.begin(), client.end(), "recv(s) = 0 (EOF)") != client.end());
}

TEST_CASE("engine: a parent's exit leaves the sockets its forked child holds open until the child ends") {
    Trace t = run_yaml(lan() + R"(programs:
  - host: web
    name: httpd
    steps:
      - socket: { as: listener, type: tcp }
      - bind:   { socket: listener, port: 80 }
      - listen: { socket: listener }
      - accept: { socket: listener, as: conn }
      - fork:
          steps:
            - recv: { socket: conn, bytes: 5 }
            - send: { socket: conn, data: "bye" }
      - exit
      - close:  { socket: conn }
  - host: laptop
    name: client
    steps:
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "web:80", expect: ok }
      - sleep: 50ms
      - send:    { socket: s, data: "hello" }
      - recv:    { socket: s, bytes: 3, expect: ok }
      - recv:    { socket: s, expect: ok }
      - close:   { socket: s }
)");
    CHECK(t.expectations_met);
    uint32_t httpd = program_named(t, "httpd");
    CHECK(calls_of(t, httpd).back() == "exit()");
    CHECK(program_end(t, httpd) == "exit");
    // The parent's exit closes nothing: the child holds both sockets.
    CHECK(exit_closes(t) == std::vector<std::string>{"httpd#1: the OS closes httpd#1's socket listener at exit",
                                                     "httpd#1: the OS closes httpd#1's socket conn at exit"});
    auto fin = first_sent(t, host_named(t, "web"), tcp_flag::FIN | tcp_flag::ACK);
    REQUIRE(fin);
    CHECK(*fin >= Instant::zero() + Duration::millis(50));  // at the child's end
    auto client = calls_of(t, program_named(t, "client"));
    CHECK(std::find(client.begin(), client.end(), "recv(s, 3 bytes) = 3 bytes \"bye\"") != client.end());
    CHECK(std::find(client.begin(), client.end(), "recv(s) = 0 (EOF)") != client.end());
}

TEST_CASE("engine: exit inside repeat ends its program: inside fork only the child") {
    Trace t = run_yaml(lan() + R"(programs:
  - host: laptop
    name: looper
    steps:
      - socket: { as: u, type: udp }
      - repeat:
          times: 3
          steps:
            - sendto: { socket: u, to: "web:9", data: x }
            - exit
      - say: looper never says this
  - host: laptop
    name: parent
    steps:
      - fork:
          steps:
            - exit: { code: 3 }
            - say: the child never says this
      - sleep: 10ms
      - say: the parent goes on
  - host: web
    name: server
    steps:
      - socket: { as: l, type: tcp }
      - bind:   { socket: l, port: 80 }
      - listen: { socket: l }
      - repeat:
          times: forever
          steps:
            - accept: { socket: l, as: c }
            - exit
  - host: laptop
    name: client
    steps:
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "web:80", expect: ok }
      - recv:    { socket: s, expect: ok }
      - close:   { socket: s }
)");
    CHECK(t.expectations_met);
    CHECK(t.failures.empty());
    uint32_t looper = program_named(t, "looper");
    CHECK(calls_of(t, looper) == std::vector<std::string>{"socket(udp) as u = 1", "sendto(u, web:9, \"x\") = 1", "exit()"});
    CHECK(program_end(t, looper) == "exit");
    uint32_t child = program_named(t, "parent#1");
    REQUIRE(child != kNone);
    CHECK(calls_of(t, child) == std::vector<std::string>{"exit(3)"});
    CHECK(program_end(t, child) == "exit status 3");  // a normal end: no failure
    CHECK(program_end(t, program_named(t, "parent")) == "exit");
    auto captions = events_of(t, EventKind::Caption);
    REQUIRE(captions.size() == 1);
    CHECK(t.str(captions[0].text) == "the parent goes on");
    uint32_t server = program_named(t, "server");
    CHECK(calls_of(t, server).back() == "exit()");
    CHECK(program_end(t, server) == "exit");
    auto closes = exit_closes(t);
    CHECK(std::find(closes.begin(), closes.end(), "server: the OS closes server's socket c at exit") != closes.end());
    CHECK(std::find(closes.begin(), closes.end(), "looper: the OS closes looper's socket u at exit") != closes.end());
}
