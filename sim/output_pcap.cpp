// The trace as a pcap file for Wireshark: each packet once, when its sender puts it on the wire.
// Raw IPv4 frames (DLT_RAW, written as LINKTYPE_RAW 101) with nanosecond timestamps that are the
// simulated times; the bytes are exactly those the model emitted, checksums included.
#include <pcap/pcap.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "sim/output.hpp"
#include "sim/output_pcap.hpp"

namespace netstep::sim {

namespace {

constexpr int kSnapLength = 65535;  // the largest IPv4 packet

struct PcapCloser {
    void operator()(pcap_t* p) const { pcap_close(p); }
};
struct DumperCloser {
    void operator()(pcap_dumper_t* d) const { pcap_dump_close(d); }
};

void dump_packet(pcap_dumper_t* dumper, const TracePacket& packet) {
    pcap_pkthdr header{};
    // With nanosecond precision, libpcap reads tv_usec as nanoseconds.
    header.ts.tv_sec = time_t(packet.sent.ns / 1'000'000'000);
    header.ts.tv_usec = suseconds_t(packet.sent.ns % 1'000'000'000);
    header.caplen = bpf_u_int32(std::min<size_t>(packet.bytes.size(), kSnapLength));
    header.len = bpf_u_int32(packet.bytes.size());
    pcap_dump(reinterpret_cast<u_char*>(dumper), &header, packet.bytes.data());
}

void write_pcap_to(const Trace& trace, const std::string& path) {
    std::unique_ptr<pcap_t, PcapCloser> handle(
        pcap_open_dead_with_tstamp_precision(DLT_RAW, kSnapLength, PCAP_TSTAMP_PRECISION_NANO));
    if (!handle) throw std::runtime_error("libpcap: cannot open a raw IPv4 capture");
    std::unique_ptr<pcap_dumper_t, DumperCloser> dumper(pcap_dump_open(handle.get(), path.c_str()));
    if (!dumper) throw std::runtime_error("cannot write " + path + ": " + pcap_geterr(handle.get()));
    for (const TraceEvent& e : trace.events) {
        if (e.kind != EventKind::PacketSent || e.packet >= trace.packets.size()) continue;
        dump_packet(dumper.get(), trace.packets[e.packet]);
    }
    if (pcap_dump_flush(dumper.get()) != 0) throw std::runtime_error("error while writing " + path);
}

}  // namespace

void write_pcap(const Trace& trace, const std::string& path) {
    write_file_atomically(path, [&trace](const std::string& temp) { write_pcap_to(trace, temp); });
}

}  // namespace netstep::sim
