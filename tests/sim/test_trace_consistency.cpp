// Every scenario, every step, every socket: what the views read agrees. The state diagram reads
// the StateChange events, the variables panel and netstat read the socket rows (SocketHistory):
// at each step, a socket's row must carry the `to` of its last StateChange at or before that
// step, no timer in a row in force may already be past (a negative countdown), and a socket is
// only gone once its connection (if it had one) reached CLOSED.
// One run per scenario, each in a child process (SimGrid allows one engine per process).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/engine.hpp"
#include "sim/scenario.hpp"
#include "sim/trace.hpp"
#include "tests/sim/test_engine_support.hpp"

using namespace netstep;
using namespace netstep::sim;

namespace {

constexpr size_t kMaxReported = 20;  // problems reported per scenario

std::string where(const Trace& t, uint32_t step) {
    return fmt::format("step {} ({})", step, to_string(t.events[step].time));
}

// The problems found in one trace, one line each (empty: consistent).
std::vector<std::string> problems_of(const Trace& t) {
    std::vector<std::string> out;
    auto report = [&](std::string line) {
        if (out.size() < kMaxReported) out.push_back(std::move(line));
    };
    std::map<std::pair<uint32_t, SocketId>, std::vector<uint32_t>> changes;  // StateChange steps
    for (uint32_t s = 0; s < t.events.size(); ++s) {
        const TraceEvent& e = t.events[s];
        if (e.kind == EventKind::StateChange) changes[{e.host, e.socket}].push_back(s);
    }
    const uint32_t steps = uint32_t(t.events.size());
    for (const SocketHistory& h : t.sockets) {
        std::string name = fmt::format("{} socket {}", t.hosts[h.host].name, h.id);
        const std::vector<uint32_t>& sc = changes[{h.host, h.id}];
        const uint32_t end = std::min(h.gone_step, steps);
        if (h.steps.empty()) continue;
        for (uint32_t c : sc) {
            if (c < h.steps.front()) report(fmt::format("{}: a state change at {} before its first row", name, where(t, c)));
            if (c > end) report(fmt::format("{}: a state change at {} after it is gone", name, where(t, c)));
        }
        // Gone: its diagram must not be left in a live state.
        if (h.gone_step != kNone) {
            auto last = std::upper_bound(sc.begin(), sc.end(), h.gone_step);
            if (last != sc.begin() && t.events[*(last - 1)].to != TcpState::Closed) {
                report(fmt::format("{}: gone at {} while its last state change says {}", name, where(t, h.gone_step),
                                   to_string(t.events[*(last - 1)].to)));
            }
        }
        size_t next_change = 0;
        for (size_t i = 0; i < h.rows.size(); ++i) {
            const SocketInfo row = h.rows[i];
            const uint32_t from = h.steps[i];
            const uint32_t until = i + 1 < h.rows.size() ? std::min(h.steps[i + 1], end) : end;
            if (from >= until) continue;
            // Timers: no deadline before the time of the last step this row is in force.
            if (row.vars) {
                Instant latest = t.events[until - 1].time;
                for (const auto& [what, at] : {std::pair{"retransmission", row.vars->retransmit_at},
                                               std::pair{"delayed-ack", row.vars->delayed_ack_at},
                                               std::pair{"time-wait", row.vars->time_wait_until},
                                               std::pair{"persist", row.vars->persist_at}}) {
                    if (at && *at < latest) {
                        report(fmt::format("{}: the row of {} shows a {} deadline {} still at {}", name, where(t, from), what,
                                           to_string(*at), where(t, until - 1)));
                    }
                }
            }
            if (!row.state) continue;
            for (uint32_t s = from; s < until; ++s) {
                while (next_change < sc.size() && sc[next_change] <= s) ++next_change;
                if (next_change == 0) continue;  // no state change yet
                const TraceEvent& last = t.events[sc[next_change - 1]];
                if (last.to != *row.state) {
                    report(fmt::format("{}: at {} its row says {} but its last state change ({}) says {}", name, where(t, s),
                                       to_string(*row.state), where(t, sc[next_change - 1]), to_string(last.to)));
                    break;
                }
            }
        }
    }
    return out;
}

// Runs one scenario file in a child process; returns its problems as text ("" when none).
std::string check_in_child(const std::string& path) {
    return test::in_child([&] {
        std::string text;
        Trace t = run_scenario(load_scenario_file(path), {});
        for (const std::string& line : problems_of(t)) text += "  " + line + "\n";
        return text;
    });
}

std::vector<std::string> scenario_files() {
    std::vector<std::string> files;
    for (const char* dir : {"/scenarios", "/tests/data/scenarios"}) {
        for (const auto& entry : std::filesystem::directory_iterator(std::string(NETSTEP_SOURCE_DIR) + dir)) {
            if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

TEST_CASE("trace: at every step of every scenario, each socket's row agrees with its state changes") {
    std::vector<std::string> files = scenario_files();
    REQUIRE(files.size() > 20);
    std::string report;
    for (const std::string& file : files) {
        std::string problems = check_in_child(file);
        if (!problems.empty()) report += file + ":\n" + problems;
    }
    CHECK_MESSAGE(report.empty(), report);
}
