#include "kernel_clock.hpp"

namespace netstep {

uint64_t KernelClock::jiffies(Instant t) const {
    return jiffies_at_start + uint64_t(t.ns / tick().ns);
}

uint64_t KernelClock::to_jiffies(Duration d) const {
    if (d.ns <= 0) return 0;
    const int64_t t = tick().ns;
    return uint64_t((d.ns + t - 1) / t);
}

Duration KernelClock::round_up(Duration d) const {
    if (!ticks()) return d;
    return tick() * int64_t(to_jiffies(d));
}

Instant KernelClock::fire_at(Instant now, Duration timeout) const {
    if (!ticks()) return now + timeout;
    // kernel/time/timer.c: LVL_CLK_SHIFT 3, LVL_SIZE 64, LVL_DEPTH 9 when HZ > 100 (else 8),
    // LVL_START(n) = 63 << 3(n-1).
    constexpr unsigned shift = 3;
    const unsigned depth = hz > 100 ? 9 : 8;
    auto level_start = [](unsigned n) { return uint64_t(63) << ((n - 1) * shift); };
    const uint64_t clk = jiffies(now);
    uint64_t expires = clk + to_jiffies(timeout);
    const uint64_t delta = expires - clk;
    unsigned lvl = 0;
    if (delta >= level_start(depth)) {
        // "Force expire obscene large timeouts": WHEEL_TIMEOUT_MAX, in the last level.
        expires = clk + level_start(depth) - (uint64_t(1) << ((depth - 1) * shift));
        lvl = depth - 1;
    } else {
        while (lvl + 1 < depth && delta >= level_start(lvl + 1)) ++lvl;
    }
    // calc_index: "Round up with level granularity to prevent this [early expiry]."
    const uint64_t bucket = ((expires >> (lvl * shift)) + 1) << (lvl * shift);
    return Instant::from_nanos(int64_t(bucket - jiffies_at_start) * tick().ns);
}

}  // namespace netstep
