// fuzz_trace_json: bytes -> sim::read_json (the trace the visualizer reads back from
// `netstep run --json`). Only std::runtime_error (and its subclasses) may come out; anything
// else — another exception, a crash, a sanitizer report — is a bug. A trace that loads is
// written back out and must load again.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <sstream>
#include <stdexcept>
#include <string>

#include "sim/output.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    netstep::sim::Trace trace;
    try {
        trace = netstep::sim::read_json(in);
    } catch (const std::runtime_error&) {
        return 0;  // a clear error: fine
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz_trace_json: unexpected exception: %s\n", e.what());
        std::abort();
    }
    // What loaded can be written and read back.
    std::ostringstream out;
    netstep::sim::write_json(trace, out);
    std::istringstream back(out.str());
    try {
        (void)netstep::sim::read_json(back);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz_trace_json: write_json(read_json(x)) does not load: %s\n", e.what());
        std::abort();
    }
    return 0;
}
