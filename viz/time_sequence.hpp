// The time-sequence graph's data (Stevens, tcptrace): for one direction of one TCP connection,
// each segment's sequence range against time, the ACK and receive-window lines the other end
// sent back, and the sender's congestion window. Sequence numbers relative to the ISN, from the
// one decoder (TraceView::packet); cwnd from the sender's recorded variables. No ImGui.
#pragma once
#include <cstdint>
#include <vector>

#include "model/address.hpp"
#include "model/time.hpp"
#include "viz/trace_view.hpp"

namespace netstep::viz {

// A TCP connection of the trace: its two ends as first seen (a: the first sender).
struct TsgConnection {
    Endpoint a, b;
    uint32_t first_packet = kNone;
    uint64_t bytes_ab = 0, bytes_ba = 0;  // payload sent each way (first transmissions and resends)
    bool operator==(const TsgConnection&) const = default;
};

// One segment carrying data (or SYN/FIN), as it left its sender.
struct TsgSegment {
    Instant time;                 // sent
    uint32_t seq = 0, end = 0;    // relative; end = seq + len (SYN and FIN count one)
    uint32_t packet = kNone;      // index into Trace::packets
    uint32_t step = 0;            // its PacketSent
    bool retransmit = false;      // ends at or below what was already sent (tcptrace's rule)
    bool dropped = false;         // lost on the way (on any hop)
};

// One ACK from the receiver, when it reached the sender.
struct TsgAck {
    Instant time;                 // arrived
    uint32_t ack = 0;             // relative
    uint32_t window_end = 0;      // ack + the advertised window, scaled (RFC 7323)
    uint32_t packet = kNone;
    uint32_t step = 0;            // its PacketDelivered
};

// The sender's congestion window, each time its recorded variables changed it.
struct TsgCwnd {
    Instant time;
    uint32_t una = 0;             // SND.UNA, relative
    uint32_t cwnd = 0, ssthresh = 0;
    uint32_t step = 0;
};

struct TimeSequence {
    Endpoint from, to;
    std::vector<TsgSegment> segments;  // in the order sent
    std::vector<TsgAck> acks;          // in the order they arrived
    std::vector<TsgCwnd> cwnd;         // in step order (empty: the profile keeps none)
    Instant t0, t1;                    // first and last time of any of them
    uint32_t max_seq = 0;              // the highest sequence value of any line (cwnd included)
    uint32_t max_data = 0;             // ... of the segments and ACKs
    uint32_t max_cwnd = 0;             // ... of SND.UNA + cwnd
    bool empty() const { return segments.empty(); }
};

// Every TCP connection, in the order of its first packet.
std::vector<TsgConnection> tcp_connections(const TraceView& view);

// The connection to show: that of `packet` when it is TCP, else the first with data; nullopt-like
// index kNone when the trace has no TCP.
uint32_t default_connection(const std::vector<TsgConnection>& connections, const TraceView& view, uint32_t packet);

// The direction `from` -> `to` of a connection (only its first hops: a router's copies are not
// counted twice).
TimeSequence time_sequence(const TraceView& view, Endpoint from, Endpoint to);

}  // namespace netstep::viz
