// Instant queries on a trace at any step: socket tables, packets in flight, the caption in force,
// jumps to the next interesting step, and the names students see (host names for addresses).
// Built once from a const Trace (O(n log n)); every query is a binary search or close to it, so
// the visualizer can seek anywhere in a trace of a million events within a frame.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/address.hpp"
#include "model/host.hpp"
#include "sim/trace.hpp"

namespace netstep::sim {

// The groups of steps the player jumps between.
enum class StepKind {
    Packet,       // PacketSent, PacketDelivered, PacketDropped
    StateChange,  // StateChange
    Error,        // see TraceIndex::is_error
    Caption,      // Caption
};

class TraceIndex {
public:
    // Keeps a reference to `trace`, which must outlive the index and not change.
    explicit TraceIndex(const Trace& trace);

    const Trace& trace() const { return trace_; }
    uint32_t step_count() const { return uint32_t(trace_.events.size()); }

    // --- Sockets ---------------------------------------------------------------------------
    // The sockets that exist on `host` at `step` (after that step's event), ordered by id.
    std::vector<SocketInfo> sockets_at(uint32_t host, uint32_t step) const;
    // One socket's row at `step`; nullopt before it exists or once it is gone.
    std::optional<SocketInfo> socket_at(uint32_t host, SocketId id, uint32_t step) const;
    // The socket histories of `host` (indices into trace.sockets), by socket id.
    std::span<const uint32_t> histories_of(uint32_t host) const;
    // The history of one socket, or nullptr.
    const SocketHistory* history_of(uint32_t host, SocketId id) const;
    // The steps of the StateChange events of one socket, ascending.
    std::span<const uint32_t> state_changes_of(uint32_t host, SocketId id) const;

    // --- Packets ---------------------------------------------------------------------------
    // Indices of the packets on the wire at `step`: sent_step <= step < end_step, ascending.
    // O(log n + k log(n/k)) for k packets in flight.
    std::vector<uint32_t> packets_in_flight(uint32_t step) const;

    // --- Captions --------------------------------------------------------------------------
    // The step of the latest Caption at or before `step`: of any program (kNone), or of one.
    std::optional<uint32_t> caption_at(uint32_t step, uint32_t program = kNone) const;

    // --- Jumps -----------------------------------------------------------------------------
    // The first step after `from` / the last step before `from` of the given kind.
    std::optional<uint32_t> next_step(uint32_t from, StepKind kind) const;
    std::optional<uint32_t> prev_step(uint32_t from, StepKind kind) const;
    std::optional<uint32_t> next_step(uint32_t from, EventKind kind) const;
    std::optional<uint32_t> prev_step(uint32_t from, EventKind kind) const;
    // Any predicate: a linear scan from `from` (exclusive).
    using EventPredicate = std::function<bool(const TraceEvent&)>;
    std::optional<uint32_t> next_step(uint32_t from, const EventPredicate& pred) const;
    std::optional<uint32_t> prev_step(uint32_t from, const EventPredicate& pred) const;
    // The first step at or after time `t` (step_count() when none).
    uint32_t step_at_time(Instant t) const;
    // Something went wrong: a drop, a rejected segment, a connection error, a call that returned
    // an error, a failed expectation, a blocked program.
    static bool is_error(const TraceEvent& event);

    // --- Names -----------------------------------------------------------------------------
    // The host owning an address (on any of its interfaces).
    std::optional<uint32_t> host_of(Ipv4Address address) const;
    // "web" for a host's address, else the dotted quad.
    std::string address_name(Ipv4Address address) const;
    // "laptop:49152" for 192.168.1.10:49152; "192.168.1.99:80" when nobody owns the address.
    std::string endpoint_name(Endpoint endpoint) const;
    // A socket's local end as seen on `host`: "web:80" also when bound to 0.0.0.0.
    std::string local_name(uint32_t host, Endpoint local) const;
    // "laptop" (or "host 7" when out of range, "-" for kNone).
    std::string host_name(uint32_t host) const;
    std::string program_name(uint32_t program) const;
    // tcpdump-like with names: "laptop:49152 > web:80 TCP [SYN] seq=0 win=64240 len=0 mss=1460".
    // `win=` is the window as the receiver reads it: scaled when both SYNs carried a window
    // scale (RFC 7323 §2.3; the linux profile: win=64512 for the raw field 63). In a trace with a
    // router, every packet ends with its TTL (" ttl=63"), to watch each hop decrement it.
    std::string describe_packet(uint32_t packet) const;
    std::string describe_packet(const Ipv4Packet& packet, uint8_t window_shift = 0) const;
    // An ARP frame of the trace: "laptop > broadcast ARP who-has 192.168.1.30 (printer) tell
    // 192.168.1.10 (laptop)", "printer > laptop ARP 192.168.1.30 (printer) is-at 02:5c:...".
    std::string describe_arp(const TracePacket& packet, const ArpPacket& arp) const;
    // The window a TCP segment offers, in bytes: its raw field shifted by the scale its sender
    // announced in its SYN, once both ends agreed (RFC 7323 §2.2); nullopt for other packets.
    std::optional<uint32_t> effective_window(uint32_t packet) const;
    // The shift applied to packet's window (0: none).
    uint8_t window_shift(uint32_t packet) const;

private:
    void index_sockets();
    void index_events();
    void index_packets();
    void index_addresses();
    void index_window_scales();
    struct FlightQuery {
        size_t prefix;  // positions of by_sent_ sent at or before the step
        uint32_t step;
    };
    void collect_in_flight(size_t node, size_t lo, size_t hi, FlightQuery q,
                           std::vector<uint32_t>& out) const;
    static std::optional<uint32_t> after(const std::vector<uint32_t>& steps, uint32_t from);
    static std::optional<uint32_t> before(const std::vector<uint32_t>& steps, uint32_t from);
    static std::optional<uint32_t> at_or_before(const std::vector<uint32_t>& steps, uint32_t at);

    const Trace& trace_;
    // Sockets: per host, the indices of its histories in trace.sockets, ordered by socket id.
    std::vector<std::vector<uint32_t>> host_sockets_;
    std::map<std::pair<uint32_t, SocketId>, std::vector<uint32_t>> state_changes_;
    // Steps by event kind and by jump group, ascending.
    std::array<std::vector<uint32_t>, kEventKindCount> steps_by_kind_;
    std::array<std::vector<uint32_t>, 4> steps_by_group_;
    std::vector<std::vector<uint32_t>> captions_by_program_;
    // Packets in flight: packet indices sorted by sent_step, and a segment tree holding, for
    // each range of that order, the largest end_step (a search prunes ranges that all ended).
    std::vector<uint32_t> by_sent_;
    std::vector<uint32_t> max_end_;
    // Names.
    std::unordered_map<uint32_t, uint32_t> address_owner_;
    // By packet: the window scale shift in force for it (empty: no packet has one).
    std::vector<uint8_t> window_shift_;
    bool has_router_ = false;
};

}  // namespace netstep::sim
