// The viewer never crashes (issue 14), whatever trace it is given: every panel drawn headless at
// every step of hostile traces (no events at all, names and captions of tens of thousands of
// characters, a packet of 65,535 bytes, thousands of sockets), the mouse swept over the screen
// so that every tooltip opens. ImGui aborts on a draw call of more than 65,536 vertices (16-bit
// indices), as the real window does; ASan builds catch reads out of bounds.
#include <doctest/doctest.h>

#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

#include "model/wire/wire.hpp"
#include "sim/output.hpp"
#include "tests/viz/headless.hpp"
#include "viz/loader.hpp"
#include "viz/panels.hpp"
#include "viz/text.hpp"
#include "viz/trace_view.hpp"

using namespace netstep;
using namespace netstep::viz;
using namespace netstep::viz::test;

namespace {

struct AllPanels {
    HeaderPanel header;
    ControlsPanel controls;
    TopologyPanel topology;
    LadderPanel ladder;
    StatesPanel states;
    UdpPanel udp;
    VariablesPanel variables;
    HostsPanel hosts;
    InspectorPanel inspector;
    LogPanel log;
    TimeSequencePanel time_sequence;
};

// One frame of every panel, each in a window of its own where the normal layout puts it, with the
// mouse at `mouse`.
void draw_everything(const TraceView& view, const Player& player, const Strings& text, const Fonts& fonts, AllPanels& p,
                     ImVec2 mouse) {
    ImGui::GetIO().MousePos = mouse;
    ImGui::NewFrame();
    ImGui::PushFont(fonts.body);
    ViewModel vm = view_model(view, player, text, fonts, 1, false);
    Commands out;
    Layout l = compute_layout(ImGui::GetIO().DisplaySize, kNormalSizes, false, BigPanel::Topology);
    auto window = [&](const char* name, const Rect& r, auto& panel) {
        ImGui::SetNextWindowPos(r.pos);
        ImGui::SetNextWindowSize(r.size);
        ImGui::Begin(name);
        panel.draw(vm, out);
        ImGui::End();
    };
    window("header", l.header, p.header);
    window("controls", l.controls, p.controls);
    window("topology", l.topology, p.topology);
    window("ladder", l.ladder, p.ladder);
    window("states", l.states, p.states);
    window("variables", l.variables, p.variables);
    // The tabs, one after the other in the same place.
    window("udp", l.tabs, p.udp);
    window("hosts", l.tabs, p.hosts);
    window("inspector", l.tabs, p.inspector);
    window("log", l.tabs, p.log);
    window("time_sequence", l.tabs, p.time_sequence);
    p.controls.handle_keys(vm, out);
    ImGui::PopFont();
    ImGui::Render();
}

// Every step (at most `max_steps` of them, spread over the trace), the mouse on a grid.
void draw_every_step(const sim::Trace& trace, uint32_t max_steps = 12) {
    HeadlessFonts h(17.0f, ImVec2(1280, 800));
    // As the OpenGL 3 backend says: a window's vertices may pass 65,536 in several draw calls
    // (one call of more still aborts, as in the real window).
    ImGui::GetIO().BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
    TraceView view(trace);
    Player player;
    Strings text = strings_for(Language::En);
    AllPanels panels;
    uint32_t count = std::max<uint32_t>(1, view.step_count());
    uint32_t stride = std::max<uint32_t>(1, count / max_steps);
    for (uint32_t step = 0; step < count; step += stride) {
        CAPTURE(step);
        player.go_to(step, view);
        for (float y = 5; y < 800; y += 70)
            for (float x = 5; x < 1280; x += 110) draw_everything(view, player, text, h.fonts, panels, ImVec2(x, y));
    }
}

// A trace read back from JSON, as the viewer gets it.
sim::Trace through_json(const sim::Trace& trace) {
    std::stringstream s;
    sim::write_json(trace, s);
    return sim::read_json(s);
}

// The demo trace with `edit` applied, validated as the loader does.
template <typename Edit>
sim::Trace demo_with(Edit edit) {
    sim::Trace t = demo_trace();
    edit(t);
    return through_json(t);
}

}  // namespace

TEST_CASE("robust: clamp_text bounds bytes and lines, between UTF-8 characters") {
    CHECK(clamp_text("short") == "short");
    std::string long_text(17'000, 'x');
    std::string clamped = clamp_text(long_text);
    CHECK(clamped.size() == kMaxDrawnBytes + std::string("…").size());
    CHECK(clamped.ends_with("…"));
    std::string accents;
    for (int i = 0; i < 2000; ++i) accents += "é";  // two bytes each: the cut falls between them
    CHECK(clamp_text(accents).size() == kMaxDrawnBytes + std::string("…").size());
    std::string lines;
    for (int i = 0; i < 100; ++i) lines += "line\n";
    CHECK(clamp_text(lines) == std::string(clamp_text(lines).substr(0, 12 * 5 - 1)) + "…");
}

TEST_CASE("robust: a trace with no events is step 0 of 0 in every panel") {
    sim::Trace t = demo_with([](sim::Trace& t) {
        t.events.clear();
        t.packets.clear();
        t.sockets.clear();
        t.translations.clear();
    });
    CHECK(t.events.empty());
    draw_every_step(t);
}

TEST_CASE("robust: names and captions of tens of thousands of characters are drawn cut") {
    sim::Trace t = demo_with([](sim::Trace& t) {
        std::string huge(20'000, 'n');
        for (sim::TraceHost& h : t.hosts) {
            h.name = huge + h.name;
            for (InterfaceConfig& i : h.interfaces) i.adapter = huge;
        }
        for (sim::TraceNetwork& n : t.networks) n.name = huge + n.name;  // and the interfaces on it
        for (sim::TraceProgram& p : t.programs) p.name = huge + p.name;
        for (sim::TracePacket& p : t.packets) p.drop_reason = p.dropped ? huge : "";
        for (sim::TraceHost& h : t.hosts)
            for (InterfaceConfig& i : h.interfaces) i.network = huge + i.network;
        t.title = huge;
        t.description = huge;
        std::string lines;
        for (int i = 0; i < 3000; ++i) lines += "a caption line\n";
        sim::TraceBuilder b(t);
        for (sim::TraceEvent& e : t.events) {
            if (e.kind == sim::EventKind::Caption) e.text = b.intern(std::string(17'000, 'x'));
            else if (e.kind == sim::EventKind::StateChange || e.kind == sim::EventKind::Note) e.text = b.intern(lines);
        }
        sim::TraceEvent caption = t.events.back();
        caption.kind = sim::EventKind::Caption;
        caption.program = 0;
        caption.text = b.intern(std::string(17'000, 'x'));
        t.events.push_back(caption);
    });
    draw_every_step(t, 20);
}

TEST_CASE("robust: packets of 65,535 bytes in the inspector, its payload and its hex") {
    sim::Trace t = demo_with([](sim::Trace& t) {
        bool garbage = false;
        for (sim::TracePacket& p : t.packets) {
            wire::ParseResult parsed = wire::parse(p.bytes);
            if (!parsed.ok() || !parsed.packet->tcp()) continue;
            if (parsed.packet->tcp()->payload.empty()) {
                if (!garbage) p.bytes.assign(65'535, 0xA5);  // one malformed, as long as a packet gets
                garbage = true;
                continue;
            }
            Ipv4Packet big = *parsed.packet;
            std::get<TcpSegment>(big.body).payload.assign(65'535 - 40, 'A');
            p.bytes = wire::emit(big);
            REQUIRE(p.bytes.size() == 65'535);
        }
    });
    HeadlessFonts h(17.0f, ImVec2(1280, 800));
    TraceView view(t);
    for (uint32_t i = 0; i < t.packets.size(); ++i) {
        CAPTURE(i);
        Player player;
        player.go_to(t.packets[i].sent_step, view);
        Strings text = strings_for(Language::En);
        AllPanels panels;
        for (float y = 5; y < 800; y += 50)
            for (float x = 770; x < 1280; x += 60) draw_everything(view, player, text, h.fonts, panels, ImVec2(x, y));
    }
}

TEST_CASE("robust: thousands of sockets on one host, and times near the bound") {
    sim::Trace t = demo_with([](sim::Trace& t) {
        sim::TraceBuilder b(t);
        for (uint32_t id = 1000; id < 4000; ++id) {
            SocketInfo row;
            row.id = id;
            row.type = SocketType::Udp;
            row.local = {t.hosts[0].interfaces[0].address.address, uint16_t(id)};
            b.record_socket(0, row, 1);
        }
        Duration shift = Duration{int64_t(1) << 61};
        for (sim::TraceEvent& e : t.events) e.time = e.time + shift;
        for (sim::TracePacket& p : t.packets) p.sent = p.sent + shift, p.arrives = p.arrives + shift;
        t.end_time = t.end_time + shift;
    });
    draw_every_step(t, 8);
}

// Whatever read_json accepts, every panel draws: the demo trace with digits changed at random
// (indices, steps, times, ports, states' bytes), each accepted variant drawn at a few steps.
TEST_CASE("robust: every trace read_json accepts draws without fault") {
    std::stringstream s;
    sim::write_json(demo_trace(), s);
    const std::string good = s.str();
    std::vector<size_t> digits;
    for (size_t i = 0; i < good.size(); ++i)
        if (good[i] >= '0' && good[i] <= '9') digits.push_back(i);
    std::mt19937 rng(14);
    HeadlessFonts h(17.0f, ImVec2(1280, 800));
    ImGui::GetIO().BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
    Strings text = strings_for(Language::En);
    int accepted = 0;
    for (int round = 0; round < 300; ++round) {
        std::string mutated = good;
        for (int k = 0; k < 3; ++k) mutated[digits[rng() % digits.size()]] = char('0' + rng() % 10);
        std::istringstream in(mutated);
        sim::Trace t;
        try {
            t = sim::read_json(in);
        } catch (const std::runtime_error&) {
            continue;
        }
        ++accepted;
        CAPTURE(round);
        TraceView view(t);
        Player player;
        AllPanels panels;
        for (uint32_t step : {0u, view.last_step() / 3, view.last_step() / 2, view.last_step()}) {
            player.go_to(step, view);
            for (ImVec2 mouse : {ImVec2(200, 300), ImVec2(900, 300), ImVec2(300, 650), ImVec2(1000, 650)})
                draw_everything(view, player, text, h.fonts, panels, mouse);
        }
    }
    CHECK(accepted > 50);  // the mutations mostly keep the trace valid
}

// The topology, the hosts panel and the log with 2,000 more hosts: drawn, in a few ms a frame.
TEST_CASE("robust: two thousand hosts on one network") {
    sim::Trace t = demo_with([](sim::Trace& t) {
        for (uint32_t i = 0; i < 2000; ++i) {
            sim::TraceHost h;
            h.name = "pc" + std::to_string(i);
            h.interfaces.push_back({"eth0", "lan", {Ipv4Address{0xC0A86400u + i}, 16}, std::nullopt});
            t.hosts.push_back(h);
        }
    });
    draw_every_step(t, 3);
}
