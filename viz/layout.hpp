// Where each panel goes, computed from the window size (Debian's ImGui 1.86 has no docking).
#pragma once
#include <imgui.h>

#include <optional>
#include <string_view>

#include "viz/view_model.hpp"

namespace netstep::viz {

struct FontSizes { float body, caption, mono; };
constexpr FontSizes kNormalSizes{17.0f, 25.0f, 15.0f};
constexpr FontSizes kPresenterSizes{25.0f, 36.0f, 24.0f};  // netstat and hex as large as the text: read from the back

struct Rect {
    ImVec2 pos, size;
    bool shown() const { return size.x > 0 && size.y > 0; }
};

// A panel not shown has an empty rectangle. `tabs` holds hosts, packet, log and the terminal (and
// the variables when they have no window of their own); `terminal` is shown only as presenter
// mode's big panel (key 6), beside the topology.
struct Layout {
    Rect header, controls, topology, ladder, states, variables, tabs, terminal;
    Rect question;         // predict mode's band, under the controls (empty when it is off)
    bool focused = false;  // presenter mode on a small screen: one big panel and a companion
};

// Presenter mode's fonts leave room for every panel only on a large screen (1600x1000 and up);
// below that, the big panel (keys 1-5) and a companion beside it.
bool presenter_focused(ImVec2 display);

// The panel shown beside the big one: the state diagram, or the variables beside it, or the
// topology beside the terminal (where what a command sends is seen).
BigPanel companion_of(BigPanel big);

// "2", "sequence", "Sequence" (the NETSTEP_VIZ_PANEL variable); nothing for anything else.
std::optional<BigPanel> big_panel_from(std::string_view name);

// question_h: predict mode's band (PredictPanel::height), 0 when predict mode is off.
Layout compute_layout(ImVec2 display, const FontSizes& sizes, bool presenter, BigPanel big, float question_h = 0.0f);

}  // namespace netstep::viz
