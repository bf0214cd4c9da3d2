// Shared by the tcp tests (in the style of smoltcp's socket/tcp.rs tests): fixtures per state,
// a template segment from the remote end, send()/recv_nothing helpers, and a two-ended harness
// that wires two TcpConnections together with a one-way delay.
#pragma once
#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "model/tcp.hpp"

namespace tcptest {

using namespace netstep;
using namespace netstep::tcp_flag;

inline const Endpoint LOCAL{Ipv4Address::from_octets(10, 0, 0, 1), 50000};
inline const Endpoint REMOTE{Ipv4Address::from_octets(10, 0, 0, 2), 80};
inline const FourTuple TUPLE{LOCAL, REMOTE};
inline constexpr SeqNum LOCAL_ISS{1000};
inline constexpr SeqNum REMOTE_ISS{5000};
inline constexpr SeqNum LOCAL_SEQ{1001};   // first data byte we send
inline constexpr SeqNum REMOTE_SEQ{5001};  // first data byte the remote sends

inline Instant at_ms(int64_t ms) { return Instant::zero() + Duration::millis(ms); }

// The template segment: from the remote end, ACK, seq = REMOTE_SEQ, ack = LOCAL_SEQ, window
// 65535. Tests change the fields they care about.
inline TcpSegment templ() {
    TcpSegment s;
    s.src_port = REMOTE.port;
    s.dst_port = LOCAL.port;
    s.seq = REMOTE_SEQ;
    s.ack = LOCAL_SEQ;
    s.flags = ACK;
    s.window = 65535;
    return s;
}
inline TcpSegment seg(uint8_t flags, SeqNum seq, SeqNum ack, Bytes payload = {}) {
    TcpSegment s = templ();
    s.flags = flags;
    s.seq = seq;
    s.ack = ack;
    s.payload = std::move(payload);
    return s;
}
inline Bytes bytes(size_t n, uint8_t first = 'a') {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i) b[i] = uint8_t(first + i % 26);
    return b;
}
inline Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

// Deliver one segment; what the connection sends back.
inline TcpOutput deliver(TcpConnection& c, Instant now, const TcpSegment& s) {
    TcpOutput out;
    c.on_segment(s, REMOTE, now, out);
    return out;
}
inline std::vector<TcpSegment> send(TcpConnection& c, Instant now, const TcpSegment& s) {
    return deliver(c, now, s).segments;
}
// The connection has nothing to send at `now` (timers included).
inline void recv_nothing(TcpConnection& c, Instant now) {
    TcpOutput out;
    c.poll(now, out);
    CHECK(out.segments.empty());
}
inline TcpOutput poll(TcpConnection& c, Instant now) {
    TcpOutput out;
    c.poll(now, out);
    return out;
}

template <class T>
bool has_event(const TcpOutput& out) {
    return std::any_of(out.events.begin(), out.events.end(),
                       [](const ModelEventBody& e) { return std::holds_alternative<T>(e); });
}
inline bool rejected(const TcpOutput& out) { return has_event<Rejected>(out); }
inline std::vector<StateChanged> state_changes(const TcpOutput& out) {
    std::vector<StateChanged> v;
    for (const auto& e : out.events)
        if (auto* s = std::get_if<StateChanged>(&e)) v.push_back(*s);
    return v;
}
inline std::optional<Err> conn_error(const TcpOutput& out) {
    for (const auto& e : out.events)
        if (auto* s = std::get_if<ConnectionError>(&e)) return s->err;
    return std::nullopt;
}

// tcpdump's flag notation: "S", "S.", ".", "P.", "F.", "R", "R.".
inline std::string flags_of(const TcpSegment& s) {
    std::string f;
    if (s.has(SYN)) f += 'S';
    if (s.has(FIN)) f += 'F';
    if (s.has(RST)) f += 'R';
    if (s.has(PSH)) f += 'P';
    if (s.has(ACK)) f += '.';
    return f;
}
// "[S.] seq=1000 ack=5001 len=0"
inline std::string brief(const TcpSegment& s) {
    return "[" + flags_of(s) + "] seq=" + s.seq.to_string() +
           (s.has(ACK) ? " ack=" + s.ack.to_string() : "") + " len=" + std::to_string(s.payload.size());
}

// ---- Fixtures per state (textbook profile unless told otherwise). The local end is the
// ---- active opener, except socket_listen()/socket_syn_received().

inline TcpConnection socket_listen(const Profile& p = Profile::textbook()) {
    return TcpConnection::listening(LOCAL, LOCAL_ISS, p);
}
inline TcpConnection socket_syn_received(const Profile& p = Profile::textbook()) {
    TcpConnection c = socket_listen(p);
    TcpSegment syn = seg(SYN, REMOTE_ISS, {});
    syn.mss = 1460;
    send(c, Instant::zero(), syn);
    REQUIRE(c.state() == TcpState::SynReceived);
    return c;
}
inline TcpConnection socket_syn_sent(const Profile& p = Profile::textbook()) {
    TcpOutput out;
    return TcpConnection::connect(TUPLE, LOCAL_ISS, Instant::zero(), p, out);
}
inline TcpConnection socket_established(const Profile& p = Profile::textbook()) {
    TcpConnection c = socket_syn_sent(p);
    TcpSegment synack = seg(SYN | ACK, REMOTE_ISS, LOCAL_SEQ);
    synack.mss = 1460;
    send(c, Instant::zero(), synack);
    REQUIRE(c.state() == TcpState::Established);
    return c;
}
inline TcpConnection socket_fin_wait_1(const Profile& p = Profile::textbook()) {
    TcpConnection c = socket_established(p);
    TcpOutput out;
    c.close(Instant::zero(), out);
    REQUIRE(c.state() == TcpState::FinWait1);
    return c;
}
inline TcpConnection socket_fin_wait_2(const Profile& p = Profile::textbook()) {
    TcpConnection c = socket_fin_wait_1(p);
    send(c, Instant::zero(), seg(ACK, REMOTE_SEQ, LOCAL_SEQ + 1));
    REQUIRE(c.state() == TcpState::FinWait2);
    return c;
}
inline TcpConnection socket_closing(const Profile& p = Profile::textbook()) {
    TcpConnection c = socket_fin_wait_1(p);
    send(c, Instant::zero(), seg(FIN | ACK, REMOTE_SEQ, LOCAL_SEQ));
    REQUIRE(c.state() == TcpState::Closing);
    return c;
}
inline TcpConnection socket_time_wait(const Profile& p = Profile::textbook()) {
    TcpConnection c = socket_fin_wait_2(p);
    send(c, Instant::zero(), seg(FIN | ACK, REMOTE_SEQ, LOCAL_SEQ + 1));
    REQUIRE(c.state() == TcpState::TimeWait);
    return c;
}
inline TcpConnection socket_close_wait(const Profile& p = Profile::textbook()) {
    TcpConnection c = socket_established(p);
    send(c, Instant::zero(), seg(FIN | ACK, REMOTE_SEQ, LOCAL_SEQ));
    REQUIRE(c.state() == TcpState::CloseWait);
    return c;
}
inline TcpConnection socket_last_ack(const Profile& p = Profile::textbook()) {
    TcpConnection c = socket_close_wait(p);
    TcpOutput out;
    c.close(Instant::zero(), out);
    REQUIRE(c.state() == TcpState::LastAck);
    return c;
}

// ---- Two-ended harness: a client (active) and a server (passive), a one-way delay, a log of
// ---- every segment on the wire ("C>S [P.] len=18" style), jumps in time.
struct Pair {
    struct Flight {
        Instant at;
        bool to_server;
        TcpSegment seg;
    };
    static inline const Endpoint CLIENT{Ipv4Address::from_octets(10, 0, 0, 1), 51997};
    static inline const Endpoint SERVER{Ipv4Address::from_octets(10, 0, 0, 2), 80};

    TcpConnection client;
    TcpConnection server;
    Instant now;
    Duration delay = Duration::micros(10);
    std::deque<Flight> flights;
    std::vector<TcpSegment> wire;      // in order of transmission
    std::vector<bool> wire_to_server;  // direction of each
    std::vector<StateChanged> client_states, server_states;
    std::vector<ModelEventBody> client_events, server_events;

    explicit Pair(const Profile& p, SeqNum client_iss = SeqNum{1000}, SeqNum server_iss = SeqNum{5000})
        : client(TcpConnection::listening(CLIENT, client_iss, p)),
          server(TcpConnection::listening(SERVER, server_iss, p)) {
        TcpOutput out;
        client = TcpConnection::connect({CLIENT, SERVER}, client_iss, now, p, out);
        take(true, out);
    }

    // Segments from one end go on the wire; events are kept.
    void take(bool from_client, TcpOutput& out) {
        for (auto& s : out.segments) {
            wire.push_back(s);
            wire_to_server.push_back(from_client);
            flights.push_back({now + delay, from_client, s});
        }
        for (auto& e : out.events) {
            auto& states = from_client ? client_states : server_states;
            if (auto* sc = std::get_if<StateChanged>(&e)) states.push_back(*sc);
            (from_client ? client_events : server_events).push_back(e);
        }
        out = {};
    }

    // Run the two ends until `until`: deliveries and timers in time order.
    void run_until(Instant until) {
        while (true) {
            std::optional<Instant> next;
            for (auto& f : flights) next = next ? std::min(*next, f.at) : f.at;
            for (auto* c : {&client, &server})
                if (auto t = c->poll_at()) next = next ? std::min(*next, *t) : *t;
            if (!next || *next > until) break;
            now = *next;
            step();
        }
        now = until;
    }
    void run_for(Duration d) { run_until(now + d); }

    void step() {
        for (size_t i = 0; i < flights.size(); ++i) {
            if (flights[i].at != now) continue;
            Flight f = flights[i];
            flights.erase(flights.begin() + std::ptrdiff_t(i));
            TcpOutput out;
            if (f.to_server) server.on_segment(f.seg, CLIENT, now, out);
            else client.on_segment(f.seg, SERVER, now, out);
            take(!f.to_server, out);
            return;
        }
        for (bool is_client : {true, false}) {
            TcpConnection& c = is_client ? client : server;
            if (c.poll_at() && *c.poll_at() <= now) {
                TcpOutput out;
                c.poll(now, out);
                take(is_client, out);
                return;
            }
        }
    }

    // Program calls on each end.
    void client_send(const Bytes& b) { TcpOutput o; CHECK(client.send(b, now, o).value == b.size()); take(true, o); }
    void server_send(const Bytes& b) { TcpOutput o; CHECK(server.send(b, now, o).value == b.size()); take(false, o); }
    Bytes client_recv(size_t max = 65536) { TcpOutput o; auto r = client.recv(max, now, o); take(true, o); return r.value; }
    Bytes server_recv(size_t max = 65536) { TcpOutput o; auto r = server.recv(max, now, o); take(false, o); return r.value; }
    void client_close() { TcpOutput o; client.close(now, o); take(true, o); }
    void server_close() { TcpOutput o; server.close(now, o); take(false, o); }

    // "C>S S len=0", one line per segment on the wire.
    std::vector<std::string> transcript() const {
        std::vector<std::string> v;
        for (size_t i = 0; i < wire.size(); ++i)
            v.push_back(std::string(wire_to_server[i] ? "C>S " : "S>C ") + flags_of(wire[i]) +
                        " len=" + std::to_string(wire[i].payload.size()));
        return v;
    }
};

}  // namespace tcptest
