// One TCP connection (a TCB, RFC 9293 §3.3.1): a pure state machine. It never reads a clock:
// every call takes `now`, and poll_at() says when it next needs poll(). Segments to send and
// events (state changes with their cause, timers, rejections, errors) come out in a TcpOutput.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "address.hpp"
#include "errors.hpp"
#include "events.hpp"
#include "packet.hpp"
#include "profile.hpp"
#include "result.hpp"
#include "seq.hpp"
#include "tcp_state.hpp"
#include "time.hpp"

namespace netstep {

struct TcpOutput {
    std::vector<TcpSegment> segments;   // to transmit, in order (ports filled in)
    std::vector<ModelEventBody> events;  // in the order they happened
};

// The connection's variables, as RFC 9293 §3.3.1 names them (for the trace and the visualizer).
struct TcpVars {
    SeqNum iss, irs;
    SeqNum snd_una, snd_nxt;
    uint32_t snd_wnd = 0;  // peer's advertised window, scaled
    SeqNum snd_wl1, snd_wl2;
    SeqNum rcv_nxt;
    uint32_t rcv_wnd = 0;  // our advertised window
    uint16_t mss = 0;      // effective send MSS
    Duration rto;
    std::optional<Duration> srtt, rttvar;
    uint32_t retransmits = 0;     // consecutive, for the segment at SND.UNA
    size_t send_queued = 0;       // bytes written by the program not yet acknowledged
    size_t recv_queued = 0;       // bytes received not yet read by the program
    std::optional<Instant> retransmit_at, delayed_ack_at, time_wait_until, persist_at;
    bool operator==(const TcpVars&) const = default;
};

class TcpConnection {
public:
    // Passive OPEN (§3.10.1): a TCB in LISTEN on `local`, waiting for a SYN. The host stack makes
    // a fresh one for each segment that reaches a listening socket, with the ISS it would use,
    // and keeps it only if it left LISTEN (SYN accepted).
    static TcpConnection listening(Endpoint local, SeqNum iss, const Profile& profile);

    // Active OPEN (§3.10.1): CLOSED -> SYN-SENT, emits the SYN.
    static TcpConnection connect(FourTuple tuple, SeqNum iss, Instant now, const Profile& profile,
                                 TcpOutput& out);

    // SEGMENT ARRIVES (§3.10.7). `from` is the sender's endpoint (IP source, TCP source port);
    // in LISTEN it fixes the remote end. Segments with bad checksums never get here.
    void on_segment(const TcpSegment& seg, Endpoint from, Instant now, TcpOutput& out);

    // SEND (§3.10.2): queues up to send_space() bytes, returns how many were queued.
    // Error: ENOTCONN before connecting, EPIPE after shutdown(write)/close, or the pending error.
    CallResult<size_t> send(std::span<const uint8_t> data, Instant now, TcpOutput& out);

    // RECEIVE (§3.10.3): takes up to `max` bytes in order. An empty vector means EOF
    // (FIN received and everything read). WouldBlock when nothing is there yet.
    CallResult<Bytes> recv(size_t max, Instant now, TcpOutput& out);

    // CLOSE (§3.10.4): our side is done sending (FIN after queued data). With the Linux profile
    // and unread data, sends RST instead (RFC 9293 §3.10.4 allows; Linux does).
    void close(Instant now, TcpOutput& out);
    // shutdown(SHUT_WR): FIN after queued data; receiving goes on (half-close).
    void shutdown_write(Instant now, TcpOutput& out);
    // shutdown(SHUT_RD): the program will read no more; arriving data is discarded but acknowledged.
    void shutdown_read();
    // ABORT (§3.10.5), e.g. close with SO_LINGER 0: RST in synchronized states, then CLOSED.
    void abort(Instant now, TcpOutput& out);

    // Timers (§3.10.8): retransmission, delayed ACK, TIME-WAIT, persist.
    std::optional<Instant> poll_at() const;
    void poll(Instant now, TcpOutput& out);

    TcpState state() const;
    const FourTuple& tuple() const;
    TcpVars vars() const;
    bool passive() const;               // opened from LISTEN
    size_t readable() const;            // bytes the program can read now
    bool eof() const;                   // FIN received and all data before it read
    size_t send_space() const;          // bytes send() would queue now
    std::optional<Err> error() const;   // the error that ended the connection, if any

    // §3.10.7.1: the reply to a segment that reaches no connection and no listener
    // (RST, or nothing for a RST).
    static std::optional<TcpSegment> reset_for(const TcpSegment& seg);

private:
    TcpConnection() = default;
    // Plain, copyable members (the TCB): see tcp.cpp.
};

}  // namespace netstep
