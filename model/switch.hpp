// A learning switch (IEEE 802.1D transparent bridge, clause 7/8: the Learning Process and the
// Forwarding Process, without spanning tree): for each frame it learns "this source MAC is
// behind this port", then forwards a unicast frame whose destination it has learned to that
// port only, and floods broadcasts, multicasts and unknown destinations to every other port.
// A learned address ages out after `ageing_time` without a frame from it (802.1D's recommended
// default: 300 s). Pure: each frame comes with `now`; the answer is the list of ports.
#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "link.hpp"
#include "time.hpp"

namespace netstep {

// One row of the MAC address table (a `mac_table` step; "show mac address-table" on a Cisco).
struct MacTableRow {
    MacAddress mac;
    size_t port = 0;
    Instant last_seen;
    Instant expires;
    Instant learned;  // when the entry was made (new, or moved to this port); refreshed by each frame since
    bool operator==(const MacTableRow&) const = default;
};

struct SwitchDecision {
    std::vector<size_t> ports;  // where the frame goes, in port order
    bool flooded = false;       // to every port but the ingress (broadcast or unknown)
    bool filtered = false;      // destination behind the ingress port itself: dropped
    bool learned = false;       // the source MAC was new, or moved to this port
    bool operator==(const SwitchDecision&) const = default;
};

class LearningSwitch {
public:
    static constexpr Duration kDefaultAgeing = Duration::seconds(300);  // IEEE 802.1D-2004 Table 7-5

    explicit LearningSwitch(size_t ports, Duration ageing_time = kDefaultAgeing);

    // A frame from `src` to `dst` came in on `ingress`: learn, then decide.
    SwitchDecision receive(size_t ingress, MacAddress src, MacAddress dst, Instant now);
    SwitchDecision receive(size_t ingress, const EthernetFrame& f, Instant now) {
        return receive(ingress, f.src, f.dst, now);
    }

    // The Learning Process alone (802.1D §7.8): a frame from `src` came in on `ingress`. True
    // when the entry is new or moved to this port; a multicast source is never learned.
    bool learn(size_t ingress, MacAddress src, Instant now);

    // The table as it stands at `now`: entries aged out are not listed (and are forgotten by
    // the next receive() or poll()).
    std::vector<MacTableRow> table(Instant now) const;
    std::optional<size_t> port_of(MacAddress mac, Instant now) const;
    // The next ageing deadline (for a trace that shows entries disappearing), and the ageing itself.
    std::optional<Instant> poll_at() const;
    void poll(Instant now);

    size_t ports() const { return ports_; }
    Duration ageing_time() const { return ageing_; }

private:
    struct Entry {
        size_t port = 0;
        Instant last_seen;
        Instant learned;
    };
    size_t ports_ = 0;
    Duration ageing_;
    std::map<MacAddress, Entry> table_;
};

}  // namespace netstep
