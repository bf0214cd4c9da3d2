// The classroom look: DejaVu fonts with the glyphs French and Italian need, and a light,
// high-contrast ImGui style (projectors wash out dark themes and thin gray text).
#include "viz/style.hpp"

#include "viz/theme.hpp"

#include <filesystem>
#include <string>

namespace netstep::viz {

namespace {

constexpr const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";


ImFont* add_font(const char* file, float size, const ImWchar* ranges) {
    ImGuiIO& io = ImGui::GetIO();
    std::string path = std::string(kFontDir) + file;
    if (!std::filesystem::exists(path)) {
        ImFontConfig config;
        config.SizePixels = size;
        return io.Fonts->AddFontDefault(&config);
    }
    ImFontConfig config;
    config.OversampleH = 2;
    config.OversampleV = 1;
    return io.Fonts->AddFontFromFileTTF(path.c_str(), size, &config, ranges);
}

}  // namespace

// Latin-1, Latin Extended-A, punctuation (— … “ ”), arrows, and the few shapes the UI uses
// (■ ▶ ▷ ◀ ◁ ○ ● ◷ ✓ ✗ ❚ ⟳): the fewer glyphs, the faster the atlas is built at start-up.
std::vector<ImWchar> glyph_ranges() {
    return {0x0020, 0x00FF, 0x0100, 0x017F, 0x2010, 0x205E, 0x2190, 0x21FF, 0x25A0, 0x25A1,
            0x25B2, 0x25C1, 0x25CB, 0x25CF, 0x25F7, 0x25F7, 0x2713, 0x2717, 0x275A, 0x275A,
            0x27F3, 0x27F3, 0};
}

Fonts load_fonts(const FontSizes& s, const ImWchar* ranges) {
    Fonts f;
    f.body = add_font("DejaVuSans.ttf", s.body, ranges);
    f.bold = add_font("DejaVuSans-Bold.ttf", s.body, ranges);
    f.caption = add_font("DejaVuSans-Bold.ttf", s.caption, ranges);
    f.mono = add_font("DejaVuSansMono.ttf", s.mono, ranges);
    return f;
}

// Light and high contrast: projectors wash out dark themes and thin gray text.
ImGuiStyle classroom_style(bool presenter) {
    ImGuiStyle style;
    ImGui::StyleColorsLight(&style);
    style.WindowRounding = 0.0f;
    style.FrameRounding = 4.0f;
    style.GrabRounding = 4.0f;
    style.TabRounding = 4.0f;
    style.WindowBorderSize = 1.0f;
    style.WindowPadding = ImVec2(12, 8);
    style.FramePadding = ImVec2(8, 4);
    style.ItemSpacing = ImVec2(10, 6);
    style.ScrollbarSize = 16.0f;
    ImVec4* c = style.Colors;
    c[ImGuiCol_Text] = theme::to_vec4(theme::kInk);
    // The panels tile the window, which is cleared to paper white: a transparent background
    // draws the same picture without filling every pixel twice (llvmpipe pays per pixel).
    c[ImGuiCol_WindowBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_PopupBg] = theme::to_vec4(theme::kPaper);
    c[ImGuiCol_TitleBg] = ImVec4(0.88f, 0.91f, 0.96f, 1.0f);
    c[ImGuiCol_TitleBgActive] = c[ImGuiCol_TitleBg];  // focus must not change the picture
    c[ImGuiCol_TitleBgCollapsed] = c[ImGuiCol_TitleBg];
    c[ImGuiCol_Border] = ImVec4(0.70f, 0.72f, 0.78f, 1.0f);
    c[ImGuiCol_Button] = ImVec4(0.86f, 0.90f, 0.97f, 1.0f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.72f, 0.82f, 0.97f, 1.0f);
    c[ImGuiCol_ButtonActive] = ImVec4(0.55f, 0.70f, 0.95f, 1.0f);
    if (presenter) style.ScaleAllSizes(1.4f);
    return style;
}

}  // namespace netstep::viz
