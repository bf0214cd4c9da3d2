// One step of a run, as every panel shows it.
#include "sim/snapshot.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace netstep::sim {

TimeUnit time_unit_of(const Trace& trace) {
    Instant last = trace.events.empty() ? Instant::zero() : trace.events.back().time;
    return std::max(last, trace.end_time) < Instant::zero() + Duration::seconds(10) ? TimeUnit::Milliseconds
                                                                                              : TimeUnit::Seconds;
}

std::string format_duration(Duration d, TimeUnit unit) {
    // Microseconds, truncated as the text trace (and tcpdump) truncate them.
    const char* sign = d.ns < 0 ? "-" : "";
    uint64_t a = (d.ns < 0 ? uint64_t(0) - uint64_t(d.ns) : uint64_t(d.ns)) / 1000;
    if (unit == TimeUnit::Milliseconds) return fmt::format("{}{}.{:03} ms", sign, a / 1000, a % 1000);
    return fmt::format("{}{}.{:06} s", sign, a / 1000000, a % 1000000);
}

std::string format_time(Instant t, TimeUnit unit) { return format_duration(t - Instant::zero(), unit); }

std::vector<RunningTimer> running_timers(const TcpVars& v) {
    std::vector<RunningTimer> timers;
    auto add = [&](TimerKind kind, const std::optional<Instant>& at) {
        if (at) timers.push_back({kind, *at});
    };
    add(TimerKind::Retransmission, v.retransmit_at);
    add(TimerKind::DelayedAck, v.delayed_ack_at);
    add(TimerKind::TimeWait, v.time_wait_until);
    add(TimerKind::Persist, v.persist_at);
    return timers;
}

SocketAt socket_at(const Trace& trace, uint32_t history, uint32_t step) {
    const SocketHistory& h = trace.sockets[history];
    SocketAt s;
    s.history = history;
    auto it = std::upper_bound(h.steps.begin(), h.steps.end(), step);
    if (it == h.steps.begin()) return s;  // NotYet
    s.row = h.rows[size_t(it - h.steps.begin()) - 1];
    if (step < h.gone_step) {
        s.phase = SocketPhase::Live;
        return s;
    }
    // Gone: the connection is over; nothing of it runs any more.
    s.phase = SocketPhase::Gone;
    if (s.row.state) s.row.state = TcpState::Closed;
    s.row.vars.reset();
    s.row.recv_queued = 0;
    return s;
}

Snapshot::Snapshot(const TraceIndex& index, uint32_t step) : index_(&index), step_(step) {
    const Trace& trace = index.trace();
    time_ = trace.events.empty() ? Instant::zero() : trace.events[std::min<size_t>(step, trace.events.size() - 1)].time;
    hosts_.resize(trace.hosts.size());
    live_at_.assign(trace.sockets.size(), kNone);
    for (uint32_t h = 0; h < trace.hosts.size(); ++h) {
        for (uint32_t history : index.histories_of(h)) {
            SocketAt s = socket_at(trace, history, step);
            if (s.phase != SocketPhase::Live) continue;
            live_at_[history] = uint32_t(hosts_[h].size());
            hosts_[h].push_back(std::move(s));
        }
    }
    in_flight_ = index.packets_in_flight(step);
    caption_ = index.caption_at(step);
}

SocketAt Snapshot::socket(uint32_t history) const {
    const Trace& trace = index_->trace();
    if (history >= trace.sockets.size()) return {};
    if (live_at_[history] != kNone) return hosts_[trace.sockets[history].host][live_at_[history]];  // thousands: no scan
    return socket_at(trace, history, step_);
}

}  // namespace netstep::sim
