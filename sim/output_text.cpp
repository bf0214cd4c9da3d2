// The text trace: what `netstep run` prints, for handouts and golden tests.
//
// Format (stable: golden files are diffed against it; no pointers, no wall-clock time):
//
//   netstep trace: A browser fetches a page          <- title
//     The browser asks its OS for a TCP socket...    <- description lines, indented (if any)
//   profile textbook, seed 1, link ethernet   <- without ", link ethernet" when `link: none`
//   network lan: 192.168.1.0/24, latency 2ms, bandwidth 100Mbps[, switch]
//   host laptop: 192.168.1.10/24 on lan, gateway 192.168.1.1, mac 02:4e:1a:00:00:01
//   host web: 192.168.1.20/24 on lan, mac ...                <- "host r (router): ..." when forwarding
//   <blank line>
//   TIME HOST MK EVENT                               <- one line per event, in step order
//                                                       (`--steps`: "STEP TIME HOST MK EVENT")
//   ...
//   <blank line>
//   end at 0.030000: all expectations met            <- or "N expectations failed:" + "  - why"
//   1 warning:                                       <- when a fault or caption never applied
//     - t.yaml:31:5: drop { from: laptop, flags: FIN, nth: 1 } never applied: ...
//
// TIME is the simulated time in seconds with 6 decimals (truncated to the microsecond, as tcpdump
// prints), right-aligned; HOST is the host the event happened on ("-" for none), padded to the
// longest host name. MK is a two-character marker, so that a reader can scan the margin:
//   ->  a packet put on the wire by HOST        <-  a packet delivered to HOST
//   XX  a packet dropped (the reason follows)   !!  something went wrong (error, rejection,
//       blank: everything else                      failed expectation, blocked program)
// EVENT, by kind (addresses that belong to a host are printed as its name):
//   packets      laptop:49152 > web:80 TCP [SYN] seq=0 win=64240 len=0 mss=1460
//                ... (dropped: fault: drop nth=1)     ... (duplicate)
//   state        laptop:49152 SYN-SENT -> ESTABLISHED (rcv SYN+ACK)
//   call         browser: connect(s, web:80) = 0     browser: connect(s, web:81) = ECONNREFUSED
//   caption      browser says: The OS picks a free ephemeral port.   (-- text -- without program)
//   output       browser output:                     then each line below, as "    | line"
//   timer        laptop:49152 retransmission timer armed, fires at 1.010000 (fired, cancelled)
//   retransmit   laptop:49152 retransmits: <what>
//   rejected     !! web:80 rejected: <rule>
//   conn error   !! laptop:49152 error ECONNREFUSED: <why>
//   note         note: <text>
//   programs     browser starts / browser ends: exit / !! browser: expectation failed: <what>
//                !! browser blocked: <call>
//   run          run starts / run ends: <text>
#include <algorithm>
#include <ostream>
#include <sstream>
#include <vector>

#include "sim/output.hpp"

namespace netstep::sim {

namespace {

// ---------------------------------------------------------------------------------------------
// Header

std::string bandwidth_text(uint64_t bps) {
    if (bps >= 1'000'000'000 && bps % 1'000'000'000 == 0) return std::to_string(bps / 1'000'000'000) + "Gbps";
    if (bps >= 1'000'000 && bps % 1'000'000 == 0) return std::to_string(bps / 1'000'000) + "Mbps";
    if (bps >= 1'000 && bps % 1'000 == 0) return std::to_string(bps / 1'000) + "kbps";
    return std::to_string(bps) + "bps";
}

std::string percent_text(double fraction) {
    std::ostringstream text;
    text << fraction * 100 << "%";  // shortest form: "10%", "0.5%"
    return text.str();
}

void write_networks(const Trace& trace, std::ostream& out) {
    for (const TraceNetwork& n : trace.networks) {
        out << "network " << n.name << ": " << n.subnet.to_string() << ", latency " << to_string(n.latency)
            << ", bandwidth " << bandwidth_text(n.bandwidth_bps);
        if (n.loss > 0) out << ", loss " << percent_text(n.loss);
        if (n.switched) out << ", switch";
        out << "\n";
    }
}

void write_hosts(const Trace& trace, std::ostream& out) {
    for (const TraceHost& h : trace.hosts) {
        out << "host " << h.name << (h.forwarding ? " (router)" : "") << ":";
        for (size_t i = 0; i < h.interfaces.size(); ++i) {
            const InterfaceConfig& iface = h.interfaces[i];
            out << (i == 0 ? " " : "; ") << iface.address.to_string() << " on " << iface.network;
            if (iface.gateway) out << ", gateway " << iface.gateway->to_string();
            if (trace.ethernet && iface.mac) out << ", mac " << iface.mac->to_string();
        }
        out << "\n";
    }
}

void write_header(const Trace& trace, std::ostream& out) {
    out << "netstep trace: " << trace.title << "\n";
    std::istringstream description(trace.description);
    for (std::string line; std::getline(description, line);) {
        if (!line.empty()) out << "  " << line;
        out << "\n";
    }
    out << "profile " << trace.profile << ", seed " << trace.seed << (trace.ethernet ? ", link ethernet" : "") << "\n";
    write_networks(trace, out);
    write_hosts(trace, out);
}

void write_outcome(const Trace& trace, std::ostream& out) {
    out << "end at " << to_string(trace.end_time) << ": ";
    if (trace.expectations_met && trace.failures.empty()) {
        out << "all expectations met\n";
        return;
    }
    size_t n = trace.failures.size();
    out << n << (n == 1 ? " expectation failed" : " expectations failed") << (n == 0 ? "\n" : ":\n");
    for (const std::string& failure : trace.failures) out << "  - " << failure << "\n";
}

void write_warnings(const Trace& trace, std::ostream& out) {
    if (trace.warnings.empty()) return;
    size_t n = trace.warnings.size();
    out << n << (n == 1 ? " warning:\n" : " warnings:\n");
    for (const std::string& warning : trace.warnings) out << "  - " << warning << "\n";
}

// ---------------------------------------------------------------------------------------------
// Events

// The socket an event is about, by its local end: "laptop:49152"; "" when none.
std::string socket_label(const TraceIndex& index, uint32_t step) {
    const TraceEvent& e = index.trace().events[step];
    if (e.tuple) return index.local_name(e.host, e.tuple->local);
    if (e.socket == 0) return "";
    auto row = index.socket_at(e.host, e.socket, step);
    if (row && row->local.port != 0) return index.local_name(e.host, row->local);
    return "socket " + std::to_string(e.socket);
}

// "laptop:49152 " (with the space) or "".
std::string socket_prefix(const TraceIndex& index, uint32_t step) {
    std::string label = socket_label(index, step);
    if (!label.empty()) label += ' ';
    return label;
}

// What write_text described at a packet's PacketSent line, kept for its PacketDelivered or
// PacketDropped line: each packet is printed twice, its bytes are decoded once. By packet.
using PacketTexts = std::vector<std::string>;

// A packet event's text, appended to `out`.
void append_packet_text(const TraceIndex& index, const TraceEvent& e, std::string& out, PacketTexts* cache) {
    const bool known = e.packet < index.trace().packets.size();
    std::string* cached = cache && known ? &(*cache)[e.packet] : nullptr;
    if (cached && !cached->empty()) {
        out += *cached;
        std::string().swap(*cached);  // printed twice at most: its memory goes back now
    } else if (cached && e.kind == EventKind::PacketSent) {
        *cached = index.describe_packet(e.packet);
        out += *cached;
    } else {
        out += index.describe_packet(e.packet);
    }
    if (!known) return;
    const TracePacket& p = index.trace().packets[e.packet];
    if (p.duplicate_of != kNone) out += " (duplicate)";
    // A unicast a switch had not learned the destination of (a broadcast says "broadcast").
    if (p.flooded && p.to_host != kNone && e.kind == EventKind::PacketSent) out += " (flooded: the switch does not know where its MAC is)";
    if (e.kind == EventKind::PacketDropped) {
        out += " (dropped: ";
        out += p.drop_reason;
        out += ')';
    }
}

std::string packet_text(const TraceIndex& index, const TraceEvent& e, PacketTexts* cache) {
    std::string text;
    append_packet_text(index, e, text, cache);
    return text;
}

std::string call_text(const TraceIndex& index, const TraceEvent& e) {
    const Trace& t = index.trace();
    std::string text = index.program_name(e.program) + ": " + t.str(e.text);
    if (e.text2 != kNone) return text + " " + t.str(e.text2);
    if (e.err) return text + " = " + std::string(to_string(*e.err));
    return text;
}

std::string timer_text(const TraceIndex& index, uint32_t step) {
    const TraceEvent& e = index.trace().events[step];
    std::string text = socket_prefix(index, step);
    text += to_string(e.timer);
    text += " timer ";
    text += to_string(e.timer_action);
    if (e.timer_action == TimerAction::Armed) {
        text += ", fires at ";
        text += to_string(e.deadline);
    }
    return text;
}

std::string conn_error_text(const TraceIndex& index, uint32_t step) {
    const TraceEvent& e = index.trace().events[step];
    std::string text = socket_prefix(index, step) + "error";
    if (e.err) text += " " + std::string(to_string(*e.err));
    const std::string& why = index.trace().str(e.text);
    return why.empty() ? text : text + ": " + why;
}

std::string state_text(const TraceIndex& index, uint32_t step) {
    const TraceEvent& e = index.trace().events[step];
    // With several connections on one port, the peer tells them apart: "web:80 [peer laptop:49152]".
    std::string text = socket_prefix(index, step);
    if (e.tuple && e.tuple->remote.port != 0) {
        text += "[peer ";
        text += index.endpoint_name(e.tuple->remote);
        text += "] ";
    }
    text += to_string(e.from);
    text += " -> ";
    text += to_string(e.to);
    const std::string& cause = index.trace().str(e.text);
    if (!cause.empty()) {
        text += " (";
        text += cause;
        text += ')';
    }
    return text;
}

// "name: text" or "name" when the text is empty.
std::string with_text(std::string head, const std::string& text) {
    return text.empty() ? head : head + ": " + text;
}

// "browser asks: What does web send now? (SYN / SYN+ACK / ACK / RST; answer: SYN+ACK)"
std::string ask_text(const Trace& t, const TraceEvent& e, const std::string& name) {
    std::string out = name + " asks: " + t.str(e.text);
    auto it = std::lower_bound(t.asks.begin(), t.asks.end(), uint32_t(&e - t.events.data()),
                               [](const Trace::Ask& a, uint32_t s) { return a.step < s; });
    if (it == t.asks.end() || &t.events[it->step] != &e) return out;
    out += " (";
    for (size_t i = 0; i < it->choices.size(); ++i) out += (i > 0 ? " / " : "") + t.str(it->choices[i].en);
    if (it->answer < it->choices.size()) out += "; answer: " + t.str(it->choices[it->answer].en);
    if (it->about != kNone) out += "; about " + t.str(it->about);
    return out + ")";
}

std::string program_text(const TraceIndex& index, const TraceEvent& e) {
    const Trace& t = index.trace();
    std::string name = index.program_name(e.program);
    switch (e.kind) {
        case EventKind::Caption:
            return e.program == kNone ? "-- " + t.str(e.text) + " --" : name + " says: " + t.str(e.text);
        case EventKind::Output: return name + " output:";
        case EventKind::ProgramStart: return name + " starts";
        case EventKind::ProgramEnd: return with_text(name + " ends", t.str(e.text));
        case EventKind::ExpectFailed: return with_text(name + ": expectation failed", t.str(e.text));
        // The engine's text is a whole sentence that names the program.
        case EventKind::Blocked: return t.str(e.text).empty() ? name + " is blocked" : t.str(e.text);
        case EventKind::Prompt: return name + " prompt: " + t.str(e.text);
        case EventKind::Input: return name + " input: " + t.str(e.text2) + t.str(e.text);
        case EventKind::Ask: return ask_text(t, e, name);
        default: return name;
    }
}

std::string event_text(const TraceIndex& index, uint32_t step, PacketTexts* cache = nullptr) {
    const TraceEvent& e = index.trace().events[step];
    const std::string& text = index.trace().str(e.text);
    switch (e.kind) {
        case EventKind::RunStart: return "run starts";
        case EventKind::RunEnd: return with_text("run ends", text);
        case EventKind::PacketSent:
        case EventKind::PacketDelivered:
        case EventKind::PacketDropped: return packet_text(index, e, cache);
        case EventKind::StateChange: return state_text(index, step);
        case EventKind::Timer: return timer_text(index, step);
        case EventKind::Retransmit: return socket_prefix(index, step) + "retransmits: " + text;
        case EventKind::Rejected: return socket_prefix(index, step) + "rejected: " + text;
        case EventKind::ConnError: return conn_error_text(index, step);
        case EventKind::Note: return socket_prefix(index, step) + "note: " + text;
        case EventKind::Call: return call_text(index, e);
        default: return program_text(index, e);
    }
}

std::string_view marker(const TraceEvent& e) {
    switch (e.kind) {
        case EventKind::PacketSent: return "->";
        case EventKind::PacketDelivered: return "<-";
        case EventKind::PacketDropped: return "XX";
        default: return TraceIndex::is_error(e) ? "!!" : "  ";
    }
}

// The host an event happened on: its own, else its program's.
uint32_t event_host(const Trace& trace, const TraceEvent& e) {
    if (e.host != kNone) return e.host;
    if (e.program < trace.programs.size()) return trace.programs[e.program].host;
    return kNone;
}

struct Columns {
    size_t step = 0;  // 0: no step column
    size_t time = 8;
    size_t host = 1;
};

Columns column_widths(const Trace& trace) {
    Columns widths;
    for (const TraceHost& h : trace.hosts) widths.host = std::max(widths.host, h.name.size());
    Instant last = trace.events.empty() ? trace.end_time : std::max(trace.events.back().time, trace.end_time);
    widths.time = std::max(widths.time, to_string(last).size());
    return widths;
}

// Appends `text` to `out`, padded with spaces to `width` (on the left when `right`).
void append_padded(std::string& out, std::string_view text, size_t width, bool right) {
    size_t pad = text.size() >= width ? 0 : width - text.size();
    if (right) out.append(pad, ' ');
    out += text;
    if (!right) out.append(pad, ' ');
}

void append_output_lines(const std::string& text, size_t indent, std::string& out) {
    size_t start = 0;
    while (start < text.size()) {  // as std::getline: a last line without '\n' still counts
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        out.append(indent, ' ');
        out += "| ";
        out.append(text, start, end - start);
        out += '\n';
        start = end + 1;
    }
}

// One event's line(s), appended to `out` (the text is built in memory and written in large
// pieces: a stream insertion per field costs more than the formatting).
void append_event(const TraceIndex& index, Columns widths, uint32_t step, std::string& out, PacketTexts* packets) {
    const Trace& t = index.trace();
    const TraceEvent& e = t.events[step];
    if (widths.step > 0) {
        append_padded(out, std::to_string(step), widths.step, true);
        out += ' ';
    }
    append_padded(out, to_string(e.time), widths.time, true);
    out += ' ';
    append_padded(out, index.host_name(event_host(t, e)), widths.host, false);
    out += ' ';
    out += marker(e);
    out += ' ';
    if (e.kind == EventKind::PacketSent || e.kind == EventKind::PacketDelivered || e.kind == EventKind::PacketDropped) {
        append_packet_text(index, e, out, packets);  // straight into the output: the commonest lines
    } else {
        out += event_text(index, step, packets);
    }
    out += '\n';
    size_t event_column = (widths.step > 0 ? widths.step + 1 : 0) + widths.time + 1 + widths.host + 1 + 3;  // after "[STEP] TIME HOST MK "
    if (e.kind == EventKind::Output) append_output_lines(t.str(e.text), event_column, out);
}

}  // namespace

std::string describe_event(const TraceIndex& index, uint32_t step) {
    if (step >= index.trace().events.size()) return "";
    return event_text(index, step);
}

std::string event_line(const TraceIndex& index, uint32_t step) {
    if (step >= index.trace().events.size()) return "";
    std::string out;
    append_event(index, column_widths(index.trace()), step, out, nullptr);
    return out;
}

void write_text(const Trace& trace, std::ostream& out, const TextOptions& options) {
    TraceIndex index(trace);
    write_header(trace, out);
    out << "\n";
    Columns widths = column_widths(trace);
    if (options.steps) widths.step = std::to_string(trace.events.empty() ? 0 : trace.events.size() - 1).size();
    constexpr size_t kChunk = 1 << 20;
    std::string buffer;
    buffer.reserve(kChunk + 4096);
    PacketTexts packets(trace.packets.size());
    for (uint32_t step = 0; step < trace.events.size(); ++step) {
        append_event(index, widths, step, buffer, &packets);
        if (buffer.size() >= kChunk) {
            out.write(buffer.data(), std::streamsize(buffer.size()));
            buffer.clear();
        }
    }
    out.write(buffer.data(), std::streamsize(buffer.size()));
    out << "\n";
    write_outcome(trace, out);
    write_warnings(trace, out);
}

}  // namespace netstep::sim
