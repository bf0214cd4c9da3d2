// Inside the engine: the world a run shares between its SimGrid actors. Not for use outside sim/.
//
// How time and delivery work (the design in one place)
// ----------------------------------------------------
// SimGrid gives us actors (one actor per program, each with its own stack, blocking in its socket
// calls) and the simulated clock. It does not carry our packets: with thousands of packets in flight on one link its
// bandwidth solver becomes quadratic, and packets sent at the same instant would share a link's
// bandwidth instead of queueing. So we compute every transmission ourselves, exactly, in integer
// nanoseconds:
//
//   departure = max(now, the interface's busy-until)       (back-to-back packets queue)
//   arrival   = departure + size * 8 / bandwidth + latency (+ a delay fault)
//
// and the packet waits in the receiving host's inbox until its arrival time.
//
// Which actor runs when is decided by our own Scheduler, not by SimGrid's order of simultaneous
// events: every actor blocks on its own semaphore, and the next wake-up is popped from a queue
// ordered by (time, sequence number). The actor that yields runs the scheduler itself
// (World::yield): it pops wake-ups, moves SimGrid's clock to the next program turn
// (sleep_until) and hands control straight to that program's actor, one semaphore release and
// one acquire, or simply goes on when the turn is its own. (A scheduler actor in between cost
// twice the SimGrid calls and context switches per turn.) A host's stack takes turns in the same
// queue, but never blocks inside one: the scheduler runs its turn as a plain call (stack_turn),
// without a SimGrid actor or a context switch (a router with 10,000 interfaces, 10,000 hosts: the
// actors and switches were a tenth of a run). Exactly one turn runs at a time, sequence numbers
// are handed out in that deterministic order, and so the same scenario and seed give the same
// trace, byte for byte. Ties at one instant go to whoever was scheduled first.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <simgrid/s4u.hpp>

#include "model/host.hpp"
#include "model/rng.hpp"
#include "sim/engine.hpp"
#include "sim/scenario.hpp"
#include "sim/selector.hpp"
#include "sim/shell.hpp"
#include "model/switch.hpp"
#include "sim/trace_index.hpp"
#include "sim/trace.hpp"

namespace netstep::sim::engine {

namespace sg4 = simgrid::s4u;

// ---------------------------------------------------------------------------------------------
// The turn-taking scheduler.
class Scheduler {
public:
    struct Wake {
        Instant at;
        uint64_t seq = 0;         // ties at one instant: first scheduled, first run
        uint32_t actor = 0;
        uint64_t generation = 0;  // stale when the actor's generation moved on
        bool operator>(const Wake& o) const { return at != o.at ? at > o.at : seq > o.seq; }
    };

    Scheduler();
    uint32_t add_actor();
    // A program's slot with no SimGrid actor yet: its first turns (its start, the sleeps it begins
    // with) are run by the scheduler itself; then bind() gives it an actor (World::start_turn).
    uint32_t add_unbound();
    bool bound(uint32_t slot) const { return slots_[slot].go != nullptr; }
    void bind(uint32_t slot, uint32_t idle);  // the actor waiting in slot `idle` takes `slot`
    void bind_new(uint32_t slot);             // for an actor about to be created
    // An actor whose turns the scheduler runs itself, as a plain call (stack_turn): a host's stack
    // never blocks inside a turn, so it needs no SimGrid actor, no stack of its own, and no
    // context switch per turn. Its wakes are ordered with everyone else's, exactly as before.
    uint32_t add_inline();
    bool is_inline(uint32_t actor) const { return slots_[actor].inline_turns; }
    // Wakes `actor` at `at` (never earlier than now). An actor may have several wakes pending
    // (a timeout and a notification): the first one to come wins, the others become stale.
    void wake_at(uint32_t actor, Instant at);
    void cancel(uint32_t actor);  // forgets every pending wake of `actor`

    // Called from inside actors (World::yield passes control from one to the next).
    void wait(uint32_t actor);     // blocks until `actor`'s turn (its first line, then in yield)
    void release(uint32_t actor);  // `actor`'s turn has come: it runs once the caller blocks
    void finish(uint32_t actor);   // the actor returns (its last turn, at the end of the run)
    void signal_back();            // tells the actor ending the run that one more has finished

    std::optional<Wake> next();  // the next valid wake-up, removed from the queue
    // At the end of the run, called by the actor that ended it: gives every other unfinished
    // actor but `last` one last turn, in which it sees World::shutting_down and returns (no actor
    // is killed while inside our code), and waits for each to return.
    void shutdown(uint32_t self, uint32_t last);
    void begin_turn(const Wake& w);  // moves the clock to w.at (SimGrid's too): a program's turn
    void begin_inline_turn(const Wake& w);  // moves the clock to w.at; the caller runs the turn
    void advance_to(Instant t);    // moves our clock forward to t
    void sync_clock();             // moves SimGrid's clock to ours (sleeps the calling actor)

    Instant now() const { return now_; }
    uint64_t turns() const { return turns_; }

private:
    struct Slot {
        sg4::SemaphorePtr go;  // released when it is this actor's turn (none when inline)
        uint64_t generation = 0;
        bool finished = false;
        bool inline_turns = false;
    };
    std::priority_queue<Wake, std::vector<Wake>, std::greater<>> queue_;
    std::vector<Slot> slots_;
    sg4::SemaphorePtr back_;  // at the end of the run: released by each actor as it returns
    Instant now_;
    Instant synced_;  // SimGrid's clock, as last set by sync_clock
    uint64_t next_seq_ = 0;
    uint64_t turns_ = 0;
};

// ---------------------------------------------------------------------------------------------
// A packet on its way to a host (in the host's inbox until it arrives).
struct InFlight {
    uint32_t packet = 0;                // index in Trace::packets
    size_t interface = 0;               // the receiving interface
    std::optional<Ipv4Packet> value;    // empty: lost on the way (reason in the TracePacket)
    std::optional<EthernetFrame> frame; // the link layer on: the frame (then `value` stays empty)
    bool lost = false;                  // lost on the way (reason in the TracePacket)
};

struct HostRuntime {
    uint32_t index = 0;
    std::string name;
    sg4::Host* sg_host = nullptr;
    std::unique_ptr<HostStack> stack;
    uint32_t actor = 0;                               // its stack's turn-taker (inline)
    std::vector<uint32_t> interface_network;          // network index of each interface
    std::vector<Instant> busy_until;                  // per interface: the wire is busy until
    std::map<std::pair<Instant, uint32_t>, InFlight> inbox;  // by (arrival, packet index)
    std::vector<uint32_t> waiters;                    // programs blocked until the stack changes
    std::map<SocketId, SocketInfo> known_rows;        // last recorded row of each socket
    // How many programs hold each socket's descriptor (a fork shares them): the OS closes a
    // socket at a program's exit only when no other program holds it (World::close_at_exit).
    std::unordered_map<SocketId, uint32_t> holders;
    std::optional<Instant> stack_wake;                // when the stack actor is due next
    Instant last_poll;                                // guards against a timer that never moves:
    uint64_t polls_at_this_instant = 0;               // polls at last_poll
};

struct ProgramRuntime {
    uint32_t index = 0;  // in Trace::programs
    uint32_t host = 0;
    uint32_t actor = 0;
    std::string name;
    const Steps* steps = nullptr;
    SourceLocation where;
    std::map<std::string, SocketId> sockets;  // names given with `as:`
    std::map<std::string, Endpoint> peers;    // names given with `peer_as:`
    std::vector<SocketId> held;               // descriptors: made, accepted or inherited, not closed
    int forever_depth = 0;                    // > 0 while inside `repeat: forever`
    // Loop rounds (any `repeat`, any depth) in a row that took no simulated time and recorded
    // nothing, counted from the instant and event count of the last round that did something.
    uint64_t idle_rounds = 0;
    Instant idle_since = Instant::zero();
    size_t idle_events = 0;
    bool started = false;      // ProgramStart recorded
    size_t first_step = 0;     // top-level steps done before it had an actor (World::start_turn)
    std::optional<Instant> sleep_end;  // while sleeping before it had an actor
    bool finished = false;
    std::string end_text = "exit";
    // While blocked in a call: what it is ("accept(listener)") and where it was written.
    bool blocked = false;
    std::string blocked_call;
    std::string blocked_verb;
    SourceLocation blocked_where;
    SocketId accept_on = 0;   // while blocked in accept(): its listener (notify_host)
    uint32_t forks = 0;  // children forked so far (names them)
    const Step* step = nullptr;  // the step it is running (limit messages name it)
    // A terminal (a program of `type` steps: its shell) and the commands it runs (each a child
    // program of the terminal, running `command` instead of steps).
    bool terminal = false;                 // a shell: it waits for input when its steps are done
    uint32_t shell = kNone;                // a command's terminal
    uint32_t job = kNone;                  // a terminal's running command (kNone: at its prompt)
    std::shared_ptr<const shell::Command> command;  // a command's: what it runs
    bool reads_input = false;              // a command that reads what is typed (nc)
    std::deque<std::string> input;         // lines typed to it, not yet read
    std::deque<std::string> typeahead;     // a terminal's lines typed while a command runs
    bool input_eof = false;                // Ctrl-D typed
    bool interrupted = false;              // Ctrl-C typed: it stops at its next wait
    std::optional<Instant> type_at;        // a terminal not yet started: its first line's time
};

struct FaultRuntime {
    const Fault* fault = nullptr;
    HostSelector selector;       // drop, delay, duplicate
    uint32_t network = kNone;    // link_down
    uint64_t matched = 0;        // packets matching the selector so far
    // The first packets that missed on one criterion only, named by a warning when the fault
    // never applied; first those whose flags include the selector's (FIN+ACK for FIN).
    std::vector<uint32_t> near_likely, near;
};

// A caption of `captions:`, waiting for its moment.
struct CaptionRuntime {
    const Caption* caption = nullptr;
    HostSelector selector;       // arrives, leaves
    uint32_t host = kNone;       // enters: the host
    uint64_t matched = 0;
    std::vector<uint32_t> near_likely, near;  // as FaultRuntime's
};

// ---------------------------------------------------------------------------------------------
class World {
public:
    World(const Scenario& scenario, const RunOptions& options, Trace& trace);

    // engine_platform.cpp: the SimGrid zone, hosts, links and routes; the actors.
    void build_platform();
    void start_actors();

    // engine.cpp: the scheduler, run by whichever actor yields, and the end of the run.
    void scheduler_main();           // the first turns; returns last, when the run is over
    void yield(uint32_t self);       // returns at `self`'s next turn (or at the end of the run)
    void finish_actor(uint32_t self);
    std::optional<uint32_t> run_to_program_turn();  // the actor whose turn it is; none: the end
    std::optional<std::string> end_quiescent();
    static std::string blocked_reason(const std::string& verb);

    // engine_stack.cpp
    void stack_turn(uint32_t host);  // one turn of a host's stack (an inline actor)
    // Records what a stack operation produced (its events, then its packets), then the rows of
    // the sockets it changed (StackOutput::changed); wakes the host's stack actor when needed.
    // Returns whether anything changed (then programs blocked on this host are woken).
    bool record_output(uint32_t host, StackOutput& out, uint32_t op_first_event, uint32_t program);
    bool record_socket_rows(uint32_t host, StackOutput& out, uint32_t op_first_event);
    std::vector<std::pair<SocketId, uint32_t>> op_events_;  // record_socket_rows' scratch
    void notify_host(uint32_t host);
    void reschedule_stack(uint32_t host);
    void expect_arrival(uint32_t host, Instant at);

    // engine_network.cpp
    void transmit(uint32_t host, Transmission& t);
    // The link layer on: a frame onto its network, to the ports a segment or switch takes it to.
    void transmit_frame(uint32_t host, FrameTransmission& t);
    std::string apply_faults(TracePacket& p, const HopFacts& hop, uint32_t net, bool random_loss, bool& duplicate);
    uint32_t sent_event(uint32_t host, TracePacket packet, std::optional<FourTuple> tuple, const HopFacts& hop);
    void dropped_event(uint32_t host, uint32_t packet);
    void note(uint32_t host, std::string_view text);  // a Note event
    // A switch's MAC address table at now(), as a Cisco switch prints `show mac address-table`.
    std::string mac_table_text(uint32_t network) const;
    // At the end of a run: a warning for each fault that never applied, naming the packets that
    // came close (a selector that never matches is otherwise silent: FIN never selects FIN+ACK).
    void report_unmatched();
    std::string near_misses_text(const std::vector<uint32_t>& likely, const std::vector<uint32_t>& others,
                                 std::optional<TraceIndex>& index) const;
    bool stopped_by_until = false;  // then faults later in the scenario are not reported

    // engine_program.cpp
    void program_main(uint32_t program);
    void run_program(uint32_t program);  // one program, ProgramStart to ProgramEnd
    uint32_t fork_program(uint32_t parent, const Steps* steps);
    // Descriptors: a program holds the sockets it made or accepted and those it inherited at its
    // fork; close() lets go of one; at its end the OS closes those nobody else holds.
    void hold(uint32_t program, SocketId id);
    void let_go(uint32_t program, SocketId id);
    void prune_held(uint32_t program);
    void close_at_exit(uint32_t program);
    bool start_turn(uint32_t slot);      // a top-level program's turn before it has an actor
    void record_start(uint32_t program);
    void bind_actor(uint32_t slot);
    // Terminals (engine_program.cpp): the prompt a terminal shows when it waits for a command;
    // Ctrl-C to its running command; the command's end (the prompt again).
    void prompt(uint32_t terminal);
    void interrupt(uint32_t command);
    void command_ended(uint32_t command);
    std::deque<Steps> command_steps_;  // the (empty) steps of commands: a program has steps
    // A program actor whose program has ended waits for the next program that needs an actor (a
    // fork, a client done sleeping), moves to its host and runs it: a busy server forks thousands
    // of short children, and a thousand clients each sleep until their start, but only the
    // programs running at one time need a SimGrid actor with its stack (each one's creation, guard
    // page and stack pages were a tenth of a run). By slot: the program it runs.
    std::vector<uint32_t> next_program_;
    std::vector<uint32_t> idle_slots_;  // the slots idle program actors wait on, latest last

    // Recording helpers (engine.cpp).
    uint32_t event(TraceEvent e);  // stamps the time; returns the step
    uint32_t intern(std::string_view text) { return builder_.intern(text); }
    void fail(std::string message);       // a failure `check` reports
    void abort_run(std::string message);  // an internal error: fail and stop the run
    Instant now() const { return sched_.now(); }
    uint32_t next_step() const { return uint32_t(trace_.events.size()); }

    // Lookups.
    std::optional<uint32_t> host_index(const std::string& name) const;
    std::optional<uint32_t> network_index(const std::string& name) const;
    std::optional<uint32_t> owner_of(Ipv4Address a) const;

    const Scenario& scenario;
    const RunOptions& options;
    Trace& trace_;
    TraceBuilder builder_;
    Scheduler sched_;
    std::vector<HostRuntime> hosts_;
    std::deque<ProgramRuntime> programs_;  // deque: forks append without moving the others
    std::vector<FaultRuntime> faults_;
    std::vector<CaptionRuntime> captions_;
    // Records a Caption event (and its translations) on `host`, of `program` (kNone: `captions:`).
    void say(uint32_t host, uint32_t program, const step::Say& say);
    // Records an Ask event (a teacher's question) of `program` on `host`, about `about_host`'s
    // socket `socket` (0: any of its sockets); `where`: the step in the file.
    void ask(uint32_t host, uint32_t program, const step::Ask& ask, uint32_t about_host, SocketId socket,
             const SourceLocation& where);
    // `captions:` whose moment is this event: a hop leaving or arriving, a state change.
    void caption_packet(CaptionWhen::Kind kind, uint32_t packet, const HopFacts& hop);
    void caption_state(uint32_t host, TcpState to, const std::optional<FourTuple>& tuple);
    std::vector<SplitMix64> loss_rng_;     // per network, seeded from the run's seed
    uint64_t seed = 1;
    uint32_t scheduler_actor = 0;  // the first turns' actor, the last to return
    uint32_t run_ender_ = kNone;    // the actor that found the run over and shut the others down
    std::vector<uint32_t> stack_host_;  // by actor: the host whose stack it is (kNone: a program)

    // Programs: how many are alive outside a `repeat: forever`, and whether one has ended.
    uint32_t live_finite = 0;
    bool some_program_ended = false;
    bool others_done() const { return some_program_ended && live_finite == 0; }

    // Stops the run for a limit (exit 1): "FILE:LINE:COL: the run was stopped at T: WHAT", at the
    // step `program` is running; with no program, "... WHAT, in HOST's network stack".
    void stop_for_limit(const std::string& what, uint32_t program, uint32_t host = kNone);
    uint32_t turn_program = kNone;  // the program whose turn it is (kNone: a host's stack's)
    // Bytes of the packets waiting in hosts' inboxes (counted with the trace's memory against
    // Limits::max_trace_bytes: every packet is also in the trace, so memory stays within twice that).
    size_t in_flight_bytes = 0;

    bool stop = false;          // set on an internal error or a limit: the scheduler ends the run
    bool shutting_down = false; // the run is over: actors return at their next turn
    std::string limit_message;  // why a limit stopped the run

private:
    sg4::Host* scheduler_host_ = nullptr;
    std::map<std::string, uint32_t> host_by_name_;
    std::map<std::string, uint32_t> network_by_name_;
    // (network << 32 | ip) -> the host holding that address on that network (the first one listed),
    // and its interface holding it (its last one, should it hold it twice): who receives a packet
    // for that next hop, and on which interface. Hash tables, only ever looked up (transmit).
    struct NetOwner {
        uint32_t host = 0;
        uint32_t interface = 0;
    };
    std::unordered_map<uint64_t, NetOwner> net_owner_;
    std::unordered_map<uint32_t, uint32_t> owner_by_address_;
    // The link layer: each network's attachments (its ports, in host order), who holds each MAC
    // address on it (network, MAC) -> port, and the learning switch of a `kind: switch` network.
    std::vector<std::vector<NetOwner>> ports_;
    std::map<std::pair<uint32_t, MacAddress>, uint32_t> mac_port_;
    std::vector<std::optional<LearningSwitch>> switches_;
public:
    std::optional<NetOwner> net_owner(uint32_t network, Ipv4Address a) const;
};

}  // namespace netstep::sim::engine
