// netstep_bench: what bench/run measures inside one process (bench/README.md). The star workloads
// and the classroom scenarios are timed with `netstep run` itself.
//
//   netstep_bench trace FILE [SEEKS] runs FILE in-process (default limits) and reports the trace's
//                                    memory per event (sizeof/capacity accounting and RSS delta),
//                                    the TraceIndex build time, and the time of SEEKS (default
//                                    10,000) random seeks: what a visualizer frame asks at a new step.
//   netstep_bench classroom FILE [RUNS] the in-process time from file to finished text trace
//                                    (load, simulate, format), median of RUNS (default 10) runs,
//                                    each in a child process (one SimGrid engine per process).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sim/engine.hpp"
#include "sim/output.hpp"
#include "sim/scenario.hpp"
#include "sim/trace_index.hpp"

using namespace netstep;
using namespace netstep::sim;

namespace {

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
    for (const SocketHistory& h : t.sockets) a.sockets += n(h.steps) * sizeof(uint32_t) + h.rows.memory_bytes(used);
    a.strings = n(t.strings) * sizeof(std::string);
    for (const std::string& s : t.strings) a.strings += heap(s);
    a.other = (n(t.hosts) * sizeof(TraceHost) + n(t.networks) * sizeof(TraceNetwork) + n(t.programs) * sizeof(TraceProgram));
    return a;
}

int command_trace(const std::string& file, int seeks) {
    RunOptions options;
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
                "(SocketInfo %zu bytes, stored in %zu rows), strings %.1f]; reserved (capacity): %.1f bytes/event\n",
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

// One run from file to finished text trace, in this process (a child: one SimGrid engine per
// process): microseconds spent loading, simulating and writing the text (to /dev/null).
struct Phases {
    double load_us = 0, run_us = 0, text_us = 0;
    double total() const { return load_us + run_us + text_us; }
};

Phases classroom_once(const std::string& file) {
    double t0 = now_s();
    Scenario scenario = load_scenario_file(file);
    double t1 = now_s();
    Trace trace = run_scenario(scenario, {});
    double t2 = now_s();
    std::ofstream null("/dev/null");
    write_text(trace, null);
    null.flush();
    double t3 = now_s();
    return {(t1 - t0) * 1e6, (t2 - t1) * 1e6, (t3 - t2) * 1e6};
}

int command_classroom(const std::string& file, int runs) {
    std::vector<Phases> all;
    for (int r = 0; r < runs; ++r) {
        int fds[2];
        if (pipe(fds) != 0) return 2;
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            Phases p = classroom_once(file);
            if (write(fds[1], &p, sizeof p) != ssize_t(sizeof p)) _exit(2);
            _exit(0);
        }
        close(fds[1]);
        Phases p;
        bool ok = read(fds[0], &p, sizeof p) == ssize_t(sizeof p);
        close(fds[0]);
        int status = 0;
        waitpid(pid, &status, 0);
        if (!ok) return 2;
        all.push_back(p);
    }
    auto median = [&](auto get) {
        std::vector<double> v;
        for (const Phases& p : all) v.push_back(get(p));
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    std::printf("in_process_ms=%.2f load_ms=%.2f run_ms=%.2f text_ms=%.2f\n",
                median([](const Phases& p) { return p.total(); }) / 1e3,
                median([](const Phases& p) { return p.load_us; }) / 1e3,
                median([](const Phases& p) { return p.run_us; }) / 1e3,
                median([](const Phases& p) { return p.text_us; }) / 1e3);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 3 && std::strcmp(argv[1], "trace") == 0) return command_trace(argv[2], argc >= 4 ? std::atoi(argv[3]) : 10000);
    if (argc >= 3 && std::strcmp(argv[1], "classroom") == 0) {
        return command_classroom(argv[2], argc >= 4 ? std::max(1, std::atoi(argv[3])) : 10);
    }
    std::fprintf(stderr, "usage: netstep_bench trace FILE [SEEKS] | netstep_bench classroom FILE [RUNS]\n");
    return 2;
}
