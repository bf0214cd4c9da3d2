// The time-sequence graph (issue 18): sequence number against time for one direction of one TCP
// connection, as Stevens and tcptrace draw it. The series come from viz/time_sequence (no ImGui);
// this file only maps them to pixels and turns the mouse into zoom, pan and a selection.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "viz/panels.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

namespace {

// Okabe-Ito (colorblind-safe) for the lines; the data blue is the topology's legend's.
constexpr ImU32 kData = theme::packet_color(PacketKind::Data);
constexpr ImU32 kResent = theme::rgb(213, 94, 0);     // vermillion
constexpr ImU32 kWindow = theme::rgb(0, 158, 115);    // bluish green
constexpr ImU32 kCwnd = theme::rgb(204, 121, 167);    // reddish purple
constexpr ImU32 kCursor = theme::rgb(230, 159, 0);    // orange: the current time

ImU32 faded(ImU32 c, bool future) { return future ? (c & 0x00FFFFFFu) | (ImU32(60) << 24) : c; }

double seconds(Instant t) { return double(t.ns) * 1e-9; }

// 1, 2 or 5 times a power of ten, so that `range` holds at most `count` steps.
double nice_step(double range, double count) {
    double raw = range / std::max(1.0, count);
    double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= raw) return m * p;
    return 10.0 * p;
}

std::string time_label(double t, double step) {
    char buf[32];
    if (step >= 1.0) std::snprintf(buf, sizeof buf, "%.0f s", t);
    else if (step >= 0.1) std::snprintf(buf, sizeof buf, "%.1f s", t);
    else if (step >= 0.001) std::snprintf(buf, sizeof buf, "%.0f ms", t * 1e3);
    else std::snprintf(buf, sizeof buf, "%.1f ms", t * 1e3);
    return buf;
}

std::string seq_label(double s, double step, bool kilo) {
    char buf[32];
    if (!kilo) std::snprintf(buf, sizeof buf, "%.0f", s);
    else if (step >= 1000) std::snprintf(buf, sizeof buf, "%.0f kB", s / 1000);
    else std::snprintf(buf, sizeof buf, "%.1f kB", s / 1000);
    return buf;
}

void dashed(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 c, float th, float dash) {
    float len = std::hypot(b.x - a.x, b.y - a.y);
    if (len < 0.5f) return;
    ImVec2 d((b.x - a.x) / len, (b.y - a.y) / len);
    for (float s = 0; s < len; s += 2 * dash) {
        float e = std::min(len, s + dash);
        dl->AddLine(ImVec2(a.x + d.x * s, a.y + d.y * s), ImVec2(a.x + d.x * e, a.y + d.y * e), c, th);
    }
}

bool carries_data(const PacketInfo& p) { return p.payload > 0 || (p.flags & (tcp_flag::SYN | tcp_flag::FIN)); }

}  // namespace

void TimeSequencePanel::draw(const ViewModel& vm, Commands& out) {
    bars.clear();
    time_labels.clear();
    seq_labels.clear();
    cursor_x = -1;
    no_tcp_shown = false;
    if (cache.generation != vm.generation) {
        cache = Cache{};
        cache.generation = vm.generation;
        cache.connections = tcp_connections(vm.view);
        connection = kNone;
        direction = -1;
        zoomed = false;
    }
    if (cache.connections.empty()) {
        ImGui::TextDisabled("%s", vm.text.tsg_no_tcp);
        no_tcp_shown = true;
        shown_connection = kNone;
        return;
    }
    // A new selection elsewhere takes the graph to its connection again.
    if (vm.selection.packet != chosen_for) connection = kNone, direction = -1;
    uint32_t c = connection;
    int dir = direction;
    if (c == kNone) {
        c = default_connection(cache.connections, vm.view, vm.selection.packet);
        const TsgConnection& k = cache.connections[c];
        dir = k.bytes_ba > k.bytes_ab ? 1 : 0;
        if (vm.selection.packet < vm.view.trace().packets.size()) {
            const PacketInfo& p = vm.view.packet(vm.selection.packet);
            if (p.ok && p.proto == ip_proto::TCP && carries_data(p)) dir = p.src == k.a ? 0 : 1;
        }
    }
    if (cache.connection != c || cache.direction != dir) {
        const TsgConnection& k = cache.connections[c];
        cache.series = dir == 0 ? time_sequence(vm.view, k.a, k.b) : time_sequence(vm.view, k.b, k.a);
        cache.connection = c;
        cache.direction = dir;
        zoomed = false;
    }
    shown_connection = c;
    shown_direction = dir;
    draw_selectors(vm);
    draw_plot(vm, out);
}

// One combo for both choices: each direction of each connection ("server:9000 → laptop:63900"),
// then the cwnd checkbox, the reset button and the help mark.
void TimeSequencePanel::draw_selectors(const ViewModel& vm) {
    const sim::TraceIndex& index = vm.view.index();
    auto name = [&](uint32_t c, int d) {
        const TsgConnection& k = cache.connections[c];
        return d == 0 ? index.endpoint_name(k.a) + " → " + index.endpoint_name(k.b)
                      : index.endpoint_name(k.b) + " → " + index.endpoint_name(k.a);
    };
    float fs = ImGui::GetFontSize();
    float combo_w = std::max(fs * 8.0f, ImGui::GetContentRegionAvail().x - fs * 12.0f);
    ImGui::SetNextItemWidth(combo_w);
    std::string current = name(shown_connection, shown_direction);
    if (ImGui::BeginCombo("##tsg_connection", current.c_str())) {
        for (uint32_t k = 0; k < cache.connections.size(); ++k) {
            for (int d = 0; d < 2; ++d) {
                std::string label = name(k, d) + "##" + std::to_string(k * 2 + uint32_t(d));
                if (ImGui::Selectable(label.c_str(), k == shown_connection && d == shown_direction)) {
                    connection = k;
                    direction = d;
                    chosen_for = vm.selection.packet;
                }
            }
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::Checkbox(vm.text.tsg_show_cwnd, &show_cwnd);
    ImGui::SameLine();
    if (zoomed) {
        if (ImGui::Button(vm.text.tsg_reset)) zoomed = false;
    } else {
        ImGui::BeginDisabled();
        ImGui::Button(vm.text.tsg_reset);
        ImGui::EndDisabled();
    }
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered() && !vm.screenshot_mode) TextTooltip(vm.text.tsg_help);
}

void TimeSequencePanel::draw_plot(const ViewModel& vm, Commands& out) {
    const TimeSequence& ts = cache.series;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float fs = ImGui::GetFontSize(), th = vm.thickness;
    ImVec2 origin = ImGui::GetCursorScreenPos();
    ImVec2 avail = ImGui::GetContentRegionAvail();
    if (avail.x < fs * 6 || avail.y < fs * 4) return;
    // The full extent: a little room around the lines.
    double ft0 = seconds(ts.t0), ft1 = seconds(ts.t1);
    if (ft1 - ft0 < 1e-6) ft1 = ft0 + 1e-3;
    double pad = (ft1 - ft0) * 0.03;
    ft0 -= pad, ft1 += pad;
    // The window's edge may stand far above the data: it is cut at 1.3 times the data's height.
    double top = std::max(ts.max_data, show_cwnd ? ts.max_cwnd : 0u);
    double fs1 = std::max(1.0, std::min(double(ts.max_seq), top * 1.3) * 1.06);
    if (!zoomed) view_t0 = ft0, view_t1 = ft1, view_s0 = 0, view_s1 = fs1;
    bool kilo = view_s1 >= 10000;
    // Margins: the widest sequence label at the left, one line of time labels below.
    double seq_step_guess = nice_step(view_s1 - view_s0, 6);
    float label_w = ImGui::CalcTextSize(seq_label(view_s1, seq_step_guess, kilo).c_str()).x;
    plot_min = ImVec2(origin.x + label_w + fs * 0.8f, origin.y + fs * 0.5f);
    plot_max = ImVec2(origin.x + avail.x - fs * 0.6f, origin.y + avail.y - fs * 1.5f);
    float pw = plot_max.x - plot_min.x, ph = plot_max.y - plot_min.y;
    auto x_of = [&](double t) { return plot_min.x + float((t - view_t0) / (view_t1 - view_t0)) * pw; };
    auto y_of = [&](double s) { return plot_max.y - float((s - view_s0) / (view_s1 - view_s0)) * ph; };
    auto t_of = [&](float x) { return view_t0 + double(x - plot_min.x) / pw * (view_t1 - view_t0); };
    auto s_of = [&](float y) { return view_s0 + double(plot_max.y - y) / ph * (view_s1 - view_s0); };

    // The mouse: wheel zooms around it, a drag pans, a click (no drag) selects the segment under it.
    ImGui::SetCursorScreenPos(plot_min);
    ImGui::InvisibleButton("##tsg_plot", ImVec2(pw, ph));
    bool hovered = ImGui::IsItemHovered();
    ImGuiIO& io = ImGui::GetIO();
    if (hovered && io.MouseWheel != 0) {
        double f = std::pow(0.8, double(io.MouseWheel));
        if ((view_t1 - view_t0) * f < 1e-6 || (view_s1 - view_s0) * f < 1.0) f = 1.0;  // 1 µs, 1 byte at most
        double mt = t_of(io.MousePos.x), ms = s_of(io.MousePos.y);
        view_t0 = mt + (view_t0 - mt) * f, view_t1 = mt + (view_t1 - mt) * f;
        view_s0 = ms + (view_s0 - ms) * f, view_s1 = ms + (view_s1 - ms) * f;
        zoomed = true;
    }
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f)) {
        double dt = -double(io.MouseDelta.x) / pw * (view_t1 - view_t0);
        double ds = double(io.MouseDelta.y) / ph * (view_s1 - view_s0);
        view_t0 += dt, view_t1 += dt, view_s0 += ds, view_s1 += ds;
        zoomed = zoomed || io.MouseDelta.x != 0 || io.MouseDelta.y != 0;
    }

    // Grid and tick labels.
    dl->AddRectFilled(plot_min, plot_max, theme::kPaper);
    // As many time ticks as labels fit: measured on the labels of a first guess.
    double t_step = nice_step(view_t1 - view_t0, 8);
    float time_w = ImGui::CalcTextSize(time_label(view_t1, t_step).c_str()).x;
    t_step = nice_step(view_t1 - view_t0, std::floor(pw / (time_w + fs * 1.5f)));
    double t_first = std::ceil(view_t0 / t_step) * t_step;
    for (int i = 0; i < 200 && t_first + i * t_step <= view_t1; ++i) {  // bounded: huge times, tiny steps
        double t = t_first + i * t_step;
        float x = x_of(t);
        dl->AddLine(ImVec2(x, plot_min.y), ImVec2(x, plot_max.y), theme::kFaint, 1.0f);
        std::string text = time_label(std::abs(t) < t_step * 1e-6 ? 0.0 : t, t_step);
        ImVec2 size = ImGui::CalcTextSize(text.c_str());
        ImVec2 at(std::clamp(x - size.x * 0.5f, origin.x, origin.x + avail.x - size.x), plot_max.y + fs * 0.2f);
        if (!time_labels.empty() && at.x < time_labels.back().second.x + fs * 0.5f) continue;
        dl->AddText(at, theme::kInk, text.c_str());
        time_labels.push_back({at, ImVec2(at.x + size.x, at.y + size.y)});
    }
    double s_step = nice_step(view_s1 - view_s0, std::floor(ph / (fs * 2.2f)));
    double s_first = std::ceil(view_s0 / s_step) * s_step;
    for (int i = 0; i < 200 && s_first + i * s_step <= view_s1; ++i) {
        double s = s_first + i * s_step;
        float y = y_of(s);
        dl->AddLine(ImVec2(plot_min.x, y), ImVec2(plot_max.x, y), theme::kFaint, 1.0f);
        std::string text = seq_label(std::abs(s) < s_step * 1e-6 ? 0.0 : s, s_step, kilo);
        ImVec2 size = ImGui::CalcTextSize(text.c_str());
        ImVec2 at(plot_min.x - fs * 0.3f - size.x, std::clamp(y - size.y * 0.5f, origin.y, plot_max.y - size.y * 0.5f));
        if (!seq_labels.empty() && at.y + size.y > seq_labels.back().first.y - fs * 0.1f) continue;
        dl->AddText(at, theme::kInk, text.c_str());
        seq_labels.push_back({at, ImVec2(at.x + size.x, at.y + size.y)});
    }

    dl->PushClipRect(plot_min, plot_max, true);
    double now = seconds(vm.now);
    // A step line through (time, value) points, to the right edge after the last.
    auto steps = [&](auto&& points, auto value, ImU32 color, float width, bool dash) {
        for (size_t i = 0; i < points.size(); ++i) {
            double t = seconds(points[i].time);
            double next = i + 1 < points.size() ? seconds(points[i + 1].time) : std::max(ft1, view_t1);
            bool future = t > now;
            ImU32 col = faded(color, future);
            ImVec2 a(x_of(t), y_of(value(points[i]))), b(x_of(next), a.y);
            if (dash) dashed(dl, a, b, col, width, fs * 0.35f);
            else dl->AddLine(a, b, col, width);
            if (i + 1 < points.size()) {
                ImVec2 c(b.x, y_of(value(points[i + 1])));
                ImU32 up = faded(color, seconds(points[i + 1].time) > now);
                if (dash) dashed(dl, b, c, up, width, fs * 0.35f);
                else dl->AddLine(b, c, up, width);
            }
        }
    };
    steps(ts.acks, [](const TsgAck& a) { return double(a.window_end); }, kWindow, 2.0f * th, true);
    if (show_cwnd) steps(ts.cwnd, [](const TsgCwnd& c) { return double(c.una) + c.cwnd; }, kCwnd, 2.0f * th, false);
    steps(ts.acks, [](const TsgAck& a) { return double(a.ack); }, theme::kInk, 1.6f * th, false);
    // The segments: a bar from the first byte to the last, at the time sent.
    float bar_w = std::max(3.0f, 3.5f * th);
    uint32_t hovered_packet = kNone;
    for (const TsgSegment& s : ts.segments) {
        float x = x_of(seconds(s.time));
        float y0 = y_of(s.end), y1 = y_of(s.seq);
        if (y1 - y0 < 3.0f) y0 = y1 - 3.0f;
        bool future = s.time > vm.now;
        float w = s.retransmit ? bar_w * 1.6f : bar_w;  // a resend stands out
        ImVec2 mn(x - w * 0.5f, y0), mx(x + w * 0.5f, y1);
        if (mx.x < plot_min.x - fs || mn.x > plot_max.x + fs) continue;
        if (s.packet == vm.selection.packet)
            dl->AddRect(ImVec2(mn.x - 2.5f * th, mn.y - 2.5f * th), ImVec2(mx.x + 2.5f * th, mx.y + 2.5f * th), theme::kSelected, 0, 0, 2.0f * th);
        dl->AddRectFilled(mn, mx, faded(s.retransmit ? kResent : kData, future));
        if (s.dropped) {
            float r = fs * 0.35f, cy = y0;
            ImU32 col = faded(theme::kDrop, future);
            dl->AddLine(ImVec2(x - r, cy - r), ImVec2(x + r, cy + r), col, 2.5f * th);
            dl->AddLine(ImVec2(x - r, cy + r), ImVec2(x + r, cy - r), col, 2.5f * th);
        }
        bars.push_back({s.packet, mn, mx});
        if (hovered && io.MousePos.x >= mn.x - 3 && io.MousePos.x <= mx.x + 3 && io.MousePos.y >= mn.y - 3 && io.MousePos.y <= mx.y + 3)
            hovered_packet = s.packet;
    }
    // The cursor: the time drawn.
    if (now >= view_t0 && now <= view_t1) {
        cursor_x = x_of(now);
        dl->AddLine(ImVec2(cursor_x, plot_min.y), ImVec2(cursor_x, plot_max.y), kCursor, 2.5f * th);
    }
    dl->PopClipRect();
    dl->AddRect(plot_min, plot_max, theme::kMuted, 0, 0, 1.0f);

    // The legend, top left inside the plot (the graph climbs from the bottom left).
    const char* names[] = {vm.text.tsg_data, vm.text.tsg_resent, vm.text.tsg_lost, vm.text.tsg_ack, vm.text.tsg_window, "cwnd"};
    ImU32 colors[] = {kData, kResent, theme::kDrop, theme::kInk, kWindow, kCwnd};
    int shown = show_cwnd ? 6 : 5;
    float sw = fs * 1.1f, gap = fs * 0.6f;
    ImVec2 at(plot_min.x + fs * 0.4f, plot_min.y + fs * 0.3f);
    float width = 0;
    for (int i = 0; i < shown; ++i) width += sw + fs * 0.25f + ImGui::CalcTextSize(names[i]).x + gap;
    bool two_rows = width > pw - fs;
    float row_h = fs * 1.2f;
    float box_w = two_rows ? 0 : width;
    if (two_rows) {
        float w1 = 0, w2 = 0;
        for (int i = 0; i < shown; ++i) (i < 3 ? w1 : w2) += sw + fs * 0.25f + ImGui::CalcTextSize(names[i]).x + gap;
        box_w = std::max(w1, w2);
    }
    // Opaque, so a line passing behind it never runs through its words.
    ImVec2 box_min(at.x - fs * 0.2f, at.y - fs * 0.1f), box_max(at.x + box_w, at.y + row_h * (two_rows ? 2 : 1));
    dl->AddRectFilled(box_min, box_max, theme::rgb(255, 255, 255));
    dl->AddRect(box_min, box_max, theme::kMuted, 0, 0, 1.0f);
    ImVec2 p = at;
    for (int i = 0; i < shown; ++i) {
        if (two_rows && i == 3) p = ImVec2(at.x, at.y + row_h);
        float cy = p.y + fs * 0.55f;
        if (i <= 1) dl->AddRectFilled(ImVec2(p.x + sw * 0.35f, p.y + fs * 0.1f), ImVec2(p.x + sw * 0.65f, p.y + fs * 1.0f), colors[i]);
        else if (i == 2) {
            float r = fs * 0.3f, cx = p.x + sw * 0.5f;
            dl->AddLine(ImVec2(cx - r, cy - r), ImVec2(cx + r, cy + r), colors[i], 2.5f * th);
            dl->AddLine(ImVec2(cx - r, cy + r), ImVec2(cx + r, cy - r), colors[i], 2.5f * th);
        } else if (i == 4) dashed(dl, ImVec2(p.x, cy), ImVec2(p.x + sw, cy), colors[i], 2.0f * th, fs * 0.25f);
        else dl->AddLine(ImVec2(p.x, cy), ImVec2(p.x + sw, cy), colors[i], 2.0f * th);
        p.x += sw + fs * 0.25f;
        dl->AddText(p, theme::kInk, names[i]);
        p.x += ImGui::CalcTextSize(names[i]).x + gap;
    }

    if (hovered_packet != kNone && !vm.screenshot_mode) {
        TextTooltip(vm.view.index().describe_packet(hovered_packet));
    }
    if (hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Left) && io.MouseDragMaxDistanceSqr[0] < 16.0f && hovered_packet != kNone)
        out.push_back(cmd::SelectPacket{hovered_packet, true, false});  // the graph stays in view
}

}  // namespace netstep::viz
