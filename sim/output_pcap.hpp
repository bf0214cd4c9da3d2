// The trace as packet captures for Wireshark and tshark.
#pragma once
#include <cstdint>
#include <string>

#include "sim/trace.hpp"

namespace netstep::sim {

// What `netstep run --pcap FILE` writes, whatever FILE's extension: one pcapng file
// (draft-ietf-opsawg-pcapng) with one interface per network of the trace (interface i is
// trace.networks[i]: if_name its name, if_description "office 192.168.1.0/24", nanosecond
// timestamps) and every frame once (one per PacketSent event), on the interface of the network it
// crossed, stamped and ordered by the time its first bit went on the wire (TracePacket::sent;
// equal times in step order). A routed packet is one frame per hop, each on its own interface.
// Ethernet II frames (LINKTYPE_ETHERNET) when trace.ethernet, else raw IPv4 (LINKTYPE_RAW).
// Through write_output (sim/output.hpp): "-" is standard output, special files in place, regular
// files atomically. Throws std::runtime_error naming the file and the reason when it cannot be
// written.
void write_pcap(const Trace& trace, const std::string& path);

// What `netstep run --pcap-link NETWORK=FILE` writes: a classic pcap (pcap-savefile(5), nanosecond
// timestamps) of the frames that crossed trace.networks[network] only, in the same order, as one
// capture point on that link would see them. Through write_output, as write_pcap. `network` must be an index into
// trace.networks (std::out_of_range otherwise).
void write_pcap_link(const Trace& trace, uint32_t network, const std::string& path);

}  // namespace netstep::sim
