// The trace: the complete, ordered record of a run — the product's spine. The text output, JSON,
// pcap and the visualizer are all views of it. A step is an index into `events`.
#pragma once
#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <limits>
#include <optional>
#include <span>
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
    bool switched = false;  // kind: switch (else a shared segment)
};

struct TraceHost {
    std::string name;
    std::vector<InterfaceConfig> interfaces;  // adapter, network, address/prefix, gateway, MAC (always set)
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
    // Link layer: the frame went to every other host on its network: a broadcast (to_host is
    // kNone; each host takes it), or a unicast a switch flooded because it had not learned the
    // destination (to_host takes it; the others' cards ignore it).
    bool flooded = false;
    Bytes bytes;                 // the real packet on the wire: an Ethernet II frame (wire::emit_frame)
                                 // when Trace::ethernet, else the IPv4 packet (wire::emit)
};

// A frame a switch (a network of kind: switch) took in on a port: its Learning Process learned,
// or refreshed, "this source MAC is behind this port" (IEEE 802.1D §7.8). Every MAC table of the
// run, at any step, is computed from these (sim/mac_table.hpp); the text trace's note "switch lan
// learned ..." is the same fact in words, printed when an entry is new or moved.
struct TraceMacSeen {
    uint32_t step = 0;     // in force from this step: the learned note's, else the frame's packet-sent
    uint32_t network = 0;  // a switched network
    uint32_t port = 0;     // from 0, in the order the hosts are listed (shown from 1: Fa0/1)
    MacAddress mac;        // the frame's source
    Instant time;          // when the switch took the frame
    bool operator==(const TraceMacSeen&) const = default;
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
    ProgramEnd,       // program, text = "exit" / "exit status 3" / "error: ..."
    ExpectFailed,     // program, text
    Blocked,          // program, text = the call it is stuck in (deadlock report)
    Prompt,           // program (a terminal), text = the prompt it shows ("C:\\Users\\laptop>")
    Input,            // program (a terminal), text = a line typed ("ping web", "^C", "^D"); text2 =
                      // the prompt it was typed at (empty: it went to the running command's input)
    Ask,              // program, text = a teacher's question in English (`ask`); the rest in Trace::asks
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
    std::optional<Err> err;          // Call result / ConnError
    std::optional<FourTuple> tuple;  // the connection, when known
    Instant deadline;
};  // 72 bytes: a busy trace holds millions (the one-byte enums first, then the wider fields)

// The rows of one socket's history, stored compactly: each row is a SocketInfo without its TCP
// variables (40 bytes instead of 224), and the variables of the rows that have them (TCP
// connections past LISTEN) sit in a table apart. UDP sockets and listeners, most rows of a busy
// trace, store no variables at all. Reading a row gives back the whole SocketInfo, by value.
class SocketRows {
public:
    size_t size() const { return rows_.size(); }
    bool empty() const { return rows_.empty(); }
    SocketInfo operator[](size_t i) const;
    SocketInfo back() const { return (*this)[rows_.size() - 1]; }
    bool back_is(const SocketInfo& row) const;  // the last row equals `row` (not empty)
    void push_back(const SocketInfo& row);
    void replace_back(const SocketInfo& row);   // not empty
    void clear();
    bool operator==(const SocketRows&) const = default;
    // Bytes of memory: in use (size()) or reserved (capacity()).
    size_t memory_bytes(bool used = true) const;

    // Rows in order, as SocketInfo values: `for (const SocketInfo& row : history.rows)`.
    class const_iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = SocketInfo;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = SocketInfo;
        const_iterator() = default;
        const_iterator(const SocketRows* rows, size_t i) : rows_(rows), i_(i) {}
        SocketInfo operator*() const { return (*rows_)[i_]; }
        const_iterator& operator++() { ++i_; return *this; }
        const_iterator operator++(int) { const_iterator old = *this; ++i_; return old; }
        bool operator==(const const_iterator& o) const { return i_ == o.i_; }

    private:
        const SocketRows* rows_ = nullptr;
        size_t i_ = 0;
    };
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, rows_.size()}; }

private:
    static constexpr uint32_t kNoVars = std::numeric_limits<uint32_t>::max();
    struct Row {
        Endpoint local;
        Endpoint remote;
        SocketId id = 0;
        uint32_t vars = kNoVars;  // index in vars_
        uint64_t recv_queued = 0;
        SocketType type = SocketType::Tcp;
        uint8_t state = 0;        // a TcpState, when has_state
        bool has_remote = false;
        bool has_state = false;
        bool user_closed = false;
        bool operator==(const Row&) const = default;
    };
    static Row pack(const SocketInfo& info, uint32_t vars);
    std::vector<Row> rows_;
    std::vector<TcpVars> vars_;  // in row order
};

// Every change of one socket's row (netstat + connection variables), by step: the table of any
// host at any step is found by binary search, without re-simulating.
struct SocketHistory {
    uint32_t host = 0;
    SocketId id = 0;
    std::vector<uint32_t> steps;     // ascending
    SocketRows rows;                 // rows[i] is in force from steps[i]; a row with state CLOSED
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
    bool ethernet = false;  // packets are Ethernet frames (the link layer is on)
    std::vector<TraceNetwork> networks;
    std::vector<TraceHost> hosts;
    std::vector<TraceProgram> programs;

    // The run.
    std::vector<TraceEvent> events;
    std::vector<TracePacket> packets;
    std::vector<SocketHistory> sockets;
    std::vector<std::string> strings;
    std::vector<TraceMacSeen> mac_seen;  // in step order: every frame a switch learned from

    // Outcome.
    bool expectations_met = true;
    std::vector<std::string> failures;  // expectation failures and errors, as printed by `check`
    // Things that did not go as written but stop nothing: a fault or caption that never applied
    // ("t.yaml:31:5: drop { from: laptop, flags: FIN, nth: 1 } never applied: ..."). `check`
    // counts them as failures.
    std::vector<std::string> warnings;
    Instant end_time;

    // A Caption's text in other languages (`say: { en: ..., fr: ... }`); the event's `text` is
    // English. Ascending by step.
    struct Translation {
        uint32_t step = 0;
        std::string lang;  // "fr", "it"
        uint32_t text = kNone;
    };
    std::vector<Translation> translations;

    // A teacher's question (an `ask` step), one per Ask event, ascending by step. The question is
    // the event's text, in other languages in `translations` (as a caption's).
    struct AskText {
        uint32_t en = kNone, fr = kNone, it = kNone;  // indices into strings; kNone: not written
        bool operator==(const AskText&) const = default;
    };
    struct Ask {
        uint32_t step = 0;             // its Ask event
        std::vector<AskText> choices;  // 2 to 4, in the order written
        uint32_t answer = 0;           // index into choices
        AskText explain;               // en kNone: none
        uint32_t about = kNone;        // "next_flags", "next_state", "ack", "seq", "local_port"; kNone: free
        uint32_t host = kNone;         // with about: the host the fact is about
        SocketId socket = 0;           // ... and its socket (0: any of the host's)
        uint32_t where = kNone;        // "lesson.yaml:31:7": the step in the scenario file
        bool operator==(const Ask&) const = default;
    };
    std::vector<Ask> asks;
    // One text of an ask in `lang` ("en", "fr", "it"), English when not written in it.
    const std::string& ask_text(const AskText& text, std::string_view lang) const;
    // The Ask of Ask event `step`, or nullptr.
    const Ask* ask_at(uint32_t step) const;

    const std::string& str(uint32_t i) const;  // "" for kNone
    // The IPv4 packet's bytes in a packet of this trace: all of them, or in an Ethernet trace
    // the frame's payload (with any padding, which wire::parse ignores). Empty for ARP.
    std::span<const uint8_t> ip_bytes(const TracePacket& p) const;
    // An Ethernet trace's ARP packet (RFC 826), if the frame holds one.
    std::optional<ArpPacket> arp(const TracePacket& p) const;
    // The caption of Caption event `step` in `lang` ("fr"), falling back to English.
    const std::string& caption_text(uint32_t step, std::string_view lang) const;
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

    // Counted as the trace grows, for the limits on it (Limits::max_trace_bytes, max_text_bytes):
    // bytes of memory it holds with this builder's index (spare vector capacity not counted), and
    // about the bytes of the trace written out: as text (a fixed part per line plus the strings
    // it prints) or as JSON (each event's strings again, packets in hex, every socket row),
    // whichever is longer.
    size_t memory_bytes() const { return memory_; }
    size_t text_bytes() const { return std::max(text_, json_); }

private:
    SocketHistory& history_of(uint32_t host, SocketId id);

    // Looks strings up by string_view, without making a std::string first.
    struct StringHash {
        using is_transparent = void;
        size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    Trace& trace_;
    std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> strings_;
    std::unordered_map<uint64_t, size_t> sockets_;  // (host << 32 | id) -> index in trace.sockets
    size_t memory_ = 0;
    size_t text_ = 0;
    size_t json_ = 0;
};

}  // namespace netstep::sim
