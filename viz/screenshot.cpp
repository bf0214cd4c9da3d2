// Screenshots: glReadPixels, flip to top-down rows, stbi_write_png (implementation in libstb).
#include "viz/screenshot.hpp"

#include <GL/gl.h>
#include <stb/stb_image_write.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace netstep::viz {

bool save_framebuffer_png(const std::string& path, int width, int height) {
    if (width <= 0 || height <= 0) return false;
    const size_t row = size_t(width) * 3;
    std::vector<uint8_t> pixels(row * size_t(height));
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    std::vector<uint8_t> flipped(pixels.size());
    for (int y = 0; y < height; ++y) {
        std::memcpy(&flipped[size_t(y) * row], &pixels[size_t(height - 1 - y) * row], row);
    }
    return stbi_write_png(path.c_str(), width, height, 3, flipped.data(), int(row)) != 0;
}

}  // namespace netstep::viz
