// A host's terminal at a step (see terminal_view.hpp).
#include "viz/terminal_view.hpp"

#include <algorithm>

#include "sim/journal.hpp"
#include "sim/shell_text.hpp"

namespace netstep::viz {

namespace {

using sim::EventKind;

bool is_terminal(const sim::TraceProgram& p, uint32_t host) {
    return p.host == host && p.name == sim::kTerminalProgram;
}

// Appends an Output's text: one screen line per line ("a\nb\n" is two lines).
void print(std::vector<std::string>& lines, const std::string& text) {
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
        start = end + 1;
    }
    if (text.empty()) lines.emplace_back();
}

}  // namespace

sim::ToolStyle terminal_style(const sim::Trace& trace) {
    return sim::tool_style(trace.profile);
}

TerminalEvents terminal_events(const sim::Trace& trace, uint32_t host) {
    TerminalEvents out;
    out.host = host;
    const auto& programs = trace.programs;
    for (uint32_t i = 0; i < programs.size(); ++i) {
        if (is_terminal(programs[i], host)) {
            out.program = i;
            break;
        }
    }
    if (out.program == sim::kNone) return out;
    // Which programs belong to the terminal: it and its descendants (a parent chain to it).
    std::vector<int8_t> mine(programs.size(), -1);
    mine[out.program] = 1;
    auto belongs = [&](uint32_t p) {
        std::vector<uint32_t> chain;
        while (p < programs.size() && mine[p] < 0 && chain.size() <= programs.size()) {
            chain.push_back(p);
            p = programs[p].parent;
        }
        int8_t verdict = p < programs.size() && mine[p] == 1 ? 1 : 0;
        for (uint32_t c : chain) mine[c] = verdict;
        return verdict == 1;
    };
    for (uint32_t s = 0; s < trace.events.size(); ++s) {
        const sim::TraceEvent& e = trace.events[s];
        bool wanted = e.kind == EventKind::Prompt || e.kind == EventKind::Input || e.kind == EventKind::Output ||
                      (e.kind == EventKind::ProgramEnd && e.program == out.program);
        if (wanted && e.program != sim::kNone && belongs(e.program)) out.steps.push_back(s);
    }
    return out;
}

TerminalScreen terminal_screen(const sim::Trace& trace, const TerminalEvents& events, uint32_t step, size_t max_lines) {
    TerminalScreen screen;
    std::vector<std::string>& lines = screen.lines;
    std::string pending;                 // a Prompt not yet followed by its Input
    bool has_pending = false;            // (no std::optional: GCC 12 warns, wrongly, of it)
    bool ended = false;
    bool after_output = false;           // the last event was an Output
    const bool cmd = terminal_style(trace) == sim::ToolStyle::Windows;
    auto flush_prompt = [&] {
        if (has_pending) lines.push_back(pending);
        has_pending = false;
    };
    for (uint32_t s : events.steps) {
        if (s > step) break;
        const sim::TraceEvent& e = trace.events[s];
        const std::string& text = trace.str(e.text);
        screen.last_step = s;
        ended = false;
        switch (e.kind) {
            case EventKind::Prompt:
                flush_prompt();
                // cmd.exe leaves an empty line between a command's output and the next prompt.
                if (cmd && after_output && !lines.empty() && !lines.back().empty()) lines.push_back("");
                pending = text;
                has_pending = true;
                break;
            case EventKind::Input: {
                const std::string& at = trace.str(e.text2);
                if (has_pending && pending == at) lines.push_back(at + text);
                else if (at.empty()) { flush_prompt(); lines.push_back(text); }
                else { flush_prompt(); lines.push_back(at + text); }
                has_pending = false;
                break;
            }
            case EventKind::Output:
                flush_prompt();
                if (text == "\f") lines.clear();
                else print(lines, text);
                break;
            default:  // the terminal itself ended
                flush_prompt();
                ended = true;
                break;
        }
        after_output = e.kind == EventKind::Output;
        if (lines.size() > max_lines * 2) lines.erase(lines.begin(), lines.end() - long(max_lines));
    }
    if (lines.size() > max_lines) lines.erase(lines.begin(), lines.end() - long(max_lines));
    if (has_pending) screen.prompt = pending;
    else if (ended || screen.last_step == sim::kNone) {  // no terminal yet, or it ended
        std::string name = events.host < trace.hosts.size() ? trace.hosts[events.host].name : "";
        screen.prompt = sim::terminal_prompt(terminal_style(trace), name);
    }
    return screen;
}

std::vector<uint32_t> terminal_hosts(const sim::Trace& trace) {
    std::vector<uint32_t> hosts;
    for (const sim::TraceProgram& p : trace.programs) {
        if (p.name == sim::kTerminalProgram && p.host < trace.hosts.size()) hosts.push_back(p.host);
    }
    std::sort(hosts.begin(), hosts.end());
    hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
    return hosts;
}

}  // namespace netstep::viz
