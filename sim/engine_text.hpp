// Text the engine puts into the trace: what a call read or sent (escaped, shortened), and the
// output of `ipconfig`, formatted as Windows prints it (netstat: sim/netstat.hpp).
#pragma once
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "model/host.hpp"

namespace netstep::sim {

// `"GET / HTTP/1.0\r\n\r\n"`: quoted, with C escapes (\r \n \t \\ \" \xNN), cut after `max`
// characters of the escaped text with "..." after the closing quote.
std::string quote_bytes(std::span<const uint8_t> bytes, size_t max = 60);

// ipconfig, one block per adapter:
//   Ethernet adapter Ethernet:
//      IPv4 Address. . . : 192.168.1.20
//      Subnet Mask . . . : 255.255.255.0
//      Default Gateway . : 192.168.1.1
std::string format_ipconfig(const std::vector<InterfaceConfig>& interfaces);

// N bytes of filler for `send: { bytes: N }`: the alphabet, over and over. `offset`: the bytes
// from that position of the filler on (a long send is made a piece at a time).
Bytes filler_bytes(size_t n, size_t offset = 0);

}  // namespace netstep::sim
