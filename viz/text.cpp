// Text cut with "…", whole in a tooltip.
#include "viz/text.hpp"

namespace netstep::viz {

namespace {

constexpr std::string_view kEllipsis = "…";

float width_of(const ImFont* font, float size, std::string_view s) {
    return font->CalcTextSizeA(size, FLT_MAX, 0.0f, s.data(), s.data() + s.size()).x;
}

void tooltip_if_hovered(bool cut, ImVec2 min, ImVec2 max, std::string_view text) {
    if (!cut || !ImGui::IsMouseHoveringRect(min, max)) return;
    if (!ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows | ImGuiHoveredFlags_AllowWhenBlockedByActiveItem)) return;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 35.0f);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

}  // namespace

std::string text_fit(const ImFont* font, float size, std::string_view text, float max_width, size_t keep_end) {
    if (width_of(font, size, text) <= max_width) return std::string(text);
    if (keep_end > 0 && keep_end < text.size()) {
        std::string_view end = text.substr(text.size() - keep_end);
        std::string start = text_fit(font, size, text.substr(0, text.size() - keep_end), max_width - width_of(font, size, end));
        if (start != kEllipsis) return start + std::string(end);
    }
    float room = max_width - width_of(font, size, kEllipsis);
    // The longest start that fits, by bisection over the cut's byte offset (between characters).
    size_t lo = 0, hi = text.size();
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        while (mid > lo && (static_cast<unsigned char>(text[mid]) & 0xC0) == 0x80) --mid;  // a UTF-8 continuation
        if (mid == lo) break;
        if (width_of(font, size, text.substr(0, mid)) <= room) lo = mid;
        else hi = mid - 1;
    }
    while (lo > 0 && text[lo - 1] == ' ') --lo;  // "a long …" reads as "a long…"
    return std::string(text.substr(0, lo)) + std::string(kEllipsis);
}

ImVec2 text_ellipsis(ImDrawList* dl, const ImFont* font, float size, ImVec2 pos, ImU32 color, std::string_view text,
                     float max_width, size_t keep_end) {
    std::string shown = text_fit(font, size, text, max_width, keep_end);
    ImVec2 ts = font->CalcTextSizeA(size, FLT_MAX, 0.0f, shown.c_str());
    dl->AddText(font, size, pos, color, shown.c_str());
    tooltip_if_hovered(shown.size() != text.size(), pos, ImVec2(pos.x + ts.x, pos.y + ts.y), text);
    return ts;
}

void TextEllipsis(std::string_view text, float max_width) {
    if (max_width <= 0.0f) max_width = ImGui::GetContentRegionAvail().x;
    std::string shown = text_fit(ImGui::GetFont(), ImGui::GetFontSize(), text, max_width);
    ImGui::TextUnformatted(shown.c_str());
    tooltip_if_hovered(shown.size() != text.size(), ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), text);
}

}  // namespace netstep::viz
