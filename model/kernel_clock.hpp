// Linux's clock for timers (kernel/time/timer.c): jiffies, counted at HZ ticks per second, and
// the timer wheel, which fires a timer at the end of a bucket that widens with the timeout.
#pragma once
#include <cstdint>

#include "time.hpp"

namespace netstep {

// hz == 0: continuous time (the textbook: a timer fires at its deadline, to the nanosecond).
// Every host shares one clock, as network namespaces share one kernel.
struct KernelClock {
    uint32_t hz = 0;
    uint64_t jiffies_at_start = 0;  // jiffies when the run starts: where the buckets fall

    bool ticks() const { return hz != 0; }
    Duration tick() const { return Duration::nanos(hz ? 1'000'000'000 / hz : 1); }
    uint64_t jiffies(Instant t) const;
    // usecs_to_jiffies: a duration in whole jiffies, rounded up.
    uint64_t to_jiffies(Duration d) const;
    Duration round_up(Duration d) const;
    // mod_timer(timer, jiffies + to_jiffies(timeout)) armed at `now`: when the timer softirq
    // runs it. calc_wheel_index puts a timer due within 63 jiffies in level 0 (one bucket per
    // jiffy), later ones in levels of 8x coarser buckets (32 ms, 256 ms, 2 s ... at HZ=250),
    // and calc_index rounds the expiry up to the next bucket boundary: a timer never fires
    // early, and fires up to one bucket (1/8 of its timeout) late.
    Instant fire_at(Instant now, Duration timeout) const;
};

}  // namespace netstep
