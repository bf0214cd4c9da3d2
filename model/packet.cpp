// Packets as text (tcpdump style) and their size on the wire.
#include "packet.hpp"

#include <array>
#include <charconv>
#include <span>
#include <utility>

#include "wire/wire.hpp"

namespace netstep {

// ---------------------------------------------------------------------------------------------
// TCP flags

namespace {

// The printing order: connection control first, then ACK ("SYN+ACK", "FIN+ACK", "PSH+ACK").
constexpr std::array<std::pair<uint8_t, std::string_view>, 8> kFlagNames{{
    {tcp_flag::SYN, "SYN"},
    {tcp_flag::FIN, "FIN"},
    {tcp_flag::RST, "RST"},
    {tcp_flag::PSH, "PSH"},
    {tcp_flag::ACK, "ACK"},
    {tcp_flag::URG, "URG"},
    {tcp_flag::ECE, "ECE"},
    {tcp_flag::CWR, "CWR"},
}};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        auto upper = [](char c) { return (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c; };
        if (upper(a[i]) != upper(b[i])) return false;
    }
    return true;
}

std::optional<uint8_t> flag_from_name(std::string_view name) {
    for (const auto& [bit, flag_name] : kFlagNames) {
        if (equals_ignoring_case(name, flag_name)) return bit;
    }
    return std::nullopt;
}

}  // namespace

std::string tcp_flags_to_string(uint8_t flags) {
    std::string text;
    for (const auto& [bit, name] : kFlagNames) {
        if ((flags & bit) == 0) continue;
        if (!text.empty()) text += '+';
        text += name;
    }
    return text.empty() ? "none" : text;
}

std::optional<uint8_t> tcp_flags_from_string(std::string_view text) {
    if (equals_ignoring_case(text, "none")) return uint8_t(0);
    uint8_t flags = 0;
    while (true) {
        size_t plus = text.find('+');
        auto bit = flag_from_name(text.substr(0, plus));
        if (!bit) return std::nullopt;  // unknown name, or an empty one ("SYN+", "++")
        flags |= *bit;
        if (plus == std::string_view::npos) return flags;
        text.remove_prefix(plus + 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Transport bodies

namespace {

void append_number(std::string& text, uint64_t n) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    text.append(digits, end);
}

}  // namespace

// Built in one string: the text trace prints this for every packet.
std::string TcpSegment::to_string() const { return to_string(window); }

std::string TcpSegment::to_string(uint32_t window_shown) const {
    std::string text;
    text.reserve(72);
    text += '[';
    text += tcp_flags_to_string(flags);
    text += "] seq=";
    append_number(text, seq.value);
    if (has(tcp_flag::ACK)) {
        text += " ack=";
        append_number(text, ack.value);
    }
    text += " win=";
    append_number(text, window_shown);
    text += " len=";
    append_number(text, payload.size());
    if (has(tcp_flag::URG)) {
        text += " urg=";
        append_number(text, urgent);
    }
    if (mss) {
        text += " mss=";
        append_number(text, *mss);
    }
    if (window_scale) {
        text += " wscale=";
        append_number(text, *window_scale);
    }
    if (sack_permitted) text += " sackOK";
    return text;
}

std::string UdpDatagram::to_string() const {
    return "UDP len=" + std::to_string(payload.size());
}

namespace {

// What an ICMP error quotes (RFC 792): the offending datagram's IPv4 header and at least the
// first 8 bytes of its payload, enough for the ports of UDP and TCP.
struct QuotedDatagram {
    Ipv4Address dst;
    uint8_t protocol = 0;
    std::optional<uint16_t> dst_port;  // when the quote reaches the transport header
};

std::optional<QuotedDatagram> read_quote(std::span<const uint8_t> data) {
    if (data.size() < 20 || (data[0] >> 4) != 4) return std::nullopt;
    size_t header_len = size_t(data[0] & 0x0F) * 4;
    if (header_len < 20 || data.size() < header_len) return std::nullopt;
    QuotedDatagram quote;
    quote.protocol = data[9];
    quote.dst = Ipv4Address::from_octets(data[16], data[17], data[18], data[19]);
    if (data.size() >= header_len + 4) {
        quote.dst_port = uint16_t((data[header_len + 2] << 8) | data[header_len + 3]);
    }
    return quote;
}

std::string protocol_name(uint8_t protocol) {
    switch (protocol) {
        case ip_proto::TCP: return "tcp";
        case ip_proto::UDP: return "udp";
        case ip_proto::ICMP: return "icmp";
        default: return "protocol " + std::to_string(protocol);
    }
}

// Destination unreachable, as tcpdump words it when it can read the quoted datagram:
// "10.0.0.2 udp port 9999 unreachable", "host 10.0.0.2 unreachable".
std::string unreachable_text(const IcmpMessage& m) {
    auto quote = read_quote(m.data);
    std::string dst = quote ? quote->dst.to_string() : "";
    switch (m.code) {
        case icmp_code::NET_UNREACHABLE:
            return quote ? "net " + dst + " unreachable" : "net unreachable";
        case icmp_code::HOST_UNREACHABLE:
            return quote ? "host " + dst + " unreachable" : "host unreachable";
        case icmp_code::PROTOCOL_UNREACHABLE:
            return quote ? dst + " protocol " + std::to_string(quote->protocol) + " unreachable"
                         : "protocol unreachable";
        case icmp_code::PORT_UNREACHABLE:
            if (quote && quote->dst_port) {
                return dst + " " + protocol_name(quote->protocol) + " port " +
                       std::to_string(*quote->dst_port) + " unreachable";
            }
            return "port unreachable";
        case icmp_code::FRAG_NEEDED:
            // RFC 1191: the next-hop MTU sits in the low 16 bits of the "unused" word.
            return (quote ? dst + " unreachable" : std::string("unreachable")) +
                   " - need to frag (mtu " + std::to_string(m.sequence) + ")";
        default:
            return (quote ? dst + " unreachable" : std::string("unreachable")) + " code " +
                   std::to_string(m.code);
    }
}

}  // namespace

std::string IcmpMessage::to_string() const {
    auto ids = [this] { return " id=" + std::to_string(id) + " seq=" + std::to_string(sequence); };
    switch (type) {
        case icmp_type::ECHO_REQUEST: return "ICMP echo request" + ids();
        case icmp_type::ECHO_REPLY: return "ICMP echo reply" + ids();
        case icmp_type::DEST_UNREACHABLE: return "ICMP " + unreachable_text(*this);
        case icmp_type::TIME_EXCEEDED:
            return code == icmp_code::TTL_EXCEEDED ? "ICMP time exceeded in transit"
                                                   : "ICMP time exceeded in fragment reassembly";
        default:
            return "ICMP type " + std::to_string(type) + " code " + std::to_string(code);
    }
}

// ---------------------------------------------------------------------------------------------
// IPv4 packet

uint8_t Ipv4Packet::protocol() const {
    if (tcp()) return ip_proto::TCP;
    if (udp()) return ip_proto::UDP;
    return ip_proto::ICMP;
}

size_t Ipv4Packet::wire_size() const {
    return wire::kIpv4HeaderSize + wire::transport_size(*this);
}

std::string Ipv4Packet::to_string() const {
    if (const TcpSegment* s = tcp()) {
        return FourTuple{{src, s->src_port}, {dst, s->dst_port}}.to_string() + " TCP " + s->to_string();
    }
    if (const UdpDatagram* d = udp()) {
        return FourTuple{{src, d->src_port}, {dst, d->dst_port}}.to_string() + " " + d->to_string();
    }
    return src.to_string() + " > " + dst.to_string() + " " + icmp()->to_string();
}

}  // namespace netstep
