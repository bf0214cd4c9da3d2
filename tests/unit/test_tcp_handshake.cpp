// Opening a connection: RFC 9293 figures 6, 7, 8 (and 9-11, half-open and resets), options.
#include "test_tcp_fixtures.hpp"

using namespace tcptest;

TEST_CASE("tcp: figure 6, basic three-way handshake") {
    TcpOutput out;
    TcpConnection a = TcpConnection::connect(TUPLE, SeqNum{100}, Instant::zero(), Profile::textbook(), out);
    // 2. A sends <SEQ=100><CTL=SYN>, enters SYN-SENT.
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[S] seq=100 len=0");
    CHECK(out.segments[0].mss == 1460);
    CHECK(a.state() == TcpState::SynSent);
    CHECK(state_changes(out) == std::vector<StateChanged>{{TcpState::Closed, TcpState::SynSent, "connect"}});

    // 3. B (LISTEN) receives it, sends <SEQ=300><ACK=101><CTL=SYN,ACK>, enters SYN-RECEIVED.
    TcpConnection b = TcpConnection::listening(REMOTE, SeqNum{300}, Profile::textbook());
    TcpOutput out_b;
    b.on_segment(out.segments[0], LOCAL, Instant::zero(), out_b);
    REQUIRE(out_b.segments.size() == 1);
    CHECK(brief(out_b.segments[0]) == "[S.] seq=300 ack=101 len=0");
    CHECK(b.state() == TcpState::SynReceived);
    CHECK(b.tuple() == TUPLE.reversed());  // the remote end comes from the SYN
    CHECK(b.passive());

    // 4. A receives it, sends <SEQ=101><ACK=301><CTL=ACK>, ESTABLISHED.
    TcpOutput out_a;
    a.on_segment(out_b.segments[0], REMOTE, Instant::zero(), out_a);
    REQUIRE(out_a.segments.size() == 1);
    CHECK(brief(out_a.segments[0]) == "[.] seq=101 ack=301 len=0");
    CHECK(a.state() == TcpState::Established);
    CHECK(state_changes(out_a)[0].cause == "rcv SYN+ACK");

    // B receives the ACK: ESTABLISHED, nothing to send.
    TcpOutput out_b2;
    b.on_segment(out_a.segments[0], LOCAL, Instant::zero(), out_b2);
    CHECK(b.state() == TcpState::Established);
    CHECK(out_b2.segments.empty());
    CHECK(state_changes(out_b2) ==
          std::vector<StateChanged>{{TcpState::SynReceived, TcpState::Established, "rcv ACK of SYN"}});
    CHECK(!a.poll_at());  // no timer left: the SYN was acknowledged
    CHECK(!b.poll_at());
}

TEST_CASE("tcp: figure 7, simultaneous open") {
    TcpOutput oa, ob;
    TcpConnection a = TcpConnection::connect(TUPLE, SeqNum{100}, Instant::zero(), Profile::textbook(), oa);
    TcpConnection b = TcpConnection::connect(TUPLE.reversed(), SeqNum{300}, Instant::zero(), Profile::textbook(), ob);
    // 3/4. Each receives the other's SYN in SYN-SENT: SYN-RECEIVED, sends SYN+ACK.
    TcpOutput oa2, ob2;
    a.on_segment(ob.segments[0], REMOTE, Instant::zero(), oa2);
    b.on_segment(oa.segments[0], LOCAL, Instant::zero(), ob2);
    CHECK(a.state() == TcpState::SynReceived);
    CHECK(b.state() == TcpState::SynReceived);
    REQUIRE(oa2.segments.size() == 1);
    CHECK(brief(oa2.segments[0]) == "[S.] seq=100 ack=301 len=0");
    CHECK(brief(ob2.segments[0]) == "[S.] seq=300 ack=101 len=0");
    // 5-7. Each receives the other's SYN+ACK: ESTABLISHED.
    TcpOutput oa3, ob3;
    a.on_segment(ob2.segments[0], REMOTE, Instant::zero(), oa3);
    b.on_segment(oa2.segments[0], LOCAL, Instant::zero(), ob3);
    CHECK(a.state() == TcpState::Established);
    CHECK(b.state() == TcpState::Established);
    CHECK(!a.passive());
    CHECK(a.vars().snd_una == SeqNum{101});
    CHECK(a.vars().rcv_nxt == SeqNum{301});
    CHECK(!a.poll_at());
}

TEST_CASE("tcp: figure 8, recovery from an old duplicate SYN") {
    TcpOutput oa;
    TcpConnection a = TcpConnection::connect(TUPLE, SeqNum{100}, Instant::zero(), Profile::textbook(), oa);
    // 3. An old duplicate SYN <SEQ=90> reaches B first.
    TcpConnection b = TcpConnection::listening(REMOTE, SeqNum{300}, Profile::textbook());
    TcpSegment old = oa.segments[0];
    old.seq = SeqNum{90};
    TcpOutput ob;
    b.on_segment(old, LOCAL, Instant::zero(), ob);
    // 4. B answers <SEQ=300><ACK=91><CTL=SYN,ACK>.
    REQUIRE(ob.segments.size() == 1);
    CHECK(brief(ob.segments[0]) == "[S.] seq=300 ack=91 len=0");
    // 5. A sees an unacceptable ACK in SYN-SENT: <SEQ=91><CTL=RST>.
    TcpOutput oa2;
    a.on_segment(ob.segments[0], REMOTE, Instant::zero(), oa2);
    REQUIRE(oa2.segments.size() == 1);
    CHECK(brief(oa2.segments[0]) == "[R] seq=91 len=0");
    CHECK(a.state() == TcpState::SynSent);
    // 6. B gets the RST: back to LISTEN (the host then drops this TCB).
    TcpOutput ob2;
    b.on_segment(oa2.segments[0], LOCAL, Instant::zero(), ob2);
    CHECK(b.state() == TcpState::Listen);
    CHECK(state_changes(ob2)[0] == StateChanged{TcpState::SynReceived, TcpState::Listen, "rcv RST"});
    CHECK(!conn_error(ob2));
    // 7. A's real SYN reaches a fresh listening TCB; 8-9 the handshake completes.
    TcpConnection b2 = TcpConnection::listening(REMOTE, SeqNum{400}, Profile::textbook());
    TcpOutput ob3;
    b2.on_segment(oa.segments[0], LOCAL, Instant::zero(), ob3);
    CHECK(brief(ob3.segments[0]) == "[S.] seq=400 ack=101 len=0");
    TcpOutput oa3;
    a.on_segment(ob3.segments[0], REMOTE, Instant::zero(), oa3);
    CHECK(a.state() == TcpState::Established);
}

TEST_CASE("tcp: figure 9, half-open connection discovery") {
    // B still thinks it is connected; A crashed and opens again: B answers the SYN with a
    // challenge ACK, A (SYN-SENT) answers the bad ACK with a RST, B aborts.
    TcpConnection b = socket_established();  // local = B here
    auto reply = send(b, at_ms(1), seg(SYN, SeqNum{400}, {}));
    REQUIRE(reply.size() == 1);
    CHECK(brief(reply[0]) == "[.] seq=1001 ack=5001 len=0");
    CHECK(b.state() == TcpState::Established);
    TcpOutput oa;
    TcpConnection a = TcpConnection::connect(TUPLE.reversed(), SeqNum{400}, at_ms(1), Profile::textbook(), oa);
    TcpOutput oa2;
    a.on_segment(reply[0], LOCAL, at_ms(1), oa2);
    REQUIRE(oa2.segments.size() == 1);
    CHECK(brief(oa2.segments[0]) == "[R] seq=5001 len=0");
    auto out = deliver(b, at_ms(1), oa2.segments[0]);
    CHECK(b.state() == TcpState::Closed);
    CHECK(conn_error(out) == Err::ConnReset);
}

TEST_CASE("tcp: figure 10, active side finds the other crashed") {
    // A data segment reaches a CLOSED end (no TCB): <SEQ=SEG.ACK><CTL=RST>.
    TcpSegment data = seg(ACK, REMOTE_SEQ, LOCAL_SEQ, text("hello"));
    auto rst = TcpConnection::reset_for(data);
    REQUIRE(rst);
    CHECK(brief(*rst) == "[R] seq=1001 len=0");
    CHECK(rst->src_port == data.dst_port);
    CHECK(rst->dst_port == data.src_port);
    // The RST reaches the established sender at exactly RCV.NXT: connection reset.
    TcpConnection c = socket_established();
    TcpSegment r = *rst;
    r.src_port = REMOTE.port;
    r.dst_port = LOCAL.port;
    r.seq = REMOTE_SEQ;
    auto out = deliver(c, at_ms(1), r);
    CHECK(c.state() == TcpState::Closed);
    CHECK(conn_error(out) == Err::ConnReset);
    CHECK(c.error() == Err::ConnReset);
}

TEST_CASE("tcp: figure 11, old duplicate SYN starts a half-open connection") {
    // A SYN without ACK reaching no TCB: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
    TcpSegment syn = seg(SYN, SeqNum{800}, {});
    auto rst = TcpConnection::reset_for(syn);
    REQUIRE(rst);
    CHECK(brief(*rst) == "[R.] seq=0 ack=801 len=0");
    CHECK(!TcpConnection::reset_for(seg(RST, SeqNum{1}, {})));  // never answer a RST
    // RST in SYN-RECEIVED of a passive open: back to LISTEN.
    TcpConnection c = socket_syn_received();
    auto out = deliver(c, at_ms(1), seg(RST, REMOTE_SEQ, {}));
    CHECK(c.state() == TcpState::Listen);
}

TEST_CASE("tcp: RST in SYN-SENT with an acceptable ACK is ECONNREFUSED") {
    TcpConnection c = socket_syn_sent();
    auto out = deliver(c, at_ms(1), seg(RST | ACK, SeqNum{0}, LOCAL_SEQ));
    CHECK(c.state() == TcpState::Closed);
    CHECK(conn_error(out) == Err::ConnRefused);
    CHECK(state_changes(out).back().cause == "rcv RST");
    TcpOutput o;
    CHECK(c.recv(10, at_ms(1), o).err == Err::ConnRefused);
    CHECK(!c.poll_at());
    // Without an ACK, a RST in SYN-SENT is dropped.
    TcpConnection d = socket_syn_sent();
    auto out2 = deliver(d, at_ms(1), seg(RST, SeqNum{0}, {}));
    CHECK(d.state() == TcpState::SynSent);
    CHECK(rejected(out2));
}

TEST_CASE("tcp: RST in SYN-RECEIVED of a simultaneous open is ECONNREFUSED") {
    TcpConnection c = socket_syn_sent();
    send(c, Instant::zero(), seg(SYN, REMOTE_ISS, {}));
    REQUIRE(c.state() == TcpState::SynReceived);
    auto out = deliver(c, at_ms(1), seg(RST, REMOTE_SEQ, {}));
    CHECK(c.state() == TcpState::Closed);
    CHECK(conn_error(out) == Err::ConnRefused);
}

TEST_CASE("tcp: LISTEN ignores RST, answers ACK with RST, ignores other segments") {
    TcpConnection c = socket_listen();
    auto out = deliver(c, Instant::zero(), seg(RST, SeqNum{7}, {}));
    CHECK(out.segments.empty());
    CHECK(rejected(out));
    auto out2 = deliver(c, Instant::zero(), seg(ACK, SeqNum{7}, SeqNum{77}));
    REQUIRE(out2.segments.size() == 1);
    CHECK(brief(out2.segments[0]) == "[R] seq=77 len=0");
    auto out3 = deliver(c, Instant::zero(), seg(0, SeqNum{7}, {}, text("x")));
    CHECK(out3.segments.empty());
    CHECK(c.state() == TcpState::Listen);
}

TEST_CASE("tcp: MSS option, 536 by default, and the SYN retransmitted in SYN-RECEIVED") {
    TcpConnection c = socket_listen();
    send(c, Instant::zero(), seg(SYN, REMOTE_ISS, {}));  // no MSS option
    CHECK(c.vars().mss == 536);
    // The peer resends its SYN (our SYN+ACK was lost): we resend the SYN+ACK.
    auto reply = send(c, at_ms(5), seg(SYN, REMOTE_ISS, {}));
    REQUIRE(reply.size() == 1);
    CHECK(brief(reply[0]) == "[S.] seq=1000 ack=5001 len=0");
    TcpConnection d = socket_listen();
    TcpSegment syn = seg(SYN, REMOTE_ISS, {});
    syn.mss = 1000;
    send(d, Instant::zero(), syn);
    CHECK(d.vars().mss == 1000);
}

TEST_CASE("tcp: window scale only when both SYNs carry it (RFC 7323)") {
    Profile lin = Profile::linux();
    // Peer without window scale: our SYN+ACK has none, and the window field is not shifted.
    TcpConnection c = socket_listen(lin);
    TcpSegment syn = seg(SYN, REMOTE_ISS, {});
    auto reply = send(c, Instant::zero(), syn);
    REQUIRE(reply.size() == 1);
    CHECK(!reply[0].window_scale);
    CHECK(reply[0].window == 64240);
    auto ack = send(c, Instant::zero(), seg(ACK, REMOTE_SEQ, LOCAL_SEQ, text("hi")));
    REQUIRE(ack.size() == 1);
    // Linux would offer less now (rcv_ssthresh 64076 = the buffer's 65536 less one MSS, rounded
    // down to the 536 bytes assumed of a peer without MSS option) but never moves the right
    // edge back: 64240 - 2 (tcp_select_window).
    CHECK(ack[0].window == 64238);
    // Peer with window scale 7: ours is 10, its window field is shifted by 7.
    TcpConnection d = socket_listen(lin);
    syn.window_scale = 7;
    reply = send(d, Instant::zero(), syn);
    CHECK(reply[0].window_scale == 10);
    TcpSegment a = seg(ACK, REMOTE_SEQ, LOCAL_SEQ);
    a.window = 100;
    send(d, Instant::zero(), a);
    CHECK(d.vars().snd_wnd == 100u << 7);
}

TEST_CASE("tcp: data queued in SYN-SENT goes out once ESTABLISHED") {
    TcpConnection c = socket_syn_sent();
    TcpOutput o;
    CHECK(c.send(text("early"), Instant::zero(), o).value == 5);
    CHECK(o.segments.empty());
    auto out = send(c, at_ms(1), seg(SYN | ACK, REMOTE_ISS, LOCAL_SEQ));
    REQUIRE(out.size() == 1);  // the data segment carries the ACK of the SYN
    CHECK(brief(out[0]) == "[P.] seq=1001 ack=5001 len=5");
}
