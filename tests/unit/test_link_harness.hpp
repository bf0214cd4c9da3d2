// A tiny Ethernet for HostStack tests with the link layer on: each network is a shared segment
// (every frame reaches every other interface attached to it, after a fixed latency; the stacks
// filter by MAC address), or, with `switched`, a LearningSwitch with one port per attached
// interface. Frames are also emitted and parsed back, so every frame the stacks send is
// checked byte for byte on the way.
#pragma once
#include <algorithm>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "model/host.hpp"
#include "model/switch.hpp"
#include "model/wire/wire.hpp"
#include "test_host_harness.hpp"

namespace netstep::test {

inline MacAddress mac(const char* text) { return *MacAddress::parse(text); }
inline Profile with_link(Profile p) {
    p.link_layer = true;
    return p;
}

struct FrameNet {
    struct InFlight {
        Instant at;
        size_t host = 0;
        size_t interface = 0;
        EthernetFrame frame;
    };
    struct Sent {
        size_t from = 0;
        size_t interface = 0;
        Instant at;
        EthernetFrame frame;
    };

    std::deque<HostStack> hosts;
    std::map<std::string, LearningSwitch> switches;  // network name -> its switch
    Instant now = Instant::zero();
    Duration latency = Duration::millis(1);
    std::vector<InFlight> flight;
    std::vector<Sent> sent;
    std::vector<StackEvent> events;

    HostStack& add(std::string name, std::vector<InterfaceConfig> ifs, Profile p, bool forwarding = false,
                   uint64_t seed = 1) {
        hosts.emplace_back(std::move(name), std::move(ifs), with_link(p), seed, forwarding);
        return hosts.back();
    }

    size_t index_of(const HostStack& h) const {
        for (size_t i = 0; i < hosts.size(); ++i)
            if (&hosts[i] == &h) return i;
        return hosts.size();
    }

    // Every (host, interface) attached to a network, in host order: a switch's ports.
    std::vector<std::pair<size_t, size_t>> attached(const std::string& network) const {
        std::vector<std::pair<size_t, size_t>> ports;
        for (size_t h = 0; h < hosts.size(); ++h)
            for (size_t i = 0; i < hosts[h].interfaces().size(); ++i)
                if (hosts[h].interfaces()[i].network == network) ports.emplace_back(h, i);
        return ports;
    }

    void switched(const std::string& network) { switches.emplace(network, LearningSwitch(attached(network).size())); }

    void absorb(const HostStack& from, StackOutput& out) {
        size_t src = index_of(from);
        for (auto& e : out.events) events.push_back(e);
        REQUIRE(out.transmit.empty());  // the link layer hands out frames only
        for (auto& f : out.frames) {
            sent.push_back(Sent{src, f.interface, now, f.frame});
            // The bytes go on the wire and come back as the same value.
            Bytes b = wire::emit_frame(f.frame);
            REQUIRE(b.size() == f.frame.wire_size());
            auto parsed = wire::parse_frame(b);
            REQUIRE(parsed.ok());
            REQUIRE(*parsed.frame == f.frame);
            const std::string& network = from.interfaces()[f.interface].network;
            auto ports = attached(network);
            std::vector<size_t> to;
            if (auto sw = switches.find(network); sw != switches.end()) {
                size_t ingress = 0;
                for (size_t p = 0; p < ports.size(); ++p)
                    if (ports[p] == std::pair{src, f.interface}) ingress = p;
                to = sw->second.receive(ingress, f.frame, now).ports;
            } else {
                for (size_t p = 0; p < ports.size(); ++p)
                    if (ports[p] != std::pair{src, f.interface}) to.push_back(p);
            }
            for (size_t p : to) flight.push_back(InFlight{now + latency, ports[p].first, ports[p].second, f.frame});
        }
        out.clear();
    }

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
        for (const auto& h : hosts) {
            if (auto p = h.poll_at(); p && (!t || *p < *t)) t = p;
            if (auto a = h.aging_at(); a && (!t || *a < *t)) t = a;
        }
        return t;
    }

    void run_until(Instant end) {
        for (int guard = 0; guard < 100000; ++guard) {
            auto t = next_time();
            if (!t || *t > end) break;
            now = std::max(now, *t);
            step();
        }
        now = std::max(now, end);
    }
    void run_for(Duration d) { run_until(now + d); }

    void step() {
        std::vector<InFlight> due;
        std::vector<InFlight> later;
        for (auto& f : flight) (f.at <= now ? due : later).push_back(std::move(f));
        flight = std::move(later);
        for (auto& f : due) {
            StackOutput out;
            hosts[f.host].receive_frame(f.interface, f.frame, now, out);
            absorb(hosts[f.host], out);
        }
        for (auto& h : hosts) {
            auto p = h.poll_at();
            if (auto a = h.aging_at(); a && (!p || *a < *p)) p = a;  // step the aging too
            if (p && *p <= now) {
                StackOutput out;
                h.poll(now, out);
                absorb(h, out);
            }
        }
    }

    // The frames sent so far that carry ARP / IPv4, in order.
    std::vector<Sent> arp_frames() const {
        std::vector<Sent> r;
        for (const auto& s : sent)
            if (s.frame.arp()) r.push_back(s);
        return r;
    }
    std::vector<Sent> ip_frames() const {
        std::vector<Sent> r;
        for (const auto& s : sent)
            if (s.frame.ipv4()) r.push_back(s);
        return r;
    }
    bool has_note(std::string_view part) const {
        return std::any_of(events.begin(), events.end(), [&](const StackEvent& e) {
            const auto* n = std::get_if<Note>(&e.what);
            return n && n->text.find(part) != std::string::npos;
        });
    }
};

}  // namespace netstep::test
