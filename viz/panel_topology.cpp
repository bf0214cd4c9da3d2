// Topology: networks as bars, hosts attached to them, routers between; packets moving along the
// links at their true relative timing, colored by kind and labeled; drops as red crosses.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "viz/panels.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

namespace {

constexpr uint32_t kDropLingerSteps = 6;   // a drop's cross stays this many steps
constexpr size_t kMaxLabels = 8;           // more packets in flight: label only the selected connection's

struct Canvas {
    ImVec2 origin, size;
    float margin_x, margin_y;
    ImVec2 at(float x, float y) const {
        return ImVec2(origin.x + margin_x + x * (size.x - 2 * margin_x), origin.y + margin_y + y * (size.y - 2 * margin_y));
    }
};

struct Box {
    ImVec2 min, max;
    bool overlaps(const Box& o) const { return min.x < o.max.x && o.min.x < max.x && min.y < o.max.y && o.min.y < max.y; }
};

ImVec2 lerp(ImVec2 a, ImVec2 b, float t) { return ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t); }
float dist(ImVec2 a, ImVec2 b) { return std::hypot(b.x - a.x, b.y - a.y); }

// The point at fraction t along a polyline.
ImVec2 along(const std::vector<ImVec2>& path, float t) {
    float total = 0;
    for (size_t i = 1; i < path.size(); ++i) total += dist(path[i - 1], path[i]);
    float want = t * total;
    for (size_t i = 1; i < path.size(); ++i) {
        float d = dist(path[i - 1], path[i]);
        if (want <= d && d > 0) return lerp(path[i - 1], path[i], want / d);
        want -= d;
    }
    return path.back();
}

uint32_t network_index(const sim::Trace& t, const std::string& name) {
    for (uint32_t i = 0; i < t.networks.size(); ++i)
        if (t.networks[i].name == name) return i;
    return 0;
}

void draw_cross(ImDrawList* dl, ImVec2 c, float r, float thick) {
    dl->AddLine(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), theme::kDrop, thick);
    dl->AddLine(ImVec2(c.x - r, c.y + r), ImVec2(c.x + r, c.y - r), theme::kDrop, thick);
}

// Text on a white patch so it stays readable over lines.
void label(ImDrawList* dl, ImVec2 p, ImU32 color, const std::string& text, ImFont* font = nullptr) {
    ImFont* f = font ? font : ImGui::GetFont();
    float size = font ? font->FontSize : ImGui::GetFontSize();
    ImVec2 ts = f->CalcTextSizeA(size, FLT_MAX, 0.0f, text.c_str());
    dl->AddRectFilled(ImVec2(p.x - 2, p.y - 1), ImVec2(p.x + ts.x + 2, p.y + ts.y + 1), theme::rgb(255, 255, 255, 230), 3.0f);
    dl->AddText(f, size, p, color, text.c_str());
}

}  // namespace

// Networks stacked top to bottom; single-homed hosts in rows beside their network's bar (above
// the first, below the last, both sides for the ones between); routers between their networks.
void TopologyPanel::compute_layout(const ViewModel& vm, ImVec2 canvas) {
    const sim::Trace& t = vm.view.trace();
    layout = Layout{};
    layout.generation = vm.generation;
    layout.canvas = canvas;
    float fs = ImGui::GetFontSize();
    size_t fit = std::max<size_t>(2, size_t(canvas.x / (fs * 4.2f)));   // boxes side by side
    float row_step = std::max(0.08f, fs * 2.6f / std::max(1.0f, canvas.y));  // one box height and a gap
    size_t n = std::max<size_t>(1, t.networks.size());
    for (size_t k = 0; k < n; ++k) {
        float y = n == 1 ? 0.5f : 0.22f + 0.56f * float(k) / float(n - 1);
        layout.networks.push_back({0.0f, 1.0f, y});
    }
    std::vector<std::vector<uint32_t>> members(n);
    std::vector<uint32_t> routers;
    layout.hosts.resize(t.hosts.size());
    for (uint32_t h = 0; h < t.hosts.size(); ++h) {
        const sim::TraceHost& host = t.hosts[h];
        if (host.interfaces.size() >= 2) routers.push_back(h);
        else if (!host.interfaces.empty()) members[network_index(t, host.interfaces[0].network)].push_back(h);
    }
    for (size_t k = 0; k < n; ++k) {
        const std::vector<uint32_t>& m = members[k];
        bool both_sides = (n > 2 && k > 0 && k + 1 < n) || (n == 1 && m.size() > 4) || m.size() > 8;
        int side_of_first = (k == 0 && n > 1) || n == 1 ? -1 : 1;
        size_t per_side = both_sides ? (m.size() + 1) / 2 : m.size();
        size_t per_row = std::max<size_t>(1, std::min<size_t>(per_side, fit));
        size_t rows = (per_side + per_row - 1) / per_row;
        float gap = rows == 1 ? (n == 1 ? 0.3f : 0.22f) : row_step;
        for (size_t i = 0; i < m.size(); ++i) {
            int side = both_sides ? (i % 2 == 0 ? side_of_first : -side_of_first) : side_of_first;
            size_t j = both_sides ? i / 2 : i;
            size_t row = j / per_row, col = j % per_row;
            size_t in_row = std::min(per_row, per_side - row * per_row);
            float x = (float(col) + 0.5f) / float(in_row);
            float y = layout.networks[k].y + float(side) * gap * float(row + 1);
            layout.hosts[m[i]] = {x, std::clamp(y, 0.0f, 1.0f), false};
        }
    }
    for (size_t r = 0; r < routers.size(); ++r) {
        const sim::TraceHost& host = t.hosts[routers[r]];
        float y = 0;
        for (const auto& itf : host.interfaces) y += layout.networks[network_index(t, itf.network)].y;
        layout.hosts[routers[r]] = {(float(r) + 0.5f) / float(routers.size()), y / float(host.interfaces.size()), true};
    }
}

void TopologyPanel::draw(const ViewModel& vm, Commands& out) {
    const sim::Trace& t = vm.view.trace();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float legend_h = show_legend ? ImGui::GetFrameHeight() + 4.0f : 0.0f;
    Canvas c;
    c.origin = ImGui::GetCursorScreenPos();
    c.size = ImGui::GetContentRegionAvail();
    c.size.y -= legend_h;
    float fs = ImGui::GetFontSize();
    if (layout.generation != vm.generation || layout.canvas.x != c.size.x || layout.canvas.y != c.size.y) compute_layout(vm, c.size);
    c.margin_x = std::min(c.size.x * 0.12f, fs * 4.0f);
    c.margin_y = fs * 1.6f;
    ImGui::InvisibleButton("topology_canvas", ImVec2(std::max(1.0f, c.size.x), std::max(1.0f, c.size.y)));
    bool canvas_hovered = ImGui::IsItemHovered() && !vm.screenshot_mode;
    float th = vm.thickness;

    // Networks.
    for (size_t k = 0; k < t.networks.size(); ++k) {
        const Bar& bar = layout.networks[k];
        ImVec2 a = c.at(bar.x0, bar.y), b = c.at(bar.x1, bar.y);
        a.x = c.origin.x + 6;
        b.x = c.origin.x + c.size.x - 6;
        dl->AddLine(a, b, theme::kNetwork, 7.0f * th);
        std::string name = t.networks[k].name + "  " + t.networks[k].subnet.to_string();
        label(dl, ImVec2(a.x, a.y + 6 * th), theme::kNetwork, name, vm.fonts.bold);
    }

    // Hosts: the link to each network, then the box.
    ImVec2 box_half(std::min(fs * 3.6f, std::max(fs * 1.9f, c.size.x / float(std::max<size_t>(2, t.hosts.size())) * 0.45f)), fs * 0.95f);
    auto host_pos = [&](uint32_t h) { return c.at(layout.hosts[h].x, layout.hosts[h].y); };
    for (uint32_t h = 0; h < t.hosts.size(); ++h) {
        ImVec2 p = host_pos(h);
        for (const InterfaceConfig& itf : t.hosts[h].interfaces) {
            float bar_y = c.at(0, layout.networks[network_index(t, itf.network)].y).y;
            dl->AddLine(p, ImVec2(p.x, bar_y), theme::kNetwork, 2.5f * th);
            if (show_addresses) {
                float box_edge = p.y + (bar_y > p.y ? box_half.y : -box_half.y);
                float y = (box_edge + bar_y) * 0.5f - fs * 0.5f;
                label(dl, ImVec2(p.x + 6, y), theme::rgb(40, 60, 110), itf.address.address.to_string());
            }
        }
    }
    const sim::SocketHistory* end_a = vm.connection.a != kNone ? &t.sockets[vm.connection.a] : nullptr;
    const sim::SocketHistory* end_b = vm.connection.b != kNone ? &t.sockets[vm.connection.b] : nullptr;
    for (uint32_t h = 0; h < t.hosts.size(); ++h) {
        ImVec2 p = host_pos(h);
        bool router = layout.hosts[h].router;
        ImU32 border = end_a && end_a->host == h ? theme::kEndA : end_b && end_b->host == h ? theme::kEndB : theme::kInk;
        float bw = border == theme::kInk ? 1.5f : 3.5f;
        dl->AddRectFilled(ImVec2(p.x - box_half.x, p.y - box_half.y), ImVec2(p.x + box_half.x, p.y + box_half.y),
                          router ? theme::kRouterFill : theme::kHostFill, router ? box_half.y : 6.0f);
        dl->AddRect(ImVec2(p.x - box_half.x, p.y - box_half.y), ImVec2(p.x + box_half.x, p.y + box_half.y), border,
                    router ? box_half.y : 6.0f, 0, bw * th);
        const std::string& name = t.hosts[h].name;
        ImVec2 ts = vm.fonts.bold->CalcTextSizeA(fs, FLT_MAX, 0, name.c_str());
        dl->PushClipRect(ImVec2(p.x - box_half.x + 2, p.y - box_half.y), ImVec2(p.x + box_half.x - 2, p.y + box_half.y), true);
        dl->AddText(vm.fonts.bold, fs, ImVec2(p.x - ts.x * 0.5f, p.y - ts.y * 0.5f), theme::kInk, name.c_str());
        dl->PopClipRect();
    }

    // Packets: the hop's path runs down the sender's link, along the bar, up the receiver's.
    auto path_of = [&](uint32_t i) {
        const sim::TracePacket& p = t.packets[i];
        float bar_y = c.at(0, layout.networks[std::min<size_t>(p.network, layout.networks.size() - 1)].y).y;
        ImVec2 from = host_pos(p.from_host);
        ImVec2 to = p.to_host != kNone ? host_pos(p.to_host) : ImVec2(c.origin.x + c.size.x - 10, bar_y);
        auto edge = [&](ImVec2 h) { return ImVec2(h.x, h.y + (bar_y > h.y ? box_half.y : -box_half.y)); };
        return std::vector<ImVec2>{edge(from), ImVec2(from.x, bar_y), ImVec2(to.x, bar_y), edge(to)};
    };
    uint32_t hovered = kNone;
    std::vector<Box> placed;
    auto draw_packet = [&](uint32_t i, ImVec2 at, bool dropped, bool labeled) {
        const PacketInfo& info = vm.view.packet(i);
        ImU32 color = theme::packet_color(info.kind);
        float r = fs * 0.45f * (vm.presenter ? 1.2f : 1.0f);
        dl->AddRectFilled(ImVec2(at.x - r * 1.3f, at.y - r), ImVec2(at.x + r * 1.3f, at.y + r), color, r * 0.5f);
        if (vm.selection.packet == i) dl->AddRect(ImVec2(at.x - r * 1.3f - 3, at.y - r - 3), ImVec2(at.x + r * 1.3f + 3, at.y + r + 3), theme::kSelected, r * 0.5f, 0, 2.5f * th);
        if (dropped) draw_cross(dl, at, r * 1.6f, 4.0f * th);
        if (canvas_hovered && dist(ImGui::GetIO().MousePos, at) < r * 2.0f) hovered = i;
        if (!show_labels || !labeled) return;
        std::string text = dropped ? "✗ " + info.label : info.label;
        ImVec2 ts = ImGui::CalcTextSize(text.c_str());
        ImVec2 p(at.x + r * 1.3f + 4, at.y - ts.y * 0.5f);
        for (int tries = 0; tries < 6; ++tries) {  // move down past labels already placed
            Box mine{p, ImVec2(p.x + ts.x, p.y + ts.y)};
            bool overlaps = std::any_of(placed.begin(), placed.end(), [&](const Box& o) { return o.overlaps(mine); });
            if (!overlaps) break;
            p.y += ts.y + 2;
        }
        placed.push_back({p, ImVec2(p.x + ts.x, p.y + ts.y)});
        label(dl, p, dropped ? theme::kDrop : color, text, vm.fonts.bold);
    };
    std::vector<uint32_t> flying = vm.view.index().packets_in_flight(vm.step);
    bool crowded = flying.size() > kMaxLabels;  // then only the selected connection's are labeled
    auto of_connection = [&](uint32_t i) {
        ConnectionEnds e = vm.view.connection_of_packet(i);
        return i == vm.selection.packet || (e.a != kNone && (e.a == vm.connection.a || e.a == vm.connection.b));
    };
    for (uint32_t i : flying) {
        draw_packet(i, along(path_of(i), float(vm.view.progress(i, vm.now))), false, !crowded || of_connection(i));
    }
    for (uint32_t i = 0; i < t.packets.size(); ++i) {  // recent drops, where they happened
        const sim::TracePacket& p = t.packets[i];
        if (!p.dropped || p.end_step == kNone || p.end_step > vm.step || vm.step - p.end_step > kDropLingerSteps) continue;
        float f = std::clamp(float(vm.view.progress(i, vm.view.time_at(p.end_step))), 0.15f, 0.85f);
        draw_packet(i, along(path_of(i), f), true, true);
    }
    hovered_packet = hovered;
    if (hovered != kNone) {
        ImGui::SetTooltip("%s\n%s", vm.view.describe(t.packets[hovered].sent_step).c_str(), t.packets[hovered].drop_reason.c_str());
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) out.push_back(cmd::SelectPacket{hovered, false});
    }
    if (show_legend) draw_legend(vm, ImVec2(c.origin.x, c.origin.y + c.size.y + 2));
}

void TopologyPanel::draw_legend(const ViewModel& vm, ImVec2 origin) const {
    struct Item { PacketKind kind; const char* name; };
    const Item items[] = {{PacketKind::Syn, "SYN"}, {PacketKind::SynAck, "SYN+ACK"}, {PacketKind::Fin, "FIN"},
                          {PacketKind::Rst, "RST"}, {PacketKind::Data, vm.text.legend_data}, {PacketKind::Ack, vm.text.legend_ack},
                          {PacketKind::Udp, "UDP"}, {PacketKind::Icmp, "ICMP"}};
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float fs = ImGui::GetFontSize(), x = origin.x, y = origin.y + 2;
    for (const Item& it : items) {
        dl->AddRectFilled(ImVec2(x, y + fs * 0.2f), ImVec2(x + fs * 0.9f, y + fs * 0.95f), theme::packet_color(it.kind), 3.0f);
        x += fs * 1.05f;
        dl->AddText(ImVec2(x, y), theme::kInk, it.name);
        x += ImGui::CalcTextSize(it.name).x + fs * 0.6f;
    }
    draw_cross(dl, ImVec2(x + fs * 0.4f, y + fs * 0.55f), fs * 0.35f, 3.0f);
    dl->AddText(ImVec2(x + fs * 1.05f, y), theme::kDrop, vm.text.legend_dropped);
}

}  // namespace netstep::viz
