// fuzz_host: bytes -> a script of socket calls, crafted segments and packet-level mischief
// (drop, duplicate, reorder, raw bytes) played on two HostStacks joined by one network, at
// increasing times. After every action the invariants below are checked; a violation aborts.
//
//   1. TCP states change only along RFC 9293 transitions (Figure 5, plus the error exits to
//      CLOSED and SYN-RECEIVED -> LISTEN), each StateChanged's `from` is the state the socket
//      was in, and the state netstat shows is the last one the events announced.
//   2. SND.UNA <= SND.NXT; SND.UNA never moves back; SND.NXT - ISS <= 1 + bytes the program
//      wrote + 1 (no byte is acknowledged, nor even sent, that the program never wrote).
//   3. The bytes recv() returns are the byte stream in order, each once: every program writes
//      the pattern g(0), g(1), ... and a crafted segment carries g(offset) for the offset its
//      sequence number has at the receiver, so the k-th byte read must be g(k). No data after EOF.
//   4. After poll(now), no timer is still due at `now` (a stuck timer would hang the simulator).
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "model/host.hpp"
#include "model/wire/wire.hpp"

using namespace netstep;

namespace {

[[noreturn]] void violated(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_host: invariant violated: %s: %s\n", what, detail.c_str());
    std::abort();
}
#define FUZZ_CHECK(cond, detail)              \
    do {                                      \
        if (!(cond)) violated(#cond, detail); \
    } while (0)

// FUZZ_HOST_TRACE=1: print every action and packet (to understand a crash input).
const bool kTrace = std::getenv("FUZZ_HOST_TRACE") != nullptr;
#define TRACE(...)                                      \
    do {                                                \
        if (kTrace) std::fprintf(stderr, __VA_ARGS__); \
    } while (0)

// The byte at stream offset k (a long period, so a duplicate or a skip shows).
uint8_t g(uint32_t k) { return uint8_t((k * 2654435761u) >> 13) ^ uint8_t(k); }

bool transition_allowed(TcpState from, TcpState to) {
    using S = TcpState;
    if (to == S::Closed) return from != S::Closed;  // RST, ABORT, timeout, 2MSL, LAST-ACK acked
    switch (from) {
    case S::Closed: return to == S::SynSent || to == S::Listen;
    case S::Listen: return to == S::SynReceived || to == S::SynSent;
    case S::SynSent: return to == S::SynReceived || to == S::Established;
    case S::SynReceived:
        return to == S::Established || to == S::FinWait1 || to == S::Listen || to == S::CloseWait;
    case S::Established: return to == S::FinWait1 || to == S::CloseWait;
    case S::FinWait1: return to == S::FinWait2 || to == S::Closing || to == S::TimeWait;
    case S::FinWait2: return to == S::TimeWait;
    case S::CloseWait: return to == S::LastAck;
    case S::Closing: return to == S::TimeWait;
    case S::LastAck: return false;
    case S::TimeWait: return false;
    }
    return false;
}

struct Track {
    std::optional<TcpState> state;  // as the events announced it
    uint64_t written = 0;           // bytes send() took
    uint32_t read = 0;              // bytes recv() returned
    bool eof = false;
    std::optional<SeqNum> iss, irs, una;
};

constexpr size_t kHosts = 2;
const Ipv4Address kAddr[3] = {Ipv4Address::from_octets(10, 0, 0, 1), Ipv4Address::from_octets(10, 0, 0, 2),
                              Ipv4Address::from_octets(10, 0, 0, 3)};  // .3: nobody
constexpr uint16_t kPorts[] = {80, 1234, 49152, 50000, 0};

struct World {
    std::deque<HostStack> hosts;
    std::map<std::pair<size_t, SocketId>, Track> track;
    Instant now = Instant::zero();
    struct InFlight {
        Instant at;
        size_t host;
        Ipv4Packet packet;
    };
    std::vector<InFlight> flight;  // sending order
    Duration latency = Duration::millis(1);

    Track& t(size_t h, SocketId s) { return track[{h, s}]; }

    void absorb(size_t h, StackOutput& out) {
        for (const auto& e : out.events) {
            if (kTrace) {
                std::string what = std::visit([](const auto& b) -> std::string {
                    using B = std::decay_t<decltype(b)>;
                    if constexpr (std::is_same_v<B, StateChanged>) return std::string(to_string(b.from)) + " -> " + std::string(to_string(b.to)) + " (" + b.cause + ")";
                    else if constexpr (std::is_same_v<B, Note>) return "note: " + b.text;
                    else if constexpr (std::is_same_v<B, Rejected>) return "rejected: " + b.reason;
                    else if constexpr (std::is_same_v<B, ConnectionError>) return "error: " + b.reason;
                    else if constexpr (std::is_same_v<B, Retransmission>) return "retransmission " + b.seq.to_string();
                    else return "timer";
                }, e.what);
                TRACE("    [%s] host %zu socket %u: %s\n", to_string(now).c_str(), h, e.socket, what.c_str());
            }
            const auto* sc = std::get_if<StateChanged>(&e.what);
            if (!sc) continue;
            std::string where = "host " + std::to_string(h) + " socket " + std::to_string(e.socket) + ": " +
                                std::string(to_string(sc->from)) + " -> " + std::string(to_string(sc->to)) +
                                " (" + sc->cause + ")";
            FUZZ_CHECK(transition_allowed(sc->from, sc->to), where);
            if (e.socket == 0) continue;
            Track& tr = t(h, e.socket);
            if (tr.state) {
                FUZZ_CHECK(*tr.state == sc->from, where + ", but it was " + std::string(to_string(*tr.state)));
            } else {
                FUZZ_CHECK(sc->from == TcpState::Closed || sc->from == TcpState::Listen, where);
            }
            tr.state = sc->to;
        }
        for (auto& tx : out.transmit) {
            TRACE("    [%s] host %zu sends %s\n", to_string(now).c_str(), h, tx.packet.to_string().c_str());
            for (size_t d = 0; d < kHosts; ++d)
                if (kAddr[d] == tx.next_hop) flight.push_back({now + latency, d, std::move(tx.packet)});
        }
        out.clear();
        check(h);
    }

    void check(size_t h) {
        for (const SocketInfo& info : hosts[h].sockets()) {
            if (info.type != SocketType::Tcp) continue;
            Track& tr = t(h, info.id);
            std::string who = "host " + std::to_string(h) + " socket " + std::to_string(info.id);
            if (tr.state && info.state) {
                FUZZ_CHECK(*tr.state == *info.state, who + ": netstat says " + std::string(to_string(*info.state)) +
                                                         ", events said " + std::string(to_string(*tr.state)));
            }
            if (!info.vars) continue;
            const TcpVars& v = *info.vars;
            TRACE("      %s %s: una %u nxt %u iss %u irs %u rcv_nxt %u snd_wnd %u retransmits %u queued %zu\n",
                  who.c_str(), std::string(to_string(info.state.value_or(TcpState::Closed))).c_str(), v.snd_una.value,
                  v.snd_nxt.value, v.iss.value, v.irs.value, v.rcv_nxt.value, v.snd_wnd, v.retransmits, v.send_queued);
            if (tr.iss != v.iss) {  // a new connection on this socket (or the first sight of one)
                tr.iss = v.iss;
                tr.una.reset();
            }
            tr.irs = v.irs;
            FUZZ_CHECK(v.snd_una <= v.snd_nxt, who + ": SND.UNA " + v.snd_una.to_string() + " > SND.NXT " +
                                                   v.snd_nxt.to_string());
            if (tr.una) {
                FUZZ_CHECK(*tr.una <= v.snd_una, who + ": SND.UNA went back from " + tr.una->to_string() +
                                                     " to " + v.snd_una.to_string());
            }
            tr.una = v.snd_una;
            int64_t sent = int64_t(uint32_t(v.snd_nxt.value - v.iss.value));
            FUZZ_CHECK(sent <= int64_t(tr.written) + 2,
                       who + ": SND.NXT - ISS = " + std::to_string(sent) + " but the program wrote " +
                           std::to_string(tr.written));
        }
    }

    void poll_host(size_t h) {
        auto at = hosts[h].poll_at();
        if (!at || *at > now) return;
        StackOutput out;
        hosts[h].poll(now, out);
        absorb(h, out);
        auto again = hosts[h].poll_at();
        FUZZ_CHECK(!again || *again > now, "host " + std::to_string(h) + ": a timer still due at " +
                                               to_string(now) + " after poll");
    }

    // Delivers packets and fires timers up to `end`, in time order (bounded).
    void run_until(Instant end) {
        for (int guard = 0; guard < 400; ++guard) {
            std::optional<Instant> next;
            for (const auto& f : flight)
                if (!next || f.at < *next) next = f.at;
            for (const auto& h : hosts)
                if (auto p = h.poll_at(); p && (!next || *p < *next)) next = p;
            if (!next || *next > end) break;
            now = std::max(now, *next);
            std::vector<InFlight> due, later;
            for (auto& f : flight) (f.at <= now ? due : later).push_back(std::move(f));
            flight = std::move(later);
            for (auto& f : due) {
                StackOutput out;
                hosts[f.host].receive(0, f.packet, now, out);
                absorb(f.host, out);
            }
            for (size_t h = 0; h < kHosts; ++h) poll_host(h);
        }
        now = std::max(now, end);
    }

    // recv() and the byte-stream invariant.
    void do_recv(size_t h, SocketId s, size_t max, bool as_recvfrom) {
        StackOutput out;
        CallResult<Bytes> r;
        if (as_recvfrom) {  // on a TCP socket, recvfrom reads the stream like recv (as Linux)
            auto d = hosts[h].recvfrom(s, now, out);
            r = {d.status, std::move(d.value.data), d.err};
            max = hosts[h].profile().recv_buffer;
        } else {
            r = hosts[h].recv(s, max, now, out);
        }
        absorb(h, out);
        if (!r.is_ok()) return;
        Track& tr = t(h, s);
        auto info = hosts[h].socket_info(s);
        if (!info || info->type != SocketType::Tcp) return;
        std::string who = "host " + std::to_string(h) + " socket " + std::to_string(s);
        if (r.value.empty()) {
            if (max > 0) tr.eof = true;
            return;
        }
        FUZZ_CHECK(!tr.eof, who + ": data after EOF");
        FUZZ_CHECK(r.value.size() <= max, who + ": recv returned more than asked");
        if (kTrace) {  // where in the stream the bytes really come from
            for (uint32_t k = 0; k < 200000 && r.value.size() >= 8; ++k) {
                bool match = true;
                for (uint32_t j = 0; j < 8 && match; ++j) match = r.value[j] == g(k + j);
                if (match) TRACE("  recv %zu bytes: they are the stream from offset %u (expected %u)\n", r.value.size(), k, tr.read);
            }
        }
        for (size_t i = 0; i < r.value.size(); ++i) {
            uint32_t k = tr.read + uint32_t(i);
            FUZZ_CHECK(r.value[i] == g(k), who + ": byte " + std::to_string(k) + " of the stream is wrong " +
                                               "(duplicated, reordered or skipped data)");
        }
        tr.read += uint32_t(r.value.size());
    }

    // A segment as an attacker (or a confused peer) would send it: to host h, claiming to come
    // from the other host, relative to a connection of h when there is one.
    void inject(FuzzedDataProvider& in) {
        size_t h = in.ConsumeIntegralInRange<size_t>(0, kHosts - 1);
        auto sockets = hosts[h].sockets();
        std::optional<SocketInfo> target;
        if (!sockets.empty() && in.ConsumeBool())
            target = sockets[in.ConsumeIntegralInRange<size_t>(0, sockets.size() - 1)];
        TcpSegment seg;
        Endpoint from{kAddr[1 - h], kPorts[in.ConsumeIntegralInRange<size_t>(0, 3)]};
        Ipv4Address to = kAddr[h];
        seg.dst_port = kPorts[in.ConsumeIntegralInRange<size_t>(0, 3)];
        if (target && target->remote) {
            from = *target->remote;
            to = target->local.address.is_unspecified() ? kAddr[h] : target->local.address;
            seg.dst_port = target->local.port;
        } else if (target) {
            seg.dst_port = target->local.port;
        }
        seg.src_port = from.port;
        seg.flags = in.ConsumeIntegral<uint8_t>();
        if (in.ConsumeBool()) seg.flags &= uint8_t(tcp_flag::SYN | tcp_flag::ACK | tcp_flag::FIN | tcp_flag::RST | tcp_flag::PSH);
        int32_t dseq = in.ConsumeIntegralInRange<int32_t>(-70000, 70000);
        int32_t dack = in.ConsumeIntegralInRange<int32_t>(-70000, 70000);
        if (target && target->vars && in.ConsumeBool()) {
            seg.seq = target->vars->rcv_nxt + uint32_t(dseq);
            seg.ack = target->vars->snd_una + uint32_t(dack);
        } else {
            seg.seq = SeqNum{in.ConsumeIntegral<uint32_t>()};
            seg.ack = SeqNum{in.ConsumeIntegral<uint32_t>()};
        }
        seg.window = in.ConsumeIntegral<uint16_t>();
        if (in.ConsumeBool()) seg.mss = in.ConsumeIntegral<uint16_t>();
        if (in.ConsumeBool()) seg.window_scale = in.ConsumeIntegral<uint8_t>();
        seg.sack_permitted = in.ConsumeBool();
        size_t len = in.ConsumeIntegralInRange<size_t>(0, 3000);
        // The payload the byte stream has at this sequence number, as the receiver numbers it.
        uint32_t base = 0;
        if (!seg.has(tcp_flag::SYN) && target && target->vars) base = uint32_t(seg.seq.value - target->vars->irs.value - 1);
        seg.payload.resize(len);
        for (size_t i = 0; i < len; ++i) seg.payload[i] = g(base + uint32_t(i));
        TRACE("  inject to host %zu: %s\n", h, seg.to_string().c_str());
        Ipv4Packet p;
        p.src = from.address;
        p.dst = to;
        p.body = std::move(seg);
        if (in.ConsumeBool()) {  // through the bytes
            Bytes raw = wire::emit(p);
            StackOutput out;
            hosts[h].receive_bytes(0, raw, now, out);
            absorb(h, out);
        } else {
            StackOutput out;
            hosts[h].receive(0, p, now, out);
            absorb(h, out);
        }
    }
};

Endpoint pick_endpoint(FuzzedDataProvider& in, bool allow_any) {
    uint8_t a = in.ConsumeIntegralInRange<uint8_t>(0, allow_any ? 4 : 3);
    Ipv4Address addr = a < 3 ? kAddr[a] : a == 3 ? Ipv4Address::from_octets(127, 0, 0, 1) : Ipv4Address::any();
    return Endpoint{addr, kPorts[in.ConsumeIntegralInRange<size_t>(0, 4)]};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider in(data, size);
    World w;
    uint8_t setup = in.ConsumeIntegral<uint8_t>();
    for (size_t h = 0; h < kHosts; ++h) {
        Profile p = (setup & (1u << h)) ? Profile::linux() : Profile::textbook();
        if (setup & 0x04) p.isn_zero = true;
        if (setup & 0x08) p.recv_buffer = 2000;  // zero windows come quickly
        if (setup & 0x10) p.mss = 536;
        if (setup & 0x20) p.send_buffer = 3000;
        InterfaceConfig iface{"Ethernet adapter lan", "lan", Ipv4Prefix{kAddr[h], 24}, std::nullopt};
        w.hosts.emplace_back(h == 0 ? "a" : "b", std::vector<InterfaceConfig>{iface}, p, 7 + h, false);
    }
    if (setup & 0x40) w.latency = Duration::micros(10);

    for (int action = 0; action < 256 && in.remaining_bytes() > 0; ++action) {
        size_t h = in.ConsumeIntegralInRange<size_t>(0, kHosts - 1);
        SocketId s = in.ConsumeIntegralInRange<SocketId>(1, 12);
        StackOutput out;
        int op = in.ConsumeIntegralInRange<int>(0, 15);
        TRACE("[%s] action %d: op %d host %zu socket %u\n", to_string(w.now).c_str(), action, op, h, s);
        switch (op) {
        case 0:
        case 1: {  // time passes
            int64_t us = in.ConsumeIntegralInRange<int64_t>(0, 3'000'000);
            if (in.ConsumeBool()) us *= 100;  // up to 5 minutes: timeouts, TIME-WAIT
            w.run_until(w.now + Duration::micros(us));
            break;
        }
        case 2: (void)w.hosts[h].socket(in.ConsumeBool() ? SocketType::Tcp : SocketType::Udp, w.now, out); break;
        case 3: (void)w.hosts[h].bind(s, pick_endpoint(in, true), w.now, out); break;
        case 4: (void)w.hosts[h].listen(s, in.ConsumeIntegralInRange<int>(-1, 4), w.now, out); break;
        case 5: (void)w.hosts[h].accept(s, w.now, out); break;
        case 6: (void)w.hosts[h].connect(s, pick_endpoint(in, false), w.now, out); break;
        case 7: {  // send the next bytes of this socket's pattern
            Track& tr = w.t(h, s);
            size_t n = in.ConsumeIntegralInRange<size_t>(0, 5000);
            Bytes bytes(n);
            for (size_t i = 0; i < n; ++i) bytes[i] = g(uint32_t(tr.written + i));
            auto r = w.hosts[h].send(s, bytes, w.now, out);
            TRACE("  send %zu -> status %d value %zu\n", n, int(r.status), r.value);
            if (r.is_ok()) {
                FUZZ_CHECK(r.value <= n, "send took more than given");
                tr.written += r.value;
            }
            break;
        }
        case 8: w.do_recv(h, s, in.ConsumeIntegralInRange<size_t>(0, 6000), false); break;
        case 9: {
            auto how = in.ConsumeIntegralInRange<int>(0, 2);
            (void)w.hosts[h].shutdown(s, how == 0 ? ShutdownHow::Read : how == 1 ? ShutdownHow::Write : ShutdownHow::Both,
                                      w.now, out);
            break;
        }
        case 10: (void)w.hosts[h].close(s, w.now, out); break;
        case 11:
            if (in.ConsumeBool()) (void)w.hosts[h].set_linger_zero(s, in.ConsumeBool());
            else (void)w.hosts[h].set_reuseaddr(s, in.ConsumeBool());
            break;
        case 12: w.inject(in); break;
        case 13: {  // the network misbehaves: drop, duplicate or delay a packet in flight
            if (w.flight.empty()) break;
            size_t i = in.ConsumeIntegralInRange<size_t>(0, w.flight.size() - 1);
            switch (in.ConsumeIntegralInRange<int>(0, 2)) {
            case 0: w.flight.erase(w.flight.begin() + std::ptrdiff_t(i)); break;
            case 1: w.flight.push_back(w.flight[i]); break;
            case 2: w.flight[i].at = w.flight[i].at + Duration::micros(in.ConsumeIntegralInRange<int64_t>(0, 500'000)); break;
            }
            break;
        }
        case 14: {  // raw bytes on the wire
            Bytes raw = in.ConsumeBytes<uint8_t>(in.ConsumeIntegralInRange<size_t>(0, 80));
            w.hosts[h].receive_bytes(0, raw, w.now, out);
            break;
        }
        case 15: {  // UDP
            if (in.ConsumeBool()) {
                // The pattern too: sendto on a connected TCP socket sends like send() (as Linux).
                Track& tr = w.t(h, s);
                Bytes d(in.ConsumeIntegralInRange<size_t>(0, 100));
                for (size_t i = 0; i < d.size(); ++i) d[i] = g(uint32_t(tr.written + i));
                auto r = w.hosts[h].sendto(s, d, pick_endpoint(in, false), w.now, out);
                auto info = w.hosts[h].socket_info(s);
                if (r.is_ok() && info && info->type == SocketType::Tcp) tr.written += r.value;
            } else {
                w.do_recv(h, s, 0, true);
            }
            break;
        }
        }
        w.absorb(h, out);
    }
    w.run_until(w.now + Duration::seconds(1));
    return 0;
}
