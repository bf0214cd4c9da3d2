// Packets as value types: what the stack sends and receives, independent of the bytes on the wire
// (model/wire/ turns these into bytes and back). Each has == and a tcpdump-style to_string().
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "address.hpp"
#include "seq.hpp"

namespace netstep {

using Bytes = std::vector<uint8_t>;

// TCP control bits (RFC 9293 §3.1).
namespace tcp_flag {
inline constexpr uint8_t FIN = 0x01;
inline constexpr uint8_t SYN = 0x02;
inline constexpr uint8_t RST = 0x04;
inline constexpr uint8_t PSH = 0x08;
inline constexpr uint8_t ACK = 0x10;
inline constexpr uint8_t URG = 0x20;
inline constexpr uint8_t ECE = 0x40;
inline constexpr uint8_t CWR = 0x80;
}  // namespace tcp_flag

// "SYN+ACK", "FIN+ACK", "ACK", "RST" — the spelling scenario files use in fault selectors.
std::string tcp_flags_to_string(uint8_t flags);
// Inverse of tcp_flags_to_string; order-insensitive ("ACK+SYN" works); nullopt on unknown names.
std::optional<uint8_t> tcp_flags_from_string(std::string_view text);

struct TcpSegment {
    uint16_t src_port = 0;
    uint16_t dst_port = 0;
    SeqNum seq;
    SeqNum ack;
    uint8_t flags = 0;
    uint16_t window = 0;  // the raw 16-bit field (scaled by window_scale when both sides agreed)
    uint16_t urgent = 0;
    // Options (RFC 9293 §3.2; RFC 7323 window scale; RFC 2018 SACK permitted).
    std::optional<uint16_t> mss;
    std::optional<uint8_t> window_scale;
    bool sack_permitted = false;
    Bytes payload;

    bool has(uint8_t f) const { return (flags & f) == f; }
    // SEG.LEN: payload plus one for SYN and one for FIN (RFC 9293 §3.4).
    uint32_t seg_len() const {
        return uint32_t(payload.size()) + (has(tcp_flag::SYN) ? 1 : 0) + (has(tcp_flag::FIN) ? 1 : 0);
    }
    bool operator==(const TcpSegment&) const = default;
    // "[SYN] seq=0 win=64240 len=0 mss=1460" (ports are printed by the packet).
    std::string to_string() const;
    // The same with `win=` showing `window_shown` (the window after scaling, RFC 7323 §2.3).
    std::string to_string(uint32_t window_shown) const;
};

struct UdpDatagram {
    uint16_t src_port = 0;
    uint16_t dst_port = 0;
    Bytes payload;

    bool operator==(const UdpDatagram&) const = default;
    std::string to_string() const;  // "UDP len=5"
};

namespace icmp_type {
inline constexpr uint8_t ECHO_REPLY = 0;
inline constexpr uint8_t DEST_UNREACHABLE = 3;
inline constexpr uint8_t ECHO_REQUEST = 8;
inline constexpr uint8_t TIME_EXCEEDED = 11;
}  // namespace icmp_type

namespace icmp_code {
// Destination unreachable (RFC 792).
inline constexpr uint8_t NET_UNREACHABLE = 0;
inline constexpr uint8_t HOST_UNREACHABLE = 1;
inline constexpr uint8_t PROTOCOL_UNREACHABLE = 2;
inline constexpr uint8_t PORT_UNREACHABLE = 3;
inline constexpr uint8_t FRAG_NEEDED = 4;
// Time exceeded.
inline constexpr uint8_t TTL_EXCEEDED = 0;
}  // namespace icmp_code

struct IcmpMessage {
    uint8_t type = 0;
    uint8_t code = 0;
    // Echo request/reply: identifier and sequence number. Unused (zero) for errors.
    uint16_t id = 0;
    uint16_t sequence = 0;
    // Echo: the data. Errors: the offending datagram's IP header and first 8 bytes of its
    // payload, as raw bytes (RFC 792; RFC 1122 §3.2.2).
    Bytes data;

    bool is_error() const {
        return type == icmp_type::DEST_UNREACHABLE || type == icmp_type::TIME_EXCEEDED;
    }
    bool operator==(const IcmpMessage&) const = default;
    std::string to_string() const;  // "ICMP echo request id=1 seq=1" / "ICMP 192.168.1.20 udp port 9999 unreachable"
};

namespace ip_proto {
inline constexpr uint8_t ICMP = 1;
inline constexpr uint8_t TCP = 6;
inline constexpr uint8_t UDP = 17;
}  // namespace ip_proto

struct Ipv4Packet {
    Ipv4Address src;
    Ipv4Address dst;
    uint8_t ttl = 64;
    uint16_t id = 0;
    bool dont_fragment = true;
    uint8_t tos = 0;
    std::variant<TcpSegment, UdpDatagram, IcmpMessage> body;

    uint8_t protocol() const;  // ip_proto::TCP, UDP or ICMP, from body
    const TcpSegment* tcp() const { return std::get_if<TcpSegment>(&body); }
    const UdpDatagram* udp() const { return std::get_if<UdpDatagram>(&body); }
    const IcmpMessage* icmp() const { return std::get_if<IcmpMessage>(&body); }
    // Bytes on the wire: IPv4 header (20) + transport header (+options) + payload.
    size_t wire_size() const;
    bool operator==(const Ipv4Packet&) const = default;
    // "192.168.1.10:49152 > 192.168.1.20:80 TCP [SYN] seq=0 win=64240 len=0 mss=1460"
    std::string to_string() const;
};

}  // namespace netstep
