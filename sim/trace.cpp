// The trace: names of event kinds, string lookup, and the builder the engine fills it with.
#include "sim/trace.hpp"

#include "model/wire/wire.hpp"

#include <algorithm>
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
    {EventKind::Prompt, "prompt"},
    {EventKind::Input, "input"},
    {EventKind::Ask, "ask"},
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

std::span<const uint8_t> Trace::ip_bytes(const TracePacket& p) const {
    if (!ethernet) return p.bytes;
    if (p.bytes.size() < kEthernetHeaderSize || p.bytes[12] != 0x08 || p.bytes[13] != 0x00) return {};
    return std::span<const uint8_t>(p.bytes).subspan(kEthernetHeaderSize);
}

std::optional<ArpPacket> Trace::arp(const TracePacket& p) const {
    if (!ethernet || p.bytes.size() < kEthernetHeaderSize || p.bytes[12] != 0x08 || p.bytes[13] != 0x06) return std::nullopt;
    return wire::parse_arp(std::span<const uint8_t>(p.bytes).subspan(kEthernetHeaderSize)).arp;
}

const std::string& Trace::ask_text(const AskText& text, std::string_view lang) const {
    uint32_t i = lang == "fr" ? text.fr : lang == "it" ? text.it : text.en;
    return str(i != kNone ? i : text.en);
}

const Trace::Ask* Trace::ask_at(uint32_t step) const {
    auto it = std::lower_bound(asks.begin(), asks.end(), step, [](const Ask& a, uint32_t s) { return a.step < s; });
    return it != asks.end() && it->step == step ? &*it : nullptr;
}

const std::string& Trace::caption_text(uint32_t step, std::string_view lang) const {
    auto first = std::lower_bound(translations.begin(), translations.end(), step,
                                  [](const Translation& t, uint32_t s) { return t.step < s; });
    for (auto it = first; it != translations.end() && it->step == step; ++it) {
        if (it->lang == lang) return str(it->text);
    }
    return step < events.size() ? str(events[step].text) : kEmptyString;
}

// ---------------------------------------------------------------------------------------------
// SocketRows

SocketRows::Row SocketRows::pack(const SocketInfo& info, uint32_t vars) {
    // Every field of SocketInfo, by name: a field added there fails to compile here until it is
    // stored in Row too.
    const auto& [id, type, local, remote, state, user_closed, tcp_vars, recv_queued] = info;
    (void)tcp_vars;
    Row row;
    row.local = local;
    row.remote = remote.value_or(Endpoint{});
    row.id = id;
    row.vars = vars;
    row.recv_queued = recv_queued;
    row.type = type;
    row.state = uint8_t(state.value_or(TcpState::Closed));
    row.has_remote = remote.has_value();
    row.has_state = state.has_value();
    row.user_closed = user_closed;
    return row;
}

SocketInfo SocketRows::operator[](size_t i) const {
    const Row& row = rows_[i];
    SocketInfo info;
    info.id = row.id;
    info.type = row.type;
    info.local = row.local;
    if (row.has_remote) info.remote = row.remote;
    if (row.has_state) info.state = TcpState(row.state);
    info.user_closed = row.user_closed;
    if (row.vars != kNoVars) info.vars = vars_[row.vars];
    info.recv_queued = size_t(row.recv_queued);
    return info;
}

bool SocketRows::back_is(const SocketInfo& info) const {
    const Row& last = rows_.back();
    if (last.vars == kNoVars ? info.vars.has_value() : !(info.vars && *info.vars == vars_[last.vars])) return false;
    return pack(info, last.vars) == last;
}

void SocketRows::push_back(const SocketInfo& info) {
    uint32_t vars = kNoVars;
    if (info.vars) {
        vars = uint32_t(vars_.size());
        vars_.push_back(*info.vars);
    }
    rows_.push_back(pack(info, vars));
}

void SocketRows::replace_back(const SocketInfo& info) {
    Row& last = rows_.back();
    uint32_t vars = last.vars;
    if (info.vars && vars != kNoVars) {
        vars_[vars] = *info.vars;  // the last row's variables are the last ones stored
    } else if (info.vars) {
        vars = uint32_t(vars_.size());
        vars_.push_back(*info.vars);
    } else if (vars != kNoVars) {
        vars_.pop_back();
        vars = kNoVars;
    }
    last = pack(info, vars);
}

void SocketRows::clear() {
    rows_.clear();
    vars_.clear();
}

size_t SocketRows::memory_bytes(bool used) const {
    return (used ? rows_.size() : rows_.capacity()) * sizeof(Row) +
           (used ? vars_.size() : vars_.capacity()) * sizeof(TcpVars);
}

// ---------------------------------------------------------------------------------------------
// TraceBuilder

namespace {
constexpr size_t kHashNodeBytes = 32;  // an unordered_map node besides its key: next, hash, value
constexpr size_t kLineBytes = 100;     // a text trace line without its strings (a packet's is ~90)
constexpr size_t kPrefixBytes = 32;    // an Output line's time and host
// JSON (sim/output_json.cpp), measured on star-tcp: an event ~150 bytes besides its strings, a
// packet ~200 besides its bytes (in hex: two characters each), a socket row with its variables ~450.
constexpr size_t kJsonEventBytes = 150;
constexpr size_t kJsonPacketBytes = 200;
constexpr size_t kJsonRowBytes = 450;
}  // namespace

TraceBuilder::TraceBuilder(Trace& trace) : trace_(trace) {
    for (uint32_t i = 0; i < trace_.strings.size(); ++i) strings_.emplace(trace_.strings[i], i);
    for (size_t i = 0; i < trace_.sockets.size(); ++i) {
        sockets_.emplace(socket_key(trace_.sockets[i].host, trace_.sockets[i].id), i);
    }
}

uint32_t TraceBuilder::intern(std::string_view text) {
    if (auto it = strings_.find(text); it != strings_.end()) return it->second;
    uint32_t i = uint32_t(trace_.strings.size());
    strings_.emplace(std::string(text), i);
    trace_.strings.emplace_back(text);
    memory_ += 2 * (sizeof(std::string) + text.size()) + kHashNodeBytes;  // the string, its key
    return i;
}

uint32_t TraceBuilder::add_event(const TraceEvent& event) {
    trace_.events.push_back(event);
    memory_ += sizeof(TraceEvent);
    text_ += kLineBytes;
    json_ += kJsonEventBytes;
    for (uint32_t s : {event.text, event.text2}) {
        if (s >= trace_.strings.size()) continue;
        const std::string& text = trace_.strings[s];
        text_ += text.size();
        json_ += text.size();
        // Output's lines (netstat, ipconfig) each printed after the time and host.
        if (event.kind == EventKind::Output) text_ += kPrefixBytes * size_t(std::count(text.begin(), text.end(), '\n'));
    }
    return uint32_t(trace_.events.size() - 1);
}

uint32_t TraceBuilder::add_packet(TracePacket packet) {
    memory_ += sizeof(TracePacket) + packet.bytes.size() + packet.drop_reason.size();
    json_ += kJsonPacketBytes + 2 * packet.bytes.size() + packet.drop_reason.size();
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
        memory_ += sizeof(SocketHistory) + kHashNodeBytes;
    }
    return trace_.sockets[it->second];
}

void TraceBuilder::record_socket(uint32_t host, const SocketInfo& row, uint32_t step) {
    SocketHistory& history = history_of(host, row.id);
    if (!history.rows.empty() && history.rows.back_is(row)) return;
    if (!history.steps.empty() && history.steps.back() == step) {
        history.rows.replace_back(row);  // several changes within one step: the last one holds
        return;
    }
    size_t before = history.rows.memory_bytes();
    history.steps.push_back(step);
    history.rows.push_back(row);
    memory_ += sizeof(uint32_t) + history.rows.memory_bytes() - before;
    json_ += kJsonRowBytes;
}

void TraceBuilder::socket_gone(uint32_t host, SocketId id, uint32_t step) {
    SocketHistory& history = history_of(host, id);
    if (history.gone_step == kNone) history.gone_step = step;
}

}  // namespace netstep::sim
