// Both profiles on the same exchange (connect, request, response, client close), and the Linux
// one checked against the real capture a_tcp_client_close.pcap.
#include <fstream>
#include <iterator>

#include "test_tcp_fixtures.hpp"

using namespace tcptest;

namespace {

// One TCP segment of the capture: direction, flags, payload length, window field.
struct WireLine {
    bool to_server;
    std::string flags;
    size_t len;
    uint16_t window;
    bool operator==(const WireLine&) const = default;
};

std::string flag_text(uint8_t f) {
    TcpSegment s;
    s.flags = f;
    return flags_of(s);
}

// A minimal reader for the capture: pcap, Ethernet, IPv4, TCP.
std::vector<WireLine> read_capture(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<WireLine> lines;
    size_t at = 24;  // pcap global header (little-endian microsecond format)
    auto u32le = [&](size_t i) { return uint32_t(b[i]) | uint32_t(b[i + 1]) << 8 | uint32_t(b[i + 2]) << 16 | uint32_t(b[i + 3]) << 24; };
    while (at + 16 <= b.size()) {
        size_t caplen = u32le(at + 8);
        size_t ip = at + 16 + 14;
        size_t ihl = (b[ip] & 0x0F) * 4u;
        size_t total = size_t(b[ip + 2]) << 8 | b[ip + 3];
        size_t tcp = ip + ihl;
        size_t doff = (b[tcp + 12] >> 4) * 4u;
        uint16_t dport = uint16_t(b[tcp + 2] << 8 | b[tcp + 3]);
        uint16_t win = uint16_t(b[tcp + 14] << 8 | b[tcp + 15]);
        lines.push_back({dport == 80, flag_text(b[tcp + 13]), total - ihl - doff, win});
        at += 16 + caplen;
    }
    return lines;
}

std::vector<WireLine> lines_of(const Pair& p) {
    std::vector<WireLine> v;
    for (size_t i = 0; i < p.wire.size(); ++i)
        v.push_back({bool(p.wire_to_server[i]), flags_of(p.wire[i]), p.wire[i].payload.size(), p.wire[i].window});
    return v;
}

// The exchange of the capture: an 18-byte request, a 20-byte reply, the client closes first,
// the server closes as soon as it reads EOF. Programs answer within microseconds.
Pair run_exchange(const Profile& prof) {
    Pair p(prof, SeqNum{2741401298}, SeqNum{1029368846});
    p.run_for(Duration::micros(250));
    p.client_send(text("GET / HTTP/1.0\r\n\r\n"));
    p.run_for(Duration::micros(80));
    CHECK(p.server_recv().size() == 18);
    p.server_send(text("HTTP/1.0 200 OK\r\n\r\n!"));
    p.run_for(Duration::micros(100));
    CHECK(p.client_recv().size() == 20);
    p.client_close();
    p.run_for(Duration::micros(60));
    CHECK(p.server_recv().empty());  // EOF
    p.server_close();
    p.run_for(Duration::millis(100));
    return p;
}

}  // namespace

TEST_CASE("tcp: both profiles on the same exchange") {
    Pair text_pair = run_exchange(Profile::textbook());
    CHECK(text_pair.transcript() == std::vector<std::string>{
                                        "C>S S len=0", "S>C S. len=0", "C>S . len=0",  // handshake
                                        "C>S P. len=18", "S>C . len=0",                 // request, ACK
                                        "S>C P. len=20", "C>S . len=0",                 // reply, ACK
                                        "C>S F. len=0", "S>C . len=0",                  // four-segment
                                        "S>C F. len=0", "C>S . len=0",                  // close
                                    });
    Pair linux_pair = run_exchange(Profile::linux());
    CHECK(linux_pair.transcript() == std::vector<std::string>{
                                         "C>S S len=0", "S>C S. len=0", "C>S . len=0",
                                         "C>S P. len=18", "S>C . len=0",  // quick ACK
                                         "S>C P. len=20", "C>S . len=0",  // quick ACK
                                         "C>S F. len=0", "S>C F. len=0",  // the ACK rides on the FIN
                                         "C>S . len=0",
                                     });
    for (Pair* p : {&text_pair, &linux_pair}) {
        CHECK(p->client.state() == TcpState::TimeWait);
        CHECK(p->server.state() == TcpState::Closed);
    }
    // The server's delayed ACK was armed, then cancelled by its FIN.
    bool cancelled = false;
    for (auto& e : linux_pair.server_events)
        if (auto* t = std::get_if<TimerEvent>(&e))
            cancelled |= t->kind == TimerKind::DelayedAck && t->action == TimerAction::Cancelled;
    CHECK(cancelled);
    // Options on the SYNs: MSS both, window scale 10 only for Linux; windows 65535 / 64240.
    CHECK(text_pair.wire[0].mss == 1460);
    CHECK(!text_pair.wire[0].window_scale);
    CHECK(text_pair.wire[0].window == 65535);
    CHECK(linux_pair.wire[0].window_scale == 10);
    CHECK(linux_pair.wire[1].window_scale == 10);
    CHECK(!linux_pair.wire[0].sack_permitted);
}

TEST_CASE("tcp: the linux profile matches the capture a_tcp_client_close.pcap") {
    auto capture = read_capture(std::string(NETSTEP_CAPTURES_DIR) + "/a_tcp_client_close.pcap");
    REQUIRE(capture.size() == 10);
    Pair p = run_exchange(Profile::linux());
    // Flags, lengths and window fields, segment by segment (64240 in the SYNs, then 63 << 10).
    CHECK(lines_of(p) == capture);
    // Sequence numbers too, with the capture's ISNs.
    CHECK(p.wire[8].seq == SeqNum{1029368867});
    CHECK(p.wire[8].ack == SeqNum{2741401318});
}

TEST_CASE("tcp: linux ACKs the FIN alone when the program is slow to close") {
    Pair p(Profile::linux());
    p.run_for(Duration::millis(1));
    p.client_close();
    p.run_for(Duration::millis(100));  // more than the 40 ms delayed ACK
    p.server_close();
    p.run_for(Duration::millis(1));
    auto t = p.transcript();
    std::vector<std::string> close(t.begin() + 3, t.end());
    CHECK(close == std::vector<std::string>{"C>S F. len=0", "S>C . len=0", "S>C F. len=0", "C>S . len=0"});
}

TEST_CASE("tcp: profile values") {
    Profile t = Profile::textbook(), l = Profile::linux();
    CHECK(t.name() == "textbook");
    CHECK(l.name() == "linux");
    CHECK(l.ephemeral_first == 32768);
    CHECK(l.ephemeral_last == 60999);
    CHECK(t.ephemeral_first == 49152);
    CHECK(l.msl * 2 == Duration::seconds(60));
    CHECK(l.rto_min == Duration::millis(200));
    CHECK(l.syn_retries == 6);
    CHECK(l.data_retries == 15);
    CHECK(!t.delayed_ack);
    CHECK(l.delayed_ack);
    CHECK(l.ack_delay_max == Duration::millis(40));
}

// SO_RCVBUF (tests/data/captures/linux/o_sockopt_rcvbuf.pcap, Linux 6.18): 16384 is doubled to
// 32768; the SYN offers half of it rounded down to the MSS, 16060, with window scale 0.
TEST_CASE("profiles: SO_RCVBUF and SO_SNDBUF, doubled under linux, as given under textbook") {
    Profile l = Profile::linux().with_buffers(16384u, 16384u);
    CHECK(l.initial_rcv_window == 16060);
    REQUIRE(l.window_scale.has_value());
    CHECK(*l.window_scale == 0);
    CHECK(l.recv_buffer == 32768u * 168 / 256);
    CHECK(l.rcv_mem == 32768u);  // sk_rcvbuf: counted in memory, each segment its truesize
    CHECK(l.send_buffer == 32768u);
    Profile big = Profile::linux().with_buffers(1u << 30, std::nullopt);  // capped at rmem_max
    CHECK(big.recv_buffer == 2u * 212992 * 168 / 256);
    CHECK(big.rcv_mem == 2u * 212992);
    CHECK(*big.window_scale == 2);  // 212992 needs 2 bits beyond 65535
    CHECK(big.send_buffer == Profile::linux().send_buffer);
    Profile t = Profile::textbook().with_buffers(8000u, 4000u);
    CHECK(t.recv_buffer == 8000u);
    CHECK(t.rcv_mem == 0u);  // textbook: RCV.BUFF counts payload bytes
    CHECK(t.send_buffer == 4000u);
    CHECK_FALSE(t.window_scale.has_value());
    // A connection opened with it: the SYN carries the window of the buffer.
    TcpOutput out;
    TcpConnection c = TcpConnection::connect(TUPLE, LOCAL_ISS, Instant::zero(), l, out);
    REQUIRE(!out.segments.empty());
    CHECK(out.segments[0].window == 16060);
    CHECK(out.segments[0].window_scale == std::optional<uint8_t>(0));
}
