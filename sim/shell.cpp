// A host's terminal: what a typed command line asks for, and what the shell or the tool prints
// when it cannot (the real tools' messages: cmd.exe and Windows' ping/tracert under textbook;
// bash, iputils, traceroute and OpenBSD nc under linux).
#include "sim/shell.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "sim/scenario_yaml.hpp"

namespace netstep::sim::shell {

namespace {

// The command names the terminal knows, for did-you-mean.
const std::vector<std::string> kCommands{
    "help", "cls", "clear", "ipconfig", "ip", "ifconfig", "arp", "netstat", "ss", "ping", "tracert", "traceroute", "nc",
    "socket", "setsockopt", "bind", "listen", "accept", "connect", "send", "recv", "sendto", "recvfrom",
    "shutdown", "close"};

struct Words {
    std::vector<std::string> words;
    std::string error;  // an unterminated quote or a bad escape
};

// Words separated by spaces; "double quotes" group a word, with C escapes inside (\r, \n, \t,
// backslash, quote, \xNN), as scenario files write data.
Words split(std::string_view line) {
    Words out;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i >= line.size()) break;
        std::string word;
        bool quoted = false;
        while (i < line.size() && (quoted || (line[i] != ' ' && line[i] != '\t'))) {
            char c = line[i++];
            if (c == '"') {
                quoted = !quoted;
                continue;
            }
            if (!quoted || c != '\\') {
                word += c;
                continue;
            }
            auto e = detail::decode_escape(line.substr(i));
            if (!e) {
                out.error = fmt::format("bad escape \\{} (use \\r \\n \\t \\\\ \\\" \\xNN)", i < line.size() ? std::string(1, line[i]) : "");
                return out;
            }
            word += e->first;
            i += e->second;
        }
        if (quoted) {
            out.error = "a quote is not closed";
            return out;
        }
        out.words.push_back(std::move(word));
    }
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = char(std::tolower(uint8_t(c)));
    return out;
}

Parsed fail(std::string message) {
    Parsed p;
    p.error = std::move(message);
    return p;
}

template <class T>
Parsed command(std::string name, T body) {
    Parsed p;
    p.name = std::move(name);
    p.command = Command(std::move(body));
    return p;
}

class Parser {
public:
    Parser(const Scenario& scenario, ToolStyle style) : s_(scenario), style_(style) {}

    Parsed parse(std::string_view line) {
        if (line.size() > step::kMaxTerminalLine) {
            return fail(fmt::format("The line is {} characters long: a terminal line holds at most {} (N_TTY_BUF_SIZE).",
                                    line.size(), step::kMaxTerminalLine));
        }
        Words w = split(line);
        if (!w.error.empty()) return fail(w.error);
        if (w.words.empty()) return Parsed{};
        args_ = std::move(w.words);
        // cmd.exe finds commands whatever their case; bash does not.
        name_ = style_ == ToolStyle::Windows ? lower(args_[0]) : args_[0];
        if (name_ == "help") return command(name_, Help{});
        if (name_ == "cls" || name_ == "clear") return command(name_, Clear{});
        if (name_ == "ipconfig") return ipconfig();
        if (name_ == "ip") return ip();
        if (name_ == "ifconfig") return command(name_, ShowConfig{ShowConfig::Form::Ifconfig, {}});
        if (name_ == "arp") return arp();
        if (name_ == "netstat" || name_ == "ss") return sockets();
        if (name_ == "ping") return ping();
        if (name_ == "tracert" || name_ == "traceroute") return traceroute();
        if (name_ == "nc") return netcat();
        if (auto call = berkeley()) return std::move(*call);
        std::string hint = detail::closest(args_[0], kCommands).value_or("");
        return fail(command_not_found(style_, args_[0], hint));
    }

private:
    // --- hosts and ports -----------------------------------------------------------------

    std::optional<step::Destination> destination(const std::string& text) const {
        step::Destination d;
        d.text = text;
        if (auto a = Ipv4Address::parse(text)) {
            d.address = a;
            return d;
        }
        if (s_.find_host(text)) {
            d.host = text;
            return d;
        }
        return std::nullopt;
    }

    static std::optional<uint16_t> port(const std::string& text) {
        auto n = detail::parse_unsigned(text);
        if (!n || *n == 0 || *n > 65535) return std::nullopt;
        return uint16_t(*n);
    }

    std::optional<uint64_t> number(size_t i, uint64_t lo, uint64_t hi) const {
        if (i >= args_.size()) return std::nullopt;
        auto n = detail::parse_unsigned(args_[i]);
        if (!n || *n < lo || *n > hi) return std::nullopt;
        return n;
    }

    // --- ipconfig, ip, netstat, ss ----------------------------------------------------------

    Parsed ipconfig() {
        if (args_.size() == 1) return command(name_, ShowConfig{ShowConfig::Form::Ipconfig, {}});
        std::string opt = lower(args_[1]);
        if (args_.size() == 2 && (opt == "/all" || opt == "-all")) return command(name_, ShowConfig{ShowConfig::Form::IpconfigAll, {}});
        return fail(fmt::format("Error: unrecognized or incomplete command line.\n\nUSAGE:\n    ipconfig [/all]"));
    }

    // iproute2 finds an object or a command by any prefix of its name (matches()), the first
    // in its table winning: "a" is address, "n" neighbour, "l" link.
    static bool matches(const std::string& arg, std::string_view full) {
        return !arg.empty() && full.starts_with(arg);
    }

    Parsed ip() {
        if (args_.size() < 2) return fail(std::string(kIpUsage));
        const std::string& object = args_[1];
        // After the object: nothing, or `show` (`list`, `lst`) and `[dev] NAME`, as ip's
        // ipaddr_list_flush_or_save and ipneigh's do_show_or_flush read them (ip neigh takes a
        // device only after "dev"). The engine checks that the device exists.
        std::string dev;
        auto shown = [&](std::string_view object_name, bool bare_dev) -> std::optional<Parsed> {
            if (args_.size() == 2) return std::nullopt;
            const std::string& cmd = args_[2];
            if (matches(cmd, "help")) return fail(fmt::format("Usage: ip {} show [ dev NAME ]", object_name));
            if (!(matches(cmd, "show") || matches(cmd, "list") || matches(cmd, "lst"))) {
                return fail(fmt::format("Command \"{}\" is unknown, try \"ip {} help\".", cmd, object_name));
            }
            for (size_t i = 3; i < args_.size(); ++i) {
                const std::string& a = args_[i];
                bool named = a == "dev";
                if (named && i + 1 >= args_.size()) return fail("Command line is not complete. Try option \"help\"");
                if (!named && !bare_dev) {
                    return fail(fmt::format("Error: argument \"{}\" is wrong: to value is invalid\n", a));
                }
                const std::string& name = named ? args_[++i] : a;
                if (!dev.empty()) return fail(fmt::format("Error: either \"dev\" is duplicate, or \"{}\" is a garbage.", name));
                dev = name;
            }
            return std::nullopt;
        };
        if (matches(object, "address")) {
            if (auto err = shown("address", true)) return std::move(*err);
            return command("ip", ShowConfig{ShowConfig::Form::IpAddr, dev});
        }
        if (matches(object, "neighbour") || matches(object, "neighbor")) {
            if (auto err = shown("neigh", false)) return std::move(*err);
            return command("ip", ShowNeighbours{ShowNeighbours::Form::IpNeigh, std::nullopt, dev});
        }
        if (matches(object, "link")) {
            if (auto err = shown("link", true)) return std::move(*err);
            return command("ip", ShowConfig{ShowConfig::Form::IpLink, dev});
        }
        return fail(fmt::format("Object \"{}\" is unknown, try \"ip help\".", object));
    }

    // iproute2's usage, the objects netstep has.
    static constexpr std::string_view kIpUsage =
        "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n"
        "where  OBJECT := { address | link | neighbour }";

    // arp.exe (textbook): -a or -g, then optionally an address; anything else prints its usage.
    // net-tools arp (linux): -a (BSD style), -e (Linux style, the default), -n, -v; a host.
    Parsed arp() {
        ShowNeighbours show;
        bool win = style_ == ToolStyle::Windows;
        show.form = win ? ShowNeighbours::Form::ArpA : ShowNeighbours::Form::ArpTable;
        bool shown = false;
        std::optional<std::string> host;
        // -s and -d change the cache: the terminal's user is not an administrator (cmd.exe not
        // elevated, bash's "$"), and the OS refuses, as it would.
        if (args_.size() >= 2) {
            std::string opt = win ? lower(args_[1]) : args_[1];
            if (win && opt == "-s" && args_.size() >= 4) {
                return fail("The ARP entry addition failed: The requested operation requires elevation.");
            }
            if (win && opt == "-d" && args_.size() >= 3) {
                return fail("The ARP entry deletion failed: The requested operation requires elevation.");
            }
            if (!win && opt == "-s" && args_.size() >= 4) return fail("SIOCSARP: Operation not permitted");
            if (!win && opt == "-d" && args_.size() >= 3) return fail("SIOCDARP(dontpub): Operation not permitted");
        }
        for (size_t i = 1; i < args_.size(); ++i) {
            const std::string& a = args_[i];
            if (win) {
                std::string opt = lower(a);
                if ((opt == "-a" || opt == "-g") && !shown) {
                    shown = true;
                } else if (shown && !host && !a.empty() && a[0] != '-') {
                    host = a;
                } else {
                    return fail(std::string(kWindowsArpUsage));
                }
                continue;
            }
            if (a.size() >= 2 && a[0] == '-') {
                for (char c : a.substr(1)) {
                    switch (c) {
                        case 'a': show.form = ShowNeighbours::Form::ArpA; break;
                        case 'e': show.form = ShowNeighbours::Form::ArpTable; break;
                        case 'n':
                        case 'v': break;  // numeric (nothing is resolved anyway); verbose
                        case 'd':
                        case 's': return fail(std::string(kLinuxArpUsage));  // without its operands
                        default: return fail(fmt::format("arp: invalid option -- '{}'\n{}", c, kLinuxArpUsage));
                    }
                }
            } else if (!host) {
                host = a;
            } else {
                return fail(std::string(kLinuxArpUsage));
            }
        }
        if (win && !shown) return fail(std::string(kWindowsArpUsage));
        if (host) {
            show.only = destination(*host);
            if (!show.only) {
                return fail(win ? fmt::format("ARP: bad argument: {}", *host)
                                : fmt::format("{}: Unknown host", *host));  // net-tools: herror()
            }
        }
        return command(name_, show);
    }

    // arp.exe's usage (arp /?), as Windows 10 prints it.
    static constexpr std::string_view kWindowsArpUsage =
        "\nDisplays and modifies the IP-to-Physical address translation tables used by\n"
        "address resolution protocol (ARP).\n"
        "\n"
        "ARP -s inet_addr eth_addr [if_addr]\n"
        "ARP -d inet_addr [if_addr]\n"
        "ARP -a [inet_addr] [-N if_addr] [-v]\n"
        "\n"
        "  -a            Displays current ARP entries by interrogating the current\n"
        "                protocol data.  If inet_addr is specified, the IP and Physical\n"
        "                addresses for only the specified computer are displayed.  If\n"
        "                more than one network interface uses ARP, entries for each ARP\n"
        "                table are displayed.\n"
        "  -g            Same as -a.\n"
        "  -v            Displays current ARP entries in verbose mode.  All invalid\n"
        "                entries and entries on the loop-back interface will be shown.\n"
        "  inet_addr     Specifies an internet address.\n"
        "  -N if_addr    Displays the ARP entries for the network interface specified\n"
        "                by if_addr.\n"
        "  -d            Deletes the host specified by inet_addr. inet_addr may be\n"
        "                wildcarded with * to delete all hosts.\n"
        "  -s            Adds the host and associates the Internet address inet_addr\n"
        "                with the Physical address eth_addr.  The Physical address is\n"
        "                given as 6 hexadecimal bytes separated by hyphens. The entry\n"
        "                is permanent.\n"
        "  eth_addr      Specifies a physical address.\n"
        "  if_addr       If present, this specifies the Internet address of the\n"
        "                interface whose address translation table should be modified.\n"
        "                If not present, the first applicable interface will be used.\n"
        "Example:\n"
        "  > arp -s 157.55.85.212   00-aa-00-62-c6-09  .... Adds a static entry.\n"
        "  > arp -a                                    .... Displays the arp table.";

    // net-tools arp.c usage(): its synopsis lines (the option list after them is left out).
    static constexpr std::string_view kLinuxArpUsage =
        "Usage:\n"
        "  arp [-vn]  [<HW>] [-i <if>] [-a] [<hostname>]             <-Display ARP cache\n"
        "  arp [-v]          [-i <if>] -d  <host> [pub]               <-Delete ARP entry\n"
        "  arp [-vnD] [<HW>] [-i <if>] -f  [<filename>]            <-Add entry from file\n"
        "  arp [-v]   [<HW>] [-i <if>] -s  <host> <hwaddr> [temp]            <-Add entry\n"
        "  arp [-v]   [<HW>] [-i <if>] -Ds <host> <if> [netmask <nm>] pub          <-''-";

    Parsed sockets() {
        ShowSockets show;
        show.ss = name_ == "ss";
        NetstatOptions& o = show.options;
        o.all = false;
        bool any_proto = false;
        for (size_t i = 1; i < args_.size(); ++i) {
            const std::string& a = args_[i];
            // Windows: netstat -p tcp|udp selects a protocol.
            if (style_ == ToolStyle::Windows && !show.ss && lower(a) == "-p") {
                if (i + 1 >= args_.size()) return fail("The -p option needs a protocol: TCP or UDP.");
                std::string proto = lower(args_[++i]);
                if (proto != "tcp" && proto != "udp") return fail(fmt::format("Unknown protocol: {}", args_[i]));
                o.tcp = proto == "tcp";
                o.udp = proto == "udp";
                any_proto = true;
                continue;
            }
            if (a.size() < 2 || a[0] != '-') return fail(fmt::format("{}: unexpected argument '{}'", name_, a));
            for (char c : a.substr(1)) {
                switch (c) {
                    case 'a': o.all = true; break;
                    case 'n': break;  // numeric: netstep prints numbers anyway
                    case 'o':
                    case 'b': o.programs = true; break;
                    case 'p': o.programs = true; break;
                    case 'l': o.listening_only = true; break;
                    case 't':
                        if (!any_proto) o.udp = false;
                        o.tcp = true;
                        any_proto = true;
                        break;
                    case 'u':
                        if (!any_proto) o.tcp = false;
                        o.udp = true;
                        any_proto = true;
                        break;
                    default: return fail(fmt::format("{}: invalid option -- '{}'", name_, c));
                }
            }
        }
        return command(name_, show);
    }

    // --- ping and traceroute ----------------------------------------------------------------

    std::string unknown_host(const std::string& host) const {
        if (name_ == "ping") {
            return style_ == ToolStyle::Windows
                       ? fmt::format("Ping request could not find host {}. Please check the name and try again.", host)
                       : fmt::format("ping: {}: Name or service not known", host);
        }
        if (name_ == "tracert") return fmt::format("Unable to resolve target system name {}.", host);
        if (name_ == "traceroute") return fmt::format("{}: Name or service not known", host);
        return fmt::format("nc: getaddrinfo for host \"{}\" port {}: Name or service not known", host,
                           args_.size() > 2 ? args_.back() : "");
    }

    std::string usage() const {
        if (name_ == "ping") {
            return style_ == ToolStyle::Windows ? "Usage: ping [-t] [-n count] [-i TTL] [-w timeout] target_name"
                                                : "Usage: ping [-c count] [-i interval] [-t ttl] [-W timeout] destination";
        }
        if (name_ == "tracert") return "Usage: tracert [-h maximum_hops] [-w timeout] target_name";
        if (name_ == "traceroute") return "Usage: traceroute [-m max_ttl] [-w waittime] host";
        return "usage: nc [-lu] [destination] [port]";
    }

    Parsed ping() {
        step::Ping p;
        // Windows' ping waits 4000 ms for each reply (-w's default): long enough for an ARP
        // resolution that fails (3 requests 1 s apart) to come back as "Destination host
        // unreachable." rather than a timeout.
        // iputils waits 10 s after its last request when nothing came back (lingertime, MAXWAIT),
        // so its errors are printed too.
        p.timeout = style_ == ToolStyle::Windows ? Duration::seconds(4) : Duration::seconds(10);
        std::optional<std::string> target;
        for (size_t i = 1; i < args_.size(); ++i) {
            std::string a = style_ == ToolStyle::Windows ? lower(args_[i]) : args_[i];
            bool win = style_ == ToolStyle::Windows;
            auto value = [&](uint64_t lo, uint64_t hi) { return number(++i, lo, hi); };
            if (a == "-t" && win) {
                p.count = 1000000;  // until Ctrl-C (bounded: Limits)
            } else if ((a == "-n" && win) || (a == "-c" && !win)) {
                auto n = value(1, 1000000);
                if (!n) return fail(win ? "Bad value for option -n, valid range is from 1 to 4294967295." : "ping: invalid argument: count out of range");
                p.count = uint32_t(*n);
            } else if ((a == "-i" && win) || (a == "-t" && !win)) {
                auto n = value(1, 255);
                if (!n) return fail(win ? "Bad value for option -i, valid range is from 1 to 255." : "ping: invalid argument: ttl out of range");
                p.ttl = uint8_t(*n);
            } else if (a == "-w" && win) {
                auto n = value(1, 3600000);
                if (!n) return fail("Bad value for option -w.");
                p.timeout = Duration::millis(int64_t(*n));
            } else if (a == "-W" && !win) {
                auto n = value(1, 3600);
                if (!n) return fail("ping: invalid argument: timeout out of range");
                p.timeout = Duration::seconds(int64_t(*n));
            } else if (a == "-i" && !win) {
                auto n = value(1, 3600);
                if (!n) return fail("ping: invalid argument: interval out of range");
                p.interval = Duration::seconds(int64_t(*n));
            } else if (!a.empty() && a[0] == '-') {
                return fail(win ? fmt::format("Bad option {}.\n\n{}", args_[i], usage()) : fmt::format("ping: invalid option -- '{}'\n{}", a.substr(1), usage()));
            } else if (target) {
                return fail(usage());
            } else {
                target = args_[i];
            }
        }
        return probe_to(target, p);
    }

    // ping's and traceroute's destination, then the command.
    template <class Probe>
    Parsed probe_to(const std::optional<std::string>& target, Probe probe) {
        if (!target) return fail(usage());
        auto to = destination(*target);
        if (!to) return fail(unknown_host(*target));
        probe.to = *to;
        return command(name_, probe);
    }

    Parsed traceroute() {
        step::Traceroute t;
        t.tool = name_ == "tracert" ? step::Tool::Windows : step::Tool::Linux;
        bool win = name_ == "tracert";
        std::optional<std::string> target;
        for (size_t i = 1; i < args_.size(); ++i) {
            std::string a = win ? lower(args_[i]) : args_[i];
            if ((a == "-h" && win) || (a == "-m" && !win)) {
                auto n = number(++i, 1, 255);
                if (!n) return fail(win ? "Bad value for option -h." : "Cannot handle `-m' option");
                t.max_hops = uint32_t(*n);
            } else if (a == "-w") {
                auto n = number(++i, 1, win ? 3600000 : 3600);
                if (!n) return fail(win ? "Bad value for option -w." : "Cannot handle `-w' option");
                t.timeout = win ? Duration::millis(int64_t(*n)) : Duration::seconds(int64_t(*n));
            } else if (a == "-d" || a == "-n") {
                // numeric output: netstep's names are the scenario's; nothing to resolve
            } else if (!a.empty() && a[0] == '-') {
                return fail(win ? fmt::format("Bad option {}.\n\n{}", args_[i], usage()) : fmt::format("Bad option `{}'\n{}", args_[i], usage()));
            } else if (target) {
                return fail(usage());
            } else {
                target = args_[i];
            }
        }
        return probe_to(target, t);
    }

    // --- nc --------------------------------------------------------------------------------

    Parsed netcat() {
        Netcat nc;
        std::vector<std::string> rest;
        for (size_t i = 1; i < args_.size(); ++i) {
            const std::string& a = args_[i];
            if (a.size() >= 2 && a[0] == '-') {
                for (char c : a.substr(1)) {
                    if (c == 'l') nc.listen = true;
                    else if (c == 'u') nc.udp = true;
                    else if (c == 'v' || c == 'n' || c == 'N') continue;  // verbose, numeric, shutdown on EOF (always)
                    else if (c == 'p') continue;                           // traditional nc -l -p PORT
                    else return fail(fmt::format("nc: invalid option -- '{}'\n{}", c, usage()));
                }
                continue;
            }
            rest.push_back(a);
        }
        if (nc.listen) {
            if (rest.size() != 1) return fail(usage());
            auto p = port(rest[0]);
            if (!p) return fail(fmt::format("nc: port number invalid: {}", rest[0]));
            nc.port = *p;
            return command("nc", nc);
        }
        if (rest.size() != 2) return fail(usage());
        auto p = port(rest[1]);
        if (!p) return fail(fmt::format("nc: port number invalid: {}", rest[1]));
        auto to = destination(rest[0]);
        if (!to) return fail(fmt::format("nc: getaddrinfo for host \"{}\" port {}: Name or service not known", rest[0], rest[1]));
        nc.to = *to;
        nc.port = *p;
        return command("nc", nc);
    }

    // --- the Berkeley calls ---------------------------------------------------------------

    std::optional<Parsed> berkeley() {
        static const std::vector<std::pair<std::string, std::string>> kUsage{
            {"socket", "socket NAME tcp|udp"},
            {"setsockopt", "setsockopt NAME reuseaddr | setsockopt NAME linger 0 | setsockopt NAME rcvbuf|sndbuf BYTES"},
            {"bind", "bind NAME PORT [IP]"},
            {"listen", "listen NAME [BACKLOG]"},
            {"accept", "accept NAME NEW_NAME"},
            {"connect", "connect NAME HOST:PORT"},
            {"send", "send NAME \"TEXT\""},
            {"recv", "recv NAME [BYTES]"},
            {"sendto", "sendto NAME HOST:PORT \"TEXT\""},
            {"recvfrom", "recvfrom NAME"},
            {"shutdown", "shutdown NAME read|write|both"},
            {"close", "close NAME"}};
        auto it = std::find_if(kUsage.begin(), kUsage.end(), [&](const auto& u) { return u.first == name_; });
        if (it == kUsage.end()) return std::nullopt;
        const std::string usage = "usage: " + it->second;
        if (args_.size() < 2) return fail(usage);
        const std::string& sock = args_[1];
        if (!detail::is_name(sock)) return fail(fmt::format("{}: '{}' is not a socket name (letters, digits, _ . -)", name_, sock));
        Step step;
        auto target = [&](const std::string& text) -> std::optional<Target> {
            size_t colon = text.rfind(':');
            if (colon == std::string::npos) return std::nullopt;
            auto p = port(text.substr(colon + 1));
            auto d = destination(text.substr(0, colon));
            if (!p || !d) return std::nullopt;
            Target t;
            t.text = text;
            t.host = d->host;
            t.address = d->address;
            t.port = *p;
            return t;
        };
        auto bad_target = [&](const std::string& text) {
            size_t colon = text.rfind(':');
            if (colon == std::string::npos) return fail(fmt::format("{}: expected HOST:PORT, got '{}'", name_, text));
            if (!port(text.substr(colon + 1))) return fail(fmt::format("{}: port number invalid: {}", name_, text.substr(colon + 1)));
            return fail(fmt::format("{}: unknown host '{}'", name_, text.substr(0, colon)));
        };
        auto payload = [&](size_t from) {
            Payload p;
            for (size_t i = from; i < args_.size(); ++i) p.data += (i > from ? " " : "") + args_[i];
            return p;
        };
        const size_t n = args_.size();
        if (name_ == "socket") {
            if (n != 3 || (args_[2] != "tcp" && args_[2] != "udp")) return fail(usage);
            step.body = step::Socket{sock, args_[2] == "tcp" ? SocketKind::Tcp : SocketKind::Udp};
        } else if (name_ == "setsockopt") {
            step::SetSockOpt o;
            o.socket = sock;
            if (n == 3 && args_[2] == "reuseaddr") o.reuseaddr = true;
            else if (n == 4 && args_[2] == "linger" && args_[3] == "0") o.linger = 0;
            else if (n == 4 && (args_[2] == "rcvbuf" || args_[2] == "sndbuf")) {
                auto b = detail::parse_unsigned(args_[3]);
                if (!b || *b == 0 || *b > (1u << 30)) return fail(fmt::format("setsockopt: buffer size invalid: {}", args_[3]));
                (args_[2] == "rcvbuf" ? o.rcvbuf : o.sndbuf) = uint32_t(*b);
            } else return fail(usage);
            step.body = o;
        } else if (name_ == "bind") {
            if (n < 3 || n > 4) return fail(usage);
            auto p = detail::parse_unsigned(args_[2]);
            if (!p || *p > 65535) return fail(fmt::format("bind: port number invalid: {}", args_[2]));
            step::Bind b{sock, uint16_t(*p), std::nullopt};
            if (n == 4) {
                b.ip = Ipv4Address::parse(args_[3]);
                if (!b.ip) return fail(fmt::format("bind: expected an IPv4 address, got '{}'", args_[3]));
            }
            step.body = b;
        } else if (name_ == "listen") {
            step::Listen l{sock, 128};
            if (n == 3) {
                auto b = number(2, 0, 4096);
                if (!b) return fail(usage);
                l.backlog = int(*b);
            } else if (n != 2) {
                return fail(usage);
            }
            step.body = l;
        } else if (name_ == "accept") {
            if (n != 3 || !detail::is_name(args_[2])) return fail(usage);
            step.body = step::Accept{sock, args_[2]};
        } else if (name_ == "connect") {
            if (n != 3) return fail(usage);
            auto t = target(args_[2]);
            if (!t) return bad_target(args_[2]);
            step.body = step::Connect{sock, *t};
        } else if (name_ == "send") {
            if (n < 3) return fail(usage);
            step.body = step::Send{sock, payload(2)};
        } else if (name_ == "recv") {
            step::Recv r;
            r.socket = sock;
            if (n == 3) {
                auto b = number(2, 1, 1 << 20);
                if (!b) return fail(usage);
                r.bytes = size_t(*b);
            } else if (n != 2) {
                return fail(usage);
            }
            step.body = r;
        } else if (name_ == "sendto") {
            if (n < 4) return fail(usage);
            auto t = target(args_[2]);
            if (!t) return bad_target(args_[2]);
            step.body = step::SendTo{sock, *t, payload(3)};
        } else if (name_ == "recvfrom") {
            if (n != 2) return fail(usage);
            step.body = step::RecvFrom{sock, std::nullopt, ""};
        } else if (name_ == "shutdown") {
            if (n != 3) return fail(usage);
            step::Shutdown s{sock};
            if (args_[2] == "read") s.how = step::Shutdown::How::Read;
            else if (args_[2] == "write") s.how = step::Shutdown::How::Write;
            else if (args_[2] == "both") s.how = step::Shutdown::How::Both;
            else return fail(usage);
            step.body = s;
        } else {  // close
            if (n != 2) return fail(usage);
            step.body = step::Close{sock};
        }
        return command(name_, Call{std::move(step)});
    }

    const Scenario& s_;
    ToolStyle style_;
    std::vector<std::string> args_;
    std::string name_;
};

}  // namespace

Parsed parse_command(std::string_view line, const Scenario& scenario, ToolStyle style) {
    return Parser(scenario, style).parse(line);
}

std::string check_command(std::string_view line, const std::vector<std::string>& host_names, ToolStyle style) {
    Scenario names;
    for (const std::string& h : host_names) {
        Host host;
        host.name = h;
        names.hosts.push_back(std::move(host));
    }
    return parse_command(line, names, style).error;
}

}  // namespace netstep::sim::shell
