// netstat as the profile's OS prints it (one function for the trace and the viewer), the time
// format of every time on screen, and a step's snapshot of a socket once its connection is over.
#include <doctest/doctest.h>

#include <vector>

#include "sim/netstat.hpp"
#include "sim/snapshot.hpp"
#include "sim/trace.hpp"
#include "sim/trace_index.hpp"

using namespace netstep;
using namespace netstep::sim;

namespace {

Endpoint ep(uint8_t last, uint16_t port) { return {Ipv4Address::from_octets(192, 168, 1, last), port}; }

SocketInfo tcp(SocketId id, Endpoint local, std::optional<Endpoint> remote, TcpState state) {
    SocketInfo s;
    s.id = id;
    s.local = local;
    s.remote = remote;
    s.state = state;
    return s;
}

// A server's table: a listener, a connection with unread data, a socket only created, one only
// bound, and a UDP socket not yet bound.
std::vector<SocketInfo> server_table() {
    std::vector<SocketInfo> t;
    t.push_back(tcp(1, {Ipv4Address::any(), 80}, std::nullopt, TcpState::Listen));
    SocketInfo conn = tcp(2, ep(20, 80), ep(10, 49152), TcpState::Established);
    conn.vars = TcpVars{};
    conn.vars->recv_queued = 18;
    conn.vars->send_queued = 5;
    t.push_back(conn);
    t.push_back(tcp(3, {Ipv4Address::any(), 0}, std::nullopt, TcpState::Closed));
    t.push_back(tcp(4, {Ipv4Address::any(), 8080}, std::nullopt, TcpState::Closed));
    SocketInfo udp;
    udp.id = 5;
    udp.type = SocketType::Udp;
    t.push_back(udp);
    SocketInfo dns = udp;
    dns.id = 6;
    dns.local = {Ipv4Address::any(), 53};
    t.push_back(dns);
    return t;
}

}  // namespace

TEST_CASE("netstat: Windows netstat -an under the textbook profile, ss -tuan under linux") {
    CHECK(netstat_style("textbook") == NetstatStyle::Windows);
    CHECK(netstat_style("linux") == NetstatStyle::Linux);
    std::vector<SocketInfo> table = server_table();
    // Only what the real tool lists: no CLOSED TCP socket (created or merely bound), no unbound UDP.
    CHECK(format_netstat(table, NetstatStyle::Windows) ==
          "  Proto  Local Address          Foreign Address        State\n"
          "  TCP    0.0.0.0:80             0.0.0.0:0              LISTENING\n"
          "  TCP    192.168.1.20:80        192.168.1.10:49152     ESTABLISHED\n"
          "  UDP    0.0.0.0:53             *:*");
    CHECK(format_netstat(table, NetstatStyle::Linux) ==
          "Netid  State   Recv-Q  Send-Q  Local Address:Port  Peer Address:Port\n"
          "tcp    LISTEN  0       0       0.0.0.0:80          0.0.0.0:*\n"
          "tcp    ESTAB   18      5       192.168.1.20:80     192.168.1.10:49152\n"
          "udp    UNCONN  0       0       0.0.0.0:53          0.0.0.0:*");
    NetstatTable rows = netstat_table(table, NetstatStyle::Linux);
    REQUIRE(rows.rows.size() == 3);
    CHECK(rows.rows[1].id == 2);  // the viewer finds each row's socket by id
    CHECK(netstat_state(TcpState::TimeWait, NetstatStyle::Windows) == "TIME_WAIT");
    CHECK(netstat_state(TcpState::TimeWait, NetstatStyle::Linux) == "TIME-WAIT");
    CHECK(netstat_state(TcpState::SynReceived, NetstatStyle::Linux) == "SYN-RECV");
    CHECK(format_netstat(std::vector<SocketInfo>{}, NetstatStyle::Windows) ==
          "  Proto  Local Address          Foreign Address        State");
}

TEST_CASE("time on screen: one format, in the unit chosen for the trace") {
    CHECK(format_time(Instant::from_nanos(12'003'999), TimeUnit::Milliseconds) == "12.003 ms");  // truncated, as the text trace
    CHECK(format_time(Instant::from_nanos(12'003'999), TimeUnit::Seconds) == "0.012003 s");
    CHECK(format_time(Instant::from_nanos(61'036'015'000), TimeUnit::Seconds) == "61.036015 s");
    CHECK(format_duration(Duration::millis(-1), TimeUnit::Milliseconds) == "-1.000 ms");
    Trace t;
    t.end_time = Instant::zero() + Duration::millis(40);
    CHECK(time_unit_of(t) == TimeUnit::Milliseconds);
    t.end_time = Instant::zero() + Duration::seconds(61);  // TIME-WAIT: a minute
    CHECK(time_unit_of(t) == TimeUnit::Seconds);
}

TEST_CASE("snapshot: a socket before, during and after its connection") {
    Trace t;
    t.hosts.resize(1);
    TraceBuilder b(t);
    for (int i = 0; i < 4; ++i) {
        TraceEvent e;
        e.time = Instant::zero() + Duration::millis(i);
        b.add_event(e);
    }
    SocketInfo row = tcp(1, ep(10, 49152), ep(20, 80), TcpState::TimeWait);
    row.vars = TcpVars{};
    row.vars->time_wait_until = Instant::zero() + Duration::seconds(60);
    b.record_socket(0, row, 1);
    b.socket_gone(0, 1, 3);
    TraceIndex index(t);
    CHECK(Snapshot(index, 0).socket(0).phase == SocketPhase::NotYet);
    CHECK_FALSE(Snapshot(index, 0).socket(0).state().has_value());
    Snapshot live(index, 2);
    REQUIRE(live.sockets_of(0).size() == 1);
    CHECK(live.socket(0).phase == SocketPhase::Live);
    CHECK(live.socket(0).state() == TcpState::TimeWait);
    REQUIRE(live.socket(0).row.vars);
    REQUIRE(running_timers(*live.socket(0).row.vars).size() == 1);
    CHECK(running_timers(*live.socket(0).row.vars)[0].kind == TimerKind::TimeWait);
    // Gone: CLOSED, nothing left running, and netstat no longer lists it.
    Snapshot gone(index, 3);
    CHECK(gone.sockets_of(0).empty());
    CHECK(gone.socket(0).phase == SocketPhase::Gone);
    CHECK(gone.socket(0).state() == TcpState::Closed);
    CHECK_FALSE(gone.socket(0).row.vars.has_value());
    CHECK(gone.time() == Instant::zero() + Duration::millis(3));
}
