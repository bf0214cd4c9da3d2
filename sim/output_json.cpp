// The trace as JSON (schema: docs/trace-json.md) and back. Written as one top-level object with
// one array element per line, so that a million events stream out without a second copy.
// Reading checks every type, enum name, address and cross-reference, and throws a
// std::runtime_error naming the place and what was expected.
#include <fstream>
#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "sim/output.hpp"

namespace netstep::sim {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kFormat = "netstep-trace";
constexpr int kVersion = 1;

// ---------------------------------------------------------------------------------------------
// Small conversions shared by both directions

std::string_view socket_type_name(SocketType t) { return t == SocketType::Tcp ? "TCP" : "UDP"; }

std::string hex_of(const Bytes& bytes) {
    constexpr std::string_view digits = "0123456789abcdef";
    std::string text;
    text.reserve(bytes.size() * 2);
    for (uint8_t b : bytes) {
        text += digits[b >> 4];
        text += digits[b & 0x0F];
    }
    return text;
}

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// ---------------------------------------------------------------------------------------------
// Writing

Json tuple_json(const FourTuple& t) {
    return Json{{"local", t.local.to_string()}, {"remote", t.remote.to_string()}};
}

Json event_json(const Trace& trace, const TraceEvent& e) {
    Json j{{"time_ns", e.time.ns}, {"kind", to_string(e.kind)}};
    if (e.host != kNone) j["host"] = e.host;
    if (e.program != kNone) j["program"] = e.program;
    if (e.socket != 0) j["socket"] = e.socket;
    if (e.packet != kNone) j["packet"] = e.packet;
    if (e.text != kNone) j["text"] = trace.str(e.text);
    if (e.text2 != kNone) j["text2"] = trace.str(e.text2);
    if (e.kind == EventKind::StateChange || e.from != TcpState::Closed || e.to != TcpState::Closed) {
        j["from"] = to_string(e.from);
        j["to"] = to_string(e.to);
    }
    bool timer_default = e.timer == TimerKind::Retransmission && e.timer_action == TimerAction::Armed &&
                         e.deadline == Instant{};
    if (e.kind == EventKind::Timer || !timer_default) {
        j["timer"] = to_string(e.timer);
        j["timer_action"] = to_string(e.timer_action);
        j["deadline_ns"] = e.deadline.ns;
    }
    if (e.err) j["err"] = to_string(*e.err);
    if (e.tuple) j["tuple"] = tuple_json(*e.tuple);
    return j;
}

Json packet_json(const TracePacket& p) {
    Json j{{"from_host", p.from_host}};
    if (p.to_host != kNone) j["to_host"] = p.to_host;
    j["network"] = p.network;
    j["from_interface"] = p.from_interface;
    j["sent_ns"] = p.sent.ns;
    j["arrives_ns"] = p.arrives.ns;
    j["sent_step"] = p.sent_step;
    if (p.end_step != kNone) j["end_step"] = p.end_step;
    j["dropped"] = p.dropped;
    if (!p.drop_reason.empty()) j["drop_reason"] = p.drop_reason;
    if (p.duplicate_of != kNone) j["duplicate_of"] = p.duplicate_of;
    if (p.flooded) j["flooded"] = true;
    j["bytes"] = hex_of(p.bytes);
    return j;
}

void put_optional_ns(Json& j, const char* key, const std::optional<Duration>& d) {
    if (d) j[key] = d->ns;
}

void put_optional_ns(Json& j, const char* key, const std::optional<Instant>& t) {
    if (t) j[key] = t->ns;
}

Json mac_seen_json(const TraceMacSeen& m) {
    return Json{{"step", m.step}, {"network", m.network}, {"port", m.port}, {"mac", m.mac.to_string()}, {"time_ns", m.time.ns}};
}

Json vars_json(const TcpVars& v) {
    Json j{{"iss", v.iss.value},         {"irs", v.irs.value},         {"snd_una", v.snd_una.value},
           {"snd_nxt", v.snd_nxt.value}, {"snd_wnd", v.snd_wnd},       {"snd_wl1", v.snd_wl1.value},
           {"snd_wl2", v.snd_wl2.value}, {"rcv_nxt", v.rcv_nxt.value}, {"rcv_wnd", v.rcv_wnd},
           {"mss", v.mss},               {"cwnd", v.cwnd},             {"ssthresh", v.ssthresh},
           {"rto_ns", v.rto.ns}};
    put_optional_ns(j, "srtt_ns", v.srtt);
    put_optional_ns(j, "rttvar_ns", v.rttvar);
    j["retransmits"] = v.retransmits;
    j["send_queued"] = v.send_queued;
    j["recv_queued"] = v.recv_queued;
    put_optional_ns(j, "retransmit_at_ns", v.retransmit_at);
    put_optional_ns(j, "delayed_ack_at_ns", v.delayed_ack_at);
    put_optional_ns(j, "time_wait_until_ns", v.time_wait_until);
    put_optional_ns(j, "persist_at_ns", v.persist_at);
    return j;
}

Json row_json(const SocketInfo& r) {
    Json j{{"id", r.id}, {"type", socket_type_name(r.type)}, {"local", r.local.to_string()}};
    if (r.remote) j["remote"] = r.remote->to_string();
    if (r.state) j["state"] = to_string(*r.state);
    j["user_closed"] = r.user_closed;
    j["recv_queued"] = r.recv_queued;
    if (r.vars) j["vars"] = vars_json(*r.vars);
    return j;
}

Json network_json(const TraceNetwork& n) {
    return Json{{"name", n.name},
                {"subnet", n.subnet.to_string()},
                {"latency_ns", n.latency.ns},
                {"bandwidth_bps", n.bandwidth_bps},
                {"loss", n.loss},
                {"kind", n.switched ? "switch" : "segment"}};
}

Json host_json(const TraceHost& h) {
    Json interfaces = Json::array();
    for (const InterfaceConfig& i : h.interfaces) {
        Json j{{"adapter", i.adapter}, {"network", i.network}, {"address", i.address.to_string()}};
        if (i.gateway) j["gateway"] = i.gateway->to_string();
        if (i.mac) j["mac"] = i.mac->to_string();
        interfaces.push_back(std::move(j));
    }
    return Json{{"name", h.name}, {"forwarding", h.forwarding}, {"interfaces", std::move(interfaces)}};
}

Json program_json(const TraceProgram& p) {
    Json j{{"name", p.name}, {"host", p.host}};
    if (p.parent != kNone) j["parent"] = p.parent;
    return j;
}

// Writes `"key": [` then one element per line, then `]`.
template <typename T, typename ToJson>
void write_array(std::ostream& out, std::string_view key, const std::vector<T>& items, ToJson to_json) {
    out << ",\n\"" << key << "\": [";
    for (size_t i = 0; i < items.size(); ++i) out << (i == 0 ? "\n" : ",\n") << dump(to_json(items[i]));
    out << (items.empty() ? "]" : "\n]");
}

// "sockets": like write_array, but each history's changes written one at a time: a busy socket
// has hundreds of thousands of them, and one DOM of them all plus its dump held 1.7 GB at once
// for a trace within the default limits (fuzz/README.md). Each history is
// {"host":H,"id":I,"gone_step":S (when gone),"changes":[{"step":N,"row":{...}},...]}.
void write_histories(std::ostream& out, const std::vector<SocketHistory>& sockets) {
    out << ",\n\"sockets\": [";
    for (size_t i = 0; i < sockets.size(); ++i) {
        const SocketHistory& h = sockets[i];
        Json head{{"host", h.host}, {"id", h.id}};
        if (h.gone_step != kNone) head["gone_step"] = h.gone_step;
        std::string text = dump(head);
        text.pop_back();  // the closing brace: "changes" comes last
        out << (i == 0 ? "\n" : ",\n") << text << ",\"changes\":[";
        for (size_t k = 0; k < h.steps.size() && k < h.rows.size(); ++k) {
            out << (k == 0 ? "" : ",") << dump(Json{{"step", h.steps[k]}, {"row", row_json(h.rows[k])}});
        }
        out << "]}";
    }
    out << (sockets.empty() ? "]" : "\n]");
}

void write_key(std::ostream& out, std::string_view key, const Json& value, bool first = false) {
    out << (first ? "" : ",\n") << "\"" << key << "\": " << dump(value);
}

// ---------------------------------------------------------------------------------------------
// Reading: typed access with the path in every error

[[noreturn]] void fail(const std::string& where, const std::string& expected, const Json& got) {
    std::string shown = got.is_null()     ? std::string("nothing")
                        : got.is_object() ? std::string("an object")
                        : got.is_array()  ? "an array of " + std::to_string(got.size())
                                          : dump(got);
    if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
    throw std::runtime_error("trace JSON: " + where + ": expected " + expected + ", got " + shown);
}

std::string at(const std::string& where, std::string_view key) {
    return where.empty() ? std::string(key) : where + "." + std::string(key);
}

std::string at(const std::string& where, size_t i) { return where + "[" + std::to_string(i) + "]"; }

const Json& object(const Json& j, const std::string& where) {
    if (!j.is_object()) fail(where, "an object", j);
    return j;
}

const Json& array(const Json& j, const std::string& where) {
    if (!j.is_array()) fail(where, "an array", j);
    return j;
}

// A required member (its absence is reported as "got nothing").
const Json& member(const Json& obj, std::string_view key, const std::string& where) {
    auto it = obj.find(key);
    if (it == obj.end()) fail(at(where, key), "a value", Json());
    return *it;
}

const Json* optional_member(const Json& obj, std::string_view key) {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

std::string text(const Json& j, const std::string& where) {
    if (!j.is_string()) fail(where, "a string", j);
    return j.get<std::string>();
}

bool boolean(const Json& j, const std::string& where) {
    if (!j.is_boolean()) fail(where, "true or false", j);
    return j.get<bool>();
}

uint64_t unsigned_int(const Json& j, const std::string& where, uint64_t max) {
    std::string expected = "an integer from 0 to " + std::to_string(max);
    if (!j.is_number_integer()) fail(where, expected, j);
    if (!j.is_number_unsigned() && j.get<int64_t>() < 0) fail(where, expected, j);
    uint64_t v = j.get<uint64_t>();
    if (v > max) fail(where, expected, j);
    return v;
}

uint32_t u32(const Json& j, const std::string& where) { return uint32_t(unsigned_int(j, where, UINT32_MAX)); }

int64_t signed_int(const Json& j, const std::string& where) {
    if (j.is_number_unsigned() && j.get<uint64_t>() > uint64_t(INT64_MAX)) fail(where, "a 64-bit integer", j);
    if (!j.is_number_integer()) fail(where, "an integer", j);
    return j.get<int64_t>();
}

// Times and durations: bounded (146 years) so that the sum or difference of any two never
// overflows, whatever the viewer computes with them.
constexpr int64_t kMaxNanoseconds = int64_t(1) << 62;

int64_t nanoseconds(const Json& j, const std::string& where) {
    int64_t v = j.is_number_integer() && !j.is_number_unsigned() ? j.get<int64_t>() : 0;
    if (!j.is_number_integer() || (j.is_number_unsigned() && j.get<uint64_t>() > uint64_t(kMaxNanoseconds)) ||
        v < -kMaxNanoseconds || v > kMaxNanoseconds) {
        fail(where, "nanoseconds from " + std::to_string(-kMaxNanoseconds) + " to " + std::to_string(kMaxNanoseconds), j);
    }
    return j.get<int64_t>();
}

double number(const Json& j, const std::string& where) {
    if (!j.is_number()) fail(where, "a number", j);
    return j.get<double>();
}

// An optional index: absent means kNone.
uint32_t ref_or_none(const Json& obj, std::string_view key, const std::string& where) {
    const Json* j = optional_member(obj, key);
    return j ? u32(*j, at(where, key)) : kNone;
}

Endpoint endpoint(const Json& j, const std::string& where) {
    std::string s = text(j, where);
    size_t colon = s.rfind(':');
    auto address = colon == std::string::npos ? std::nullopt : Ipv4Address::parse(s.substr(0, colon));
    std::string port = colon == std::string::npos ? "" : s.substr(colon + 1);
    bool digits = !port.empty() && port.size() <= 5 &&
                  port.find_first_not_of("0123456789") == std::string::npos;
    if (!address || !digits || std::stoul(port) > 65535) {
        fail(where, "an endpoint like \"192.168.1.10:80\"", j);
    }
    return {*address, uint16_t(std::stoul(port))};
}

Ipv4Address address(const Json& j, const std::string& where) {
    auto a = Ipv4Address::parse(text(j, where));
    if (!a) fail(where, "an IPv4 address", j);
    return *a;
}

Ipv4Prefix prefix(const Json& j, const std::string& where) {
    auto p = Ipv4Prefix::parse(text(j, where));
    if (!p) fail(where, "an address with a prefix length like \"192.168.1.0/24\"", j);
    return *p;
}

Bytes bytes_of_hex(const Json& j, const std::string& where) {
    std::string s = text(j, where);
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    if (s.size() % 2 != 0) fail(where, "hexadecimal bytes (an even number of digits)", j);
    Bytes bytes(s.size() / 2);
    for (size_t i = 0; i < bytes.size(); ++i) {
        int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
        if (hi < 0 || lo < 0) fail(where, "hexadecimal bytes", j);
        bytes[i] = uint8_t(hi * 16 + lo);
    }
    return bytes;
}

// Enums from their printed names.
template <typename E, typename Parse>
E named(const Json& j, const std::string& where, const char* what, Parse parse) {
    auto value = parse(text(j, where));
    if (!value) fail(where, what, j);
    return *value;
}

template <typename E>
std::optional<E> by_name(std::string_view name, int count) {
    for (int i = 0; i < count; ++i) {
        if (to_string(E(i)) == name) return E(i);
    }
    return std::nullopt;
}

TcpState tcp_state(const Json& j, const std::string& where) {
    return named<TcpState>(j, where, "a TCP state like \"SYN-SENT\"",
                           [](const std::string& s) { return tcp_state_from_string(s); });
}

// ---------------------------------------------------------------------------------------------
// Reading the parts

FourTuple read_tuple(const Json& j, const std::string& where) {
    object(j, where);
    return {endpoint(member(j, "local", where), at(where, "local")),
            endpoint(member(j, "remote", where), at(where, "remote"))};
}

void read_event_timer(const Json& j, const std::string& where, TraceEvent& e) {
    if (const Json* t = optional_member(j, "timer")) {
        e.timer = named<TimerKind>(*t, at(where, "timer"), "a timer kind like \"retransmission\"",
                                   [](const std::string& s) { return by_name<TimerKind>(s, 4); });
    }
    if (const Json* a = optional_member(j, "timer_action")) {
        e.timer_action = named<TimerAction>(*a, at(where, "timer_action"),
                                            "\"armed\", \"fired\" or \"cancelled\"",
                                            [](const std::string& s) { return by_name<TimerAction>(s, 3); });
    }
    if (const Json* d = optional_member(j, "deadline_ns")) {
        e.deadline = {nanoseconds(*d, at(where, "deadline_ns"))};
    }
}

TraceEvent read_event(const Json& j, const std::string& where, TraceBuilder& builder) {
    object(j, where);
    TraceEvent e;
    e.time = {nanoseconds(member(j, "time_ns", where), at(where, "time_ns"))};
    e.kind = named<EventKind>(member(j, "kind", where), at(where, "kind"),
                              "an event kind like \"packet-sent\"",
                              [](const std::string& s) { return event_kind_from_string(s); });
    e.host = ref_or_none(j, "host", where);
    e.program = ref_or_none(j, "program", where);
    if (const Json* s = optional_member(j, "socket")) e.socket = u32(*s, at(where, "socket"));
    e.packet = ref_or_none(j, "packet", where);
    if (const Json* t = optional_member(j, "text")) e.text = builder.intern(text(*t, at(where, "text")));
    if (const Json* t = optional_member(j, "text2")) e.text2 = builder.intern(text(*t, at(where, "text2")));
    if (const Json* s = optional_member(j, "from")) e.from = tcp_state(*s, at(where, "from"));
    if (const Json* s = optional_member(j, "to")) e.to = tcp_state(*s, at(where, "to"));
    read_event_timer(j, where, e);
    if (const Json* err = optional_member(j, "err")) {
        e.err = named<Err>(*err, at(where, "err"), "an errno name like \"ECONNREFUSED\"",
                           [](const std::string& s) { return err_from_string(s); });
    }
    if (const Json* t = optional_member(j, "tuple")) e.tuple = read_tuple(*t, at(where, "tuple"));
    return e;
}

TracePacket read_packet(const Json& j, const std::string& where) {
    object(j, where);
    TracePacket p;
    p.from_host = u32(member(j, "from_host", where), at(where, "from_host"));
    p.to_host = ref_or_none(j, "to_host", where);
    p.network = u32(member(j, "network", where), at(where, "network"));
    p.from_interface = u32(member(j, "from_interface", where), at(where, "from_interface"));
    p.sent = {nanoseconds(member(j, "sent_ns", where), at(where, "sent_ns"))};
    p.arrives = {nanoseconds(member(j, "arrives_ns", where), at(where, "arrives_ns"))};
    p.sent_step = u32(member(j, "sent_step", where), at(where, "sent_step"));
    p.end_step = ref_or_none(j, "end_step", where);
    p.dropped = boolean(member(j, "dropped", where), at(where, "dropped"));
    if (const Json* r = optional_member(j, "drop_reason")) p.drop_reason = text(*r, at(where, "drop_reason"));
    p.duplicate_of = ref_or_none(j, "duplicate_of", where);
    if (const Json* f = optional_member(j, "flooded")) p.flooded = boolean(*f, at(where, "flooded"));
    p.bytes = bytes_of_hex(member(j, "bytes", where), at(where, "bytes"));
    return p;
}

TraceMacSeen read_mac_seen(const Json& j, const std::string& where) {
    object(j, where);
    TraceMacSeen m;
    m.step = u32(member(j, "step", where), at(where, "step"));
    m.network = u32(member(j, "network", where), at(where, "network"));
    m.port = u32(member(j, "port", where), at(where, "port"));
    const Json& mac = member(j, "mac", where);
    auto parsed = MacAddress::parse(text(mac, at(where, "mac")));
    if (!parsed) fail(at(where, "mac"), "a MAC address like \"02:00:00:00:00:10\"", mac);
    m.mac = *parsed;
    m.time = {nanoseconds(member(j, "time_ns", where), at(where, "time_ns"))};
    return m;
}

std::optional<Duration> optional_duration(const Json& j, std::string_view key, const std::string& where) {
    const Json* v = optional_member(j, key);
    if (!v) return std::nullopt;
    return Duration{nanoseconds(*v, at(where, key))};
}

std::optional<Instant> optional_instant(const Json& j, std::string_view key, const std::string& where) {
    const Json* v = optional_member(j, key);
    if (!v) return std::nullopt;
    return Instant{nanoseconds(*v, at(where, key))};
}

TcpVars read_vars(const Json& j, const std::string& where) {
    object(j, where);
    auto u = [&](std::string_view key) { return u32(member(j, key, where), at(where, key)); };
    auto size = [&](std::string_view key) {
        return size_t(unsigned_int(member(j, key, where), at(where, key), SIZE_MAX));
    };
    TcpVars v;
    v.iss = {u("iss")};
    v.irs = {u("irs")};
    v.snd_una = {u("snd_una")};
    v.snd_nxt = {u("snd_nxt")};
    v.snd_wnd = u("snd_wnd");
    v.snd_wl1 = {u("snd_wl1")};
    v.snd_wl2 = {u("snd_wl2")};
    v.rcv_nxt = {u("rcv_nxt")};
    v.rcv_wnd = u("rcv_wnd");
    v.mss = uint16_t(unsigned_int(member(j, "mss", where), at(where, "mss"), UINT16_MAX));
    if (optional_member(j, "cwnd")) v.cwnd = u("cwnd");  // absent in traces written before
    if (optional_member(j, "ssthresh")) v.ssthresh = u("ssthresh");
    v.rto = {nanoseconds(member(j, "rto_ns", where), at(where, "rto_ns"))};
    v.srtt = optional_duration(j, "srtt_ns", where);
    v.rttvar = optional_duration(j, "rttvar_ns", where);
    v.retransmits = u("retransmits");
    v.send_queued = size("send_queued");
    v.recv_queued = size("recv_queued");
    v.retransmit_at = optional_instant(j, "retransmit_at_ns", where);
    v.delayed_ack_at = optional_instant(j, "delayed_ack_at_ns", where);
    v.time_wait_until = optional_instant(j, "time_wait_until_ns", where);
    v.persist_at = optional_instant(j, "persist_at_ns", where);
    return v;
}

SocketInfo read_row(const Json& j, const std::string& where) {
    object(j, where);
    SocketInfo r;
    r.id = u32(member(j, "id", where), at(where, "id"));
    std::string type = text(member(j, "type", where), at(where, "type"));
    if (type != "TCP" && type != "UDP") {
        fail(at(where, "type"), "\"TCP\" or \"UDP\"", member(j, "type", where));
    }
    r.type = type == "TCP" ? SocketType::Tcp : SocketType::Udp;
    r.local = endpoint(member(j, "local", where), at(where, "local"));
    if (const Json* remote = optional_member(j, "remote")) r.remote = endpoint(*remote, at(where, "remote"));
    if (const Json* state = optional_member(j, "state")) r.state = tcp_state(*state, at(where, "state"));
    r.user_closed = boolean(member(j, "user_closed", where), at(where, "user_closed"));
    r.recv_queued = size_t(unsigned_int(member(j, "recv_queued", where), at(where, "recv_queued"), SIZE_MAX));
    if (const Json* vars = optional_member(j, "vars")) r.vars = read_vars(*vars, at(where, "vars"));
    return r;
}

SocketHistory read_history(const Json& j, const std::string& where) {
    object(j, where);
    SocketHistory h;
    h.host = u32(member(j, "host", where), at(where, "host"));
    h.id = u32(member(j, "id", where), at(where, "id"));
    h.gone_step = ref_or_none(j, "gone_step", where);
    std::string changes_at = at(where, "changes");
    const Json& changes = array(member(j, "changes", where), changes_at);
    for (size_t i = 0; i < changes.size(); ++i) {
        std::string change_at = at(changes_at, i);
        object(changes[i], change_at);
        uint32_t step = u32(member(changes[i], "step", change_at), at(change_at, "step"));
        if (!h.steps.empty() && step <= h.steps.back()) {
            fail(at(change_at, "step"), "a step after " + std::to_string(h.steps.back()),
                 member(changes[i], "step", change_at));
        }
        h.steps.push_back(step);
        h.rows.push_back(read_row(member(changes[i], "row", change_at), at(change_at, "row")));
    }
    return h;
}

TraceNetwork read_network(const Json& j, const std::string& where) {
    object(j, where);
    TraceNetwork n;
    n.name = text(member(j, "name", where), at(where, "name"));
    n.subnet = prefix(member(j, "subnet", where), at(where, "subnet"));
    n.latency = {nanoseconds(member(j, "latency_ns", where), at(where, "latency_ns"))};
    n.bandwidth_bps = unsigned_int(member(j, "bandwidth_bps", where), at(where, "bandwidth_bps"), UINT64_MAX);
    n.loss = number(member(j, "loss", where), at(where, "loss"));
    if (const Json* k = optional_member(j, "kind")) {  // absent before the link layer
        std::string kind = text(*k, at(where, "kind"));
        if (kind != "segment" && kind != "switch") fail(at(where, "kind"), "\"segment\" or \"switch\"", *k);
        n.switched = kind == "switch";
    }
    return n;
}

InterfaceConfig read_interface(const Json& j, const std::string& where) {
    object(j, where);
    InterfaceConfig i;
    i.adapter = text(member(j, "adapter", where), at(where, "adapter"));
    i.network = text(member(j, "network", where), at(where, "network"));
    i.address = prefix(member(j, "address", where), at(where, "address"));
    if (const Json* g = optional_member(j, "gateway")) i.gateway = address(*g, at(where, "gateway"));
    if (const Json* m = optional_member(j, "mac")) {
        i.mac = MacAddress::parse(text(*m, at(where, "mac")));
        if (!i.mac) fail(at(where, "mac"), "a MAC address like \"02:00:5e:10:00:01\"", *m);
    }
    return i;
}

TraceHost read_host(const Json& j, const std::string& where) {
    object(j, where);
    TraceHost h;
    h.name = text(member(j, "name", where), at(where, "name"));
    h.forwarding = boolean(member(j, "forwarding", where), at(where, "forwarding"));
    std::string list_at = at(where, "interfaces");
    const Json& list = array(member(j, "interfaces", where), list_at);
    for (size_t i = 0; i < list.size(); ++i) h.interfaces.push_back(read_interface(list[i], at(list_at, i)));
    return h;
}

TraceProgram read_program(const Json& j, const std::string& where) {
    object(j, where);
    TraceProgram p;
    p.name = text(member(j, "name", where), at(where, "name"));
    p.host = u32(member(j, "host", where), at(where, "host"));
    p.parent = ref_or_none(j, "parent", where);
    return p;
}

template <typename T, typename ReadOne>
std::vector<T> read_list(const Json& root, std::string_view key, ReadOne read_one) {
    std::string where(key);
    const Json& list = array(member(root, key, ""), where);
    std::vector<T> items;
    items.reserve(list.size());
    for (size_t i = 0; i < list.size(); ++i) items.push_back(read_one(list[i], at(where, i)));
    return items;
}

// ---------------------------------------------------------------------------------------------
// Cross-references and order: every index names something that exists and every step is in the
// run, events are in time order, packets are joined to their events. The viewers trust the trace
// read here: nothing a panel assumes is left unchecked.

[[noreturn]] void invalid(const std::string& where, const std::string& expected, const std::string& got) {
    throw std::runtime_error("trace JSON: " + where + ": expected " + expected + ", got " + got);
}

void check_ref(uint32_t value, size_t count, bool none_ok, const std::string& where, const char* what) {
    if (value == kNone && none_ok) return;
    if (value >= count) invalid(where, std::string(what) + " index below " + std::to_string(count), std::to_string(value));
}

// The largest IPv4 packet (its total length is 16 bits).
constexpr size_t kMaxPacketBytes = 65535;

void check_scenario(const Trace& t) {
    for (size_t i = 0; i < t.networks.size(); ++i) {
        double loss = t.networks[i].loss;
        if (!(loss >= 0.0 && loss <= 1.0)) invalid(at(at("networks", i), "loss"), "a fraction from 0 to 1", std::to_string(loss));
    }
    for (size_t h = 0; h < t.hosts.size(); ++h) {
        for (size_t k = 0; k < t.hosts[h].interfaces.size(); ++k) {
            const std::string& name = t.hosts[h].interfaces[k].network;
            if (std::none_of(t.networks.begin(), t.networks.end(), [&](const TraceNetwork& n) { return n.name == name; }))
                invalid(at(at(at(at("hosts", h), "interfaces"), k), "network"), "the name of a network",
                        "\"" + name.substr(0, 80) + "\"");
        }
    }
    for (size_t i = 0; i < t.programs.size(); ++i) {
        std::string where = at("programs", i);
        check_ref(t.programs[i].host, t.hosts.size(), false, at(where, "host"), "a host");
        check_ref(t.programs[i].parent, i, true, at(where, "parent"), "an earlier program");  // no cycles
    }
}

void check_events(const Trace& t) {
    for (size_t i = 0; i < t.events.size(); ++i) {
        const TraceEvent& e = t.events[i];
        std::string where = at("events", i);
        if (e.time < Instant::zero() || (i > 0 && e.time < t.events[i - 1].time))
            invalid(at(where, "time_ns"), "a time from 0 and not before the previous event's", std::to_string(e.time.ns));
        check_ref(e.host, t.hosts.size(), true, at(where, "host"), "a host");
        check_ref(e.program, t.programs.size(), true, at(where, "program"), "a program");
        bool packet_event = e.kind == EventKind::PacketSent || e.kind == EventKind::PacketDelivered ||
                            e.kind == EventKind::PacketDropped;
        check_ref(e.packet, t.packets.size(), !packet_event, at(where, "packet"), "a packet");
    }
}

void check_packets(const Trace& t) {
    for (size_t i = 0; i < t.packets.size(); ++i) {
        const TracePacket& p = t.packets[i];
        std::string where = at("packets", i);
        check_ref(p.from_host, t.hosts.size(), false, at(where, "from_host"), "a host");
        check_ref(p.to_host, t.hosts.size(), true, at(where, "to_host"), "a host");
        check_ref(p.network, t.networks.size(), false, at(where, "network"), "a network");
        check_ref(p.from_interface, t.hosts[p.from_host].interfaces.size(), false, at(where, "from_interface"),
                  "an interface");
        check_ref(p.sent_step, t.events.size(), false, at(where, "sent_step"), "an event");
        check_ref(p.end_step, t.events.size(), true, at(where, "end_step"), "an event");
        check_ref(p.duplicate_of, t.packets.size(), true, at(where, "duplicate_of"), "a packet");
        if (t.events[p.sent_step].kind != EventKind::PacketSent || t.events[p.sent_step].packet != i)
            invalid(at(where, "sent_step"), "the step of its packet-sent event", std::to_string(p.sent_step));
        if (p.end_step != kNone && (p.end_step <= p.sent_step || t.events[p.end_step].packet != i))
            invalid(at(where, "end_step"), "a later step of an event of this packet", std::to_string(p.end_step));
        if (p.arrives < p.sent) invalid(at(where, "arrives_ns"), "a time from sent_ns on", std::to_string(p.arrives.ns));
        if (p.bytes.size() > kMaxPacketBytes)
            invalid(at(where, "bytes"), "at most " + std::to_string(kMaxPacketBytes) + " bytes", std::to_string(p.bytes.size()));
    }
}

void check_sockets(const Trace& t) {
    std::set<std::pair<uint32_t, uint32_t>> seen;
    for (size_t i = 0; i < t.sockets.size(); ++i) {
        const SocketHistory& h = t.sockets[i];
        std::string where = at("sockets", i);
        check_ref(h.host, t.hosts.size(), false, at(where, "host"), "a host");
        if (h.id == 0 || !seen.insert({h.host, h.id}).second)
            invalid(at(where, "id"), "a socket id, not 0 and once per host", std::to_string(h.id));
        if (h.steps.empty()) invalid(at(where, "changes"), "at least one change", "none");
        check_ref(h.steps.back(), t.events.size(), false, at(at(at(where, "changes"), h.steps.size() - 1), "step"),
                  "an event");
        check_ref(h.gone_step, t.events.size() + 1, true, at(where, "gone_step"), "an event");
    }
}

// Each on a switched network, on one of its ports, from a step of the run on (the last may be
// the step after the last event: a run stopped by a limit), in step order.
void check_mac_seen(const Trace& t) {
    std::vector<size_t> ports(t.networks.size(), 0);
    for (const TraceHost& h : t.hosts)
        for (const InterfaceConfig& i : h.interfaces)
            for (size_t n = 0; n < t.networks.size(); ++n)
                if (t.networks[n].name == i.network) ++ports[n];
    for (size_t i = 0; i < t.mac_seen.size(); ++i) {
        const TraceMacSeen& m = t.mac_seen[i];
        std::string where = at("mac_seen", i);
        check_ref(m.network, t.networks.size(), false, at(where, "network"), "a network");
        if (!t.networks[m.network].switched) invalid(at(where, "network"), "a network of kind switch", std::to_string(m.network));
        check_ref(m.port, ports[m.network], false, at(where, "port"), "a port");
        check_ref(m.step, t.events.size() + 1, false, at(where, "step"), "an event");
        if (i > 0 && m.step < t.mac_seen[i - 1].step) invalid(at(where, "step"), "steps in ascending order", std::to_string(m.step));
    }
}

void check_trace(const Trace& t) {
    check_scenario(t);
    check_events(t);
    check_packets(t);
    check_sockets(t);
    check_mac_seen(t);
}

// Arrays and objects nest at most this deep (the writer nests 6): deeper, even in a member the
// reader ignores, is an error before parsing, whose recursion would overflow the stack.
constexpr int kMaxDepth = 64;

void check_depth(std::string_view text) {
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;  // the escaped character
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxDepth) {
                throw std::runtime_error("trace JSON: nesting deeper than " + std::to_string(kMaxDepth) + " at byte " +
                                         std::to_string(i + 1));
            }
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
}

Json parse_document(std::istream& in) {
    std::ostringstream read;  // in blocks (an istreambuf_iterator reads a character per call)
    read << in.rdbuf();
    std::string text = std::move(read).str();
    check_depth(text);
    try {
        return Json::parse(text);
    } catch (const Json::exception& e) {
        throw std::runtime_error(std::string("trace JSON: not valid JSON: ") + e.what());
    }
}

void check_format(const Json& root) {
    object(root, "the document");
    if (text(member(root, "format", ""), "format") != kFormat) {
        fail("format", "\"" + std::string(kFormat) + "\"", member(root, "format", ""));
    }
    if (signed_int(member(root, "version", ""), "version") != kVersion) {
        fail("version", std::to_string(kVersion), member(root, "version", ""));
    }
}

std::vector<std::string> read_strings(const Json& root, std::string_view key) {
    return read_list<std::string>(root, key, [](const Json& j, const std::string& w) { return text(j, w); });
}

void read_scenario(const Json& root, Trace& t) {
    t.file = text(member(root, "file", ""), "file");
    t.title = text(member(root, "title", ""), "title");
    t.description = text(member(root, "description", ""), "description");
    t.profile = text(member(root, "profile", ""), "profile");
    t.seed = unsigned_int(member(root, "seed", ""), "seed", UINT64_MAX);
    if (const Json* l = optional_member(root, "link")) {  // absent before the link layer: "none"
        std::string link = text(*l, "link");
        if (link != "ethernet" && link != "none") fail("link", "\"ethernet\" or \"none\"", *l);
        t.ethernet = link == "ethernet";
    }
    t.networks = read_list<TraceNetwork>(root, "networks", read_network);
    t.hosts = read_list<TraceHost>(root, "hosts", read_host);
    t.programs = read_list<TraceProgram>(root, "programs", read_program);
}

void read_run(const Json& root, Trace& t) {
    t.expectations_met = boolean(member(root, "expectations_met", ""), "expectations_met");
    t.failures = read_strings(root, "failures");
    if (root.contains("warnings")) t.warnings = read_strings(root, "warnings");  // absent before warnings existed
    t.end_time = {nanoseconds(member(root, "end_time_ns", ""), "end_time_ns")};
    TraceBuilder builder(t);
    t.events = read_list<TraceEvent>(root, "events", [&builder](const Json& j, const std::string& w) {
        return read_event(j, w, builder);
    });
    t.packets = read_list<TracePacket>(root, "packets", read_packet);
    t.sockets = read_list<SocketHistory>(root, "sockets", read_history);
    if (root.contains("mac_seen")) t.mac_seen = read_list<TraceMacSeen>(root, "mac_seen", read_mac_seen);  // absent before switches
    if (root.contains("translations")) {  // absent before captions had languages
        t.translations = read_list<Trace::Translation>(root, "translations", [&builder, &t](const Json& j, const std::string& w) {
            object(j, w);
            Trace::Translation tr;
            tr.step = u32(member(j, "step", w), at(w, "step"));
            if (tr.step >= t.events.size() ||
                (t.events[tr.step].kind != EventKind::Caption && t.events[tr.step].kind != EventKind::Ask)) {
                fail(at(w, "step"), "the step of a caption or a question", member(j, "step", w));
            }
            tr.lang = text(member(j, "lang", w), at(w, "lang"));
            tr.text = builder.intern(text(member(j, "text", w), at(w, "text")));
            return tr;
        });
        for (size_t i = 1; i < t.translations.size(); ++i) {
            if (t.translations[i].step < t.translations[i - 1].step) {
                fail(at(at("translations", i), "step"), "steps in ascending order", t.translations[i].step);
            }
        }
    }
    if (root.contains("asks")) {  // absent before teachers' questions
        auto ask_text = [&builder](const Json& j, const std::string& w) {
            object(j, w);
            Trace::AskText a;
            a.en = builder.intern(text(member(j, "en", w), at(w, "en")));
            if (const Json* v = optional_member(j, "fr")) a.fr = builder.intern(text(*v, at(w, "fr")));
            if (const Json* v = optional_member(j, "it")) a.it = builder.intern(text(*v, at(w, "it")));
            return a;
        };
        t.asks = read_list<Trace::Ask>(root, "asks", [&](const Json& j, const std::string& w) {
            object(j, w);
            Trace::Ask a;
            a.step = u32(member(j, "step", w), at(w, "step"));
            if (a.step >= t.events.size() || t.events[a.step].kind != EventKind::Ask) {
                fail(at(w, "step"), "the step of an ask event", member(j, "step", w));
            }
            const Json& choices = array(member(j, "choices", w), at(w, "choices"));
            for (size_t i = 0; i < choices.size() && i < 5; ++i) a.choices.push_back(ask_text(choices[i], at(at(w, "choices"), i)));
            if (a.choices.empty() || a.choices.size() > 4) fail(at(w, "choices"), "1 to 4 choices", member(j, "choices", w));
            a.answer = u32(member(j, "answer", w), at(w, "answer"));
            if (a.answer >= a.choices.size()) fail(at(w, "answer"), "the index of a choice", member(j, "answer", w));
            if (const Json* v = optional_member(j, "explain")) a.explain = ask_text(*v, at(w, "explain"));
            if (const Json* v = optional_member(j, "about")) {
                std::string about = text(*v, at(w, "about"));
                if (about != "next_flags" && about != "next_state" && about != "ack" && about != "seq" && about != "local_port")
                    fail(at(w, "about"), "next_flags, next_state, ack, seq or local_port", *v);
                a.about = builder.intern(about);
                a.host = u32(member(j, "host", w), at(w, "host"));
                if (a.host >= t.hosts.size()) fail(at(w, "host"), "a host", member(j, "host", w));
                if (const Json* s = optional_member(j, "socket")) a.socket = u32(*s, at(w, "socket"));
            }
            if (const Json* v = optional_member(j, "where")) a.where = builder.intern(text(*v, at(w, "where")));
            return a;
        });
        for (size_t i = 1; i < t.asks.size(); ++i) {
            if (t.asks[i].step <= t.asks[i - 1].step) fail(at(at("asks", i), "step"), "steps in ascending order", t.asks[i].step);
        }
    }
}

}  // namespace

// ---------------------------------------------------------------------------------------------

void write_json(const Trace& t, std::ostream& out) {
    out << "{\n";
    write_key(out, "format", kFormat, true);
    write_key(out, "version", kVersion);
    write_key(out, "file", t.file);
    write_key(out, "title", t.title);
    write_key(out, "description", t.description);
    write_key(out, "profile", t.profile);
    write_key(out, "seed", t.seed);
    write_key(out, "link", t.ethernet ? "ethernet" : "none");
    write_array(out, "networks", t.networks, network_json);
    write_array(out, "hosts", t.hosts, host_json);
    write_array(out, "programs", t.programs, program_json);
    write_key(out, "expectations_met", t.expectations_met);
    write_key(out, "failures", t.failures);
    write_key(out, "warnings", t.warnings);
    write_array(out, "translations", t.translations, [&t](const Trace::Translation& tr) {
        return Json{{"step", tr.step}, {"lang", tr.lang}, {"text", t.str(tr.text)}};
    });
    auto ask_text = [&t](const Trace::AskText& a) {
        Json j{{"en", t.str(a.en)}};
        if (a.fr != kNone) j["fr"] = t.str(a.fr);
        if (a.it != kNone) j["it"] = t.str(a.it);
        return j;
    };
    write_array(out, "asks", t.asks, [&t, &ask_text](const Trace::Ask& a) {
        Json j{{"step", a.step}};
        Json choices = Json::array();
        for (const Trace::AskText& c : a.choices) choices.push_back(ask_text(c));
        j["choices"] = std::move(choices);
        j["answer"] = a.answer;
        if (a.explain.en != kNone) j["explain"] = ask_text(a.explain);
        if (a.about != kNone) {
            j["about"] = t.str(a.about);
            j["host"] = a.host;
            if (a.socket != 0) j["socket"] = a.socket;
        }
        if (a.where != kNone) j["where"] = t.str(a.where);
        return j;
    });
    write_key(out, "end_time_ns", t.end_time.ns);
    write_array(out, "events", t.events, [&t](const TraceEvent& e) { return event_json(t, e); });
    write_array(out, "packets", t.packets, packet_json);
    write_array(out, "mac_seen", t.mac_seen, mac_seen_json);
    write_histories(out, t.sockets);
    out << "\n}\n";
}

Trace read_json(std::istream& in) {
    Json root = parse_document(in);
    check_format(root);
    Trace t;
    read_scenario(root, t);
    read_run(root, t);
    check_trace(t);
    return t;
}

void write_json_file(const Trace& trace, const std::string& path) {
    write_output(path, [&trace](const OutputFd& out) {
        write_stream(out, [&trace](std::ostream& stream) { write_json(trace, stream); });
    });
}

Trace read_json_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    return read_json(in);
}

}  // namespace netstep::sim
