// Trace text bounded, and cut with "…", whole in a tooltip.
#include "viz/text.hpp"

#include <algorithm>

namespace netstep::viz {

namespace {

constexpr std::string_view kEllipsis = "…";

float width_of(const ImFont* font, float size, std::string_view s) {
    return font->CalcTextSizeA(size, FLT_MAX, 0.0f, s.data(), s.data() + s.size()).x;
}

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

void tooltip_if_hovered(bool cut, ImVec2 min, ImVec2 max, std::string_view text) {
    if (!cut || !ImGui::IsMouseHoveringRect(min, max)) return;
    if (!ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows | ImGuiHoveredFlags_AllowWhenBlockedByActiveItem)) return;
    TextTooltip(text);
}

}  // namespace

std::string clamp_text(std::string_view text, size_t max_bytes, size_t max_lines) {
    size_t end = std::min(text.size(), max_bytes);
    size_t lines = 1;
    for (size_t i = 0; i < end; ++i) {
        if (text[i] == '\n' && ++lines > max_lines) end = i;
    }
    if (end == text.size()) return std::string(text);
    while (end > 0 && continuation(text[end])) --end;  // not inside a UTF-8 character
    return std::string(text.substr(0, end)) + std::string(kEllipsis);
}

std::string text_fit(const ImFont* font, float size, std::string_view whole, float max_width, size_t keep_end) {
    std::string clamped = clamp_text(whole);
    std::string_view text = clamped;
    if (clamped.size() != whole.size()) keep_end = 0;  // its end is gone
    if (width_of(font, size, text) <= max_width) return clamped;
    if (keep_end > 0 && keep_end < text.size()) {
        std::string_view end = text.substr(text.size() - keep_end);
        std::string start = text_fit(font, size, text.substr(0, text.size() - keep_end), max_width - width_of(font, size, end));
        if (start != kEllipsis) return start + std::string(end);
    }
    if (text.size() >= kEllipsis.size() && text.substr(text.size() - kEllipsis.size()) == kEllipsis)
        text.remove_suffix(kEllipsis.size());  // clamped: one "…" is enough
    float room = max_width - width_of(font, size, kEllipsis);
    // The longest start that fits, by bisection over the cut's byte offset (between characters).
    size_t lo = 0, hi = text.size();
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        while (mid > lo && continuation(text[mid])) --mid;
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

void TextClamped(std::string_view text) {
    std::string shown = clamp_text(text);
    ImGui::TextUnformatted(shown.c_str());
    tooltip_if_hovered(shown.size() != text.size(), ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), text);
}

void TextTooltip(std::string_view text) {
    std::string shown = clamp_text(text);
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 35.0f);
    ImGui::TextUnformatted(shown.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

}  // namespace netstep::viz
