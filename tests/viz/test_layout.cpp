// The layout: every panel on a large screen; presenter mode on a 1280x800 projector shows the big
// panel chosen with the keys 1-6 and a companion beside it, nothing overlapping.
#include <doctest/doctest.h>

#include <vector>

#include "viz/layout.hpp"

using namespace netstep::viz;

namespace {

std::vector<Rect> body_panels(const Layout& l) {
    std::vector<Rect> shown;
    for (const Rect* r : {&l.topology, &l.ladder, &l.states, &l.variables, &l.tabs, &l.terminal})
        if (r->shown()) shown.push_back(*r);
    return shown;
}

bool overlap(const Rect& a, const Rect& b) {
    return a.pos.x < b.pos.x + b.size.x && b.pos.x < a.pos.x + a.size.x && a.pos.y < b.pos.y + b.size.y &&
           b.pos.y < a.pos.y + a.size.y;
}

float area(const Rect& r) { return r.size.x * r.size.y; }

}  // namespace

TEST_CASE("layout: every panel in normal mode, and in presenter mode on a large screen") {
    Layout normal = compute_layout(ImVec2(1280, 800), kNormalSizes, false, BigPanel::Topology);
    CHECK_FALSE(normal.focused);
    CHECK(body_panels(normal).size() == 5);
    Layout big = compute_layout(ImVec2(1920, 1080), kPresenterSizes, true, BigPanel::Sequence);
    CHECK_FALSE(big.focused);
    CHECK(body_panels(big).size() == 4);  // the variables join the tabs
    CHECK_FALSE(big.variables.shown());
}

TEST_CASE("layout: presenter mode at 1280x800 shows the big panel and its companion only") {
    const BigPanel all[] = {BigPanel::Topology, BigPanel::Sequence, BigPanel::States, BigPanel::Variables, BigPanel::Details,
                            BigPanel::Terminal};
    for (BigPanel p : all) {
        CAPTURE(int(p));
        Layout l = compute_layout(ImVec2(1280, 800), kPresenterSizes, true, p);
        CHECK(l.focused);
        std::vector<Rect> shown = body_panels(l);
        REQUIRE(shown.size() == 2);
        CHECK_FALSE(overlap(shown[0], shown[1]));
        const Rect* rects[] = {&l.topology, &l.ladder, &l.states, &l.variables, &l.tabs, &l.terminal};
        const Rect& main = *rects[int(p)];
        const Rect& side = *rects[int(companion_of(p))];
        CHECK(main.shown());
        CHECK(side.shown());
        CHECK(area(main) > area(side));
        CHECK(main.pos.y >= l.controls.pos.y + l.controls.size.y);
        CHECK(main.size.x + side.size.x == doctest::Approx(1280));
    }
    CHECK(companion_of(BigPanel::Topology) == BigPanel::States);
    CHECK(companion_of(BigPanel::States) == BigPanel::Variables);
}

TEST_CASE("layout: the big panel by name or key (NETSTEP_VIZ_PANEL)") {
    CHECK(big_panel_from("2") == BigPanel::Sequence);
    CHECK(big_panel_from("Variables") == BigPanel::Variables);
    CHECK(big_panel_from("details") == BigPanel::Details);
    CHECK_FALSE(big_panel_from("").has_value());
    CHECK(big_panel_from("6") == BigPanel::Terminal);
    CHECK_FALSE(big_panel_from("7").has_value());
}
