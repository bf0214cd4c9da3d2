// The socket table as Windows `netstat -an` or Linux `ss -tuan` prints it.
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

// ss: Recv-Q and Send-Q are the bytes not yet read and not yet acknowledged (tcp_diag_get_info);
// an unconnected UDP socket is UNCONN, a connected one ESTAB.
std::vector<std::string> linux_row(const SocketInfo& s) {
    bool tcp = s.type == SocketType::Tcp;
    std::string state = tcp ? std::string(netstat_state(s.state.value_or(TcpState::Closed), NetstatStyle::Linux))
                            : (s.remote ? "ESTAB" : "UNCONN");
    size_t recv_q = s.vars ? s.vars->recv_queued : 0, send_q = s.vars ? s.vars->send_queued : 0;
    std::string peer = s.remote ? s.remote->to_string() : "0.0.0.0:*";
    return {tcp ? "tcp" : "udp", state, std::to_string(recv_q), std::to_string(send_q), s.local.to_string(), peer};
}

}  // namespace

NetstatTable netstat_table(std::span<const SocketInfo> sockets, NetstatStyle style) {
    NetstatTable table;
    table.style = style;
    if (style == NetstatStyle::Linux)
        table.header = {"Netid", "State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port"};
    else
        table.header = {"Proto", "Local Address", "Foreign Address", "State"};
    for (const SocketInfo& s : sockets) {
        if (!netstat_lists(s)) continue;
        table.rows.push_back({s.id, style == NetstatStyle::Linux ? linux_row(s) : windows_row(s)});
    }
    return table;
}

std::string format_netstat(const NetstatTable& table) {
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
    for (const NetstatTable::Row& r : table.rows) out += "\n" + line(r.cells);
    return out;
}

std::string format_netstat(std::span<const SocketInfo> sockets, NetstatStyle style) {
    return format_netstat(netstat_table(sockets, style));
}

}  // namespace netstep::sim
