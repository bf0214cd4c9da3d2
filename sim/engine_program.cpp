// A program actor: runs one scripted program's steps, each blocking like the real call.
//
// Every socket call goes to the host's stack, which answers Ok, WouldBlock or Error. On
// WouldBlock the program waits until its host's stack changes (a packet arrived, a timer fired,
// another program's call did something) or its timeout expires, then calls again with the same
// arguments (for send: the bytes not yet taken).
//
// Outcomes: a call with `expect:` that does not get what was expected records ExpectFailed and
// a failure, and the program stops there (its later steps would rely on what did not happen).
// Without `expect:`, an error ends the program ("error: ECONNREFUSED"); the others go on.
// `exit` ends it at once, as a normal end.
#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "sim/engine_text.hpp"
#include "sim/netstat.hpp"
#include "sim/engine_world.hpp"

namespace netstep::sim::engine {

namespace {

constexpr size_t kRecvChunk = 65536;

// A blocking call whose attempt changed its own host's stack is attempted again at once (a packet
// to the host's own address is handled inside the call); at most this many times in a row.
constexpr uint32_t kMaxImmediateRetries = 1000;

std::string err_text(Err e) { return "= " + std::string(to_string(e)); }

std::string_view how_text(step::Shutdown::How how) {
    switch (how) {
        case step::Shutdown::How::Read: return "read";
        case step::Shutdown::How::Write: return "write";
        case step::Shutdown::How::Both: return "both";
    }
    return "?";
}

std::span<const uint8_t> payload_span(const Payload& p) {
    return std::span(reinterpret_cast<const uint8_t*>(p.data.data()), p.data.size());
}

std::string payload_text(const Payload& p) {
    if (p.data.empty()) return fmt::format("{} bytes", p.filler);
    return quote_bytes(payload_span(p));
}

// The least piece of a filler send made at once (perform(step::Send)): more than an IPv4
// datagram can carry.
constexpr size_t kSendPiece = size_t(1) << 16;

Bytes payload_bytes(const Payload& p) {
    if (p.data.empty()) return filler_bytes(p.filler);
    return Bytes(p.data.begin(), p.data.end());
}

std::string expected_text(const std::optional<Err>& e) { return e ? std::string(to_string(*e)) : "ok"; }

// Runs the steps of one program (or of a forked child) on its host.
class ProgramRunner {
public:
    enum class Flow { Next, Stop };

    ProgramRunner(World& world, uint32_t program) : w_(world), program_(program) {}

    Flow run(const Steps& steps, size_t first = 0) {
        for (size_t i = first; i < steps.size(); ++i) {
            const Step& s = steps[i];
            if (halted()) return Flow::Stop;
            step_ = &s;
            p().step = &s;
            w_.turn_program = program_;
            Flow f = std::visit([&](const auto& body) { return perform(body); }, s.body);
            if (f == Flow::Stop) return f;
        }
        return Flow::Next;
    }

    // A command of a terminal: a program running it instead of steps (ping, tracert, nc).
    void run_command(const shell::Command& command) {
        Step local;
        local.where = p().where;
        const Step* saved = step_;
        step_ = &local;
        p().step = &local;
        w_.turn_program = program_;
        if (const auto* ping = std::get_if<step::Ping>(&command)) {
            local.body = *ping;
            local.expect = Expect{{std::nullopt, Err::NetUnreach, Err::HostUnreach, Err::TimedOut, Err::DestAddrReq}};
            perform(*ping);
        } else if (const auto* trace = std::get_if<step::Traceroute>(&command)) {
            local.body = *trace;
            local.expect = Expect{{std::nullopt, Err::NetUnreach, Err::HostUnreach, Err::TimedOut, Err::DestAddrReq}};
            perform(*trace);
        } else if (const auto* nc = std::get_if<shell::Netcat>(&command)) {
            perform(*nc);
        }
        step_ = saved;
        p().step = saved;
        if (p().interrupted) p().end_text = "interrupted (Ctrl-C)";
    }

    // A terminal whose lines have all been typed: it waits for more until the run ends (its
    // commands' ends wake it: it reads what was typed ahead).
    void await_input() { wait_typing_until(std::nullopt); }

private:
    ProgramRuntime& p() { return w_.programs_[program_]; }
    // The run is ending, or Ctrl-C interrupted this command: every wait returns, no verdict.
    bool halted() { return w_.stop || p().interrupted; }
    HostStack& stack() { return *w_.hosts_[p().host].stack; }
    Instant now() const { return w_.now(); }

    // --- Calling the stack -------------------------------------------------------------------

    // Calls `attempt` until it does not block (or `deadline` passes: EAGAIN), recording the
    // call: "connect(s, web:80) blocks" the first time it blocks, then "connect(s, web:80) = 0".
    // `describe` gives the text of a successful result; `event_socket` is the socket the Call
    // event is about (attempt may set it: socket() and accept() make a new one).
    template <class T, class Attempt, class Describe>
    CallResult<T> call(const std::string& text, const std::string& verb, SocketId& event_socket,
                       std::optional<Instant> deadline, Attempt attempt, Describe describe) {
        bool announced = false;
        uint32_t retries = 0;  // attempts again at once: the last one changed the stack
        for (;;) {
            uint32_t first = w_.next_step();
            StackOutput out;
            CallResult<T> r = attempt(out);
            if (r.would_block_now() && deadline && now() >= *deadline) r = CallResult<T>::error(Err::Again);
            if (!r.would_block_now()) {
                record_call(text, event_socket, r.is_error() ? err_text(r.err) : describe(r),
                            r.is_error() ? std::optional<Err>(r.err) : std::nullopt);
                // The stack's timers can only have moved if the call did something.
                if (w_.record_output(p().host, out, first, program_)) w_.reschedule_stack(p().host);
                w_.notify_host(p().host);
                return r;
            }
            if (!announced) {
                record_call(text, event_socket, "blocks", std::nullopt);
                announced = true;
            }
            if (w_.record_output(p().host, out, first, program_)) {
                w_.reschedule_stack(p().host);
                w_.notify_host(p().host);
                // A packet to the host's own address was delivered inside this call (a RST,
                // a SYN+ACK): the call may complete now, and no later wake-up would tell us.
                if (++retries <= kMaxImmediateRetries) continue;
            }
            retries = 0;
            p().accept_on = verb == "accept" ? event_socket : 0;
            wait_for_change(deadline, text, verb);
            p().accept_on = 0;
            // Woken by the network, a send() or recv() runs a little later (profile
            // wakeup_latency): what arrives meanwhile is processed first.
            if ((verb == "send" || verb == "recv") && stack().profile().wakeup_latency.ns > 0 && !halted())
                sleep_until(now() + stack().profile().wakeup_latency);
            if (halted()) return CallResult<T>::error(Err::Again);
        }
    }

    void record_call(const std::string& text, SocketId socket, const std::string& result, std::optional<Err> err) {
        TraceEvent e;
        e.kind = EventKind::Call;
        e.host = p().host;
        e.program = program_;
        e.socket = socket;
        e.text = w_.intern(text);
        if (!result.empty()) e.text2 = w_.intern(result);  // exit() returns nothing
        e.err = err;
        if (socket != 0) {
            if (auto info = stack().socket_info(socket); info && info->remote) {
                e.tuple = FourTuple{info->local, *info->remote};
            }
        }
        w_.event(e);
    }

    // Blocks until the host's stack changes or the deadline comes.
    void wait_for_change(std::optional<Instant> deadline, const std::string& text, const std::string& verb) {
        HostRuntime& host = w_.hosts_[p().host];
        host.waiters.push_back(program_);
        if (deadline) w_.sched_.wake_at(p().actor, *deadline);
        p().blocked = true;
        p().blocked_call = text.substr(0, text.rfind(')') + 1);  // without " as conn"
        p().blocked_verb = verb;
        p().blocked_where = step_->where;
        w_.yield(p().actor);
        w_.turn_program = program_;
        p().blocked = false;
        auto& waiters = w_.hosts_[p().host].waiters;
        waiters.erase(std::remove(waiters.begin(), waiters.end(), program_), waiters.end());
    }

    void sleep_until(Instant t) {
        while (now() < t && !halted()) {
            w_.sched_.wake_at(p().actor, t);
            w_.yield(p().actor);
            w_.turn_program = program_;
        }
    }

    // The outcome of a call against the step's `expect:` (see the top of this file).
    Flow conclude(std::optional<Err> got, const std::string& what) {
        if (halted()) return Flow::Stop;  // the run is ending: no verdict on an interrupted call
        const Step& s = *step_;
        if (s.expect) {
            if (s.expect->allows(got)) return Flow::Next;
            std::string msg = fmt::format("{} returned {}, expected {}", what, expected_text(got), s.expect->to_string());
            return expectation_failed(msg);
        }
        if (got) {
            p().end_text = "error: " + std::string(to_string(*got));
            w_.fail(fmt::format("{}: {}: {} failed with {}", s.where.to_string(), p().name, what, to_string(*got)));
            return Flow::Stop;
        }
        return Flow::Next;
    }

    Flow expectation_failed(const std::string& msg) {
        TraceEvent e;
        e.kind = EventKind::ExpectFailed;
        e.host = p().host;
        e.program = program_;
        e.text = w_.intern(msg);
        w_.event(e);
        w_.fail(fmt::format("{}: {}: {}", step_->where.to_string(), p().name, msg));
        p().end_text = "stopped: expectation failed";
        return Flow::Stop;
    }

    SocketId socket_named(const std::string& name) {
        auto it = p().sockets.find(name);
        return it == p().sockets.end() ? 0 : it->second;
    }

    // "web:80": the address of that host the sender can reach directly (an interface on a
    // network they share), else its first address. "ip:port" as written. A peer_as name: the
    // address and port recvfrom remembered.
    std::optional<Endpoint> resolve(const Target& t) {
        if (!t.peer.empty()) {
            auto it = p().peers.find(t.peer);
            if (it == p().peers.end()) return std::nullopt;
            return it->second;
        }
        if (t.address) return Endpoint{*t.address, t.port};
        auto h = w_.host_index(t.host);
        if (!h) return std::nullopt;
        const Host& target = w_.scenario.hosts[*h];
        if (target.interfaces.empty()) return std::nullopt;
        const Host& me = w_.scenario.hosts[p().host];
        for (const Interface& theirs : target.interfaces) {
            for (const Interface& mine : me.interfaces) {
                if (mine.network == theirs.network) return Endpoint{theirs.ip, t.port};
            }
        }
        return Endpoint{target.interfaces.front().ip, t.port};
    }

    // A call that could not be made (an unknown socket or peer name): recorded with its error.
    template <class T = std::monostate>
    CallResult<T> refused(const std::string& text, Err err, const std::string& note) {
        SocketId none = 0;
        TraceEvent n;
        n.kind = EventKind::Note;
        n.host = p().host;
        n.program = program_;
        n.text = w_.intern(note);
        w_.event(n);
        return call<T>(text, "", none, std::nullopt, [&](StackOutput&) { return CallResult<T>::error(err); },
                       [](const CallResult<T>&) { return std::string(); });
    }

    static std::string zero(const CallResult<>&) { return "= 0"; }

    // --- Steps -------------------------------------------------------------------------------

    Flow perform(const step::Socket& s) {
        SocketType type = s.type == SocketKind::Tcp ? SocketType::Tcp : SocketType::Udp;
        std::string text = fmt::format("socket({}) as {}", s.type == SocketKind::Tcp ? "tcp" : "udp", s.as);
        SocketId id = 0;
        auto r = call<SocketId>(text, "socket", id, std::nullopt,
                                [&](StackOutput& out) {
                                    auto r = stack().socket(type, now(), out);
                                    if (r.is_ok()) id = r.value;
                                    return r;
                                },
                                [](const CallResult<SocketId>& r) { return "= " + std::to_string(r.value); });
        if (r.is_ok()) {
            p().sockets[s.as] = r.value;
            w_.hold(program_, r.value);
        }
        return conclude(r.is_error() ? std::optional(r.err) : std::nullopt, text);
    }

    Flow perform(const step::SetSockOpt& s) {
        SocketId id = socket_named(s.socket);
        if (s.reuseaddr) {
            std::string text = fmt::format("setsockopt({}, SO_REUSEADDR, {})", s.socket, *s.reuseaddr ? 1 : 0);
            auto r = call<std::monostate>(text, "setsockopt", id, std::nullopt,
                                          [&](StackOutput&) { return stack().set_reuseaddr(id, *s.reuseaddr); }, zero);
            if (conclude(r.is_error() ? std::optional(r.err) : std::nullopt, text) == Flow::Stop) return Flow::Stop;
        }
        if (s.linger) {
            std::string text = fmt::format("setsockopt({}, SO_LINGER, {{1, {}}})", s.socket, *s.linger);
            auto r = call<std::monostate>(text, "setsockopt", id, std::nullopt,
                                          [&](StackOutput&) { return stack().set_linger_zero(id, *s.linger == 0); }, zero);
            if (conclude(r.is_error() ? std::optional(r.err) : std::nullopt, text) == Flow::Stop) return Flow::Stop;
        }
        for (bool receive : {true, false}) {
            const std::optional<uint32_t>& v = receive ? s.rcvbuf : s.sndbuf;
            if (!v) continue;
            std::string text = fmt::format("setsockopt({}, {}, {})", s.socket, receive ? "SO_RCVBUF" : "SO_SNDBUF", *v);
            auto r = call<std::monostate>(text, "setsockopt", id, std::nullopt,
                                          [&](StackOutput&) { return stack().set_buffer(id, receive, *v); }, zero);
            if (conclude(r.is_error() ? std::optional(r.err) : std::nullopt, text) == Flow::Stop) return Flow::Stop;
        }
        return Flow::Next;
    }

    Flow perform(const step::Bind& s) {
        SocketId id = socket_named(s.socket);
        Endpoint local{s.ip.value_or(Ipv4Address::any()), s.port};
        std::string text = fmt::format("bind({}, {})", s.socket, local.to_string());
        auto r = call<std::monostate>(text, "bind", id, std::nullopt,
                                      [&](StackOutput& out) { return stack().bind(id, local, now(), out); }, zero);
        return conclude(r.is_error() ? std::optional(r.err) : std::nullopt, text);
    }

    Flow perform(const step::Listen& s) {
        SocketId id = socket_named(s.socket);
        std::string text = fmt::format("listen({}, {})", s.socket, s.backlog);
        auto r = call<std::monostate>(text, "listen", id, std::nullopt,
                                      [&](StackOutput& out) { return stack().listen(id, s.backlog, now(), out); }, zero);
        return conclude(r.is_error() ? std::optional(r.err) : std::nullopt, text);
    }

    Flow perform(const step::Accept& s) {
        SocketId listener = socket_named(s.socket);
        SocketId event_socket = listener;
        std::string text = fmt::format("accept({}) as {}", s.socket, s.as);
        auto r = call<SocketId>(
            text, "accept", event_socket, std::nullopt,
            [&](StackOutput& out) {
                auto r = stack().accept(listener, now(), out);
                if (r.is_ok()) event_socket = r.value;
                return r;
            },
            [&](const CallResult<SocketId>& r) {
                auto info = stack().socket_info(r.value);
                if (info && info->remote) return fmt::format("= {} from {}", r.value, info->remote->to_string());
                return fmt::format("= {}", r.value);
            });
        if (r.is_ok()) {
            p().sockets[s.as] = r.value;
            w_.hold(program_, r.value);
        }
        return conclude(r.is_error() ? std::optional(r.err) : std::nullopt, text);
    }

    Flow perform(const step::Connect& s) {
        SocketId id = socket_named(s.socket);
        std::string text = fmt::format("connect({}, {})", s.socket, s.to.text);
        std::optional<Endpoint> remote = resolve(s.to);
        if (!remote) {
            auto r = refused(text, Err::DestAddrReq, fmt::format("{}: no address known for {}", p().name, s.to.text));
            return conclude(r.err, text);
        }
        auto r = call<std::monostate>(text, "connect", id, std::nullopt,
                                      [&](StackOutput& out) { return stack().connect(id, *remote, now(), out); }, zero);
        return conclude(r.is_error() ? std::optional(r.err) : std::nullopt, text);
    }

    Flow perform(const step::Send& s) {
        SocketId id = socket_named(s.socket);
        std::string text = fmt::format("send({}, {})", s.socket, payload_text(s.payload));
        const size_t total = s.payload.size();
        size_t taken = 0;
        auto r = call<size_t>(
            text, "send", id, std::nullopt,
            [&](StackOutput& out) -> CallResult<size_t> {
                // A partial send is not an answer yet: the program's send() returns when all
                // its bytes are in the socket's buffer. Filler is made a piece at a time (100
                // programs blocked in a 64 MiB send hold no 6 GiB), a piece longer than the send
                // buffer (TCP takes from it what it takes from the whole, and sees more to come)
                // and than any datagram (UDP refuses it as it refuses the whole: EMSGSIZE).
                // A piece taken whole is followed at once by the next (a send buffer counted in
                // memory, profile snd_mem, may take more than send_buffer).
                size_t piece = std::max(kSendPiece, size_t(stack().profile().send_buffer) + 1);
                for (;;) {
                    size_t want = s.payload.data.empty() ? std::min(piece, total - taken) : total - taken;
                    auto r = s.payload.data.empty()
                                 ? stack().send(id, filler_bytes(want, taken), now(), out)
                                 : stack().send(id, payload_span(s.payload).subspan(taken), now(), out);
                    if (r.is_error()) return r;
                    if (r.is_ok()) taken += r.value;
                    if (taken == total) return CallResult<size_t>::ok(taken);
                    if (!r.is_ok() || r.value < want) return CallResult<size_t>::would_block();
                }
            },
            [](const CallResult<size_t>& r) { return "= " + std::to_string(r.value); });
        return conclude(r.is_error() ? std::optional(r.err) : std::nullopt, text);
    }

    Flow perform(const step::Recv& s) {
        SocketId id = socket_named(s.socket);
        std::string args = s.socket;
        if (s.bytes) args += fmt::format(", {} bytes", *s.bytes);
        if (s.timeout) args += fmt::format(", timeout {}", to_string(*s.timeout));
        std::string text = fmt::format("recv({})", args);
        std::optional<Instant> deadline;
        if (s.timeout) deadline = now() + *s.timeout;
        Bytes got;
        bool eof = false;
        auto r = call<size_t>(
            text, "recv", id, deadline,
            [&](StackOutput& out) -> CallResult<size_t> {
                size_t want = s.bytes ? *s.bytes - got.size() : kRecvChunk;
                auto r = stack().recv(id, want, now(), out);
                if (r.is_error()) return CallResult<size_t>::error(r.err);
                if (r.would_block_now()) return CallResult<size_t>::would_block();
                if (r.value.empty()) eof = true;
                got.insert(got.end(), r.value.begin(), r.value.end());
                // `bytes: N` waits for exactly N bytes, or EOF.
                if (s.bytes && got.size() < *s.bytes && !eof) return CallResult<size_t>::would_block();
                return CallResult<size_t>::ok(got.size());
            },
            [&](const CallResult<size_t>&) {
                if (got.empty()) return std::string("= 0 (EOF)");
                return fmt::format("= {} bytes {}{}", got.size(), quote_bytes(got), eof ? " then EOF" : "");
            });
        received_ = std::move(got);
        received_eof_ = eof;
        return conclude(r.is_error() ? std::optional(r.err) : std::nullopt, text);
    }

    Flow perform(const step::SendTo& s) {
        SocketId id = socket_named(s.socket);
        std::string text = fmt::format("sendto({}, {}, {})", s.socket, s.to.text, payload_text(s.payload));
        std::optional<Endpoint> to = resolve(s.to);
        if (!to) {
            auto r = refused(text, Err::DestAddrReq, fmt::format("{}: no address known for {}", p().name, s.to.text));
            return conclude(r.err, text);
        }
        Bytes data = payload_bytes(s.payload);
        auto r = call<size_t>(text, "sendto", id, std::nullopt,
                              [&](StackOutput& out) { return stack().sendto(id, data, *to, now(), out); },
                              [](const CallResult<size_t>& r) { return "= " + std::to_string(r.value); });
        return conclude(r.is_error() ? std::optional(r.err) : std::nullopt, text);
    }

    Flow perform(const step::RecvFrom& s) {
        SocketId id = socket_named(s.socket);
        std::string args = s.socket;
        if (s.timeout) args += fmt::format(", timeout {}", to_string(*s.timeout));
        std::string text = fmt::format("recvfrom({})", args);
        std::optional<Instant> deadline;
        if (s.timeout) deadline = now() + *s.timeout;
        auto r = call<Datagram>(text, "recvfrom", id, deadline,
                                [&](StackOutput& out) { return stack().recvfrom(id, now(), out); },
                                [](const CallResult<Datagram>& r) {
                                    return fmt::format("= {} bytes {} from {}", r.value.data.size(),
                                                       quote_bytes(r.value.data), r.value.from.to_string());
                                });
        if (r.is_ok()) received_ = r.value.data;
        if (r.is_ok() && !s.peer_as.empty()) p().peers[s.peer_as] = r.value.from;
        return conclude(r.is_error() ? std::optional(r.err) : std::nullopt, text);
    }

    Flow perform(const step::Shutdown& s) {
        SocketId id = socket_named(s.socket);
        std::string text = fmt::format("shutdown({}, {})", s.socket, how_text(s.how));
        ShutdownHow how = s.how == step::Shutdown::How::Read    ? ShutdownHow::Read
                          : s.how == step::Shutdown::How::Write ? ShutdownHow::Write
                                                                : ShutdownHow::Both;
        auto r = call<std::monostate>(text, "shutdown", id, std::nullopt,
                                      [&](StackOutput& out) { return stack().shutdown(id, how, now(), out); }, zero);
        return conclude(r.is_error() ? std::optional(r.err) : std::nullopt, text);
    }

    Flow perform(const step::Close& s) {
        SocketId id = socket_named(s.socket);
        std::string text = fmt::format("close({})", s.socket);
        auto r = call<std::monostate>(text, "close", id, std::nullopt,
                                      [&](StackOutput& out) { return stack().close(id, now(), out); }, zero);
        if (r.is_ok()) w_.let_go(program_, id);
        // The name still refers to the connection (expect_state after close).
        return conclude(r.is_error() ? std::optional(r.err) : std::nullopt, text);
    }

    Flow perform(const step::Sleep& s) {
        sleep_until(now() + s.duration);
        return halted() ? Flow::Stop : Flow::Next;
    }

    Flow perform(const step::Say& s) {
        w_.say(p().host, program_, s);
        return Flow::Next;
    }

    Flow perform(const step::Ask& a) {
        uint32_t about_host = p().host;
        SocketId socket = 0;
        if (!a.host.empty()) about_host = *w_.host_index(a.host);
        if (!a.socket.empty()) socket = socket_named(a.socket);
        w_.ask(p().host, program_, a, about_host, socket, p().step ? p().step->where : SourceLocation{});
        return Flow::Next;
    }

    Flow perform(const step::Ipconfig&) { return output(format_ipconfig(stack().interfaces())); }
    // `arp`: what `arp -a` prints in the profile's style (the terminal's `arp -a` too).
    // (net-tools prints nothing for an empty cache: no Output then.)
    Flow perform(const step::Arp&) {
        std::string text = arp_text(std::nullopt);
        return text.empty() ? Flow::Next : output(text);
    }
    // `mac_table: NETWORK`: the switch's MAC address table as a Cisco switch's `show mac
    // address-table` prints it (the host behind each port in parentheses).
    Flow perform(const step::MacTable& m) {
        return output(w_.mac_table_text(*w_.network_index(m.network)));
    }

    // At most Limits::max_netstat_rows rows, then how many more there were (4,000 sockets in a
    // loop would print gigabytes).
    Flow perform(const step::Netstat&) {
        NetstatTable table = netstat_table(stack().sockets(), netstat_style(w_.trace_.profile));
        size_t shown = w_.options.limits.max_netstat_rows;
        if (table.rows.size() <= shown) return output(format_netstat(table));
        size_t more = table.rows.size() - shown;
        table.rows.resize(shown);
        return output(format_netstat(table) +
                      fmt::format("\n... and {} more (Limits::max_netstat_rows: {} rows shown)", more, shown));
    }

    // The host's interfaces as ip, ifconfig and ipconfig /all show them: with their MAC addresses
    // when the link layer is on (`link: none`: none, and no MAC lines).
    std::vector<InterfaceConfig> shown_interfaces() {
        std::vector<InterfaceConfig> out = stack().interfaces();
        for (size_t i = 0; i < out.size(); ++i) {
            out[i].mac = w_.trace_.ethernet ? std::optional(stack().mac(i)) : std::nullopt;
        }
        return out;
    }

    // `arp -a` (and the `arp` step): the profile's arp, the entry of `only` alone if given.
    std::string arp_text(const std::optional<step::Destination>& only) {
        std::optional<Ipv4Address> address;
        if (only) address = destination(*only);
        // Entries that aged since the stack last ran (REACHABLE -> STALE, a textbook entry's
        // end) age now, as the kernel's timers would have done on time.
        if (auto aging = stack().aging_at(); aging && *aging <= w_.now()) {
            uint32_t first = w_.next_step();
            StackOutput out;
            stack().poll(w_.now(), out);
            if (w_.record_output(p().host, out, first, program_)) w_.reschedule_stack(p().host);
        }
        std::vector<ArpRow> rows = stack().arp_table();
        return format_arp(tool_style(), shown_interfaces(), rows, address);
    }

    // iproute2's answer for a device the host does not have (ll_name_to_index fails).
    static std::string no_device(const std::string& dev) { return fmt::format("Device \"{}\" does not exist.", dev); }

    // ip addr / ip link, of one device (`dev`) or all.
    template <class Format>
    std::string ip_text(const std::string& dev, Format format) {
        std::vector<InterfaceConfig> interfaces = shown_interfaces();
        if (!dev.empty() && !linux_interface_exists(dev, interfaces.size())) return no_device(dev);
        return format(interfaces, dev);
    }

    Flow output(const std::string& text) {
        TraceEvent e;
        e.kind = EventKind::Output;
        e.host = p().host;
        e.program = program_;
        e.text = w_.intern(text);
        w_.event(e);
        return Flow::Next;
    }

    Flow perform(const step::ExpectState& s) {
        SocketId id = socket_named(s.socket);
        // (A plain value and a flag: GCC 12 warns of an optional<TcpState> read here, wrongly.)
        TcpState state = TcpState::Closed;
        bool known = false;
        if (std::optional<TcpState> st = id ? stack().state_of(id) : std::nullopt) {
            state = *st;
            known = true;
        }
        std::string got = known ? std::string(to_string(state)) : "no TCP socket";
        std::string text = fmt::format("expect_state({}, {})", s.socket, to_string(s.state));
        record_call(text, id, "= " + got, std::nullopt);
        if (known && state == s.state) return Flow::Next;
        return expectation_failed(fmt::format("{}: the socket is {}", text, got));
    }

    // --- ping and traceroute ------------------------------------------------------------------

    ToolStyle tool_style(step::Tool tool = step::Tool::Profile) const {
        if (tool == step::Tool::Windows) return ToolStyle::Windows;
        if (tool == step::Tool::Linux) return ToolStyle::Linux;
        return sim::tool_style(w_.trace_.profile);
    }

    // The destination's address, as resolve() finds a host's (an interface on a shared network
    // first); its name as written (empty for an address).
    std::optional<Ipv4Address> destination(const step::Destination& d) {
        if (d.address) return d.address;
        Target t;
        t.host = d.host;
        auto e = resolve(t);
        if (!e) return std::nullopt;
        return e->address;
    }

    // The scenario's name for an address (what a reverse lookup would say), or empty.
    std::string host_named(Ipv4Address a) const {
        for (const Host& h : w_.scenario.hosts)
            for (const Interface& i : h.interfaces)
                if (i.ip == a) return h.name;
        return "";
    }

    // What one probe of ping or traceroute gave: the error sending it, or its answer, if any.
    struct Probe {
        std::optional<Err> send_error;
        ProbeOutcome outcome;
    };
    // Sends a probe (`send`: its error, if any), then waits for its answer: `answer` gives it,
    // or nothing yet (it reads and drops, itself, answers about earlier probes); nothing after
    // `timeout`. Each probe in the trace as its own call: the packets it sent, then the wait.
    template <class Send, class Answer>
    Probe send_probe(Send send, Answer answer, Duration timeout, const std::string& text, const char* verb) {
        uint32_t first = w_.next_step();
        StackOutput out;
        std::optional<Err> err = send(out);
        if (w_.record_output(p().host, out, first, program_)) w_.reschedule_stack(p().host);
        w_.notify_host(p().host);
        if (err) return Probe{err, {}};
        const Instant sent = now();
        const Instant deadline = sent + timeout;
        for (;;) {
            if (std::optional<PingAnswer> a = answer()) return Probe{std::nullopt, ProbeOutcome{*a, now() - sent}};
            if (now() >= deadline || halted()) return Probe{};
            wait_for_change(deadline, text, verb);
        }
    }

    // One echo request, then its answer (the one with its sequence number; another, late, is
    // read and dropped, as ping does) or nothing after `timeout`.
    Probe probe(PingSocketId id, Ipv4Address to, uint16_t sequence, uint8_t ttl, const Bytes& data,
                Duration timeout, const std::string& text) {
        auto send = [&](StackOutput& out) -> std::optional<Err> {
            auto r = stack().ping_send(id, to, sequence, ttl, data, now(), out);
            return r.is_error() ? std::optional(r.err) : std::nullopt;
        };
        auto answer = [&]() -> std::optional<PingAnswer> {
            for (auto a = stack().ping_recv(id); a.is_ok(); a = stack().ping_recv(id)) {
                if (a.value.sequence == sequence) return a.value;
                if (late_answer_) late_answer_(a.value);
            }
            return std::nullopt;
        };
        return send_probe(send, answer, timeout, text, "ping");
    }

    // What ping and traceroute return for `expect:`: ok when the destination answered; else the
    // error the last ICMP report means (Linux icmp_err_convert: net unreachable ENETUNREACH, host
    // unreachable and time exceeded EHOSTUNREACH), or ETIMEDOUT when nothing came back.
    static std::optional<Err> probe_result(const std::vector<ProbeOutcome>& probes) {
        std::optional<Err> err = Err::TimedOut;
        for (const ProbeOutcome& p : probes) {
            if (!p.answer) continue;
            if (p.answer->kind == PingAnswer::Kind::EchoReply) return std::nullopt;
            err = p.answer->kind == PingAnswer::Kind::Unreachable && p.answer->code == icmp_code::NET_UNREACHABLE
                      ? Err::NetUnreach
                      : Err::HostUnreach;
        }
        return err;
    }

    // The data of an echo request: Windows sends 32 letters; iputils 56 bytes, a timestamp
    // (struct timeval, 16 bytes) then 0x10, 0x11, ...
    Bytes echo_data(ToolStyle style, size_t size) const {
        if (style == ToolStyle::Windows) {
            static constexpr std::string_view kWindows = "abcdefghijklmnopqrstuvw";
            Bytes b(size);
            for (size_t i = 0; i < size; ++i) b[i] = uint8_t(kWindows[i % kWindows.size()]);
            return b;
        }
        Bytes b(size);
        int64_t sec = now().ns / 1'000'000'000, usec = (now().ns / 1000) % 1'000'000;
        for (size_t i = 0; i < size; ++i) {
            if (i < 8) b[i] = uint8_t(uint64_t(sec) >> (8 * i));
            else if (i < 16) b[i] = uint8_t(uint64_t(usec) >> (8 * (i - 8)));
            else b[i] = uint8_t(i);
        }
        return b;
    }

    Flow perform(const step::Ping& s) {
        const ToolStyle style = tool_style(s.tool);
        const std::string what = "ping " + s.to.text;
        auto to = destination(s.to);
        if (!to) return conclude(Err::DestAddrReq, what);
        const size_t size = style == ToolStyle::Windows ? 32 : 56;
        auto open = stack().ping_open();
        if (open.is_error()) return conclude(open.err, what);
        const PingSocketId id = open.value;
        output(ping_header(style, s.to.host, *to, size));
        std::vector<ProbeOutcome> probes;
        std::vector<Instant> sent_at;
        std::optional<Err> send_error;
        const Instant start = now();
        // iputils prints an answer to an earlier request when it comes (ping_common.c reads every
        // reply and error as it arrives): the ICMP host unreachable for requests that waited in
        // the neighbour queue while ARP failed ("From 192.168.1.10 icmp_seq=1 Destination Host
        // Unreachable", several at once). Windows' ping waits for each reply alone: a late one
        // is dropped.
        if (style == ToolStyle::Linux) {
            late_answer_ = [&](const PingAnswer& a) {
                if (a.sequence == 0 || a.sequence > probes.size() || probes[a.sequence - 1].answer) return;
                ProbeOutcome& o = probes[a.sequence - 1];
                o = ProbeOutcome{a, now() - sent_at[a.sequence - 1]};
                std::string line = ping_line(style, a.sequence, o, size);
                if (!line.empty()) output(line);
            };
        }
        struct Forget {
            std::function<void(const PingAnswer&)>& f;
            ~Forget() { f = nullptr; }
        } forget{late_answer_};
        for (uint32_t i = 0; i < s.count && !halted(); ++i) {
            const Instant sent = now();
            sent_at.push_back(sent);
            auto seq = uint16_t(i + 1);
            // iputils sends a request every interval whatever came back, and waits `timeout` (-W)
            // after the last one; Windows waits for each reply (or its timeout) before the next.
            Duration wait = style == ToolStyle::Linux && i + 1 < s.count ? std::min(s.timeout, s.interval) : s.timeout;
            Probe pr = probe(id, *to, seq, s.ttl.value_or(stack().profile().ttl), echo_data(style, size), wait,
                             "ping(" + s.to.text + ")");
            if (pr.send_error) {
                send_error = pr.send_error;
                // iputils stops at once ("ping: connect: Network is unreachable"); Windows tries
                // every request: "PING: transmit failed. General failure."
                if (style == ToolStyle::Linux) {
                    output(fmt::format("ping: connect: {}", *pr.send_error == Err::NetUnreach ? "Network is unreachable"
                                                                                              : to_string(*pr.send_error)));
                    stack().ping_close(id);
                    return conclude(send_error, what);
                }
                output("PING: transmit failed. General failure.");
            }
            probes.push_back(pr.outcome);
            if (!pr.send_error) {
                std::string line = ping_line(style, seq, pr.outcome, size);
                if (!line.empty()) output(line);
            }
            if (i + 1 < s.count) sleep_until(std::max(now(), sent + s.interval));
        }
        stack().ping_close(id);
        if (w_.stop) return Flow::Stop;
        // Ctrl-C: Windows' ping prints its statistics then "Control-C"; iputils its statistics.
        output(ping_statistics(style, s.to.host, *to, probes, now() - start));
        if (p().interrupted && style == ToolStyle::Windows) output("Control-C\n^C");
        return conclude(send_error ? send_error : probe_result(probes), what);
    }

    // One UDP probe of Linux's traceroute: a datagram to `port` with IP TTL `ttl`, then the ICMP
    // error about it from the socket's error queue (IP_RECVERR; the quoted destination port tells
    // which probe it is about), or nothing after `timeout`.
    Probe udp_probe(SocketId sock, Ipv4Address to, uint16_t port, uint8_t ttl, const Bytes& data, Duration timeout,
                    const std::string& text) {
        auto send = [&](StackOutput& out) -> std::optional<Err> {
            stack().set_ttl(sock, ttl);
            auto r = stack().sendto(sock, data, Endpoint{to, port}, now(), out);
            return r.is_error() ? std::optional(r.err) : std::nullopt;
        };
        auto answer = [&]() -> std::optional<PingAnswer> {
            for (auto e = stack().recv_error(sock); e.is_ok(); e = stack().recv_error(sock)) {
                if (e.value.quoted_dst.port != port) continue;  // about an earlier probe: late
                PingAnswer a;
                a.kind = e.value.type == icmp_type::TIME_EXCEEDED ? PingAnswer::Kind::TimeExceeded
                                                                  : PingAnswer::Kind::Unreachable;
                a.from = e.value.from;
                a.ttl = e.value.ttl;
                a.code = e.value.code;
                return a;
            }
            return std::nullopt;
        };
        return send_probe(send, answer, timeout, text, "traceroute");
    }

    // tracert (textbook): ICMP echo probes. traceroute (linux): UDP probes to ports 33434,
    // 33435..., as Linux's traceroute does by default; the destination answers port unreachable.
    Flow perform(const step::Traceroute& s) {
        const ToolStyle style = tool_style(s.tool);
        const std::string what = "traceroute " + s.to.text;
        const std::string text = "traceroute(" + s.to.text + ")";
        auto to = destination(s.to);
        if (!to) return conclude(Err::DestAddrReq, what);
        // tracert: 64 bytes of zeros in each echo request; traceroute: 60-byte packets (32 bytes
        // of data, 0x40, 0x41...).
        const size_t size = style == ToolStyle::Windows ? 64 : 32;
        Bytes data(size, 0);
        if (style == ToolStyle::Linux)
            for (size_t i = 0; i < size; ++i) data[i] = uint8_t(0x40 + (i & 0x3f));
        PingSocketId ping = 0;
        SocketId udp = 0;
        if (style == ToolStyle::Windows) {
            auto open = stack().ping_open();
            if (open.is_error()) return conclude(open.err, what);
            ping = open.value;
        } else {
            uint32_t first = w_.next_step();
            StackOutput out;
            auto open = stack().socket(SocketType::Udp, now(), out);
            if (w_.record_output(p().host, out, first, program_)) w_.reschedule_stack(p().host);
            if (open.is_error()) return conclude(open.err, what);
            udp = open.value;
            stack().set_recverr(udp, true);
        }
        auto close = [&] {
            if (style == ToolStyle::Windows) {
                stack().ping_close(ping);
                return;
            }
            if (w_.stop) return;  // the run is ending: an interrupted program closes nothing
            uint32_t first = w_.next_step();
            StackOutput out;
            stack().close(udp, now(), out);
            if (w_.record_output(p().host, out, first, program_)) w_.reschedule_stack(p().host);
        };
        output(traceroute_header(style, s.to.host, *to, s.max_hops, size + 28));
        constexpr int kProbesPerHop = 3;
        constexpr uint16_t kFirstPort = 33434;
        uint16_t seq = 0;
        std::vector<ProbeOutcome> all;
        // The destination answered: an echo reply (ICMP probes) or port unreachable (UDP probes).
        auto arrived = [&](const PingAnswer& a) {
            return a.kind == PingAnswer::Kind::EchoReply ||
                   (a.kind == PingAnswer::Kind::Unreachable && a.code == icmp_code::PORT_UNREACHABLE && a.from == *to);
        };
        bool done = false;
        for (uint32_t hop = 1; hop <= s.max_hops && !done && !halted(); ++hop) {
            std::vector<ProbeOutcome> probes;
            for (int k = 0; k < kProbesPerHop && !halted(); ++k) {
                ++seq;
                Probe pr = style == ToolStyle::Windows
                               ? probe(ping, *to, seq, uint8_t(hop), data, s.timeout, text)
                               : udp_probe(udp, *to, uint16_t(kFirstPort + seq - 1), uint8_t(hop), data, s.timeout, text);
                if (pr.send_error) {
                    close();
                    output(style == ToolStyle::Windows ? "Unable to contact IP driver. General failure."
                                                       : fmt::format("connect: {}", pr.send_error == Err::NetUnreach
                                                                                        ? "Network is unreachable"
                                                                                        : to_string(*pr.send_error)));
                    return conclude(pr.send_error, what);
                }
                probes.push_back(pr.outcome);
                // tracert stops at the first report of unreachable.
                if (pr.outcome.answer && pr.outcome.answer->kind == PingAnswer::Kind::Unreachable &&
                    style == ToolStyle::Windows)
                    break;
            }
            if (halted()) break;
            std::string name;
            for (const ProbeOutcome& p : probes) {
                if (!p.answer) continue;
                if (name.empty()) name = host_named(p.answer->from);
                if (p.answer->kind != PingAnswer::Kind::TimeExceeded) done = true;
            }
            output(traceroute_line(style, hop, probes, name));
            all.insert(all.end(), probes.begin(), probes.end());
        }
        close();
        if (halted()) return Flow::Stop;
        if (style == ToolStyle::Windows) output("\nTrace complete.");
        // ok: the destination answered; else the last unreachable report's error, or ETIMEDOUT.
        std::optional<Err> result = Err::TimedOut;
        for (const ProbeOutcome& p : all) {
            if (!p.answer) continue;
            if (arrived(*p.answer)) result = std::nullopt;
            else if (p.answer->kind == PingAnswer::Kind::Unreachable) result = probe_result({p});
        }
        return conclude(result, what);
    }

    // Every round of a loop must make progress: a program whose loops (any, at any depth) go
    // round Limits::max_idle_rounds times in a row without simulated time passing or anything
    // recorded would spin in one turn: the run stops there.
    Flow perform(const step::Repeat& s) {
        const Step* self = step_;
        if (s.times) {
            for (uint64_t i = 0; i < *s.times; ++i) {
                if (run(*s.steps) == Flow::Stop) return Flow::Stop;
                if (!round_made_progress(*self)) return Flow::Stop;
            }
            return Flow::Next;
        }
        // forever: a server loop; it ends when every other program has ended.
        enter_forever();
        while (!w_.others_done() && !w_.stop) {
            if (run(*s.steps) == Flow::Stop || !round_made_progress(*self)) {
                leave_forever();
                return Flow::Stop;
            }
        }
        leave_forever();
        return w_.stop ? Flow::Stop : Flow::Next;
    }

    // Counts a round of `repeat` that did nothing; false (the run stops) past the limit.
    bool round_made_progress(const Step& repeat) {
        ProgramRuntime& prog = p();
        size_t events = w_.trace_.events.size();
        if (events != prog.idle_events || now() != prog.idle_since) {
            prog.idle_events = events;
            prog.idle_since = now();
            prog.idle_rounds = 0;
            return true;
        }
        uint64_t limit = w_.options.limits.max_idle_rounds;
        if (++prog.idle_rounds < limit) return true;
        if (!w_.stop) {
            w_.limit_message = fmt::format("{}: the run was stopped: {}'s loops went round {} times in a row "
                                           "without simulated time passing or anything recorded "
                                           "(Limits::max_idle_rounds)",
                                           repeat.where.to_string(), prog.name, limit);
            w_.stop = true;
        }
        return false;
    }

    void enter_forever() {
        if (p().forever_depth++ == 0) --w_.live_finite;
    }
    void leave_forever() {
        if (--p().forever_depth == 0) ++w_.live_finite;
    }

    Flow perform(const step::Fork& s) {
        // A fork bomb (repeat forever: fork) ends the run with a clear message, not out of memory.
        // (Each running program has a SimGrid actor with its own stack and guard page: Linux
        // allows about 32000 such actors per process, vm.max_map_count.)
        const Limits& limits = w_.options.limits;
        size_t forks = w_.trace_.programs.size() - w_.scenario.programs.size();
        if (w_.trace_.programs.size() >= limits.max_programs || forks >= limits.max_forks) {
            w_.stop_for_limit(fmt::format("fork() would make more than {} programs (Limits::max_programs, "
                                          "Limits::max_forks)",
                                          std::min(limits.max_programs, w_.scenario.programs.size() + limits.max_forks)),
                              program_);
            return Flow::Stop;
        }
        uint32_t child = w_.fork_program(program_, s.steps.get());
        record_call("fork()", 0, "= " + w_.trace_.programs[child].name, std::nullopt);
        return Flow::Next;
    }

    // exit(): the program ends here, as a process calling exit() (or crashing); inside a fork's
    // steps, the child. Its OS closes its sockets (World::close_at_exit); a normal end for check.

    // --- A terminal ---------------------------------------------------------------------------
    // A terminal program's `type` steps are what a person types; its shell reads each line at
    // its prompt and runs it: a command that prints at once (ipconfig, netstat), a Berkeley call
    // on the shell's own sockets, or a command that runs on (ping, tracert, nc) as a child
    // program, which then owns the terminal until it ends; lines typed meanwhile go to its input
    // when it reads it (nc), else they wait for the prompt (typed ahead).

    ToolStyle terminal_style() const { return tool_style(); }
    std::string prompt_text() const {
        return terminal_prompt(terminal_style(), w_.scenario.hosts[w_.programs_[program_].host].name);
    }

    void input_event(const std::string& text, bool at_prompt) {
        TraceEvent e;
        e.kind = EventKind::Input;
        e.host = p().host;
        e.program = program_;
        e.text = w_.intern(text);
        if (at_prompt) e.text2 = w_.intern(prompt_text());
        w_.event(e);
    }

    Flow perform(const step::Type& t) {
        if (t.at) wait_typing_until(Instant::zero() + *t.at);
        if (halted()) return Flow::Stop;
        if (!p().terminal) {
            p().terminal = true;
            w_.prompt(program_);
        }
        drain_typeahead();
        uint32_t job = p().job;
        bool to_command = job != kNone && w_.programs_[job].reads_input;
        switch (t.key) {
            case step::Type::Key::CtrlC:
                input_event("^C", job == kNone);
                p().typeahead.clear();  // the line discipline flushes its input (ISIG, no NOFLSH)
                if (job != kNone) w_.interrupt(job);  // its end shows the prompt
                else w_.prompt(program_);             // cmd and bash: a new prompt
                return Flow::Next;
            case step::Type::Key::CtrlD:
                input_event("^D", job == kNone);
                if (to_command) {
                    w_.programs_[job].input_eof = true;
                    w_.sched_.wake_at(w_.programs_[job].actor, now());
                } else if (job == kNone) {
                    w_.prompt(program_);  // at the prompt (bash would log out): the terminal stays, a new prompt
                }
                return Flow::Next;
            case step::Type::Key::Line: break;
        }
        if (to_command) {
            input_event(t.line, false);
            w_.programs_[job].input.push_back(t.line);
            w_.sched_.wake_at(w_.programs_[job].actor, now());
            return Flow::Next;
        }
        if (job != kNone) {  // typed ahead while a command runs that does not read: read at the next prompt
            p().typeahead.push_back(t.line);
            return Flow::Next;
        }
        input_event(t.line, true);
        return run_line(t.line);
    }

    // Lines typed ahead, run once the terminal is back at its prompt (until one starts a command).
    void drain_typeahead() {
        while (p().job == kNone && !p().typeahead.empty() && !halted()) {
            std::string line = std::move(p().typeahead.front());
            p().typeahead.pop_front();
            input_event(line, true);
            run_line(line);
        }
    }

    // A terminal waiting for its next line (until `at`, or for good): each time its command ends
    // it reads what was typed ahead.
    void wait_typing_until(std::optional<Instant> at) {
        for (;;) {
            drain_typeahead();
            if (halted() || w_.shutting_down || (at && now() >= *at)) return;
            if (at) w_.sched_.wake_at(p().actor, *at);
            p().blocked = true;
            p().blocked_call = "read(stdin)";
            p().blocked_verb = "read";
            w_.yield(p().actor);
            w_.turn_program = program_;
            p().blocked = false;
        }
    }

    Flow run_line(const std::string& line) {
        shell::Parsed parsed = shell::parse_command(line, w_.scenario, terminal_style());
        if (!parsed.error.empty()) output(parsed.error);
        if (!parsed.command) {
            w_.prompt(program_);
            return Flow::Next;
        }
        const shell::Command& c = *parsed.command;
        if (std::holds_alternative<step::Ping>(c) || std::holds_alternative<step::Traceroute>(c) ||
            std::holds_alternative<shell::Netcat>(c)) {
            uint32_t job = w_.fork_program(program_, &w_.command_steps_.emplace_back());
            ProgramRuntime& j = w_.programs_[job];
            j.shell = program_;
            j.command = std::make_shared<const shell::Command>(c);
            j.reads_input = std::holds_alternative<shell::Netcat>(c);
            j.where = step_->where;
            j.name = parsed.name;
            w_.trace_.programs[job].name = parsed.name;
            p().job = job;
            return Flow::Next;
        }
        if (const auto* call = std::get_if<shell::Call>(&c)) {
            std::optional<CallOutcome> got = call_step(call->step.body);
            if (got) output(got->err ? "= -1 " + errno_text(*got->err) : got->result);
        } else if (std::holds_alternative<shell::Help>(c)) {
            output(shell_help(terminal_style()));
        } else if (std::holds_alternative<shell::Clear>(c)) {
            output("\f");
        } else if (const auto* show = std::get_if<shell::ShowConfig>(&c)) {
            const Host& host = w_.scenario.hosts[p().host];
            switch (show->form) {
                case shell::ShowConfig::Form::Ipconfig: output(format_ipconfig(stack().interfaces())); break;
                case shell::ShowConfig::Form::IpconfigAll:
                    output(format_ipconfig_all(host.name, shown_interfaces(), host.forwarding));
                    break;
                case shell::ShowConfig::Form::IpAddr: output(ip_text(show->dev, format_ip_addr)); break;
                case shell::ShowConfig::Form::IpLink: output(ip_text(show->dev, format_ip_link)); break;
                case shell::ShowConfig::Form::Ifconfig: output(format_ifconfig(shown_interfaces())); break;
            }
        } else if (const auto* neigh = std::get_if<shell::ShowNeighbours>(&c)) {
            std::string text;
            switch (neigh->form) {
                case shell::ShowNeighbours::Form::ArpA: text = arp_text(neigh->only); break;
                case shell::ShowNeighbours::Form::ArpTable: {
                    std::optional<Ipv4Address> only;
                    if (neigh->only) only = destination(*neigh->only);
                    text = format_arp_table(stack().arp_table(), only);
                    break;
                }
                case shell::ShowNeighbours::Form::IpNeigh:
                    text = linux_interface_exists(neigh->dev, stack().interfaces().size()) || neigh->dev.empty()
                               ? format_ip_neigh(stack().arp_table(), neigh->dev)
                               : no_device(neigh->dev);
                    break;
            }
            if (!text.empty()) output(text);  // an empty cache: net-tools and ip print nothing
        } else if (const auto* show = std::get_if<shell::ShowSockets>(&c)) {
            std::map<SocketId, std::string> holders;
            for (const ProgramRuntime& prog : w_.programs_) {
                if (prog.host != p().host || prog.finished) continue;
                for (SocketId id : prog.held) holders.emplace(id, prog.name);
            }
            output(format_netstat(stack().sockets(), terminal_style(), show->ss, show->options, holders));
        }
        if (halted()) return Flow::Stop;
        w_.prompt(program_);
        return Flow::Next;
    }

    // A step made from a typed command, run as the program's own: where the line was typed, and
    // any outcome allowed (a command's error is printed, never a failure of the scenario).
    struct CallOutcome {
        std::optional<Err> err;
        std::string result;  // as the trace prints it: "= 0", "= 5 bytes \"hello\""
    };
    std::optional<CallOutcome> call_step(StepBody body) {
        Step local;
        local.body = std::move(body);
        local.where = step_ ? step_->where : p().where;
        Expect any;
        any.any_of.push_back(std::nullopt);
        for (int e = 0; e <= int(Err::MFile); ++e) any.any_of.push_back(Err(e));
        local.expect = any;
        const Step* saved = step_;
        step_ = &local;
        p().step = &local;
        const uint32_t first = w_.next_step();
        std::visit([&](const auto& b) { return perform(b); }, local.body);
        step_ = saved;
        p().step = saved;
        for (uint32_t i = w_.next_step(); i-- > first;) {
            const TraceEvent& e = w_.trace_.events[i];
            if (e.kind != EventKind::Call || e.program != program_) continue;
            const std::string& result = w_.trace_.str(e.text2);
            if (result == "blocks") continue;
            return CallOutcome{e.err, result};
        }
        return std::nullopt;
    }

    // nc: OpenBSD netcat. A client connects; a server (-l) accepts one connection and closes its
    // listener; -u sends datagrams (a server answers the first sender). Then each line typed is
    // sent with its newline, what arrives is printed, Ctrl-D shuts the sending side (as nc -N)
    // and nc ends when the peer has closed; Ctrl-C ends it at once (its OS closes the socket).
    Flow perform(const shell::Netcat& nc) {
        const SocketKind kind = nc.udp ? SocketKind::Udp : SocketKind::Tcp;
        const char* proto = nc.udp ? "udp" : "tcp";
        std::string sock = "s";
        auto failed = [&](const std::optional<CallOutcome>& got) { return !got || got->err; };
        if (failed(call_step(step::Socket{sock, kind}))) return Flow::Next;
        if (nc.listen) {
            call_step(step::SetSockOpt{sock, true, std::nullopt, std::nullopt, std::nullopt});
            if (auto got = call_step(step::Bind{sock, nc.port, std::nullopt}); failed(got)) {
                if (got && got->err) output(fmt::format("nc: {}", errno_message(*got->err)));
                return Flow::Next;
            }
            if (nc.udp) {
                step::RecvFrom first{sock, std::nullopt, "peer"};
                auto got = call_step(first);
                if (failed(got)) return Flow::Next;
                print_received();
                Target peer;
                peer.peer = "peer";
                peer.text = "peer";
                call_step(step::Connect{sock, peer});
            } else {
                if (failed(call_step(step::Listen{sock, 1}))) return Flow::Next;
                if (failed(call_step(step::Accept{sock, "conn"}))) return Flow::Next;
                call_step(step::Close{sock});
                sock = "conn";
            }
        } else {
            Target to;
            to.host = nc.to.host;
            to.address = nc.to.address;
            to.port = nc.port;
            to.text = fmt::format("{}:{}", nc.to.text, nc.port);
            auto got = call_step(step::Connect{sock, to});
            if (failed(got)) {
                if (got && got->err && !halted()) {
                    output(fmt::format("nc: connect to {} port {} ({}) failed: {}", nc.to.text, nc.port, proto,
                                       errno_message(*got->err)));
                }
                return Flow::Next;
            }
        }
        bool shut = false;
        while (!halted()) {
            if (!p().input.empty()) {
                Payload line;
                line.data = p().input.front() + "\n";
                p().input.pop_front();
                if (failed(call_step(step::Send{sock, line}))) break;
                continue;
            }
            if (p().input_eof && !shut) {
                if (nc.udp) break;
                call_step(step::Shutdown{sock, step::Shutdown::How::Write});
                shut = true;
                continue;
            }
            if (readable(socket_named(sock), nc.udp)) {
                auto got = call_step(nc.udp ? StepBody(step::Recv{sock, std::nullopt, std::nullopt})
                                            : StepBody(step::Recv{sock, std::nullopt, std::nullopt}));
                if (failed(got)) break;
                print_received();
                if (received_eof_) break;
                continue;
            }
            p().blocked_where = step_ ? step_->where : p().where;
            HostRuntime& host = w_.hosts_[p().host];
            host.waiters.push_back(program_);
            p().blocked = true;
            p().blocked_call = "poll(stdin, " + sock + ")";
            p().blocked_verb = "poll";
            w_.yield(p().actor);
            w_.turn_program = program_;
            p().blocked = false;
            std::erase(w_.hosts_[p().host].waiters, program_);
        }
        if (!halted()) call_step(step::Close{sock});
        return Flow::Next;
    }

    // What recv or recvfrom read, printed as nc prints it: the bytes as they are (a line break
    // ends a line; a carriage return and other control characters are not shown).
    void print_received() {
        std::string text;
        for (uint8_t b : received_) {
            if (b == '\n' || b == '\t' || b >= 0x20) text += char(b);
        }
        received_.clear();
        if (!text.empty() && text.back() == '\n') text.pop_back();
        if (!text.empty()) output(text);
    }

    // Data to read, the peer's FIN or an error: recv will not block.
    bool readable(SocketId id, bool udp) {
        auto info = id ? stack().socket_info(id) : std::nullopt;
        if (!info) return true;  // gone: recv says why
        if (info->recv_queued > 0) return true;
        // A connected UDP socket's ICMP port unreachable: the next read fails with ECONNREFUSED
        // (Linux ip_icmp_error, sk_err) and nc ends.
        if (udp) return stack().socket_error(id).has_value();
        if (!info->state) return false;
        switch (*info->state) {
            case TcpState::SynSent:
            case TcpState::SynReceived:
            case TcpState::Established:
            case TcpState::FinWait1:
            case TcpState::FinWait2: return false;
            default: return true;
        }
    }

    static std::string errno_message(Err e) {
        std::string text = errno_text(e);  // "ECONNREFUSED (Connection refused)"
        size_t open = text.find('(');
        if (open == std::string::npos || text.back() != ')') return text;
        return text.substr(open + 1, text.size() - open - 2);
    }

    Bytes received_;
    bool received_eof_ = false;

public:

    Flow perform(const step::Exit& s) {
        record_call(s.code ? fmt::format("exit({})", *s.code) : "exit()", 0, "", std::nullopt);
        if (s.code.value_or(0) != 0) p().end_text = fmt::format("exit status {}", *s.code);
        return Flow::Stop;
    }

    World& w_;
    uint32_t program_;
    const Step* step_ = nullptr;
    // ping (linux): what to do with an answer to an earlier request read while waiting for another.
    std::function<void(const PingAnswer&)> late_answer_;
};

}  // namespace

// A program actor: runs its program, then, idle, the next one it is given (bind_actor,
// fork_program), each from ProgramStart (or the step it was given at) to ProgramEnd.
void World::program_main(uint32_t index) {
    sg4::Actor::self()->daemonize();
    uint32_t slot = programs_[index].actor;
    sched_.wait(slot);  // its first turn
    for (;;) {
        if (shutting_down) break;
        run_program(index);
        if (shutting_down) break;
        idle_slots_.push_back(slot);
        sched_.cancel(slot);
        yield(slot);
        if (shutting_down) break;
        index = next_program_[slot];
        slot = programs_[index].actor;  // a fork's is this one; a started program brings its own
        sg4::Host* host = hosts_[programs_[index].host].sg_host;
        if (sg4::this_actor::get_host() != host) sg4::this_actor::set_host(host);
    }
    finish_actor(slot);
}

// A top-level program's turn while it has no actor: it starts (ProgramStart) and sleeps, if its
// steps begin with `sleep`, exactly as its actor would; true when that was the whole turn. At its
// first other step it is given an actor (bind_actor), which goes on from there.
bool World::start_turn(uint32_t slot) {
    ProgramRuntime& p = programs_[next_program_[slot]];
    const Steps& steps = *p.steps;
    // A terminal starts when its first line is typed: until then it is not in the trace (a
    // journal's lines leave the trace before them as it was, byte for byte).
    if (!p.started && p.first_step < steps.size()) {
        const auto* type = std::get_if<step::Type>(&steps[p.first_step].body);
        if (type && type->at && now() < Instant::zero() + *type->at) {
            sched_.wake_at(slot, Instant::zero() + *type->at);
            return true;
        }
    }
    record_start(p.index);
    while (!stop && p.first_step < steps.size()) {
        const auto* sleep = std::get_if<step::Sleep>(&steps[p.first_step].body);
        if (!sleep) break;
        if (!p.sleep_end) p.sleep_end = now() + sleep->duration;
        if (now() < *p.sleep_end) {
            sched_.wake_at(slot, *p.sleep_end);
            return true;
        }
        p.sleep_end.reset();
        ++p.first_step;
    }
    bind_actor(slot);
    return false;
}

// Gives the program of `slot` the most recently idle actor (its stack is still warm), or a new one.
void World::bind_actor(uint32_t slot) {
    uint32_t index = next_program_[slot];
    if (!idle_slots_.empty()) {
        uint32_t idle = idle_slots_.back();
        idle_slots_.pop_back();
        next_program_[idle] = index;
        sched_.bind(slot, idle);
        return;
    }
    sched_.bind_new(slot);
    const ProgramRuntime& p = programs_[index];
    sg4::Actor::create(p.name, hosts_[p.host].sg_host, [this, index] { program_main(index); });
}

// ProgramStart, once: at its first turn, with or without an actor.
void World::record_start(uint32_t index) {
    ProgramRuntime& p = programs_[index];
    if (p.started) return;
    p.started = true;
    TraceEvent e;
    e.kind = EventKind::ProgramStart;
    e.host = p.host;
    e.program = index;
    event(e);
}

void World::run_program(uint32_t index) {
    record_start(index);
    try {
        ProgramRunner runner(*this, index);
        if (programs_[index].command) {
            runner.run_command(*programs_[index].command);
        } else {
            runner.run(*programs_[index].steps, programs_[index].first_step);
            if (programs_[index].terminal) runner.await_input();
        }
    } catch (const std::exception& ex) {
        programs_[index].end_text = std::string("internal error: ") + ex.what();
        fail(programs_[index].name + ": internal error: " + ex.what());
    }
    // Interrupted by the end of the run (a limit, or --until): it did not end by itself.
    if (shutting_down) return;
    ProgramRuntime& p = programs_[index];
    p.finished = true;
    if (p.forever_depth == 0) --live_finite;
    p.forever_depth = 0;
    some_program_ended = true;
    TraceEvent e;
    e.kind = EventKind::ProgramEnd;
    e.host = p.host;
    e.program = index;
    e.text = intern(p.end_text);
    event(e);
    if (!stop) close_at_exit(index);
    if (p.shell != kNone && !stop) command_ended(index);
}

// The prompt of a terminal waiting for a command: "C:\Users\laptop>" (cmd) or "laptop:~$ " (bash).
void World::prompt(uint32_t terminal) {
    const ProgramRuntime& t = programs_[terminal];
    TraceEvent e;
    e.kind = EventKind::Prompt;
    e.host = t.host;
    e.program = terminal;
    e.text = intern(terminal_prompt(tool_style(trace_.profile), scenario.hosts[t.host].name));
    event(e);
}

// Ctrl-C: the command stops at its next wait (SIGINT's default action ends the process; its OS
// then closes its sockets, close_at_exit).
void World::interrupt(uint32_t command) {
    ProgramRuntime& c = programs_[command];
    if (c.finished) return;
    c.interrupted = true;
    sched_.wake_at(c.actor, now());
}

// A command ended: its terminal shows its prompt again, and reads what was typed ahead.
void World::command_ended(uint32_t command) {
    uint32_t terminal = programs_[command].shell;
    ProgramRuntime& t = programs_[terminal];
    if (t.job != command) return;
    t.job = kNone;
    prompt(terminal);
    sched_.wake_at(t.actor, now());
}

// A child program on the same host, sharing the parent's socket names as they are now, and its
// open descriptors (each one's holder count goes up: fork() duplicates the descriptor table).
uint32_t World::fork_program(uint32_t parent, const Steps* steps) {
    ProgramRuntime child;
    {
        ProgramRuntime& par = programs_[parent];
        child.index = uint32_t(trace_.programs.size());
        child.host = par.host;
        child.name = fmt::format("{}#{}", par.name, ++par.forks);
        child.steps = steps;
        child.where = par.where;
        child.sockets = par.sockets;
        child.peers = par.peers;
    }
    prune_held(parent);
    child.held = programs_[parent].held;
    for (SocketId id : child.held) ++hosts_[child.host].holders[id];
    std::vector<uint32_t>& idle = idle_slots_;
    const bool reuse = !idle.empty();
    if (reuse) {  // the most recently idle one: its stack is still warm
        child.actor = idle.back();
        idle.pop_back();
    } else {
        child.actor = sched_.add_actor();
    }
    trace_.programs.push_back(TraceProgram{child.name, child.host, parent});
    uint32_t index = child.index;
    std::string name = child.name;
    uint32_t host = child.host;
    uint32_t actor = child.actor;
    programs_.push_back(std::move(child));
    ++live_finite;
    if (next_program_.size() <= actor) next_program_.resize(actor + 1, kNone);
    next_program_[actor] = index;
    if (!reuse) sg4::Actor::create(name, hosts_[host].sg_host, [this, index] { program_main(index); });
    sched_.wake_at(actor, now());
    return index;
}

// --- Descriptors ------------------------------------------------------------------------------

void World::hold(uint32_t program, SocketId id) {
    ProgramRuntime& p = programs_[program];
    // A server that accepts forever leaves each connection to a child, which closes it: those
    // entries are dropped now and then (at sizes 16, 32, 64...: amortized O(1) per accept).
    if (p.held.size() >= 16 && (p.held.size() & (p.held.size() - 1)) == 0) prune_held(program);
    p.held.push_back(id);
    ++hosts_[p.host].holders[id];
}

// close() by this program: it holds the descriptor no more. (The socket is closed for every
// holder: a scenario's `close` does not count references, SCENARIO_FORMAT.md.)
void World::let_go(uint32_t program, SocketId id) {
    ProgramRuntime& p = programs_[program];
    auto it = std::find(p.held.begin(), p.held.end(), id);
    if (it == p.held.end()) return;
    p.held.erase(it);
    auto& holders = hosts_[p.host].holders;
    if (auto h = holders.find(id); h != holders.end() && --h->second == 0) holders.erase(h);
}

// Drops the descriptors another program closed since.
void World::prune_held(uint32_t program) {
    ProgramRuntime& p = programs_[program];
    HostRuntime& host = hosts_[p.host];
    std::erase_if(p.held, [&](SocketId id) {
        if (host.stack->descriptor_open(id)) return false;
        if (auto h = host.holders.find(id); h != host.holders.end() && --h->second == 0) host.holders.erase(h);
        return true;
    });
}

// A program ended (its last step, an error, a failed expectation, or a `repeat: forever` server
// whose fellow programs have all ended): as a real OS does at exit (do_exit -> exit_files ->
// close_files), each descriptor it held is let go, in descriptor order, and the socket is closed
// as close() would (sock_close -> inet_release -> tcp_close(): FIN, or RST+ACK with unread data
// under the linux profile; a listener resets its connections not yet accepted) unless another
// program, a forked child or its parent, still holds it. A Note says so first.
void World::close_at_exit(uint32_t program) {
    ProgramRuntime& p = programs_[program];
    HostRuntime& host = hosts_[p.host];
    std::vector<SocketId> held = std::move(p.held);
    p.held.clear();
    std::sort(held.begin(), held.end());
    bool closed = false;
    for (SocketId id : held) {
        auto h = host.holders.find(id);
        if (h != host.holders.end() && --h->second > 0) continue;  // another program holds it
        if (h != host.holders.end()) host.holders.erase(h);
        if (!host.stack->descriptor_open(id)) continue;  // closed already
        std::string name = fmt::format("{}", id);
        for (const auto& [n, s] : p.sockets) {
            if (s == id) {
                name = n;
                break;
            }
        }
        TraceEvent e;
        e.kind = EventKind::Note;
        e.host = p.host;
        e.program = program;
        e.socket = id;
        if (auto info = host.stack->socket_info(id); info && info->remote) e.tuple = FourTuple{info->local, *info->remote};
        e.text = intern(fmt::format("the OS closes {}'s socket {} at exit", p.name, name));
        event(e);
        uint32_t first = next_step();  // the socket still exists at the Note's step
        StackOutput out;
        host.stack->close(id, now(), out);
        record_output(p.host, out, first, program);
        closed = true;
    }
    if (!closed) return;
    reschedule_stack(p.host);
    notify_host(p.host);
}

}  // namespace netstep::sim::engine
