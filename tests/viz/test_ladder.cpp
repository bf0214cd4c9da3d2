// The sequence diagram, drawn headless at every step of real runs, in the ladder panel's size at
// 1280x800 and 1920x1080, normal and presenter mode, with the app's fonts. Checked on what it
// drew (rectangles and end points), not on pixels.
#include <doctest/doctest.h>
#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <utility>

#include "tests/viz/headless.hpp"
#include "viz/layout.hpp"
#include "viz/panels.hpp"
#include "viz/session.hpp"

#ifdef NETSTEP_EXE
using namespace netstep;
using namespace netstep::viz;

namespace {

struct Screen {
    ImVec2 display;
    bool presenter;
};
const Screen kScreens[] = {{{1280, 800}, false}, {{1280, 800}, true}, {{1920, 1080}, false}, {{1920, 1080}, true}};

// A classroom scenario by name ("default"), or a file under the source tree ("tests/data/...").
std::string scenario_path(const std::string& name) {
    if (name.find('/') == std::string::npos) return std::string(NETSTEP_TEST_SCENARIOS) + "/" + name + ".yaml";
    if (name.front() == '/') return name;
    return std::string(NETSTEP_SOURCE_DIR) + "/" + name;
}

// One scenario's run, its ladder drawn as the app would on `screen` (presenter mode on a small
// screen: the sequence diagram as the big panel).
struct LadderRun {
    explicit LadderRun(const std::string& name, Screen s)
        : screen(s), imgui((s.presenter ? kPresenterSizes : kNormalSizes).body, s.display),
          session(NETSTEP_EXE, scenario_path(name), 0) {
        session.load(session.original_file, false);
        Layout l = compute_layout(s.display, s.presenter ? kPresenterSizes : kNormalSizes, s.presenter, BigPanel::Sequence);
        rect = l.ladder;
    }

    void draw(uint32_t step, uint32_t selected = kNone) {
        session.player.go_to(step, *session.view);
        for (int f = 0; f < 2; ++f) {  // the window settles its size in the first
            ImGui::NewFrame();
            ImGui::PushFont(imgui.fonts.body);
            ViewModel vm = test::view_model(*session.view, session.player, text, imgui.fonts, session.generation);
            vm.selection.packet = selected;
            if (selected != kNone) vm.connection = session.view->connection_of_packet(selected);  // as the app does
            vm.presenter = screen.presenter;
            vm.focused = screen.presenter && presenter_focused(screen.display);
            vm.big_panel = BigPanel::Sequence;
            vm.thickness = screen.presenter ? 1.8f : 1.0f;
            Commands out;
            ImGui::SetNextWindowPos(rect.pos);
            ImGui::SetNextWindowSize(rect.size);
            ImGui::Begin("Sequence diagram###ladder", nullptr, ImGuiWindowFlags_NoScrollbar);
            ladder.draw(vm, out);
            ImGui::End();
            ImGui::PopFont();
            ImGui::Render();
        }
    }

    // The steps to draw: all of them, or 150 or so spread over a long run.
    std::vector<uint32_t> steps() const {
        std::vector<uint32_t> all;
        uint32_t last = session.view->last_step(), stride = std::max<uint32_t>(1, last / 150);
        for (uint32_t s = 0; s <= last; s += stride) all.push_back(s);
        return all;
    }

    const LadderPanel::Box* label_of(uint32_t packet) const {
        for (const auto& b : ladder.labels)
            if (b.id == packet) return &b;
        return nullptr;
    }
    const LadderPanel::Box* head_of(int lifeline) const {
        for (const auto& b : ladder.heads)
            if (b.id == uint32_t(lifeline)) return &b;
        return nullptr;
    }
    bool in_view_x(const LadderPanel::Box& b) const {
        return b.min.x >= ladder.view_min.x - 0.5f && b.max.x <= ladder.view_max.x + 0.5f;
    }
    bool in_view(ImVec2 min, ImVec2 max) const {
        return min.x >= ladder.view_min.x - 0.5f && max.x <= ladder.view_max.x + 0.5f && min.y >= ladder.view_min.y - 0.5f &&
               max.y <= ladder.view_max.y + 0.5f;
    }

    Screen screen;
    test::HeadlessFonts imgui;
    Strings text = strings_for(Language::En);
    Session session;
    LadderPanel ladder;
    Rect rect;
};

bool overlap(ImVec2 a_min, ImVec2 a_max, ImVec2 b_min, ImVec2 b_max) {
    return a_min.x < b_max.x && b_min.x < a_max.x && a_min.y < b_max.y && b_min.y < a_max.y;
}

const char* const kScenarios[] = {"tests/data/scenarios/port_scan.yaml", "udp-closed-port", "default", "ip-router",
                                  "applications-ftp-active", "tcp-slow-start", "tcp-open-simultaneous", "scale-busy-server"};

}  // namespace

// Every arrow drawn joins two lifelines whose name tags are drawn and that stand within the
// visible diagram: none goes to a lifeline scrolled out of view or hidden.
TEST_CASE("ladder: every arrow drawn joins two lifelines in view") {
    for (const char* name : kScenarios) {
        for (Screen s : kScreens) {
            LadderRun run(name, s);
            REQUIRE(run.session.error.empty());
            int arrows = 0;
            for (uint32_t step : run.steps()) {
                run.draw(step);
                for (const auto& line : run.ladder.lines) {
                    CAPTURE(std::string(name));
                    CAPTURE(s.display.x);
                    CAPTURE(s.presenter);
                    CAPTURE(step);
                    CAPTURE(line.packet);
                    const auto* from = run.head_of(line.from);
                    const auto* to = run.head_of(line.to);
                    REQUIRE(from != nullptr);
                    REQUIRE(to != nullptr);
                    CHECK(run.in_view_x(*from));
                    CHECK(run.in_view_x(*to));
                    CHECK(line.a.x >= run.ladder.view_min.x);
                    CHECK(line.b.x <= run.ladder.view_max.x);
                    CHECK(line.b.x >= run.ladder.view_min.x);
                    CHECK(line.a.x <= run.ladder.view_max.x);
                    ++arrows;
                }
            }
            CHECK(arrows > 0);
        }
    }
}

// The packet of the current step is drawn and labeled in view, whatever the connection: a SYN to a
// closed port and its RST among other connections, an ICMP error, a busy server's FIN.
TEST_CASE("ladder: the packet just sent is drawn, its label in view") {
    for (const char* name : kScenarios) {
        for (Screen s : kScreens) {
            LadderRun run(name, s);
            const sim::Trace& t = *run.session.trace;
            int checked = 0;
            for (uint32_t step : run.steps()) {
                const sim::TraceEvent& e = t.events[step];
                if (e.kind != sim::EventKind::PacketSent) continue;
                run.draw(step);
                CAPTURE(std::string(name));
                CAPTURE(s.display.x);
                CAPTURE(s.presenter);
                CAPTURE(step);
                const auto* label = run.label_of(e.packet);
                REQUIRE(label != nullptr);
                CHECK(run.in_view(label->min, label->max));
                ++checked;
            }
            CHECK(checked > 0);
        }
    }
}

TEST_CASE("ladder: the RSTs of a port scan are drawn, between the scanner and the closed port") {
    LadderRun run("tests/data/scenarios/port_scan.yaml", kScreens[0]);
    const sim::Trace& t = *run.session.trace;
    int rsts = 0;
    for (uint32_t p = 0; p < t.packets.size(); ++p) {
        if (run.session.view->packet(p).kind != PacketKind::Rst) continue;
        run.draw(t.packets[p].end_step);
        auto it = std::find_if(run.ladder.lines.begin(), run.ladder.lines.end(), [&](const auto& l) { return l.packet == p; });
        REQUIRE(it != run.ladder.lines.end());
        const std::string& from = run.ladder.cache.lifelines[size_t(it->from)].name;
        CHECK((from == "server:20" || from == "server:22"));
        CHECK(run.ladder.cache.lifelines[size_t(it->to)].name.rfind("scanner:", 0) == 0);
        ++rsts;
    }
    CHECK(rsts == 2);
}

// ICMP port unreachable: from the closed port's lifeline to the socket whose datagram failed.
TEST_CASE("ladder: an ICMP error goes to the socket it is about") {
    LadderRun run("udp-closed-port", kScreens[0]);
    const sim::Trace& t = *run.session.trace;
    int icmps = 0;
    for (uint32_t p = 0; p < t.packets.size(); ++p) {
        if (run.session.view->packet(p).kind != PacketKind::Icmp) continue;
        run.draw(t.packets[p].end_step);
        auto it = std::find_if(run.ladder.lines.begin(), run.ladder.lines.end(), [&](const auto& l) { return l.packet == p; });
        REQUIRE(it != run.ladder.lines.end());
        CHECK(run.ladder.cache.lifelines[size_t(it->from)].name == "server:9999");
        CHECK(run.ladder.cache.lifelines[size_t(it->to)].name.rfind("laptop:", 0) == 0);
        ++icmps;
    }
    CHECK(icmps == 2);
    CHECK(run.ladder.cache.lifelines.size() == 3);  // laptop's two sockets and server:9999
}

// An echo request has no port: ping, its reply and the time exceeded about it are drawn between
// the hosts' lifelines (a quoted echo once made a lifeline "laptop:0").
TEST_CASE("ladder: ping and the ICMP errors about it go between hosts") {
    LadderRun run("ip-ping-traceroute", kScreens[0]);
    run.draw(uint32_t(run.session.trace->events.size() - 1));
    std::vector<std::string> names;
    for (const auto& l : run.ladder.cache.lifelines) names.push_back(l.name);
    CHECK(names == std::vector<std::string>{"laptop", "router1", "router2", "server"});
}

// No label covers another at any step, a packet selected or not.
TEST_CASE("ladder: labels never overlap") {
    std::vector<std::string> all = {kScenarios[0]};
    for (const auto& f : std::filesystem::directory_iterator(NETSTEP_TEST_SCENARIOS))
        if (f.path().extension() == ".yaml") all.push_back(f.path().string());
    for (const std::string& name : all) {
        for (Screen s : kScreens) {
            LadderRun run(name, s);
            int labels = 0;
            const sim::Trace& t = *run.session.trace;
            for (uint32_t step : run.steps()) {
                // Every other step, a packet clicked a little earlier (its label must find room too).
                uint32_t selected = kNone;
                for (uint32_t p = 0; p < t.packets.size() && t.packets[p].sent_step <= step; ++p)
                    if (step % 2 == 1 && t.packets[p].sent_step + 6 >= step) selected = selected == kNone ? p : selected;
                run.draw(step, selected);
                const auto& ls = run.ladder.labels;
                for (size_t i = 0; i < ls.size(); ++i) {
                    for (size_t j = i + 1; j < ls.size(); ++j) {
                        CAPTURE(std::string(name));
                        CAPTURE(s.display.x);
                        CAPTURE(s.presenter);
                        CAPTURE(step);
                        CAPTURE(ls[i].id);
                        CAPTURE(ls[j].id);
                        CHECK_FALSE(overlap(ls[i].min, ls[i].max, ls[j].min, ls[j].max));
                    }
                }
                labels += int(ls.size());
            }
            if (!t.packets.empty()) CHECK(labels > 0);  // a lab's trace has no packet
        }
    }
}

// Left to right, two lifelines are always in the same order (both shown or not), grouped by host
// in the scenario's order (a busy server keeps its side), and the name tags never overlap.
TEST_CASE("ladder: lifelines keep their order at every step") {
    for (const char* name : kScenarios) {
        for (Screen s : kScreens) {
            LadderRun run(name, s);
            std::set<std::pair<std::string, std::string>> left_of;
            for (uint32_t step : run.steps()) {
                run.draw(step);
                std::vector<LadderPanel::Box> heads = run.ladder.heads;
                std::sort(heads.begin(), heads.end(), [](const auto& a, const auto& b) { return a.min.x < b.min.x; });
                for (size_t i = 0; i + 1 < heads.size(); ++i) {
                    CAPTURE(std::string(name));
                    CAPTURE(s.display.x);
                    CAPTURE(s.presenter);
                    CAPTURE(step);
                    CHECK(heads[i].max.x <= heads[i + 1].min.x);
                    // a host's lifelines side by side, the hosts as the scenario declares them
                    CHECK(run.ladder.cache.lifelines[heads[i].id].host <= run.ladder.cache.lifelines[heads[i + 1].id].host);
                    for (size_t j = i + 1; j < heads.size(); ++j) {
                        const std::string& a = run.ladder.cache.lifelines[heads[i].id].name;
                        const std::string& b = run.ladder.cache.lifelines[heads[j].id].name;
                        CAPTURE(a);
                        CAPTURE(b);
                        CHECK(left_of.count({b, a}) == 0);
                        left_of.insert({a, b});
                    }
                }
            }
        }
    }
}

// The busy server at 50 ms: fifty connections closing at once; the one shown has its arrows and
// labels in view.
TEST_CASE("ladder: the busy server at step 1600 draws its arrows in view") {
    for (Screen s : kScreens) {
        LadderRun run("scale-busy-server", s);
        run.draw(1600);
        CAPTURE(s.display.x);
        CAPTURE(s.presenter);
        int in_view = 0;
        for (const auto& l : run.ladder.labels) in_view += run.in_view(l.min, l.max);
        CHECK(in_view >= 2);
        for (const auto& line : run.ladder.lines) CHECK(std::abs(line.b.y - line.a.y) < run.rect.size.y);
    }
}
#endif
