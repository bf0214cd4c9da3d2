// Value types: time, addresses, sequence numbers, names of errors, states and flags, and the
// tcpdump-style text of packets.
#include <doctest/doctest.h>

#include "model/address.hpp"
#include "model/errors.hpp"
#include "model/events.hpp"
#include "model/packet.hpp"
#include "model/seq.hpp"
#include "model/tcp_state.hpp"
#include "model/time.hpp"

using namespace netstep;

TEST_CASE("values: Duration prints in its shortest exact form") {
    CHECK(to_string(Duration{}) == "0s");
    CHECK(to_string(Duration::seconds(30)) == "30s");
    CHECK(to_string(Duration::micros(1500)) == "1.5ms");
    CHECK(to_string(Duration::micros(250)) == "250us");
    CHECK(to_string(Duration::millis(100)) == "100ms");
    CHECK(to_string(Duration::millis(1500)) == "1.5s");
    CHECK(to_string(Duration::nanos(1)) == "1ns");
    CHECK(to_string(Duration::nanos(1'000'000'001)) == "1.000000001s");
    CHECK(to_string(Duration::seconds(120)) == "120s");
    CHECK(to_string(Duration::millis(-2)) == "-2ms");
    CHECK(to_string(Duration{INT64_MIN}) == "-9223372036.854775808s");
}

TEST_CASE("values: Instant prints as seconds with six decimals") {
    CHECK(to_string(Instant::zero()) == "0.000000");
    CHECK(to_string(Instant::from_nanos(10'250'000)) == "0.010250");
    CHECK(to_string(Instant::from_nanos(10'250'999)) == "0.010250");  // truncated, not rounded
    CHECK(to_string(Instant::zero() + Duration::millis(12'500)) == "12.500000");
    CHECK(to_string(Instant::from_nanos(-1'000)) == "-0.000001");
}

TEST_CASE("values: Ipv4Address parses strict dotted quads only") {
    CHECK(Ipv4Address::parse("192.168.1.10") == Ipv4Address{0xC0A8010A});
    CHECK(Ipv4Address::parse("0.0.0.0") == Ipv4Address::any());
    CHECK(Ipv4Address::parse("255.255.255.255") == Ipv4Address::broadcast());
    for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.00", "1..2.3", ".1.2.3",
                            "1.2.3.4.", " 1.2.3.4", "1.2.3.4 ", "+1.2.3.4", "1.2.3.-4", "a.b.c.d", "1.2.3.4/24",
                            "1000.1.1.1", "0x1.2.3.4"}) {
        CAPTURE(bad);
        CHECK_FALSE(Ipv4Address::parse(bad));
    }
    CHECK(Ipv4Address::from_octets(10, 0, 0, 1).to_string() == "10.0.0.1");
    CHECK(Ipv4Address::broadcast().to_string() == "255.255.255.255");
    CHECK(Ipv4Address::from_octets(127, 0, 0, 1).is_loopback());
}

TEST_CASE("values: Ipv4Prefix parses address/length and computes its network") {
    auto p = Ipv4Prefix::parse("192.168.1.10/24");
    REQUIRE(p);
    CHECK(p->address.to_string() == "192.168.1.10");  // an interface's address keeps its host bits
    CHECK(p->length == 24);
    CHECK(p->network().to_string() == "192.168.1.0");
    CHECK(p->broadcast().to_string() == "192.168.1.255");
    CHECK(p->mask().to_string() == "255.255.255.0");
    CHECK(p->contains(*Ipv4Address::parse("192.168.1.200")));
    CHECK_FALSE(p->contains(*Ipv4Address::parse("192.168.2.1")));
    CHECK(p->to_string() == "192.168.1.10/24");
    auto all = Ipv4Prefix::parse("0.0.0.0/0");
    REQUIRE(all);
    CHECK(all->contains(Ipv4Address::broadcast()));
    CHECK(Ipv4Prefix::parse("10.0.0.1/32")->contains(Ipv4Address::from_octets(10, 0, 0, 1)));
    for (const char* bad : {"10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/024", "10.0.0.0/-1", "/8",
                            "10.0.0/8", "10.0.0.0/8/8", "10.0.0.0/ 8"}) {
        CAPTURE(bad);
        CHECK_FALSE(Ipv4Prefix::parse(bad));
    }
}

TEST_CASE("values: Endpoint and FourTuple print as tcpdump does") {
    Endpoint client{Ipv4Address::from_octets(192, 168, 1, 10), 49152};
    Endpoint server{Ipv4Address::from_octets(192, 168, 1, 20), 80};
    CHECK(client.to_string() == "192.168.1.10:49152");
    FourTuple t{client, server};
    CHECK(t.to_string() == "192.168.1.10:49152 > 192.168.1.20:80");
    CHECK(t.reversed().to_string() == "192.168.1.20:80 > 192.168.1.10:49152");
    CHECK(t.reversed().reversed() == t);
    CHECK(std::hash<FourTuple>{}(t) == std::hash<FourTuple>{}(FourTuple{client, server}));
}

TEST_CASE("values: SeqNum compares modulo 2^32") {
    SeqNum near_end{0xFFFF'FFF0u};
    SeqNum wrapped = near_end + 0x20;
    CHECK(wrapped.value == 0x10);
    CHECK(near_end < wrapped);
    CHECK(wrapped > near_end);
    CHECK(wrapped - near_end == 0x20);
    CHECK(near_end - wrapped == -0x20);
    CHECK(wrapped - 0x20u == near_end);
    CHECK(SeqNum{5} <= SeqNum{5});
    CHECK(SeqNum{5} >= SeqNum{5});
    CHECK_FALSE(SeqNum{5} < SeqNum{5});
    // Half the number space ahead is still "after"; one more is "before".
    CHECK(SeqNum{0x7FFF'FFFF} > SeqNum{0});
    CHECK(SeqNum{0x8000'0001} < SeqNum{0});
    SeqNum s{0xFFFF'FFFFu};
    s += 1;
    CHECK(s == SeqNum{0});
    CHECK(seq_in_window(SeqNum{2}, SeqNum{0xFFFF'FFFEu}, SeqNum{10}));
    CHECK(seq_in_window(SeqNum{0xFFFF'FFFEu}, SeqNum{0xFFFF'FFFEu}, SeqNum{10}));
    CHECK_FALSE(seq_in_window(SeqNum{10}, SeqNum{0xFFFF'FFFEu}, SeqNum{10}));
    CHECK_FALSE(seq_in_window(SeqNum{0xFFFF'FFF0u}, SeqNum{0xFFFF'FFFEu}, SeqNum{10}));
    CHECK(SeqNum{2741401298u}.to_string() == "2741401298");
}

TEST_CASE("values: errno names round-trip") {
    CHECK(to_string(Err::ConnRefused) == "ECONNREFUSED");
    CHECK(to_string(Err::AddrNotAvail) == "EADDRNOTAVAIL");
    CHECK(to_string(Err::MFile) == "EMFILE");
    for (int i = 0; i <= static_cast<int>(Err::MFile); ++i) {
        Err e = static_cast<Err>(i);
        CAPTURE(to_string(e));
        CHECK(err_from_string(to_string(e)) == e);
    }
    CHECK_FALSE(err_from_string("ENOENT"));
    CHECK_FALSE(err_from_string(""));
}

TEST_CASE("values: TCP states are spelled as in RFC 9293") {
    CHECK(to_string(TcpState::Closed) == "CLOSED");
    CHECK(to_string(TcpState::SynReceived) == "SYN-RECEIVED");
    CHECK(to_string(TcpState::FinWait1) == "FIN-WAIT-1");
    CHECK(to_string(TcpState::TimeWait) == "TIME-WAIT");
    for (int i = 0; i < kTcpStateCount; ++i) {
        TcpState s = static_cast<TcpState>(i);
        CHECK(tcp_state_from_string(to_string(s)) == s);
    }
    CHECK(tcp_state_from_string("SYN_RECEIVED") == TcpState::SynReceived);
    CHECK(tcp_state_from_string("fin_wait_2") == TcpState::FinWait2);
    CHECK(tcp_state_from_string("Last-Ack") == TcpState::LastAck);
    CHECK_FALSE(tcp_state_from_string("SYNRECEIVED"));
    CHECK_FALSE(tcp_state_from_string("FIN-WAIT"));
    CHECK_FALSE(tcp_state_from_string(""));
    CHECK_FALSE(is_synchronized(TcpState::SynReceived));
    CHECK(is_synchronized(TcpState::Established));
    CHECK(is_synchronized(TcpState::TimeWait));
}

TEST_CASE("values: timer names") {
    CHECK(to_string(TimerKind::Retransmission) == "retransmission");
    CHECK(to_string(TimerKind::DelayedAck) == "delayed-ack");
    CHECK(to_string(TimerKind::TimeWait) == "time-wait");
    CHECK(to_string(TimerKind::Persist) == "persist");
    CHECK(to_string(TimerAction::Armed) == "armed");
    CHECK(to_string(TimerAction::Fired) == "fired");
    CHECK(to_string(TimerAction::Cancelled) == "cancelled");
}

TEST_CASE("values: TCP flags as scenario files spell them") {
    using namespace tcp_flag;
    CHECK(tcp_flags_to_string(SYN) == "SYN");
    CHECK(tcp_flags_to_string(SYN | ACK) == "SYN+ACK");
    CHECK(tcp_flags_to_string(FIN | ACK) == "FIN+ACK");
    CHECK(tcp_flags_to_string(PSH | ACK) == "PSH+ACK");
    CHECK(tcp_flags_to_string(RST | ACK) == "RST+ACK");
    CHECK(tcp_flags_to_string(0) == "none");
    CHECK(tcp_flags_to_string(0xFF) == "SYN+FIN+RST+PSH+ACK+URG+ECE+CWR");
    for (int f = 0; f < 256; ++f) CHECK(tcp_flags_from_string(tcp_flags_to_string(uint8_t(f))) == uint8_t(f));
    CHECK(tcp_flags_from_string("ACK+SYN") == (SYN | ACK));
    CHECK(tcp_flags_from_string("fin+ack") == (FIN | ACK));
    for (const char* bad : {"", "SYN+", "+ACK", "SYN++ACK", "SYN ACK", "SYN,ACK", "XMAS"}) {
        CAPTURE(bad);
        CHECK_FALSE(tcp_flags_from_string(bad));
    }
}

namespace {

Ipv4Packet tcp_packet(TcpSegment s) {
    Ipv4Packet p;
    p.src = Ipv4Address::from_octets(192, 168, 1, 10);
    p.dst = Ipv4Address::from_octets(192, 168, 1, 20);
    p.body = std::move(s);
    return p;
}

TcpSegment segment(uint8_t flags, uint32_t seq, uint32_t ack, size_t len = 0) {
    TcpSegment s;
    s.src_port = 49152;
    s.dst_port = 80;
    s.flags = flags;
    s.seq = SeqNum{seq};
    s.ack = SeqNum{ack};
    s.window = 64240;
    s.payload.assign(len, 'x');
    return s;
}

}  // namespace

TEST_CASE("values: TcpSegment prints like tcpdump") {
    using namespace tcp_flag;
    TcpSegment syn = segment(SYN, 0, 0);
    syn.mss = 1460;
    CHECK(syn.to_string() == "[SYN] seq=0 win=64240 len=0 mss=1460");
    TcpSegment syn_ack = segment(SYN | ACK, 0, 1);
    syn_ack.mss = 1460;
    CHECK(syn_ack.to_string() == "[SYN+ACK] seq=0 ack=1 win=64240 len=0 mss=1460");
    CHECK(segment(ACK, 1, 1).to_string() == "[ACK] seq=1 ack=1 win=64240 len=0");
    CHECK(segment(PSH | ACK, 1, 1, 18).to_string() == "[PSH+ACK] seq=1 ack=1 win=64240 len=18");
    syn.window_scale = 10;
    syn.sack_permitted = true;
    CHECK(syn.to_string() == "[SYN] seq=0 win=64240 len=0 mss=1460 wscale=10 sackOK");
    CHECK(segment(0, 7, 0).to_string() == "[none] seq=7 win=64240 len=0");
    CHECK(syn.seg_len() == 1);
    CHECK(segment(FIN | ACK, 1, 1, 5).seg_len() == 6);
}

TEST_CASE("values: Ipv4Packet prints addresses, ports and the body") {
    TcpSegment syn = segment(tcp_flag::SYN, 0, 0);
    syn.mss = 1460;
    Ipv4Packet p = tcp_packet(syn);
    CHECK(p.to_string() == "192.168.1.10:49152 > 192.168.1.20:80 TCP [SYN] seq=0 win=64240 len=0 mss=1460");
    CHECK(p.protocol() == ip_proto::TCP);
    CHECK(p.wire_size() == 20 + 24);
    syn.window_scale = 7;
    syn.sack_permitted = true;
    syn.payload = {1, 2, 3};
    CHECK(tcp_packet(syn).wire_size() == 20 + 32 + 3);

    Ipv4Packet u;
    u.src = Ipv4Address::from_octets(10, 0, 0, 1);
    u.dst = Ipv4Address::from_octets(10, 0, 0, 2);
    u.body = UdpDatagram{40000, 53, {'h', 'e', 'l', 'l', 'o'}};
    CHECK(u.to_string() == "10.0.0.1:40000 > 10.0.0.2:53 UDP len=5");
    CHECK(u.udp()->to_string() == "UDP len=5");
    CHECK(u.protocol() == ip_proto::UDP);
    CHECK(u.wire_size() == 33);

    Ipv4Packet i;
    i.src = Ipv4Address::from_octets(10, 0, 0, 2);
    i.dst = Ipv4Address::from_octets(10, 0, 0, 1);
    i.body = IcmpMessage{icmp_type::DEST_UNREACHABLE, icmp_code::PORT_UNREACHABLE, 0, 0, {}};
    CHECK(i.to_string() == "10.0.0.2 > 10.0.0.1 ICMP port unreachable");
    CHECK(i.protocol() == ip_proto::ICMP);
    CHECK(i.wire_size() == 28);
}

TEST_CASE("values: IcmpMessage prints like tcpdump") {
    CHECK(IcmpMessage{icmp_type::ECHO_REQUEST, 0, 1, 1, {}}.to_string() == "ICMP echo request id=1 seq=1");
    CHECK(IcmpMessage{icmp_type::ECHO_REPLY, 0, 7, 3, {}}.to_string() == "ICMP echo reply id=7 seq=3");
    CHECK(IcmpMessage{icmp_type::TIME_EXCEEDED, 0, 0, 0, {}}.to_string() == "ICMP time exceeded in transit");
    CHECK(IcmpMessage{icmp_type::DEST_UNREACHABLE, icmp_code::HOST_UNREACHABLE, 0, 0, {}}.to_string() ==
          "ICMP host unreachable");
    CHECK(IcmpMessage{5, 1, 0, 0, {}}.to_string() == "ICMP type 5 code 1");

    // The quoted datagram of c_udp.pcap: 10.0.0.1:56197 > 10.0.0.2:9999 UDP, header + 8 bytes.
    Bytes quote = {0x45, 0x00, 0x00, 0x21, 0x0e, 0x22, 0x40, 0x00, 0x40, 0x11, 0x18, 0xa8, 0x0a, 0x00,
                   0x00, 0x01, 0x0a, 0x00, 0x00, 0x02, 0xdb, 0x85, 0x27, 0x0f, 0x00, 0x0d, 0xa5, 0x6a};
    IcmpMessage port{icmp_type::DEST_UNREACHABLE, icmp_code::PORT_UNREACHABLE, 0, 0, quote};
    CHECK(port.to_string() == "ICMP 10.0.0.2 udp port 9999 unreachable");
    quote[9] = ip_proto::TCP;
    port.data = quote;
    CHECK(port.to_string() == "ICMP 10.0.0.2 tcp port 9999 unreachable");
    IcmpMessage host{icmp_type::DEST_UNREACHABLE, icmp_code::HOST_UNREACHABLE, 0, 0, quote};
    CHECK(host.to_string() == "ICMP host 10.0.0.2 unreachable");
    IcmpMessage frag{icmp_type::DEST_UNREACHABLE, icmp_code::FRAG_NEEDED, 0, 1400, quote};
    CHECK(frag.to_string() == "ICMP 10.0.0.2 unreachable - need to frag (mtu 1400)");
    // A quote too short to hold the ports, or not IPv4 at all: no details, no crash.
    port.data.resize(21);
    CHECK(port.to_string() == "ICMP port unreachable");
    port.data = {0x65, 0, 0};
    CHECK(port.to_string() == "ICMP port unreachable");
}
