// Per host: what `ipconfig /all` shows (adapter, MAC address, IPv4 address, subnet mask, default
// gateway) and what `netstat` shows at the current step (proto, local, foreign, state), the
// selected connection lit.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "sim/engine_text.hpp"
#include "sim/netstat.hpp"
#include "viz/panels.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

namespace {

void draw_ipconfig(const ViewModel& vm, const sim::TraceHost& host, std::vector<std::string>& macs) {
    const Strings& t = vm.text;
    for (const InterfaceConfig& itf : host.interfaces) {
        ImGui::PushFont(vm.fonts.bold);
        TextEllipsis(itf.adapter.empty() ? itf.network : itf.adapter);
        ImGui::PopFont();
        float value_x = 0;  // the values line up after the longest name (French names are long)
        for (const char* name : {t.physical_address, t.ipv4_address, t.subnet_mask, t.default_gateway})
            value_x = std::max(value_x, ImGui::CalcTextSize(name).x);
        value_x += ImGui::GetStyle().IndentSpacing + ImGui::GetFontSize() * 0.6f;
        auto line = [&](const char* name, const std::string& value) {
            ImGui::Indent();
            ImGui::TextUnformatted(name);
            ImGui::SameLine(value_x);
            ImGui::TextUnformatted((": " + value).c_str());
            ImGui::Unindent();
        };
        // The MAC address as the profile's tools write it: 02-4E-1A-.. (Windows), 02:4e:1a:.. (Linux).
        if (itf.mac) {
            bool linux_style = sim::tool_style(vm.view.trace().profile) == sim::ToolStyle::Linux;
            macs.push_back(linux_style ? itf.mac->to_string() : itf.mac->to_windows_string());
            line(t.physical_address, macs.back());
        }
        line(t.ipv4_address, itf.address.address.to_string());
        line(t.subnet_mask, itf.address.mask().to_string());
        line(t.default_gateway, itf.gateway ? itf.gateway->to_string() : "");
    }
}

// The table the profile's tool prints (sim/netstat.hpp: the same rows as the trace's `netstat`
// step), from the step's snapshot; the selected connection lit.
void draw_netstat(const ViewModel& vm, uint32_t host, std::vector<HostsPanel::Row>& drawn) {
    const Strings& t = vm.text;
    const std::vector<sim::SocketAt>& sockets = vm.snap.sockets_of(host);
    std::vector<SocketInfo> infos;
    infos.reserve(sockets.size());
    for (const sim::SocketAt& s : sockets) infos.push_back(s.row);
    sim::NetstatTable table = sim::netstat_table(infos, sim::netstat_style(vm.view.trace().profile));
    if (table.rows.empty()) {
        ImGui::TextDisabled("(%s)", t.no_sockets);
        return;
    }
    // The tool's own look: monospace, columns as wide as their text; a horizontal scrollbar when
    // the panel is narrower than full addresses (never an address cut in the middle).
    ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingFixedFit |
                            ImGuiTableFlags_ScrollX | ImGuiTableFlags_NoHostExtendX;
    ImGui::PushFont(vm.fonts.mono);
    float row_h = ImGui::GetTextLineHeightWithSpacing();
    ImGui::PopFont();
    float height = ImGui::GetFrameHeight() + row_h * float(table.rows.size()) + ImGui::GetStyle().ScrollbarSize + 4.0f;
    int columns = int(table.header.size());
    if (!ImGui::BeginTable("netstat", columns, flags, ImVec2(ImGui::GetContentRegionAvail().x, height))) return;
    for (const std::string& name : table.header) ImGui::TableSetupColumn(name.c_str());
    ImGui::TableHeadersRow();
    ImGui::PushFont(vm.fonts.mono);
    int state_column = table.style == sim::NetstatStyle::Linux ? 1 : 3;
    for (const sim::NetstatTable::Row& row : table.rows) {
        // The snapshot lists a host's sockets by id: a binary search (thousands of sockets).
        auto it = std::lower_bound(sockets.begin(), sockets.end(), row.id, [](const sim::SocketAt& s, SocketId id) { return s.row.id < id; });
        if (it != sockets.end() && it->row.id != row.id) it = sockets.end();
        uint32_t history = it != sockets.end() ? it->history : kNone;
        bool user_closed = it != sockets.end() && it->row.user_closed;
        ImU32 color = theme::kInk;
        if (history != kNone && history == vm.connection.a) color = theme::kEndA;
        if (history != kNone && history == vm.connection.b) color = theme::kEndB;
        ImGui::TableNextRow();
        if (color != theme::kInk) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, (color & 0x00FFFFFF) | 0x30000000);
        for (int c = 0; c < columns; ++c) {
            ImGui::TableSetColumnIndex(c);
            const std::string& cell = row.cells[size_t(c)];
            // A socket the program has closed: the OS finishes the connection alone (muted).
            ImU32 ink = c == state_column ? (user_closed ? theme::kMuted : color) : theme::kInk;
            ImGui::PushStyleColor(ImGuiCol_Text, theme::to_vec4(ink));
            TextClamped(cell);
            ImGui::PopStyleColor();
            if (!ImGui::IsItemHovered() || vm.screenshot_mode) continue;
            if (c == state_column && user_closed) ImGui::SetTooltip("%s", t.closed_help);
            else if (it != sockets.end() && it->row.remote && cell == it->row.remote->to_string())
                TextTooltip(vm.view.index().endpoint_name(*it->row.remote));
        }
        drawn.push_back({host, history, row.cells[size_t(state_column)]});
    }
    ImGui::PopFont();
    ImGui::EndTable();
}

}  // namespace

void HostsPanel::draw(const ViewModel& vm, Commands&) {
    const sim::Trace& t = vm.view.trace();
    rows.clear();
    macs.clear();
    ImGui::BeginChild("hosts_scroll");
    auto connection_host = [&](uint32_t h) {
        return (vm.connection.a != kNone && t.sockets[vm.connection.a].host == h) ||
               (vm.connection.b != kNone && t.sockets[vm.connection.b].host == h);
    };
    for (uint32_t h = 0; h < t.hosts.size(); ++h) {
        bool involved = connection_host(h);
        if (only_connection_hosts && !involved) continue;
        ImGui::PushID(int(h));
        // The hosts of the connection on screen are always open: their netstat is part of the step.
        if (involved) ImGui::SetNextItemOpen(true, ImGuiCond_Always);
        else ImGui::SetNextItemOpen(t.hosts.size() <= 4, ImGuiCond_Appearing);
        // The name cut to the panel (the whole in a tooltip), the ID fixed whatever the name holds.
        std::string router = t.hosts[h].forwarding ? std::string("  (") + vm.text.router + ")" : "";
        ImGui::PushFont(vm.fonts.bold);
        float room = ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 2.0f - ImGui::CalcTextSize(router.c_str()).x;
        std::string name = text_fit(ImGui::GetFont(), ImGui::GetFontSize(), t.hosts[h].name, room);
        bool open = ImGui::CollapsingHeader((name + router + "###host").c_str());
        ImGui::PopFont();
        if (name.size() != t.hosts[h].name.size() && ImGui::IsItemHovered() && !vm.screenshot_mode) TextTooltip(t.hosts[h].name);
        if (open) {
            draw_ipconfig(vm, t.hosts[h], macs);
            draw_netstat(vm, h, rows);
            ImGui::Spacing();
        }
        ImGui::PopID();
    }
    ImGui::EndChild();
}

}  // namespace netstep::viz
