// What-if edits: a fault selector for one packet, inserted into the scenario's YAML text.
#include "viz/whatif.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "sim/selector.hpp"

namespace netstep::viz {

namespace {

// The selector's match criterion beyond from/to: the exact TCP flags, or the protocol. ARP
// frames are selected by `proto: arp` only (sim/selector.hpp).
std::string kind_key(const PacketInfo& p) {
    if (p.arp) return "proto: arp";
    if (p.proto == 6) return "flags: " + tcp_flags_to_string(p.flags);
    if (p.proto == 17) return "proto: udp";
    return "proto: icmp";
}

// A hop as the engine's selector sees it (sim/selector.hpp: the one selector). `to` is the host
// owning the destination address; for ARP, the host asked about (a request) or the one a reply
// goes to, as the engine matches it.
sim::HopFacts hop_of(const TraceView& view, uint32_t packet) {
    const sim::TracePacket& p = view.trace().packets[packet];
    const PacketInfo& info = view.packet(packet);
    if (info.arp) return sim::arp_hop_facts(p.from_host, view.addressee(packet), p.to_host);
    sim::HopFacts hop;
    hop.from_host = p.from_host;
    hop.to_host = view.index().host_of(info.dst.address).value_or(kNone);
    hop.hop_host = p.to_host;
    hop.protocol = info.proto;
    hop.flags = info.proto == 6 ? info.flags : 0;
    return hop;
}

// `to` in a selector is the hop's destination host (nullopt: nobody).
std::optional<uint32_t> destination_host(const TraceView& view, uint32_t packet) {
    uint32_t to = hop_of(view, packet).to_host;
    return to == kNone ? std::nullopt : std::optional<uint32_t>(to);
}

// The selector fault_entry writes for a packet: its sender, its destination's host, and its
// exact TCP flags or its protocol.
sim::HostSelector selector_for(const TraceView& view, uint32_t packet) {
    sim::HopFacts hop = hop_of(view, packet);
    sim::HostSelector sel;
    sel.from = hop.from_host;
    sel.to = hop.to_host;
    sel.protocol = hop.protocol;
    if (hop.protocol == 6) sel.flags = hop.flags;
    return sel;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

bool is_top_level_key(const std::string& line) {
    return !line.empty() && line[0] != ' ' && line[0] != '#' && line[0] != '-' && line.find(':') != std::string::npos;
}

}  // namespace

std::string fault_entry(const TraceView& view, uint32_t packet, Fault fault) {
    const sim::TracePacket& p = view.trace().packets[packet];
    // The engine counts, per fault, the packets the sending host puts on the wire that match
    // (a duplicate's copy is made by the network, not put on the wire by the host).
    sim::HostSelector sel = selector_for(view, packet);
    int nth = 0;
    for (uint32_t i = 0; i <= packet; ++i) {
        if (view.trace().packets[i].duplicate_of == kNone && sim::matches(sel, hop_of(view, i))) ++nth;
    }
    const char* verb = fault == Fault::Drop ? "drop" : fault == Fault::Delay ? "delay" : "duplicate";
    std::string entry = std::string("- ") + verb + ": { from: " + view.index().host_name(p.from_host);
    if (auto to = destination_host(view, packet)) entry += ", to: " + view.index().host_name(*to);
    entry += ", " + kind_key(view.packet(packet)) + ", nth: " + std::to_string(nth);
    if (fault == Fault::Delay) entry += ", by: 100ms";
    return entry + " }";
}

std::string add_fault(const std::string& yaml, const std::string& entry) {
    std::vector<std::string> lines = split_lines(yaml);
    size_t key = lines.size();
    for (size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].rfind("faults:", 0) == 0) key = i;
    }
    std::ostringstream out;
    if (key == lines.size()) {
        out << yaml;
        if (!yaml.empty() && yaml.back() != '\n') out << '\n';
        out << "faults:\n  " << entry << '\n';
        return out.str();
    }
    // The list ends at the next top-level key; new entries go after its last non-blank line.
    bool inline_empty = lines[key].find("[]") != std::string::npos;
    size_t last = key;
    std::string indent = "  ";
    for (size_t i = key + 1; i < lines.size() && !is_top_level_key(lines[i]); ++i) {
        size_t first = lines[i].find_first_not_of(' ');
        if (first == std::string::npos || lines[i][first] == '#') continue;
        if (last == key && lines[i][first] == '-') indent = lines[i].substr(0, first);
        last = i;
    }
    for (size_t i = 0; i < lines.size(); ++i) {
        out << (i == key && inline_empty ? std::string("faults:") : lines[i]) << '\n';
        if (i == last) out << indent << entry << '\n';
    }
    return out.str();
}

std::string write_scenario_copy(const std::string& original, const std::string& text) {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("netstep-whatif-" + std::to_string(getpid()));
    fs::create_directories(dir);
    fs::path path = dir / fs::path(original).filename();
    std::ofstream(path) << text;
    return path.string();
}

}  // namespace netstep::viz
