// The web build's loader (in place of viz/loader.cpp): no processes, no simulator. A lesson is
// the JSON trace that `netstep export --web` wrote beside the page (fetched into Emscripten's
// file system before main), read as the desktop viewer reads its child's output.
#include <exception>
#include <memory>

#include "sim/output.hpp"
#include "viz/loader.hpp"

namespace netstep::viz {

PendingLoad start_load(const std::string& /*netstep_exe*/, const std::string& file) {
    PendingLoad p;
    p.file = file;
    return p;
}

bool load_done(PendingLoad& /*pending*/) { return true; }

LoadResult finish_load(PendingLoad& p) {
    LoadResult result;
    if (p.file == ":demo") {
        result.trace = std::make_unique<sim::Trace>(demo_trace());
        return result;
    }
    if (p.file.size() < 5 || p.file.compare(p.file.size() - 5, 5, ".json") != 0) {
        result.error = "open this lesson in netstep to change it";
        result.exit_code = 2;
        return result;
    }
    try {
        result.trace = std::make_unique<sim::Trace>(sim::read_json_file(p.file));
    } catch (const std::exception& e) {
        result.error = sim::error_message(e);
        result.exit_code = 2;
    }
    return result;
}

LoadResult load_scenario(const std::string& netstep_exe, const std::string& file) {
    PendingLoad pending = start_load(netstep_exe, file);
    return finish_load(pending);
}

}  // namespace netstep::viz
