// The learning switch (switch.hpp): IEEE 802.1D learning, filtering and forwarding.
#include "switch.hpp"

namespace netstep {

LearningSwitch::LearningSwitch(size_t ports, Duration ageing_time) : ports_(ports), ageing_(ageing_time) {}

bool LearningSwitch::learn(size_t ingress, MacAddress src, Instant now) {
    poll(now);
    // Learning Process (802.1D §7.8): only unicast source addresses are learned.
    if (src.is_multicast()) return false;
    auto it = table_.find(src);
    bool learned = it == table_.end() || it->second.port != ingress;
    Instant since = learned ? now : it->second.learned;
    table_[src] = Entry{ingress, now, since};
    return learned;
}

SwitchDecision LearningSwitch::receive(size_t ingress, MacAddress src, MacAddress dst, Instant now) {
    SwitchDecision d;
    d.learned = learn(ingress, src, now);
    // Forwarding Process (§7.7): a known unicast destination to its port only; a destination
    // on the ingress port's own segment is filtered; the rest is flooded.
    if (!dst.is_multicast()) {
        if (auto it = table_.find(dst); it != table_.end()) {
            if (it->second.port == ingress) {
                d.filtered = true;
            } else {
                d.ports.push_back(it->second.port);
            }
            return d;
        }
    }
    d.flooded = true;
    for (size_t p = 0; p < ports_; ++p)
        if (p != ingress) d.ports.push_back(p);
    return d;
}

std::vector<MacTableRow> LearningSwitch::table(Instant now) const {
    std::vector<MacTableRow> rows;
    for (const auto& [mac, e] : table_)
        if (now < e.last_seen + ageing_) rows.push_back({mac, e.port, e.last_seen, e.last_seen + ageing_, e.learned});
    return rows;
}

std::optional<size_t> LearningSwitch::port_of(MacAddress mac, Instant now) const {
    auto it = table_.find(mac);
    if (it == table_.end() || now >= it->second.last_seen + ageing_) return std::nullopt;
    return it->second.port;
}

std::optional<Instant> LearningSwitch::poll_at() const {
    std::optional<Instant> first;
    for (const auto& [mac, e] : table_)
        if (!first || e.last_seen + ageing_ < *first) first = e.last_seen + ageing_;
    return first;
}

void LearningSwitch::poll(Instant now) {
    std::erase_if(table_, [&](const auto& entry) { return now >= entry.second.last_seen + ageing_; });
}

}  // namespace netstep
