// The learning switch (IEEE 802.1D): flooding, learning, forwarding to the learned port only,
// filtering, moves and ageing.
#include <doctest/doctest.h>

#include "model/switch.hpp"

using namespace netstep;

namespace {

MacAddress mac(const char* t) { return *MacAddress::parse(t); }
Instant at(int64_t seconds) { return Instant::zero() + Duration::seconds(seconds); }

const MacAddress kA = mac("02:00:00:00:00:0a");
const MacAddress kB = mac("02:00:00:00:00:0b");
const MacAddress kC = mac("02:00:00:00:00:0c");

}  // namespace

TEST_CASE("switch: a broadcast is flooded to every other port, and its source learned") {
    LearningSwitch sw(4);
    auto d = sw.receive(1, kA, MacAddress::broadcast(), at(0));
    CHECK(d.flooded);
    CHECK(d.learned);
    CHECK(d.ports == std::vector<size_t>{0, 2, 3});
    REQUIRE(sw.table(at(0)).size() == 1);
    CHECK(sw.table(at(0))[0] == MacTableRow{kA, 1, at(0), at(300), at(0)});
}

TEST_CASE("switch: unknown unicast floods, a learned destination gets its port only") {
    LearningSwitch sw(3);
    auto first = sw.receive(0, kA, kB, at(0));  // B unknown yet
    CHECK(first.flooded);
    CHECK(first.ports == std::vector<size_t>{1, 2});
    auto reply = sw.receive(2, kB, kA, at(1));  // A was learned on port 0
    CHECK_FALSE(reply.flooded);
    CHECK(reply.learned);
    CHECK(reply.ports == std::vector<size_t>{0});
    auto again = sw.receive(0, kA, kB, at(2));  // B learned on port 2
    CHECK(again.ports == std::vector<size_t>{2});
    CHECK_FALSE(again.learned);                 // A already known on port 0
    CHECK(sw.port_of(kA, at(2)) == 0u);
    CHECK(sw.port_of(kB, at(2)) == 2u);
    CHECK_FALSE(sw.port_of(kC, at(2)));
}

TEST_CASE("switch: a destination on the ingress port is filtered, a host that moves is relearned") {
    LearningSwitch sw(3);
    sw.receive(0, kA, MacAddress::broadcast(), at(0));
    sw.receive(0, kB, MacAddress::broadcast(), at(0));  // A and B on one segment behind port 0
    auto d = sw.receive(0, kA, kB, at(1));
    CHECK(d.filtered);
    CHECK(d.ports.empty());
    auto moved = sw.receive(2, kA, MacAddress::broadcast(), at(2));
    CHECK(moved.learned);
    CHECK(sw.port_of(kA, at(2)) == 2u);
}

TEST_CASE("switch: entries age out after 300 s without a frame from them") {
    LearningSwitch sw(2);
    CHECK(sw.ageing_time() == Duration::seconds(300));
    sw.receive(0, kA, MacAddress::broadcast(), at(0));
    sw.receive(1, kB, kA, at(100));
    CHECK(sw.poll_at() == at(300));
    CHECK(sw.port_of(kA, at(299)) == 0u);
    CHECK_FALSE(sw.port_of(kA, at(300)));
    CHECK(sw.table(at(300)).size() == 1);  // B, seen at 100, lives until 400
    sw.poll(at(300));
    CHECK(sw.poll_at() == at(400));
    // A frame to A now floods again; A's next frame teaches the switch again.
    auto d = sw.receive(1, kB, kA, at(301));
    CHECK(d.flooded);
    CHECK(sw.poll_at() == at(601));  // B refreshed at 301
    sw.receive(0, kA, kB, at(302));
    CHECK(sw.port_of(kA, at(302)) == 0u);
    // A source that is a group address is never learned.
    sw.receive(1, MacAddress::broadcast(), kA, at(303));
    CHECK(sw.table(at(303)).size() == 2);
}

TEST_CASE("switch: an entry keeps the time it was learned while frames refresh it") {
    LearningSwitch sw(3);
    CHECK(sw.learn(0, kA, at(0)));
    CHECK_FALSE(sw.learn(0, kA, at(100)));  // refreshed: not learned again
    REQUIRE(sw.table(at(100)).size() == 1);
    CHECK(sw.table(at(100))[0] == MacTableRow{kA, 0, at(100), at(400), at(0)});
    CHECK(sw.learn(2, kA, at(150)));  // moved: learned anew
    CHECK(sw.table(at(150))[0].learned == at(150));
    CHECK(sw.learn(2, kA, at(500)));  // aged out (last seen 150): learned anew
    CHECK(sw.table(at(500))[0].learned == at(500));
    CHECK_FALSE(sw.learn(1, MacAddress::broadcast(), at(501)));
}
