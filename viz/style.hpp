// The classroom look: fonts (DejaVu, with the glyphs French and Italian need) and the ImGui style.
#pragma once
#include <imgui.h>

#include <vector>

#include "viz/layout.hpp"
#include "viz/view_model.hpp"

namespace netstep::viz {

// Latin-1, Latin Extended-A, punctuation, arrows and the few shapes the UI uses.
std::vector<ImWchar> glyph_ranges();
// The four fonts of a mode (body, bold, caption, mono), added to the current atlas.
Fonts load_fonts(const FontSizes& sizes, const ImWchar* ranges);
// Light and high contrast; presenter mode scales every size by 1.4.
ImGuiStyle classroom_style(bool presenter);

}  // namespace netstep::viz
