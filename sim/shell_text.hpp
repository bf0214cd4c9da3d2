// What a host's terminal prints that is not a trace of packets: the prompt, ipconfig /all,
// ip addr and ifconfig, netstat's and ss's options, help, the shell's "not found" with its
// did-you-mean, and errno texts. Each as the real tool prints it: Windows under the textbook
// profile, Linux (bash, iproute2, net-tools, ss) under linux. (ipconfig, netstat -an and ss -tuan
// themselves: sim/engine_text.hpp, sim/netstat.hpp; ping and traceroute: sim/engine_text.hpp.)
#pragma once
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/errors.hpp"
#include "model/host.hpp"
#include "sim/engine_text.hpp"
#include "sim/netstat.hpp"

namespace netstep::sim {

// "C:\Users\laptop>" (Windows cmd) / "laptop:~$ " (bash), for host `host`.
std::string terminal_prompt(ToolStyle style, std::string_view host);

// `ipconfig /all`: the "Windows IP Configuration" block (Host Name, Primary Dns Suffix, Node Type,
// IP Routing Enabled: Yes for a router) then per adapter its Description, Physical Address
// (when the interface has a MAC: the link layer is on), DHCP Enabled: No, IPv4 Address ...
// (Preferred), Subnet Mask, Default Gateway.
std::string format_ipconfig_all(std::string_view host, const std::vector<InterfaceConfig>& interfaces,
                                bool forwarding);
// Linux interface names for a host's interfaces, in order: eth0, eth1...
std::string linux_interface_name(size_t index);
// In these, an interface's MAC address is shown when it has one (InterfaceConfig::mac): the
// engine gives it only when the link layer is on (`link: none` keeps the lines out).
// `ip addr`: lo first (127.0.0.1/8), then eth0... with "link/ether M brd ff:ff:ff:ff:ff:ff" and
// "inet A/P brd B scope global ethN".
// `dev`: that interface alone ("lo", "eth0"...; `ip addr show dev eth0`), empty for all.
std::string format_ip_addr(const std::vector<InterfaceConfig>& interfaces, std::string_view dev = {});
// `ip link`: the same interfaces, their link lines only ("mode DEFAULT" in the first line).
std::string format_ip_link(const std::vector<InterfaceConfig>& interfaces, std::string_view dev = {});
// Whether `ip ... dev NAME` names an interface of a host with `count` interfaces: lo, eth0...
bool linux_interface_exists(std::string_view dev, size_t count);
// `ifconfig` (net-tools): lo and ethN blocks with inet, netmask, broadcast, and "ether M
// txqueuelen 1000  (Ethernet)".
std::string format_ifconfig(const std::vector<InterfaceConfig>& interfaces);

// The ARP cache (HostStack::arp_table(): rows by interface then address).
// `arp -a`: Windows' arp.exe under Windows (an "Interface: A --- 0xN" block per interface with
// entries, "dynamic"/"static"; unresolved entries left out as arp.exe shows them only with -v;
// "No ARP Entries Found." when there are none), net-tools' BSD style under Linux ("? (A) at M
// [ether] on eth0", "<incomplete>", "PERM"). `only`: the entry of that address alone (arp -a
// ADDRESS). The same text for the `arp` step and the terminal's `arp -a`.
std::string format_arp(ToolStyle style, const std::vector<InterfaceConfig>& interfaces, std::span<const ArpRow> rows,
                       std::optional<Ipv4Address> only = std::nullopt);
// net-tools `arp` / `arp -n` / `arp -e`: the default (Linux) style table: "Address HWtype
// HWaddress Flags Mask Iface" (nothing at all when the cache is empty).
std::string format_arp_table(std::span<const ArpRow> rows, std::optional<Ipv4Address> only = std::nullopt);
// iproute2 `ip neigh`: "A dev eth0 lladdr M REACHABLE"; no lladdr while INCOMPLETE or FAILED.
// `dev`: that interface's entries alone, without "dev NAME" (`ip neigh show dev eth0`).
std::string format_ip_neigh(std::span<const ArpRow> rows, std::string_view dev = {});

// Which sockets and columns `netstat` / `ss` print, from their flags: NetstatOptions, in
// sim/netstat.hpp (the table's rules live there).
// The table as the tool prints it, with those options. `programs`: the name of the program
// holding each socket (by socket id), for -p. `ss`: iproute2's ss (linux), else netstat (net-tools
// under linux, Windows netstat under textbook).
std::string format_netstat(std::span<const SocketInfo> sockets, ToolStyle style, bool ss, const NetstatOptions& options,
                           const std::map<SocketId, std::string>& programs);

// `help`: the commands this terminal knows, one line each, in the style of the profile.
std::string shell_help(ToolStyle style);

// An unknown command: "'foo' is not recognized as an internal or external command,\noperable
// program or batch file." / "bash: foo: command not found" (bash names itself), then, when `suggestion` is not empty, a line
// "Did you mean 'ping'?".
std::string command_not_found(ToolStyle style, std::string_view command, std::string_view suggestion);

// "ECONNREFUSED (Connection refused)": the errno name and the C library's strerror text.
std::string errno_text(Err e);

}  // namespace netstep::sim
