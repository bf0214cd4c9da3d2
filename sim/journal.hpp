// A terminal session as a scenario: the lines typed into hosts' terminals, at the simulated times
// they were typed, written into the scenario's text as programs of `type` steps (a text edit, so
// the teacher's comments survive). Opened again, the file gives the identical trace
// (DESIGN.md: "Everything a user does is a scenario").
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "model/time.hpp"
#include "sim/scenario.hpp"

namespace netstep::sim {

// One line typed (or key pressed) into a host's terminal.
struct TypedLine {
    std::string host;
    Instant at;
    std::string line;                                  // Key::Line
    step::Type::Key key = step::Type::Key::Line;
    bool operator==(const TypedLine&) const = default;
};

// The program name a host's terminal has in a scenario ("terminal").
inline constexpr const char* kTerminalProgram = "terminal";
// Whether a program named `name` on `host` is that host's terminal: named "terminal" (program
// names are unique per host), or "terminal-HOST".
bool is_terminal_program(std::string_view name, std::string_view host);

// `yaml` with `lines` added: each host's lines become `type` steps of its program named
// "terminal" (the existing one, its steps extended, or a new one at the end of `programs:`,
// created when the file has none). Times are written exactly (nanoseconds when needed), lines
// as YAML double-quoted strings; a line at 0s without `at` (the loader takes no zero duration).
// Throws std::invalid_argument for a line that is not UTF-8, holds a line break or is longer than
// step::kMaxTerminalLine, and for lists written in flow style ([...]) it would have to extend;
// yaml::Error for text that is not YAML.
std::string add_typed_lines(const std::string& yaml, const std::vector<TypedLine>& lines);

// The lines typed into the terminal programs of a loaded scenario: program by program in file
// order, each program's top-level `type` steps in order. A step without `at` gets the previous
// line's time (0s for the first).
std::vector<TypedLine> typed_lines(const Scenario& scenario);

}  // namespace netstep::sim
