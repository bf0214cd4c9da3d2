// netstep: run a scenario and print its trace, check scenarios, or watch one in the visualizer.
//
//   netstep run FILE [--seed N] [--pcap OUT.pcapng] [--pcap-link NETWORK=OUT.pcap]... [--json OUT.json]
//               [--until DURATION] [--steps]
//   netstep check FILE|DIR... [--timeout SECONDS] [--quiet]
//   netstep shell FILE [--host H] [--save OUT.yaml]
//   netstep view [FILE] [--screenshot OUT.png --step N --size WxH --lang en|fr|it --presenter
//                        --inspect-field tcp.flags]
//
// Exit codes: 0 success, 1 an expectation failed, 2 a usage or scenario-file error, or an output
// that could not be written (every output goes through sim::write_output: "-" is standard output,
// special files are written in place, regular files replaced atomically; sim/output.hpp).
//
// SimGrid allows one engine per process, so `check` runs each scenario in a child process
// (fork), and the visualizer runs `netstep run FILE --json OUT` as a subprocess.
//
// The visualizer is a separate executable next to this one, `netstep-view` (viz/main.cpp),
// which `netstep view` execs once its arguments are checked: `netstep run` then loads no
// OpenGL, GLFW or X11 library, and the viewer no SimGrid (bench/README.md: process start).
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "sim/engine.hpp"
#include "sim/install.hpp"
#include "sim/output.hpp"
#include "sim/output_pcap.hpp"
#include "sim/quiz.hpp"
#include "sim/scenario.hpp"
#include "sim/shell_session.hpp"
#include "viz/export/export.hpp"


namespace fs = std::filesystem;
using namespace netstep;
using namespace netstep::sim;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// A line of progress on standard error when it is a terminal (issue 14, "long runs show where
// they are"): rewritten in place ("\r", erase to its end), cleared before anything else is
// printed. Never on a pipe or a file, never on standard output; --quiet turns it off.
class ProgressLine {
public:
    explicit ProgressLine(bool quiet) : on_(!quiet && isatty(STDERR_FILENO)) {}
    ~ProgressLine() { clear(); }
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;
    bool on() const { return on_; }
    void show(const std::string& text) {
        if (!on_) return;
        std::cerr << "\r\x1b[K" << text << std::flush;
        shown_ = true;
    }
    void clear() {
        if (shown_) std::cerr << "\r\x1b[K" << std::flush;
        shown_ = false;
    }

private:
    bool on_;
    bool shown_ = false;
};

// "37%": how close a run is to a limit.
std::string percent_of(double value, double limit) {
    return fmt::format("{:.0f}%", limit > 0 ? 100.0 * value / limit : 0.0);
}

// netstep run's progress: from one second into the run, four times a second, how far it has got
// and how close it is to each limit that can stop it.
std::function<void(const RunProgress&)> run_progress(ProgressLine& line, const Limits& limits) {
    if (!line.on()) return {};
    using Clock = std::chrono::steady_clock;
    Clock::time_point start = Clock::now(), next = start + std::chrono::seconds(1);
    return [&line, &limits, next](const RunProgress& p) mutable {
        Clock::time_point now = Clock::now();
        if (now < next) return;
        next = now + std::chrono::milliseconds(250);
        double sim_s = double((p.now - Instant::zero()).ns) / 1e9;
        line.show(fmt::format("{:.3f} s simulated ({} of max_sim_time), {} events ({}), memory {} MiB ({}), text {} MiB ({})",
                              sim_s, percent_of(sim_s, double(limits.max_sim_time.ns) / 1e9), p.events,
                              percent_of(double(p.events), double(limits.max_events)), p.trace_bytes >> 20,
                              percent_of(double(p.trace_bytes), double(limits.max_trace_bytes)), p.text_bytes >> 20,
                              percent_of(double(p.text_bytes), double(limits.max_text_bytes))));
    };
}

// `--limit NAME=VALUE`, each in turn; false (the message printed) on a bad one.
bool apply_limits(const char* command, const std::vector<std::string>& assignments, Limits& limits) {
    for (const std::string& a : assignments) {
        if (std::optional<std::string> error = set_limit(limits, a)) {
            std::cerr << "netstep " << command << ": --limit " << *error << "\n";
            return false;
        }
    }
    return true;
}

// True when the two paths name one file (the same inode if both exist, else the same
// normalized absolute path): an output file must never overwrite the scenario it came from.
bool same_file(const std::string& a, const std::string& b) {
    std::error_code ec;
    if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
    return fs::weakly_canonical(fs::absolute(a, ec), ec) == fs::weakly_canonical(fs::absolute(b, ec), ec);
}

// --- run -----------------------------------------------------------------------------------

struct RunArgs {
    std::string file;
    uint64_t seed = 0;
    bool seed_given = false;
    std::string pcap, json, until;
    std::vector<std::string> pcap_links;  // --pcap-link NETWORK=FILE
    bool steps = false;
    bool quiet = false;
    std::vector<std::string> limits;  // --limit NAME=VALUE
};

// One output file of `netstep run`: how to name it in messages, and where it goes.
struct RunOutput {
    std::string option;  // "--pcap", "--pcap-link office"
    std::string shown;   // as typed: "--pcap out.pcapng", "--pcap-link office=office.pcap"
    std::string path;
    std::string network;  // --pcap-link: the network's name
};

// --pcap, --json and every --pcap-link, in that order; nullopt (the message printed) on a
// --pcap-link that is not NETWORK=FILE.
std::optional<std::vector<RunOutput>> run_outputs(const RunArgs& args) {
    std::vector<RunOutput> outputs;
    if (!args.pcap.empty()) outputs.push_back({"--pcap", "--pcap " + args.pcap, args.pcap, ""});
    if (!args.json.empty()) outputs.push_back({"--json", "--json " + args.json, args.json, ""});
    for (const std::string& link : args.pcap_links) {
        size_t eq = link.find('=');  // a network name has no '=' (scenario-format.md, names)
        if (eq == std::string::npos || eq == 0 || eq + 1 == link.size()) {
            std::cerr << "netstep run: --pcap-link " << link << ": expected NETWORK=FILE, e.g. office=office.pcap\n";
            return std::nullopt;
        }
        std::string network = link.substr(0, eq);
        outputs.push_back({"--pcap-link " + network, "--pcap-link " + link, link.substr(eq + 1), network});
    }
    return outputs;
}

// The index of each --pcap-link's network in the scenario; nullopt (the message printed, naming
// the networks there are) when one has no such network.
std::optional<std::vector<uint32_t>> pcap_link_networks(const std::vector<RunOutput>& outputs,
                                                        const Scenario& scenario, const std::string& file) {
    std::vector<uint32_t> indices;
    for (const RunOutput& out : outputs) {
        if (out.network.empty()) continue;
        auto it = std::find_if(scenario.networks.begin(), scenario.networks.end(),
                               [&](const Network& n) { return n.name == out.network; });
        if (it == scenario.networks.end()) {
            std::string known;
            for (const Network& n : scenario.networks) known += (known.empty() ? "" : ", ") + n.name;
            std::cerr << "netstep run: " << out.shown << ": " << file << " has no network '" << out.network
                      << "'; its networks: " << (known.empty() ? "none" : known) << "\n";
            return std::nullopt;
        }
        indices.push_back(uint32_t(it - scenario.networks.begin()));
    }
    return indices;
}

int command_run(const RunArgs& args) {
    RunOptions options;
    if (!apply_limits("run", args.limits, options.limits)) return kExitUsage;
    if (args.seed_given) options.seed = args.seed;
    if (!args.until.empty()) {
        options.until = parse_duration_text(args.until);
        if (!options.until) {
            std::cerr << "netstep run: --until " << args.until << ": expected a duration such as 5s or 1.5ms\n";
            return kExitUsage;
        }
    }
    std::optional<std::vector<RunOutput>> outputs = run_outputs(args);
    if (!outputs) return kExitUsage;
    for (const RunOutput& out : *outputs) {
        if (out.path != "-" && same_file(out.path, args.file)) {
            std::cerr << "netstep run: " << out.shown << " is the scenario file itself: refusing to overwrite it\n";
            return kExitUsage;
        }
    }
    for (const RunOutput& out : *outputs) {
        try {
            check_output(out.path);  // a directory: refused now, not after the run
        } catch (const std::exception& e) {
            std::cerr << "netstep run: " << e.what() << "\n";
            return kExitUsage;
        }
    }
    bool to_stdout = false;  // an output is "-": then there is no text trace
    for (size_t i = 0; i < outputs->size(); ++i) {
        const RunOutput& a = (*outputs)[i];
        to_stdout = to_stdout || a.path == "-";
        for (size_t j = i + 1; j < outputs->size(); ++j) {
            const RunOutput& b = (*outputs)[j];
            if (a.path == "-" && b.path == "-") {
                std::cerr << "netstep run: " << a.shown << " and " << b.shown
                          << " both write to standard output: choose one\n";
                return kExitUsage;
            }
            if (a.path != "-" && b.path != "-" && same_file(a.path, b.path)) {
                std::cerr << "netstep run: " << a.option << " and " << b.option << " name the same file\n";
                return kExitUsage;
            }
        }
    }
    Scenario scenario;
    try {
        scenario = load_scenario_file(args.file, options.limits);
    } catch (const ScenarioError& e) {
        std::cerr << e.what() << "\n";
        return kExitUsage;
    } catch (const std::exception& e) {  // std::bad_alloc: a file that passes the limits, too big still
        std::cerr << "netstep run: " << args.file << ": " << error_message(e) << "\n";
        return kExitUsage;
    }
    std::optional<std::vector<uint32_t>> link_networks = pcap_link_networks(*outputs, scenario, args.file);
    if (!link_networks) return kExitUsage;
    Trace trace;
    try {
        ProgressLine progress(args.quiet);
        options.on_progress = run_progress(progress, options.limits);
        trace = run_scenario(scenario, options);
    } catch (const std::exception& e) {
        std::cerr << "netstep run: " << args.file << ": " << error_message(e) << "\n";
        return kExitUsage;
    }
    // Every output through write_output (sim/output.hpp), every write checked: a full disk or
    // device is exit 2 with a message, never a truncated file and exit 0 (issue 14). `-` is
    // standard output for --json, --pcap and --pcap-link alike; then there is no text trace.
    try {
        if (!to_stdout) {
            write_stream({STDOUT_FILENO, "the trace to standard output"},
                         [&](std::ostream& out) { write_text(trace, out, {.steps = args.steps}); });
        }
        if (!args.json.empty()) write_json_file(trace, args.json);
        if (!args.pcap.empty()) write_pcap(trace, args.pcap);  // pcapng, whatever the extension
        size_t link = 0;
        for (const RunOutput& out : *outputs) {
            if (!out.network.empty()) write_pcap_link(trace, (*link_networks)[link++], out.path);
        }
    } catch (const std::exception& e) {
        std::cerr << "netstep run: " << error_message(e) << "\n";
        return kExitUsage;
    }
    return trace.failures.empty() ? kExitOk : kExitFailed;
}

// --- check ---------------------------------------------------------------------------------

// Every scenario named: files as given, directories as every *.yaml inside, sorted. A named file
// that is not a regular file (a FIFO: reading it would wait for a writer forever, issue 14) is an
// error found with stat, never opened.
std::vector<std::string> expand_scenarios(const std::vector<std::string>& args, std::vector<std::string>& errors) {
    std::vector<std::string> files;
    for (const std::string& a : args) {
        std::error_code ec;
        struct stat st {};
        if (fs::is_directory(a, ec)) {
            std::vector<std::string> inside;
            for (const auto& entry : fs::directory_iterator(a, ec)) {
                if (entry.is_regular_file() && entry.path().extension() == ".yaml") inside.push_back(entry.path().string());
            }
            std::sort(inside.begin(), inside.end());
            if (inside.empty()) errors.push_back(a + ": no *.yaml scenario in this directory");
            files.insert(files.end(), inside.begin(), inside.end());
        } else if (stat(a.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
            errors.push_back(a + ": not a regular file (" + file_kind(st.st_mode) + ")");
        } else {
            files.push_back(a);  // a missing file: the loader says so
        }
    }
    return files;
}

struct CheckResult {
    int code = kExitOk;  // 0 pass, 1 failed, 2 scenario error (or a crash, or --timeout)
    std::string line;    // "PASS x.yaml (12 events)" / "FAIL x.yaml: reason", one line per failure
};

struct CheckOptions {
    double timeout = 60;  // seconds per file (--timeout)
    bool quiet = false;   // no progress on a terminal (--quiet)
    Limits limits;        // --limit NAME=VALUE
};

// Runs one scenario in this process and says how it went (called in a child process).
CheckResult check_one(const std::string& file, const Limits& limits) {
    try {
        Scenario scenario = load_scenario_file(file, limits);
        RunOptions options;
        options.limits = limits;
        Trace trace = run_scenario(scenario, options);
        if (trace.failures.empty() && trace.warnings.empty()) {
            return {kExitOk, "PASS " + file + " (" + std::to_string(trace.events.size()) + " events)"};
        }
        // Every failure on its own line, each naming the file: a teacher fixes them all in one go.
        // A fault or caption that never applied is a failure here (the scenario does not do what
        // it says), a warning in the trace.
        std::string lines;
        std::vector<std::string> all = trace.failures;
        all.insert(all.end(), trace.warnings.begin(), trace.warnings.end());
        for (const std::string& failure : all) {
            if (!lines.empty()) lines += "\n";
            lines += "FAIL " + file + ": " + failure;
        }
        return {kExitFailed, lines};
    } catch (const ScenarioError& e) {
        return {kExitUsage, "FAIL " + file + ": " + e.what()};
    } catch (const std::exception& e) {
        return {kExitUsage, "FAIL " + file + ": " + error_message(e)};
    }
}

// "60", "1.5": seconds as --timeout was given.
std::string seconds_text(double seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", seconds);
    return buf;
}

// One process per scenario (one SimGrid engine per process): the child writes its line to a
// pipe and exits with its code. The parent waits for the line at most options.timeout seconds
// (poll with a deadline), then kills the child: one hanging file does not hold back a directory.
// The child stays in our process group, so that Ctrl-C on the terminal reaches it too; it runs
// no other process (SimGrid's actors are threads), so killing it is enough.
CheckResult check_in_child(const std::string& file, const CheckOptions& options) {
    int fds[2];
    if (pipe(fds) != 0) return check_one(file, options.limits);  // cannot isolate: run here (the first one works)
    std::cout.flush();
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return {kExitUsage, "FAIL " + file + ": cannot start a process"};
    }
    if (pid == 0) {
        close(fds[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL);  // netstep check killed: no orphan keeps running
        if (getppid() != parent) _exit(kExitUsage);
        CheckResult r = check_one(file, options.limits);
        std::string msg = r.line;
        const char* p = msg.data();
        size_t left = msg.size();
        while (left > 0) {
            ssize_t n = write(fds[1], p, left);
            if (n <= 0) break;
            p += n;
            left -= size_t(n);
        }
        close(fds[1]);
        _exit(r.code);
    }
    close(fds[1]);
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(options.timeout));
    std::string line;
    bool timed_out = false;
    char buf[4096];
    for (;;) {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        int ready = poll(&p, 1, int(std::min<int64_t>(left, 60'000)));
        if (ready < 0 && errno != EINTR) break;
        if (ready <= 0) continue;
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n > 0) line.append(buf, size_t(n));
        else if (n == 0 || errno != EINTR) break;
    }
    close(fds[0]);
    if (timed_out) kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out) {
        return {kExitUsage, "FAIL " + file + ": stopped after " + seconds_text(options.timeout) + " s (--timeout)"};
    }
    if (WIFEXITED(status)) {
        int code = WEXITSTATUS(status);
        if (line.empty()) line = "FAIL " + file + ": the run ended without a result";
        return {code, line};
    }
    // A crash says nothing about the scenario's expectations: it could not be checked (exit 2).
    return {kExitUsage, "FAIL " + file + ": the run crashed (signal " + std::to_string(WTERMSIG(status)) + ")"};
}

int command_check(const std::vector<std::string>& args, const CheckOptions& options) {
    std::vector<std::string> errors;
    std::vector<std::string> files = expand_scenarios(args, errors);
    int passed = 0, failed = 0, code = kExitOk;
    for (const std::string& e : errors) {
        std::cout << "FAIL " << e << "\n";
        ++failed;
        code = kExitUsage;
    }
    ProgressLine progress(options.quiet);
    for (size_t i = 0; i < files.size(); ++i) {
        // Which file it is on, in one terminal line.
        const std::string& file = files[i];
        std::string name = file.size() > 60 ? "..." + file.substr(file.size() - 57) : file;
        progress.show("[" + std::to_string(i + 1) + "/" + std::to_string(files.size()) + "] " + name);
        CheckResult r = check_in_child(files[i], options);
        progress.clear();
        std::cout << r.line << "\n" << std::flush;
        if (r.code == kExitOk) {
            ++passed;
        } else {
            ++failed;
            code = std::max(code, r.code);
        }
    }
    std::cout << passed << " passed, " << failed << " failed\n" << std::flush;
    if (!std::cout) {
        std::cerr << "netstep check: cannot write the results to standard output\n";
        return kExitUsage;
    }
    return code;
}

// --- quiz ----------------------------------------------------------------------------------

struct QuizArgs {
    std::string file;
    uint64_t seed = 0;
    bool seed_given = false;
    size_t max = quiz::QuizOptions{}.max;
    std::string lang = "en";
    std::string answers;  // --answers ABCA: one letter per question, instead of standard input
    bool answers_given = false;
    bool show = false;
};

constexpr int kQuizTries = 3;  // bad answers to one question before it counts as wrong

char choice_letter(size_t i) { return char('A' + i); }

// "B) 61402"
std::string choice_text(const quiz::Question& q, size_t i) {
    return std::string(1, choice_letter(i)) + ") " + q.choices[i];
}

// `english` (an fmt template) in the quiz's language (quiz::text), the arguments put in.
template <class... Args>
std::string say(const std::string& lang, std::string_view english, const Args&... args) {
    return fmt::format(fmt::runtime(quiz::text(lang, english)), args...);
}

void write_question_head(const Trace& trace, const quiz::Question& q, size_t n, size_t total, const std::string& lang,
                         std::ostream& out) {
    out << "\n"
        << (q.step < trace.events.size() ? say(lang, "Question {0}/{1} (before step {2}, at {3} s)", n, total, q.step,
                                              to_string(trace.events[q.step].time))
                                         : say(lang, "Question {0}/{1} (before step {2})", n, total, q.step))
        << "\n" << q.prompt << "\n";
}

// The teacher's answer key: every question, the right choice marked with '*'.
void write_answer_key(const Trace& trace, const std::vector<quiz::Question>& questions, const std::string& lang,
                      std::ostream& out) {
    out << say(lang, "netstep quiz: {0} (answer key, {1} questions)", trace.title, questions.size()) << "\n";
    for (size_t n = 0; n < questions.size(); ++n) {
        const quiz::Question& q = questions[n];
        write_question_head(trace, q, n + 1, questions.size(), lang, out);
        for (size_t i = 0; i < q.choices.size(); ++i) out << (i == q.answer ? "  * " : "    ") << choice_text(q, i) << "\n";
        out << "  " << say(lang, "Why: {0}", q.explanation) << "\n";
    }
}

// Asks each question, reading one answer per line from `next` (nullopt: end of input, which ends
// the quiz with the score so far). `echo`: print each answer read (input that is not a terminal).
void ask_questions(const Trace& trace, const std::vector<quiz::Question>& questions, const std::string& lang,
                   const std::function<std::optional<std::string>()>& next, bool echo, std::ostream& out) {
    out << "netstep quiz: " << trace.title << "\n"
        << say(lang, questions.size() == 1 ? "{0} question: predict what happens next. Answer each with its letter, then Enter."
                                           : "{0} questions: predict what happens next. Answer each with its letter, then Enter.",
               questions.size())
        << "\n";
    size_t right = 0, asked = 0;
    bool ended = false;
    for (size_t n = 0; n < questions.size() && !ended; ++n) {
        const quiz::Question& q = questions[n];
        write_question_head(trace, q, n + 1, questions.size(), lang, out);
        for (size_t i = 0; i < q.choices.size(); ++i) out << "  " << choice_text(q, i) << "\n";
        const char last = choice_letter(q.choices.size() - 1);
        std::optional<size_t> picked;
        int tries = 0;
        while (!picked && tries < kQuizTries) {
            out << say(lang, "Your answer (A-{0}): ", last) << std::flush;
            std::optional<std::string> line = next();
            if (!line) {
                ended = true;
                break;
            }
            if (echo) out << *line;
            out << "\n";
            std::string text = *line;
            text.erase(0, text.find_first_not_of(" \t\r"));
            text.erase(text.find_last_not_of(" \t\r") + 1);
            char c = text.size() == 1 ? char(std::toupper(static_cast<unsigned char>(text[0]))) : 0;
            if (c >= 'A' && c <= last) {
                picked = size_t(c - 'A');
            } else if (++tries < kQuizTries) {
                out << say(lang, "'{0}' is not a choice: answer with one letter from A to {1}.", text, last) << "\n";
            }
        }
        if (ended) {
            out << "\n" << say(lang, "End of input: the quiz stops here.") << "\n";
            break;
        }
        ++asked;
        if (!picked) {
            out << say(lang, "No valid answer after {0} tries: counted as wrong. The answer is {1}.", kQuizTries,
                       choice_text(q, q.answer))
                << "\n";
        } else if (*picked == q.answer) {
            ++right;
            out << say(lang, "Right.") << "\n";
        } else {
            out << say(lang, "Wrong: the answer is {0}.", choice_text(q, q.answer)) << "\n";
        }
        out << "  " << say(lang, "Why: {0}", q.explanation) << "\n";
    }
    out << "\n" << say(lang, "Score: {0}/{1}", right, asked);
    if (asked < questions.size()) out << say(lang, " ({0} of {1} questions answered)", asked, questions.size());
    out << "\n";
}

// Runs a scenario for `netstep quiz` and `netstep export` (command: "quiz"); nothing, with the
// error on stderr, when it cannot be loaded or run.
std::optional<Trace> run_for(const char* command, const std::string& file, bool seed_given, uint64_t seed) {
    RunOptions options;
    if (seed_given) options.seed = seed;
    try {
        Scenario scenario = load_scenario_file(file, options.limits);
        return run_scenario(scenario, options);
    } catch (const ScenarioError& e) {
        std::cerr << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "netstep " << command << ": " << file << ": " << error_message(e) << "\n";
    }
    return std::nullopt;
}

int command_quiz(const QuizArgs& args) {
    std::optional<Trace> run = run_for("quiz", args.file, args.seed_given, args.seed);
    if (!run) return kExitUsage;
    const Trace& trace = *run;
    std::vector<quiz::Question> questions = quiz::generate(trace, {.max = args.max, .lang = args.lang});
    if (questions.empty()) {
        std::cout << "netstep quiz: " << args.file
                  << " gives no question: no packet, state change or datagram to predict.\n";
        return kExitOk;
    }
    if (args.show) {
        write_answer_key(trace, questions, args.lang, std::cout);
    } else if (args.answers_given) {
        size_t i = 0;  // --answers ABC: each character is one line of input
        ask_questions(trace, questions, args.lang, [&]() -> std::optional<std::string> {
            if (i >= args.answers.size()) return std::nullopt;
            return std::string(1, args.answers[i++]);
        }, true, std::cout);
    } else {
        ask_questions(trace, questions, args.lang, []() -> std::optional<std::string> {
            std::string line;
            if (!std::getline(std::cin, line)) return std::nullopt;
            return line;
        }, !isatty(STDIN_FILENO), std::cout);
    }
    std::cout.flush();
    if (!std::cout) {
        std::cerr << "netstep quiz: cannot write to standard output\n";
        return kExitUsage;
    }
    return kExitOk;
}

// --- export --------------------------------------------------------------------------------

struct ExportArgs {
    std::string file;
    std::string ladder, topology, handout;  // output files
    std::string web;                        // a directory: the lesson for a web browser
    std::optional<uint32_t> from, to;
    std::string lang = "en";
    uint64_t seed = 0;
    bool seed_given = false;
};

// Runs the scenario, then writes each drawing asked for (viz/export/): every argument is
// checked before the run, every error names its problem.
int command_export(const ExportArgs& args) {
    namespace ex = netstep::viz::exporting;
    struct Job { const char* option; std::string path; ex::Format format; };
    std::vector<Job> jobs;
    for (const auto& [option, path] : {std::pair{"--ladder", args.ladder}, std::pair{"--topology", args.topology},
                                       std::pair{"--handout", args.handout}}) {
        if (path.empty()) continue;
        std::optional<ex::Format> format = ex::format_of(path);
        if (!format) {
            std::cerr << "netstep export: " << option << " " << path << ": unknown extension: write .pdf, .svg or .png\n";
            return kExitUsage;
        }
        if (std::string(option) == "--handout" && *format != ex::Format::Pdf) {
            std::cerr << "netstep export: --handout " << path << ": a handout is a PDF (A4 pages): write .pdf\n";
            return kExitUsage;
        }
        if (path != "-" && same_file(path, args.file)) {
            std::cerr << "netstep export: " << option << " " << path << " is the scenario file itself: refusing to overwrite it\n";
            return kExitUsage;
        }
        try {
            check_output(path);
        } catch (const std::exception& e) {
            std::cerr << "netstep export: " << option << ": " << error_message(e) << "\n";
            return kExitUsage;
        }
        jobs.push_back({option, path, *format});
    }
    std::string web_viewer;
    if (!args.web.empty()) {
        std::error_code ec;
        if (fs::exists(args.web, ec) && !fs::is_directory(args.web, ec)) {
            std::cerr << "netstep export: --web " << args.web << ": not a directory\n";
            return kExitUsage;
        }
        web_viewer = web_viewer_dir();
        if (web_viewer.empty()) {
            std::cerr << "netstep export: --web: the viewer for the browser is not built: run scripts/build-web.sh "
                         "(or set NETSTEP_WEB_DIR to a directory holding index.html, netstep-view.js and netstep-view.wasm)\n";
            return kExitUsage;
        }
    }
    if (jobs.empty() && args.web.empty()) {
        std::cerr << "netstep export: nothing to write: give --ladder, --topology, --handout or --web\n";
        return kExitUsage;
    }
    if (args.from && args.to && *args.from > *args.to) {
        std::cerr << "netstep export: --from " << *args.from << " is after --to " << *args.to << "\n";
        return kExitUsage;
    }
    std::optional<Trace> run = run_for("export", args.file, args.seed_given, args.seed);
    if (!run) return kExitUsage;
    const Trace& trace = *run;
    netstep::viz::TraceView view(trace);
    ex::ExportOptions eo{.from = args.from.value_or(0), .to = args.to.value_or(sim::kNone),
                         .lang = netstep::viz::language_from(args.lang)};
    for (const Job& job : jobs) {
        try {
            std::string bytes = job.option == std::string("--ladder")     ? ex::export_ladder(view, job.format, eo)
                                : job.option == std::string("--topology") ? ex::export_topology(view, job.format, eo)
                                                                          : ex::export_handout(view, eo);
            write_output(job.path, [&](const OutputFd& out) { write_bytes(out, bytes.data(), bytes.size()); });
        } catch (const std::invalid_argument& e) {
            std::cerr << "netstep export: " << args.file << ": " << e.what() << "\n";
            return kExitUsage;
        } catch (const std::exception& e) {
            std::cerr << "netstep export: " << job.option << ": " << error_message(e) << "\n";
            return kExitUsage;
        }
    }
    if (!args.web.empty()) {
        // The lesson: the browser's viewer (viz/web, read-only) beside the run's trace.json.
        try {
            fs::create_directories(args.web);
            for (const char* f : kWebViewerFiles) {
                std::ifstream in(fs::path(web_viewer) / f, std::ios::binary);
                std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
                if (!in && !in.eof()) throw std::runtime_error(std::string("cannot read ") + (fs::path(web_viewer) / f).string());
                write_output((fs::path(args.web) / f).string(),
                             [&](const OutputFd& out) { write_bytes(out, bytes.data(), bytes.size()); });
            }
            write_json_file(trace, (fs::path(args.web) / "trace.json").string());
        } catch (const std::exception& e) {
            std::cerr << "netstep export: --web " << args.web << ": " << error_message(e) << "\n";
            return kExitUsage;
        }
    }
    return kExitOk;
}

// --- view ----------------------------------------------------------------------------------

// The viewer (netstep-view next to netstep, or PREFIX/lib/netstep/) and the shipped classroom
// scenarios (the source tree's from a build tree, PREFIX/share/netstep/scenarios installed):
// sim/install.hpp.

struct ViewArgs {
    std::string file;
    std::string screenshot;
    std::optional<uint32_t> step;  // beyond the last step: the viewer says so and exits 2
    std::string size = "1280x800";
    std::string lang;
    bool presenter = false;
    std::string inspect_field;
    bool lab = false;
    bool predict = false;
};

int command_view(const ViewArgs& args, const char* argv0) {
    std::string exe = this_executable(argv0);
    std::string viewer = viewer_executable(exe);
    if (viewer.empty()) {
        std::cerr << "netstep: built without the visualizer (configure with -DNETSTEP_BUILD_VIZ=ON)\n";
        return kExitUsage;
    }
    std::string file = !args.file.empty() ? args.file : shipped_scenario(args.lab ? "lab-one-lan.yaml" : "default.yaml");
    if (!args.screenshot.empty() && same_file(args.screenshot, file)) {
        std::cerr << "netstep view: --screenshot " << args.screenshot
                  << " is the scenario file itself: refusing to overwrite it\n";
        return kExitUsage;
    }
    // From a small laptop's screen to 8K: a screenshot's pixels are held twice in memory.
    constexpr int kMinW = 320, kMinH = 200, kMaxW = 7680, kMaxH = 4320;
    int w = 0, h = 0;
    char x = 0;
    int used = 0;
    if (std::sscanf(args.size.c_str(), "%d%c%d%n", &w, &x, &h, &used) != 3 || x != 'x' || size_t(used) != args.size.size() ||
        w < kMinW || h < kMinH || w > kMaxW || h > kMaxH) {
        std::cerr << "netstep view: --size " << args.size << ": expected WIDTHxHEIGHT from " << kMinW << "x" << kMinH
                  << " to " << kMaxW << "x" << kMaxH << ", such as 1280x800\n";
        return kExitUsage;
    }
    // netstep-view NETSTEP FILE SCREENSHOT STEP WIDTH HEIGHT LANG PRESENTER INSPECT_FIELD PREDICT (checked above)
    std::string step = args.step ? std::to_string(*args.step) : "";
    std::vector<std::string> argv = {viewer,           exe,          file,      args.screenshot, step,
                                     std::to_string(w), std::to_string(h), args.lang, args.presenter ? "1" : "0", args.inspect_field,
                                     args.predict ? "1" : "0"};
    std::vector<char*> c_argv;
    for (std::string& a : argv) c_argv.push_back(a.data());
    c_argv.push_back(nullptr);
    std::cout.flush();
    execv(viewer.c_str(), c_argv.data());
    std::cerr << "netstep view: cannot start " << viewer << ": " << std::strerror(errno) << "\n";
    return kExitUsage;
}

int netstep_main(int argc, char** argv);

// `netstep worker` (internal, for the viewer): each line of standard input is one command, its
// fields tab-separated: the file its standard output goes to (empty: /dev/null), the file its
// standard error goes to, then its arguments ("OUT\tERR\trun\tFILE\t--json\t-..."); each is run in a
// child forked from this process, and its exit status is written back as a line. The viewer reruns
// a scenario at every line typed into a terminal: a fork skips exec and the start-up of the
// libraries netstep links (SimGrid's ns-3 registers hundreds of types at start-up: 80 ms of a
// 100 ms budget). SimGrid allows one engine per process: each child makes its own, the worker none.
int command_worker() {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // the viewer is gone: so is its worker
    std::string line;
    while (std::getline(std::cin, line)) {
        std::vector<std::string> args;
        for (size_t start = 0;;) {
            size_t tab = line.find('\t', start);
            args.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
            if (tab == std::string::npos) break;
            start = tab + 1;
        }
        if (args.size() < 3) {
            std::cout << kExitUsage << std::endl;
            continue;
        }
        std::cout.flush();
        pid_t pid = fork();
        if (pid == 0) {
            int null = open("/dev/null", O_RDWR);
            int out = args[0].empty() ? null : open(args[0].c_str(), O_WRONLY | O_TRUNC | O_CREAT | O_CLOEXEC, 0600);
            int err = open(args[1].c_str(), O_WRONLY | O_TRUNC | O_CREAT | O_CLOEXEC, 0600);
            if (null >= 0) dup2(null, STDIN_FILENO);
            if (out >= 0) dup2(out, STDOUT_FILENO);
            if (err >= 0) dup2(err, STDERR_FILENO);
            std::vector<char*> argv;
            std::string self = "netstep";
            argv.push_back(self.data());
            for (size_t i = 2; i < args.size(); ++i) argv.push_back(args[i].data());
            argv.push_back(nullptr);
            int code = netstep_main(int(argv.size() - 1), argv.data());
            std::cout.flush();
            std::cerr.flush();
            _exit(code);
        }
        int status = 0;
        int code = kExitUsage;
        if (pid > 0) {
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        }
        std::cout << code << std::endl;
    }
    return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::string_view(argv[1]) == "worker") return command_worker();
    return netstep_main(argc, argv);
}

namespace {

int netstep_main(int argc, char** argv) {
    // A process lives for one command: memory freed along the way (the scenario file's node
    // table, a vector that grew) is kept for reuse, not handed back to the system and faulted in
    // again (page faults were a sixth of a 1,000-client run).
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    // Past RLIMIT_FSIZE a write fails with EFBIG, reported like a full disk (exit 2, the old
    // file kept), instead of SIGXFSZ killing the process mid-file.
    std::signal(SIGXFSZ, SIG_IGN);
    CLI::App app{
        "netstep: watch network protocols work, one packet at a time.\n"
        "A scenario file describes networks, hosts and the programs they run (socket, connect,\n"
        "send...); netstep simulates them and shows every packet, state change and socket call.",
        "netstep"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("netstep ") + sim::version(), "Print the version and exit");
    app.footer(
        "Examples:\n"
        "  netstep run scenarios/default.yaml              the trace, one line per event\n"
        "  netstep run handshake.yaml --pcap out.pcapng    ...and the packets for Wireshark\n"
        "  netstep check scenarios/                        verify every expectation\n"
        "  netstep shell lab.yaml --save session.yaml      type commands in a host's terminal\n"
        "  netstep quiz scenarios/default.yaml             predict the next step: questions in the terminal\n"
        "  netstep export lesson.yaml --handout lesson.pdf  a handout to print (--ladder, --topology: PDF, SVG, PNG)\n"
        "  netstep run lesson.yaml --pcap - | tshark -r -  '-' is standard output, for every output\n"
        "  netstep view                                    the visualizer, classroom scenario\n"
        "Exit codes: 0 success, 1 an expectation failed, 2 a usage or scenario-file error, or an\n"
        "output that could not be written.");

    RunArgs run_args;
    CLI::App* run = app.add_subcommand("run", "Simulate a scenario and print its trace as text: one line per event, "
                                              "with the simulated time and the host.");
    run->add_option("FILE", run_args.file, "The scenario file (YAML)")->required();
    run->add_option("--seed", run_args.seed, "Seed for ISNs, ephemeral ports and random loss (default: the file's)");
    run->add_option("--pcap", run_args.pcap,
                    "Also write every frame to this capture file for Wireshark and tshark: always pcapng "
                    "(whatever the extension), one interface per network, named after it ('-': on stdout, no text)");
    run->add_option("--pcap-link", run_args.pcap_links,
                    "Also write the frames of one network to a classic pcap file, NETWORK=FILE (repeatable), "
                    "e.g. --pcap-link office=office.pcap ('-' as FILE: on stdout, no text)");
    run->add_option("--json", run_args.json, "Also write the trace as JSON to this file ('-': JSON on stdout, no text)");
    run->add_option("--until", run_args.until, "Stop at this simulated time, e.g. 5s or 1.5ms");
    run->add_flag("--steps", run_args.steps,
                  "Start each line with its step number, as `netstep view --step N` and the viewer count");
    run->add_flag("--quiet", run_args.quiet,
                  "No progress line on standard error (shown after a second, only when it is a terminal)");
    run->add_option("--limit", run_args.limits,
                    "Change a limit, NAME=VALUE (repeatable): max_events=100000, max_trace_bytes=256MiB, "
                    "max_sim_time=600s... (docs/scenario-format.md, Limits)");
    run->footer("Outputs: a file is replaced only once complete (a temporary file beside it, renamed); a device\n"
                "or FIFO (/dev/null, mkfifo) is written in place; a directory is refused. A write that fails\n"
                "(a full disk) is exit 2 with a message, the old file untouched.\n"
                "Examples:\n  netstep run scenarios/default.yaml --seed 7 --pcap default.pcapng\n"
                "  netstep run scenarios/ip-router.yaml --pcap-link office=office.pcap --pcap-link servers=servers.pcap");

    std::vector<std::string> check_files;
    CheckOptions check_options;
    CLI::App* check = app.add_subcommand("check", "Run scenarios and verify every expect: one line per scenario, "
                                                  "then 'N passed, N failed'. Exit 1 on any failure, 2 when a "
                                                  "file could not be checked (an error, a crash, --timeout).");
    check->add_option("FILE", check_files, "Scenario files, or directories (every *.yaml inside)")->required();
    check->add_option("--timeout", check_options.timeout,
                      "Stop a scenario that runs longer than this many seconds of real time (default 60): "
                      "'FAIL FILE: stopped after N s (--timeout)', exit 2")
        ->check(CLI::Range(0.001, 86400.0));  // at most a day: the deadline stays in steady_clock's range
    check->add_flag("--quiet", check_options.quiet,
                    "No progress line on standard error (shown only when it is a terminal)");
    std::vector<std::string> check_limits;
    check->add_option("--limit", check_limits, "Change a limit, NAME=VALUE (repeatable), as for run");
    check->footer("Example:\n  netstep check scenarios/ my-lesson.yaml --timeout 10");

    ShellOptions shell_options;
    std::vector<std::string> shell_limits;
    CLI::App* shell = app.add_subcommand(
        "shell", "A host's terminal without a display: type commands (ping web, nc web 80, netstat...) at the "
                 "prompt; each runs in the simulated network when it has come to rest, and the shell prints "
                 "what it caused. --save writes the session as a scenario that replays it.");
    shell->add_option("FILE", shell_options.file, "The scenario file (YAML); a lab without programs will do")->required();
    shell->add_option("--host", shell_options.host,
                      "The host whose terminal to start in (default: the first host that is not a router)");
    shell->add_option("--save", shell_options.save,
                      "When the shell ends, write the scenario with the lines typed (type steps) to this file");
    shell->add_option("--trace", shell_options.trace,
                      "When the shell ends, write the last run's trace as text (as netstep run prints it) to this file");
    shell->add_option("--limit", shell_limits, "Change a limit, NAME=VALUE (repeatable), as for run");
    shell->footer("At the prompt: @HOST goes to another host's terminal; exit, quit or end of input ends the shell;\n"
                  "^C and ^D typed as two characters are the keys Ctrl-C and Ctrl-D in the simulated terminal.\n"
                  "Example:\n  netstep shell lab.yaml --host laptop --save lab-session.yaml");

    QuizArgs quiz_args;
    CLI::App* quiz_cmd = app.add_subcommand(
        "quiz", "Predict the next step: run a scenario, then ask what happens next at chosen steps (the flags "
                "of a segment, its seq or ack number, the next TCP state, the local port, whether a datagram "
                "arrives); answer each with a letter (A-D), a score at the end.");
    quiz_cmd->add_option("FILE", quiz_args.file, "The scenario file (YAML)")->required();
    quiz_cmd->add_option("--max", quiz_args.max, "At most this many questions (default 6)")->check(CLI::Range(1, 1000));
    quiz_cmd->add_option("--seed", quiz_args.seed, "Seed for the run and the order of the choices (default: the file's)");
    quiz_cmd->add_option("--lang", quiz_args.lang, "Language of the questions: en, fr or it (the scenario's own questions as written; generated ones: their prompts, explanations in English so far)")
        ->check(CLI::IsMember({"en", "fr", "it"}));
    quiz_cmd->add_option("--answers", quiz_args.answers,
                         "Answer from the command line, one letter per question (e.g. BACA), instead of standard input");
    quiz_cmd->add_flag("--show", quiz_args.show,
                       "Print the questions with the right answers marked '*' and why (a teacher's answer key); "
                       "reads no input")
        ->excludes(quiz_cmd->get_option("--answers"));
    quiz_cmd->footer("End of input ends the quiz early with the score so far; an answer that is not a choice is asked\n"
                     "again, and after 3 such answers the question counts as wrong.\n"
                     "Examples:\n  netstep quiz scenarios/default.yaml\n"
                     "  netstep quiz scenarios/udp-loss.yaml --show\n"
                     "  netstep quiz scenarios/default.yaml --answers BACADA");

    ViewArgs view_args;
    ExportArgs export_args;
    CLI::App* export_cmd = app.add_subcommand(
        "export", "Handouts and slides: run a scenario, then draw its sequence diagram, its topology or a "
                  "printable handout (title, description, topology, sequence diagram, captions) as PDF, SVG or PNG");
    export_cmd->add_option("FILE", export_args.file, "The scenario file (YAML)")->required();
    export_cmd->add_option("--ladder", export_args.ladder,
                           "The sequence diagram: OUT.pdf (A4 pages), OUT.svg or OUT.png (one tall drawing)");
    export_cmd->add_option("--topology", export_args.topology, "The hosts, networks and routers: OUT.pdf, OUT.svg or OUT.png");
    export_cmd->add_option("--handout", export_args.handout, "Everything, ready to print: OUT.pdf (A4, numbered pages)");
    export_cmd->add_option("--web", export_args.web,
                           "A lesson for any web browser: DIR gets index.html, the viewer (WebAssembly) and the run's trace.json");
    export_cmd->add_option("--from", export_args.from, "The sequence diagram from this step (default: the first)");
    export_cmd->add_option("--to", export_args.to, "... up to this step (default: the last)");
    export_cmd->add_option("--lang", export_args.lang, "Language of the captions and the headings: en, fr, it")
        ->check(CLI::IsMember({"en", "fr", "it"}));
    export_cmd->add_option("--seed", export_args.seed, "Seed for the run (default: the file's)");
    export_cmd->footer("The same input gives the same bytes. Examples:\n"
                       "  netstep export scenarios/default.yaml --handout default.pdf --lang fr\n"
                       "  netstep export scenarios/default.yaml --ladder open.svg --from 0 --to 20\n"
                       "  netstep export scenarios/ip-router.yaml --topology net.png\n"
                       "  netstep export scenarios/default.yaml --web lesson/   (then: python3 -m http.server -d lesson)");

    CLI::App* view = app.add_subcommand("view", "Open the visualizer: step through a scenario forward and backward. "
                                                "Without FILE, the default classroom scenario.");
    view->add_option("FILE", view_args.file, "The scenario file (YAML)");
    view->add_option("--screenshot", view_args.screenshot,
                     "Render step --step to this PNG without showing a window ('-': the PNG on stdout)");
    view->add_option("--step", view_args.step, "The step to show (with --screenshot)");
    view->add_option("--size", view_args.size, "Window or screenshot size, WIDTHxHEIGHT from 320x200 to 7680x4320 (default 1280x800)");
    view->add_option("--lang", view_args.lang, "Interface language: en, fr or it (default: from LANG)")
        ->check(CLI::IsMember({"en", "fr", "it"}));
    view->add_flag("--presenter", view_args.presenter, "Large fonts and thick lines for a projector");
    view->add_flag("--predict", view_args.predict,
                   "Predict mode: stop before chosen events and ask the class what happens next (key P)");
    view->add_flag("--lab", view_args.lab,
                   "Open the lab to explore from a command prompt (scenarios/lab-one-lan.yaml) instead of the "
                   "default scenario")
        ->excludes(view->get_option("FILE"));
    view->add_option("--inspect-field", view_args.inspect_field,
                     "With --screenshot: show the packet inspector with this field lit in the tree and the "
                     "hex (tcp.flags, tcp.seq, ipv4.ttl, udp.length...)");
    view->footer("Examples:\n  netstep view scenarios/default.yaml\n"
                 "  netstep view scenarios/default.yaml --screenshot step12.png --step 12 --size 1280x800");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUsage;
    }
    run_args.seed_given = run->count("--seed") > 0;
    quiz_args.seed_given = quiz_cmd->count("--seed") > 0;
    quiz_args.answers_given = quiz_cmd->count("--answers") > 0;
    export_args.seed_given = export_cmd->count("--seed") > 0;

    // Whatever escapes a command (std::bad_alloc above all) is an error with exit 2, not an abort.
    try {
        if (run->parsed()) return command_run(run_args);
        if (check->parsed()) {
            if (!apply_limits("check", check_limits, check_options.limits)) return kExitUsage;
            return command_check(check_files, check_options);
        }
        if (shell->parsed()) {
            if (!apply_limits("shell", shell_limits, shell_options.limits)) return kExitUsage;
            for (const auto& [option, out] : {std::pair{"--save", shell_options.save}, std::pair{"--trace", shell_options.trace}}) {
                if (out.empty()) continue;
                if (out != "-" && same_file(out, shell_options.file)) {
                    std::cerr << "netstep shell: " << option << " " << out
                              << " is the scenario file itself: refusing to overwrite it\n";
                    return kExitUsage;
                }
                check_output(out);  // a directory: refused now, not after the session
            }
            shell_options.echo = !isatty(STDIN_FILENO);
            return run_shell(shell_options, std::cin, std::cout, std::cerr);
        }
        if (quiz_cmd->parsed()) return command_quiz(quiz_args);
        if (export_cmd->parsed()) return command_export(export_args);
        if (view->parsed()) return command_view(view_args, argv[0]);
    } catch (const std::exception& e) {
        std::cout.flush();
        std::cerr << "netstep: " << error_message(e) << "\n";
    } catch (...) {
        std::cerr << "netstep: an unknown error stopped the command\n";
    }
    return kExitUsage;
}

}  // namespace
