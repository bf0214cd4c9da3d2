// Helpers for the engine tests: run a scenario written inline, pick events out of the trace.
// SimGrid allows one engine per process: each TEST_CASE runs run_scenario at most once (CTest
// runs every test case in its own process); tests that need two runs fork.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "model/wire/wire.hpp"
#include "sim/engine.hpp"
#include "sim/scenario.hpp"
#include "sim/trace.hpp"

namespace netstep::sim::test {

inline Trace run_yaml(const std::string& yaml, const RunOptions& options = {}) {
    return run_scenario(load_scenario_text(yaml, "test.yaml"), options);
}

inline uint32_t host_named(const Trace& t, const std::string& name) {
    for (uint32_t i = 0; i < t.hosts.size(); ++i) {
        if (t.hosts[i].name == name) return i;
    }
    return kNone;
}

inline uint32_t program_named(const Trace& t, const std::string& name) {
    for (uint32_t i = 0; i < t.programs.size(); ++i) {
        if (t.programs[i].name == name) return i;
    }
    return kNone;
}

inline std::vector<TraceEvent> events_of(const Trace& t, EventKind kind) {
    std::vector<TraceEvent> out;
    for (const TraceEvent& e : t.events) {
        if (e.kind == kind) out.push_back(e);
    }
    return out;
}

// The packet of each PacketSent event that carries IPv4, in trace order (ARP frames are left
// out: arp_frames has them).
inline std::vector<const TracePacket*> sent_packets(const Trace& t) {
    std::vector<const TracePacket*> out;
    for (const TraceEvent& e : t.events) {
        if (e.kind == EventKind::PacketSent && !t.arp(t.packets[e.packet])) out.push_back(&t.packets[e.packet]);
    }
    return out;
}

// The ARP packets of each PacketSent event, in trace order.
inline std::vector<std::pair<const TracePacket*, ArpPacket>> arp_frames(const Trace& t) {
    std::vector<std::pair<const TracePacket*, ArpPacket>> out;
    for (const TraceEvent& e : t.events) {
        if (e.kind != EventKind::PacketSent) continue;
        if (auto arp = t.arp(t.packets[e.packet])) out.emplace_back(&t.packets[e.packet], *arp);
    }
    return out;
}

// The IPv4 packet in a trace's packet: the bytes, or an Ethernet frame's payload (told apart by
// the frame's EtherType 0x0800 where an IPv4 header has its source address, never 8.0.x.x here).
inline Ipv4Packet parsed(const TracePacket& p) {
    bool framed = p.bytes.size() >= 34 && p.bytes[12] == 0x08 && p.bytes[13] == 0x00;
    auto r = framed ? wire::parse(std::span<const uint8_t>(p.bytes).subspan(14)) : wire::parse(p.bytes);
    return r.packet.value_or(Ipv4Packet{});
}

// The time a packet takes on a network of `bps` after it starts: as the engine reckons it, with
// an Ethernet frame's preamble and FCS (12 bytes) on the wire, when the trace has frames.
inline Duration wire_time(const Trace& t, const TracePacket& p, uint64_t bps) {
    uint64_t bits = uint64_t(p.bytes.size() + (t.ethernet ? 12 : 0)) * 8;
    return Duration::nanos(int64_t((bits * 1'000'000'000ull + bps - 1) / bps));
}

inline uint8_t tcp_flags(const TracePacket& p) {
    Ipv4Packet v = parsed(p);
    return v.tcp() ? v.tcp()->flags : 0;
}

// "LISTEN>SYN-RECEIVED>ESTABLISHED" for every state change on `host`, in order.
inline std::string state_path(const Trace& t, uint32_t host) {
    std::string out;
    for (const TraceEvent& e : t.events) {
        if (e.kind != EventKind::StateChange || e.host != host) continue;
        if (out.empty()) out = std::string(to_string(e.from));
        out += ">" + std::string(to_string(e.to));
    }
    return out;
}

// The text of every Call event of a program: "connect(s, web:80) = 0".
inline std::vector<std::string> calls_of(const Trace& t, uint32_t program) {
    std::vector<std::string> out;
    for (const TraceEvent& e : t.events) {
        if (e.kind != EventKind::Call || e.program != program) continue;
        out.push_back(e.text2 == kNone ? t.str(e.text) : t.str(e.text) + " " + t.str(e.text2));  // "exit()"
    }
    return out;
}

inline std::string program_end(const Trace& t, uint32_t program) {
    for (const TraceEvent& e : t.events) {
        if (e.kind == EventKind::ProgramEnd && e.program == program) return t.str(e.text);
    }
    return "(no end)";
}

// Everything in a trace as text, field by field: equal digests, equal traces.
inline std::string digest(const Trace& t) {
    std::string out;
    for (const TraceEvent& e : t.events) {
        out += fmt::format("{} {} h{} p{} s{} k{} '{}' '{}' {}>{} t{} a{} d{} e{} {}\n", e.time.ns, int(e.kind), e.host,
                           e.program, e.socket, e.packet, t.str(e.text), t.str(e.text2), int(e.from), int(e.to),
                           int(e.timer), int(e.timer_action), e.deadline.ns, e.err ? int(*e.err) : -1,
                           e.tuple ? e.tuple->to_string() : "-");
    }
    for (const TracePacket& p : t.packets) {
        out += fmt::format("packet {}>{} n{} {} {} {} {} '{}' {} [", p.from_host, p.to_host, p.network, p.sent.ns,
                           p.arrives.ns, p.sent_step, p.end_step, p.drop_reason, p.duplicate_of);
        for (uint8_t b : p.bytes) out += fmt::format("{:02x}", b);
        out += "]\n";
    }
    for (const SocketHistory& s : t.sockets) {
        out += fmt::format("socket h{} #{} rows {} gone {}\n", s.host, s.id, s.rows.size(), s.gone_step);
    }
    for (const std::string& f : t.failures) out += "failure " + f + "\n";
    return out;
}

// Runs `work` in a child process (SimGrid allows one engine per process) and returns the text it
// produced; a child that does not end normally adds a line saying so.
inline std::string in_child(const std::function<std::string()>& work) {
    int fds[2];
    if (pipe(fds) != 0) return "pipe failed";
    fflush(stdout);  // the child must not print what the parent has buffered
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        std::string text;
        try {
            text = work();
        } catch (const std::exception& e) {
            text = std::string("  ") + e.what() + "\n";
        }
        size_t done = 0;
        while (done < text.size()) {
            ssize_t n = write(fds[1], text.data() + done, text.size() - done);
            if (n <= 0) break;
            done += size_t(n);
        }
        _exit(0);
    }
    close(fds[1]);
    std::string text;
    char buf[65536];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) text.append(buf, size_t(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) text += "  the run did not end normally\n";
    return text;
}

// Runs `yaml` in a child process (a fresh SimGrid engine) and returns digest(trace).
inline std::string digest_in_child(const std::string& yaml, const RunOptions& options = {}) {
    return in_child([&] { return digest(run_yaml(yaml, options)); });
}

// Two hosts on one LAN; programs and faults appended by each test.
inline std::string lan(const std::string& latency = "2ms", const std::string& bandwidth = "100Mbps",
                       const std::string& loss = "0%") {
    return fmt::format(R"(netstep: 1
title: test
options: {{ isn: zero }}
networks:
  - {{ name: lan, subnet: 192.168.1.0/24, latency: {}, bandwidth: {}, loss: {} }}
hosts:
  - name: laptop
    interfaces:
      - {{ network: lan, ip: 192.168.1.10 }}
  - name: web
    interfaces:
      - {{ network: lan, ip: 192.168.1.20 }}
)",
                       latency, bandwidth, loss);
}

// A web server that accepts one connection, reads a request, answers and closes.
inline const char* kHttpd = R"(
  - host: web
    name: httpd
    steps:
      - socket: { as: listener, type: tcp }
      - bind:   { socket: listener, port: 80 }
      - listen: { socket: listener, backlog: 8 }
      - accept: { socket: listener, as: conn }
      - recv:   { socket: conn }
      - send:   { socket: conn, data: "HTTP/1.0 200 OK\r\n\r\nhello" }
      - close:  { socket: conn }
)";

// A browser on the laptop that connects to web:80 at 10 ms, sends "GET" and closes.
inline const char* kGetAndClose = R"(
  - host: laptop
    name: browser
    steps:
      - sleep:   10ms
      - socket:  { as: s, type: tcp }
      - connect: { socket: s, to: "web:80" }
      - send:    { socket: s, data: "GET" }
      - close:   { socket: s }
)";

}  // namespace netstep::sim::test
