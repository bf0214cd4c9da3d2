// The kernel's timer clock (model/kernel_clock.hpp): jiffies at HZ=250 and the timer wheel of
// kernel/time/timer.c (calc_wheel_index, calc_index), checked against hand-computed buckets and
// against the timer wheel's two promises: never early, at most one bucket late.
#include <doctest/doctest.h>

#include "model/kernel_clock.hpp"

using namespace netstep;

namespace {
Instant ms(int64_t v) { return Instant::zero() + Duration::millis(v); }
KernelClock hz250(uint64_t j0 = 0) { return KernelClock{250, j0}; }
}  // namespace

TEST_CASE("kernel clock: continuous time without ticks (the textbook)") {
    KernelClock none;
    CHECK(!none.ticks());
    CHECK(none.fire_at(ms(3), Duration::micros(1234)) == ms(3) + Duration::micros(1234));
    CHECK(none.round_up(Duration::micros(1234)) == Duration::micros(1234));
}

TEST_CASE("kernel clock: jiffies and usecs_to_jiffies at HZ=250") {
    KernelClock k = hz250(100);
    CHECK(k.tick() == Duration::millis(4));
    CHECK(k.jiffies(ms(0)) == 100);
    CHECK(k.jiffies(ms(3)) == 100);
    CHECK(k.jiffies(ms(4)) == 101);
    CHECK(k.to_jiffies(Duration::millis(40)) == 10);
    CHECK(k.to_jiffies(Duration::micros(40001)) == 11);  // rounded up
    CHECK(k.round_up(Duration::millis(210)) == Duration::millis(212));
}

TEST_CASE("kernel clock: the wheel's buckets (calc_wheel_index)") {
    KernelClock k = hz250();
    // Level 0 (under 63 jiffies): one bucket per jiffy, one past the expiry.
    CHECK(k.fire_at(ms(2), Duration::millis(40)) == ms(44));   // jiffies 0 + 10, fired at 11
    CHECK(k.fire_at(ms(4), Duration::millis(40)) == ms(48));   // 1 + 10, at 12
    CHECK(k.fire_at(ms(0), Duration::millis(248)) == ms(252)); // 62 jiffies: still level 0
    // Level 1 (63 to 503 jiffies): 8-jiffy (32 ms) buckets.
    CHECK(k.fire_at(ms(0), Duration::millis(252)) == ms(256)); // 63 -> 64
    CHECK(k.fire_at(ms(4), Duration::millis(252)) == ms(288)); // 64 -> 72: a whole bucket late
    CHECK(k.fire_at(ms(0), Duration::seconds(1)) == ms(1024)); // 250 -> 256
    CHECK(k.fire_at(ms(0), Duration::seconds(2)) == ms(2016)); // 500 -> 504
    // Level 2 (504 to 4031): 64 jiffies (256 ms); level 3 (to 32255): 512 (2.048 s).
    CHECK(k.fire_at(ms(0), Duration::seconds(4)) == ms(4096));
    CHECK(k.fire_at(ms(0), Duration::seconds(60)) == ms(61440));  // TIME-WAIT: 15000 -> 15360
    // Beyond the wheel's capacity (63 << 24 jiffies, about 49 days): WHEEL_TIMEOUT_MAX, 63 << 24
    // less one bucket of the last level, rounded up to that bucket.
    CHECK(k.fire_at(ms(0), Duration::seconds(1'000'000'000)) == Instant::zero() + k.tick() * (int64_t(63) << 24));
}

TEST_CASE("kernel clock: never early, at most one bucket late, on a bucket boundary") {
    for (uint64_t j0 : {0ull, 5ull, 317ull, 4294892296ull}) {  // the last: INITIAL_JIFFIES
        KernelClock k = hz250(j0);
        for (int64_t arm_us : {0, 1000, 3999, 4000, 123457}) {
            Instant now = Instant::zero() + Duration::micros(arm_us);
            for (uint64_t t = 1; t < 40000; t = t * 5 / 4 + 1) {
                Duration timeout = k.tick() * int64_t(t);
                Instant at = k.fire_at(now, timeout);
                uint64_t fired = k.jiffies(at), expires = k.jiffies(now) + t;
                uint64_t gran = 1;  // level n from 63 << 3(n-1) jiffies, buckets of 8^n
                for (uint64_t start = 63; t >= start; start <<= 3) gran <<= 3;
                CAPTURE(j0);
                CAPTURE(arm_us);
                CAPTURE(t);
                CHECK(at >= now + timeout);
                CHECK(fired > expires);
                CHECK(fired <= expires + gran);
                CHECK(fired % gran == 0);
                CHECK((at - Instant::zero()).ns % k.tick().ns == 0);  // at a tick
            }
        }
    }
}
