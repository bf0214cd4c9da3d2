// The eleven TCP states, spelled as RFC 9293 spells them (§3.3.2, Figure 5).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace netstep {

enum class TcpState : uint8_t {
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
};

inline constexpr int kTcpStateCount = 11;

std::string_view to_string(TcpState s);                        // "SYN-RECEIVED"
std::optional<TcpState> tcp_state_from_string(std::string_view);  // inverse; accepts "SYN_RECEIVED" too

// Synchronized states (RFC 9293 §3.5.2 group 3): ESTABLISHED and later.
constexpr bool is_synchronized(TcpState s) {
    return s != TcpState::Closed && s != TcpState::Listen && s != TcpState::SynSent &&
           s != TcpState::SynReceived;
}

}  // namespace netstep
