// One step of a run as every panel shows it, derived once per step from the trace index: the
// sockets of every host with their state, variables and running timers, the packets on the wire,
// the caption in force and the time. The state diagram, the variables, netstat and the header all
// read it, so they cannot disagree.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/host.hpp"
#include "sim/trace.hpp"
#include "sim/trace_index.hpp"

namespace netstep::sim {

// How the times of a trace are written: in milliseconds when the whole run lasts under 10 s (a
// handshake, a transfer), in seconds when it lasts longer (TIME-WAIT, retries over minutes).
enum class TimeUnit : uint8_t { Milliseconds, Seconds };
TimeUnit time_unit_of(const Trace& trace);
// "12.004 ms" (microseconds shown) or "0.012004 s"; the one format of every time on screen.
std::string format_time(Instant t, TimeUnit unit);
std::string format_duration(Duration d, TimeUnit unit);

// A socket at a step.
enum class SocketPhase : uint8_t {
    NotYet,  // created later
    Live,    // exists: its row is in force
    Gone,    // its connection is over and the OS has forgotten it: CLOSED, no variables, no timers
};
struct SocketAt {
    uint32_t history = kNone;  // index into Trace::sockets
    SocketPhase phase = SocketPhase::NotYet;
    SocketInfo row;            // Live: the row in force; Gone: the last one, state CLOSED, no vars
    std::optional<TcpState> state() const { return phase == SocketPhase::NotYet ? std::nullopt : row.state; }
};

// One socket history at a step (what Snapshot::socket answers, without a whole snapshot).
SocketAt socket_at(const Trace& trace, uint32_t history, uint32_t step);

// A timer that runs at the step, and its deadline (never before the step's time).
struct RunningTimer {
    TimerKind kind = TimerKind::Retransmission;
    Instant deadline;
};
std::vector<RunningTimer> running_timers(const TcpVars& vars);

class Snapshot {
public:
    // Keeps a reference to the index (and its trace).
    Snapshot(const TraceIndex& index, uint32_t step);

    uint32_t step() const { return step_; }
    Instant time() const { return time_; }
    // The sockets that exist on `host`, by id (what netstat lists, and the CLOSED ones it hides).
    const std::vector<SocketAt>& sockets_of(uint32_t host) const { return hosts_[host]; }
    // Any socket history: live, gone or not yet created.
    SocketAt socket(uint32_t history) const;
    // Packets on the wire after this step's event, ascending.
    const std::vector<uint32_t>& in_flight() const { return in_flight_; }
    // The step of the caption in force (any program), if any.
    std::optional<uint32_t> caption_step() const { return caption_; }

private:
    const TraceIndex* index_;
    uint32_t step_ = 0;
    Instant time_;
    std::vector<std::vector<SocketAt>> hosts_;
    std::vector<uint32_t> live_at_;  // per socket history: its place in hosts_[its host] (kNone: not live)
    std::vector<uint32_t> in_flight_;
    std::optional<uint32_t> caption_;
};

}  // namespace netstep::sim
