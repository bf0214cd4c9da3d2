// The terminal's texts, byte for byte as the real tools print them: cmd.exe, ipconfig /all and
// netstat.exe (textbook profile); bash, iproute2's ip and ss, net-tools' ifconfig and netstat (linux).
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "sim/netstat.hpp"
#include "sim/shell_text.hpp"

using namespace netstep;
using namespace netstep::sim;

namespace {

Ipv4Address ip(uint8_t a, uint8_t b, uint8_t c, uint8_t d) { return Ipv4Address::from_octets(a, b, c, d); }

InterfaceConfig itf(std::string adapter, Ipv4Address address, uint8_t length, std::optional<Ipv4Address> gateway) {
    InterfaceConfig i;
    i.adapter = std::move(adapter);
    i.address = {address, length};
    i.gateway = gateway;
    return i;
}

// A laptop: a wired adapter with a gateway, a wireless one without.
std::vector<InterfaceConfig> laptop() {
    return {itf("", ip(192, 168, 1, 10), 24, ip(192, 168, 1, 1)), itf("Wireless LAN adapter Wi-Fi", ip(10, 0, 0, 5), 16, {})};
}

MacAddress mac(uint8_t last) { return MacAddress{{0x02, 0x4e, 0x1a, 0x00, 0x00, last}}; }

// The laptop with the link layer on: its adapters have MAC addresses.
std::vector<InterfaceConfig> laptop_with_macs() {
    std::vector<InterfaceConfig> l = laptop();
    l[0].mac = mac(0x01);
    l[1].mac = mac(0xab);
    return l;
}

ArpRow arp_row(size_t interface, Ipv4Address address, std::optional<MacAddress> m, NeighbourState state,
               bool is_static = false) {
    ArpRow r;
    r.interface = interface;
    r.neighbour.address = address;
    r.neighbour.mac = m;
    r.neighbour.state = state;
    r.neighbour.is_static = is_static;
    return r;
}

// A cache with every kind of entry: resolved, static, stale, resolving, failed, on two interfaces.
std::vector<ArpRow> cache() {
    return {arp_row(0, ip(192, 168, 1, 1), mac(0x10), NeighbourState::Reachable),
            arp_row(0, ip(192, 168, 1, 20), mac(0x20), NeighbourState::Stale),
            arp_row(0, ip(192, 168, 1, 50), mac(0x50), NeighbourState::Permanent, true),
            arp_row(0, ip(192, 168, 1, 98), std::nullopt, NeighbourState::Incomplete),
            arp_row(0, ip(192, 168, 1, 99), std::nullopt, NeighbourState::Failed),
            arp_row(1, ip(10, 0, 0, 7), mac(0x07), NeighbourState::Delay)};
}

// A router: two wired adapters, no gateway.
std::vector<InterfaceConfig> router() {
    return {itf("", ip(192, 168, 1, 1), 24, {}), itf("", ip(10, 0, 0, 1), 8, {})};
}

SocketInfo tcp(SocketId id, Endpoint local, std::optional<Endpoint> remote, TcpState state) {
    SocketInfo s;
    s.id = id;
    s.local = local;
    s.remote = remote;
    s.state = state;
    return s;
}

// A listener, an established connection with data queued both ways, a UDP socket, a TIME-WAIT,
// a connected UDP socket, and a socket only created (no tool lists it).
std::vector<SocketInfo> sockets() {
    std::vector<SocketInfo> t;
    t.push_back(tcp(1, {Ipv4Address::any(), 80}, std::nullopt, TcpState::Listen));
    SocketInfo conn = tcp(2, {ip(192, 168, 1, 10), 80}, Endpoint{ip(192, 168, 1, 20), 49152}, TcpState::Established);
    conn.vars = TcpVars{};
    conn.vars->recv_queued = 18;
    conn.vars->send_queued = 5;
    t.push_back(conn);
    SocketInfo udp;
    udp.id = 3;
    udp.type = SocketType::Udp;
    udp.local = {Ipv4Address::any(), 53};
    t.push_back(udp);
    t.push_back(tcp(4, {ip(192, 168, 1, 10), 49153}, Endpoint{ip(192, 168, 1, 30), 8080}, TcpState::TimeWait));
    SocketInfo client = udp;
    client.id = 5;
    client.local = {ip(192, 168, 1, 10), 40000};
    client.remote = Endpoint{ip(192, 168, 1, 30), 53};
    t.push_back(client);
    t.push_back(tcp(6, {Ipv4Address::any(), 0}, std::nullopt, TcpState::Closed));
    return t;
}

const std::map<SocketId, std::string> kPrograms = {{1, "nc"}, {2, "nc"}, {3, "dnsd"}};

NetstatOptions opts(bool tcp, bool udp, bool all, bool listening_only, bool programs) {
    NetstatOptions o;
    o.tcp = tcp;
    o.udp = udp;
    o.all = all;
    o.listening_only = listening_only;
    o.programs = programs;
    return o;
}

}  // namespace

TEST_CASE("shell text: prompts of cmd and bash") {
    CHECK(terminal_prompt(ToolStyle::Windows, "laptop") == "C:\\Users\\laptop>");
    CHECK(terminal_prompt(ToolStyle::Linux, "laptop") == "laptop:~$ ");
}

TEST_CASE("shell text: ipconfig /all, a host and a router") {
    CHECK(format_ipconfig_all("laptop", laptop(), false) ==
          "\n"
          "Windows IP Configuration\n"
          "\n"
          "   Host Name . . . . . . . . . . . . : laptop\n"
          "   Primary Dns Suffix  . . . . . . . : \n"
          "   Node Type . . . . . . . . . . . . : Hybrid\n"
          "   IP Routing Enabled. . . . . . . . : No\n"
          "   WINS Proxy Enabled. . . . . . . . : No\n"
          "\n"
          "Ethernet adapter Ethernet:\n"
          "\n"
          "   Connection-specific DNS Suffix  . : \n"
          "   Description . . . . . . . . . . . : Intel(R) Ethernet Connection\n"
          "   DHCP Enabled. . . . . . . . . . . : No\n"
          "   Autoconfiguration Enabled . . . . : Yes\n"
          "   IPv4 Address. . . . . . . . . . . : 192.168.1.10(Preferred) \n"
          "   Subnet Mask . . . . . . . . . . . : 255.255.255.0\n"
          "   Default Gateway . . . . . . . . . : 192.168.1.1\n"
          "   NetBIOS over Tcpip. . . . . . . . : Enabled\n"
          "\n"
          "Wireless LAN adapter Wi-Fi:\n"
          "\n"
          "   Connection-specific DNS Suffix  . : \n"
          "   Description . . . . . . . . . . . : Intel(R) Wi-Fi 6 AX201 160MHz\n"
          "   DHCP Enabled. . . . . . . . . . . : No\n"
          "   Autoconfiguration Enabled . . . . : Yes\n"
          "   IPv4 Address. . . . . . . . . . . : 10.0.0.5(Preferred) \n"
          "   Subnet Mask . . . . . . . . . . . : 255.255.0.0\n"
          "   Default Gateway . . . . . . . . . : \n"
          "   NetBIOS over Tcpip. . . . . . . . : Enabled");
    std::string r = format_ipconfig_all("router", router(), true);
    CHECK(r.find("   IP Routing Enabled. . . . . . . . : Yes\n") != std::string::npos);
    CHECK(r.find("\nEthernet adapter Ethernet 2:\n\n") != std::string::npos);
    // Two cards of one model: the second is "#2", as Windows names it.
    CHECK(r.find("   Description . . . . . . . . . . . : Intel(R) Ethernet Connection\n") != std::string::npos);
    CHECK(r.find("   Description . . . . . . . . . . . : Intel(R) Ethernet Connection #2\n") != std::string::npos);
    // Every label ends at one column, as ipconfig aligns them.
    for (size_t at = r.find("   "); at != std::string::npos; at = r.find("\n   ", at + 1)) {
        size_t start = r[at] == '\n' ? at + 1 : at;
        CHECK(r.substr(start + 37, 2) == ": ");
    }
}

TEST_CASE("shell text: ip addr and ifconfig") {
    CHECK(linux_interface_name(0) == "eth0");
    CHECK(linux_interface_name(1) == "eth1");
    CHECK(format_ip_addr(laptop()) ==
          "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n"
          "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
          "    inet 127.0.0.1/8 scope host lo\n"
          "       valid_lft forever preferred_lft forever\n"
          "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n"
          "    inet 192.168.1.10/24 brd 192.168.1.255 scope global eth0\n"
          "       valid_lft forever preferred_lft forever\n"
          "3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n"
          "    inet 10.0.0.5/16 brd 10.0.255.255 scope global eth1\n"
          "       valid_lft forever preferred_lft forever");
    CHECK(format_ifconfig(laptop()) ==
          "eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n"
          "        inet 192.168.1.10  netmask 255.255.255.0  broadcast 192.168.1.255\n"
          "\n"
          "eth1: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n"
          "        inet 10.0.0.5  netmask 255.255.0.0  broadcast 10.0.255.255\n"
          "\n"
          "lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536\n"
          "        inet 127.0.0.1  netmask 255.0.0.0\n"
          "        loop  txqueuelen 1000  (Local Loopback)\n");
    // A point-to-point /31 has no broadcast address (RFC 3021): ip prints no brd.
    CHECK(format_ip_addr({itf("", ip(10, 0, 0, 0), 31, {})}).find("    inet 10.0.0.0/31 scope global eth0\n") !=
          std::string::npos);
}

TEST_CASE("shell text: the MAC addresses in ipconfig /all, ip addr, ip link and ifconfig") {
    // Windows 10/11: "Physical Address" after Description, upper case with dashes.
    std::string all = format_ipconfig_all("laptop", laptop_with_macs(), false);
    CHECK(all.find("   Description . . . . . . . . . . . : Intel(R) Ethernet Connection\n"
                   "   Physical Address. . . . . . . . . : 02-4E-1A-00-00-01\n"
                   "   DHCP Enabled. . . . . . . . . . . : No\n") != std::string::npos);
    CHECK(all.find("   Physical Address. . . . . . . . . : 02-4E-1A-00-00-AB\n") != std::string::npos);
    CHECK(format_ipconfig_all("laptop", laptop(), false).find("Physical Address") == std::string::npos);
    CHECK(format_ip_addr(laptop_with_macs()) ==
          "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n"
          "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
          "    inet 127.0.0.1/8 scope host lo\n"
          "       valid_lft forever preferred_lft forever\n"
          "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n"
          "    link/ether 02:4e:1a:00:00:01 brd ff:ff:ff:ff:ff:ff\n"
          "    inet 192.168.1.10/24 brd 192.168.1.255 scope global eth0\n"
          "       valid_lft forever preferred_lft forever\n"
          "3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n"
          "    link/ether 02:4e:1a:00:00:ab brd ff:ff:ff:ff:ff:ff\n"
          "    inet 10.0.0.5/16 brd 10.0.255.255 scope global eth1\n"
          "       valid_lft forever preferred_lft forever");
    CHECK(format_ip_link(laptop_with_macs()) ==
          "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n"
          "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
          "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default qlen 1000\n"
          "    link/ether 02:4e:1a:00:00:01 brd ff:ff:ff:ff:ff:ff\n"
          "3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default qlen 1000\n"
          "    link/ether 02:4e:1a:00:00:ab brd ff:ff:ff:ff:ff:ff");
    CHECK(format_ifconfig(laptop_with_macs()) ==
          "eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n"
          "        inet 192.168.1.10  netmask 255.255.255.0  broadcast 192.168.1.255\n"
          "        ether 02:4e:1a:00:00:01  txqueuelen 1000  (Ethernet)\n"
          "\n"
          "eth1: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n"
          "        inet 10.0.0.5  netmask 255.255.0.0  broadcast 10.0.255.255\n"
          "        ether 02:4e:1a:00:00:ab  txqueuelen 1000  (Ethernet)\n"
          "\n"
          "lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536\n"
          "        inet 127.0.0.1  netmask 255.0.0.0\n"
          "        loop  txqueuelen 1000  (Local Loopback)\n");
}

// arp.exe: "  %-20s  %-20s  %-10s" (the type padded too), lower-case physical addresses; the
// unresolved entries only with -v.
TEST_CASE("shell text: Windows arp -a") {
    CHECK(format_arp(ToolStyle::Windows, laptop_with_macs(), cache()) ==
          "\n"
          "Interface: 192.168.1.10 --- 0xb\n"
          "  Internet Address      Physical Address      Type\n"
          "  192.168.1.1           02-4e-1a-00-00-10     dynamic   \n"
          "  192.168.1.20          02-4e-1a-00-00-20     dynamic   \n"
          "  192.168.1.50          02-4e-1a-00-00-50     static    \n"
          "\n"
          "Interface: 10.0.0.5 --- 0xc\n"
          "  Internet Address      Physical Address      Type\n"
          "  10.0.0.7              02-4e-1a-00-00-07     dynamic   ");
    CHECK(format_arp(ToolStyle::Windows, laptop_with_macs(), cache(), ip(10, 0, 0, 7)) ==
          "\n"
          "Interface: 10.0.0.5 --- 0xc\n"
          "  Internet Address      Physical Address      Type\n"
          "  10.0.0.7              02-4e-1a-00-00-07     dynamic   ");
    CHECK(format_arp(ToolStyle::Windows, laptop_with_macs(), {}) == "No ARP Entries Found.");
    CHECK(format_arp(ToolStyle::Windows, laptop_with_macs(), cache(), ip(192, 168, 1, 99)) == "No ARP Entries Found.");
}

// net-tools arp: -a in the BSD style (arp_disp), the default table (arp_disp_2), ip neigh.
TEST_CASE("shell text: net-tools arp -a, arp -n and ip neigh") {
    CHECK(format_arp(ToolStyle::Linux, laptop_with_macs(), cache()) ==
          "? (192.168.1.1) at 02:4e:1a:00:00:10 [ether] on eth0\n"
          "? (192.168.1.20) at 02:4e:1a:00:00:20 [ether] on eth0\n"
          "? (192.168.1.50) at 02:4e:1a:00:00:50 [ether] PERM on eth0\n"
          "? (192.168.1.98) at <incomplete> on eth0\n"
          "? (192.168.1.99) at <incomplete> on eth0\n"
          "? (10.0.0.7) at 02:4e:1a:00:00:07 [ether] on eth1");
    CHECK(format_arp(ToolStyle::Linux, laptop_with_macs(), {}).empty());
    CHECK(format_arp(ToolStyle::Linux, laptop_with_macs(), cache(), ip(192, 168, 1, 7)) ==
          "arp: in 6 entries no match found.");
    CHECK(format_arp_table(cache()) ==
          "Address                  HWtype  HWaddress           Flags Mask            Iface\n"
          "192.168.1.1              ether   02:4e:1a:00:00:10   C                     eth0\n"
          "192.168.1.20             ether   02:4e:1a:00:00:20   C                     eth0\n"
          "192.168.1.50             ether   02:4e:1a:00:00:50   CM                    eth0\n"
          "192.168.1.98                     (incomplete)                              eth0\n"
          "192.168.1.99                     (incomplete)                              eth0\n"
          "10.0.0.7                 ether   02:4e:1a:00:00:07   C                     eth1");
    CHECK(format_arp_table({}).empty());
    CHECK(format_arp_table(cache(), ip(192, 168, 1, 7)) == "192.168.1.7 (192.168.1.7) -- no entry");
    CHECK(format_ip_neigh(cache()) ==
          "192.168.1.1 dev eth0 lladdr 02:4e:1a:00:00:10 REACHABLE\n"
          "192.168.1.20 dev eth0 lladdr 02:4e:1a:00:00:20 STALE\n"
          "192.168.1.50 dev eth0 lladdr 02:4e:1a:00:00:50 PERMANENT\n"
          "192.168.1.98 dev eth0  INCOMPLETE\n"
          "192.168.1.99 dev eth0  FAILED\n"
          "10.0.0.7 dev eth1 lladdr 02:4e:1a:00:00:07 DELAY");
    CHECK(format_ip_neigh({}).empty());
    // ip neigh show dev eth1: that device's entries, without "dev" (print_neigh: !filter.index).
    CHECK(format_ip_neigh(cache(), "eth1") == "10.0.0.7 lladdr 02:4e:1a:00:00:07 DELAY");
}

TEST_CASE("shell text: ip addr and ip link of one device") {
    CHECK(format_ip_addr(laptop_with_macs(), "eth1") ==
          "3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n"
          "    link/ether 02:4e:1a:00:00:ab brd ff:ff:ff:ff:ff:ff\n"
          "    inet 10.0.0.5/16 brd 10.0.255.255 scope global eth1\n"
          "       valid_lft forever preferred_lft forever");
    CHECK(format_ip_link(laptop_with_macs(), "lo") ==
          "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n"
          "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00");
    CHECK(linux_interface_exists("lo", 0));
    CHECK(linux_interface_exists("eth1", 2));
    CHECK(!linux_interface_exists("eth2", 2));
    CHECK(!linux_interface_exists("wlan0", 2));
}

TEST_CASE("shell text: Windows netstat -an, -p tcp, -p udp, -anb") {
    std::vector<SocketInfo> t = sockets();
    CHECK(format_netstat(t, ToolStyle::Windows, false, NetstatOptions{}, {}) ==
          "\n"
          "Active Connections\n"
          "\n"
          "  Proto  Local Address          Foreign Address        State\n"
          "  TCP    0.0.0.0:80             0.0.0.0:0              LISTENING\n"
          "  TCP    192.168.1.10:80        192.168.1.20:49152     ESTABLISHED\n"
          "  UDP    0.0.0.0:53             *:*\n"
          "  TCP    192.168.1.10:49153     192.168.1.30:8080      TIME_WAIT\n"
          "  UDP    192.168.1.10:40000     192.168.1.30:53");
    CHECK(format_netstat(t, ToolStyle::Windows, false, opts(true, false, true, false, false), {}) ==
          "\n"
          "Active Connections\n"
          "\n"
          "  Proto  Local Address          Foreign Address        State\n"
          "  TCP    0.0.0.0:80             0.0.0.0:0              LISTENING\n"
          "  TCP    192.168.1.10:80        192.168.1.20:49152     ESTABLISHED\n"
          "  TCP    192.168.1.10:49153     192.168.1.30:8080      TIME_WAIT");
    CHECK(format_netstat(t, ToolStyle::Windows, false, opts(false, true, true, false, false), {}) ==
          "\n"
          "Active Connections\n"
          "\n"
          "  Proto  Local Address          Foreign Address        State\n"
          "  UDP    0.0.0.0:53             *:*\n"
          "  UDP    192.168.1.10:40000     192.168.1.30:53");
    // -b: the executable under each row it owns; a TIME_WAIT belongs to no process (PID 0): nothing.
    CHECK(format_netstat(t, ToolStyle::Windows, false, opts(true, true, true, false, true), kPrograms) ==
          "\n"
          "Active Connections\n"
          "\n"
          "  Proto  Local Address          Foreign Address        State\n"
          "  TCP    0.0.0.0:80             0.0.0.0:0              LISTENING\n"
          " [nc]\n"
          "  TCP    192.168.1.10:80        192.168.1.20:49152     ESTABLISHED\n"
          " [nc]\n"
          "  UDP    0.0.0.0:53             *:*\n"
          " [dnsd]\n"
          "  TCP    192.168.1.10:49153     192.168.1.30:8080      TIME_WAIT\n"
          "  UDP    192.168.1.10:40000     192.168.1.30:53");
    // -n without -a: TCP connections only (Windows shows UDP endpoints with -a only).
    CHECK(format_netstat(t, ToolStyle::Windows, false, opts(true, true, false, false, false), {}) ==
          "\n"
          "Active Connections\n"
          "\n"
          "  Proto  Local Address          Foreign Address        State\n"
          "  TCP    192.168.1.10:80        192.168.1.20:49152     ESTABLISHED\n"
          "  TCP    192.168.1.10:49153     192.168.1.30:8080      TIME_WAIT");
}

TEST_CASE("shell text: net-tools netstat -tuan, -tan, -uan, -tn, -tulpn") {
    std::vector<SocketInfo> t = sockets();
    CHECK(format_netstat(t, ToolStyle::Linux, false, NetstatOptions{}, {}) ==
          "Active Internet connections (servers and established)\n"
          "Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n"
          "tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN     \n"
          "tcp       18      5 192.168.1.10:80         192.168.1.20:49152      ESTABLISHED\n"
          "udp        0      0 0.0.0.0:53              0.0.0.0:*                          \n"
          "tcp        0      0 192.168.1.10:49153      192.168.1.30:8080       TIME_WAIT  \n"
          "udp        0      0 192.168.1.10:40000      192.168.1.30:53         ESTABLISHED");
    CHECK(format_netstat(t, ToolStyle::Linux, false, opts(true, false, true, false, false), {}) ==
          "Active Internet connections (servers and established)\n"
          "Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n"
          "tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN     \n"
          "tcp       18      5 192.168.1.10:80         192.168.1.20:49152      ESTABLISHED\n"
          "tcp        0      0 192.168.1.10:49153      192.168.1.30:8080       TIME_WAIT  ");
    CHECK(format_netstat(t, ToolStyle::Linux, false, opts(false, true, true, false, false), {}) ==
          "Active Internet connections (servers and established)\n"
          "Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n"
          "udp        0      0 0.0.0.0:53              0.0.0.0:*                          \n"
          "udp        0      0 192.168.1.10:40000      192.168.1.30:53         ESTABLISHED");
    // Without -a: no servers; TIME_WAIT is shown (net-tools hides only listeners).
    CHECK(format_netstat(t, ToolStyle::Linux, false, opts(true, false, false, false, false), {}) ==
          "Active Internet connections (w/o servers)\n"
          "Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n"
          "tcp       18      5 192.168.1.10:80         192.168.1.20:49152      ESTABLISHED\n"
          "tcp        0      0 192.168.1.10:49153      192.168.1.30:8080       TIME_WAIT  ");
    // -tulpn: the servers, with the program's name ("-": none known; no PIDs in the simulation).
    CHECK(format_netstat(t, ToolStyle::Linux, false, opts(true, true, false, true, true), kPrograms) ==
          "Active Internet connections (only servers)\n"
          "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \n"
          "tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      nc                  \n"
          "udp        0      0 0.0.0.0:53              0.0.0.0:*                           dnsd                ");
    CHECK(format_netstat(t, ToolStyle::Linux, false, opts(true, false, true, false, true), kPrograms) ==
          "Active Internet connections (servers and established)\n"
          "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \n"
          "tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      nc                  \n"
          "tcp       18      5 192.168.1.10:80         192.168.1.20:49152      ESTABLISHED nc                  \n"
          "tcp        0      0 192.168.1.10:49153      192.168.1.30:8080       TIME_WAIT   -                   ");
    CHECK(netstat_state(TcpState::FinWait1, NetstatStyle::NetTools) == "FIN_WAIT1");
    CHECK(netstat_state(TcpState::SynReceived, NetstatStyle::NetTools) == "SYN_RECV");
}

TEST_CASE("shell text: ss -tuan, -tan, -uan, -t, -tl, -tulp") {
    std::vector<SocketInfo> t = sockets();
    // -tuan: the trace's table exactly.
    CHECK(format_netstat(t, ToolStyle::Linux, true, NetstatOptions{}, {}) == format_netstat(t, NetstatStyle::Linux));
    CHECK(format_netstat(t, ToolStyle::Linux, true, NetstatOptions{}, {}) ==
          "Netid  State      Recv-Q  Send-Q  Local Address:Port  Peer Address:Port\n"
          "tcp    LISTEN     0       0       0.0.0.0:80          0.0.0.0:*\n"
          "tcp    ESTAB      18      5       192.168.1.10:80     192.168.1.20:49152\n"
          "udp    UNCONN     0       0       0.0.0.0:53          0.0.0.0:*\n"
          "tcp    TIME-WAIT  0       0       192.168.1.10:49153  192.168.1.30:8080\n"
          "udp    ESTAB      0       0       192.168.1.10:40000  192.168.1.30:53");
    // One kind of socket: ss drops the Netid column.
    CHECK(format_netstat(t, ToolStyle::Linux, true, opts(true, false, true, false, false), {}) ==
          "State      Recv-Q  Send-Q  Local Address:Port  Peer Address:Port\n"
          "LISTEN     0       0       0.0.0.0:80          0.0.0.0:*\n"
          "ESTAB      18      5       192.168.1.10:80     192.168.1.20:49152\n"
          "TIME-WAIT  0       0       192.168.1.10:49153  192.168.1.30:8080");
    CHECK(format_netstat(t, ToolStyle::Linux, true, opts(false, true, true, false, false), {}) ==
          "State   Recv-Q  Send-Q  Local Address:Port  Peer Address:Port\n"
          "UNCONN  0       0       0.0.0.0:53          0.0.0.0:*\n"
          "ESTAB   0       0       192.168.1.10:40000  192.168.1.30:53");
    // ss -t: neither listeners nor TIME-WAIT (its default filter).
    CHECK(format_netstat(t, ToolStyle::Linux, true, opts(true, false, false, false, false), {}) ==
          "State  Recv-Q  Send-Q  Local Address:Port  Peer Address:Port\n"
          "ESTAB  18      5       192.168.1.10:80     192.168.1.20:49152");
    CHECK(format_netstat(t, ToolStyle::Linux, true, opts(true, false, false, true, false), {}) ==
          "State   Recv-Q  Send-Q  Local Address:Port  Peer Address:Port\n"
          "LISTEN  0       0       0.0.0.0:80          0.0.0.0:*");
    // -p: users:(("name")), without pid= and fd= (the simulation has none).
    CHECK(format_netstat(t, ToolStyle::Linux, true, opts(true, true, false, true, true), kPrograms) ==
          "Netid  State   Recv-Q  Send-Q  Local Address:Port  Peer Address:Port  Process\n"
          "tcp    LISTEN  0       0       0.0.0.0:80          0.0.0.0:*          users:((\"nc\"))\n"
          "udp    UNCONN  0       0       0.0.0.0:53          0.0.0.0:*          users:((\"dnsd\"))");
    CHECK(format_netstat(t, ToolStyle::Linux, true, opts(true, false, true, false, true), kPrograms) ==
          "State      Recv-Q  Send-Q  Local Address:Port  Peer Address:Port   Process\n"
          "LISTEN     0       0       0.0.0.0:80          0.0.0.0:*           users:((\"nc\"))\n"
          "ESTAB      18      5       192.168.1.10:80     192.168.1.20:49152  users:((\"nc\"))\n"
          "TIME-WAIT  0       0       192.168.1.10:49153  192.168.1.30:8080");
}

TEST_CASE("shell text: help, not found, errno") {
    std::string windows = shell_help(ToolStyle::Windows), linux = shell_help(ToolStyle::Linux);
    CHECK(windows ==
          "ipconfig [/all]              Displays the IP configuration of the adapters.\n"
          "ip addr                      Displays the interfaces and their addresses (Linux style).\n"
          "ifconfig                     Displays the interfaces (Linux net-tools style).\n"
          "ip link                      Displays the interfaces and their MAC addresses (Linux style).\n"
          "arp -a                       Displays the ARP cache: addresses and their MAC addresses.\n"
          "ip neigh                     Displays the ARP cache (Linux style).\n"
          "netstat [-a -n -t -u -l -p]  Displays the sockets and connections.\n"
          "ss [-t -u -a -l -n -p]       Displays the sockets (Linux ss).\n"
          "ping [-n N | -c N] HOST      Sends N echo requests to HOST.\n"
          "tracert HOST                 Traces the route to HOST.\n"
          "traceroute HOST              Traces the route to HOST (Linux style).\n"
          "nc HOST PORT                 Connects to HOST:PORT over TCP.\n"
          "nc -l PORT                   Waits for one TCP connection on PORT.\n"
          "nc -u HOST PORT              Sends UDP datagrams to HOST:PORT.\n"
          "                             (nc: Ctrl-D ends the input, Ctrl-C stops.)\n"
          "socket s tcp|udp             Creates socket s.\n"
          "setsockopt s reuseaddr       Sets SO_REUSEADDR on s.\n"
          "bind s PORT                  Binds s to PORT.\n"
          "listen s                     Makes s wait for connections.\n"
          "accept s c                   Takes a connection of s as socket c.\n"
          "connect s HOST:PORT          Connects s to HOST:PORT.\n"
          "send s \"TEXT\"                Sends TEXT on s.\n"
          "recv s                       Receives what came on s.\n"
          "sendto s HOST:PORT \"TEXT\"    Sends TEXT in a datagram to HOST:PORT.\n"
          "recvfrom s                   Receives a datagram on s.\n"
          "shutdown s read|write|both   Shuts down reading, writing or both on s.\n"
          "close s                      Closes s.\n"
          "help                         Lists these commands.\n"
          "cls                          Clears the screen.");
    CHECK(linux ==
          "ipconfig [/all]              show the IP configuration (Windows style)\n"
          "ip addr                      show the interfaces and their addresses\n"
          "ifconfig                     show the interfaces (net-tools)\n"
          "ip link                      show the interfaces and their MAC addresses\n"
          "arp -a                       show the ARP cache (BSD style; arp -n: a table)\n"
          "ip neigh                     show the ARP cache (iproute2)\n"
          "netstat [-a -n -t -u -l -p]  show the sockets and connections\n"
          "ss [-t -u -a -l -n -p]       show the sockets (iproute2)\n"
          "ping [-n N | -c N] HOST      send N echo requests to HOST\n"
          "tracert HOST                 trace the route to HOST (Windows style)\n"
          "traceroute HOST              trace the route to HOST\n"
          "nc HOST PORT                 connect to HOST:PORT over TCP\n"
          "nc -l PORT                   wait for one TCP connection on PORT\n"
          "nc -u HOST PORT              send UDP datagrams to HOST:PORT\n"
          "                             (nc: Ctrl-D ends the input, Ctrl-C stops)\n"
          "socket s tcp|udp             create socket s\n"
          "setsockopt s reuseaddr       set SO_REUSEADDR on s\n"
          "bind s PORT                  bind s to PORT\n"
          "listen s                     make s wait for connections\n"
          "accept s c                   take a connection of s as socket c\n"
          "connect s HOST:PORT          connect s to HOST:PORT\n"
          "send s \"TEXT\"                send TEXT on s\n"
          "recv s                       receive what came on s\n"
          "sendto s HOST:PORT \"TEXT\"    send TEXT in a datagram to HOST:PORT\n"
          "recvfrom s                   receive a datagram on s\n"
          "shutdown s read|write|both   shut down reading, writing or both on s\n"
          "close s                      close s\n"
          "help                         list these commands\n"
          "clear                        clear the screen");
    for (const char* command : {"ip addr", "ifconfig", "netstat [-a -n -t -u -l -p]", "ss [-t -u -a -l -n -p]",
                                "ping [-n N | -c N] HOST", "tracert HOST", "traceroute HOST", "nc -l PORT",
                                "nc -u HOST PORT", "Ctrl-D", "socket s tcp|udp", "setsockopt s reuseaddr",
                                "accept s c", "sendto s HOST:PORT \"TEXT\"", "shutdown s read|write|both", "close s",
                                "\nhelp "}) {
        CHECK(windows.find(command) != std::string::npos);
        CHECK(linux.find(command) != std::string::npos);
    }
    CHECK(windows.find(" \n") == std::string::npos);  // no trailing spaces
    CHECK(command_not_found(ToolStyle::Windows, "pnig", "") ==
          "'pnig' is not recognized as an internal or external command,\noperable program or batch file.");
    CHECK(command_not_found(ToolStyle::Windows, "pnig", "ping") ==
          "'pnig' is not recognized as an internal or external command,\noperable program or batch file.\n"
          "Did you mean 'ping'?");
    CHECK(command_not_found(ToolStyle::Linux, "pnig", "") == "bash: pnig: command not found");
    CHECK(command_not_found(ToolStyle::Linux, "pnig", "ping") == "bash: pnig: command not found\nDid you mean 'ping'?");
    CHECK(errno_text(Err::ConnRefused) == "ECONNREFUSED (Connection refused)");
    CHECK(errno_text(Err::Again) == "EAGAIN (Resource temporarily unavailable)");
    CHECK(errno_text(Err::MFile) == "EMFILE (Too many open files)");
    CHECK(errno_text(Err::NotConn) == "ENOTCONN (Transport endpoint is not connected)");
    CHECK(errno_text(Err::AddrNotAvail) == "EADDRNOTAVAIL (Cannot assign requested address)");
    CHECK(errno_text(Err::ConnAborted) == "ECONNABORTED (Software caused connection abort)");
    for (int e = 0; e <= int(Err::MFile); ++e) CHECK(errno_text(Err(e)).find("Unknown") == std::string::npos);
}
