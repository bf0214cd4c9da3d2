// Running the simulator as a child process and reading its JSON trace.
#include "viz/loader.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "sim/output.hpp"

extern char** environ;

namespace netstep::viz {

namespace {

// A new empty file in the temp directory with the given suffix; returns its path ("" on failure).
std::string temp_file(const std::string& suffix) {
    std::string pattern = (std::filesystem::temp_directory_path() / ("netstep-view-XXXXXX" + suffix)).string();
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    int fd = mkstemps(buf.data(), int(suffix.size()));
    if (fd < 0) return "";
    close(fd);
    return buf.data();
}

std::string read_all(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs argv with stdout to /dev/null and stderr to `err_path`; returns the exit status (-1: no run).
int spawn_and_wait(const std::vector<std::string>& args, const std::string& err_path) {
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_TRUNC, 0600);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return -1;
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace

LoadResult load_scenario(const std::string& netstep_exe, const std::string& file) {
    LoadResult result;
    if (file == ":demo") {
        result.trace = std::make_unique<sim::Trace>(demo_trace());
        return result;
    }
    std::string json = temp_file(".json"), err = temp_file(".err");
    if (json.empty() || err.empty()) {
        result.error = "cannot create a temporary file";
        result.exit_code = 2;
        return result;
    }
    result.exit_code = spawn_and_wait({netstep_exe, "run", file, "--json", json}, err);
    std::string message = read_all(err);
    if (result.exit_code == 0 || result.exit_code == 1) {
        try {
            result.trace = std::make_unique<sim::Trace>(sim::read_json_file(json));
        } catch (const std::exception& e) {
            result.error = e.what();
            result.exit_code = 2;
        }
    } else {
        result.error = message.empty() ? "netstep run " + file + " failed (exit " + std::to_string(result.exit_code) + ")"
                                        : message;
        if (result.exit_code != 2) result.exit_code = 2;
    }
    std::filesystem::remove(json);
    std::filesystem::remove(err);
    while (!result.error.empty() && (result.error.back() == '\n' || result.error.back() == ' ')) result.error.pop_back();
    return result;
}

}  // namespace netstep::viz
