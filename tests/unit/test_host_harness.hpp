// A tiny network for HostStack tests: hosts joined by named networks, each Transmission delivered
// to the host that owns its next hop on that network, after a fixed latency; timers polled in
// time order. No simulator: just a sorted list of packets in flight.
#pragma once
#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "model/host.hpp"

namespace netstep::test {

inline Ipv4Address ip(const char* text) { return *Ipv4Address::parse(text); }
inline Endpoint ep(const char* addr, uint16_t port) { return Endpoint{ip(addr), port}; }
inline InterfaceConfig iface(const char* network, const char* prefix, const char* gateway = nullptr) {
    InterfaceConfig c{"Ethernet adapter " + std::string(network), network, *Ipv4Prefix::parse(prefix), std::nullopt};
    if (gateway) c.gateway = ip(gateway);
    return c;
}
inline Bytes bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string text(const Bytes& b) { return std::string(b.begin(), b.end()); }

struct Net {
    struct InFlight {
        Instant at;
        size_t order = 0;
        size_t host = 0;
        size_t interface = 0;
        Ipv4Packet packet;
    };
    struct Sent {
        size_t from = 0;
        Instant at;
        Ipv4Packet packet;
    };

    std::deque<HostStack> hosts;  // deque: references stay valid as hosts are added
    Instant now = Instant::zero();
    Duration latency = Duration::millis(1);
    std::vector<InFlight> flight;
    std::vector<Sent> sent;            // every packet any host transmitted, in order
    std::vector<StackEvent> events;    // every event, all hosts
    std::vector<Ipv4Packet> lost;      // transmissions nobody owned
    size_t order = 0;

    HostStack& add(std::string name, std::vector<InterfaceConfig> ifs, Profile p = Profile{},
                   bool forwarding = false, uint64_t seed = 1) {
        hosts.emplace_back(std::move(name), std::move(ifs), p, seed, forwarding);
        return hosts.back();
    }

    size_t index_of(const HostStack& h) const {
        for (size_t i = 0; i < hosts.size(); ++i)
            if (&hosts[i] == &h) return i;
        return hosts.size();
    }

    // Takes what a host produced: events are kept, transmissions put in flight.
    void absorb(const HostStack& from, StackOutput& out) {
        size_t src = index_of(from);
        for (auto& e : out.events) events.push_back(e);
        for (auto& t : out.transmit) {
            sent.push_back(Sent{src, now, t.packet});
            const std::string& network = from.interfaces()[t.interface].network;
            bool delivered = false;
            for (size_t h = 0; h < hosts.size() && !delivered; ++h) {
                const auto& ifs = hosts[h].interfaces();
                for (size_t i = 0; i < ifs.size(); ++i) {
                    if (ifs[i].network == network && ifs[i].address.address == t.next_hop) {
                        flight.push_back(InFlight{now + latency, order++, h, i, t.packet});
                        delivered = true;
                        break;
                    }
                }
            }
            if (!delivered) lost.push_back(t.packet);
        }
        out.clear();
    }

    // Runs a socket call on `h` now and absorbs its output: net.call(h, &HostStack::send, s, data).
    template <class F>
    auto call(HostStack& h, F&& f) {
        StackOutput out;
        auto r = f(h, out);
        absorb(h, out);
        return r;
    }

    std::optional<Instant> next_time() const {
        std::optional<Instant> t;
        for (const auto& f : flight)
            if (!t || f.at < *t) t = f.at;
        for (const auto& h : hosts)
            if (auto p = h.poll_at(); p && (!t || *p < *t)) t = p;
        return t;
    }

    void run_until(Instant end) {
        for (int guard = 0; guard < 100000; ++guard) {  // a stuck timer must not hang the tests
            auto t = next_time();
            if (!t || *t > end) break;
            now = std::max(now, *t);
            step();
        }
        now = std::max(now, end);
    }
    void run_for(Duration d) { run_until(now + d); }

    // Delivers what is due and fires due timers.
    void step() {
        std::vector<InFlight> due;
        std::vector<InFlight> later;
        for (auto& f : flight) (f.at <= now ? due : later).push_back(std::move(f));
        flight = std::move(later);
        // `flight` is kept in sending order, so `due` already is: same-instant packets arrive in order.
        for (auto& f : due) {
            StackOutput out;
            hosts[f.host].receive(f.interface, f.packet, now, out);
            absorb(hosts[f.host], out);
        }
        for (auto& h : hosts) {
            if (auto p = h.poll_at(); p && *p <= now) {
                StackOutput out;
                h.poll(now, out);
                absorb(h, out);
            }
        }
    }

    bool has_note(std::string_view part) const {
        return std::any_of(events.begin(), events.end(), [&](const StackEvent& e) {
            const auto* n = std::get_if<Note>(&e.what);
            return n && n->text.find(part) != std::string::npos;
        });
    }
};

// client (192.168.1.10) — lan — router (192.168.1.1 | 10.0.0.1) — wan — server (10.0.0.20)
struct Routed {
    Net net;
    HostStack& client = net.add("client", {iface("lan", "192.168.1.10/24", "192.168.1.1")});
    HostStack& router = net.add("router", {iface("lan", "192.168.1.1/24"), iface("wan", "10.0.0.1/24")},
                                Profile{}, true);
    HostStack& server = net.add("server", {iface("wan", "10.0.0.20/24", "10.0.0.1")});
};

}  // namespace netstep::test
