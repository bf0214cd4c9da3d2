// The step model: stepping, playing at a speed, breakpoints.
#include "viz/player.hpp"

#include <algorithm>
#include <cmath>

namespace netstep::viz {

bool Breakpoints::any() const {
    return syn || fin || rst || errors || std::any_of(states.begin(), states.end(), [](bool b) { return b; });
}

bool hits_breakpoint(const Breakpoints& bp, const TraceView& view, uint32_t step) {
    if (step >= view.step_count()) return false;
    const sim::TraceEvent& e = view.trace().events[step];
    if (bp.errors && sim::TraceIndex::is_error(e)) return true;
    if (e.kind == sim::EventKind::StateChange) return bp.states[size_t(e.to)];
    if (e.kind == sim::EventKind::PacketSent && e.packet < view.trace().packets.size()) {
        const PacketInfo& p = view.packet(e.packet);
        if (p.proto != 6) return false;
        return (bp.syn && (p.flags & tcp_flag::SYN)) || (bp.fin && (p.flags & tcp_flag::FIN)) ||
               (bp.rst && (p.flags & tcp_flag::RST));
    }
    return false;
}

void Player::go_to(uint32_t step, const TraceView& view) {
    step_ = std::min(step, view.last_step());
    phase_ = 0.0;
    sim_time_ = view.time_at(step_);
}

void Player::step_by(int delta, const TraceView& view) {
    int64_t target = std::clamp<int64_t>(int64_t(step_) + delta, 0, view.last_step());
    go_to(uint32_t(target), view);
}

void Player::play(const TraceView& view) {
    if (step_ >= view.last_step()) go_to(0, view);  // at the end, play starts over
    playing_ = true;
    phase_ = 0.0;
    sim_time_ = view.time_at(step_);
}

bool Player::advance_one(const TraceView& view) {
    if (step_ >= view.last_step()) { pause(); return false; }
    ++step_;
    if (hits_breakpoint(breakpoints, view, step_)) { pause(); sim_time_ = view.time_at(step_); return false; }
    return true;
}

std::optional<uint32_t> Player::tick(double wall_seconds, const TraceView& view) {
    if (!playing_ || view.step_count() == 0) return std::nullopt;
    const Speed& s = speed();
    if (s.kind == Speed::Kind::StepsPerSecond) {
        phase_ += wall_seconds * s.value;
        while (phase_ >= 1.0 && playing_) {
            phase_ -= 1.0;
            if (!advance_one(view)) break;
        }
    } else {
        Instant next = view.time_at(step_ + 1);
        Duration idle = next - sim_time_;
        if (idle.to_seconds() / s.value > max_idle_seconds) sim_time_ = next - Duration::nanos(int64_t(1e9 * s.value * 0.25));
        sim_time_ = sim_time_ + Duration::nanos(int64_t(std::llround(wall_seconds * s.value * 1e9)));
        while (playing_ && step_ < view.last_step() && view.time_at(step_ + 1) <= sim_time_) {
            if (!advance_one(view)) break;
        }
    }
    if (!playing_ && hits_breakpoint(breakpoints, view, step_)) return step_;
    return std::nullopt;
}

Instant Player::display_time(const TraceView& view) const {
    Instant here = view.time_at(step_);
    if (!playing_ || step_ >= view.last_step()) return here;
    Instant next = view.time_at(step_ + 1);
    if (speed().kind == Speed::Kind::TimeScale) return std::clamp(sim_time_, here, next);
    return here + Duration::nanos(int64_t(double((next - here).ns) * std::clamp(phase_, 0.0, 1.0)));
}

}  // namespace netstep::viz
