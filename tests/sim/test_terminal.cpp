// A host's terminal in the engine: lines typed at simulated times (the `type` step) run as a
// shell runs them, and leave the trace before their time as it was (DESIGN.md: "Everything a user
// does is a scenario").
#include <doctest/doctest.h>

#include <cctype>
#include <sstream>

#include <fmt/format.h>

#include "sim/output.hpp"
#include "sim/trace_index.hpp"
#include "test_engine_support.hpp"

namespace netstep::sim {
namespace {

using test::in_child;

std::string scenario_path(const std::string& name) { return std::string(NETSTEP_SOURCE_DIR) + "/scenarios/" + name; }

// The scenario with a terminal program on `host` typing `lines` ((time, line); "^C"/"^D" are
// the keys).
Scenario with_terminal(Scenario s, const std::string& host, const std::vector<std::pair<Duration, std::string>>& lines) {
    Program p;
    p.host = host;
    p.name = "terminal";
    for (const auto& [at, line] : lines) {
        step::Type t;
        t.at = at;
        if (line == "^C") t.key = step::Type::Key::CtrlC;
        else if (line == "^D") t.key = step::Type::Key::CtrlD;
        else t.line = line;
        Step st;
        st.body = t;
        p.steps.push_back(st);
    }
    s.programs.push_back(std::move(p));
    return s;
}

// Each event as "TIME HOST TEXT" (spaces collapsed: the text trace pads its columns to the
// whole run's widest time and host name), the Output lines after their event.
std::vector<std::pair<Instant, std::string>> event_lines(const Trace& t) {
    TraceIndex index(t);
    std::vector<std::pair<Instant, std::string>> out;
    for (uint32_t step = 0; step < t.events.size(); ++step) {
        const TraceEvent& e = t.events[step];
        uint32_t host = e.host != kNone ? e.host : e.program < t.programs.size() ? t.programs[e.program].host : kNone;
        std::string line = to_string(e.time) + " " + index.host_name(host) + " " + describe_event(index, step);
        if (e.kind == EventKind::Output) line += " | " + t.str(e.text);
        out.emplace_back(e.time, line);
    }
    return out;
}

// The events before `until`; but the records of the run's end (RunEnd, and servers "stopped with
// the run"), which a line typed after that end moves later: a lab's run ends at 0 s.
std::string lines_before(const Scenario& s, Instant until) {
    return in_child([&] {
        std::string out;
        Trace t = run_scenario(s);
        auto lines = event_lines(t);
        for (size_t i = 0; i < lines.size(); ++i) {
            const TraceEvent& e = t.events[i];
            if (lines[i].first >= until) break;
            if (e.kind == EventKind::RunEnd || (e.kind == EventKind::ProgramEnd && t.str(e.text).starts_with("stopped"))) continue;
            out += lines[i].second + "\n";
        }
        return out;
    });
}

std::string transcript(const Scenario& s) {
    return in_child([&] {
        std::ostringstream out;
        write_text(run_scenario(s), out);
        return out.str();
    });
}

// One kind of command each, with what a person would type after it.
const std::vector<std::vector<std::string>> kCommandKinds{
    {"ipconfig"}, {"ipconfig /all"}, {"ip addr"}, {"ifconfig"}, {"netstat -an"}, {"ss -tan"}, {"help"}, {"cls"},
    {"frobnicate"}, {"ping -n 2 HOST"}, {"tracert HOST"}, {"traceroute HOST"},
    {"nc HOST 80", "GET / HTTP/1.0", "^D"}, {"nc -l 7000", "^C"}, {"nc -u HOST 53", "hello", "^C"},
    {"socket s tcp", "connect s HOST:80", "send s \"hi\\r\\n\"", "close s"},
    {"ping -n 100 HOST", "ipconfig", "^C"},
    {"arp -a"}, {"arp -n"}, {"ip neigh"}, {"ip link"},
};

}  // namespace

// The whole point of "commands become steps": the trace before the time a line is typed is the
// trace without it, line for line, for every kind of command, on several classroom scenarios.
TEST_CASE("terminal: the trace before a typed line is unchanged, for every kind of command") {
    struct Case {
        const char* file;
        const char* host;    // whose terminal
        const char* target;  // HOST in the commands
    };
    const Case cases[] = {
        {"lab-two-networks.yaml", "laptop", "server"},
        {"default.yaml", "laptop", "web"},
        {"ip-router.yaml", "laptop", "server"},
        {"profiles-linux.yaml", "laptop", "web"},
        {"tcp-data-lost.yaml", "laptop", "web"},
    };
    for (const Case& c : cases) {
        Scenario base = load_scenario_file(scenario_path(c.file));
        // Typed at the time of the base run's middle event (the lab's: 1 s), in the thick of it.
        std::string mid = in_child([&] {
            Trace t = run_scenario(base);
            Instant m = t.events[t.events.size() / 2].time;
            return std::to_string(m == Instant::zero() ? Duration::seconds(1).ns : m.ns);
        });
        const Instant at = Instant::from_nanos(std::stoll(mid));
        const std::string expected = lines_before(base, at);
        REQUIRE(!expected.empty());
        for (const auto& kind : kCommandKinds) {
            std::vector<std::pair<Duration, std::string>> lines;
            Duration t = at - Instant::zero();
            for (std::string line : kind) {
                if (auto p = line.find("HOST"); p != std::string::npos) line.replace(p, 4, c.target);
                lines.emplace_back(t, line);
                t = t + Duration::millis(500);
            }
            CAPTURE(std::string(c.file));
            CAPTURE(kind.front());
            Scenario typed = with_terminal(base, c.host, lines);
            CHECK(lines_before(typed, at) == expected);
        }
    }
}

TEST_CASE("terminal: nc sends each line typed, prints the answer, Ctrl-D closes") {
    Scenario s = with_terminal(load_scenario_file(scenario_path("lab-two-networks.yaml")), "laptop",
                               {{Duration::seconds(1), "nc server 80"},
                                {Duration::seconds(2), "GET / HTTP/1.0"},
                                {Duration::seconds(3), "^D"}});
    std::string text = transcript(s);
    CHECK(text.find("terminal input: C:\\Users\\laptop>nc server 80") != std::string::npos);
    CHECK(text.find("nc: connect(s, server:80) = 0") != std::string::npos);
    CHECK(text.find("terminal input: GET / HTTP/1.0") != std::string::npos);  // to nc: no prompt
    CHECK(text.find("nc: send(s, \"GET / HTTP/1.0\\n\") = 15") != std::string::npos);
    CHECK(text.find("| Hello from the server!") != std::string::npos);
    // The server closes after its answer: nc reads EOF, closes and the prompt comes back.
    CHECK(text.find("nc ends: exit") != std::string::npos);
    size_t end = text.find("nc ends: exit");
    CHECK(text.find("terminal prompt: C:\\Users\\laptop>", end) != std::string::npos);
    // The terminal waits for more: not stuck, the servers stay up, every expectation met.
    CHECK(text.find("blocked") == std::string::npos);
    CHECK(text.find("httpd ends: stopped with the run") != std::string::npos);
    CHECK(text.find("run ends: nothing more happens until someone types: laptop's terminal waits for input") != std::string::npos);
    CHECK(text.find("all expectations met") != std::string::npos);
}

TEST_CASE("terminal: Ctrl-C stops a ping: a line typed during it runs at the next prompt") {
    Scenario s = with_terminal(load_scenario_file(scenario_path("lab-two-networks.yaml")), "laptop",
                               {{Duration::seconds(1), "ping -n 50 server"},
                                {Duration::millis(2500), "ipconfig"},
                                {Duration::millis(3500), "^C"},
                                {Duration::seconds(4), "netstat -an"}});
    std::string text = transcript(s);
    // The line discipline flushes what was typed ahead on Ctrl-C: ipconfig never runs.
    CHECK(text.find("Control-C") != std::string::npos);
    CHECK(text.find("ping ends: interrupted (Ctrl-C)") != std::string::npos);
    CHECK(text.find("IPv4 Address") == std::string::npos);
    CHECK(text.find("Packets: Sent = 3, Received = 3") != std::string::npos);
    CHECK(text.find("terminal input: C:\\Users\\laptop>netstat -an") != std::string::npos);

    Scenario ahead = with_terminal(load_scenario_file(scenario_path("lab-two-networks.yaml")), "laptop",
                                   {{Duration::seconds(1), "ping -n 2 server"}, {Duration::millis(1500), "ipconfig"}});
    std::string t2 = transcript(ahead);
    size_t stats = t2.find("Ping statistics");
    size_t ipconfig = t2.find("terminal input: C:\\Users\\laptop>ipconfig");
    REQUIRE(stats != std::string::npos);
    REQUIRE(ipconfig != std::string::npos);
    CHECK(stats < ipconfig);  // typed ahead: read at the prompt after ping
    CHECK(t2.find("IPv4 Address. . . : 192.168.1.10") != std::string::npos);
}

TEST_CASE("terminal: the Berkeley calls print their results: errors are printed, never failures") {
    Scenario s = with_terminal(load_scenario_file(scenario_path("lab-two-networks.yaml")), "laptop",
                               {{Duration::seconds(1), "socket s tcp"},
                                {Duration::seconds(1), "connect s server:8080"},
                                {Duration::seconds(2), "socket c tcp"},
                                {Duration::seconds(2), "connect c server:80"},
                                {Duration::seconds(2), "send c \"GET /\\r\\n\""},
                                {Duration::seconds(3), "recv c"},
                                {Duration::seconds(4), "close c"},
                                {Duration::seconds(5), "send c late"},
                                {Duration::seconds(5), "pnig server"},
                                {Duration::seconds(5), "nc server 99999"}});
    std::string text = transcript(s);
    CHECK(text.find("| = -1 ECONNREFUSED (Connection refused)") != std::string::npos);
    CHECK(text.find("terminal: send(c, \"GET /\\r\\n\") = 7") != std::string::npos);
    CHECK(text.find("| = 7") != std::string::npos);
    CHECK(text.find("terminal: recv(c) = ") != std::string::npos);
    CHECK(text.find("| = -1 EBADF (Bad file descriptor)") != std::string::npos);
    CHECK(text.find("'pnig' is not recognized as an internal or external command,") != std::string::npos);
    CHECK(text.find("Did you mean 'ping'?") != std::string::npos);
    CHECK(text.find("nc: port number invalid: 99999") != std::string::npos);
    CHECK(text.find("all expectations met") != std::string::npos);
}

// nc -u to a port nobody listens on: the ICMP port unreachable makes its next read fail, and it ends.
TEST_CASE("terminal: nc -u to a closed port ends after the ICMP port unreachable") {
    Scenario s = with_terminal(load_scenario_file(scenario_path("lab-two-networks.yaml")), "laptop",
                               {{Duration::seconds(1), "nc -u server 9999"}, {Duration::seconds(2), "hello"}});
    std::string text = transcript(s);
    CHECK(text.find("nc: send(s, \"hello\\n\") = 6") != std::string::npos);
    CHECK(text.find("nc: recv(s) = ECONNREFUSED") != std::string::npos);
    CHECK(text.find("nc ends: exit") != std::string::npos);
    size_t end = text.find("nc ends: exit");
    CHECK(text.find("terminal prompt: C:\\Users\\laptop>", end) != std::string::npos);
}

TEST_CASE("terminal: nc -l on one host, nc on another, under the linux profile") {
    Scenario base = load_scenario_file(scenario_path("lab-two-networks.yaml"));
    base.profile = Profile::Kind::Linux;
    Scenario s = with_terminal(with_terminal(base, "laptop", {{Duration::seconds(1), "nc -l 7000"}}), "desktop",
                               {{Duration::seconds(2), "nc laptop 7000"},
                                {Duration::seconds(3), "hi laptop"},
                                {Duration::seconds(4), "^D"},
                                {Duration::seconds(5), "ss -tan"}});
    std::string text = transcript(s);
    CHECK(text.find("terminal input: laptop:~$ nc -l 7000") != std::string::npos);
    CHECK(text.find("nc: accept(s) as conn = ") != std::string::npos);
    CHECK(text.find("| hi laptop") != std::string::npos);
    CHECK(text.find("nc: shutdown(s, write) = 0") != std::string::npos);
    CHECK(text.find("TIME-WAIT") != std::string::npos);  // the desktop closed first
}

namespace {

// The MAC address of `host`'s first interface in a run of `s`: Windows' form or Linux's.
std::string mac_of(const Scenario& s, const std::string& host, bool windows) {
    return in_child([&] {
        Trace t = run_scenario(s);
        for (const TraceHost& h : t.hosts) {
            if (h.name != host) continue;
            return windows ? h.interfaces.at(0).mac->to_windows_string() : h.interfaces.at(0).mac->to_string();
        }
        return std::string("?");
    });
}

std::string lower_text(std::string s) {
    for (char& c : s) c = char(std::tolower(uint8_t(c)));
    return s;
}

}  // namespace

// After a ping, the sender's cache has the neighbour with its MAC address: arp.exe's table under
// textbook; net-tools' arp -a, arp -n and ip neigh under linux.
TEST_CASE("terminal: arp -a after a ping shows the neighbour and its MAC address") {
    Scenario base = load_scenario_file(scenario_path("lab-one-lan.yaml"));
    Scenario s = with_terminal(base, "laptop",
                               {{Duration::seconds(1), "arp -a"}, {Duration::seconds(2), "ping -n 1 desktop"},
                                {Duration::seconds(4), "arp -a"}, {Duration::seconds(5), "ipconfig /all"}});
    std::string text = transcript(s);
    std::string mac = mac_of(s, "desktop", true);
    CHECK(text.find("| No ARP Entries Found.") != std::string::npos);  // before the ping
    CHECK(text.find("Interface: 192.168.1.10 --- 0xb") != std::string::npos);
    CHECK(text.find("  Internet Address      Physical Address      Type") != std::string::npos);
    CHECK(text.find(fmt::format("  192.168.1.20          {}     dynamic", lower_text(mac))) != std::string::npos);
    CHECK(text.find("Physical Address. . . . . . . . . : " + mac_of(s, "laptop", true)) != std::string::npos);

    Scenario linux_base = base;
    linux_base.profile = Profile::Kind::Linux;
    Scenario l = with_terminal(linux_base, "laptop",
                               {{Duration::seconds(1), "ping -c 1 desktop"}, {Duration::seconds(3), "arp -a"},
                                {Duration::seconds(4), "arp -n"}, {Duration::seconds(5), "ip neigh"},
                                {Duration::seconds(6), "ip link"}, {Duration::seconds(7), "ip addr show dev eth3"}});
    std::string ltext = transcript(l);
    std::string lmac = mac_of(l, "desktop", false);
    CHECK(ltext.find(fmt::format("? (192.168.1.20) at {} [ether] on eth0", lmac)) != std::string::npos);
    CHECK(ltext.find(fmt::format("192.168.1.20             ether   {}   C                     eth0", lmac)) !=
          std::string::npos);
    CHECK(ltext.find(fmt::format("192.168.1.20 dev eth0 lladdr {} REACHABLE", lmac)) != std::string::npos);
    CHECK(ltext.find(fmt::format("    link/ether {} brd ff:ff:ff:ff:ff:ff", mac_of(l, "laptop", false))) !=
          std::string::npos);
    CHECK(ltext.find("| Device \"eth3\" does not exist.") != std::string::npos);
}

// `link: none`: no MAC addresses anywhere, and no ARP cache.
TEST_CASE("terminal: without the link layer, no MAC lines and an empty ARP cache") {
    Scenario base = load_scenario_file(scenario_path("lab-one-lan.yaml"));
    base.options.link_layer = false;
    Scenario s = with_terminal(base, "laptop",
                               {{Duration::seconds(1), "ping -n 1 desktop"}, {Duration::seconds(3), "arp -a"},
                                {Duration::seconds(4), "ipconfig /all"}});
    std::string text = transcript(s);
    CHECK(text.find("| No ARP Entries Found.") != std::string::npos);
    CHECK(text.find("Physical Address. .") == std::string::npos);
    CHECK(text.find("Description . . . . . . . . . . . : ") != std::string::npos);
}

// A ping to an address of the subnet nobody has: the sender's own ARP gives up after its
// retries, and the ping reports host unreachable from the sender's address, as Windows and
// iputils do.
TEST_CASE("terminal: ping an address nobody has: Destination host unreachable") {
    Scenario base = load_scenario_file(scenario_path("lab-one-lan.yaml"));
    Scenario s = with_terminal(base, "laptop", {{Duration::seconds(1), "ping -n 2 192.168.1.99"}});
    std::string text = transcript(s);
    CHECK(text.find("| Reply from 192.168.1.10: Destination host unreachable.") != std::string::npos);
    CHECK(text.find("Packets: Sent = 2, Received = 2, Lost = 0 (0% loss),") != std::string::npos);

    Scenario linux_base = base;
    linux_base.profile = Profile::Kind::Linux;
    Scenario l = with_terminal(linux_base, "laptop",
                               {{Duration::seconds(1), "ping 192.168.1.99"}, {Duration::seconds(20), "ip neigh"},
                                {Duration::seconds(21), "arp -a"}});
    std::string ltext = transcript(l);
    // The requests 1 to 3 waited in the neighbour queue (one ARP request a second, three of
    // them): when it gives up, iputils prints each one's error as it comes.
    for (int seq = 1; seq <= 3; ++seq) {
        CAPTURE(seq);
        CHECK(ltext.find(fmt::format("| From 192.168.1.10 icmp_seq={} Destination Host Unreachable", seq)) !=
              std::string::npos);
    }
    // The 4th request started ARP again, which failed too, 3 s later: iputils was still waiting.
    CHECK(ltext.find("| From 192.168.1.10 icmp_seq=4 Destination Host Unreachable") != std::string::npos);
    CHECK(ltext.find("4 packets transmitted, 0 received, +4 errors, 100% packet loss") != std::string::npos);
    CHECK(ltext.find("| 192.168.1.99 dev eth0  FAILED") != std::string::npos);
    CHECK(ltext.find("| ? (192.168.1.99) at <incomplete> on eth0") != std::string::npos);

    // ping -c 2: iputils waits after its last request, and prints both errors.
    Scenario two = with_terminal(linux_base, "laptop", {{Duration::seconds(1), "ping -c 2 192.168.1.99"}});
    std::string ttext = transcript(two);
    CHECK(ttext.find("| From 192.168.1.10 icmp_seq=1 Destination Host Unreachable") != std::string::npos);
    CHECK(ttext.find("| From 192.168.1.10 icmp_seq=2 Destination Host Unreachable") != std::string::npos);
    CHECK(ttext.find("2 packets transmitted, 0 received, +2 errors, 100% packet loss") != std::string::npos);
}

// The `arp` step prints what the terminal's `arp -a` prints at the same moment: one function.
TEST_CASE("terminal: the arp step and arp -a print the same text") {
    for (const char* profile : {"textbook", "linux"}) {
        CAPTURE(std::string(profile));
        std::string text = std::string("netstep: 1\ntitle: arp\nprofile: ") + profile + R"(
networks:
  - { name: lan, subnet: 192.168.1.0/24, latency: 1ms, bandwidth: 100Mbps }
hosts:
  - { name: a, interfaces: [ { network: lan, ip: 192.168.1.10 } ] }
  - { name: b, interfaces: [ { network: lan, ip: 192.168.1.20 } ] }
programs:
  - host: a
    name: prober
    steps:
      - ping: { to: b, count: 1 }
      - sleep: 1s
      - arp
      - arp: {}
  - host: a
    name: terminal
    steps:
      - type: { at: 1.5s, line: "arp -a" }
)";
        Scenario s = load_scenario_text(text, "t.yaml");
        CHECK(s.programs[0].steps[2].verb() == "arp");
        CHECK(s.programs[0].steps[3].verb() == "arp");
        // The Outputs that are an ARP cache (arp.exe's or net-tools' -a), separated by '\x1f'.
        std::string joined = in_child([&] {
            Trace t = run_scenario(s);
            std::string out;
            for (const TraceEvent& e : t.events) {
                if (e.kind != EventKind::Output) continue;
                const std::string& o = t.str(e.text);
                if (o.starts_with("\nInterface: ") || o.starts_with("? (")) out += o + "\x1f";
            }
            return out;
        });
        std::vector<std::string> arp;
        for (size_t at = 0, next; (next = joined.find('\x1f', at)) != std::string::npos; at = next + 1)
            arp.push_back(joined.substr(at, next - at));
        REQUIRE(arp.size() == 3);
        CHECK(arp[0] == arp[1]);
        CHECK(arp[0] == arp[2]);
        CHECK(arp[0].find(std::string(profile) == "linux" ? "? (192.168.1.20) at " : "Interface: 192.168.1.10 --- 0xb") !=
              std::string::npos);
    }
}

}  // namespace netstep::sim
