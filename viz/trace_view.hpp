// TraceView: what the visualizer derives once from a Trace on top of sim::TraceIndex: packets
// decoded for drawing (kind, label, relative sequence numbers), connection pairing (the two ends
// of a TCP connection), and one line of text per event for the log. Pure logic: no ImGui.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/snapshot.hpp"
#include "sim/trace.hpp"
#include "sim/trace_index.hpp"

namespace netstep::viz {

using sim::kNone;

// How a packet is drawn: the palette picks a color per kind.
enum class PacketKind : uint8_t { Syn, SynAck, Fin, Rst, Data, Ack, Udp, Icmp, Arp, Other };
inline constexpr int kPacketKindCount = 10;

// A packet's headers, decoded from its bytes by model/wire (only what the views show). In an
// Ethernet trace, the IPv4 packet the frame carries (Trace::ip_bytes), or its ARP packet.
struct PacketInfo {
    bool ok = false;             // an IPv4 packet, long enough to read IPv4 + transport headers
    std::optional<ArpPacket> arp;  // an ARP frame (RFC 826); then src/dst hold its sender and target IP
    uint8_t proto = 0;           // 1 ICMP, 6 TCP, 17 UDP
    uint8_t ttl = 0;
    Endpoint src, dst;
    uint8_t flags = 0;           // TCP
    uint32_t seq = 0, ack = 0;   // raw
    uint32_t rel_seq = 0, rel_ack = 0;  // relative to each side's ISN (as Wireshark shows them)
    uint16_t window = 0;         // the raw field
    std::optional<uint8_t> window_shift;    // once both SYNs agreed on scaling (RFC 7323 §2.3)
    uint32_t scaled_window() const { return uint32_t(window) << window_shift.value_or(0); }
    uint32_t payload = 0;        // bytes after the transport header
    uint8_t icmp_type = 0, icmp_code = 0;
    PacketKind kind = PacketKind::Other;
    std::string label;           // "SYN seq=0", "ACK ack=1", "UDP 5 B", "ICMP unreachable",
                                 // "ARP who-has 192.168.1.30?", "ARP 192.168.1.30 is-at 02:4e:.."
};

// A host a frame reached (the link layer): when, and whether the host took it.
struct Reception {
    uint32_t host = kNone;
    uint32_t step = kNone;       // its PacketDelivered event; a host that ignored the frame (or a
                                 // frame still on the wire): the packet's end_step
    bool taken = true;           // a unicast a switch flooded reaches every port; only its
                                 // addressee's card takes it (the others drop it: not their MAC)
};

// A TCP connection as the state diagram and the variables panel show it: one or two ends.
struct ConnectionEnds {
    uint32_t a = kNone;          // index into Trace::sockets
    uint32_t b = kNone;          // the peer, when it is in the trace
};

// What one UDP socket did up to a step: the counts the UDP panel shows where a TCP lesson shows
// the state diagram (UDP has no state to show).
struct UdpCounts {
    uint32_t sent = 0;         // datagrams it sent
    uint32_t received = 0;     // datagrams delivered to its port while it was there
    uint32_t lost = 0;         // of those it sent, lost on the way
    uint32_t icmp_errors = 0;  // ICMP errors about datagrams it sent (port unreachable...)
};

class TraceView {
public:
    explicit TraceView(const sim::Trace& trace);
    TraceView(const TraceView&) = delete;
    TraceView& operator=(const TraceView&) = delete;

    const sim::Trace& trace() const { return *trace_; }
    const sim::TraceIndex& index() const { return index_; }
    uint32_t step_count() const { return uint32_t(trace_->events.size()); }
    uint32_t last_step() const { return step_count() == 0 ? 0 : step_count() - 1; }
    Instant time_at(uint32_t step) const;
    // The event of `step`, clamped to the last; a trace with no events gives a default Note.
    const sim::TraceEvent& event_at(uint32_t step) const;
    // Every time on screen in one format, in the unit chosen for this trace ("12.004 ms").
    sim::TimeUnit time_unit() const { return time_unit_; }
    std::string format_time(Instant t) const { return sim::format_time(t, time_unit_); }
    std::string format_duration(Duration d) const { return sim::format_duration(d, time_unit_); }
    // The step as every panel shows it (derived once per step; the last one is kept).
    const sim::Snapshot& snapshot(uint32_t step) const;

    const PacketInfo& packet(uint32_t i) const { return packets_[i]; }
    // The hosts a frame reached, in host order: every other host of its network for a flooded
    // frame (a broadcast, IEEE 802.3 clause 3.2.3, or a unicast a switch flooded), else its
    // receiver (to_host). A dropped frame reached nobody; a packet sent to nobody (to_host kNone,
    // not flooded) neither.
    std::vector<Reception> receptions(uint32_t packet) const;
    // The host a frame is for: its receiver (to_host), or for an ARP request, a broadcast, the
    // host that owns the address asked about (RFC 826); kNone: nobody.
    uint32_t addressee(uint32_t packet) const;
    // The hosts attached to a network (their index), in host order.
    const std::vector<uint32_t>& hosts_on(uint32_t network) const;

    // The sent/arrival fraction of a packet at time t (0 at the sender, 1 at the receiver).
    double progress(uint32_t packet, Instant t) const;

    // The socket history (index into Trace::sockets) a socket event names.
    std::optional<uint32_t> history_of(uint32_t host, uint32_t socket) const;
    // The connection a packet belongs to (its sender's socket and the receiver's).
    ConnectionEnds connection_of_packet(uint32_t packet) const;
    // The two ends of the connection a socket history belongs to.
    ConnectionEnds connection_of(uint32_t history) const;
    // The TCP connection most recently changing state at or before `step`.
    ConnectionEnds active_connection(uint32_t step) const;
    // The last StateChange step of a socket at or before `step` (nullopt if none).
    std::optional<uint32_t> last_state_change(uint32_t history, uint32_t step) const;
    // "laptop:49152" for a socket history's local end.
    std::string socket_name(uint32_t history, uint32_t step) const;

    // The UDP sockets (indices into Trace::sockets), and what each did up to `step`.
    const std::vector<uint32_t>& udp_sockets() const { return udp_sockets_; }
    bool has_tcp() const { return has_tcp_; }
    // A host forwards packets: TTLs change on the way, so the topology shows them.
    bool has_router() const { return has_router_; }
    UdpCounts udp_counts(uint32_t history, uint32_t step) const;

    // One line for the event log: "laptop:49152 SYN-SENT → ESTABLISHED (rcv SYN,ACK)".
    std::string describe(uint32_t step) const;

private:
    void decode_packets();
    void index_udp();
    std::optional<uint32_t> udp_socket(uint32_t host, uint16_t port, uint32_t step) const;
    std::optional<uint32_t> find_by_tuple(uint32_t host, const FourTuple& t) const;
    ConnectionEnds ordered(ConnectionEnds ends) const;

    const sim::Trace* trace_;
    sim::TraceIndex index_;
    std::vector<PacketInfo> packets_;
    std::vector<std::vector<uint32_t>> network_hosts_;      // per network, its hosts
    std::unordered_map<uint32_t, std::vector<std::pair<uint32_t, uint32_t>>> flooded_deliveries_;  // packet -> (host, step)
    sim::TimeUnit time_unit_ = sim::TimeUnit::Seconds;
    bool has_tcp_ = false;
    bool has_router_ = false;
    std::vector<uint32_t> udp_sockets_;
    // Per UDP socket history, the steps at which each count went up, ascending.
    struct UdpSteps { std::vector<uint32_t> sent, received, lost, icmp_errors; };
    std::unordered_map<uint32_t, UdpSteps> udp_steps_;
    mutable std::optional<sim::Snapshot> snapshot_;  // of the step last asked for
};

}  // namespace netstep::viz
