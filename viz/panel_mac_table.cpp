// The MAC table of each switch of the run at the current step: the rows the `mac_table` step
// prints (sim::mac_table_at, one rule for both): MAC address, port, the host behind the port,
// when the entry was learned and its age (time since its last frame: forgotten at 300 s). The
// row learned at this step is lit. Stepping back shows the table of that step: nothing is kept
// from one step to the next but a cache of the step drawn.
#include <imgui.h>

#include <string>

#include "sim/mac_table.hpp"
#include "viz/panels.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

void MacTablePanel::draw(const ViewModel& vm, Commands&) {
    const Strings& t = vm.text;
    const sim::Trace& trace = vm.view.trace();
    rows.clear();
    switches.clear();
    no_switch_shown = false;
    for (uint32_t n = 0; n < trace.networks.size(); ++n)
        if (trace.networks[n].switched) switches.push_back(n);
    if (switches.empty()) {
        ImGui::TextDisabled("%s", t.no_switch);
        no_switch_shown = true;
        return;
    }
    if (cache.generation != vm.generation || cache.step != vm.step) {
        cache.generation = vm.generation;
        cache.step = vm.step;
        cache.tables.clear();
        for (uint32_t n : switches) cache.tables.push_back(sim::mac_table_at(trace, n, vm.step));
    }
    Instant now = vm.view.time_at(vm.step);
    ImGui::BeginChild("mac_table_scroll");
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(theme::to_vec4(theme::kMuted), "%s", t.mac_table_help);
    ImGui::PopTextWrapPos();
    for (size_t k = 0; k < switches.size(); ++k) {
        uint32_t n = switches[k];
        const sim::TraceNetwork& net = trace.networks[n];
        const std::vector<sim::MacTableEntry>& table = cache.tables[k];
        ImGui::PushID(int(n));
        ImGui::Spacing();
        ImGui::PushFont(vm.fonts.bold);
        TextEllipsis(net.name + " (" + t.switch_word + ")  " + net.subnet.to_string());
        ImGui::PopFont();
        if (table.empty()) {
            ImGui::TextDisabled("%s", t.mac_table_empty);
            ImGui::PopID();
            continue;
        }
        ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersInnerH |
                                ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_NoHostExtendX;
        if (ImGui::BeginTable("mac_table", 5, flags)) {
            for (const char* name : {t.mac_col, t.port_col, t.host_col, t.learned_col, t.age_col}) ImGui::TableSetupColumn(name);
            ImGui::TableHeadersRow();
            for (const sim::MacTableEntry& e : table) {
                Row row{n,
                        e.mac.to_string(),
                        std::to_string(e.port + 1),
                        e.host < trace.hosts.size() ? trace.hosts[e.host].name : "",
                        vm.view.format_time(e.learned),
                        sim::age_text(now - e.last_seen),
                        e.learned_step == vm.step || e.learned == now};  // this step, or its instant
                ImGui::TableNextRow();
                if (row.lit) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, theme::kHighlight);
                const std::string* cells[] = {&row.mac, &row.port, &row.host, &row.learned, &row.age};
                for (int c = 0; c < 5; ++c) {
                    ImGui::TableSetColumnIndex(c);
                    ImGui::PushFont(c == 0 ? vm.fonts.mono : c == 2 || row.lit ? vm.fonts.bold : vm.fonts.body);
                    TextEllipsis(*cells[c], vm.fonts.body->FontSize * 12.0f);
                    ImGui::PopFont();
                    if (c == 4 && ImGui::IsItemHovered() && !vm.screenshot_mode)
                        TextTooltip(std::string(t.age_col) + ": " + row.age + " / 300 s");
                }
                rows.push_back(std::move(row));
            }
            ImGui::EndTable();
        }
        ImGui::PopID();
    }
    ImGui::EndChild();
}

}  // namespace netstep::viz
