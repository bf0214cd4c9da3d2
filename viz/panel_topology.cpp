// Topology: networks as bars, hosts attached to them, routers between; packets moving along the
// links at their true relative timing, colored by kind and labeled; drops as red crosses.
//
// [SECTION] Geometry helpers
// [SECTION] Layout: where hosts and bars go, in pixels (spread rows, or a crowded LAN's grid)
// [SECTION] The frame: the canvas and what is drawn on it so far (labels keep off it)
// [SECTION] Drawing: bars, links and addresses, hosts, callouts, network names
// [SECTION] Packets: markers, labels, "+N more"
// [SECTION] Hover and what-if; the legend
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "sim/mac_table.hpp"
#include "viz/panels.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

//-----------------------------------------------------------------------------
// [SECTION] Geometry helpers
//-----------------------------------------------------------------------------

namespace {

constexpr uint32_t kDropLingerSteps = 6;   // a drop's cross stays this many steps
constexpr size_t kMaxCopies = 256;         // markers of flooded frames' copies, at most
constexpr size_t kMaxLabels = 8;           // at most this many packet labels; more packets in flight: only
                                           // the shown connection's are labeled
constexpr ImU32 kAddressColor = theme::rgb(40, 60, 110);
constexpr ImU32 kSwitchFill = theme::kNetwork;             // a switch: a dark box, white letters,
constexpr ImU32 kSwitchText = theme::rgb(255, 255, 255);   // its ports light sockets on its edge

struct Box {
    ImVec2 min, max;
    bool overlaps(const Box& o) const { return min.x < o.max.x && o.min.x < max.x && min.y < o.max.y && o.min.y < max.y; }
    bool contains(ImVec2 p) const { return p.x >= min.x && p.x < max.x && p.y >= min.y && p.y < max.y; }
    bool inside(const Box& o) const { return min.x >= o.min.x && max.x <= o.max.x && min.y >= o.min.y && max.y <= o.max.y; }
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

ImFont* font_or_current(ImFont* font) { return font ? font : ImGui::GetFont(); }

// The patch label() draws for `text` at p.
Box label_box(ImVec2 p, const std::string& text, ImFont* font = nullptr) {
    ImFont* f = font_or_current(font);
    ImVec2 ts = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0.0f, text.c_str());
    return {ImVec2(p.x - 2, p.y - 1), ImVec2(p.x + ts.x + 2, p.y + ts.y + 1)};
}

// Text on a white patch so it stays readable over lines; returns the patch.
Box label(ImDrawList* dl, ImVec2 p, ImU32 color, const std::string& text, ImFont* font = nullptr) {
    ImFont* f = font_or_current(font);
    Box b = label_box(p, text, font);
    dl->AddRectFilled(b.min, b.max, theme::rgb(255, 255, 255, 230), 3.0f);
    dl->AddText(f, f->FontSize, p, color, text.c_str());
    return b;
}

std::string address_of(const sim::TraceHost& host) {
    return host.interfaces.empty() ? std::string() : host.interfaces[0].address.address.to_string();
}

// How a row of hosts fits across the canvas: every link has its address on its right, clear of
// the next link's packets, and the boxes do not touch.
struct RowGeometry {
    float width = 0;    // the canvas's
    float margin = 0;   // hosts are spread between the margins when there is room
    float half = 0;     // a box's half width
    float tail = 0;     // right of a link: the packets running down it and its address
    float slot = 0;     // the least distance between two links

    float first() const { return 4 + half; }
    float last() const { return width - 4 - std::max(half, tail); }
    // The most hosts a row holds.
    size_t fit() const { return last() <= first() ? 1 : 1 + size_t((last() - first()) / slot); }
    // The links of a row of k: spread between the margins (the usual look), else packed.
    std::vector<float> links(size_t k) const {
        std::vector<float> xs(k);
        float spread = (width - 2 * margin) / float(std::max<size_t>(1, k));
        for (size_t i = 0; i < k; ++i) xs[i] = margin + spread * (float(i) + 0.5f);
        if (k == 0 || ((k == 1 || spread >= slot) && xs.front() >= first() && xs.back() <= last())) return xs;
        if (k == 1) return {std::max(first(), std::min(width * 0.5f, last()))};
        float step = std::max(0.0f, last() - first()) / float(k - 1);
        for (size_t i = 0; i < k; ++i) xs[i] = first() + step * float(i);
        return xs;
    }
    float spacing(size_t k) const {
        std::vector<float> xs = links(k);
        return xs.size() < 2 ? width : xs[1] - xs[0];
    }
};

// The rows of `layout`'s boxes and markers on a canvas, with the widest address of the trace.
RowGeometry row_geometry(const sim::Trace& t, ImVec2 canvas, const TopologyPanel::Layout& layout, bool addresses) {
    float fs = layout.font_size, m = layout.marker * 1.3f;  // m: a marker's half width
    float address_w = 0;
    for (const sim::TraceHost& host : t.hosts)
        for (const InterfaceConfig& itf : host.interfaces)
            address_w = std::max(address_w, ImGui::CalcTextSize(itf.address.address.to_string().c_str()).x);
    RowGeometry row;
    row.width = canvas.x;
    row.margin = std::min(canvas.x * 0.12f, fs * 4.0f);
    row.half = layout.box_half.x;
    row.tail = addresses ? m + 5 + address_w + 2 : m;
    row.slot = std::max(fs * 1.9f * 2 + fs * 0.6f, row.tail + m + 4);
    return row;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Layout
//-----------------------------------------------------------------------------

// Networks stacked top to bottom; single-homed hosts in rows beside their network's bar (above
// the first, below the last, both sides for the ones between, and for a single LAN whose row
// would be too long); routers between their networks. A single LAN with more hosts than one row
// on each side holds (a lab): see crowded_layout.
void TopologyPanel::compute_layout(const ViewModel& vm, ImVec2 canvas) {
    const sim::Trace& t = vm.view.trace();
    float fs = ImGui::GetFontSize();
    layout = Layout{};
    layout.generation = vm.generation;
    layout.canvas = canvas;
    layout.font_size = fs;
    layout.marker = fs * 0.45f * (vm.presenter ? 1.2f : 1.0f);
    layout.box_half = ImVec2(std::min(fs * 3.6f, std::max(fs * 1.9f, canvas.x / float(std::max<size_t>(2, t.hosts.size())) * 0.45f)),
                             std::min(fs * 0.95f, std::max(fs * 0.62f, canvas.y * 0.085f)));  // flatter in a short panel
    size_t n = std::max<size_t>(1, t.networks.size());
    float margin_y = fs * 1.6f, usable_h = std::max(1.0f, canvas.y - 2 * margin_y);
    for (size_t k = 0; k < n; ++k) {
        float y = n == 1 ? 0.5f : 0.22f + 0.56f * float(k) / float(n - 1);
        layout.networks.push_back({6.0f, canvas.x - 6.0f, margin_y + y * usable_h});
    }
    std::vector<std::vector<uint32_t>> members(n);
    std::vector<uint32_t> routers;
    layout.hosts.resize(t.hosts.size());
    for (uint32_t h = 0; h < t.hosts.size(); ++h) {
        const sim::TraceHost& host = t.hosts[h];
        if (host.interfaces.size() >= 2) routers.push_back(h);
        else if (!host.interfaces.empty()) members[network_index(t, host.interfaces[0].network)].push_back(h);
    }
    if (n == 1 && routers.empty() && members[0].size() > 2 * row_geometry(t, canvas, layout, show_addresses).fit())
        crowded_layout(vm, canvas, members[0]);
    else {
        spread_layout(vm, canvas, members, routers);
        place_switches(vm, canvas);
    }
}

// A switch where its network's bar would be, centered, as wide as its name and its ports need;
// each port on the edge facing its host (top or bottom), in the order of the hosts across.
void TopologyPanel::place_switches(const ViewModel& vm, ImVec2 canvas) {
    const sim::Trace& t = vm.view.trace();
    float fs = layout.font_size;
    for (uint32_t k = 0; k < t.networks.size() && k < layout.networks.size(); ++k) {
        if (!t.networks[k].switched) continue;
        Switch sw;
        sw.network = k;
        sw.center = ImVec2(canvas.x * 0.5f, layout.networks[k].y);
        std::vector<sim::SwitchPort> ports = sim::switch_ports(t, k);
        size_t above = 0, below = 0;
        for (const sim::SwitchPort& p : ports) ++(layout.hosts[p.host].at.y < sw.center.y ? above : below);
        float name_w = vm.fonts.bold->CalcTextSizeA(fs, FLT_MAX, 0, t.networks[k].name.c_str()).x;
        std::string kind = std::string(vm.text.switch_word) + "  " + t.networks[k].subnet.to_string();
        float kind_w = ImGui::CalcTextSize(kind.c_str()).x;
        float word_w = ImGui::CalcTextSize(vm.text.switch_word).x;
        // Room between two ports for both their numbers; as wide as half the row of hosts.
        float lo = canvas.x, hi = 0;
        for (const sim::SwitchPort& p : ports) {
            lo = std::min(lo, layout.hosts[p.host].at.x);
            hi = std::max(hi, layout.hosts[p.host].at.x);
        }
        // Two lines (name; "switch" and subnet) where there is room above and below, else one:
        // never closer to a host's box than a packet's marker needs to pass.
        float room_y = fs * 1.3f;
        for (const sim::SwitchPort& p : ports) {
            float gap = std::abs(layout.hosts[p.host].at.y - sw.center.y) - layout.box_half.y;
            room_y = std::min(room_y, (gap - layout.marker * 2.0f - 4.0f) * 0.6f);
        }
        sw.two_lines = room_y >= fs * 1.1f;
        size_t most = std::max(above, below);
        float text_w = 0, w = 0;
        if (sw.two_lines) {
            w = std::max({name_w, kind_w + fs * 1.6f, float(most) * fs * 3.6f, (hi - lo) * 0.5f}) + fs * 1.2f;
        } else {
            text_w = name_w + fs * 0.5f + word_w + fs * 1.2f;
            w = text_w + float(most) * fs * 3.4f;
        }
        sw.half = ImVec2(std::min(w * 0.5f, canvas.x * 0.45f), std::max(fs * 0.62f, std::min(fs * 1.3f, room_y)));
        float ports_x0 = sw.center.x - sw.half.x + std::min(text_w, sw.half.x), ports_w = sw.center.x + sw.half.x - ports_x0;
        for (bool top : {true, false}) {
            std::vector<uint32_t> side;
            for (uint32_t i = 0; i < ports.size(); ++i)
                if ((layout.hosts[ports[i].host].at.y < sw.center.y) == top) side.push_back(i);
            std::stable_sort(side.begin(), side.end(), [&](uint32_t a, uint32_t b) {
                return layout.hosts[ports[a].host].at.x < layout.hosts[ports[b].host].at.x;
            });
            for (size_t j = 0; j < side.size(); ++j) {
                float x = ports_x0 + ports_w * (float(j) + 0.5f) / float(side.size());
                float y = sw.center.y + (top ? -sw.half.y : sw.half.y);
                const sim::SwitchPort& p = ports[side[j]];
                sw.ports.push_back({p.host, p.interface, side[j] + 1, ImVec2(x, y)});
            }
        }
        layout.switches.push_back(std::move(sw));
    }
}

const TopologyPanel::Port* TopologyPanel::Switch::port_of(uint32_t host, uint32_t interface) const {
    for (const Port& p : ports)
        if (p.host == host && (interface == kNone || p.interface == interface)) return &p;
    return nullptr;
}

const TopologyPanel::Switch* TopologyPanel::switch_of(uint32_t network) const {
    for (const Switch& sw : layout.switches)
        if (sw.network == network) return &sw;
    return nullptr;
}

// Where a host's line to a switch's port leaves its box: the middle of the edge facing the port.
ImVec2 TopologyPanel::host_end(uint32_t host, ImVec2 port) const {
    const Node& node = layout.hosts[host];
    return ImVec2(node.at.x, node.at.y + (port.y > node.at.y ? layout.box_half.y : -layout.box_half.y));
}

// Rows beside each bar (both sides when one row would be too long), the boxes as wide as the
// tightest row leaves room for; routers between their networks.
void TopologyPanel::spread_layout(const ViewModel& vm, ImVec2 canvas, const std::vector<std::vector<uint32_t>>& members,
                                  const std::vector<uint32_t>& routers) {
    const sim::Trace& t = vm.view.trace();
    float fs = layout.font_size;
    float margin_y = fs * 1.6f, usable_h = std::max(1.0f, canvas.y - 2 * margin_y);
    RowGeometry row = row_geometry(t, canvas, layout, show_addresses);
    size_t n = members.size();
    float narrowest = canvas.x;
    for (size_t k = 0; k < n; ++k) {
        const std::vector<uint32_t>& hosts = members[k];
        bool middle = n > 2 && k > 0 && k + 1 < n;
        bool both_sides = middle || hosts.size() > row.fit() || (n == 1 && hosts.size() > 4);
        int side_of_first = (k == 0 && n > 1) || n == 1 ? -1 : 1;
        size_t per_side = both_sides ? (hosts.size() + 1) / 2 : hosts.size();
        size_t per_row = std::max<size_t>(1, std::min(per_side, row.fit()));
        size_t rows = (per_side + per_row - 1) / per_row;
        // Between a row and the bar: room for the address label, however large the font.
        float gap = rows == 1 ? (n == 1 ? 0.3f : 0.22f) : std::max(0.08f, fs * 2.6f / std::max(1.0f, canvas.y));
        if (rows == 1) gap = std::min(0.45f, std::max(gap, fs * 2.9f / usable_h));
        // A lone switch with one row of hosts: the switch low, the hosts high, the port lines
        // between them long enough to watch a frame go out of each port.
        if (n == 1 && !both_sides && rows == 1 && t.networks[k].switched) {
            layout.networks[k].y = margin_y + 0.8f * usable_h;
            gap = 0.62f;
        }
        for (size_t i = 0; i < hosts.size(); ++i) {
            int side = both_sides ? (i % 2 == 0 ? side_of_first : -side_of_first) : side_of_first;
            size_t j = both_sides ? i / 2 : i;
            size_t r = j / per_row, in_row = std::min(per_row, per_side - r * per_row);
            // Both sides, an odd count: the second side holds one less.
            if (both_sides && side != side_of_first) in_row = std::min(in_row, hosts.size() / 2 - r * per_row);
            float x = row.links(in_row)[j % per_row];
            float y = std::clamp(layout.networks[k].y + float(side) * gap * usable_h * float(r + 1), margin_y, margin_y + usable_h);
            layout.hosts[hosts[i]] = {ImVec2(x, y), x, false, false, false};
            if (in_row > 1) narrowest = std::min(narrowest, row.spacing(in_row));
        }
    }
    layout.box_half.x = std::max(fs * 1.5f, std::min(layout.box_half.x, (narrowest - fs * 0.6f) * 0.5f));
    for (size_t r = 0; r < routers.size(); ++r) {
        const sim::TraceHost& host = t.hosts[routers[r]];
        float y = 0;
        for (const auto& itf : host.interfaces) y += layout.networks[network_index(t, itf.network)].y;
        float x = row.margin + (canvas.x - 2 * row.margin) * (float(r) + 0.5f) / float(routers.size());
        layout.hosts[routers[r]] = {ImVec2(x, y / float(host.interfaces.size())), x, true, false, false};
    }
}

// A lab: the busiest host (the server everyone talks to) on the bar at the left, in a strip that
// also holds its address and the addresses of the lit clients; the others in small boxes in
// columns above and below the bar, each column's hosts hanging from one vertical link, with room
// beside the link for the packets running along it, so no link, packet or label crosses a box.
void TopologyPanel::crowded_layout(const ViewModel& vm, ImVec2 canvas, std::vector<uint32_t> members) {
    const sim::Trace& t = vm.view.trace();
    float fs = ImGui::GetFontSize(), pad = fs * 0.5f;
    std::vector<uint32_t> traffic(t.hosts.size(), 0);
    for (const sim::TracePacket& p : t.packets) {
        if (p.from_host < traffic.size()) ++traffic[p.from_host];
        if (p.to_host < traffic.size()) ++traffic[p.to_host];
    }
    auto busiest = std::max_element(members.begin(), members.end(), [&](uint32_t a, uint32_t b) { return traffic[a] < traffic[b]; });
    uint32_t server = *busiest;
    members.erase(busiest);

    float name_w = 0, callout_w = ImGui::CalcTextSize(address_of(t.hosts[server]).c_str()).x;
    for (uint32_t h : members) {
        name_w = std::max(name_w, vm.fonts.bold->CalcTextSizeA(fs, FLT_MAX, 0, t.hosts[h].name.c_str()).x);
        callout_w = std::max(callout_w, ImGui::CalcTextSize((t.hosts[h].name + "  " + address_of(t.hosts[h])).c_str()).x);
    }
    ImVec2 big = layout.box_half;
    float strip = std::min(canvas.x * 0.4f, std::max(2 * big.x, callout_w + 4));
    float bar_y = canvas.y * 0.5f;
    layout.strip = pad + strip;
    float server_x = pad + strip * 0.5f;
    layout.hosts[server] = {ImVec2(server_x, bar_y), server_x + big.x, false, true, false};
    layout.networks[0] = {server_x + big.x, canvas.x - 6.0f, bar_y};

    // Columns right of the strip: as many as the longest name allows, each a link with its
    // packets on either side, then the boxes.
    float line = ImGui::GetTextLineHeight() + 4;  // the network's name above the columns
    float m = std::min(layout.marker, fs * 0.42f) * 1.3f;
    float left = layout.strip + fs * 0.6f, avail = std::max(fs * 3, canvas.x - pad - left);
    float min_cell = 2 * m + 9 + name_w * 0.8f + fs * 0.6f;
    size_t columns = std::max<size_t>(1, size_t(avail / min_cell));
    size_t rows = (members.size() + 2 * columns - 1) / (2 * columns);
    columns = (members.size() + 2 * rows - 1) / (2 * rows);  // spread the columns evenly
    float cell = avail / float(columns);
    float pitch = std::min(fs * 1.55f, (bar_y - fs * 0.6f - line) / float(rows));
    layout.compact_half = ImVec2(std::max(fs * 0.5f, std::min(cell - 2 * m - 9, name_w + fs * 0.6f) * 0.5f), std::min(fs * 0.62f, pitch * 0.42f));
    layout.marker = std::min(m / 1.3f, layout.compact_half.y * 0.75f);
    m = layout.marker * 1.3f;
    size_t half = (members.size() + 1) / 2;
    for (size_t i = 0; i < members.size(); ++i) {
        bool above = i < half;
        size_t j = above ? i : i - half;
        size_t col = j / rows, row = j % rows;
        float link = left + cell * float(col) + m + 2;
        float x = link + m + 3 + layout.compact_half.x;
        float y = bar_y + (above ? -1.0f : 1.0f) * (fs * 0.55f + pitch * (float(row) + 0.5f));
        layout.hosts[members[i]] = {ImVec2(x, y), link, false, false, true};
    }
}

namespace {

// Where a packet's label may go, in order of preference: beside the packet (right, left, a little
// lower or higher, the four corners, above, below); then against the label of a packet at the
// same place (sent together: a stack of labels); then up to four rows further up or down, tied to
// it by a leader line.
enum class SpotKind { Beside, Stacked, Leader };
struct Spot { ImVec2 corner; SpotKind kind; };
struct Placed { ImVec2 at; Box box; };

// A packet label of size ts for the marker at `at` (half height r): its patch and leader line.
struct LabelShape {
    ImVec2 at, ts;
    float r;
    Box box(ImVec2 corner) const { return {ImVec2(corner.x - 3, corner.y - 1), ImVec2(corner.x + ts.x + 3, corner.y + ts.y + 1)}; }
    std::pair<ImVec2, ImVec2> leader(ImVec2 corner) const {  // from the marker's edge to the label's nearest edge
        bool below = corner.y > at.y;
        return {ImVec2(at.x, at.y + (below ? r + 1 : -r - 1)),
                ImVec2(std::clamp(at.x, corner.x, corner.x + ts.x), below ? corner.y - 2 : corner.y + ts.y + 2)};
    }
};

std::vector<Spot> label_spots(ImVec2 at, ImVec2 ts, float r, const std::vector<Placed>& placed) {
    float dx = r * 1.3f + 4, h = ts.y + 2, gap = h * 0.5f + r + 2;
    float right = at.x + dx, left = at.x - dx - ts.x, middle = at.x - ts.x * 0.5f;
    std::vector<Spot> spots = {{{right, at.y - ts.y * 0.5f}, SpotKind::Beside}, {{left, at.y - ts.y * 0.5f}, SpotKind::Beside}};
    for (float x : {right, left}) {  // a little lower or higher: a name or an address just above or below
        spots.push_back({{x, at.y - ts.y * 0.2f}, SpotKind::Beside});
        spots.push_back({{x, at.y - ts.y * 0.8f}, SpotKind::Beside});
    }
    for (float x : {right, left}) {
        spots.push_back({{x, at.y - gap - ts.y * 0.5f}, SpotKind::Beside});
        spots.push_back({{x, at.y + gap - ts.y * 0.5f}, SpotKind::Beside});
    }
    spots.push_back({{middle, at.y - r - 3 - ts.y}, SpotKind::Beside});
    spots.push_back({{middle, at.y + r + 3}, SpotKind::Beside});
    for (const Placed& o : placed) {  // the same place: just below (or above) that label, flush left
        if (dist(o.at, at) > r) continue;
        if (o.box.max.y > at.y) spots.push_back({{o.box.min.x + 3, o.box.max.y + 1}, SpotKind::Stacked});
        if (o.box.min.y < at.y) spots.push_back({{o.box.min.x + 3, o.box.min.y - ts.y - 1}, SpotKind::Stacked});
    }
    for (int row = 1; row <= 4; ++row) {  // then a long label (ARP's) pushed aside by a box or a name
        for (float x : {middle, right, left, middle - ts.x * 0.3f, middle + ts.x * 0.3f}) {
            spots.push_back({{x, at.y - r - 3 - ts.y - float(row) * h}, SpotKind::Leader});
            spots.push_back({{x, at.y + r + 3 + float(row) * h}, SpotKind::Leader});
        }
    }
    return spots;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] The frame
//-----------------------------------------------------------------------------

// A packet's marker. A flooded frame has one per host it is on its way to: one carries the label
// (toward the host the frame is for), the others are copies.
struct TopologyPanel::Mark { uint32_t packet; ImVec2 at; bool dropped; bool copy = false; bool ignored = false; };

struct TopologyPanel::Frame {
    const sim::Trace& t;
    ImDrawList* dl;
    ImVec2 origin, size;                  // the canvas
    float fs, th, r;                      // font size, line thickness, a marker's half height
    bool hovered;                         // the mouse is over the canvas (never in screenshots)
    ImVec2 mouse;
    Box bounds;                           // labels stay in it: the window's width, the canvas's height
    std::vector<Box> host_boxes = {};     // packet labels keep off them (over an edge only when no spot is left)
    std::vector<Box> names = {};          // host names: nothing covers them
    std::vector<Box> taken = {};          // addresses, network names, markers, labels: labels keep off them
    std::vector<std::pair<ImVec2, ImVec2>> leaders = {};  // leader lines drawn: later labels keep off them too
    std::vector<Box> network_names = {};  // per network: its name's label
    struct Callout { uint32_t host; ImU32 color; };
    std::vector<Callout> callouts = {};   // addresses drawn apart: a crowded LAN's server and lit hosts
    std::map<uint32_t, int> unlabeled = {};  // per network: packets drawn without a label
    std::map<uint32_t, Box> switch_names = {};  // per switched network: its name in its box
    uint32_t hovered_host = kNone, hovered_packet = kNone;

    ImVec2 at(ImVec2 p) const { return ImVec2(origin.x + p.x, origin.y + p.y); }
    bool covers_name(const Box& b) const {
        return std::any_of(names.begin(), names.end(), [&](const Box& o) { return o.overlaps(b); });
    }
    // In bounds, on no name, address, marker, label or leader line (nor on a box, unless allowed).
    bool free(const Box& b, bool over_boxes) const {
        auto hits = [&](const Box& o) { return o.overlaps(b); };
        return b.inside(bounds) && !covers_name(b) && std::none_of(taken.begin(), taken.end(), hits) &&
               (over_boxes || std::none_of(host_boxes.begin(), host_boxes.end(), hits)) &&
               std::none_of(leaders.begin(), leaders.end(), [&](const auto& l) { return b.hit_by(l.first, l.second); });
    }
    // A leader line from `a` (a marker's edge) to `b` crosses something; not a marker it starts
    // on (packets queued together, a pixel apart).
    bool crosses(ImVec2 a, ImVec2 b) const {
        auto crossed = [&](const Box& o) { return o.hit_by(a, b) && !o.contains(a); };
        return std::any_of(taken.begin(), taken.end(), crossed) || std::any_of(host_boxes.begin(), host_boxes.end(), crossed);
    }
    float on_boxes(const Box& b) const {
        float covered = 0;
        for (const Box& o : host_boxes) covered += b.overlap_area(o);
        return covered;
    }
    // The first spot that covers nothing, by kind (beside, stacked, with a leader); else beside
    // the packet over as little of a box as it can; `must` (the selected packet, drops): over as
    // little of anything but a name as it can. Null: no room.
    const Spot* choose_spot(const std::vector<Spot>& spots, const LabelShape& shape, bool must) const {
        for (SpotKind kind : {SpotKind::Beside, SpotKind::Stacked, SpotKind::Leader}) {
            for (const Spot& s : spots) {
                if (s.kind != kind || !free(shape.box(s.corner), false)) continue;
                auto [a, b] = shape.leader(s.corner);
                if (s.kind != SpotKind::Leader || !crosses(a, b)) return &s;
            }
        }
        for (bool anything : {false, true}) {
            if (anything && !must) break;
            const Spot* best = nullptr;
            float least = FLT_MAX;
            for (const Spot& s : spots) {
                Box b = shape.box(s.corner);
                if (s.kind == SpotKind::Leader || (anything ? !b.inside(bounds) || covers_name(b) : !free(b, true))) continue;
                float covered = on_boxes(b);
                if (anything)
                    for (const Box& o : taken) covered += b.overlap_area(o);
                if (covered < least) {
                    least = covered;
                    best = &s;
                }
            }
            if (best) return best;
        }
        return nullptr;
    }
};

//-----------------------------------------------------------------------------
// [SECTION] Drawing: bars, links and addresses, hosts, callouts, network names
//-----------------------------------------------------------------------------

void TopologyPanel::draw(const ViewModel& vm, Commands& out) {
    float legend_h = show_legend ? ImGui::GetFrameHeight() + 4.0f : 0.0f;
    ImVec2 origin = ImGui::GetCursorScreenPos(), size = ImGui::GetContentRegionAvail();
    size.y -= legend_h;
    float fs = ImGui::GetFontSize();
    if (layout.generation != vm.generation || layout.canvas.x != size.x || layout.canvas.y != size.y || layout.font_size != fs)
        compute_layout(vm, size);
    ImGui::InvisibleButton("topology_canvas", ImVec2(std::max(1.0f, size.x), std::max(1.0f, size.y)));
    bool hovered = ImGui::IsItemHovered() && !vm.screenshot_mode;
    // Labels stay in the window (its side padding included) and above the legend.
    Box bounds{ImVec2(ImGui::GetWindowPos().x + 2, origin.y), ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowWidth() - 2, origin.y + size.y)};
    Frame f{.t = vm.view.trace(), .dl = ImGui::GetWindowDrawList(), .origin = origin, .size = size, .fs = fs, .th = vm.thickness,
            .r = layout.marker, .hovered = hovered, .mouse = ImGui::GetIO().MousePos, .bounds = bounds};
    labels.clear();
    host_rects.clear();
    address_rects.clear();
    marker_rects.clear();
    network_rects.clear();
    cut_texts.clear();
    switch_rects.clear();
    port_lines.clear();
    draw_bars(f);
    draw_links(f);
    draw_switches(vm, f);
    draw_hosts(vm, f);
    draw_callouts(f);
    draw_network_names(vm, f);
    draw_packet_labels(vm, f, draw_packets(vm, f));
    draw_more_counts(vm, f);
    handle_hover(vm, f, out);
    if (show_legend) draw_legend(vm, ImVec2(origin.x, origin.y + size.y + 2));
}

void TopologyPanel::draw_bars(Frame& f) const {
    for (size_t k = 0; k < f.t.networks.size() && k < layout.networks.size(); ++k) {
        if (switch_of(uint32_t(k))) continue;  // drawn as a switch
        const Bar& bar = layout.networks[k];
        f.dl->AddLine(f.at(ImVec2(bar.x0, bar.y)), f.at(ImVec2(bar.x1, bar.y)), theme::kNetwork, 7.0f * f.th);
    }
}

// Links straight down (or up) to the bar, each address beside its link between box and bar,
// clear of the packets running down it; a crowded LAN's hosts hang from their column's link.
void TopologyPanel::draw_links(Frame& f) {
    for (uint32_t h = 0; h < f.t.hosts.size(); ++h) {
        const Node& node = layout.hosts[h];
        if (node.on_bar) continue;
        ImVec2 p = f.at(node.at);
        for (uint32_t i = 0; i < f.t.hosts[h].interfaces.size(); ++i) {
            const InterfaceConfig& itf = f.t.hosts[h].interfaces[i];
            if (const Switch* sw = switch_of(network_index(f.t, itf.network))) {
                draw_port_line(f, *sw, h, i);
                continue;
            }
            float bar_y = f.at(ImVec2(0, layout.networks[network_index(f.t, itf.network)].y)).y;
            if (node.compact) {
                float lx = f.origin.x + node.link_x;
                f.dl->AddLine(ImVec2(lx, p.y), ImVec2(lx, bar_y), theme::kNetwork, 1.5f * f.th);
                f.dl->AddLine(ImVec2(lx, p.y), ImVec2(p.x - layout.compact_half.x, p.y), theme::kNetwork, 1.5f * f.th);
                continue;
            }
            f.dl->AddLine(p, ImVec2(p.x, bar_y), theme::kNetwork, 2.5f * f.th);
            if (!show_addresses) continue;
            float box_edge = p.y + (bar_y > p.y ? layout.box_half.y : -layout.box_half.y);
            ImVec2 at(p.x + f.r * 1.3f + 5, (box_edge + bar_y) * 0.5f - f.fs * 0.5f);
            Box b = label(f.dl, at, kAddressColor, itf.address.address.to_string());
            f.taken.push_back(b);
            address_rects.push_back({h, b.min, b.max});
        }
    }
}

// A host's line to its port on a switch: from the middle of its box's edge facing the switch to
// the port; the port's number beside the port, on the side the line does not come from (clear of
// the packets running down it); the host's address on the far side of its box.
void TopologyPanel::draw_port_line(Frame& f, const Switch& sw, uint32_t h, uint32_t interface) {
    const Port* port = sw.port_of(h, interface);
    if (!port) return;
    ImVec2 a = f.at(host_end(h, port->at)), b = f.at(port->at);
    f.dl->AddLine(a, b, theme::kNetwork, 2.5f * f.th);
    bool top = port->at.y < sw.center.y;
    std::string number = std::to_string(port->number);
    ImFont* font = ImGui::GetFont();
    ImVec2 ts = font->CalcTextSizeA(f.fs, FLT_MAX, 0, number.c_str());
    float m = f.r * 1.3f;
    bool from_left = a.x < b.x - 1.0f;
    Box nb;
    if (sw.two_lines) {
        ImVec2 at(from_left ? b.x + m + 4 : b.x - m - 4 - ts.x, top ? b.y - ts.y - 4 : b.y + 4);
        nb = label(f.dl, at, theme::kNetwork, number);
    } else {  // no room outside: inside the switch beside its socket (right of a top port, left of
              // a bottom one), drawn with the switch (draw_switches)
        float s = std::max(3.0f, f.fs * 0.28f) + 3;
        ImVec2 at(top ? b.x + s : b.x - s - ts.x, f.at(sw.center).y - ts.y * 0.5f);
        nb = {at, ImVec2(at.x + ts.x, at.y + ts.y)};
    }
    f.taken.push_back(nb);
    port_lines.push_back({sw.network, h, port->number, a, b, nb.min, nb.max});
    if (!show_addresses) return;
    const InterfaceConfig& itf = f.t.hosts[h].interfaces[interface];
    std::string address = itf.address.address.to_string();
    ImVec2 as = ImGui::CalcTextSize(address.c_str());
    ImVec2 c = f.at(layout.hosts[h].at);
    // A router's other side has its own line: its address beside its box, on the half facing
    // this line's switch.
    ImVec2 where(c.x - as.x * 0.5f, top ? c.y - layout.box_half.y - as.y - 4 : c.y + layout.box_half.y + 4);
    if (f.t.hosts[h].interfaces.size() > 1) where = ImVec2(c.x + layout.box_half.x + 5, b.y < c.y ? c.y - as.y - 1 : c.y + 1);
    Box ab = label(f.dl, where, kAddressColor, address);
    f.taken.push_back(ab);
    address_rects.push_back({h, ab.min, ab.max});
}

// Each switch: a box with its name and "switch" and its subnet, a socket on its edge per port.
void TopologyPanel::draw_switches(const ViewModel& vm, Frame& f) {
    ImFont* bold = vm.fonts.bold;
    ImFont* body = ImGui::GetFont();
    for (const Switch& sw : layout.switches) {
        const sim::TraceNetwork& net = f.t.networks[sw.network];
        ImVec2 c = f.at(sw.center);
        Box box{ImVec2(c.x - sw.half.x, c.y - sw.half.y), ImVec2(c.x + sw.half.x, c.y + sw.half.y)};
        f.dl->AddRectFilled(box.min, box.max, kSwitchFill, 5.0f);
        float s = std::max(3.0f, f.fs * 0.28f);
        for (const Port& p : sw.ports) {
            ImVec2 at = f.at(p.at);
            float inward = (p.at.y < sw.center.y ? 1.0f : -1.0f) * std::max(2.0f, std::min(s * 1.4f, sw.half.y * 0.45f));
            ImVec2 lo(at.x - s, std::min(at.y, at.y + inward)), hi(at.x + s, std::max(at.y, at.y + inward));  // a socket
            f.dl->AddRectFilled(lo, hi, theme::rgb(220, 226, 236), 1.0f);
        }
        bool two_lines = sw.two_lines;  // else "lan  switch" at the left, the subnet in the tooltip
        float room = 2 * sw.half.x - f.fs;
        std::string kind_text = std::string(vm.text.switch_word) + (two_lines ? "  " + net.subnet.to_string() : "");
        ImVec2 ks = body->CalcTextSizeA(f.fs, FLT_MAX, 0, kind_text.c_str());
        std::string name = text_fit(bold, f.fs, net.name, two_lines ? room : std::max(f.fs, room - ks.x - f.fs * 0.5f));
        std::string kind = text_fit(body, f.fs, kind_text, room);
        ImVec2 ns = bold->CalcTextSizeA(f.fs, FLT_MAX, 0, name.c_str());
        ks = body->CalcTextSizeA(f.fs, FLT_MAX, 0, kind.c_str());
        Box name_box, kind_box;
        if (two_lines) {
            float y = c.y - (ns.y + ks.y) * 0.5f;
            name_box = {ImVec2(c.x - ns.x * 0.5f, y), ImVec2(c.x + ns.x * 0.5f, y + ns.y)};
            kind_box = {ImVec2(c.x - ks.x * 0.5f, y + ns.y), ImVec2(c.x + ks.x * 0.5f, y + ns.y + ks.y)};
        } else {
            float x = box.min.x + f.fs * 0.5f, y = c.y - ns.y * 0.5f;
            name_box = {ImVec2(x, y), ImVec2(x + ns.x, y + ns.y)};
            kind_box = {ImVec2(x + ns.x + f.fs * 0.5f, y), ImVec2(x + ns.x + f.fs * 0.5f + ks.x, y + ks.y)};
        }
        f.dl->AddText(bold, f.fs, name_box.min, kSwitchText, name.c_str());
        f.dl->AddText(body, f.fs, kind_box.min, kSwitchText, kind.c_str());
        if (!two_lines) {
            for (const PortLine& line : port_lines)
                if (line.network == sw.network)
                    f.dl->AddText(body, f.fs, line.number_min, kSwitchText, std::to_string(line.number).c_str());
        }
        if (!two_lines) cut_texts.push_back({box.min, box.max, net.name + "  " + std::string(vm.text.switch_word) + "  " + net.subnet.to_string()});
        else if (name != net.name) cut_texts.push_back({box.min, box.max, net.name});
        f.host_boxes.push_back(box);
        f.names.push_back(name_box);
        f.names.push_back(kind_box);
        f.switch_names[sw.network] = name_box;
        switch_rects.push_back({sw.network, box.min, box.max});
    }
}

// Boxes with the name inside, shrunk to fit (down to two thirds, then cut with "…"); the ends of
// the connection shown lit in their colors.
void TopologyPanel::draw_hosts(const ViewModel& vm, Frame& f) {
    const sim::SocketHistory* end_a = vm.connection.a != kNone ? &f.t.sockets[vm.connection.a] : nullptr;
    const sim::SocketHistory* end_b = vm.connection.b != kNone ? &f.t.sockets[vm.connection.b] : nullptr;
    ImFont* bold = vm.fonts.bold;
    for (uint32_t h = 0; h < f.t.hosts.size(); ++h) {
        const Node& node = layout.hosts[h];
        ImVec2 p = f.at(node.at), hb = node.compact ? layout.compact_half : layout.box_half;
        ImU32 border = end_a && end_a->host == h ? theme::kEndA : end_b && end_b->host == h ? theme::kEndB : theme::kInk;
        float bw = border == theme::kInk ? (node.compact ? 1.0f : 1.5f) : (node.compact ? 3.0f : 3.5f);
        float rounding = node.router ? hb.y : node.compact ? 3.0f : 6.0f;
        Box box{ImVec2(p.x - hb.x, p.y - hb.y), ImVec2(p.x + hb.x, p.y + hb.y)};
        f.dl->AddRectFilled(box.min, box.max, node.router ? theme::kRouterFill : theme::kHostFill, rounding);
        f.dl->AddRect(box.min, box.max, border, rounding, 0, bw * f.th);
        f.host_boxes.push_back(box);

        std::string name = clamp_text(f.t.hosts[h].name);
        float room = std::max(1.0f, 2 * hb.x - 6);
        ImVec2 ts = bold->CalcTextSizeA(f.fs, FLT_MAX, 0, name.c_str());
        float by_height = f.fs * (2 * hb.y + 2) / std::max(1.0f, ts.y);
        float size = std::min({f.fs, f.fs * room / std::max(1.0f, ts.x), by_height});
        float least = std::min(by_height, f.fs * 0.66f);
        if (size < least) {  // too long to shrink: cut, the whole name in the host's tooltip
            size = least;
            name = text_fit(bold, size, name, room);
        }
        if (name != f.t.hosts[h].name) cut_texts.push_back({box.min, box.max, f.t.hosts[h].name});
        ImVec2 shown = bold->CalcTextSizeA(size, FLT_MAX, 0, name.c_str());
        Box letters{ImVec2(p.x - shown.x * 0.5f, p.y - shown.y * 0.5f), ImVec2(p.x + shown.x * 0.5f, p.y + shown.y * 0.5f)};
        f.dl->AddText(bold, size, letters.min, theme::kInk, name.c_str());
        f.names.push_back(letters);
        host_rects.push_back({h, box.min, box.max, letters.min, letters.max});

        if (f.hovered && box.contains(f.mouse)) f.hovered_host = h;
        if (show_addresses && (node.on_bar || (node.compact && border != theme::kInk))) f.callouts.push_back({h, border});
    }
    hovered_host = f.hovered_host;
}

// A crowded LAN's addresses: the server's under its box; a lit host's beside its box when there
// is room, else in the strip under the server's, with its name, in its end's color. (A hovered
// host's address is in its tooltip.)
void TopologyPanel::draw_callouts(Frame& f) {
    std::stable_sort(f.callouts.begin(), f.callouts.end(), [&](const Frame::Callout& a, const Frame::Callout& b) {
        return layout.hosts[a.host].on_bar && !layout.hosts[b.host].on_bar;
    });
    float strip_y = f.origin.y + f.size.y * 0.5f + layout.box_half.y + 4;
    for (const Frame::Callout& c : f.callouts) {
        const Node& node = layout.hosts[c.host];
        const sim::TraceHost& host = f.t.hosts[c.host];
        if (host.interfaces.empty()) continue;
        std::string address = address_of(host);
        ImVec2 p = f.at(node.at), ts = ImGui::CalcTextSize(address.c_str());
        Box b;
        if (node.on_bar) {
            ImVec2 at(std::max(f.origin.x + 2, p.x - ts.x * 0.5f), p.y + layout.box_half.y + 4);
            b = label(f.dl, at, kAddressColor, address);
            strip_y = b.max.y + 4;
        } else {
            ImVec2 beside(p.x + layout.compact_half.x + 4, p.y - ts.y * 0.5f);
            Box there = label_box(beside, address);
            if (f.free(there, false)) {
                b = label(f.dl, beside, kAddressColor, address);
            } else {
                std::string text = text_fit(ImGui::GetFont(), f.fs, host.name + "  " + address, layout.strip - f.fs * 0.25f);
                b = label(f.dl, ImVec2(f.origin.x + f.fs * 0.25f, strip_y), c.color, text);
                if (text != host.name + "  " + address) cut_texts.push_back({b.min, b.max, host.name + "  " + address});
                strip_y = b.max.y + 4;
            }
        }
        f.taken.push_back(b);
        address_rects.push_back({c.host, b.min, b.max});
    }
}

// Each network's name and subnet beside its bar (below it at the left, else above, else at the
// right end), or at the canvas's top left (a crowded LAN), where it covers nothing.
void TopologyPanel::draw_network_names(const ViewModel& vm, Frame& f) {
    ImFont* bold = vm.fonts.bold;
    for (size_t k = 0; k < f.t.networks.size() && k < layout.networks.size(); ++k) {
        if (auto sw = f.switch_names.find(uint32_t(k)); sw != f.switch_names.end()) {  // in its switch's box
            f.network_names.push_back(sw->second);
            network_rects.push_back({uint32_t(k), sw->second.min, sw->second.max});
            continue;
        }
        const Bar& bar = layout.networks[k];
        std::string whole = f.t.networks[k].name + "  " + f.t.networks[k].subnet.to_string();
        std::string text = text_fit(bold, bold->FontSize, whole, f.size.x - 12);
        ImVec2 ts = bold->CalcTextSizeA(bold->FontSize, FLT_MAX, 0, text.c_str());
        ImVec2 a = f.at(ImVec2(bar.x0, bar.y)), b = f.at(ImVec2(bar.x1, bar.y));
        float below = a.y + 6 * f.th, above = a.y - 6 * f.th - ts.y;
        ImVec2 top_left(f.origin.x + 6, f.origin.y + 2);
        std::vector<ImVec2> spots = {ImVec2(a.x, below), ImVec2(a.x, above), ImVec2(b.x - ts.x, below), ImVec2(b.x - ts.x, above), top_left,
                                     ImVec2(f.origin.x + 6, f.origin.y + f.size.y - ts.y - 2)};
        if (layout.strip > 0) spots.insert(spots.begin(), top_left);
        ImVec2 at = spots.front();
        for (ImVec2 s : spots) {
            Box there = label_box(s, text, bold);
            if (f.free(there, false)) {
                at = s;
                break;
            }
        }
        Box box = label(f.dl, at, theme::kNetwork, text, bold);
        if (text != whole) cut_texts.push_back({box.min, box.max, whole});
        f.taken.push_back(box);
        f.network_names.push_back(box);
        network_rects.push_back({uint32_t(k), box.min, box.max});
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Packets
//-----------------------------------------------------------------------------

// A hop's path: from just outside the sender's box down its link, along the bar, up the
// receiver's link (host `to`; kNone: to the bar's end) to just outside its box.
std::vector<ImVec2> TopologyPanel::path_of(const Frame& f, uint32_t packet, uint32_t to) const {
    const sim::TracePacket& p = f.t.packets[packet];
    float r = f.r, m = r * 1.3f;
    // Through a switch: down the sender's line into its port, across the switch to the port of
    // the host it goes to, up that line (no host: into the switch, where the frame ends).
    if (const Switch* sw = switch_of(p.network)) {
        std::vector<ImVec2> path;
        auto leg = [&](const Port& port) {  // from just outside the host's box to its port
            ImVec2 a = f.at(host_end(port.host, port.at)), b = f.at(port.at);
            float len = std::max(1.0f, dist(a, b));
            return std::pair{lerp(a, b, std::min(0.5f, (r + 2) / len)), b};
        };
        if (const Port* from = sw->port_of(p.from_host, p.from_interface)) {
            auto [outside, port] = leg(*from);
            path = {outside, port};
        } else {
            path = {f.at(sw->center)};
        }
        const Port* dest = to != kNone ? sw->port_of(to) : nullptr;
        if (dest) {
            auto [outside, port] = leg(*dest);
            path.push_back(port);
            path.push_back(outside);
        } else {
            path.push_back(f.at(sw->center));
        }
        return path;
    }
    float bar_y = f.at(ImVec2(0, layout.networks[std::min<size_t>(p.network, layout.networks.size() - 1)].y)).y;
    auto leg = [&](uint32_t h, std::vector<ImVec2>& path) {  // from the host's box to the bar
        const Node& node = layout.hosts[h];
        ImVec2 at = f.at(node.at), hb = node.compact ? layout.compact_half : layout.box_half;
        if (node.on_bar) {
            path.push_back(ImVec2(at.x + hb.x + m + 2, bar_y));
        } else if (node.compact) {
            float lx = f.origin.x + node.link_x;
            path.push_back(ImVec2(std::max(lx, at.x - hb.x - m - 2), at.y));
            path.push_back(ImVec2(lx, at.y));
            path.push_back(ImVec2(lx, bar_y));
        } else {
            path.push_back(ImVec2(at.x, at.y + (bar_y > at.y ? hb.y + r + 2 : -hb.y - r - 2)));
            path.push_back(ImVec2(at.x, bar_y));
        }
    };
    std::vector<ImVec2> path, back;
    leg(p.from_host, path);
    if (to != kNone) leg(to, back);
    else back.push_back(ImVec2(f.origin.x + f.size.x - 10, bar_y));
    path.insert(path.end(), back.rbegin(), back.rend());
    return path;
}

// Every packet's marker: packets in flight, recent drops where they happened. A flooded frame
// (a broadcast, or a unicast a switch floods) goes to every other host of its network: a marker
// on each link, until it has arrived there (IEEE 802.3 clause 3.2.3).
std::vector<TopologyPanel::Mark> TopologyPanel::draw_packets(const ViewModel& vm, Frame& f) {
    float r = f.r, m = r * 1.3f;
    std::vector<Mark> marks;
    std::vector<uint32_t> flying = vm.view.index().packets_in_flight(vm.step);
    // Copies for the selected packet first, then the newest, up to kMaxCopies (a busy LAN's
    // broadcasts would be thousands); the others show their way to the host they are for.
    std::vector<uint32_t> flooded;
    for (uint32_t i : flying)
        if (f.t.packets[i].flooded) flooded.push_back(i);
    std::stable_sort(flooded.begin(), flooded.end(), [&](uint32_t a, uint32_t b) {
        return (a == vm.selection.packet) != (b == vm.selection.packet) ? a == vm.selection.packet : a > b;
    });
    size_t budget = kMaxCopies;
    std::set<uint32_t> fanned;
    for (uint32_t i : flooded) {
        size_t n = vm.view.hosts_on(f.t.packets[i].network).size();
        if (n > budget) break;
        budget -= n;
        fanned.insert(i);
    }
    for (uint32_t i : flying) {
        const sim::TracePacket& p = f.t.packets[i];
        float k = float(vm.view.progress(i, vm.now));
        if (!p.flooded || !fanned.count(i)) {
            marks.push_back({i, along(path_of(f, i, p.flooded ? vm.view.addressee(i) : p.to_host), k), false});
            continue;
        }
        std::vector<Reception> reached = vm.view.receptions(i);
        uint32_t for_host = vm.view.addressee(i);
        std::stable_partition(reached.begin(), reached.end(), [&](const Reception& to) { return to.host == for_host; });
        bool labeled = false;
        for (const Reception& to : reached) {
            if (to.step != kNone && to.step <= vm.step) continue;  // there already
            marks.push_back({i, along(path_of(f, i, to.host), k), false, labeled, !to.taken});
            labeled = true;
        }
    }
    for (uint32_t i = 0; i < f.t.packets.size(); ++i) {
        const sim::TracePacket& p = f.t.packets[i];
        if (!p.dropped || p.end_step == kNone || p.end_step > vm.step || vm.step - p.end_step > kDropLingerSteps) continue;
        float t = std::clamp(float(vm.view.progress(i, vm.view.time_at(p.end_step))), 0.15f, 0.85f);
        marks.push_back({i, along(path_of(f, i, vm.view.addressee(i)), t), true});
    }
    for (const Mark& mark : marks) {
        ImVec2 lo(mark.at.x - m, mark.at.y - r), hi(mark.at.x + m, mark.at.y + r);
        ImU32 color = theme::packet_color(vm.view.packet(mark.packet).kind);
        if (mark.ignored) color = (color & ~IM_COL32_A_MASK) | (ImU32(110) << IM_COL32_A_SHIFT);  // not its MAC: ignored
        f.dl->AddRectFilled(lo, hi, color, r * 0.5f);
        if (vm.selection.packet == mark.packet)
            f.dl->AddRect(ImVec2(lo.x - 3, lo.y - 3), ImVec2(hi.x + 3, hi.y + 3), theme::kSelected, r * 0.5f, 0, 2.5f * f.th);
        if (mark.dropped) draw_cross(f.dl, mark.at, r * 1.6f, 4.0f * f.th);
        if (f.hovered && dist(f.mouse, mark.at) < r * 2.0f) f.hovered_packet = mark.packet;
        f.taken.push_back({lo, hi});
        marker_rects.push_back({mark.packet, lo, hi});
    }
    return marks;
}

// Labels over the markers, most useful first: the selected packet, drops, the newest. Many in
// flight (a busy server): only the connection shown elsewhere; never more than kMaxLabels. A label
// goes where it covers no name, box, address, marker or other label; else beside its packet over
// the edge of a box; never on a name. With no such spot it is left out (the marker stays, its
// tooltip names it) and counted in its network's "+N more".
void TopologyPanel::draw_packet_labels(const ViewModel& vm, Frame& f, const std::vector<Mark>& marks) {
    const sim::Trace& t = f.t;
    auto of_connection = [&](uint32_t i) {
        ConnectionEnds e = vm.view.connection_of_packet(i);
        return i == vm.selection.packet || (e.a != kNone && (e.a == vm.connection.a || e.a == vm.connection.b));
    };
    auto rank = [&](const Mark& m) { return m.packet == vm.selection.packet ? 0 : m.dropped ? 1 : 2; };
    std::vector<Mark> order;
    std::copy_if(marks.begin(), marks.end(), std::back_inserter(order), [](const Mark& m) { return !m.copy; });
    std::stable_sort(order.begin(), order.end(), [&](const Mark& a, const Mark& b) {
        if (rank(a) != rank(b)) return rank(a) < rank(b);
        return t.packets[a.packet].sent_step != t.packets[b.packet].sent_step ? t.packets[a.packet].sent_step > t.packets[b.packet].sent_step
                                                                              : a.packet > b.packet;
    });
    size_t flying = size_t(std::count_if(order.begin(), order.end(), [](const Mark& m) { return !m.dropped; }));
    bool many = flying > kMaxLabels;
    if (!show_labels) order.clear();
    std::vector<Placed> placed;
    for (const Mark& m : order) {
        bool selected = m.packet == vm.selection.packet;
        if (!selected && (labels.size() >= kMaxLabels || (many && !m.dropped && !of_connection(m.packet)))) {
            ++f.unlabeled[t.packets[m.packet].network];
            continue;
        }
        const PacketInfo& info = vm.view.packet(m.packet);
        // The label, and a shorter one when it finds no room (ARP's are long; the color says ARP):
        // "who-has 192.168.1.30?", "is-at 02:4e:..". On the frame's marker, else on a copy's.
        std::vector<std::string> texts = {info.label};
        if (info.arp) {
            texts.push_back(info.arp->op == ArpPacket::Op::Request ? "who-has " + info.arp->target_ip.to_string() + "?"
                                                                   : "is-at " + info.arp->sender_mac.to_string());
        }
        std::vector<ImVec2> at = {m.at};
        for (const Mark& c : marks)
            if (c.copy && c.packet == m.packet) at.push_back(c.at);
        std::string text;
        std::optional<LabelShape> shape;
        const Spot* spot = nullptr;
        std::vector<Spot> spots;
        for (size_t k = 0; k < texts.size() * at.size() && !spot; ++k) {
            text = m.dropped ? "✗ " + texts[k / at.size()] : texts[k / at.size()];
            if (vm.view.has_router() && info.ok) text += " ttl=" + std::to_string(info.ttl);  // routers decrement it
            ImVec2 ts = vm.fonts.bold->CalcTextSizeA(f.fs, FLT_MAX, 0, text.c_str());  // as label() draws it
            shape = LabelShape{at[k % at.size()], ts, f.r};
            spots = label_spots(shape->at, ts, f.r, placed);
            spot = f.choose_spot(spots, *shape, (selected || m.dropped) && k + 1 == texts.size() * at.size());
        }
        if (!spot) {
            ++f.unlabeled[t.packets[m.packet].network];
            continue;
        }
        Box mine = shape->box(spot->corner);
        ImU32 color = m.dropped ? theme::kDrop : theme::packet_color(info.kind);
        if (spot->kind == SpotKind::Leader) {
            auto [a, b] = shape->leader(spot->corner);
            f.dl->AddLine(a, b, color, 1.2f * f.th);
            f.leaders.push_back({a, b});
        }
        f.taken.push_back(mine);
        placed.push_back({shape->at, mine});
        labels.push_back({m.packet, mine.min, mine.max});
        label(f.dl, spot->corner, color, text, vm.fonts.bold);
    }
    unlabeled_packets = 0;
    for (const auto& entry : f.unlabeled) unlabeled_packets += entry.second;
}

// "+N more" at the right end of each network's bar, above or below it, or beside its name, where
// there is room.
void TopologyPanel::draw_more_counts(const ViewModel& vm, Frame& f) {
    for (const auto& [network, count] : f.unlabeled) {
        if (count == 0 || network >= layout.networks.size()) continue;
        char text[48];
        std::snprintf(text, sizeof text, vm.text.more_packets, count);
        ImVec2 ts = ImGui::CalcTextSize(text);
        float bar_y = f.at(ImVec2(0, layout.networks[network].y)).y, right = f.origin.x + f.size.x - 8 - ts.x;
        std::vector<ImVec2> spots;
        for (float y : {bar_y - 4 * f.th - ts.y - 3, bar_y + 4 * f.th + 3, bar_y - 4 * f.th - 2 * ts.y - 6})
            for (float x : {right, right - ts.x - f.fs, f.origin.x + f.size.x * 0.5f}) spots.push_back(ImVec2(x, y));
        if (network < f.network_names.size()) {
            const Box& name = f.network_names[network];
            spots.push_back(ImVec2(name.max.x + f.fs * 0.6f, name.min.y + 1));
            spots.push_back(ImVec2(name.min.x + 2, name.max.y + 3));
            spots.push_back(ImVec2(name.min.x + 2, name.min.y - ts.y - 3));
        }
        for (ImVec2 p : spots) {
            Box mine{ImVec2(p.x - 3, p.y - 1), ImVec2(p.x + ts.x + 3, p.y + ts.y + 1)};
            if (!f.free(mine, false)) continue;
            f.taken.push_back(mine);
            label(f.dl, p, theme::kMuted, text);
            break;
        }
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Hover and what-if; the legend
//-----------------------------------------------------------------------------

// A packet: its description (and why it was dropped), click to select, right-click for what-if.
// A host: its name and addresses. A cut text: the whole of it.
void TopologyPanel::handle_hover(const ViewModel& vm, const Frame& f, Commands& out) {
    const sim::Trace& t = f.t;
    hovered_packet = f.hovered_packet;
    if (f.hovered_packet != kNone) {
        const std::string& reason = t.packets[f.hovered_packet].drop_reason;
        TextTooltip(vm.view.describe(t.packets[f.hovered_packet].sent_step) + (reason.empty() ? "" : "\n" + reason));
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) out.push_back(cmd::SelectPacket{f.hovered_packet, false});
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
            context_packet = f.hovered_packet;
            ImGui::OpenPopup("what_if_topology");
        }
    } else if (f.hovered_host != kNone) {
        std::string tip = t.hosts[f.hovered_host].name;
        for (const InterfaceConfig& itf : t.hosts[f.hovered_host].interfaces)
            tip += "\n" + (itf.adapter.empty() ? itf.network : itf.adapter) + ": " + itf.address.address.to_string() + "/" +
                   std::to_string(itf.address.length);
        TextTooltip(tip);
    } else if (f.hovered) {
        for (const CutText& c : cut_texts) {
            if (!Box{c.min, c.max}.contains(f.mouse)) continue;
            TextTooltip(c.text);
            break;
        }
    }
    if (ImGui::BeginPopup("what_if_topology")) {
        what_if_menu(vm, context_packet, out);
        ImGui::EndPopup();
    }
}

void TopologyPanel::draw_legend(const ViewModel& vm, ImVec2 origin) const {
    struct Item { PacketKind kind; const char* name; };
    const Item items[] = {{PacketKind::Syn, "SYN"}, {PacketKind::SynAck, "SYN+ACK"}, {PacketKind::Fin, "FIN"},
                          {PacketKind::Rst, "RST"}, {PacketKind::Data, vm.text.legend_data}, {PacketKind::Ack, vm.text.legend_ack},
                          {PacketKind::Udp, "UDP"}, {PacketKind::Icmp, "ICMP"}, {PacketKind::Arp, "ARP"}};
    // ARP only where there is a link layer (options link: none has none).
    const size_t shown = vm.view.trace().ethernet ? std::size(items) : std::size(items) - 1;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* font = ImGui::GetFont();
    // One line, as large as fits the panel (presenter fonts on a small screen are scaled down).
    float fs = ImGui::GetFontSize(), width = fs * (1.05f + 0.3f) + ImGui::CalcTextSize(vm.text.legend_dropped).x;
    for (size_t i = 0; i < shown; ++i) width += fs * 1.65f + ImGui::CalcTextSize(items[i].name).x;
    float avail = ImGui::GetWindowContentRegionMax().x - ImGui::GetWindowContentRegionMin().x;
    if (width > avail) fs *= std::max(0.6f, avail / width);
    float x = origin.x, y = origin.y + 2;
    for (size_t i = 0; i < shown; ++i) {
        const Item& it = items[i];
        dl->AddRectFilled(ImVec2(x, y + fs * 0.2f), ImVec2(x + fs * 0.9f, y + fs * 0.95f), theme::packet_color(it.kind), 3.0f);
        x += fs * 1.05f;
        dl->AddText(font, fs, ImVec2(x, y), theme::kInk, it.name);
        x += font->CalcTextSizeA(fs, FLT_MAX, 0, it.name).x + fs * 0.6f;
    }
    draw_cross(dl, ImVec2(x + fs * 0.4f, y + fs * 0.55f), fs * 0.35f, 3.0f);
    dl->AddText(font, fs, ImVec2(x + fs * 1.05f, y), theme::kDrop, vm.text.legend_dropped);
}

}  // namespace netstep::viz
