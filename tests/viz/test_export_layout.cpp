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
