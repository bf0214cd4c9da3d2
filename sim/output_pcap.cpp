// The trace as packet captures for Wireshark: each frame once, when its sender puts it on the wire,
// with nanosecond timestamps that are the simulated times; the bytes are exactly those the model
// emitted, checksums included. Ethernet II frames without FCS (LINKTYPE_ETHERNET 1) when the link
// layer is on, else raw IPv4 packets (LINKTYPE_RAW 101).
//
// Two formats, both written here by hand, little-endian whatever the host:
//  - pcapng (draft-ietf-opsawg-pcapng, "the draft" below) for --pcap: one Section Header Block,
//    one Interface Description Block per network, one Enhanced Packet Block per frame. One file
//    holds every network, and Wireshark knows which frame crossed which link (frame.interface_id,
//    frame.interface_name), so a routed packet's two hops are two frames on two interfaces.
//    Neither libpcap's public API nor Debian's libpcap-dev writes pcapng.
//  - classic pcap (the 24-byte file header and 16-byte record headers of libpcap's savefile.c,
//    "pcap-savefile(5)") for --pcap-link: one network only, as a capture on that link.
// Both go through write_output and write_stream: every write checked, the old file kept on any
// error (libpcap's pcap_dump does not report a failed write).
#include <algorithm>
#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/output.hpp"
#include "sim/output_pcap.hpp"

namespace netstep::sim {

namespace {

constexpr uint32_t kLinkTypeEthernet = 1;  // LINKTYPE_ETHERNET: Ethernet II frames, no FCS (tcpdump.org/linktypes)
constexpr uint32_t kLinkTypeRaw = 101;     // LINKTYPE_RAW: raw IPv4
constexpr uint32_t kMaxIpv4 = 65535;       // the largest IPv4 packet (RFC 791 Total Length)
constexpr uint32_t kEthernetHeader = 14;   // destination, source, EtherType

uint32_t link_type(const Trace& trace) { return trace.ethernet ? kLinkTypeEthernet : kLinkTypeRaw; }

// The largest frame the link can carry: every frame is stored whole (captured length = original
// length), so the snapshot length never cuts one.
uint32_t snap_length(const Trace& trace) { return kMaxIpv4 + (trace.ethernet ? kEthernetHeader : 0); }

void put16(std::ostream& out, uint16_t v) {
    const char b[2] = {char(v & 0xff), char(v >> 8)};
    out.write(b, 2);
}

void put32(std::ostream& out, uint32_t v) {
    const char b[4] = {char(v & 0xff), char((v >> 8) & 0xff), char((v >> 16) & 0xff), char(v >> 24)};
    out.write(b, 4);
}

void put64(std::ostream& out, uint64_t v) {
    put32(out, uint32_t(v & 0xffffffff));
    put32(out, uint32_t(v >> 32));
}

// Zero bytes up to the next multiple of 4 after `size` bytes (draft 3.1 and 3.6.2: block bodies and
// option values are padded to 32 bits).
uint32_t padding(size_t size) { return uint32_t((4 - size % 4) % 4); }

void put_padding(std::ostream& out, size_t size) {
    static constexpr char zeros[4] = {};
    out.write(zeros, padding(size));
}

// Every packet once, when its first bit goes on the wire (TracePacket::sent), in that order as a
// capture would have them: the PacketSent events sorted by time, stably (ties in step order). A
// frame that waited for the link to be free (bandwidth) is sent after its event, possibly after
// frames whose events came later.
template <typename Fn>
void for_each_sent(const Trace& trace, Fn&& fn) {
    std::vector<uint32_t> sent;
    for (const TraceEvent& e : trace.events) {
        if (e.kind == EventKind::PacketSent && e.packet < trace.packets.size()) sent.push_back(e.packet);
    }
    std::stable_sort(sent.begin(), sent.end(),
                     [&](uint32_t a, uint32_t b) { return trace.packets[a].sent < trace.packets[b].sent; });
    for (uint32_t packet : sent) fn(trace.packets[packet]);
}

// --- pcapng ----------------------------------------------------------------------------------

constexpr uint32_t kBlockSectionHeader = 0x0A0D0D0A;   // draft 4.1
constexpr uint32_t kByteOrderMagic = 0x1A2B3C4D;       // draft 4.1: read back as 0x4D3C2B1A if swapped
constexpr uint32_t kBlockInterface = 0x00000001;       // draft 4.2
constexpr uint32_t kBlockEnhancedPacket = 0x00000006;  // draft 4.3
constexpr uint16_t kOptEndOfOpt = 0;                   // draft 3.5
constexpr uint16_t kOptShbUserAppl = 4;                // draft 4.1
constexpr uint16_t kOptIfName = 2;                     // draft 4.2
constexpr uint16_t kOptIfDescription = 3;
constexpr uint16_t kOptIfTsresol = 9;
constexpr uint8_t kTsresolNanoseconds = 9;             // draft 4.2: 10^-9 s (the default is 10^-6)

// The options of a block (draft 3.5): each a 16-bit code, a 16-bit length of the value without
// padding, the value padded to 32 bits; the list ends with opt_endofopt.
class Options {
public:
    void add(uint16_t code, std::string_view value) {
        // An option's length is 16 bits: a longer value (a network name over 64 KiB) is cut.
        size_t length = std::min<size_t>(value.size(), 0xfff0);
        entries_.push_back({code, std::string(value.substr(0, length))});
    }
    uint32_t size() const {
        size_t total = 4;  // opt_endofopt
        for (const Entry& e : entries_) total += 4 + e.value.size() + padding(e.value.size());
        return uint32_t(total);
    }
    void write(std::ostream& out) const {
        for (const Entry& e : entries_) {
            put16(out, e.code);
            put16(out, uint16_t(e.value.size()));
            out.write(e.value.data(), std::streamsize(e.value.size()));
            put_padding(out, e.value.size());
        }
        put16(out, kOptEndOfOpt);
        put16(out, 0);
    }

private:
    struct Entry {
        uint16_t code;
        std::string value;
    };
    std::vector<Entry> entries_;
};

// Section Header Block (draft 4.1): byte-order magic, version 1.0, section length -1 (not given:
// the file may be a stream), shb_userappl.
void write_section_header(std::ostream& out) {
    Options options;
    options.add(kOptShbUserAppl, "netstep");
    uint32_t total = 12 + 16 + options.size();
    put32(out, kBlockSectionHeader);
    put32(out, total);
    put32(out, kByteOrderMagic);
    put16(out, 1);  // major version
    put16(out, 0);  // minor version
    put64(out, ~uint64_t(0));
    options.write(out);
    put32(out, total);
}

// Interface Description Block (draft 4.2): the link type, the snapshot length and the network's
// name, description and timestamp resolution.
void write_interface(std::ostream& out, const Trace& trace, const TraceNetwork& network) {
    Options options;
    options.add(kOptIfName, network.name);
    options.add(kOptIfDescription, network.name + " " + network.subnet.to_string());
    options.add(kOptIfTsresol, std::string_view(reinterpret_cast<const char*>(&kTsresolNanoseconds), 1));
    uint32_t total = 12 + 8 + options.size();
    put32(out, kBlockInterface);
    put32(out, total);
    put16(out, uint16_t(link_type(trace)));
    put16(out, 0);  // reserved
    put32(out, snap_length(trace));
    options.write(out);
    put32(out, total);
}

// Enhanced Packet Block (draft 4.3): the interface, a 64-bit timestamp in the interface's units
// (ns) as its high and low 32 bits, captured and original lengths, the frame padded to 32 bits.
void write_enhanced_packet(std::ostream& out, const Trace& trace, const TracePacket& packet) {
    uint32_t caplen = uint32_t(std::min<size_t>(packet.bytes.size(), snap_length(trace)));
    uint32_t total = 12 + 20 + caplen + padding(caplen);
    uint64_t ns = uint64_t(std::max<int64_t>(packet.sent.ns, 0));
    put32(out, kBlockEnhancedPacket);
    put32(out, total);
    put32(out, packet.network);
    put32(out, uint32_t(ns >> 32));
    put32(out, uint32_t(ns & 0xffffffff));
    put32(out, caplen);
    put32(out, uint32_t(packet.bytes.size()));
    out.write(reinterpret_cast<const char*>(packet.bytes.data()), std::streamsize(caplen));
    put_padding(out, caplen);
    put32(out, total);
}

void write_pcapng_stream(const Trace& trace, std::ostream& out) {
    write_section_header(out);
    // Interface i is network i: an Enhanced Packet Block's Interface ID is the packet's network.
    for (const TraceNetwork& network : trace.networks) write_interface(out, trace, network);
    for_each_sent(trace, [&](const TracePacket& packet) {
        if (packet.network < trace.networks.size()) write_enhanced_packet(out, trace, packet);
    });
}

// --- classic pcap ----------------------------------------------------------------------------

constexpr uint32_t kMagicNanoseconds = 0xa1b23c4d;  // pcap-savefile(5): timestamps in ns

void write_pcap_link_stream(const Trace& trace, uint32_t network, std::ostream& out) {
    const uint32_t snaplen = snap_length(trace);
    put32(out, kMagicNanoseconds);
    put16(out, 2);  // version 2.4
    put16(out, 4);
    put32(out, 0);  // thiszone: UTC
    put32(out, 0);  // sigfigs
    put32(out, snaplen);
    put32(out, link_type(trace));
    for_each_sent(trace, [&](const TracePacket& packet) {
        if (packet.network != network) return;
        uint32_t caplen = uint32_t(std::min<size_t>(packet.bytes.size(), snaplen));
        int64_t ns = std::max<int64_t>(packet.sent.ns, 0);
        put32(out, uint32_t(ns / 1'000'000'000));
        put32(out, uint32_t(ns % 1'000'000'000));
        put32(out, caplen);
        put32(out, uint32_t(packet.bytes.size()));
        out.write(reinterpret_cast<const char*>(packet.bytes.data()), std::streamsize(caplen));
    });
}

}  // namespace

void write_pcap(const Trace& trace, const std::string& path) {
    write_output(path, [&trace](const OutputFd& out) {
        write_stream(out, [&trace](std::ostream& stream) { write_pcapng_stream(trace, stream); });
    });
}

void write_pcap_link(const Trace& trace, uint32_t network, const std::string& path) {
    if (network >= trace.networks.size()) throw std::out_of_range("write_pcap_link: no network " + std::to_string(network));
    write_output(path, [&trace, network](const OutputFd& out) {
        write_stream(out, [&](std::ostream& stream) { write_pcap_link_stream(trace, network, stream); });
    });
}

}  // namespace netstep::sim
