// The Terminal panel: a host's command prompt as the trace shows it at the current step (see
// terminal_view.hpp for what is on the screen), and an input row whose lines become `type` steps
// of the scenario (DESIGN.md: "Everything a user does is a scenario"). The panel never calls the
// model: it pushes cmd::Type, and the session puts the line in its journal and runs the scenario
// again.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "sim/shell.hpp"
#include "sim/shell_text.hpp"
#include "viz/panels.hpp"
#include "viz/terminal_view.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

namespace {

// A console's colors (Windows Terminal's Campbell): light gray on near black.
constexpr ImU32 kConsoleBg = theme::rgb(12, 12, 12);
constexpr ImU32 kConsoleText = theme::rgb(204, 204, 204);
constexpr ImU32 kConsoleLocal = theme::rgb(249, 241, 165);  // local messages: not in the trace
constexpr ImU32 kConsoleHint = theme::rgb(118, 118, 118);

ImVec2 center(ImVec2 min, ImVec2 max) { return ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f); }
ImVec2 last_item_center() { return center(ImGui::GetItemRectMin(), ImGui::GetItemRectMax()); }

// Up/Down walk the lines entered before, as a shell's history does.
int history_callback(ImGuiInputTextCallbackData* data) {
    auto* panel = static_cast<TerminalPanel*>(data->UserData);
    if (data->EventFlag != ImGuiInputTextFlags_CallbackHistory || panel->history.empty()) return 0;
    int size = int(panel->history.size());
    int& pos = panel->history_pos;
    if (data->EventKey == ImGuiKey_UpArrow) pos = pos < 0 ? size - 1 : std::max(0, pos - 1);
    else if (data->EventKey == ImGuiKey_DownArrow) pos = pos < 0 || pos + 1 >= size ? -1 : pos + 1;
    data->DeleteChars(0, data->BufTextLen);
    if (pos >= 0) data->InsertChars(0, panel->history[size_t(pos)].c_str());
    return 0;
}

std::vector<std::string> host_names(const sim::Trace& trace) {
    std::vector<std::string> names;
    for (const sim::TraceHost& h : trace.hosts) names.push_back(h.name);
    return names;
}

void split_lines(const std::string& text, std::vector<std::string>& into) {
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        into.push_back(text.substr(start, end - start));
        start = end + 1;
    }
}

}  // namespace

// The host chosen in the selector; else the sender of the selected packet; else the first host
// with a terminal in the trace; else the first host that is not a router.
uint32_t TerminalPanel::host_index(const ViewModel& vm) const {
    const sim::Trace& trace = vm.view.trace();
    if (trace.hosts.empty()) return kNone;
    for (uint32_t i = 0; i < trace.hosts.size(); ++i) {
        if (!host.empty() && trace.hosts[i].name == host) return i;
    }
    if (vm.selection.packet != kNone && vm.selection.packet < trace.packets.size())
        return trace.packets[vm.selection.packet].from_host;
    std::vector<uint32_t> with_terminal = terminal_hosts(trace);
    if (!with_terminal.empty()) return with_terminal.front();
    for (uint32_t i = 0; i < trace.hosts.size(); ++i) {
        if (!trace.hosts[i].forwarding) return i;
    }
    return 0;
}

bool TerminalPanel::handle_keys() {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_S, false)) save_requested = true;
    return save_requested;
}

void TerminalPanel::submit(const ViewModel& vm, const sim::TypedLine& line, Commands& out) {
    if (line.key == sim::step::Type::Key::Line && !line.line.empty() &&
        (history.empty() || history.back() != line.line))
        history.push_back(line.line);
    history_pos = -1;
    const sim::Trace& trace = vm.view.trace();
    if (vm.scenario_file == ":demo") {
        local.push_back(vm.text.terminal_demo);
        return;
    }
    if (line.key == sim::step::Type::Key::Line && shown_prompt) {
        std::string error = sim::shell::check_command(line.line, host_names(trace), terminal_style(trace));
        if (line.line.empty() || !error.empty()) {  // the shell's answer, here only
            local.push_back(*shown_prompt + line.line);
            if (!error.empty()) split_lines(error, local);
            return;
        }
    }
    size_t later = 0;
    if (vm.journal) {
        later = size_t(std::count_if(vm.journal->begin(), vm.journal->end(),
                                     [&](const sim::TypedLine& l) { return l.at > line.at; }));
    }
    if (later > 0) {  // the user stepped back: typing here rewrites what came after
        confirm = line;
        confirm_discards = later;
        confirm_open = true;
        return;
    }
    out.push_back(cmd::Type{line});
}

void TerminalPanel::draw_popups(const ViewModel& vm, Commands& out) {
    const Strings& t = vm.text;
    confirm_shown = save_shown = false;
    if (confirm_open) {
        ImGui::OpenPopup("###terminal-confirm");
        confirm_open = false;
    }
    std::string title = std::string(t.terminal) + "###terminal-confirm";
    if (ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        confirm_shown = true;
        if (confirm_discards == 1) {
            ImGui::TextUnformatted(t.discard_later_one);
        } else {
            char text[256];
            std::snprintf(text, sizeof text, t.discard_later, int(confirm_discards));
            ImGui::TextUnformatted(text);
        }
        float w = ImGui::GetFontSize() * 6.0f;
        bool ok = ImGui::Button(t.ok, ImVec2(w, 0));
        ok_center = last_item_center();
        ImGui::SameLine();
        bool cancel = ImGui::Button(t.cancel, ImVec2(w, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
        cancel_center = last_item_center();
        if (ok && confirm) {
            out.push_back(cmd::Type{*confirm});
            host = confirm->host;
        }
        if (ok || cancel) {
            confirm.reset();
            focus_input = true;
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
    if (save_requested) {
        save_requested = false;
        std::string path = vm.save_default;
        std::snprintf(save_path.data(), save_path.size(), "%s", path.c_str());
        ImGui::OpenPopup("###terminal-save");
    }
    title = std::string(t.save_scenario) + "###terminal-save";
    if (ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        save_shown = true;
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 30.0f);
        if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        bool enter = ImGui::InputText("##path", save_path.data(), save_path.size(), ImGuiInputTextFlags_EnterReturnsTrue);
        float w = ImGui::GetFontSize() * 6.0f;
        bool save = ImGui::Button(t.save, ImVec2(w, 0)) || enter;
        save_ok_center = last_item_center();
        ImGui::SameLine();
        bool cancel = ImGui::Button(t.cancel, ImVec2(w, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
        if (save && save_path[0] != '\0') out.push_back(cmd::SaveScenario{save_path.data()});
        if ((save && save_path[0] != '\0') || cancel) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

void TerminalPanel::draw(const ViewModel& vm, Commands& out) {
    const Strings& t = vm.text;
    const sim::Trace& trace = vm.view.trace();
    uint32_t h = host_index(vm);
    shown_host = h;
    if (h == kNone) {
        ImGui::TextDisabled("—");
        return;
    }
    // Local messages belong to the step and the trace they were printed at.
    if (local_generation != vm.generation || local_step != vm.step || local_host != h) {
        local.clear();
        local_generation = vm.generation;
        local_step = vm.step;
        local_host = h;
    }

    // --- The host selector and "Save as scenario" --------------------------------------------
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(t.terminal_host);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9.0f);
    if (ImGui::BeginCombo("##terminal-host", trace.hosts[h].name.c_str())) {
        for (uint32_t i = 0; i < trace.hosts.size(); ++i) {
            if (ImGui::Selectable(trace.hosts[i].name.c_str(), i == h)) {
                host = trace.hosts[i].name;
                focus_input = true;
            }
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (ImGui::Button(t.save_scenario)) save_requested = true;
    save_center = last_item_center();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Ctrl+S");
    if (!vm.save_message.empty()) {
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, theme::to_vec4(theme::kMuted));
        TextEllipsis(vm.save_message, 0.0f);
        ImGui::PopStyleColor();
    }

    // --- The screen ------------------------------------------------------------------------------
    if (cache.generation != vm.generation || cache.events.host != h) {
        cache.events = terminal_events(trace, h);
        cache.generation = vm.generation;
        cache.step = kNone;
    }
    if (cache.step != vm.step) {
        cache.screen = terminal_screen(trace, cache.events, vm.step, max_lines);
        cache.step = vm.step;
    }
    const TerminalScreen& screen = cache.screen;
    shown_prompt = screen.prompt;
    shown_lines = screen.lines;
    shown_lines.insert(shown_lines.end(), local.begin(), local.end());
    size_t from_screen = shown_lines.size() - local.size();

    ImGui::PushFont(vm.fonts.mono);
    float line_h = ImGui::GetTextLineHeightWithSpacing();
    float pad = ImGui::GetFontSize() * 0.4f;
    ImGui::PopFont();
    float input_h = line_h + pad * 0.5f;  // close under the last line, as a console's prompt is
    ImVec2 avail = ImGui::GetContentRegionAvail();
    float screen_h = std::max(line_h * 2.0f, avail.y - input_h);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, theme::to_vec4(kConsoleBg));
    ImGui::PushStyleColor(ImGuiCol_Text, theme::to_vec4(kConsoleText));
    ImGui::PushStyleColor(ImGuiCol_ScrollbarBg, theme::to_vec4(kConsoleBg));
    ImGui::PushStyleColor(ImGuiCol_ScrollbarGrab, theme::to_vec4(theme::rgb(90, 90, 90)));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(pad, pad));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, 0.0f);
    ImGui::PushFont(vm.fonts.mono);
    ImGui::BeginChild("##terminal-screen", ImVec2(avail.x, screen_h), false, ImGuiWindowFlags_AlwaysUseWindowPadding);
    screen_min = ImGui::GetWindowPos();
    screen_max = ImVec2(screen_min.x + ImGui::GetWindowSize().x, screen_min.y + ImGui::GetWindowSize().y);
    float width = ImGui::GetContentRegionAvail().x;
    ImGuiListClipper clipper;
    clipper.Begin(int(shown_lines.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            bool is_local = size_t(i) >= from_screen;
            if (is_local) ImGui::PushStyleColor(ImGuiCol_Text, theme::to_vec4(kConsoleLocal));
            const std::string& line = shown_lines[size_t(i)];
            if (line.empty()) ImGui::TextUnformatted("");
            else TextEllipsis(line, width);  // a long line is cut with "…", whole in a tooltip
            if (is_local) ImGui::PopStyleColor();
        }
    }
    if (shown_lines.size() != last_line_count || vm.step != last_step_drawn) ImGui::SetScrollHereY(1.0f);
    last_line_count = shown_lines.size();
    last_step_drawn = vm.step;
    ImGui::EndChild();

    // --- The input row: the prompt (or none while a command runs), then the line --------------
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y);  // one console, no gap
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(pad, pad * 0.25f));
    ImGui::BeginChild("##terminal-input", ImVec2(avail.x, input_h), false,
                      ImGuiWindowFlags_AlwaysUseWindowPadding | ImGuiWindowFlags_NoScrollbar);
    ImGui::PopStyleVar();
    if (screen.prompt) {
        TextEllipsis(*screen.prompt, width * 0.6f);
        ImGui::SameLine(0.0f, 0.0f);
    }
    ImGui::PushStyleColor(ImGuiCol_FrameBg, theme::to_vec4(kConsoleBg));
    ImGui::PushStyleColor(ImGuiCol_TextDisabled, theme::to_vec4(kConsoleHint));
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(0.0f, 0.0f));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 0.0f);
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (focus_input) {
        ImGui::SetKeyboardFocusHere();
        focus_input = false;
    }
    ImGuiInputTextFlags flags = ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CallbackHistory;
    const char* hint = vm.rerunning ? t.terminal_rerunning : screen.prompt ? "" : t.terminal_running;
    bool entered = ImGui::InputTextWithHint("##terminal-line", hint, input.data(), input.size(), flags,
                                            history_callback, this);
    input_min = ImGui::GetItemRectMin();
    input_max = ImGui::GetItemRectMax();
    bool has_keyboard = ImGui::IsItemActive() || ImGui::IsItemFocused();
    if (ImGui::IsItemHovered() && !vm.screenshot_mode) ImGui::SetTooltip("%s", t.terminal_help);
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor(2);
    ImGui::EndChild();
    ImGui::PopFont();
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor(4);

    sim::TypedLine typed;
    typed.host = trace.hosts[h].name;
    typed.at = vm.view.time_at(vm.step);
    const ImGuiIO& io = ImGui::GetIO();
    if (vm.rerunning) {
        if (entered) focus_input = true;  // kept in the field until the run is done
    } else if (entered) {
        typed.line = input.data();
        input[0] = '\0';
        submit(vm, typed, out);
        focus_input = !confirm_open;  // Enter leaves the field: take it back, as a console does
    } else if (has_keyboard && io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_C, false)) {
        typed.key = sim::step::Type::Key::CtrlC;
        submit(vm, typed, out);
    } else if (has_keyboard && io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_D, false)) {
        typed.key = sim::step::Type::Key::CtrlD;
        submit(vm, typed, out);
    }
    if (!out.empty() && std::holds_alternative<cmd::Type>(out.back())) host = typed.host;  // it stays this host's
    draw_popups(vm, out);
}

}  // namespace netstep::viz
