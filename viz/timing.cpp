// The start-up milestones (NETSTEP_VIZ_TIMING=1): wall and CPU milliseconds since the process
// started, on stderr.
#include "viz/timing.hpp"

#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace netstep::viz {

namespace {

// Seconds since boot (CLOCK_BOOTTIME: the clock /proc/self/stat's start time counts in).
double boot_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// When this process was started, in boot seconds (clock ticks: 10 ms resolution).
double process_start() {
    std::ifstream in("/proc/self/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t close = stat.rfind(')');
    if (close == std::string::npos) return boot_seconds();
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i) {}  // field 22: starttime
    return double(std::atoll(field.c_str())) / double(sysconf(_SC_CLK_TCK));
}

// CPU seconds used so far by this process, all threads (llvmpipe's included).
double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

}  // namespace

void Timing::mark(const char* what) const {
    if (on) std::fprintf(stderr, "timing: %7.1f ms wall %7.1f ms cpu  %s\n", (boot_seconds() - start) * 1000.0,
                         cpu_seconds() * 1000.0, what);
}

void Timing::begin() { start = process_start(); }
}  // namespace netstep::viz
