// The socket table as Windows `netstat -an`, Linux `ss -tuan` or net-tools `netstat -tuan` prints it.
#include "sim/netstat.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace netstep::sim {

NetstatStyle netstat_style(std::string_view profile) {
    return profile == "linux" ? NetstatStyle::Linux : NetstatStyle::Windows;
}

bool netstat_lists(const SocketInfo& s) {
    if (s.type == SocketType::Udp) return s.local.port != 0;
    return s.state && *s.state != TcpState::Closed;
}

std::string_view netstat_state(TcpState s, NetstatStyle style) {
    if (style == NetstatStyle::NetTools) {  // tcp_state[] in net-tools' netstat.c
        switch (s) {
            case TcpState::Closed: return "CLOSE";
            case TcpState::Listen: return "LISTEN";
            case TcpState::SynSent: return "SYN_SENT";
            case TcpState::SynReceived: return "SYN_RECV";
            case TcpState::Established: return "ESTABLISHED";
            case TcpState::FinWait1: return "FIN_WAIT1";
            case TcpState::FinWait2: return "FIN_WAIT2";
            case TcpState::CloseWait: return "CLOSE_WAIT";
            case TcpState::Closing: return "CLOSING";
            case TcpState::LastAck: return "LAST_ACK";
            case TcpState::TimeWait: return "TIME_WAIT";
        }
        return "?";
    }
    if (style == NetstatStyle::Linux) {  // ss: sstate_name[] in iproute2's misc/ss.c
        switch (s) {
            case TcpState::Closed: return "CLOSED";
            case TcpState::Listen: return "LISTEN";
            case TcpState::SynSent: return "SYN-SENT";
            case TcpState::SynReceived: return "SYN-RECV";
            case TcpState::Established: return "ESTAB";
            case TcpState::FinWait1: return "FIN-WAIT-1";
            case TcpState::FinWait2: return "FIN-WAIT-2";
            case TcpState::CloseWait: return "CLOSE-WAIT";
            case TcpState::Closing: return "CLOSING";
            case TcpState::LastAck: return "LAST-ACK";
            case TcpState::TimeWait: return "TIME-WAIT";
        }
        return "?";
    }
    switch (s) {  // Windows: MIB_TCP_STATE names as netstat prints them
        case TcpState::Closed: return "CLOSED";
        case TcpState::Listen: return "LISTENING";
        case TcpState::SynSent: return "SYN_SENT";
        case TcpState::SynReceived: return "SYN_RECEIVED";
        case TcpState::Established: return "ESTABLISHED";
        case TcpState::FinWait1: return "FIN_WAIT_1";
        case TcpState::FinWait2: return "FIN_WAIT_2";
        case TcpState::CloseWait: return "CLOSE_WAIT";
        case TcpState::Closing: return "CLOSING";
        case TcpState::LastAck: return "LAST_ACK";
        case TcpState::TimeWait: return "TIME_WAIT";
    }
    return "?";
}

namespace {

std::vector<std::string> windows_row(const SocketInfo& s) {
    bool tcp = s.type == SocketType::Tcp;
    std::string foreign = s.remote ? s.remote->to_string() : (tcp ? "0.0.0.0:0" : "*:*");
    std::string state = tcp && s.state ? std::string(netstat_state(*s.state, NetstatStyle::Windows)) : "";
    return {tcp ? "TCP" : "UDP", s.local.to_string(), foreign, state};
}

// Linux (ss and net-tools): Recv-Q and Send-Q are the bytes not yet read and not yet
// acknowledged (tcp_diag_get_info, /proc/net/tcp); the peer of a socket without one is 0.0.0.0:*.
std::string recv_q(const SocketInfo& s) { return std::to_string(s.vars ? s.vars->recv_queued : 0); }
std::string send_q(const SocketInfo& s) { return std::to_string(s.vars ? s.vars->send_queued : 0); }
std::string linux_peer(const SocketInfo& s) { return s.remote ? s.remote->to_string() : "0.0.0.0:*"; }
std::string_view proto(const SocketInfo& s) { return s.type == SocketType::Tcp ? "tcp" : "udp"; }

// ss: an unconnected UDP socket is UNCONN, a connected one ESTAB.
std::vector<std::string> linux_row(const SocketInfo& s) {
    bool tcp = s.type == SocketType::Tcp;
    std::string state = tcp ? std::string(netstat_state(s.state.value_or(TcpState::Closed), NetstatStyle::Linux))
                            : (s.remote ? "ESTAB" : "UNCONN");
    return {std::string(proto(s)), state, recv_q(s), send_q(s), s.local.to_string(), linux_peer(s)};
}

// net-tools: a UDP socket's state is ESTABLISHED when connected, else empty (udp_do_one).
std::vector<std::string> net_tools_row(const SocketInfo& s) {
    bool tcp = s.type == SocketType::Tcp;
    std::string state = tcp ? std::string(netstat_state(s.state.value_or(TcpState::Closed), NetstatStyle::NetTools))
                            : (s.remote ? "ESTABLISHED" : "");
    return {std::string(proto(s)), recv_q(s), send_q(s), s.local.to_string(), linux_peer(s), state};
}

// A server's socket, the kind -l lists and -a adds: TCP LISTEN; UDP unconnected (net-tools,
// ss's UNCONN), every UDP socket for Windows (netstat.exe shows UDP endpoints with -a only).
bool listening(const SocketInfo& s, NetstatStyle style) {
    if (s.type == SocketType::Tcp) return s.state == TcpState::Listen;
    return style == NetstatStyle::Windows || !s.remote.has_value();
}

}  // namespace

bool netstat_shows(const SocketInfo& s, NetstatStyle style, const NetstatOptions& o) {
    if (!netstat_lists(s)) return false;
    bool any_type = o.tcp || o.udp;  // neither -t nor -u: both
    if (any_type && !(s.type == SocketType::Tcp ? o.tcp : o.udp)) return false;
    if (o.listening_only) return listening(s, style);
    if (o.all) return true;
    if (listening(s, style)) return false;
    // ss's default filter: SS_CONN, every TCP state but LISTEN, CLOSE, TIME-WAIT and SYN-RECV.
    if (style == NetstatStyle::Linux && s.state)
        return *s.state != TcpState::TimeWait && *s.state != TcpState::SynReceived;
    return true;
}

NetstatTable netstat_table(std::span<const SocketInfo> sockets, NetstatStyle style) {
    return netstat_table(sockets, style, NetstatOptions{}, {});
}

NetstatTable netstat_table(std::span<const SocketInfo> sockets, NetstatStyle style, const NetstatOptions& options,
                           const std::map<SocketId, std::string>& programs) {
    NetstatTable table;
    table.style = style;
    // ss prints its Netid column only when it lists more than one kind of socket (misc/ss.c).
    bool netid = !(style == NetstatStyle::Linux && options.tcp != options.udp);
    if (style == NetstatStyle::Linux)
        table.header = {"Netid", "State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port"};
    else if (style == NetstatStyle::NetTools)
        table.header = {"Proto", "Recv-Q", "Send-Q", "Local Address", "Foreign Address", "State"};
    else
        table.header = {"Proto", "Local Address", "Foreign Address", "State"};
    if (options.programs && style == NetstatStyle::Linux) table.header.push_back("Process");
    if (options.programs && style == NetstatStyle::NetTools) table.header.push_back("PID/Program name");
    if (!netid) table.header.erase(table.header.begin());
    for (const SocketInfo& s : sockets) {
        if (!netstat_shows(s, style, options)) continue;
        NetstatTable::Row row{s.id,
                              style == NetstatStyle::Linux      ? linux_row(s)
                              : style == NetstatStyle::NetTools ? net_tools_row(s)
                                                                : windows_row(s),
                              ""};
        if (options.programs) {
            auto p = programs.find(s.id);
            bool known = p != programs.end() && !p->second.empty();
            if (style == NetstatStyle::Linux) row.cells.push_back(known ? "users:((\"" + p->second + "\"))" : "");
            else if (style == NetstatStyle::NetTools) row.cells.push_back(known ? p->second : "-");
            else if (known) row.below = " [" + p->second + "]";  // netstat -b: the executable under the row
        }
        if (!netid) row.cells.erase(row.cells.begin());
        table.rows.push_back(std::move(row));
    }
    return table;
}

std::string format_netstat(const NetstatTable& table) {
    if (table.style == NetstatStyle::NetTools) {  // netstat.c's printf formats, trailing spaces and all
        bool programs = table.header.size() > 6;
        std::string out = "Proto Recv-Q Send-Q Local Address           Foreign Address         State      ";
        if (programs) out += fmt::format(" {:<20}", table.header[6]);
        for (const NetstatTable::Row& r : table.rows) {
            const std::vector<std::string>& c = r.cells;
            out += fmt::format("\n{:<4}  {:>6} {:>6} {:<23} {:<23} {:<11}", c[0], c[1], c[2], c[3], c[4], c[5]);
            if (programs) out += fmt::format(" {:<20}", c[6]);
        }
        return out;
    }
    std::vector<size_t> width(table.header.size());
    if (table.style == NetstatStyle::Windows) {
        width = {7, 23, 23, 0};  // netstat's fixed columns, two spaces in front
    } else {
        for (size_t c = 0; c < width.size(); ++c) {
            width[c] = table.header[c].size();
            for (const NetstatTable::Row& r : table.rows) width[c] = std::max(width[c], r.cells[c].size());
            width[c] += 2;
        }
    }
    std::string indent = table.style == NetstatStyle::Windows ? "  " : "";
    auto line = [&](const std::vector<std::string>& cells) {
        std::string text = indent;
        for (size_t c = 0; c < cells.size(); ++c) text += fmt::format("{:<{}}", cells[c], width[c]);
        while (!text.empty() && text.back() == ' ') text.pop_back();
        return text;
    };
    std::string out = line(table.header);
    for (const NetstatTable::Row& r : table.rows) {
        out += "\n" + line(r.cells);
        if (!r.below.empty()) out += "\n" + r.below;
    }
    return out;
}

std::string format_netstat(std::span<const SocketInfo> sockets, NetstatStyle style) {
    return format_netstat(netstat_table(sockets, style));
}

}  // namespace netstep::sim
