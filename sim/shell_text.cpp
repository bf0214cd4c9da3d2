// What a host's terminal prints besides packet traces: each text as the real tool prints it.
// Every text leaves out the tool's last newline (the terminal ends the output's last line), as
// format_ipconfig() and format_netstat() do.
#include "sim/shell_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace netstep::sim {

std::string terminal_prompt(ToolStyle style, std::string_view host) {
    if (style == ToolStyle::Windows) return fmt::format("C:\\Users\\{}>", host);  // cmd.exe in %USERPROFILE%
    return fmt::format("{}:~$ ", host);                                            // bash, in ~
}

// --- interfaces ----------------------------------------------------------------------------------

namespace {

// ipconfig /all's label column: the name, its dot leader, " : " (ipconfig.exe's message table).
std::string ipconfig_line(std::string_view label, std::string_view value) {
    return fmt::format("   {}: {}\n", label, value);
}

// A generic adapter description, as the device manager names the card; the second card of one
// kind gets " #2" as Windows names a second device of one model.
std::string adapter_description(const std::vector<InterfaceConfig>& interfaces, size_t index) {
    auto model = [&](size_t i) {
        bool wireless = ipconfig_adapter(interfaces[i], i).starts_with("Wireless");
        return std::string(wireless ? "Intel(R) Wi-Fi 6 AX201 160MHz" : "Intel(R) Ethernet Connection");
    };
    std::string name = model(index);
    size_t same = 0;
    for (size_t i = 0; i < index; ++i) same += model(i) == name;
    return same == 0 ? name : fmt::format("{} #{}", name, same + 1);
}

// The directed broadcast, as ip and ifconfig show it; none on a /31 or /32 (RFC 3021).
std::optional<Ipv4Address> broadcast_of(const Ipv4Prefix& p) {
    if (p.length >= 31) return std::nullopt;
    return p.broadcast();
}

}  // namespace

// Windows 10/11 ipconfig /all, less what the model does not have (IPv6, DNS, DHCP leases).
std::string format_ipconfig_all(std::string_view host, const std::vector<InterfaceConfig>& interfaces,
                                bool forwarding) {
    std::string out = "\nWindows IP Configuration\n\n";
    out += ipconfig_line("Host Name . . . . . . . . . . . . ", host);
    out += ipconfig_line("Primary Dns Suffix  . . . . . . . ", "");
    out += ipconfig_line("Node Type . . . . . . . . . . . . ", "Hybrid");
    out += ipconfig_line("IP Routing Enabled. . . . . . . . ", forwarding ? "Yes" : "No");
    out += ipconfig_line("WINS Proxy Enabled. . . . . . . . ", "No");
    for (size_t i = 0; i < interfaces.size(); ++i) {
        const InterfaceConfig& itf = interfaces[i];
        out += "\n" + ipconfig_adapter(itf, i) + ":\n\n";
        out += ipconfig_line("Connection-specific DNS Suffix  . ", "");
        out += ipconfig_line("Description . . . . . . . . . . . ", adapter_description(interfaces, i));
        if (itf.mac) out += ipconfig_line("Physical Address. . . . . . . . . ", itf.mac->to_windows_string());
        out += ipconfig_line("DHCP Enabled. . . . . . . . . . . ", "No");
        out += ipconfig_line("Autoconfiguration Enabled . . . . ", "Yes");
        out += ipconfig_line("IPv4 Address. . . . . . . . . . . ", itf.address.address.to_string() + "(Preferred) ");
        out += ipconfig_line("Subnet Mask . . . . . . . . . . . ", itf.address.mask().to_string());
        out += ipconfig_line("Default Gateway . . . . . . . . . ", itf.gateway ? itf.gateway->to_string() : "");
        out += ipconfig_line("NetBIOS over Tcpip. . . . . . . . ", "Enabled");
    }
    out.pop_back();  // the last newline: the terminal's
    return out;
}

std::string linux_interface_name(size_t index) { return fmt::format("eth{}", index); }

namespace {

constexpr std::string_view kLoopbackFlags = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN";
constexpr std::string_view kLoopbackLink = "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00";

// iproute2's first line of an interface (print_linkinfo): index, name, flags, mtu, qdisc, state;
// `mode DEFAULT` in `ip link` only.
std::string ip_link_lines(size_t index, const InterfaceConfig& itf, bool link_mode) {
    std::string out = fmt::format("{}: {}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP {}group "
                                  "default qlen 1000",
                                  index + 2, linux_interface_name(index), link_mode ? "mode DEFAULT " : "");
    if (itf.mac) out += fmt::format("\n    link/ether {} brd {}", itf.mac->to_string(), MacAddress::broadcast().to_string());
    return out;
}

}  // namespace

// iproute2 `ip addr` (ip/ipaddress.c): interfaces by index, lo first. No inet6 lines (no IPv6 in
// the model). An ethN's "link/ether" line when it has a MAC address (the link layer is on).
std::string format_ip_addr(const std::vector<InterfaceConfig>& interfaces, std::string_view dev) {
    std::vector<std::string> blocks;
    if (dev.empty() || dev == "lo") {
        blocks.push_back(fmt::format("{} group default qlen 1000\n{}\n", kLoopbackFlags, kLoopbackLink) +
                         "    inet 127.0.0.1/8 scope host lo\n"
                         "       valid_lft forever preferred_lft forever");
    }
    for (size_t i = 0; i < interfaces.size(); ++i) {
        if (!dev.empty() && dev != linux_interface_name(i)) continue;
        const Ipv4Prefix& a = interfaces[i].address;
        std::string out = ip_link_lines(i, interfaces[i], false);
        std::optional<Ipv4Address> brd = broadcast_of(a);
        out += fmt::format("\n    inet {}/{}{} scope global {}", a.address.to_string(), a.length,
                           brd ? " brd " + brd->to_string() : "", linux_interface_name(i));
        out += "\n       valid_lft forever preferred_lft forever";
        blocks.push_back(std::move(out));
    }
    return fmt::format("{}", fmt::join(blocks, "\n"));
}

// iproute2 `ip link` (ip/ipaddress.c, print_linkinfo with "mode DEFAULT"): the link lines alone.
std::string format_ip_link(const std::vector<InterfaceConfig>& interfaces, std::string_view dev) {
    std::vector<std::string> blocks;
    if (dev.empty() || dev == "lo") {
        blocks.push_back(fmt::format("{} mode DEFAULT group default qlen 1000\n{}", kLoopbackFlags, kLoopbackLink));
    }
    for (size_t i = 0; i < interfaces.size(); ++i) {
        if (dev.empty() || dev == linux_interface_name(i)) blocks.push_back(ip_link_lines(i, interfaces[i], true));
    }
    return fmt::format("{}", fmt::join(blocks, "\n"));
}

bool linux_interface_exists(std::string_view dev, size_t count) {
    if (dev == "lo") return true;
    for (size_t i = 0; i < count; ++i)
        if (dev == linux_interface_name(i)) return true;
    return false;
}

// net-tools `ifconfig` (lib/interface.c, ife_print_long): interfaces sorted by name (eth0... before
// lo), each block followed by an empty line. Left out: inet6 (no IPv6) and the RX/TX counters
// (the model does not count them). The "ether" line when the interface has a MAC address.
std::string format_ifconfig(const std::vector<InterfaceConfig>& interfaces) {
    std::string out;
    for (size_t i = 0; i < interfaces.size(); ++i) {
        const Ipv4Prefix& a = interfaces[i].address;
        out += fmt::format("{}: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n", linux_interface_name(i));
        out += fmt::format("        inet {}  netmask {}  broadcast {}\n", a.address.to_string(), a.mask().to_string(),
                           broadcast_of(a).value_or(Ipv4Address::any()).to_string());
        if (interfaces[i].mac) {
            out += fmt::format("        ether {}  txqueuelen 1000  (Ethernet)\n", interfaces[i].mac->to_string());
        }
        out += "\n";
    }
    out += "lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536\n"
           "        inet 127.0.0.1  netmask 255.0.0.0\n"
           "        loop  txqueuelen 1000  (Local Loopback)\n";
    return out;  // its last line is the empty one after lo's block
}

// --- the ARP cache ---------------------------------------------------------------------------------

namespace {

// The kernel's NUD_VALID states: the entry has a usable MAC address (net-tools' ATF_COM, ip
// neigh's lladdr).
bool resolved(const NeighbourRow& n) {
    return n.mac && n.state != NeighbourState::Incomplete && n.state != NeighbourState::Failed;
}

bool permanent(const NeighbourRow& n) { return n.is_static || n.state == NeighbourState::Permanent; }

bool shown(const ArpRow& r, std::optional<Ipv4Address> only) { return !only || r.neighbour.address == *only; }

std::string interface_name(ToolStyle style, const std::vector<InterfaceConfig>& interfaces, size_t i) {
    if (style == ToolStyle::Linux || i >= interfaces.size()) return linux_interface_name(i);
    return interfaces[i].address.address.to_string();
}

}  // namespace

std::string format_arp(ToolStyle style, const std::vector<InterfaceConfig>& interfaces, std::span<const ArpRow> rows,
                       std::optional<Ipv4Address> only) {
    std::string out;
    if (style == ToolStyle::Windows) {
        // arp.exe's messages (MSG_ARP_INTERFACE, MSG_ARP_ENTRY_FORMAT "  %-20s  %-20s  %-10s").
        // The interface index: 0xb for the first adapter, 0xc... (Windows numbers adapters as
        // they are installed). Physical addresses in lower case, as arp.exe prints them.
        std::optional<size_t> block;
        for (const ArpRow& r : rows) {
            if (!resolved(r.neighbour) || !shown(r, only)) continue;
            if (block != r.interface) {
                block = r.interface;
                out += fmt::format("\nInterface: {} --- {:#x}\n  Internet Address      Physical Address      Type\n",
                                   interface_name(style, interfaces, r.interface), r.interface + 0xb);
            }
            std::string mac = r.neighbour.mac->to_windows_string();
            for (char& c : mac) c = char(std::tolower(uint8_t(c)));
            out += fmt::format("  {:<20}  {:<20}  {:<10}\n", r.neighbour.address.to_string(), mac,
                               permanent(r.neighbour) ? "static" : "dynamic");
        }
        if (out.empty()) return "No ARP Entries Found.";
        out.pop_back();  // the last newline: the terminal's
        return out;
    }
    // net-tools arp.c, arp_disp (the BSD style of -a): no name is resolved ("?": the hosts have
    // no resolver for each other's addresses).
    size_t entries = 0;
    for (const ArpRow& r : rows) {
        ++entries;
        if (!shown(r, only)) continue;
        const NeighbourRow& n = r.neighbour;
        if (!out.empty()) out += "\n";
        out += fmt::format("? ({}) at ", n.address.to_string());
        out += resolved(n) ? fmt::format("{} [ether] ", n.mac->to_string()) : "<incomplete> ";
        if (permanent(n)) out += "PERM ";
        out += "on " + linux_interface_name(r.interface);
    }
    if (out.empty() && only) return fmt::format("arp: in {} entries no match found.", entries);
    return out;
}

// net-tools arp.c, arp_disp_2: "%-23.23s  ", "%-8.8s%-20.20s", "%-6.6s%-15.15s %s"; the title
// before the first entry only. Flags: C complete, M permanent.
std::string format_arp_table(std::span<const ArpRow> rows, std::optional<Ipv4Address> only) {
    std::string out;
    for (const ArpRow& r : rows) {
        if (!shown(r, only)) continue;
        const NeighbourRow& n = r.neighbour;
        if (out.empty()) out = "Address                  HWtype  HWaddress           Flags Mask            Iface";
        std::string flags = std::string(resolved(n) ? "C" : "") + (permanent(n) ? "M" : "");
        out += fmt::format("\n{:<23.23}  {:<8.8}{:<20.20}{:<6.6}{:<15.15} {}", n.address.to_string(),
                           resolved(n) ? "ether" : "", resolved(n) ? n.mac->to_string() : "(incomplete)", flags, "",
                           linux_interface_name(r.interface));
    }
    if (out.empty() && only) return fmt::format("{0} ({0}) -- no entry", only->to_string());
    return out;
}

// iproute2 ip/ipneigh.c, print_neigh: "%s " (address), "dev %s ", "lladdr %s" (a valid entry's),
// then " %s" per state: "192.168.1.99 dev eth0  FAILED" has two spaces.
std::string format_ip_neigh(std::span<const ArpRow> rows, std::string_view dev) {
    std::string out;
    for (const ArpRow& r : rows) {
        const NeighbourRow& n = r.neighbour;
        if (!dev.empty() && dev != linux_interface_name(r.interface)) continue;
        if (!out.empty()) out += "\n";
        out += n.address.to_string() + " ";
        // With a device filter ip prints no "dev" (print_neigh: !filter.index).
        if (dev.empty()) out += fmt::format("dev {} ", linux_interface_name(r.interface));
        if (resolved(n)) out += "lladdr " + n.mac->to_string();
        out += fmt::format(" {}", permanent(n) ? std::string_view("PERMANENT") : to_string(n.state));
    }
    return out;
}

// --- sockets ---------------------------------------------------------------------------------------

std::string format_netstat(std::span<const SocketInfo> sockets, ToolStyle style, bool ss, const NetstatOptions& options,
                           const std::map<SocketId, std::string>& programs) {
    NetstatStyle table_style = style == ToolStyle::Windows ? NetstatStyle::Windows
                               : ss                        ? NetstatStyle::Linux
                                                           : NetstatStyle::NetTools;
    std::string table = format_netstat(netstat_table(sockets, table_style, options, programs));
    switch (table_style) {
        case NetstatStyle::Windows: return "\nActive Connections\n\n" + table;  // netstat.exe's title
        case NetstatStyle::NetTools: {  // net-tools' netstat.c, before the inet table
            std::string_view which = options.listening_only ? "(only servers)"
                                     : options.all          ? "(servers and established)"
                                                            : "(w/o servers)";
            return fmt::format("Active Internet connections {}\n{}", which, table);
        }
        case NetstatStyle::Linux: break;  // ss prints the table alone
    }
    return table;
}

// --- the shell -------------------------------------------------------------------------------------

namespace {

struct HelpLine {
    std::string_view usage;
    std::string_view windows;  // cmd's HELP: a sentence
    std::string_view linux;    // a man page's NAME line: lower case, no period
};

constexpr std::array kHelp = {
    HelpLine{"ipconfig [/all]", "Displays the IP configuration of the adapters.", "show the IP configuration (Windows style)"},
    HelpLine{"ip addr", "Displays the interfaces and their addresses (Linux style).", "show the interfaces and their addresses"},
    HelpLine{"ifconfig", "Displays the interfaces (Linux net-tools style).", "show the interfaces (net-tools)"},
    HelpLine{"ip link", "Displays the interfaces and their MAC addresses (Linux style).", "show the interfaces and their MAC addresses"},
    HelpLine{"arp -a", "Displays the ARP cache: addresses and their MAC addresses.", "show the ARP cache (BSD style; arp -n: a table)"},
    HelpLine{"ip neigh", "Displays the ARP cache (Linux style).", "show the ARP cache (iproute2)"},
    HelpLine{"netstat [-a -n -t -u -l -p]", "Displays the sockets and connections.", "show the sockets and connections"},
    HelpLine{"ss [-t -u -a -l -n -p]", "Displays the sockets (Linux ss).", "show the sockets (iproute2)"},
    HelpLine{"ping [-n N | -c N] HOST", "Sends N echo requests to HOST.", "send N echo requests to HOST"},
    HelpLine{"tracert HOST", "Traces the route to HOST.", "trace the route to HOST (Windows style)"},
    HelpLine{"traceroute HOST", "Traces the route to HOST (Linux style).", "trace the route to HOST"},
    HelpLine{"nc HOST PORT", "Connects to HOST:PORT over TCP.", "connect to HOST:PORT over TCP"},
    HelpLine{"nc -l PORT", "Waits for one TCP connection on PORT.", "wait for one TCP connection on PORT"},
    HelpLine{"nc -u HOST PORT", "Sends UDP datagrams to HOST:PORT.", "send UDP datagrams to HOST:PORT"},
    HelpLine{"", "  (nc: Ctrl-D ends the input, Ctrl-C stops.)", "  (nc: Ctrl-D ends the input, Ctrl-C stops)"},
    HelpLine{"socket s tcp|udp", "Creates socket s.", "create socket s"},
    HelpLine{"setsockopt s reuseaddr", "Sets SO_REUSEADDR on s.", "set SO_REUSEADDR on s"},
    HelpLine{"bind s PORT", "Binds s to PORT.", "bind s to PORT"},
    HelpLine{"listen s", "Makes s wait for connections.", "make s wait for connections"},
    HelpLine{"accept s c", "Takes a connection of s as socket c.", "take a connection of s as socket c"},
    HelpLine{"connect s HOST:PORT", "Connects s to HOST:PORT.", "connect s to HOST:PORT"},
    HelpLine{"send s \"TEXT\"", "Sends TEXT on s.", "send TEXT on s"},
    HelpLine{"recv s", "Receives what came on s.", "receive what came on s"},
    HelpLine{"sendto s HOST:PORT \"TEXT\"", "Sends TEXT in a datagram to HOST:PORT.", "send TEXT in a datagram to HOST:PORT"},
    HelpLine{"recvfrom s", "Receives a datagram on s.", "receive a datagram on s"},
    HelpLine{"shutdown s read|write|both", "Shuts down reading, writing or both on s.", "shut down reading, writing or both on s"},
    HelpLine{"close s", "Closes s.", "close s"},
    HelpLine{"help", "Lists these commands.", "list these commands"},
};

}  // namespace

std::string shell_help(ToolStyle style) {
    bool windows = style == ToolStyle::Windows;
    std::vector<std::pair<std::string_view, std::string_view>> lines;
    for (const HelpLine& h : kHelp) lines.emplace_back(h.usage, windows ? h.windows : h.linux);
    lines.emplace_back(windows ? "cls" : "clear", windows ? "Clears the screen." : "clear the screen");
    size_t width = 0;
    for (const auto& [usage, what] : lines) width = std::max(width, usage.size());
    std::string out;
    for (const auto& [usage, what] : lines) {
        if (!out.empty()) out += "\n";
        out += usage.empty() ? fmt::format("{:<{}}{}", "", width, what) : fmt::format("{:<{}}  {}", usage, width, what);
    }
    return out;
}

std::string command_not_found(ToolStyle style, std::string_view command, std::string_view suggestion) {
    std::string out = style == ToolStyle::Windows
                          ? fmt::format("'{}' is not recognized as an internal or external command,\n"
                                        "operable program or batch file.",
                                        command)                               // cmd.exe
                          : fmt::format("bash: {}: command not found", command);  // bash's execute_cmd.c
    if (!suggestion.empty()) out += fmt::format("\nDid you mean '{}'?", suggestion);
    return out;
}

// glibc's strerror() texts (sysdeps/gnu/errlist.h).
std::string errno_text(Err e) {
    std::string_view text = "Unknown error";
    switch (e) {
        case Err::ConnRefused: text = "Connection refused"; break;
        case Err::ConnReset: text = "Connection reset by peer"; break;
        case Err::TimedOut: text = "Connection timed out"; break;
        case Err::AddrInUse: text = "Address already in use"; break;
        case Err::AddrNotAvail: text = "Cannot assign requested address"; break;
        case Err::NotConn: text = "Transport endpoint is not connected"; break;
        case Err::IsConn: text = "Transport endpoint is already connected"; break;
        case Err::HostUnreach: text = "No route to host"; break;
        case Err::NetUnreach: text = "Network is unreachable"; break;
        case Err::MsgSize: text = "Message too long"; break;
        case Err::Again: text = "Resource temporarily unavailable"; break;
        case Err::Inval: text = "Invalid argument"; break;
        case Err::Pipe: text = "Broken pipe"; break;
        case Err::BadF: text = "Bad file descriptor"; break;
        case Err::OpNotSupp: text = "Operation not supported"; break;
        case Err::Already: text = "Operation already in progress"; break;
        case Err::DestAddrReq: text = "Destination address required"; break;
        case Err::ConnAborted: text = "Software caused connection abort"; break;
        case Err::MFile: text = "Too many open files"; break;
    }
    return fmt::format("{} ({})", to_string(e), text);
}

}  // namespace netstep::sim
