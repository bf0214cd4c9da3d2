// Stack behaviour profiles: the textbook RFC behaviour, or what the Linux kernel does on the wire.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "kernel_clock.hpp"
#include "time.hpp"

namespace netstep {

// Address resolution (ARP, RFC 826) and the neighbour cache (neighbor.hpp). Used only when
// Profile::link_layer is on.
struct NeighbourParams {
    // false: a plain cache (textbook); true: the Linux neighbour states (neighbor.hpp).
    bool linux_states = false;
    // textbook: how long a learned entry lives, used or not (RFC 1122 §2.3.2.1). 20 minutes:
    // Berkeley's value for a completed entry (Stevens, TCP/IP Illustrated vol. 1, "ARP cache"),
    // Kurose and Ross's "typical expiration time" (Computer Networking, §6.4.1), FreeBSD's
    // net.link.ether.inet.max_age (1200 s).
    Duration lifetime = Duration::seconds(20 * 60);
    // Requests while resolving: one every retrans_time, mcast_solicit of them, then failure
    // (Linux arp_tbl in net/ipv4/arp.c: RETRANS_TIME 1*HZ, MCAST_PROBES 3; the textbook uses
    // the same numbers).
    Duration retrans_time = Duration::seconds(1);
    uint32_t mcast_solicit = 3;
    // linux: unicast probes in PROBE (arp_tbl UCAST_PROBES 3), the base of the random reachable
    // time (BASE_REACHABLE_TIME 30*HZ) and the DELAY state's wait (DELAY_PROBE_TIME 5*HZ).
    uint32_t ucast_solicit = 3;
    Duration base_reachable_time = Duration::seconds(30);
    Duration delay_first_probe_time = Duration::seconds(5);
    // Packets held per unresolved neighbour; when full, the oldest is dropped (__neigh_event_send).
    // linux: 101, the unres_qlen default of Documentation/networking/ip-sysctl.rst (the kernel
    // limits bytes, unres_qlen_bytes = SK_WMEM_MAX, which that page equates to 101 packets).
    // textbook: 3, RFC 1122 §2.3.2.2 asks to keep at least one (the latest); 3 was Linux's
    // unres_qlen before 3.3 (ip-sysctl.rst).
    size_t unres_qlen = 3;
    // Which requests a host answers. false: those for the address of the interface they arrive
    // on (RFC 826 "Am I the target protocol address?", as Windows does). true, as Linux with
    // arp_ignore = 0 (ip-sysctl.rst: "reply for any local target IP address, configured on any
    // interface"): a router answers on its LAN for its WAN address too.
    bool answer_any_local_address = false;
};

struct Profile {
    enum class Kind { Textbook, Linux };
    Kind kind = Kind::Textbook;

    // Acknowledgements. Textbook: every segment acknowledged at once.
    // Linux: delayed ACK (up to ack_delay_max) after a quick-ACK phase at the start of a
    // connection; the ACK of a FIN rides on the application's own FIN when it closes at once.
    bool delayed_ack = false;
    Duration ack_delay_max = Duration::millis(40);
    uint32_t quickack_segments = 16;  // segments acknowledged at once at the start (Linux quick-ACK)

    // Closing with unread data: Linux sends RST+ACK instead of FIN (RFC 9293 §3.10.4 allows it).
    bool rst_on_close_with_unread = false;

    // send() on a TCP socket that is not connected (never connected, or a listener). Textbook:
    // ENOTCONN (RFC 9293 §3.10.2, "connection does not exist"). Linux: EPIPE, as
    // sk_stream_wait_connect() answers tcp_sendmsg_locked() in any state but SYN-SENT and
    // SYN-RECEIVED (Python raises BrokenPipeError; SIGPIPE is ignored there).
    bool epipe_when_not_connected = false;

    // Ephemeral ports: textbook IANA range (RFC 6335) or Linux ip_local_port_range.
    uint16_t ephemeral_first = 49152;
    uint16_t ephemeral_last = 65535;

    // Sizes.
    uint16_t mss = 1460;
    uint32_t recv_buffer = 65535;  // bytes a socket can hold unread; the advertised window
    // Receive window. false: the free buffer, opened by the receiver SWS rule of RFC 9293
    // §3.8.6.2.2. true, as Linux: the window starts at initial_rcv_window and grows by about
    // 2*MSS per segment received (rcv_ssthresh, tcp_grow_window) up to the free buffer
    // (__tcp_select_window), rounded up to the window scale unit, never shrinking.
    bool rcv_window_growth = false;
    uint32_t initial_rcv_window = 0;  // the window of the SYN; 0: the free buffer (at most 65535)
    // The receive buffer counted in memory, as Linux does (0: recv_buffer counts payload bytes).
    // sk_rcvbuf (tcp_rmem[1]); each queued segment costs its skb's truesize, freed when it is
    // read to its end; the window is the free memory times the payload's share of it
    // (tcp_space, tcp_win_from_space: len/truesize of the last full segment, scaling_ratio).
    uint32_t rcv_mem = 0;
    // SO_RCVBUF was set: the buffer is locked at rcv_mem (SOCK_RCVBUF_LOCK). Else Linux lets it
    // follow the memory queued when that passes it (tcp_clamp_window), up to tcp_rmem[2].
    bool rcv_mem_locked = false;
    // tcp_rmem[2]: the most an unlocked buffer grows to (tcp_clamp_window, and the receive
    // buffer auto-tuning, tcp_rcv_space_adjust). 32 MiB since Linux 6.16 (6 MiB before).
    uint32_t rcv_mem_max = 33554432;
    // The receive buffer auto-tuning (tcp_rcv_space_adjust, tcp_rcvbuf_grow; sysctl
    // tcp_moderate_rcvbuf): once per round trip a read measures what the program read in it;
    // when more than before, the buffer grows to what twice that (and the sender's growth)
    // needs, and the window may grow with it. Off while the buffer is locked (SO_RCVBUF).
    bool rcv_autotune = false;
    // The truesize of a received segment. 0: the kernel's kmalloc'd head (a frame copied in by a
    // packet socket or a NIC driver: 16 bytes of headroom, the frame, skb_shared_info, rounded
    // to a kmalloc size, plus the sk_buff: 2304 for 1460 bytes), and a small segment is copied
    // into the tailroom of the one before it (skb_try_coalesce). Else every segment costs this.
    uint32_t rx_truesize = 0;
    uint32_t rx_truesize_of(uint32_t payload) const;
    uint32_t rx_tailroom_of(uint32_t payload) const;  // room left after the frame in its head
    uint32_t send_buffer = 65535;
    // Linux counts the send buffer in memory (sk_sndbuf against sk_wmem_queued), not bytes.
    // snd_mem (tcp_wmem[1], 16384): sk_sndbuf until ESTABLISHED, then 2 x max(10, cwnd) x the
    // memory of one segment (tcp_sndbuf_expand: 46080 for 1460 bytes, read back with
    // SO_MEMINFO), grown on ACKs while cwnd is not full, up to snd_mem_max (tcp_wmem[2]); locked
    // by SO_SNDBUF (send_buffer, doubled). Each skb queued costs its bytes plus tx_skb_overhead
    // (832: sk_wmem_queued 32952 for one skb of 32120 bytes). 0: send_buffer counts bytes.
    uint32_t snd_mem = 0;
    // A program blocked in send() or recv() that the network wakes (an ACK frees buffer
    // memory, data arrives) runs this much later, the scheduler's wake-up latency: what arrives
    // meanwhile is processed first, as the kernel's softirq processes a burst before the woken
    // task gets a CPU. l_fast_retransmit.pcap: the writer woken by the first duplicate ACK ran
    // after the second; j_bulk.pcap: the FIN alone, the reader's ACKs of a burst.
    Duration wakeup_latency{};
    uint32_t snd_mem_max = 4194304;
    uint32_t tx_skb_overhead = 832;
    bool snd_mem_locked = false;
    std::optional<uint8_t> window_scale;  // sent in SYN when set (Linux: 7 or more)

    // Timers (RFC 6298; RFC 9293 §3.8.1).
    // The clock TCP's timers run on. textbook: continuous time. linux: jiffies at HZ=250 and
    // the timer wheel (kernel/time/timer.c): the RTO in whole jiffies (__tcp_set_rto), each
    // timer fired at the end of its wheel bucket, up to 1/8 of its timeout late
    // (i_syn_timeout.pcap: SYNs 1024 ms apart for a 1 s RTO, 4160 ms for 4 s).
    KernelClock clock;
    // RTT estimation. false: RFC 6298 §2, one segment timed per round trip, RTO = SRTT +
    // 4*RTTVAR clamped to [rto_min, rto_max]. true, as Linux (tcp_rtt_estimator, __tcp_set_rto):
    // a sample from every ACK of new data (the oldest segment it covers, tcp_clean_rtx_queue;
    // none when it covers a retransmission), RTO = SRTT + max(the largest mean deviation of the
    // last round trip, rto_min): rto_min bounds the variance term, not the RTO.
    bool linux_rtt = false;
    Duration rto_initial = Duration::seconds(1);
    Duration rto_min = Duration::seconds(1);
    Duration rto_max = Duration::seconds(60);
    Duration msl = Duration::seconds(30);  // TIME-WAIT lasts 2*MSL
    uint32_t syn_retries = 5;              // retransmissions of SYN before ETIMEDOUT
    // SYN retransmissions at a constant rto_initial before the doubling starts, on top of
    // syn_retries (Linux 6.18 tcp_retransmit_timer and tcp_write_timeout:
    // net.ipv4.tcp_syn_linear_timeouts, default 4). 0: RFC 6298 §5.5, double every time.
    uint32_t syn_linear_timeouts = 0;
    uint32_t data_retries = 8;             // retransmissions of data/FIN before ETIMEDOUT
    // At most one ACK per interval answers out-of-window pure ACKs (RFC 5961 §7 throttling;
    // Linux tcp_invalid_ratelimit, 500 ms): without it two ends can ACK each other forever.
    Duration oow_ack_interval = Duration::millis(500);

    // Congestion control (RFC 5681 with NewReno fast recovery, RFC 6582); cwnd in bytes.
    // Initial window in segments; 0: RFC 5681 §3.1 (1), min(4*SMSS, max(2*SMSS, 4380)) bytes as
    // in RFC 3390 (3 segments of 1460). Linux: 10 (RFC 6928, TCP_INIT_CWND).
    uint32_t initial_window = 0;
    // SYN (or SYN+ACK) retransmissions after which the first window is 1 SMSS instead of IW:
    // 1 in RFC 5681 §3.1; Linux waits for 2 (tcp_init_transfer, "total_retrans > 1").
    uint32_t syn_losses_for_iw1 = 1;
    // Growth per ACK. false: RFC 5681 §3.1 (2) and (3), cwnd += min(N, SMSS) in slow start and
    // SMSS*SMSS/cwnd in congestion avoidance. true: byte counting as Linux counts segments
    // (tcp_slow_start: cwnd += N up to ssthresh; tcp_cong_avoid_ai: + SMSS per cwnd of bytes
    // acknowledged), RFC 3465 without its L = 2*SMSS limit.
    bool byte_counting = false;
    // Restart after idle (RFC 5681 §4.1): false, cwnd = min(IW, cwnd); true, as Linux
    // (tcp_cwnd_restart): cwnd halved per RTO idle down to that, ssthresh = max(ssthresh, 3/4 cwnd).
    bool idle_decay = false;
    // Limited transmit (RFC 3042, a SHOULD of RFC 5681 §3.2 step 1): a new segment on each of
    // the first two duplicate ACKs. Textbooks leave it out; Linux without SACK does the same
    // by counting each duplicate ACK as a segment that left the network (tcp_add_reno_sack).
    bool limited_transmit = false;
    // Growth only when cwnd is what limits the sender. false: RFC 5681 §3.1 grows cwnd on every
    // ACK of new data. true: as Linux (tcp_is_cwnd_limited, tcp_cwnd_validate; RFC 7661 in
    // spirit), not when the peer's window or the program kept the flight below cwnd; in slow
    // start cwnd still grows up to twice the largest flight of the current window.
    bool cwnd_limited_growth = false;
    // Loss recovery without SACK. false: NewReno (RFC 6582), cwnd inflated by each duplicate
    // ACK. true, as Linux: Proportional Rate Reduction (RFC 6937; tcp_init_cwnd_reduction,
    // tcp_cwnd_reduction, tcp_end_cwnd_reduction) in segments, each duplicate ACK counted as a
    // segment that left the network (tcp_add_reno_sack, tcp_limit_reno_sacked,
    // tcp_remove_reno_sacks), only the head marked lost (tcp_newreno_mark_lost).
    bool prr = false;
    // ssthresh on a loss. 0: RFC 5681 §3.1 (4), max(FlightSize/2, 2*SMSS). Else CUBIC's (RFC
    // 9438 §4.6, bictcp_recalc_ssthresh): cwnd * beta/1024 segments, at least 2, with fast
    // convergence (W_max lowered when cwnd did not reach it again). Linux: 717 (0.7).
    uint32_t cubic_beta = 0;
    // Growth in congestion avoidance. false: Reno, + SMSS per cwnd acknowledged. true: CUBIC
    // (RFC 9438; Linux bictcp_update, tcp_cong_avoid_ai): cwnd follows W(t) = C (t - K)^3 + W_max
    // from the last loss, C = 0.4, in segments, at least as fast as Reno's estimate with
    // CUBIC's beta (the TCP-friendly region). Not modelled: HyStart.
    bool cubic_growth = false;

    // Initial sequence numbers: zero (readable for a class) or seeded random.
    bool isn_zero = false;

    // IPv4 header.
    uint8_t ttl = 64;

    // The link layer (Ethernet II framing, ARP, neighbour caches). Off: the stack hands IPv4
    // packets with their next hop to the engine (StackOutput::transmit), as before the link
    // layer existed. On: it hands Ethernet frames (StackOutput::frames), resolves next hops
    // with ARP, and takes frames (HostStack::receive_frame).
    bool link_layer = false;
    NeighbourParams neighbour;

    static Profile textbook();
    static Profile linux();
    // SO_RCVBUF / SO_SNDBUF of a socket, in bytes as the program passes them (either unset):
    // this profile with the buffers they give. Linux (sock_setsockopt, tcp_select_initial_window)
    // doubles the value (after capping it at net.core.rmem_max / wmem_max, 212992), offers half
    // of it, rounded down to the MSS, in its SYN, with the window scale that half needs (0 for
    // a small buffer), and never grows it by itself. The textbook takes the value as it is.
    Profile with_buffers(std::optional<uint32_t> rcvbuf, std::optional<uint32_t> sndbuf) const;
    std::string_view name() const { return kind == Kind::Textbook ? "textbook" : "linux"; }
};

}  // namespace netstep
