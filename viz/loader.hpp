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

// A run started but not yet read back: the child works while the viewer opens its window.
struct PendingLoad {
    std::string file;
    int pid = -1;                       // the child (-1: not started, or the demo trace)
    std::string json, err;              // its temporary output files
    std::string error;                  // why it could not start
    int exit_code = -1;                 // the child's, once load_done() saw it exit (-1: not yet)
    uint64_t worker_request = 0;        // run by `netstep worker` (a fork of it): its request number
};

PendingLoad start_load(const std::string& netstep_exe, const std::string& file);
// True once the child has exited (finish_load will not wait); never blocks.
bool load_done(PendingLoad& pending);
LoadResult finish_load(PendingLoad& pending);  // waits for the child, reads its trace
LoadResult load_scenario(const std::string& netstep_exe, const std::string& file);

// A small hand-made trace (a handshake, one request, a close, a dropped segment), for tests and
// for developing the views without the simulator.
sim::Trace demo_trace();

}  // namespace netstep::viz
