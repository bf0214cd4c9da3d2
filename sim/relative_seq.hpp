// Sequence numbers relative to each direction's ISN, as Wireshark and the viewer show them by
// default: one rule for the viewer (viz/trace_view.cpp) and the quiz (sim/quiz.cpp). A
// direction's ISN is the seq of its SYN (RFC 9293 §3.4: the SYN carries the ISN), or of its first
// segment when the trace starts mid-connection. Feed every TCP segment with see() in trace order,
// then ask.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "model/address.hpp"

namespace netstep::sim {

class RelativeSeq {
public:
    void see(Endpoint src, Endpoint dst, bool syn, uint32_t seq) {
        auto key = std::make_pair(src, dst);
        if (syn) isn_[key] = seq;
        isn_.try_emplace(key, seq);
    }
    // The ISN of the direction src > dst, once a segment of it was seen.
    std::optional<uint32_t> isn(Endpoint src, Endpoint dst) const {
        auto it = isn_.find({src, dst});
        return it == isn_.end() ? std::nullopt : std::optional<uint32_t>(it->second);
    }
    // A segment src > dst: its seq relative to its own direction's ISN, its ack to the other's
    // (the raw number when that direction was never seen).
    uint32_t seq(Endpoint src, Endpoint dst, uint32_t raw) const { return raw - isn(src, dst).value_or(0); }
    uint32_t ack(Endpoint src, Endpoint dst, uint32_t raw) const { return raw - isn(dst, src).value_or(0); }

private:
    std::map<std::pair<Endpoint, Endpoint>, uint32_t> isn_;
};

}  // namespace netstep::sim
