// TCP state names as RFC 9293 spells them (§3.3.2).
#include "tcp_state.hpp"

#include <array>

namespace netstep {

namespace {

// Indexed by the enumerator's value; the order of the enum.
constexpr std::array<std::string_view, kTcpStateCount> kNames{
    "CLOSED",    "LISTEN",     "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
    "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",  "LAST-ACK",     "TIME-WAIT",
};

// Case-insensitive, and '_' matches '-': "syn_received" names SYN-RECEIVED.
bool same_name(std::string_view text, std::string_view name) {
    if (text.size() != name.size()) return false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
        if (c == '_') c = '-';
        if (c != name[i]) return false;
    }
    return true;
}

}  // namespace

std::string_view to_string(TcpState s) {
    auto index = static_cast<size_t>(s);
    return index < kNames.size() ? kNames[index] : "?";
}

std::optional<TcpState> tcp_state_from_string(std::string_view text) {
    for (size_t i = 0; i < kNames.size(); ++i) {
        if (same_name(text, kNames[i])) return static_cast<TcpState>(i);
    }
    return std::nullopt;
}

}  // namespace netstep
