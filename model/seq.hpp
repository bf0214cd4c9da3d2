// TCP sequence numbers: 32-bit, compared modulo 2^32 (RFC 9293 §3.4).
#pragma once
#include <cstdint>
#include <string>

namespace netstep {

struct SeqNum {
    uint32_t value = 0;

    constexpr SeqNum operator+(uint32_t n) const { return {value + n}; }
    constexpr SeqNum operator-(uint32_t n) const { return {value - n}; }
    // Distance from o to this, as a signed 32-bit number (wraps correctly).
    constexpr int32_t operator-(SeqNum o) const { return static_cast<int32_t>(value - o.value); }
    constexpr SeqNum& operator+=(uint32_t n) { value += n; return *this; }
    constexpr bool operator==(const SeqNum&) const = default;
    constexpr bool operator<(SeqNum o) const { return (*this - o) < 0; }
    constexpr bool operator<=(SeqNum o) const { return (*this - o) <= 0; }
    constexpr bool operator>(SeqNum o) const { return (*this - o) > 0; }
    constexpr bool operator>=(SeqNum o) const { return (*this - o) >= 0; }
    std::string to_string() const { return std::to_string(value); }
};

// lo <= s < hi, modulo 2^32.
constexpr bool seq_in_window(SeqNum s, SeqNum lo, SeqNum hi) { return lo <= s && s < hi; }

}  // namespace netstep
