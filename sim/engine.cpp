// The engine: run_scenario, the turn-taking scheduler, and how a run ends.
// (Time and delivery are explained at the top of engine_world.hpp.)
#include "sim/engine.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <xbt/log.h>

#include "sim/engine_world.hpp"
#include "sim/quiz.hpp"

namespace netstep::sim {

namespace engine {

// ---------------------------------------------------------------------------------------------
// Scheduler

Scheduler::Scheduler() : back_(sg4::Semaphore::create(0)) {}

uint32_t Scheduler::add_actor() {
    slots_.push_back(Slot{sg4::Semaphore::create(0), 0, false, false});
    return uint32_t(slots_.size() - 1);
}

uint32_t Scheduler::add_unbound() {
    slots_.push_back(Slot{nullptr, 0, false, false});
    return uint32_t(slots_.size() - 1);
}

void Scheduler::bind(uint32_t slot, uint32_t idle) {
    slots_[slot].go = slots_[idle].go;
    slots_[idle].finished = true;  // its actor has left it for good
}

void Scheduler::bind_new(uint32_t slot) { slots_[slot].go = sg4::Semaphore::create(0); }

uint32_t Scheduler::add_inline() {
    slots_.push_back(Slot{nullptr, 0, false, true});
    return uint32_t(slots_.size() - 1);
}

void Scheduler::wake_at(uint32_t actor, Instant at) {
    queue_.push(Wake{std::max(at, now_), next_seq_++, actor, slots_[actor].generation});
}

void Scheduler::cancel(uint32_t actor) { ++slots_[actor].generation; }

void Scheduler::wait(uint32_t actor) {
    sg4::SemaphorePtr go = slots_[actor].go;  // a copy: slots_ may grow while we wait
    go->acquire();
}

void Scheduler::release(uint32_t actor) { slots_[actor].go->release(); }

void Scheduler::finish(uint32_t actor) { slots_[actor].finished = true; }

void Scheduler::signal_back() { back_->release(); }

std::optional<Scheduler::Wake> Scheduler::next() {
    while (!queue_.empty()) {
        Wake w = queue_.top();
        queue_.pop();
        const Slot& s = slots_[w.actor];
        if (!s.finished && s.generation == w.generation) return w;
    }
    return std::nullopt;
}

void Scheduler::shutdown(uint32_t self, uint32_t last) {
    for (uint32_t actor = 0; actor < slots_.size(); ++actor) {
        if (slots_[actor].finished) continue;
        ++slots_[actor].generation;
        if (slots_[actor].inline_turns) {  // nothing of it runs between turns
            slots_[actor].finished = true;
            continue;
        }
        if (actor == self || actor == last) continue;
        if (!slots_[actor].go) {  // a program that never had an actor
            slots_[actor].finished = true;
            continue;
        }
        sg4::SemaphorePtr go = slots_[actor].go;
        go->release();
        back_->acquire();  // until it has returned (or yields again: it is left blocked)
    }
}

void Scheduler::begin_turn(const Wake& w) {
    advance_to(w.at);
    sync_clock();  // a SimGrid actor is about to run: SimGrid's clock says our time
    ++turns_;
    ++slots_[w.actor].generation;  // its other pending wakes are stale now
}

void Scheduler::begin_inline_turn(const Wake& w) {
    advance_to(w.at);
    ++turns_;
    ++slots_[w.actor].generation;  // its other pending wakes are stale now
}

void Scheduler::advance_to(Instant t) { now_ = std::max(now_, t); }

// SimGrid's clock is brought to ours before any SimGrid actor (a program) takes its turn, and at
// the end of the run; not for a stack's turn, a plain call that never asks SimGrid the time (a
// SimGrid sleep for each of those was 12% of a busy run's instructions).
void Scheduler::sync_clock() {
    if (now_ > synced_) {
        synced_ = now_;
        sg4::this_actor::sleep_until(double(now_.ns) / 1e9);
    }
    // Checked on every program turn of every test run: the two clocks agree (to the nanosecond).
    if (std::abs(sg4::Engine::get_clock() - double(now_.ns) / 1e9) > 1e-9) {
        throw std::runtime_error(fmt::format("SimGrid's clock says {:.9f} s, the run's {}", sg4::Engine::get_clock(),
                                             to_string(now_)));
    }
}

// ---------------------------------------------------------------------------------------------
// World: the scenario copied into the trace, the hosts' stacks, lookups.

World::World(const Scenario& s, const RunOptions& o, Trace& trace)
    : scenario(s), options(o), trace_(trace), builder_(trace) {
    seed = options.seed.value_or(scenario.seed);
    Profile profile = scenario.make_profile();

    trace_.file = scenario.file;
    trace_.title = scenario.title;
    trace_.description = scenario.description;
    trace_.profile = std::string(profile.name());
    trace_.seed = seed;
    trace_.ethernet = profile.link_layer;

    for (uint32_t n = 0; n < scenario.networks.size(); ++n) {
        const Network& net = scenario.networks[n];
        trace_.networks.push_back(TraceNetwork{net.name, net.subnet, net.latency, net.bandwidth_bps, net.loss,
                                               net.kind == Network::Kind::Switch});
        network_by_name_.emplace(net.name, n);
        // Each network draws its random losses from its own stream: adding traffic on one
        // network never changes which packets another one loses.
        loss_rng_.emplace_back(splitmix64_mix(seed) ^ fnv1a64(net.name));
    }

    ports_.resize(scenario.networks.size());
    switches_.resize(scenario.networks.size());
    hosts_.resize(scenario.hosts.size());
    for (uint32_t h = 0; h < scenario.hosts.size(); ++h) {
        const Host& sh = scenario.hosts[h];
        HostRuntime& host = hosts_[h];
        host.index = h;
        host.name = sh.name;
        std::vector<InterfaceConfig> interfaces;
        for (const Interface& itf : sh.interfaces) {
            auto n = network_index(itf.network);
            if (!n) throw std::runtime_error("host " + sh.name + ": no network named " + itf.network);
            const Network& net = scenario.networks[*n];
            interfaces.push_back(InterfaceConfig{itf.adapter, itf.network, Ipv4Prefix{itf.ip, net.subnet.length},
                                                 itf.gateway, itf.mac});
            host.interface_network.push_back(*n);
            host.busy_until.push_back(Instant::zero());
            uint32_t interface = uint32_t(host.interface_network.size() - 1);
            auto owner = net_owner_.emplace(uint64_t(*n) << 32 | itf.ip.value, NetOwner{h, interface}).first;
            if (owner->second.host == h) owner->second.interface = interface;
            owner_by_address_.emplace(itf.ip.value, h);
        }
        host.stack = std::make_unique<HostStack>(sh.name, interfaces, profile, seed, sh.forwarding);
        for (uint32_t i = 0; i < interfaces.size(); ++i) {
            interfaces[i].mac = host.stack->mac(i);  // the trace shows every interface's MAC
            uint32_t n = host.interface_network[i];
            mac_port_.emplace(std::pair{n, *interfaces[i].mac}, uint32_t(ports_[n].size()));
            ports_[n].push_back(NetOwner{h, i});
        }
        trace_.hosts.push_back(TraceHost{sh.name, interfaces, sh.forwarding});
        host_by_name_.emplace(sh.name, h);
    }

    for (uint32_t n = 0; n < scenario.networks.size(); ++n) {
        if (scenario.networks[n].kind == Network::Kind::Switch) switches_[n].emplace(ports_[n].size());
    }

    for (const Fault& f : scenario.faults) {
        FaultRuntime rt;
        rt.fault = &f;
        auto host_or_any = [&](const std::string& name) {
            if (name.empty()) return kNone;
            auto h = host_index(name);
            if (!h) throw std::runtime_error(f.where.to_string() + ": no host named " + name);
            return *h;
        };
        std::visit(
            [&](const auto& body) {
                using T = std::decay_t<decltype(body)>;
                if constexpr (std::is_same_v<T, fault::LinkDown>) {
                    auto n = network_index(body.network);
                    if (!n) throw std::runtime_error(f.where.to_string() + ": no network named " + body.network);
                    rt.network = *n;
                } else {
                    rt.selector.from = host_or_any(body.match.from);
                    rt.selector.to = host_or_any(body.match.to);
                    if (body.match.proto) rt.selector.protocol = protocol_number(*body.match.proto);
                    rt.selector.flags = body.match.flags;
                }
            },
            f.body);
        faults_.push_back(rt);
    }
    for (const Caption& c : scenario.captions) {
        CaptionRuntime rt;
        rt.caption = &c;
        auto host_or_any = [&](const std::string& name) {
            if (name.empty()) return kNone;
            auto h = host_index(name);
            if (!h) throw std::runtime_error(c.where.to_string() + ": no host named " + name);
            return *h;
        };
        if (c.when.kind == CaptionWhen::Kind::Enters) {
            rt.host = host_or_any(c.when.host);
        } else {
            rt.selector.from = host_or_any(c.when.match.from);
            rt.selector.to = host_or_any(c.when.match.to);
            if (c.when.kind == CaptionWhen::Kind::Arrives) rt.selector.arrives = host_or_any(c.when.host);
            if (c.when.match.proto) rt.selector.protocol = protocol_number(*c.when.match.proto);
            rt.selector.flags = c.when.match.flags;
        }
        captions_.push_back(rt);
    }
}

std::optional<uint32_t> World::host_index(const std::string& name) const {
    auto it = host_by_name_.find(name);
    if (it == host_by_name_.end()) return std::nullopt;
    return it->second;
}

std::optional<uint32_t> World::network_index(const std::string& name) const {
    auto it = network_by_name_.find(name);
    if (it == network_by_name_.end()) return std::nullopt;
    return it->second;
}

std::optional<World::NetOwner> World::net_owner(uint32_t network, Ipv4Address a) const {
    auto it = net_owner_.find(uint64_t(network) << 32 | a.value);
    if (it == net_owner_.end()) return std::nullopt;
    return it->second;
}

std::optional<uint32_t> World::owner_of(Ipv4Address a) const {
    auto it = owner_by_address_.find(a.value);
    if (it == owner_by_address_.end()) return std::nullopt;
    return it->second;
}

// ---------------------------------------------------------------------------------------------
// Recording

void World::note(uint32_t host, std::string_view text) {
    TraceEvent e;
    e.kind = EventKind::Note;
    e.host = host;
    e.text = intern(text);
    event(e);
}

uint32_t World::event(TraceEvent e) {
    e.time = now();
    uint32_t step = builder_.add_event(e);
    if (stop) return step;
    // Every limit on what a run records, checked as it grows (each check a comparison).
    const Limits& limits = options.limits;
    uint32_t program = e.program != kNone ? e.program : turn_program;
    auto stop_here = [&](const std::string& what) { stop_for_limit(what, program, e.host); };
    if (trace_.events.size() >= limits.max_events) {
        stop_here(fmt::format("the trace has {} events (Limits::max_events)", trace_.events.size()));
    } else if (builder_.memory_bytes() + in_flight_bytes > limits.max_trace_bytes) {
        stop_here(fmt::format("the trace and the packets in flight hold more than {} of memory "
                              "(Limits::max_trace_bytes)", size_text(limits.max_trace_bytes)));
    } else if (builder_.text_bytes() > limits.max_text_bytes) {
        stop_here(fmt::format("the trace written out (text or JSON) would be longer than {} (Limits::max_text_bytes)",
                              size_text(limits.max_text_bytes)));
    }
    return step;
}

void World::stop_for_limit(const std::string& what, uint32_t program, uint32_t host) {
    if (stop) return;
    std::string where, in;
    if (program != kNone && programs_[program].step) where = programs_[program].step->where.to_string() + ": ";
    else if (host != kNone) in = fmt::format(", in {}'s network stack", hosts_[host].name);
    limit_message = fmt::format("{}the run was stopped at {}: {}{}", where, to_string(now()), what, in);
    stop = true;
}

void World::say(uint32_t host, uint32_t program, const step::Say& say) {
    TraceEvent e;
    e.kind = EventKind::Caption;
    e.host = host;
    e.program = program;
    e.text = intern(say.text);
    uint32_t step = event(e);
    for (const auto& [lang, text] : say.translations) trace_.translations.push_back({step, lang, intern(text)});
}

void World::ask(uint32_t host, uint32_t program, const step::Ask& ask, uint32_t about_host, SocketId socket,
                const SourceLocation& where) {
    TraceEvent e;
    e.kind = EventKind::Ask;
    e.host = host;
    e.program = program;
    e.socket = about_host == host ? socket : 0;
    e.text = intern(ask.question.text);
    uint32_t step = event(e);
    for (const auto& [lang, text] : ask.question.translations) trace_.translations.push_back({step, lang, intern(text)});
    auto text_of = [this](const step::Say& say) {
        Trace::AskText t;
        t.en = intern(say.text);
        for (const auto& [lang, text] : say.translations) (lang == "fr" ? t.fr : t.it) = intern(text);
        return t;
    };
    Trace::Ask a;
    a.step = step;
    for (const step::Say& choice : ask.choices) a.choices.push_back(text_of(choice));
    a.answer = uint32_t(ask.answer);
    if (ask.explain) a.explain = text_of(*ask.explain);
    if (ask.about != step::Ask::About::None) {
        a.about = intern(to_string(ask.about));
        a.host = about_host;
        a.socket = socket;
    }
    a.where = intern(where.to_string());
    trace_.asks.push_back(std::move(a));
}

void World::caption_packet(CaptionWhen::Kind kind, uint32_t packet, const HopFacts& hop) {
    for (CaptionRuntime& c : captions_) {
        if (c.caption->when.kind != kind) continue;
        if (!matches(c.selector, hop)) {
            if (near_miss(c.selector, hop)) {
                bool likely = c.selector.flags && (hop.flags & *c.selector.flags) == *c.selector.flags;
                auto& list = likely ? c.near_likely : c.near;
                if (list.size() < 3) list.push_back(packet);
            }
            continue;
        }
        if (++c.matched == c.caption->when.match.nth) {
            say(kind == CaptionWhen::Kind::Arrives ? hop.hop_host : hop.from_host, kNone, c.caption->say);
        }
    }
}

void World::caption_state(uint32_t host, TcpState to, const std::optional<FourTuple>& tuple) {
    for (CaptionRuntime& c : captions_) {
        const CaptionWhen& when = c.caption->when;
        if (when.kind != CaptionWhen::Kind::Enters || c.host != host || when.state != to) continue;
        if (when.port && (!tuple || tuple->local.port != *when.port)) continue;
        if (++c.matched == when.match.nth) say(host, kNone, c.caption->say);
    }
}

void World::fail(std::string message) {
    trace_.failures.push_back(std::move(message));
    trace_.expectations_met = false;
}

void World::abort_run(std::string message) {
    TraceEvent e;
    e.kind = EventKind::Note;
    e.text = intern("internal error: " + message);
    event(e);
    fail("internal error: " + message);
    stop = true;
}

// ---------------------------------------------------------------------------------------------
// The scheduler. The scheduler actor runs it first; from then on, each actor that yields runs it,
// until a program's turn comes: control passes straight to that program's actor. When nothing is
// left to do, a limit is reached, or an internal error stops the run, the actor that found out
// says how the run ended and gives every other actor its last turn; the scheduler actor, the only
// one that is not a daemon, returns last, and with it SimGrid's run.

void World::scheduler_main() {
    yield(scheduler_actor);
    // Back here at the end of the run: released by the actor that ended it, after all the others
    // (or this actor ended it itself).
    sched_.finish(scheduler_actor);
}

void World::yield(uint32_t self) {
    if (shutting_down) {  // given its last turn, it yields again: it stays blocked (a daemon)
        sched_.signal_back();
        sched_.wait(self);
        return;
    }
    std::optional<uint32_t> next = run_to_program_turn();
    if (!next) {  // the run is over
        run_ender_ = self;
        sched_.shutdown(self, scheduler_actor);
        return;  // `self` sees shutting_down and returns; the scheduler actor after it
    }
    if (*next == self) return;  // its own turn: it goes on, without a context switch
    sched_.release(*next);
    sched_.wait(self);
}

// An actor's last act, at the end of the run.
void World::finish_actor(uint32_t self) {
    sched_.finish(self);
    if (self == run_ender_) sched_.release(scheduler_actor);  // it returns last
    else sched_.signal_back();                                // the run's ender waits for each one
}

constexpr uint64_t kTurnsPerProgress = 4096;  // RunOptions::on_progress: a few times a second at most

// Runs turns, a host stack's as a plain call, until one belongs to a program: returns its actor,
// SimGrid's clock moved to that turn. None: the run is over (RunEnd recorded, shutting_down set).
std::optional<uint32_t> World::run_to_program_turn() {
    try {
        bool by_until = options.until.has_value();
        Duration horizon = by_until ? std::min(*options.until, options.limits.max_sim_time) : options.limits.max_sim_time;
        if (by_until && *options.until > options.limits.max_sim_time) by_until = false;
        Instant limit = Instant::zero() + horizon;

        std::string end_text;
        for (;;) {
            if (stop) {
                end_text = limit_message.empty() ? "the run was stopped by an internal error" : limit_message;
                if (!limit_message.empty()) fail(limit_message);
                break;
            }
            if (options.on_progress && sched_.turns() % kTurnsPerProgress == 0) {
                options.on_progress({now(), trace_.events.size(), builder_.memory_bytes() + in_flight_bytes,
                                     builder_.text_bytes()});
            }
            if (sched_.turns() > options.limits.max_events) {
                end_text = fmt::format("the run was stopped after {} turns without ending (Limits::max_events)",
                                       sched_.turns());
                fail(end_text);
                break;
            }
            std::optional<Scheduler::Wake> w = sched_.next();
            if (!w) {
                std::optional<std::string> text = end_quiescent();
                if (!text) continue;  // servers ended and their OS closed sockets: more to run
                end_text = std::move(*text);
                break;
            }
            if (w->at > limit) {
                sched_.advance_to(limit);
                sched_.sync_clock();
                if (by_until) {
                    stopped_by_until = true;
                    end_text = fmt::format("stopped at {} (--until)", to_string(horizon));
                } else {
                    end_text = fmt::format("stopped: the simulated time limit ({}) was reached", to_string(horizon));
                    fail(end_text);
                }
                break;
            }
            if (sched_.is_inline(w->actor)) {
                sched_.begin_inline_turn(*w);
                stack_turn(stack_host_[w->actor]);
            } else if (!sched_.bound(w->actor)) {
                sched_.begin_inline_turn(*w);
                if (start_turn(w->actor)) continue;  // done without an actor
                sched_.sync_clock();
                return w->actor;  // it has one now
            } else {
                sched_.begin_turn(*w);
                return w->actor;
            }
        }

        sched_.sync_clock();  // SimGrid's clock ends where the run ends
        report_unmatched();
        // A run that stopped early (--until, a limit) may not have come to a question's fact.
        for (std::string& message : quiz::check_asks(trace_, !stopped_by_until && end_text.find("stopped") == std::string::npos)) fail(std::move(message));
        TraceEvent e;
        e.kind = EventKind::RunEnd;
        e.text = intern(end_text);
        stop = false;  // RunEnd is always recorded
        event(e);
        trace_.end_time = now();
    } catch (const std::exception& e) {
        // Nothing may escape an actor (SimGrid would end the process): record it as an error.
        fail(std::string("internal error: ") + e.what());
        TraceEvent end;
        end.kind = EventKind::RunEnd;
        end.text = intern(std::string("the run was stopped by an internal error: ") + e.what());
        builder_.add_event(end);
        trace_.events.back().time = now();
        trace_.end_time = now();
    }
    // Every other actor returns at its last turn; as daemons, they would be killed anyway.
    shutting_down = true;
    stop = true;
    return std::nullopt;
}

// Nothing is pending: no packet in flight, no timer, no sleeping program. Every program still
// running is blocked in a call that nothing will ever complete. A program inside
// `repeat: forever` whose fellow programs have all ended is a server that is done: it ends, and
// its OS closes its sockets (close_at_exit); when that sent or armed something, the run goes on
// (nullopt) and ends at the next quiet moment. Any other program is stuck, and that is a failure
// named after the program and its call; then nothing exits (the stuck ones never ended, and the
// servers are stopped with the run): their sockets stay as they are.
std::optional<std::string> World::end_quiescent() {
    bool finite_left = false;
    for (const ProgramRuntime& p : programs_) {
        if (!p.finished && p.forever_depth == 0) finite_left = true;
    }
    // Servers end when every other program has ended; with no other program ever (a lab, to be
    // explored from a terminal), or a terminal waiting for input, they are stopped with the run.
    const bool servers_done = !finite_left && some_program_ended;
    // A terminal waiting for input: what a person types next may unblock any program (a server
    // child waiting in recv for nc's next line), so none is stuck: the run waits for the user.
    bool terminal_waits = false;
    for (const ProgramRuntime& p : programs_) terminal_waits = terminal_waits || (p.terminal && !p.finished);
    size_t stuck = 0;
    std::vector<uint32_t> ended;  // servers that are done: they exit
    for (ProgramRuntime& p : programs_) {
        if (p.finished) continue;
        if (p.forever_depth > 0) {
            TraceEvent e;
            e.kind = EventKind::ProgramEnd;
            e.host = p.host;
            e.program = p.index;
            e.text = intern(servers_done ? "stopped: every other program has ended" : "stopped with the run");
            event(e);
            p.finished = true;
            if (servers_done) ended.push_back(p.index);
            continue;
        }
        // A terminal, a command running in it, and while a terminal waits any program: not stuck.
        if (p.terminal || p.shell != kNone || terminal_waits) continue;
        ++stuck;
        std::string why = blocked_reason(p.blocked_verb);
        std::string msg = fmt::format("{} is blocked in {}: {}", p.name, p.blocked_call, why);
        TraceEvent e;
        e.kind = EventKind::Blocked;
        e.host = p.host;
        e.program = p.index;
        e.text = intern(msg);
        event(e);
        fail(p.blocked_where.to_string() + ": " + msg);
    }
    if (!ended.empty()) {
        size_t before = trace_.events.size();
        for (uint32_t index : ended) {
            // It stays blocked in its call until the end of the run: nothing may wake it.
            ProgramRuntime& p = programs_[index];
            std::erase(hosts_[p.host].waiters, index);
            sched_.cancel(p.actor);
        }
        for (uint32_t index : ended) close_at_exit(index);
        if (trace_.events.size() != before) return std::nullopt;
    }
    if (stuck == 0) {
        std::string waiting;  // terminals at the end of what was typed
        for (const ProgramRuntime& p : programs_) {
            if (p.terminal && !p.finished) waiting += (waiting.empty() ? "" : ", ") + scenario.hosts[p.host].name + "'s";
        }
        if (waiting.empty()) return "every program has finished";
        return fmt::format("nothing more happens until someone types: {} terminal waits for input", waiting);
    }
    return fmt::format("{} program{} blocked forever", stuck, stuck == 1 ? "" : "s");
}

std::string World::blocked_reason(const std::string& verb) {
    if (verb == "accept") return "nobody will connect";
    if (verb == "connect") return "no answer will come";
    if (verb == "recv") return "nothing more will arrive and the peer does not close";
    if (verb == "recvfrom") return "no datagram will arrive";
    if (verb == "send" || verb == "sendto") return "the peer will never make room for the data";
    return "nothing will ever complete it";
}

}  // namespace engine

// ---------------------------------------------------------------------------------------------

namespace {
// Each running program is a SimGrid actor with a stack of its own (and a guard page below it):
// 20,000 forked programs must fit a 4 GB address space. The deepest program (`repeat` and `fork`
// nested Limits::max_depth deep, connecting and printing netstat at the bottom) needs 16 KiB
// optimized; 64 KiB leaves four times that (tests: "the deepest program runs on its stack").
// Unoptimized and sanitized builds have frames several times larger.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)  // clang's way of saying __SANITIZE_ADDRESS__
#define NETSTEP_ASAN_STACKS 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(NETSTEP_ASAN_STACKS) || !defined(__OPTIMIZE__)
constexpr int kProgramStackKiB = 1024;
#else
constexpr int kProgramStackKiB = 64;
#endif
}  // namespace

Trace run_scenario(const Scenario& scenario, const RunOptions& options) {
    // SimGrid talks on stderr; the trace is the only output we want.
    xbt_log_control_set("root.thresh:critical");
    engine::sg4::Engine sg_engine("netstep");
    // CM02 without cross-traffic: a 40-byte packet on a 5 ms link takes 5 ms and its
    // serialization time, not LV08's corrected 65 ms (DESIGN §3). We compute transmission times
    // ourselves anyway; the platform stays faithful for anyone who inspects it.
    engine::sg4::Engine::set_config("network/model:CM02");
    engine::sg4::Engine::set_config("network/crosstraffic:0");
    engine::sg4::Engine::set_config("contexts/stack-size:" + std::to_string(kProgramStackKiB));

    Trace trace;
    {
        engine::World world(scenario, options, trace);
        world.build_platform();
        world.start_actors();
        sg_engine.run();
    }
    trace.expectations_met = trace.failures.empty();
    return trace;
}

}  // namespace netstep::sim
