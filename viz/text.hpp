// Text cut to a width: it ends in "…" and shows whole in a tooltip when hovered. One helper for
// every panel, so that no text is ever cut without a sign.
#pragma once
#include <imgui.h>

#include <string>
#include <string_view>

namespace netstep::viz {

// `text` when it fits `max_width` in `font` at `size`, else its longest start (cut between UTF-8
// characters) followed by "…"; "…" alone when nothing more fits. `keep_end` bytes at the end are
// kept when they leave room ("scann…:50829": the port tells two lifelines apart).
std::string text_fit(const ImFont* font, float size, std::string_view text, float max_width, size_t keep_end = 0);

// Draws `text` at `pos`, cut by text_fit; the whole text in a tooltip when it was cut and the
// mouse is over it. Returns the size drawn (its width never exceeds max_width).
ImVec2 text_ellipsis(ImDrawList* dl, const ImFont* font, float size, ImVec2 pos, ImU32 color, std::string_view text,
                     float max_width, size_t keep_end = 0);

// As ImGui::TextUnformatted (an item, in the current font and color), cut to `max_width` (<= 0:
// what is left of the line) with the tooltip.
void TextEllipsis(std::string_view text, float max_width = 0.0f);

}  // namespace netstep::viz
