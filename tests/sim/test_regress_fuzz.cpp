// Regression tests for what fuzzing found (fuzz/README.md): each input that once hung, crashed or
// broke an invariant, with the answer it must get now.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "sim/scenario.hpp"

using namespace netstep::sim;

namespace {

std::string error_of(const std::string& text) {
    try {
        load_scenario_text(text, "t.yaml");
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

// fuzz_scenario timeout-8ea000fb: ",f" made YAML::LoadAll (yaml-cpp 0.7) loop forever, growing a
// vector of empty documents until out of memory. Now a located error, at once.
TEST_CASE("regress: a file starting with ',' is an error, not an endless stream of documents") {
    auto start = std::chrono::steady_clock::now();
    for (const char* text : {",f", ",", ",\n,\n", "- a\n,", "netstep: 1\n,"}) {
        CAPTURE(text);
        std::string error = error_of(text);
        CHECK(error.rfind("t.yaml:", 0) == 0);
    }
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("regress: two documents are still refused, at the second one's first line") {
    CHECK(error_of("netstep: 1\n---\nnetstep: 1\n") == "t.yaml:3:1: a scenario file holds one YAML document; found a second one");
    CHECK(error_of("netstep: 1\n...\n---\n- x\n") == "t.yaml:4:1: a scenario file holds one YAML document; found a second one");
}

// Limits, found by running the CLI on hostile files (fuzz/README.md): a fork bomb made SimGrid
// actors until the process died (no limit on forks); it now stops at Limits::max_programs.
#include "sim/engine.hpp"
#include "test_engine_support.hpp"

TEST_CASE("regress: a fork bomb stops at the program limit with a clear message") {
    RunOptions options;
    options.limits.max_programs = 50;
    Trace t = netstep::sim::test::run_yaml(R"(netstep: 1
title: fork bomb
networks:
  - { name: lan, subnet: 10.0.0.0/24, latency: 1ms, bandwidth: 100Mbps }
hosts:
  - { name: a, interfaces: [ { network: lan, ip: 10.0.0.1 } ] }
programs:
  - host: a
    steps:
      - repeat: { times: forever, steps: [ { fork: { steps: [ { sleep: 1s } ] } } ] }
)",
                                           options);
    REQUIRE(!t.failures.empty());
    CHECK(t.failures[0] == "test.yaml:10:46: the run was stopped at 0.000000: fork() would make more than 50 programs "
                           "(Limits::max_programs, Limits::max_forks)");
    CHECK(t.programs.size() == 50);
    CHECK(t.events.back().kind == EventKind::RunEnd);
}

// Found while seeding fuzz_run (fuzz/corpus/fuzz_run/seed-attack-alias-bomb: one connection
// carrying `say` and `send` of an aliased 4,000-byte string forever): within the default limits
// the run held 0.8 GB, and --json 2.5 GB, because write_json built one JSON DOM of all of a
// socket's changes (hundreds of thousands) and its dump before writing a byte of it. Now each
// change is written as it is made; the bytes are the same. The scenario below is kept as
// fuzz/corpus/fuzz_run/regress-json-socket-history.
#include <malloc.h>

#include <sstream>

#include "sim/output.hpp"

namespace {

// A stream that keeps nothing and notes the most memory malloc had handed out while it wrote.
class PeakBuf : public std::streambuf {
public:
    size_t base = mallinfo2().uordblks, peak = 0, bytes = 0;

protected:
    void sample() {
        size_t used = mallinfo2().uordblks;
        if (used > base && used - base > peak) peak = used - base;
    }
    int_type overflow(int_type c) override {
        sample();
        ++bytes;
        return traits_type::not_eof(c);
    }
    std::streamsize xsputn(const char*, std::streamsize n) override {
        sample();
        bytes += size_t(n);
        return n;
    }
};

}  // namespace

TEST_CASE("regress: write_json writes a busy socket's history a change at a time") {
    // 6,000 one-byte sends on one connection: each changes the socket's row on both hosts.
    Trace t = netstep::sim::test::run_yaml(R"(netstep: 1
title: busy socket
networks:
  - { name: lan, subnet: 10.0.0.0/24, latency: 1ms, bandwidth: 100Mbps }
hosts:
  - { name: a, interfaces: [ { network: lan, ip: 10.0.0.1 } ] }
  - { name: b, interfaces: [ { network: lan, ip: 10.0.0.2 } ] }
programs:
  - host: b
    steps:
      - socket: { as: l, type: tcp }
      - bind: { socket: l, port: 80 }
      - listen: { socket: l }
      - accept: { socket: l, as: c }
      - repeat: { times: forever, steps: [ { recv: { socket: c } } ] }
  - host: a
    steps:
      - socket: { as: s, type: tcp }
      - connect: { socket: s, to: "b:80" }
      - repeat: { times: 6000, steps: [ { send: { socket: s, data: "x" } }, { sleep: 1ms } ] }
      - close: { socket: s }
)");
    size_t changes = 0;
    for (const SocketHistory& h : t.sockets) changes = std::max(changes, h.rows.size());
    REQUIRE(changes >= 6000);

    PeakBuf buf;
    std::ostream out(&buf);
    write_json(t, out);
    CAPTURE(changes);
    CAPTURE(buf.bytes);
    // One DOM of every change held several times the JSON's size; now one change at a time.
    CHECK(buf.peak < buf.bytes / 10);

    std::ostringstream json;
    write_json(t, json);
    std::istringstream in(json.str());
    Trace back = read_json(in);
    CHECK(back.sockets.size() == t.sockets.size());
    for (size_t i = 0; i < t.sockets.size(); ++i) CHECK(back.sockets[i].rows.size() == t.sockets[i].rows.size());
}
