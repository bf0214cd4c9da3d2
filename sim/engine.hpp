// The engine: runs a scenario on SimGrid and records everything that happens into a Trace.
//
//   Trace trace = run_scenario(load_scenario_file("handshake.yaml"), {});
//
// SimGrid allows one engine per process: call run_scenario once per process (the command line
// does; the visualizer runs `netstep run FILE --json OUT` as a child process).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "model/time.hpp"
#include "sim/scenario.hpp"
#include "sim/trace.hpp"

namespace netstep::sim {

// Where a run is, for a progress line (netstep run on a terminal): how far it has gone toward
// each limit that can stop it.
struct RunProgress {
    Instant now;
    size_t events = 0;
    size_t trace_bytes = 0;  // the trace's memory and the packets in flight (Limits::max_trace_bytes)
    size_t text_bytes = 0;   // Limits::max_text_bytes
};

struct RunOptions {
    std::optional<uint64_t> seed;   // overrides the scenario's seed (netstep run --seed N)
    std::optional<Duration> until;  // stop the run at this simulated time (netstep run --until 5s)
    Limits limits;                  // max_sim_time and max_events apply to the run
    // Called every few thousand turns (and never into the trace): the caller decides whether to
    // show it. Not called when empty.
    std::function<void(const RunProgress&)> on_progress;
};

// Runs the scenario to its end (every program finished, or stuck, or a limit reached) and
// returns the trace. The same scenario and seed give the same trace, byte for byte.
// Expectation failures, program errors and deadlocks are in trace.failures, not exceptions.
Trace run_scenario(const Scenario& scenario, const RunOptions& options = {});

}  // namespace netstep::sim
