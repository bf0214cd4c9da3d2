// A headless ImGui context for the viewer's tests (no window, no GL): frames drawn by hand,
// clicks and keys as input, the app's fonts so that text has its real size.
#pragma once
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <array>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "viz/commands.hpp"
#include "viz/layout.hpp"
#include "viz/style.hpp"
#include "viz/view_model.hpp"

namespace netstep::viz::test {

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

using Input = std::function<void(ImGuiIO&)>;

// One headless frame: `input` sets up the mouse and keys, `draw` fills a window of `size` at the
// top left, `after` runs after the window ends (where the app handles keys). Returns the commands.
inline Commands draw_frame(const char* window, ImVec2 size, const Input& input, const std::function<void(Commands&)>& draw,
                    const std::function<void(Commands&)>& after = {}) {
    if (input) input(ImGui::GetIO());
    ImGui::NewFrame();
    Commands out;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(size);
    ImGui::Begin(window);
    draw(out);
    ImGui::End();
    if (after) after(out);
    ImGui::Render();
    return out;
}

// A click is three frames: the mouse moves there, the button goes down, then up.
inline std::array<Input, 3> click_frames(ImVec2 at, int button) {
    return {[at](ImGuiIO& io) { io.MousePos = at; }, [button](ImGuiIO& io) { io.MouseDown[button] = true; },
            [button](ImGuiIO& io) { io.MouseDown[button] = false; }};
}

// The app's fonts (DejaVu, 17 px), so that labels have their real sizes; ImGui's own font when
// they are not installed. Call before the first frame (it rebuilds the atlas).
inline Fonts app_fonts() {
    ImGuiIO& io = ImGui::GetIO();
    const char* dir = "/usr/share/fonts/truetype/dejavu/";
    auto add = [&](const char* file) -> ImFont* {
        std::string path = std::string(dir) + file;
        if (!std::filesystem::exists(path)) return io.Fonts->Fonts[0];
        return io.Fonts->AddFontFromFileTTF(path.c_str(), kNormalSizes.body);
    };
    Fonts f;
    f.body = add("DejaVuSans.ttf");
    f.bold = add("DejaVuSans-Bold.ttf");
    f.caption = f.mono = f.body;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    return f;
}

// An ImGui context with a built font atlas of DejaVu at `size` (the app's fonts, so that text
// has its real width; ImGui's own font when they are not installed); or one set per size.
class HeadlessFonts {
public:
    explicit HeadlessFonts(float size, ImVec2 display = ImVec2(1920, 1080)) : HeadlessFonts(std::vector<float>{size}, display) {}
    explicit HeadlessFonts(const std::vector<float>& sizes, ImVec2 display = ImVec2(1920, 1080)) {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = display;
        io.IniFilename = nullptr;
        io.DeltaTime = 1.0f / 60.0f;
        auto add = [&](const char* file, float size) -> ImFont* {
            std::string path = std::string("/usr/share/fonts/truetype/dejavu/") + file;
            if (!std::filesystem::exists(path)) return io.Fonts->AddFontDefault();
            return io.Fonts->AddFontFromFileTTF(path.c_str(), size, nullptr, ranges_.data());
        };
        for (float size : sizes) {
            Fonts& f = sets.emplace_back();
            f.body = add("DejaVuSans.ttf", size);
            f.bold = add("DejaVuSans-Bold.ttf", size);
            f.caption = f.mono = f.body;
        }
        fonts = sets.front();
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    }
    ~HeadlessFonts() { ImGui::DestroyContext(); }
    HeadlessFonts(const HeadlessFonts&) = delete;
    HeadlessFonts& operator=(const HeadlessFonts&) = delete;

    Fonts fonts;                       // the first size's
    std::vector<Fonts> sets;           // per size

private:
    std::vector<ImWchar> ranges_ = glyph_ranges();  // the app's (viz/style.cpp)
};

// ImGui's own font for every role (tests that need no real text widths).
inline Fonts default_fonts() {
    ImFont* font = ImGui::GetIO().Fonts->Fonts[0];
    return {font, font, font, font};
}

// A ViewModel as the app fills it at the player's step: the time drawn, the step's connection,
// the fonts, the trace's generation; screenshot mode (no hover effects) unless input is tested.
inline ViewModel view_model(const TraceView& view, const Player& player, const Strings& text, const Fonts& fonts,
                            uint64_t generation, bool screenshot_mode = true) {
    ViewModel vm(view, text, player);
    vm.now = player.display_time(view);
    vm.connection = view.active_connection(vm.step);
    vm.fonts = fonts;
    vm.generation = generation;
    vm.screenshot_mode = screenshot_mode;
    return vm;
}

}  // namespace netstep::viz::test
