// `netstep shell FILE` (sim/shell_session.hpp).
//
// The session: the scenario is run once as written; `now` is the time of its last event (the
// network has come to rest). Each command line typed is journaled at `now` on the current host
// (sim/journal.hpp), the file with the whole journal is run again, from the start, in a child
// process, and the shell prints the events of the new run that the previous run did not have
// (after their common prefix, from `now` on): the terminal's output (Output events of the
// host's terminal program and of the programs it started) as plain text, every other event as
// `netstep run` prints its line, indented. Then `now` is the new run's end.
//
// Lines the shell itself takes, never journaled: `@HOST` (go to that host's terminal), `exit` or
// `quit` (end the session, as end of input does), an empty line. `^C` and `^D` typed as they are
// (two characters) are the keys Ctrl-C and Ctrl-D pressed in the simulated terminal: journaled as
// `key: ctrl-c` / `key: ctrl-d`. Before a command line is journaled, the shell's parser says
// whether the terminal could run it (shell::check_command): its answer is printed and the
// journal is left as it was. Not while a command runs in that terminal (its last Prompt is
// older than its last command, at the end of the last run): the line is that command's input
// (nc sends it). A run that fails (a limit, an error) prints its error and the line
// that caused it is dropped.
#include "sim/shell_session.hpp"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "sim/engine.hpp"
#include "sim/engine_text.hpp"
#include "sim/journal.hpp"
#include "sim/output.hpp"
#include "sim/trace_index.hpp"
#include "sim/shell.hpp"

namespace netstep::sim {

namespace {

// What the terminal's shell would answer to `line` ("" = it can run it).
std::string refusal(const std::string& line, const std::vector<std::string>& hosts, ToolStyle style) {
    return shell::check_command(line, hosts, style);
}

void write_all(int fd, const std::string& s) {
    size_t done = 0;
    while (done < s.size()) {
        ssize_t n = write(fd, s.data() + done, s.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        done += size_t(n);
    }
}

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

// The programs whose output is the terminal's on `host`: its terminal program, and every program
// started from one of those (the commands it runs).
std::set<uint32_t> terminal_programs(const Trace& t, uint32_t host) {
    std::set<uint32_t> mine;
    for (uint32_t p = 0; p < t.programs.size(); ++p) {  // a parent comes before its children
        const TraceProgram& prog = t.programs[p];
        if (prog.host != host) continue;
        if (is_terminal_program(prog.name, t.hosts[host].name) || (prog.parent != kNone && mine.count(prog.parent))) {
            mine.insert(p);
        }
    }
    return mine;
}

// Whether the terminal of `host` waits at its prompt at the end of `run` (a line typed there is a
// command for its shell), rather than running a command that reads what is typed (nc): its last
// Prompt comes after the last line typed at a prompt (an Input whose text2, the prompt, is not
// empty). True when the host has no terminal yet, or its terminal shows no prompt.
}  // namespace

bool terminal_at_prompt(const Trace& run, const std::string& host) {
    size_t last_prompt = 0, last_command = 0;  // event index + 1
    for (size_t i = 0; i < run.events.size(); ++i) {
        const TraceEvent& e = run.events[i];
        if (e.program >= run.programs.size()) continue;
        const TraceProgram& p = run.programs[e.program];
        if (p.parent != kNone || p.host >= run.hosts.size() || run.hosts[p.host].name != host ||
            !is_terminal_program(p.name, host)) {
            continue;
        }
        if (e.kind == EventKind::Prompt) last_prompt = i + 1;
        if (e.kind == EventKind::Input && !run.str(e.text2).empty()) last_command = i + 1;
    }
    return last_prompt == 0 || last_prompt > last_command;
}

namespace {

uint32_t host_index(const Trace& t, const std::string& name) {
    for (uint32_t h = 0; h < t.hosts.size(); ++h) {
        if (t.hosts[h].name == name) return h;
    }
    return kNone;
}

// An event's line as `netstep run` prints it, for comparing two runs.
std::vector<std::string> event_lines(const Trace& t) {
    TraceIndex index(t);
    std::vector<std::string> lines;
    lines.reserve(t.events.size());
    for (uint32_t i = 0; i < t.events.size(); ++i) lines.push_back(event_line(index, i));
    return lines;
}

Instant end_of(const Trace& t) { return t.events.empty() ? Instant::zero() : t.events.back().time; }

// Which events of `run` the line typed at `now` caused: those after `now`, and those at `now` that
// the previous run (which ended at `now`) did not have, line for line (each of its lines at
// `now` matches one line of the new run). Before `now` the two runs are the same, but for where
// a new terminal program's start falls among the events of 0s.
std::vector<bool> new_events(const Trace& before, const std::vector<std::string>& before_lines, const Trace& run,
                             const std::vector<std::string>& lines, Instant now) {
    std::multiset<std::string> at_now;
    for (size_t i = 0; i < before.events.size(); ++i) {
        if (before.events[i].time == now) at_now.insert(before_lines[i]);
    }
    std::vector<bool> fresh(run.events.size(), false);
    for (size_t i = 0; i < run.events.size(); ++i) {
        if (run.events[i].time < now) continue;
        auto old = run.events[i].time == now ? at_now.find(lines[i]) : at_now.end();
        if (old != at_now.end()) {
            at_now.erase(old);
        } else {
            fresh[i] = true;
        }
    }
    return fresh;
}

// Prints the events of `run` marked in `fresh`.
void print_events(const Trace& run, const std::vector<std::string>& lines, const std::vector<bool>& fresh,
                  const std::string& host, std::ostream& out) {
    uint32_t h = host_index(run, host);
    std::set<uint32_t> mine = h == kNone ? std::set<uint32_t>{} : terminal_programs(run, h);
    for (size_t i = 0; i < run.events.size(); ++i) {
        const TraceEvent& e = run.events[i];
        if (!fresh[i] || e.kind == EventKind::RunStart || e.kind == EventKind::RunEnd) continue;
        bool terminal = e.program != kNone && mine.count(e.program);
        // A terminal starting is this shell's own prompt.
        if (terminal && e.kind == EventKind::ProgramStart && run.programs[e.program].parent == kNone) continue;
        // The prompt and the echo of the line are what this shell shows itself.
        if (terminal && (e.kind == EventKind::Prompt || e.kind == EventKind::Input)) continue;
        if (terminal && e.kind == EventKind::Output) {
            const std::string& text = run.str(e.text);
            if (text == "\f") continue;  // `clear`: nothing to clear on a stream
            out << text;
            if (!text.empty() && text.back() != '\n') out << '\n';
            continue;
        }
        out << "  " << lines[i];
    }
}

}  // namespace

std::string caused_text(const Trace& before, const Trace& run, Instant now, const std::string& host) {
    std::vector<std::string> lines = event_lines(run);
    std::ostringstream out;
    print_events(run, lines, new_events(before, event_lines(before), run, lines, now), host, out);
    return out.str();
}

ChildRun run_text_in_child(const std::string& yaml, const std::string& file, const Limits& limits) {
    ChildRun result;
    int fds[2];
    if (pipe(fds) != 0) {
        result.error = std::string("cannot start a run: ") + std::strerror(errno);
        return result;
    }
    std::cout.flush();
    std::cerr.flush();
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        result.error = std::string("cannot start a run: ") + std::strerror(errno);
        return result;
    }
    if (pid == 0) {
        close(fds[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL);  // the shell killed: no orphan keeps running
        if (getppid() != parent) _exit(2);
        // 'T' and the trace as JSON, or 'E' and the error.
        std::string answer;
        try {
            Scenario scenario = load_scenario_text(yaml, file, limits);
            RunOptions options;
            options.limits = limits;
            Trace trace = run_scenario(scenario, options);
            std::ostringstream json;
            write_json(trace, json);
            answer = "T" + json.str();
        } catch (const ScenarioError& e) {
            answer = std::string("E") + e.what();
        } catch (const std::exception& e) {
            answer = "E" + error_message(e);
        }
        write_all(fds[1], answer);
        close(fds[1]);
        _exit(0);
    }
    close(fds[1]);
    std::string answer;
    char buf[65536];
    for (;;) {
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n > 0) {
            answer.append(buf, size_t(n));
        } else if (n == 0 || errno != EINTR) {
            break;
        }
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || answer.empty()) {
        result.error = WIFSIGNALED(status) ? "the run crashed (signal " + std::to_string(WTERMSIG(status)) + ")"
                                           : "the run ended without a result";
        return result;
    }
    if (answer[0] == 'E') {
        result.error = answer.substr(1);
        return result;
    }
    try {
        std::istringstream in(answer.substr(1));
        result.trace = read_json(in);
    } catch (const std::exception& e) {
        result.error = std::string("cannot read the run's trace: ") + e.what();
    }
    return result;
}

int run_shell(const ShellOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
    Scenario scenario;
    try {
        scenario = load_scenario_file(options.file, options.limits);
    } catch (const ScenarioError& e) {
        err << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        err << "netstep shell: " << options.file << ": " << error_message(e) << "\n";
        return 2;
    }
    std::string original;
    {
        std::ifstream f(options.file, std::ios::binary);
        std::ostringstream s;
        s << f.rdbuf();
        original = s.str();
    }
    std::vector<std::string> hosts;
    for (const Host& h : scenario.hosts) hosts.push_back(h.name);
    std::string host = options.host;
    if (host.empty()) {
        for (const Host& h : scenario.hosts) {
            if (!h.forwarding) {
                host = h.name;
                break;
            }
        }
        if (host.empty() && !hosts.empty()) host = hosts.front();
    } else if (!scenario.find_host(host)) {
        err << "netstep shell: --host " << host << ": no such host in " << options.file << "\n";
        return 2;
    }
    if (host.empty()) {
        err << "netstep shell: " << options.file << " has no host\n";
        return 2;
    }
    const ToolStyle style = scenario.profile == Profile::Kind::Linux ? ToolStyle::Linux : ToolStyle::Windows;

    ChildRun first = run_text_in_child(original, options.file, options.limits);
    if (!first.error.empty()) {
        err << "netstep shell: " << first.error << "\n";
        return 2;
    }
    Trace previous = std::move(first.trace);
    out << caused_text(Trace{}, previous, Instant::zero(), host);
    for (const std::string& f : previous.failures) out << "  !! " << f << "\n";
    std::vector<TypedLine> journal;

    for (;;) {
        out << host << "> " << std::flush;
        std::string line;
        if (!std::getline(in, line)) {
            out << "\n";
            break;
        }
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (options.echo) out << line << "\n";
        const std::string word = trim(line);
        if (word.empty()) continue;
        if (word == "exit" || word == "quit") break;
        if (word[0] == '@') {
            std::string to = trim(word.substr(1));
            if (scenario.find_host(to)) {
                host = to;
            } else {
                out << "no host " << to << " (hosts:";
                for (const std::string& h : hosts) out << " " << h;
                out << ")\n";
            }
            continue;
        }
        TypedLine typed{host, end_of(previous), line, step::Type::Key::Line};
        if (word == "^C" || word == "^D") {
            typed.line.clear();
            typed.key = word == "^C" ? step::Type::Key::CtrlC : step::Type::Key::CtrlD;
        } else if (std::string no = terminal_at_prompt(previous, host) ? refusal(line, hosts, style) : ""; !no.empty()) {
            out << no;
            if (no.back() != '\n') out << "\n";
            continue;
        }
        std::vector<TypedLine> candidate = journal;
        candidate.push_back(typed);
        std::string text;
        try {
            text = add_typed_lines(original, candidate);
        } catch (const std::exception& e) {
            out << "netstep shell: " << e.what() << " (the line is not kept)\n";
            continue;
        }
        ChildRun run = run_text_in_child(text, options.file, options.limits);
        if (!run.error.empty()) {
            out << "netstep shell: " << run.error << "\nnetstep shell: the line is not kept\n";
            continue;
        }
        std::vector<std::string> added;  // failures the line caused
        for (const std::string& f : run.trace.failures) {
            if (std::find(previous.failures.begin(), previous.failures.end(), f) == previous.failures.end()) {
                added.push_back(f);
            }
        }
        auto stopped = std::find_if(added.begin(), added.end(), [](const std::string& f) {
            return f.find("the run was stopped") != std::string::npos;  // a limit (sim/engine.cpp)
        });
        if (stopped != added.end()) {
            out << "netstep shell: " << *stopped << "\nnetstep shell: the line is not kept\n";
            continue;
        }
        out << caused_text(previous, run.trace, typed.at, host);
        for (const std::string& f : added) out << "  !! " << f << "\n";
        journal = std::move(candidate);
        previous = std::move(run.trace);
    }

    try {
        if (!options.save.empty()) {
            std::string text = add_typed_lines(original, journal);
            write_output(options.save, [&](const OutputFd& fd) { write_bytes(fd, text.data(), text.size()); });
        }
        if (!options.trace.empty()) {
            write_output(options.trace, [&](const OutputFd& fd) {
                write_stream(fd, [&](std::ostream& stream) { write_text(previous, stream); });
            });
        }
    } catch (const std::exception& e) {
        err << "netstep shell: " << error_message(e) << "\n";
        return 2;
    }
    return 0;
}

}  // namespace netstep::sim
