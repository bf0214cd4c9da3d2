// The visualizer's entry point: `netstep view [FILE]`.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace netstep::viz {

struct ViewOptions {
    std::string scenario_file;               // the scenario to open (default classroom scenario if empty)
    std::string netstep_exe;                 // this executable: the viewer runs `netstep run FILE --json OUT` as a child
    std::optional<std::string> screenshot;   // render `step` in a hidden window, write this PNG, exit
    std::optional<uint32_t> step;            // --step: beyond the last step is an error (not clamped)
    int width = 1280;
    int height = 800;
    std::string lang;                        // "en", "fr", "it"; empty: from the locale (LANG)
    bool presenter = false;                  // large fonts, thick lines, keyboard only
    bool predict = false;                    // predict mode from the start (key P)
    std::string inspect_field;               // screenshots: show the packet inspector with this field
                                             // lit as if hovered ("tcp.flags", "ipv4.ttl", "flags")
};

// Runs the viewer; returns the process exit code (0 ok, 2 scenario or usage error).
int run_view(const ViewOptions& options);

}  // namespace netstep::viz
