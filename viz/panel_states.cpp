// The TCP state diagram laid out as RFC 9293 Figure 5: eleven states (CLOSED drawn twice, as in
// the figure), the transitions in gray, each end of the selected connection lit in its color,
// and each end's last transition drawn in that color with its cause.
#include <imgui.h>
#include <imgui_internal.h>  // ImRect

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "viz/panels.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"

namespace netstep::viz {

namespace {

using S = TcpState;

// Grid cells (column 0..2, row 0..6) as in Figure 5; index kClosedBottom is the second CLOSED.
constexpr int kClosedBottom = kTcpStateCount;
struct Cell { float col, row; };
constexpr std::array<Cell, kTcpStateCount + 1> kCells{{
    {1, 0},  // CLOSED
    {1, 1},  // LISTEN
    {2, 2},  // SYN-SENT
    {0, 2},  // SYN-RECEIVED
    {1, 3},  // ESTABLISHED
    {0, 4},  // FIN-WAIT-1
    {0, 5},  // FIN-WAIT-2
    {2, 4},  // CLOSE-WAIT
    {1, 5},  // CLOSING
    {2, 5},  // LAST-ACK
    {1, 6},  // TIME-WAIT
    {2, 6},  // CLOSED (bottom)
}};

struct Transition { int from, to; const char* label; };
constexpr Transition kTransitions[] = {
    {int(S::Closed), int(S::Listen), "passive OPEN"},
    {int(S::Listen), int(S::Closed), "CLOSE"},
    {int(S::Closed), int(S::SynSent), "active OPEN / snd SYN"},
    {int(S::Listen), int(S::SynReceived), "rcv SYN / snd SYN,ACK"},
    {int(S::Listen), int(S::SynSent), "SEND / snd SYN"},
    {int(S::SynSent), int(S::SynReceived), "rcv SYN / snd SYN,ACK"},
    {int(S::SynReceived), int(S::Listen), "rcv RST"},
    {int(S::SynSent), int(S::Closed), "CLOSE"},
    {int(S::SynReceived), int(S::Established), "rcv ACK of SYN"},
    {int(S::SynSent), int(S::Established), "rcv SYN,ACK / snd ACK"},
    {int(S::SynReceived), int(S::FinWait1), "CLOSE / snd FIN"},
    {int(S::Established), int(S::FinWait1), "CLOSE / snd FIN"},
    {int(S::Established), int(S::CloseWait), "rcv FIN / snd ACK"},
    {int(S::FinWait1), int(S::FinWait2), "rcv ACK of FIN"},
    {int(S::FinWait1), int(S::Closing), "rcv FIN / snd ACK"},
    {int(S::FinWait2), int(S::TimeWait), "rcv FIN / snd ACK"},
    {int(S::Closing), int(S::TimeWait), "rcv ACK of FIN"},
    {int(S::CloseWait), int(S::LastAck), "CLOSE / snd FIN"},
    {int(S::LastAck), kClosedBottom, "rcv ACK of FIN"},
    {int(S::TimeWait), kClosedBottom, "Timeout=2MSL"},
};

// Transitions into CLOSED late in the life of a connection point at the bottom CLOSED box.
int target_box(S from, S to) {
    if (to != S::Closed) return int(to);
    bool late = from == S::LastAck || from == S::TimeWait || from == S::Closing || from == S::FinWait1 ||
                from == S::FinWait2 || from == S::CloseWait || from == S::Established;
    return late ? kClosedBottom : int(S::Closed);
}

struct Geometry {
    ImVec2 origin, size, half;
    ImVec2 center(int box) const {
        const Cell& c = kCells[size_t(box)];
        return ImVec2(origin.x + size.x * (0.17f + 0.33f * c.col), origin.y + size.y * (c.row + 0.5f) / 7.0f);
    }
    // Where the segment from the box center toward `toward` leaves the box.
    ImVec2 edge(int box, ImVec2 toward) const {
        ImVec2 c = center(box);
        float dx = toward.x - c.x, dy = toward.y - c.y;
        float sx = dx != 0 ? half.x / std::fabs(dx) : 1e9f, sy = dy != 0 ? half.y / std::fabs(dy) : 1e9f;
        float s = std::min(sx, sy);
        return ImVec2(c.x + dx * s, c.y + dy * s);
    }
};

// A transition's segment, offset sideways when the reverse transition exists too.
std::pair<ImVec2, ImVec2> segment(const Geometry& g, int from, int to) {
    ImVec2 a = g.edge(from, g.center(to)), b = g.edge(to, g.center(from));
    bool has_reverse = std::any_of(std::begin(kTransitions), std::end(kTransitions),
                                   [&](const Transition& t) { return t.from == to && t.to == from; });
    if (has_reverse) {
        float dx = b.x - a.x, dy = b.y - a.y, len = std::max(1.0f, std::hypot(dx, dy));
        float ox = -dy / len * 5.0f, oy = dx / len * 5.0f;
        a = ImVec2(a.x + ox, a.y + oy);
        b = ImVec2(b.x + ox, b.y + oy);
    }
    return {a, b};
}

void draw_arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 color, float thick, float head) {
    dl->AddLine(a, b, color, thick);
    float dx = b.x - a.x, dy = b.y - a.y, len = std::hypot(dx, dy);
    if (len < 1) return;
    dx /= len;
    dy /= len;
    ImVec2 base(b.x - dx * head, b.y - dy * head);
    dl->AddTriangleFilled(b, ImVec2(base.x - dy * head * 0.5f, base.y + dx * head * 0.5f),
                          ImVec2(base.x + dy * head * 0.5f, base.y - dx * head * 0.5f), color);
}

struct End {
    uint32_t history = kNone;
    ImU32 color = 0;
    std::optional<S> state;
    std::optional<uint32_t> change_step;
};

End end_at(const ViewModel& vm, uint32_t history, ImU32 color) {
    End e{history, color, std::nullopt, std::nullopt};
    if (history == kNone) return e;
    // The state of the step's snapshot, as the variables and netstat show it; the arrow is the
    // socket's last transition, which led to that state.
    e.state = vm.snap.socket(history).state();
    e.change_step = vm.view.last_state_change(history, vm.step);
    return e;
}

// The box an end's state lights: CLOSED at the bottom when the connection ended there (Figure 5
// draws CLOSED twice), else the state's own box; -1 for none.
int box_of(const ViewModel& vm, const End& e) {
    if (!e.state) return -1;
    if (*e.state != S::Closed || !e.change_step) return int(*e.state);
    const sim::TraceEvent& ev = vm.view.trace().events[*e.change_step];
    return ev.to == S::Closed ? target_box(ev.from, ev.to) : int(S::Closed);
}

// The TIME-WAIT countdown beside its box (in the empty cell of Figure 5 to its left), in the
// end's color: the class watches 2MSL run down wherever the variables panel is.
std::vector<StatesPanel::Countdown> draw_time_wait_countdowns(const ViewModel& vm, const Geometry& g, const End (&ends)[2]) {
    std::vector<StatesPanel::Countdown> drawn;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 cell(g.origin.x + g.size.x * 0.17f, g.center(int(S::TimeWait)).y);  // column 0, row 6: empty
    float fs = ImGui::GetFontSize();
    std::vector<std::pair<std::string, ImU32>> lines;
    for (const End& e : ends) {
        if (e.history == kNone || e.state != S::TimeWait) continue;
        sim::SocketAt at = vm.snap.socket(e.history);
        if (at.phase != sim::SocketPhase::Live || !at.row.vars || !at.row.vars->time_wait_until) continue;
        Duration left = std::max(Duration{}, *at.row.vars->time_wait_until - vm.now);
        char text[48];
        std::snprintf(text, sizeof text, "◷ %.3f s", left.to_seconds());
        lines.emplace_back(text, e.color);
        drawn.push_back({e.history, text, {}, {}});
    }
    float y = cell.y - float(lines.size()) * fs * 0.55f;
    for (size_t i = 0; i < lines.size(); ++i) {
        ImVec2 ts = vm.fonts.bold->CalcTextSizeA(fs, FLT_MAX, 0, lines[i].first.c_str());
        ImVec2 pos(std::max(g.origin.x + 2.0f, cell.x - ts.x * 0.5f), y + float(i) * fs * 1.1f);
        ImVec2 end(pos.x + ts.x, pos.y + ts.y);
        dl->AddRectFilled(ImVec2(pos.x - 3, pos.y - 1), ImVec2(end.x + 3, end.y + 1), theme::kPaper, 4.0f);
        dl->AddText(vm.fonts.bold, fs, pos, lines[i].second, lines[i].first.c_str());
        drawn[i].min = pos;
        drawn[i].max = end;
    }
    return drawn;
}

}  // namespace

void StatesPanel::draw(const ViewModel& vm, Commands&) {
    const sim::Trace& t = vm.view.trace();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float fs = ImGui::GetFontSize(), th = vm.thickness;
    End ends[2] = {end_at(vm, vm.connection.a, theme::kEndA), end_at(vm, vm.connection.b, theme::kEndB)};
    shown = {ends[0].state, ends[1].state};

    // Legend: which color is which end, its state and the cause of its last transition.
    if (ends[0].history == kNone) ImGui::TextDisabled("%s", vm.text.no_connection);
    for (const End& e : ends) {
        if (e.history == kNone) continue;
        if (&e != &ends[0]) {  // both ends on one line when it holds them (more room for the diagram)
            std::string name = clamp_text(vm.view.socket_name(e.history, vm.step));
            std::string cause = e.change_step ? clamp_text("— " + translate_cause(t.str(t.events[*e.change_step].text), vm.lang)) : "";
            float w = fs * 2 + vm.fonts.bold->CalcTextSizeA(fs, FLT_MAX, 0, name.c_str()).x + ImGui::CalcTextSize(cause.c_str()).x + fs;
            if (ImGui::GetItemRectMax().x + fs * 1.5f + w < ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
                ImGui::SameLine(0, fs * 1.5f);
        }
        ImVec2 p = ImGui::GetCursorScreenPos();
        dl->AddRectFilled(ImVec2(p.x, p.y + 2), ImVec2(p.x + fs, p.y + fs), e.color, 3.0f);
        ImGui::Dummy(ImVec2(fs + 2, fs));
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, theme::to_vec4(e.color));
        ImGui::PushFont(vm.fonts.bold);
        TextEllipsis(vm.view.socket_name(e.history, vm.step));
        ImGui::PopFont();
        std::string cause = e.change_step ? translate_cause(t.str(t.events[*e.change_step].text), vm.lang) : "";
        if (!cause.empty()) {
            ImGui::SameLine();
            TextEllipsis("— " + cause);
        }
        ImGui::PopStyleColor();
    }

    Geometry g;
    g.origin = ImGui::GetCursorScreenPos();
    g.size = ImGui::GetContentRegionAvail();
    g.half = ImVec2(std::min(g.size.x * 0.135f, fs * 5.5f), std::min(g.size.y / 7.0f * 0.40f, fs * 0.95f));
    ImGui::Dummy(g.size);

    for (const Transition& tr : kTransitions) {
        auto [a, b] = segment(g, tr.from, tr.to);
        draw_arrow(dl, a, b, theme::rgb(150, 155, 165), 1.5f * th, fs * 0.5f);
        if (show_all_labels) dl->AddText(ImVec2((a.x + b.x) * 0.5f + 3, (a.y + b.y) * 0.5f), theme::kMuted, tr.label);
    }

    // Boxes: lit for the ends in that state (split in two when both are).
    for (int box = 0; box <= kClosedBottom; ++box) {
        S state = box == kClosedBottom ? S::Closed : S(box);
        ImVec2 c = g.center(box), lo(c.x - g.half.x, c.y - g.half.y), hi(c.x + g.half.x, c.y + g.half.y);
        bool lit_a = box_of(vm, ends[0]) == box, lit_b = box_of(vm, ends[1]) == box;
        dl->AddRectFilled(lo, hi, theme::kPaper, 5.0f);
        if (lit_a && lit_b) {
            dl->AddRectFilled(lo, ImVec2(c.x, hi.y), ends[0].color, 5.0f, ImDrawFlags_RoundCornersLeft);
            dl->AddRectFilled(ImVec2(c.x, lo.y), hi, ends[1].color, 5.0f, ImDrawFlags_RoundCornersRight);
        } else if (lit_a || lit_b) {
            dl->AddRectFilled(lo, hi, lit_a ? ends[0].color : ends[1].color, 5.0f);
        }
        dl->AddRect(lo, hi, theme::kInk, 5.0f, 0, 1.5f * th);
        std::string name(to_string(state));
        ImFont* font = (lit_a || lit_b) ? vm.fonts.bold : ImGui::GetFont();
        ImVec2 ts = font->CalcTextSizeA(fs, FLT_MAX, 0, name.c_str());
        float scale = std::min({1.0f, (g.half.x * 2 - 6) / std::max(1.0f, ts.x), (g.half.y * 2) / std::max(1.0f, ts.y)});
        dl->AddText(font, fs * scale, ImVec2(c.x - ts.x * scale * 0.5f, c.y - ts.y * scale * 0.5f),
                    (lit_a || lit_b) ? theme::kPaper : theme::kInk, name.c_str());
    }

    countdowns = draw_time_wait_countdowns(vm, g, ends);

    // Each end's last transition, in its color, labelled with its cause where the label covers
    // no box and no other label (candidates around the arrow's middle, nearest first).
    std::vector<ImRect> taken;
    const float margin = std::max(3.0f, fs * 0.3f);  // a label never touches a box
    for (int box = 0; box <= kClosedBottom; ++box) {
        ImVec2 c = g.center(box);
        taken.push_back(ImRect(c.x - g.half.x - margin, c.y - g.half.y - margin, c.x + g.half.x + margin,
                               c.y + g.half.y + margin));
    }
    for (const Countdown& c : countdowns) taken.push_back(ImRect(c.min.x - margin, c.min.y - margin, c.max.x + margin, c.max.y + margin));
    ImRect canvas(g.origin, ImVec2(g.origin.x + g.size.x, g.origin.y + g.size.y));
    for (const End& e : ends) {
        if (!e.change_step) continue;
        const sim::TraceEvent& ev = t.events[*e.change_step];
        if (ev.from == ev.to) continue;
        auto [a, b] = segment(g, int(ev.from), target_box(ev.from, ev.to));
        draw_arrow(dl, a, b, e.color, 4.0f * th, fs * 0.8f);
        std::string cause = clamp_text(translate_cause(t.str(ev.text), vm.lang));
        if (cause.empty()) continue;
        ImFont* font = vm.fonts.bold;
        // As in the RFC's figure: the event over the action ("rcv SYN,ACK" / "snd ACK").
        if (size_t at = cause.find(", "); at != std::string::npos) cause = cause.substr(0, at) + "\n" + cause.substr(at + 2);
        ImVec2 pad(4, 1), m((a.x + b.x) * 0.5f, (a.y + b.y) * 0.5f), ts;
        float size = fs;
        // Rings of candidate centres around the arrow's middle, nearest first, at full size then
        // smaller; a leader line joins a label placed away from its arrow.
        std::optional<ImRect> best;
        for (float scale : {1.0f, 0.85f, 0.72f}) {
            size = fs * scale;
            ts = font->CalcTextSizeA(size, FLT_MAX, 0, cause.c_str());
            for (int ring = 0; ring <= 14 && !best; ++ring) {
                float radius = float(ring) * fs * 0.6f;
                int steps = ring == 0 ? 1 : 16;
                for (int k = 0; k < steps && !best; ++k) {
                    float angle = float(k) * 6.2831853f / float(steps);
                    ImVec2 centre(m.x + std::cos(angle) * radius * 1.6f, m.y + std::sin(angle) * radius);
                    ImRect r(centre.x - ts.x * 0.5f - pad.x, centre.y - ts.y * 0.5f - pad.y,
                             centre.x + ts.x * 0.5f + pad.x, centre.y + ts.y * 0.5f + pad.y);
                    if (r.Min.x < canvas.Min.x || r.Max.x > canvas.Max.x || r.Min.y < canvas.Min.y || r.Max.y > canvas.Max.y) continue;
                    if (std::any_of(taken.begin(), taken.end(), [&](const ImRect& o) { return o.Overlaps(r); })) continue;
                    best = r;
                }
            }
            if (best) break;
        }
        if (!best) continue;  // nowhere free: the legend above names the cause
        taken.push_back(*best);
        ImVec2 centre = best->GetCenter();
        if (std::hypot(centre.x - m.x, centre.y - m.y) > std::min(ts.y, fs)) {
            ImVec2 from(std::clamp(m.x, best->Min.x, best->Max.x), std::clamp(m.y, best->Min.y, best->Max.y));
            dl->AddLine(from, m, e.color, 1.5f * th);
            dl->AddCircleFilled(m, 3.0f * th, e.color);
        }
        dl->AddRectFilled(best->Min, best->Max, theme::rgb(255, 255, 255, 240), 4.0f);
        dl->AddRect(best->Min, best->Max, e.color, 4.0f, 0, 1.5f * th);
        dl->AddText(font, size, ImVec2(best->Min.x + pad.x, best->Min.y + pad.y), e.color, cause.c_str());
    }
}

}  // namespace netstep::viz
