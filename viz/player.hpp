// The step model: which step is shown, whether it plays and how fast, and where it stops.
// Pure logic (no ImGui, no clock): the app feeds it wall-clock seconds, tests feed it numbers.
#pragma once
#include <array>
#include <cstdint>
#include <optional>

#include "model/tcp_state.hpp"
#include "model/time.hpp"
#include "viz/trace_view.hpp"

namespace netstep::viz {

// Where playing stops: on arriving at a step whose event matches.
struct Breakpoints {
    std::array<bool, kTcpStateCount> states{};  // a StateChange into this state
    bool syn = false;                           // a segment with SYN sent
    bool fin = false;                           // ... with FIN
    bool rst = false;                           // ... with RST
    bool errors = false;                        // drops, connection errors, failed calls/expectations
    bool operator==(const Breakpoints&) const = default;
    bool any() const;
};

// How fast playing goes: steps per second, or a multiple of simulated time.
struct Speed {
    enum class Kind { StepsPerSecond, TimeScale } kind = Kind::StepsPerSecond;
    double value = 2.0;
};

// The choices the speed menu offers; index kDefaultSpeed is "2 steps/s".
inline constexpr std::array<Speed, 8> kSpeeds{{
    {Speed::Kind::StepsPerSecond, 1.0},
    {Speed::Kind::StepsPerSecond, 2.0},
    {Speed::Kind::StepsPerSecond, 5.0},
    {Speed::Kind::StepsPerSecond, 20.0},
    {Speed::Kind::TimeScale, 0.01},   // slow motion: 1 ms of simulation per 100 ms
    {Speed::Kind::TimeScale, 0.1},
    {Speed::Kind::TimeScale, 1.0},    // real time
    {Speed::Kind::TimeScale, 10.0},
}};
inline constexpr int kDefaultSpeed = 1;

bool hits_breakpoint(const Breakpoints& bp, const TraceView& view, uint32_t step);

class Player {
public:
    // --- Options ---------------------------------------------------------------------------
    Breakpoints breakpoints;
    int speed_index = kDefaultSpeed;        // into kSpeeds
    double max_idle_seconds = 1.5;          // time-scale mode: longer waits are skipped

    // --- Actions ---------------------------------------------------------------------------
    void go_to(uint32_t step, const TraceView& view);   // clamps; stops interpolation
    void step_by(int delta, const TraceView& view);
    void play(const TraceView& view);
    void pause() { playing_ = false; phase_ = 0.0; }
    void toggle_play(const TraceView& view) { playing_ ? pause() : play(view); }
    // Advances by `wall_seconds` of real time while playing; returns the step of a breakpoint hit.
    std::optional<uint32_t> tick(double wall_seconds, const TraceView& view);

    // --- State -----------------------------------------------------------------------------
    uint32_t step() const { return step_; }
    bool playing() const { return playing_; }
    const Speed& speed() const { return kSpeeds[size_t(speed_index) % kSpeeds.size()]; }
    // The simulated time to draw: the step's time, moving toward the next step's while playing.
    Instant display_time(const TraceView& view) const;

private:
    bool advance_one(const TraceView& view);  // step_ + 1; false at the end or on a breakpoint

    uint32_t step_ = 0;
    bool playing_ = false;
    double phase_ = 0.0;     // steps mode: fraction of the way to the next step
    Instant sim_time_{};     // time-scale mode: the simulated time reached
};

}  // namespace netstep::viz
