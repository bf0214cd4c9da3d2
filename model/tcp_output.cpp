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
    if (idle && unsent() > 0 && !probing_) {
        restart_after_idle(now, out);  // RFC 5681 §4.1
        cubic_tx_start(now);
    }
    bool sent_data = false;
    if (profile_.snd_mem) sent_data = write_xmit(now, out, idle);
    while (!profile_.snd_mem && !probing_ && !fin_seq_) {
        uint32_t left = unsent();
        usable = usable_window();
        // RFC 5681 §2: the lesser of cwnd and the peer's window governs data transmission.
        uint32_t n = std::min({uint32_t(snd_mss_), left, usable, cwnd_room()});
        // The FIN needs one unit of the peer's window; it carries no data, so no cwnd.
        bool fin = fin_queued_ && n == left && usable > n;
        if (n == 0 && !fin) break;
        if (n > 0 && !may_send(n, left, idle)) break;
        transmit_new(n, fin, now, out);
        sent_data = sent_data || n > 0;
    }
    // Linux tcp_write_xmit -> tcp_cwnd_validate: remember whether cwnd was the limit.
    bool cwnd_full = cwnd_ > 0 && flight_size() + snd_mss_ > cwnd_;
    if (sent_data || cwnd_full) cwnd_validate(cwnd_full);
    // RFC 6298 §5.1: data outstanding and the timer not running: start it.
    if (snd_nxt_ != snd_una_ && !probing_ && !timer(TimerKind::Retransmission))
        arm(TimerKind::Retransmission, now, rto_, out);
    // Data waiting, nothing in flight, and the window holds it back: the persist timer. It
    // probes a zero window (§3.8.6.1; first after one RTO, SHLD-29) and, as BSD does, serves
    // as the override timer of sender SWS avoidance for a window too small (§3.8.6.2.1).
    waiting = unsent() > 0 || (fin_queued_ && !fin_seq_);
    if (!probing_ && waiting && snd_nxt_ == snd_una_) {
        probing_ = true;
        persist_interval_ = rto_;
        arm(TimerKind::Persist, now, persist_interval_, out);
    }
}

// Linux tcp_write_xmit over the write queue's skbs (profile snd_mem): the first unsent skb goes
// as one packet of at most tcp_tso_segs segments, cut to cwnd and the peer's window
// (tcp_mss_split_point; the rest stays a skb of its own: tso_fragment). A packet of two or more
// segments carries PSH (__tcp_transmit_skb: "to expedite GRO flush at receiver"; software GSO
// keeps it on the last piece), a packet of one only when its skb was marked. A packet smaller
// than worth sending may wait for more ACKs (tcp_tso_should_defer); a short last skb waits as
// Nagle/Minshall say (tcp_nagle_test). tcp_push_one: one packet.
bool TcpConnection::write_xmit(Instant now, TcpOutput& out, bool idle) {
    const uint32_t mss = std::max<uint32_t>(snd_mss_, 1);
    bool sent = false;
    while (!probing_ && !fin_seq_) {
        uint32_t left = unsent();
        if (left == 0) {  // a FIN of its own: one unit of window, no cwnd (tcp_cwnd_test)
            if (fin_queued_ && usable_window() > 0) transmit_new(0, true, now, out, 0);
            break;
        }
        size_t i = head_unsent_skb();
        if (i >= wq_.size()) break;
        uint32_t skb_len = uint32_t(wq_[i].end - snd_nxt_);
        bool is_tail = i + 1 == wq_.size();
        bool with_fin = is_tail && fin_queued_;  // tcp_send_fin: the FIN joins the last unsent skb
        uint32_t quota = cwnd_room() / mss;
        if (quota == 0) break;                              // tcp_cwnd_test
        if (std::min(skb_len, mss) > usable_window()) break;  // tcp_snd_wnd_test
        uint32_t pcount = (skb_len + mss - 1) / mss;
        if (pcount == 1) {
            if (skb_len < mss && is_tail && !push_one_ && !may_send(skb_len, left, idle)) break;
        } else if (!push_one_ && tso_should_defer(skb_len, is_tail, quota, now)) {
            break;
        }
        uint32_t pkt = skb_len;
        if (pcount > 1) pkt = std::min(skb_len, mss_split_point(skb_len, is_tail, std::min(quota, gso_segments())));
        if (pkt == 0) break;
        if (pkt < skb_len) wq_.insert(wq_.begin() + std::ptrdiff_t(i), WqSkb{snd_nxt_ + pkt, false});
        bool psh = (pkt + mss - 1) / mss > 1 || wq_[i].psh;
        bool last_skb = wq_[i].end == data_end();
        while (pkt > 0) {
            uint32_t n = std::min(mss, pkt);
            bool last = n == pkt;
            bool fin = last && with_fin && last_skb && usable_window() > n;
            transmit_new(n, fin, now, out, last && psh ? 1 : 0);
            pkt -= n;
        }
        sent = true;
        if (push_one_) break;
    }
    return sent;
}

// The first skb of the write queue not yet sent (wq_.size() when none).
size_t TcpConnection::head_unsent_skb() const {
    size_t i = 0;
    while (i < wq_.size() && wq_[i].end <= snd_nxt_) ++i;
    return i;
}

// Linux tcp_tso_should_defer: not in recovery, and only within 1 ms of the last packet sent;
// send now what fills a whole packet, a middle skb that fits, or a third of the window
// (tcp_tso_win_divisor 3); else wait while the next ACK is due within min(SRTT/2, 1 ms) of the
// oldest unacknowledged segment's round trip.
bool TcpConnection::tso_should_defer(uint32_t skb_len, bool is_tail, uint32_t quota, Instant now) const {
    if (recover_ && snd_una_ < *recover_) return false;  // icsk_ca_state >= TCP_CA_Recovery
    if (!last_data_sent_ || now - *last_data_sent_ > Duration::millis(1)) return false;
    const uint32_t mss = std::max<uint32_t>(snd_mss_, 1);
    uint32_t limit = std::min(usable_window(), quota * mss);
    if (limit >= gso_segments() * mss) return false;
    if (!is_tail && limit >= skb_len) return false;
    if (limit >= std::min(snd_wnd_, cwnd_) / 3) return false;
    if (sent_.empty() || !srtt_) return false;
    Duration threshold = std::min(Duration::nanos(srtt_->ns / 2), Duration::millis(1));
    Instant expected_ack = sent_.front().at + *srtt_;
    if (expected_ack > now && expected_ack - now > threshold) return false;
    return !(is_tail && fin_queued_);  // "If this packet won't get more data, do not wait"
}

// Linux tcp_mss_split_point: a packet of max_segs segments, or up to the window's edge for the
// last skb, its short last segment left out while a short segment is unacknowledged (Minshall,
// tcp_nagle_check).
uint32_t TcpConnection::mss_split_point(uint32_t skb_len, bool is_tail, uint32_t max_segs) const {
    const uint32_t mss = std::max<uint32_t>(snd_mss_, 1);
    uint32_t window = usable_window(), max_len = mss * max_segs;
    if (max_len <= window && !is_tail) return max_len;
    uint32_t needed = std::min(skb_len, window);
    if (max_len <= needed) return max_len;
    uint32_t partial = needed % mss;
    if (partial && !push_one_ && flight_size() > 0 && short_unacked()) return needed - partial;
    return needed;
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

// A segment shorter than the MSS sent and not yet acknowledged (Minshall; tcp_minshall_check).
bool TcpConnection::short_unacked() const { return small_end_ && *small_end_ > snd_una_; }

// n new bytes from SND.NXT (and the FIN). PSH as psh says (the linux profile's write queue,
// write_xmit), else on the segment that empties the send queue (the end of the program's write).
void TcpConnection::transmit_new(uint32_t n, bool fin, Instant now, TcpOutput& out, int psh) {
    auto first = send_buf_.begin() + std::ptrdiff_t(uint32_t(snd_nxt_ - send_buf_seq_));
    Bytes payload(first, first + n);
    uint8_t flags = ACK;
    SeqNum end = snd_nxt_ + n;
    if (psh > 0 || (psh < 0 && n > 0 && end == data_end())) flags |= PSH;
    if (fin) flags |= FIN;
    if (flags & PSH) psh_ends_.push_back(end);
    transmit_built(n, fin, std::move(payload), flags, now, out);
}

void TcpConnection::transmit_built(uint32_t n, bool fin, Bytes payload, uint8_t flags, Instant now, TcpOutput& out) {
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
    if (profile_.snd_mem) {
        // The skb resent as it is in the write queue: PSH only if it was marked (the PSH of a
        // GSO packet was on the copy sent, not on the skb: __tcp_transmit_skb clones it).
        auto it = std::find_if(wq_.begin(), wq_.end(), [&](const WqSkb& s) { return s.end > snd_una_; });
        if (it != wq_.end() && it->psh && it->end == end) flags |= PSH;
    } else if (std::any_of(psh_ends_.begin(), psh_ends_.end(), [&](SeqNum e) { return e > snd_una_ && e <= end; })) {
        flags |= PSH;
    }
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
        // an unlocked buffer grows to what is queued, at most tcp_rmem[2] (rcv_mem_max). Not
        // modelled: collapsing the queue into fewer skbs (tcp_collapse) when it cannot grow.
        if (rmem_alloc_ > rcvbuf_) {
            quickacks_left_ = 0;  // "icsk->icsk_ack.quick = 0"
            if (!profile_.rcv_mem_locked) rcvbuf_ = std::max(rcvbuf_, std::min<uint32_t>(rmem_alloc_, profile_.rcv_mem_max));
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

// Linux tcp_rcv_rtt_measure (tcp_event_data_recv), without timestamps: the time from one
// in-order segment until RCV.NXT passes the right edge the window then allowed; only a shorter
// sample replaces the estimate (tcp_rcv_rtt_update, win_dep).
void TcpConnection::rcv_rtt_measure(Instant now) {
    if (rcv_rtt_time_) {
        if (rcv_nxt_ < rcv_rtt_seq_) return;
        Duration sample = std::max(now - *rcv_rtt_time_, Duration::micros(1));
        if (rcv_rtt_ == Duration{} || sample < rcv_rtt_) rcv_rtt_ = sample;
    }
    rcv_rtt_seq_ = rcv_nxt_ + rcv_wnd_offered_;
    rcv_rtt_time_ = now;
}

// Linux tcp_rcv_space_adjust and tcp_rcvbuf_grow (6.18), after a read: at most once per
// receive round trip, what the program read since the last measure (less what still waits)
// becomes rcvq_space; when it grew, the buffer grows to the memory of twice that window plus
// twice its growth ("DRS is always one RTT late", "allow the sender to double its rate"), at
// most tcp_rmem[2], and the window clamp follows.
void TcpConnection::rcv_space_adjust(SeqNum copied_seq, Instant now) {
    if (rcv_rtt_ == Duration{} || now - rcvq_time_ < rcv_rtt_) return;
    int64_t copied = int64_t(copied_seq - rcvq_seq_) - int64_t(rcv_nxt_ - copied_seq);
    if (copied > int64_t(rcvq_space_)) {
        uint64_t oldval = std::max<uint32_t>(rcvq_space_, 1), newval = uint64_t(copied);
        rcvq_space_ = uint32_t(newval);
        if (!profile_.rcv_mem_locked) {
            uint64_t rcvwin = newval << 1;
            uint64_t grow = rcvwin * (newval - oldval) / oldval;
            rcvwin += grow << 1;
            uint32_t rcvbuf = std::min(space_from_win(rcvwin), profile_.rcv_mem_max);
            if (rcvbuf > rcvbuf_) {
                rcvbuf_ = rcvbuf;
                window_clamp_ = win_from_space(rcvbuf_);  // "Make the window clamp follow along."
            }
        }
    }
    rcvq_seq_ = copied_seq;
    rcvq_time_ = now;
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
        // rcv_ssthresh is small against tcp_rmem[2] (rcv_mem_max) in proportion.
        uint32_t truesize = profile_.rx_truesize_of(len);
        if (win_from_space(truesize) <= len) {
            incr = 2u * profile_.mss;
        } else {
            uint32_t t = win_from_space(truesize) >> 1, window = win_from_space(profile_.rcv_mem_max) >> 1;
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
    rto_ = std::min(profile_.clock.round_up(*srtt_ + rttvar_term_), profile_.rto_max);  // usecs_to_jiffies
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
    arm(TimerKind::Retransmission, now, rto_, out);     // §5.6
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
        if (profile_.snd_mem) {
            // tcp_write_wakeup: PSH on the piece sent and, through tcp_fragment, on the rest.
            size_t i = head_unsent_skb();
            if (i < wq_.size()) {
                wq_[i].psh = true;
                if (wq_[i].end > snd_nxt_ + n) wq_.insert(wq_.begin() + std::ptrdiff_t(i), WqSkb{snd_nxt_ + n, true});
            }
            transmit_new(n, fin_queued_ && n == left && usable > n, now, out, 1);
        } else {
            transmit_new(n, fin_queued_ && n == left && usable > n, now, out);
        }
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
    arm(TimerKind::Persist, now, persist_interval_, out);
}

// ---------------------------------------------------------------------------------------------
// Timers are data: a deadline per kind. Each change leaves an event for the trace.
// ---------------------------------------------------------------------------------------------

// The kernel's timers fire on its timer wheel (KernelClock::fire_at); the delayed ACK keeps its
// nominal deadline (icsk_ack.timeout) for tcp_send_delayed_ack's comparisons.
void TcpConnection::arm(TimerKind k, Instant now, Duration timeout, TcpOutput& out) {
    Instant at = profile_.clock.fire_at(now, timeout);
    if (k == TimerKind::DelayedAck) delack_due_ = now + timeout;
    timer(k) = at;
    record<TimerEvent>(out, k, TimerAction::Armed, at);
}

void TcpConnection::cancel(TimerKind k, TcpOutput& out) {
    if (!timer(k)) return;
    record<TimerEvent>(out, k, TimerAction::Cancelled, *timer(k));
    timer(k).reset();
}

}  // namespace netstep
