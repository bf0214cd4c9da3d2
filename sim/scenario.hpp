// A scenario file, loaded and validated (see SCENARIO_FORMAT.md). Everything a run needs,
// already checked: names resolve, addresses are inside their subnets, durations are positive.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/address.hpp"
#include "model/errors.hpp"
#include "model/link.hpp"
#include "model/profile.hpp"
#include "model/tcp_state.hpp"
#include "model/time.hpp"

namespace netstep::sim {

// The name of a scenario file, shared by all the locations in it (a thousand-host file has tens of
// thousands: each one copying the path was a tenth of loading it). Reads as a std::string.
class FileName {
public:
    FileName() = default;
    FileName(std::string name) : name_(std::make_shared<const std::string>(std::move(name))) {}
    FileName(const char* name) : FileName(std::string(name)) {}
    const std::string& str() const { return name_ ? *name_ : empty_; }
    operator const std::string&() const { return str(); }
    bool empty() const { return str().empty(); }
    friend bool operator==(const FileName& a, std::string_view b) { return a.str() == b; }

private:
    std::shared_ptr<const std::string> name_;
    static inline const std::string empty_;
};

// Where something was written in the scenario file (1-based line and column).
struct SourceLocation {
    FileName file;
    int line = 0;
    int column = 0;
    std::string to_string() const;  // "handshake.yaml:14:9"
};

// A scenario-file error: "handshake.yaml:14:9: 'conect' is not a step; did you mean 'connect'?"
class ScenarioError : public std::runtime_error {
public:
    ScenarioError(SourceLocation where, const std::string& message);
    const SourceLocation& where() const { return where_; }
    const std::string& message() const { return message_; }

private:
    SourceLocation where_;
    std::string message_;
};

// Explicit limits: a file beyond them is an error, never an out-of-memory. They leave room for a
// busy server with 10,000 clients, each on its own network to one router (bench/gen_star.py:
// 10,001 networks, a router with 10,001 interfaces, a 5 MB file, 10,000 forked children).
struct Limits {
    size_t max_file_bytes = 16 * 1024 * 1024;
    size_t max_networks = 20000;
    size_t max_hosts = 20000;
    size_t max_interfaces_per_host = 20000;
    size_t max_programs = 30000;         // as written and forked, in one run (each an actor: see max_forks)
    size_t max_steps = 1'000'000;        // after expanding nothing: steps as written, all programs
    size_t max_repeat = 1'000'000;       // times: in one repeat
    size_t max_send_bytes = 64 * 1024 * 1024;  // one send's bytes: N
    size_t max_depth = 32;               // repeat and fork nested in one another
    Duration max_sim_time = Duration::seconds(24 * 3600);
    size_t max_forks = 20'000;           // programs fork() starts in one run (each program is a SimGrid
                                         // actor with a guarded stack: two memory maps; Linux allows
                                         // 65,530 per process, vm.max_map_count)
    size_t max_events = 5'000'000;       // trace events in one run (~100 bytes each in memory)
    uint64_t max_idle_rounds = 1'000'000;  // rounds of loops in a row, in one program, that take no
                                           // simulated time and record nothing
    // Bytes, not only counts: a valid file must not fill the memory or the disk.
    size_t max_caption_bytes = 4096;                // one `say`'s text (each language); an `ask`'s question,
                                                    // each choice and its explanation too
    size_t max_expanded_bytes = 64 * 1024 * 1024;   // text read out of the file, aliases expanded
    size_t max_trace_bytes = size_t(1) << 30;       // memory the trace and the packets in flight hold
    size_t max_text_bytes = size_t(512) << 20;      // the trace written out, as text or JSON (counted as
                                                    // it is recorded)
    size_t max_netstat_rows = 1000;                 // rows one `netstat` prints (then "... N more")
};

struct Network {
    // segment: a shared medium, every frame reaches every host on it (a hub, a Wi-Fi cell).
    // switch: an IEEE 802.1D learning switch with one port per host (model/switch.hpp).
    enum class Kind { Segment, Switch } kind = Kind::Segment;
    std::string name;
    Ipv4Prefix subnet;
    Duration latency;
    uint64_t bandwidth_bps = 0;
    double loss = 0.0;  // 0..1
    SourceLocation where;
};

struct Interface {
    std::string adapter;
    std::string network;
    Ipv4Address ip;
    std::optional<Ipv4Address> gateway;
    std::optional<MacAddress> mac;  // else derived (derive_mac)
    SourceLocation where;
};

struct Host {
    std::string name;
    std::vector<Interface> interfaces;
    bool forwarding = false;
    SourceLocation where;
};

// "web:80", "192.168.1.20:80", or a name remembered by recvfrom's peer_as.
struct Target {
    std::string host;                   // host name, or empty when given as an address
    std::optional<Ipv4Address> address; // when given as an address
    std::string peer;                   // a peer_as name (then host/address are empty)
    uint16_t port = 0;
    std::string text;                   // as written
};

// The payload of send/sendto: literal text (escapes decoded) or N filler bytes.
struct Payload {
    std::string data;   // literal bytes
    size_t filler = 0;  // when > 0 and data is empty: N bytes of filler
    size_t size() const { return data.empty() ? filler : data.size(); }
};

enum class SocketKind { Tcp, Udp };

// Expected outcome of a socket step: ok, or an errno; or a list of them (`expect: [ok, EAGAIN]`,
// a recvfrom with a timeout in a loop), any of which passes.
struct Expect {
    std::vector<std::optional<Err>> any_of;  // in the order written; nullopt = ok; never empty
    bool allows(std::optional<Err> got) const;
    std::string to_string() const;  // "ok", "EAGAIN", "ok or EAGAIN"
};

struct Step;
using Steps = std::vector<Step>;

namespace step {
struct Socket { std::string as; SocketKind type = SocketKind::Tcp; };
struct SetSockOpt {
    std::string socket;
    std::optional<bool> reuseaddr;
    std::optional<int> linger;
    std::optional<uint32_t> rcvbuf, sndbuf;  // SO_RCVBUF, SO_SNDBUF (bytes)
};
struct Bind { std::string socket; uint16_t port = 0; std::optional<Ipv4Address> ip; };
struct Listen { std::string socket; int backlog = 128; };
struct Accept { std::string socket; std::string as; };
struct Connect { std::string socket; Target to; };
struct Send { std::string socket; Payload payload; };
struct Recv { std::string socket; std::optional<size_t> bytes; std::optional<Duration> timeout; };
struct SendTo { std::string socket; Target to; Payload payload; };
struct RecvFrom { std::string socket; std::optional<Duration> timeout; std::string peer_as; };
struct Shutdown { std::string socket; enum class How { Read, Write, Both } how = How::Write; };
struct Close { std::string socket; };
struct Sleep { Duration duration; };
struct Say {
    std::string text;                                          // English (`say: text`, or `en:`)
    std::vector<std::pair<std::string, std::string>> translations;  // (language, text), as written
};
// A teacher's question (`ask:`), put to the class at this point of the program (it does not
// wait). With `about`, the answer is a fact of the trace after this point, which `netstep check`
// verifies: the next segment the socket (or host) sends (its flags, relative seq or ack), the
// next state the socket enters, the local port it gets at its connect.
struct Ask {
    enum class About : uint8_t { None, NextFlags, NextState, Ack, Seq, LocalPort };
    Say question;
    std::vector<Say> choices;   // 2 to 4, distinct (in English), in the order written
    size_t answer = 0;          // index into choices
    std::optional<Say> explain; // shown with the answer
    About about = About::None;
    std::string socket;         // about a socket of this program (its name) ...
    std::string host;           // ... or about a host (any of its sockets)
    SourceLocation answer_at;   // where `answer:` was written (errors about it)
};
std::string_view to_string(Ask::About about);  // "next_flags", ... ("" for None)
struct Ipconfig {};
struct Netstat {};
struct Arp {};  // `- arp`: the ARP cache as `arp -a` prints it (Windows' arp.exe / net-tools)
struct MacTable { std::string network; };  // `mac_table: lan`: a switch's MAC address table
struct ExpectState { std::string socket; TcpState state = TcpState::Closed; };
struct Repeat { std::optional<uint64_t> times; /* nullopt = forever */ std::shared_ptr<Steps> steps; };
struct Fork { std::shared_ptr<Steps> steps; };
struct Exit { std::optional<int> code; };  // `- exit`, or `exit: { code: N }`
// A host to ping or trace: a host name (its address as seen from the sender, as in Target) or
// an address.
struct Destination {
    std::string host;                    // host name, or empty when given as an address
    std::optional<Ipv4Address> address;  // when given as an address
    std::string text;                    // as written
};
// Which tool's behaviour and output: the profile's (Windows under textbook, Linux under linux),
// or the one a command typed into a terminal names (tracert, traceroute).
enum class Tool : uint8_t { Profile, Windows, Linux };
// ICMP echo requests, one at a time: each waits for its answer up to `timeout`, the next leaves
// `interval` after the previous one (or when its answer came, if later).
struct Ping {
    Destination to;
    uint32_t count = 4;
    Duration interval = Duration::seconds(1);
    Duration timeout = Duration::seconds(1);
    std::optional<uint8_t> ttl;  // default: the profile's (64)
    Tool tool = Tool::Profile;
};
// ICMP echo probes with TTL 1, 2, 3..., three per hop, until the destination answers.
struct Traceroute {
    Destination to;
    uint32_t max_hops = 30;
    Duration timeout = Duration::seconds(1);
    Tool tool = Tool::Profile;  // Windows: tracert's ICMP echo probes; Linux: traceroute's UDP probes
};
// A line typed into the host's terminal (or a key pressed there), at a simulated time: the program
// is a terminal, its shell runs each command line (sim/shell.hpp) or passes it to the command
// running in it (nc reads its input).
inline constexpr size_t kMaxTerminalLine = 4095;  // bytes of one typed line (N_TTY_BUF_SIZE - 1)
struct Type {
    enum class Key : uint8_t { Line, CtrlC, CtrlD };
    std::optional<Duration> at;  // absolute simulated time; nullopt: as soon as the step is reached
    std::string line;            // Key::Line
    Key key = Key::Line;
};
}  // namespace step

using StepBody = std::variant<step::Socket, step::SetSockOpt, step::Bind, step::Listen, step::Accept,
                              step::Connect, step::Send, step::Recv, step::SendTo, step::RecvFrom,
                              step::Shutdown, step::Close, step::Sleep, step::Say, step::Ipconfig,
                              step::Netstat, step::Arp, step::MacTable, step::ExpectState, step::Repeat, step::Fork, step::Exit,
                              step::Ping, step::Traceroute, step::Type, step::Ask>;

struct Step {
    StepBody body;
    std::optional<Expect> expect;  // socket steps, ping, traceroute; nullopt = no expectation written
    SourceLocation where;
    std::string verb() const;      // "connect"
};

struct Program {
    std::string host;
    std::string name;
    Steps steps;
    SourceLocation where;
};

// Fault selectors: `from`/`to` hosts, protocol, TCP flags (exact match), nth matching packet.
struct PacketSelector {
    std::string from;                 // empty = any
    std::string to;                   // empty = any
    std::optional<std::string> proto; // "tcp", "udp", "icmp"
    std::optional<uint8_t> flags;     // exact TCP flags
    uint64_t nth = 1;                 // 1-based; counts packets matching the rest; kEvery: all of them
    static constexpr uint64_t kEvery = 0;  // `nth: all` (faults only)
};

namespace fault {
struct Drop { PacketSelector match; };
struct Delay { PacketSelector match; Duration by; };
struct Duplicate { PacketSelector match; };
struct LinkDown { std::string network; Duration from; Duration to; };
}  // namespace fault

struct Fault {
    std::variant<fault::Drop, fault::Delay, fault::Duplicate, fault::LinkDown> body;
    SourceLocation where;
};

// A caption tied to what happens (`captions:`), said at the step where it happens.
struct CaptionWhen {
    enum class Kind { Arrives, Leaves, Enters } kind = Kind::Arrives;
    std::string host;          // arrives: HOST / leaves: HOST / host: HOST (enters)
    PacketSelector match;      // arrives, leaves: from, to, proto, flags, nth
    TcpState state = TcpState::Closed;  // enters
    std::optional<uint16_t> port;       // enters: the socket's local port (any when absent)
};

struct Caption {
    CaptionWhen when;
    step::Say say;
    SourceLocation where;
};

struct Options {
    Duration msl = Duration::seconds(30);
    bool isn_zero = false;
    uint16_t mss = 1460;
    Duration rto_initial = Duration::seconds(1);
    // `link: ethernet` (default): frames, MAC addresses and ARP; `link: none`: IPv4 packets
    // straight onto the network, as netstep did before it had a link layer.
    bool link_layer = true;
    // The kernel's net.ipv4.tcp_syn_retries and tcp_syn_linear_timeouts (linux profile only);
    // unset: the profile's own (profile.cpp).
    std::optional<uint32_t> syn_retries, syn_linear_timeouts;
    // The kernel's jiffies when the run starts (linux profile only; default 0): where the timer
    // wheel's buckets fall (KernelClock), different on every machine and every boot.
    std::optional<uint64_t> jiffies;
};

struct Scenario {
    std::string file;         // path as given
    int version = 1;
    std::string title;
    std::string description;
    std::string topic;        // for the index of scenarios/: basics, tcp-open, udp...
    std::string learn;        // one line: what students learn
    Profile::Kind profile = Profile::Kind::Textbook;
    uint64_t seed = 1;
    Options options;
    std::vector<Network> networks;
    std::vector<Host> hosts;
    std::vector<Program> programs;
    std::vector<Fault> faults;
    std::vector<Caption> captions;

    // The profile with the scenario's options applied.
    Profile make_profile() const;
    const Host* find_host(const std::string& name) const;
    const Network* find_network(const std::string& name) const;
};

// The limits by name ("max_events", as messages name them: Limits::max_events), for
// `--limit NAME=VALUE` and the documentation. A value is a whole number, with KiB, MiB or GiB for
// the byte limits and a unit (ns us ms s) for max_sim_time.
struct LimitEntry {
    std::string_view name;
    std::string value;  // as --limit takes it: "5000000", "1GiB", "86400s"
};
std::vector<LimitEntry> limit_entries(const Limits& limits);
// Sets one limit from "NAME=VALUE"; an error message naming what was expected, or nullopt.
std::optional<std::string> set_limit(Limits& limits, std::string_view assignment);
// A size as limit messages give it: "1 GiB", "512 MiB", "64 KiB", "1000 bytes".
std::string size_text(uint64_t bytes);
// "1.5ms", "30s": a duration as scenario files write it.
std::optional<Duration> parse_duration_text(std::string_view text);

// Loads and validates; throws ScenarioError naming file, line and column.
Scenario load_scenario_file(const std::string& path, const Limits& limits = {});
// Same from text (`file` names it in errors).
Scenario load_scenario_text(const std::string& text, const std::string& file, const Limits& limits = {});

}  // namespace netstep::sim
