// Addresses: IPv4 address and prefix, endpoint (address, port), four-tuple.
#pragma once
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace netstep {

struct Ipv4Address {
    uint32_t value = 0;  // host byte order: 192.168.1.10 is 0xC0A8010A

    static constexpr Ipv4Address from_octets(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
        return {(uint32_t(a) << 24) | (uint32_t(b) << 16) | (uint32_t(c) << 8) | uint32_t(d)};
    }
    static constexpr Ipv4Address any() { return {0}; }
    static constexpr Ipv4Address broadcast() { return {0xFFFFFFFFu}; }
    // Strict dotted quad ("192.168.1.10"); nullopt on anything else.
    static std::optional<Ipv4Address> parse(std::string_view text);

    constexpr bool is_unspecified() const { return value == 0; }
    constexpr bool is_loopback() const { return (value >> 24) == 127; }
    constexpr auto operator<=>(const Ipv4Address&) const = default;
    std::string to_string() const;
};

// An address with a prefix length: 192.168.1.0/24, or an interface's 192.168.1.10/24.
struct Ipv4Prefix {
    Ipv4Address address;
    uint8_t length = 0;  // 0..32

    // "192.168.1.0/24"; nullopt on anything else.
    static std::optional<Ipv4Prefix> parse(std::string_view text);

    constexpr uint32_t mask_bits() const { return length == 0 ? 0 : ~uint32_t(0) << (32 - length); }
    constexpr Ipv4Address mask() const { return {mask_bits()}; }
    constexpr Ipv4Address network() const { return {address.value & mask_bits()}; }
    constexpr Ipv4Address broadcast() const { return {network().value | ~mask_bits()}; }
    constexpr bool contains(Ipv4Address a) const { return (a.value & mask_bits()) == network().value; }
    constexpr auto operator<=>(const Ipv4Prefix&) const = default;
    std::string to_string() const;  // "192.168.1.0/24"
};

struct Endpoint {
    Ipv4Address address;
    uint16_t port = 0;

    constexpr auto operator<=>(const Endpoint&) const = default;
    std::string to_string() const;  // "192.168.1.10:49152"
};

// A connection's identity, seen from one end.
struct FourTuple {
    Endpoint local;
    Endpoint remote;

    constexpr FourTuple reversed() const { return {remote, local}; }
    constexpr auto operator<=>(const FourTuple&) const = default;
    std::string to_string() const;  // "192.168.1.10:49152 > 192.168.1.20:80"
};

}  // namespace netstep

template <>
struct std::hash<netstep::FourTuple> {
    size_t operator()(const netstep::FourTuple& t) const noexcept {
        uint64_t a = (uint64_t(t.local.address.value) << 16) ^ t.local.port;
        uint64_t b = (uint64_t(t.remote.address.value) << 16) ^ t.remote.port;
        return std::hash<uint64_t>{}(a * 0x9E3779B97F4A7C15ull ^ b);
    }
};
