// TraceView: packets decoded for drawing, connection pairing, one line of text per event.
#include "viz/trace_view.hpp"

#include <algorithm>
#include <utility>

#include "model/wire/wire.hpp"
#include "sim/relative_seq.hpp"

namespace netstep::viz {

namespace {

// The headers the views show, read by the one decoder (model/wire); relative numbers come later.
PacketInfo decode(std::span<const uint8_t> bytes) {
    PacketInfo p;
    wire::ParseResult parsed = wire::parse(bytes);
    if (!parsed.ok()) return p;
    const Ipv4Packet& ip = *parsed.packet;
    p.ok = true;
    p.proto = ip.protocol();
    p.ttl = ip.ttl;
    p.src.address = ip.src;
    p.dst.address = ip.dst;
    if (const TcpSegment* t = ip.tcp()) {
        p.src.port = t->src_port;
        p.dst.port = t->dst_port;
        p.seq = t->seq.value;
        p.ack = t->ack.value;
        p.flags = t->flags;
        p.window = t->window;
        p.payload = uint32_t(t->payload.size());
    } else if (const UdpDatagram* u = ip.udp()) {
        p.src.port = u->src_port;
        p.dst.port = u->dst_port;
        p.payload = uint32_t(u->payload.size());
    } else if (const IcmpMessage* m = ip.icmp()) {
        p.icmp_type = m->type;
        p.icmp_code = m->code;
        p.payload = uint32_t(m->data.size());
    }
    return p;
}

PacketKind tcp_kind(const PacketInfo& p) {
    bool syn = p.flags & tcp_flag::SYN, ack = p.flags & tcp_flag::ACK;
    if (p.flags & tcp_flag::RST) return PacketKind::Rst;
    if (syn) return ack ? PacketKind::SynAck : PacketKind::Syn;
    if (p.flags & tcp_flag::FIN) return PacketKind::Fin;
    if (p.payload > 0) return PacketKind::Data;
    return PacketKind::Ack;
}

// "ARP who-has 192.168.1.30?" (a request, RFC 826 op 1), "ARP 192.168.1.30 is-at 02:4e:.." (a reply).
std::string arp_label(const ArpPacket& arp) {
    if (arp.op == ArpPacket::Op::Request) return "ARP who-has " + arp.target_ip.to_string() + "?";
    return "ARP " + arp.sender_ip.to_string() + " is-at " + arp.sender_mac.to_string();
}

std::string icmp_label(const PacketInfo& p) {
    switch (p.icmp_type) {
        case 0: return "ICMP echo reply";
        case 8: return "ICMP echo request";
        case 11: return "ICMP time exceeded";
        case 3: return p.icmp_code == 3 ? "ICMP port unreachable" : "ICMP unreachable";
        default: return "ICMP type " + std::to_string(p.icmp_type);
    }
}

// "SYN seq=0", "SYN+ACK seq=0 ack=1", "ACK ack=1", "seq=1 len=18", "FIN+ACK seq=19 ack=26".
std::string tcp_label(const PacketInfo& p) {
    std::string text;
    bool data_only = p.kind == PacketKind::Data && !(p.flags & (tcp_flag::FIN | tcp_flag::SYN));
    if (!data_only) text = tcp_flags_to_string(p.flags & ~tcp_flag::PSH);
    if (p.kind == PacketKind::Rst) return text;
    bool show_seq = p.kind != PacketKind::Ack;
    if (show_seq) text += (text.empty() ? "" : " ") + std::string("seq=") + std::to_string(p.rel_seq);
    if (p.flags & tcp_flag::ACK) text += (text.empty() ? "" : " ") + std::string("ack=") + std::to_string(p.rel_ack);
    if (p.payload > 0) text += " len=" + std::to_string(p.payload);
    return text;
}

}  // namespace

TraceView::TraceView(const sim::Trace& trace) : trace_(&trace), index_(trace), time_unit_(sim::time_unit_of(trace)) {
    decode_packets();
    index_udp();
    network_hosts_.resize(trace.networks.size());
    for (uint32_t h = 0; h < trace.hosts.size(); ++h) {
        for (const InterfaceConfig& itf : trace.hosts[h].interfaces) {
            for (uint32_t n = 0; n < trace.networks.size(); ++n) {
                std::vector<uint32_t>& on = network_hosts_[n];
                if (trace.networks[n].name == itf.network && (on.empty() || on.back() != h)) on.push_back(h);
            }
        }
    }
    for (uint32_t step = 0; step < trace.events.size(); ++step) {
        const sim::TraceEvent& e = trace.events[step];
        if (e.kind == sim::EventKind::PacketDelivered && e.packet < trace.packets.size() && trace.packets[e.packet].flooded)
            flooded_deliveries_[e.packet].emplace_back(e.host, step);
    }
    has_router_ = std::any_of(trace.hosts.begin(), trace.hosts.end(), [](const sim::TraceHost& h) { return h.forwarding; });
}

const sim::Snapshot& TraceView::snapshot(uint32_t step) const {
    step = std::min(step, last_step());
    if (!snapshot_ || snapshot_->step() != step) snapshot_.emplace(index_, step);
    return *snapshot_;
}

Instant TraceView::time_at(uint32_t step) const {
    return event_at(step).time;
}

const sim::TraceEvent& TraceView::event_at(uint32_t step) const {
    static const sim::TraceEvent kNoEvent;
    if (trace_->events.empty()) return kNoEvent;
    return trace_->events[std::min(step, last_step())];
}

void TraceView::decode_packets() {
    // Each direction's ISN: the seq of its first SYN (or of its first segment, mid-connection).
    sim::RelativeSeq relative;
    packets_.reserve(trace_->packets.size());
    for (const sim::TracePacket& tp : trace_->packets) {
        PacketInfo p = decode(trace_->ip_bytes(tp));
        if (!p.ok) {
            if ((p.arp = trace_->arp(tp))) {
                p.src.address = p.arp->sender_ip;
                p.dst.address = p.arp->target_ip;
            }
        }
        if (p.ok && p.proto == 6) {
            relative.see(p.src, p.dst, (p.flags & tcp_flag::SYN) != 0, p.seq);
        }
        // The window as the receiver reads it (RFC 7323): the index's one rule.
        if (uint8_t shift = index_.window_shift(uint32_t(packets_.size()))) p.window_shift = shift;
        packets_.push_back(std::move(p));
    }
    for (PacketInfo& p : packets_) {
        if (p.arp) { p.kind = PacketKind::Arp; p.label = arp_label(*p.arp); continue; }
        if (!p.ok) { p.label = "?"; continue; }
        if (p.proto == 17) { p.kind = PacketKind::Udp; p.label = "UDP " + std::to_string(p.payload) + " B"; continue; }
        if (p.proto == 1) { p.kind = PacketKind::Icmp; p.label = icmp_label(p); continue; }
        p.rel_seq = relative.seq(p.src, p.dst, p.seq);
        p.rel_ack = relative.ack(p.src, p.dst, p.ack);
        p.kind = tcp_kind(p);

        p.label = tcp_label(p);
    }
}

// The UDP socket of `host` bound to `port` at `step`.
std::optional<uint32_t> TraceView::udp_socket(uint32_t host, uint16_t port, uint32_t step) const {
    for (uint32_t h : index_.histories_of(host)) {
        if (trace_->sockets[h].rows.empty() || trace_->sockets[h].rows[0].type != SocketType::Udp) continue;
        sim::SocketAt at = sim::socket_at(*trace_, h, step);
        if (at.phase == sim::SocketPhase::Live && at.row.local.port == port) return h;
    }
    return std::nullopt;
}

void TraceView::index_udp() {
    for (uint32_t h = 0; h < trace_->sockets.size(); ++h) {
        const sim::SocketHistory& history = trace_->sockets[h];
        bool udp = !history.rows.empty() && history.rows[0].type == SocketType::Udp;
        if (udp) udp_sockets_.push_back(h);
        else if (!history.rows.empty()) has_tcp_ = true;
    }
    if (udp_sockets_.empty()) return;
    for (uint32_t i = 0; i < trace_->packets.size(); ++i) {
        const sim::TracePacket& tp = trace_->packets[i];
        const PacketInfo& p = packets_[i];
        if (!p.ok || tp.duplicate_of != kNone) continue;
        if (p.proto == ip_proto::UDP) {
            if (auto from = udp_socket(tp.from_host, p.src.port, tp.sent_step); from && index_.host_of(p.src.address) == tp.from_host) {
                udp_steps_[*from].sent.push_back(tp.sent_step);
                if (tp.dropped && tp.end_step != kNone) udp_steps_[*from].lost.push_back(tp.end_step);
            }
            if (!tp.dropped && tp.end_step != kNone && index_.host_of(p.dst.address) == tp.to_host) {
                if (auto to = udp_socket(tp.to_host, p.dst.port, tp.end_step)) udp_steps_[*to].received.push_back(tp.end_step);
            }
        } else if (p.proto == ip_proto::ICMP && (p.icmp_type == icmp_type::DEST_UNREACHABLE || p.icmp_type == icmp_type::TIME_EXCEEDED) &&
                   !tp.dropped && tp.end_step != kNone) {
            // The quoted datagram (RFC 792): its IPv4 header, then its UDP ports.
            wire::ParseResult parsed = wire::parse(trace_->ip_bytes(tp));
            const IcmpMessage* m = parsed.ok() ? parsed.packet->icmp() : nullptr;
            if (!m || m->data.size() < 28 || m->data[9] != ip_proto::UDP) continue;
            size_t ihl = size_t(m->data[0] & 0x0F) * 4;
            if (m->data.size() < ihl + 4) continue;
            uint16_t port = uint16_t((m->data[ihl] << 8) | m->data[ihl + 1]);
            if (auto to = udp_socket(tp.to_host, port, tp.end_step)) udp_steps_[*to].icmp_errors.push_back(tp.end_step);
        }
    }
    for (auto& [h, steps] : udp_steps_) {
        for (auto* v : {&steps.sent, &steps.received, &steps.lost, &steps.icmp_errors}) std::sort(v->begin(), v->end());
    }
}

UdpCounts TraceView::udp_counts(uint32_t history, uint32_t step) const {
    auto it = udp_steps_.find(history);
    if (it == udp_steps_.end()) return {};
    auto upto = [step](const std::vector<uint32_t>& v) {
        return uint32_t(std::upper_bound(v.begin(), v.end(), step) - v.begin());
    };
    return {upto(it->second.sent), upto(it->second.received), upto(it->second.lost), upto(it->second.icmp_errors)};
}

const std::vector<uint32_t>& TraceView::hosts_on(uint32_t network) const {
    static const std::vector<uint32_t> kNoHosts;
    return network < network_hosts_.size() ? network_hosts_[network] : kNoHosts;
}

uint32_t TraceView::addressee(uint32_t packet) const {
    if (packet >= trace_->packets.size()) return kNone;
    const PacketInfo& info = packets_[packet];
    if (info.arp && info.arp->op == ArpPacket::Op::Request) return index_.host_of(info.arp->target_ip).value_or(kNone);
    return trace_->packets[packet].to_host;
}

std::vector<Reception> TraceView::receptions(uint32_t packet) const {
    std::vector<Reception> out;
    if (packet >= trace_->packets.size()) return out;
    const sim::TracePacket& p = trace_->packets[packet];
    if (p.dropped) return out;
    if (!p.flooded) {
        if (p.to_host != kNone) out.push_back({p.to_host, p.end_step, true});
        return out;
    }
    auto it = flooded_deliveries_.find(packet);
    for (uint32_t h : hosts_on(p.network)) {
        if (h == p.from_host) continue;
        Reception r{h, p.end_step, false};
        if (it != flooded_deliveries_.end()) {
            for (auto [host, step] : it->second)
                if (host == h) r = {h, step, true};
        }
        // A broadcast is every host's (each takes it); a flooded unicast only its addressee's.
        if (p.to_host == kNone || p.to_host == h) r.taken = true;
        out.push_back(r);
    }
    return out;
}

double TraceView::progress(uint32_t packet, Instant t) const {
    const sim::TracePacket& p = trace_->packets[packet];
    double span = double((p.arrives - p.sent).ns);
    if (span <= 0) return t >= p.arrives ? 1.0 : 0.0;
    return std::clamp(double((t - p.sent).ns) / span, 0.0, 1.0);
}

std::optional<uint32_t> TraceView::history_of(uint32_t host, uint32_t socket) const {
    const sim::SocketHistory* h = index_.history_of(host, socket);
    if (!h) return std::nullopt;
    return uint32_t(h - trace_->sockets.data());
}

std::optional<uint32_t> TraceView::find_by_tuple(uint32_t host, const FourTuple& t) const {
    for (uint32_t i = 0; i < trace_->sockets.size(); ++i) {
        const sim::SocketHistory& h = trace_->sockets[i];
        if (h.host != host) continue;
        for (const SocketInfo& row : h.rows) {
            if (row.remote && *row.remote == t.remote && row.local.port == t.local.port &&
                (row.local.address == t.local.address || row.local.address.is_unspecified()))
                return i;
        }
    }
    return std::nullopt;
}

ConnectionEnds TraceView::connection_of_packet(uint32_t packet) const {
    const PacketInfo& p = packets_[packet];
    ConnectionEnds ends;
    if (!p.ok || p.proto == 1) return ends;
    if (auto h = index_.host_of(p.src.address)) ends.a = find_by_tuple(*h, {p.src, p.dst}).value_or(kNone);
    if (auto h = index_.host_of(p.dst.address)) ends.b = find_by_tuple(*h, {p.dst, p.src}).value_or(kNone);
    return ordered(ends);
}

ConnectionEnds TraceView::connection_of(uint32_t history) const {
    ConnectionEnds ends{history, kNone};
    const sim::SocketHistory& h = trace_->sockets[history];
    for (const SocketInfo& row : h.rows) {
        if (!row.remote) continue;
        if (auto peer_host = index_.host_of(row.remote->address)) {
            FourTuple mine{row.local, *row.remote};
            if (mine.local.address.is_unspecified()) mine.local.address = row.remote->address;  // unlikely
            ends.b = find_by_tuple(*peer_host, mine.reversed()).value_or(kNone);
        }
        break;
    }
    return ordered(ends);
}

// End A is the socket created first (the client, for a connection accepted from a listener), so
// each end keeps its color whichever packet or socket selected the connection.
ConnectionEnds TraceView::ordered(ConnectionEnds ends) const {
    if (ends.a == kNone) std::swap(ends.a, ends.b);
    if (ends.b == kNone) return ends;
    auto first = [&](uint32_t h) { return trace_->sockets[h].steps.empty() ? kNone : trace_->sockets[h].steps.front(); };
    if (first(ends.b) < first(ends.a)) std::swap(ends.a, ends.b);
    return ends;
}

ConnectionEnds TraceView::active_connection(uint32_t step) const {
    auto at = index_.prev_step(step + 1, sim::StepKind::StateChange);
    if (!at) return {};
    const sim::TraceEvent& e = trace_->events[*at];
    auto h = history_of(e.host, e.socket);
    return h ? connection_of(*h) : ConnectionEnds{};
}

std::optional<uint32_t> TraceView::last_state_change(uint32_t history, uint32_t step) const {
    const sim::SocketHistory& h = trace_->sockets[history];
    auto steps = index_.state_changes_of(h.host, h.id);
    auto it = std::upper_bound(steps.begin(), steps.end(), step);
    if (it == steps.begin()) return std::nullopt;
    return *(it - 1);
}

std::string TraceView::socket_name(uint32_t history, uint32_t step) const {
    const sim::SocketHistory& h = trace_->sockets[history];
    std::optional<SocketInfo> row;
    if (sim::SocketAt now = sim::socket_at(*trace_, history, step); now.phase != sim::SocketPhase::NotYet) row = now.row;
    if (!row || row->local.port == 0) {  // not bound yet: name it by the port it gets later
        for (const SocketInfo& r : h.rows) {
            if (r.local.port != 0) { row = r; break; }
        }
    }
    if (!row) return index_.host_name(h.host) + "#" + std::to_string(h.id);
    return index_.local_name(h.host, row->local);
}

std::string TraceView::describe(uint32_t step) const {
    using sim::EventKind;
    if (step >= trace_->events.size()) return "";  // a trace with no events
    const sim::TraceEvent& e = trace_->events[step];
    const std::string& text = trace_->str(e.text);
    auto who = [&] {
        if (e.socket != 0) {
            if (auto h = history_of(e.host, e.socket)) return socket_name(*h, step);
        }
        if (e.program != kNone) return index_.program_name(e.program) + "@" + index_.host_name(e.host);
        return index_.host_name(e.host);
    };
    auto pkt = [&] {
        if (e.packet >= packets_.size()) return std::string("?");
        const PacketInfo& p = packets_[e.packet];
        if (p.arp) return index_.describe_arp(trace_->packets[e.packet], *p.arp);
        std::string ends = p.proto == 1 ? index_.address_name(p.src.address) + " → " + index_.address_name(p.dst.address)
                                        : index_.endpoint_name(p.src) + " → " + index_.endpoint_name(p.dst);
        return ends + "  " + p.label;
    };
    switch (e.kind) {
        case EventKind::RunStart: return "▶ " + text;
        case EventKind::PacketSent: return "sent " + pkt();
        case EventKind::PacketDelivered: return "delivered " + pkt();
        case EventKind::PacketDropped: {
            std::string reason = e.packet < trace_->packets.size() ? trace_->packets[e.packet].drop_reason : "";
            return "✗ dropped " + pkt() + (reason.empty() ? "" : "  (" + reason + ")");
        }
        case EventKind::StateChange:
            return who() + "  " + std::string(to_string(e.from)) + " → " + std::string(to_string(e.to)) +
                   (text.empty() ? "" : "  (" + text + ")");
        case EventKind::Timer:
            return who() + "  " + std::string(to_string(e.timer)) + " timer " + std::string(to_string(e.timer_action)) +
                   " (" + to_string(e.deadline) + " s)";
        case EventKind::Retransmit: return who() + "  retransmit " + text;
        case EventKind::Rejected: return who() + "  rejected: " + text;
        case EventKind::ConnError:
            return who() + "  " + (e.err ? std::string(to_string(*e.err)) : std::string("error")) + " " + text;
        case EventKind::Call: {
            const std::string& result = trace_->str(e.text2);
            return who() + "  " + text + (result.empty() ? "" : " " + result);
        }
        case EventKind::Caption: return "“" + text + "”";
        case EventKind::Output: return who() + "  " + text;
        case EventKind::ProgramStart: return who() + "  started";
        case EventKind::ProgramEnd: return who() + "  " + (text.empty() ? "ended" : text);
        case EventKind::ExpectFailed: return who() + "  expectation failed: " + text;
        case EventKind::Blocked: return who() + "  blocked in " + text;
        case EventKind::Prompt: return who() + "  " + text;
        case EventKind::Input: return who() + "  " + trace_->str(e.text2) + text;
        case EventKind::Ask: return "? " + text;
        case EventKind::RunEnd: return "■ " + (text.empty() ? std::string("end") : text);
        case EventKind::Note: break;
    }
    return who() + "  " + text;
}

}  // namespace netstep::viz
