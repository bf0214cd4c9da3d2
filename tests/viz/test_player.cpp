// The step model: stepping, playing at a speed, breakpoints; on the hand-made demo trace.
#include <doctest/doctest.h>

#include "viz/commands.hpp"
#include "viz/loader.hpp"
#include "viz/player.hpp"
#include "viz/trace_view.hpp"

using namespace netstep;
using namespace netstep::viz;

namespace {

struct Fixture {
    sim::Trace trace = demo_trace();
    TraceView view{trace};
    Player player;

    uint32_t first_state_change_to(TcpState s) const {
        for (uint32_t i = 0; i < trace.events.size(); ++i)
            if (trace.events[i].kind == sim::EventKind::StateChange && trace.events[i].to == s) return i;
        return kNone;
    }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "stepping is clamped to the trace") {
    player.step_by(-1, view);
    CHECK(player.step() == 0);
    player.step_by(3, view);
    CHECK(player.step() == 3);
    player.go_to(100000, view);
    CHECK(player.step() == view.last_step());
    player.step_by(1, view);
    CHECK(player.step() == view.last_step());
}

TEST_CASE_FIXTURE(Fixture, "playing at 2 steps per second advances 2 steps in a second") {
    player.speed_index = 1;  // 2 steps/s
    player.play(view);
    CHECK(player.playing());
    player.tick(0.25, view);
    CHECK(player.step() == 0);
    CHECK(player.display_time(view) >= view.time_at(0));
    player.tick(0.75, view);
    CHECK(player.step() == 2);
    player.pause();
    player.tick(10.0, view);
    CHECK(player.step() == 2);
}

TEST_CASE_FIXTURE(Fixture, "play stops at a breakpoint on a state") {
    player.breakpoints.states[size_t(TcpState::Established)] = true;
    player.speed_index = 3;  // 20 steps/s
    player.play(view);
    auto hit = player.tick(100.0, view);
    REQUIRE(hit);
    CHECK(*hit == first_state_change_to(TcpState::Established));
    CHECK(player.step() == *hit);
    CHECK_FALSE(player.playing());
}

TEST_CASE_FIXTURE(Fixture, "play stops on a drop when errors are breakpoints") {
    player.breakpoints.errors = true;
    player.speed_index = 3;
    player.play(view);
    auto hit = player.tick(100.0, view);
    REQUIRE(hit);
    CHECK(trace.events[*hit].kind == sim::EventKind::PacketDropped);
}

TEST_CASE_FIXTURE(Fixture, "play stops on a FIN breakpoint") {
    player.breakpoints.fin = true;
    player.speed_index = 3;
    player.play(view);
    auto hit = player.tick(1000.0, view);
    REQUIRE(hit);
    const sim::TraceEvent& e = trace.events[*hit];
    CHECK(e.kind == sim::EventKind::PacketSent);
    CHECK((view.packet(e.packet).flags & tcp_flag::FIN) != 0);
}

TEST_CASE_FIXTURE(Fixture, "real time plays simulated time at wall-clock speed and skips long waits") {
    player.speed_index = 6;  // 1x real time
    player.play(view);
    player.tick(0.011, view);  // 11 ms: past the SYN sent at 10 ms, before it arrives at 12.01 ms
    Instant t = player.display_time(view);
    CHECK(t.ns >= Instant::from_nanos(10'000'000).ns);
    CHECK(view.time_at(player.step()) <= t);
    for (int i = 0; i < 200 && player.playing(); ++i) player.tick(0.5, view);  // 100 s of wall time at most
    CHECK(player.step() == view.last_step());  // the 60 s TIME-WAIT wait was compressed
}

TEST_CASE_FIXTURE(Fixture, "commands move the player as the app applies them") {
    CHECK(apply_to_player(cmd::StepBy{2}, player, view));
    CHECK(player.step() == 2);
    CHECK(apply_to_player(cmd::JumpState{1}, player, view));
    CHECK(trace.events[player.step()].kind == sim::EventKind::StateChange);
    uint32_t at = player.step();
    CHECK(apply_to_player(cmd::JumpPacket{1}, player, view));
    CHECK(player.step() > at);
    CHECK(trace.events[player.step()].kind == sim::EventKind::PacketSent);
    CHECK(apply_to_player(cmd::JumpPacket{-1}, player, view));
    CHECK(player.step() < at + 100);
    CHECK(apply_to_player(cmd::GoTo{5}, player, view));
    CHECK(player.step() == 5);
    CHECK(apply_to_player(cmd::TogglePlay{}, player, view));
    CHECK(player.playing());
    CHECK_FALSE(apply_to_player(cmd::Reload{}, player, view));
}
