// A headless ImGui context for drawing panels in tests (no window, no GL), with the app's fonts.
#pragma once
#include <imgui.h>

#include <filesystem>
#include <string>

#include "viz/view_model.hpp"

namespace netstep::viz::test {

// The app's glyph ranges (viz/app.cpp): Latin-1, Latin Extended-A, punctuation ("…", "—"), arrows.
inline constexpr ImWchar kGlyphRanges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2010, 0x205E, 0x2190, 0x21FF, 0};

// An ImGui context with a built font atlas of DejaVu at `size` (the app's fonts, so that text
// has its real width; ImGui's own font when they are not installed).
class HeadlessFonts {
public:
    explicit HeadlessFonts(float size, ImVec2 display = ImVec2(1920, 1080)) {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = display;
        io.IniFilename = nullptr;
        io.DeltaTime = 1.0f / 60.0f;
        auto add = [&](const char* file) -> ImFont* {
            std::string path = std::string("/usr/share/fonts/truetype/dejavu/") + file;
            if (!std::filesystem::exists(path)) return io.Fonts->AddFontDefault();
            return io.Fonts->AddFontFromFileTTF(path.c_str(), size, nullptr, kGlyphRanges);
        };
        fonts.body = add("DejaVuSans.ttf");
        fonts.bold = add("DejaVuSans-Bold.ttf");
        fonts.caption = fonts.mono = fonts.body;
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    }
    ~HeadlessFonts() { ImGui::DestroyContext(); }
    HeadlessFonts(const HeadlessFonts&) = delete;
    HeadlessFonts& operator=(const HeadlessFonts&) = delete;

    Fonts fonts;
};

}  // namespace netstep::viz::test
