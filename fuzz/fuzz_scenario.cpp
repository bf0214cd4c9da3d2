// fuzz_scenario: YAML text -> sim::load_scenario_text. A valid scenario or a located
// ScenarioError; any other exception, crash or sanitizer report is a bug. Small limits keep
// each input fast (the limits themselves are part of what is tested).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "sim/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    netstep::sim::Limits limits;
    limits.max_file_bytes = 64 * 1024;
    limits.max_networks = 16;
    limits.max_hosts = 32;
    limits.max_programs = 32;
    limits.max_steps = 1000;
    limits.max_repeat = 1000;
    limits.max_send_bytes = 1024 * 1024;
    limits.max_depth = 8;
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        auto scenario = netstep::sim::load_scenario_text(text, "fuzz.yaml", limits);
        (void)scenario.make_profile();
    } catch (const netstep::sim::ScenarioError& e) {
        if (e.where().file != "fuzz.yaml") {
            std::fprintf(stderr, "fuzz_scenario: error not located in the file: %s\n", e.what());
            std::abort();
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz_scenario: exception other than ScenarioError: %s\n", e.what());
        std::abort();
    }
    return 0;
}
