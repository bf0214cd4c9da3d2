// The network: a packet put on the wire by a host, its timing on a shared segment, and the
// faults the scenario asks for (drop, delay, duplicate, link down, random loss).
#include <algorithm>

#include <fmt/format.h>

#include "model/wire/wire.hpp"
#include "sim/engine_world.hpp"
#include "sim/mac_table.hpp"
#include "sim/trace_index.hpp"

namespace netstep::sim::engine {

namespace {

// Serialization: the time to put `bytes` on a wire of `bps` bits per second, in whole
// nanoseconds, rounded up (40 bytes at 100 Mbps: exactly 3200 ns).
Duration transmission_time(size_t bytes, uint64_t bps) {
    if (bps == 0) return Duration{};
    uint64_t bits = uint64_t(bytes) * 8;
    return Duration::nanos(int64_t((bits * 1'000'000'000ull + bps - 1) / bps));
}

constexpr size_t kNearMissesShown = 3;

// The selector as written: "from: laptop, to: web, flags: FIN, nth: 1".
std::string selector_text(const PacketSelector& sel) {
    std::string text;
    auto add = [&](std::string_view key, const std::string& value) {
        if (!text.empty()) text += ", ";
        text += std::string(key) + ": " + value;
    };
    if (!sel.from.empty()) add("from", sel.from);
    if (!sel.to.empty()) add("to", sel.to);
    if (sel.flags) add("flags", tcp_flags_to_string(*sel.flags));
    else if (sel.proto) add("proto", *sel.proto);
    add("nth", sel.nth == PacketSelector::kEvery ? "all" : std::to_string(sel.nth));
    return text;
}

std::optional<FourTuple> tuple_of(const Ipv4Packet& p) {
    if (const TcpSegment* t = p.tcp()) return FourTuple{{p.src, t->src_port}, {p.dst, t->dst_port}};
    if (const UdpDatagram* u = p.udp()) return FourTuple{{p.src, u->src_port}, {p.dst, u->dst_port}};
    return std::nullopt;
}

std::string percent(double loss) { return fmt::format("{:g}%", loss * 100.0); }

}  // namespace

// The faults that apply to a packet `p` about to go onto network `net` (its `sent` and
// `arrives` set): each fault's selector counts the packets a host puts on the wire that match it
// (in trace order); the nth one is dropped, delayed (p.arrives moves) or duplicated. Returns why
// the packet is lost ("" when it is not). `random_loss`: a lossy network draws for it.
std::string World::apply_faults(TracePacket& p, const HopFacts& hop, uint32_t net, bool random_loss, bool& duplicate) {
    const Network& network = scenario.networks[net];
    const uint32_t packet_index = uint32_t(trace_.packets.size());  // the packet is added next
    std::string fault_drop, link_drop;
    for (FaultRuntime& f : faults_) {
        std::visit(
            [&](const auto& body) {
                using T = std::decay_t<decltype(body)>;
                if constexpr (std::is_same_v<T, fault::LinkDown>) {
                    Instant from = Instant::zero() + body.from, to = Instant::zero() + body.to;
                    if (f.network == net && p.sent >= from && p.sent < to) {
                        link_drop = fmt::format("link down ({} from {} to {})", network.name, to_string(body.from),
                                                to_string(body.to));
                    }
                } else {
                    if (!matches(f.selector, hop)) {
                        if (near_miss(f.selector, hop)) {
                            bool likely = f.selector.flags && (hop.flags & *f.selector.flags) == *f.selector.flags;
                            auto& list = likely ? f.near_likely : f.near;
                            if (list.size() < kNearMissesShown) list.push_back(packet_index);
                        }
                        return;
                    }
                    ++f.matched;
                    if (body.match.nth != PacketSelector::kEvery && f.matched != body.match.nth) return;
                    if constexpr (std::is_same_v<T, fault::Drop>) {
                        if (fault_drop.empty()) {
                            fault_drop = body.match.nth == PacketSelector::kEvery
                                             ? fmt::format("fault: drop nth=all (line {})", f.fault->where.line)
                                             : fmt::format("fault: drop nth={} (line {})", body.match.nth, f.fault->where.line);
                        }
                    } else if constexpr (std::is_same_v<T, fault::Delay>) {
                        p.arrives = p.arrives + body.by;
                    } else {
                        duplicate = true;
                    }
                }
            },
            f.fault->body);
    }
    // Random loss draws one number per packet on a lossy network, lost or not, so that which
    // packets are lost depends only on the seed and the traffic on that network.
    std::string random_drop;
    if (random_loss && network.loss > 0.0) {
        double u = double(loss_rng_[net].next() >> 11) * 0x1.0p-53;
        if (u < network.loss) random_drop = "random loss " + percent(network.loss);
    }
    return !fault_drop.empty() ? fault_drop : !link_drop.empty() ? link_drop : random_drop;
}

// Host `h` puts a packet on the network of interface `t.interface`, addressed to the next hop
// (the link layer off: no frames, no ARP).
//
// Timing: the interface sends one packet at a time, so a packet departs when the previous one
// has left (busy-until), takes size*8/bandwidth to serialize, then the network's latency to
// propagate. The whole packet is at the receiver at `arrives`.
//
// Faults (apply_faults): `to` in a selector is the host owning the packet's destination address.
// A lost packet is recorded as sent and then as dropped at the time it would have arrived.
void World::transmit(uint32_t h, Transmission& t) {
    HostRuntime& host = hosts_[h];
    uint32_t net = host.interface_network.at(t.interface);
    const Network& network = scenario.networks[net];

    TracePacket p;
    p.from_host = h;
    p.network = net;
    p.from_interface = uint32_t(t.interface);
    p.bytes = wire::emit(t.packet);
    std::optional<NetOwner> next_hop = net_owner(net, t.next_hop);
    std::optional<uint32_t> receiver;
    if (next_hop) receiver = next_hop->host;
    p.to_host = receiver.value_or(kNone);

    Duration tx = transmission_time(p.bytes.size(), network.bandwidth_bps);
    Instant& busy = host.busy_until[t.interface];
    p.sent = std::max(now(), busy);
    busy = p.sent + tx;
    p.arrives = p.sent + tx + network.latency;

    std::optional<uint32_t> dst_host = owner_of(t.packet.dst);
    const HopFacts hop = hop_facts(t.packet, h, dst_host.value_or(kNone), p.to_host);
    bool duplicate = false;
    std::string lost = apply_faults(p, hop, net, true, duplicate);
    if (!receiver) {
        p.dropped = true;
        p.drop_reason = "no host at " + t.next_hop.to_string() + " on " + network.name;
    } else if (!lost.empty()) {
        p.dropped = true;
        p.drop_reason = std::move(lost);
    }

    // The receiving interface: the one holding the next-hop address.
    size_t rx_interface = next_hop ? next_hop->interface : 0;

    auto put_on_wire = [&](TracePacket packet, bool is_copy) {
        bool dropped = packet.dropped;
        Instant arrives = packet.arrives;
        uint32_t index = sent_event(h, std::move(packet), tuple_of(t.packet), hop);
        if (!receiver) {
            // Nobody owns the next hop (a real host would wait for ARP in vain): lost at once.
            dropped_event(h, index);
            return index;
        }
        InFlight f;
        f.packet = index;
        f.interface = rx_interface;
        f.lost = dropped;
        if (!dropped) {
            f.value = is_copy ? t.packet : std::move(t.packet);
            in_flight_bytes += trace_.packets[index].bytes.size();
        }
        hosts_[*receiver].inbox.emplace(std::pair{arrives, index}, std::move(f));
        expect_arrival(*receiver, arrives);
        return index;
    };

    if (duplicate && !p.dropped) {
        // The network delivers the packet twice: the copy follows right behind the original.
        TracePacket copy = p;
        copy.sent = busy;
        busy = copy.sent + tx;
        copy.arrives = copy.sent + tx + network.latency + (p.arrives - (p.sent + tx + network.latency));
        uint32_t original = put_on_wire(std::move(p), true);
        copy.duplicate_of = original;
        put_on_wire(std::move(copy), false);
    } else {
        put_on_wire(std::move(p), false);
    }
}

// The PacketSent event of a packet going onto the wire (and its `leaves` captions).
uint32_t World::sent_event(uint32_t h, TracePacket packet, std::optional<FourTuple> tuple, const HopFacts& hop) {
    uint32_t index = builder_.add_packet(std::move(packet));
    TraceEvent e;
    e.kind = EventKind::PacketSent;
    e.host = h;
    e.packet = index;
    e.tuple = tuple;
    trace_.packets[index].sent_step = event(e);
    // A duplicate's copy is the network's doing: the host put one packet on the wire.
    if (!captions_.empty() && trace_.packets[index].duplicate_of == kNone) {
        caption_packet(CaptionWhen::Kind::Leaves, index, hop);
    }
    return index;
}

void World::dropped_event(uint32_t h, uint32_t index) {
    TraceEvent d;
    d.kind = EventKind::PacketDropped;
    d.host = h;
    d.packet = index;
    trace_.packets[index].end_step = event(d);
}

// Ethernet (the link layer on): the bits of a frame on the wire are the preamble and start
// frame delimiter (8 bytes), the frame, and its FCS (4); then the sender keeps the medium idle
// for the interframe gap (12 bytes' time) before its next frame (IEEE 802.3 clause 4.4.2).
constexpr size_t kPreambleAndFcs = 12;
constexpr size_t kInterframeGap = 12;

// Host `h` puts an Ethernet frame on the network of interface `t.interface`.
//
// Where it goes: on a shared segment, a broadcast to every other host, a unicast to the host
// holding its destination MAC; on a switch (kind: switch), where the switch's learning process
// decides (flooded to every other port while the destination is unknown). Each host a broadcast
// reaches takes it; a flooded unicast is taken by its addressee only (the other cards filter it).
// The switch forwards as it receives (no store-and-forward delay is modelled).
//
// Faults select IP packets as before the link layer existed; ARP frames only with `proto: arp`,
// and random loss spares them (a lossy network loses the same segments with or without ARP).
void World::transmit_frame(uint32_t h, FrameTransmission& t) {
    HostRuntime& host = hosts_[h];
    uint32_t net = host.interface_network.at(t.interface);
    const Network& network = scenario.networks[net];
    const EthernetFrame& frame = t.frame;

    TracePacket p;
    p.from_host = h;
    p.network = net;
    p.from_interface = uint32_t(t.interface);
    p.bytes = wire::emit_frame(frame);

    // Where the frame goes.
    std::vector<uint32_t> ports;  // receiving ports, in port order
    const std::vector<NetOwner>& attached = ports_[net];
    std::optional<uint32_t> addressee;
    if (!frame.dst.is_multicast()) {
        if (auto it = mac_port_.find({net, frame.dst}); it != mac_port_.end()) addressee = it->second;
    }
    std::optional<uint32_t> in_port;
    if (auto it = mac_port_.find({net, frame.src}); it != mac_port_.end()) in_port = it->second;
    if (switches_[net] && in_port) {
        SwitchDecision d = switches_[net]->receive(*in_port, frame, now());
        // The fact, for the MAC table at any step (sim/mac_table.hpp): in force from the next
        // event, the note below when it learned, else the frame's packet-sent.
        if (!frame.src.is_multicast())
            trace_.mac_seen.push_back({uint32_t(trace_.events.size()), net, *in_port, frame.src, now()});
        if (d.learned) {
            note(kNone, fmt::format("switch {} learned {} on port {} ({})", network.name, frame.src.to_string(),
                                    *in_port + 1, hosts_[h].name));
        }
        for (size_t port : d.ports) ports.push_back(uint32_t(port));
        p.flooded = d.flooded;
    } else if (frame.dst.is_multicast()) {
        for (uint32_t port = 0; port < attached.size(); ++port)
            if (!in_port || port != *in_port) ports.push_back(port);
        p.flooded = true;
    } else if (addressee && addressee != in_port) {
        ports.push_back(*addressee);
    }
    // Who takes it: every port of a broadcast, else the addressee if the frame reaches it.
    std::vector<uint32_t> takers;
    for (uint32_t port : ports)
        if (frame.dst.is_multicast() || port == addressee) takers.push_back(port);
    p.to_host = addressee && !frame.dst.is_multicast() ? attached[*addressee].host : kNone;

    size_t on_wire = p.bytes.size() + kPreambleAndFcs;
    Duration tx = transmission_time(on_wire, network.bandwidth_bps);
    Instant& busy = host.busy_until[t.interface];
    p.sent = std::max(now(), busy);
    busy = p.sent + transmission_time(on_wire + kInterframeGap, network.bandwidth_bps);
    p.arrives = p.sent + tx + network.latency;

    HopFacts hop;
    std::optional<FourTuple> tuple;
    if (const Ipv4Packet* ip = frame.ipv4()) {
        hop = hop_facts(*ip, h, owner_of(ip->dst).value_or(kNone), p.to_host);
        tuple = tuple_of(*ip);
    } else {
        const ArpPacket& arp = *frame.arp();
        uint32_t about = arp.op == ArpPacket::Op::Request ? owner_of(arp.target_ip).value_or(kNone) : p.to_host;
        hop = arp_hop_facts(h, about, p.to_host);
    }
    bool duplicate = false;
    std::string lost = apply_faults(p, hop, net, frame.ipv4() != nullptr, duplicate);
    if (takers.empty()) {
        p.dropped = true;
        p.drop_reason = frame.dst.is_multicast() ? "no other host on " + network.name
                                                 : "no host with MAC " + frame.dst.to_string() + " on " + network.name;
    } else if (!lost.empty()) {
        p.dropped = true;
        p.drop_reason = std::move(lost);
    }

    auto put_on_wire = [&](TracePacket packet) {
        bool dropped = packet.dropped;
        Instant arrives = packet.arrives;
        size_t size = packet.bytes.size();
        uint32_t index = sent_event(h, std::move(packet), tuple, hop);
        if (takers.empty()) {
            dropped_event(h, index);
            return index;
        }
        for (uint32_t port : takers) {
            InFlight f;
            f.packet = index;
            f.interface = attached[port].interface;
            f.lost = dropped;
            if (!dropped) {
                f.frame = frame;
                in_flight_bytes += size;
            }
            hosts_[attached[port].host].inbox.emplace(std::pair{arrives, index}, std::move(f));
            expect_arrival(attached[port].host, arrives);
            if (dropped) break;  // one PacketDropped, when it would have reached the first
        }
        return index;
    };

    if (duplicate && !p.dropped) {
        TracePacket copy = p;
        copy.sent = busy;
        busy = copy.sent + transmission_time(on_wire + kInterframeGap, network.bandwidth_bps);
        copy.arrives = copy.sent + tx + network.latency + (p.arrives - (p.sent + tx + network.latency));
        uint32_t original = put_on_wire(std::move(p));
        copy.duplicate_of = original;
        put_on_wire(std::move(copy));
    } else {
        put_on_wire(std::move(p));
    }
}

// Cisco IOS `show mac address-table`: the table as the trace holds it (the viewer's MAC table
// panel shows the same rows).
std::string World::mac_table_text(uint32_t network) const {
    return sim::mac_table_text(trace_, mac_table_at(trace_, network, uint32_t(trace_.events.size()), now()));
}

void World::report_unmatched() {
    if (stopped_by_until) return;
    std::optional<TraceIndex> index;  // built only when there is something to say
    for (const FaultRuntime& f : faults_) {
        const PacketSelector* sel = std::visit(
            [](const auto& body) -> const PacketSelector* {
                if constexpr (requires { body.match; }) return &body.match;
                return nullptr;
            },
            f.fault->body);
        if (!sel || f.matched >= std::max<uint64_t>(sel->nth, 1)) continue;
        const char* verb = std::holds_alternative<fault::Drop>(f.fault->body)    ? "drop"
                           : std::holds_alternative<fault::Delay>(f.fault->body) ? "delay"
                                                                                  : "duplicate";
        std::string what = f.matched == 0 ? "no packet matched"
                                          : fmt::format("only {} packet{} matched", f.matched, f.matched == 1 ? "" : "s");
        std::string msg = fmt::format("{}: {} {{ {} }} never applied: {}", f.fault->where.to_string(), verb,
                                      selector_text(*sel), what);
        trace_.warnings.push_back(msg + near_misses_text(f.near_likely, f.near, index));
    }
    for (const CaptionRuntime& c : captions_) {
        const CaptionWhen& when = c.caption->when;
        if (c.matched >= when.match.nth) continue;
        std::string what;
        if (when.kind == CaptionWhen::Kind::Enters) {
            what = fmt::format("host: {}, enters: {}", when.host, to_string(when.state));
            if (when.port) what += fmt::format(", port: {}", *when.port);
            what += fmt::format(", nth: {}", when.match.nth);
        } else {
            PacketSelector sel = when.match;
            std::string head = when.kind == CaptionWhen::Kind::Arrives ? "arrives: " + when.host : "leaves: " + when.host;
            if (when.kind == CaptionWhen::Kind::Leaves) sel.from.clear();
            what = head + ", " + selector_text(sel);
        }
        const char* thing = when.kind == CaptionWhen::Kind::Enters ? "state change" : "packet";
        std::string matched = c.matched == 0 ? fmt::format("no {} matched", thing)
                                             : fmt::format("only {} {}{} matched", c.matched, thing, c.matched == 1 ? "" : "s");
        std::string msg = fmt::format("{}: caption when {{ {} }} never said: {}", c.caption->where.to_string(), what, matched);
        trace_.warnings.push_back(msg + near_misses_text(c.near_likely, c.near, index));
    }
}

// "; close ones: step 24 laptop:61402 > web:80 TCP [FIN+ACK], ..." (likely ones first), or "".
std::string World::near_misses_text(const std::vector<uint32_t>& likely, const std::vector<uint32_t>& others,
                                    std::optional<TraceIndex>& index) const {
    std::vector<uint32_t> near = likely;
    near.insert(near.end(), others.begin(), others.end());
    if (near.size() > kNearMissesShown) near.resize(kNearMissesShown);
    if (near.empty()) return "";
    if (!index) index.emplace(trace_);
    std::string text = near.size() == 1 ? "; close: " : "; close ones: ";
    for (size_t i = 0; i < near.size(); ++i) {
        // "step 24 laptop:61402 > web:80 TCP [FIN+ACK]": who, what and the flags are enough.
        std::string packet = index->describe_packet(near[i]);
        if (size_t cut = packet.find("] "); cut != std::string::npos) packet.resize(cut + 1);
        if (i > 0) text += ", ";
        text += fmt::format("step {} {}", trace_.packets[near[i]].sent_step, packet);
    }
    return text;
}

}  // namespace netstep::sim::engine
