// Hand-built traces for the trace, index and output tests: no simulation, just events written down
// in the order a run would record them, with real packet bytes from wire::emit.
#pragma once
#include <string>
#include <utility>

#include "model/wire/wire.hpp"
#include "sim/trace.hpp"

namespace netstep::sim::fixture {

inline Ipv4Address ip(const char* text) { return *Ipv4Address::parse(text); }
inline Instant at_us(int64_t us) { return Instant::from_nanos(us * 1000); }

inline constexpr uint32_t kLaptop = 0, kWeb = 1;
inline constexpr uint32_t kBrowser = 0, kHttpd = 1;

// Fills a trace event by event; every event is stamped with the current time `now`.
class Recorder {
public:
    explicit Recorder(Trace& trace) : trace_(trace), builder_(trace) {}

    Instant now;

    TraceBuilder& builder() { return builder_; }

    uint32_t event(EventKind kind, uint32_t host, auto&&... setters) {
        TraceEvent e;
        e.time = now;
        e.kind = kind;
        e.host = host;
        (setters(e), ...);
        return builder_.add_event(e);
    }
    uint32_t caption(uint32_t program, const std::string& text) {
        return event(EventKind::Caption, trace_.programs[program].host, [&](TraceEvent& e) {
            e.program = program;
            e.text = builder_.intern(text);
        });
    }
    uint32_t call(uint32_t program, const std::string& text, const std::string& result,
                  std::optional<Err> err = std::nullopt) {
        return event(EventKind::Call, trace_.programs[program].host, [&](TraceEvent& e) {
            e.program = program;
            e.text = builder_.intern(text);
            e.text2 = builder_.intern(result);
            e.err = err;
        });
    }
    uint32_t state(uint32_t host, SocketId socket, FourTuple tuple, TcpState from, TcpState to,
                   const std::string& cause) {
        return event(EventKind::StateChange, host, [&](TraceEvent& e) {
            e.socket = socket;
            e.tuple = tuple;
            e.from = from;
            e.to = to;
            e.text = builder_.intern(cause);
        });
    }
    // The sender puts a packet on the wire: returns the packet's index.
    uint32_t send(uint32_t from, uint32_t to, const Ipv4Packet& packet, Duration latency = Duration::millis(2)) {
        TracePacket p;
        p.from_host = from;
        p.to_host = to;
        p.sent = now;
        p.arrives = now + latency;
        p.bytes = wire::emit(packet);
        uint32_t index = builder_.add_packet(std::move(p));
        trace_.packets[index].sent_step =
            event(EventKind::PacketSent, from, [&](TraceEvent& e) { e.packet = index; });
        return index;
    }
    void deliver(uint32_t packet) {
        TracePacket& p = trace_.packets[packet];
        now = p.arrives;
        p.end_step = event(EventKind::PacketDelivered, p.to_host, [&](TraceEvent& e) { e.packet = packet; });
    }
    void drop(uint32_t packet, const std::string& reason) {
        trace_.packets[packet].dropped = true;
        trace_.packets[packet].drop_reason = reason;
        trace_.packets[packet].end_step =
            event(EventKind::PacketDropped, trace_.packets[packet].from_host, [&](TraceEvent& e) { e.packet = packet; });
    }

private:
    Trace& trace_;
    TraceBuilder builder_;
};

inline Trace two_hosts() {
    Trace t;
    t.file = "handshake.yaml";
    t.title = "A browser fetches a page";
    t.description = "The browser connects to port 80 on the web server.";
    t.profile = "textbook";
    t.seed = 1;
    t.networks.push_back({"lan", *Ipv4Prefix::parse("192.168.1.0/24"), Duration::millis(2), 100'000'000, 0.0});
    t.hosts.push_back({"laptop", {{"Wireless LAN adapter Wi-Fi", "lan", *Ipv4Prefix::parse("192.168.1.10/24"),
                                   ip("192.168.1.1")}}, false});
    t.hosts.push_back({"web", {{"Ethernet adapter Ethernet", "lan", *Ipv4Prefix::parse("192.168.1.20/24"),
                                std::nullopt}}, false});
    t.programs.push_back({"browser", kLaptop, kNone});
    t.programs.push_back({"httpd", kWeb, kNone});
    return t;
}

inline Ipv4Packet tcp(Endpoint from, Endpoint to, uint8_t flags, uint32_t seq, uint32_t ack,
                      std::string payload = "", std::optional<uint16_t> mss = std::nullopt) {
    TcpSegment s;
    s.src_port = from.port;
    s.dst_port = to.port;
    s.seq = {seq};
    s.ack = {ack};
    s.flags = flags;
    s.window = flags & tcp_flag::SYN ? 64240 : 64000;
    s.mss = mss;
    s.payload.assign(payload.begin(), payload.end());
    Ipv4Packet p;
    p.src = from.address;
    p.dst = to.address;
    p.body = s;
    return p;
}

inline Ipv4Packet udp(Endpoint from, Endpoint to, std::string payload) {
    UdpDatagram d;
    d.src_port = from.port;
    d.dst_port = to.port;
    d.payload.assign(payload.begin(), payload.end());
    Ipv4Packet p;
    p.src = from.address;
    p.dst = to.address;
    p.body = d;
    return p;
}

inline Ipv4Packet icmp(Ipv4Address from, Ipv4Address to, IcmpMessage m) {
    Ipv4Packet p;
    p.src = from;
    p.dst = to;
    p.body = std::move(m);
    return p;
}

inline SocketInfo tcp_row(SocketId id, Endpoint local, std::optional<Endpoint> remote, TcpState state) {
    SocketInfo r;
    r.id = id;
    r.type = SocketType::Tcp;
    r.local = local;
    r.remote = remote;
    r.state = state;
    return r;
}

// A three-way handshake, a request, a UDP datagram to a closed port answered by ICMP, a ping,
// and a dropped packet; with sockets, captions, calls, a timer and a failed expectation.
inline Trace handshake_trace() {
    using namespace tcp_flag;
    Trace t = two_hosts();
    Recorder r(t);
    const Endpoint client{ip("192.168.1.10"), 49152}, server{ip("192.168.1.20"), 80};
    const FourTuple conn{client, server};

    r.event(EventKind::RunStart, kNone, [&](TraceEvent& e) { e.text = r.builder().intern(t.title); });
    r.event(EventKind::ProgramStart, kWeb, [](TraceEvent& e) { e.program = kHttpd; });
    r.builder().record_socket(kWeb, tcp_row(1, {Ipv4Address::any(), 80}, std::nullopt, TcpState::Listen),
                              r.call(kHttpd, "listen(listener, 8)", "= 0"));
    r.now = at_us(10'000);
    r.caption(kBrowser, "The browser asks the OS for a socket.");
    r.call(kBrowser, "socket(TCP)", "= 3");
    r.state(kLaptop, 3, conn, TcpState::Closed, TcpState::SynSent, "connect");
    r.builder().record_socket(kLaptop, tcp_row(3, client, server, TcpState::SynSent), uint32_t(t.events.size() - 1));
    r.event(EventKind::Timer, kLaptop, [&](TraceEvent& e) {
        e.socket = 3;
        e.tuple = conn;
        e.timer = TimerKind::Retransmission;
        e.deadline = at_us(1'010'000);
    });
    uint32_t syn = r.send(kLaptop, kWeb, tcp(client, server, SYN, 0, 0, "", 1460));
    r.deliver(syn);
    r.state(kWeb, 4, conn.reversed(), TcpState::Listen, TcpState::SynReceived, "rcv SYN");
    r.builder().record_socket(kWeb, tcp_row(4, server, client, TcpState::SynReceived), uint32_t(t.events.size() - 1));
    uint32_t synack = r.send(kWeb, kLaptop, tcp(server, client, SYN | ACK, 0, 1, "", 1460));
    r.deliver(synack);
    r.state(kLaptop, 3, conn, TcpState::SynSent, TcpState::Established, "rcv SYN+ACK");
    r.builder().record_socket(kLaptop, tcp_row(3, client, server, TcpState::Established), uint32_t(t.events.size() - 1));
    r.call(kBrowser, "connect(s, web:80)", "= 0");
    uint32_t ack = r.send(kLaptop, kWeb, tcp(client, server, ACK, 1, 1));
    uint32_t get = r.send(kLaptop, kWeb, tcp(client, server, PSH | ACK, 1, 1, "GET / HTTP/1.0\r\n\r\n"));
    r.deliver(ack);
    r.state(kWeb, 4, conn.reversed(), TcpState::SynReceived, TcpState::Established, "rcv ACK");
    r.builder().record_socket(kWeb, tcp_row(4, server, client, TcpState::Established), uint32_t(t.events.size() - 1));
    r.deliver(get);

    // UDP to a closed port, answered with ICMP port unreachable quoting the datagram.
    const Endpoint sender{ip("192.168.1.10"), 50000}, nowhere{ip("192.168.1.20"), 9999};
    uint32_t dgram = r.send(kLaptop, kWeb, udp(sender, nowhere, "hello"));
    r.deliver(dgram);
    IcmpMessage unreachable{icmp_type::DEST_UNREACHABLE, icmp_code::PORT_UNREACHABLE, 0, 0, {}};
    const Bytes& quoted = t.packets[dgram].bytes;
    unreachable.data.assign(quoted.begin(), quoted.begin() + 28);
    r.event(EventKind::Note, kWeb, [&](TraceEvent& e) { e.text = r.builder().intern("ICMP port unreachable sent"); });
    r.deliver(r.send(kWeb, kLaptop, icmp(ip("192.168.1.20"), ip("192.168.1.10"), unreachable)));

    // A ping and its reply; then a segment lost on the way.
    uint32_t ping = r.send(kLaptop, kWeb, icmp(ip("192.168.1.10"), ip("192.168.1.20"),
                                                {icmp_type::ECHO_REQUEST, 0, 1, 1, {'p', 'i', 'n', 'g'}}));
    r.deliver(ping);
    r.deliver(r.send(kWeb, kLaptop, icmp(ip("192.168.1.20"), ip("192.168.1.10"),
                                         {icmp_type::ECHO_REPLY, 0, 1, 1, {'p', 'i', 'n', 'g'}})));
    uint32_t lost = r.send(kWeb, kLaptop, tcp(server, client, ACK, 1, 19));
    r.drop(lost, "fault: drop nth=1");
    r.event(EventKind::ExpectFailed, kLaptop, [&](TraceEvent& e) {
        e.program = kBrowser;
        e.text = r.builder().intern("expected recv to return data");
    });
    r.event(EventKind::RunEnd, kNone, [&](TraceEvent& e) { e.text = r.builder().intern("all programs ended"); });
    t.end_time = r.now;
    t.expectations_met = false;
    t.failures.push_back("browser: expected recv to return data");
    return t;
}

}  // namespace netstep::sim::fixture
