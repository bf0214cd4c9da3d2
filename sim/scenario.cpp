// Loading and validating scenario files (SCENARIO_FORMAT.md): the structure — top level,
// networks, hosts, programs and their steps, faults. Everything is checked before a Scenario is
// returned; the first error throws ScenarioError naming file, line and column.
//
// Defaults (where the format leaves a choice):
//   profile textbook; seed 1; options: msl 30s, isn random (seeded), mss 1460, rto_initial 1s;
//   network: name, subnet, latency and bandwidth are required, loss defaults to 0;
//   interface: adapter defaults to "eth<N>" (N = its index in the host, from 0);
//   program: name defaults to "<host>-<N>" (N counts that host's programs, from 1);
//   listen backlog 128; fault nth 1, and `flags` without `proto` implies proto tcp.
// Required where a silent default would hide a mistake: socket `type`, shutdown `how`, repeat
// `times`. Durations must be positive, except sleep (0 allowed) and link_down `from` (0 allowed).
#include "sim/scenario.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <map>
#include <set>
#include <unordered_map>
#include <string_view>
#include <utility>

#include "model/packet.hpp"
#include "sim/output.hpp"
#include "sim/scenario_yaml.hpp"
#include "sim/yaml.hpp"

namespace netstep::sim {

using detail::Field;
using detail::Map;
using detail::Source;

namespace {

// Step verbs, in the order of StepBody's alternatives; the first twelve are socket calls.
constexpr std::array<std::string_view, 26> kVerbs{
    "socket", "setsockopt", "bind",     "listen",   "accept",  "connect",      "send",
    "recv",   "sendto",     "recvfrom", "shutdown", "close",   "sleep",        "say",
    "ipconfig", "netstat",  "arp",      "mac_table", "expect_state", "repeat", "fork",  "exit", "ping",
    "traceroute", "type", "ask"};
static_assert(kVerbs.size() == std::variant_size_v<StepBody>);
constexpr size_t kSocketVerbs = 12;

constexpr std::array<std::string_view, 4> kFaults{"drop", "delay", "duplicate", "link_down"};

// Lists and mappings nested deeper than this are refused while reading the YAML (a scenario
// needs about 10 levels per repeat or fork, and Limits::max_depth bounds those).
constexpr size_t kMaxYamlNesting = 1000;

template <class Range>
std::vector<std::string> strings(const Range& range) {
    return {range.begin(), range.end()};
}

std::string q(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string expect_name(std::optional<Err> outcome) { return outcome ? std::string(to_string(*outcome)) : "ok"; }

std::string line_of(const SourceLocation& where) { return "line " + std::to_string(where.line); }

// "a, b or c"
std::string alternatives(const std::vector<std::string>& options) {
    std::string out;
    for (size_t i = 0; i < options.size(); ++i) {
        if (i > 0) out += (i + 1 == options.size()) ? " or " : ", ";
        out += options[i];
    }
    return out;
}

// The keys of a step's argument mapping (socket steps also take `expect`).
// The keys of each verb's arguments (socket calls also take "expect"), by verb.
const std::vector<std::vector<std::string>> kStepKeys = [] {
    std::vector<std::vector<std::string>> keys{
        {"as", "type"},           {"socket", "reuseaddr", "linger", "rcvbuf", "sndbuf"}, {"socket", "port", "ip"},
        {"socket", "backlog"},    {"socket", "as"},                  {"socket", "to"},
        {"socket", "data", "bytes"}, {"socket", "bytes", "timeout"}, {"socket", "to", "data", "bytes"},
        {"socket", "timeout", "peer_as"}, {"socket", "how"},         {"socket"},
        {}, {}, {}, {}, {},        {"network"},                      {"socket", "state"},              {"times", "steps"},
        {"steps"},                {"code"},
        {"to", "count", "interval", "timeout", "ttl", "expect"},
        {"to", "max_hops", "timeout", "expect"}, {"at", "line", "key"},
        {"question", "choices", "answer", "about", "socket", "host", "explain"}};
    for (size_t verb = 0; verb < kSocketVerbs; ++verb) keys[verb].push_back("expect");
    return keys;
}();

const std::vector<std::string>& step_keys(size_t verb) { return kStepKeys.at(verb); }

std::vector<std::string> errno_names() {
    std::vector<std::string> names;
    for (int i = 0;; ++i) {
        std::string_view name = to_string(static_cast<Err>(i));
        if (name == "E?") return names;
        names.emplace_back(name);
    }
}

std::vector<std::string> state_names() {
    std::vector<std::string> names;
    for (int i = 0; i < kTcpStateCount; ++i) names.emplace_back(to_string(static_cast<TcpState>(i)));
    return names;
}

// Names a program can refer to: sockets (named by `as:`) and peers (named by recvfrom's
// `peer_as:`). A forked child gets a copy; inside repeat, names are simply bound again.
struct Scope {
    std::string program;
    std::set<std::string> sockets;
    std::set<std::string> peers;
};

class Loader {
public:
    Loader(const Source& source, const Limits& limits) : src_(source), limits_(limits) {}
    Scenario load(const yaml::Node& root);

private:
    // Top level.
    void read_version(const yaml::Node& root);
    void read_header(const Map& top);
    void read_options(const Field& f);
    // Networks and hosts.
    void read_network(const Field& f);
    void read_host(const Field& f);
    // Networks a host already has an interface on: name -> where that interface was written.
    using HostNetworks = std::unordered_map<std::string, SourceLocation>;
    Interface read_interface(const Field& f, const Host& host, size_t index, HostNetworks& on_networks);
    void check_address(const Field& f, Ipv4Address ip, const Network& net, const Host& host,
                       const SourceLocation& interface_at);
    const Network* find_network(const std::string& name) const;
    const Host* find_host(const std::string& name) const;
    // Programs and steps.
    void read_program(const Field& f);
    Steps read_steps(const Field& f, Scope& scope, size_t depth);
    Step read_step(const Field& f, Scope& scope, size_t depth);
    void check_one_verb(const Field& f);
    Field value_of(const yaml::Node& value, const Field& key) const;
    StepBody read_body(size_t verb, const Field& args, Scope& scope, size_t depth,
                       Step& step);
    StepBody read_socket_call(size_t verb, const Map& m, Scope& scope);
    StepBody read_block(size_t verb, const Map& m, Scope& scope, size_t depth);
    StepBody read_probe(const std::string& verb, const Field& args, Step& step);
    StepBody read_type(const Field& args);
    step::Destination read_destination(const Field& f);
    std::string socket_ref(const Map& m, const Scope& scope);
    std::string define(const Field& f, std::set<std::string>& names);
    Target read_target(const Field& f, const Scope& scope);
    Payload read_payload(const Map& m, const std::string& verb);
    Expect read_expect(const Field& f);
    std::optional<Err> read_outcome(const Field& f);
    // Captions.
    step::Say read_say(const Field& f, const std::string& owner = "say");
    step::Ask read_ask(const Field& f, const Scope& scope);
    void read_caption(const Field& f);
    CaptionWhen read_when(const Field& f);
    // Faults.
    void read_fault(const Field& f);
    PacketSelector read_selector(const Map& m, bool every = false);
    fault::LinkDown read_link_down(const Map& m);
    // Helpers.
    size_t one_of(const Field& f, const std::vector<std::string>& options);
    const Host& known_host(const Field& f);
    const Network& known_network(const Field& f);
    std::vector<std::string> host_names() const;
    std::vector<Field> list(const Field& f, std::string_view what, size_t limit, std::string_view limit_name);
    Duration duration(const Field& f, bool allow_zero = false) {
        return src_.duration(f, allow_zero, limits_.max_sim_time);
    }

    const Source& src_;
    const Limits& limits_;
    Scenario s_;
    size_t step_count_ = 0;
    // Indexes, so that loading is linear in the size of the file (a router with thousands of
    // interfaces, thousands of hosts): each answers what a scan in file order would.
    std::unordered_map<std::string, size_t> network_by_name_;  // -> index in s_.networks
    std::unordered_map<std::string, size_t> host_by_name_;     // -> index in s_.hosts
    // Subnets read so far (pairwise disjoint), by network address: -> index in s_.networks.
    std::map<uint32_t, size_t> subnet_by_start_;
    struct AddressOwner {
        std::string host;
        SourceLocation where;
    };
    std::unordered_map<uint32_t, AddressOwner> address_owner_;  // every interface address so far
    std::map<MacAddress, AddressOwner> mac_owner_;              // every MAC address given so far
    std::unordered_map<std::string, size_t> programs_per_host_;  // programs read so far, per host
    std::unordered_map<std::string, size_t> program_by_name_;    // "host/name" -> index in s_.programs
};

// ---- Top level -------------------------------------------------------------------------------

Scenario Loader::load(const yaml::Node& root) {
    if (root.is_null()) src_.fail({src_.file(), 1, 1}, "the file is empty; a scenario starts with 'netstep: 1'");
    Field top_field{root, src_.at(root)};
    if (!root.is_map()) {
        src_.fail(top_field, "expected a scenario (a mapping that starts with 'netstep: 1'), got " +
                                 Source::found(root));
    }
    read_version(root);  // first: another version may have other keys
    Map top(src_, top_field, "a scenario",
            {"netstep", "title", "description", "topic", "learn", "profile", "seed", "options", "networks",
             "hosts", "programs", "faults", "captions"});
    read_header(top);
    for (const Field& f : list(top.require("networks", ""), "networks", limits_.max_networks, "max_networks")) {
        read_network(f);
    }
    for (const Field& f : list(top.require("hosts", ""), "hosts", limits_.max_hosts, "max_hosts")) {
        read_host(f);
    }
    // Without programs (or with servers only) a scenario is a lab to explore from a terminal.
    if (auto programs = top.find("programs")) {
        for (const Field& f : list(*programs, "programs", limits_.max_programs, "max_programs")) read_program(f);
    }
    if (auto faults = top.find("faults")) {
        for (const Field& f : detail::read_list(src_, *faults, "faults")) read_fault(f);
    }
    if (auto captions = top.find("captions")) {
        for (const Field& f : detail::read_list(src_, *captions, "captions")) read_caption(f);
    }
    s_.file = src_.file();
    return std::move(s_);
}

void Loader::read_version(const yaml::Node& root) {
    for (size_t i = 0; i < root.size(); ++i) {
        const yaml::Node key = root.key(i), value = root.value(i);
        if (key.scalar() != "netstep") continue;
        SourceLocation key_at = src_.at(key);
        Field f{value, value.is_null() ? key_at : src_.at(value)};
        auto version = detail::parse_unsigned(value.scalar());
        if (!version) src_.fail(f, "expected the format version 1, got " + Source::found(f.node));
        if (*version != 1) {
            src_.fail(f, "unsupported format version " + f.node.scalar() + ": this netstep reads version 1");
        }
        s_.version = 1;
        return;
    }
    src_.fail(src_.at(root), "'netstep' is required: the format version, as in 'netstep: 1'");
}

void Loader::read_header(const Map& top) {
    s_.title = src_.text(top.require("title", ""), "a title");
    if (auto f = top.find("description")) s_.description = src_.text(*f, "a description");
    if (auto f = top.find("topic")) s_.topic = src_.text(*f, "a topic");
    if (auto f = top.find("learn")) s_.learn = src_.text(*f, "what students learn");
    if (auto f = top.find("profile")) {
        s_.profile = one_of(*f, {"textbook", "linux"}) == 0 ? Profile::Kind::Textbook : Profile::Kind::Linux;
    }
    if (auto f = top.find("seed")) s_.seed = src_.integer(*f, 0, UINT64_MAX, "a seed");
    if (auto f = top.find("options")) read_options(*f);
}

void Loader::read_options(const Field& f) {
    static const std::vector<std::string> keys{"msl", "isn", "mss", "rto_initial", "link", "syn_retries",
                                               "syn_linear_timeouts", "jiffies"};
    Map m(src_, f, "options", keys);
    if (auto v = m.find("link")) s_.options.link_layer = one_of(*v, {"ethernet", "none"}) == 0;
    if (auto v = m.find("msl")) s_.options.msl = duration(*v);
    if (auto v = m.find("isn")) s_.options.isn_zero = one_of(*v, {"zero", "random"}) == 0;
    if (auto v = m.find("mss")) s_.options.mss = uint16_t(src_.integer(*v, 1, 65495, "an MSS"));
    if (auto v = m.find("rto_initial")) s_.options.rto_initial = duration(*v);
    // Linux's sysctls, with their ranges (MAX_TCP_SYNCNT 127, Documentation/networking/ip-sysctl.rst).
    for (const char* key : {"syn_retries", "syn_linear_timeouts"}) {
        auto v = m.find(key);
        if (!v) continue;
        if (s_.profile != Profile::Kind::Linux)
            src_.fail(*v, std::string(key) + " is a setting of the Linux kernel (net.ipv4.tcp_" + key +
                              "): use it with 'profile: linux'");
        bool linear = std::string(key) == "syn_linear_timeouts";
        auto n = uint32_t(src_.integer(*v, linear ? 0 : 1, 127, "a count"));
        (linear ? s_.options.syn_linear_timeouts : s_.options.syn_retries) = n;
    }
    if (auto v = m.find("jiffies")) {
        if (s_.profile != Profile::Kind::Linux)
            src_.fail(*v, "jiffies is the Linux kernel's clock (its timer wheel): use it with 'profile: linux'");
        s_.options.jiffies = src_.integer(*v, 0, uint64_t(1) << 62, "the kernel's jiffies at the start");
    }
}

// ---- Networks and hosts ----------------------------------------------------------------------

void Loader::read_network(const Field& f) {
    static const std::vector<std::string> keys{"name", "subnet", "latency", "bandwidth", "loss", "kind"};
    Map m(src_, f, "a network", keys);
    Network net;
    if (auto v = m.find("kind")) net.kind = one_of(*v, {"segment", "switch"}) == 0 ? Network::Kind::Segment : Network::Kind::Switch;
    net.where = f.where;
    Field name = m.require("name", "network");
    net.name = src_.name(name);
    if (const Network* other = find_network(net.name)) {
        src_.fail(name, "duplicate network name " + q(net.name) + " (first defined at " + line_of(other->where) + ")");
    }
    std::string owner = "network " + q(net.name);
    Field subnet = m.require("subnet", owner);
    net.subnet = src_.prefix(subnet);
    if (net.subnet.address != net.subnet.network()) {
        Ipv4Prefix fixed{net.subnet.network(), net.subnet.length};
        src_.fail(subnet, "subnet " + net.subnet.to_string() + " has host bits set; did you mean " +
                              fixed.to_string() + "?");
    }
    // Prefixes either nest or are disjoint: the networks overlapping this one are the one just
    // before it (if it reaches this one's start) and those starting inside it. The first one in
    // file order is named, as a scan would.
    {
        uint32_t lo = net.subnet.network().value, hi = net.subnet.broadcast().value;
        std::optional<size_t> first;
        auto consider = [&](size_t i) { first = first ? std::min(*first, i) : i; };
        auto it = subnet_by_start_.upper_bound(lo);
        if (it != subnet_by_start_.begin()) {
            auto before = std::prev(it);
            if (s_.networks[before->second].subnet.broadcast().value >= lo) consider(before->second);
        }
        for (; it != subnet_by_start_.end() && it->first <= hi; ++it) consider(it->second);
        if (first) {
            const Network& other = s_.networks[*first];
            src_.fail(subnet, "subnet " + net.subnet.to_string() + " overlaps network " + q(other.name) + " (" +
                                  other.subnet.to_string() + ")");
        }
    }
    net.latency = duration(m.require("latency", owner));
    net.bandwidth_bps = src_.bandwidth(m.require("bandwidth", owner));
    if (auto loss = m.find("loss")) net.loss = src_.loss(*loss);
    network_by_name_.emplace(net.name, s_.networks.size());
    subnet_by_start_.emplace(net.subnet.network().value, s_.networks.size());
    s_.networks.push_back(std::move(net));
}

void Loader::read_host(const Field& f) {
    static const std::vector<std::string> keys{"name", "interfaces", "forwarding"};
    Map m(src_, f, "a host", keys);
    Host host;
    host.where = f.where;
    Field name = m.require("name", "host");
    host.name = src_.name(name);
    if (const Host* other = find_host(host.name)) {
        src_.fail(name, "duplicate host name " + q(host.name) + " (first defined at " + line_of(other->where) + ")");
    }
    std::string owner = "host " + q(host.name);
    Field interfaces = m.require("interfaces", owner);
    auto items = list(interfaces, "interfaces", limits_.max_interfaces_per_host, "max_interfaces_per_host");
    if (items.empty()) src_.fail(interfaces, owner + ": a host needs at least one interface");
    HostNetworks on_networks;
    for (size_t i = 0; i < items.size(); ++i) host.interfaces.push_back(read_interface(items[i], host, i, on_networks));
    if (auto v = m.find("forwarding")) host.forwarding = src_.boolean(*v);
    host_by_name_.emplace(host.name, s_.hosts.size());
    s_.hosts.push_back(std::move(host));
}

Interface Loader::read_interface(const Field& f, const Host& host, size_t index, HostNetworks& on_networks) {
    static const std::vector<std::string> keys{"adapter", "network", "ip", "gateway", "mac"};  // built once
    Map m(src_, f, "an interface", keys);
    std::string owner = "host " + q(host.name);
    Interface iface;
    iface.where = f.where;
    Field network = m.require("network", owner);
    const Network& net = known_network(network);
    iface.network = net.name;
    if (auto [other, added] = on_networks.emplace(net.name, iface.where); !added) {
        src_.fail(network, owner + " already has an interface on network " + q(net.name) + " (" +
                               line_of(other->second) + ")");
    }
    Field ip = m.require("ip", owner);
    iface.ip = src_.address(ip);
    check_address(ip, iface.ip, net, host, iface.where);
    if (auto gateway = m.find("gateway")) {
        iface.gateway = src_.address(*gateway);
        if (!net.subnet.contains(*iface.gateway)) {
            src_.fail(*gateway, "gateway " + iface.gateway->to_string() + " is not on network " + q(net.name) +
                                    " (" + net.subnet.to_string() + ")");
        }
        if (*iface.gateway == iface.ip) {
            src_.fail(*gateway, "gateway " + iface.gateway->to_string() + " is this interface's own address");
        }
    }
    if (auto mac = m.find("mac")) {
        std::string text = src_.text(*mac, "a MAC address");
        iface.mac = MacAddress::parse(text);
        if (!iface.mac) src_.fail(*mac, "expected a MAC address like 02:00:5e:10:00:01 or 02-00-5E-10-00-01, got " + q(text));
        if (iface.mac->is_multicast()) src_.fail(*mac, q(text) + " is a group (multicast or broadcast) address: an interface needs a unicast one (first octet even)");
        if (auto [other, added] = mac_owner_.emplace(*iface.mac, AddressOwner{host.name, iface.where}); !added) {
            src_.fail(*mac, q(text) + " is already the MAC address of host " + q(other->second.host) + " (" +
                                line_of(other->second.where) + ")");
        }
    }
    iface.adapter = "eth" + std::to_string(index);
    if (auto adapter = m.find("adapter")) iface.adapter = src_.text(*adapter, "an adapter name");
    return iface;
}

// Inside the subnet, not its network or broadcast address (for /30 and wider), used once.
void Loader::check_address(const Field& f, Ipv4Address ip, const Network& net, const Host& host,
                           const SourceLocation& interface_at) {
    std::string where = " of network " + q(net.name) + " (" + net.subnet.to_string() + ")";
    if (!net.subnet.contains(ip)) {
        src_.fail(f, ip.to_string() + " is outside network " + q(net.name) + " (" + net.subnet.to_string() + ")");
    }
    if (net.subnet.length <= 30 && ip == net.subnet.network()) {
        src_.fail(f, ip.to_string() + " is the network address" + where);
    }
    if (net.subnet.length <= 30 && ip == net.subnet.broadcast()) {
        src_.fail(f, ip.to_string() + " is the broadcast address" + where);
    }
    // Addresses are unique so far (a second use fails here): at most one owner to name.
    auto [other, added] = address_owner_.emplace(ip.value, AddressOwner{host.name, interface_at});
    if (!added) {
        src_.fail(f, ip.to_string() + " is already the address of host " + q(other->second.host) + " (" +
                         line_of(other->second.where) + ")");
    }
}

// ---- Programs and steps ----------------------------------------------------------------------

void Loader::read_program(const Field& f) {
    static const std::vector<std::string> keys{"host", "name", "steps"};
    Map m(src_, f, "a program", keys);
    Program program;
    program.where = f.where;
    program.host = known_host(m.require("host", "program")).name;
    auto name = m.find("name");
    size_t& on_host = programs_per_host_[program.host];  // this host's programs before this one
    if (name) {
        program.name = src_.name(*name);
    } else {
        program.name = program.host + "-" + std::to_string(on_host + 1);
    }
    // Unique per host, as process names on one machine are told apart (each host's "terminal").
    const std::string key = program.host + "/" + program.name;
    if (auto other = program_by_name_.find(key); other != program_by_name_.end()) {
        src_.fail(name ? *name : f, "duplicate program name " + q(program.name) + " on host " + q(program.host) + " (first defined at " +
                                        line_of(s_.programs[other->second].where) + ")" +
                                        (name ? "" : "; give this program a name"));
    }
    ++on_host;
    Scope scope{program.name, {}, {}};
    program.steps = read_steps(m.require("steps", "program " + q(program.name)), scope, 0);
    program_by_name_.emplace(key, s_.programs.size());
    s_.programs.push_back(std::move(program));
}

// A step is a one-key mapping or a scalar; anything else fails here.
void Loader::check_one_verb(const Field& f) {
    if (f.node.is_map() && f.node.size() > 1) {
        std::vector<std::string> keys;
        std::string verb;
        bool expect = false;
        for (size_t i = 0; i < f.node.size(); ++i) {
            const yaml::Node key = f.node.key(i);
            keys.push_back(Source::found(key));
            bool is_expect = key.is_scalar() && key.scalar() == "expect";
            expect = expect || is_expect;
            if (key.is_scalar() && !is_expect && verb.empty()) verb = key.scalar();
        }
        src_.fail(f, "a step has one verb, found " + detail::join(keys) +
                         (expect ? "; write expect inside the arguments: " + verb + ": { ..., expect: ... }"
                                 : "; is a '-' missing?"));
    }
    if (!(f.node.is_scalar() || (f.node.is_map() && f.node.size() == 1))) {
        src_.fail(f, "expected a step like '- close: { socket: s }', got " + Source::found(f.node));
    }
}

// The value of a key, located at the key when it is empty.
Field Loader::value_of(const yaml::Node& value, const Field& key) const {
    return Field{value, value.is_null() ? key.where : src_.at(value)};
}

Steps Loader::read_steps(const Field& f, Scope& scope, size_t depth) {
    Steps steps;
    for (const Field& item : detail::read_list(src_, f, "steps")) steps.push_back(read_step(item, scope, depth));
    return steps;
}

Step Loader::read_step(const Field& f, Scope& scope, size_t depth) {
    if (++step_count_ > limits_.max_steps) {
        src_.fail(f, "too many steps: the limit is " + std::to_string(limits_.max_steps) + " (Limits::max_steps)");
    }
    check_one_verb(f);
    // `- close: {...}` is a one-key mapping; `- ipconfig` a scalar with no arguments.
    bool mapping = f.node.is_map();
    const Field verb_field = mapping ? src_.field(f.node.key(0)) : f;
    const Field args = mapping ? value_of(f.node.value(0), verb_field) : Field{yaml::Node(), f.where};
    std::string verb = src_.text(verb_field, "a step");
    auto found = std::find(kVerbs.begin(), kVerbs.end(), verb);
    if (found == kVerbs.end()) {
        std::string hint = detail::did_you_mean(verb, strings(kVerbs));
        src_.fail(verb_field, q(verb) + " is not a step" +
                                  (hint.empty() ? " (steps: " + detail::join(strings(kVerbs)) + ")" : hint));
    }
    Step step;
    step.where = verb_field.where;
    step.body = read_body(size_t(found - kVerbs.begin()), args, scope, depth, step);
    return step;
}

StepBody Loader::read_body(size_t verb, const Field& args, Scope& scope, size_t depth,
                           Step& step) {
    std::string name(kVerbs[verb]);
    if (name == "sleep") return step::Sleep{duration(args, true)};
    if (name == "say") return read_say(args);
    if (name == "ipconfig" || name == "netstat" || name == "arp") {
        if (!args.node.is_null() && !(args.node.is_map() && args.node.size() == 0)) {
            src_.fail(args, q(name) + " takes no arguments, got " + Source::found(args.node));
        }
        if (name == "ipconfig") return step::Ipconfig{};
        if (name == "arp") return step::Arp{};
        return step::Netstat{};
    }
    if (name == "mac_table") {  // `mac_table: lan` or `mac_table: { network: lan }`
        Field network = args;
        std::optional<Map> m;
        if (args.node.is_map()) {
            m.emplace(src_, args, name, step_keys(verb));
            network = m->require("network", "mac_table");
        }
        const Network& net = known_network(network);
        if (net.kind != Network::Kind::Switch) {
            src_.fail(network, "network " + q(net.name) + " is a shared segment, not a switch (kind: switch): it has no MAC address table");
        }
        return step::MacTable{net.name};
    }
    if (name == "exit") {  // `- exit`, `exit: {}` or `exit: { code: N }`
        if (args.node.is_null()) return step::Exit{};
        Map m(src_, args, name, step_keys(verb));
        step::Exit exit;
        if (auto v = m.find("code")) exit.code = int(src_.integer(*v, 0, 255, "an exit status"));
        return exit;
    }
    if (name == "ping" || name == "traceroute") return read_probe(name, args, step);
    if (name == "type") return read_type(args);
    if (name == "ask") return read_ask(args, scope);
    Map m(src_, args, name, step_keys(verb));
    if (verb < kSocketVerbs) {
        if (auto e = m.find("expect")) step.expect = read_expect(*e);
        return read_socket_call(verb, m, scope);
    }
    return read_block(verb, m, scope, depth);
}

StepBody Loader::read_socket_call(size_t verb, const Map& m, Scope& scope) {
    std::string name(kVerbs[verb]);
    switch (verb) {
        case 0: {
            step::Socket s;
            s.type = one_of(m.require("type", name), {"tcp", "udp"}) == 0 ? SocketKind::Tcp : SocketKind::Udp;
            s.as = define(m.require("as", name), scope.sockets);
            return s;
        }
        case 1: {
            step::SetSockOpt s{socket_ref(m, scope), {}, {}, {}, {}};
            if (auto v = m.find("reuseaddr")) s.reuseaddr = src_.boolean(*v);
            if (auto v = m.find("linger")) s.linger = int(src_.integer(*v, 0, 65535, "a linger time in seconds"));
            // A buffer size in bytes; 1 GiB bounds what a scenario may ask (Linux caps it at
            // net.core.rmem_max anyway).
            if (auto v = m.find("rcvbuf")) s.rcvbuf = uint32_t(src_.integer(*v, 1, 1u << 30, "a buffer size in bytes"));
            if (auto v = m.find("sndbuf")) s.sndbuf = uint32_t(src_.integer(*v, 1, 1u << 30, "a buffer size in bytes"));
            if (!s.reuseaddr && !s.linger && !s.rcvbuf && !s.sndbuf)
                src_.fail(m.field(), "setsockopt: give reuseaddr, linger, rcvbuf or sndbuf");
            return s;
        }
        case 2: {
            step::Bind s{socket_ref(m, scope), 0, {}};
            s.port = uint16_t(src_.integer(m.require("port", name), 0, 65535, "a port"));
            if (auto v = m.find("ip")) s.ip = src_.address(*v);
            return s;
        }
        case 3: {
            step::Listen s{socket_ref(m, scope)};
            if (auto v = m.find("backlog")) s.backlog = int(src_.integer(*v, 0, 65535, "a backlog"));
            return s;
        }
        case 4: {
            std::string listener = socket_ref(m, scope);
            return step::Accept{listener, define(m.require("as", name), scope.sockets)};
        }
        case 5: {
            std::string socket = socket_ref(m, scope);
            return step::Connect{socket, read_target(m.require("to", name), scope)};
        }
        case 6: {
            std::string socket = socket_ref(m, scope);
            return step::Send{socket, read_payload(m, name)};
        }
        case 7: {
            step::Recv s{socket_ref(m, scope), {}, {}};
            if (auto v = m.find("bytes")) s.bytes = size_t(src_.integer(*v, 1, SIZE_MAX, "a byte count"));
            if (auto v = m.find("timeout")) s.timeout = duration(*v);
            return s;
        }
        case 8: {
            std::string socket = socket_ref(m, scope);
            Target to = read_target(m.require("to", name), scope);
            return step::SendTo{socket, to, read_payload(m, name)};
        }
        case 9: {
            step::RecvFrom s{socket_ref(m, scope), {}, {}};
            if (auto v = m.find("timeout")) s.timeout = duration(*v);
            if (auto v = m.find("peer_as")) s.peer_as = define(*v, scope.peers);
            return s;
        }
        case 10: {
            std::string socket = socket_ref(m, scope);
            size_t how = one_of(m.require("how", name), {"write", "read", "both"});
            using How = step::Shutdown::How;
            return step::Shutdown{socket, how == 0 ? How::Write : how == 1 ? How::Read : How::Both};
        }
        default:
            return step::Close{socket_ref(m, scope)};
    }
}

StepBody Loader::read_block(size_t verb, const Map& m, Scope& scope, size_t depth) {
    std::string name(kVerbs[verb]);
    if (name == "expect_state") {
        std::string socket = socket_ref(m, scope);
        Field f = m.require("state", name);
        std::string text = src_.text(f, "a TCP state");
        auto state = tcp_state_from_string(text);
        if (!state) {
            std::string hint = detail::did_you_mean(text, state_names());
            src_.fail(f, q(text) + " is not a TCP state" +
                             (hint.empty() ? " (states: " + detail::join(state_names()) + ")" : hint));
        }
        return step::ExpectState{socket, *state};
    }
    if (depth + 1 > limits_.max_depth) {
        src_.fail(m.field(), "repeat and fork nested too deeply: the limit is " + std::to_string(limits_.max_depth) +
                                 " (Limits::max_depth)");
    }
    auto body = [&](Scope& inner) {
        Field f = m.require("steps", name);
        auto steps = std::make_shared<Steps>(read_steps(f, inner, depth + 1));
        if (steps->empty()) src_.fail(f, name + ": 'steps' is empty");
        return steps;
    };
    if (name == "fork") {
        Scope child = scope;  // the child sees the parent's names as they are at the fork
        return step::Fork{body(child)};
    }
    step::Repeat repeat;
    Field times = m.require("times", name);
    if (!(times.node.is_scalar() && times.node.scalar() == "forever")) {
        auto n = detail::parse_unsigned(times.node.is_scalar() ? times.node.scalar() : "");
        if (!n || *n == 0) src_.fail(times, "expected a number of times (1 or more) or forever, got " + Source::found(times.node));
        if (*n > limits_.max_repeat) {
            src_.fail(times, "repeat " + std::to_string(*n) + " times exceeds the limit of " +
                                 std::to_string(limits_.max_repeat) + " (Limits::max_repeat)");
        }
        repeat.times = *n;
    }
    repeat.steps = body(scope);
    return repeat;
}

// `ping: web` (the short form) or `ping: { to: web, count: 4, interval: 1s, timeout: 1s, ttl: 64,
// expect: ok }`; `traceroute: server` or `traceroute: { to: server, max_hops: 30, timeout: 1s }`.
StepBody Loader::read_probe(const std::string& verb, const Field& args, Step& step) {
    if (args.node.is_scalar()) {
        step::Destination to = read_destination(args);
        if (verb == "ping") {
            step::Ping ping;
            ping.to = to;
            return ping;
        }
        step::Traceroute trace;
        trace.to = to;
        return trace;
    }
    size_t index = size_t(std::find(kVerbs.begin(), kVerbs.end(), verb) - kVerbs.begin());
    Map m(src_, args, verb, step_keys(index));
    if (auto e = m.find("expect")) step.expect = read_expect(*e);
    step::Destination to = read_destination(m.require("to", verb));
    if (verb == "ping") {
        step::Ping ping;
        ping.to = to;
        if (auto v = m.find("count")) ping.count = uint32_t(src_.integer(*v, 1, 1000000, "a number of echo requests"));
        if (auto v = m.find("interval")) ping.interval = duration(*v);
        if (auto v = m.find("timeout")) ping.timeout = duration(*v);
        if (auto v = m.find("ttl")) ping.ttl = uint8_t(src_.integer(*v, 1, 255, "a TTL"));
        return ping;
    }
    step::Traceroute trace;
    trace.to = to;
    if (auto v = m.find("max_hops")) trace.max_hops = uint32_t(src_.integer(*v, 1, 255, "a number of hops"));
    if (auto v = m.find("timeout")) trace.timeout = duration(*v);
    return trace;
}

// `type: ipconfig` (typed as soon as the step is reached) or `type: { at: 2.5s, line: "nc web 80" }`
// or `type: { at: 9s, key: ctrl-d }`. A line is at most kMaxTerminalLine bytes, one line: what a
// terminal's line discipline holds (Linux N_TTY_BUF_SIZE, 4096 with its newline).
StepBody Loader::read_type(const Field& args) {
    step::Type type;
    auto read_line = [&](const Field& f) {
        type.line = src_.text(f, "a line typed into the terminal");
        if (type.line.size() > step::kMaxTerminalLine) {
            src_.fail(f, "a line of " + std::to_string(type.line.size()) + " characters: a terminal line holds at most " +
                             std::to_string(step::kMaxTerminalLine) + " (N_TTY_BUF_SIZE)");
        }
        if (type.line.find_first_of("\r\n") != std::string::npos) src_.fail(f, "one line per 'type' step, without a line break");
    };
    if (args.node.is_scalar()) {
        read_line(args);
        return type;
    }
    size_t index = size_t(std::find(kVerbs.begin(), kVerbs.end(), "type") - kVerbs.begin());
    Map m(src_, args, "type", step_keys(index));
    if (auto v = m.find("at")) type.at = duration(*v);
    auto line = m.find("line");
    auto key = m.find("key");
    if (line && key) src_.fail(*key, "type: give 'line' or 'key', not both");
    if (line) {
        read_line(*line);
    } else if (key) {
        std::string k = src_.text(*key, "a key");
        if (k == "ctrl-c") {
            type.key = step::Type::Key::CtrlC;
        } else if (k == "ctrl-d") {
            type.key = step::Type::Key::CtrlD;
        } else {
            src_.fail(*key, "expected the key ctrl-c or ctrl-d, got " + q(k));
        }
    } else {
        src_.fail(args, "type: give 'line: TEXT' or 'key: ctrl-c | ctrl-d'");
    }
    return type;
}

// A host name or an IPv4 address, no port.
step::Destination Loader::read_destination(const Field& f) {
    step::Destination to;
    to.text = src_.text(f, "a host name or an IPv4 address");
    if (auto address = Ipv4Address::parse(to.text)) {
        to.address = address;
    } else if (find_host(to.text)) {
        to.host = to.text;
    } else if (to.text.find(':') != std::string::npos) {
        src_.fail(f, "expected a host name or an IPv4 address (no port: ICMP has none), got " + q(to.text));
    } else if (to.text.find_first_not_of("0123456789.") == std::string::npos) {
        src_.fail(f, "expected an IPv4 address like 10.0.0.80, got " + q(to.text));
    } else {
        src_.fail(f, "unknown host " + q(to.text) + detail::did_you_mean(to.text, host_names()));
    }
    return to;
}

std::string Loader::socket_ref(const Map& m, const Scope& scope) {
    Field f = m.require("socket", "");
    std::string name = src_.name(f);
    if (scope.sockets.count(name) == 0) {
        std::string hint = detail::did_you_mean(name, strings(scope.sockets));
        src_.fail(f, "no socket named " + q(name) + " in program " + q(scope.program) +
                         (hint.empty() ? " (name one with 'as:' in an earlier step)" : hint));
    }
    return name;
}

std::string Loader::define(const Field& f, std::set<std::string>& names) {
    std::string name = src_.name(f);
    names.insert(name);
    return name;
}

// "web:80" (a host), "192.168.1.20:80" (an address), or a peer_as name from an earlier recvfrom.
Target Loader::read_target(const Field& f, const Scope& scope) {
    Target target;
    target.text = src_.text(f, "a destination like web:80");
    const std::string& text = target.text;
    size_t colon = text.rfind(':');
    if (colon == std::string::npos) {
        if (scope.peers.count(text)) {
            target.peer = text;
            return target;
        }
        if (find_host(text) || Ipv4Address::parse(text)) src_.fail(f, q(text) + " needs a port, as in '" + text + ":80'");
        std::vector<std::string> names = host_names();
        names.insert(names.end(), scope.peers.begin(), scope.peers.end());
        src_.fail(f, "expected 'host:port', 'ip:port' or a name from recvfrom's peer_as, got " + q(text) +
                         detail::did_you_mean(text, names));
    }
    std::string host = text.substr(0, colon);
    if (host.empty()) src_.fail(f, "expected 'host:port', 'ip:port' or a name from recvfrom's peer_as, got " + q(text));
    auto port = detail::parse_unsigned(text.substr(colon + 1));
    if (!port || *port == 0 || *port > 65535) {
        src_.fail(f, "expected a port from 1 to 65535 after ':', got " + q(text));
    }
    target.port = uint16_t(*port);
    if (auto address = Ipv4Address::parse(host)) {
        target.address = address;
    } else if (find_host(host)) {
        target.host = host;
    } else if (host.find_first_not_of("0123456789.") == std::string::npos) {
        src_.fail(f, "expected an IPv4 address like 192.168.1.20 before ':', got " + q(text));
    } else {
        src_.fail(f, "unknown host " + q(host) + " in " + q(text) + detail::did_you_mean(host, host_names()));
    }
    return target;
}

Payload Loader::read_payload(const Map& m, const std::string& verb) {
    auto data = m.find("data");
    auto bytes = m.find("bytes");
    if (data && bytes) src_.fail(*bytes, verb + ": give 'data' or 'bytes', not both");
    if (!data && !bytes) src_.fail(m.field(), verb + ": 'data' or 'bytes' is required");
    Payload payload;
    std::string limit = " (Limits::max_send_bytes)";
    if (bytes) {
        payload.filler = size_t(src_.integer(*bytes, 1, UINT64_MAX, "a byte count"));
        if (payload.filler > limits_.max_send_bytes) {
            src_.fail(*bytes, "bytes: " + std::to_string(payload.filler) + " exceeds the limit of " +
                                  std::to_string(limits_.max_send_bytes) + limit);
        }
        return payload;
    }
    payload.data = src_.data(*data);
    if (payload.data.size() > limits_.max_send_bytes) {
        src_.fail(*data, "data of " + std::to_string(payload.data.size()) + " bytes exceeds the limit of " +
                             std::to_string(limits_.max_send_bytes) + limit);
    }
    return payload;
}

Expect Loader::read_expect(const Field& f) {
    Expect expect;
    if (f.node.is_list()) {
        std::vector<Field> items = detail::read_list(src_, f, "outcomes");
        if (items.empty()) src_.fail(f, "expect: the list is empty; write ok, an errno, or a list like [ok, EAGAIN]");
        for (const Field& item : items) {
            std::optional<Err> outcome = read_outcome(item);
            if (expect.allows(outcome)) src_.fail(item, "expect: " + expect_name(outcome) + " is listed twice");
            expect.any_of.push_back(outcome);
        }
        return expect;
    }
    expect.any_of.push_back(read_outcome(f));
    return expect;
}

std::optional<Err> Loader::read_outcome(const Field& f) {
    std::string text = src_.text(f, "ok or an errno name");
    if (text == "ok" || text == "OK") return std::nullopt;
    if (auto err = err_from_string(text)) return err;
    std::string hint = detail::did_you_mean(text, errno_names());
    if (!hint.empty()) src_.fail(f, q(text) + " is not an errno netstep knows" + hint);
    src_.fail(f, "expected ok or an errno name like ECONNREFUSED, got " + q(text));
}

// ---- Captions --------------------------------------------------------------------------------

// `say: text`, or per language: `say: { en: "...", fr: "...", it: "..." }` (en required).
// A caption is read on a screen: at most Limits::max_caption_bytes.
step::Say Loader::read_say(const Field& f, const std::string& owner) {
    auto caption = [&](const Field& text, std::string_view what) {
        if (text.node.is_scalar() && text.node.scalar().size() > limits_.max_caption_bytes) {
            src_.fail(text, "a caption of " + std::to_string(text.node.scalar().size()) + " bytes: the limit is " +
                                std::to_string(limits_.max_caption_bytes) + " (Limits::max_caption_bytes)");
        }
        return src_.text(text, what);
    };
    if (!f.node.is_map()) return step::Say{caption(f, "a caption"), {}};
    static const std::vector<std::string> languages{"en", "fr", "it"};
    Map m(src_, f, owner, languages);
    step::Say say;
    say.text = caption(m.require("en", owner), "a caption in English");
    for (size_t i = 1; i < languages.size(); ++i) {
        if (auto v = m.find(languages[i])) say.translations.emplace_back(languages[i], caption(*v, "a caption"));
    }
    return say;
}

// ---- Teachers' questions ----------------------------------------------------------------------

// `ask: { question: ..., choices: [...], answer: ..., about: ..., socket: ... | host: ...,
// explain: ... }`: each text like a `say` (plain English, or { en, fr, it }), each within
// Limits::max_caption_bytes. The answer is one of the choices, written as its English text.
step::Ask Loader::read_ask(const Field& f, const Scope& scope) {
    if (!f.node.is_map()) {
        src_.fail(f, "expected a question like 'ask: { question: ..., choices: [...], answer: ... }', got " +
                         Source::found(f.node));
    }
    Map m(src_, f, "ask", step_keys(size_t(std::find(kVerbs.begin(), kVerbs.end(), "ask") - kVerbs.begin())));
    step::Ask ask;
    ask.question = read_say(m.require("question", "ask"), "ask: question");
    Field choices = m.require("choices", "ask");
    std::vector<Field> items = detail::read_list(src_, choices, "choices");
    if (items.size() < 2 || items.size() > 4) {
        src_.fail(choices, "ask: give 2 to 4 choices, got " + std::to_string(items.size()));
    }
    std::vector<std::string> english;
    for (const Field& item : items) {
        step::Say choice = read_say(item, "ask: choice");
        for (size_t i = 0; i < english.size(); ++i) {
            if (english[i] == choice.text) {
                src_.fail(item, "ask: the choice " + q(choice.text) + " is written twice (the first at " +
                                    line_of(src_.at(items[i].node)) + ")");
            }
        }
        english.push_back(choice.text);
        ask.choices.push_back(std::move(choice));
    }
    Field answer = m.require("answer", "ask");
    ask.answer_at = answer.where;
    std::string right = src_.text(answer, "one of the choices");
    auto found = std::find(english.begin(), english.end(), right);
    if (found == english.end()) {
        std::vector<std::string> quoted;
        for (const std::string& e : english) quoted.push_back(q(e));
        src_.fail(answer, "ask: the answer " + q(right) + " is not one of the choices (" + detail::join(quoted) +
                              "): write the English text of one of them");
    }
    ask.answer = size_t(found - english.begin());
    if (auto v = m.find("explain")) ask.explain = read_say(*v, "ask: explain");
    auto socket = m.find("socket");
    auto host = m.find("host");
    if (auto v = m.find("about")) {
        static const std::vector<std::string> abouts{"next_flags", "next_state", "ack", "seq", "local_port"};
        ask.about = static_cast<step::Ask::About>(one_of(*v, abouts) + 1);
        if (socket && host) src_.fail(*host, "ask: give 'socket' or 'host', not both");
        if (!socket && !host) {
            src_.fail(*v, "ask: about " + std::string(to_string(ask.about)) +
                              " needs what it is about: 'socket: NAME' (a socket of this program) or 'host: HOST'");
        }
        if (socket) ask.socket = socket_ref(m, scope);
        if (host) ask.host = known_host(*host).name;
        // The answer must be a fact of that kind, before the run says whether it is the right one.
        using A = step::Ask::About;
        switch (ask.about) {
            case A::NextFlags: {
                std::string flags = right;
                for (char& c : flags) {
                    if (c == ',' || c == ' ') c = '+';
                }
                while (flags.find("++") != std::string::npos) flags.erase(flags.find("++"), 1);
                if (!tcp_flags_from_string(flags)) {
                    src_.fail(answer, "ask: about next_flags, the answer " + q(right) +
                                          " is not a set of TCP flags like SYN+ACK or \"SYN, ACK\"");
                }
                break;
            }
            case A::NextState:
                if (!tcp_state_from_string(right)) {
                    src_.fail(answer, "ask: about next_state, the answer " + q(right) + " is not a TCP state" +
                                          detail::did_you_mean(right, state_names()));
                }
                break;
            case A::Ack:
            case A::Seq:
            case A::LocalPort: {
                auto n = detail::parse_unsigned(right);
                uint64_t max = ask.about == A::LocalPort ? 65535 : UINT32_MAX;
                if (!n || *n > max || (ask.about == A::LocalPort && *n == 0)) {
                    src_.fail(answer, "ask: about " + std::string(to_string(ask.about)) + ", the answer " + q(right) +
                                          " is not " + (ask.about == A::LocalPort ? "a port (1 to 65535)" : "a number (0 to 4294967295)"));
                }
                break;
            }
            case A::None: break;
        }
    } else {
        for (const auto& k : {socket, host}) {
            if (k) src_.fail(*k, "ask: 'socket' and 'host' name what 'about' asks about: give 'about' too");
        }
    }
    return ask;
}

void Loader::read_caption(const Field& f) {
    Map m(src_, f, "a caption", {"when", "say"});
    Caption caption;
    caption.where = f.where;
    caption.when = read_when(m.require("when", "caption"));
    caption.say = read_say(m.require("say", "caption"));
    s_.captions.push_back(std::move(caption));
}

// `{ arrives: router, flags: SYN, nth: 1 }`, `{ leaves: laptop, proto: udp }` (the fault
// selector's keys), or `{ host: laptop, enters: TIME-WAIT, port: 80 }`.
CaptionWhen Loader::read_when(const Field& f) {
    Map m(src_, f, "when", {"arrives", "leaves", "host", "enters", "port", "from", "to", "proto", "flags", "nth"});
    CaptionWhen when;
    int kinds = int(m.has("arrives")) + int(m.has("leaves")) + int(m.has("enters"));
    if (kinds != 1) {
        src_.fail(f, "when: give one of 'arrives: HOST', 'leaves: HOST' or 'enters: STATE' (with 'host: HOST')");
    }
    if (auto v = m.find("enters")) {
        when.kind = CaptionWhen::Kind::Enters;
        std::string text = src_.text(*v, "a TCP state");
        auto state = tcp_state_from_string(text);
        if (!state) {
            std::string hint = detail::did_you_mean(text, state_names());
            src_.fail(*v, q(text) + " is not a TCP state" +
                              (hint.empty() ? " (states: " + detail::join(state_names()) + ")" : hint));
        }
        when.state = *state;
        when.host = known_host(m.require("host", "when")).name;
        if (auto p = m.find("port")) when.port = uint16_t(src_.integer(*p, 1, 65535, "a port"));
        for (const char* key : {"from", "to", "proto", "flags"}) {
            if (auto k = m.find(key)) src_.fail(*k, std::string("when: '") + key + "' selects packets, not state changes");
        }
        if (auto v2 = m.find("nth")) when.match.nth = src_.integer(*v2, 1, UINT64_MAX, "a count");
        return when;
    }
    for (const char* key : {"host", "port"}) {
        if (auto k = m.find(key)) src_.fail(*k, std::string("when: '") + key + "' goes with 'enters: STATE'");
    }
    when.match = read_selector(m);
    if (auto v = m.find("arrives")) {
        when.kind = CaptionWhen::Kind::Arrives;
        when.host = known_host(*v).name;
    } else {
        Field leaves = *m.find("leaves");
        when.kind = CaptionWhen::Kind::Leaves;
        when.host = known_host(leaves).name;
        if (auto from = m.find("from")) src_.fail(*from, "when: 'leaves' already names the sending host");
        when.match.from = when.host;
    }
    return when;
}

// ---- Faults ----------------------------------------------------------------------------------

void Loader::read_fault(const Field& f) {
    if (!f.node.is_map() || f.node.size() != 1) {
        src_.fail(f, "expected a fault like '- drop: { from: a, to: b, nth: 1 }', got " + Source::found(f.node));
    }
    const Field kind_field = src_.field(f.node.key(0));
    const Field args = value_of(f.node.value(0), kind_field);
    std::string kind = src_.text(kind_field, "a fault");
    Fault fault;
    fault.where = kind_field.where;
    if (kind == "drop" || kind == "duplicate") {
        Map m(src_, args, kind, {"from", "to", "proto", "flags", "nth"});
        PacketSelector match = read_selector(m, true);
        fault.body = kind == "drop" ? decltype(fault.body)(fault::Drop{match}) : fault::Duplicate{match};
    } else if (kind == "delay") {
        Map m(src_, args, kind, {"from", "to", "proto", "flags", "nth", "by"});
        PacketSelector match = read_selector(m, true);
        fault.body = fault::Delay{match, duration(m.require("by", kind))};
    } else if (kind == "link_down") {
        fault.body = read_link_down(Map(src_, args, kind, {"network", "from", "to"}));
    } else {
        std::string hint = detail::did_you_mean(kind, strings(kFaults));
        src_.fail(kind_field, q(kind) + " is not a fault" +
                                  (hint.empty() ? " (faults: " + detail::join(strings(kFaults)) + ")" : hint));
    }
    s_.faults.push_back(std::move(fault));
}

PacketSelector Loader::read_selector(const Map& m, bool every) {
    PacketSelector match;
    if (auto v = m.find("from")) match.from = known_host(*v).name;
    if (auto v = m.find("to")) {
        match.to = known_host(*v).name;
        if (match.to == match.from) src_.fail(*v, "'from' and 'to' are the same host " + q(match.to));
    }
    const std::vector<std::string> protos{"tcp", "udp", "icmp", "arp"};
    if (auto v = m.find("proto")) match.proto = protos[one_of(*v, protos)];
    if (auto v = m.find("flags")) {
        std::string text = src_.text(*v, "TCP flags like SYN+ACK");
        match.flags = tcp_flags_from_string(text);
        if (!match.flags) src_.fail(*v, "expected TCP flags like SYN+ACK, got " + q(text));
        if (match.proto && *match.proto != "tcp") {
            src_.fail(*v, "flags select TCP segments, but proto is " + q(*match.proto));
        }
        match.proto = "tcp";
    }
    if (auto v = m.find("nth")) {
        // `nth: all` (faults only): every matching packet, as a firewall that drops them.
        if (every && v->node.is_scalar() && v->node.scalar() == "all") match.nth = PacketSelector::kEvery;
        else match.nth = src_.integer(*v, 1, UINT64_MAX, every ? "a packet count or 'all'" : "a packet count");
    }
    return match;
}

fault::LinkDown Loader::read_link_down(const Map& m) {
    fault::LinkDown down;
    down.network = known_network(m.require("network", "link_down")).name;
    down.from = duration(m.require("from", "link_down"), true);
    Field to = m.require("to", "link_down");
    down.to = duration(to);
    if (down.to <= down.from) {
        src_.fail(to, "link_down: 'to' (" + to_string(down.to) + ") must be after 'from' (" + to_string(down.from) +
                          ")");
    }
    return down;
}

// ---- Helpers ---------------------------------------------------------------------------------

size_t Loader::one_of(const Field& f, const std::vector<std::string>& options) {
    std::string text = src_.text(f, alternatives(options));
    auto found = std::find(options.begin(), options.end(), text);
    if (found == options.end()) {
        src_.fail(f, "expected " + alternatives(options) + ", got " + q(text) + detail::did_you_mean(text, options));
    }
    return size_t(found - options.begin());
}

const Host& Loader::known_host(const Field& f) {
    std::string name = src_.name(f);
    if (const Host* host = find_host(name)) return *host;
    src_.fail(f, "unknown host " + q(name) + detail::did_you_mean(name, host_names()));
}

std::vector<std::string> Loader::host_names() const {
    std::vector<std::string> names;
    for (const Host& h : s_.hosts) names.push_back(h.name);
    return names;
}

const Network& Loader::known_network(const Field& f) {
    std::string name = src_.name(f);
    if (const Network* net = find_network(name)) return *net;
    std::vector<std::string> names;
    for (const Network& n : s_.networks) names.push_back(n.name);
    src_.fail(f, "unknown network " + q(name) + detail::did_you_mean(name, names));
}

const Network* Loader::find_network(const std::string& name) const {
    auto it = network_by_name_.find(name);
    return it == network_by_name_.end() ? nullptr : &s_.networks[it->second];
}

const Host* Loader::find_host(const std::string& name) const {
    auto it = host_by_name_.find(name);
    return it == host_by_name_.end() ? nullptr : &s_.hosts[it->second];
}

std::vector<Field> Loader::list(const Field& f, std::string_view what, size_t limit, std::string_view limit_name) {
    std::vector<Field> items = detail::read_list(src_, f, what);
    if (items.size() > limit) {
        src_.fail(items[limit], "too many " + std::string(what) + ": the limit is " + std::to_string(limit) +
                                    " (Limits::" + std::string(limit_name) + ")");
    }
    return items;
}

// ---- Reading the text ------------------------------------------------------------------------

// yaml-cpp reports a bad escape in a double-quoted string a little after it: point at the backslash.
[[noreturn]] void fail_on_bad_escape(const Source& source, std::string_view text, size_t pos) {
    size_t backslash = text.rfind('\\', std::min(pos, text.size() - 1));
    size_t line_start = text.rfind('\n', std::min(pos, text.size() - 1));
    if (backslash == std::string_view::npos || (line_start != std::string_view::npos && backslash < line_start)) {
        source.fail(source.at_offset(pos), "bad escape in a quoted string");
    }
    std::string escape(text.substr(backslash, 2));
    bool hex = escape == "\\x";
    for (size_t i = backslash + 2; hex && i < text.size() && i < backslash + 4; ++i) {
        if (text[i] == '"' || text[i] == '\n' || text[i] == '\r') break;
        escape += text[i];
    }
    source.fail(source.at_offset(backslash),
                "bad escape '" + escape + R"(' in a quoted string; use \r \n \t \\ \" or \xNN)");
}

// The text of line `line` (0-based) of `text`, without its end of line.
std::string_view line_text(std::string_view text, int line) {
    size_t start = 0;
    for (int i = 0; i < line && start != std::string_view::npos; ++i) {
        start = text.find('\n', start);
        if (start != std::string_view::npos) ++start;
    }
    if (start == std::string_view::npos || start > text.size()) return {};
    size_t end = text.find('\n', start);
    return text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

// What a teacher most likely did, for the syntax errors libyaml words for parser writers.
std::string yaml_hint(std::string_view text, const yaml::Error& e) {
    // A tab in the indentation of the line in error (YAML 1.1 §5.5: indentation is spaces only).
    std::string_view line = line_text(text, e.where.line);
    size_t indent = line.find_first_not_of(" \t");
    std::string_view lead = line.substr(0, indent == std::string_view::npos ? line.size() : indent);
    if (lead.find('\t') != std::string_view::npos) return ": YAML does not allow tabs: indent with spaces";
    // "say: Act 1: the server": the second ': ' would start a mapping inside a plain scalar.
    if (e.problem == "mapping values are not allowed in this context") {
        std::string_view body = line.substr(std::min(line.size(), line.find_first_not_of(" -")));
        size_t colon = body.find(": ");
        std::string_view key = body.substr(0, colon), value = body.substr(std::min(body.size(), colon + 2));
        while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.remove_suffix(1);
        if (colon == std::string_view::npos || value.empty() || value.find('"') != std::string_view::npos) {
            return ": a text containing ': ' must be quoted";
        }
        return ": a text containing ': ' must be quoted: " + std::string(key) + ": \"" + std::string(value) + "\"";
    }
    return "";
}

// The one document of the text, or a located error. libyaml's messages are PyYAML's: "did not
// find expected key (while parsing a block mapping started at line 3, column 1)".
yaml::Document parse_yaml(const Source& source, std::string_view text) {
    try {
        return yaml::Document::parse(text, kMaxYamlNesting);
    } catch (const yaml::Error& e) {
        SourceLocation where{source.file(), e.where.line + 1, e.where.column + 1};
        if (e.kind == yaml::Error::Kind::SecondDocument) {
            source.fail(where, "a scenario file holds one YAML document; found a second one");
        }
        if (e.bad_escape() && !text.empty()) fail_on_bad_escape(source, text, e.where.offset);
        std::string message = "invalid YAML: " + e.problem;
        if (!e.context.empty() && e.context_at.line >= 0 &&
            (e.context_at.line != e.where.line || e.context_at.column != e.where.column)) {
            message += " (" + e.context + " started at line " + std::to_string(e.context_at.line + 1) +
                       ", column " + std::to_string(e.context_at.column + 1) + ")";
        }
        source.fail(where, message + yaml_hint(text, e));
    }
}

std::string too_big(size_t limit) {
    return "the file is larger than the limit of " + std::to_string(limit) + " bytes (Limits::max_file_bytes)";
}

}  // namespace

// ---- Public interface ------------------------------------------------------------------------

std::string SourceLocation::to_string() const {
    if (line <= 0) return file.str();
    return file.str() + ":" + std::to_string(line) + ":" + std::to_string(column);
}

ScenarioError::ScenarioError(SourceLocation where, const std::string& message)
    : std::runtime_error(where.file.empty() && where.line <= 0 ? message : where.to_string() + ": " + message),
      where_(std::move(where)),
      message_(message) {}

bool Expect::allows(std::optional<Err> got) const {
    return std::find(any_of.begin(), any_of.end(), got) != any_of.end();
}

std::string Expect::to_string() const {
    std::vector<std::string> names;
    for (std::optional<Err> outcome : any_of) names.push_back(expect_name(outcome));
    return alternatives(names);
}

std::string Step::verb() const { return std::string(kVerbs.at(body.index())); }

namespace step {
std::string_view to_string(Ask::About about) {
    switch (about) {
        case Ask::About::None: return "";
        case Ask::About::NextFlags: return "next_flags";
        case Ask::About::NextState: return "next_state";
        case Ask::About::Ack: return "ack";
        case Ask::About::Seq: return "seq";
        case Ask::About::LocalPort: return "local_port";
    }
    return "";
}
}  // namespace step

Profile Scenario::make_profile() const {
    Profile p = profile == Profile::Kind::Linux ? Profile::linux() : Profile::textbook();
    p.msl = options.msl;
    p.isn_zero = options.isn_zero;
    p.mss = options.mss;
    p.rto_initial = options.rto_initial;
    p.link_layer = options.link_layer;
    if (options.syn_retries) p.syn_retries = *options.syn_retries;
    if (options.syn_linear_timeouts) p.syn_linear_timeouts = *options.syn_linear_timeouts;
    if (options.jiffies) p.clock.jiffies_at_start = *options.jiffies;
    return p;
}

const Host* Scenario::find_host(const std::string& name) const {
    for (const Host& h : hosts) {
        if (h.name == name) return &h;
    }
    return nullptr;
}

const Network* Scenario::find_network(const std::string& name) const {
    for (const Network& n : networks) {
        if (n.name == name) return &n;
    }
    return nullptr;
}

Scenario load_scenario_text(const std::string& text, const std::string& file, const Limits& limits) {
    if (text.size() > limits.max_file_bytes) throw ScenarioError({file, 0, 0}, too_big(limits.max_file_bytes));
    Source source(file, text, limits.max_expanded_bytes);
    const yaml::Document document = parse_yaml(source, text);
    return Loader(source, limits).load(document.root());
}

Scenario load_scenario_file(const std::string& path, const Limits& limits) {
    // O_NONBLOCK: opening a FIFO with no writer would wait forever (issue 14); fstat then refuses
    // anything but a regular file (a FIFO, a device: their reads can block or never end).
    int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) throw ScenarioError({path, 0, 0}, "cannot read file: no such file");
        throw ScenarioError({path, 0, 0}, std::string("cannot read file: ") + std::strerror(errno));
    }
    struct FdCloser {
        int fd;
        ~FdCloser() { close(fd); }
    } closer{fd};
    struct stat st {};
    if (fstat(fd, &st) != 0) throw ScenarioError({path, 0, 0}, std::string("cannot read file: ") + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw ScenarioError({path, 0, 0}, "cannot read file: it is a directory");
    if (!S_ISREG(st.st_mode)) {
        throw ScenarioError({path, 0, 0}, std::string("cannot read file: not a regular file (") + file_kind(st.st_mode) + ")");
    }
    if (uint64_t(st.st_size) > limits.max_file_bytes) throw ScenarioError({path, 0, 0}, too_big(limits.max_file_bytes));
    std::string text;
    std::array<char, 65536> buffer{};
    for (;;) {
        ssize_t n = read(fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw ScenarioError({path, 0, 0}, std::string("cannot read file: ") + std::strerror(errno));
        if (n == 0) break;
        text.append(buffer.data(), size_t(n));
        if (text.size() > limits.max_file_bytes) throw ScenarioError({path, 0, 0}, too_big(limits.max_file_bytes));
    }
    return load_scenario_text(text, path, limits);
}

// ---- Limits by name -----------------------------------------------------------------------

namespace {

enum class LimitUnit { Count, Bytes, Time };
struct LimitField {
    std::string_view name;
    LimitUnit unit;
    size_t Limits::*size = nullptr;
    uint64_t Limits::*u64 = nullptr;
    Duration Limits::*time = nullptr;
};

// Every field of Limits, in the order of docs/scenario-format.md's table.
const std::vector<LimitField>& limit_fields() {
    using U = LimitUnit;
    static const std::vector<LimitField> fields = {
        {"max_file_bytes", U::Bytes, &Limits::max_file_bytes},
        {"max_expanded_bytes", U::Bytes, &Limits::max_expanded_bytes},
        {"max_networks", U::Count, &Limits::max_networks},
        {"max_hosts", U::Count, &Limits::max_hosts},
        {"max_interfaces_per_host", U::Count, &Limits::max_interfaces_per_host},
        {"max_programs", U::Count, &Limits::max_programs},
        {"max_forks", U::Count, &Limits::max_forks},
        {"max_steps", U::Count, &Limits::max_steps},
        {"max_repeat", U::Count, &Limits::max_repeat},
        {"max_depth", U::Count, &Limits::max_depth},
        {"max_send_bytes", U::Bytes, &Limits::max_send_bytes},
        {"max_caption_bytes", U::Bytes, &Limits::max_caption_bytes},
        {"max_sim_time", U::Time, nullptr, nullptr, &Limits::max_sim_time},
        {"max_events", U::Count, &Limits::max_events},
        {"max_idle_rounds", U::Count, nullptr, &Limits::max_idle_rounds},
        {"max_trace_bytes", U::Bytes, &Limits::max_trace_bytes},
        {"max_text_bytes", U::Bytes, &Limits::max_text_bytes},
        {"max_netstat_rows", U::Count, &Limits::max_netstat_rows},
    };
    return fields;
}

}  // namespace

std::string size_text(uint64_t n) {
    for (auto [shift, unit] : {std::pair{30, " GiB"}, std::pair{20, " MiB"}, std::pair{10, " KiB"}}) {
        if (n != 0 && n % (uint64_t(1) << shift) == 0) return std::to_string(n >> shift) + unit;
    }
    return std::to_string(n) + " bytes";
}

std::optional<Duration> parse_duration_text(std::string_view text) { return detail::parse_duration(text); }

namespace {
// A byte limit as --limit takes it: "64MiB", "4096" (KiB only from 64 KiB: 4096 reads better).
std::string limit_value_text(uint64_t n) {
    std::string text = size_text(n);
    if (text.ends_with(" bytes") || (text.ends_with(" KiB") && n < 64 * 1024)) return std::to_string(n);
    text.erase(text.find(' '), 1);
    return text;
}
}  // namespace

std::vector<LimitEntry> limit_entries(const Limits& limits) {
    std::vector<LimitEntry> out;
    for (const LimitField& f : limit_fields()) {
        std::string value = f.unit == LimitUnit::Time ? to_string(limits.*(f.time))
                            : f.u64                    ? std::to_string(limits.*(f.u64))
                            : f.unit == LimitUnit::Bytes ? limit_value_text(limits.*(f.size))
                                                         : std::to_string(limits.*(f.size));
        out.push_back({f.name, value});
    }
    return out;
}

std::optional<std::string> set_limit(Limits& limits, std::string_view assignment) {
    size_t eq = assignment.find('=');
    if (eq == std::string_view::npos) return "expected NAME=VALUE (max_events=100000), got '" + std::string(assignment) + "'";
    std::string_view name = assignment.substr(0, eq), value = assignment.substr(eq + 1);
    const auto& fields = limit_fields();
    auto f = std::find_if(fields.begin(), fields.end(), [&](const LimitField& l) { return l.name == name; });
    if (f == fields.end()) {
        std::vector<std::string> names;
        for (const LimitField& l : fields) names.emplace_back(l.name);
        return "no limit named '" + std::string(name) + "'" + detail::did_you_mean(name, names) + " (the limits: " +
               detail::join(names) + ")";
    }
    if (f->unit == LimitUnit::Time) {
        std::optional<Duration> d = detail::parse_duration(value);
        if (!d || d->ns <= 0 || d->ns > (int64_t(1) << 62)) {  // (times stay far from overflowing)
            return std::string(name) + ": expected a duration such as 3600s, got '" + std::string(value) + "'";
        }
        limits.*(f->time) = *d;
        return std::nullopt;
    }
    uint64_t scale = 1;
    std::string_view digits = value;
    if (f->unit == LimitUnit::Bytes) {
        for (auto [suffix, s] : {std::pair{"KiB", 10}, std::pair{"MiB", 20}, std::pair{"GiB", 30}}) {
            std::string_view sv(suffix);
            if (digits.size() > sv.size() && digits.substr(digits.size() - sv.size()) == sv) {
                digits.remove_suffix(sv.size());
                scale = uint64_t(1) << s;
            }
        }
    }
    std::optional<uint64_t> n = detail::parse_unsigned(digits);
    if (!n || *n == 0 || *n > std::numeric_limits<uint64_t>::max() / scale) {
        return std::string(name) + ": expected a whole number above 0" +
               (f->unit == LimitUnit::Bytes ? " (bytes, or with KiB, MiB, GiB)" : "") + ", got '" + std::string(value) + "'";
    }
    if (f->u64) limits.*(f->u64) = *n * scale;
    else limits.*(f->size) = size_t(*n * scale);
    return std::nullopt;
}

}  // namespace netstep::sim
