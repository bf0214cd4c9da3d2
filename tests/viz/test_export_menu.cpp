// The viewer's "PDF…" button (issue 18): the popup proposes the session's default path, Save sends
// cmd::ExportHandout, the result stays shown until Close; and the session writes the handout of
// the run as shown, in the viewer's language, read back with pdftotext.
#include <GLFW/glfw3.h>
#include <doctest/doctest.h>
#include <imgui.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "viz/commands.hpp"
#include "viz/i18n.hpp"
#include "viz/loader.hpp"
#include "viz/panels.hpp"
#include "viz/player.hpp"
#include "viz/session.hpp"
#include "viz/trace_view.hpp"
#include "tests/viz/headless.hpp"

using namespace netstep;
using namespace netstep::viz;
using namespace netstep::viz::test;

namespace {

struct HeaderFixture {
    Headless imgui;
    sim::Trace trace = demo_trace();
    TraceView view{trace};
    Strings text = strings_for(Language::En);
    Player player;
    HeaderPanel panel;
    Commands all;
    std::string message;

    HeaderFixture() { ImGui::GetIO().KeyMap[ImGuiKey_Escape] = GLFW_KEY_ESCAPE; }
    void frame(const Input& input = {}) {
        ViewModel vm = view_model(view, player, text, default_fonts(), 1, false);
        vm.handout_default = "lesson-handout.pdf";
        vm.handout_message = message;
        Commands out = draw_frame("header", ImVec2(1280, 140), input, [&](Commands& c) { panel.draw(vm, c); });
        all.insert(all.end(), out.begin(), out.end());
    }
    void click(ImVec2 at) {
        for (const Input& input : click_frames(at, 0)) frame(input);
        frame();
    }
    size_t exports(const std::string& path) const {
        size_t n = 0;
        for (const Command& c : all)
            if (const auto* e = std::get_if<cmd::ExportHandout>(&c); e && e->path == path) ++n;
        return n;
    }
};

std::string pdf_text(const std::string& path) {
    std::string out;
    FILE* p = popen(("pdftotext -q '" + path + "' -").c_str(), "r");
    REQUIRE(p);
    char buf[4096];
    size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    return out;
}

}  // namespace

TEST_CASE_FIXTURE(HeaderFixture, "header: the PDF button opens the handout popup with the default path: Save exports and Close closes") {
    frame();
    CHECK_FALSE(panel.export_shown);
    REQUIRE(panel.export_center.x > 0);
    click(panel.export_center);
    CHECK(panel.export_shown);
    CHECK(std::string(panel.export_path.data()) == "lesson-handout.pdf");
    CHECK(exports("lesson-handout.pdf") == 0);
    click(panel.export_ok_center);
    CHECK(exports("lesson-handout.pdf") == 1);
    // The result is shown in the popup until it is closed.
    message = "Handout written: /tmp/lesson-handout.pdf";
    frame();
    CHECK(panel.export_shown);
    click(panel.export_close_center);
    CHECK_FALSE(panel.export_shown);
    CHECK(exports("lesson-handout.pdf") == 1);
}

#ifdef NETSTEP_EXE
TEST_CASE("session: the handout of the run as shown in the viewer language and its errors") {
    std::string file = std::string(NETSTEP_TEST_SCENARIOS) + "/tcp-data-lost.yaml";
    Session session(NETSTEP_EXE, file, 0);
    session.load(file, false);
    REQUIRE(session.view);
    CHECK(session.default_handout_path().find("tcp-data-lost-handout.pdf") != std::string::npos);
    std::string path = (std::filesystem::temp_directory_path() / "netstep-test-handout.pdf").string();
    std::string error;
    REQUIRE(session.export_handout(path, Language::Fr, error));
    std::string text = pdf_text(path);
    CHECK(text.find(session.trace->title) != std::string::npos);
    CHECK(text.find(strings_for(Language::Fr).captions_title) != std::string::npos);
    CHECK(text.find("seq=1461") != std::string::npos);  // the retransmitted segment's label
    std::filesystem::remove(path);
    // A directory is refused, named.
    CHECK_FALSE(session.export_handout(std::filesystem::temp_directory_path().string(), Language::En, error));
    CHECK(error.find("directory") != std::string::npos);
}
#endif
