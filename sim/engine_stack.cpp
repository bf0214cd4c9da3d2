// The turns of a host's stack, and how what a stack does is written into the trace.
#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "sim/engine_world.hpp"

namespace netstep::sim::engine {

namespace {

// A stack whose timer stays due at the same instant after this many polls is a model bug: stop
// the run with an error instead of spinning forever.
constexpr uint64_t kMaxPollsPerInstant = 10'000;

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

// A turn of a host's stack (due when a packet arrives or a timer expires; the scheduler calls it
// in its turn): hands what is due to the host's stack, and wakes the programs blocked on this
// host (their calls may complete now).
void World::stack_turn(uint32_t h) {
    HostRuntime& host = hosts_[h];
    host.stack_wake.reset();  // this wake is being used
    uint32_t program = std::exchange(turn_program, kNone);  // run inside a program's yield
    bool changed = false;
    try {
        // 1. Packets whose last bit has arrived, by arrival time then by packet number.
        while (!host.inbox.empty() && host.inbox.begin()->first.first <= now()) {
            InFlight f = std::move(host.inbox.begin()->second);
            host.inbox.erase(host.inbox.begin());
            TracePacket& p = trace_.packets[f.packet];
            if (!f.lost) in_flight_bytes -= p.bytes.size();
            TraceEvent e;
            e.host = f.lost ? p.from_host : h;
            e.packet = f.packet;
            if (f.lost) {
                // Lost on the way (a fault, random loss, the link was down): it never arrives.
                e.kind = EventKind::PacketDropped;
                trace_.packets[f.packet].end_step = event(e);
                continue;
            }
            uint32_t first = next_step();
            e.kind = EventKind::PacketDelivered;
            p.end_step = event(e);  // a broadcast's: its last delivery
            const Ipv4Packet* ip = f.frame ? f.frame->ipv4() : &*f.value;
            if (!captions_.empty()) {
                HopFacts hop = ip ? hop_facts(*ip, p.from_host, owner_of(ip->dst).value_or(kNone), h)
                                  : arp_hop_facts(p.from_host, h, h);
                caption_packet(CaptionWhen::Kind::Arrives, f.packet, hop);
            }
            StackOutput out;
            if (f.frame) host.stack->receive_frame(f.interface, *f.frame, now(), out);
            else host.stack->receive(f.interface, *f.value, now(), out);
            record_output(h, out, first, kNone);
            changed = true;
        }
        // 2. Timers that are due (retransmission, delayed ACK, TIME-WAIT, persist).
        std::optional<Instant> due = host.stack->poll_at();
        if (due && *due <= now()) {
            if (host.last_poll != now()) host.polls_at_this_instant = 0;
            host.last_poll = now();
            if (++host.polls_at_this_instant > kMaxPollsPerInstant) {
                abort_run(fmt::format("{}: a timer stays due at {} after {} polls", host.name,
                                      to_string(now()), kMaxPollsPerInstant));
            }
            uint32_t first = next_step();
            StackOutput out;
            host.stack->poll(now(), out);
            changed = record_output(h, out, first, kNone) || changed;
        }
    } catch (const std::exception& ex) {
        abort_run(fmt::format("{}: {}", host.name, ex.what()));
    }
    if (changed) notify_host(h);
    reschedule_stack(h);
    turn_program = program;
}

// The stack actor is due at the first arrival in its inbox or its next timer, whichever comes
// first. Called after anything that may move either.
void World::reschedule_stack(uint32_t h) {
    HostRuntime& host = hosts_[h];
    std::optional<Instant> next;
    if (!host.inbox.empty()) next = host.inbox.begin()->first.first;
    if (auto t = host.stack->poll_at()) {
        Instant at = std::max(*t, now());
        next = next ? std::min(*next, at) : at;
    }
    if (next == host.stack_wake) return;
    sched_.cancel(host.actor);
    host.stack_wake = next;
    if (next) sched_.wake_at(host.actor, *next);
}

// A packet will arrive at `at`: the stack actor must be due by then. (Cheaper than
// reschedule_stack: a host's poll_at() looks at every connection.)
void World::expect_arrival(uint32_t h, Instant at) {
    HostRuntime& host = hosts_[h];
    if (host.stack_wake && *host.stack_wake <= at) return;
    sched_.cancel(host.actor);
    host.stack_wake = at;
    sched_.wake_at(host.actor, at);
}

// Programs blocked on this host call again (in the order they blocked).
// A program blocked in accept() whose listener has still nothing queued would only block again:
// it keeps waiting without a turn (a busy server's accept loop was woken by every packet, half of
// all program turns at N=1000 clients).
void World::notify_host(uint32_t h) {
    HostRuntime& host = hosts_[h];
    size_t kept = 0;
    for (uint32_t p : host.waiters) {
        const ProgramRuntime& prog = programs_[p];
        if (prog.accept_on != 0 && host.stack->accept_would_block(prog.accept_on)) {
            host.waiters[kept++] = p;
            continue;
        }
        sched_.wake_at(prog.actor, now());
    }
    host.waiters.resize(kept);
}

// What one stack operation produced: its events (state changes with their cause, timers,
// retransmissions, rejections, errors, notes), then its packets, then every socket row that
// changed. `op_first_event` is the first step of the operation (a Call or PacketDelivered).
// The caller reschedules the host's stack actor afterwards (its timers may have moved).
bool World::record_output(uint32_t h, StackOutput& out, uint32_t op_first_event, uint32_t program) {
    for (const StackEvent& se : out.events) {
        TraceEvent e;
        e.host = h;
        e.program = program;
        e.socket = se.socket;
        e.tuple = se.tuple;
        std::visit(Overloaded{
                       [&](const StateChanged& c) {
                           e.kind = EventKind::StateChange;
                           e.from = c.from;
                           e.to = c.to;
                           e.text = intern(c.cause);
                       },
                       [&](const TimerEvent& t) {
                           e.kind = EventKind::Timer;
                           e.timer = t.kind;
                           e.timer_action = t.action;
                           e.deadline = t.deadline;
                       },
                       [&](const Rejected& r) {
                           e.kind = EventKind::Rejected;
                           e.text = intern(r.reason);
                       },
                       [&](const Retransmission& r) {
                           e.kind = EventKind::Retransmit;
                           e.text = intern(fmt::format("seq={} len={} attempt {}, RTO now {}", r.seq.to_string(),
                                                       r.length, r.attempt, to_string(r.rto)));
                       },
                       [&](const ConnectionError& c) {
                           e.kind = EventKind::ConnError;
                           e.err = c.err;
                           e.text = intern(c.reason);
                       },
                       [&](const Note& n) {
                           e.kind = EventKind::Note;
                           e.text = intern(n.text);
                       },
                   },
                   se.what);
        event(e);
        if (e.kind == EventKind::StateChange && !captions_.empty()) caption_state(h, e.to, e.tuple);
    }
    for (Transmission& t : out.transmit) transmit(h, t);
    for (FrameTransmission& t : out.frames) transmit_frame(h, t);

    bool rows_changed = record_socket_rows(h, out, op_first_event);
    return !out.events.empty() || !out.transmit.empty() || !out.frames.empty() || rows_changed;
}

// Socket rows: the stack lists the sockets an operation created, changed or removed
// (StackOutput::changed); each is compared with what the trace last recorded of it.
// When a row is in force, so that every view agrees at every step (the state diagram reads the
// StateChange events, netstat and the variables read the rows):
// - a socket whose state changed: from each StateChange step, a row with that state (the
//   operation's final row; an intermediate state, SYN-RECEIVED -> ESTABLISHED -> CLOSE-WAIT in
//   one segment, gets the final row with its own state); a socket reaped by the operation is
//   gone from its last StateChange (to CLOSED), else its first event in the operation, else
//   the operation's first step;
// - any other changed socket: from the operation's first event about it, else its last step.
bool World::record_socket_rows(uint32_t h, StackOutput& out, uint32_t op_first_event) {
    HostRuntime& host = hosts_[h];
    const uint32_t end = uint32_t(trace_.events.size());
    const uint32_t last_step = end == 0 ? 0 : end - 1;
    std::vector<SocketId>& changed = out.changed;
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());

    // The operation's events about this host's sockets, by socket then step (a few at most).
    std::vector<std::pair<SocketId, uint32_t>>& about = op_events_;
    about.clear();
    for (uint32_t i = op_first_event; i < end; ++i) {
        const TraceEvent& e = trace_.events[i];
        if (e.host == h && e.socket != 0) about.emplace_back(e.socket, i);
    }
    std::sort(about.begin(), about.end());

    bool any = false;
    for (SocketId id : changed) {
        auto first = std::lower_bound(about.begin(), about.end(), std::pair{id, uint32_t(0)});
        auto last = std::upper_bound(first, about.end(), std::pair{id, kNone});
        std::optional<SocketInfo> row = host.stack->socket_info(id);
        auto known = host.known_rows.find(id);
        // Its StateChange steps in this operation: all but the last get an intermediate row.
        uint32_t final_step = first != last ? first->second : last_step;
        bool state_changed = false;
        for (auto it = first; it != last; ++it) {
            const TraceEvent& e = trace_.events[it->second];
            if (e.kind != EventKind::StateChange) continue;
            if (state_changed) {  // the previous one was not the last: its own row
                const SocketInfo* base = row ? &*row : (known != host.known_rows.end() ? &known->second : nullptr);
                if (base) {
                    SocketInfo mid = *base;
                    mid.state = trace_.events[final_step].to;
                    builder_.record_socket(h, mid, final_step);
                }
            }
            state_changed = true;
            final_step = it->second;
        }
        if (!row) {
            if (known == host.known_rows.end()) continue;
            // Without an event about it, from the operation's first step (after a Note that
            // announced it: World::close_at_exit).
            if (first == last) final_step = std::max(last_step, op_first_event);
            builder_.socket_gone(h, id, final_step);
            host.known_rows.erase(known);
            any = true;
            continue;
        }
        if (known != host.known_rows.end() && known->second == *row) continue;
        builder_.record_socket(h, *row, final_step);
        if (known != host.known_rows.end()) known->second = *row;
        else host.known_rows.emplace(id, *row);
        any = true;
    }
    return any;
}

}  // namespace netstep::sim::engine
