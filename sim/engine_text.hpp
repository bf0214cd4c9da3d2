// Text the engine puts into the trace: what a call read or sent (escaped, shortened), and the
// output of `ipconfig`, formatted as Windows prints it (netstat: sim/netstat.hpp).
#pragma once
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
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
// The header of interface `index`'s block, without the colon: its `adapter`, or "Ethernet adapter
// Ethernet", "Ethernet adapter Ethernet 2"... (ipconfig and ipconfig /all).
std::string ipconfig_adapter(const InterfaceConfig& interface, size_t index);

// What ping and traceroute print (perform(step::Ping), perform(step::Traceroute)): Windows'
// ping and tracert under the textbook profile, iputils ping and traceroute under linux.
enum class ToolStyle { Windows, Linux };
// The style of a trace's profile ("linux": Linux's tools; anything else: Windows'), as
// netstat_style() for the socket table.
ToolStyle tool_style(std::string_view profile);

// One echo request: what came back (nothing: it timed out) and after how long.
struct ProbeOutcome {
    std::optional<PingAnswer> answer;
    Duration rtt;
};

// "web [10.0.0.80]" (Windows) / "web (10.0.0.80)" (Linux), or the address alone (Windows) /
// "10.0.0.80 (10.0.0.80)" (Linux) when no name is known.
std::string named_address(ToolStyle style, const std::string& name, Ipv4Address address);

// Windows: "Pinging web [10.0.0.80] with 32 bytes of data:";
// Linux: "PING web (10.0.0.80) 56(84) bytes of data."
std::string ping_header(ToolStyle style, const std::string& name, Ipv4Address address, size_t data_bytes);
// The line for one request ("Reply from 10.0.0.80: bytes=32 time=2ms TTL=63", "Request timed
// out.", "64 bytes from 10.0.0.80: icmp_seq=1 ttl=63 time=2.00 ms", "From 192.168.1.1
// icmp_seq=1 Time to live exceeded"); empty when the tool prints nothing (Linux, a timeout).
std::string ping_line(ToolStyle style, uint16_t sequence, const ProbeOutcome& probe, size_t data_bytes);
// The statistics at the end, after an empty line. `elapsed`: from the first request to the end.
std::string ping_statistics(ToolStyle style, const std::string& name, Ipv4Address address,
                            const std::vector<ProbeOutcome>& probes, Duration elapsed);
// Windows: "Tracing route to web [10.0.0.80]" / "over a maximum of 30 hops:" and an empty line;
// Linux: "traceroute to web (10.0.0.80), 30 hops max, 60 byte packets".
std::string traceroute_header(ToolStyle style, const std::string& name, Ipv4Address address, uint32_t max_hops,
                              size_t packet_bytes);
// One hop: its number, the three probes' times, who answered (name, empty when unknown).
std::string traceroute_line(ToolStyle style, uint32_t hop, const std::vector<ProbeOutcome>& probes,
                            const std::string& name);

// N bytes of filler for `send: { bytes: N }`: the alphabet, over and over. `offset`: the bytes
// from that position of the filler on (a long send is made a piece at a time).
Bytes filler_bytes(size_t n, size_t offset = 0);

}  // namespace netstep::sim
