// The trace as a pcap file for Wireshark.
#pragma once
#include <string>

#include "sim/trace.hpp"

namespace netstep::sim {

// Every packet once, when its sender puts it on the wire (the PacketSent event, in step order),
// as raw IPv4 (LINKTYPE_RAW) with nanosecond timestamps = simulated time. Through write_output
// (sim/output.hpp): "-" is standard output, special files in place, regular files atomically.
// Throws std::runtime_error naming the file and the reason when it cannot be written.
void write_pcap(const Trace& trace, const std::string& path);

}  // namespace netstep::sim
