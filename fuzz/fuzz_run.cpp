// fuzz_run: whole runs. YAML text -> load_scenario_text -> run_scenario to the end -> the text
// trace and the JSON written -> the JSON read back. Files the loader refuses are fuzz_scenario's
// business and end here. Each run has small Limits (below), so that every input ends within a
// second or two of CPU and a few hundred MB (under ASan); the budgets checked on the run's process
// (10 s of CPU, 1.5 GB) are many times that, so an input that is slow or memory-hungry despite
// the limits is a finding: a limit missing, or one that does not bound what it says.
//
// Must hold (abort otherwise):
//  - run_scenario returns: no exception of any kind (not even std::bad_alloc, under these limits);
//  - the trace starts with RunStart and ends with RunEnd, times never go back, and every index
//    in an event names something in the trace;
//  - the text trace is at most twice Limits::max_text_bytes (the limit counts it as it grows);
//  - the JSON reads back (read_json) with as many events and packets;
//  - a second run of the same scenario gives the same JSON, byte for byte (determinism), for
//    traces of fewer than 2,000 events (larger ones would double the time of the run).
//
// One engine per process: SimGrid 3.32 refuses a second one ("Cannot change the model after the
// initialization", sim/engine.hpp). So the file is loaded here, and each run (with its outputs
// and checks) happens in a child process made by fork(). The child's coverage counters go back
// to this process through shared memory, so libFuzzer is guided by what the run covers. This
// process watches the child: a child that dies (a sanitizer report, an abort) or holds more
// than FUZZ_RUN_RSS_MB (default 1536) of memory or uses more than FUZZ_RUN_CPU_S (default 10) of
// CPU is a crash here; a child that takes longer than -timeout (wall time, 60 s in
// scripts/fuzz.sh) is libFuzzer's own timeout (the child dies with this process, PR_SET_PDEATHSIG).
// Two children run a small trace (under 2,000 events) and must write the same JSON.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <string>
#include <utility>
#include <vector>

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/engine.hpp"
#include "sim/output.hpp"
#include "sim/scenario.hpp"
#include "sim/trace.hpp"

using namespace netstep::sim;

namespace {

// Limits scaled down from the defaults so that, even under ASan, every run with its outputs takes
// a second or two at most and under ~300 MB: the trace's memory 512 times smaller (2 MiB), the
// text trace (1 MiB) 512 times, the events (20,000) 250 times, programs 300 times. Most of a big run's
// time goes to writing and reading back its JSON.
Limits fuzz_limits() {
    Limits l;
    l.max_file_bytes = 64 * 1024;
    l.max_networks = 16;
    l.max_hosts = 64;
    l.max_interfaces_per_host = 16;
    l.max_programs = 100;  // under ASan each blocked program holds ~9 MB (1 MiB stacks, shadow)
    l.max_steps = 2000;
    l.max_repeat = 10'000;
    l.max_send_bytes = 256 * 1024;
    l.max_depth = 8;
    l.max_forks = 80;
    l.max_events = 20'000;
    l.max_idle_rounds = 10'000;
    l.max_caption_bytes = 4096;
    l.max_expanded_bytes = 1024 * 1024;
    l.max_trace_bytes = size_t(2) << 20;
    l.max_text_bytes = size_t(1) << 20;
    l.max_netstat_rows = 100;
    return l;
}

// An ostream that only counts what is written to it.
class CountingBuf : public std::streambuf {
public:
    size_t count = 0;

protected:
    int_type overflow(int_type c) override {
        if (!traits_type::eq_int_type(c, traits_type::eof())) ++count;
        return traits_type::not_eof(c);
    }
    std::streamsize xsputn(const char*, std::streamsize n) override {
        count += size_t(n);
        return n;
    }
};

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "fuzz_run: invariant broken: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

void check_trace(const Trace& t) {
    if (t.events.empty()) fail("the trace has no events");
    if (t.events.front().kind != EventKind::RunStart) fail("the first event is not RunStart");
    if (t.events.back().kind != EventKind::RunEnd) fail("the last event is not RunEnd");
    for (size_t i = 0; i < t.events.size(); ++i) {
        const TraceEvent& e = t.events[i];
        if (i > 0 && e.time < t.events[i - 1].time) fail("event " + std::to_string(i) + " goes back in time");
        if (e.host != kNone && e.host >= t.hosts.size()) fail("event " + std::to_string(i) + ": no such host");
        if (e.program != kNone && e.program >= t.programs.size()) fail("event " + std::to_string(i) + ": no such program");
        if (e.packet != kNone && e.packet >= t.packets.size()) fail("event " + std::to_string(i) + ": no such packet");
        if (e.text != kNone && e.text >= t.strings.size()) fail("event " + std::to_string(i) + ": no such string");
        if (e.text2 != kNone && e.text2 >= t.strings.size()) fail("event " + std::to_string(i) + ": no such string");
    }
    if (t.events.back().time > t.end_time) fail("an event after end_time");
}

// What a child tells its parent, in shared memory.
struct ChildReport {
    bool done = false;         // the child reached the end of its checks
    uint64_t events = 0;
    uint64_t json_hash = 0;    // FNV-1a of the JSON written
    size_t max_rss_kb = 0;
    char end[400] = {};        // the RunEnd event's text (FUZZ_RUN_VERBOSE=1 prints it)
};

uint64_t fnv1a(const std::string& s) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

// Runs the scenario and checks everything; in the child.
void run_and_check(const Scenario& scenario, const Limits& limits, ChildReport& report) {
    RunOptions options;
    options.limits = limits;
    Trace trace;
    try {
        trace = run_scenario(scenario, options);
    } catch (const std::exception& e) {
        fail(std::string("run_scenario threw: ") + error_message(e));
    } catch (...) {
        fail("run_scenario threw something that is not a std::exception");
    }
    check_trace(trace);

    CountingBuf text_bytes;
    {
        std::ostream out(&text_bytes);
        write_text(trace, out, {.steps = true});
    }
    if (text_bytes.count > 2 * limits.max_text_bytes) {
        fail("the text trace has " + std::to_string(text_bytes.count) + " bytes, Limits::max_text_bytes is " +
             std::to_string(limits.max_text_bytes));
    }

    std::ostringstream json;
    write_json(trace, json);
    std::string written = json.str();
    try {
        std::istringstream in(written);
        Trace back = read_json(in);
        if (back.events.size() != trace.events.size() || back.packets.size() != trace.packets.size()) {
            fail("the JSON read back has " + std::to_string(back.events.size()) + " events and " +
                 std::to_string(back.packets.size()) + " packets, the trace " + std::to_string(trace.events.size()) +
                 " and " + std::to_string(trace.packets.size()));
        }
    } catch (const std::exception& e) {
        fail(std::string("the JSON written does not read back: ") + error_message(e));
    }
    report.events = trace.events.size();
    std::snprintf(report.end, sizeof report.end, "%s", trace.str(trace.events.back().text).c_str());
    report.json_hash = fnv1a(written);
}

// libFuzzer's inline 8-bit counters: this executable's section __sancov_cntrs, found in its ELF
// section headers (naming the linker's __start___sancov_cntrs here would make GNU ld give the
// sanitizer's own constructor null bounds, and libFuzzer would see no coverage at all).
struct Counters {
    uint8_t* begin = nullptr;
    size_t size = 0;
};

int main_bias(dl_phdr_info* info, size_t, void* out) {
    *static_cast<ElfW(Addr)*>(out) = info->dlpi_addr;  // the first object is the executable
    return 1;
}

const Counters& counters() {
    static const Counters found = [] {
        Counters c;
        ElfW(Addr) bias = 0;
        dl_iterate_phdr(main_bias, &bias);
        FILE* f = std::fopen("/proc/self/exe", "rb");
        if (!f) fail("cannot open /proc/self/exe");
        ElfW(Ehdr) eh{};
        std::vector<ElfW(Shdr)> sh;
        std::vector<char> names;
        bool ok = std::fread(&eh, sizeof eh, 1, f) == 1 && eh.e_shentsize == sizeof(ElfW(Shdr));
        if (ok) {
            sh.resize(eh.e_shnum);
            ok = std::fseek(f, long(eh.e_shoff), SEEK_SET) == 0 && std::fread(sh.data(), sizeof(ElfW(Shdr)), sh.size(), f) == sh.size() &&
                 eh.e_shstrndx < sh.size();
        }
        if (ok) {
            names.resize(sh[eh.e_shstrndx].sh_size + 1);
            ok = std::fseek(f, long(sh[eh.e_shstrndx].sh_offset), SEEK_SET) == 0 &&
                 std::fread(names.data(), 1, names.size() - 1, f) == names.size() - 1;
        }
        std::fclose(f);
        for (size_t i = 0; ok && i < sh.size(); ++i) {
            if (sh[i].sh_name < names.size() && std::strcmp(&names[sh[i].sh_name], "__sancov_cntrs") == 0) {
                c.begin = reinterpret_cast<uint8_t*>(bias + sh[i].sh_addr);
                c.size = sh[i].sh_size;
            }
        }
        if (!c.begin) fail("no section __sancov_cntrs in /proc/self/exe");
        return c;
    }();
    return found;
}

// The time budget of one run is CPU time, not wall time: the machine fuzzing may be loaded (a
// run at nice 19 beside two builds gets a quarter of a core), and libFuzzer's -timeout counts
// wall time. scripts/fuzz.sh gives fuzz_run -timeout=60 as a backstop.
unsigned long long cpu_limit_ticks() {
    static const unsigned long long ticks = [] {
        const char* env = std::getenv("FUZZ_RUN_CPU_S");
        return (env ? std::strtoull(env, nullptr, 10) : 10) * (unsigned long long)sysconf(_SC_CLK_TCK);
    }();
    return ticks;
}

size_t rss_limit_kb() {
    static const size_t kb = [] {
        const char* env = std::getenv("FUZZ_RUN_RSS_MB");
        return size_t(env ? std::strtoull(env, nullptr, 10) : 1536) * 1024;
    }();
    return kb;
}

// The state letter and CPU clock ticks (user + system) of a process, from /proc/PID/stat.
std::pair<char, unsigned long long> state_of(pid_t pid) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", int(pid));
    FILE* f = std::fopen(path, "r");
    if (!f) return {'?', 0};
    char buf[1024];
    size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[n] = 0;
    const char* p = std::strrchr(buf, ')');  // the name may hold spaces
    char state = '?';
    unsigned long long utime = 0, stime = 0;
    if (!p || std::sscanf(p + 1, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &state, &utime, &stime) != 3) {
        return {'?', 0};
    }
    return {state, utime + stime};
}

size_t rss_kb_of(pid_t pid) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/statm", int(pid));
    FILE* f = std::fopen(path, "r");
    if (!f) return 0;
    unsigned long size = 0, resident = 0;
    int n = std::fscanf(f, "%lu %lu", &size, &resident);
    std::fclose(f);
    return n == 2 ? resident * size_t(sysconf(_SC_PAGESIZE)) / 1024 : 0;
}

// Shared with every child: its report and its coverage counters.
struct Shared {
    ChildReport report;
    uint8_t counters[1];  // as many as the section holds
};

Shared* shared_memory() {
    static Shared* shared = [] {
        size_t bytes = sizeof(Shared) + counters().size;
        void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) fail("mmap of the shared memory failed");
        return static_cast<Shared*>(p);
    }();
    return shared;
}

// One run in a child process; returns its report (aborts on any failure of the child), or
// nothing when the child hung at once in the sanitizer's allocator: fork() in a process with
// threads (libFuzzer's RSS thread) now and then leaves an allocator lock held in the child (LLVM
// 14's ASan takes no lock around fork). A run never sleeps (no I/O, no threads), so a child asleep
// for 2 s without using CPU is that, not the scenario: it is killed and the run made again.
std::optional<ChildReport> try_in_child(const Scenario& scenario, const Limits& limits) {
    Shared* shared = shared_memory();
    size_t ncounters = counters().size;
    uint8_t* mine = counters().begin;
    shared->report = ChildReport{};
    std::fflush(stdout);
    std::fflush(stderr);
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) fail("pipe failed");
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) fail("fork failed");
    if (pid == 0) {
        close(ready[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL);  // libFuzzer's timeout ends the parent: the child goes too
        if (getppid() != parent) _exit(3);
        run_and_check(scenario, limits, shared->report);
        std::memcpy(shared->counters, mine, ncounters);
        shared->report.done = true;
        _exit(0);  // no exit handlers: they are the parent's
    }
    close(ready[1]);
    // Wait for the child, watching its memory: the pipe's end closes when it exits.
    size_t max_rss = 0;
    unsigned long long cpu = 0;
    int idle_polls = 0;
    for (;;) {
        pollfd p{ready[0], POLLIN, 0};
        int r = poll(&p, 1, 20);
        if (r > 0) break;
        auto [state, ticks] = state_of(pid);
        idle_polls = state == 'S' && ticks == cpu ? idle_polls + 1 : 0;
        cpu = ticks;
        if (idle_polls >= 100) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
            close(ready[0]);
            std::fprintf(stderr, "fuzz_run: the run's process hung, asleep without CPU for 2 s (a lock after fork): made again\n");
            return std::nullopt;
        }
        if (ticks > cpu_limit_ticks()) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
            close(ready[0]);
            fail("the run used more than " + std::to_string(cpu_limit_ticks() / sysconf(_SC_CLK_TCK)) +
                 " s of CPU (FUZZ_RUN_CPU_S): a limit is missing");
        }
        size_t rss = rss_kb_of(pid);
        max_rss = std::max(max_rss, rss);
        if (rss > rss_limit_kb()) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
            close(ready[0]);
            fail("the run holds " + std::to_string(rss / 1024) + " MB (FUZZ_RUN_RSS_MB " +
                 std::to_string(rss_limit_kb() / 1024) + "): a limit is missing");
        }
    }
    close(ready[0]);
    int status = 0;
    rusage usage{};
    if (wait4(pid, &status, 0, &usage) != pid) fail("wait4 failed");
    max_rss = std::max(max_rss, size_t(usage.ru_maxrss));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !shared->report.done) {
        fail(WIFSIGNALED(status) ? "the run's process died of signal " + std::to_string(WTERMSIG(status))
                                 : "the run's process exited with status " + std::to_string(WEXITSTATUS(status)));
    }
    if (max_rss > rss_limit_kb()) {
        fail("the run held " + std::to_string(max_rss / 1024) + " MB (FUZZ_RUN_RSS_MB " +
             std::to_string(rss_limit_kb() / 1024) + "): a limit is missing");
    }
    // What the run covered counts as covered here (libFuzzer reads these counters on return).
    for (size_t i = 0; i < ncounters; ++i) {
        uint8_t c = shared->counters[i];
        if (c > mine[i]) mine[i] = c;
    }
    ChildReport report = shared->report;
    report.max_rss_kb = max_rss;
    return report;
}

ChildReport run_in_child(const Scenario& scenario, const Limits& limits) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (auto report = try_in_child(scenario, limits)) return *report;
    }
    fail("the run's process hung three times, asleep without using CPU");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const Limits limits = fuzz_limits();
    std::string text(reinterpret_cast<const char*>(data), size);
    Scenario scenario;
    try {
        scenario = load_scenario_text(text, "fuzz.yaml", limits);
    } catch (const ScenarioError&) {
        return 0;  // fuzz_scenario checks what the loader says
    } catch (const std::exception& e) {
        fail(std::string("load_scenario_text threw other than ScenarioError: ") + error_message(e));
    }
    ChildReport first = run_in_child(scenario, limits);
    if (first.events < 2000) {
        ChildReport second = run_in_child(scenario, limits);
        if (second.json_hash != first.json_hash || second.events != first.events) {
            fail("a second run of the same scenario and seed gave another trace (" + std::to_string(first.events) +
                 " and " + std::to_string(second.events) + " events)");
        }
    }
    if (std::getenv("FUZZ_RUN_VERBOSE")) {
        std::fprintf(stderr, "fuzz_run: %llu events, %zu MB at most; %s\n", (unsigned long long)first.events,
                     first.max_rss_kb / 1024, first.end);
    }
    return 0;
}
