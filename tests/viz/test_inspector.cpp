// The inspector's field selectors (--inspect-field) and the packet it shows at a step.
#include <doctest/doctest.h>

#include "viz/loader.hpp"
#include "viz/panels.hpp"
#include "viz/trace_view.hpp"

using namespace netstep;
using namespace netstep::viz;

TEST_CASE("field selectors: layer.name, a prefix, initials: case and spaces ignored") {
    sim::Trace trace = demo_trace();
    TraceView view(trace);
    REQUIRE(!trace.packets.empty());
    std::vector<wire::WireField> fields = wire::describe(trace.packets[0].bytes);
    auto name_of = [&](const char* selector) {
        int i = find_field(fields, selector);
        return i < 0 ? std::string("none") : fields[size_t(i)].layer + "." + fields[size_t(i)].name;
    };
    CHECK(name_of("tcp.flags") == "TCP.Flags");
    CHECK(name_of("TCP.Flags") == "TCP.Flags");
    CHECK(name_of("ipv4.flags") == "IPv4.Flags");          // the layer decides between the two
    CHECK(name_of("tcp.seq") == "TCP.Sequence number");     // a prefix
    CHECK(name_of("ipv4.ttl") == "IPv4.Time to live");     // initials
    CHECK(name_of("ipv4.time_to_live") == "IPv4.Time to live");
    CHECK(name_of("flags") == "IPv4.Flags");                // no layer: the first that matches
    CHECK(name_of("udp.length") == "none");
    CHECK(name_of("") == "none");
}

TEST_CASE("the inspector's packet at a step: the step's own, else the last one sent before it") {
    sim::Trace trace = demo_trace();
    TraceView view(trace);
    uint32_t first = trace.packets[0].sent_step;
    if (first > 0) CHECK(packet_at_or_before(view, first - 1) == kNone);
    CHECK(packet_at_or_before(view, first) == 0);
    for (uint32_t s = 0; s < trace.events.size(); ++s) {
        uint32_t p = packet_at_or_before(view, s);
        if (trace.events[s].packet < trace.packets.size()) CHECK(p == trace.events[s].packet);
        else if (p != kNone) CHECK(trace.packets[p].sent_step <= s);
    }
    CHECK(packet_at_or_before(view, view.last_step()) != kNone);
}
