// Text drawn from the trace (names, captions, payloads, event descriptions, netstat lines): one
// place that bounds it and cuts it to a width with "…", the whole in a tooltip when hovered.
// Every panel draws trace text through these, so that no text is ever cut without a sign and no
// text is too long to draw.
#pragma once
#include <imgui.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace netstep::viz {

// The most of one text drawn at once: ImGui's 16-bit vertex indices allow about 16,000 glyphs
// per draw call (a 17,000-character caption aborted the viewer); no panel shows more than this.
inline constexpr size_t kMaxDrawnBytes = 2000;
inline constexpr size_t kMaxDrawnLines = 12;

// `text` cut after kMaxDrawnBytes bytes or kMaxDrawnLines lines (between UTF-8 characters),
// ending in "…" when cut; `text` itself otherwise. The first thing done to any trace text drawn.
std::string clamp_text(std::string_view text, size_t max_bytes = kMaxDrawnBytes, size_t max_lines = kMaxDrawnLines);

// `text` (clamped) when it fits `max_width` in `font` at `size`, else its longest start (cut
// between UTF-8 characters) followed by "…"; "…" alone when nothing more fits. `keep_end` bytes
// at the end are kept when they leave room ("scann…:50829": the port tells two lifelines apart).
std::string text_fit(const ImFont* font, float size, std::string_view text, float max_width, size_t keep_end = 0);

// Draws `text` at `pos`, cut by text_fit; the whole text in a tooltip when it was cut and the
// mouse is over it. Returns the size drawn (its width never exceeds max_width).
ImVec2 text_ellipsis(ImDrawList* dl, const ImFont* font, float size, ImVec2 pos, ImU32 color, std::string_view text,
                     float max_width, size_t keep_end = 0);

// As ImGui::TextUnformatted (an item, in the current font and color), cut to `max_width` (<= 0:
// what is left of the line) with the tooltip.
void TextEllipsis(std::string_view text, float max_width = 0.0f);

// As ImGui::TextUnformatted, clamped (several lines allowed), the whole in a tooltip when cut.
void TextClamped(std::string_view text);

// A tooltip showing `text`, clamped and wrapped (for the hovered item: call when it is hovered).
void TextTooltip(std::string_view text);

}  // namespace netstep::viz
