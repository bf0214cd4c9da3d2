// Running the simulator as a child process and reading its JSON trace.
#include "viz/loader.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <map>
#include <optional>
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

// Starts argv with stdout to `out_path` and stderr to `err_path`; returns its pid (-1: no run).
int spawn(const std::vector<std::string>& args, const std::string& out_path, const std::string& err_path) {
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_TRUNC, 0600);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? int(pid) : -1;
}

int exit_code_of(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

// The child's exit status (-1: cannot wait).
int wait_for(int pid) {
    int status = 0;
    while (waitpid(pid_t(pid), &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return exit_code_of(status);
}

// `netstep worker`, started once: each run is a fork of it, not a new process (the simulator's
// libraries take 80 ms to start: most of the 100 ms from a line typed to its effect on screen).
// Requests are answered in order, one exit status per line; a request's answer is kept until its
// load asks for it. If the worker cannot start or ends, runs are spawned as before.
class Worker {
public:
    ~Worker() {
        if (to_ >= 0) close(to_);  // end of input: the worker exits
        if (from_ >= 0) close(from_);
        if (pid_ > 0) wait_for(pid_);
    }

    // A request's number (> 0), or 0 when the worker cannot take it.
    uint64_t request(const std::string& exe, const std::vector<std::string>& args, const std::string& out_path,
                     const std::string& err_path) {
        if (!start(exe)) return 0;
        if (out_path.find_first_of("\t\n") != std::string::npos) return 0;
        std::string line = out_path + '\t' + err_path;
        for (const std::string& a : args) {
            if (a.find_first_of("\t\n") != std::string::npos) return 0;  // not one field: spawn instead
            line += '\t' + a;
        }
        if (err_path.find_first_of("\t\n") != std::string::npos) return 0;
        line += '\n';
        for (size_t done = 0; done < line.size();) {
            ssize_t n = write(to_, line.data() + done, line.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                stop();
                return 0;
            }
            done += size_t(n);
        }
        return ++sent_;
    }

    // The exit status of request `id`: nullopt while it runs (wait: until it ends).
    std::optional<int> answer(uint64_t id, bool wait) {
        while (answered_ < id) {
            if (from_ < 0) return 2;  // the worker ended: its runs failed
            pollfd p{from_, POLLIN, 0};
            int r = poll(&p, 1, wait ? -1 : 0);
            if (r < 0 && errno == EINTR) continue;
            if (r == 0) return std::nullopt;
            char c = 0;
            ssize_t n = read(from_, &c, 1);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                stop();
                return 2;
            }
            if (c != '\n') {
                partial_ += c;
                continue;
            }
            ++answered_;
            codes_[answered_] = std::atoi(partial_.c_str());
            partial_.clear();
        }
        auto it = codes_.find(id);
        if (it == codes_.end()) return 2;
        int code = it->second;
        codes_.erase(it);
        return code;
    }

private:
    bool start(const std::string& exe) {
        if (pid_ > 0) return to_ >= 0;
        if (failed_) return false;
        int in[2], out[2];
        if (pipe2(in, O_CLOEXEC) != 0) return fail();
        if (pipe2(out, O_CLOEXEC) != 0) {
            close(in[0]);
            close(in[1]);
            return fail();
        }
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        std::string worker = "worker";
        char* argv[] = {const_cast<char*>(exe.c_str()), worker.data(), nullptr};
        pid_t pid = 0;
        int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        close(in[0]);
        close(out[1]);
        if (rc != 0) {
            close(in[1]);
            close(out[0]);
            return fail();
        }
        pid_ = pid;
        to_ = in[1];
        from_ = out[0];
        return true;
    }
    bool fail() {
        failed_ = true;
        return false;
    }
    void stop() {
        if (to_ >= 0) close(to_);
        if (from_ >= 0) close(from_);
        to_ = from_ = -1;
        failed_ = true;  // spawn from now on
    }

    pid_t pid_ = -1;
    int to_ = -1, from_ = -1;
    bool failed_ = false;
    uint64_t sent_ = 0, answered_ = 0;
    std::string partial_;
    std::map<uint64_t, int> codes_;
};

Worker& worker() {
    static Worker w;
    return w;
}

}  // namespace

constexpr const char* kViewerTraceBudget = "256MiB";
constexpr const char* kViewerJsonBudget = "128MiB";  // read_json holds about four times the JSON

PendingLoad start_load(const std::string& netstep_exe, const std::string& file) {
    PendingLoad p;
    p.file = file;
    if (file == ":demo") return p;
    p.json = temp_file(".json");
    p.err = temp_file(".err");
    if (p.json.empty() || p.err.empty()) {
        p.error = "cannot create a temporary file";
        return p;
    }
    // The viewer holds the trace read from JSON (a few times its size in the run): smaller
    // budgets than netstep run's keep the whole under 1 GB (128 MiB of JSON is 400,000 events of
    // a busy server; the run then ends with the limit's message, shown like any other end).
    // The JSON on standard output, into the file: no text trace is written (`--json -`).
    std::vector<std::string> args{"run", file, "--json", "-", "--limit", std::string("max_trace_bytes=") + kViewerTraceBudget,
                                  "--limit", std::string("max_text_bytes=") + kViewerJsonBudget};
    if (std::getenv("NETSTEP_VIEW_NO_WORKER") == nullptr) p.worker_request = worker().request(netstep_exe, args, p.json, p.err);
    if (p.worker_request > 0) return p;
    args.insert(args.begin(), netstep_exe);
    p.pid = spawn(args, p.json, p.err);
    if (p.pid < 0) p.error = "cannot start " + netstep_exe;
    return p;
}

bool load_done(PendingLoad& p) {
    if (p.worker_request > 0 && p.exit_code < 0) {
        if (auto code = worker().answer(p.worker_request, false)) p.exit_code = *code;
        return p.exit_code >= 0;
    }
    if (p.pid < 0 || p.exit_code >= 0) return true;
    int status = 0;
    pid_t r = waitpid(pid_t(p.pid), &status, WNOHANG);
    if (r == 0 || (r < 0 && errno == EINTR)) return false;
    if (r > 0) p.exit_code = exit_code_of(status);  // else it cannot be waited for: finish_load says so
    return true;
}

LoadResult finish_load(PendingLoad& p) {
    LoadResult result;
    if (p.file == ":demo") {
        result.trace = std::make_unique<sim::Trace>(demo_trace());
        return result;
    }
    if (p.worker_request > 0 && p.exit_code < 0) p.exit_code = worker().answer(p.worker_request, true).value_or(2);
    if (p.worker_request == 0 && (!p.error.empty() || p.pid < 0)) {
        result.error = p.error.empty() ? "netstep run " + p.file + " was not started" : p.error;
        result.exit_code = 2;
    } else {
        result.exit_code = p.exit_code >= 0 ? p.exit_code : wait_for(p.pid);
        p.pid = -1;
        std::string message = read_all(p.err);
        if (result.exit_code == 0 || result.exit_code == 1) {
            try {
                result.trace = std::make_unique<sim::Trace>(sim::read_json_file(p.json));
            } catch (const std::exception& e) {  // std::bad_alloc too: a trace too big to hold
                result.error = sim::error_message(e);
                result.exit_code = 2;
            }
        } else {
            result.error = message.empty() ? "netstep run " + p.file + " failed (exit " +
                                                 std::to_string(result.exit_code) + ")"
                                           : message;
            result.exit_code = 2;
        }
    }
    std::error_code ec;
    if (!p.json.empty()) std::filesystem::remove(p.json, ec);
    if (!p.err.empty()) std::filesystem::remove(p.err, ec);
    while (!result.error.empty() && (result.error.back() == '\n' || result.error.back() == ' ')) result.error.pop_back();
    return result;
}

LoadResult load_scenario(const std::string& netstep_exe, const std::string& file) {
    PendingLoad pending = start_load(netstep_exe, file);
    return finish_load(pending);
}

}  // namespace netstep::viz
