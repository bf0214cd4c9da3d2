// netstep-view: the visualizer's executable, started by `netstep view` (sim/main.cpp), which
// checks the command line and execs it with every argument in place:
//
//   netstep-view NETSTEP FILE SCREENSHOT STEP WIDTH HEIGHT LANG PRESENTER INSPECT_FIELD PREDICT
//
// NETSTEP is the netstep executable (the viewer runs `NETSTEP run FILE --json OUT`), SCREENSHOT
// STEP (empty without --step), LANG and INSPECT_FIELD may be empty, PRESENTER and PREDICT are 0 or 1. Apart from `netstep run`, so that a run loads no
// OpenGL, GLFW or X11 library and the viewer no SimGrid (bench/README.md: process start).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "viz/viz.hpp"

int main(int argc, char** argv) {
    if (argc != 11) {
        std::fprintf(stderr, "netstep-view is started by `netstep view` (see netstep view --help)\n");
        return 2;
    }
    // Past RLIMIT_FSIZE the screenshot's write fails with EFBIG (exit 2, the old file kept) rather
    // than SIGXFSZ killing the viewer, as in netstep (sim/main.cpp).
    std::signal(SIGXFSZ, SIG_IGN);
    netstep::viz::ViewOptions options;
    options.netstep_exe = argv[1];
    options.scenario_file = argv[2];
    if (argv[3][0] != '\0') options.screenshot = std::string(argv[3]);
    if (argv[4][0] != '\0') options.step = uint32_t(std::strtoul(argv[4], nullptr, 10));  // empty: no --step
    options.width = std::atoi(argv[5]);
    options.height = std::atoi(argv[6]);
    options.lang = argv[7];
    options.presenter = std::string(argv[8]) == "1";
    options.inspect_field = argv[9];
    options.predict = std::string(argv[10]) == "1";
    return netstep::viz::run_view(options);
}
