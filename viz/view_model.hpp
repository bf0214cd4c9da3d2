// What every panel draws from: a const view of the trace at the current step, and that step's
// snapshot (sockets, states, variables, timers, packets in flight, caption): one truth for all.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "viz/commands.hpp"
#include "viz/i18n.hpp"
#include "viz/player.hpp"
#include "viz/trace_view.hpp"

struct ImFont;

namespace netstep::viz {

class Predict;

struct Fonts {
    ImFont* body = nullptr;
    ImFont* bold = nullptr;
    ImFont* caption = nullptr;   // the `say` caption and the title
    ImFont* mono = nullptr;      // hex bytes
};

struct Selection {
    uint32_t packet = kNone;       // index into Trace::packets
    uint32_t connection = kNone;   // a socket history chosen by the user (kNone: follow the action)
};

struct ViewModel {
    ViewModel(const TraceView& v, const Strings& t, const Player& p)
        : view(v), text(t), player(p), step(p.step()), snap(v.snapshot(step)) {}

    const TraceView& view;
    const Strings& text;
    const Player& player;
    const uint32_t step;           // the player's step
    const sim::Snapshot& snap;     // that step, as every panel shows it
    Instant now;                   // the simulated time drawn (between steps while playing)
    Selection selection;
    ConnectionEnds connection;     // shown in the state diagram and the variables
    Fonts fonts;
    Language lang = Language::En;
    bool presenter = false;
    bool focused = false;          // presenter on a small screen: only `big_panel` and a companion
    BigPanel big_panel = BigPanel::Topology;
    float thickness = 1.0f;        // line width multiplier (presenter: thicker)
    uint64_t generation = 0;       // changes whenever a new trace is loaded
    std::string scenario_file;
    bool modified = false;         // a what-if copy is shown
    std::vector<std::string> scenarios;  // scenarios/*.yaml next to the current one
    bool screenshot_mode = false;  // no hover effects, no wall-clock effects
    // The terminal: the lines typed so far (the session's journal), where "Save as scenario"
    // proposes to write, and what the last save said ("Saved to PATH", or why it could not).
    const std::vector<sim::TypedLine>* journal = nullptr;
    std::string save_default;
    std::string save_message;
    std::string handout_default;       // where "Export handout" proposes to write
    std::string handout_message;       // its last result: "Handout written: PATH", or the error
    bool rerunning = false;        // a typed line's run is under way
    const Predict* predict = nullptr;  // predict mode, when on: the question band
};

}  // namespace netstep::viz
