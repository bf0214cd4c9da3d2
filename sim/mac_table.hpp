// A switch's MAC address table at any step of a run, from the frames it learned from
// (Trace::mac_seen) replayed through the switch's own rules (model/switch.hpp: learning, moves,
// ageing after 300 s). One function, used by the trace's `mac_table` step and the viewer's MAC
// table panel, so both always agree.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/trace.hpp"

namespace netstep::sim {

// A port of a switched network: the interface plugged into it. Ports are numbered in the order the
// hosts are listed (and a host's interfaces in their order), from 0; shown from 1.
struct SwitchPort {
    uint32_t host = kNone;
    uint32_t interface = 0;
};
std::vector<SwitchPort> switch_ports(const Trace& t, uint32_t network);

struct MacTableEntry {
    MacAddress mac;
    uint32_t port = 0;            // from 0
    uint32_t host = kNone;        // the host behind the port
    Instant learned;              // when the entry was made (new, or moved to this port)
    uint32_t learned_step = kNone;  // ... at this step
    Instant last_seen;            // its last frame
    Instant expires;              // last_seen + the ageing time (300 s)
    bool operator==(const MacTableEntry&) const = default;
};

// The table of switched network `network` as it stands at `now`, from the frames of the run up to
// and including step `step` (the viewer: a step and its time; the engine: the step about to be
// written and the current time). By MAC address, as the switch lists them. Empty for a shared
// segment.
std::vector<MacTableEntry> mac_table_at(const Trace& t, uint32_t network, uint32_t step, Instant now);
// The same at step `step` of a finished trace, at that step's time.
std::vector<MacTableEntry> mac_table_at(const Trace& t, uint32_t network, uint32_t step);

// Cisco IOS `show mac address-table` (one VLAN, every entry learned: DYNAMIC), ports named Fa0/1,
// Fa0/2..., with the host behind each in parentheses: what the `mac_table` step prints.
std::string mac_table_text(const Trace& t, const std::vector<MacTableEntry>& rows);

// The time since `since` as a short text: "12 ms", "4.5 s", "6 min 40 s".
std::string age_text(Duration d);

}  // namespace netstep::sim
