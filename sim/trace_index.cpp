// TraceIndex: sorted step lists and a segment tree, built once, so that every query is a binary
// search (or a pruned tree walk) instead of a replay of the trace.
#include "sim/trace_index.hpp"

#include <algorithm>

#include "model/wire/wire.hpp"

namespace netstep::sim {

TraceIndex::TraceIndex(const Trace& trace) : trace_(trace) {
    index_sockets();
    index_events();
    index_packets();
    index_addresses();
    index_window_scales();
    for (const TraceHost& h : trace_.hosts) has_router_ = has_router_ || h.forwarding;
}

// Window scaling (RFC 7323 §2.2): the shift a host announces in its SYN applies to the windows
// it sends after the handshake, once the other end's SYN carried the option too; never to a
// SYN's own window. Only the linux profile sends the option: a textbook trace is not parsed.
void TraceIndex::index_window_scales() {
    if (trace_.profile != "linux") return;
    struct Pending {
        std::optional<uint8_t> syn;     // the active opener's announced shift
        std::optional<uint8_t> agreed;  // this direction's shift, once both agreed
    };
    // By direction "src > dst" (address and port of both ends).
    std::map<std::pair<uint64_t, uint64_t>, Pending> directions;
    auto key = [](Endpoint e) { return uint64_t(e.address.value) << 16 | e.port; };
    window_shift_.assign(trace_.packets.size(), 0);
    for (uint32_t i : by_sent_) {
        wire::ParseResult parsed = wire::parse(trace_.ip_bytes(trace_.packets[i]));
        if (!parsed.ok() || !parsed.packet->tcp()) continue;
        const Ipv4Packet& p = *parsed.packet;
        const TcpSegment& s = *p.tcp();
        std::pair<uint64_t, uint64_t> out{key({p.src, s.src_port}), key({p.dst, s.dst_port})};
        std::pair<uint64_t, uint64_t> back{out.second, out.first};
        if (s.has(tcp_flag::SYN) && !s.has(tcp_flag::ACK)) {
            directions[out] = Pending{s.window_scale, std::nullopt};  // a new connection
            directions[back].agreed.reset();
        } else if (s.has(tcp_flag::SYN)) {
            Pending& opener = directions[back];
            if (opener.syn && s.window_scale) {
                opener.agreed = opener.syn;
                directions[out].agreed = s.window_scale;
            }
        } else if (auto it = directions.find(out); it != directions.end() && it->second.agreed) {
            window_shift_[i] = *it->second.agreed;
        }
    }
}

uint8_t TraceIndex::window_shift(uint32_t packet) const {
    return packet < window_shift_.size() ? window_shift_[packet] : 0;
}

std::optional<uint32_t> TraceIndex::effective_window(uint32_t packet) const {
    if (packet >= trace_.packets.size()) return std::nullopt;
    wire::ParseResult parsed = wire::parse(trace_.ip_bytes(trace_.packets[packet]));
    if (!parsed.ok() || !parsed.packet->tcp()) return std::nullopt;
    return uint32_t(parsed.packet->tcp()->window) << window_shift(packet);
}

// ---------------------------------------------------------------------------------------------
// Building

void TraceIndex::index_sockets() {
    host_sockets_.resize(trace_.hosts.size());
    for (uint32_t i = 0; i < trace_.sockets.size(); ++i) {
        uint32_t host = trace_.sockets[i].host;
        if (host >= host_sockets_.size()) host_sockets_.resize(host + 1);
        host_sockets_[host].push_back(i);
    }
    for (auto& list : host_sockets_) {
        std::stable_sort(list.begin(), list.end(), [this](uint32_t a, uint32_t b) {
            return trace_.sockets[a].id < trace_.sockets[b].id;
        });
    }
}

void TraceIndex::index_events() {
    captions_by_program_.resize(trace_.programs.size());
    for (uint32_t step = 0; step < trace_.events.size(); ++step) {
        const TraceEvent& e = trace_.events[step];
        steps_by_kind_[size_t(e.kind)].push_back(step);
        bool packet = e.kind == EventKind::PacketSent || e.kind == EventKind::PacketDelivered ||
                      e.kind == EventKind::PacketDropped;
        if (packet) steps_by_group_[size_t(StepKind::Packet)].push_back(step);
        if (is_error(e)) steps_by_group_[size_t(StepKind::Error)].push_back(step);
        if (e.kind == EventKind::StateChange) {
            steps_by_group_[size_t(StepKind::StateChange)].push_back(step);
            state_changes_[{e.host, e.socket}].push_back(step);
        }
        if (e.kind == EventKind::Caption) {
            steps_by_group_[size_t(StepKind::Caption)].push_back(step);
            if (e.program < captions_by_program_.size()) captions_by_program_[e.program].push_back(step);
        }
    }
}

void TraceIndex::index_packets() {
    const auto& packets = trace_.packets;
    by_sent_.resize(packets.size());
    for (uint32_t i = 0; i < packets.size(); ++i) by_sent_[i] = i;
    std::stable_sort(by_sent_.begin(), by_sent_.end(), [&packets](uint32_t a, uint32_t b) {
        return packets[a].sent_step < packets[b].sent_step;
    });
    if (by_sent_.empty()) return;
    max_end_.assign(4 * by_sent_.size(), 0);
    // Iterative bottom-up fill of the recursive layout: node 1 covers [0, n), children 2i, 2i+1.
    struct Range { size_t node, lo, hi; bool children_done; };
    std::vector<Range> stack{{1, 0, by_sent_.size(), false}};
    while (!stack.empty()) {
        Range r = stack.back();
        stack.pop_back();
        if (r.hi - r.lo == 1) {
            max_end_[r.node] = packets[by_sent_[r.lo]].end_step;
            continue;
        }
        size_t mid = (r.lo + r.hi) / 2;
        if (r.children_done) {
            max_end_[r.node] = std::max(max_end_[2 * r.node], max_end_[2 * r.node + 1]);
            continue;
        }
        stack.push_back({r.node, r.lo, r.hi, true});
        stack.push_back({2 * r.node, r.lo, mid, false});
        stack.push_back({2 * r.node + 1, mid, r.hi, false});
    }
}

void TraceIndex::index_addresses() {
    for (uint32_t h = 0; h < trace_.hosts.size(); ++h) {
        for (const InterfaceConfig& iface : trace_.hosts[h].interfaces) {
            address_owner_.try_emplace(iface.address.address.value, h);  // the first owner wins
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sockets

namespace {

// The row of `history` in force at `step`, if the socket exists then.
std::optional<SocketInfo> row_at(const SocketHistory& history, uint32_t step) {
    if (step >= history.gone_step) return std::nullopt;
    auto it = std::upper_bound(history.steps.begin(), history.steps.end(), step);
    if (it == history.steps.begin()) return std::nullopt;
    size_t i = size_t(it - history.steps.begin()) - 1;
    if (i >= history.rows.size()) return std::nullopt;
    return history.rows[i];
}

}  // namespace

std::span<const uint32_t> TraceIndex::histories_of(uint32_t host) const {
    if (host >= host_sockets_.size()) return {};
    return host_sockets_[host];
}

std::vector<SocketInfo> TraceIndex::sockets_at(uint32_t host, uint32_t step) const {
    std::vector<SocketInfo> rows;
    if (host >= host_sockets_.size()) return rows;
    for (uint32_t i : host_sockets_[host]) {
        if (auto row = row_at(trace_.sockets[i], step)) rows.push_back(std::move(*row));
    }
    return rows;
}

std::optional<SocketInfo> TraceIndex::socket_at(uint32_t host, SocketId id, uint32_t step) const {
    const SocketHistory* history = history_of(host, id);
    if (!history) return std::nullopt;
    return row_at(*history, step);
}

const SocketHistory* TraceIndex::history_of(uint32_t host, SocketId id) const {
    if (host >= host_sockets_.size()) return nullptr;
    const auto& list = host_sockets_[host];
    auto it = std::lower_bound(list.begin(), list.end(), id, [this](uint32_t i, SocketId value) {
        return trace_.sockets[i].id < value;
    });
    if (it == list.end() || trace_.sockets[*it].id != id) return nullptr;
    return &trace_.sockets[*it];
}

std::span<const uint32_t> TraceIndex::state_changes_of(uint32_t host, SocketId id) const {
    auto it = state_changes_.find({host, id});
    if (it == state_changes_.end()) return {};
    return it->second;
}

// ---------------------------------------------------------------------------------------------
// Packets in flight

std::vector<uint32_t> TraceIndex::packets_in_flight(uint32_t step) const {
    std::vector<uint32_t> out;
    // Only packets sent at or before `step` qualify: a prefix of the by-sent order.
    auto sent = std::upper_bound(by_sent_.begin(), by_sent_.end(), step, [this](uint32_t s, uint32_t i) {
        return s < trace_.packets[i].sent_step;
    });
    size_t prefix = size_t(sent - by_sent_.begin());
    if (prefix > 0) collect_in_flight(1, 0, by_sent_.size(), {prefix, step}, out);
    std::sort(out.begin(), out.end());
    return out;
}

// Walks the tree over positions [lo, hi) of the by-sent order, entering only subtrees that start
// inside the prefix and hold a packet whose end_step is after the step.
void TraceIndex::collect_in_flight(size_t node, size_t lo, size_t hi, FlightQuery q,
                                   std::vector<uint32_t>& out) const {
    if (lo >= q.prefix || max_end_[node] <= q.step) return;
    if (hi - lo == 1) {
        out.push_back(by_sent_[lo]);
        return;
    }
    size_t mid = (lo + hi) / 2;
    collect_in_flight(2 * node, lo, mid, q, out);
    collect_in_flight(2 * node + 1, mid, hi, q, out);
}

// ---------------------------------------------------------------------------------------------
// Captions and jumps

std::optional<uint32_t> TraceIndex::after(const std::vector<uint32_t>& steps, uint32_t from) {
    auto it = std::upper_bound(steps.begin(), steps.end(), from);
    if (it == steps.end()) return std::nullopt;
    return *it;
}

std::optional<uint32_t> TraceIndex::before(const std::vector<uint32_t>& steps, uint32_t from) {
    auto it = std::lower_bound(steps.begin(), steps.end(), from);
    if (it == steps.begin()) return std::nullopt;
    return *(it - 1);
}

std::optional<uint32_t> TraceIndex::at_or_before(const std::vector<uint32_t>& steps, uint32_t at) {
    auto it = std::upper_bound(steps.begin(), steps.end(), at);
    if (it == steps.begin()) return std::nullopt;
    return *(it - 1);
}

std::optional<uint32_t> TraceIndex::caption_at(uint32_t step, uint32_t program) const {
    if (program == kNone) return at_or_before(steps_by_kind_[size_t(EventKind::Caption)], step);
    if (program >= captions_by_program_.size()) return std::nullopt;
    return at_or_before(captions_by_program_[program], step);
}

std::optional<uint32_t> TraceIndex::next_step(uint32_t from, StepKind kind) const {
    return after(steps_by_group_[size_t(kind)], from);
}

std::optional<uint32_t> TraceIndex::prev_step(uint32_t from, StepKind kind) const {
    return before(steps_by_group_[size_t(kind)], from);
}

std::optional<uint32_t> TraceIndex::next_step(uint32_t from, EventKind kind) const {
    return after(steps_by_kind_[size_t(kind)], from);
}

std::optional<uint32_t> TraceIndex::prev_step(uint32_t from, EventKind kind) const {
    return before(steps_by_kind_[size_t(kind)], from);
}

std::optional<uint32_t> TraceIndex::next_step(uint32_t from, const EventPredicate& pred) const {
    for (size_t step = size_t(from) + 1; step < trace_.events.size(); ++step) {
        if (pred(trace_.events[step])) return uint32_t(step);
    }
    return std::nullopt;
}

std::optional<uint32_t> TraceIndex::prev_step(uint32_t from, const EventPredicate& pred) const {
    size_t step = std::min(size_t(from), trace_.events.size());
    while (step > 0) {
        --step;
        if (pred(trace_.events[step])) return uint32_t(step);
    }
    return std::nullopt;
}

uint32_t TraceIndex::step_at_time(Instant t) const {
    auto it = std::partition_point(trace_.events.begin(), trace_.events.end(),
                                   [t](const TraceEvent& e) { return e.time < t; });
    return uint32_t(it - trace_.events.begin());
}

bool TraceIndex::is_error(const TraceEvent& e) {
    switch (e.kind) {
        case EventKind::PacketDropped:
        case EventKind::Rejected:
        case EventKind::ConnError:
        case EventKind::ExpectFailed:
        case EventKind::Blocked:
            return true;
        case EventKind::Call:
            return e.err.has_value();
        default:
            return false;
    }
}

// ---------------------------------------------------------------------------------------------
// Names

std::optional<uint32_t> TraceIndex::host_of(Ipv4Address address) const {
    auto it = address_owner_.find(address.value);
    if (it == address_owner_.end()) return std::nullopt;
    return it->second;
}

std::string TraceIndex::address_name(Ipv4Address address) const {
    auto host = host_of(address);
    return host ? trace_.hosts[*host].name : address.to_string();
}

std::string TraceIndex::endpoint_name(Endpoint endpoint) const {
    std::string text = address_name(endpoint.address);
    text += ':';
    text += std::to_string(endpoint.port);
    return text;
}

std::string TraceIndex::local_name(uint32_t host, Endpoint local) const {
    if (local.address.is_unspecified() && host < trace_.hosts.size()) {
        return trace_.hosts[host].name + ":" + std::to_string(local.port);
    }
    return endpoint_name(local);
}

std::string TraceIndex::host_name(uint32_t host) const {
    if (host == kNone) return "-";
    if (host >= trace_.hosts.size()) return "host " + std::to_string(host);
    return trace_.hosts[host].name;
}

std::string TraceIndex::program_name(uint32_t program) const {
    if (program == kNone) return "-";
    if (program >= trace_.programs.size()) return "program " + std::to_string(program);
    return trace_.programs[program].name;
}

std::string TraceIndex::describe_packet(uint32_t packet) const {
    if (packet >= trace_.packets.size()) return "(no packet)";
    const TracePacket& tp = trace_.packets[packet];
    const Bytes& bytes = tp.bytes;
    if (std::optional<ArpPacket> arp = trace_.arp(tp)) return describe_arp(tp, *arp);
    wire::ParseResult parsed = wire::parse(trace_.ip_bytes(tp));
    if (!parsed.ok()) {
        return "malformed packet, " + std::to_string(bytes.size()) + " bytes (" + parsed.error + ")";
    }
    return describe_packet(*parsed.packet, window_shift(packet));
}

// "laptop > broadcast ARP who-has 192.168.1.30 (printer) tell 192.168.1.10 (laptop)",
// "printer > laptop ARP 192.168.1.30 (printer) is-at 02:5c:..": tcpdump's words, with names.
std::string TraceIndex::describe_arp(const TracePacket& tp, const ArpPacket& arp) const {
    auto named = [this](Ipv4Address a) {
        std::string name = address_name(a);
        return name == a.to_string() ? name : a.to_string() + " (" + name + ")";
    };
    std::string text = host_name(tp.from_host) + " > " + (tp.to_host == kNone ? "broadcast" : host_name(tp.to_host));
    if (arp.op == ArpPacket::Op::Request) return text + " ARP who-has " + named(arp.target_ip) + " tell " + named(arp.sender_ip);
    return text + " ARP " + named(arp.sender_ip) + " is-at " + arp.sender_mac.to_string();
}

std::string TraceIndex::describe_packet(const Ipv4Packet& p, uint8_t window_shift) const {
    std::string text;
    if (const TcpSegment* s = p.tcp()) {
        text = endpoint_name({p.src, s->src_port});
        text += " > ";
        text += endpoint_name({p.dst, s->dst_port});
        text += " TCP ";
        text += s->to_string(uint32_t(s->window) << window_shift);
    } else if (const UdpDatagram* d = p.udp()) {
        text = endpoint_name({p.src, d->src_port}) + " > " + endpoint_name({p.dst, d->dst_port}) + " " + d->to_string();
    } else {
        text = address_name(p.src) + " > " + address_name(p.dst) + " " + p.icmp()->to_string();
    }
    if (has_router_) {
        text += " ttl=";
        text += std::to_string(p.ttl);
    }
    return text;
}

}  // namespace netstep::sim
