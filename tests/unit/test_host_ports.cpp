// HostStack: socket ids, bind, ephemeral ports, EADDRINUSE / SO_REUSEADDR, EADDRNOTAVAIL, EMFILE.
// (SO_REUSEADDR against a connection in TIME-WAIT: test_host_tcp.cpp.)
#include <doctest/doctest.h>

#include "test_host_harness.hpp"

using namespace netstep;
using namespace netstep::test;

namespace {

struct One {
    HostStack h;
    StackOutput out;
    explicit One(Profile p = Profile::textbook(), uint64_t seed = 1, std::string name = "pc")
        : h(std::move(name), {iface("lan", "192.168.1.10/24", "192.168.1.1"), iface("lab", "10.0.0.10/24")}, p,
            seed) {}
    SocketId sock(SocketType t = SocketType::Tcp) { return h.socket(t, {}, out).value; }
    CallResult<> bind(SocketId s, const char* addr, uint16_t port) { return h.bind(s, ep(addr, port), {}, out); }
    uint16_t port_of(SocketId s) { return h.socket_info(s)->local.port; }
};

}  // namespace

TEST_CASE("host: socket ids start at 1 and are never reused") {
    One o;
    CHECK(o.sock() == 1);
    CHECK(o.sock(SocketType::Udp) == 2);
    CHECK(o.h.close(2, {}, o.out).is_ok());
    CHECK(o.sock() == 3);
    CHECK(o.h.close(2, {}, o.out).err == Err::BadF);  // closed twice
    CHECK(o.h.bind(99, ep("0.0.0.0", 1), {}, o.out).err == Err::BadF);
}

TEST_CASE("host: bind: explicit port, twice, foreign and local addresses") {
    One o;
    SocketId s = o.sock();
    CHECK(o.bind(s, "0.0.0.0", 80).is_ok());
    CHECK(o.h.socket_info(s)->local == ep("0.0.0.0", 80));
    CHECK(o.bind(s, "0.0.0.0", 81).err == Err::Inval);  // binding twice

    CHECK(o.bind(o.sock(), "192.168.1.99", 80).err == Err::AddrNotAvail);  // not our address
    CHECK(o.bind(o.sock(), "127.0.0.1", 8080).is_ok());
    CHECK(o.bind(o.sock(), "10.0.0.10", 8081).is_ok());
}

TEST_CASE("host: bind: EADDRINUSE when addresses overlap, per protocol") {
    One o;
    REQUIRE(o.bind(o.sock(), "192.168.1.10", 80).is_ok());
    CHECK(o.bind(o.sock(), "192.168.1.10", 80).err == Err::AddrInUse);
    CHECK(o.bind(o.sock(), "0.0.0.0", 80).err == Err::AddrInUse);   // any overlaps every address
    CHECK(o.bind(o.sock(), "10.0.0.10", 80).is_ok());               // another address: no overlap
    CHECK(o.bind(o.sock(SocketType::Udp), "0.0.0.0", 80).is_ok());  // UDP has its own ports
    CHECK(o.bind(o.sock(SocketType::Udp), "10.0.0.10", 80).err == Err::AddrInUse);
}

TEST_CASE("host: SO_REUSEADDR: both sockets need it, and never against a listener (Linux)") {
    One o;
    SocketId a = o.sock(SocketType::Udp);
    o.h.set_reuseaddr(a, true);
    REQUIRE(o.bind(a, "0.0.0.0", 5353).is_ok());
    SocketId b = o.sock(SocketType::Udp);
    CHECK(o.bind(b, "0.0.0.0", 5353).err == Err::AddrInUse);  // only the old one has it
    o.h.set_reuseaddr(b, true);
    CHECK(o.bind(b, "0.0.0.0", 5353).is_ok());

    SocketId l = o.sock();
    o.h.set_reuseaddr(l, true);
    REQUIRE(o.bind(l, "0.0.0.0", 80).is_ok());
    REQUIRE(o.h.listen(l, 5, {}, o.out).is_ok());
    SocketId c = o.sock();
    o.h.set_reuseaddr(c, true);
    CHECK(o.bind(c, "0.0.0.0", 80).err == Err::AddrInUse);  // a listener holds its port

    // Both bound before either listens: the second listen() is refused.
    SocketId x = o.sock(), y = o.sock();
    o.h.set_reuseaddr(x, true);
    o.h.set_reuseaddr(y, true);
    REQUIRE(o.bind(x, "0.0.0.0", 8080).is_ok());
    REQUIRE(o.bind(y, "0.0.0.0", 8080).is_ok());
    CHECK(o.h.listen(x, 5, {}, o.out).is_ok());
    CHECK(o.h.listen(y, 5, {}, o.out).err == Err::AddrInUse);
}

TEST_CASE("host: ephemeral ports come from the profile's range, sequential from a seeded start") {
    for (Profile p : {Profile::textbook(), Profile::linux()}) {
        CAPTURE(p.name());
        One o(p);
        SocketId a = o.sock(), b = o.sock(), u = o.sock(SocketType::Udp);
        REQUIRE(o.bind(a, "0.0.0.0", 0).is_ok());
        REQUIRE(o.bind(b, "0.0.0.0", 0).is_ok());
        REQUIRE(o.h.listen(u, 1, {}, o.out).err == Err::OpNotSupp);
        REQUIRE(o.bind(u, "0.0.0.0", 0).is_ok());
        for (SocketId s : {a, b, u}) {
            CHECK(o.port_of(s) >= p.ephemeral_first);
            CHECK(o.port_of(s) <= p.ephemeral_last);
        }
        if (o.port_of(a) != p.ephemeral_last) CHECK(o.port_of(b) == o.port_of(a) + 1);
        CHECK(o.port_of(a) != o.port_of(b));
    }
    // Deterministic given seed and host name; another seed or name starts elsewhere.
    One x(Profile::textbook(), 7, "pc"), y(Profile::textbook(), 7, "pc"), z(Profile::textbook(), 8, "pc"),
        w(Profile::textbook(), 7, "laptop");
    for (One* o : {&x, &y, &z, &w}) REQUIRE(o->bind(o->sock(), "0.0.0.0", 0).is_ok());
    CHECK(x.port_of(1) == y.port_of(1));
    CHECK(x.port_of(1) != z.port_of(1));
    CHECK(x.port_of(1) != w.port_of(1));
}

TEST_CASE("host: ephemeral ports skip ports in use: an exhausted range gives EADDRNOTAVAIL") {
    Profile p = Profile::textbook();
    p.ephemeral_first = 50000;
    p.ephemeral_last = 50002;
    One o(p);
    REQUIRE(o.bind(o.sock(), "0.0.0.0", 50001).is_ok());  // taken explicitly
    SocketId a = o.sock(), b = o.sock(), c = o.sock();
    REQUIRE(o.bind(a, "0.0.0.0", 0).is_ok());
    REQUIRE(o.bind(b, "0.0.0.0", 0).is_ok());
    CHECK(o.port_of(a) != 50001);
    CHECK(o.port_of(b) != 50001);
    CHECK(o.bind(c, "0.0.0.0", 0).err == Err::AddrNotAvail);
    // Implicit binds too: listen without bind.
    CHECK(o.h.listen(c, 1, {}, o.out).err == Err::AddrNotAvail);
    uint16_t freed = o.port_of(a);
    o.h.close(a, {}, o.out);  // frees its port
    CHECK(o.bind(c, "0.0.0.0", 0).is_ok());
    CHECK(o.port_of(c) == freed);
    // UDP's ports are separate.
    CHECK(o.bind(o.sock(SocketType::Udp), "0.0.0.0", 0).is_ok());
}

TEST_CASE("host: too many sockets: EMFILE") {
    One o;
    SocketId last = 0;
    for (int i = 0; i < 4096; ++i) {
        auto r = o.h.socket(SocketType::Udp, {}, o.out);
        REQUIRE(r.is_ok());
        last = r.value;
    }
    CHECK(o.h.socket(SocketType::Udp, {}, o.out).err == Err::MFile);
    o.h.close(last, {}, o.out);
    CHECK(o.h.socket(SocketType::Udp, {}, o.out).is_ok());
}
