// The turns of a host's stack, and how what a stack does is written into the trace.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "sim/engine_world.hpp"

namespace netstep::sim::engine {

namespace {

// A stack whose timer stays due at the same instant after this many polls is a model bug: stop
// the run with an error instead of spinning forever.
constexpr uint64_t kMaxPollsPerInstant = 10'000;

// Up to this many sockets, a host's whole table is compared after each operation; beyond, only
// the sockets the operation can have touched (a busy server has thousands in TIME-WAIT, and dozens
// of connections at once: comparing them all was 2% of a 1,000-client run). Every scenario and
// benchmark gives the same trace, byte for byte, with this at 0 (always targeted) or at 64.
constexpr size_t kFullCompareMax = 8;

using PeerKey = std::tuple<uint16_t, uint32_t, uint16_t>;

void index_row(HostRuntime& host, const SocketInfo& row) {
    if (row.remote) host.by_peer.emplace(PeerKey{row.local.port, row.remote->address.value, row.remote->port}, row.id);
    else host.unconnected.emplace(row.local.port, row.id);
}

template <class Map, class Key>
void erase_entry(Map& map, const Key& key, SocketId id) {
    auto [first, last] = map.equal_range(key);
    for (auto it = first; it != last; ++it) {
        if (it->second == id) {
            map.erase(it);
            return;
        }
    }
}

void unindex_row(HostRuntime& host, const SocketInfo& row) {
    if (row.remote) erase_entry(host.by_peer, PeerKey{row.local.port, row.remote->address.value, row.remote->port}, row.id);
    else erase_entry(host.unconnected, row.local.port, row.id);
}

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
    bool changed = false;
    try {
        // 1. Packets whose last bit has arrived, by arrival time then by packet number.
        while (!host.inbox.empty() && host.inbox.begin()->first.first <= now()) {
            InFlight f = std::move(host.inbox.begin()->second);
            host.inbox.erase(host.inbox.begin());
            TracePacket& p = trace_.packets[f.packet];
            TraceEvent e;
            e.host = f.value ? h : p.from_host;
            e.packet = f.packet;
            if (!f.value) {
                // Lost on the way (a fault, random loss, the link was down): it never arrives.
                e.kind = EventKind::PacketDropped;
                trace_.packets[f.packet].end_step = event(e);
                continue;
            }
            uint32_t first = next_step();
            e.kind = EventKind::PacketDelivered;
            p.end_step = event(e);
            if (!captions_.empty()) {
                HopFacts hop = hop_facts(*f.value, p.from_host, owner_of(f.value->dst).value_or(kNone), h);
                caption_packet(CaptionWhen::Kind::Arrives, f.packet, hop);
            }
            StackOutput out;
            host.stack->receive(f.interface, *f.value, now(), out);
            record_output(h, out, first, kNone, 0, &*f.value);
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
bool World::record_output(uint32_t h, StackOutput& out, uint32_t op_first_event, uint32_t program,
                          SocketId call_socket, const Ipv4Packet* delivered) {
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

    bool rows_changed = record_socket_rows(h, op_first_event, call_socket, delivered);
    return !out.events.empty() || !out.transmit.empty() || rows_changed;
}

// Socket rows: compares the stack's table with what the trace last recorded, and records the
// rows that changed and the sockets that are gone. A row changed by this operation is in force
// from the operation's last event about that socket (so a StateChange step already shows the new
// state), else from the operation's last event.
bool World::record_socket_rows(uint32_t h, uint32_t op_first_event, SocketId call_socket, const Ipv4Packet* delivered) {
    HostRuntime& host = hosts_[h];
    uint32_t last_step = trace_.events.empty() ? 0 : uint32_t(trace_.events.size() - 1);

    // The sockets to look at, in id order (a vector kept between calls: no allocation).
    std::vector<SocketId>& candidates = candidates_;
    candidates.clear();
    if (host.known_rows.size() <= kFullCompareMax) {
        for (const auto& [id, row] : host.known_rows) candidates.push_back(id);
        host.stack->append_socket_ids(candidates);
    } else {
        for (uint32_t i = op_first_event; i < trace_.events.size(); ++i) {
            const TraceEvent& e = trace_.events[i];
            if (e.host == h && e.socket != 0) candidates.push_back(e.socket);
        }
        if (call_socket != 0) candidates.push_back(call_socket);
        if (delivered) {
            std::optional<uint16_t> sport, dport;
            if (const TcpSegment* t = delivered->tcp()) sport = t->src_port, dport = t->dst_port;
            if (const UdpDatagram* u = delivered->udp()) sport = u->src_port, dport = u->dst_port;
            if (dport) {
                auto [a, b] = host.by_peer.equal_range(PeerKey{*dport, delivered->src.value, *sport});
                for (auto it = a; it != b; ++it) candidates.push_back(it->second);
                auto [c, d] = host.unconnected.equal_range(*dport);
                for (auto it = c; it != d; ++it) candidates.push_back(it->second);
            }
        }
        // Sockets created by the operation (ids are never reused: new ones come after the rest).
        for (SocketId id = host.highest_seen + 1; host.stack->socket_info(id); ++id) candidates.push_back(id);
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

    bool changed = false;
    for (SocketId id : candidates) {
        std::optional<SocketInfo> row = host.stack->socket_info(id);
        auto known = host.known_rows.find(id);
        if (!row) {
            if (known == host.known_rows.end()) continue;
            builder_.socket_gone(h, id, last_step);
            unindex_row(host, known->second);
            host.known_rows.erase(known);
            changed = true;
            continue;
        }
        host.highest_seen = std::max(host.highest_seen, id);
        if (known != host.known_rows.end() && known->second == *row) continue;
        uint32_t step = last_step;
        for (uint32_t i = uint32_t(trace_.events.size()); i > op_first_event; --i) {
            const TraceEvent& e = trace_.events[i - 1];
            if (e.host == h && e.socket == id) {
                step = i - 1;
                break;
            }
        }
        builder_.record_socket(h, *row, step);
        if (known != host.known_rows.end()) {
            unindex_row(host, known->second);
            known->second = *row;
        } else {
            host.known_rows.emplace(id, *row);
        }
        index_row(host, *row);
        changed = true;
    }
    return changed;
}

}  // namespace netstep::sim::engine
