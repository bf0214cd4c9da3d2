// The controls bar: step buttons, jumps, speed, breakpoints, the timeline; keyboard shortcuts.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/install.hpp"
#include "viz/panels.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

namespace {

ImVec2 center_of_last_item() {
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    return ImVec2((a.x + b.x) * 0.5f, (a.y + b.y) * 0.5f);
}

bool button_with_tip(const char* label, const char* tip) {
    bool pressed = ImGui::Button(label);
    if (ImGui::IsItemHovered() && tip) ImGui::SetTooltip("%s", tip);
    return pressed;
}

std::string speed_label(const Speed& s, const Strings& t) {
    char buf[64];
    if (s.kind == Speed::Kind::StepsPerSecond) std::snprintf(buf, sizeof buf, "%g %s", s.value, t.steps_per_second);
    else if (s.value == 1.0) std::snprintf(buf, sizeof buf, "1× (%s)", t.real_time);
    else if (s.value < 1.0) std::snprintf(buf, sizeof buf, "%g× (%s)", s.value, t.slow_motion);
    else std::snprintf(buf, sizeof buf, "%g×", s.value);
    return buf;
}

}  // namespace

void ControlsPanel::draw(const ViewModel& vm, Commands& out) {
    if (!vm.presenter) {  // presenter mode is keyboard only: the timeline and the step remain
        draw_buttons(vm, out);
        ImGui::SameLine(0, 24);
        draw_speed(vm, out);
        ImGui::SameLine();
        draw_breakpoints(vm, out);
        ImGui::SameLine(0, 24);
    }
    ImGui::PushFont(vm.fonts.bold);
    ImGui::Text("%s %u / %u", vm.text.step, vm.step, vm.view.last_step());
    ImGui::PopFont();
    ImGui::SameLine();
    shown_time = vm.view.format_time(vm.now);  // the one format of every time on screen
    ImGui::TextColored(theme::to_vec4(theme::kMuted), "t = %s", shown_time.c_str());
    keys_help_shown = false;
    if (!vm.presenter) {  // the keyboard shortcuts, as Dear ImGui's demo does: "(?)" and a tooltip
        ImGui::SameLine();
        ImGui::TextDisabled("(?)");
        keys_help_center = center_of_last_item();
        if (ImGui::IsItemHovered()) {
            keys_help_shown = true;
            ImGui::SetTooltip("%s\nnetstep %s", vm.text.keys_help, sim::version());  // the keys, then the version
        }
    }
    if (vm.presenter) {
        ImGui::SameLine(0, 24);
        ImGui::TextColored(theme::to_vec4(theme::kMuted), "%s %s", vm.text.speed, speed_label(vm.player.speed(), vm.text).c_str());
    }
    if (vm.focused) {
        ImGui::SameLine(0, 24);
        draw_panel_keys(vm);
    }
    draw_timeline(vm, out);
}

// Presenter mode on a small screen: the panels the keys 1-6 bring up, the big one lit; as large
// as the rest of the row allows.
void ControlsPanel::draw_panel_keys(const ViewModel& vm) const {
    const char* names[kBigPanelCount] = {vm.text.big_topology, vm.text.big_sequence, vm.text.big_states,
                                         vm.text.big_variables, vm.text.big_details, vm.text.big_terminal};
    ImFont* font = vm.fonts.bold;
    float fs = ImGui::GetFontSize(), pad = fs * 0.35f, gap = fs * 0.3f;
    std::string texts[kBigPanelCount];
    float total = 0;
    for (int i = 0; i < kBigPanelCount; ++i) {
        texts[i] = std::to_string(i + 1) + " " + names[i];
        total += font->CalcTextSizeA(fs, FLT_MAX, 0, texts[i].c_str()).x + 2 * pad + gap;
    }
    float avail = ImGui::GetContentRegionAvail().x;
    // Down to half the font size: a trace of thousands of steps and the longest names (Italian's
    // key 5, "Host, pacchetto, registro, tabella MAC") still show key 6 whole at 1280x800.
    float size = fs * std::clamp(avail / std::max(1.0f, total), 0.5f, 1.0f);
    pad *= size / fs;
    gap *= size / fs;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 at = ImGui::GetCursorScreenPos();
    at.y += (ImGui::GetTextLineHeight() - size) * 0.5f;
    float x = at.x;
    for (int i = 0; i < kBigPanelCount; ++i) {
        bool big = int(vm.big_panel) == i;
        float w = font->CalcTextSizeA(size, FLT_MAX, 0, texts[i].c_str()).x;
        dl->AddRectFilled(ImVec2(x, at.y - 2), ImVec2(x + w + 2 * pad, at.y + size + 2), big ? theme::kNetwork : theme::kHostFill, 5.0f);
        dl->AddText(font, size, ImVec2(x + pad, at.y), big ? theme::kPaper : theme::kInk, texts[i].c_str());
        x += w + 2 * pad + gap;
    }
    ImGui::Dummy(ImVec2(x - at.x, ImGui::GetTextLineHeight()));
}

void ControlsPanel::draw_buttons(const ViewModel& vm, Commands& out) {
    const Strings& t = vm.text;
    if (button_with_tip("⇤", t.first_step)) out.push_back(cmd::GoTo{0});
    ImGui::SameLine();
    if (button_with_tip(" ← ", t.step_back)) out.push_back(cmd::StepBy{-1});
    step_back_center = center_of_last_item();
    ImGui::SameLine();
    std::string play = vm.player.playing() ? std::string("❚❚ ") + t.pause : std::string("▶ ") + t.play;
    play += "###play";
    ImGui::PushStyleColor(ImGuiCol_Button, theme::to_vec4(theme::rgb(190, 230, 195)));
    if (button_with_tip(play.c_str(), "Space")) out.push_back(cmd::TogglePlay{});
    ImGui::PopStyleColor();
    play_center = center_of_last_item();
    ImGui::SameLine();
    if (button_with_tip(" → ", t.step_forward)) out.push_back(cmd::StepBy{1});
    step_forward_center = center_of_last_item();
    ImGui::SameLine();
    if (button_with_tip("⇥", t.last_step)) out.push_back(cmd::GoTo{vm.view.last_step()});
    ImGui::SameLine(0, 24);
    std::string pp = std::string("◁ ") + t.inspector + "###pp", np = std::string(t.inspector) + " ▷###np";
    std::string ps = std::string("◁ ") + t.state + "###ps", ns = std::string(t.state) + " ▷###ns";
    if (button_with_tip(pp.c_str(), t.prev_packet)) out.push_back(cmd::JumpPacket{-1});
    ImGui::SameLine();
    if (button_with_tip(np.c_str(), t.next_packet)) out.push_back(cmd::JumpPacket{1});
    ImGui::SameLine();
    if (button_with_tip(ps.c_str(), t.prev_state)) out.push_back(cmd::JumpState{-1});
    ImGui::SameLine();
    if (button_with_tip(ns.c_str(), t.next_state)) out.push_back(cmd::JumpState{1});
}

void ControlsPanel::draw_speed(const ViewModel& vm, Commands& out) const {
    // The combo names its unit ("2 steps/s", "1× (real time)"); "Speed" is its tooltip, so that
    // the row keeps room for the step, the time and "(?)" in every language at 1280 px.
    // As wide as the widest choice and the arrow: the row also holds the step, the time and "(?)".
    float widest = 0;
    for (const Speed& sp : kSpeeds) widest = std::max(widest, ImGui::CalcTextSize(speed_label(sp, vm.text).c_str()).x);
    ImGui::SetNextItemWidth(widest + ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 2);
    std::string current = speed_label(vm.player.speed(), vm.text);
    if (ImGui::BeginCombo("##speed", current.c_str())) {
        for (size_t i = 0; i < kSpeeds.size(); ++i) {
            bool selected = int(i) == vm.player.speed_index;
            if (ImGui::Selectable(speed_label(kSpeeds[i], vm.text).c_str(), selected)) out.push_back(cmd::SetSpeed{int(i)});
        }
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered() && !vm.screenshot_mode) ImGui::SetTooltip("%s", vm.text.speed);
}

void ControlsPanel::draw_breakpoints(const ViewModel& vm, Commands& out) const {
    Breakpoints bp = vm.player.breakpoints;
    std::string label = std::string(bp.any() ? "● " : "○ ") + vm.text.breakpoints + "###bp";
    if (ImGui::Button(label.c_str())) ImGui::OpenPopup("breakpoints");
    if (!ImGui::BeginPopup("breakpoints")) return;
    bool changed = false;
    ImGui::TextUnformatted(vm.text.stop_on_state);
    for (int s = 0; s < kTcpStateCount; ++s) {
        if (s % 3 != 0) ImGui::SameLine(ImGui::GetFontSize() * 9.0f * float(s % 3) + 8.0f);
        changed |= ImGui::Checkbox(std::string(to_string(TcpState(s))).c_str(), &bp.states[size_t(s)]);
    }
    ImGui::Separator();
    changed |= ImGui::Checkbox("SYN", &bp.syn);
    ImGui::SameLine();
    changed |= ImGui::Checkbox("FIN", &bp.fin);
    ImGui::SameLine();
    changed |= ImGui::Checkbox("RST", &bp.rst);
    changed |= ImGui::Checkbox(vm.text.stop_on_errors, &bp.errors);
    if (changed) out.push_back(cmd::SetBreakpoints{bp});
    ImGui::EndPopup();
}

// The whole run as a bar: a tick per packet (its color), a mark per state change, the current step.
void ControlsPanel::draw_timeline(const ViewModel& vm, Commands& out) const {
    const sim::Trace& trace = vm.view.trace();
    ImVec2 origin = ImGui::GetCursorScreenPos();
    float width = ImGui::GetContentRegionAvail().x, height = ImGui::GetFontSize() * (vm.presenter ? 1.3f : 1.7f);
    ImGui::InvisibleButton("timeline", ImVec2(width, height));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float last = float(std::max<uint32_t>(1, vm.view.last_step()));
    auto x_of = [&](uint32_t step) { return origin.x + 6.0f + (width - 12.0f) * float(step) / last; };
    dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), theme::rgb(236, 238, 243), 6.0f);
    // One tick per pixel column at most (a long run has many packets per pixel): drops win, then
    // the first packet's color; state changes as one dark run per stretch of columns.
    int columns = std::max(1, int(width));
    std::vector<ImU32> tick(size_t(columns), 0);
    for (uint32_t i = 0; i < trace.packets.size(); ++i) {
        int col = std::clamp(int(x_of(trace.packets[i].sent_step) - origin.x), 0, columns - 1);
        ImU32& c = tick[size_t(col)];
        if (trace.packets[i].dropped) c = theme::kDrop;
        else if (c == 0) c = theme::packet_color(vm.view.packet(i).kind);
    }
    for (int col = 0; col < columns; ++col) {
        if (tick[size_t(col)] == 0) continue;
        float x = origin.x + float(col) + 0.5f;
        dl->AddRectFilled(ImVec2(x - 1, origin.y + 4), ImVec2(x + 1, origin.y + height * 0.62f), tick[size_t(col)]);
    }
    std::vector<bool> mark(size_t(columns), false);
    for (const sim::TraceEvent& e : trace.events) {
        if (e.kind != sim::EventKind::StateChange) continue;
        int col = std::clamp(int(x_of(uint32_t(&e - trace.events.data())) - origin.x), 0, columns - 1);
        for (int d = -2; d < 2; ++d) mark[size_t(std::clamp(col + d, 0, columns - 1))] = true;
    }
    for (int col = 0; col < columns;) {  // runs of marked columns, one rectangle each
        if (!mark[size_t(col)]) { ++col; continue; }
        int end = col;
        while (end < columns && mark[size_t(end)]) ++end;
        dl->AddRectFilled(ImVec2(origin.x + float(col), origin.y + height * 0.7f), ImVec2(origin.x + float(end), origin.y + height - 3), theme::kInk);
        col = end;
    }
    float now = x_of(vm.step);
    dl->AddRectFilled(ImVec2(now - 2.5f, origin.y - 2), ImVec2(now + 2.5f, origin.y + height + 2), theme::kDrop);
    if (ImGui::IsItemActive() && width > 12.0f) {
        float f = std::clamp((ImGui::GetIO().MousePos.x - origin.x - 6.0f) / (width - 12.0f), 0.0f, 1.0f);
        uint32_t target = uint32_t(f * last + 0.5f);
        if (target != vm.step) out.push_back(cmd::GoTo{target});
    }
    if (ImGui::IsItemHovered() && !vm.screenshot_mode && width > 12.0f) {
        float f = std::clamp((ImGui::GetIO().MousePos.x - origin.x - 6.0f) / (width - 12.0f), 0.0f, 1.0f);
        uint32_t at = uint32_t(f * last + 0.5f);
        TextTooltip(std::string(vm.text.step) + " " + std::to_string(at) + ": " + vm.view.describe(at));
    }
}

// Shortcuts work whatever panel has the mouse, except while typing in a text field.
void ControlsPanel::handle_keys(const ViewModel& vm, Commands& out) const {
    const ImGuiIO& io = ImGui::GetIO();
    if (!keyboard || io.WantTextInput) return;
    auto pressed = [](ImGuiKey key, bool repeat = true) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key), repeat); };
    int big = io.KeyShift ? 10 : 1;
    if (pressed(ImGuiKey_Space, false)) out.push_back(cmd::TogglePlay{});
    if (pressed(ImGuiKey_RightArrow)) out.push_back(cmd::StepBy{big});
    if (pressed(ImGuiKey_LeftArrow)) out.push_back(cmd::StepBy{-big});
    if (pressed(ImGuiKey_PageDown)) out.push_back(cmd::JumpPacket{1});
    if (pressed(ImGuiKey_PageUp)) out.push_back(cmd::JumpPacket{-1});
    if (pressed(ImGuiKey_DownArrow)) out.push_back(cmd::JumpState{1});
    if (pressed(ImGuiKey_UpArrow)) out.push_back(cmd::JumpState{-1});
    if (pressed(ImGuiKey_Home, false)) out.push_back(cmd::GoTo{0});
    if (pressed(ImGuiKey_End, false)) out.push_back(cmd::GoTo{vm.view.last_step()});
    if (ImGui::IsKeyPressed(GLFW_KEY_F2, false)) out.push_back(cmd::TogglePresenter{});
    if (vm.focused) {  // presenter mode on a small screen: 1-6 bring up a panel, Tab the next one
        for (int i = 0; i < kBigPanelCount; ++i) {
            if (ImGui::IsKeyPressed(GLFW_KEY_1 + i, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_1 + i, false))
                out.push_back(cmd::ShowPanel{BigPanel(i)});
        }
        if (pressed(ImGuiKey_Tab, false)) {
            int step = io.KeyShift ? kBigPanelCount - 1 : 1;
            out.push_back(cmd::ShowPanel{BigPanel((int(vm.big_panel) + step) % kBigPanelCount)});
        }
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_F5, false)) out.push_back(cmd::Reload{});
    if (ImGui::IsKeyPressed(GLFW_KEY_F12, false)) out.push_back(cmd::Screenshot{});
}

}  // namespace netstep::viz
