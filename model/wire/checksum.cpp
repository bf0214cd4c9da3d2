// The Internet checksum (RFC 1071) and the TCP/UDP pseudo-header.
#include "model/wire/wire.hpp"

namespace netstep::wire {

uint32_t checksum_add(std::span<const uint8_t> data, uint32_t sum) {
    // Add 16-bit words into 32 bits; fold the carries now and then so nothing overflows.
    size_t i = 0;
    for (; i + 1 < data.size(); i += 2) {
        sum += uint32_t((data[i] << 8) | data[i + 1]);
        if (sum & 0x8000'0000u) sum = (sum & 0xFFFF) + (sum >> 16);
    }
    if (i < data.size()) sum += uint32_t(data[i] << 8);  // odd length: pad with a zero byte
    return sum;
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
