// The layout: every panel at once, or (presenter mode on a small screen) one big panel and a
// companion beside it, switched with the keys 1-5.
#include "viz/layout.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

namespace netstep::viz {

bool presenter_focused(ImVec2 display) { return display.x < 1600.0f || display.y < 1000.0f; }

BigPanel companion_of(BigPanel big) {
    if (big == BigPanel::Terminal) return BigPanel::Topology;
    return big == BigPanel::States ? BigPanel::Variables : BigPanel::States;
}

std::optional<BigPanel> big_panel_from(std::string_view name) {
    const char* names[kBigPanelCount] = {"topology", "sequence", "states", "variables", "details", "terminal"};
    std::string lower;
    for (char ch : name) lower += char(std::tolower(static_cast<unsigned char>(ch)));
    for (int i = 0; i < kBigPanelCount; ++i) {
        if (lower == names[i] || lower == std::to_string(i + 1)) return BigPanel(i);
    }
    return std::nullopt;
}

//  +----------------------------------------------------------+
//  | title — description          caption (big)               |  header
//  | |< < > >|  packet/state jumps  speed  breakpoints  ...    |  controls
//  | ====================== timeline ======================== |
//  | (predict mode: the question, its choices A-D, the reveal) |  question
//  +-----------------------------+----------------------------+
//  | topology                    | sequence diagram           |
//  +----------------+------------+----------------------------+
//  | TCP states     | variables  | hosts | packet | log (tabs)|
//  +----------------+------------+----------------------------+
// Presenter mode: keyboard only (no buttons row), the variables join the tabs, the diagrams grow;
// on a small screen (a 1280x800 projector) the body holds two panels only:
//  +------------------------------------+---------------------+
//  | the big panel (1 topology,         | its companion: the  |
//  | 2 sequence, 3 states, 4 variables, | state diagram (the  |
//  | 5 hosts/packet/log, 6 terminal)    | variables for 3,    |
//  |                                    | topology for 6)     |
//  +------------------------------------+---------------------+
Layout compute_layout(ImVec2 display, const FontSizes& s, bool presenter, BigPanel big, float question_h) {
    Layout l;
    float w = display.x, h = display.y;
    float header_h = s.caption * 1.45f + s.caption * 2.15f + 18.0f;  // the caption band holds two lines
    float controls_h = presenter ? s.body * 2.9f + 24.0f : s.body * 3.6f + 16.0f;
    float body_y = header_h + controls_h + question_h;
    float body_h = std::max(100.0f, h - body_y);
    l.header = {{0, 0}, {w, header_h}};
    l.controls = {{0, header_h}, {w, controls_h}};
    if (question_h > 0) l.question = {{0, header_h + controls_h}, {w, question_h}};
    if (presenter && presenter_focused(display)) {
        l.focused = true;
        float big_w = std::floor(w * (big == BigPanel::States ? 0.55f : 0.62f));  // the variables need more
        if (big == BigPanel::Terminal) big_w = std::floor(w * 0.58f);             // the topology needs room too
        Rect main{{0, body_y}, {big_w, body_h}}, side{{big_w, body_y}, {w - big_w, body_h}};
        auto rect_of = [&](BigPanel p) -> Rect& {
            switch (p) {
                case BigPanel::Topology: return l.topology;
                case BigPanel::Sequence: return l.ladder;
                case BigPanel::States: return l.states;
                case BigPanel::Variables: return l.variables;
                case BigPanel::Terminal: return l.terminal;
                case BigPanel::Details: break;
            }
            return l.tabs;
        };
        rect_of(big) = main;
        rect_of(companion_of(big)) = side;
        return l;
    }
    float top_h = std::floor(body_h * 0.5f);
    float half = std::floor(w * 0.5f);
    float bottom_split = std::floor(w * (presenter ? 0.5f : 0.60f));
    float states_w = presenter ? bottom_split : std::floor(w * 0.29f);
    l.topology = {{0, body_y}, {half, top_h}};
    l.ladder = {{half, body_y}, {w - half, top_h}};
    l.states = {{0, body_y + top_h}, {states_w, body_h - top_h}};
    if (!presenter) l.variables = {{states_w, body_y + top_h}, {bottom_split - states_w, body_h - top_h}};
    l.tabs = {{bottom_split, body_y + top_h}, {w - bottom_split, body_h - top_h}};
    return l;
}

}  // namespace netstep::viz
