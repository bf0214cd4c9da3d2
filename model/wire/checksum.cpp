// The Internet checksum (RFC 1071) and the TCP/UDP pseudo-header.
#include "model/wire/wire.hpp"

namespace netstep::wire {

uint32_t checksum_add(std::span<const uint8_t> data, uint32_t sum) {
    // 16-bit words added into 64 bits (no overflow below 2^48 words), then folded: the same
    // one's complement sum as folding as we go (2^16 = 1 modulo 0xFFFF), four bytes a turn.
    uint64_t total = sum;
    const uint8_t* d = data.data();
    const size_t n = data.size();
    size_t i = 0;
    for (; i + 4 <= n; i += 4) total += uint32_t((d[i] << 8) | d[i + 1]) + uint32_t((d[i + 2] << 8) | d[i + 3]);
    for (; i + 1 < n; i += 2) total += uint32_t((d[i] << 8) | d[i + 1]);
    if (i < n) total += uint32_t(d[i] << 8);  // odd length: pad with a zero byte
    while (total >> 16) total = (total & 0xFFFF) + (total >> 16);
    return uint32_t(total);
}

uint16_t internet_checksum(std::span<const uint8_t> data, uint32_t initial_sum) {
    uint32_t sum = checksum_add(data, initial_sum);
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);  // end-around carry
    return uint16_t(~sum);
}

uint32_t pseudo_header_sum(Ipv4Address src, Ipv4Address dst, uint8_t protocol, uint16_t length) {
    return (src.value >> 16) + (src.value & 0xFFFF) + (dst.value >> 16) + (dst.value & 0xFFFF) +
           protocol + length;
}

}  // namespace netstep::wire
