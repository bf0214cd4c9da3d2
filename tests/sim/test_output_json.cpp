// The JSON trace: exact round trips, files written atomically, and clear errors (never a crash)
// on malformed input.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "sim/output.hpp"
#include "test_trace_fixture.hpp"

namespace netstep::sim {
namespace {

using namespace fixture;

std::string json_of(const Trace& t) {
    std::ostringstream out;
    write_json(t, out);
    return out.str();
}

Trace from_json(const std::string& text) {
    std::istringstream in(text);
    return read_json(in);
}

// The message of the runtime_error read_json throws ("" if it does not throw).
std::string error_of(const std::string& text) {
    try {
        from_json(text);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

// A trace exercising every optional field: TCP variables, timers, errors, duplicates, forks.
Trace trace_with_everything() {
    Trace t = handshake_trace();
    t.networks[0].loss = 0.125;
    t.programs.push_back({"child", kLaptop, kBrowser});
    TcpVars vars;
    vars.iss = {4'000'000'000u};
    vars.snd_nxt = {1};
    vars.rto = Duration::seconds(1);
    vars.srtt = Duration::millis(4);
    vars.rttvar = Duration::millis(2);
    vars.retransmit_at = at_us(1'014'000);
    vars.time_wait_until = at_us(60'000'000);
    vars.send_queued = 18;
    vars.cwnd = 4380;
    vars.ssthresh = 65535;
    SocketInfo row = tcp_row(3, {ip("192.168.1.10"), 49152}, Endpoint{ip("192.168.1.20"), 80}, TcpState::FinWait1);
    row.vars = vars;
    row.user_closed = true;
    row.recv_queued = 7;
    TraceBuilder(t).record_socket(kLaptop, row, uint32_t(t.events.size() - 1));
    SocketInfo udp_row;
    udp_row.id = 5;
    udp_row.type = SocketType::Udp;
    TraceBuilder(t).record_socket(kLaptop, udp_row, 3);
    TraceBuilder(t).socket_gone(kLaptop, 5, 7);
    t.packets[1].duplicate_of = 0;
    t.events[3].err = Err::TimedOut;
    t.events[2].timer_action = TimerAction::Cancelled;  // a non-default timer field on a call
    t.events[2].to = TcpState::TimeWait;                // and a state
    t.warnings = {"t.yaml:31:5: drop { from: laptop, flags: FIN, nth: 1 } never applied: no packet matched"};
    t.events[4].kind = EventKind::Caption;
    t.translations = {{4, "fr", TraceBuilder(t).intern("Bonjour.")}, {4, "it", TraceBuilder(t).intern("Ciao.")}};
    t.networks[0].switched = true;
    t.mac_seen = {{1, 0, 0, *MacAddress::parse("02:00:00:00:00:10"), at_us(10)},
                  {3, 0, 1, *MacAddress::parse("02:00:00:00:00:20"), at_us(1'000)}};
    return t;
}

TEST_CASE("output: JSON round trip is exact") {
    for (const Trace& t : {handshake_trace(), trace_with_everything(), Trace{}}) {
        std::string once = json_of(t);
        Trace back = from_json(once);
        CHECK(json_of(back) == once);
        CHECK(back.events.size() == t.events.size());
        REQUIRE(back.packets.size() == t.packets.size());
        for (size_t i = 0; i < t.packets.size(); ++i) CHECK(back.packets[i].bytes == t.packets[i].bytes);
        REQUIRE(back.sockets.size() == t.sockets.size());
        for (size_t i = 0; i < t.sockets.size(); ++i) {
            CHECK(back.sockets[i].rows == t.sockets[i].rows);
            CHECK(back.sockets[i].steps == t.sockets[i].steps);
            CHECK(back.sockets[i].gone_step == t.sockets[i].gone_step);
        }
        REQUIRE(back.hosts.size() == t.hosts.size());
        for (size_t i = 0; i < t.hosts.size(); ++i) CHECK(back.hosts[i].interfaces == t.hosts[i].interfaces);
        CHECK(back.failures == t.failures);
        CHECK(back.warnings == t.warnings);
        CHECK(back.mac_seen == t.mac_seen);
        REQUIRE(back.translations.size() == t.translations.size());
        for (size_t i = 0; i < t.translations.size(); ++i) {
            CHECK(back.translations[i].step == t.translations[i].step);
            CHECK(back.caption_text(back.translations[i].step, back.translations[i].lang) ==
                  t.caption_text(t.translations[i].step, t.translations[i].lang));
        }
    }
}

TEST_CASE("output: JSON mac_seen: absent reads as none, each on a port of a switch, in step order") {
    std::string text = json_of(trace_with_everything());
    CHECK(from_json(text).mac_seen.size() == 2);
    auto at = text.find("\"mac_seen\": [");
    REQUIRE(at != std::string::npos);
    auto end = text.find("]", at);
    CHECK(from_json(std::string(text).erase(at, end + 3 - at)).mac_seen.empty());  // a file from before switches
    auto replaced = [&text](const std::string& from, const std::string& to) {
        std::string copy = text;
        size_t i = copy.find(from, copy.find("\"mac_seen\""));
        REQUIRE(i != std::string::npos);
        return copy.replace(i, from.size(), to);
    };
    CHECK(error_of(replaced("\"port\":1", "\"port\":2")) == "trace JSON: mac_seen[1].port: expected a port index below 2, got 2");
    CHECK(error_of(replaced("\"step\":3", "\"step\":0")) == "trace JSON: mac_seen[1].step: expected steps in ascending order, got 0");
    CHECK(error_of(replaced("\"mac\":\"02:00:00:00:00:20\"", "\"mac\":\"web\"")) ==
          "trace JSON: mac_seen[1].mac: expected a MAC address like \"02:00:00:00:00:10\", got \"web\"");
    std::string segment = replaced("\"port\":1", "\"port\":1");
    size_t kind = segment.find("\"kind\":\"switch\"");
    REQUIRE(kind != std::string::npos);
    CHECK(error_of(segment.replace(kind, std::string("\"kind\":\"switch\"").size(), "\"kind\":\"segment\"")) ==
          "trace JSON: mac_seen[0].network: expected a network of kind switch, got 0");
}

TEST_CASE("output: JSON written before warnings existed reads with none") {
    std::string text = json_of(handshake_trace());
    std::string key = "\"warnings\": [],\n";
    auto at = text.find(key);
    REQUIRE(at != std::string::npos);
    text.erase(at, key.size());
    CHECK(from_json(text).warnings.empty());
}

TEST_CASE("output: JSON vars written before cwnd and ssthresh read as 0") {
    std::string text = json_of(trace_with_everything());
    for (std::string key : {"\"cwnd\":4380,", "\"ssthresh\":65535,"}) {
        auto at = text.find(key);
        REQUIRE(at != std::string::npos);
        text.erase(at, key.size());
    }
    Trace back = from_json(text);
    bool found = false;
    for (const auto& h : back.sockets)
        for (const auto& r : h.rows)
            if (r.vars) {
                found = true;
                CHECK(r.vars->cwnd == 0);
                CHECK(r.vars->ssthresh == 0);
                CHECK(r.vars->send_queued == 18);
            }
    CHECK(found);
}

TEST_CASE("output: JSON read back gives the same text trace") {
    Trace t = trace_with_everything();
    std::ostringstream a, b;
    write_text(t, a);
    write_text(from_json(json_of(t)), b);
    CHECK(a.str() == b.str());
}

TEST_CASE("output: JSON errors say what was expected where") {
    std::string good = json_of(handshake_trace());
    auto replaced = [&good](const std::string& from, const std::string& to) {
        std::string text = good;
        size_t at = text.find(from);
        REQUIRE(at != std::string::npos);
        return text.replace(at, from.size(), to);
    };
    CHECK(error_of("").starts_with("trace JSON: not valid JSON"));
    CHECK(error_of("{\"format\": ").starts_with("trace JSON: not valid JSON"));
    CHECK(error_of("[1, 2]") == "trace JSON: the document: expected an object, got an array of 2");
    CHECK(error_of("{}") == "trace JSON: format: expected a value, got nothing");
    CHECK(error_of(replaced("\"netstep-trace\"", "\"pcap\"")) == "trace JSON: format: expected \"netstep-trace\", got \"pcap\"");
    CHECK(error_of(replaced("\"version\": 1", "\"version\": 2")) == "trace JSON: version: expected 1, got 2");
    CHECK(error_of(replaced("\"kind\":\"run-start\"", "\"kind\":\"start\"")) ==
          "trace JSON: events[0].kind: expected an event kind like \"packet-sent\", got \"start\"");
    CHECK(error_of(replaced("\"time_ns\":0,", "")) == "trace JSON: events[0].time_ns: expected a value, got nothing");
    CHECK(error_of(replaced("\"seed\": 1", "\"seed\": -1")) ==
          "trace JSON: seed: expected an integer from 0 to 18446744073709551615, got -1");
    CHECK(error_of(replaced("\"host\":1,\"program\":1", "\"host\":\"web\",\"program\":1")) ==
          "trace JSON: events[1].host: expected an integer from 0 to 4294967295, got \"web\"");
    CHECK(error_of(replaced("\"host\":1,\"program\":1", "\"host\":7,\"program\":1")) ==
          "trace JSON: events[1].host: expected a host index below 2, got 7");
    CHECK(error_of(replaced("\"bytes\":\"45", "\"bytes\":\"4x"))
              .starts_with("trace JSON: packets[0].bytes: expected hexadecimal bytes, got \"4x00002c00"));
    CHECK(error_of(replaced("\"192.168.1.10:49152\"", "\"laptop:49152\"")) ==
          "trace JSON: events[5].tuple.local: expected an endpoint like \"192.168.1.10:80\", got \"laptop:49152\"");
    CHECK(error_of(replaced("\"from\":\"CLOSED\"", "\"from\":\"OPEN\"")) ==
          "trace JSON: events[5].from: expected a TCP state like \"SYN-SENT\", got \"OPEN\"");
    CHECK(error_of(replaced("\"sent_step\":7", "\"sent_step\":700")) ==
          "trace JSON: packets[0].sent_step: expected an event index below 32, got 700");
    CHECK(error_of(replaced("\"events\": [", "\"events\": {")).starts_with("trace JSON: not valid JSON"));
    CHECK(error_of(replaced("{\"step\":12,", "{\"step\":3,")) ==
          "trace JSON: sockets[1].changes[1].step: expected a step after 5, got 3");
}

// Nesting is bounded before the document is parsed: 100,000 levels in a member the reader
// ignores overflowed the stack (issue 14); the writer nests 6 deep.
TEST_CASE("output: JSON nested deeper than 64 is an error, not a stack overflow") {
    std::string good = json_of(handshake_trace());
    auto with_extra = [&good](const std::string& value) { return "{\"extra\": " + value + "," + good.substr(1); };
    std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    CHECK(error_of(with_extra(deep)) == "trace JSON: nesting deeper than 64 at byte 74");
    std::string objects;
    for (int i = 0; i < 100'000; ++i) objects += "{\"a\":";
    objects += "1" + std::string(100'000, '}');
    CHECK(error_of(with_extra(objects)) == "trace JSON: nesting deeper than 64 at byte 326");
    CHECK(error_of(with_extra(std::string(63, '[') + std::string(63, ']'))).empty());  // 64 with the document
    CHECK(error_of(with_extra("\"" + std::string(1000, '[') + "\"")).empty());          // brackets in a string
    CHECK(error_of(with_extra("\"\\\"" + std::string(1000, '[') + "\"")).empty());   // after an escaped quote
}

// Whatever the viewer assumes is checked on reading (issue 14): a trace read is safe to draw.
TEST_CASE("output: JSON reading checks every reference, order and bound the viewers rely on") {
    auto error_after = [](auto edit) {
        Trace t = trace_with_everything();
        edit(t);
        return error_of(json_of(t));
    };
    CHECK(error_after([](Trace&) {}).empty());
    CHECK(error_after([](Trace& t) {
              t.events.clear(), t.packets.clear(), t.sockets.clear(), t.translations.clear(), t.mac_seen.clear();
          }).empty());
    CHECK(error_after([](Trace& t) { t.mac_seen[1].step = uint32_t(t.events.size() + 1); }) ==
          "trace JSON: mac_seen[1].step: expected an event index below " + std::to_string(trace_with_everything().events.size() + 1) +
              ", got " + std::to_string(trace_with_everything().events.size() + 1));
    CHECK(error_after([](Trace& t) { t.events[3].time = t.events[2].time - Duration{1}; })
              .starts_with("trace JSON: events[3].time_ns: expected a time from 0 and not before the previous event's, got "));
    CHECK(error_after([](Trace& t) { t.events[0].time = Instant{-1}; })
              .starts_with("trace JSON: events[0].time_ns: expected a time from 0"));
    CHECK(error_after([](Trace& t) { t.events[0].time = Instant{INT64_MAX}; }) ==
          "trace JSON: events[0].time_ns: expected nanoseconds from -4611686018427387904 to 4611686018427387904, "
          "got 9223372036854775807");
    CHECK(error_after([](Trace& t) { t.networks[0].loss = 2.5; }) ==
          "trace JSON: networks[0].loss: expected a fraction from 0 to 1, got 2.500000");
    CHECK(error_after([](Trace& t) { t.hosts[0].interfaces[0].network = "wan"; }) ==
          "trace JSON: hosts[0].interfaces[0].network: expected the name of a network, got \"wan\"");
    CHECK(error_after([](Trace& t) { t.programs[2].parent = 2; }) ==
          "trace JSON: programs[2].parent: expected an earlier program index below 2, got 2");
    CHECK(error_after([](Trace& t) {
              for (TraceEvent& e : t.events)
                  if (e.kind == EventKind::PacketSent) return void(e.packet = kNone);
          }).starts_with("trace JSON: events["));
    CHECK(error_after([](Trace& t) { t.packets[0].from_interface = 5; }) ==
          "trace JSON: packets[0].from_interface: expected an interface index below 1, got 5");
    CHECK(error_after([](Trace& t) { t.packets[0].sent_step = 0; }) ==
          "trace JSON: packets[0].sent_step: expected the step of its packet-sent event, got 0");
    CHECK(error_after([](Trace& t) { t.packets[0].end_step = t.packets[0].sent_step; })
              .starts_with("trace JSON: packets[0].end_step: expected a later step of an event of this packet"));
    CHECK(error_after([](Trace& t) { t.packets[0].arrives = t.packets[0].sent - Duration{1}; })
              .starts_with("trace JSON: packets[0].arrives_ns: expected a time from sent_ns on"));
    CHECK(error_after([](Trace& t) { t.packets[0].bytes.resize(70'000); }) ==
          "trace JSON: packets[0].bytes: expected at most 65535 bytes, got 70000");
    CHECK(error_after([](Trace& t) { t.sockets[1].id = t.sockets[0].id, t.sockets[1].host = t.sockets[0].host; })
              .starts_with("trace JSON: sockets[1].id: expected a socket id, not 0 and once per host"));
    CHECK(error_after([](Trace& t) { t.sockets[0].steps.back() = uint32_t(t.events.size()); })
              .starts_with("trace JSON: sockets[0].changes["));
    CHECK(error_after([](Trace& t) { t.sockets[0].gone_step = uint32_t(t.events.size() + 1); })
              .starts_with("trace JSON: sockets[0].gone_step: expected an event index below"));
}

TEST_CASE("output: JSON reading survives damaged files") {
    std::string good = json_of(trace_with_everything());
    std::mt19937 rng(3);
    const std::string noise = "{}[]\",:0123456789-.eEtruefalsn \\x";
    for (int round = 0; round < 400; ++round) {
        std::string text = good;
        if (round % 2 == 0) {
            text.resize(rng() % text.size());  // truncated
        } else {
            for (int i = 0; i < 3; ++i) text[rng() % text.size()] = noise[rng() % noise.size()];
        }
        CAPTURE(round);
        try {
            Trace t = from_json(text);
            CHECK_NOTHROW(json_of(t));  // whatever was accepted is consistent enough to write
            std::ostringstream out;
            CHECK_NOTHROW(write_text(t, out));
        } catch (const std::runtime_error& e) {
            CHECK(std::string(e.what()).starts_with("trace JSON: "));
        }
    }
}

TEST_CASE("output: JSON files are written atomically and read back") {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("netstep-json-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir);
    std::string path = (dir / "trace.json").string();
    Trace t = handshake_trace();
    write_json_file(t, path);
    write_json_file(t, path);  // replaces
    CHECK(json_of(read_json_file(path)) == json_of(t));
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);  // no temporary left
    CHECK((fs::status(path).permissions() & fs::perms::others_read) != fs::perms::none);

    // A failing writer leaves the old file and no temporary behind.
    CHECK_THROWS_AS(write_output(path, [](const OutputFd&) { throw std::runtime_error("disk full"); }),
                    std::runtime_error);
    CHECK(json_of(read_json_file(path)) == json_of(t));
    CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);

    CHECK_THROWS_WITH_AS(read_json_file((dir / "missing.json").string()),
                         doctest::Contains("cannot open"), std::runtime_error);
    CHECK_THROWS_AS(write_json_file(t, (dir / "no" / "such" / "dir.json").string()), std::runtime_error);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace netstep::sim
