// The socket table as the OS's own tool prints it. One function makes the rows, used by the
// trace's `netstat` step and by the viewer's Hosts panel, so both always agree:
//   textbook profile: Windows `netstat -an` (the tool the course teaches beside `ipconfig`)
//       Proto  Local Address          Foreign Address        State
//       TCP    0.0.0.0:80             0.0.0.0:0              LISTENING
//   linux profile: `ss -tuan`
//       Netid  State      Recv-Q  Send-Q  Local Address:Port  Peer Address:Port
//       tcp    LISTEN     0       0       0.0.0.0:80          0.0.0.0:*
#pragma once
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/host.hpp"

namespace netstep::sim {

// Linux: iproute2's ss; NetTools: net-tools' netstat (the terminal's `netstat` under linux).
enum class NetstatStyle : uint8_t { Windows, Linux, NetTools };

// The style of a trace's profile ("linux": ss; anything else: Windows netstat).
NetstatStyle netstat_style(std::string_view profile);

// Whether the tool lists the socket at all: a TCP socket in CLOSED (created, maybe bound, never
// listening or connected, or its connection over) and a UDP socket not yet bound are in no table
// the kernel shows (Linux inet_diag dumps the listening and established hashes only).
bool netstat_lists(const SocketInfo& socket);

// The name the tool gives a TCP state: Windows LISTENING, SYN_SENT, TIME_WAIT...; ss LISTEN,
// SYN-SENT, ESTAB, TIME-WAIT...; net-tools LISTEN, SYN_SENT, ESTABLISHED, FIN_WAIT1...
std::string_view netstat_state(TcpState state, NetstatStyle style);

// Which sockets and columns `netstat` / `ss` print, from their flags. The defaults: what the
// trace's netstat step and the viewer show (netstat -an, ss -tuan).
struct NetstatOptions {
    bool tcp = true;                  // -t (Linux), -p tcp (Windows)
    bool udp = true;                  // -u, -p udp
    bool listening_only = false;      // ss -l / netstat -l (wins over `all`)
    bool all = true;                  // -a (else: no listening sockets)
    bool programs = false;            // -p (Linux: "PID/Program name"), -b / -o (Windows)
};

// Whether the tool, with those flags, lists the socket: netstat_lists(), of the types asked, and
// listening (TCP LISTEN; UDP unconnected, or any UDP for Windows) or not as -l / -a ask. ss without -a or -l also hides
// TIME-WAIT and SYN-RECV (its default state filter, SS_CONN in iproute2's misc/ss.c).
bool netstat_shows(const SocketInfo& socket, NetstatStyle style, const NetstatOptions& options);

struct NetstatTable {
    NetstatStyle style = NetstatStyle::Windows;
    std::vector<std::string> header;
    struct Row {
        SocketId id = 0;
        std::vector<std::string> cells;  // one per header column
        std::string below;               // a line printed under the row (Windows -b: " [nc]"), or ""
    };
    std::vector<Row> rows;               // the sockets the tool lists, in the order given
};

// The rows of `sockets` (a host's table, by socket id) that the tool lists. With `options`: the
// rows and columns of those flags; `programs` (by socket id) names the program holding a socket,
// printed with options.programs: Windows -b's " [nc]" under the row, net-tools' "PID/Program
// name" column ("nc"; "-" unknown), ss's "Process" column (users:(("nc"))). No PIDs: the
// simulated hosts have no process ids, so none is invented.
NetstatTable netstat_table(std::span<const SocketInfo> sockets, NetstatStyle style);
NetstatTable netstat_table(std::span<const SocketInfo> sockets, NetstatStyle style, const NetstatOptions& options,
                           const std::map<SocketId, std::string>& programs);

// The table as the tool prints it: columns padded as Windows pads them, or as wide as their
// widest cell (ss); no trailing spaces. net-tools: its printf widths, trailing spaces included
// (netstat.c: "%-4s  %6ld %6ld %-23s %-23s %-11s").
std::string format_netstat(const NetstatTable& table);
std::string format_netstat(std::span<const SocketInfo> sockets, NetstatStyle style);

}  // namespace netstep::sim
