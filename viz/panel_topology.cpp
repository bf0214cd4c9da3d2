// Topology: networks as bars, hosts attached to them, routers between; packets moving along the
// links at their true relative timing, colored by kind and labeled; drops as red crosses.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "viz/panels.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

namespace {

constexpr uint32_t kDropLingerSteps = 6;   // a drop's cross stays this many steps
constexpr size_t kMaxLabels = 8;           // at most this many packet labels; more packets in flight: only
                                           // the shown connection's are labeled

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
    float overlap_area(const Box& o) const {
        return std::max(0.0f, std::min(max.x, o.max.x) - std::max(min.x, o.min.x)) *
               std::max(0.0f, std::min(max.y, o.max.y) - std::max(min.y, o.min.y));
    }
    // Whether the segment a-b passes through the box (Liang-Barsky clipping).
    bool hit_by(ImVec2 a, ImVec2 b) const {
        float t0 = 0, t1 = 1, d[2] = {b.x - a.x, b.y - a.y};
        float lo[2] = {min.x - a.x, min.y - a.y}, hi[2] = {max.x - a.x, max.y - a.y};
        for (int k = 0; k < 2; ++k) {
            if (d[k] == 0) {
                if (lo[k] > 0 || hi[k] < 0) return false;
                continue;
            }
            float ta = lo[k] / d[k], tb = hi[k] / d[k];
            if (ta > tb) std::swap(ta, tb);
            t0 = std::max(t0, ta);
            t1 = std::min(t1, tb);
            if (t0 > t1) return false;
        }
        return true;
    }
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

// The canvas margins, the same for the layout and the drawing.
ImVec2 canvas_margins(ImVec2 size, float fs) { return ImVec2(std::min(size.x * 0.12f, fs * 4.0f), fs * 1.6f); }

// The normal host box's half size: as wide as the hosts leave room for.
ImVec2 normal_half(ImVec2 size, float fs, size_t hosts) {
    return ImVec2(std::min(fs * 3.6f, std::max(fs * 1.9f, size.x / float(std::max<size_t>(2, hosts)) * 0.45f)),
                  std::min(fs * 0.95f, std::max(fs * 0.62f, size.y * 0.085f)));  // flatter in a short panel
}

// Networks stacked top to bottom; single-homed hosts in rows beside their network's bar (above
// the first, below the last, both sides for the ones between); routers between their networks.
// A single LAN with more hosts than one row on each side holds (a lab): its busiest host on the
// bar at the left, the others in small boxes in columns above and below, each column's hosts
// hanging from one vertical link, so no link crosses a box (see crowded_layout).
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
    if (n == 1 && routers.empty() && members[0].size() > 2 * fit) {
        crowded_layout(vm, canvas, members[0]);
        return;
    }
    for (size_t k = 0; k < n; ++k) {
        const std::vector<uint32_t>& m = members[k];
        bool both_sides = (n > 2 && k > 0 && k + 1 < n) || (n == 1 && m.size() > 4) || m.size() > 8;
        int side_of_first = (k == 0 && n > 1) || n == 1 ? -1 : 1;
        size_t per_side = both_sides ? (m.size() + 1) / 2 : m.size();
        size_t per_row = std::max<size_t>(1, std::min<size_t>(per_side, fit));
        size_t rows = (per_side + per_row - 1) / per_row;
        float gap = rows == 1 ? (n == 1 ? 0.3f : 0.22f) : row_step;
        // Room between a box and its bar for the address label, however large the font.
        if (rows == 1) gap = std::min(0.45f, std::max(gap, fs * 2.9f / std::max(1.0f, canvas.y - fs * 3.2f)));
        for (size_t i = 0; i < m.size(); ++i) {
            int side = both_sides ? (i % 2 == 0 ? side_of_first : -side_of_first) : side_of_first;
            size_t j = both_sides ? i / 2 : i;
            size_t row = j / per_row, col = j % per_row;
            size_t in_row = std::min(per_row, per_side - row * per_row);
            float x = (float(col) + 0.5f) / float(in_row);
            float y = layout.networks[k].y + float(side) * gap * float(row + 1);
            layout.hosts[m[i]] = {x, std::clamp(y, 0.0f, 1.0f), x, false, false, false};
        }
    }
    for (size_t r = 0; r < routers.size(); ++r) {
        const sim::TraceHost& host = t.hosts[routers[r]];
        float y = 0;
        for (const auto& itf : host.interfaces) y += layout.networks[network_index(t, itf.network)].y;
        float x = (float(r) + 0.5f) / float(routers.size());
        layout.hosts[routers[r]] = {x, y / float(host.interfaces.size()), x, true, false, false};
    }
}

void TopologyPanel::crowded_layout(const ViewModel& vm, ImVec2 canvas, std::vector<uint32_t> members) {
    const sim::Trace& t = vm.view.trace();
    float fs = ImGui::GetFontSize();
    ImVec2 margin = canvas_margins(canvas, fs);
    float w = std::max(1.0f, canvas.x - 2 * margin.x), h = std::max(1.0f, canvas.y - 2 * margin.y);
    auto norm_x = [&](float px) { return px / w; };
    auto norm_y = [&](float py) { return py / h; };

    // The busiest host (most packets sent and received): the server everyone talks to.
    std::vector<uint32_t> traffic(t.hosts.size(), 0);
    for (const sim::TracePacket& p : t.packets) {
        if (p.from_host < traffic.size()) ++traffic[p.from_host];
        if (p.to_host < traffic.size()) ++traffic[p.to_host];
    }
    auto busiest = std::max_element(members.begin(), members.end(), [&](uint32_t a, uint32_t b) { return traffic[a] < traffic[b]; });
    uint32_t server = *busiest;
    members.erase(busiest);
    ImVec2 big = normal_half(canvas, fs, t.hosts.size());
    float bar_py = h * 0.5f;
    layout.hosts[server] = {norm_x(big.x), 0.5f, norm_x(big.x), false, true, false};
    layout.networks[0].x0 = norm_x(2 * big.x);

    // Columns of small boxes right of the server: as many as the longest name allows.
    float name_w = 0;
    for (uint32_t m : members) name_w = std::max(name_w, vm.fonts.bold->CalcTextSizeA(fs, FLT_MAX, 0, t.hosts[m].name.c_str()).x);
    float left = 2 * big.x + fs * 0.8f, avail = std::max(fs * 3, w - left);
    float min_cell = name_w * 0.8f + fs * 0.9f;
    size_t columns = std::max<size_t>(1, size_t(avail / min_cell));
    size_t rows = (members.size() + 2 * columns - 1) / (2 * columns);
    columns = (members.size() + 2 * rows - 1) / (2 * rows);  // spread the columns evenly
    float cell = avail / float(columns);
    float pitch = std::min(fs * 1.55f, (bar_py - fs * 0.6f) / float(rows));
    layout.compact_half = ImVec2(std::min(cell - fs * 0.7f, name_w + fs * 0.6f) * 0.5f, std::min(fs * 0.62f, pitch * 0.42f));
    size_t half = (members.size() + 1) / 2;
    for (size_t i = 0; i < members.size(); ++i) {
        bool above = i < half;
        size_t j = above ? i : i - half;
        size_t col = j / rows, row = j % rows;
        float cell_x = left + cell * float(col);
        float link = cell_x + fs * 0.2f;
        float x = link + fs * 0.35f + layout.compact_half.x;
        float y = bar_py + (above ? -1.0f : 1.0f) * (fs * 0.55f + pitch * (float(row) + 0.5f));
        layout.hosts[members[i]] = {norm_x(x), norm_y(y), norm_x(link), false, false, true};
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
    ImVec2 margin = canvas_margins(c.size, fs);
    c.margin_x = margin.x;
    c.margin_y = margin.y;
    ImGui::InvisibleButton("topology_canvas", ImVec2(std::max(1.0f, c.size.x), std::max(1.0f, c.size.y)));
    bool canvas_hovered = ImGui::IsItemHovered() && !vm.screenshot_mode;
    ImVec2 mouse = ImGui::GetIO().MousePos;
    float th = vm.thickness;
    float r = fs * 0.45f * (vm.presenter ? 1.2f : 1.0f);  // a packet marker's half height (1.3 r its half width)
    if (layout.compact_half.y > 0) r = std::min(r, layout.compact_half.y * 0.75f);  // as small as the boxes

    // Host geometry: normal boxes, or a crowded LAN's small ones.
    ImVec2 box_half = normal_half(c.size, fs, t.hosts.size());
    auto host_pos = [&](uint32_t h) { return c.at(layout.hosts[h].x, layout.hosts[h].y); };
    auto half_of = [&](uint32_t h) { return layout.hosts[h].compact ? layout.compact_half : box_half; };
    auto bar_y_of = [&](size_t k) { return c.at(0, layout.networks[std::min(k, layout.networks.size() - 1)].y).y; };

    std::vector<Box> reserved;    // network and address labels, host names: packet labels keep off them
    std::vector<Box> host_boxes;  // ... and off the boxes: over an edge only when no spot is left
    host_rects.clear();
    auto reserve_label = [&](ImVec2 at, const std::string& text, ImFont* font) {
        ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, text.c_str());
        reserved.push_back({ImVec2(at.x - 2, at.y - 1), ImVec2(at.x + ts.x + 2, at.y + ts.y + 1)});
    };
    // Networks.
    std::vector<Box> name_boxes;  // per network: its name's label
    for (size_t k = 0; k < t.networks.size(); ++k) {
        const Bar& bar = layout.networks[k];
        ImVec2 a = c.at(bar.x0, bar.y), b = c.at(bar.x1, bar.y);
        if (bar.x0 == 0.0f) a.x = c.origin.x + 6;
        b.x = c.origin.x + c.size.x - 6;
        dl->AddLine(a, b, theme::kNetwork, 7.0f * th);
        std::string name = t.networks[k].name + "  " + t.networks[k].subnet.to_string();
        ImVec2 at = bar.x0 == 0.0f ? ImVec2(a.x, a.y + 6 * th)
                                   : ImVec2(c.origin.x + 6, a.y - box_half.y - fs * 2.6f);  // crowded: above its server
        reserve_label(at, name, vm.fonts.bold);
        name_boxes.push_back(reserved.back());
        label(dl, at, theme::kNetwork, name, vm.fonts.bold);
    }

    // Links: straight down (or up) to the bar; a crowded LAN's hosts hang from their column's link.
    for (uint32_t h = 0; h < t.hosts.size(); ++h) {
        const Node& node = layout.hosts[h];
        ImVec2 p = host_pos(h);
        if (node.on_bar) continue;
        for (const InterfaceConfig& itf : t.hosts[h].interfaces) {
            float bar_y = bar_y_of(network_index(t, itf.network));
            if (node.compact) {
                float lx = c.at(node.link_x, 0).x;
                dl->AddLine(ImVec2(lx, p.y), ImVec2(lx, bar_y), theme::kNetwork, 1.5f * th);
                dl->AddLine(ImVec2(lx, p.y), ImVec2(p.x - layout.compact_half.x, p.y), theme::kNetwork, 1.5f * th);
                continue;
            }
            dl->AddLine(p, ImVec2(p.x, bar_y), theme::kNetwork, 2.5f * th);
            if (show_addresses) {
                float box_edge = p.y + (bar_y > p.y ? box_half.y : -box_half.y);
                std::string address = itf.address.address.to_string();
                ImVec2 ts = ImGui::CalcTextSize(address.c_str());
                // Beside the link, box to bar, clear of the packets running down it.
                ImVec2 at(p.x + r * 1.3f + 5, (box_edge + bar_y) * 0.5f - fs * 0.5f);
                reserved.push_back({ImVec2(at.x - 2, at.y - 1), ImVec2(at.x + 2 + ts.x, at.y + ts.y + 1)});
                label(dl, at, theme::rgb(40, 60, 110), address);
            }
        }
    }
    const sim::SocketHistory* end_a = vm.connection.a != kNone ? &t.sockets[vm.connection.a] : nullptr;
    const sim::SocketHistory* end_b = vm.connection.b != kNone ? &t.sockets[vm.connection.b] : nullptr;
    uint32_t hovered_h = kNone;
    std::vector<uint32_t> callouts;  // small boxes whose address is shown: the lit ones, the hovered one
    for (uint32_t h = 0; h < t.hosts.size(); ++h) {
        const Node& node = layout.hosts[h];
        ImVec2 p = host_pos(h), hb = half_of(h);
        bool router = node.router;
        ImU32 border = end_a && end_a->host == h ? theme::kEndA : end_b && end_b->host == h ? theme::kEndB : theme::kInk;
        float bw = border == theme::kInk ? (node.compact ? 1.0f : 1.5f) : (node.compact ? 3.0f : 3.5f);
        float rounding = router ? hb.y : node.compact ? 3.0f : 6.0f;
        ImVec2 lo(p.x - hb.x, p.y - hb.y), hi(p.x + hb.x, p.y + hb.y);
        dl->AddRectFilled(lo, hi, router ? theme::kRouterFill : theme::kHostFill, rounding);
        host_boxes.push_back({lo, hi});
        host_rects.push_back({h, lo, hi});
        dl->AddRect(lo, hi, border, rounding, 0, bw * th);
        // The name, shrunk (not clipped) to fit its box: one draw call for the whole panel.
        const std::string& name = t.hosts[h].name;
        ImVec2 ts = vm.fonts.bold->CalcTextSizeA(fs, FLT_MAX, 0, name.c_str());
        float size = std::min({fs, fs * (2 * hb.x - 6) / std::max(1.0f, ts.x), fs * (2 * hb.y + 2) / std::max(1.0f, ts.y)});
        ImVec2 shown(ts.x * size / fs, ts.y * size / fs);
        dl->AddText(vm.fonts.bold, size, ImVec2(p.x - shown.x * 0.5f, p.y - shown.y * 0.5f), theme::kInk, name.c_str());
        reserved.push_back({ImVec2(p.x - shown.x * 0.5f - 2, p.y - shown.y * 0.3f), ImVec2(p.x + shown.x * 0.5f + 2, p.y + shown.y * 0.3f)});  // the letters
        bool mouse_in = canvas_hovered && mouse.x >= lo.x && mouse.x < hi.x && mouse.y >= lo.y && mouse.y < hi.y;
        if (mouse_in) hovered_h = h;
        if ((node.compact || node.on_bar) && show_addresses && (border != theme::kInk || mouse_in || node.on_bar)) callouts.push_back(h);
    }
    // Addresses of the lit, hovered and server hosts of a crowded LAN, on patches over the boxes.
    for (uint32_t h : callouts) {
        const Node& node = layout.hosts[h];
        if (t.hosts[h].interfaces.empty()) continue;
        ImVec2 p = host_pos(h), hb = half_of(h);
        std::string text = t.hosts[h].interfaces[0].address.address.to_string();
        ImVec2 ts = ImGui::CalcTextSize(text.c_str());
        float bar_y = bar_y_of(0);
        ImVec2 at = node.on_bar ? ImVec2(p.x - ts.x * 0.5f, p.y + hb.y + 4)
                                : ImVec2(p.x - ts.x * 0.5f, p.y < bar_y ? p.y - hb.y - ts.y - 2 : p.y + hb.y + 2);
        at.x = std::clamp(at.x, c.origin.x + 2, c.origin.x + c.size.x - ts.x - 4);
        reserved.push_back({ImVec2(at.x - 2, at.y - 1), ImVec2(at.x + ts.x + 2, at.y + ts.y + 1)});
        label(dl, at, theme::rgb(40, 60, 110), text);
    }
    hovered_host = hovered_h;

    // Packets: the hop's path runs down the sender's link, along the bar, up the receiver's.
    auto path_of = [&](uint32_t i) {
        const sim::TracePacket& p = t.packets[i];
        float bar_y = bar_y_of(p.network);
        auto leg = [&](uint32_t h, std::vector<ImVec2>& path) {  // from the host's box to the bar
            const Node& node = layout.hosts[h];
            ImVec2 at = host_pos(h), hb = half_of(h);
            if (node.on_bar) {
                path.push_back(ImVec2(at.x + hb.x, bar_y));
            } else if (node.compact) {
                float lx = c.at(node.link_x, 0).x;
                path.push_back(ImVec2(at.x - hb.x, at.y));
                path.push_back(ImVec2(lx, at.y));
                path.push_back(ImVec2(lx, bar_y));
            } else {
                path.push_back(ImVec2(at.x, at.y + (bar_y > at.y ? hb.y : -hb.y)));
                path.push_back(ImVec2(at.x, bar_y));
            }
        };
        std::vector<ImVec2> path, back;
        leg(p.from_host, path);
        if (p.to_host != kNone) leg(p.to_host, back);
        else back.push_back(ImVec2(c.origin.x + c.size.x - 10, bar_y));
        path.insert(path.end(), back.rbegin(), back.rend());
        return path;
    };
    // Every packet's marker first (packets in flight, recent drops where they happened), then the
    // labels over them, most useful first: the selected packet, drops, the newest. A label goes
    // beside its packet, under the label of a packet at the same place, or a little further with a
    // leader line, where it covers no box, address, marker or other label; else beside its packet
    // over the edge of a box; with no such spot it is left out (the marker stays, its tooltip names
    // it) and counted in its network's "+N more".
    struct Mark { uint32_t packet; ImVec2 at; bool dropped; };
    std::vector<Mark> marks;
    std::vector<uint32_t> flying = vm.view.index().packets_in_flight(vm.step);
    for (uint32_t i : flying) marks.push_back({i, along(path_of(i), float(vm.view.progress(i, vm.now))), false});
    for (uint32_t i = 0; i < t.packets.size(); ++i) {  // recent drops, where they happened
        const sim::TracePacket& p = t.packets[i];
        if (!p.dropped || p.end_step == kNone || p.end_step > vm.step || vm.step - p.end_step > kDropLingerSteps) continue;
        float f = std::clamp(float(vm.view.progress(i, vm.view.time_at(p.end_step))), 0.15f, 0.85f);
        marks.push_back({i, along(path_of(i), f), true});
    }
    uint32_t hovered = kNone;
    std::vector<Box> keep_out = reserved;
    for (const Mark& m : marks) {
        ImVec2 lo(m.at.x - r * 1.3f, m.at.y - r), hi(m.at.x + r * 1.3f, m.at.y + r);
        dl->AddRectFilled(lo, hi, theme::packet_color(vm.view.packet(m.packet).kind), r * 0.5f);
        if (vm.selection.packet == m.packet) dl->AddRect(ImVec2(lo.x - 3, lo.y - 3), ImVec2(hi.x + 3, hi.y + 3), theme::kSelected, r * 0.5f, 0, 2.5f * th);
        if (m.dropped) draw_cross(dl, m.at, r * 1.6f, 4.0f * th);
        if (canvas_hovered && dist(mouse, m.at) < r * 2.0f) hovered = m.packet;
        keep_out.push_back({lo, hi});
    }

    // Which packets get a label, in order. Many in flight (a busy server): only the connection
    // shown elsewhere; and never more than kMaxLabels, so that what is labeled can be read.
    auto of_connection = [&](uint32_t i) {
        ConnectionEnds e = vm.view.connection_of_packet(i);
        return i == vm.selection.packet || (e.a != kNone && (e.a == vm.connection.a || e.a == vm.connection.b));
    };
    auto rank = [&](const Mark& m) { return m.packet == vm.selection.packet ? 0 : m.dropped ? 1 : 2; };
    std::vector<Mark> order = marks;
    std::stable_sort(order.begin(), order.end(), [&](const Mark& a, const Mark& b) {
        if (rank(a) != rank(b)) return rank(a) < rank(b);
        return t.packets[a.packet].sent_step != t.packets[b.packet].sent_step
                   ? t.packets[a.packet].sent_step > t.packets[b.packet].sent_step
                   : a.packet > b.packet;
    });
    bool many = flying.size() > kMaxLabels;
    std::map<uint32_t, int> unlabeled;  // per network
    labels.clear();
    // Labels stay in the window (its side padding included) and above the legend.
    float lx_min = ImGui::GetWindowPos().x + 2, lx_max = ImGui::GetWindowPos().x + ImGui::GetWindowWidth() - 2;
    float ly_min = c.origin.y, ly_max = c.origin.y + c.size.y;
    std::vector<std::pair<ImVec2, ImVec2>> leaders;  // drawn so far: later labels keep off them too
    struct Placed { ImVec2 at; Box box; };
    std::vector<Placed> placed;  // the labels drawn so far, and where their packet is
    auto free_at = [&](const Box& b, bool over_boxes) {
        auto hits = [&](const Box& o) { return o.overlaps(b); };
        return b.min.x >= lx_min && b.max.x <= lx_max && b.min.y >= ly_min && b.max.y <= ly_max &&
               std::none_of(keep_out.begin(), keep_out.end(), hits) &&
               (over_boxes || std::none_of(host_boxes.begin(), host_boxes.end(), hits)) &&
               std::none_of(leaders.begin(), leaders.end(), [&](const auto& l) { return b.hit_by(l.first, l.second); });
    };
    if (!show_labels) order.clear();
    for (const Mark& m : order) {
        bool selected = m.packet == vm.selection.packet;
        if (!selected && (labels.size() >= kMaxLabels || (many && !m.dropped && !of_connection(m.packet)))) {
            ++unlabeled[t.packets[m.packet].network];
            continue;
        }
        const PacketInfo& info = vm.view.packet(m.packet);
        ImU32 color = m.dropped ? theme::kDrop : theme::packet_color(info.kind);
        std::string text = m.dropped ? "✗ " + info.label : info.label;
        ImVec2 ts = vm.fonts.bold->CalcTextSizeA(fs, FLT_MAX, 0, text.c_str());  // as label() draws it
        // Beside the packet (right, left, a little lower or higher, the four corners, above, below);
        // then against the label of a packet at the same place (sent together: a stack of labels);
        // then up to four rows further up or down, tied to it by a leader line that crosses nothing.
        ImVec2 at = m.at;
        float dx = r * 1.3f + 4, h = ts.y + 2, gap = h * 0.5f + r + 2;
        float right = at.x + dx, left = at.x - dx - ts.x, middle = at.x - ts.x * 0.5f;
        enum class Kind { Beside, Stacked, Leader };
        struct Spot { ImVec2 corner; Kind kind; };
        std::vector<Spot> spots = {{{right, at.y - ts.y * 0.5f}, Kind::Beside}, {{left, at.y - ts.y * 0.5f}, Kind::Beside}};
        for (float x : {right, left}) {  // a little lower or higher: a name or an address just above or below
            spots.push_back({{x, at.y - ts.y * 0.2f}, Kind::Beside});
            spots.push_back({{x, at.y - ts.y * 0.8f}, Kind::Beside});
        }
        for (float x : {right, left}) {
            spots.push_back({{x, at.y - gap - ts.y * 0.5f}, Kind::Beside});
            spots.push_back({{x, at.y + gap - ts.y * 0.5f}, Kind::Beside});
        }
        spots.push_back({{middle, at.y - r - 3 - ts.y}, Kind::Beside});
        spots.push_back({{middle, at.y + r + 3}, Kind::Beside});
        for (const Placed& o : placed) {  // the same place: just below (or above) that label, flush left
            if (dist(o.at, at) > r) continue;
            bool below = o.box.max.y > at.y, above = o.box.min.y < at.y;
            if (below) spots.push_back({{o.box.min.x + 3, o.box.max.y + 1}, Kind::Stacked});
            if (above) spots.push_back({{o.box.min.x + 3, o.box.min.y - ts.y - 1}, Kind::Stacked});
        }
        for (int row = 1; row <= 4; ++row) {
            for (float x : {middle, right, left}) {
                spots.push_back({{x, at.y - r - 3 - ts.y - float(row) * h}, Kind::Leader});
                spots.push_back({{x, at.y + r + 3 + float(row) * h}, Kind::Leader});
            }
        }
        auto box_at = [&](ImVec2 p) { return Box{ImVec2(p.x - 3, p.y - 1), ImVec2(p.x + ts.x + 3, p.y + ts.y + 1)}; };
        auto leader_of = [&](ImVec2 p) {  // from the marker's edge to the label's nearest edge
            bool below = p.y > at.y;
            return std::make_pair(ImVec2(at.x, at.y + (below ? r + 1 : -r - 1)),
                                  ImVec2(std::clamp(at.x, p.x, p.x + ts.x), below ? p.y - 2 : p.y + ts.y + 2));
        };
        // First choice: a spot that covers nothing, in that order: a packet that has just left a
        // host (or is about to reach one) is labeled clear of its box. Last, beside the packet over
        // as little of a host box as it can (never its name), rather than no label at all.
        auto leader_crosses = [&](const Spot& s) {
            auto [a, b] = leader_of(s.corner);
            auto crossed = [&](const Box& o) { return o.hit_by(a, b); };
            return std::any_of(keep_out.begin(), keep_out.end(), crossed) ||
                   std::any_of(host_boxes.begin(), host_boxes.end(), crossed);
        };
        auto on_boxes = [&](const Box& b) {
            float covered = 0;
            for (const Box& o : host_boxes) covered += b.overlap_area(o);
            return covered;
        };
        const Spot* spot = nullptr;
        for (Kind kind : {Kind::Beside, Kind::Stacked, Kind::Leader}) {
            for (const Spot& s : spots) {
                if (s.kind != kind || !free_at(box_at(s.corner), false)) continue;
                if (s.kind == Kind::Leader && leader_crosses(s)) continue;
                spot = &s;
                break;
            }
            if (spot) break;
        }
        if (!spot) {
            float least = FLT_MAX;
            for (const Spot& s : spots) {
                if (s.kind == Kind::Leader || !free_at(box_at(s.corner), true)) continue;
                float covered = on_boxes(box_at(s.corner));
                if (covered < least) {
                    least = covered;
                    spot = &s;
                }
            }
        }
        // The selected packet and drops are always labeled: where the label covers the least.
        if (!spot && (selected || m.dropped)) {
            float least = FLT_MAX;
            for (const Spot& s : spots) {
                Box b = box_at(s.corner);
                if (s.kind == Kind::Leader || b.min.x < lx_min || b.max.x > lx_max || b.min.y < ly_min || b.max.y > ly_max) continue;
                float covered = on_boxes(b);
                for (const Box& o : keep_out) covered += b.overlap_area(o);
                if (covered < least) {
                    least = covered;
                    spot = &s;
                }
            }
            if (!spot) spot = &spots[0];
        }
        if (!spot) {
            ++unlabeled[t.packets[m.packet].network];
            continue;
        }
        ImVec2 p = spot->corner;
        Box mine = box_at(p);
        if (spot->kind == Kind::Leader) {
            auto [a, b] = leader_of(p);
            dl->AddLine(a, b, color, 1.2f * th);
            leaders.push_back({a, b});
        }
        keep_out.push_back(mine);
        placed.push_back({at, mine});
        labels.push_back({m.packet, mine.min, mine.max});
        label(dl, p, color, text, vm.fonts.bold);
    }
    // "+N more" at the right end of each network's bar, above or below it, where there is room.
    for (const auto& [network, count] : unlabeled) {
        if (count == 0 || network >= layout.networks.size()) continue;
        char text[48];
        std::snprintf(text, sizeof text, vm.text.more_packets, count);
        ImVec2 ts = ImGui::CalcTextSize(text);
        float bar_y = bar_y_of(network), right = c.origin.x + c.size.x - 8 - ts.x;
        std::vector<ImVec2> spots;
        for (float y : {bar_y - 4 * th - ts.y - 3, bar_y + 4 * th + 3, bar_y - 4 * th - 2 * ts.y - 6})
            for (float x : {right, right - ts.x - fs, c.origin.x + c.size.x * 0.5f}) spots.push_back(ImVec2(x, y));
        if (network < name_boxes.size()) {  // else beside the network's name (a crowded LAN)
            const Box& name = name_boxes[network];
            spots.push_back(ImVec2(name.max.x + fs * 0.6f, name.min.y + 1));
            spots.push_back(ImVec2(name.min.x + 2, name.max.y + 3));
            spots.push_back(ImVec2(name.min.x + 2, name.min.y - ts.y - 3));
        }
        for (ImVec2 p : spots) {
            Box mine{ImVec2(p.x - 3, p.y - 1), ImVec2(p.x + ts.x + 3, p.y + ts.y + 1)};
            if (!free_at(mine, false)) continue;
            keep_out.push_back(mine);
            label(dl, p, theme::kMuted, text);
            break;
        }
    }
    unlabeled_packets = 0;
    for (const auto& entry : unlabeled) unlabeled_packets += entry.second;
    hovered_packet = hovered;
    if (hovered != kNone) {
        const std::string& reason = t.packets[hovered].drop_reason;
        ImGui::SetTooltip("%s%s%s", vm.view.describe(t.packets[hovered].sent_step).c_str(), reason.empty() ? "" : "\n",
                          reason.c_str());
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) out.push_back(cmd::SelectPacket{hovered, false});
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
            context_packet = hovered;
            ImGui::OpenPopup("what_if_topology");
        }
    } else if (hovered_h != kNone) {
        std::string tip = t.hosts[hovered_h].name;
        for (const InterfaceConfig& itf : t.hosts[hovered_h].interfaces)
            tip += "\n" + (itf.adapter.empty() ? itf.network : itf.adapter) + ": " + itf.address.address.to_string() + "/" +
                   std::to_string(itf.address.length);
        ImGui::SetTooltip("%s", tip.c_str());
    }
    if (ImGui::BeginPopup("what_if_topology")) {
        what_if_menu(vm, context_packet, out);
        ImGui::EndPopup();
    }
    if (show_legend) draw_legend(vm, ImVec2(c.origin.x, c.origin.y + c.size.y + 2));
}

void TopologyPanel::draw_legend(const ViewModel& vm, ImVec2 origin) const {
    struct Item { PacketKind kind; const char* name; };
    const Item items[] = {{PacketKind::Syn, "SYN"}, {PacketKind::SynAck, "SYN+ACK"}, {PacketKind::Fin, "FIN"},
                          {PacketKind::Rst, "RST"}, {PacketKind::Data, vm.text.legend_data}, {PacketKind::Ack, vm.text.legend_ack},
                          {PacketKind::Udp, "UDP"}, {PacketKind::Icmp, "ICMP"}};
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* font = ImGui::GetFont();
    // One line, as large as fits the panel (presenter fonts on a small screen are scaled down).
    float fs = ImGui::GetFontSize(), width = fs * (1.05f + 0.3f) + ImGui::CalcTextSize(vm.text.legend_dropped).x;
    for (const Item& it : items) width += fs * 1.65f + ImGui::CalcTextSize(it.name).x;
    float avail = ImGui::GetWindowContentRegionMax().x - ImGui::GetWindowContentRegionMin().x;
    if (width > avail) fs *= std::max(0.6f, avail / width);
    float x = origin.x, y = origin.y + 2;
    for (const Item& it : items) {
        dl->AddRectFilled(ImVec2(x, y + fs * 0.2f), ImVec2(x + fs * 0.9f, y + fs * 0.95f), theme::packet_color(it.kind), 3.0f);
        x += fs * 1.05f;
        dl->AddText(font, fs, ImVec2(x, y), theme::kInk, it.name);
        x += font->CalcTextSizeA(fs, FLT_MAX, 0, it.name).x + fs * 0.6f;
    }
    draw_cross(dl, ImVec2(x + fs * 0.4f, y + fs * 0.55f), fs * 0.35f, 3.0f);
    dl->AddText(font, fs, ImVec2(x + fs * 1.05f, y), theme::kDrop, vm.text.legend_dropped);
}

}  // namespace netstep::viz
