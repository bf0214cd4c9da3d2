// Loss and recovery: the reassembly queue (RFC 1122 §4.2.2.20(g)), duplicate ACKs and fast
// retransmit (RFC 5681), zero-window probes (RFC 9293 §3.8.6.1), window updates on read.
#include "test_tcp_fixtures.hpp"

using namespace tcptest;

namespace {
std::vector<Retransmission> retransmissions(const TcpOutput& out) {
    std::vector<Retransmission> v;
    for (const auto& e : out.events)
        if (auto* r = std::get_if<Retransmission>(&e)) v.push_back(*r);
    return v;
}
// The peer's byte at sequence number s (so any piece can be checked).
Bytes stream(SeqNum from, size_t n) {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i) b[i] = uint8_t((from.value + i) % 251);
    return b;
}
TcpSegment piece(uint32_t offset, uint32_t len, uint8_t flags = ACK) {
    return seg(flags, REMOTE_SEQ + offset, LOCAL_SEQ, stream(REMOTE_SEQ + offset, len));
}
}  // namespace

TEST_CASE("tcp: out-of-order segments are queued and delivered when the hole fills") {
    TcpConnection c = socket_established();
    // C, then D with the FIN, then B, then A: a duplicate ACK for RCV.NXT each time.
    for (auto [off, flags] : {std::pair{200u, uint8_t(ACK)}, {300u, uint8_t(ACK | FIN)}, {100u, uint8_t(ACK)}}) {
        auto out = deliver(c, at_ms(1), piece(off, 100, flags));
        REQUIRE(out.segments.size() == 1);
        CHECK(brief(out.segments[0]) == "[.] seq=1001 ack=5001 len=0");
        CHECK(!rejected(out));
        CHECK(c.readable() == 0);
        CHECK(c.state() == TcpState::Established);
    }
    // A fills the hole: all 400 bytes in order, the FIN taken, one ACK for all of it.
    auto out = deliver(c, at_ms(2), piece(0, 100));
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=1001 ack=5402 len=0");
    CHECK(c.state() == TcpState::CloseWait);
    TcpOutput o;
    CHECK(c.recv(1000, at_ms(3), o).value == stream(REMOTE_SEQ, 400));
    CHECK(c.eof());
}

TEST_CASE("tcp: overlapping and repeated out-of-order pieces are delivered once") {
    TcpConnection c = socket_established();
    send(c, at_ms(1), piece(1000, 500));
    send(c, at_ms(1), piece(1200, 500));   // overlaps the end
    send(c, at_ms(1), piece(800, 100));    // before it, a gap between
    send(c, at_ms(1), piece(900, 100));    // joins the two
    send(c, at_ms(1), piece(1000, 500));   // again
    send(c, at_ms(1), piece(3000, 10));    // far ahead
    CHECK(c.readable() == 0);
    auto r = send(c, at_ms(2), piece(0, 850));  // overlaps the queue's first piece
    REQUIRE(r.size() == 1);
    CHECK(r[0].ack == REMOTE_SEQ + 1700);
    r = send(c, at_ms(3), piece(1700, 1300));
    CHECK(r[0].ack == REMOTE_SEQ + 3010);
    TcpOutput o;
    CHECK(c.recv(10000, at_ms(4), o).value == stream(REMOTE_SEQ, 3010));
}

TEST_CASE("tcp: the reassembly queue holds only what fits in the window") {
    Profile small = Profile::textbook();
    small.recv_buffer = 3000;
    TcpConnection c = socket_syn_received(small);
    send(c, Instant::zero(), seg(ACK, REMOTE_SEQ, LOCAL_SEQ));
    send(c, at_ms(1), piece(2000, 2000));  // only 1000 bytes of it are in the window
    send(c, at_ms(1), piece(5000, 100));   // entirely beyond: dropped
    auto r = send(c, at_ms(2), piece(0, 2000));
    REQUIRE(r.size() == 1);
    CHECK(r[0].ack == REMOTE_SEQ + 3000);
    CHECK(r[0].window == 0);
    CHECK(c.readable() == 3000);
    TcpOutput o;
    CHECK(c.recv(5000, at_ms(3), o).value == stream(REMOTE_SEQ, 3000));
}

TEST_CASE("tcp: linux acknowledges out-of-order and gap-filling segments at once") {
    Profile lin = Profile::linux();
    lin.quickack_segments = 0;  // past the quick-ACK phase: in-order data waits
    TcpConnection c = socket_established(lin);
    CHECK(send(c, at_ms(1), piece(0, 100)).empty());             // delayed
    CHECK(send(c, at_ms(2), piece(200, 100)).size() == 1);       // out of order: at once
    auto r = send(c, at_ms(3), piece(100, 100));                 // fills the gap: at once
    REQUIRE(r.size() == 1);
    CHECK(r[0].ack == REMOTE_SEQ + 300);
    CHECK(!c.vars().delayed_ack_at);
}

TEST_CASE("tcp: fast retransmit on the third duplicate ACK, NewReno partial ACK") {
    Profile p = Profile::textbook();
    p.initial_window = 10;  // all five segments in the first window
    TcpConnection c = socket_established(p);
    TcpOutput o;
    c.send(bytes(5 * 1460), at_ms(10), o);
    REQUIRE(o.segments.size() == 5);
    send(c, at_ms(20), seg(ACK, REMOTE_SEQ, LOCAL_SEQ + 1460));  // the first arrived
    SeqNum una = LOCAL_SEQ + 1460;
    auto srtt = c.vars().srtt;  // sampled from the first segment
    // Not duplicates: a window change, data on it.
    auto w = seg(ACK, REMOTE_SEQ, una);
    w.window = 60000;
    CHECK(send(c, at_ms(21), w).empty());
    auto x = seg(ACK, REMOTE_SEQ, una, text("x"));
    x.window = 60000;
    CHECK(send(c, at_ms(21), x).size() == 1);  // ACKs the x
    // Three duplicates (same ACK, same window, no data): the third resends SND.UNA at once.
    auto dup = seg(ACK, REMOTE_SEQ + 1, una);
    dup.window = 60000;
    CHECK(deliver(c, at_ms(22), dup).segments.empty());
    CHECK(deliver(c, at_ms(23), dup).segments.empty());
    auto out = deliver(c, at_ms(24), dup);
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=2461 ack=5002 len=1460");
    auto rx = retransmissions(out);
    REQUIRE(rx.size() == 1);
    CHECK(rx[0] == Retransmission{una, 1460, 1, c.vars().rto, true});
    CHECK(c.vars().retransmit_at == at_ms(20) + c.vars().rto);  // the RTO timer is not restarted
    // More duplicates: no second fast retransmit.
    CHECK(deliver(c, at_ms(25), dup).segments.empty());
    // A partial ACK (the next segment was lost too): resend it at once.
    out = deliver(c, at_ms(30), seg(ACK, REMOTE_SEQ + 1, una + 1460));
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=3921 ack=5002 len=1460");
    CHECK(retransmissions(out).at(0).fast);
    // All acknowledged: Karn, no RTT sample from the retransmitted segments.
    send(c, at_ms(40), seg(ACK, REMOTE_SEQ + 1, LOCAL_SEQ + 5 * 1460));
    CHECK(c.vars().srtt == srtt);
    CHECK(!c.poll_at());
}

TEST_CASE("tcp: one lost segment recovered by fast retransmit, well before the RTO") {
    Pair p(Profile::textbook());
    p.run_for(Duration::millis(1));
    p.client_send(bytes(8 * 1460));
    // The initial window: 3 segments (RFC 3390). The second is lost; the first's ACK lets 2
    // more go (slow start), and the third, fourth and fifth bring 3 duplicate ACKs.
    REQUIRE(p.flights.size() == 3);
    p.flights.erase(p.flights.begin() + 1);
    p.run_for(Duration::millis(5));
    CHECK(p.server_recv(100000) == bytes(8 * 1460));
    CHECK(p.client.vars().send_queued == 0);
    bool fast = false;
    for (auto& e : p.client_events)
        if (auto* r = std::get_if<Retransmission>(&e)) fast = r->fast && r->seq == SeqNum{1001 + 1460};
    CHECK(fast);
}

TEST_CASE("tcp: a refused zero-window probe is sent again, and sending resumes from SND.UNA") {
    // The receiver shuts its window.
    TcpConnection c = socket_established();
    auto shut = seg(ACK, REMOTE_SEQ, LOCAL_SEQ);
    shut.window = 0;
    send(c, at_ms(0), shut);
    TcpOutput o;
    c.send(bytes(100), at_ms(0), o);
    CHECK(o.segments.empty());
    REQUIRE(c.vars().persist_at);
    // The probe: one octet.
    auto out = poll(c, *c.vars().persist_at);
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=1001 ack=5001 len=1");
    // Refused (window still 0): nothing more now; the probe again at the next persist timeout.
    CHECK(send(c, at_ms(1500), shut).empty());
    out = poll(c, *c.vars().persist_at);
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=1001 ack=5001 len=1");
    // The window opens without the probe acknowledged: the data goes from SND.UNA, byte 1001.
    auto open = seg(ACK, REMOTE_SEQ, LOCAL_SEQ);
    open.window = 50000;
    auto r = send(c, at_ms(4000), open);
    REQUIRE(r.size() == 1);
    CHECK(brief(r[0]) == "[P.] seq=1001 ack=5001 len=100");
    CHECK(r[0].payload == bytes(100));
    CHECK(!c.vars().persist_at);
    send(c, at_ms(4010), seg(ACK, REMOTE_SEQ, LOCAL_SEQ + 100));
    CHECK(c.vars().send_queued == 0);
    CHECK(!c.poll_at());
}

TEST_CASE("tcp linux: each probe's answer restarts the probe timer at the current backoff") {
    // k_zero_window.pcap: probes 324, 576, 1088 ms apart, each one round trip plus the doubled
    // interval after the previous one (tcp_ack_probe re-arms from the ACK, tcp_probe0_when).
    Profile lin = Profile::linux();
    lin.clock.hz = 0;  // continuous time: the rule alone (the timer wheel has its own tests)
    TcpConnection c = socket_established(lin);
    auto shut = seg(ACK, REMOTE_SEQ, LOCAL_SEQ);
    shut.window = 0;
    send(c, at_ms(0), shut);
    TcpOutput o;
    c.send(bytes(100), at_ms(0), o);
    REQUIRE(c.vars().persist_at);
    Instant first = *c.vars().persist_at;
    auto out = poll(c, first);
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=1000 ack=5001 len=0");  // SND.UNA - 1, no data
    Duration interval = *c.vars().persist_at - first;  // doubled
    // The answer, 40 ms later, window still 0: the next probe one interval after the answer.
    send(c, first + Duration::millis(40), shut);
    REQUIRE(c.vars().persist_at);
    CHECK(*c.vars().persist_at == first + Duration::millis(40) + interval);
    // In the textbook profile the answer leaves the timer where it was.
    TcpConnection t = socket_established();
    send(t, at_ms(0), shut);
    TcpOutput o2;
    t.send(bytes(100), at_ms(0), o2);
    Instant tf = *t.vars().persist_at;
    poll(t, tf);
    Instant next = *t.vars().persist_at;
    send(t, tf + Duration::millis(40), shut);
    CHECK(*t.vars().persist_at == next);
}

TEST_CASE("tcp: a zero window that opens while the probe is out, with more data than the MSS") {
    TcpConnection c = socket_established();
    auto shut = seg(ACK, REMOTE_SEQ, LOCAL_SEQ);
    shut.window = 0;
    send(c, at_ms(0), shut);
    TcpOutput o;
    c.send(bytes(3000), at_ms(0), o);
    auto out = poll(c, *c.vars().persist_at);
    REQUIRE(out.segments.size() == 1);
    auto open = seg(ACK, REMOTE_SEQ, LOCAL_SEQ);
    open.window = 50000;
    auto r = send(c, at_ms(1100), open);
    REQUIRE(r.size() == 3);
    CHECK(r[0].seq == LOCAL_SEQ);
    CHECK(r[2].seq + uint32_t(r[2].payload.size()) == LOCAL_SEQ + 3000);
}

TEST_CASE("tcp: a window that opens to less than an MSS while the probe is out") {
    TcpConnection c = socket_established();
    auto shut = seg(ACK, REMOTE_SEQ, LOCAL_SEQ);
    shut.window = 0;
    send(c, at_ms(0), shut);
    TcpOutput o;
    c.send(bytes(3000), at_ms(0), o);
    REQUIRE(poll(c, *c.vars().persist_at).segments.size() == 1);  // the probe, byte 1001
    auto small = seg(ACK, REMOTE_SEQ, LOCAL_SEQ);
    small.window = 500;
    CHECK(send(c, at_ms(1100), small).empty());  // sender SWS avoidance: wait for more
    // The persist (override) timer: what the window allows, from SND.UNA, probe byte included.
    auto out = poll(c, *c.vars().persist_at);
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=1001 ack=5001 len=500");
}

TEST_CASE("tcp: a retransmitted segment keeps its PSH flag") {
    TcpConnection c = socket_established();
    TcpOutput o;
    c.send(bytes(100), at_ms(0), o);
    c.send(bytes(50), at_ms(0), o);  // held by Nagle: the queue no longer ends at 1101
    REQUIRE(o.segments.size() == 1);
    CHECK(flags_of(o.segments[0]) == "P.");
    auto out = poll(c, *c.poll_at());
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[P.] seq=1001 ack=5001 len=100");
    // A segment first sent without PSH is resent without it.
    TcpConnection d = socket_established();
    d.send(bytes(3000), at_ms(0), o);
    out = poll(d, *d.poll_at());
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=1001 ack=5001 len=1460");
}

TEST_CASE("tcp: textbook, one ACK per data segment even when the program reads each one") {
    Pair p(Profile::textbook());
    p.run_for(Duration::millis(1));
    size_t before = p.wire.size();
    Bytes got;
    for (int i = 0; i < 10; ++i) {
        p.client_send(bytes(1460));
        p.run_for(Duration::millis(1));
        Bytes b = p.server_recv();
        got.insert(got.end(), b.begin(), b.end());
    }
    std::vector<std::string> t = p.transcript();
    std::vector<std::string> data(t.begin() + std::ptrdiff_t(before), t.end());
    std::vector<std::string> expect;
    for (int i = 0; i < 10; ++i) {
        expect.push_back("C>S P. len=1460");
        expect.push_back("S>C . len=0");
    }
    CHECK(data == expect);
    CHECK(got.size() == 14600);
    // A read that frees 2*MSS beyond what was advertised does send a window update.
    p.client_send(bytes(2 * 1460));
    p.run_for(Duration::millis(1));
    size_t n = p.wire.size();
    CHECK(p.server_recv(1460).size() == 1460);
    CHECK(p.wire.size() == n);
    CHECK(p.server_recv(1460).size() == 1460);
    REQUIRE(p.wire.size() == n + 1);
    CHECK(p.wire.back().window == 65535);
}

TEST_CASE("tcp: textbook profile defaults follow the scenario format") {
    Profile t = Profile::textbook();
    CHECK(t.msl == Duration::seconds(30));
    CHECK(!t.isn_zero);
}
