// The wire format: Ipv4Packet values to real bytes and back, kept apart from the protocol logic
// (as smoltcp's `wire` module is). Everything here is a pure function of its arguments.
//
//   emit(packet)    -> bytes: IPv4 header, TCP/UDP/ICMP header, payload, all checksums filled in
//   parse(bytes)    -> packet, or a sentence saying what is wrong (never crashes, on any input)
//   describe(bytes) -> every header field with its byte range, value and meaning (the inspector)
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/address.hpp"
#include "model/link.hpp"
#include "model/packet.hpp"

namespace netstep::wire {

inline constexpr size_t kIpv4HeaderSize = 20;  // without options (RFC 791 §3.1)
inline constexpr size_t kTcpHeaderSize = 20;   // without options (RFC 9293 §3.1)
inline constexpr size_t kUdpHeaderSize = 8;    // RFC 768
inline constexpr size_t kIcmpHeaderSize = 8;   // type, code, checksum and 4 more bytes (RFC 792)

// TCP header with options, in bytes. Options are laid out as Linux lays them out, each group
// already a multiple of 4 bytes: MSS (4); NOP NOP SACK-permitted (4); NOP window-scale (4).
size_t tcp_header_size(const TcpSegment& s);
// Transport header plus payload: what follows the IPv4 header.
size_t transport_size(const Ipv4Packet& p);

// --- Checksums (RFC 1071) -------------------------------------------------------------------
// The one's complement sum of 16-bit big-endian words, not yet folded or complemented; an odd
// last byte is padded with a zero. Partial sums can be chained through `sum`.
uint32_t checksum_add(std::span<const uint8_t> data, uint32_t sum = 0);
// The Internet checksum of data: fold the sum to 16 bits and complement it. Over bytes that
// contain a correct checksum field, the result is 0.
uint16_t internet_checksum(std::span<const uint8_t> data, uint32_t initial_sum = 0);
// The sum of the TCP/UDP pseudo-header: source, destination, zero, protocol, transport length
// (RFC 9293 §3.1, RFC 768).
uint32_t pseudo_header_sum(Ipv4Address src, Ipv4Address dst, uint8_t protocol, uint16_t length);

// --- Emit -----------------------------------------------------------------------------------
// The packet as bytes: a 20-byte IPv4 header (version 4, IHL 5, DF as set, checksum), then the
// transport header and payload with its checksum. The packet must fit in 65535 bytes.
Bytes emit(const Ipv4Packet& packet);

// --- Parse ----------------------------------------------------------------------------------
struct ParseResult {
    std::optional<Ipv4Packet> packet;  // set when the bytes are a valid packet
    std::string error;                 // otherwise: "bad TCP checksum 0x1234 (expected 0xabcd)"

    bool ok() const { return packet.has_value(); }
};
// Validates every length, offset and checksum. Bytes after the IPv4 total length (Ethernet
// padding) are ignored, and so are IPv4 options and TCP options other than MSS, window scale and
// SACK-permitted. Fragments are refused: the model does not reassemble.
ParseResult parse(std::span<const uint8_t> bytes);

// --- Describe (packet inspector) ------------------------------------------------------------
struct WireField {
    std::string layer;  // "IPv4", "TCP", "TCP option", "UDP", "ICMP", "quoted IPv4"...
    std::string name;   // "Time to live"
    size_t offset = 0;  // first byte, from the start of the buffer
    size_t length = 0;  // bytes; fields sharing bytes (version and IHL) share the range
    std::string value;  // "64", "0x4500", "SYN, ACK", "192.168.1.10"
    std::string help;   // one sentence for students
    bool operator==(const WireField&) const = default;
};
// Every header field found in the bytes, in order. A truncated buffer yields the fields that are
// wholly present, then a "Missing bytes" field; malformed parts are described, not trusted.
std::vector<WireField> describe(std::span<const uint8_t> bytes);

// --- The link layer (ethernet.cpp) ------------------------------------------------------------
// Ethernet II (IEEE 802.3 clause 3): destination, source, EtherType, payload; no preamble and no
// FCS, as captures show frames. The payload is padded with zeros to 46 bytes (a 60-byte frame,
// 64 with the FCS): what a capture on the link (a receiver, a switch port, a tap) shows. A
// capture on the sending Linux host itself shows the short frame (42 bytes for ARP), because
// the driver or the NIC pads after the capture point; parse_frame accepts both.
Bytes emit_frame(const EthernetFrame& frame);
// The 28 bytes of an ARP packet (RFC 826): htype 1, ptype 0x0800, hlen 6, plen 4, op, sha, spa,
// tha, tpa.
Bytes emit_arp(const ArpPacket& arp);

struct ArpParseResult {
    std::optional<ArpPacket> arp;
    std::string error;
    bool ok() const { return arp.has_value(); }
};
// Refuses anything but Ethernet/IPv4 ARP (htype 1, ptype 0x0800, hlen 6, plen 4) with op 1 or
// 2; bytes after the 28 (padding) are ignored.
ArpParseResult parse_arp(std::span<const uint8_t> bytes);

struct FrameParseResult {
    std::optional<EthernetFrame> frame;
    std::string error;
    bool ok() const { return frame.has_value(); }
};
// A frame whose EtherType is IPv4 (parsed by parse()) or ARP; any other EtherType, or a length
// below 802.3's 1536 (an 802.3 length field, not Ethernet II), is an error sentence.
FrameParseResult parse_frame(std::span<const uint8_t> bytes);

// The inspector's fields of a whole frame: the Ethernet header (layer "Ethernet"), then the
// ARP packet (layer "ARP") or the IPv4 packet (as describe(), offsets from the frame's start),
// then the padding.
std::vector<WireField> describe_frame(std::span<const uint8_t> bytes);

}  // namespace netstep::wire
