// Every state's reaction to SYN, ACK, FIN, RST and data (§3.10.7), table-driven.
#include <functional>

#include "test_tcp_fixtures.hpp"

using namespace tcptest;

namespace {

struct Fixture {
    const char* name;
    std::function<TcpConnection()> make;
    SeqNum snd_nxt;  // what the fixture has sent (the ACK that acknowledges everything)
};

std::vector<Fixture> fixtures() {
    return {
        {"LISTEN", [] { return socket_listen(); }, LOCAL_ISS},
        {"SYN-SENT", [] { return socket_syn_sent(); }, LOCAL_SEQ},
        {"SYN-RECEIVED", [] { return socket_syn_received(); }, LOCAL_SEQ},
        {"ESTABLISHED", [] { return socket_established(); }, LOCAL_SEQ},
        {"FIN-WAIT-1", [] { return socket_fin_wait_1(); }, LOCAL_SEQ + 1},
        {"FIN-WAIT-2", [] { return socket_fin_wait_2(); }, LOCAL_SEQ + 1},
        {"CLOSE-WAIT", [] { return socket_close_wait(); }, LOCAL_SEQ},
        {"CLOSING", [] { return socket_closing(); }, LOCAL_SEQ + 1},
        {"LAST-ACK", [] { return socket_last_ack(); }, LOCAL_SEQ + 1},
        {"TIME-WAIT", [] { return socket_time_wait(); }, LOCAL_SEQ + 1},
    };
}

// The remote's next sequence number in each fixture (its FIN counts once received).
SeqNum remote_next(TcpConnection& c) {
    return c.state() == TcpState::Listen || c.state() == TcpState::SynSent ? REMOTE_ISS : c.vars().rcv_nxt;
}

struct Row {
    const char* state;
    const char* input;
    const char* after;    // state afterwards
    const char* replies;  // flags of what is sent back, space-separated ("" for nothing)
};

// Inputs: "SYN" (a new SYN), "ACK" (acknowledging all we sent), "FIN" (FIN+ACK at RCV.NXT),
// "RST" (at RCV.NXT), "data" (5 bytes at RCV.NXT with ACK).
const Row kTable[] = {
    {"LISTEN", "SYN", "SYN-RECEIVED", "S."},
    {"LISTEN", "ACK", "LISTEN", "R"},
    {"LISTEN", "FIN", "LISTEN", "R"},
    {"LISTEN", "RST", "LISTEN", ""},
    {"LISTEN", "data", "LISTEN", "R"},
    {"SYN-SENT", "SYN", "SYN-RECEIVED", "S."},
    {"SYN-SENT", "ACK", "SYN-SENT", ""},
    {"SYN-SENT", "FIN", "SYN-SENT", ""},
    {"SYN-SENT", "RST", "SYN-SENT", ""},  // no ACK: dropped (RST+ACK: see handshake tests)
    {"SYN-SENT", "data", "SYN-SENT", ""},
    {"SYN-RECEIVED", "SYN", "LISTEN", ""},
    {"SYN-RECEIVED", "ACK", "ESTABLISHED", ""},
    {"SYN-RECEIVED", "FIN", "CLOSE-WAIT", "."},
    {"SYN-RECEIVED", "RST", "LISTEN", ""},
    {"SYN-RECEIVED", "data", "ESTABLISHED", "."},
    {"ESTABLISHED", "SYN", "ESTABLISHED", "."},
    {"ESTABLISHED", "ACK", "ESTABLISHED", ""},
    {"ESTABLISHED", "FIN", "CLOSE-WAIT", "."},
    {"ESTABLISHED", "RST", "CLOSED", ""},
    {"ESTABLISHED", "data", "ESTABLISHED", "."},
    {"FIN-WAIT-1", "SYN", "FIN-WAIT-1", "."},
    {"FIN-WAIT-1", "ACK", "FIN-WAIT-2", ""},
    {"FIN-WAIT-1", "FIN", "TIME-WAIT", "."},
    {"FIN-WAIT-1", "RST", "CLOSED", ""},
    {"FIN-WAIT-1", "data", "FIN-WAIT-2", "."},
    {"FIN-WAIT-2", "SYN", "FIN-WAIT-2", "."},
    {"FIN-WAIT-2", "ACK", "FIN-WAIT-2", ""},
    {"FIN-WAIT-2", "FIN", "TIME-WAIT", "."},
    {"FIN-WAIT-2", "RST", "CLOSED", ""},
    {"FIN-WAIT-2", "data", "FIN-WAIT-2", "."},
    {"CLOSE-WAIT", "SYN", "CLOSE-WAIT", "."},
    {"CLOSE-WAIT", "ACK", "CLOSE-WAIT", ""},
    {"CLOSE-WAIT", "FIN", "CLOSE-WAIT", "."},  // a repeated FIN is below RCV.NXT: ACK
    {"CLOSE-WAIT", "RST", "CLOSED", ""},
    {"CLOSE-WAIT", "data", "CLOSE-WAIT", ""},  // text after a FIN is ignored (seventh check)
    {"CLOSING", "SYN", "CLOSING", "."},
    {"CLOSING", "ACK", "TIME-WAIT", ""},
    {"CLOSING", "FIN", "CLOSING", "."},
    {"CLOSING", "RST", "CLOSED", ""},
    {"CLOSING", "data", "TIME-WAIT", ""},  // its ACK acknowledges our FIN
    {"LAST-ACK", "SYN", "LAST-ACK", "."},
    {"LAST-ACK", "ACK", "CLOSED", ""},
    {"LAST-ACK", "FIN", "LAST-ACK", "."},
    {"LAST-ACK", "RST", "CLOSED", ""},
    {"LAST-ACK", "data", "CLOSED", ""},    // its ACK acknowledges our FIN
    {"TIME-WAIT", "SYN", "TIME-WAIT", "."},
    {"TIME-WAIT", "ACK", "TIME-WAIT", ""},
    {"TIME-WAIT", "FIN", "TIME-WAIT", "."},
    {"TIME-WAIT", "RST", "CLOSED", ""},
    {"TIME-WAIT", "data", "TIME-WAIT", ""},
};

TcpSegment input(const std::string& what, TcpConnection& c, SeqNum acks) {
    SeqNum seq = remote_next(c);
    // In states that have received the FIN, a "FIN" or "data" is a repeat at the old place.
    bool fin_in = c.state() == TcpState::CloseWait || c.state() == TcpState::Closing ||
                  c.state() == TcpState::LastAck || c.state() == TcpState::TimeWait;
    if (fin_in && (what == "FIN" || what == "data")) seq = seq - 1;
    if (what == "SYN") return seg(SYN, c.state() == TcpState::SynReceived ? REMOTE_SEQ + 9 : REMOTE_ISS, {});
    if (what == "ACK") return seg(ACK, seq, acks);
    if (what == "FIN") return seg(FIN | ACK, seq, acks);
    if (what == "RST") return seg(RST, seq, {});
    return seg(ACK, seq, acks, text("hello"));
}

std::string replies(const std::vector<TcpSegment>& segs) {
    std::string s;
    for (const auto& g : segs) s += (s.empty() ? "" : " ") + flags_of(g);
    return s;
}

}  // namespace

TEST_CASE("tcp: every state's reaction to SYN, ACK, FIN, RST and data") {
    auto all = fixtures();
    for (const Row& row : kTable) {
        auto f = std::find_if(all.begin(), all.end(), [&](const Fixture& x) { return row.state == std::string(x.name); });
        REQUIRE(f != all.end());
        TcpConnection c = f->make();
        REQUIRE(to_string(c.state()) == row.state);
        TcpSegment in = input(row.input, c, f->snd_nxt);
        auto out = deliver(c, at_ms(1), in);
        std::string where = std::string(row.state) + " + " + row.input;
        CAPTURE(where);
        CHECK(std::string(to_string(c.state())) == std::string(row.after));
        CHECK(replies(out.segments) == std::string(row.replies));
        // Invariant: SND.UNA =< SND.NXT.
        CHECK(c.vars().snd_una <= c.vars().snd_nxt);
    }
}
