// MAC addresses, ARP packets and Ethernet frames as values (link.hpp).
#include "link.hpp"

#include <algorithm>

#include "rng.hpp"

namespace netstep {

namespace {

std::string mac_text(const MacAddress& m, char separator, bool upper) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string text;
    for (size_t i = 0; i < m.octets.size(); ++i) {
        if (i) text += separator;
        text += digits[m.octets[i] >> 4];
        text += digits[m.octets[i] & 0xF];
    }
    return text;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
    if (text.size() != 17) return std::nullopt;
    char separator = text[2];
    if (separator != ':' && separator != '-') return std::nullopt;
    MacAddress m;
    for (size_t i = 0; i < 6; ++i) {
        size_t at = i * 3;
        if (i > 0 && text[at - 1] != separator) return std::nullopt;
        int hi = hex_digit(text[at]);
        int lo = hex_digit(text[at + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        m.octets[i] = uint8_t(hi << 4 | lo);
    }
    return m;
}

std::string MacAddress::to_string() const { return mac_text(*this, ':', false); }
std::string MacAddress::to_windows_string() const { return mac_text(*this, '-', true); }

MacAddress derive_mac(uint64_t seed, std::string_view host, size_t interface_index) {
    uint64_t h = fnv1a64(host);
    h ^= uint64_t(interface_index) * 0x9E3779B97F4A7C15ull;
    h ^= seed;
    h = splitmix64_mix(h);
    MacAddress m;
    for (size_t i = 0; i < 6; ++i) m.octets[i] = uint8_t(h >> (40 - 8 * i));
    m.octets[0] = uint8_t((m.octets[0] & 0xFC) | 0x02);  // locally administered, unicast
    return m;
}

std::string ArpPacket::to_string() const {
    if (op == Op::Request) return "ARP, Request who-has " + target_ip.to_string() + " tell " + sender_ip.to_string();
    return "ARP, Reply " + sender_ip.to_string() + " is-at " + sender_mac.to_string();
}

uint16_t EthernetFrame::ethertype() const { return arp() ? ethertype::ARP : ethertype::IPV4; }

size_t EthernetFrame::wire_size() const {
    size_t payload_size = arp() ? kArpPacketSize : ipv4()->wire_size();
    return kEthernetHeaderSize + std::max(payload_size, kEthernetMinPayload);
}

std::string EthernetFrame::to_string() const {
    std::string head = src.to_string() + " > " + dst.to_string() + ", ";
    if (const ArpPacket* a = arp()) return head + a->to_string();
    return head + "IPv4, " + ipv4()->to_string();
}

}  // namespace netstep
