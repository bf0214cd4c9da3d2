// A host's network stack: interfaces, routing decision, ports, sockets, TCP and UDP
// demultiplexing, ICMP, and the Berkeley socket calls. Pure: every call takes `now` and puts
// what happened (packets to transmit, events) into a StackOutput.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "address.hpp"
#include "events.hpp"
#include "link.hpp"
#include "neighbor.hpp"
#include "packet.hpp"
#include "profile.hpp"
#include "result.hpp"
#include "tcp.hpp"

namespace netstep {

// Socket identifiers are per host, from 1, never reused: the trace refers to them, and after
// close() an id still names the connection it had (FIN-WAIT-2, TIME-WAIT..., then CLOSED).
using SocketId = uint32_t;

enum class SocketType { Tcp, Udp };
std::string_view to_string(SocketType t);  // "TCP", "UDP"

struct InterfaceConfig {
    std::string adapter;                // what ipconfig shows: "Ethernet adapter Ethernet"
    std::string network;                // the network (segment) it is attached to
    Ipv4Prefix address;                 // 192.168.1.10/24: the address and the prefix length
    std::optional<Ipv4Address> gateway; // default gateway reached through this interface
    std::optional<MacAddress> mac{};    // given (`mac:`), else derive_mac(seed, host, index)
    bool operator==(const InterfaceConfig&) const = default;
};

// A packet leaving the host: on which interface, to which next hop on that network.
struct Transmission {
    size_t interface = 0;
    Ipv4Address next_hop;
    Ipv4Packet packet;
};

// A frame leaving the host by an interface (link layer on): the engine delivers it to the
// interface whose MAC is frame.dst on that network, or to every other interface for a broadcast
// (a shared segment), or through a LearningSwitch (switch.hpp).
struct FrameTransmission {
    size_t interface = 0;
    EthernetFrame frame;
};

// One row of `arp -a` / `ip neigh`: a neighbour cache entry and the interface it belongs to.
struct ArpRow {
    size_t interface = 0;
    NeighbourRow neighbour;
    bool operator==(const ArpRow&) const = default;
};

struct StackEvent {
    SocketId socket = 0;               // 0: not about a socket (routing, ICMP, unwanted segment)
    std::optional<FourTuple> tuple;    // the connection it is about, if any
    ModelEventBody what;
};

struct StackOutput {
    std::vector<Transmission> transmit;  // link layer off: IPv4 packets and their next hop
    std::vector<FrameTransmission> frames;  // link layer on: Ethernet frames (transmit stays empty)
    std::vector<StackEvent> events;
    // The sockets whose row (SocketInfo) this operation may have changed: created, changed or
    // removed (reaped). Unordered, may repeat; a socket not listed did not change. The engine
    // records exactly these rows (no comparison of whole tables).
    std::vector<SocketId> changed;
    void clear() { transmit.clear(); frames.clear(); events.clear(); changed.clear(); }
};

struct Route {
    size_t interface = 0;
    Ipv4Address next_hop;  // the destination itself when on-link, else the gateway
    bool local = false;    // one of our own addresses (or 127/8): delivered inside the host,
                           // never transmitted (interface and next_hop are then meaningless)
};

// One row of netstat (and what the trace records of a socket).
struct SocketInfo {
    SocketId id = 0;
    SocketType type = SocketType::Tcp;
    Endpoint local;                    // 0.0.0.0:0 before bind
    std::optional<Endpoint> remote;    // connected peer
    std::optional<TcpState> state;     // TCP only
    bool user_closed = false;          // the program closed it; the connection lives on
    std::optional<TcpVars> vars;       // TCP connections past LISTEN
    size_t recv_queued = 0;            // UDP: datagrams; TCP: bytes
    bool operator==(const SocketInfo&) const = default;
};

struct Datagram {
    Endpoint from;
    Bytes data;
};

enum class ShutdownHow { Read, Write, Both };

// An ICMP echo socket, as Linux's unprivileged "ping socket" (socket(AF_INET, SOCK_DGRAM,
// IPPROTO_ICMP), net/ipv4/ping.c): the stack gives it an identifier (its "port", the first free
// from 1), writes that identifier into every echo request it sends, and hands
// it the echo replies carrying it and the ICMP errors quoting one of its requests (RFC 792: the
// quote is the request's IP header and first 8 bytes: type, code, checksum, identifier,
// sequence). Ping sockets are not in the socket table (netstat shows none, as on Linux and Windows).
using PingSocketId = uint32_t;

struct PingAnswer {
    enum class Kind { EchoReply, TimeExceeded, Unreachable };
    Kind kind = Kind::EchoReply;
    Ipv4Address from;       // who answered: the destination, or the router reporting an error
    uint16_t sequence = 0;  // the request's sequence number (from the reply, or from the quote)
    uint8_t ttl = 0;        // the answer's IP TTL as it arrived
    uint8_t code = 0;       // the ICMP code (unreachable: 0 net, 1 host, 3 port...)
    size_t data_bytes = 0;  // echo reply: the bytes of data it carried back
    bool operator==(const PingAnswer&) const = default;
};

// An ICMP error about a datagram a UDP socket sent, as IP_RECVERR queues it and
// recvmsg(MSG_ERRQUEUE) reads it (struct sock_extended_err: the offender, type, code; the quoted
// datagram's destination).
struct IcmpReport {
    Ipv4Address from;     // who sent the ICMP error (SO_EE_OFFENDER)
    uint8_t type = 0;     // ICMP type: 3 destination unreachable, 11 time exceeded
    uint8_t code = 0;
    uint8_t ttl = 0;      // the error's IP TTL as it arrived
    Endpoint quoted_dst;  // where the datagram it quotes was going (address, port)
    bool operator==(const IcmpReport&) const = default;
};

class HostStack {
public:
    HostStack(std::string name, std::vector<InterfaceConfig> interfaces, Profile profile,
              uint64_t seed, bool forwarding = false);

    // --- Berkeley socket calls ---------------------------------------------------------
    // WouldBlock means: nothing is wrong, the call cannot complete yet; call again with the
    // same arguments after the stack changed (a packet arrived, a timer fired).
    CallResult<SocketId> socket(SocketType type, Instant now, StackOutput& out);
    CallResult<> set_reuseaddr(SocketId s, bool on);
    CallResult<> set_linger_zero(SocketId s, bool on);  // SO_LINGER {1, 0}: close sends RST
    // SO_RCVBUF / SO_SNDBUF (bytes; Profile::with_buffers): for the connection a later
    // connect() or listen() makes; a listener's children inherit them. EINVAL for 0.
    CallResult<> set_buffer(SocketId s, bool receive, uint32_t bytes);
    // UDP: IP_TTL, the TTL of the datagrams it sends from now on (traceroute: 1, 2, 3...).
    CallResult<> set_ttl(SocketId s, uint8_t ttl);
    // UDP: IP_RECVERR: every ICMP error about its datagrams (time exceeded, unreachable) is queued
    // for recv_error, connected or not (Linux ip_icmp_error).
    CallResult<> set_recverr(SocketId s, bool on);
    // recvmsg(MSG_ERRQUEUE): the oldest queued report; WouldBlock (EAGAIN) when there is none.
    CallResult<IcmpReport> recv_error(SocketId s);
    // port 0 = an ephemeral port; address any() = every interface. EADDRINUSE, EADDRNOTAVAIL.
    CallResult<> bind(SocketId s, Endpoint local, Instant now, StackOutput& out);
    CallResult<> listen(SocketId s, int backlog, Instant now, StackOutput& out);
    CallResult<SocketId> accept(SocketId listener, Instant now, StackOutput& out);
    // Whether accept(listener) would return WouldBlock now (nothing queued): exactly its test,
    // without calling it (a blocked accept need not be retried after every packet).
    bool accept_would_block(SocketId listener) const;
    // TCP: the first call sends the SYN and returns WouldBlock; later calls return WouldBlock
    // until ESTABLISHED (Ok) or failure (ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH...).
    // UDP: sets the default peer, Ok at once.
    CallResult<> connect(SocketId s, Endpoint remote, Instant now, StackOutput& out);
    // Returns how many bytes were taken (possibly fewer than given: call again with the rest).
    CallResult<size_t> send(SocketId s, std::span<const uint8_t> data, Instant now, StackOutput& out);
    // TCP: up to `max` bytes; empty = EOF. UDP (connected): one datagram.
    CallResult<Bytes> recv(SocketId s, size_t max, Instant now, StackOutput& out);
    CallResult<size_t> sendto(SocketId s, std::span<const uint8_t> data, Endpoint to, Instant now,
                              StackOutput& out);
    CallResult<Datagram> recvfrom(SocketId s, Instant now, StackOutput& out);
    CallResult<> shutdown(SocketId s, ShutdownHow how, Instant now, StackOutput& out);
    CallResult<> close(SocketId s, Instant now, StackOutput& out);

    // --- ICMP echo (ping sockets, above) -----------------------------------------------------
    CallResult<PingSocketId> ping_open();
    // One echo request to `to` with this sequence number, IP TTL `ttl` (IP_TTL: 1, 2, 3... for
    // traceroute) and `data`. ENETUNREACH when there is no route, EBADF for an unknown socket.
    CallResult<> ping_send(PingSocketId s, Ipv4Address to, uint16_t sequence, uint8_t ttl,
                           std::span<const uint8_t> data, Instant now, StackOutput& out);
    // The oldest answer not yet read; WouldBlock when there is none.
    CallResult<PingAnswer> ping_recv(PingSocketId s);
    CallResult<> ping_close(PingSocketId s);
    std::optional<uint16_t> ping_identifier(PingSocketId s) const;

    // --- Network side ------------------------------------------------------------------
    // A packet arrived on `interface` (already a value: checksums were fine).
    void receive(size_t interface, const Ipv4Packet& packet, Instant now, StackOutput& out);
    // Raw bytes arrived: parsed and judged (bad checksum, bad lengths are Rejected events).
    void receive_bytes(size_t interface, std::span<const uint8_t> bytes, Instant now, StackOutput& out);

    // --- Link layer (profile().link_layer; link.hpp, neighbor.hpp) ----------------------------
    // A frame arrived on `interface`. Frames for another MAC address are ignored, as a network
    // card filters them (an unknown unicast flooded by a switch); ARP is answered and merged
    // (RFC 826); IPv4 goes to receive(). Ignored when the link layer is off.
    void receive_frame(size_t interface, const EthernetFrame& frame, Instant now, StackOutput& out);
    // Raw bytes of a frame: parsed (wire::parse_frame), or a Rejected event.
    void receive_frame_bytes(size_t interface, std::span<const uint8_t> bytes, Instant now, StackOutput& out);
    // The interface's MAC address (given, or derived from the seed, the host name and the
    // index), whether or not the link layer is on: ipconfig /all shows it.
    MacAddress mac(size_t interface) const { return macs_[interface]; }
    // `mac:` in the scenario: replaces the derived address (call before any traffic).
    void set_mac(size_t interface, MacAddress mac) { macs_.at(interface) = mac; }
    // arp -s: a static entry. Nothing without the link layer.
    void add_static_neighbour(size_t interface, Ipv4Address address, MacAddress mac, Instant now, StackOutput& out);
    // arp -a, ip neigh: every interface's cache, by interface then address (empty when off).
    std::vector<ArpRow> arp_table() const;
    // One entry, if the cache of that interface has it.
    std::optional<NeighbourRow> neighbour(size_t interface, Ipv4Address address) const;
    // The reachable time (linux) or lifetime (textbook) the interface's cache applies at `now`.
    std::optional<Duration> neighbour_reachable_time(size_t interface, Instant now) const;

    // --- Timers ------------------------------------------------------------------------
    // The next time something happens by itself: a TCP timer, or a neighbour cache timer that
    // sends or gives up. Aging a neighbour entry does not count (a run with nothing else to do
    // ends; the entry ages at the next poll, or before the cache is next used).
    std::optional<Instant> poll_at() const;
    // The next time a neighbour entry ages (REACHABLE -> STALE, a textbook entry's end), which
    // poll_at() leaves out: poll() at that time applies it. For views of the cache at a given
    // time (`arp -a`, `ip neigh`) and harnesses that step every timer.
    std::optional<Instant> aging_at() const {
        if (cache_timers_.empty()) return std::nullopt;
        return cache_timers_.begin()->first;
    }
    void poll(Instant now, StackOutput& out);

    // --- Introspection -----------------------------------------------------------------
    const std::string& name() const { return name_; }
    const std::vector<InterfaceConfig>& interfaces() const { return interfaces_; }
    const Profile& profile() const { return profile_; }
    bool forwarding() const { return forwarding_; }
    // The routing decision (on-link, via gateway, or none).
    std::optional<Route> route(Ipv4Address dst) const;
    bool is_local_address(Ipv4Address a) const;
    std::vector<SocketInfo> sockets() const;          // netstat: every socket that still exists
    void append_socket_ids(std::vector<SocketId>& out) const;  // the ids of sockets(), in order
    std::optional<SocketInfo> socket_info(SocketId s) const;
    // The descriptor is open: the socket exists, a program holds it, and none closed it (a
    // connection not yet accepted is no one's descriptor).
    bool descriptor_open(SocketId s) const;
    // TCP state of what the id names (CLOSED once the connection is gone).
    std::optional<TcpState> state_of(SocketId s) const;
    // The error that ended this socket's connection, if any (ECONNRESET...).
    std::optional<Err> socket_error(SocketId s) const;

private:
    // One socket: what the program's descriptor names. TCP sockets own at most one connection.
    struct Socket {
        SocketId id = 0;
        SocketType type = SocketType::Tcp;
        Endpoint local;                      // address any() = every interface; port 0 = unbound
        bool bound = false;
        bool reuseaddr = false;              // SO_REUSEADDR (children inherit the listener's)
        bool linger_zero = false;            // SO_LINGER {1, 0}
        std::optional<uint32_t> rcvbuf, sndbuf;  // SO_RCVBUF, SO_SNDBUF as set (children inherit)
        bool user_closed = false;
        // TCP
        bool listening = false;
        int backlog = 0;
        std::deque<SocketId> accept_queue;   // listener: established children, oldest first
        SocketId listener = 0;               // child not yet accepted: its listener (else 0)
        bool queued = false;                 // child: already in the listener's accept queue
        bool connect_reported = false;       // connect() already returned Ok once
        std::optional<TcpConnection> conn;
        std::optional<Instant> timer_at;     // its entry in timers_ (conn->poll_at() at the last settle)
        // UDP
        std::optional<Endpoint> peer;        // connect(): the default and only accepted peer
        std::deque<Datagram> received;
        size_t received_bytes = 0;
        std::optional<Err> pending_error;    // from ICMP; reported once by the next call (Linux)
        std::optional<uint8_t> ttl;          // IP_TTL (else the profile's)
        bool recverr = false;                // IP_RECVERR
        std::deque<IcmpReport> errors;       // its error queue (MSG_ERRQUEUE)
    };
    // What state_of()/socket_error() still answer once a socket is gone.
    struct Reaped {
        SocketType type = SocketType::Tcp;
        std::optional<Err> error;
    };

    // host.cpp: IP layer.
    void receive_packet(size_t interface, const Ipv4Packet& packet, Instant now, StackOutput& out);
    void forward(const Ipv4Packet& packet, Instant now, StackOutput& out);
    void send_packet(Ipv4Packet packet, StackOutput& out);
    Ipv4Packet make_packet(Ipv4Address src, Ipv4Address dst);
    Ipv4Address source_for(const Route& r, Ipv4Address dst) const;
    bool accepts_destination(Ipv4Address dst) const;
    void finish(Instant now, StackOutput& out);  // local delivery, accept queues, reaping, link layer
    void deliver_local(Instant now, StackOutput& out);  // packets to ourselves
    void settle(StackOutput& out);
    void note(StackOutput& out, std::string text, SocketId s = 0) const;
    Socket* find(SocketId s);
    const Socket* find(SocketId s) const;
    Socket* find_open(SocketId s);  // not closed by the program

    // host_ports.cpp: port allocation and sequence numbers.
    bool conflicts(const Socket& s, Endpoint local) const;
    std::optional<uint16_t> ephemeral_port(SocketType type);
    CallResult<> bind_to(Socket& s, Endpoint local);
    CallResult<> autobind(Socket& s);
    SeqNum initial_sequence(const FourTuple& t, Instant now) const;
    size_t open_socket_count() const;

    // host_tcp.cpp: TCP sockets and demultiplexing (RFC 9293 §3.10.7).
    CallResult<> tcp_connect(Socket& s, Endpoint remote, Instant now, StackOutput& out);
    CallResult<> tcp_connect_progress(Socket& s);
    void tcp_close(Socket& s, Instant now, StackOutput& out);
    void receive_tcp(const Ipv4Packet& packet, const TcpSegment& seg, Instant now, StackOutput& out);
    void tcp_to_listener(Socket& listener, const FourTuple& t, const TcpSegment& seg, Instant now,
                         StackOutput& out);
    Socket* find_connection(const FourTuple& t);
    Socket* find_listener(Endpoint local);
    size_t pending_children(SocketId listener) const;
    void emit_tcp(SocketId s, const FourTuple& t, TcpOutput& tcp, StackOutput& out);

    // host_udp.cpp: UDP (RFC 768).
    CallResult<size_t> udp_send(Socket& s, std::span<const uint8_t> data, Endpoint to, StackOutput& out);
    void receive_udp(const Ipv4Packet& packet, const UdpDatagram& udp, StackOutput& out);
    Socket* find_udp(Endpoint local, Endpoint from);

    // host_arp.cpp: the link layer: frames, ARP, the neighbour caches.
    void link_output(Instant now, StackOutput& out);  // out.transmit -> caches -> out.frames
    void apply(size_t interface, NeighbourOutput& n, StackOutput& out);
    void receive_arp(size_t interface, const EthernetFrame& frame, const ArpPacket& arp, Instant now, StackOutput& out);
    void poll_neighbours(Instant now, StackOutput& out);
    void confirm_neighbour(Ipv4Address remote, Instant now);  // the next hop towards `remote` is alive
    void track_neighbour_timer(size_t interface);
    std::vector<MacAddress> macs_;                 // one per interface
    std::vector<NeighbourCache> caches_;           // one per interface, link layer on only
    std::vector<std::optional<Instant>> cache_timer_at_;  // each cache's entry in cache_timers_
    std::set<std::pair<Instant, size_t>> cache_timers_;   // (deadline, interface)
    // The same for the timers that send or give up (NeighbourCache::active_poll_at): poll_at()
    // answers these; the others run at the host's next poll, or before the cache is used.
    std::vector<std::optional<Instant>> active_timer_at_;
    std::set<std::pair<Instant, size_t>> active_cache_timers_;

    // host_icmp.cpp: ICMP (RFC 792, RFC 1122 §3.2.2).
    void receive_icmp(const Ipv4Packet& packet, const IcmpMessage& icmp, StackOutput& out);
    void send_icmp_error(const Ipv4Packet& offending, uint8_t type, uint8_t code, StackOutput& out);
    bool deliver_to_ping(const Ipv4Packet& packet, const IcmpMessage& icmp, StackOutput& out);

    struct PingSocket {
        uint16_t identifier = 0;
        std::deque<PingAnswer> answers;
    };
    std::map<PingSocketId, PingSocket> pings_;
    PingSocketId next_ping_ = 1;

    std::string name_;
    std::vector<InterfaceConfig> interfaces_;
    Profile profile_;
    bool forwarding_ = false;
    uint64_t secret_ = 0;                 // from seed and host name: ISNs, first ephemeral port
    uint16_t next_ephemeral_ = 0;         // where the next ephemeral search starts
    uint16_t next_ip_id_ = 1;             // IPv4 identification, one counter per host
    SocketId next_socket_ = 1;
    std::map<SocketId, Socket> sockets_;  // std::map: references stay valid on insertion
    std::map<SocketId, Reaped> reaped_;
    // The sockets settle() must look at: every socket whose connection did something since the
    // last settle (emit_tcp), and every socket the program closed. The others cannot have become
    // ready to queue or to reap, nor moved a timer (a busy server has dozens of connections:
    // looking at all of them after each operation was a tenth of a 1,000-client run).
    std::vector<SocketId> unsettled_;
    // Each connection's next timer, by (time, socket), kept by settle(): poll_at() is the first.
    std::set<std::pair<Instant, SocketId>> timers_;
    void track_timer(Socket& s);
    std::deque<Ipv4Packet> local_delivery_;  // packets to ourselves, delivered by finish()

    // A lookup index over interfaces_ for hosts with many interfaces (a router with one link
    // per client): the routing decision in O(prefix lengths) instead of O(interfaces). Built
    // once in the constructor; the answers are exactly those of the linear scans (host.cpp).
    struct InterfaceIndex {
        std::unordered_map<uint32_t, size_t> address;        // address -> first interface
        std::unordered_set<uint32_t> broadcast;               // directed broadcasts (length < 31)
        std::vector<uint8_t> lengths;                         // distinct prefix lengths
        std::unordered_map<uint64_t, size_t> network;         // (length << 32 | network) -> first interface
        std::optional<size_t> first_gateway;
    };
    std::optional<InterfaceIndex> index_;  // only with more than kIndexedInterfaces interfaces
};

}  // namespace netstep
