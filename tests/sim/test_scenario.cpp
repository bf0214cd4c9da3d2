// Scenario files: loading the examples of SCENARIO_FORMAT.md, and the exact message (file, line,
// column, what was expected, what was found) for each class of bad input.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model/packet.hpp"
#include "sim/output.hpp"
#include "sim/scenario.hpp"
#include "sim/scenario_yaml.hpp"

using namespace netstep;
using namespace netstep::sim;

namespace {

std::string data_file(const std::string& name) {
    return std::string(NETSTEP_SOURCE_DIR) + "/tests/data/scenarios/" + name;
}

// The message a scenario text fails with, or "" when it loads.
std::string error_of(const std::string& text, const Limits& limits = {}) {
    try {
        load_scenario_text(text, "t.yaml", limits);
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "";
}

template <class T>
const T& body(const Step& step) {
    REQUIRE(std::holds_alternative<T>(step.body));
    return std::get<T>(step.body);
}

// Twelve lines; a step appended to it is on line 13 (column 9 for its verb).
const char* const kBase =
    "netstep: 1\n"
    "title: t\n"
    "networks:\n"
    "  - { name: lan, subnet: 192.168.1.0/24, latency: 2ms, bandwidth: 100Mbps }\n"
    "hosts:\n"
    "  - { name: laptop, interfaces: [ { network: lan, ip: 192.168.1.10 } ] }\n"
    "  - { name: web, interfaces: [ { network: lan, ip: 192.168.1.20 } ] }\n"
    "programs:\n"
    "  - host: laptop\n"
    "    name: p\n"
    "    steps:\n"
    "      - socket: { as: s, type: tcp }\n";

// Four lines: the top of a file with one network; hosts and programs follow from line 5.
const char* const kTop =
    "netstep: 1\n"
    "title: t\n"
    "networks:\n"
    "  - { name: lan, subnet: 192.168.1.0/24, latency: 2ms, bandwidth: 100Mbps }\n";

const char* const kWebHost = "hosts:\n  - { name: web, interfaces: [ { network: lan, ip: 192.168.1.20 } ] }\n";

struct BadCase {
    const char* what;
    std::string text;
    std::string message;
};

void check_cases(const std::vector<BadCase>& cases) {
    for (const BadCase& c : cases) {
        INFO(std::string(c.what));
        CHECK(error_of(c.text) == c.message);
    }
}

}  // namespace

TEST_CASE("scenario: the complete example of SCENARIO_FORMAT.md loads with its values") {
    Scenario s = load_scenario_file(data_file("format_example.yaml"));
    CHECK(s.version == 1);
    CHECK(s.title == "A browser fetches a page");
    CHECK(s.description ==
          "The browser asks its OS for a TCP socket and connects to port 80 on the web server.\n");
    CHECK(s.profile == Profile::Kind::Textbook);
    CHECK(s.seed == 1);

    REQUIRE(s.networks.size() == 1);
    const Network& lan = s.networks[0];
    CHECK(lan.name == "lan");
    CHECK(lan.subnet == *Ipv4Prefix::parse("192.168.1.0/24"));
    CHECK(lan.latency == Duration::millis(2));
    CHECK(lan.bandwidth_bps == 100'000'000);
    CHECK(lan.loss == 0.0);
    CHECK(lan.where.line == 9);
    CHECK(s.find_network("lan") == &lan);
    CHECK(s.find_network("wan") == nullptr);

    REQUIRE(s.hosts.size() == 2);
    const Host* laptop = s.find_host("laptop");
    REQUIRE(laptop != nullptr);
    REQUIRE(laptop->interfaces.size() == 1);
    CHECK(laptop->interfaces[0].adapter == "Wireless LAN adapter Wi-Fi");
    CHECK(laptop->interfaces[0].network == "lan");
    CHECK(laptop->interfaces[0].ip == Ipv4Address::from_octets(192, 168, 1, 10));
    CHECK(laptop->interfaces[0].gateway == Ipv4Address::from_octets(192, 168, 1, 1));
    CHECK_FALSE(laptop->forwarding);
    const Host* web = s.find_host("web");
    REQUIRE(web != nullptr);
    CHECK_FALSE(web->interfaces[0].gateway.has_value());
    CHECK(s.find_host("nobody") == nullptr);

    REQUIRE(s.programs.size() == 2);
    const Program& httpd = s.programs[0];
    CHECK(httpd.host == "web");
    CHECK(httpd.name == "httpd");
    REQUIRE(httpd.steps.size() == 7);
    CHECK(body<step::Socket>(httpd.steps[0]).as == "listener");
    CHECK(body<step::Socket>(httpd.steps[0]).type == SocketKind::Tcp);
    CHECK(body<step::Bind>(httpd.steps[1]).port == 80);
    CHECK_FALSE(body<step::Bind>(httpd.steps[1]).ip.has_value());
    CHECK(body<step::Listen>(httpd.steps[2]).backlog == 8);
    CHECK(body<step::Accept>(httpd.steps[3]).socket == "listener");
    CHECK(body<step::Accept>(httpd.steps[3]).as == "conn");
    CHECK_FALSE(body<step::Recv>(httpd.steps[4]).bytes.has_value());
    CHECK(body<step::Send>(httpd.steps[5]).payload.data == "HTTP/1.0 200 OK\r\n\r\nhello");
    CHECK(body<step::Close>(httpd.steps[6]).socket == "conn");
    CHECK_FALSE(httpd.steps[6].expect.has_value());
    CHECK(httpd.steps[0].where.to_string() == data_file("format_example.yaml") + ":27:9");

    const Program& browser = s.programs[1];
    REQUIRE(browser.steps.size() == 7);
    CHECK(body<step::Sleep>(browser.steps[0]).duration == Duration::millis(10));
    CHECK(body<step::Say>(browser.steps[1]).text ==
          "The browser asks the OS for a socket; the OS picks a free ephemeral port.");
    const Target& to = body<step::Connect>(browser.steps[3]).to;
    CHECK(to.host == "web");
    CHECK(to.port == 80);
    CHECK_FALSE(to.address.has_value());
    CHECK(to.text == "web:80");
    CHECK(body<step::Send>(browser.steps[4]).payload.size() == 18);
    CHECK(browser.steps[3].verb() == "connect");
    CHECK(s.faults.empty());
}

TEST_CASE("scenario: the many-clients server loads, with options and defaults") {
    Scenario s = load_scenario_file(data_file("many_clients.yaml"));
    CHECK(s.profile == Profile::Kind::Linux);
    CHECK(s.seed == 7);
    CHECK(s.networks[0].latency == Duration::micros(1500));
    CHECK(s.networks[0].bandwidth_bps == 1'000'000'000);
    CHECK(s.networks[0].loss == doctest::Approx(0.1));
    CHECK(s.hosts[0].interfaces[0].adapter == "eth0");

    Profile p = s.make_profile();
    CHECK(p.kind == Profile::Kind::Linux);
    CHECK(p.msl == Duration::seconds(1));
    CHECK(p.isn_zero);
    CHECK(p.mss == 536);
    CHECK(p.rto_initial == Duration::millis(200));

    const Program& echo = s.programs[0];
    REQUIRE(echo.steps.size() == 4);
    const auto& loop = body<step::Repeat>(echo.steps[3]);
    CHECK_FALSE(loop.times.has_value());  // forever
    REQUIRE(loop.steps->size() == 2);
    const auto& fork = body<step::Fork>((*loop.steps)[1]);
    REQUIRE(fork.steps->size() == 2);
    CHECK(body<step::Recv>((*fork.steps)[0]).bytes == size_t(1000));
    CHECK((*fork.steps)[1].verb() == "close");

    const Program& client = s.programs[1];
    CHECK(client.name == "client-1");
    REQUIRE(client.steps.size() == 3);
    const auto& three = body<step::Repeat>(client.steps[0]);
    CHECK(three.times == uint64_t(3));
    const Target& to = body<step::Connect>((*three.steps)[1]).to;
    CHECK(to.address == Ipv4Address::from_octets(10, 0, 0, 1));
    CHECK(to.host.empty());
    CHECK(to.port == 7);
    CHECK(body<step::Send>((*three.steps)[2]).payload.size() == 1000);
    CHECK(body<step::ExpectState>((*three.steps)[4]).state == TcpState::FinWait1);
    CHECK(client.steps[1].verb() == "ipconfig");
    CHECK(client.steps[2].verb() == "netstat");
}

TEST_CASE("scenario: the faults example loads, with UDP peers and escapes") {
    Scenario s = load_scenario_file(data_file("faults.yaml"));
    REQUIRE(s.faults.size() == 5);
    const auto& drop = std::get<fault::Drop>(s.faults[0].body).match;
    CHECK(drop.from == "web");
    CHECK(drop.to == "laptop");
    CHECK(drop.flags == uint8_t(tcp_flag::SYN | tcp_flag::ACK));
    CHECK(drop.proto == std::string("tcp"));
    CHECK(drop.nth == 1);
    const auto& udp = std::get<fault::Drop>(s.faults[1].body).match;
    CHECK(udp.from == "web");
    CHECK(udp.to.empty());
    CHECK(udp.proto == std::string("udp"));
    CHECK_FALSE(udp.flags.has_value());
    CHECK(udp.nth == 1);
    const auto& delay = std::get<fault::Delay>(s.faults[2].body);
    CHECK(delay.by == Duration::millis(300));
    CHECK(delay.match.nth == 3);
    CHECK(std::get<fault::Duplicate>(s.faults[3].body).match.nth == 4);
    const auto& down = std::get<fault::LinkDown>(s.faults[4].body);
    CHECK(down.network == "lan");
    CHECK(down.from == Duration::seconds(1));
    CHECK(down.to == Duration::seconds(3));
    CHECK(s.faults[4].where.line == 51);

    const Program& server = s.programs[0];
    CHECK(body<step::SetSockOpt>(server.steps[1]).reuseaddr == true);
    CHECK(body<step::Bind>(server.steps[2]).ip == Ipv4Address::from_octets(192, 168, 1, 20));
    const auto& recvfrom = body<step::RecvFrom>(server.steps[3]);
    CHECK(recvfrom.timeout == Duration::seconds(5));
    CHECK(recvfrom.peer_as == "client");
    const auto& reply = body<step::SendTo>(server.steps[4]);
    CHECK(reply.to.peer == "client");
    CHECK(reply.payload.data == std::string("\xFF\x00\\ok", 5));

    const Program& client = s.programs[1];
    CHECK(body<step::SendTo>(client.steps[1]).payload.data == "tab\there");
    REQUIRE(client.steps[2].expect.has_value());
    CHECK(client.steps[2].expect->any_of == std::vector<std::optional<Err>>{Err::Again});
    REQUIRE(client.steps[3].expect.has_value());
    CHECK(client.steps[3].expect->any_of == std::vector<std::optional<Err>>{std::nullopt});  // ok
    CHECK(body<step::Shutdown>(client.steps[4]).how == step::Shutdown::How::Both);
    CHECK(body<step::SetSockOpt>(client.steps[5]).linger == 0);
}

TEST_CASE("scenario: socket names belong to their program, forks inherit, repeat rebinds") {
    std::string base = kBase;
    // A fork sees the parent's names; names made in a repeat are there after it.
    CHECK(error_of(base +
                   "      - repeat: { times: 2, steps: [ { accept: { socket: s, as: c } } ] }\n"
                   "      - fork: { steps: [ { close: { socket: c } }, { socket: { as: mine, type: udp } } ] }\n"
                   "      - close: { socket: c }\n") == "");
    // A name made in the child is not the parent's.
    CHECK(error_of(base +
                   "      - fork: { steps: [ { socket: { as: mine, type: udp } } ] }\n"
                   "      - close: { socket: mine }\n") ==
          "t.yaml:14:26: no socket named 'mine' in program 'p' (name one with 'as:' in an earlier step)");
    // Another program's name is not this one's.
    CHECK(error_of(base +
                   "  - host: web\n"
                   "    steps:\n"
                   "      - close: { socket: s }\n") ==
          "t.yaml:15:26: no socket named 's' in program 'web-1' (name one with 'as:' in an earlier step)");
    // Used before it is made.
    CHECK(error_of(base + "      - repeat: { times: 2, steps: [ { close: { socket: c } }, { accept: { socket: s, as: c } } ] }\n") ==
          "t.yaml:13:57: no socket named 'c' in program 'p' (name one with 'as:' in an earlier step)");
}

TEST_CASE("scenario: durations, bandwidths, loss and names as text") {
    using namespace netstep::sim::detail;
    CHECK(parse_duration("10ms") == Duration::millis(10));
    CHECK(parse_duration("1.5ms") == Duration::micros(1500));
    CHECK(parse_duration("250us") == Duration::micros(250));
    CHECK(parse_duration("7ns") == Duration::nanos(7));
    CHECK(parse_duration("0.25s") == Duration::millis(250));
    CHECK_FALSE(parse_duration("1.5ns"));  // not a whole number of nanoseconds
    CHECK_FALSE(parse_duration("10"));
    CHECK_FALSE(parse_duration("10 ms"));
    CHECK_FALSE(parse_duration("1.ms"));
    CHECK_FALSE(parse_duration("-1ms"));
    CHECK_FALSE(parse_duration("99999999999999999999s"));
    CHECK(parse_bandwidth("100Mbps") == 100'000'000u);
    CHECK(parse_bandwidth("1.5kbps") == 1500u);
    CHECK(parse_bandwidth("56000bps") == 56000u);
    CHECK_FALSE(parse_bandwidth("10MBps"));
    CHECK(parse_loss("10%") == doctest::Approx(0.1));
    CHECK(parse_loss("0.5%") == doctest::Approx(0.005));
    CHECK_FALSE(parse_loss("0.25"));  // a bare number is ambiguous: a percentage is required
    CHECK_FALSE(parse_loss("10"));
    CHECK_FALSE(parse_loss("ten%"));
    CHECK(is_name("web-1.lan_b"));
    CHECK_FALSE(is_name("1web"));
    CHECK_FALSE(is_name("web:80"));
    CHECK(did_you_mean("conect", {"close", "connect"}) == "; did you mean 'connect'?");
    CHECK(did_you_mean("c", {"s"}) == "");
}

TEST_CASE("scenario: data escapes in double, single and no quotes, folded lines") {
    auto data_of = [](const std::string& value) {
        Scenario s = load_scenario_text(std::string(kBase) + "      - send: { socket: s, data: " + value + " }\n", "t.yaml");
        return std::get<step::Send>(s.programs[0].steps[1].body).payload.data;
    };
    CHECK(data_of(R"("a\r\n\t\\\"\x41\xe9")") == "a\r\n\t\\\"A\xe9");
    CHECK(data_of(R"('it''s\x21\n')") == "it's!\n");
    CHECK(data_of(R"(plain\x21)") == "plain!");
    CHECK(data_of("\"one\n        two\"") == "one two");
    CHECK(data_of("\"one\\\n        two\"") == "onetwo");
    CHECK(data_of("\"\"") == "");
}

TEST_CASE("scenario: errors in steps name line and column") {
    std::string b = kBase;
    check_cases({
        {"typo'd step", b + "      - conect: { socket: s, to: \"web:80\" }\n",
         "t.yaml:13:9: 'conect' is not a step; did you mean 'connect'?"},
        {"unknown step", b + "      - frobnicate: {}\n",
         "t.yaml:13:9: 'frobnicate' is not a step (steps: socket, setsockopt, bind, listen, accept, connect, send, "
         "recv, sendto, recvfrom, shutdown, close, sleep, say, ipconfig, netstat, arp, mac_table, expect_state, repeat, fork, exit, ping, traceroute, type, ask)"},
        {"type: a line and a key", b + "      - type: { at: 1s, line: ipconfig, key: ctrl-c }\n",
         "t.yaml:13:46: type: give 'line' or 'key', not both"},
        {"type: an unknown key", b + "      - type: { key: ctrl-z }\n", "t.yaml:13:22: expected the key ctrl-c or ctrl-d, got 'ctrl-z'"},
        {"type: nothing typed", b + "      - type: { at: 1s }\n", "t.yaml:13:15: type: give 'line: TEXT' or 'key: ctrl-c | ctrl-d'"},
        {"type: a line too long", b + "      - type: \"" + std::string(5000, 'x') + "\"\n",
         "t.yaml:13:15: a line of 5000 characters: a terminal line holds at most 4095 (N_TTY_BUF_SIZE)"},
        {"type: two lines", b + "      - type: \"ping web\\nipconfig\"\n", "t.yaml:13:15: one line per 'type' step, without a line break"},
        {"unknown key in a step", b + "      - connect: { socket: s, too: \"web:80\" }\n",
         "t.yaml:13:31: 'too' is not a key of connect; did you mean 'to'?"},
        {"unknown socket", b + "      - connect: { socket: sock, to: \"web:80\" }\n",
         "t.yaml:13:28: no socket named 'sock' in program 'p' (name one with 'as:' in an earlier step)"},
        {"unknown host in to", b + "      - connect: { socket: s, to: \"webb:80\" }\n",
         "t.yaml:13:35: unknown host 'webb' in 'webb:80'; did you mean 'web'?"},
        {"port 0 in to", b + "      - connect: { socket: s, to: \"web:0\" }\n",
         "t.yaml:13:35: expected a port from 1 to 65535 after ':', got 'web:0'"},
        {"to without port", b + "      - connect: { socket: s, to: web }\n",
         "t.yaml:13:35: 'web' needs a port, as in 'web:80'"},
        {"to with a bad address", b + "      - connect: { socket: s, to: \"300.1.1.1:80\" }\n",
         "t.yaml:13:35: expected an IPv4 address like 192.168.1.20 before ':', got '300.1.1.1:80'"},
        {"to naming nothing", b + "      - sendto: { socket: s, to: peer, data: x }\n",
         "t.yaml:13:34: expected 'host:port', 'ip:port' or a name from recvfrom's peer_as, got 'peer'"},
        {"duration with a space", b + "      - sleep: 10 ms\n",
         "t.yaml:13:16: expected a duration like 10ms, got '10 ms'"},
        {"duration without unit", b + "      - sleep: 10\n",
         "t.yaml:13:16: expected a duration like 10ms, got '10': add a unit (ns us ms s)"},
        {"negative duration", b + "      - sleep: -5ms\n",
         "t.yaml:13:16: expected a duration like 10ms, got '-5ms': a duration cannot be negative"},
        {"duration in words", b + "      - sleep: ten\n", "t.yaml:13:16: expected a duration like 10ms, got 'ten'"},
        {"zero timeout", b + "      - recv: { socket: s, timeout: 0s }\n",
         "t.yaml:13:37: expected a duration greater than zero, got '0s'"},
        {"bad escape in double quotes", b + "      - send: { socket: s, data: \"ab\\qc\" }\n",
         "t.yaml:13:37: bad escape '\\q' in a quoted string; use \\r \\n \\t \\\\ \\\" or \\xNN"},
        {"bad hex escape", b + "      - send: { socket: s, data: \"ab\\xZZc\" }\n",
         "t.yaml:13:37: bad escape '\\xZZ' in a quoted string; use \\r \\n \\t \\\\ \\\" or \\xNN"},
        {"YAML escape that C lacks", b + "      - send: { socket: s, data: \"ab\\ac\" }\n",
         "t.yaml:13:37: bad escape '\\a' in data; use \\r \\n \\t \\\\ \\\" or \\xNN"},
        {"bad escape in single quotes", b + "      - send: { socket: s, data: 'x\\q' }\n",
         "t.yaml:13:36: bad escape '\\q' in data; use \\r \\n \\t \\\\ \\\" or \\xNN"},
        {"data and bytes", b + "      - send: { socket: s, data: x, bytes: 3 }\n",
         "t.yaml:13:44: send: give 'data' or 'bytes', not both"},
        {"neither data nor bytes", b + "      - send: { socket: s }\n",
         "t.yaml:13:15: send: 'data' or 'bytes' is required"},
        {"errno typo", b + "      - close: { socket: s, expect: ECONNREFUSE }\n",
         "t.yaml:13:37: 'ECONNREFUSE' is not an errno netstep knows; did you mean 'ECONNREFUSED'?"},
        {"unknown errno", b + "      - close: { socket: s, expect: EFOO }\n",
         "t.yaml:13:37: expected ok or an errno name like ECONNREFUSED, got 'EFOO'"},
        {"errno typo in an expect list", b + "      - close: { socket: s, expect: [ok, ECONNREFUSE] }\n",
         "t.yaml:13:42: 'ECONNREFUSE' is not an errno netstep knows; did you mean 'ECONNREFUSED'?"},
        {"empty expect list", b + "      - close: { socket: s, expect: [] }\n",
         "t.yaml:13:37: expect: the list is empty; write ok, an errno, or a list like [ok, EAGAIN]"},
        {"outcome listed twice", b + "      - close: { socket: s, expect: [EAGAIN, ok, EAGAIN] }\n",
         "t.yaml:13:50: expect: EAGAIN is listed twice"},
        {"unknown state", b + "      - expect_state: { socket: s, state: TIME-WAT }\n",
         "t.yaml:13:43: 'TIME-WAT' is not a TCP state; did you mean 'TIME-WAIT'?"},
        {"expect outside the arguments", b + "      - close: { socket: s }\n        expect: ECONNREFUSED\n",
         "t.yaml:13:9: a step has one verb, found 'close', 'expect'; write expect inside the arguments: "
         "close: { ..., expect: ... }"},
        {"repeat zero times", b + "      - repeat: { times: 0, steps: [ { close: { socket: s } } ] }\n",
         "t.yaml:13:26: expected a number of times (1 or more) or forever, got '0'"},
        {"empty fork", b + "      - fork: { steps: [] }\n", "t.yaml:13:24: fork: 'steps' is empty"},
        {"bad shutdown", b + "      - shutdown: { socket: s, how: wirte }\n",
         "t.yaml:13:37: expected write, read or both, got 'wirte'; did you mean 'write'?"},
        {"missing type", b + "      - socket: { as: u }\n", "t.yaml:13:17: socket: 'type' is required"},
        {"step without its arguments", b + "      - close\n",
         "t.yaml:13:9: expected a mapping for close (socket, expect), got nothing"},
        {"arguments where none are taken", b + "      - ipconfig: { x: 1 }\n",
         "t.yaml:13:19: 'ipconfig' takes no arguments, got a mapping"},
        {"port out of range", b + "      - bind: { socket: s, port: 70000 }\n",
         "t.yaml:13:34: expected a port from 0 to 65535, got '70000'"},
        {"bad name", b + "      - socket: { as: 2x, type: tcp }\n",
         "t.yaml:13:23: expected a name (letters, digits, '-', '_' or '.', starting with a letter), got '2x'"},
        {"say with nothing", b + "      - say:\n", "t.yaml:13:9: expected a caption, got nothing"},
        {"expect on a step without errors", b + "      - expect_state: { socket: s, state: CLOSED, expect: ok }\n",
         "t.yaml:13:51: 'expect' is not a key of expect_state (expected socket, state)"},
        {"setsockopt with nothing to set", b + "      - setsockopt: { socket: s }\n",
         "t.yaml:13:21: setsockopt: give reuseaddr, linger, rcvbuf or sndbuf"},
        {"a zero receive buffer", b + "      - setsockopt: { socket: s, rcvbuf: 0 }\n",
         "t.yaml:13:42: expected a buffer size in bytes from 1 to 1073741824, got '0'"},
        {"not a boolean", b + "      - setsockopt: { socket: s, reuseaddr: yes }\n",
         "t.yaml:13:45: expected true or false, got 'yes'"},
    });
}

TEST_CASE("scenario: exit, bare or with a code, anywhere in the steps") {
    Scenario s = load_scenario_text(std::string(kBase) +
                                        "      - exit\n"
                                        "      - exit: {}\n"
                                        "      - exit: { code: 3 }\n"
                                        "      - repeat: { times: 2, steps: [ exit ] }\n"
                                        "      - fork: { steps: [ { exit: { code: 0 } } ] }\n",
                                    "t.yaml");
    const Steps& steps = s.programs[0].steps;
    REQUIRE(steps.size() == 6);
    CHECK(steps[1].verb() == "exit");
    CHECK(steps[1].where.to_string() == "t.yaml:13:9");
    CHECK_FALSE(body<step::Exit>(steps[1]).code.has_value());
    CHECK_FALSE(body<step::Exit>(steps[2]).code.has_value());
    CHECK(body<step::Exit>(steps[3]).code == 3);
    CHECK((*body<step::Repeat>(steps[4]).steps)[0].verb() == "exit");
    CHECK(body<step::Exit>((*body<step::Fork>(steps[5]).steps)[0]).code == 0);
    CHECK_FALSE(steps[1].expect.has_value());

    std::string b = kBase;
    check_cases({
        {"exit misspelt", b + "      - exti\n", "t.yaml:13:9: 'exti' is not a step; did you mean 'exit'?"},
        {"a misspelt key", b + "      - exit: { cod: 1 }\n", "t.yaml:13:17: 'cod' is not a key of exit; did you mean 'code'?"},
        {"an unknown key", b + "      - exit: { signal: 9 }\n",
         "t.yaml:13:17: 'signal' is not a key of exit (expected code)"},
        {"expect on exit", b + "      - exit: { expect: ok }\n",
         "t.yaml:13:17: 'expect' is not a key of exit (expected code)"},
        {"a code out of range", b + "      - exit: { code: 256 }\n",
         "t.yaml:13:23: expected an exit status from 0 to 255, got '256'"},
        {"a negative code", b + "      - exit: { code: -1 }\n",
         "t.yaml:13:23: expected an exit status from 0 to 255, got '-1'"},
        {"a code with no key", b + "      - exit: 3\n", "t.yaml:13:15: expected a mapping for exit (code), got '3'"},
    });
}

TEST_CASE("scenario: errors in networks, hosts and programs name line and column") {
    std::string top = kTop;
    std::string web = kWebHost;
    check_cases({
        {"unknown key in an interface",
         top + "hosts:\n  - name: web\n    interfaces:\n      - { network: lan, ipp: 192.168.1.20 }\nprograms: []\n",
         "t.yaml:8:25: 'ipp' is not a key of an interface; did you mean 'ip'?"},
        {"IP outside its subnet",
         top + "hosts:\n  - { name: web, interfaces: [ { network: lan, ip: 192.168.2.20 } ] }\nprograms: []\n",
         "t.yaml:6:52: 192.168.2.20 is outside network 'lan' (192.168.1.0/24)"},
        {"network address as a host's",
         top + "hosts:\n  - { name: web, interfaces: [ { network: lan, ip: 192.168.1.0 } ] }\nprograms: []\n",
         "t.yaml:6:52: 192.168.1.0 is the network address of network 'lan' (192.168.1.0/24)"},
        {"missing interfaces", top + "hosts:\n  - name: web\nprograms: []\n",
         "t.yaml:6:5: host 'web': 'interfaces' is required"},
        {"duplicate host name", top + web + "  - { name: web, interfaces: [ { network: lan, ip: 192.168.1.21 } ] }\nprograms: []\n",
         "t.yaml:7:13: duplicate host name 'web' (first defined at line 6)"},
        {"duplicate IP", top + web + "  - { name: db, interfaces: [ { network: lan, ip: 192.168.1.20 } ] }\nprograms: []\n",
         "t.yaml:7:51: 192.168.1.20 is already the address of host 'web' (line 6)"},
        {"gateway off the network",
         top + "hosts:\n  - { name: web, interfaces: [ { network: lan, ip: 192.168.1.20, gateway: 10.0.0.1 } ] }\n"
               "programs: []\n",
         "t.yaml:6:75: gateway 10.0.0.1 is not on network 'lan' (192.168.1.0/24)"},
        {"unknown network",
         top + "hosts:\n  - { name: web, interfaces: [ { network: lam, ip: 192.168.1.20 } ] }\nprograms: []\n",
         "t.yaml:6:43: unknown network 'lam'; did you mean 'lan'?"},
        {"bad bandwidth",
         "netstep: 1\ntitle: t\nnetworks:\n  - { name: lan, subnet: 10.0.0.0/8, latency: 2ms, bandwidth: 100 Mbit }\n"
         "hosts: []\nprograms: []\n",
         "t.yaml:4:63: expected a bandwidth like 100Mbps, got '100 Mbit'"},
        {"missing latency",
         "netstep: 1\ntitle: t\nnetworks:\n  - { name: lan, subnet: 10.0.0.0/8, bandwidth: 100Mbps }\nhosts: []\nprograms: []\n",
         "t.yaml:4:5: network 'lan': 'latency' is required"},
        {"subnet with host bits",
         "netstep: 1\ntitle: t\nnetworks:\n  - { name: lan, subnet: 192.168.1.5/24, latency: 2ms, bandwidth: 1Gbps }\n"
         "hosts: []\nprograms: []\n",
         "t.yaml:4:26: subnet 192.168.1.5/24 has host bits set; did you mean 192.168.1.0/24?"},
        {"loss above 100%",
         "netstep: 1\ntitle: t\nnetworks:\n  - { name: lan, subnet: 10.0.0.0/8, latency: 2ms, bandwidth: 1Gbps, loss: 150% }\n"
         "hosts: []\nprograms: []\n",
         "t.yaml:4:76: expected a loss from 0% to 100%, got '150%'"},
        {"loss as a bare number",
         "netstep: 1\ntitle: t\nnetworks:\n  - { name: lan, subnet: 10.0.0.0/8, latency: 2ms, bandwidth: 1Gbps, loss: 10 }\n"
         "hosts: []\nprograms: []\n",
         "t.yaml:4:76: expected a loss as a percentage like 10%, got '10': write the loss as a percentage: 10%"},
        {"loss as a fraction",
         "netstep: 1\ntitle: t\nnetworks:\n  - { name: lan, subnet: 10.0.0.0/8, latency: 2ms, bandwidth: 1Gbps, loss: 0.1 }\n"
         "hosts: []\nprograms: []\n",
         "t.yaml:4:76: expected a loss as a percentage like 10%, got '0.1': write the loss as a percentage: 10% (0.1 as a "
         "fraction) or 0.1%"},
        {"loss as a word",
         "netstep: 1\ntitle: t\nnetworks:\n  - { name: lan, subnet: 10.0.0.0/8, latency: 2ms, bandwidth: 1Gbps, loss: some }\n"
         "hosts: []\nprograms: []\n",
         "t.yaml:4:76: expected a loss as a percentage like 10%, got 'some'"},
        {"duplicate network", top + "  - { name: lan, subnet: 10.0.0.0/8, latency: 2ms, bandwidth: 1Gbps }\nhosts: []\nprograms: []\n",
         "t.yaml:5:13: duplicate network name 'lan' (first defined at line 4)"},
        {"unknown host of a program", top + web + "programs:\n  - host: webb\n    steps: []\n",
         "t.yaml:8:11: unknown host 'webb'; did you mean 'web'?"},
        {"duplicate program name",
         top + web + "programs:\n  - { host: web, name: a, steps: [] }\n  - { host: web, name: a, steps: [] }\n",
         "t.yaml:9:24: duplicate program name 'a' on host 'web' (first defined at line 8)"},
        {"a default program name already taken",
         top + web + "programs:\n  - { host: web, name: web-2, steps: [] }\n  - { host: web, steps: [] }\n",
         "t.yaml:9:5: duplicate program name 'web-2' on host 'web' (first defined at line 8); give this program a name"},
        {"duplicate IP on the same host",
         top + "hosts:\n  - name: web\n    interfaces:\n      - { network: lan, ip: 192.168.1.20 }\n"
               "      - { network: lan, ip: 192.168.1.20 }\nprograms: []\n",
         "t.yaml:9:20: host 'web' already has an interface on network 'lan' (line 8)"},
        {"overlapping subnets",
         top + "  - { name: wan, subnet: 192.168.0.0/16, latency: 2ms, bandwidth: 1Gbps }\nhosts: []\nprograms: []\n",
         "t.yaml:5:26: subnet 192.168.0.0/16 overlaps network 'lan' (192.168.1.0/24)"},
        {"a subnet inside another",
         top + "  - { name: wan, subnet: 192.168.1.128/25, latency: 2ms, bandwidth: 1Gbps }\nhosts: []\nprograms: []\n",
         "t.yaml:5:26: subnet 192.168.1.128/25 overlaps network 'lan' (192.168.1.0/24)"},
        {"a subnet over several: the first in the file is named",
         top + "  - { name: b, subnet: 192.168.0.0/24, latency: 2ms, bandwidth: 1Gbps }\n"
               "  - { name: c, subnet: 192.168.2.0/24, latency: 2ms, bandwidth: 1Gbps }\n"
               "  - { name: all, subnet: 192.168.0.0/16, latency: 2ms, bandwidth: 1Gbps }\nhosts: []\nprograms: []\n",
         "t.yaml:7:26: subnet 192.168.0.0/16 overlaps network 'lan' (192.168.1.0/24)"},
        {"an address used by a host read earlier, not the first one",
         top + "hosts:\n  - { name: a, interfaces: [ { network: lan, ip: 192.168.1.1 } ] }\n"
               "  - { name: b, interfaces: [ { network: lan, ip: 192.168.1.2 } ] }\n"
               "  - { name: c, interfaces: [ { network: lan, ip: 192.168.1.2 } ] }\nprograms: []\n",
         "t.yaml:8:50: 192.168.1.2 is already the address of host 'b' (line 7)"},
    });
}

// A lab: networks and hosts, nothing running; typed commands will be its programs.
TEST_CASE("scenario: a scenario without programs is a lab") {
    Scenario s = load_scenario_text(std::string(kTop) + "hosts:\n  - { name: a, interfaces: [ { network: lan, ip: 192.168.1.1 } ] }\n", "t.yaml");
    CHECK(s.programs.empty());
    CHECK(s.hosts.size() == 1);
}

TEST_CASE("scenario: the linux profile's SYN sysctls as options") {
    Scenario d = load_scenario_text(std::string(kTop) + "hosts: []\nprofile: linux\n", "t.yaml");
    CHECK(d.make_profile().syn_retries == 6);
    CHECK(d.make_profile().syn_linear_timeouts == 4);
    Scenario s = load_scenario_text(std::string(kTop) + "hosts: []\nprofile: linux\noptions: { syn_retries: 2, syn_linear_timeouts: 0 }\n", "t.yaml");
    CHECK(s.make_profile().syn_retries == 2);
    CHECK(s.make_profile().syn_linear_timeouts == 0);
    // The kernel's clock: HZ=250, jiffies 0 at the start unless the file says where.
    CHECK(d.make_profile().clock.hz == 250);
    CHECK(d.make_profile().clock.jiffies_at_start == 0);
    Scenario j = load_scenario_text(std::string(kTop) + "hosts: []\nprofile: linux\noptions: { jiffies: 317 }\n", "t.yaml");
    CHECK(j.make_profile().clock.jiffies_at_start == 317);
    Scenario t = load_scenario_text(std::string(kTop) + "hosts: []\n", "t.yaml");
    CHECK(t.make_profile().clock.hz == 0);  // the textbook's timers fire at their deadline
}

TEST_CASE("scenario: errors at the top level name line and column") {
    std::string top = kTop;
    check_cases({
        {"version 2", "netstep: 2\ntitle: t\n", "t.yaml:1:10: unsupported format version 2: this netstep reads version 1"},
        {"no version", "title: t\n", "t.yaml:1:1: 'netstep' is required: the format version, as in 'netstep: 1'"},
        {"unknown top-level key", top + "hosts: []\nprograms: []\nprfile: linux\n",
         "t.yaml:7:1: 'prfile' is not a key of a scenario; did you mean 'profile'?"},
        {"unknown profile", top + "hosts: []\nprograms: []\nprofile: linx\n",
         "t.yaml:7:10: expected textbook or linux, got 'linx'; did you mean 'linux'?"},
        {"duplicate key", top + "hosts: []\nprograms: []\ntitle: again\n",
         "t.yaml:7:1: duplicate key 'title' (first written at line 2)"},
        {"missing hosts", top + "programs: []\n", "t.yaml:1:1: 'hosts' is required"},
        {"no programs: a lab", top + "hosts: []\n", ""},  // programs are optional (a lab to explore from a terminal)
        {"zero MSL", top + "hosts: []\nprograms: []\noptions: { msl: 0s }\n",
         "t.yaml:7:17: expected a duration greater than zero, got '0s'"},
        {"a Linux sysctl under textbook", top + "hosts: []\nprograms: []\noptions: { syn_linear_timeouts: 2 }\n",
         "t.yaml:7:33: syn_linear_timeouts is a setting of the Linux kernel (net.ipv4.tcp_syn_linear_timeouts): use it with 'profile: linux'"},
        {"jiffies under textbook", top + "hosts: []\nprograms: []\noptions: { jiffies: 5 }\n",
         "t.yaml:7:21: jiffies is the Linux kernel's clock (its timer wheel): use it with 'profile: linux'"},
        {"jiffies not a count", top + "hosts: []\nprograms: []\nprofile: linux\noptions: { jiffies: -1 }\n",
         "t.yaml:8:21: expected the kernel's jiffies at the start from 0 to 4611686018427387904, got '-1'"},
        {"syn_retries out of range", top + "hosts: []\nprograms: []\nprofile: linux\noptions: { syn_retries: 0 }\n",
         "t.yaml:8:25: expected a count from 1 to 127, got '0'"},
        {"not a mapping", "- a\n- b\n", "t.yaml:1:1: expected a scenario (a mapping that starts with 'netstep: 1'), got a list"},
        {"empty file", "", "t.yaml:1:1: the file is empty; a scenario starts with 'netstep: 1'"},
        {"YAML syntax error", top + "hosts: [\nprograms: []\n", "t.yaml:7:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence started at line 5, column 8)"},
        {"a tab in the indentation",
         "netstep: 1\ntitle: t\nnetworks:\n\t- { name: lan, subnet: 10.0.0.0/8, latency: 2ms, bandwidth: 1Gbps }\n",
         "t.yaml:4:1: invalid YAML: found character that cannot start any token: YAML does not allow tabs: indent with "
         "spaces"},
        {"a tab after spaces in the indentation",
         "netstep: 1\ntitle: t\nnetworks:\n  - name: lan\n  \tsubnet: 10.0.0.0/8\n",
         "t.yaml:5:3: invalid YAML: found a tab character that violates indentation (while scanning a plain scalar "
         "started at line 4, column 11): YAML does not allow tabs: indent with spaces"},
        {"': ' in an unquoted caption",
         top + "hosts: []\nprograms:\n  - host: a\n    steps:\n      - say: Act 1: the server\n",
         "t.yaml:9:19: invalid YAML: mapping values are not allowed in this context: a text containing ': ' must be "
         "quoted: say: \"Act 1: the server\""},
        {"': ' in an unquoted title", "netstep: 1\ntitle: Act 1: the server\n",
         "t.yaml:2:13: invalid YAML: mapping values are not allowed in this context: a text containing ': ' must be "
         "quoted: title: \"Act 1: the server\""},
        {"nesting beyond the YAML reader's limit (1000 levels)",
         "netstep: 1\nprograms: " + std::string(3000, '[') + std::string(3000, ']') + "\n",
         "t.yaml:2:1010: invalid YAML: nested too deeply"},
        {"two documents", top + "hosts: []\nprograms: []\n---\nnetstep: 1\n",
         "t.yaml:8:1: a scenario file holds one YAML document; found a second one"},
    });
}

TEST_CASE("scenario: errors in faults name line and column") {
    std::string head = std::string(kTop) + kWebHost +
                       "  - { name: pc, interfaces: [ { network: lan, ip: 192.168.1.21 } ] }\nprograms: []\nfaults:\n";
    check_cases({
        {"bad flags", head + "  - drop: { from: web, to: pc, flags: SYN+AKC }\n",
         "t.yaml:10:39: expected TCP flags like SYN+ACK, got 'SYN+AKC'"},
        {"nth zero", head + "  - drop: { from: web, nth: 0 }\n", "t.yaml:10:29: expected a packet count or 'all' of at least 1, got '0'"},
        {"typo'd fault", head + "  - dorp: { from: web }\n", "t.yaml:10:5: 'dorp' is not a fault; did you mean 'drop'?"},
        {"link up before down", head + "  - link_down: { network: lan, from: 3s, to: 1s }\n",
         "t.yaml:10:46: link_down: 'to' (1s) must be after 'from' (3s)"},
        {"unknown host", head + "  - drop: { from: web, to: pcc }\n", "t.yaml:10:28: unknown host 'pcc'; did you mean 'pc'?"},
        {"flags on UDP", head + "  - drop: { proto: udp, flags: SYN }\n",
         "t.yaml:10:32: flags select TCP segments, but proto is 'udp'"},
        {"unknown protocol", head + "  - drop: { proto: tpc }\n",
         "t.yaml:10:20: expected tcp, udp, icmp or arp, got 'tpc'; did you mean 'tcp'?"},
        {"unknown network", head + "  - link_down: { network: wan, from: 1s, to: 2s }\n",
         "t.yaml:10:27: unknown network 'wan'; did you mean 'lan'?"},
        {"delay without by", head + "  - delay: { from: web }\n", "t.yaml:10:12: delay: 'by' is required"},
    });
}

TEST_CASE("scenario: limits are errors that name the limit") {
    std::string base = kBase;
    Limits few;
    few.max_hosts = 1;
    CHECK(error_of(base, few) == "t.yaml:7:5: too many hosts: the limit is 1 (Limits::max_hosts)");
    Limits short_programs;
    short_programs.max_steps = 2;
    CHECK(error_of(base + "      - close: { socket: s }\n      - close: { socket: s }\n", short_programs) ==
          "t.yaml:14:9: too many steps: the limit is 2 (Limits::max_steps)");
    Limits small_file;
    small_file.max_file_bytes = 100;
    CHECK(error_of(base, small_file) == "t.yaml: the file is larger than the limit of 100 bytes (Limits::max_file_bytes)");
    CHECK(error_of(base + "      - repeat: { times: 2000000, steps: [ { close: { socket: s } } ] }\n") ==
          "t.yaml:13:26: repeat 2000000 times exceeds the limit of 1000000 (Limits::max_repeat)");
    CHECK(error_of(base + "      - send: { socket: s, bytes: 100000000 }\n") ==
          "t.yaml:13:35: bytes: 100000000 exceeds the limit of 67108864 (Limits::max_send_bytes)");
    CHECK(error_of(base + "      - sleep: 100000s\n") ==
          "t.yaml:13:16: duration '100000s' is longer than the limit of 86400s (Limits::max_sim_time)");
    Limits few_networks;
    few_networks.max_networks = 1;
    CHECK(error_of(std::string(kTop) + "  - { name: wan, subnet: 10.0.0.0/8, latency: 2ms, bandwidth: 1Gbps }\n"
                                       "hosts: []\nprograms: []\n",
                   few_networks) == "t.yaml:5:5: too many networks: the limit is 1 (Limits::max_networks)");
    Limits one_interface;
    one_interface.max_interfaces_per_host = 1;
    CHECK(error_of(std::string(kTop) + "  - { name: wan, subnet: 10.0.0.0/8, latency: 2ms, bandwidth: 1Gbps }\n"
                                       "hosts:\n  - { name: r, interfaces: [ { network: lan, ip: 192.168.1.1 }, "
                                       "{ network: wan, ip: 10.0.0.1 } ] }\nprograms: []\n",
                   one_interface) ==
          "t.yaml:7:65: too many interfaces: the limit is 1 (Limits::max_interfaces_per_host)");
    Limits shallow;
    shallow.max_depth = 1;
    CHECK(error_of(base + "      - fork: { steps: [ { fork: { steps: [ { close: { socket: s } } ] } } ] }\n", shallow) ==
          "t.yaml:13:34: repeat and fork nested too deeply: the limit is 1 (Limits::max_depth)");
}

// The default limits admit a busy server with 10,000 clients, each on its own network to one
// router (bench/gen_star.py's topology); one more network or interface is an error naming the limit.
TEST_CASE("scenario: the default limits admit a router with 10,001 interfaces") {
    const size_t n = 10'000;
    std::string text = "netstep: 1\ntitle: star\nnetworks:\n";
    auto subnet = [](size_t i) {  // 10.0.0.0/30, 10.0.0.4/30, ...
        uint32_t a = uint32_t(i) * 4;
        return "10." + std::to_string((a >> 16) & 255) + "." + std::to_string((a >> 8) & 255) + "." +
               std::to_string(a & 255);
    };
    auto host_ip = [&](size_t i, int k) {
        std::string s = subnet(i);
        size_t dot = s.rfind('.');
        return s.substr(0, dot + 1) + std::to_string(std::stoi(s.substr(dot + 1)) + k);
    };
    for (size_t i = 0; i <= n; ++i) {
        text += "  - { name: l" + std::to_string(i) + ", subnet: " + subnet(i) + "/30, latency: 1ms, bandwidth: 1Gbps }\n";
    }
    text += "hosts:\n  - name: router\n    forwarding: true\n    interfaces:\n";
    for (size_t i = 0; i <= n; ++i) text += "      - { network: l" + std::to_string(i) + ", ip: " + host_ip(i, 1) + " }\n";
    for (size_t i = 0; i <= n; ++i) {
        text += "  - { name: h" + std::to_string(i) + ", interfaces: [ { network: l" + std::to_string(i) + ", ip: " +
                host_ip(i, 2) + ", gateway: " + host_ip(i, 1) + " } ] }\n";
    }
    text += "programs: []\n";
    Scenario s = load_scenario_text(text, "star.yaml");
    CHECK(s.networks.size() == n + 1);
    CHECK(s.hosts.size() == n + 2);
    CHECK(s.hosts[0].interfaces.size() == n + 1);
    Limits fewer;
    fewer.max_interfaces_per_host = n;
    fewer.max_networks = n;
    CHECK(error_of(text, fewer).find("too many networks: the limit is 10000 (Limits::max_networks)") != std::string::npos);
    fewer.max_networks = n + 1;
    CHECK(error_of(text, fewer).find("too many interfaces: the limit is 10000 (Limits::max_interfaces_per_host)") !=
          std::string::npos);
}

TEST_CASE("scenario: a file that cannot be read is an error naming it") {
    try {
        load_scenario_file("/nonexistent/handshake.yaml");
        FAIL("no error");
    } catch (const ScenarioError& e) {
        CHECK(std::string(e.what()) == "/nonexistent/handshake.yaml: cannot read file: no such file");
        CHECK(e.message() == "cannot read file: no such file");
        CHECK(e.where().line == 0);
    }
    CHECK_THROWS_AS(load_scenario_file(std::string(NETSTEP_SOURCE_DIR) + "/tests"), ScenarioError);
}

TEST_CASE("scenario: an error carries its location and message apart") {
    try {
        load_scenario_text(std::string(kBase) + "      - conect: {}\n", "handshake.yaml");
        FAIL("no error");
    } catch (const ScenarioError& e) {
        CHECK(e.where().file == "handshake.yaml");
        CHECK(e.where().line == 13);
        CHECK(e.where().column == 9);
        CHECK(e.where().to_string() == "handshake.yaml:13:9");
        CHECK(e.message() == "'conect' is not a step; did you mean 'connect'?");
    }
}

TEST_CASE("scenario: captions tied to packets and states, and say per language") {
    Scenario s = load_scenario_text(std::string(kBase) +
                                        "      - say: { en: Hello., fr: Bonjour., it: Ciao. }\n"
                                        "captions:\n"
                                        "  - when: { arrives: web, flags: SYN, nth: 2 }\n"
                                        "    say: The SYN reaches web.\n"
                                        "  - when: { leaves: laptop, to: web, proto: udp }\n"
                                        "    say: { en: A datagram leaves., fr: Un datagramme part. }\n"
                                        "  - { when: { host: laptop, enters: TIME-WAIT, port: 80 }, say: TIME-WAIT now. }\n",
                                    "t.yaml");
    const auto& say = std::get<step::Say>(s.programs[0].steps[1].body);
    CHECK(say.text == "Hello.");
    CHECK(say.translations == std::vector<std::pair<std::string, std::string>>{{"fr", "Bonjour."}, {"it", "Ciao."}});
    REQUIRE(s.captions.size() == 3);
    const Caption& arrives = s.captions[0];
    CHECK(arrives.where.line == 15);
    CHECK(arrives.when.kind == CaptionWhen::Kind::Arrives);
    CHECK(arrives.when.host == "web");
    CHECK(arrives.when.match.flags == uint8_t(tcp_flag::SYN));
    CHECK(arrives.when.match.nth == 2);
    CHECK(arrives.say.text == "The SYN reaches web.");
    CHECK(arrives.say.translations.empty());
    const Caption& leaves = s.captions[1];
    CHECK(leaves.when.kind == CaptionWhen::Kind::Leaves);
    CHECK(leaves.when.match.from == "laptop");  // leaves: is the sending host
    CHECK(leaves.when.match.to == "web");
    CHECK(leaves.when.match.proto == std::string("udp"));
    CHECK(leaves.say.translations == std::vector<std::pair<std::string, std::string>>{{"fr", "Un datagramme part."}});
    const Caption& enters = s.captions[2];
    CHECK(enters.when.kind == CaptionWhen::Kind::Enters);
    CHECK(enters.when.host == "laptop");
    CHECK(enters.when.state == TcpState::TimeWait);
    CHECK(enters.when.port == 80);
}

TEST_CASE("scenario: errors in captions name line and column") {
    std::string b = std::string(kBase) + "captions:\n";
    check_cases({
        {"no moment", b + "  - { when: { flags: SYN }, say: x }\n",
         "t.yaml:14:13: when: give one of 'arrives: HOST', 'leaves: HOST' or 'enters: STATE' (with 'host: HOST')"},
        {"two moments", b + "  - { when: { arrives: web, leaves: laptop }, say: x }\n",
         "t.yaml:14:13: when: give one of 'arrives: HOST', 'leaves: HOST' or 'enters: STATE' (with 'host: HOST')"},
        {"unknown host", b + "  - { when: { arrives: wbe }, say: x }\n",
         "t.yaml:14:24: unknown host 'wbe'; did you mean 'web'?"},
        {"a state with a typo", b + "  - { when: { host: laptop, enters: TIME-WAT }, say: x }\n",
         "t.yaml:14:37: 'TIME-WAT' is not a TCP state; did you mean 'TIME-WAIT'?"},
        {"enters without a host", b + "  - { when: { enters: TIME-WAIT }, say: x }\n",
         "t.yaml:14:13: when: 'host' is required"},
        {"leaves and from", b + "  - { when: { leaves: laptop, from: web }, say: x }\n",
         "t.yaml:14:37: when: 'leaves' already names the sending host"},
        {"flags with enters", b + "  - { when: { host: laptop, enters: CLOSED, flags: SYN }, say: x }\n",
         "t.yaml:14:52: when: 'flags' selects packets, not state changes"},
        {"host with arrives", b + "  - { when: { arrives: web, host: laptop }, say: x }\n",
         "t.yaml:14:35: when: 'host' goes with 'enters: STATE'"},
        {"no say", b + "  - { when: { arrives: web } }\n", "t.yaml:14:5: caption: 'say' is required"},
        {"say without English", b + "  - { when: { arrives: web }, say: { fr: Bonjour } }\n",
         "t.yaml:14:36: say: 'en' is required"},
        {"unknown language", b + "  - { when: { arrives: web }, say: { en: Hi, de: Hallo } }\n",
         "t.yaml:14:46: 'de' is not a key of say (expected en, fr, it)"},
    });
}

TEST_CASE("errors: an exception that stops a command names running out of memory as such") {
    CHECK(error_message(std::bad_alloc()) ==
          "out of memory (std::bad_alloc): the scenario needs more memory than the system gives");
    CHECK(error_message(std::runtime_error("cannot write out.pcap")) == "cannot write out.pcap");
    CHECK(error_message(ScenarioError({"a.yaml", 3, 5}, "bad")) == "a.yaml:3:5: bad");
}
