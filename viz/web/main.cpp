// netstep's viewer in the browser: the desktop viewer's code (viz/), compiled by Emscripten, on a
// lesson's trace (JSON, written by `netstep export FILE --web DIR`). index.html starts it as
//
//   main TRACE STEP LANG PRESENTER PREDICT WIDTH HEIGHT
//
// from the page's URL (?step=N&lang=fr&presenter=1&predict=1) and the window's size; STEP and
// LANG may be empty. Read-only: what-if and the terminal need the simulator (viz/web/loader_web.cpp).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "viz/viz.hpp"

// The one translation unit with stb_image_write's code (the desktop build links libstb's).
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

int main(int argc, char** argv) {
    if (argc != 8) {
        std::fprintf(stderr, "netstep web viewer: expected TRACE STEP LANG PRESENTER PREDICT WIDTH HEIGHT\n");
        return 2;
    }
    netstep::viz::ViewOptions options;
    options.netstep_exe = "";  // none: a read-only lesson
    options.scenario_file = argv[1];
    if (argv[2][0] != '\0') options.step = uint32_t(std::strtoul(argv[2], nullptr, 10));
    options.lang = argv[3];
    options.presenter = std::string(argv[4]) == "1";
    options.predict = std::string(argv[5]) == "1";
    options.width = std::atoi(argv[6]) > 0 ? std::atoi(argv[6]) : 1280;
    options.height = std::atoi(argv[7]) > 0 ? std::atoi(argv[7]) : 800;
    return netstep::viz::run_view(options);
}
