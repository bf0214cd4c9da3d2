// One TCP connection, part 4: congestion control. RFC 9293 §3.8.2 requires RFC 5681: slow
// start and congestion avoidance (§3.1), fast retransmit and fast recovery (§3.2), restart after
// idle (§4.1), with the NewReno response to partial ACKs (RFC 6582). cwnd and ssthresh are in
// bytes; the sender uses the lesser of cwnd and the peer's window (output(), tcp_output.cpp).
// Every cut of cwnd leaves a Note with its cause and the rule.
#include <algorithm>
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
void TcpConnection::on_ack_congestion(uint32_t acked, bool partial, TcpOutput& out) {
    uint32_t smss = snd_mss_;
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
    if (profile_.byte_counting) {
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
    if (retransmits_ == 0) ssthresh_ = std::max(flight_size() / 2, 2 * smss);
    cwnd_ = smss;
    fast_recovery_ = false;
    ca_acked_ = 0;
    if (cwnd_ == old_cwnd && ssthresh_ == old_ssthresh) return;
    std::string ss = retransmits_ == 0 ? "ssthresh = max(FlightSize/2, 2*SMSS) = " + num(ssthresh_)
                                       : "ssthresh stays " + num(ssthresh_);
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

}  // namespace netstep
