// bytes -> Ipv4Packet, checking every length, offset and checksum before reading. Each check
// that fails returns a sentence naming the field, what was found and what was expected.
#include <utility>

#include "model/wire/bytes.hpp"
#include "model/wire/wire.hpp"

namespace netstep::wire {

using namespace detail;

namespace {

using Span = std::span<const uint8_t>;
const std::string kOk;  // the empty error: success

std::string truncated(const char* what, size_t have, size_t need) {
    return std::string("truncated ") + what + ": " + std::to_string(have) + " of " +
           std::to_string(need) + " bytes";
}

// "" when the checksum over `bytes` (field included) verifies, else the error sentence.
std::string check_checksum(const char* what, Span bytes, size_t field_at, uint32_t initial_sum = 0) {
    if (internet_checksum(bytes, initial_sum) == 0) return kOk;
    return std::string("bad ") + what + " checksum " + hex16(get16(bytes, field_at)) + " (expected " +
           hex16(expected_checksum(bytes, field_at, initial_sum)) + ")";
}

// The fixed length of the options the model reads; 0 for the others.
uint8_t known_option_length(uint8_t kind) {
    switch (kind) {
        case tcp_option::MSS: return tcp_option::MSS_LEN;
        case tcp_option::WINDOW_SCALE: return tcp_option::WINDOW_SCALE_LEN;
        case tcp_option::SACK_PERMITTED: return tcp_option::SACK_PERMITTED_LEN;
        default: return 0;
    }
}

// TCP options (RFC 9293 §3.2): END, NOP, or kind-length-data. Unknown kinds are skipped by their
// length; a length below 2 or past the header's end makes the segment invalid.
std::string parse_tcp_options(Span options, TcpSegment& s) {
    size_t i = 0;
    while (i < options.size()) {
        uint8_t kind = options[i];
        if (kind == tcp_option::END) break;
        if (kind == tcp_option::NOP) { ++i; continue; }
        std::string where = "TCP option kind " + std::to_string(kind) + " at option byte " + std::to_string(i);
        if (i + 1 >= options.size()) return where + " has no length byte";
        uint8_t len = options[i + 1];
        if (len < 2) return where + " has bad length " + std::to_string(len) + " (minimum 2)";
        if (i + len > options.size()) {
            return where + " has length " + std::to_string(len) + ", past the end of the header";
        }
        uint8_t want = known_option_length(kind);
        if (want != 0 && len != want) {
            return where + " has length " + std::to_string(len) + " (expected " + std::to_string(want) + ")";
        }
        switch (kind) {
            case tcp_option::MSS: s.mss = get16(options, i + 2); break;
            case tcp_option::WINDOW_SCALE: s.window_scale = options[i + 2]; break;
            case tcp_option::SACK_PERMITTED: s.sack_permitted = true; break;
            default: break;  // timestamps, SACK blocks, others: not modelled, skipped
        }
        i += len;
    }
    return kOk;
}

std::string parse_tcp(Span seg, uint32_t pseudo, TcpSegment& s) {
    if (seg.size() < kTcpHeaderSize) return truncated("TCP header", seg.size(), kTcpHeaderSize);
    size_t data_offset = seg[12] >> 4;  // header length in 32-bit words
    if (data_offset < 5) return "bad TCP data offset " + std::to_string(data_offset) + " (minimum 5)";
    size_t header_len = data_offset * 4;
    if (header_len > seg.size()) {
        return "bad TCP data offset " + std::to_string(data_offset) + ": a " + std::to_string(header_len) +
               "-byte header in a " + std::to_string(seg.size()) + "-byte segment";
    }
    if (auto error = check_checksum("TCP", seg, kTcpChecksumAt, pseudo); !error.empty()) return error;

    s.src_port = get16(seg, 0);
    s.dst_port = get16(seg, 2);
    s.seq = SeqNum{get32(seg, 4)};
    s.ack = SeqNum{get32(seg, 8)};
    s.flags = seg[13];
    s.window = get16(seg, 14);
    s.urgent = get16(seg, 18);
    if (auto error = parse_tcp_options(seg.subspan(kTcpHeaderSize, header_len - kTcpHeaderSize), s);
        !error.empty()) {
        return error;
    }
    s.payload.assign(seg.begin() + header_len, seg.end());
    return kOk;
}

std::string parse_udp(Span dgram, Ipv4Address src, Ipv4Address dst, UdpDatagram& d) {
    if (dgram.size() < kUdpHeaderSize) return truncated("UDP header", dgram.size(), kUdpHeaderSize);
    size_t length = get16(dgram, 4);
    if (length < kUdpHeaderSize || length > dgram.size()) {
        return "bad UDP length " + std::to_string(length) + " (IP payload is " +
               std::to_string(dgram.size()) + " bytes)";
    }
    dgram = dgram.first(length);
    // RFC 768: a zero checksum means the sender computed none.
    if (get16(dgram, kUdpChecksumAt) != 0) {
        uint32_t pseudo = pseudo_header_sum(src, dst, ip_proto::UDP, uint16_t(length));
        if (internet_checksum(dgram, pseudo) != 0) {
            uint16_t expected = expected_checksum(dgram, kUdpChecksumAt, pseudo);
            return "bad UDP checksum " + hex16(get16(dgram, kUdpChecksumAt)) + " (expected " +
                   hex16(expected == 0 ? 0xFFFF : expected) + ")";
        }
    }
    d.src_port = get16(dgram, 0);
    d.dst_port = get16(dgram, 2);
    d.payload.assign(dgram.begin() + kUdpHeaderSize, dgram.end());
    return kOk;
}

std::string parse_icmp(Span msg, IcmpMessage& m) {
    if (msg.size() < kIcmpHeaderSize) return truncated("ICMP header", msg.size(), kIcmpHeaderSize);
    if (auto error = check_checksum("ICMP", msg, kIcmpChecksumAt); !error.empty()) return error;
    m.type = msg[0];
    m.code = msg[1];
    m.id = get16(msg, 4);
    m.sequence = get16(msg, 6);
    m.data.assign(msg.begin() + kIcmpHeaderSize, msg.end());
    return kOk;
}

// The IPv4 header (RFC 791 §3.1). On success, `payload` is the transport part.
std::string parse_ipv4_header(Span bytes, Ipv4Packet& p, Span& payload) {
    if (bytes.size() < kIpv4HeaderSize) return truncated("IPv4 header", bytes.size(), kIpv4HeaderSize);
    unsigned version = bytes[0] >> 4;
    if (version != 4) return "not IPv4: version " + std::to_string(version);
    size_t ihl = bytes[0] & 0x0F;
    if (ihl < 5) return "bad IPv4 header length: IHL " + std::to_string(ihl) + " (minimum 5)";
    size_t header_len = ihl * 4;
    if (header_len > bytes.size()) return truncated("IPv4 header", bytes.size(), header_len);
    size_t total_len = get16(bytes, 2);
    if (total_len < header_len) {
        return "bad IPv4 total length " + std::to_string(total_len) + " (header alone is " +
               std::to_string(header_len) + " bytes)";
    }
    if (total_len > bytes.size()) {
        return "truncated IPv4 packet: total length " + std::to_string(total_len) + " but only " +
               std::to_string(bytes.size()) + " bytes";
    }
    if (auto error = check_checksum("IPv4 header", bytes.first(header_len), kIpv4ChecksumAt); !error.empty()) {
        return error;
    }
    uint16_t flags_fragment = get16(bytes, 6);
    if (flags_fragment & kIpReservedFlag) return "IPv4 reserved flag is set (RFC 791: must be zero)";
    if ((flags_fragment & kIpMoreFragments) || (flags_fragment & kIpFragmentOffsetMask)) {
        return "IPv4 fragment (offset " + std::to_string((flags_fragment & kIpFragmentOffsetMask) * 8) +
               "): reassembly is not modelled";
    }
    p.tos = bytes[1];
    p.id = get16(bytes, 4);
    p.dont_fragment = (flags_fragment & kIpDontFragment) != 0;
    p.ttl = bytes[8];
    p.src = Ipv4Address{get32(bytes, 12)};
    p.dst = Ipv4Address{get32(bytes, 16)};
    payload = bytes.subspan(header_len, total_len - header_len);  // IPv4 options skipped
    return kOk;
}

}  // namespace

ParseResult parse(std::span<const uint8_t> bytes) {
    Ipv4Packet p;
    Span payload;
    std::string error = parse_ipv4_header(bytes, p, payload);
    if (error.empty()) {
        switch (uint8_t protocol = bytes[9]) {
            case ip_proto::TCP: {
                TcpSegment s;
                uint32_t pseudo = pseudo_header_sum(p.src, p.dst, protocol, uint16_t(payload.size()));
                error = parse_tcp(payload, pseudo, s);
                p.body = std::move(s);
                break;
            }
            case ip_proto::UDP: {
                UdpDatagram d;
                error = parse_udp(payload, p.src, p.dst, d);
                p.body = std::move(d);
                break;
            }
            case ip_proto::ICMP: {
                IcmpMessage m;
                error = parse_icmp(payload, m);
                p.body = std::move(m);
                break;
            }
            default:
                error = "unsupported IP protocol " + std::to_string(protocol) + " (not TCP, UDP or ICMP)";
        }
    }
    if (!error.empty()) return {std::nullopt, std::move(error)};
    return {std::move(p), ""};
}

}  // namespace netstep::wire
