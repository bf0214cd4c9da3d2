// Congestion control (RFC 5681, NewReno RFC 6582): the initial window per profile, slow start,
// congestion avoidance, the cuts on a retransmission timeout and on fast retransmit, partial
// ACKs, the peer's window as the other limit, and the restart after idle.
#include <cmath>
#include <set>

#include "test_tcp_fixtures.hpp"

using namespace tcptest;

namespace {

constexpr uint32_t SMSS = 1460;

// A bulk sender on an established connection, and a receiver one RTT away that acknowledges
// the data segments of each round in order (every `ack_every`-th one, and the last), keeps what
// arrives out of order and sends duplicate ACKs for a hole. round() delivers the segments sent
// in the previous round and returns how many data segments the sender sent in response.
struct Flow {
    TcpConnection c;
    Instant now;
    Duration rtt = Duration::millis(100);
    size_t to_write;                  // bytes the program still has to hand to TCP
    std::vector<TcpSegment> pending;  // data segments sent, not yet delivered
    std::vector<ModelEventBody> events;
    uint32_t ack_every = 1;
    uint16_t window = 65535;
    // The receiver, in offsets from our first data byte.
    uint32_t rcv_next = 0;
    std::set<std::pair<uint32_t, uint32_t>> ooo;

    explicit Flow(const Profile& p, size_t total = 1'000'000) : c(socket_established(p)), to_write(total) {
        fill();
    }

    void take(TcpOutput& o) {
        for (auto& s : o.segments)
            if (!s.payload.empty()) pending.push_back(s);
        events.insert(events.end(), o.events.begin(), o.events.end());
    }
    // The program writes whatever the send buffer takes.
    void fill() {
        if (to_write == 0 || c.send_space() == 0) return;
        TcpOutput o;
        auto r = c.send(bytes(std::min<size_t>(to_write, 1 << 18)), now, o);
        REQUIRE(!r.is_error());
        if (r.is_ok()) to_write -= r.value;
        take(o);
    }
    void ack(uint32_t offset) {
        TcpSegment a = seg(ACK, REMOTE_SEQ, LOCAL_SEQ + offset);
        a.window = window;
        TcpOutput o;
        c.on_segment(a, REMOTE, now, o);
        take(o);
        fill();
    }
    // The receiver takes one segment; returns true when it moves RCV.NXT.
    bool receive(const TcpSegment& s) {
        uint32_t lo = uint32_t(s.seq - LOCAL_SEQ), hi = lo + uint32_t(s.payload.size());
        if (lo > rcv_next) {
            ooo.insert({lo, hi});
            return false;
        }
        uint32_t before = rcv_next;
        rcv_next = std::max(rcv_next, hi);
        while (!ooo.empty() && ooo.begin()->first <= rcv_next) {
            rcv_next = std::max(rcv_next, ooo.begin()->second);
            ooo.erase(ooo.begin());
        }
        return rcv_next > before;
    }
    size_t round(const std::set<size_t>& lose = {}) {
        std::vector<TcpSegment> arriving = std::move(pending);
        pending.clear();
        now = now + rtt;
        uint32_t unacked = 0;
        for (size_t i = 0; i < arriving.size(); ++i) {
            if (lose.count(i)) continue;
            bool advanced = receive(arriving[i]);
            // In order: every ack_every-th segment and the last one; out of order or a
            // duplicate: a duplicate ACK at once (RFC 5681 §4.2).
            if (advanced && ++unacked < ack_every && i + 1 < arriving.size()) continue;
            unacked = 0;
            ack(rcv_next);
        }
        return pending.size();
    }
    // Nothing comes back: the retransmission timer fires; returns the segments sent.
    size_t timeout() {
        pending.clear();
        REQUIRE(c.poll_at());
        now = *c.poll_at();
        TcpOutput o;
        c.poll(now, o);
        take(o);
        return pending.size();
    }
    uint32_t cwnd() const { return c.vars().cwnd; }
    uint32_t ssthresh() const { return c.vars().ssthresh; }
    std::vector<std::string> notes() const {
        std::vector<std::string> v;
        for (const auto& e : events)
            if (auto* n = std::get_if<Note>(&e)) v.push_back(n->text);
        return v;
    }
    bool noted(std::string_view what) const {
        auto v = notes();
        return std::any_of(v.begin(), v.end(), [&](const std::string& t) { return t.find(what) != std::string::npos; });
    }
};

Profile textbook_iw(uint32_t segments) {
    Profile p = Profile::textbook();
    p.initial_window = segments;
    return p;
}

}  // namespace

TEST_CASE("cwnd: the initial window is 3 segments (textbook, RFC 3390) or 10 (linux, RFC 6928)") {
    Flow t(Profile::textbook());
    CHECK(t.pending.size() == 3);  // min(4*1460, max(2*1460, 4380)) = 4380
    CHECK(t.cwnd() == 3 * SMSS);
    CHECK(t.ssthresh() == 65535);  // the largest window the peer can advertise
    Flow l(Profile::linux());
    CHECK(l.pending.size() == 10);
    CHECK(l.cwnd() == 10 * SMSS);
    // Before our SYN is acknowledged there is no window yet.
    CHECK(socket_syn_sent().vars().cwnd == 0);
    // With a smaller MSS, RFC 3390 allows 4 segments: min(4*536, max(2*536, 4380)) = 2144.
    TcpConnection c = socket_syn_sent();
    TcpSegment synack = seg(SYN | ACK, REMOTE_ISS, LOCAL_SEQ);
    synack.mss = 536;
    send(c, Instant::zero(), synack);
    CHECK(c.vars().cwnd == 4 * 536);
}

TEST_CASE("cwnd: 1 segment after a lost SYN (RFC 5681 §3.1): Linux after two") {
    auto after_syn_losses = [](const Profile& p, int losses) {
        TcpConnection c = socket_syn_sent(p);
        for (int i = 0; i < losses; ++i) poll(c, *c.poll_at());  // the SYN again
        TcpSegment synack = seg(SYN | ACK, REMOTE_ISS, LOCAL_SEQ);
        synack.mss = 1460;
        send(c, *c.poll_at() - Duration::millis(1), synack);
        REQUIRE(c.state() == TcpState::Established);
        return c.vars().cwnd;
    };
    CHECK(after_syn_losses(Profile::textbook(), 0) == 3 * SMSS);
    CHECK(after_syn_losses(Profile::textbook(), 1) == SMSS);
    CHECK(after_syn_losses(Profile::linux(), 1) == 10 * SMSS);
    CHECK(after_syn_losses(Profile::linux(), 2) == SMSS);
}

TEST_CASE("cwnd: slow start doubles the window every round trip") {
    Flow t(Profile::textbook());
    std::vector<size_t> rounds{t.pending.size()};
    for (int i = 0; i < 3; ++i) rounds.push_back(t.round());
    CHECK(rounds == std::vector<size_t>{3, 6, 12, 24});  // +SMSS per ACK (RFC 5681 §3.1 (2))
    CHECK(t.cwnd() == 24 * SMSS);                        // IW + 21 ACKs of a full segment
    Flow l(Profile::linux());
    rounds = {l.pending.size()};
    for (int i = 0; i < 2; ++i) rounds.push_back(l.round());
    CHECK(rounds == std::vector<size_t>{10, 20, 40});
    CHECK(!t.noted("ssthresh"));  // still below ssthresh: no note
}

TEST_CASE("cwnd: with an ACK for every second segment, byte counting still doubles") {
    // RFC 5681 §3.1 (2) counts ACKs: cwnd grows by half per round trip. Linux counts the bytes
    // acknowledged (RFC 3465): it doubles.
    Flow t(textbook_iw(10));
    t.ack_every = 2;
    t.round();
    CHECK(t.cwnd() == 15 * SMSS);
    Flow l(Profile::linux());
    l.ack_every = 2;
    l.round();
    CHECK(l.cwnd() == 20 * SMSS);
}

TEST_CASE("cwnd: congestion avoidance adds about one segment per round trip") {
    // Slow start until ssthresh (65535, the peer's window); then the peer's window holds the
    // flight at 44 segments while cwnd creeps up.
    Flow t(Profile::textbook());
    for (int i = 0; i < 4; ++i) t.round();
    CHECK(t.cwnd() >= t.ssthresh());
    CHECK(t.noted("reached ssthresh 65535: slow start ends, congestion avoidance (RFC 5681 §3.1)"));
    for (int i = 0; i < 4; ++i) {
        uint32_t before = t.cwnd();
        size_t acks = t.round();
        (void)acks;
        uint32_t growth = t.cwnd() - before;
        // RFC 5681 §3.1 (3): SMSS*SMSS/cwnd per ACK, a little under SMSS per cwnd of ACKs.
        CHECK(growth > SMSS * 8 / 10);
        CHECK(growth <= SMSS);
    }
    // Linux: slow start stops at ssthresh exactly. Then the peer's 65535-byte window, not cwnd,
    // holds the flight: Linux stops growing cwnd (tcp_is_cwnd_limited), where RFC 5681 goes on.
    Flow l(Profile::linux());
    for (int i = 0; i < 3; ++i) l.round();
    uint32_t ca_start = l.cwnd();
    CHECK(ca_start >= 65535);
    CHECK(ca_start <= 65535 + SMSS);
    for (int i = 0; i < 6; ++i) l.round();
    CHECK(l.cwnd() <= ca_start + SMSS);
    // Below the peer's window (ssthresh cut to 0.7 x cwnd by a timeout, CUBIC) cwnd is the limit
    // again. After a timeout CUBIC starts afresh (bictcp_reset in TCP_CA_Loss: W_max forgotten),
    // and with no W_max it grows at most 5% per round trip ("cnt = 20": +1 per 20 segments
    // acknowledged); the Reno profile without CUBIC's growth adds 1 segment per round trip.
    uint32_t segments = l.cwnd() / SMSS;
    l.timeout();
    uint32_t ssthresh = l.ssthresh();
    CHECK(ssthresh == segments * 717 / 1024 * SMSS);
    REQUIRE(ssthresh < 60000);
    // (The lost round comes back one hole per round trip first: cwnd is then the limit too.)
    for (int i = 0; i < 100 && (l.cwnd() < ssthresh || l.pending.size() < 10); ++i) l.round();
    uint32_t ca = l.cwnd();
    for (int i = 0; i < 4; ++i) l.round();
    uint32_t grown = (l.cwnd() - ca) / SMSS, five_percent = ca / SMSS / 20;  // per round
    CHECK(grown >= 4 * five_percent);
    CHECK(grown <= 4 * (five_percent + 1));
    Profile reno = Profile::linux();
    reno.cubic_growth = false;
    Flow r(reno);
    for (int i = 0; i < 9; ++i) r.round();
    r.timeout();
    uint32_t rs = r.ssthresh();
    for (int i = 0; i < 100 && (r.cwnd() < rs || r.pending.size() < 10); ++i) r.round();
    uint32_t rca = r.cwnd();
    for (int i = 0; i < 4; ++i) r.round();
    CHECK(r.cwnd() - rca >= 3 * SMSS);
    CHECK(r.cwnd() - rca <= 4 * SMSS);
}

TEST_CASE("cwnd: linux grows cwnd only when cwnd limits the sender (tcp_is_cwnd_limited)") {
    // A request/response exchange: one small segment in flight under a 10-segment cwnd. RFC 5681
    // grows cwnd on each ACK (textbook); Linux keeps it: the ACK says nothing about the network.
    for (const Profile& p : {textbook_iw(10), Profile::linux()}) {
        TcpConnection c = socket_established(p);
        for (int i = 0; i < 5; ++i) {
            TcpOutput o;
            c.send(bytes(100), at_ms(10 * i), o);
            REQUIRE(o.segments.size() == 1);
            send(c, at_ms(10 * i + 1), seg(ACK, REMOTE_SEQ, LOCAL_SEQ + uint32_t(100 * (i + 1))));
        }
        if (p.kind == Profile::Kind::Linux) CHECK(c.vars().cwnd == 10 * SMSS);
        else CHECK(c.vars().cwnd == 10 * SMSS + 500);  // + min(N, SMSS) per ACK
    }
    // The peer's window of 3 segments holds the flight: cwnd stays 10 segments in Linux.
    TcpConnection c = socket_established(Profile::linux());
    TcpSegment w = seg(ACK, REMOTE_SEQ, LOCAL_SEQ);
    w.window = 3 * SMSS;
    send(c, at_ms(1), w);
    TcpOutput o;
    c.send(bytes(20 * SMSS), at_ms(2), o);
    REQUIRE(o.segments.size() == 3);
    TcpSegment a = seg(ACK, REMOTE_SEQ, LOCAL_SEQ + 3 * SMSS);
    a.window = 3 * SMSS;
    send(c, at_ms(3), a);
    CHECK(c.vars().cwnd == 10 * SMSS);
    // In slow start cwnd may still grow to twice the largest flight: 6 segments in flight
    // under a window of 6 let cwnd reach 12 segments, and no further.
    TcpConnection d = socket_established(Profile::linux());
    TcpOutput o2;
    d.send(bytes(40 * SMSS), at_ms(2), o2);  // 10 segments, cwnd full: cwnd-limited
    REQUIRE(o2.segments.size() == 10);
    SeqNum acked = LOCAL_SEQ;
    for (int i = 0; i < 6; ++i) {
        acked += 2 * SMSS;
        TcpSegment b = seg(ACK, REMOTE_SEQ, acked);
        b.window = 2 * SMSS;  // the peer reads slowly: never more than 2 segments may be out
        send(d, at_ms(3 + i), b);
    }
    CHECK(d.vars().cwnd <= 2 * 10 * SMSS);
}

TEST_CASE("cwnd: a retransmission timeout collapses cwnd to 1 SMSS, ssthresh = FlightSize/2") {
    Flow t(Profile::textbook());
    t.round();  // 3 acknowledged, cwnd 6 segments: 6 in flight
    REQUIRE(t.pending.size() == 6);
    REQUIRE(t.cwnd() == 6 * SMSS);
    // The whole round is lost.
    CHECK(t.timeout() == 1);
    CHECK(t.pending[0].seq == LOCAL_SEQ + 3 * SMSS);
    CHECK(t.ssthresh() == 6 * SMSS / 2);  // max(FlightSize/2, 2*SMSS) (RFC 5681 §3.1 (4))
    CHECK(t.cwnd() == SMSS);              // LW
    CHECK(t.noted("retransmission timeout: ssthresh = max(FlightSize/2, 2*SMSS) = 4380, cwnd 8760 -> 1460 (1 SMSS) (RFC 5681 §3.1)"));
    // Timeout again for the same segment: cwnd stays 1 SMSS, ssthresh is not recomputed.
    t.events.clear();
    CHECK(t.timeout() == 1);
    CHECK(t.ssthresh() == 3 * SMSS);
    CHECK(t.cwnd() == SMSS);
    CHECK(t.notes().empty());
    // The retransmission arrives (the rest of the round was lost too): a partial ACK, the next
    // hole is resent, and cwnd grows in slow start.
    CHECK(t.round() == 1);
    CHECK(t.pending[0].seq == LOCAL_SEQ + 4 * SMSS);
    CHECK(t.cwnd() == 2 * SMSS);
}

TEST_CASE("cwnd: fast retransmit halves the flight, inflates per duplicate, deflates on the full ACK") {
    Flow f(textbook_iw(10));
    REQUIRE(f.pending.size() == 10);
    // The first segment is lost; nine duplicate ACKs come back.
    f.round({0});
    // Third duplicate (RFC 5681 §3.2): ssthresh = 14600/2 = 7300, cwnd = 7300 + 3*1460 = 11680.
    CHECK(f.noted("3 duplicate ACKs: fast retransmit; ssthresh = max(FlightSize/2, 2*SMSS) = 7300, cwnd 14600 -> 11680 (ssthresh + 3*SMSS) (RFC 5681 §3.2)"));
    CHECK(f.ssthresh() == 7300);
    // Six more duplicates: cwnd 11680 + 6*1460 = 20440, room for 4 new segments beyond the 14600
    // in flight (RFC 5681 §3.2 steps 4-5).
    CHECK(f.cwnd() == 20440);
    REQUIRE(f.pending.size() == 5);
    CHECK(f.pending[0].seq == LOCAL_SEQ);  // the retransmission
    CHECK(f.pending[1].seq == LOCAL_SEQ + 10 * SMSS);
    // The retransmission fills the hole: a full ACK, cwnd = ssthresh (RFC 6582 §3.2 step 3).
    f.events.clear();
    f.round();
    CHECK(f.noted("full ACK: fast recovery ends, cwnd 20440 -> 7300 (ssthresh)"));
    // Then congestion avoidance: about one segment more per round trip.
    CHECK(f.cwnd() > 7300);
    CHECK(f.cwnd() < 7300 + 4 * SMSS);
    uint32_t before = f.cwnd();
    f.round();
    CHECK(f.cwnd() - before > SMSS / 2);
    CHECK(f.cwnd() - before < 3 * SMSS / 2);
}

TEST_CASE("cwnd: NewReno partial ACK resends the next hole and deflates cwnd by what it acked") {
    Flow f(textbook_iw(10));
    // Segments 1 and 4 are lost: seven duplicates, fast retransmit of segment 1.
    f.round({0, 3});
    CHECK(f.ssthresh() == 7300);
    CHECK(f.cwnd() == 11680 + 5 * SMSS);  // 3 + 5 duplicates
    uint32_t inflated = f.cwnd();
    REQUIRE(f.pending.size() >= 1);
    // The retransmission arrives: ACK up to segment 4's hole, 3 segments acked - partial.
    f.events.clear();
    f.pending.resize(1);  // deliver only the retransmission
    f.round();
    // RFC 6582 §3.2 step 3: cwnd - 3*1460 + 1460, segment 4 resent at once.
    CHECK(f.cwnd() == inflated - 3 * SMSS + SMSS);
    REQUIRE(!f.pending.empty());
    CHECK(f.pending[0].seq == LOCAL_SEQ + 3 * SMSS);
    bool fast = false;
    for (auto& e : f.events)
        if (auto* r = std::get_if<Retransmission>(&e)) fast = r->fast && r->seq == LOCAL_SEQ + 3 * SMSS;
    CHECK(fast);
    CHECK(!f.noted("full ACK"));
}

TEST_CASE("cwnd: the peer's window limits sending when it is smaller than cwnd") {
    TcpConnection c = socket_established(Profile::linux());  // cwnd 10 segments
    TcpSegment w = seg(ACK, REMOTE_SEQ, LOCAL_SEQ);
    w.window = 3 * SMSS;
    send(c, at_ms(1), w);
    TcpOutput o;
    c.send(bytes(20 * SMSS), at_ms(2), o);
    CHECK(o.segments.size() == 3);  // min(cwnd, rwnd) = rwnd
    CHECK(c.vars().cwnd == 10 * SMSS);
    // And cwnd when it is the smaller: 3 segments of the textbook IW under a 65535 window.
    TcpConnection t = socket_established();
    TcpOutput o2;
    t.send(bytes(20 * SMSS), at_ms(2), o2);
    CHECK(o2.segments.size() == 3);
    CHECK(t.vars().snd_wnd == 65535);
}

TEST_CASE("cwnd: restart after idle (RFC 5681 §4.1)") {
    // Grow cwnd to 24 segments, let the transfer finish, stay idle, then send again.
    Flow t(Profile::textbook(), 45 * SMSS);
    for (int i = 0; i < 4; ++i) t.round();
    REQUIRE(t.pending.empty());
    REQUIRE(t.cwnd() > 4380);
    uint32_t grown = t.cwnd();
    // Idle (nothing sent: the last round only brought ACKs) for less than an RTO: cwnd kept.
    t.now = t.now - t.rtt + t.c.vars().rto - Duration::millis(1);
    t.to_write = 20 * SMSS;
    t.fill();
    CHECK(t.cwnd() == grown);
    CHECK(!t.noted("idle"));
    for (int i = 0; i < 3; ++i) t.round();
    REQUIRE(t.pending.empty());
    grown = t.cwnd();
    // Idle for more: cwnd = min(IW, cwnd), ssthresh unchanged; the IW goes out.
    uint32_t ssthresh = t.ssthresh();
    t.now = t.now + t.c.vars().rto + Duration::millis(1);
    t.to_write = 20 * SMSS;
    t.fill();
    CHECK(t.cwnd() == 4380);
    CHECK(t.ssthresh() == ssthresh);
    CHECK(t.pending.size() == 3);
    CHECK(t.noted("idle for more than the RTO: cwnd " + std::to_string(grown) + " -> 4380 (restart window min(IW, cwnd)) (RFC 5681 §4.1)"));

    // Linux halves cwnd for each RTO of idle time (tcp_cwnd_restart), and keeps ssthresh at
    // least 3/4 of the old cwnd.
    Flow l(Profile::linux(), 30 * SMSS);
    l.round();
    l.round();
    REQUIRE(l.pending.empty());
    uint32_t old = l.cwnd();
    REQUIRE(old == 40 * SMSS);
    Duration rto = l.c.vars().rto;
    l.now = l.now + rto * 2 + rto / 2;  // 2.5 RTOs: halved twice
    l.to_write = 30 * SMSS;
    l.fill();
    CHECK(l.cwnd() == old / 4);
    CHECK(l.ssthresh() == std::max<uint32_t>(65535, old / 2 + old / 4));
    CHECK(l.pending.size() == 10);
}

TEST_CASE("cwnd: the two ends of a real exchange, and the trace's variables") {
    // 30 KB over the two-ended harness: every byte arrives, cwnd grew, nothing was cut.
    Pair p(Profile::textbook());
    p.delay = Duration::millis(10);
    p.run_for(Duration::millis(30));
    p.client_send(bytes(30000));
    p.run_for(Duration::millis(200));
    CHECK(p.server_recv(100000) == bytes(30000));
    TcpVars v = p.client.vars();
    CHECK(v.cwnd == 4380 + 30000);  // slow start all along: + min(N, SMSS) per ACK
    CHECK(v.ssthresh == 65535);
}

TEST_CASE("cwnd: limited transmit (linux): a new segment on each of the first two duplicate ACKs") {
    for (bool linux : {false, true}) {
        Profile p = linux ? Profile::linux() : textbook_iw(10);
        TcpConnection c = socket_established(p);
        TcpOutput o;
        c.send(bytes(20 * SMSS), at_ms(1), o);
        REQUIRE(o.segments.size() == 10);
        // The first segment is lost: duplicates of ack=LOCAL_SEQ.
        auto dup = seg(ACK, REMOTE_SEQ, LOCAL_SEQ);
        auto first = send(c, at_ms(2), dup);
        auto second = send(c, at_ms(3), dup);
        // RFC 3042: one new segment each. Linux holds the first back (tcp_tso_should_defer: less
        // than a 2-segment packet, the next ACK due) and sends both as one packet on the second.
        CHECK(first.size() == 0u);
        CHECK(second.size() == (linux ? 2u : 0u));
        if (linux) {
            CHECK(second[0].seq == LOCAL_SEQ + 10 * SMSS);
            CHECK(second[1].seq == LOCAL_SEQ + 11 * SMSS);
            CHECK(second[1].has(PSH));  // a packet of two: PSH on its last piece
        }
        CHECK(c.vars().cwnd == 10 * SMSS);          // cwnd itself unchanged
        auto third = send(c, at_ms(4), dup);         // fast retransmit
        REQUIRE(!third.empty());
        CHECK(third[0].seq == LOCAL_SEQ);
        // FlightSize includes the two limited-transmit segments when it is halved (RFC 5681);
        // CUBIC takes 717/1024 of cwnd, 10 segments: 7 (bictcp_recalc_ssthresh).
        CHECK(c.vars().ssthresh == (linux ? 7 * SMSS : 10 * SMSS / 2));
    }
}

TEST_CASE("cwnd: linux recovers by PRR with CUBIC's ssthresh, counting duplicate ACKs as segments") {
    // tests/data/captures/linux/l_fast_retransmit.pcap, as the server saw it: IW10 with the 8th
    // segment lost, 7 ACKs and 2 duplicates; 16 new segments, whose first ACK grows the window
    // (not a duplicate: FLAG_WIN_UPDATE) and the next 15 are duplicates.
    TcpConnection c = socket_established(Profile::linux());
    TcpOutput o;
    // The send buffer takes 46720 bytes (as SO_MEMINFO showed); the program writes the rest as
    // soon as it may (it did so at the first duplicate ACK).
    size_t left = 60000 - c.send(bytes(60000), at_ms(1), o).value;
    CHECK(left == 60000 - 46720);
    REQUIRE(o.segments.size() == 10);
    auto ack = [&](uint32_t segments, uint16_t window, int ms) {
        TcpSegment a = seg(ACK, REMOTE_SEQ, LOCAL_SEQ + segments * SMSS);
        a.window = window;
        auto sent = send(c, at_ms(ms), a);
        if (left > 0 && c.send_space() > 0) {
            TcpOutput w;
            auto r = c.send(bytes(left), at_ms(ms), w);
            if (r.is_ok()) left -= r.value;
            for (auto& s : w.segments) sent.push_back(s);
        }
        return sent;
    };
    size_t sent = 0;
    for (uint32_t i = 1; i <= 7; ++i) sent += ack(i, 60000, 41).size();  // slow start: 2 each
    sent += ack(7, 60000, 41).size() + ack(7, 60000, 41).size();          // 1 each (tcp_add_reno_sack)
    CHECK(sent == 16);
    CHECK(c.vars().cwnd == 17 * SMSS);
    CHECK(ack(7, 61000, 81).empty());  // a window update
    // The third duplicate: cwnd 17 -> ssthresh 17 x 717/1024 = 11 segments; PRR lets only the
    // retransmission go (15 in flight, above ssthresh: ceil(11 x 1/17) = 1).
    auto third = ack(7, 61000, 81);
    REQUIRE(third.size() == 1);
    CHECK(third[0].seq == LOCAL_SEQ + 7 * SMSS);
    CHECK(c.vars().ssthresh == 11 * SMSS);
    // Then per duplicate ceil(11 x delivered / 17) - sent so far while more than 11 are in
    // flight, then one per duplicate (PRR-SSRB, at most ssthresh in flight): 9 new segments
    // for 14 duplicates, as the kernel sent.
    std::vector<size_t> per_dup;
    for (int i = 0; i < 14; ++i) per_dup.push_back(ack(7, 61000, 81).size());
    CHECK(per_dup == std::vector<size_t>{1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0, 1, 1});
    CHECK(c.vars().snd_nxt == LOCAL_SEQ + 35 * SMSS);
    // The retransmission's ACK reaches `recover` (SND.NXT at the third duplicate) exactly: without
    // SACK recovery holds (tcp_is_non_sack_preventing_reopen); 9 in flight, PRR-SSRB: 2 more.
    CHECK(ack(26, 61000, 121).size() == 2);
    CHECK(c.vars().cwnd == 11 * SMSS);
    // An ACK above it ends the recovery: cwnd = ssthresh (tcp_end_cwnd_reduction).
    auto rest = ack(35, 61000, 122);
    CHECK(rest.size() == 5);  // all that is left: 4 full segments and 140 bytes
    CHECK(c.vars().cwnd >= 11 * SMSS);
    CHECK(c.vars().ssthresh == 11 * SMSS);
}

TEST_CASE("cwnd: linux PRR after a partial ACK resends the next hole as cwnd allows") {
    // Segments 1 and 4 of IW10 are lost: 8 duplicates, fast retransmit of segment 1 on the third.
    TcpConnection c = socket_established(Profile::linux());
    TcpOutput o;
    REQUIRE(c.send(bytes(20 * SMSS), at_ms(1), o).value == 20 * SMSS);
    REQUIRE(o.segments.size() == 10);
    TcpSegment dup = seg(ACK, REMOTE_SEQ, LOCAL_SEQ);
    size_t news = send(c, at_ms(41), dup).size() + send(c, at_ms(41), dup).size();
    // tcp_add_reno_sack lets one go on each; the first goes (the last packet left 40 ms ago),
    // the second waits for a 2-segment packet (tcp_tso_should_defer, the next ACK due).
    CHECK(news == 1);
    auto third = send(c, at_ms(41), dup);
    REQUIRE(third.size() == 1);
    CHECK(third[0].seq == LOCAL_SEQ);
    CHECK(c.vars().ssthresh == 7 * SMSS);  // 10 x 717/1024
    for (int i = 0; i < 5; ++i) send(c, at_ms(41), dup);
    // The retransmission arrives: ACK of 3 segments, up to the second hole (partial).
    TcpSegment partial = seg(ACK, REMOTE_SEQ, LOCAL_SEQ + 3 * SMSS);
    auto r = send(c, at_ms(81), partial);
    REQUIRE(!r.empty());
    CHECK(r[0].seq == LOCAL_SEQ + 3 * SMSS);  // the new head, marked lost (tcp_newreno_mark_lost)
    CHECK(c.vars().cwnd <= 7 * SMSS);         // never above ssthresh while recovering
}

TEST_CASE("cwnd: linux grows as CUBIC after a fast recovery, Reno's way only where that is faster") {
    // A segment lost in the second round: cwnd 24 when the third duplicate ACK comes, so W_max
    // 24 and ssthresh 17 (x 717/1024). RFC 9438 §4.2: W_cubic(t) = C (t - K)^3 + W_max, C = 0.4,
    // K = cbrt(W_max (1 - beta) / C) = 2.6 s, aimed one round trip ahead; §4.3: at least the
    // TCP-friendly W_est = W_max beta + 3 (1 - beta) / (1 + beta) t / RTT, 0.53 segments per
    // round trip. At a 100 ms round trip the curve leads for 10 round trips, then W_est. The
    // kernel updates cnt once per jiffy and Reno's estimate at the next update, so cwnd climbs
    // in steps (+2 every few round trips, as in p_cubic.pcap): within a segment below and three
    // above the larger of the two; about half a segment per round trip, where Reno adds one.
    auto run = [](bool cubic, uint32_t& base) {
        Profile p = Profile::linux();
        p.cubic_growth = cubic;
        Flow f(p, 20'000'000);
        f.round();                 // IW10 acknowledged: 20 out
        REQUIRE(f.pending.size() == 20);
        f.round({5});              // one lost: 3 duplicate ACKs, PRR, then the hole filled
        for (int i = 0; i < 3 && !f.noted("fast recovery ends"); ++i) f.round();
        REQUIRE(f.noted("fast recovery ends"));
        base = f.ssthresh() / SMSS;
        std::vector<uint32_t> w;
        for (int k = 0; k < 20; ++k) {
            f.round();
            w.push_back(f.cwnd() / SMSS);
        }
        return w;
    };
    uint32_t base = 0, reno_base = 0;
    std::vector<uint32_t> cubic = run(true, base), reno = run(false, reno_base);
    CHECK(base == 17);
    CHECK(reno_base == 17);
    const double beta = 0.7, C = 0.4, w_max = 24, K = std::cbrt(w_max * (1 - beta) / C);
    for (size_t k = 0; k < cubic.size(); ++k) {
        double t = 0.1 * double(k + 1);  // the round trips since the recovery ended
        double w_est = w_max * beta + 3 * (1 - beta) / (1 + beta) * double(k + 1);
        double w_cubic = C * std::pow(t + 0.1 - K, 3) + w_max;
        double target = std::max(w_est, w_cubic);
        CAPTURE(k);
        CAPTURE(cubic[k]);
        CAPTURE(target);
        CHECK(double(cubic[k]) >= target - 1);
        CHECK(double(cubic[k]) <= target + 3);
        CHECK(reno[k] == reno_base + k + 1);
    }
    double slope = double(cubic.back() - base) / double(cubic.size());
    CHECK(slope > 0.4);
    CHECK(slope < 0.6);
}
