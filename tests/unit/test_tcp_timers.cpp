// Timers by jumping `now`: RTO (RFC 6298), backoff, Karn, give-up, delayed ACK.
#include "test_tcp_fixtures.hpp"

using namespace tcptest;

namespace {
std::vector<Retransmission> retransmissions(const TcpOutput& out) {
    std::vector<Retransmission> v;
    for (const auto& e : out.events)
        if (auto* r = std::get_if<Retransmission>(&e)) v.push_back(*r);
    return v;
}
}  // namespace

TEST_CASE("tcp: RTO is 3 s after a SYN timeout (RFC 6298 §5.7)") {
    TcpConnection c = socket_syn_sent();
    poll(c, at_ms(1000));  // the SYN is resent
    send(c, at_ms(1100), seg(SYN | ACK, REMOTE_ISS, LOCAL_SEQ));
    CHECK(!c.vars().srtt);  // Karn: no sample from a retransmitted SYN
    CHECK(c.vars().rto == Duration::seconds(3));
}

TEST_CASE("tcp: RTO, backoff and Karn by jumping now") {
    TcpConnection c = socket_syn_sent();
    // The SYN+ACK comes after 100 ms: first RTT sample. SRTT=100ms, RTTVAR=50ms,
    // RTO = 100 + 4*50 = 300 ms, clamped to rto_min = 1 s (textbook).
    send(c, at_ms(100), seg(SYN | ACK, REMOTE_ISS, LOCAL_SEQ));
    CHECK(c.vars().srtt == Duration::millis(100));
    CHECK(c.vars().rttvar == Duration::millis(50));
    CHECK(c.vars().rto == Duration::seconds(1));
    TcpOutput o;
    c.send(bytes(100), at_ms(200), o);
    CHECK(c.poll_at() == at_ms(1200));
    recv_nothing(c, at_ms(1199));
    // Expiry: the earliest segment again, RTO doubled.
    auto out = poll(c, at_ms(1200));
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[P.] seq=1001 ack=5001 len=100");
    auto rx = retransmissions(out);
    REQUIRE(rx.size() == 1);
    CHECK(rx[0] == Retransmission{LOCAL_SEQ, 100, 1, Duration::seconds(2)});
    CHECK(c.poll_at() == at_ms(3200));
    out = poll(c, at_ms(3200));
    CHECK(retransmissions(out)[0].rto == Duration::seconds(4));
    CHECK(c.poll_at() == at_ms(7200));
    // The ACK comes back: Karn, no RTT sample from a retransmitted segment.
    send(c, at_ms(7300), seg(ACK, REMOTE_SEQ, LOCAL_SEQ + 100));
    CHECK(c.vars().srtt == Duration::millis(100));
    CHECK(c.vars().rto == Duration::seconds(4));  // the backed-off RTO stays until a sample
    CHECK(!c.poll_at());
    // A new segment, acknowledged normally after 300 ms: a sample, RTO recomputed.
    c.send(bytes(10), at_ms(8000), o);
    send(c, at_ms(8300), seg(ACK, REMOTE_SEQ, LOCAL_SEQ + 110));
    // RTTVAR = 3/4*50 + 1/4*|100-300| = 87.5; SRTT = 7/8*100 + 1/8*300 = 125; RTO = 475 -> 1 s.
    CHECK(c.vars().srtt == Duration::millis(125));
    CHECK(c.vars().rttvar == Duration::micros(87500));
    CHECK(c.vars().rto == Duration::seconds(1));
}

TEST_CASE("tcp: linux rto_min bounds the variance term, not the RTO") {
    // Linux tcp_rtt_estimator: the first sample r gives SRTT = r and rttvar = max(2r, 200 ms).
    TcpConnection c = socket_syn_sent(Profile::linux());
    send(c, at_ms(10), seg(SYN | ACK, REMOTE_ISS, LOCAL_SEQ));
    // 10 + max(20, 200) = 210 ms (RFC 6298 would say 200), in whole 4 ms jiffies: 212 ms.
    CHECK(c.vars().rto == Duration::millis(212));
    // A round trip of 40 ms, sampled on every ACK: 40 + 200 = 240 ms (tests/data/captures/linux/
    // h_rto.pcap: the retransmission came 245 ms after the lost segment).
    TcpConnection d = socket_syn_sent(Profile::linux());
    send(d, at_ms(40), seg(SYN | ACK, REMOTE_ISS, LOCAL_SEQ));
    CHECK(d.vars().rto == Duration::millis(240));
    TcpOutput o;
    d.send(bytes(100), at_ms(100), o);
    send(d, at_ms(140), seg(ACK, REMOTE_ISS + 1, LOCAL_SEQ + 100));
    CHECK(*d.vars().srtt == Duration::millis(40));
    CHECK(d.vars().rto == Duration::millis(240));
    // The textbook profile keeps RFC 6298's floor on the whole RTO (§2.4: 1 s).
    TcpConnection t = socket_syn_sent(Profile::textbook());
    send(t, at_ms(40), seg(SYN | ACK, REMOTE_ISS, LOCAL_SEQ));
    CHECK(t.vars().rto == Duration::seconds(1));
}

TEST_CASE("tcp: linux takes no RTT sample from an ACK that covers a retransmission") {
    TcpConnection d = socket_syn_sent(Profile::linux());
    send(d, at_ms(40), seg(SYN | ACK, REMOTE_ISS, LOCAL_SEQ));
    TcpOutput o;
    d.send(bytes(100), at_ms(100), o);
    REQUIRE(d.poll_at());
    poll(d, *d.poll_at());  // the RTO: resent, RTO doubled to 480 ms
    CHECK(d.vars().rto == Duration::millis(480));
    send(d, at_ms(900), seg(ACK, REMOTE_ISS + 1, LOCAL_SEQ + 100));
    CHECK(*d.vars().srtt == Duration::millis(40));  // Karn: no sample of 800 or 560 ms
    CHECK(d.vars().rto == Duration::millis(480));
}

TEST_CASE("tcp: SYN retries then ETIMEDOUT") {
    for (Profile prof : {Profile::textbook(), Profile::linux()}) {
        TcpConnection c = socket_syn_sent(prof);
        uint32_t syns = 1;
        TcpOutput last;
        while (auto t = c.poll_at()) {
            last = poll(c, *t);
            for (auto& s : last.segments) syns += s.has(SYN) ? 1 : 0;
        }
        CHECK(syns == prof.syn_retries + prof.syn_linear_timeouts + 1);
        CHECK(c.state() == TcpState::Closed);
        CHECK(conn_error(last) == Err::TimedOut);
        CHECK(state_changes(last).back().cause == "retransmission timeout");
        CHECK(last.segments.empty());  // like Linux: nothing sent when giving up
        TcpOutput o;
        CHECK(c.send(text("x"), Instant::zero(), o).err == Err::TimedOut);
    }
    // Linux 6.18: 4 linear retries 1 s apart, then 6 doubling: SYNs due at 0, 1, 2, 3, 4, 5, 7,
    // 11, 19, 35, 67 s and ETIMEDOUT at 131 s (in continuous time, the timeouts alone)...
    auto syn_times = [](Profile p, Instant& end) {
        TcpConnection c = socket_syn_sent(p);
        std::vector<int64_t> syn_at{0};
        while (auto t = c.poll_at()) {
            end = *t;
            for (auto& s : poll(c, *t).segments)
                if (s.has(SYN)) syn_at.push_back((*t - Instant::zero()).ns / 1'000'000);
        }
        return syn_at;
    };
    Profile nominal = Profile::linux();
    nominal.clock.hz = 0;
    Instant end;
    CHECK(syn_times(nominal, end) ==
          std::vector<int64_t>{0, 1000, 2000, 3000, 4000, 5000, 7000, 11000, 19000, 35000, 67000});
    CHECK(end == at_ms(131'000));
    // ...and on the kernel's timer wheel, as tests/data/captures/linux/i_syn_timeout.pcap has
    // them: 1 s is 250 jiffies, fired at the next 8-jiffy (32 ms) bucket: 1024 ms apart; 2 s at
    // 504 jiffies; 4 s, 8 s, 16 s in 64-jiffy buckets, 32 s and 64 s in 512-jiffy ones. The
    // capture's SYNs: 0, 1001.6, 2025.6, 3049.7, 4073.6, 5097.6, 7113.6, 11273.6, 19465.6,
    // 35593.7, 68361.6 ms, connect() failing at 133.956 s; with jiffies where they were then
    // (317 at the SYN, mod 512), every gap the same, the first 2.4 ms longer (part of a jiffy).
    Profile wheel = Profile::linux();
    wheel.clock.jiffies_at_start = 317;
    CHECK(syn_times(wheel, end) ==
          std::vector<int64_t>{0, 1004, 2028, 3052, 4076, 5100, 7116, 11276, 19468, 35596, 68364});
    CHECK(end == at_ms(133'900));
    // tcp_syn_linear_timeouts = 0: the doubling of older kernels, 127 s.
    Profile old = Profile::linux();
    old.clock.hz = 0;
    old.syn_linear_timeouts = 0;
    TcpConnection o = socket_syn_sent(old);
    while (auto t = o.poll_at()) {
        end = *t;
        poll(o, *t);
    }
    CHECK(end == at_ms(127'000));
}

TEST_CASE("tcp: data retries then ETIMEDOUT") {
    TcpConnection c = socket_established();
    TcpOutput o;
    c.send(bytes(10), Instant::zero(), o);
    uint32_t resent = 0;
    TcpOutput last;
    while (auto t = c.poll_at()) {
        last = poll(c, *t);
        resent += uint32_t(retransmissions(last).size());
    }
    CHECK(resent == Profile::textbook().data_retries);
    CHECK(c.state() == TcpState::Closed);
    CHECK(c.error() == Err::TimedOut);
}

TEST_CASE("tcp: the FIN is retransmitted too") {
    TcpConnection c = socket_fin_wait_1();
    auto out = poll(c, *c.poll_at());
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[F.] seq=1001 ack=5001 len=0");
}

TEST_CASE("tcp: timer events are in the output") {
    TcpOutput o;
    TcpConnection::connect(TUPLE, LOCAL_ISS, Instant::zero(), Profile::textbook(), o);
    CHECK(std::get<TimerEvent>(o.events.back()) ==
          TimerEvent{TimerKind::Retransmission, TimerAction::Armed, at_ms(1000)});
}

TEST_CASE("tcp: linux delayed ACK after the quick-ACK phase, at most 40 ms") {
    Profile lin = Profile::linux();
    lin.quickack_segments = 1;
    TcpConnection c = socket_established(lin);
    // The first data segment: quick ACK.
    CHECK(send(c, at_ms(1), seg(ACK | PSH, REMOTE_SEQ, LOCAL_SEQ, text("one"))).size() == 1);
    // The next: delayed.
    auto out = deliver(c, at_ms(2), seg(ACK | PSH, REMOTE_SEQ + 3, LOCAL_SEQ, text("two")));
    CHECK(out.segments.empty());
    // 40 ms = 10 jiffies from the tick it was armed in (jiffies 0), fired at the next tick
    // after them (the wheel's level 0 rounds up by one): 44 ms.
    CHECK(c.poll_at() == at_ms(44));
    recv_nothing(c, at_ms(43));
    out = poll(c, at_ms(44));
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=1001 ack=5007 len=0");
    // Delayed again, but a reply in time carries the ACK.
    send(c, at_ms(50), seg(ACK | PSH, REMOTE_SEQ + 6, LOCAL_SEQ, text("three")));
    TcpOutput o;
    c.send(text("reply"), at_ms(60), o);
    REQUIRE(o.segments.size() == 1);
    CHECK(brief(o.segments[0]) == "[P.] seq=1001 ack=5012 len=5");
    CHECK(!c.vars().delayed_ack_at);
    // Two full-sized segments: ACK at once (RFC 5681 §4.2).
    send(c, at_ms(70), seg(ACK, REMOTE_SEQ + 11, LOCAL_SEQ + 5, bytes(1460)));
    auto r = send(c, at_ms(71), seg(ACK, REMOTE_SEQ + 11 + 1460, LOCAL_SEQ + 5, bytes(1460)));
    CHECK(r.size() == 1);
}
