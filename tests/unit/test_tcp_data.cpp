// Data transfer: MSS segmentation, PSH, cumulative ACKs, duplicates, out-of-order, windows.
#include "test_tcp_fixtures.hpp"

using namespace tcptest;

TEST_CASE("tcp: MSS segmentation with PSH on the last segment of a write") {
    TcpConnection c = socket_established();
    TcpOutput o;
    CHECK(c.send(bytes(4000), Instant::zero(), o).value == 4000);
    REQUIRE(o.segments.size() == 3);
    CHECK(brief(o.segments[0]) == "[.] seq=1001 ack=5001 len=1460");
    CHECK(brief(o.segments[1]) == "[.] seq=2461 ack=5001 len=1460");
    CHECK(brief(o.segments[2]) == "[P.] seq=3921 ack=5001 len=1080");
    Bytes all = bytes(4000);
    CHECK(o.segments[0].payload == Bytes(all.begin(), all.begin() + 1460));
    // The peer's smaller MSS wins (536 without the option).
    TcpConnection d = socket_syn_sent();
    send(d, Instant::zero(), seg(SYN | ACK, REMOTE_ISS, LOCAL_SEQ));
    TcpOutput o2;
    d.send(bytes(1000), Instant::zero(), o2);
    REQUIRE(o2.segments.size() == 2);
    CHECK(o2.segments[0].payload.size() == 536);
}

TEST_CASE("tcp: cumulative ACK frees the send queue and stops the timer") {
    TcpConnection c = socket_established();
    TcpOutput o;
    c.send(bytes(3000), Instant::zero(), o);
    CHECK(c.vars().send_queued == 3000);
    send(c, at_ms(5), seg(ACK, REMOTE_SEQ, LOCAL_SEQ + 1460));
    CHECK(c.vars().send_queued == 1540);
    CHECK(c.vars().retransmit_at);
    send(c, at_ms(6), seg(ACK, REMOTE_SEQ, LOCAL_SEQ + 3000));
    CHECK(c.vars().send_queued == 0);
    CHECK(c.vars().snd_una == LOCAL_SEQ + 3000);
    CHECK(!c.vars().retransmit_at);
    CHECK(!c.poll_at());
}

TEST_CASE("tcp: received data is acknowledged, delivered once and in order") {
    TcpConnection c = socket_established();
    auto r = send(c, at_ms(1), seg(ACK | PSH, REMOTE_SEQ, LOCAL_SEQ, text("hello ")));
    REQUIRE(r.size() == 1);
    CHECK(brief(r[0]) == "[.] seq=1001 ack=5007 len=0");
    // A duplicate: acknowledged again, not delivered twice.
    r = send(c, at_ms(2), seg(ACK | PSH, REMOTE_SEQ, LOCAL_SEQ, text("hello ")));
    REQUIRE(r.size() == 1);
    CHECK(brief(r[0]) == "[.] seq=1001 ack=5007 len=0");
    // Overlapping old and new: only the new part.
    send(c, at_ms(3), seg(ACK | PSH, REMOTE_SEQ + 3, LOCAL_SEQ, text("lo world")));
    // Out of order (a hole before it): queued, RCV.NXT acknowledged at once (duplicate ACK).
    auto out = deliver(c, at_ms(4), seg(ACK, REMOTE_SEQ + 20, LOCAL_SEQ, text("later")));
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=1001 ack=5012 len=0");
    CHECK(!rejected(out));
    TcpOutput o;
    CHECK(c.recv(100, at_ms(5), o).value == text("hello world"));
    CHECK(c.recv(100, at_ms(5), o).would_block_now());
    // The hole is filled: both delivered, in order, and the new RCV.NXT acknowledged.
    auto r2 = send(c, at_ms(6), seg(ACK, REMOTE_SEQ + 11, LOCAL_SEQ, text(" - then: ")));
    REQUIRE(r2.size() == 1);
    CHECK(brief(r2[0]) == "[.] seq=1001 ack=5026 len=0");
    CHECK(c.recv(100, at_ms(7), o).value == text(" - then: later"));
}

TEST_CASE("tcp: zero window stops the sender, the persist timer probes, a read reopens it") {
    Profile small = Profile::textbook();
    small.recv_buffer = 3000;
    Pair p(Profile::textbook());
    p.server = TcpConnection::listening(Pair::SERVER, SeqNum{5000}, small);
    p.run_for(Duration::millis(1));
    REQUIRE(p.server.state() == TcpState::Established);
    p.client_send(bytes(5000));
    p.run_for(Duration::millis(5));
    // 2920 bytes fill the buffer but 80; those 80 go after the override (persist) timer.
    CHECK(p.server.readable() == 2920);
    p.run_for(Duration::seconds(2));
    // The receiver holds 3000 bytes and advertises a zero window: the sender stops.
    CHECK(p.server.readable() == 3000);
    CHECK(p.client.vars().snd_wnd == 0);
    CHECK(p.client.vars().persist_at);
    CHECK(!p.client.vars().retransmit_at);
    // Probes back off but do not give up; the window stays shut.
    size_t before = p.wire.size();
    p.run_for(Duration::seconds(8));
    CHECK(p.wire.size() > before);
    CHECK(p.client.state() == TcpState::Established);
    CHECK(p.server.readable() == 3000);
    // The program reads: a window update, and the rest flows.
    Bytes got = p.server_recv(3000);
    p.run_for(Duration::millis(10));
    CHECK(!p.client.vars().persist_at);
    Bytes rest = p.server_recv(3000);
    got.insert(got.end(), rest.begin(), rest.end());
    CHECK(got == bytes(5000));
    CHECK(p.client.vars().send_queued == 0);
}

TEST_CASE("tcp: receiver SWS avoidance, window update on read when the window opens by 2*MSS") {
    Profile small = Profile::textbook();
    small.recv_buffer = 4000;
    TcpConnection c = socket_syn_received(small);
    send(c, Instant::zero(), seg(ACK, REMOTE_SEQ, LOCAL_SEQ));
    auto r = send(c, at_ms(1), seg(ACK, REMOTE_SEQ, LOCAL_SEQ, bytes(1000)));
    CHECK(r[0].window == 3000);
    TcpOutput o;
    c.recv(500, at_ms(2), o);  // 500 bytes free again: less than an MSS, no update
    CHECK(o.segments.empty());
    c.recv(1000, at_ms(3), o);  // the other 500: 1000 free beyond the window, under an MSS
    CHECK(o.segments.empty());
    r = send(c, at_ms(4), seg(ACK, REMOTE_SEQ + 1000, LOCAL_SEQ, bytes(2500)));
    CHECK(r[0].window == 500);
    c.recv(2000, at_ms(5), o);  // 2000 bytes freed: the window update goes out
    REQUIRE(o.segments.size() == 1);
    CHECK(o.segments[0].window == 3500);
}

TEST_CASE("tcp: Nagle holds a small segment while data is unacknowledged") {
    TcpConnection c = socket_established();
    TcpOutput o;
    c.send(text("a"), Instant::zero(), o);
    c.send(text("b"), Instant::zero(), o);
    c.send(text("c"), Instant::zero(), o);
    REQUIRE(o.segments.size() == 1);  // "a" goes, "b" and "c" wait
    auto r = send(c, at_ms(10), seg(ACK, REMOTE_SEQ, LOCAL_SEQ + 1));
    REQUIRE(r.size() == 1);
    CHECK(r[0].payload == text("bc"));
}

TEST_CASE("tcp: send on a connection that is not connected: ENOTCONN, EPIPE under linux") {
    // Linux: tcp_sendmsg_locked() -> sk_stream_wait_connect() answers -EPIPE outside SYN-SENT and
    // SYN-RECEIVED; recv() stays ENOTCONN (tcp_recvmsg on a listener).
    TcpOutput o;
    TcpConnection t = socket_listen(Profile::textbook());
    CHECK(t.send(text("x"), Instant::zero(), o).err == Err::NotConn);
    TcpConnection l = socket_listen(Profile::linux());
    CHECK(l.send(text("x"), Instant::zero(), o).err == Err::Pipe);
    CHECK(l.recv(1, Instant::zero(), o).err == Err::NotConn);
    CHECK(o.segments.empty());
    // In SYN-SENT, data is queued under both profiles (sent once ESTABLISHED).
    TcpConnection s = socket_syn_sent(Profile::linux());
    CHECK(s.send(text("x"), Instant::zero(), o).is_ok());
}

TEST_CASE("tcp: send and recv errors") {
    TcpConnection l = socket_listen();
    TcpOutput o;
    CHECK(l.send(text("x"), Instant::zero(), o).err == Err::NotConn);
    CHECK(l.recv(1, Instant::zero(), o).err == Err::NotConn);
    TcpConnection f = socket_fin_wait_2();
    CHECK(f.send(text("x"), Instant::zero(), o).err == Err::Pipe);
    CHECK(f.send_space() == 0);
    TcpConnection e = socket_established();
    CHECK(e.send_space() == 65535);
    e.send(bytes(65535), Instant::zero(), o);
    CHECK(e.send(text("x"), Instant::zero(), o).would_block_now());
}

TEST_CASE("tcp: shutdown_read discards arriving data but acknowledges it") {
    TcpConnection c = socket_established();
    c.shutdown_read();
    auto r = send(c, at_ms(1), seg(ACK, REMOTE_SEQ, LOCAL_SEQ, text("ignored")));
    REQUIRE(r.size() == 1);
    CHECK(r[0].ack == REMOTE_SEQ + 7);
    CHECK(c.readable() == 0);
}
