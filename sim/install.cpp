// Where netstep finds what it ships (see install.hpp). The paths are compile definitions of this
// file only (sim/CMakeLists.txt).
#include "sim/install.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

#ifndef NETSTEP_VERSION
#error "NETSTEP_VERSION is defined by sim/CMakeLists.txt from the project's VERSION"
#endif

namespace netstep::sim {

namespace fs = std::filesystem;

namespace {

bool is_dir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

// `path` is `dir` or inside it (both made canonical as far as they exist).
bool is_inside(const fs::path& path, const fs::path& dir) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(path, ec);
    if (ec) return false;
    fs::path d = fs::weakly_canonical(dir, ec);
    if (ec || d.empty()) return false;
    auto [d_end, p_end] = std::mismatch(d.begin(), d.end(), p.begin(), p.end());
    return d_end == d.end();
}

std::string normal_path(const fs::path& p) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(p, ec);
    return (ec ? p : c).string();
}

}  // namespace

const char* version() { return NETSTEP_VERSION; }

std::string this_executable(const char* argv0) {
    std::error_code ec;
    fs::path p = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) return p.string();
    return argv0 ? argv0 : "";
}

std::string scenarios_dir() {
    if (const char* env = std::getenv("NETSTEP_SCENARIOS_DIR"); env && *env) {
        if (is_dir(env)) return normal_path(env);
    }
    fs::path exe = this_executable();
    fs::path exe_dir = exe.parent_path();
    const fs::path source_scenarios = fs::path(NETSTEP_SOURCE_DIR) / "scenarios";
    if (!exe.empty() && is_inside(exe, NETSTEP_BINARY_DIR) && is_dir(source_scenarios)) return normal_path(source_scenarios);
    std::vector<fs::path> installed;
    if (!exe.empty()) {
        installed.push_back(exe_dir / "../share/netstep/scenarios");     // PREFIX/bin/netstep
        installed.push_back(exe_dir / "../../share/netstep/scenarios");  // PREFIX/lib/netstep/netstep-view
    }
    installed.push_back(fs::path(NETSTEP_INSTALL_DATADIR) / "netstep/scenarios");
    for (const fs::path& dir : installed) {
        if (is_dir(dir)) return normal_path(dir);
    }
    if (is_dir(source_scenarios)) return normal_path(source_scenarios);
    return "";
}

std::string shipped_scenario(const std::string& name) {
    std::string dir = scenarios_dir();
    if (dir.empty()) return "";
    fs::path file = fs::path(dir) / name;
    std::error_code ec;
    return fs::is_regular_file(file, ec) ? file.string() : "";
}

std::string web_viewer_dir() {
    auto complete = [](const fs::path& dir) {
        std::error_code ec;
        return std::all_of(std::begin(kWebViewerFiles), std::end(kWebViewerFiles),
                           [&](const char* f) { return fs::is_regular_file(dir / f, ec); });
    };
    std::vector<fs::path> candidates;
    if (const char* env = std::getenv("NETSTEP_WEB_DIR"); env && *env) candidates.push_back(env);
    fs::path exe = this_executable();
    if (!exe.empty() && is_inside(exe, NETSTEP_BINARY_DIR)) candidates.push_back(fs::path(NETSTEP_SOURCE_DIR) / "build-web");
    if (!exe.empty()) candidates.push_back(exe.parent_path() / "../share/netstep/web");  // PREFIX/bin/netstep
    candidates.push_back(fs::path(NETSTEP_INSTALL_DATADIR) / "netstep/web");
    for (const fs::path& dir : candidates) {
        if (complete(dir)) return normal_path(dir);
    }
    return "";
}

std::string viewer_executable(const std::string& netstep_exe) {
    fs::path dir = fs::path(netstep_exe).parent_path();
    for (const fs::path& candidate : {dir / "netstep-view", dir / "../lib/netstep/netstep-view"}) {
        if (access(candidate.c_str(), X_OK) == 0) return normal_path(candidate);
    }
    return "";
}

}  // namespace netstep::sim
