// The SimGrid side of a run: the platform built from the scenario, and the actors started on it.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "sim/engine_world.hpp"

namespace netstep::sim::engine {

namespace {

// Routes are documentation here: SimGrid carries none of our packets (see engine_world.hpp).
// A full zone keeps an n×n routing table (800 MB for 10,000 hosts), so only a platform of
// classroom size gets one, with a route per pair of hosts sharing a network; a bigger one gets
// its hosts and links in a zone without routes.
constexpr size_t kMaxRoutedHosts = 256;

}  // namespace

// One zone: a SimGrid host per scenario host, a shared link per network with its latency and
// bandwidth, and a route through that link between any two hosts on the network. Traffic
// between networks goes hop by hop through routers, so no other route is needed.
void World::build_platform() {
    bool routed = hosts_.size() <= kMaxRoutedHosts;
    sg4::NetZone* zone = routed ? sg4::create_full_zone("netstep") : sg4::create_empty_zone("netstep");
    for (HostRuntime& host : hosts_) {
        host.sg_host = zone->create_host(host.name, 1e9)->seal();
    }
    if (hosts_.empty()) {
        // A scenario without hosts still needs somewhere to run the scheduler.
        scheduler_host_ = zone->create_host("netstep-scheduler", 1e9)->seal();
    } else {
        scheduler_host_ = hosts_[0].sg_host;
    }

    std::set<std::pair<uint32_t, uint32_t>> routed_pairs;
    for (uint32_t n = 0; n < scenario.networks.size(); ++n) {
        const Network& net = scenario.networks[n];
        double bandwidth = net.bandwidth_bps > 0 ? double(net.bandwidth_bps) / 8.0 : 1e12;  // bytes/s
        sg4::Link* link = zone->create_link("network:" + net.name, bandwidth)
                              ->set_latency(net.latency.to_seconds())
                              ->set_sharing_policy(sg4::Link::SharingPolicy::SHARED)
                              ->seal();
        if (!routed) continue;
        std::set<uint32_t> members;  // ordered: routes are added in host order
        for (const HostRuntime& host : hosts_) {
            if (std::find(host.interface_network.begin(), host.interface_network.end(), n) !=
                host.interface_network.end()) {
                members.insert(host.index);
            }
        }
        for (auto a = members.begin(); a != members.end(); ++a) {
            for (auto b = std::next(a); b != members.end(); ++b) {
                // Two hosts sharing two networks (two routers): SimGrid takes one route per pair.
                if (!routed_pairs.emplace(*a, *b).second) continue;
                zone->add_route(hosts_[*a].sg_host->get_netpoint(), hosts_[*b].sg_host->get_netpoint(), nullptr,
                                nullptr, {sg4::LinkInRoute(link)}, true);
            }
        }
    }
    zone->seal();
}

// A stack turn-taker per host (run inline by the scheduler), a SimGrid actor per program (all due
// at time 0, in file order), and the scheduler that runs them one at a time. Every actor but the
// scheduler is a daemon: when the scheduler returns, SimGrid ends them and the simulation is over.
void World::start_actors() {
    TraceEvent start;
    start.kind = EventKind::RunStart;
    start.text = intern(scenario.title);
    event(start);

    for (HostRuntime& host : hosts_) {
        host.actor = sched_.add_inline();  // its turns: stack_turn, called by the scheduler
        stack_host_.resize(host.actor + 1, kNone);
        stack_host_[host.actor] = host.index;
    }
    for (uint32_t i = 0; i < scenario.programs.size(); ++i) {
        const Program& sp = scenario.programs[i];
        auto h = host_index(sp.host);
        if (!h) throw std::runtime_error(sp.where.to_string() + ": no host named " + sp.host);
        ProgramRuntime p;
        p.index = i;
        p.host = *h;
        p.name = sp.name;
        p.steps = &sp.steps;
        p.where = sp.where;
        p.actor = sched_.add_unbound();  // World::start_turn
        if (next_program_.size() <= p.actor) next_program_.resize(p.actor + 1, kNone);
        next_program_[p.actor] = i;
        trace_.programs.push_back(TraceProgram{sp.name, *h, kNone});
        programs_.push_back(std::move(p));
        ++live_finite;
        sched_.wake_at(programs_[i].actor, Instant::zero());
    }
    scheduler_actor = sched_.add_actor();
    sg4::Actor::create("scheduler", scheduler_host_, [this] { scheduler_main(); });
}

}  // namespace netstep::sim::engine
