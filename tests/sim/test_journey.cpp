// A datagram's journey across routers (sim/journey.hpp) on real runs of the lessons: the routed
// SYN of link-router-mac and ip-router crosses two links, in a new Ethernet frame on each (IEEE
// 802.3: the sender's MAC as the source, the next hop's as the destination) with the same IP
// addresses and the TTL one lower (RFC 791 §3.2).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "sim/journey.hpp"
#include "test_engine_support.hpp"

namespace netstep::sim {
namespace {

using test::host_named;

std::string scenario_text(const std::string& name) {
    std::ifstream in(std::string(NETSTEP_SOURCE_DIR) + "/scenarios/" + name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// A lesson, with `replace` swapped for `with` in its text (a fault, an option), run once.
Trace run_lesson(const std::string& name, const std::string& replace = "", const std::string& with = "") {
    std::string text = scenario_text(name);
    REQUIRE_FALSE(text.empty());
    if (!replace.empty()) {
        size_t at = text.find(replace);
        REQUIRE(at != std::string::npos);
        text.replace(at, replace.size(), with);
    }
    Trace t = run_scenario(load_scenario_text(text, name));
    REQUIRE(t.failures.empty());
    return t;
}

// The n-th packet (from 1) `from` sent carrying a TCP segment with exactly `flags`.
uint32_t tcp_packet(const Trace& t, const std::string& from, uint8_t flags, int nth = 1) {
    for (uint32_t i = 0; i < t.packets.size(); ++i) {
        if (t.packets[i].from_host != host_named(t, from)) continue;
        auto parsed = wire::parse(t.ip_bytes(t.packets[i]));
        if (parsed.ok() && parsed.packet->tcp() && parsed.packet->tcp()->flags == flags && --nth == 0) return i;
    }
    return kNone;
}

MacAddress mac_of(const Trace& t, const std::string& host, size_t interface = 0) {
    return *t.hosts[host_named(t, host)].interfaces[interface].mac;
}

const Ipv4Address kLaptop = *Ipv4Address::parse("192.168.1.10");
const Ipv4Address kServer = *Ipv4Address::parse("10.0.0.80");

}  // namespace

TEST_CASE("journey: the routed SYN of link-router-mac, two hops, a new frame on each, TTL 64 then 63") {
    Trace t = run_lesson("link-router-mac.yaml");
    uint32_t syn = tcp_packet(t, "laptop", tcp_flag::SYN);
    uint32_t forwarded = tcp_packet(t, "router", tcp_flag::SYN);
    REQUIRE(syn != kNone);
    REQUIRE(forwarded != kNone);

    std::vector<JourneyHop> hops = journey(t, syn);
    REQUIRE(hops.size() == 2);
    CHECK(hops[0].packet == syn);
    CHECK(hops[1].packet == forwarded);
    // Hop 1, office: laptop -> router, 02:..:01:10 -> 02:..:01:01.
    CHECK(t.networks[hops[0].network].name == "office");
    CHECK(hops[0].from_host == host_named(t, "laptop"));
    CHECK(hops[0].to_host == host_named(t, "router"));
    CHECK(hops[0].eth_src == mac_of(t, "laptop"));
    CHECK(hops[0].eth_dst == mac_of(t, "router", 0));
    // Hop 2, servers: router -> server, from the router's other interface, 02:..:02:01 -> 02:..:02:80.
    CHECK(t.networks[hops[1].network].name == "servers");
    CHECK(hops[1].from_host == host_named(t, "router"));
    CHECK(hops[1].to_host == host_named(t, "server"));
    CHECK(hops[1].eth_src == mac_of(t, "router", 1));
    CHECK(hops[1].eth_dst == mac_of(t, "server"));
    // What changes and what does not.
    CHECK(hops[0].eth_src != hops[1].eth_src);
    CHECK(hops[0].eth_dst != hops[1].eth_dst);
    for (const JourneyHop& hop : hops) {
        CHECK(hop.ip_src == kLaptop);
        CHECK(hop.ip_dst == kServer);
        CHECK(hop.ip_id == hops[0].ip_id);
        CHECK(hop.protocol == 6);
        CHECK_FALSE(hop.dropped);
        CHECK_FALSE(hop.arp);
    }
    CHECK(hops[0].ttl == 64);
    CHECK(hops[1].ttl == 63);
    // The same journey from either hop.
    CHECK(journey(t, forwarded) == hops);
    // The SYN+ACK goes back the same way, its own datagram: server -> router -> laptop.
    uint32_t syn_ack = tcp_packet(t, "server", tcp_flag::SYN | tcp_flag::ACK);
    std::vector<JourneyHop> back = journey(t, syn_ack);
    REQUIRE(back.size() == 2);
    CHECK(back[0].from_host == host_named(t, "server"));
    CHECK(back[1].to_host == host_named(t, "laptop"));
    CHECK(back[1].ip_src == kServer);
    CHECK(back[1].ttl == 63);
    // The router's ARP request: one frame, to the broadcast address.
    REQUIRE(t.arp(t.packets[syn + 1]).has_value());
    std::vector<JourneyHop> arp = journey(t, syn + 1);
    REQUIRE(arp.size() == 1);
    CHECK(arp[0].arp);
    CHECK(arp[0].eth_dst == MacAddress::broadcast());
    CHECK_FALSE(arp[0].ttl.has_value());
    CHECK(journey(t, uint32_t(t.packets.size())).empty());
}

TEST_CASE("journey: on one link, a packet is a journey of one hop (ip-router: the laptop and the printer)") {
    Trace t = run_lesson("ip-router.yaml");
    uint32_t to_printer = tcp_packet(t, "laptop", tcp_flag::SYN, 1);
    REQUIRE(to_printer != kNone);
    REQUIRE(t.packets[to_printer].to_host == host_named(t, "printer"));
    std::vector<JourneyHop> hops = journey(t, to_printer);
    REQUIRE(hops.size() == 1);
    CHECK(hops[0].packet == to_printer);
    CHECK(hops[0].ttl == 64);
    // The second connection goes through the router: two hops, as in link-router-mac.
    uint32_t to_server = tcp_packet(t, "laptop", tcp_flag::SYN, 2);
    REQUIRE(to_server != kNone);
    std::vector<JourneyHop> routed = journey(t, to_server);
    REQUIRE(routed.size() == 2);
    CHECK(routed[0].to_host == host_named(t, "router"));
    CHECK(routed[1].to_host == host_named(t, "server"));
    CHECK(routed[0].ttl == 64);
    CHECK(routed[1].ttl == 63);
    CHECK(routed[0].eth_dst != routed[1].eth_dst);
    CHECK(routed[1].ip_dst == kServer);
}

TEST_CASE("journey: a datagram dropped on its second hop ends at its drop, the retransmission is another datagram") {
    Trace t = run_lesson("link-router-mac.yaml", "programs:",
                         "faults:\n  - drop: { from: router, flags: SYN, nth: 1 }\n\nprograms:");
    uint32_t syn = tcp_packet(t, "laptop", tcp_flag::SYN, 1);
    std::vector<JourneyHop> hops = journey(t, syn);
    REQUIRE(hops.size() == 2);
    CHECK_FALSE(hops[0].dropped);
    CHECK(hops[1].dropped);
    CHECK(t.packets[hops[1].packet].dropped);
    CHECK(hops[1].ttl == 63);
    // The laptop sends the SYN again (a new datagram, a new identification): its own journey.
    uint32_t again = tcp_packet(t, "laptop", tcp_flag::SYN, 2);
    REQUIRE(again != kNone);
    std::vector<JourneyHop> retry = journey(t, again);
    REQUIRE(retry.size() == 2);
    CHECK(retry[0].ip_id != hops[0].ip_id);
    CHECK(retry[1].packet != hops[1].packet);
    CHECK_FALSE(retry[1].dropped);
}

TEST_CASE("journey: with link: none there is no Ethernet header, the IP columns only") {
    Trace t = run_lesson("link-router-mac.yaml", "options: { isn: zero }", "options: { isn: zero, link: none }");
    REQUIRE_FALSE(t.ethernet);
    uint32_t syn = tcp_packet(t, "laptop", tcp_flag::SYN);
    std::vector<JourneyHop> hops = journey(t, syn);
    REQUIRE(hops.size() == 2);
    for (const JourneyHop& hop : hops) {
        CHECK_FALSE(hop.eth_src.has_value());
        CHECK_FALSE(hop.eth_dst.has_value());
        CHECK(hop.ip_src == kLaptop);
        CHECK(hop.ip_dst == kServer);
    }
    CHECK(hops[0].ttl == 64);
    CHECK(hops[1].ttl == 63);
}

}  // namespace netstep::sim
