// The controls driven through real ImGui input (mouse and keyboard) in a headless ImGui context:
// no window, no GL. Also draws every panel at every step of the demo trace (a smoke test).
#include <GLFW/glfw3.h>
#include <doctest/doctest.h>
#include <imgui.h>

#include <functional>

#include "viz/commands.hpp"
#include "viz/loader.hpp"
#include "viz/panels.hpp"
#include "viz/player.hpp"
#include "viz/trace_view.hpp"
#include "viz/view_model.hpp"

using namespace netstep;
using namespace netstep::viz;

namespace {

// An ImGui context with a built font atlas and the GLFW backend's key map, but no backend.
class Headless {
public:
    Headless() {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(1280, 800);
        io.IniFilename = nullptr;
        io.DeltaTime = 1.0f / 60.0f;
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        io.KeyMap[ImGuiKey_Space] = GLFW_KEY_SPACE;
        io.KeyMap[ImGuiKey_LeftArrow] = GLFW_KEY_LEFT;
        io.KeyMap[ImGuiKey_RightArrow] = GLFW_KEY_RIGHT;
        io.KeyMap[ImGuiKey_UpArrow] = GLFW_KEY_UP;
        io.KeyMap[ImGuiKey_DownArrow] = GLFW_KEY_DOWN;
        io.KeyMap[ImGuiKey_PageUp] = GLFW_KEY_PAGE_UP;
        io.KeyMap[ImGuiKey_PageDown] = GLFW_KEY_PAGE_DOWN;
        io.KeyMap[ImGuiKey_Home] = GLFW_KEY_HOME;
        io.KeyMap[ImGuiKey_End] = GLFW_KEY_END;
    }
    ~Headless() { ImGui::DestroyContext(); }
    Headless(const Headless&) = delete;
    Headless& operator=(const Headless&) = delete;
};

struct Fixture {
    Headless imgui;
    sim::Trace trace = demo_trace();
    TraceView view{trace};
    Strings text = strings_for(Language::En);
    Player player;
    ControlsPanel controls;

    ViewModel model() const {
        ViewModel vm(view, text, player);
        vm.step = player.step();
        vm.now = player.display_time(view);
        vm.connection = view.active_connection(vm.step);
        ImFont* font = ImGui::GetIO().Fonts->Fonts[0];
        vm.fonts = {font, font, font, font};
        return vm;
    }

    // One frame: input set up by `input`, the controls drawn, the commands applied.
    void frame(const std::function<void(ImGuiIO&)>& input = {}) {
        ImGuiIO& io = ImGui::GetIO();
        if (input) input(io);
        ImGui::NewFrame();
        ViewModel vm = model();
        Commands out;
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(1280, 120));
        ImGui::Begin("controls");
        controls.draw(vm, out);
        ImGui::End();
        controls.handle_keys(vm, out);
        ImGui::Render();
        for (const Command& c : out) apply_to_player(c, player, view);
    }

    void click(ImVec2 at) {
        frame([&](ImGuiIO& io) { io.MousePos = at; });
        frame([&](ImGuiIO& io) { io.MouseDown[0] = true; });
        frame([&](ImGuiIO& io) { io.MouseDown[0] = false; });
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
