// The real Linux kernel's captures in tests/data/captures/linux (scripts/linux-*-capture.sh):
// read back for the model's tests and the engine's.
#pragma once
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "model/link.hpp"
#include "model/packet.hpp"
#include "model/time.hpp"

namespace netstep::test {

struct Captured {
    Duration at;  // since the first frame
    Bytes bytes;
};

// A classic little-endian pcap with the Ethernet link type, as the script writes it.
inline std::vector<Captured> read_capture(const char* name) {
    std::ifstream in(std::string(NETSTEP_CAPTURES_DIR) + "/linux/" + name, std::ios::binary);
    Bytes file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(file.size() >= 24);
    auto u32 = [&](size_t at) {
        uint32_t v = 0;
        std::memcpy(&v, file.data() + at, 4);
        return v;
    };
    REQUIRE(u32(0) == 0xa1b2c3d4);
    REQUIRE(u32(20) == 1);
    std::vector<Captured> frames;
    int64_t first = -1;
    for (size_t at = 24; at + 16 <= file.size();) {
        int64_t us = int64_t(u32(at)) * 1'000'000 + u32(at + 4);
        uint32_t len = u32(at + 8);
        at += 16;
        REQUIRE(at + len <= file.size());
        if (first < 0) first = us;
        frames.push_back({Duration::micros(us - first), Bytes(file.begin() + long(at), file.begin() + long(at + len))});
        at += len;
    }
    return frames;
}

inline const MacAddress kClient = *MacAddress::parse("02:00:00:00:00:0a");
inline const MacAddress kServer = *MacAddress::parse("02:00:00:00:00:14");

// The Ethernet header of captured bytes. (The client's outgoing TCP and UDP segments carry
// partial checksums, left for the veth's checksum offload: only ARP frames are parsed whole.)
struct Header {
    MacAddress dst, src;
    uint16_t type = 0;
};
inline Header header(const Bytes& b) {
    Header h;
    std::copy_n(b.begin(), 6, h.dst.octets.begin());
    std::copy_n(b.begin() + 6, 6, h.src.octets.begin());
    h.type = uint16_t(b[12] << 8 | b[13]);
    return h;
}

}  // namespace netstep::test
