// Reading back what was rendered and writing it as a PNG (stb_image_write from libstb).
#pragma once
#include <string>

namespace netstep::viz {

// Reads the current framebuffer (width x height, bottom-up), flips it, writes an RGB PNG.
// Returns false when the file cannot be written.
bool save_framebuffer_png(const std::string& path, int width, int height);

}  // namespace netstep::viz
