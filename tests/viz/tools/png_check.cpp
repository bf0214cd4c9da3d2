// Checks a screenshot's content: its size, that a color appears in a region (a lit state box, a
// packet on its link), and that it matches a golden image within a tolerance.
//
//   viz_png_check IMAGE [--size W H] [--color X0 Y0 X1 Y1 RRGGBB MIN_PIXELS]...
//                       [--no-color X0 Y0 X1 Y1 RRGGBB] [--golden PATH MAX_BAD_FRACTION]
//                       [--same-as PATH X0 Y0 X1 Y1 MAX_BAD_FRACTION]
//
// A pixel matches a color when every channel is within 24. Golden: a pixel is bad when a channel
// differs by more than 48; NETSTEP_UPDATE_GOLDEN=1 writes the golden instead of comparing.
#include <algorithm>
#include <stb/stb_image.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

struct Image {
    int w = 0, h = 0;
    std::vector<unsigned char> rgb;
    const unsigned char* at(int x, int y) const { return &rgb[(size_t(y) * size_t(w) + size_t(x)) * 3]; }
};

bool load(const std::string& path, Image& img) {
    int n = 0;
    unsigned char* data = stbi_load(path.c_str(), &img.w, &img.h, &n, 3);
    if (!data) return false;
    img.rgb.assign(data, data + size_t(img.w) * size_t(img.h) * 3);
    stbi_image_free(data);
    return true;
}

int count_color(const Image& img, int x0, int y0, int x1, int y1, unsigned color) {
    int r = int(color >> 16) & 255, g = int(color >> 8) & 255, b = int(color) & 255, count = 0;
    for (int y = std::max(0, y0); y < std::min(img.h, y1); ++y) {
        for (int x = std::max(0, x0); x < std::min(img.w, x1); ++x) {
            const unsigned char* p = img.at(x, y);
            if (std::abs(p[0] - r) <= 24 && std::abs(p[1] - g) <= 24 && std::abs(p[2] - b) <= 24) ++count;
        }
    }
    return count;
}

// The share of pixels in [x0,x1)x[y0,y1) (clipped; all of it when x1 is 0) that differ.
double bad_fraction(const Image& a, const Image& b, int x0 = 0, int y0 = 0, int x1 = 0, int y1 = 0) {
    if (a.w != b.w || a.h != b.h) return 1.0;
    if (x1 == 0) x1 = a.w, y1 = a.h;
    x0 = std::max(0, x0), y0 = std::max(0, y0), x1 = std::min(a.w, x1), y1 = std::min(a.h, y1);
    if (x1 <= x0 || y1 <= y0) return 1.0;
    size_t bad = 0;
    for (int y = y0; y < y1; ++y) {
        for (int x = x0; x < x1; ++x) {
            size_t i = (size_t(y) * size_t(a.w) + size_t(x)) * 3;
            for (size_t c = 0; c < 3; ++c) {
                if (std::abs(int(a.rgb[i + c]) - int(b.rgb[i + c])) > 48) { ++bad; break; }
            }
        }
    }
    return double(bad) / (double(x1 - x0) * double(y1 - y0));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s IMAGE [checks...]\n", argv[0]);
        return 2;
    }
    Image img;
    if (!load(argv[1], img)) {
        std::fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    int failures = 0;
    std::vector<std::string> args(argv + 2, argv + argc);
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto num = [&](size_t k) { return std::atoi(args.at(i + k).c_str()); };
        if (a == "--size") {
            if (img.w != num(1) || img.h != num(2)) {
                std::fprintf(stderr, "size %dx%d, expected %dx%d\n", img.w, img.h, num(1), num(2));
                ++failures;
            }
            i += 2;
        } else if (a == "--color" || a == "--no-color") {
            unsigned color = unsigned(std::strtoul(args.at(i + 5).c_str(), nullptr, 16));
            int found = count_color(img, num(1), num(2), num(3), num(4), color);
            int want = a == "--color" ? num(6) : 0;
            bool ok = a == "--color" ? found >= want : found == 0;
            std::fprintf(stderr, "%s %s in (%d,%d)-(%d,%d): %d pixels%s\n", a.c_str(), args[i + 5].c_str(), num(1), num(2),
                         num(3), num(4), found, ok ? "" : "  <-- FAIL");
            failures += ok ? 0 : 1;
            i += a == "--color" ? 6 : 5;
        } else if (a == "--golden") {
            std::string golden = args.at(i + 1);
            double max_bad = std::atof(args.at(i + 2).c_str());
            const char* update = std::getenv("NETSTEP_UPDATE_GOLDEN");
            if (update && std::string(update) == "1") {
                std::filesystem::copy_file(argv[1], golden, std::filesystem::copy_options::overwrite_existing);
                std::fprintf(stderr, "golden written: %s\n", golden.c_str());
            } else {
                Image g;
                if (!load(golden, g)) {
                    std::fprintf(stderr, "no golden %s (run with NETSTEP_UPDATE_GOLDEN=1 to write it)\n", golden.c_str());
                    ++failures;
                } else {
                    double bad = bad_fraction(img, g);
                    bool ok = bad <= max_bad;
                    std::fprintf(stderr, "golden %s: %.4f%% pixels differ (max %.4f%%)%s\n", golden.c_str(), bad * 100,
                                 max_bad * 100, ok ? "" : "  <-- FAIL");
                    failures += ok ? 0 : 1;
                }
            }
            i += 2;
        } else if (a == "--same-as") {  // another screenshot of the same step (the browser's, the desktop's)
            Image other;
            if (!load(args.at(i + 1), other)) {
                std::fprintf(stderr, "cannot read %s\n", args[i + 1].c_str());
                ++failures;
            } else {
                double max_bad = std::atof(args.at(i + 6).c_str());
                double bad = bad_fraction(img, other, num(2), num(3), num(4), num(5));
                bool ok = bad <= max_bad;
                std::fprintf(stderr, "same as %s in (%d,%d)-(%d,%d): %.4f%% pixels differ (max %.4f%%)%s\n", args[i + 1].c_str(),
                             num(2), num(3), num(4), num(5), bad * 100, max_bad * 100, ok ? "" : "  <-- FAIL");
                failures += ok ? 0 : 1;
            }
            i += 6;
        } else {
            std::fprintf(stderr, "unknown check %s\n", a.c_str());
            return 2;
        }
    }
    return failures == 0 ? 0 : 1;
}
