// The sequence (ladder) diagram: a lifeline per endpoint, an arrow per packet hop from its
// sending step to its arrival, the current instant as a yellow band kept in view.
#include <imgui.h>
#include <imgui_internal.h>  // ImRect

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>

#include "viz/panels.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

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

// Which lifeline a hop leaves from / arrives at: the socket's endpoint on the host that owns the
// address, else the host itself (a router forwarding), else the bare address (nobody there).
std::string end_name(const TraceView& v, uint32_t host, Endpoint ep, bool icmp) {
    auto owner = v.index().host_of(ep.address);
    if (host != kNone && owner == host) return icmp ? v.index().host_name(host) : v.index().endpoint_name(ep);
    if (host != kNone) return v.index().host_name(host);
    return icmp ? v.index().address_name(ep.address) : v.index().endpoint_name(ep);
}

}  // namespace

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

void LadderPanel::build(const ViewModel& vm) {
    const TraceView& v = vm.view;
    const sim::Trace& t = v.trace();
    cache = Cache{};
    cache.generation = vm.generation;
    std::map<std::string, int> column;
    auto lifeline = [&](const std::string& name, uint32_t host) {
        auto [it, added] = column.try_emplace(name, int(cache.lifelines.size()));
        if (added) cache.lifelines.push_back({name, host});
        return it->second;
    };
    std::vector<int64_t> flights;
    for (uint32_t i = 0; i < t.packets.size(); ++i) {
        const sim::TracePacket& p = t.packets[i];
        const PacketInfo& info = v.packet(i);
        bool icmp = info.proto == 1;
        int from = lifeline(end_name(v, p.from_host, info.src, icmp), p.from_host);
        int to = lifeline(end_name(v, p.to_host, info.dst, icmp), p.to_host);
        cache.arrows.push_back({i, from, to});
        flights.push_back((p.arrives - p.sent).ns);
    }
    double typical = 1e6;  // ns: the median flight time sets the vertical scale
    if (!flights.empty()) {
        std::nth_element(flights.begin(), flights.begin() + long(flights.size() / 2), flights.end());
        typical = std::max<double>(1.0, double(flights[flights.size() / 2]));
    }
    float px_per_flight = min_gap * 2.2f;
    cache.flight_px = px_per_flight;
    cache.step_y.resize(t.events.size());
    float y = ImGui::GetFontSize();
    for (size_t s = 0; s < t.events.size(); ++s) {
        if (s > 0) {
            double dt = double((t.events[s].time - t.events[s - 1].time).ns);
            float gap = std::min(max_gap, float(dt / typical) * px_per_flight);
            if (t.events[s].kind == sim::EventKind::PacketSent) gap = std::max(gap, min_gap);
            y += gap;
        }
        cache.step_y[s] = y;
    }
}

// The current instant's y: between this step's and the next one's while playing.
float LadderPanel::y_now(const ViewModel& vm) const {
    uint32_t s = std::min<uint32_t>(vm.step, uint32_t(cache.step_y.size() - 1));
    if (s + 1 >= cache.step_y.size()) return cache.step_y[s];
    double span = double((vm.view.time_at(s + 1) - vm.view.time_at(s)).ns);
    double f = span > 0 ? std::clamp(double((vm.now - vm.view.time_at(s)).ns) / span, 0.0, 1.0) : 0.0;
    return cache.step_y[s] + float(f) * (cache.step_y[s + 1] - cache.step_y[s]);
}

void LadderPanel::draw(const ViewModel& vm, Commands& out) {
    if (cache.generation != vm.generation) build(vm);
    const sim::Trace& t = vm.view.trace();
    if (cache.arrows.empty() || cache.step_y.empty()) {
        ImGui::TextDisabled("%s", vm.text.no_packets);
        return;
    }
    float fs = ImGui::GetFontSize(), th = vm.thickness;
    // Columns as wide as the panel allows for a few lifelines (flatter arrows, room for labels),
    // up to twice the usual.
    float col_w = column_width * (vm.presenter ? 1.35f : 1.0f);
    float left = fs * 4.5f;
    const sim::SocketHistory* end_a = vm.connection.a != kNone ? &t.sockets[vm.connection.a] : nullptr;
    const sim::SocketHistory* end_b = vm.connection.b != kNone ? &t.sockets[vm.connection.b] : nullptr;
    std::string name_a = end_a ? vm.view.socket_name(vm.connection.a, vm.step) : "";
    std::string name_b = end_b ? vm.view.socket_name(vm.connection.b, vm.step) : "";
    // A busy server (a lifeline per client): only the shown connection's two, unless asked for all.
    bool many = cache.lifelines.size() > kManyLifelines;
    bool only_connection = many && !all_lifelines && !name_a.empty();
    std::vector<int> column(cache.lifelines.size(), -1);  // per lifeline: its column, -1 hidden
    int columns = 0;
    for (size_t c = 0; c < cache.lifelines.size(); ++c) {
        const std::string& name = cache.lifelines[c].name;
        if (!only_connection || name == name_a || name == name_b) column[c] = columns++;
    }
    float fill = (ImGui::GetContentRegionAvail().x - left - ImGui::GetStyle().ScrollbarSize) / float(std::max(1, columns));
    col_w = std::clamp(fill, col_w, col_w * 2.0f);
    auto col_x = [&](int c) { return left + col_w * (float(column[size_t(c)]) + 0.5f); };
    if (many) {
        ImGui::PushStyleColor(ImGuiCol_FrameBg, theme::to_vec4(theme::rgb(218, 225, 238)));  // seen on white
        ImGui::Checkbox(vm.text.all_lifelines, &all_lifelines);
        ImGui::PopStyleColor();
    }

    // Lifeline names, above the scrolling diagram (scrolled with it horizontally).
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 head = ImGui::GetCursorScreenPos();
    float head_h = fs * 1.7f;
    ImGui::Dummy(ImVec2(1, head_h));
    dl->PushClipRect(head, ImVec2(head.x + ImGui::GetContentRegionAvail().x, head.y + head_h), true);
    for (size_t c = 0; c < cache.lifelines.size(); ++c) {
        if (column[c] < 0) continue;
        const std::string& name = cache.lifelines[c].name;
        float x = head.x + col_x(int(c)) - scroll_x;
        if (x < head.x - col_w || x > head.x + ImGui::GetContentRegionAvail().x + col_w) continue;  // out of view
        ImVec2 ts = vm.fonts.bold->CalcTextSizeA(fs, FLT_MAX, 0, name.c_str());
        ImU32 color = name == name_a ? theme::kEndA : name == name_b ? theme::kEndB : theme::kInk;
        dl->AddRectFilled(ImVec2(x - ts.x * 0.5f - 6, head.y + 1), ImVec2(x + ts.x * 0.5f + 6, head.y + head_h - 2),
                          color == theme::kInk ? theme::kHostFill : color, 5.0f);
        dl->AddText(vm.fonts.bold, fs, ImVec2(x - ts.x * 0.5f, head.y + (head_h - ts.y) * 0.5f),
                    color == theme::kInk ? theme::kInk : theme::kPaper, name.c_str());
    }
    dl->PopClipRect();

    ImGui::BeginChild("ladder_scroll", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    dl = ImGui::GetWindowDrawList();
    ImVec2 o = ImGui::GetCursorScreenPos();
    float total_w = left + col_w * float(columns), total_h = cache.step_y.back() + cache.flight_px + fs;
    float view_h = ImGui::GetWindowHeight(), scroll_y = ImGui::GetScrollY();
    scroll_x = ImGui::GetScrollX();
    float now_y = y_now(vm);
    if (auto_scroll && last_scrolled_step != vm.step) {
        ImGui::SetScrollY(std::max(0.0f, now_y - view_h * 0.55f));
        // The connection shown elsewhere in view too (a busy server has a lifeline per client).
        float lo = FLT_MAX, hi = -FLT_MAX, a_x = -1;
        for (size_t c = 0; c < cache.lifelines.size(); ++c) {
            const std::string& name = cache.lifelines[c].name;
            if (column[c] < 0 || name.empty() || (name != name_a && name != name_b)) continue;
            lo = std::min(lo, col_x(int(c)) - col_w * 0.5f);
            hi = std::max(hi, col_x(int(c)) + col_w * 0.5f);
            if (name == name_a) a_x = col_x(int(c));
        }
        float view_w = ImGui::GetWindowWidth();
        if (lo < hi && (lo < scroll_x || hi > scroll_x + view_w)) {  // both if they fit, else end A centred
            float target = hi - lo <= view_w ? (lo + hi - view_w) * 0.5f : (a_x >= 0 ? a_x - view_w * 0.5f : lo);
            ImGui::SetScrollX(std::max(0.0f, target));
        }
        if (!vm.player.playing()) last_scrolled_step = vm.step;
    }
    ImGui::InvisibleButton("ladder_canvas", ImVec2(std::max(total_w, ImGui::GetContentRegionAvail().x), total_h));
    bool hovered_canvas = ImGui::IsItemHovered() && !vm.screenshot_mode;
    float y_min = scroll_y - fs * 2, y_max = scroll_y + view_h + fs * 2;

    // The current instant, lifelines, times.
    dl->AddRectFilled(ImVec2(o.x, o.y + now_y - fs * 0.45f), ImVec2(o.x + total_w, o.y + now_y + fs * 0.45f), theme::kNow);
    for (size_t c = 0; c < cache.lifelines.size(); ++c) {
        if (column[c] < 0) continue;
        float x = o.x + col_x(int(c));
        dl->AddLine(ImVec2(x, o.y + std::max(0.0f, y_min)), ImVec2(x, o.y + std::min(total_h, y_max)), theme::kFaint, 2.0f * th);
    }
    float last_label_y = -1e9f;
    std::string last_label;
    for (const Arrow& a : cache.arrows) {
        float y = cache.step_y[t.packets[a.packet].sent_step];
        if (y < y_min || y > y_max || y - last_label_y < fs * 1.1f) continue;
        std::string buf = vm.view.format_time(t.packets[a.packet].sent);
        if (buf == last_label) continue;  // many packets at one instant: one time label
        last_label = buf;
        last_label_y = y;
        dl->AddText(ImVec2(o.x + 4, o.y + y - fs * 0.5f), theme::kMuted, buf.c_str());
    }

    // Arrows sent so far; those in flight grow toward their receiver.
    uint32_t hovered = kNone;
    label_centers.clear();
    std::vector<ImRect> labels;  // drawn this frame
    for (const Arrow& a : cache.arrows) {
        const sim::TracePacket& p = t.packets[a.packet];
        if (p.sent_step > vm.step) break;
        float y0 = cache.step_y[p.sent_step];
        float y1 = p.end_step != kNone ? cache.step_y[p.end_step] : y0 + cache.flight_px;
        if (std::max(y0, y1) < y_min || std::min(y0, y1) > y_max) continue;
        if (column[size_t(a.from)] < 0 || column[size_t(a.to)] < 0) continue;  // another client's
        ImVec2 from(o.x + col_x(a.from), o.y + y0), to(o.x + col_x(a.to), o.y + y1);
        bool ended = p.end_step != kNone && p.end_step <= vm.step;
        float f = ended ? 1.0f : float(vm.view.progress(a.packet, vm.now));
        if (p.dropped && ended) f = std::clamp(float(vm.view.progress(a.packet, vm.view.time_at(p.end_step))), 0.2f, 0.8f);
        ImVec2 tip(from.x + (to.x - from.x) * f, from.y + (to.y - from.y) * f);
        const PacketInfo& info = vm.view.packet(a.packet);
        ImU32 color = theme::packet_color(info.kind);
        bool selected = vm.selection.packet == a.packet;
        // In flight: the way still to go, faint, so that the label (placed on the whole path,
        // where it stays while the packet travels) is seen to belong to an arrow.
        if (!ended) dl->AddLine(tip, to, (color & ~IM_COL32_A_MASK) | (ImU32(70) << IM_COL32_A_SHIFT), 1.5f * th);
        if (selected) dl->AddLine(from, tip, theme::kSelected, 6.0f * th);
        dl->AddLine(from, tip, color, (selected ? 3.5f : 2.5f) * th);
        if (p.dropped && ended) {
            float r = fs * 0.5f;
            dl->AddLine(ImVec2(tip.x - r, tip.y - r), ImVec2(tip.x + r, tip.y + r), theme::kDrop, 4.0f * th);
            dl->AddLine(ImVec2(tip.x - r, tip.y + r), ImVec2(tip.x + r, tip.y - r), theme::kDrop, 4.0f * th);
        } else {
            arrow_head(dl, from, tip, color, fs * 0.7f * th);
        }
        std::string text = info.label;
        ImVec2 ts = vm.fonts.bold->CalcTextSizeA(fs, FLT_MAX, 0, text.c_str());
        // Above the arrow's middle, or further along it when that covers an earlier label; no
        // label rather than two on top of each other (the tooltip still names the packet).
        std::optional<ImVec2> spot;
        for (float along : {0.5f, 0.3f, 0.7f, 0.18f, 0.82f}) {
            ImVec2 p(from.x + (to.x - from.x) * along - ts.x * 0.5f, from.y + (to.y - from.y) * along - ts.y - 1);
            ImRect r(p.x - 3, p.y, p.x + ts.x + 3, p.y + ts.y);
            if (std::none_of(labels.begin(), labels.end(), [&](const ImRect& o) { return o.Overlaps(r); })) {
                spot = p;
                break;
            }
        }
        if (!spot && selected) spot = ImVec2((from.x + to.x) * 0.5f - ts.x * 0.5f, (from.y + to.y) * 0.5f - ts.y - 1);
        ImVec2 mid = spot.value_or(ImVec2(-FLT_MAX, -FLT_MAX));
        if (spot) {
            labels.push_back(ImRect(mid.x - 3, mid.y, mid.x + ts.x + 3, mid.y + ts.y));
            dl->AddRectFilled(ImVec2(mid.x - 3, mid.y), ImVec2(mid.x + ts.x + 3, mid.y + ts.y), theme::rgb(255, 255, 255, 225), 3.0f);
            dl->AddText(vm.fonts.bold, fs, mid, color, text.c_str());
            label_centers.emplace_back(a.packet, ImVec2(mid.x + ts.x * 0.5f, mid.y + ts.y * 0.5f));
        }
        if (hovered_canvas) {
            ImVec2 m = ImGui::GetIO().MousePos;
            bool on_label = m.x >= mid.x && m.x <= mid.x + ts.x && m.y >= mid.y && m.y <= mid.y + ts.y;
            if (on_label || segment_distance(m, from, tip) < 6.0f) hovered = a.packet;
        }
    }
    if (hovered != kNone) {
        ImGui::SetTooltip("%s", vm.view.describe(t.packets[hovered].sent_step).c_str());
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
    ImGui::EndChild();
}

}  // namespace netstep::viz
