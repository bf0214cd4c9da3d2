// Text the engine puts into the trace: quoted payloads, ipconfig and netstat.
#include "sim/engine_text.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include <fmt/format.h>

namespace netstep::sim {

std::string quote_bytes(std::span<const uint8_t> bytes, size_t max) {
    std::string body;
    bool cut = false;
    bool after_hex_escape = false;  // "\x12" then '4' would read as one escape: escape the '4' too
    for (uint8_t b : bytes) {
        std::string piece;
        switch (b) {
            case '\r': piece = "\\r"; break;
            case '\n': piece = "\\n"; break;
            case '\t': piece = "\\t"; break;
            case '\\': piece = "\\\\"; break;
            case '"': piece = "\\\""; break;
            default:
                bool printable = b >= 0x20 && b < 0x7f && !(after_hex_escape && std::isxdigit(b));
                if (printable) piece = std::string(1, char(b));
                else piece = fmt::format("\\x{:02x}", b);
        }
        after_hex_escape = piece.size() == 4 && piece[1] == 'x';
        if (body.size() + piece.size() > max) {
            cut = true;
            break;
        }
        body += piece;
    }
    return "\"" + body + "\"" + (cut ? "..." : "");
}

std::string format_ipconfig(const std::vector<InterfaceConfig>& interfaces) {
    std::string out;
    for (size_t i = 0; i < interfaces.size(); ++i) {
        const InterfaceConfig& itf = interfaces[i];
        if (i > 0) out += "\n";
        std::string adapter = itf.adapter.empty()
                                  ? (i == 0 ? std::string("Ethernet adapter Ethernet")
                                            : fmt::format("Ethernet adapter Ethernet {}", i + 1))
                                  : itf.adapter;
        out += adapter + ":\n";
        out += "   IPv4 Address. . . : " + itf.address.address.to_string() + "\n";
        out += "   Subnet Mask . . . : " + itf.address.mask().to_string() + "\n";
        out += "   Default Gateway . :";
        if (itf.gateway) out += " " + itf.gateway->to_string();
        if (i + 1 < interfaces.size()) out += "\n";
    }
    return out;
}

std::string netstat_state(TcpState s) {
    switch (s) {
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

std::string format_netstat(const std::vector<SocketInfo>& sockets) {
    std::string out = "  Proto  Local Address          Foreign Address        State";
    for (const SocketInfo& s : sockets) {
        bool tcp = s.type == SocketType::Tcp;
        std::string foreign = s.remote ? s.remote->to_string() : (tcp ? "0.0.0.0:0" : "*:*");
        std::string state = tcp && s.state ? netstat_state(*s.state) : "";
        std::string line = fmt::format("  {:<7}{:<23}{:<23}{}", tcp ? "TCP" : "UDP", s.local.to_string(), foreign, state);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += "\n" + line;
    }
    return out;
}

Bytes filler_bytes(size_t n) {
    static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz";
    Bytes b(n);
    size_t done = std::min(n, kAlphabet.size());
    std::copy_n(kAlphabet.begin(), done, b.begin());
    while (done < n) {  // whole alphabets so far: copied after themselves, the pattern goes on
        size_t chunk = std::min(done, n - done);
        std::copy_n(b.begin(), chunk, b.begin() + ptrdiff_t(done));
        done += chunk;
    }
    return b;
}

}  // namespace netstep::sim
