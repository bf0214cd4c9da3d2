// Screenshots: glReadPixels, flip to top-down rows, stbi_write_png (implementation in libstb).
#include "viz/screenshot.hpp"

#include <GL/gl.h>
#include <stb/stb_image_write.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/output.hpp"

namespace netstep::viz {

bool save_framebuffer_png(const std::string& path, int width, int height, std::string* error) {
    if (width <= 0 || height <= 0) {
        if (error) *error = "cannot write " + path + ": the window has no pixels";
        return false;
    }
    const size_t row = size_t(width) * 3;
    std::vector<uint8_t> pixels(row * size_t(height));
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    std::vector<uint8_t> flipped(pixels.size());
    for (int y = 0; y < height; ++y) {
        std::memcpy(&flipped[size_t(y) * row], &pixels[size_t(height - 1 - y) * row], row);
    }
    // Through the simulator's one output writer (sim/output.hpp, write_output): an exclusive
    // temporary file beside `path` (mkstemp: no predictable name a planted symlink could take),
    // every write checked, fsync, renamed over it; /dev/null or a FIFO written in place.
    // stb calls back from C: the first error is kept there and rethrown here.
    struct Sink {
        const sim::OutputFd* out = nullptr;
        std::exception_ptr error;
    };
    auto put = [](void* context, void* data, int size) {
        Sink& sink = *static_cast<Sink*>(context);
        if (sink.error || size <= 0) return;
        try {
            sim::write_bytes(*sink.out, data, size_t(size));
        } catch (...) {
            sink.error = std::current_exception();
        }
    };
    try {
        sim::write_output(path, [&](const sim::OutputFd& out) {
            Sink sink{&out, nullptr};
            if (stbi_write_png_to_func(put, &sink, width, height, 3, flipped.data(), int(row)) == 0) {
                throw std::runtime_error("cannot write " + path + ": the PNG could not be encoded");
            }
            if (sink.error) std::rethrow_exception(sink.error);
        });
    } catch (const std::runtime_error& e) {  // "cannot write PATH: REASON"
        if (error) *error = e.what();
        return false;
    } catch (const std::exception& e) {  // std::bad_alloc
        if (error) *error = "cannot write " + path + ": " + sim::error_message(e);
        return false;
    }
    return true;
}

}  // namespace netstep::viz
