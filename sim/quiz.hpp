// Predict mode, first part (issue 18): questions generated from a trace. Before chosen events the
// class is asked what happens next ("What does web:80 send now?", "Which state does laptop:61402
// enter?"); the right answer is always read from the trace at that step, the wrong ones are
// plausible mistakes (a neighbouring flag set or state, a sequence number off by one, the
// server's port). Pure: no I/O; `netstep quiz` asks them in a terminal, the viewer will pause on
// them. Deterministic: the same trace (scenario and seed) gives the same questions, byte for byte.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/trace.hpp"

namespace netstep::sim::quiz {

enum class Kind : uint8_t {
    NextFlags,        // the flags of the segment a socket sends now
    Ack,              // its ack number (relative)
    Seq,              // its sequence number (relative)
    NextState,        // the state a TCP socket enters now
    LocalPort,        // the ephemeral port the OS picks at connect()
    DatagramArrives,  // a UDP datagram: delivered or lost
    IcmpMessage,      // the ICMP message a host or router sends back (echo reply, time exceeded, unreachable)
    Ttl,              // the TTL of a packet a router forwards, or of tracert's next probe
    ArpRequest,       // what a host sends first to an address it has no MAC address for (an ARP broadcast)
    ArpTarget,        // whose address that ARP request asks for (off the subnet: the gateway's)
    Free,             // a teacher's question (`ask`) about no fact of the trace
};
// "next_flags", "ack", "seq", "next_state", "local_port", "datagram_arrives", "icmp_message", "ttl",
// "arp_request", "arp_target", "free"
std::string_view to_string(Kind kind);

struct Question {
    uint32_t step = 0;        // asked before this event (the viewer pauses there); the event answers it
    Kind kind = Kind::NextFlags;
    uint32_t host = kNone;    // the host the question is about
    uint32_t packet = kNone;  // the packet it is about (index into Trace::packets), or kNone
    std::string prompt;       // "What does web:80 send to laptop:61402 now?"
    std::vector<std::string> choices;  // 2 to 4, distinct, in a shuffled order
    uint32_t answer = 0;      // index of the right choice
    std::string explanation;  // the rule, with its RFC section
    bool teacher = false;     // written in the scenario (an `ask` step, asked at its Ask event), not generated
    uint32_t fact_step = kNone;  // a teacher's question with `about`: the event holding the fact
    bool operator==(const Question&) const = default;
};

struct QuizOptions {
    size_t max = 6;  // at most this many generated questions, counting the teacher's ones (which are all asked)
    std::string lang = "en";  // "en", "fr", "it": the teacher's questions' texts (English when not written in it)
};

// The questions of a trace, in step order (two questions may share a step: the flags, then a
// number of the same segment). Sequence and ack numbers are relative to each direction's ISN,
// as the viewer shows them by default.
// A scenario's own questions (`ask` steps) come first in importance: all of them are asked, with
// their choices in the order written; generated questions fill up to `max`.
std::vector<Question> generate(const Trace& trace, const QuizOptions& options = {});

// The fmt template `english` ("Score: {0}/{1}") in `lang` ("fr", "it"); itself when it has no
// translation. The quiz's own texts: prompts, choices, explanations, and `netstep quiz`'s words.
std::string_view text(std::string_view lang, std::string_view english);

// The teacher's questions with `about` checked against the trace: one message per answer that
// contradicts the trace ("t.yaml:31:7: ask: the answer 'SYN' contradicts the trace: web:80 sends
// SYN+ACK next (step 12)"), or per fact that never happens after its question (not reported
// when `complete` is false: a run stopped early).
std::vector<std::string> check_asks(const Trace& trace, bool complete = true);

}  // namespace netstep::sim::quiz
