// One TCP connection, part 4: congestion control. RFC 9293 §3.8.2 requires RFC 5681: slow
// start and congestion avoidance (§3.1), fast retransmit and fast recovery (§3.2), restart after
// idle (§4.1), with the NewReno response to partial ACKs (RFC 6582); the linux profile recovers
// with PRR (RFC 6937) and CUBIC's ssthresh (RFC 9438 §4.6). cwnd and ssthresh are in
// bytes; the sender uses the lesser of cwnd and the peer's window (output(), tcp_output.cpp).
// Every cut of cwnd leaves a Note with its cause and the rule.
#include <algorithm>
#include <cmath>
#include <string>

#include "tcp.hpp"

namespace netstep {

namespace {
constexpr uint32_t kCwndMax = 1u << 30;  // far above any window the peer can advertise
std::string num(uint32_t v) { return std::to_string(v); }
}  // namespace

// RFC 5681 §3.1 (1), with RFC 3390's formula: IW = min(4*SMSS, max(2*SMSS, 4380 bytes)).
// A profile may fix it in segments (Linux: 10, RFC 6928).
uint32_t TcpConnection::initial_window() const {
    uint32_t smss = snd_mss_;
    if (profile_.initial_window > 0) return profile_.initial_window * smss;
    return std::min(4 * smss, std::max(2 * smss, 4380u));
}

// What cwnd lets go now: cwnd - FlightSize. With limited transmit (RFC 3042), the first and
// second duplicate ACKs each let one more segment go, cwnd itself unchanged (RFC 5681 §3.2
// step 1: FlightSize up to cwnd + 2*SMSS).
uint32_t TcpConnection::cwnd_room() const {
    if (profile_.prr && fast_recovery_) {
        // Linux tcp_cwnd_test: cwnd - tcp_packets_in_flight, in segments.
        uint32_t pipe = packets_in_flight() * snd_mss_;
        return cwnd_ > pipe ? cwnd_ - pipe : 0;
    }
    uint32_t limit = cwnd_;
    if (profile_.limited_transmit && !recover_ && dupacks_ > 0) limit += std::min(dupacks_, 2u) * snd_mss_;
    return limit > flight_size() ? limit - flight_size() : 0;
}

// Our SYN is acknowledged: the first window. RFC 5681 §3.1: IW, but 1 SMSS when the SYN or
// SYN+ACK had to be retransmitted; ssthresh "arbitrarily high": the largest window the peer
// can advertise (65535, scaled by its window scale, RFC 7323).
void TcpConnection::start_congestion_control() {
    bool syn_lost = syn_retransmits_ >= profile_.syn_losses_for_iw1 && profile_.syn_losses_for_iw1 > 0;
    cwnd_ = syn_lost ? snd_mss_ : initial_window();
    ssthresh_ = 65535u << snd_wscale_;
    ca_acked_ = 0;
    cwnd_limited_ = false;
    max_flight_ = 0;
    cwnd_usage_seq_ = snd_nxt_;
}

// An ACK of `acked` new bytes of data. `partial`: it leaves data sent before the last loss
// unacknowledged (SND.UNA < recover).
void TcpConnection::on_ack_congestion(uint32_t acked, bool partial, Instant now, TcpOutput& out) {
    uint32_t smss = snd_mss_;
    if (profile_.prr && fast_recovery_ && prr_ack(acked, out)) return;
    if (fast_recovery_) {
        if (partial) {
            // RFC 6582 §3.2 step 3, partial ACK: deflate cwnd by the bytes acknowledged, add
            // back SMSS if at least SMSS was (the retransmission that follows left the network).
            cwnd_ = cwnd_ > acked ? cwnd_ - acked : 0;
            if (acked >= smss) cwnd_ += smss;
            cwnd_ = std::max(cwnd_, smss);
            return;
        }
        // RFC 5681 §3.2 step 6, RFC 6582 §3.2 step 3 (full ACK, option 2): cwnd = ssthresh.
        record<Note>(out, "full ACK: fast recovery ends, cwnd " + num(cwnd_) + " -> " + num(ssthresh_) +
                              " (ssthresh) (RFC 5681 §3.2, RFC 6582 §3.2)");
        cwnd_ = ssthresh_;
        fast_recovery_ = false;
        ca_acked_ = 0;
        return;
    }
    // Linux grows cwnd only when cwnd is what holds the sender back (tcp_cong_avoid ->
    // tcp_is_cwnd_limited): an ACK for a flight the peer's window or the program kept small says
    // nothing about the network. RFC 5681 §3.1 grows it on every ACK.
    if (profile_.cwnd_limited_growth && !is_cwnd_limited()) return;
    if (cwnd_ < ssthresh_) {
        // Slow start, RFC 5681 §3.1 (2): cwnd += min(N, SMSS). Byte counting (Linux): cwnd += N,
        // up to ssthresh; the rest counts toward congestion avoidance.
        uint32_t inc = profile_.byte_counting ? std::min(acked, ssthresh_ - cwnd_) : std::min(acked, smss);
        cwnd_ = std::min(cwnd_ + inc, kCwndMax);
        acked = profile_.byte_counting ? acked - inc : 0;
        if (cwnd_ >= ssthresh_)
            record<Note>(out, "cwnd " + num(cwnd_) + " reached ssthresh " + num(ssthresh_) +
                                  ": slow start ends, congestion avoidance (RFC 5681 §3.1)");
        if (acked == 0) return;
    }
    if (profile_.cubic_growth) {
        // Linux cubictcp_cong_avoid: bictcp_update, then tcp_cong_avoid_ai(cnt), in segments.
        // (cwnd stays in bytes: whole segments are added to it.)
        // Packets acknowledged (the kernel counts skbs: a short segment is one).
        uint32_t cw = std::max(cwnd_ / smss, 1u), n = (acked + smss - 1) / smss, before = cw;
        cubic_update(cw, n, now);
        uint32_t w = std::max(cubic_.cnt, 1u);
        if (cwnd_cnt_ >= w) {  // "credits accumulated at a higher w, apply them gently now"
            cwnd_cnt_ = 0;
            ++cw;
        }
        cwnd_cnt_ += n;
        if (cwnd_cnt_ >= w) {
            uint32_t k = cwnd_cnt_ / w;
            cwnd_cnt_ -= k * w;
            cw += k;
        }
        cwnd_ = std::min(cwnd_ + (cw - before) * smss, kCwndMax);
    } else if (profile_.byte_counting) {
        // Congestion avoidance by byte counting (RFC 5681 §3.1, RFC 3465 §2.1; Linux
        // tcp_cong_avoid_ai): + SMSS each time a whole cwnd has been acknowledged.
        ca_acked_ += acked;
        if (ca_acked_ >= cwnd_) {
            uint32_t k = ca_acked_ / cwnd_;
            ca_acked_ -= k * cwnd_;
            cwnd_ = std::min(cwnd_ + k * smss, kCwndMax);
        }
    } else {
        // Congestion avoidance, RFC 5681 §3.1 (3): cwnd += SMSS*SMSS/cwnd, at least 1 byte.
        cwnd_ = std::min(cwnd_ + std::max(1u, uint32_t(uint64_t(smss) * smss / cwnd_)), kCwndMax);
    }
}

namespace {
// The integer cube root, rounded down (Linux's cubic_root approximates it within 0.2%: a
// table and one Newton-Raphson step).
uint32_t cube_root(uint64_t a) {
    uint64_t x = uint64_t(std::cbrt(double(a)));
    while (x > 0 && x * x * x > a) --x;
    while ((x + 1) * (x + 1) * (x + 1) <= a) ++x;
    return uint32_t(x);
}
}  // namespace

// Linux bictcp_update (net/ipv4/tcp_cubic.c), cwnd in segments, time in jiffies: the target
// W(t) = C (t - K)^3 + W_max one minimum RTT ahead (RFC 9438 §4.2), C = bic_scale 41/1024 x 10 =
// 0.4, t and K in 1/1024 s; cnt, the segments acknowledged per +1, brings cwnd to the target
// within a round trip; at least as fast as Reno would grow with beta 0.7 (the TCP-friendly
// region, §4.3: +1 per cwnd x 15/8 acknowledged); 5% per RTT at most before the first loss;
// at most +1 per 2 segments acknowledged. Updated at most once per jiffy.
void TcpConnection::cubic_update(uint32_t cwnd, uint32_t acked, Instant now) {
    Cubic& ca = cubic_;
    const KernelClock clock = ca_clock();
    const uint64_t hz = clock.hz, jif = clock.jiffies(now);
    ca.ack_cnt += acked;
    bool update = !(ca.last_cwnd == cwnd && jif - ca.last_time <= hz / 32);
    if (update && !(ca.epoch_start && jif == ca.last_time)) {
        ca.last_cwnd = cwnd;
        ca.last_time = jif;
        if (!ca.epoch_start) {
            ca.epoch_start = jif;
            ca.ack_cnt = acked;
            ca.tcp_cwnd = cwnd;
            if (last_max_cwnd_ <= cwnd) {
                ca.k = 0;
                ca.origin = cwnd;
            } else {
                const uint64_t cube_factor = (uint64_t(1) << 40) / 410;  // 2^(10+3*10) / (bic_scale * 10)
                ca.k = cube_root(cube_factor * (last_max_cwnd_ - cwnd));
                ca.origin = last_max_cwnd_;
            }
        }
        uint64_t delay_j = min_rtt_ ? clock.to_jiffies(*min_rtt_) : 0;
        uint64_t t = ((jif - *ca.epoch_start + delay_j) << 10) / hz;
        uint64_t offs = t < ca.k ? ca.k - t : t - ca.k;
        uint64_t delta = (410 * offs * offs * offs) >> 40;
        uint64_t target = t < ca.k ? (ca.origin > delta ? ca.origin - delta : 0) : ca.origin + delta;
        ca.cnt = target > cwnd ? uint32_t(cwnd / (target - cwnd)) : 100 * cwnd;
        if (last_max_cwnd_ == 0 && ca.cnt > 20) ca.cnt = 20;  // "increase cwnd 5% per RTT"
    }
    if (update) {
        // TCP friendliness: Reno's cwnd with CUBIC's beta, beta_scale = 8 (1024 + 717) / 3 / 307.
        uint32_t d = std::max((cwnd * 15u) >> 3, 1u);
        while (ca.ack_cnt > d) {
            ca.ack_cnt -= d;
            ++ca.tcp_cwnd;
        }
        if (ca.tcp_cwnd > cwnd) ca.cnt = std::min(ca.cnt, cwnd / (ca.tcp_cwnd - cwnd));
        ca.cnt = std::max(ca.cnt, 2u);
    }
}

KernelClock TcpConnection::ca_clock() const {
    return profile_.clock.ticks() ? profile_.clock : KernelClock{1000, 0};
}

// Linux cubictcp_cwnd_event(CA_EVENT_TX_START), sending with nothing in flight
// (tcp_event_data_sent): the time the sender was idle does not count on the cubic curve, the
// epoch moves forward by it ("Shift epoch_start to keep cwnd growth to cubic curve").
void TcpConnection::cubic_tx_start(Instant now) {
    if (!profile_.cubic_growth || !cubic_.epoch_start || !last_data_sent_) return;
    const KernelClock clock = ca_clock();
    uint64_t j = clock.jiffies(now), last = clock.jiffies(*last_data_sent_);
    if (j <= last) return;
    *cubic_.epoch_start = std::min(*cubic_.epoch_start + (j - last), j);
}

// After an output (Linux tcp_cwnd_validate): was the sender cwnd-limited, i.e. is the flight so
// close to cwnd that no full segment more fits (Linux: packets in flight >= cwnd)? The answer
// holds for the window of data it was measured in: a later output that is not limited changes
// it only once SND.UNA passed that window, or to record a larger flight.
void TcpConnection::cwnd_validate(bool limited) {
    uint32_t flight = flight_size();
    if (snd_una_ >= cwnd_usage_seq_ || limited || (!cwnd_limited_ && flight > max_flight_)) {
        cwnd_limited_ = limited;
        max_flight_ = flight;
        cwnd_usage_seq_ = snd_nxt_;
    }
}

// Linux tcp_is_cwnd_limited: cwnd-limited in the current window, or in slow start with cwnd
// under twice the largest flight (so slow start can still double what was really sent).
bool TcpConnection::is_cwnd_limited() const {
    if (cwnd_limited_) return true;
    return cwnd_ < ssthresh_ && cwnd_ < 2 * max_flight_;
}

// The third duplicate ACK (RFC 5681 §3.2 steps 2-3): ssthresh = max(FlightSize/2, 2*SMSS)
// (4), cwnd = ssthresh + 3*SMSS (the three segments that left the network). The caller
// retransmits SND.UNA and records `recover` (RFC 6582 §3.2 step 2).
void TcpConnection::enter_fast_recovery(TcpOutput& out) {
    uint32_t smss = snd_mss_;
    uint32_t old = cwnd_;
    if (profile_.prr) {
        // Linux tcp_enter_recovery -> tcp_init_cwnd_reduction: remember cwnd, take the new
        // ssthresh; PRR then sets cwnd on each ACK (cwnd_reduction).
        prior_cwnd_ = std::max(cwnd_ / smss, 1u);
        ssthresh_ = loss_ssthresh();
        prr_delivered_ = prr_out_ = 0;
        fast_recovery_ = true;
        ca_acked_ = 0;
        cwnd_cnt_ = 0;  // "tp->snd_cwnd_cnt = 0"
        record<Note>(out, "3 duplicate ACKs: fast retransmit; ssthresh = " + num(ssthresh_) +
                              (profile_.cubic_beta ? " (cwnd x " + num(profile_.cubic_beta) + "/1024, CUBIC, RFC 9438 §4.6)"
                                                   : " (max(FlightSize/2, 2*SMSS))") +
                              ", cwnd " + num(old) + " reduced by PRR (RFC 6937)");
        return;
    }
    ssthresh_ = std::max(flight_size() / 2, 2 * smss);
    cwnd_ = ssthresh_ + 3 * smss;
    fast_recovery_ = true;
    ca_acked_ = 0;
    record<Note>(out, "3 duplicate ACKs: fast retransmit; ssthresh = max(FlightSize/2, 2*SMSS) = " + num(ssthresh_) +
                          ", cwnd " + num(old) + " -> " + num(cwnd_) + " (ssthresh + 3*SMSS) (RFC 5681 §3.2)");
}

// The retransmission timer expired for data (RFC 5681 §3.1): ssthresh = max(FlightSize/2,
// 2*SMSS) (4) the first time this segment times out (not again for the same segment, when
// FlightSize is no measure of the network any more), cwnd = LW = 1 SMSS. Fast recovery ends
// (RFC 6582 §3.2 step 4).
void TcpConnection::on_timeout_congestion(TcpOutput& out) {
    if (cwnd_ == 0) return;  // not started: our SYN was never acknowledged
    uint32_t smss = snd_mss_;
    uint32_t old_cwnd = cwnd_, old_ssthresh = ssthresh_;
    // Linux tcp_enter_loss: not again when a fast recovery already cut it in this window.
    bool cut = retransmits_ == 0 && !(profile_.prr && fast_recovery_ && recover_ && snd_una_ < *recover_);
    if (cut) ssthresh_ = loss_ssthresh();
    // tcp_set_ca_state(TCP_CA_Loss) -> cubictcp_state -> bictcp_reset: CUBIC starts afresh.
    cubic_ = Cubic{};
    last_max_cwnd_ = 0;
    cwnd_cnt_ = 0;
    cwnd_ = smss;
    fast_recovery_ = false;
    sacked_out_ = 0;  // tcp_timeout_mark_lost -> tcp_reset_reno_sack
    head_lost_ = head_retrans_ = false;
    ca_acked_ = 0;
    if (cwnd_ == old_cwnd && ssthresh_ == old_ssthresh) return;
    std::string rule = profile_.cubic_beta ? "cwnd x " + num(profile_.cubic_beta) + "/1024 (CUBIC, RFC 9438 §4.6)"
                                           : "max(FlightSize/2, 2*SMSS)";
    std::string ss = cut ? "ssthresh = " + rule + " = " + num(ssthresh_) : "ssthresh stays " + num(ssthresh_);
    record<Note>(out, "retransmission timeout: " + ss + ", cwnd " + num(old_cwnd) + " -> " + num(cwnd_) +
                          " (1 SMSS) (RFC 5681 §3.1)");
}

// RFC 5681 §4.1: nothing sent for longer than an RTO, the ACK clock is gone: cwnd = RW =
// min(IW, cwnd) before sending again. Linux (tcp_cwnd_restart) halves cwnd per RTO of idle
// time, not below RW, and keeps ssthresh = max(ssthresh, 3/4 cwnd).
void TcpConnection::restart_after_idle(Instant now, TcpOutput& out) {
    if (!last_data_sent_ || now - *last_data_sent_ <= rto_) return;
    uint32_t rw = std::min(initial_window(), cwnd_);
    if (cwnd_ <= rw) return;
    uint32_t old = cwnd_;
    if (profile_.idle_decay) {
        ssthresh_ = std::max(ssthresh_, cwnd_ / 2 + cwnd_ / 4);
        uint32_t c = cwnd_;
        for (Duration d = (now - *last_data_sent_) - rto_; d > Duration{} && c > rw; d = d - rto_) c /= 2;
        cwnd_ = std::max(c, rw);
    } else {
        cwnd_ = rw;
    }
    ca_acked_ = 0;
    record<Note>(out, "idle for more than the RTO: cwnd " + num(old) + " -> " + num(cwnd_) +
                          (profile_.idle_decay ? " (halved per RTO idle, not below min(IW, cwnd))"
                                               : " (restart window min(IW, cwnd))") +
                          " (RFC 5681 §4.1)");
}

// ---------------------------------------------------------------------------------------------
// Linux loss recovery without SACK (profile prr), counted in segments as the kernel counts them
// ---------------------------------------------------------------------------------------------

// The new ssthresh on a loss (the congestion control's ssthresh()). CUBIC (bictcp_recalc_ssthresh):
// cwnd * beta / 1024 segments, at least 2; W_max (last_max_cwnd) is cwnd, or less when cwnd did
// not reach the last W_max again (fast convergence, RFC 9438 §4.7). Else RFC 5681 §3.1 (4).
uint32_t TcpConnection::loss_ssthresh() {
    uint32_t smss = snd_mss_;
    if (profile_.cubic_beta == 0) return std::max(flight_size() / 2, 2 * smss);
    const uint32_t scale = 1024, cw = cwnd_ / smss;
    cubic_.epoch_start.reset();  // "end of epoch"
    last_max_cwnd_ = cw < last_max_cwnd_ ? cw * (scale + profile_.cubic_beta) / (2 * scale) : cw;
    return std::max(cw * profile_.cubic_beta / scale, 2u) * smss;
}

// packets_out: the segments between SND.UNA and SND.NXT.
uint32_t TcpConnection::packets_out() const { return (flight_size() + snd_mss_ - 1) / snd_mss_; }

// tcp_packets_in_flight: packets_out - (sacked_out + lost_out) + retrans_out.
uint32_t TcpConnection::packets_in_flight() const {
    uint32_t left = sacked_out_ + (head_lost_ ? 1u : 0u), out = packets_out() + (head_retrans_ ? 1u : 0u);
    return out > left ? out - left : 0;
}

// tcp_limit_reno_sacked: duplicate ACKs never count more segments than are out, the holes
// (at least one) left aside.
void TcpConnection::limit_reno_sacked() {
    uint32_t out = packets_out();
    uint32_t holes = std::min(1u, out);  // max(lost_out, 1): only the head is ever marked lost
    if (sacked_out_ + holes > out) sacked_out_ = out - holes;
}

// tcp_add_reno_sack: a duplicate ACK, one segment more that left the network.
void TcpConnection::add_reno_sack() {
    ++sacked_out_;
    limit_reno_sacked();
}

// tcp_remove_reno_sacks: an ACK of `acked_packets` segments filled the hole; the rest of them
// were counted already by duplicate ACKs. Returns the segments newly delivered (at least 1).
uint32_t TcpConnection::remove_reno_sacks(uint32_t acked_packets) {
    uint32_t delivered = acked_packets > sacked_out_ + 1 ? acked_packets - sacked_out_ : 1;
    sacked_out_ = acked_packets - 1 >= sacked_out_ ? 0 : sacked_out_ - (acked_packets - 1);
    limit_reno_sacked();
    return delivered;
}

// PRR, RFC 6937 §3 as Linux's tcp_cwnd_reduction, in segments: while more than ssthresh is in
// flight, send ssthresh/prior_cwnd of what was delivered (proportional, rounded up); below it,
// as much as was delivered (PRR-SSRB: one more when SND.UNA advanced with no new loss), never
// going above ssthresh. The first call lets the retransmission go. cwnd = in flight + sndcnt.
void TcpConnection::cwnd_reduction(uint32_t newly_acked_sacked, bool una_advanced, bool newly_lost) {
    if (newly_acked_sacked == 0 || prior_cwnd_ == 0) return;
    const int64_t in_flight = packets_in_flight(), ssthresh = ssthresh_ / snd_mss_;
    const int64_t delta = ssthresh - in_flight;
    prr_delivered_ += newly_acked_sacked;
    int64_t sndcnt;
    if (delta < 0) {
        sndcnt = (ssthresh * prr_delivered_ + prior_cwnd_ - 1) / prior_cwnd_ - int64_t(prr_out_);
    } else {
        sndcnt = std::max(int64_t(prr_delivered_) - int64_t(prr_out_), int64_t(newly_acked_sacked));
        if (una_advanced && !newly_lost) ++sndcnt;
        sndcnt = std::min(delta, sndcnt);
    }
    sndcnt = std::max<int64_t>(sndcnt, prr_out_ ? 0 : 1);
    cwnd_ = uint32_t(in_flight + sndcnt) * snd_mss_;
}

// An ACK of new data during fast recovery (Linux tcp_ack: tcp_clean_rtx_queue ->
// tcp_remove_reno_sacks, tcp_fastretrans_alert, then tcp_cong_control). Returns false when the
// recovery ended here: cwnd = ssthresh (tcp_end_cwnd_reduction) and the ACK may grow it.
bool TcpConnection::prr_ack(uint32_t acked, TcpOutput& out) {
    uint32_t now_out = packets_out();
    uint32_t prior_out = (flight_size() + acked + snd_mss_ - 1) / snd_mss_;
    head_lost_ = head_retrans_ = false;  // the head was acknowledged
    uint32_t delivered = remove_reno_sacks(prior_out > now_out ? prior_out - now_out : 1);
    if (recover_ && snd_una_ < *recover_) {
        // A partial ACK: the new head is lost too (tcp_newreno_mark_lost, RFC 6582 §3.2 step 3).
        head_lost_ = true;
        cwnd_reduction(delivered, true, true);
        return true;
    }
    sacked_out_ = 0;  // tcp_reset_reno_sack
    if (recover_ && snd_una_ == *recover_ && snd_una_ != snd_nxt_) {
        // tcp_is_non_sack_preventing_reopen: without SACK, recovery holds until data above
        // `recover` is acknowledged (RFC 6582 §3.2 step 3, RFC 2582's false fast retransmits).
        cwnd_reduction(delivered, true, false);
        return true;
    }
    record<Note>(out, "ACK above recover: fast recovery ends, cwnd " + num(cwnd_) + " -> " + num(ssthresh_) +
                          " (ssthresh) (RFC 6937 §3, Linux tcp_end_cwnd_reduction)");
    cwnd_ = ssthresh_;
    fast_recovery_ = false;
    ca_acked_ = 0;
    return false;
}

// Linux tcp_xmit_recovery -> tcp_xmit_retransmit_queue: the head, marked lost and not resent
// yet, goes first if cwnd leaves room for it; new data follows (output()).
void TcpConnection::xmit_recovery(Instant now, TcpOutput& out) {
    if (!head_lost_ || head_retrans_ || cwnd_room() < snd_mss_) return;
    uint32_t len = retransmit_first(snd_mss_, now, out);
    head_retrans_ = true;
    ++prr_out_;
    record<Retransmission>(out, snd_una_, len, 1u, rto_, true);
}

}  // namespace netstep
