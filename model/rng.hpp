// Deterministic pseudo-random numbers for the model: SplitMix64 (Steele, Lea, Flood 2014) and an
// FNV-1a string hash. Same seed, same numbers, on every platform: traces are reproducible.
// (No <random>: its distributions differ between standard libraries.)
#pragma once
#include <cstdint>
#include <string_view>

namespace netstep {

// The SplitMix64 finalizer: a good 64-bit mixing function on its own (used as a keyed hash).
constexpr uint64_t splitmix64_mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

class SplitMix64 {
public:
    explicit constexpr SplitMix64(uint64_t seed) : state_(seed) {}
    constexpr uint64_t next() {
        state_ += 0x9E3779B97F4A7C15ull;
        return splitmix64_mix(state_);
    }

private:
    uint64_t state_;
};

// FNV-1a, 64 bits: turns a host name into part of a seed.
constexpr uint64_t fnv1a64(std::string_view text) {
    uint64_t h = 0xCBF29CE484222325ull;
    for (char c : text) {
        h ^= static_cast<uint8_t>(c);
        h *= 0x100000001B3ull;
    }
    return h;
}

}  // namespace netstep
