// A host's terminal: what a typed command line asks for. One parser, used by the engine's shell
// (a terminal program runs each command it reads) and by the viewer and `netstep shell`, which
// refuse a line the shell could not run before it goes into the journal.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/engine_text.hpp"
#include "sim/scenario.hpp"
#include "sim/shell_text.hpp"

namespace netstep::sim::shell {

struct Help {};
struct Clear {};  // cls / clear: the terminal shows an Output of exactly "\f" as "clear the screen"
struct ShowConfig {
    enum class Form : uint8_t { Ipconfig, IpconfigAll, IpAddr, IpLink, Ifconfig } form = Form::Ipconfig;
    std::string dev;  // ip addr / ip link show [dev] NAME: that interface alone (empty: all)
};
// The ARP cache: `arp -a` (Windows' arp.exe; net-tools' BSD style under linux), net-tools' table
// (`arp`, `arp -n`, `arp -e`), iproute2's `ip neigh`.
struct ShowNeighbours {
    enum class Form : uint8_t { ArpA, ArpTable, IpNeigh } form = Form::ArpA;
    std::optional<step::Destination> only;  // `arp -a ADDRESS`: that entry alone
    std::string dev;                         // ip neigh show dev NAME (empty: all)
};
struct ShowSockets {
    bool ss = false;  // iproute2 ss, else netstat
    NetstatOptions options;
};
// nc HOST PORT (TCP client), nc -l PORT (a server for one connection), -u for UDP.
struct Netcat {
    bool listen = false;
    bool udp = false;
    step::Destination to;  // empty with -l
    uint16_t port = 0;
};
// A Berkeley call typed on its own (socket s tcp, bind s 8080, connect s web:80...): a step.
struct Call {
    Step step;
};

using Command = std::variant<Help, Clear, ShowConfig, ShowNeighbours, ShowSockets, step::Ping, step::Traceroute, Netcat, Call>;

struct Parsed {
    std::optional<Command> command;  // nullopt: an empty line, or an error
    std::string error;               // what the shell or the tool prints, as the real one does
    std::string name;                // the command's name ("ping"), for the program that runs it
};

// What `line` asks for, on a host of `scenario` whose terminal has the profile's `style`.
Parsed parse_command(std::string_view line, const Scenario& scenario, ToolStyle style);

// The error parse_command() gives for `line`, or "" when the shell can run it; for a caller that
// has only a trace: its hosts' names and addresses.
std::string check_command(std::string_view line, const std::vector<std::string>& host_names, ToolStyle style);

}  // namespace netstep::sim::shell
