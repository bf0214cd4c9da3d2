// The text trace: a whole hand-built run against its expected text (the format is a contract:
// golden files are diffed against it), and each kind of event on its own.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "sim/output.hpp"
#include "test_trace_fixture.hpp"

namespace netstep::sim {
namespace {

using namespace fixture;

std::string text_of(const Trace& t) {
    std::ostringstream out;
    write_text(t, out);
    return out.str();
}

// The event part (between the two blank lines), one line per line.
std::string event_lines(const Trace& t) {
    std::istringstream in(text_of(t));
    std::string lines;
    int blanks = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) ++blanks;
        else if (blanks == 1) lines += line + "\n";
    }
    return lines;
}

constexpr const char* kHandshakeText = R"(
netstep trace: A browser fetches a page
  The browser connects to port 80 on the web server.
profile textbook, seed 1
network lan: 192.168.1.0/24, latency 2ms, bandwidth 100Mbps
host laptop: 192.168.1.10/24 on lan, gateway 192.168.1.1
host web: 192.168.1.20/24 on lan

0.000000 -         run starts
0.000000 web       httpd starts
0.000000 web       httpd: listen(listener, 8) = 0
0.010000 laptop    browser says: The browser asks the OS for a socket.
0.010000 laptop    browser: socket(TCP) = 3
0.010000 laptop    laptop:49152 [peer web:80] CLOSED -> SYN-SENT (connect)
0.010000 laptop    laptop:49152 retransmission timer armed, fires at 1.010000
0.010000 laptop -> laptop:49152 > web:80 TCP [SYN] seq=0 win=64240 len=0 mss=1460
0.012000 web    <- laptop:49152 > web:80 TCP [SYN] seq=0 win=64240 len=0 mss=1460
0.012000 web       web:80 [peer laptop:49152] LISTEN -> SYN-RECEIVED (rcv SYN)
0.012000 web    -> web:80 > laptop:49152 TCP [SYN+ACK] seq=0 ack=1 win=64240 len=0 mss=1460
0.014000 laptop <- web:80 > laptop:49152 TCP [SYN+ACK] seq=0 ack=1 win=64240 len=0 mss=1460
0.014000 laptop    laptop:49152 [peer web:80] SYN-SENT -> ESTABLISHED (rcv SYN+ACK)
0.014000 laptop    browser: connect(s, web:80) = 0
0.014000 laptop -> laptop:49152 > web:80 TCP [ACK] seq=1 ack=1 win=64000 len=0
0.014000 laptop -> laptop:49152 > web:80 TCP [PSH+ACK] seq=1 ack=1 win=64000 len=18
0.016000 web    <- laptop:49152 > web:80 TCP [ACK] seq=1 ack=1 win=64000 len=0
0.016000 web       web:80 [peer laptop:49152] SYN-RECEIVED -> ESTABLISHED (rcv ACK)
0.016000 web    <- laptop:49152 > web:80 TCP [PSH+ACK] seq=1 ack=1 win=64000 len=18
0.016000 laptop -> laptop:50000 > web:9999 UDP len=5
0.018000 web    <- laptop:50000 > web:9999 UDP len=5
0.018000 web       note: ICMP port unreachable sent
0.018000 web    -> web > laptop ICMP 192.168.1.20 udp port 9999 unreachable
0.020000 laptop <- web > laptop ICMP 192.168.1.20 udp port 9999 unreachable
0.020000 laptop -> laptop > web ICMP echo request id=1 seq=1
0.022000 web    <- laptop > web ICMP echo request id=1 seq=1
0.022000 web    -> web > laptop ICMP echo reply id=1 seq=1
0.024000 laptop <- web > laptop ICMP echo reply id=1 seq=1
0.024000 web    -> web:80 > laptop:49152 TCP [ACK] seq=1 ack=19 win=64000 len=0
0.024000 web    XX web:80 > laptop:49152 TCP [ACK] seq=1 ack=19 win=64000 len=0 (dropped: fault: drop nth=1)
0.024000 laptop !! browser: expectation failed: expected recv to return data
0.024000 -         run ends: all programs ended

end at 0.024000: 1 expectation failed:
  - browser: expected recv to return data
)";

TEST_CASE("output: text trace of a handshake, UDP, ICMP and a drop") {
    CHECK(text_of(handshake_trace()) == std::string(kHandshakeText).substr(1));
}

TEST_CASE("output: text is the same every time") {
    CHECK(text_of(handshake_trace()) == text_of(handshake_trace()));
}

TEST_CASE("output: text of the other event kinds") {
    Trace t = two_hosts();
    t.networks[0].loss = 0.1;
    t.hosts[1].forwarding = true;
    Recorder r(t);
    const FourTuple conn{{ip("192.168.1.10"), 49152}, {ip("192.168.1.20"), 81}};
    r.now = at_us(1'234'567);
    r.event(EventKind::Caption, kNone, [&](TraceEvent& e) { e.text = r.builder().intern("Now the server is gone."); });
    r.event(EventKind::Output, kLaptop, [&](TraceEvent& e) {
        e.program = kBrowser;
        e.text = r.builder().intern("Proto Local Remote State\nTCP 192.168.1.10:49152 192.168.1.20:81 SYN-SENT\n");
    });
    r.event(EventKind::Timer, kLaptop, [&](TraceEvent& e) {
        e.socket = 3;
        e.tuple = conn;
        e.timer_action = TimerAction::Fired;
    });
    r.event(EventKind::Retransmit, kLaptop, [&](TraceEvent& e) {
        e.socket = 3;
        e.tuple = conn;
        e.text = r.builder().intern("seq=0 len=0, attempt 1, rto 2s");
    });
    r.event(EventKind::Rejected, kWeb, [&](TraceEvent& e) { e.text = r.builder().intern("bad TCP checksum"); });
    r.event(EventKind::ConnError, kLaptop, [&](TraceEvent& e) {
        e.socket = 3;
        e.err = Err::ConnRefused;
        e.text = r.builder().intern("rcv RST");
    });
    r.builder().record_socket(kLaptop, tcp_row(3, conn.local, conn.remote, TcpState::Closed), 0);
    r.call(kBrowser, "connect(s, web:81)", "= ECONNREFUSED", Err::ConnRefused);
    r.event(EventKind::Call, kNone, [&](TraceEvent& e) {
        e.program = kBrowser;
        e.text = r.builder().intern("recv(s)");
        e.err = Err::NotConn;
    });
    r.event(EventKind::Blocked, kNone, [&](TraceEvent& e) {
        e.program = kHttpd;
        e.text = r.builder().intern("accept(listener)");
    });
    r.event(EventKind::ProgramEnd, kNone, [&](TraceEvent& e) {
        e.program = kBrowser;
        e.text = r.builder().intern("exit");
    });
    t.end_time = r.now;

    std::string text = text_of(t);
    CHECK(text.find("network lan: 192.168.1.0/24, latency 2ms, bandwidth 100Mbps, loss 10%\n") != std::string::npos);
    CHECK(text.find("host web (router): 192.168.1.20/24 on lan\n") != std::string::npos);
    CHECK(text.ends_with("\nend at 1.234567: all expectations met\n"));
    std::string expected =
        "1.234567 -         -- Now the server is gone. --\n"
        "1.234567 laptop    browser output:\n"
        "                   | Proto Local Remote State\n"
        "                   | TCP 192.168.1.10:49152 192.168.1.20:81 SYN-SENT\n"
        "1.234567 laptop    laptop:49152 retransmission timer fired\n"
        "1.234567 laptop    laptop:49152 retransmits: seq=0 len=0, attempt 1, rto 2s\n"
        "1.234567 web    !! rejected: bad TCP checksum\n"
        "1.234567 laptop !! laptop:49152 error ECONNREFUSED: rcv RST\n"
        "1.234567 laptop !! browser: connect(s, web:81) = ECONNREFUSED\n"
        "1.234567 laptop !! browser: recv(s) = ENOTCONN\n"
        "1.234567 web    !! accept(listener)\n"
        "1.234567 laptop    browser ends: exit\n";
    CHECK(event_lines(t) == expected);

    TraceIndex index(t);
    CHECK(describe_event(index, 1) == "browser output:");
    CHECK(describe_event(index, 99).empty());
}

TEST_CASE("output: --steps starts each event's line with its step, the index into Trace::events") {
    Trace t = handshake_trace();
    std::ostringstream numbered;
    write_text(t, numbered, {.steps = true});
    std::istringstream plain_in(text_of(t)), numbered_in(numbered.str());
    std::vector<std::string> plain_lines, numbered_lines;
    for (std::string line; std::getline(plain_in, line);) plain_lines.push_back(line);
    for (std::string line; std::getline(numbered_in, line);) numbered_lines.push_back(line);
    REQUIRE(plain_lines.size() == numbered_lines.size());
    REQUIRE(t.events.size() > 10);  // two-digit steps: the numbers are right-aligned
    size_t first = 0;  // the first event line follows the header's blank line
    while (!plain_lines[first].empty()) ++first;
    ++first;
    for (size_t step = 0; step < t.events.size(); ++step) {
        std::string prefix = (step < 10 ? " " : "") + std::to_string(step) + " ";
        CAPTURE(step);
        CHECK(numbered_lines[first + step] == prefix + plain_lines[first + step]);
    }
    CHECK(numbered_lines[first + 3] == " 3 0.010000 laptop    browser says: The browser asks the OS for a socket.");
    CHECK(numbered_lines.back() == plain_lines.back());  // the outcome has no step
}

TEST_CASE("output: --steps keeps an Output event's lines under its text") {
    Trace t = two_hosts();
    Recorder r(t);
    r.event(EventKind::Output, kLaptop, [&](TraceEvent& e) {
        e.program = kBrowser;
        e.text = r.builder().intern("Proto Local\nTCP 192.168.1.10:49152\n");
    });
    r.event(EventKind::ProgramEnd, kNone, [&](TraceEvent& e) { e.program = kBrowser; });
    std::ostringstream out;
    write_text(t, out, {.steps = true});
    CHECK(out.str().find("\n0 0.000000 laptop    browser output:\n"
                         "                     | Proto Local\n"
                         "                     | TCP 192.168.1.10:49152\n"
                         "1 0.000000 laptop    browser ends\n") != std::string::npos);
}

TEST_CASE("output: text of an empty trace") {
    Trace t;
    t.title = "nothing";
    CHECK(text_of(t) == "netstep trace: nothing\nprofile , seed 1\n\n\nend at 0.000000: all expectations met\n");
}

}  // namespace
}  // namespace netstep::sim
