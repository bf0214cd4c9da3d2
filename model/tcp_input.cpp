// One TCP connection, part 2: SEGMENT ARRIVES, organized exactly as RFC 9293 §3.10.7, each step
// named in a comment. A segment that a rule drops leaves a Rejected event citing that rule.
#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "tcp.hpp"

namespace netstep {

using namespace tcp_flag;


void TcpConnection::on_segment(const TcpSegment& seg, Endpoint from, Instant now, TcpOutput& out) {
    switch (state_) {
    case TcpState::Closed:
        on_closed(seg, out);
        return;
    case TcpState::Listen:
        on_listen(seg, from, now, out);
        break;
    case TcpState::SynSent:
        on_syn_sent(seg, now, out);
        break;
    default:
        on_synchronized(seg, now, out);
        break;
    }
    after_input(now, out);
}

// Whatever the segment changed, send what can be sent now (data piggybacks any ACK owed).
void TcpConnection::after_input(Instant now, TcpOutput& out) {
    if (state_ == TcpState::Closed || state_ == TcpState::Listen) {
        ack_now_ = false;
        return;
    }
    output(now, out);
    check_space();  // tcp_data_snd_check: tcp_push_pending_frames, then tcp_check_space
    if (ack_now_) send_ack(out);
}

// ---------------------------------------------------------------------------------------------
// §3.10.7.1 CLOSED: data discarded; a RST is discarded; anything else gets a RST.
// ---------------------------------------------------------------------------------------------
void TcpConnection::on_closed(const TcpSegment& seg, TcpOutput& out) {
    if (auto rst = reset_for(seg)) out.segments.push_back(*rst);
    record<Rejected>(out, "connection is CLOSED (§3.10.7.1)");
}

// ---------------------------------------------------------------------------------------------
// §3.10.7.2 LISTEN
// ---------------------------------------------------------------------------------------------
void TcpConnection::on_listen(const TcpSegment& seg, Endpoint from, Instant now, TcpOutput& out) {
    // First, check for a RST: an incoming RST is ignored.
    if (seg.has(RST)) return record<Rejected>(out, "RST in LISTEN is ignored (§3.10.7.2 first check)");
    // Second, check for an ACK: any ACK is bad here, <SEQ=SEG.ACK><CTL=RST>.
    if (seg.has(ACK)) {
        if (auto rst = reset_for(seg)) out.segments.push_back(*rst);
        return record<Rejected>(out, "ACK in LISTEN: RST sent (§3.10.7.2 second check)");
    }
    // Fourth, other text or control: drop.
    if (!seg.has(SYN)) return record<Rejected>(out, "no SYN in LISTEN (§3.10.7.2 fourth check)");
    // SYN+FIN is never legitimate; Linux drops it too (tcp_rcv_state_process, LISTEN).
    if (seg.has(FIN)) return record<Rejected>(out, "SYN+FIN dropped in LISTEN");
    // Third, check for a SYN (the security check is not modelled): RCV.NXT = SEG.SEQ+1,
    // IRS = SEG.SEQ, send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, SND.NXT = ISS+1, SND.UNA = ISS.
    tuple_.remote = from;
    take_peer_syn(seg, now);
    snd_wl2_ = iss_;
    set_state(TcpState::SynReceived, "rcv SYN", out);
    if (!seg.payload.empty())
        record<Note>(out, "data on SYN not kept (not acknowledged: the peer sends it again)");
    send_syn(out);
    time_segment(iss_, iss_ + 1, now);
    arm(TimerKind::Retransmission, now, rto_, out);
}

// What a SYN tells us (§3.10.7.2 third, §3.10.7.3 fourth): IRS, RCV.NXT, the peer's window,
// its MSS (§3.7.1: 536 when absent) and window scale (RFC 7323 §2.2: only if both SYNs carry it).
void TcpConnection::take_peer_syn(const TcpSegment& seg, Instant now) {
    irs_ = seg.seq;
    rcv_nxt_ = seg.seq + 1;
    rcv_adv_ = rcv_nxt_ + syn_window();
    rcv_ssthresh_ = rcv_wnd_offered_ = syn_window();  // Linux tcp_connect_init, tcp_openreq_init_rwin
    rcv_mss_ = std::min<uint32_t>(profile_.mss, 536);  // tcp_initialize_rcv_mss: TCP_MSS_DEFAULT
    if (profile_.rcv_mem) {
        // tcp_init_buffer_space: the clamp is the whole buffer's window at the default ratio
        // (1/2), less one segment ("force reservation of one segment").
        scaling_ratio_ = 128;
        rcvbuf_ = profile_.rcv_mem;
        uint32_t maxwin = win_from_space(rcvbuf_), mss = profile_.mss;
        window_clamp_ = maxwin;
        if (window_clamp_ > 2 * mss && window_clamp_ + mss > maxwin) window_clamp_ = std::max(2 * mss, maxwin - mss);
        rcv_ssthresh_ = std::min(rcv_ssthresh_, window_clamp_);
        // "tp->rcvq_space.space = min3(tp->rcv_ssthresh, tp->rcv_wnd, TCP_INIT_CWND * advmss)"
        rcvq_space_ = std::min({rcv_ssthresh_, rcv_wnd_offered_, 10u * mss});
        rcvq_seq_ = rcv_nxt_;
        rcvq_time_ = now;
    }
    snd_mss_ = std::min(profile_.mss, seg.mss.value_or(uint16_t{536}));
    ws_ok_ = profile_.window_scale.has_value() && seg.window_scale.has_value();
    snd_wscale_ = ws_ok_ ? std::min<uint8_t>(*seg.window_scale, 14) : 0;
    rcv_wscale_ = ws_ok_ ? *profile_.window_scale : 0;
    snd_wnd_ = seg.window;  // the window field of a SYN is never scaled (RFC 7323 §2.2)
    max_snd_wnd_ = std::max(max_snd_wnd_, snd_wnd_);
    snd_wl1_ = seg.seq;
}

// ---------------------------------------------------------------------------------------------
// §3.10.7.3 SYN-SENT
// ---------------------------------------------------------------------------------------------
void TcpConnection::on_syn_sent(const TcpSegment& seg, Instant now, TcpOutput& out) {
    // First, check the ACK bit: SEG.ACK =< ISS or SEG.ACK > SND.NXT is unacceptable:
    // <SEQ=SEG.ACK><CTL=RST> (unless it is a RST), drop.
    bool ack_ok = seg.has(ACK) && seg.ack > iss_ && seg.ack <= snd_nxt_;
    if (seg.has(ACK) && !ack_ok) {
        if (auto rst = reset_for(seg)) out.segments.push_back(*rst);
        return record<Rejected>(out, "unacceptable ACK in SYN-SENT (§3.10.7.3 first check)");
    }
    // Second, check the RST bit: with an acceptable ACK, "connection reset" (refused); without
    // an ACK, drop it.
    if (seg.has(RST)) {
        if (!ack_ok) return record<Rejected>(out, "RST without ACK in SYN-SENT (§3.10.7.3 second check)");
        return fail(Err::ConnRefused, "connection refused (RST in SYN-SENT)", "rcv RST", out);
    }
    // Third, the security check: not modelled.
    // Fifth, neither SYN nor RST: drop.
    if (!seg.has(SYN)) return record<Rejected>(out, "neither SYN nor RST in SYN-SENT (§3.10.7.3 fifth check)");
    if (seg.has(FIN)) return record<Rejected>(out, "SYN+FIN dropped in SYN-SENT");
    // Fourth, check the SYN bit: RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ, SND.UNA = SEG.ACK.
    take_peer_syn(seg, now);
    snd_wl2_ = seg.ack;
    if (!seg.payload.empty())
        record<Note>(out, "data on SYN not kept (not acknowledged: the peer sends it again)");
    if (ack_ok) {
        // Our SYN has been ACKed: ESTABLISHED, <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
        on_ack_advanced(seg.ack, now, out);
        set_state(TcpState::Established, "rcv SYN+ACK", out);
        establish();
        ack_now_ = true;
        return;
    }
    // Simultaneous open (Figure 7): SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
    set_state(TcpState::SynReceived, "rcv SYN", out);
    send_syn(out);
}

// ---------------------------------------------------------------------------------------------
// §3.10.7.4 Other states (SYN-RECEIVED and the synchronized states)
// ---------------------------------------------------------------------------------------------
void TcpConnection::on_synchronized(const TcpSegment& seg, Instant now, TcpOutput& out) {
    if (state_ == TcpState::SynReceived && on_syn_received_special(seg, now, out)) return;

    // First, check the sequence number (the acceptability table).
    SeqCheck check = check_sequence(seg);
    if (check == SeqCheck::Reject) return reject_sequence(seg, now, out);
    // Second, check the RST bit.
    if (seg.has(RST)) return on_rst(seg, out);
    // Third, check security: not modelled.
    // Fourth, check the SYN bit.
    if (seg.has(SYN)) {
        // SYN-RECEIVED from a passive OPEN: return to LISTEN (the host then drops this TCB).
        if (state_ == TcpState::SynReceived && passive_) {
            set_state(TcpState::Listen, "rcv SYN", out);
            return record<Rejected>(out, "SYN in SYN-RECEIVED: back to LISTEN (§3.10.7.4 fourth check)");
        }
        // Synchronized: challenge ACK (RFC 5961 §4), then drop.
        ack_now_ = true;
        return record<Rejected>(out, "SYN in synchronized state: challenge ACK (§3.10.7.4 fourth check, RFC 5961 §4)");
    }
    // Fifth, check the ACK field: if the ACK bit is off, drop the segment.
    if (!seg.has(ACK)) return record<Rejected>(out, "no ACK bit (§3.10.7.4 fifth check)");
    if (!process_ack(seg, now, out)) return;
    // RFC 1122 §4.2.2.13: new data after CLOSE is lost, so send a RST. Linux does it in
    // FIN-WAIT-1/2 once the program closed (tcp_rcv_state_process, RCV_SHUTDOWN); the reply is
    // the one of §3.10.7.1, <SEQ=SEG.ACK><CTL=RST>. The textbook profile keeps acknowledging.
    bool new_data = !seg.payload.empty() && seg.seq + uint32_t(seg.payload.size()) > rcv_nxt_;
    if (profile_.rst_on_close_with_unread && read_shutdown_ && new_data &&
        (state_ == TcpState::FinWait1 || state_ == TcpState::FinWait2)) {
        record<Note>(out, "data after close(): RST, the data is lost (RFC 1122 §4.2.2.13)");
        if (auto rst = reset_for(seg)) out.segments.push_back(*rst);
        return set_state(TcpState::Closed, "rcv data after close", out);
    }
    // Sixth, check the URG bit: urgent data is not modelled (RFC 9293 §3.8.5 lets it go).
    // Seventh, process the segment text.
    if (check == SeqCheck::Accept) {
        process_text(seg, now, out);
    } else if (!seg.payload.empty() || seg.has(FIN)) {
        ack_now_ = true;
        return record<Rejected>(out, "receive window is zero: text not accepted (§3.10.7.4 first check)");
    }
    // Eighth, check the FIN bit.
    process_fin(seg, now, out);
    // FIN-WAIT-1 whose FIN was acked by a segment whose FIN could not be processed yet.
    if (state_ == TcpState::FinWait1 && our_fin_acked())
        set_state(TcpState::FinWait2, "rcv ACK of FIN", out);
}

// Two SYN-RECEIVED cases the RFC's text does not spell out but real stacks handle:
// - a retransmission of the SYN we accepted (passive): send the SYN+ACK again (BSD and Linux,
//   tcp_check_req) instead of the plain ACK of the acceptability test;
// - simultaneous open (Figure 7, line 5-7): the peer's SYN+ACK repeats the SYN we already have
//   but acknowledges ours: ESTABLISHED (Linux tcp_validate_incoming does the same).
bool TcpConnection::on_syn_received_special(const TcpSegment& seg, Instant now, TcpOutput& out) {
    if (!seg.has(SYN) || seg.has(RST) || seg.seq != irs_) return false;
    if (!seg.has(ACK)) {
        record<Note>(out, "SYN retransmitted by the peer: SYN+ACK sent again");
        send_syn(out);
        return true;
    }
    if (seg.ack != snd_nxt_ || seg.ack <= snd_una_) return false;
    on_ack_advanced(seg.ack, now, out);
    set_state(TcpState::Established, "rcv SYN+ACK", out);
    establish();
    snd_wnd_ = seg.window;  // a SYN's window is never scaled
    snd_wl1_ = seg.seq;
    snd_wl2_ = seg.ack;
    return true;
}

// §3.10.7.4 first check. "If the RCV.WND is zero, no segments will be acceptable, but special
// allowance should be made to accept valid ACKs, URGs, and RSTs": AckOnly.
TcpConnection::SeqCheck TcpConnection::check_sequence(const TcpSegment& seg) const {
    uint32_t len = seg.seg_len();
    uint32_t wnd = rcv_wnd();
    SeqNum right = rcv_nxt_ + wnd;
    if (wnd == 0) {
        if (seg.seq != rcv_nxt_) return SeqCheck::Reject;
        return len == 0 ? SeqCheck::Accept : SeqCheck::AckOnly;
    }
    bool first_in = seq_in_window(seg.seq, rcv_nxt_, right);
    if (len == 0) return first_in ? SeqCheck::Accept : SeqCheck::Reject;
    bool last_in = seq_in_window(seg.seq + (len - 1), rcv_nxt_, right);
    return first_in || last_in ? SeqCheck::Accept : SeqCheck::Reject;
}

// §3.10.7.4 first check, not acceptable: unless it is a RST, send <SEQ=SND.NXT><ACK=RCV.NXT>
// <CTL=ACK> and drop. (Out-of-window RSTs are dropped silently: §3.10.7.4 second check.)
void TcpConnection::reject_sequence(const TcpSegment& seg, Instant now, TcpOutput& out) {
    if (seg.has(RST)) return record<Rejected>(out, "RST outside receive window (§3.10.7.4 second check)");
    // RFC 5961 §7, as Linux's tcp_oow_rate_limited: a pure ACK (no data, SYN or FIN) out of the
    // window gets at most one ACK per oow_ack_interval, so two ends whose windows disagree (a
    // socket connected to itself with a zero window) cannot ACK each other forever.
    if (seg.seg_len() == 0) {
        if (last_oow_ack_ && now - *last_oow_ack_ < profile_.oow_ack_interval)
            return record<Rejected>(out, "seq outside receive window, ACK throttled (§3.10.7.4 first check, RFC 5961 §7)");
        last_oow_ack_ = now;
    }
    ack_now_ = true;
    // TIME-WAIT: "the only thing that can arrive is a retransmission of the remote FIN.
    // Acknowledge it, and restart the 2 MSL timeout" (§3.10.7.4 fifth and eighth checks).
    if (state_ == TcpState::TimeWait && seg.has(FIN)) {
        arm(TimerKind::TimeWait, now, profile_.msl * 2, out);
        return record<Rejected>(out, "FIN retransmitted in TIME-WAIT: ACK again, 2MSL restarted (§3.10.7.4)");
    }
    record<Rejected>(out, "seq outside receive window (§3.10.7.4 first check)");
}

// §3.10.7.4 second check, RFC 5961 §3.2: only a RST at exactly RCV.NXT resets; a RST elsewhere
// in the window gets a challenge ACK (we implement the RFC 5961 mitigation: Linux does too).
void TcpConnection::on_rst(const TcpSegment& seg, TcpOutput& out) {
    if (seg.seq != rcv_nxt_) {
        ack_now_ = true;
        return record<Rejected>(out, "RST in window but not at RCV.NXT: challenge ACK (RFC 5961 §3.2)");
    }
    recv_buf_.clear();
    rx_clear();
    switch (state_) {
    case TcpState::SynReceived:
        // From a passive OPEN: back to LISTEN (the host drops this TCB). From an active OPEN
        // (simultaneous open): connection refused.
        if (passive_) return set_state(TcpState::Listen, "rcv RST", out);
        return fail(Err::ConnRefused, "connection refused (RST in SYN-RECEIVED)", "rcv RST", out);
    case TcpState::Established:
    case TcpState::FinWait1:
    case TcpState::FinWait2:
    case TcpState::CloseWait:
        return fail(Err::ConnReset, "connection reset by peer", "rcv RST", out);
    default:  // CLOSING, LAST-ACK, TIME-WAIT: enter CLOSED, delete the TCB
        return set_state(TcpState::Closed, "rcv RST", out);
    }
}

// §3.10.7.4 fifth check, the ACK field. Returns false when processing stops here.
bool TcpConnection::process_ack(const TcpSegment& seg, Instant now, TcpOutput& out) {
    // SYN-RECEIVED: SND.UNA < SEG.ACK =< SND.NXT enters ESTABLISHED; otherwise
    // <SEQ=SEG.ACK><CTL=RST>.
    if (state_ == TcpState::SynReceived) {
        if (!(snd_una_ < seg.ack && seg.ack <= snd_nxt_)) {
            if (auto rst = reset_for(seg)) out.segments.push_back(*rst);
            record<Rejected>(out, "unacceptable ACK in SYN-RECEIVED: RST sent (§3.10.7.4 fifth check)");
            return false;
        }
        set_state(TcpState::Established, "rcv ACK of SYN", out);
        establish();
    }
    // SEG.ACK > SND.NXT acknowledges something not yet sent: send an ACK, drop.
    if (seg.ack > snd_nxt_) {
        ack_now_ = true;
        record<Rejected>(out, "ACK of unsent data (§3.10.7.4 fifth check)");
        return false;
    }
    // RFC 5961 §5.2: an ACK older than SND.UNA - MAX.SND.WND is dropped with an ACK.
    if (seg.ack < snd_una_ - max_snd_wnd_) {
        ack_now_ = true;
        record<Rejected>(out, "ACK too old (§3.10.7.4 fifth check, RFC 5961 §5.2)");
        return false;
    }
    // SND.UNA < SEG.ACK =< SND.NXT: new data acknowledged. (SEG.ACK < SND.UNA: a duplicate.)
    bool dup = is_dup_ack(seg);
    if (seg.ack > snd_una_) {
        dupacks_ = 0;
        on_ack_advanced(seg.ack, now, out);
    }
    update_send_window(seg);
    if (dup) on_dup_ack(now, out);
    // Linux tcp_ack -> tcp_ack_probe: an ACK while nothing is in flight and the window still
    // holds the data back restarts the probe timer from now, at the current backoff
    // (tcp_probe0_when): each probe's answer moves the next probe one round trip later.
    if (profile_.kind == Profile::Kind::Linux && probing_ && snd_nxt_ == snd_una_) {
        uint32_t usable = usable_window();
        if (!(usable > 0 && usable >= std::min(uint32_t(snd_mss_), unsent())))
            arm(TimerKind::Persist, now, persist_interval_, out);
    }
    switch (state_) {
    case TcpState::FinWait1:
        // Our FIN acknowledged: FIN-WAIT-2. With the peer's FIN in the same segment, the
        // eighth step goes straight to TIME-WAIT ("rcv FIN+ACK").
        if (our_fin_acked() && !seg.has(FIN)) set_state(TcpState::FinWait2, "rcv ACK of FIN", out);
        return true;
    case TcpState::Closing:
        if (our_fin_acked()) enter_time_wait(now, "rcv ACK of FIN", out);
        return true;
    case TcpState::LastAck:
        if (!our_fin_acked()) return true;
        set_state(TcpState::Closed, "rcv ACK of FIN", out);
        return false;
    default:
        return true;
    }
}

// New data acknowledged (§3.10.7.4 fifth check; RFC 6298 §5.2/§5.3 for the timer; RFC 5681
// and RFC 6582 for the congestion window).
void TcpConnection::on_ack_advanced(SeqNum ack, Instant now, TcpOutput& out) {
    soft_error_.reset();  // "something worked" (Linux tcp_ack clears sk_err_soft)
    bool data_acked = syn_acked();  // else this is the ACK of our SYN
    uint32_t acked = uint32_t(ack - snd_una_);
    rtt_on_ack(ack, now);
    if (ack > send_buf_seq_) {
        size_t n = std::min(size_t(uint32_t(ack - send_buf_seq_)), send_buf_.size());
        send_buf_.erase(send_buf_.begin(), send_buf_.begin() + std::ptrdiff_t(n));
        send_buf_seq_ += uint32_t(n);
    }
    std::erase_if(psh_ends_, [&](SeqNum e) { return e <= ack; });
    while (!wq_.empty() && wq_.front().end <= ack) wq_.pop_front();  // tcp_clean_rtx_queue
    snd_una_ = ack;
    retransmits_ = 0;
    bool partial = recover_ && snd_una_ < *recover_ && !probing_;
    if (profile_.prr && !fast_recovery_) {
        sacked_out_ = 0;  // Linux tcp_reset_reno_sack: the duplicate ACKs are history
        head_lost_ = head_retrans_ = false;
    }
    if (data_acked) on_ack_congestion(acked, partial, now, out);
    else start_congestion_control();
    bool prr_recovery = profile_.prr && fast_recovery_;  // still recovering (prr_ack)
    if (snd_una_ == snd_nxt_) {
        cancel(TimerKind::Retransmission, out);  // RFC 6298 §5.2: all acknowledged
        if (!prr_recovery) recover_.reset();
        return;
    }
    arm(TimerKind::Retransmission, now, rto_, out);  // RFC 6298 §5.3: restart
    // After a timeout, each ACK that moves SND.UNA below the old SND.NXT reveals the next hole:
    // resend it at once (go-back-N one segment at a time, while cwnd grows in slow start).
    // After a fast retransmit this is NewReno's partial ACK (RFC 6582 §3.2 step 3).
    if (prr_recovery) {
        xmit_recovery(now, out);  // the new head, if cwnd leaves room (PRR)
    } else if (partial) {
        uint32_t len = retransmit_first(snd_mss_, now, out);
        record<Retransmission>(out, snd_una_, len, 1u, rto_, fast_recovery_);
    } else {
        recover_.reset();
    }
}

// RFC 5681 §2 "duplicate acknowledgment": data outstanding, no data and no SYN/FIN, SEG.ACK =
// SND.UNA (the highest ACK seen), the window unchanged. Not while probing a zero window.
bool TcpConnection::is_dup_ack(const TcpSegment& seg) const {
    return syn_acked() && snd_una_ != snd_nxt_ && !probing_ && seg.payload.empty() &&
           !seg.has(SYN) && !seg.has(FIN) && seg.ack == snd_una_ &&
           (uint32_t(seg.window) << snd_wscale_) == snd_wnd_;
}

// RFC 5681 §3.2: on the third duplicate ACK, resend the segment at SND.UNA at once instead of
// waiting for the RTO (Karn: no RTT sample from it), and enter fast recovery. Not again while
// recovering from an earlier loss (RFC 6582 §3.2 step 1, §4). In fast recovery, each further
// duplicate means a segment left the network: cwnd += SMSS (RFC 5681 §3.2 step 4), and new
// data may follow (step 5, by output()).
void TcpConnection::on_dup_ack(Instant now, TcpOutput& out) {
    ++dupacks_;
    if (profile_.prr) {
        // Linux without SACK: each duplicate ACK is a segment that left the network
        // (tcp_add_reno_sack); in recovery PRR turns it into cwnd (tcp_cwnd_reduction).
        uint32_t before = sacked_out_;
        add_reno_sack();
        uint32_t delivered = sacked_out_ - before;
        if (fast_recovery_) {
            cwnd_reduction(delivered, false, false);
            return xmit_recovery(now, out);
        }
        // tcp_newreno_mark_lost: tcp_reordering (3) segments beyond the head arrived, the head
        // is lost (tcp_time_to_recover), unless a recovery from an earlier loss is under way.
        if (sacked_out_ < 3 || (recover_ && snd_una_ < *recover_)) return;
        head_lost_ = true;
        head_retrans_ = false;
        enter_fast_recovery(out);
        recover_ = snd_nxt_;
        cwnd_reduction(delivered, false, true);
        return xmit_recovery(now, out);
    }
    if (in_fast_recovery()) {
        cwnd_ += snd_mss_;
        return;
    }
    if (dupacks_ != 3) return;
    if (recover_ && snd_una_ < *recover_) return;
    enter_fast_recovery(out);
    uint32_t len = retransmit_first(snd_mss_, now, out);
    recover_ = snd_nxt_;
    record<Retransmission>(out, snd_una_, len, 1u, rto_, true);
}

// §3.10.7.4 fifth check: "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated"
// when the segment is newer than the last update (SND.WL1, SND.WL2).
void TcpConnection::update_send_window(const TcpSegment& seg) {
    if (!(snd_una_ <= seg.ack && seg.ack <= snd_nxt_)) return;
    if (!(snd_wl1_ < seg.seq || (snd_wl1_ == seg.seq && snd_wl2_ <= seg.ack))) return;
    snd_wnd_ = uint32_t(seg.window) << snd_wscale_;
    snd_wl1_ = seg.seq;
    snd_wl2_ = seg.ack;
    max_snd_wnd_ = std::max(max_snd_wnd_, snd_wnd_);
}

// §3.10.7.4 seventh check: ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2 deliver text; after a FIN
// from the peer there should be none. Bytes below RCV.NXT (a duplicate) and beyond the window
// are trimmed, so nothing is ever delivered twice. A segment beyond RCV.NXT (a hole before it)
// waits in the reassembly queue (RFC 1122 §4.2.2.20(g)).
void TcpConnection::process_text(const TcpSegment& seg, Instant now, TcpOutput& out) {
    if (seg.payload.empty()) return;
    bool delivers = state_ == TcpState::Established || state_ == TcpState::FinWait1 ||
                    state_ == TcpState::FinWait2;
    if (!delivers) return record<Rejected>(out, "text after the peer's FIN is ignored (§3.10.7.4 seventh check)");
    uint32_t len = uint32_t(seg.payload.size());
    uint32_t skip = seg.seq < rcv_nxt_ ? uint32_t(rcv_nxt_ - seg.seq) : 0;
    if (skip >= len) return need_ack(AckNeed::Now, now, out);  // all old: ACK again
    SeqNum first = seg.seq + skip;
    SeqNum right = rcv_nxt_ + rcv_wnd();                // trim to the window,
    if (ooo_fin_ && *ooo_fin_ < right) right = *ooo_fin_;  // and to a FIN already seen
    uint32_t n = first < right ? std::min(len - skip, uint32_t(right - first)) : 0;
    const uint8_t* data = seg.payload.data() + skip;
    if (first > rcv_nxt_) {
        // Out of order: queue it; RFC 5681 §4.2: a duplicate ACK for RCV.NXT at once.
        if (n > 0) queue_out_of_order(first, Bytes(data, data + n), out);
        return need_ack(AckNeed::Now, now, out);
    }
    bool gap = !ooo_.empty();
    uint32_t got = deliver_in_order(data, n);
    unacked_bytes_ += got;
    if (profile_.rcv_autotune && got > 0) rcv_rtt_measure(now);
    if (profile_.rcv_window_growth) grow_window(n);
    if (got > n)
        record<Note>(out, "hole filled: " + std::to_string(got - n) +
                              " bytes from the reassembly queue delivered, RCV.NXT=" + rcv_nxt_.to_string());
    // RFC 5681 §4.2: a segment that fills (part of) a gap is acknowledged at once.
    bool partial = skip > 0 || n < len - skip;
    need_ack(partial || gap ? AckNeed::Now : AckNeed::Data, now, out);
}

// n bytes at RCV.NXT, then what the reassembly queue holds right after them. Returns the bytes
// RCV.NXT advanced by. After shutdown(SHUT_RD) the bytes are acknowledged, not kept.
uint32_t TcpConnection::deliver_in_order(const uint8_t* data, uint32_t n) {
    uint32_t total = 0;
    auto append = [&](const uint8_t* p, uint32_t k) {
        if (!read_shutdown_) {
            recv_buf_.insert(recv_buf_.end(), p, p + k);
            rx_charge(k);
        }
        rcv_nxt_ += k;
        total += k;
    };
    append(data, n);
    while (!ooo_.empty() && ooo_.front().seq <= rcv_nxt_) {
        const OooBlock& b = ooo_.front();
        if (b.end() > rcv_nxt_) {
            uint32_t off = uint32_t(rcv_nxt_ - b.seq);
            append(b.data.data() + off, uint32_t(b.data.size()) - off);
        }
        ooo_.erase(ooo_.begin());
    }
    return total;
}

// Keep in-window data beyond RCV.NXT (the caller trimmed it to the window, so the queue is
// bounded by the receive buffer). Blocks it overlaps or touches merge into one; bytes already
// queued are kept.
void TcpConnection::queue_out_of_order(SeqNum seq, Bytes data, TcpOutput& out) {
    SeqNum lo = seq, hi = seq + uint32_t(data.size());
    auto first = std::find_if(ooo_.begin(), ooo_.end(), [&](const OooBlock& b) { return b.end() >= lo; });
    auto last = std::find_if(first, ooo_.end(), [&](const OooBlock& b) { return b.seq > hi; });
    record<Note>(out, "out-of-order segment queued, seq=" + seq.to_string() + " len=" +
                          std::to_string(data.size()) + ": duplicate ACK for RCV.NXT=" +
                          rcv_nxt_.to_string() + " (RFC 1122 §4.2.2.20(g), RFC 5681 §4.2)");
    if (first == last) {
        ooo_.insert(first, OooBlock{seq, std::move(data)});
        return;
    }
    SeqNum new_lo = std::min(lo, first->seq);
    SeqNum new_hi = std::max(hi, std::prev(last)->end());
    Bytes merged(uint32_t(new_hi - new_lo));
    std::copy(data.begin(), data.end(), merged.begin() + uint32_t(lo - new_lo));
    for (auto it = first; it != last; ++it)
        std::copy(it->data.begin(), it->data.end(), merged.begin() + uint32_t(it->seq - new_lo));
    auto at = ooo_.erase(first, last);
    ooo_.insert(at, OooBlock{new_lo, std::move(merged)});
}

// §3.10.7.4 eighth check, the FIN bit: processed only when everything before it was received.
// A FIN beyond a hole (its text queued) is remembered and taken when RCV.NXT reaches it.
void TcpConnection::process_fin(const TcpSegment& seg, Instant now, TcpOutput& out) {
    if (!seg.has(FIN)) {
        if (ooo_fin_ && *ooo_fin_ == rcv_nxt_) take_fin(now, out);  // the hole before it filled
        return;
    }
    SeqNum fin = seg.seq + uint32_t(seg.payload.size());
    if (fin == rcv_nxt_) return take_fin(now, out);
    ack_now_ = true;
    bool delivers = state_ == TcpState::Established || state_ == TcpState::FinWait1 ||
                    state_ == TcpState::FinWait2;
    if (delivers && !ooo_fin_ && fin > rcv_nxt_ && fin <= rcv_nxt_ + rcv_wnd()) {
        ooo_fin_ = fin;
        // Nothing follows a FIN: drop queued bytes beyond it.
        std::erase_if(ooo_, [&](const OooBlock& b) { return b.seq >= fin; });
        if (!ooo_.empty() && ooo_.back().end() > fin) ooo_.back().data.resize(uint32_t(fin - ooo_.back().seq));
        return record<Note>(out, "FIN beyond a hole remembered, taken when RCV.NXT reaches " + fin.to_string());
    }
    record<Rejected>(out, "FIN beyond RCV.NXT not processed yet (§3.10.7.4 eighth check)");
}

// The peer's FIN at RCV.NXT: advance RCV.NXT over it and acknowledge it.
void TcpConnection::take_fin(Instant now, TcpOutput& out) {
    rcv_nxt_ += 1;
    fin_received_ = true;
    ooo_fin_.reset();
    ooo_.clear();
    switch (state_) {
    case TcpState::SynReceived:
    case TcpState::Established:
        set_state(TcpState::CloseWait, "rcv FIN", out);
        return need_ack(AckNeed::Fin, now, out);
    case TcpState::FinWait1:
        // If our FIN has been ACKed (perhaps in this segment): TIME-WAIT; otherwise CLOSING.
        need_ack(AckNeed::Now, now, out);
        if (our_fin_acked()) return enter_time_wait(now, "rcv FIN+ACK", out);
        return set_state(TcpState::Closing, "rcv FIN", out);
    case TcpState::FinWait2:
        need_ack(AckNeed::Now, now, out);
        return enter_time_wait(now, "rcv FIN", out);
    default:
        return;  // CLOSE-WAIT, CLOSING, LAST-ACK: remain (TIME-WAIT handled in the first check)
    }
}

// TIME-WAIT: start the time-wait timer (2*MSL), turn off the other timers.
void TcpConnection::enter_time_wait(Instant now, std::string cause, TcpOutput& out) {
    set_state(TcpState::TimeWait, std::move(cause), out);
    cancel(TimerKind::Retransmission, out);
    cancel(TimerKind::Persist, out);
    probing_ = false;
    arm(TimerKind::TimeWait, now, profile_.msl * 2, out);
}

// When to acknowledge (RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2, RFC 5681 §4.2).
// Textbook: at once. Linux: at once during the quick-ACK phase and for every second full
// segment; otherwise the ACK waits (delayed ACK timer) for data or a FIN to ride on. The ACK of
// a FIN in ESTABLISHED waits too (Linux enters "pingpong" mode in tcp_fin), so a program that
// closes at once sends FIN+ACK: the three-segment close of the capture.
void TcpConnection::need_ack(AckNeed need, Instant now, TcpOutput& out) {
    bool at_once = !profile_.delayed_ack || need == AckNeed::Now;
    if (need == AckNeed::Data && profile_.delayed_ack) adapt_ato(now);
    // tcp_in_quickack_mode: a budget left and not in interactive mode.
    if (!at_once && need == AckNeed::Data && quickacks_left_ > 0 && !pingpong_) {
        --quickacks_left_;
        at_once = true;
    }
    // Every second full segment (RFC 1122 §4.2.3.2); Linux __tcp_ack_snd_check only when the
    // window it would offer now reaches the one offered last ("right edge of window advances
    // far enough"): a reader that does not read gets one delayed ACK per burst.
    if (!at_once && unacked_bytes_ >= 2u * snd_mss_ &&
        (!profile_.rcv_window_growth || linux_select_window() >= rcv_wnd_offered_))
        at_once = true;
    if (at_once) {
        ack_now_ = true;
        return;
    }
    const auto& delack = timer(TimerKind::DelayedAck);
    if (profile_.kind != Profile::Kind::Linux) {
        if (!delack) arm(TimerKind::DelayedAck, now, profile_.ack_delay_max, out);
        return;
    }
    // Linux tcp_send_delayed_ack: "if delack timer is about to expire, send ACK now" (due
    // within ato/4); else the earlier of the pending deadline and now + ato.
    Duration ato = delayed_ack_timeout();
    if (delack && delack_due_ <= now + Duration::nanos(ato.ns / 4)) {
        ack_now_ = true;
        return;
    }
    if (!delack || now + ato < delack_due_) arm(TimerKind::DelayedAck, now, ato, out);
}

// Linux tcp_event_data_recv: the ACK timeout follows the gaps between data segments. The
// first data: TCP_ATO_MIN (the profile's ack_delay_max, 40 ms). A gap of at most half of it:
// ato/2 + 20 ms; a gap shorter than ato: ato/2 + gap, at most the RTO; a gap longer than the
// RTO: quick ACKs again (tcp_incr_quickack).
void TcpConnection::adapt_ato(Instant now) {
    const Duration ato_min = profile_.ack_delay_max;
    if (profile_.kind == Profile::Kind::Linux && ato_ == Duration{}) {
        ato_ = ato_min;
    } else if (last_data_rcvd_) {
        Duration m = now - *last_data_rcvd_;
        if (profile_.kind == Profile::Kind::Linux && m.ns <= ato_min.ns / 2) {
            ato_ = Duration::nanos(ato_.ns / 2 + ato_min.ns / 2);
        } else if (profile_.kind == Profile::Kind::Linux && m < ato_) {
            ato_ = std::min(Duration::nanos(ato_.ns / 2 + m.ns), rto_);
        } else if (m > rto_) {
            quickacks_left_ = std::max(quickacks_left_, profile_.quickack_segments);
        }
    }
    last_data_rcvd_ = now;
}

// Linux tcp_send_delayed_ack: above TCP_ATO_MIN the timeout is bounded by the smoothed RTT
// (rounded up to 4 ms jiffies at HZ=250, at least TCP_DELACK_MIN) or else 500 ms (200 ms in
// interactive mode), and always by TCP_DELACK_MAX (200 ms).
Duration TcpConnection::delayed_ack_timeout() const {
    const Duration ato_min = profile_.ack_delay_max, delack_max = Duration::millis(200);
    Duration ato = this->ato();
    if (ato > ato_min) {
        Duration max_ato = pingpong_ ? delack_max : Duration::millis(500);
        if (srtt_) {
            Duration rtt = std::max(profile_.clock.round_up(*srtt_), ato_min);
            max_ato = std::min(max_ato, rtt);
        }
        ato = std::min(ato, max_ato);
    }
    return std::min(ato, delack_max);
}

}  // namespace netstep
