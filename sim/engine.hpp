// The engine: runs a scenario on SimGrid and records everything that happens into a Trace.
//
//   Trace trace = run_scenario(load_scenario_file("handshake.yaml"), {});
//
// SimGrid allows one engine per process: call run_scenario once per process (the command line
// does; the visualizer runs `netstep run FILE --json OUT` as a child process).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "model/time.hpp"
#include "sim/scenario.hpp"
#include "sim/trace.hpp"

namespace netstep::sim {

struct RunOptions {
    std::optional<uint64_t> seed;   // overrides the scenario's seed (netstep run --seed N)
    std::optional<Duration> until;  // stop the run at this simulated time (netstep run --until 5s)
    Limits limits;                  // max_sim_time and max_events apply to the run
};

// Runs the scenario to its end (every program finished, or stuck, or a limit reached) and
// returns the trace. The same scenario and seed give the same trace, byte for byte.
// Expectation failures, program errors and deadlocks are in trace.failures, not exceptions.
Trace run_scenario(const Scenario& scenario, const RunOptions& options = {});

}  // namespace netstep::sim
