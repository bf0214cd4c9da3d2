// The trace as a pcap file for Wireshark (in the simulator's library: it links libpcap).
#pragma once
#include <string>

#include "sim/trace.hpp"

namespace netstep::sim {

// Every packet once, when its sender puts it on the wire (the PacketSent event, in step order),
// as raw IPv4 (LINKTYPE_RAW) with nanosecond timestamps = simulated time. Atomically.
// Throws std::runtime_error when the file cannot be written.
void write_pcap(const Trace& trace, const std::string& path);

}  // namespace netstep::sim
