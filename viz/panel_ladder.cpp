// The sequence (ladder) diagram: a lifeline per endpoint, an arrow per packet hop from its
// sending step to its arrival, the current instant as a yellow band kept in view.
//
// [SECTION] Helpers: geometry, lifeline names, label spots, the datagram an ICMP error quotes
// [SECTION] The what-if menu
// [SECTION] The cache: lifelines, arrows, conversations; the rows of the lifelines shown
// [SECTION] The frame: columns, the rows in view, and what is drawn on them so far
// [SECTION] Lifeline names; the diagram's canvas and scrolling
// [SECTION] The current instant, lifelines, times
// [SECTION] Arrows and their labels
// [SECTION] Hover: the tooltip, a click selects, a right-click opens the what-if menu
#include <imgui.h>
#include <imgui_internal.h>  // ImRect

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/journey.hpp"
#include "sim/selector.hpp"
#include "viz/panels.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

//-----------------------------------------------------------------------------
// [SECTION] Helpers
//-----------------------------------------------------------------------------

namespace {

float segment_distance(ImVec2 p, ImVec2 a, ImVec2 b) {
    float dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    float t = len2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0f, 1.0f) : 0.0f;
    return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

void arrow_head(ImDrawList* dl, ImVec2 from, ImVec2 to, ImU32 color, float size) {
    float dx = to.x - from.x, dy = to.y - from.y, len = std::hypot(dx, dy);
    if (len < 1) return;
    dx /= len;
    dy /= len;
    ImVec2 base(to.x - dx * size, to.y - dy * size);
    dl->AddTriangleFilled(to, ImVec2(base.x - dy * size * 0.5f, base.y + dx * size * 0.5f),
                          ImVec2(base.x + dy * size * 0.5f, base.y - dx * size * 0.5f), color);
}

// Where a label of size `ts` goes: above its arrow (else below), at the middle or further along,
// whole within `room` and clear of `taken`; nowhere when there is no such place.
std::optional<ImRect> label_spot(ImVec2 from, ImVec2 to, ImVec2 ts, const ImRect& room, const std::vector<ImRect>& taken) {
    if (ts.x + 6 > room.GetWidth()) return std::nullopt;
    for (bool above : {true, false}) {
        for (float along : {0.5f, 0.3f, 0.7f, 0.18f, 0.82f}) {
            ImVec2 c(from.x + (to.x - from.x) * along, from.y + (to.y - from.y) * along);
            float x = std::clamp(c.x - ts.x * 0.5f - 3, room.Min.x, room.Max.x - ts.x - 6);
            float y = above ? c.y - ts.y - 1 : c.y + 1;
            ImRect r(x, y, x + ts.x + 6, y + ts.y);
            if (!room.Contains(r)) continue;
            if (std::none_of(taken.begin(), taken.end(), [&](const ImRect& o) { return o.Overlaps(r); })) return r;
        }
    }
    return std::nullopt;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] The what-if menu
//-----------------------------------------------------------------------------

void what_if_menu(const ViewModel& vm, uint32_t packet, Commands& out, std::array<ImVec2, 3>* centers) {
    if (packet >= vm.view.trace().packets.size()) return;
    ImGui::TextDisabled("%s %s", vm.text.what_if, vm.view.packet(packet).label.c_str());
    ImGui::Separator();
    bool can = vm.scenario_file != ":demo";
    const char* names[3] = {vm.text.drop_packet, vm.text.delay_packet, vm.text.duplicate_packet};
    const Fault faults[3] = {Fault::Drop, Fault::Delay, Fault::Duplicate};
    for (int i = 0; i < 3; ++i) {
        if (ImGui::MenuItem(names[i], nullptr, false, can)) out.push_back(cmd::WhatIf{packet, faults[i]});
        if (centers) {
            ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
            (*centers)[size_t(i)] = ImVec2((a.x + b.x) * 0.5f, (a.y + b.y) * 0.5f);
        }
    }
}

//-----------------------------------------------------------------------------
// [SECTION] The cache: lifelines, arrows, conversations; the rows of the lifelines shown
//-----------------------------------------------------------------------------

void LadderPanel::build(const ViewModel& vm) {
    static_cast<LadderModel&>(cache) = ladder_model(vm.view);
    cache.generation = vm.generation;
    rows = Rows{};
}

// The other hops of the selected datagram, lit on the ladder: a router's forwarding is an arrow of
// its own, and this shows the arrows of one IP datagram as one journey.
void LadderPanel::find_journey(const ViewModel& vm) {
    if (journey.selected == vm.selection.packet && journey.generation == vm.generation) return;
    journey = Journey{vm.selection.packet, vm.generation, {}};
    std::vector<sim::JourneyHop> hops = sim::journey(vm.view.trace(), vm.selection.packet);
    if (hops.size() < 2) return;
    for (const sim::JourneyHop& hop : hops) journey.packets.push_back(hop.packet);
}

// All lifelines when they fit (or are asked for); else those of the connection shown, of this
// step's socket and packet (or the last one sent), and of the selected packet.
std::vector<bool> LadderPanel::lifelines_to_show(const ViewModel& vm, float avail, float min_col) const {
    size_t n = cache.lifelines.size();
    if (all_lifelines || (n <= kManyLifelines && float(n) * min_col <= avail)) return std::vector<bool>(n, true);
    const sim::Trace& t = vm.view.trace();
    std::vector<bool> flows(cache.flows.size(), false);
    auto add_packet = [&](uint32_t packet) {
        if (packet < cache.packet_flow.size()) flows[cache.packet_flow[packet]] = true;
    };
    auto add_socket = [&](uint32_t history) {  // its conversation: local and remote end
        if (history == kNone) return;
        for (const SocketInfo& row : t.sockets[history].rows) {
            if (!row.remote) continue;
            auto it = cache.flows.find(std::make_tuple(uint8_t(row.type == SocketType::Tcp ? 6 : 17),
                                                       std::min(row.local, *row.remote), std::max(row.local, *row.remote)));
            if (it != cache.flows.end()) flows[it->second] = true;
            break;
        }
    };
    add_socket(vm.connection.a);
    add_socket(vm.connection.b);
    const sim::TraceEvent& e = vm.view.event_at(vm.step);
    if (e.socket != 0) add_socket(vm.view.history_of(e.host, e.socket).value_or(kNone));  // "ECONNREFUSED"
    if (e.kind == sim::EventKind::PacketDelivered || e.kind == sim::EventKind::PacketDropped) add_packet(e.packet);
    uint32_t last = packet_at_or_before(vm.view, vm.step);
    add_packet(last != kNone ? last : 0);  // before any packet: the first one's
    add_packet(vm.selection.packet);
    for (uint32_t hop : journey.packets) add_packet(hop);
    std::vector<bool> shown(n, false);
    bool some = false;
    for (const Arrow& a : cache.arrows) {
        if (!flows[a.flow] || !a.main) continue;  // a broadcast's others: see below
        shown[size_t(a.from)] = shown[size_t(a.to)] = some = true;
    }
    if (!some) return std::vector<bool>(n, true);
    // The broadcast of this step (or the one selected) reaching every host, as many as fit.
    size_t count = size_t(std::count(shown.begin(), shown.end(), true));
    auto fan_out = [&](uint32_t packet) {
        auto it = std::lower_bound(cache.arrows.begin(), cache.arrows.end(), packet,
                                   [](const Arrow& a, uint32_t p) { return a.packet < p; });
        for (; it != cache.arrows.end() && it->packet == packet; ++it) {
            if (shown[size_t(it->to)] || float(count + 1) * min_col > avail) continue;
            shown[size_t(it->to)] = true;
            ++count;
        }
    };
    if (e.packet < t.packets.size() && e.kind >= sim::EventKind::PacketSent && e.kind <= sim::EventKind::PacketDropped) fan_out(e.packet);
    if (vm.selection.packet < t.packets.size()) fan_out(vm.selection.packet);
    return shown;
}

// Each step's y: time compressed (long waits to max_gap), and room for every packet sent between
// the lifelines shown; the others' packets take none.
void LadderPanel::layout_rows(const ViewModel& vm, const std::vector<bool>& shown, float scale) {
    if (rows.shown == shown && rows.scale == scale && !rows.step_y.empty()) return;
    rows.shown = shown;
    rows.scale = scale;
    LadderScale ls{.top = ImGui::GetFontSize(), .gap_min = min_gap * scale, .gap_max = max_gap * scale};
    rows.flight_px = ls.flight();
    rows.step_y = ladder_rows(vm.view.trace(), cache, shown, ls);
}

// The current instant's y: between this step's and the next one's while playing.
float LadderPanel::y_now(const ViewModel& vm) const {
    uint32_t s = std::min<uint32_t>(vm.step, uint32_t(rows.step_y.size() - 1));
    if (s + 1 >= rows.step_y.size()) return rows.step_y[s];
    double span = double((vm.view.time_at(s + 1) - vm.view.time_at(s)).ns);
    double f = span > 0 ? std::clamp(double((vm.now - vm.view.time_at(s)).ns) / span, 0.0, 1.0) : 0.0;
    return rows.step_y[s] + float(f) * (rows.step_y[s + 1] - rows.step_y[s]);
}

//-----------------------------------------------------------------------------
// [SECTION] The frame: columns, the rows in view, and what is drawn on them so far
//-----------------------------------------------------------------------------

struct LadderPanel::Frame {
    const sim::Trace& t;
    float fs = 0, th = 0;                 // font size, line thickness
    float left = 0;                       // the time column's width
    std::vector<int> column = {};         // per lifeline: its column, -1 hidden
    int columns = 0;
    float col_w = 0;                      // a column's width
    std::string name_a = {}, name_b = {}; // the ends of the connection shown: their tags lit
    ImDrawList* dl = nullptr;             // the scrolling diagram's, once it is open
    ImVec2 o{};                           // the diagram's top left (it scrolls)
    float total_w = 0, total_h = 0;
    float y_min = 0, y_max = 0;           // the rows in view, and a little more
    float now_y = 0;                      // the current instant
    bool hovered = false;                 // the mouse is over the diagram (never in screenshots)
    std::vector<ImRect> taken = {};       // time labels, then packet labels

    float x(int lifeline) const { return left + col_w * (float(column[size_t(lifeline)]) + 0.5f); }
    bool shown(const Arrow& a) const { return column[size_t(a.from)] >= 0 && column[size_t(a.to)] >= 0; }
};

// An arrow drawn: its whole path, its tip (short of `to` while in flight), its label's box.
struct LadderPanel::DrawnArrow {
    uint32_t packet;
    ImVec2 from, to, tip;
    bool main = true;                     // the packet's label goes on it (else on its first drawn)
    std::optional<ImRect> label = std::nullopt;
};

void LadderPanel::draw(const ViewModel& vm, Commands& out) {
    if (cache.generation != vm.generation) build(vm);
    find_journey(vm);
    heads.clear();
    labels.clear();
    lines.clear();
    label_centers.clear();
    times.clear();
    shown_time.clear();
    if (cache.arrows.empty() || vm.view.trace().events.empty()) {
        ImGui::TextDisabled("%s", vm.text.no_packets);
        return;
    }
    Frame f = place_columns(vm);
    draw_heads(vm, f);
    ImGui::BeginChild("ladder_scroll", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    open_diagram(vm, f);
    draw_now(vm, f);
    draw_lifelines(f);
    draw_times(vm, f);
    std::vector<DrawnArrow> drawn = draw_arrows(vm, f);
    draw_labels(vm, f, drawn);
    handle_hover(vm, f, drawn, out);
    ImGui::EndChild();
}

// The lifelines shown, their columns and width, the rows' scale; the checkbox that shows them all.
LadderPanel::Frame LadderPanel::place_columns(const ViewModel& vm) {
    float fs = ImGui::GetFontSize();
    Frame f{.t = vm.view.trace(), .fs = fs, .th = vm.thickness, .left = fs * 4.5f};
    float base_w = column_width * (vm.presenter ? 1.35f : 1.0f);
    float avail = ImGui::GetContentRegionAvail().x - f.left - ImGui::GetStyle().ScrollbarSize;
    std::vector<bool> shown = lifelines_to_show(vm, avail, fs * 7.5f);
    layout_rows(vm, shown, fs / 17.0f);
    f.column.assign(cache.lifelines.size(), -1);
    for (size_t c = 0; c < cache.lifelines.size(); ++c)
        if (shown[c]) f.column[c] = f.columns++;
    if (f.columns < int(cache.lifelines.size()) || all_lifelines) {
        ImGui::PushStyleColor(ImGuiCol_FrameBg, theme::to_vec4(theme::rgb(218, 225, 238)));  // seen on white
        ImGui::Checkbox(vm.text.all_lifelines, &all_lifelines);
        ImGui::PopStyleColor();
    }
    // As wide as the panel allows (flatter arrows, room for labels), up to twice the usual; all
    // lifelines asked for may scroll sideways, the others always fit.
    float fill = avail / float(std::max(1, f.columns));
    f.col_w = all_lifelines ? std::max(fill, fs * 7.5f) : std::min(fill, base_w * 2.0f);
    if (vm.connection.a != kNone) f.name_a = vm.view.socket_name(vm.connection.a, vm.step);
    if (vm.connection.b != kNone) f.name_b = vm.view.socket_name(vm.connection.b, vm.step);
    return f;
}

//-----------------------------------------------------------------------------
// [SECTION] Lifeline names; the diagram's canvas and scrolling
//-----------------------------------------------------------------------------

// Lifeline names, above the scrolling diagram (scrolled with it horizontally), cut to their column.
void LadderPanel::draw_heads(const ViewModel& vm, const Frame& f) {
    float fs = f.fs, col_w = f.col_w;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 head = ImGui::GetCursorScreenPos();
    float head_h = fs * 1.7f, head_right = head.x + ImGui::GetContentRegionAvail().x;
    ImGui::Dummy(ImVec2(1, head_h));
    dl->PushClipRect(head, ImVec2(head_right, head.y + head_h), true);
    for (size_t c = 0; c < cache.lifelines.size(); ++c) {
        if (f.column[c] < 0) continue;
        const std::string& name = cache.lifelines[c].name;
        float x = head.x + f.x(int(c)) - scroll_x;
        if (x < head.x - col_w || x > head_right + col_w) continue;  // out of view
        size_t port = name.find(':') != std::string::npos ? name.size() - name.rfind(':') : 0;  // kept whole
        std::string fit = text_fit(vm.fonts.bold, fs, name, col_w - 20.0f, port);
        ImVec2 ts = vm.fonts.bold->CalcTextSizeA(fs, FLT_MAX, 0, fit.c_str());
        ImU32 color = name == f.name_a ? theme::kEndA : name == f.name_b ? theme::kEndB : theme::kInk;
        ImVec2 min(x - ts.x * 0.5f - 6, head.y + 1), max(x + ts.x * 0.5f + 6, head.y + head_h - 2);
        heads.push_back({uint32_t(c), min, max});
        dl->AddRectFilled(min, max, color == theme::kInk ? theme::kHostFill : color, 5.0f);
        text_ellipsis(dl, vm.fonts.bold, fs, ImVec2(x - ts.x * 0.5f, head.y + (head_h - ts.y) * 0.5f),
                      color == theme::kInk ? theme::kInk : theme::kPaper, name, col_w - 20.0f, port);
    }
    dl->PopClipRect();
}

// Inside the scrolling child: the canvas, the rows in view, the scroll kept on the current step.
void LadderPanel::open_diagram(const ViewModel& vm, Frame& f) {
    f.dl = ImGui::GetWindowDrawList();
    f.o = ImGui::GetCursorScreenPos();
    const ImRect inner = ImGui::GetCurrentWindow()->InnerRect;
    view_min = inner.Min;
    view_max = inner.Max;
    f.total_w = f.left + f.col_w * float(f.columns);
    f.total_h = rows.step_y.back() + rows.flight_px + f.fs;
    float view_h = ImGui::GetWindowHeight(), scroll_y = ImGui::GetScrollY();
    scroll_x = ImGui::GetScrollX();
    f.now_y = y_now(vm);
    if (auto_scroll && last_scrolled_step != vm.step) keep_in_view(vm, f, view_h);
    ImGui::InvisibleButton("ladder_canvas", ImVec2(std::max(f.total_w, ImGui::GetContentRegionAvail().x), f.total_h));
    f.hovered = ImGui::IsItemHovered() && !vm.screenshot_mode;
    f.y_min = scroll_y - f.fs * 2;
    f.y_max = scroll_y + view_h + f.fs * 2;
}

// Scrolls (from the next frame) to the current instant, and sideways to the connection shown.
void LadderPanel::keep_in_view(const ViewModel& vm, const Frame& f, float view_h) {
    ImGui::SetScrollY(std::max(0.0f, f.now_y - view_h * 0.55f));
    float lo = FLT_MAX, hi = -FLT_MAX, a_x = -1;
    for (size_t c = 0; c < cache.lifelines.size(); ++c) {
        const std::string& name = cache.lifelines[c].name;
        if (f.column[c] < 0 || name.empty() || (name != f.name_a && name != f.name_b)) continue;
        lo = std::min(lo, f.x(int(c)) - f.col_w * 0.5f);
        hi = std::max(hi, f.x(int(c)) + f.col_w * 0.5f);
        if (name == f.name_a) a_x = f.x(int(c));
    }
    float view_w = ImGui::GetWindowWidth();
    if (lo < hi && (lo < scroll_x || hi > scroll_x + view_w)) {  // both if they fit, else end A centred
        float target = hi - lo <= view_w ? (lo + hi - view_w) * 0.5f : (a_x >= 0 ? a_x - view_w * 0.5f : lo);
        ImGui::SetScrollX(std::max(0.0f, target));
    }
    if (!vm.player.playing()) last_scrolled_step = vm.step;
}

//-----------------------------------------------------------------------------
// [SECTION] The current instant, lifelines, times
//-----------------------------------------------------------------------------

// The band, and in the time column its label: the current time, as the controls write it.
void LadderPanel::draw_now(const ViewModel& vm, Frame& f) {
    f.dl->AddRectFilled(ImVec2(f.o.x, f.o.y + f.now_y - f.fs * 0.45f), ImVec2(f.o.x + f.total_w, f.o.y + f.now_y + f.fs * 0.45f),
                        theme::kNow);
    shown_time = vm.view.format_time(vm.now);
    ImVec2 at(f.o.x + 4, f.o.y + f.now_y - f.fs * 0.5f);
    ImVec2 ts = vm.fonts.bold->CalcTextSizeA(f.fs, FLT_MAX, 0, shown_time.c_str());
    ImRect box(at, ImVec2(at.x + ts.x, at.y + f.fs));
    f.taken.push_back(box);
    times.push_back({kNone, box.Min, box.Max});
    f.dl->AddText(vm.fonts.bold, f.fs, at, theme::kInk, shown_time.c_str());
}

void LadderPanel::draw_lifelines(const Frame& f) const {
    for (size_t c = 0; c < cache.lifelines.size(); ++c) {
        if (f.column[c] < 0) continue;
        float x = f.o.x + f.x(int(c));
        f.dl->AddLine(ImVec2(x, f.o.y + std::max(0.0f, f.y_min)), ImVec2(x, f.o.y + std::min(f.total_h, f.y_max)), theme::kFaint,
                      2.0f * f.th);
    }
}

// The time of each row in the time column: the time of the step the packet was sent at (the axis
// the band moves on; a packet queued behind others leaves the interface later, as the inspector
// and the arrow's slope show), one per instant, kept apart and off the band's.
void LadderPanel::draw_times(const ViewModel& vm, Frame& f) {
    float last_label_y = -1e9f;
    std::string last_label;
    for (const Arrow& a : cache.arrows) {
        if (!f.shown(a)) continue;
        float y = rows.step_y[f.t.packets[a.packet].sent_step];
        if (y < f.y_min || y > f.y_max || y - last_label_y < f.fs * 1.1f) continue;
        std::string buf = vm.view.format_time(vm.view.time_at(f.t.packets[a.packet].sent_step));
        if (buf == last_label || buf == shown_time) continue;  // many packets at one instant: one time label
        ImVec2 at(f.o.x + 4, f.o.y + y - f.fs * 0.5f);
        ImRect box(at, ImVec2(at.x + ImGui::CalcTextSize(buf.c_str()).x, at.y + f.fs));
        if (std::any_of(f.taken.begin(), f.taken.end(), [&](const ImRect& r) { return r.Overlaps(box); })) continue;  // the band's
        last_label = buf;
        last_label_y = y;
        f.taken.push_back(box);
        times.push_back({a.packet, box.Min, box.Max});
        f.dl->AddText(at, theme::kMuted, buf.c_str());
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Arrows and their labels
//-----------------------------------------------------------------------------

// Arrows sent so far between lifelines shown; those in flight grow toward their receiver.
std::vector<LadderPanel::DrawnArrow> LadderPanel::draw_arrows(const ViewModel& vm, const Frame& f) {
    std::vector<DrawnArrow> drawn;
    float fs = f.fs, th = f.th;
    for (const Arrow& a : cache.arrows) {
        const sim::TracePacket& p = f.t.packets[a.packet];
        if (p.sent_step > vm.step) break;
        if (!f.shown(a)) continue;  // another conversation's
        float y0 = rows.step_y[p.sent_step];
        float y1 = a.end_step != kNone ? rows.step_y[a.end_step] : y0 + rows.flight_px;
        if (std::max(y0, y1) < f.y_min || std::min(y0, y1) > f.y_max) continue;
        ImVec2 from(f.o.x + f.x(a.from), f.o.y + y0), to(f.o.x + f.x(a.to), f.o.y + y1);
        bool selected = vm.selection.packet == a.packet;
        bool other_hop = !selected && std::find(journey.packets.begin(), journey.packets.end(), a.packet) != journey.packets.end();
        lines.push_back({a.packet, a.from, a.to, from, to, other_hop});
        bool ended = a.end_step != kNone && a.end_step <= vm.step;
        float k = ended ? 1.0f : float(vm.view.progress(a.packet, vm.now));
        if (p.dropped && ended) k = std::clamp(float(vm.view.progress(a.packet, vm.view.time_at(a.end_step))), 0.2f, 0.8f);
        ImVec2 tip(from.x + (to.x - from.x) * k, from.y + (to.y - from.y) * k);
        ImU32 color = theme::packet_color(vm.view.packet(a.packet).kind);
        if (!a.taken) color = (color & ~IM_COL32_A_MASK) | (ImU32(110) << IM_COL32_A_SHIFT);  // reached, ignored
        // In flight: the way still to go, faint, so that the label (placed on the whole path,
        // where it stays while the packet travels) is seen to belong to an arrow.
        ImDrawList* dl = f.dl;
        if (!ended) dl->AddLine(tip, to, (color & ~IM_COL32_A_MASK) | (ImU32(70) << IM_COL32_A_SHIFT), 1.5f * th);
        if (selected) dl->AddLine(from, tip, theme::kSelected, 6.0f * th);
        else if (other_hop) dl->AddLine(from, tip, theme::kJourney, 6.0f * th);  // the same datagram, another hop
        dl->AddLine(from, tip, color, (selected ? 3.5f : a.main ? 2.5f : 2.0f) * th);
        if (p.dropped && ended) {
            float r = fs * 0.5f;
            dl->AddLine(ImVec2(tip.x - r, tip.y - r), ImVec2(tip.x + r, tip.y + r), theme::kDrop, 4.0f * th);
            dl->AddLine(ImVec2(tip.x - r, tip.y + r), ImVec2(tip.x + r, tip.y - r), theme::kDrop, 4.0f * th);
        } else {
            arrow_head(dl, from, tip, color, fs * 0.7f * th);
        }
        drawn.push_back({a.packet, from, to, tip, a.main});
    }
    return drawn;
}

// Labels, on top of every arrow: the packet of this step first, then the selected one, then the
// newest. Each above (or below) its arrow where it covers no other label and stays whole in view,
// right of the times; none rather than two on top of each other (the tooltip still names the packet).
void LadderPanel::draw_labels(const ViewModel& vm, Frame& f, std::vector<DrawnArrow>& drawn) {
    const sim::TraceEvent& now_event = vm.view.event_at(vm.step);
    auto rank = [&](const DrawnArrow& d) {
        if (d.packet == now_event.packet && now_event.kind == sim::EventKind::PacketSent) return 0;
        return vm.selection.packet == d.packet ? 1 : 2;
    };
    std::stable_sort(drawn.begin(), drawn.end(), [&](const DrawnArrow& a, const DrawnArrow& b) {
        if (rank(a) != rank(b)) return rank(a) < rank(b);
        return a.packet != b.packet ? a.packet > b.packet : a.main > b.main;
    });
    ImRect view(ImVec2(std::max(view_min.x + 2, f.o.x + f.left - f.fs * 0.5f), view_min.y), ImVec2(view_max.x - 2, view_max.y));
    uint32_t last = kNone;
    for (DrawnArrow& d : drawn) {
        if (d.packet == last) continue;  // one label per packet: a broadcast's on its main arrow
        last = d.packet;
        const PacketInfo& info = vm.view.packet(d.packet);
        ImVec2 ts = vm.fonts.bold->CalcTextSizeA(f.fs, FLT_MAX, 0, info.label.c_str());
        d.label = label_spot(d.from, d.to, ts, view, f.taken);
        if (!d.label) continue;
        const ImRect& spot = *d.label;
        f.taken.push_back(spot);
        labels.push_back({d.packet, spot.Min, spot.Max});
        f.dl->AddRectFilled(spot.Min, spot.Max, theme::rgb(255, 255, 255, 225), 3.0f);
        f.dl->AddText(vm.fonts.bold, f.fs, ImVec2(spot.Min.x + 3, spot.Min.y), theme::packet_color(info.kind), info.label.c_str());
        label_centers.emplace_back(d.packet, spot.GetCenter());
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Hover: the tooltip, a click selects, a right-click opens the what-if menu
//-----------------------------------------------------------------------------

void LadderPanel::handle_hover(const ViewModel& vm, const Frame& f, const std::vector<DrawnArrow>& drawn, Commands& out) {
    uint32_t hovered = kNone;
    if (f.hovered) {
        ImVec2 m = ImGui::GetIO().MousePos;
        for (const DrawnArrow& d : drawn) {
            if ((d.label && d.label->Contains(m)) || segment_distance(m, d.from, d.tip) < 6.0f) {
                hovered = d.packet;
                break;
            }
        }
    }
    if (hovered != kNone) {
        TextTooltip(vm.view.describe(f.t.packets[hovered].sent_step));
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) out.push_back(cmd::SelectPacket{hovered, true});
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
            context_packet = hovered;
            ImGui::OpenPopup("what_if");
        }
    }
    if (ImGui::BeginPopup("what_if")) {
        what_if_menu(vm, context_packet, out, &menu_centers);
        ImGui::EndPopup();
    }
}

}  // namespace netstep::viz
