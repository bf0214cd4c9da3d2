// Getting a trace: run `netstep run FILE --json TMP.json` as a child process (SimGrid allows one
// engine per process) and read the JSON back; or the built-in demo trace (file ":demo").
#pragma once
#include <memory>
#include <string>

#include "sim/trace.hpp"

namespace netstep::viz {

struct LoadResult {
    std::unique_ptr<sim::Trace> trace;  // null on failure
    std::string error;                  // what the run printed on stderr, or why it failed
    int exit_code = 0;                  // the child's: 0 ok, 1 expectations failed, 2 scenario error
};

LoadResult load_scenario(const std::string& netstep_exe, const std::string& file);

// A small hand-made trace (a handshake, one request, a close, a dropped segment), for tests and
// for developing the views without the simulator.
sim::Trace demo_trace();

}  // namespace netstep::viz
