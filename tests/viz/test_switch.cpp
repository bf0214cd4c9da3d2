// A switch on screen (issue 16), on link-switch's run: four hosts on one learning switch. The MAC
// table panel shows the switch's table at the step (the rows the `mac_table` step prints); the
// topology draws the switch as a box with a line per port, a flooded frame on every port's line,
// a learned unicast on one. Each view is checked on what it drew, not on pixels.
#include <doctest/doctest.h>
#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include "sim/mac_table.hpp"
#include "tests/viz/headless.hpp"
#include "tests/viz/panel_run.hpp"
#include "viz/panels.hpp"
#include "viz/session.hpp"

#ifdef NETSTEP_EXE
using namespace netstep;
using namespace netstep::viz;

namespace {

using Run = test::PanelRun;

bool overlaps(ImVec2 a0, ImVec2 a1, ImVec2 b0, ImVec2 b1) { return a0.x < b1.x && b0.x < a1.x && a0.y < b1.y && b0.y < a1.y; }

}  // namespace

TEST_CASE("switch: the MAC table panel shows the table of the step, the row learned at it lit") {
    Run run("link-switch.yaml");
    REQUIRE(run.session.view);
    REQUIRE_FALSE(run.trace().mac_seen.empty());  // carried by the JSON the viewer reads
    MacTablePanel panel;
    auto draw = [&](const ViewModel& vm, Commands& out) { panel.draw(vm, out); };
    std::vector<uint32_t> laptop_learned = run.steps_of(sim::EventKind::Note, "switch lan learned 02:00:00:00:00:10");
    std::vector<uint32_t> web_learned = run.steps_of(sim::EventKind::Note, "switch lan learned 02:00:00:00:00:20");
    REQUIRE(laptop_learned.size() == 2);  // at the first exchange, and again after ageing out
    REQUIRE(web_learned.size() == 2);

    // Before the first frame: a switch, an empty table.
    run.at(laptop_learned[0] - 1, ImVec2(700, 500), draw);
    CHECK(panel.switches == std::vector<uint32_t>{0});
    CHECK_FALSE(panel.no_switch_shown);
    CHECK(panel.rows.empty());

    // The laptop's ARP broadcast: its MAC learned on port 1, lit.
    run.at(laptop_learned[0], ImVec2(700, 500), draw);
    REQUIRE(panel.rows.size() == 1);
    CHECK(panel.rows[0].mac == "02:00:00:00:00:10");
    CHECK(panel.rows[0].port == "1");
    CHECK(panel.rows[0].host == "laptop");
    CHECK(panel.rows[0].lit);
    CHECK(panel.rows[0].age == "0 ms");

    // Web's reply: web on port 2, lit; the laptop's row no longer.
    run.at(web_learned[0], ImVec2(700, 500), draw);
    REQUIRE(panel.rows.size() == 2);
    CHECK(panel.rows[0].host == "laptop");
    CHECK_FALSE(panel.rows[0].lit);
    CHECK(panel.rows[1].mac == "02:00:00:00:00:20");
    CHECK(panel.rows[1].port == "2");
    CHECK(panel.rows[1].host == "web");
    CHECK(panel.rows[1].lit);

    // 400 s later, before the flooded SYN: both aged out (300 s).
    run.at(laptop_learned[1] - 1, ImVec2(700, 500), draw);
    CHECK(panel.rows.empty());
    // Learned again.
    run.at(web_learned[1], ImVec2(700, 500), draw);
    REQUIRE(panel.rows.size() == 2);
    CHECK(panel.rows[1].host == "web");
    CHECK(panel.rows[1].lit);

    // Stepping back shows that step's table again, not the last one drawn.
    run.at(laptop_learned[0], ImVec2(700, 500), draw);
    REQUIRE(panel.rows.size() == 1);
    CHECK(panel.rows[0].host == "laptop");
    CHECK(panel.rows[0].lit);
    run.at(0, ImVec2(700, 500), draw);
    CHECK(panel.rows.empty());
}

TEST_CASE("switch: the mac_table step prints what the panel shows (one function)") {
    Run run("link-switch.yaml");
    REQUIRE(run.session.view);
    std::vector<uint32_t> outputs = run.steps_of(sim::EventKind::Output, "          Mac Address Table");
    REQUIRE(outputs.size() == 3);
    std::vector<size_t> sizes;
    for (uint32_t step : outputs) {
        std::vector<sim::MacTableEntry> rows = sim::mac_table_at(run.trace(), 0, step);
        CHECK(run.trace().str(run.trace().events[step].text) == sim::mac_table_text(run.trace(), rows));
        sizes.push_back(rows.size());
    }
    CHECK(sizes == std::vector<size_t>{2, 0, 2});  // learned, aged out, learned again
}

TEST_CASE("switch: a run without a switch says so in one line") {
    Run run("ip-router.yaml");
    REQUIRE(run.session.view);
    MacTablePanel panel;
    run.at(5, ImVec2(700, 500), [&](const ViewModel& vm, Commands& out) { panel.draw(vm, out); });
    CHECK(panel.no_switch_shown);
    CHECK(panel.switches.empty());
    CHECK(panel.rows.empty());
    CHECK(run.trace().mac_seen.empty());
    CHECK(sim::mac_table_at(run.trace(), 0, 5).empty());  // a shared segment has no table
}

TEST_CASE("switch: the topology draws a switch, a line per port reaching its host, clear of the boxes") {
    Run run("link-switch.yaml");
    REQUIRE(run.session.view);
    for (ImVec2 size : {ImVec2(640, 300), ImVec2(900, 420), ImVec2(1280, 700)}) {
        CAPTURE(size.x);
        TopologyPanel topology;
        run.at(0, size, [&](const ViewModel& vm, Commands& out) { topology.draw(vm, out); });
        REQUIRE(topology.switch_rects.size() == 1);
        const auto& sw = topology.switch_rects[0];
        CHECK(sw.id == 0);
        REQUIRE(topology.host_rects.size() == 4);
        REQUIRE(topology.port_lines.size() == 4);
        std::set<uint32_t> numbers, hosts;
        for (const auto& line : topology.port_lines) {
            numbers.insert(line.number);
            hosts.insert(line.host);
            // Ports numbered in the order the hosts are listed: laptop 1, web 2, printer 3, nas 4.
            CHECK(line.number == line.host + 1);
            const auto& box = *std::find_if(topology.host_rects.begin(), topology.host_rects.end(),
                                            [&](const auto& b) { return b.host == line.host; });
            // From the middle of the host's box's edge facing the switch...
            CHECK(line.host_end.x == doctest::Approx((box.min.x + box.max.x) * 0.5f));
            CHECK((std::abs(line.host_end.y - box.max.y) < 1.0f || std::abs(line.host_end.y - box.min.y) < 1.0f));
            // ... to the switch's edge.
            CHECK(line.switch_end.x >= sw.min.x);
            CHECK(line.switch_end.x <= sw.max.x);
            CHECK((std::abs(line.switch_end.y - sw.min.y) < 1.0f || std::abs(line.switch_end.y - sw.max.y) < 1.0f));
            // The port's number beside its port, on no box.
            CHECK(std::abs(line.number_min.y - line.switch_end.y) < 40.0f);
            CHECK_FALSE(overlaps(line.number_min, line.number_max, sw.min, sw.max));
            for (const auto& other : topology.host_rects) CHECK_FALSE(overlaps(line.number_min, line.number_max, other.min, other.max));
        }
        CHECK(numbers == std::set<uint32_t>{1, 2, 3, 4});
        CHECK(hosts.size() == 4);
        for (const auto& box : topology.host_rects) {
            CHECK_FALSE(overlaps(box.min, box.max, sw.min, sw.max));
            CHECK(box.min.x >= 0);
            CHECK(box.max.x <= size.x);
        }
        for (const auto& a : topology.address_rects) {
            CHECK_FALSE(overlaps(a.min, a.max, sw.min, sw.max));
            for (const auto& box : topology.host_rects) CHECK_FALSE(overlaps(a.min, a.max, box.min, box.max));
        }
        // The network's name is in the switch's box, not beside a bar.
        REQUIRE(topology.network_rects.size() == 1);
        CHECK(topology.network_rects[0].min.x >= sw.min.x);
        CHECK(topology.network_rects[0].max.y <= sw.max.y);
    }
}

TEST_CASE("switch: two switches and a router in a short panel: boxes apart, every port line reaching its host") {
    std::string file = (std::filesystem::path(NETSTEP_TEST_SCENARIOS).parent_path() / "tests/viz/data/two-switches.yaml").string();
    Run run(file);
    REQUIRE(run.session.view);
    for (ImVec2 size : {ImVec2(640, 280), ImVec2(900, 420), ImVec2(1280, 700)}) {
        CAPTURE(size.x);
        TopologyPanel topology;
        run.at(0, size, [&](const ViewModel& vm, Commands& out) { topology.draw(vm, out); });
        REQUIRE(topology.switch_rects.size() == 2);
        REQUIRE(topology.port_lines.size() == 4);  // the laptop and the router on office, the router and the server on servers
        for (const auto& sw : topology.switch_rects) {
            for (const auto& box : topology.host_rects) CHECK_FALSE(overlaps(box.min, box.max, sw.min, sw.max));
            for (const auto& a : topology.address_rects) CHECK_FALSE(overlaps(a.min, a.max, sw.min, sw.max));
        }
        for (const auto& line : topology.port_lines) {
            const auto& sw = topology.switch_rects[line.network];
            CHECK(line.switch_end.x >= sw.min.x);
            CHECK(line.switch_end.x <= sw.max.x);
            CHECK(line.host_end.y != doctest::Approx(line.switch_end.y));  // a line, not a point
            for (const auto& box : topology.host_rects) CHECK_FALSE(overlaps(line.number_min, line.number_max, box.min, box.max));
            // Each port's number apart from the others'.
            for (const auto& other : topology.port_lines)
                if (&other != &line) CHECK_FALSE(overlaps(line.number_min, line.number_max, other.number_min, other.number_max));
        }
    }
}

TEST_CASE("switch: a flooded frame goes out of every port, a learned unicast out of one") {
    Run run("link-switch.yaml");
    REQUIRE(run.session.view);
    const sim::Trace& t = run.trace();
    TopologyPanel topology;
    auto draw = [&](const ViewModel& vm, Commands& out) { topology.draw(vm, out); };
    auto markers_of = [&](uint32_t packet) {
        return std::count_if(topology.marker_rects.begin(), topology.marker_rects.end(), [&](const auto& m) { return m.id == packet; });
    };
    // The packets: the ARP broadcast (0), the reply (1), the first SYN (2) ...
    REQUIRE(t.packets.size() > 3);
    CHECK(t.packets[0].flooded);
    run.at(t.packets[0].sent_step, ImVec2(900, 420), draw);
    CHECK(markers_of(0) == 3);  // web, the printer, the NAS
    run.at(t.packets[1].sent_step, ImVec2(900, 420), draw);
    CHECK(markers_of(1) == 1);  // the reply: to the laptop's port only
    run.at(t.packets[2].sent_step, ImVec2(900, 420), draw);
    CHECK_FALSE(t.packets[2].flooded);
    CHECK(markers_of(2) == 1);  // the SYN: web's port only
    // 400 s later the switch has forgotten web: the second SYN is flooded to every port.
    uint32_t second_syn = kNone;
    for (uint32_t i = 3; i < t.packets.size() && second_syn == kNone; ++i)
        if (t.packets[i].flooded && run.view().packet(i).kind == PacketKind::Syn) second_syn = i;
    REQUIRE(second_syn != kNone);
    CHECK(t.packets[second_syn].from_host == run.host("laptop"));
    run.at(t.packets[second_syn].sent_step, ImVec2(900, 420), draw);
    CHECK(markers_of(second_syn) == 3);
}
#endif
