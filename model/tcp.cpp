// One TCP connection, part 1: opening, the user calls (RFC 9293 §3.10.1-§3.10.6), the one place
// where the state changes, and the accessors. Segment arrival is in tcp_input.cpp; segments,
// windows and timers in tcp_output.cpp.
#include "tcp.hpp"

#include <algorithm>
#include <utility>

namespace netstep {

// ---------------------------------------------------------------------------------------------
// Opening (§3.10.1)
// ---------------------------------------------------------------------------------------------

TcpConnection TcpConnection::listening(Endpoint local, SeqNum iss, const Profile& profile) {
    TcpConnection c;
    c.profile_ = profile;
    c.rcvbuf_ = profile.rcv_mem;
    c.sndbuf_ = profile.snd_mem_locked ? profile.send_buffer : profile.snd_mem;
    c.tuple_.local = local;
    c.state_ = TcpState::Listen;  // a TCB born listening: no transition to record
    c.passive_ = true;
    c.iss_ = c.snd_una_ = c.snd_nxt_ = iss;
    c.send_buf_seq_ = iss + 1;
    c.rto_ = profile.rto_initial;
    return c;
}

TcpConnection TcpConnection::connect(FourTuple tuple, SeqNum iss, Instant now, const Profile& profile,
                                     TcpOutput& out) {
    TcpConnection c;
    c.profile_ = profile;
    c.rcvbuf_ = profile.rcv_mem;
    c.sndbuf_ = profile.snd_mem_locked ? profile.send_buffer : profile.snd_mem;
    c.tuple_ = tuple;
    c.iss_ = c.snd_una_ = c.snd_nxt_ = iss;
    c.send_buf_seq_ = iss + 1;
    c.rto_ = profile.rto_initial;  // RFC 6298 §2.1
    // §3.10.1 OPEN, CLOSED state, active: send <SEQ=ISS><CTL=SYN>, enter SYN-SENT.
    c.set_state(TcpState::SynSent, "connect", out);
    c.send_syn(out);
    c.time_segment(iss, iss + 1, now);
    c.arm(TimerKind::Retransmission, now, c.rto_, out);
    return c;
}

// ---------------------------------------------------------------------------------------------
// The one place where the state changes: it records old -> new (cause).
// ---------------------------------------------------------------------------------------------

void TcpConnection::set_state(TcpState to, std::string cause, TcpOutput& out) {
    record<StateChanged>(out, state_, to, std::move(cause));
    state_ = to;
    // CLOSED and LISTEN have no timers and nothing to send (§3.10.7.4: "delete the TCB").
    if (to == TcpState::Closed || to == TcpState::Listen) {
        for (TimerKind k : {TimerKind::Retransmission, TimerKind::DelayedAck, TimerKind::TimeWait,
                            TimerKind::Persist})
            cancel(k, out);
        send_buf_.clear();
        send_buf_seq_ = snd_nxt_;
        psh_ends_.clear();
        wq_.clear();
        ooo_.clear();
        ooo_fin_.reset();
        fin_queued_ = false;
        ack_now_ = false;
        probing_ = false;
    }
}

// The connection ends with an error the program will see (ECONNREFUSED, ECONNRESET, ETIMEDOUT).
void TcpConnection::fail(Err err, std::string reason, std::string cause, TcpOutput& out) {
    error_ = err;
    record<ConnectionError>(out, err, std::move(reason));
    set_state(TcpState::Closed, std::move(cause), out);
}

void TcpConnection::on_icmp_unreachable(Err err, std::string reason, TcpOutput& out) {
    if (state_ == TcpState::SynSent) return fail(err, std::move(reason), "ICMP unreachable", out);
    if (state_ != TcpState::Closed && state_ != TcpState::Listen) soft_error_ = err;
}

// Entering ESTABLISHED (from SYN-SENT or SYN-RECEIVED).
void TcpConnection::establish() {
    quickacks_left_ = profile_.quickack_segments;
    if (profile_.snd_mem) sndbuf_expand();  // tcp_init_buffer_space
    pushed_seq_ = snd_nxt_;
    // RFC 6298 §5.7: the SYN (or SYN+ACK) timed out and no RTT was measured: RTO = 3 s.
    if (syn_retransmits_ > 0 && !srtt_) rto_ = Duration::seconds(3);
}

// ---------------------------------------------------------------------------------------------
// SEND (§3.10.2) and RECEIVE (§3.10.3)
// ---------------------------------------------------------------------------------------------

CallResult<size_t> TcpConnection::send(std::span<const uint8_t> data, Instant now, TcpOutput& out) {
    if (error_) return CallResult<size_t>::error(*error_);
    switch (state_) {
    case TcpState::Closed:
    case TcpState::Listen:
        return CallResult<size_t>::error(profile_.epipe_when_not_connected ? Err::Pipe : Err::NotConn);
    case TcpState::SynSent:
    case TcpState::SynReceived:
    case TcpState::Established:
    case TcpState::CloseWait:
        break;  // queued; sent once ESTABLISHED
    default:
        return CallResult<size_t>::error(Err::Pipe);  // "connection closing"
    }
    if (fin_queued_) return CallResult<size_t>::error(Err::Pipe);
    if (data.empty()) return CallResult<size_t>::ok(0);
    if (profile_.snd_mem) {
        size_t taken = queue_in_memory(data, now, out);
        if (taken == 0) return CallResult<size_t>::would_block();
        return CallResult<size_t>::ok(taken);
    }
    size_t n = std::min(data.size(), send_space());
    if (n == 0) return CallResult<size_t>::would_block();
    send_buf_.insert(send_buf_.end(), data.begin(), data.begin() + std::ptrdiff_t(n));
    output(now, out);
    return CallResult<size_t>::ok(n);
}

CallResult<Bytes> TcpConnection::recv(size_t max, Instant now, TcpOutput& out) {
    if (!recv_buf_.empty()) {
        size_t n = std::min(max, recv_buf_.size());
        Bytes data(recv_buf_.begin(), recv_buf_.begin() + std::ptrdiff_t(n));
        // copied_seq: RCV.NXT counts the peer's FIN, the queue does not.
        SeqNum copied_seq = rcv_nxt_ - uint32_t(recv_buf_.size()) - (fin_received_ ? 1u : 0u);
        // tcp_recvmsg_locked calls tcp_rcv_space_adjust after each skb it copies; after the
        // first, the later ones of the same read find no time gone by.
        size_t first = rx_skbs_.empty() ? n : std::min<size_t>(n, rx_skbs_.front().len);
        recv_buf_.erase(recv_buf_.begin(), recv_buf_.begin() + std::ptrdiff_t(n));
        rx_consume(n);
        if (profile_.rcv_autotune) rcv_space_adjust(copied_seq + uint32_t(first), now);
        // §3.8.6.2.2: a window update when the read opens the window enough (window_update_due).
        // Not when a delayed ACK is owed: it goes out anyway with the new window (unless the
        // peer is stalled by a window under one MSS: then the owed ACK leaves now).
        bool peer_may_send = state_ == TcpState::Established || state_ == TcpState::FinWait1 ||
                             state_ == TcpState::FinWait2;
        bool ack_owed = timer(TimerKind::DelayedAck).has_value() && rcv_wnd() >= snd_mss_;
        if (peer_may_send && !ack_owed && window_update_due()) send_ack(out);
        // Linux tcp_cleanup_rbuf: a delayed ACK still owed goes now when more than one segment
        // is unacknowledged ("Once-per-two-segments ACK was not sent by tcp_input.c"), in any
        // state: after a FIN, the ACK of the data and the FIN before the program's own FIN.
        else if (profile_.kind == Profile::Kind::Linux && timer(TimerKind::DelayedAck) &&
                 unacked_bytes_ + (fin_received_ ? 1u : 0u) > rcv_mss_)
            send_ack(out);
        return CallResult<Bytes>::ok(std::move(data));
    }
    if (fin_received_ || read_shutdown_) return CallResult<Bytes>::ok({});  // EOF
    if (error_) return CallResult<Bytes>::error(*error_);
    if (state_ == TcpState::Closed || state_ == TcpState::Listen)
        return CallResult<Bytes>::error(Err::NotConn);
    return CallResult<Bytes>::would_block();
}

// ---------------------------------------------------------------------------------------------
// CLOSE (§3.10.4), shutdown, ABORT (§3.10.5)
// ---------------------------------------------------------------------------------------------

// Our side has no more to send: FIN after the queued data.
void TcpConnection::queue_fin(Instant now, std::string cause, TcpOutput& out) {
    switch (state_) {
    case TcpState::Listen:   // §3.10.4 LISTEN: delete the TCB
    case TcpState::SynSent:  // §3.10.4 SYN-SENT: delete the TCB
        set_state(TcpState::Closed, std::move(cause), out);
        return;
    case TcpState::SynReceived:  // §3.10.4: FIN once the SYN is acknowledged
    case TcpState::Established:  // §3.10.4: queue the FIN, enter FIN-WAIT-1
        fin_queued_ = true;
        set_state(TcpState::FinWait1, std::move(cause), out);
        break;
    case TcpState::CloseWait:  // §3.10.4: queue the FIN, enter LAST-ACK
        fin_queued_ = true;
        set_state(TcpState::LastAck, std::move(cause), out);
        break;
    default:
        return;  // already closing, or closed: nothing more to do
    }
    output(now, out);
}

void TcpConnection::close(Instant now, TcpOutput& out) {
    bool unread = !recv_buf_.empty();
    read_shutdown_ = true;
    recv_buf_.clear();
    rx_clear();
    bool has_peer = state_ == TcpState::SynReceived || state_ == TcpState::Established ||
                    state_ == TcpState::CloseWait;
    // RFC 1122 §4.2.2.13 (RFC 9293 §3.10.4 allows it): closed with data unread, the data is
    // lost, so reset the connection. Linux sends RST+ACK <SEQ=SND.NXT> (tcp_close).
    if (unread && has_peer && profile_.rst_on_close_with_unread) {
        record<Note>(out, "closed with unread data: RST instead of FIN");
        send_reset(out);
        set_state(TcpState::Closed, "close", out);
        return;
    }
    queue_fin(now, "close", out);
}

void TcpConnection::shutdown_write(Instant now, TcpOutput& out) { queue_fin(now, "shutdown", out); }

void TcpConnection::shutdown_read() {
    read_shutdown_ = true;
    recv_buf_.clear();
    rx_clear();
}

void TcpConnection::abort(Instant now, TcpOutput& out) {
    (void)now;
    switch (state_) {
    case TcpState::Closed:
        return;
    case TcpState::SynReceived:
    case TcpState::Established:
    case TcpState::FinWait1:
    case TcpState::FinWait2:
    case TcpState::CloseWait:
        // §3.10.5: send <SEQ=SND.NXT><CTL=RST>, then CLOSED.
        send_reset(out);
        break;
    default:
        break;  // LISTEN, SYN-SENT, CLOSING, LAST-ACK, TIME-WAIT: just delete the TCB
    }
    recv_buf_.clear();
    rx_clear();
    set_state(TcpState::Closed, "abort", out);
}

// ---------------------------------------------------------------------------------------------
// Timers (§3.10.8)
// ---------------------------------------------------------------------------------------------

std::optional<Instant> TcpConnection::poll_at() const {
    std::optional<Instant> first;
    for (const auto& t : timers_)
        if (t && (!first || *t < *first)) first = t;
    return first;
}

void TcpConnection::poll(Instant now, TcpOutput& out) {
    auto due = [&](TimerKind k) {
        if (!timer(k) || *timer(k) > now) return false;
        record<TimerEvent>(out, k, TimerAction::Fired, *timer(k));
        timer(k).reset();
        return true;
    };
    // §3.10.8 Time-wait timeout: delete the TCB, enter CLOSED.
    if (due(TimerKind::TimeWait)) set_state(TcpState::Closed, "2MSL timeout", out);
    if (due(TimerKind::Retransmission)) on_retransmission_timeout(now, out);
    if (due(TimerKind::Persist)) on_persist_timeout(now, out);
    // RFC 9293 §3.8.6.3: the delayed ACK must not wait longer than this.
    if (due(TimerKind::DelayedAck) && state_ != TcpState::Closed) {
        // Linux tcp_delack_timer_handler: "Delayed ACK missed": inflate ATO (at most the RTO),
        // or in interactive mode leave it and deflate ATO.
        if (pingpong_) {
            pingpong_ = false;
            ato_ = profile_.ack_delay_max;
        } else if (profile_.kind == Profile::Kind::Linux) {
            ato_ = std::min(Duration::nanos(ato_.ns * 2), rto_);
        }
        send_ack(out);
    }
}

// ---------------------------------------------------------------------------------------------
// Accessors
// ---------------------------------------------------------------------------------------------

TcpState TcpConnection::state() const { return state_; }
const FourTuple& TcpConnection::tuple() const { return tuple_; }
bool TcpConnection::passive() const { return passive_; }
size_t TcpConnection::readable() const { return recv_buf_.size(); }
bool TcpConnection::eof() const { return fin_received_ && recv_buf_.empty(); }
std::optional<Err> TcpConnection::error() const { return error_; }

size_t TcpConnection::send_space() const {
    bool open = state_ == TcpState::SynSent || state_ == TcpState::SynReceived ||
                state_ == TcpState::Established || state_ == TcpState::CloseWait;
    if (!open || fin_queued_ || error_) return 0;
    if (profile_.snd_mem) {  // what the last skb and new skbs would take, payload only
        if (write_blocked_) return 0;
        uint32_t w = wmem_queued();
        return w < sndbuf_ ? std::max(size_goal(), sndbuf_ - w) : 0;
    }
    return profile_.send_buffer > send_buf_.size() ? profile_.send_buffer - send_buf_.size() : 0;
}

// ---------------------------------------------------------------------------------------------
// Linux's send buffer in memory (profile snd_mem): net/ipv4/tcp.c tcp_sendmsg_locked
// ---------------------------------------------------------------------------------------------

// tcp_xmit_size_goal: a write-queue skb holds up to half the largest window the peer offered
// (tcp_bound_to_half_wnd), in whole segments, at most 64 KB (sk_gso_max_size).
uint32_t TcpConnection::size_goal() const {
    uint32_t mss = std::max<uint32_t>(snd_mss_, 1), goal = 65536;
    uint32_t cutoff = max_snd_wnd_ > 536 ? max_snd_wnd_ / 2 : max_snd_wnd_;
    if (cutoff && goal > cutoff) goal = std::max<uint32_t>(cutoff, 68 - 20);
    return std::max(goal / mss * mss, mss);
}

// sk_wmem_queued: the bytes queued plus one skb's overhead for each skb of the write queue.
uint32_t TcpConnection::wmem_queued() const {
    return uint32_t(send_buf_.size()) + uint32_t(wq_.size()) * profile_.tx_skb_overhead;
}

// tcp_sndbuf_expand: room for 2 x max(10, cwnd, reordering + 1) segments, each costing its
// skb head rounded to a power of two (MSS + MAX_TCP_HEADER + skb_shared_info) plus the sk_buff:
// 2304 bytes for 1460 (SO_MEMINFO: sk_sndbuf 46080 on a new connection, cwnd 10).
void TcpConnection::sndbuf_expand() {
    if (profile_.snd_mem_locked) return;  // SO_SNDBUF
    uint32_t mss = std::max<uint32_t>({snd_mss_, profile_.mss, 1}), head = 1;
    while (head < mss + 256 + 320) head <<= 1;
    uint32_t segs = std::max<uint32_t>({10, cwnd_ / mss, 4});
    uint64_t mem = 2ull * segs * (head + 256);
    sndbuf_ = std::max(sndbuf_, uint32_t(std::min<uint64_t>(mem, profile_.snd_mem_max)));
}

// tcp_check_space -> tcp_new_space, after an ACK was processed and what it allows was sent: a
// writer waiting for memory first lets the buffer grow while cwnd is not full
// (tcp_should_expand_sndbuf), then wakes once a third of the buffer is free
// (sk_stream_write_space: sk_stream_wspace >= sk_wmem_queued / 2).
void TcpConnection::check_space() {
    if (!profile_.snd_mem || !write_blocked_) return;
    uint32_t mss = std::max<uint32_t>(snd_mss_, 1);
    if (packets_in_flight() < cwnd_ / mss) sndbuf_expand();
    uint32_t w = wmem_queued();
    if (sndbuf_ > w && sndbuf_ - w >= w / 2) write_blocked_ = false;
}

// The copy loop of tcp_sendmsg_locked: fill the last skb while it is unsent and shorter than
// size_goal() (its PSH mark cleared by the first byte of a new write), a new skb only while
// sk_wmem_queued < sk_sndbuf (sk_stream_memory_free). A full skb is pushed at once: all that
// may go, marked PSH, once half the peer's largest window was written since the last mark
// (forced_push), else one packet if it is the first unsent skb (tcp_push_one). At the end, or
// when memory runs out and the writer waits (SOCK_NOSPACE), the last skb is marked PSH and what
// may go goes (tcp_push).
size_t TcpConnection::queue_in_memory(std::span<const uint8_t> data, Instant now, TcpOutput& out) {
    if (write_blocked_) return 0;
    size_t taken = 0;
    auto forced_push = [&] { return data_end() > pushed_seq_ + max_snd_wnd_ / 2; };
    auto mark_push = [&] { wq_.back().psh = true; pushed_seq_ = data_end(); };
    auto tail_start = [&] { return wq_.size() >= 2 ? wq_[wq_.size() - 2].end : snd_una_; };
    while (taken < data.size()) {
        uint32_t goal = size_goal();
        bool extend = !wq_.empty() && tail_start() >= snd_nxt_ && uint32_t(wq_.back().end - tail_start()) < goal;
        uint32_t tail_len = extend ? uint32_t(wq_.back().end - tail_start()) : 0;
        if (!extend) {
            if (wmem_queued() >= sndbuf_) break;
            wq_.push_back({data_end(), false});  // tcp_stream_alloc_skb, tcp_skb_entail
        } else if (taken == 0) {
            wq_.back().psh = false;  // "if (!copied) tcp_flags &= ~TCPHDR_PSH"
        }
        uint32_t n = uint32_t(std::min<size_t>(goal - tail_len, data.size() - taken));
        send_buf_.insert(send_buf_.end(), data.begin() + std::ptrdiff_t(taken), data.begin() + std::ptrdiff_t(taken + n));
        taken += n;
        wq_.back().end = data_end();
        if (tail_len + n < goal || taken == data.size()) continue;
        if (forced_push()) {
            mark_push();
            output(now, out);
        } else if (tail_start() == snd_nxt_) {
            push_one_ = true;  // the skb is the first one unsent
            output(now, out);
            push_one_ = false;
        }
    }
    if (taken < data.size()) write_blocked_ = true;
    if (taken > 0) mark_push();
    output(now, out);
    return taken;
}

TcpVars TcpConnection::vars() const {
    TcpVars v;
    v.iss = iss_;
    v.irs = irs_;
    v.snd_una = snd_una_;
    v.snd_nxt = snd_nxt_;
    v.snd_wnd = snd_wnd_;
    v.snd_wl1 = snd_wl1_;
    v.snd_wl2 = snd_wl2_;
    v.rcv_nxt = rcv_nxt_;
    v.rcv_wnd = rcv_wnd();
    v.mss = snd_mss_;
    v.cwnd = cwnd_;
    v.ssthresh = ssthresh_;
    v.rto = rto_;
    v.srtt = srtt_;
    v.rttvar = rttvar_;
    v.retransmits = retransmits_;
    v.send_queued = send_buf_.size();
    v.recv_queued = recv_buf_.size();
    v.retransmit_at = timer(TimerKind::Retransmission);
    v.delayed_ack_at = timer(TimerKind::DelayedAck);
    v.time_wait_until = timer(TimerKind::TimeWait);
    v.persist_at = timer(TimerKind::Persist);
    return v;
}

// §3.10.7.1 (CLOSED, or no TCB at all): "If the ACK bit is off, sequence number zero is used,
// <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>."
// An incoming RST is discarded.
std::optional<TcpSegment> TcpConnection::reset_for(const TcpSegment& seg) {
    if (seg.has(tcp_flag::RST)) return std::nullopt;
    TcpSegment r;
    r.src_port = seg.dst_port;
    r.dst_port = seg.src_port;
    if (seg.has(tcp_flag::ACK)) {
        r.seq = seg.ack;
        r.flags = tcp_flag::RST;
    } else {
        r.seq = SeqNum{0};
        r.ack = seg.seq + seg.seg_len();
        r.flags = tcp_flag::RST | tcp_flag::ACK;
    }
    return r;
}

}  // namespace netstep
