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
