// Closing: RFC 9293 figures 12 and 13, half-close, TIME-WAIT, abort, Linux's RST on close.
#include "test_tcp_fixtures.hpp"

using namespace tcptest;

TEST_CASE("tcp: figure 12, normal close sequence") {
    Pair p(Profile::textbook());
    p.run_for(Duration::millis(1));
    REQUIRE(p.client.state() == TcpState::Established);
    REQUIRE(p.server.state() == TcpState::Established);
    size_t before = p.wire.size();
    // 2. CLOSE by the client: FIN-WAIT-1, <SEQ=100><ACK=300><CTL=FIN,ACK>.
    p.client_close();
    CHECK(p.client.state() == TcpState::FinWait1);
    p.run_for(Duration::millis(1));
    // 3. The server: CLOSE-WAIT, ACKs at once (textbook); the client: FIN-WAIT-2.
    CHECK(p.server.state() == TcpState::CloseWait);
    CHECK(p.client.state() == TcpState::FinWait2);
    CHECK(p.server.eof());
    // 4. The server closes: LAST-ACK; 5. the client: TIME-WAIT and ACK; 6. the server: CLOSED.
    p.server_close();
    CHECK(p.server.state() == TcpState::LastAck);
    p.run_for(Duration::millis(1));
    CHECK(p.client.state() == TcpState::TimeWait);
    CHECK(p.server.state() == TcpState::Closed);
    auto all = p.transcript();
    std::vector<std::string> close(all.begin() + std::ptrdiff_t(before), all.end());
    CHECK(close == std::vector<std::string>{"C>S F. len=0", "S>C . len=0", "S>C F. len=0", "C>S . len=0"});
    CHECK(p.server_states.back() == StateChanged{TcpState::LastAck, TcpState::Closed, "rcv ACK of FIN"});
    // TIME-WAIT lasts 2*MSL, then CLOSED.
    p.run_until(p.now + Profile::textbook().msl * 2 - Duration::millis(3));
    CHECK(p.client.state() == TcpState::TimeWait);
    p.run_for(Duration::millis(3));
    CHECK(p.client.state() == TcpState::Closed);
    CHECK(p.client_states.back().cause == "2MSL timeout");
}

TEST_CASE("tcp: figure 13, simultaneous close through CLOSING") {
    Pair p(Profile::textbook());
    p.run_for(Duration::millis(1));
    size_t before = p.wire.size();
    p.client_close();
    p.server_close();
    CHECK(p.client.state() == TcpState::FinWait1);
    CHECK(p.server.state() == TcpState::FinWait1);
    p.run_for(Duration::micros(15));  // each FIN arrives before the other's ACK
    CHECK(p.client.state() == TcpState::Closing);
    CHECK(p.server.state() == TcpState::Closing);
    p.run_for(Duration::millis(1));
    CHECK(p.client.state() == TcpState::TimeWait);
    CHECK(p.server.state() == TcpState::TimeWait);
    auto all = p.transcript();
    std::vector<std::string> close(all.begin() + std::ptrdiff_t(before), all.end());
    CHECK(close == std::vector<std::string>{"C>S F. len=0", "S>C F. len=0", "S>C . len=0", "C>S . len=0"});
    CHECK(p.client_states.back() == StateChanged{TcpState::Closing, TcpState::TimeWait, "rcv ACK of FIN"});
}

TEST_CASE("tcp: FIN+ACK in FIN-WAIT-1 goes straight to TIME-WAIT") {
    TcpConnection c = socket_fin_wait_1();
    auto out = deliver(c, at_ms(1), seg(FIN | ACK, REMOTE_SEQ, LOCAL_SEQ + 1));
    CHECK(c.state() == TcpState::TimeWait);
    CHECK(state_changes(out) ==
          std::vector<StateChanged>{{TcpState::FinWait1, TcpState::TimeWait, "rcv FIN+ACK"}});
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=1002 ack=5002 len=0");
}

TEST_CASE("tcp: TIME-WAIT expires after 2*MSL and restarts on a retransmitted FIN") {
    TcpConnection c = socket_time_wait();
    Duration two_msl = Profile::textbook().msl * 2;
    CHECK(c.poll_at() == Instant::zero() + two_msl);
    // The peer did not get our ACK and resends its FIN: ACK again, restart the timer.
    Instant t = at_ms(10'000);
    auto out = deliver(c, t, seg(FIN | ACK, REMOTE_SEQ, LOCAL_SEQ + 1));
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=1002 ack=5002 len=0");
    CHECK(c.poll_at() == t + two_msl);
    recv_nothing(c, Instant::zero() + two_msl);
    CHECK(c.state() == TcpState::TimeWait);
    auto last = poll(c, t + two_msl);
    CHECK(c.state() == TcpState::Closed);
    CHECK(state_changes(last)[0].cause == "2MSL timeout");
    CHECK(!c.poll_at());
}

TEST_CASE("tcp: half-close, the side that received FIN keeps sending") {
    Pair p(Profile::textbook());
    p.run_for(Duration::millis(1));
    TcpOutput o;
    p.client.shutdown_write(p.now, o);
    p.take(true, o);
    CHECK(p.client_states.back() == StateChanged{TcpState::Established, TcpState::FinWait1, "shutdown"});
    p.run_for(Duration::millis(1));
    CHECK(p.client.state() == TcpState::FinWait2);
    CHECK(p.server.state() == TcpState::CloseWait);
    // The server sends a reply in CLOSE-WAIT; the client still reads it.
    p.server_send(text("still talking"));
    p.run_for(Duration::millis(1));
    CHECK(p.client_recv() == text("still talking"));
    // Sending after shutdown(SHUT_WR) is EPIPE.
    TcpOutput o2;
    CHECK(p.client.send(text("x"), p.now, o2).err == Err::Pipe);
    p.server_close();
    p.run_for(Duration::millis(1));
    CHECK(p.client.state() == TcpState::TimeWait);
    CHECK(p.server.state() == TcpState::Closed);
    CHECK(p.client_recv().empty());  // EOF
    CHECK(p.client.eof());
}

TEST_CASE("tcp: FIN is sent after the queued data") {
    TcpConnection c = socket_established();
    TcpOutput o;
    c.send(bytes(3000), Instant::zero(), o);
    c.close(Instant::zero(), o);
    REQUIRE(o.segments.size() == 4);
    CHECK(brief(o.segments[3]) == "[F.] seq=4001 ack=5001 len=0");
    // Data still queued when the program closes: the FIN rides on the last segment.
    TcpConnection d = socket_established();
    TcpOutput o2;
    d.send(text("a"), Instant::zero(), o2);
    d.send(text("bc"), Instant::zero(), o2);  // held by Nagle
    d.close(Instant::zero(), o2);
    REQUIRE(o2.segments.size() == 2);
    CHECK(brief(o2.segments[1]) == "[FP.] seq=1002 ack=5001 len=2");
    CHECK(c.state() == TcpState::FinWait1);
}

TEST_CASE("tcp: abort sends RST in synchronized states, nothing otherwise (linger 0)") {
    TcpConnection c = socket_established();
    TcpOutput o;
    c.abort(at_ms(1), o);
    REQUIRE(o.segments.size() == 1);
    CHECK(brief(o.segments[0]) == "[R] seq=1001 len=0");
    CHECK(c.state() == TcpState::Closed);
    CHECK(!conn_error(o));
    CHECK(state_changes(o).back().cause == "abort");
    CHECK(!c.poll_at());
    TcpConnection s = socket_syn_sent();
    TcpOutput o2;
    s.abort(at_ms(1), o2);
    CHECK(o2.segments.empty());
    CHECK(s.state() == TcpState::Closed);
    TcpConnection t = socket_time_wait();
    TcpOutput o3;
    t.abort(at_ms(1), o3);
    CHECK(o3.segments.empty());
    // Linux: RST+ACK.
    TcpConnection l = socket_established(Profile::linux());
    TcpOutput o4;
    l.abort(at_ms(1), o4);
    REQUIRE(o4.segments.size() == 1);
    CHECK(flags_of(o4.segments[0]) == "R.");
}

TEST_CASE("tcp: linux close with unread data sends RST+ACK, textbook sends FIN") {
    for (Profile prof : {Profile::linux(), Profile::textbook()}) {
        TcpConnection c = socket_established(prof);
        send(c, at_ms(1), seg(ACK | PSH, REMOTE_SEQ, LOCAL_SEQ, text("unread")));
        TcpOutput o;
        c.close(at_ms(2), o);
        REQUIRE(o.segments.size() == 1);
        if (prof.kind == Profile::Kind::Linux) {
            CHECK(brief(o.segments[0]) == "[R.] seq=1001 ack=5007 len=0");
            CHECK(c.state() == TcpState::Closed);
        } else {
            CHECK(brief(o.segments[0]) == "[F.] seq=1001 ack=5007 len=0");
            CHECK(c.state() == TcpState::FinWait1);
        }
    }
}

TEST_CASE("tcp: close in LISTEN and SYN-SENT deletes the TCB") {
    TcpConnection l = socket_listen();
    TcpOutput o;
    l.close(Instant::zero(), o);
    CHECK(l.state() == TcpState::Closed);
    TcpConnection s = socket_syn_sent();
    TcpOutput o2;
    s.close(Instant::zero(), o2);
    CHECK(s.state() == TcpState::Closed);
    CHECK(o2.segments.empty());
    CHECK(!s.poll_at());
}

TEST_CASE("tcp: linux resets when data arrives after close(), textbook acknowledges it") {
    // RFC 1122 §4.2.2.13; Linux tcp_rcv_state_process in FIN-WAIT-1/2 with RCV_SHUTDOWN.
    for (bool fw2 : {false, true}) {
        TcpConnection c = fw2 ? socket_fin_wait_2(Profile::linux()) : socket_fin_wait_1(Profile::linux());
        SeqNum ack = fw2 ? LOCAL_SEQ + 1 : LOCAL_SEQ;
        auto out = deliver(c, at_ms(1), seg(ACK | PSH, REMOTE_SEQ, ack, text("late")));
        REQUIRE(out.segments.size() == 1);
        CHECK(brief(out.segments[0]) == "[R] seq=" + ack.to_string() + " len=0");
        CHECK(c.state() == TcpState::Closed);
        CHECK(state_changes(out).back().cause == "rcv data after close");
        CHECK(!c.poll_at());
    }
    // A bare ACK or a FIN is no data: the close goes on.
    TcpConnection f = socket_fin_wait_1(Profile::linux());
    deliver(f, at_ms(1), seg(FIN | ACK, REMOTE_SEQ, LOCAL_SEQ + 1));
    CHECK(f.state() == TcpState::TimeWait);
    // shutdown(SHUT_WR) only: the program still reads, data is welcome.
    TcpConnection h = socket_established(Profile::linux());
    TcpOutput o;
    h.shutdown_write(at_ms(1), o);
    REQUIRE(h.state() == TcpState::FinWait1);
    deliver(h, at_ms(2), seg(ACK | PSH, REMOTE_SEQ, LOCAL_SEQ + 1, text("more")));
    CHECK(h.readable() == 4);
    CHECK(h.state() == TcpState::FinWait2);
    // Textbook: acknowledged and discarded.
    TcpConnection t = socket_fin_wait_1();
    auto out = deliver(t, at_ms(1), seg(ACK | PSH, REMOTE_SEQ, LOCAL_SEQ, text("late")));
    REQUIRE(out.segments.size() == 1);
    CHECK(brief(out.segments[0]) == "[.] seq=1002 ack=5005 len=0");
    CHECK(t.state() == TcpState::FinWait1);
}
