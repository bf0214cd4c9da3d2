// Simulated time as strong types. The model never reads a clock: every entry point takes `now`.
#pragma once
#include <compare>
#include <cstdint>
#include <string>

namespace netstep {

// A span of simulated time, in nanoseconds.
struct Duration {
    int64_t ns = 0;

    static constexpr Duration nanos(int64_t v) { return {v}; }
    static constexpr Duration micros(int64_t v) { return {v * 1'000}; }
    static constexpr Duration millis(int64_t v) { return {v * 1'000'000}; }
    static constexpr Duration seconds(int64_t v) { return {v * 1'000'000'000}; }

    constexpr double to_seconds() const { return static_cast<double>(ns) / 1e9; }
    constexpr auto operator<=>(const Duration&) const = default;
    constexpr Duration operator+(Duration o) const { return {ns + o.ns}; }
    constexpr Duration operator-(Duration o) const { return {ns - o.ns}; }
    constexpr Duration operator*(int64_t k) const { return {ns * k}; }
    constexpr Duration operator/(int64_t k) const { return {ns / k}; }
};

// A point in simulated time, in nanoseconds since the start of the run.
struct Instant {
    int64_t ns = 0;

    static constexpr Instant zero() { return {0}; }
    static constexpr Instant from_nanos(int64_t v) { return {v}; }
    constexpr auto operator<=>(const Instant&) const = default;
    constexpr Instant operator+(Duration d) const { return {ns + d.ns}; }
    constexpr Instant operator-(Duration d) const { return {ns - d.ns}; }
    constexpr Duration operator-(Instant o) const { return {ns - o.ns}; }
};

// "1.5ms", "30s", "250us": the shortest exact form, as scenario files write durations.
std::string to_string(Duration d);
// "0.010250" seconds with microsecond precision (trace timestamps).
std::string to_string(Instant t);

}  // namespace netstep
