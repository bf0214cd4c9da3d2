// The trace: names of event kinds, string lookup, and the builder the engine fills it with.
#include "sim/trace.hpp"

#include <array>
#include <utility>

namespace netstep::sim {

namespace {

constexpr std::array<std::pair<EventKind, std::string_view>, kEventKindCount> kKindNames{{
    {EventKind::RunStart, "run-start"},
    {EventKind::PacketSent, "packet-sent"},
    {EventKind::PacketDelivered, "packet-delivered"},
    {EventKind::PacketDropped, "packet-dropped"},
    {EventKind::StateChange, "state-change"},
    {EventKind::Timer, "timer"},
    {EventKind::Retransmit, "retransmit"},
    {EventKind::Rejected, "rejected"},
    {EventKind::ConnError, "conn-error"},
    {EventKind::Note, "note"},
    {EventKind::Call, "call"},
    {EventKind::Caption, "caption"},
    {EventKind::Output, "output"},
    {EventKind::ProgramStart, "program-start"},
    {EventKind::ProgramEnd, "program-end"},
    {EventKind::ExpectFailed, "expect-failed"},
    {EventKind::Blocked, "blocked"},
    {EventKind::RunEnd, "run-end"},
}};

const std::string kEmptyString;  // what str(kNone) refers to: a constant

uint64_t socket_key(uint32_t host, SocketId id) { return (uint64_t(host) << 32) | id; }

}  // namespace

std::string_view to_string(EventKind k) {
    for (const auto& [kind, name] : kKindNames) {
        if (kind == k) return name;
    }
    return "?";
}

std::optional<EventKind> event_kind_from_string(std::string_view text) {
    for (const auto& [kind, name] : kKindNames) {
        if (name == text) return kind;
    }
    return std::nullopt;
}

const std::string& Trace::str(uint32_t i) const {
    return i < strings.size() ? strings[i] : kEmptyString;
}

// ---------------------------------------------------------------------------------------------
// TraceBuilder

TraceBuilder::TraceBuilder(Trace& trace) : trace_(trace) {
    for (uint32_t i = 0; i < trace_.strings.size(); ++i) strings_.emplace(trace_.strings[i], i);
    for (size_t i = 0; i < trace_.sockets.size(); ++i) {
        sockets_.emplace(socket_key(trace_.sockets[i].host, trace_.sockets[i].id), i);
    }
}

uint32_t TraceBuilder::intern(std::string_view text) {
    auto [it, added] = strings_.try_emplace(std::string(text), uint32_t(trace_.strings.size()));
    if (added) trace_.strings.emplace_back(text);
    return it->second;
}

uint32_t TraceBuilder::add_event(const TraceEvent& event) {
    trace_.events.push_back(event);
    return uint32_t(trace_.events.size() - 1);
}

uint32_t TraceBuilder::add_packet(TracePacket packet) {
    trace_.packets.push_back(std::move(packet));
    return uint32_t(trace_.packets.size() - 1);
}

SocketHistory& TraceBuilder::history_of(uint32_t host, SocketId id) {
    auto [it, added] = sockets_.try_emplace(socket_key(host, id), trace_.sockets.size());
    if (added) {
        SocketHistory history;
        history.host = host;
        history.id = id;
        trace_.sockets.push_back(std::move(history));
    }
    return trace_.sockets[it->second];
}

void TraceBuilder::record_socket(uint32_t host, const SocketInfo& row, uint32_t step) {
    SocketHistory& history = history_of(host, row.id);
    if (!history.rows.empty() && history.rows.back() == row) return;
    if (!history.steps.empty() && history.steps.back() == step) {
        history.rows.back() = row;  // several changes within one step: the last one holds
        return;
    }
    history.steps.push_back(step);
    history.rows.push_back(row);
}

void TraceBuilder::socket_gone(uint32_t host, SocketId id, uint32_t step) {
    SocketHistory& history = history_of(host, id);
    if (history.gone_step == kNone) history.gone_step = step;
}

}  // namespace netstep::sim
