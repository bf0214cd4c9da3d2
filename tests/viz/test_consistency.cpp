// One truth on screen: every shipped scenario and every test scenario, at every step, drawn by
// the real panels in a headless ImGui context. For the connection on screen, the state diagram,
// the variables and netstat show the same state; no countdown is negative; the time is written
// one way, by the controls and the sequence diagram's now band alike, whose arrows all join name
// tags in view. And for every socket of the trace, the step's snapshot agrees with the trace's own
// record of its state changes (a row recorded late would show the old state for a few steps).
#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/netstat.hpp"
#include "tests/viz/headless.hpp"
#include "viz/layout.hpp"
#include "viz/panels.hpp"
#include "viz/session.hpp"

using namespace netstep;
using namespace netstep::viz;
using namespace netstep::viz::test;

namespace {

std::vector<std::string> all_scenarios() {
    std::vector<std::string> files;
    for (const char* dir : {NETSTEP_TEST_SCENARIOS, NETSTEP_TEST_SCENARIOS "/../tests/data/scenarios"}) {
        for (const auto& entry : std::filesystem::directory_iterator(dir))
            if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

// The last StateChange of a socket at or before `step`, as the trace recorded it.
std::optional<TcpState> recorded_state(const TraceView& view, uint32_t history, uint32_t step) {
    auto change = view.last_state_change(history, step);
    if (!change) return std::nullopt;
    return view.trace().events[*change].to;
}

struct Panels {
    ControlsPanel controls;
    StatesPanel states;
    VariablesPanel variables;
    HostsPanel hosts;
    LadderPanel ladder;
    Rect ladder_window = compute_layout(ImVec2(1280, 800), kNormalSizes, false, BigPanel::Topology).ladder;  // normal layout
};

const LadderPanel::Box* head_of(const LadderPanel& ladder, int lifeline) {
    for (const LadderPanel::Box& b : ladder.heads)
        if (b.id == uint32_t(lifeline)) return &b;
    return nullptr;
}

// One frame of the panels that show a connection's state, at the player's step.
void draw_step(Session& session, const Strings& text, const Fonts& fonts, Panels& p) {
    ImGui::NewFrame();
    ImGui::PushFont(fonts.body);
    ViewModel vm = view_model(*session.view, session.player, text, fonts, session.generation);
    Commands out;
    auto window = [&](const char* name, ImVec2 pos, ImVec2 size, auto& panel) {
        ImGui::SetNextWindowPos(pos);
        ImGui::SetNextWindowSize(size);
        ImGui::Begin(name);
        panel.draw(vm, out);
        ImGui::End();
    };
    window("controls", ImVec2(0, 0), ImVec2(1280, 100), p.controls);
    window("states", ImVec2(0, 100), ImVec2(500, 600), p.states);
    window("variables", ImVec2(500, 100), ImVec2(400, 900), p.variables);
    window("hosts", ImVec2(900, 100), ImVec2(700, 40000), p.hosts);
    window("ladder", p.ladder_window.pos, p.ladder_window.size, p.ladder);
    ImGui::PopFont();
    ImGui::Render();
}

}  // namespace

TEST_CASE("one truth on screen: the panels agree at every step of every scenario") {
    Headless imgui;
    ImGui::GetIO().DisplaySize = ImVec2(1600, 40200);
    Fonts fonts = app_fonts();
    Strings text = strings_for(Language::En);
    std::vector<std::string> files = all_scenarios();
    REQUIRE(files.size() > 20);
    for (const std::string& file : files) {
        CAPTURE(file);
        Session session(NETSTEP_EXE, file, 0);
        session.load(file, false);
        REQUIRE(session.view);
        const TraceView& view = *session.view;
        sim::NetstatStyle style = sim::netstat_style(view.trace().profile);
        Panels p;
        for (uint32_t step = 0; step < view.step_count(); ++step) {
            CAPTURE(step);
            session.player.go_to(step, view);
            const sim::Snapshot& snap = view.snapshot(step);
            // Every socket: the snapshot's state is the state its last change led to.
            for (uint32_t h = 0; h < view.trace().sockets.size(); ++h) {
                sim::SocketAt at = snap.socket(h);
                if (at.phase != sim::SocketPhase::Live || !at.row.state) continue;
                std::optional<TcpState> recorded = recorded_state(view, h, step);
                if (recorded) REQUIRE(to_string(*at.row.state) == to_string(*recorded));
                // No timer in force has already expired.
                if (at.row.vars)
                    for (const sim::RunningTimer& t : sim::running_timers(*at.row.vars)) REQUIRE(t.deadline >= snap.time());
            }
            draw_step(session, text, fonts, p);
            // The time, one way: the controls show the step's time in the trace's unit.
            REQUIRE(p.controls.shown_time == view.format_time(view.time_at(step)));
            // The sequence diagram's now band says it too (when there are packets to draw), and no
            // packet's time covers it.
            if (!view.trace().packets.empty()) {
                REQUIRE(p.ladder.shown_time == p.controls.shown_time);
                REQUIRE(p.ladder.times.front().id == kNone);
                const LadderPanel::Box& band = p.ladder.times.front();
                for (size_t i = 1; i < p.ladder.times.size(); ++i)
                    REQUIRE((p.ladder.times[i].max.y <= band.min.y || p.ladder.times[i].min.y >= band.max.y));
            }
            // Every arrow drawn joins two lifelines whose name tags are in the visible diagram.
            for (const LadderPanel::Line& line : p.ladder.lines) {
                CAPTURE(line.packet);
                for (int end : {line.from, line.to}) {
                    const LadderPanel::Box* head = head_of(p.ladder, end);
                    REQUIRE(head != nullptr);
                    REQUIRE(head->min.x >= p.ladder.view_min.x - 0.5f);
                    REQUIRE(head->max.x <= p.ladder.view_max.x + 0.5f);
                }
            }
            // The connection on screen: the same state in the three panels.
            ConnectionEnds ends = view.active_connection(step);
            uint32_t histories[2] = {ends.a, ends.b};
            for (size_t i = 0; i < 2; ++i) {
                if (histories[i] == kNone) continue;
                std::optional<TcpState> state = snap.socket(histories[i]).state();
                REQUIRE(p.states.shown[i].has_value() == state.has_value());
                if (state) {
                    REQUIRE(to_string(*p.states.shown[i]) == to_string(*state));
                    REQUIRE(p.variables.shown_states[i] == std::string(to_string(*state)));
                }
                // netstat lists a live socket with its state (and hides CLOSED ones).
                std::string listed;
                for (const HostsPanel::Row& row : p.hosts.rows)
                    if (row.history == histories[i]) listed = row.state;
                bool live = snap.socket(histories[i]).phase == sim::SocketPhase::Live;
                if (live && state && *state != TcpState::Closed)
                    REQUIRE(listed == std::string(sim::netstat_state(*state, style)));
                else
                    REQUIRE(listed.empty());
            }
            for (const std::string& c : p.variables.countdowns) REQUIRE(c.find(" -") == std::string::npos);
            for (const StatesPanel::Countdown& c : p.states.countdowns) REQUIRE(c.text.find(" -") == std::string::npos);
        }
    }
}

TEST_CASE("the window as Linux means it: the raw field shifted by the scale both SYNs offered") {
    std::string file = std::string(NETSTEP_TEST_SCENARIOS) + "/profiles-linux.yaml";
    Session session(NETSTEP_EXE, file, 0);
    session.load(file, false);
    REQUIRE(session.view);
    const TraceView& view = *session.view;
    int scaled = 0;
    for (uint32_t i = 0; i < view.trace().packets.size(); ++i) {
        const PacketInfo& p = view.packet(i);
        if (!p.ok || p.proto != ip_proto::TCP) continue;
        if (p.flags & tcp_flag::SYN) {
            CHECK_FALSE(p.window_shift.has_value());  // a SYN's own window is never scaled (RFC 7323 §2.2)
            continue;
        }
        REQUIRE(p.window_shift == uint8_t(10));
        CHECK(p.scaled_window() == uint32_t(p.window) * 1024);
        ++scaled;
    }
    CHECK(scaled > 10);
    // The textbook profile offers no window scale: the field is the window.
    file = std::string(NETSTEP_TEST_SCENARIOS) + "/profiles-textbook.yaml";
    session.load(file, false);
    REQUIRE(session.view);
    for (uint32_t i = 0; i < session.view->trace().packets.size(); ++i) CHECK_FALSE(session.view->packet(i).window_shift.has_value());
}

TEST_CASE("presenter mode at 1280x800: the TIME-WAIT countdown is on screen whichever panel is big") {
    Headless imgui;
    ImGui::GetIO().DisplaySize = ImVec2(1280, 800);
    Fonts fonts = app_fonts();
    Strings text = strings_for(Language::En);
    std::string file = std::string(NETSTEP_TEST_SCENARIOS) + "/default.yaml";
    Session session(NETSTEP_EXE, file, 0);
    session.load(file, false);
    REQUIRE(session.view);
    const TraceView& view = *session.view;
    // The first step where an end is in TIME-WAIT.
    auto step = view.index().next_step(0, [](const sim::TraceEvent& e) {
        return e.kind == sim::EventKind::StateChange && e.to == TcpState::TimeWait;
    });
    REQUIRE(step);
    session.player.go_to(*step, view);
    for (BigPanel big : {BigPanel::Topology, BigPanel::Sequence, BigPanel::States, BigPanel::Variables, BigPanel::Details}) {
        CAPTURE(int(big));
        Layout l = compute_layout(ImVec2(1280, 800), kPresenterSizes, true, big);
        REQUIRE(l.focused);
        StatesPanel states;
        VariablesPanel variables;
        ImGui::NewFrame();
        ImGui::PushFont(fonts.body);
        ViewModel vm = view_model(view, session.player, text, fonts, session.generation);
        vm.presenter = vm.focused = true;
        Commands out;
        ImVec2 shown_min(FLT_MAX, FLT_MAX), shown_max(-FLT_MAX, -FLT_MAX);
        bool countdown = false;
        if (l.states.shown()) {
            ImGui::SetNextWindowPos(l.states.pos);
            ImGui::SetNextWindowSize(l.states.size);
            ImGui::Begin("states");
            states.draw(vm, out);
            ImGui::End();
            for (const StatesPanel::Countdown& c : states.countdowns) {
                CHECK(c.min.x >= l.states.pos.x);  // inside its window, not cut
                CHECK(c.max.x <= l.states.pos.x + l.states.size.x);
                CHECK(c.max.y <= l.states.pos.y + l.states.size.y);
                countdown = true;
            }
        }
        if (l.variables.shown()) {
            ImGui::SetNextWindowPos(l.variables.pos);
            ImGui::SetNextWindowSize(l.variables.size);
            ImGui::Begin("variables");
            variables.draw(vm, out);
            ImGui::End();
            countdown = countdown || std::any_of(variables.countdowns.begin(), variables.countdowns.end(),
                                                 [](const std::string& c) { return c.find("TIME-WAIT") != std::string::npos; });
        }
        ImGui::PopFont();
        ImGui::Render();
        CHECK(countdown);
    }
}
