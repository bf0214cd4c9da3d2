// One scenario's run loaded in a headless viewer session, for tests that draw one panel at a
// step and check what it drew (test_link.cpp, test_switch.cpp).
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

#include "tests/viz/headless.hpp"
#include "viz/panels.hpp"
#include "viz/session.hpp"

#ifdef NETSTEP_EXE
namespace netstep::viz::test {

struct PanelRun {
    // A scenario of scenarios/, or a path.
    explicit PanelRun(const std::string& scenario)
        : session{NETSTEP_EXE, scenario.starts_with("/") ? scenario : std::string(NETSTEP_TEST_SCENARIOS) + "/" + scenario, 0} {
        session.load(session.original_file, false);
    }

    const TraceView& view() const { return *session.view; }
    const sim::Trace& trace() const { return *session.trace; }
    uint32_t host(const std::string& name) const {
        for (uint32_t h = 0; h < trace().hosts.size(); ++h)
            if (trace().hosts[h].name == name) return h;
        return kNone;
    }
    // The steps of the events whose text starts with `prefix`, in order.
    std::vector<uint32_t> steps_of(sim::EventKind kind, const std::string& prefix) const {
        std::vector<uint32_t> steps;
        for (uint32_t s = 0; s < trace().events.size(); ++s) {
            const sim::TraceEvent& e = trace().events[s];
            if (e.kind == kind && trace().str(e.text).rfind(prefix, 0) == 0) steps.push_back(s);
        }
        return steps;
    }
    // One frame of `draw` in a window of `size`, at `step` (two: the window settles first).
    template <typename Draw>
    void at(uint32_t step, ImVec2 size, Draw draw) {
        session.player.go_to(step, view());
        for (int f = 0; f < 2; ++f) frame(size, {}, draw);
    }
    // One more frame at the same step, with `input` (the mouse, keys: test::click_frames).
    // Returns what the panel asked for.
    template <typename Draw>
    Commands frame(ImVec2 size, const Input& input, Draw draw) {
        if (input) input(ImGui::GetIO());
        ImGui::NewFrame();
        ImGui::PushFont(fonts.body);
        ViewModel vm = test::view_model(view(), session.player, text, fonts, session.generation);
        vm.selection = selection;
        if (selection.packet != kNone) vm.connection = view().connection_of_packet(selection.packet);  // as the app does
        Commands out;
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(size);
        ImGui::Begin("panel");
        draw(vm, out);
        ImGui::End();
        ImGui::PopFont();
        ImGui::Render();
        return out;
    }

    test::Headless imgui;
    Fonts fonts = test::app_fonts();
    Strings text = strings_for(Language::En);
    Session session;
    Selection selection;               // what the user selected (the app's, as the panels see it)
};

}  // namespace netstep::viz::test
#endif
