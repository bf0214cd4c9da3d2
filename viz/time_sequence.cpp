// The time-sequence graph's series, read from the decoded packets and the socket histories.
#include "viz/time_sequence.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "sim/journey.hpp"

namespace netstep::viz {

namespace {

bool is_tcp(const PacketInfo& p) { return p.ok && p.proto == ip_proto::TCP; }

// The packet as its sender first put it on the wire (not a router's copy, not a duplicate fault's).
bool first_hop(const TraceView& view, uint32_t i) {
    const sim::TracePacket& tp = view.trace().packets[i];
    if (tp.duplicate_of != kNone) return false;
    auto owner = view.index().host_of(view.packet(i).src.address);
    return owner && *owner == tp.from_host;
}

uint32_t seq_length(const PacketInfo& p) {
    return p.payload + ((p.flags & tcp_flag::SYN) ? 1u : 0u) + ((p.flags & tcp_flag::FIN) ? 1u : 0u);
}

}  // namespace

std::vector<TsgConnection> tcp_connections(const TraceView& view) {
    std::vector<TsgConnection> out;
    std::map<std::pair<Endpoint, Endpoint>, size_t> by_ends;  // (lower, higher) -> index in out
    for (uint32_t i = 0; i < view.trace().packets.size(); ++i) {
        const PacketInfo& p = view.packet(i);
        if (!is_tcp(p) || !first_hop(view, i)) continue;
        auto [it, added] = by_ends.try_emplace(std::minmax(p.src, p.dst), out.size());
        if (added) out.push_back(TsgConnection{p.src, p.dst, i, 0, 0});
        TsgConnection& c = out[it->second];
        (c.a == p.src ? c.bytes_ab : c.bytes_ba) += p.payload;
    }
    return out;
}

uint32_t default_connection(const std::vector<TsgConnection>& connections, const TraceView& view, uint32_t packet) {
    if (packet < view.trace().packets.size() && is_tcp(view.packet(packet))) {
        const PacketInfo& p = view.packet(packet);
        for (uint32_t c = 0; c < connections.size(); ++c) {
            const TsgConnection& k = connections[c];
            if ((k.a == p.src && k.b == p.dst) || (k.a == p.dst && k.b == p.src)) return c;
        }
    }
    for (uint32_t c = 0; c < connections.size(); ++c)
        if (connections[c].bytes_ab + connections[c].bytes_ba > 0) return c;
    return connections.empty() ? kNone : 0;
}

TimeSequence time_sequence(const TraceView& view, Endpoint from, Endpoint to) {
    const sim::Trace& trace = view.trace();
    TimeSequence ts;
    ts.from = from;
    ts.to = to;
    uint32_t sent_max = 0;   // the highest end sent so far
    uint32_t first_data = kNone;
    for (uint32_t i = 0; i < trace.packets.size(); ++i) {
        const PacketInfo& p = view.packet(i);
        if (!is_tcp(p) || !first_hop(view, i)) continue;
        const sim::TracePacket& tp = trace.packets[i];
        if (p.src == from && p.dst == to) {
            uint32_t len = seq_length(p);
            if (len == 0) continue;  // a bare ACK of this side carries no sequence space
            TsgSegment s;
            s.time = tp.sent;
            s.seq = p.rel_seq;
            s.end = p.rel_seq + len;
            s.packet = i;
            s.step = tp.sent_step;
            s.retransmit = !ts.segments.empty() && s.end <= sent_max;
            std::vector<sim::JourneyHop> hops = sim::journey(trace, i);
            s.dropped = tp.dropped || (!hops.empty() && hops.back().dropped);
            sent_max = std::max(sent_max, s.end);
            ts.segments.push_back(s);
            if (first_data == kNone) first_data = i;
        } else if (p.src == to && p.dst == from && (p.flags & tcp_flag::ACK)) {
            // What reached the sender: the last hop's arrival (a router may stand between).
            std::vector<sim::JourneyHop> hops = sim::journey(trace, i);
            const sim::TracePacket& last = hops.empty() ? tp : trace.packets[hops.back().packet];
            if (last.dropped || last.end_step == kNone) continue;
            ts.acks.push_back({last.arrives, p.rel_ack, p.rel_ack + p.scaled_window(), i, last.end_step});
        }
    }
    std::stable_sort(ts.acks.begin(), ts.acks.end(), [](const TsgAck& a, const TsgAck& b) { return a.step < b.step; });
    // The sender's congestion window, from its socket's recorded rows.
    if (first_data != kNone) {
        ConnectionEnds ends = view.connection_of_packet(first_data);
        auto sender = view.index().host_of(from.address);
        uint32_t history = kNone;
        for (uint32_t h : {ends.a, ends.b})
            if (h != kNone && sender && trace.sockets[h].host == *sender) history = h;
        if (history != kNone) {
            const sim::SocketHistory& sh = trace.sockets[history];
            for (size_t r = 0; r < sh.rows.size(); ++r) {
                SocketInfo row = sh.rows[r];
                if (!row.vars || row.vars->cwnd == 0) continue;
                const TcpVars& v = *row.vars;
                TsgCwnd c{view.time_at(sh.steps[r]), uint32_t(v.snd_una - v.iss), v.cwnd, v.ssthresh, sh.steps[r]};
                if (!ts.cwnd.empty() && ts.cwnd.back().cwnd == c.cwnd && ts.cwnd.back().una == c.una) continue;
                ts.cwnd.push_back(c);
            }
        }
    }
    // The extent of every line.
    bool any = false;
    auto extend = [&](Instant t, uint32_t seq) {
        if (!any) ts.t0 = ts.t1 = t;
        any = true;
        ts.t0 = std::min(ts.t0, t);
        ts.t1 = std::max(ts.t1, t);
        ts.max_seq = std::max(ts.max_seq, seq);
    };
    for (const TsgSegment& s : ts.segments) extend(s.time, s.end);
    for (const TsgAck& a : ts.acks) extend(a.time, a.ack);
    ts.max_data = ts.max_seq;
    for (const TsgCwnd& c : ts.cwnd) {
        extend(c.time, c.una + c.cwnd);
        ts.max_cwnd = std::max(ts.max_cwnd, c.una + c.cwnd);
    }
    for (const TsgAck& a : ts.acks) extend(a.time, a.window_end);
    return ts;
}

}  // namespace netstep::viz
