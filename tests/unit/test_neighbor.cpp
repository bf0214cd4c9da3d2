// The neighbour cache alone: crafted ARP packets and jumps in time. Textbook: a plain cache
// with a lifetime; linux: INCOMPLETE, REACHABLE, STALE, DELAY, PROBE, FAILED with the kernel's
// times (net/core/neighbour.c neigh_timer_handler).
#include <doctest/doctest.h>

#include "model/neighbor.hpp"

using namespace netstep;

namespace {

Ipv4Address ip(const char* t) { return *Ipv4Address::parse(t); }
MacAddress mac(const char* t) { return *MacAddress::parse(t); }
Instant at_ms(int64_t ms) { return Instant::zero() + Duration::millis(ms); }
Instant at_s(int64_t s) { return Instant::zero() + Duration::seconds(s); }

const MacAddress kOwn = mac("02:00:00:00:00:0a");
const MacAddress kPeer = mac("02:00:00:00:00:14");
const Ipv4Address kOwnIp = ip("192.168.1.10");
const Ipv4Address kPeerIp = ip("192.168.1.20");

Ipv4Packet packet(uint16_t id) {
    Ipv4Packet p;
    p.src = kOwnIp;
    p.dst = kPeerIp;
    p.id = id;
    p.body = UdpDatagram{40000, 9999, Bytes{'x'}};
    return p;
}

ArpPacket reply_from_peer() { return ArpPacket::reply(kPeer, kPeerIp, kOwn, kOwnIp); }
ArpPacket request_from_peer() { return ArpPacket::request(kPeer, kPeerIp, kOwnIp); }

NeighbourState state(const NeighbourCache& c) { return c.row(kPeerIp)->state; }

using Solicits = std::vector<NeighbourOutput::Solicit>;
const NeighbourOutput::Solicit kBroadcast{kPeerIp, std::nullopt};
const NeighbourOutput::Solicit kUnicast{kPeerIp, kPeer};

}  // namespace

TEST_CASE("neighbour: names as ip neigh prints them") {
    CHECK(to_string(NeighbourState::Incomplete) == "INCOMPLETE");
    CHECK(to_string(NeighbourState::Reachable) == "REACHABLE");
    CHECK(to_string(NeighbourState::Stale) == "STALE");
    CHECK(to_string(NeighbourState::Delay) == "DELAY");
    CHECK(to_string(NeighbourState::Probe) == "PROBE");
    CHECK(to_string(NeighbourState::Failed) == "FAILED");
    CHECK(to_string(NeighbourState::Permanent) == "PERMANENT");
}

TEST_CASE("neighbour: textbook: queue, one broadcast request, the reply releases the packets") {
    NeighbourCache c(Profile::textbook().neighbour, 1);
    NeighbourOutput o;
    c.send(kPeerIp, packet(1), at_ms(0), o);
    CHECK(o.solicit == Solicits{kBroadcast});
    CHECK(o.ready.empty());
    CHECK(c.row(kPeerIp)->queued == 1);
    CHECK(c.poll_at() == at_s(1));
    o.clear();
    c.send(kPeerIp, packet(2), at_ms(10), o);  // still resolving: queued, no second request
    CHECK(o.solicit.empty());
    CHECK(c.row(kPeerIp)->queued == 2);

    c.on_arp(reply_from_peer(), true, true, at_ms(20), o);
    REQUIRE(o.ready.size() == 2);
    CHECK(o.ready[0].mac == kPeer);
    CHECK(o.ready[0].packet.id == 1);
    CHECK(o.ready[1].packet.id == 2);
    auto row = *c.row(kPeerIp);
    CHECK(row.state == NeighbourState::Reachable);
    CHECK(row.mac == kPeer);
    CHECK(row.deadline == at_ms(20) + Duration::seconds(1200));  // 20 minutes (Berkeley, Stevens)
    CHECK(row.queued == 0);

    o.clear();
    c.send(kPeerIp, packet(3), at_s(600), o);  // known: at once, no ARP
    CHECK(o.solicit.empty());
    REQUIRE(o.ready.size() == 1);
    // The lifetime does not move with use: the entry is deleted 20 minutes after it was learned.
    c.poll(at_ms(20) + Duration::seconds(1200), o);
    CHECK_FALSE(c.row(kPeerIp));
    CHECK_FALSE(c.poll_at());
}

TEST_CASE("neighbour: textbook: 3 requests 1 s apart, then failure gives the queue up") {
    NeighbourCache c(Profile::textbook().neighbour, 1);
    NeighbourOutput o;
    c.send(kPeerIp, packet(1), at_s(0), o);
    for (int64_t t = 1; t <= 2; ++t) {
        CHECK(c.poll_at() == at_s(t));
        c.poll(at_s(t), o);
    }
    CHECK(o.solicit == Solicits{kBroadcast, kBroadcast, kBroadcast});
    CHECK(state(c) == NeighbourState::Incomplete);
    CHECK(c.poll_at() == at_s(3));
    c.poll(at_s(3), o);
    CHECK(o.solicit.size() == 3);
    CHECK(state(c) == NeighbourState::Failed);
    REQUIRE(o.failed.size() == 1);
    CHECK(o.failed[0].id == 1);
    CHECK_FALSE(c.poll_at());
    // The next packet starts over.
    o.clear();
    c.send(kPeerIp, packet(2), at_s(10), o);
    CHECK(o.solicit == Solicits{kBroadcast});
    CHECK(state(c) == NeighbourState::Incomplete);
}

TEST_CASE("neighbour: the unresolved queue keeps the latest unres_qlen packets") {
    NeighbourParams params = Profile::textbook().neighbour;
    CHECK(params.unres_qlen == 3);
    CHECK(Profile::linux().neighbour.unres_qlen == 101);
    NeighbourCache c(params, 1);
    NeighbourOutput o;
    for (uint16_t id = 1; id <= 5; ++id) c.send(kPeerIp, packet(id), at_ms(id), o);
    CHECK(c.row(kPeerIp)->queued == 3);
    o.clear();
    c.on_arp(reply_from_peer(), true, true, at_ms(10), o);
    REQUIRE(o.ready.size() == 3);
    CHECK(o.ready[0].packet.id == 3);
    CHECK(o.ready[2].packet.id == 5);
}

TEST_CASE("neighbour: RFC 826 merge: a request for us adds the sender, one for another only updates") {
    NeighbourCache c(Profile::textbook().neighbour, 1);
    NeighbourOutput o;
    c.on_arp(ArpPacket::request(kPeer, kPeerIp, ip("192.168.1.30")), false, false, at_s(0), o);
    CHECK_FALSE(c.row(kPeerIp));  // not for us, not in the table: nothing
    c.on_arp(request_from_peer(), true, false, at_s(1), o);
    REQUIRE(c.row(kPeerIp));
    CHECK(c.row(kPeerIp)->mac == kPeer);
    CHECK(state(c) == NeighbourState::Reachable);
    // Already there: a request to someone else updates the MAC (the merge).
    MacAddress moved = mac("02:00:00:00:00:99");
    c.on_arp(ArpPacket::request(moved, kPeerIp, ip("192.168.1.30")), false, false, at_s(2), o);
    CHECK(c.row(kPeerIp)->mac == moved);
    CHECK(c.row(kPeerIp)->deadline == at_s(2) + Duration::seconds(1200));
}

TEST_CASE("neighbour: linux: reachable time drawn between 15 s and 45 s, per 300 s period, deterministic") {
    NeighbourCache c(Profile::linux().neighbour, 1234);
    NeighbourCache same(Profile::linux().neighbour, 1234);
    Duration first = c.reachable_time(at_s(0));
    CHECK(first >= Duration::seconds(15));
    CHECK(first < Duration::seconds(45));
    CHECK(c.reachable_time(at_s(299)) == first);
    CHECK(same.reachable_time(at_s(10)) == first);
    bool differs = false;
    for (int64_t k = 1; k < 10; ++k) {
        Duration d = c.reachable_time(at_s(300 * k));
        CHECK(d >= Duration::seconds(15));
        CHECK(d < Duration::seconds(45));
        differs = differs || d != first;
    }
    CHECK(differs);
}

TEST_CASE("neighbour: linux: REACHABLE -> STALE -> DELAY on use -> PROBE -> FAILED, with the kernel's times") {
    NeighbourCache c(Profile::linux().neighbour, 1234);
    NeighbourOutput o;
    c.send(kPeerIp, packet(1), at_ms(0), o);
    CHECK(o.solicit == Solicits{kBroadcast});
    CHECK(state(c) == NeighbourState::Incomplete);
    c.on_arp(reply_from_peer(), true, true, at_ms(2), o);
    REQUIRE(o.ready.size() == 1);
    CHECK(state(c) == NeighbourState::Reachable);
    Duration rt = c.reachable_time(at_ms(2));
    Instant stale_at = at_ms(2) + rt;
    CHECK(c.poll_at() == stale_at);

    // Not used for more than delay_first_probe_time: STALE at confirmed + reachable_time.
    c.poll(stale_at - Duration::nanos(1), o);
    CHECK(state(c) == NeighbourState::Reachable);
    c.poll(stale_at, o);
    CHECK(state(c) == NeighbourState::Stale);
    CHECK_FALSE(c.poll_at());  // STALE has no timer
    CHECK(c.row(kPeerIp)->mac == kPeer);

    // A packet through a STALE entry goes at once, and the entry waits 5 s in DELAY.
    o.clear();
    c.send(kPeerIp, packet(2), at_s(100), o);
    REQUIRE(o.ready.size() == 1);
    CHECK(o.ready[0].mac == kPeer);
    CHECK(o.solicit.empty());
    CHECK(state(c) == NeighbourState::Delay);
    CHECK(c.poll_at() == at_s(105));

    // No confirmation: PROBE, unicast requests to the known MAC 1 s apart, 3 of them.
    c.poll(at_s(105), o);
    CHECK(state(c) == NeighbourState::Probe);
    CHECK(o.solicit == Solicits{kUnicast});
    c.send(kPeerIp, packet(3), at_ms(105500), o);  // still usable while probing
    CHECK(o.ready.size() == 2);
    c.poll(at_s(106), o);
    c.poll(at_s(107), o);
    CHECK(o.solicit == Solicits{kUnicast, kUnicast, kUnicast});
    CHECK(state(c) == NeighbourState::Probe);
    CHECK(c.poll_at() == at_s(108));
    c.poll(at_s(108), o);
    CHECK(state(c) == NeighbourState::Failed);
    CHECK_FALSE(c.row(kPeerIp)->mac);
    CHECK(o.failed.empty());  // nothing was waiting

    // FAILED: the next packet resolves from scratch (broadcast).
    o.clear();
    c.send(kPeerIp, packet(4), at_s(200), o);
    CHECK(o.solicit == Solicits{kBroadcast});
    CHECK(state(c) == NeighbourState::Incomplete);
}

TEST_CASE("neighbour: linux: used in the last 5 s of its reachable time: DELAY, then a reply makes it REACHABLE") {
    NeighbourCache c(Profile::linux().neighbour, 99);
    NeighbourOutput o;
    c.send(kPeerIp, packet(1), at_ms(0), o);
    c.on_arp(reply_from_peer(), true, true, at_ms(0), o);
    Instant expiry = at_ms(0) + c.reachable_time(at_ms(0));
    c.send(kPeerIp, packet(2), expiry - Duration::seconds(2), o);
    CHECK(state(c) == NeighbourState::Reachable);
    c.poll(expiry, o);
    CHECK(state(c) == NeighbourState::Delay);
    CHECK(c.poll_at() == expiry + Duration::seconds(5));
    // The probe after DELAY gets its answer: REACHABLE again, a new reachable time.
    o.clear();
    c.poll(expiry + Duration::seconds(5), o);
    CHECK(o.solicit == Solicits{kUnicast});
    Instant answer = expiry + Duration::seconds(5) + Duration::millis(2);
    c.on_arp(reply_from_peer(), true, true, answer, o);
    CHECK(state(c) == NeighbourState::Reachable);
    CHECK(c.poll_at() == answer + c.reachable_time(answer));
}

TEST_CASE("neighbour: linux: a request from the neighbour makes a STALE entry, a broadcast reply asserts nothing") {
    NeighbourCache c(Profile::linux().neighbour, 5);
    NeighbourOutput o;
    c.on_arp(request_from_peer(), true, false, at_s(1), o);
    CHECK(state(c) == NeighbourState::Stale);
    CHECK(c.row(kPeerIp)->mac == kPeer);
    CHECK(o.notes == std::vector<std::string>{"ARP 192.168.1.20: new entry, STALE (ARP request from it)"});
    // Our SYN-ACK to it: DELAY, no ARP.
    c.send(kPeerIp, packet(1), at_s(2), o);
    CHECK(o.solicit.empty());
    CHECK(state(c) == NeighbourState::Delay);
    // A reply broadcast (not to our MAC) leaves a valid entry with the same MAC as it is.
    c.on_arp(reply_from_peer(), true, false, at_s(3), o);
    CHECK(state(c) == NeighbourState::Delay);
    // Resolving and a request from the neighbour arrives: STALE, the queue goes (DELAY).
    NeighbourCache r(Profile::linux().neighbour, 5);
    NeighbourOutput ro;
    r.send(kPeerIp, packet(7), at_s(0), ro);
    r.on_arp(request_from_peer(), true, false, at_ms(500), ro);
    REQUIRE(ro.ready.size() == 1);
    CHECK(ro.ready[0].packet.id == 7);
    CHECK(state(r) == NeighbourState::Delay);
    CHECK(r.poll_at() == at_ms(5500));
}

TEST_CASE("neighbour: a static entry: no ARP, never changed by ARP, no timer") {
    NeighbourCache c(Profile::linux().neighbour, 5);
    NeighbourOutput o;
    c.send(kPeerIp, packet(1), at_s(0), o);
    c.add_static(kPeerIp, kPeer, at_s(0), o);
    REQUIRE(o.ready.size() == 1);
    CHECK(c.row(kPeerIp)->is_static);
    CHECK(state(c) == NeighbourState::Permanent);
    c.on_arp(ArpPacket::reply(mac("02:00:00:00:00:99"), kPeerIp, kOwn, kOwnIp), true, true, at_s(1), o);
    CHECK(c.row(kPeerIp)->mac == kPeer);
    CHECK_FALSE(c.poll_at());
}
