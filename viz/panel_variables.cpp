// The connection's variables as RFC 9293 §3.3.1 names them, for both ends side by side, and
// its timers with live countdowns (TIME-WAIT runs down while the class watches).
#include <imgui.h>

#include <cstdio>
#include <optional>
#include <string>

#include "viz/panels.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

namespace {

std::string seconds(Duration d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f s", d.to_seconds());
    return buf;
}

std::string seq(SeqNum v, SeqNum base, bool relative) {
    if (!relative) return std::to_string(v.value);
    return std::to_string(uint32_t(v - base));
}

std::string timer(const std::optional<Instant>& at, Instant now, const Strings& t) {
    if (!at) return std::string("— ") + t.not_armed;
    return std::string(t.fires_in) + " " + seconds(*at - now);
}

using Row = std::string (*)(const TcpVars&, Instant, const Strings&, bool);

struct Variable { const char* name; Row value; };

const Variable kVariables[] = {
    {"ISS", [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.iss.value); }},
    {"IRS", [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.irs.value); }},
    {"SND.UNA", [](const TcpVars& v, Instant, const Strings&, bool r) { return seq(v.snd_una, v.iss, r); }},
    {"SND.NXT", [](const TcpVars& v, Instant, const Strings&, bool r) { return seq(v.snd_nxt, v.iss, r); }},
    {"SND.WND", [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.snd_wnd); }},
    {"RCV.NXT", [](const TcpVars& v, Instant, const Strings&, bool r) { return seq(v.rcv_nxt, v.irs, r); }},
    {"RCV.WND", [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.rcv_wnd); }},
    {"MSS", [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.mss); }},
    {"RTO", [](const TcpVars& v, Instant, const Strings&, bool) { return seconds(v.rto); }},
    {"SRTT", [](const TcpVars& v, Instant, const Strings&, bool) { return v.srtt ? seconds(*v.srtt) : std::string("—"); }},
    {"send queue", [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.send_queued) + " B"; }},
    {"recv queue", [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.recv_queued) + " B"; }},
    {"retransmits", [](const TcpVars& v, Instant, const Strings&, bool) { return std::to_string(v.retransmits); }},
    {"◷ retransmission", [](const TcpVars& v, Instant now, const Strings& t, bool) { return timer(v.retransmit_at, now, t); }},
    {"◷ delayed ACK", [](const TcpVars& v, Instant now, const Strings& t, bool) { return timer(v.delayed_ack_at, now, t); }},
    {"◷ TIME-WAIT", [](const TcpVars& v, Instant now, const Strings& t, bool) { return timer(v.time_wait_until, now, t); }},
    {"◷ persist", [](const TcpVars& v, Instant now, const Strings& t, bool) { return timer(v.persist_at, now, t); }},
};

}  // namespace

void VariablesPanel::draw(const ViewModel& vm, Commands&) {
    uint32_t ends[2] = {vm.connection.a, vm.connection.b};
    if (ends[0] == kNone) {
        ImGui::TextDisabled("%s", vm.text.no_connection);
        return;
    }
    const std::optional<SocketInfo> rows[2] = {vm.view.row_at(ends[0], vm.step),
                                               ends[1] != kNone ? vm.view.row_at(ends[1], vm.step) : std::nullopt};
    ImGui::Checkbox("rel. seq", &relative);
    ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
    int columns = ends[1] != kNone ? 3 : 2;
    if (!ImGui::BeginTable("vars", columns, flags)) return;
    ImGui::TableSetupColumn(vm.text.variable, ImGuiTableColumnFlags_WidthStretch, 0.9f);
    for (int i = 0; i < columns - 1; ++i) ImGui::TableSetupColumn(vm.view.socket_name(ends[i], vm.step).c_str(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    ImGui::TableSetColumnIndex(0);
    ImGui::TableHeader(vm.text.variable);
    for (int i = 0; i < columns - 1; ++i) {
        ImGui::TableSetColumnIndex(i + 1);
        ImGui::PushStyleColor(ImGuiCol_Text, theme::to_vec4(i == 0 ? theme::kEndA : theme::kEndB));
        ImGui::TableHeader(vm.view.socket_name(ends[i], vm.step).c_str());
        ImGui::PopStyleColor();
    }
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(vm.text.state);
    for (int i = 0; i < columns - 1; ++i) {
        ImGui::TableSetColumnIndex(i + 1);
        std::string s = rows[i] && rows[i]->state ? std::string(to_string(*rows[i]->state)) : "—";
        ImGui::PushFont(vm.fonts.bold);
        ImGui::TextColored(theme::to_vec4(i == 0 ? theme::kEndA : theme::kEndB), "%s", s.c_str());
        ImGui::PopFont();
    }
    for (const Variable& var : kVariables) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(var.name);
        for (int i = 0; i < columns - 1; ++i) {
            ImGui::TableSetColumnIndex(i + 1);
            if (rows[i] && rows[i]->vars) ImGui::TextUnformatted(var.value(*rows[i]->vars, vm.now, vm.text, relative).c_str());
            else ImGui::TextDisabled("—");
        }
    }
    ImGui::EndTable();
}

}  // namespace netstep::viz
