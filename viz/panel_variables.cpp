// The connection's variables as RFC 9293 §3.3.1 names them, for both ends side by side, and
// its timers with live countdowns (TIME-WAIT runs down while the class watches).
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "viz/panels.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

namespace {

std::string seconds(Duration d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f s", d.to_seconds());
    return buf;
}

// A countdown: a deadline in force is never before the step's time, but the time drawn moves on
// between steps while playing; it stops at zero, where the timer's own step comes.
std::string countdown(Instant at, Instant now) { return seconds(std::max(Duration{}, at - now)); }

std::string seq(SeqNum v, SeqNum base, bool relative) {
    if (!relative) return std::to_string(v.value);
    return std::to_string(uint32_t(v - base));
}

// A timer's countdown ("59.998 s"), or a dash when it is not armed.
std::string timer(const std::optional<Instant>& at, Instant now, const Strings&) {
    if (!at) return "—";
    return countdown(*at, now);
}

using Row = std::string (*)(const TcpVars&, Instant, const Strings&, bool);

// A row: RFC names as they are (SND.UNA is what students meet in the RFC and Wireshark), the
// others from the string tables (`label`, with an optional ◷ for timers).
struct Variable {
    const char* name;                      // nullptr: the translated `label`
    const char* Strings::*label;
    bool timer;
    Row value;
};

const Variable kVariables[] = {
    // Sending: what is unacknowledged, next, the peer's window, and the congestion control
    // limiting it (slow start shows cwnd and ssthresh working together).
    {"SND.UNA", nullptr, false, [](const TcpVars& v, Instant, const Strings&, bool r) { return seq(v.snd_una, v.iss, r); }},
    {"SND.NXT", nullptr, false, [](const TcpVars& v, Instant, const Strings&, bool r) { return seq(v.snd_nxt, v.iss, r); }},
    {"SND.WND", nullptr, false, [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.snd_wnd); }},
    {"cwnd", nullptr, false, [](const TcpVars& v, Instant, const Strings&, bool) { return v.cwnd ? std::to_string(v.cwnd) : std::string("—"); }},
    {"ssthresh", nullptr, false, [](const TcpVars& v, Instant, const Strings&, bool) { return v.ssthresh ? std::to_string(v.ssthresh) : std::string("—"); }},
    // Receiving.
    {"RCV.NXT", nullptr, false, [](const TcpVars& v, Instant, const Strings&, bool r) { return seq(v.rcv_nxt, v.irs, r); }},
    {"RCV.WND", nullptr, false, [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.rcv_wnd); }},
    // The connection's constants.
    {"ISS", nullptr, false, [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.iss.value); }},
    {"IRS", nullptr, false, [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.irs.value); }},
    {"MSS", nullptr, false, [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.mss); }},
    // Retransmission, buffers.
    {"RTO", nullptr, false, [](const TcpVars& v, Instant, const Strings&, bool) { return seconds(v.rto); }},
    {"SRTT", nullptr, false, [](const TcpVars& v, Instant, const Strings&, bool) { return v.srtt ? seconds(*v.srtt) : std::string("—"); }},
    {nullptr, &Strings::send_queue, false, [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.send_queued) + " B"; }},
    {nullptr, &Strings::recv_queue, false, [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.recv_queued) + " B"; }},
    {nullptr, &Strings::retransmits, false, [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.retransmits); }},
    // Timers, with their countdowns.
    {"RTO", nullptr, true, [](const TcpVars& v, Instant now, const Strings& t, bool) { return timer(v.retransmit_at, now, t); }},
    {nullptr, &Strings::delayed_ack, true, [](const TcpVars& v, Instant now, const Strings& t, bool) { return timer(v.delayed_ack_at, now, t); }},
    {"TIME-WAIT", nullptr, true, [](const TcpVars& v, Instant now, const Strings& t, bool) { return timer(v.time_wait_until, now, t); }},
    {nullptr, &Strings::persist, true, [](const TcpVars& v, Instant now, const Strings& t, bool) { return timer(v.persist_at, now, t); }},
};

std::string row_name(const Variable& var, const Strings& t) {
    std::string name = var.name ? var.name : t.*var.label;
    return var.timer ? "◷ " + name : name;
}

// The name of a running timer, as the row of the table names it.
const char* timer_name(TimerKind kind, const Strings& t) {
    switch (kind) {
        case TimerKind::Retransmission: return "RTO";
        case TimerKind::DelayedAck: return t.delayed_ack;
        case TimerKind::TimeWait: return "TIME-WAIT";
        case TimerKind::Persist: return t.persist;
    }
    return "?";
}

}  // namespace

void VariablesPanel::draw(const ViewModel& vm, Commands&) {
    uint32_t ends[2] = {vm.connection.a, vm.connection.b};
    if (ends[0] == kNone) {
        ImGui::TextDisabled("%s", vm.text.no_connection);
        return;
    }
    const sim::SocketAt at[2] = {vm.snap.socket(ends[0]), ends[1] != kNone ? vm.snap.socket(ends[1]) : sim::SocketAt{}};
    auto vars = [&](int i) -> const TcpVars* {
        return at[i].phase == sim::SocketPhase::Live && at[i].row.vars ? &*at[i].row.vars : nullptr;
    };
    ImGui::Checkbox(vm.text.relative_seq, &relative);
    countdowns.clear();
    shown_states = {"—", "—"};
    // The running timers first, in each end's color: the TIME-WAIT countdown is what the class
    // watches. In presenter mode they come before the checkbox's line is filled, big.
    for (int i = 0; i < 2; ++i) {
        if (!vars(i)) continue;
        for (const sim::RunningTimer& timer : sim::running_timers(*vars(i))) {
            char text[64];
            std::snprintf(text, sizeof text, "◷ %s %s", timer_name(timer.kind, vm.text), countdown(timer.deadline, vm.now).c_str());
            ImGui::PushFont(vm.fonts.bold);
            float w = ImGui::CalcTextSize(text).x, gap = ImGui::GetFontSize();
            float right = ImGui::GetItemRectMax().x + gap + w;  // after the previous item, if it fits
            if (right < ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine(0, gap);
            ImGui::TextColored(theme::to_vec4(i == 0 ? theme::kEndA : theme::kEndB), "%s", text);
            ImGui::PopFont();
            countdowns.push_back(text);
        }
    }
    // An end whose connection is over says so, by name: nothing of it runs any more.
    for (int i = 0; i < 2; ++i) {
        if (at[i].phase != sim::SocketPhase::Gone) continue;
        ImGui::PushTextWrapPos(0.0f);
        ImGui::PushStyleColor(ImGuiCol_Text, theme::to_vec4(i == 0 ? theme::kEndA : theme::kEndB));
        TextEllipsis(vm.view.socket_name(ends[i], vm.step) + ":", ImGui::GetContentRegionAvail().x * 0.6f);
        ImGui::PopStyleColor();
        ImGui::SameLine();
        ImGui::TextColored(theme::to_vec4(theme::kMuted), "%s", vm.text.connection_gone);
        ImGui::PopTextWrapPos();
    }
    // Columns as wide as their text; the table scrolls (names and ends frozen) rather than clip.
    ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit |
                            ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY;
    int columns = ends[1] != kNone ? 3 : 2;
    if (!ImGui::BeginTable("vars", columns, flags)) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn(vm.text.variable);
    std::string names[2];
    for (int i = 0; i < columns - 1; ++i) {
        // The end's name cut to a column (the whole in a tooltip); the ID fixed whatever it holds.
        ImGui::PushFont(vm.fonts.bold);
        names[i] = text_fit(ImGui::GetFont(), ImGui::GetFontSize(), vm.view.socket_name(ends[i], vm.step), ImGui::GetFontSize() * 16.0f) +
                   "###end" + std::to_string(i);
        ImGui::PopFont();
        ImGui::TableSetupColumn(names[i].c_str());
    }
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    ImGui::TableSetColumnIndex(0);
    ImGui::TableHeader(vm.text.variable);
    for (int i = 0; i < columns - 1; ++i) {
        ImGui::TableSetColumnIndex(i + 1);
        ImGui::PushStyleColor(ImGuiCol_Text, theme::to_vec4(i == 0 ? theme::kEndA : theme::kEndB));
        ImGui::PushFont(vm.fonts.bold);
        ImGui::TableHeader(names[i].c_str());
        if (ImGui::IsItemHovered() && !vm.screenshot_mode) TextTooltip(vm.view.socket_name(ends[i], vm.step));
        ImGui::PopFont();
        ImGui::PopStyleColor();
    }
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(vm.text.state);
    for (int i = 0; i < columns - 1; ++i) {
        ImGui::TableSetColumnIndex(i + 1);
        std::optional<TcpState> state = at[i].state();
        std::string s = state ? std::string(to_string(*state)) : "—";
        shown_states[size_t(i)] = s;
        ImGui::TextColored(theme::to_vec4(i == 0 ? theme::kEndA : theme::kEndB), "%s", s.c_str());
    }
    for (const Variable& var : kVariables) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(row_name(var, vm.text).c_str());
        ImGui::PushFont(vm.fonts.mono);
        for (int i = 0; i < columns - 1; ++i) {
            ImGui::TableSetColumnIndex(i + 1);
            if (const TcpVars* v = vars(i)) ImGui::TextUnformatted(var.value(*v, vm.now, vm.text, relative).c_str());
            else ImGui::TextDisabled("—");
        }
        ImGui::PopFont();
    }
    ImGui::EndTable();
}

}  // namespace netstep::viz
