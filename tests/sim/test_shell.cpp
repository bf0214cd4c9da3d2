// The terminal's command parser: what each line asks for, and what the shell or the tool prints
// for a line it cannot run (the viewer and `netstep shell` print it and leave the journal as it was).
#include <doctest/doctest.h>

#include "sim/shell.hpp"

namespace netstep::sim {
namespace {

Scenario hosts(std::initializer_list<const char*> names) {
    Scenario s;
    for (const char* n : names) {
        Host h;
        h.name = n;
        s.hosts.push_back(h);
    }
    return s;
}

const Scenario kLab = hosts({"laptop", "router", "server"});

shell::Parsed win(std::string_view line) { return shell::parse_command(line, kLab, ToolStyle::Windows); }
shell::Parsed lin(std::string_view line) { return shell::parse_command(line, kLab, ToolStyle::Linux); }

// What the line asks for, as a value (nullopt: something else, or nothing).
template <class T>
std::optional<T> as(const shell::Parsed& p) {
    if (!p.command) return std::nullopt;
    if (const T* t = std::get_if<T>(&*p.command)) return *t;
    return std::nullopt;
}

std::optional<Step> call(const shell::Parsed& p) {
    auto c = as<shell::Call>(p);
    if (!c) return std::nullopt;
    return c->step;
}

}  // namespace

TEST_CASE("shell: the commands and their options") {
    CHECK(as<shell::Help>(win("help")));
    CHECK(as<shell::Clear>(win("cls")));
    CHECK(as<shell::Clear>(lin("clear")));
    REQUIRE(as<shell::ShowConfig>(win("IPCONFIG /ALL")));  // cmd.exe ignores case
    CHECK(as<shell::ShowConfig>(win("IPCONFIG /ALL"))->form == shell::ShowConfig::Form::IpconfigAll);
    CHECK(as<shell::ShowConfig>(lin("ip addr"))->form == shell::ShowConfig::Form::IpAddr);
    CHECK(as<shell::ShowConfig>(lin("ip a"))->form == shell::ShowConfig::Form::IpAddr);
    CHECK(as<shell::ShowConfig>(lin("ifconfig"))->form == shell::ShowConfig::Form::Ifconfig);

    auto tan = as<shell::ShowSockets>(lin("netstat -tan"));
    REQUIRE(tan);
    CHECK(!tan->ss);
    CHECK(tan->options.tcp);
    CHECK(!tan->options.udp);
    CHECK(tan->options.all);
    auto tulpn = as<shell::ShowSockets>(lin("ss -tulpn"));
    REQUIRE(tulpn);
    CHECK(tulpn->ss);
    CHECK((tulpn->options.tcp && tulpn->options.udp && tulpn->options.listening_only && tulpn->options.programs));
    auto ptcp = as<shell::ShowSockets>(win("netstat -an -p udp"));
    REQUIRE(ptcp);
    CHECK((!ptcp->options.tcp && ptcp->options.udp));

    auto ping = as<step::Ping>(win("ping -n 2 -i 1 server"));
    REQUIRE(ping);
    CHECK(ping->count == 2);
    CHECK(ping->ttl == 1);
    CHECK(ping->to.host == "server");
    auto lping = as<step::Ping>(lin("ping -c 3 10.0.0.80"));
    REQUIRE(lping);
    CHECK(lping->count == 3);
    CHECK(lping->to.address == Ipv4Address::parse("10.0.0.80"));
    CHECK(win("ping -t server").command);

    auto tracert = as<step::Traceroute>(lin("tracert server"));  // the command names the tool
    REQUIRE(tracert);
    CHECK(tracert->tool == step::Tool::Windows);
    auto traceroute = as<step::Traceroute>(win("traceroute -m 5 server"));
    REQUIRE(traceroute);
    CHECK(traceroute->tool == step::Tool::Linux);
    CHECK(traceroute->max_hops == 5);

    auto nc = as<shell::Netcat>(lin("nc server 80"));
    REQUIRE(nc);
    CHECK((!nc->listen && !nc->udp && nc->port == 80 && nc->to.host == "server"));
    auto ncl = as<shell::Netcat>(lin("nc -lu 5353"));
    REQUIRE(ncl);
    CHECK((ncl->listen && ncl->udp && ncl->port == 5353));
    CHECK(as<shell::Netcat>(lin("nc -l -p 7000")));  // traditional netcat's form
}

TEST_CASE("shell: the Berkeley calls are steps") {
    auto socket = call(lin("socket s udp"));
    REQUIRE(socket);
    CHECK(std::get<step::Socket>(socket->body).type == SocketKind::Udp);
    auto connect = call(lin("connect s server:80"));
    REQUIRE(connect);
    CHECK(std::get<step::Connect>(connect->body).to.host == "server");
    CHECK(std::get<step::Connect>(connect->body).to.port == 80);
    auto send = call(lin("send s \"GET / HTTP/1.0\\r\\n\\r\\n\""));
    REQUIRE(send);
    CHECK(std::get<step::Send>(send->body).payload.data == "GET / HTTP/1.0\r\n\r\n");
    auto words = call(lin("send s hello world"));
    REQUIRE(words);
    CHECK(std::get<step::Send>(words->body).payload.data == "hello world");
    auto shut = call(lin("shutdown s write"));
    REQUIRE(shut);
    CHECK(std::get<step::Shutdown>(shut->body).how == step::Shutdown::How::Write);
    auto bind = call(lin("bind s 8080"));
    REQUIRE(bind);
    CHECK(std::get<step::Bind>(bind->body).port == 8080);
    CHECK(call(lin("accept s c")));
    CHECK(call(lin("setsockopt s reuseaddr")));
    CHECK(call(lin("recv s 100")));
    CHECK(call(lin("close s")));
}

TEST_CASE("shell: a line it cannot run says what the real shell or tool says") {
    CHECK(win("pnig server").error ==
          "'pnig' is not recognized as an internal or external command,\noperable program or batch file.\nDid you mean 'ping'?");
    CHECK(lin("ipconfg").error == "bash: ipconfg: command not found\nDid you mean 'ipconfig'?");
    CHECK(lin("xyzzy").error == "bash: xyzzy: command not found");
    CHECK(win("ping webb").error == "Ping request could not find host webb. Please check the name and try again.");
    CHECK(lin("ping webb").error == "ping: webb: Name or service not known");
    CHECK(win("tracert webb").error == "Unable to resolve target system name webb.");
    CHECK(lin("nc server 99999").error == "nc: port number invalid: 99999");
    CHECK(lin("nc server 0").error == "nc: port number invalid: 0");
    CHECK(lin("nc webb 80").error == "nc: getaddrinfo for host \"webb\" port 80: Name or service not known");
    CHECK(lin("nc server").error.starts_with("usage: nc"));
    CHECK(lin("connect s server:70000").error == "connect: port number invalid: 70000");
    CHECK(lin("connect s webb:80").error == "connect: unknown host 'webb'");
    CHECK(lin("socket s").error == "usage: socket NAME tcp|udp");
    CHECK(lin("send s \"unterminated").error == "a quote is not closed");
    CHECK(lin("send s \"\\q\"").error.starts_with("bad escape \\q"));
    std::string longest(step::kMaxTerminalLine, 'x');
    CHECK(lin(longest).error == "bash: " + longest + ": command not found");  // long, but a line
    CHECK(lin(std::string(10000, 'x')).error ==
          "The line is 10000 characters long: a terminal line holds at most 4095 (N_TTY_BUF_SIZE).");
    // An empty line: nothing to run, nothing to say.
    shell::Parsed empty = lin("   ");
    CHECK(!empty.command);
    CHECK(empty.error.empty());
}

TEST_CASE("shell: check_command needs only the hosts' names") {
    std::vector<std::string> names{"laptop", "server"};
    CHECK(shell::check_command("ping server", names, ToolStyle::Windows).empty());
    CHECK(shell::check_command("nc server 80", names, ToolStyle::Linux).empty());
    CHECK(shell::check_command("ping 10.9.9.9", names, ToolStyle::Linux).empty());
    CHECK(shell::check_command("ping nowhere", names, ToolStyle::Linux) == "ping: nowhere: Name or service not known");
    CHECK(!shell::check_command("frobnicate", names, ToolStyle::Windows).empty());
}

}  // namespace netstep::sim

namespace netstep::sim {

TEST_CASE("shell: arp, ip neigh and ip link") {
    using Form = shell::ShowNeighbours::Form;
    auto a = as<shell::ShowNeighbours>(win("ARP -A"));  // cmd.exe and arp.exe ignore case
    REQUIRE(a);
    CHECK(a->form == Form::ArpA);
    CHECK(!a->only);
    CHECK(as<shell::ShowNeighbours>(win("arp -g"))->form == Form::ArpA);
    auto one = as<shell::ShowNeighbours>(win("arp -a 192.168.1.1"));
    REQUIRE(one);
    REQUIRE(one->only);
    CHECK(one->only->address == Ipv4Address::parse("192.168.1.1"));
    // net-tools: -a the BSD style; without it (-n, -e) the table.
    CHECK(as<shell::ShowNeighbours>(lin("arp -a"))->form == Form::ArpA);
    CHECK(as<shell::ShowNeighbours>(lin("arp -an"))->form == Form::ArpA);
    CHECK(as<shell::ShowNeighbours>(lin("arp"))->form == Form::ArpTable);
    CHECK(as<shell::ShowNeighbours>(lin("arp -n"))->form == Form::ArpTable);
    CHECK(as<shell::ShowNeighbours>(lin("arp -e"))->form == Form::ArpTable);
    CHECK(as<shell::ShowNeighbours>(lin("arp -n router"))->only->host == "router");
    for (const char* line : {"ip neigh", "ip n", "ip neighbour show", "ip neighbor", "ip neigh list"}) {
        CAPTURE(line);
        auto n = as<shell::ShowNeighbours>(lin(line));
        REQUIRE(n);
        CHECK(n->form == Form::IpNeigh);
    }
    CHECK(as<shell::ShowConfig>(lin("ip link"))->form == shell::ShowConfig::Form::IpLink);
    CHECK(as<shell::ShowConfig>(lin("ip l show"))->form == shell::ShowConfig::Form::IpLink);
    CHECK(as<shell::ShowConfig>(lin("ip address show"))->form == shell::ShowConfig::Form::IpAddr);
    // A device: `ip a show eth0`, `ip link show dev eth1`, `ip neigh show dev eth0`.
    CHECK(as<shell::ShowConfig>(lin("ip a show eth0"))->dev == "eth0");
    CHECK(as<shell::ShowConfig>(lin("ip link show dev eth1"))->dev == "eth1");
    CHECK(as<shell::ShowNeighbours>(lin("ip neigh show dev eth0"))->dev == "eth0");
    CHECK(as<shell::ShowConfig>(lin("ip addr"))->dev.empty());
}

TEST_CASE("shell: arp and ip errors are the real tools' messages") {
    // arp.exe prints its usage for anything it does not take.
    CHECK(win("arp").error.starts_with("\nDisplays and modifies the IP-to-Physical address translation tables used by\n"));
    CHECK(win("arp -x").error.ends_with("  > arp -a                                    .... Displays the arp table."));
    CHECK(win("arp -a webb").error == "ARP: bad argument: webb");
    CHECK(lin("arp -x").error.starts_with("arp: invalid option -- 'x'\nUsage:\n  arp [-vn]  [<HW>] [-i <if>] [-a] [<hostname>]"));
    CHECK(lin("arp -a webb").error == "webb: Unknown host");
    // Changing the cache needs an administrator, which the terminal's user is not.
    CHECK(win("arp -d 192.168.1.1").error == "The ARP entry deletion failed: The requested operation requires elevation.");
    CHECK(win("arp -s 192.168.1.1 00-aa-00-62-c6-09").error ==
          "The ARP entry addition failed: The requested operation requires elevation.");
    CHECK(lin("arp -d 192.168.1.1").error == "SIOCDARP(dontpub): Operation not permitted");
    CHECK(lin("arp -s 192.168.1.1 00:aa:00:62:c6:09").error == "SIOCSARP: Operation not permitted");
    CHECK(lin("arp -s").error.starts_with("Usage:\n  arp [-vn]"));
    CHECK(lin("ip neigh frob").error == "Command \"frob\" is unknown, try \"ip neigh help\".");
    CHECK(lin("ip link set").error == "Command \"set\" is unknown, try \"ip link help\".");
    CHECK(lin("ip addr foo").error == "Command \"foo\" is unknown, try \"ip address help\".");
    CHECK(lin("ip foo").error == "Object \"foo\" is unknown, try \"ip help\".");
    CHECK(lin("ip addr show dev").error == "Command line is not complete. Try option \"help\"");
    CHECK(lin("ip addr show eth0 eth1").error == "Error: either \"dev\" is duplicate, or \"eth1\" is a garbage.");
    CHECK(lin("ip").error.starts_with("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }"));
    CHECK(shell::check_command("arp -a", {"laptop"}, ToolStyle::Windows).empty());
    CHECK(shell::check_command("ip neigh", {"laptop"}, ToolStyle::Linux).empty());
}

}  // namespace netstep::sim
