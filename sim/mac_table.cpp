// A switch's MAC table at any step (mac_table.hpp): the frames replayed through LearningSwitch.
#include "sim/mac_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "model/switch.hpp"

namespace netstep::sim {

std::vector<SwitchPort> switch_ports(const Trace& t, uint32_t network) {
    std::vector<SwitchPort> ports;
    if (network >= t.networks.size()) return ports;
    const std::string& name = t.networks[network].name;
    for (uint32_t h = 0; h < t.hosts.size(); ++h) {
        const auto& interfaces = t.hosts[h].interfaces;
        for (uint32_t i = 0; i < interfaces.size(); ++i)
            if (interfaces[i].network == name) ports.push_back({h, i});
    }
    return ports;
}

std::vector<MacTableEntry> mac_table_at(const Trace& t, uint32_t network, uint32_t step, Instant now) {
    std::vector<MacTableEntry> rows;
    if (network >= t.networks.size() || !t.networks[network].switched) return rows;
    std::vector<SwitchPort> ports = switch_ports(t, network);
    LearningSwitch sw(ports.size());
    std::map<MacAddress, uint32_t> learned_step;
    // The records are in step order: those in force at `step` are a prefix.
    auto end = std::upper_bound(t.mac_seen.begin(), t.mac_seen.end(), step,
                                [](uint32_t s, const TraceMacSeen& m) { return s < m.step; });
    for (auto it = t.mac_seen.begin(); it != end; ++it) {
        if (it->network != network) continue;
        if (sw.learn(it->port, it->mac, it->time)) learned_step[it->mac] = it->step;
    }
    for (const MacTableRow& row : sw.table(now)) {
        MacTableEntry e;
        e.mac = row.mac;
        e.port = uint32_t(row.port);
        e.host = row.port < ports.size() ? ports[row.port].host : kNone;
        e.learned = row.learned;
        auto s = learned_step.find(row.mac);
        e.learned_step = s != learned_step.end() ? s->second : kNone;
        e.last_seen = row.last_seen;
        e.expires = row.expires;
        rows.push_back(e);
    }
    return rows;
}

std::vector<MacTableEntry> mac_table_at(const Trace& t, uint32_t network, uint32_t step) {
    if (step >= t.events.size()) return {};
    return mac_table_at(t, network, step, t.events[step].time);
}

std::string mac_table_text(const Trace& t, const std::vector<MacTableEntry>& rows) {
    std::string text = "          Mac Address Table\n-------------------------------------------\n\n"
                       "Vlan    Mac Address       Type        Ports\n----    -----------       --------    -----\n";
    for (const MacTableEntry& row : rows) {
        const auto& o = row.mac.octets;
        std::string port = fmt::format("Fa0/{}", row.port + 1);
        if (row.host < t.hosts.size()) port += " (" + t.hosts[row.host].name + ")";
        text += fmt::format("   1    {:02x}{:02x}.{:02x}{:02x}.{:02x}{:02x}    DYNAMIC     {}\n", o[0], o[1], o[2], o[3], o[4],
                            o[5], port);
    }
    return text + fmt::format("Total Mac Addresses for this criterion: {}", rows.size());
}

std::string age_text(Duration d) {
    int64_t ns = std::max<int64_t>(0, d.ns);
    if (ns < 1'000'000'000) return fmt::format("{} ms", ns / 1'000'000);
    if (ns < 60'000'000'000) return fmt::format("{:.1f} s", double(ns) / 1e9);
    int64_t s = ns / 1'000'000'000;
    return fmt::format("{} min {} s", s / 60, s % 60);
}

}  // namespace netstep::sim
