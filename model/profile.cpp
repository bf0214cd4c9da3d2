// The two stack behaviour profiles.
#include "profile.hpp"

#include <algorithm>

namespace netstep {

// The RFC behaviour a course teaches from.
// - Every segment acknowledged at once; hence the classic four-segment close (FIN, ACK, FIN, ACK).
// - Ephemeral ports 49152-65535 (RFC 6335 §6).
// - MSS 1460 (Ethernet), window = receive buffer = 65535, no window scaling: the window field
//   is the window.
// - RTO: initial 1 s, minimum 1 s (RFC 6298 §2.1, §2.4), maximum 60 s (§2.5 allows a cap of at
//   least 60 s).
// - MSL 30 s, the scenario format's default (RFC 9293 §3.4.2 suggests 2 minutes; scenarios
//   set `msl` to show that): TIME-WAIT lasts 1 minute.
// - Give up (RFC 1122 §4.2.3.5): a SYN after 7 retransmissions (timeouts 1+2+4+8+16+32+60+60 =
//   183 s, above the 3 minutes R2 must reach for a SYN), data after 8 (243 s, above 100 s).
// - Initial sequence numbers seeded random (RFC 9293 §3.4.1), the scenario format's default;
//   `isn: zero` makes the numbers a student reads small.
// - Congestion control by the book: RFC 5681 (slow start, congestion avoidance, fast
//   retransmit and fast recovery) with NewReno partial ACKs (RFC 6582). IW 4380 bytes (3
//   segments of 1460, RFC 3390), +SMSS per ACK in slow start, +SMSS*SMSS/cwnd per ACK after;
//   initial ssthresh the largest window the peer can advertise (65535).
Profile Profile::textbook() {
    Profile p;
    p.kind = Kind::Textbook;
    p.delayed_ack = false;
    p.rst_on_close_with_unread = false;
    p.epipe_when_not_connected = false;
    p.ephemeral_first = 49152;
    p.ephemeral_last = 65535;
    p.mss = 1460;
    p.recv_buffer = 65535;
    p.rcv_window_growth = false;
    p.initial_rcv_window = 0;
    p.send_buffer = 65535;
    p.window_scale = std::nullopt;
    p.rto_initial = Duration::seconds(1);
    p.rto_min = Duration::seconds(1);
    p.rto_max = Duration::seconds(60);
    p.msl = Duration::seconds(30);
    p.syn_retries = 7;
    p.syn_linear_timeouts = 0;
    p.linux_rtt = false;
    p.data_retries = 8;
    p.initial_window = 0;
    p.syn_losses_for_iw1 = 1;
    p.byte_counting = false;
    p.idle_decay = false;
    p.limited_transmit = false;
    p.cwnd_limited_growth = false;
    p.prr = false;
    p.cubic_beta = 0;
    p.isn_zero = false;
    p.ttl = 64;
    p.link_layer = false;
    p.neighbour = NeighbourParams{};  // a plain cache (profile.hpp)
    return p;
}

// What the Linux kernel puts on the wire, checked against tests/data/captures/
// a_tcp_client_close.pcap (Linux 6.18, client 10.0.0.1:51997, server 10.0.0.2:80):
//   1 C>S [SYN]      win=64240 MSS=1460,NOP,WS=10   -> mss 1460; initial_rcv_window 64240 (the
//                                                      window of a SYN, never scaled; see
//                                                      below); window_scale 10
//   2 S>C [SYN,ACK]  win=64240 MSS=1460,NOP,WS=10   -> WS only because the SYN carried it
//   3 C>S [ACK]      win=63                          -> 63 << 10 = 64512: the free 64240 rounded
//                                                      up to the scale unit (__tcp_select_window)
//   4 C>S [PSH,ACK]  len=18 (the request)            -> PSH on the segment that empties the queue
//   5 S>C [ACK]      +10 us                          -> quick-ACK mode at the start of a
//                                                      connection: data acknowledged at once
//   6 S>C [PSH,ACK]  len=20 (the reply)
//   7 C>S [ACK]      +14 us                          -> quick ACK again
//   8 C>S [FIN,ACK]                                  -> the client closes
//   9 S>C [FIN,ACK]  +61 us, ack covers the FIN      -> the ACK of the FIN was delayed (tcp_fin
//                                                      enters pingpong mode) and rode on the
//                                                      server's own FIN: a three-segment close
//  10 C>S [ACK]                                      -> the ACK of a FIN in FIN-WAIT-2 is
//                                                      immediate; then TIME-WAIT
// The receive window, from e_bulk_slow.pcap (20000 bytes to a reader that waits):
//   the client's ACKs offer 63, 66, 69, 72, 75, 77 (<< 10), then 76, 75, ... -> Linux starts
//   with rcv_ssthresh = the SYN's window and grows it by 2*MSS per full segment received
//   (tcp_grow_window) while the free buffer allows; the window is min(free, rcv_ssthresh)
//   rounded up to 1024 (__tcp_select_window), never shrinking (tcp_select_window). The buffer:
//   tcp_rmem[1] = 131072 bytes of memory (rcv_mem). Each queued segment costs its skb's
//   truesize (rx_truesize_of: 2304 for 1460 bytes from a NIC or a packet socket; on a veth
//   pair, as in this capture, the sender's own skb, about 2224), and the window is the free
//   memory times the payload's share of it (scaling_ratio = len*256/truesize, measured on the
//   first full segment: tcp_measure_rcv_mss, tcp_win_from_space). A segment's memory is freed
//   when it is read to its end; a queue grown past the buffer grows the buffer with it
//   (tcp_clamp_window; k_zero_window.pcap: the window reopens at 62, not 54). recv_buffer (86016, the buffer's worth at ratio 168/256) bounds
//   recv() and the textbook-style byte count when rcv_mem is 0.
//   Receive buffer auto-tuning (rcv_autotune: tcp_rcv_space_adjust) grows the buffer past
//   128 KiB for a reader that keeps up (k_zero_window.pcap: win 81, then 84, 87, 90 ...).
// The send side as the kernel builds it (snd_mem; j, l, o and k of tests/data/captures/linux):
//   a send buffer counted in memory (sk_sndbuf 46080 at first, tcp_sndbuf_expand), the write
//   queue's skbs of up to half the peer's window (tcp_xmit_size_goal), sent as GSO packets of
//   tcp_tso_autosize segments, PSH on every packet of two or more (__tcp_transmit_skb) and where
//   the program's write marked its skb (tcp_push, forced_push), small packets held back for the
//   next ACK (tcp_tso_should_defer); a program woken by the network runs 50 us later
//   (wakeup_latency), after the rest of the burst.
// Not visible in the capture, from the kernel's defaults:
// - delayed ACK: at most TCP_DELACK_MIN = 40 ms once out of quick-ACK mode (TCP_DELACK_MAX is
//   200 ms, but interactive flows see 40 ms); quick-ACK budget TCP_MAX_QUICKACKS = 16;
//   every second full-sized segment acknowledged at once (__tcp_ack_snd_check).
// - close() with unread data: RST+ACK instead of FIN (tcp_close, "data_was_unread").
// - ephemeral ports: net.ipv4.ip_local_port_range = 32768 60999.
// - RTO: TCP_TIMEOUT_INIT 1 s, TCP_RTO_MAX 120 s; SRTT + max(mdev, TCP_RTO_MIN 200 ms)
//   (tcp_rtt_estimator, __tcp_set_rto): about 240 ms at a 40 ms round trip, in whole jiffies.
// - timers: jiffies at HZ=250 and the timer wheel (KernelClock): i_syn_timeout.pcap's SYNs
//   1024 ms apart for 1 s, 4160 ms for 4 s; k_zero_window.pcap's probes on a 32 ms grid.
// - TIME-WAIT: TCP_TIMEWAIT_LEN = 60 s, so msl = 30 s.
// - SYN: tcp_syn_linear_timeouts = 4 retransmissions 1 s apart, then tcp_syn_retries = 6
//   doubling: SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s, ETIMEDOUT at 131 s (Linux 6.18).
// - tcp_retries2 = 15 (Linux counts it as a time budget computed from the count; we count
//   retransmissions).
// - random initial sequence numbers (the capture's 2741401298 and 1029368846).
// - congestion control: IW10 (RFC 6928, TCP_INIT_CWND), 1 segment after two SYN losses
//   (tcp_init_transfer), byte counting (tcp_slow_start, tcp_cong_avoid_ai), restart after idle
//   (tcp_slow_start_after_idle = 1, tcp_cwnd_restart), growth only when cwnd-limited
//   (tcp_is_cwnd_limited), limited transmit (without SACK, each duplicate ACK lets a segment
//   go: tcp_add_reno_sack); CUBIC (after a loss ssthresh = cwnd x 0.7, then the cubic curve or
//   Reno's estimate, bictcp_update: p_cubic.pcap) with PRR (RFC 6937) during recovery, cwnd
//   counted in segments. Not modelled: HyStart (may leave slow start early on rising delay).
Profile Profile::linux() {
    Profile p;
    p.kind = Kind::Linux;
    p.delayed_ack = true;
    p.ack_delay_max = Duration::millis(40);
    p.quickack_segments = 16;
    p.rst_on_close_with_unread = true;
    p.epipe_when_not_connected = true;
    p.ephemeral_first = 32768;
    p.ephemeral_last = 60999;
    p.mss = 1460;
    p.recv_buffer = 86016;
    p.rcv_mem = 131072;  // tcp_rmem[1]
    p.rcv_autotune = true;  // tcp_moderate_rcvbuf = 1
    p.rcv_window_growth = true;
    p.initial_rcv_window = 64240;
    p.send_buffer = 65535;
    p.snd_mem = 16384;  // tcp_wmem[1]
    p.wakeup_latency = Duration::micros(50);
    p.window_scale = 10;
    p.rto_initial = Duration::seconds(1);
    p.clock.hz = 250;  // CONFIG_HZ_250, Debian's and Fedora's kernels
    p.rto_min = Duration::millis(200);
    p.rto_max = Duration::seconds(120);
    p.msl = Duration::seconds(30);
    p.syn_retries = 6;
    p.syn_linear_timeouts = 4;
    p.linux_rtt = true;
    p.data_retries = 15;
    p.initial_window = 10;
    p.syn_losses_for_iw1 = 2;
    p.byte_counting = true;
    p.idle_decay = true;
    p.limited_transmit = true;
    p.cwnd_limited_growth = true;
    p.prr = true;
    p.cubic_beta = 717;
    p.cubic_growth = true;
    p.isn_zero = false;
    p.ttl = 64;
    p.link_layer = false;
    // The kernel's neighbour states and arp_tbl defaults (net/ipv4/arp.c; profile.hpp).
    p.neighbour.linux_states = true;
    p.neighbour.unres_qlen = 101;
    p.neighbour.answer_any_local_address = true;
    return p;
}

Profile Profile::with_buffers(std::optional<uint32_t> rcvbuf, std::optional<uint32_t> sndbuf) const {
    Profile p = *this;
    constexpr uint32_t kMax = 212992;  // net.core.rmem_max and wmem_max (Linux defaults)
    bool linux = kind == Kind::Linux;
    if (rcvbuf) {
        if (linux) {
            uint32_t mem = 2 * std::min(*rcvbuf, kMax);
            // The share of memory payload takes, as for the default buffer (131072 -> 86016).
            p.recv_buffer = uint32_t(uint64_t(mem) * 168 / 256);
            p.rcv_mem = mem;
            p.rcv_mem_locked = true;
            uint32_t space = mem / 2;  // tcp_full_space at the default scaling ratio (1/2)
            p.initial_rcv_window = std::max<uint32_t>(space / mss * mss, mss);
            uint8_t ws = 0;
            while (ws < 14 && (space >> ws) > 65535) ++ws;
            p.window_scale = ws;
        } else {
            p.recv_buffer = *rcvbuf;
        }
    }
    if (sndbuf) {
        p.send_buffer = linux ? 2 * std::min(*sndbuf, kMax) : *sndbuf;
        p.snd_mem_locked = p.snd_mem > 0;  // SOCK_SNDBUF_LOCK: sk_sndbuf = send_buffer, never grown
    }
    return p;
}


// The kmalloc'd head of a received frame (__alloc_skb: SKB_DATA_ALIGN of the data, plus
// skb_shared_info, rounded up to a kmalloc size; truesize adds the sk_buff, SKB_TRUESIZE).
// 16 bytes of headroom (LL_RESERVED_SPACE of an Ethernet device), 54 bytes of headers.
namespace {
constexpr uint32_t kSkbHeadroom = 16, kHeaders = 14 + 20 + 20, kShinfo = 320, kSkBuff = 256;
uint32_t kmalloc_size(uint32_t n) {
    for (uint32_t s : {64u, 96u, 128u, 192u, 256u, 512u, 1024u, 2048u, 4096u, 8192u})
        if (n <= s) return s;
    uint32_t pages = 4096;
    while (pages < n) pages *= 2;  // kmalloc_large: a power-of-two number of pages
    return pages;
}
uint32_t head_size(uint32_t payload) {
    return kmalloc_size(((kSkbHeadroom + kHeaders + payload + 63) & ~63u) + kShinfo);
}
}  // namespace

uint32_t Profile::rx_truesize_of(uint32_t payload) const {
    if (rx_truesize) return rx_truesize;
    return head_size(payload) + kSkBuff;
}

uint32_t Profile::rx_tailroom_of(uint32_t payload) const {
    if (rx_truesize) return 0;
    return head_size(payload) - kShinfo - kSkbHeadroom - kHeaders - payload;
}

}  // namespace netstep
