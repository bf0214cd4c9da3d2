// `netstep shell FILE`: a host's terminal without a display. Each command line typed becomes a
// line of the journal (sim/journal.hpp) at the simulated time the network came to rest; the
// whole scenario, file and journal, is run again (in a child process: one SimGrid engine per
// process) and the shell prints what the line caused. --save writes the session as a scenario.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "sim/scenario.hpp"
#include "sim/trace.hpp"

namespace netstep::sim {

struct ShellOptions {
    std::string file;
    std::string save;  // --save OUT.yaml: the session written when the shell ends ("" = not)
    std::string trace; // --trace OUT.txt: the last run's text trace (as netstep run prints it), at the end
    std::string host;  // --host H: the terminal to start in ("" = the first host that is not a router)
    Limits limits;     // as netstep run: --limit NAME=VALUE
    bool echo = false; // print each line read after the prompt (stdin is not a terminal)
};

// Runs the session: reads lines from `in`, writes the prompts, the terminal's output and the
// trace lines to `out`. The exit code: 0, or 2 for a file that does not load or a --save that
// cannot be written (the message on `err`).
int run_shell(const ShellOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

// What the shell prints after a line typed at `now`: the events of `run` the line caused (those
// after `now`, and those at `now` that `before`, the previous run, which ended at `now`, did not
// have), the terminal's output on `host` (Output events of its terminal program and of the
// programs it started) as plain text, every other event as `netstep run` prints its line,
// indented by two spaces. Run start and end, and the terminal's own start, prompts and echoed
// input are left out (the shell shows its prompt and the line itself).
std::string caused_text(const Trace& before, const Trace& run, Instant now, const std::string& host);

// Whether the terminal of `host` waits at its prompt at the end of `run` (a line typed there is a
// command for its shell) rather than running a command that reads what is typed (nc): its last
// Prompt comes after the last line typed at a prompt. True when the host has no terminal yet or
// its terminal has shown no prompt.
bool terminal_at_prompt(const Trace& run, const std::string& host);

// A run of `yaml` (the scenario's text, named `file` in messages) in a child process: the trace,
// or the error that stopped it (a scenario error, a limit, a crash) in `error`.
struct ChildRun {
    Trace trace;
    std::string error;
};
ChildRun run_text_in_child(const std::string& yaml, const std::string& file, const Limits& limits);

}  // namespace netstep::sim
