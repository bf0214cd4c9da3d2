// netstep_bench: the benchmark driver (bench/README.md).
//
//   netstep_bench run FILE           exactly `netstep run FILE` (text trace on stdout, same exit
//                                    codes), but with the scenario-file limits raised so that the
//                                    ns3-star topology fits: a router with N+1 interfaces, N+1
//                                    networks, a file of several MB (Limits in sim/scenario.hpp:
//                                    16 interfaces per host, 1,024 networks, 4 MB by default).
//   netstep_bench trace FILE [SEEKS] runs FILE in-process and reports the trace's memory per event
//                                    (sizeof/capacity accounting and RSS delta), the TraceIndex
//                                    build time, and the time of SEEKS (default 10,000) random
//                                    seeks: what a visualizer frame asks at a new step.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "sim/engine.hpp"
#include "sim/output.hpp"
#include "sim/scenario.hpp"
#include "sim/trace_index.hpp"

using namespace netstep;
using namespace netstep::sim;

namespace {

Limits bench_limits() {
    Limits l;
    l.max_file_bytes = 256u << 20;
    l.max_networks = 1'000'000;
    l.max_interfaces_per_host = 1'000'000;
    l.max_hosts = 1'000'000;
    l.max_programs = 1'000'000;
    l.max_steps = 50'000'000;
    return l;
}

size_t rss_kb() {  // current resident set
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
    return 0;
}

size_t peak_rss_kb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return size_t(u.ru_maxrss);
}

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Accounting {
    size_t events = 0, packets = 0, packet_bytes = 0, sockets = 0, strings = 0, other = 0;
    size_t total() const { return events + packets + packet_bytes + sockets + strings + other; }
};

// `used`: bytes in use (size()); otherwise reserved (capacity(): vector growth's slack, mostly
// never touched, so not resident).
Accounting account(const Trace& t, bool used) {
    auto n = [used](const auto& v) { return used ? v.size() : v.capacity(); };
    auto heap = [used](const std::string& s) { return s.capacity() > 15 ? (used ? s.size() : s.capacity()) + 1 : 0; };
    Accounting a;
    a.events = n(t.events) * sizeof(TraceEvent);
    a.packets = n(t.packets) * sizeof(TracePacket);
    for (const TracePacket& p : t.packets) a.packet_bytes += n(p.bytes) + heap(p.drop_reason);
    a.sockets = n(t.sockets) * sizeof(SocketHistory);
    for (const SocketHistory& h : t.sockets) a.sockets += n(h.steps) * sizeof(uint32_t) + n(h.rows) * sizeof(SocketInfo);
    a.strings = n(t.strings) * sizeof(std::string);
    for (const std::string& s : t.strings) a.strings += heap(s);
    a.other = (n(t.hosts) * sizeof(TraceHost) + n(t.networks) * sizeof(TraceNetwork) + n(t.programs) * sizeof(TraceProgram));
    return a;
}

int command_run(const std::string& file) {
    Scenario scenario;
    RunOptions options;
    options.limits = bench_limits();
    try {
        scenario = load_scenario_file(file, options.limits);
    } catch (const ScenarioError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
    Trace trace = run_scenario(scenario, options);
    write_text(trace, std::cout);
    std::cout.flush();
    return trace.failures.empty() ? 0 : 1;
}

int command_trace(const std::string& file, int seeks) {
    RunOptions options;
    options.limits = bench_limits();
    double t0 = now_s();
    Scenario scenario = load_scenario_file(file, options.limits);
    size_t rss0 = rss_kb();
    double t1 = now_s();
    Trace trace = run_scenario(scenario, options);
    double t2 = now_s();
    size_t rss1 = rss_kb();
    size_t n = trace.events.size();
    std::printf("trace: %zu events, %zu packets, %zu socket histories, %zu strings; load %.2f s, run %.2f s\n", n,
                trace.packets.size(), trace.sockets.size(), trace.strings.size(), t1 - t0, t2 - t1);
    Accounting a = account(trace, true), reserved = account(trace, false);
    std::printf("trace memory in use (size() x sizeof + heap): %.1f MB = %.1f bytes/event [events %.1f (sizeof "
                "TraceEvent %zu), packets %.1f (sizeof TracePacket %zu) + wire bytes %.1f, socket histories %.1f "
                "(sizeof SocketInfo %zu, %zu rows), strings %.1f]; reserved (capacity): %.1f bytes/event\n",
                a.total() / 1e6, double(a.total()) / n, double(a.events) / n, sizeof(TraceEvent),
                double(a.packets) / n, sizeof(TracePacket), double(a.packet_bytes) / n, double(a.sockets) / n,
                sizeof(SocketInfo), [&] { size_t r = 0; for (auto& h : trace.sockets) r += h.rows.size(); return r; }(),
                double(a.strings) / n, double(reserved.total()) / n);
    std::printf("RSS: %.1f MB after load, %.1f MB after the run (SimGrid torn down): delta %.1f bytes/event; "
                "peak %.1f MB\n",
                rss0 / 1024.0, rss1 / 1024.0, (double(rss1) - double(rss0)) * 1024.0 / n, peak_rss_kb() / 1024.0);

    double t3 = now_s();
    TraceIndex index(trace);
    double t4 = now_s();
    size_t rss2 = rss_kb();
    std::printf("TraceIndex: built in %.3f s, +%.1f bytes/event RSS\n", t4 - t3,
                (double(rss2) - double(rss1)) * 1024.0 / n);

    // The host with the most socket histories (the server): the worst case of sockets_at.
    std::vector<size_t> per_host(trace.hosts.size());
    for (const SocketHistory& h : trace.sockets)
        if (h.host < per_host.size()) ++per_host[h.host];
    uint32_t busiest = uint32_t(std::max_element(per_host.begin(), per_host.end()) - per_host.begin());

    // A seek: what a frame needs at a new step: packets in flight (topology), the caption, the
    // socket tables of the busiest host and of one other host, the step's time, and the next and
    // previous state change (the jump buttons).
    std::mt19937_64 rng(1);
    std::vector<double> us;
    us.reserve(seeks);
    size_t sink = 0, max_flight = 0;
    for (int i = 0; i < seeks; ++i) {
        uint32_t step = uint32_t(rng() % n);
        uint32_t other = uint32_t(rng() % trace.hosts.size());
        double s0 = now_s();
        auto flying = index.packets_in_flight(step);
        auto cap = index.caption_at(step);
        auto rows = index.sockets_at(busiest, step);
        auto rows2 = index.sockets_at(other, step);
        auto at = index.step_at_time(trace.events[step].time);
        auto nx = index.next_step(step, StepKind::StateChange);
        auto pv = index.prev_step(step, StepKind::StateChange);
        double s1 = now_s();
        us.push_back((s1 - s0) * 1e6);
        max_flight = std::max(max_flight, flying.size());
        sink += flying.size() + rows.size() + rows2.size() + at + cap.value_or(0) + nx.value_or(0) + pv.value_or(0);
    }
    std::sort(us.begin(), us.end());
    auto pct = [&](double p) { return us[std::min(us.size() - 1, size_t(p * us.size()))]; };
    std::printf("seek (%d random steps; packets_in_flight + caption_at + sockets_at x2 (busiest host: %zu sockets) "
                "+ step_at_time + next/prev state change): median %.1f us, p99 %.1f us, max %.1f us "
                "(up to %zu packets in flight) [%zu]\n",
                seeks, per_host.empty() ? 0 : per_host[busiest], pct(0.5), pct(0.99), us.back(), max_flight, sink % 10);
    std::printf("RESULT events=%zu bytes_per_event=%.1f rss_bytes_per_event=%.1f index_s=%.3f seek_median_us=%.1f "
                "seek_p99_us=%.1f seek_max_us=%.1f\n",
                n, double(a.total()) / n, (double(rss1) - double(rss0)) * 1024.0 / n, t4 - t3, pct(0.5), pct(0.99),
                us.back());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 3 && std::strcmp(argv[1], "run") == 0) return command_run(argv[2]);
    if (argc >= 3 && std::strcmp(argv[1], "trace") == 0) return command_trace(argv[2], argc >= 4 ? std::atoi(argv[3]) : 10000);
    std::fprintf(stderr, "usage: netstep_bench run FILE | netstep_bench trace FILE [SEEKS]\n");
    return 2;
}
