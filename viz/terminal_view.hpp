// A host's terminal as the trace shows it at a step: the lines on its screen and the prompt its
// input row shows. Pure logic (no ImGui): the Terminal panel draws it, tests check it.
//
// The terminal of host H is its program named "terminal" (sim::kTerminalProgram) and the
// programs descending from it (the commands it runs); their Prompt, Input and Output events up to
// the step make the screen:
//  - a Prompt followed by the Input typed at it (text2 == the prompt) is one line "prompt" + line;
//  - an Input with an empty text2 (typed into a running command, nc) is echoed on its own line;
//  - an Output's lines as printed; an Output of exactly "\f" (cls, clear) clears the screen.
// The input row shows the prompt when the last of these events is a Prompt, or when the host has
// no terminal yet (or it ended); otherwise a command runs and what is typed goes to its input.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine_text.hpp"
#include "sim/trace.hpp"

namespace netstep::viz {

// The style of a trace's terminals: Windows cmd under the textbook profile, bash under linux.
sim::ToolStyle terminal_style(const sim::Trace& trace);

// The events of a host's terminal (its program named "terminal" and that program's descendants):
// their steps, ascending; empty when the host has no terminal.
struct TerminalEvents {
    uint32_t host = sim::kNone;
    uint32_t program = sim::kNone;       // the terminal program (kNone: none on this host)
    std::vector<uint32_t> steps;         // Prompt, Input, Output (and the terminal's ProgramEnd)
};
TerminalEvents terminal_events(const sim::Trace& trace, uint32_t host);

struct TerminalScreen {
    std::vector<std::string> lines;      // oldest first, at most max_lines (the newest kept)
    std::optional<std::string> prompt;   // the input row's prompt; nullopt: a command runs
    uint32_t last_step = sim::kNone;     // the last terminal event shown (kNone: none yet)
};

// The screen at `step` (events after it are not shown yet).
TerminalScreen terminal_screen(const sim::Trace& trace, const TerminalEvents& events, uint32_t step,
                               size_t max_lines = 2000);

// The hosts that have a terminal program, in host order.
std::vector<uint32_t> terminal_hosts(const sim::Trace& trace);

}  // namespace netstep::viz
