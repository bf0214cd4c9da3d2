// The packet inspector: the selected packet (or the one of the current step) layer by layer,
// each field with its value and a tooltip explaining it (wire::describe, or wire::describe_frame
// for an Ethernet trace: the Ethernet II header first, IEEE 802.3 clause 3), beside the real
// bytes in hex; the field under the mouse is lit in both. Above them, the journey of the packet's
// IP datagram when it crossed routers (sim::journey): one row per hop.
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>

#include "viz/panels.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

namespace {

ImU32 layer_color(const std::string& layer) {
    if (layer == "Ethernet") return theme::rgb(232, 232, 236);
    if (layer == "ARP") return theme::rgb(218, 240, 245);
    if (layer.rfind("IPv4", 0) == 0) return theme::rgb(225, 235, 250);
    if (layer.rfind("TCP", 0) == 0) return theme::rgb(225, 245, 228);
    if (layer.rfind("UDP", 0) == 0) return theme::rgb(238, 228, 248);
    if (layer.rfind("ICMP", 0) == 0) return theme::rgb(250, 243, 215);
    return theme::rgb(240, 240, 240);
}

// The innermost field covering a byte (-1 if none).
int field_at(const std::vector<wire::WireField>& fields, size_t byte) {
    int best = -1;
    for (size_t i = 0; i < fields.size(); ++i) {
        const wire::WireField& f = fields[i];
        if (byte < f.offset || byte >= f.offset + f.length) continue;
        if (best < 0 || f.length <= fields[size_t(best)].length) best = int(i);
    }
    return best;
}

std::string normalized(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c != ' ' && c != '-' && c != '_') out += char(std::tolower(uint8_t(c)));
    }
    return out;
}

std::string initials(const std::string& name) {
    std::string out;
    bool start = true;
    for (char c : name) {
        if (start && c != ' ') out += char(std::tolower(uint8_t(c)));
        start = c == ' ' || c == '-';
    }
    return out;
}

}  // namespace

int find_field(const std::vector<wire::WireField>& fields, const std::string& selector) {
    if (selector.empty()) return -1;
    size_t dot = selector.find('.');
    std::string layer = dot == std::string::npos ? "" : normalized(selector.substr(0, dot));
    std::string name = normalized(dot == std::string::npos ? selector : selector.substr(dot + 1));
    for (int pass = 0; pass < 3; ++pass) {  // exact name, then a prefix, then initials
        for (size_t i = 0; i < fields.size(); ++i) {
            if (!layer.empty() && normalized(fields[i].layer) != layer) continue;
            std::string n = normalized(fields[i].name);
            bool hit = pass == 0 ? n == name : pass == 1 ? n.rfind(name, 0) == 0 : initials(fields[i].name) == name;
            if (hit) return int(i);
        }
    }
    return -1;
}

uint32_t packet_at_or_before(const TraceView& view, uint32_t step) {
    const sim::Trace& t = view.trace();
    if (step < t.events.size() && t.events[step].packet < t.packets.size()) return t.events[step].packet;
    // Packets are in the order they were sent: the last with sent_step <= step.
    auto it = std::upper_bound(t.packets.begin(), t.packets.end(), step,
                               [](uint32_t s, const sim::TracePacket& p) { return s < p.sent_step; });
    return it == t.packets.begin() ? kNone : uint32_t(it - t.packets.begin() - 1);
}

namespace {

uint32_t packet_to_show(const ViewModel& vm) {
    if (vm.selection.packet != kNone) return vm.selection.packet;
    return packet_at_or_before(vm.view, vm.step);
}

// "a → b" as two lines in a table cell: "a", then "→ b" (a MAC address pair fits a narrow panel).
void two_lines(const std::string& text, ImFont* font) {
    size_t at = text.find(" → ");
    ImGui::PushFont(font);
    TextEllipsis(text.substr(0, at));
    if (at != std::string::npos) TextEllipsis(text.substr(at + 1));
    ImGui::PopFont();
}

}  // namespace

// The hops of the datagram, one row each. A router builds a new Ethernet frame for every hop (IEEE
// 802.3: its outgoing interface's MAC as the source, the next hop's MAC, found by ARP, as the
// destination) and lowers the TTL by one (RFC 791 §3.2); the IP addresses stay. The columns whose
// value changes from hop to hop are lit, so that what stays is seen to stay.
void InspectorPanel::draw_journey(const ViewModel& vm, uint32_t packet, Commands& out) {
    journey_rows.clear();
    journey_changes = {};
    if (journey.size() < 2) return;
    const sim::Trace& t = vm.view.trace();
    const sim::TraceIndex& index = vm.view.index();
    for (const sim::JourneyHop& hop : journey) {
        JourneyRow row;
        row.packet = hop.packet;
        row.link = hop.network < t.networks.size() ? t.networks[hop.network].name : "?";
        row.hosts = index.host_name(hop.from_host) + " → " + index.host_name(hop.to_host);
        if (hop.eth_src && hop.eth_dst) row.ethernet = hop.eth_src->to_string() + " → " + hop.eth_dst->to_string();
        row.ip = hop.ip_src.to_string() + " → " + hop.ip_dst.to_string();
        row.ttl = hop.ttl ? std::to_string(*hop.ttl) : "";
        row.selected = hop.packet == packet;
        journey_rows.push_back(std::move(row));
    }
    for (const JourneyRow& row : journey_rows) {  // a column changes when any hop differs from the first
        journey_changes.ethernet |= row.ethernet != journey_rows[0].ethernet;
        journey_changes.ip |= row.ip != journey_rows[0].ip;
        journey_changes.ttl |= row.ttl != journey_rows[0].ttl;
    }

    // The title, and beside it what the lit columns mean; the whole story in a tooltip.
    const Strings& s = vm.text;
    ImGui::PushFont(vm.fonts.bold);
    ImGui::TextUnformatted(s.journey);
    ImGui::PopFont();
    bool hovered = ImGui::IsItemHovered();
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, theme::to_vec4(theme::kMuted));
    TextEllipsis(std::string("(") + s.journey_lit + ")");
    ImGui::PopStyleColor();
    if ((hovered || ImGui::IsItemHovered()) && !vm.screenshot_mode) TextTooltip(s.journey_help);

    // Each column as wide as its widest line (the header's, or a cell's in its font); when the panel
    // is narrower than them all, the columns share it in those proportions and a text that does not
    // fit ends in "…" (the whole in a tooltip). Never wider than the panel: nothing is clipped.
    bool ethernet = t.ethernet;
    int columns = ethernet ? 4 : 3;
    auto width = [](ImFont* font, const std::string& text) {  // as drawn in that font
        ImGui::PushFont(font);
        float w = ImGui::CalcTextSize(text.c_str()).x;
        ImGui::PopFont();
        return w;
    };
    auto lines_width = [&](ImFont* font, const std::string& text) {  // "a → b" drawn as two lines
        size_t at = text.find(" → ");
        return at == std::string::npos ? width(font, text) : std::max(width(font, text.substr(0, at)), width(font, text.substr(at + 1)));
    };
    const char* headers[4] = {s.hop_col, "Ethernet", "IP", "TTL"};  // protocol names: not translated (RFC, Wireshark)
    if (!ethernet) headers[1] = nullptr;
    std::vector<float> natural;
    for (const char* h : headers)
        if (h) natural.push_back(width(vm.fonts.body, h));
    for (size_t i = 0; i < journey_rows.size(); ++i) {
        const JourneyRow& row = journey_rows[i];
        std::string first = "▶ " + std::to_string(i + 1) + "  " + row.link + (journey[i].dropped ? " ✗" : "");
        natural[0] = std::max({natural[0], width(vm.fonts.bold, first), width(vm.fonts.body, row.hosts)});
        int c = 1;
        if (ethernet) natural[size_t(c)] = std::max(natural[size_t(c)], lines_width(vm.fonts.mono, row.ethernet)), ++c;
        natural[size_t(c)] = std::max(natural[size_t(c)], lines_width(vm.fonts.mono, row.ip)), ++c;
        natural[size_t(c)] = std::max(natural[size_t(c)], lines_width(vm.fonts.mono, row.ttl));
    }
    float pad = ImGui::GetStyle().CellPadding.x * 2 + 1, total = 0;
    for (float w : natural) total += w + pad;
    bool fits = total <= ImGui::GetContentRegionAvail().x;
    ImGuiTableFlags flags = ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersInnerV |
                            (fits ? ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_NoHostExtendX : ImGuiTableFlags_SizingStretchProp);
    if (!ImGui::BeginTable("journey", columns, flags)) return;
    for (int c = 0, h = 0; c < columns; ++h) {
        if (!headers[h]) continue;
        ImGui::TableSetupColumn(headers[h], fits ? ImGuiTableColumnFlags_WidthFixed : ImGuiTableColumnFlags_WidthStretch, natural[size_t(c)]);
        ++c;
    }
    ImGui::TableHeadersRow();
    float row_h = ImGui::GetTextLineHeight() * 2 + ImGui::GetStyle().ItemSpacing.y;
    for (size_t i = 0; i < journey_rows.size(); ++i) {
        JourneyRow& row = journey_rows[i];
        ImGui::TableNextRow(0, row_h);
        if (row.selected) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, theme::kJourneyRow);
        // The hop: its number and link, then who sent it to whom; the whole row is a button.
        ImGui::TableSetColumnIndex(0);
        ImVec2 cell = ImGui::GetCursorScreenPos();
        ImGui::PushID(int(i));
        if (ImGui::Selectable("##hop", false, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap,
                              ImVec2(0, row_h)) &&
            !row.selected)
            out.push_back(cmd::SelectPacket{row.packet, true});
        ImGui::PopID();
        row.min = ImGui::GetItemRectMin();
        row.max = ImGui::GetItemRectMax();
        ImGui::SetCursorScreenPos(cell);
        ImGui::PushFont(vm.fonts.bold);
        TextEllipsis((row.selected ? "▶ " : "") + std::to_string(i + 1) + "  " + row.link);
        ImGui::PopFont();
        if (journey[i].dropped) {  // the journey ends here: a red cross, as on the topology and the ladder
            ImGui::SameLine();
            ImGui::PushStyleColor(ImGuiCol_Text, theme::to_vec4(theme::kDrop));
            ImGui::PushFont(vm.fonts.bold);
            ImGui::TextUnformatted("✗");
            ImGui::PopFont();
            ImGui::PopStyleColor();
            if (ImGui::IsItemHovered() && !vm.screenshot_mode)
                TextTooltip(std::string(s.lost_here) + ": " + t.packets[row.packet].drop_reason);
        }
        TextEllipsis(row.hosts);
        // The header fields: lit where they change from hop to hop (a cell's color over the row's).
        int column = 1;
        auto field = [&](const std::string& text, bool changes) {
            ImGui::TableSetColumnIndex(column++);
            if (changes) ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, theme::kHighlight);
            two_lines(text, vm.fonts.mono);
        };
        if (ethernet) field(row.ethernet, journey_changes.ethernet);
        field(row.ip, journey_changes.ip);
        field(row.ttl, journey_changes.ttl);
    }
    ImGui::EndTable();
    ImGui::Spacing();
}

void InspectorPanel::draw(const ViewModel& vm, Commands& out) {
    uint32_t packet = packet_to_show(vm);
    const sim::Trace& t = vm.view.trace();
    if (packet >= t.packets.size()) {
        ImGui::TextDisabled("%s", vm.text.select_packet);
        return;
    }
    if (packet != cached_packet || vm.generation != cached_generation) {
        journey = sim::journey(t, packet);
        const Bytes& frame = t.packets[packet].bytes;
        fields = t.ethernet ? wire::describe_frame(frame) : wire::describe(frame);
        // The window as the connection means it: the field shifted by the negotiated scale.
        const PacketInfo& info = vm.view.packet(packet);
        if (info.window_shift) {
            for (wire::WireField& f : fields)
                if (f.layer == "TCP" && f.name == "Window")
                    f.value += " (× " + std::to_string(1u << *info.window_shift) + " = " + std::to_string(info.scaled_window()) + " bytes)";
        }
        cached_packet = packet;
        cached_generation = vm.generation;
        hovered_field = -1;
        scrolled_to = -1;
        hex_scrolled_to = -1;
    }
    pinned = find_field(fields, pinned_field);
    int lit_field = hovered_field >= 0 ? hovered_field : pinned;
    const sim::TracePacket& p = t.packets[packet];
    ImGui::PushFont(vm.fonts.bold);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::to_vec4(theme::packet_color(vm.view.packet(packet).kind)));
    TextEllipsis(vm.view.describe(p.sent_step));
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::TextDisabled("%s → %s", vm.view.format_time(p.sent).c_str(), vm.view.format_time(p.arrives).c_str());
    if (p.dropped) {
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, theme::to_vec4(theme::kDrop));
        TextEllipsis(std::string(vm.text.dropped_because) + " " + p.drop_reason);
        ImGui::PopStyleColor();
    }
    draw_journey(vm, packet, out);

    int hovered_now = -1;
    // Side by side when there is room for both; else the fields above and the bytes below.
    ImGui::PushFont(vm.fonts.mono);
    float cw = ImGui::CalcTextSize("0").x, lh = ImGui::GetTextLineHeightWithSpacing();
    ImGui::PopFont();
    const Bytes& bytes = p.bytes;
    size_t rows = (bytes.size() + size_t(bytes_per_row) - 1) / size_t(bytes_per_row);
    ImVec2 avail = ImGui::GetContentRegionAvail();
    float hex_w = cw * float(bytes_per_row * 3 + 5) + ImGui::GetStyle().WindowPadding.x * 2 + ImGui::GetStyle().ScrollbarSize;
    bool stacked = avail.x < hex_w * 2.3f;
    float hex_h = std::min(avail.y * 0.45f, float(rows) * lh + ImGui::GetStyle().WindowPadding.y * 2 + 2);
    ImVec2 fields_size = stacked ? ImVec2(0, std::max(lh * 3, avail.y - hex_h - ImGui::GetStyle().ItemSpacing.y))
                                 : ImVec2(avail.x - hex_w - 8, 0);
    ImGui::BeginChild("fields", fields_size);
    if (ImGui::BeginTable("fields_table", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn(vm.text.field, ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn(vm.text.value, ImGuiTableColumnFlags_WidthStretch, 1.0f);
        std::string layer;
        for (size_t i = 0; i < fields.size(); ++i) {
            const wire::WireField& f = fields[i];
            if (f.layer != layer) {
                layer = f.layer;
                ImGui::TableNextRow();
                ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, layer_color(layer));
                ImGui::TableSetColumnIndex(0);
                ImGui::PushFont(vm.fonts.bold);
                ImGui::TextUnformatted(layer.c_str());
                ImGui::PopFont();
            }
            ImGui::TableNextRow();
            if (int(i) == lit_field) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, theme::kHighlight);
            if (int(i) == pinned && scrolled_to != pinned) {  // bring the pinned field into view, once
                ImGui::SetScrollHereY(0.4f);
                scrolled_to = pinned;
            }
            ImGui::TableSetColumnIndex(0);
            ImGui::PushID(int(i));
            ImGui::Selectable(f.name.c_str(), false, ImGuiSelectableFlags_SpanAllColumns);
            ImGui::PopID();
            if (ImGui::IsItemHovered() && !vm.screenshot_mode) {
                hovered_now = int(i);
                if (!f.help.empty()) ImGui::SetTooltip("%s", f.help.c_str());
            }
            ImGui::TableSetColumnIndex(1);
            TextEllipsis(f.value);
        }
        ImGui::EndTable();
    }
    ImGui::EndChild();
    if (!stacked) ImGui::SameLine();

    // The bytes: offset, then bytes_per_row hex pairs; the hovered field's bytes highlighted.
    ImGui::BeginChild("hex", stacked ? ImVec2(std::min(avail.x, hex_w), 0) : ImVec2(0, 0), true);
    ImGui::PushFont(vm.fonts.mono);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 o = ImGui::GetCursorScreenPos();
    ImVec2 mouse = ImGui::GetIO().MousePos;
    bool hex_hovered = ImGui::IsWindowHovered() && !vm.screenshot_mode;
    ImVec2 clip_min = dl->GetClipRectMin(), clip_max = dl->GetClipRectMax();
    for (size_t r = 0; r < rows; ++r) {
        float y = o.y + float(r) * lh;
        if (y + lh < clip_min.y || y > clip_max.y) continue;  // only the rows in view (a packet is up to 64 KiB)
        char offset[8];
        std::snprintf(offset, sizeof offset, "%04zx", r * size_t(bytes_per_row));
        dl->AddText(ImVec2(o.x, y), theme::kMuted, offset);
        for (size_t c = 0; c < size_t(bytes_per_row); ++c) {
            size_t i = r * size_t(bytes_per_row) + c;
            if (i >= bytes.size()) break;
            float x = o.x + cw * (5.0f + 3.0f * float(c));
            int field = field_at(fields, i);
            bool lit = field >= 0 && field == lit_field;
            if (lit) dl->AddRectFilled(ImVec2(x - cw * 0.5f, y), ImVec2(x + cw * 2.5f, y + lh), theme::kHighlight);
            if (hex_hovered && mouse.x >= x - cw * 0.5f && mouse.x < x + cw * 2.5f && mouse.y >= y && mouse.y < y + lh) {
                hovered_now = field;
                if (field >= 0) TextTooltip(fields[size_t(field)].name + ": " + fields[size_t(field)].value);
            }
            char hex[4];
            std::snprintf(hex, sizeof hex, "%02x", bytes[i]);
            dl->AddText(ImVec2(x, y), theme::kInk, hex);
        }
    }
    ImGui::Dummy(ImVec2(cw * float(5 + 3 * bytes_per_row), float(rows) * lh));
    if (pinned >= 0 && hex_scrolled_to != pinned) {  // the pinned field's first row in view, once
        float y = float(fields[size_t(pinned)].offset / size_t(bytes_per_row)) * lh;
        ImGui::SetScrollY(std::max(0.0f, y - ImGui::GetWindowHeight() * 0.4f));
        hex_scrolled_to = pinned;
    }
    ImGui::PopFont();
    ImGui::EndChild();
    hovered_field = hovered_now;
}

}  // namespace netstep::viz
