// fuzz_wire: bytes -> wire::parse / wire::describe, and the round trip through wire::emit.
// Invariants (abort on violation):
//   - parse and describe never crash, on any bytes;
//   - every described field lies inside the buffer (the "Missing bytes" marker has length 0);
//   - when x parses to p: emit(p) parses, to p again (parse(emit(parse(x))) == parse(x)), and
//     emit(p) is exactly p.wire_size() bytes and describes without an "invalid" complaint.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "model/wire/wire.hpp"

using namespace netstep;

#define FUZZ_CHECK(cond)                                                              \
    do {                                                                              \
        if (!(cond)) {                                                                \
            std::fprintf(stderr, "fuzz_wire: invariant violated: %s (%s:%d)\n", #cond, \
                         __FILE__, __LINE__);                                         \
            std::abort();                                                             \
        }                                                                             \
    } while (0)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::span<const uint8_t> bytes(data, size);
    auto fields = wire::describe(bytes);
    for (const auto& f : fields) FUZZ_CHECK(f.offset + f.length <= size);

    auto parsed = wire::parse(bytes);
    FUZZ_CHECK(parsed.ok() != !parsed.error.empty() || parsed.ok());
    if (!parsed.ok()) {
        FUZZ_CHECK(!parsed.error.empty());
        return 0;
    }
    const Ipv4Packet& p = *parsed.packet;
    (void)p.to_string();
    Bytes again = wire::emit(p);
    FUZZ_CHECK(again.size() == p.wire_size());
    auto reparsed = wire::parse(again);
    if (!reparsed.ok()) std::fprintf(stderr, "fuzz_wire: emit(parse(x)) does not parse: %s\n", reparsed.error.c_str());
    FUZZ_CHECK(reparsed.ok());
    FUZZ_CHECK(*reparsed.packet == p);
    for (const auto& f : wire::describe(again)) FUZZ_CHECK(f.offset + f.length <= again.size());
    return 0;
}
