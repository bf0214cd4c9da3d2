// Printing simulated time: durations as scenario files write them, instants as trace timestamps.
#include "time.hpp"

namespace netstep {

namespace {

// `value / unit` written exactly in decimal: whole part, then only the digits that are needed.
std::string exact_decimal(uint64_t value, uint64_t unit) {
    std::string text = std::to_string(value / unit);
    uint64_t rest = value % unit;
    if (rest == 0) return text;
    std::string digits;
    for (uint64_t place = unit / 10; place > 0; place /= 10) {
        digits += char('0' + (rest / place) % 10);
    }
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    return text + "." + digits;
}

}  // namespace

std::string to_string(Duration d) {
    if (d.ns == 0) return "0s";
    // Magnitude as unsigned, so that INT64_MIN does not overflow.
    uint64_t magnitude = d.ns < 0 ? uint64_t(0) - uint64_t(d.ns) : uint64_t(d.ns);
    std::string sign = d.ns < 0 ? "-" : "";
    struct Unit { uint64_t ns; const char* name; };
    static constexpr Unit units[] = {{1'000'000'000, "s"}, {1'000'000, "ms"}, {1'000, "us"}, {1, "ns"}};
    // The largest unit that the duration reaches: 1500000 ns is "1.5ms", 250000 ns is "250us".
    for (const Unit& u : units) {
        if (magnitude >= u.ns) return sign + exact_decimal(magnitude, u.ns) + u.name;
    }
    return "0s";  // unreachable: magnitude >= 1
}

std::string to_string(Instant t) {
    // Microsecond precision, truncated as tcpdump does: 10250123 ns is "0.010250".
    uint64_t magnitude = t.ns < 0 ? uint64_t(0) - uint64_t(t.ns) : uint64_t(t.ns);
    uint64_t micros = magnitude / 1'000;
    char buffer[32];  // "-" + 20 digits + "." + 6 digits
    char* end = buffer + sizeof buffer;
    char* p = end;
    uint64_t fraction = micros % 1'000'000;
    for (int i = 0; i < 6; ++i, fraction /= 10) *--p = char('0' + fraction % 10);
    *--p = '.';
    uint64_t seconds = micros / 1'000'000;
    do {
        *--p = char('0' + seconds % 10);
        seconds /= 10;
    } while (seconds > 0);
    if (t.ns < 0) *--p = '-';
    return std::string(p, end);
}

}  // namespace netstep
