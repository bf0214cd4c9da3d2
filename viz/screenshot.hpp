// Reading back what was rendered and writing it as a PNG (stb_image_write from libstb).
#pragma once
#include <string>

namespace netstep::viz {

// Reads the current framebuffer (width x height, bottom-up), flips it, writes an RGB PNG.
// Written with sim::write_output (sim/output.hpp). Returns false when the file cannot be written,
// with why in *error ("cannot write out.png: No space left on device") when error is not null.
bool save_framebuffer_png(const std::string& path, int width, int height, std::string* error = nullptr);

}  // namespace netstep::viz
