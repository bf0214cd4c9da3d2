// Text cut with "…": never wider than its room, whole when it fits, cut between characters.
#include <doctest/doctest.h>
#include <imgui.h>

#include <string>

#include "tests/viz/headless.hpp"
#include "viz/text.hpp"

using namespace netstep::viz;

namespace {

float width(const ImFont* font, float size, const std::string& s) { return font->CalcTextSizeA(size, FLT_MAX, 0, s.c_str()).x; }

bool ends_with_ellipsis(const std::string& s) { return s.size() >= 3 && s.compare(s.size() - 3, 3, "…") == 0; }

}  // namespace

TEST_CASE("text_fit: never wider than the room: cut text ends in an ellipsis") {
    for (float size : {17.0f, 25.0f}) {
        test::HeadlessFonts imgui(size);
        const ImFont* font = imgui.fonts.bold;
        const std::string texts[] = {"laptop:54446", "scanner:50828 [peer server:20]", "(closed)",
                                     "Nothing listens on UDP port 9999 of the server. Its OS answers",
                                     "GET / HTTP/1.0\\r\\nHost: web\\r\\n\\r\\n", "é→œ à l'école — ça marche", "x"};
        for (const std::string& text : texts) {
            float whole = width(font, size, text);
            for (float room = 0; room <= whole + 20; room += 3) {
                CAPTURE(text);
                CAPTURE(room);
                std::string fit = text_fit(font, size, text, room);
                if (whole <= room) {
                    CHECK(fit == text);
                    continue;
                }
                CHECK(ends_with_ellipsis(fit));
                // within the room, except "…" alone when not even that fits
                if (fit != "…") CHECK(width(font, size, fit) <= room);
                CHECK(text.compare(0, fit.size() - 3, fit, 0, fit.size() - 3) == 0);  // a start of the text
                // cut between UTF-8 characters: the part kept is followed by a character's first byte
                size_t kept = fit.size() - 3;
                if (kept < text.size()) CHECK((static_cast<unsigned char>(text[kept]) & 0xC0) != 0x80);
            }
        }
    }
}

TEST_CASE("text_fit: the end kept when asked (a lifeline's port), within the room") {
    test::HeadlessFonts imgui(17.0f);
    const ImFont* font = imgui.fonts.bold;
    std::string name = "scanner:50829";
    std::string fit = text_fit(font, 17.0f, name, width(font, 17.0f, "scan…:50829") + 0.5f, 6);
    CHECK(fit == "scan…:50829");
    for (float room = 0; room < width(font, 17.0f, name); room += 2) {
        CAPTURE(room);
        std::string f = text_fit(font, 17.0f, name, room, 6);
        if (f != "…") CHECK(width(font, 17.0f, f) <= room);
    }
}

TEST_CASE("text_fit: the longest start that fits") {
    test::HeadlessFonts imgui(17.0f);
    const ImFont* font = imgui.fonts.body;
    std::string text = "a description that does not fit";
    float room = width(font, 17.0f, "a description th…");
    std::string fit = text_fit(font, 17.0f, text, room);
    CHECK(fit == "a description th…");
    CHECK(text_fit(font, 17.0f, "one two", width(font, 17.0f, "one t…") - 0.5f) == "one…");  // no space before "…"
}

// Drawn as an item: its rectangle stays within the width asked for.
TEST_CASE("TextEllipsis: the item drawn is no wider than its room") {
    test::HeadlessFonts imgui(17.0f);
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(300, 200));
    ImGui::Begin("text");
    for (float room : {40.0f, 90.0f, 150.0f}) {
        TextEllipsis("Fifty lab PCs (10.0.0.101 to 10.0.0.150) ask the same web server for a page", room);
        CHECK(ImGui::GetItemRectSize().x <= room);
    }
    TextEllipsis("a long line cut to the room left in the window, whatever the window's width");
    CHECK(ImGui::GetItemRectMax().x <= ImGui::GetWindowPos().x + 300);
    ImGui::End();
    ImGui::Render();
}
