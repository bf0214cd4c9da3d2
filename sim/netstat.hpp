// The socket table as the OS's own tool prints it. One function makes the rows, used by the
// trace's `netstat` step and by the viewer's Hosts panel, so both always agree:
//   textbook profile: Windows `netstat -an` (the tool the course teaches beside `ipconfig`)
//       Proto  Local Address          Foreign Address        State
//       TCP    0.0.0.0:80             0.0.0.0:0              LISTENING
//   linux profile: `ss -tuan`
//       Netid  State      Recv-Q  Send-Q  Local Address:Port  Peer Address:Port
//       tcp    LISTEN     0       0       0.0.0.0:80          0.0.0.0:*
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/host.hpp"

namespace netstep::sim {

enum class NetstatStyle : uint8_t { Windows, Linux };

// The style of a trace's profile ("linux": ss; anything else: Windows netstat).
NetstatStyle netstat_style(std::string_view profile);

// Whether the tool lists the socket at all: a TCP socket in CLOSED (created, maybe bound, never
// listening or connected, or its connection over) and a UDP socket not yet bound are in no table
// the kernel shows (Linux inet_diag dumps the listening and established hashes only).
bool netstat_lists(const SocketInfo& socket);

// The name the tool gives a TCP state: Windows LISTENING, SYN_SENT, TIME_WAIT...; ss LISTEN,
// SYN-SENT, ESTAB, TIME-WAIT...
std::string_view netstat_state(TcpState state, NetstatStyle style);

struct NetstatTable {
    NetstatStyle style = NetstatStyle::Windows;
    std::vector<std::string> header;
    struct Row {
        SocketId id = 0;
        std::vector<std::string> cells;  // one per header column
    };
    std::vector<Row> rows;               // the sockets the tool lists, in the order given
};

// The rows of `sockets` (a host's table, by socket id) that the tool lists.
NetstatTable netstat_table(std::span<const SocketInfo> sockets, NetstatStyle style);

// The table as the tool prints it: columns padded as Windows pads them, or as wide as their
// widest cell (ss); no trailing spaces.
std::string format_netstat(const NetstatTable& table);
std::string format_netstat(std::span<const SocketInfo> sockets, NetstatStyle style);

}  // namespace netstep::sim
