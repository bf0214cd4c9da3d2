// The event log: one line per event with its step and time; filters by kind and text; the
// current step's row lit and kept in view; a click goes to that step.
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "viz/panels.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

namespace {

using sim::EventKind;

bool contains_ignoring_case(const std::string& text, const char* needle) {
    std::string n(needle);
    if (n.empty()) return true;
    auto it = std::search(text.begin(), text.end(), n.begin(), n.end(),
                          [](char a, char b) { return std::tolower(uint8_t(a)) == std::tolower(uint8_t(b)); });
    return it != text.end();
}

ImU32 event_color(const ViewModel& vm, const sim::TraceEvent& e) {
    if (sim::TraceIndex::is_error(e)) return theme::kDrop;
    switch (e.kind) {
        case EventKind::PacketSent:
        case EventKind::PacketDelivered:
            return e.packet < vm.view.trace().packets.size() ? theme::packet_color(vm.view.packet(e.packet).kind) : theme::kInk;
        case EventKind::StateChange: return theme::kEndA;
        case EventKind::Timer:
        case EventKind::Retransmit: return theme::rgb(150, 90, 0);
        case EventKind::Caption:
        case EventKind::Ask: return theme::rgb(120, 90, 0);
        default: return theme::kInk;
    }
}

}  // namespace

bool LogPanel::passes(const ViewModel& vm, uint32_t step) const {
    const sim::TraceEvent& e = vm.view.trace().events[step];
    if (only_errors && !sim::TraceIndex::is_error(e)) return false;
    bool kind_ok = false;
    switch (e.kind) {
        case EventKind::PacketSent:
        case EventKind::PacketDelivered:
        case EventKind::PacketDropped: kind_ok = packets; break;
        case EventKind::StateChange: kind_ok = states; break;
        case EventKind::Timer:
        case EventKind::Retransmit: kind_ok = timers; break;
        case EventKind::Call:
        case EventKind::Output:
        case EventKind::Prompt:
        case EventKind::Input:
        case EventKind::ProgramStart:
        case EventKind::ProgramEnd: kind_ok = calls; break;
        case EventKind::Caption:
        case EventKind::Ask:
        case EventKind::RunStart:
        case EventKind::RunEnd: kind_ok = captions; break;
        default: kind_ok = other; break;
    }
    return kind_ok && (search[0] == '\0' || contains_ignoring_case(vm.view.describe(step), search.data()));
}

std::string LogPanel::filter_key(const ViewModel& vm) const {
    std::string key = std::to_string(vm.generation) + ":";
    for (bool b : {packets, states, timers, calls, captions, other, only_errors}) key += b ? '1' : '0';
    return key + search.data();
}

void LogPanel::draw(const ViewModel& vm, Commands& out) {
    const Strings& t = vm.text;
    ImGui::Checkbox(t.packets, &packets);
    ImGui::SameLine();
    ImGui::Checkbox(t.state_changes, &states);
    ImGui::SameLine();
    ImGui::Checkbox(t.timers_filter, &timers);
    ImGui::SameLine();
    ImGui::Checkbox(t.calls, &calls);
    ImGui::SameLine();
    ImGui::Checkbox(t.captions, &captions);
    ImGui::SameLine();
    ImGui::Checkbox(t.errors, &only_errors);
    ImGui::SetNextItemWidth(-1);
    std::string hint = std::string(t.filter) + "…";
    ImGui::InputTextWithHint("##search", hint.c_str(), search.data(), search.size());

    std::string key = filter_key(vm);
    if (key != rows_key) {
        rows.clear();
        for (uint32_t s = 0; s < vm.view.step_count(); ++s)
            if (passes(vm, s)) rows.push_back(s);
        rows_key = key;
        last_scrolled_step = kNone;
    }
    // The row in force: the last one at or before the current step.
    auto it = std::upper_bound(rows.begin(), rows.end(), vm.step);
    int current = int(it - rows.begin()) - 1;

    ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("log", 3, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 3.0f);
    ImGui::TableSetupColumn("t (s)", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 5.0f);
    ImGui::TableSetupColumn(t.log, ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    float row_h = ImGui::GetTextLineHeightWithSpacing();
    if (last_scrolled_step != vm.step && current >= 0) {
        ImGui::SetScrollY(std::max(0.0f, float(current) * row_h - ImGui::GetWindowHeight() * 0.5f));
        if (!vm.player.playing()) last_scrolled_step = vm.step;
    }
    ImGuiListClipper clipper;
    clipper.Begin(int(rows.size()), row_h);
    while (clipper.Step()) {
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            uint32_t step = rows[size_t(r)];
            const sim::TraceEvent& e = vm.view.trace().events[step];
            ImGui::TableNextRow();
            if (r == current) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, theme::rgb(255, 225, 120));
            ImGui::TableSetColumnIndex(0);
            ImGui::PushID(r);
            std::string label = std::to_string(step);
            if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) out.push_back(cmd::GoTo{step});
            ImGui::PopID();
            ImGui::TableSetColumnIndex(1);
            ImGui::TextUnformatted(to_string(e.time).c_str());
            ImGui::TableSetColumnIndex(2);
            ImGui::PushStyleColor(ImGuiCol_Text, theme::to_vec4(step > vm.step ? theme::kMuted : event_color(vm, e)));
            TextEllipsis(vm.view.describe(step));
            ImGui::PopStyleColor();
        }
    }
    ImGui::EndTable();
}

}  // namespace netstep::viz
