// Where netstep finds what it ships, in a build tree and once installed: its version, the
// classroom scenarios and the viewer. One place for `netstep` and `netstep-view`.
#pragma once

#include <string>

namespace netstep::sim {

// The CMake project's VERSION ("0.1.0").
const char* version();

// This process's executable (/proc/self/exe; argv0 when that cannot be read).
std::string this_executable(const char* argv0 = "");

// The classroom scenarios' directory, the first that exists of:
//   1. $NETSTEP_SCENARIOS_DIR (an override, for a teacher's own library or a test);
//   2. in a build tree (the executable under the build directory): the source tree's scenarios/;
//   3. installed: PREFIX/share/netstep/scenarios, PREFIX found from the executable
//      (PREFIX/bin/netstep, PREFIX/lib/netstep/netstep-view), then the configured install prefix;
//   4. the source tree's scenarios/ (a build directory moved away from its source).
// Empty when none exists.
std::string scenarios_dir();

// A shipped scenario (default.yaml, lab-one-lan.yaml) in scenarios_dir(); empty when missing.
std::string shipped_scenario(const std::string& name);

// The viewer compiled for the browser (index.html, netstep-view.js, netstep-view.wasm: scripts/
// build-web.sh), which `netstep export --web` copies beside a lesson's trace; the first that
// holds all three of: $NETSTEP_WEB_DIR; in a build tree: the source tree's build-web/;
// installed: PREFIX/share/netstep/web. Empty when none does.
std::string web_viewer_dir();
// The files web_viewer_dir() holds.
inline constexpr const char* kWebViewerFiles[] = {"index.html", "netstep-view.js", "netstep-view.wasm"};

// The viewer started by `netstep view`: netstep-view next to netstep (a build tree), or
// PREFIX/lib/netstep/netstep-view (installed). Empty when neither is executable.
std::string viewer_executable(const std::string& netstep_exe);

}  // namespace netstep::sim
