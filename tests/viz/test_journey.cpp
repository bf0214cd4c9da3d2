// One packet's journey on screen (issue 16), on link-router-mac's run: the laptop's SYN crosses the
// office network to the router, and the router sends the same IP datagram on in a new Ethernet
// frame (its own MAC on the servers network as the source, the server's as the destination) with
// the TTL one lower. The inspector shows the two hops side by side, the ladder lights the other
// hop of the selected one. Each view is checked on what it drew, not on pixels.
#include <doctest/doctest.h>
#include <imgui.h>

#include <algorithm>
#include <string>
#include <variant>

#include "sim/journey.hpp"
#include "tests/viz/headless.hpp"
#include "tests/viz/panel_run.hpp"
#include "viz/panels.hpp"
#include "viz/session.hpp"

#ifdef NETSTEP_EXE
using namespace netstep;
using namespace netstep::viz;

namespace {

// The routed SYN: the laptop's first TCP packet (hop 1), and the router's (hop 2).
struct RoutedSyn : test::PanelRun {
    RoutedSyn() : PanelRun("link-router-mac.yaml") {
        for (uint32_t i = 0; i < trace().packets.size(); ++i) {
            const PacketInfo& info = view().packet(i);
            if (info.kind != PacketKind::Syn) continue;
            if (trace().packets[i].from_host == host("laptop") && first == kNone) first = i;
            if (trace().packets[i].from_host == host("router") && second == kNone) second = i;
        }
    }
    uint32_t first = kNone, second = kNone;
};

}  // namespace

TEST_CASE("journey: the inspector shows the routed SYN's two hops, the MACs and the TTL lit, the IPs not") {
    RoutedSyn run;
    REQUIRE(run.session.view);
    REQUIRE(run.first != kNone);
    REQUIRE(run.second != kNone);
    InspectorPanel inspector;
    auto draw = [&](const ViewModel& vm, Commands& out) { inspector.draw(vm, out); };
    run.selection.packet = run.first;
    run.at(run.trace().packets[run.first].sent_step, ImVec2(640, 700), draw);
    REQUIRE(inspector.cached_packet == run.first);
    REQUIRE(inspector.journey_rows.size() == 2);
    const auto& hop1 = inspector.journey_rows[0];
    const auto& hop2 = inspector.journey_rows[1];
    CHECK(hop1.packet == run.first);
    CHECK(hop2.packet == run.second);
    CHECK(hop1.selected);
    CHECK_FALSE(hop2.selected);
    CHECK(hop1.link == "office");
    CHECK(hop2.link == "servers");
    CHECK(hop1.hosts == "laptop → router");
    CHECK(hop2.hosts == "router → server");
    // IEEE 802.3: a new frame per hop, from the sending interface's MAC to the next hop's.
    CHECK(hop1.ethernet == "02:00:00:00:01:10 → 02:00:00:00:01:01");
    CHECK(hop2.ethernet == "02:00:00:00:02:01 → 02:00:00:00:02:80");
    // RFC 791: the addresses stay, the TTL goes down by one at the router.
    CHECK(hop1.ip == "192.168.1.10 → 10.0.0.80");
    CHECK(hop2.ip == hop1.ip);
    CHECK(hop1.ttl == "64");
    CHECK(hop2.ttl == "63");
    CHECK(inspector.journey_changes.ethernet);
    CHECK(inspector.journey_changes.ttl);
    CHECK_FALSE(inspector.journey_changes.ip);
    // The rows are on screen, one under the other.
    CHECK(hop1.max.y <= hop2.min.y + 1.0f);
    CHECK(hop2.max.x > hop2.min.x);

    // A click on hop 2 selects its packet (in every panel: the app's selection, the player on it).
    ImVec2 at((hop2.min.x + hop2.max.x) * 0.5f, (hop2.min.y + hop2.max.y) * 0.5f);
    Commands asked;
    for (const test::Input& input : test::click_frames(at, 0)) {
        Commands out = run.frame(ImVec2(640, 700), input, draw);
        asked.insert(asked.end(), out.begin(), out.end());
    }
    auto select = std::find_if(asked.begin(), asked.end(), [](const Command& c) { return std::holds_alternative<cmd::SelectPacket>(c); });
    REQUIRE(select != asked.end());
    CHECK(std::get<cmd::SelectPacket>(*select).packet == run.second);
    CHECK(std::get<cmd::SelectPacket>(*select).go_to_sent);

    // Hop 2 selected: the same table, its row lit.
    run.selection.packet = run.second;
    run.at(run.trace().packets[run.second].sent_step, ImVec2(640, 700), draw);
    REQUIRE(inspector.journey_rows.size() == 2);
    CHECK_FALSE(inspector.journey_rows[0].selected);
    CHECK(inspector.journey_rows[1].selected);

    // A narrow panel: the table shares its width (texts cut with "…"), never wider than the panel.
    run.at(run.trace().packets[run.second].sent_step, ImVec2(360, 700), draw);
    REQUIRE(inspector.journey_rows.size() == 2);
    for (const auto& row : inspector.journey_rows) CHECK(row.max.x <= 360.0f);

    // An ARP frame crosses one link: no journey table.
    run.selection.packet = 0;
    run.at(run.trace().packets[0].sent_step, ImVec2(640, 700), draw);
    REQUIRE(run.view().packet(0).arp.has_value());
    CHECK(inspector.journey_rows.empty());
}

TEST_CASE("journey: the ladder lights the other hop of the selected datagram, lighter than the selected one") {
    RoutedSyn run;
    REQUIRE(run.session.view);
    LadderPanel ladder;
    auto draw = [&](const ViewModel& vm, Commands& out) { ladder.draw(vm, out); };
    auto lines_of = [&](uint32_t packet) {
        std::vector<LadderPanel::Line> found;
        for (const LadderPanel::Line& line : ladder.lines)
            if (line.packet == packet) found.push_back(line);
        return found;
    };
    uint32_t arrived = run.trace().packets[run.second].end_step;  // both hops drawn
    run.selection.packet = run.first;
    run.at(arrived, ImVec2(1280, 600), draw);
    CHECK(ladder.journey.packets == std::vector<uint32_t>{run.first, run.second});
    REQUIRE(lines_of(run.second).size() == 1);
    CHECK(lines_of(run.second)[0].other_hop);
    REQUIRE(lines_of(run.first).size() == 1);
    CHECK_FALSE(lines_of(run.first)[0].other_hop);  // the selected one: its own highlight
    // Hop 2 arrives where hop 1 was received: the router's lifeline.
    CHECK(lines_of(run.first)[0].to == lines_of(run.second)[0].from);
    for (const LadderPanel::Line& line : ladder.lines)
        if (line.packet != run.second) CHECK_FALSE(line.other_hop);

    // From hop 2, hop 1 is lit.
    run.selection.packet = run.second;
    run.at(arrived, ImVec2(1280, 600), draw);
    CHECK(lines_of(run.first)[0].other_hop);
    CHECK_FALSE(lines_of(run.second)[0].other_hop);

    // Nothing selected, or a packet of one hop: nothing lit.
    run.selection.packet = kNone;
    run.at(arrived, ImVec2(1280, 600), draw);
    CHECK(ladder.journey.packets.empty());
    CHECK(std::none_of(ladder.lines.begin(), ladder.lines.end(), [](const auto& l) { return l.other_hop; }));
    run.selection.packet = 0;  // the laptop's ARP request
    run.at(arrived, ImVec2(1280, 600), draw);
    CHECK(std::none_of(ladder.lines.begin(), ladder.lines.end(), [](const auto& l) { return l.other_hop; }));
}

TEST_CASE("journey: the section and the presenter's key 5 are named in every language") {
    for (Language lang : {Language::En, Language::Fr, Language::It}) {
        Strings s = strings_for(lang);
        CAPTURE(language_code(lang));
        for (const char* text : {s.journey, s.journey_lit, s.journey_help, s.hop_col, s.lost_here}) CHECK(std::string(text) != "?");
        // Key 5 brings up the tabs: the hosts, the packet, the log, the MAC table and the graph.
        CHECK(std::string(s.big_details).find("MAC") != std::string::npos);
        CHECK(std::string(s.big_details).find(s.time_sequence + 1) != std::string::npos);  // "raph", "rafico"
    }
    CHECK(std::string(strings_for(Language::En).journey) == "Journey of this packet");
    CHECK(std::string(strings_for(Language::Fr).big_details) == "Hôtes, paquet, journal, table MAC, graphe");
}
#endif
