// The link layer on screen (issue 16), on ip-router's run: the laptop asks who has the printer's
// address (RFC 826: a broadcast on the office LAN, reaching oldpc, the printer and the router),
// the printer answers. Each view is checked on what it drew, not on pixels.
#include <doctest/doctest.h>
#include <imgui.h>

#include <algorithm>
#include <set>
#include <string>

#include "tests/viz/headless.hpp"
#include "tests/viz/panel_run.hpp"
#include "viz/panels.hpp"
#include "viz/session.hpp"
#include "viz/whatif.hpp"

#ifdef NETSTEP_EXE
using namespace netstep;
using namespace netstep::viz;

namespace {

struct RouterRun : test::PanelRun {
    RouterRun() : PanelRun("ip-router.yaml") {}
};

}  // namespace

TEST_CASE("link layer: ARP frames decoded, a broadcast reaches every other host of its network") {
    RouterRun run;
    REQUIRE(run.session.view);
    const sim::Trace& t = run.trace();
    REQUIRE(t.ethernet);
    const PacketInfo& request = run.view().packet(0);
    REQUIRE(request.arp.has_value());
    CHECK(request.kind == PacketKind::Arp);
    CHECK_FALSE(request.ok);  // no IPv4 in it
    CHECK(request.label == "ARP who-has 192.168.1.30?");
    CHECK(t.packets[0].flooded);
    CHECK(run.view().addressee(0) == run.host("printer"));
    // oldpc, the printer and the router: each with its own PacketDelivered step.
    std::vector<Reception> reached = run.view().receptions(0);
    REQUIRE(reached.size() == 3);
    std::set<uint32_t> hosts;
    for (const Reception& r : reached) {
        hosts.insert(r.host);
        CHECK(r.taken);
        REQUIRE(r.step < t.events.size());
        CHECK(t.events[r.step].kind == sim::EventKind::PacketDelivered);
        CHECK(t.events[r.step].host == r.host);
        CHECK(t.events[r.step].packet == 0);
    }
    CHECK(hosts == std::set<uint32_t>{run.host("oldpc"), run.host("printer"), run.host("router")});

    const PacketInfo& reply = run.view().packet(1);
    REQUIRE(reply.arp.has_value());
    MacAddress printer_mac = *t.hosts[run.host("printer")].interfaces[0].mac;
    CHECK(reply.label == "ARP 192.168.1.30 is-at " + printer_mac.to_string());
    CHECK_FALSE(t.packets[1].flooded);
    REQUIRE(run.view().receptions(1).size() == 1);
    CHECK(run.view().receptions(1)[0].host == run.host("laptop"));
    // The IPv4 packets inside the frames are read as before: the SYN follows.
    CHECK(run.view().packet(2).ok);
    CHECK(run.view().packet(2).label.rfind("SYN", 0) == 0);
    // The event log names ARP as the trace index does.
    CHECK(run.view().describe(t.packets[0].sent_step).find("ARP who-has 192.168.1.30 (printer)") != std::string::npos);
}

TEST_CASE("link layer: the inspector shows the Ethernet header first, then ARP's fields") {
    RouterRun run;
    InspectorPanel inspector;
    run.at(run.trace().packets[1].sent_step, ImVec2(900, 700), [&](const ViewModel& vm, Commands& out) { inspector.draw(vm, out); });
    REQUIRE(inspector.cached_packet == 1);
    REQUIRE(inspector.fields.size() > 3);
    CHECK(inspector.fields[0].layer == "Ethernet");
    CHECK(inspector.fields[0].name == "Destination");
    CHECK(inspector.fields[0].offset == 0);
    CHECK(inspector.fields[0].value == run.trace().hosts[run.host("laptop")].interfaces[0].mac->to_string());
    CHECK(inspector.fields[1].value == run.trace().hosts[run.host("printer")].interfaces[0].mac->to_string());
    auto arp = std::find_if(inspector.fields.begin(), inspector.fields.end(), [](const auto& f) { return f.layer == "ARP"; });
    REQUIRE(arp != inspector.fields.end());
    CHECK(arp->offset == kEthernetHeaderSize);
    CHECK(std::any_of(inspector.fields.begin(), inspector.fields.end(),
                      [](const auto& f) { return f.name == "Opcode" && f.value == "2 (reply)"; }));
    // An IPv4 packet: Ethernet, then IPv4 at byte 14.
    run.at(run.trace().packets[2].sent_step, ImVec2(900, 700), [&](const ViewModel& vm, Commands& out) { inspector.draw(vm, out); });
    REQUIRE(inspector.cached_packet == 2);
    CHECK(inspector.fields[0].layer == "Ethernet");
    auto ip = std::find_if(inspector.fields.begin(), inspector.fields.end(), [](const auto& f) { return f.layer == "IPv4"; });
    REQUIRE(ip != inspector.fields.end());
    CHECK(ip->offset == kEthernetHeaderSize);
}

TEST_CASE("link layer: the ladder fans the broadcast out to every host it reached, one label") {
    RouterRun run;
    LadderPanel ladder;
    const sim::Trace& t = run.trace();
    uint32_t first_delivery = run.view().receptions(0)[0].step;
    run.at(first_delivery, ImVec2(1280, 500), [&](const ViewModel& vm, Commands& out) { ladder.draw(vm, out); });
    std::set<uint32_t> to;
    for (const LadderPanel::Line& line : ladder.lines) {
        if (line.packet != 0) continue;
        CHECK(ladder.cache.lifelines[size_t(line.from)].host == run.host("laptop"));
        to.insert(ladder.cache.lifelines[size_t(line.to)].host);
    }
    CHECK(to == std::set<uint32_t>{run.host("oldpc"), run.host("printer"), run.host("router")});
    CHECK(std::count_if(ladder.labels.begin(), ladder.labels.end(), [](const auto& b) { return b.id == 0; }) == 1);
    // The reply: one arrow, printer to laptop.
    run.at(t.packets[1].end_step, ImVec2(1280, 500), [&](const ViewModel& vm, Commands& out) { ladder.draw(vm, out); });
    int replies = 0;
    for (const LadderPanel::Line& line : ladder.lines) {
        if (line.packet != 1) continue;
        ++replies;
        CHECK(ladder.cache.lifelines[size_t(line.from)].host == run.host("printer"));
        CHECK(ladder.cache.lifelines[size_t(line.to)].host == run.host("laptop"));
    }
    CHECK(replies == 1);
}

TEST_CASE("link layer: the topology shows a broadcast on every host's link, a unicast on one") {
    RouterRun run;
    TopologyPanel topology;
    const sim::Trace& t = run.trace();
    auto markers_of = [&](uint32_t packet) {
        return std::count_if(topology.marker_rects.begin(), topology.marker_rects.end(), [&](const auto& m) { return m.id == packet; });
    };
    auto draw = [&](const ViewModel& vm, Commands& out) { topology.draw(vm, out); };
    run.at(t.packets[0].sent_step, ImVec2(900, 420), draw);
    CHECK(markers_of(0) == 3);  // toward oldpc, the printer and the router
    CHECK(std::count_if(topology.labels.begin(), topology.labels.end(), [](const auto& l) { return l.packet == 0; }) == 1);
    // Once oldpc has it, two copies are still on their way.
    run.at(run.view().receptions(0)[0].step, ImVec2(900, 420), draw);
    CHECK(markers_of(0) == 2);
    run.at(t.packets[1].sent_step, ImVec2(900, 420), draw);
    CHECK(markers_of(1) == 1);
}

TEST_CASE("link layer: what if the ARP request is dropped: the fault says proto: arp") {
    RouterRun run;
    std::string entry = fault_entry(run.view(), 0, Fault::Drop);
    CHECK(entry == "- drop: { from: laptop, to: printer, proto: arp, nth: 1 }");
    CHECK(fault_entry(run.view(), 1, Fault::Drop) == "- drop: { from: printer, to: laptop, proto: arp, nth: 1 }");
    // The SYN's selector is as before the link layer: ARP frames do not count toward its nth.
    CHECK(fault_entry(run.view(), 2, Fault::Drop) == "- drop: { from: laptop, to: printer, flags: SYN, nth: 1 }");
    REQUIRE(run.session.what_if(0, Fault::Drop));
    CHECK(run.session.error.empty());
    CHECK(run.trace().packets[0].dropped);
    CHECK(run.view().packet(0).arp.has_value());
}

TEST_CASE("link layer: the Hosts panel lists each interface's MAC address") {
    RouterRun run;
    HostsPanel hosts;
    // At the SYN: the laptop's connection is on screen, its host open.
    run.at(run.trace().packets[2].sent_step, ImVec2(700, 4000), [&](const ViewModel& vm, Commands& out) { hosts.draw(vm, out); });
    // The textbook profile writes them as Windows' ipconfig /all does.
    std::string laptop = run.trace().hosts[run.host("laptop")].interfaces[0].mac->to_windows_string();
    CHECK(std::find(hosts.macs.begin(), hosts.macs.end(), laptop) != hosts.macs.end());
    CHECK(laptop.find('-') == 2);
    CHECK(std::string(strings_for(Language::En).physical_address) == "Physical address");
    CHECK(std::string(strings_for(Language::Fr).physical_address) == "Adresse physique");
}
#endif
