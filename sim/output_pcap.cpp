// The trace as a pcap file for Wireshark: each packet once, when its sender puts it on the wire.
// Raw IPv4 frames (LINKTYPE_RAW 101) with nanosecond timestamps that are the simulated times; the
// bytes are exactly those the model emitted, checksums included.
//
// The file format is written here (24-byte file header, 16-byte record headers: the pcap format
// of libpcap's savefile.c, "pcap-savefile(5)"), little-endian whatever the host, through
// write_output and write_stream: every write checked, the old file kept on any error (libpcap's
// pcap_dump does not report a failed write).
#include <algorithm>
#include <cstdint>
#include <ostream>

#include "sim/output.hpp"
#include "sim/output_pcap.hpp"

namespace netstep::sim {

namespace {

constexpr uint32_t kMagicNanoseconds = 0xa1b23c4d;  // pcap-savefile(5): timestamps in ns
constexpr uint32_t kSnapLength = 65535;             // the largest IPv4 packet
constexpr uint32_t kLinkTypeRaw = 101;              // LINKTYPE_RAW: raw IPv4 (tcpdump.org/linktypes)
constexpr uint32_t kLinkTypeEthernet = 1;           // LINKTYPE_ETHERNET: Ethernet II frames, no FCS

void put16(std::ostream& out, uint16_t v) {
    const char b[2] = {char(v & 0xff), char(v >> 8)};
    out.write(b, 2);
}

void put32(std::ostream& out, uint32_t v) {
    const char b[4] = {char(v & 0xff), char((v >> 8) & 0xff), char((v >> 16) & 0xff), char(v >> 24)};
    out.write(b, 4);
}

void write_pcap_stream(const Trace& trace, std::ostream& out) {
    put32(out, kMagicNanoseconds);
    put16(out, 2);  // version 2.4
    put16(out, 4);
    put32(out, 0);  // thiszone: UTC
    put32(out, 0);  // sigfigs
    put32(out, kSnapLength);
    put32(out, trace.ethernet ? kLinkTypeEthernet : kLinkTypeRaw);
    for (const TraceEvent& e : trace.events) {
        if (e.kind != EventKind::PacketSent || e.packet >= trace.packets.size()) continue;
        const TracePacket& packet = trace.packets[e.packet];
        uint32_t caplen = uint32_t(std::min<size_t>(packet.bytes.size(), kSnapLength));
        put32(out, uint32_t(packet.sent.ns / 1'000'000'000));
        put32(out, uint32_t(packet.sent.ns % 1'000'000'000));
        put32(out, caplen);
        put32(out, uint32_t(packet.bytes.size()));
        out.write(reinterpret_cast<const char*>(packet.bytes.data()), std::streamsize(caplen));
    }
}

}  // namespace

void write_pcap(const Trace& trace, const std::string& path) {
    write_output(path, [&trace](const OutputFd& out) {
        write_stream(out, [&trace](std::ostream& stream) { write_pcap_stream(trace, stream); });
    });
}

}  // namespace netstep::sim
