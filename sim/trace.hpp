// The trace: the complete, ordered record of a run — the product's spine. The text output, JSON,
// pcap and the visualizer are all views of it. A step is an index into `events`.
#pragma once
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/address.hpp"
#include "model/errors.hpp"
#include "model/events.hpp"
#include "model/host.hpp"
#include "model/packet.hpp"
#include "model/tcp_state.hpp"
#include "model/time.hpp"

namespace netstep::sim {

inline constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

struct TraceNetwork {
    std::string name;
    Ipv4Prefix subnet;
    Duration latency;
    uint64_t bandwidth_bps = 0;
    double loss = 0.0;
};

struct TraceHost {
    std::string name;
    std::vector<InterfaceConfig> interfaces;  // adapter, network, address/prefix, gateway
    bool forwarding = false;
};

struct TraceProgram {
    std::string name;
    uint32_t host = 0;
    uint32_t parent = kNone;  // forked from
};

// One transmission of one packet over one network (a hop). A router's forwarding is a new hop.
struct TracePacket {
    uint32_t from_host = 0;
    uint32_t to_host = kNone;    // the host owning the next-hop address (kNone: nobody)
    uint32_t network = 0;
    uint32_t from_interface = 0;
    Instant sent;                // first bit on the wire
    Instant arrives;             // last bit at the receiver: sent + size/bandwidth + latency (+ delay faults)
    uint32_t sent_step = 0;      // the PacketSent event
    uint32_t end_step = kNone;   // the PacketDelivered/PacketDropped event (kNone: still in flight at the end)
    bool dropped = false;
    std::string drop_reason;     // "fault: drop nth=1", "random loss 10%", "link down", "no host at 10.0.0.9"
    uint32_t duplicate_of = kNone;
    Bytes bytes;                 // the real IPv4 packet on the wire (wire::emit)
};

enum class EventKind : uint8_t {
    RunStart,         // text: title
    PacketSent,       // packet
    PacketDelivered,  // packet
    PacketDropped,    // packet (reason in the packet)
    StateChange,      // socket, from, to, text = cause
    Timer,            // socket, timer, timer_action, deadline
    Retransmit,       // socket, text
    Rejected,         // socket?, text = reason (a segment the stack refused)
    ConnError,        // socket, err, text
    Note,             // text (RST sent to nobody, ICMP sent, queue full...)
    Call,             // program, socket, text = "connect(s, web:80)", result in err/ok + text2
    Caption,          // program, text (say)
    Output,           // program, text = ipconfig/netstat lines
    ProgramStart,     // program
    ProgramEnd,       // program, text = "exit" / "error: ..."
    ExpectFailed,     // program, text
    Blocked,          // program, text = the call it is stuck in (deadlock report)
    RunEnd,           // text
};
std::string_view to_string(EventKind k);                           // "packet-sent", "state-change"
std::optional<EventKind> event_kind_from_string(std::string_view);  // inverse of to_string
inline constexpr int kEventKindCount = int(EventKind::RunEnd) + 1;

struct TraceEvent {
    Instant time;
    EventKind kind = EventKind::Note;
    uint32_t host = kNone;
    uint32_t program = kNone;
    uint32_t socket = 0;             // SocketId on `host`; 0 = none
    uint32_t packet = kNone;         // index into Trace::packets
    uint32_t text = kNone;           // index into Trace::strings
    uint32_t text2 = kNone;          // Call: the result as printed ("= 3 bytes", "= ECONNREFUSED")
    TcpState from = TcpState::Closed;  // StateChange
    TcpState to = TcpState::Closed;
    TimerKind timer = TimerKind::Retransmission;
    TimerAction timer_action = TimerAction::Armed;
    Instant deadline;
    std::optional<Err> err;          // Call result / ConnError
    std::optional<FourTuple> tuple;  // the connection, when known
};

// Every change of one socket's row (netstat + connection variables), by step: the table of any
// host at any step is found by binary search, without re-simulating.
struct SocketHistory {
    uint32_t host = 0;
    SocketId id = 0;
    std::vector<uint32_t> steps;     // ascending
    std::vector<SocketInfo> rows;    // rows[i] is in force from steps[i]; a row with state CLOSED
                                     // and no remote after the connection ended
    uint32_t gone_step = kNone;      // from this step the socket no longer exists
};

struct Trace {
    // The scenario.
    std::string file;
    std::string title;
    std::string description;
    std::string profile;  // "textbook" | "linux"
    uint64_t seed = 1;
    std::vector<TraceNetwork> networks;
    std::vector<TraceHost> hosts;
    std::vector<TraceProgram> programs;

    // The run.
    std::vector<TraceEvent> events;
    std::vector<TracePacket> packets;
    std::vector<SocketHistory> sockets;
    std::vector<std::string> strings;

    // Outcome.
    bool expectations_met = true;
    std::vector<std::string> failures;  // expectation failures and errors, as printed by `check`
    Instant end_time;

    const std::string& str(uint32_t i) const;  // "" for kNone
};


// Helps the engine fill a Trace: interned strings, events, packets and socket histories.
// It keeps a reference: the Trace must outlive the builder.
class TraceBuilder {
public:
    explicit TraceBuilder(Trace& trace);

    // The index of `text` in trace.strings, adding it the first time it is seen.
    uint32_t intern(std::string_view text);
    // Appends an event; returns its step.
    uint32_t add_event(const TraceEvent& event);
    // Appends a packet; returns its index.
    uint32_t add_packet(TracePacket packet);
    // Records a socket's row as of `step` (appended only when it differs from the last one).
    void record_socket(uint32_t host, const SocketInfo& row, uint32_t step);
    // The socket no longer exists from `step` on.
    void socket_gone(uint32_t host, SocketId id, uint32_t step);

private:
    SocketHistory& history_of(uint32_t host, SocketId id);

    Trace& trace_;
    std::unordered_map<std::string, uint32_t> strings_;
    std::unordered_map<uint64_t, size_t> sockets_;  // (host << 32 | id) -> index in trace.sockets
};

}  // namespace netstep::sim
