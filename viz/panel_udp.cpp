// UDP sockets, where a TCP lesson shows the state diagram: UDP keeps no state, so the panel shows
// what each socket did up to the step (datagrams sent, received, lost, ICMP errors received).
#include <imgui.h>

#include <string>

#include "viz/panels.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

void UdpPanel::draw(const ViewModel& vm, Commands& out) {
    const Strings& t = vm.text;
    shown.clear();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(theme::to_vec4(theme::kMuted), "%s", t.udp_help);
    ImGui::PopTextWrapPos();
    std::vector<uint32_t> live;
    for (uint32_t h : vm.view.udp_sockets()) {
        if (vm.snap.socket(h).phase != sim::SocketPhase::NotYet) live.push_back(h);
    }
    if (live.empty()) {
        ImGui::TextDisabled("%s", t.no_udp);
        return;
    }
    ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit |
                            ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY;
    if (!ImGui::BeginTable("udp", 5, flags)) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    for (const char* name : {t.socket_col, t.sent, t.received, t.lost, t.icmp_errors}) ImGui::TableSetupColumn(name);
    ImGui::TableHeadersRow();
    for (uint32_t h : live) {
        UdpCounts c = vm.view.udp_counts(h, vm.step);
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        std::string whole = vm.view.socket_name(h, vm.step);
        ImGui::PushFont(vm.fonts.bold);
        std::string name = text_fit(ImGui::GetFont(), ImGui::GetFontSize(), whole, ImGui::GetFontSize() * 16.0f);
        if (ImGui::Selectable((name + "###udp").c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) out.push_back(cmd::SelectConnection{h});
        ImGui::PopFont();
        if (name != whole && ImGui::IsItemHovered() && !vm.screenshot_mode) TextTooltip(whole);
        ImGui::PushFont(vm.fonts.bold);
        const uint32_t values[] = {c.sent, c.received, c.lost, c.icmp_errors};
        for (int col = 1; col <= 4; ++col) {
            ImGui::TableSetColumnIndex(col);
            bool bad = (col == 3 || col == 4) && values[col - 1] > 0;  // losses and errors in red
            ImGui::TextColored(theme::to_vec4(bad ? theme::kDrop : theme::kInk), "%u", values[col - 1]);
        }
        ImGui::PopFont();
        shown.push_back({h, c});
    }
    ImGui::EndTable();
}

}  // namespace netstep::viz
