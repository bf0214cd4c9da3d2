// A hand-made trace for tests and development: a browser fetches a page through a handshake,
// the server's answer is dropped and retransmitted, both sides close (TIME-WAIT), and a DNS
// query crosses a router. Bytes are real (wire::emit), so the inspector works on it.
#include <optional>
#include <string>

#include "model/wire/wire.hpp"
#include "viz/loader.hpp"

namespace netstep::viz {

namespace {

using sim::EventKind;
using sim::TraceEvent;

constexpr uint32_t kLaptop = 0, kWeb = 1, kRouter = 2, kDns = 3;
constexpr uint32_t kLan = 0, kWan = 1;

Ipv4Address ip(uint8_t a, uint8_t b, uint8_t c, uint8_t d) { return Ipv4Address::from_octets(a, b, c, d); }

// Builds the demo trace event by event, keeping each socket's row current.
class DemoBuilder {
public:
    explicit DemoBuilder(sim::Trace& t) : trace_(t), b_(t) {}

    Instant at(double ms) const { return Instant::from_nanos(int64_t(ms * 1e6)); }

    uint32_t event(double ms, EventKind kind, uint32_t host, uint32_t socket = 0, const std::string& text = "") {
        TraceEvent e;
        e.time = at(ms);
        e.kind = kind;
        e.host = host;
        e.socket = socket;
        if (!text.empty()) e.text = b_.intern(text);
        return b_.add_event(e);
    }

    void caption(double ms, uint32_t host, uint32_t program, const std::string& text) {
        uint32_t s = event(ms, EventKind::Caption, host, 0, text);
        trace_.events[s].program = program;
    }

    void state(double ms, uint32_t host, SocketInfo& row, TcpState to, const std::string& cause) {
        uint32_t s = event(ms, EventKind::StateChange, host, row.id, cause);
        trace_.events[s].from = row.state.value_or(TcpState::Closed);
        trace_.events[s].to = to;
        row.state = to;
        b_.record_socket(host, row, s);
    }

    void timer(double ms, uint32_t host, const SocketInfo& row, TimerKind kind, TimerAction action, double deadline_ms) {
        uint32_t s = event(ms, EventKind::Timer, host, row.id);
        trace_.events[s].timer = kind;
        trace_.events[s].timer_action = action;
        trace_.events[s].deadline = at(deadline_ms);
    }

    void update(uint32_t host, const SocketInfo& row) { b_.record_socket(host, row, uint32_t(trace_.events.size() - 1)); }

    // A packet hop sent at `ms`, arriving after `flight_ms`; dropped at its midpoint if asked.
    uint32_t send(double ms, double flight_ms, uint32_t from, uint32_t to, uint32_t network, const Ipv4Packet& p,
                  bool dropped = false) {
        sim::TracePacket tp;
        tp.from_host = from;
        tp.to_host = to;
        tp.network = network;
        tp.sent = at(ms);
        tp.arrives = at(ms + flight_ms);
        tp.bytes = wire::emit(p);
        tp.dropped = dropped;
        if (dropped) tp.drop_reason = "fault: drop nth=1";
        uint32_t index = b_.add_packet(tp);
        uint32_t s = event(ms, EventKind::PacketSent, from);
        trace_.events[s].packet = index;
        trace_.packets[index].sent_step = s;
        return index;
    }

    void end(uint32_t packet) {
        sim::TracePacket& tp = trace_.packets[packet];
        double ms = double(tp.dropped ? (tp.sent.ns + tp.arrives.ns) / 2 : tp.arrives.ns) / 1e6;
        uint32_t s = event(ms, tp.dropped ? EventKind::PacketDropped : EventKind::PacketDelivered, tp.to_host);
        trace_.events[s].packet = packet;
        trace_.packets[packet].end_step = s;
    }

    sim::TraceBuilder& builder() { return b_; }

private:
    sim::Trace& trace_;
    sim::TraceBuilder b_;
};

Ipv4Packet tcp(Endpoint src, Endpoint dst, uint32_t seq, uint32_t ack, uint8_t flags, const std::string& data = "") {
    Ipv4Packet p;
    p.src = src.address;
    p.dst = dst.address;
    TcpSegment s;
    s.src_port = src.port;
    s.dst_port = dst.port;
    s.seq = {seq};
    s.ack = {ack};
    s.flags = flags;
    s.window = 64240;
    if (flags & tcp_flag::SYN) s.mss = 1460;
    s.payload.assign(data.begin(), data.end());
    p.body = s;
    return p;
}

Ipv4Packet udp(Endpoint src, Endpoint dst, const std::string& data, uint8_t ttl = 64) {
    Ipv4Packet p;
    p.src = src.address;
    p.dst = dst.address;
    p.ttl = ttl;
    UdpDatagram d;
    d.src_port = src.port;
    d.dst_port = dst.port;
    d.payload.assign(data.begin(), data.end());
    p.body = d;
    return p;
}

void describe_world(sim::Trace& t) {
    t.file = ":demo";
    t.title = "A browser fetches a page";
    t.description = "The browser opens a TCP connection to the web server, sends a request, and both sides close.";
    t.profile = "textbook";
    t.networks = {{"lan", {ip(192, 168, 1, 0), 24}, Duration::millis(2), 100'000'000, 0.0},
                  {"wan", {ip(10, 0, 0, 0), 24}, Duration::millis(5), 10'000'000, 0.0}};
    t.hosts = {
        {"laptop", {{"Wireless LAN adapter Wi-Fi", "lan", {ip(192, 168, 1, 10), 24}, ip(192, 168, 1, 1)}}, false},
        {"web", {{"Ethernet adapter Ethernet", "lan", {ip(192, 168, 1, 20), 24}, ip(192, 168, 1, 1)}}, false},
        {"router", {{"eth0", "lan", {ip(192, 168, 1, 1), 24}, std::nullopt}, {"eth1", "wan", {ip(10, 0, 0, 1), 24}, std::nullopt}}, true},
        {"dns", {{"Ethernet adapter Ethernet", "wan", {ip(10, 0, 0, 53), 24}, ip(10, 0, 0, 1)}}, false},
    };
    t.programs = {{"browser", kLaptop, sim::kNone}, {"httpd", kWeb, sim::kNone}, {"resolver", kDns, sim::kNone}};
}

TcpVars vars(uint32_t iss, uint32_t irs, uint32_t una, uint32_t nxt, uint32_t rcv) {
    TcpVars v;
    v.iss = {iss};
    v.irs = {irs};
    v.snd_una = {una};
    v.snd_nxt = {nxt};
    v.rcv_nxt = {rcv};
    v.snd_wnd = 64240;
    v.rcv_wnd = 64240;
    v.mss = 1460;
    v.rto = Duration::seconds(1);
    return v;
}

}  // namespace

sim::Trace demo_trace() {
    sim::Trace t;
    describe_world(t);
    DemoBuilder d(t);
    const Endpoint laptop{ip(192, 168, 1, 10), 49152}, web{ip(192, 168, 1, 20), 80};
    const Endpoint laptop_udp{ip(192, 168, 1, 10), 49153}, dns{ip(10, 0, 0, 53), 53};
    const uint32_t a = 1000, b = 5000;  // ISNs: laptop, web
    const std::string get = "GET / HTTP/1.0\r\n\r\n", ok = "HTTP/1.0 200 OK\r\n\r\nhello";
    using namespace tcp_flag;

    d.event(0, EventKind::RunStart, sim::kNone, 0, t.title);
    SocketInfo listener{1, SocketType::Tcp, {Ipv4Address::any(), 80}, std::nullopt, TcpState::Closed, false, std::nullopt, 0};
    d.state(0, kWeb, listener, TcpState::Listen, "passive OPEN");
    d.caption(10, kLaptop, 0, "The browser asks its OS for a socket and connects to web:80.");
    SocketInfo client{1, SocketType::Tcp, laptop, web, TcpState::Closed, false, vars(a, 0, a, a + 1, 0), 0};
    d.state(10, kLaptop, client, TcpState::SynSent, "active OPEN, snd SYN");
    uint32_t p0 = d.send(10, 2.01, kLaptop, kWeb, kLan, tcp(laptop, web, a, 0, SYN));
    d.end(p0);
    SocketInfo server{2, SocketType::Tcp, web, laptop, TcpState::Listen, false, vars(b, a, b, b + 1, a + 1), 0};
    d.state(12.01, kWeb, server, TcpState::SynReceived, "rcv SYN, snd SYN,ACK");
    uint32_t p1 = d.send(12.01, 2.01, kWeb, kLaptop, kLan, tcp(web, laptop, b, a + 1, SYN | ACK));
    d.end(p1);
    client.vars = vars(a, b, a + 1, a + 1, b + 1);
    d.state(14.02, kLaptop, client, TcpState::Established, "rcv SYN,ACK, snd ACK");
    uint32_t p2 = d.send(14.02, 2.01, kLaptop, kWeb, kLan, tcp(laptop, web, a + 1, b + 1, ACK));
    d.caption(14.02, kLaptop, 0, "Connected. The browser sends its request.");
    client.vars = vars(a, b, a + 1, a + 19, b + 1);
    uint32_t p3 = d.send(14.5, 2.01, kLaptop, kWeb, kLan, tcp(laptop, web, a + 1, b + 1, PSH | ACK, get));
    d.update(kLaptop, client);
    d.end(p2);
    server.vars = vars(b, a, b + 1, b + 1, a + 1);
    d.state(16.03, kWeb, server, TcpState::Established, "rcv ACK of SYN");
    d.end(p3);
    server.vars = vars(b, a, b + 1, b + 26, a + 19);
    uint32_t p4 = d.send(16.6, 2.01, kWeb, kLaptop, kLan, tcp(web, laptop, b + 1, a + 19, PSH | ACK, ok), true);
    d.update(kWeb, server);
    d.timer(16.6, kWeb, server, TimerKind::Retransmission, TimerAction::Armed, 1016.6);
    d.end(p4);
    d.caption(20, kWeb, 1, "The answer is lost. The server waits for its retransmission timer (RTO = 1 s).");
    // A DNS query crossing the router while the server waits.
    uint32_t q0 = d.send(100, 2.01, kLaptop, kRouter, kLan, udp(laptop_udp, dns, "query web.example"));
    d.end(q0);
    uint32_t q1 = d.send(102.01, 5.02, kRouter, kDns, kWan, udp(laptop_udp, dns, "query web.example", 63));
    d.end(q1);
    uint32_t q2 = d.send(107.03, 5.02, kDns, kRouter, kWan, udp(dns, laptop_udp, "answer 192.168.1.20"));
    d.end(q2);
    uint32_t q3 = d.send(112.05, 2.01, kRouter, kLaptop, kLan, udp(dns, laptop_udp, "answer 192.168.1.20", 63));
    d.end(q3);
    d.timer(1016.6, kWeb, server, TimerKind::Retransmission, TimerAction::Fired, 1016.6);
    d.event(1016.6, EventKind::Retransmit, kWeb, server.id, "seq=1 len=25 attempt 1, RTO 2s");
    uint32_t p5 = d.send(1016.6, 2.01, kWeb, kLaptop, kLan, tcp(web, laptop, b + 1, a + 19, PSH | ACK, ok));
    d.end(p5);
    client.vars = vars(a, b, a + 19, a + 19, b + 26);
    uint32_t p6 = d.send(1018.61, 2.01, kLaptop, kWeb, kLan, tcp(laptop, web, a + 19, b + 26, ACK));
    d.update(kLaptop, client);
    d.end(p6);
    server.vars = vars(b, a, b + 26, b + 27, a + 19);
    d.caption(1020.62, kWeb, 1, "The server closes first: it sends FIN and will end in TIME-WAIT.");
    d.state(1020.62, kWeb, server, TcpState::FinWait1, "close, snd FIN");
    uint32_t p7 = d.send(1020.62, 2.01, kWeb, kLaptop, kLan, tcp(web, laptop, b + 26, a + 19, FIN | ACK));
    d.end(p7);
    client.vars = vars(a, b, a + 19, a + 19, b + 27);
    d.state(1022.63, kLaptop, client, TcpState::CloseWait, "rcv FIN, snd ACK");
    uint32_t p8 = d.send(1022.63, 2.01, kLaptop, kWeb, kLan, tcp(laptop, web, a + 19, b + 27, ACK));
    client.vars = vars(a, b, a + 19, a + 20, b + 27);
    d.state(1023, kLaptop, client, TcpState::LastAck, "close, snd FIN");
    uint32_t p9 = d.send(1023, 2.01, kLaptop, kWeb, kLan, tcp(laptop, web, a + 19, b + 27, FIN | ACK));
    d.end(p8);
    server.vars = vars(b, a, b + 27, b + 27, a + 19);
    d.state(1024.64, kWeb, server, TcpState::FinWait2, "rcv ACK of FIN");
    d.end(p9);
    server.vars = vars(b, a, b + 27, b + 27, a + 20);
    server.vars->time_wait_until = d.at(61025.01);
    d.state(1025.01, kWeb, server, TcpState::TimeWait, "rcv FIN, snd ACK");
    d.timer(1025.01, kWeb, server, TimerKind::TimeWait, TimerAction::Armed, 61025.01);
    uint32_t p10 = d.send(1025.01, 2.01, kWeb, kLaptop, kLan, tcp(web, laptop, b + 27, a + 20, ACK));
    d.end(p10);
    d.state(1027.02, kLaptop, client, TcpState::Closed, "rcv ACK of FIN");
    d.builder().socket_gone(kLaptop, client.id, uint32_t(t.events.size() - 1));
    d.timer(61025.01, kWeb, server, TimerKind::TimeWait, TimerAction::Fired, 61025.01);
    d.state(61025.01, kWeb, server, TcpState::Closed, "2MSL timeout");
    d.builder().socket_gone(kWeb, server.id, uint32_t(t.events.size() - 1));
    d.event(61025.01, EventKind::RunEnd, sim::kNone, 0, "all programs ended");
    t.end_time = d.at(61025.01);
    return t;
}

}  // namespace netstep::viz
