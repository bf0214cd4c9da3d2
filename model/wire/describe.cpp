// The packet inspector's view of raw bytes: each header field with its byte range, its value and
// one sentence for a student. Works on any bytes: a field is listed only when all of its bytes are
// present, and lengths read from the packet are never trusted beyond the buffer.
#include <algorithm>
#include <optional>

#include "model/wire/bytes.hpp"
#include "model/wire/wire.hpp"

namespace netstep::wire {

using namespace detail;

namespace {

using Span = std::span<const uint8_t>;

// The bytes being described, safe reads, and the fields found so far.
class Fields {
public:
    explicit Fields(Span bytes) : bytes_(bytes) {}

    size_t size() const { return bytes_.size(); }
    bool has(size_t offset, size_t length) const {
        return offset <= bytes_.size() && length <= bytes_.size() - offset;
    }
    // Reads past the end give 0; add() then drops the field, so the 0 is never shown.
    uint8_t u8(size_t at) const { return at < bytes_.size() ? bytes_[at] : 0; }
    uint16_t u16(size_t at) const { return has(at, 2) ? get16(bytes_, at) : 0; }
    uint32_t u32(size_t at) const { return has(at, 4) ? get32(bytes_, at) : 0; }
    Span range(size_t offset, size_t length) const { return bytes_.subspan(offset, length); }

    void add(std::string layer, std::string name, size_t offset, size_t length, std::string value,
             std::string help) {
        if (!has(offset, length)) return;
        list_.push_back({std::move(layer), std::move(name), offset, length, std::move(value), std::move(help)});
    }
    std::vector<WireField> take() { return std::move(list_); }

private:
    Span bytes_;
    std::vector<WireField> list_;
};

std::string dec(uint32_t v) { return std::to_string(v); }

std::string address_at(const Fields& f, size_t at) { return Ipv4Address{f.u32(at)}.to_string(); }

// "0x8f7b (correct)", "0x8f7b (wrong: expected 0x1234)", or just "0x8f7b" when the bytes it
// covers are not all there.
std::string checksum_value(uint16_t stored, std::optional<uint16_t> expected) {
    if (!expected) return hex16(stored);
    if (*expected == stored) return hex16(stored) + " (correct)";
    return hex16(stored) + " (wrong: expected " + hex16(*expected) + ")";
}

// "18 bytes: GET / HTTP/1.0.." — printable ASCII shown, other bytes as dots.
std::string payload_value(Span data) {
    std::string text = std::to_string(data.size()) + (data.size() == 1 ? " byte: " : " bytes: ");
    for (size_t i = 0; i < std::min<size_t>(data.size(), 24); ++i) {
        text += (data[i] >= 0x20 && data[i] < 0x7F) ? char(data[i]) : '.';
    }
    return data.size() > 24 ? text + "..." : text;
}

// --- TCP (RFC 9293 §3.1) --------------------------------------------------------------------

// "SYN, ACK"
std::string flag_list(uint8_t flags) {
    std::string text;
    for (char c : tcp_flags_to_string(flags)) text += (c == '+') ? std::string(", ") : std::string(1, c);
    return text;
}

// One option at `at`; returns its length, or 0 when it is malformed (the walk stops there).
size_t describe_tcp_option(Fields& f, const std::string& layer, size_t at, size_t end) {
    uint8_t kind = f.u8(at);
    if (kind == tcp_option::END) {
        f.add(layer, "End of options", at, end - at, "kind 0",
              "End of the option list; the rest of the header is padding.");
        return end - at;
    }
    if (kind == tcp_option::NOP) {
        f.add(layer, "No-operation", at, 1, "kind 1",
              "Padding so that the next option starts on a 4-byte boundary.");
        return 1;
    }
    size_t len = at + 1 < end ? f.u8(at + 1) : 0;
    if (len < 2 || at + len > end) {
        f.add(layer, "Malformed option", at, end - at, "kind " + dec(kind) + ", length " + dec(uint32_t(len)),
              "An option whose length byte is missing, below 2 or past the header's end: the segment is invalid.");
        return 0;
    }
    switch (kind) {
        case tcp_option::MSS:
            f.add(layer, "Maximum segment size", at, len, dec(f.u16(at + 2)),
                  "The largest payload the sender is willing to receive in one segment (RFC 9293 §3.7.1).");
            break;
        case tcp_option::WINDOW_SCALE:
            f.add(layer, "Window scale", at, len, dec(f.u8(at + 2)) + " (x" + dec(1u << std::min<uint8_t>(f.u8(at + 2), 14)) + ")",
                  "The peer must shift this side's window field left by this many bits, for windows above 64 KiB (RFC 7323).");
            break;
        case tcp_option::SACK_PERMITTED:
            f.add(layer, "SACK permitted", at, len, "yes",
                  "The sender can receive selective acknowledgments of out-of-order data (RFC 2018).");
            break;
        case tcp_option::TIMESTAMPS:
            f.add(layer, "Timestamps", at, len, "TSval=" + dec(f.u32(at + 2)) + " TSecr=" + dec(f.u32(at + 6)),
                  "A clock value and the echo of the peer's, used to measure round-trip times (RFC 7323).");
            break;
        default:
            f.add(layer, "Option kind " + dec(kind), at, len, dec(uint32_t(len)) + " bytes",
                  "An option this simulator does not model; receivers skip it by its length.");
    }
    return len;
}

// A segment from `at` to `end` (clipped to the buffer). `pseudo` is set when the whole segment is
// present, so that its checksum can be verified.
void describe_tcp(Fields& f, const std::string& prefix, size_t at, size_t end, std::optional<uint32_t> pseudo) {
    std::string layer = prefix + "TCP";
    f.add(layer, "Source port", at, 2, dec(f.u16(at)), "The sending socket's port.");
    f.add(layer, "Destination port", at + 2, 2, dec(f.u16(at + 2)),
          "The receiving socket's port; with the addresses it picks the connection.");
    f.add(layer, "Sequence number", at + 4, 4, dec(f.u32(at + 4)),
          "The number of the first data byte (or of the SYN) in this segment (RFC 9293 §3.4).");
    f.add(layer, "Acknowledgment number", at + 8, 4, dec(f.u32(at + 8)),
          "When ACK is set: the next sequence number the sender expects to receive.");
    size_t header_len = size_t(f.u8(at + 12) >> 4) * 4;
    f.add(layer, "Data offset", at + 12, 1, dec(f.u8(at + 12) >> 4) + " (" + dec(uint32_t(header_len)) + " bytes)",
          "Length of the TCP header in 32-bit words: 5 without options.");
    f.add(layer, "Reserved", at + 12, 1, hex(f.u8(at + 12) & 0x0F, 1),
          "Four bits that senders set to zero (the last one is AE in accurate-ECN experiments).");
    f.add(layer, "Flags", at + 13, 1, flag_list(f.u8(at + 13)),
          "Control bits: SYN opens a connection, ACK validates the acknowledgment, FIN closes, RST aborts, PSH pushes data.");
    f.add(layer, "Window", at + 14, 2, dec(f.u16(at + 14)),
          "How many more bytes the sender can receive beyond the acknowledged ones (flow control).");
    std::optional<uint16_t> expected;
    if (pseudo && header_len >= kTcpHeaderSize && f.has(at, end - at) && end - at >= kTcpHeaderSize) {
        expected = expected_checksum(f.range(at, end - at), kTcpChecksumAt, *pseudo);
    }
    f.add(layer, "Checksum", at + 16, 2, checksum_value(f.u16(at + 16), expected),
          "One's complement sum over a pseudo-header (addresses, protocol, length), the header and the data.");
    f.add(layer, "Urgent pointer", at + 18, 2, dec(f.u16(at + 18)),
          "When URG is set: where urgent data ends. Almost never used.");
    if (header_len < kTcpHeaderSize || at + header_len > end) return;  // bad data offset: stop here

    size_t option_end = at + header_len;
    for (size_t o = at + kTcpHeaderSize; o < option_end && o < f.size();) {
        size_t len = describe_tcp_option(f, prefix + "TCP option", o, option_end);
        if (len == 0) return;
        o += len;
    }
    if (end > option_end) {
        f.add(layer, "Payload", option_end, end - option_end, payload_value(f.range(option_end, end - option_end)),
              "The application's data carried by this segment.");
    }
}

// --- UDP (RFC 768) --------------------------------------------------------------------------

void describe_udp(Fields& f, const std::string& prefix, size_t at, size_t end, std::optional<uint32_t> pseudo) {
    std::string layer = prefix + "UDP";
    f.add(layer, "Source port", at, 2, dec(f.u16(at)), "The sending socket's port (where to reply).");
    f.add(layer, "Destination port", at + 2, 2, dec(f.u16(at + 2)), "The receiving socket's port.");
    size_t length = f.u16(at + 4);
    f.add(layer, "Length", at + 4, 2, dec(uint32_t(length)), "Length of the UDP header (8 bytes) and data.");
    uint16_t stored = f.u16(at + 6);
    std::string value;
    if (stored == 0) {
        value = "0x0000 (none)";
    } else {
        std::optional<uint16_t> expected;
        if (pseudo && length >= kUdpHeaderSize && length <= end - at && f.has(at, length)) {
            uint16_t sum = expected_checksum(f.range(at, length), kUdpChecksumAt, *pseudo);
            expected = sum == 0 ? 0xFFFF : sum;
        }
        value = checksum_value(stored, expected);
    }
    f.add(layer, "Checksum", at + 6, 2, value,
          "One's complement sum over a pseudo-header, the header and the data; 0 means none was computed.");
    if (end > at + kUdpHeaderSize) {
        size_t data_end = std::min(end, at + std::max(length, kUdpHeaderSize));
        if (data_end > at + kUdpHeaderSize) {
            f.add(layer, "Payload", at + kUdpHeaderSize, data_end - at - kUdpHeaderSize,
                  payload_value(f.range(at + kUdpHeaderSize, data_end - at - kUdpHeaderSize)),
                  "The application's data: one datagram, delivered whole or not at all.");
        }
    }
}

// --- ICMP (RFC 792) -------------------------------------------------------------------------

std::string icmp_type_name(uint8_t type) {
    switch (type) {
        case icmp_type::ECHO_REPLY: return "0 (echo reply)";
        case icmp_type::DEST_UNREACHABLE: return "3 (destination unreachable)";
        case icmp_type::ECHO_REQUEST: return "8 (echo request)";
        case icmp_type::TIME_EXCEEDED: return "11 (time exceeded)";
        default: return dec(type);
    }
}

std::string icmp_code_name(uint8_t type, uint8_t code) {
    if (type == icmp_type::DEST_UNREACHABLE) {
        switch (code) {
            case icmp_code::NET_UNREACHABLE: return "0 (net unreachable)";
            case icmp_code::HOST_UNREACHABLE: return "1 (host unreachable)";
            case icmp_code::PROTOCOL_UNREACHABLE: return "2 (protocol unreachable)";
            case icmp_code::PORT_UNREACHABLE: return "3 (port unreachable)";
            case icmp_code::FRAG_NEEDED: return "4 (fragmentation needed)";
        }
    }
    if (type == icmp_type::TIME_EXCEEDED && code == icmp_code::TTL_EXCEEDED) return "0 (TTL exceeded in transit)";
    return dec(code);
}

void describe_ipv4(Fields& f, const std::string& prefix, size_t at, size_t limit, bool quoted);

void describe_icmp(Fields& f, const std::string& prefix, size_t at, size_t end, bool quoted) {
    std::string layer = prefix + "ICMP";
    uint8_t type = f.u8(at);
    uint8_t code = f.u8(at + 1);
    f.add(layer, "Type", at, 1, icmp_type_name(type), "The kind of message: an echo (ping) or an error report.");
    f.add(layer, "Code", at + 1, 1, icmp_code_name(type, code), "Refines the type: for unreachable, what was unreachable.");
    std::optional<uint16_t> expected;
    if (!quoted && end - at >= kIcmpHeaderSize && f.has(at, end - at)) {
        expected = expected_checksum(f.range(at, end - at), kIcmpChecksumAt);
    }
    f.add(layer, "Checksum", at + 2, 2, checksum_value(f.u16(at + 2), expected),
          "One's complement sum over the whole ICMP message (no pseudo-header).");
    bool is_echo = type == icmp_type::ECHO_REQUEST || type == icmp_type::ECHO_REPLY;
    bool is_error = type == icmp_type::DEST_UNREACHABLE || type == icmp_type::TIME_EXCEEDED;
    if (is_echo) {
        f.add(layer, "Identifier", at + 4, 2, dec(f.u16(at + 4)), "Chosen by the pinger to match replies to itself.");
        f.add(layer, "Sequence number", at + 6, 2, dec(f.u16(at + 6)), "Counts the echo requests; the reply copies it.");
    } else if (type == icmp_type::DEST_UNREACHABLE && code == icmp_code::FRAG_NEEDED) {
        f.add(layer, "Unused", at + 4, 2, hex16(f.u16(at + 4)), "Zero.");
        f.add(layer, "Next-hop MTU", at + 6, 2, dec(f.u16(at + 6)),
              "The largest packet the next link carries: the sender should send smaller ones (RFC 1191).");
    } else {
        f.add(layer, "Unused", at + 4, 4, hex(f.u32(at + 4), 8), "Unused by this message type: zero.");
    }
    size_t data_at = at + kIcmpHeaderSize;
    if (end <= data_at || !f.has(data_at, 1)) return;
    if (is_error && !quoted) {
        f.add(layer, "Quoted datagram", data_at, end - data_at, dec(uint32_t(end - data_at)) + " bytes",
              "The start of the packet that caused the error, its IP header and at least 8 more bytes, so the "
              "sender can tell which socket it concerns (RFC 792).");
        describe_ipv4(f, "quoted ", data_at, end, true);
    } else {
        f.add(layer, "Data", data_at, end - data_at, payload_value(f.range(data_at, end - data_at)),
              is_echo ? "Arbitrary bytes that the echo reply sends back unchanged."
                      : "The rest of the message.");
    }
}

// --- IPv4 (RFC 791 §3.1) --------------------------------------------------------------------

std::string ip_protocol_name(uint8_t protocol) {
    switch (protocol) {
        case ip_proto::ICMP: return "1 (ICMP)";
        case ip_proto::TCP: return "6 (TCP)";
        case ip_proto::UDP: return "17 (UDP)";
        default: return dec(protocol);
    }
}

std::string ip_flags(uint16_t word) {
    std::string text;
    if (word & kIpReservedFlag) text += "reserved ";
    if (word & kIpDontFragment) text += "DF ";
    if (word & kIpMoreFragments) text += "MF ";
    if (text.empty()) return "none";
    text.pop_back();
    std::replace(text.begin(), text.end(), ' ', ',');
    return text;
}

// A datagram from `at`, within `limit`: the packet itself, or (quoted) the start of one inside an
// ICMP error, cut short on purpose, whose transport checksum can be verified only if it is whole.
void describe_ipv4(Fields& f, const std::string& prefix, size_t at, size_t limit, bool quoted) {
    std::string layer = prefix + "IPv4";
    uint8_t first = f.u8(at);
    f.add(layer, "Version", at, 1, dec(first >> 4), "IP version: 4 for IPv4 (RFC 791).");
    size_t header_len = size_t(first & 0x0F) * 4;
    f.add(layer, "Header length (IHL)", at, 1, dec(first & 0x0F) + " (" + dec(uint32_t(header_len)) + " bytes)",
          "Length of the IP header in 32-bit words: 5 means 20 bytes, no options.");
    f.add(layer, "Type of service", at + 1, 1, hex(f.u8(at + 1), 2),
          "DSCP (priority class, upper 6 bits) and ECN (congestion marks, lower 2 bits) (RFC 2474, RFC 3168).");
    size_t total_len = f.u16(at + 2);
    f.add(layer, "Total length", at + 2, 2, dec(uint32_t(total_len)), "Length of the whole packet, header and data, in bytes.");
    f.add(layer, "Identification", at + 4, 2, hex16(f.u16(at + 4)) + " (" + dec(f.u16(at + 4)) + ")",
          "Identifies the fragments of one datagram so that the receiver can put them together again.");
    uint16_t flags_word = f.u16(at + 6);
    f.add(layer, "Flags", at + 6, 2, ip_flags(flags_word),
          "DF (don't fragment): drop rather than split the packet; MF (more fragments): more pieces follow.");
    f.add(layer, "Fragment offset", at + 6, 2, dec(uint32_t(flags_word & kIpFragmentOffsetMask) * 8),
          "Where this fragment's data starts in the original datagram, in bytes (stored in units of 8).");
    f.add(layer, "Time to live", at + 8, 1, dec(f.u8(at + 8)),
          "Each router decrements it; at 0 the packet is dropped (RFC 791).");
    uint8_t protocol = f.u8(at + 9);
    f.add(layer, "Protocol", at + 9, 1, ip_protocol_name(protocol), "Which protocol the data carries: 1 ICMP, 6 TCP, 17 UDP.");
    std::optional<uint16_t> expected;
    if (header_len >= kIpv4HeaderSize && f.has(at, header_len)) {
        expected = expected_checksum(f.range(at, header_len), kIpv4ChecksumAt);
    }
    f.add(layer, "Header checksum", at + 10, 2, checksum_value(f.u16(at + 10), expected),
          "One's complement sum of the header's 16-bit words; each router recomputes it as the TTL changes (RFC 1071).");
    f.add(layer, "Source address", at + 12, 4, address_at(f, at + 12), "The sender's address.");
    f.add(layer, "Destination address", at + 16, 4, address_at(f, at + 16), "The final receiver's address.");

    // What follows depends on lengths read from the packet: check them before going on.
    if (!f.has(at, kIpv4HeaderSize) || header_len < kIpv4HeaderSize || total_len < header_len) return;
    if (header_len > kIpv4HeaderSize) {
        f.add(layer, "Options", at + kIpv4HeaderSize, header_len - kIpv4HeaderSize,
              dec(uint32_t(header_len - kIpv4HeaderSize)) + " bytes", "IP options: rarely used today.");
    }
    size_t start = at + header_len;
    size_t end = std::min(at + total_len, limit);
    if (start >= end) return;
    // Transport checksums can be verified only when the whole datagram is in the buffer.
    std::optional<uint32_t> pseudo;
    if (at + total_len <= limit) {
        pseudo = pseudo_header_sum(Ipv4Address{f.u32(at + 12)}, Ipv4Address{f.u32(at + 16)}, protocol,
                                   uint16_t(total_len - header_len));
    }
    switch (protocol) {
        case ip_proto::TCP: describe_tcp(f, prefix, start, end, pseudo); break;
        case ip_proto::UDP: describe_udp(f, prefix, start, end, pseudo); break;
        case ip_proto::ICMP: describe_icmp(f, prefix, start, end, quoted); break;
        default:
            f.add(layer, "Data", start, end - start, payload_value(f.range(start, end - start)),
                  "The data of a protocol this simulator does not model.");
    }
}

}  // namespace

std::vector<WireField> describe(std::span<const uint8_t> bytes) {
    Fields f(bytes);
    describe_ipv4(f, "", 0, bytes.size(), false);
    // Say where the buffer and the packet disagree in length.
    size_t expected = kIpv4HeaderSize;
    if (bytes.size() >= 4) expected = std::max<size_t>(expected, get16(bytes, 2));  // total length
    if (bytes.size() < expected) {
        f.add("IPv4", "Missing bytes", bytes.size(), 0,
              dec(uint32_t(bytes.size())) + " of " + dec(uint32_t(expected)) + " bytes present",
              "The buffer ends before the packet does: the fields after this point are missing.");
    } else if (bytes.size() > expected) {
        f.add("IPv4", "Trailing bytes", expected, bytes.size() - expected, dec(uint32_t(bytes.size() - expected)) + " bytes",
              "Bytes after the packet's total length, such as Ethernet padding: not part of the packet.");
    }
    return f.take();
}

}  // namespace netstep::wire
