// The visualizer's shell: the window, the frame loop, commands and screenshots (fonts and style:
// style.cpp; start-up timing: timing.cpp; the panels' places: layout.cpp).
//
// Index of this file:
// [SECTION] Fixed windows (the layout is computed from the window size: layout.cpp)
// [SECTION] The App: state
// [SECTION] Loading a scenario (child process), what-if, reload on change
// [SECTION] Applying commands
// [SECTION] Drawing one frame
// [SECTION] Screenshot mode
// [SECTION] Interactive mode
// [SECTION] run_view
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "sim/install.hpp"
#include "sim/output.hpp"
#include "sim/quiz.hpp"
#include "viz/commands.hpp"
#include "viz/i18n.hpp"
#include "viz/layout.hpp"
#include "viz/loader.hpp"
#include "viz/panels.hpp"
#include "viz/player.hpp"
#include "viz/predict.hpp"
#include "viz/screenshot.hpp"
#include "viz/session.hpp"
#include "viz/style.hpp"
#include "viz/text.hpp"
#include "viz/theme.hpp"
#include "viz/timing.hpp"
#include "viz/trace_view.hpp"
#include "viz/view_model.hpp"
#include "viz/viz.hpp"
#include "viz/whatif.hpp"

// The web build (viz/web, NETSTEP_WEB): WebGL 2 through Emscripten's GLFW, the browser's frame
// loop, no threads; the trace comes from the lesson's JSON file (viz/web/loader_web.cpp).
#ifdef NETSTEP_WEB
#include <emscripten.h>
#endif

namespace netstep::viz {

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Fixed windows (the layout is computed from the window size: layout.cpp)
//-----------------------------------------------------------------------------

// compute_layout (layout.cpp) places the panels; here, fixed windows over its rectangles.
// Predict mode asks this many questions of a run at most (the most instructive, in step order).
constexpr size_t kViewerQuestions = 8;

constexpr ImGuiWindowFlags kFixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                    ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                    ImGuiWindowFlags_NoBringToFrontOnFocus;

bool begin_fixed(const char* title, const char* id, const Rect& r, ImGuiWindowFlags extra = 0) {
    ImGui::SetNextWindowPos(r.pos, ImGuiCond_Always);
    ImGui::SetNextWindowSize(r.size, ImGuiCond_Always);
    std::string name = std::string(title) + "###" + id;
    return ImGui::Begin(name.c_str(), nullptr, kFixed | extra);
}

std::string default_scenario() {
    if (std::filesystem::exists("scenarios/default.yaml")) return "scenarios/default.yaml";
    std::string shipped = sim::shipped_scenario("default.yaml");  // the build's source tree, or installed
    return shipped.empty() ? ":demo" : shipped;
}

//-----------------------------------------------------------------------------
// [SECTION] The App: state
//-----------------------------------------------------------------------------

class App {
public:
    explicit App(const ViewOptions& options);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    int run();

private:
    bool open_window(bool visible);
    bool start(bool visible, PendingLoad& pending);
    void setup_imgui();
    void build_fonts();
    void poll_file_changes(double now);
    void apply(const Command& c);
    void frame(double wall_dt);
    void draw_windows(const ViewModel& vm, Commands& out);
    void draw_error(const Rect& r) const;
    void render();
    void take_screenshot(const std::string& path);
    ViewModel view_model() const;
    const FontSizes& sizes() const { return presenter_ ? kPresenterSizes : kNormalSizes; }
    const Fonts& fonts() const { return fonts_; }
    int run_screenshot();
    void select_for_inspector();
    void sync_predict();
    void gate_predict(uint32_t from);
    void measure_frames(const char* frames_env);
    void measure_typing(const char* times_env);
    int run_interactive();
#ifdef NETSTEP_WEB
    void web_frame();
    uint32_t shown_step_ = UINT32_MAX;  // the step <body data-step> says
#endif
    bool step_exists() const;

    ViewOptions options_;
    GLFWwindow* window_ = nullptr;
    bool imgui_ready_ = false;
    std::vector<ImWchar> ranges_ = glyph_ranges();
    Fonts fonts_;                  // the current mode's sizes only (the atlas is rebuilt on F2)
    bool fonts_presenter_ = false; // the mode fonts_ were built for
    bool presenter_ = false;
    BigPanel big_panel_ = BigPanel::Topology;  // presenter mode on a small screen (keys 1-6)
    bool big_panel_chosen_ = false;            // by NETSTEP_VIZ_PANEL
    Timing timing_;
    bool first_frame_shown_ = false;
    Language lang_ = Language::En;
    Strings text_ = strings_for(Language::En);

    // The trace shown, and what the user did with it.
    Session session_;
    std::string status_;           // "Screenshot saved: ..."
    double next_poll_ = 0.0;
    bool screenshot_requested_ = false;
    int tab_request_ = -1;         // select this bottom-right tab on the next frame
    uint32_t last_selected_packet_ = kNone;

    // The panels.
    HeaderPanel header_;
    ControlsPanel controls_;
    TopologyPanel topology_;
    LadderPanel ladder_;
    StatesPanel states_;
    UdpPanel udp_;
    VariablesPanel variables_;
    HostsPanel hosts_;
    MacTablePanel mac_table_;
    TimeSequencePanel time_sequence_;
    InspectorPanel inspector_;
    LogPanel log_;
    TerminalPanel terminal_;
    PredictPanel predict_panel_;
    Predict predict_;              // predict mode: its questions, votes and score
    uint64_t predict_generation_ = 0;  // the trace its questions come from
    std::string save_message_;     // the terminal's last "Save as scenario"
    std::string handout_message_;  // the header's last "Export handout"
};

App::App(const ViewOptions& options)
    : options_(options),
      presenter_(options.presenter),
      session_(options.netstep_exe, options.scenario_file.empty() ? default_scenario() : options.scenario_file,
               options.step.value_or(0)) {
    predict_.set_on(options.predict);
    const char* env_lang = std::getenv("LANG");
    lang_ = language_from(!options.lang.empty() ? options.lang : env_lang ? env_lang : "en");
    text_ = strings_for(lang_);
    const char* panel = std::getenv("NETSTEP_VIZ_PANEL");  // presenter mode's big panel at start
    if (auto big = big_panel_from(panel ? panel : "")) {
        big_panel_ = *big;
        big_panel_chosen_ = true;
        if (*big == BigPanel::Terminal) tab_request_ = 4;  // outside presenter mode: the Terminal tab
    }
    const char* tab = std::getenv("NETSTEP_VIZ_TAB");  // a bottom-right tab at start (screenshots)
    if (tab && std::string(tab) == "time-sequence") {
        tab_request_ = 6;
        if (!big_panel_chosen_) big_panel_ = BigPanel::Details;
    }
    const char* timing = std::getenv("NETSTEP_VIZ_TIMING");
    timing_.on = timing && *timing && std::string(timing) != "0";
    if (timing_.on) timing_.begin();
}

App::~App() {
    if (imgui_ready_) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext();
    }
    if (window_) glfwDestroyWindow(window_);
    glfwTerminate();
}

bool App::open_window(bool visible) {
    if (!glfwInit()) return false;
    timing_.mark("GLFW initialised (X connection)");
#ifdef NETSTEP_WEB
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);  // WebGL 2
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
#else
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
#endif
    glfwWindowHint(GLFW_VISIBLE, visible ? GLFW_TRUE : GLFW_FALSE);
    glfwWindowHint(GLFW_DOUBLEBUFFER, GLFW_TRUE);
    window_ = glfwCreateWindow(options_.width, options_.height, (std::string("netstep ") + sim::version()).c_str(), nullptr, nullptr);
    if (!window_) return false;
    timing_.mark("window and GL context created (Mesa loaded)");
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(visible ? 1 : 0);
    return true;
}

// Start-up: the simulator child (already started) and the font atlas (a thread: pure CPU) work
// while the main thread opens the window and loads Mesa; then the trace is read.
bool App::start(bool visible, PendingLoad& pending) {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the layout is computed, never saved
    io.LogFilename = nullptr;
#ifdef NETSTEP_WEB
    build_fonts();  // no threads in the browser
    bool ok = open_window(visible);
#else
    std::thread atlas([this] { build_fonts(); });
    bool ok = open_window(visible);
    atlas.join();
#endif
    timing_.mark("fonts built");
    if (!ok) {
        ImGui::DestroyContext();
        finish_load(pending);
        return false;
    }
    timing_.mark("window + GL ready");
    setup_imgui();
    session_.load(std::move(pending), false);
    timing_.mark("trace loaded");
    // A lab (nothing sent until someone types: netstep view --lab) opens on the terminal.
    if (session_.view && session_.view->trace().packets.empty() && !session_.view->trace().hosts.empty()) {
        tab_request_ = 4;
        if (!big_panel_chosen_) big_panel_ = BigPanel::Terminal;
    } else if (session_.view && std::any_of(session_.view->trace().networks.begin(), session_.view->trace().networks.end(),
                                            [](const sim::TraceNetwork& n) { return n.switched; })) {
        tab_request_ = 5;  // a switch's lesson opens on its MAC table
    }
    return true;
}

void App::setup_imgui() {
    ImGui::GetStyle() = classroom_style(presenter_);
    ImGui_ImplGlfw_InitForOpenGL(window_, true);
#ifdef NETSTEP_WEB
    ImGui_ImplOpenGL3_Init("#version 300 es");
#else
    ImGui_ImplOpenGL3_Init("#version 330");
#endif
    imgui_ready_ = true;
}

// The four fonts of the current mode; called again between frames when F2 changes the mode.
void App::build_fonts() {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    fonts_ = load_fonts(sizes(), ranges_.data());
    fonts_presenter_ = presenter_;
    io.Fonts->Build();
    if (imgui_ready_) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Loading a scenario (child process), what-if, reload on change
//-----------------------------------------------------------------------------

// Once a second: reload (same step) when the scenario file changed on disk.
void App::poll_file_changes(double now) {
    if (now < next_poll_) return;
    next_poll_ = now + 1.0;
    session_.reload_if_changed();
}

//-----------------------------------------------------------------------------
// [SECTION] Applying commands
//-----------------------------------------------------------------------------

void App::apply(const Command& command) {
    if (session_.view && apply_to_player(command, session_.player, *session_.view)) return;
    std::visit(
        [&](const auto& c) {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<T, cmd::SelectPacket>) {
                session_.selection.packet = c.packet;
                session_.selection.connection = kNone;
                if (c.show_inspector) tab_request_ = 1;
                if (c.go_to_sent && session_.view) {
                    session_.player.pause();
                    session_.player.go_to(session_.view->trace().packets[c.packet].sent_step, *session_.view);
                }
            } else if constexpr (std::is_same_v<T, cmd::SelectConnection>) {
                session_.selection.connection = c.history;
            } else if constexpr (std::is_same_v<T, cmd::WhatIf>) {
                session_.what_if(c.packet, c.fault);
            } else if constexpr (std::is_same_v<T, cmd::Revert>) {
                session_.revert();
            } else if constexpr (std::is_same_v<T, cmd::Reload>) {
                session_.reload();  // the file read again; what-if faults and typed lines kept
            } else if constexpr (std::is_same_v<T, cmd::Open>) {
                session_.open(c.path);
            } else if constexpr (std::is_same_v<T, cmd::Screenshot>) {
                screenshot_requested_ = true;
            } else if constexpr (std::is_same_v<T, cmd::TogglePresenter>) {
                presenter_ = !presenter_;  // the fonts follow before the next frame
                ImGui::GetStyle() = classroom_style(presenter_);
            } else if constexpr (std::is_same_v<T, cmd::ShowPanel>) {
                big_panel_ = c.panel;
            } else if constexpr (std::is_same_v<T, cmd::SetLanguage>) {
                lang_ = c.lang;
                text_ = strings_for(c.lang);
                predict_generation_ = 0;  // the questions again, in that language (votes start over)
            } else if constexpr (std::is_same_v<T, cmd::Type>) {
                session_.begin_type(c.line);  // the run goes on while frames are drawn: poll() ends it
            } else if constexpr (std::is_same_v<T, cmd::TogglePredict>) {
                predict_.set_on(!predict_.on());
                if (session_.view) predict_.arrive(session_.player.step());
            } else if constexpr (std::is_same_v<T, cmd::Answer>) {
                if (predict_.answer(c.choice)) session_.player.pause();
            } else if constexpr (std::is_same_v<T, cmd::SkipQuestion>) {
                predict_.skip();
            } else if constexpr (std::is_same_v<T, cmd::ExportHandout>) {
                std::string error;
                char written[2048];
                if (session_.export_handout(c.path, lang_, error)) {
                    std::snprintf(written, sizeof written, text_.handout_saved, std::filesystem::absolute(c.path).string().c_str());
                    handout_message_ = written;
                } else {
                    handout_message_ = error;
                }
                std::fprintf(stderr, "%s\n", handout_message_.c_str());
            } else if constexpr (std::is_same_v<T, cmd::SaveScenario>) {
                std::string error;
                if (session_.save_as(c.path, error)) {
                    session_.saved_to = c.path;
                    save_message_ = std::string(text_.saved_to) + " " + std::filesystem::absolute(c.path).string();
                } else {
                    save_message_ = error;
                }
                std::fprintf(stderr, "%s\n", save_message_.c_str());
            }
        },
        command);
}

//-----------------------------------------------------------------------------
// [SECTION] Drawing one frame
//-----------------------------------------------------------------------------

ViewModel App::view_model() const {
    ViewModel vm{*session_.view, text_, session_.player};
    vm.now = session_.player.display_time(*session_.view);
    vm.selection = session_.selection;
    if (session_.selection.connection != kNone) vm.connection = session_.view->connection_of(session_.selection.connection);
    else if (session_.selection.packet != kNone) vm.connection = session_.view->connection_of_packet(session_.selection.packet);
    if (vm.connection.a == kNone) vm.connection = session_.view->active_connection(vm.step);
    vm.fonts = fonts();
    vm.lang = lang_;
    vm.presenter = presenter_;
    vm.focused = presenter_ && presenter_focused(ImGui::GetIO().DisplaySize);
    vm.big_panel = big_panel_;
    vm.thickness = presenter_ ? 1.8f : 1.0f;
    vm.generation = session_.generation;
    vm.scenario_file = session_.original_file;
    vm.modified = session_.current_file != session_.original_file;
    vm.scenarios = session_.scenarios;
    vm.screenshot_mode = options_.screenshot.has_value();
    vm.journal = &session_.journal;
    vm.rerunning = session_.busy();
    vm.save_default = session_.saved_to.empty() ? session_.default_save_path() : session_.saved_to;
    vm.save_message = save_message_;
    vm.handout_default = session_.default_handout_path();
    vm.handout_message = handout_message_;
    vm.predict = predict_.on() ? &predict_ : nullptr;
    return vm;
}

void App::draw_error(const Rect& r) const {
    if (session_.error.empty()) return;
    ImGui::SetNextWindowPos(r.pos, ImGuiCond_Always);
    ImGui::SetNextWindowSize(r.size, ImGuiCond_Always);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(1.0f, 0.93f, 0.93f, 1.0f));
    ImGui::Begin("###error", nullptr, kFixed | ImGuiWindowFlags_NoTitleBar);
    ImGui::PushFont(fonts().caption);
    ImGui::TextColored(theme::to_vec4(theme::kDrop), "%s", text_.scenario_error);
    ImGui::PopFont();
    ImGui::PushTextWrapPos(0.0f);
    TextClamped(session_.error);
    ImGui::PopTextWrapPos();
    ImGui::End();
    ImGui::PopStyleColor();
}

void App::draw_windows(const ViewModel& vm, Commands& out) {
    Layout l = compute_layout(ImGui::GetIO().DisplaySize, sizes(), presenter_, big_panel_,
                              predict_.on() ? PredictPanel::height(sizes()) : 0.0f);
    if (begin_fixed("header", "header", l.header, ImGuiWindowFlags_NoTitleBar)) header_.draw(vm, out);
    ImGui::End();
    if (begin_fixed("controls", "controls", l.controls, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar)) controls_.draw(vm, out);
    ImGui::End();
    if (l.question.shown()) {
        if (begin_fixed("question", "question", l.question, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar))
            predict_panel_.draw(vm, out);
        ImGui::End();
    }
    auto window = [&](const char* title, const char* id, const Rect& r, auto& panel, ImGuiWindowFlags flags) {
        if (!r.shown()) return;
        if (begin_fixed(title, id, r, flags)) panel.draw(vm, out);
        ImGui::End();
    };
    window(text_.topology, "topology", l.topology, topology_, ImGuiWindowFlags_NoScrollbar);
    window(text_.terminal, "terminal", l.terminal, terminal_, ImGuiWindowFlags_NoScrollbar);
    window(text_.ladder, "ladder", l.ladder, ladder_, ImGuiWindowFlags_NoScrollbar);
    // A lesson without TCP shows its UDP sockets where the state diagram and the connection's
    // variables would stand empty (one window over both when they sit side by side).
    if (vm.view.has_tcp() || vm.view.udp_sockets().empty()) {
        window(text_.states, "states", l.states, states_, ImGuiWindowFlags_NoScrollbar);
        window(text_.variables, "variables", l.variables, variables_, 0);
    } else {
        Rect udp = l.states.shown() ? l.states : l.variables;
        bool side_by_side = l.states.shown() && l.variables.shown() && l.states.pos.y == l.variables.pos.y &&
                            l.states.size.y == l.variables.size.y;
        if (side_by_side) udp.size.x = l.variables.pos.x + l.variables.size.x - l.states.pos.x;
        window(text_.udp_sockets, "states", udp, udp_, 0);
        if (!side_by_side && l.states.shown()) window(text_.variables, "variables", l.variables, variables_, 0);
    }
    if (l.tabs.shown()) {
        // Tighter tabs, so that the six names fit whole at 1280x800 in French and Italian too
        // (the tab bar lays its tabs out with the padding in force around it; panels get theirs back).
        ImVec2 padding = ImGui::GetStyle().FramePadding;
        ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(5, padding.y));
        if (begin_fixed("tabs", "tabs", l.tabs, ImGuiWindowFlags_NoTitleBar) && ImGui::BeginTabBar("tabs")) {
            auto tab = [&](const char* label, const char* id, int index, auto& panel) {
                ImGuiTabItemFlags flags = tab_request_ == index ? ImGuiTabItemFlags_SetSelected : 0;
                std::string name = std::string(label) + "###" + id;
                if (ImGui::BeginTabItem(name.c_str(), nullptr, flags)) {
                    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, padding);
                    panel.draw(vm, out);
                    ImGui::PopStyleVar();
                    ImGui::EndTabItem();
                }
            };
            tab(text_.hosts, "hosts", 0, hosts_);
            tab(text_.inspector, "inspector", 1, inspector_);
            tab(text_.log, "log", 2, log_);
            tab(text_.terminal, "terminal", 4, terminal_);
            tab(text_.mac_table, "mac_table", 5, mac_table_);
            tab(text_.time_sequence, "time_sequence", 6, time_sequence_);
            if (!l.variables.shown() && !l.focused) tab(text_.variables, "variables", 3, variables_);
            ImGui::EndTabBar();
            tab_request_ = -1;
        }
        ImGui::End();
        ImGui::PopStyleVar();
    }
    float body_y = l.controls.pos.y + l.controls.size.y;
    if (!session_.error.empty()) draw_error({{0, body_y}, ImVec2(l.header.size.x, (ImGui::GetIO().DisplaySize.y - body_y) * 0.3f)});
    controls_.handle_keys(vm, out);
    if (controls_.keyboard) predict_panel_.handle_keys(vm, out);
    if (terminal_.handle_keys()) {  // Ctrl+S: the terminal's save popup, wherever the terminal is
        if (l.focused && big_panel_ != BigPanel::Details) big_panel_ = BigPanel::Terminal;
        else tab_request_ = 4;
    }
}

void App::frame(double wall_dt) {
    if (fonts_presenter_ != presenter_) build_fonts();  // outside NewFrame/Render: the atlas is free
    ImGui::NewFrame();
    ImGui::PushFont(fonts().body);
    Commands out;
    session_.poll();  // a typed line's run, once the simulator is done
    sync_predict();
    if (session_.view) {
        uint32_t before = session_.player.step();
        if (auto hit = session_.player.tick(wall_dt, *session_.view)) tab_request_ = 2;
        gate_predict(before);
        ViewModel vm = view_model();
        draw_windows(vm, out);
    } else {
        Layout l = compute_layout(ImGui::GetIO().DisplaySize, sizes(), presenter_, big_panel_);
        draw_error({{0, 0}, ImVec2(l.header.size.x, ImGui::GetIO().DisplaySize.y)});
    }
    ImGui::PopFont();
    ImGui::Render();
    uint32_t before = session_.view ? session_.player.step() : 0;
    for (const Command& c : out) apply(c);
    sync_predict();
    gate_predict(before);
}

// Predict mode's questions follow the trace shown (a what-if or a typed line makes a new one).
void App::sync_predict() {
    if (!session_.view || predict_generation_ == session_.generation) return;
    predict_generation_ = session_.generation;
    predict_.reset(sim::quiz::generate(session_.view->trace(), {.max = kViewerQuestions, .lang = language_code(lang_)}));
    predict_.arrive(session_.player.step());
}

// After the player moved from `from`: stop at the gate of an open question on the way forward.
void App::gate_predict(uint32_t from) {
    if (session_.view) predict_.follow(session_.player, *session_.view, from);
}

void App::render() {
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    glViewport(0, 0, w, h);
    glClearColor(1.0f, 1.0f, 1.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void App::take_screenshot(const std::string& path) {
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    std::string error;
    if (save_framebuffer_png(path, w, h, &error)) status_ = std::string(text_.screenshot_saved) + ": " + path;
    else status_ = error;  // "cannot write PATH: REASON": run_screenshot's exit 2 tests its start
    std::fprintf(stderr, "%s\n", status_.c_str());
}

//-----------------------------------------------------------------------------
// [SECTION] Screenshot mode
//-----------------------------------------------------------------------------

// Deterministic: a fixed frame time, no mouse, the animation driven by the step alone.
// The simulator runs as a child while the window and the GL context are being made.
int App::run_screenshot() {
    timing_.mark("start");
    PendingLoad pending = start_load(options_.netstep_exe, session_.current_file);
    timing_.mark("trace child started");
    if (!start(false, pending)) {
        std::fprintf(stderr, "netstep view: cannot open an OpenGL window (is there a display? try xvfb-run)\n");
        return 2;
    }
    if (!session_.error.empty()) std::fprintf(stderr, "%s\n", session_.error.c_str());
    if (!step_exists()) return 2;
    select_for_inspector();
    sync_predict();
    if (const char* vote = std::getenv("NETSTEP_VIZ_ANSWER"); vote && *vote >= 'A' && *vote <= 'D')
        predict_.answer(uint32_t(*vote - 'A'));  // screenshots of a reveal: the class voted this letter
    ImGuiIO& io = ImGui::GetIO();
    for (int i = 0; i < 3; ++i) {  // windows and tables settle their sizes over the first frames
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        io.DeltaTime = 1.0f / 60.0f;
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        frame(0.0);
        render();
        if (i == 0) {
            glFinish();
            timing_.mark("first frame rendered");
        }
    }
    glFinish();
    timing_.mark("third frame rendered");
    // Same pixels, faster: one filter for every row instead of trying all five, light deflate.
    stbi_write_force_png_filter = 1;
    stbi_write_png_compression_level = 4;
    take_screenshot(*options_.screenshot);
    timing_.mark("PNG written");
    measure_frames(std::getenv("NETSTEP_VIZ_BENCH_FRAMES"));
    measure_typing(std::getenv("NETSTEP_VIZ_BENCH_TYPE"));
    if (!session_.error.empty() || !session_.view) return 2;
    return status_.rfind("cannot", 0) == 0 ? 2 : 0;
}

// Screenshots show the packet inspector's content: the packet of the step (or the last one sent
// before it); with --inspect-field, on the inspector's tab with that field lit.
void App::select_for_inspector() {
    inspector_.pinned_field = options_.inspect_field;
    if (options_.inspect_field.empty()) return;
    tab_request_ = 1;
    if (!big_panel_chosen_) big_panel_ = BigPanel::Details;  // presenter mode on a small screen: the tabs
}

double median(std::vector<double> v) {
    if (v.empty()) return 0.0;
    std::nth_element(v.begin(), v.begin() + long(v.size() / 2), v.end());
    return v[v.size() / 2];
}

// NETSTEP_VIZ_BENCH_FRAMES=N: after the screenshot, play N frames at 20 steps/s and print the
// median time per frame and its parts: building the UI (CPU), handing the draw lists to GL,
// rasterising them (glFinish: llvmpipe's threads) and the buffer swap (a copy to the X server).
void App::measure_frames(const char* frames_env) {
    int frames = frames_env ? std::atoi(frames_env) : 0;
    if (frames <= 0 || !session_.view) return;
    session_.player.speed_index = 3;
    session_.player.play(*session_.view);
    std::vector<double> total, build, submit, raster, swap;
    int triangles = 0;
    for (int i = 0; i < frames; ++i) {
        double t0 = glfwGetTime();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        frame(1.0 / 60.0);
        double t1 = glfwGetTime();
        triangles = std::max(triangles, ImGui::GetDrawData()->TotalIdxCount / 3);
        if (i == frames - 1 && std::getenv("NETSTEP_VIZ_BENCH_LISTS")) {
            const ImDrawData* dd = ImGui::GetDrawData();
            for (int l = 0; l < dd->CmdListsCount; ++l)
                std::fprintf(stderr, "  %-40s %6d triangles %3d commands\n", dd->CmdLists[l]->_OwnerName,
                             dd->CmdLists[l]->IdxBuffer.Size / 3, dd->CmdLists[l]->CmdBuffer.Size);
        }
        render();
        double t2 = glfwGetTime();
        glFinish();
        double t3 = glfwGetTime();
        glfwSwapBuffers(window_);
        double t4 = glfwGetTime();
        total.push_back(t4 - t0);
        build.push_back(t1 - t0);
        submit.push_back(t2 - t1);
        raster.push_back(t3 - t2);
        swap.push_back(t4 - t3);
    }
    double sum = std::accumulate(total.begin(), total.end(), 0.0);
    const char* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    std::fprintf(stderr,
                 "%d frames, %.2f ms per frame (median; mean %.2f): UI build %.2f, GL submit %.2f, raster %.2f, "
                 "swap %.2f; up to %d triangles (%zu hosts, %zu packets, %zu events; %s)\n",
                 frames, median(total) * 1e3, sum * 1e3 / frames, median(build) * 1e3, median(submit) * 1e3,
                 median(raster) * 1e3, median(swap) * 1e3, triangles, session_.view->trace().hosts.size(), session_.view->trace().packets.size(),
                 session_.view->trace().events.size(), renderer ? renderer : "?");
}

// NETSTEP_VIZ_BENCH_TYPE=N: after the screenshot, type `ipconfig` N times into the terminal of the
// first host that is not a router, at the last step, as Enter in the Terminal panel does, and print
// the median time from Enter to the first frame drawn from the new run (the line echoed, its
// output next) and its parts: the run (journal written, the simulator's fork, its JSON read back)
// and the frame (UI, GL, swap). bench/run reports it per classroom scenario.
void App::measure_typing(const char* times_env) {
    int times = times_env ? std::atoi(times_env) : 0;
    if (times <= 0 || !session_.view) return;
    const sim::Trace& first = session_.view->trace();
    std::string host;
    for (const sim::TraceHost& h : first.hosts) {
        if (!h.forwarding) {
            host = h.name;
            break;
        }
    }
    if (host.empty()) return;
    std::vector<double> total, run, draw;
    for (int i = 0; i < times; ++i) {
        uint32_t last = session_.view->last_step();
        session_.player.go_to(last, *session_.view);
        uint64_t generation = session_.generation;
        double t0 = glfwGetTime();
        apply(cmd::Type{sim::TypedLine{host, session_.view->time_at(last), "ipconfig", sim::step::Type::Key::Line}});
        while (session_.busy()) session_.poll(true);
        double t1 = glfwGetTime();
        if (session_.generation == generation) {
            std::fprintf(stderr, "typing: the run failed: %s\n", session_.error.c_str());
            return;
        }
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        frame(1.0 / 60.0);
        render();
        glFinish();
        glfwSwapBuffers(window_);
        double t2 = glfwGetTime();
        total.push_back(t2 - t0);
        run.push_back(t1 - t0);
        draw.push_back(t2 - t1);
    }
    std::fprintf(stderr, "typing: %d lines, Enter to frame %.1f ms (median; max %.1f): run %.1f, frame %.1f (%zu events)\n",
                 times, median(total) * 1e3, *std::max_element(total.begin(), total.end()) * 1e3, median(run) * 1e3,
                 median(draw) * 1e3, session_.view->trace().events.size());
}

//-----------------------------------------------------------------------------
// [SECTION] Interactive mode
//-----------------------------------------------------------------------------

int App::run_interactive() {
    PendingLoad pending = start_load(options_.netstep_exe, session_.current_file);
    if (!start(true, pending)) {
        std::fprintf(stderr, "netstep view: cannot open an OpenGL window (no display?)\n");
        return 2;
    }
    if (!step_exists()) return 2;
#ifdef NETSTEP_WEB
    // The browser calls one frame per animation frame; this returns at once (the App lives on).
    emscripten_set_main_loop_arg([](void* app) { static_cast<App*>(app)->web_frame(); }, this, 0, false);
    return 0;
#endif
    while (!glfwWindowShouldClose(window_)) {
        if (session_.player.playing() || session_.busy()) glfwPollEvents();
        else glfwWaitEventsTimeout(0.25);  // idle: no busy loop, but still poll the file
        poll_file_changes(glfwGetTime());
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        frame(ImGui::GetIO().DeltaTime);
        render();
        if (screenshot_requested_) {
            screenshot_requested_ = false;
            take_screenshot("netstep-step" + std::to_string(session_.player.step()) + ".png");
        }
        glfwSwapBuffers(window_);
        if (!first_frame_shown_) {
            first_frame_shown_ = true;
            timing_.mark("first frame swapped");
        }
    }
    return 0;
}

#ifdef NETSTEP_WEB
// One frame of the browser's loop: GLFW's events arrive by callbacks between frames.
void App::web_frame() {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    frame(ImGui::GetIO().DeltaTime);
    render();
    glfwSwapBuffers(window_);
    if (session_.view && session_.player.step() != shown_step_) {  // the page says which step it shows
        shown_step_ = session_.player.step();
        EM_ASM({ document.body.dataset.step = String($0); }, shown_step_);
    }
    if (!first_frame_shown_) {
        first_frame_shown_ = true;
        timing_.mark("first frame swapped");
        EM_ASM({ if (typeof Module.onFirstFrame === 'function') Module.onFirstFrame(); });
    }
}
#endif

int App::run() { return options_.screenshot ? run_screenshot() : run_interactive(); }

// --step N names a step of the trace: beyond the last one is an error, not a silent clamp.
bool App::step_exists() const {
    if (!options_.step || !session_.view) return true;
    uint32_t last = session_.view->last_step();
    if (*options_.step <= last) return true;
    std::fprintf(stderr, "netstep view: %s: --step %u is beyond the last step, %u\n", session_.current_file.c_str(),
                 unsigned(*options_.step), unsigned(last));
    return false;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] run_view
//-----------------------------------------------------------------------------

// Whatever escapes the frame loop or the screenshot (out of memory included) ends the viewer
// with a message and exit 2, never an abort.
int run_view(const ViewOptions& options) {
    try {
#ifdef NETSTEP_WEB
        // The browser's frame loop keeps calling the App after this returns: it lives on.
        App* app = new App(options);
        return app->run();
#else
        App app(options);
        return app.run();
#endif
    } catch (const std::exception& e) {
        std::fprintf(stderr, "netstep view: %s: %s\n", options.scenario_file.c_str(), sim::error_message(e).c_str());
        return 2;
    }
}

}  // namespace netstep::viz
