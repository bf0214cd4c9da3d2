// Internal to model/wire: network byte order and the numbers of the TCP options.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "model/packet.hpp"
#include "model/wire/wire.hpp"

namespace netstep::wire::detail {

// Big-endian reads; the caller has checked that the bytes exist.
inline uint16_t get16(std::span<const uint8_t> b, size_t at) {
    return uint16_t((b[at] << 8) | b[at + 1]);
}
inline uint32_t get32(std::span<const uint8_t> b, size_t at) {
    return (uint32_t(get16(b, at)) << 16) | get16(b, at + 2);
}

// Big-endian writes: appended, or over bytes already there.
inline void put8(Bytes& out, uint8_t v) { out.push_back(v); }
inline void put16(Bytes& out, uint16_t v) {
    out.push_back(uint8_t(v >> 8));
    out.push_back(uint8_t(v));
}
inline void put32(Bytes& out, uint32_t v) {
    put16(out, uint16_t(v >> 16));
    put16(out, uint16_t(v));
}
inline void set16(Bytes& out, size_t at, uint16_t v) {
    out[at] = uint8_t(v >> 8);
    out[at + 1] = uint8_t(v);
}

// "0x8f7b" (digits = 4), "0x45" (digits = 2)
inline std::string hex(uint32_t v, int digits) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text = "0x";
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) text += kDigits[(v >> shift) & 0xF];
    return text;
}
inline std::string hex16(uint16_t v) { return hex(v, 4); }

// The checksum the sender should have written: computed with the field itself taken as zero.
// (Checksum fields sit at even offsets, so the words on either side stay aligned.)
inline uint16_t expected_checksum(std::span<const uint8_t> bytes, size_t field_at, uint32_t initial_sum = 0) {
    uint32_t sum = checksum_add(bytes.first(field_at), initial_sum);
    return internet_checksum(bytes.subspan(field_at + 2), sum);
}

// TCP option kinds (RFC 9293 §3.2; RFC 7323; RFC 2018) and their lengths.
namespace tcp_option {
inline constexpr uint8_t END = 0;
inline constexpr uint8_t NOP = 1;
inline constexpr uint8_t MSS = 2;
inline constexpr uint8_t WINDOW_SCALE = 3;
inline constexpr uint8_t SACK_PERMITTED = 4;
inline constexpr uint8_t SACK = 5;
inline constexpr uint8_t TIMESTAMPS = 8;
inline constexpr uint8_t MSS_LEN = 4;
inline constexpr uint8_t WINDOW_SCALE_LEN = 3;
inline constexpr uint8_t SACK_PERMITTED_LEN = 2;
inline constexpr uint8_t TIMESTAMPS_LEN = 10;
}  // namespace tcp_option

// Offsets of the checksum fields inside their headers.
inline constexpr size_t kIpv4ChecksumAt = 10;
inline constexpr size_t kTcpChecksumAt = 16;
inline constexpr size_t kUdpChecksumAt = 6;
inline constexpr size_t kIcmpChecksumAt = 2;

// The IPv4 flags and fragment offset word (RFC 791 §3.1).
inline constexpr uint16_t kIpReservedFlag = 0x8000;
inline constexpr uint16_t kIpDontFragment = 0x4000;
inline constexpr uint16_t kIpMoreFragments = 0x2000;
inline constexpr uint16_t kIpFragmentOffsetMask = 0x1FFF;

}  // namespace netstep::wire::detail
