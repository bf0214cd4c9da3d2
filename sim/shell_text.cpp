// What a host's terminal prints besides packet traces: each text as the real tool prints it.
// Every text leaves out the tool's last newline (the terminal ends the output's last line), as
// format_ipconfig() and format_netstat() do.
#include "sim/shell_text.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

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

// Windows 10/11 ipconfig /all, less what the model does not have (Physical Address, IPv6, DNS).
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

// iproute2 `ip addr` (ip/ipaddress.c): interfaces by index, lo first. No inet6 lines (no IPv6 in
// the model). An ethN has no "link/ether" line yet: the model has no MAC addresses (issue 16 adds
// them and the line).
std::string format_ip_addr(const std::vector<InterfaceConfig>& interfaces) {
    std::string out =
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n"
        "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
        "    inet 127.0.0.1/8 scope host lo\n"
        "       valid_lft forever preferred_lft forever";
    for (size_t i = 0; i < interfaces.size(); ++i) {
        const Ipv4Prefix& a = interfaces[i].address;
        std::string name = linux_interface_name(i);
        out += fmt::format("\n{}: {}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default "
                           "qlen 1000",
                           i + 2, name);
        std::optional<Ipv4Address> brd = broadcast_of(a);
        out += fmt::format("\n    inet {}/{}{} scope global {}", a.address.to_string(), a.length,
                           brd ? " brd " + brd->to_string() : "", name);
        out += "\n       valid_lft forever preferred_lft forever";
    }
    return out;
}

// net-tools `ifconfig` (lib/interface.c, ife_print_long): interfaces sorted by name (eth0... before
// lo), each block followed by an empty line. Left out: the "ether" line (no MAC addresses yet,
// issue 16), inet6 (no IPv6), and the RX/TX counters (the model does not count them).
std::string format_ifconfig(const std::vector<InterfaceConfig>& interfaces) {
    std::string out;
    for (size_t i = 0; i < interfaces.size(); ++i) {
        const Ipv4Prefix& a = interfaces[i].address;
        out += fmt::format("{}: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n", linux_interface_name(i));
        out += fmt::format("        inet {}  netmask {}  broadcast {}\n\n", a.address.to_string(), a.mask().to_string(),
                           broadcast_of(a).value_or(Ipv4Address::any()).to_string());
    }
    out += "lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536\n"
           "        inet 127.0.0.1  netmask 255.0.0.0\n"
           "        loop  txqueuelen 1000  (Local Loopback)\n";
    return out;  // its last line is the empty one after lo's block
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
