// Parsing and printing IPv4 addresses, prefixes, endpoints and four-tuples.
#include "address.hpp"

#include <charconv>

namespace netstep {

namespace {

// A decimal number of 1..max_digits digits, without sign or leading zero ("0" itself is fine),
// no greater than max_value. Leading zeros are rejected: "010" is octal 8 to inet_aton.
std::optional<uint32_t> parse_decimal(std::string_view text, size_t max_digits, uint32_t max_value) {
    if (text.empty() || text.size() > max_digits) return std::nullopt;
    if (text.size() > 1 && text[0] == '0') return std::nullopt;
    uint32_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value > max_value) return std::nullopt;
    return value;
}

}  // namespace

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text) {
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
        size_t dot = text.find('.');
        bool last = (i == 3);
        if (last != (dot == std::string_view::npos)) return std::nullopt;  // exactly three dots
        auto octet = parse_decimal(text.substr(0, dot), 3, 255);
        if (!octet) return std::nullopt;
        value = (value << 8) | *octet;
        if (!last) text.remove_prefix(dot + 1);
    }
    return Ipv4Address{value};
}

std::string Ipv4Address::to_string() const {
    return std::to_string(value >> 24) + "." + std::to_string((value >> 16) & 0xFF) + "." +
           std::to_string((value >> 8) & 0xFF) + "." + std::to_string(value & 0xFF);
}

std::optional<Ipv4Prefix> Ipv4Prefix::parse(std::string_view text) {
    size_t slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto address = Ipv4Address::parse(text.substr(0, slash));
    auto length = parse_decimal(text.substr(slash + 1), 2, 32);
    if (!address || !length) return std::nullopt;
    return Ipv4Prefix{*address, uint8_t(*length)};
}

std::string Ipv4Prefix::to_string() const {
    return address.to_string() + "/" + std::to_string(length);
}

std::string Endpoint::to_string() const {
    return address.to_string() + ":" + std::to_string(port);
}

std::string FourTuple::to_string() const {
    return local.to_string() + " > " + remote.to_string();
}

}  // namespace netstep
