// The ping and traceroute steps: what they print (Windows under textbook, iputils under linux),
// the packets they send, their outcome against `expect:`, and the loader's errors.
// One run_scenario per TEST_CASE (one SimGrid engine per process).
#include <doctest/doctest.h>

#include "tests/sim/test_engine_support.hpp"

using namespace netstep;
using namespace netstep::sim;
using namespace netstep::sim::test;

namespace {

// laptop (192.168.1.10) — office — router (192.168.1.1 | 10.0.0.1) — servers — web (10.0.0.80)
std::string routed(const std::string& profile, const std::string& programs, const std::string& faults = "") {
    return "netstep: 1\ntitle: t\nprofile: " + profile + R"(
networks:
  - { name: office, subnet: 192.168.1.0/24, latency: 1ms, bandwidth: 1Gbps }
  - { name: servers, subnet: 10.0.0.0/24, latency: 1ms, bandwidth: 1Gbps }
hosts:
  - name: laptop
    interfaces: [ { network: office, ip: 192.168.1.10, gateway: 192.168.1.1 } ]
  - name: router
    forwarding: true
    interfaces: [ { network: office, ip: 192.168.1.1 }, { network: servers, ip: 10.0.0.1 } ]
  - name: web
    interfaces: [ { network: servers, ip: 10.0.0.80, gateway: 10.0.0.1 } ]
)" + faults + "programs:\n  - host: laptop\n    name: cmd\n    steps:\n" + programs;
}

std::vector<std::string> outputs(const Trace& t) {
    std::vector<std::string> out;
    for (const TraceEvent& e : events_of(t, EventKind::Output)) out.push_back(t.str(e.text));
    return out;
}

std::vector<Ipv4Packet> sent_by(const Trace& t, const std::string& host) {
    std::vector<Ipv4Packet> out;
    for (const TracePacket* p : sent_packets(t))
        if (p->from_host == host_named(t, host)) out.push_back(parsed(*p));
    return out;
}

}  // namespace

TEST_CASE("ping: four echo requests, one a second, each answered: Windows' output") {
    Trace t = run_yaml(routed("textbook", "      - ping: web\n"));
    CHECK(t.failures.empty());
    auto requests = sent_by(t, "laptop");
    REQUIRE(requests.size() == 4);
    for (size_t i = 0; i < 4; ++i) {
        const IcmpMessage* m = requests[i].icmp();
        REQUIRE(m);
        CHECK(m->type == icmp_type::ECHO_REQUEST);
        CHECK(m->id == 1);
        CHECK(m->sequence == i + 1);
        CHECK(std::string(m->data.begin(), m->data.end()) == "abcdefghijklmnopqrstuvwabcdefghi");
        CHECK(requests[i].ttl == 64);
    }
    auto replies = sent_by(t, "web");
    REQUIRE(replies.size() == 4);
    CHECK(replies[3].icmp()->type == icmp_type::ECHO_REPLY);
    CHECK(replies[3].icmp()->sequence == 4);
    // One second apart.
    auto sent = sent_packets(t);
    std::vector<Instant> times;
    for (const TracePacket* p : sent)
        if (p->from_host == host_named(t, "laptop")) times.push_back(p->sent);
    // The first request waits for the laptop's ARP reply about the router (2 ms); ping sent it
    // at 0, so its round trip also counts the router's ARP for web (2 ms more): 8 ms.
    CHECK(times[0] == Instant::zero() + Duration::millis(2) + Duration::nanos(2 * (60 + 12) * 8));
    CHECK(times[2] - times[1] == Duration::seconds(1));
    CHECK(outputs(t) == std::vector<std::string>{
                            "Pinging web [10.0.0.80] with 32 bytes of data:",
                            "Reply from 10.0.0.80: bytes=32 time=8ms TTL=63",
                            "Reply from 10.0.0.80: bytes=32 time=4ms TTL=63",
                            "Reply from 10.0.0.80: bytes=32 time=4ms TTL=63",
                            "Reply from 10.0.0.80: bytes=32 time=4ms TTL=63",
                            "\nPing statistics for 10.0.0.80:\n"
                            "    Packets: Sent = 4, Received = 4, Lost = 0 (0% loss),\n"
                            "Approximate round trip times in milli-seconds:\n"
                            "    Minimum = 4ms, Maximum = 8ms, Average = 5ms"});
}

TEST_CASE("ping: iputils' output under linux, a lost reply prints nothing and counts as loss") {
    Trace t = run_yaml(routed("linux", "      - ping: { to: 10.0.0.80, count: 3, interval: 200ms, timeout: 100ms }\n",
                              "faults:\n  - drop: { from: web, proto: icmp, nth: 2 }\n"));
    CHECK(t.failures.empty());
    auto out = outputs(t);
    REQUIRE(out.size() == 4);
    CHECK(out[0] == "PING 10.0.0.80 (10.0.0.80) 56(84) bytes of data.");
    CHECK(out[1].starts_with("64 bytes from 10.0.0.80: icmp_seq=1 ttl=63 time=8."));  // two ARP exchanges first
    CHECK(out[2].starts_with("64 bytes from 10.0.0.80: icmp_seq=3 ttl=63 time=4."));
    CHECK(out[3].starts_with("\n--- 10.0.0.80 ping statistics ---\n"
                             "3 packets transmitted, 2 received, 33.3333% packet loss, time 404ms\n"
                             "rtt min/avg/max/mdev = 4.0"));
    auto requests = sent_by(t, "laptop");
    REQUIRE(requests.size() == 3);
    CHECK(requests[0].icmp()->data.size() == 56);
}

TEST_CASE("ping: nothing comes back: Request timed out., ETIMEDOUT, and without expect a failure") {
    Trace t = run_yaml(routed("textbook", "      - ping: { to: web, count: 2, timeout: 500ms }\n",
                              "faults:\n  - drop: { from: web, proto: icmp, nth: 1 }\n"
                              "  - drop: { from: web, proto: icmp, nth: 2 }\n"));
    auto out = outputs(t);
    REQUIRE(out.size() == 4);
    CHECK(out[1] == "Request timed out.");
    CHECK(out[2] == "Request timed out.");
    CHECK(out[3] == "\nPing statistics for 10.0.0.80:\n    Packets: Sent = 2, Received = 0, Lost = 2 (100% loss),");
    REQUIRE(t.failures.size() == 1);
    CHECK(t.failures[0] == "test.yaml:22:9: cmd: ping web failed with ETIMEDOUT");
}

TEST_CASE("ping: TTL 1 is answered by the router: TTL expired in transit, EHOSTUNREACH as expected") {
    Trace t = run_yaml(routed("textbook", "      - ping: { to: web, count: 1, ttl: 1, expect: EHOSTUNREACH }\n"
                                          "      - ping: { to: web, count: 1, ttl: 1, expect: ok }\n"));
    auto out = outputs(t);
    REQUIRE(out.size() >= 2);
    CHECK(out[1] == "Reply from 192.168.1.1: TTL expired in transit.");
    CHECK(sent_by(t, "laptop")[0].ttl == 1);
    CHECK(sent_by(t, "web").empty());
    REQUIRE(t.failures.size() == 1);  // the second expected ok
    CHECK(t.failures[0] == "test.yaml:20:9: cmd: ping web returned EHOSTUNREACH, expected ok");
}

TEST_CASE("ping: no route at all: ENETUNREACH, and iputils stops at once") {
    std::string yaml = routed("linux", "      - ping: { to: 172.16.0.5, expect: ENETUNREACH }\n");
    // A laptop with no gateway has no route to 172.16.0.5.
    yaml.replace(yaml.find(", gateway: 192.168.1.1"), std::string(", gateway: 192.168.1.1").size(), "");
    Trace t = run_yaml(yaml);
    CHECK(t.failures.empty());
    CHECK(outputs(t) == std::vector<std::string>{"PING 172.16.0.5 (172.16.0.5) 56(84) bytes of data.",
                                                 "ping: connect: Network is unreachable"});
    CHECK(sent_packets(t).empty());
}

TEST_CASE("traceroute: TTL 1, 2, three probes each, until the destination answers (tracert)") {
    Trace t = run_yaml(routed("textbook", "      - traceroute: { to: web, expect: ok }\n"));
    CHECK(t.failures.empty());
    auto requests = sent_by(t, "laptop");
    REQUIRE(requests.size() == 6);
    for (size_t i = 0; i < 6; ++i) {
        CHECK(requests[i].ttl == (i < 3 ? 1 : 2));
        CHECK(requests[i].icmp()->sequence == i + 1);
    }
    auto router = sent_by(t, "router");
    int exceeded = 0;
    for (const Ipv4Packet& p : router)
        if (p.icmp() && p.icmp()->type == icmp_type::TIME_EXCEEDED && p.src == *Ipv4Address::parse("192.168.1.1"))
            ++exceeded;
    CHECK(exceeded == 3);
    CHECK(outputs(t) == std::vector<std::string>{"Tracing route to web [10.0.0.80]\nover a maximum of 30 hops:\n",
                                                 // The first probe of each hop waits for an ARP exchange (2 ms).
                                                 "  1     4 ms     2 ms     2 ms  router [192.168.1.1]",
                                                 "  2     6 ms     4 ms     4 ms  web [10.0.0.80]",
                                                 "\nTrace complete."});
}

TEST_CASE("traceroute: a silent hop prints stars, max_hops reached is ETIMEDOUT (traceroute under linux)") {
    Trace t = run_yaml(routed("linux", "      - traceroute: { to: web, max_hops: 1, timeout: 100ms, expect: ETIMEDOUT }\n"
                                       "      - traceroute: { to: web, max_hops: 2, timeout: 100ms, expect: ok }\n",
                              "faults:\n  - drop: { from: router, proto: icmp, nth: 1 }\n"
                              "  - drop: { from: router, proto: icmp, nth: 2 }\n"
                              "  - drop: { from: router, proto: icmp, nth: 3 }\n"));
    CHECK(t.failures.empty());
    auto out = outputs(t);
    REQUIRE(out.size() == 5);
    CHECK(out[0] == "traceroute to web (10.0.0.80), 1 hops max, 60 byte packets");
    CHECK(out[1] == " 1  * * *");
    CHECK(out[3] == " 1  router (192.168.1.1)  2.001 ms  2.001 ms  2.001 ms");
    CHECK(out[4].starts_with(" 2  web (10.0.0.80)  6.004 ms  4.003 ms  4.003 ms"));  // the router's ARP for web
    // UDP probes, one port per probe from 33434, TTL 1 three times then 1, 1, 1 and 2, 2, 2 (the
    // second traceroute); the web server answers port unreachable.
    auto probes = sent_by(t, "laptop");
    REQUIRE(probes.size() == 9);
    for (size_t i = 0; i < probes.size(); ++i) {
        REQUIRE(probes[i].udp());
        CHECK(probes[i].udp()->dst_port == 33434 + (i < 3 ? i : i - 3));
        CHECK(probes[i].ttl == (i < 6 ? 1 : 2));
    }
    auto answers = sent_by(t, "web");
    REQUIRE(answers.size() == 3);
    CHECK(answers[0].icmp()->type == icmp_type::DEST_UNREACHABLE);
    CHECK(answers[0].icmp()->code == icmp_code::PORT_UNREACHABLE);
}

TEST_CASE("ping and traceroute: the loader's forms and errors") {
    std::string base = routed("textbook", "");
    Scenario s = load_scenario_text(base + "      - ping: web\n      - ping: { to: 10.0.0.80, count: 2, interval: 10ms, "
                                           "timeout: 5ms, ttl: 3, expect: [ok, ETIMEDOUT] }\n"
                                           "      - traceroute: { to: web, max_hops: 5, timeout: 2s }\n",
                                    "t.yaml");
    const Steps& steps = s.programs[0].steps;
    const auto& short_form = std::get<step::Ping>(steps[0].body);
    CHECK(short_form.to.host == "web");
    CHECK(short_form.count == 4);
    CHECK(short_form.interval == Duration::seconds(1));
    CHECK(short_form.timeout == Duration::seconds(1));
    CHECK_FALSE(short_form.ttl.has_value());
    const auto& full = std::get<step::Ping>(steps[1].body);
    CHECK(full.to.address == Ipv4Address::parse("10.0.0.80"));
    CHECK(full.count == 2);
    CHECK(full.ttl == 3);
    CHECK(steps[1].expect->to_string() == "ok or ETIMEDOUT");
    const auto& trace = std::get<step::Traceroute>(steps[2].body);
    CHECK(trace.max_hops == 5);
    CHECK(trace.timeout == Duration::seconds(2));

    auto error = [&](const std::string& step) {
        try {
            load_scenario_text(base + step, "t.yaml");
        } catch (const ScenarioError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(error("      - ping: wbe\n") == "t.yaml:19:15: unknown host 'wbe'; did you mean 'web'?");
    CHECK(error("      - ping: \"web:80\"\n") ==
          "t.yaml:19:15: expected a host name or an IPv4 address (no port: ICMP has none), got 'web:80'");
    CHECK(error("      - ping: { to: web, ttl: 0 }\n") == "t.yaml:19:31: expected a TTL from 1 to 255, got '0'");
    CHECK(error("      - ping: { to: web, count: 0 }\n").starts_with("t.yaml:19:33: expected a number of echo requests"));
    CHECK(error("      - traceroute: { to: web, hops: 3 }\n").starts_with("t.yaml:19:"));
    CHECK(error("      - ping: { count: 3 }\n") == "t.yaml:19:15: ping: 'to' is required");
}

TEST_CASE("ping and tracert: a router with no route answers net unreachable, ENETUNREACH") {
    Trace t = run_yaml(routed("textbook", "      - ping: { to: 172.16.0.5, count: 1, expect: ENETUNREACH }\n"
                                          "      - traceroute: { to: 172.16.0.5, expect: ENETUNREACH }\n"));
    CHECK(t.failures.empty());
    auto out = outputs(t);
    // (netstep's router looks at the TTL before the route: TTL 1 gets time exceeded first.)
    REQUIRE(out.size() == 7);
    CHECK(out[1] == "Reply from 192.168.1.1: Destination net unreachable.");
    CHECK(out[4] == "  1     2 ms     2 ms     2 ms  router [192.168.1.1]");
    CHECK(out[5] == "  2  router [192.168.1.1]  reports: Destination net unreachable.");
    CHECK(out[6] == "\nTrace complete.");
    CHECK(sent_by(t, "laptop").size() == 1 + 3 + 1);  // tracert stops at the first report
}

TEST_CASE("traceroute under linux: a router with no route answers net unreachable: !N") {
    Trace t = run_yaml(routed("linux", "      - traceroute: { to: 172.16.0.5, expect: ENETUNREACH }\n"));
    CHECK(t.failures.empty());
    auto out = outputs(t);
    REQUIRE(out.size() == 3);
    CHECK(out[2] == " 2  router (192.168.1.1)  2.001 ms !N  2.001 ms !N  2.001 ms !N");
}
