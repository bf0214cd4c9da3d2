// The printed ladder and topology as pure layouts (viz/export/): one arrow per packet hop of the
// viewer's model, labels apart, page cuts, bad ranges refused.
#include <doctest/doctest.h>

#include <stdexcept>

#include "viz/export/export.hpp"
#include "viz/ladder_model.hpp"
#include "viz/loader.hpp"

using namespace netstep;
using namespace netstep::viz;
using namespace netstep::viz::exporting;

TEST_CASE("export: the printed ladder has the viewer's arrows and labels, labels apart") {
    sim::Trace trace = demo_trace();
    TraceView view(trace);
    LadderLayout L = layout_ladder(view, {}, estimate_measure());
    CHECK(L.arrows.size() == ladder_model(view).arrows.size());
    REQUIRE(!L.arrows.empty());
    CHECK(L.arrows[0].label == "SYN seq=0");
    CHECK(L.pages.size() == 1);
    for (size_t i = 0; i < L.arrows.size(); ++i) {
        if (!L.arrows[i].label_box) continue;
        CHECK(L.arrows[i].label_box->x0 >= L.left);
        for (size_t j = i + 1; j < L.arrows.size(); ++j)
            if (L.arrows[j].label_box) CHECK_FALSE(L.arrows[i].label_box->overlaps(*L.arrows[j].label_box));
    }
    // Short pages: several, in order, covering the drawing.
    LadderLayout paged = layout_ladder(view, {.page_height = 80}, estimate_measure());
    CHECK(paged.pages.size() > 1);
    CHECK(paged.pages.front().y0 == 0);
    CHECK(paged.pages.back().y1 == paged.height);
    // Every page shows something: an arrow or a caption starts on it (no page of padding only).
    for (const LadderPage& pg : paged.pages) {
        bool any = false;
        for (const LadderArrowShape& a : paged.arrows) any = any || (a.from.y >= pg.y0 && a.from.y < pg.y1);
        for (const LadderCaption& c : paged.captions) any = any || (c.box.y0 >= pg.y0 && c.box.y0 < pg.y1);
        CHECK(any);
    }
    // A first page of its own size (a handout's page 1, under the topology).
    LadderLayout first = layout_ladder(view, {.page_height = 200, .first_page_height = 60}, estimate_measure());
    REQUIRE(first.pages.size() > 1);
    CHECK(first.pages[0].y1 - first.pages[0].y0 <= 60);
    CHECK(first.pages[1].y1 - first.pages[1].y0 > 60);
}

TEST_CASE("export: a bad step range is refused, naming the problem") {
    sim::Trace trace = demo_trace();
    TraceView view(trace);
    CHECK_THROWS_AS(layout_ladder(view, {.from = 5, .to = 2}, estimate_measure()), std::invalid_argument);
    CHECK_THROWS_AS(layout_ladder(view, {.to = 1000000}, estimate_measure()), std::invalid_argument);
    CHECK(format_of("a.PDF") == Format::Pdf);
    CHECK(format_of("a.txt") == std::nullopt);
}

TEST_CASE("export: the topology has a box per host and a bar per network") {
    sim::Trace trace = demo_trace();
    TopologyLayout T = layout_topology(trace, 500, 9, strings_for(Language::En), estimate_measure());
    CHECK(T.nodes.size() == trace.hosts.size());
    CHECK(T.bars.size() == trace.networks.size());
    for (size_t i = 0; i < T.nodes.size(); ++i)
        for (size_t j = i + 1; j < T.nodes.size(); ++j) CHECK_FALSE(T.nodes[i].box.overlaps(T.nodes[j].box));
}

namespace {

// No box overlaps another, and no link's segment passes through a box other than its own host's.
void check_apart(const TopologyLayout& T) {
    for (size_t i = 0; i < T.nodes.size(); ++i)
        for (size_t j = i + 1; j < T.nodes.size(); ++j) CHECK_FALSE(T.nodes[i].box.overlaps(T.nodes[j].box));
    for (const TopoLink& l : T.links) {
        REQUIRE(l.points.size() >= 2);
        for (size_t k = 0; k + 1 < l.points.size(); ++k) {
            Point a = l.points[k], b = l.points[k + 1];
            Rect seg{std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.x, b.x), std::max(a.y, b.y)};
            size_t through = 0;  // boxes the segment enters (its own host's box: touched at its edge)
            for (const TopoNode& n : T.nodes)
                if (seg.x1 > n.box.x0 && seg.x0 < n.box.x1 && seg.y1 > n.box.y0 && seg.y0 < n.box.y1) ++through;
            CHECK(through == 0);
        }
    }
}

sim::Trace lan_of(size_t hosts) {
    sim::Trace t;
    sim::TraceNetwork lab;
    lab.name = "lab";
    lab.subnet = *Ipv4Prefix::parse("10.0.0.0/24");
    lab.switched = true;
    t.networks.push_back(lab);
    for (size_t i = 0; i < hosts; ++i) {
        sim::TraceHost h;
        h.name = "pc" + std::to_string(i + 1);
        InterfaceConfig itf;
        itf.network = "lab";
        itf.address = *Ipv4Prefix::parse("10.0.0." + std::to_string(i + 10) + "/24");
        h.interfaces.push_back(itf);
        t.hosts.push_back(h);
    }
    return t;
}

}  // namespace

TEST_CASE("export: a crowded network's hosts in rows on both sides, links in lanes, none through a box") {
    Strings text = strings_for(Language::En);
    // Three hosts: one row above the bar, straight links.
    TopologyLayout small = layout_topology(lan_of(3), 500, 9, text, estimate_measure());
    check_apart(small);
    for (const TopoLink& l : small.links) CHECK(l.points.size() == 2);
    for (const TopoNode& n : small.nodes) CHECK(n.box.y1 < small.bars[0].y);
    // Fifty (scenarios/scale-busy-server.yaml): half above, half below, rows behind rows.
    TopologyLayout big = layout_topology(lan_of(50), 500, 9, text, estimate_measure());
    check_apart(big);
    size_t above = 0, lanes = 0;
    for (const TopoNode& n : big.nodes) above += n.box.y1 < big.bars[0].y;
    for (const TopoLink& l : big.links) lanes += l.points.size() == 4;
    CHECK(above == 25);
    CHECK(lanes > 0);
    // Every link ends on the bar.
    for (const TopoLink& l : big.links) CHECK(l.points.back().y == doctest::Approx(big.bars[0].y));
}

TEST_CASE("export: with two lifelines the captions are notes beside the arrows, never over them") {
    sim::Trace trace = demo_trace();
    TraceView view(trace);
    // The demo's browser and web server: the steps up to its third caption (two lifelines).
    uint32_t to = 0, seen = 0;
    for (uint32_t s = 0; s < trace.events.size() && seen < 3; ++s)
        if (trace.events[s].kind == sim::EventKind::Caption) to = s, ++seen;
    LadderLayout L = layout_ladder(view, {.to = to}, estimate_measure());
    REQUIRE(L.columns.size() == 2);
    REQUIRE(L.captions.size() == 3);
    CHECK(L.notes_x < L.width);
    double prev = -1e9;
    for (const LadderCaption& c : L.captions) {
        CHECK(c.box.x0 == doctest::Approx(L.notes_x));
        CHECK(c.box.y0 >= prev);  // in order, apart
        CHECK(c.anchor_y >= c.box.y0);
        CHECK(c.anchor_y <= c.box.y1);
        prev = c.box.y1;
        for (const LadderArrowShape& a : L.arrows) {
            CHECK(std::max(a.from.x, a.to.x) < c.box.x0);
            if (a.label_box) CHECK_FALSE(a.label_box->overlaps(c.box));
        }
    }
}
