// Screenshots: glReadPixels, flip to top-down rows, stbi_write_png (implementation in libstb).
#include "viz/screenshot.hpp"

#include <GL/gl.h>
#include <stb/stb_image_write.h>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
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
    // Atomically: a temporary file beside `path`, renamed over it once complete.
    std::string temp = path + ".tmp-" + std::to_string(getpid());
    if (stbi_write_png(temp.c_str(), width, height, 3, flipped.data(), int(row)) == 0 ||
        std::rename(temp.c_str(), path.c_str()) != 0) {
        std::remove(temp.c_str());
        return false;
    }
    return true;
}

}  // namespace netstep::viz
