// The topology of every classroom scenario, checked by the rectangles it drew (not pixels): in
// normal and presenter mode, at 1280x800 and 1920x1080 (the panel's size from compute_layout, the
// app's fonts and padding), at several steps including the busiest: no two host boxes overlap, no
// address or network name overlaps another host's box or another label, no packet marker or
// label covers a host's name.
#include <doctest/doctest.h>
#include <imgui.h>
#include <imgui_internal.h>  // FindWindowByName: is a tooltip shown

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "tests/viz/headless.hpp"
#include "viz/layout.hpp"
#include "viz/panels.hpp"

#ifdef NETSTEP_EXE
#include "viz/session.hpp"
#include "viz/style.hpp"

using namespace netstep;
using namespace netstep::viz;

namespace {

// DejaVu at the normal and the presenter sizes, in one context.
struct Headless : test::HeadlessFonts {
    Headless() : HeadlessFonts({kNormalSizes.body, kPresenterSizes.body}) {}
    const Fonts& normal() const { return sets[0]; }
    const Fonts& presenter() const { return sets[1]; }
};

struct Mode {
    ImVec2 display;
    bool presenter;
};

// The topology at `step` as the app draws it in `mode` (its window's rectangle, padding and
// fonts), in screenshot mode or with the mouse at `mouse`; two frames, the window settles its
// size in the first.
void draw(Session& session, const Strings& text, const Headless& imgui, TopologyPanel& topology, uint32_t step, Mode mode,
          ImVec2 mouse = ImVec2(-1, -1)) {
    Layout l = compute_layout(mode.display, mode.presenter ? kPresenterSizes : kNormalSizes, mode.presenter, BigPanel::Topology);
    REQUIRE(l.topology.shown());
    const Fonts& fonts = mode.presenter ? imgui.presenter() : imgui.normal();
    ImGui::GetStyle() = classroom_style(mode.presenter);  // the app's padding and spacing
    ImGui::GetIO().DisplaySize = mode.display;
    ImGui::GetIO().MousePos = mouse;
    session.player.go_to(step, *session.view);
    for (int f = 0; f < 2; ++f) {
        ImGui::NewFrame();
        ImGui::PushFont(fonts.body);
        ViewModel vm = test::view_model(*session.view, session.player, text, fonts, session.generation, mouse.x < 0);
        vm.presenter = mode.presenter;
        vm.focused = mode.presenter && presenter_focused(mode.display);
        vm.thickness = mode.presenter ? 1.8f : 1.0f;
        Commands out;
        ImGui::SetNextWindowPos(l.topology.pos);
        ImGui::SetNextWindowSize(l.topology.size);
        ImGui::Begin("Topology###topology", nullptr, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize);
        topology.draw(vm, out);
        ImGui::End();
        ImGui::PopFont();
        ImGui::Render();
    }
}

bool overlap(ImVec2 a_min, ImVec2 a_max, ImVec2 b_min, ImVec2 b_max) {
    return a_min.x < b_max.x && b_min.x < a_max.x && a_min.y < b_max.y && b_min.y < a_max.y;
}

// The steps worth a look: evenly spread, the busiest, and packets just leaving their host.
std::vector<uint32_t> steps_of(const TraceView& view) {
    std::set<uint32_t> steps;
    uint32_t last = view.last_step();
    for (uint32_t i = 0; i <= 8; ++i) steps.insert(uint32_t(uint64_t(last) * i / 8));
    uint32_t busiest = 0;
    size_t most = 0;
    for (uint32_t s = 0; s <= last; ++s) {
        size_t n = view.index().packets_in_flight(s).size();
        if (n > most) most = n, busiest = s;
    }
    steps.insert(busiest);
    const auto& packets = view.trace().packets;
    for (size_t k = 0; k < 8 && !packets.empty(); ++k) steps.insert(packets[packets.size() * k / 8].sent_step);
    return {steps.begin(), steps.end()};
}

// What the last frame drew that breaks a rule, one line each.
std::vector<std::string> violations(const TopologyPanel& t, const sim::Trace& trace) {
    std::vector<std::string> bad;
    auto name = [&](uint32_t h) { return h < trace.hosts.size() ? trace.hosts[h].name : "?"; };
    const auto& hosts = t.host_rects;
    for (size_t i = 0; i < hosts.size(); ++i)
        for (size_t j = i + 1; j < hosts.size(); ++j)
            if (overlap(hosts[i].min, hosts[i].max, hosts[j].min, hosts[j].max))
                bad.push_back("boxes of " + name(hosts[i].host) + " and " + name(hosts[j].host) + " overlap");
    for (size_t i = 0; i < t.address_rects.size(); ++i) {
        const auto& a = t.address_rects[i];
        for (const auto& h : hosts) {
            if (h.host != a.id && overlap(a.min, a.max, h.min, h.max))
                bad.push_back("address of " + name(a.id) + " on the box of " + name(h.host));
        }
        for (size_t j = i + 1; j < t.address_rects.size(); ++j) {
            const auto& b = t.address_rects[j];
            if (overlap(a.min, a.max, b.min, b.max)) bad.push_back("addresses of " + name(a.id) + " and " + name(b.id) + " overlap");
        }
    }
    for (const auto& n : t.network_rects) {
        std::string network = n.id < trace.networks.size() ? trace.networks[n.id].name : "?";
        for (const auto& h : hosts)
            if (overlap(n.min, n.max, h.min, h.max)) bad.push_back("the name of " + network + " on the box of " + name(h.host));
        for (const auto& a : t.address_rects)
            if (overlap(n.min, n.max, a.min, a.max)) bad.push_back("the name of " + network + " on the address of " + name(a.id));
    }
    for (const auto& h : hosts) {
        for (const auto& m : t.marker_rects)
            if (overlap(m.min, m.max, h.name_min, h.name_max)) bad.push_back("a packet marker on the name " + name(h.host));
        for (const auto& l : t.labels)
            if (overlap(l.min, l.max, h.name_min, h.name_max)) bad.push_back("a packet label on the name " + name(h.host));
    }
    return bad;
}

}  // namespace

TEST_CASE("topology: in every scenario and mode, boxes apart, labels clear of other hosts, names uncovered") {
    Headless imgui;
    Strings text = strings_for(Language::En);
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(NETSTEP_TEST_SCENARIOS))
        if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 20);
    const Mode modes[] = {{{1280, 800}, false}, {{1280, 800}, true}, {{1920, 1080}, false}, {{1920, 1080}, true}};
    for (const std::string& file : files) {
        Session session{NETSTEP_EXE, file, 0};
        session.load(file, false);
        REQUIRE(session.view);
        REQUIRE(session.error.empty());
        std::vector<uint32_t> steps = steps_of(*session.view);
        for (const Mode& mode : modes) {
            TopologyPanel topology;
            std::vector<std::string> bad;
            for (uint32_t step : steps) {
                draw(session, text, imgui, topology, step, mode);
                REQUIRE(topology.host_rects.size() == session.trace->hosts.size());
                for (const std::string& v : violations(topology, *session.trace)) bad.push_back("step " + std::to_string(step) + ": " + v);
            }
            char where[160];
            std::snprintf(where, sizeof where, "%s, %gx%g%s: %zu problems", std::filesystem::path(file).filename().c_str(),
                          mode.display.x, mode.display.y, mode.presenter ? " presenter" : "", bad.size());
            std::string first = bad.empty() ? "" : bad.front() + (bad.size() > 1 ? "; " + bad[bad.size() / 2] : "");
            CHECK_MESSAGE(bad.empty(), where, " ", first);
        }
    }
}

// Names too long for their boxes and a network name too long for the panel: cut with "…", the
// whole text kept for a tooltip, shown when the mouse is over it; short names whole.
TEST_CASE("topology: a text cut ends in an ellipsis, the whole of it in a tooltip") {
    Headless imgui;
    Strings text = strings_for(Language::En);
    std::string file = (std::filesystem::path(NETSTEP_TEST_SCENARIOS).parent_path() / "tests/viz/data/long-names.yaml").string();
    Session session{NETSTEP_EXE, file, 0};
    session.load(file, false);
    REQUIRE(session.view);
    REQUIRE(session.error.empty());
    const sim::Trace& t = *session.trace;
    for (Mode mode : {Mode{{1280, 800}, true}, Mode{{1280, 800}, false}}) {
        CAPTURE(mode.presenter);
        TopologyPanel topology;
        draw(session, text, imgui, topology, 12, mode);
        CHECK(violations(topology, t).empty());
        auto cut = [&](const std::string& whole) {
            return std::any_of(topology.cut_texts.begin(), topology.cut_texts.end(), [&](const auto& c) { return c.text == whole; });
        };
        for (const auto& h : topology.host_rects) {
            CAPTURE(t.hosts[h.host].name);
            CHECK(cut(t.hosts[h.host].name) == (t.hosts[h.host].name.size() > 20));
            CHECK(h.name_min.x >= h.min.x);  // the name, cut or whole, inside its box
            CHECK(h.name_max.x <= h.max.x);
        }
        std::string network = t.networks[0].name + "  " + t.networks[0].subnet.to_string();
        REQUIRE(cut(network));
        // The mouse over the network's cut name: a tooltip; over an empty corner: none.
        auto tooltip_at = [&](ImVec2 at) {
            for (int frame = 0; frame < 2; ++frame) draw(session, text, imgui, topology, 12, mode, at);
            ImGuiWindow* tip = ImGui::FindWindowByName("##Tooltip_00");
            return tip != nullptr && tip->Active;
        };
        auto name = std::find_if(topology.cut_texts.begin(), topology.cut_texts.end(), [&](const auto& c) { return c.text == network; });
        CHECK(tooltip_at(ImVec2((name->min.x + name->max.x) * 0.5f, (name->min.y + name->max.y) * 0.5f)));
        Layout l = compute_layout(mode.display, mode.presenter ? kPresenterSizes : kNormalSizes, mode.presenter, BigPanel::Topology);
        CHECK_FALSE(tooltip_at(ImVec2(l.topology.pos.x + l.topology.size.x - 30, l.topology.pos.y + l.topology.size.y * 0.5f)));
    }
}

#endif
