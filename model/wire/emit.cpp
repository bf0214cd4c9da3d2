// Ipv4Packet -> bytes. Header layouts: RFC 791 §3.1 (IPv4), RFC 9293 §3.1 (TCP), RFC 768 (UDP),
// RFC 792 (ICMP).
#include <type_traits>
#include <variant>

#include "model/wire/bytes.hpp"
#include "model/wire/wire.hpp"

namespace netstep::wire {

using namespace detail;

size_t tcp_header_size(const TcpSegment& s) {
    return kTcpHeaderSize + (s.mss ? 4 : 0) + (s.sack_permitted ? 4 : 0) + (s.window_scale ? 4 : 0);
}

size_t transport_size(const Ipv4Packet& p) {
    if (const TcpSegment* s = p.tcp()) return tcp_header_size(*s) + s->payload.size();
    if (const UdpDatagram* d = p.udp()) return kUdpHeaderSize + d->payload.size();
    return kIcmpHeaderSize + p.icmp()->data.size();
}

namespace {

void emit_ipv4_header(const Ipv4Packet& p, Bytes& out) {
    put8(out, 0x45);  // version 4, IHL 5 (no options)
    put8(out, p.tos);
    put16(out, uint16_t(p.wire_size()));  // total length
    put16(out, p.id);
    put16(out, p.dont_fragment ? kIpDontFragment : 0);  // flags; fragment offset 0
    put8(out, p.ttl);
    put8(out, p.protocol());
    put16(out, 0);  // header checksum, filled in below
    put32(out, p.src.value);
    put32(out, p.dst.value);
    set16(out, kIpv4ChecksumAt, internet_checksum(std::span(out).first(kIpv4HeaderSize)));
}

// Options in the order Linux writes them (net/ipv4/tcp_output.c, tcp_options_write), so that a
// segment parsed from a capture is emitted again byte for byte.
void emit_tcp_options(const TcpSegment& s, Bytes& out) {
    if (s.mss) {
        put8(out, tcp_option::MSS);
        put8(out, tcp_option::MSS_LEN);
        put16(out, *s.mss);
    }
    if (s.sack_permitted) {
        put8(out, tcp_option::NOP);
        put8(out, tcp_option::NOP);
        put8(out, tcp_option::SACK_PERMITTED);
        put8(out, tcp_option::SACK_PERMITTED_LEN);
    }
    if (s.window_scale) {
        put8(out, tcp_option::NOP);
        put8(out, tcp_option::WINDOW_SCALE);
        put8(out, tcp_option::WINDOW_SCALE_LEN);
        put8(out, *s.window_scale);
    }
}

void emit_tcp(const TcpSegment& s, Bytes& out) {
    put16(out, s.src_port);
    put16(out, s.dst_port);
    put32(out, s.seq.value);
    put32(out, s.ack.value);
    put8(out, uint8_t((tcp_header_size(s) / 4) << 4));  // data offset, in 32-bit words
    put8(out, s.flags);
    put16(out, s.window);
    put16(out, 0);  // checksum, filled in by emit()
    put16(out, s.urgent);
    emit_tcp_options(s, out);
    out.insert(out.end(), s.payload.begin(), s.payload.end());
}

void emit_udp(const UdpDatagram& d, Bytes& out) {
    put16(out, d.src_port);
    put16(out, d.dst_port);
    put16(out, uint16_t(kUdpHeaderSize + d.payload.size()));
    put16(out, 0);  // checksum, filled in by emit()
    out.insert(out.end(), d.payload.begin(), d.payload.end());
}

void emit_icmp(const IcmpMessage& m, Bytes& out) {
    put8(out, m.type);
    put8(out, m.code);
    put16(out, 0);  // checksum, filled in by emit()
    // Echo: identifier and sequence number. Errors: unused (zero), or the next-hop MTU for
    // "fragmentation needed" (RFC 1191) — the same four bytes either way.
    put16(out, m.id);
    put16(out, m.sequence);
    out.insert(out.end(), m.data.begin(), m.data.end());
}

}  // namespace

Bytes emit(const Ipv4Packet& p) {
    Bytes out;
    out.reserve(p.wire_size());
    emit_ipv4_header(p, out);
    std::visit([&out](const auto& body) {
        using Body = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<Body, TcpSegment>) emit_tcp(body, out);
        if constexpr (std::is_same_v<Body, UdpDatagram>) emit_udp(body, out);
        if constexpr (std::is_same_v<Body, IcmpMessage>) emit_icmp(body, out);
    }, p.body);

    // Transport checksum: TCP and UDP cover a pseudo-header too; ICMP covers its message only.
    auto transport = std::span(out).subspan(kIpv4HeaderSize);
    uint32_t pseudo = pseudo_header_sum(p.src, p.dst, p.protocol(), uint16_t(transport.size()));
    if (p.tcp()) {
        set16(out, kIpv4HeaderSize + kTcpChecksumAt, internet_checksum(transport, pseudo));
    } else if (p.udp()) {
        uint16_t sum = internet_checksum(transport, pseudo);
        // RFC 768: a computed zero is sent as all ones; zero means "no checksum".
        set16(out, kIpv4HeaderSize + kUdpChecksumAt, sum == 0 ? 0xFFFF : sum);
    } else {
        set16(out, kIpv4HeaderSize + kIcmpChecksumAt, internet_checksum(transport));
    }
    return out;
}

}  // namespace netstep::wire
