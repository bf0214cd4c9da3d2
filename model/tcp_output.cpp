// One TCP connection, part 3: building and sending segments, the windows (RFC 9293 §3.8.6),
// retransmission (RFC 6298), the persist timer (§3.8.6.1) and the timer bookkeeping.
#include <algorithm>
#include <string>
#include <utility>

#include "tcp.hpp"

namespace netstep {

using namespace tcp_flag;

// ---------------------------------------------------------------------------------------------
// Segments
// ---------------------------------------------------------------------------------------------

// A segment from this connection: ports from the tuple, ACK = RCV.NXT when the ACK bit is set,
// our window. A SYN carries the MSS option and, when agreed, the window scale (RFC 7323 §2.2).
TcpSegment TcpConnection::make_segment(uint8_t flags, SeqNum seq, Bytes payload) {
    TcpSegment s;
    s.src_port = tuple_.local.port;
    s.dst_port = tuple_.remote.port;
    s.seq = seq;
    s.flags = flags;
    if (flags & ACK) s.ack = rcv_nxt_;
    if (flags & SYN) {
        s.window = syn_window();
        s.mss = profile_.mss;
        if (state_ == TcpState::SynSent || ws_ok_) s.window_scale = profile_.window_scale;
    } else if (!(flags & RST) || (flags & ACK)) {
        s.window = window_field();
    }
    s.payload = std::move(payload);
    return s;
}

// Every segment with ACK carries the acknowledgement owed: the delayed ACK is no longer needed.
void TcpConnection::emit(TcpSegment seg, TcpOutput& out) {
    if (seg.has(ACK)) {
        ack_now_ = false;
        unacked_bytes_ = 0;
        cancel(TimerKind::DelayedAck, out);
    }
    out.segments.push_back(std::move(seg));
}

// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
void TcpConnection::send_ack(TcpOutput& out) { emit(make_segment(ACK, snd_nxt_), out); }

// <SEQ=ISS><CTL=SYN> in SYN-SENT, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> in SYN-RECEIVED.
void TcpConnection::send_syn(TcpOutput& out) {
    uint8_t flags = state_ == TcpState::SynSent ? SYN : uint8_t(SYN | ACK);
    emit(make_segment(flags, iss_), out);
    if (snd_nxt_ == iss_) snd_nxt_ = iss_ + 1;
}

// §3.10.4/§3.10.5: <SEQ=SND.NXT><CTL=RST>. Linux also sets ACK (tcp_send_active_reset).
void TcpConnection::send_reset(TcpOutput& out) {
    bool linux = profile_.kind == Profile::Kind::Linux;
    emit(make_segment(linux ? uint8_t(RST | ACK) : RST, snd_nxt_), out);
}

// ---------------------------------------------------------------------------------------------
// Sending data (§3.10.2, §3.7.4, §3.8.6)
// ---------------------------------------------------------------------------------------------

uint32_t TcpConnection::unsent() const {
    return data_end() > snd_nxt_ ? uint32_t(data_end() - snd_nxt_) : 0;
}

// SND.UNA + SND.WND - SND.NXT: what the peer's window still allows.
uint32_t TcpConnection::usable_window() const {
    SeqNum right = snd_una_ + snd_wnd_;
    return right > snd_nxt_ ? uint32_t(right - snd_nxt_) : 0;
}

// Send what the window, the MSS and Nagle allow, then the FIN when all data is out.
void TcpConnection::output(Instant now, TcpOutput& out) {
    bool sends = state_ == TcpState::Established || state_ == TcpState::CloseWait ||
                 state_ == TcpState::FinWait1 || state_ == TcpState::Closing ||
                 state_ == TcpState::LastAck;
    if (!sends || !syn_acked()) return;
    bool waiting = unsent() > 0 || (fin_queued_ && !fin_seq_);
    uint32_t usable = usable_window();
    bool window_ok = usable > 0 && usable >= std::min(uint32_t(snd_mss_), unsent());
    if (probing_ && (!waiting || window_ok)) {  // the window opened: persist no more
        probing_ = false;
        cancel(TimerKind::Persist, out);
        rewind_to_una();
    }
    bool idle = snd_nxt_ == snd_una_;  // nothing unacknowledged when this output began
    if (idle && unsent() > 0 && !probing_) restart_after_idle(now, out);  // RFC 5681 §4.1
    bool sent_data = false;
    std::optional<SeqNum> packet_start;  // a GSO packet begun in this pass
    const uint32_t packet_bytes = profile_.psh_per_gso_packet ? gso_segments() * snd_mss_ : 0;
    auto packet_boundary = [&] { return snd_nxt_ >= gso_base_ && uint32_t(snd_nxt_ - gso_base_) % packet_bytes == 0; };
    while (!probing_ && !fin_seq_) {
        uint32_t left = unsent();
        usable = usable_window();
        // RFC 5681 §2: the lesser of cwnd and the peer's window governs data transmission.
        uint32_t n = std::min({uint32_t(snd_mss_), left, usable, cwnd_room()});
        // The FIN needs one unit of the peer's window; it carries no data, so no cwnd.
        bool fin = fin_queued_ && n == left && usable > n;
        if (n == 0 && !fin) break;
        bool tail = n > 0 && !may_send(n, left, idle);
        if (tail && !window_tail_allowed(n, usable, packet_start)) break;
        if (packet_bytes > 0 && !packet_start && packet_boundary()) packet_start = snd_nxt_;
        transmit_new(n, fin, now, out, tail);
        sent_data = sent_data || n > 0;
        if (packet_start && packet_boundary()) packet_start.reset();  // complete: the next one begins
    }
    // Linux tcp_write_xmit -> tcp_cwnd_validate: remember whether cwnd was the limit.
    bool cwnd_full = cwnd_ > 0 && flight_size() + snd_mss_ > cwnd_;
    if (sent_data || cwnd_full) cwnd_validate(cwnd_full);
    // RFC 6298 §5.1: data outstanding and the timer not running: start it.
    if (snd_nxt_ != snd_una_ && !probing_ && !timer(TimerKind::Retransmission))
        arm(TimerKind::Retransmission, now + rto_, out);
    // Data waiting, nothing in flight, and the window holds it back: the persist timer. It
    // probes a zero window (§3.8.6.1; first after one RTO, SHLD-29) and, as BSD does, serves
    // as the override timer of sender SWS avoidance for a window too small (§3.8.6.2.1).
    waiting = unsent() > 0 || (fin_queued_ && !fin_seq_);
    if (!probing_ && waiting && snd_nxt_ == snd_una_) {
        probing_ = true;
        persist_interval_ = rto_;
        arm(TimerKind::Persist, now + persist_interval_, out);
    }
}

// A probe octet the peer did not take is sent again with the data that follows it: sending
// resumes from SND.UNA (RFC 9293 §3.8.6.1; BSD sets snd_nxt = snd_una when leaving persist).
void TcpConnection::rewind_to_una() {
    if (snd_nxt_ == snd_una_) return;
    snd_nxt_ = snd_una_;
    if (fin_seq_ && *fin_seq_ >= snd_una_) fin_seq_.reset();
    std::erase_if(psh_ends_, [&](SeqNum e) { return e > snd_una_; });
    rtt_probe_.reset();
    std::erase_if(sent_, [&](const Sent& s) { return s.seq >= snd_una_; });
}

// Nagle (§3.7.4): with data unacknowledged, a segment shorter than the MSS waits until the
// outstanding data is acknowledged. As in BSD's tcp_output, "unacknowledged" is judged when the
// output begins: a write to an idle connection goes out whole, its short tail included.
// Sender SWS avoidance (§3.8.6.2.1) follows from it.
bool TcpConnection::may_send(uint32_t n, uint32_t unsent_bytes, bool idle) const {
    if (n >= snd_mss_) return true;             // a full-sized segment
    if (idle && n == unsent_bytes) return true; // nothing was unacknowledged: the tail goes
    if (fin_queued_ && n == unsent_bytes) return true;  // closing: the tail goes with the FIN
    // Linux uses Minshall's variant: wait only while an earlier short segment is unacknowledged.
    return profile_.kind == Profile::Kind::Linux && n == unsent_bytes && !short_unacked();
}

// Linux tcp_mss_split_point: a GSO packet whose first segment fits the peer's window is cut at
// the window's edge, a last short segment included unless a short segment is unacknowledged
// (tcp_nagle_check, Minshall): k_zero_window.pcap, a 1256-byte segment up to the edge.
bool TcpConnection::window_tail_allowed(uint32_t n, uint32_t usable, std::optional<SeqNum> packet_start) const {
    if (profile_.kind != Profile::Kind::Linux || !profile_.psh_per_gso_packet || !packet_start) return false;
    if (n != usable || n >= snd_mss_ || snd_nxt_ == *packet_start) return false;
    return !short_unacked() && !in_fast_recovery();
}

// A segment shorter than the MSS sent and not yet acknowledged (Minshall; tcp_minshall_check).
bool TcpConnection::short_unacked() const { return small_end_ && *small_end_ > snd_una_; }

// n new bytes from SND.NXT (and the FIN). PSH on the segment that empties the send queue, as
// Linux does (the end of the program's write), and on one that holds a push mark (where a
// send() waited for buffer space, linux profile).
void TcpConnection::transmit_new(uint32_t n, bool fin, Instant now, TcpOutput& out, bool packet_end) {
    auto first = send_buf_.begin() + std::ptrdiff_t(uint32_t(snd_nxt_ - send_buf_seq_));
    Bytes payload(first, first + n);
    uint8_t flags = ACK;
    SeqNum end = snd_nxt_ + n;
    if (n > 0 && end == data_end()) flags |= PSH;
    // With 2-segment GSO packets (a round trip of tens of ms) the mark lands on the end of the
    // packet being filled when send() waited (k_zero_window.pcap: PSH only on pair ends); with
    // the long packets of a fast LAN, where send() waited (e_bulk_slow.pcap).
    bool pairs = profile_.psh_per_gso_packet && gso_segments() == 2 && snd_mss_ > 0;
    auto marked = [&](SeqNum m) {
        if (pairs && m > gso_base_) {
            uint32_t unit = 2u * snd_mss_, off = uint32_t(m - gso_base_) % unit;
            if (off != 0) m = std::min(m + (unit - off), data_end());
        }
        return m > snd_nxt_ && m <= end;
    };
    if (n > 0 && std::any_of(push_marks_.begin(), push_marks_.end(), marked)) flags |= PSH;
    if (fin) flags |= FIN;
    if (flags & PSH) psh_ends_.push_back(snd_nxt_ + n);
    // The last segment of a GSO packet; a retransmission goes alone, without it (not while
    // recovering a loss either: l_fast_retransmit.pcap).
    if (profile_.psh_per_gso_packet && n == snd_mss_ && end > gso_base_ &&
        uint32_t(end - gso_base_) % (gso_segments() * snd_mss_) == 0 && !in_fast_recovery())
        flags |= PSH;
    if (packet_end && n > 0) flags |= PSH;  // a packet cut short at the window's edge
    // In recovery each segment goes alone (a packet of one): the next packet starts after it
    // (l_fast_retransmit.pcap: PSH on 52561, the second of the first pair after the recovery).
    if (profile_.psh_per_gso_packet && n > 0 && in_fast_recovery()) gso_base_ = end;
    TcpSegment seg = make_segment(flags, snd_nxt_, std::move(payload));
    if (n > 0 && n < snd_mss_) small_end_ = snd_nxt_ + n;
    if (fin) fin_seq_ = snd_nxt_ + n;
    snd_nxt_ += seg.seg_len();
    if (profile_.prr && fast_recovery_) ++prr_out_;  // Linux tcp_write_xmit: prr_out += sent
    time_segment(seg.seq, snd_nxt_, now);
    if (n > 0) last_data_sent_ = now;
    // Linux tcp_event_data_sent: a reply within the delayed-ACK timeout (icsk_ack.ato, from
    // TCP_ATO_MIN, 40 ms) of the last data received: interactive mode.
    if (n > 0 && profile_.delayed_ack && last_data_rcvd_ && now - *last_data_rcvd_ < ato())
        pingpong_ = true;
    emit(std::move(seg), out);
}

// RFC 6298 §5.4: resend the earliest segment not acknowledged (at most max_len bytes).
// Karn: a retransmitted segment gives no RTT sample. Returns the SEG.LEN resent. PSH when the
// bytes resent include the end of a segment first sent with PSH (Linux resends the skb as is).
uint32_t TcpConnection::retransmit_first(uint32_t max_len, Instant now, TcpOutput& out) {
    rtt_probe_.reset();
    for (Sent& s : sent_)  // Linux: TCPCB_RETRANS on the skb, no sample from its ACK
        if (s.seq <= snd_una_ || s.seq < snd_una_ + max_len) s.resent = true;
    if (!syn_acked()) {
        send_syn(out);
        return 1;
    }
    SeqNum stop = std::min(snd_nxt_, data_end());
    uint32_t in_flight = stop > snd_una_ ? uint32_t(stop - snd_una_) : 0;
    uint32_t n = std::min({max_len, uint32_t(snd_mss_), in_flight});
    bool fin = fin_seq_ && snd_una_ + n == *fin_seq_ && snd_nxt_ > *fin_seq_;
    if (n == 0 && !fin) return 0;
    auto first = send_buf_.begin() + std::ptrdiff_t(uint32_t(snd_una_ - send_buf_seq_));
    uint8_t flags = ACK;
    SeqNum end = snd_una_ + n;
    if (std::any_of(psh_ends_.begin(), psh_ends_.end(), [&](SeqNum e) { return e > snd_una_ && e <= end; }))
        flags |= PSH;
    if (fin) flags |= FIN;
    if (n > 0) last_data_sent_ = now;
    emit(make_segment(flags, snd_una_, Bytes(first, first + n)), out);
    return n + (fin ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// Receive window (§3.8.6.2.2) and window scaling (RFC 7323)
// ---------------------------------------------------------------------------------------------

// RCV.BUFF - RCV.USER. After shutdown(SHUT_RD) arriving data is discarded: all space is free.
// Under rcv_mem, Linux tcp_space: the window the free memory is worth (tcp_win_from_space),
// the reassembly queue's memory counted too.
uint32_t TcpConnection::free_space() const {
    if (profile_.rcv_mem) {
        if (read_shutdown_) return win_from_space(rcvbuf_);
        return win_from_space(int64_t(rcvbuf_) - rmem_alloc_ - ooo_mem());
    }
    if (read_shutdown_) return profile_.recv_buffer;
    return profile_.recv_buffer > recv_buf_.size() ? profile_.recv_buffer - uint32_t(recv_buf_.size()) : 0;
}

// The most the window can be: Linux min(window_clamp, tcp_full_space); else the buffer.
uint32_t TcpConnection::full_space() const {
    if (!profile_.rcv_mem) return profile_.recv_buffer;
    return std::min(window_clamp_, win_from_space(rcvbuf_));
}

// A segment taken into the receive queue (tcp_queue_rcv): a new skb of its truesize, unless
// it fits in the room left in the head of the one before (tcp_try_coalesce: copied, free).
void TcpConnection::rx_charge(uint32_t len) {
    if (!profile_.rcv_mem) return;
    while (len > 0) {
        uint32_t k = std::min<uint32_t>(len, profile_.mss);
        // tcp_try_rmem_schedule -> tcp_prune_queue -> tcp_clamp_window: the queue already holds
        // more than the buffer (the window offered was worth more than the memory it took):
        // an unlocked buffer grows to what is queued, at most tcp_rmem[2] (6 MiB). Not
        // modelled: collapsing the queue into fewer skbs (tcp_collapse) when it cannot grow.
        if (rmem_alloc_ > rcvbuf_) {
            quickacks_left_ = 0;  // "icsk->icsk_ack.quick = 0"
            if (!profile_.rcv_mem_locked) rcvbuf_ = std::max(rcvbuf_, std::min<uint32_t>(rmem_alloc_, 6291456));
            if (rmem_alloc_ > rcvbuf_) rcv_ssthresh_ = std::min(window_clamp_, 2u * profile_.mss);
        }
        if (!rx_skbs_.empty() && rx_skbs_.back().tailroom >= k) {
            rx_skbs_.back().len += k;
            rx_skbs_.back().tailroom -= k;
        } else {
            rx_skbs_.push_back({k, profile_.rx_truesize_of(k), profile_.rx_tailroom_of(k)});
            rmem_alloc_ += rx_skbs_.back().truesize;
        }
        len -= k;
    }
}

// A read: an skb's memory is freed once it is read to its end (tcp_recvmsg_locked,
// tcp_eat_recv_skb), so reading part of a segment frees nothing.
void TcpConnection::rx_consume(size_t n) {
    while (n > 0 && !rx_skbs_.empty()) {
        RxSkb& f = rx_skbs_.front();
        if (f.len > n) {
            f.len -= uint32_t(n);
            return;
        }
        n -= f.len;
        rmem_alloc_ -= f.truesize;
        rx_skbs_.pop_front();
    }
}

void TcpConnection::rx_clear() {
    rx_skbs_.clear();
    rmem_alloc_ = 0;
}

// The memory of the reassembly queue (Linux charges out-of-order skbs as well): one skb per
// segment of it, at most one MSS each.
uint32_t TcpConnection::ooo_mem() const {
    uint32_t mem = 0, mss = std::max<uint32_t>(profile_.mss, 1);
    for (const OooBlock& b : ooo_) {
        uint32_t size = uint32_t(b.data.size());
        mem += size / mss * profile_.rx_truesize_of(mss);
        if (size % mss) mem += profile_.rx_truesize_of(size % mss);
    }
    return mem;
}

// The window in a SYN is never scaled (RFC 7323 §2.2). Linux offers less than its buffer at
// first (tcp_select_initial_window: 64240, half the 128 KiB buffer rounded down to the MSS).
uint16_t TcpConnection::syn_window() const {
    uint32_t w = std::min<uint32_t>(free_space(), 65535);
    if (profile_.initial_rcv_window > 0) w = std::min(w, profile_.initial_rcv_window);
    return uint16_t(w);
}

// Linux tcp_grow_window, called for in-order data of at least 128 bytes (tcp_event_data_recv):
// the window Linux is willing to offer, rcv_ssthresh, grows by max(2*MSS, 2*len) per segment,
// as long as the free buffer has room for it. rcv_mss_ follows the largest segment seen so far
// (tcp_measure_rcv_mss). The segment is already in the buffer here, as in Linux.
void TcpConnection::grow_window(uint32_t len) {
    if (profile_.rcv_mem) {
        measure_rcv_mss(len);
    } else if (len >= rcv_mss_) {
        rcv_mss_ = std::min<uint32_t>(len, profile_.mss);
    }
    if (len < 128) return;
    uint32_t limit = free_space();
    if (profile_.rcv_mem) limit = std::min(limit, window_clamp_);
    if (limit <= rcv_ssthresh_) return;
    uint32_t incr = 2 * rcv_mss_;
    if (profile_.rcv_mem) {
        // Check #2: grow if a segment with this overhead will fit the buffer in future: at
        // once when its memory is worth no more than its bytes, else (__tcp_grow_window) while
        // rcv_ssthresh is small against tcp_rmem[2] (6 MiB) in proportion.
        uint32_t truesize = profile_.rx_truesize_of(len);
        if (win_from_space(truesize) <= len) {
            incr = 2u * profile_.mss;
        } else {
            uint32_t t = win_from_space(truesize) >> 1, window = win_from_space(6291456) >> 1;
            incr = 0;
            for (; rcv_ssthresh_ <= window; t >>= 1, window >>= 1) {
                if (t <= len) {
                    incr = 2 * rcv_mss_;
                    break;
                }
            }
            if (incr == 0) return;
        }
    }
    incr = std::max(incr, 2 * len);
    rcv_ssthresh_ += std::min(limit - rcv_ssthresh_, incr);
    quickacks_left_ |= 1;  // "icsk->icsk_ack.quick |= 1": the window grew, ACK it at once
}

// Linux tcp_measure_rcv_mss for a segment at least as long as the estimate: a new length gives
// a new payload share of memory (scaling_ratio = len * 256 / truesize), and with it a new clamp.
void TcpConnection::measure_rcv_mss(uint32_t len) {
    if (len < rcv_mss_) return;
    if (len != rcv_mss_) {
        uint32_t ratio = std::clamp<uint32_t>(uint32_t(uint64_t(len) * 256 / profile_.rx_truesize_of(len)), 1, 255);
        if (ratio != scaling_ratio_) {
            scaling_ratio_ = ratio;
            set_window_clamp(win_from_space(rcvbuf_));
        }
    }
    rcv_mss_ = std::min<uint32_t>(len, profile_.mss);
}

// Linux tcp_set_window_clamp: at least SOCK_MIN_RCVBUF / 2; a smaller clamp lowers rcv_ssthresh
// to it, a larger one lets it grow to the window offered.
void TcpConnection::set_window_clamp(uint32_t clamp) {
    clamp = std::max<uint32_t>(clamp, 2304);
    if (clamp == window_clamp_) return;
    if (clamp < window_clamp_) {
        rcv_ssthresh_ = std::min(rcv_ssthresh_, clamp);
    } else {
        rcv_ssthresh_ = std::max(std::min(rcv_wnd_offered_, clamp), rcv_ssthresh_);
    }
    window_clamp_ = clamp;
}

// Linux __tcp_select_window, with window scaling: the free buffer, at most rcv_ssthresh, rounded
// up to the scale unit so that it is not scaled away. When less than half the buffer is free,
// the free space is rounded down instead, and under 1/16 of the buffer or one MSS the answer is
// 0 (the caller keeps the window already offered: Linux never shrinks it).
uint32_t TcpConnection::linux_select_window() const {
    uint32_t unit = 1u << rcv_wscale_;
    uint32_t full = full_space();
    uint32_t allowed = profile_.rcv_mem ? win_from_space(rcvbuf_) : full;  // tcp_full_space
    uint32_t free = free_space();
    if (free < full / 2) {
        free = free / unit * unit;
        if (free < allowed / 16 || free < rcv_mss_) return 0;
    }
    free = std::min(free, rcv_ssthresh_);
    if (rcv_wscale_ > 0) return (free + unit - 1) / unit * unit;
    // Without window scaling: keep the window last offered while it is within one MSS of the
    // free space, else offer the free space rounded down to a multiple of the MSS.
    uint32_t mss = std::min(rcv_mss_, full);
    if (mss == 0) return 0;
    uint32_t window = rcv_wnd_offered_;
    if (window + mss <= free || window > free) window = free / mss * mss;
    return window;
}

// Receiver SWS avoidance (§3.8.6.2.2): move the right edge only when RCV.BUFF - RCV.USER -
// RCV.WND >= min(Fr * RCV.BUFF, Eff.snd.MSS), Fr = 1/2. The right edge never moves back.
bool TcpConnection::window_should_open() const {
    uint32_t current = rcv_wnd();
    uint32_t free = free_space();
    return free > current && free - current >= std::min<uint32_t>(profile_.recv_buffer / 2, snd_mss_);
}

// A window update on read: RFC 9293 §3.8.6.2.2 allows one once the window can open by
// min(MSS, buffer/2); like BSD (tcp_output) we wait until the right edge would move by 2*MSS or
// half the buffer. Measured from the edge last advertised, so nothing goes out for a read that
// an ACK sent since then already reported.
bool TcpConnection::window_update_due() const {
    if (profile_.rcv_window_growth) {
        // Linux tcp_cleanup_rbuf: after a read, an ACK when the window offered has fallen to
        // half the buffer or less and the window it would now offer is at least twice as large.
        uint32_t now_offered = rcv_wnd();
        if (2 * uint64_t(now_offered) > (profile_.rcv_mem ? window_clamp_ : profile_.recv_buffer)) return false;
        uint32_t would_offer = linux_select_window();
        return would_offer > 0 && would_offer >= 2 * uint64_t(now_offered);
    }
    if (!window_should_open()) return false;
    SeqNum edge = rcv_nxt_ + free_space();
    uint32_t growth = edge > rcv_adv_ ? uint32_t(edge - rcv_adv_) : 0;
    return growth >= 2u * snd_mss_ || growth >= profile_.recv_buffer / 2;
}

// The 16-bit window field (RFC 7323 §2.3: the window shifted right by our scale). Like Linux
// (__tcp_select_window), the scaled window is rounded up, so the field is never 0 for a window
// that is not; the right edge is then where the field says (64240 free -> 63 << 10 = 64512).
uint16_t TcpConnection::window_field() {
    uint32_t unit = 1u << rcv_wscale_;
    if (profile_.rcv_window_growth) {
        // Linux tcp_select_window: the new window, but never less than what is left of the one
        // offered before (rounded up to the unit): the right edge never moves back.
        uint32_t cur = rcv_wnd();
        uint32_t win = std::max(linux_select_window(), (cur + unit - 1) / unit * unit);
        win = std::min<uint32_t>(win, 65535u << rcv_wscale_);
        rcv_adv_ = rcv_nxt_ + win;
        rcv_wnd_offered_ = win;
        return uint16_t(win >> rcv_wscale_);
    }
    if (window_should_open()) rcv_adv_ = rcv_nxt_ + free_space();
    uint32_t field = std::min<uint32_t>((rcv_wnd() + unit - 1) >> rcv_wscale_, 65535);
    SeqNum edge = rcv_nxt_ + (field << rcv_wscale_);
    if (edge > rcv_adv_) rcv_adv_ = edge;
    return uint16_t(field);
}

// ---------------------------------------------------------------------------------------------
// Retransmission timer (RFC 6298)
// ---------------------------------------------------------------------------------------------

// Linux tcp_tso_autosize: the bytes of ~1 ms at the pacing rate (sk_pacing_shift 10), plus
// 64 KB >> (min RTT / 512 us) (tcp_tso_rtt_log 9), at most 64 KB (GSO_MAX_SIZE), in segments,
// at least tcp_min_tso_segs = 2. The pacing rate (tcp_update_pacing_rate): cwnd (bytes here) /
// SRTT, x2 while cwnd < ssthresh/2, x1.2 after. Without an RTT sample, the largest packets.
uint32_t TcpConnection::gso_segments() const {
    double mss = std::max<uint32_t>(snd_mss_, 1);
    if (!srtt_ || srtt_->ns <= 0 || !min_rtt_) return std::max<uint32_t>(2, uint32_t(65536 / mss));
    double ratio = cwnd_ < ssthresh_ / 2 ? 2.0 : 1.2;
    double bytes = ratio * double(cwnd_) / (double(srtt_->ns) / 1e9) / 1024.0;
    int64_t r = min_rtt_->ns / 512'000;
    if (r < 32) bytes += double(65536u >> r);
    bytes = std::min(bytes, 65536.0);
    return std::max<uint32_t>(2, uint32_t(bytes / mss));
}

// A segment just sent: RFC 6298 times one segment per round trip (none while probing a zero
// window); Linux remembers every segment's send time (the skb's timestamp).
void TcpConnection::time_segment(SeqNum seq, SeqNum end, Instant now) {
    if (profile_.linux_rtt) sent_.push_back({seq, end, now, false});
    else if (!rtt_probe_ && !probing_) rtt_probe_ = RttProbe{end, now};
}

// SND.UNA moves to ack. RFC 6298 §3 (Karn): sample only a segment never retransmitted
// (rtt_probe_ is dropped then). Linux tcp_clean_rtx_queue: the time since the oldest segment
// this ACK covers was sent, and no sample when it covers a retransmitted one.
void TcpConnection::rtt_on_ack(SeqNum ack, Instant now) {
    if (!profile_.linux_rtt) {
        if (rtt_probe_ && ack >= rtt_probe_->end) {
            rtt_sample(now - rtt_probe_->sent);
            rtt_probe_.reset();
        }
        return;
    }
    std::optional<Instant> first;
    bool resent = false;
    while (!sent_.empty() && sent_.front().end <= ack) {
        resent = resent || sent_.front().resent;
        if (!first) first = sent_.front().at;
        sent_.pop_front();
    }
    if (first && !resent) linux_rtt_sample(now - *first, ack);
}

// Linux tcp_rtt_estimator and __tcp_set_rto (net/ipv4/tcp_input.c), in nanoseconds: SRTT gains
// 1/8 of the error; mdev (4 x the mean deviation) 1/4, but only 1/32 when the RTT falls; the
// RTO's second term follows the largest mdev of a round trip, at least rto_min, and decays by
// 1/4 of its excess per round trip; RTO = SRTT + that term, at most rto_max (tcp_bound_rto).
void TcpConnection::linux_rtt_sample(Duration r, SeqNum una) {
    Duration rto_min = profile_.rto_min;
    min_rtt_ = min_rtt_ ? std::min(*min_rtt_, r) : r;
    if (!srtt_) {
        srtt_ = r;
        mdev_ = r * 2;  // "make sure rto = 3*rtt"
        rttvar_term_ = std::max(mdev_, rto_min);
        mdev_max_ = rttvar_term_;
        rtt_seq_ = snd_nxt_;
    } else {
        Duration s = *srtt_;
        int64_t err = r.ns - s.ns;
        srtt_ = Duration::nanos(s.ns + err / 8);
        int64_t m = err < 0 ? -err : err;
        m -= mdev_.ns / 4;
        if (err < 0 && m > 0) m /= 8;
        mdev_ = Duration::nanos(mdev_.ns + m);
        if (mdev_ > mdev_max_) {
            mdev_max_ = mdev_;
            if (mdev_max_ > rttvar_term_) rttvar_term_ = mdev_max_;
        }
        if (una > rtt_seq_) {
            if (mdev_max_ < rttvar_term_) rttvar_term_ = rttvar_term_ - (rttvar_term_ - mdev_max_) / 4;
            rtt_seq_ = snd_nxt_;
            mdev_max_ = rto_min;
        }
    }
    rttvar_ = mdev_ / 4;  // the RFC's RTTVAR, for views
    rto_ = std::min(*srtt_ + rttvar_term_, profile_.rto_max);
}

// RFC 6298 §2.2 (first measurement) and §2.3 (next ones); K = 4, alpha = 1/8, beta = 1/4,
// G = 1 ns (the simulated clock). RTO clamped to [rto_min, rto_max] (§2.4, §2.5).
void TcpConnection::rtt_sample(Duration r) {
    if (!srtt_) {
        srtt_ = r;
        rttvar_ = r / 2;
    } else {
        Duration diff = *srtt_ > r ? *srtt_ - r : r - *srtt_;
        rttvar_ = *rttvar_ * 3 / 4 + diff / 4;
        srtt_ = *srtt_ * 7 / 8 + r / 8;
    }
    Duration g = Duration::nanos(1);
    rto_ = *srtt_ + std::max(g, *rttvar_ * 4);
    rto_ = std::clamp(rto_, profile_.rto_min, profile_.rto_max);
}

// RFC 6298 §5.4-§5.6: resend the earliest unacknowledged segment, double the RTO, restart the
// timer. Give up after syn_retries (SYN) or data_retries (data/FIN) retransmissions
// (RFC 1122 §4.2.3.5 R2): ETIMEDOUT, CLOSED, nothing sent (as Linux, tcp_write_timeout).
void TcpConnection::on_retransmission_timeout(Instant now, TcpOutput& out) {
    uint32_t limit = syn_acked() ? profile_.data_retries : profile_.syn_retries;
    // Linux tcp_write_timeout: the linear SYN retries come on top of tcp_syn_retries.
    bool syn_sent = state_ == TcpState::SynSent;
    if (syn_sent) limit += profile_.syn_linear_timeouts;
    if (retransmits_ >= limit) {
        std::string what = syn_acked() ? "data" : "SYN";
        // Linux tcp_write_err: the soft error of an ICMP unreachable, if one came, else ETIMEDOUT.
        return fail(soft_error_.value_or(Err::TimedOut),
                    "no ACK after " + std::to_string(limit) + " retransmissions of " + what +
                        (soft_error_ ? " (after ICMP unreachable)" : ""),
                    "retransmission timeout", out);
    }
    if (syn_acked()) on_timeout_congestion(out);        // RFC 5681 §3.1: cwnd = 1 SMSS
    else ++syn_retransmits_;
    ++retransmits_;
    dupacks_ = 0;
    fast_recovery_ = false;
    uint32_t len = retransmit_first(snd_mss_, now, out); // §5.4
    // §5.5 back off; Linux tcp_retransmit_timer keeps the SYN's RTO for the first
    // tcp_syn_linear_timeouts retransmissions ("total_rto > sysctl_tcp_syn_linear_timeouts").
    if (!syn_sent || retransmits_ > profile_.syn_linear_timeouts) rto_ = std::min(rto_ * 2, profile_.rto_max);
    record<Retransmission>(out, snd_una_, len, retransmits_, rto_);
    recover_ = snd_nxt_;
    arm(TimerKind::Retransmission, now + rto_, out);     // §5.6
}

// §3.8.6.1: probe the zero window with one octet of new data (or resend the probe), backing
// off exponentially (SHLD-30) up to rto_max; probing never gives up while ACKs come back.
// A small window that is not zero: send what it allows (the SWS override, §3.8.6.2.1).
void TcpConnection::on_persist_timeout(Instant now, TcpOutput& out) {
    if (!probing_) return;
    if (snd_wnd_ > 0) rewind_to_una();  // the window opened a little: no lone probe octet
    uint32_t left = unsent();
    uint32_t usable = usable_window();
    if (snd_nxt_ == snd_una_ && usable > 0) {
        probing_ = false;
        uint32_t n = std::min({uint32_t(snd_mss_), left, usable});
        transmit_new(n, fin_queued_ && n == left && usable > n, now, out);
        return output(now, out);  // arms the retransmission timer
    }
    record<Note>(out, "zero-window probe");
    if (profile_.kind == Profile::Kind::Linux && snd_nxt_ == snd_una_) {
        // Linux tcp_write_wakeup -> tcp_xmit_probe_skb: nothing fits the window, so a pure ACK
        // with an old sequence number (SND.UNA - 1), which the peer must answer with an ACK
        // telling its window (k_zero_window.pcap).
        emit(make_segment(ACK, snd_una_ - 1), out);
    } else if (snd_nxt_ == snd_una_) {
        transmit_new(left > 0 ? 1 : 0, left == 0 && fin_queued_, now, out);
    } else {
        retransmit_first(1, now, out);
    }
    persist_interval_ = std::min(persist_interval_ * 2, profile_.rto_max);
    arm(TimerKind::Persist, now + persist_interval_, out);
}

// ---------------------------------------------------------------------------------------------
// Timers are data: a deadline per kind. Each change leaves an event for the trace.
// ---------------------------------------------------------------------------------------------

void TcpConnection::arm(TimerKind k, Instant at, TcpOutput& out) {
    timer(k) = at;
    record<TimerEvent>(out, k, TimerAction::Armed, at);
}

void TcpConnection::cancel(TimerKind k, TcpOutput& out) {
    if (!timer(k)) return;
    record<TimerEvent>(out, k, TimerAction::Cancelled, *timer(k));
    timer(k).reset();
}

}  // namespace netstep
