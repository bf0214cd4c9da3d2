// The Terminal panel: the view rules on a hand-built trace (a Prompt and its Input on one line,
// "\f" clears, later output hidden at an earlier step, a prompt or none while a command runs);
// typing through real ImGui input (the line reaches cmd::Type with the host, the step's time and
// the text; history; Ctrl-C/Ctrl-D; a refused line stays local; the confirmation when later lines
// would be discarded); the layout; and the session's journal with the simulator.
#include <GLFW/glfw3.h>
#include <doctest/doctest.h>
#include <imgui.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/journal.hpp"
#include "sim/shell_text.hpp"
#include "viz/commands.hpp"
#include "viz/i18n.hpp"
#include "viz/layout.hpp"
#include "viz/panels.hpp"
#include "viz/player.hpp"
#include "viz/session.hpp"
#include "viz/terminal_view.hpp"
#include "viz/trace_view.hpp"
#include "tests/viz/headless.hpp"

using namespace netstep;
using namespace netstep::viz;
using namespace netstep::viz::test;
using sim::EventKind;

namespace {

const std::string kPrompt = "C:\\Users\\laptop>";

// laptop (its terminal, a command it runs and that command's child), web (a server), a router.
struct TerminalTrace {
    sim::Trace trace;
    std::vector<uint32_t> step;  // by the names below
    enum : uint32_t { kStart, kTermStart, kPrompt1, kIpconfig, kIpconfigOut, kPrompt2, kNc, kServerOut, kHello, kHi,
                      kCtrlC, kPrompt3, kCls, kClear, kPrompt4, kCount };

    explicit TerminalTrace(const std::string& profile = "textbook") {
        trace.profile = profile;
        trace.hosts = {{"laptop", {}, false}, {"web", {}, false}, {"r1", {}, true}};
        trace.programs = {{"terminal", 0, sim::kNone}, {"nc", 0, 0}, {"nc-reader", 0, 1}, {"httpd", 1, sim::kNone}};
        sim::TraceBuilder b(trace);
        int64_t ms = 0;
        auto ev = [&](EventKind kind, uint32_t program, const std::string& text = "", const std::string* text2 = nullptr) {
            sim::TraceEvent e;
            e.time = Instant::from_nanos((ms += 5) * 1'000'000);
            e.kind = kind;
            e.program = program;
            e.host = program == sim::kNone ? sim::kNone : trace.programs[program].host;
            if (!text.empty() || kind == EventKind::Output) e.text = b.intern(text);
            if (text2) e.text2 = b.intern(*text2);
            step.push_back(b.add_event(e));
        };
        const std::string empty;
        ev(EventKind::RunStart, sim::kNone, "t");
        ev(EventKind::ProgramStart, 0);
        ev(EventKind::Prompt, 0, kPrompt);
        ev(EventKind::Input, 0, "ipconfig", &kPrompt);
        ev(EventKind::Output, 0, "Windows IP Configuration\n\n   IPv4 Address. . . : 192.168.1.10\n");
        ev(EventKind::Prompt, 0, kPrompt);
        ev(EventKind::Input, 0, "nc web 80", &kPrompt);
        ev(EventKind::Output, 3, "the server's own output");
        ev(EventKind::Input, 0, "hello", &empty);
        ev(EventKind::Output, 2, "hi");
        ev(EventKind::Input, 0, "^C", &empty);
        ev(EventKind::Prompt, 0, kPrompt);
        ev(EventKind::Input, 0, "cls", &kPrompt);
        ev(EventKind::Output, 1, "\f");
        ev(EventKind::Prompt, 0, kPrompt);
    }
};

TerminalScreen screen_at(const TerminalTrace& t, uint32_t host, uint32_t step) {
    return terminal_screen(t.trace, terminal_events(t.trace, host), t.step[step]);
}

bool contains(const std::vector<std::string>& lines, const std::string& text) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("terminal view: a prompt and its input on one line, output as printed, the prompt waiting") {
    TerminalTrace t;
    TerminalScreen before = screen_at(t, 0, TerminalTrace::kTermStart);
    CHECK(before.lines.empty());
    CHECK(before.prompt == sim::terminal_prompt(sim::ToolStyle::Windows, "laptop"));  // no event yet: the shell's prompt

    TerminalScreen waiting = screen_at(t, 0, TerminalTrace::kPrompt1);
    CHECK(waiting.lines.empty());             // the prompt is the input row's, not a screen line
    CHECK(waiting.prompt == kPrompt);

    TerminalScreen typed = screen_at(t, 0, TerminalTrace::kIpconfig);
    REQUIRE(typed.lines.size() == 1);
    CHECK(typed.lines[0] == kPrompt + "ipconfig");
    CHECK_FALSE(typed.prompt.has_value());    // ipconfig runs

    TerminalScreen printed = screen_at(t, 0, TerminalTrace::kIpconfigOut);
    CHECK(printed.lines == std::vector<std::string>{kPrompt + "ipconfig", "Windows IP Configuration", "",
                                                    "   IPv4 Address. . . : 192.168.1.10"});
}

TEST_CASE("terminal view: input to a running command, descendants' output, another host's output not shown") {
    TerminalTrace t;
    TerminalScreen nc = screen_at(t, 0, TerminalTrace::kNc);
    CHECK(nc.lines.back() == kPrompt + "nc web 80");
    CHECK_FALSE(nc.prompt.has_value());
    TerminalScreen server = screen_at(t, 0, TerminalTrace::kServerOut);
    CHECK_FALSE(contains(server.lines, "server's own"));
    TerminalScreen hello = screen_at(t, 0, TerminalTrace::kHello);
    CHECK(hello.lines.back() == "hello");     // echoed on its own line
    CHECK_FALSE(hello.prompt.has_value());
    TerminalScreen hi = screen_at(t, 0, TerminalTrace::kHi);
    CHECK(hi.lines.back() == "hi");           // a grandchild of the terminal prints to it
    TerminalScreen stopped = screen_at(t, 0, TerminalTrace::kPrompt3);
    CHECK(stopped.lines.back() == "^C");
    CHECK(stopped.prompt == kPrompt);
}

TEST_CASE("terminal view: \\f clears the screen: stepping back hides what was printed later") {
    TerminalTrace t;
    TerminalScreen cleared = screen_at(t, 0, TerminalTrace::kClear);
    CHECK(cleared.lines.empty());
    CHECK_FALSE(cleared.prompt.has_value());
    TerminalScreen after = screen_at(t, 0, TerminalTrace::kPrompt4);
    CHECK(after.lines.empty());
    CHECK(after.prompt == kPrompt);
    // Back to before "hi": it is not on the screen yet.
    TerminalScreen back = screen_at(t, 0, TerminalTrace::kHello);
    CHECK_FALSE(contains(back.lines, "hi"));
    CHECK(contains(back.lines, "ipconfig"));
}

TEST_CASE("terminal view: a host without a terminal shows its shell's prompt, in the profile's style") {
    TerminalTrace windows;
    TerminalScreen web = screen_at(windows, 1, TerminalTrace::kPrompt4);
    CHECK(web.lines.empty());
    CHECK(web.prompt == sim::terminal_prompt(sim::ToolStyle::Windows, "web"));
    TerminalTrace linux_trace("linux");
    CHECK(screen_at(linux_trace, 1, TerminalTrace::kPrompt4).prompt == sim::terminal_prompt(sim::ToolStyle::Linux, "web"));
    CHECK(terminal_hosts(windows.trace) == std::vector<uint32_t>{0});
}

namespace {

// The panel in a window, driven by ImGui input; the commands it pushes are kept.
struct PanelFixture {
    Headless imgui;
    TerminalTrace t;
    TraceView view{t.trace};
    Strings text = strings_for(Language::En);
    Player player;
    TerminalPanel panel;
    std::vector<sim::TypedLine> journal;
    Commands all;                  // every command pushed so far
    ImVec2 size{900, 500};
    bool rerunning = false;

    PanelFixture() {
        ImGuiIO& io = ImGui::GetIO();
        io.KeyMap[ImGuiKey_Enter] = GLFW_KEY_ENTER;
        io.KeyMap[ImGuiKey_Backspace] = GLFW_KEY_BACKSPACE;
        io.KeyMap[ImGuiKey_Escape] = GLFW_KEY_ESCAPE;
        io.KeyMap[ImGuiKey_Tab] = GLFW_KEY_TAB;
        player.go_to(t.step[TerminalTrace::kPrompt1], view);
    }

    void frame(const Input& input = {}) {
        ViewModel vm = view_model(view, player, text, default_fonts(), 1, false);
        vm.scenario_file = "lesson.yaml";
        vm.journal = &journal;
        vm.save_default = "lesson-session.yaml";
        vm.rerunning = rerunning;
        Commands out = draw_frame("terminal", size, input, [&](Commands& c) { panel.draw(vm, c); },
                                  [&](Commands&) { panel.handle_keys(); });
        all.insert(all.end(), out.begin(), out.end());
    }
    void click(ImVec2 at) {
        for (const Input& input : click_frames(at, 0)) frame(input);
        frame();
    }
    void focus() { click(ImVec2((panel.input_min.x + panel.input_max.x) / 2, (panel.input_min.y + panel.input_max.y) / 2)); }
    void type(const std::string& s) {
        frame([&](ImGuiIO& io) { io.AddInputCharactersUTF8(s.c_str()); });
        frame();
    }
    void press(int key, bool ctrl = false) {
        frame([&](ImGuiIO& io) { io.KeyCtrl = ctrl; io.KeysDown[key] = true; });
        frame([&](ImGuiIO& io) { io.KeysDown[key] = false; io.KeyCtrl = false; });
        frame();
    }
    std::vector<sim::TypedLine> typed() const {
        std::vector<sim::TypedLine> lines;
        for (const Command& c : all) {
            if (const auto* ty = std::get_if<cmd::Type>(&c)) lines.push_back(ty->line);
        }
        return lines;
    }
};

}  // namespace

TEST_CASE_FIXTURE(PanelFixture, "terminal panel: a line typed at the prompt goes to the journal with its host and time") {
    frame();
    CHECK(panel.shown_host == 0);             // the first host with a terminal
    CHECK(panel.shown_prompt == kPrompt);
    focus();
    type("ping web");
    press(GLFW_KEY_ENTER);
    std::vector<sim::TypedLine> lines = typed();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].host == "laptop");
    CHECK(lines[0].at == view.time_at(t.step[TerminalTrace::kPrompt1]));
    CHECK(lines[0].line == "ping web");
    CHECK(lines[0].key == sim::step::Type::Key::Line);
    CHECK(std::string(panel.input.data()).empty());
    // Up brings the line back (the field has the keyboard again after Enter).
    press(GLFW_KEY_UP);
    CHECK(std::string(panel.input.data()) == "ping web");
    press(GLFW_KEY_DOWN);
    CHECK(std::string(panel.input.data()).empty());
}

TEST_CASE_FIXTURE(PanelFixture, "terminal panel: the step and the host chosen decide what is shown") {
    player.go_to(t.step[TerminalTrace::kHi], view);
    frame();
    CHECK(contains(panel.shown_lines, "hi"));
    player.go_to(t.step[TerminalTrace::kHello], view);
    frame();
    CHECK_FALSE(contains(panel.shown_lines, "hi"));  // printed later: not yet
    CHECK(panel.shown_lines.back() == "hello");
    panel.host = "web";                              // as the selector sets it
    frame();
    CHECK(panel.shown_host == 1);
    CHECK(panel.shown_lines.empty());
    CHECK(panel.shown_prompt == sim::terminal_prompt(sim::ToolStyle::Windows, "web"));
}

TEST_CASE_FIXTURE(PanelFixture, "terminal panel: Ctrl-D and Ctrl-C send their keys: while a command runs, no prompt") {
    player.go_to(t.step[TerminalTrace::kNc], view);
    frame();
    CHECK_FALSE(panel.shown_prompt.has_value());
    focus();
    press(GLFW_KEY_D, true);
    press(GLFW_KEY_C, true);
    type("hello");
    press(GLFW_KEY_ENTER);
    std::vector<sim::TypedLine> lines = typed();
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].key == sim::step::Type::Key::CtrlD);
    CHECK(lines[1].key == sim::step::Type::Key::CtrlC);
    CHECK(lines[2].line == "hello");          // to nc's input: no shell check
    CHECK(lines[2].at == view.time_at(t.step[TerminalTrace::kNc]));
}

TEST_CASE_FIXTURE(PanelFixture, "terminal panel: a line the shell refuses is answered locally, the journal unchanged") {
    frame();
    focus();
    type("pnig web");
    press(GLFW_KEY_ENTER);
    CHECK(typed().empty());
    CHECK(journal.empty());
    CHECK(contains(panel.shown_lines, kPrompt + "pnig web"));
    CHECK(panel.shown_lines.size() >= 2);     // the shell's message after the echoed line
    CHECK(contains(panel.shown_lines, "pnig"));
    // A step later, the local message is gone.
    player.step_by(1, view);
    frame();
    CHECK_FALSE(contains(panel.shown_lines, "pnig"));
}

TEST_CASE_FIXTURE(PanelFixture, "terminal panel: typing at an earlier step asks first: Cancel keeps the later lines") {
    Instant later = view.time_at(t.step[TerminalTrace::kPrompt3]);
    journal = {{"laptop", later, "ipconfig", sim::step::Type::Key::Line},
               {"laptop", later, "netstat -an", sim::step::Type::Key::Line},
               {"laptop", later, "cls", sim::step::Type::Key::Line}};
    frame();
    focus();
    type("ping web");
    press(GLFW_KEY_ENTER);
    CHECK(typed().empty());
    CHECK(panel.confirm_shown);
    click(panel.cancel_center);
    CHECK_FALSE(panel.confirm_shown);
    CHECK(typed().empty());
    CHECK(journal.size() == 3);
    // Again, and OK: the line goes (the session drops the later ones).
    focus();
    type("ping web");
    press(GLFW_KEY_ENTER);
    CHECK(panel.confirm_shown);
    click(panel.ok_center);
    REQUIRE(typed().size() == 1);
    CHECK(typed()[0].line == "ping web");
}

TEST_CASE_FIXTURE(PanelFixture, "terminal panel: while the scenario runs again, a line waits in the field") {
    rerunning = true;
    frame();
    focus();
    type("ping web");
    press(GLFW_KEY_ENTER);
    press(GLFW_KEY_C, true);
    CHECK(typed().empty());
    CHECK(std::string(panel.input.data()) == "ping web");
    rerunning = false;
    press(GLFW_KEY_ENTER);
    REQUIRE(typed().size() == 1);
    CHECK(typed()[0].line == "ping web");
}

TEST_CASE_FIXTURE(PanelFixture, "terminal panel: Ctrl+S opens the save popup with the default path: Save sends it") {
    frame();
    press(GLFW_KEY_S, true);
    CHECK(panel.save_shown);
    CHECK(std::string(panel.save_path.data()) == "lesson-session.yaml");
    click(panel.save_ok_center);
    bool saved = std::any_of(all.begin(), all.end(), [](const Command& c) {
        const auto* s = std::get_if<cmd::SaveScenario>(&c);
        return s && s->path == "lesson-session.yaml";
    });
    CHECK(saved);
}

TEST_CASE("terminal panel: a long line is cut inside the console, the input row inside the panel") {
    HeadlessFonts imgui(kPresenterSizes.mono, ImVec2(1280, 800));
    TerminalTrace t;
    sim::TraceBuilder b(t.trace);
    sim::TraceEvent e = t.trace.events.back();
    e.kind = EventKind::Output;
    e.text = b.intern(std::string(3000, 'x'));
    uint32_t last = b.add_event(e);
    TraceView view(t.trace);
    Player player;
    player.go_to(last, view);
    Strings text = strings_for(Language::En);
    TerminalPanel panel;
    // Presenter mode at 1280x800, the terminal as the big panel.
    Layout l = compute_layout(ImVec2(1280, 800), kPresenterSizes, true, BigPanel::Terminal);
    REQUIRE(l.terminal.shown());
    for (int i = 0; i < 3; ++i) {
        ImGui::NewFrame();
        ImGui::PushFont(imgui.fonts.body);
        ViewModel vm = view_model(view, player, text, imgui.fonts, 1);
        vm.presenter = vm.focused = true;
        Commands out;
        ImGui::SetNextWindowPos(l.terminal.pos);
        ImGui::SetNextWindowSize(l.terminal.size);
        ImGui::Begin("terminal");
        panel.draw(vm, out);
        ImGui::End();
        ImGui::PopFont();
        ImGui::Render();
    }
    ImVec2 min = l.terminal.pos, max(l.terminal.pos.x + l.terminal.size.x, l.terminal.pos.y + l.terminal.size.y);
    CHECK(panel.input_min.x >= min.x);
    CHECK(panel.input_max.x <= max.x + 0.5f);
    CHECK(panel.input_max.y <= max.y + 0.5f);
    CHECK(panel.input_min.y >= panel.screen_max.y - 0.5f);  // below the screen
    CHECK(panel.screen_max.x <= max.x + 0.5f);
    // Legible from the back: the console holds at least a dozen lines of presenter-size text.
    CHECK((panel.screen_max.y - panel.screen_min.y) >= 12 * kPresenterSizes.mono);
    CHECK(panel.shown_lines.back().size() == 3000);  // the line is whole; drawn cut (text_fit)
}

TEST_CASE("terminal layout: presenter mode's big panel 6, beside the topology: a tab otherwise") {
    Layout l = compute_layout(ImVec2(1280, 800), kPresenterSizes, true, BigPanel::Terminal);
    CHECK(l.focused);
    CHECK(l.terminal.shown());
    CHECK(l.topology.shown());
    CHECK_FALSE(l.tabs.shown());
    CHECK(l.terminal.size.y >= 500);
    CHECK(l.terminal.size.x >= 700);
    CHECK(l.terminal.pos.x + l.terminal.size.x <= l.topology.pos.x);
    CHECK(big_panel_from("6") == BigPanel::Terminal);
    CHECK(big_panel_from("terminal") == BigPanel::Terminal);
    for (bool presenter : {false, true}) {
        Layout all = compute_layout(ImVec2(1920, 1080), presenter ? kPresenterSizes : kNormalSizes, presenter, BigPanel::Topology);
        CHECK_FALSE(all.terminal.shown());  // in the tabs
        CHECK(all.tabs.shown());
        CHECK(all.tabs.size.y >= 300);
    }
    for (Language lang : {Language::En, Language::Fr, Language::It}) {
        Strings s = strings_for(lang);
        CHECK(std::string(s.terminal) != "?");
        CHECK(std::string(s.big_terminal) != "?");
        CHECK(std::string(s.discard_later).find("%d") != std::string::npos);
    }
}

#ifdef NETSTEP_EXE
namespace {

std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("session: a typed line runs the scenario again with it, keeps a what-if fault, drops later lines") {
    std::string file = std::string(NETSTEP_TEST_SCENARIOS) + "/default.yaml";
    Session session(NETSTEP_EXE, file, 0);
    session.load(file, false);
    REQUIRE(session.view);
    uint32_t k = 0;  // a step after the start (time 0 is written without `at`)
    while (k < session.view->last_step() && session.view->time_at(k).ns == 0) ++k;
    k += 2;
    session.player.go_to(k, *session.view);
    Instant at = session.view->time_at(k);
    // A what-if fault first, then a line: both in the scenario run.
    REQUIRE(session.what_if(0, Fault::Drop));
    INFO(session.error);
    REQUIRE(session.type({"laptop", at, "ipconfig", sim::step::Type::Key::Line}));
    CHECK(session.journal.size() == 1);
    CHECK(session.faults.size() == 1);
    CHECK(session.modified());
    std::string text = read(session.current_file);
    CHECK(text.find("faults:") != std::string::npos);
    CHECK(text.find("ipconfig") != std::string::npos);
    // The line echoed at once (its Input event, after the events of step k's time), playing on.
    CHECK(session.player.step() >= k);
    CHECK(session.trace->events[session.player.step()].kind == sim::EventKind::Input);
    CHECK(session.trace->str(session.trace->events[session.player.step()].text) == "ipconfig");
    CHECK(session.player.playing());
    // A later line, then one typed earlier: the later one is dropped.
    uint32_t k2 = k;
    while (k2 < session.view->last_step() && session.view->time_at(k2) <= at) ++k2;
    Instant later = session.view->time_at(k2);
    REQUIRE(later > at);
    REQUIRE(session.type({"laptop", later, "netstat -an", sim::step::Type::Key::Line}));
    CHECK(session.lines_after(at) == 1);
    // Without waiting (as the app does): the run goes on, poll() ends it.
    uint64_t generation = session.generation;
    REQUIRE(session.begin_type({"laptop", at, "help", sim::step::Type::Key::Line}));
    CHECK(session.busy());
    for (int i = 0; i < 3000 && !session.poll(); ++i) usleep(10'000);
    CHECK_FALSE(session.busy());
    CHECK(session.generation == generation + 1);
    REQUIRE(session.journal.size() == 2);
    CHECK(session.journal[0].line == "ipconfig");
    CHECK(session.journal[1].line == "help");
    // Reloading reads the file again and keeps both edits.
    REQUIRE(session.reload());
    CHECK(session.faults.size() == 1);
    CHECK(session.journal.size() == 2);
    CHECK(session.modified());
    // Saved, the scenario gives the same trace when opened again.
    std::string saved = (std::filesystem::temp_directory_path() / "netstep-test-terminal-session.yaml").string();
    std::string error;
    REQUIRE(session.save_as(saved, error));
    Session reopened(NETSTEP_EXE, saved, 0);
    reopened.load(saved, false);
    REQUIRE(reopened.view);
    CHECK(reopened.trace->events.size() == session.trace->events.size());
    CHECK(reopened.trace->packets.size() == session.trace->packets.size());
    std::filesystem::remove(saved);
    // Back to the file: no fault, no journal.
    session.revert();
    CHECK(session.journal.empty());
    CHECK(session.faults.empty());
    CHECK_FALSE(session.modified());
    CHECK(session.default_save_path().find("default-session.yaml") != std::string::npos);
}
namespace {

// The screen of `host`'s terminal at `step` of the session's trace, as one text.
std::string screen_text(const Session& session, const std::string& host, uint32_t step) {
    const sim::Trace& t = *session.trace;
    uint32_t h = 0;
    while (h < t.hosts.size() && t.hosts[h].name != host) ++h;
    TerminalScreen screen = terminal_screen(t, terminal_events(t, h), step);
    std::string text;
    for (const std::string& line : screen.lines) text += line + "\n";
    return text;
}

// Types `line` into `host`'s terminal at the last step, as the panel does; the run's new trace.
void type_at_end(Session& session, const std::string& host, const std::string& line,
                 sim::step::Type::Key key = sim::step::Type::Key::Line) {
    uint32_t last = session.view->last_step();
    session.player.go_to(last, *session.view);
    INFO(session.error);
    REQUIRE(session.type({host, session.view->time_at(last), line, key}));
}

}  // namespace

// The "done means", through the viewer's session and the terminal's view of the trace:
// on lab-two-networks a student types ipconfig, then nc server 80, a line, Ctrl-D.
TEST_CASE("terminal with the simulator: ipconfig, nc, a line and Ctrl-D on the lab: stepping back hides what came later") {
    std::string file = std::string(NETSTEP_TEST_SCENARIOS) + "/lab-two-networks.yaml";
    Session session(NETSTEP_EXE, file, 0);
    session.load(file, false);
    REQUIRE(session.view);

    // ipconfig prints what the Hosts panel shows: each adapter, its address, mask and gateway.
    type_at_end(session, "laptop", "ipconfig");
    std::string screen = screen_text(session, "laptop", session.view->last_step());
    for (const InterfaceConfig& itf : session.trace->hosts[0].interfaces) {
        CHECK(screen.find(itf.adapter + ":") != std::string::npos);
        CHECK(screen.find(": " + itf.address.address.to_string()) != std::string::npos);
        CHECK(screen.find(": " + itf.address.mask().to_string()) != std::string::npos);
        CHECK(screen.find(": " + (itf.gateway ? itf.gateway->to_string() : "")) != std::string::npos);
    }
    CHECK(screen.find("C:\\Users\\laptop>ipconfig") != std::string::npos);

    // nc connects (a SYN leaves the laptop), waits for input: no prompt. The server is on the
    // other network: first the laptop asks who has its gateway's address (RFC 826).
    size_t packets_before = session.trace->packets.size();
    type_at_end(session, "laptop", "nc server 80");
    REQUIRE(session.trace->packets.size() > packets_before + 1);
    const PacketInfo& first = session.view->packet(uint32_t(packets_before));
    REQUIRE(first.arp.has_value());
    CHECK(first.arp->op == ArpPacket::Op::Request);
    CHECK(first.arp->target_ip == session.trace->hosts[0].interfaces[0].gateway);
    CHECK(first.label == "ARP who-has " + first.arp->target_ip.to_string() + "?");
    CHECK(session.view->packet(uint32_t(packets_before + 2)).label.find("SYN") != std::string::npos);  // after the reply
    const sim::Trace& connected = *session.trace;
    TerminalScreen during = terminal_screen(connected, terminal_events(connected, 0), session.view->last_step());
    CHECK_FALSE(during.prompt.has_value());

    // A line and Enter: the data leaves, the server answers and closes, nc ends (the prompt is back);
    // Ctrl-D at the prompt shows a new one.
    uint32_t typed_at = session.view->last_step();
    type_at_end(session, "laptop", "GET / HTTP/1.0");
    type_at_end(session, "laptop", "", sim::step::Type::Key::CtrlD);
    const sim::Trace& t = *session.trace;
    bool data_sent = false;
    for (const sim::TracePacket& p : t.packets) {
        std::string payload(p.bytes.begin(), p.bytes.end());
        data_sent = data_sent || (p.from_host == 0 && payload.find("GET / HTTP/1.0\n") != std::string::npos);
    }
    CHECK(data_sent);
    uint32_t end = session.view->last_step();
    std::string after = screen_text(session, "laptop", end);
    CHECK(after.find("GET / HTTP/1.0") != std::string::npos);
    CHECK(after.find("Hello from the server!") != std::string::npos);
    TerminalScreen final_screen = terminal_screen(t, terminal_events(t, 0), end);
    REQUIRE(final_screen.prompt.has_value());  // nc ended: the prompt is back
    // Stepping back to where the line was typed hides the answer printed later.
    std::string before = screen_text(session, "laptop", typed_at);
    CHECK(before.find("Hello from the server!") == std::string::npos);
    CHECK(before.find("C:\\Users\\laptop>nc server 80") != std::string::npos);
    // cmd.exe: an empty line between ipconfig's output and the next prompt.
    CHECK(before.find("192.168.1.1\n\nC:\\Users\\laptop>nc server 80\n") != std::string::npos);

    // Saved and opened again: the same trace, event for event.
    std::string saved = (std::filesystem::temp_directory_path() / "netstep-test-terminal-lab.yaml").string();
    std::string error;
    REQUIRE(session.save_as(saved, error));
    Session reopened(NETSTEP_EXE, saved, 0);
    reopened.load(saved, false);
    REQUIRE(reopened.view);
    REQUIRE(reopened.trace->events.size() == t.events.size());
    for (uint32_t i = 0; i < t.events.size(); ++i) {
        CAPTURE(i);
        CHECK(reopened.view->describe(i) == session.view->describe(i));
        CHECK(reopened.trace->events[i].time == t.events[i].time);
    }
    std::filesystem::remove(saved);
}
namespace {

// The Terminal panel over a real session: keys typed into its input, Enter's command applied to
// the session as the app applies it (a rerun), the next frames drawn from the new trace.
struct LivePanel {
    Headless imgui;
    Session session;
    Strings text = strings_for(Language::En);
    TerminalPanel panel;
    ImVec2 size{1000, 600};

    explicit LivePanel(const std::string& file) : session(NETSTEP_EXE, file, 0) {
        ImGuiIO& io = ImGui::GetIO();
        io.KeyMap[ImGuiKey_Enter] = GLFW_KEY_ENTER;
        io.KeyMap[ImGuiKey_Backspace] = GLFW_KEY_BACKSPACE;
        io.KeyMap[ImGuiKey_Escape] = GLFW_KEY_ESCAPE;
        session.load(file, false);
    }
    void frame(const Input& input = {}) {
        ViewModel vm = view_model(*session.view, session.player, text, default_fonts(), session.generation, false);
        vm.scenario_file = session.original_file;
        vm.journal = &session.journal;
        vm.save_default = session.default_save_path();
        Commands out = draw_frame("terminal", size, input, [&](Commands& c) { panel.draw(vm, c); },
                                  [&](Commands&) { panel.handle_keys(); });
        for (const Command& c : out) {
            if (const auto* ty = std::get_if<cmd::Type>(&c)) {
                INFO(session.error);
                REQUIRE(session.type(ty->line));
            }
        }
    }
    void at_end() { session.player.go_to(session.view->last_step(), *session.view); }
    void enter_line(const std::string& line) {
        at_end();
        frame();
        ImVec2 at((panel.input_min.x + panel.input_max.x) / 2, (panel.input_min.y + panel.input_max.y) / 2);
        for (const Input& input : click_frames(at, 0)) frame(input);
        frame([&](ImGuiIO& io) { io.AddInputCharactersUTF8(line.c_str()); });
        frame([](ImGuiIO& io) { io.KeysDown[GLFW_KEY_ENTER] = true; });
        frame([](ImGuiIO& io) { io.KeysDown[GLFW_KEY_ENTER] = false; });
        frame();
    }
    std::string screen_at_end() {
        at_end();
        frame();
        return screen_text(session, "laptop", session.view->last_step());
    }
};

}  // namespace

// Through the panel's own input: what the class sees when a student types.
TEST_CASE("terminal panel with the simulator: typing ipconfig, then nc server 80 and a line, through ImGui input") {
    LivePanel live(std::string(NETSTEP_TEST_SCENARIOS) + "/lab-two-networks.yaml");
    REQUIRE(live.session.view);
    live.enter_line("ipconfig");
    REQUIRE(live.session.journal.size() == 1);
    CHECK(live.session.journal[0].host == "laptop");
    std::string screen = live.screen_at_end();
    const InterfaceConfig& itf = live.session.trace->hosts[0].interfaces[0];  // as the Hosts panel shows it
    CHECK(screen.find("IPv4 Address. . . : " + itf.address.address.to_string()) != std::string::npos);
    CHECK(screen.find("Subnet Mask . . . : " + itf.address.mask().to_string()) != std::string::npos);

    size_t packets = live.session.trace->packets.size();
    live.enter_line("nc server 80");
    REQUIRE(live.session.trace->packets.size() > packets);
    // The gateway's MAC address asked for and given (RFC 826), then the SYN leaves.
    CHECK(live.session.view->packet(uint32_t(packets)).label.rfind("ARP who-has ", 0) == 0);
    CHECK(live.session.view->packet(uint32_t(packets + 1)).label.find(" is-at ") != std::string::npos);
    CHECK(live.session.view->packet(uint32_t(packets + 2)).label.find("SYN") != std::string::npos);
    live.at_end();
    live.frame();
    CHECK_FALSE(live.panel.shown_prompt.has_value());  // nc runs: what is typed goes to it
    live.enter_line("GET / HTTP/1.0");
    REQUIRE(live.session.journal.size() == 3);
    CHECK(live.session.journal[2].line == "GET / HTTP/1.0");
    std::string after = live.screen_at_end();
    CHECK(after.find("GET / HTTP/1.0") != std::string::npos);
    CHECK(after.find("Hello from the server!") != std::string::npos);  // the reply, in the terminal
    // A line the shell refuses: answered in the panel, nothing run, the journal as it was.
    uint64_t generation = live.session.generation;
    live.enter_line("pnig server");
    CHECK(live.session.generation == generation);
    CHECK(live.session.journal.size() == 3);
    std::string refused(10000, 'x');
    live.enter_line(refused);
    CHECK(live.session.generation == generation);
    CHECK(live.session.journal.size() == 3);
}
#endif
