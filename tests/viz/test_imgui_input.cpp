// The controls driven through real ImGui input (mouse and keyboard) in a headless ImGui context:
// no window, no GL. Also draws every panel at every step of the demo trace (a smoke test).
#include <GLFW/glfw3.h>
#include <doctest/doctest.h>
#include <imgui.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <functional>

#include "viz/commands.hpp"
#include "viz/layout.hpp"
#include "viz/loader.hpp"
#include "viz/panels.hpp"
#include "viz/player.hpp"
#include "viz/trace_view.hpp"
#include "viz/view_model.hpp"
#include "tests/viz/headless.hpp"

using namespace netstep::viz::test;

using namespace netstep;
using namespace netstep::viz;

namespace {


struct Fixture {
    Headless imgui;
    sim::Trace trace = demo_trace();
    TraceView view{trace};
    Strings text = strings_for(Language::En);
    Player player;
    ControlsPanel controls;
    bool focused = false;          // presenter mode on a small screen
    BigPanel big_panel = BigPanel::Topology;
    Commands last;                 // the last frame's commands

    ViewModel model() const {
        ViewModel vm = view_model(view, player, text, default_fonts(), 0, false);
        vm.presenter = focused;
        vm.focused = focused;
        vm.big_panel = big_panel;
        return vm;
    }

    // One frame: input set up by `input`, the controls drawn, the commands applied.
    void frame(const Input& input = {}) {
        ViewModel vm = model();
        Commands out = draw_frame(
            "controls", ImVec2(1280, 120), input, [&](Commands& c) { controls.draw(vm, c); },
            [&](Commands& c) { controls.handle_keys(vm, c); });
        for (const Command& c : out) {
            if (const auto* show = std::get_if<cmd::ShowPanel>(&c)) big_panel = show->panel;
            else apply_to_player(c, player, view);
        }
        last = out;
    }

    void click(ImVec2 at) {
        for (const Input& input : click_frames(at, 0)) frame(input);
    }

    void press(int key) {
        frame([&](ImGuiIO& io) { io.KeysDown[key] = true; });
        frame([&](ImGuiIO& io) { io.KeysDown[key] = false; });
    }
};

}  // namespace

TEST_CASE_FIXTURE(Fixture, "clicking the step buttons moves the current step") {
    frame();
    click(controls.step_forward_center);
    CHECK(player.step() == 1);
    click(controls.step_forward_center);
    CHECK(player.step() == 2);
    click(controls.step_back_center);
    CHECK(player.step() == 1);
}

TEST_CASE_FIXTURE(Fixture, "hovering the (?) beside the step lists the keyboard shortcuts") {
    frame();
    CHECK_FALSE(controls.keys_help_shown);
    frame([&](ImGuiIO& io) { io.MousePos = controls.keys_help_center; });
    frame();
    CHECK(controls.keys_help_shown);
    focused = true;  // presenter mode: keyboard only, no marker
    frame();
    CHECK_FALSE(controls.keys_help_shown);
}

TEST_CASE_FIXTURE(Fixture, "clicking play starts playing") {
    frame();
    click(controls.play_center);
    CHECK(player.playing());
    click(controls.play_center);
    CHECK_FALSE(player.playing());
}

TEST_CASE_FIXTURE(Fixture, "keyboard: arrows step, Home and End jump, space plays") {
    frame();
    press(GLFW_KEY_RIGHT);
    press(GLFW_KEY_RIGHT);
    CHECK(player.step() == 2);
    press(GLFW_KEY_LEFT);
    CHECK(player.step() == 1);
    press(GLFW_KEY_END);
    CHECK(player.step() == view.last_step());
    press(GLFW_KEY_HOME);
    CHECK(player.step() == 0);
    press(GLFW_KEY_PAGE_DOWN);
    CHECK(trace.events[player.step()].kind == sim::EventKind::PacketSent);
    press(GLFW_KEY_DOWN);
    CHECK(trace.events[player.step()].kind == sim::EventKind::StateChange);
    press(GLFW_KEY_SPACE);
    CHECK(player.playing());
}

TEST_CASE_FIXTURE(Fixture, "presenter mode on a small screen: keys 1-6 bring up a panel, Tab the next one") {
    frame();
    press(GLFW_KEY_2);
    CHECK(big_panel == BigPanel::Topology);  // all panels shown: the keys do nothing
    focused = true;
    press(GLFW_KEY_2);
    CHECK(big_panel == BigPanel::Sequence);
    press(GLFW_KEY_5);
    CHECK(big_panel == BigPanel::Details);
    ImGui::GetIO().KeyMap[ImGuiKey_Tab] = GLFW_KEY_TAB;
    press(GLFW_KEY_TAB);
    CHECK(big_panel == BigPanel::Terminal);
    press(GLFW_KEY_TAB);
    CHECK(big_panel == BigPanel::Topology);  // round again
    press(GLFW_KEY_TAB);
    CHECK(big_panel == BigPanel::Sequence);
    CHECK(player.step() == 0);               // the keys move no step
}

TEST_CASE_FIXTURE(Fixture, "every panel draws every step of the demo trace") {
    TopologyPanel topology;
    LadderPanel ladder;
    StatesPanel states;
    VariablesPanel variables;
    HostsPanel hosts;
    InspectorPanel inspector;
    LogPanel log;
    HeaderPanel header;
    size_t commands = 0;
    for (uint32_t s = 0; s <= view.last_step(); ++s) {
        player.go_to(s, view);
        ImGui::NewFrame();
        ViewModel vm = model();
        vm.generation = 1;
        if (s % 2 == 1) vm.selection.packet = uint32_t(s % trace.packets.size());
        Commands out;
        auto window = [&](const char* name, auto& panel) {
            ImGui::SetNextWindowSize(ImVec2(600, 300));
            ImGui::Begin(name);
            panel.draw(vm, out);
            ImGui::End();
        };
        window("header", header);
        window("topology", topology);
        window("ladder", ladder);
        window("states", states);
        window("variables", variables);
        window("hosts", hosts);
        window("inspector", inspector);
        window("log", log);
        ImGui::Render();
        commands += out.size();
        CHECK(ImGui::GetDrawData()->TotalVtxCount > 0);
    }
    CHECK(commands == 0);  // drawing alone asks for nothing
}

// --- What if, and reload, on a real run of the simulator -----------------------------------
#ifdef NETSTEP_EXE
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "viz/session.hpp"

namespace {

// A copy of a classroom scenario in a fresh directory (the tests edit it).
std::string scenario_copy(const char* name) {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("netstep-viz-test-" + std::to_string(::getpid()) + "-" + name);
    fs::create_directories(dir);
    fs::path to = dir / (std::string(name) + ".yaml");
    fs::copy_file(fs::path(NETSTEP_TEST_SCENARIOS) / (std::string(name) + ".yaml"), to, fs::copy_options::overwrite_existing);
    return to.string();
}

struct SessionFixture {
    ~SessionFixture() {
        std::error_code ec;
        std::filesystem::remove_all(std::filesystem::path(file).parent_path(), ec);
    }
    SessionFixture() = default;
    SessionFixture(const SessionFixture&) = delete;
    SessionFixture& operator=(const SessionFixture&) = delete;

    Headless imgui;
    Strings text = strings_for(Language::En);
    std::string file = scenario_copy("default");
    Session session{NETSTEP_EXE, file, 0};
    LadderPanel ladder;

    ViewModel model() const {
        ViewModel vm = view_model(*session.view, session.player, text, default_fonts(), session.generation, false);
        vm.scenario_file = session.original_file;
        return vm;
    }

    // One frame of the sequence diagram; returns what the user asked for.
    Commands frame(const Input& input = {}) {
        ViewModel vm = model();
        return draw_frame("ladder", ImVec2(900, 700), input, [&](Commands& c) { ladder.draw(vm, c); });
    }

    Commands click(ImVec2 at, int button) {
        Commands all;
        for (const Input& input : click_frames(at, button)) {
            Commands out = frame(input);
            all.insert(all.end(), out.begin(), out.end());
        }
        return all;
    }
};

}  // namespace

TEST_CASE_FIXTURE(SessionFixture, "what if: right-click a packet, drop it: the run is redone at the same step") {
    session.load(file, false);
    REQUIRE(session.view);
    REQUIRE(session.error.empty());
    // The step where the server sends its SYN+ACK.
    uint32_t step = kNone, packet = kNone;
    for (uint32_t i = 0; i < session.trace->packets.size() && packet == kNone; ++i) {
        if (session.view->packet(i).kind == PacketKind::SynAck) packet = i;
    }
    REQUIRE(packet != kNone);
    step = session.trace->packets[packet].sent_step;
    session.player.go_to(step, *session.view);
    size_t events_before = session.trace->events.size();
    uint64_t generation_before = session.generation;
    CHECK_FALSE(session.trace->packets[packet].dropped);

    frame();
    frame();
    auto it = std::find_if(ladder.label_centers.begin(), ladder.label_centers.end(),
                           [&](const auto& lc) { return lc.first == packet; });
    REQUIRE(it != ladder.label_centers.end());
    CHECK(click(it->second, 1).empty());          // right-click: the menu opens, nothing yet
    CHECK(ladder.context_packet == packet);
    frame();
    Commands out = click(ladder.menu_centers[0], 0);  // "Drop this packet"
    REQUIRE(out.size() == 1);
    const auto* what_if = std::get_if<cmd::WhatIf>(&out[0]);
    REQUIRE(what_if != nullptr);
    CHECK(what_if->packet == packet);
    CHECK(what_if->fault == Fault::Drop);

    CHECK(session.what_if(what_if->packet, what_if->fault));
    CHECK(session.error.empty());
    CHECK(session.generation == generation_before + 1);
    CHECK(session.modified());
    CHECK(session.player.step() == step);                      // the view stays where it was
    CHECK(session.trace->packets[packet].dropped);             // that very packet is lost now
    CHECK(session.trace->events.size() != events_before);      // and the run went differently

    REQUIRE(session.copies.size() == 1);
    CHECK(std::filesystem::exists(session.copies[0]));
    session.revert();
    CHECK_FALSE(session.modified());
    CHECK(session.player.step() == step);
    CHECK_FALSE(session.trace->packets[packet].dropped);
}

TEST_CASE_FIXTURE(SessionFixture, "reload: the file changed on disk, the new run is shown at the same step") {
    session.load(file, false);
    REQUIRE(session.view);
    session.player.go_to(10, *session.view);
    CHECK_FALSE(session.reload_if_changed());  // nothing changed yet

    std::stringstream text;
    text << std::ifstream(file).rdbuf();
    std::string yaml = text.str();
    size_t at = yaml.find("title:");
    REQUIRE(at != std::string::npos);
    yaml.replace(at, yaml.find('\n', at) - at, "title: Edited during the lesson");
    std::ofstream(file) << yaml;
    // A second later on disk, as an editor saving it would make it (mtime granularity aside).
    std::filesystem::last_write_time(file, std::filesystem::last_write_time(file) + std::chrono::seconds(1));

    uint64_t generation_before = session.generation;
    CHECK(session.reload_if_changed());
    CHECK(session.generation == generation_before + 1);
    CHECK(session.trace->title == "Edited during the lesson");
    CHECK(session.player.step() == 10);
    CHECK_FALSE(session.reload_if_changed());  // once only

    // A broken edit: the error is kept, and the last good trace stays on screen.
    std::ofstream(file) << "netstep: 1\nhosts: [\n";
    std::filesystem::last_write_time(file, std::filesystem::last_write_time(file) + std::chrono::seconds(2));
    CHECK(session.reload_if_changed());
    CHECK_FALSE(session.error.empty());
    CHECK(session.error.find("default.yaml") != std::string::npos);
    REQUIRE(session.trace);
    CHECK(session.trace->title == "Edited during the lesson");
}

namespace {


// The topology of `session` at `step` in a window of `size` at the top left, as a screenshot
// draws it (two frames: the window settles its size in the first).
void draw_topology(Session& session, const Strings& text, TopologyPanel& topology, uint32_t step, ImVec2 size,
                   const Fonts& fonts) {
    session.player.go_to(step, *session.view);
    for (int f = 0; f < 2; ++f) {
        ImGui::NewFrame();
        ImGui::PushFont(fonts.body);
        ViewModel vm = view_model(*session.view, session.player, text, fonts, session.generation);
        Commands out;
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(size);
        ImGui::Begin("topology");
        topology.draw(vm, out);
        ImGui::End();
        ImGui::PopFont();
        ImGui::Render();
    }
}

bool overlap(ImVec2 a_min, ImVec2 a_max, ImVec2 b_min, ImVec2 b_max) {
    return a_min.x < b_max.x && b_min.x < a_max.x && a_min.y < b_max.y && b_min.y < a_max.y;
}

}  // namespace

// Slow start: a train of ACKs and segments on one link. Each label has its own place (none on
// another), a few at most, and the packets left without one are counted ("+N more packets").
TEST_CASE("topology: packet labels never cover one another: the unlabeled ones are counted") {
    Headless imgui;
    Strings text = strings_for(Language::En);
    Session session{NETSTEP_EXE, std::string(NETSTEP_TEST_SCENARIOS) + "/tcp-slow-start.yaml", 0};
    session.load(session.original_file, false);
    REQUIRE(session.view);
    REQUIRE(session.error.empty());
    ImFont* font = ImGui::GetIO().Fonts->Fonts[0];
    Fonts fonts{font, font, font, font};
    TopologyPanel topology;
    int unlabeled = 0;
    for (uint32_t step : {120u, 200u, 300u}) {
        CAPTURE(step);
        draw_topology(session, text, topology, step, ImVec2(640, 310), fonts);
        size_t flying = session.view->index().packets_in_flight(step).size();
        REQUIRE(flying > 4);
        CHECK_FALSE(topology.labels.empty());
        CHECK(topology.labels.size() <= 8);
        CHECK(topology.labels.size() + size_t(topology.unlabeled_packets) >= flying);
        for (size_t i = 0; i < topology.labels.size(); ++i) {
            for (size_t j = i + 1; j < topology.labels.size(); ++j) {
                const auto& a = topology.labels[i];
                const auto& b = topology.labels[j];
                CAPTURE(a.packet);
                CAPTURE(b.packet);
                CHECK_FALSE(overlap(a.min, a.max, b.min, b.max));
            }
        }
        unlabeled += topology.unlabeled_packets;
    }
    CHECK(unlabeled > 0);  // too many for one link: some are left unlabeled
}

// Classroom scenarios with a few hosts on one LAN, every step with a packet on the wire, in the
// topology panel's size at 1280x800 (and a smaller and a larger one), with the app's fonts: a
// packet that has just left a host (or is about to reach one), or several sent together, are all
// labeled, and no label covers a host box.
TEST_CASE("topology: packet labels keep off the host boxes, even right beside a host") {
    Headless imgui;
    Fonts fonts = app_fonts();
    Strings text = strings_for(Language::En);
    for (const char* name : {"default", "tcp-close-half-close", "tcp-open-lost-syn", "tcp-errors-addrinuse"}) {
        Session session{NETSTEP_EXE, std::string(NETSTEP_TEST_SCENARIOS) + "/" + name + ".yaml", 0};
        session.load(session.original_file, false);
        REQUIRE(session.view);
        REQUIRE(session.error.empty());
        int labeled = 0;
        for (ImVec2 size : {ImVec2(640, 307), ImVec2(520, 260), ImVec2(900, 420)}) {
            TopologyPanel topology;
            for (uint32_t step = 0; step <= session.view->last_step(); ++step) {
                if (session.view->index().packets_in_flight(step).empty()) continue;
                CAPTURE(std::string(name));
                CAPTURE(size.x);
                CAPTURE(step);
                draw_topology(session, text, topology, step, size, fonts);
                REQUIRE(topology.host_rects.size() == session.trace->hosts.size());
                CHECK(topology.unlabeled_packets == 0);
                for (const auto& l : topology.labels) {
                    for (const auto& h : topology.host_rects) {
                        CAPTURE(l.packet);
                        CAPTURE(h.host);
                        CHECK_FALSE(overlap(l.min, l.max, h.min, h.max));
                    }
                }
                labeled += int(topology.labels.size());
            }
        }
        CHECK(labeled > 0);
    }
}
#endif
