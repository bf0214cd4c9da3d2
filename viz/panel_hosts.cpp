// Per host: what `ipconfig` shows (adapter, IPv4 address, subnet mask, default gateway) and what
// `netstat` shows at the current step (proto, local, foreign, state), the selected connection lit.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "viz/panels.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

namespace {

void draw_ipconfig(const ViewModel& vm, const sim::TraceHost& host) {
    const Strings& t = vm.text;
    for (const InterfaceConfig& itf : host.interfaces) {
        ImGui::PushFont(vm.fonts.bold);
        ImGui::TextUnformatted((itf.adapter.empty() ? itf.network : itf.adapter).c_str());
        ImGui::PopFont();
        float value_x = 0;  // the values line up after the longest name (French names are long)
        for (const char* name : {t.ipv4_address, t.subnet_mask, t.default_gateway})
            value_x = std::max(value_x, ImGui::CalcTextSize(name).x);
        value_x += ImGui::GetStyle().IndentSpacing + ImGui::GetFontSize() * 0.6f;
        auto line = [&](const char* name, const std::string& value) {
            ImGui::Indent();
            ImGui::TextUnformatted(name);
            ImGui::SameLine(value_x);
            ImGui::TextUnformatted((": " + value).c_str());
            ImGui::Unindent();
        };
        line(t.ipv4_address, itf.address.address.to_string());
        line(t.subnet_mask, itf.address.mask().to_string());
        line(t.default_gateway, itf.gateway ? itf.gateway->to_string() : "");
    }
}

void draw_netstat(const ViewModel& vm, uint32_t host) {
    const Strings& t = vm.text;
    std::vector<SocketInfo> rows = vm.view.index().sockets_at(host, vm.step);
    if (rows.empty()) {
        ImGui::TextDisabled("(%s)", t.no_sockets);
        return;
    }
    // netstat's own look: monospace, columns as wide as their text; a horizontal scrollbar when
    // the panel is narrower than full addresses (never an address cut in the middle).
    ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingFixedFit |
                            ImGuiTableFlags_ScrollX | ImGuiTableFlags_NoHostExtendX;
    ImGui::PushFont(vm.fonts.mono);
    float row_h = ImGui::GetTextLineHeightWithSpacing();
    ImGui::PopFont();
    float height = ImGui::GetFrameHeight() + row_h * float(rows.size()) + ImGui::GetStyle().ScrollbarSize + 4.0f;
    if (!ImGui::BeginTable("netstat", 4, flags, ImVec2(ImGui::GetContentRegionAvail().x, height))) return;
    ImGui::TableSetupColumn(t.proto);
    ImGui::TableSetupColumn(t.local_address);
    ImGui::TableSetupColumn(t.foreign_address);
    ImGui::TableSetupColumn(t.state);
    ImGui::TableHeadersRow();
    ImGui::PushFont(vm.fonts.mono);
    for (const SocketInfo& row : rows) {
        auto history = vm.view.history_of(host, row.id);
        ImU32 color = theme::kInk;
        if (history && *history == vm.connection.a) color = theme::kEndA;
        if (history && *history == vm.connection.b) color = theme::kEndB;
        ImGui::TableNextRow();
        if (color != theme::kInk) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, (color & 0x00FFFFFF) | 0x30000000);
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(std::string(to_string(row.type)).c_str());
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(row.local.to_string().c_str());
        ImGui::TableSetColumnIndex(2);
        ImGui::TextUnformatted(row.remote ? row.remote->to_string().c_str() : (row.type == SocketType::Tcp ? "0.0.0.0:*" : "*:*"));
        if (row.remote && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", vm.view.index().endpoint_name(*row.remote).c_str());
        ImGui::TableSetColumnIndex(3);
        std::string state = row.state ? std::string(to_string(*row.state)) : "";
        ImGui::TextColored(theme::to_vec4(color), "%s", state.c_str());
        if (row.user_closed && !state.empty()) {  // the program has called close(): the OS finishes alone
            ImGui::SameLine(0, 4);
            ImGui::PushStyleColor(ImGuiCol_Text, theme::to_vec4(theme::kMuted));
            TextEllipsis(std::string("(") + t.closed + ")");
            ImGui::PopStyleColor();
        }
    }
    ImGui::PopFont();
    ImGui::EndTable();
}

}  // namespace

void HostsPanel::draw(const ViewModel& vm, Commands&) {
    const sim::Trace& t = vm.view.trace();
    ImGui::BeginChild("hosts_scroll");
    auto connection_host = [&](uint32_t h) {
        return (vm.connection.a != kNone && t.sockets[vm.connection.a].host == h) ||
               (vm.connection.b != kNone && t.sockets[vm.connection.b].host == h);
    };
    for (uint32_t h = 0; h < t.hosts.size(); ++h) {
        bool involved = connection_host(h);
        if (only_connection_hosts && !involved) continue;
        ImGui::PushID(int(h));
        ImGui::SetNextItemOpen(t.hosts.size() <= 4 || involved, ImGuiCond_Appearing);
        std::string title = t.hosts[h].name + (t.hosts[h].forwarding ? std::string("  (") + vm.text.router + ")" : "");
        ImGui::PushFont(vm.fonts.bold);
        bool open = ImGui::CollapsingHeader(title.c_str());
        ImGui::PopFont();
        if (open) {
            draw_ipconfig(vm, t.hosts[h]);
            draw_netstat(vm, h);
            ImGui::Spacing();
        }
        ImGui::PopID();
    }
    ImGui::EndChild();
}

}  // namespace netstep::viz
