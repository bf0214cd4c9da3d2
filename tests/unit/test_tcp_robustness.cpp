// Hostile and odd segments: dropped or answered per the RFC, with a Rejected event, never a
// crash; the invariants hold under a pseudo-random barrage.
#include "test_tcp_fixtures.hpp"

using namespace tcptest;

TEST_CASE("tcp: SYN+FIN is dropped in LISTEN and SYN-SENT") {
    TcpConnection l = socket_listen();
    auto out = deliver(l, Instant::zero(), seg(SYN | FIN, REMOTE_ISS, {}));
    CHECK(out.segments.empty());
    CHECK(rejected(out));
    CHECK(l.state() == TcpState::Listen);
    TcpConnection s = socket_syn_sent();
    out = deliver(s, Instant::zero(), seg(SYN | FIN | ACK, REMOTE_ISS, LOCAL_SEQ));
    CHECK(rejected(out));
    CHECK(s.state() == TcpState::SynSent);
}

TEST_CASE("tcp: out-of-window segments get an ACK and are dropped") {
    TcpConnection c = socket_established();
    auto out = deliver(c, at_ms(1), seg(ACK, REMOTE_SEQ + 100000, LOCAL_SEQ, text("far")));
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=1001 ack=5001 len=0");
    CHECK(rejected(out));
    CHECK(c.readable() == 0);
}

TEST_CASE("tcp: out-of-window pure ACKs get at most one ACK per 500 ms (RFC 5961 §7)") {
    TcpConnection c = socket_established();
    auto out = deliver(c, at_ms(1), seg(ACK, REMOTE_SEQ + 100000, LOCAL_SEQ));
    REQUIRE(out.segments.size() == 1);
    out = deliver(c, at_ms(200), seg(ACK, REMOTE_SEQ + 100000, LOCAL_SEQ));
    CHECK(out.segments.empty());
    CHECK(rejected(out));
    // Data out of the window is always answered (not an ACK loop), and does not restart the clock.
    out = deliver(c, at_ms(300), seg(ACK, REMOTE_SEQ + 100000, LOCAL_SEQ, text("far")));
    CHECK(out.segments.size() == 1);
    out = deliver(c, at_ms(501), seg(ACK, REMOTE_SEQ + 100000, LOCAL_SEQ));
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=1001 ack=5001 len=0");
}

TEST_CASE("tcp: ACK of unsent data gets an ACK and is dropped") {
    TcpConnection c = socket_established();
    auto out = deliver(c, at_ms(1), seg(ACK, REMOTE_SEQ, LOCAL_SEQ + 500, text("data")));
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=1001 ack=5001 len=0");
    CHECK(c.readable() == 0);  // the whole segment is dropped
    CHECK(c.vars().snd_una == LOCAL_SEQ);
}

TEST_CASE("tcp: RST out of window is dropped, in window but not exact gets a challenge ACK") {
    TcpConnection c = socket_established();
    auto out = deliver(c, at_ms(1), seg(RST, REMOTE_SEQ + 100000, {}));
    CHECK(out.segments.empty());
    CHECK(rejected(out));
    CHECK(c.state() == TcpState::Established);
    out = deliver(c, at_ms(1), seg(RST, REMOTE_SEQ + 10, {}));
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=1001 ack=5001 len=0");
    CHECK(c.state() == TcpState::Established);
}

TEST_CASE("tcp: data without SYN in SYN-SENT is dropped") {
    TcpConnection c = socket_syn_sent();
    auto out = deliver(c, at_ms(1), seg(PSH, REMOTE_SEQ, {}, text("early")));
    CHECK(out.segments.empty());
    CHECK(rejected(out));
    CHECK(c.state() == TcpState::SynSent);
}

TEST_CASE("tcp: unacceptable ACK in SYN-RECEIVED is answered with RST") {
    TcpConnection c = socket_syn_received();
    auto out = deliver(c, at_ms(1), seg(ACK, REMOTE_SEQ, SeqNum{77}));
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[R] seq=77 len=0");
    CHECK(c.state() == TcpState::SynReceived);
}

TEST_CASE("tcp: a segment without ACK in a synchronized state is dropped") {
    TcpConnection c = socket_established();
    auto out = deliver(c, at_ms(1), seg(PSH, REMOTE_SEQ, {}, text("noack")));
    CHECK(rejected(out));
    CHECK(c.readable() == 0);
}

TEST_CASE("tcp: a pseudo-random barrage never breaks the invariants") {
    // A small linear congruential generator: deterministic, no <random>.
    uint64_t x = 12345;
    auto next = [&] {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        return uint32_t(x >> 33);
    };
    const uint8_t flag_choices[] = {ACK, SYN, FIN | ACK, RST, RST | ACK, SYN | ACK, SYN | FIN,
                                    PSH | ACK, 0, ACK | URG, FIN};
    size_t total_delivered = 0;
    for (int round = 0; round < 200; ++round) {
        TcpConnection c = round % 3 == 0 ? socket_listen() : round % 3 == 1 ? socket_established() : socket_syn_sent();
        Bytes delivered;
        Instant now = Instant::zero();
        for (int i = 0; i < 60; ++i) {
            now = now + Duration::millis(next() % 500);
            TcpSegment s = templ();
            s.flags = flag_choices[next() % std::size(flag_choices)];
            SeqNum rn = c.vars().rcv_nxt;
            switch (next() % 4) {  // at RCV.NXT, overlapping it, ahead of it, anywhere
            case 0: s.seq = rn; break;
            case 1: s.seq = rn - next() % 1500; break;
            case 2: s.seq = rn + next() % 3000; break;
            default: s.seq = SeqNum{next()}; break;
            }
            s.ack = LOCAL_SEQ + (next() % 4 == 0 ? next() : next() % 3000);
            s.window = uint16_t(next());
            if (next() % 2) {
                s.payload.resize(next() % 2000);  // byte = f(its sequence number)
                for (size_t k = 0; k < s.payload.size(); ++k) s.payload[k] = uint8_t((s.seq.value + k) % 251);
            }
            if (next() % 5 == 0) s.mss = uint16_t(next() % 3000);
            if (next() % 5 == 0) s.window_scale = uint8_t(next() % 20);
            TcpOutput out;
            c.on_segment(s, REMOTE, now, out);
            if (next() % 3 == 0) c.send(bytes(next() % 5000), now, out);
            if (next() % 4 == 0) {
                auto r = c.recv(next() % 3000, now, out);
                delivered.insert(delivered.end(), r.value.begin(), r.value.end());
            }
            if (next() % 10 == 0) c.poll(now + Duration::seconds(2), out);
            if (next() % 40 == 0) c.close(now, out);
            TcpVars v = c.vars();
            CHECK(v.snd_una <= v.snd_nxt);
            for (auto& g : out.segments) CHECK(g.payload.size() <= 1460);
        }
        // Established from the start: the stream begins at REMOTE_SEQ, and each delivered byte
        // is the one sent at its sequence number: never twice, never out of order.
        total_delivered += delivered.size();
        if (round % 3 == 1)
            for (size_t k = 0; k < delivered.size(); ++k)
                REQUIRE(delivered[k] == uint8_t((REMOTE_SEQ.value + k) % 251));
    }
    CHECK(total_delivered > 10000);  // the barrage does reach the data path
}
