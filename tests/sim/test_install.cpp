// Where netstep finds what it ships (sim/install.hpp): the version, the classroom scenarios
// (the override, then the source tree from a build tree) and the viewer next to netstep.
#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "sim/install.hpp"

namespace fs = std::filesystem;
using namespace netstep::sim;

TEST_CASE("install: the version is X.Y.Z") {
    std::string v = version();
    CHECK(v.size() >= 5);
    CHECK(v.find_first_not_of("0123456789.") == std::string::npos);
}

TEST_CASE("install: the scenarios from a build tree and from NETSTEP_SCENARIOS_DIR") {
    unsetenv("NETSTEP_SCENARIOS_DIR");
    fs::path source = fs::weakly_canonical(fs::path(NETSTEP_SOURCE_DIR) / "scenarios");
    CHECK(scenarios_dir() == source.string());
    CHECK(shipped_scenario("default.yaml") == (source / "default.yaml").string());
    CHECK(shipped_scenario("no-such-lesson.yaml").empty());

    fs::path other = fs::temp_directory_path() / ("netstep-test-install-scenarios-" + std::to_string(getpid()));
    fs::create_directories(other);
    setenv("NETSTEP_SCENARIOS_DIR", other.c_str(), 1);
    CHECK(scenarios_dir() == fs::weakly_canonical(other).string());
    CHECK(shipped_scenario("default.yaml").empty());
    setenv("NETSTEP_SCENARIOS_DIR", (other / "missing").c_str(), 1);  // not a directory: ignored
    CHECK(scenarios_dir() == source.string());
    unsetenv("NETSTEP_SCENARIOS_DIR");
    fs::remove_all(other);
}

TEST_CASE("install: the viewer beside netstep or in PREFIX/lib/netstep") {
    fs::path root = fs::temp_directory_path() / ("netstep-test-install-prefix-" + std::to_string(getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "bin");
    CHECK(viewer_executable((root / "bin/netstep").string()).empty());
    fs::create_directories(root / "lib/netstep");
    fs::path installed = root / "lib/netstep/netstep-view";
    fs::copy_file("/bin/true", installed);
    CHECK(viewer_executable((root / "bin/netstep").string()) == fs::weakly_canonical(installed).string());
    fs::copy_file("/bin/true", root / "bin/netstep-view");  // a build tree: the one beside wins
    CHECK(viewer_executable((root / "bin/netstep").string()) == fs::weakly_canonical(root / "bin/netstep-view").string());
    fs::remove_all(root);
}
