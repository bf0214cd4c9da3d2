// What the model reports besides packets: the raw material of the trace.
#pragma once
#include <cstdint>
#include <string>
#include <variant>

#include "address.hpp"
#include "errors.hpp"
#include "seq.hpp"
#include "tcp_state.hpp"
#include "time.hpp"

namespace netstep {

enum class TimerKind : uint8_t {
    Retransmission,  // RFC 6298
    DelayedAck,      // RFC 9293 §3.8.6.3 / RFC 1122 §4.2.3.2
    TimeWait,        // 2*MSL, RFC 9293 §3.10.7.4
    Persist,         // zero-window probe, RFC 9293 §3.8.6.1
};
std::string_view to_string(TimerKind k);  // "retransmission", "delayed-ack", "time-wait", "persist"

enum class TimerAction : uint8_t { Armed, Fired, Cancelled };
std::string_view to_string(TimerAction a);  // "armed", "fired", "cancelled"

// old -> new (cause). Causes are short and name what happened: "rcv SYN", "close",
// "rcv ACK of FIN", "2MSL timeout", "rcv RST", "abort".
struct StateChanged {
    TcpState from;
    TcpState to;
    std::string cause;
    bool operator==(const StateChanged&) const = default;
};

struct TimerEvent {
    TimerKind kind;
    TimerAction action;
    Instant deadline;  // when it will fire (Armed), or fired/was due (Fired, Cancelled)
    bool operator==(const TimerEvent&) const = default;
};

// A segment or datagram received and not accepted, with the rule that rejected it
// ("seq outside receive window (§3.10.7.4 first check)", "bad TCP checksum").
struct Rejected {
    std::string reason;
    bool operator==(const Rejected&) const = default;
};

struct Retransmission {
    SeqNum seq;
    uint32_t length = 0;   // SEG.LEN of what was resent
    uint32_t attempt = 0;  // 1 for the first retransmission
    Duration rto;          // the (backed-off) RTO now in force
    bool fast = false;     // fast retransmit on duplicate ACKs (RFC 5681 §3.2), not a timeout
    bool operator==(const Retransmission&) const = default;
};

// An error the connection reports to its program (ECONNREFUSED, ECONNRESET, ETIMEDOUT...).
struct ConnectionError {
    Err err;
    std::string reason;
    bool operator==(const ConnectionError&) const = default;
};

// Anything else worth a line in the trace ("RST sent: nobody listens on port 81",
// "ICMP port unreachable sent", "SYN dropped: accept queue full").
struct Note {
    std::string text;
    bool operator==(const Note&) const = default;
};

using ModelEventBody = std::variant<StateChanged, TimerEvent, Rejected, Retransmission, ConnectionError, Note>;

}  // namespace netstep
