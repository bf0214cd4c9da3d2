// One TCP connection (a TCB, RFC 9293 §3.3.1): a pure state machine. It never reads a clock:
// every call takes `now`, and poll_at() says when it next needs poll(). Segments to send and
// events (state changes with their cause, timers, rejections, errors) come out in a TcpOutput.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <utility>
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
    uint32_t cwnd = 0;     // congestion window, bytes (RFC 5681 §2; 0 until our SYN is acked)
    uint32_t ssthresh = 0; // slow start threshold, bytes (RFC 5681 §3.1)
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
    // Error: ENOTCONN before connecting (EPIPE with the Linux profile: epipe_when_not_connected),
    // EPIPE after shutdown(write)/close, or the pending error.
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

    // An ICMP destination unreachable about one of our segments arrived (RFC 9293 §3.9.2.2,
    // RFC 1122 §4.2.3.9). As Linux's tcp_v4_err: in SYN-SENT the connection ends with `err`
    // (connect() fails: EHOSTUNREACH when ARP found no one); otherwise a soft error, kept to be
    // reported if the connection times out (tcp_write_err: sk_err_soft ?: ETIMEDOUT).
    void on_icmp_unreachable(Err err, std::string reason, TcpOutput& out);

    // Timers (§3.10.8): retransmission, delayed ACK, TIME-WAIT, persist.
    std::optional<Instant> poll_at() const;
    void poll(Instant now, TcpOutput& out);

    TcpState state() const;
    const FourTuple& tuple() const;
    TcpVars vars() const;
    // Linux sk_rmem_alloc: the memory (skb truesize) of what waits unread (profile rcv_mem).
    uint32_t rmem_alloc() const { return rmem_alloc_; }
    uint32_t rcvbuf() const { return rcvbuf_; }  // sk_rcvbuf (profile rcv_mem)
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

    // ---- The TCB (RFC 9293 §3.3.1): plain, copyable members. ----
    Profile profile_;
    FourTuple tuple_;
    TcpState state_ = TcpState::Closed;
    bool passive_ = false;
    std::optional<Err> error_;
    // The last ICMP unreachable about a synchronized connection (Linux sk_err_soft): reported
    // instead of ETIMEDOUT if the connection times out; forgotten when an ACK advances.
    std::optional<Err> soft_error_;

    // Send sequence space. send_buf_ holds the bytes written and not yet acknowledged (sent or
    // not); its first byte has sequence number send_buf_seq_ (ISS+1 until the SYN is acked).
    SeqNum iss_, snd_una_, snd_nxt_, snd_wl1_, snd_wl2_, send_buf_seq_;
    uint32_t snd_wnd_ = 0;      // peer's window, scaled
    uint32_t max_snd_wnd_ = 0;  // largest window the peer offered (RFC 5961 §5.2)
    uint8_t snd_wscale_ = 0;    // shift for the peer's window field (RFC 7323)
    uint16_t snd_mss_ = 536;    // effective send MSS (RFC 9293 §3.7.1)
    std::deque<uint8_t> send_buf_;
    bool fin_queued_ = false;         // CLOSE/shutdown(WR): a FIN follows the queued data
    std::optional<SeqNum> fin_seq_;   // our FIN's sequence number, once sent
    std::optional<SeqNum> small_end_; // end of the last sub-MSS segment sent (Nagle/Minshall)
    std::vector<SeqNum> psh_ends_;    // ends of segments sent with PSH, above SND.UNA
    // Linux's send buffer in memory (profile snd_mem): sk_sndbuf; SOCK_NOSPACE (a send() waits
    // for sk_stream_write_space); the bytes of the last unsent skb of the write queue.
    uint32_t sndbuf_ = 0;
    bool write_blocked_ = false;
    // The write queue's skbs from SND.UNA (sent ones are the GSO packets they were sent as,
    // tso_fragment), each with its end and whether it is marked PSH (tcp_mark_push).
    struct WqSkb { SeqNum end; bool psh; };
    std::deque<WqSkb> wq_;
    SeqNum pushed_seq_;  // tp->pushed_seq: the write_seq at the last mark (forced_push)
    bool push_one_ = false;  // tcp_push_one: one packet only
    bool write_xmit(Instant now, TcpOutput& out, bool idle);
    bool tso_should_defer(uint32_t skb_len, bool is_tail, uint32_t quota, Instant now) const;
    uint32_t mss_split_point(uint32_t skb_len, bool is_tail, uint32_t max_segs) const;
    size_t head_unsent_skb() const;
    uint32_t size_goal() const;
    uint32_t wmem_queued() const;
    void sndbuf_expand();
    void check_space();
    size_t queue_in_memory(std::span<const uint8_t> data, Instant now, TcpOutput& out);

    // Receive sequence space.
    SeqNum irs_, rcv_nxt_;
    SeqNum rcv_adv_;            // right edge we advertised: RCV.NXT + RCV.WND
    uint8_t rcv_wscale_ = 0;    // shift we apply to our window field
    // Linux's receive window (profile rcv_window_growth): the most it offers (tcp_grow_window),
    // and its estimate of the peer's MSS (tcp_measure_rcv_mss).
    uint32_t rcv_ssthresh_ = 0;
    uint32_t rcv_mss_ = 536;
    uint32_t rcv_wnd_offered_ = 0;  // the window last offered (Linux tp->rcv_wnd)
    bool ws_ok_ = false;        // both SYNs carried the window scale option
    std::deque<uint8_t> recv_buf_;
    // Linux's memory accounting of the receive queue (profile rcv_mem): one entry per skb, its
    // bytes unread, its truesize, and the room left in its head (tcp_queue_rcv, skb_try_coalesce).
    struct RxSkb { uint32_t len; uint32_t truesize; uint32_t tailroom; };
    std::deque<RxSkb> rx_skbs_;
    uint32_t rmem_alloc_ = 0;       // sk_rmem_alloc: the truesize of what waits unread
    uint32_t rcvbuf_ = 0;           // sk_rcvbuf: profile rcv_mem, grown by tcp_clamp_window
    uint32_t window_clamp_ = 0;     // tp->window_clamp
    uint32_t scaling_ratio_ = 128;  // tp->scaling_ratio: payload's share of memory, in 1/256
    // Receive buffer auto-tuning (profile rcv_autotune). The receiver's round-trip estimate
    // without timestamps (tcp_rcv_rtt_measure): the shortest time one window took to arrive;
    // rcvq_space: what the program read in the last round trip, from which sequence and when.
    Duration rcv_rtt_{};
    SeqNum rcv_rtt_seq_;
    std::optional<Instant> rcv_rtt_time_;
    uint32_t rcvq_space_ = 0;
    SeqNum rcvq_seq_;
    Instant rcvq_time_{};
    // Reassembly queue (RFC 1122 §4.2.2.20(g)): in-window data beyond RCV.NXT, sorted, disjoint
    // and never touching; a FIN beyond a hole waits in ooo_fin_.
    struct OooBlock { SeqNum seq; Bytes data; SeqNum end() const { return seq + uint32_t(data.size()); } };
    std::vector<OooBlock> ooo_;
    std::optional<SeqNum> ooo_fin_;
    bool fin_received_ = false;
    bool read_shutdown_ = false;

    // Acknowledgements: an ACK owed now, bytes received since our last ACK, quick-ACK budget.
    bool ack_now_ = false;
    std::optional<Instant> last_oow_ack_;  // last ACK answering an out-of-window pure ACK
    uint32_t unacked_bytes_ = 0;
    uint32_t quickacks_left_ = 0;
    // Linux's interactive ("pingpong") mode: set when we send data within the delayed-ACK
    // timeout of the last data received (tcp_event_data_sent), left when the delayed ACK timer
    // fires (tcp_delack_timer_handler). In it, no quick ACKs: the ACK waits to ride on a reply.
    bool pingpong_ = false;
    uint32_t gso_segments() const;
    std::optional<Instant> last_data_rcvd_;  // icsk_ack.lrcvtime
    // Linux's delayed-ACK timeout (icsk_ack.ato): TCP_ATO_MIN at the first data, then adapted
    // to the gaps between arriving segments (tcp_event_data_recv) and doubled when the timer
    // fires outside interactive mode (tcp_delack_timer_handler). Zero: no data yet.
    Duration ato_{};
    Duration ato() const { return ato_ == Duration{} ? profile_.ack_delay_max : ato_; }  // TCP_ATO_MIN before data
    void adapt_ato(Instant now);
    Duration delayed_ack_timeout() const;

    // Retransmission (RFC 6298) and persist (RFC 9293 §3.8.6.1).
    struct RttProbe { SeqNum end; Instant sent; };
    Duration rto_;
    std::optional<Duration> srtt_, rttvar_;
    uint32_t retransmits_ = 0;
    std::optional<RttProbe> rtt_probe_;  // the one segment being timed (Karn: none if resent)
    // linux_rtt: every segment in flight with its send time (Linux keeps it per skb).
    struct Sent { SeqNum seq, end; Instant at; bool resent; };
    std::deque<Sent> sent_;
    // Linux's estimator (tcp_rtt_estimator): mdev_ is its mdev_us (4 x the mean deviation),
    // mdev_max_ the largest of this round trip, rttvar_term_ its rttvar_us (the RTO's second
    // term), rtt_seq_ the SND.NXT that ends this round trip.
    Duration mdev_{}, mdev_max_{}, rttvar_term_{};
    std::optional<Duration> min_rtt_;  // tcp_min_rtt (a windowed minimum in Linux; here the least)
    SeqNum rtt_seq_;
    uint32_t syn_retransmits_ = 0;       // of our SYN or SYN+ACK
    std::optional<SeqNum> recover_;      // SND.NXT when the RTO or fast retransmit last fired
    bool fast_recovery_ = false;         // recover_ was set by a fast retransmit
    uint32_t dupacks_ = 0;               // duplicate ACKs in a row (RFC 5681 §2)
    bool probing_ = false;               // zero window: persist timer instead of RTO

    // Congestion control (RFC 5681; NewReno fast recovery, RFC 6582, or PRR, RFC 6937). Bytes.
    uint32_t cwnd_ = 0;
    uint32_t ssthresh_ = 0;
    uint32_t ca_acked_ = 0;                      // bytes acked toward the next +SMSS (byte counting)
    std::optional<Instant> last_data_sent_;      // for the restart after idle (§4.1)
    // Was cwnd the limit? (Linux tcp_cwnd_validate): set when an output filled cwnd, kept until
    // SND.UNA passes cwnd_usage_seq_ (the window it was measured in); max_flight_ is the
    // largest flight of that window.
    bool cwnd_limited_ = false;
    uint32_t max_flight_ = 0;
    SeqNum cwnd_usage_seq_;
    // Linux loss recovery without SACK (profile prr), in segments: duplicate ACKs counted as
    // segments that left the network (sacked_out), the head marked lost and resent (lost_out,
    // retrans_out: only the head, tcp_newreno_mark_lost), PRR's counters
    // (tcp_init_cwnd_reduction) and CUBIC's W_max (last_max_cwnd).
    uint32_t sacked_out_ = 0;
    bool head_lost_ = false, head_retrans_ = false;
    uint32_t prior_cwnd_ = 0, prr_delivered_ = 0, prr_out_ = 0;
    uint32_t last_max_cwnd_ = 0;
    // CUBIC's state (struct bictcp, profile cubic_growth): the epoch (jiffies since the last
    // loss's first growth), K and the origin point of the curve, the cwnd increment's divisor
    // (cnt: +1 segment per cnt acknowledged), Reno's estimate (tcp_cwnd) and its ACK count.
    struct Cubic {
        uint32_t cnt = 0, last_cwnd = 0, origin = 0, k = 0, ack_cnt = 0, tcp_cwnd = 0;
        uint64_t last_time = 0;
        std::optional<uint64_t> epoch_start;
    } cubic_;
    uint32_t cwnd_cnt_ = 0;  // snd_cwnd_cnt: segments acked toward the next +1 (tcp_cong_avoid_ai)
    Duration persist_interval_;
    std::array<std::optional<Instant>, 4> timers_;  // when each fires, indexed by TimerKind
    Instant delack_due_{};                          // the delayed ACK's nominal deadline

    // An event for the trace. (emplace with in_place_type: GCC 12 warns falsely on push_back.)
    template <class E, class... Args>
    static void record(TcpOutput& out, Args&&... args) {
        // E{...}: braces, as clang before 16 has no aggregate initialization with parentheses.
        out.events.emplace_back(std::in_place_type<E>, E{std::forward<Args>(args)...});
    }

    // ---- tcp.cpp: state and calls ----
    void set_state(TcpState to, std::string cause, TcpOutput& out);
    void fail(Err err, std::string reason, std::string cause, TcpOutput& out);
    void queue_fin(Instant now, std::string cause, TcpOutput& out);
    void establish();

    // ---- tcp_input.cpp: SEGMENT ARRIVES (§3.10.7) ----
    enum class SeqCheck { Accept, AckOnly, Reject };
    enum class AckNeed { Now, Data, Fin };
    void on_closed(const TcpSegment& seg, TcpOutput& out);
    void on_listen(const TcpSegment& seg, Endpoint from, Instant now, TcpOutput& out);
    void on_syn_sent(const TcpSegment& seg, Instant now, TcpOutput& out);
    void on_synchronized(const TcpSegment& seg, Instant now, TcpOutput& out);
    bool on_syn_received_special(const TcpSegment& seg, Instant now, TcpOutput& out);
    SeqCheck check_sequence(const TcpSegment& seg) const;
    void reject_sequence(const TcpSegment& seg, Instant now, TcpOutput& out);
    void on_rst(const TcpSegment& seg, TcpOutput& out);
    bool process_ack(const TcpSegment& seg, Instant now, TcpOutput& out);
    void process_text(const TcpSegment& seg, Instant now, TcpOutput& out);
    void process_fin(const TcpSegment& seg, Instant now, TcpOutput& out);
    void take_fin(Instant now, TcpOutput& out);
    void queue_out_of_order(SeqNum seq, Bytes data, TcpOutput& out);
    uint32_t deliver_in_order(const uint8_t* data, uint32_t n);
    bool is_dup_ack(const TcpSegment& seg) const;
    void on_dup_ack(Instant now, TcpOutput& out);
    void take_peer_syn(const TcpSegment& seg, Instant now);
    void update_send_window(const TcpSegment& seg);
    void on_ack_advanced(SeqNum ack, Instant now, TcpOutput& out);
    void need_ack(AckNeed need, Instant now, TcpOutput& out);
    void after_input(Instant now, TcpOutput& out);
    void enter_time_wait(Instant now, std::string cause, TcpOutput& out);

    // ---- tcp_congestion.cpp: congestion control (RFC 5681, RFC 6582) ----
    uint32_t initial_window() const;
    uint32_t flight_size() const { return uint32_t(snd_nxt_ - snd_una_); }
    uint32_t cwnd_room() const;
    bool in_fast_recovery() const { return fast_recovery_ && recover_ && snd_una_ < *recover_; }
    void start_congestion_control();
    void on_ack_congestion(uint32_t acked, bool partial, Instant now, TcpOutput& out);
    void cubic_update(uint32_t cwnd, uint32_t acked, Instant now);
    void cubic_tx_start(Instant now);
    KernelClock ca_clock() const;  // tcp_jiffies32's clock: the profile's, or 1 ms ticks without one
    void enter_fast_recovery(TcpOutput& out);
    void on_timeout_congestion(TcpOutput& out);
    void restart_after_idle(Instant now, TcpOutput& out);
    void cwnd_validate(bool limited);
    bool is_cwnd_limited() const;
    uint32_t loss_ssthresh();
    uint32_t packets_out() const;
    uint32_t packets_in_flight() const;
    void add_reno_sack();
    uint32_t remove_reno_sacks(uint32_t acked_packets);
    void limit_reno_sacked();
    void cwnd_reduction(uint32_t newly_acked_sacked, bool una_advanced, bool newly_lost);
    bool prr_ack(uint32_t acked, TcpOutput& out);
    void xmit_recovery(Instant now, TcpOutput& out);

    // ---- tcp_output.cpp: segments, windows, timers ----
    TcpSegment make_segment(uint8_t flags, SeqNum seq, Bytes payload = {});
    void emit(TcpSegment seg, TcpOutput& out);
    void send_ack(TcpOutput& out);
    void send_syn(TcpOutput& out);
    void send_reset(TcpOutput& out);
    void output(Instant now, TcpOutput& out);
    bool may_send(uint32_t n, uint32_t unsent, bool idle) const;
    void rewind_to_una();
    // psh: -1 on the segment that ends the queued data, 0 or 1 as write_xmit says (snd_mem).
    void transmit_new(uint32_t n, bool fin, Instant now, TcpOutput& out, int psh = -1);
    void transmit_built(uint32_t n, bool fin, Bytes payload, uint8_t flags, Instant now, TcpOutput& out);
    bool short_unacked() const;
    uint32_t retransmit_first(uint32_t max_len, Instant now, TcpOutput& out);
    void rtt_sample(Duration r);
    void linux_rtt_sample(Duration r, SeqNum una);
    void time_segment(SeqNum seq, SeqNum end, Instant now);
    void rtt_on_ack(SeqNum ack, Instant now);
    uint16_t syn_window() const;
    uint16_t window_field();
    uint32_t linux_select_window() const;
    void grow_window(uint32_t len);
    void measure_rcv_mss(uint32_t len);
    void set_window_clamp(uint32_t clamp);
    void rx_charge(uint32_t len);
    void rx_consume(size_t n);
    void rcv_rtt_measure(Instant now);
    void rcv_space_adjust(SeqNum copied_seq, Instant now);
    uint32_t space_from_win(uint64_t win) const {
        return uint32_t(std::min<uint64_t>((win << 8) / std::max<uint32_t>(scaling_ratio_, 1), UINT32_MAX));
    }
    void rx_clear();
    uint32_t ooo_mem() const;
    uint32_t win_from_space(int64_t space) const {
        return space > 0 ? uint32_t(uint64_t(space) * scaling_ratio_ >> 8) : 0;
    }
    uint32_t full_space() const;
    uint32_t free_space() const;
    bool window_should_open() const;
    bool window_update_due() const;
    uint32_t rcv_wnd() const { return uint32_t(rcv_adv_ - rcv_nxt_ > 0 ? rcv_adv_ - rcv_nxt_ : 0); }
    SeqNum data_end() const { return send_buf_seq_ + uint32_t(send_buf_.size()); }
    uint32_t unsent() const;
    uint32_t usable_window() const;
    bool syn_acked() const { return snd_una_ > iss_; }
    bool our_fin_acked() const { return fin_seq_ && snd_una_ > *fin_seq_; }
    void on_retransmission_timeout(Instant now, TcpOutput& out);
    void on_persist_timeout(Instant now, TcpOutput& out);
    std::optional<Instant>& timer(TimerKind k) { return timers_[size_t(k)]; }
    const std::optional<Instant>& timer(TimerKind k) const { return timers_[size_t(k)]; }
    void arm(TimerKind k, Instant now, Duration timeout, TcpOutput& out);
    void cancel(TimerKind k, TcpOutput& out);
};

}  // namespace netstep
